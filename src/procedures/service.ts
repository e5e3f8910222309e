import { randomBytes } from 'crypto';
import { DateTime } from 'luxon';
import type { Config } from '../config';
import { UserError, UsageError } from '../errors';
import type { Db, Queryable } from '../store/db';
import { ensureKnownForums, meetingIdPrefix, getForum } from '../store/forums';
import { localDate, toLocalIso, ZONE } from '../store/time';
import { ProcedureSpec, VoteInput, type ExplicitVoter } from './model';
import * as repo from './repo';
import { listRoster, resolveForum } from './roster';
import { decisionText, meetingOutcome, tallyItem, type Choice, type ItemTally, type Rule } from './tally';

/**
 * Written procedures: the domain service. No botbuilder here: the Teams glue (src/teams/procedures.ts) and the CLI
 * (src/cli/procedures.ts) translate to these calls. Identity comes from `Actor`, which the caller builds from the
 * authenticated activity (from.aadObjectId, the conversation's tenant) — never from card data.
 */

export type ProcedureConfig = Pick<Config, 'SECRETARIAT_AAD_IDS' | 'ALLOWED_TENANT_IDS' | 'MicrosoftAppTenantId' | 'MicrosoftAppId' | 'PROCEDURE_REMINDER_OFFSETS'>;

/** Hooks for what happens after a state change commits (cards, wake the worker). All optional. */
export interface ProcedureHooks {
  /** Inside the state change's transaction: publish cards through the broadcasts outbox. */
  publish?: (tx: Queryable, event: PublishEvent) => Promise<void>;
  /** A job was scheduled: the in-process worker may want to look sooner. */
  wake?: () => void;
}

export type PublishEvent =
  | { type: 'opened'; procedureId: string }
  | { type: 'progress'; procedureId: string }
  | { type: 'extended'; procedureId: string; previousDeadline: Date }
  | { type: 'cancelled'; procedureId: string }
  | { type: 'closed'; procedureId: string }
  | { type: 'substitute'; procedureId: string; member: string; substitute: string }
  | { type: 'remind'; procedureId: string; runAt: Date };

export interface ProcedureCtx {
  db: Db;
  config: ProcedureConfig;
  now: () => Date;
  hooks?: ProcedureHooks;
}

/** Who acts: the CLI (a local operator) or a Teams user from an authenticated activity. */
export type Actor = { kind: 'cli' } | { kind: 'system' } | TeamsActor;
export interface TeamsActor {
  kind: 'teams';
  aadObjectId: string;
  name?: string | null;
  tenantId?: string | null;
  /** 29:… (MRI) */
  teamsUserId?: string | null;
}
export const CLI: Actor = { kind: 'cli' };
export const SYSTEM: Actor = { kind: 'system' };
const actorId = (a: Actor) => (a.kind === 'teams' ? a.aadObjectId : a.kind);

/** The tenant the M365 Agents Playground (local try-out) sends. */
export const LOCAL_DEV_TENANT_ID = '00000000-0000-0000-0000-000000000001';

/** ALLOWED_TENANT_IDS, else MicrosoftAppTenantId; in local mode with neither: the local dev tenant. Lower-cased. */
export function allowedTenants(c: ProcedureConfig): string[] {
  if (c.ALLOWED_TENANT_IDS.length) return c.ALLOWED_TENANT_IDS.map((t) => t.toLowerCase());
  if (c.MicrosoftAppTenantId) return [c.MicrosoftAppTenantId.toLowerCase()];
  return c.MicrosoftAppId ? [] : [LOCAL_DEV_TENANT_ID];
}

export function tenantAllowed(c: ProcedureConfig, tenantId: string | null | undefined): boolean {
  return !!tenantId && allowedTenants(c).includes(tenantId.toLowerCase());
}

const MSG = {
  wrongTenant: 'Din organisation har ikke adgang til at stemme i denne procedure.',
  notVoter: 'Du er ikke stemmeberettiget i denne skriftlige procedure. Kontakt sekretariatet, hvis det er en fejl.',
  closed: 'Afstemningen er lukket. Din stemme blev ikke registreret.',
  cancelled: 'Proceduren er annulleret. Din stemme blev ikke registreret.',
  deadline: (d: Date) => `Fristen udløb ${formatDeadline(d)}. Din stemme blev ikke registreret.`,
  unknown: 'Proceduren findes ikke.',
  unknownItem: 'Punktet findes ikke i proceduren.',
  noIdentity: 'Vi kunne ikke se, hvem du er. Prøv igen fra Teams.',
};

const formatted = new Map<number, string>();
/** "1. december 2026 kl. 12:00" (Copenhagen). Memoised: every card shows it, and luxon formatting is not cheap. */
export function formatDeadline(d: Date): string {
  const ms = new Date(d).getTime();
  let s = formatted.get(ms);
  if (s === undefined) {
    s = DateTime.fromMillis(ms, { zone: ZONE }).setLocale('da').toFormat("d. MMMM yyyy 'kl.' HH:mm");
    if (formatted.size > 5000) formatted.clear();
    formatted.set(ms, s);
  }
  return s;
}

/** Reads a deadline: ISO with offset, or a local Copenhagen time without one. */
export function parseDeadline(s: string): Date {
  const d = DateTime.fromISO(s.trim().replace(' ', 'T'), { zone: ZONE, setZone: false });
  if (!d.isValid) throw new UsageError(`Ugyldig frist: "${s}" (brug fx 2026-12-01T12:00:00+01:00)`);
  return d.toJSDate();
}

function newProcedureId(now: Date): string {
  return `sp-${localDate(now).replace(/-/g, '')}-${randomBytes(3).toString('hex')}`;
}

// ---- authorisation ---------------------------------------------------------------------------

