import type { Queryable } from '../store/db';
import { UserError } from '../errors';
import type { ConversationStatus, ConversationType } from './types';

/** A stored Teams conversation (personal chat, group chat or channel) and its forum links. */
export interface Conversation {
  id: string;
  type: ConversationType;
  tenantId: string | null;
  teamId: string | null;
  channelId: string | null;
  aadObjectId: string | null;
  name: string | null;
  status: ConversationStatus;
  statusReason: string | null;
  forums: string[];
  reference: Record<string, unknown>;
  updatedAt: Date;
}

export interface ConversationUpsert {
  id: string;
  type: ConversationType;
  tenantId?: string | null;
  teamId?: string | null;
  channelId?: string | null;
  aadObjectId?: string | null;
  name?: string | null;
  reference: Record<string, unknown>;
}

interface Row {
  id: string;
  type: ConversationType;
  tenant_id: string | null;
  team_id: string | null;
  channel_id: string | null;
  aad_object_id: string | null;
  name: string | null;
  status: ConversationStatus;
  status_reason: string | null;
  forums: string[] | null;
  reference: Record<string, unknown>;
  updated_at: Date;
}

const SELECT = `select c.*, coalesce((select array_agg(l.forum_id order by l.forum_id) from forum_links l where l.conversation_id = c.id), '{}') forums
  from conversations c`;

function toConversation(r: Row): Conversation {
  return {
    id: r.id,
    type: r.type,
    tenantId: r.tenant_id,
    teamId: r.team_id,
    channelId: r.channel_id,
    aadObjectId: r.aad_object_id,
    name: r.name,
    status: r.status,
    statusReason: r.status_reason,
    forums: r.forums ?? [],
    reference: r.reference,
    updatedAt: r.updated_at,
  };
}

/**
 * Conversations this process stored within the last REMEMBERED_TTL_MS, per store, with what it stored. Every activity
 * calls upsertConversation; without this, 500 votes at once on a channel card each rewrite (and row-lock) the same
 * channel row. Hearing again from a conversation with the same fields writes nothing until the entry expires; the
 * reference's `user` (the last speaker in a channel) is not compared. A status change made by this process
 * (setConversationStatus, markTeamRemoved) drops the entry at once; one made by another instance is picked up by the
 * first activity after the entry expires.
 */
export const REMEMBERED_TTL_MS = 30_000;
const remembered = new WeakMap<Queryable, Map<string, { sig: string; at: number }>>();

function signature(c: ConversationUpsert): string {
  const { user: _user, ...ref } = c.reference as Record<string, unknown>;
  return JSON.stringify([c.type, c.tenantId ?? null, c.teamId ?? null, c.channelId ?? null, c.aadObjectId ?? null, c.name ?? null, ref]);
}

function forget(db: Queryable, pred: (id: string) => boolean): void {
  const m = remembered.get(db);
  if (m) for (const id of m.keys()) if (pred(id)) m.delete(id);
}

/**
 * Stores (or refreshes) a conversation the bot heard from. Hearing from a removed or blocked conversation
 * again makes it active: the bot is evidently there and allowed to write. Returns true when it was new.
 */
export async function upsertConversation(db: Queryable, c: ConversationUpsert): Promise<boolean> {
  const sig = signature(c);
  let seen = remembered.get(db);
  const hit = seen?.get(c.id);
  if (hit && hit.sig === sig && Date.now() - hit.at < REMEMBERED_TTL_MS) return false;
  const r = await db.query<{ inserted: boolean }>(
    `insert into conversations (id, type, tenant_id, team_id, channel_id, aad_object_id, name, reference)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (id) do update set
       tenant_id = coalesce(excluded.tenant_id, conversations.tenant_id),
       team_id = coalesce(excluded.team_id, conversations.team_id),
       channel_id = coalesce(excluded.channel_id, conversations.channel_id),
       aad_object_id = coalesce(excluded.aad_object_id, conversations.aad_object_id),
       name = coalesce(excluded.name, conversations.name),
       reference = excluded.reference,
       status = 'active', status_reason = null, updated_at = now()
     returning (xmax = 0) inserted`,
    [c.id, c.type, c.tenantId ?? null, c.teamId ?? null, c.channelId ?? null, c.aadObjectId ?? null, c.name ?? null, JSON.stringify(c.reference)],
  );
  if (!seen) remembered.set(db, (seen = new Map()));
  if (seen.size > 10_000) seen.clear();
  seen.set(c.id, { sig, at: Date.now() });
  return !!r.rows[0]?.inserted;
}

export async function setConversationStatus(db: Queryable, id: string, status: ConversationStatus, reason?: string): Promise<void> {
  forget(db, (x) => x === id);
  await db.query(`update conversations set status = $2, status_reason = $3, updated_at = now() where id = $1`, [id, status, reason ?? null]);
  forget(db, (x) => x === id);
}

/** The bot was removed from a team: every channel of it is removed. */
export async function markTeamRemoved(db: Queryable, teamId: string, reason = 'uninstalled'): Promise<number> {
  forget(db, () => true);
  const r = await db.query(`update conversations set status = 'removed', status_reason = $2, updated_at = now() where team_id = $1 and status <> 'removed'`, [teamId, reason]);
  forget(db, () => true);
  return r.rowCount;
}

