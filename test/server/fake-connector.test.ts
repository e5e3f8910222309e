import pino from 'pino';
import { TeamsInfo, MessageFactory, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BOT, CHANNEL_ID, TEAM_ID, TENANT_ID } from '../support/bot-client';

/**
 * The fake connector against botbuilder's own client (proactive sends through the real adapter in local
 * mode): the shapes it answers are the ones botbuilder expects, and the injection hooks work.
 */

let db: Db;
let server: RunningServer;
let connector: FakeConnector;

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  connector = await startFakeConnector();
  server = await startServer(loadConfig({}), { port: 0, db, log: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});
beforeEach(() => connector.reset());

const channelRef = () => ({
  channelId: 'msteams',
  serviceUrl: connector.url,
  conversation: { id: CHANNEL_ID, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID, name: '' },
  bot: { ...BOT },
});

async function inChannel<T>(fn: (ctx: TurnContext) => Promise<T>): Promise<T> {
  let out: T;
  await server.bot.continueConversation(channelRef(), async (ctx) => {
    // Teams puts the team and channel in channelData; a stored reference has them on the activity
    ctx.activity.channelData = { team: { id: TEAM_ID }, channel: { id: CHANNEL_ID }, tenant: { id: TENANT_ID } };
    out = await fn(ctx);
  });
  return out!;
}

test('send (a proactive send is a reply to the continuation id), update and delete are recorded with ids', async () => {
  const id = await inChannel(async (ctx) => {
    const r = await ctx.sendActivity('Dagsorden udsendt');
    await ctx.updateActivity({ ...MessageFactory.text('Dagsorden ændret'), id: r!.id });
    await ctx.deleteActivity(r!.id);
    return r!.id;
  });
  expect(connector.calls.map((c) => c.kind)).toEqual(['reply', 'update', 'delete']);
  expect(connector.calls[1].activityId).toBe(id);
  expect(connector.calls[1].body.text).toBe('Dagsorden ændret');
  expect(connector.calls[0].conversationId).toBe(CHANNEL_ID);
});

test('a new channel thread (createConversation with channelData.channel) gets "<channel>;messageid=<id>"', async () => {
  // TeamsInfo.sendMessageToTeamsChannel needs an app id with CloudAdapter; in local mode use the turn's connector client
  const res = await inChannel(async (ctx) => {
    const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as ConnectorClient;
    return client.conversations.createConversation({ isGroup: true, channelData: { channel: { id: CHANNEL_ID } }, activity: MessageFactory.text('Nyt referat') as never } as never);
  });
  const create = connector.calls.find((c) => c.kind === 'create')!;
  expect(create.body.channelData.channel.id).toBe(CHANNEL_ID);
  expect(create.body.activity.text).toBe('Nyt referat');
  expect(res.id).toBe(`${CHANNEL_ID};messageid=${res.activityId}`);
});

test('paged members come in pages with a continuation token', async () => {
  const members = Array.from({ length: 5 }, (_, i) => ({ id: `29:m${i}`, name: `Medlem ${i}`, aadObjectId: `aad-m${i}` }));
  connector.setMembers(TEAM_ID, members); // in a team, TeamsInfo asks for the team's members
  const pages = await inChannel(async (ctx) => {
    const out: string[][] = [];
    let token: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(ctx, 2, token);
      out.push(page.members.map((m) => m.aadObjectId!));
      token = page.continuationToken;
    } while (token);
    return out;
  });
  expect(pages).toEqual([['aad-m0', 'aad-m1'], ['aad-m2', 'aad-m3'], ['aad-m4']]);
});

test('interceptors inject a 429 with Retry-After (botbuilder retries by itself), a 403 and a delay', async () => {
  let n = 0;
  const remove = connector.intercept((call) => {
    if (call.kind !== 'send' && call.kind !== 'reply') return undefined;
    n++;
    if (n === 1) return { status: 429, headers: { 'Retry-After': '1' }, body: { error: { code: 'TooManyRequests' } } };
    if (n === 3) return { status: 403, body: { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } } };
    if (n === 4) return { delayMs: 50 };
    return undefined;
  });
  const errors = await inChannel(async (ctx) => {
    const out: Array<{ status?: number; code?: string }> = [];
    for (const text of ['efter 429', 'blokeret', 'forsinket']) {
      try {
        await ctx.sendActivity(text);
      } catch (e) {
        // a RestError: statusCode, code, response.bodyAsText
        const err = e as { statusCode?: number; code?: string; response?: { bodyAsText?: string } };
        out.push({ status: err.statusCode, code: err.code ?? JSON.parse(err.response?.bodyAsText ?? '{}').error?.code });
      }
    }
    return out;
  });
  remove();
  expect(errors).toEqual([{ status: 403, code: 'ConversationBlockedByUser' }]);
  expect(connector.calls.map((c) => c.status)).toEqual([429, 200, 403, 200]);
  const [first, second] = connector.calls;
  expect(second.at - first.at).toBeGreaterThanOrEqual(900); // Retry-After: 1 was honoured
  expect(connector.messages().map((a) => a.text)).toEqual(['efter 429', 'forsinket']);
});

test('waitForMessages resolves on arrival and times out otherwise', async () => {
  const waiting = connector.waitForMessages(CHANNEL_ID, 1, 5000);
  await inChannel((ctx) => ctx.sendActivity('hej'));
  expect((await waiting)[0].text).toBe('hej');
  await expect(connector.waitForMessages('a:nobody', 1, 100)).rejects.toThrow(/timed out/);
});
