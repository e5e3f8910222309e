import { Writable } from 'stream';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import type { Answer, AskInput } from '../../src/app';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { actionCard } from '../../src/teams/app';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import {
  BotClient,
  BOT,
  botAdded,
  cardOf,
  cardText,
  channelMessage,
  CHANNEL_ID,
  installationUpdate,
  invoke,
  adaptiveCardAction,
  personalMessage,
  personalConversationId,
  PERSONAL_CONVERSATION,
  USER,
  type Activity,
} from '../support/bot-client';
import { FICTIONAL_MEETING, seedFictional } from './fixture';

/**
 * The bot over its HTTP protocol: the real server on a free port (local mode), a fake Bot Connector
 * on loopback, Teams-shaped activities. The question engine is a recording stub here (the glue is under
 * test); test/server/ask-e2e.test.ts runs the real engine.
 */

const SECRETARY = { id: '29:user-sec', name: 'Sekretær Sofie', aadObjectId: 'aad-secretary' };

let db: Db;
let meetingId: string;
let server: RunningServer;
let connector: FakeConnector;
let client: BotClient;
const logLines: Array<Record<string, unknown>> = [];
const asked: AskInput[] = [];
let answerImpl: (input: AskInput) => Promise<Answer>;

const defaultAnswer = async (input: AskInput): Promise<Answer> => ({
  answered: true,
  intent: 'decision',
  text: input.lang === 'en' ? 'The forum approved a 4 percent rate increase.' : 'Forummet godkendte en takststigning på 4 procent fra 1. juli 2025.',
  lang: input.lang ?? 'da',
  sourceLine: null,
  more: [],
  item: null,
  sources: [
    { meetingId, forum: FICTIONAL_MEETING.forum!, meetingTitle: FICTIONAL_MEETING.title, date: '2025-03-12', itemNumber: 2, itemTitle: 'Takstændring på bostedet Klitrosen', excerpt: '…', score: 0.9 },
    { meetingId, forum: FICTIONAL_MEETING.forum!, meetingTitle: FICTIONAL_MEETING.title, date: '2025-03-12', itemNumber: 1, itemTitle: 'Godkendelse af dagsorden', excerpt: '…', score: 0.3 },
  ],
});

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  meetingId = await seedFictional(db);
  connector = await startFakeConnector();
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      cb();
    },
  });
  answerImpl = defaultAnswer;
  server = await startServer(loadConfig({ SECRETARIAT_AAD_IDS: SECRETARY.aadObjectId }), {
    port: 0,
    db,
    log: pino({ level: 'info' }, sink),
    routes: [
      (srv) => {
        srv.get('/test/boom', async () => {
          throw new Error('secret internals: password=hunter2');
        });
        // a plain (req, res) handler: restify 11 alone would refuse it at start-up
        srv.get('/test/plain', (_req: unknown, res: { send(code: number, body: unknown): void }) => {
          res.send(200, { plain: true });
        });
      },
    ],
    questions: {
      answer: async (input) => {
        asked.push(input);
        return answerImpl(input);
      },
    },
  });
  client = new BotClient(server.url, connector);
});

afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});

beforeEach(() => {
  asked.length = 0;
  answerImpl = defaultAnswer;
});

const texts = (acts: Activity[]) => acts.map((a) => a.text ?? '').join('\n');

describe('server', () => {
  test('listens on loopback only in local mode and logs that requests are unauthenticated', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const warn = logLines.find((l) => /LOCAL MODE/.test(String(l.msg)));
    expect(warn).toBeDefined();
    expect(String(warn!.msg)).toMatch(/NOT authenticated/);
  });

  test('route registrars: a throwing route gives a generic 500; plain (req, res) handlers work', async () => {
    const boom = await fetch(`${server.url}/test/boom`);
    expect(boom.status).toBe(500);
    const text = await boom.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text)).toEqual({ code: 'InternalError', message: 'internal error' });
    const plain = await fetch(`${server.url}/test/plain`);
    expect(await plain.json()).toEqual({ plain: true });
    expect((await fetch(`${server.url}/no/such/route`)).status).toBe(404);
  });

  test('a port in use is a clear error', async () => {
    await expect(startServer(loadConfig({}), { port: server.port, db, log: pino({ level: 'silent' }) })).rejects.toThrow(/port \d+ on 127.0.0.1 is already in use/);
  });

  test('GET /api/health pings the store', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', mode: 'local', store: 'pglite' });
  });
});

