import type { Db, Queryable } from '../store/db';
import { UserError } from '../errors';
import { getMeeting, type StoredMeeting } from '../store/meetings';
import type { ImportEvent } from '../store/import';
import type { AdaptiveCardJson } from '../cards/render';
import { agendaCard, fullMinutesCard, minutesSummaryCard, type Lang } from './cards';
import { activePersonalChats, linkedChannels, type Conversation } from './conversations';
import { calendarToken, icsUrl, meetingForToken, minutesUrl } from './ics';
import { enqueueBroadcast, getBroadcast, type EnqueueResult } from './outbox';

/**
 * Broadcasts of meetings: the minutes summary and the agenda to the forum's linked channels (and, for the
 * agenda, personal chats), reminders before meetings, and the import hook that keeps posted cards current.
 */

export interface BroadcastSettings {
  /** PUBLIC_BASE_URL: links in cards (.ics, full minutes). */
  baseUrl: string;
  autoPostMinutes: boolean;
  /** Milliseconds before a meeting, e.g. [86_400_000]. */
  reminderOffsets: number[];
}

export interface MeetingBroadcastResult extends EnqueueResult {
  meetingId: string;
  kind: 'minutes' | 'agenda' | 'reminder';
  targets: number;
  channels: number;
  personal: number;
}

export const minutesKey = (meetingId: string) => `minutes:${meetingId}`;
export const agendaKey = (meetingId: string) => `agenda:${meetingId}`;
export const reminderKey = (meetingId: string, offsetMs: number) => `reminder:${meetingId}:${offsetMs}`;

async function meetingOrThrow(db: Queryable, meetingId: string): Promise<StoredMeeting> {
  const m = await getMeeting(db, meetingId);
  if (!m) throw new UserError(`no meeting ${meetingId}`, 'unknown_meeting');
  return m;
}

export async function renderMinutesCard(db: Queryable, m: StoredMeeting, s: BroadcastSettings) {
  const token = await calendarToken(db, m.id);
  return minutesSummaryCard(m, { minutesUrl: minutesUrl(s.baseUrl, token), minutesToken: token });
}

/**
 * Teams shows a card of at most about 28 KB. A dialog whose card would be larger shows the minutes page
 * (the same unguessable URL, on the app's validDomains: PUBLIC_BASE_URL's host) instead.
 */
export const MAX_DIALOG_CARD_BYTES = 27_000;

/** What "Vis hele referatet" opens: the full minutes as a card, or the minutes page when that is too large. */
export type MinutesDialog = { title: string; card: AdaptiveCardJson; bytes: number } | { title: string; url: string; fallbackUrl: string; bytes: number };

/** The dialog for a minutes token (from the summary card's button); null when the token is unknown. */
export async function minutesDialog(db: Queryable, token: string, s: BroadcastSettings, lang: Lang = 'da', maxBytes = MAX_DIALOG_CARD_BYTES): Promise<MinutesDialog | null> {
  const meetingId = await meetingForToken(db, token);
  const m = meetingId ? await getMeeting(db, meetingId) : null;
  if (!m) return null;
  const pageUrl = minutesUrl(s.baseUrl, token);
  const card = fullMinutesCard(m, { pageUrl, lang });
  const bytes = Buffer.byteLength(JSON.stringify(card), 'utf8');
  const title = m.title ?? (lang === 'da' ? `Møde i ${m.forum}` : `Meeting of ${m.forum}`);
  if (bytes > maxBytes) return { title, url: `${pageUrl}?dialog=1`, fallbackUrl: pageUrl, bytes };
  return { title, card, bytes };
}

export async function renderAgendaCard(db: Queryable, m: StoredMeeting, s: BroadcastSettings, reminder?: { offsetMs: number }) {
  const token = await calendarToken(db, m.id);
  return agendaCard(m, { icsUrl: icsUrl(s.baseUrl, token), reminder });
}

/**
 * Posts (or updates) the minutes summary in the forum's linked channels. `startedBy` (the Entra object id of
 * the secretariat member who asked) gets the delivery report when it completes; null: the whole secretariat.
 */
