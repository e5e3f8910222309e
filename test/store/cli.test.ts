import fs from 'fs';
import os from 'os';
import path from 'path';
import { describeWithSeeds, seedFiles, seedPath } from '../support/seeds';
import { runForumbot, type Run } from '../support/cli';

/**
 * The real `forumbot` command (bin/forumbot.js on the TypeScript sources), with a PGlite store in a
 * temporary DATA_DIR: exit codes, one-line messages without stack traces, and the --json shapes.
 */
const ROOT = path.resolve(__dirname, '..', '..');
// each spawn starts Node, swc and PGlite: seconds apiece on a busy 2-core machine
jest.setTimeout(300_000);
const hasParser = fs.existsSync(path.join(ROOT, 'src', 'minutes', 'index.ts'));
const describeWithParser: jest.Describe = hasParser ? describe : describe.skip;


function forumbot(args: string[], dataDir: string): Promise<Run> {
  return runForumbot(args, dataDir);
}

/** One clear line on stderr, no stack trace. */
function expectOneLine(r: Run, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
}

let tmp: string;
let dataDir: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-cli-'));
  dataDir = path.join(tmp, 'data');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('forumbot parse: bad input', () => {
  it('a missing file: exit 1, one line', async () => {
    const r = await forumbot(['parse', path.join(tmp, 'nope.txt'), '--json'], dataDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r, /nope\.txt: file not found/);
  });

  it('an empty file', async () => {
    const f = path.join(tmp, 'empty.txt');
    fs.writeFileSync(f, '');
    const r = await forumbot(['parse', f, '--json'], dataDir);
    expect(r.code).toBe(1);
    expectOneLine(r, /empty\.txt: the file is empty/);
  });

  it('a 50 MB file is refused before it is read', async () => {
    const f = path.join(tmp, 'huge.txt');
    fs.closeSync(fs.openSync(f, 'w'));
    fs.truncateSync(f, 50 * 1024 * 1024); // sparse: no 50 MB written
    const r = await forumbot(['parse', f, '--json'], dataDir);
    expect(r.code).toBe(1);
    expectOneLine(r, /huge\.txt: the file is too large \(50\.0 MB; the limit is 20\.0 MB\)/);
  });

  it('binary garbage', async () => {
    const f = path.join(tmp, 'garbage.txt');
    let x = 12345;
    fs.writeFileSync(f, Buffer.from(Array.from({ length: 20000 }, () => (x = (x * 1103515245 + 12345) & 0x7fffffff) % 256)));
    const r = await forumbot(['parse', f, '--json'], dataDir);
    expect(r.code).toBe(1);
    expectOneLine(r, /garbage\.txt: not a readable document/);
  });

  it('a folder', async () => {
    const r = await forumbot(['parse', tmp, '--json'], dataDir);
    expect(r.code).toBe(1);
    expectOneLine(r, /is a folder/);
  });

  it('no file at all is a usage error (exit 2)', async () => {
    const r = await forumbot(['parse'], dataDir);
    expect(r.code).toBe(2);
  });
});

describe('forumbot meetings and meeting', () => {
  it('plans a meeting and lists it as upcoming against --now, as JSON', async () => {
    const add = await forumbot(['meetings', 'add', '--forum', 'DAS', '--start', '2031-03-05T09:00', '--end', '2031-03-05T12:00', '--location', 'Rådhuset, Saltvig', '--json'], dataDir);
    expect(add.code).toBe(0);
    const added = JSON.parse(add.stdout);
    expect(added).toMatchObject({ meetingId: 'das-2031-03-05', result: 'created' });
    expect(added.meeting).toMatchObject({ id: 'das-2031-03-05', forum: 'Den Administrative Styregruppe på socialområdet', status: 'planned', start: '2031-03-05T09:00:00+01:00', end: '2031-03-05T12:00:00+01:00', location: 'Rådhuset, Saltvig' });

    const up = await forumbot(['meetings', '--upcoming', '--now', '2031-03-01T08:00:00+01:00', '--forum', 'das', '--json'], dataDir);
    expect(up.code).toBe(0);
    const list = JSON.parse(up.stdout);
    expect(list.map((m: { id: string }) => m.id)).toEqual(['das-2031-03-05']);
    const past = await forumbot(['meetings', '--upcoming', '--now', '2031-03-06', '--json'], dataDir);
    expect(JSON.parse(past.stdout).map((m: { id: string }) => m.id)).not.toContain('das-2031-03-05');

    const one = await forumbot(['meeting', 'das-2031-03-05', '--json'], dataDir);
    expect(one.code).toBe(0);
    const m = JSON.parse(one.stdout);
    for (const k of ['id', 'forum', 'title', 'kind', 'status', 'start', 'end', 'location', 'participants', 'absent', 'items', 'nextMeeting', 'source']) expect(m).toHaveProperty(k);
  });

  it('an unknown meeting id: exit 1, one line', async () => {
    const r = await forumbot(['meeting', 'sdf-1999-01-01', '--json'], dataDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expectOneLine(r, /no meeting with id "sdf-1999-01-01"/);
  });

  it('bad options are usage errors (exit 2); an unknown forum is a user error (exit 1)', async () => {
    const badNow = await forumbot(['meetings', '--upcoming', '--now', 'tomorrow'], dataDir);
    expect(badNow.code).toBe(2);
    expectOneLine(badNow, /--now must be an ISO date or time/);
    const noStart = await forumbot(['meetings', 'add', '--forum', 'SDF'], dataDir);
    expect(noStart.code).toBe(2);
    const forum = await forumbot(['meetings', '--forum', 'Ukendtforum'], dataDir);
    expect(forum.code).toBe(1);
    expectOneLine(forum, /unknown forum "Ukendtforum"; known forums: .*\(SDF\)/);
  });

  it('imports an årshjul (.ics) through import and meetings import-ics', async () => {
    const ics = path.join(tmp, 'aarshjul.ics');
    fs.writeFileSync(
      ics,
      ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//t//DA', 'X-WR-CALNAME:Mødeplan SOCDIR 2031', 'BEGIN:VEVENT', 'UID:s1@t', 'DTSTAMP:20300101T000000Z', 'DTSTART;TZID=Europe/Copenhagen:20310910T100000', 'SUMMARY:Møde i Socialdirektørkredsen', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n'),
    );
    const a = await forumbot(['import', ics, '--json'], dataDir);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toEqual([expect.objectContaining({ file: ics, meetingId: 'socdir-2031-09-10', result: 'created' })]);
    const b = await forumbot(['meetings', 'import-ics', ics, '--forum', 'SOCDIR', '--json'], dataDir);
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout)).toEqual([expect.objectContaining({ meetingId: 'socdir-2031-09-10', result: 'unchanged' })]);
  });
});

