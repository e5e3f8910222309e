import fs from 'fs';
import path from 'path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { MANIFEST_DIR } from '../../src/tab/manifest';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, cardOf, cardText, invoke, personalMessage, PERSONAL_CONVERSATION, type Activity } from '../support/bot-client';
import { NOW, openTabProcedure, seedTabMeetings, VOTERS, voteAll } from './fixture';

/**
 * The message extension "Søg i beslutninger" and the tab's chat commands over the Bot Framework protocol:
 * the real server (local mode) with the real question engine over fictional meetings, a fake connector.
 */

let db: Db;
let config: Config;
let server: RunningServer;
let connector: FakeConnector;
let client: BotClient;
const ME = { id: '29:user-frida', name: 'Frida Fjord', aadObjectId: VOTERS[0].aadObjectId };

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  await seedTabMeetings(db);
  connector = await startFakeConnector();
  config = loadConfig({});
  server = await startServer(config, { port: 0, db, now: () => NOW, log: pino({ level: 'silent' }) });
  client = new BotClient(server.url, connector);
});

afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});

const query = (value: string | undefined, extra: Record<string, unknown> = {}) =>
  invoke('composeExtension/query', {
    commandId: 'searchDecisions',
    parameters: value === undefined ? [{ name: 'initialRun', value: 'true' }] : [{ name: 'query', value }],
    queryOptions: { skip: 0, count: 25 },
    ...extra,
  }, { user: ME });

describe('composeExtension/query', () => {
  test('a topic returns decision cards (item, decision, source) with list previews', async () => {
    const res = await client.send(query('Granhøj'));
    expect(res.status).toBe(200);
    const ce = res.body.composeExtension;
    expect(ce.type).toBe('result');
    expect(ce.attachmentLayout).toBe('list');
    expect(ce.attachments.length).toBeGreaterThanOrEqual(2); // the 2026 and the 2025 rates
    const [first, second] = ce.attachments;
    expect(first.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expectValidCard(first.content);
    expect(first.content.version).toBe('1.5');
    const text = cardText(first.content);
    expect(text).toContain('2. Takster for botilbuddet Granhøj 2026');
    expect(text).toContain('Forummet godkendte, at taksten for Granhøj hæves med 2,5 procent fra 1. januar 2026.');
    expect(text).toContain('Godkendt');
    expect(text).toMatch(/Kilde: Socialdirektørforum, møde 1\. oktober 2025, punkt 2/);
    expect(first.preview).toEqual({
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: expect.objectContaining({ title: '2. Takster for botilbuddet Granhøj 2026', subtitle: 'Socialdirektørforum · 2025-10-01' }),
    });
    expectValidCard(second.content);
    expect(cardText(second.content)).toMatch(/Udsat/);
    expect(cardText(second.content)).toMatch(/5\. september 2024, punkt 4/);
  });

  test('English locale gets English labels', async () => {
    const a = query('Granhøj');
    a.locale = 'en-GB';
    const res = await client.send(a);
    const card = res.body.composeExtension.attachments[0].content;
    expect(cardText(card)).toMatch(/Decision/);
    expect(cardText(card)).toMatch(/Source: Socialdirektørforum, meeting 1 October 2025, item 2/);
  });

  test('no topic yet (initial run or one letter) asks for one', async () => {
    for (const a of [query(undefined), query('g')]) {
      const res = await client.send(a);
      expect(res.status).toBe(200);
      expect(res.body.composeExtension).toEqual({ type: 'message', text: expect.stringMatching(/Skriv et emne/) });
    }
  });

  test('a topic the minutes do not cover says so', async () => {
    const res = await client.send(query('månelandingsfartøjer'));
    expect(res.status).toBe(200);
    expect(res.body.composeExtension.type).toBe('message');
    expect(res.body.composeExtension.text).toMatch(/kan ikke finde en beslutning om »månelandingsfartøjer«/);
  });

  test('an unknown command id is a 400', async () => {
    const res = await client.send(query('Granhøj', { commandId: 'somethingElse' }));
    expect(res.status).toBe(400);
  });
});

describe('chat commands of the command menu', () => {
  /** The bot's reply to `text` (the procedure's own card may also arrive in the chat meanwhile: skipped). */
  const ask = async (text: string) => {
    const { replies } = await client.ask(personalMessage(text, { user: ME }));
    return replies.filter((r: Activity) => r.type === 'message');
  };
  const lastText = (replies: Activity[]) => replies.filter((r) => typeof r.text === 'string' && r.text).slice(-1)[0] ?? {};

  test('"søg beslutning <emne>" answers from the minutes with the answer card', async () => {
    const card = (await ask('søg beslutning granhøj')).map(cardOf).find(Boolean);
    expect(card).toBeDefined();
    expectValidCard(card);
    expect(cardText(card)).toContain('Forummet godkendte, at taksten for Granhøj hæves med 2,5 procent fra 1. januar 2026.');
  });

  test('"søg beslutning" alone asks for a topic', async () => {
    expect(lastText(await ask('søg beslutning')).text).toMatch(/Skriv et emne/);
  });

  test('"mine afstemninger" lists my open procedures and whether I have voted', async () => {
    const none = lastText(await ask('mine afstemninger'));
    expect(none.text).toBe('Du har ingen åbne skriftlige procedurer.');
    const id = await openTabProcedure(db, config);
    const open = lastText(await ask('mine afstemninger'));
    expect(open.text).toMatch(/Skriftlig procedure om fælles indkøbsaftale \(Socialdirektørforum\) – frist 1\. december 2026 kl\. 12[.:]00 – mangler din stemme \(0 af 2 punkter besvaret\)/);
    await voteAll(db, config, id, ME.aadObjectId);
    const voted = lastText(await ask('mine afstemninger'));
    expect(voted.text).toMatch(/indkøbsaftale .* – du har stemt/);
  });

  test('every command in the manifest reaches a handler: a registered command, or a question the engine answers', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, 'manifest.json'), 'utf8'));
    const titles = new Set<string>(manifest.bots[0].commandLists.flatMap((l: { commands: Array<{ title: string }> }) => l.commands.map((c) => c.title)));
    const commands = server.bot.listCommands();
    const examples = (t: string) => [t, `${t} Socialdirektørforum`, `${t} sdf-2026-12-10`, `${t} sp-20261122-abc123`, `${t}: Frida Fjord`, `${t} Frida Fjord`];
    const unhandled: string[] = [];
    for (const title of titles) {
      const byCommand = examples(title).some((x) => commands.some((c) => c.match.test(x)));
      if (byCommand) continue;
      const answer = await server.deps.questions.answer({ question: title, now: NOW, lang: 'da' });
      if (!answer.answered) unhandled.push(title);
    }
    expect(unhandled).toEqual([]);
    expect(PERSONAL_CONVERSATION).toBeTruthy();
  });
});
