import type { Meeting, MeetingKind, MeetingStatus } from '../minutes/model';
import type { Queryable } from './db';
import { meetingIdPrefix, type Forum } from './forums';
import { parseMeetingTime, localDate, type MeetingTime } from './time';

/**
 * Meetings repository: one row per meeting (planned, agenda or minutes), its attendees and items in their
 * own tables (items carry the Danish full-text index), and the whole Meeting as JSON in `data`.
 * Every write of a meeting rewrites all three in the caller's transaction.
 */

export type MeetingOrigin = 'document' | 'planned' | 'ics' | 'next_meeting';

/** The Meeting JSON of DESIGN section 5 with `id` and the stored forum's name filled in. */
export type StoredMeeting = Meeting & { id: string; forum: string; forumId: string; origin: MeetingOrigin };

export interface MeetingSummary {
  id: string;
  forum: string;
  forumId: string;
  title: string | null;
  kind: MeetingKind;
  status: MeetingStatus;
  start: string | null;
  end: string | null;
  location: string | null;
  nextMeeting: string | null;
  itemCount: number;
  origin: MeetingOrigin;
  source: { file: string | null; sha256: string | null };
}

export const STATUS_RANK: Record<MeetingStatus, number> = { planned: 0, agenda: 1, minutes: 2 };

const SUMMARY_COLUMNS = `m.id, m.forum_id, f.name as forum_name, m.title, m.kind, m.status, m.start_local, m.end_local,
  m.location, m.next_meeting::text as next_meeting, m.source_file, m.source_sha256, m.origin,
  coalesce(jsonb_array_length(m.data->'items'), 0)::int as item_count`;

interface SummaryRow {
  id: string;
  forum_id: string;
  forum_name: string;
  title: string | null;
  kind: MeetingKind;
  status: MeetingStatus;
  start_local: string | null;
  end_local: string | null;
  location: string | null;
  next_meeting: string | null;
  source_file: string | null;
  source_sha256: string | null;
  origin: MeetingOrigin;
  item_count: number;
}

const toSummary = (r: SummaryRow): MeetingSummary => ({
  id: r.id,
  forum: r.forum_name,
  forumId: r.forum_id,
  title: r.title,
  kind: r.kind,
  status: r.status,
  start: r.start_local,
  end: r.end_local,
  location: r.location,
  nextMeeting: r.next_meeting,
  itemCount: r.item_count,
  origin: r.origin,
  source: { file: r.source_file, sha256: r.source_sha256 },
});

/** A stored meeting as Meeting JSON, or null for an unknown id. */
export async function getMeeting(q: Queryable, id: string): Promise<StoredMeeting | null> {
  const r = await q.query<SummaryRow & { data: Meeting }>(
    `select ${SUMMARY_COLUMNS}, m.data from meetings m join forums f on f.id = m.forum_id where m.id = $1`,
    [id],
  );
  const row = r.rows[0];
  if (!row) return null;
  const d = row.data;
  return {
    id: row.id,
    forum: row.forum_name,
    forumId: row.forum_id,
    title: row.title,
    kind: row.kind,
    status: row.status,
    start: row.start_local,
    end: row.end_local,
    location: row.location,
    participants: d.participants ?? [],
    absent: d.absent ?? [],
    items: d.items ?? [],
    nextMeeting: row.next_meeting,
    source: { ...(d.source ?? {}), file: row.source_file, sha256: row.source_sha256 },
    origin: row.origin,
  };
}

export interface ListMeetingsOptions {
  forumId?: string;
  /** Only meetings that have not ended at `now`, soonest first. */
  upcoming?: boolean;
  /** The clock for `upcoming` (default: the real time). */
  now?: Date;
  /** Local dates, inclusive. */
  from?: string;
  to?: string;
  status?: MeetingStatus[];
  kind?: MeetingKind;
  limit?: number;
}

/**
 * Meetings in date order (undated last). `upcoming`: those on or after today's local date, except timed
 * meetings that have already ended (end, or start when no end is known, before `now`).
 */
