import { TurnContext, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { TeamsBot } from './app';
import { actionCard, actionError, actionMessage, FILE_DOWNLOAD_INFO } from './app';
import type { AppDeps } from '../app';
import { UserError } from '../errors';
import { cardAttachment } from '../cards/render';
import { getMeeting } from '../store/meetings';
import { importDocument, MAX_DOCUMENT_BYTES } from '../store/import';
import {
  broadcastAgenda,
  broadcastMinutes,
  broadcastSettings,
  deliveriesReport,
  deliveryReportCard,
  DeliveryWorker,
  fireDueReminders,
  importResultCard,
  installImportHook,
  linkConversations,
  linkedChannels,
  markTeamRemoved,
  MINUTES_DIALOG_ACTION,
  minutesDialog,
  planReminders,
  setConversationStatus,
  upsertConversation,
  type ConversationType,
  type ConversationUpsert,
} from '../broadcasts';
import { BotbuilderMessenger } from './messenger';
import { registerTask } from './procedures';

/**
 * Teams glue for broadcasts:
 * - stores the conversation reference of every conversation the bot hears from; marks uninstalls removed;
 * - chat commands (secretariat): "tilknyt <forum>" in a channel, "post referat <mødeid>",
 *   "send dagsorden <mødeid> [personligt]", "leveringsrapport <id>";
 * - files sent by the secretariat in a personal chat are imported, answered with what was read;
 * - Action.Execute verbs broadcasts.postMinutes, broadcasts.sendAgenda, broadcasts.report;
 * - task/fetch `broadcasts.minutes` ("Vis hele referatet" on the minutes summary): the full minutes in a dialog;
 * - starts the delivery worker (outbox + reminders) for this instance.
 */

const workers = new WeakMap<AppDeps, DeliveryWorker>();
/** The delivery worker this app started (tests and benchmarks). */
export function deliveryWorker(deps: AppDeps): DeliveryWorker | undefined {
  return workers.get(deps);
}

export function register(bot: TeamsBot, deps: AppDeps): void {
  const settings = broadcastSettings(deps.config);
  installImportHook(settings);
  const { db, log } = deps;

  bot.onActivity(async (ctx) => {
    await rememberConversation(deps, ctx.activity);
  });

  bot.command(
    'tilknyt',
    /^(?:tilknyt|link)\s+(.+)$/i,
    async (ctx, m) => {
      const a = ctx.activity;
      const type = conversationType(a);
      const en = bot.lang(ctx) === 'en';
      if (type === 'personal') {
        await ctx.sendActivity(
          en ? 'Write "link <forum>" in the channel that should get the posts (mention me there).' : 'Skriv »tilknyt <forum>« i den kanal, der skal have opslagene (og nævn mig dér).',
        );
        return;
      }
      const id = conversationKey(a);
      try {
        const r = await linkConversations(db, [id], m[1].trim(), a.from?.aadObjectId ?? 'unknown');
        await ctx.sendActivity(
          en
            ? `This ${type === 'channel' ? 'channel' : 'chat'} is now linked to ${r.forumName}.${r.already.length ? ' (It already was.)' : ''}`
            : `${type === 'channel' ? 'Kanalen' : 'Chatten'} er nu tilknyttet ${r.forumName}.${r.already.length ? ' (Det var den allerede.)' : ''} Referater og dagsordener for forummet bliver postet her.`,
        );
      } catch (err) {
        if (err instanceof UserError && err.code === 'unknown_forum')
          await ctx.sendActivity(en ? `I don't know the forum "${m[1].trim()}".` : `Jeg kender ikke forummet »${m[1].trim()}«. Skriv forummets navn eller forkortelse, fx »tilknyt SDF«.`);
        else throw err;
      }
    },
    { secretariatOnly: true, help: { da: 'tilknyt <forum> — (i en kanal) kanalen får forummets referater og dagsordener', en: 'link <forum> — (in a channel) the channel gets the forum’s posts' } },
  );

  bot.command(
    'post referat',
    /^post(?:\s+referat(?:et)?)?\s+(?:for\s+)?(\S+)$/i,
    async (ctx, m) => {
      await ctx.sendActivity(await postMinutesText(deps, m[1], ctx.activity.from?.aadObjectId, bot.lang(ctx)));
    },
    { secretariatOnly: true, help: { da: 'post referat <mødeid> — post referatets resumé i forummets kanal', en: 'post referat <meeting id> — post the minutes summary' } },
  );

  bot.command(
    'send dagsorden',
    /^send\s+dagsorden(?:en)?\s+(?:for\s+)?(\S+)(\s+(?:personligt|personlig|--personal|til alle))?$/i,
    async (ctx, m) => {
      await ctx.sendActivity(await sendAgendaText(deps, m[1], !!m[2], ctx.activity.from?.aadObjectId, bot.lang(ctx)));
    },
    { secretariatOnly: true, help: { da: 'send dagsorden <mødeid> [personligt] — send dagsordenen til kanalen (og medlemmerne)', en: 'send dagsorden <meeting id> [personligt] — send the agenda' } },
  );

  bot.command(
    'leveringsrapport',
    /^(?:leveringsrapport|delivery report)\s+(\S+)$/i,
    async (ctx, m) => {
      const lang = bot.lang(ctx);
      try {
        const report = await deliveriesReport(db, m[1]);
        await ctx.sendActivity({ attachments: [cardAttachment(deliveryReportCard(report, { lang }))] });
      } catch (err) {
        if (err instanceof UserError) await ctx.sendActivity(lang === 'en' ? `I know no broadcast "${m[1]}".` : `Jeg kender ingen udsendelse »${m[1]}«.`);
        else throw err;
      }
    },
    { secretariatOnly: true, help: { da: 'leveringsrapport <id> — hvem har fået udsendelsen', en: 'delivery report <id> — who got the broadcast' } },
  );

  bot.onFile(async (ctx) => {
    if (!bot.isSecretariat(ctx)) return false; // the router answers politely
    const lang = bot.lang(ctx);
    const en = lang === 'en';
    const files = (ctx.activity.attachments ?? []).filter((x) => x.contentType === FILE_DOWNLOAD_INFO);
    for (const f of files) {
      const name = f.name ?? 'dokument';
      const url = (f.content as { downloadUrl?: string } | undefined)?.downloadUrl;
      let data: Buffer;
      try {
        if (!url) throw new UserError('no download URL');
        data = await download(url);
      } catch (err) {
        log.warn({ err, file: name }, 'file download failed');
        await ctx.sendActivity(en ? `I could not fetch the file "${name}". Please send it again.` : `Jeg kunne ikke hente filen »${name}«. Prøv at sende den igen.`);
        continue;
      }
      let result;
      try {
        result = await importDocument(db, { data, fileName: name }, { actor: ctx.activity.from?.aadObjectId ?? 'unknown' });
      } catch (err) {
        log.info({ err, file: name }, 'imported file could not be read');
        const why = importFailureText(err, name, lang);
        await ctx.sendActivity(
          en
            ? `I could not read "${name}": ${why}. Nothing was stored. I read agendas and minutes as text, HTML, Word (.docx) or PDF.`
            : `Jeg kunne ikke læse »${name}«: ${why}. Intet er gemt. Jeg læser dagsordener og referater som tekst, HTML, Word (.docx) eller PDF.`,
        );
        continue;
      }
      const meeting = result.meetingId ? await getMeeting(db, result.meetingId) : null;
      if (!meeting) {
        await ctx.sendActivity(en ? `"${name}" was stored, but holds no meeting.` : `»${name}« er gemt, men indeholder intet møde.`);
        continue;
      }
      const channels = await linkedChannels(db, meeting.forumId);
      const card = importResultCard(meeting, { fileName: name, result: result.result, lang, linkedChannels: channels.length });
      await ctx.sendActivity({ attachments: [cardAttachment(card)] });
    }
    return true;
  });

  bot.actionExecute('broadcasts.postMinutes', async (ctx, data) => {
    const lang = bot.lang(ctx);
    if (!bot.isSecretariat(ctx)) return actionError(403, 'Forbidden', lang === 'en' ? 'Only the secretariat can post minutes.' : 'Kun sekretariatet kan poste referater.');
    const meetingId = String((data as { meetingId?: unknown })?.meetingId ?? '');
    return actionMessage(await postMinutesText(deps, meetingId, ctx.activity.from?.aadObjectId, lang));
  });

  bot.actionExecute('broadcasts.sendAgenda', async (ctx, data) => {
    const lang = bot.lang(ctx);
    if (!bot.isSecretariat(ctx)) return actionError(403, 'Forbidden', lang === 'en' ? 'Only the secretariat can send agendas.' : 'Kun sekretariatet kan sende dagsordener.');
    const d = (data ?? {}) as { meetingId?: unknown; personal?: unknown };
    return actionMessage(await sendAgendaText(deps, String(d.meetingId ?? ''), d.personal === true || d.personal === 'true', ctx.activity.from?.aadObjectId, lang));
  });

  bot.actionExecute('broadcasts.report', async (ctx, data) => {
    const lang = bot.lang(ctx);
    if (!bot.isSecretariat(ctx)) return actionError(403, 'Forbidden', lang === 'en' ? 'For the secretariat only.' : 'Kun for sekretariatet.');
    const id = String((data as { broadcastId?: unknown })?.broadcastId ?? '');
    try {
      return actionCard(deliveryReportCard(await deliveriesReport(db, id), { lang }));
    } catch (err) {
      if (err instanceof UserError) return actionError(404, 'NotFound', lang === 'en' ? 'Unknown broadcast.' : 'Ukendt udsendelse.');
      throw err;
    }
  });

  // "Vis hele referatet": Action.Submit with msteams.type task/fetch → a dialog with the whole minutes
  // (through the shared task/fetch dispatcher of src/teams/procedures.ts)
  const dialogData = (ctx: TurnContext) => (ctx.activity.value as { data?: unknown } | undefined)?.data;
  registerTask(
    bot,
    'task/fetch',
    (ctx) => (dialogData(ctx) as { action?: unknown } | undefined)?.action === MINUTES_DIALOG_ACTION,
    async (ctx) => {
      const lang = bot.lang(ctx);
      const en = lang === 'en';
      const parsed = MinutesDialogData.safeParse(dialogData(ctx));
      const d = parsed.success ? await minutesDialog(db, parsed.data.token, settings, lang) : null;
      if (!d) return taskMessage(en ? 'These minutes are no longer available.' : 'Referatet findes ikke længere.');
      const size = { title: d.title, width: 'large', height: 'large' };
      if ('card' in d) return { status: 200, body: { task: { type: 'continue', value: { ...size, card: cardAttachment(d.card) } } } };
      log.info({ bytes: d.bytes }, 'full minutes too large for a card: the dialog shows the minutes page');
      return { status: 200, body: { task: { type: 'continue', value: { ...size, url: d.url, fallbackUrl: d.fallbackUrl } } } };
    },
  );

  if (deps.config.BROADCAST_WORKER && bot.adapter) {
    const worker = new DeliveryWorker({
      db,
      messenger: new BotbuilderMessenger(bot.adapter, bot.appId),
      log: log.child({ component: 'outbox' }),
      concurrency: deps.config.BROADCAST_CONCURRENCY,
      leaseSeconds: deps.config.BROADCAST_LEASE_SECONDS,
      tenantRate: deps.config.BROADCAST_TENANT_RATE,
      sendTimeoutMs: deps.config.BROADCAST_SEND_TIMEOUT_MS,
      retry: { maxAttempts: deps.config.BROADCAST_MAX_ATTEMPTS, maxAttempts429: 20, baseMs: 1_000, capMs: 60_000 },
      reports: { secretariat: deps.config.SECRETARIAT_AAD_IDS },
      tickers: [
        async () => {
          await planReminders(db, settings.reminderOffsets);
          await fireDueReminders(db, settings);
        },
      ],
    });
    workers.set(deps, worker);
    worker.start();
    deps.onClose(() => worker.stop());
  }
}

const MinutesDialogData = z.object({ action: z.literal(MINUTES_DIALOG_ACTION), token: z.string().min(1).max(100) }).passthrough();

/** A dialog answer that is just a message (Teams shows it in a small dialog). */
const taskMessage = (value: string) => ({ status: 200, body: { task: { type: 'message', value } } });

async function postMinutesText(deps: AppDeps, meetingId: string, actor: string | undefined, lang: 'da' | 'en'): Promise<string> {
  const en = lang === 'en';
  try {
    const r = await broadcastMinutes(deps.db, meetingId, broadcastSettings(deps.config), actor ?? 'unknown', actor ?? null);
    if (!r.created && !r.changed && r.added === 0)
      return en ? `The minutes summary of ${meetingId} was already posted (broadcast ${r.broadcastId}).` : `Referatet for ${meetingId} er allerede postet (udsendelse ${r.broadcastId}).`;
    return en
      ? `The minutes summary of ${meetingId} is being ${r.created ? 'posted to' : 'updated in'} ${r.channels} channel(s). ${REPORT_NOTE.en(r.broadcastId)}`
      : `Referatet for ${meetingId} bliver ${r.created ? 'postet i' : 'opdateret i'} ${r.channels} ${r.channels === 1 ? 'kanal' : 'kanaler'}. ${REPORT_NOTE.da(r.broadcastId)}`;
  } catch (err) {
    if (err instanceof UserError) return userErrorText(err, meetingId, lang);
    throw err;
  }
}

/** The delivery report arrives by itself in the personal chat when the broadcast is done (reports.ts). */
const REPORT_NOTE = {
  da: (id: string) => `Du får leveringsrapporten i din personlige chat med mig, når udsendelsen er færdig; vil du se den før, så skriv »leveringsrapport ${id}«.`,
  en: (id: string) => `You get the delivery report in your personal chat with me when it is done; to see it before, write "delivery report ${id}".`,
};

/** Domain errors in the user's language. */
function userErrorText(err: UserError, meetingId: string, lang: 'da' | 'en'): string {
  const en = lang === 'en';
  switch (err.code) {
    case 'unknown_meeting':
      return en ? `I know no meeting with the id ${meetingId}.` : `Jeg kender intet møde med id'et ${meetingId}.`;
    case 'no_minutes':
      return en ? `The meeting ${meetingId} has no minutes yet.` : `Mødet ${meetingId} har endnu intet referat.`;
    case 'no_channel':
      return en
        ? `No channel is linked to this forum yet. Write "link <forum>" in the forum's channel first.`
        : `Ingen kanal er tilknyttet forummet endnu. Skriv »tilknyt <forum>« i forummets kanal først.`;
    default:
      return err.message;
  }
}

async function sendAgendaText(deps: AppDeps, meetingId: string, personal: boolean, actor: string | undefined, lang: 'da' | 'en'): Promise<string> {
  const en = lang === 'en';
  try {
    const r = await broadcastAgenda(deps.db, meetingId, broadcastSettings(deps.config), { personal, actor: actor ?? 'unknown', startedBy: actor ?? null });
    if (!r.created && !r.changed && r.added === 0)
      return en ? `The agenda of ${meetingId} was already sent (broadcast ${r.broadcastId}).` : `Dagsordenen for ${meetingId} er allerede sendt (udsendelse ${r.broadcastId}).`;
    return en
      ? `The agenda of ${meetingId} is on its way to ${r.channels} channel(s)${personal ? ` and ${r.personal} personal chat(s)` : ''}. ${REPORT_NOTE.en(r.broadcastId)}`
      : `Dagsordenen for ${meetingId} er på vej til ${r.channels} ${r.channels === 1 ? 'kanal' : 'kanaler'}${personal ? ` og ${r.personal} personlige chats` : ''}. ${REPORT_NOTE.da(r.broadcastId)}`;
  } catch (err) {
    if (err instanceof UserError) return userErrorText(err, meetingId, lang);
    throw err;
  }
}

/** Why a file could not be imported, in the user's language (the importer's messages are English). */
export function importFailureText(err: unknown, fileName: string, lang: 'da' | 'en'): string {
  const code = err instanceof UserError ? err.code : 'unknown';
  const msg = err instanceof Error ? err.message : String(err);
  if (lang === 'en') return err instanceof UserError ? msg.replace(`${fileName}: `, '') : 'the file is not an agenda or minutes I can read';
  if (/no text layer|scanned/i.test(msg)) return 'PDF-filen har intet tekstlag (er den scannet?)';
  if (/\.doc files/i.test(msg)) return 'gamle Word .doc-filer kan ikke læses; gem dokumentet som .docx eller PDF';
  if (/PDF could not be read/i.test(msg)) return 'PDF-filen kunne ikke læses (den kan være beskadiget eller krypteret)';
  if (/Word document could not be read/i.test(msg)) return 'Word-dokumentet kunne ikke læses (det kan være beskadiget)';
  switch (code) {
    case 'empty':
    case 'empty_file':
      return 'filen er tom';
    case 'too_large':
      return 'filen er for stor';
    case 'binary':
    case 'unreadable':
      return 'filen kan ikke læses som tekst, HTML, Word (.docx) eller PDF';
    case 'is_calendar':
      return 'det er en kalenderfil (.ics), ikke en dagsorden eller et referat';
    case 'parse_failed':
    case 'no_items':
    case 'not_minutes':
      return 'jeg fandt ingen dagsordenspunkter – er det en dagsorden eller et referat?';
    default:
      return 'filen er ikke en dagsorden eller et referat, jeg kan læse';
  }
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`download failed: HTTP ${res.status}`);
  const len = Number(res.headers.get('content-length') ?? 0);
  if (len > MAX_DOCUMENT_BYTES) throw new UserError('the file is too large');
  const buf = Buffer.from(await res.arrayBuffer());
  if (buf.length > MAX_DOCUMENT_BYTES) throw new UserError('the file is too large');
  return buf;
}

