import http from 'http';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { mulberry32 } from './prng';

/**
 * A fake Bot Connector (the Teams side of the Bot Framework REST API) on 127.0.0.1.
 * Point an activity's serviceUrl at `connector.url` and every call the bot makes lands here:
 *
 *   POST   /v3/conversations/:conv/activities              send (recorded as kind 'send')
 *   POST   /v3/conversations/:conv/activities/:replyToId   reply ('reply')
 *   PUT    /v3/conversations/:conv/activities/:activityId  updateActivity ('update')
 *   DELETE /v3/conversations/:conv/activities/:activityId  deleteActivity ('delete')
 *   POST   /v3/conversations                              create a conversation / channel thread ('create')
 *   GET    /v3/conversations/:conv/members[/:id]          members ('members')
 *   GET    /v3/conversations/:conv/pagedmembers           paged members ('pagedmembers'; pageSize, continuationToken)
 *   GET    /v3/teams/:team, /v3/teams/:team/conversations team details and channels ('team', 'channels')
 *
 * Hooks for other tests: `intercept(fn)` answers a call instead of the default (status codes,
 * Retry-After, delays: return `{ status: 429, headers: { 'Retry-After': '1' } }`, or `{ delayMs }` then
 * the default), `setMembers(conv, members)`, `setChannels(team, channels)`. Every call is in `calls`.
 */

export type CallKind = 'send' | 'reply' | 'update' | 'delete' | 'create' | 'members' | 'member' | 'pagedmembers' | 'team' | 'channels' | 'other';

export interface ConnectorCall {
  seq: number;
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  kind: CallKind;
  conversationId?: string;
  /** replyToId for 'reply', the activity id for 'update'/'delete'. */
  activityId?: string;
  headers: http.IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The status the fake answered with. */
  status?: number;
  /** The id the fake gave a sent activity or created conversation. */
  responseId?: string;
}

export interface InterceptReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering. With no status, the default answer follows the delay. */
  delayMs?: number;
}

/** Return a reply to take over the call, or undefined to let the next interceptor / the default answer. */
export type Interceptor = (call: ConnectorCall) => InterceptReply | undefined | Promise<InterceptReply | undefined>;

export interface Member {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: string;
  [k: string]: unknown;
}

/**
 * Options (broadcasts): enforce Teams' rate limits, inject faults, serve files.
 * - limits: per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h and per tenant 50/s on message calls
 *   (send, reply, update, create). A call over a limit gets 429 with Retry-After (whole seconds, as Teams
 *   sends them) and does not count; `limitViolations` counts them.
 * - faults: a seeded share of message calls answered 429 (Retry-After), 503, or slowly (`slowMs`).
 */
export interface FakeConnectorOptions {
  limits?: boolean | { conversation?: Array<{ limit: number; ms: number }>; tenantPerSecond?: number };
  faults?: { rate429?: number; rate503?: number; slowRate?: number; slowMs?: number; retryAfterSeconds?: number; seed?: number };
}

const TEAMS_CONVERSATION_LIMITS = [
  { limit: 7, ms: 1_000 },
  { limit: 8, ms: 2_000 },
  { limit: 60, ms: 30_000 },
  { limit: 1800, ms: 3_600_000 },
];

const MESSAGE_KINDS: ReadonlySet<CallKind> = new Set(['send', 'reply', 'update', 'create']);

