import path from 'path';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, UserError } from '../errors';
import type { Meeting } from '../minutes/model';
import { listForums, matchForum, getOrCreateForum, ensureKnownForums, type Forum } from '../store/forums';
import { DOCUMENT_EXTENSIONS, importFiles, parseChecked, readDocumentFile, type ImportError, type ImportResult } from '../store/import';
import { importIcs, unknownForum } from '../store/ics';
import { getMeeting, listMeetings, planMeeting, type MeetingSummary } from '../store/meetings';
import { isIsoTime, parseMeetingTime } from '../store/time';
import { printJson, withStore } from './shared';

/**
 * Sub-commands of the minutes and store capability (DESIGN section 5):
 *   parse <file> --json · import <file|dir>... [--json] [--forum NAME] · meetings [--upcoming] [--forum NAME] [--now ISO] [--json]
 *   meeting <id> --json · meetings add --forum NAME --start ISO [--end ISO] [--location TEXT] · meetings import-ics FILE --forum NAME
 *   forums [--json]
 */

/** More files than this and `import` reports progress on stderr. */
const PROGRESS_THRESHOLD = 5;

const isoTime = (flag: string) =>
  z.string().refine(isIsoTime, { message: `${flag} must be an ISO date or time, e.g. 2026-03-05 or 2026-03-05T09:00 (Copenhagen time) or 2026-03-05T09:00:00+01:00` });
const name = (flag: string) => z.string({ message: `${flag} NAME is required` }).trim().min(1, { message: `${flag} needs a name` });

const MeetingsOptions = z.object({
  upcoming: z.boolean().optional(),
  forum: name('--forum').optional(),
  now: isoTime('--now').optional(),
  json: z.boolean().optional(),
});
const AddOptions = z.object({
  forum: name('--forum'),
  start: isoTime('--start'),
  end: isoTime('--end').optional(),
  location: z.string().trim().min(1).optional(),
  title: z.string().trim().min(1).optional(),
  newForum: z.boolean().optional(),
  json: z.boolean().optional(),
});
const IcsOptions = z.object({ forum: name('--forum').optional(), json: z.boolean().optional() });
const ImportOptionsSchema = z.object({ forum: name('--forum').optional(), json: z.boolean().optional() });
const MeetingId = z.string().trim().min(1, { message: 'a meeting id is required' }).max(200).transform((s) => s.toLowerCase());

/** zod-checks command options; a failure is a usage error (exit 2) with one line. */
function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}