// ---- conversation references ---------------------------------------------------------------------

type Act = Partial<Activity> & { channelData?: { channel?: { id?: string; name?: string }; team?: { id?: string; name?: string }; tenant?: { id?: string }; eventType?: string } };

function conversationType(a: Act): ConversationType {
  const t = a.conversation?.conversationType;
  if (t === 'channel' || a.channelData?.channel?.id) return 'channel';
  if (t === 'groupChat' || a.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

/** The id we store a conversation under: a channel's id (without ";messageid=…"), else the conversation id. */
function conversationKey(a: Act): string {
  if (conversationType(a) === 'channel') return (a.channelData?.channel?.id ?? a.conversation?.id ?? '').split(';')[0];
  return a.conversation?.id ?? '';
}

function describe(a: Act): ConversationUpsert | null {
  if (!a.conversation?.id || !a.serviceUrl) return null;
  const type = conversationType(a);
  const id = conversationKey(a);
  if (!id) return null;
  const ref = TurnContext.getConversationReference(a) as unknown as Record<string, unknown> & { conversation: Record<string, unknown> };
  ref.conversation = { ...ref.conversation, id };
  delete (ref as { activityId?: unknown }).activityId;
  const tenantId = a.conversation.tenantId ?? a.channelData?.tenant?.id ?? null;
  if (type === 'channel') {
    const team = a.channelData?.team;
    const channelName = a.channelData?.channel?.name ?? (team?.id && id === team.id ? 'General' : null);
    return { id, type, tenantId, teamId: team?.id ?? null, channelId: id, name: [team?.name, channelName].filter(Boolean).join(' / ') || null, reference: ref };
  }
  if (type === 'personal') {
    const user = a.type === 'message' || a.type === 'invoke' || a.type === 'installationUpdate' || a.type === 'conversationUpdate' ? a.from : undefined;
    return { id, type, tenantId, aadObjectId: user?.aadObjectId ?? null, name: user?.name ?? null, reference: ref };
  }
  return { id, type, tenantId, name: a.conversation.name ?? null, reference: ref };
}

/** Stores the conversation (or marks it removed) for one incoming activity. */
export async function rememberConversation(deps: AppDeps, a: Act): Promise<void> {
  const c = describe(a);
  if (!c) return;
  const db = deps.db;
  const botId = a.recipient?.id;
  const removedBot = (a.membersRemoved ?? []).some((m) => m.id === botId);
  const event = a.channelData?.eventType;
  if ((a.type === 'installationUpdate' && /^remove/.test(a.action ?? '')) || (a.type === 'conversationUpdate' && removedBot) || event === 'teamDeleted') {
    if (c.teamId) await markTeamRemoved(db, c.teamId, 'uninstalled');
    await setConversationStatus(db, c.id, 'removed', 'uninstalled');
    deps.log.info({ conversationId: c.id, teamId: c.teamId }, 'bot removed from conversation');
    return;
  }
  if (a.type === 'conversationUpdate' && event === 'channelDeleted') {
    await setConversationStatus(db, c.id, 'removed', 'channel deleted');
    return;
  }
  if (a.type === 'conversationUpdate' && event === 'teamArchived') {
    if (c.teamId) await markTeamRemoved(db, c.teamId, 'team archived');
    return;
  }
  if (a.type === 'conversationUpdate' && event === 'teamRestored') {
    // the team's channels speak again as soon as we hear from them; the General channel is this activity
  }
  const isNew = await upsertConversation(db, c);
  if (isNew) deps.log.info({ conversationId: c.id, type: c.type, name: c.name }, 'conversation stored');
}
