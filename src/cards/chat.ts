import { z } from 'zod';
import { DateTime } from 'luxon';
import { renderCard, type AdaptiveCardJson } from './render';

/**
 * The chat cards of the Q&A capability: answer, help and welcome. Pure functions of data; each
 * returns the card and the plain-text fallback with the same content (for the activity summary and
 * the card's fallbackText).
 */
export type Lang = 'da' | 'en';

export interface RenderedCard {
  card: AdaptiveCardJson;
  text: string;
}

/** Card texts are capped so the whole card stays far below Teams' ~28 kB message limit. */
const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

// ---- answer ------------------------------------------------------------------------------------

export const AnswerCardData = z.object({
  fallbackText: z.string(),
  text: z.string().min(1),
  hasNote: z.boolean(),
  note: z.string(),
  hasSource: z.boolean(),
  source: z.string(),
  hasOthers: z.boolean(),
  others: z.array(z.object({ line: z.string().min(1) })).max(3),
  hasItem: z.boolean(),
  item: z.object({
    heading: z.string(),
    sections: z.array(z.object({ label: z.string().min(1), text: z.string().min(1) })),
  }),
  labels: z.object({ others: z.string(), showItem: z.string() }),
});

/** What the answer card needs from an Answer (DESIGN section 5, plus the optional `item` and `more`). */
const SourceIn = z.looseObject({
  meetingId: z.string().optional(),
  forum: z.string().nullish(),
  meetingTitle: z.string().nullish(),
  date: z.string().nullish(),
  itemNumber: z.number().nullish(),
  itemTitle: z.string().nullish(),
  excerpt: z.string().nullish(),
});
const ItemIn = z.looseObject({
  meetingId: z.string().nullish(),
  number: z.number().nullish(),
  title: z.string().nullish(),
  background: z.string().nullish(),
  case: z.string().nullish(),
  recommendation: z.string().nullish(),
  decision: z.string().nullish(),
  text: z.string().nullish(),
  attachments: z.array(z.string()).nullish(),
});
export const AnswerIn = z.looseObject({
  answered: z.boolean(),
  text: z.string(),
  sources: z.array(SourceIn).default([]),
  more: z.array(SourceIn).nullish(),
  item: ItemIn.nullish(),
  /** The engine's own source line for the top source, when it gives one. */
  sourceLine: z.string().nullish(),
});
/** Loosely typed on purpose: the engine's Answer may carry more fields than the card uses. */
export type AnswerInput = { answered: boolean; text: string; sources?: object[]; more?: object[] | null; item?: object | null; sourceLine?: string | null };

const L = {
  da: {
    source: 'Kilde',
    meeting: 'møde',
    item: 'punkt',
    others: 'Andre mulige svar',
    nearest: 'Nærmeste punkter',
    showItem: 'Vis hele punktet',
    background: 'Sagsfremstilling',
    recommendation: 'Indstilling',
    decision: 'Beslutning',
    attachments: 'Bilag',
    text: 'Tekst',
  },
  en: {
    source: 'Source',
    meeting: 'meeting',
    item: 'item',
    others: 'Other possible answers',
    nearest: 'Nearest items',
    showItem: 'Show the full item',
    background: 'Background',
    recommendation: 'Recommendation',
    decision: 'Decision',
    attachments: 'Attachments',
    text: 'Text',
  },
} as const;

export function formatDate(iso: string | null | undefined, lang: Lang): string | undefined {
  if (!iso) return undefined;
  const d = DateTime.fromISO(iso.slice(0, 10));
  if (!d.isValid) return iso;
  return lang === 'da' ? d.setLocale('da').toFormat('d. MMMM yyyy') : d.setLocale('en-GB').toFormat('d MMMM yyyy');
}

/** "Socialdirektørforum, møde 3. oktober 2014, punkt 6: Tilbudsportalen" */
export function sourceLine(s: z.infer<typeof SourceIn>, lang: Lang): string {
  const parts: string[] = [];
  if (s.forum) parts.push(s.forum);
  const date = formatDate(s.date, lang);
  if (date) parts.push(`${L[lang].meeting} ${date}`);
  else if (s.meetingTitle) parts.push(s.meetingTitle);
  if (s.itemNumber != null) parts.push(`${L[lang].item} ${s.itemNumber}${s.itemTitle ? `: ${s.itemTitle}` : ''}`);
  else if (s.itemTitle) parts.push(s.itemTitle);
  return parts.join(', ');
}

export function answerCard(answerIn: AnswerInput, lang: Lang, opts: { note?: string } = {}): RenderedCard {
  const a = AnswerIn.parse(answerIn as z.input<typeof AnswerIn>);
  const l = L[lang];
  const top = a.sources[0];
  const line = a.sourceLine?.trim() || (top ? sourceLine(top, lang) : '');
  const source = a.answered && line ? `${l.source}: ${line}` : '';
  const rest = (a.more && a.more.length ? a.more : a.answered ? a.sources.slice(1) : a.sources).slice(0, 3);
  const others = rest.map((s) => ({ line: cap(sourceLine(s, lang), 300) })).filter((o) => o.line);

  const it = a.item;
  let sections: Array<{ label: string; text: string }> = [];
  if (it) {
    const add = (label: string, v: string | null | undefined) => {
      if (v && v.trim()) sections.push({ label, text: v.trim() });
    };
    add(l.background, it.background ?? it.case);
    add(l.recommendation, it.recommendation);
    add(l.decision, it.decision);
    if (!sections.length) add(l.text, it.text);
    if (it.attachments?.length) add(l.attachments, it.attachments.join('\n'));
    // the sections share one budget; the decision and recommendation are short, the background may be long
    sections = sections.map((x) => ({ ...x, text: cap(x.text, Math.floor(ITEM_BUDGET / sections.length)) }));
  }
  const heading = it ? [it.number != null ? `${l.item} ${it.number}` : '', it.title ?? ''].filter(Boolean).join(': ') : '';
  const text = cap(a.text.trim() || '…', 3000);
  const note = opts.note ?? '';

  const othersLabel = a.answered ? l.others : l.nearest;
  const plain = [note, text, source, others.length ? `${othersLabel}:\n${others.map((o) => `- ${o.line}`).join('\n')}` : '']
    .filter(Boolean)
    .join('\n\n');
  const card = renderCard('answer', AnswerCardData, {
    fallbackText: cap(plain, 2000),
    text,
    hasNote: !!note,
    note,
    hasSource: !!source,
    source,
    hasOthers: others.length > 0,
    others,
    hasItem: sections.length > 0,
    item: { heading: heading || l.showItem, sections },
    labels: { others: othersLabel, showItem: l.showItem },
  });
  return { card, text: cap(plain, 2000) };
}

