import type { Queryable } from '../store/db';
import type { DateFilter } from './dates';
import { stem, type TermGroup } from './lexicon';
import { PLACE_TOKENS, REGION_TOKENS } from './place-names';
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
  /** Where the meeting was held ("H. O. Wildenskovsvej 28, 7080 Børkop"). */
  meeting_location: string | null;
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

/**
 * The words of a group for the tsquery. No prefix terms ("krisecenter:*"): each costs a walk over every indexed
 * word with that prefix, and the lexicon already adds the compounds that hold a question word (kind 'infix').
 */
function groupTerms(g: TermGroup, totalItems: number, common: boolean): string[] {
  const parts = new Set<string>();
  for (const a of g.alts) {
    if (a.weight < 0.55) continue;
    // very common words would make the candidate set huge; the re-ranking still sees them
    if (!common && totalItems > 500 && a.df > totalItems * 0.25) continue;
    const w = a.word.replace(/[^\p{L}\p{N}]/gu, '');
    if (w.length < 2) continue;
    parts.add(w);
  }
  return [...parts];
}

/** The tsquery text for the groups: each group's alternatives OR-ed; the groups OR-ed (any) or AND-ed (all). */
export function tsqueryText(groups: TermGroup[], totalItems: number, mode: 'any' | 'all' = 'any'): string {
  if (mode === 'any') return [...new Set(groups.filter((g) => !g.numeric).flatMap((g) => groupTerms(g, totalItems, false)))].join(' | ');
  const topical = groups.filter((g) => !g.numeric && g.idf >= 0.5);
  // a group of very common words filters little and costs the most to intersect: left to the re-ranking
  const rare = topical.map((g) => groupTerms(g, totalItems, false)).filter((t) => t.length);
  const parts = (rare.length >= 2 ? rare : topical.map((g) => groupTerms(g, totalItems, true)).filter((t) => t.length)).map((t) => `(${t.join(' | ')})`);
  return parts.length >= 2 ? parts.join(' & ') : '';
}

const COLS = `i.meeting_id, i.position, i.number, i.title, i.background, i.recommendation, i.decision, i.outcome,
            m.title as meeting_title, m.meeting_date::text as meeting_date, m.start_local, m.location as meeting_location,
            f.name as forum, m.forum_id, m.kind, m.status`;
const FILTERS = `($2::text[] is null or m.forum_id = any($2::text[]))
       and ($3::date is null or m.meeting_date >= $3::date)
       and ($4::date is null or m.meeting_date <= $4::date)
       and ($5::int is null or extract(month from m.meeting_date)::int = $5::int)
       and ($6::int is null or extract(day from m.meeting_date)::int = $6::int)`;

/**
 * Full-text candidates, ranked with the field weights. The inner select stops after `cap` (120) matching items
 * (unordered, straight from the index), so a question made of very common words costs the same at 50,000
 * items as at 5,000; the title search below finds the items named by such words.
 */
const ITEM_SQL = `select s.*, (count(*) over ())::int as hits from (
       select ${COLS}, ts_rank('{0.2,0.4,0.7,1.0}', i.search, q.q)::float8 as rank
       from items i join meetings m on m.id = i.meeting_id join forums f on f.id = m.forum_id, to_tsquery('danish', $1) q
       where i.search @@ q.q and ${FILTERS}
       limit $8) s
     order by s.rank desc
     limit $7`;

/**
 * Items whose title holds every group (the title-only full-text index of migration 0101), newest first. At most
 * `cap` matching titles are read before sorting, so a title repeated in thousands of items costs the same; the
 * titles all name every word, so the re-ranking, not a text rank, orders them.
 */
async function titleCandidates(db: Queryable, params: unknown[], limit: number): Promise<ItemRow[]> {
  const sql = `select s.* from (
       select ${COLS}, 0::float8 as rank
       from items i join meetings m on m.id = i.meeting_id join forums f on f.id = m.forum_id, to_tsquery('danish', $1) q
       where to_tsvector('danish', i.title) @@ q and ${FILTERS}
       limit $8) s
     order by s.meeting_date desc nulls last, s.position
     limit $7`;
  const p = [...params];
  p[6] = limit;
  return (await db.query<ItemRow>(sql, p)).rows;
}

/**
 * Candidate items: those whose title names every topic word, those holding every topic word anywhere (an answer
 * needs most of them), and when that finds few, those holding any of the rarer words.
 */
