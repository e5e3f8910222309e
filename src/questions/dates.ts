import { DateTime } from 'luxon';
import { MONTHS } from '../minutes/dates';

/**
 * Time words in a question, resolved against the clock (`now`, Europe/Copenhagen).
 * Works on the folded question text (see text.ts `skel`), so "naeste mode" and "næste møde" read alike.
 */

export const ZONE = 'Europe/Copenhagen';

export interface DateFilter {
  /** Inclusive local dates YYYY-MM-DD; absent for "any year" matches. */
  from?: string;
  to?: string;
  /** Month (1-12) and day for dates given without a year ("3. oktober", "i maj"). */
  month?: number;
  day?: number;
  precision: 'day' | 'week' | 'month' | 'year';
  /**
   * A bare year ("i 2016", "the 2017 meeting plan") is soft: it prefers meetings of that year but may also be
   * a topic word. Everything else is hard: only meetings in the range qualify.
   */
  soft: boolean;
  /** The text that was read as a date. */
  text: string;
}

export interface TimeRef {
  filter: DateFilter | null;
  /** "næste møde" / "next meeting" → next; "sidste møde" / "last meeting" → last. */
  relative: 'next' | 'last' | null;
  /** The question with the time words removed. */
  rest: string;
}

const MONTH_RE = Object.keys(MONTHS).sort((a, b) => b.length - a.length).join('|');

// folded (skel) weekday names, Danish and English; Monday = 1
const WEEKDAYS: Record<string, number> = {
  mandag: 1, tirsdag: 2, onsdag: 3, torsdag: 4, fredag: 5, lordag: 6, sondag: 7,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};
const WEEKDAY_RE = Object.keys(WEEKDAYS).join('|');

export function toLocal(now: Date | string | undefined): DateTime {
  const d = now === undefined ? DateTime.now() : typeof now === 'string' ? DateTime.fromISO(now, { setZone: true }) : DateTime.fromJSDate(now);
  if (!d.isValid) throw new Error(`invalid time: ${String(now)}`);
  return d.setZone(ZONE);
}

const iso = (d: DateTime) => d.toISODate() as string;

function dayFilter(y: number, m: number, d: number, text: string): DateFilter | null {
  const dt = DateTime.fromObject({ year: y, month: m, day: d }, { zone: ZONE });
  if (!dt.isValid) return null;
  return { from: iso(dt), to: iso(dt), precision: 'day', soft: false, text };
}

function monthFilter(y: number, m: number, text: string): DateFilter {
  const dt = DateTime.fromObject({ year: y, month: m, day: 1 }, { zone: ZONE });
  return { from: iso(dt), to: iso(dt.endOf('month')), precision: 'month', soft: false, text };
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n + (n > 50 ? 1900 : 2000);
  return n;
}

/**
 * Finds the time reference in a folded question. The first explicit date wins over a bare year;
 * relative meeting words (næste/sidste møde) are reported besides.
 */