export async function broadcastMinutes(
  db: Db | Queryable,
  meetingId: string,
  s: BroadcastSettings,
  actor = 'system',
  startedBy: string | null = null,
): Promise<MeetingBroadcastResult> {
  const m = await meetingOrThrow(db, meetingId);
  if (m.status !== 'minutes') throw new UserError(`meeting ${meetingId} has no minutes yet (status: ${m.status})`, 'no_minutes');
  const channels = await linkedChannels(db, m.forumId);
  if (channels.length === 0) throw new UserError(`no channel is linked to ${m.forum}; link one with "tilknyt ${m.forum}" or forumbot link`, 'no_channel');
  const card = await renderMinutesCard(db, m, s);
  const r = await enqueueBroadcast(db, {
    kind: 'minutes',
    key: minutesKey(m.id),
    meetingId: m.id,
    createdBy: actor,
    targets: channels.map((c) => c.id),
    message: { card, summary: `Referat: ${m.title ?? m.forum}` },
    report: { startedBy },
  });
  return { ...r, meetingId: m.id, kind: 'minutes', targets: channels.length, channels: channels.length, personal: 0 };
}

/**
 * Posts (or updates) the agenda card in the linked channels; with `personal`, also in the personal chat of
 * every member who has one with the bot. Members are the roster (procedures capability) when there is one,
 * otherwise every personal chat in the same tenant as the linked channels.
 */
export async function broadcastAgenda(
  db: Db | Queryable,
  meetingId: string,
  s: BroadcastSettings,
  opts: { personal?: boolean; actor?: string; startedBy?: string | null } = {},
): Promise<MeetingBroadcastResult> {
  const m = await meetingOrThrow(db, meetingId);
  const channels = await linkedChannels(db, m.forumId);
  const personal = opts.personal ? await memberChats(db, m.forumId, channels) : [];
  const previous = await getBroadcast(db, agendaKey(m.id));
  if (channels.length + personal.length === 0 && !previous)
    throw new UserError(`no channel is linked to ${m.forum}; link one with "tilknyt ${m.forum}" or forumbot link`, 'no_channel');
  const card = await renderAgendaCard(db, m, s);
  const r = await enqueueBroadcast(db, {
    kind: 'agenda',
    key: agendaKey(m.id),
    meetingId: m.id,
    createdBy: opts.actor ?? 'system',
    targets: [...channels, ...personal].map((c) => c.id),
    message: { card, summary: `Dagsorden: ${m.title ?? m.forum}` },
    report: { startedBy: opts.startedBy ?? null },
  });
  return { ...r, meetingId: m.id, kind: 'agenda', targets: channels.length + personal.length, channels: channels.length, personal: personal.length };
}

/** Personal chats of the forum's members: the roster's when the procedures capability keeps one. */
async function memberChats(db: Queryable, forumId: string, channels: Conversation[]): Promise<Conversation[]> {
  let roster: string[] | null = null;
  try {
    const r = await db.query<{ aad: string }>(
      `select distinct lower(aad_object_id) aad from roster where forum_id = $1 and aad_object_id is not null`,
      [forumId],
    );
    roster = r.rows.map((x) => x.aad);
  } catch {
    roster = null; // no roster table (procedures not installed): fall back below
  }
  const chats = await activePersonalChats(db);
  if (roster && roster.length) {
    const set = new Set(roster);
    return chats.filter((c) => c.aadObjectId && set.has(c.aadObjectId.toLowerCase()));
  }
  const tenants = new Set(channels.map((c) => c.tenantId).filter(Boolean));
  return tenants.size ? chats.filter((c) => c.tenantId && tenants.has(c.tenantId)) : chats;
}

// ---- reminders ---------------------------------------------------------------------------------

/**
 * Plans a reminder row for every upcoming meeting and offset (moving pending ones when a meeting moved).
 * Runs on every worker tick; cheap and idempotent.
 */
export async function planReminders(db: Queryable, offsets: number[], horizonMs = 45 * 86_400_000): Promise<number> {
  if (!offsets.length) return 0;
  const r = await db.query(
    `insert into meeting_reminders (meeting_id, offset_ms, due_at)
     select m.id, o.off, m.start_at - make_interval(secs => o.off / 1000.0)
       from meetings m cross join unnest($1::bigint[]) as o(off)
      where m.kind = 'meeting' and m.start_at is not null and m.start_at > now()
        and m.start_at < now() + make_interval(secs => $2::float8 / 1000.0)
     on conflict (meeting_id, offset_ms) do update set due_at = excluded.due_at
       where meeting_reminders.status = 'pending' and meeting_reminders.due_at <> excluded.due_at`,
    [offsets, horizonMs],
  );
  return r.rowCount;
}