describeWithParser('forumbot parse and import with the parser', () => {
  it('a text that is not minutes: "no agenda items found"', async () => {
    const f = path.join(tmp, 'prose.txt');
    fs.writeFileSync(f, 'Kære alle\n\nTak for en god sommer. Vi ses til efteråret, hvor vi skal på tur til Saltvig.\n\nMange hilsner\nSekretariatet\n');
    const r = await forumbot(['parse', f, '--json'], dataDir);
    expect(r.code).toBe(1);
    expectOneLine(r, /no agenda items found/);
    const i = await forumbot(['import', f, '--json'], dataDir);
    expect(i.code).toBe(1);
    expect(JSON.parse(i.stdout)).toEqual([expect.objectContaining({ result: 'error', meetingId: null, error: expect.stringMatching(/no agenda items found/) })]);
  });

  it('imports the demo samples folder, then again unchanged; a bad file in the batch is reported and the rest go in', async () => {
    const dir = path.join(tmp, 'batch');
    fs.mkdirSync(dir);
    const samples = path.join(ROOT, 'samples');
    for (const f of fs.readdirSync(samples).filter((n) => !n.includes('{{') && n.startsWith('2026'))) fs.copyFileSync(path.join(samples, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, '2026-05-01-broken.txt'), '');
    const first = await forumbot(['import', dir, '--json'], dataDir);
    expect(first.code).toBe(1); // one file failed
    const results = JSON.parse(first.stdout) as Array<{ file: string; result: string; meetingId: string | null }>;
    expect(results.map((r) => [path.basename(r.file), r.result])).toEqual([
      ['2026-03-13-sfv-referat.txt', 'created'],
      ['2026-05-01-broken.txt', 'error'],
      ['2026-06-05-sfv-referat.txt', 'updated'], // planned by the March minutes' "Næste møde"
      ['2026-09-18-sfv-referat.txt', 'updated'],
    ]);
    expectOneLine(first, /1 of 4 files could not be imported/);
    fs.rmSync(path.join(dir, '2026-05-01-broken.txt'));
    const again = await forumbot(['import', dir, '--json'], dataDir);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).map((r: { result: string }) => r.result)).toEqual(['unchanged', 'unchanged', 'unchanged']);
  });
});

describeWithSeeds('forumbot with the seeds', () => {
  (hasParser ? it : it.skip)('imports every seed once, then unchanged; meeting <id> prints the stored Meeting', async () => {
    const seedData = path.join(tmp, 'seed-data');
    const first = await forumbot(['import', ...seedFiles(), '--json'], seedData);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const results = JSON.parse(first.stdout) as Array<{ meetingId: string; result: string }>;
    expect(results.map((r) => r.result)).toEqual(['created', 'created', 'created', 'created', 'created']);
    expect(results.map((r) => r.meetingId)).toEqual(['sdf-2014-10-03', 'sdf-2016-08-15', 'sdf-2023-10-02', 'das-2020-05-25', 'socdir-2011-12-14']);
    const again = await forumbot(['import', ...seedFiles(), '--json'], seedData);
    expect(JSON.parse(again.stdout).map((r: { result: string }) => r.result)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    const one = await forumbot(['meeting', 'sdf-2014-10-03', '--json'], seedData);
    const m = JSON.parse(one.stdout);
    expect(m).toMatchObject({ id: 'sdf-2014-10-03', forum: 'Socialdirektørforum', start: '2014-10-03T09:00:00+02:00', nextMeeting: '2014-12-12' });
    expect(m.source.file).toBe(path.basename(seedPath('000')));
    const up = await forumbot(['meetings', '--upcoming', '--now', '2014-10-04', '--forum', 'SDF', '--json'], seedData);
    expect(JSON.parse(up.stdout)[0]).toMatchObject({ id: 'sdf-2014-12-12', status: 'planned' });
  });
});
