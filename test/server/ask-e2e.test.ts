import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { importFiles } from '../../src/store/import';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, cardOf, cardText, channelMessage, personalMessage } from '../support/bot-client';
import { hasSeeds, seedPath } from '../support/seeds';
import { seedFictional } from './fixture';
import { engines } from '../support/engines';

/** Chat → real question engine → real store (PGlite), over the protocol. */

describe.each(engines())('chat over %s', (engine, dbOptions) => {
  let db: Db;
  let server: RunningServer;
  let connector: FakeConnector;
  let client: BotClient;

  beforeAll(async () => {
    db = await openDb(dbOptions());
    await seedFictional(db);
    if (hasSeeds) await importFiles(db, [seedPath('000'), seedPath('001')]);
    connector = await startFakeConnector();
    server = await startServer(loadConfig({}), { port: 0, db, log: pino({ level: 'silent' }) });
    client = new BotClient(server.url, connector);
  });

  afterAll(async () => {
    await server?.close();
    await connector?.stop();
    await db?.close();
  });

  test('health names the store engine', async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(await res.json()).toMatchObject({ status: 'ok', store: engine === 'postgres' ? 'postgres' : 'pglite' });
  });

  test('a decision question gets the recorded decision with its source and the full item', async () => {
    const { replies } = await client.ask(personalMessage('hvad blev besluttet om takststigningen på Klitrosen?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('4 procent');
    expect(text).toMatch(/Kilde: .*Direktørforum Vadehavet/);
    expect(text).toMatch(/Vis hele punktet/);
    expect(replies[0].summary).toContain('4 procent');
  });

  test('an @mention in a channel, in English', async () => {
    const { replies } = await client.ask(channelMessage('what was decided about the rate at Klitrosen?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toMatch(/Source: /);
  });

  test('a question the minutes cannot answer says so', async () => {
    const { replies } = await client.ask(personalMessage('hvad er kantinens menu på fredag?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).not.toMatch(/Kilde:/);
  });

  test('SQL-looking text reaches the store harmlessly', async () => {
    const { replies } = await client.ask(personalMessage("x'); DROP TABLE items; -- hvad blev besluttet"));
    expectValidCard(cardOf(replies[0]));
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from items');
    expect(rows[0].n).toBeGreaterThan(0);
  });

  (hasSeeds ? test : test.skip)('a question over the seeds cites the right meeting and item', async () => {
    const { replies } = await client.ask(personalMessage('Hvad blev besluttet om Tilbudsportalen i oktober 2014?'));
    const card = cardOf(replies[0])!;
    expectValidCard(card);
    expect(cardText(card)).toMatch(/Kilde: .*2014.*6/);
  });
});
