import type { Queryable } from '../store/db';
import type { Choice, ItemCounts, Rule } from './tally';

/** SQL for procedures, items, voters, substitutes, votes, events, invokes and jobs. */

export type ProcedureStatus = 'open' | 'closed' | 'cancelled';

export interface ProcedureRow {
  id: string;
  forum_id: string;
  forum_name: string;
  meeting_id: string | null;
  title: string;
  deadline: Date;
  rule: Rule;
  quorum: number;
  status: ProcedureStatus;
  created_by: string;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  close_reason: string | null;
  result: unknown;
}

export interface ItemRow {
  number: number;
  title: string;
  recommendation: string | null;
  attachments: string[];
  meeting_item_position: number | null;
}

export interface VoterRow {
  aad_object_id: string;
  name: string;
  organisation: string | null;
}

export interface SubstituteRow {
  member_aad_object_id: string;
  substitute_aad_object_id: string;
  substitute_name: string;
  named_by: string;
  named_at: Date;
}

export interface BallotRow {
  item_number: number;
  voter: string;
  choice: Choice | null;
  comment: string | null;
}

export async function getProcedure(q: Queryable, id: string, lock?: 'share' | 'update'): Promise<ProcedureRow | null> {
  const r = await q.query<ProcedureRow>(
    `select p.id, p.forum_id, f.name forum_name, p.meeting_id, p.title, p.deadline, p.rule, p.quorum, p.status, p.created_by,
            p.created_at, p.closed_at, p.closed_by, p.close_reason, p.result
       from procedures p join forums f on f.id = p.forum_id where p.id = $1 ${lock ? `for ${lock} of p` : ''}`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function getItems(q: Queryable, id: string): Promise<ItemRow[]> {
  return (
    await q.query<ItemRow>(
      'select number, title, recommendation, attachments, meeting_item_position from procedure_items where procedure_id = $1 order by number',
      [id],
    )
  ).rows;
}

export async function getVoters(q: Queryable, id: string): Promise<VoterRow[]> {
  return (await q.query<VoterRow>('select aad_object_id, name, organisation from procedure_voters where procedure_id = $1 order by name', [id])).rows;
}

export async function getSubstitutes(q: Queryable, id: string): Promise<SubstituteRow[]> {
  return (
    await q.query<SubstituteRow>(
      'select member_aad_object_id, substitute_aad_object_id, substitute_name, named_by, named_at from procedure_substitutes where procedure_id = $1',
      [id],
    )
  ).rows;
}

/** Every current ballot cell (choice null = not voted). */
export async function getBallots(q: Queryable, id: string): Promise<BallotRow[]> {
  return (
    await q.query<BallotRow>('select item_number, voter, choice, comment from procedure_votes where procedure_id = $1 order by item_number, voter', [id])
  ).rows;
}

export async function getBallotsOf(q: Queryable, id: string, voter: string): Promise<BallotRow[]> {
  return (
    await q.query<BallotRow>(
      'select item_number, voter, choice, comment from procedure_votes where procedure_id = $1 and voter = $2 order by item_number',
      [id, voter],
    )
  ).rows;
}

/** Per item: counts by choice. */
export async function getCounts(q: Queryable, id: string): Promise<Map<number, ItemCounts>> {
  const r = await q.query<{ item_number: number; f: number; a: number; ab: number; m: number }>(
    `select item_number,
            count(*) filter (where choice = 'for')::int f, count(*) filter (where choice = 'against')::int a,
            count(*) filter (where choice = 'abstain')::int ab, count(*) filter (where choice = 'meeting')::int m
       from procedure_votes where procedure_id = $1 group by item_number`,
    [id],
  );
  return new Map(r.rows.map((x) => [x.item_number, { for: x.f, against: x.a, abstain: x.ab, meeting: x.m }]));
}

/** Voters who answered every item / the number of voters. */
export async function getProgress(q: Queryable, id: string): Promise<{ voted: number; voters: number }> {
  const r = await q.query<{ voted: number; voters: number }>(
    `select count(*) filter (where missing = 0)::int voted, count(*)::int voters from (
       select voter, count(*) filter (where choice is null) missing from procedure_votes where procedure_id = $1 group by voter) v`,
    [id],
  );
  return r.rows[0] ?? { voted: 0, voters: 0 };
}

export async function audit(q: Queryable, actor: string, action: string, subject: string, details: Record<string, unknown>): Promise<void> {
  await q.query('insert into audit_log (actor, action, subject, details) values ($1, $2, $3, $4)', [actor, action, subject, JSON.stringify(details)]);
}

// ---- jobs -----------------------------------------------------------------------------------

export type JobKind = 'close' | 'remind' | 'refresh';

export async function scheduleJob(q: Queryable, procedureId: string, kind: JobKind, runAt: Date): Promise<void> {
  await q.query('insert into procedure_jobs (procedure_id, kind, run_at) values ($1, $2, $3) on conflict do nothing', [procedureId, kind, runAt]);
}

/** Pending close and reminder jobs are superseded (extend, cancel, close). */
export async function supersedeJobs(q: Queryable, procedureId: string, kinds: JobKind[], now: Date, outcome: string): Promise<void> {
  await q.query(
    `update procedure_jobs set done_at = $3, outcome = $4 where procedure_id = $1 and kind = any($2::text[]) and done_at is null`,
    [procedureId, kinds, now, outcome],
  );
}

export interface JobRow {
  id: number;
  procedure_id: string;
  kind: JobKind;
  run_at: Date;
  attempts: number;
}

/** Claims one due job with a lease, skipping rows another instance holds. */
export async function claimDueJob(q: Queryable, now: Date, leaseMs: number): Promise<JobRow | null> {
  const r = await q.query<JobRow>(
    `update procedure_jobs set locked_until = $2, attempts = attempts + 1
      where id = (select id from procedure_jobs
                   where done_at is null and run_at <= $1 and (locked_until is null or locked_until < $1)
                   order by run_at, id limit 1 for update skip locked)
      returning id::int id, procedure_id, kind, run_at, attempts`,
    [now, new Date(now.getTime() + leaseMs)],
  );
  return r.rows[0] ?? null;
}

export async function finishJob(q: Queryable, jobId: number, now: Date, outcome: string): Promise<void> {
  await q.query('update procedure_jobs set done_at = $2, outcome = $3, locked_until = null where id = $1', [jobId, now, outcome]);
}

export async function failJob(q: Queryable, jobId: number, error: string, retryAt: Date): Promise<void> {
  await q.query('update procedure_jobs set locked_until = $3, last_error = $2 where id = $1', [jobId, error.slice(0, 1000), retryAt]);
}

export async function nextJobAt(q: Queryable): Promise<Date | null> {
  const r = await q.query<{ at: Date | null }>('select min(coalesce(greatest(run_at, locked_until), run_at)) at from procedure_jobs where done_at is null');
  return r.rows[0]?.at ?? null;
}

// ---- substitutes on the card --------------------------------------------------------------------

export interface SubstituteSetup {
  /** Voters (lower-cased object ids) who may name a substitute: roster role member, or voters not on the roster. */
  mayName: Set<string>;
  /** Who may be named: the forum's roster people with role substitute, then members, who are not voters here. */
  choices: Array<{ aadObjectId: string; name: string; organisation: string | null }>;
}

export async function getSubstituteSetup(q: Queryable, procedureId: string): Promise<SubstituteSetup> {
  const members = await q.query<{ id: string }>(
    `select lower(v.aad_object_id) id from procedure_voters v join procedures p on p.id = v.procedure_id
       left join roster_members m on m.forum_id = p.forum_id and lower(m.aad_object_id) = lower(v.aad_object_id)
      where v.procedure_id = $1 and coalesce(m.role, 'member') = 'member'`,
    [procedureId],
  );
  const choices = await q.query<{ aad_object_id: string; name: string; organisation: string | null }>(
    `select m.aad_object_id, m.name, m.organisation from roster_members m join procedures p on p.forum_id = m.forum_id
      where p.id = $1 and m.role in ('substitute', 'member')
        and not exists (select 1 from procedure_voters v where v.procedure_id = $1 and lower(v.aad_object_id) = lower(m.aad_object_id))
      order by m.role = 'substitute' desc, m.name`,
    [procedureId],
  );
  return {
    mayName: new Set(members.rows.map((r) => r.id)),
    choices: choices.rows.map((r) => ({ aadObjectId: r.aad_object_id, name: r.name, organisation: r.organisation })),
  };
}
