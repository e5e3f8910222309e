import { z } from 'zod';
import { loadTemplate, type AdaptiveCardJson } from '../cards/render';
import type { Queryable } from '../store/db';
import * as repo from './repo';
import { computeResult, formatDeadline, type ProcedureResult } from './service';
import { CHOICE_LABEL_DA, OUTCOME_LABEL_DA, RULE_LABEL_DA, type Choice, type ItemOutcome } from './tally';

/**
 * Card data for the procedure cards (cards/procedure*.json). Pure rendering from loaded state; the loaders
 * below read what a card needs. Before close the shared card shows no one's individual votes.
 */

/**
 * Like renderCard (src/cards/render.ts): fills cards/<name>.json from zod-checked data. adaptivecards-templating
 * takes 20-150 ms for a nine-item procedure card (it parses and evaluates every expression with
 * adaptive-expressions), too slow for an invoke response under load. The procedure templates use only the simple
 * subset — `${path}`, `${$root.path}`, `$data` over arrays and boolean `$when` — which `expandSimple` evaluates
 * directly (and `compileSimple`, once per template, faster still); test/procedures/cards.test.ts checks both give
 * exactly what adaptivecards-templating gives.
 */
export function renderCard<S extends z.ZodType>(name: string, schema: S, data: z.input<S>): AdaptiveCardJson {
  const checked = schema.parse(data);
  return compiled(name)(checked, checked) as AdaptiveCardJson;
}

const compiledTemplates = new Map<string, Compiled>();
/** The template cards/<name>.json compiled once per process (see `compileSimple`). */
function compiled(name: string): Compiled {
  let f = compiledTemplates.get(name);
  if (!f) compiledTemplates.set(name, (f = compileSimple(loadTemplate(name))));
  return f;
}

const WHOLE = /^\$\{([^{}]*)\}$/;
const ANY = /\$\{([^{}]*)\}/g;

function lookup(expr: string, root: unknown, data: unknown): unknown {
  const path = expr.trim();
  if (!/^[\w$]+(\.[\w$]+)*$/.test(path)) throw new Error(`expandSimple: unsupported expression \${${expr}}`);
  const parts = path.split('.');
  let cur: unknown = parts[0] === '$root' ? root : parts[0] === '$data' ? data : (data as Record<string, unknown> | null)?.[parts[0]];
  for (const p of parts.slice(1)) cur = (cur as Record<string, unknown> | null | undefined)?.[p];
  return cur;
}

export function expandSimple(node: unknown, root: unknown, data: unknown = root): unknown {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole) {
      const v = lookup(whole[1], root, data);
      return v === undefined ? node : v;
    }
    return node.includes('${') ? node.replace(ANY, (m, e: string) => {
      const v = lookup(e, root, data);
      return v === undefined || v === null ? m : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }) : node;
  }
  if (Array.isArray(node)) {
    const out: unknown[] = [];
    for (const item of node) {
      const x = expandSimple(item, root, data);
      if (x === DROP) continue;
      if (item && typeof item === 'object' && !Array.isArray(item) && '$data' in item && Array.isArray(x)) out.push(...x);
      else out.push(x);
    }
    return out;
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const one = (ctx: unknown): unknown => {
      if ('$when' in o && expandSimple(o.$when, root, ctx) !== true) return DROP;
      const res: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) {
        if (k === '$when' || k === '$data') continue;
        const x = expandSimple(v, root, ctx);
        res[k] = x === DROP ? null : x; // as adaptivecards-templating: a property whose $when is false becomes null
      }
      return res;
    };
    if ('$data' in o) {
      const ctx = expandSimple(o.$data, root, data);
      if (Array.isArray(ctx)) return ctx.map(one).filter((x) => x !== DROP);
      return one(ctx);
    }
    return one(data);
  }
  return node;
}
const DROP = Symbol('drop');

type Compiled = (root: unknown, data: unknown) => unknown;