export async function isSecretariat(q: Queryable, c: ProcedureConfig, actor: Actor, forumId?: string): Promise<boolean> {
  if (actor.kind === 'cli' || actor.kind === 'system') return true;
  if (!tenantAllowed(c, actor.tenantId)) return false;
  const id = actor.aadObjectId.toLowerCase();
  if (c.SECRETARIAT_AAD_IDS.some((s) => s.toLowerCase() === id)) return true;
  const r = await q.query(
    `select 1 from roster_members where lower(aad_object_id) = $1 and role = 'secretariat' ${forumId ? 'and forum_id = $2' : ''} limit 1`,
    forumId ? [id, forumId] : [id],
  );
  return r.rows.length > 0;
}

async function requireSecretariat(q: Queryable, ctx: ProcedureCtx, actor: Actor, forumId: string): Promise<void> {
  if (!(await isSecretariat(q, ctx.config, actor, forumId))) throw new UserError('Kun sekretariatet kan gøre det.', 'forbidden');
}

// ---- opening --------------------------------------------------------------------------------

export interface Created {
  id: string;
  meetingId: string;
  voters: number;
  items: number;
  deadline: string;
}

function specError(e: { issues: Array<{ path: PropertyKey[]; message: string }> }): UserError {
  return new UserError(`Ugyldig procedure: ${e.issues.map((i) => `${i.path.map(String).join('.') || '(spec)'}: ${i.message}`).join('; ')}`, 'bad_spec');
}

/** Opens a written procedure from a spec (CLI --file, the chat dialog, or an imported agenda). */
export async function createProcedure(ctx: ProcedureCtx, actor: Actor, specIn: unknown): Promise<Created> {
  const parsed = ProcedureSpec.safeParse(specIn);
  if (!parsed.success) throw specError(parsed.error);
  const spec = parsed.data;
  const now = ctx.now();
  const deadline = parseDeadline(spec.deadline);
  if (deadline.getTime() <= now.getTime()) throw new UserError(`Fristen ${formatDeadline(deadline)} er allerede passeret.`, 'deadline_passed');
  await ensureKnownForums(ctx.db);
  const id = newProcedureId(now);
  const created = await ctx.db.transaction(async (tx) => {
    const forum = await resolveForum(tx, spec.forum);
    await requireSecretariat(tx, ctx, actor, forum.id);
    const voters = await snapshotVoters(tx, forum.id, spec.voters);
    const meetingId = spec.meetingId ? await attachMeeting(tx, spec.meetingId, forum.id) : await createMeeting(tx, forum.id, spec.title, spec.items, now, deadline);
    await tx.query(
      `insert into procedures (id, forum_id, meeting_id, title, deadline, rule, quorum, status, created_by, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)`,
      [id, forum.id, meetingId, spec.title, deadline, spec.rule, spec.quorum, actorId(actor), now],
    );
    const positions = await meetingItemPositions(tx, meetingId, spec.items.length);
    for (const [i, item] of spec.items.entries()) {
      await tx.query(
        'insert into procedure_items (procedure_id, number, title, recommendation, attachments, meeting_item_position) values ($1, $2, $3, $4, $5, $6)',
        [id, i + 1, item.title, item.recommendation, item.attachments, positions[i] ?? null],
      );
    }
    await tx.query(
      `insert into procedure_voters (procedure_id, aad_object_id, name, organisation)
       select $1, v.aad, v.name, v.org from unnest($2::text[], $3::text[], $4::text[]) as v(aad, name, org)`,
      [id, voters.map((v) => v.aadObjectId), voters.map((v) => v.name), voters.map((v) => v.organisation)],
    );
    // the current view: one row per (item, voter), choice null until they vote
    await tx.query(
      `insert into procedure_votes (procedure_id, item_number, voter)
       select $1, i.number, v.aad_object_id from procedure_items i cross join procedure_voters v
        where i.procedure_id = $1 and v.procedure_id = $1`,
      [id],
    );
    await scheduleDeadlineJobs(tx, ctx, id, deadline, now);
    await repo.audit(tx, actorId(actor), 'procedure.created', id, {
      forum: forum.id,
      title: spec.title,
      deadline: toLocalIso(deadline),
      rule: spec.rule,
      quorum: spec.quorum,
      voters: voters.length,
      items: spec.items.length,
      meetingId,
    });
    await ctx.hooks?.publish?.(tx, { type: 'opened', procedureId: id });
    return { id, meetingId, voters: voters.length, items: spec.items.length, deadline: toLocalIso(deadline) };
  });
  ctx.hooks?.wake?.();
  return created;
}

async function snapshotVoters(tx: Queryable, forumId: string, spec: 'roster' | ExplicitVoter[]): Promise<ExplicitVoter[]> {
  let voters: ExplicitVoter[];
  if (spec === 'roster') {
    voters = (await listRoster(tx, forumId)).filter((m) => m.votes).map((m) => ({ aadObjectId: m.aadObjectId, name: m.name, organisation: m.organisation }));
    if (!voters.length) throw new UserError('Forummets roster har ingen stemmeberettigede. Importér rosteren først (forumbot roster import).', 'empty_roster');
  } else voters = spec;
  const seen = new Set<string>();
  for (const v of voters) {
    const k = v.aadObjectId.toLowerCase();
    if (seen.has(k)) throw new UserError(`Vælgeren ${v.name} (${v.aadObjectId}) står to gange på listen.`, 'bad_spec');
    seen.add(k);
  }
  return voters;
}

async function attachMeeting(tx: Queryable, meetingId: string, forumId: string): Promise<string> {
  const r = await tx.query<{ forum_id: string }>('select forum_id from meetings where id = $1', [meetingId]);
  if (!r.rows[0]) throw new UserError(`Mødet ${meetingId} findes ikke.`, 'unknown_meeting');
  if (r.rows[0].forum_id !== forumId) throw new UserError(`Mødet ${meetingId} hører til et andet forum.`, 'bad_spec');
  return meetingId;
}