/**
 * Fires due reminders exactly once (row claimed with skip locked and marked done in the same transaction as
 * the broadcast is queued). A reminder whose meeting has started, or whose forum has no linked channel, is
 * closed without a message. Personal chats that got the agenda also get the reminder.
 */
export async function fireDueReminders(db: Db, s: BroadcastSettings, limit = 20): Promise<number> {
  let fired = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      const r = await tx.query<{ meeting_id: string; offset_ms: string | number }>(
        `select meeting_id, offset_ms from meeting_reminders where status = 'pending' and due_at <= now()
          order by due_at limit 1 for update skip locked`,
      );
      const row = r.rows[0];
      if (!row) return false;
      const offsetMs = Number(row.offset_ms);
      const m = await getMeeting(tx, row.meeting_id);
      const started = await tx.query<{ started: boolean }>('select (start_at <= now()) started from meetings where id = $1', [row.meeting_id]);
      let broadcastId: string | null = null;
      if (m && !started.rows[0]?.started) {
        const channels = await linkedChannels(tx, m.forumId);
        const agenda = await getBroadcast(tx, agendaKey(m.id));
        const personal = agenda
          ? (
              await tx.query<{ conversation_id: string }>(
                `select d.conversation_id from deliveries d join conversations c on c.id = d.conversation_id
                  where d.broadcast_id = $1 and c.type = 'personal' and c.status = 'active'`,
                [agenda.id],
              )
            ).rows.map((x) => x.conversation_id)
          : [];
        const targets = [...channels.map((c) => c.id), ...personal];
        if (targets.length) {
          const card = await renderAgendaCard(tx, m, s, { offsetMs });
          const res = await enqueueBroadcast(tx, {
            kind: 'reminder',
            key: reminderKey(m.id, offsetMs),
            meetingId: m.id,
            createdBy: 'system',
            targets,
            message: { card, summary: `Påmindelse: ${m.title ?? m.forum}` },
            // the reminder's report goes to whoever sent the agenda
            report: { startedBy: agenda?.startedBy ?? null },
          });
          broadcastId = res.broadcastId;
        }
      }
      await tx.query(`update meeting_reminders set status = 'done', fired_at = now(), broadcast_id = $3 where meeting_id = $1 and offset_ms = $2`, [
        row.meeting_id,
        row.offset_ms,
        broadcastId,
      ]);
      return true;
    });
    if (!done) break;
    fired++;
    if (fired >= limit) break;
  }
  return fired;
}

// ---- import hook ---------------------------------------------------------------------------------

/**
 * Runs inside the import's transaction. Minutes: post the summary when AUTO_POST_MINUTES is on, and always
 * update an already posted summary. Agenda: update an already posted agenda card (a changed agenda is edited,
 * never posted again). Re-importing identical content changes nothing (the card is the same).
 */
export async function onMeetingImported(tx: Queryable, e: ImportEvent, s: BroadcastSettings): Promise<void> {
  const m = await getMeeting(tx, e.meetingId);
  if (!m) return;
  if (m.status === 'minutes') {
    const posted = await getBroadcast(tx, minutesKey(m.id));
    if (posted) {
      const card = await renderMinutesCard(tx, m, s);
      await enqueueBroadcast(tx, { kind: 'minutes', key: minutesKey(m.id), meetingId: m.id, targets: [], message: { card, summary: `Referat: ${m.title ?? m.forum}` } });
    } else if (s.autoPostMinutes) {
      const channels = await linkedChannels(tx, m.forumId);
      if (channels.length) {
        const card = await renderMinutesCard(tx, m, s);
        await enqueueBroadcast(tx, {
          kind: 'minutes',
          key: minutesKey(m.id),
          meetingId: m.id,
          createdBy: 'system',
          targets: channels.map((c) => c.id),
          message: { card, summary: `Referat: ${m.title ?? m.forum}` },
          report: { startedBy: null },
        });
      }
    }
  }
  const agenda = await getBroadcast(tx, agendaKey(m.id));
  if (agenda && m.status !== 'minutes') {
    const card = await renderAgendaCard(tx, m, s);
    await enqueueBroadcast(tx, { kind: 'agenda', key: agendaKey(m.id), meetingId: m.id, targets: [], message: { card, summary: `Dagsorden: ${m.title ?? m.forum}` } });
  }
}
