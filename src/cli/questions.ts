import fs from 'fs';
import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { UsageError, UserError } from '../errors';
import { answerQuestion, type Answer } from '../questions';
import { printJson, withStore } from './shared';

/**
 * Sub-commands of the questions capability (DESIGN section 5):
 *   ask "<question>" [--now ISO] [--lang da|en] [--json]
 *   ask --batch FILE --json     FILE: JSON lines {"question", "now", "lang"}; one answer JSON per line, in order
 */

const isoTime = z
  .string()
  .refine((s) => DateTime.fromISO(s, { setZone: true }).isValid, { message: 'must be an ISO date or time, e.g. 2023-10-10T09:00:00+02:00' });
const Lang = z.enum(['da', 'en'], { message: 'must be da or en' });

const AskOptions = z.object({
  now: isoTime.optional(),
  lang: Lang.optional(),
  json: z.boolean().optional(),
  batch: z.string().min(1).optional(),
});

/** One line of a batch file. */
export const BatchLine = z.object({
  question: z.string({ message: 'must be a string' }),
  now: isoTime.nullish(),
  lang: Lang.nullish(),
  locale: z.string().nullish(),
});
export type BatchLine = z.infer<typeof BatchLine>;

/** Reads and checks a batch file: every line must be valid before any is answered. */
export function readBatch(file: string): BatchLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: BatchLine[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UserError(`${file} line ${i + 1}: not valid JSON`);
    }
    const r = BatchLine.safeParse(value);
    if (!r.success) throw new UserError(`${file} line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.') || 'line'} ${x.message}`).join('; ')}`);
    out.push(r.data);
  });
  return out;
}

/** The answer as plain text for a terminal. */
export function answerText(a: Answer): string {
  const lines = [a.text];
  if (a.sourceLine && !a.text.includes(a.sourceLine)) lines.push(`(${a.lang === 'da' ? 'Kilde' : 'Source'}: ${a.sourceLine})`);
  if (a.answered && a.more.length) {
    lines.push(a.lang === 'da' ? 'Se også:' : 'See also:');
    for (const m of a.more) lines.push(`• ${m.forum}, ${m.date ?? ''}${m.itemNumber !== null ? `, ${a.lang === 'da' ? 'punkt' : 'item'} ${m.itemNumber}: ${m.itemTitle}` : ''}`);
  }
  return lines.join('\n');
}

export function registerQuestionCommands(program: Command): void {
  program
    .command('ask [question...]')
    .description('answer a question from the stored agendas and minutes, citing the source')
    .option('--now <iso>', 'the clock for "næste", "i går", "i mandags" (default: now)')
    .option('--lang <lang>', 'answer language: da or en (default: the question\'s language)')
    .option('--json', 'print the answer as JSON')
    .option('--batch <file>', 'answer every line of a JSON-lines file {"question","now","lang"}; one answer per line')
    .action(async (words: string[], raw: unknown) => {
      const parsed = AskOptions.safeParse(raw);
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${i.path.join('.')} ${i.message}`).join('; '));
      const opts = parsed.data;
      if (opts.batch) {
        if (words.length) throw new UsageError('give either a question or --batch FILE, not both');
        const batch = readBatch(opts.batch);
        await withStore(async (db) => {
          for (const b of batch) {
            const a = await answerQuestion(db, { question: b.question, now: b.now ?? opts.now, lang: b.lang ?? opts.lang, locale: b.locale });
            process.stdout.write(opts.json ? `${JSON.stringify(a)}\n` : `${answerText(a)}\n\n`);
          }
        });
        return;
      }
      const question = words.join(' ').trim();
      if (!question) throw new UsageError('ask needs a question, e.g. forumbot ask "hvornår er næste møde?"');
      await withStore(async (db) => {
        const a = await answerQuestion(db, { question, now: opts.now, lang: opts.lang });
        if (opts.json) printJson(a);
        else process.stdout.write(`${answerText(a)}\n`);
      });
    });
}
