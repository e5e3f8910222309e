import type { AdaptiveCardJson } from '../cards/render';
import type { Queryable } from '../store/db';
import { renderPersonal, renderShared, type Banner, type CardState, type SubstituteView } from './cards';
import * as repo from './repo';
import { ballotFor, computeResult, tenantAllowed, type ProcedureConfig, type ProcedureResult, type VoteResult } from './service';

/**
 * The card one person sees: their own view when they hold a ballot (as voter or substitute), the shared view
 * otherwise. Used for the Action.Execute response (vote, refresh) — it replaces the card for that person only.
 *
 * Caches, per process (the invoke path must not read what never changes):
 * - what never changes after open: forum, title, rule, quorum, meeting, items (`staticOf`);
 * - progress ("12 af 22 har stemt"), for at most PROGRESS_TTL_MS per procedure while it is open, one query at a time
 *   (500 votes at once do not each count 4,500 rows).
 * Status, deadline and the ballot are never cached: a vote's card reads them in the vote's own statement.
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
    const s = await sharedState(q, procedureId);
    return s ? renderShared(s, { now, banner }) : null;
  }
  const v = await personalState(q, procedureId, ballot);
  if (!v) return null;
  const own = ballot.toLowerCase() === person.aadObjectId!.toLowerCase();
  const onBehalf = own ? null : { aadObjectId: ballot, name: v.voterName ?? ballot };
  const substitute = own ? await substituteView(q, v.state.p, now, ballot, v.substitute) : null;
  return renderPersonal(v.state, v.ballot, { now, onBehalf, banner, substitute });
}

/**
 * The clicker's card after a vote, from what the vote's statement returned (status, deadline, the ballot after the
 * vote) plus the per-process caches: no query on the hot path except a progress count at most once a second.
 * Falls back to `cardFor` when the vote found no ballot (not a voter, unknown procedure).
 */
export async function cardAfterVote(
  q: Queryable,
  config: ProcedureConfig,
  now: Date,
  person: { aadObjectId: string; tenantId?: string | null; onBehalfOf?: string | null },
  result: VoteResult,
  banner: Banner,
): Promise<AdaptiveCardJson | null> {
  const view = result.view;
  if (!view || !result.voter) return cardFor(q, config, now, result.procedureId, person, banner, null);
  const st = await staticOf(q, result.procedureId);
  if (!st) return null;
  const p: repo.ProcedureRow = { ...st.row, status: view.status, deadline: view.deadline, closed_at: view.closedAt, close_reason: view.closeReason, result: view.result };
  const progress = await progressOf(q, result.procedureId, view.status === 'open');
  const closed = view.status === 'closed' ? ((view.result as ProcedureResult | null) ?? (await computeResult(q, p))) : null;
  const own = result.voter.toLowerCase() === person.aadObjectId.toLowerCase();
  const onBehalf = own ? null : { aadObjectId: result.voter, name: view.voterName ?? result.voter };
  const substitute = own ? await substituteView(q, p, now, result.voter, view.substitute) : null;
  return renderPersonal({ p, items: st.items, progress, result: closed }, view.ballot, { now, onBehalf, banner, substitute });
}

/**
 * The substitute section of a member's own card while the procedure is open: who may be named (cached per process
 * for SUBSTITUTE_TTL_MS: the roster changes rarely, and the server checks the choice again) and who is named now
 * (always fresh, read with the ballot). Null when this voter may not name one (a substitute or secretariat on the roster).
 */
async function substituteView(
  q: Queryable,
  p: Pick<repo.ProcedureRow, 'id' | 'status' | 'deadline'>,
  now: Date,
  voter: string,
  current: { aadObjectId: string; name: string } | null,
): Promise<SubstituteView | null> {
  if (p.status !== 'open' || now >= new Date(p.deadline)) return null;
  const setup = await substituteSetupOf(q, p.id);
  if (!setup.mayName.has(voter.toLowerCase())) return null;
  return { choices: setup.choices, current };
}

// ---- per-process caches ---------------------------------------------------------------------------

export const PROGRESS_TTL_MS = 1000;
const CACHE_MAX = 1000;

interface StaticProcedure {
  /** The procedure row as read once; only its never-changing fields are used (status, deadline … come fresh). */
  row: repo.ProcedureRow;
  items: repo.ItemRow[];
}
const statics = new Map<string, Promise<StaticProcedure | null>>();

/** Forum, title, rule, quorum, meeting and items: fixed when the procedure opens, so read once per process. */
function staticOf(q: Queryable, procedureId: string): Promise<StaticProcedure | null> {
  let s = statics.get(procedureId);
  if (!s) {
    s = Promise.all([repo.getProcedure(q, procedureId), repo.getItems(q, procedureId)]).then(([row, items]) => (row && items.length ? { row, items } : null));
    if (statics.size > CACHE_MAX) statics.clear();
    statics.set(procedureId, s);
    // a miss (or a failed read) is not remembered
    s.then(
      (x) => {
        if (!x) statics.delete(procedureId);
      },
      () => statics.delete(procedureId),
    );
  }
  return s;
}

