import fs from 'fs';
import os from 'os';
import path from 'path';
import { openDb, type Db } from '../../src/store/db';
import { findForumMentions, listForums, matchForum, resolveForum } from '../../src/store/forums';
import { addImportHook, importDocument, importFiles } from '../../src/store/import';
import { importIcs } from '../../src/store/ics';
import { getMeeting, listMeetings, planMeeting } from '../../src/store/meetings';
import { ensureKnownForums, KNOWN_FORUMS } from '../../src/store/forums';
import { engines } from '../support/engines';
import { doc, jsonParser, meeting, minutesOf } from './helpers';

const opts = { parse: jsonParser };
const count = async (db: Db, table: string) => (await db.query<{ n: number }>(`select count(*)::int n from ${table}`)).rows[0].n;
const counts = async (db: Db) => ({
  meetings: await count(db, 'meetings'),
  items: await count(db, 'items'),
  attendees: await count(db, 'attendees'),
  documents: await count(db, 'documents'),
  audit: await count(db, 'audit_log'),
});

describe.each(engines())('store on %s', (_engine, dbOptions) => {
  let db: Db;
  // one database per engine (opening and migrating is the slow part); each test starts from an empty store
  beforeAll(async () => {
    db = await openDb(dbOptions());
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.exec(`truncate meetings, attendees, items, documents, audit_log cascade;
      delete from forums where id not in (${KNOWN_FORUMS.map((f) => `'${f.id}'`).join(', ')})`);
  });

  it('imports a document once: the same bytes again change nothing', async () => {
    const d = doc(meeting(), 'sdf-dagsorden.txt');
    const first = await importDocument(db, d, opts);
    expect(first).toMatchObject({ file: 'sdf-dagsorden.txt', meetingId: 'sdf-2014-10-03', result: 'created', status: 'agenda' });
    const before = await counts(db);
    expect(before).toEqual({ meetings: 1, items: 2, attendees: 2, documents: 1, audit: 1 });
    const updatedAt = (await db.query<{ u: Date }>('select updated_at u from meetings')).rows[0].u;
    const again = await importDocument(db, d, opts);
    expect(again).toEqual({ file: 'sdf-dagsorden.txt', meetingId: 'sdf-2014-10-03', result: 'unchanged' });
    expect(await counts(db)).toEqual(before);
    expect((await db.query<{ u: Date }>('select updated_at u from meetings')).rows[0].u).toEqual(updatedAt);
  });

  it('returns the Meeting JSON with id, stored forum name and source', async () => {
    await importDocument(db, doc(meeting({ forum: 'SDF' }), 'a.txt'), opts);
    const m = await getMeeting(db, 'sdf-2014-10-03');
    expect(m).not.toBeNull();
    expect(m!.id).toBe('sdf-2014-10-03');
    expect(m!.forum).toBe('Socialdirektørforum');
    expect(m!.start).toBe('2014-10-03T09:00:00+02:00');
    expect(m!.end).toBe('2014-10-03T12:00:00+02:00');
    expect(m!.location).toBe('Rådhuset, Saltvig');
    expect(m!.participants).toEqual([{ name: 'Anna Lund', organisation: 'Saltvig Kommune' }]);
    expect(m!.absent.map((p) => p.name)).toEqual(['Bo Holm']);
    expect(m!.items.map((i) => [i.number, i.title, i.attachments])).toEqual([
      [1, 'Godkendelse af dagsorden', []],
      [2, 'Takst for Havbrynet 2015', ['Bilag 2a Takstoversigt']],
    ]);
    expect(m!.source.file).toBe('a.txt');
    expect(m!.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    for (const k of ['id', 'forum', 'title', 'kind', 'status', 'start', 'end', 'location', 'participants', 'absent', 'items', 'nextMeeting', 'source']) expect(m).toHaveProperty(k);
    expect(await getMeeting(db, 'nope-2000-01-01')).toBeNull();
  });

  it('updates the meeting when its minutes follow the agenda', async () => {
    const agenda = meeting();
    const a = await importDocument(db, doc(agenda, 'dagsorden.txt'), opts);
    const m = await importDocument(db, doc(minutesOf(agenda, { location: null }), 'referat.txt'), opts);
    expect(m).toMatchObject({ meetingId: a.meetingId, result: 'updated', status: 'minutes' });
    expect(await count(db, 'meetings')).toBe(1);
    expect(await count(db, 'documents')).toBe(2);
    const stored = await getMeeting(db, a.meetingId!);
    expect(stored!.status).toBe('minutes');
    expect(stored!.items[1].decision).toBe('Stigningen blev godkendt.');
    expect(stored!.location).toBe('Rådhuset, Saltvig'); // the minutes left it out; the agenda said it
    expect(stored!.source.file).toBe('referat.txt');
    const items = await db.query<{ decision: string | null; outcome: string | null }>('select decision, outcome from items order by position');
    expect(items.rows).toEqual([
      { decision: 'Godkendt.', outcome: 'approved' },
      { decision: 'Stigningen blev godkendt.', outcome: 'approved' },
    ]);
    // the agenda arriving late does not undo the minutes
    const late = await importDocument(db, doc({ ...agenda, title: 'Dagsorden, version 2' }, 'dagsorden-v2.txt'), opts);
    expect(late).toMatchObject({ meetingId: a.meetingId, result: 'unchanged' });
    expect((await getMeeting(db, a.meetingId!))!.status).toBe('minutes');
  });

  it('rewrites attendees and items on update: fewer of them leave no stale rows', async () => {
    const agenda = meeting({
      participants: [
        { name: 'Anna Lund', organisation: 'Saltvig Kommune' },
        { name: 'Carl Vad', organisation: 'Havbjerg Kommune' },
      ],
      items: [...meeting().items, { number: 3, title: 'Eventuelt', background: null, recommendation: null, decision: null, outcome: null, attachments: [] }],
    });
    const a = await importDocument(db, doc(agenda, 'a.txt'), opts);
    expect(await count(db, 'items')).toBe(3);
    expect(await count(db, 'attendees')).toBe(3);
    const minutes = minutesOf(meeting({ participants: [{ name: 'Carl Vad', organisation: 'Havbjerg Kommune', role: 'chair' }], absent: [] }));
    await importDocument(db, doc(minutes, 'm.txt'), opts);
    const people = await db.query<{ name: string; role: string }>('select name, role from attendees where meeting_id = $1 order by position', [a.meetingId]);
    expect(people.rows).toEqual([{ name: 'Carl Vad', role: 'chair' }]);
    const items = await db.query<{ number: number; decision: string | null }>('select number, decision from items where meeting_id = $1 order by position', [a.meetingId]);
    expect(items.rows).toEqual([
      { number: 1, decision: 'Godkendt.' },
      { number: 2, decision: 'Stigningen blev godkendt.' },
    ]);
    const hits = await db.query<{ n: number }>("select count(*)::int n from items where search @@ to_tsquery('danish', 'stigning')");
    expect(hits.rows[0].n).toBe(1);
  });

  it('completes a planned meeting with its agenda and then its minutes, never duplicating it', async () => {
    await ensureKnownForums(db);
    const forum = (await resolveForum(db, 'DAS'))!;
    const planned = await db.transaction((tx) => planMeeting(tx, { forum, start: '2020-05-25T09:00', end: '2020-05-25T12:00', location: 'Rådhuset, Saltvig', origin: 'planned' }));
    expect(planned).toEqual({ meetingId: 'das-2020-05-25', result: 'created' });
    expect((await getMeeting(db, 'das-2020-05-25'))!.start).toBe('2020-05-25T09:00:00+02:00');
    const agenda = meeting({ forum: 'Den Administrative Styregruppe på socialområdet', start: '2020-05-25', end: null, location: null });
    const a = await importDocument(db, doc(agenda, 'das-dagsorden.txt'), opts);
    expect(a).toMatchObject({ meetingId: 'das-2020-05-25', result: 'updated', status: 'agenda' });
    const m = await importDocument(db, doc(minutesOf(agenda), 'das-referat.txt'), opts);
    expect(m).toMatchObject({ meetingId: 'das-2020-05-25', result: 'updated', status: 'minutes' });
    expect(await count(db, 'meetings')).toBe(1);
    const stored = (await getMeeting(db, 'das-2020-05-25'))!;
    expect(stored.start).toBe('2020-05-25T09:00:00+02:00'); // the planned time stays: the documents gave a date alone
    expect(stored.end).toBe('2020-05-25T12:00:00+02:00');
    expect(stored.location).toBe('Rådhuset, Saltvig');
    expect(stored.origin).toBe('planned');
    // planning the same date again leaves the meeting with minutes alone
    const again = await db.transaction((tx) => planMeeting(tx, { forum, start: '2020-05-25T10:00', origin: 'planned' }));
    expect(again).toEqual({ meetingId: 'das-2020-05-25', result: 'unchanged' });
  });

  it('plans the stated next meeting, which the next documents complete', async () => {
    const first = minutesOf(meeting(), { nextMeeting: '2014-12-12' });
    await importDocument(db, doc(first, 'okt.txt'), opts);
    const planned = await getMeeting(db, 'sdf-2014-12-12');
    expect(planned).toMatchObject({ status: 'planned', start: '2014-12-12', origin: 'next_meeting', items: [] });
    const up = await listMeetings(db, { upcoming: true, now: new Date('2014-10-05T10:00:00Z') });
    expect(up.map((m) => m.id)).toEqual(['sdf-2014-12-12']);
    const dec = await importDocument(db, doc(meeting({ start: '2014-12-12T10:00:00+01:00', end: null }), 'dec.txt'), opts);
    expect(dec).toMatchObject({ meetingId: 'sdf-2014-12-12', result: 'updated', status: 'agenda' });
    expect(await count(db, 'meetings')).toBe(2);

    // a stated date that already has a meeting (planned with a time) leaves that meeting as it is
    const forum = (await resolveForum(db, 'SDF'))!;
    await db.transaction((tx) => planMeeting(tx, { forum, start: '2015-03-06T13:00', location: 'Klitby Rådhus', origin: 'planned' }));
    await importDocument(db, doc(minutesOf(meeting({ start: '2015-01-09T09:00:00+01:00' }), { nextMeeting: '2015-03-06' }), 'jan.txt'), opts);
    expect(await getMeeting(db, 'sdf-2015-03-06')).toMatchObject({ start: '2015-03-06T13:00:00+01:00', location: 'Klitby Rådhus', origin: 'planned' });
    expect(await count(db, 'meetings')).toBe(4);
  });

  it('keeps a failing file from leaving anything behind, and imports the rest of the batch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-batch-'));
    try {
      fs.writeFileSync(path.join(dir, '1-good.txt'), JSON.stringify(meeting({ start: '2015-01-09T09:00:00+01:00' })));
      fs.writeFileSync(path.join(dir, '2-breaks.txt'), JSON.stringify(meeting({ start: '2015-02-09T09:00:00+01:00', title: 'BREAK ME' })));
      fs.writeFileSync(path.join(dir, '3-empty.txt'), '');
      fs.writeFileSync(path.join(dir, '4-binary.txt'), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 7919) % 256)));
      fs.writeFileSync(path.join(dir, '5-good.txt'), JSON.stringify(meeting({ start: '2015-03-09T09:00:00+01:00' })));
      // a hook failing inside the transaction, after the meeting, items and attendees were written
      const remove = addImportHook(async (_tx, e) => {
        if (e.meeting.title === 'BREAK ME') throw new Error('hook failed');
      });
      const before = await counts(db);
      let results;
      try {
        results = await importFiles(db, [dir, path.join(dir, 'missing.txt')], opts);
      } finally {
        remove();
      }
      expect(results.map((r) => [path.basename(r.file), r.result])).toEqual([
        ['1-good.txt', 'created'],
        ['2-breaks.txt', 'error'],
        ['3-empty.txt', 'error'],
        ['4-binary.txt', 'error'],
        ['5-good.txt', 'created'],
        ['missing.txt', 'error'],
      ]);
      const errors = results.filter((r) => r.result === 'error').map((r) => (r as { error: string }).error);
      expect(errors[0]).toContain('hook failed');
      expect(errors[1]).toMatch(/empty/);
      expect(errors[2]).toMatch(/binary/);
      expect(errors[3]).toMatch(/not found/);
      const after = await counts(db);
      expect(after).toEqual({ meetings: before.meetings + 2, items: before.items + 4, attendees: before.attendees + 4, documents: before.documents + 2, audit: before.audit + 2 });
      expect(await getMeeting(db, 'sdf-2015-02-09')).toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a document with no agenda items', async () => {
    await expect(importDocument(db, doc(meeting({ items: [] })), opts)).rejects.toThrow('no agenda items found');
    expect(await count(db, 'meetings')).toBe(0);
  });

  it('recognises forums under their short names and aliases, and creates unknown ones', async () => {
    await ensureKnownForums(db);
    const id = async (n: string) => (await resolveForum(db, n))?.id ?? null;
    expect(await id('SDF')).toBe('socialdirektoerforum');
    expect(await id('sdf')).toBe('socialdirektoerforum');
    expect(await id('Socialdirektørforum Syddanmark')).toBe('socialdirektoerforum');
    expect(await id('socialdirektorforum')).toBe('socialdirektoerforum');
    expect(await id('DAS')).toBe('das');
    expect(await id('den administrative styregruppe paa socialomraadet')).toBe('das');
    expect(await id('Møde i DAS')).toBe('das');
    expect(await id('SOCDIR')).toBe('socialdirektoerkredsen');
    expect(await id('Socialdirektørkredsen')).toBe('socialdirektoerkredsen');
    expect(await id('FU')).toBe('fu');
    expect(await id('forretningsudvalget')).toBe('fu');
    expect(await id('Socialdirektørforum Vestkyst')).toBeNull();
    expect(await id('DASS')).toBeNull();
    const fu = (await resolveForum(db, 'FU'))!;
    expect(fu.prepares).toEqual(expect.arrayContaining(['socialdirektoerforum', 'das', 'socialdirektoerkredsen']));

    const r1 = await importDocument(db, doc(meeting({ forum: 'das' }), 'das.txt'), opts);
    expect(r1).toMatchObject({ meetingId: 'das-2014-10-03', forum: 'Den Administrative Styregruppe på socialområdet' });
    const r2 = await importDocument(db, doc(meeting({ forum: 'Socialdirektørforum Vestkyst' }), 'v.txt'), opts);
    expect(r2).toMatchObject({ meetingId: 'socialdirektoerforum-vestkyst-2014-10-03', forum: 'Socialdirektørforum Vestkyst' });
    const r3 = await importDocument(db, doc(meeting({ forum: 'SOCIALDIREKTØRFORUM VESTKYST', start: '2014-11-03' }), 'v2.txt'), opts);
    expect(r3.forum).toBe('Socialdirektørforum Vestkyst');
    const forums = await listForums(db);
    expect(forums.filter((f) => f.name.includes('Vestkyst'))).toHaveLength(1);
    expect(matchForum(forums, 'Socialdirektørforum Vestkyst')?.id).toBe('socialdirektoerforum-vestkyst');
    expect(findForumMentions(forums, 'hvad besluttede das og FU i maj, og hvad sagde socialdirektorkredsen?').map((m) => [m.forum.id, m.text])).toEqual([
      ['das', 'das'],
      ['fu', 'FU'],
      ['socialdirektoerkredsen', 'socialdirektorkredsen'],
    ]);
  });

  it('gives two meetings of one forum on one day distinct ids', async () => {
    const a = await importDocument(db, doc(meeting(), 'm.txt'), opts);
    const b = await importDocument(db, doc(meeting({ kind: 'written_procedure', title: 'Møde del 2 afklares per mail', location: 'Per mail' }), 'p.txt'), opts);
    expect([a.meetingId, b.meetingId]).toEqual(['sdf-2014-10-03', 'sdf-2014-10-03-2']);
    const c = await importDocument(db, doc(minutesOf(meeting({ kind: 'written_procedure', title: 'Møde del 2 afklares per mail' })), 'p2.txt'), opts);
    expect(c).toMatchObject({ meetingId: 'sdf-2014-10-03-2', result: 'updated' });
  });

  it('lists upcoming meetings against a fixed clock, soonest first, and filters by forum', async () => {
    await importDocument(db, doc(meeting({ start: '2026-03-05T09:00:00+01:00', end: '2026-03-05T12:00:00+01:00' }), '1.txt'), opts);
    await importDocument(db, doc(meeting({ start: '2026-03-19', end: null }), '2.txt'), opts);
    await importDocument(db, doc(meeting({ start: '2026-01-10T09:00:00+01:00', end: null }), '3.txt'), opts);
    await importDocument(db, doc(meeting({ forum: 'DAS', start: '2026-03-10T13:00:00+01:00', end: null }), '4.txt'), opts);
    const ids = async (now: string, forumId?: string) => (await listMeetings(db, { upcoming: true, now: new Date(now), forumId })).map((m) => m.id);
    expect(await ids('2026-03-01T00:00:00Z')).toEqual(['sdf-2026-03-05', 'das-2026-03-10', 'sdf-2026-03-19']);
    // during the meeting it is still upcoming; after its end it is not
    expect(await ids('2026-03-05T10:00:00Z')).toEqual(['sdf-2026-03-05', 'das-2026-03-10', 'sdf-2026-03-19']);
    expect(await ids('2026-03-05T11:30:00Z')).toEqual(['das-2026-03-10', 'sdf-2026-03-19']);
    // a date-only meeting counts as upcoming the whole day
    expect(await ids('2026-03-19T20:00:00Z')).toEqual(['sdf-2026-03-19']);
    expect(await ids('2026-03-19T23:30:00Z')).toEqual([]); // 00:30 on the 20th in Copenhagen
    expect(await ids('2026-03-01T00:00:00Z', 'das')).toEqual(['das-2026-03-10']);
    const all = await listMeetings(db);
    expect(all.map((m) => m.id)).toEqual(['sdf-2026-01-10', 'sdf-2026-03-05', 'das-2026-03-10', 'sdf-2026-03-19']);
    expect(all[0]).toMatchObject({ forum: 'Socialdirektørforum', status: 'agenda', itemCount: 2 });
  });

  it('plans the year from a calendar (.ics), and a re-imported calendar moves a meeting', async () => {
    const cal = (march: string) =>
      Buffer.from(
        [
          'BEGIN:VCALENDAR',
          'VERSION:2.0',
          'PRODID:-//forumbot test//DA',
          'X-WR-CALNAME:Årshjul DAS 2027',
          'BEGIN:VEVENT',
          'UID:das-1@test',
          'DTSTAMP:20260101T000000Z',
          `DTSTART;TZID=Europe/Copenhagen:${march}T090000`,
          `DTEND;TZID=Europe/Copenhagen:${march}T120000`,
          'SUMMARY:Møde i DAS',
          'LOCATION:Rådhuset\\, Saltvig',
          'END:VEVENT',
          'BEGIN:VEVENT',
          'UID:das-2@test',
          'DTSTAMP:20260101T000000Z',
          'DTSTART;VALUE=DATE:20270611',
          'SUMMARY:Temadag',
          'END:VEVENT',
          'END:VCALENDAR',
          '',
        ].join('\r\n'),
      );
    const first = await importIcs(db, { data: cal('20270305'), fileName: 'aarshjul.ics' });
    expect(first.map((r) => [r.meetingId, r.result])).toEqual([
      ['das-2027-03-05', 'created'],
      ['das-2027-06-11', 'created'],
    ]);
    const m = (await getMeeting(db, 'das-2027-03-05'))!;
    expect(m).toMatchObject({ status: 'planned', start: '2027-03-05T09:00:00+01:00', end: '2027-03-05T12:00:00+01:00', location: 'Rådhuset, Saltvig', origin: 'ics' });
    expect((await getMeeting(db, 'das-2027-06-11'))!).toMatchObject({ start: '2027-06-11', title: 'Temadag' });
    const again = await importIcs(db, { data: cal('20270305'), fileName: 'aarshjul.ics' });
    expect(again.map((r) => r.result)).toEqual(['unchanged', 'unchanged']);
    const moved = await importIcs(db, { data: cal('20270312'), fileName: 'aarshjul-v2.ics' });
    expect(moved.map((r) => [r.meetingId, r.result])).toEqual([
      ['das-2027-03-05', 'updated'],
      ['das-2027-06-11', 'unchanged'],
    ]);
    expect((await getMeeting(db, 'das-2027-03-05'))!.start).toBe('2027-03-12T09:00:00+01:00');
    expect(await count(db, 'meetings')).toBe(2);
    // the agenda for the moved date completes the planned meeting
    const agenda = await importDocument(db, doc(meeting({ forum: 'DAS', start: '2027-03-12T09:00:00+01:00' }), 'das-marts.txt'), opts);
    expect(agenda).toMatchObject({ meetingId: 'das-2027-03-05', result: 'updated' });
    await expect(importIcs(db, { data: Buffer.from(cal('20270305').toString().replace('X-WR-CALNAME:Årshjul DAS 2027\r\n', '').replace('SUMMARY:Møde i DAS', 'SUMMARY:Møde')), fileName: 'x.ics' })).rejects.toThrow(/--forum/);
  });
});
