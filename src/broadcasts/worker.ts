import { randomBytes } from 'crypto';
import type { Db } from '../store/db';
import type { Logger } from '../log';
import { setConversationStatus } from './conversations';
import {
  broadcastProgress,
  claimDeliveries,
  markDelivered,
  markFailed,
  markRetry,
  nextDueInMs,
  outboxEvents,
  releaseClaim,
  type ClaimedDelivery,
} from './outbox';
import { queueDueReports, type ReportSettings } from './reports';
import { decide, DEFAULT_RETRY, errorFacts, type RetryPolicy } from './retry';
import { CONVERSATION_WINDOWS, SlidingWindowLimiter, type ThrottleKey, type Window } from './throttle';
import type { Messenger, SendTarget } from './types';

export interface WorkerOptions {
  db: Db;
  messenger: Messenger;
  log: Logger;
  /** This instance's name in leases (default: random). */
  owner?: string;
  /** Claimed rows in flight at once (waiting for a throttle slot or sending). */
  concurrency?: number;
  /** A claimed row whose instance dies is retried after this. Must exceed maxThrottleWaitMs + sendTimeoutMs. */
  leaseSeconds?: number;
  /** Requests per second per tenant, shared by the live instances. */
  tenantRate?: number;
  retry?: RetryPolicy;
  pollMs?: number;
  /** A row whose throttle slot is further away than this is given back (not held by this instance). */
  maxThrottleWaitMs?: number;
  sendTimeoutMs?: number;
  /** Other periodic jobs (meeting reminders), run every tickMs. */
  tickers?: Array<() => Promise<void>>;
  tickMs?: number;
  /** Milliseconds clock for the throttle. */
  now?: () => number;
  /**
   * Push delivery reports to the secretariat when a broadcast that asked for one completes (reports.ts).
   * Checked soon after this instance finishes a delivery, and every `sweepMs` for other instances' (or a
   * crashed instance's) broadcasts. Absent: no reports are pushed by this instance.
   */
  reports?: ReportSettings & { sweepMs?: number };
}

/** Limits as sent, with margins for the arrival-time jitter the connector measures. */
function conversationWindows(): Window[] {
  return CONVERSATION_WINDOWS.map((w) => ({ limit: w.limit, ms: w.ms + (w.ms <= 2_000 ? 60 : 200) }));
}
function tenantWindows(perSecond: number, instances = 1): Window[] {
  // never more than `perSecond` in any second (plus a 2% margin for arrival jitter, and 4% more per other
  // instance, whose jitter adds up with ours), spread in tenths of a second rather than one burst, with
  // room to catch up when a busy event loop fired a timer late
  return [
    { limit: perSecond, ms: 1_020 + 40 * Math.max(0, instances - 1) },
    { limit: Math.max(1, Math.ceil(perSecond / 10)), ms: 100 },
  ];
}

/**
 * The delivery worker: claims due outbox rows (skip locked + lease), paces them through the throttle,
 * sends or updates through the Messenger, and records the outcome. One per `serve` instance.
 */
export class DeliveryWorker {
  readonly owner: string;
  private readonly db: Db;
  private readonly messenger: Messenger;
  private readonly log: Logger;
  private readonly concurrency: number;
  private readonly leaseSeconds: number;
  private readonly tenantRate: number;
  private readonly retry: RetryPolicy;
  private readonly pollMs: number;
  private readonly maxThrottleWaitMs: number;
  private readonly sendTimeoutMs: number;
  private readonly tickers: Array<() => Promise<void>>;
  private readonly tickMs: number;
  private readonly now: () => number;
  private readonly reports?: ReportSettings & { sweepMs?: number };
  private readonly limiter = new SlidingWindowLimiter();

  private running = false;
  private loopDone?: Promise<void>;
  private inflight = 0;
  private wake?: () => void;
  private liveWorkers = 1;
  private lastHeartbeat = 0;
  private lastTick = 0;
  private lastProgress = 0;
  private lastReportCheck = 0;
  /** A delivery finished since the last report check (its broadcast may be complete now). */
  private settled = false;
  private readonly touched = new Set<string>();
  private readonly onEnqueued = () => this.wake?.();
  /** Counters for tests and benchmarks. */
  readonly stats = { sent: 0, updated: 0, retried: 0, failed: 0, released: 0, reports: 0 };

