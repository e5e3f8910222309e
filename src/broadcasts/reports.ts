import type { Db, Queryable } from '../store/db';
import { getMeeting } from '../store/meetings';
import { deliveryReportCard, type Lang } from './cards';
import { personalChatsFor, type Conversation } from './conversations';
import { deliveriesReport, enqueueBroadcast, type DeliveryReport } from './outbox';

/**
 * The delivery report, pushed to the secretariat when a broadcast completes.
 *
 * A broadcast that asked for it (`enqueueBroadcast(…, { report: { startedBy } })`: the minutes summary, the
 * agenda and reminders) gets its report queued once every delivery is final (sent or failed). The report is
 * itself an outbox broadcast (kind 'report', key `report:<broadcastId>`), so it is durable and throttled like
 * any other message. It goes to the personal chat of the secretariat member who started the broadcast; when
 * nobody did (the CLI, the import hook, a reminder) or that member has no personal chat with the bot, to every
 * secretariat member who has one. Only SECRETARIAT_AAD_IDS ever get it.
 *
 * Exactly once, also with several instances on one PostgreSQL: the broadcast row is locked (skip locked),
 * `report_sent_at` is set with `… where report_sent_at is null returning …`, and the report is queued in the
 * same transaction.
 */

export const reportKey = (broadcastId: string) => `report:${broadcastId}`;

/** A broadcast that asked for a report, has not had it, has targets, and none of them is still pending. */
const DUE = `b.report_wanted and b.report_sent_at is null
  and exists (select 1 from deliveries d where d.broadcast_id = b.id)
  and not exists (select 1 from deliveries d where d.broadcast_id = b.id and d.status in ('pending', 'sending'))`;

export interface ReportSettings {
  /** Entra object ids of the secretariat (SECRETARIAT_AAD_IDS). */
  secretariat: string[];
  lang?: Lang;
}

export interface QueuedReport {
  broadcastId: string;
  /** The report broadcast (null: nobody in the secretariat has a personal chat with the bot). */
  reportBroadcastId: string | null;
  /** Personal chats the report goes to. */
  recipients: string[];
  startedBy: string | null;
  counts: DeliveryReport['counts'];
}

/** Queues the reports of broadcasts that are complete and still owe one. Returns what was queued. */
export async function queueDueReports(db: Db, s: ReportSettings, limit = 10): Promise<QueuedReport[]> {
  // the worker asks often while it delivers: one plain read first, a transaction only when a report is due
  const any = await db.query<{ id: string }>(`select b.id from broadcasts b where ${DUE} limit 1`);
  if (!any.rows.length) return [];
  return db.transaction(async (tx) => {
    const due = await tx.query<{ id: string }>(`select b.id from broadcasts b where ${DUE} order by b.created_at limit $1 for update of b skip locked`, [limit]);
    const out: QueuedReport[] = [];
    for (const { id } of due.rows) {
      const claimed = await tx.query<{ started_by: string | null; meeting_id: string | null }>(
        `update broadcasts set report_sent_at = now() where id = $1 and report_sent_at is null returning started_by, meeting_id`,
        [id],
      );
      const row = claimed.rows[0];
      if (!row) continue;
      const report = await deliveriesReport(tx, id);
      const targets = await reportRecipients(tx, row.started_by, s.secretariat);
      const queued: QueuedReport = { broadcastId: id, reportBroadcastId: null, recipients: targets.map((c) => c.id), startedBy: row.started_by, counts: report.counts };
      if (targets.length) {
        const meeting = row.meeting_id ? await getMeeting(tx, row.meeting_id) : null;
        const card = deliveryReportCard(report, { lang: s.lang, meetingTitle: meeting?.title ?? null });
        const r = await enqueueBroadcast(tx, {
          kind: 'report',
          key: reportKey(id),
          meetingId: row.meeting_id,
          createdBy: 'system',
          targets: targets.map((c) => c.id),
          message: { card, summary: `Leveringsrapport: ${report.counts.sent} af ${report.counts.total} leveret` },
        });
        queued.reportBroadcastId = r.broadcastId;
      }
      out.push(queued);
    }
    return out;
  });
}

/**
 * The starter's personal chat when the starter is in the secretariat and has one; otherwise every secretariat
 * member's personal chat. Nobody outside the secretariat, whoever the starter was.
 */
export async function reportRecipients(db: Queryable, startedBy: string | null, secretariat: string[]): Promise<Conversation[]> {
  const members = [...new Set(secretariat.map((a) => a.toLowerCase()).filter(Boolean))];
  if (!members.length) return [];
  const starter = startedBy?.toLowerCase();
  if (starter && members.includes(starter)) {
    const own = (await personalChatsFor(db, [starter])).get(starter);
    if (own) return [own];
  }
  const chats = await personalChatsFor(db, members);
  return members.map((a) => chats.get(a)).filter((c): c is Conversation => !!c);
}
