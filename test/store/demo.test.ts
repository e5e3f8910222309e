import fs from 'fs';
import path from 'path';
import { openDb, type Db } from '../../src/store/db';
import { loadDemoData, renderSample, SAMPLES_DIR } from '../../src/store/demo';
import { getMeeting, listMeetings } from '../../src/store/meetings';
import { engines } from '../support/engines';
import { doc, jsonParser, meeting } from './helpers';
import { importDocument } from '../../src/store/import';

const hasParser = fs.existsSync(path.resolve(__dirname, '..', '..', 'src', 'minutes', 'index.ts'));

describe('demo samples', () => {
  it('fills date tokens relative to today, on weekdays, with Danish month names', () => {
    const fri = new Date('2026-11-20T10:00:00Z'); // a Friday
    expect(renderSample('{{date+14:yyyy-MM-dd}} {{date+14:d. MMMM yyyy}} {{date}} {{date+1}}', fri)).toBe('2026-12-04 4. december 2026 2026-11-20 2026-11-23');
  });

  it('are written for this project: every sample names the fictional forum', () => {
    const files = fs.readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) expect(fs.readFileSync(path.join(SAMPLES_DIR, f), 'utf8')).toContain('Socialdirektørforum Vestkyst');
  });
});

(hasParser ? describe.each(engines()) : describe.skip.each(engines()))('loadDemoData on %s', (_name, dbOptions) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(dbOptions());
  });
  afterAll(async () => {
    await db.close();
  });

  it('loads past minutes, an upcoming agenda and a written procedure into an empty store; again the next day it refreshes only the dated ones', async () => {
    const now = new Date('2026-11-22T08:00:00Z');
    const first = await loadDemoData(db, { now });
    expect(first.loaded).toBe(true);
    expect(first.results.map((r) => [r.file, r.result, r.meetingId])).toEqual([
      ['2026-03-13-sfv-referat.txt', 'created', 'sfv-2026-03-13'],
      ['2026-06-05-sfv-referat.txt', 'updated', 'sfv-2026-06-05'],
      ['2026-09-18-sfv-referat.txt', 'updated', 'sfv-2026-09-18'],
      ['upcoming-sfv-dagsorden.txt', 'created', 'sfv-2026-12-07'],
      ['upcoming-sfv-skriftlig-procedure.txt', 'created', 'sfv-2026-11-25'],
    ]);
    const up = await listMeetings(db, { upcoming: true, now });
    expect(up.map((m) => [m.id, m.kind, m.status])).toEqual([
      ['sfv-2026-11-25', 'written_procedure', 'agenda'],
      ['sfv-2026-12-07', 'meeting', 'agenda'],
    ]);
    const march = (await getMeeting(db, 'sfv-2026-03-13'))!;
    expect(march.forum).toBe('Socialdirektørforum Vestkyst');
    expect(march.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'approved', 'discussed', 'noted', 'other', 'other']);
    const june = (await getMeeting(db, 'sfv-2026-06-05'))!;
    expect(june.items.map((i) => i.outcome)).toContain('not_approved');
    expect(june.items.map((i) => i.outcome)).toContain('postponed');

    const later = new Date('2026-11-23T08:00:00Z');
    const second = await loadDemoData(db, { now: later });
    expect(second.results.map((r) => [r.file, r.result, r.meetingId])).toEqual([
      ['2026-03-13-sfv-referat.txt', 'unchanged', 'sfv-2026-03-13'],
      ['2026-06-05-sfv-referat.txt', 'unchanged', 'sfv-2026-06-05'],
      ['2026-09-18-sfv-referat.txt', 'unchanged', 'sfv-2026-09-18'],
      ['upcoming-sfv-dagsorden.txt', 'unchanged', 'sfv-2026-12-07'], // Sunday + 14 moved to Monday: the same day
      ['upcoming-sfv-skriftlig-procedure.txt', 'created', 'sfv-2026-11-26'],
    ]);
    expect((await listMeetings(db)).map((m) => m.id)).toEqual(['sfv-2026-03-13', 'sfv-2026-06-05', 'sfv-2026-09-18', 'sfv-2026-11-26', 'sfv-2026-12-07']);
  });

  it('leaves a store with other forums alone', async () => {
    await importDocument(db, doc(meeting()), { parse: jsonParser });
    const r = await loadDemoData(db);
    expect(r).toMatchObject({ loaded: false, results: [] });
  });
});
