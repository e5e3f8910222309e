/**
 * Written-procedure benchmarks (issue 5), on PostgreSQL with two server instances (child processes):
 *
 *   node -r @swc-node/register bench/procedures-votes.ts [--voters 500] [--items 9] [--concurrency 500]
 *        [--crash] [--deadline-drill N] [--json]
 *
 * 1. Votes: every voter votes on every item at once (one async session per voter, its invokes in sequence,
 *    alternating between the two instances), with vote changes, Teams-style retries of the same invoke and a
 *    late retry after a change. Checks the tally against what was sent: nothing lost, nothing counted twice.
 *    Reports invoke latency (p50/p95/p99/max, measured at the client) and votes per second.
 * 2. --crash: kill -9 instance B when 40 % of the invokes are done; invokes that fail are retried against A
 *    with the same invoke id (what Teams does); B is restarted. Every vote that got a 200 before the kill must
 *    be in the tally, and the final tally must match exactly.
 * 3. --deadline-drill N: N procedures with the same deadline a few seconds ahead, both instances' workers
 *    running: each must close exactly once and post exactly one result card.
 */
import { spawn, type ChildProcess } from 'child_process';
import path from 'path';
import { Client } from 'pg';
import { loadConfig } from '../src/config';
import { openDb, type Db } from '../src/store/db';
import { ensureKnownForums } from '../src/store/forums';
import { upsertConversation, linkConversations } from '../src/broadcasts/conversations';
import { upsertRoster } from '../src/procedures/roster';
import { procedureContext } from '../src/procedures';
import { createProcedure, CLI } from '../src/procedures/service';
import { startFakeConnector, type FakeConnector } from '../test/support/fake-connector';
import { adaptiveCardAction, CHANNEL_ID, TEAM_ID, TENANT_ID } from '../test/support/bot-client';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const VOTERS = arg('voters', 500);
const ITEMS = arg('items', 9);
const CONCURRENCY = arg('concurrency', VOTERS);
const CRASH = args.includes('--crash');
const DRILL = args.includes('--deadline-drill') ? arg('deadline-drill', 10) : 0;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CHOICES = ['for', 'against', 'abstain', 'meeting'] as const;
const SECRETARY = 'aad-bench-secretary';
const ROOT = path.join(__dirname, '..');

