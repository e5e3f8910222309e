import { z } from 'zod';

/**
 * The answer of `forumbot ask --json` and of the chat (DESIGN section 5). The first four fields and the
 * source fields are the fixed contract; the rest is what the answer card needs.
 */
export const Source = z.object({
  meetingId: z.string(),
  forum: z.string(),
  meetingTitle: z.string().nullable(),
  /** Local meeting date YYYY-MM-DD. */
  date: z.string().nullable(),
  /** null when the answer comes from the meeting header (time, place, attendees). */
  itemNumber: z.number().int().nullable(),
  itemTitle: z.string().nullable(),
  excerpt: z.string(),
  /** 0-1: how well the source answers the question. */
  score: z.number(),
});
export type Source = z.infer<typeof Source>;

export const AnswerIntent = z.enum(['help', 'next_meeting', 'meeting', 'meeting_time', 'meeting_place', 'attendees', 'absentees', 'agenda', 'decision', 'fact', 'unknown']);
export type AnswerIntent = z.infer<typeof AnswerIntent>;

export const Answer = z.object({
  answered: z.boolean(),
  intent: AnswerIntent,
  /** The answer as the chat shows it, plain text. */
  text: z.string(),
  sources: z.array(Source),
  // --- for the answer card ---
  lang: z.enum(['da', 'en']),
  /** "Socialdirektørforum · 3. oktober 2014 · punkt 6: …" for the top source; null without one. */
  sourceLine: z.string().nullable(),
  /** Up to three other matches (or, when not answered, the nearest items). */
  more: z.array(Source).max(3),
  /** The full text of the top item, for "Vis hele punktet"; null when the answer is not an item. */
  item: z
    .object({
      meetingId: z.string(),
      number: z.number().int(),
      title: z.string(),
      background: z.string().nullable(),
      recommendation: z.string().nullable(),
      decision: z.string().nullable(),
      outcome: z.string().nullable(),
    })
    .nullable(),
});
export type Answer = z.infer<typeof Answer>;

export const AskInput = z.object({
  question: z.string(),
  now: z.union([z.string(), z.date()]).nullish(),
  lang: z.enum(['da', 'en']).nullish(),
  locale: z.string().nullish(),
});
export type AskInput = z.infer<typeof AskInput>;
