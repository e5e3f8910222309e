/**
 * One forumbot server instance for the procedures benchmarks (a child process, so a drill can kill -9 it).
 * Configuration from the environment (DATABASE_URL, ALLOWED_TENANT_IDS, …); listens on PORT (0 = free port)
 * and prints {"url": …, "pid": …} on stdout when ready. On SIGUSR2 it prints, as one JSON line on stderr, what it
 * saw since the last SIGUSR2 (or the start): the time from each request's headers to its response handed to the
 * kernel (`servedMs`, queueing in this process included), the event loop's delay and the garbage collector's pauses.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'perf_hooks';
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { log } from '../src/log';

async function main() {
  const config = loadConfig();
  log.level = config.LOG_LEVEL;
  const running = await startServer(config, { port: Number(process.env.PORT ?? 0) });
  process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const gc = { count: 0, totalMs: 0, maxMs: 0 };
  /** time from the request's headers to its response handed to the kernel, as this server sees it */
  let served: number[] = [];
  {
    running.server.server.prependListener('request', (_req: unknown, res: import('http').ServerResponse) => {
      const t = performance.now();
      res.once('finish', () => served.push(performance.now() - t));
    });
    loop.enable();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        gc.count++;
        gc.totalMs += e.duration;
        gc.maxMs = Math.max(gc.maxMs, e.duration);
      }
    }).observe({ entryTypes: ['gc'] });
  }
  const report = () => {
    const ms = (n: number) => Math.round(n / 1e6);
    const xs = served.sort((a, b) => a - b);
    const at = (p: number) => Math.round(xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN);
    process.stderr.write(
      `${JSON.stringify({
        serverStats: {
          servedMs: { n: xs.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) },
          eventLoopDelayMs: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
          gc: { count: gc.count, totalMs: Math.round(gc.totalMs), maxMs: Math.round(gc.maxMs) },
        },
      })}\n`,
    );
    served = [];
    loop.reset();
    Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0 });
  };
  process.on('SIGUSR2', report);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`procedures-server failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
