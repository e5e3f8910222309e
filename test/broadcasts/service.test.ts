import { openDb, type Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';
import {
  broadcastAgenda,
  deliveriesOf,
  fireDueReminders,
  getBroadcast,
  installImportHook,
  linkConversations,
  planReminders,
  upsertConversation,
  type BroadcastSettings,
} from '../../src/broadcasts';
import { engines } from '../support/engines';
import { FICTIONAL_MEETING } from '../server/fixture';

const settings: BroadcastSettings = { baseUrl: 'https://bot.example', autoPostMinutes: true, reminderOffsets: [86_400_000] };
installImportHook(settings);

const importMeeting = (db: Db, m: Meeting, bytes: string) => importDocument(db, { data: Buffer.from(bytes), fileName: `${bytes}.txt` }, { parse: async () => m });

async function channel(db: Db, id: string) {
  await upsertConversation(db, { id, type: 'channel', tenantId: 't', teamId: id, channelId: id, reference: { conversation: { id }, serviceUrl: 'http://x' } });
}

describe.each(engines())('meeting broadcasts on %s', (_name, opts) => {
  let db: Db;
  beforeEach(async () => {
    db = await openDb(opts());
  });
  afterEach(async () => {
    await db.close();
  });

  it('AUTO_POST_MINUTES posts on import; the same minutes again post nothing; changed minutes update', async () => {
    // first import creates the forum; link a channel, then import the minutes
    const agenda: Meeting = { ...FICTIONAL_MEETING, status: 'agenda', items: FICTIONAL_MEETING.items.map((i) => ({ ...i, decision: null, outcome: null })) };
    const a = await importMeeting(db, agenda, 'agenda-v1');
    expect(await getBroadcast(db, `minutes:${a.meetingId}`)).toBeNull();
    await channel(db, 'ch1');
    await linkConversations(db, ['ch1'], FICTIONAL_MEETING.forum!, 'test');
    const m = await importMeeting(db, FICTIONAL_MEETING, 'minutes-v1');
    expect(m).toMatchObject({ meetingId: a.meetingId, result: 'updated' });
    const b = await getBroadcast(db, `minutes:${m.meetingId}`);
    expect(b).toMatchObject({ kind: 'minutes', version: 1 });
    expect((await deliveriesOf(db, b!.id)).map((d) => d.conversationId)).toEqual(['ch1']);
    // same bytes: the importer says unchanged, nothing is queued
    expect((await importMeeting(db, FICTIONAL_MEETING, 'minutes-v1')).result).toBe('unchanged');
    expect((await getBroadcast(db, b!.id))!.version).toBe(1);
    // other bytes but the same content: the card is the same, so no new version
    await importMeeting(db, FICTIONAL_MEETING, 'minutes-v1-copy');
    expect((await getBroadcast(db, b!.id))!.version).toBe(1);
    // changed content: a new version of the same broadcast (the worker updates the posted card)
    const changed = { ...FICTIONAL_MEETING, items: FICTIONAL_MEETING.items.map((i) => (i.number === 1 ? { ...i, decision: 'Godkendt med en tilføjelse.' } : i)) };
    await importMeeting(db, changed, 'minutes-v2');
    const b2 = (await getBroadcast(db, b!.id))!;
    expect(b2.version).toBe(2);
    expect(JSON.stringify(b2.message.card)).toContain('Godkendt med en tilføjelse.');
    const [d] = await deliveriesOf(db, b!.id);
    expect(d).toMatchObject({ status: 'pending', version: 2 });
  });

  it('plans reminders at the offsets and fires each exactly once, also with two callers at once', async () => {
    const start = new Date(Date.now() + 86_400_000 - 60_000); // the 1-day reminder is already due
    const future: Meeting = { ...FICTIONAL_MEETING, status: 'agenda', start: start.toISOString(), end: null, items: FICTIONAL_MEETING.items.map((i) => ({ ...i, decision: null, outcome: null })) };
    const r = await importMeeting(db, future, 'future-agenda');
    await channel(db, 'ch1');
    await channel(db, 'ch2');
    await linkConversations(db, ['ch1', 'ch2'], FICTIONAL_MEETING.forum!, 'test');
    await upsertConversation(db, { id: 'a:p1', type: 'personal', tenantId: 't', aadObjectId: 'aad-1', reference: { conversation: { id: 'a:p1' }, serviceUrl: 'http://x' } });
    await broadcastAgenda(db, r.meetingId!, settings, { personal: true });
    expect(await planReminders(db, [86_400_000, 3_600_000])).toBe(2);
    expect(await planReminders(db, [86_400_000, 3_600_000])).toBe(0); // idempotent
    const fired = await Promise.all([fireDueReminders(db, settings), fireDueReminders(db, settings)]);
    expect(fired[0] + fired[1]).toBe(1); // only the 1-day reminder is due, and it fires once
    expect(await fireDueReminders(db, settings)).toBe(0);
    const b = await getBroadcast(db, `reminder:${r.meetingId}:86400000`);
    expect((await deliveriesOf(db, b!.id)).map((d) => d.conversationId).sort()).toEqual(['a:p1', 'ch1', 'ch2']);
    expect(JSON.stringify(b!.message.card)).toContain('Påmindelse: mødet er i morgen');
    expect(await getBroadcast(db, `reminder:${r.meetingId}:3600000`)).toBeNull();
  });
});