export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Message calls refused because they broke a rate limit (broadcasts). */
  limitViolations = 0;
  /** Faults injected so far, by kind. */
  readonly injected = { r429: 0, r503: 0, slow: 0 };
  private readonly opts: FakeConnectorOptions;
  private readonly accepted = new Map<string, number[]>();
  private readonly files = new Map<string, { data: Buffer; contentType: string }>();
  private rand: () => number;

  constructor(opts: FakeConnectorOptions = {}) {
    this.opts = opts;
    this.rand = mulberry32(opts.faults?.seed ?? 42);
  }

  /** Serves `data` at a download URL on this connector (file attachments sent to the bot). */
  serveFile(name: string, data: Buffer, contentType = 'application/octet-stream'): string {
    const id = randomUUID();
    this.files.set(id, { data, contentType });
    return `${this.url}/files/${id}/${encodeURIComponent(name)}`;
  }

  /**
   * Successful message deliveries per conversation (send/reply and new channel threads, by channel id):
   * what "every target got exactly one message" is checked against.
   */
  deliveredCounts(kinds: CallKind[] = ['send', 'create']): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.calls) {
      if (!kinds.includes(c.kind) || (c.status ?? 200) >= 300) continue;
      const key = limitKey(c);
      out.set(key, (out.get(key) ?? 0) + 1);
    }
    return out;
  }

  /** 429 when the call breaks a limit; otherwise records it. Returns the Retry-After seconds or 0. */
  private checkLimits(call: ConnectorCall): number {
    const l = this.opts.limits;
    if (!l || !MESSAGE_KINDS.has(call.kind)) return 0;
    const conv = typeof l === 'object' && l.conversation ? l.conversation : TEAMS_CONVERSATION_LIMITS;
    const perTenant = typeof l === 'object' && l.tenantPerSecond ? l.tenantPerSecond : 50;
    const now = call.at;
    const keys: Array<[string, Array<{ limit: number; ms: number }>]> = [
      [`c:${limitKey(call)}`, conv],
      [`t:${tenantOf(call)}`, [{ limit: perTenant, ms: 1_000 }]],
    ];
    let wait = 0;
    for (const [key, windows] of keys) {
      const list = this.accepted.get(key) ?? [];
      for (const w of windows) {
        const inWindow = list.filter((t) => t > now - w.ms);
        if (inWindow.length >= w.limit) wait = Math.max(wait, inWindow[inWindow.length - w.limit] + w.ms - now);
      }
    }
    if (wait > 0) {
      this.limitViolations++;
      return Math.max(1, Math.ceil(wait / 1000));
    }
    for (const [key] of keys) {
      let list = this.accepted.get(key);
      if (!list) this.accepted.set(key, (list = []));
      list.push(now);
      if (list.length > 4000) list.splice(0, list.length - 2000);
    }
    return 0;
  }
  url = '';
  private server?: http.Server;
  private interceptors: Interceptor[] = [];
  private members = new Map<string, Member[]>();
  private channels = new Map<string, Array<{ id: string; name?: string }>>();
  private waiters: Array<() => void> = [];
  private seq = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Forget recorded calls, interceptors, members and channels. */
  reset(): void {
    this.calls.length = 0;
    this.interceptors = [];
    this.members.clear();
    this.channels.clear();
  }

  /** Interceptors run in the order added; returns a function that removes this one. */
  intercept(fn: Interceptor): () => void {
    this.interceptors.push(fn);
    return () => {
      this.interceptors = this.interceptors.filter((f) => f !== fn);
    };
  }

  setMembers(conversationId: string, members: Member[]): void {
    this.members.set(conversationId, members);
  }

  setChannels(teamId: string, channels: Array<{ id: string; name?: string }>): void {
    this.channels.set(teamId, channels);
  }

  /** Activities the bot sent or replied (kind send/reply), optionally in one conversation, in order. */
  activities(conversationId?: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.calls
      .filter((c) => (c.kind === 'send' || c.kind === 'reply') && (!conversationId || c.conversationId === conversationId) && (c.status ?? 200) < 300)
      .map((c) => c.body);
  }

  /** Sent activities that are not typing indicators. */
  messages(conversationId?: string): any[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.activities(conversationId).filter((a) => a.type !== 'typing');
  }

  /** Resolves when pred(calls) is true; rejects after timeoutMs. */
  async waitFor(pred: (calls: ConnectorCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (pred(this.calls)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`FakeConnector.waitFor timed out after ${timeoutMs} ms (${this.calls.length} calls recorded)`));
      }, timeoutMs);
      const check = () => {
        if (pred(this.calls)) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
    });
  }

  /** Waits until `n` non-typing messages have arrived in the conversation, and returns them. */
  async waitForMessages(conversationId: string, n = 1, timeoutMs = 10_000): Promise<any[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    await this.waitFor(() => this.messages(conversationId).length >= n, timeoutMs);
    return this.messages(conversationId);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const arrived = Date.now(); // before the body is read: rate limits count arrivals
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = undefined;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const u = new URL(req.url ?? '/', 'http://x');
    const call: ConnectorCall = {
      seq: ++this.seq,
      at: arrived,
      method: req.method ?? 'GET',
      path: decodeURIComponent(u.pathname),
      query: Object.fromEntries(u.searchParams),
      kind: 'other',
      headers: req.headers,
      body,
    };
    classify(call, u.pathname);

    let reply: InterceptReply | undefined;
    if (call.method === 'GET' && call.path.startsWith('/files/')) {
      const f = this.files.get(call.path.split('/')[2] ?? '');
      call.status = f ? 200 : 404;
      this.calls.push(call);
      res.writeHead(call.status, { 'content-type': f?.contentType ?? 'text/plain', 'content-length': String(f?.data.length ?? 9) });
      res.end(f ? f.data : 'not found');
      return;
    }
    const faults = this.opts.faults;
    if (faults && MESSAGE_KINDS.has(call.kind)) {
      const r = this.rand();
      const p429 = faults.rate429 ?? 0;
      const p503 = faults.rate503 ?? 0;
      const pSlow = faults.slowRate ?? 0;
      if (r < p429) {
        this.injected.r429++;
        reply = { status: 429, headers: { 'Retry-After': String(faults.retryAfterSeconds ?? 1) }, body: { error: { code: 'TooManyRequests', message: 'injected 429' } } };
      } else if (r < p429 + p503) {
        this.injected.r503++;
        reply = { status: 503, body: { error: { code: 'ServiceUnavailable', message: 'injected 503' } } };
      } else if (r < p429 + p503 + pSlow) {
        this.injected.slow++;
        reply = { delayMs: faults.slowMs ?? 1_500 };
      }
    }
    if (!reply || reply.status === undefined) {
      const retryAfter = this.checkLimits(call);
      if (retryAfter > 0) reply = { status: 429, headers: { 'Retry-After': String(retryAfter) }, body: { error: { code: 'TooManyRequests', message: 'rate limit exceeded' } } };
    }
    if (!reply || reply.status === undefined) {
      const slow = reply?.delayMs;
      reply = undefined;
      for (const fn of this.interceptors) {
        reply = await fn(call);
        if (reply) break;
      }
      if (slow) reply = { ...(reply ?? {}), delayMs: Math.max(slow, reply?.delayMs ?? 0) };
    }
    if (reply?.delayMs) await new Promise((r) => setTimeout(r, reply!.delayMs));
    let status: number;
    let out: unknown;
    let headers: Record<string, string> = {};
    if (reply && reply.status !== undefined) {
      status = reply.status;
      out = reply.body;
      headers = reply.headers ?? {};
    } else {
      [status, out] = this.defaultAnswer(call);
    }
    call.status = status;
    this.calls.push(call);
    for (const w of [...this.waiters]) w();
    const text = out === undefined ? '' : typeof out === 'string' ? out : JSON.stringify(out);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  private defaultAnswer(call: ConnectorCall): [number, unknown] {
    switch (call.kind) {
      case 'send':
      case 'reply':
      case 'update': {
        const id = call.kind === 'update' ? call.activityId! : `act-${call.seq}-${randomUUID().slice(0, 8)}`;
        call.responseId = id;
        return [200, { id }];
      }
      case 'delete':
        return [200, undefined];
      case 'create': {
        const b = (call.body ?? {}) as { channelData?: { channel?: { id?: string } }; isGroup?: boolean };
        const channel = b.channelData?.channel?.id;
        const activityId = `act-${call.seq}`;
        // a new channel thread: "<channel id>;messageid=<activity id>"
        const id = channel ? `${channel};messageid=${activityId}` : `a:conv-${call.seq}-${randomUUID().slice(0, 8)}`;
        call.responseId = id;
        return [201, { id, activityId, serviceUrl: this.url }];
      }
      case 'members':
        return [200, this.members.get(call.conversationId!) ?? []];
      case 'member': {
        const id = call.path.split('/').pop();
        const m = (this.members.get(call.conversationId!) ?? []).find((x) => x.id === id || x.aadObjectId === id);
        return m ? [200, m] : [404, { error: { code: 'MemberNotFoundInConversation', message: 'member not found' } }];
      }
      case 'pagedmembers': {
        const all = this.members.get(call.conversationId!) ?? [];
        const size = Math.max(1, Math.min(500, Number(call.query.pageSize ?? 200) || 200));
        const start = Number(call.query.continuationToken ?? 0) || 0;
        const page = all.slice(start, start + size);
        const next = start + size < all.length ? String(start + size) : undefined;
        return [200, { members: page, ...(next ? { continuationToken: next } : {}) }];
      }
      case 'team': {
        const id = call.conversationId!;
        return [200, { id, name: `Team ${id}`, aadGroupId: `group-${id}` }];
      }
      case 'channels': {
        const id = call.conversationId!;
        return [200, { conversations: this.channels.get(id) ?? [{ id, name: 'General' }] }];
      }
      default:
        return [404, { error: { code: 'NotFound', message: `fake connector: no route for ${call.method} ${call.path}` } }];
    }
  }
}