/** CPU time (user + system, ms) a process has used, from /proc (Linux). */
function cpuMs(pid: number | undefined): number {
  try {
    const f = require('fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const log = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
}

function spawnInstance(name: string, databaseUrl: string): Promise<Instance> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...prof, '-r', '@swc-node/register', path.join(__dirname, 'procedures-server.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      LOG_LEVEL: 'warn',
      ALLOWED_TENANT_IDS: TENANT_ID,
      SECRETARIAT_AAD_IDS: SECRETARY,
      MicrosoftAppId: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d) => {
    const s = String(d);
    if (process.env.BENCH_STDERR) require('fs').appendFileSync(`${process.env.BENCH_STDERR}.${name}`, s);
    if (/error|fatal/i.test(s)) process.stderr.write(`[${name}] ${s.slice(0, 2000)}`);
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 120_000);
    child.stdout!.on('data', (d) => {
      buf += String(d);
      const line = buf.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve({ name, url: JSON.parse(line).url, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
}

function pct(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Invoke {
  voter: number;
  item: number;
  choice: (typeof CHOICES)[number];
  id: string;
  /** the last invoke of this (voter, item) pair in the plan */
  final: boolean;
  /** a retry of an earlier invoke (same id): must not change anything */
  retryOf?: string;
}

/** Each voter's invokes, in order: one vote per item; every 10th voter first votes "for" on item 1 and then changes;
 *  every 5th voter's item-2 invoke arrives twice (a Teams retry); changers also get a late retry of the first invoke. */
function plan(procedureId: string): Invoke[][] {
  const out: Invoke[][] = [];
  for (let v = 1; v <= VOTERS; v++) {
    const seq: Invoke[] = [];
    for (let i = 1; i <= ITEMS; i++) {
      const choice = CHOICES[(v * 7 + i * 3) % 4];
      const id = `${procedureId}:${v}:${i}`;
      if (v % 10 === 0 && i === 1) {
        seq.push({ voter: v, item: i, choice: 'for', id: `${id}:first`, final: false });
        seq.push({ voter: v, item: i, choice: choice === 'for' ? 'against' : choice, id, final: true });
        seq.push({ voter: v, item: i, choice: 'for', id: `${id}:first`, final: false, retryOf: `${id}:first` });
      } else {
        seq.push({ voter: v, item: i, choice, id, final: true });
        if (v % 5 === 0 && i === 2) seq.push({ voter: v, item: i, choice, id, final: false, retryOf: id });
      }
    }
    out.push(seq);
  }
  return out;
}

async function main() {
  const dbName = `fb_bench_proc_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const databaseUrl = ADMIN_URL.replace(/\/[^/]*$/, `/${dbName}`);
  const connector: FakeConnector = await startFakeConnector();
  const db: Db = await openDb({ databaseUrl });
  const config = loadConfig({ DATABASE_URL: databaseUrl, ALLOWED_TENANT_IDS: TENANT_ID, SECRETARIAT_AAD_IDS: SECRETARY, LOG_LEVEL: 'warn' });
  const instances: Instance[] = [];
  const summary: Record<string, unknown> = { voters: VOTERS, items: ITEMS, concurrency: CONCURRENCY, engine: 'postgres', instances: 2 };
  try {
    await ensureKnownForums(db);
    await upsertRoster(
      db,
      'socialdirektoerforum',
      Array.from({ length: VOTERS }, (_, i) => ({ name: `Bench Direktør ${i + 1}`, organisation: `Kommune ${i + 1}`, aadObjectId: `aad-bench-${i + 1}`, role: 'member' as const })),
    );
    await upsertConversation(db, {
      id: CHANNEL_ID,
      type: 'channel',
      tenantId: TENANT_ID,
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: CHANNEL_ID, conversationType: 'channel', tenantId: TENANT_ID }, bot: { id: '28:forumbot-app-id' } },
    });
    await linkConversations(db, [CHANNEL_ID], 'Socialdirektørforum', 'bench');
    const pctx = procedureContext({ db, config });
    const items = Array.from({ length: ITEMS }, (_, i) => ({ title: `Benchmarkpunkt ${i + 1}`, recommendation: `Det indstilles, at punkt ${i + 1} godkendes.` }));
    const t0 = Date.now();
    const proc = await createProcedure(pctx, CLI, { forum: 'Socialdirektørforum', title: 'Benchmark: skriftlig procedure', deadline: new Date(Date.now() + 3_600_000).toISOString(), rule: 'majority', items });
    summary.openMs = Date.now() - t0;
    log(`procedure ${proc.id} opened in ${summary.openMs} ms; starting two instances`);
    instances.push(await spawnInstance('A', databaseUrl), await spawnInstance('B', databaseUrl));
    log(`instances: ${instances.map((i) => i.url).join(' ')}`);

    // ---- the vote load ---------------------------------------------------------------------------
    const sessions = plan(proc.id);
    const total = sessions.reduce((n, s) => n + s.length, 0);
    const latencies: number[] = [];
    const acked: Array<{ inv: Invoke; at: number }> = [];
    let done = 0;
    let failures = 0;
    let retriedAfterCrash = 0;
    let killedAt: number | null = null;
    let bAlive = true;
    const send = async (inst: Instance, inv: Invoke): Promise<boolean> => {
      const activity = adaptiveCardAction(
        'procedure.vote',
        { procedureId: proc.id, item: inv.item, choice: inv.choice },
        { user: { id: `29:bench-${inv.voter}`, name: `Bench Direktør ${inv.voter}`, aadObjectId: `aad-bench-${inv.voter}` }, tenantId: TENANT_ID, id: inv.id, channel: true, replyToId: 'card' },
      );
      activity.serviceUrl = connector.url;
      const start = performance.now();
      try {
        const res = await fetch(`${inst.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
        const body = (await res.json()) as { statusCode?: number; type?: string };
        const ms = performance.now() - start;
        if (res.status === 200 && body.statusCode === 200 && body.type === 'application/vnd.microsoft.card.adaptive') {
          latencies.push(ms);
          acked.push({ inv, at: Date.now() });
          return true;
        }
        failures++;
        return false;
      } catch {
        failures++;
        return false;
      }
    };
    let next = 0;
    const runSession = async (s: Invoke[], v: number) => {
      for (const [k, inv] of s.entries()) {
        let inst = instances[(v + k) % 2];
        if (inst.name === 'B' && !bAlive) inst = instances[0];
        let ok = await send(inst, inv);
        while (!ok) {
          // Teams retries a failed invoke; after the crash, B's requests go to A
          retriedAfterCrash++;
          await new Promise((r) => setTimeout(r, 50));
          ok = await send(bAlive ? inst : instances[0], inv);
        }
        done++;
        if (CRASH && killedAt === null && done >= total * 0.4) {
          killedAt = Date.now();
          bAlive = false;
          instances[1].child.kill('SIGKILL');
          log(`kill -9 instance B (pid ${instances[1].child.pid}) after ${done} of ${total} invokes`);
        }
      }
    };
    const cpuBefore = instances.map((i) => cpuMs(i.child.pid));
    const wallStart = performance.now();
    await Promise.all(
      Array.from({ length: Math.min(CONCURRENCY, sessions.length) }, async () => {
        while (next < sessions.length) {
          const v = next++;
          await runSession(sessions[v], v);
        }
      }),
    );
    const wallMs = performance.now() - wallStart;
    const cpuAfter = instances.map((i) => cpuMs(i.child.pid));
    const serverCpuMs = CRASH ? NaN : cpuAfter[0] - cpuBefore[0] + (cpuAfter[1] - cpuBefore[1]);
    if (CRASH) {
      log('restarting instance B');
      instances[1] = await spawnInstance('B', databaseUrl);
      bAlive = true;
    }
    latencies.sort((a, b) => a - b);
    Object.assign(summary, {
      invokes: total,
      acknowledged: acked.length,
      transientFailures: failures,
      wallMs: Math.round(wallMs),
      invokesPerSecond: Math.round((acked.length / wallMs) * 1000),
      serverCpuMsPerInvoke: Number.isNaN(serverCpuMs) ? null : Number((serverCpuMs / acked.length).toFixed(1)),
      loadAverage: require('os').loadavg()[0].toFixed(1),
      latencyMs: {
        p50: Math.round(pct(latencies, 50)),
        p95: Math.round(pct(latencies, 95)),
        p99: Math.round(pct(latencies, 99)),
        max: Math.round(latencies[latencies.length - 1]),
      },
    });

    // ---- verification: the tally is exactly what was sent ---------------------------------------
    const expected = new Map<string, string>();
    for (const s of sessions) for (const inv of s) if (inv.final) expected.set(`aad-bench-${inv.voter}|${inv.item}`, inv.choice);
    const rows = (await db.query<{ voter: string; item_number: number; choice: string | null }>('select voter, item_number, choice from procedure_votes where procedure_id = $1', [proc.id])).rows;
    let mismatches = 0;
    for (const r of rows) if (expected.get(`${r.voter}|${r.item_number}`) !== r.choice) mismatches++;
    const expectedCounts = Array.from({ length: ITEMS }, (_, i) => {
      const c = { for: 0, against: 0, abstain: 0, meeting: 0 } as Record<string, number>;
      for (const [k, ch] of expected) if (k.endsWith(`|${i + 1}`)) c[ch]++;
      return c;
    });
    const counts = (
      await db.query<{ item_number: number; f: number; a: number; ab: number; m: number; none: number }>(
        `select item_number, count(*) filter (where choice='for')::int f, count(*) filter (where choice='against')::int a,
                count(*) filter (where choice='abstain')::int ab, count(*) filter (where choice='meeting')::int m, count(*) filter (where choice is null)::int none
           from procedure_votes where procedure_id = $1 group by item_number order by item_number`,
        [proc.id],
      )
    ).rows;
    const tallyMatches = counts.every(
      (c, i) => c.f === expectedCounts[i].for && c.a === expectedCounts[i].against && c.ab === expectedCounts[i].abstain && c.m === expectedCounts[i].meeting && c.none === 0,
    );
    const events = (await db.query<{ n: number }>('select count(*)::int n from procedure_vote_events where procedure_id = $1', [proc.id])).rows[0].n;
    const changers = sessions.filter((s) => s.some((x) => x.id.endsWith(':first'))).length;
    const expectedEvents = VOTERS * ITEMS + changers;
    // crash drill: every vote acknowledged before the kill is in the tally (its pair holds the last acknowledged choice)
    let lostAcked = 0;
    if (CRASH && killedAt !== null) {
      const lastAcked = new Map<string, string>();
      for (const a of acked) if (a.at <= killedAt && !a.inv.retryOf) lastAcked.set(`aad-bench-${a.inv.voter}|${a.inv.item}`, a.inv.choice);
      const cur = new Map(rows.map((r) => [`${r.voter}|${r.item_number}`, r.choice]));
      for (const [k, ch] of lastAcked) {
        const c = cur.get(k);
        if (!c) lostAcked++;
        else if (c !== ch && c !== expected.get(k)) lostAcked++;
      }
      summary.crash = { killedAfterInvokes: Math.round(total * 0.4), ackedBeforeKill: [...lastAcked.keys()].length, lostAcked, retriesAfterKill: retriedAfterCrash };
    }
    Object.assign(summary, { tallyMatches, mismatchedBallots: mismatches, voteEvents: events, expectedVoteEvents: expectedEvents });
    log(JSON.stringify(summary));

    // ---- deadline drill: each procedure closes exactly once with two instances -------------------
    if (DRILL > 0) {
      const ids: string[] = [];
      const deadline = new Date(Date.now() + 4_000).toISOString();
      for (let n = 0; n < DRILL; n++) {
        const p = await createProcedure(pctx, CLI, { forum: 'Socialdirektørforum', title: `Fristøvelse ${n + 1}`, deadline, rule: 'tacit', items: items.slice(0, 2), voters: [{ aadObjectId: 'aad-bench-1', name: 'Bench Direktør 1' }] });
        ids.push(p.id);
      }
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const r = await db.query<{ n: number }>("select count(*)::int n from procedures where id = any($1) and status = 'closed'", [ids]);
        if (r.rows[0].n === ids.length) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      await new Promise((res) => setTimeout(res, 5_000)); // let both workers have their go, and the outbox post
      const closes = (await db.query<{ subject: string; n: number }>("select subject, count(*)::int n from audit_log where action = 'procedure.closed' and subject = any($1) group by subject", [ids])).rows;
      const jobs = (await db.query<{ outcome: string; n: number }>("select outcome, count(*)::int n from procedure_jobs where procedure_id = any($1) and kind = 'close' group by outcome", [ids])).rows;
      const resultPosts = connector.calls.filter((c) => c.kind === 'create' && JSON.stringify(c.body).includes('Resultat af skriftlig procedure') && /Fristøvelse \d+/.test(JSON.stringify(c.body)));
      const postsPer = new Map<string, number>();
      for (const c of resultPosts) {
        const t = /Fristøvelse (\d+)/.exec(JSON.stringify(c.body))![1];
        postsPer.set(t, (postsPer.get(t) ?? 0) + 1);
      }
      summary.deadlineDrill = {
        procedures: ids.length,
        closedOnce: closes.filter((c) => c.n === 1).length,
        closedTwiceOrMore: closes.filter((c) => c.n > 1).length,
        closeJobs: Object.fromEntries(jobs.map((j) => [j.outcome, j.n])),
        resultCardsPosted: resultPosts.length,
        proceduresWithExactlyOneResultCard: [...postsPer.values()].filter((n) => n === 1).length,
      };
      log(JSON.stringify(summary.deadlineDrill));
    }
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  } finally {
    for (const i of instances) i.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1500));
    for (const i of instances) if (i.child.exitCode === null) i.child.kill('SIGKILL');
    await db.close();
    await connector.stop();
    await admin.query(`drop database if exists ${dbName} with (force)`).catch(() => undefined);
    await admin.end();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