function compilePath(expr: string): Compiled {
  const path = expr.trim();
  if (!/^[\w$]+(\.[\w$]+)*$/.test(path)) throw new Error(`expandSimple: unsupported expression \${${expr}}`);
  const [head, ...rest] = path.split('.');
  const first: Compiled = head === '$root' ? (root) => root : head === '$data' ? (_r, data) => data : (_r, data) => (data as Record<string, unknown> | null)?.[head];
  if (!rest.length) return first;
  return (root, data) => {
    let cur = first(root, data);
    for (const p of rest) cur = (cur as Record<string, unknown> | null | undefined)?.[p];
    return cur;
  };
}

/**
 * `expandSimple` compiled: the template is walked once and turned into closures, so filling a card does no regular
 * expressions and no path parsing. Every call builds a new card (nothing is shared between cards). Same output as
 * expandSimple and adaptivecards-templating (test/procedures/cards.test.ts).
 */
export function compileSimple(node: unknown): Compiled {
  if (typeof node === 'string') {
    const whole = WHOLE.exec(node);
    if (whole) {
      const get = compilePath(whole[1]);
      return (root, data) => {
        const v = get(root, data);
        return v === undefined ? node : v;
      };
    }
    if (!node.includes('${')) return () => node;
    const parts: Array<string | { raw: string; get: Compiled }> = [];
    let last = 0;
    for (const m of node.matchAll(ANY)) {
      if (m.index! > last) parts.push(node.slice(last, m.index));
      parts.push({ raw: m[0], get: compilePath(m[1]) });
      last = m.index! + m[0].length;
    }
    if (last < node.length) parts.push(node.slice(last));
    return (root, data) => {
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') out += p;
        else {
          const v = p.get(root, data);
          out += v === undefined || v === null ? p.raw : typeof v === 'object' ? JSON.stringify(v) : String(v);
        }
      }
      return out;
    };
  }
  if (Array.isArray(node)) {
    const elems = node.map((item) => ({ f: compileSimple(item), spread: !!item && typeof item === 'object' && !Array.isArray(item) && '$data' in item }));
    return (root, data) => {
      const out: unknown[] = [];
      for (const e of elems) {
        const x = e.f(root, data);
        if (x === DROP) continue;
        if (e.spread && Array.isArray(x)) out.push(...x);
        else out.push(x);
      }
      return out;
    };
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const when = '$when' in o ? compileSimple(o.$when) : null;
    const props = Object.entries(o)
      .filter(([k]) => k !== '$when' && k !== '$data')
      .map(([k, v]) => ({ k, f: compileSimple(v) }));
    const one = (root: unknown, ctx: unknown): unknown => {
      if (when && when(root, ctx) !== true) return DROP;
      const res: Record<string, unknown> = {};
      for (const { k, f } of props) {
        const x = f(root, ctx);
        res[k] = x === DROP ? null : x;
      }
      return res;
    };
    if ('$data' in o) {
      const dataOf = compileSimple(o.$data);
      return (root, data) => {
        const ctx = dataOf(root, data);
        if (Array.isArray(ctx)) {
          const out: unknown[] = [];
          for (const c of ctx) {
            const x = one(root, c);
            if (x !== DROP) out.push(x);
          }
          return out;
        }
        return one(root, ctx);
      };
    }
    return (root, data) => one(root, data);
  }
  return () => node;
}

/** Teams: refresh.userIds takes at most 60 users; a larger roster falls back to personal cards. */
export const MAX_REFRESH_USERS = 60;
/** People offered as substitute on a card (the roster's substitutes first); the card stays well under Teams' size limit. */
export const MAX_SUBSTITUTE_CHOICES = 100;

const Item = z.object({
  number: z.number(),
  title: z.string(),
  recommendation: z.string(),
  hasRecommendation: z.boolean(),
  attachments: z.string(),
  hasAttachments: z.boolean(),
  mine: z.string(),
  hasMine: z.boolean(),
  comment: z.string(),
  resultText: z.string(),
  resultColor: z.enum(['Good', 'Attention', 'Warning', 'Default']),
  countsText: z.string(),
  hasResult: z.boolean(),
  notVotedText: z.string(),
  hasNotVoted: z.boolean(),
  forTitle: z.string(),
  againstTitle: z.string(),
  abstainTitle: z.string(),
  meetingTitle: z.string(),
});