  constructor(o: WorkerOptions) {
    this.db = o.db;
    this.messenger = o.messenger;
    this.log = o.log;
    this.owner = o.owner ?? `w_${process.pid}_${randomBytes(4).toString('hex')}`;
    this.concurrency = o.concurrency ?? 64;
    this.leaseSeconds = o.leaseSeconds ?? 60;
    this.tenantRate = o.tenantRate ?? 50;
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.pollMs = o.pollMs ?? 500;
    this.maxThrottleWaitMs = o.maxThrottleWaitMs ?? 2_000;
    this.sendTimeoutMs = o.sendTimeoutMs ?? 15_000;
    this.tickers = o.tickers ?? [];
    this.tickMs = o.tickMs ?? 5_000;
    this.now = o.now ?? Date.now;
    this.reports = o.reports;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    outboxEvents.on('enqueued', this.onEnqueued);
    this.loopDone = this.loop().catch((err) => this.log.error({ err }, 'delivery worker stopped by an error'));
    this.log.info({ owner: this.owner }, 'delivery worker started');
  }

  /** Stops claiming, lets sends in flight finish, gives unsent claims back. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    outboxEvents.off('enqueued', this.onEnqueued);
    this.wake?.();
    await this.loopDone;
    this.pump(); // gives back rows still waiting for a slot
    const deadline = Date.now() + this.sendTimeoutMs + 1_000;
    while (this.inflight > 0 && Date.now() < deadline) await sleep(20);
    await this.db.query('delete from broadcast_workers where id = $1', [this.owner]).catch(() => undefined);
    this.log.info({ owner: this.owner, ...this.stats }, 'delivery worker stopped');
  }

  /** Wakes the loop (something was enqueued in another way than enqueueBroadcast). */
  poke(): void {
    this.wake?.();
  }

  private async loop(): Promise<void> {
    let backoff = 0;
    // join the tenant's rate share before sending: register, then give the other live instances one
    // heartbeat period to see us (they lower their share), so the tenant limit holds while we start
    try {
      await this.housekeeping();
      if (this.liveWorkers > 1) await sleep(HEARTBEAT_MS + 200);
    } catch (err) {
      this.log.error({ err }, 'delivery worker: database error at start');
    }
    while (this.running) {
      try {
        await this.housekeeping();
        const free = this.concurrency - this.inflight;
        let claimed = 0;
        // claim in batches (one query per batch, not per row) unless the worker is idle
        const batch = Math.max(1, Math.min(16, Math.floor(this.concurrency / 4)));
        if (free > 0 && free < batch && this.inflight > 0) {
          await this.waitForWake(this.pollMs);
          continue;
        }
        if (free > 0) {
          const rows = await claimDeliveries(this.db, this.owner, Math.min(free, 100), this.leaseSeconds);
          claimed = rows.length;
          for (const row of rows) this.dispatch(row);
        }
        backoff = 0;
        if (claimed > 0 && claimed === free) {
          await this.waitForWake(this.pollMs); // full: wait for a completion
          continue;
        }
        if (claimed > 0) continue;
        const due = await nextDueInMs(this.db);
        await this.waitForWake(due === null ? this.pollMs : Math.min(this.pollMs, Math.max(10, due)));
      } catch (err) {
        if (!this.running) break;
        backoff = Math.min(10_000, backoff ? backoff * 2 : 250);
        this.log.error({ err, retryInMs: backoff }, 'delivery worker: database error');
        await this.waitForWake(backoff);
      }
    }
  }

