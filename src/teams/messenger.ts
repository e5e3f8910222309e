import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import { DeliveryError, type Messenger, type OutboundMessage, type SendResult, type SendTarget } from '../broadcasts/types';

/**
 * The outbox's Messenger implemented with botbuilder (the only botbuilder code of the broadcasts capability).
 *
 * - Personal and group chats: POST …/activities (sendToConversation).
 * - Channels: a new thread (POST /v3/conversations with channelData.channel.id — what
 *   TeamsInfo.sendMessageToTeamsChannel does; TeamsInfo's code path without an app id calls a method
 *   CloudAdapter does not have, so we make the same call ourselves).
 * - Updates: updateActivity (PUT …/activities/{id}).
 * The connector client is the one the adapter's own proactive turn (continueConversationAsync) would build —
 * same credentials and audience — kept per service URL: building a client per send cost more CPU than the
 * send. Where the adapter does not expose it, each send runs continueConversationAsync instead.
 *
 * The connector client's own retry policy is removed: the outbox decides about retries (Retry-After,
 * backoff, limits), and a hidden SDK retry would send requests the throttle does not know about.
 * Errors are rethrown as DeliveryError with status, Retry-After and the Teams sub-code.
 */
export class BotbuilderMessenger implements Messenger {
  /** One connector client per service URL (building one per send costs more CPU than the send). */
  private readonly clients = new Map<string, Promise<ConnectorLike | null>>();

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
    const ref = target.reference as Partial<ConversationReference>;
    const client = await this.client(ref);
    if (client) {
      try {
        const activity = TurnContext.applyConversationReference(toActivity(message), ref) as Activity;
        if (target.type === 'channel') {
          const res = await client.conversations.createConversation(channelThread(target, activity, ref));
          if (!res.activityId) throw new DeliveryError('the connector returned no activity id', { status: 502 });
          return { activityId: String(res.activityId), threadId: res.id };
        }
        const res = await client.conversations.sendToConversation(ref.conversation!.id, activity);
        if (!res?.id) throw new DeliveryError('the connector returned no activity id', { status: 502 });
        return { activityId: String(res.id) };
      } catch (err) {
        throw toDeliveryError(err);
      }
    }
    // fallback: a turn per send (continueConversationAsync)
    let result: SendResult | undefined;
    await this.run(ref, async (ctx) => {
      const activity = toActivity(message);
      if (target.type === 'channel') {
        const res = await connectorClient(ctx).conversations.createConversation(channelThread(target, activity, ctx.activity));
        result = { activityId: String(res.activityId ?? ''), threadId: res.id };
      } else {
        const res = await ctx.sendActivity(activity);
        result = { activityId: String(res?.id ?? '') };
      }
    });
    if (!result?.activityId) throw new DeliveryError('the connector returned no activity id', { status: 502 });
    return result;
  }

  async update(target: SendTarget & { threadId?: string | null }, activityId: string, message: OutboundMessage): Promise<void> {
    const ref = { ...(target.reference as Partial<ConversationReference>) };
    // a channel post is the root of its own thread: update it in that thread's conversation
    if (target.threadId && ref.conversation) ref.conversation = { ...ref.conversation, id: target.threadId };
    const client = await this.client(ref);
    if (client) {
      try {
        const activity = TurnContext.applyConversationReference({ ...toActivity(message), id: activityId }, ref) as Activity;
        await client.conversations.updateActivity(ref.conversation!.id, activityId, activity);
        return;
      } catch (err) {
        throw toDeliveryError(err);
      }
    }
    await this.run(ref, async (ctx) => {
      await ctx.updateActivity({ ...toActivity(message), id: activityId });
    });
  }

  /**
   * The connector client the adapter would build for a proactive turn (same credentials and audience),
   * kept per service URL, without the SDK's retry policy. Null when the adapter does not expose its
   * authentication (then every send runs a proactive turn).
   */
  private client(ref: Partial<ConversationReference>): Promise<ConnectorLike | null> {
    const serviceUrl = ref.serviceUrl ?? '';
    let c = this.clients.get(serviceUrl);
    if (!c) {
      c = (async () => {
        const a = this.adapter as unknown as {
          botFrameworkAuthentication?: { createConnectorFactory(claims: unknown): { create(url: string, audience?: string): Promise<unknown> } };
          createClaimsIdentity?: (appId: string) => unknown;
        };
        if (!serviceUrl || !a.botFrameworkAuthentication || typeof a.createClaimsIdentity !== 'function') return null;
        const factory = a.botFrameworkAuthentication.createConnectorFactory(a.createClaimsIdentity.call(this.adapter, this.appId));
        const client = (await factory.create(serviceUrl, undefined)) as ConnectorLike;
        stripRetries(client);
        return client;
      })().catch(() => null);
      this.clients.set(serviceUrl, c);
      if (this.clients.size > 100) this.clients.delete(this.clients.keys().next().value as string);
    }
    return c;
  }

  private async run(reference: Partial<ConversationReference> | Record<string, unknown>, fn: (ctx: TurnContext) => Promise<void>): Promise<void> {
    // the adapter hands errors thrown in the callback to onTurnError and does not rethrow them: keep our own
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.appId, reference as Partial<ConversationReference>, async (ctx) => {
        withoutSdkRetries(ctx);
        try {
          await fn(ctx);
        } catch (err) {
          failure = err ?? new Error('send failed');
        }
      });
    } catch (err) {
      failure ??= err;
    }
    if (failure !== undefined) throw toDeliveryError(failure);
  }
}

