import type { AdaptiveCardJson } from '../cards/render';

/** What the outbox sends: text and/or one Adaptive Card. */
export interface OutboundMessage {
  text?: string;
  card?: AdaptiveCardJson;
  /** Notification preview text. */
  summary?: string;
}

export type ConversationType = 'personal' | 'groupChat' | 'channel';
export type ConversationStatus = 'active' | 'removed' | 'blocked';

/** Where the messenger sends: the stored conversation reference (opaque to the domain). */
export interface SendTarget {
  conversationId: string;
  type: ConversationType;
  reference: Record<string, unknown>;
}

export interface SendResult {
  /** Id of the posted activity (for a channel post: the root message of the new thread). */
  activityId: string;
  /** Channel posts: the conversation id of the new thread (`<channel>;messageid=<id>`). */
  threadId?: string;
}

/**
 * Outbound port: botbuilder implements it in src/teams/messenger.ts; tests use fakes.
 * Errors are DeliveryError (or anything with `status`/`statusCode`), classified by retry.ts.
 */
export interface Messenger {
  send(target: SendTarget, message: OutboundMessage): Promise<SendResult>;
  update(target: SendTarget, activityId: string, message: OutboundMessage): Promise<void>;
}

/** A failed send or update as the outbox sees it. */
export class DeliveryError extends Error {
  readonly status?: number;
  readonly retryAfterMs?: number;
  readonly subCode?: string;
  readonly code?: string;
  constructor(message: string, opts: { status?: number; retryAfterMs?: number; subCode?: string; code?: string } = {}) {
    super(message);
    this.name = 'DeliveryError';
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
    this.subCode = opts.subCode;
    this.code = opts.code;
  }
}

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed';
