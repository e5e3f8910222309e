import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';
import {
  broadcastAgenda,
  broadcastSettings,
  claimDeliveries,
  deliveriesOf,
  deliveriesReport,
  enqueueBroadcast,
  getBroadcast,
  linkConversations,
  markDelivered,
  markFailed,
  queueDueReports,
  reportKey,
  reportRecipients,
  upsertConversation,
} from '../../src/broadcasts';
import { deliveryWorker } from '../../src/teams/broadcasts';
import { expectValidCard } from '../support/cards';
import { engines } from '../support/engines';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, botAdded, cardOf, cardText, installationUpdate, personalConversationId, personalMessage, type Activity, type TestUser } from '../support/bot-client';
import { FICTIONAL_MEETING, seedFictional } from '../server/fixture';

/**
 * The delivery report is pushed to the secretariat when a broadcast completes: through the outbox (a
 * broadcast of kind 'report'), exactly once, to the member who started it (or, for the CLI, to every
 * secretariat member with a personal chat), never to anyone else. On PostgreSQL two server instances share
 * the outbox, so both workers race for the report.
 */

jest.setTimeout(120_000);

const SEC1: TestUser = { id: '29:sec-1', name: 'Sekretær Sofie', aadObjectId: 'aad-sec-1' };
const SEC2: TestUser = { id: '29:sec-2', name: 'Sekretær Sune', aadObjectId: 'aad-sec-2' };
/** In SECRETARIAT_AAD_IDS, but has never talked to the bot: no personal chat. */
const SEC3 = 'aad-sec-3';
const MEMBERS: TestUser[] = Array.from({ length: 3 }, (_, i) => ({ id: `29:member-${i}`, name: `Medlem ${i}`, aadObjectId: `aad-member-${i}` }));
const TEAMS = 6;
const BLOCKED = 2;
const teamId = (i: number) => `19:report-team-${i}@thread.tacv2`;

type Card = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function inTeam(a: Activity, i: number): Activity {
  const id = teamId(i);
  return { ...a, conversation: { ...a.conversation, id }, channelData: { ...a.channelData, team: { id, name: `Team ${i}` }, channel: { id, name: 'General' } } };
}

