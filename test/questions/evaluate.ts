import fs from 'fs';
import path from 'path';
import type { Db } from '../../src/store/db';
import { answerQuestion, type Answer } from '../../src/questions';

/** One line of test/questions/questions.jsonl: a question of our own over the five seeds and what a right answer holds. */
export interface Case {
  q: string;
  now?: string;
  lang?: 'da' | 'en';
  /** Meeting date of the right top source; null: the minutes cannot answer (expect "don't know"). */
  date?: string | null;
  /** Item number of the right top source; null: the answer comes from the meeting header. */
  item?: number | null;
  contains?: string[];
  intent?: string;
}

export interface Outcome {
  c: Case;
  a: Answer;
  ok: boolean;
  why: string;
}

/** questions.jsonl: the set the answers were developed on; holdout.jsonl: written afterwards, never tuned on. */
export function loadCases(file = 'questions.jsonl'): Case[] {
  return fs
    .readFileSync(path.join(__dirname, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Case);
}

export function judge(c: Case, a: Answer): Outcome {
  if (c.intent) return { c, a, ok: a.intent === c.intent, why: `intent ${a.intent}` };
  if (c.date === null || c.date === undefined) return { c, a, ok: !a.answered, why: a.answered ? `answered: ${a.text.slice(0, 120)}` : '' };
  if (!a.answered) return { c, a, ok: false, why: `not answered: ${a.text.slice(0, 160)}` };
  const s = a.sources[0];
  if (!s || s.date !== c.date) return { c, a, ok: false, why: `top source ${s?.date} #${s?.itemNumber}` };
  if (c.item !== null && c.item !== undefined && s.itemNumber !== c.item) return { c, a, ok: false, why: `top item #${s.itemNumber} ${s.itemTitle}` };
  const missing = (c.contains ?? []).filter((x) => !a.text.toLowerCase().includes(x.toLowerCase()));
  if (missing.length) return { c, a, ok: false, why: `text lacks ${JSON.stringify(missing)}: ${a.text.slice(0, 200)}` };
  if (c.lang && a.lang !== c.lang) return { c, a, ok: false, why: `lang ${a.lang}` };
  return { c, a, ok: true, why: '' };
}

export async function evaluate(db: Db, cases: Case[] = loadCases()): Promise<Outcome[]> {
  const out: Outcome[] = [];
  for (const c of cases) out.push(judge(c, await answerQuestion(db, { question: c.q, now: c.now })));
  return out;
}

export function summary(results: Outcome[]): { answerable: number; answerableOk: number; unanswerable: number; unanswerableOk: number } {
  const ans = results.filter((r) => r.c.date);
  const un = results.filter((r) => !r.c.date && !r.c.intent);
  return { answerable: ans.length, answerableOk: ans.filter((r) => r.ok).length, unanswerable: un.length, unanswerableOk: un.filter((r) => r.ok).length };
}