export function registerMinutesCommands(program: Command): void {
  // `meetings --forum X` and `meetings add --forum X` both exist: options belong to the command they follow.
  // Commander needs this on every ancestor of `meetings`. (The root has no options of its own, so nothing else changes.)
  program.enablePositionalOptions();
  program
    .command('parse <file>')
    .description('read an agenda or minutes document (text, HTML, Word, PDF) and print the meeting; stores nothing')
    .option('--json', 'print the Meeting as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const data = await readDocumentFile(file);
      const { meeting } = await parseChecked({ data, fileName: file });
      if (opts.json) printJson(meeting);
      else process.stdout.write(formatMeeting(meeting));
    });

  program
    .command('import <files...>')
    .description('store agendas, minutes and calendars (.ics): files or folders; each file is imported on its own')
    .option('--forum <name>', 'for calendars (.ics): the forum the events belong to')
    .option('--json', 'print the results as one JSON array')
    .action(async (files: string[], raw: unknown) => {
      const opts = checked(ImportOptionsSchema, raw);
      await withStore(async (db) => {
        let results: Array<ImportResult | ImportError> = [];
        let total = 0;
        results = await importFiles(db, files, {
          actor: 'cli',
          forum: opts.forum,
          onProgress: (done, n, rs) => {
            total = n;
            if (n > PROGRESS_THRESHOLD) for (const r of rs) process.stderr.write(`[${done}/${n}] ${describe(r)}\n`);
          },
        });
        if (opts.json) printJson(results);
        else for (const r of results) process.stdout.write(`${describe(r)}\n`);
        if (!results.length) throw new UserError(`no documents found in ${files.join(', ')} (looked for ${DOCUMENT_EXTENSIONS.join(' ')})`, 'no_documents');
        const failed = results.filter((r): r is ImportError => r.result === 'error');
        if (total > PROGRESS_THRESHOLD || results.length > PROGRESS_THRESHOLD) {
          const count = (k: string) => results.filter((r) => r.result === k).length;
          process.stderr.write(`imported ${total} files: ${count('created')} created, ${count('updated')} updated, ${count('unchanged')} unchanged, ${failed.length} failed\n`);
        }
        if (failed.length === 1 && results.length === 1) throw new UserError(failed[0].error);
        if (failed.length) throw new UserError(`${failed.length} of ${total} files could not be imported (first: ${failed[0].error})`);
      });
    });

  const meetings = program
    .command('meetings')
    .enablePositionalOptions() // `meetings add --forum X`: --forum belongs to add, not to meetings
    .description('list stored meetings in date order; sub-commands add and import-ics plan meetings ahead')
    .option('--upcoming', 'only meetings that have not taken place yet, soonest first')
    .option('--forum <name>', 'only this forum (name or short name: SDF, DAS, SOCDIR, FU)')
    .option('--now <iso>', 'the clock for --upcoming (default: now)')
    .option('--json', 'print the meetings as one JSON array')
    .action(async (raw: unknown) => {
      const opts = checked(MeetingsOptions, raw);
      await withStore(async (db) => {
        let forumId: string | undefined;
        if (opts.forum) {
          const forums = await listForums(db);
          const f = matchForum(forums, opts.forum);
          if (!f) throw unknownForum(opts.forum, forums);
          forumId = f.id;
        }
        const list = await listMeetings(db, { forumId, upcoming: opts.upcoming, now: opts.now ? parseMeetingTime(opts.now)!.at : undefined });
        if (opts.json) printJson(list);
        else if (!list.length) process.stderr.write(opts.upcoming ? 'no upcoming meetings\n' : 'no meetings stored\n');
        else for (const m of list) process.stdout.write(`${summaryLine(m)}\n`);
      });
    });

  meetings
    .command('add')
    .description('plan a meeting ahead (its agenda and minutes complete it later)')
    .requiredOption('--forum <name>', 'the forum (name or short name)')
    .requiredOption('--start <iso>', 'date or start time, e.g. 2026-03-05T09:00 (Copenhagen time)')
    .option('--end <iso>', 'end time')
    .option('--location <text>', 'where')
    .option('--title <text>', 'title (default: "Møde i <forum>")')
    .option('--new-forum', 'create the forum when it is not known yet')
    .option('--json', 'print the result as JSON')
    .action(async (raw: unknown) => {
      const opts = checked(AddOptions, raw);
      const start = parseMeetingTime(opts.start)!;
      const end = opts.end ? parseMeetingTime(opts.end)! : null;
      if (end && end.at < start.at) throw new UsageError('--end is before --start');
      await withStore(async (db) => {
        const forums = await listForums(db);
        let forum: Forum | null = matchForum(forums, opts.forum);
        if (!forum && !opts.newForum) throw unknownForum(opts.forum, forums);
        await ensureKnownForums(db);
        const r = await db.transaction(async (tx) => {
          forum ??= await getOrCreateForum(tx, opts.forum);
          const planned = await planMeeting(tx, { forum, start: opts.start, end: opts.end, location: opts.location, title: opts.title, origin: 'planned' });
          await tx.query(`insert into audit_log (actor, action, subject, details) values ('cli', 'meetings.add', $1, $2::jsonb)`, [
            planned.meetingId,
            JSON.stringify({ ...opts, result: planned.result }),
          ]);
          return planned;
        });
        const meeting = await getMeeting(db, r.meetingId);
        if (opts.json) printJson({ meetingId: r.meetingId, result: r.result, meeting });
        else process.stdout.write(`${r.meetingId}: ${r.result}${r.result === 'unchanged' && meeting?.status !== 'planned' ? ` (the meeting already has its ${meeting?.status === 'minutes' ? 'minutes' : 'agenda'})` : ''}\n`);
      });
    });

  meetings
    .command('import-ics <file>')
    .description("plan the year's meetings from a calendar (.ics, the årshjul)")
    .option('--forum <name>', "the forum (default: the calendar's name)")
    .option('--json', 'print the results as one JSON array')
    .action(async (file: string, raw: unknown) => {
      const opts = checked(IcsOptions, raw);
      const data = await readDocumentFile(file);
      await withStore(async (db) => {
        const results = await importIcs(db, { data, fileName: file, forum: opts.forum, actor: 'cli' });
        if (opts.json) printJson(results.map((r) => ({ ...r, file })));
        else for (const r of results) process.stdout.write(`${describe({ ...r, file })}\n`);
      });
    });
  for (const c of meetings.commands) c.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('meeting <id>')
    .description('show one stored meeting')
    .option('--json', 'print the Meeting as JSON')
    .action(async (rawId: string, opts: { json?: boolean }) => {
      const id = checked(MeetingId, rawId);
      await withStore(async (db) => {
        const m = await getMeeting(db, id);
        if (!m) throw new UserError(`no meeting with id "${id}" (forumbot meetings lists them)`, 'not_found');
        if (opts.json) printJson(m);
        else process.stdout.write(formatMeeting(m));
      });
    });

  program
    .command('forums')
    .description('list the forums the store knows, with their short names')
    .option('--json', 'print the forums as one JSON array')
    .action(async (opts: { json?: boolean }) => {
      await withStore(async (db) => {
        const forums = await listForums(db);
        if (opts.json) printJson(forums);
        else for (const f of forums) process.stdout.write(`${f.id}\t${f.name}${f.shortNames.length ? ` (${f.shortNames.join(', ')})` : ''}${f.region ? ` · ${f.region}` : ''}\n`);
      });
    });
}

