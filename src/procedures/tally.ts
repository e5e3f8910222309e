/**
 * The counting rules of a written procedure. Pure functions: no I/O, no clock.
 *
 * - majority:  more for than against among the votes cast; abstentions (and meeting requests) don't count against.
 * - unanimity: no vote against and no abstention (and at least one vote for).
 * - tacit:     silence counts as consent; any vote against or any request for a meeting stops the item.
 * - quorum:    the share of voters who must respond (any choice) for an item to be decided at all.
 * Meeting requests ("ønsker punktet behandlet på et møde") are counted and shown under every rule.
 */
export const RULES = ['majority', 'unanimity', 'tacit'] as const;
export type Rule = (typeof RULES)[number];
export const CHOICES = ['for', 'against', 'abstain', 'meeting'] as const;
export type Choice = (typeof CHOICES)[number];

/** approved · not_approved · stopped (tacit broken by an objection or a meeting request) · no_quorum. */
export type ItemOutcome = 'approved' | 'not_approved' | 'stopped' | 'no_quorum';

export interface ItemCounts {
  for: number;
  against: number;
  abstain: number;
  meeting: number;
}

export interface ItemTally extends ItemCounts {
  voters: number;
  responded: number;
  silent: number;
  quorumNeeded: number;
  quorumMet: boolean;
  outcome: ItemOutcome;
}

export function emptyCounts(): ItemCounts {
  return { for: 0, against: 0, abstain: 0, meeting: 0 };
}

export function countChoices(choices: Array<Choice | null | undefined>): ItemCounts {
  const c = emptyCounts();
  for (const ch of choices) if (ch) c[ch] += 1;
  return c;
}

/** Smallest number of respondents that satisfies the quorum share (0 when quorum is 0). */
export function quorumNeeded(voters: number, quorum: number): number {
  if (quorum <= 0) return 0;
  return Math.min(voters, Math.ceil(quorum * voters - 1e-9));
}

export function tallyItem(rule: Rule, quorum: number, voters: number, c: ItemCounts): ItemTally {
  const responded = c.for + c.against + c.abstain + c.meeting;
  const needed = quorumNeeded(voters, quorum);
  const quorumMet = responded >= needed;
  let outcome: ItemOutcome;
  if (!quorumMet) outcome = 'no_quorum';
  else if (rule === 'majority') outcome = c.for > c.against ? 'approved' : 'not_approved';
  else if (rule === 'unanimity') outcome = c.against === 0 && c.abstain === 0 && c.for > 0 ? 'approved' : 'not_approved';
  else outcome = c.against === 0 && c.meeting === 0 ? 'approved' : 'stopped';
  return { ...c, voters, responded, silent: voters - responded, quorumNeeded: needed, quorumMet, outcome };
}

/** Outcome on the meeting's item (the Meeting model's outcome enum). */
export function meetingOutcome(o: ItemOutcome): 'approved' | 'not_approved' | 'postponed' | 'other' {
  return o === 'approved' ? 'approved' : o === 'not_approved' ? 'not_approved' : o === 'stopped' ? 'postponed' : 'other';
}

const pct = (q: number) => `${Math.round(q * 100)} %`;

function countsText(t: ItemTally, rule: Rule): string {
  const parts = [`${t.for} for`, `${t.against} imod`, `${t.abstain} undlod`];
  if (t.meeting > 0) parts.push(`${t.meeting} ønskede møde`);
  if (rule === 'tacit' && t.silent > 0) parts.push(`${t.silent} svarede ikke`);
  return parts.join(', ');
}

/** The decision text written onto the meeting's item, e.g. "Godkendt ved skriftlig procedure (14 for, 1 imod, 2 undlod)". */
export function decisionText(rule: Rule, quorum: number, t: ItemTally): string {
  const counts = countsText(t, rule);
  switch (t.outcome) {
    case 'approved':
      return rule === 'tacit'
        ? `Godkendt ved skriftlig procedure med stiltiende godkendelse (${counts})`
        : `Godkendt ved skriftlig procedure (${counts})`;
    case 'not_approved':
      return `Ikke godkendt ved skriftlig procedure (${counts})`;
    case 'stopped':
      return `Ikke afgjort ved skriftlig procedure: ${t.against > 0 ? 'indsigelse' : 'ønske om møde'} standsede den stiltiende godkendelse, og punktet behandles på et møde (${counts})`;
    case 'no_quorum':
      return `Ikke afgjort ved skriftlig procedure: for få svar (${t.responded} af ${t.voters} svarede, krav ${pct(quorum)})`;
  }
}

export const OUTCOME_LABEL_DA: Record<ItemOutcome, string> = {
  approved: 'Godkendt',
  not_approved: 'Ikke godkendt',
  stopped: 'Standset – behandles på møde',
  no_quorum: 'Ikke afgjort (for få svar)',
};

export const CHOICE_LABEL_DA: Record<Choice, string> = {
  for: 'For',
  against: 'Imod',
  abstain: 'Undlader',
  meeting: 'Ønsker møde',
};

export const RULE_LABEL_DA: Record<Rule, string> = {
  majority: 'Flertal',
  unanimity: 'Enstemmighed',
  tacit: 'Stiltiende godkendelse',
};
