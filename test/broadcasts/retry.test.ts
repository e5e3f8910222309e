import { backoffMs, decide, DEFAULT_RETRY } from '../../src/broadcasts/retry';
import { DeliveryError } from '../../src/broadcasts/types';
import { parseRetryAfter, toDeliveryError } from '../../src/teams/messenger';

describe('retry decisions', () => {
  const fixed = () => 0.5;
  it('429 waits exactly Retry-After', () => {
    const d = decide(new DeliveryError('x', { status: 429, retryAfterMs: 3000 }), 1, DEFAULT_RETRY, fixed);
    expect(d).toMatchObject({ action: 'retry', delayMs: 3000, throttled: true });
  });
  it('429 without Retry-After backs off exponentially', () => {
    const d1 = decide(new DeliveryError('x', { status: 429 }), 1, DEFAULT_RETRY, fixed);
    const d3 = decide(new DeliveryError('x', { status: 429 }), 3, DEFAULT_RETRY, fixed);
    expect(d1.action === 'retry' && d3.action === 'retry' && d3.delayMs > d1.delayMs).toBe(true);
  });
  it.each([412, 502, 503, 504])('%i is retried with backoff, then given up', (status) => {
    const d = decide(new DeliveryError('x', { status }), 2, DEFAULT_RETRY, fixed);
    expect(d).toMatchObject({ action: 'retry', delayMs: 1500, throttled: false });
    const last = decide(new DeliveryError('x', { status }), DEFAULT_RETRY.maxAttempts, DEFAULT_RETRY, fixed);
    expect(last.action).toBe('fail');
  });
  it('timeouts and network errors are retried', () => {
    expect(decide(Object.assign(new Error('timed out after 10 ms'), { timeout: true }), 1).action).toBe('retry');
    expect(decide(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 1).action).toBe('retry');
  });
  it('403 and 404 are final; MessageWritesBlocked blocks the conversation', () => {
    expect(decide(new DeliveryError('no', { status: 404 }), 1)).toMatchObject({ action: 'fail', block: false });
    expect(decide(new DeliveryError('no', { status: 403 }), 1)).toMatchObject({ action: 'fail', block: false });
    expect(decide(new DeliveryError('no', { status: 403, subCode: 'MessageWritesBlocked' }), 1)).toMatchObject({ action: 'fail', block: true });
    expect(decide(new DeliveryError('no', { status: 400 }), 1)).toMatchObject({ action: 'fail' });
  });
  it('backoff has jitter within [exp/2, exp] and a cap', () => {
    for (let a = 1; a < 12; a++) {
      const exp = Math.min(DEFAULT_RETRY.capMs, DEFAULT_RETRY.baseMs * 2 ** (a - 1));
      expect(backoffMs(a, DEFAULT_RETRY, () => 0)).toBe(exp / 2);
      expect(backoffMs(a, DEFAULT_RETRY, () => 0.999999)).toBeLessThanOrEqual(exp);
    }
  });
  it('reads RestError-shaped errors (status, Retry-After header, Teams sub-code)', () => {
    const headers = new Map([['retry-after', '2']]);
    const e = toDeliveryError({
      message: 'Too many',
      statusCode: 429,
      response: { status: 429, headers: { get: (n: string) => headers.get(n) }, bodyAsText: '{"error":{"code":"TooManyRequests","message":"slow down"}}' },
    });
    expect(e).toMatchObject({ status: 429, retryAfterMs: 2000, code: 'TooManyRequests' });
    const blocked = toDeliveryError({
      statusCode: 403,
      response: { status: 403, headers: { get: () => undefined }, bodyAsText: '{"error":{"code":"Forbidden","subCode":"MessageWritesBlocked","message":"blocked"}}' },
    });
    expect(blocked).toMatchObject({ status: 403, subCode: 'MessageWritesBlocked' });
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
  });
});
