import fs from 'fs';
import os from 'os';
import path from 'path';
import { runForumbot, type Run } from '../support/cli';

/**
 * The real `forumbot` command (bin/forumbot.js on the sources) with a PGlite store in a temporary DATA_DIR:
 * roster import, procedure create/show/audit/extend/close/cancel, exit codes and --json shapes.
 */
const ROOT = path.resolve(__dirname, '..', '..');
jest.setTimeout(300_000);


let tmp: string;
let dataDir: string;

function forumbot(...args: string[]): Promise<Run> {
  return runForumbot(args, dataDir);
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-proc-cli-'));
  dataDir = path.join(tmp, 'data');
  fs.writeFileSync(
    path.join(tmp, 'roster.csv'),
    'name,organisation,aadObjectId,role\nAnne Andersen,Kommune A,aad-a,member\n"Berg, Bo",Kommune B,aad-b,member\nCarl Cold,Kommune C,aad-c,substitute\n',
  );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test('roster import, procedure create --json, show --json, audit --csv, extend, close, cancel', async () => {
  const imp = await forumbot('roster', 'import', path.join(tmp, 'roster.csv'), '--forum', 'SDF', '--json');
  expect(imp.code).toBe(0);
  expect(JSON.parse(imp.stdout)).toMatchObject({ forumId: 'socialdirektoerforum', created: 3, total: 3 });
  const roster = JSON.parse((await forumbot('roster', '--forum', 'Socialdirektørforum', '--json')).stdout);
  expect(roster.members.map((m: { name: string; votes: boolean }) => [m.name, m.votes])).toEqual(
    expect.arrayContaining([['Anne Andersen', true], ['Berg, Bo', true], ['Carl Cold', false]]),
  );

  const deadline = new Date(Date.now() + 7 * 86_400_000).toISOString();
  fs.writeFileSync(
    path.join(tmp, 'spec.json'),
    JSON.stringify({ forum: 'Socialdirektørforum', title: 'CLI-procedure', deadline, rule: 'unanimity', quorum: 0.5, items: [{ title: 'Punkt A', recommendation: 'Godkend' }, { title: 'Punkt B' }], voters: 'roster' }),
  );
  const created = await forumbot('procedure', 'create', '--file', path.join(tmp, 'spec.json'), '--json');
  expect(created.code).toBe(0);
  const { id } = JSON.parse(created.stdout);
  expect(id).toMatch(/^sp-\d{8}-[0-9a-f]{6}$/);

  const show = await forumbot('procedure', 'show', id, '--json');
  expect(show.code).toBe(0);
  const s = JSON.parse(show.stdout);
  expect(s).toMatchObject({ id, status: 'open', rule: 'unanimity', quorum: 0.5 });
  expect(s.items[0]).toEqual(expect.objectContaining({ number: 1, title: 'Punkt A', for: 0, against: 0, abstain: 0, meetingRequested: 0, outcome: null }));
  expect(s.voters.map((v: { aadObjectId: string; voted: boolean }) => [v.aadObjectId, v.voted])).toEqual([['aad-a', false], ['aad-b', false]]);

  const audit = await forumbot('procedure', 'audit', id, '--csv');
  expect(audit.code).toBe(0);
  expect(audit.stdout.trim()).toBe('at,item,item_title,who,who_aad_object_id,on_behalf_of,on_behalf_of_aad_object_id,from,to,comment,invoke_id');

  const early = await forumbot('procedure', 'close', id);
  expect(early.code).toBe(1);
  expect(early.stderr).toMatch(/alle har stemt \(0 af 2 har stemt\)/);
  expect(early.stderr.trim().split('\n')).toHaveLength(1);

  const sub = await forumbot('procedure', 'substitute', id, '--member', 'Anne Andersen', '--substitute', 'Carl Cold', '--json');
  expect(JSON.parse(sub.stdout)).toMatchObject({ member: 'aad-a', substitute: 'aad-c' });

  const ext = await forumbot('procedure', 'extend', id, '--deadline', new Date(Date.now() + 9 * 86_400_000).toISOString(), '--json');
  expect(ext.code).toBe(0);
  const cancel = await forumbot('procedure', 'cancel', id, '--json');
  expect(JSON.parse(cancel.stdout)).toEqual({ id, status: 'cancelled' });
  const again = await forumbot('procedure', 'cancel', id);
  expect(again.code).toBe(1);

  const bad = await forumbot('procedure', 'create', '--file', path.join(tmp, 'roster.csv'), '--json');
  expect(bad.code).toBe(1);
  expect(bad.stdout).toBe('');
  const usage = await forumbot('procedure', 'create', '--from-meeting', 'x');
  expect(usage.code).toBe(2);
});
