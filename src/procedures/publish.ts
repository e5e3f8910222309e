import { linkedChannels, personalChatsFor } from '../broadcasts/conversations';
import { enqueueBroadcast } from '../broadcasts/outbox';
import type { Queryable } from '../store/db';
import { MAX_REFRESH_USERS, loadCardState, renderPersonal, renderResult, renderShared, type Banner, type CardState, type SubstituteView } from './cards';
import * as repo from './repo';
import { formatDeadline, type PublishEvent } from './service';

/**
 * Publishing through the broadcasts outbox (docs/broadcasts-api.md), inside the transaction of the state change:
 * - `procedure:<id>:card`      the shared card in the forum's linked channel(s); enqueued again with the same key to
 *                              update it for everyone (updateActivity), coalesced by the outbox;
 * - `procedure:<id>:personal`  a personal card per voter (and substitute) with a personal chat: their own view;
 * - `procedure:<id>:result`    the result card in the channel at close;
 * - `procedure:<id>:notice:…`  extension / cancellation notices; `procedure:<id>:remind:<at>` reminders.
 */

export const keys = {
  card: (id: string) => `procedure:${id}:card`,
  personal: (id: string) => `procedure:${id}:personal`,
  result: (id: string) => `procedure:${id}:result`,
  notice: (id: string, what: string) => `procedure:${id}:notice:${what}`,
  remind: (id: string, at: Date) => `procedure:${id}:remind:${at.toISOString()}`,
};

export function publisher(now: () => Date) {
  return async function publish(tx: Queryable, e: PublishEvent): Promise<void> {
    const s = await loadCardState(tx, e.procedureId);
    if (!s) return;
    const channels = (await linkedChannels(tx, s.p.forum_id)).map((c) => c.id);
    const shared = async (banner?: Banner | null) => {
      if (!channels.length) return;
      const card = renderShared(s, { now: now(), banner, refreshUserIds: await refreshUserIds(tx, s) });
      await enqueueBroadcast(tx, {
        kind: 'procedure',
        key: keys.card(s.p.id),
        targets: channels,
        message: { card, summary: `Skriftlig procedure: ${s.p.title}` },
        meetingId: s.p.meeting_id,
      });
    };
    switch (e.type) {
      case 'opened':
        await shared();
        await personal(tx, s, now(), null);
        return;
      case 'progress':
        await shared();
        return;
      case 'extended': {
        const text = `Fristen for den skriftlige procedure "${s.p.title}" er forlænget til ${formatDeadline(s.p.deadline)}.`;
        await shared();
        await personal(tx, s, now(), { text, style: 'accent' });
        await notice(tx, s, channels, `extended:${new Date(s.p.deadline).toISOString()}`, text, true);
        return;
      }
      case 'cancelled': {
        const text = `Den skriftlige procedure "${s.p.title}" er annulleret. Afgivne stemmer tæller ikke.`;
        await shared({ text, style: 'attention' });
        await personal(tx, s, now(), { text, style: 'attention' });
        await notice(tx, s, channels, 'cancelled', text, false);
        return;
      }
      case 'closed': {
        const banner: Banner = { text: 'Proceduren er afsluttet. Resultatet står ved hvert punkt.', style: 'good' };
        await shared(banner);
        await personal(tx, s, now(), banner);
        if (channels.length && s.result) {
          await enqueueBroadcast(tx, {
            kind: 'procedure-result',
            key: keys.result(s.p.id),
            targets: channels,
            message: { card: renderResult(s), summary: `Resultat: ${s.p.title}` },
            meetingId: s.p.meeting_id,
          });
        }
        return;
      }
      case 'substitute':
        await personal(tx, s, now(), null, [e.substitute]);
        await shared();
        return;
      case 'remind':
        await remind(tx, s, now(), e.runAt);
        return;
    }
  };
}

/** Teams user ids (MRI) of the voters and substitutes, when there are at most 60; otherwise none (personal cards instead). */
async function refreshUserIds(tx: Queryable, s: CardState): Promise<string[]> {
  if (s.p.status !== 'open') return [];
  const r = await tx.query<{ teams_user_id: string | null; n: number }>(
    `with people as (
       select aad_object_id id from procedure_voters where procedure_id = $1
       union select substitute_aad_object_id from procedure_substitutes where procedure_id = $1)
     select (select teams_user_id from roster_members m where m.forum_id = $2 and lower(m.aad_object_id) = lower(p.id) and m.teams_user_id is not null limit 1) teams_user_id,
            (select count(*)::int from people) n
       from people p`,
    [s.p.id, s.p.forum_id],
  );
  if (!r.rows.length || r.rows[0].n > MAX_REFRESH_USERS) return [];
  return r.rows.map((x) => x.teams_user_id).filter((x): x is string => !!x);
}

interface Holder {
  person: string;
  ballot: string;
  onBehalf: { aadObjectId: string; name: string } | null;
  /** The member's own card: the substitute named for them, if any. */
  substitute?: { aadObjectId: string; name: string } | null;
}

