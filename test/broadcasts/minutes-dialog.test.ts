import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';
import { deliveriesReport, fullMinutesCard, getBroadcast, MAX_DIALOG_CARD_BYTES } from '../../src/broadcasts';
import { getMeeting } from '../../src/store/meetings';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, botAdded, cardText, CHANNEL_ID, channelMessage, installationUpdate, invoke, personalMessage, type Activity } from '../support/bot-client';
import { FICTIONAL_MEETING, seedFictional } from '../server/fixture';

/**
 * "Vis hele referatet" over the real protocol: the summary card posted to a channel carries an Action.Submit
 * with msteams.type task/fetch; the bot answers the task/fetch invoke with a dialog (task module) holding
 * the whole minutes as an Adaptive Card, or, when that card would be too large for Teams, the minutes page.
 */

jest.setTimeout(60_000);

const SECRETARY = { id: '29:user-sec', name: 'Sekretær Sofie', aadObjectId: 'aad-secretary' };
const MEMBER = { id: '29:member-1', name: 'Medlem Mads', aadObjectId: 'aad-member-1' };
const BASE = 'https://forumbot.example';

let db: Db;
let server: RunningServer;
let connector: FakeConnector;
let client: BotClient;
let minutesId: string;

type Card = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function until(pred: () => Promise<boolean> | boolean, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Posts the minutes summary of `meetingId` to the linked channel and returns the card as the channel got it. */
async function postedSummary(meetingId: string, title: string): Promise<Card> {
  const conv = personalMessage('', { user: SECRETARY }).conversation.id as string;
  const before = connector.messages(conv).length;
  await client.send(personalMessage(`post referat ${meetingId}`, { user: SECRETARY }));
  // the reply (a delivery report pushed for an earlier post may arrive in between)
  await connector.waitFor(() => connector.messages(conv).slice(before).some((m) => /postet i 1 kanal/.test(m.text ?? '')));
  const b = await getBroadcast(db, `minutes:${meetingId}`);
  await until(async () => (await deliveriesReport(db, b!.id)).done);
  const posts = connector.calls
    .filter((c) => c.kind === 'create' && (c.status ?? 200) < 300 && c.body?.channelData?.channel?.id === CHANNEL_ID)
    .map((c) => c.body.activity.attachments[0].content as Card)
    .filter((c) => c.fallbackText.startsWith(`Referat: ${title}.`));
  expect(posts).toHaveLength(1);
  return posts[0];
}

/** The task/fetch Teams sends when "Vis hele referatet" is pressed in the channel: value.data is the button's data. */
function pressShowMinutes(card: Card, user = MEMBER): Activity {
  const button = (card.actions as Card[]).find((a) => a.title === 'Vis hele referatet')!;
  expect(button.type).toBe('Action.Submit');
  expect(button.data.msteams).toEqual({ type: 'task/fetch' });
  return invoke('task/fetch', { data: button.data, context: { theme: 'default' } }, { user, channel: true });
}

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  minutesId = await seedFictional(db);
  connector = await startFakeConnector({ limits: true });
  server = await startServer(loadConfig({ SECRETARIAT_AAD_IDS: SECRETARY.aadObjectId, PUBLIC_BASE_URL: BASE }), {
    port: 0,
    db,
    log: pino({ level: process.env.BCAST_LOG ?? 'silent' }, pino.destination(2)),
  });
  client = new BotClient(server.url, connector);
  await client.send(installationUpdate({ scope: 'team', user: SECRETARY }));
  await client.send(botAdded({ scope: 'team', user: SECRETARY }));
  await client.send(installationUpdate({ user: SECRETARY }));
  const linked = await client.ask(channelMessage(`tilknyt ${FICTIONAL_MEETING.forum}`, { user: SECRETARY }));
  expect(linked.replies[0].text).toMatch(/tilknyttet/);
});

afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});

