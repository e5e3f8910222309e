import fs from 'fs';
import path from 'path';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { artifact, describeWithChromium, launchChromium } from '../support/chromium';
import { NOW, openTabProcedure, seedTabMeetings, VOTERS, voteAll } from './fixture';

/**
 * The personal tab in Debian's Chromium against the real server (local mode: the development identity is
 * VOTERS[0]) over a seeded store. Screenshots go to test-artifacts/; with UPDATE_DOCS_SCREENSHOTS=1 the
 * README's pictures in docs/ are refreshed too.
 */

const DOCS = path.resolve(__dirname, '..', '..', 'docs');
const updateDocs = process.env.UPDATE_DOCS_SCREENSHOTS === '1';

let db: Db;
let config: Config;
let server: RunningServer;
let browser: Browser;
let openId: string;

async function shot(page: Page, name: string, docsName?: string): Promise<void> {
  await page.screenshot({ path: artifact(name), fullPage: true });
  if (updateDocs && docsName) fs.copyFileSync(artifact(name), path.join(DOCS, docsName));
}

/** WCAG contrast ratio of two CSS colours "rgb(r, g, b)". */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describeWithChromium('personal tab in Chromium', () => {
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
    await seedTabMeetings(db);
    config = loadConfig({ TAB_DEV_AAD_OBJECT_ID: VOTERS[0].aadObjectId });
    openId = await openTabProcedure(db, config);
    const votedId = await openTabProcedure(db, config, 'Skriftlig procedure om mødeplan 2027');
    await voteAll(db, config, votedId, VOTERS[0].aadObjectId);
    server = await startServer(config, { port: 0, db, now: () => NOW, log: pino({ level: 'silent' }) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await db?.close();
  });

  async function open(query = ''): Promise<Page> {
    const context = await browser.newContext({ locale: 'da-DK', timezoneId: 'Europe/Copenhagen', viewport: { width: 1000, height: 760 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/tab/${query}`);
    await page.waitForSelector('body[data-ready]');
    expect(await page.getAttribute('body', 'data-ready')).toBe('true');
    expect(errors).toEqual([]);
    return page;
  }

  test('the tab renders the upcoming meetings with time, place, agenda and a calendar download', async () => {
    const page = await open();
    expect(await page.textContent('#who')).toBe('Lokal tilstand: udvikleridentitet');
    const cards = page.locator('#meetings .meeting');
    expect(await cards.count()).toBe(1); // the two past meetings are not upcoming
    const card = cards.first();
    expect(await card.locator('h3').textContent()).toBe('Socialdirektørforum – torsdag den 10. december 2026');
    const meta = await card.locator('.meta').textContent();
    expect(meta).toMatch(/kl\. 09[.:]00–12[.:]00/);
    expect(meta).toContain('Egekrogen Rådhus, Torvet 4, 7100 Egekrogen');
    expect(await card.locator('ol li').allTextContents()).toEqual(['Godkendelse af dagsorden', 'Årsrapport fra Tilsynet Lindholm', 'Fælles indkøb af hjælpemidler 2027']);
    await shot(page, 'tab-meetings.png', 'tab-meetings.png');

    // the calendar link is the broadcasts capability's unguessable .ics route
    expect(await card.getByRole('link', { name: /i kalender/ }).getAttribute('href')).toMatch(/^\/api\/calendar\/[A-Za-z0-9_-]{20,64}\.ics$/);
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('link', { name: /i kalender/ }).click()]);
    const file = artifact('tab-meeting.ics');
    await download.saveAs(file);
    const ics = fs.readFileSync(file, 'utf8');
    expect(ics).toMatch(/BEGIN:VEVENT/);
    expect(ics).toMatch(/SUMMARY:Møde i Socialdirektørforum den 10\. december 2026/);
    expect(ics).toMatch(/DTSTART;TZID=Europe\/Copenhagen:20261210T090000/);
    expect(ics.replace(/\r?\n /g, '')).toMatch(/LOCATION:Egekrogen Rådhus\\, Torvet 4\\, 7100 Egekrogen/);
    await page.context().close();
  });

  test('a search returns the right decision, with outcome and source, and the year filter narrows it', async () => {
    const page = await open();
    // keyboard: the tabs follow the WAI-ARIA pattern
    await page.focus('#tab-meetings');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-search', 'aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-search');
    expect(await page.isHidden('#panel-meetings')).toBe(true);

    await page.getByLabel('Emne').fill('Granhøj');
    await page.getByLabel('År').selectOption('2025');
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.waitForSelector('#results .hit');
    const hits = page.locator('#results .hit');
    expect(await hits.count()).toBe(1);
    expect(await hits.first().locator('h3').textContent()).toBe('2. Takster for botilbuddet Granhøj 2026Godkendt');
    expect(await hits.first().locator('.badge').textContent()).toBe('Godkendt');
    expect(await hits.first().locator('.decision').textContent()).toBe('Beslutning: Forummet godkendte, at taksten for Granhøj hæves med 2,5 procent fra 1. januar 2026.');
    expect(await hits.first().locator('.source').textContent()).toBe('Socialdirektørforum, 1. oktober 2025, punkt 2');
    expect(await page.textContent('#status')).toBe('1 beslutning fundet.');
    await shot(page, 'tab-search.png', 'tab-search.png');

    await page.getByLabel('År').selectOption('2024');
    await page.getByRole('button', { name: 'Søg' }).click();
    await page.waitForFunction(() => document.querySelector('#results .hit h3')?.textContent?.includes('2025'));
    expect(await page.locator('#results .hit .badge').first().textContent()).toBe('Udsat');

    await page.getByLabel('År').selectOption('');
    await page.getByLabel('Emne').fill('månelandingsfartøjer');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#results .answer'));
    expect(await page.textContent('#results .answer')).toMatch(/Det kan jeg ikke finde/);
    expect(await page.locator('#results .hit').count()).toBe(0);
    await page.context().close();
  });

  test('"Mine afstemninger" lists the open procedures, missing my vote and voted, with where to vote', async () => {
    const page = await open('?view=votes');
    expect(await page.getAttribute('#tab-votes', 'aria-selected')).toBe('true');
    const missing = page.locator(`#votes .procedure[data-procedure-id="${openId}"]`);
    expect(await missing.getAttribute('data-voted')).toBe('false');
    expect(await missing.locator('h3').textContent()).toBe('Skriftlig procedure om fælles indkøbsaftaleIkke stemt');
    expect(await missing.textContent()).toMatch(/Frist: 1\. december 2026 (kl\. )?12[.:]00/);
    expect(await missing.textContent()).toContain('0 af 2 punkter besvaret');
    // local mode has no Teams deep link: the card in the chat is where to vote
    expect(await missing.textContent()).toContain('Stem på kortet i chatten med forumbot.');
    const groups = await page.locator('#votes h3.group').allTextContents();
    expect(groups).toEqual(['Mangler din stemme (1)', 'Du har stemt (1)']);
    expect(await page.locator('#votes .procedure[data-voted="true"] h3').textContent()).toBe('Skriftlig procedure om mødeplan 2027Stemt');
    await shot(page, 'tab-votes.png', 'tab-votes.png');
    await page.context().close();
  });

  test.each(['default', 'dark', 'contrast'])('theme %s: text keeps at least 4.5:1 contrast', async (theme) => {
    const page = await open(`?theme=${theme}`);
    expect(await page.getAttribute('body', 'data-theme')).toBe(theme);
    const pairs = await page.evaluate(() => {
      const bg = getComputedStyle(document.body).backgroundColor;
      const card = getComputedStyle(document.querySelector('.card')!).backgroundColor;
      const pick = (sel: string) => getComputedStyle(document.querySelector(sel)!).color;
      return [
        [pick('h1'), bg],
        [pick('#who'), bg],
        [pick('[role="tab"]'), bg],
        [pick('.card h3'), card],
        [pick('.card .meta'), card],
        [pick('.card a.button'), card],
      ];
    });
    for (const [fg, bg] of pairs) expect(contrast(fg, bg)).toBeGreaterThanOrEqual(4.5);
    if (theme !== 'default') await shot(page, `tab-meetings-${theme}.png`);
    await page.context().close();
  });

  test('every form control has a label, and keyboard focus is visible', async () => {
    const page = await open('?view=search');
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select')).filter((e) => !(e as HTMLInputElement).labels?.length).map((e) => e.id),
    );
    expect(unlabelled).toEqual([]);
    await page.focus('#q');
    const outline = await page.evaluate(() => {
      (document.activeElement as HTMLElement).blur();
      return null;
    });
    expect(outline).toBeNull();
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement;
      return { id: e.id, outline: getComputedStyle(e).outlineStyle };
    });
    expect(focused.outline).not.toBe('none');
    await page.context().close();
  });

  test('English when the browser (or Teams) locale is English', async () => {
    const page = await open('?lang=en');
    expect(await page.textContent('#tab-votes')).toBe('My votes');
    expect(await page.locator('#meetings .meeting h3').first().textContent()).toBe('Socialdirektørforum – Thursday, 10 December 2026');
    await page.context().close();
  });
});
