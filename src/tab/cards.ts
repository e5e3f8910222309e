import { z } from 'zod';
import { renderCard, type AdaptiveCardJson } from '../cards/render';
import type { DecisionHit, Lang } from './service';

/**
 * The decision card (cards/decision.json) the message extension puts into a conversation:
 * the item, its outcome, the recorded decision and the source (forum, meeting date, item).
 */

export const DecisionCardData = z.object({
  fallbackText: z.string().min(1),
  heading: z.string().min(1),
  hasOutcome: z.boolean(),
  outcome: z.string(),
  outcomeColor: z.enum(['Default', 'Good', 'Attention', 'Warning', 'Accent']),
  decision: z.string().min(1),
  source: z.string().min(1),
  labels: z.object({ decision: z.string().min(1) }),
});

const cap = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);

const COLORS: Record<string, z.infer<typeof DecisionCardData>['outcomeColor']> = {
  approved: 'Good',
  not_approved: 'Attention',
  postponed: 'Warning',
  noted: 'Accent',
  discussed: 'Default',
  other: 'Default',
};

export interface RenderedDecision {
  card: AdaptiveCardJson;
  /** Plain text with the same content. */
  text: string;
  /** The list entry Teams shows in the message extension's results (a thumbnail card). */
  preview: { title: string; subtitle?: string; text: string };
}

export function decisionHeading(h: DecisionHit, lang: Lang): string {
  const title = h.itemTitle ?? h.meetingTitle ?? (lang === 'en' ? 'Decision' : 'Beslutning');
  return h.itemNumber != null ? `${h.itemNumber}. ${title}` : title;
}

export function renderDecisionCard(h: DecisionHit, lang: Lang): RenderedDecision {
  const heading = cap(decisionHeading(h, lang), 200);
  const decision = cap((h.decision ?? h.excerpt ?? (lang === 'en' ? 'No decision was recorded.' : 'Der er ikke ført en beslutning til referat.')).trim(), 2000);
  const source = `${lang === 'en' ? 'Source' : 'Kilde'}: ${h.sourceLine}`;
  const text = [heading, h.outcomeLabel ?? '', decision, source].filter(Boolean).join('\n');
  const card = renderCard('decision', DecisionCardData, {
    fallbackText: cap(text, 1000),
    heading,
    hasOutcome: !!h.outcomeLabel,
    outcome: h.outcomeLabel ?? '',
    outcomeColor: COLORS[h.outcome ?? 'other'] ?? 'Default',
    decision,
    source,
    labels: { decision: lang === 'en' ? 'Decision' : 'Beslutning' },
  });
  return {
    card,
    text,
    preview: {
      title: cap(heading, 120),
      subtitle: cap([h.forum, h.date].filter(Boolean).join(' · '), 120),
      text: cap([h.outcomeLabel, decision].filter(Boolean).join(' – '), 200),
    },
  };
}