/** Parameters of POST /v3/conversations that start a new thread in a channel (as TeamsInfo.sendMessageToTeamsChannel). */
function channelThread(target: SendTarget, activity: Partial<Activity>, src: Partial<Activity> | Partial<ConversationReference>) {
  return {
    isGroup: true,
    channelData: { channel: { id: channelOf(target) } },
    activity: activity as Activity,
    bot: (src as { bot?: unknown; recipient?: unknown }).bot ?? (src as { recipient?: unknown }).recipient,
    tenantId: src.conversation?.tenantId,
  } as never;
}

function toActivity(m: OutboundMessage): Partial<Activity> {
  return {
    type: 'message',
    ...(m.text ? { text: m.text, textFormat: 'markdown' } : {}),
    ...(m.summary ? { summary: m.summary } : {}),
    ...(m.card ? { attachments: [cardAttachment(m.card)] } : {}),
  };
}

function channelOf(target: SendTarget): string {
  const ref = target.reference as { conversation?: { id?: string } };
  return (ref.conversation?.id ?? target.conversationId).split(';')[0];
}

interface ConnectorLike {
  conversations: {
    createConversation(p: unknown): Promise<{ id?: string; activityId?: string }>;
    sendToConversation(conversationId: string, activity: Activity): Promise<{ id?: string }>;
    updateActivity(conversationId: string, activityId: string, activity: Activity): Promise<unknown>;
  };
  client?: { pipeline?: { removePolicy(p: { name?: string; phase?: string }): unknown } };
}

function connectorClient(ctx: TurnContext): ConnectorLike {
  const c = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorLike | undefined;
  if (!c) throw new Error('no connector client in the turn');
  return c;
}

const STRIPPED = Symbol('forumbot.noSdkRetries');
function stripRetries(c: (ConnectorLike & { [STRIPPED]?: boolean }) | undefined): void {
  if (!c || c[STRIPPED]) return;
  try {
    c.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  } catch {
    /* older pipelines: keep the SDK's retries */
  }
  c[STRIPPED] = true;
}
function withoutSdkRetries(ctx: TurnContext): void {
  stripRetries(ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorLike | undefined);
}

/** A botbuilder / azure RestError (or network error) as a DeliveryError. */
export function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = (err ?? {}) as {
    message?: string;
    statusCode?: number;
    status?: number;
    code?: string;
    response?: { status?: number; headers?: { get?(n: string): string | undefined } & Record<string, unknown>; bodyAsText?: string; parsedBody?: unknown };
    body?: unknown;
    details?: unknown;
  };
  const status = e.statusCode ?? e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
  const h = e.response?.headers;
  const ra = (typeof h?.get === 'function' ? h.get('retry-after') : (h?.['retry-after'] as string | undefined)) ?? undefined;
  let body: unknown = e.response?.parsedBody ?? e.details ?? e.body;
  if (!body && e.response?.bodyAsText) {
    try {
      body = JSON.parse(e.response.bodyAsText);
    } catch {
      body = e.response.bodyAsText;
    }
  }
  const b = (body ?? {}) as { error?: { code?: string; subCode?: string; message?: string; innerHttpError?: { body?: { subCode?: string } } }; subCode?: string; code?: string };
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  const subCode =
    b.error?.subCode ??
    b.subCode ??
    b.error?.innerHttpError?.body?.subCode ??
    (/MessageWritesBlocked/.test(text) ? 'MessageWritesBlocked' : undefined) ??
    (/ConversationBlockedByUser/.test(text) ? 'ConversationBlockedByUser' : undefined);
  const code = b.error?.code ?? b.code ?? (typeof e.code === 'string' ? e.code : undefined);
  const message = b.error?.message ?? e.message ?? 'send failed';
  return new DeliveryError(message, { status, retryAfterMs: parseRetryAfter(ra), subCode, code });
}

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(v: string | undefined | null, now = Date.now()): number | undefined {
  if (!v) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}
