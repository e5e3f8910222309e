/**
 * Participant and absentee lists in the three styles real minutes use:
 *  - "Name, Organisation, Name, Organisation, …"
 *  - "Name (Organisation), Name (formand, Organisation), A og B (begge sekretariat/ref.)"
 *  - bare names joined with commas and "og", with "/ref" on the minutes taker
 * and one person per line.
 */
import type { Person } from './model';
import { collapseSpaces, fold } from './text';

type Role = 'chair' | 'minutes_taker' | null;

const ORG_WORDS =
  /(kommune|kommunes|region|regionen|(?<!\p{L})kkr(?!\p{L})|(?<!\p{L})kl(?!\p{L})|sekretariat|styrelse|ministerie|forvaltning|center|centret|centre|hospital|sygehus|universitet|psykiatri|afdeling|direktion|rådhus|myndighed|forening|organisation|selskab|a\/s|(?<!\p{L})aps(?!\p{L})|fonden|(?<!\p{L})fond(?!\p{L})|tilsyn|politi|udvalg|forum|kredsen|rådet|(?<!\p{L})råd(?!\p{L})|gruppen|netværk|administration|(?<!\p{L})fb(?!\p{L})|(?<!\p{L})æh(?!\p{L})|socialtilsyn|bestyrelse|skole|institution|styregruppe)/iu;

const CHAIR_RE = /^(formand|forperson|mødeleder|ordstyrer|mødeformand|chair)$/i;
const MINUTES_RE = /^(ref\.?|referent|referat|sekretær for mødet|minutes)$/i;
const DROP_ROLE_RE = /^(næstformand|medlem|suppleant|stedfortræder|gæst|observatør|tilforordnet|deltager|sekretær|sekretariat|konsulent|oplægsholder)$/i;

/** Job titles written before a name ("Borgmester Erik Lau", "Kommunaldirektør Lis Holt"): not part of the name. */
const JOB_TITLE_RE =
  /^(?:vice)?(?:borgmester|rådmand|kommunaldirektør|regionsdirektør|regionsrådsformand|direktør|[a-zæøå]{3,}direktør|[a-zæøå]{3,}chef|chef|chefkonsulent|specialkonsulent|konsulent|udvalgsformand|byrådsmedlem|kommunalbestyrelsesmedlem|regionsrådsmedlem|professor|overlæge|leder)\s+(?=[A-ZÆØÅ][\p{L}.-]+\s+[A-ZÆØÅ])/iu;

function isOrgLike(s: string): boolean {
  if (ORG_WORDS.test(s)) return true;
  const t = s.trim();
  // acronyms: "KKR", "DAS", "FU"
  if (/^[A-ZÆØÅ]{2,6}$/.test(t)) return true;
  return false;
}

function isNameLike(s: string): boolean {
  const t = s.trim();
  if (!t || t.length > 60) return false;
  if (isOrgLike(t)) return false;
  const words = t.split(/\s+/);
  if (words.length < 1 || words.length > 6) return false;
  // names start with capitals (allow particles: von, van, de, la)
  let caps = 0;
  for (const w of words) {
    if (/^[A-ZÆØÅÉÜÖÄ]/.test(w)) caps++;
    else if (!/^(von|van|de|la|le|af|du|der|den)$/i.test(w)) return false;
  }
  return caps >= 1;
}

/** Splits on commas/semicolons outside parentheses. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '[') depth++;
    else if ((ch === ')' || ch === ']') && depth > 0) depth--;
    if ((ch === ',' || ch === ';') && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x.length > 0);
}

/** Pulls role markers out of a name: "Hilde Holst/ref" → minutes taker. */
function stripRoleSuffix(name: string): { name: string; role: Role } {
  let role: Role = null;
  let n = name.trim();
  const m = /\s*\/\s*(ref\.?|referent)\s*\.?$/i.exec(n);
  if (m) {
    role = 'minutes_taker';
    n = n.slice(0, m.index).trim();
  }
  const m2 = /\s*[-–]\s*(formand|forperson)\s*$/i.exec(n);
  if (m2) {
    role = 'chair';
    n = n.slice(0, m2.index).trim();
  }
  const m3 = /^(formand|forperson|referent)\s*:?\s+/i.exec(n);
  if (m3 && n.split(/\s+/).length >= 3) {
    role = /ref/i.test(m3[1]) ? 'minutes_taker' : 'chair';
    n = n.slice(m3[0].length).trim();
  }
  return { name: n, role };
}

