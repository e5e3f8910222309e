import fs from 'fs';
import path from 'path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';
import { deliveriesReport, getBroadcast, getConversation, listConversations, linkConversations } from '../../src/broadcasts';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { adaptiveCardAction, BotClient, botAdded, cardOf, cardText, channelMessage, installationUpdate, personalMessage, personalConversationId, TENANT_ID, USER, type Activity } from '../support/bot-client';
import { FICTIONAL_MEETING, seedFictional } from '../server/fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeIcal = require('node-ical');

/**
 * Broadcasts over the real protocol: the real server (local mode) with its delivery worker, a fake Bot
 * Connector on loopback that enforces Teams' limits and injects 429 (Retry-After), 503 and slow answers,
 * and installation activities for many channels. Every target must get exactly one message.
 */

jest.setTimeout(180_000);

const SECRETARY = { id: '29:user-sec', name: 'Sekretær Sofie', aadObjectId: 'aad-secretary' };
const MEMBERS = Array.from({ length: 6 }, (_, i) => ({ id: `29:member-${i}`, name: `Medlem ${i}`, aadObjectId: `aad-member-${i}` }));
const TEAMS = 24;
const teamId = (i: number) => `19:team-${i}@thread.tacv2`;

let db: Db;
let server: RunningServer;
let connector: FakeConnector;
let client: BotClient;
let minutesId: string;

function inTeam(a: Activity, i: number): Activity {
  const id = teamId(i);
  return {
    ...a,
    conversation: { ...a.conversation, id: a.type === 'message' ? `${id};messageid=${Date.now()}` : id },
    channelData: { ...a.channelData, team: { id, name: `Team ${i}` }, channel: { id, name: 'General' } },
  };
}

const createsIn = (channel: string) => connector.calls.filter((c) => c.kind === 'create' && c.body?.channelData?.channel?.id === channel && (c.status ?? 200) < 300);

/** Sends a command and returns the bot's text answer (cards a broadcast delivers meanwhile are skipped). */
async function askText(a: Activity): Promise<string> {
  const conv = a.conversation.id as string;
  const before = connector.messages(conv).length;
  await client.send(a);
  let found: string | undefined;
  await connector.waitFor(() => !!(found = connector.messages(conv).slice(before).find((m) => typeof m.text === 'string' && m.text)?.text), 15_000);
  return found!;
}

/** Sends and waits for the bot's reply that matches `pred` (delivery reports pushed to the secretariat may arrive in between). */
async function askFor(a: Activity, pred: (m: Activity) => boolean): Promise<Activity> {
  const conv = a.conversation.id as string;
  const before = connector.messages(conv).length;
  expect((await client.send(a)).status).toBeLessThan(300);
  let found: Activity | undefined;
  await connector.waitFor(() => !!(found = connector.messages(conv).slice(before).find(pred)), 15_000);
  return found!;
}

async function until(pred: () => Promise<boolean> | boolean, timeoutMs = 45_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  minutesId = await seedFictional(db);
  connector = await startFakeConnector({ limits: true, faults: { rate429: 0.1, rate503: 0.1, slowRate: 0.1, slowMs: 300, retryAfterSeconds: 1, seed: 7 } });
  server = await startServer(
    loadConfig({
      SECRETARIAT_AAD_IDS: SECRETARY.aadObjectId,
      PUBLIC_BASE_URL: 'http://127.0.0.1:1',
      MEETING_REMINDER_OFFSETS: '1d',
      BROADCAST_MAX_ATTEMPTS: '8',
    }),
    { port: 0, db, log: pino({ level: process.env.BCAST_LOG ?? 'silent' }, pino.destination(2)) },
  );
  client = new BotClient(server.url, connector);
  // the bot is installed in many teams (Teams sends installationUpdate and conversationUpdate) and in personal chats
  for (let i = 0; i < TEAMS; i++) {
    expect((await client.send(inTeam(installationUpdate({ scope: 'team', user: SECRETARY }), i))).status).toBeLessThan(300);
    expect((await client.send(inTeam(botAdded({ scope: 'team', user: SECRETARY }), i))).status).toBeLessThan(300);
  }
  for (const u of [SECRETARY, ...MEMBERS]) await client.send(installationUpdate({ user: u }));
});

afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});

describe('conversation references', () => {
  test('every channel and personal chat the bot was installed in is stored once', async () => {
    const list = await listConversations(db);
    const channels = list.filter((c) => c.type === 'channel');
    const personal = list.filter((c) => c.type === 'personal');
    expect(channels).toHaveLength(TEAMS);
    expect(new Set(channels.map((c) => c.id))).toEqual(new Set(Array.from({ length: TEAMS }, (_, i) => teamId(i))));
    expect(channels[0]).toMatchObject({ tenantId: TENANT_ID, status: 'active' });
    expect(channels[0].reference).toMatchObject({ conversation: { id: channels[0].id }, serviceUrl: connector.url });
    expect(personal.map((c) => c.aadObjectId).sort()).toEqual([SECRETARY, ...MEMBERS].map((u) => u.aadObjectId).sort());
  });

  test('"tilknyt" links a channel for the secretariat only', async () => {
    const refused = await client.ask(inTeam(channelMessage('tilknyt Direktørforum Vadehavet', { user: USER }), 0));
    expect(refused.replies[0].text).toMatch(/kun bruges af forummets sekretariat/);
    expect((await getConversation(db, teamId(0)))?.forums).toEqual([]);
    const ok = await client.ask(inTeam(channelMessage('tilknyt Direktørforum Vadehavet', { user: SECRETARY }), 0));
    expect(ok.replies[0].text).toMatch(/tilknyttet Direktørforum Vadehavet/);
    const unknown = await client.ask(inTeam(channelMessage('tilknyt Intet Sådant Forum', { user: SECRETARY }), 1));
    expect(unknown.replies[0].text).toMatch(/kender ikke forummet/);
    // the rest as `forumbot link` does it, leaving the last four teams unlinked
    await linkConversations(db, Array.from({ length: TEAMS - 5 }, (_, i) => teamId(i + 1)), 'Direktørforum Vadehavet', 'cli');
    expect((await getConversation(db, teamId(3)))?.forums.length).toBe(1);
  });
});

