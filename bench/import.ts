/**
 * Import throughput (parse + store, one transaction per document) over the synthetic corpus.
 * Target: ≥ 50 documents/s into PGlite on 2 cores.
 *   npm run bench:import -- --documents 1000 --engine pglite|pglite-disk|postgres [--items 10]
 * Prints one JSON line per 1,000 documents (cumulative rate and the rate of that block), so the scaling
 * from 1,000 to 5,000 documents shows, then a summary line.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { openDb, type DbOptions } from '../src/store/db';
import { importDocument } from '../src/store/import';
import { arg, iterateCorpus } from './generate-corpus';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function main() {
  const documents = Number(arg('documents', '1000'));
  const itemsPerDoc = Number(arg('items', '10'));
  const engine = arg('engine', 'pglite');
  const block = Number(arg('block', '1000'));
  let tmp: string | null = null;
  let opts: DbOptions;
  const schema = `bench_${Date.now().toString(36)}`;
  if (engine === 'postgres') opts = { databaseUrl: TEST_DATABASE_URL, schema };
  else if (engine === 'pglite-disk') opts = { dataDir: (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-bench-'))) };
  else opts = { dataDir: 'memory://' };
  const db = await openDb(opts);
  // generated before the clock starts (5,000 documents ≈ 65 MB of text)
  const corpus = [...iterateCorpus({ documents, itemsPerDoc, seed: Number(arg('seed', '1')) })].map((d) => ({ data: Buffer.from(d.text, 'utf8'), fileName: d.fileName }));
  const counts = { created: 0, updated: 0, unchanged: 0 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let tBlock = t0;
  let i = 0;
  try {
    for (const d of corpus) {
      const r = await importDocument(db, d, { actor: 'bench' });
      counts[r.result]++;
      i++;
      if (i % block === 0 || i === documents) {
        const now = performance.now();
        const n = i % block === 0 ? block : i % block;
        process.stdout.write(
          `${JSON.stringify({ bench: 'import', engine, documents: i, items: i * itemsPerDoc, cumulativeDocsPerSecond: Math.round((i / (now - t0)) * 1000), blockDocsPerSecond: Math.round((n / (now - tBlock)) * 1000) })}\n`,
        );
        tBlock = now;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    // the same documents again: all unchanged (sha256 lookups only)
    const t1 = performance.now();
    let again = 0;
    for (const d of corpus.slice(0, 1000)) {
      const r = await importDocument(db, d);
      if (r.result === 'unchanged') again++;
    }
    const reSeconds = (performance.now() - t1) / 1000;
    const rows = (await db.query<{ m: number; i: number }>('select (select count(*)::int from meetings) m, (select count(*)::int from items) i')).rows[0];
    process.stdout.write(
      `${JSON.stringify({
        bench: 'import',
        engine,
        documents,
        itemsPerDoc,
        seconds: +seconds.toFixed(1),
        documentsPerSecond: Math.round(documents / seconds),
        // PGlite runs in this process, so its CPU time is the import's whole work (PostgreSQL's server time is not in it)
        documentsPerCpuSecond: Math.round(documents / cpuSeconds),
        loadAverage: +os.loadavg()[0].toFixed(1),
        ...counts,
        meetingsStored: rows.m,
        itemsStored: rows.i,
        reimportUnchangedPerSecond: Math.round(again / reSeconds),
        rssMB: Math.round(process.memoryUsage().rss / 1024 / 1024),
      })}\n`,
    );
  } finally {
    if (engine === 'postgres') await db.exec(`drop schema ${schema} cascade`).catch(() => undefined);
    await db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});
