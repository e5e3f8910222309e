import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { openDb } from '../../src/store/db';
import { upsertConversation } from '../../src/broadcasts';
import { seedFictional } from '../server/fixture';

const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', 'bin', 'forumbot.js');

jest.setTimeout(180_000);

/** The forumbot CLI of the broadcasts capability, as a user runs it (its own process, PGlite in DATA_DIR). */
describe('forumbot link / conversations / broadcast / deliveries', () => {
  let dir: string;
  let meetingId: string;
  const env = () => ({ ...process.env, FORUMBOT_FROM_SOURCE: '1', DATA_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent', AUTO_POST_MINUTES: 'false' });
  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [BIN, ...args], { env: env() });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (e) {
      const x = e as { code: number; stdout: string; stderr: string };
      return { code: x.code, stdout: x.stdout, stderr: x.stderr };
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-cli-bc-'));
    const db = await openDb({ dataDir: dir });
    meetingId = await seedFictional(db);
    for (const id of ['19:a@thread.tacv2', '19:b@thread.tacv2', '19:c@thread.tacv2']) {
      await upsertConversation(db, { id, type: 'channel', tenantId: 't', teamId: id, channelId: id, name: id, reference: { conversation: { id }, serviceUrl: 'http://127.0.0.1:9' } });
    }
    await upsertConversation(db, { id: 'a:p1', type: 'personal', tenantId: 't', aadObjectId: 'aad-1', reference: { conversation: { id: 'a:p1' }, serviceUrl: 'http://127.0.0.1:9' } });
    await db.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('links several conversations in one call and lists them as JSON', async () => {
    const link = await cli('link', '19:a@thread.tacv2', '19:b@thread.tacv2', '--forum', 'Direktørforum Vadehavet', '--json');
    expect({ code: link.code, stderr: link.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(link.stdout)).toMatchObject({ linked: ['19:a@thread.tacv2', '19:b@thread.tacv2'] });
    const list = await cli('conversations', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout) as Array<{ id: string; type: string; forums: string[]; status: string }>;
    expect(rows).toHaveLength(4);
    expect(rows.find((r) => r.id === '19:a@thread.tacv2')?.forums).toHaveLength(1);
    expect(rows.find((r) => r.id === '19:c@thread.tacv2')?.forums).toEqual([]);
    expect(rows.find((r) => r.id === 'a:p1')).toMatchObject({ type: 'personal', status: 'active' });
  });

  it('queues the minutes summary and reports each target as pending', async () => {
    const b = await cli('broadcast', 'minutes', meetingId, '--json');
    expect({ code: b.code, stderr: b.stderr }).toEqual({ code: 0, stderr: '' });
    const out = JSON.parse(b.stdout) as { broadcastId: string; state: string; channels: number };
    expect(out).toMatchObject({ state: 'queued', channels: 2 });
    const again = await cli('broadcast', 'minutes', meetingId, '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ broadcastId: out.broadcastId, state: 'unchanged' });
    const d = await cli('deliveries', out.broadcastId, '--json');
    expect(d.code).toBe(0);
    const report = JSON.parse(d.stdout) as { counts: Record<string, number>; targets: Array<{ conversationId: string; status: string }> };
    expect(report.counts).toEqual({ total: 2, sent: 0, failed: 0, pending: 2 });
    expect(report.targets.map((t) => t.status)).toEqual(['pending', 'pending']);
  });

  it('user errors exit 1 with one line; usage errors exit 2', async () => {
    const unknown = await cli('link', 'nope', '--forum', 'Direktørforum Vadehavet');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('forumbot: unknown conversation: nope');
    const noForum = await cli('link', '19:c@thread.tacv2');
    expect(noForum.code).toBe(2);
    const noMeeting = await cli('broadcast', 'agenda', 'no-such-meeting');
    expect(noMeeting.code).toBe(1);
    expect(noMeeting.stderr).toMatch(/no meeting no-such-meeting/);
    const noBroadcast = await cli('deliveries', 'b_nothing', '--json');
    expect(noBroadcast.code).toBe(1);
    expect(noBroadcast.stdout).toBe('');
  });
});