/** Positions of the meeting's items, in document order: proposal n belongs to the n-th item. */
async function meetingItemPositions(tx: Queryable, meetingId: string, n: number): Promise<number[]> {
  const r = await tx.query<{ position: number }>('select position from items where meeting_id = $1 order by position limit $2', [meetingId, n]);
  return r.rows.map((x) => x.position);
}

/** A meeting of kind written_procedure for a procedure opened without one, so the decisions have a home. */
async function createMeeting(
  tx: Queryable,
  forumId: string,
  title: string,
  items: Array<{ title: string; recommendation: string | null; attachments: string[] }>,
  now: Date,
  deadline: Date,
): Promise<string> {
  const forum = await getForum(tx, forumId);
  if (!forum) throw new UserError(`Ukendt forum: ${forumId}`, 'unknown_forum');
  const base = `${meetingIdPrefix(forum)}-${localDate(deadline)}-sp`;
  let id = base;
  for (let n = 2; (await tx.query('select 1 from meetings where id = $1', [id])).rows.length; n++) id = `${base}${n}`;
  const meetingItems = items.map((it, i) => ({
    number: i + 1,
    title: it.title,
    background: null,
    recommendation: it.recommendation,
    decision: null,
    outcome: null,
    attachments: it.attachments,
  }));
  const data = {
    id,
    forum: forum.name,
    title,
    kind: 'written_procedure',
    status: 'agenda',
    start: toLocalIso(now),
    end: toLocalIso(deadline),
    location: 'Skriftlig procedure i Teams',
    participants: [],
    absent: [],
    items: meetingItems,
    nextMeeting: null,
    source: { file: null, sha256: null, format: null },
  };
  await tx.query(
    `insert into meetings (id, forum_id, title, kind, status, start_at, end_at, start_local, end_local, meeting_date, location, data)
     values ($1, $2, $3, 'written_procedure', 'agenda', $4, $5, $6, $7, $8, $9, $10)`,
    [id, forumId, title, now, deadline, data.start, data.end, localDate(now), data.location, JSON.stringify(data)],
  );
  for (const it of meetingItems) {
    await tx.query(
      'insert into items (meeting_id, position, number, title, recommendation, attachments) values ($1, $2, $3, $4, $5, $6)',
      [id, it.number, it.number, it.title, it.recommendation, it.attachments],
    );
  }
  return id;
}

async function scheduleDeadlineJobs(tx: Queryable, ctx: ProcedureCtx, id: string, deadline: Date, now: Date): Promise<void> {
  await repo.scheduleJob(tx, id, 'close', deadline);
  for (const off of ctx.config.PROCEDURE_REMINDER_OFFSETS) {
    const at = new Date(deadline.getTime() - off);
    if (at.getTime() > now.getTime()) await repo.scheduleJob(tx, id, 'remind', at);
  }
}

/** From an imported agenda of kind written_procedure: each item becomes a proposal. */
export async function createFromMeeting(
  ctx: ProcedureCtx,
  actor: Actor,
  meetingId: string,
  opts: { deadline: string; rule?: Rule; quorum?: number; voters?: 'roster' | ExplicitVoter[]; title?: string },
): Promise<Created> {
  const m = await ctx.db.query<{ forum_id: string; title: string | null; kind: string; status: string; forum_name: string }>(
    'select m.forum_id, m.title, m.kind, m.status, f.name forum_name from meetings m join forums f on f.id = m.forum_id where m.id = $1',
    [meetingId],
  );
  const meeting = m.rows[0];
  if (!meeting) throw new UserError(`Mødet ${meetingId} findes ikke.`, 'unknown_meeting');
  if (meeting.kind !== 'written_procedure') throw new UserError(`Mødet ${meetingId} er ikke en skriftlig procedure (kind ${meeting.kind}).`, 'bad_meeting');
  if (meeting.status === 'minutes') throw new UserError(`Mødet ${meetingId} har allerede et referat med beslutninger; importér dagsordenen, før den afgøres.`, 'already_decided');
  const open = await ctx.db.query("select id from procedures where meeting_id = $1 and status = 'open'", [meetingId]);
  if (open.rows.length) throw new UserError(`Der er allerede en åben procedure for mødet: ${(open.rows[0] as { id: string }).id}`, 'already_open');
  const items = await ctx.db.query<{ title: string; recommendation: string | null; attachments: string[] }>(
    'select title, recommendation, attachments from items where meeting_id = $1 order by position',
    [meetingId],
  );
  if (!items.rows.length) throw new UserError(`Mødet ${meetingId} har ingen punkter.`, 'bad_meeting');
  return createProcedure(ctx, actor, {
    forum: meeting.forum_id,
    title: opts.title ?? meeting.title ?? `Skriftlig procedure ${meetingId}`,
    deadline: opts.deadline,
    rule: opts.rule ?? 'majority',
    quorum: opts.quorum ?? 0,
    items: items.rows.map((r) => ({ title: r.title, recommendation: r.recommendation, attachments: r.attachments ?? [] })),
    voters: opts.voters ?? 'roster',
    meetingId,
  });
}

// ---- voting ---------------------------------------------------------------------------------

export type VoteStatus = 'recorded' | 'unchanged' | 'duplicate' | 'refused';
export type RefusalCode = 'wrong_tenant' | 'not_voter' | 'closed' | 'cancelled' | 'deadline' | 'unknown_procedure' | 'unknown_item' | 'no_identity';

export interface VoteResult {
  status: VoteStatus;
  code?: RefusalCode;
  /** For the card: what happened, in Danish. */
  message: string;
  procedureId: string;
  /** The ballot the vote went to (the member, when a substitute voted). */
  voter?: string;
  /** The procedure's state and this ballot as the vote left them (for the clicker's card); absent when no ballot was found. */
  view?: VoteView;
}

