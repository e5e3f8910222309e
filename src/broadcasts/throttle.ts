/**
 * Sliding-window rate limits (Teams: per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; per tenant 50/s).
 *
 * `reserve(keys, now)` books the earliest moment at which a send satisfies every window of every key,
 * records it, and returns it. Bookings per key are kept in time order, so a booking only has to look at
 * the windows ending at its own time. The clock is passed in: tests use a fake one.
 */
export interface Window {
  limit: number;
  ms: number;
}

export const CONVERSATION_WINDOWS: Window[] = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

export const TENANT_WINDOWS = (perSecond = 50): Window[] => [{ limit: perSecond, ms: 1_000 }];

export interface ThrottleKey {
  key: string;
  windows: Window[];
}

export class SlidingWindowLimiter {
  /** Booked send times per key, ascending. */
  private readonly booked = new Map<string, number[]>();
  /** A key may be blocked until a time (429 Retry-After). */
  private readonly blockedUntil = new Map<string, number>();
  private lastSweep = 0;

  /**
   * @param marginMs added to every window: the fake or real connector measures arrival times, which
   * jitter by a few milliseconds against our send times.
   */
  constructor(private readonly marginMs = 0) {}

  /** The earliest time >= now at which one more send fits every window of every key (does not book). */
  earliest(keys: ThrottleKey[], now: number): number {
    let t = now;
    for (let guard = 0; guard < 20; guard++) {
      const before = t;
      for (const k of keys) t = Math.max(t, this.earliestFor(k, t));
      if (t === before) return t;
    }
    return t;
  }

  /** Books one send at the earliest allowed time and returns that time. */
  reserve(keys: ThrottleKey[], now: number): number {
    this.sweep(now);
    const t = this.earliest(keys, now);
    for (const k of keys) {
      let list = this.booked.get(k.key);
      if (!list) this.booked.set(k.key, (list = []));
      list.push(t);
    }
    return t;
  }

  /** Takes back a booking that was not used (the send was abandoned before it started). */
  release(keys: ThrottleKey[], at: number): void {
    for (const k of keys) {
      const list = this.booked.get(k.key);
      if (!list) continue;
      const i = list.lastIndexOf(at);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** Nothing may be sent on this key before `until` (Retry-After). */
  block(key: string, until: number): void {
    this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
  }

  private earliestFor(k: ThrottleKey, from: number): number {
    const list = this.booked.get(k.key) ?? [];
    let t = Math.max(from, list.length ? list[list.length - 1] : from, this.blockedUntil.get(k.key) ?? 0);
    for (let changed = true; changed; ) {
      changed = false;
      for (const w of k.windows) {
        if (list.length < w.limit) continue;
        // the w.limit-th most recent booking must have left the window (t - width, t]
        const e = list[list.length - w.limit];
        const width = w.ms + this.marginMs;
        if (e > t - width) {
          t = e + width;
          changed = true;
        }
      }
    }
    return t;
  }

  /** Forgets bookings older than the longest window (keeps memory bounded). */
  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, list] of this.booked) {
      // the longest window we use is one hour; keep a little more
      const cutoff = now - 3_600_000 - 60_000;
      let i = 0;
      while (i < list.length && list[i] < cutoff) i++;
      if (i === list.length) this.booked.delete(key);
      else if (i > 0) list.splice(0, i);
    }
    for (const [key, until] of this.blockedUntil) if (until < now) this.blockedUntil.delete(key);
  }

  /** Number of keys tracked (tests). */
  get size(): number {
    return this.booked.size;
  }
}
