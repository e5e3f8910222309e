import { openDb, type Db } from '../../src/store/db';
import {
  claimDeliveries,
  deliveriesReport,
  deliveryFor,
  DeliveryError,
  DeliveryWorker,
  enqueueBroadcast,
  getConversation,
  linkConversations,
  linkedChannels,
  listConversations,
  personalChatFor,
  upsertConversation,
  type Messenger,
  type OutboundMessage,
  type SendTarget,
} from '../../src/broadcasts';
import { log } from '../../src/log';
import { engines } from '../support/engines';

const quiet = log.child({});
quiet.level = 'silent';

async function seedForum(db: Db) {
  await db.query(`insert into forums (id, name, short_names) values ('dfv', 'Direktørforum Vadehavet', '{DFV}') on conflict do nothing`);
}

async function addConversations(db: Db, n: number, type: 'channel' | 'personal' = 'channel', prefix = 'c') {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `${prefix}${i}`;
    await upsertConversation(db, {
      id,
      type,
      tenantId: 'tenant-1',
      teamId: type === 'channel' ? `team-${prefix}${i}` : null,
      channelId: type === 'channel' ? id : null,
      aadObjectId: type === 'personal' ? `AAD-${i}` : null,
      name: `${type} ${i}`,
      reference: { conversation: { id }, serviceUrl: 'http://x' },
    });
    ids.push(id);
  }
  return ids;
}

/** Records every call; answers as `script` says per conversation and attempt. */
class FakeMessenger implements Messenger {
  sends: Array<{ conversationId: string; message: OutboundMessage }> = [];
  updates: Array<{ conversationId: string; activityId: string; message: OutboundMessage }> = [];
  attempts = new Map<string, number>();
  constructor(
    private readonly script: (conversationId: string, attempt: number) => Error | undefined = () => undefined,
    private readonly delayMs = 0,
  ) {}
  async send(t: SendTarget, message: OutboundMessage) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const n = (this.attempts.get(t.conversationId) ?? 0) + 1;
    this.attempts.set(t.conversationId, n);
    const err = this.script(t.conversationId, n);
    if (err) throw err;
    this.sends.push({ conversationId: t.conversationId, message });
    return { activityId: `act-${t.conversationId}`, threadId: t.type === 'channel' ? `${t.conversationId};messageid=act-${t.conversationId}` : undefined };
  }
  async update(t: SendTarget, activityId: string, message: OutboundMessage) {
    this.updates.push({ conversationId: t.conversationId, activityId, message });
  }
}

