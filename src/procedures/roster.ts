import type { Queryable } from '../store/db';
import { getForum, listForums, resolveForum as storeResolveForum } from '../store/forums';
import { UserError } from '../errors';
import { RosterRow, type RosterRole } from './model';

/** A forum's roster (members, substitutes, secretariat) and forum lookup. SQL for roster_members lives here. */

export interface RosterMember {
  forumId: string;
  aadObjectId: string;
  name: string;
  organisation: string | null;
  role: RosterRole;
  votes: boolean;
  teamsUserId: string | null;
}

interface RosterDbRow {
  forum_id: string;
  aad_object_id: string;
  name: string;
  organisation: string | null;
  role: RosterRole;
  votes: boolean;
  teams_user_id: string | null;
}

const toMember = (r: RosterDbRow): RosterMember => ({
  forumId: r.forum_id,
  aadObjectId: r.aad_object_id,
  name: r.name,
  organisation: r.organisation,
  role: r.role,
  votes: r.votes,
  teamsUserId: r.teams_user_id,
});

export interface ForumRef {
  id: string;
  name: string;
  shortNames: string[];
}

/** A forum by name, short name or alias (the store's forums repository), or by id; a UserError naming the known forums otherwise. */
export async function resolveForum(q: Queryable, nameOrId: string): Promise<ForumRef> {
  const byName = await storeResolveForum(q, nameOrId);
  const f = byName ?? (await getForum(q, nameOrId.trim()));
  if (f) return { id: f.id, name: f.name, shortNames: f.shortNames };
  const known = (await listForums(q)).map((x) => x.name).join(', ');
  throw new UserError(`Ukendt forum: "${nameOrId}". Kendte fora: ${known}.`, 'unknown_forum');
}

/** Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a header row. Separator , or ; (detected). */
export function parseCsv(text: string): Array<Record<string, string>> {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => r.some((c) => c.trim() !== ''));
  if (!nonEmpty.length) return [];
  const header = nonEmpty[0].map((h) => h.trim());
  return nonEmpty.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()])));
}

/** Rows of a roster CSV (columns name,organisation,aadObjectId,role; optional votes). Errors name the line. */
export function rosterRowsFromCsv(text: string): Array<RosterRow & { role: RosterRole }> {
  const records = parseCsv(text);
  if (!records.length) throw new UserError('Roster-filen er tom (forventede kolonnerne name,organisation,aadObjectId,role).', 'empty_roster');
  const missing = ['name', 'aadObjectId'].filter((c) => !(c in records[0]));
  if (missing.length) throw new UserError(`Roster-filen mangler kolonnen ${missing.join(' og ')} (forventede name,organisation,aadObjectId,role).`, 'bad_roster');
  return records.map((rec, i) => {
    const roleRaw = (rec.role ?? '').toLowerCase();
    const role = ({ medlem: 'member', stedfortræder: 'substitute', sekretariat: 'secretariat' } as Record<string, string>)[roleRaw] ?? (roleRaw || 'member');
    const votesRaw = (rec.votes ?? '').toLowerCase();
    const parsed = RosterRow.safeParse({
      name: rec.name,
      organisation: rec.organisation,
      aadObjectId: rec.aadObjectId,
      role,
      votes: votesRaw ? ['1', 'true', 'ja', 'yes', 'x'].includes(votesRaw) : undefined,
    });
    if (!parsed.success) {
      throw new UserError(`Roster-filen linje ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`, 'bad_roster');
    }
    return parsed.data as RosterRow & { role: RosterRole };
  });
}

/** Inserts or updates members (by forum and object id). Members vote by default; substitutes and secretariat don't. */
export async function upsertRoster(q: Queryable, forumId: string, rows: RosterRow[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  let updated = 0;
  for (const raw of rows) {
    const r = RosterRow.parse(raw);
    const votes = r.votes ?? r.role === 'member';
    const res = await q.query<{ inserted: boolean }>(
      `insert into roster_members (forum_id, aad_object_id, name, organisation, role, votes)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (forum_id, aad_object_id) do update
         set name = excluded.name, organisation = excluded.organisation, role = excluded.role, votes = excluded.votes, updated_at = now()
       returning (xmax = 0) as inserted`,
      [forumId, r.aadObjectId, r.name, r.organisation, r.role, votes],
    );
    if (res.rows[0]?.inserted) created++;
    else updated++;
  }
  return { created, updated };
}

export async function listRoster(q: Queryable, forumId: string): Promise<RosterMember[]> {
  const r = await q.query<RosterDbRow>(
    `select forum_id, aad_object_id, name, organisation, role, votes, teams_user_id from roster_members
      where forum_id = $1 order by role, name`,
    [forumId],
  );
  return r.rows.map(toMember);
}

export async function rosterMember(q: Queryable, forumId: string, aadObjectId: string): Promise<RosterMember | null> {
  const r = await q.query<RosterDbRow>(
    'select forum_id, aad_object_id, name, organisation, role, votes, teams_user_id from roster_members where forum_id = $1 and aad_object_id = $2',
    [forumId, aadObjectId],
  );
  return r.rows[0] ? toMember(r.rows[0]) : null;
}

/** Members found in the linked team: add the unknown ones (not voting until marked), refresh names and Teams ids of known ones. */
export async function syncRosterFromTeam(
  q: Queryable,
  forumId: string,
  members: Array<{ aadObjectId: string; name: string; teamsUserId?: string | null; organisation?: string | null }>,
): Promise<{ added: number; refreshed: number }> {
  let added = 0;
  let refreshed = 0;
  for (const m of members) {
    if (!m.aadObjectId) continue;
    const res = await q.query<{ inserted: boolean }>(
      `insert into roster_members (forum_id, aad_object_id, name, organisation, role, votes, teams_user_id)
       values ($1, $2, $3, $4, 'member', false, $5)
       on conflict (forum_id, aad_object_id) do update
         set teams_user_id = coalesce(excluded.teams_user_id, roster_members.teams_user_id), updated_at = now()
       returning (xmax = 0) as inserted`,
      [forumId, m.aadObjectId, m.name, m.organisation ?? null, m.teamsUserId ?? null],
    );
    if (res.rows[0]?.inserted) added++;
    else refreshed++;
  }
  return { added, refreshed };
}

/** Marks who votes (by object id or by name, case-insensitive). Returns the names changed. */
export async function setVoting(q: Queryable, forumId: string, who: string[], votes: boolean): Promise<string[]> {
  const keys = who.map((w) => w.trim().toLowerCase()).filter(Boolean);
  if (!keys.length) return [];
  const r = await q.query<{ name: string }>(
    `update roster_members set votes = $3, updated_at = now()
      where forum_id = $1 and (lower(aad_object_id) = any($2::text[]) or lower(name) = any($2::text[]))
      returning name`,
    [forumId, keys, votes],
  );
  return r.rows.map((x) => x.name);
}

/** Remembers the Teams user id (MRI) of a roster member seen in an activity, for refresh.userIds. */
export async function rememberTeamsUserId(q: Queryable, aadObjectId: string, teamsUserId: string): Promise<void> {
  await q.query(
    'update roster_members set teams_user_id = $2 where aad_object_id = $1 and teams_user_id is distinct from $2',
    [aadObjectId, teamsUserId],
  );
}
