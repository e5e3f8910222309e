/**
 * Turns normalised text into lines the parser can reason about: markdown link syntax, HTML remnants
 * (boxed `<ol>` lists), separators and flattened headers/items are undone here.
 */
import { findDates } from './dates';
import { FLAT_HEADER_TOKENS, FLAT_SECTION_TOKENS, matchSectionLabel } from './labels';
import { normalizeText } from './text';

export const MAX_LINES = 120000;

export interface Line {
  /** the line with tabs kept (trimmed) */
  raw: string;
  /** tabs turned into spaces, spaces collapsed */
  text: string;
  /** heading level from HTML/markdown (1-6), 0 for ordinary lines */
  level: number;
}

const MD_LINK_RE = /!?\[([^\]\n]{0,600})\]\([^()\n]{0,600}\)/g;
const TAG_RE = /<\/?[a-zA-Z][^<>\n]{0,400}>/g;
const SEPARATOR_RE = /^[\s\-_=|–—*#~.·•:+]*$/;
const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—' };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#\d{1,6}|#x[0-9a-f]{1,6}|[a-z]{2,6});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITY[e.toLowerCase()] ?? m;
  });
}

/**
 * Splits "1. Foo (side 2)2. Bar3. Baz" into numbered entries, following the number sequence.
 * Returns null when the text does not start with a number.
 */
export function splitNumberedRun(s: string): string[] | null {
  const m = /^\s*(\d{1,3})\s*[.)]\s*(?=\S)/.exec(s);
  if (!m) return null;
  let n = +m[1];
  let pos = m.index + m[0].length - m[0].trimStart().length;
  pos = s.indexOf(m[1], pos);
  const out: string[] = [];
  let guard = 0;
  for (;;) {
    if (++guard > 500) {
      out.push(s.slice(pos).trim());
      break;
    }
    const next = n + 1;
    const re = new RegExp(`${next}[.)]\\s*(?=[A-ZÆØÅÉ"“'«§])`, 'g');
    re.lastIndex = pos + String(n).length + 1;
    const mm = re.exec(s);
    if (!mm) {
      out.push(s.slice(pos).trim());
      break;
    }
    out.push(s.slice(pos, mm.index).trim());
    pos = mm.index;
    n = next;
  }
  return out.filter(Boolean);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const HEADER_TOKEN_RE = new RegExp(`(?<=\\s)(${FLAT_HEADER_TOKENS.map(escapeRe).sort((a, b) => b.length - a.length).join('|')})(?=\\s)`, 'g');
const STRONG_HEADER = new Set(['Tid', 'Sted', 'Deltagere', 'Afbud', 'Dato', 'Mødested', 'Mødedato', 'Lokation', 'Medlemmer', 'Fraværende', 'STED', 'Udvalg', 'UDVALG', 'Til stede', 'Starttidspunkt', 'STARTTIDSPUNKT', 'Mødetidspunkt']);
const SECTION_TOKEN_RE = new RegExp(`(?<=\\s)(${FLAT_SECTION_TOKENS.map(escapeRe).sort((a, b) => b.length - a.length).join('|')})(?=\\s+[A-ZÆØÅ0-9"“•-]|\\s*$)`, 'g');
const LIST_TOKENS = new Set(['Sager til behandling', 'Sager til orientering', 'Sager til beslutning', 'Dagsorden', 'Indholdsfortegnelse', 'PUNKTER', 'Punkter']);

/** A header flattened onto one line: "Møde i X Møde X Tid 7. juni … Sted … Deltagere … Afbud …". */
const QUICK_HEADER = [' Tid ', ' Sted ', ' Deltagere ', ' Afbud ', ' Dato ', ' Mødested ', ' Mødedato ', ' Lokation ', ' Medlemmer ', ' Fraværende ', ' STED ', ' Udvalg ', ' UDVALG ', ' Til stede ', ' Starttidspunkt ', ' STARTTIDSPUNKT ', ' Mødetidspunkt '];

function unflattenHeader(line: string): string[] | null {
  if (line.length < 80) return null;
  let quick = 0;
  for (const q of QUICK_HEADER) if (line.indexOf(q) >= 0 && ++quick >= 3) break;
  if (quick < 3) return null;
  const found = new Set<string>();
  const positions: Array<[number, string]> = [];
  for (const m of line.matchAll(HEADER_TOKEN_RE)) {
    positions.push([m.index!, m[1]]);
    if (STRONG_HEADER.has(m[1])) found.add(m[1].toLowerCase());
  }
  if (found.size < 3) return null;
  const out: string[] = [];
  let prev = 0;
  let prevToken: string | null = null;
  const emit = (seg: string, token: string | null) => {
    const s = seg.trim();
    if (!token) {
      if (s) out.push(s);
      return;
    }
    const value = s.slice(token.length).trim();
    if (LIST_TOKENS.has(token)) {
      out.push(token);
      const run = splitNumberedRun(value);
      if (run) out.push(...run);
      else if (value) out.push(value);
    } else out.push(`${token}\t${value}`);
  };
  for (const [idx, tok] of positions) {
    emit(line.slice(prev, idx), prevToken);
    prev = idx;
    prevToken = tok;
  }
  emit(line.slice(prev), prevToken);
  return out;
}