/** Which ballot the actor may fill: their own, or the member's they substitute for. Null: not allowed. */
export async function ballotFor(q: Queryable, procedureId: string, aadObjectId: string, onBehalfOf?: string | null): Promise<string | null> {
  const r = await q.query<{ voter: string; own: boolean }>(
    `select aad_object_id voter, true own from procedure_voters where procedure_id = $1 and lower(aad_object_id) = lower($2)
     union all
     select member_aad_object_id, false from procedure_substitutes where procedure_id = $1 and lower(substitute_aad_object_id) = lower($2)`,
    [procedureId, aadObjectId],
  );
  if (!r.rows.length) return null;
  if (onBehalfOf) return r.rows.find((x) => x.voter.toLowerCase() === onBehalfOf.toLowerCase())?.voter ?? null;
  return (r.rows.find((x) => x.own) ?? r.rows[0]).voter;
}

/** What a vote's own card needs, read by the vote's statement itself (no second query on the hot path). */
export interface VoteView {
  status: repo.ProcedureStatus;
  deadline: Date;
  closedAt: Date | null;
  closeReason: string | null;
  result: unknown;
  voterName: string | null;
  /** The ballot this person fills, after this vote. */
  ballot: repo.BallotRow[];
  /** The substitute named for this ballot's member, if any. */
  substitute: { aadObjectId: string; name: string } | null;
}

/** What procedure_cast_vote (migration 0301) returns. */
interface VoteRow {
  r_known: boolean;
  r_status: repo.ProcedureStatus | null;
  r_deadline: Date | null;
  r_closed_at: Date | null;
  r_close_reason: string | null;
  r_result: unknown;
  r_voter: string | null;
  r_voter_name: string | null;
  r_fresh: boolean;
  r_found: boolean;
  r_changed: boolean;
  r_prev: Choice | null;
  r_job_at: Date | null;
  r_pending_at: Date | null;
  r_ballot: Array<[number, Choice | null, string | null]> | null;
  r_substitute_id: string | null;
  r_substitute_name: string | null;
}

/**
 * Records one vote. Server-enforced: tenant, roster voter or named substitute, open and before the deadline
 * (server clock), one current choice per item (a change replaces it; the history keeps both), and the same
 * invoke (Teams retries) counts once. One round trip and one commit: the database function procedure_cast_vote
 * (migration 0301_procedure_vote.sql) runs the checks and writes under the procedure's row lock, and returns
 * the procedure's state and the ballot after the vote for the clicker's card.
 */
export async function castVote(ctx: ProcedureCtx, actor: TeamsActor, input: unknown, invokeId?: string | null): Promise<VoteResult> {
  const v = VoteInput.parse(input);
  const base = { procedureId: v.procedureId };
  if (!actor.aadObjectId) return { ...base, status: 'refused', code: 'no_identity', message: MSG.noIdentity };
  if (!tenantAllowed(ctx.config, actor.tenantId)) return { ...base, status: 'refused', code: 'wrong_tenant', message: MSG.wrongTenant };
  const now = ctx.now();
  const comment = v.comment?.trim() || null;
  const known = pendingRefresh.get(v.procedureId);
  const wantRefresh = !(known !== undefined && now.getTime() < known - REFRESH_MARGIN_MS);
  const r = (
    await ctx.db.query<VoteRow>('select * from procedure_cast_vote($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', [
      v.procedureId,
      v.item,
      actor.aadObjectId,
      v.onBehalfOf || null,
      v.choice,
      comment,
      now,
      actor.name ?? null,
      invokeId ?? null,
      wantRefresh,
      new Date(now.getTime() + REFRESH_DELAY_MS),
    ])
  ).rows[0];
  if (!r || !r.r_known) return { ...base, status: 'refused', code: 'unknown_procedure', message: MSG.unknown };
  const voter = r.r_voter;
  if (!voter) return { ...base, status: 'refused', code: 'not_voter', message: MSG.notVoter };
  const deadline = new Date(r.r_deadline!);
  const view: VoteView = {
    status: r.r_status!,
    deadline,
    closedAt: r.r_closed_at ? new Date(r.r_closed_at) : null,
    closeReason: r.r_close_reason,
    result: r.r_result,
    voterName: r.r_voter_name,
    ballot: (r.r_ballot ?? []).map(([item_number, choice, c]) => ({ item_number, voter, choice, comment: c })),
    substitute: r.r_substitute_id ? { aadObjectId: r.r_substitute_id, name: r.r_substitute_name ?? r.r_substitute_id } : null,
  };
  const out = (x: Omit<VoteResult, 'procedureId' | 'voter' | 'view'>): VoteResult => ({ ...base, voter, view, ...x });
  if (r.r_status === 'cancelled') return out({ status: 'refused', code: 'cancelled', message: MSG.cancelled });
  if (r.r_status === 'closed') return out({ status: 'refused', code: 'closed', message: MSG.closed });
  if (now.getTime() >= deadline.getTime()) return out({ status: 'refused', code: 'deadline', message: MSG.deadline(deadline) });
  if (!r.r_fresh) return out({ status: 'duplicate', message: 'Din stemme er allerede registreret.' });
  if (!r.r_found) return out({ status: 'refused', code: 'unknown_item', message: MSG.unknownItem });
  if (!r.r_changed) return out({ status: 'unchanged', message: `Din stemme på punkt ${v.item} er uændret.` });
  await afterVote(ctx, v.procedureId, r).catch(() => undefined);
  return out({
    status: 'recorded',
    message: r.r_prev ? `Din stemme på punkt ${v.item} er ændret til ${choiceLabel(v.choice)}.` : `Din stemme på punkt ${v.item} er registreret: ${choiceLabel(v.choice)}.`,
  });
}