describe('minutes summary', () => {
  const linked = () => Array.from({ length: TEAMS - 4 }, (_, i) => teamId(i));

  test('"post referat" posts one summary card per linked channel, through 429s, 503s and slow answers', async () => {
    expect(await askText(personalMessage(`post referat ${minutesId}`, { user: SECRETARY }))).toMatch(/postet i 20 kanaler/);
    const b = await getBroadcast(db, `minutes:${minutesId}`);
    expect(b).not.toBeNull();
    await until(async () => (await deliveriesReport(db, b!.id)).done);
    const report = await deliveriesReport(db, b!.id);
    expect(report.counts).toEqual({ total: 20, sent: 20, failed: 0, pending: 0 });
    for (const ch of linked()) expect(createsIn(ch)).toHaveLength(1);
    for (let i = TEAMS - 4; i < TEAMS; i++) expect(createsIn(teamId(i))).toHaveLength(0);
    expect(connector.injected.r429 + connector.injected.r503).toBeGreaterThan(0);
    expect(connector.limitViolations).toBe(0);
    const card = createsIn(teamId(0))[0].body.activity.attachments[0].content;
    expectValidCard(card);
    expect(cardText(card)).toContain('Takstændring på bostedet Klitrosen');
    expect(cardText(card)).toContain('Godkendt');
    // the report's activity ids are the posted messages
    const t0 = report.targets.find((t) => t.conversationId === teamId(0))!;
    expect(t0.activityId).toBe(createsIn(teamId(0))[0].responseId?.split('=').pop());

    // "Vis hele referatet" opens a dialog (minutes-dialog.test.ts); the page is in the fallback text
    expect((card.actions as Array<{ type: string }>)[0].type).toBe('Action.Submit');
    const url = new URL(/https?:\/\/\S+\/api\/minutes\/[A-Za-z0-9_-]+/.exec(String(card.fallbackText))![0]);
    const page = await fetch(`${server.url}${url.pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Forummet godkendte en takststigning på 4 procent');
  });

  test('posting again changes nothing; re-importing the same file does not post again', async () => {
    const before = connector.calls.length;
    expect(await askText(personalMessage(`post referat ${minutesId}`, { user: SECRETARY }))).toMatch(/allerede postet/);
    const r = await importDocument(db, { data: Buffer.from(`fictional minutes ${FICTIONAL_MEETING.title}`), fileName: 'vadehavet-2025-03-12.txt' }, { parse: async () => FICTIONAL_MEETING });
    expect(r.result).toBe('unchanged');
    await new Promise((res) => setTimeout(res, 1500));
    expect(connector.calls.slice(before).filter((c) => c.kind === 'create' || c.kind === 'update')).toHaveLength(0);
  });

  test('changed minutes update the posted cards in place (updateActivity), not a new post', async () => {
    const creates = connector.calls.filter((c) => c.kind === 'create' && (c.status ?? 200) < 300).length;
    const changed: Meeting = {
      ...FICTIONAL_MEETING,
      items: FICTIONAL_MEETING.items.map((i) => (i.number === 2 ? { ...i, decision: 'Forummet udsatte takststigningen til efteråret.', outcome: 'postponed' as const } : i)),
    };
    const r = await importDocument(db, { data: Buffer.from('fictional minutes, corrected'), fileName: 'vadehavet-2025-03-12-rettet.txt' }, { parse: async () => changed });
    expect(r).toMatchObject({ meetingId: minutesId, result: 'updated' });
    const okUpdates = () => connector.calls.filter((c) => c.kind === 'update' && (c.status ?? 200) < 300);
    await until(() => new Set(okUpdates().map((c) => c.conversationId!.split(';')[0])).size === 20);
    expect(connector.calls.filter((c) => c.kind === 'create' && (c.status ?? 200) < 300)).toHaveLength(creates);
    const last = okUpdates().find((c) => c.conversationId!.startsWith(teamId(0)))!;
    expect(cardText(last.body.attachments[0].content)).toContain('Udsat');
    expect(last.activityId).toBe(createsIn(teamId(0))[0].responseId?.split('=').pop());
  });
});

describe('agenda, calendar and reminders', () => {
  let agendaId: string;
  test('"send dagsorden … personligt" reaches linked channels and members, once each; the card links a valid .ics', async () => {
    const start = new Date(Date.now() + 86_400_000 + 4_000); // the 1-day reminder is due in 4 s
    const meeting: Meeting = {
      ...FICTIONAL_MEETING,
      title: 'Møde i Direktørforum Vadehavet (dagsorden)',
      status: 'agenda',
      start: start.toISOString().replace(/\.\d+Z$/, 'Z'),
      end: null,
      items: FICTIONAL_MEETING.items.map((i) => ({ ...i, decision: null, outcome: null })),
    };
    const r = await importDocument(db, { data: Buffer.from(`agenda ${start.toISOString()}`), fileName: 'dagsorden.txt' }, { parse: async () => meeting });
    agendaId = r.meetingId!;
    expect(await askText(personalMessage(`send dagsorden ${agendaId} personligt`, { user: SECRETARY }))).toMatch(/på vej til 20 kanaler og 7 personlige chats/);
    const b = await getBroadcast(db, `agenda:${agendaId}`);
    await until(async () => (await deliveriesReport(db, b!.id)).done);
    expect((await deliveriesReport(db, b!.id)).counts).toMatchObject({ total: 27, sent: 27 });
    for (const u of [SECRETARY, ...MEMBERS]) {
      const got = connector.messages(personalConversationId(u)).filter((a) => cardText(cardOf(a)).includes('Dagsorden ·'));
      expect(got).toHaveLength(1);
      expectValidCard(cardOf(got[0]));
    }
    const card = createsIn(teamId(0)).map((c) => c.body.activity.attachments[0].content).find((c) => cardText(c).includes('Dagsorden ·'))!;
    expect(cardText(card)).toContain('Indstilling: Det indstilles, at taksten hæves med 4 procent fra 1. juli 2025.');
    const icsUrl = new URL((card.actions as Array<{ url: string }>)[0].url);
    expect(icsUrl.pathname).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{32}\.ics$/);
    const res = await fetch(`${server.url}${icsUrl.pathname}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const ev = Object.values(nodeIcal.sync.parseICS(await res.text())).find((c: any) => c.type === 'VEVENT') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(new Date(ev.start).getTime()).toBe(Math.floor(start.getTime() / 1000) * 1000);
    expect(ev.location).toBe(FICTIONAL_MEETING.location);
    expect(ev.description).toContain('Takstændring på bostedet Klitrosen');
    expect((await fetch(`${server.url}/api/calendar/not-a-real-token-aaaaaaaaaaaaaaaa.ics`)).status).toBe(404);
  });

  test('a changed agenda edits the posted cards', async () => {
    const agendaPosts = () => connector.calls.filter((c) => c.kind === 'create' && (c.status ?? 200) < 300 && cardText(c.body.activity?.attachments?.[0]?.content).includes('Dagsorden ·')).length;
    const before = agendaPosts();
    expect(before).toBe(20);
    const m = (await db.query<{ data: Meeting; start_local: string }>('select data, start_local from meetings where id = $1', [agendaId])).rows[0];
    const changed: Meeting = { ...m.data, start: m.start_local, location: 'Havnehuset, Kajen 3, 6700 Esbjerg' };
    await importDocument(db, { data: Buffer.from('agenda with a new place'), fileName: 'dagsorden-2.txt' }, { parse: async () => changed });
    await until(() => connector.calls.filter((c) => c.kind === 'update' && (c.status ?? 200) < 300 && cardText(c.body.attachments?.[0]?.content).includes('Havnehuset')).length === 27);
    expect(agendaPosts()).toBe(before);
  });

  test('the reminder goes out once, a day before, to the channels and the members who got the agenda', async () => {
    const b = () => getBroadcast(db, `reminder:${agendaId}:86400000`);
    await until(async () => !!(await b()) && (await deliveriesReport(db, (await b())!.id)).done, 30_000);
    const r = await deliveriesReport(db, (await b())!.id);
    expect(r.counts).toMatchObject({ total: 27, sent: 27, failed: 0 });
    const reminders = connector.messages(personalConversationId(MEMBERS[0])).filter((a) => cardText(cardOf(a)).includes('Påmindelse'));
    expect(reminders).toHaveLength(1);
    expect(cardText(cardOf(reminders[0]))).toContain('mødet er i morgen');
  });
});

describe('importing from chat', () => {
  test('the secretariat sends a file: it is imported and answered with what was read', async () => {
    const file = path.join(__dirname, '..', '..', 'samples', 'upcoming-sfv-dagsorden.txt');
    const url = connector.serveFile('dagsorden.txt', fs.readFileSync(file), 'text/plain');
    const attachment = { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'dagsorden.txt', content: { downloadUrl: url, uniqueId: 'u1', fileType: 'txt' } };
    const reply = await askFor(personalMessage('', { user: SECRETARY, attachments: [attachment] }), (m) => cardText(cardOf(m)).includes('Dokument læst'));
    const card = cardOf(reply);
    expect(card).toBeDefined();
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('dagsorden.txt');
    expect(text).toMatch(/Punkter/);
    const actions = card!.actions as Array<{ verb: string; data: { meetingId: string; personal: boolean } }>;
    expect(actions.map((a) => a.verb)).toContain('broadcasts.sendAgenda');
    // pressing the button: the secretariat gets an answer, anyone else a refusal (Universal Actions, HTTP 200)
    const press = actions.find((a) => a.verb === 'broadcasts.sendAgenda')!;
    const ok = await client.send(adaptiveCardAction(press.verb, press.data, { user: SECRETARY }));
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.activity.message' });
    expect(String(ok.body.value)).toMatch(/Ingen kanal er tilknyttet|på vej til/);
    const refused = await client.send(adaptiveCardAction(press.verb, press.data, { user: MEMBERS[1] }));
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ statusCode: 403, type: 'application/vnd.microsoft.error' });
  });

  test('an unreadable file gets a clear answer and nothing is stored; others are refused politely', async () => {
    const docs = async () => (await db.query<{ n: number }>('select count(*)::int n from documents')).rows[0].n;
    const before = await docs();
    const url = connector.serveFile('referat.pdf', Buffer.from('%PDF-1.4 this is not really a pdf \x00\x01\x02'), 'application/pdf');
    const attachment = { contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'referat.pdf', content: { downloadUrl: url, fileType: 'pdf' } };
    const reply = await askFor(personalMessage('', { user: SECRETARY, attachments: [attachment] }), (m) => typeof m.text === 'string' && !!m.text);
    expect(reply.text).toMatch(/kunne ikke læse »referat\.pdf«.*Intet er gemt/);
    expect(await docs()).toBe(before);
    const other = await client.ask(personalMessage('', { user: MEMBERS[0], attachments: [attachment] }));
    expect(other.replies[0].text).toMatch(/kun modtage dagsordener og referater fra sekretariatet/);
  });
});