export async function listMeetings(q: Queryable, opts: ListMeetingsOptions = {}): Promise<MeetingSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (opts.forumId) where.push(`m.forum_id = ${p(opts.forumId)}`);
  if (opts.upcoming) {
    const now = opts.now ?? new Date();
    where.push(`m.meeting_date >= ${p(localDate(now))}::date`);
    where.push(`(position('T' in coalesce(m.start_local, '')) = 0 or coalesce(m.end_at, m.start_at) >= ${p(now)})`);
  }
  if (opts.from) where.push(`m.meeting_date >= ${p(opts.from)}::date`);
  if (opts.to) where.push(`m.meeting_date <= ${p(opts.to)}::date`);
  if (opts.status?.length) where.push(`m.status = any(${p(opts.status)}::text[])`);
  if (opts.kind) where.push(`m.kind = ${p(opts.kind)}`);
  const sql = `select ${SUMMARY_COLUMNS} from meetings m join forums f on f.id = m.forum_id
    ${where.length ? `where ${where.join(' and ')}` : ''}
    order by m.start_at nulls last, m.id ${opts.limit ? `limit ${p(opts.limit)}` : ''}`;
  const r = await q.query<SummaryRow>(sql, params);
  return r.rows.map(toSummary);
}

/** The meetings still to come, soonest first (a convenience over listMeetings). */
export function upcomingMeetings(q: Queryable, opts: { now?: Date; forumId?: string; limit?: number } = {}): Promise<MeetingSummary[]> {
  return listMeetings(q, { ...opts, upcoming: true });
}

export interface MeetingMatch {
  id: string;
  kind: MeetingKind;
  status: MeetingStatus;
  origin: MeetingOrigin;
  externalUid: string | null;
  meeting: Meeting;
}

type MatchRow = { id: string; kind: MeetingKind; status: MeetingStatus; origin: MeetingOrigin; external_uid: string | null; data: Meeting };
const toMatch = (r: MatchRow): MeetingMatch => ({ id: r.id, kind: r.kind, status: r.status, origin: r.origin, externalUid: r.external_uid, meeting: r.data });

/**
 * The stored meeting a document of this forum, date and kind belongs to: same forum and local date, and
 * either the same kind or a planned meeting. Never matches across forums or dates.
 */
export async function findMeetingFor(q: Queryable, forumId: string, date: string | null, kind: MeetingKind): Promise<MeetingMatch | null> {
  if (!date) return null;
  const r = await q.query<MatchRow>(
    `select id, kind, status, origin, external_uid, data from meetings
     where forum_id = $1 and meeting_date = $2::date and (kind = $3 or status = 'planned')
     order by (kind = $3) desc, created_at, id limit 1`,
    [forumId, date, kind],
  );
  return r.rows[0] ? toMatch(r.rows[0]) : null;
}

export async function findMeetingByUid(q: Queryable, forumId: string, uid: string): Promise<MeetingMatch | null> {
  const r = await q.query<MatchRow>(`select id, kind, status, origin, external_uid, data from meetings where forum_id = $1 and external_uid = $2`, [forumId, uid]);
  return r.rows[0] ? toMatch(r.rows[0]) : null;
}

