/** Short texts the bot writes in chat, in Danish and English. Danish is the default. */
export type Lang = 'da' | 'en';

// No words that are also common Danish words (at, is, do, held).
const EN_WORDS = new Set(
  'what when where who whom which why how was were are the of on in did does next last meeting meetings agenda decided decision decisions about minutes please help show tell me attended absent apologies upcoming'.split(
    ' ',
  ),
);
const DA_WORDS = new Set(
  'hvad hvornår hvornaar hvor hvem hvilke hvilken hvorfor hvordan er var blev om på paa i og det den de næste naeste møde mode møder moder dagsorden besluttet beslutning referat afbud deltog hjælp hjaelp sidste forum med til af for'.split(
    ' ',
  ),
);

/**
 * English when the user writes English (more English than Danish words) or the Teams locale is English
 * (DESIGN section 1: "in English when the user writes English or their Teams locale is English").
 * Otherwise Danish.
 */
export function detectLang(text: string, locale?: string | null): Lang {
  if (locale && /^en\b/i.test(locale)) return 'en';
  const words = text.toLowerCase().match(/[\p{L}]+/gu) ?? [];
  let en = 0;
  let da = 0;
  for (const w of words) {
    if (EN_WORDS.has(w)) en++;
    if (DA_WORDS.has(w)) da++;
  }
  if (/[æøå]/i.test(text)) da += 2;
  return en > da ? 'en' : 'da';
}

const TEXTS = {
  apology: {
    da: 'Beklager, noget gik galt hos mig. Prøv igen om lidt.',
    en: 'Sorry, something went wrong on my side. Please try again in a moment.',
  },
  secretariatOnly: {
    da: (cmd: string) => `Beklager, kommandoen »${cmd}« kan kun bruges af forummets sekretariat.`,
    en: (cmd: string) => `Sorry, the command “${cmd}” is for the forum's secretariat only.`,
  },
  unknownAction: {
    da: 'Beklager, den knap kender jeg ikke (længere).',
    en: "Sorry, I don't know that button (any more).",
  },
  fileNotHandled: {
    da: 'Tak for filen. Jeg kan kun modtage dagsordener og referater fra sekretariatet.',
    en: 'Thanks for the file. I only take agendas and minutes from the secretariat.',
  },
  empty: {
    da: 'Skriv et spørgsmål om forummets møder, fx »hvornår er næste møde?«. Skriv »hjælp« for flere eksempler.',
    en: 'Ask me about the forum\'s meetings, e.g. "when is the next meeting?". Write "help" for more examples.',
  },
  notUnderstood: {
    da: 'Det forstod jeg ikke helt. Skriv et spørgsmål med ord, fx »hvad blev besluttet om takster?«, eller »hjælp«.',
    en: 'I did not quite get that. Ask with words, e.g. "what was decided about rates?", or write "help".',
  },
  truncated: {
    da: (n: number) => `Din besked var meget lang, så jeg har kun læst de første ${n} tegn.`,
    en: (n: number) => `Your message was very long, so I only read the first ${n} characters.`,
  },
} as const;

type Texts = typeof TEXTS;
type Args<K extends keyof Texts> = Texts[K]['da'] extends (...a: infer A) => string ? A : [];

export function t<K extends keyof Texts>(lang: Lang, key: K, ...args: Args<K>): string {
  const v = (TEXTS[key] as Record<Lang, string | ((...a: unknown[]) => string)>)[lang];
  return typeof v === 'function' ? v(...(args as unknown[])) : v;
}
