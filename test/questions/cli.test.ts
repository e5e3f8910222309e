import fs from 'fs';
import os from 'os';
import path from 'path';
import { Answer } from '../../src/questions';
import { describeWithSeeds, SEEDS_DIR } from '../support/seeds';
import { runForumbot, type Run } from '../support/cli';

/** `forumbot ask` and `forumbot ask --batch FILE --json` on the real command, over a PGlite store with the seeds. */
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(600_000);


function forumbot(args: string[], dataDir: string): Promise<Run> {
  return runForumbot(args, dataDir);
}

describeWithSeeds('forumbot ask', () => {
  let tmp: string;
  let dataDir: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-ask-'));
    dataDir = path.join(tmp, 'data');
    const r = await forumbot(['import', SEEDS_DIR, '--json'], dataDir);
    expect(r.code).toBe(0);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--batch answers every line, in order, one JSON document per line', async () => {
    const file = path.join(tmp, 'q.jsonl');
    const lines = [
      { question: 'hvornår er næste møde?', now: '2014-10-05T10:00:00+02:00', lang: null },
      { question: 'hvem er borgmester i Odense?', now: null, lang: null },
      { question: 'hvor mange pladser har Hobro Krisecenter', now: null, lang: 'en' },
      { question: 'What did the forum decide about the 2017 meeting plan?' },
    ];
    fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n\n`);
    const r = await forumbot(['ask', '--batch', file, '--json'], dataDir);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => Answer.parse(JSON.parse(l)));
    expect(out).toHaveLength(4);
    expect(out[0]).toMatchObject({ answered: true, intent: 'next_meeting' });
    expect(out[0].text).toContain('12. december 2014');
    expect(out[1].answered).toBe(false);
    expect(out[2]).toMatchObject({ answered: true, lang: 'en' });
    expect(out[2].sources[0]).toMatchObject({ date: '2020-05-25', itemNumber: 7 });
    expect(out[3].sources[0]).toMatchObject({ date: '2016-08-15', itemNumber: 7 });
    expect(out[3].text).toContain('godkendt');
  });

  it('a bad batch line is a clear one-line error (exit 1), naming the line', async () => {
    const file = path.join(tmp, 'bad.jsonl');
    fs.writeFileSync(file, '{"question": "hej"}\n{"question": 5}\n');
    const r = await forumbot(['ask', '--batch', file, '--json'], dataDir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.jsonl line 2: question must be a string/);
    fs.writeFileSync(file, 'not json\n');
    const r2 = await forumbot(['ask', '--batch', file, '--json'], dataDir);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/line 1: not valid JSON/);
  });

  it('ask "<question>" --json prints one answer; a missing question or bad --now is a usage error', async () => {
    const r = await forumbot(['ask', 'hvor holdt DAS møde i maj 2020?', '--json'], dataDir);
    expect(r.code).toBe(0);
    const a = Answer.parse(JSON.parse(r.stdout));
    expect(a.text).toContain('Skype');
    expect((await forumbot(['ask'], dataDir)).code).toBe(2);
    const bad = await forumbot(['ask', 'hej', '--now', 'i morgen'], dataDir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--now/);
  });
});
