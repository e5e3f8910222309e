/**
 * The text parser: lines → Meeting. Finds the header fields, the agenda list, the item headings in the
 * body (aligned with the list when there is one, otherwise the best increasing chain of numbered
 * headings), splits each item into labelled sections, and derives dates, people, outcomes and the
 * next meeting. Pure and synchronous; linear-ish in the input.
 */
import { UserError } from '../errors';
import { danishDate, dateTimeEnd, findDates, findTimes, formatDate, formatLocal, withYear, type DateHit, type HM, type YMD } from './dates';
import { type HeaderField, isListHeader, MEETING_BODIES, isWeakBackgroundLabel, matchHeaderLabel, matchSectionLabel, type SectionKind } from './labels';
import { type Line, toLines } from './lines';
import type { Item, Meeting, Person } from './model';
import { classifyOutcome } from './outcome';
import { absentFromRemarks, parsePeople } from './people';
import { cleanBlock, collapseSpaces, diceSimilarity, fold, key, stripBullet, titleSimilarity, tokens } from './text';

export const MAX_TEXT_CHARS = 10 * 1024 * 1024;
const MAX_ITEMS = 400;

export interface ParseOptions {
  fileName?: string;
}

// ---------------------------------------------------------------------------------------------
// numbered headings

export interface Numbered {
  num: number;
  /** letter suffix as 1, 2, … ("3a." → 1); 0 when there is none */
  sub?: number;
  title: string;
  /** "1." / "1)" / "Punkt 1" (true) versus a bare "1 Title" (false) */
  strong: boolean;
}

/** Ordering of two item numbers: 1 for the next one ("2" → "3", "3a" → "3b", "3" → "3a"), ≤ 0 when not after. */
export function numStep(p: { num: number | null; sub?: number }, c: { num: number | null; sub?: number }): number {
  if (p.num === null || c.num === null) return 0;
  if (c.num === p.num) return (c.sub ?? 0) > (p.sub ?? 0) ? 1 : 0;
  return c.num - p.num;
}

export function numKey(h: { num: number | null; sub?: number }): string {
  return `${h.num}:${h.sub ?? 0}`;
}

const PREFIX_NUM_RE = /^(?:dagsordens)?(?:item|punkt(?:\s*nr\.?)?|pkt\.?(?:\s*nr\.?)?|sag(?:\s*nr\.?)?|nr\.|ad\.?\s*(?:pkt\.?|punkt)?)\s*(\d{1,3})([a-h])?\b\s*[.:)\-–]?\s*(.*)$/i;
const DOT_NUM_RE = /^(\d{1,3})([a-h])?\s*(\.0\.?(?=\s)|[.):]|\s[-–](?=\s))(\s*)(.+)$/;
const BARE_NUM_RE = /^(\d{1,3})\s+([A-ZÆØÅ].+)$/;
const ROMAN_RE = /^(X{0,2}(?:IX|IV|V?I{0,3}))\s*[.)]\s+(.+)$/;
const TITLE_START_RE = /^[A-ZÆØÅÉÜÖÄ"“„'«§(]/;
const ROMAN_VALUE: Record<string, number> = { I: 1, V: 5, X: 10 };

function romanValue(s: string): number {
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const a = ROMAN_VALUE[s[i]];
    const b = i + 1 < s.length ? ROMAN_VALUE[s[i + 1]] : 0;
    v += a < b ? -a : a;
  }
  return v;
}

const subOf = (letter: string | undefined): number => (letter ? letter.toLowerCase().charCodeAt(0) - 96 : 0);

/** Access status markers that portals put around a title: "(Åben)", "Lukket punkt", "- Åbent punkt". */
const STATUS_MARK_RE = /^\s*\((?:åben|åbent|lukket)(?:\s+(?:punkt|sag))?\)\s*|\s*(?:\(|[-–]\s*)(?:åben|åbent|lukket)(?:\s+(?:punkt|sag))?\)?\s*$/i;

export function cleanTitle(t: string): string {
  let s = t.replace(/\t+/g, ' ');
  s = s.replace(/\(\s*(?:side|s\.)\s*\d+\s*\)/gi, ' ');
  s = s.replace(/\s*(?:\.{3,}|…+|_{3,})\s*\d*\s*$/, ''); // dot leaders with page numbers
  s = s.replace(/\*\*?([^*]{1,300})\*\*?/g, '$1');
  s = collapseSpaces(s);
  s = s.replace(STATUS_MARK_RE, '');
  s = s.replace(/[\s:;,]+$/, '');
  return s;
}

const TABLE_NUM_RE = /^(\d{1,3})([a-h])?\s*[.)]?\t+([^\t]+)/;