export const ProcedureCardData = z.object({
  fallbackText: z.string(),
  procedureId: z.string(),
  forum: z.string(),
  title: z.string(),
  deadline: z.string(),
  ruleText: z.string(),
  statusText: z.string(),
  progress: z.string(),
  banner: z.string(),
  hasBanner: z.boolean(),
  bannerStyle: z.enum(['good', 'attention', 'warning', 'accent', 'emphasis']),
  onBehalf: z.string(),
  onBehalfOf: z.string(),
  hasOnBehalf: z.boolean(),
  intro: z.string(),
  hasIntro: z.boolean(),
  canVote: z.boolean(),
  showMyVote: z.boolean(),
  hasRefresh: z.boolean(),
  refreshUserIds: z.array(z.string()).max(MAX_REFRESH_USERS),
  items: z.array(Item).min(1),
  /** A member's own view of an open procedure: name a substitute (Action.Execute procedure.substitute). */
  canNameSubstitute: z.boolean(),
  substituteText: z.string(),
  currentSubstitute: z.string(),
  substituteChoices: z.array(z.object({ title: z.string().min(1), value: z.string().min(1) })).max(MAX_SUBSTITUTE_CHOICES),
});
export type ProcedureCardData = z.infer<typeof ProcedureCardData>;

export interface CardState {
  p: repo.ProcedureRow;
  items: repo.ItemRow[];
  progress: { voted: number; voters: number };
  result: ProcedureResult | null;
}

export async function loadCardState(q: Queryable, procedureId: string): Promise<CardState | null> {
  // one after another: q is often a transaction's client, which runs one query at a time anyway
  const p = await repo.getProcedure(q, procedureId);
  if (!p) return null;
  const items = await repo.getItems(q, procedureId);
  const progress = await repo.getProgress(q, procedureId);
  const result = p.status === 'closed' ? ((p.result as ProcedureResult | null) ?? (await computeResult(q, p))) : null;
  return { p, items, progress, result };
}

export interface Banner {
  text: string;
  style?: ProcedureCardData['bannerStyle'];
}

const statusText = (s: CardState, now: Date) =>
  s.p.status === 'cancelled' ? 'Annulleret' : s.p.status === 'closed' ? 'Afsluttet' : now >= new Date(s.p.deadline) ? 'Fristen er udløbet' : 'Åben for afstemning';

const quorumText = (q: number) => (q > 0 ? ` · krav om svar fra ${Math.round(q * 100)} %` : '');

const OUTCOME_COLOR: Record<ItemOutcome, 'Good' | 'Attention' | 'Warning'> = { approved: 'Good', not_approved: 'Attention', stopped: 'Warning', no_quorum: 'Warning' };

function countsLine(r: ProcedureResult['items'][number]): string {
  const parts = [`${r.for} for`, `${r.against} imod`, `${r.abstain} undlod`, `${r.meeting} ønskede møde`];
  return `${parts.join(' · ')} · ${r.silent} svarede ikke`;
}

interface ViewOpts {
  now: Date;
  /** The voter's own choices (personal view); absent for the shared view. */
  ballot?: Map<number, { choice: Choice | null; comment: string | null }>;
  /** Substitute voting for a member. */
  onBehalf?: { aadObjectId: string; name: string } | null;
  banner?: Banner | null;
  /** Shared view: the Teams user ids that refresh to their own view (≤ 60). */
  refreshUserIds?: string[];
  /** Personal view of a member's own ballot: who may be named substitute, and who is now. Absent: no substitute section. */
  substitute?: SubstituteView | null;
}

export interface SubstituteView {
  choices: Array<{ aadObjectId: string; name: string; organisation: string | null }>;
  current: { aadObjectId: string; name: string } | null;
}

