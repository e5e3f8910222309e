import {
  ActivityTypes,
  TurnContext,
  type Activity,
  type AdaptiveCardInvokeResponse,
  type CloudAdapter,
  type ConversationReference,
  type InvokeResponse,
} from 'botbuilder';
import type { Config } from '../config';
import type { Logger } from '../log';
import { detectLang, t, type Lang } from './text';

/**
 * TeamsBot: the one place activities are routed. Capabilities register handlers here from
 * src/teams/<capability>.ts (`register(bot, deps)`); the order of routing is explicit:
 *
 *  1. every `onActivity` handler (all of them, in registration order; errors are logged, never fatal);
 *  2. by activity type:
 *     - message in a personal chat with a file attachment → `onFile` handlers in order, the first that returns true wins;
 *     - message (personal chat, or a channel/group chat where the bot is @mentioned; the mention is stripped)
 *       → `command`s in registration order (first match wins; `secretariatOnly` refuses others politely)
 *       → otherwise the `onQuestion` handler (question answering);
 *     - invoke `adaptiveCard/action` → the `actionExecute` handler for the verb;
 *     - any other invoke → the `invoke` handler for its name (unknown names get 501);
 *     - installationUpdate (add) / conversationUpdate adding the bot → `onInstall` handlers.
 *
 * Handlers receive the botbuilder TurnContext; `bot.message(ctx)` gives the cleaned text and language.
 */

export type CommandHandler = (ctx: TurnContext, m: RegExpMatchArray) => Promise<void>;
export type ActionHandler = (ctx: TurnContext, data: unknown) => Promise<AdaptiveCardInvokeResponse>;
export type InvokeHandler = (ctx: TurnContext) => Promise<{ status: number; body?: unknown }>;
export type ActivityHook = (ctx: TurnContext) => Promise<void>;
export type FileHandler = (ctx: TurnContext) => Promise<boolean>;
export type QuestionHandler = (ctx: TurnContext, msg: IncomingMessage) => Promise<void>;

export interface CommandOptions {
  secretariatOnly?: boolean;
  /** Shown in the help card when given. */
  help?: { da: string; en?: string };
}

export interface CommandInfo {
  name: string;
  match: RegExp;
  secretariatOnly: boolean;
  help?: { da: string; en?: string };
}

/** A message as the handlers see it: mention stripped, whitespace collapsed, truncated to MAX_MESSAGE_CHARS. */
export interface IncomingMessage {
  text: string;
  /** The text was longer than MAX_MESSAGE_CHARS and was cut. */
  truncated: boolean;
  originalLength: number;
  lang: Lang;
  locale?: string;
}

export const MAX_MESSAGE_CHARS = 1000;

/** Teams' content type for a file sent to the bot in a personal chat. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

export interface TeamsBotOptions {
  config: Config;
  log: Logger;
  /** The adapter (for proactive sends). Absent in unit tests that call `run` with a test adapter. */
  adapter?: CloudAdapter;
}

export class TeamsBot {
  readonly config: Config;
  readonly log: Logger;
  readonly adapter?: CloudAdapter;
  /** The bot's app id ('' in local mode): the first argument of continueConversationAsync. */
  readonly appId: string;

  private readonly commands: Array<CommandInfo & { handler: CommandHandler }> = [];
  private readonly actions = new Map<string, ActionHandler>();
  private readonly invokes = new Map<string, InvokeHandler>();
  private readonly activityHooks: ActivityHook[] = [];
  private readonly fileHandlers: FileHandler[] = [];
  private readonly installHandlers: ActivityHook[] = [];
  private questionHandler?: QuestionHandler;
  /** Teams sends both installationUpdate and conversationUpdate on install: welcome once per conversation. */
  private readonly recentInstalls = new Map<string, number>();

  constructor(opts: TeamsBotOptions) {
    this.config = opts.config;
    this.log = opts.log;
    this.adapter = opts.adapter;
    this.appId = opts.config.MicrosoftAppId ?? '';
  }

  // ---- registration API --------------------------------------------------------------------

  /** Chat commands, tried in registration order before question answering. `match` runs on the cleaned text. */
  command(name: string, match: RegExp, handler: CommandHandler, opts: CommandOptions = {}): void {
    if (this.commands.some((c) => c.name === name)) throw new Error(`command "${name}" is registered twice`);
    this.commands.push({ name, match, handler, secretariatOnly: !!opts.secretariatOnly, help: opts.help });
  }

  /** Universal Actions: Action.Execute with this verb. Returns the invoke response value (e.g. a refreshed card). */
  actionExecute(verb: string, handler: ActionHandler): void {
    if (this.actions.has(verb)) throw new Error(`Action.Execute verb "${verb}" is registered twice`);
    this.actions.set(verb, handler);
  }

