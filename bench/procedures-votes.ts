/**
 * Written-procedure benchmarks (issue 5), on PostgreSQL with two server instances (child processes):
 *
 *   node -r @swc-node/register bench/procedures-votes.ts [--voters 500] [--items 9]
 *        [--mode at-once|open] [--concurrency N] [--window S] [--gap MS] [--warmup N] [--warmup-sessions S]
 *        [--crash] [--deadline-drill N] [--out FILE]
 *
 * 1. Votes. Every voter votes on every item, with vote changes, Teams-style retries of the same invoke and a late
 *    retry after a change; each voter's invokes go one after another (one in flight per voter, as a card is busy
 *    while its button's invoke runs), each to the instance with fewer invokes outstanding (as a least-connections
 *    load balancer would). Two load models:
 *    - `--mode at-once` (default): all voters start at the same instant and click again as soon as the previous
 *      answer is back (no reading time). `--concurrency N` caps how many voters are active at once.
 *    - `--mode open`: voter v starts at a random moment in [0, window) s (seeded, the same every run) and clicks
 *      its next button `gap` ms after the previous click at the earliest (never before the previous answer).
 *    Checks the tally against what was sent: nothing lost, nothing counted twice. Reports invoke latency (p50/p95/
 *    p99/max, measured at the client), invokes per second, and CPU per invoke of the servers, PostgreSQL (the
 *    backends serving this database) and this client, all on the same machine. Before the measured load, `--warmup N`
 *    (default 1000) invokes on another procedure from `--warmup-sessions S` (default: one per voter) let the fresh
 *    server processes compile their hot paths and leave the client's keep-alive connections open, as a running
 *    service has them (Teams' side keeps its connections to the bot).
 * 2. --crash: kill -9 instance B when 40 % of the invokes are done; invokes that fail are retried against A
 *    with the same invoke id (what Teams does); B is restarted. Every vote that got a 200 before the kill must
 *    be in the tally, and the final tally must match exactly.
 * 3. --deadline-drill N: N procedures with the same deadline a few seconds ahead, both instances' workers
 *    running: each must close exactly once and post exactly one result card.
 */
import { spawn, type ChildProcess } from 'child_process';
import http from 'http';
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
import { mulberry32 } from '../test/support/prng';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const VOTERS = arg('voters', 500);
const ITEMS = arg('items', 9);
const CONCURRENCY = arg('concurrency', VOTERS);
const CRASH = args.includes('--crash');
const MODE = (() => {
  const i = args.indexOf('--mode');
  return i >= 0 ? args[i + 1] : 'at-once';
})();
if (MODE !== 'at-once' && MODE !== 'open') throw new Error('--mode at-once|open');
const WINDOW_S = arg('window', 60);
const WARMUP = arg('warmup', 1000);
const WARMUP_SESSIONS = arg('warmup-sessions', VOTERS);
const GAP_MS = arg('gap', 1000);
const OUT = (() => {
  const i = args.indexOf('--out');
  return i >= 0 ? args[i + 1] : null;
})();
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

/**
 * CPU time of the PostgreSQL backends connected to the bench's database, by pid (the server is shared with other
 * work on this machine, so only our own backends count; the WAL writer and other background processes are left out).
 */
async function backendCpu(admin: Client, dbName: string): Promise<Map<number, number>> {
  const r = await admin.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [dbName]);
  return new Map(r.rows.map((x) => [x.pid, cpuMs(x.pid)]));
}
function backendCpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let n = 0;
  for (const [pid, ms] of after) if (!Number.isNaN(ms)) n += ms - (before.get(pid) ?? 0);
  return n;
}

const rng = mulberry32;

// idle sockets are dropped after 4 s, before the server's keep-alive timeout (5 s) closes them under a request
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4000 });
/** POST JSON with node:http and a keep-alive agent (lighter on this shared machine than fetch). */
function postJson(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const log = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);

