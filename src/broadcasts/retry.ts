/**
 * What to do after a failed send: Teams' rules (DESIGN section 6).
 * - 429: wait for Retry-After (or back off when it is missing);
 * - 412, 502, 503, 504, timeouts and network errors: exponential backoff with full jitter, bounded attempts;
 * - 403 and 404: final. 403 MessageWritesBlocked (or ConversationBlockedByUser) also blocks the conversation;
 * - anything else (400, 401, 500 …): final.
 */
export interface RetryPolicy {
  maxAttempts: number;
  /** 429s are expected under load: they get more attempts. */
  maxAttempts429: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, maxAttempts429: 20, baseMs: 1_000, capMs: 60_000 };

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string; throttled: boolean }
  | { action: 'fail'; reason: string; block: boolean };

export interface ErrorFacts {
  status?: number;
  retryAfterMs?: number;
  subCode?: string;
  code?: string;
  message: string;
  timeout: boolean;
}

const BLOCK_CODES = /^(MessageWritesBlocked|ConversationBlockedByUser|BotDisabledByAdmin)$/i;

/** Reads status, Retry-After and sub-code from a DeliveryError, a botbuilder RestError or a network error. */
export function errorFacts(err: unknown): ErrorFacts {
  const e = (err ?? {}) as Record<string, unknown>;
  const message = err instanceof Error ? err.message : String(err);
  const status = num(e.status) ?? num(e.statusCode) ?? num((e.response as Record<string, unknown> | undefined)?.status);
  const retryAfterMs = num(e.retryAfterMs);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const subCode = typeof e.subCode === 'string' ? e.subCode : undefined;
  const timeout = !!e.timeout || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timed? ?out/i.test(message) || (e.name === 'AbortError');
  return { status, retryAfterMs, subCode, code, message, timeout };
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Full jitter: a random delay in [base·2^(n-1)/2, base·2^(n-1)], capped. */
export function backoffMs(attempt: number, p: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(p.capMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** @param attempts attempts made so far, including the one that just failed. */
export function decide(err: unknown, attempts: number, p: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): RetryDecision {
  const f = errorFacts(err);
  const label = f.status ? `${f.status}${f.subCode ? ` ${f.subCode}` : f.code && !/^\d+$/.test(f.code) ? ` ${f.code}` : ''}` : f.timeout ? 'timeout' : f.code ?? 'error';
  const reason = `${label}: ${f.message}`.slice(0, 500);
  if (f.status === 429) {
    if (attempts >= p.maxAttempts429) return { action: 'fail', reason: `gave up after ${attempts} attempts: ${reason}`, block: false };
    const delayMs = f.retryAfterMs !== undefined ? f.retryAfterMs : backoffMs(attempts, p, random);
    return { action: 'retry', delayMs, reason, throttled: true };
  }
  if (f.status === 403) {
    const block = BLOCK_CODES.test(f.subCode ?? '') || BLOCK_CODES.test(f.code ?? '');
    return { action: 'fail', reason, block };
  }
  const transient = f.status === 412 || f.status === 502 || f.status === 503 || f.status === 504 || f.status === undefined /* timeouts and network errors */;
  if (transient) {
    if (attempts >= p.maxAttempts) return { action: 'fail', reason: `gave up after ${attempts} attempts: ${reason}`, block: false };
    const delayMs = f.retryAfterMs !== undefined ? f.retryAfterMs : backoffMs(attempts, p, random);
    return { action: 'retry', delayMs, reason, throttled: false };
  }
  return { action: 'fail', reason, block: false };
}