describe('questions in chat', () => {
  test('a personal message gets the typing indicator, then an answer card with source, full item and other matches', async () => {
    const before = connector.calls.length;
    const { response, replies } = await client.ask(personalMessage('hvad blev besluttet om taksten på Klitrosen?'));
    expect(response.status).toBe(200);
    expect(asked).toEqual([expect.objectContaining({ question: 'hvad blev besluttet om taksten på Klitrosen?', lang: 'da', locale: 'da-DK' })]);

    const sent = connector.calls.slice(before).filter((c) => c.kind === 'reply' || c.kind === 'send');
    expect(sent[0].body.type).toBe('typing');
    expect(replies).toHaveLength(1);
    const reply = replies[0];
    expect(reply.replyToId).toBeDefined();
    expect(reply.conversation.id).toBe(PERSONAL_CONVERSATION);
    // local mode: no token is sent to a loopback connector
    expect(connector.calls.slice(before).every((c) => c.headers.authorization === undefined)).toBe(true);

    const card = cardOf(reply)!;
    expectValidCard(card);
    const all = cardText(card);
    expect(all).toContain('Forummet godkendte en takststigning på 4 procent');
    expect(all).toContain('Kilde: Direktørforum Vadehavet, møde 12. marts 2025, punkt 2: Takstændring på bostedet Klitrosen');
    expect(all).toContain('Andre mulige svar');
    expect(all).toContain('punkt 1: Godkendelse af dagsorden');
    // "Vis hele punktet" opens the whole item, loaded from the store
    const show = (card.actions as Activity[]).find((a) => a.type === 'Action.ShowCard');
    expect(show?.title).toBe('Vis hele punktet');
    const full = cardText(show!.card);
    expect(full).toContain('Bostedet Klitrosen har øgede udgifter til nattevagter.');
    expect(full).toContain('Det indstilles, at taksten hæves med 4 procent fra 1. juli 2025.');
    expect(full).toContain('2a Budget Klitrosen 2025');
    // the plain-text fallback carries the same content
    expect(reply.summary).toContain('Forummet godkendte en takststigning på 4 procent');
    expect(reply.summary).toContain('Kilde: Direktørforum Vadehavet, møde 12. marts 2025, punkt 2');
    expect(card.fallbackText).toBe(reply.summary);
  });

  test('an English question gets English labels; an English Teams locale too', async () => {
    const { replies } = await client.ask(personalMessage('what was decided about the rate at Klitrosen?'));
    expect(asked[0].lang).toBe('en');
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('Source: Direktørforum Vadehavet, meeting 12 March 2025, item 2');
    expect((card.actions as Activity[])[0].title).toBe('Show the full item');

    const r2 = await client.ask(personalMessage('Klitrosen 2025', { locale: 'en-US' }));
    expect(asked[1].lang).toBe('en');
    expect(cardText(cardOf(r2.replies[0]))).toContain('Source:');
  });

  test('an answer the minutes do not hold is said plainly, without a source line', async () => {
    answerImpl = async () => ({ answered: false, intent: 'decision', text: 'Det kan jeg ikke finde i referaterne.', sources: [], lang: 'da', sourceLine: null, more: [], item: null });
    const { replies } = await client.ask(personalMessage('hvad koster en kop kaffe i kantinen?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('Det kan jeg ikke finde i referaterne.');
    expect(cardText(card)).not.toContain('Kilde');
    expect(card.actions ?? []).toHaveLength(0);
  });

  test('when nothing answers, the nearest items are listed as such', async () => {
    const near = { meetingId, forum: FICTIONAL_MEETING.forum!, meetingTitle: null, date: '2025-03-12', itemNumber: 2, itemTitle: 'Takstændring på bostedet Klitrosen', excerpt: '', score: 0.2 };
    answerImpl = async () => ({ answered: false, intent: 'fact', text: 'Det står ikke i referaterne.', sources: [], lang: 'da', sourceLine: null, more: [near], item: null });
    const { replies } = await client.ask(personalMessage('hvor mange nattevagter har Klitrosen?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('Nærmeste punkter');
    expect(cardText(card)).toContain('• Direktørforum Vadehavet, møde 12. marts 2025, punkt 2: Takstændring på bostedet Klitrosen');
    expect(replies[0].summary).toContain('Nærmeste punkter:\n- Direktørforum Vadehavet');
  });

  test('a channel message with an @mention is answered in the thread, without the mention', async () => {
    const msg = channelMessage('hvornår er næste møde?');
    const { replies } = await client.ask(msg);
    expect(asked.map((a) => a.question)).toEqual(['hvornår er næste møde?']);
    expect(replies[0].conversation.id).toBe(msg.conversation.id);
    expect(replies[0].conversation.id).toContain(CHANNEL_ID);
    expectValidCard(cardOf(replies[0]));
  });

  test('a channel message that does not mention the bot is ignored', async () => {
    const msg = channelMessage('hvornår er næste møde?', { mention: false });
    const res = await client.send(msg);
    expect(res.status).toBe(200);
    expect(asked).toHaveLength(0);
    expect(connector.activities(msg.conversation.id)).toHaveLength(0);
  });
});

describe('install and help', () => {
  test('installing the bot in a personal chat sends the welcome card once', async () => {
    const user = { id: '29:new-user', name: 'Ny Direktør', aadObjectId: 'aad-new-user' };
    const conv = personalConversationId(user);
    const { replies } = await client.ask(installationUpdate({ user }));
    expect(replies).toHaveLength(1);
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('Velkommen til forumbot');
    expect(replies[0].summary).toContain('Velkommen til forumbot');
    // Teams also sends conversationUpdate with the bot added: no second welcome
    const res = await client.send(botAdded({ user }));
    expect(res.status).toBe(200);
    expect(connector.messages(conv)).toHaveLength(1);
  });

  test('adding the bot to a team welcomes the channel (with the @mention hint); English locale gives English', async () => {
    const { replies } = await client.ask(botAdded({ scope: 'team', locale: 'en-GB' }));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('Welcome to forumbot');
    expect(cardText(card)).toContain('@mention me');
  });

  test('uninstall gets no message', async () => {
    const user = { id: '29:leaver', name: 'Går', aadObjectId: 'aad-leaver' };
    const res = await client.send(installationUpdate({ user, action: 'remove' }));
    expect(res.status).toBe(200);
    expect(connector.messages(personalConversationId(user))).toHaveLength(0);
  });

  test.each([
    ['hjælp', 'Sådan bruger du forumbot'],
    ['hjaelp', 'Sådan bruger du forumbot'],
    ['Hjælp!', 'Sådan bruger du forumbot'],
    ['help', 'How to use forumbot'],
  ])('"%s" gets the help card with example questions', async (text, title) => {
    const { replies } = await client.ask(personalMessage(text));
    expect(asked).toHaveLength(0);
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain(title);
    expect(cardText(card)).toMatch(title.startsWith('How') ? /when is the next meeting\?/ : /hvornår er næste møde\?/);
    expect(replies[0].summary).toContain(title);
  });

  test('help in a channel with an @mention', async () => {
    const { replies } = await client.ask(channelMessage('hjælp'));
    expect(cardText(cardOf(replies[0]))).toContain('Sådan bruger du forumbot');
  });
});

describe('bad input', () => {
  test.each([
    ['an empty message', ''],
    ['whitespace only', '   \n\t '],
    ['a message without text', undefined],
  ])('%s gets a short hint, not an answer', async (_name, text) => {
    const { response, replies } = await client.ask(personalMessage(text));
    expect(response.status).toBe(200);
    expect(asked).toHaveLength(0);
    expect(replies[0].text).toMatch(/Skriv et spørgsmål/);
  });

  test('only emoji gets a polite "did not understand"', async () => {
    const { replies } = await client.ask(personalMessage('😀🎉👍🏻 ❤️'));
    expect(asked).toHaveLength(0);
    expect(replies[0].text).toMatch(/forstod jeg ikke/);
  });

  test('a 20 kB message is truncated politely', async () => {
    const long = `hvad blev besluttet om taksten ${'meget lang tekst '.repeat(1300)}`;
    expect(Buffer.byteLength(long)).toBeGreaterThan(20_000);
    const { response, replies } = await client.ask(personalMessage(long));
    expect(response.status).toBe(200);
    expect(asked[0].question.length).toBeLessThanOrEqual(1000);
    expect(asked[0].question.startsWith('hvad blev besluttet om taksten')).toBe(true);
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('kun læst de første 1000 tegn');
  });

  test('HTML in a message is stripped before it reaches the question engine', async () => {
    const { replies } = await client.ask(personalMessage('<script>alert(1)</script><b>hvornår</b> er&nbsp;næste møde?'));
    expect(asked[0].question).toBe('alert(1) hvornår er næste møde?');
    expectValidCard(cardOf(replies[0]));
  });

  test('SQL-looking text is just a question', async () => {
    const { response, replies } = await client.ask(personalMessage("'; DROP TABLE meetings; --"));
    expect(response.status).toBe(200);
    expect(asked[0].question).toBe("'; DROP TABLE meetings; --");
    expectValidCard(cardOf(replies[0]));
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from meetings');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  test('an unknown invoke name gets 501 and the server keeps running', async () => {
    const res = await client.send(invoke('no/such-invoke', { x: 1 }));
    expect(res.status).toBe(501);
    const again = await client.send(invoke('composeExtension/unknownThing'));
    expect(again.status).toBe(501);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  test('Action.Execute with an unknown verb gets 200 with a Universal Actions error', async () => {
    const res = await client.send(adaptiveCardAction('no.such.verb', { a: 1 }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: expect.stringMatching(/knap/) } });
  });

  test.each([
    ['malformed JSON', '{"type": "message", "text": "hej', 'application/json'],
    ['a JSON array', '[1, 2, 3]', 'application/json'],
    ['JSON null', 'null', 'application/json'],
    ['no activity type', '{"text": "hej"}', 'application/json'],
    ['a non-string type', '{"type": 7}', 'application/json'],
    ['a text body', 'hvornår er næste møde?', 'text/plain'],
    ['an empty body', '', 'application/json'],
  ])('%s gets 400', async (_name, body, contentType) => {
    const res = await client.post(body, contentType);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
  });

  test.each([
    ['conversation is not an object', { conversation: 'not an object' }],
    ['from is a number', { from: 42 }],
    ['text is a number', { text: 42 }],
    ['no conversation', { conversation: undefined }],
    ['entities is not a list', { entities: 'mention' }],
  ])('an activity whose %s gets 400 and nothing is sent', async (_name, patch) => {
    const before = connector.calls.length;
    const res = await client.send({ ...personalMessage('hej'), ...patch });
    expect(res.status).toBe(400);
    expect(connector.calls.length).toBe(before);
    expect(asked).toHaveLength(0);
  });

  test('a body over 512 kB gets 413', async () => {
    const res = await client.post(JSON.stringify(personalMessage('x'.repeat(600_000))));
    expect(res.status).toBe(413);
  });

  test('a failing question engine gives a short apology, no stack trace, and a log line with the activity id', async () => {
    answerImpl = async () => {
      throw new Error('relation "items" does not exist at Object.query (db.ts:42)');
    };
    const msg = personalMessage('hvornår er næste møde?');
    const { response, replies } = await client.ask(msg);
    expect(response.status).toBe(200);
    expect(replies[0].text).toBe('Beklager, noget gik galt hos mig. Prøv igen om lidt.');
    expect(JSON.stringify(replies)).not.toMatch(/relation|db\.ts|Error/);
    const logged = logLines.find((l) => l.activityId === msg.id && l.level === 50);
    expect(logged).toBeDefined();
    expect(JSON.stringify(logged)).toContain('relation \\"items\\" does not exist');
  });

  test('the server is still healthy after all of it', async () => {
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    const { replies } = await client.ask(personalMessage('hjælp'));
    expectValidCard(cardOf(replies[0]));
  });
});

describe('the registration API over the protocol', () => {
  let calls: string[] = [];
  beforeAll(() => {
    server.bot.command('tilknyt-test', /^tilknyt-test\s+(.+)$/i, async (ctx, m) => {
      calls.push(`tilknyt:${m[1]}`);
      await ctx.sendActivity(`Tilknyttet ${m[1]}`);
    }, { secretariatOnly: true, help: { da: 'test-kommando' } });
    server.bot.actionExecute('test.vote', async (ctx, data) => {
      calls.push(`vote:${ctx.activity.from.aadObjectId}:${JSON.stringify(data)}`);
      return actionCard({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Tak for din stemme' }] });
    });
    server.bot.actionExecute('test.boom', async () => {
      throw new Error('boom');
    });
    server.bot.invoke('test/echo', async (ctx) => ({ status: 200, body: { echo: (ctx.activity.value as { commandId?: string }).commandId } }));
  });
  beforeEach(() => {
    calls = [];
  });

  test('a secretariat-only command refuses others politely and runs for the secretariat', async () => {
    const refused = await client.ask(personalMessage('tilknyt-test Socialdirektørforum'));
    expect(refused.replies[0].text).toBe('Beklager, kommandoen »tilknyt-test« kan kun bruges af forummets sekretariat.');
    expect(calls).toEqual([]);
    const ok = await client.ask(personalMessage('tilknyt-test Socialdirektørforum', { user: SECRETARY }));
    expect(ok.replies[0].text).toBe('Tilknyttet Socialdirektørforum');
    expect(calls).toEqual(['tilknyt:Socialdirektørforum']);
  });

  test('commands win over question answering, and help lists commands only to those who may use them', async () => {
    const forUser = await client.ask(personalMessage('hjælp'));
    expect(cardText(cardOf(forUser.replies[0]))).not.toContain('tilknyt-test');
    const forSecretary = await client.ask(personalMessage('hjælp', { user: SECRETARY }));
    const card = cardOf(forSecretary.replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toContain('**tilknyt-test**: test-kommando');
  });

  test('Action.Execute routes by verb and returns the handler response with HTTP 200', async () => {
    const res = await client.send(adaptiveCardAction('test.vote', { procedureId: 'p1', choice: 'for' }));
    expect(res.status).toBe(200);
    expect(res.body.statusCode).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expectValidCard(res.body.value);
    expect(calls).toEqual([`vote:${USER.aadObjectId}:{"procedureId":"p1","choice":"for"}`]);
  });

  test('a throwing Action.Execute handler gives a 500 error body, not a crash', async () => {
    const res = await client.send(adaptiveCardAction('test.boom'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ statusCode: 500, type: 'application/vnd.microsoft.error' });
    expect(JSON.stringify(res.body)).not.toContain('boom');
  });

  test('other invokes route by name', async () => {
    const res = await client.send(invoke('test/echo', { commandId: 'searchDecisions' }));
    expect(res.status).toBe(200);
    expect(res.body.echo).toBe('searchDecisions');
  });

  test('registering the same verb twice throws', () => {
    expect(() => server.bot.actionExecute('test.vote', async () => actionCard({}))).toThrow(/twice/);
  });
});

describe('proactive sending', () => {
  test('continueConversation reaches the connector in local mode (no token)', async () => {
    const conv = personalConversationId(USER);
    const ref = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: conv, conversationType: 'personal', tenantId: 'tenant-0000', isGroup: false, name: '' },
      bot: { ...BOT },
      user: { id: USER.id, name: USER.name },
    };
    const before = connector.messages(conv).length;
    await server.bot.continueConversation(ref, async (ctx) => {
      await ctx.sendActivity('Påmindelse: møde i morgen kl. 9');
    });
    const msgs = connector.messages(conv).slice(before);
    expect(texts(msgs)).toBe('Påmindelse: møde i morgen kl. 9');
    expect(connector.calls.at(-1)!.headers.authorization).toBeUndefined();
  });
});
