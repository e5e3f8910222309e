import type { Db, Queryable } from '../store/db';
import synonymsData from './synonyms.json';
import { editDistance, normalize, skel } from './text';

/**
 * Question words → words that occur in the stored items. The lexicon (table q_lexicon, migration 0100) holds
 * every word of every item with its folded form and document frequency; it is rebuilt when items change.
 * A question word is resolved by: its folded form (naeste → næste), the synonym list (pris → takst),
 * English glosses (closure → lukning), trigram similarity for typos (tilbudsportlen → tilbudsportalen),
 * compounds split or joined (stigning → takststigning; møde plan → mødeplan).
 */

/** Memo of stem(); words repeat across items and questions. */
const STEMS = new Map<string, string>();

export interface Alt {
  word: string; // surface form as stored
  skel: string;
  df: number;
  /** 1 for the word itself; lower for guesses. */
  weight: number;
  kind: 'exact' | 'synonym' | 'english' | 'fuzzy' | 'infix' | 'join' | 'split';
  /** Stems, computed once when first matched. */
  st?: string;
  rst?: string;
}

export interface TermGroup {
  /** The folded question word(s). */
  token: string;
  alts: Alt[];
  /** Inverse document frequency of the group (its best alternative), ≥ 0. */
  idf: number;
  /** A number (amount, year): matched literally. */
  numeric: boolean;
  /** Typed with æ, ø or å: match real spellings only ("møder" is not "moderen", "hævet" is not "have"). */
  strict?: boolean;
  /** Satisfied whatever the text says (a bare year met by the meeting's date). */
  always?: boolean;
}

// ---------- synonym data, folded once ----------

interface SynData {
  groups: string[][];
  phrases: Record<string, string>;
  english: Record<string, string[]>;
  /** Verbs and fillers that say little about the topic: they weigh less when matching. */
  weak: string[];
}
const data = synonymsData as unknown as SynData;
const WEAK = new Set((data.weak ?? []).flatMap((w) => [skel(normalize(w)), stem(skel(normalize(w)))]));

/** A folded word listed as weak (a verb or filler that says little about the topic). */
export const isWeak = (t: string): boolean => WEAK.has(t) || WEAK.has(stem(t));

