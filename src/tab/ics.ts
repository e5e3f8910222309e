import ical, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import type { StoredMeeting } from '../store/meetings';
import { ZONE } from '../store/time';

/**
 * The tab's own calendar file for a meeting (used when the broadcasts capability offers no .ics route):
 * one VEVENT in Europe/Copenhagen time with the place and the agenda items in the description.
 * A meeting with a date but no time becomes an all-day event.
 */
export function meetingIcs(m: StoredMeeting, opts: { baseUrl: string }): string {
  const cal = ical({ name: m.forum, prodId: { company: 'forumbot', product: 'forumbot', language: 'DA' }, method: ICalCalendarMethod.PUBLISH, timezone: ZONE });
  const timed = /T\d{2}:\d{2}/.test(m.start ?? '');
  const start = DateTime.fromISO(m.start!, { setZone: true }).setZone(ZONE);
  const end = m.end && /T\d{2}:\d{2}/.test(m.end) ? DateTime.fromISO(m.end, { setZone: true }).setZone(ZONE) : timed ? start.plus({ hours: 3 }) : start.plus({ days: 1 });
  const agenda = m.items.map((i) => `${i.number}. ${i.title}`).join('\n');
  cal.createEvent({
    id: `${m.id}@${new URL(opts.baseUrl).host}`,
    start: start.toJSDate(),
    end: end.toJSDate(),
    allDay: !timed,
    timezone: ZONE,
    summary: m.title ?? `Møde i ${m.forum}`,
    location: m.location ?? undefined,
    description: agenda ? `Dagsorden:\n${agenda}` : undefined,
  });
  return cal.toString();
}
