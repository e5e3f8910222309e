import { createHash, randomBytes } from 'crypto';
import { EventEmitter } from 'events';
import type { Db, Queryable } from '../store/db';
import { UserError } from '../errors';
import type { ConversationType, DeliveryStatus, OutboundMessage } from './types';

/**
 * The durable outbox: one `broadcasts` row per logical message (unique `key`), one `deliveries` row per
 * (broadcast, conversation). The worker (worker.ts) claims due rows with `for update skip locked` and a lease.
 *
 * Content versions: a delivery's `version` grows whenever its content changes; `delivered_version` is the
 * version last put into Teams. A delivered row whose content changed goes back to pending and is then
 * *updated* (updateActivity on its activity id) instead of posted again.
 */

/** In-process wake-up for workers: enqueue → the worker polls at once. */
export const outboxEvents = new EventEmitter();
outboxEvents.setMaxListeners(100);

export interface EnqueueInput {
  kind: string;
  key: string;
  targets: Array<string | { conversationId: string; message?: OutboundMessage }>;
  message: OutboundMessage;
  meetingId?: string | null;
  createdBy?: string;
  /**
   * Push the delivery report (kind 'report') when every delivery of the broadcast is final: to the personal
   * chat of `startedBy` (an Entra object id; null: started by the CLI or the system, so every secretariat
   * member gets it). Enqueueing the same key again with new targets re-arms it (the report card is edited).
   */
  report?: { startedBy?: string | null };
}

export interface EnqueueResult {
  broadcastId: string;
  /** The broadcast row is new. */
  created: boolean;
  /** The broadcast's message changed (posted cards will be updated). */
  changed: boolean;
  /** New delivery rows. */
  added: number;
  /** Existing rows whose content changed (to be updated or re-sent). */
  updated: number;
  /** Targets that are unknown, removed or blocked: nothing is queued for them. */
  skipped: string[];
}