/** An item flattened onto one line: "1. Titel Indstilling Det indstilles … Referat Godkendt." */
function unflattenItem(line: string): string[] | null {
  if (line.length < 60 || !/^\s*\d{1,3}\s*[.)]\s+\S/.test(line)) return null;
  const cuts: Array<[number, string]> = [];
  for (const m of line.matchAll(SECTION_TOKEN_RE)) cuts.push([m.index!, m[1]]);
  if (!cuts.length) return null;
  const out: string[] = [line.slice(0, cuts[0][0]).trim()];
  for (let i = 0; i < cuts.length; i++) {
    const [idx, tok] = cuts[i];
    const end = i + 1 < cuts.length ? cuts[i + 1][0] : line.length;
    out.push(tok);
    const body = line.slice(idx + tok.length, end).trim();
    if (body) out.push(body);
  }
  return out;
}

const INLINE_LABEL_RE =
  /(?<=^|[\s\d.,;)|·•–-])(Dato|Mødedato|Tid|Tidspunkt|Mødetidspunkt|Sted|Mødested|Lokation|Lokale|Afbud|Fraværende|Deltagere|Til stede|Medlemmer|Udvalg|Starttidspunkt|Sluttidspunkt|Start|Slut|Referent|Formand|Mødeleder)\s?:/gi;

/** "Dato: 12-03-2018 Tid: 15:00 Sted: Rådhuset" → one line per label (needs at least two labels). */
function splitInlineLabels(line: string): string[] | null {
  if (line.length < 12 || line.length > 2000 || line.indexOf(':') < 0) return null;
  const cuts: number[] = [];
  for (const m of line.matchAll(INLINE_LABEL_RE)) cuts.push(m.index!);
  if (cuts.length < 2) return null;
  // the first label must start the line (after bullets/spaces), otherwise this is running text; a short
  // title before it counts when it ends in a separator ("Referat – Netværket – Mødedato: … – Sted: …")
  const lead = line.slice(0, cuts[0]);
  const out: string[] = [];
  if (lead.replace(/[\s|·•–-]+/g, '') !== '') {
    if (cuts.length < 2 || lead.length > 160 || !/\s[|·•–—-]\s*$/.test(lead)) return null;
    out.push(lead.replace(/[\s|·•–—-]+$/, '').trim());
  }
  for (let i = 0; i < cuts.length; i++) {
    const seg = line.slice(cuts[i], i + 1 < cuts.length ? cuts[i + 1] : line.length).replace(/[\s|·•–,;-]+$/, '').trim();
    if (seg) out.push(seg);
  }
  return out;
}

/** Text → lines. `text` may be plain text, markdown-ish output of the HTML converter, or PDF text. */
export function toLines(input: string): Line[] {
  const text = normalizeText(input);
  const out: Line[] = [];
  const push = (raw0: string, level = 0) => {
    let raw = raw0.replace(/[ \u00a0]+$/g, '').replace(/^[ ]+/, '');
    raw = raw.replace(/^\t+/, '').trim().replace(/ {3,}/g, '\t');
    if (raw && SEPARATOR_RE.test(raw.replace(/\t/g, ''))) raw = '';
    const t = raw.replace(/\t+/g, ' ').replace(/ {2,}/g, ' ').trim();
    out.push({ raw: t ? raw : '', text: t, level });
  };
  let rawLines = text.split('\n');
  // far beyond any real agenda: analyse the first part only (keeps pathological input fast)
  if (rawLines.length > MAX_LINES) rawLines = rawLines.slice(0, MAX_LINES);
  let nonBlank = 0;
  for (let line of rawLines) {
    if (line.trim()) nonBlank++;
    if (line.length > 100000) line = line.slice(0, 100000);
    let level = 0;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      level = h[1].length;
      line = h[2];
    }
    if (line.indexOf('](') >= 0) line = line.replace(MD_LINK_RE, '$1');
    // markdown table row "| Tid | 25. maj 2020 |" → tab-separated cells
    if (/^\s*\|.*\|.*\|\s*$/.test(line) && line.length < 5000) {
      const cells = line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
      line = cells.join('\t');
    }
    if (line.indexOf('<') >= 0 && /<(ol|ul|li)\b/i.test(line)) {
      // boxed list remnants: "Group\t<ol …>1. A2. B"
      const parts = line.split(/<(?:ol|ul)\b[^<>\n]{0,400}>/i);
      const group = decodeEntities(parts[0].replace(TAG_RE, ' ')).trim();
      if (group) push(group, level);
      for (const p of parts.slice(1)) {
        const body = decodeEntities(p.replace(/<li\b[^<>\n]{0,400}>/gi, '\n').replace(TAG_RE, ' '));
        for (const seg of body.split('\n')) {
          const run = splitNumberedRun(seg.trim());
          if (run) for (const r of run) push(r);
          else push(seg);
        }
      }
      continue;
    }
    if (line.indexOf('<') >= 0) line = line.replace(TAG_RE, ' ');
    line = decodeEntities(line);
    const multi = splitInlineLabels(line);
    if (multi) {
      for (const l of multi) push(l, level);
      continue;
    }
    // a flattened header is at the top of the document
    const flatHeader = nonBlank < 40 ? unflattenHeader(line) : null;
    if (flatHeader) {
      for (const l of flatHeader) {
        const item = unflattenItem(l);
        if (item) for (const x of item) push(x);
        else push(l);
      }
      continue;
    }
    const flatItem = unflattenItem(line);
    if (flatItem) {
      for (const l of flatItem) push(l);
      continue;
    }
    push(line, level);
  }
  dropPageFurniture(out);
  return out;
}