describe('blocked and removed', () => {
  test('403 MessageWritesBlocked is final, reported, and blocks the conversation; uninstall marks removed', async () => {
    const blockedChannel = teamId(5);
    const off = connector.intercept((c) =>
      c.kind === 'create' && c.body?.channelData?.channel?.id === blockedChannel
        ? { status: 403, body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked', message: 'Bot is blocked' } } }
        : undefined,
    );
    try {
      const other = (await importDocument(db, { data: Buffer.from('another minutes'), fileName: 'm2.txt' }, { parse: async () => ({ ...FICTIONAL_MEETING, start: '2025-04-02T09:00:00+02:00', end: null, title: 'Møde 2. april' }) })).meetingId!;
      const id = /leveringsrapport (b_\S+)«/.exec(await askText(personalMessage(`post referat ${other}`, { user: SECRETARY })))![1];
      await until(async () => (await deliveriesReport(db, id)).done);
      const r = await deliveriesReport(db, id);
      expect(r.counts).toMatchObject({ total: 20, sent: 19, failed: 1 });
      const failed = r.targets.find((t) => t.status === 'failed')!;
      expect(failed.conversationId).toBe(blockedChannel);
      expect(failed.reason).toContain('MessageWritesBlocked');
      expect((await getConversation(db, blockedChannel))?.status).toBe('blocked');
      // the report card for the secretariat (reports pushed for earlier broadcasts may arrive in the same chat first)
      const ask = personalMessage(`leveringsrapport ${id}`, { user: SECRETARY });
      const conv = ask.conversation.id as string;
      const before = connector.messages(conv).length;
      await client.send(ask);
      let card: ReturnType<typeof cardOf>;
      await until(async () => !!(card = connector.messages(conv).slice(before).map(cardOf).find((c) => c && cardText(c).includes('MessageWritesBlocked'))));
      expectValidCard(card);
      expect(cardText(card)).toMatch(/Fejlet\s+1\b/);
    } finally {
      off();
    }
    await client.send(inTeam(installationUpdate({ scope: 'team', action: 'remove', user: SECRETARY }), 7));
    expect((await getConversation(db, teamId(7)))?.status).toBe('removed');
  });
});