function cardData(s: CardState, o: ViewOpts): ProcedureCardData {
  const open = s.p.status === 'open' && o.now < new Date(s.p.deadline);
  const personal = !!o.ballot;
  const closed = s.p.status === 'closed' && s.result;
  const items = s.items.map((it) => {
    const mine = o.ballot?.get(it.number);
    const r = closed ? s.result!.items.find((x) => x.number === it.number) : undefined;
    const mark = (c: Choice) => (mine?.choice === c ? `✓ ${CHOICE_LABEL_DA[c]}` : CHOICE_LABEL_DA[c]);
    return {
      number: it.number,
      title: it.title,
      recommendation: it.recommendation ?? '',
      hasRecommendation: !!it.recommendation,
      attachments: (it.attachments ?? []).join(', '),
      hasAttachments: (it.attachments ?? []).length > 0,
      mine: mine?.choice ? CHOICE_LABEL_DA[mine.choice] + (mine.comment ? ` – "${mine.comment}"` : '') : personal ? 'ikke afgivet' : '',
      hasMine: personal,
      comment: mine?.comment ?? '',
      resultText: r ? `${OUTCOME_LABEL_DA[r.outcome]}` : '',
      resultColor: r ? OUTCOME_COLOR[r.outcome] : ('Default' as const),
      countsText: r ? countsLine(r) : '',
      hasResult: !!r,
      notVotedText: r ? r.notVoted.join(', ') : '',
      hasNotVoted: !!r && r.notVoted.length > 0 && r.notVoted.length <= 60,
      forTitle: mark('for'),
      againstTitle: mark('against'),
      abstainTitle: mark('abstain'),
      meetingTitle: mark('meeting'),
    };
  });
  const refresh = open && !personal && (o.refreshUserIds?.length ?? 0) > 0 ? o.refreshUserIds!.slice(0, MAX_REFRESH_USERS) : [];
  const progress = `${s.progress.voted} af ${s.progress.voters} har stemt`;
  return {
    fallbackText: `Skriftlig procedure: ${s.p.title} (frist ${formatDeadline(s.p.deadline)})`,
    procedureId: s.p.id,
    forum: s.p.forum_name,
    title: s.p.title,
    deadline: formatDeadline(s.p.deadline),
    ruleText: RULE_LABEL_DA[s.p.rule] + quorumText(Number(s.p.quorum)),
    statusText: statusText(s, o.now),
    progress,
    banner: o.banner?.text ?? '',
    hasBanner: !!o.banner?.text,
    bannerStyle: o.banner?.style ?? 'accent',
    onBehalf: o.onBehalf ? `Du stemmer som stedfortræder for ${o.onBehalf.name}.` : '',
    onBehalfOf: o.onBehalf?.aadObjectId ?? '',
    hasOnBehalf: !!o.onBehalf,
    intro: open
      ? personal
        ? 'Stem på hvert punkt. Du kan ændre din stemme indtil fristen.'
        : 'Stemmeberettigede stemmer med knapperne. Ingen enkeltstemmer vises, før proceduren er afsluttet.'
      : '',
    hasIntro: open,
    canVote: open,
    showMyVote: open && !personal,
    hasRefresh: refresh.length > 0,
    refreshUserIds: refresh,
    items,
    ...substituteData(open && personal && !o.onBehalf ? o.substitute : null),
  };
}

function substituteData(sv: SubstituteView | null | undefined) {
  const choices = (sv?.choices ?? []).slice(0, MAX_SUBSTITUTE_CHOICES).map((c) => ({ title: c.organisation ? `${c.name} (${c.organisation})` : c.name, value: c.aadObjectId }));
  const current = sv?.current ?? null;
  if (current && !choices.some((c) => c.value === current.aadObjectId)) choices.unshift({ title: current.name, value: current.aadObjectId });
  return {
    canNameSubstitute: !!sv && choices.length > 0,
    substituteText: current
      ? `${current.name} kan stemme for dig i denne procedure. Du kan vælge en anden indtil fristen.`
      : 'Er du forhindret? Udpeg en stedfortræder, der stemmer for dig i denne procedure. Både dit og stedfortræderens navn står i revisionssporet.',
    currentSubstitute: current?.aadObjectId ?? '',
    substituteChoices: choices.slice(0, MAX_SUBSTITUTE_CHOICES),
  };
}

/** The shared channel card: progress only while open, the result after close. */
export function renderShared(s: CardState, o: Omit<ViewOpts, 'ballot' | 'onBehalf'>): AdaptiveCardJson {
  const card = renderCard('procedure', ProcedureCardData, cardData(s, { ...o, ballot: undefined }));
  const c = card as unknown as { refresh?: object };
  if (!c.refresh || !Object.keys(c.refresh).length) delete c.refresh;
  return card;
}

