import pino from 'pino';
import type restify from 'restify';
import type { Browser, Frame, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { artifact, describeWithChromium, launchChromium } from '../support/chromium';
import { NOW, openTabProcedure, seedTabMeetings, VOTERS } from './fixture';
import { startLocalJwks, type LocalJwks } from './jwks';

/**
 * The tab as Teams runs it: framed by a host page that speaks the teams-js message protocol (initialize,
 * getContext with theme and locale, authentication.getAuthToken), against the server in authenticated mode
 * (an app id is set), so every /api/tab/* call must carry a valid SSO token. The host is a stand-in for
 * Teams served from the test (same origin as the tab); the token is signed by a key the test made and
 * published as a local JWKS.
 */

const APP_ID = '6f1c2a4e-3b5d-4c7e-9f10-2a3b4c5d6e7f';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const AUDIENCE = `api://forumbot.example.dk/${APP_ID}`;
const ME = VOTERS[0];

let db: Db;
let server: RunningServer;
let browser: Browser;
let jwks: LocalJwks;
/** What the mock host answers to getAuthToken: [success, token or error]. */
let authAnswer: [boolean, string] = [false, 'not set'];
let theme = 'dark';

/** The host page: an iframe with the tab, and the host side of the teams-js postMessage protocol. */
function hostPage(): string {
  const context = {
    locale: 'da-dk',
    theme,
    userObjectId: ME.aadObjectId,
    userPrincipalName: 'frida@egekrogen.example',
    userDisplayName: ME.name,
    tid: TENANT,
    hostClientType: 'web',
    frameContext: 'content',
    entityId: 'forumbot-home',
  };
  return `<!doctype html><html><body style="margin:0">
<iframe id="tab" src="/tab/?context=teams" style="width:1000px;height:760px;border:0"></iframe>
<script>
  window.hostLog = [];
  const context = ${JSON.stringify(context)};
  const auth = ${JSON.stringify(authAnswer)};
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || typeof m.func !== 'string') return;
    window.hostLog.push(m.func);
    const reply = (args) => e.source.postMessage({ id: m.id, uuidAsString: m.uuidAsString, args }, '*');
    if (m.func === 'initialize') reply(['content', 'web', '2.58.0', '2.58.0']);
    else if (m.func === 'getContext') reply([context]);
    else if (m.func === 'authentication.getAuthToken') reply(auth);
  });
</script></body></html>`;
}

const hostRoute = (s: restify.Server) => {
  s.get('/test-teams-host', async (_req: restify.Request, res: restify.Response) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage());
  });
};

describeWithChromium('the tab inside a Teams host (teams-js protocol, SSO)', () => {
  beforeAll(async () => {
    jwks = await startLocalJwks();
    db = await openDb({ dataDir: 'memory://' });
    await seedTabMeetings(db);
    const config = loadConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-here',
      MicrosoftAppTenantId: TENANT,
      PUBLIC_BASE_URL: 'https://forumbot.example.dk',
      TAB_SSO_AUDIENCE: AUDIENCE,
      TAB_SSO_JWKS_URL: jwks.url,
    });
    await openTabProcedure(db, config);
    server = await startServer(config, { port: 0, host: '127.0.0.1', db, now: () => NOW, log: pino({ level: 'silent' }), routes: [hostRoute] });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
    await jwks?.close();
  });

  async function openInHost(): Promise<{ page: Page; tab: Frame }> {
    const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1000, height: 760 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/test-teams-host`);
    const handle = await page.waitForSelector('#tab');
    const tab = (await handle.contentFrame())!;
    await tab.waitForSelector('body[data-ready]', { timeout: 20_000 });
    return { page, tab };
  }

  test('initialize, context (dark theme, Danish) and an SSO token the server accepts', async () => {
    authAnswer = [true, await jwks.token({ aud: AUDIENCE, tid: TENANT, oid: ME.aadObjectId, name: ME.name })];
    theme = 'dark';
    const { page, tab } = await openInHost();
    expect(await tab.getAttribute('body', 'data-ready')).toBe('true');
    const log: string[] = await page.evaluate(() => (window as unknown as { hostLog: string[] }).hostLog);
    expect(log).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
    expect(await tab.getAttribute('body', 'data-theme')).toBe('dark');
    expect(await tab.textContent('#who')).toBe(`Logget ind som ${ME.name}`);
    // the data came through the authenticated API
    expect(await tab.locator('#meetings .meeting h3').first().textContent()).toBe('Socialdirektørforum – torsdag den 10. december 2026');
    expect(await tab.locator('#votes .procedure').count()).toBe(1);
    // in Teams the vote link is a deep link to the chat with the bot
    expect(await tab.locator('#votes .procedure a.button').getAttribute('href')).toBe(`https://teams.microsoft.com/l/chat/0/0?users=28:${APP_ID}`);
    await page.screenshot({ path: artifact('tab-in-teams-host-dark.png') });
    await page.context().close();
  });

  test('a token the server refuses (another tenant) leaves the tab with a clear message and no data', async () => {
    authAnswer = [true, await jwks.token({ aud: AUDIENCE, tid: '11111111-2222-4333-8444-555555555555', oid: ME.aadObjectId })];
    theme = 'contrast';
    const { page, tab } = await openInHost();
    expect(await tab.getAttribute('body', 'data-ready')).toBe('error');
    expect(await tab.getAttribute('body', 'data-theme')).toBe('contrast');
    expect(await tab.textContent('#status')).toBe('Du kunne ikke logges ind. Genindlæs fanen, eller kontakt sekretariatet.');
    expect(await tab.locator('#meetings .meeting').count()).toBe(0);
    await page.context().close();
  });

  test('when Teams cannot give a token, the tab says so', async () => {
    authAnswer = [false, 'resourceRequiresConsent'];
    const { page, tab } = await openInHost();
    expect(await tab.getAttribute('body', 'data-ready')).toBe('error');
    expect(await tab.textContent('#status')).toBe('Du kunne ikke logges ind. Genindlæs fanen, eller kontakt sekretariatet.');
    await page.context().close();
  });
});