describe('"Vis hele referatet" opens the full minutes in a Teams dialog', () => {
  test('task/fetch from the posted summary card returns a large dialog with every item in full', async () => {
    const summary = await postedSummary(minutesId, FICTIONAL_MEETING.title!);
    expectValidCard(summary);
    // the summary has one sentence per decision; the background is only in the dialog
    expect(cardText(summary)).not.toContain('Bostedet Klitrosen har øgede udgifter til nattevagter.');

    const res = await client.send(pressShowMinutes(summary));
    expect(res.status).toBe(200);
    expect(res.body.task.type).toBe('continue');
    const value = res.body.task.value;
    expect(value).toMatchObject({ title: FICTIONAL_MEETING.title, width: 'large', height: 'large' });
    expect(value.url).toBeUndefined();
    expect(value.card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = value.card.content as Card;
    expectValidCard(card);
    expect(card.version).toBe('1.5');
    const text = cardText(card);
    // header and attendance
    expect(text).toContain(`Referat · ${FICTIONAL_MEETING.forum}`);
    expect(text).toContain('onsdag den 12. marts 2025 kl. 9.00–12.00');
    expect(text).toContain(FICTIONAL_MEETING.location);
    expect(text).toContain('Deltagere (1)');
    expect(text).toContain('Karen Klit (Havbjerg Kommune)');
    expect(text).toContain('Afbud (1)');
    expect(text).toContain('Per Pøl (Sandby Kommune)');
    // every item's full text: background, recommendation, decision, attachments
    for (const item of FICTIONAL_MEETING.items) {
      expect(text).toContain(`${item.number}. ${item.title}`);
      for (const t of [item.background, item.recommendation, item.decision, ...item.attachments]) if (t) expect(text).toContain(t);
    }
    expect(text).toContain('Godkendt');
    // and the same minutes as a page, for the browser
    const open = (card.actions as Card[]).find((a) => a.type === 'Action.OpenUrl')!;
    expect(open.title).toBe('Åbn i browseren');
    expect(open.url).toMatch(new RegExp(`^${BASE}/api/minutes/[A-Za-z0-9_-]{32}$`));
    expect(summary.fallbackText).toContain(open.url);
    // pressing is read-only: nothing is posted or edited in the channel
    const before = connector.calls.length;
    expect((await client.send(pressShowMinutes(summary, SECRETARY))).body.task.type).toBe('continue');
    expect(connector.calls.slice(before).filter((c) => c.kind === 'create' || (c.conversationId ?? '').startsWith(CHANNEL_ID))).toEqual([]);
  });

  test('an unknown or tampered token gets a short message, not an error', async () => {
    const res = await client.send(invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, action: 'broadcasts.minutes', token: 'x'.repeat(32) } }, { user: MEMBER, channel: true }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ task: { type: 'message', value: 'Referatet findes ikke længere.' } });
    const missing = await client.send(invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, action: 'broadcasts.minutes' } }, { user: MEMBER, channel: true }));
    expect(missing.body).toEqual({ task: { type: 'message', value: 'Referatet findes ikke længere.' } });
  });

  test('minutes too large for a card open the unguessable minutes page in the dialog instead', async () => {
    // long minutes: 14 items with several paragraphs of background each (well over Teams' ~28 KB for a card)
    const para = (n: number, i: number) => `Afsnit ${i} om punkt ${n}: ${'Sekretariatet redegjorde for sagens forløb og de økonomiske konsekvenser for kommunerne. '.repeat(4)}`;
    const long: Meeting = {
      ...FICTIONAL_MEETING,
      title: 'Møde i Direktørforum Vadehavet den 9. april 2025',
      start: '2025-04-09T09:00:00+02:00',
      end: null,
      items: Array.from({ length: 14 }, (_, k) => ({
        number: k + 1,
        title: `Langt punkt ${k + 1}`,
        background: Array.from({ length: 5 }, (_, i) => para(k + 1, i + 1)).join('\n'),
        recommendation: `Det indstilles, at punkt ${k + 1} godkendes.`,
        decision: `Punkt ${k + 1} blev godkendt uden bemærkninger.`,
        outcome: 'approved' as const,
        attachments: [],
      })),
    };
    const r = await importDocument(db, { data: Buffer.from('long minutes'), fileName: 'vadehavet-2025-04-09.txt' }, { parse: async () => long });
    const summary = await postedSummary(r.meetingId!, long.title!);
    expectValidCard(summary);

    const res = await client.send(pressShowMinutes(summary));
    expect(res.status).toBe(200);
    const value = res.body.task.value;
    expect(res.body.task.type).toBe('continue');
    expect(value.card).toBeUndefined();
    expect(value).toMatchObject({ title: long.title, width: 'large', height: 'large' });
    // the page is on PUBLIC_BASE_URL's host, i.e. the manifest's validDomains
    const url = new URL(value.url);
    expect(url.origin).toBe(BASE);
    expect(url.pathname).toMatch(/^\/api\/minutes\/[A-Za-z0-9_-]{32}$/);
    expect(url.searchParams.get('dialog')).toBe('1');
    expect(value.fallbackUrl).toBe(`${BASE}${url.pathname}`);
    expect(summary.fallbackText).toContain(value.fallbackUrl);

    const page = await fetch(`${server.url}${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors [^;]*https:\/\/teams\.microsoft\.com/);
    const html = await page.text();
    for (const item of long.items) expect(html).toContain(item.decision!);
    expect(html).toContain('Afsnit 5 om punkt 14');
    // in the dialog the page loads teams-js and calls app.initialize(), served by the bot itself
    expect(html).toContain('<script src="/tab/vendor/teams-js.js"></script>');
    const init = await fetch(`${server.url}/api/minutes-dialog.js`);
    expect(init.status).toBe(200);
    expect(await init.text()).toContain('app.initialize()');
    expect((await fetch(`${server.url}/tab/vendor/teams-js.js`)).status).toBe(200);
    // the plain page (browser, "Åbn i browseren") has no scripts
    expect(await (await fetch(`${server.url}${url.pathname}`)).text()).not.toContain('<script');
    // the card it replaced was really too large
    const big = fullMinutesCard((await getMeeting(db, r.meetingId!))!, { pageUrl: value.fallbackUrl });
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(MAX_DIALOG_CARD_BYTES);
  });

  test('other dialogs still reach their own capability through the shared task/fetch dispatcher', async () => {
    const res = await client.send(invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, action: 'procedure.form' } }, { user: SECRETARY }));
    expect(res.status).toBe(200);
    expect(res.body.task).toBeDefined();
    expect(JSON.stringify(res.body)).not.toContain('Referatet');
  });
});