export async function getConversation(db: Queryable, id: string): Promise<Conversation | null> {
  const r = await db.query<Row>(`${SELECT} where c.id = $1`, [id]);
  return r.rows[0] ? toConversation(r.rows[0]) : null;
}

export async function listConversations(db: Queryable): Promise<Conversation[]> {
  const r = await db.query<Row>(`${SELECT} order by c.type, c.created_at, c.id`);
  return r.rows.map(toConversation);
}

/** Active channels (and group chats) linked to the forum. */
export async function linkedChannels(db: Queryable, forumId: string): Promise<Conversation[]> {
  const r = await db.query<Row>(
    `${SELECT} where c.status = 'active' and exists (select 1 from forum_links l where l.conversation_id = c.id and l.forum_id = $1) order by c.created_at, c.id`,
    [forumId],
  );
  return r.rows.map(toConversation);
}

/** The active personal chat with this user, if the bot has one. */
export async function personalChatFor(db: Queryable, aadObjectId: string): Promise<Conversation | null> {
  const r = await db.query<Row>(
    `${SELECT} where c.type = 'personal' and c.status = 'active' and lower(c.aad_object_id) = lower($1) order by c.updated_at desc limit 1`,
    [aadObjectId],
  );
  return r.rows[0] ? toConversation(r.rows[0]) : null;
}

/** Bulk personalChatFor, keyed by lower-cased Entra object id. */
export async function personalChatsFor(db: Queryable, aadObjectIds: string[]): Promise<Map<string, Conversation>> {
  const out = new Map<string, Conversation>();
  if (aadObjectIds.length === 0) return out;
  const r = await db.query<Row>(
    `${SELECT} where c.type = 'personal' and c.status = 'active' and lower(c.aad_object_id) = any($1::text[]) order by c.updated_at`,
    [aadObjectIds.map((a) => a.toLowerCase())],
  );
  for (const row of r.rows) out.set(row.aad_object_id!.toLowerCase(), toConversation(row));
  return out;
}

/** All active personal chats (for `broadcast agenda --personal` when no roster exists). */
export async function activePersonalChats(db: Queryable): Promise<Conversation[]> {
  const r = await db.query<Row>(`${SELECT} where c.type = 'personal' and c.status = 'active' order by c.created_at, c.id`);
  return r.rows.map(toConversation);
}

export interface ForumRef {
  id: string;
  name: string;
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'oe')
    .replace(/å/g, 'aa')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A forum by id, name or short name (case- and accent-insensitive; a unique prefix of the name also counts). */
export async function resolveForum(db: Queryable, nameOrId: string): Promise<ForumRef | null> {
  const forums = (await db.query<{ id: string; name: string; short_names: string[] }>('select id, name, short_names from forums order by name')).rows;
  const q = norm(nameOrId);
  if (!q) return null;
  const exact = forums.find((f) => f.id === nameOrId || norm(f.name) === q || norm(f.id) === q || (f.short_names ?? []).some((s) => norm(s) === q));
  if (exact) return { id: exact.id, name: exact.name };
  const prefix = forums.filter((f) => norm(f.name).startsWith(q));
  if (prefix.length === 1) return { id: prefix[0].id, name: prefix[0].name };
  return null;
}

/** Links one or more conversations to a forum. Unknown conversations or forum: UserError, nothing linked. */
export async function linkConversations(
  db: Queryable,
  ids: string[],
  forumNameOrId: string,
  actor: string,
): Promise<{ forumId: string; forumName: string; linked: string[]; already: string[] }> {
  const forum = await resolveForum(db, forumNameOrId);
  if (!forum) throw new UserError(`unknown forum: ${forumNameOrId}`, 'unknown_forum');
  const known = new Set(
    (await db.query<{ id: string }>('select id from conversations where id = any($1::text[])', [ids])).rows.map((r) => r.id),
  );
  const missing = ids.filter((i) => !known.has(i));
  if (missing.length) throw new UserError(`unknown conversation${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`, 'unknown_conversation');
  const linked: string[] = [];
  const already: string[] = [];
  for (const id of ids) {
    const r = await db.query('insert into forum_links (conversation_id, forum_id, linked_by) values ($1, $2, $3) on conflict do nothing', [id, forum.id, actor]);
    (r.rowCount > 0 ? linked : already).push(id);
  }
  if (linked.length) {
    await db.query(`insert into audit_log (actor, action, subject, details) values ($1, 'broadcasts.link', $2, $3)`, [
      actor,
      forum.id,
      JSON.stringify({ conversations: linked }),
    ]);
  }
  return { forumId: forum.id, forumName: forum.name, linked, already };
}

export async function unlinkConversation(db: Queryable, id: string, forumId: string): Promise<boolean> {
  const r = await db.query('delete from forum_links where conversation_id = $1 and forum_id = $2', [id, forumId]);
  return r.rowCount > 0;
}