export const SUBSTITUTE_TTL_MS = 30_000;
const substituteSetups = new Map<string, { at: number; value: Promise<repo.SubstituteSetup> }>();

/** Who may name a substitute and who may be named, per procedure, at most SUBSTITUTE_TTL_MS old. */
function substituteSetupOf(q: Queryable, procedureId: string): Promise<repo.SubstituteSetup> {
  const nowMs = Date.now();
  const hit = substituteSetups.get(procedureId);
  if (hit && nowMs - hit.at <= SUBSTITUTE_TTL_MS) return hit.value;
  const value = repo.getSubstituteSetup(q, procedureId);
  if (substituteSetups.size > CACHE_MAX) substituteSetups.clear();
  substituteSetups.set(procedureId, { at: nowMs, value });
  value.catch(() => substituteSetups.delete(procedureId));
  return value;
}

const progressCache = new Map<string, { at: number; value: Promise<{ voted: number; voters: number }> }>();

/** Progress of an open procedure, at most PROGRESS_TTL_MS old, one count in flight per procedure; `open` false: fresh. */
function progressOf(q: Queryable, procedureId: string, open: boolean): Promise<{ voted: number; voters: number }> {
  const nowMs = Date.now();
  const hit = progressCache.get(procedureId);
  if (open && hit && nowMs - hit.at <= PROGRESS_TTL_MS) return hit.value;
  const value = repo.getProgress(q, procedureId);
  if (progressCache.size > CACHE_MAX) progressCache.clear();
  progressCache.set(procedureId, { at: nowMs, value });
  value.catch(() => progressCache.delete(procedureId));
  return value;
}

async function sharedState(q: Queryable, procedureId: string): Promise<CardState | null> {
  const p = await repo.getProcedure(q, procedureId);
  if (!p) return null;
  const st = await staticOf(q, procedureId);
  if (!st) return null;
  const progress = await progressOf(q, procedureId, p.status === 'open');
  const result = p.status === 'closed' ? ((p.result as ProcedureResult | null) ?? (await computeResult(q, p))) : null;
  return { p, items: st.items, progress, result };
}

/**
 * A personal view outside a vote (refresh, "skriftlige procedurer"): the procedure row (fresh: status and deadline may
 * change) and the voter's ballot in one round trip; items and progress from the caches.
 */
async function personalState(q: Queryable, procedureId: string, voter: string) {
  const r = (
    await q.query<repo.ProcedureRow & { ballot: repo.BallotRow[] | null; voter_name: string | null; sub_id: string | null; sub_name: string | null }>(
      `select p.id, p.forum_id, f.name forum_name, p.meeting_id, p.title, p.deadline, p.rule, p.quorum, p.status, p.created_by,
              p.created_at, p.closed_at, p.closed_by, p.close_reason, p.result,
              (select json_agg(json_build_object('item_number', b.item_number, 'voter', b.voter, 'choice', b.choice, 'comment', b.comment) order by b.item_number)
                 from procedure_votes b where b.procedure_id = p.id and b.voter = $2) ballot,
              (select v.name from procedure_voters v where v.procedure_id = p.id and v.aad_object_id = $2) voter_name,
              s.substitute_aad_object_id sub_id, s.substitute_name sub_name
         from procedures p join forums f on f.id = p.forum_id
         left join procedure_substitutes s on s.procedure_id = p.id and s.member_aad_object_id = $2
        where p.id = $1`,
      [procedureId, voter],
    )
  ).rows[0];
  if (!r) return null;
  const p: repo.ProcedureRow = { ...r, deadline: new Date(r.deadline), created_at: new Date(r.created_at), closed_at: r.closed_at ? new Date(r.closed_at) : null };
  const st = await staticOf(q, procedureId);
  if (!st) return null;
  const progress = await progressOf(q, procedureId, p.status === 'open');
  const result = p.status === 'closed' ? ((p.result as ProcedureResult | null) ?? (await computeResult(q, p))) : null;
  return {
    state: { p, items: st.items, progress, result } as CardState,
    ballot: r.ballot ?? [],
    voterName: r.voter_name,
    substitute: r.sub_id ? { aadObjectId: r.sub_id, name: r.sub_name ?? r.sub_id } : null,
  };
}

/** The banner a vote result shows on the card. */
export function voteBanner(r: VoteResult): Banner {
  if (r.status === 'refused') return { text: r.message, style: 'attention' };
  if (r.status === 'duplicate' || r.status === 'unchanged') return { text: r.message, style: 'accent' };
  return { text: r.message, style: 'good' };
}
