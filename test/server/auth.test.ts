import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, invoke, personalMessage } from '../support/bot-client';

/** With an app id the server uses Bot Framework authentication: unsigned requests get 401 and no turn runs. */

let db: Db;
let server: RunningServer;
let connector: FakeConnector;
const asked: string[] = [];

beforeAll(async () => {
  db = await openDb({ dataDir: 'memory://' });
  connector = await startFakeConnector();
  const config = loadConfig({
    MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: '00000000-0000-4000-8000-0000000000aa',
  });
  server = await startServer(config, {
    port: 0,
    host: '127.0.0.1', // the test machine: loopback even in authenticated mode
    db,
    log: pino({ level: 'silent' }),
    questions: {
      answer: async (i) => {
        asked.push(i.question);
        return { answered: false, intent: 'unknown', text: 'nej', sources: [], lang: 'da', sourceLine: null, more: [], item: null };
      },
    },
  });
});

afterAll(async () => {
  await server?.close();
  await connector?.stop();
  await db?.close();
});

test('health reports authenticated mode', async () => {
  const res = await fetch(`${server.url}/api/health`);
  expect(await res.json()).toMatchObject({ status: 'ok', mode: 'authenticated' });
});

test('an unsigned message gets 401 and is not processed', async () => {
  const client = new BotClient(server.url, connector);
  const res = await client.send(personalMessage('hvornår er næste møde?'));
  expect(res.status).toBe(401);
  expect(asked).toEqual([]);
  expect(connector.calls).toHaveLength(0);
});

test('an unsigned invoke gets 401', async () => {
  const res = await new BotClient(server.url, connector).send(invoke('adaptiveCard/action', { action: { verb: 'x' } }));
  expect(res.status).toBe(401);
});

test('a bearer token that is not a JWT gets 401', async () => {
  // botbuilder prints the AuthenticationError with console.error; keep the test output clean
  const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const client = new BotClient(server.url, connector, { authorization: 'Bearer not-a-jwt' });
  const res = await client.send(personalMessage('hej'));
  expect(res.status).toBe(401);
  expect(asked).toEqual([]);
  quiet.mockRestore();
});

test('malformed bodies still get 400 before authentication', async () => {
  const res = await new BotClient(server.url).post('{"type":');
  expect(res.status).toBe(400);
});

test('incomplete Bot Framework settings fail at start with a clear message', async () => {
  const base = { MicrosoftAppId: '00000000-0000-4000-8000-000000000001' };
  await expect(startServer(loadConfig({ ...base, MicrosoftAppPassword: 'x' }), { port: 0, host: '127.0.0.1', db, log: pino({ level: 'silent' }) })).rejects.toThrow(
    /MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant/,
  );
  await expect(startServer(loadConfig({ ...base, MicrosoftAppType: 'MultiTenant' }), { port: 0, host: '127.0.0.1', db, log: pino({ level: 'silent' }) })).rejects.toThrow(
    /MicrosoftAppPassword is required/,
  );
});
