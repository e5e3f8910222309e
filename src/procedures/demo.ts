import type { Config } from '../config';
import { UserError } from '../errors';
import type { Db } from '../store/db';
import { DEMO_FORUM } from '../store/demo';
import { ensureKnownForums, resolveForum } from '../store/forums';
import { toLocalIso } from '../store/time';
import { procedureContext } from './index';
import type { RosterRow } from './model';
import { upsertRoster } from './roster';
import { createFromMeeting, CLI } from './service';

/**
 * The demo written procedure for the local try-out (`serve --demo`, the Agents Playground): the demo forum's
 * per-mail agenda (samples/upcoming-sfv-skriftlig-procedure.txt, loaded by loadDemoData) becomes an open
 * procedure, a week long, with a fictional roster. Pass the Playground's users as `roster` so the current
 * user can vote on the card. Idempotent: an open procedure for that agenda is returned as it is.
 */
export const DEMO_ROSTER: RosterRow[] = [
  { name: 'Sofie Sekretær', organisation: 'Fælleskommunalt sekretariat', aadObjectId: '00000000-0000-0000-0000-000000000020', role: 'secretariat', votes: true },
  { name: 'Anders Andersen', organisation: 'Saltvig Kommune', aadObjectId: '00000000-0000-0000-0000-000000000021', role: 'member' },
  { name: 'Birgitte Bach', organisation: 'Klitby Kommune', aadObjectId: '00000000-0000-0000-0000-000000000022', role: 'member' },
  { name: 'Carsten Castenskiold', organisation: 'Havnstrup Kommune', aadObjectId: '00000000-0000-0000-0000-000000000023', role: 'member' },
  { name: 'Dorthe Dahl', organisation: 'Sandvig Kommune', aadObjectId: '00000000-0000-0000-0000-000000000024', role: 'substitute' },
];

export interface DemoProcedure {
  id: string;
  meetingId: string;
  created: boolean;
  deadline: string;
}

export async function openDemoProcedure(
  db: Db,
  opts: { config: Config; now?: () => Date; roster?: RosterRow[]; days?: number } ,
): Promise<DemoProcedure | null> {
  const now = opts.now ?? (() => new Date());
  await ensureKnownForums(db);
  const forum = await resolveForum(db, DEMO_FORUM.name);
  if (!forum) return null;
  const m = await db.query<{ id: string }>(
    "select id from meetings where forum_id = $1 and kind = 'written_procedure' and status <> 'minutes' order by start_at desc nulls last limit 1",
    [forum.id],
  );
  const meetingId = m.rows[0]?.id;
  if (!meetingId) return null;
  await db.transaction((tx) => upsertRoster(tx, forum.id, opts.roster ?? DEMO_ROSTER));
  const open = await db.query<{ id: string; deadline: Date }>("select id, deadline from procedures where meeting_id = $1 and status = 'open'", [meetingId]);
  if (open.rows[0]) return { id: open.rows[0].id, meetingId, created: false, deadline: toLocalIso(open.rows[0].deadline) };
  const deadline = new Date(now().getTime() + (opts.days ?? 7) * 86_400_000);
  try {
    const c = await createFromMeeting(procedureContext({ db, config: opts.config, now }), CLI, meetingId, { deadline: deadline.toISOString(), rule: 'majority', quorum: 0.5 });
    return { id: c.id, meetingId, created: true, deadline: c.deadline };
  } catch (e) {
    if (e instanceof UserError) return null;
    throw e;
  }
}
