import type { AdaptiveCardJson } from '../cards/render';
import type { Queryable } from '../store/db';
import { loadCardState, renderPersonal, renderShared, type Banner, type CardState } from './cards';
import * as repo from './repo';
import { ballotFor, computeResult, tenantAllowed, type ProcedureConfig, type ProcedureResult, type VoteResult } from './service';

/**
 * The card one person sees: their own view when they hold a ballot (as voter or substitute), the shared view
 * otherwise. Used for the Action.Execute response (vote, refresh) — it replaces the card for that person only.
 */
export async function cardFor(
  q: Queryable,
  config: ProcedureConfig,
  now: Date,
  procedureId: string,
  person: { aadObjectId?: string | null; tenantId?: string | null; onBehalfOf?: string | null },
  banner?: Banner | null,
  /** The ballot already known to be this person's (the vote just went to it). */
  knownBallot?: string | null,
): Promise<AdaptiveCardJson | null> {
  const allowed = !!person.aadObjectId && tenantAllowed(config, person.tenantId);
  const ballot = allowed ? (knownBallot ?? (await ballotFor(q, procedureId, person.aadObjectId!, person.onBehalfOf))) : null;
  if (!ballot) {
    const s = await loadCardState(q, procedureId);
    return s ? renderShared(s, { now, banner }) : null;
  }
  const v = await personalState(q, procedureId, ballot);
  if (!v) return null;
  const own = ballot.toLowerCase() === person.aadObjectId!.toLowerCase();
  const onBehalf = own ? null : { aadObjectId: ballot, name: v.voterName ?? ballot };
  return renderPersonal(v.state, v.ballot, { now, onBehalf, banner });
}

/**
 * What a personal view needs, in one round trip on the hot path (every vote's response): the procedure row (fresh:
 * status and deadline may change) and the voter's ballot. Items never change after open and are kept per process;
 * progress ("12 af 22 har stemt") is kept for a second per procedure, so 500 votes at once do not each count 4,500 rows.
 */
const itemsCache = new Map<string, repo.ItemRow[]>();
const progressCache = new Map<string, { at: number; value: { voted: number; voters: number } }>();
export const PROGRESS_TTL_MS = 1000;

async function personalState(q: Queryable, procedureId: string, voter: string) {
  const r = (
    await q.query<repo.ProcedureRow & { ballot: repo.BallotRow[] | null; voter_name: string | null }>(
      `select p.id, p.forum_id, f.name forum_name, p.meeting_id, p.title, p.deadline, p.rule, p.quorum, p.status, p.created_by,
              p.created_at, p.closed_at, p.closed_by, p.close_reason, p.result,
              (select json_agg(json_build_object('item_number', b.item_number, 'voter', b.voter, 'choice', b.choice, 'comment', b.comment) order by b.item_number)
                 from procedure_votes b where b.procedure_id = p.id and b.voter = $2) ballot,
              (select v.name from procedure_voters v where v.procedure_id = p.id and v.aad_object_id = $2) voter_name
         from procedures p join forums f on f.id = p.forum_id where p.id = $1`,
      [procedureId, voter],
    )
  ).rows[0];
  if (!r) return null;
  const p: repo.ProcedureRow = { ...r, deadline: new Date(r.deadline), created_at: new Date(r.created_at), closed_at: r.closed_at ? new Date(r.closed_at) : null };
  let items = itemsCache.get(procedureId);
  if (!items) {
    items = await repo.getItems(q, procedureId);
    if (itemsCache.size > 1000) itemsCache.clear();
    itemsCache.set(procedureId, items);
  }
  const nowMs = Date.now();
  let progress = progressCache.get(procedureId);
  if (!progress || nowMs - progress.at > PROGRESS_TTL_MS || p.status !== 'open') {
    progress = { at: nowMs, value: await repo.getProgress(q, procedureId) };
    if (progressCache.size > 1000) progressCache.clear();
    progressCache.set(procedureId, progress);
  }
  const result = p.status === 'closed' ? ((p.result as ProcedureResult | null) ?? (await computeResult(q, p))) : null;
  return { state: { p, items, progress: progress.value, result } as CardState, ballot: r.ballot ?? [], voterName: r.voter_name };
}

/** The banner a vote result shows on the card. */
export function voteBanner(r: VoteResult): Banner {
  if (r.status === 'refused') return { text: r.message, style: 'attention' };
  if (r.status === 'duplicate' || r.status === 'unchanged') return { text: r.message, style: 'accent' };
  return { text: r.message, style: 'good' };
}