/**
 * After a recorded vote commits: make sure a refresh of the shared card will run after it. The statement inserted the
 * job (it commits with the vote), or saw a pending one, or this process knew one. A job counts only while its run_at is
 * comfortably ahead now, after the commit: the worker marks a job done before it reads, so a job that has not started
 * yet will read this vote. Otherwise (rare: the statement waited long, or the job is due) ask again.
 */
async function afterVote(ctx: ProcedureCtx, procedureId: string, r: Pick<VoteRow, 'r_job_at' | 'r_pending_at'>): Promise<void> {
  if (r.r_job_at) {
    rememberRefresh(procedureId, new Date(r.r_job_at).getTime());
    ctx.hooks?.wake?.();
    return;
  }
  if (r.r_pending_at) rememberRefresh(procedureId, new Date(r.r_pending_at).getTime());
  const known = pendingRefresh.get(procedureId);
  if (known !== undefined && ctx.now().getTime() < known - REFRESH_MARGIN_MS) return;
  await requestRefresh(ctx, procedureId);
}

function rememberRefresh(procedureId: string, runAt: number): void {
  if (pendingRefresh.size > 1000) pendingRefresh.clear();
  pendingRefresh.set(procedureId, runAt);
}

const choiceLabel = (c: Choice) => ({ for: 'For', against: 'Imod', abstain: 'Undlader', meeting: 'Ønsker møde' })[c];

/**
 * Coalesced update of the shared card's progress: at most one pending refresh job per procedure, requested after the
 * vote commits (the job marks itself done before it reads, so a vote committed before the job ran is always shown).
 * A job this process knows to be pending with run_at comfortably in the future needs no query at all.
 */
const pendingRefresh = new Map<string, number>();
export async function requestRefresh(ctx: ProcedureCtx, procedureId: string): Promise<void> {
  const now = ctx.now().getTime();
  const known = pendingRefresh.get(procedureId);
  if (known !== undefined && now < known - REFRESH_MARGIN_MS) return;
  const pending = await ctx.db.query<{ run_at: Date }>("select run_at from procedure_jobs where procedure_id = $1 and kind = 'refresh' and done_at is null limit 1", [procedureId]);
  let runAt: number | null = pending.rows[0] ? new Date(pending.rows[0].run_at).getTime() : null;
  if (runAt === null) {
    const at = new Date(now + REFRESH_DELAY_MS);
    const ins = await ctx.db.query<{ run_at: Date }>("insert into procedure_jobs (procedure_id, kind, run_at) values ($1, 'refresh', $2) on conflict do nothing returning run_at", [procedureId, at]);
    runAt = ins.rows[0] ? at.getTime() : null;
    ctx.hooks?.wake?.();
  }
  if (runAt !== null) rememberRefresh(procedureId, runAt);
}
/** A known pending refresh is trusted only while its run_at is at least this far ahead (clocks of instances differ a little). */
const REFRESH_MARGIN_MS = 500;
export const REFRESH_DELAY_MS = 1500;

// ---- substitutes ------------------------------------------------------------------------------

/**
 * A member names a substitute (stedfortræder) for one procedure; the secretariat may do it for a member.
 * The substitute is found on the forum's roster by object id or name.
 */
export async function nameSubstitute(
  ctx: ProcedureCtx,
  actor: Actor,
  procedureId: string,
  args: { member?: string | null; substitute: string },
): Promise<{ member: string; memberName: string; substitute: string; substituteName: string }> {
  if (actor.kind === 'teams' && !tenantAllowed(ctx.config, actor.tenantId)) throw new UserError(MSG.wrongTenant, 'wrong_tenant');
  const now = ctx.now();
  const out = await ctx.db.transaction(async (tx) => {
    const p = await repo.getProcedure(tx, procedureId, 'update');
    if (!p) throw new UserError(MSG.unknown, 'unknown_procedure');
    if (p.status !== 'open' || now >= new Date(p.deadline)) throw new UserError('Proceduren er ikke åben længere.', 'closed');
    const secretariat = await isSecretariat(tx, ctx.config, actor, p.forum_id);
    const memberKey = args.member ?? (actor.kind === 'teams' ? actor.aadObjectId : null);
    if (!memberKey) throw new UsageError('Angiv hvilket medlem stedfortræderen stemmer for (--member).');
    const voters = await repo.getVoters(tx, procedureId);
    const people = voters.map((x) => ({ id: x.aad_object_id, name: x.name }));
    // a member naming their own substitute is found by the authenticated object id only, never by a name
    const self = !args.member && actor.kind === 'teams';
    const member = self ? (people.find((x) => x.id.toLowerCase() === memberKey.toLowerCase()) ?? null) : findPerson(people, memberKey);
    if (!member) throw new UserError(self ? MSG.notVoter : `${memberKey} er ikke stemmeberettiget i proceduren.`, 'not_voter');
    if (!secretariat && (actor.kind !== 'teams' || member.id.toLowerCase() !== actor.aadObjectId.toLowerCase())) {
      throw new UserError('Kun medlemmet selv eller sekretariatet kan udpege en stedfortræder.', 'forbidden');
    }
    if (!secretariat) {
      // a member (roster role member, or a voter the secretariat listed who is not on the roster) — not a substitute
      const role = await tx.query<{ role: string }>('select role from roster_members where forum_id = $1 and lower(aad_object_id) = lower($2)', [p.forum_id, member.id]);
      if (role.rows[0] && role.rows[0].role !== 'member') throw new UserError('Kun forummets medlemmer kan udpege en stedfortræder.', 'forbidden');
    }
    const roster = await listRoster(tx, p.forum_id);
    const sub = findPerson(roster.map((x) => ({ id: x.aadObjectId, name: x.name })), args.substitute);
    if (!sub) throw new UserError(`${args.substitute} står ikke på forummets roster. Sekretariatet kan tilføje stedfortrædere (rolle substitute).`, 'unknown_substitute');
    if (sub.id.toLowerCase() === member.id.toLowerCase()) throw new UserError('Et medlem kan ikke være sin egen stedfortræder.', 'bad_substitute');
    if (voters.some((x) => x.aad_object_id.toLowerCase() === sub.id.toLowerCase())) throw new UserError(`${sub.name} stemmer allerede selv i proceduren.`, 'bad_substitute');
    const taken = await tx.query<{ member_aad_object_id: string }>(
      'select member_aad_object_id from procedure_substitutes where procedure_id = $1 and lower(substitute_aad_object_id) = lower($2) and member_aad_object_id <> $3',
      [procedureId, sub.id, member.id],
    );
    if (taken.rows.length) throw new UserError(`${sub.name} er allerede stedfortræder for et andet medlem i proceduren.`, 'bad_substitute');
    await tx.query(
      `insert into procedure_substitutes (procedure_id, member_aad_object_id, substitute_aad_object_id, substitute_name, named_by, named_at)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (procedure_id, member_aad_object_id) do update
         set substitute_aad_object_id = excluded.substitute_aad_object_id, substitute_name = excluded.substitute_name,
             named_by = excluded.named_by, named_at = excluded.named_at`,
      [procedureId, member.id, sub.id, sub.name, actorId(actor), now],
    );
    await repo.audit(tx, actorId(actor), 'procedure.substitute', procedureId, {
      member: member.id,
      memberName: member.name,
      substitute: sub.id,
      substituteName: sub.name,
    });
    await ctx.hooks?.publish?.(tx, { type: 'substitute', procedureId, member: member.id, substitute: sub.id });
    return { member: member.id, memberName: member.name, substitute: sub.id, substituteName: sub.name };
  });
  return out;
}