interface Instance {
  name: string;
  url: string;
  child: ChildProcess;
  /** what the instance reported on SIGUSR2 (bench/procedures-server.ts) */
  stats: unknown[];
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
  const inst = { stats: [] as unknown[] };
  child.stderr!.on('data', (d) => {
    const s = String(d);
    for (const line of s.split('\n')) if (line.startsWith('{"serverStats"')) inst.stats.push(JSON.parse(line).serverStats);
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
        resolve({ name, url: JSON.parse(line).url, child, stats: inst.stats });
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
  const summary: Record<string, unknown> = {
    voters: VOTERS,
    items: ITEMS,
    mode: MODE,
    ...(MODE === 'at-once' ? { concurrency: CONCURRENCY } : { windowSeconds: WINDOW_S, gapMs: GAP_MS }),
    engine: 'postgres',
    instances: 2,
    loadAverageBefore: require('os').loadavg()[0].toFixed(1),
  };
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

    // ---- warm-up: a running server has compiled its hot paths; a fresh process has not -------------
    if (WARMUP > 0) {
      const warm = await createProcedure(pctx, CLI, { forum: 'Socialdirektørforum', title: 'Opvarmning', deadline: new Date(Date.now() + 3_600_000).toISOString(), rule: 'majority', items });
      let w = 0;
      await Promise.all(
        Array.from({ length: WARMUP_SESSIONS }, async () => {
          while (w < WARMUP) {
            const n = w++;
            const voter = (n % VOTERS) + 1;
            const activity = adaptiveCardAction(
              'procedure.vote',
              { procedureId: warm.id, item: (Math.floor(n / VOTERS) % ITEMS) + 1, choice: CHOICES[n % 4] },
              { user: { id: `29:bench-${voter}`, name: `Bench Direktør ${voter}`, aadObjectId: `aad-bench-${voter}` }, tenantId: TENANT_ID, id: `warm-${n}`, channel: true, replyToId: 'card' },
            );
            activity.serviceUrl = connector.url;
            await postJson(`${instances[n % 2].url}/api/messages`, JSON.stringify(activity));
          }
        }),
      );
      log(`warm-up: ${WARMUP} invokes on another procedure from ${WARMUP_SESSIONS} sessions`);
    }
    Object.assign(summary, { warmupInvokes: WARMUP, warmupSessions: WARMUP_SESSIONS });

    // ---- the vote load ---------------------------------------------------------------------------
    const sessions = plan(proc.id);
    const total = sessions.reduce((n, s) => n + s.length, 0);
    const latencies: number[] = [];
    /** latency by position in the voter's sequence: the first click (all voters at once) and the rest */
    const firstClick: number[] = [];
    const laterClicks: number[] = [];
    const byInstance: Record<string, number[]> = { A: [], B: [] };
    const acked: Array<{ inv: Invoke; at: number }> = [];
    let done = 0;
    let failures = 0;
    const failureKinds: Record<string, number> = {};
    const samples: Array<[number, number, string, number, number]> = [];
    let retriedAfterCrash = 0;
    let killedAt: number | null = null;
    let bAlive = true;
    const inFlight = [0, 0];
    const send = async (inst: Instance, inv: Invoke, k = -1): Promise<boolean> => {
      const slot = instances.indexOf(inst);
      inFlight[slot]++;
      try {
        return await sendTo(inst, inv, k);
      } finally {
        inFlight[slot]--;
      }
    };
    const sendTo = async (inst: Instance, inv: Invoke, k: number): Promise<boolean> => {
      const activity = adaptiveCardAction(
        'procedure.vote',
        { procedureId: proc.id, item: inv.item, choice: inv.choice },
        { user: { id: `29:bench-${inv.voter}`, name: `Bench Direktør ${inv.voter}`, aadObjectId: `aad-bench-${inv.voter}` }, tenantId: TENANT_ID, id: inv.id, channel: true, replyToId: 'card' },
      );
      activity.serviceUrl = connector.url;
      const start = performance.now();
      try {
        const res = await postJson(`${inst.url}/api/messages`, JSON.stringify(activity));
        const body = JSON.parse(res.body) as { statusCode?: number; type?: string };
        const ms = performance.now() - start;
        if (res.status === 200 && body.statusCode === 200 && body.type === 'application/vnd.microsoft.card.adaptive') {
          latencies.push(ms);
          if (k === 0) firstClick.push(ms);
          else if (k > 0) laterClicks.push(ms);
          byInstance[inst.name]?.push(ms);
          if (process.env.BENCH_SAMPLES) samples.push([Math.round(start - wallStart), Math.round(ms), inst.name, k, inv.voter]);
          acked.push({ inv, at: Date.now() });
          return true;
        }
        failures++;
        failureKinds[`${res.status}/${body.statusCode ?? '-'}`] = (failureKinds[`${res.status}/${body.statusCode ?? '-'}`] ?? 0) + 1;
        return false;
      } catch (e) {
        failures++;
        const kind = (e as NodeJS.ErrnoException).code ?? (e as Error).name;
        failureKinds[kind] = (failureKinds[kind] ?? 0) + 1;
        return false;
      }
    };
    let next = 0;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const random = rng(20261122);
    const startAt = sessions.map(() => (MODE === 'open' ? random() * WINDOW_S * 1000 : 0));
    let wallStart = 0;
    const runSession = async (s: Invoke[], v: number) => {
      let clickAt = wallStart + startAt[v];
      for (const [k, inv] of s.entries()) {
        if (MODE === 'open') {
          const wait = clickAt - performance.now();
          if (wait > 0) await sleep(wait);
          clickAt = Math.max(clickAt, performance.now()) + GAP_MS;
        }
        // as a load balancer in front of the instances: the one with fewer requests outstanding (least connections)
        const pick = () => (!bAlive || inFlight[0] <= inFlight[1] ? 0 : 1);
        let ok = await send(instances[pick()], inv, k);
        while (!ok) {
          // Teams retries a failed invoke (same invoke id); after the crash, B's requests go to A
          retriedAfterCrash++;
          await new Promise((r) => setTimeout(r, 50));
          ok = await send(instances[pick()], inv);
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
    for (const i of instances) i.child.kill('SIGUSR2'); // the servers' own statistics start here
    const cpuBefore = instances.map((i) => cpuMs(i.child.pid));
    const pgBefore = await backendCpu(admin, dbName);
    const updatesBefore = connector.calls.filter((c) => c.kind === 'update').length;
    const clientBefore = process.cpuUsage();
    wallStart = performance.now();
    const sessionsAtOnce = MODE === 'open' ? sessions.length : Math.min(CONCURRENCY, sessions.length);
    await Promise.all(
      Array.from({ length: sessionsAtOnce }, async () => {
        while (next < sessions.length) {
          const v = next++;
          await runSession(sessions[v], v);
        }
      }),
    );
    const wallMs = performance.now() - wallStart;
    const updatesDuringLoad = connector.calls.filter((c) => c.kind === 'update').length - updatesBefore;
    if (process.env.BENCH_SAMPLES) require('fs').writeFileSync(process.env.BENCH_SAMPLES, JSON.stringify(samples));
    const cpuAfter = instances.map((i) => cpuMs(i.child.pid));
    if (!CRASH) {
      for (const i of instances) i.child.kill('SIGUSR2');
      await new Promise((r) => setTimeout(r, 300));
      summary.serverSide = Object.fromEntries(instances.map((i) => [i.name, i.stats.at(-1) ?? null]));
    }
    const pgCpuMs = backendCpuDelta(pgBefore, await backendCpu(admin, dbName));
    const clientCpu = process.cpuUsage(clientBefore);
    const serverCpuMs = CRASH ? NaN : cpuAfter[0] - cpuBefore[0] + (cpuAfter[1] - cpuBefore[1]);
    if (CRASH) {
      log('restarting instance B');
      instances[1] = await spawnInstance('B', databaseUrl);
      bAlive = true;
    }
    latencies.sort((a, b) => a - b);
    firstClick.sort((a, b) => a - b);
    laterClicks.sort((a, b) => a - b);
    const dist = (xs: number[]) => ({ n: xs.length, p50: Math.round(pct(xs, 50)), p95: Math.round(pct(xs, 95)), p99: Math.round(pct(xs, 99)), max: Math.round(xs[xs.length - 1] ?? NaN) });
    const meanMs = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
    Object.assign(summary, {
      invokes: total,
      acknowledged: acked.length,
      transientFailures: failures,
      failureKinds,
      wallMs: Math.round(wallMs),
      invokesPerSecond: Math.round((acked.length / wallMs) * 1000),
      serverCpuMsPerInvoke: Number.isNaN(serverCpuMs) ? null : Number((serverCpuMs / acked.length).toFixed(2)),
      serverCpuSecondsByInstance: CRASH ? null : { A: Number(((cpuAfter[0] - cpuBefore[0]) / 1000).toFixed(1)), B: Number(((cpuAfter[1] - cpuBefore[1]) / 1000).toFixed(1)) },
      postgresCpuMsPerInvoke: Number.isNaN(pgCpuMs) ? null : Number((pgCpuMs / acked.length).toFixed(2)),
      clientCpuMsPerInvoke: Number(((clientCpu.user + clientCpu.system) / 1000 / acked.length).toFixed(2)),
      loadAverage: require('os').loadavg()[0].toFixed(1),
      latencyMs: {
        p50: Math.round(pct(latencies, 50)),
        p95: Math.round(pct(latencies, 95)),
        p99: Math.round(pct(latencies, 99)),
        max: Math.round(latencies[latencies.length - 1]),
        mean: Math.round(meanMs),
      },
      latencyFirstClickMs: dist(firstClick),
      latencyByInstanceMs: { A: dist(byInstance.A.sort((a, b) => a - b)), B: dist(byInstance.B.sort((a, b) => a - b)) },
      latencyLaterClicksMs: dist(laterClicks),
      // Little's law: invokes in flight on average = rate × mean latency (500 when every voter always has one out)
      meanInFlight: Math.round((acked.length / wallMs) * meanMs),
      // the shared channel card's progress, updated for everyone (updateActivity) while the votes arrive: coalesced per procedure
      sharedCardUpdatesDuringLoad: updatesDuringLoad,
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
    const refreshJobs = (await db.query<{ outcome: string | null; n: number }>("select outcome, count(*)::int n from procedure_jobs where procedure_id = $1 and kind = 'refresh' group by outcome", [proc.id])).rows;
    Object.assign(summary, {
      tallyMatches,
      mismatchedBallots: mismatches,
      voteEvents: events,
      expectedVoteEvents: expectedEvents,
      sharedCardRefreshJobs: Object.fromEntries(refreshJobs.map((r) => [r.outcome ?? 'pending', r.n])),
    });
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
    if (OUT) require('fs').writeFileSync(OUT, `${JSON.stringify({ measuredAt: new Date().toISOString(), ...summary }, null, 2)}\n`);
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
