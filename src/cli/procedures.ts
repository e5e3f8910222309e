import fs from 'fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, UserError } from '../errors';
import {
  auditCsv,
  auditEvents,
  cancelProcedure,
  closeProcedure,
  createFromMeeting,
  createProcedure,
  extendDeadline,
  listProcedures,
  nameSubstitute,
  procedureContext,
  showProcedure,
  CLI,
} from '../procedures';
import { listRoster, resolveForum, rosterRowsFromCsv, setVoting, upsertRoster } from '../procedures/roster';
import { RULES } from '../procedures/tally';
import { ensureKnownForums } from '../store/forums';
import { printJson, withStore } from './shared';

/**
 * Written procedures and rosters (issue 5):
 *   procedure create --file spec.json [--json]
 *   procedure create --from-meeting <meetingId> --deadline ISO [--rule majority|unanimity|tacit] [--quorum 0.5] [--json]
 *   procedure show <id> --json · procedure list [--forum NAME] [--status open|closed|cancelled] [--json]
 *   procedure audit <id> --csv|--json
 *   procedure close <id> · procedure cancel <id> [--reason TEXT] · procedure extend <id> --deadline ISO
 *   procedure substitute <id> --member NAME|ID --substitute NAME|ID
 *   roster import <file.csv> --forum NAME [--json] · roster --forum NAME [--json] · roster votes --forum NAME [--yes A,B] [--no C]
 * The CLI acts as the secretariat (a local operator). Cards go to Teams through the outbox that `serve` works.
 */

function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new UsageError(r.error.issues.map((i) => `${i.path.length ? `--${i.path.join('.')}: ` : ''}${i.message}`).join('; '));
  return r.data;
}

const CreateOptions = z
  .object({
    file: z.string().optional(),
    fromMeeting: z.string().optional(),
    deadline: z.string().optional(),
    rule: z.enum(RULES).optional(),
    quorum: z.coerce.number().min(0).max(1).optional(),
    title: z.string().optional(),
    json: z.boolean().optional(),
  })
  .refine((o) => !!o.file !== !!o.fromMeeting, { message: 'give either --file spec.json or --from-meeting <meetingId>' })
  .refine((o) => !o.fromMeeting || !!o.deadline, { message: '--from-meeting needs --deadline ISO' });

const print = (json: boolean | undefined, value: unknown, text: string) => (json ? printJson(value) : process.stdout.write(`${text}\n`));

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`Kan ikke læse ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file} er ikke gyldig JSON: ${(e as Error).message}`);
  }
}

