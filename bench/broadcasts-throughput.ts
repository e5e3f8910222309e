/**
 * Broadcast throughput: N target channels (default 2,000) against the fake Bot Connector that enforces
 * Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; per tenant 50/s). The bot runs as its own
 * `forumbot serve` process; the broadcast is triggered the way the secretariat does it ("post referat …").
 *
 *   node -r @swc-node/register bench/broadcasts-throughput.ts [--targets 2000] [--db pglite|postgres]
 *
 * Reports the completion time against the time the limits allow (N / 50 s from the trigger) and the
 * strict minimum of a sliding window ((N - 50) / 50 s from the first send), and 429s/limit violations.
 */
import os from 'os';
import path from 'path';
import { FakeConnector } from '../test/support/fake-connector';
import { deliveriesReport, getBroadcast } from '../src/broadcasts';
import { openBenchDb, saveResult, secretaryMessage, seed, startServerProcess, waitFor, sleep } from './broadcasts-common';
import { arg } from './generate-corpus';


async function main() {
  const n = Number(arg('targets', '2000'));
  const kind = arg('db', 'pglite') as 'pglite' | 'postgres';
  const rate = 50;
  const connector = await new FakeConnector({ limits: true }).start();
  const schema = `bench_bc_${Date.now().toString(36)}`;
  const dir = path.join(os.tmpdir(), `forumbot-bench-${process.pid}`);
  const { db, env } = await openBenchDb(kind, dir, schema);
  const t0 = Date.now();
  const meetingId = await seed(db, n, connector.url);
  console.error(`seeded ${n} channels in ${Date.now() - t0} ms (${kind})`);
  if (kind === 'pglite') await db.close();
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const logFile = path.join(os.tmpdir(), `forumbot-bench-throughput-${process.pid}.log`);
  const server = await startServerProcess(env, port, logFile);
  try {
    const trigger = Date.now();
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(secretaryMessage(connector.url, `post referat ${meetingId}`)),
    });
    if (res.status >= 300) throw new Error(`trigger failed: ${res.status}`);
    const delivered = () => connector.calls.filter((c) => c.kind === 'create' && (c.status ?? 200) < 300);
    let last = 0;
    const progress = setInterval(() => {
      const d = delivered().length;
      if (d !== last) console.error(`${((Date.now() - trigger) / 1000).toFixed(1)} s: ${d}/${n} delivered`);
      last = d;
    }, 5_000);
    await waitFor(() => delivered().length >= n, n * 200 + 60_000, 'all deliveries');
    clearInterval(progress);
    await sleep(1_000);
    const creates = delivered();
    const first = Math.min(...creates.map((c) => c.at));
    const lastAt = Math.max(...creates.map((c) => c.at));
    const perChannel = connector.deliveredCounts(['create']);
    const dup = [...perChannel.values()].filter((v) => v > 1).length;
    const total429 = connector.calls.filter((c) => c.status === 429).length;
    const elapsed = (lastAt - trigger) / 1000;
    const allowed = n / rate;
    const strictMin = Math.max(0, (n - rate) / rate);
    let report: unknown = null;
    if (kind === 'postgres') {
      const b = await getBroadcast(db, `minutes:${meetingId}`);
      report = (await deliveriesReport(db, b!.id)).counts;
    }
    const result = {
      benchmark: 'broadcast throughput',
      at: new Date().toISOString(),
      db: kind,
      targets: n,
      delivered: creates.length,
      distinctTargets: perChannel.size,
      duplicates: dup,
      triggerToLastSeconds: Number(elapsed.toFixed(2)),
      firstToLastSeconds: Number(((lastAt - first) / 1000).toFixed(2)),
      allowedSeconds: allowed,
      ratio: Number((elapsed / allowed).toFixed(3)),
      strictMinimumSeconds: strictMin,
      ratioToStrictMinimum: Number((((lastAt - first) / 1000) / strictMin).toFixed(3)),
      achievedPerSecond: Number((creates.length / ((lastAt - first) / 1000)).toFixed(2)),
      responses429: total429,
      limitViolations: connector.limitViolations,
      report,
      cpus: os.cpus().length,
      loadavg: os.loadavg().map((x) => Number(x.toFixed(2))),
    };
    console.log(JSON.stringify(result, null, 2));
    saveResult(`broadcasts-throughput-${kind}-${n}`, result);
  } finally {
    server.proc.kill('SIGTERM');
    await Promise.race([server.exited, sleep(10_000)]);
    if (server.proc.exitCode === null) server.proc.kill('SIGKILL');
    await connector.stop();
    if (kind === 'postgres') {
      await db.query(`drop schema ${schema} cascade`).catch(() => undefined);
      await db.close();
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