export function resolveTime(folded: string, nowIn?: Date | string, lang: 'da' | 'en' = 'da'): TimeRef {
  const now = toLocal(nowIn);
  let rest = ` ${folded} `;
  let filter: DateFilter | null = null;
  let relative: 'next' | 'last' | null = null;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => DateFilter | null): void => {
    if (filter) return;
    const m = re.exec(rest);
    if (!m) return;
    const f = fn(m);
    if (!f) return;
    filter = f;
    rest = rest.slice(0, m.index) + ' ' + rest.slice(m.index + m[0].length);
  };

  // 2014-10-03
  take(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/, (m) => dayFilter(+m[1], +m[2], +m[3], m[0]));
  // 3/10-2014, 3.10.2014, 03-10-2014, 3/10/14
  take(/\b(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})\b/, (m) => dayFilter(fullYear(m[3]), +m[2], +m[1], m[0]));
  // 3/10 2014, 3.10 2014 (a space before the year)
  take(/\b(\d{1,2})[/.](\d{1,2}) (\d{4})\b/, (m) => (+m[2] >= 1 && +m[2] <= 12 ? dayFilter(+m[3], +m[2], +m[1], m[0]) : null));
  // 3. oktober 2014, 15 aug 2016, 15th of august 2016, d. 3. okt. 2014
  take(new RegExp(`\\b(?:den |d\\. ?)?(\\d{1,2})(?:\\.|st|nd|rd|th)? ?(?:of )?(${MONTH_RE})\\.?,?(?: (\\d{4}))?\\b`), (m) =>
    m[3] ? dayFilter(+m[3], MONTHS[m[2]], +m[1], m[0]) : { month: MONTHS[m[2]], day: +m[1], precision: 'day', soft: false, text: m[0] },
  );
  // August 15, 2016 / aug 15 2016
  take(new RegExp(`\\b(${MONTH_RE})\\.? (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`), (m) => dayFilter(+m[3], MONTHS[m[1]], +m[2], m[0]));
  // maj 2020, okt 2014, october 2014, i maj måned 2020
  take(new RegExp(`\\b(${MONTH_RE})\\.?,? (?:maned )?(\\d{4})\\b`), (m) => monthFilter(+m[2], MONTHS[m[1]], m[0]));
  // okt 14, aug '16, maj-20: a month and a two-digit year, as Danish is typed ("Aug 14" in English is a day; "Aug '14" a year)
  take(new RegExp(`\\b(${MONTH_RE})\\.?(${lang === 'da' ? "[ -]'?|'" : " ?'"})(\\d{2})\\b(?![.:/-]?\\d)`), (m) => monthFilter(fullYear(m[3]), MONTHS[m[1]], m[0]));
  // (English) August 15, aug 15th: a day without a year
  if (lang === 'en') take(new RegExp(`\\b(${MONTH_RE})\\.? (\\d{1,2})(?:st|nd|rd|th)?\\b(?![.:/-]?\\d)`), (m) => (+m[2] >= 1 && +m[2] <= 31 ? { month: MONTHS[m[1]], day: +m[2], precision: 'day', soft: false, text: m[0] } : null));
  // decembermødet 2011, oktobermødet, august mødet 2020: the meeting of that month
  take(new RegExp(`\\b(${MONTH_RE.split('|').filter((n) => n.length > 3 || n === 'maj').join('|')})(?: ?(?:mode|modet|moderne))(?: (\\d{4}))?\\b`), (m) =>
    m[2] ? monthFilter(+m[2], MONTHS[m[1]], m[0]) : { month: MONTHS[m[1]], precision: 'month', soft: false, text: m[0] },
  );
  // 10/2014, 10-2014
  take(/\b(\d{1,2})[/-](\d{4})\b/, (m) => (+m[1] >= 1 && +m[1] <= 12 ? monthFilter(+m[2], +m[1], m[0]) : null));
  // den 3/10, mødet 25/5 (no year)
  take(/\b(?:den|d\.|on|modet|mode|meeting) (\d{1,2})[/.](\d{1,2})\b(?![/.:]?\d)/, (m) =>
    +m[2] >= 1 && +m[2] <= 12 ? { month: +m[2], day: +m[1], precision: 'day', soft: false, text: m[0] } : null,
  );
  // i maj, in may, mødet i oktober (no year): the most recent such month at or before now, else any year
  take(new RegExp(`\\b(?:i|in|fra|from|during|om|pa|for) (${MONTH_RE.split('|').filter((n) => n.length > 3 || n === 'maj' || n === 'may').join('|')})\\b`), (m) => ({
    month: MONTHS[m[1]],
    precision: 'month',
    soft: false,
    text: m[0],
  }));

  // efteråret 2023, autumn 2023, i foråret 2016: three months
  take(/\b(?:i )?(foraret|forar|spring|sommeren|sommer|summer|efteraret|efterar|autumn|fall|vinteren|vinter|winter)(?: (?:of |i )?(\d{4}))\b/, (m) => {
    const start = { forar: 3, foraret: 3, spring: 3, sommer: 6, sommeren: 6, summer: 6, efterar: 9, efteraret: 9, autumn: 9, fall: 9, vinter: 12, vinteren: 12, winter: 12 }[m[1]] ?? 1;
    const from = DateTime.fromObject({ year: +m[2], month: start, day: 1 }, { zone: now.zone });
    return { from: iso(from), to: iso(from.plus({ months: 2 }).endOf('month')), precision: 'month', soft: false, text: m[0] };
  });

  const today = now.startOf('day');
  // relative days
  take(/\b(?:i gar|igar|yesterday)\b/, (m) => ({ from: iso(today.minus({ days: 1 })), to: iso(today.minus({ days: 1 })), precision: 'day', soft: false, text: m[0] }));
  take(/\b(?:i forgars|iforgars|the day before yesterday)\b/, (m) => ({ from: iso(today.minus({ days: 2 })), to: iso(today.minus({ days: 2 })), precision: 'day', soft: false, text: m[0] }));
  take(/\b(?:i dag|idag|today)\b/, (m) => ({ from: iso(today), to: iso(today), precision: 'day', soft: false, text: m[0] }));
  take(/\b(?:i morgen|imorgen|tomorrow)\b/, (m) => ({ from: iso(today.plus({ days: 1 })), to: iso(today.plus({ days: 1 })), precision: 'day', soft: false, text: m[0] }));
  // i mandags, last monday, forrige fredag
  take(new RegExp(`\\b(?:i (${WEEKDAY_RE})s|(?:last|sidste|forrige|past) (${WEEKDAY_RE})s?|(?:on )?(${WEEKDAY_RE}) last week)\\b`), (m) => {
    const wd = WEEKDAYS[m[1] ?? m[2] ?? m[3]];
    let back = (today.weekday - wd + 7) % 7;
    if (back === 0) back = 7;
    const d = today.minus({ days: back });
    return { from: iso(d), to: iso(d), precision: 'day', soft: false, text: m[0] };
  });
  // på mandag, next monday, på fredag; but "what did we decide on monday", "hvad besluttede vi på mandag": the one before
  const pastTense = /\b(?:did|was|were|had|decided|agreed|approved|discussed|happened|besluttede|aftalte|godkendte|drøftede|droftede|blev|var|havde|skete)\b/.test(folded);
  take(new RegExp(`\\b(?:pa|next|on|kommende|naste) (${WEEKDAY_RE})\\b`), (m) => {
    const wd = WEEKDAYS[m[1]];
    const back = pastTense && !/^(?:next|kommende|naste)\b/.test(m[0]);
    let days = back ? (today.weekday - wd + 7) % 7 : (wd - today.weekday + 7) % 7;
    if (days === 0) days = 7;
    const d = back ? today.minus({ days }) : today.plus({ days });
    return { from: iso(d), to: iso(d), precision: 'day', soft: false, text: m[0] };
  });
  // weeks, months, years relative to now
  const rangeOf = (d: DateTime, unit: 'week' | 'month' | 'year', text: string): DateFilter => ({
    from: iso(d.startOf(unit)),
    to: iso(d.endOf(unit)),
    precision: unit,
    soft: false,
    text,
  });
  take(/\b(?:i sidste uge|sidste uges?|forrige uges?|last week(?: s)?|the week before)\b/, (m) => rangeOf(today.minus({ weeks: 1 }), 'week', m[0]));
  // tidligere på måneden, earlier this month: from the first of the month until today
  take(/\b(?:tidligere (?:pa|i) (?:maneden|denne maned)|i starten af maneden|i begyndelsen af maneden|earlier this month|at the start of (?:the|this) month)\b/, (m) => ({
    from: iso(today.startOf('month')),
    to: iso(today),
    precision: 'month',
    soft: false,
    text: m[0],
  }));
  // for et par uger siden, a few weeks ago: two to five weeks back
  take(/\b(?:for (?:et par|nogle|to|tre|fa) uger siden|(?:a few|a couple of|two|three) weeks ago)\b/, (m) => ({
    from: iso(today.minus({ weeks: 5 })),
    to: iso(today.minus({ days: 7 })),
    precision: 'week',
    soft: false,
    text: m[0],
  }));
  take(/\b(?:i denne uge|denne uge|i den her uge|this week)\b/, (m) => rangeOf(today, 'week', m[0]));
  take(/\b(?:i naste uge|naste uge|next week)\b/, (m) => rangeOf(today.plus({ weeks: 1 }), 'week', m[0]));
  take(/\b(?:i sidste maned|sidste maneds?|forrige maneds?|last month(?: s)?|the month before)\b/, (m) => rangeOf(today.minus({ months: 1 }), 'month', m[0]));
  take(/\b(?:i denne maned|denne maned|this month)\b/, (m) => rangeOf(today, 'month', m[0]));
  take(/\b(?:i naste maned|naste maned|next month)\b/, (m) => rangeOf(today.plus({ months: 1 }), 'month', m[0]));
  take(/\b(?:sidste ar|sidste aar|forrige ar|i fjor|ifjor|last year)\b/, (m) => rangeOf(today.minus({ years: 1 }), 'year', m[0]));
  take(/\b(?:i ar|this year)\b/, (m) => rangeOf(today, 'year', m[0]));
  take(/\b(?:naste ar|next year)\b/, (m) => rangeOf(today.plus({ years: 1 }), 'year', m[0]));

  // næste/sidste møde (the meeting word stays in the text)
  if (/\b(?:naste|nasten|kommende|forestaende|snarlige|next|upcoming|forthcoming|coming|future|fremtidige|planlagte|planned)\b(?: \S+){0,3}? (?:mode|moder|modet|moderne|meeting|meetings|mode\S*)\b/.test(rest) ||
      /\b(?:nar|hvornar|when)\b.*\b(?:mode[rs]? vi|modes vi|ses vi|meet|meeting)\b.*\b(?:igen|again|next)\b/.test(rest) ||
      /\b(?:modes|moder|motes|mode|meet|meets|meeting|samles|ses)\b.*\b(?:naste gang|next time|igen|again|next)\b/.test(rest) ||
      // "mødet efter augustmødet 2020", "the meeting after 15 August"
      /\b(?:mode|modet|meeting)\s+(?:efter|after|following)\b/.test(rest) ||
      // "hvornår mødtes kredsen efter 14. december 2011"
      /\b(?:hvornar|nar|when)\b.*\b(?:modtes|motes|modes|met|meet|meets|samledes)\b(?: \S+){0,4}? (?:efter|after)\b/.test(rest)) {
    relative = 'next';
  } else if (
    /\b(?:sidste|seneste|forrige|foregaende|last|latest|previous|most recent|recent)\b(?: \S+){0,3}? (?:mode|modet|meeting)\b/.test(rest) ||
    // "das mødet før maj 2020", "the meeting before 15 August"
    (!!filter && MEETING_BEFORE.test(rest))
  ) {
    relative = 'last';
  }

  // a bare year (soft): it stays in the text too, since "the 2017 meeting plan" names a topic
  if (!filter) {
    const m = /\b((?:19[89]|20[0-4])\d)\b/.exec(rest);
    if (m) filter = { from: `${m[1]}-01-01`, to: `${m[1]}-12-31`, precision: 'year', soft: true, text: m[1] };
  }

  return { filter, relative, rest: rest.replace(/\s+/g, ' ').trim() };
}

/** "mødet før maj 2020", "the meeting before 15 August": the last meeting before a date (in folded text). */
export const MEETING_BEFORE = /\b(?:mode|modet|meeting)\s+(?:for|inden|before|prior to|preceding)\b/;

/** True when a local date YYYY-MM-DD lies in the filter. */
export function dateMatches(f: DateFilter, date: string | null): boolean {
  if (!date) return false;
  if (f.from && f.to) return date >= f.from && date <= f.to;
  const [, mm, dd] = date.split('-').map(Number);
  if (f.month && mm !== f.month) return false;
  if (f.day && dd !== f.day) return false;
  return true;
}