/** Who holds each ballot: the member, or the substitute named for them. */
async function holders(tx: Queryable, procedureId: string): Promise<Holder[]> {
  const voters = await repo.getVoters(tx, procedureId);
  const subs = await repo.getSubstitutes(tx, procedureId);
  const out: Holder[] = voters.map((v) => {
    const s = subs.find((x) => x.member_aad_object_id === v.aad_object_id);
    return { person: v.aad_object_id, ballot: v.aad_object_id, onBehalf: null, substitute: s ? { aadObjectId: s.substitute_aad_object_id, name: s.substitute_name } : null };
  });
  for (const s of subs) {
    const v = voters.find((x) => x.aad_object_id === s.member_aad_object_id);
    out.push({ person: s.substitute_aad_object_id, ballot: s.member_aad_object_id, onBehalf: { aadObjectId: s.member_aad_object_id, name: v?.name ?? s.member_aad_object_id } });
  }
  return out;
}

/** Personal cards (own view) to voters and substitutes who have a personal chat with the bot; `only` limits to some people. */
async function personal(tx: Queryable, s: CardState, now: Date, banner: Banner | null, only?: string[]): Promise<void> {
  let people = await holders(tx, s.p.id);
  if (only) people = people.filter((p) => only.some((o) => o.toLowerCase() === p.person.toLowerCase()));
  const chats = await personalChatsFor(tx, people.map((p) => p.person));
  if (!chats.size) return;
  const ballots = await repo.getBallots(tx, s.p.id);
  const byVoter = new Map<string, repo.BallotRow[]>();
  for (const b of ballots) byVoter.set(b.voter, [...(byVoter.get(b.voter) ?? []), b]);
  const substitute = await substituteViews(tx, s, now);
  const targets = people
    .filter((p) => chats.has(p.person.toLowerCase()))
    .map((p) => ({
      conversationId: chats.get(p.person.toLowerCase())!.id,
      message: {
        card: renderPersonal(s, byVoter.get(p.ballot) ?? [], { now, onBehalf: p.onBehalf, banner, substitute: substitute(p) }),
        summary: `Skriftlig procedure: ${s.p.title}`,
      },
    }));
  await enqueueBroadcast(tx, {
    kind: 'procedure',
    key: keys.personal(s.p.id),
    targets,
    message: { text: `Skriftlig procedure: ${s.p.title}` },
    meetingId: s.p.meeting_id,
  });
}

async function notice(tx: Queryable, s: CardState, channels: string[], what: string, text: string, personalToo: boolean): Promise<void> {
  const targets = [...channels];
  if (personalToo) {
    const people = await holders(tx, s.p.id);
    const chats = await personalChatsFor(tx, people.map((p) => p.person));
    for (const c of chats.values()) targets.push(c.id);
  }
  if (!targets.length) return;
  await enqueueBroadcast(tx, { kind: 'procedure-notice', key: keys.notice(s.p.id, what), targets, message: { text }, meetingId: s.p.meeting_id });
}

/** Reminders only to those who have not voted on every item (or their substitutes). */
async function remind(tx: Queryable, s: CardState, now: Date, runAt: Date): Promise<void> {
  const ballots = await repo.getBallots(tx, s.p.id);
  const missing = new Map<string, number>();
  for (const b of ballots) if (!b.choice) missing.set(b.voter, (missing.get(b.voter) ?? 0) + 1);
  const people = (await holders(tx, s.p.id)).filter((p) => missing.has(p.ballot));
  const chats = await personalChatsFor(tx, people.map((p) => p.person));
  const substitute = await substituteViews(tx, s, now);
  const byVoter = new Map<string, repo.BallotRow[]>();
  for (const b of ballots) byVoter.set(b.voter, [...(byVoter.get(b.voter) ?? []), b]);
  const targets = people
    .filter((p) => chats.has(p.person.toLowerCase()))
    .map((p) => {
      const n = missing.get(p.ballot)!;
      const banner: Banner = {
        text: `Påmindelse: du mangler at stemme på ${n === 1 ? 'ét punkt' : `${n} punkter`}. Fristen er ${formatDeadline(s.p.deadline)}.`,
        style: 'warning',
      };
      return {
        conversationId: chats.get(p.person.toLowerCase())!.id,
        message: { card: renderPersonal(s, byVoter.get(p.ballot) ?? [], { now, onBehalf: p.onBehalf, banner, substitute: substitute(p) }), summary: `Påmindelse: ${s.p.title}` },
      };
    });
  if (!targets.length) return;
  await enqueueBroadcast(tx, {
    kind: 'procedure-reminder',
    key: keys.remind(s.p.id, runAt),
    targets,
    message: { text: `Påmindelse: ${s.p.title}` },
    meetingId: s.p.meeting_id,
  });
}

/** The substitute section for each member's own card (none for substitutes' cards, or once the procedure is not open). */
async function substituteViews(tx: Queryable, s: CardState, now: Date): Promise<(h: Holder) => SubstituteView | null> {
  if (s.p.status !== 'open' || now >= new Date(s.p.deadline)) return () => null;
  const setup = await repo.getSubstituteSetup(tx, s.p.id);
  return (h) => (!h.onBehalf && setup.mayName.has(h.ballot.toLowerCase()) ? { choices: setup.choices, current: h.substitute ?? null } : null);
}
