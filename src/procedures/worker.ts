import type { Logger } from '../log';
import * as repo from './repo';
import { closeProcedure, SYSTEM, type ProcedureCtx } from './service';

/**
 * The timed work of written procedures, in the database (table procedure_jobs): close at the deadline,
 * reminders, and the coalesced shared-card refresh. Every `serve` instance runs one worker; a job is claimed
 * with FOR UPDATE SKIP LOCKED and a lease, so two instances never run it at once, and a job whose time passed
 * while every instance was down runs at the next start. Effects are idempotent: closing checks the status under
 * the row lock (one close, ever), and cards go through the outbox with fixed keys.
 */
export interface WorkerOptions {
  pollMs?: number;
  leaseMs?: number;
  log?: Logger;
}

export class ProcedureWorker {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private again = false;
  private halting = false;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  /** Jobs this worker finished, by kind and outcome (benchmarks and tests read it). */
  readonly stats: Record<string, number> = {};

  constructor(
    private readonly ctx: ProcedureCtx,
    opts: WorkerOptions = {},
  ) {
    this.pollMs = opts.pollMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.log = opts.log;
  }
  private readonly log?: Logger;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** Look now (a job was scheduled in this process). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    this.again = false;
    try {
      await this.runDue();
    } catch (err) {
      this.log?.error({ err }, 'procedure worker: poll failed');
    } finally {
      this.running = false;
    }
    this.schedule(this.again ? 0 : this.pollMs);
  }

  /** Runs every job due now; returns how many ran. */
  async runDue(max = 100): Promise<number> {
    let n = 0;
    while (n < max && !this.halting) {
      const job = await repo.claimDueJob(this.ctx.db, this.ctx.now(), this.leaseMs);
      if (!job) break;
      n++;
      try {
        const outcome = await this.run(job);
        this.stats[`${job.kind}:${outcome}`] = (this.stats[`${job.kind}:${outcome}`] ?? 0) + 1;
        this.log?.info({ job: job.id, kind: job.kind, procedureId: job.procedure_id, outcome }, 'procedure job done');
      } catch (err) {
        const delay = Math.min(60_000, 1000 * 2 ** Math.min(job.attempts, 6));
        this.log?.error({ err, job: job.id, kind: job.kind, procedureId: job.procedure_id }, 'procedure job failed; will retry');
        await repo.failJob(this.ctx.db, job.id, String((err as Error)?.message ?? err), new Date(this.ctx.now().getTime() + delay)).catch(() => undefined);
      }
    }
    return n;
  }

  private async run(job: repo.JobRow): Promise<string> {
    const { db } = this.ctx;
    switch (job.kind) {
      case 'close':
        return db.transaction(async (tx) => {
          const r = await closeProcedure(this.ctx, SYSTEM, job.procedure_id, 'deadline', tx);
          const outcome = r.closed ? 'closed' : (r.reason ?? 'noop');
          await repo.finishJob(tx, job.id, this.ctx.now(), outcome);
          return outcome;
        });
      case 'remind':
        return db.transaction(async (tx) => {
          const p = await repo.getProcedure(tx, job.procedure_id, 'share');
          let outcome = 'skipped';
          if (p && p.status === 'open' && this.ctx.now() < new Date(p.deadline)) {
            await this.ctx.hooks?.publish?.(tx, { type: 'remind', procedureId: job.procedure_id, runAt: job.run_at });
            outcome = 'sent';
          }
          await repo.finishJob(tx, job.id, this.ctx.now(), outcome);
          return outcome;
        });
      case 'refresh':
        // done first, in its own statement: a vote committing after this point schedules a new refresh
        await repo.finishJob(db, job.id, this.ctx.now(), 'refreshed');
        await db.transaction(async (tx) => {
          // FOR SHARE: a close (FOR UPDATE) waits for this refresh, or this refresh sees it closed; a stale open card
          // can never overwrite the result card
          const p = await repo.getProcedure(tx, job.procedure_id, 'share');
          if (p && p.status === 'open') await this.ctx.hooks?.publish?.(tx, { type: 'progress', procedureId: job.procedure_id });
        });
        return 'refreshed';
    }
  }
}