export function parseNumbered(text: string, raw?: string): Numbered | null {
  // a table row: "1.<TAB>Godkendelse af dagsorden<TAB>3"
  if (raw && raw.indexOf('\t') > 0) {
    const tm = TABLE_NUM_RE.exec(stripBullet(raw));
    if (tm) {
      const title = cleanTitle(tm[3]);
      if (title && TITLE_START_RE.test(title) && !/^\d/.test(title)) return { num: +tm[1], sub: subOf(tm[2]), title, strong: true };
    }
  }
  const t = stripBullet(text);
  if (!t || t.length > 320) return null;
  let m = PREFIX_NUM_RE.exec(t);
  if (m) {
    const title = cleanTitle(m[3]);
    return { num: +m[1], sub: subOf(m[2]), title, strong: true };
  }
  m = DOT_NUM_RE.exec(t);
  if (m) {
    const rest = raw && raw.indexOf('\t') > 0 ? (stripBullet(raw).replace(/^\d{1,3}[a-h]?\s*(?:[.):]|\.0\.?)\s*/, '').split('\t').find((c) => c.trim()) ?? m[5]).trim() : m[5];
    if (/^\d/.test(rest)) return null; // "1.1", "2.085"
    if (!TITLE_START_RE.test(rest)) return null;
    if (m[3] === ':' && !m[4]) return null; // "10:30"
    const dash = /[-–]/.test(m[3]);
    if (dash && m[2]) return null; // "2f - Holger case.pdf" in an attachment list
    const title = cleanTitle(rest);
    if (!title) return null;
    return { num: +m[1], sub: subOf(m[2]), title, strong: !dash && !(m[2] && /^[-–•*·]/.test(text)) };
  }
  m = ROMAN_RE.exec(t);
  if (m && m[1] && TITLE_START_RE.test(m[2])) {
    const title = cleanTitle(m[2]);
    // "V. Olsen", "I. C. Jacobsen": a single letter is often an initial, so it is a weak heading on its own
    if (title && !/^[A-ZÆØÅ]\.\s/.test(title)) return { num: romanValue(m[1]), sub: 0, title, strong: m[1].length > 1 };
  }
  m = BARE_NUM_RE.exec(t);
  if (m && !/\t/.test(text)) {
    const title = cleanTitle(m[2]);
    if (!title || /^\d/.test(title)) return null;
    return { num: +m[1], sub: 0, title, strong: false };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// agenda list

interface Entry {
  num: number | null;
  sub?: number;
  title: string;
  line: number;
}

interface ListBlock {
  entries: Entry[];
  start: number;
  end: number; // exclusive
  headed: boolean;
  lines: Set<number>;
}

function nextNonBlank(lines: Line[], i: number, limit = 6): number {
  for (let j = i + 1; j < lines.length && j <= i + limit; j++) if (lines[j].text) return j;
  return -1;
}

function prevNonBlank(lines: Line[], i: number, limit = 6): number {
  for (let j = i - 1; j >= 0 && j >= i - limit; j--) if (lines[j].text) return j;
  return -1;
}

/** "Godkendelse af dagsorden 3" in a table of contents: drop the page numbers when most entries have them. */
function stripPageNumbers(entries: Entry[]): void {
  const nums = entries.map((e) => /\s(\d{1,3})$/.exec(e.title));
  const have = nums.filter(Boolean).length;
  if (have < Math.max(2, entries.length * 0.6)) return;
  let prev = 0;
  for (const m of nums) if (m) {
    if (+m[1] < prev) return;
    prev = +m[1];
  }
  entries.forEach((e, k) => {
    if (nums[k]) e.title = e.title.replace(/\s+\d{1,3}$/, '');
  });
}

/** The first run of numbered lines that reads like an agenda list (entries follow each other densely). */
function findList(lines: Line[], numbered: Array<Numbered | null>): ListBlock | null {
  const n = lines.length;
  const scanTo = Math.min(n, 4000);
  for (let i = 0; i < scanTo; i++) {
    // bulleted list under a list header ("PUNKTER" + "- Title")
    if (lines[i].text && isListHeader(lines[i].text) && !numbered[i]) {
      const j = nextNonBlank(lines, i, 3);
      if (j > 0 && !numbered[j] && /^[-•*·▪–]\s*\S/.test(lines[j].text)) {
        const entries: Entry[] = [];
        const set = new Set<number>([i]);
        let k = j;
        let last = i;
        while (k > 0 && k < n && /^[-•*·▪–]\s*\S/.test(lines[k].text) && lines[k].text.length < 300 && entries.length < MAX_ITEMS) {
          entries.push({ num: null, title: cleanTitle(stripBullet(lines[k].text)), line: k });
          set.add(k);
          last = k;
          k = nextNonBlank(lines, k, 2);
        }
        if (entries.length >= 2) return { entries, start: i, end: last + 1, headed: true, lines: set };
      }
    }
    const a = numbered[i];
    if (!a || !a.strong || !a.title) continue;
    // dense run starting here
    const entries: Entry[] = [{ num: a.num, sub: a.sub, title: a.title, line: i }];
    const set = new Set<number>([i]);
    let prev: { num: number; sub?: number } = a;
    let k = i;
    let last = i;
    for (;;) {
      let j = nextNonBlank(lines, k, 4);
      if (j < 0) break;
      // allow a short group header between entries ("Sager til orientering")
      if (!numbered[j] && lines[j].text.length <= 60 && !/[.]$/.test(lines[j].text) && !matchSectionLabel(lines[j].text)) {
        const j2 = nextNonBlank(lines, j, 3);
        const b2 = j2 > 0 ? numbered[j2] : null;
        const st2 = b2 ? numStep(prev, b2) : 0;
        if (b2 && b2.strong && st2 > 0 && st2 <= 3) {
          set.add(j);
          j = j2;
        }
      }
      const b = numbered[j];
      const st = b ? numStep(prev, b) : 0;
      if (!b || !b.strong || st <= 0 || st > 3 || !b.title || entries.length >= MAX_ITEMS) break;
      entries.push({ num: b.num, sub: b.sub, title: b.title, line: j });
      set.add(j);
      prev = b;
      last = j;
      k = j;
    }
    if (entries.length >= 2) {
      stripPageNumbers(entries);
      const p = prevNonBlank(lines, i, 4);
      const headed = p >= 0 && isListHeader(lines[p].text);
      if (headed) set.add(p);
      return { entries, start: headed ? p : i, end: last + 1, headed, lines: set };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// aligning list entries with body headings (weighted longest increasing chain)

interface Cand {
  line: number;
  entry: number;
  score: number;
}

function isIsolated(lines: Line[], i: number): boolean {
  const prevBlank = i === 0 || !lines[i - 1].text || lines[i - 1].level > 0;
  const nextBlank = i + 1 >= lines.length || !lines[i + 1].text || !!matchSectionLabel(lines[i + 1].text);
  return (prevBlank && nextBlank) || lines[i].level > 0;
}

function followedByStructure(lines: Line[], i: number, title: string): boolean {
  let seen = 0;
  for (let j = i + 1; j < lines.length && seen < 3; j++) {
    const t = lines[j].text;
    if (!t) continue;
    seen++;
    if (matchSectionLabel(t)) return true;
    if (titleSimilarity(t, title) >= 0.8) return true;
  }
  return false;
}

function alignList(lines: Line[], numbered: Array<Numbered | null>, list: ListBlock): Map<number, number> {
  const entries = list.entries;
  const byNum = new Map<number, number[]>();
  const byFirst = new Map<string, number[]>();
  const byKey = new Map<string, number[]>();
  entries.forEach((e, idx) => {
    const k = tokens(e.title).join(' ');
    const ka = byKey.get(k) ?? [];
    ka.push(idx);
    byKey.set(k, ka);
    if (e.num !== null) {
      const a = byNum.get(e.num) ?? [];
      a.push(idx);
      byNum.set(e.num, a);
    }
    const t = tokens(e.title)[0];
    if (t) {
      const a = byFirst.get(t) ?? [];
      a.push(idx);
      byFirst.set(t, a);
    }
  });
  const cands: Cand[] = [];
  for (let i = list.end; i < lines.length && cands.length < 20000; i++) {
    const l = lines[i];
    if (!l.text || l.text.length > 320 || list.lines.has(i)) continue;
    const nb = numbered[i];
    if (nb) {
      const idxs = byNum.get(nb.num);
      if (idxs) {
        for (const idx of idxs) {
          const sim = titleSimilarity(nb.title, entries[idx].title);
          let score = sim >= 0.2 ? 2 + 2 * sim : nb.strong ? 1 : 0.3;
          if (followedByStructure(lines, i, nb.title)) score += 0.5;
          cands.push({ line: i, entry: idx, score });
        }
        continue;
      }
    }
    const text = nb ? nb.title : l.text;
    const tk = tokens(text);
    const ft = tk[0];
    let idxs = ft ? byFirst.get(ft) : undefined;
    if (!idxs) continue;
    // many entries share the first word: compare exact titles only (keeps this linear)
    if (idxs.length > 24) idxs = byKey.get(tk.join(' ')) ?? [];
    for (const idx of idxs) {
      const e = entries[idx];
      const renumbered = e.num !== null && nb !== null; // numbered on both sides, different numbers (TOC 1..n, body 45..)
      if (text.length > e.title.length * 1.6 + 20) continue;
      const sim = titleSimilarity(text, e.title);
      if (sim < (renumbered ? 0.85 : 0.75)) continue;
      if (matchSectionLabel(l.text) && sim < 1) continue;
      const isolated = isIsolated(lines, i);
      if (!isolated && sim < 1) continue;
      let score = 1 + 2 * sim;
      if (!isolated) score -= 1.5;
      if (followedByStructure(lines, i, e.title)) score += 0.5;
      if (score > 0) cands.push({ line: i, entry: idx, score });
    }
  }
  return bestChain(cands, entries.length);
}

/** Max-weight chain with strictly increasing line and entry; ties keep the earliest line. */
function bestChain(cands: Cand[], m: number): Map<number, number> {
  const result = new Map<number, number>();
  if (!cands.length) return result;
  cands.sort((a, b) => a.line - b.line || a.entry - b.entry);
  // Fenwick tree over entries for prefix max of (value, candidate index)
  const treeV = new Float64Array(m + 1).fill(0);
  const treeI = new Int32Array(m + 1).fill(-1);
  const best = new Float64Array(cands.length);
  const back = new Int32Array(cands.length).fill(-1);
  const query = (pos: number): [number, number] => {
    let v = 0;
    let id = -1;
    for (let i = pos; i > 0; i -= i & -i) if (treeV[i] > v) {
      v = treeV[i];
      id = treeI[i];
    }
    return [v, id];
  };
  const update = (pos: number, v: number, id: number) => {
    for (let i = pos; i <= m; i += i & -i) if (v > treeV[i]) {
      treeV[i] = v;
      treeI[i] = id;
    }
  };
  let k = 0;
  while (k < cands.length) {
    let e = k;
    while (e < cands.length && cands[e].line === cands[k].line) e++;
    for (let c = k; c < e; c++) {
      const [v, id] = query(cands[c].entry); // entries 0..entry-1 ↔ tree positions 1..entry
      best[c] = v + cands[c].score;
      back[c] = id;
    }
    for (let c = k; c < e; c++) update(cands[c].entry + 1, best[c], c);
    k = e;
  }
  let top = -1;
  let topV = 0;
  for (let c = 0; c < cands.length; c++) if (best[c] > topV + 1e-9) {
    topV = best[c];
    top = c;
  }
  for (let c = top; c >= 0; c = back[c]) result.set(cands[c].entry, cands[c].line);
  return result;
}

// ---------------------------------------------------------------------------------------------
// numbered headings without a list: the best increasing chain

interface Heading {
  line: number;
  num: number | null;
  sub?: number;
  /** a programme slot's times ("10.15 – 11.00") */
  slot?: { start: HM; end: HM | null };
  title: string;
}

function numberedChain(lines: Line[], numbered: Array<Numbered | null>, from: number, skip: Set<number>): Heading[] {
  const cands: Array<{ line: number; num: number; sub?: number; title: string; score: number; strong: boolean }> = [];
  for (let i = from; i < lines.length; i++) {
    const nb = numbered[i];
    if (!nb || skip.has(i) || !nb.title) continue;
    let score = nb.strong ? 2 : 0.3;
    if (followedByStructure(lines, i, nb.title)) score += 1.5;
    const p = i === 0 ? -1 : i - 1;
    if (p < 0 || !lines[p].text) score += 0.5;
    if (lines[i].level > 0) score += 1;
    if (nb.title.length > 150) score -= 2;
    if (/[.,;]$/.test(nb.title) && nb.title.length > 60) score -= 1;
    const nx = nextNonBlank(lines, i, 2);
    if (nx > 0 && numbered[nx] && numbered[nx]!.num === nb.num + 1 && !lines[i].level) score -= 0.7;
    // the end of a numbered list inside an item: the line before is the previous list entry
    const pv = prevNonBlank(lines, i, 2);
    if (pv >= 0 && numbered[pv] && numbered[pv]!.num === nb.num - 1 && !lines[i].level && !followedByStructure(lines, i, nb.title)) score -= 0.7;
    cands.push({ line: i, num: nb.num, sub: nb.sub, title: nb.title, score, strong: nb.strong });
    if (cands.length >= 3000) break;
  }
  if (!cands.length) return [];
  const best = new Float64Array(cands.length);
  const back = new Int32Array(cands.length).fill(-1);
  const WINDOW = 400;
  for (let c = 0; c < cands.length; c++) {
    const start = cands[c].num === 1 ? 1 : cands[c].num <= 3 ? 0.3 : 0;
    best[c] = cands[c].score + start;
    for (let p = Math.max(0, c - WINDOW); p < c; p++) {
      const step = numStep(cands[p], cands[c]);
      if (step <= 0) continue;
      // a weak heading ("V. Olsen", "2 kommuner …") only joins the chain as the very next number
      const trans = step === 1 ? 2 : step <= 3 ? (cands[c].strong ? 0 : -1) : -3;
      const v = best[p] + cands[c].score + trans;
      // ties go to the later predecessor: a real heading comes after a numbered list inside the item before it
      if (v > best[c] || (back[c] >= 0 && v === best[c])) {
        best[c] = v;
        back[c] = p;
      }
    }
  }
  let top = 0;
  for (let c = 1; c < cands.length; c++) if (best[c] > best[top]) top = c;
  if (best[top] < 2.5) return [];
  const chain: Heading[] = [];
  for (let c = top; c >= 0; c = back[c]) chain.push({ line: cands[c].line, num: cands[c].num, sub: cands[c].sub, title: cands[c].title });
  chain.reverse();
  return chain;
}

/** Unnumbered headings: HTML/markdown heading lines, or short lines followed by a section label. */
function unnumberedHeadings(lines: Line[], from: number, skip: Set<number>): Heading[] {
  const byLevel = new Map<number, Heading[]>();
  for (let i = from; i < lines.length; i++) {
    const l = lines[i];
    if (!l.level || !l.text || skip.has(i) || matchSectionLabel(l.text) || matchHeaderLabel(l.text) || isListHeader(l.text)) continue;
    const a = byLevel.get(l.level) ?? [];
    if (a.length < MAX_ITEMS) a.push({ line: i, num: null, title: cleanTitle(l.text) });
    byLevel.set(l.level, a);
  }
  let pick: Heading[] = [];
  for (const [, hs] of byLevel) {
    const good = hs.filter((h) => followedByStructure(lines, h.line, h.title)).length;
    if (good >= 1 && (good > pick.length || (good === pick.length && hs.length > pick.length))) pick = hs;
  }
  if (pick.length) return pick;
  // plain text: a short line just before a background/first section label
  const out: Heading[] = [];
  let sawLabel = false;
  for (let i = from; i < lines.length; i++) {
    const l = lines[i];
    if (!l.text || skip.has(i) || l.text.length > 140 || /[.,;:]$/.test(l.text)) continue;
    if (matchSectionLabel(l.text) || matchHeaderLabel(l.text)) continue;
    const j = nextNonBlank(lines, i, 3);
    if (j < 0) continue;
    const lab = matchSectionLabel(lines[j].text);
    if (!lab || lab.kind === 'meta' || lab.kind === 'absent') continue;
    if (lab.kind === 'background' || !sawLabel || lab.kind === 'decision') {
      // a decision label only starts an item when the previous section was attachments or decision
      if (lab.kind === 'decision' && sawLabel) {
        const p = prevSectionKind(lines, i);
        if (p !== 'attachments' && p !== 'decision' && p !== 'absent') continue;
      }
      out.push({ line: i, num: null, title: cleanTitle(l.text) });
      sawLabel = true;
      if (out.length >= MAX_ITEMS) break;
    }
  }
  return out;
}

/**
 * Last resort: an agenda written as plain lines under a list header, without numbers or bullets
 * ("Dagsorden:" / "Velkomst" / "Status på projektet" / "Eventuelt"). Needs three or more short lines.
 */
function plainListHeadings(lines: Line[]): Heading[] {
  for (let i = 0; i < Math.min(lines.length, 4000); i++) {
    const t = lines[i].text;
    if (!t || !isListHeader(t)) continue;
    const out: Heading[] = [];
    let j = nextNonBlank(lines, i, 2);
    while (j > 0 && out.length < MAX_ITEMS) {
      const c = stripBullet(lines[j].text);
      if (c.length > 120 || !TITLE_START_RE.test(c) || /[.:;]$/.test(c) || /:/.test(c) || findDates(c).length || matchHeaderLabel(c) || matchSectionLabel(c)) break;
      out.push({ line: -1, num: null, title: cleanTitle(c) });
      if (j + 1 >= lines.length || !lines[j + 1].text) break;
      j = j + 1;
    }
    if (out.length >= 3) return out;
  }
  return [];
}

const TIME_SLOT_RE = /^(?:kl\.?\s*)?(\d{1,2})[.:](\d{2})(?:\s*(?:-|–|—|til)\s*(?:kl\.?\s*)?(\d{1,2})[.:](\d{2}))?\s*(?:[-–:]\s+)?([A-ZÆØÅ"“].{2,200})$/;

/** A programme of time slots without item numbers ("10.15 – 11.00  Oplæg om …"): each slot is an item. */
function timeSlotHeadings(lines: Line[]): Heading[] {
  let best: Heading[] = [];
  let run: Heading[] = [];
  let prevMin = -1;
  let gap = 0;
  const close = () => {
    if (run.length > best.length) best = run;
    run = [];
    prevMin = -1;
  };
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].text;
    if (!t) continue;
    const m = t.length <= 220 ? TIME_SLOT_RE.exec(stripBullet(t)) : null;
    const min = m ? +m[1] * 60 + +m[2] : -1;
    if (m && +m[1] <= 23 && +m[2] < 60 && min >= prevMin && !matchSectionLabel(m[5])) {
      const end = m[3] && +m[3] <= 24 && +m[4] < 60 ? { h: +m[3], m: +m[4] } : null;
      run.push({ line: i, num: null, title: cleanTitle(m[5]), slot: { start: { h: +m[1], m: +m[2] }, end } });
      prevMin = min;
      gap = 0;
      if (run.length >= MAX_ITEMS) break;
    } else if (run.length && ++gap > 6) close();
  }
  close();
  return best.length >= 3 ? best : [];
}

function prevSectionKind(lines: Line[], i: number): SectionKind | null {
  for (let j = i - 1; j >= 0 && j > i - 400; j--) {
    const t = lines[j].text;
    if (!t) continue;
    const lab = matchSectionLabel(t);
    if (lab) return lab.kind;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// header fields

type Fields = Map<HeaderField, string[]>;

function addField(fields: Fields, f: HeaderField, v: string) {
  const value = v.trim();
  if (!value) return;
  const a = fields.get(f) ?? [];
  a.push(value);
  fields.set(f, a);
}

function first(fields: Fields, f: HeaderField): string | null {
  return fields.get(f)?.[0] ?? null;
}

function isStopLine(lines: Line[], j: number, numbered: Array<Numbered | null>): boolean {
  const t = lines[j].text;
  if (numbered[j]?.strong) return true;
  if (isListHeader(t) || matchSectionLabel(t)) return true;
  const tab = lines[j].raw.indexOf('\t');
  if (tab > 0 && matchHeaderLabel(lines[j].raw.slice(0, tab))) return true;
  const c = /^([^:]{1,40}):/.exec(t);
  if (c && matchHeaderLabel(c[1])) return true;
  return matchHeaderLabel(t) !== null;
}

const TIME_ONLY_RE = /^(?:kl\.?|klokken|fra(?:\s+kl\.?)?)?\s*\d{1,2}(?:[.:]\d{2})?\s*(?:(?:-|–|—|til)\s*(?:ca\.?\s*)?(?:kl\.?\s*)?\d{1,2}(?:[.:]\d{2})?)?\s*(?:\(.{0,30}\))?\.?$/i;

function parseHeader(lines: Line[], from: number, to: number, skip: Set<number>, numbered: Array<Numbered | null>): { fields: Fields; used: Set<number> } {
  const fields: Fields = new Map();
  const used = new Set<number>();
  for (let i = from; i < to; i++) {
    if (skip.has(i)) continue;
    const l = lines[i];
    if (!l.text) continue;
    let label: HeaderField | null = null;
    let value = '';
    const tab = l.raw.indexOf('\t');
    if (tab > 0 && i + 1 < to) {
      const cells = l.raw.split('\t').map((c) => c.trim());
      const labels = cells.map((c) => matchHeaderLabel(c.replace(/:$/, '')));
      const j = nextNonBlank(lines, i, 2);
      if (cells.length >= 2 && labels.every((x) => x) && j > 0 && j < to) {
        const vals = lines[j].raw.split('\t').map((c) => c.trim());
        if (vals.length === cells.length && !vals.some((v) => matchHeaderLabel(v))) {
          labels.forEach((lb, k) => lb && lb !== 'ignore' && addField(fields, lb, vals[k]));
          used.add(i);
          used.add(j);
          i = j;
          continue;
        }
      }
    }
    if (tab > 0) {
      label = matchHeaderLabel(l.raw.slice(0, tab));
      if (label) value = l.raw.slice(tab + 1).replace(/\t+/g, ' ').trim();
    }
    if (!label) {
      const m = /^([^:\t]{1,40}):\s*(.*)$/.exec(stripBullet(l.text));
      if (m) {
        label = matchHeaderLabel(m[1]);
        if (label) value = m[2];
      }
    }
    if (!label && l.text.length <= 40) {
      label = matchHeaderLabel(l.text);
    }
    if (!label) {
      // "Mødested Rådhuset" (PDF text where label and value lost their separator)
      const m = /^([A-ZÆØÅ][a-zæøåA-ZÆØÅ]{2,15}(?:\s+(?:og\s+)?[a-zæøå]{2,12})?)\s+([A-ZÆØÅ0-9].*)$/.exec(l.text);
      if (m) {
        const lb = matchHeaderLabel(m[1]);
        if (lb && lb !== 'meeting' && lb !== 'ignore' && lb !== 'remarks' && (lb !== 'forum' || fold(m[1]) === 'udvalg')) {
          label = lb;
          // "Lokale 2.14, Uddannelseshuset": the word is part of the place
          value = lb === 'location' && /^(?:møde)?(?:lokale|sal)$/i.test(m[1]) ? l.text : m[2];
        }
      }
    }
    if (!label) continue;
    used.add(i);
    if (label === 'ignore') continue;
    if (value && (label === 'participants' || label === 'absent') && /(,|\bog)$/.test(value)) {
      // a list wrapped onto following lines
      let j = i + 1;
      while (j < to && lines[j].text && !skip.has(j) && !isStopLine(lines, j, numbered) && j < i + 40) {
        value += ' ' + lines[j].text;
        used.add(j);
        j++;
        if (!/(,|\bog)$/.test(value)) break;
      }
      i = j - 1;
    }
    if (!value) {
      // value on the following line(s)
      const multi = label === 'participants' || label === 'absent';
      const parts: string[] = [];
      let j = i + 1;
      let blanks = 0;
      while (j < to && !skip.has(j)) {
        if (!lines[j].text) {
          if (parts.length && !multi) break;
          if (parts.length && multi) break;
          if (++blanks > 2) break;
          j++;
          continue;
        }
        if (isStopLine(lines, j, numbered)) break;
        parts.push(lines[j].text);
        used.add(j);
        j++;
        if (!multi) break;
        if (parts.length > 200) break;
      }
      value = parts.join('\n');
      if (parts.length) i = j - 1;
    }
    if ((label === 'date' || label === 'start') && value && !findTimes(value.replace(/\d{1,2}[./-]\d{1,2}[./-]\d{2,4}/g, ' ')).start) {
      // the time on a line of its own below the date ("Møde den 12. juni 2019" / "Kl. 09.00-11.00")
      const j = nextNonBlank(lines, i, 2);
      if (j > 0 && j < to && !skip.has(j) && TIME_ONLY_RE.test(lines[j].text) && findTimes(lines[j].text).start) {
        value += ' ' + lines[j].text;
        used.add(j);
        i = j;
      }
    }
    addField(fields, label, value);
  }
  return { fields, used };
}

// ---------------------------------------------------------------------------------------------
// items

interface ItemParts {
  background: string | null;
  recommendation: string | null;
  decision: string | null;
  attachments: string[];
  absent: Person[];
  /** whether any section label was seen in the item */
  labelled: boolean;
}

const ATTACHMENT_JUNK_RE = /\b(kan\s+(?:findes|ses|hentes|læses)|findes\s+her|klik\s+her|se\s+her|ingen\s+bilag)\b/i;

function isTitleRepeat(text: string, title: string): boolean {
  if (text.length > title.length + 45) return false;
  if (/[.!?]$/.test(text) && !/[.!?]$/.test(title)) return false;
  const nb = parseNumbered(text);
  const t = nb ? nb.title : text;
  return diceSimilarity(t, title) >= 0.8;
}

function parseItemBody(lines: Line[], from: number, to: number, title: string): ItemParts {
  const buckets: Record<'background' | 'recommendation' | 'decision' | 'attachments' | 'absent', string[]> = {
    background: [],
    recommendation: [],
    decision: [],
    attachments: [],
    absent: [],
  };
  const inlineAttachments: string[] = [];
  let current: keyof typeof buckets = 'background';
  let skipNextMeta = false;
  let labelled = false;
  for (let i = from; i < to; i++) {
    const l = lines[i];
    if (!l.text) {
      buckets[current].push('');
      continue;
    }
    const t = l.text;
    // a group heading between items ("## Lukkede punkter") belongs to no item
    if (l.level > 0 && isListHeader(t)) continue;
    if (skipNextMeta) {
      skipNextMeta = false;
      if (t.length <= 40 && /\d/.test(t)) continue;
    }
    let lab = matchSectionLabel(t);
    // inside an attachment list, "Bilag til punkt 3.pdf" is a file, not a new label
    if (lab && current === 'attachments' && lab.kind === 'attachments' && lab.prefix && /\.[a-z0-9]{2,5}$/i.test(t)) lab = null;
    if ((!lab || lab.kind === 'background') && current !== 'attachments' && isTitleRepeat(t, title)) continue;
    if (lab) {
      if (lab.kind === 'meta') {
        if (!lab.rest) skipNextMeta = true;
        continue;
      }
      if (lab.kind === 'attachments' && lab.rest && !lab.prefix && current !== 'attachments') {
        inlineAttachments.push(lab.rest);
        buckets[current].push(t);
        continue;
      }
      if (lab.kind === 'background' && !lab.rest && isWeakBackgroundLabel(t)) {
        current = 'background';
        buckets.background.push(t);
        continue;
      }
      current = lab.kind;
      labelled = true;
      if (lab.rest) buckets[current].push(lab.rest);
      if (current === 'decision' && buckets.decision.length) buckets.decision.push('');
      continue;
    }
    buckets[current].push(current === 'attachments' || current === 'absent' ? l.raw : t);
  }
  const attachments: string[] = [];
  for (const raw of buckets.attachments) {
    const t = cleanTitle(stripBullet(raw.replace(/\t+/g, ' ')));
    if (!t || ATTACHMENT_JUNK_RE.test(t) || /^(ingen|intet|-)\.?$/i.test(t)) continue;
    if (t.length > 300) continue;
    attachments.push(t);
  }
  if (!attachments.length && !buckets.attachments.some((x) => x.trim())) {
    for (const a of inlineAttachments) {
      const t = cleanTitle(a);
      if (t && !ATTACHMENT_JUNK_RE.test(t)) attachments.push(t);
    }
  }
  const absentText = cleanBlock(buckets.absent);
  return {
    background: cleanBlock(buckets.background),
    recommendation: cleanBlock(buckets.recommendation),
    decision: cleanBlock(buckets.decision),
    attachments,
    absent: absentText ? parsePeople(absentText) : [],
    labelled,
  };
}

// ---------------------------------------------------------------------------------------------
// forum, title, dates

const TITLE_START = /^(?:ekstraordinært\s+|ordinært\s+|konstituerende\s+)?(?:møde|referat|mødereferat|beslutningsreferat|dagsorden|beslutningsprotokol|protokol|temamøde|seminar|døgnseminar|årsmøde|fællesmøde|online\s+møde|virtuelt\s+møde|indkaldelse|mødeindkaldelse|invitation|indbydelse)\b/i;
const FORUM_FROM_TITLE_RE = /(?<![a-zæøåA-ZÆØÅ])(?:[a-zæøå-]*møde|mødet|referat|dagsorden|beslutningsprotokol|protokol)(?:\s+(?:del|nr\.?)\s*[\d/]+)?\s+(?:(?:af|fra|for|til)\s+(?:mødet?\s+)?)?(?:i|for|til|fra)\s+(.{2,160})/i;
const FORUM_END_RE =
  /\s+(?:den|d\.|[Dd]en\s+(?=\d))\s*(?=\d|mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag)|\s+(?:[Aa]fholdt|afholdes|afklares|[Mm]andag|[Tt]irsdag|[Oo]nsdag|[Tt]orsdag|[Ff]redag|[Ll]ørdag|[Ss]øndag|kl\.|[Kk]l\.|per|pr\.|via|på|hos)(?=\s|$|[.,])|\s+[-–—|]\s+|,|\s+\d{1,2}\.?\s*(?:[a-zæøå]+|\d)|\s+\d{4}|\s*\(|\s+\d{1,2}[-./]\d/;
const FORUM_WORD_RE = /(udvalg|forum|råd(et)?\b|kreds(en)?|styregruppe|bestyrelse|gruppe|komit|kommission|repræsentantskab|task\s?force|kontaktforum|netværk|byråd|kommunalbestyrelse|regionsråd|kkr|das\b|samråd|direktion|forsamling|panel|følgegruppe|arbejdsgruppe|sekretariat|partnerskab|samarbejde)/i;
const WRITTEN_RE = /\b(per\s+mail|pr\.?\s+mail|per\s+e-?mail|pr\.?\s+e-?mail|via\s+e-?mail|via\s+mail|skriftlig\s+procedure|skriftlig\s+behandling|skriftligt\s+møde|mailhøring|e-?mailhøring|afklares\s+per)\b/i;

const FORUM_AFTER_DATE_RE = /(?:møde|referat|dagsorden)\b[^\n]{0,80}?\d{4}\s*,?\s+(?:i|for)\s+([A-ZÆØÅ][^,.;:()\n]{1,80})/i;

/** "Økonomiudvalgets møde", "KKR Sjællands ordinære møde" → the forum in the genitive */
const GENITIVE_RE = /^(.{2,120}?)(?:'s|’s|s)\s+(?:(?:ordinære|ekstraordinære|konstituerende|næste|første|sidste|afholdte)\s+)?møde\b/i;

function forumFromTitle(title: string | null): string | null {
  if (!title) return null;
  let m = FORUM_FROM_TITLE_RE.exec(title.slice(0, 300));
  if (m && !/^[A-ZÆØÅ0-9]/.test(m[1].trim()) && !meetingBody(m[0])) m = null;
  if (!m) {
    const m2 = FORUM_AFTER_DATE_RE.exec(title.slice(0, 300));
    return m2 ? m2[1].replace(/\s+(?:kl\.?|på|hos|den)(?:\s.*)?$/i, '').trim() || null : null;
  }
  let f = m[1];
  // "Referat fra Økonomiudvalgets møde den …": the genitive names the forum
  const gen = GENITIVE_RE.exec(f);
  if (gen) return /^[A-ZÆØÅ0-9]/.test(gen[1]) ? gen[1] : null;
  const e = FORUM_END_RE.exec(f);
  if (e) f = f.slice(0, e.index);
  f = f.replace(/[\s.:;-]+$/, '').trim();
  const body = meetingBody(m[0]);
  if (!f || f.length < 2 || !(/^[A-ZÆØÅ0-9]/.test(f) || (body && /^[a-zæøå]/.test(f) && f.split(/\s+/).length <= 8))) return null;
  // "styregruppemøde for X": the forum is the body that meets, "Styregruppen for X"
  if (body) {
    const prep = /^\S+\s+(?:(?:af|fra|for|til)\s+(?:mødet?\s+)?)?(i|for|til|fra)\s/i.exec(m[0].replace(/\s+del\s+\d+/i, ''));
    if (!FORUM_WORD_RE.test(f) || !new RegExp(`^${body.word}`, 'i').test(f)) return `${body.name} ${prep && /^(i|for)$/i.test(prep[1]) ? prep[1].toLowerCase() : 'for'} ${f}`;
  }
  return f;
}

/** "Styregruppemøde …" → the body that meets ("Styregruppen"), from the data in labels.ts. */
function meetingBody(phrase: string): { word: string; name: string } | null {
  const w = /^([a-zæøå-]+?)(?:s)?møde/i.exec(phrase.trim());
  if (!w) return null;
  const k = w[1].toLowerCase().replace(/-$/, '');
  const name = MEETING_BODIES[k] ?? MEETING_BODIES[k.replace(/s$/, '')];
  return name ? { word: k.replace(/s$/, ''), name } : null;
}

const DOC_WORDS = '(?:indkaldelse|mødeindkaldelse|invitation|referat|dagsorden|beslutningsprotokol|protokol|mødereferat|beslutningsreferat|åben\\s+dagsorden|åbent\\s+referat|lukket\\s+dagsorden|tillægsdagsorden|ekstraordinært\\s+møde|møde)';
const DOC_PREFIX_RE = new RegExp(`^${DOC_WORDS}(?:\\s+(?:for|fra|til|af|i))?\\s*[-–—:|,]?\\s*`, 'i');
const DOC_SUFFIX_RE = new RegExp(`\\s*[-–—:|,(]\\s*${DOC_WORDS}\\b.*$`, 'i');

const DOC_TAIL_RE = new RegExp(`\\s+${DOC_WORDS}\\s*$`, 'i');

/** "Dagsorden - Økonomiudvalget - 12.03.2018" → "Økonomiudvalget" */
function stripDocWords(t: string): string {
  let s = t.trim();
  s = s.replace(DOC_PREFIX_RE, '');
  s = s.replace(DOC_SUFFIX_RE, '');
  s = s.replace(/\s*[-–—|,]\s*[^-–—|,]*\d[^-–—|,]*$/, '');
  s = s.replace(/\s+(?:den|d\.)?\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}.*$/, '');
  s = s.replace(DOC_TAIL_RE, '');
  return s.replace(/[\s.:;,-]+$/, '').trim();
}

function cleanValue(v: string | null): string | null {
  if (!v) return null;
  const s = collapseSpaces(v.replace(/\n/g, ' ')).replace(/[\s,;]+$/, '');
  return s || null;
}

interface When {
  start: string | null;
  end: string | null;
  date: YMD | null;
  /** the unlabelled line the date was read from, if any ("Mødet blev afholdt d. 5/3-2015 kl. 9.30 i Lokale 4") */
  line?: string;
}

const PLACE_RE = /(\b\d{4}\s+[A-ZÆØÅ][a-zæøå]+|(?:vej|gade|allé|alle|plads|torv|stræde|boulevard|vænge|parken)\s+\d{1,4}\b|rådhus|mødelokale|\blokale\b|byrådssal|\bsalen\b|udvalgsværelse|mødesal|auditorium|kantinen|\bhotel|konferencecenter|kursuscenter|borgerhus|kulturhus|biblioteket|\bkl-huset|\bteams\b|\bskype\b|\bzoom\b|\bonline\b|videomøde|virtuelt|regionshuset|kommunehus)/i;

/** Place names that contain a forum word ("Byrådssalen", "Udvalgsværelset") */
const PLACE_WORDS_RE = /rådhus\w*|udvalgsværelse\w*|byrådssal\w*|regionsrådssal\w*|bestyrelseslokale\w*/gi;

/** A place written without a label in the first lines of the header (an address, "Rådhuset", "Teams"). */
function unlabelledPlace(lines: Line[], headerEnd: number, skip: Set<number>, used: Set<number>): string | null {
  let seen = 0;
  for (let i = 0; i < headerEnd && seen < 14; i++) {
    const l = lines[i];
    if (!l.text || skip.has(i)) continue;
    seen++;
    if (used.has(i) || l.raw.indexOf('\t') >= 0 || l.text.length > 120 || l.level === 1) continue;
    if (/:/.test(l.text) || findDates(l.text).length || /\bkl\.?\s*\d/i.test(l.text)) continue;
    if (TITLE_START.test(l.text) || isListHeader(l.text) || matchHeaderLabel(l.text) || matchSectionLabel(l.text)) continue;
    if (/^(deltagere|afbud|til stede|fraværende|referent)\b/i.test(l.text)) continue;
    if (PLACE_RE.test(l.text) && !FORUM_WORD_RE.test(l.text.replace(PLACE_WORDS_RE, ''))) return cleanValue(l.text.replace(/^(?:hos|på|i|afholdes\s+(?:hos|på|i))\s+/i, ''))?.replace(/\.$/, '') ?? null;
  }
  return null;
}

/** "Torsdag d. 5. september 2019 kl. 13.30 - 16.00, Borgerhuset, lokale 3" → "Borgerhuset, lokale 3" */
function placeAfterDateTime(v: string): string | null {
  const end = dateTimeEnd(v);
  if (end <= 0) return null;
  const rest = v.slice(end).replace(/^[\s,.;:–-]+/, '').replace(/^(?:i|på|hos)\s+/i, '').trim();
  return rest && /[A-Za-zÆØÅæøå]/.test(rest) ? cleanValue(rest) : null;
}

function dateOf(hit: DateHit | undefined, ref: YMD | null): YMD | null {
  if (!hit) return null;
  return withYear(hit, ref);
}

function removeSpan(s: string, h: DateHit): string {
  return s.slice(0, h.index) + ' ' + s.slice(h.end);
}

function computeWhen(fields: Fields, fallbacks: string[], yearRef: YMD | null): When {
  const startField = first(fields, 'start');
  const dateField = first(fields, 'date');
  const timeField = first(fields, 'time');
  const endField = first(fields, 'end');
  let date: YMD | null = null;
  let startTime: HM | null = null;
  let endTime: HM | null = null;
  let endDate: YMD | null = null;
  let rangeEnd: YMD | null = null;
  const sources = [startField, dateField, ...(fields.get('date')?.slice(1) ?? []), first(fields, 'dateplace'), ...(fields.get('time') ?? [])].filter(
    (x): x is string => !!x,
  );
  for (const src of sources) {
    const hits = findDates(src).filter((h) => h.y !== null);
    if (!hits.length) continue;
    const h = hits[0];
    date = { y: h.y!, m: h.m, d: h.d };
    const rangeM = /^(\d{1,2})\.?\s*(?:-|–|—|til|og)\s*(\d{1,2})\./.exec(src.slice(h.index, h.end));
    if (rangeM) rangeEnd = { y: h.y!, m: h.m, d: +rangeM[2] };
    if (h.time) startTime = h.time;
    // "15-08-2016 09:00 - 15-08-2016 12:00"
    const h2 = hits[1];
    if (h2 && h2.time && h.time) {
      endTime = h2.time;
      endDate = { y: h2.y!, m: h2.m, d: h2.d };
      break;
    }
    const rest = removeSpan(src, h);
    const t = findTimes(rest, true);
    if (!startTime && t.start) startTime = t.start;
    if (t.end) endTime = t.end;
    break;
  }
  let dateLine: string | undefined;
  if (!date) {
    for (const src of fallbacks) {
      if (!src || /\b(udgivet|publiceret|opdateret|offentliggjort|printet|udskrevet|udsendt|dateret)\b/i.test(src)) continue;
      const hits = findDates(src).filter((h) => h.y !== null);
      if (!hits.length) continue;
      const h = hits[0];
      date = { y: h.y!, m: h.m, d: h.d };
      dateLine = src;
      if (h.time) startTime = h.time;
      const t = findTimes(removeSpan(src, h));
      if (!startTime && t.start) startTime = t.start;
      if (t.end) endTime = t.end;
      if (!startTime) {
        // the time on a line of its own just below the date ("Møde den 12. juni 2019" / "Kl. 09.00-11.00")
        const k = fallbacks.lastIndexOf(src);
        for (const nx of fallbacks.slice(k + 1, k + 3)) {
          if (!nx || nx.length > 40 || findDates(nx).length) break;
          const t2 = findTimes(nx);
          if (t2.start && /^\s*(?:kl\.?|klokken|tid(?:spunkt)?:?|fra)?\s*\d/i.test(nx)) {
            startTime = t2.start;
            if (t2.end) endTime = t2.end;
            break;
          }
        }
      }
      break;
    }
  }
  for (const tf of [timeField, ...(fields.get('time')?.slice(1) ?? []), ...sources]) {
    if (!tf || startTime) continue;
    let rest = tf;
    for (const h of findDates(tf).reverse()) rest = removeSpan(rest, h);
    const t = findTimes(rest, true);
    if (t.start) {
      startTime = t.start;
      if (!endTime && t.end) endTime = t.end;
    }
  }
  if (endField) {
    const hits = findDates(endField);
    if (hits[0]) {
      endDate = dateOf(hits[0], date);
      if (hits[0].time) endTime = hits[0].time;
      else {
        const t = findTimes(removeSpan(endField, hits[0]), true);
        if (t.start) endTime = t.start;
      }
    } else {
      const t = findTimes(endField, true);
      if (t.start) endTime = t.start;
      else {
        const m = /^(\d{1,2})(?:[.:](\d{2}))?$/.exec(endField.trim());
        if (m) endTime = { h: +m[1], m: m[2] ? +m[2] : 0 };
      }
    }
  }
  if (!date && yearRef) {
    // a date without a year ("den 3. oktober"): the year of the nearest dated line (e.g. "Udgivet 06.10.2014")
    for (const src of [...sources, ...fallbacks]) {
      if (!src) continue;
      const h = findDates(src).find((x) => x.y === null);
      if (!h) continue;
      let y = yearRef.y;
      if (h.m * 31 + h.d > yearRef.m * 31 + yearRef.d + 62) y -= 1;
      date = { y, m: h.m, d: h.d };
      const t = findTimes(removeSpan(src, h), true);
      if (!startTime && t.start) startTime = t.start;
      if (!endTime && t.end) endTime = t.end;
      break;
    }
  }
  if (!date) return { start: null, end: null, date: null };
  const start = formatLocal(date, startTime);
  let end: string | null = null;
  if (endTime) end = formatLocal(endDate ?? rangeEnd ?? date, endTime);
  else if (endDate && formatDate(endDate) !== formatDate(date)) end = formatDate(endDate);
  else if (rangeEnd && rangeEnd.d > date.d) end = formatDate(rangeEnd);
  return { start, end, date, line: dateLine };
}

const NEXT_TITLE_RE = /^(?:\d+\s*[.)]\s*)?(?:næste\s+møde|næste\s+møder|kommende\s+møde|næste\s+mødedato|dato\s+for\s+næste\s+møde|tid\s+og\s+sted\s+for\s+næste\s+møde)/i;
const NEXT_TEXT_RE = /næste\s+(?:ordinære\s+)?møde(?:\s+i\s+[^.]{0,60})?\s*(?:afholdes|er|bliver|finder\s+sted|:|holdes|den|d\.|planlagt|forventes)/i;

function findNextMeeting(items: Item[], lines: Line[], ref: YMD | null): string | null {
  const pick = (text: string | null | undefined): string | null => {
    if (!text) return null;
    for (const h of findDates(text)) {
      const d = withYear(h, ref);
      if (!d) continue;
      if (ref && formatDate(d) <= formatDate(ref)) continue;
      return formatDate(d);
    }
    return null;
  };
  for (const it of items) {
    if (!NEXT_TITLE_RE.test(it.title)) continue;
    const r = pick(it.title) ?? pick(it.decision) ?? pick(it.background) ?? pick(it.recommendation);
    if (r) return r;
  }
  for (const l of lines) {
    if (!l.text || l.text.length > 600) continue;
    const m = NEXT_TEXT_RE.exec(l.text);
    if (!m) continue;
    const r = pick(l.text.slice(m.index));
    if (r) return r;
  }
  return null;
}

function dedupePeople(list: Person[]): Person[] {
  const seen = new Map<string, Person>();
  for (const p of list) {
    const k = fold(p.name);
    const prev = seen.get(k);
    if (!prev) seen.set(k, p);
    else {
      if (!prev.organisation && p.organisation) prev.organisation = p.organisation;
      if (!prev.role && p.role) prev.role = p.role;
    }
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------------------------

/** Parses extracted text into a Meeting (source.sha256/format are filled by parseDocument). */
export function parseLines(lines: Line[], opts: ParseOptions = {}): Meeting {
  const n = lines.length;
  const numbered: Array<Numbered | null> = new Array(n);
  for (let i = 0; i < n; i++) numbered[i] = lines[i].text ? parseNumbered(lines[i].text, lines[i].raw) : null;
  // a number alone on its line with the title on the next ("1." / "Godkendelse af dagsorden")
  for (let i = 0; i < n; i++) {
    const m = /^(?:dagsordens)?(?:punkt|pkt\.?|sag|ad\.?\s*(?:pkt\.?|punkt)?)?\s*(\d{1,3})\s*[.):]?$/i.exec(lines[i].text);
    if (!m || numbered[i]?.title) continue;
    const j = nextNonBlank(lines, i, 2);
    if (j < 0) continue;
    const t = lines[j].text;
    if (t.length <= 200 && TITLE_START_RE.test(t) && !matchSectionLabel(t) && !numbered[j] && !/[.]$/.test(t)) numbered[i] = { num: +m[1], title: cleanTitle(t), strong: true };
  }

  // 1. agenda list and body headings
  let headings: Heading[] = [];
  const list = findList(lines, numbered);
  let listOnly = false;
  if (list) {
    const aligned = alignList(lines, numbered, list);
    const matched = aligned.size;
    if (matched >= Math.max(1, Math.ceil(list.entries.length * 0.4))) {
      list.entries.forEach((e, idx) => {
        const line = aligned.get(idx);
        if (line === undefined) return;
        const nb = numbered[line];
        let bodyTitle = nb ? nb.title : cleanTitle(lines[line].text);
        // a body heading wrapped onto the next line (PDF): the list has the whole title
        if (bodyTitle && e.title.length > bodyTitle.length) {
          const tb = tokens(bodyTitle).join(' ');
          const te = tokens(e.title).join(' ');
          if (tb.length >= 8 && te.startsWith(tb + ' ')) bodyTitle = e.title;
        }
        headings.push({ line, num: nb?.num ?? e.num ?? null, sub: nb ? nb.sub : e.sub, title: bodyTitle || e.title });
      });
      // numbered body headings the list missed ("3a." broke the list, or the list was cut short)
      const have = new Set(headings.map((h) => h.line));
      const sorted = () => headings.filter((h) => h.line >= 0).sort((a, b) => a.line - b.line);
      let body = sorted();
      const haveNums = new Set(headings.map((h) => numKey(h)));
      let inspected = 0;
      for (let i = list.end; i < n && headings.length < MAX_ITEMS && inspected < 2000; i++) {
        const nb = numbered[i];
        if (!nb || !nb.strong || have.has(i) || list.lines.has(i) || haveNums.has(numKey(nb))) continue;
        inspected++;
        // neighbours by line (binary search)
        let lo = 0;
        let hi = body.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (body[mid].line < i) lo = mid + 1;
          else hi = mid;
        }
        const prev: Heading | null = lo > 0 ? body[lo - 1] : null;
        const next: Heading | null = lo < body.length ? body[lo] : null;
        if (!prev || prev.num === null || numStep(prev, nb) <= 0 || (next && next.num !== null && numStep(nb, next) <= 0)) continue;
        if (!next && numStep(prev, nb) !== 1) continue;
        if (!followedByStructure(lines, i, nb.title)) continue;
        headings.push({ line: i, num: nb.num, sub: nb.sub, title: nb.title });
        have.add(i);
        haveNums.add(numKey(nb));
        body = sorted();
      }
      headings.sort((a, b) => a.line - b.line);
      // entries never found in the body still are items (agenda without body for that point)
      if (headings.length < list.entries.length) {
        const have = new Set(headings.map((h) => numKey(h)));
        for (const e of list.entries) if (e.num !== null && !have.has(numKey(e)) && !headings.some((h) => h.title === e.title))
          headings.push({ line: -1, num: e.num, sub: e.sub, title: e.title });
        headings.sort((a, b) => (a.num ?? 0) - (b.num ?? 0) || (a.sub ?? 0) - (b.sub ?? 0));
      }
    }
  }
  if (!headings.length) {
    // no list, or a "list" whose entries never reappear: the best chain over the whole text
    const chain = numberedChain(lines, numbered, 0, new Set<number>());
    if (chain.length >= 1 && (!list || chain.length >= Math.min(2, list.entries.length))) headings = chain;
    else if (list) {
      headings = list.entries.map((e) => ({ line: -1, num: e.num, sub: e.sub, title: e.title }));
      listOnly = true;
    }
  }
  if (!headings.length) headings = timeSlotHeadings(lines);
  if (!headings.length) headings = unnumberedHeadings(lines, list ? list.end : 0, list ? list.lines : new Set());
  if (!headings.length) headings = plainListHeadings(lines);
  if (!headings.length) {
    throw new UserError('no agenda items found: this does not look like an agenda or minutes', 'not_minutes');
  }
  // no real meeting has more items than this; keeps pathological input fast
  if (headings.length > MAX_ITEMS) headings = headings.slice(0, MAX_ITEMS);

  // 2. header region
  const bodyLines = headings.filter((h) => h.line >= 0).map((h) => h.line);
  const firstBody = bodyLines.length && !listOnly ? bodyLines.reduce((a, b) => Math.min(a, b), n) : n;
  const skip = new Set<number>(list ? list.lines : []);
  if (list) for (let i = list.start; i < list.end; i++) skip.add(i);
  const headerEnd = Math.min(firstBody, n);
  const { fields, used: usedHeader } = parseHeader(lines, 0, headerEnd, skip, numbered);

  // 3. items
  const items: Item[] = [];
  const itemAbsent: Person[] = [];
  let anyLabels = false;
  const bodyHeadings = headings.filter((h) => h.line >= 0).sort((a, b) => a.line - b.line);
  const nextLine = new Map<number, number>();
  // a participant list after the last item ("Deltagere:" / "Til stede:" at the end of the minutes)
  let trailerStart = n;
  if (bodyHeadings.length) {
    let seen = 0;
    for (let i = bodyHeadings[bodyHeadings.length - 1].line + 1; i < n && seen < 400; i++) {
      const t = lines[i].text;
      if (!t) continue;
      seen++;
      const c = /^([^:\t]{1,40})(?::|\t|$)/.exec(stripBullet(lines[i].raw));
      if (c && matchHeaderLabel(c[1].trim()) === 'participants' && !matchSectionLabel(t)) {
        trailerStart = i;
        break;
      }
    }
    if (trailerStart < n) {
      const trailer = parseHeader(lines, trailerStart, n, new Set<number>(), numbered).fields;
      for (const f of ['participants', 'absent', 'chair', 'minutesTaker'] as const) for (const v of trailer.get(f) ?? []) addField(fields, f, v);
    }
  }
  bodyHeadings.forEach((h, idx) => nextLine.set(h.line, idx + 1 < bodyHeadings.length ? bodyHeadings[idx + 1].line : trailerStart));
  let seq = 0;
  const usedNums = new Set<string>();
  let maxUsed = 0;
  for (const h of headings) {
    seq++;
    let num = h.num ?? seq;
    const sub = h.num !== null ? h.sub ?? 0 : 0;
    if (usedNums.has(`${num}:${sub}`)) num = maxUsed + 1;
    if (num > maxUsed) maxUsed = num;
    usedNums.add(`${num}:${sub}`);
    const label = sub > 0 && num === h.num ? `${num}${String.fromCharCode(96 + sub)}` : null;
    let title = cleanTitle(h.title);
    let from = h.line + 1;
    // "Punkt 3" alone: title on the next line
    if (!title && h.line >= 0) {
      const j = nextNonBlank(lines, h.line, 3);
      if (j > 0 && lines[j].text.length <= 200 && !matchSectionLabel(lines[j].text)) {
        title = cleanTitle(lines[j].text);
        from = j + 1;
      }
    }
    // a heading wrapped onto a second line ("Status på udmøntning af" / "sundhedsaftalen")
    if (title && h.line >= 0 && from < n && lines[from].text && from === h.line + 1 && title !== cleanTitle(lines[h.line].text.replace(/^\S+\s+/, '')) &&
        tokens(title).join(' ').endsWith(' ' + tokens(lines[from].text).join(' ')) && lines[from].text.length <= 100) {
      from++; // the rest of a wrapped heading whose whole title came from the agenda list
    } else if (title && h.line >= 0 && title.length >= 20 && from < n && lines[from].text && from === h.line + 1) {
      const c = lines[from].text;
      const after = from + 1 < n ? lines[from + 1].text : '';
      const dangling = /\b(?:af|for|til|i|og|med|om|på|fra|ved|vedr\.?|mellem|samt|under|efter|mod|over|the|of|–|-)$/i.test(title);
      if ((/^[a-zæøå]/.test(c) || (dangling && /^[A-ZÆØÅ]/.test(c) && c.split(/\s+/).length <= 6)) && c.length <= 100 && !/[.:;,]$/.test(c) && !/[.:;,]$/.test(title) && !matchSectionLabel(c) && (dangling || !after || matchSectionLabel(after))) {
        title = cleanTitle(`${title} ${c}`);
        from++;
      }
    }
    if (!title) title = `Punkt ${num}`;
    const parts: ItemParts =
      h.line >= 0
        ? parseItemBody(lines, from, nextLine.get(h.line) ?? n, title)
        : { background: null, recommendation: null, decision: null, attachments: [], absent: [], labelled: false };
    if (parts.labelled) anyLabels = true;
    itemAbsent.push(...parts.absent);
    items.push({
      number: num,
      ...(label ? { label } : {}),
      title,
      background: parts.background,
      recommendation: parts.recommendation,
      decision: parts.decision,
      outcome: classifyOutcome(parts.decision),
      attachments: parts.attachments,
    });
  }

  // 4. meeting fields
  const meetingVal = cleanValue(first(fields, 'meeting'));
  let forum = cleanValue(first(fields, 'forum'));
  let title: string | null = null;
  if (meetingVal) {
    if (TITLE_START.test(meetingVal) || findDates(meetingVal).length) title = meetingVal;
    else if (!forum) forum = meetingVal;
    else title = meetingVal;
  }
  const topLines: string[] = [];
  for (let i = 0; i < headerEnd && topLines.length < 12; i++) if (lines[i].text && !skip.has(i) && lines[i].raw.indexOf('\t') < 0) topLines.push(lines[i].text);
  const h1 = lines.slice(0, headerEnd).find((l) => l.level === 1 && l.text);
  const titleLike = (t: string) => TITLE_START.test(t) && t.split(/\s+/).length >= 2 && t.length <= 200 && !/^[^:]{1,25}:/.test(t);
  if (!title) {
    const cand = (h1 && titleLike(h1.text) ? h1.text : null) ?? topLines.find(titleLike);
    if (cand) title = cleanTitle(cand);
  }
  if (!forum) forum = forumFromTitle(title) ?? forumFromTitle(h1?.text ?? null);
  if (!forum) {
    for (const t of topLines.filter((x) => TITLE_START.test(x))) {
      forum = forumFromTitle(t);
      if (forum) break;
    }
  }
  if (!forum) {
    const cands = h1 ? [h1.text, ...topLines] : topLines;
    outer: for (const t of cands) {
      if (t.length > 160 || /\t/.test(t) || /:/.test(t)) continue;
      if (matchHeaderLabel(t) || isListHeader(t)) continue;
      // "Referat - Økonomiudvalget - Sundby Kommune": look at each part
      const parts = t.split(/\s+[-–—|]\s+/);
      for (const part of parts.length > 1 ? parts : [t]) {
        const gen = GENITIVE_RE.exec(part);
        if (gen && FORUM_WORD_RE.test(gen[1]) && /^[A-ZÆØÅ]/.test(gen[1])) {
          forum = gen[1];
          break outer;
        }
        const stripped = stripDocWords(part);
        if (!stripped || matchHeaderLabel(stripped) || isListHeader(stripped)) continue;
        if (parts.length > 1 && /\b(?:kommune|region)$/i.test(stripped) && parts.some((x) => x !== part && FORUM_WORD_RE.test(x))) continue;
        if (FORUM_WORD_RE.test(stripped.replace(PLACE_WORDS_RE, '')) && !findDates(stripped).length && stripped.split(/\s+/).length <= 8 && /^[A-ZÆØÅ0-9]/.test(stripped)) {
          forum = stripped;
          break outer;
        }
      }
    }
  }
  if (!forum) {
    // last resort: the first name-like line of the header ("Tønnerup Forsyning A/S" above "Referat af bestyrelsesmøde")
    const parts = topLines.flatMap((t) => (t.length <= 160 ? t.split(/\s+[-–—|]\s+/) : [t])).map((t) => t.trim());
    const named = parts.filter((t) => {
      if (t.length > 80 || /[:\t]/.test(t) || findDates(t).length || /\bkl\.?\s*\d/i.test(t)) return false;
      if (TITLE_START.test(t) || matchHeaderLabel(t) || isListHeader(t) || matchSectionLabel(t) || parseNumbered(t)) return false;
      if (!/^[A-ZÆØÅ0-9]/.test(t) || /[.!?]$/.test(t) || t.split(/\s+/).length > 8 || PLACE_RE.test(t)) return false;
      return stripDocWords(t) === t;
    });
    forum = named.find((t) => !/\b(?:kommune|region)$/i.test(t)) ?? null;
  }
  if (!forum) {
    // "Referat fra byrådsmøde den …" with nothing else: the body that meets
    for (const t of [title ?? '', ...topLines]) {
      const w = /(?<![\p{L}])([\p{L}-]+?møde)(?![\p{L}])/iu.exec(t);
      const b = w ? meetingBody(w[1]) : null;
      if (b) {
        forum = b.name;
        break;
      }
    }
  }
  if (forum) forum = forum.replace(/^(?:i|for)\s+/i, '').replace(/[.:]+$/, '').trim() || null;

  let yearRef: YMD | null = null;
  for (let i = 0; i < Math.min(n, 80) && !yearRef; i++) {
    const h = lines[i].text ? findDates(lines[i].text).find((x) => x.y !== null) : undefined;
    if (h) yearRef = { y: h.y!, m: h.m, d: h.d };
  }
  const when = computeWhen(fields, [title ?? '', ...topLines], yearRef);
  // a programme of time slots gives the times when the header states only the date
  const slots = headings.filter((h) => h.slot);
  if (when.date && when.start && when.start.length === 10 && slots.length === headings.length && slots.length) {
    when.start = formatLocal(when.date, slots[0].slot!.start);
    const last = slots[slots.length - 1].slot!;
    if (!when.end && last.end) when.end = formatLocal(when.date, last.end);
  }
  if (!title && forum && when.date) title = `Møde i ${forum} den ${danishDate(when.date)}`;
  else if (!title && forum) title = `Møde i ${forum}`;

  let location = cleanValue(first(fields, 'location'))?.replace(/\.$/, '') ?? null;
  if (!location) {
    const dp = first(fields, 'dateplace');
    if (dp) location = placeAfterDateTime(dp);
  }
  if (!location) location = unlabelledPlace(lines, headerEnd, skip, usedHeader);
  if (!location && when.line) {
    // "… den 5/3-2015 kl. 9.30-12.00 i Lokale 4, Rådhuset": a place after the date and time
    const rest = placeAfterDateTime(when.line);
    if (rest && PLACE_RE.test(rest) && rest.length <= 120 && (!forum || fold(rest).indexOf(fold(forum)) < 0)) location = rest.replace(/\.$/, '');
  }

  // people
  let participants: Person[] = [];
  for (const v of fields.get('participants') ?? []) participants.push(...parsePeople(v));
  for (const v of fields.get('chair') ?? []) for (const p of parsePeople(v)) participants.push({ ...p, role: 'chair' });
  for (const v of fields.get('minutesTaker') ?? []) for (const p of parsePeople(v)) participants.push({ ...p, role: 'minutes_taker' });
  participants = dedupePeople(participants);
  let absent: Person[] = [];
  for (const v of fields.get('absent') ?? []) absent.push(...parsePeople(v));
  for (const v of fields.get('remarks') ?? []) absent.push(...absentFromRemarks(v));
  absent.push(...itemAbsent);
  absent = dedupePeople(absent);

  if (!anyLabels && topLines.slice(0, 6).some((t) => /(referat|protokol)\b/i.test(t) && t.length < 120)) {
    for (const it of items) {
      if (!it.background || it.decision) continue;
      it.decision = it.background;
      it.background = null;
      it.outcome = classifyOutcome(it.decision);
    }
  }

  const headerText = [title, location, forum, meetingVal, ...topLines.slice(0, 6)].filter(Boolean).join('\n');
  const kind = WRITTEN_RE.test(headerText) ? 'written_procedure' : 'meeting';
  const status = items.some((i) => i.decision) ? 'minutes' : 'agenda';
  const nextMeeting = findNextMeeting(items, lines, when.date);

  return {
    id: null,
    forum: forum ?? null,
    title: title ?? null,
    kind,
    status,
    start: when.start,
    end: when.end,
    location,
    participants,
    absent,
    items,
    nextMeeting,
    source: { file: opts.fileName ? baseName(opts.fileName) : null, sha256: null, format: 'text' },
  };
}

export function baseName(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

/** Parses already extracted text. */
export function parseText(text: string, opts: ParseOptions = {}): Meeting {
  if (typeof text !== 'string') throw new UserError('the document has no text', 'empty');
  if (text.length > MAX_TEXT_CHARS) throw new UserError(`the document is too large (${Math.round(text.length / 1048576)} MB of text; the limit is 10 MB)`, 'too_large');
  if (!text.trim()) throw new UserError('the document is empty', 'empty');
  return parseLines(toLines(text), opts);
}

export { key };
