import type { Queryable } from '../store/db';
import type { DateFilter } from './dates';
import { stem, type TermGroup } from './lexicon';
import { sentences, skel, tokenize } from './text';

/**
 * Retrieval: PostgreSQL full-text search (danish configuration, weights title A, decision B, recommendation C,
 * background D) over the words the lexicon resolved, filtered by forum and date, then re-ranked here by how much
 * of the question (weighted by rarity) each item covers, and where.
 */

export interface ItemRow {
  meeting_id: string;
  position: number;
  number: number;
  title: string;
  background: string | null;
  recommendation: string | null;
  decision: string | null;
  outcome: string | null;
  meeting_title: string | null;
  meeting_date: string | null;
  start_local: string | null;
  forum: string;
  forum_id: string;
  kind: string;
  status: string;
  rank: number;
}

export interface MeetingFilter {
  forumIds?: string[] | null;
  date?: DateFilter | null;
}

export interface Scored {
  item: ItemRow;
  /** Share of the question's weight the item covers, 0-1. */
  coverage: number;
  /** Share covered in the title. */
  titleCoverage: number;
  /** Share covered by the best passage (a sentence and its neighbours). */
  passageCoverage: number;
  score: number;
  /** Groups not found in the item. */
  missing: string[];
}

const FIELDS = ['title', 'decision', 'recommendation', 'background'] as const;
type Field = (typeof FIELDS)[number];

/** The tsquery text for the groups: alternatives OR-ed; long exact words also as prefixes (compounds). */
export function tsqueryText(groups: TermGroup[], totalItems: number): string {
  const parts = new Set<string>();
  for (const g of groups) {
    if (g.numeric) continue;
    for (const a of g.alts) {
      if (a.weight < 0.55) continue;
      // very common words would make the candidate set huge; the re-ranking still sees them
      if (totalItems > 500 && a.df > totalItems * 0.25) continue;
      const w = a.word.replace(/[^\p{L}\p{N}]/gu, '');
      if (w.length < 2) continue;
      parts.add(w);
      if (a.kind === 'exact' && w.length >= 6) parts.add(`${w}:*`);
    }
  }
  return [...parts].join(' | ');
}

export async function searchItems(db: Queryable, groups: TermGroup[], totalItems: number, filter: MeetingFilter, limit = 60): Promise<ItemRow[]> {
  const tsq = tsqueryText(groups, totalItems);
  if (!tsq) return [];
  const d = filter.date && !filter.date.soft ? filter.date : null;
  const r = await db.query<ItemRow>(
    `select i.meeting_id, i.position, i.number, i.title, i.background, i.recommendation, i.decision, i.outcome,
            m.title as meeting_title, m.meeting_date::text as meeting_date, m.start_local, f.name as forum, m.forum_id,
            m.kind, m.status, ts_rank('{0.2,0.4,0.7,1.0}', i.search, q)::float8 as rank
     from to_tsquery('danish', $1) q, items i
     join meetings m on m.id = i.meeting_id
     join forums f on f.id = m.forum_id
     where i.search @@ q
       and ($2::text[] is null or m.forum_id = any($2::text[]))
       and ($3::date is null or m.meeting_date >= $3::date)
       and ($4::date is null or m.meeting_date <= $4::date)
       and ($5::int is null or extract(month from m.meeting_date)::int = $5::int)
       and ($6::int is null or extract(day from m.meeting_date)::int = $6::int)
     order by rank desc
     limit $7`,
    [tsq, filter.forumIds?.length ? filter.forumIds : null, d?.from ?? null, d?.to ?? null, d && !d.from ? (d.month ?? null) : null, d && !d.from ? (d.day ?? null) : null, limit],
  );
  return r.rows;
}

// ---------- matching in item text ----------

interface FieldWords {
  words: string[]; // folded
  stems: Set<string>;
  set: Set<string>;
  raw: string;
}

function fieldWords(text: string | null | undefined): FieldWords {
  const words = tokenize(text ?? '').map(skel);
  return { words, stems: new Set(words.map(stem)), set: new Set(words), raw: (text ?? '').toLowerCase() };
}

function numberKey(s: string): string {
  return s.replace(/[.\s]/g, '').replace(',', '.');
}

/** How well a group matches a bag of words: 1 for the word, lower for guesses and compound parts, 0 when absent. */
export function groupMatch(g: TermGroup, fw: FieldWords): number {
  if (g.numeric) {
    const k = numberKey(g.token);
    return fw.words.some((w) => /^\d/.test(w) && numberKey(w) === k) ? 1 : 0;
  }
  let best = 0;
  for (const a of g.alts) {
    if (a.weight <= best) continue;
    if (fw.set.has(a.skel) || fw.stems.has(stem(a.skel))) {
      best = a.weight;
      continue;
    }
    if (a.skel.length >= 5) {
      const st = stem(a.skel);
      if (fw.words.some((w) => w.length > st.length + 2 && w.includes(st))) best = Math.max(best, a.weight * 0.8);
    }
  }
  return best;
}