function findPerson(people: Array<{ id: string; name: string }>, key: string): { id: string; name: string } | null {
  const k = key.trim().toLowerCase();
  const byId = people.find((p) => p.id.toLowerCase() === k);
  if (byId) return byId;
  const byName = people.filter((p) => p.name.toLowerCase() === k);
  if (byName.length === 1) return byName[0];
  const partial = people.filter((p) => p.name.toLowerCase().includes(k));
  return partial.length === 1 ? partial[0] : null;
}

// ---- secretariat: extend, cancel, close ------------------------------------------------------

export async function extendDeadline(ctx: ProcedureCtx, actor: Actor, procedureId: string, deadlineIso: string): Promise<{ deadline: string }> {
  const deadline = parseDeadline(deadlineIso);
  const now = ctx.now();
  const out = await ctx.db.transaction(async (tx) => {
    const p = await repo.getProcedure(tx, procedureId, 'update');
    if (!p) throw new UserError(MSG.unknown, 'unknown_procedure');
    await requireSecretariat(tx, ctx, actor, p.forum_id);
    if (p.status !== 'open') throw new UserError(`Proceduren er ${p.status === 'closed' ? 'lukket' : 'annulleret'}; fristen kan ikke forlænges.`, 'not_open');
    if (deadline.getTime() <= now.getTime()) throw new UserError(`Den nye frist ${formatDeadline(deadline)} er allerede passeret.`, 'deadline_passed');
    if (deadline.getTime() <= new Date(p.deadline).getTime()) throw new UserError(`Den nye frist skal ligge efter den nuværende (${formatDeadline(p.deadline)}).`, 'bad_deadline');
    await tx.query('update procedures set deadline = $2 where id = $1', [procedureId, deadline]);
    await repo.supersedeJobs(tx, procedureId, ['close', 'remind'], now, 'superseded by extension');
    await scheduleDeadlineJobs(tx, ctx, procedureId, deadline, now);
    await repo.audit(tx, actorId(actor), 'procedure.extended', procedureId, { from: toLocalIso(p.deadline), to: toLocalIso(deadline) });
    await ctx.hooks?.publish?.(tx, { type: 'extended', procedureId, previousDeadline: p.deadline });
    return { deadline: toLocalIso(deadline) };
  });
  ctx.hooks?.wake?.();
  return out;
}

export async function cancelProcedure(ctx: ProcedureCtx, actor: Actor, procedureId: string, reason?: string): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const p = await repo.getProcedure(tx, procedureId, 'update');
    if (!p) throw new UserError(MSG.unknown, 'unknown_procedure');
    await requireSecretariat(tx, ctx, actor, p.forum_id);
    if (p.status !== 'open') throw new UserError(`Proceduren er allerede ${p.status === 'closed' ? 'lukket' : 'annulleret'}.`, 'not_open');
    await tx.query("update procedures set status = 'cancelled', closed_at = $2, closed_by = $3, close_reason = 'cancelled' where id = $1", [procedureId, now, actorId(actor)]);
    await repo.supersedeJobs(tx, procedureId, ['close', 'remind'], now, 'cancelled');
    await repo.audit(tx, actorId(actor), 'procedure.cancelled', procedureId, { reason: reason ?? null });
    await ctx.hooks?.publish?.(tx, { type: 'cancelled', procedureId });
  });
}

export interface CloseOutcome {
  closed: boolean;
  /** Why nothing happened, when closed is false. */
  reason?: 'not_open' | 'not_due';
}

/**
 * Closes a procedure: at the deadline (the job), or early by the secretariat when everyone has voted.
 * Counts, stores the result, writes the decisions onto the meeting's items. Exactly once: the status check
 * runs under the row lock, so a second caller (another instance, a retried job) finds it closed.
 */
