import type { Queryable } from '../store/db';
import { KNOWN_FORUMS, type Forum } from '../store/forums';
import type { DateFilter } from './dates';

/** SQL the questions module needs about meetings (the items search lives in retrieve.ts). */

export interface MeetingRow {
  id: string;
  forum: string;
  forum_id: string;
  title: string | null;
  kind: string;
  status: string;
  meeting_date: string | null;
  start_local: string | null;
  end_local: string | null;
  location: string | null;
  next_meeting: string | null;
  origin: string | null;
}

export interface AttendeeRow {
  meeting_id: string;
  name: string;
  organisation: string | null;
  role: string;
}

export interface AgendaRow {
  meeting_id: string;
  number: number;
  title: string;
  outcome: string | null;
  decision: string | null;
  background: string | null;
  recommendation: string | null;
}

const MEETING_COLS = `m.id, f.name as forum, m.forum_id, m.title, m.kind, m.status, m.meeting_date::text as meeting_date,
  m.start_local, m.end_local, m.location, m.next_meeting::text as next_meeting, m.origin`;

/** Meetings of the given forums (all when null) in the date filter, oldest first. */
export async function meetingsIn(q: Queryable, forumIds: string[] | null, f: DateFilter | null): Promise<MeetingRow[]> {
  const d = f && !f.soft ? f : f?.soft ? f : null;
  const r = await q.query<MeetingRow>(
    `select ${MEETING_COLS} from meetings m join forums f on f.id = m.forum_id
     where ($1::text[] is null or m.forum_id = any($1::text[]))
       and ($2::date is null or m.meeting_date >= $2::date)
       and ($3::date is null or m.meeting_date <= $3::date)
       and ($4::int is null or extract(month from m.meeting_date)::int = $4::int)
       and ($5::int is null or extract(day from m.meeting_date)::int = $5::int)
     order by m.meeting_date nulls last, m.id
     limit 200`,
    [forumIds?.length ? forumIds : null, d?.from ?? null, d?.to ?? null, d && !d.from ? (d.month ?? null) : null, d && !d.from ? (d.day ?? null) : null],
  );
  return r.rows;
}

/** Meetings that start after now (planned, agenda, or minutes dated ahead), soonest first. */
export async function meetingsAfter(q: Queryable, forumIds: string[] | null, now: Date, today: string): Promise<MeetingRow[]> {
  const r = await q.query<MeetingRow>(
    `select ${MEETING_COLS} from meetings m join forums f on f.id = m.forum_id
     where ($1::text[] is null or m.forum_id = any($1::text[]))
       and (m.start_at > $2 or (m.start_at is null and m.meeting_date > $3::date)
            or (m.meeting_date >= $3::date and position('T' in coalesce(m.start_local, '')) = 0))
     order by m.meeting_date, m.start_at nulls last
     limit 10`,
    [forumIds?.length ? forumIds : null, now, today],
  );
  return r.rows;
}

/** The latest held meetings up to today (newest first): where "Næste møde" statements are read. */
const RECENT = `recent as (
       select m.* from meetings m
       where ($1::text[] is null or m.forum_id = any($1::text[])) and m.status <> 'planned' and m.meeting_date <= $2::date
       order by m.meeting_date desc
       limit 24)`;

/** "Næste møde" items of the latest held meetings (their text states the next date), newest meeting first. */
export async function nextMeetingItems(q: Queryable, forumIds: string[] | null, today: string): Promise<Array<MeetingRow & { item_number: number; item_title: string; item_text: string }>> {
  const r = await q.query<MeetingRow & { item_number: number; item_title: string; item_text: string }>(
    `with ${RECENT}
     select ${MEETING_COLS}, i.number as item_number, i.title as item_title,
            concat_ws(' ', i.background, i.recommendation, i.decision) as item_text
     from recent m join forums f on f.id = m.forum_id join items i on i.meeting_id = m.id
     where i.title ~* '^\\s*(\\d+\\.?\\s*)?n(æ|ae)ste\\s+m(ø|oe)de'
     order by m.meeting_date desc`,
    [forumIds?.length ? forumIds : null, today],
  );
  return r.rows;
}

/** The latest held meetings whose minutes state a "Næste møde" date after today, soonest date first. */
export async function statedNextMeetings(q: Queryable, forumIds: string[] | null, today: string): Promise<MeetingRow[]> {
  const r = await q.query<MeetingRow>(
    `with ${RECENT}
     select ${MEETING_COLS} from recent m join forums f on f.id = m.forum_id
     where m.next_meeting > $2::date
     order by m.next_meeting, m.meeting_date desc`,
    [forumIds?.length ? forumIds : null, today],
  );
  return r.rows;
}

/** The latest held meeting (agenda or minutes) at or before now. */
export async function meetingsBefore(q: Queryable, forumIds: string[] | null, now: Date, today: string, limit = 5): Promise<MeetingRow[]> {
  const r = await q.query<MeetingRow>(
    `select ${MEETING_COLS} from meetings m join forums f on f.id = m.forum_id
     where ($1::text[] is null or m.forum_id = any($1::text[]))
       and m.status <> 'planned'
       and (m.start_at <= $2 or (m.start_at is null and m.meeting_date <= $3::date))
     order by m.meeting_date desc nulls last, m.start_at desc nulls last
     limit $4`,
    [forumIds?.length ? forumIds : null, now, today, limit],
  );
  return r.rows;
}

export async function attendeesOf(q: Queryable, meetingId: string): Promise<AttendeeRow[]> {
  const r = await q.query<AttendeeRow>('select meeting_id, name, organisation, role from attendees where meeting_id = $1 order by role, position', [meetingId]);
  return r.rows;
}

export async function agendaOf(q: Queryable, meetingId: string): Promise<AgendaRow[]> {
  const r = await q.query<AgendaRow>(
    'select meeting_id, number, title, outcome, decision, background, recommendation from items where meeting_id = $1 order by position',
    [meetingId],
  );
  return r.rows;
}

/** The stored forums with whether they hold meetings (1/0), and the known forums (forums.json) not stored yet. */
export async function forumsWithCounts(q: Queryable): Promise<{ forums: Forum[]; counts: Map<string, number> }> {
  const r = await q.query<{ id: string; name: string; short_names: string[] | null; aliases: string[] | null; region: string | null; prepares: string[] | null; n: number }>(
    // the forums holding meetings, by a walk over the (forum_id, meeting_date) index: one probe per forum, however many meetings
    `with recursive held as (
       select min(forum_id) as id from meetings
       union all
       select (select min(m.forum_id) from meetings m where m.forum_id > held.id) from held where held.id is not null)
     select f.id, f.name, f.short_names, f.aliases, f.region, f.prepares, (f.id in (select id from held where id is not null))::int as n
     from forums f order by f.name`,
  );
  const forums: Forum[] = r.rows.map((x) => ({ id: x.id, name: x.name, shortNames: x.short_names ?? [], aliases: x.aliases ?? [], region: x.region, prepares: x.prepares ?? [] }));
  for (const k of KNOWN_FORUMS) if (!forums.some((f) => f.id === k.id)) forums.push({ ...k });
  return { forums, counts: new Map(r.rows.map((x) => [x.id, x.n])) };
}

/** Number of meetings per forum id. */
export async function meetingCounts(q: Queryable): Promise<Map<string, number>> {
  const r = await q.query<{ forum_id: string; n: number }>('select forum_id, count(*)::int n from meetings group by forum_id');
  return new Map(r.rows.map((x) => [x.forum_id, x.n]));
}
