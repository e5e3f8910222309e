import type { Queryable } from './db';
import known from './known-forums.json';

/**
 * Forums repository. The forums forumbot knows up front are data (known-forums.json); a document that names
 * another forum creates it. Names match case- and diacritics-insensitively, under the full name, the
 * short names (SDF, DAS, SOCDIR, FU) and the aliases. Matching is exact after normalising, never by
 * substring: "Socialdirektørforum Vestkyst" is not "Socialdirektørforum".
 */
export interface Forum {
  id: string;
  name: string;
  /** Abbreviations: SDF, DAS, SOCDIR, FU. */
  shortNames: string[];
  /** Longer spellings documents and people use. */
  aliases: string[];
  region: string | null;
  /** For a committee such as FU: the forums whose meetings it prepares. */
  prepares: string[];
}

export const KNOWN_FORUMS: readonly Forum[] = known.forums.map((f) => ({ ...f, region: f.region ?? null }));

/** The name a document without a forum is filed under. */
export const UNKNOWN_FORUM_NAME = 'Ukendt forum';

/** Lower case, æ→ae ø→oe å→aa, accents dropped, punctuation to single spaces. */
export function foldName(s: string): string {
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * The key names are compared by: folded, then ae/oe/aa reduced to a/o/a, so that "Socialdirektørforum",
 * "socialdirektoerforum" and "socialdirektorforum" (typed without ø) are one key.
 */
export function forumKey(s: string): string {
  return foldName(s).replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/aa/g, 'a');
}

/** URL- and id-safe slug: "Den Administrative Styregruppe" → "den-administrative-styregruppe". */
export function slugify(s: string, max = 40): string {
  const full = foldName(s).replace(/ /g, '-');
  if (full.length <= max) return full || 'forum';
  const cut = full.slice(0, max + 1);
  const atWord = cut.lastIndexOf('-');
  return (atWord > max / 2 ? cut.slice(0, atWord) : full.slice(0, max)).replace(/-+$/, '') || 'forum';
}

/** Words around a forum's name in titles and calendar names: "Møde i …", "Referat fra …", "… 2027", "Årshjul for …". */
const PREFIX = /^(?:(?:mode|moder|modet|referat|dagsorden|arshjul|modeplan|modekalender|kalender|modedatoer)(?: \d{4})?(?: (?:i|for|fra|med|til))? )+/;
const SUFFIX = /(?: (?:\d{4}(?: \d{4})?|arshjul|modeplan|modekalender|moder))+$/;

/** Every key a forum answers to. */
export function forumKeys(f: Forum): string[] {
  const names = [f.name, ...f.shortNames, ...f.aliases];
  if (f.region) names.push(`${f.name} ${f.region}`, `${f.name} i ${f.region}`, `${f.name} Region ${f.region}`);
  return [...new Set(names.map(forumKey).filter(Boolean))];
}

/** The forum a name refers to, or null. Pure: give it the forums to choose from. */
export function matchForum(forums: readonly Forum[], name: string | null | undefined): Forum | null {
  if (!name) return null;
  const key = forumKey(name);
  if (!key) return null;
  const stripped = key.replace(PREFIX, '').replace(SUFFIX, '').trim();
  for (const candidate of stripped && stripped !== key ? [key, stripped] : [key]) {
    const hit = forums.find((f) => forumKeys(f).includes(candidate));
    if (hit) return hit;
  }
  return null;
}

export interface ForumMention {
  forum: Forum;
  /** The words as written in the text. */
  text: string;
  index: number;
}

/**
 * Forums named anywhere in a free text ("hvad besluttede DAS i maj"), as whole words, longest first
 * where two overlap. For question understanding; documents use matchForum on their forum field.
 */
export function findForumMentions(forums: readonly Forum[], text: string): ForumMention[] {
  // Map each folded character position back to the original text, so mentions carry the user's words.
  const words: Array<{ key: string; start: number; end: number }> = [];
  const re = /[\p{L}\p{N}]+/gu;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push({ key: forumKey(m[0]), start: m.index, end: m.index + m[0].length });
  const byKey = new Map<string, Forum>();
  for (const f of forums) for (const k of forumKeys(f)) if (!byKey.has(k)) byKey.set(k, f);
  const maxWords = Math.max(1, ...[...byKey.keys()].map((k) => k.split(' ').length));
  const out: ForumMention[] = [];
  for (let i = 0; i < words.length; ) {
    let found: { forum: Forum; n: number } | null = null;
    for (let n = Math.min(maxWords, words.length - i); n >= 1; n--) {
      const key = words
        .slice(i, i + n)
        .map((w) => w.key)
        .join(' ');
      const forum = byKey.get(key);
      if (forum) {
        found = { forum, n };
        break;
      }
    }
    if (found) {
      const start = words[i].start;
      const end = words[i + found.n - 1].end;
      out.push({ forum: found.forum, text: text.slice(start, end), index: start });
      i += found.n;
    } else i++;
  }
  return out;
}