export function registerProcedureCommands(program: Command): void {
  const proc = program.command('procedure').description('written procedures (skriftlig procedure): open, show, audit, close, cancel, extend');

  proc
    .command('create')
    .description('open a written procedure from a spec file or from an imported agenda of kind written_procedure')
    .option('--file <spec.json>', 'the spec: {forum, title, deadline, rule, quorum, items:[{title, recommendation, attachments}], voters}')
    .option('--from-meeting <meetingId>', 'each item of this stored meeting becomes a proposal')
    .option('--deadline <iso>', 'deadline (with --from-meeting), e.g. 2026-12-01T12:00:00+01:00')
    .option('--rule <rule>', 'majority | unanimity | tacit (with --from-meeting; default majority)')
    .option('--quorum <share>', 'share of voters who must respond, 0-1 (with --from-meeting; default 0)')
    .option('--title <text>', 'title (with --from-meeting; default the meeting title)')
    .option('--json', 'print {"id": …} as JSON')
    .action(async (raw: unknown) => {
      const o = checked(CreateOptions, raw);
      await withStore(async (db, config) => {
        const ctx = procedureContext({ db, config });
        const created = o.file
          ? await createProcedure(ctx, CLI, readJsonFile(o.file))
          : await createFromMeeting(ctx, CLI, o.fromMeeting!, { deadline: o.deadline!, rule: o.rule, quorum: o.quorum, title: o.title });
        print(o.json, created, `Oprettet ${created.id}: ${created.items} punkter, ${created.voters} stemmeberettigede, frist ${created.deadline} (møde ${created.meetingId}).`);
      });
    });

  proc
    .command('show <id>')
    .description('status, counts per item and who has voted')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withStore(async (db) => {
        const s = await showProcedure(db, id);
        if (o.json) return printJson(s);
        const lines = [
          `${s.id} · ${s.forum} · ${s.title}`,
          `status ${s.status} · frist ${s.deadline} · regel ${s.rule} · quorum ${s.quorum} · ${s.progress.voted} af ${s.progress.voters} har stemt`,
          ...s.items.map((i) => `  ${i.number}. ${i.title}: ${i.for} for, ${i.against} imod, ${i.abstain} undlod, ${i.meetingRequested} ønsker møde${i.outcome ? ` → ${i.outcome}` : ''}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  proc
    .command('list')
    .description('procedures, newest first')
    .option('--forum <name>', 'only this forum')
    .option('--status <status>', 'open | closed | cancelled')
    .option('--json', 'print as JSON')
    .action(async (o: { forum?: string; status?: string; json?: boolean }) => {
      const status = o.status ? checked(z.enum(['open', 'closed', 'cancelled']), o.status) : undefined;
      await withStore(async (db) => {
        await ensureKnownForums(db);
        const forumId = o.forum ? (await resolveForum(db, o.forum)).id : undefined;
        const list = await listProcedures(db, { forumId, status });
        print(o.json, list, list.map((p) => `${p.id}  ${p.status.padEnd(9)} ${p.deadline}  ${p.forum}: ${p.title}`).join('\n') || 'Ingen procedurer.');
      });
    });

  proc
    .command('audit <id>')
    .description('every vote event: who, on whose behalf, when, item, from, to')
    .option('--csv', 'print CSV')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { csv?: boolean; json?: boolean }) => {
      if (!o.csv && !o.json) throw new UsageError('choose --csv or --json');
      await withStore(async (db) => {
        const events = await auditEvents(db, id);
        if (o.json) printJson(events);
        else process.stdout.write(auditCsv(events));
      });
    });

  proc
    .command('close <id>')
    .description('close before the deadline (allowed when everyone has voted)')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withStore(async (db, config) => {
        await closeProcedure(procedureContext({ db, config }), CLI, id, 'early');
        const s = await showProcedure(db, id);
        print(o.json, s, `${id} er lukket: ${s.items.map((i) => `${i.number} ${i.outcome}`).join(', ')}`);
      });
    });

  proc
    .command('cancel <id>')
    .description('cancel an open procedure (everyone is told)')
    .option('--reason <text>', 'why')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { reason?: string; json?: boolean }) => {
      await withStore(async (db, config) => {
        await cancelProcedure(procedureContext({ db, config }), CLI, id, o.reason);
        print(o.json, { id, status: 'cancelled' }, `${id} er annulleret.`);
      });
    });

  proc
    .command('extend <id>')
    .description('move the deadline later (everyone is told)')
    .requiredOption('--deadline <iso>', 'the new deadline')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { deadline: string; json?: boolean }) => {
      await withStore(async (db, config) => {
        const r = await extendDeadline(procedureContext({ db, config }), CLI, id, o.deadline);
        print(o.json, { id, deadline: r.deadline }, `Fristen for ${id} er nu ${r.deadline}.`);
      });
    });

  proc
    .command('substitute <id>')
    .description('name a substitute (stedfortræder) who votes for a member in this procedure')
    .requiredOption('--member <nameOrId>', 'the voting member')
    .requiredOption('--substitute <nameOrId>', 'a person on the forum roster')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { member: string; substitute: string; json?: boolean }) => {
      await withStore(async (db, config) => {
        const r = await nameSubstitute(procedureContext({ db, config }), CLI, id, { member: o.member, substitute: o.substitute });
        print(o.json, r, `${r.substituteName} stemmer for ${r.memberName} i ${id}.`);
      });
    });

  const roster = program
    .command('roster')
    .description("a forum's roster: members, substitutes, secretariat")
    .option('--forum <name>', 'the forum')
    .option('--json', 'print as JSON')
    .action(async (o: { forum?: string; json?: boolean }) => {
      if (!o.forum) throw new UsageError('roster needs --forum NAME');
      await withStore(async (db) => {
        await ensureKnownForums(db);
        const forum = await resolveForum(db, o.forum!);
        const list = await listRoster(db, forum.id);
        print(
          o.json,
          { forum: forum.name, forumId: forum.id, members: list.map(({ forumId: _f, ...m }) => m) },
          list.map((m) => `${m.name.padEnd(30)} ${(m.organisation ?? '').padEnd(25)} ${m.role.padEnd(12)} ${m.votes ? 'stemmer' : ''}  ${m.aadObjectId}`).join('\n') ||
            `${forum.name} har ingen roster endnu.`,
        );
      });
    });

  roster
    .command('import <file>')
    .description('import a CSV with the columns name,organisation,aadObjectId,role (member|substitute|secretariat)')
    .requiredOption('--forum <name>', 'the forum')
    .option('--json', 'print as JSON')
    .action(async (file: string, o: { forum: string; json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        throw new UserError(`Kan ikke læse ${file}`);
      }
      const rows = rosterRowsFromCsv(text);
      await withStore(async (db) => {
        await ensureKnownForums(db);
        const forum = await resolveForum(db, o.forum);
        const r = await db.transaction((tx) => upsertRoster(tx, forum.id, rows));
        print(o.json, { forum: forum.name, forumId: forum.id, ...r, total: rows.length }, `${forum.name}: ${r.created} nye, ${r.updated} opdateret (${rows.length} i filen).`);
      });
    });

  roster
    .command('votes')
    .description('mark who votes in written procedures')
    .requiredOption('--forum <name>', 'the forum')
    .option('--yes <names>', 'comma-separated names or object ids that vote')
    .option('--no <names>', 'comma-separated names or object ids that do not vote')
    .option('--json', 'print as JSON')
    .action(async (o: { forum: string; yes?: string; no?: string; json?: boolean }) => {
      const split = (s?: string) => (s ? s.split(/\s*,\s*/).filter(Boolean) : []);
      await withStore(async (db) => {
        await ensureKnownForums(db);
        const forum = await resolveForum(db, o.forum);
        const yes = await setVoting(db, forum.id, split(o.yes), true);
        const no = await setVoting(db, forum.id, split(o.no), false);
        print(o.json, { yes, no }, `Stemmer: ${yes.join(', ') || '–'}. Stemmer ikke: ${no.join(', ') || '–'}.`);
      });
    });
}
