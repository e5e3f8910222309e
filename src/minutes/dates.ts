/** Danish dates and times in the forms agendas and minutes use; Europe/Copenhagen local time via luxon. */
import { DateTime } from 'luxon';

export const ZONE = 'Europe/Copenhagen';

/** Danish and English month names and abbreviations (as typed in documents and questions) → month number. */
export const MONTHS: Readonly<Record<string, number>> = {
  januar: 1, jan: 1, january: 1,
  februar: 2, feb: 2, february: 2,
  marts: 3, mar: 3, march: 3, mrts: 3, mrt: 3,
  april: 4, apr: 4,
  maj: 5, may: 5,
  juni: 6, jun: 6, june: 6,
  juli: 7, jul: 7, july: 7,
  august: 8, aug: 8,
  september: 9, sep: 9, sept: 9,
  oktober: 10, okt: 10, october: 10, oct: 10,
  november: 11, nov: 11,
  december: 12, dec: 12,
};
const MONTH_ALT = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

export interface DateHit {
  y: number | null;
  m: number;
  d: number;
  index: number;
  end: number;
  /** a time written together with the date ("2016-08-15 09:00", "03-10-2014 09:00:00") */
  time?: HM;
}
export interface HM {
  h: number;
  m: number;
}

const ISO_RE = /(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+(\d{1,2})[:.](\d{2})(?::\d{2})?)?(?![\d])/g;
const DMY_RE = /(?<![\d/.-])(\d{1,2})\s?([-./])\s?(\d{1,2})\2\s?(\d{4}|\d{2})(?![\d])(?:,?\s+(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?::\d{2})?(?![\d]))?/g;
const DM_MIXED_RE = /(?<![\d/.-])(\d{1,2})\/(\d{1,2})(?:[-.](\d{4}|\d{2})|\s(\d{4}))(?![\d])/g;
const TEXT_RE = new RegExp(
  `(?<![\\d])(\\d{1,2})(?:\\.|-(?=[a-z]))?\\s{0,3}(?:(?:-|–|—|og|til)\\s{0,3}(\\d{1,2})\\.?\\s{0,3})?(${MONTH_ALT})(?![a-zæøå])\\.?,?(?:-(?=\\d{4})|\\s{0,3})(\\d{4})?(?![\\d])`,
  'gi',
);

function valid(y: number | null, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || d > 31) return false;
  if (y !== null && (y < 1990 || y > 2100)) return false;
  const leap = y === null || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0));
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return d <= days;
}

function fixYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

function validTime(h: number, m: number): boolean {
  return h >= 0 && h <= 24 && m >= 0 && m < 60;
}

/** All dates in a string, in order of position. Bounded input; regexes are linear. */
export function findDates(input: string): DateHit[] {
  const s = input.length > 5000 ? input.slice(0, 5000) : input;
  const hits: DateHit[] = [];
  for (const m of s.matchAll(ISO_RE)) {
    const y = +m[1], mo = +m[2], d = +m[3];
    if (!valid(y, mo, d)) continue;
    const hit: DateHit = { y, m: mo, d, index: m.index!, end: m.index! + m[0].length };
    if (m[4] && validTime(+m[4], +m[5])) hit.time = { h: +m[4], m: +m[5] };
    hits.push(hit);
  }
  for (const m of s.matchAll(DMY_RE)) {
    const d = +m[1], mo = +m[3], y = fixYear(+m[4]);
    if (m[4].length === 2 && m[2] === '-' ) {
      // "14-03-22" is plausible; keep
    }
    if (!valid(y, mo, d)) continue;
    const hit: DateHit = { y, m: mo, d, index: m.index!, end: m.index! + m[0].length };
    if (m[5] && validTime(+m[5], +m[6])) hit.time = { h: +m[5], m: +m[6] };
    hits.push(hit);
  }
  for (const m of s.matchAll(DM_MIXED_RE)) {
    const d = +m[1], mo = +m[2], y = fixYear(+(m[3] ?? m[4]));
    if (!valid(y, mo, d)) continue;
    hits.push({ y, m: mo, d, index: m.index!, end: m.index! + m[0].length });
  }
  for (const m of s.matchAll(TEXT_RE)) {
    const d = +m[1];
    const mo = MONTHS[m[3].toLowerCase()];
    const y = m[4] ? +m[4] : null;
    // "mar"/"maj" etc. are also words; require the abbreviated forms to be followed by a year or a dot
    if (!mo || !valid(y, mo, d)) continue;
    hits.push({ y, m: mo, d, index: m.index!, end: m.index! + m[0].length });
  }
  hits.sort((a, b) => a.index - b.index);
  // drop overlaps (keep the first, longest)
  const out: DateHit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (last && h.index < last.end) {
      if (h.end - h.index > last.end - last.index && h.index === last.index) out[out.length - 1] = h;
      continue;
    }
    out.push(h);
  }
  return out;
}