/** A readable id not yet taken: sdf-2014-10-03, then sdf-2014-10-03-2, … */
export async function newMeetingId(q: Queryable, forum: Forum, date: string | null): Promise<string> {
  const base = `${meetingIdPrefix(forum)}-${date ?? 'udateret'}`;
  const r = await q.query<{ id: string }>(`select id from meetings where id = $1 or id like $2`, [base, `${base}-%`]);
  const taken = new Set(r.rows.map((x) => x.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface WriteMeetingArgs {
  id: string;
  forum: Forum;
  meeting: Meeting;
  origin: MeetingOrigin;
  externalUid?: string | null;
  /** The id is new (nothing to delete first). */
  isNew?: boolean;
}

/** Inserts or replaces a meeting with its attendees and items. Run it inside a transaction. */
export async function writeMeeting(tx: Queryable, a: WriteMeetingArgs): Promise<void> {
  const m = a.meeting;
  const start: MeetingTime | null = parseMeetingTime(m.start);
  const end: MeetingTime | null = parseMeetingTime(m.end);
  const data: Meeting = { ...m, id: a.id, forum: a.forum.name };
  const people = [
    ...m.participants.map((p) => ({ name: p.name, organisation: p.organisation, role: p.role ?? 'participant' })),
    ...m.absent.map((p) => ({ name: p.name, organisation: p.organisation, role: 'absent' })),
  ].map((p, position) => ({ ...p, position }));
  const items = m.items.map((it, position) => ({ position, ...it }));
  // One statement: the meeting row, then attendees and items upserted by position, and whatever the
  // previous version had beyond them deleted (the deleted and the upserted rows never overlap).
  // Foreign keys are checked at the end of the statement, after the meeting row exists.
  await tx.query(
    `with meeting as (
       insert into meetings (id, forum_id, title, kind, status, start_at, end_at, start_local, end_local, meeting_date,
                             location, next_meeting, source_file, source_sha256, data, origin, external_uid)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11, $12::date, $13, $14, $15::jsonb, $16, $17)
       on conflict (id) do update set
         forum_id = excluded.forum_id, title = excluded.title, kind = excluded.kind, status = excluded.status,
         start_at = excluded.start_at, end_at = excluded.end_at, start_local = excluded.start_local,
         end_local = excluded.end_local, meeting_date = excluded.meeting_date, location = excluded.location,
         next_meeting = excluded.next_meeting, source_file = excluded.source_file, source_sha256 = excluded.source_sha256,
         data = excluded.data, external_uid = coalesce(excluded.external_uid, meetings.external_uid), updated_at = now()
       returning id
     ),
     people as (select * from jsonb_to_recordset($18::jsonb) as x(position int, name text, organisation text, role text)),
     new_items as (
       select * from jsonb_to_recordset($19::jsonb)
         as x(position int, number int, title text, background text, recommendation text, decision text, outcome text, attachments text[])
     ),
     gone_people as (
       delete from attendees a where $20 and a.meeting_id = $1
         and not exists (select 1 from people p where p.position = a.position and p.role = a.role)
     ),
     gone_items as (delete from items i where $20 and i.meeting_id = $1 and i.position >= (select count(*) from new_items)),
     put_people as (
       insert into attendees (meeting_id, position, name, organisation, role)
       select $1, p.position, p.name, p.organisation, p.role from people p
       on conflict (meeting_id, role, position) do update set name = excluded.name, organisation = excluded.organisation
     ),
     put_items as (
       insert into items (meeting_id, position, number, title, background, recommendation, decision, outcome, attachments)
       select $1, x.position, x.number, x.title, x.background, x.recommendation, x.decision, x.outcome, coalesce(x.attachments, '{}')
       from new_items x
       on conflict (meeting_id, position) do update set
         number = excluded.number, title = excluded.title, background = excluded.background,
         recommendation = excluded.recommendation, decision = excluded.decision, outcome = excluded.outcome,
         attachments = excluded.attachments
     )
     select id from meeting`,
    [
      a.id,
      a.forum.id,
      m.title,
      m.kind,
      m.status,
      start?.at ?? null,
      end?.at ?? null,
      start?.local ?? m.start ?? null,
      end?.local ?? m.end ?? null,
      start?.date ?? null,
      m.location,
      /^\d{4}-\d{2}-\d{2}$/.test(m.nextMeeting ?? '') ? m.nextMeeting : null,
      m.source?.file ?? null,
      m.source?.sha256 ?? null,
      JSON.stringify(data),
      a.origin,
      a.externalUid ?? null,
      JSON.stringify(people),
      JSON.stringify(items),
      !a.isNew,
    ],
  );
}

/** Deletes a meeting, its attendees and items, and (withDocuments) the documents filed under it. */
export async function deleteMeeting(q: Queryable, id: string, opts: { withDocuments?: boolean } = {}): Promise<boolean> {
  if (opts.withDocuments) await q.query('delete from documents where meeting_id = $1', [id]);
  const r = await q.query('delete from meetings where id = $1', [id]);
  return r.rowCount > 0;
}

/**
 * Combines a stored meeting with a newly parsed document of the same meeting: the document wins wherever
 * it says something, and what only the stored one knows (a planned meeting's place, a start time the
 * minutes leave out) stays.
 */
export function mergeMeetings(stored: Meeting, incoming: Meeting): Meeting {
  const s = parseMeetingTime(stored.start);
  const i = parseMeetingTime(incoming.start);
  // a date alone in the document does not erase a known start time on the same day
  const start = i && !i.hasTime && s?.hasTime && s.date === i.date ? stored.start : (incoming.start ?? stored.start);
  const hasPeople = incoming.participants.length > 0 || incoming.absent.length > 0;
  return {
    ...incoming,
    title: incoming.title ?? stored.title,
    start,
    end: incoming.end ?? stored.end,
    location: incoming.location ?? stored.location,
    participants: hasPeople ? incoming.participants : stored.participants,
    absent: hasPeople ? incoming.absent : stored.absent,
    items: incoming.items.length ? incoming.items : stored.items,
    nextMeeting: incoming.nextMeeting ?? stored.nextMeeting,
  };
}

/** A Meeting with no document yet: what `meetings add`, an årshjul event or a "Næste møde" statement plans. */
export function plannedMeeting(forum: Forum, p: { start: string; end?: string | null; location?: string | null; title?: string | null }): Meeting {
  return {
    id: null,
    forum: forum.name,
    title: p.title ?? `Møde i ${forum.name}`,
    kind: 'meeting',
    status: 'planned',
    start: p.start,
    end: p.end ?? null,
    location: p.location ?? null,
    participants: [],
    absent: [],
    items: [],
    nextMeeting: null,
    source: { file: null, sha256: null },
  };
}

/**
 * Plans a meeting on a date stated as "Næste møde" unless the forum already has a meeting that day
 * (one statement: the importer runs it for nearly every document). Returns the new id, or null.
 */
export async function planStatedNextMeeting(tx: Queryable, forum: Forum, date: string): Promise<string | null> {
  const start = parseMeetingTime(date);
  if (!start || start.hasTime) return null;
  const id = `${meetingIdPrefix(forum)}-${start.date}`;
  const data: Meeting = { ...plannedMeeting(forum, { start: start.date }), id };
  const r = await tx.query<{ id: string }>(
    `insert into meetings (id, forum_id, title, kind, status, start_at, start_local, meeting_date, data, origin)
     select $1, $2, $3, 'meeting', 'planned', $4, $5::text, $5::date, $6::jsonb, 'next_meeting'
     where not exists (select 1 from meetings where forum_id = $2 and meeting_date = $5::text::date)
     on conflict (id) do nothing returning id`,
    [id, forum.id, data.title, start.at, start.date, JSON.stringify(data)],
  );
  return r.rows[0]?.id ?? null;
}

export interface PlanArgs {
  forum: Forum;
  /** As parseMeetingTime reads it: a date alone or a local/ISO time. */
  start: string;
  end?: string | null;
  location?: string | null;
  title?: string | null;
  /** .ics UID: a later version of the calendar moves the same meeting. */
  uid?: string | null;
  origin: Exclude<MeetingOrigin, 'document'>;
}

export interface PlanResult {
  meetingId: string;
  result: 'created' | 'updated' | 'unchanged';
}

/**
 * Plans a meeting, or completes/moves the planned one already there. A meeting that already has an agenda
 * or minutes is never changed by planning (its id is returned as unchanged). Run it inside a transaction.
 */
export async function planMeeting(tx: Queryable, a: PlanArgs): Promise<PlanResult> {
  const start = parseMeetingTime(a.start);
  if (!start) throw new Error(`not a date or time: ${a.start}`);
  const end = parseMeetingTime(a.end ?? null);
  const wanted = plannedMeeting(a.forum, { start: start.local, end: end?.local ?? null, location: a.location ?? null, title: a.title ?? null });
  const existing = (a.uid ? await findMeetingByUid(tx, a.forum.id, a.uid) : null) ?? (await findMeetingFor(tx, a.forum.id, start.date, 'meeting'));
  if (!existing) {
    const id = await newMeetingId(tx, a.forum, start.date);
    await writeMeeting(tx, { id, forum: a.forum, meeting: wanted, origin: a.origin, externalUid: a.uid ?? null, isNew: true });
    return { meetingId: id, result: 'created' };
  }
  // a "Næste møde" statement only fills an empty date; it never changes a meeting planned otherwise
  if (a.origin === 'next_meeting') return { meetingId: existing.id, result: 'unchanged' };
  if (existing.status !== 'planned') {
    if (a.uid && !existing.externalUid) await tx.query('update meetings set external_uid = $2 where id = $1', [existing.id, a.uid]);
    return { meetingId: existing.id, result: 'unchanged' };
  }
  const old = existing.meeting;
  const next: Meeting = {
    ...old,
    start: wanted.start,
    end: wanted.end ?? (parseMeetingTime(old.start)?.date === start.date ? old.end : null),
    location: wanted.location ?? old.location,
    title: a.title ?? old.title,
  };
  const same = next.start === old.start && next.end === old.end && next.location === old.location && next.title === old.title;
  if (same && (!a.uid || existing.externalUid === a.uid)) return { meetingId: existing.id, result: 'unchanged' };
  await writeMeeting(tx, { id: existing.id, forum: a.forum, meeting: next, origin: existing.origin, externalUid: a.uid ?? null });
  return { meetingId: existing.id, result: same ? 'unchanged' : 'updated' };
}
