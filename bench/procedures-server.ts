/**
 * One forumbot server instance for the procedures benchmarks (a child process, so a drill can kill -9 it).
 * Configuration from the environment (DATABASE_URL, ALLOWED_TENANT_IDS, …); listens on PORT (0 = free port)
 * and prints {"url": …, "pid": …} on stdout when ready.
 */
import { loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { log } from '../src/log';

async function main() {
  const config = loadConfig();
  log.level = config.LOG_LEVEL;
  const running = await startServer(config, { port: Number(process.env.PORT ?? 0) });
  process.stdout.write(`${JSON.stringify({ url: running.url, pid: process.pid })}\n`);
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`procedures-server failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