/** One voter's view: their own choices (or the member's, for a substitute). */
export function renderPersonal(
  s: CardState,
  ballot: repo.BallotRow[],
  o: { now: Date; onBehalf?: { aadObjectId: string; name: string } | null; banner?: Banner | null; substitute?: SubstituteView | null },
): AdaptiveCardJson {
  const map = new Map(ballot.map((b) => [b.item_number, { choice: b.choice, comment: b.comment }]));
  const card = renderCard('procedure', ProcedureCardData, cardData(s, { ...o, ballot: map }));
  delete (card as { refresh?: unknown }).refresh;
  return card;
}

// ---- result card ------------------------------------------------------------------------------

export const ResultCardData = z.object({
  fallbackText: z.string(),
  forum: z.string(),
  title: z.string(),
  closedText: z.string(),
  ruleText: z.string(),
  participation: z.string(),
  items: z.array(
    z.object({
      number: z.number(),
      title: z.string(),
      outcome: z.string(),
      color: z.enum(['Good', 'Attention', 'Warning']),
      counts: z.string(),
      meetingText: z.string(),
      hasMeeting: z.boolean(),
      notVoted: z.string(),
      decision: z.string(),
    }),
  ),
  meetingId: z.string(),
});

export function renderResult(s: CardState): AdaptiveCardJson {
  const r = s.result!;
  return renderCard('procedure-result', ResultCardData, {
    fallbackText: `Resultat af skriftlig procedure: ${s.p.title}`,
    forum: s.p.forum_name,
    title: s.p.title,
    closedText: `Afsluttet ${formatDeadline(s.p.closed_at ?? s.p.deadline)}${s.p.close_reason === 'early' ? ' (lukket før fristen, da alle havde stemt)' : ''}`,
    ruleText: RULE_LABEL_DA[r.rule] + quorumText(r.quorum),
    participation: `${s.progress.voted} af ${s.progress.voters} stemte på alle punkter`,
    items: r.items.map((i) => ({
      number: i.number,
      title: i.title,
      outcome: OUTCOME_LABEL_DA[i.outcome],
      color: OUTCOME_COLOR[i.outcome],
      counts: `For ${i.for} · Imod ${i.against} · Undlod ${i.abstain} · Ønsker møde ${i.meeting}`,
      meetingText: `${i.meeting} ønskede punktet behandlet på et møde`,
      hasMeeting: i.meeting > 0,
      notVoted: i.notVoted.length ? `Stemte ikke (${i.notVoted.length}): ${i.notVoted.slice(0, 60).join(', ')}${i.notVoted.length > 60 ? ' …' : ''}` : 'Alle stemte',
      decision: i.decision,
    })),
    meetingId: s.p.meeting_id ?? '',
  });
}

// ---- dialog form ------------------------------------------------------------------------------

export const FORM_ITEM_SLOTS = 9;

export const FormCardData = z.object({
  forums: z.array(z.object({ title: z.string(), value: z.string() })).min(1),
  forum: z.string(),
  error: z.string(),
  hasError: z.boolean(),
  defaultDeadlineDate: z.string(),
  defaultDeadlineTime: z.string(),
  slots: z.array(z.object({ n: z.number(), required: z.boolean() })).length(FORM_ITEM_SLOTS),
});

export function renderForm(forums: Array<{ id: string; name: string }>, o: { defaultForum?: string; error?: string; deadlineDate: string; deadlineTime?: string }): AdaptiveCardJson {
  return renderCard('procedure-form', FormCardData, {
    forums: forums.map((f) => ({ title: f.name, value: f.id })),
    forum: o.defaultForum ?? forums[0]?.id ?? '',
    error: o.error ?? '',
    hasError: !!o.error,
    defaultDeadlineDate: o.deadlineDate,
    defaultDeadlineTime: o.deadlineTime ?? '12:00',
    slots: Array.from({ length: FORM_ITEM_SLOTS }, (_, i) => ({ n: i + 1, required: i === 0 })),
  });
}
