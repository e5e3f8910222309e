import { loadConfig, type Config } from './config';
import { createApp } from './app';
import { log } from './log';
import { startServer, type RunningServer } from './server';
import type { Db } from './store/db';
import { loadDemoData } from './store/demo';
import { openDemoProcedure } from './procedures/demo';

/**
 * Process entry for `forumbot serve` / `npm start`: config, store, server (and the workers that
 * capabilities start from their register()). Shuts down gracefully on SIGTERM and SIGINT.
 */
export interface ServeOptions {
  port?: number;
  /** Load the demo forum (samples/) when the store holds no meetings. */
  demo?: boolean;
  config?: Config;
}

export async function serve(opts: ServeOptions = {}): Promise<RunningServer> {
  const config = opts.config ?? loadConfig();
  log.level = config.LOG_LEVEL;
  const deps = await createApp(config);
  if (opts.demo) {
    await loadDemoIfEmpty(deps.db);
    // the demo written procedure, so a newcomer has something to vote on (idempotent: an open one is kept)
    const procedure = await openDemoProcedure(deps.db, { config, now: deps.now });
    if (procedure) log.info({ procedure: procedure.id, deadline: procedure.deadline }, 'demo: written procedure open for votes');
  }
  const running = await startServer(config, { deps, port: opts.port ?? config.PORT });
  const shutdown = (signal: string) => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void running
      .close()
      .then(() => deps.close())
      .then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  // a stray rejection in a handler or worker is logged; the server keeps serving
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled promise rejection'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return running;
}

/**
 * `--demo`: loads the fictional demo forum (src/store/demo.ts). Safe on every start: the dated documents (the
 * upcoming agenda, the written procedure) are refreshed relative to today, so "hvornår er næste møde?" always has an
 * answer, and a store that holds other forums' meetings is left alone.
 */
export async function loadDemoIfEmpty(db: Db): Promise<void> {
  const result = await loadDemoData(db);
  log.info({ loaded: result.loaded, reason: result.reason }, 'demo: demo data checked');
}

if (require.main === module) {
  serve().catch((err) => {
    log.fatal({ err }, 'forumbot could not start');
    process.exit(1);
  });
}
