import type { Config } from '../config';
import type { Logger } from '../log';
import type { Db } from '../store/db';
import { publisher } from './publish';
import type { ProcedureCtx } from './service';
import { ProcedureWorker, type WorkerOptions } from './worker';

export * from './service';
export { ProcedureWorker } from './worker';

/**
 * The procedures capability wired for a process: the domain context (publishing cards through the broadcasts
 * outbox) and, for `serve`, the worker that closes at the deadline and sends reminders.
 */
export function procedureContext(deps: { db: Db; config: Config; now?: () => Date }, wake?: () => void): ProcedureCtx {
  const now = deps.now ?? (() => new Date());
  return { db: deps.db, config: deps.config, now, hooks: { publish: publisher(now), wake } };
}

export function startProcedures(deps: { db: Db; config: Config; now?: () => Date; log?: Logger }, opts: WorkerOptions = {}): { ctx: ProcedureCtx; worker: ProcedureWorker } {
  let worker: ProcedureWorker | null = null;
  const ctx = procedureContext(deps, () => worker?.wake());
  worker = new ProcedureWorker(ctx, { log: deps.log, ...opts });
  worker.start();
  return { ctx, worker };
}
