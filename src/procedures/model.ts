import { z } from 'zod';
import { CHOICES, RULES } from './tally';

/** Inputs of the procedures capability, validated before any transaction opens. */

const isoWithOffset = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s) && !Number.isNaN(Date.parse(s)), {
    message: 'must be an ISO date-time such as 2026-12-01T12:00:00+01:00',
  });

export const SpecItem = z.object({
  title: z.string().trim().min(1),
  recommendation: z.string().trim().nullish().transform((v) => v || null),
  attachments: z.array(z.string()).default([]),
});

export const ExplicitVoter = z.object({
  aadObjectId: z.string().trim().min(1),
  name: z.string().trim().min(1),
  organisation: z.string().trim().nullish().transform((v) => v || null),
});
export type ExplicitVoter = z.infer<typeof ExplicitVoter>;

export const ProcedureSpec = z.object({
  forum: z.string().trim().min(1),
  title: z.string().trim().min(1),
  /** ISO time; without an offset it is read as Europe/Copenhagen local time. */
  deadline: isoWithOffset,
  rule: z.enum(RULES).default('majority'),
  quorum: z.number().min(0).max(1).default(0),
  items: z.array(SpecItem).min(1).max(50),
  voters: z.union([z.literal('roster'), z.array(ExplicitVoter).min(1)]).default('roster'),
  /** Attach to an existing meeting (its items are matched by position); otherwise a written_procedure meeting is created. */
  meetingId: z.string().nullish(),
});
export type ProcedureSpec = z.input<typeof ProcedureSpec>;
export type ParsedSpec = z.output<typeof ProcedureSpec>;

export const VoteInput = z.object({
  procedureId: z.string().min(1),
  item: z.coerce.number().int().min(1),
  choice: z.enum(CHOICES),
  comment: z.string().max(2000).nullish(),
  /** When the sender may vote for several voters (own vote and as a substitute): which ballot. Checked by the server. */
  onBehalfOf: z.string().nullish(),
});
export type VoteInput = z.input<typeof VoteInput>;

export const RosterRole = z.enum(['member', 'substitute', 'secretariat']);
export type RosterRole = z.infer<typeof RosterRole>;

export const RosterRow = z.object({
  name: z.string().trim().min(1),
  organisation: z.string().trim().nullish().transform((v) => v || null),
  aadObjectId: z.string().trim().min(1),
  role: RosterRole.default('member'),
  votes: z.boolean().optional(),
});
export type RosterRow = z.input<typeof RosterRow>;