function describe(r: ImportResult | ImportError): string {
  const file = path.basename(r.file);
  return r.result === 'error' ? `${file}: error: ${r.error.replace(`${file}: `, '')}` : `${file}: ${r.result} ${r.meetingId}`;
}

function summaryLine(m: MeetingSummary): string {
  const when = m.start ? m.start.replace('T', ' ').slice(0, 16) : 'udateret';
  return `${m.id}\t${when}\t${m.status}\t${m.forum}\t${m.title ?? ''}`;
}

/** A meeting as readable text (parse and meeting without --json). */
export function formatMeeting(m: Meeting): string {
  const lines: string[] = [];
  lines.push(`${m.title ?? '(uden titel)'}${m.id ? `  [${m.id}]` : ''}`);
  lines.push(`Forum: ${m.forum ?? '?'} · ${m.kind === 'written_procedure' ? 'skriftlig procedure' : 'møde'} · ${m.status}`);
  lines.push(`Tid: ${m.start ?? '?'}${m.end ? ` – ${m.end}` : ''}`);
  if (m.location) lines.push(`Sted: ${m.location}`);
  const people = (ps: Meeting['participants']) => ps.map((p) => (p.organisation ? `${p.name} (${p.organisation})` : p.name)).join(', ');
  if (m.participants.length) lines.push(`Deltagere: ${people(m.participants)}`);
  if (m.absent.length) lines.push(`Afbud: ${people(m.absent)}`);
  lines.push('');
  for (const it of m.items) {
    lines.push(`${it.number}. ${it.title}${it.outcome ? `  [${it.outcome}]` : ''}`);
    if (it.decision) lines.push(`   Beslutning: ${it.decision.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  if (m.nextMeeting) lines.push('', `Næste møde: ${m.nextMeeting}`);
  return `${lines.join('\n')}\n`;
}