type ForumRow = { id: string; name: string; short_names: string[]; aliases: string[]; region: string | null; prepares: string[] };
const toForum = (r: ForumRow): Forum => ({
  id: r.id,
  name: r.name,
  shortNames: r.short_names ?? [],
  aliases: r.aliases ?? [],
  region: r.region,
  prepares: r.prepares ?? [],
});

const ensured = new WeakSet<object>();

/**
 * Writes the known forums (known-forums.json) into the table. Idempotent; short names and aliases are merged,
 * so ones added by hand stay. Called by every public entry point once per database handle.
 */
export async function ensureKnownForums(q: Queryable): Promise<void> {
  if (ensured.has(q)) return;
  for (const f of KNOWN_FORUMS) {
    await q.query(
      `insert into forums (id, name, short_names, aliases, region, prepares) values ($1, $2, $3, $4, $5, $6)
       on conflict (id) do update set
         short_names = array(select distinct unnest(forums.short_names || excluded.short_names)),
         aliases = array(select distinct unnest(forums.aliases || excluded.aliases)),
         region = coalesce(forums.region, excluded.region),
         prepares = array(select distinct unnest(forums.prepares || excluded.prepares))
       where not (forums.short_names @> excluded.short_names and forums.aliases @> excluded.aliases and forums.prepares @> excluded.prepares)`,
      [f.id, f.name, f.shortNames, f.aliases, f.region, f.prepares],
    );
  }
  ensured.add(q);
}

/** Every stored forum (the known ones are written on first use). */
export async function listForums(q: Queryable): Promise<Forum[]> {
  await ensureKnownForums(q);
  return loadForums(q);
}

async function loadForums(q: Queryable): Promise<Forum[]> {
  const r = await q.query<ForumRow>('select id, name, short_names, aliases, region, prepares from forums order by name');
  return r.rows.map(toForum);
}

export async function getForum(q: Queryable, id: string): Promise<Forum | null> {
  const r = await q.query<ForumRow>('select id, name, short_names, aliases, region, prepares from forums where id = $1', [id]);
  return r.rows[0] ? toForum(r.rows[0]) : null;
}

/** The stored forum a name, short name or alias refers to (SDF, "das", "Socialdirektørkredsen i Nordjylland"), or null. */
export async function resolveForum(q: Queryable, name: string): Promise<Forum | null> {
  return matchForum(await listForums(q), name);
}

/**
 * The forum a parsed document names; created (with the name as written) when it is not known yet.
 * Inside a transaction: call ensureKnownForums(db) before opening it.
 */

export async function getOrCreateForum(q: Queryable, name: string | null | undefined, extra: Partial<Pick<Forum, 'shortNames' | 'aliases' | 'region'>> = {}): Promise<Forum> {
  const clean = (name ?? '').replace(/\s+/g, ' ').trim() || UNKNOWN_FORUM_NAME;
  const existing = matchForum(await loadForums(q), clean);
  if (existing) return existing;
  const base = slugify(clean);
  let id = base;
  for (let n = 2; (await q.query('select 1 from forums where id = $1', [id])).rows.length; n++) id = `${base}-${n}`;
  const r = await q.query<ForumRow>(
    `insert into forums (id, name, short_names, aliases, region) values ($1, $2, $3, $4, $5)
     on conflict (name) do update set name = excluded.name
     returning id, name, short_names, aliases, region, prepares`,
    [id, clean, extra.shortNames ?? [], extra.aliases ?? [], extra.region ?? null],
  );
  return toForum(r.rows[0]);
}

/** Adds short names or aliases to a stored forum (e.g. the demo forum's "DFV"). */
export async function addForumNames(q: Queryable, id: string, names: { shortNames?: string[]; aliases?: string[] }): Promise<void> {
  await q.query(
    `update forums set short_names = array(select distinct unnest(short_names || $2::text[])),
                       aliases = array(select distinct unnest(aliases || $3::text[])) where id = $1`,
    [id, names.shortNames ?? [], names.aliases ?? []],
  );
}

/** The prefix of a forum's meeting ids: its first short name (sdf, das, socdir), else its id. */
export function meetingIdPrefix(f: Forum): string {
  return f.shortNames.length ? slugify(f.shortNames[0], 20) : f.id;
}
