import type { Config } from './config';
import { openDb, type Db } from './store/db';
import { log as rootLog, type Logger } from './log';
import { answerQuestion, type Answer, type AskInput } from './questions';

/**
 * The composition root: everything a running forumbot needs, built once from the configuration.
 * Capabilities receive `AppDeps` in `register(bot, deps)` (src/teams/<capability>.ts) and in
 * route registrars (src/server.ts). Add the fields your capability needs here (one line each,
 * built in `createApp`), never a global.
 */
export interface AppDeps {
  config: Config;
  db: Db;
  log: Logger;
  /** The clock. Tests replace it; domain code takes `now` from here, never `new Date()` directly. */
  now: () => Date;
  /** The question engine (src/questions answerQuestion, bound to `db`). */
  questions: Answerer;
  /** Run fn when the app closes (stop workers, pg-boss, timers). Runs in reverse order, before the store closes. */
  onClose(fn: () => Promise<void> | void): void;
  /** Closes what the app opened: onClose hooks, then the store (unless the store was passed in). */
  close(): Promise<void>;
}

export interface CreateAppOptions {
  /** Use this store instead of opening the one the config names. The app does not close it. */
  db?: Db;
  log?: Logger;
  now?: () => Date;
  /** Replace the question engine (tests of the Teams glue). */
  questions?: Answerer;
}

export async function createApp(config: Config, opts: CreateAppOptions = {}): Promise<AppDeps> {
  const log = opts.log ?? rootLog;
  const ownsDb = !opts.db;
  const db = opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR }));
  const hooks: Array<() => Promise<void> | void> = [];
  let closed = false;
  const deps: AppDeps = {
    config,
    db,
    log,
    now: opts.now ?? (() => new Date()),
    questions: opts.questions ?? engineAnswerer(db),
    onClose: (fn) => {
      hooks.push(fn);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const fn of hooks.reverse()) {
        try {
          await fn();
        } catch (e) {
          log.error({ err: e }, 'error while closing');
        }
      }
      if (ownsDb) await db.close();
    },
  };
  return deps;
}

export type { Answer, AskInput };

/** The question engine as the app uses it (tests of the Teams glue replace it). */
export interface Answerer {
  answer(input: AskInput): Promise<Answer>;
}

/** src/questions answerQuestion, bound to the store. */
export function engineAnswerer(db: Db): Answerer {
  return { answer: (input) => answerQuestion(db, input) };
}
