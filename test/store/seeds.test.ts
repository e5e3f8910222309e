import fs from 'fs';
import path from 'path';
import { openDb, type Db } from '../../src/store/db';
import { importDocument, parseChecked } from '../../src/store/import';
import { getMeeting, listMeetings } from '../../src/store/meetings';
import { engines } from '../support/engines';
import { describeWithSeeds, seedFiles, seedPath } from '../support/seeds';
import { doc, jsonParser } from './helpers';

/** The store with the real minutes in ../shared/seeds (read from there, never copied). */
const hasParser = fs.existsSync(path.resolve(__dirname, '..', '..', 'src', 'minutes', 'index.ts'));

describeWithSeeds('store with the seeds', () => {
  (hasParser ? describe.each(engines()) : describe.skip.each(engines()))('on %s', (_name, dbOptions) => {
    let db: Db;
    beforeAll(async () => {
      db = await openDb(dbOptions());
    });
    afterAll(async () => {
      await db.close();
    });

    it('imports each seed under its forum, and the agenda made from a seed is completed by the seed itself', async () => {
      // the agenda: the seed's own meeting with the decisions taken out, imported first
      const data = fs.readFileSync(seedPath('003'));
      const { meeting } = await parseChecked({ data, fileName: 'das.txt' });
      const agenda = { ...meeting, status: 'agenda' as const, items: meeting.items.map((it) => ({ ...it, decision: null, outcome: null })) };
      const a = await importDocument(db, doc(agenda, 'das-dagsorden.txt'), { parse: jsonParser });
      expect(a).toMatchObject({ meetingId: 'das-2020-05-25', result: 'created', status: 'agenda' });

      const results = [];
      for (const f of seedFiles()) results.push(await importDocument(db, { data: fs.readFileSync(f), fileName: path.basename(f) }));
      expect(results.map((r) => [r.meetingId, r.result, r.forum])).toEqual([
        ['sdf-2014-10-03', 'created', 'Socialdirektørforum'],
        ['sdf-2016-08-15', 'created', 'Socialdirektørforum'],
        ['sdf-2023-10-02', 'created', 'Socialdirektørforum'],
        ['das-2020-05-25', 'updated', 'Den Administrative Styregruppe på socialområdet'],
        ['socdir-2011-12-14', 'created', 'Socialdirektørkredsen'],
      ]);
      const das = (await getMeeting(db, 'das-2020-05-25'))!;
      expect(das.status).toBe('minutes');
      expect(das.items.length).toBe(meeting.items.length);
      expect(das.items.filter((i) => i.decision).length).toBeGreaterThan(5);
      const wp = (await getMeeting(db, 'sdf-2023-10-02'))!;
      expect(wp.kind).toBe('written_procedure');

      // "Næste møde" statements planned the next meetings
      const up = await listMeetings(db, { upcoming: true, now: new Date('2014-10-04T00:00:00Z'), forumId: 'socialdirektoerforum' });
      expect(up[0]).toMatchObject({ id: 'sdf-2014-12-12', status: 'planned', origin: 'next_meeting' });
      const afterDas = await listMeetings(db, { upcoming: true, now: new Date('2020-05-26T00:00:00Z'), forumId: 'das' });
      expect(afterDas.map((m) => m.id)).toEqual(['das-2020-08-17']);

      // full-text search over the stored items works in Danish
      const hits = await db.query<{ meeting_id: string; number: number }>(
        "select meeting_id, number from items where search @@ websearch_to_tsquery('danish', 'takststigning krisecenter') order by meeting_id, number",
      );
      expect(hits.rows.map((h) => h.meeting_id)).toContain('das-2020-05-25');

      const again = [];
      for (const f of seedFiles()) again.push((await importDocument(db, { data: fs.readFileSync(f), fileName: path.basename(f) })).result);
      expect(again).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    });
  });
});
