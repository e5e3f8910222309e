import { fifoGate, MAX_CONCURRENT_INVOKES } from '../../src/server';

/**
 * The gate in front of invokes (src/server.ts): at most `max` at once, the rest served in arrival order. It keeps
 * a burst of votes (500 directors pressing at once) from becoming hundreds of turns sharing the CPU (bench/procedures-votes.ts).
 */
describe('fifoGate', () => {
  it('runs at most max tasks at once and starts the waiting ones first come, first served', async () => {
    const gate = fifoGate(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const release: Array<() => void> = [];
    const tasks = Array.from({ length: 6 }, (_, i) =>
      gate(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return i * 10;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    // finish them out of order: the waiting ones still start in arrival order
    for (let k = 0; k < 6; k++) {
      release.splice(k % 2 ? 0 : release.length - 1, 1)[0]();
      await new Promise((r) => setImmediate(r));
    }
    expect(await Promise.all(tasks)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(MAX_CONCURRENT_INVOKES).toBeGreaterThan(1);
  });

  it('a failing task frees its place', async () => {
    const gate = fifoGate(1);
    await expect(gate(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate(async () => 'next')).resolves.toBe('next');
  });
});