/** Characters for the full item in "Vis hele punktet": with the rest, the card stays well below Teams' 28 kB. */
const ITEM_BUDGET = 10_000;

// ---- help --------------------------------------------------------------------------------------

export const HelpCardData = z.object({
  fallbackText: z.string(),
  title: z.string(),
  intro: z.string(),
  footer: z.string(),
  examples: z.array(z.string().min(1)).min(1),
  buttons: z.array(z.string().min(1)).max(5),
  hasCommands: z.boolean(),
  commands: z.array(z.object({ name: z.string().min(1), description: z.string().min(1) })),
  labels: z.object({ examples: z.string(), commands: z.string() }),
});

const EXAMPLES = {
  da: [
    'hvornår er næste møde?',
    'hvad blev besluttet om takststigningen på krisecentret?',
    'hvem blev udpeget til Samrådet i 2023?',
    'hvor holdt DAS møde i maj 2020, og hvem havde afbud?',
    'hvad var på dagsordenen den 15. august 2016?',
  ],
  en: [
    'when is the next meeting?',
    'what was decided about the rate increase at the crisis centre?',
    'who was appointed to the council in 2023?',
    'where did DAS meet in May 2020, and who sent apologies?',
    'what was on the agenda on 15 Aug 2016?',
  ],
};

export function helpCard(lang: Lang, commands: Array<{ name: string; description: string }> = []): RenderedCard {
  const da = lang === 'da';
  const title = da ? 'Sådan bruger du forumbot' : 'How to use forumbot';
  const intro = da
    ? 'Spørg mig om forummets møder og beslutninger, som du ville spørge sekretariatet. Jeg svarer ud fra dagsordener og referater og viser altid kilden. Står svaret ikke i referaterne, siger jeg det.'
    : "Ask me about the forum's meetings and decisions, the way you would ask the secretariat. I answer from the agendas and minutes and always show the source. When the minutes don't say, I tell you.";
  const footer = da ? 'I en kanal: nævn mig med @forumbot foran spørgsmålet.' : 'In a channel: @mention me before the question.';
  const labels = da ? { examples: 'Eksempler', commands: 'Kommandoer' } : { examples: 'Examples', commands: 'Commands' };
  const examples = EXAMPLES[lang];
  const plain = [
    title,
    intro,
    `${labels.examples}:\n${examples.map((e) => `- ${e}`).join('\n')}`,
    commands.length ? `${labels.commands}:\n${commands.map((c) => `- ${c.name}: ${c.description}`).join('\n')}` : '',
    footer,
  ]
    .filter(Boolean)
    .join('\n\n');
  const card = renderCard('help', HelpCardData, {
    fallbackText: plain,
    title,
    intro,
    footer,
    examples,
    buttons: examples.slice(0, 3),
    hasCommands: commands.length > 0,
    commands,
    labels,
  });
  return { card, text: plain };
}

// ---- welcome -----------------------------------------------------------------------------------

export const WelcomeCardData = z.object({
  fallbackText: z.string(),
  title: z.string(),
  paragraphs: z.array(z.string().min(1)).min(1),
  buttons: z.array(z.string().min(1)).max(5),
});

export function welcomeCard(lang: Lang, opts: { channel?: boolean } = {}): RenderedCard {
  const da = lang === 'da';
  const title = da ? 'Velkommen til forumbot' : 'Welcome to forumbot';
  const paragraphs = da
    ? [
        'Jeg kender forummets dagsordener og referater. Spørg fx »hvornår er næste møde?« eller »hvad blev besluttet om takster?«, så svarer jeg med kilden.',
        'Sekretariatet kan også sende dagsordener og referater til kanalen og køre skriftlige procedurer, hvor I stemmer direkte i Teams.',
        opts.channel ? 'Her i kanalen skal du nævne mig med @forumbot. Skriv »hjælp« for flere eksempler.' : 'Skriv »hjælp« for flere eksempler.',
      ]
    : [
        'I know the forum\'s agendas and minutes. Ask e.g. "when is the next meeting?" or "what was decided about rates?", and I answer with the source.',
        'The secretariat can also post agendas and minutes to the channel and run written procedures that you vote on right here in Teams.',
        opts.channel ? 'In this channel, @mention me. Write "help" for more examples.' : 'Write "help" for more examples.',
      ];
  const buttons = da ? ['hvornår er næste møde?', 'hjælp'] : ['when is the next meeting?', 'help'];
  const plain = [title, ...paragraphs].join('\n\n');
  const card = renderCard('welcome', WelcomeCardData, { fallbackText: plain, title, paragraphs, buttons });
  return { card, text: plain };
}