  /** Other invokes by name: composeExtension/query, task/fetch, task/submit, … */
  invoke(name: string, handler: InvokeHandler): void {
    if (name === 'adaptiveCard/action') throw new Error('use actionExecute(verb, …) for adaptiveCard/action');
    if (this.invokes.has(name)) throw new Error(`invoke "${name}" is registered twice`);
    this.invokes.set(name, handler);
  }

  /** Every incoming activity (after auth), before routing: used to store conversation references. */
  onActivity(handler: ActivityHook): void {
    this.activityHooks.push(handler);
  }

  /** Message with file attachments in personal chat (secretariat imports). Return true when handled. */
  onFile(handler: FileHandler): void {
    this.fileHandlers.push(handler);
  }

  /** The bot was installed in (or added to) a conversation. Runs once per install. */
  onInstall(handler: ActivityHook): void {
    this.installHandlers.push(handler);
  }

  /** What a message that matches no command gets (the core registers question answering). */
  onQuestion(handler: QuestionHandler): void {
    this.questionHandler = handler;
  }

  // ---- helpers for handlers ----------------------------------------------------------------

  /** Registered commands, in order (for the help card and the manifest). */
  listCommands(): CommandInfo[] {
    return this.commands.map(({ name, match, secretariatOnly, help }) => ({ name, match, secretariatOnly, help }));
  }

  /** True when the sender's Entra object id is in SECRETARIAT_AAD_IDS. */
  isSecretariat(ctx: TurnContext): boolean {
    const id = ctx.activity.from?.aadObjectId;
    return !!id && this.config.SECRETARIAT_AAD_IDS.some((s) => s.toLowerCase() === id.toLowerCase());
  }

  /** The cleaned message text and the language to answer in. */
  message(ctx: TurnContext): IncomingMessage {
    return cleanMessage(ctx.activity);
  }

  /** Language for replies to this activity (Danish unless the text or the Teams locale is English). */
  lang(ctx: TurnContext): Lang {
    return detectLang(cleanMessage(ctx.activity).text, ctx.activity.locale);
  }

  /** The conversation reference to store for proactive messages. */
  reference(ctx: TurnContext): Partial<ConversationReference> {
    return TurnContext.getConversationReference(ctx.activity);
  }

  /** Proactive: run fn in the conversation `ref` (uses the adapter's continueConversationAsync). */
  async continueConversation(ref: Partial<ConversationReference>, fn: (ctx: TurnContext) => Promise<void>): Promise<void> {
    if (!this.adapter) throw new Error('TeamsBot has no adapter');
    await this.adapter.continueConversationAsync(this.appId, ref, fn);
  }

  // ---- routing -----------------------------------------------------------------------------

  /** The turn logic the adapter runs for each activity. Never throws: errors are logged with the activity id. */
  async run(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    for (const hook of this.activityHooks) {
      try {
        await hook(ctx);
      } catch (err) {
        this.log.error({ err, activityId: a.id, type: a.type }, 'onActivity handler failed');
      }
    }
    try {
      switch (a.type) {
        case ActivityTypes.Message:
          await this.routeMessage(ctx);
          break;
        case ActivityTypes.Invoke:
          await this.routeInvoke(ctx);
          break;
        case ActivityTypes.InstallationUpdate:
          if (a.action === 'add' || a.action === 'add-upgrade') await this.install(ctx);
          break;
        case ActivityTypes.ConversationUpdate:
          if ((a.membersAdded ?? []).some((m) => m.id === a.recipient?.id)) await this.install(ctx);
          break;
        default:
          break;
      }
    } catch (err) {
      await this.fail(ctx, err);
    }
  }

  private async install(ctx: TurnContext): Promise<void> {
    const key = ctx.activity.conversation?.id ?? '';
    const now = Date.now();
    for (const [k, at] of this.recentInstalls) if (now - at > 60_000) this.recentInstalls.delete(k);
    if (this.recentInstalls.has(key)) return;
    this.recentInstalls.set(key, now);
    for (const h of this.installHandlers) await h(ctx);
  }

