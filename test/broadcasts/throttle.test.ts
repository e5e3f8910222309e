import { CONVERSATION_WINDOWS, SlidingWindowLimiter, TENANT_WINDOWS, type ThrottleKey, type Window } from '../../src/broadcasts/throttle';

/** Checks a schedule against the windows: no window of width w holds more than `limit` sends. */
function violations(times: number[], windows: Window[]): string[] {
  const out: string[] = [];
  const sorted = [...times].sort((a, b) => a - b);
  for (const w of windows) {
    for (let i = w.limit; i < sorted.length; i++) {
      if (sorted[i] - sorted[i - w.limit] < w.ms) out.push(`${w.limit}/${w.ms}ms broken at ${sorted[i]}`);
    }
  }
  return out;
}

describe('SlidingWindowLimiter (fake clock)', () => {
  const conv = (id: string): ThrottleKey => ({ key: `c:${id}`, windows: CONVERSATION_WINDOWS });
  const tenant: ThrottleKey = { key: 't:x', windows: TENANT_WINDOWS(50) };

  it('keeps one conversation within 7/1 s, 8/2 s, 60/30 s and 1800/h', () => {
    const l = new SlidingWindowLimiter();
    const now = 1_000_000;
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) times.push(l.reserve([conv('a')], now));
    expect(violations(times, CONVERSATION_WINDOWS)).toEqual([]);
    // the first 7 go at once, the 8th waits for the 1 s window, the 9th for the 2 s window
    expect(times.slice(0, 7)).toEqual(Array(7).fill(now));
    expect(times[7]).toBe(now + 1000);
    expect(times[8]).toBe(now + 2000);
    // 60 per 30 s: the 61st is 30 s after the first
    expect(times[60]).toBe(now + 30_000);
    // 1800 per hour: the 1801st waits for the hour
    expect(times[1800]).toBeGreaterThanOrEqual(now + 3_600_000);
    expect(times[1799]).toBeLessThan(now + 3_600_000);
  });

  it('keeps a tenant within 50/s while many conversations share it', () => {
    const l = new SlidingWindowLimiter();
    const now = 0;
    const times: number[] = [];
    for (let i = 0; i < 500; i++) times.push(l.reserve([conv(`c${i}`), tenant], now));
    expect(violations(times, TENANT_WINDOWS(50))).toEqual([]);
    // 500 messages at 50/s: the last goes out at 9 s (first 50 at once, then 50 each second)
    expect(times[499]).toBe(9_000);
    expect(times[50]).toBe(1_000);
  });

  it('moves with the clock: a later request does not wait for old bookings', () => {
    const l = new SlidingWindowLimiter();
    for (let i = 0; i < 7; i++) l.reserve([conv('a')], 0);
    expect(l.earliest([conv('a')], 0)).toBe(1000);
    expect(l.earliest([conv('a')], 5000)).toBe(5000);
  });

  it('release gives a booking back and block holds a key until Retry-After', () => {
    const l = new SlidingWindowLimiter();
    const keys = [conv('a')];
    const times = Array.from({ length: 7 }, () => l.reserve(keys, 0));
    expect(l.earliest(keys, 0)).toBe(1000);
    l.release(keys, times[6]);
    expect(l.earliest(keys, 0)).toBe(0);
    l.block('c:a', 4000);
    expect(l.earliest(keys, 100)).toBe(4000);
    expect(l.earliest([conv('b')], 100)).toBe(100);
  });

  it('a paced tenant window spreads sends evenly', () => {
    const l = new SlidingWindowLimiter();
    const paced: ThrottleKey = { key: 't', windows: [{ limit: 50, ms: 1020 }, { limit: 1, ms: 20 }] };
    const times = Array.from({ length: 120 }, () => l.reserve([paced], 0));
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(20);
    expect(violations(times, [{ limit: 50, ms: 1000 }])).toEqual([]);
  });
});
