/** Dates, times and fixed phrases in Danish and English for answer texts. */

export type Lang = 'da' | 'en';

const MONTHS_DA = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS_DA = ['mandag', 'tirsdag', 'onsdag', 'torsdag', 'fredag', 'lørdag', 'søndag'];
const WEEKDAYS_EN = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "3. oktober 2014" / "3 October 2014"; with weekday: "fredag den 3. oktober 2014" / "Friday 3 October 2014". */
export function fmtDate(date: string | null | undefined, lang: Lang, weekday = false): string {
  if (!date) return lang === 'da' ? 'ukendt dato' : 'unknown date';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const wd = (new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 6) % 7;
  if (lang === 'da') return `${weekday ? `${WEEKDAYS_DA[wd]} den ` : ''}${d}. ${MONTHS_DA[mo - 1]} ${y}`;
  return `${weekday ? `${WEEKDAYS_EN[wd]} ` : ''}${d} ${MONTHS_EN[mo - 1]} ${y}`;
}

/** "kl. 9.00" / "9:00" from a local ISO time; null for a date without time. */
export function fmtTime(local: string | null | undefined, lang: Lang): string | null {
  const m = local ? /T(\d{2}):(\d{2})/.exec(local) : null;
  if (!m) return null;
  return lang === 'da' ? `${Number(m[1])}.${m[2]}` : `${m[1]}:${m[2]}`;
}

/**
 * "kl. 9.00-12.00 (09:00-12:00)"; in English "09:00-12:00 (9.00-12.00)": the answer's own form, then the other one,
 * since minutes write both ("kl. 9.00-12.00" in the text, "2016-08-15 09:00" in a header), so the time can be found
 * in them either way.
 */
export function fmtTimeRange(start: string | null, end: string | null, lang: Lang): string | null {
  const da = (x: string | null) => fmtTime(x, 'da');
  const a = fmtTime(start, lang);
  if (!a) return null;
  const b = fmtTime(end, lang);
  const en = (x: string | null) => fmtTime(x, 'en');
  if (lang === 'da') return b ? `kl. ${a}-${b} (${en(start)}-${en(end)})` : `kl. ${a} (${en(start)})`;
  return b ? `${a}-${b} (${da(start)}-${da(end)})` : `at ${a} (${da(start)})`;
}

const OUTCOME: Record<string, [string, string]> = {
  approved: ['godkendt', 'approved'],
  not_approved: ['ikke godkendt', 'not approved'],
  noted: ['taget til efterretning', 'noted'],
  discussed: ['drøftet', 'discussed'],
  postponed: ['udsat', 'postponed'],
};
export function fmtOutcome(outcome: string | null | undefined, lang: Lang): string | null {
  const o = outcome ? OUTCOME[outcome] : undefined;
  return o ? o[lang === 'da' ? 0 : 1] : null;
}

export const T = {
  dontKnow: { da: 'Det kan jeg ikke finde i referaterne.', en: "I can't find that in the minutes." },
  nearest: { da: 'Det nærmeste, jeg har fundet:', en: 'The closest I found:' },
  item: { da: 'punkt', en: 'item' },
  source: { da: 'Kilde', en: 'Source' },
  meetingOn: { da: 'mødet', en: 'the meeting on' },
  empty: { da: 'Skriv et spørgsmål om møderne, fx "hvornår er næste møde?"', en: 'Please ask a question about the meetings, e.g. "when is the next meeting?"' },
  help: {
    da: [
      'Jeg svarer på spørgsmål ud fra forummets dagsordener og referater, og jeg nævner altid kilden. Prøv fx:',
      '• hvornår er næste møde i Socialdirektørforum?',
      '• hvad blev besluttet om takststigningen på Stjernen?',
      '• hvem blev udpeget til Samrådet i 2023?',
      '• hvor holdt DAS møde i maj 2020, og hvem havde afbud?',
      '• hvad var på dagsordenen 15. august 2016?',
      'Står svaret ikke i referaterne, siger jeg det.',
    ].join('\n'),
    en: [
      "I answer questions from the forums' agendas and minutes, and I always cite the source. Try for example:",
      '• when is the next meeting of Socialdirektørforum?',
      '• what was decided about the rate increase at Stjernen?',
      '• who was appointed to the Samråd in 2023?',
      '• where did DAS meet in May 2020, and who sent apologies?',
      '• what was on the agenda on 15 Aug 2016?',
      "If the minutes don't say, I tell you so.",
    ].join('\n'),
  },
} as const;
