/** Short texts the bot writes in chat, in Danish and English. Danish is the default. */
import { detectLanguage } from '../questions/text';

export type Lang = 'da' | 'en';

/**
 * The reply language. The words of the message decide when they are clearly Danish or English (a Danish question
 * gets a Danish answer even in a Teams client set to English); otherwise the Teams locale does (DESIGN section 1:
 * "in English when the user writes English or their Teams locale is English"). Danish by default.
 */
export function detectLang(text: string, locale?: string | null): Lang {
  return detectLanguage(text) ?? (locale && /^en\b/i.test(locale) ? 'en' : 'da');
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