  private async routeMessage(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const conversationType = a.conversation?.conversationType ?? 'personal';
    if (conversationType !== 'personal' && !isBotMentioned(a)) return; // channel chatter not addressed to the bot

    const files = (a.attachments ?? []).filter((x) => x.contentType === FILE_DOWNLOAD_INFO);
    if (files.length > 0 && conversationType === 'personal') {
      for (const h of this.fileHandlers) if (await h(ctx)) return;
      const lang = this.lang(ctx);
      await ctx.sendActivity(t(lang, 'fileNotHandled'));
      return;
    }

    const msg = this.message(ctx);
    for (const c of this.commands) {
      const m = msg.text.match(c.match);
      if (!m) continue;
      if (c.secretariatOnly && !this.isSecretariat(ctx)) {
        this.log.info({ activityId: a.id, command: c.name, aadObjectId: a.from?.aadObjectId }, 'secretariat command refused');
        await ctx.sendActivity(t(msg.lang, 'secretariatOnly', c.name));
        return;
      }
      await c.handler(ctx, m);
      return;
    }
    if (this.questionHandler) await this.questionHandler(ctx, msg);
  }

  private async routeInvoke(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    const name = a.name ?? '';
    if (name === 'adaptiveCard/action') {
      const value = (a.value ?? {}) as { action?: { verb?: unknown; data?: unknown } };
      const verb = typeof value.action?.verb === 'string' ? value.action.verb : '';
      const handler = this.actions.get(verb);
      let body: AdaptiveCardInvokeResponse;
      if (!handler) {
        this.log.warn({ activityId: a.id, verb }, 'Action.Execute with an unknown verb');
        body = actionError(400, 'BadRequest', t(this.lang(ctx), 'unknownAction'));
      } else {
        try {
          body = await handler(ctx, value.action?.data ?? {});
        } catch (err) {
          this.log.error({ err, activityId: a.id, verb }, 'Action.Execute handler failed');
          body = actionError(500, 'InternalError', t(this.lang(ctx), 'apology'));
        }
      }
      await sendInvokeResponse(ctx, { status: 200, body });
      return;
    }
    const handler = this.invokes.get(name);
    if (!handler) {
      this.log.warn({ activityId: a.id, name }, 'unknown invoke');
      await sendInvokeResponse(ctx, { status: 501, body: { error: { code: 'NotImplemented', message: `invoke "${name}" is not supported` } } });
      return;
    }
    const res = await handler(ctx);
    await sendInvokeResponse(ctx, res);
  }

  private async fail(ctx: TurnContext, err: unknown): Promise<void> {
    const a = ctx.activity;
    this.log.error({ err, activityId: a.id, type: a.type, name: a.name, conversationId: a.conversation?.id }, 'turn failed');
    try {
      if (a.type === ActivityTypes.Invoke) {
        if (!ctx.turnState.get(INVOKE_RESPONSE_SENT)) await sendInvokeResponse(ctx, { status: 500, body: { error: { code: 'InternalError', message: 'internal error' } } });
      } else if (a.type === ActivityTypes.Message) {
        await ctx.sendActivity(t(this.lang(ctx), 'apology'));
      }
    } catch (err2) {
      this.log.error({ err: err2, activityId: a.id }, 'could not send the apology');
    }
  }
}

const INVOKE_RESPONSE_SENT = Symbol('forumbot.invokeResponseSent');

export async function sendInvokeResponse(ctx: TurnContext, res: InvokeResponse): Promise<void> {
  ctx.turnState.set(INVOKE_RESPONSE_SENT, true);
  await ctx.sendActivity({ type: ActivityTypes.InvokeResponse, value: res });
}

/** The error shape of a Universal Actions invoke response. */
export function actionError(statusCode: number, code: string, message: string): AdaptiveCardInvokeResponse {
  return { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } };
}

/** Replaces the card for the person who clicked (Universal Actions). */
export function actionCard(card: object): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card as Record<string, unknown> };
}

/** A plain message shown to the person who clicked. */
export function actionMessage(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message as unknown as Record<string, unknown> };
}

export function isBotMentioned(a: Partial<Activity>): boolean {
  const botId = a.recipient?.id;
  return (a.entities ?? []).some((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === botId);
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

/** Strips the bot's @mention (and any <at> tags), HTML tags and entities; collapses whitespace; truncates. */
export function cleanMessage(a: Partial<Activity>): IncomingMessage {
  let text = typeof a.text === 'string' ? a.text : '';
  if (isBotMentioned(a)) {
    for (const e of a.entities ?? []) {
      const m = e as { type?: string; text?: string; mentioned?: { id?: string } };
      if (m.type === 'mention' && m.mentioned?.id === a.recipient?.id && m.text) text = text.split(m.text).join(' ');
    }
  }
  text = text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, n: string) => ENTITIES[n] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const originalLength = text.length;
  const truncated = originalLength > MAX_MESSAGE_CHARS;
  if (truncated) text = text.slice(0, MAX_MESSAGE_CHARS).replace(/\s+\S*$/, '').trim() || text.slice(0, MAX_MESSAGE_CHARS);
  return { text, truncated, originalLength, lang: detectLang(text, a.locale), locale: a.locale };
}
