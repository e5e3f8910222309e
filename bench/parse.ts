/**
 * Parse throughput over the synthetic corpus (target: ≥ 200 documents/s on 2 cores).
 *   npm run bench:parse -- --documents 1000 [--items 10] [--seed 1]
 * Also checks the parser against what the generator wrote (forum, date, item numbers and titles, decisions),
 * so a fast parser that reads wrong does not pass unnoticed.
 */
import os from 'os';
import { parseDocument } from '../src/minutes';
import { arg, generateCorpus } from './generate-corpus';

async function main() {
  const documents = Number(arg('documents', '1000'));
  const itemsPerDoc = Number(arg('items', '10'));
  const corpus = generateCorpus({ documents, itemsPerDoc, seed: Number(arg('seed', '1')) });
  const inputs = corpus.map((d) => ({ data: Buffer.from(d.text, 'utf8'), fileName: d.fileName }));
  const bytes = inputs.reduce((n, i) => n + i.data.length, 0);
  // warm-up (JIT, lazy modules)
  for (const i of inputs.slice(0, 20)) await parseDocument(i);
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const out: Awaited<ReturnType<typeof parseDocument>>[] = [];
  for (const i of inputs) out.push(await parseDocument(i));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  let right = 0;
  const wrong: string[] = [];
  corpus.forEach((d, k) => {
    const m = out[k];
    const problems: string[] = [];
    if (m.forum !== d.forum) problems.push(`forum ${m.forum}`);
    if (!m.start?.startsWith(d.date)) problems.push(`start ${m.start}`);
    if (m.items.length !== d.items.length) problems.push(`${m.items.length} items`);
    else
      d.items.forEach((it, j) => {
        if (m.items[j].number !== it.number || m.items[j].title !== it.title) problems.push(`item ${it.number} title "${m.items[j].title}"`);
        if (Boolean(m.items[j].decision) !== Boolean(it.decision)) problems.push(`item ${it.number} decision`);
      });
    if (problems.length) wrong.push(`${d.fileName}: ${problems.slice(0, 3).join('; ')}`);
    else right++;
  });
  const rss = process.memoryUsage().rss / 1024 / 1024;
  const result = {
    bench: 'parse',
    documents,
    itemsPerDoc,
    megabytes: +(bytes / 1024 / 1024).toFixed(1),
    seconds: +(ms / 1000).toFixed(2),
    documentsPerSecond: Math.round((documents / ms) * 1000),
    msPerDocument: +(ms / documents).toFixed(2),
    // on a shared machine wall time depends on the neighbours; CPU time is this process's own work
    documentsPerCpuSecond: Math.round((documents / cpuMs) * 1000),
    loadAverage: +os.loadavg()[0].toFixed(1),
    readCorrectly: `${right}/${documents}`,
    rssMB: Math.round(rss),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  for (const w of wrong.slice(0, 5)) process.stderr.write(`misread: ${w}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exitCode = 1;
});
