import type { Command } from 'commander';
import { loadConfig } from '../config';
import { UsageError } from '../errors';
import { broadcastAgenda, broadcastMinutes, broadcastSettings, deliveriesReport, installImportHook, linkConversations, listConversations } from '../broadcasts';
import { printJson, withStore } from './shared';

/**
 * Sub-commands of the broadcasts capability:
 *   link <conversationId>... --forum NAME [--json]
 *   conversations [--json]
 *   broadcast minutes <meetingId> [--json]
 *   broadcast agenda <meetingId> [--personal] [--json]
 *   deliveries <broadcastId> [--json]
 * The CLI only queues (outbox); a running `forumbot serve` delivers.
 */
export function registerBroadcastCommands(program: Command): void {
  // imports from the CLI keep posted cards current and auto-post minutes like the server does
  try {
    installImportHook(broadcastSettings(loadConfig()));
  } catch {
    /* an invalid environment is reported by the command that needs it */
  }

  program
    .command('link <conversationId...>')
    .description('link one or more stored conversations (channels) to a forum')
    .option('--forum <name>', 'forum name or short name')
    .option('--json', 'print the result as JSON')
    .action(async (ids: string[], opts: { forum?: string; json?: boolean }) => {
      if (!opts.forum || !opts.forum.trim()) throw new UsageError('--forum NAME is required');
      await withStore(async (db) => {
        const r = await linkConversations(db, ids, opts.forum!.trim(), 'cli');
        if (opts.json) printJson(r);
        else process.stdout.write(`${[...r.linked, ...r.already].length} conversation(s) linked to ${r.forumName}${r.already.length ? ` (${r.already.length} already were)` : ''}\n`);
      });
    });

  program
    .command('conversations')
    .description('list stored conversations (personal chats, group chats, channels) and their forum links')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withStore(async (db) => {
        const list = await listConversations(db);
        const out = list.map((c) => ({
          id: c.id,
          type: c.type,
          status: c.status,
          statusReason: c.statusReason,
          name: c.name,
          tenantId: c.tenantId,
          teamId: c.teamId,
          channelId: c.channelId,
          aadObjectId: c.aadObjectId,
          forums: c.forums,
          updatedAt: c.updatedAt.toISOString(),
        }));
        if (opts.json) printJson(out);
        else for (const c of out) process.stdout.write(`${c.id}\t${c.type}\t${c.status}\t${c.name ?? ''}\t${c.forums.join(',')}\n`);
      });
    });

  const broadcast = program.command('broadcast').description('queue a channel post: the minutes summary or the agenda of a meeting');
  broadcast
    .command('minutes <meetingId>')
    .description("post (or update) the meeting's minutes summary in the forum's linked channels")
    .option('--json', 'print the result as JSON')
    .action(async (meetingId: string, opts: { json?: boolean }) => {
      await withStore(async (db, config) => {
        const r = await broadcastMinutes(db, meetingId, broadcastSettings(config), 'cli');
        report(r, opts.json);
      });
    });
  broadcast
    .command('agenda <meetingId>')
    .description("post (or update) the meeting's agenda in the linked channels; --personal also to members' personal chats")
    .option('--personal', "also send it to each member's personal chat with the bot")
    .option('--json', 'print the result as JSON')
    .action(async (meetingId: string, opts: { personal?: boolean; json?: boolean }) => {
      await withStore(async (db, config) => {
        const r = await broadcastAgenda(db, meetingId, broadcastSettings(config), { personal: !!opts.personal, actor: 'cli' });
        report(r, opts.json);
      });
    });
  for (const c of broadcast.commands) c.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  broadcast.exitOverride();

  program
    .command('deliveries <broadcastId>')
    .description('report each target of a broadcast: sent, failed (with the reason) or pending')
    .option('--json', 'print as JSON')
    .action(async (broadcastId: string, opts: { json?: boolean }) => {
      await withStore(async (db) => {
        const r = await deliveriesReport(db, broadcastId);
        if (opts.json) {
          printJson(r);
          return;
        }
        process.stdout.write(`${r.broadcast.kind} ${r.broadcast.id} (${r.broadcast.key}): ${r.counts.sent} sent, ${r.counts.failed} failed, ${r.counts.pending} pending of ${r.counts.total}\n`);
        for (const t of r.targets) process.stdout.write(`${t.status}\t${t.conversationId}\t${t.name ?? ''}\t${t.reason ?? ''}\n`);
      });
    });
}

function report(
  r: { broadcastId: string; created: boolean; changed: boolean; added: number; updated: number; skipped: string[]; kind: string; meetingId: string; channels: number; personal: number },
  json?: boolean,
): void {
  const state = r.created ? 'queued' : r.changed || r.updated ? 'updated' : r.added ? 'extended' : 'unchanged';
  if (json) {
    printJson({ broadcastId: r.broadcastId, kind: r.kind, meetingId: r.meetingId, state, channels: r.channels, personal: r.personal, added: r.added, updated: r.updated, skipped: r.skipped });
    return;
  }
  process.stdout.write(`${r.kind} of ${r.meetingId}: ${state} as ${r.broadcastId} (${r.channels} channel(s), ${r.personal} personal chat(s)); a running "forumbot serve" delivers it\n`);
}
