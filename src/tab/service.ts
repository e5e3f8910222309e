import type { AppDeps, Answer } from '../app';
import type { Source as AnswerSource } from '../questions';
import { calendarToken, icsUrl as broadcastIcsUrl } from '../broadcasts/ics';
import type { Outcome } from '../minutes/model';
import { listForums } from '../store/forums';
import { getMeeting, upcomingMeetings, type StoredMeeting } from '../store/meetings';
import { decisionYears, openProceduresFor } from './repo';

/**
 * What the personal tab and the message extension show, as plain data (no HTTP, no botbuilder):
 * upcoming meetings, decision search (through the same question engine as the chat), and the
 * user's open written procedures.
 */

export type Lang = 'da' | 'en';

export const OUTCOME_LABELS: Record<Lang, Record<Outcome, string>> = {
  da: { approved: 'Godkendt', not_approved: 'Ikke godkendt', noted: 'Taget til efterretning', discussed: 'Drøftet', postponed: 'Udsat', other: 'Andet' },
  en: { approved: 'Approved', not_approved: 'Not approved', noted: 'Noted', discussed: 'Discussed', postponed: 'Postponed', other: 'Other' },
};

export interface TabMeeting {
  id: string;
  forum: string;
  forumId: string;
  title: string | null;
  status: string;
  start: string | null;
  end: string | null;
  location: string | null;
  items: Array<{ number: number; title: string; recommendation: string | null }>;
  /** Where the calendar file is (the broadcasts capability's .ics route, relative to the server). */
  icsUrl: string;
}

export interface DecisionHit {
  meetingId: string;
  forum: string;
  meetingTitle: string | null;
  date: string | null;
  itemNumber: number | null;
  itemTitle: string | null;
  decision: string | null;
  outcome: Outcome | null;
  outcomeLabel: string | null;
  excerpt: string | null;
  /** "Socialdirektørforum, møde 3. oktober 2014, punkt 5" */
  sourceLine: string;
  score: number | null;
}

export interface SearchResult {
  query: string;
  answered: boolean;
  /** The engine's answer text (as the chat would show it). */
  text: string;
  hits: DecisionHit[];
}

export interface MyProcedure {
  id: string;
  forum: string;
  title: string;
  deadline: string;
  voted: boolean;
  answered: number;
  items: number;
  onBehalfOf: string | null;
  /** A Teams deep link to where the card is (the bot's chat), or null in local mode. */
  voteUrl: string | null;
}

const MONTHS: Record<Lang, string[]> = {
  da: ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** "2014-10-03" → "3. oktober 2014" / "3 October 2014". */
export function longDate(date: string | null | undefined, lang: Lang): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date ?? '');
  if (!m) return null;
  const d = Number(m[3]);
  const month = MONTHS[lang][Number(m[2]) - 1];
  return lang === 'da' ? `${d}. ${month} ${m[1]}` : `${d} ${month} ${m[1]}`;
}

export function sourceLine(s: { forum: string; date?: string | null; itemNumber?: number | null; itemTitle?: string | null }, lang: Lang): string {
  const parts = [s.forum];
  const d = longDate(s.date, lang);
  if (d) parts.push(lang === 'da' ? `møde ${d}` : `meeting ${d}`);
  if (s.itemNumber != null) parts.push(`${lang === 'da' ? 'punkt' : 'item'} ${s.itemNumber}${s.itemTitle ? `: ${s.itemTitle}` : ''}`);
  return parts.join(', ');
}

export async function upcoming(deps: AppDeps, opts: { forumId?: string; limit?: number } = {}): Promise<TabMeeting[]> {
  const list = await upcomingMeetings(deps.db, { now: deps.now(), forumId: opts.forumId, limit: opts.limit ?? 20 });
  const out: TabMeeting[] = [];
  for (const s of list) {
    if (s.kind !== 'meeting') continue;
    const m = await getMeeting(deps.db, s.id);
    out.push({
      id: s.id,
      forum: s.forum,
      forumId: s.forumId,
      title: s.title,
      status: s.status,
      start: s.start,
      end: s.end,
      location: s.location,
      items: (m?.items ?? []).map((i) => ({ number: i.number, title: i.title, recommendation: i.recommendation })),
      icsUrl: await icsUrl(deps, s.id),
    });
  }
  return out;
}

/**
 * The calendar download: the broadcasts capability's .ics route (an unguessable token per meeting, the
 * same link the agenda card carries), relative to the server so it works on whatever host serves the tab.
 */
export async function icsUrl(deps: AppDeps, meetingId: string): Promise<string> {
  return broadcastIcsUrl('', await calendarToken(deps.db, meetingId));
}

