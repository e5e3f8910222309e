import type { AdaptiveCardJson } from '../cards/render';
import type { Queryable } from '../store/db';
import { loadCardState, renderPersonal, renderShared, type Banner } from './cards';
import * as repo from './repo';
import { ballotFor, tenantAllowed, type ProcedureConfig, type VoteResult } from './service';

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
  const [s, ballot] = await Promise.all([
    loadCardState(q, procedureId),
    allowed ? (knownBallot ?? ballotFor(q, procedureId, person.aadObjectId!, person.onBehalfOf)) : null,
  ]);
  if (!s) return null;
  if (!ballot) return renderShared(s, { now, banner });
  const own = ballot.toLowerCase() === person.aadObjectId!.toLowerCase();
  let onBehalf: { aadObjectId: string; name: string } | null = null;
  if (!own) {
    const v = (await repo.getVoters(q, procedureId)).find((x) => x.aad_object_id === ballot);
    onBehalf = { aadObjectId: ballot, name: v?.name ?? ballot };
  }
  return renderPersonal(s, await repo.getBallotsOf(q, procedureId, ballot), { now, onBehalf, banner });
}

/** The banner a vote result shows on the card. */
export function voteBanner(r: VoteResult): Banner {
  if (r.status === 'refused') return { text: r.message, style: 'attention' };
  if (r.status === 'duplicate' || r.status === 'unchanged') return { text: r.message, style: 'accent' };
  return { text: r.message, style: 'good' };
}
