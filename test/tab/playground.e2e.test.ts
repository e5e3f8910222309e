import fs from 'fs';
import net from 'net';
import path from 'path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config';
import { showProcedure } from '../../src/procedures';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { loadDemoData } from '../../src/store/demo';
import { playgroundConfig, readPlaygroundConfig, seedPlayground, startPlayground, type PlaygroundProcess } from '../../src/tab/playground';
import { artifact, describeWithChromium, launchChromium } from '../support/chromium';

/**
 * End to end through Microsoft 365 Agents Playground, offline: the bot (local mode, demo forum, the
 * Playground's users as roster, the demo written procedure open) and the Playground against it, driven in
 * headless Chromium through the Playground's own chat box (role=textbox).
 */

let db: Db;
let config: Config;
let server: RunningServer;
let pg: PlaygroundProcess;
let browser: Browser;
let page: Page;
let procedureId: string | null;
const pgLog: string[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

describeWithChromium('Microsoft 365 Agents Playground end to end', () => {
  beforeAll(async () => {
    const tenant = readPlaygroundConfig();
    config = playgroundConfig(loadConfig({ LOG_LEVEL: 'silent' }), tenant);
    db = await openDb({ dataDir: 'memory://' });
    await loadDemoData(db);
    server = await startServer(config, { port: 0, db, log: pino({ level: 'silent' }) });
    ({ procedureId } = await seedPlayground(db, config, tenant));
    pg = startPlayground({ botUrl: server.url, port: await freePort(), onLine: (l) => pgLog.push(l) });
    const url = await pg.url;
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1300, height: 1000 } });
    page = await context.newPage();
    await page.goto(url.replace('localhost', '127.0.0.1'));
    await page.getByRole('textbox').waitFor();
    // the Playground installs the bot in the personal chat when the page opens: the welcome card
    await page.getByText(/forumbot/i).first().waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (pg?.child.exitCode === null) {
      const gone = new Promise((r) => pg.child.once('exit', r));
      pg.child.kill('SIGTERM');
      await gone;
    }
    await server?.close();
    await db?.close();
  });

  async function say(text: string): Promise<void> {
    const box = page.getByRole('textbox');
    await box.fill(text);
    await box.press('Enter');
  }

  test('a question gets the answer card', async () => {
    await say('hvornår er næste møde?');
    // the Playground sends locale en-US on every activity, and an English Teams locale gets English answers
    const answer = page.getByText(/Næste møde i Socialdirektørforum Vestkyst er|The next meeting of Socialdirektørforum Vestkyst is/);
    try {
      await answer.first().waitFor({ timeout: 30_000 });
    } finally {
      await page.screenshot({ path: artifact('playground-answer.png') });
    }
    expect(await page.getByText(/(Kilde|Source): Socialdirektørforum Vestkyst/).count()).toBeGreaterThan(0);
  });

  test('the demo written procedure\'s card: press a vote button and the vote is counted', async () => {
    expect(procedureId).toBeTruthy();
    const before = await showProcedure(db, procedureId!);
    expect(before.items[0].for).toBe(0);

    await say('skriftlige procedurer');
    const forButton = page.getByRole('button', { name: 'For', exact: true }).first();
    await forButton.waitFor({ timeout: 30_000 });
    await page.getByText(/0 af \d+ har stemt/).first().waitFor();
    await forButton.click();

    // the voter's own view is replaced by the invoke response; the store counts the vote
    await page.getByText(/Din stemme: For/).first().waitFor({ timeout: 30_000 });
    const after = await showProcedure(db, procedureId!);
    expect(after.items[0].for).toBe(1);
    expect(after.items[1].for).toBe(0);
    const me = after.voters.find((v) => v.aadObjectId === config.TAB_DEV_AAD_OBJECT_ID);
    expect(me).toBeDefined();
    await page.screenshot({ path: artifact('playground-vote.png') });
    if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') fs.copyFileSync(artifact('playground-vote.png'), path.join(__dirname, '..', '..', 'docs', 'playground-card.png'));
  });
});
