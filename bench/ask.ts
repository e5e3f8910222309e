/**
 * The `ask` path (answerQuestion: understanding, lexicon, full-text search, re-ranking, composition), timed
 * over the synthetic corpus at 5,000 and 50,000 items on PGlite and PostgreSQL. Teams is not involved.
 *   node -r @swc-node/register bench/ask.ts --engine pglite|postgres --items 5000,50000 [--queries 300] [--write]
 *   PGlite runs on disk in a temporary directory, as the server keeps it; --memory for memory://.
 *   --keep: keep the imported corpus (PostgreSQL schema bench_ask_<items>, or a PGlite directory in the temp dir)
 *   and reuse it on the next run.
 * Prints one JSON line per size; --write adds the results to BENCHMARKS.md (section "Questions (ask)").
 * Targets (issue 3): p95 ≤ 50 ms at 50,000 items; 5k → 50k costs at most 2×; RSS reported at 50,000.
 */
import './json-last';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { openDb, type Db, type DbOptions } from '../src/store/db';
import { importDocument } from '../src/store/import';
import { answerQuestion } from '../src/questions';
import { ensureLexicon } from '../src/questions/lexicon';
import { arg, iterateCorpus, type CorpusDocument } from './generate-corpus';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ITEMS_PER_DOC = 10;