async function until(pred: () => Promise<boolean> | boolean, timeoutMs = 45_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The report's facts as label → value. */
function facts(card: Card): Record<string, string> {
  const set = (card.body as Card[]).find((b) => b.type === 'FactSet')!;
  return Object.fromEntries((set.facts as Array<{ title: string; value: string }>).map((f) => [f.title, f.value]));
}

describe.each(engines())('delivery report pushed to the secretariat on %s', (engine, opts) => {
  const dbs: Db[] = [];
  const servers: RunningServer[] = [];
  let db: Db;
  let connector: FakeConnector;
  let client: BotClient;
  let minutesId: string;
  const config = loadConfig({ SECRETARIAT_AAD_IDS: `${SEC1.aadObjectId},${SEC2.aadObjectId},${SEC3}`, PUBLIC_BASE_URL: 'https://forumbot.example', BROADCAST_MAX_ATTEMPTS: '8' });

  /** Delivery report cards that arrived in this user's personal chat. */
  const reportsTo = (u: TestUser): Card[] =>
    connector
      .messages(personalConversationId(u))
      .map((a) => cardOf(a))
      .filter((c): c is Card => !!c && (c.body as Card[])[0]?.text === 'Leveringsrapport');

  beforeAll(async () => {
    const o = opts();
    db = await openDb(o);
    dbs.push(db);
    minutesId = await seedFictional(db);
    connector = await startFakeConnector({ limits: true, faults: { rate503: 0.05, retryAfterSeconds: 1, seed: 11 } });
    const log = pino({ level: process.env.BCAST_LOG ?? 'silent' }, pino.destination(2));
    servers.push(await startServer(config, { port: 0, db, log }));
    if (o.databaseUrl) {
      // a second instance on the same PostgreSQL schema: both workers work the outbox and look for due reports
      const db2 = await openDb(o);
      dbs.push(db2);
      servers.push(await startServer(config, { port: 0, db: db2, log }));
    }
    client = new BotClient(servers[0].url, connector);
    for (let i = 0; i < TEAMS; i++) {
      await client.send(inTeam(installationUpdate({ scope: 'team', user: SEC1 }), i));
      await client.send(inTeam(botAdded({ scope: 'team', user: SEC1 }), i));
    }
    for (const u of [SEC1, SEC2, ...MEMBERS]) await client.send(installationUpdate({ user: u }));
    await linkConversations(db, Array.from({ length: TEAMS }, (_, i) => teamId(i)), FICTIONAL_MEETING.forum!, 'cli');
    // one channel has blocked the bot: its delivery fails (403, final)
    connector.intercept((c) =>
      c.kind === 'create' && c.body?.channelData?.channel?.id === teamId(BLOCKED)
        ? { status: 403, body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked', message: 'Bot is blocked' } } }
        : undefined,
    );
  });

  afterAll(async () => {
    for (const s of servers) await s.close();
    await connector?.stop();
    for (const d of dbs) await d.close();
  });

  test('"post referat": the member who started it gets one report with the right counts; nobody else does', async () => {
    const r = await client.ask(personalMessage(`post referat ${minutesId}`, { user: SEC1 }));
    expect(r.replies[0].text).toMatch(/postet i 6 kanaler\. Du får leveringsrapporten i din personlige chat/);
    const b = (await getBroadcast(db, `minutes:${minutesId}`))!;
    expect(b).toMatchObject({ startedBy: SEC1.aadObjectId, reportWanted: true });

    await until(() => reportsTo(SEC1).length > 0);
    const report = await deliveriesReport(db, b.id);
    expect(report.counts).toEqual({ total: 6, sent: 5, failed: 1, pending: 0 });
    expect((await getBroadcast(db, b.id))!.reportSentAt).toBeInstanceOf(Date);

    const [card] = reportsTo(SEC1);
    expectValidCard(card);
    expect(facts(card)).toEqual({ Sendt: '5', Fejlet: '1', Afventer: '0', 'Modtagere i alt': '6' });
    expect(cardText(card)).toContain(FICTIONAL_MEETING.title);
    expect(cardText(card)).toContain('MessageWritesBlocked');
    // "Opdater" on the report works like the chat command
    expect((card.actions as Card[])[0]).toMatchObject({ type: 'Action.Execute', verb: 'broadcasts.report', data: { broadcastId: b.id } });

    // the report is an outbox broadcast of its own, delivered once, to that one chat
    const rb = (await getBroadcast(db, reportKey(b.id)))!;
    expect(rb.kind).toBe('report');
    await until(async () => (await deliveriesReport(db, rb.id)).done);
    expect((await deliveriesOf(db, rb.id)).map((d) => [d.conversationId, d.status])).toEqual([[personalConversationId(SEC1), 'sent']]);

    // several sweeps later (and with two instances on PostgreSQL): still exactly one
    await sleep(6_000);
    expect(reportsTo(SEC1)).toHaveLength(1);
    expect(reportsTo(SEC2)).toHaveLength(0);
    for (const m of MEMBERS) expect(reportsTo(m)).toHaveLength(0);
  });

  test('a broadcast the CLI started: every secretariat member with a personal chat gets it once, members never', async () => {
    const start = new Date(Date.now() + 10 * 86_400_000);
    const agenda: Meeting = {
      ...FICTIONAL_MEETING,
      title: 'Møde i Direktørforum Vadehavet (dagsorden til rapport)',
      status: 'agenda',
      start: start.toISOString().replace(/\.\d+Z$/, 'Z'),
      end: null,
      items: FICTIONAL_MEETING.items.map((i) => ({ ...i, decision: null, outcome: null })),
    };
    const imported = await importDocument(db, { data: Buffer.from(`agenda for the report test ${engine}`), fileName: 'dagsorden-rapport.txt' }, { parse: async () => agenda });
    // what `forumbot broadcast agenda <id> --personal` does: no starter
    const r = await broadcastAgenda(db, imported.meetingId!, broadcastSettings(config), { personal: true, actor: 'cli' });
    // the channel that blocked the bot during the minutes is no longer a target
    expect(r).toMatchObject({ channels: TEAMS - 1, personal: 2 + MEMBERS.length, skipped: [] });
    const b = (await getBroadcast(db, r.broadcastId))!;
    expect(b).toMatchObject({ startedBy: null, reportWanted: true });

    const before = { sec1: reportsTo(SEC1).length };
    await until(() => reportsTo(SEC1).length > before.sec1 && reportsTo(SEC2).length > 0);
    expect((await deliveriesReport(db, b.id)).counts).toEqual({ total: 10, sent: 10, failed: 0, pending: 0 });
    for (const u of [SEC1, SEC2]) {
      const card = reportsTo(u).at(-1)!;
      expectValidCard(card);
      expect(facts(card)).toEqual({ Sendt: '10', Fejlet: '0', Afventer: '0', 'Modtagere i alt': '10' });
      expect(cardText(card)).toContain(agenda.title);
    }
    // the members got the agenda itself, but no report
    for (const m of MEMBERS) {
      expect(connector.messages(personalConversationId(m)).filter((a) => cardText(cardOf(a)).includes('Dagsorden ·'))).toHaveLength(1);
      expect(reportsTo(m)).toHaveLength(0);
    }
    await sleep(6_000);
    expect(reportsTo(SEC1)).toHaveLength(before.sec1 + 1);
    expect(reportsTo(SEC2)).toHaveLength(1);

    // exactly two reports were queued in all, by whichever instance got there first
    const reports = (await db.query<{ n: number }>(`select count(*)::int n from broadcasts where kind = 'report'`)).rows[0].n;
    expect(reports).toBe(2);
    const queuedByWorkers = servers.reduce((n, s) => n + (deliveryWorker(s.deps)?.stats.reports ?? 0), 0);
    expect(queuedByWorkers).toBe(2);
    // nothing is due any more
    expect(await queueDueReports(db, { secretariat: config.SECRETARIAT_AAD_IDS })).toEqual([]);
  });

  test('recipients are secretariat only, whoever the recorded starter is', async () => {
    const secretariat = config.SECRETARIAT_AAD_IDS;
    const ids = async (startedBy: string | null) => (await reportRecipients(db, startedBy, secretariat)).map((c) => c.aadObjectId);
    expect(await ids(SEC2.aadObjectId)).toEqual([SEC2.aadObjectId]);
    expect(await ids(SEC2.aadObjectId.toUpperCase())).toEqual([SEC2.aadObjectId]);
    // a starter outside the secretariat, or one without a personal chat: the secretariat's chats instead
    expect(await ids(MEMBERS[0].aadObjectId)).toEqual([SEC1.aadObjectId, SEC2.aadObjectId]);
    expect(await ids(SEC3)).toEqual([SEC1.aadObjectId, SEC2.aadObjectId]);
    expect(await ids(null)).toEqual([SEC1.aadObjectId, SEC2.aadObjectId]);
    expect(await reportRecipients(db, SEC1.aadObjectId, [])).toEqual([]);
  });
});

describe.each(engines())('report queueing in the store on %s', (_engine, opts) => {
  const S = { secretariat: ['AAD-SEC-1', 'aad-sec-2'] };
  let a: Db;
  let b: Db;

  beforeEach(async () => {
    const o = opts();
    a = await openDb(o);
    b = o.databaseUrl ? await openDb(o) : a; // PostgreSQL: a second connection pool, as a second instance has
    for (const id of ['c0', 'c1', 'c2'])
      await upsertConversation(a, { id, type: 'channel', tenantId: 't', teamId: id, channelId: id, reference: { conversation: { id }, serviceUrl: 'http://x' } });
    for (const [id, aad] of [['p-sec', 'aad-sec-1'], ['p-mem', 'aad-member-0']])
      await upsertConversation(a, { id, type: 'personal', tenantId: 't', aadObjectId: aad, reference: { conversation: { id }, serviceUrl: 'http://x' } });
  });
  afterEach(async () => {
    if (b !== a) await b.close();
    await a.close();
  });

  /** What the worker does: claim every due row and record it sent (or failed for the ids in `fail`). */
  async function deliverAll(fail: string[] = []) {
    for (const row of await claimDeliveries(a, 'w', 100, 60)) {
      if (fail.includes(row.conversationId)) await markFailed(a, row.id, 'w', '403 Forbidden: blocked', 403);
      else await markDelivered(a, row.id, 'w', { version: row.version, activityId: `act-${row.conversationId}` });
    }
  }

  it('queues a report once the last delivery is final, exactly once when instances race; new targets re-arm it', async () => {
    const e = await enqueueBroadcast(a, { kind: 'minutes', key: 'minutes:m1', targets: ['c0', 'c1'], message: { text: 'referat' }, report: { startedBy: 'aad-sec-1' } });
    const silent = await enqueueBroadcast(a, { kind: 'procedure', key: 'procedure:p1', targets: ['c0'], message: { text: 'afstemning' } });
    expect(await queueDueReports(a, S)).toEqual([]); // nothing delivered yet

    await deliverAll(['c1']);
    const raced = (await Promise.all(Array.from({ length: 6 }, (_, i) => queueDueReports(i % 2 ? b : a, S)))).flat();
    expect(raced).toHaveLength(1);
    expect(raced[0]).toMatchObject({ broadcastId: e.broadcastId, recipients: ['p-sec'], startedBy: 'aad-sec-1', counts: { total: 2, sent: 1, failed: 1, pending: 0 } });
    expect(await getBroadcast(a, silent.broadcastId)).toMatchObject({ reportWanted: false, reportSentAt: null }); // did not ask for one
    const report = (await getBroadcast(a, reportKey(e.broadcastId)))!;
    expect(report).toMatchObject({ id: raced[0].reportBroadcastId, kind: 'report', version: 1, reportWanted: false });
    expect(JSON.stringify(report.message.card)).toContain('403 Forbidden: blocked');
    expect((await deliveriesOf(a, report.id)).map((d) => d.conversationId)).toEqual(['p-sec']);

    // the report itself is delivered like any message, and asks for no report of its own
    await deliverAll();
    expect(await queueDueReports(a, S)).toEqual([]);

    // the same broadcast gets a new target: the report is re-armed, and later edits the posted report card
    const more = await enqueueBroadcast(a, { kind: 'minutes', key: 'minutes:m1', targets: ['c0', 'c1', 'c2'], message: { text: 'referat' }, report: { startedBy: 'aad-sec-1' } });
    expect(more).toMatchObject({ added: 1 });
    expect((await getBroadcast(a, e.broadcastId))!.reportSentAt).toBeNull();
    expect(await queueDueReports(b, S)).toEqual([]); // c2 still pending
    await deliverAll();
    const again = (await Promise.all([queueDueReports(a, S), queueDueReports(b, S)])).flat();
    expect(again).toHaveLength(1);
    expect(again[0].counts).toEqual({ total: 3, sent: 2, failed: 1, pending: 0 });
    const edited = (await getBroadcast(a, reportKey(e.broadcastId)))!;
    expect(edited).toMatchObject({ id: report.id, version: 2 });
    expect(await deliveriesOf(a, report.id)).toEqual([expect.objectContaining({ conversationId: 'p-sec', status: 'pending', activityId: 'act-p-sec' })]);
  });

  it('with nobody in the secretariat reachable, the report is marked done and only logged', async () => {
    const e = await enqueueBroadcast(a, { kind: 'agenda', key: 'agenda:m2', targets: ['c0'], message: { text: 'dagsorden' }, report: { startedBy: null } });
    await deliverAll();
    const [q] = await queueDueReports(a, { secretariat: ['aad-nobody'] });
    expect(q).toMatchObject({ broadcastId: e.broadcastId, reportBroadcastId: null, recipients: [] });
    expect(await getBroadcast(a, reportKey(e.broadcastId))).toBeNull();
    expect(await queueDueReports(a, S)).toEqual([]); // once: not re-sent when someone joins later
  });
});
