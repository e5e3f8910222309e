/**
 * Crash drill: kill -9 a server in the middle of an N-target broadcast (default 2,000) and start it again.
 * Every target must receive exactly one message. Default: PostgreSQL with two `forumbot serve` instances
 * working the same outbox; `--db pglite --instances 1` runs the single-instance variant.
 *
 *   node -r @swc-node/register bench/broadcasts-crash-drill.ts [--targets 2000] [--db postgres|pglite] [--instances 2]
 *
 * The fake connector (in this process, so it survives the kill) enforces Teams' limits and records every
 * message; after the broadcast completes the drill waits past the lease time for late re-sends.
 */
import os from 'os';
import path from 'path';
import { FakeConnector } from '../test/support/fake-connector';
import { deliveriesReport, getBroadcast } from '../src/broadcasts';
import { openDb } from '../src/store/db';
import { openBenchDb, saveResult, secretaryMessage, seed, sleep, startServerProcess, waitFor, type ServerProc } from './broadcasts-common';
import { arg } from './generate-corpus';


async function main() {
  const n = Number(arg('targets', '2000'));
  const kind = arg('db', 'postgres') as 'pglite' | 'postgres';
  const instances = Number(arg('instances', kind === 'postgres' ? '2' : '1'));
  if (kind === 'pglite' && instances > 1) throw new Error('PGlite is one process: use --instances 1');
  const killAt = Number(arg('kill-at', '0.4'));
  const leaseSeconds = Number(arg('lease', '10'));
  const connector = await new FakeConnector({ limits: true }).start();
  const schema = `bench_crash_${Date.now().toString(36)}`;
  const dir = path.join(os.tmpdir(), `forumbot-crash-${process.pid}`);
  const { db, env } = await openBenchDb(kind, dir, schema);
  const meetingId = await seed(db, n, connector.url);
  if (kind === 'pglite') await db.close();
  // lease > longest hold in the ready queue + send timeout (see DeliveryWorker)
  const serverEnv = { ...env, BROADCAST_LEASE_SECONDS: String(leaseSeconds), BROADCAST_SEND_TIMEOUT_MS: '4000' };
  const basePort = 40_000 + Math.floor(Math.random() * 1000);
  const logs = Array.from({ length: instances }, (_, i) => path.join(os.tmpdir(), `forumbot-crash-${process.pid}-${i}.log`));
  const servers: ServerProc[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startServerProcess(serverEnv, basePort + i, logs[i]));
  console.error(`${instances} instance(s) up (${kind}); logs: ${logs.join(', ')}`);

  const delivered = () => connector.calls.filter((c) => c.kind === 'create' && (c.status ?? 200) < 300).length;
  const distinct = () => connector.deliveredCounts(['create']).size;
  const t0 = Date.now();
  const res = await fetch(`${servers[0].url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(secretaryMessage(connector.url, `post referat ${meetingId}`)),
  });
  if (res.status >= 300) throw new Error(`trigger failed: ${res.status}`);

  await waitFor(() => delivered() >= Math.floor(n * killAt), n * 200 + 60_000, 'the kill point');
  const victim = servers[0];
  const atKill = delivered();
  victim.proc.kill('SIGKILL');
  await victim.exited;
  const killedAt = Date.now();
  console.error(`${((killedAt - t0) / 1000).toFixed(1)} s: killed instance 0 (pid ${victim.proc.pid}) after ${atKill} deliveries`);
  await sleep(2_000);
  servers[0] = await startServerProcess(serverEnv, victim.port, logs[0]);
  console.error(`${((Date.now() - t0) / 1000).toFixed(1)} s: instance 0 restarted`);

  await waitFor(() => distinct() >= n, n * 300 + 120_000, 'every target');
  const completedAt = Date.now();
  console.error(`${((completedAt - t0) / 1000).toFixed(1)} s: every target has a message; waiting ${leaseSeconds + 10} s for late re-sends`);
  await sleep((leaseSeconds + 10) * 1000);

  const counts = connector.deliveredCounts(['create']);
  const duplicates = [...counts.entries()].filter(([, v]) => v > 1);
  const missing = n - counts.size;
  for (const s of servers) s.proc.kill('SIGTERM');
  await Promise.all(servers.map((s) => Promise.race([s.exited, sleep(10_000)])));
  for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');

  const reportDb = kind === 'postgres' ? db : await openDb({ dataDir: dir });
  const b = await getBroadcast(reportDb, `minutes:${meetingId}`);
  const report = await deliveriesReport(reportDb, b!.id);
  const result = {
    benchmark: 'broadcast crash drill',
    at: new Date().toISOString(),
    db: kind,
    instances,
    targets: n,
    deliveredBeforeKill: atKill,
    secondsToKill: Number(((killedAt - t0) / 1000).toFixed(1)),
    secondsToComplete: Number(((completedAt - t0) / 1000).toFixed(1)),
    leaseSeconds,
    messagesReceived: [...counts.values()].reduce((a, b2) => a + b2, 0),
    targetsReached: counts.size,
    targetsWithMoreThanOne: duplicates.length,
    duplicateTargets: duplicates.slice(0, 10).map(([k, v]) => `${k}×${v}`),
    targetsMissing: missing,
    report: report.counts,
    reportMatchesConnector: report.counts.sent === counts.size && report.counts.pending === 0,
    limitViolations: connector.limitViolations,
    exactlyOnce: duplicates.length === 0 && missing === 0,
  };
  console.log(JSON.stringify(result, null, 2));
  saveResult(`broadcasts-crash-${kind}-${instances}x-${n}`, result);
  if (kind === 'postgres') await db.query(`drop schema ${schema} cascade`).catch(() => undefined);
  await reportDb.close();
  await connector.stop();
  if (!result.exactlyOnce) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