const TIME_KL_RE = /\b(?:kl\.?|klokken)\s{0,3}(\d{1,2})(?:[:.](\d{2}))?(?:\s{0,3}(?:-|–|—|til)\s{0,3}(?:ca\.?\s{0,3})?(?:kl\.?\s{0,3})?(\d{1,2})(?:[:.](\d{2}))?)?/i;
const TIME_RANGE_RE = /(?<![\d.:])(\d{1,2})[:.](\d{2})(?::\d{2})?\s{0,3}(?:-|–|—|til)\s{0,3}(?:ca\.?\s{0,3})?(?:kl\.?\s{0,3})?(\d{1,2})[:.](\d{2})(?![\d])/;
const TIME_COLON_RE = /(?<![\d.:])(\d{1,2}):(\d{2})(?::\d{2})?(?![\d])/;
const TIME_FRA_RE = /\bfra\s{1,3}(\d{1,2})(?:[:.](\d{2}))?\s{1,3}til\s{1,3}(\d{1,2})(?:[:.](\d{2}))?/i;

const TIME_DOT_RE = /^\D{0,20}?(?<![\d.:])(\d{1,2})\.(\d{2})(?![\d.])/;

/**
 * A time or time range: "kl. 9.00-12.00", "Kl. 08:30", "16:00", "13.00 - 15.30". With `loose`, a bare
 * "17.00" counts too (only for text that is known to hold a time, dates already removed).
 */
export function findTimes(input: string, loose = false): { start: HM | null; end: HM | null } {
  const r = findTimesStrict(input);
  if (r.start || !loose) return r;
  const m = TIME_DOT_RE.exec(input.slice(0, 200));
  if (m && validTime(+m[1], +m[2])) return { start: { h: +m[1], m: +m[2] }, end: null };
  return r;
}

function findTimesStrict(input: string): { start: HM | null; end: HM | null } {
  const s = input.length > 2000 ? input.slice(0, 2000) : input;
  let m = TIME_KL_RE.exec(s);
  if (m) {
    const start = { h: +m[1], m: m[2] ? +m[2] : 0 };
    const end = m[3] ? { h: +m[3], m: m[4] ? +m[4] : 0 } : null;
    if (validTime(start.h, start.m)) return { start, end: end && validTime(end.h, end.m) ? end : null };
  }
  m = TIME_FRA_RE.exec(s);
  if (m) {
    const start = { h: +m[1], m: m[2] ? +m[2] : 0 };
    const end = { h: +m[3], m: m[4] ? +m[4] : 0 };
    if (validTime(start.h, start.m) && validTime(end.h, end.m)) return { start, end };
  }
  m = TIME_RANGE_RE.exec(s);
  if (m && validTime(+m[1], +m[2]) && validTime(+m[3], +m[4])) return { start: { h: +m[1], m: +m[2] }, end: { h: +m[3], m: +m[4] } };
  m = TIME_COLON_RE.exec(s);
  if (m && validTime(+m[1], +m[2])) return { start: { h: +m[1], m: +m[2] }, end: null };
  return { start: null, end: null };
}

export interface YMD {
  y: number;
  m: number;
  d: number;
}

/** ISO local date-time with offset, or a bare date when no time is known. */
export function formatLocal(date: YMD, time: HM | null): string {
  if (!time) return `${date.y}-${pad(date.m)}-${pad(date.d)}`;
  const h = time.h === 24 ? 23 : time.h;
  const mi = time.h === 24 ? 59 : time.m;
  const dt = DateTime.fromObject({ year: date.y, month: date.m, day: date.d, hour: h, minute: mi }, { zone: ZONE });
  if (!dt.isValid) return `${date.y}-${pad(date.m)}-${pad(date.d)}`;
  return dt.toISO({ suppressMilliseconds: true, includeOffset: true }) ?? `${date.y}-${pad(date.m)}-${pad(date.d)}`;
}

export function formatDate(date: YMD): string {
  return `${date.y}-${pad(date.m)}-${pad(date.d)}`;
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const DANISH_MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];

/** "3. oktober 2014" */
export function danishDate(date: YMD): string {
  return `${date.d}. ${DANISH_MONTHS[date.m - 1]} ${date.y}`;
}

/** Completes a date without a year from a reference date: the first such date on or after ref - 31 days. */
export function withYear(hit: DateHit, ref: YMD | null): YMD | null {
  if (hit.y !== null) return { y: hit.y, m: hit.m, d: hit.d };
  if (!ref) return null;
  let y = ref.y;
  const refDay = ref.m * 31 + ref.d;
  const day = hit.m * 31 + hit.d;
  if (day < refDay - 31) y += 1;
  if (!valid(y, hit.m, hit.d)) return null;
  return { y, m: hit.m, d: hit.d };
}

/** End offset of the last date or time expression in a string (0 when there is none). */
export function dateTimeEnd(input: string): number {
  const s = input.length > 2000 ? input.slice(0, 2000) : input;
  let end = 0;
  for (const h of findDates(s)) end = Math.max(end, h.end);
  for (const re of [TIME_KL_RE, TIME_FRA_RE, TIME_RANGE_RE, TIME_COLON_RE]) {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
    for (const m of s.matchAll(g)) end = Math.max(end, m.index! + m[0].length);
  }
  return end;
}