export async function searchItems(db: Queryable, groups: TermGroup[], totalItems: number, filter: MeetingFilter, limit = 30): Promise<ItemRow[]> {
  const d = filter.date && !filter.date.soft ? filter.date : null;
  const cap = 120;
  const params = (tsq: string) => [tsq, filter.forumIds?.length ? filter.forumIds : null, d?.from ?? null, d?.to ?? null, d && !d.from ? (d.month ?? null) : null, d && !d.from ? (d.day ?? null) : null, limit, cap];
  const out: ItemRow[] = [];
  const seen = new Set<string>();
  const addRows = (rows: ItemRow[]) => {
    for (const r of rows) {
      const k = `${r.meeting_id}/${r.position}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(r);
      }
    }
  };
  const any = tsqueryText(groups, totalItems, 'any');
  const all = tsqueryText(groups, totalItems, 'all');
  let truncated = false;
  if (all) {
    const rows = (await db.query<ItemRow & { hits: number }>(ITEM_SQL, params(all))).rows;
    truncated = rows.length > 0 && rows[0].hits >= cap;
    addRows(rows);
  }
  if (out.length < 8 && any) {
    const rows = (await db.query<ItemRow & { hits: number }>(ITEM_SQL, params(any))).rows;
    truncated ||= rows.length > 0 && rows[0].hits >= cap;
    addRows(rows);
  }
  // common words matched more items than were ranked: the items whose titles name them all come first
  if (truncated) {
    const titled = await titleCandidates(db, params(all || any), 10);
    const rest = out.splice(0);
    seen.clear();
    addRows(titled);
    addRows(rest);
  }
  return out;
}

// ---------- matching in item text ----------

interface FieldWords {
  words: string[]; // folded
  stems: Set<string>;
  set: Set<string>;
  /** Real (unfolded) lower-case words and their stems. */
  real: Set<string>;
  realStems: Set<string>;
  /** The folded words joined by spaces, for compound (substring) checks. */
  joined: string;
  realJoined: string;
}

const FW_CACHE = new Map<string, FieldWords>();

function fieldWords(text: string | null | undefined): FieldWords {
  const key = text ?? '';
  const hit = FW_CACHE.get(key);
  if (hit) return hit;
  const fw = makeFieldWords(key);
  if (FW_CACHE.size > 5000) FW_CACHE.clear();
  FW_CACHE.set(key, fw);
  return fw;
}

function makeFieldWords(text: string | null | undefined): FieldWords {
  // a genitive is also its noun: "KDK's møde", "LSI's bestyrelse"
  const tokens = tokenize(text ?? '');
  const realWords = text?.includes("'") ? tokens.flatMap((w) => (w.endsWith("'s") ? [w, w.slice(0, -2)] : [w])) : tokens;
  const words = realWords.map(skel);
  return {
    words,
    stems: new Set(words.map(stem)),
    set: new Set(words),
    real: new Set(realWords),
    realStems: new Set(realWords.map(stem)),
    joined: ` ${words.join(' ')} `,
    realJoined: ` ${realWords.join(' ')} `,
  };
}

function numberKey(s: string): string {
  return s.replace(/[.\s]/g, '').replace(',', '.');
}

/** How well a group matches a bag of words: 1 for the word, lower for guesses and compound parts, 0 when absent. */
export function groupMatch(g: TermGroup, fw: FieldWords): number {
  if (g.always) return 1;
  if (g.numeric) {
    const k = numberKey(g.token);
    return fw.words.some((w) => /^\d/.test(w) && numberKey(w) === k) ? 1 : 0;
  }
  let best = 0;
  for (const a of g.alts) {
    if (a.weight <= best) continue;
    const st = (a.st ??= stem(a.skel));
    const rst = (a.rst ??= stem(a.word));
    const hit = g.strict && a.kind !== 'fuzzy' ? fw.real.has(a.word) || fw.realStems.has(rst) : fw.set.has(a.skel) || fw.stems.has(st);
    if (hit) {
      best = a.weight;
      continue;
    }
    if (a.skel.length >= 5 && a.weight * 0.8 > best && compoundHit(g.strict ? fw.realJoined : fw.joined, g.strict ? rst : st)) best = a.weight * 0.8;
  }
  return best;
}

/**
 * Whether a stem occurs as part of a word: at its start ("takst" in "takstniveau") or as the last part of a
 * compound after a real word of 4+ letters, inflected at most 4 letters ("stigning" in "takststigningen"),
 * not anywhere inside ("center" is not in "procent", "slut" not in "besluttet").
 */
function compoundHit(joined: string, st: string): boolean {
  for (let i = joined.indexOf(st); i >= 0; i = joined.indexOf(st, i + 1)) {
    const start = joined.lastIndexOf(' ', i) + 1;
    const end = joined.indexOf(' ', i + st.length);
    if (i === start || (i - start >= 4 && end - (i + st.length) <= 4)) return true;
  }
  return false;
}

/** groupMatch over a plain text. */
export function groupMatchText(g: TermGroup, text: string): boolean {
  return groupMatch(g, fieldWords(text)) >= 0.5;
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

const PLACE_WORDS = new Map<string, Set<string>>();
/** The folded words of a meeting's location, cached (the same few locations recur across thousands of items). */
function placeWords(location: string | null): Set<string> | null {
  if (!location) return null;
  let hit = PLACE_WORDS.get(location);
  if (!hit) {
    if (PLACE_WORDS.size > 2000) PLACE_WORDS.clear();
    hit = new Set(tokenize(location).map(skel));
    PLACE_WORDS.set(location, hit);
  }
  return hit;
}

/** Re-ranks candidates by weighted coverage, title hits and the best passage. */
export function rerank(groups: TermGroup[], items: ItemRow[], opts: { softYear?: string | null; preferDecision?: boolean; answerType?: AnswerType } = {}): Scored[] {
  if (!items.length) return [];
  const maxRank = Math.max(...items.map((i) => i.rank), 1e-9);
  // a bare year the meeting's date satisfies, or the town it was held in ("på mødet i Børkop"), is met by the meeting
  const forItem = (item: ItemRow) => {
    const where = placeWords(item.meeting_location);
    const met = (g: TermGroup) => (g.numeric && !!opts.softYear && g.token === opts.softYear && !!item.meeting_date?.startsWith(opts.softYear)) || (!g.numeric && !!where?.has(g.token) && PLACE_TOKENS.has(g.token));
    return groups.some(met) ? groups.map((g) => (met(g) ? { ...g, always: true } : g)) : groups;
  };
  const first: Scored[] = items.map((item) => {
    const groups = forItem(item);
    const all = fieldWords(`${item.title}\n${itemText(item)}`);
    const { cov, missing } = weightedCoverage(groups, (g) => groupMatch(g, all));
    const title = weightedCoverage(groups, (g) => groupMatch(g, fieldWords(item.title))).cov;
    const decision = weightedCoverage(groups, (g) => groupMatch(g, fieldWords(item.decision))).cov;
    let score = 0.55 * cov + 0.3 * title + 0.05 * decision + 0.03 * (item.rank / maxRank);
    if (opts.softYear && item.meeting_date?.startsWith(opts.softYear)) score += 0.12;
    if (opts.preferDecision && item.decision) score += 0.03;
    return { item, coverage: cov, titleCoverage: title, passageCoverage: 0, score, missing };
  });
  first.sort((a, b) => b.score - a.score);
  // the passage check reads every sentence: only for the leaders
  const lead = first.slice(0, 12);
  const typed = opts.answerType && TYPED.has(opts.answerType) ? opts.answerType : null;
  for (const s of lead) {
    const p = bestPassage(forItem(s.item), s.item, typed);
    s.passageCoverage = p.coverage;
    // "hvem …", "hvor mange …": an item with a passage that matches and states a name or number can answer
    s.score += 0.3 * p.coverage + 0.15 * p.typedCoverage;
    // of two items that match alike ("ny kommunal repræsentant til Samrådet" in 2016 and in 2023), the newer
    s.score += 0.002 * Math.min(1, Math.max(0, Number(s.item.meeting_date?.slice(0, 4) ?? 2000) - 2000) / 30);
  }
  return [...lead.sort((a, b) => b.score - a.score), ...first.slice(12)];
}

// ---------- passages and sentences ----------

export interface Sentence {
  text: string;
  field: Field;
  index: number;
  /** The line it came from. */
  line: string;
  /** For a row of a table (a short line of label and numbers): the table's header line. */
  header: string | null;
}

/** A table row as text extraction leaves it: a short line, no sentence, ending in numbers ("Hobro Krisecenter 4 1.943"). */
export function isTableRow(line: string): boolean {
  const l = line.trim();
  if (l.includes('\t')) return /\d/.test(l);
  return l.length <= 140 && !/[.!?:]$/.test(l) && /(?:^|\s)[\d.,*%()]+\s*$/.test(l) && !/\b(?:er|var|blev|har|skal|vil)\b/i.test(l);
}

function isTableHeader(line: string): boolean {
  const l = line.trim();
  return l.length <= 100 && !/[.!?]$/.test(l) && !/\d/.test(l.replace(/\((?:19|20)\d\d\)/g, '')) && l.split(/\s+/).length <= 10;
}

export function itemSentences(item: Pick<ItemRow, 'title' | 'background' | 'recommendation' | 'decision'>): Sentence[] {
  const out: Sentence[] = [];
  for (const f of ['background', 'recommendation', 'decision'] as const) {
    const text = item[f];
    if (!text) continue;
    const lines = text.split(/\n+/).map((l) => l.trim()).filter(Boolean);
    let header: string | null = null;
    for (let li = 0; li < lines.length; li++) {
      const line = lines[li];
      if (/^(?:[\p{L} .,]{0,60}\s)?(?:(?:19|20)\d\d\s*\|?\s*){2,}$/u.test(line)) {
        // a header of years over a table ("2017 2018 2019")
        header = line.replace(/\t+/g, ' ');
        continue;
      }
      if (isTableRow(line)) {
        if (header === null) {
          // the header is the nearest line above that holds no numbers, with only rows between
          for (let k = li - 1; k >= Math.max(0, li - 10); k--) {
            if (isTableRow(lines[k])) continue;
            if (isTableHeader(lines[k])) header = lines[k].replace(/\t+/g, ' | ');
            break;
          }
        }
        out.push({ text: line.replace(/\t+/g, ' | '), field: f, index: out.length, line, header });
        continue;
      }
      header = null;
      for (const s of sentences(line)) out.push({ text: s, field: f, index: out.length, line, header: null });
    }
  }
  return out;
}

/**
 * The passage (one sentence with half credit for its neighbours and the title) that covers most of the question;
 * with a type, also the best among the sentences that state such an answer (a name, a number, a date).
 */
export function bestPassage(groups: TermGroup[], item: Pick<ItemRow, 'title' | 'background' | 'recommendation' | 'decision'>, type: AnswerType | null = null): { coverage: number; index: number; typedCoverage: number } {
  const sents = itemSentences(item);
  const title = fieldWords(item.title);
  if (!sents.length) return { coverage: weightedCoverage(groups, (g) => groupMatch(g, title)).cov * 0.8, index: -1, typedCoverage: 0 };
  // one match per sentence and group, then windows over them
  const m = sents.map((s) => groups.map((g) => groupMatch(g, fieldWords(s.text))));
  const t = groups.map((g) => groupMatch(g, title));
  const total = groups.reduce((a, g) => a + g.idf, 0) || 1;
  const best = { coverage: 0, index: -1, typedCoverage: 0 };
  for (let i = 0; i < sents.length; i++) {
    let got = 0;
    for (let k = 0; k < groups.length; k++) {
      const v = Math.max(m[i][k], 0.6 * Math.max(i > 0 ? m[i - 1][k] : 0, i + 1 < m.length ? m[i + 1][k] : 0, t[k]));
      got += groups[k].idf * v;
    }
    const cov = got / total;
    if (cov > best.coverage) Object.assign(best, { coverage: cov, index: i });
    if (type && cov > best.typedCoverage && cueScore(type, `${sents[i].header ?? ''} ${sents[i].text}`, groups) > 0) best.typedCoverage = cov;
  }
  return best;
}

export type AnswerType = 'count' | 'amount' | 'date' | 'person' | 'place' | 'reason' | 'which' | 'yesno' | 'other';
/** The answer types a sentence shows by its form (a name, a number, a date, a place). */
const TYPED = new Set<AnswerType>(['count', 'amount', 'date', 'person', 'place']);

// (a short form only beside a number: "Jan Nielsen" is a name, "3. jan 2020" a date)
const MONTHS_LONG = 'januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december';
const MONTHS_SHORT = 'jan|feb|mar|apr|jun|jul|aug|sep|okt|nov|dec';
const MONTH_WORDS = new RegExp(`\\b(?:${MONTHS_LONG})\\b|\\d\\.?\\s*(?:${MONTHS_SHORT})\\b|\\b(?:${MONTHS_SHORT})\\.?\\s*\\d`, 'i');
/** Day and month ("3/10", "3.10") or a clock time ("kl. 9"). */
// ("2-3 repræsentanter" is a range and "2/3 af efterspørgslen" a fraction, not dates)
const DAY_MONTH_OR_TIME = /\b\d{1,2}[./]\d{1,2}\b(?!\s*(?:af|of)\b)|\b\d{1,2}-\d{1,2}-\d{2,4}\b|\bkl\.?\s*\d/;

/** Words that make a capitalised phrase an organisation or a place, not a person ("Varde Kommune", "Region Syddanmark"). */
const NOT_PERSON = new Set('kommune kommunes kommuner region regionen regions forum forummet styrelse styrelsen styrelsens udvalg udvalget rad radet kreds kredsen sekretariat sekretariatet den det de dette denne der og ifolge beslutning indstilling baggrund'.split(' '));
/** Words that end like a body's name ("Socialsekretariat", "Socialstyrelsen", "Sundhedsdirektørkredsen"). */
const BODY_SUFFIX = /(?:sekretariat|sekretariatet|styrelse|styrelsen|forum|forummet|udvalg|udvalget|radet|kredsen|kommune|kommunes|region|regionen|tilsyn|tilsynet|centret|center|gruppe|gruppen|fond|fonden)$/;

/** Whether a text names a person: two or three capitalised words in a row that are not a place or an organisation. */
export function namesPerson(text: string): boolean {
  return personNames(text).length > 0;
}

/** The persons' names a text gives ("Anne-Mette Dalgaard", "Jørgen Rasmussen"): capitalised runs that are no place or body. */
export function personNames(text: string): string[] {
  return [...text.matchAll(/\p{Lu}[\p{Ll}]+(?:-\p{Lu}[\p{Ll}]+)?(?:\s+(?:\p{Lu}\.\s*)?\p{Lu}[\p{Ll}]+(?:-\p{Lu}[\p{Ll}]+)?){1,3}/gu)]
    .flatMap((m) => {
      // "Esbjerg Kommune Bodil Nissen": the run split at places and bodies, and what is left of two words or more
      const runs: string[][] = [[]];
      for (const w of m[0].split(/\s+/)) {
        if (tokenize(w).map(skel).some((x) => NOT_PERSON.has(x) || PLACE_TOKENS.has(x) || BODY_SUFFIX.test(x))) runs.push([]);
        else runs[runs.length - 1].push(w);
      }
      return runs.filter((r) => r.length >= 2 && !/^\p{Lu}\.$/u.test(r[r.length - 1])).map((r) => r.join(' '));
    });
}

function cueScore(type: AnswerType, text: string, groups: TermGroup[] = []): number {
  switch (type) {
    case 'count': {
      // a number right before a word of the question ("5 anbefalinger", "7 pladser") answers "hvor mange"
      for (const m of countable(text).matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)?)\s+((?:\S+\s+){0,2}\S+)/g)) {
        if (/^(?:19|20)\d\d$/.test(m[1])) continue;
        const fw = fieldWords(m[2]);
        if (groups.some((g) => !g.numeric && groupMatch(g, fw) >= 0.7)) return 0.45;
      }
      // "hvor mange" needs a number (or a number word) to be answered at all; "§ 107" or "7080 Børkop" count nothing
      return /(?<![\d.,])(?!(?:19|20)\d\d\b)\d+/.test(countable(text)) ? 0.15 : /\b(?:en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|ingen|one|two|three|four|five)\b/i.test(text) ? 0 : -0.3;
    }
    case 'amount':
      return /(?<!\p{L})(?:kr|mio|mia|pct)(?!\p{L})|kroner|\d+[.,]\d{3}|%|procent/iu.test(text) ? 0.4 : /\d/.test(text) ? 0.15 : -0.3;
    case 'date':
      return MONTH_WORDS.test(text) || DAY_MONTH_OR_TIME.test(text) ? 0.4 : /\b(19|20)\d\d\b|\b(?:primo|medio|ultimo|forår|efterår|sommer|vinter)\b/i.test(text) ? 0.15 : -0.2;
    case 'person':
      // a person's name ("Anne-Mette Dalgaard"), not an organisation or a place ("Fredericia Kommune")
      return namesPerson(text) ? 0.35 : 0;
    case 'which': {
      // "hvilke kommuner": a list of names
      // (bodies are not what is listed: "Socialstyrelsen", "Undervisningsministeriet")
      const names = (text.slice(1).match(/(?<![.!?]\s)\b\p{Lu}[\p{Ll}]+/gu) ?? []).filter((n) => !BODY_SUFFIX.test(skel(n.toLowerCase())) && !/(?:ministeriet|ministerium|styrelse)$/i.test(n));
      return names.length >= 3 ? 0.3 : names.length === 2 ? 0.2 : names.length === 1 ? 0.1 : 0;
    }
    case 'reason':
      return /\b(?:fordi|grundet|på grund af|pga|som følge af|skyldes|begrundelse|årsag|idet|da der|underskud|lav belægning|for at)\b/i.test(text) ? 0.3 : 0;
    case 'place': {
      // "hvilke kommuner …": the sentence that names municipalities or towns
      const named = tokenize(text).filter((t) => PLACE_TOKENS.has(skel(t))).length;
      return named >= 2 ? 0.45 : named === 1 ? 0.35 : /\b(?:i|på|hos)\s+\p{Lu}/u.test(text) || /\d{4}\s+\p{Lu}/u.test(text) ? 0.3 : 0;
    }
    default:
      return 0;
  }
}

/** The text without numbers that count nothing: dates, clock times, postal codes and street numbers, § and item references. */
function countable(text: string): string {
  return text
    .replace(DATE_SPAN, ' ')
    .replace(/\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b/g, ' ')
    .replace(/\bkl\.?\s*\d{1,2}(?:[.:]\d\d)?/gi, ' ')
    .replace(/\b\d{4}\s+\p{Lu}\p{Ll}+/gu, ' ')
    .replace(/\b\p{Lu}?\p{Ll}+(?:vej|gade|allé|alle|plads|torv|vænget|parken)\s+\d+\w?/gu, ' ')
    .replace(/(?:§|stk\.|nr\.|punkt|pkt\.)\s*\d+/gi, ' ')
    // an amount of money or a share counts no people or things ("fra 10.050.000 kr. i 2016")
    .replace(/\d[\d.,]*\s*(?:kr\.?|kroner|mio\.?|mia\.?|millioner|%|pct\.?|procent)(?!\p{L})/giu, ' ');
}
/** A day or span of days before a month name: "3. oktober", "6-7 oktober", "16. – 17. november". */
const DATE_SPAN = new RegExp(`\\b\\d{1,2}\\.?(?:\\s*[-–]\\s*\\d{1,2}\\.?)?\\s*(?:${MONTHS_LONG}|${MONTHS_SHORT})\\b`, 'giu');

/**
 * Whether a fact text states the kind of answer asked for (stricter than the cue scores above, which only rank):
 * a number for "hvor mange", an amount, a date, a place.
 */
export function statesAnswerType(type: AnswerType, text: string): boolean {
  switch (type) {
    case 'count':
      return /(?<![\d.,])(?!(?:19|20)\d\d\b)\d+/.test(countable(text)) || /\b(?:en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tyve|ingen|alle|begge|one|two|three|four|five|six|seven|eight|nine|ten|none|both)\b/i.test(text);
    case 'amount':
      // (a decimal number of places or persons counts them: "kun anvendt 1,75 af de fire", "0,62 pladser"; so does a
      // large number before a noun: "2.085 tilsynsbesøg")
      return /(?<!\p{L})(?:kr|mio|mia|pct|dkk)(?!\p{L})|kroner|(?<!\p{L})(?:procent|percent)(?!\p{L})|%|\d{1,3}(?:\.\d{3})+(?![\d.])(?!\s+(?!kr\b|kroner|mio|mia|dkk|pr\b|per\b)\p{Ll}{3,})|\d+,\d+(?!\d)(?!\s*(?:af|ud af|of|pladser|plads|personer|borgere|årsværk|fuldtids\p{L}*|stillinger|medarbejdere|timer|uger|måneder|år)(?!\p{L}))|\d+\s*(?:million|mill)/iu.test(text);
    case 'place':
      // a town or municipality, a postal address, or a named venue ("på Comwell Kellers Park", "hos Region Nordjylland");
      // a region alone is where the forum is, not where something happens
      return tokenize(text).some((t) => PLACE_TOKENS.has(skel(t)) && !REGION_TOKENS.has(skel(t))) || /\b\d{4}\s+\p{Lu}/u.test(text) || /\b(?:på|paa|hos|at)\s+\p{Lu}\p{Ll}+/u.test(text);
    case 'date':
      // (or a duration, for "hvor længe": "6 måneder", "to år")
      return MONTH_WORDS.test(text) || DAY_MONTH_OR_TIME.test(text) || /\b(?:sept|primo|medio|ultimo|forår|efterår|sommer|vinter|uge|kvartal|halvår)\b|\b(?:19|20)\d\d\b|\b(?:\d+|et|en|to|tre|fire|fem|seks)\s+(?:måneder|måneders|uger|ugers|års|dage|dages)\b/i.test(text);
    case 'reason':
      // a cause or a purpose: "fordi", "på grund af", "som følge af", "med henblik på", "because"
      return REASON_WORDS.test(text);
    default:
      return true;
  }
}

/** Words that give a cause or a purpose. */
const REASON_WORDS = /(?<!\p{L})(?:fordi|idet|grundet|pga|på grund af|paa grund af|som følge af|som konsekvens af|i lyset af|på baggrund af|årsag\p{L}*|begrund\p{L}*|skyld\p{L}*|med henblik på|derfor|da (?:det|der|den|de|han|hun|man|kommunen|regionen|forummet)|because|due to|as a result|in order to|so that|reason\p{L}*)(?!\p{L})/iu;

/**
 * The sentence(s) of an item that state what the question asks: best match plus a close second.
 * Words the item's title already carries identify the item, not the sentence, so they count less here;
 * a table row is read together with its header line.
 */
export function factSentences(groups: TermGroup[], item: ItemRow, type: AnswerType, max = 2, bonus?: (sentence: string) => number): { text: string; coverage: number; context: string } {
  const sents = itemSentences(item);
  if (!sents.length) return { text: '', coverage: 0, context: '' };
  const title = fieldWords(item.title);
  const sentGroups = groups.map((g) => ({ ...g, idf: groupMatch(g, title) >= 0.8 ? g.idf * 0.35 : g.idf }));
  const fw = sents.map((s) => fieldWords(s.header ? `${s.header} ${s.text}` : s.text));
  // the paragraph a sentence stands in names its subject too ("d) Faaborg-Midtfyn … nyt §107 tilbud. … Tilbuddet består
  // af 5 lejligheder"): words of the same paragraph count, less than the sentence's own
  const paragraphs = new Map(sents.map((s) => [s.line, fieldWords(s.line)] as const));
  const scored = sents.map((s, i) => {
    const near = (g: TermGroup) => Math.max(0.5 * Math.max(i > 0 ? groupMatch(g, fw[i - 1]) : 0, i + 1 < fw.length ? groupMatch(g, fw[i + 1]) : 0), 0.5 * groupMatch(g, paragraphs.get(s.line) ?? fw[i]));
    const cov = weightedCoverage(groups, (g) => Math.max(groupMatch(g, fw[i]), near(g), 0.8 * groupMatch(g, title))).cov;
    const own = weightedCoverage(sentGroups, (g) => groupMatch(g, fw[i])).cov;
    const total = (type === 'count' || type === 'amount') && /\b(?:i alt|samlet|total|sammenlagt)\b/i.test(s.text) ? 0.25 : 0;
    // who was appointed, what was approved: the decision records it
    const dec = s.field === 'decision' ? (type === 'person' ? 0.2 : 0.04) : 0;
    const extra = bonus ? bonus(s.text) : 0;
    // a sentence that ends in a colon is read with the list it introduces ("Til referencegruppen udpeges:" names people)
    const list = type === 'person' && s.text.trim().endsWith(':') ? sents.slice(i + 1, i + 4).map((x) => x.text).join(' ') : '';
    return { s, cov, own, score: 0.6 * cov + 0.8 * own + cueScore(type, `${s.header ?? ''} ${s.text} ${list}`, groups) + total + dec + extra - (s.text.length > 400 ? 0.1 : 0) };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const top = ranked[0];
  const chosen = [top];
  const totalIdf = groups.reduce((a, g) => a + g.idf, 0) || 1;
  const covered = new Set(groups.filter((g) => groupMatch(g, fw[top.s.index]) >= 0.5));
  for (const c of ranked.slice(1)) {
    if (chosen.length >= max) break;
    if (c.s.text === top.s.text) continue;
    const adds = groups.filter((g) => !covered.has(g) && groupMatch(g, fw[c.s.index]) >= 0.5);
    const gain = adds.reduce((a, g) => a + g.idf, 0) / totalIdf;
    const close = c.score >= top.score * 0.85 && c.own > 0 && Math.abs(c.s.index - top.s.index) <= 3;
    // a second part of the question ("... og hvad er belægningen") answered by another sentence
    const covers = gain >= 0.15 && c.score >= top.score * 0.5 && Math.abs(c.s.index - top.s.index) <= 6;
    if (close || covers) {
      chosen.push(c);
      adds.forEach((g) => covered.add(g));
    }
  }
  if (type !== 'other' && type !== 'yesno' && cueScore(type, `${top.s.header ?? ''} ${top.s.text}`, groups) <= 0) {
    // the sentence names the thing, its neighbour states the amount, date or name
    const nb = scored
      // a reason is often given a few sentences before the conclusion it explains
      // (or anywhere in the same paragraph: "… nyt §107 tilbud. … Tilbuddet består af 5 lejligheder")
      .filter((c) => c !== top && (Math.abs(c.s.index - top.s.index) <= (type === 'reason' ? 8 : 2) || c.s.line === top.s.line) && c.own > 0 && cueScore(type, `${c.s.header ?? ''} ${c.s.text}`, groups) > 0)
      .sort((a, b) => b.score - a.score)[0];
    if (nb) chosen.push(nb);
  }
  // the sentence after the best one often completes it ("… åbne et nyt tilbud." "Der er tale om Den Blå Ambassade …")
  const after = scored[top.s.index + 1];
  if (after && !chosen.includes(after) && after.s.field === top.s.field && !after.s.header && top.s.text.length + after.s.text.length <= 420 && !top.s.text.trim().endsWith(':')) chosen.push(after);
  // a heading that matched ("Fokusområde 3") is followed by what is said under it: two sentences of it
  const heading = top.s.text.length <= 40 && !/[.:!?]$/.test(top.s.text.trim()) && !top.s.header;
  const next = scored[top.s.index + 2];
  if (heading && chosen.includes(after) && next && !chosen.includes(next) && next.s.field === top.s.field && !next.s.header && after.s.text.length + next.s.text.length <= 480) chosen.push(next);
  // and the one before it in the same paragraph often names the subject ("Centerleder X har været medlem. X stopper …")
  const before = scored[top.s.index - 1];
  const length = chosen.reduce((a, c) => a + c.s.text.length, 0);
  if (before && !chosen.includes(before) && before.s.line === top.s.line && !before.s.header && length + before.s.text.length <= 480) chosen.push(before);
  // a sentence that leans on the one before ("Derfor …", "Dette …") needs it
  for (const c of [...chosen]) {
    const prev = scored[c.s.index - 1];
    if (prev && !chosen.includes(prev) && prev.s.field === c.s.field && /^(?:derfor|dermed|dette|det betyder|heraf|hermed|således|this|therefore)\b/i.test(c.s.text)) chosen.push(prev);
  }
  chosen.sort((a, b) => a.s.index - b.s.index);
  // a sentence that ends in a colon introduces the list that answers ("Til referencegruppen udpeges:")
  const last = chosen[chosen.length - 1];
  if (last.s.text.trim().endsWith(':')) {
    let len = 0;
    for (let k = last.s.index + 1; k < sents.length && k <= last.s.index + 8 && len < 500; k++) {
      if (sents[k].field !== last.s.field) break;
      const entry = scored[k];
      if (!chosen.includes(entry)) chosen.push(entry);
      len += sents[k].text.length;
    }
  }
  const parts: string[] = [];
  for (const c of chosen) {
    // a table row: put its header line first
    if (c.s.header && !parts.includes(`${c.s.header}:`)) parts.push(`${c.s.header}:`);
    // (the same sentence stored twice in the item is quoted once)
    if (!parts.includes(c.s.text)) parts.push(c.s.text);
  }
  const near = new Set(chosen.flatMap((c) => [-4, -3, -2, -1, 0, 1, 2].map((d) => c.s.index + d)));
  const context = sents.filter((x) => near.has(x.index)).map((x) => x.text).join(' ');
  return { text: parts.join(' '), coverage: top.cov, context };
}

const OUTCOME_SENTENCE = /\b(?:godkend\w*|vedtag\w*|vedtog|tiltr(?:å|aa)d\w*|afvist|afvise\w*|udsat|udsættes|drøftet|taget til efterretning|tog\w* \w+ til efterretning|besluttede|besluttet|bakke\w* op|opbakning|ikke godkendt)\b/i;

/** The sentences of the decision that match the question best (the whole decision when short), with the outcome sentence after them. */
export function decisionQuote(groups: TermGroup[], item: ItemRow, maxChars = 450): string {
  const dec = stripAttachments(item.decision ?? '');
  if (!dec) return '';
  if (dec.length <= maxChars) return dec.replace(/\s*\n\s*/g, ' ').replace(/\s+/g, ' ');
  const lines = dec.split(/\n+/);
  const sents = lines.flatMap((l) => sentences(l));
  // a sub-heading: a whole short line without a full stop ("Mulighed for revision af takster to gange årligt")
  const headings = new Set(lines.map((l) => l.trim()).filter((l) => l.length <= 140 && !/[.!?:]$/.test(l)));
  const fw = sents.map((s) => fieldWords(s));
  // words the title carries identify the item, not the sentence (as in factSentences, and more so: every sentence of a
  // decision is about the item's subject, and one that repeats the title, "Nordjysk Socialaftale 2018-2020", says least)
  const title = fieldWords(item.title);
  const sentGroups = groups.map((g) => ({ ...g, idf: groupMatch(g, title) >= 0.8 ? g.idf * 0.15 : g.idf }));
  const scored = sents.map((s, i) => ({ s, i, cov: weightedCoverage(sentGroups, (g) => groupMatch(g, fw[i])).cov }));
  // a heading is read with what was said under it (up to the next heading)
  const under = (i: number) => {
    const body: string[] = [];
    for (let k = i + 1; k < sents.length && body.length < 3 && !headings.has(sents[k].trim()); k++) body.push(sents[k]);
    return body.join(' ');
  };
  const ranked = scored
    .map((r) => (r.cov > 0 && headings.has(r.s.trim()) ? { ...r, cov: weightedCoverage(sentGroups, (g) => groupMatch(g, fieldWords(`${r.s} ${under(r.i)}`))).cov } : r))
    .filter((r) => r.cov > 0)
    .sort((a, b) => b.cov - a.cov || a.i - b.i);
  const keep = new Set<number>();
  let len = 0;
  const seen = new Set<string>();
  let picks = 0;
  for (const r of ranked) {
    if (picks >= 2) break;
    if (seen.has(r.s.trim())) continue;
    seen.add(r.s.trim());
    if (keep.size && len + r.s.length > maxChars) break;
    picks++;
    keep.add(r.i);
    len += r.s.length;
    if (headings.has(r.s.trim())) {
      // a heading matched: what was said under it answers ("Referat:" labels skipped)
      for (let k = r.i + 1, added = 0; k < sents.length && added < 2 && !headings.has(sents[k].trim()); k++) {
        if (/^\p{L}+:$/u.test(sents[k].trim())) continue;
        keep.add(k);
        len += sents[k].length;
        added++;
      }
      continue;
    }
    // the outcome often follows in its own short sentence ("Forslaget blev ikke godkendt …"), as does what was
    // proposed instead ("I stedet ønskes …")
    const next = sents[r.i + 1];
    if (next && next.length < 200 && ((OUTCOME_SENTENCE.test(next) && !OUTCOME_SENTENCE.test(r.s)) || /^(?:i stedet|men|dog|herunder|eksempelvis|fx)\b/i.test(next))) {
      keep.add(r.i + 1);
      len += next.length;
    }
  }
  // sentences that record a decision in so many words belong in the quote, those nearest what was asked first
  // (far from what matched, another part of the item decided something else)
  const picked = [...keep];
  const distance = (i: number) => Math.min(...picked.map((k) => Math.abs(k - i)), 99);
  const recorded = scored
    .filter((r) => !keep.has(r.i) && (!picked.length || distance(r.i) <= 6) && /\b(?:blev det besluttet|besluttede|det blev aftalt|aftalte|enighed om|blev godkendt|godkendte|blev ikke godkendt|vedtog)\b/i.test(r.s))
    .sort((a, b) => distance(a.i) - distance(b.i) || a.i - b.i);
  for (const r of recorded) {
    if (len + r.s.length > maxChars * 1.3) continue;
    keep.add(r.i);
    len += r.s.length;
  }
  // an opening that introduces what follows ("DAS bemærkede følgende til oplægget:") stays
  if (sents[0]?.trim().endsWith(':')) keep.add(0);
  if (!keep.size) {
    keep.add(0);
    if (sents[1] && sents[0].length + sents[1].length <= maxChars) keep.add(1);
  }
  return [...keep]
    .sort((a, b) => a - b)
    .map((i, k, arr) => (k > 0 && i > arr[k - 1] + 1 ? `… ${sents[i]}` : sents[i]))
    .join(' ');
}

/** How much of the question the decision text itself covers. */
export function decisionCoverage(groups: TermGroup[], item: ItemRow): number {
  return weightedCoverage(groups, (g) => groupMatch(g, fieldWords(item.decision))).cov;
}

/** Drops attachment lines ("- 6a - Tilbudsportalen, …", "Bilag: x.pdf") that some layouts leave in a decision. */
export function stripAttachments(text: string): string {
  return text
    .split(/\n/)
    .filter((l) => !/^\s*[-•]?\s*(?:\d{1,2}[a-z]?\s*[-_–]|bilag\b)/i.test(l) && !/\.(?:pdf|docx?|xlsx?|pptx?)\s*$/i.test(l))
    .join('\n')
    .trim();
}