function weightedCoverage(groups: TermGroup[], match: (g: TermGroup) => number): { cov: number; missing: string[] } {
  let total = 0;
  let got = 0;
  const missing: string[] = [];
  for (const g of groups) {
    total += g.idf;
    const m = match(g);
    got += g.idf * m;
    if (m < 0.5) missing.push(g.token);
  }
  return { cov: total ? got / total : 0, missing };
}

export function itemText(item: Pick<ItemRow, 'background' | 'recommendation' | 'decision'>): string {
  return [item.background, item.recommendation, item.decision].filter(Boolean).join('\n');
}

/** Re-ranks candidates by weighted coverage, title hits and the best passage. */
export function rerank(groups: TermGroup[], items: ItemRow[], opts: { softYear?: string | null; preferDecision?: boolean } = {}): Scored[] {
  if (!items.length) return [];
  const maxRank = Math.max(...items.map((i) => i.rank), 1e-9);
  const out: Scored[] = items.map((item) => {
    const fields: Record<Field, FieldWords> = {
      title: fieldWords(item.title),
      decision: fieldWords(item.decision),
      recommendation: fieldWords(item.recommendation),
      background: fieldWords(item.background),
    };
    const all = fieldWords(`${item.title}\n${itemText(item)}`);
    const { cov, missing } = weightedCoverage(groups, (g) => groupMatch(g, all));
    const title = weightedCoverage(groups, (g) => groupMatch(g, fields.title)).cov;
    const decision = weightedCoverage(groups, (g) => groupMatch(g, fields.decision)).cov;
    const passage = bestPassage(groups, item).coverage;
    let score = 0.55 * cov + 0.3 * passage + 0.3 * title + 0.05 * decision + 0.03 * (item.rank / maxRank);
    if (opts.softYear && item.meeting_date?.startsWith(opts.softYear)) score += 0.12;
    if (opts.preferDecision && item.decision) score += 0.03;
    return { item, coverage: cov, titleCoverage: title, passageCoverage: passage, score, missing };
  });
  return out.sort((a, b) => b.score - a.score);
}

// ---------- passages and sentences ----------

export interface Sentence {
  text: string;
  field: Field;
  index: number;
  /** The line it came from (for table rows). */
  line: string;
}

export function itemSentences(item: Pick<ItemRow, 'title' | 'background' | 'recommendation' | 'decision'>): Sentence[] {
  const out: Sentence[] = [];
  for (const f of ['background', 'recommendation', 'decision'] as const) {
    const text = item[f];
    if (!text) continue;
    for (const line of text.split(/\n+/)) {
      for (const s of sentences(line)) out.push({ text: s, field: f, index: out.length, line });
    }
  }
  return out;
}

/** The passage (one sentence with half credit for its neighbours and the title) that covers most of the question. */
export function bestPassage(groups: TermGroup[], item: Pick<ItemRow, 'title' | 'background' | 'recommendation' | 'decision'>): { coverage: number; index: number } {
  const sents = itemSentences(item);
  const title = fieldWords(item.title);
  const fw = sents.map((s) => fieldWords(s.text));
  let best = { coverage: 0, index: -1 };
  for (let i = 0; i < sents.length; i++) {
    const { cov } = weightedCoverage(groups, (g) =>
      Math.max(groupMatch(g, fw[i]), 0.6 * Math.max(i > 0 ? groupMatch(g, fw[i - 1]) : 0, i + 1 < fw.length ? groupMatch(g, fw[i + 1]) : 0, groupMatch(g, title))),
    );
    if (cov > best.coverage) best = { coverage: cov, index: i };
  }
  if (!sents.length) best = { coverage: weightedCoverage(groups, (g) => groupMatch(g, title)).cov * 0.8, index: -1 };
  return best;
}

export type AnswerType = 'count' | 'amount' | 'date' | 'person' | 'place' | 'yesno' | 'other';

const MONTH_WORDS = /\b(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec)\b/i;

function cueScore(type: AnswerType, text: string): number {
  switch (type) {
    case 'count':
      return /\d/.test(text) ? 0.35 : 0;
    case 'amount':
      return /\bkr\.?\b|kroner|\bmio\b|\d+[.,]\d{3}|%|\bpct\b|procent/i.test(text) ? 0.4 : /\d/.test(text) ? 0.15 : 0;
    case 'date':
      return MONTH_WORDS.test(text) || /\b\d{1,2}[./-]\d{1,2}\b|\bkl\.?\s*\d/.test(text) ? 0.4 : /\b(19|20)\d\d\b/.test(text) ? 0.1 : 0;
    case 'person': {
      // two capitalised words in a row, not at the start
      const m = text.slice(1).match(/\b\p{Lu}[\p{Ll}]+(?:\s+(?:\p{Lu}\.|\p{Lu}[\p{Ll}]+)){1,3}/gu);
      return m ? 0.35 : 0;
    }
    case 'place':
      return /\b(?:i|på|hos)\s+\p{Lu}/u.test(text) || /\d{4}\s+\p{Lu}/u.test(text) ? 0.3 : 0;
    default:
      return 0;
  }
}

