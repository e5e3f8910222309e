import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import { DeliveryError, type Messenger, type OutboundMessage, type SendResult, type SendTarget } from '../broadcasts/types';

/**
 * The outbox's Messenger implemented with botbuilder (the only botbuilder code of the broadcasts capability).
 *
 * - Personal and group chats: continueConversationAsync + sendActivity (POST …/activities).
 * - Channels: a new thread (POST /v3/conversations with channelData.channel.id — what
 *   TeamsInfo.sendMessageToTeamsChannel does; we call the turn's connector client directly, because
 *   TeamsInfo's code path without an app id calls a method CloudAdapter does not have).
 * - Updates: updateActivity (PUT …/activities/{id}).
 *
 * The connector client's own retry policy is removed: the outbox decides about retries (Retry-After,
 * backoff, limits), and a hidden SDK retry would send requests the throttle does not know about.
 * Errors are rethrown as DeliveryError with status, Retry-After and the Teams sub-code.
 */
export class BotbuilderMessenger implements Messenger {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(target: SendTarget, message: OutboundMessage): Promise<SendResult> {
    let result: SendResult | undefined;
    await this.run(target.reference, async (ctx) => {
      const activity = toActivity(message);
      if (target.type === 'channel') {
        const channelId = channelOf(target);
        const client = connectorClient(ctx);
        const res = await client.conversations.createConversation({
          isGroup: true,
          channelData: { channel: { id: channelId } },
          activity: activity as Activity,
          bot: ctx.activity.recipient,
          tenantId: ctx.activity.conversation?.tenantId,
        } as never);
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
    await this.run(ref, async (ctx) => {
      await ctx.updateActivity({ ...toActivity(message), id: activityId });
    });
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
  conversations: { createConversation(p: unknown): Promise<{ id?: string; activityId?: string }> };
  client?: { pipeline?: { removePolicy(p: { name?: string; phase?: string }): unknown } };
}

function connectorClient(ctx: TurnContext): ConnectorLike {
  const c = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorLike | undefined;
  if (!c) throw new Error('no connector client in the turn');
  return c;
}

const STRIPPED = Symbol('forumbot.noSdkRetries');
function withoutSdkRetries(ctx: TurnContext): void {
  const c = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as (ConnectorLike & { [STRIPPED]?: boolean }) | undefined;
  if (!c || c[STRIPPED]) return;
  try {
    c.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
  } catch {
    /* older pipelines: keep the SDK's retries */
  }
  c[STRIPPED] = true;
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
