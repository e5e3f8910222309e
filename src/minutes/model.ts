import { z } from 'zod';

/** The Meeting model: what the parser produces and `forumbot parse --json` prints (DESIGN section 5). */

export const OUTCOMES = ['approved', 'not_approved', 'noted', 'discussed', 'postponed', 'other'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const MeetingKind = z.enum(['meeting', 'written_procedure']);
export type MeetingKind = z.infer<typeof MeetingKind>;

export const MeetingStatus = z.enum(['planned', 'agenda', 'minutes']);
export type MeetingStatus = z.infer<typeof MeetingStatus>;

export const Person = z.object({
  name: z.string().min(1),
  organisation: z.string().nullable(),
  /** chair ("formand") or minutes taker ("/ref."); null for an ordinary participant or absentee. */
  role: z.enum(['chair', 'minutes_taker']).nullable().optional(),
});
export type Person = z.infer<typeof Person>;

export const Item = z.object({
  number: z.number().int(),
  /** the number as written when it has a letter ("3a"); absent otherwise */
  label: z.string().optional(),
  title: z.string().min(1),
  /** Case presentation: resumé, baggrund, sagsfremstilling, joined in document order. */
  background: z.string().nullable(),
  recommendation: z.string().nullable(),
  decision: z.string().nullable(),
  outcome: Outcome.nullable(),
  attachments: z.array(z.string()),
});
export type Item = z.infer<typeof Item>;

export const Meeting = z.object({
  id: z.string().nullable(),
  forum: z.string().nullable(),
  title: z.string().nullable(),
  kind: MeetingKind,
  status: MeetingStatus,
  /** Europe/Copenhagen local time with offset, e.g. 2014-10-03T09:00:00+02:00; a date alone when no time is known. */
  start: z.string().nullable(),
  end: z.string().nullable(),
  location: z.string().nullable(),
  participants: z.array(Person),
  absent: z.array(Person),
  items: z.array(Item),
  /** YYYY-MM-DD, from a "Næste møde" statement. */
  nextMeeting: z.string().nullable(),
  source: z.object({ file: z.string().nullable(), sha256: z.string().nullable(), format: z.string().nullable().optional() }),
});
export type Meeting = z.infer<typeof Meeting>;

/** Input formats the parser reads. */
export type DocumentFormat = 'text' | 'html' | 'docx' | 'pdf';