export function messageSha(m: OutboundMessage): string {
  return createHash('sha256').update(stableStringify(m)).digest('hex');
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function isDb(q: Queryable | Db): q is Db {
  return typeof (q as Db).transaction === 'function';
}

/** Queues a message for many conversations (idempotent per key; see docs/broadcasts-api.md). */
export async function enqueueBroadcast(db: Queryable | Db, input: EnqueueInput): Promise<EnqueueResult> {
  if (!input.key) throw new UserError('a broadcast needs a key');
  const run = async (tx: Queryable): Promise<EnqueueResult> => {
    const sha = messageSha(input.message);
    const existing = (
      await tx.query<{ id: string; message_sha: string; version: number }>('select id, message_sha, version from broadcasts where key = $1 for update', [input.key])
    ).rows[0];
    let broadcastId: string;
    let created = false;
    let changed = false;
    if (!existing) {
      broadcastId = `b_${randomBytes(9).toString('base64url')}`;
      const ins = await tx.query<{ id: string }>(
        `insert into broadcasts (id, key, kind, meeting_id, message, message_sha, created_by, report_wanted, started_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (key) do nothing returning id`,
        [broadcastId, input.key, input.kind, input.meetingId ?? null, JSON.stringify(input.message), sha, input.createdBy ?? 'system', !!input.report, input.report?.startedBy ?? null],
      );
      if (!ins.rows[0]) throw new Error(`broadcast ${input.key} was created concurrently; try again`);
      created = true;
    } else {
      broadcastId = existing.id;
      if (existing.message_sha !== sha) {
        changed = true;
        await tx.query('update broadcasts set message = $2, message_sha = $3, version = version + 1, updated_at = now() where id = $1', [
          broadcastId,
          JSON.stringify(input.message),
          sha,
        ]);
      }
    }
    // targets, de-duplicated (the last mention of a conversation wins)
    const byId = new Map<string, OutboundMessage | undefined>();
    for (const t of input.targets) {
      if (typeof t === 'string') byId.set(t, undefined);
      else byId.set(t.conversationId, t.message);
    }
    const ids = [...byId.keys()];
    const msgs = ids.map((i) => (byId.get(i) ? JSON.stringify(byId.get(i)) : null));
    const shas = ids.map((i) => (byId.get(i) ? messageSha(byId.get(i)!) : null));
    const active = new Set(
      (await tx.query<{ id: string }>(`select id from conversations where id = any($1::text[]) and status = 'active'`, [ids])).rows.map((r) => r.id),
    );
    const skipped = ids.filter((i) => !active.has(i));
    let added = 0;
    let updated = 0;
    if (ids.length) {
      const r = await tx.query<{ inserted: boolean }>(
        `insert into deliveries (broadcast_id, conversation_id, message, message_sha)
         select $1, t.cid, t.msg::jsonb, t.sha
           from unnest($2::text[], $3::text[], $4::text[]) as t(cid, msg, sha)
           join conversations c on c.id = t.cid and c.status = 'active'
         on conflict (broadcast_id, conversation_id) do update set
           message = excluded.message,
           message_sha = excluded.message_sha,
           version = deliveries.version + 1,
           status = case when deliveries.status = 'sent' or (deliveries.status = 'failed' and deliveries.activity_id is not null) then 'pending' else deliveries.status end,
           attempts = case when deliveries.status = 'sent' or (deliveries.status = 'failed' and deliveries.activity_id is not null) then 0 else deliveries.attempts end,
           next_attempt_at = case when deliveries.status in ('sent', 'failed') then now() else deliveries.next_attempt_at end,
           updated_at = now()
         where ($5::boolean and excluded.message is null) or deliveries.message_sha is distinct from excluded.message_sha
         returning (xmax = 0) inserted`,
        [broadcastId, ids, msgs, shas, changed],
      );
      for (const row of r.rows) (row.inserted ? added++ : updated++);
    }
    if (changed) {
      // rows of this broadcast that were not in this call's targets still get the new content
      const r = await tx.query(
        `update deliveries set version = version + 1,
           status = case when status = 'sent' or (status = 'failed' and activity_id is not null) then 'pending' else status end,
           attempts = case when status = 'sent' or (status = 'failed' and activity_id is not null) then 0 else attempts end,
           next_attempt_at = case when status in ('sent', 'failed') then now() else next_attempt_at end,
           updated_at = now()
         where broadcast_id = $1 and message is null and not (conversation_id = any($2::text[]))`,
        [broadcastId, ids],
      );
      updated += r.rowCount;
    }
    if (input.report && !created) {
      // asked for a report: arm it (once), and re-arm it when this call added targets
      await tx.query(
        `update broadcasts set report_wanted = true, started_by = coalesce($2, started_by),
                report_sent_at = case when $3::boolean then null else report_sent_at end
          where id = $1 and (not report_wanted or $3::boolean)`,
        [broadcastId, input.report.startedBy ?? null, added > 0],
      );
    }
    if (created || changed || added) {
      await tx.query(`insert into audit_log (actor, action, subject, details) values ($1, $2, $3, $4)`, [
        input.createdBy ?? 'system',
        created ? 'broadcasts.enqueue' : 'broadcasts.change',
        broadcastId,
        JSON.stringify({ key: input.key, kind: input.kind, added, updated, skipped: skipped.length }),
      ]);
    }
    return { broadcastId, created, changed, added, updated, skipped };
  };
  const result = isDb(db) ? await db.transaction(run) : await run(db);
  if (result.added || result.updated) outboxEvents.emit('enqueued');
  return result;
}

export interface BroadcastInfo {
  id: string;
  key: string;
  kind: string;
  meetingId: string | null;
  version: number;
  message: OutboundMessage;
  createdBy: string | null;
  /** Entra object id of the secretariat member who started it (null: the CLI or the system). */
  startedBy: string | null;
  reportWanted: boolean;
  /** When the delivery report was queued for the secretariat (null: not yet, or not wanted). */
  reportSentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function getBroadcast(db: Queryable, idOrKey: string): Promise<BroadcastInfo | null> {
  const r = await db.query<{
    id: string;
    key: string;
    kind: string;
    meeting_id: string | null;
    version: number;
    message: OutboundMessage;
    created_by: string | null;
    started_by: string | null;
    report_wanted: boolean;
    report_sent_at: Date | null;
    created_at: Date;
    updated_at: Date;
  }>('select * from broadcasts where id = $1 or key = $1 order by (id = $1) desc limit 1', [idOrKey]);
  const b = r.rows[0];
  if (!b) return null;
  return {
    id: b.id,
    key: b.key,
    kind: b.kind,
    meetingId: b.meeting_id,
    version: b.version,
    message: b.message,
    createdBy: b.created_by,
    startedBy: b.started_by,
    reportWanted: b.report_wanted,
    reportSentAt: b.report_sent_at,
    createdAt: b.created_at,
    updatedAt: b.updated_at,
  };
}

export interface Delivery {
  broadcastId: string;
  conversationId: string;
  status: DeliveryStatus;
  activityId: string | null;
  threadId: string | null;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  sentAt: Date | null;
  version: number;
  deliveredVersion: number | null;
}

interface DeliveryRow {
  broadcast_id: string;
  conversation_id: string;
  status: DeliveryStatus;
  activity_id: string | null;
  thread_id: string | null;
  attempts: number;
  last_error: string | null;
  last_status: number | null;
  sent_at: Date | null;
  version: number;
  delivered_version: number | null;
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    broadcastId: r.broadcast_id,
    conversationId: r.conversation_id,
    status: r.status,
    activityId: r.activity_id,
    threadId: r.thread_id,
    attempts: r.attempts,
    lastError: r.last_error,
    lastStatus: r.last_status,
    sentAt: r.sent_at,
    version: r.version,
    deliveredVersion: r.delivered_version,
  };
}

/** One target's delivery: its status and, once sent, the activity id to update it by. */
export async function deliveryFor(db: Queryable, which: { key: string } | { broadcastId: string }, conversationId: string): Promise<Delivery | null> {
  const r = await db.query<DeliveryRow>(
    `select d.* from deliveries d join broadcasts b on b.id = d.broadcast_id
      where ${'key' in which ? 'b.key' : 'b.id'} = $1 and d.conversation_id = $2`,
    ['key' in which ? which.key : which.broadcastId, conversationId],
  );
  return r.rows[0] ? toDelivery(r.rows[0]) : null;
}

export async function deliveriesOf(db: Queryable, broadcastId: string): Promise<Delivery[]> {
  const r = await db.query<DeliveryRow>('select * from deliveries where broadcast_id = $1 order by id', [broadcastId]);
  return r.rows.map(toDelivery);
}

export interface DeliveryReportTarget {
  conversationId: string;
  type: ConversationType;
  name: string | null;
  /** 'sending' counts as pending: it is not done yet. */
  status: 'sent' | 'failed' | 'pending';
  activityId: string | null;
  attempts: number;
  reason: string | null;
  sentAt: string | null;
}

export interface DeliveryReport {
  broadcast: { id: string; key: string; kind: string; meetingId: string | null; version: number; createdAt: string };
  counts: { total: number; sent: number; failed: number; pending: number };
  done: boolean;
  targets: DeliveryReportTarget[];
}

export async function deliveriesReport(db: Queryable, broadcastIdOrKey: string): Promise<DeliveryReport> {
  const b = await getBroadcast(db, broadcastIdOrKey);
  if (!b) throw new UserError(`no broadcast ${broadcastIdOrKey}`, 'unknown_broadcast');
  const r = await db.query<DeliveryRow & { type: ConversationType; name: string | null }>(
    `select d.*, c.type, c.name from deliveries d join conversations c on c.id = d.conversation_id where d.broadcast_id = $1 order by d.id`,
    [b.id],
  );
  const counts = { total: r.rows.length, sent: 0, failed: 0, pending: 0 };
  const targets: DeliveryReportTarget[] = r.rows.map((d) => {
    const status = d.status === 'sent' ? 'sent' : d.status === 'failed' ? 'failed' : 'pending';
    counts[status]++;
    return {
      conversationId: d.conversation_id,
      type: d.type,
      name: d.name,
      status,
      activityId: d.activity_id,
      attempts: d.attempts,
      reason: status === 'sent' ? null : d.last_error,
      sentAt: d.sent_at ? d.sent_at.toISOString() : null,
    };
  });
  return {
    broadcast: { id: b.id, key: b.key, kind: b.kind, meetingId: b.meetingId, version: b.version, createdAt: b.createdAt.toISOString() },
    counts,
    done: counts.pending === 0,
    targets,
  };
}

export async function listBroadcasts(db: Queryable, opts: { meetingId?: string; limit?: number } = {}): Promise<BroadcastInfo[]> {
  const r = await db.query<{ id: string }>(
    `select id from broadcasts ${opts.meetingId ? 'where meeting_id = $2' : ''} order by created_at desc limit $1`,
    opts.meetingId ? [opts.limit ?? 50, opts.meetingId] : [opts.limit ?? 50],
  );
  const out: BroadcastInfo[] = [];
  for (const row of r.rows) out.push((await getBroadcast(db, row.id))!);
  return out;
}

// ---- worker side ------------------------------------------------------------------------------

export interface ClaimedDelivery {
  id: number;
  broadcastId: string;
  broadcastKey: string;
  kind: string;
  conversationId: string;
  conversationType: ConversationType;
  conversationStatus: 'active' | 'removed' | 'blocked';
  tenantId: string | null;
  reference: Record<string, unknown>;
  message: OutboundMessage;
  version: number;
  deliveredVersion: number | null;
  attempts: number;
  activityId: string | null;
  threadId: string | null;
}

/**
 * Claims up to `limit` due rows for `owner`: pending rows whose time has come, and rows whose lease expired
 * (their instance died). A conversation another live instance is sending to is left to that instance, so
 * per-conversation limits are kept by one throttle.
 */
export async function claimDeliveries(db: Queryable, owner: string, limit: number, leaseSeconds: number): Promise<ClaimedDelivery[]> {
  const r = await db.query<{
    id: string | number;
    broadcast_id: string;
    key: string;
    kind: string;
    conversation_id: string;
    type: ConversationType;
    cstatus: 'active' | 'removed' | 'blocked';
    tenant_id: string | null;
    reference: Record<string, unknown>;
    message: OutboundMessage;
    version: number;
    delivered_version: number | null;
    attempts: number;
    activity_id: string | null;
    thread_id: string | null;
  }>(
    `with c as (
       select d.id from deliveries d
        where ((d.status = 'pending' and d.next_attempt_at <= now()) or (d.status = 'sending' and d.lease_until < now()))
          and not exists (select 1 from deliveries o where o.conversation_id = d.conversation_id and o.status = 'sending'
                            and o.lease_until >= now() and o.lease_owner <> $2)
        order by d.next_attempt_at, d.id
        limit $1
        for update of d skip locked
     )
     update deliveries d set status = 'sending', lease_owner = $2, lease_until = now() + make_interval(secs => $3),
            attempts = d.attempts + 1, updated_at = now()
       from c, broadcasts b, conversations cv
      where d.id = c.id and b.id = d.broadcast_id and cv.id = d.conversation_id
     returning d.id, d.broadcast_id, b.key, b.kind, d.conversation_id, cv.type, cv.status cstatus, cv.tenant_id, cv.reference,
               coalesce(d.message, b.message) message, d.version, d.delivered_version, d.attempts, d.activity_id, d.thread_id`,
    [limit, owner, leaseSeconds],
  );
  return r.rows
    .map((x) => ({
      id: Number(x.id),
      broadcastId: x.broadcast_id,
      broadcastKey: x.key,
      kind: x.kind,
      conversationId: x.conversation_id,
      conversationType: x.type,
      conversationStatus: x.cstatus,
      tenantId: x.tenant_id,
      reference: x.reference,
      message: x.message,
      version: x.version,
      deliveredVersion: x.delivered_version,
      attempts: x.attempts,
      activityId: x.activity_id,
      threadId: x.thread_id,
    }))
    .sort((a, b) => a.id - b.id);
}

/**
 * Records a delivered version. If the content changed meanwhile, the row goes back to pending (and will be
 * updated in place). Returns false when the lease was lost to another instance.
 */
export async function markDelivered(
  db: Queryable,
  id: number,
  owner: string,
  res: { version: number; activityId?: string | null; threadId?: string | null },
): Promise<boolean> {
  const r = await db.query(
    `update deliveries set
        status = case when version > $3 then 'pending' else 'sent' end,
        attempts = case when version > $3 then 0 else attempts end,
        delivered_version = $3,
        activity_id = coalesce(activity_id, $4), thread_id = coalesce(thread_id, $5),
        sent_at = coalesce(sent_at, now()), last_error = null, last_status = null,
        lease_owner = null, lease_until = null, next_attempt_at = now(), updated_at = now()
      where id = $1 and lease_owner = $2 and status = 'sending'`,
    [id, owner, res.version, res.activityId ?? null, res.threadId ?? null],
  );
  return r.rowCount > 0;
}

export async function markRetry(db: Queryable, id: number, owner: string, delayMs: number, reason: string, status?: number): Promise<void> {
  await db.query(
    `update deliveries set status = 'pending', next_attempt_at = now() + make_interval(secs => $3), last_error = $4, last_status = $5,
        lease_owner = null, lease_until = null, updated_at = now()
      where id = $1 and lease_owner = $2 and status = 'sending'`,
    [id, owner, delayMs / 1000, reason, status ?? null],
  );
}

export async function markFailed(db: Queryable, id: number, owner: string, reason: string, status?: number): Promise<void> {
  await db.query(
    `update deliveries set status = 'failed', last_error = $3, last_status = $4, lease_owner = null, lease_until = null, updated_at = now()
      where id = $1 and lease_owner = $2 and status = 'sending'`,
    [id, owner, reason, status ?? null],
  );
}

/** Gives a claimed row back unsent (its throttle slot is too far away): not counted as an attempt. */
export async function releaseClaim(db: Queryable, id: number, owner: string, notBeforeMs: number): Promise<void> {
  await db.query(
    `update deliveries set status = 'pending', attempts = greatest(attempts - 1, 0), next_attempt_at = now() + make_interval(secs => $3),
        lease_owner = null, lease_until = null, updated_at = now()
      where id = $1 and lease_owner = $2 and status = 'sending'`,
    [id, owner, Math.max(0, notBeforeMs) / 1000],
  );
}

/** Seconds until the next pending row is due (null: nothing pending). */
export async function nextDueInMs(db: Queryable): Promise<number | null> {
  const r = await db.query<{ ms: number | null }>(
    `select (extract(epoch from (min(case when status = 'pending' then next_attempt_at else lease_until end) - now())) * 1000)::float8 ms
       from deliveries where status in ('pending', 'sending')`,
  );
  const ms = r.rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
}

export async function broadcastProgress(db: Queryable, broadcastId: string): Promise<{ total: number; sent: number; failed: number; pending: number }> {
  const r = await db.query<{ status: DeliveryStatus; n: number }>('select status, count(*)::int n from deliveries where broadcast_id = $1 group by status', [broadcastId]);
  const out = { total: 0, sent: 0, failed: 0, pending: 0 };
  for (const row of r.rows) {
    out.total += row.n;
    if (row.status === 'sent') out.sent += row.n;
    else if (row.status === 'failed') out.failed += row.n;
    else out.pending += row.n;
  }
  return out;
}
