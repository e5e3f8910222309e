import path from 'path';
import { UserError } from '../errors';
import type { Db } from './db';
import { ensureKnownForums, forumKey, listForums, matchForum, type Forum } from './forums';
import { sha256, type ImportResult } from './import';
import { planMeeting } from './meetings';
import { toLocalIso } from './time';

// node-ical ships a CommonJS build (node-ical.cjs) beside its ESM entry; jest and the CLI load that one.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ical = require('node-ical') as typeof import('node-ical');

/**
 * The årshjul: a calendar (.ics) of the year's meeting dates. Each event plans a meeting of the forum
 * (origin 'ics', keyed by the event's UID), which the agenda and minutes later complete. A re-imported
 * calendar moves a planned meeting whose event moved, and changes nothing else.
 */
export interface IcsEvent {
  uid: string | null;
  summary: string | null;
  location: string | null;
  /** Copenhagen local ISO time with offset, or a date alone for all-day events. */
  start: string;
  end: string | null;
}

type Prop = string | { val?: string } | undefined;
const text = (v: Prop): string | null => {
  const s = typeof v === 'string' ? v : v?.val;
  return s && s.trim() ? s.trim() : null;
};

interface IcalDate extends Date {
  dateOnly?: boolean;
}

const dateOnlyIso = (d: IcalDate) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Reads the events of a calendar; throws a UserError when it is not one. */
export function parseIcs(data: Buffer | string, fileName = 'calendar.ics'): { calendarName: string | null; events: IcsEvent[] } {
  const body = typeof data === 'string' ? data : data.toString('utf8');
  if (!/BEGIN:VCALENDAR/i.test(body)) throw new UserError(`${path.basename(fileName)}: not a calendar (.ics) file`, 'not_calendar');
  let parsed: Record<string, Record<string, unknown>>;
  try {
    parsed = ical.sync.parseICS(body) as unknown as Record<string, Record<string, unknown>>;
  } catch (e) {
    throw new UserError(`${path.basename(fileName)}: could not read the calendar (${String((e as Error).message).split('\n')[0]})`, 'bad_calendar');
  }
  let calendarName: string | null = null;
  const events: IcsEvent[] = [];
  for (const c of Object.values(parsed)) {
    if (c.type === 'VCALENDAR') calendarName = text(c['WR-CALNAME'] as Prop) ?? calendarName;
    if (c.type !== 'VEVENT' || !(c.start instanceof Date)) continue;
    if (String(c.status ?? '').toUpperCase() === 'CANCELLED') continue;
    const start = c.start as IcalDate;
    const end = c.end instanceof Date ? (c.end as IcalDate) : null;
    const allDay = Boolean(start.dateOnly) || (c.datetype === 'date');
    events.push({
      uid: text(c.uid as Prop),
      summary: text(c.summary as Prop),
      location: text(c.location as Prop),
      start: allDay ? dateOnlyIso(start) : toLocalIso(start),
      // an all-day event's DTEND is the day after: a date alone says enough
      end: allDay || !end ? null : toLocalIso(end),
    });
  }
  events.sort((a, b) => a.start.localeCompare(b.start));
  return { calendarName, events };
}

export interface ImportIcsInput {
  data: Buffer;
  fileName: string;
  /** The forum the events belong to; default: the calendar's name (X-WR-CALNAME), else each event's summary. */
  forum?: string;
  actor?: string;
}

/**
 * Plans a meeting per event, all in one transaction. Results: one per event (created, updated when a
 * planned meeting moved or changed, unchanged). An event that falls on a meeting already holding an
 * agenda or minutes leaves that meeting as it is.
 */
export async function importIcs(db: Db, input: ImportIcsInput): Promise<ImportResult[]> {
  const file = path.basename(input.fileName);
  const { calendarName, events } = parseIcs(input.data, input.fileName);
  if (!events.length) throw new UserError(`${file}: the calendar has no events`, 'no_events');
  const forums = await listForums(db);
  let fixed: Forum | null = null;
  if (input.forum) {
    fixed = matchForum(forums, input.forum);
    if (!fixed) throw unknownForum(input.forum, forums);
  } else fixed = matchForum(forums, calendarName);
  const forumOf = (e: IcsEvent): Forum => {
    const f = fixed ?? matchForum(forums, e.summary);
    if (!f) throw new UserError(`${file}: cannot tell which forum the calendar is for; name it with --forum NAME`, 'forum_unknown');
    return f;
  };
  const planned = events.map((e) => ({ e, forum: forumOf(e) }));
  await ensureKnownForums(db);
  const digest = sha256(input.data);
  return db.transaction(async (tx) => {
    const out: ImportResult[] = [];
    for (const { e, forum } of planned) {
      const title = e.summary && forumKey(e.summary) !== forumKey(forum.name) ? e.summary : null;
      const r = await planMeeting(tx, { forum, start: e.start, end: e.end, location: e.location, title, uid: e.uid, origin: 'ics' });
      out.push({ file, meetingId: r.meetingId, result: r.result, status: 'planned', forum: forum.name });
    }
    await tx.query(
      `insert into documents (sha256, file_name, format, raw_text, meeting_id, byte_size, doc_status)
       values ($1, $2, 'ics', $3, null, $4, 'planned') on conflict (sha256) do nothing`,
      [digest, file, input.data.toString('utf8'), input.data.length],
    );
    await tx.query(`insert into audit_log (actor, action, subject, details) values ($1, 'meetings.import_ics', $2, $3::jsonb)`, [
      input.actor ?? 'system',
      file,
      JSON.stringify({ sha256: digest, results: out.map((r) => ({ meetingId: r.meetingId, result: r.result })) }),
    ]);
    return out;
  });
}

export function unknownForum(name: string, forums: Forum[]): UserError {
  const names = forums.map((f) => (f.shortNames.length ? `${f.name} (${f.shortNames.join(', ')})` : f.name)).join('; ');
  return new UserError(`unknown forum "${name}"; known forums: ${names}`, 'forum_unknown');
}