/** Builds the question the engine gets from a search box: a topic becomes "hvad blev besluttet om <topic>". */
export function searchQuestion(q: string, lang: Lang, filters: { forum?: string | null; year?: number | null } = {}): string {
  const topic = q.trim().replace(/\?+$/, '');
  const isQuestion = /^(hvad|hvem|hvor|hvornår|hvordan|hvilke|hvilken|what|who|when|where|which|how)\b/i.test(topic);
  let question = isQuestion ? topic : lang === 'en' ? `what was decided about ${topic}` : `hvad blev besluttet om ${topic}`;
  if (filters.forum) question += lang === 'en' ? ` in ${filters.forum}` : ` i ${filters.forum}`;
  if (filters.year) question += lang === 'en' ? ` in ${filters.year}` : ` i ${filters.year}`;
  return `${question}?`;
}

/**
 * Decision search: the chat's question engine answers the topic; its sources become hits enriched with
 * the item's recorded decision and outcome. Forum and year filters are passed to the engine as words it
 * understands and then enforced on the hits.
 */
export async function searchDecisions(deps: AppDeps, input: { q: string; forumId?: string | null; year?: number | null; lang?: Lang }): Promise<SearchResult> {
  const lang = input.lang ?? 'da';
  const q = input.q.trim().slice(0, 200);
  if (!q) return { query: q, answered: false, text: '', hits: [] };
  let forumName: string | null = null;
  if (input.forumId) {
    const forums = await listForums(deps.db);
    forumName = forums.find((f) => f.id === input.forumId)?.name ?? null;
  }
  const answer: Answer = await deps.questions.answer({ question: searchQuestion(q, lang, { forum: forumName, year: input.year }), now: deps.now(), lang });
  const cache = new Map<string, StoredMeeting | null>();
  const hits: DecisionHit[] = [];
  const seen = new Set<string>();
  // the best source first, then the engine's other matches (or, when it does not know, the nearest items)
  for (const s of [...(answer.sources ?? []), ...(answer.more ?? [])]) {
    if (!s?.meetingId) continue;
    const key = `${s.meetingId}#${s.itemNumber ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!cache.has(s.meetingId)) cache.set(s.meetingId, await getMeeting(deps.db, s.meetingId));
    const m = cache.get(s.meetingId) ?? null;
    if (input.forumId && m && m.forumId !== input.forumId) continue;
    const date = s.date ?? (m?.start ? m.start.slice(0, 10) : null);
    if (input.year && (!date || Number(date.slice(0, 4)) !== input.year)) continue;
    hits.push(toHit(s, m, date, lang));
  }
  // only items are decisions: meeting-level sources (next meeting, agenda) are left out
  const items = hits.filter((h) => h.itemNumber != null);
  return { query: q, answered: answer.answered && items.length > 0, text: answer.text, hits: items };
}

function toHit(s: AnswerSource, m: StoredMeeting | null, date: string | null, lang: Lang): DecisionHit {
  const item = m?.items.find((i) => i.number === s.itemNumber) ?? null;
  const outcome = item?.outcome ?? null;
  return {
    meetingId: s.meetingId,
    forum: s.forum ?? m?.forum ?? '',
    meetingTitle: s.meetingTitle ?? m?.title ?? null,
    date,
    itemNumber: s.itemNumber ?? null,
    itemTitle: s.itemTitle ?? item?.title ?? null,
    decision: item?.decision ?? null,
    outcome,
    outcomeLabel: outcome ? OUTCOME_LABELS[lang][outcome] : null,
    excerpt: s.excerpt ?? null,
    sourceLine: sourceLine({ forum: s.forum ?? m?.forum ?? '', date, itemNumber: s.itemNumber, itemTitle: s.itemTitle ?? item?.title }, lang),
    score: typeof s.score === 'number' ? s.score : null,
  };
}

/** The open written procedures `aadObjectId` votes in (own ballot or as a named substitute). */
export async function myProcedures(deps: AppDeps, aadObjectId: string): Promise<MyProcedure[]> {
  const rows = await openProceduresFor(deps.db, aadObjectId);
  const botId = deps.config.MicrosoftAppId;
  return rows.map((r) => ({
    id: r.id,
    forum: r.forum_name,
    title: r.title,
    deadline: new Date(r.deadline).toISOString(),
    voted: r.items > 0 && r.answered >= r.items,
    answered: r.answered,
    items: r.items,
    onBehalfOf: r.on_behalf_of,
    // the voter's own card is in their personal chat with the bot
    voteUrl: botId ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(botId)}` : null,
  }));
}

export async function filters(deps: AppDeps): Promise<{ forums: Array<{ id: string; name: string }>; years: number[] }> {
  const forums = await listForums(deps.db);
  return { forums: forums.map((f) => ({ id: f.id, name: f.name })), years: await decisionYears(deps.db) };
}
