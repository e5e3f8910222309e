import { randomBytes } from 'crypto';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import type { Queryable } from '../store/db';
import type { StoredMeeting } from '../store/meetings';
import { ZONE } from '../store/time';

/**
 * Calendar files for meetings: one VEVENT in Europe/Copenhagen time (with a VTIMEZONE block), the place,
 * and the agenda in the description. Served by the bot at an unguessable URL (calendar_tokens).
 */

/** The VTIMEZONE block for Europe/Copenhagen (EU rules since 1996), so clients need no zone database. */
const COPENHAGEN_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Copenhagen',
  'X-LIC-LOCATION:Europe/Copenhagen',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n');

export function meetingIcs(m: StoredMeeting, opts: { baseUrl: string; now?: Date }): string {
  const cal = ical({
    name: m.forum,
    prodId: { company: 'forumbot', product: 'forumbot', language: 'DA' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: ZONE, generator: () => COPENHAGEN_VTIMEZONE },
  });
  const timed = /T\d{2}:\d{2}/.test(m.start ?? '');
  const start = DateTime.fromISO(m.start!, { setZone: true }).setZone(ZONE);
  const end =
    m.end && /T\d{2}:\d{2}/.test(m.end) ? DateTime.fromISO(m.end, { setZone: true }).setZone(ZONE) : timed ? start.plus({ hours: 3 }) : start.plus({ days: 1 });
  const lines: string[] = [];
  if (m.items.length) {
    lines.push('Dagsorden:');
    for (const i of m.items) {
      lines.push(`${i.number}. ${i.title}`);
      if (i.recommendation) lines.push(`   Indstilling: ${i.recommendation.replace(/\s+/g, ' ').trim()}`);
      if (i.attachments.length) lines.push(`   Bilag: ${i.attachments.join(', ')}`);
    }
  }
  let host = 'forumbot';
  try {
    host = new URL(opts.baseUrl).host || host;
  } catch {
    /* keep the default */
  }
  cal.createEvent({
    id: `${m.id}@${host}`,
    // luxon DateTimes in Copenhagen: ical-generator then writes local wall time with TZID (a JS Date would be UTC)
    start: timed ? start : start.startOf('day'),
    end: timed ? end : end.startOf('day'),
    allDay: !timed,
    timezone: ZONE,
    stamp: opts.now ?? new Date(),
    summary: m.title ?? `Møde i ${m.forum}`,
    location: m.location ?? undefined,
    description: lines.length ? lines.join('\n') : undefined,
  });
  return cal.toString();
}

/** The meeting's unguessable token (created on first use). */
export async function calendarToken(db: Queryable, meetingId: string): Promise<string> {
  const fresh = randomBytes(24).toString('base64url');
  await db.query('insert into calendar_tokens (token, meeting_id) values ($1, $2) on conflict (meeting_id) do nothing', [fresh, meetingId]);
  const r = await db.query<{ token: string }>('select token from calendar_tokens where meeting_id = $1', [meetingId]);
  return r.rows[0].token;
}

export async function meetingForToken(db: Queryable, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const r = await db.query<{ meeting_id: string }>('select meeting_id from calendar_tokens where token = $1', [token]);
  return r.rows[0]?.meeting_id ?? null;
}

export function icsUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/calendar/${token}.ics`;
}

export function minutesUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/minutes/${token}`;
}