  private waitForWake(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(t);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  private async housekeeping(): Promise<void> {
    const t = Date.now();
    if (t - this.lastHeartbeat >= HEARTBEAT_MS) {
      this.lastHeartbeat = t;
      await this.db.query(
        `insert into broadcast_workers (id, seen_at) values ($1, now()) on conflict (id) do update set seen_at = now()`,
        [this.owner],
      );
      const r = await this.db.query<{ n: number }>(`select count(*)::int n from broadcast_workers where seen_at > now() - interval '6 seconds'`);
      const live = Math.max(1, r.rows[0]?.n ?? 1);
      if (live !== this.liveWorkers) this.log.info({ live, tenantRate: Math.floor(this.tenantRate / live) }, 'delivery workers alive');
      this.liveWorkers = live;
      if (Math.random() < 0.05) await this.db.query(`delete from broadcast_workers where seen_at < now() - interval '1 hour'`);
    }
    if (this.tickers.length && t - this.lastTick >= this.tickMs) {
      this.lastTick = t;
      for (const tick of this.tickers) {
        try {
          await tick();
        } catch (err) {
          this.log.error({ err }, 'periodic job failed');
        }
      }
    }
    if (this.reports && t - this.lastReportCheck >= (this.settled ? REPORT_CHECK_MS : (this.reports.sweepMs ?? REPORT_SWEEP_MS))) {
      this.lastReportCheck = t;
      this.settled = false;
      await this.queueReports(this.reports);
    }
    if (this.touched.size && t - this.lastProgress >= 5_000) {
      this.lastProgress = t;
      const ids = [...this.touched];
      this.touched.clear();
      for (const id of ids) {
        const p = await broadcastProgress(this.db, id);
        if (p.pending === 0) this.log.info({ broadcastId: id, ...p }, 'broadcast complete');
        else {
          this.log.info({ broadcastId: id, ...p }, 'broadcast progress');
          this.touched.add(id);
        }
      }
    }
  }

  /** Queues the delivery reports now due. A failure is logged and tried again at the next sweep. */
  private async queueReports(settings: ReportSettings): Promise<void> {
    try {
      for (const q of await queueDueReports(this.db, settings)) {
        if (q.reportBroadcastId) {
          this.stats.reports++;
          this.log.info({ broadcastId: q.broadcastId, reportBroadcastId: q.reportBroadcastId, recipients: q.recipients.length, ...q.counts }, 'delivery report queued for the secretariat');
        } else {
          this.log.warn({ broadcastId: q.broadcastId, startedBy: q.startedBy, ...q.counts }, 'broadcast complete; no secretariat member has a personal chat with the bot, so the delivery report was not sent');
        }
      }
    } catch (err) {
      this.log.error({ err }, 'delivery reports could not be queued');
    }
  }

  private keys(row: ClaimedDelivery): ThrottleKey[] {
    const share = Math.max(1, Math.floor(this.tenantRate / this.liveWorkers));
    return [
      { key: `c:${row.conversationId}`, windows: conversationWindows() },
      { key: `t:${row.tenantId ?? '-'}`, windows: tenantWindows(share, this.liveWorkers) },
    ];
  }

  /**
   * Claimed rows wait in `ready` until the throttle allows them. One pump hands them out: it books a slot
   * at the moment a send really starts (not ahead of time), so a late timer or a busy event loop can only
   * make sends later, never closer together than the limits. The row whose slot comes first goes first,
   * so a conversation at its limit does not hold up the others.
   */
  private readonly ready: Array<{ row: ClaimedDelivery; claimedAt: number }> = [];
  private pumpTimer?: NodeJS.Timeout;

  private dispatch(row: ClaimedDelivery): void {
    this.inflight++;
    this.touched.add(row.broadcastId);
    if (row.conversationStatus !== 'active') {
      this.finish(row, markFailed(this.db, row.id, this.owner, `conversation ${row.conversationStatus}`).then(() => void this.stats.failed++));
      return;
    }
    const now = this.now();
    const at = this.limiter.earliest(this.keys(row), now);
    if (at - now > this.maxThrottleWaitMs) {
      // too far away: give the row back instead of holding it (another instance or a later claim takes it)
      this.finish(row, releaseClaim(this.db, row.id, this.owner, at - now).then(() => void this.stats.released++));
      return;
    }
    this.ready.push({ row, claimedAt: now });
    this.pump();
  }

  private finish(row: ClaimedDelivery, p: Promise<unknown>): void {
    p.catch((err) => this.log.error({ err, deliveryId: row.id }, 'delivery bookkeeping failed')).finally(() => {
      this.inflight--;
      this.settled = true;
      this.wake?.();
    });
  }

  private pump(): void {
    if (this.pumpTimer) {
      clearTimeout(this.pumpTimer);
      this.pumpTimer = undefined;
    }
    for (;;) {
      if (this.ready.length === 0) return;
      const now = this.now();
      if (!this.running) {
        for (const { row } of this.ready.splice(0)) this.finish(row, releaseClaim(this.db, row.id, this.owner, 0).then(() => void this.stats.released++));
        return;
      }
      // a row held so long that its lease could run out before the send ends goes back (never send on an
      // expired lease: another instance may have taken the row over)
      const maxHoldMs = Math.max(this.leaseSeconds * 1000 - this.sendTimeoutMs - 1_000, (this.leaseSeconds * 1000) / 3);
      for (let i = this.ready.length - 1; i >= 0; i--) {
        if (now - this.ready[i].claimedAt > maxHoldMs) {
          const [{ row }] = this.ready.splice(i, 1);
          this.finish(row, releaseClaim(this.db, row.id, this.owner, 0).then(() => void this.stats.released++));
        }
      }
      if (this.ready.length === 0) return;
      // keys are computed now, not at claim time: the tenant share changes as instances come and go, and
      // rows holding an older (smaller) share must not starve behind newer ones
      let best = -1;
      let bestAt = Infinity;
      for (let i = 0; i < this.ready.length; i++) {
        const t = this.limiter.earliest(this.keys(this.ready[i].row), now);
        if (t < bestAt) {
          bestAt = t;
          best = i;
          if (t <= now) break;
        }
      }
      if (bestAt > now) {
        this.pumpTimer = setTimeout(() => this.pump(), Math.max(1, bestAt - now));
        return;
      }
      const [{ row }] = this.ready.splice(best, 1);
      const keys = this.keys(row);
      this.limiter.reserve(keys, now);
      this.finish(row, this.deliver(row, keys));
    }
  }

  private async deliver(row: ClaimedDelivery, keys: ThrottleKey[]): Promise<void> {
    const target: SendTarget & { threadId?: string | null } = {
      conversationId: row.conversationId,
      type: row.conversationType,
      reference: row.reference,
      threadId: row.threadId,
    };
    const isUpdate = !!row.activityId && row.deliveredVersion !== null;
    try {
      if (isUpdate) {
        await withTimeout(this.messenger.update(target, row.activityId!, row.message), this.sendTimeoutMs);
        const ok = await markDelivered(this.db, row.id, this.owner, { version: row.version });
        if (!ok) this.log.warn({ deliveryId: row.id }, 'lease lost before the update was recorded');
        this.stats.updated++;
      } else {
        const res = await withTimeout(this.messenger.send(target, row.message), this.sendTimeoutMs);
        const ok = await markDelivered(this.db, row.id, this.owner, { version: row.version, activityId: res.activityId, threadId: res.threadId });
        if (!ok) this.log.warn({ deliveryId: row.id, activityId: res.activityId }, 'lease lost before the send was recorded');
        this.stats.sent++;
      }
    } catch (err) {
      const d = decide(err, row.attempts, this.retry);
      const status = errorFacts(err).status;
      if (d.action === 'retry') {
        if (d.throttled) this.limiter.block(keys[0].key, this.now() + d.delayMs);
        this.stats.retried++;
        this.log.debug({ deliveryId: row.id, conversationId: row.conversationId, attempts: row.attempts, delayMs: d.delayMs, reason: d.reason }, 'delivery retry');
        await markRetry(this.db, row.id, this.owner, d.delayMs, d.reason, status);
      } else {
        this.stats.failed++;
        this.log.warn({ deliveryId: row.id, conversationId: row.conversationId, reason: d.reason, blocked: d.block }, 'delivery failed');
        await markFailed(this.db, row.id, this.owner, d.reason, status);
        if (d.block) await setConversationStatus(this.db, row.conversationId, 'blocked', d.reason);
        else if (status === 404 && !isUpdate) await setConversationStatus(this.db, row.conversationId, 'removed', d.reason);
      }
    }
  }
}

/** Instances refresh their heartbeat this often; one missing for 3 periods is not counted. */
const HEARTBEAT_MS = 2_000;
/** After a delivery finished here, due reports are looked for this soon; otherwise every REPORT_SWEEP_MS. */
const REPORT_CHECK_MS = 250;
const REPORT_SWEEP_MS = 5_000;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error(`timed out after ${ms} ms`), { timeout: true })), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
