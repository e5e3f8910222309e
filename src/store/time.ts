import { DateTime } from 'luxon';

/** Meetings are held in Denmark: every local time in the store is Europe/Copenhagen. */
export const ZONE = 'Europe/Copenhagen';

export interface MeetingTime {
  /** The instant (local midnight for a date alone). */
  at: Date;
  /** YYYY-MM-DD, the local calendar date. */
  date: string;
  /** false when only a date is known. */
  hasTime: boolean;
  /** As the Meeting JSON writes it: 2014-10-03T09:00:00+02:00, or 2014-10-03 for a date alone. */
  local: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a meeting time as the parser or a user writes it: a date alone (2014-10-03), a local time without
 * offset (2014-10-03T09:00, taken as Copenhagen time) or an ISO time with offset or Z. Null when unreadable.
 */
export function parseMeetingTime(s: string | null | undefined): MeetingTime | null {
  if (!s) return null;
  const text = s.trim();
  if (DATE_ONLY.test(text)) {
    const d = DateTime.fromISO(text, { zone: ZONE });
    if (!d.isValid) return null;
    return { at: d.toJSDate(), date: text, hasTime: false, local: text };
  }
  const d = DateTime.fromISO(text.replace(' ', 'T'), { zone: ZONE, setZone: false });
  if (!d.isValid) return null;
  const local = d.setZone(ZONE);
  return { at: local.toJSDate(), date: local.toISODate()!, hasTime: true, local: toLocalIso(local.toJSDate()) };
}

/** 2014-10-03T09:00:00+02:00 */
export function toLocalIso(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toISO({ suppressMilliseconds: true, includeOffset: true })!;
}

/** The local calendar date (YYYY-MM-DD) of an instant. */
export function localDate(at: Date): string {
  return DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!;
}

/** True for a well-formed ISO date or date-time (with or without offset). */
export function isIsoTime(s: string): boolean {
  return parseMeetingTime(s) !== null;
}
