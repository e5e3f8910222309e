/** Text helpers shared by the parser: normalisation, comparison keys, similarity. All linear-time. */

/** Normalises raw extracted text: line breaks, odd spaces, control characters. Keeps tabs. */
export function normalizeText(input: string): string {
  let s = input;
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  s = s.replace(/\r\n?/g, '\n');
  // no-break and other fixed spaces → space; zero-width characters and soft hyphens → nothing
  s = s.replace(/[\u00a0\u2007\u202f\u2000-\u200a\u3000]/g, ' ');
  s = s.replace(/[\u200b-\u200d\u2060\ufeff\u00ad]/g, '');
  // other control characters (keep \t and \n)
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ' ');
  s = s.replace(/\u2028|\u2029/g, '\n');
  return s;
}

const FOLD_MAP: Record<string, string> = {};
for (const ch of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD_MAP[ch] = '-';
for (const ch of '\u2018\u2019\u201a\u201b\u2032') FOLD_MAP[ch] = "'";
for (const ch of '\u201c\u201d\u201e\u201f\u00ab\u00bb') FOLD_MAP[ch] = '"';
for (const [chars, to] of [['éèêë', 'e'], ['áàâä', 'a'], ['íìîï', 'i'], ['óòôö', 'o'], ['úùûü', 'u']] as const) for (const ch of chars) FOLD_MAP[ch] = to;
const FOLD_RE = /[\u2010-\u2015\u2212\u2018\u2019\u201a\u201b\u2032\u201c-\u201f\u00ab\u00bbéèêëáàâäíìîïóòôöúùûü]/g;

/** Strips diacritics except the Danish letters, lowercases, unifies dashes and quotes. */
export function fold(s: string): string {
  return s.toLowerCase().replace(FOLD_RE, (ch) => FOLD_MAP[ch] ?? ch);
}

const BULLET_RE = /^(?:[-–—•·▪►◦○●*|±]+\s*)+/;

/** Removes leading bullet characters ("- ", "• ", "| ", "± ") from a line. */
export function stripBullet(s: string): string {
  return s.replace(BULLET_RE, '').trim();
}

/** Comparison key for labels and titles: folded, bullets, outer punctuation and spaces removed. */
export function key(s: string): string {
  return fold(stripBullet(s))
    .replace(/\s+/g, ' ')
    .replace(/^[\s"'(]+/, '')
    .replace(/[\s:;.,!?)"'*_]+$/, '')
    .trim();
}

/** Word tokens of a title (folded, alphanumerics only). */
export function tokens(s: string): string[] {
  const out: string[] = [];
  for (const t of fold(s).split(/[^0-9a-zæøå]+/)) if (t) out.push(t);
  return out;
}

/** Similarity of two titles, 0..1: Dice on word tokens, 0.9 when one is a prefix of the other. */
export function titleSimilarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.length || !tb.length) return 0;
  const ja = ta.join(' ');
  const jb = tb.join(' ');
  if (ja === jb) return 1;
  let prefix = 0;
  if ((ja.startsWith(jb + ' ') || jb.startsWith(ja + ' ')) && Math.min(ta.length, tb.length) >= 2) prefix = 0.9;
  else if ((ja.startsWith(jb + ' ') || jb.startsWith(ja + ' ')) && Math.abs(ta.length - tb.length) <= 3) prefix = 0.8;
  return Math.max(prefix, dice(ta, tb));
}

/** Dice coefficient of two token lists (a token counts as often as it occurs in both). */
function dice(ta: string[], tb: string[]): number {
  const setB = new Map<string, number>();
  for (const t of tb) setB.set(t, (setB.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of ta) {
    const n = setB.get(t) ?? 0;
    if (n > 0) {
      common++;
      setB.set(t, n - 1);
    }
  }
  return (2 * common) / (ta.length + tb.length);
}

/** Dice coefficient on word tokens (no prefix bonus). */
export function diceSimilarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  if (!ta.length || !tb.length) return 0;
  return dice(ta, tb);
}

/** Damerau-Levenshtein (optimal string alignment) distance, bounded: returns max+1 when larger. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a === b) return 0;
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = new Array<number>(m + 1);
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    const cur = new Array<number>(m + 1);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m];
}

/** Collapses runs of blank lines and trims; null when nothing is left. */
export function cleanBlock(lines: string[]): string | null {
  const out: string[] = [];
  let blank = false;
  for (const raw of lines) {
    const l = raw.replace(/[ \t]+/g, ' ').trim();
    if (!l) {
      blank = out.length > 0;
      continue;
    }
    if (blank) out.push('');
    blank = false;
    out.push(l);
  }
  const s = out.join('\n').trim();
  return s ? s : null;
}

export function collapseSpaces(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
