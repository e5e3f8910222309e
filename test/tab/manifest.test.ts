import fs from 'fs';
import os from 'os';
import path from 'path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { loadConfig } from '../../src/config';
import { UserError } from '../../src/errors';
import { buildManifest, fillTemplate, MANIFEST_DIR, manifestValues, readTemplate, writePackage } from '../../src/tab/manifest';
import { main } from '../../src/cli';
import { drawColorIcon, drawOutlineIcon } from '../../manifest/draw-icons';

// @microsoft/app-manifest requires strip-bom 5, which is ESM only: Node 20 loads it, jest's runtime cannot.
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s) }));

/**
 * The Teams app package: the manifest filled from the environment and validated offline against the
 * schema @microsoft/app-manifest bundles, the icons, and the zip layout.
 */

const BOT_ID = '6f1c2a4e-3b5d-4c7e-9f10-2a3b4c5d6e7f';
const TEAMS_APP_ID = '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a';
const ENV = { MicrosoftAppId: BOT_ID, PUBLIC_BASE_URL: 'https://forumbot.egekrogen.example:8443/', MicrosoftAppTenantId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Manifest = any;

describe('manifest', () => {
  const manifest: Manifest = buildManifest(loadConfig(ENV));

  test('uses a current schema (v1.2x) with the usual $schema URL', () => {
    expect(manifest.manifestVersion).toMatch(/^1\.2\d$/);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/en-us/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  });

  test('is valid against the schema @microsoft/app-manifest bundles (offline)', async () => {
    const errors = await AppManifestUtils.validateAgainstSchema(manifest);
    expect(errors).toEqual([]);
  });

  test('the validator really checks: a broken manifest has errors', async () => {
    const broken = JSON.parse(JSON.stringify(manifest));
    broken.id = 'not-a-guid';
    broken.bots[0].commandLists[0].commands.push(...Array.from({ length: 12 }, (_, i) => ({ title: `kommando ${i}`, description: 'x' })));
    delete broken.icons.outline;
    const errors = await AppManifestUtils.validateAgainstSchema(broken);
    expect(errors.join('\n')).toMatch(/\/id /);
    expect(errors.join('\n')).toMatch(/commands/);
    expect(errors.join('\n')).toMatch(/outline/);
  });

  test('ids and domain come from the environment', () => {
    expect(manifest.id).toBe(BOT_ID); // TEAMS_APP_ID defaults to the bot's app id
    expect(manifest.bots[0].botId).toBe(BOT_ID);
    expect(manifest.composeExtensions[0].botId).toBe(BOT_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://forumbot.egekrogen.example/${BOT_ID}` });
    expect(manifest.validDomains).toEqual(['forumbot.egekrogen.example']);
    expect(manifest.staticTabs[0].contentUrl).toBe('https://forumbot.egekrogen.example:8443/tab/?context=teams');
    expect(manifest.developer.privacyUrl).toBe('https://forumbot.egekrogen.example:8443/tab/privacy.html');
    expect(manifest.version).toBe(JSON.parse(fs.readFileSync(path.join(MANIFEST_DIR, '..', 'package.json'), 'utf8')).version);

    const own = buildManifest(loadConfig({ ...ENV, TEAMS_APP_ID, TAB_SSO_AUDIENCE: `api://sso.example/${BOT_ID}` })) as Manifest;
    expect(own.id).toBe(TEAMS_APP_ID);
    expect(own.bots[0].botId).toBe(BOT_ID);
    expect(own.webApplicationInfo.resource).toBe(`api://sso.example/${BOT_ID}`);
  });

  test('no placeholder is left, and a missing value is an error', () => {
    expect(JSON.stringify(manifest)).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(() => fillTemplate(readTemplate(), { VERSION: '1.0.0' })).toThrow(/no value for \{\{/);
  });

  test('refuses to package without an app id or without https', () => {
    expect(() => manifestValues(loadConfig({}))).toThrow(UserError);
    expect(() => manifestValues(loadConfig({}))).toThrow(/MicrosoftAppId is not set/);
    expect(() => manifestValues(loadConfig({ MicrosoftAppId: BOT_ID }))).toThrow(/https/);
    expect(() => manifestValues(loadConfig({ ...ENV, MicrosoftAppId: 'forumbot' }))).toThrow(/not a GUID/);
  });

  test('the bot: personal, team and group chat, files, Danish command lists of at most 12', () => {
    const bot = manifest.bots[0];
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    expect(bot.supportsFiles).toBe(true);
    const personal = bot.commandLists.find((l: Manifest) => l.scopes.includes('personal'));
    const team = bot.commandLists.find((l: Manifest) => l.scopes.includes('team'));
    for (const list of bot.commandLists) expect(list.commands.length).toBeLessThanOrEqual(12);
    const titles = (l: Manifest) => l.commands.map((c: Manifest) => c.title);
    expect(titles(personal)).toEqual(expect.arrayContaining(['næste møde', 'søg beslutning', 'mine afstemninger', 'hjælp', 'ny skriftlig procedure', 'send dagsorden', 'post referat']));
    expect(titles(team)).toEqual(expect.arrayContaining(['næste møde', 'søg beslutning', 'hjælp', 'tilknyt', 'send dagsorden', 'post referat']));
  });

  test('the message extension "Søg i beslutninger" is a search command; the personal tab and SSO are declared', () => {
    const cmd = manifest.composeExtensions[0].commands[0];
    expect(cmd).toMatchObject({ id: 'searchDecisions', type: 'query', title: 'Søg i beslutninger' });
    expect(cmd.parameters[0].name).toBe('query');
    expect(manifest.staticTabs[0]).toMatchObject({ entityId: 'forumbot-home', scopes: ['personal'] });
    expect(manifest.webApplicationInfo.id).toBe(BOT_ID);
  });
});

describe('icons', () => {
  const read = (f: string) => PNG.sync.read(fs.readFileSync(path.join(MANIFEST_DIR, f)));

  test('colour icon: 192×192, opaque, in more than one colour', () => {
    const png = read('color.png');
    expect([png.width, png.height]).toEqual([192, 192]);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) {
      expect(png.data[i + 3]).toBe(255);
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    }
    expect(colours.size).toBeGreaterThan(2);
    expect(colours.has('255,255,255')).toBe(true); // the white symbol
    expect(colours.has('27,94,122')).toBe(true); // on the accent colour
  });

  test('outline icon: 32×32, white on transparent', () => {
    const png = read('outline.png');
    expect([png.width, png.height]).toEqual([32, 32]);
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const a = png.data[i + 3];
      if (a === 0) transparent++;
      else {
        // every visible pixel is white (only alpha varies at the anti-aliased edges)
        expect([png.data[i], png.data[i + 1], png.data[i + 2]]).toEqual([255, 255, 255]);
        if (a === 255) opaque++;
      }
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4); // mostly background
    expect(opaque).toBeGreaterThan(60); // and a symbol to see
    // the corners are transparent
    for (const [x, y] of [[0, 0], [31, 0], [0, 31], [31, 31]]) expect(png.data[(y * 32 + x) * 4 + 3]).toBe(0);
  });

  test('the committed PNGs are what manifest/draw-icons.ts draws', () => {
    expect(Buffer.compare(read('outline.png').data, drawOutlineIcon().data)).toBe(0);
    expect(Buffer.compare(read('color.png').data, drawColorIcon().data)).toBe(0);
  });
});

describe('package', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-pkg-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the zip holds manifest.json and the two icons at its root, nothing else', async () => {
    const file = path.join(dir, 'forumbot.zip');
    const res = await writePackage(loadConfig(ENV), file);
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const inZip = JSON.parse(await zip.file('manifest.json')!.async('string'));
    expect(inZip).toEqual(res.manifest);
    expect(inZip.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(Buffer.compare(await zip.file('color.png')!.async('nodebuffer'), fs.readFileSync(path.join(MANIFEST_DIR, 'color.png')))).toBe(0);
    expect(Buffer.compare(await zip.file('outline.png')!.async('nodebuffer'), fs.readFileSync(path.join(MANIFEST_DIR, 'outline.png')))).toBe(0);
    expect(await AppManifestUtils.validateAgainstSchema(inZip)).toEqual([]);
  });

  test('`forumbot package --out FILE --json` builds it from the environment', async () => {
    const file = path.join(dir, 'cli', 'app.zip');
    const saved = { ...process.env };
    const out: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      Object.assign(process.env, ENV, { TEAMS_APP_ID });
      await main(['node', 'forumbot', 'package', '--out', file, '--json']);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    expect(process.exitCode ?? 0).toBe(0);
    const summary = JSON.parse(out.join(''));
    expect(summary).toEqual({ file, manifestId: TEAMS_APP_ID, botId: BOT_ID, domain: 'forumbot.egekrogen.example', entries: ['manifest.json', 'color.png', 'outline.png'] });
    expect(fs.existsSync(file)).toBe(true);
  });

  test('`forumbot package` without an app id exits 1 with a clear message', async () => {
    const saved = { ...process.env };
    const err: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err.push(String(s));
      return true;
    });
    try {
      delete process.env.MicrosoftAppId;
      await main(['node', 'forumbot', 'package', '--out', path.join(dir, 'x.zip')]);
    } finally {
      write.mockRestore();
      process.env = saved;
    }
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
    expect(err.join('')).toMatch(/MicrosoftAppId is not set/);
    expect(fs.existsSync(path.join(dir, 'x.zip'))).toBe(false);
  });
});