export async function closeProcedure(ctx: ProcedureCtx, actor: Actor, procedureId: string, mode: 'deadline' | 'early', inTx?: Queryable): Promise<CloseOutcome> {
  const now = ctx.now();
  const run = async (tx: Queryable): Promise<CloseOutcome> => {
    const p = await repo.getProcedure(tx, procedureId, 'update');
    if (!p) throw new UserError(MSG.unknown, 'unknown_procedure');
    if (mode === 'early') await requireSecretariat(tx, ctx, actor, p.forum_id);
    if (p.status !== 'open') {
      if (mode === 'early') throw new UserError(`Proceduren er allerede ${p.status === 'closed' ? 'lukket' : 'annulleret'}.`, 'not_open');
      return { closed: false, reason: 'not_open' };
    }
    if (mode === 'deadline' && now.getTime() < new Date(p.deadline).getTime()) return { closed: false, reason: 'not_due' };
    if (mode === 'early') {
      const prog = await repo.getProgress(tx, procedureId);
      if (prog.voted < prog.voters) {
        throw new UserError(`Proceduren kan kun lukkes før fristen, når alle har stemt (${prog.voted} af ${prog.voters} har stemt).`, 'not_all_voted');
      }
    }
    const result = await computeResult(tx, p);
    await tx.query("update procedures set status = 'closed', closed_at = $2, closed_by = $3, close_reason = $4, result = $5 where id = $1", [
      procedureId,
      now,
      actorId(actor),
      mode,
      JSON.stringify(result),
    ]);
    await recordDecisions(tx, p, result);
    await repo.supersedeJobs(tx, procedureId, ['close', 'remind'], now, 'closed');
    // handled invoke ids are only needed while votes can arrive; the events keep each vote's invoke id
    await tx.query('delete from procedure_invokes where procedure_id = $1', [procedureId]);
    await repo.audit(tx, actorId(actor), 'procedure.closed', procedureId, {
      mode,
      items: result.items.map((i) => ({ number: i.number, outcome: i.outcome, for: i.for, against: i.against, abstain: i.abstain, meeting: i.meeting })),
    });
    await ctx.hooks?.publish?.(tx, { type: 'closed', procedureId });
    return { closed: true };
  };
  return inTx ? run(inTx) : ctx.db.transaction(run);
}

export interface ItemResult extends ItemTally {
  number: number;
  title: string;
  decision: string;
  /** Names of voters with no choice on this item. */
  notVoted: string[];
}
export interface ProcedureResult {
  rule: Rule;
  quorum: number;
  voters: number;
  items: ItemResult[];
}

export async function computeResult(q: Queryable, p: Pick<repo.ProcedureRow, 'id' | 'rule' | 'quorum'>): Promise<ProcedureResult> {
  // one after another: q is often a transaction's client (close), which runs one query at a time anyway
  const items = await repo.getItems(q, p.id);
  const voters = await repo.getVoters(q, p.id);
  const ballots = await repo.getBallots(q, p.id);
  const names = new Map(voters.map((v) => [v.aad_object_id, v.name]));
  return {
    rule: p.rule,
    quorum: Number(p.quorum),
    voters: voters.length,
    items: items.map((it) => {
      const mine = ballots.filter((b) => b.item_number === it.number);
      const counts = { for: 0, against: 0, abstain: 0, meeting: 0 };
      for (const b of mine) if (b.choice) counts[b.choice] += 1;
      const t = tallyItem(p.rule, Number(p.quorum), voters.length, counts);
      return {
        number: it.number,
        title: it.title,
        ...t,
        decision: decisionText(p.rule, Number(p.quorum), t),
        notVoted: mine.filter((b) => !b.choice).map((b) => names.get(b.voter) ?? b.voter).sort((a, b) => a.localeCompare(b, 'da')),
      };
    }),
  };
}

/** Writes each item's decision and outcome onto the meeting (items table and the Meeting JSON), so Q&A finds it. */
async function recordDecisions(tx: Queryable, p: repo.ProcedureRow, result: ProcedureResult): Promise<void> {
  if (!p.meeting_id) return;
  const items = await repo.getItems(tx, p.id);
  const m = (await tx.query<{ data: Record<string, unknown> }>('select data from meetings where id = $1 for update', [p.meeting_id])).rows[0];
  if (!m) return;
  const data = { ...(m.data ?? {}) } as { items?: Array<Record<string, unknown>>; status?: string };
  const dataItems = Array.isArray(data.items) ? data.items.map((x) => ({ ...x })) : [];
  for (const r of result.items) {
    const it = items.find((x) => x.number === r.number);
    const outcome = meetingOutcome(r.outcome);
    let number: number | null = null;
    if (it?.meeting_item_position != null) {
      const u = await tx.query<{ number: number }>('update items set decision = $3, outcome = $4 where meeting_id = $1 and position = $2 returning number', [
        p.meeting_id,
        it.meeting_item_position,
        r.decision,
        outcome,
      ]);
      number = u.rows[0]?.number ?? null;
    }
    const target = dataItems.find((x) => x.number === (number ?? r.number)) ?? (number == null ? undefined : undefined);
    if (target) {
      target.decision = r.decision;
      target.outcome = outcome;
    }
  }
  data.items = dataItems;
  data.status = 'minutes';
  await tx.query("update meetings set status = 'minutes', data = $2, updated_at = now() where id = $1", [p.meeting_id, JSON.stringify(data)]);
}

// ---- reading --------------------------------------------------------------------------------

export interface ProcedureShow {
  id: string;
  forum: string;
  forumId: string;
  title: string;
  meetingId: string | null;
  status: repo.ProcedureStatus;
  deadline: string;
  rule: Rule;
  quorum: number;
  createdAt: string;
  closedAt: string | null;
  progress: { voted: number; voters: number };
  items: Array<{
    number: number;
    title: string;
    recommendation: string | null;
    for: number;
    against: number;
    abstain: number;
    meetingRequested: number;
    notVoted: number;
    outcome: string | null;
    decision: string | null;
  }>;
  voters: Array<{ aadObjectId: string; name: string; organisation: string | null; voted: boolean; itemsVoted: number; substitute: { aadObjectId: string; name: string } | null }>;
}

