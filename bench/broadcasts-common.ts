import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import path from 'path';
import { openDb, type Db } from '../src/store/db';
import { importDocument } from '../src/store/import';
import { linkConversations, upsertConversation } from '../src/broadcasts';
import type { Meeting } from '../src/minutes/model';

/** Shared by the broadcast benchmarks: seeding, server processes, waiting. */

export const ROOT = path.join(__dirname, '..');
export const TENANT = 'tenant-bench';
export const SECRETARY_AAD = 'aad-bench-secretary';

export const BENCH_MEETING: Meeting = {
  id: null,
  forum: 'Benchmarkforum Syd',
  title: 'Møde i Benchmarkforum Syd den 4. februar 2026',
  kind: 'meeting',
  status: 'minutes',
  start: '2026-02-04T10:00:00+01:00',
  end: '2026-02-04T12:00:00+01:00',
  location: 'Mødelokale 1, Testvej 2, 5000 Odense',
  participants: [{ name: 'Bo Bench', organisation: 'Testby Kommune' }],
  absent: [],
  items: [
    { number: 1, title: 'Godkendelse af dagsorden', background: null, recommendation: null, decision: 'Godkendt.', outcome: 'approved', attachments: [] },
    { number: 2, title: 'Fælles udbud af kørsel', background: null, recommendation: 'Det indstilles, at udbuddet godkendes.', decision: 'Udbuddet blev godkendt.', outcome: 'approved', attachments: [] },
  ],
  nextMeeting: null,
  source: { file: 'bench.txt', sha256: null },
};

export const channelId = (i: number) => `19:bench-${String(i).padStart(5, '0')}@thread.tacv2`;

/** n channels (one team each) linked to the bench forum, and the minutes of one meeting. Returns the meeting id. */
export async function seed(db: Db, n: number, serviceUrl: string): Promise<string> {
  const r = await importDocument(db, { data: Buffer.from(`bench minutes ${Date.now()}`), fileName: 'bench.txt' }, { parse: async () => BENCH_MEETING });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = channelId(i);
    await upsertConversation(db, {
      id,
      type: 'channel',
      tenantId: TENANT,
      teamId: id,
      channelId: id,
      name: `Bench team ${i} / General`,
      reference: {
        channelId: 'msteams',
        serviceUrl,
        conversation: { id, conversationType: 'channel', isGroup: true, tenantId: TENANT },
        bot: { id: '28:forumbot-bench', name: 'forumbot' },
        user: { id: '29:bench-user', aadObjectId: SECRETARY_AAD },
      },
    });
    ids.push(id);
  }
  for (let i = 0; i < ids.length; i += 500) await linkConversations(db, ids.slice(i, i + 500), BENCH_MEETING.forum!, 'bench');
  return r.meetingId!;
}

export interface ServerProc {
  proc: ChildProcess;
  port: number;
  url: string;
  logFile: string;
  exited: Promise<number | null>;
}

/** Servers this benchmark started: killed when it exits, also on an error. */
const spawned = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of spawned) p.kill('SIGKILL');
});

/** `forumbot serve` from the TypeScript sources, as its own process (so it can be killed with -9). */
export async function startServerProcess(env: Record<string, string>, port: number, logFile: string): Promise<ServerProc> {
  const out = fs.openSync(logFile, 'a');
  // BENCH_SERVER_NODE_ARGS: extra node flags for the server, e.g. --cpu-prof --cpu-prof-dir=/tmp/prof
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeArgs, path.join(ROOT, 'bin', 'forumbot.js'), 'serve', '--port', String(port)], {
    cwd: ROOT,
    env: { ...process.env, FORUMBOT_FROM_SOURCE: '1', LOG_LEVEL: 'info', SECRETARIAT_AAD_IDS: SECRETARY_AAD, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', out, out],
  });
  spawned.add(proc);
  const exited = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      spawned.delete(proc);
      resolve(code);
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 180_000; // a loaded machine compiles the sources slowly
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited early; see ${logFile}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > end) throw new Error(`server did not start; see ${logFile}`);
    await sleep(200);
  }
  return { proc, port, url, logFile, exited };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function waitFor(pred: () => boolean | Promise<boolean>, timeoutMs: number, label: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await sleep(100);
  }
}

/** A PostgreSQL URL whose connections use their own schema (so bench runs never collide). */
export function pgUrlWithSchema(base: string, schema: string): string {
  const u = new URL(base);
  u.searchParams.set('options', `-c search_path=${schema},public`);
  return u.toString();
}

export async function openBenchDb(kind: 'pglite' | 'postgres', dir: string, schema: string): Promise<{ db: Db; env: Record<string, string> }> {
  if (kind === 'postgres') {
    const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
    const db = await openDb({ databaseUrl: base, schema });
    return { db, env: { DATABASE_URL: pgUrlWithSchema(base, schema) } };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const db = await openDb({ dataDir: dir });
  return { db, env: { DATA_DIR: dir } };
}

/** Writes a result file under bench/results/ and returns its path. */
export function saveResult(name: string, value: unknown): string {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  return file;
}

/** The secretary's chat message that triggers a broadcast (the same path a user takes). */
export function secretaryMessage(serviceUrl: string, text: string) {
  return {
    type: 'message',
    id: `bench-${Date.now()}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:bench-secretary', name: 'Bench Sekretær', aadObjectId: SECRETARY_AAD },
    recipient: { id: '28:forumbot-bench', name: 'forumbot' },
    conversation: { id: 'a:bench-secretary', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    text,
    locale: 'da-DK',
  };
}