const SYN = new Map<string, Set<string>>();
for (const g of data.groups) {
  const words = g.map((w) => skel(normalize(w)));
  for (const w of words) {
    if (w.includes(' ')) continue;
    const set = SYN.get(w) ?? new Set<string>();
    for (const o of words) if (o !== w) for (const part of [o]) set.add(part);
    SYN.set(w, set);
  }
}
const ENGLISH = new Map<string, string[]>();
for (const [k, v] of Object.entries(data.english)) ENGLISH.set(skel(normalize(k)), v.map((w) => skel(normalize(w))));
export const PHRASES: Array<[string, RegExp, string]> = Object.entries(data.phrases)
  .sort((a, b) => b[0].length - a[0].length)
  .map(([k, v]) => [skel(normalize(k)), new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(skel(normalize(k)))}(?![\\p{L}\\p{N}])`, 'gu'), skel(normalize(v))]);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Rewrites multi-word expressions ("rate increase", "stigning i taksten") to one minutes word. */
export function rewritePhrases(folded: string): string {
  let out = folded;
  for (const [key, re, to] of PHRASES) if (out.includes(key)) out = out.replace(re, to);
  return out;
}

/** A crude Danish/English stem on folded words, for matching inflected forms in item text. */
export function stem(w: string): string {
  if (w.length <= 4) return w;
  const hit = STEMS.get(w);
  if (hit !== undefined) return hit;
  const s = stemUncached(w);
  if (STEMS.size > 50_000) STEMS.clear();
  STEMS.set(w, s);
  return s;
}

function stemUncached(w: string): string {
  if (/^\d/.test(w)) return w;
  const suffixes = ['elsernes', 'elserne', 'ernes', 'erens', 'erne', 'ende', 'ethed', 'elser', 'elsen', 'else', 'ens', 'ets', 'ere', 'ene', 'ede', 'eren', 'er', 'en', 'et', 'es', 'ed', 'e', 's'];
  for (const s of suffixes) if (w.endsWith(s) && w.length - s.length >= 4) return w.slice(0, -s.length);
  return w;
}

/** Synonyms of a folded word: by the word itself, else by its stem. */
export function synonymsOf(t: string): string[] {
  const direct = SYN.get(t);
  if (direct) return [...direct];
  // an inflection of a listed word ("døgnprisen" of "døgnpris"): stems of the two need not agree
  for (const suffix of ['erne', 'ene', 'ens', 'ets', 'en', 'et', 'er', 'e']) {
    const base = t.endsWith(suffix) && t.length - suffix.length >= 4 ? SYN.get(t.slice(0, -suffix.length)) : undefined;
    if (base) return [...base];
  }
  const st = stem(t);
  for (const [k, v] of SYN) if (stem(k) === st) return [...v];
  return [];
}

export function englishOf(t: string): string[] {
  const direct = ENGLISH.get(t);
  if (direct) return direct;
  // plural / past / -ing
  for (const cand of [t.replace(/ies$/, 'y'), t.replace(/es$/, ''), t.replace(/s$/, ''), t.replace(/ed$/, ''), t.replace(/ed$/, 'e'), t.replace(/ing$/, ''), t.replace(/ing$/, 'e')]) {
    const hit = ENGLISH.get(cand);
    if (hit) return hit;
  }
  return [];
}

// ---------- the lexicon table ----------

/** Rebuilds q_lexicon when items changed since the last build (cheap check otherwise). */
export async function ensureLexicon(db: Db): Promise<void> {
  const st = await db.query<{ dirty: boolean }>('select dirty from q_state where id = 1');
  if (st.rows.length && !st.rows[0].dirty) return;
  await db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query("select pg_advisory_xact_lock(hashtext('forumbot:q_lexicon'))");
    const again = await tx.query<{ dirty: boolean }>('select dirty from q_state where id = 1 for update');
    if (again.rows.length && !again.rows[0].dirty) return;
    await rebuildLexicon(tx);
  });
  await tidySearchIndexes(db);
}

/**
 * After imports: merge the GIN pending lists and refresh planner statistics, so that searches use the
 * full-text index. PGlite has no autovacuum; without this the planner scans every item.
 */
export async function tidySearchIndexes(db: Db): Promise<void> {
  for (const sql of [
    "select gin_clean_pending_list('items_search'::regclass)",
    "select gin_clean_pending_list('items_title_trgm'::regclass)",
    "select gin_clean_pending_list('items_title_fts'::regclass)",
    'analyze items',
    'analyze meetings',
    'analyze q_lexicon',
  ]) {
    try {
      await db.query(sql);
    } catch {
      // not the owner (a read-only role) or an index renamed: searches still work, only slower
    }
  }
}

export async function rebuildLexicon(q: Queryable): Promise<void> {
  await q.query('delete from q_lexicon');
  await q.query(
    `insert into q_lexicon (word, skel, df)
     select w, q_skel(w), count(*)::int
     from items i,
          unnest(tsvector_to_array(to_tsvector('simple',
            coalesce(i.title, '') || ' ' || coalesce(i.background, '') || ' ' || coalesce(i.recommendation, '') || ' ' || coalesce(i.decision, '')))) w
     where length(w) between 2 and 40 and w !~ '^[0-9.,/_-]+$'
     group by w`,
  );
  const n = await q.query<{ n: number }>('select count(*)::int n from items');
  await q.query('insert into q_state (id, dirty, items, built_at) values (1, false, $1, now()) on conflict (id) do update set dirty = false, items = $1, built_at = now()', [n.rows[0].n]);
}

interface LexRow {
  word: string;
  skel: string;
  df: number;
}

const isNumber = (t: string) => /^\d/.test(t);

/**
 * Resolves the topic words of a question into term groups of words that exist in the items.
 * Words nothing in the items resembles keep an empty group: they count against coverage, which is how
 * "hvem er borgmester i Odense?" ends as "don't know".
 */
export async function resolveTerms(db: Queryable, tokens: string[], lang: 'da' | 'en', strict: ReadonlyMap<string, string> = new Map()): Promise<{ groups: TermGroup[]; total: number }> {
  const totalRow = await db.query<{ n: number }>('select items::int n from q_state where id = 1');
  const total = Math.max(1, totalRow.rows[0]?.n ?? 1);
  const words = tokens.filter((t) => !isNumber(t));

  // candidate forms to look up exactly: the words, their synonyms and English glosses, splits and joins
  const want = new Set<string>();
  const syn = new Map<string, string[]>();
  const eng = new Map<string, string[]>();
  for (const t of words) {
    want.add(t);
    // genitive: "LSIs", "FUs", "Vængets"
    if (t.length >= 4 && t.endsWith('s')) want.add(t.slice(0, -1));
    const s = synonymsOf(t);
    syn.set(t, s);
    s.forEach((x) => want.add(x));
    const e = englishOf(t);
    eng.set(t, e);
    for (const x of e) {
      want.add(x);
      for (const y of synonymsOf(x)) want.add(y);
    }
    for (let i = 3; i <= t.length - 3; i++) {
      want.add(t.slice(0, i));
      want.add(t.slice(i));
    }
  }
  const joins: Array<[number, string]> = [];
  for (let i = 0; i + 1 < words.length; i++) {
    for (const link of ['', 's', 'e']) {
      const j = words[i] + link + words[i + 1];
      want.add(j);
      joins.push([i, j]);
    }
    const ea = englishOf(words[i]);
    const eb = englishOf(words[i + 1]);
    for (const a of ea) for (const b of eb) for (const link of ['', 's', 'e']) {
      want.add(a + link + b);
      joins.push([i, a + link + b]);
    }
  }
  // one round trip: exact forms, typo candidates (words with no exact form) and compounds holding the word
  const r = await db.query<LexRow & { k: string; t: string; sim: number }>(
    `select 'exact' as k, l.skel as t, l.word, l.skel, l.df, 1::float8 as sim from q_lexicon l where l.skel = any($1::text[])
     union all
     select 'fuzzy', w.t, l.word, l.skel, l.df, similarity(l.skel, w.t)::float8
     from unnest($2::text[]) w(t)
     cross join lateral (select word, skel, df from q_lexicon where skel % w.t order by similarity(skel, w.t) desc, df desc limit 12) l
     where length(w.t) >= 4 and not exists (select 1 from q_lexicon x where x.skel = w.t)
     union all
     select 'infix', w.t, l.word, l.skel, l.df, 0
     from unnest($2::text[]) w(t)
     cross join lateral (select word, skel, df from q_lexicon where skel like '%' || w.t || '%' and skel <> w.t order by df desc limit 25) l
     where length(w.t) >= 5`,
    [[...want], words],
  );
  const exact = new Map<string, LexRow[]>();
  const fuzzy = new Map<string, Array<LexRow & { sim: number }>>();
  const infix = new Map<string, LexRow[]>();
  for (const row of r.rows) {
    const map = row.k === 'exact' ? exact : row.k === 'fuzzy' ? fuzzy : infix;
    const list = map.get(row.t) ?? [];
    list.push(row as never);
    map.set(row.t, list as never);
  }
  const lookup = (s: string) => exact.get(s) ?? [];

  const groups: TermGroup[] = [];
  const consumed = new Set<number>();
  // joined pairs found in the lexicon replace the two words ("mode plan" → "modeplan")
  const joinedAt = new Map<number, LexRow[]>();
  for (const [i, j] of joins) {
    const rows = lookup(j);
    if (rows.length && !joinedAt.has(i)) joinedAt.set(i, rows);
  }
  for (let i = 0; i < words.length; i++) {
    if (consumed.has(i)) continue;
    const t = words[i];
    const alts: Alt[] = [];
    const add = (rows: LexRow[], weight: number, kind: Alt['kind']) => {
      for (const r of rows) {
        const prev = alts.find((a) => a.word === r.word);
        if (prev) {
          if (prev.weight < weight) Object.assign(prev, { weight, kind });
        } else alts.push({ word: r.word, skel: r.skel, df: r.df, weight, kind });
      }
    };
    const j = joinedAt.get(i);
    if (j && !lookup(t).length) {
      add(j, 1, 'join');
      consumed.add(i + 1);
    } else if (j) {
      add(j, 0.9, 'join');
    }
    add(lookup(t), 1, 'exact');
    if (!lookup(t).length && t.length >= 4 && t.endsWith('s')) add(lookup(t.slice(0, -1)), 1, 'exact');
    // synonyms and glosses count even when the exact form is not stored: matching in item text uses stems
    const asRows = (w: string): LexRow[] => (lookup(w).length ? lookup(w) : [{ word: w, skel: w, df: 0 }]);
    for (const s of syn.get(t) ?? []) add(asRows(s), 0.85, 'synonym');
    const englishGloss = eng.get(t) ?? [];
    if (lang === 'en' || !lookup(t).length) {
      for (const e of englishGloss) {
        add(asRows(e), 0.95, 'english');
        for (const s of synonymsOf(e)) add(asRows(s), 0.8, 'synonym');
      }
    }
    if (!alts.length || alts.every((a) => a.kind !== 'exact')) {
      // typo candidates: close in edit distance, or an inflection sharing the stem
      for (const f of fuzzy.get(t) ?? []) {
        const d = editDistance(f.skel, t);
        // typos keep the first letter; short words allow one slip
        const maxD = t.length <= 4 ? 0 : t.length <= 6 ? 1 : t.length <= 9 ? 2 : 3;
        if (f.skel[0] !== t[0]) continue;
        if (stem(f.skel) === stem(t)) add([f], 1, 'fuzzy'); // the same word inflected ("tilbudsportal" → "tilbudsportalen")
        else if (d <= maxD) add([f], d === 1 ? 0.9 : 0.8, 'fuzzy');
        else if (stem(f.skel) === stem(t) || (f.skel.startsWith(stem(t)) && stem(t).length >= 5)) add([f], 0.85, 'fuzzy');
      }
      // a derivation with no form of its own in the minutes ("midtjydernes" → "midtjyske"): a long shared start
      if (!alts.length) {
        for (const f of fuzzy.get(t) ?? []) {
          let k = 0;
          while (k < f.skel.length && k < t.length && f.skel[k] === t[k]) k++;
          if (k >= 6 && k >= 0.6 * Math.min(f.skel.length, t.length)) add([f], 0.7, 'fuzzy');
        }
      }
      // compound split: both halves known ("takststigning" when only "takst" and "stigning" occur)
      if (!alts.length) {
        for (let k = 3; k <= t.length - 3; k++) {
          const a = t.slice(0, k);
          let b = t.slice(k);
          if (!lookup(a).length) continue;
          if (!lookup(b).length && (b.startsWith('s') || b.startsWith('e')) && lookup(b.slice(1)).length) b = b.slice(1);
          if (!lookup(b).length) continue;
          add(lookup(a), 0.6, 'split');
          add(lookup(b), 0.6, 'split');
          break;
        }
      }
    }
    const real = strict.get(t);
    for (const r of infix.get(t) ?? []) {
      // typed with æøå: a compound must hold the word as spelled ("møder" is in "dialogmøder", not in "moderen")
      if (real && !r.word.includes(stem(real))) continue;
      // the word as the last part of a compound is a strong hint (stigning → takststigning), as first part weaker
      const pos = r.skel.indexOf(t);
      // a compound part starts the word or leaves a real word before it ("halvårlige", not "særlig")
      if (pos > 0 && pos < 3) continue;
      const w = pos > 0 && pos + t.length >= r.skel.length - 4 ? 0.75 : pos === 0 ? 0.7 : 0.55;
      add([r], w, 'infix');
    }
    alts.sort((a, b) => b.weight - a.weight || b.df - a.df);
    const best = alts.filter((a) => a.weight >= 0.8);
    const df = best.length ? Math.max(...best.map((a) => a.df)) : alts.length ? Math.max(...alts.map((a) => a.df)) : 0;
    const weak = WEAK.has(t) || WEAK.has(stem(t));
    // a weak word the minutes never use says nothing either way
    const idf = weak && !alts.length ? 0.05 : Math.max(Math.log(1 + total / (1 + df)), 0.3) * (weak ? 0.3 : 1);
    groups.push({ token: t, alts: alts.slice(0, 40), idf, numeric: false, strict: strict.has(t) });
  }
  for (const t of tokens.filter(isNumber)) {
    groups.push({ token: t, alts: [{ word: t, skel: t, df: 1, weight: 1, kind: 'exact' }], idf: Math.log(1 + total / 2), numeric: true });
  }
  return { groups, total };
}