function splitNames(s: string): string[] {
  return s
    .split(/\s+(?:og|samt|&)\s+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

function cleanName(s: string): string {
  return collapseSpaces(s.replace(/^[-–•*·]+\s*/, '').replace(/[.:;]+$/, '').replace(/^(og|samt)\s+/i, '')).replace(JOB_TITLE_RE, '');
}

/** Parses the parenthesised part: "formand, Brønderslev Kommune", "begge sekretariat for rammeaftaler/ref." */
function parseParen(inner: string): { org: string | null; role: Role } {
  let role: Role = null;
  let s = inner.trim();
  const refM = /\s*\/\s*(ref\.?|referent)\s*\.?\s*$/i.exec(s);
  if (refM) {
    role = 'minutes_taker';
    s = s.slice(0, refM.index).trim();
  }
  s = s.replace(/^(begge|alle)\s+/i, '');
  const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
  const orgParts: string[] = [];
  for (const p of parts) {
    const pk = p.replace(/\.$/, '');
    if (CHAIR_RE.test(pk)) role = role ?? 'chair';
    else if (MINUTES_RE.test(pk)) role = 'minutes_taker';
    else if (DROP_ROLE_RE.test(pk)) continue;
    else orgParts.push(p);
  }
  const org = orgParts.length ? collapseSpaces(orgParts.join(', ')).replace(/[.]+$/, '') : null;
  return { org: org || null, role };
}

function person(name: string, org: string | null, role: Role): Person | null {
  const n = cleanName(name);
  if (!n || n.length < 2 || !/[A-Za-zÆØÅæøå]/.test(n)) return null;
  if (n.length > 80) return null;
  const p: Person = { name: n, organisation: org ? collapseSpaces(org) : null };
  if (role) p.role = role;
  return p;
}

/** Parses one list value (may span several lines). */
export function parsePeople(value: string): Person[] {
  let text = value.replace(/\t+/g, ' ').trim();
  if (!text) return [];
  if (text.length > 20000) text = text.slice(0, 20000);
  // remove leading words such as "Afbud fra", "Fraværende:"
  text = text.replace(/^(afbud\s+fra|afbud|fraværende|til stede|deltagere)\s*:?\s*/i, '');
  if (/^(?:ingen|intet|n\/a)(?:\s|\.|$)/i.test(text) || /^[-–—]+\.?$/.test(text)) return [];
  const lines = text
    .split('\n')
    .map((l) => l.replace(/^\s*(?:[-–•*·▪]|\d{1,2}[.)])\s+/, '').trim())
    .filter(Boolean);
  // one person per line when every line is short
  if (lines.length > 1 && lines.every((l) => splitTop(l).length <= 3 && l.length < 120)) {
    const out: Person[] = [];
    for (const l of lines) out.push(...parseInline(l, true));
    return dedupe(out);
  }
  return dedupe(parseInline(lines.join(' '), false));
}

function parseInline(text: string, singleLine: boolean): Person[] {
  const t = text.replace(/\s*\.\s*$/, '');
  const elems = splitTop(t);
  const out: Person[] = [];
  const hasParens = /\(/.test(t);
  const head0 = elems.length ? elems[0].replace(/\s*\([^()]*\)\s*$/, '') : '';
  if (singleLine && elems.length >= 2 && isNameLike(head0) && !/\(/.test(head0)) {
    // "Name, Organisation" or "Name, role, Organisation" (a trailing "(referent)" is a role)
    const { name, role: r0 } = stripRoleSuffix(head0);
    let role = r0;
    const orgParts: string[] = [];
    const p0 = /\(([^()]*)\)\s*$/.exec(elems[0]);
    if (p0) {
      const pp = parseParen(p0[1]);
      if (pp.role) role = pp.role;
      if (pp.org) orgParts.push(pp.org);
    }
    const rest = elems.slice(1).map((e) => {
      const pm = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(e);
      if (!pm) return e;
      const pp = parseParen(pm[2]);
      if (pp.role) role = pp.role;
      if (pp.org) orgParts.push(pp.org);
      return pm[1];
    });
    for (const e of rest) {
      if (!e) continue;
      if (CHAIR_RE.test(e.replace(/\.$/, ''))) role = 'chair';
      else if (MINUTES_RE.test(e.replace(/\.$/, ''))) role = 'minutes_taker';
      else if (!DROP_ROLE_RE.test(e)) orgParts.push(e);
    }
    const p = person(name, orgParts.join(', ') || null, role);
    return p ? [p] : [];
  }
  // decide whether the list alternates "Name, Org, Name, Org"
  let orgCount = 0;
  for (const e of elems) if (isOrgLike(e) && !/\(/.test(e)) orgCount++;
  const paired = !hasParens && elems.length >= 2 && orgCount >= Math.max(1, Math.floor(elems.length * 0.3));
  if (paired) {
    let last: Person | null = null;
    for (const e of elems) {
      const isOrg = isOrgLike(e) || (last !== null && last.organisation === null && e.split(/\s+/).length === 1);
      if (isOrg && last && last.organisation === null) {
        last.organisation = collapseSpaces(e.replace(/[.]+$/, ''));
        continue;
      }
      for (const nm of splitNames(e)) {
        const { name, role } = stripRoleSuffix(nm);
        const p = person(name, null, role);
        if (p) {
          out.push(p);
          last = p;
        }
      }
    }
    return out;
  }
  for (const e of elems) {
    // "Karen Birk (A), formand, Poul Sejr (V)": a role on its own belongs to the person before it
    const bare = e.replace(/\.$/, '').trim();
    if (out.length && (CHAIR_RE.test(bare) || MINUTES_RE.test(bare) || DROP_ROLE_RE.test(bare))) {
      const prev = out[out.length - 1];
      if (CHAIR_RE.test(bare)) prev.role = 'chair';
      else if (MINUTES_RE.test(bare)) prev.role = 'minutes_taker';
      continue;
    }
    const m = /^(.*?)\s*\(([^()]*)\)\s*\.?\s*(.*)$/.exec(e);
    if (m) {
      const { org, role } = parseParen(m[2]);
      for (const nm of splitNames(m[1])) {
        const s = stripRoleSuffix(nm);
        const p = person(s.name, org, s.role ?? role);
        if (p) out.push(p);
      }
      continue;
    }
    for (const nm of splitNames(e)) {
      const s = stripRoleSuffix(nm);
      const p = person(s.name, null, s.role);
      if (p) out.push(p);
    }
  }
  return out;
}

function dedupe(list: Person[]): Person[] {
  const seen = new Set<string>();
  const out: Person[] = [];
  for (const p of list) {
    const k = fold(p.name);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

/** "Afbud fra Lars Ravn." / "Fraværende: X" inside a remarks field. */
export function absentFromRemarks(value: string): Person[] {
  const m = /(?:afbud\s+fra|fraværende\s*:|fraværende\s+var|meldt\s+afbud\s*:?)\s*([^\n]+)/i.exec(value);
  if (!m) return [];
  return parsePeople(m[1].replace(/\.\s.*$/, ''));
}