export async function showProcedure(q: Queryable, procedureId: string): Promise<ProcedureShow> {
  const p = await repo.getProcedure(q, procedureId);
  if (!p) throw new UserError(`Proceduren ${procedureId} findes ikke.`, 'unknown_procedure');
  const result = await computeResult(q, p);
  const voters = await repo.getVoters(q, procedureId);
  const ballots = await repo.getBallots(q, procedureId);
  const subs = await repo.getSubstitutes(q, procedureId);
  const itemsCount = result.items.length;
  const votedBy = new Map<string, number>();
  for (const b of ballots) if (b.choice) votedBy.set(b.voter, (votedBy.get(b.voter) ?? 0) + 1);
  const voterList = voters.map((v) => {
    const s = subs.find((x) => x.member_aad_object_id === v.aad_object_id);
    const n = votedBy.get(v.aad_object_id) ?? 0;
    return {
      aadObjectId: v.aad_object_id,
      name: v.name,
      organisation: v.organisation,
      voted: n === itemsCount,
      itemsVoted: n,
      substitute: s ? { aadObjectId: s.substitute_aad_object_id, name: s.substitute_name } : null,
    };
  });
  const closed = p.status === 'closed';
  return {
    id: p.id,
    forum: p.forum_name,
    forumId: p.forum_id,
    title: p.title,
    meetingId: p.meeting_id,
    status: p.status,
    deadline: toLocalIso(p.deadline),
    rule: p.rule,
    quorum: Number(p.quorum),
    createdAt: toLocalIso(p.created_at),
    closedAt: p.closed_at ? toLocalIso(p.closed_at) : null,
    progress: { voted: voterList.filter((v) => v.voted).length, voters: voterList.length },
    items: result.items.map((i) => ({
      number: i.number,
      title: i.title,
      recommendation: null,
      for: i.for,
      against: i.against,
      abstain: i.abstain,
      meetingRequested: i.meeting,
      notVoted: i.silent,
      outcome: closed ? i.outcome : null,
      decision: closed ? i.decision : null,
    })),
    voters: voterList,
  };
}

export async function listProcedures(q: Queryable, opts: { forumId?: string; status?: repo.ProcedureStatus } = {}): Promise<Array<{ id: string; forum: string; title: string; status: string; deadline: string }>> {
  const r = await q.query<{ id: string; forum_name: string; title: string; status: string; deadline: Date }>(
    `select p.id, f.name forum_name, p.title, p.status, p.deadline from procedures p join forums f on f.id = p.forum_id
      where ($1::text is null or p.forum_id = $1) and ($2::text is null or p.status = $2) order by p.created_at desc`,
    [opts.forumId ?? null, opts.status ?? null],
  );
  return r.rows.map((x) => ({ id: x.id, forum: x.forum_name, title: x.title, status: x.status, deadline: toLocalIso(x.deadline) }));
}

/** Open procedures in which this person holds a ballot (own or as substitute). */
export async function openProceduresFor(q: Queryable, aadObjectId: string): Promise<Array<{ id: string; title: string; deadline: Date }>> {
  const r = await q.query<{ id: string; title: string; deadline: Date }>(
    `select p.id, p.title, p.deadline from procedures p
      where p.status = 'open' and (exists (select 1 from procedure_voters v where v.procedure_id = p.id and lower(v.aad_object_id) = lower($1))
         or exists (select 1 from procedure_substitutes s where s.procedure_id = p.id and lower(s.substitute_aad_object_id) = lower($1)))
      order by p.deadline`,
    [aadObjectId],
  );
  return r.rows;
}

export interface AuditEvent {
  at: string;
  item: number;
  itemTitle: string;
  who: string;
  whoAadObjectId: string;
  onBehalfOf: string;
  onBehalfOfAadObjectId: string;
  from: Choice | null;
  to: Choice;
  comment: string | null;
  invokeId: string | null;
}

export async function auditEvents(q: Queryable, procedureId: string): Promise<AuditEvent[]> {
  const p = await repo.getProcedure(q, procedureId);
  if (!p) throw new UserError(`Proceduren ${procedureId} findes ikke.`, 'unknown_procedure');
  const r = await q.query<{
    at: Date; item_number: number; title: string; voter: string; voter_name: string; cast_by: string; cast_by_name: string;
    from_choice: Choice | null; to_choice: Choice; comment: string | null; invoke_id: string | null;
  }>(
    `select e.at, e.item_number, i.title, e.voter, e.voter_name, e.cast_by, e.cast_by_name, e.from_choice, e.to_choice, e.comment, e.invoke_id
       from procedure_vote_events e join procedure_items i on i.procedure_id = e.procedure_id and i.number = e.item_number
      where e.procedure_id = $1 order by e.id`,
    [procedureId],
  );
  return r.rows.map((x) => ({
    at: new Date(x.at).toISOString(),
    item: x.item_number,
    itemTitle: x.title,
    who: x.cast_by_name,
    whoAadObjectId: x.cast_by,
    onBehalfOf: x.voter_name,
    onBehalfOfAadObjectId: x.voter,
    from: x.from_choice,
    to: x.to_choice,
    comment: x.comment,
    invokeId: x.invoke_id,
  }));
}

const csvCell = (v: unknown) => {
  const s = v == null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function auditCsv(events: AuditEvent[]): string {
  const header = ['at', 'item', 'item_title', 'who', 'who_aad_object_id', 'on_behalf_of', 'on_behalf_of_aad_object_id', 'from', 'to', 'comment', 'invoke_id'];
  const lines = events.map((e) =>
    [e.at, e.item, e.itemTitle, e.who, e.whoAadObjectId, e.onBehalfOf, e.onBehalfOfAadObjectId, e.from ?? '', e.to, e.comment ?? '', e.invokeId ?? ''].map(csvCell).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}