/** Questions in the style of the hidden set, built from the corpus: decisions, facts, meetings, dates, unanswerable. */
function questionsFor(docs: CorpusDocument[], n: number): Array<{ question: string; now?: string; kind: number }> {
  const out: Array<{ question: string; now?: string; kind: number }> = [];
  const fixed = [
    { question: 'hvem er borgmester i Odense?' },
    { question: 'hvad blev besluttet om bredbånd i landdistrikterne' },
    { question: 'What was decided about the new football stadium?' },
    { question: 'hjælp' },
  ];
  let i = 0;
  while (out.length < n) {
    const d = docs[(i * 7919) % docs.length];
    const it = d.items[1 + (i % (d.items.length - 2))];
    const inst = /(?:på|af) ((?:Bostedet|Krisecentret|Ungehuset|Aflastningstilbuddet|Misbrugscentret|Botilbuddet|Familiehuset|Specialbørnehaven|Værestedet|Forsorgshjemmet|Opholdsstedet|Rehabiliteringscentret) [\p{L} ]+?)(?: med|$)/u.exec(it.title)?.[1];
    const [y, m, day] = d.date.split('-').map(Number);
    const months = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
    const variants = [
      { question: `hvad blev besluttet om ${it.title.toLowerCase()}` },
      { question: inst ? `hvor mange pladser har ${inst}` : `hvad blev besluttet om ${it.title}` },
      { question: inst ? `hvad er døgntaksten på ${inst.toLowerCase()}` : `${it.title}?` },
      { question: `hvem havde afbud til mødet i ${d.forum} den ${day}. ${months[m - 1]} ${y}` },
      { question: `hvor blev mødet ${day}/${m}-${y} holdt` },
      { question: `hvornår er næste møde i ${d.forum}?`, now: `${d.date}T15:00:00+01:00` },
      { question: `what was on the agenda on ${day} ${['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} ${y}?` },
      { question: `hvad blev besluttet om ${it.title.split(' ').slice(-2).join(' ')} i ${months[m - 1]} ${y}` },
      fixed[i % fixed.length],
    ];
    out.push({ ...variants[i % variants.length], kind: i % variants.length });
    i++;
  }
  return out;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(db: Db, docs: number, seed: number): Promise<CorpusDocument[]> {
  const kept: CorpusDocument[] = [];
  let n = 0;
  for (const d of iterateCorpus({ documents: docs, itemsPerDoc: ITEMS_PER_DOC, seed })) {
    await importDocument(db, { data: Buffer.from(d.text, 'utf8'), fileName: d.fileName }, { actor: 'bench' });
    if (n++ % 10 === 0) kept.push({ ...d, text: '' });
    if (n % 1000 === 0) process.stderr.write(`  imported ${n} documents\n`);
  }
  return kept;
}

/** The documents load() keeps, without importing them again (the corpus is deterministic for a seed). */
function keptDocs(docs: number, seed: number): CorpusDocument[] {
  const kept: CorpusDocument[] = [];
  let n = 0;
  for (const d of iterateCorpus({ documents: docs, itemsPerDoc: ITEMS_PER_DOC, seed })) if (n++ % 10 === 0) kept.push({ ...d, text: '' });
  return kept;
}

interface Result {
  bench: 'ask';
  engine: string;
  items: number;
  queries: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  answered: number;
  lexiconBuildMs: number;
  rssMb: number;
}

async function main() {
  const engine = arg('engine', 'pglite');
  const sizes = arg('items', '5000,50000').split(',').map(Number);
  const queries = Number(arg('queries', '300'));
  const results: Result[] = [];
  for (const items of sizes) {
    const keep = process.argv.includes('--keep');
    const schema = keep ? `bench_ask_${items}` : `bench_ask_${Date.now().toString(36)}`;
    // PGlite on disk, as `forumbot serve` keeps it (DATA_DIR); `--memory` for an in-memory database
    const pgliteDir = process.argv.includes('--memory') ? 'memory://' : keep ? path.join(os.tmpdir(), `forumbot-bench-ask-${items}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'forumbot-bench-ask-'));
    const opts: DbOptions = engine === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, schema } : { dataDir: pgliteDir };
    const db = await openDb(opts);
    try {
      const have = keep ? Number((await db.query<{ n: number }>('select count(*)::int n from items')).rows[0].n) : 0;
      process.stderr.write(have ? `${engine}: reusing ${have} items in ${schema}\n` : `${engine}: importing ${items} items…\n`);
      const docs = have ? keptDocs(Math.ceil(items / ITEMS_PER_DOC), 1) : await load(db, Math.ceil(items / ITEMS_PER_DOC), 1);
      const tl = performance.now();
      await ensureLexicon(db);
      const lexiconBuildMs = Math.round(performance.now() - tl);
      const qs = questionsFor(docs, queries);
      for (const q of qs.slice(0, 20)) await answerQuestion(db, q); // warm caches
      const times: number[] = [];
      const byKind = new Map<number, number[]>();
      let answered = 0;
      for (const q of qs) {
        const t0 = performance.now();
        const a = await answerQuestion(db, q);
        const ms = performance.now() - t0;
        times.push(ms);
        byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
        if (a.answered) answered++;
      }
      times.sort((a, b) => a - b);
      // which kind of question makes the tail
      for (const [k, ts] of [...byKind].sort((a, b) => a[0] - b[0])) {
        ts.sort((a, b) => a - b);
        process.stderr.write(`  kind ${k}: p50 ${pct(ts, 50).toFixed(1)} ms, p95 ${pct(ts, 95).toFixed(1)} ms, max ${ts[ts.length - 1].toFixed(1)} ms  e.g. ${qs.find((q) => q.kind === k)?.question}\n`);
      }
      const r: Result = {
        bench: 'ask',
        engine,
        items: Number((await db.query<{ n: number }>('select count(*)::int n from items')).rows[0].n),
        queries: times.length,
        p50: +pct(times, 50).toFixed(1),
        p95: +pct(times, 95).toFixed(1),
        p99: +pct(times, 99).toFixed(1),
        mean: +(times.reduce((a, b) => a + b, 0) / times.length).toFixed(1),
        answered,
        lexiconBuildMs,
        rssMb: Math.round(process.memoryUsage().rss / 1048576),
      };
      results.push(r);
      process.stdout.write(`${JSON.stringify(r)}\n`);
      if (engine === 'postgres' && opts.schema && !keep) await db.exec(`drop schema ${opts.schema} cascade`);
    } finally {
      await db.close();
      if (engine !== 'postgres' && !keep && pgliteDir !== 'memory://') fs.rmSync(pgliteDir, { recursive: true, force: true });
    }
  }
  if (process.argv.includes('--write')) writeSection(results);
}

/** Appends (or replaces) this engine's rows in the "Questions (ask)" section of BENCHMARKS.md. */
function writeSection(results: Result[]) {
  const file = path.join(__dirname, '..', 'BENCHMARKS.md');
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  for (const r of results) fs.writeFileSync(path.join(dir, `ask-${r.engine}-${r.items}.json`), `${JSON.stringify(r, null, 2)}\n`);
  process.stderr.write(`results written to ${dir}; update the "Questions (ask)" section of ${file} from them\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
