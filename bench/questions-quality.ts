/**
 * Answer quality over the five seeds (../shared/seeds), per question file of test/questions:
 *   node -r @swc-node/register bench/questions-quality.ts [questions.jsonl holdout.jsonl holdout2.jsonl] [--all]
 * Prints, per file, the share of answerable questions with the right meeting and item on top and the key fact in
 * the text, and the share of unanswerable ones answered "don't know"; --all lists every miss.
 * questions.jsonl is the set the answers were developed on; holdout.jsonl and holdout2.jsonl were written
 * afterwards (holdout2 by someone who had not seen the code), so they show how the answers generalise.
 */
import { evaluate, loadCases, summary } from '../test/questions/evaluate';
import { seededDb } from '../test/questions/seeded';
import fs from 'fs';
import path from 'path';

async function main() {
  if (!fs.existsSync(path.resolve(__dirname, '..', '..', 'shared', 'seeds'))) {
    process.stderr.write('../shared/seeds is missing: nothing to measure\n');
    process.exit(2);
  }
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const db = await seededDb();
  try {
    for (const f of files.length ? files : ['questions.jsonl', 'holdout.jsonl', 'holdout2.jsonl']) {
      const r = await evaluate(db, loadCases(f));
      const s = summary(r);
      const pct = (a: number, b: number) => `${a}/${b} (${b ? Math.round((100 * a) / b) : 0}%)`;
      process.stdout.write(`${f}: answerable ${pct(s.answerableOk, s.answerable)}, unanswerable "don't know" ${pct(s.unanswerableOk, s.unanswerable)}\n`);
      if (process.argv.includes('--all')) for (const x of r.filter((o) => !o.ok)) process.stdout.write(`  ✗ ${x.c.q} [${x.c.date} #${x.c.item}] → ${x.why.replace(/\n/g, ' / ').slice(0, 240)}\n`);
    }
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