async function until(pred: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(engines())('broadcasts store on %s', (_name, opts) => {
  let db: Db;
  beforeEach(async () => {
    db = await openDb(opts());
    await seedForum(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('stores conversations, links channels to forums, finds personal chats', async () => {
    const ch = await addConversations(db, 3, 'channel');
    await addConversations(db, 2, 'personal', 'p');
    const r = await linkConversations(db, [ch[0], ch[1]], 'dfv', 'cli');
    expect(r).toMatchObject({ forumId: 'dfv', linked: [ch[0], ch[1]], already: [] });
    expect((await linkConversations(db, [ch[0]], 'Direktørforum Vadehavet', 'cli')).already).toEqual([ch[0]]);
    await expect(linkConversations(db, ['nope'], 'dfv', 'cli')).rejects.toThrow('unknown conversation');
    await expect(linkConversations(db, [ch[2]], 'Intet forum', 'cli')).rejects.toThrow('unknown forum');
    expect((await linkedChannels(db, 'dfv')).map((c) => c.id)).toEqual([ch[0], ch[1]]);
    expect((await personalChatFor(db, 'aad-1'))?.id).toBe('p1');
    const list = await listConversations(db);
    expect(list).toHaveLength(5);
    expect(list.find((c) => c.id === ch[0])?.forums).toEqual(['dfv']);
  });

  it('enqueue is idempotent per key; a changed message updates delivered targets in place', async () => {
    const ids = await addConversations(db, 3);
    const m1: OutboundMessage = { text: 'version 1' };
    const first = await enqueueBroadcast(db, { kind: 'test', key: 'k1', targets: ids, message: m1 });
    expect(first).toMatchObject({ created: true, changed: false, added: 3 });
    const again = await enqueueBroadcast(db, { kind: 'test', key: 'k1', targets: ids, message: { text: 'version 1' } });
    expect(again).toMatchObject({ broadcastId: first.broadcastId, created: false, changed: false, added: 0, updated: 0 });

    const messenger = new FakeMessenger();
    const worker = new DeliveryWorker({ db, messenger, log: quiet, pollMs: 50 });
    worker.start();
    try {
      await until(async () => (await deliveriesReport(db, first.broadcastId)).counts.sent === 3);
      expect(messenger.sends).toHaveLength(3);
      const d = await deliveryFor(db, { key: 'k1' }, ids[0]);
      expect(d).toMatchObject({ status: 'sent', activityId: `act-${ids[0]}`, deliveredVersion: 1 });

      const changed = await enqueueBroadcast(db, { kind: 'test', key: 'k1', targets: [], message: { text: 'version 2' } });
      expect(changed).toMatchObject({ changed: true, added: 0, updated: 3 });
      await until(() => messenger.updates.length === 3);
      await until(async () => (await deliveriesReport(db, first.broadcastId)).counts.sent === 3);
      expect(messenger.sends).toHaveLength(3); // not posted again
      expect(messenger.updates.map((u) => u.message.text)).toEqual(['version 2', 'version 2', 'version 2']);
      expect(messenger.updates.map((u) => u.activityId).sort()).toEqual(ids.map((i) => `act-${i}`).sort());
      // a new target joins with the latest message
      const more = await addConversations(db, 1, 'channel', 'n');
      const added = await enqueueBroadcast(db, { kind: 'test', key: 'k1', targets: [...ids, ...more], message: { text: 'version 2' } });
      expect(added).toMatchObject({ changed: false, added: 1, updated: 0 });
      await until(() => messenger.sends.length === 4);
      expect(messenger.sends[3]).toMatchObject({ conversationId: 'n0', message: { text: 'version 2' } });
    } finally {
      await worker.stop();
    }
  });

  it('retries 429 and 503, records 403/404 as final, and blocks on MessageWritesBlocked', async () => {
    const ids = await addConversations(db, 6);
    const messenger = new FakeMessenger((id, attempt) => {
      if (id === 'c0' && attempt === 1) return new DeliveryError('slow down', { status: 429, retryAfterMs: 300 });
      if (id === 'c1' && attempt <= 2) return new DeliveryError('unavailable', { status: 503 });
      if (id === 'c2') return new DeliveryError('Forbidden', { status: 403, subCode: 'MessageWritesBlocked' });
      if (id === 'c3') return new DeliveryError('Not found', { status: 404, code: 'ConversationNotFound' });
      if (id === 'c4') return new DeliveryError('always down', { status: 502 });
      return undefined;
    });
    const worker = new DeliveryWorker({ db, messenger, log: quiet, pollMs: 50, retry: { maxAttempts: 3, maxAttempts429: 5, baseMs: 50, capMs: 200 } });
    const b = await enqueueBroadcast(db, { kind: 'test', key: 'k2', targets: ids, message: { text: 'hej' } });
    worker.start();
    try {
      await until(async () => (await deliveriesReport(db, b.broadcastId)).done);
      const r = await deliveriesReport(db, b.broadcastId);
      const by = Object.fromEntries(r.targets.map((t) => [t.conversationId, t]));
      expect(r.counts).toEqual({ total: 6, sent: 3, failed: 3, pending: 0 });
      expect(by.c0).toMatchObject({ status: 'sent', attempts: 2 });
      expect(by.c1).toMatchObject({ status: 'sent', attempts: 3 });
      expect(by.c5).toMatchObject({ status: 'sent', attempts: 1 });
      expect(by.c2.status).toBe('failed');
      expect(by.c2.reason).toContain('MessageWritesBlocked');
      expect(by.c3).toMatchObject({ status: 'failed', attempts: 1 });
      expect(by.c3.reason).toContain('404');
      expect(by.c4).toMatchObject({ status: 'failed', attempts: 3 });
      expect(by.c4.reason).toContain('gave up after 3 attempts');
      expect((await getConversation(db, 'c2'))?.status).toBe('blocked');
      // exactly one message per conversation that got one
      expect(messenger.sends.map((s) => s.conversationId).sort()).toEqual(['c0', 'c1', 'c5']);
      // a blocked conversation gets nothing more
      const next = await enqueueBroadcast(db, { kind: 'test', key: 'k3', targets: ids, message: { text: 'igen' } });
      expect(next.skipped).toContain('c2');
    } finally {
      await worker.stop();
    }
  });

  it('two workers on one outbox never send twice; an expired lease is taken over', async () => {
    const n = db.engine === 'postgres' ? 150 : 60;
    const ids = await addConversations(db, n);
    const b = await enqueueBroadcast(db, { kind: 'test', key: 'k4', targets: ids, message: { text: 'x' } });
    // a "dead" instance claimed 10 rows and vanished: its lease expires after 1 s
    const dead = await claimDeliveries(db, 'dead-instance', 10, 1);
    expect(dead).toHaveLength(10);
    // slow sends (100 ms) and few in flight: one instance alone would need seconds, so both take part
    const m1 = new FakeMessenger(undefined, 100);
    const m2 = new FakeMessenger(undefined, 100);
    const w1 = new DeliveryWorker({ db, messenger: m1, log: quiet, pollMs: 50, owner: 'w1', concurrency: 4 });
    const w2 = new DeliveryWorker({ db, messenger: m2, log: quiet, pollMs: 50, owner: 'w2', concurrency: 4 });
    w1.start();
    w2.start();
    try {
      await until(async () => (await deliveriesReport(db, b.broadcastId)).counts.sent === n, 60_000);
      const all = [...m1.sends, ...m2.sends].map((s) => s.conversationId).sort();
      expect(all).toEqual([...ids].sort());
      expect(new Set(all).size).toBe(n);
      if (db.engine === 'postgres') {
        expect(m1.sends.length).toBeGreaterThan(0);
        expect(m2.sends.length).toBeGreaterThan(0);
      }
    } finally {
      await w1.stop();
      await w2.stop();
    }
  });
});