/**
 * The sentence(s) of an item that state what the question asks: best match plus a close second.
 * Words the item's title already carries identify the item, not the sentence, so they count less here;
 * a table row is read together with its header line.
 */
export function factSentences(groups: TermGroup[], item: ItemRow, type: AnswerType, max = 2): { text: string; coverage: number } {
  const sents = itemSentences(item);
  if (!sents.length) return { text: '', coverage: 0 };
  const title = fieldWords(item.title);
  const sentGroups = groups.map((g) => ({ ...g, idf: groupMatch(g, title) >= 0.8 ? g.idf * 0.35 : g.idf }));
  const fw = sents.map((s) => {
    if (s.line.includes('\t')) {
      const header = tableHeader(sents, s.index);
      if (header) return fieldWords(`${header} ${s.text}`);
    }
    return fieldWords(s.text);
  });
  const scored = sents.map((s, i) => {
    const near = (g: TermGroup) => 0.5 * Math.max(i > 0 ? groupMatch(g, fw[i - 1]) : 0, i + 1 < fw.length ? groupMatch(g, fw[i + 1]) : 0);
    const cov = weightedCoverage(groups, (g) => Math.max(groupMatch(g, fw[i]), near(g))).cov;
    const own = weightedCoverage(sentGroups, (g) => groupMatch(g, fw[i])).cov;
    const total = (type === 'count' || type === 'amount') && /\b(?:i alt|samlet|total|sammenlagt)\b/i.test(s.text) ? 0.12 : 0;
    const dec = s.field === 'decision' ? 0.04 : 0;
    return { s, cov, own, score: 0.6 * cov + 0.8 * own + cueScore(type, s.text) + total + dec - (s.text.length > 400 ? 0.1 : 0) };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const top = ranked[0];
  const chosen = [top];
  for (const c of ranked.slice(1)) {
    if (chosen.length >= max) break;
    if (c.score >= top.score * 0.85 && c.own > 0 && Math.abs(c.s.index - top.s.index) <= 3 && c.s.text !== top.s.text) chosen.push(c);
  }
  chosen.sort((a, b) => a.s.index - b.s.index);
  const parts: string[] = [];
  for (const c of chosen) {
    // a table row: put its header line first
    if (c.s.line.includes('\t') && /\d/.test(c.s.text)) {
      const header = tableHeader(sents, c.s.index);
      if (header && !parts.includes(header)) parts.push(header);
    }
    parts.push(c.s.text.replace(/\t+/g, ' | '));
  }
  return { text: parts.join(' '), coverage: top.cov };
}

function tableHeader(sents: Sentence[], index: number): string | null {
  for (let i = index - 1; i >= Math.max(0, index - 12); i--) {
    const l = sents[i].line;
    if (!l.includes('\t')) return null;
    if (!/\d/.test(l.replace(/\(\d{4}\)/g, ''))) return l.trim().replace(/\t+/g, ' | ') + ':';
  }
  return null;
}

/** The sentences of the decision that match the question best (or the whole decision when short). */
export function decisionQuote(groups: TermGroup[], item: ItemRow, maxChars = 450): string {
  const dec = stripAttachments(item.decision ?? '');
  if (!dec) return '';
  if (dec.length <= maxChars) return dec.replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ');
  const sents = sentences(dec);
  const fw = sents.map((s) => fieldWords(s));
  const scored = sents.map((s, i) => ({ s, i, cov: weightedCoverage(groups, (g) => groupMatch(g, fw[i])).cov }));
  const ranked = [...scored].sort((a, b) => b.cov - a.cov);
  const keep = new Set<number>([0]);
  let len = sents[0].length;
  for (const r of ranked) {
    if (r.cov <= 0 || keep.has(r.i)) continue;
    if (len + r.s.length > maxChars && keep.size > 1) break;
    keep.add(r.i);
    len += r.s.length;
    if (keep.size >= 3) break;
  }
  return [...keep]
    .sort((a, b) => a - b)
    .map((i, k, arr) => (k > 0 && i > arr[k - 1] + 1 ? `… ${sents[i]}` : sents[i]))
    .join(' ');
}

/** Drops attachment lines ("- 6a - Tilbudsportalen, …", "Bilag: x.pdf") that some layouts leave in a decision. */
export function stripAttachments(text: string): string {
  return text
    .split(/\n/)
    .filter((l) => !/^\s*[-•]?\s*(?:\d{1,2}[a-z]?\s*[-_–]|bilag\b)/i.test(l) && !/\.(?:pdf|docx?|xlsx?|pptx?)\s*$/i.test(l))
    .join('\n')
    .trim();
}