const PAGE_LINE_RE = /^(?:(?:side|page|s\.)\s*\d{1,4}(?:\s*(?:af|of|\/)\s*\d{1,4})?|\d{1,4}\s*(?:af|of)\s*\d{1,4}|-\s*\d{1,4}\s*-)$/i;
const PAGE_TAIL_RE = /(?:^|\s)(?:side|page)\s*\d{1,4}\s*(?:af|of|\/)\s*\d{1,4}$/i;
const HEADER_ZONE = 15;

/** The first index in a sorted array whose value is ≥ x (binary search). */
function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Page furniture from PDF/Word conversions: page numbers ("Side 2 af 7"), running footers that end with
 * one, and running headers repeated next to the page breaks or on many pages ("Økonomiudvalget, 05.03.2015").
 * The first occurrence in the document's header zone is kept (it may be the only place the date is written).
 */
function dropPageFurniture(lines: Line[]): void {
  const norm = (t: string) => t.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');
  const nonBlank: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i].text) nonBlank.push(i);
  if (nonBlank.length < 8) return;
  const rank = new Map<number, number>();
  nonBlank.forEach((i, r) => rank.set(i, r));
  const isPage = (t: string) => t.length <= 80 && (PAGE_LINE_RE.test(t) || PAGE_TAIL_RE.test(t));
  const pageRanks: number[] = [];
  const counts = new Map<string, number>();
  for (const [r, i] of nonBlank.entries()) {
    const t = lines[i].text;
    if (isPage(t)) pageRanks.push(r);
    if (t.length <= 160) counts.set(norm(t), (counts.get(norm(t)) ?? 0) + 1);
  }
  const nearPage = (r: number) => {
    const lo = lowerBound(pageRanks, r);
    const d1 = lo < pageRanks.length ? pageRanks[lo] - r : Infinity;
    const d2 = lo > 0 ? r - pageRanks[lo - 1] : Infinity;
    return Math.min(d1, d2) <= 3;
  };
  const nearestPage = (r: number) => {
    const lo = lowerBound(pageRanks, r);
    if (lo >= pageRanks.length) return pageRanks[pageRanks.length - 1];
    if (lo === 0) return pageRanks[0];
    return pageRanks[lo] - r < r - pageRanks[lo - 1] ? pageRanks[lo] : pageRanks[lo - 1];
  };
  // how often each line sits next to a page break: running headers do so on every page
  const nearSets = new Map<string, Set<number>>();
  if (pageRanks.length)
    for (const [r, i] of nonBlank.entries()) {
      const t = lines[i].text;
      if (t.length > 160 || isPage(t) || !nearPage(r)) continue;
      const k = norm(t);
      if ((counts.get(k) ?? 0) < 2) continue;
      const set = nearSets.get(k) ?? new Set<number>();
      set.add(nearestPage(r));
      nearSets.set(k, set);
    }
  const seen = new Set<string>();
  for (const [r, i] of nonBlank.entries()) {
    const t = lines[i].text;
    if (t.length > 160) continue;
    const k = norm(t);
    const first = !seen.has(k);
    seen.add(k);
    const keepFirst = first && r < HEADER_ZONE;
    let drop = false;
    if (isPage(t)) drop = true;
    else {
      const c = counts.get(k) ?? 0;
      if (c >= 2 && !keepFirst && t.length >= 6 && !matchSectionLabel(t) && !/^\d{1,3}\s*[.)]\s/.test(t)) {
        const near = nearSets.get(k)?.size ?? 0; // next to different page breaks
        if (pageRanks.length && nearPage(r) && (near >= 2 || /\d/.test(t))) drop = true;
        else if (c >= 3 && findDates(t).length && t.length <= 100) drop = true;
      }
    }
    if (drop) lines[i] = { raw: '', text: '', level: 0 };
  }
}