function classify(call: ConnectorCall, rawPath: string): void {
  const parts = rawPath.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  if (parts[0] !== 'v3') return;
  if (parts[1] === 'conversations') {
    if (parts.length === 2 && call.method === 'POST') {
      call.kind = 'create';
      return;
    }
    call.conversationId = parts[2];
    const rest = parts.slice(3);
    if (rest[0] === 'activities') {
      if (rest.length === 1 && call.method === 'POST') call.kind = 'send';
      else if (rest.length === 2 && call.method === 'POST') call.kind = 'reply';
      else if (rest.length === 2 && call.method === 'PUT') call.kind = 'update';
      else if (rest.length === 2 && call.method === 'DELETE') call.kind = 'delete';
      if (rest.length === 2) call.activityId = rest[1];
    } else if (rest[0] === 'members' && call.method === 'GET') {
      call.kind = rest.length === 1 ? 'members' : 'member';
    } else if (rest[0] === 'pagedmembers' && call.method === 'GET') {
      call.kind = 'pagedmembers';
    }
  } else if (parts[1] === 'teams' && call.method === 'GET') {
    call.conversationId = parts[2];
    call.kind = parts[3] === 'conversations' ? 'channels' : parts.length === 3 ? 'team' : 'other';
  }
}

/** The conversation a message call counts against: a new channel thread counts against its channel. */
function limitKey(c: ConnectorCall): string {
  if (c.kind === 'create') {
    const b = (c.body ?? {}) as { channelData?: { channel?: { id?: string } } };
    return b.channelData?.channel?.id ?? `create:${c.seq}`;
  }
  return (c.conversationId ?? '').split(';')[0];
}

function tenantOf(c: ConnectorCall): string {
  const b = (c.body ?? {}) as { conversation?: { tenantId?: string }; tenantId?: string; channelData?: { tenant?: { id?: string } } };
  return b.channelData?.tenant?.id ?? b.conversation?.tenantId ?? b.tenantId ?? 'tenant';
}

export async function startFakeConnector(opts: FakeConnectorOptions = {}): Promise<FakeConnector> {
  return new FakeConnector(opts).start();
}
