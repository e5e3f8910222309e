import type { Db } from '../store/db';
import { log } from '../log';
import { MONTHS } from '../minutes/dates';
import type { Forum } from '../store/forums';
import { MEETING_BEFORE, resolveTime, toLocal, type DateFilter } from './dates';
import { fmtDate, fmtOutcome, fmtTimeRange, T, type Lang } from './format';
import { isBodyName, understand, type Understood } from './intent';
import { ensureLexicon, isWeak, resolveTerms, type TermGroup } from './lexicon';
import { agendaOf, attendeesOf, forumsWithCounts, meetingsAfter, meetingsBefore, meetingsIn, nextMeetingItems, statedNextMeetings, type MeetingRow } from './repo';
import { decisionCoverage, decisionQuote, factSentences, groupMatchText, itemText, namesPerson, personNames, rerank, searchItems, statesAnswerType, type ItemRow, type Scored } from './retrieve';
import { Answer, type AnswerIntent, type Source } from './schema';
import { PLACE_TOKENS, REGION_TOKENS } from './place-names';
import { clip, foldText, sentences, skel, STOPWORDS, tokenize } from './text';

export { Answer, AskInput, Source } from './schema';
export { understand } from './intent';
export { resolveTime } from './dates';

/**
 * Answers a director's question from the stored agendas and minutes.
 * `now` fixes the clock for "næste", "i går", "i mandags"; `lang` forces the answer language
 * (otherwise the question's language, or English for an English `locale`).
 */
export async function answerQuestion(db: Db, q: { question: string; now?: string | Date | null; lang?: 'da' | 'en' | null; locale?: string | null }): Promise<Answer> {
  const question = (q.question ?? '').replace(/\s+/g, ' ').trim().slice(0, 2000);
  const nowDt = toLocal(q.now ?? undefined);
  const { forums, counts } = await forumsWithCounts(db);
  const u = understand(question, { now: nowDt.toJSDate(), lang: q.lang ?? undefined, locale: q.locale ?? undefined, forums });
  const lang = u.lang;
  if (!tokenize(question).length) return plain(false, 'unknown', T.empty[lang], lang);
  if (u.intent === 'help') return plain(true, 'help', T.help[lang], lang);

  const withMeetings = u.forums.filter((f) => (counts.get(f.id) ?? 0) > 0);
  // a forum named but holding no meetings of its own (FU) is a topic word instead, also beside a forum that has them
  // ("hvem kom ind i forretningsudvalget i SDF")
  const without = u.forums.filter((f) => !withMeetings.includes(f));
  if (without.length && !withMeetings.length) u.topic.push(...without.flatMap((f) => f.shortNames.map((s) => skel(s.toLowerCase()))));
  else if (without.length) u.topic.push(...without.flatMap((f) => tokenize(f.name).map(skel)));
  // "hvem sad i SDF's forretningsudvalg": the members of a body with no meetings of its own, not who attended a meeting
  if (without.length && u.intent === 'meeting' && !/\b(?:mode\w*|motet|meeting)\b/.test(u.folded)) {
    u.facets = u.facets.filter((f) => f !== 'participants' && f !== 'absent');
    if (!u.facets.length) u.intent = 'fact';
  }
  const forumIds = withMeetings.length ? withMeetings.map((f) => f.id) : null;
  const ctx: Ctx = { db, u, lang, forumIds, forums: withMeetings, allForums: forums, now: nowDt.toJSDate(), today: nowDt.toISODate() as string };

  switch (u.intent) {
    case 'next_meeting':
      return answerNext(ctx);
    case 'meeting':
      return answerMeetingFacets(ctx);
    case 'agenda':
      return answerAgenda(ctx, false);
    case 'decision':
    case 'fact':
      return answerFromItems(ctx);
    default:
      return plain(false, 'unknown', `${T.dontKnow[lang]}\n\n${T.help[lang]}`, lang);
  }
}

interface Ctx {
  db: Db;
  u: Understood;
  lang: Lang;
  forumIds: string[] | null;
  forums: Forum[];
  /** Every forum known, named in the question or not. */
  allForums: Forum[];
  now: Date;
  today: string;
  /** Items passed over (meeting id and position): the top one, refused, when a close second is tried. */
  skip?: ReadonlySet<string>;
  /** Why the last "don't know" was said, and the ranking it was said over. */
  refusal?: { why: string; scored: Scored[] };
}

function plain(answered: boolean, intent: AnswerIntent, text: string, lang: Lang, extra: Partial<Answer> = {}): Answer {
  return Answer.parse({ answered, intent, text, sources: [], lang, sourceLine: null, more: [], item: null, ...extra });
}

function sourceLine(s: Source, lang: Lang): string {
  const parts = [s.forum, fmtDate(s.date, lang)];
  if (s.itemNumber !== null) parts.push(`${T.item[lang]} ${s.itemNumber}${s.itemTitle ? `: ${s.itemTitle}` : ''}`);
  return parts.join(' · ');
}

function meetingSource(m: MeetingRow, excerpt: string, score = 1): Source {
  return { meetingId: m.id, forum: m.forum, meetingTitle: m.title, date: m.meeting_date, itemNumber: null, itemTitle: null, excerpt: clip(excerpt, 300), score };
}

function itemSource(s: Scored, excerpt: string, score: number): Source {
  const i = s.item;
  return {
    meetingId: i.meeting_id,
    forum: i.forum,
    meetingTitle: i.meeting_title,
    date: i.meeting_date,
    itemNumber: i.number,
    itemTitle: i.title,
    excerpt: clip(excerpt, 400),
    score: Math.round(Math.min(1, Math.max(0, score)) * 100) / 100,
  };
}

function fullItem(i: ItemRow): Answer['item'] {
  return { meetingId: i.meeting_id, number: i.number, title: i.title, background: i.background, recommendation: i.recommendation, decision: i.decision, outcome: i.outcome };
}

const forumLabel = (ctx: Ctx) => (ctx.forums.length === 1 ? ctx.forums[0].name : null);

// ---------- next meeting ----------

/** The date a "Næste møde" item states: its first date on or after the meeting ("6.-7. oktober 2016" → the 6th). */
export function statedDate(text: string, meetingDate: string | null): string | null {
  const folded = tokenize(text.replace(/(\d{1,2})\.?\s*[-–]\s*\d{1,2}\./g, '$1.')).map(skel).join(' ');
  let rest = folded;
  for (let i = 0; i < 3 && rest; i++) {
    const t = resolveTime(rest, `${meetingDate ?? '2000-01-01'}T12:00:00Z`);
    const f = t.filter;
    if (!f || f.soft) return null;
    const d = f.from ?? null;
    if (d && f.precision === 'day' && (!meetingDate || d > meetingDate)) return d;
    if (!f.from && f.month && meetingDate) {
      // "den 12. december" without a year: the first such date after the meeting
      const y = Number(meetingDate.slice(0, 4));
      for (const yy of [y, y + 1]) {
        const c = `${yy}-${String(f.month).padStart(2, '0')}-${String(f.day ?? 1).padStart(2, '0')}`;
        if (c > meetingDate) return c;
      }
    }
    rest = t.rest;
  }
  return null;
}

/** Whether a sentence states a date after the meeting ("den 30. november 2016"; "den 17. juni" in August minutes is before). */
function statesLaterDate(text: string, meetingDate: string | null): boolean {
  if (!meetingDate) return false;
  let rest = tokenize(text).map(skel).join(' ');
  for (let i = 0; i < 3 && rest; i++) {
    const t = resolveTime(rest, `${meetingDate}T12:00:00Z`);
    const f = t.filter;
    if (!f) return false;
    if (f.from && !f.soft && f.from > meetingDate) return true;
    // ("medio 2017", "i 2017")
    if (f.soft && f.text > meetingDate.slice(0, 4)) return true;
    if (!f.from && f.month && `${meetingDate.slice(0, 4)}-${String(f.month).padStart(2, '0')}-${String(f.day ?? 28).padStart(2, '0')}` > meetingDate) return true;
    rest = t.rest;
  }
  return false;
}

async function answerNext(ctxIn: Ctx): Promise<Answer> {
  // "næste møde efter mødet i oktober 2014": the next meeting after a past date, as its minutes state it
  const past = ctxIn.u.time.filter?.to && !ctxIn.u.time.filter.soft && ctxIn.u.time.filter.to < ctxIn.today ? ctxIn.u.time.filter.to : null;
  const ctx: Ctx = past ? { ...ctxIn, today: past, now: new Date(`${past}T23:59:59Z`) } : ctxIn;
  const { db, lang } = ctx;
  if (ctx.u.forums.length && !ctx.forumIds) return notFoundNext(ctx);
  // planned meetings and agendas ahead (rows made from "Næste møde" statements are read from the statements below)
  const ahead = (await meetingsAfter(db, ctx.forumIds, ctx.now, ctx.today)).filter((m) => m.origin !== 'next_meeting');
  const stated: Array<{ date: string; by: MeetingRow; itemNumber: number | null; itemTitle: string | null; excerpt: string }> = [];
  for (const it of await nextMeetingItems(db, ctx.forumIds, ctx.today)) {
    const d = statedDate(it.item_text ?? '', it.meeting_date) ?? it.next_meeting;
    if (d && d > ctx.today) stated.push({ date: d, by: it, itemNumber: it.item_number, itemTitle: it.item_title, excerpt: it.item_text || it.item_title });
  }
  for (const m of await statedNextMeetings(db, ctx.forumIds, ctx.today)) {
    if (m.next_meeting && !stated.some((s) => s.by.id === m.id)) stated.push({ date: m.next_meeting, by: m, itemNumber: null, itemTitle: null, excerpt: fmtDate(m.next_meeting, 'da') });
  }
  type Cand = { date: string; meeting: MeetingRow | null; stated: (typeof stated)[number] | null };
  const cands: Cand[] = [];
  for (const m of ahead) if (m.meeting_date) cands.push({ date: m.meeting_date, meeting: m, stated: stated.find((s) => s.date === m.meeting_date && s.by.forum_id === m.forum_id) ?? null });
  for (const s of stated) if (!cands.some((c) => c.date === s.date && (c.meeting?.forum_id ?? c.stated?.by.forum_id) === s.by.forum_id)) cands.push({ date: s.date, meeting: null, stated: s });
  cands.sort((a, b) => a.date.localeCompare(b.date));
  const c = cands[0];
  if (!c) return notFoundNext(ctx);
  const forum = c.meeting?.forum ?? c.stated?.by.forum ?? '';
  const time = c.meeting ? fmtTimeRange(c.meeting.start_local, c.meeting.end_local, lang) : null;
  const loc = c.meeting?.location ?? null;
  let text =
    lang === 'da'
      ? `Næste møde i ${forum} er ${fmtDate(c.date, lang, true)}${time ? ` ${time}` : ''}${loc ? `, ${loc}` : ''}.`
      : `The next meeting of ${forum} is on ${fmtDate(c.date, lang, true)}${time ? ` ${time}` : ''}${loc ? `, ${loc}` : ''}.`;
  const sources: Source[] = [];
  if (c.meeting) sources.push(meetingSource(c.meeting, [c.meeting.title, fmtDate(c.date, 'da'), c.meeting.location].filter(Boolean).join(' · ')));
  if (c.stated) {
    const s = c.stated;
    sources.push({ ...meetingSource(s.by, s.excerpt), itemNumber: s.itemNumber, itemTitle: s.itemTitle });
    text +=
      lang === 'da'
        ? ` (Det står i referatet fra mødet ${fmtDate(s.by.meeting_date, lang)}${s.itemNumber !== null ? `, punkt ${s.itemNumber}` : ''}${s.itemNumber !== null ? `: «${clip(s.excerpt, 200)}»` : ''}.)`
        : ` (As stated in the minutes of ${fmtDate(s.by.meeting_date, lang)}${s.itemNumber !== null ? `, item ${s.itemNumber}` : ''}${s.itemNumber !== null ? `: "${clip(s.excerpt, 200)}"` : ''}.)`;
  }
  // later meetings, as meetings (a date stated in minutes has no meeting row of its own to cite)
  const more = cands.slice(1, 4).filter((o) => o.meeting).map((o) => meetingSource(o.meeting as MeetingRow, `${fmtDate(o.date, lang)}${o.meeting?.location ? ` · ${o.meeting.location}` : ''}`, 0.5));
  return Answer.parse({ answered: true, intent: 'next_meeting', text, sources: sources.slice(0, 2), lang, sourceLine: sources[0] ? sourceLine(sources[0], lang) : null, more, item: null });
}

async function notFoundNext(ctx: Ctx): Promise<Answer> {
  const { lang } = ctx;
  const f = forumLabel(ctx) ?? (ctx.u.forums[0]?.name ?? null);
  const last = (await meetingsBefore(ctx.db, ctx.forumIds, ctx.now, ctx.today, 1))[0];
  let text =
    lang === 'da'
      ? `Det kan jeg ikke finde i referaterne: der står ikke noget om et kommende møde${f ? ` i ${f}` : ''} efter ${fmtDate(ctx.today, lang)}.`
      : `I can't find that in the minutes: they mention no meeting${f ? ` of ${f}` : ''} after ${fmtDate(ctx.today, lang)}.`;
  if (last) text += lang === 'da' ? ` Det seneste møde, jeg kender, var ${fmtDate(last.meeting_date, lang)}.` : ` The latest meeting I know of was on ${fmtDate(last.meeting_date, lang)}.`;
  return plain(false, 'next_meeting', text, lang, { more: last ? [meetingSource(last, last.title ?? '', 0)] : [] });
}

// ---------- which meeting ----------

/** The meeting a question is about: by "sidste"/"næste", date, forum, and topic words; null when none. */
async function targetMeeting(ctx: Ctx, useTopic: boolean): Promise<{ meeting: MeetingRow | null; candidates: MeetingRow[]; guessed: boolean }> {
  const { db, u } = ctx;
  if (u.time.relative === 'last' && !(u.time.filter && !u.time.filter.soft)) {
    const m = (await meetingsBefore(db, ctx.forumIds, ctx.now, ctx.today, 1))[0] ?? null;
    return { meeting: m, candidates: m ? [m] : [], guessed: false };
  }
  if (u.time.relative === 'last' && u.time.filter?.from && MEETING_BEFORE.test(u.folded)) {
    // "mødet før maj 2020": the last meeting held before the date given (none, if we have no minutes from before it)
    const before = new Date(Date.parse(`${u.time.filter.from}T00:00:00Z`) - 1);
    const m = (await meetingsBefore(db, ctx.forumIds, before, before.toISOString().slice(0, 10), 1))[0] ?? null;
    return { meeting: m, candidates: m ? [m] : [], guessed: false };
  }
  if (u.time.relative === 'next' && !(u.time.filter && !u.time.filter.soft)) {
    const m = (await meetingsAfter(db, ctx.forumIds, ctx.now, ctx.today))[0] ?? null;
    return { meeting: m, candidates: m ? [m] : [], guessed: false };
  }
  let cands = await meetingsIn(db, ctx.forumIds, u.time.filter ?? null);
  // a bare year that no meeting has may name a topic ("socialaftale 2021-2022"): every meeting, chosen by topic
  const yearAsTopic = !cands.length && !!u.time.filter?.soft && useTopic && u.topic.length > 0;
  if (yearAsTopic) cands = await meetingsIn(db, ctx.forumIds, null);
  if (!cands.length && u.time.filter?.precision === 'day' && u.time.filter.from) {
    // a date a few days off (a written procedure "after 29 September" dated 2 October)
    const f = u.time.filter;
    const d = new Date(`${f.from}T12:00:00Z`);
    const shift = (n: number) => new Date(d.getTime() + n * 86400000).toISOString().slice(0, 10);
    cands = await meetingsIn(db, ctx.forumIds, { ...f, from: shift(-4), to: shift(4) });
  }
  const held = cands.filter((m) => m.status !== 'planned');
  if (held.length) cands = held;
  // "den skriftlige procedure i okt 2023": of the meetings that fit, the one settled by mail
  const written = u.written ? cands.filter((m) => m.kind === 'written_procedure') : [];
  if (written.length) cands = written;
  if (cands.length <= 1) return { meeting: cands[0] ?? null, candidates: cands, guessed: false };
  // "hvem havde afbud til mødet i Støvring": the meeting held in the town named
  const towns = u.topic.filter((t) => PLACE_TOKENS.has(t));
  const heldThere = towns.length && u.topic.every((t) => towns.includes(t) || isWeak(t)) ? cands.filter((m) => m.location && tokenize(m.location).map(skel).some((w) => towns.includes(w))) : [];
  if (heldThere.length === 1) return { meeting: heldThere[0], candidates: cands, guessed: false };
  if (useTopic && u.topic.length) {
    const ids = new Set(cands.map((c) => c.id));
    const { groups } = await resolveTerms(db, u.topic, ctx.lang, u.strict);
    const hits = rerank(groups, await searchItems(db, groups, 1000, { forumIds: ctx.forumIds, date: u.time.filter }, 30)).filter((s) => ids.has(s.item.meeting_id));
    if (hits.length && hits[0].coverage >= 0.5) return { meeting: cands.find((c) => c.id === hits[0].item.meeting_id) ?? null, candidates: cands, guessed: false };
  }
  if (yearAsTopic) return { meeting: null, candidates: [], guessed: false };
  // "is there parking at the Fredericia meeting venue": the words name no meeting of ours; the latest is not a guess to make
  // (where or when only: who came "fra Aalborg" is answered from the latest meeting's list)
  if (useTopic && u.facets.every((f) => f === 'place' || f === 'time') && u.topic.some((t) => !isWeak(t) && !/^\d/.test(t) && !PLACE_TOKENS.has(t))) return { meeting: null, candidates: cands, guessed: false };
  // several: the latest one held by now
  const past = cands.filter((m) => (m.meeting_date ?? '') <= ctx.today);
  return { meeting: (past.length ? past[past.length - 1] : cands[0]) ?? null, candidates: cands, guessed: true };
}

function noMeeting(ctx: Ctx, intent: AnswerIntent): Answer {
  const { lang, u } = ctx;
  const f = forumLabel(ctx);
  const when = u.time.filter?.text ? ` (${u.time.filter.text})` : '';
  const text =
    lang === 'da'
      ? `Det kan jeg ikke finde i referaterne: jeg har intet møde${f ? ` i ${f}` : ''}${when}.`
      : `I can't find that in the minutes: I have no meeting${f ? ` of ${f}` : ''}${when}.`;
  return plain(false, intent, text, lang);
}

// ---------- time, place, attendees ----------

/** A time of day asked: "hvad tid", "klokken", "what time", "at what time". */
const CLOCK_ASKED = /\b(?:hvad tid|hvilket tidspunkt|hvilket klokkeslat|klokkeslat\w*|klokken|kl|what time|which time|time of day)\b/;

async function answerMeetingFacets(ctx: Ctx): Promise<Answer> {
  const { db, u, lang } = ctx;
  const facets = u.facets;
  const intent: AnswerIntent =
    facets.length > 1 ? 'meeting' : ({ time: 'meeting_time', place: 'meeting_place', participants: 'attendees', absent: 'absentees', chair: 'attendees', minutes_taker: 'attendees' } as const)[facets[0]];
  const { meeting: m, guessed } = await targetMeeting(ctx, true);
  // no such meeting of ours, but the question names a thing ("dialogforum mødet i nov 2016 - hvilken dato?"): the items may say
  if (!m) return u.topic.length && facets.every((f) => f === 'time' || f === 'place') ? answerFromItems({ ...ctx, u: { ...u, intent: 'fact', facets: [] } }) : noMeeting(ctx, intent);
  const people = await attendeesOf(db, m.id);
  const participants = people.filter((p) => p.role !== 'absent');
  const chairs = people.filter((p) => p.role === 'chair');
  const takers = people.filter((p) => p.role === 'minutes_taker');
  // "hvem er formand" with no chair in the header: the minutes' text may say (fall back to the items)
  if (facets.every((f) => f === 'chair' || f === 'minutes_taker') && !(facets.includes('chair') ? chairs : takers).length) {
    // the role asked for stays a topic word: a sentence that appoints someone else does not name the chair
    return answerFromItems({ ...ctx, u: { ...u, intent: 'fact', facets: [], topic: [...u.topic, facets.includes('chair') ? 'formand' : 'referent'] } });
  }
  // "hvornår var det fælles møde … i 2015": a year no meeting of ours has is not this meeting's date
  // ("hvem deltog fra Aalborg på DAS-mødet i 2014": nor is it the meeting of that year, for any facet)
  if (u.time.filter?.soft && !m.meeting_date?.startsWith(u.time.filter.text)) {
    return u.topic.length && facets.every((f) => f === 'time' || f === 'place') ? answerFromItems({ ...ctx, u: { ...u, intent: 'fact', facets: [] } }) : noMeeting(ctx, intent);
  }
  const absent = people.filter((p) => p.role === 'absent');
  const who = (p: { name: string; organisation: string | null }) => (p.organisation ? `${p.name} (${p.organisation})` : p.name);
  // "hvem deltog fra KKR": topic words that name an organisation or person narrow the list
  const generic = new Set(['kommune', 'kommunen', 'kommuner', 'region', 'regionen', 'municipality', 'fra', 'from', 'for']);
  const caps = new Set([...u.question.matchAll(/(?<=\s)\p{Lu}[\p{L}-]+/gu)].flatMap((x) => tokenize(x[0]).map(skel)));
  const narrowWords = u.topic.filter((t) => t.length >= 2 && !generic.has(t) && !/^\d/.test(t));
  const narrow = <P extends { name: string; organisation: string | null }>(list: P[]): { list: P[]; narrowed: boolean } => {
    if (!narrowWords.length) return { list, narrowed: false };
    const hit = list.filter((p) => narrowWords.some((w) => skel(`${p.name} ${p.organisation ?? ''}`).split(/[^a-z0-9]+/).some((x) => x === w || (w.length >= 4 && x.startsWith(w)))));
    return hit.length ? { list: hit, narrowed: true } : { list, narrowed: false };
  };
  // "hvem deltog fra Ringkøbing-Skjern": a place or name that is neither among those present nor those absent
  // (not the town the meeting was held in: "mødet i Støvring")
  const venue = new Set(tokenize(m.location ?? '').map(skel));
  const named = narrowWords.filter((w) => (PLACE_TOKENS.has(w) || caps.has(w)) && !venue.has(w));
  if ((facets.includes('participants') || facets.includes('absent')) && named.length && people.length && !narrow(people).narrowed) {
    const list = named.map((w) => tokenize(u.question).find((t) => skel(t) === w) ?? w).join(', ');
    const text =
      lang === 'da'
        ? `Det kan jeg ikke finde i referaterne: ${m.forum}, mødet ${fmtDate(m.meeting_date, lang)}, nævner ingen fra ${list} blandt deltagere eller afbud.`
        : `I can't find that in the minutes: ${m.forum}, meeting on ${fmtDate(m.meeting_date, lang)}, lists no one from ${list} among those present or absent.`;
    return plain(false, intent, text, lang, { more: [meetingSource(m, m.title ?? '', 0)] });
  }
  const lines: string[] = [];
  const excerpts: string[] = [];
  let answeredAny = false;
  const head =
    lang === 'da'
      ? `${m.forum}, mødet ${fmtDate(m.meeting_date, lang)}${m.kind === 'written_procedure' ? ' (skriftlig procedure)' : ''}${guessed ? ' (det seneste møde, jeg har)' : ''}:`
      : `${m.forum}, meeting on ${fmtDate(m.meeting_date, lang)}${m.kind === 'written_procedure' ? ' (written procedure)' : ''}${guessed ? ' (the latest meeting I have)' : ''}:`;
  for (const f of facets) {
    if (f === 'time') {
      const range = fmtTimeRange(m.start_local, m.end_local, lang);
      // "hvad tid starter mødet": the day alone does not say at what time
      if (m.meeting_date && !range && CLOCK_ASKED.test(u.folded)) {
        lines.push(lang === 'da' ? `Tid: ${fmtDate(m.meeting_date, lang, true)}, men klokkeslættet står ikke i referaterne.` : `Time: ${fmtDate(m.meeting_date, lang, true)}, but the minutes do not give the time of day.`);
      } else if (m.meeting_date) {
        answeredAny = true;
        const l = lang === 'da' ? `Tid: ${fmtDate(m.meeting_date, lang, true)}${range ? ` ${range}` : ''}` : `Time: ${fmtDate(m.meeting_date, lang, true)}${range ? ` ${range}` : ''}`;
        lines.push(l);
        excerpts.push(l);
        // a written procedure's title says until when it runs ("… afklares per mail efter den 29. september 2023")
        if (m.kind === 'written_procedure' && m.title && statesAnswerType('date', m.title)) lines.push(lang === 'da' ? `Mødet: «${m.title}»` : `The meeting: "${m.title}"`);
      }
    } else if (f === 'place') {
      if (m.location) {
        answeredAny = true;
        const l = lang === 'da' ? `Sted: ${m.location}` : `Place: ${m.location}`;
        lines.push(l);
        excerpts.push(l);
      } else lines.push(lang === 'da' ? 'Sted: står ikke i referatet.' : 'Place: not stated in the minutes.');
    } else if (f === 'participants') {
      const away = narrow(absent);
      if (narrowWords.length && !narrow(participants).narrowed && away.narrowed) {
        // "var Sønderborg repræsenteret?": no, they sent apologies
        answeredAny = true;
        const l = lang === 'da' ? `Deltog ikke (afbud): ${away.list.map(who).join(', ')}` : `Did not attend (sent apologies): ${away.list.map(who).join(', ')}`;
        lines.push(l);
        excerpts.push(l);
      } else if (participants.length) {
        answeredAny = true;
        const { list, narrowed } = narrow(participants);
        const l = lang === 'da' ? `${narrowed ? 'Deltog' : `Deltagere (${list.length})`}: ${list.map(who).join(', ')}` : `${narrowed ? 'Attended' : `Participants (${list.length})`}: ${list.map(who).join(', ')}`;
        lines.push(l);
        excerpts.push(l);
      } else lines.push(lang === 'da' ? 'Deltagerne står ikke i referatet.' : 'The minutes do not list the participants.');
    } else if (f === 'chair' || f === 'minutes_taker') {
      const list = f === 'chair' ? chairs : takers;
      // "hvem afløste Henrik Aarup-Kristensen som formand": the one the question names is not the answer
      const asked = foldText(u.question);
      if (list.length && list.every((p) => asked.includes(foldText(p.name)))) lines.push(lang === 'da' ? `Referatet nævner kun ${list.map(who).join(', ')} som ${f === 'chair' ? 'formand' : 'referent'}.` : `The minutes name only ${list.map(who).join(', ')} as ${f === 'chair' ? 'chair' : 'minutes taker'}.`);
      else if (list.length) {
        answeredAny = true;
        const label = f === 'chair' ? (lang === 'da' ? 'Formand' : 'Chair') : lang === 'da' ? 'Referent' : 'Minutes taken by';
        const l = `${label}: ${list.map(who).join(', ')}`;
        lines.push(l);
        excerpts.push(l);
      } else lines.push(lang === 'da' ? `${f === 'chair' ? 'Formanden' : 'Referenten'} står ikke i referatet.` : `The minutes do not name the ${f === 'chair' ? 'chair' : 'minutes taker'}.`);
    } else if (f === 'absent') {
      if (absent.length) {
        answeredAny = true;
        const { list } = narrow(absent);
        const l = lang === 'da' ? `Afbud (${list.length}): ${list.map(who).join(', ')}` : `Sent apologies (${list.length}): ${list.map(who).join(', ')}`;
        lines.push(l);
        excerpts.push(l);
      } else if (participants.length) {
        answeredAny = true;
        lines.push(lang === 'da' ? 'Afbud: referatet noterer ingen afbud.' : 'Apologies: the minutes record none.');
      } else lines.push(lang === 'da' ? 'Afbud står ikke i referatet.' : 'The minutes do not list apologies.');
    }
  }
  if (!answeredAny) {
    const text = `${T.dontKnow[lang]} ${lines.join(' ')}`;
    return plain(false, intent, text, lang, { more: [meetingSource(m, m.title ?? '', 0)] });
  }
  const src = meetingSource(m, excerpts.join(' · ') || (m.title ?? ''), guessed ? 0.6 : 1);
  return Answer.parse({ answered: true, intent, text: `${head}\n${lines.join('\n')}`, sources: [src], lang, sourceLine: sourceLine(src, lang), more: [], item: null });
}

// ---------- agenda ----------

async function answerAgenda(ctx: Ctx, decisions: boolean): Promise<Answer> {
  const { db, lang } = ctx;
  const { meeting: m, guessed } = await targetMeeting(ctx, false);
  if (!m) return noMeeting(ctx, decisions ? 'decision' : 'agenda');
  const items = await agendaOf(db, m.id);
  if (!items.length) {
    return plain(false, 'agenda', lang === 'da' ? `${T.dontKnow[lang]} Mødet ${fmtDate(m.meeting_date, lang)} har ingen punkter i mit materiale.` : `${T.dontKnow[lang]} The meeting on ${fmtDate(m.meeting_date, lang)} has no items in my material.`, lang);
  }
  const head =
    lang === 'da'
      ? `${decisions ? 'Beslutninger' : 'Dagsorden'} for ${m.forum}, mødet ${fmtDate(m.meeting_date, lang)}${guessed ? ' (det seneste møde, jeg har)' : ''}:`
      : `${decisions ? 'Decisions' : 'Agenda'} of ${m.forum}, meeting on ${fmtDate(m.meeting_date, lang)}${guessed ? ' (the latest meeting I have)' : ''}:`;
  const lines = items.map((i) => {
    const o = m.status === 'minutes' ? fmtOutcome(i.outcome, lang) : null;
    const dec = decisions && i.decision ? ` — ${clip(i.decision, 140)}` : o ? ` (${o})` : '';
    return `${i.number}. ${i.title}${dec}`;
  });
  const src = meetingSource(m, items.map((i) => `${i.number}. ${i.title}`).join('; '), guessed ? 0.6 : 1);
  return Answer.parse({ answered: true, intent: decisions ? 'decision' : 'agenda', text: `${head}\n${lines.join('\n')}`, sources: [src], lang, sourceLine: sourceLine(src, lang), more: [], item: null });
}

// ---------- decisions and facts ----------

/** Thresholds calibrated on the question tests (test/questions): below them the bot says it does not know. */
export const THRESHOLDS = { coverage: 0.72, passage: 0.5, decisionCoverage: 0.7 };

const DA_MONTHS = 'januar februar marts april maj juni juli august september oktober november december'.split(' ');
const MONTH_NAMES = new Set([...DA_MONTHS, ...'january february march may june july october'.split(' ')]);

function isConfident(top: Scored | undefined, intent: AnswerIntent): top is Scored {
  return !!top && top.coverage >= (intent === 'decision' ? THRESHOLDS.decisionCoverage : THRESHOLDS.coverage) && top.passageCoverage >= THRESHOLDS.passage;
}

/** How Danish names of institutions and places end (folded): "Svenstrupgård", "Pomonahuset", "Vænget", "Kingstrup". */
const INSTITUTION_NAME = /^\w{3,}(?:gard|garden|huset|hjemmet|centret|borg|lund|holm|vanget|hoj|hojen|strup|rup)$/;

/** Resolves the topic words, searches with the forum and date filters and re-ranks; a bare year counts as met by the meeting's date. */
async function rankItems(ctx: Ctx, topic: string[], date: DateFilter | null, intent: AnswerIntent, forumIds: string[] | null = ctx.forumIds, opts: { weakPeople?: boolean } = {}): Promise<{ groups: TermGroup[]; scored: Scored[] }> {
  const { db, lang } = ctx;
  const { groups, total } = await resolveTerms(db, topic, lang, ctx.u.strict);
  // a word the minutes never use and the lexicon does not know (an English word with no gloss, a Danish paraphrase) is
  // one we cannot match, not evidence that the minutes lack the topic: it weighs a fifth; names (capitalised, or
  // places) keep their full weight
  const names = new Set([...ctx.u.question.matchAll(/(?<=\s)\p{Lu}[\p{L}]+/gu)].map((m) => skel(m[0].toLowerCase())));
  // (and so does a long word in a decision or yes/no question: "hvad blev besluttet om madservice" asks about the very
  // thing the minutes lack)
  // (in any Danish question: a name of a place or institution typed in lower case, "svenstrupgaard", "pomonahuset")
  const topicLike = (t: string) => ((intent === 'decision' || ctx.u.answerType === 'yesno') && t.length >= (lang === 'da' ? 8 : 12)) || (lang === 'da' && INSTITUTION_NAME.test(t));
  for (const g of groups) if (!g.numeric && !g.alts.length && !names.has(g.token) && !PLACE_TOKENS.has(g.token) && !topicLike(g.token)) g.idf *= 0.2;
  if (opts.weakPeople) for (const g of groups) if (PEOPLE_WORDS.test(g.token)) g.idf *= 0.3;
  const softYear = date?.soft ? date.text : null;
  const candidates = await searchItems(db, groups, total, { forumIds, date });
  const scored = rerank(groups, candidates, { softYear, preferDecision: intent === 'decision', answerType: ctx.u.answerType }).filter((x) => !ctx.skip?.has(itemKey(x.item)));
  return { groups, scored };
}

/** Refusals of the top item's sentences, not of the question: a close second item may state what was asked. */
const RETRY_WHEN = /^(?:not what was asked|name not in the sentences|no \w+ stated|no sentence states it)$/;
const itemKey = (i: ItemRow) => `${i.meeting_id}:${i.position}`;
/** How close the second item's score must come to the top one's to be tried. */
const RETRY_RATIO = 0.95;

/**
 * The items' answer; when the top item is refused because its sentences do not state what was asked and the second
 * item scored almost as well, the second is tried with the same checks ("hvilke 2 kommuner skal redegøre …": the
 * item on the rate rise matches as well as the one naming the two towns).
 */
async function answerFromItems(ctx: Ctx): Promise<Answer> {
  ctx.refusal = undefined;
  const first = await answerFromItemsOnce(ctx);
  // (set by dontKnow during the call above)
  const r = ctx.refusal as Ctx['refusal'];
  // (one word to go by, "formand", tells no item from another)
  if (first.answered || ctx.skip || !r || !RETRY_WHEN.test(r.why) || ctx.u.topic.filter((t) => !isWeak(t)).length < 2) return first;
  const [top, second] = r.scored;
  if (!top || !second || second.score < RETRY_RATIO * top.score) return first;
  const again = await answerFromItemsOnce({ ...ctx, skip: new Set([itemKey(top.item)]), refusal: undefined });
  return again.answered ? again : first;
}

async function answerFromItemsOnce(ctx: Ctx): Promise<Answer> {
  const { db, u, lang } = ctx;
  const intent: AnswerIntent = u.intent === 'decision' ? 'decision' : 'fact';
  if (!u.topic.length) {
    if (u.time.filter || u.time.relative || ctx.forumIds) return answerAgenda(ctx, true);
    return plain(false, 'unknown', `${T.dontKnow[lang]}\n\n${T.help[lang]}`, lang);
  }
  await ensureLexicon(db);
  // the meeting "sidste møde"/"næste møde" names narrows by date
  let date: DateFilter | null = u.time.filter ?? null;
  // "i oktober" without a year: an October up to now (minutes cannot come from after the asker's today)
  if (date && !date.from && date.month && !date.to) date = { ...date, to: ctx.today };
  // ("hvornår er det næste møde i Dialogforum": another body's next meeting is stated in our minutes, not held in them)
  if (u.time.relative && !(date && !date.soft) && !(u.time.relative === 'next' && u.topic.some(isBodyName))) {
    const { meeting } = await targetMeeting(ctx, false);
    if (meeting?.meeting_date) date = { from: meeting.meeting_date, to: meeting.meeting_date, precision: 'day', soft: false, text: u.time.relative };
  }
  let r = await rankItems(ctx, u.topic, date, intent);
  // date words searched as content: they found the item, but the sentence asked for may be another one
  let contentDate: string[] = [];
  if (!isConfident(r.scored[0], intent) && date && !date.soft && !u.time.relative) {
    // the date may be about the content ("belægningen fra august 2023"), not the meeting: search without it
    // only the explicit parts (month names, years, days): "i dag" or "i går" say nothing about the content
    // ("1/12-23" is searched as the minutes write it: "1 december 2023")
    const written = date.from && date.precision !== 'year' && /\d/.test(date.text) ? [...(date.precision === 'day' ? [String(Number(date.from.slice(8, 10)))] : []), DA_MONTHS[Number(date.from.slice(5, 7)) - 1], date.from.slice(0, 4)] : null;
    const dateWords = written ?? tokenize(date.text).map(skel).filter((t) => /^\d/.test(t) || MONTH_NAMES.has(t));
    const again = await rankItems(ctx, [...u.topic, ...dateWords], null, intent);
    // only when the item itself states the date: a meeting date that matches no meeting is not an answer
    if (isConfident(again.scored[0], intent) && (!dateWords.length || statesDate(`${again.scored[0].item.title}\n${itemText(again.scored[0].item)}`, date))) {
      r = again;
      contentDate = dateWords;
    }
  }
  if (!isConfident(r.scored[0], intent) && ctx.forumIds) {
    // a forum named as the subject ("hvor mange møder skal DAS holde") may be discussed in another forum's minutes
    const names = ctx.forums.flatMap((f) => [...f.shortNames, f.name.split(/\s+/)[0]]).map((n) => skel(n.toLowerCase()));
    const again = await rankItems(ctx, [...u.topic, ...new Set(names.slice(0, 1))], date && !date.soft ? date : date, intent, null);
    if (isConfident(again.scored[0], intent)) r = again;
  }
  if (!isConfident(r.scored[0], intent) && u.answerType === 'person' && u.topic.some((t) => PEOPLE_WORDS.test(t))) {
    // "hvem er SDF's repræsentanter i Dialogforum": the minutes name them without the word (who is asked, not about
    // what); the same item, found without leaning on the word, is the answer
    const again = await rankItems(ctx, u.topic, date, intent, ctx.forumIds, { weakPeople: true });
    const same = (a?: Scored, b?: Scored) => !!a && !!b && a.item.meeting_id === b.item.meeting_id && a.item.position === b.item.position;
    if (isConfident(again.scored[0], intent) && same(again.scored[0], r.scored[0])) r = again;
  }
  const { scored } = r;
  const top = scored[0];
  const conf = (s: Scored) => 0.6 * s.coverage + 0.4 * s.passageCoverage;
  if (top && log.isLevelEnabled('debug')) log.debug({ question: u.question, coverage: top.coverage, passage: top.passageCoverage, title: top.titleCoverage, score: top.score, second: scored[1]?.score ?? 0, missing: top.missing, groups: r.groups.map((g) => [g.token, g.idf, g.alts.length]) }, 'questions: top item');
  // below the bar, a question that asks for a name or a date may still be answered by the item that
  // clearly leads, when only paraphrase words are missing and a sentence of it states that kind of answer (checked below)
  const soft = !isConfident(top, intent) && softMatch(ctx, intent, scored);
  if (!isConfident(top, intent) && !soft) return dontKnow(ctx, intent, 'weak match', scored);
  // only fillers left to search with ("is there a date set … after …"): nothing says what the item is about
  if (r.groups.every((g) => isWeak(g.token) || g.idf < 0.1)) return dontKnow(ctx, intent, 'no topic words', scored);
  // a year the question names is the meeting's year or stated in the item ("taksten i 2022" is not the 2020 rate)
  const year = u.time.filter?.soft ? u.time.filter.text : null;
  if (year && !top.item.meeting_date?.startsWith(year) && top.missing.includes(year)) return dontKnow(ctx, intent, 'year not stated', scored);
  if (!placesStated(ctx, top.item)) return dontKnow(ctx, intent, 'place not named', scored);
  // "den samlede døgntakst på svenstrupgaard": an institution named in lower case that the item does not name
  if (top.missing.some((w) => INSTITUTION_NAME.test(w))) return dontKnow(ctx, intent, 'institution not named', scored);
  // "hvad blev besluttet … i 2013" answered by 2011 minutes that plan for 2013: they cannot know what happened
  // (unless the item states the date as that of the amount or date asked: "stigningen fra september 2016" says when a
  // rise takes effect; "hvad besluttede DAS den 17. august 2020" still asks about a meeting the minutes only plan)
  // ("Ny repræsentant fra 1. december 2023": a date the thing starts from or lasts until is content too)
  const startsOrEnds = !!date && new RegExp(`\\b(?:fra|from|pr|per|starting|effective|frem til|til|until|indtil) (?:den |the )?${date.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(u.folded);
  const statedAsContent = contentDate.length > 0 && intent === 'fact' && (['amount', 'count', 'date'].includes(u.answerType) || startsOrEnds);
  const asked = date && !u.time.relative ? (date.soft ? `${date.text}-12-31` : (date.from ? (date.to ?? date.from) : monthBefore(date, ctx.today))) : null;
  // a bare year says when only as "i 2013"/"in 2013"; "årshjulet for 2015" names the thing
  const when = date?.soft ? new RegExp(`\\b(?:i|in|during|aret|year|mid|medio|primo|ultimo|udgangen af|end of|start of|begyndelsen af) ${date.text}\\b`).test(u.folded) && !top.item.title.includes(date.text) : true;
  // (a month without a year is read as the latest such month up to now, so only within the meeting's own year)
  const sameYear = !!date?.from || asked?.slice(0, 4) === top.item.meeting_date?.slice(0, 4);
  if (u.past && asked && when && sameYear && !statedAsContent && top.item.meeting_date && (date?.soft ? date.text > top.item.meeting_date.slice(0, 4) : (date?.from ?? asked.slice(0, 7)) > top.item.meeting_date)) return dontKnow(ctx, intent, 'asks after the minutes', scored);
  // "hvad besluttede Sundhedsdirektørkredsen …": another body's decision is not in this forum's minutes
  if (intent === 'decision' && !bodyStated(ctx, top.item)) return dontKnow(ctx, intent, 'another body', scored);
  // "hvad besluttede Hjørring Byråd …": the minutes say the report goes to the city council, not what it decided
  if (intent === 'decision' && !deciderStated(ctx, top.item)) return dontKnow(ctx, intent, 'another body decides', scored);

  // "hvad besluttede DAS om hjerneskadeområdet": named only in passing in the case text (a list of target groups), not
  // in what the item is about or what was recommended or decided
  if (intent === 'decision' && !mentionedBeyondPassing(r.groups, top.item)) return dontKnow(ctx, intent, 'named only in passing', scored);
  const it = top.item;
  // a bare year the meeting's date satisfies says nothing about which sentence answers
  const softYear = u.time.filter?.soft ? u.time.filter.text : null;
  const groups = r.groups.filter((g) => !(softYear && g.numeric && g.token === softYear && it.meeting_date?.startsWith(softYear)) && !(u.answerType !== 'date' && contentDate.includes(g.token)));
  const where =
    lang === 'da'
      ? `${it.forum}, mødet ${fmtDate(it.meeting_date, lang)}, punkt ${it.number} «${it.title}»`
      : `${it.forum}, meeting on ${fmtDate(it.meeting_date, lang)}, item ${it.number} "${it.title}"`;
  let text: string;
  let excerpt: string;
  const wantsDecision = intent === 'decision' || u.answerType === 'yesno';
  const decisionQuoted = wantsDecision && it.decision ? decisionQuote(groups, it) : '';
  const factFirst = wantsDecision && it.decision && it.decision.length < 160 && decisionCoverage(groups, it) < 0.4 ? factSentences(groups, it, u.answerType) : null;
  if (factFirst && factFirst.coverage >= 0.6) {
    // the decision only takes note; what happened is stated in the case text
    // ("blev Stjernen lukket i sidste ende": an outcome asked in so many words is stated in so many words)
    if (askedNotStated(u, factFirst.text)) return dontKnow(ctx, intent, 'not what was asked', scored);
    const quote = decisionQuote(groups, it, 200);
    excerpt = factFirst.text;
    text =
      lang === 'da'
        ? `Ifølge referatet: «${clip(factFirst.text, 600)}»\nBeslutning: «${quote}»\n— ${where}`
        : `According to the minutes: "${clip(factFirst.text, 600)}"\nDecision: "${quote}"\n— ${where}`;
  } else if (decisionQuoted && !askedNotStated(u, decisionQuoted) && (u.answerType !== 'reason' || statesAnswerType('reason', decisionQuoted))) {
    // ("did SDF later approve …": a decision that only takes note says nothing of a later approval; the case text may)
    // ("hvorfor blev forslaget afvist": a decision that gives no reason is not the answer; the case text may give it)
    const quote = decisionQuoted;
    excerpt = quote;
    text = lang === 'da' ? `Beslutning — ${where}:\n«${quote}»` : `Decision — ${where}:\n"${quote}"`;
  } else {
    // "hvornår er det kommende møde i Dialogforum": a date after the meeting, not the one before it
    // ("hvornår skal det evalueres igen": a later date too)
    const upcoming = u.answerType === 'date' && (/\b(?:naste|kommende|next|upcoming|forthcoming)\b/.test(u.folded) || (!u.past && /\b(?:igen|again)\b/.test(u.folded)));
    // "hvem var formand for arbejdsgruppen": the sentence that names the role
    const role = u.answerType === 'person' ? groups.find((g) => ROLE_WORDS.has(g.token)) : undefined;
    // "hvem var medlem før Jørgen Rasmussen": a sentence naming someone else
    const other = u.answerType === 'person' && askedPerson(u) ? (x: string) => (personNames(x).some((n) => !namedIn(u, n)) ? 0.25 : 0) : null;
    // "who did the new representative replace": the sentence on the one stepping down, not the appointment
    const before = u.answerType === 'person' && PREDECESSOR.test(u.question) ? (x: string) => (STEPPING_DOWN.test(x) && namesPerson(x) ? 0.5 : 0) - (/\b(?:ny|nye|nyt|udpegede|udpeges|udpeget|vælger|valgte)\b/i.test(x) ? 0.3 : 0) : null;
    // "hvem skal brevet sendes videre til": the sentence that sends it to someone
    const recipient = u.answerType === 'person' && /\b(?:sendes|sendt|sende|sent|send|forwarded|videresendes|oversendes)\b[^?]*\b(?:til|to)\b|\bto whom\b/.test(u.folded) ? (x: string) => (/\b(?:fremsend|send|videresend|oversend|forelæg)\w*\s+(?:\S+\s+){0,2}til\s+\p{Lu}/u.test(x) ? 0.4 : 0) : null;
    // "hvor meget vil Aalborg hæve døgnprisen": the sentence that gives the size of the rise, not the rate table
    // ("hvad bliver døgntaksten efter stigningen": the level, "1.933 (2.139)", not the size of the rise)
    const levelAsked = u.answerType === 'amount' && ASKS_LEVEL.test(u.folded);
    const riseBy = u.answerType === 'amount' && (levelAsked || riseAsked(u)) ? (x: string) => (levelAsked ? (LEVEL_STATED.test(x) ? 0.3 : 0) - (RISE_BY.test(x) ? 0.2 : 0) : RISE_BY.test(x) ? 0.3 : 0) : null;
    const bonus = upcoming || role || other || before || recipient || riseBy ? (x: string) => (upcoming && statesLaterDate(x, it.meeting_date) ? 0.3 : 0) + (role && groupMatchText(role, x) ? 0.3 : 0) + (other ? other(x) : 0) + (before ? before(x) : 0) + (recipient ? recipient(x) : 0) + (riseBy ? riseBy(x) : 0) : undefined;
    let fact = factSentences(groups, it, u.answerType, 2, bonus);
    if ((u.answerType === 'date' || u.answerType === 'amount') && fact.text && !statesAnswerType(u.answerType, fact.text)) {
      // "fra hvilken dato …", "hvor mange penge skal sekretariatet spare": the best-matching sentences state no date or
      // amount; the best one that does, if it matches well
      const typed = factSentences(groups, it, u.answerType, 2, (x) => (bonus ? bonus(x) : 0) + (statesAnswerType(u.answerType, x) ? 0.5 : 0));
      if (log.isLevelEnabled('trace')) log.trace({ coverage: typed.coverage, text: typed.text }, 'questions: typed sentences');
      if (typed.coverage >= (u.answerType === 'date' ? 0.5 : 0.6) && statesAnswerType(u.answerType, typed.text)) fact = typed;
    }
    if (soft && (!fact.text || fact.coverage < 0.5 || !statesAnswerType(u.answerType, fact.text) || (u.answerType === 'person' && !namesPerson(fact.text)))) return dontKnow(ctx, intent, 'weak match', scored);
    if (!fact.text || fact.coverage < 0.35) {
      const quote = it.decision ? decisionQuote(groups, it) : '';
      // the decision stands in for the fact only when it states the kind of answer asked ("hvem blev valgt": a name)
      if (quote && statesAnswerType(u.answerType, quote) && statesWhatWasAsked(ctx, groups, it.title, quote, quote)) {
        excerpt = quote;
        text = lang === 'da' ? `Beslutning — ${where}:\n«${quote}»` : `Decision — ${where}:\n"${quote}"`;
      } else return dontKnow(ctx, intent, 'no sentence states it', scored);
    } else {
      const refusal = factRefusal(ctx, groups, it, fact);
      if (refusal) return dontKnow(ctx, intent, refusal, scored);
      // "hvor meget og fra hvornår": the second thing asked, from its own sentence
      const second = /\b(?:og|and) (?:fra |from |since )?(?:hvornar|when)\b/.test(u.folded) ? 'date' : /\b(?:og|and) (?:hvorfor|why)\b/.test(u.folded) ? 'reason' : null;
      if (second && second !== u.answerType && !(second === 'date' && statesAnswerType('date', fact.text))) {
        const more = factSentences(groups, it, second, 1, (x) => (statesAnswerType(second, x) ? 0.5 : 0));
        if (more.text && !fact.text.includes(more.text) && (second !== 'date' || statesAnswerType('date', more.text))) fact.text = `${clip(fact.text, 380)} … ${clip(more.text, 300)}`;
      }
      excerpt = fact.text;
      if (log.isLevelEnabled('debug')) log.debug({ question: u.question, factCoverage: fact.coverage, coverage: top.coverage, passage: top.passageCoverage, answerType: u.answerType, soft }, 'questions: answered from sentences');
      const outcome = intent === 'decision' && !it.decision ? fmtOutcome(it.outcome, lang) : null;
      // the recorded decision often holds the fact (who was appointed, what was approved): quoted after it, briefly
      const noteOnly = /^[^.]{0,40}\b(?:taget til efterretning|tog \w+ til efterretning|godkendt|drøftet|droftet)\.?$/i.test((it.decision ?? '').trim());
      const dec = it.decision && !noteOnly ? decisionQuote(groups, it, 250) : '';
      const decLine = dec && !fact.text.includes(dec.slice(0, 60)) ? (lang === 'da' ? `\nBeslutning: «${dec}»` : `\nDecision: "${dec}"`) : '';
      text = lang === 'da' ? `Ifølge referatet: «${clip(fact.text, 600)}»${outcome ? ` (${outcome})` : ''}${decLine}\n— ${where}` : `According to the minutes: "${clip(fact.text, 600)}"${outcome ? ` (${outcome})` : ''}${decLine}\n— ${where}`;
    }
  }
  const src = itemSource(top, excerpt, conf(top));
  const more = scored
    .slice(1)
    .filter((s) => s.coverage >= 0.4 && !(s.item.meeting_id === it.meeting_id && s.item.position === it.position))
    .slice(0, 3)
    .map((s) => itemSource(s, s.item.decision ?? s.item.title, conf(s)));
  return Answer.parse({ answered: true, intent, text, sources: [src], lang, sourceLine: sourceLine(src, lang), more, item: fullItem(it) });
}


/**
 * A municipality, region or town the question names must be named by the item too (or be the region of its
 * forum): "takststigningen på krisecentret i esbjerg" is not answered by Aalborg's.
 */
function placesStated(ctx: Ctx, item: ItemRow): boolean {
  const places = ctx.u.topic.filter((t) => PLACE_TOKENS.has(t));
  if (!places.length) return true;
  const forum = ctx.allForums.find((f) => f.id === item.forum_id) ?? null;
  const own = new Set(tokenize(`${item.forum} ${forum?.region ?? ''} ${item.meeting_title ?? ''} ${item.meeting_location ?? ''}`).map(skel));
  const words = new Set(tokenize(`${item.title}\n${itemText(item)}`).map(skel));
  const stems = [...words].map((w) => w.slice(0, Math.max(4, w.length - 2)));
  // inflected: "Aalborgs", "Syddanmarks"
  return places.every((p) => own.has(p) || words.has(p) || stems.some((w) => p.startsWith(w) && w.length >= p.length - 2) || [...words].some((w) => w.startsWith(p)));
}

/** "i oktober" without a year: the last day of the latest such month up to today. */
function monthBefore(f: DateFilter, today: string): string | null {
  if (!f.month || f.from) return null;
  const y = Number(today.slice(0, 4)) - (f.month > Number(today.slice(5, 7)) ? 1 : 0);
  const last = new Date(Date.UTC(y, f.month, 0)).getUTCDate();
  return `${y}-${String(f.month).padStart(2, '0')}-${String(f.day ?? last).padStart(2, '0')}`;
}

/** A body the question names as the decision maker ("Sundhedsdirektørkredsen") is the item's forum or named in its decision. */
function bodyStated(ctx: Ctx, item: ItemRow): boolean {
  // a forum of ours named in the question is the one deciding ("hvad sagde DAS til KL")
  const caps = new Set([...ctx.u.question.matchAll(/(?<![\p{L}])(\p{Lu}{2,8})(?![\p{L}])/gu)].map((m) => skel(m[1].toLowerCase())));
  const bodies = ctx.u.forums.length ? [] : ctx.u.topic.filter((t) => isBodyName(t) || caps.has(t));
  if (!bodies.length) return true;
  const own = tokenize(`${item.forum} ${item.meeting_title ?? ''} ${item.title} ${item.decision ?? ''}`).map((w) => skel(w).replace(/'s$/, ''));
  return bodies.every((b) => own.some((w) => w === b || (b.length >= 6 && (w.startsWith(b.slice(0, -2)) || b.startsWith(w.slice(0, -2))) && Math.abs(w.length - b.length) <= 3)));
}

/** "hvad besluttede Hjørring Byråd", "what did KKR decide": the body asked about as the one deciding. */
const DECIDER_ASKED = /\b(?:hvad (?:har |havde )?((?:\S+ ){1,3}?)(?:besluttet|vedtaget)|hvad (?:besluttede|vedtog|sagde) ((?:\S+ ){1,3}?)(?:om|til|da|i|pa|efter|angaende|vedr\w*|$)\b|what did ((?:\S+ ){1,3}?)(?:decide|agree|say|resolve))/;
const DECIDED = /\b(?:besluttede|besluttet|vedtog|vedtaget|godkendte|godkendt|tiltrådte|tiltrådt|bevilgede|bevilget|afviste|afvist|decided|approved|adopted|rejected)\b/i;

/**
 * A body outside the forum asked about as the decision maker must be stated as deciding: "forelægges KKR og
 * efterfølgende Hjørring Byråd" says where the report goes next, not what the council decided.
 */
function deciderStated(ctx: Ctx, item: ItemRow): boolean {
  const m = DECIDER_ASKED.exec(ctx.u.folded);
  const subject = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
  if (!subject) return true;
  const words = tokenize(subject).map(skel);
  const body = words.find((w) => isBodyName(w));
  if (!body) return true;
  const own = tokenize(`${item.forum} ${item.meeting_title ?? ''}`).map(skel);
  if (ctx.u.forums.length || own.some((w) => w === body || (w.length >= 5 && (w.startsWith(body) || body.startsWith(w.slice(0, -2)))))) return true;
  const named = (x: string) => tokenize(x).map(skel).some((w) => w === body || w.startsWith(body.slice(0, Math.max(4, body.length - 1))));
  // the body and a decision verb in one clause of the decision or the case text
  return `${item.decision ?? ''}\n${itemText(item)}`.split(/(?<=[.;:!?])\s+|\n+/).some((clause) => named(clause) && DECIDED.test(clause) && !/\b(?:forelægges|forelagt|sendes|oversendes|skal behandle|til behandling|til godkendelse|will be presented|goes to)\b/i.test(clause));
}

/** Whether a text states the date of a filter as a date: "17. august 2020", "17/8", "oktober 2016", "2016". */
export function statesDate(text: string, f: DateFilter): boolean {
  const folded = tokenize(text).map(skel).join(' ');
  const [y, m, d] = (f.from ?? '').split('-').map(Number);
  const month = f.month ?? (f.precision === 'day' || f.precision === 'month' ? m : undefined);
  const day = f.day ?? (f.precision === 'day' ? d : undefined);
  const year = f.from ? String(y) : null;
  const names = month ? MONTHS_FOLDED[month - 1] : null;
  // "31. december 2022" does not state 31 December 2023: a year written after the date must be the one asked
  if (day && names) {
    const re = new RegExp(`(?<!\\d)(?:${day} (?:${names.join('|')})(?![a-z])|0?${day} 0?${month}(?!\\d))(?: (\\d{4}))?`, 'g');
    return [...folded.matchAll(re)].some((x) => !year || !x[1] || x[1] === year);
  }
  if (names) return new RegExp(`(?<![a-z])(?:${names.join('|')})${year ? ` ${year}` : ''}(?!\\d)`).test(folded);
  return year ? new RegExp(`(?<!\\d)${year}(?!\\d)`).test(folded) : false;
}

/** Every spelling of each month the parser knows (src/minutes/dates.ts), by month number − 1. */
const MONTHS_FOLDED = Array.from({ length: 12 }, (_, i) => Object.keys(MONTHS).filter((k) => MONTHS[k] === i + 1));

const ROLE_WORDS = new Set('formand formanden forperson forpersonen nastformand leder lederen direktor direktoren chef chefen koordinator kontaktperson sekretar sekretaren referent referenten borgmester borgmesteren forstander forstanderen chair chairman chairperson head director leader coordinator secretary manager mayor chief'.split(' '));

/** The days a text names by day and month ("27. marts 2015" → "27 3"). */
function daysNamed(text: string): string[] {
  const folded = tokenize(text).map(skel).join(' ');
  return [...folded.matchAll(/(?<!\d)(\d{1,2}) ([a-z]+)/g)].flatMap((m) => {
    const month = MONTHS_FOLDED.findIndex((names) => names.includes(m[2]));
    return month >= 0 ? [`${Number(m[1])} ${month + 1}`] : [];
  });
}

/** A date still to be set ("finder en dato for møde", "datoen fastsættes senere"). */
const DATE_NOT_SET = /\b(?:finder|finde|findes|fastsætter|fastsætte|aftaler|aftale) (?:en|et) (?:ny )?(?:dato|tidspunkt)|(?:få|faa) (?:datoen|dato|tidspunktet) (?:lagt|fastlagt|fastsat|aftalt)|dato(?:en)? (?:følger|fastsættes|fastlægges|aftales|meldes ud|udmeldes) senere|(?:dato|tidspunkt)(?:et|en)? er endnu ikke|endnu ikke (?:fastlagt|fastsat|aftalt|besluttet)|ikke (?:fastlagt|fastsat) endnu|(?:date|time) (?:is |has )?(?:still )?to be (?:set|decided|agreed|found)|not yet (?:set|decided|scheduled)\b/i;

/** Money asked for in so many words. */
const MONEY_ASKED = /\b(?:i kr|i kroner|hvor mange (?:penge|kroner|kr)|how much money|how many kroner|in kroner|in dkk|i dkk|belob(?:et)? i)\b/;
/** The level of a rate asked for, around a change: "døgntaksten efter stigningen", "the daily rate before the increase". */
const ASKS_LEVEL = /\b(?:(?:efter|for|inden|before|after|prior to) (?:the )?(?:stigning\w*|forhojels\w*|increase|rise)|samlede? (?:\w+ )?\w*(?:takst|pris)\w*|\w*takst(?:en)? (?:bliver|er|var) (?:nu|sa)|total (?:daily )?(?:rate|price))\b/;
/** The level before a change, or the total after it: "før udvidelsen", "before the cut", "i alt nu efter udvidelsen". */
const LEVEL_AROUND_CHANGE = /\bi alt (?:nu|efter)\b|\bin total (?:now|after)\b|\b(?:for|inden|before|prior to) (?:the |den |det )?(?:\w+ ){0,2}(?:udvidelse\w*|expansion|reduktion\w*|reduction|nedskaring\w*|cuts?|lukning\w*|closure|omlagning\w*|sammenlagning\w*|merger)\b/;
/** A level stated beside a change: "fra 12 til 19 pladser", "19 (12)", "hidtil", "i alt 19", "from 12 to 19". */
const LEVEL_STATED = /\bfra \d[\d.,]* (?:\S+ )?til \d|\d\s*\(\d[\d.,]*\)|(?<!\p{L})(?:hidtil|tidligere|nuværende|oprindelig\p{L}*|i forvejen|herefter|fremover|previously|currently|originally)(?!\p{L})|\b(?:i alt|samlet|in total|a total of) \d|\bfrom \d[\d.,]* (?:\S+ )?to \d|(?<!\p{L})(?:stige\p{L}*|steg|hæve\p{L}*|forhøje\p{L}*|øge\p{L}*|bliver|blive|rise\p{L}*|increase\p{L}*) (?:\p{L}+ )?(?:til|to) \d/iu;
/** Which N things by name: "hvilke 4 kommuner", "hvad hedder de 3 institutioner", "which two municipalities". */
const LIST_ASKED = /\b(?:hvilke|hvad hedder de|hvad hed de|which|what are the|name the)\s+(\d+|to|tre|fire|fem|seks|two|three|four|five|six)\b/;
const NUMBER_WORDS: Record<string, number> = { to: 2, tre: 3, fire: 4, fem: 5, seks: 6, two: 2, three: 3, four: 4, five: 5, six: 6 };

/** The capitalised words of a text that do not start a sentence and that the question does not give: the names it states. */
function namesIn(text: string, u: Understood): string[] {
  const asked = questionWords(u);
  const found = [...text.matchAll(/(?<![.!?:«"]\s*|^\s*)(?<=[\s(,])(\p{Lu}[\p{L}-]+)/gu)].map((m) => skel(m[1].toLowerCase()));
  return [...new Set(found.filter((w) => !asked.has(w)))];
}

/**
 * Things asked in so many words that the quote must state in so many words: what is asked (in the folded question),
 * and what stating it looks like in the minutes.
 */
const STATED_WHEN_ASKED: Array<[RegExp, RegExp]> = [
  // "hvad er sekretariatets telefonnummer": a phone number or an e-mail address, not a sentence about the secretariat
  [/\b(?:tlf\w*|telefon\w*|phone\w*|mobil\w*|mobile|e-?mail\w*|mail(?:adresse\w*)?|kontaktoplysning\w*|contact details)\b/, /\d{2}[ .]?\d{2}[ .]?\d{2}[ .]?\d{2}(?!\d)|[\w.-]+@[\w-]+\.\w+/],
  // "hvad er adressen på krisecentret": a street and number or a postal code, not "i Aalborg"
  [/^(?!.*\b(?:hvilken|hvilke|which|what) (?:kommune|by|town|city|municipality)).*\b(?:adresse|adressen|adresser|address|addresses)\b/, /\p{L}(?:vej|gade|allé|torv|vænge|vænget|stræde|boulevard)\s+\d+|,\s*(?!19\d\d|20\d\d)\d{4}\s+\p{Lu}\p{Ll}+|[\w.-]+@[\w-]+\.\w+/u],
  // "hvad blev den endelige overskrift", "did they eventually get funding": an outcome stated as settled
  [/\b(?:endelig\w*|efterfolgende|til sidst|i sidste ende|eventually|finally|final|later|yet|in the end|ultimately)\b/, /(?<!\p{L})(?:endelig\p{L}*|godkendt\p{L}*|vedtag\p{L}*|besluttede|blev besluttet|approved|adopted|decided)(?!\p{L})/iu],
  // "hvornår lukker Stjernen helt": the whole of it, not one of four departments
  [/\b(?:(?:lukke[rst]?|lukket|lukkede|nedlagge[rs]?|nedlagt|close[sd]?|shut) (?:\S+ ){0,3}?(?:helt|fuldstandig\w*|completely|entirely|for good|permanently)|(?:helt|completely|entirely|permanently) (?:lukke\w*|nedlag\w*|close\w*|shut\w*))\b/, /(?<!\p{L})(?:helt|hele|alle|samtlige|fuldt|fuldstændig\p{L}*|permanent\p{L}*|completely|entirely|whole|all)(?!\p{L})/iu],
  // "hvad står der i notatet", "what did the evaluation show": its content reported, not that it is to be written
  [/\b(?:hvad (?:star|stod|stander) der i|hvad (?:siger|sagde|viser|viste|konkluderer|konkluderede) (?:\S+ )?(?:notat\w*|rapport\w*|evaluering\w*|analyse\w*|undersogelse\w*|opgorelse\w*|kortlagning\w*|redegorelse\w*)|what (?:does|did) (?:the )?(?:\S+ )?(?:memo|note|report|evaluation|analysis|survey|review|mapping) (?:say|show|conclude|find)|what (?:is|was) in the (?:\S+ )?(?:memo|note|report))\b/, /(?<!\p{L})(?:viser|viste|fremgår|fremgik|konklu\p{L}*|peger|anbefal\p{L}*|vurder\p{L}*|påvis\p{L}*|dokumenter\p{L}*|beskriver|indeholder|shows?|showed|concludes?|concluded|finds|found|recommends?|recommended)(?!\p{L})/iu],
  // "hvad svarede Socialstyrelsen på brevet": a reply recorded, not the letter
  [/\b(?:svarede|svaret fra|svar fra|replied|reply|responded|response)\b/, /(?<!\p{L})(?:svar\p{L}*|besvar\p{L}*|tilbagemelding\p{L}*|respons\p{L}*|repl\p{L}*|answer\p{L}*)(?!\p{L})/iu],
  // "hvad er hendes stilling": a job title ("centerchef", "leder af"), not just where she works
  [/\b(?:(?<!\b(?:tage|tager|tog|taget|tages) )stilling(?:en)?|(?:job)?titel|job title|position|hvad arbejder)\b/, /\p{L}*(?:chef|leder|direktør|konsulent|koordinator|formand|sekretær|rådgiver|specialist|forstander|fuldmægtig|manager|director|consultant|coordinator|officer)(?:en|er|erne|s)?(?!\p{L})|\bhead of\b/iu],
  // "hvem stemte imod", "who abstained": a vote or a dissent recorded ("undlod at stemme", "tog forbehold")
  [/\b(?:stemte|stemme\w*|afstemning\w*|undlod|(?<!\b(?:tage|tager|tog|taget|tages) )imod|modstander\w*|uenig\w*|opposed?|against|abstain\w*|abstention\w*|voted?|votes|voting|dissent\w*|objected)\b/, /(?<!\p{L})(?:stemte|stemme\p{L}*|afstemning\p{L}*|undlod|imod|modstand\p{L}*|uenig\p{L}*|forbehold|protokol\p{L}*|mindretal\p{L}*|flertal\p{L}*|enstemmig\p{L}*|against|opposed|abstain\p{L}*|vote\p{L}*|unanimous\p{L}*)(?!\p{L})/iu],
];
const askedNotStated = (u: Understood, text: string) => STATED_WHEN_ASKED.some(([asked, stated]) => asked.test(u.folded) && !stated.test(text));

/** Another date asked than the one the question gives: "hvilken ny dato", "flyttet til", "moved to". */
const NEW_DATE_ASKED = /\b(?:ny|nye|nyt|new|anden|andre) (?:dato|datoer|date|dates|tidspunkt)\b|\b(?:flyttet|flyttes|flytte|rykket|rykkes|rykke|moved|postponed|rescheduled) (?:\S+ )?(?:til|to)\b/;

/** Events whose date is asked ("hvornår åbner", "when did it close") and the words a sentence dating them uses. */
const EVENT_DATES: Array<[RegExp, RegExp]> = [
  [/\b(?:abne[rt]?|abnede|abning\w*|opens?|opened|opening)\b/, /(?:åbn|aabn|open|opstart|etabler|opret|igangsæt|start|klar til)/i],
  [/\b(?:lukke[rt]?|lukkede|lukning\w*|closes?|closed|closing|shut\w*)\b/, /(?:luk|nedlæg|nedlag|ophør|afvikl|clos|shut)/i],
  [/\b(?:modes|motes|modtes|meets?|met)\b/, /(?:møde|mødes|mødtes|meet|afhold|seminar|konference)/i],
];
/** A question about a rate or a price per something: "døgntaksten", "pris pr. borger", "om året", "per day". */
const ASKS_RATE = /\b(?:det at (?:vare|deltage|bo|have|bruge|benytte|ga)|\w*takst\w*|\w*pris\w*|rates?|prices?|fees?|pr|per|dogn\w*|daglig\w*|daily|om (?:aret|maneden|dagen)|arlig\w*|yearly|annual\w*|a (?:year|day|month)|each|hver|indbygger\w*|borger\w*|plads\w*|medarbejder\w*|inhabitants?|citizens?|places?|employees?)\b/;
/** What follows an amount that makes it a rate: "50 kr. pr. døgn", "25.000 kr. per medarbejder", "1 mio. kr. om året". */
const RATE_AFTER = /^\s*(?:\S+\s+){0,3}?(?:pr\.?|per|om året|årligt|i døgnet|\/\s*døgn)(?!\p{L})(?!\s*\d)/iu;
/** A rise asked about: "hvor meget steg taksten", "how much will the rate go up". */
const RISE_ASKED = /\b(?:steg|stiger|stige|\w*stigning\w*|\w*forhoj\w*|increase\w*|raise\w*|rise|rose|go(?:es)? up|went up)\b/;
/** ("hæve" folds to "have": read in the question as typed) */
const riseAsked = (u: Understood) => RISE_ASKED.test(u.folded) || /(?<!\p{L})hæv\p{L}*/iu.test(u.question);
/** The size of a rise: "en takststigning på 206 kr.", "hæves med 50 kr.", "an increase of DKK 206". */
const RISE_BY = /(?:stigning|forhøjelse|hævning)\p{L}* (?:på|med) (?:ca\.? |cirka )?\d|(?:hæve|hæves|hæver|hævet|forhøje|forhøjes|forhøjet|stige|stiger|steg|øges|øget) (?:\S+ ){0,3}?med (?:ca\.? |cirka )?\d|(?:increase|rise) (?:of|by) (?:dkk )?\d/iu;
/** A rise stated: "steg", "takststigning", "forhøjes", "fra 1.933 til 2.139", "1.933 (2.139)". */
const RISE_STATED = /(?<!\p{L})(?:steg|stiger|stige\p{L}*|\p{L}*stigning\p{L}*|hæv\p{L}*|\p{L}*forhøj\p{L}*|øge\p{L}*|øget|merudgift\p{L}*|fra [\d.,]+ (?:kr\.? )?til)|[\d.,]+\s*\([\d.,]+\)/iu;

/**
 * A rise stated for the place asked: the nearest place named before the rise is that place ("Hobro Krisecenter 4
 * 1.943 Aalborg Krisecenter 7 1.933 (2.139)" states a rise for Aalborg, not for Hobro).
 */
function riseOf(text: string, places: TermGroup[]): boolean {
  const re = new RegExp(RISE_STATED.source, 'giu');
  return [...text.matchAll(re)].some((m) => {
    const before = tokenize(text.slice(0, m.index)).filter((w) => PLACE_TOKENS.has(skel(w)));
    const last = before[before.length - 1];
    return !last || places.some((p) => groupMatchText(p, last));
  });
}

/** Whether the question gives a person's name (two capitalised words: "før Jørgen Rasmussen"). */
function askedPerson(u: Understood): boolean {
  return personNames(u.question).length > 0;
}

/** Whether the question asks who came before a person it names, as the text spells the name ("før jørgen rasmussen"). */
function predecessorAsked(u: Understood, text: string): boolean {
  return personNames(text).some((n) => new RegExp(`\\b(?:for|inden|before|prior to) ${tokenize(n).map(skel).join(' ')}\\b`).test(u.folded));
}

/**
 * "hvem sad i samrådet før Jørgen Rasmussen": the answer (the sentences and the decision) must name someone besides the
 * person the question names (unless the name is all that is asked: "hvem er Bodil Nissen").
 */
function namesSomeoneElse(u: Understood, text: string): boolean {
  const names = personNames(text);
  // (a name typed in lower case is found by the minutes' spelling of it: "hvem afløser peter møller rasmussen")
  const typed = questionWords(u);
  const givenInFull = (n: string) => tokenize(n).map(skel).every((w) => typed.has(w));
  if (u.answerType !== 'person' || !(askedPerson(u) || names.some(givenInFull))) return true;
  if (u.topic.every((t) => isWeak(t) || names.some((n) => tokenize(n).map(skel).includes(t)))) return true;
  return names.some((n) => !namedIn(u, n));
}

/**
 * "hvem blev udpeget til arbejdsgruppen": who was appointed is recorded in the decision or the recommendation; when
 * those name no one ("Socialdirektørforum godkendte indstillingen" of appointing new members), a list of the group's
 * earlier members in the case text does not answer.
 */
function appointmentNamed(u: Understood, item: ItemRow): boolean {
  if (u.answerType !== 'person' || !APPOINTED.test(u.folded) || !item.decision?.trim()) return true;
  return personNames(`${item.decision}\n${item.recommendation ?? ''}`).length > 0;
}

/** Asks who held a seat before: "før Jørgen Rasmussen", "before the 2016 appointment", "who is she replacing". */
const PREDECESSOR = /(?:\b(?:før|inden|before|prior to) (?:\p{Lu}|den nye|det nye|the new|new|\d{4}|the \d{4}|udpegningen|the appointment)|\bpredecessor|forgænger|\bwho (?:did|is|was) (?:\S+ ){1,5}?(?:replace|replacing|succeed|succeeding)\b|\bhvem (?:afløste|erstattede) (?:hun|han|de)\b)/iu;
/** A sentence on one who steps down or has held the seat. */
const STEPPING_DOWN = /\b(?:stopper|udtræder|udtrådt|fratræder|fratrådt|opsagt|går på pension|har siden|har været|hidtidige|tidligere)\b/i;

/** Asks who was appointed at the meeting ("blev udpeget", "nye medlemmer"), not who holds a seat ("har SDF udpeget"). */
const APPOINTED = /\b(?:blev (?:\S+ ){0,3}?(?:udpeget|valgt)|udpegede|valgte|kom (?:med )?(?:i|ind i)|joined|(?:was|were) (?:\S+ ){0,3}?(?:appointed|elected|chosen)|blev (?:de )?nye?|nye medlemmer|nyt medlem|new members?|new representatives?)\b/;

/** Whether a name in the minutes is one the question gives ("Jørgen Rasmussen" for "før jørgen rasmussen"). */
function namedIn(u: Understood, name: string): boolean {
  const asked = questionWords(u);
  return tokenize(name).map(skel).some((w) => asked.has(w));
}

/** The words of the question as typed, folded ("Jørgen" → "jorgen"). */
function questionWords(u: Understood): Set<string> {
  return new Set(tokenize(u.question).map(skel));
}

/** Words that count people, whatever the minutes call them (folded: "mænd" is "mand", "børn" "born"). */
const PEOPLE_DA = 'medlem\\w*|deltager\\w*|personer|repr\\w*sentant\\w*|borgere|kvinder|mand|born|unge|beboere|brugere';
/** The people a question counts, by what they are or are like ("hvor mange gravide", "how many pregnant women"). */
const PEOPLE_WORDS = new RegExp(`^(?:${PEOPLE_DA}|folk|people|persons|members?|participants?|attendees?|representatives?|gravide|misbrugere|hjemlose|udsatte|aldre|handicappede|women|men|children|pregnant|users|residents)$`);
/** After a number in the minutes ("10 deltagere", "5 nye medlemmer"). */
const PEOPLE_AFTER = new RegExp(`^\\s*(?:\\S+ )?(?:${PEOPLE_DA})\\b`);

/**
 * Finer checks of a fact answer against the question:
 * - "hvem er formand for …": the sentences name the role, not just some people;
 * - "hvor mange borgere …": a number counts the thing asked about ("3 tilbud" does not count citizens);
 * - an amount or count for a year the question names comes from a sentence about that year, not another;
 * - a date asked is neither the date the question gives nor one the minutes say is still to be set;
 * - kroner asked are kroner stated, and a rate before or after a rise is not the size of the rise;
 * - a sum is not a rate, a level before a change is not the change, and the date of an opening is a date of opening;
 * - contact details, job titles, votes, replies, final outcomes and names asked by number ("hvilke 4 kommuner") are
 *   stated as such.
 */
function statesWhatWasAsked(ctx: Ctx, groups: TermGroup[], title: string, text: string, context: string, decision = ''): boolean {
  if (log.isLevelEnabled('trace')) log.trace({ text, context: context.slice(0, 800) }, 'questions: fact sentences');
  const { u } = ctx;
  // "hvor meget steg taksten på Hobro": a table row of Hobro's rate does not say it rose
  const rise = riseAsked(u);
  if (rise && (u.answerType === 'amount' || u.answerType === 'count')) {
    if (!RISE_STATED.test(text)) return false;
  }
  // contact details, a final outcome, a reply, a job title, a vote: asked in so many words, stated in so many words
  if (askedNotStated(u, text)) return false;
  // "hvilke 4 kommuner får lavere takster": four names, not "4 syddanske kommuner opnår reduktion"
  const listed = LIST_ASKED.exec(u.folded);
  // ("hvilke 2 kommuner": two towns, not "Aalborg Kommune" and "Aalborg Krisecenter")
  const towns = listed && /^\s*(?:\S+ )?(?:kommune\w*|byer\w*|municipalit\w*|towns?|cities)\b/.test(u.folded.slice((listed.index ?? 0) + listed[0].length));
  const asked = questionWords(u);
  const names = !listed ? [] : towns ? [...new Set(tokenize(text).map(skel).filter((t) => PLACE_TOKENS.has(t) && !REGION_TOKENS.has(t) && !asked.has(t)))] : namesIn(text, u);
  if (listed && names.length < Math.min(NUMBER_WORDS[listed[1]] ?? Number(listed[1]), 6)) return false;
  if (u.answerType === 'date') {
    // "hvilken dato blev mødet 27. marts 2015 flyttet til": the date the question gives is not the answer
    const given = new Set(daysNamed(u.question));
    const stated = daysNamed(text);
    if (given.size && stated.length && stated.every((d) => given.has(d))) return false;
    // "hvilken ny dato fik mødet i marts 2015": a date outside the month the question gives
    const f = u.time.filter;
    if (NEW_DATE_ASKED.test(u.folded) && f?.from && f.precision === 'month' && !stated.some((d) => Number(d.split(' ')[1]) !== Number(f.from!.slice(5, 7)))) return false;
    // "hvilken dato er studieturen i 2018 fastsat til": a date beyond the year the question gives ("en mulig studietur i
    // 2018" dates nothing); "hvilken dato" asks a day or a month
    const beyond = text.replace(/(?<!\d)(?:19|20)\d\d(?!\d)/g, (y) => (asked.has(y) ? ' ' : y));
    if (!statesAnswerType('date', beyond)) return false;
    if (/\b(?:hvilken dato|hvilke datoer|what date|which date|which day|hvilken dag)\b/.test(u.folded) && !stated.length && !/\d{1,2}[./]\d{1,2}|(?<!\p{L})(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|january|february|march|may|june|july|october)(?!\p{L})/iu.test(beyond)) return false;
    // "hvornår åbner det nye tilbud": a date of the opening (or closing), not another date of the item
    for (const [asked, stated] of EVENT_DATES) if (asked.test(u.folded) && !sentences(text).some((x) => stated.test(x) && statesAnswerType('date', x))) return false;
    // "hvilken dato blev fællesmødet lagt": "… finder en dato for møde mellem …" says it is not set; another date in the
    // quote belongs to something else
    const content = groups.filter((g) => !g.numeric && !isWeak(g.token) && g.idf >= 0.5);
    if (sentences(text).some((x) => DATE_NOT_SET.test(x) && content.filter((g) => groupMatchText(g, x)).length >= Math.min(2, content.length))) return false;
  }
  // "hvor stort var underskuddet i kr": kroner asked, kroner stated (not a count of places or a share)
  if (u.answerType === 'amount' && MONEY_ASKED.test(u.folded) && !/(?<!\p{L})(?:kr|mio|mia|dkk)(?!\p{L})|kroner|\d{1,3}(?:\.\d{3}){1,}/iu.test(text)) return false;
  if (u.answerType === 'amount' && ASKS_LEVEL.test(u.folded)) {
    // "hvad er døgntaksten efter stigningen": the rate itself, not only how much it rises ("hævet med 50 kr.")
    const amounts = [...text.matchAll(/\d[\d.,]*\s*(?:kr\.?|kroner|mio\.?)|\d{1,3}(?:\.\d{3})+/gi)];
    const delta = (m: RegExpMatchArray) => /(?:(?<!\p{L})(?:hæv|stige|øge|reducer|sænk|nedsæt)\p{L}*|stigning\p{L}*|forhøj\p{L}*)\s+(?:\S+\s+){0,2}(?:med|på)\s*$/iu.test(text.slice(Math.max(0, (m.index ?? 0) - 50), m.index));
    if (amounts.length && amounts.every(delta)) return false;
  }
  if (u.answerType === 'amount' && !rise && !ASKS_RATE.test(u.folded)) {
    // "hvad kostede ombygningen": a sum, and "taksten hæves med 50 kr. pr. døgn" is a rate, not what it cost
    const amounts = [...text.matchAll(/\d[\d.,]*\s*(?:kr\.?|kroner|mio\.?|mia\.?)(?!\p{L})/giu)];
    const rate = (m: RegExpMatchArray) => RATE_AFTER.test(text.slice((m.index ?? 0) + m[0].length, (m.index ?? 0) + m[0].length + 30));
    if (amounts.length && amounts.every(rate)) return false;
  }
  if (u.answerType === 'amount' || u.answerType === 'count') {
    // "hvor meget steg taksten på Hjørring Krisecenter": the town named in the sentence or table row that states the
    // amount (and the rise), not only somewhere in the item (a region is often just where the forum is)
    // (a count, only for a town the item's title does not name: "hvor mange sager havde Odense" is not the total)
    const places = groups.filter((g) => PLACE_TOKENS.has(g.token) && !REGION_TOKENS.has(g.token) && (u.answerType === 'amount' || !groupMatchText(g, title)));
    const stating = sentences(text).filter((x) => statesAnswerType(u.answerType, x));
    if (places.length && stating.length && !stating.some((x) => places.every((p) => groupMatchText(p, x)) && (!rise || riseOf(x, places)))) return false;
  }
  if (u.answerType === 'person') {
    const role = groups.find((g) => ROLE_WORDS.has(g.token));
    if (role && !groupMatchText(role, text)) return false;
    // "hvad hedder borgmesteren", "hvem er formand", "names please": a person's name, not just "borgmesteren i Middelfart"
    // (so do the members of a body: "hvem sad i forretningsudvalget" is not answered by "Forretningsudvalget indstiller")
    if ((role || NAME_ASKED.test(u.folded)) && !namesPerson(text) && !namedFrom(u, decision)) return false;
    // (and the role's holder is named beside the role: "borgmesteren i Middelfart er formand for KKR" names no one)
    // ("Formand for arbejdsgruppen, Tommy Neesgaard" names the chair of another body than the one asked about)
    const ofOther = (x: string) => [...x.matchAll(/\b(?:formand|formanden|forperson|leder|lederen|chef|direktør|koordinator)\s+(?:for|i|af)\s+(?:den |det )?(\p{L}+)/giu)].some((m) => {
      const body = skel(m[1].toLowerCase());
      return !groups.some((g) => g.token === body || groupMatchText(g, m[1])) && !ctx.forums.some((f) => tokenize(`${f.name} ${f.shortNames.join(' ')}`).map(skel).includes(body));
    });
    if (role && !sentences(text).some((x) => groupMatchText(role, x) && namesPerson(x) && !ofOther(x))) return false;
    // "formand for KL": the role and the body it leads in one sentence ("Formand for FU, Jan Nielsen" does not say)
    const of = role ? new RegExp(`\\b${role.token}\\w* (?:for|of|i|in) (?:the )?(\\S+)`).exec(u.folded) : null;
    // ("formand for FU": the body by its short name, searched by its full name)
    const short = of ? ctx.allForums.find((f) => f.shortNames.some((n) => skel(n.toLowerCase()) === of[1])) : undefined;
    const bodyWords = of ? [of[1], ...(short ? tokenize(short.name).map(skel) : [])] : [];
    const body = of ? groups.find((g) => bodyWords.includes(g.token) && !g.numeric) : null;
    if (role && body && !sentences(text).some((x) => groupMatchText(role, x) && groupMatchText(body, x))) return false;
  }
  if ((u.answerType === 'count' || u.answerType === 'amount') && LEVEL_AROUND_CHANGE.test(u.folded) && !LEVEL_STATED.test(text)) {
    // "hvor mange pladser havde Tippen før udvidelsen": "en udvidelse med 7 pladser" gives the change, not the level
    return false;
  }
  if (u.answerType === 'count') {
    // the counted thing: up to three words after "hvor mange" ("hvor mange gravide kvinder": "0 kvinder" counts it)
    const m = /\b(?:hvor mange|how many|antal(?:let)? (?:af )?|number of)\s+(\S+)(?:\s+(\S+))?(?:\s+(\S+))?/.exec(u.folded);
    // ("hvor mange gange om året": any number of times)
    const nouns = m && !/^(?:gange?|times)$/.test(m[1]) ? m.slice(1).flatMap((w) => groups.filter((g) => g.token === w && !g.numeric)) : [];
    if (nouns.length) {
      // people counted are people whatever they are called: "medlemmer" of a panel are its "10 deltagere"
      const people = nouns.some((g) => PEOPLE_WORDS.test(g.token));
      const near = [...text.matchAll(/(?<![\d.,])(\d+(?:[.,]\d+)*)(?![\d.,])/g)].some((n) => {
        if (/^(?:19|20)\d\d$/.test(n[1])) return false;
        // "25.000 kr. per medarbejder" is an amount, not a count of employees
        if (/^\s*(?:kr\b|kroner|dkk|mio|mia|%|procent|pct)/i.test(text.slice((n.index ?? 0) + n[0].length, (n.index ?? 0) + n[0].length + 10))) return false;
        const around = text.slice(Math.max(0, (n.index ?? 0) - 40), (n.index ?? 0) + n[0].length + 30);
        const after = tokenize(text.slice((n.index ?? 0) + n[0].length, (n.index ?? 0) + n[0].length + 30)).map(skel).join(' ');
        return nouns.some((g) => groupMatchText(g, around)) || (people && PEOPLE_AFTER.test(after));
      });
      if (!near) return false;
    }
  }
  if ((u.answerType === 'amount' || u.answerType === 'count') && u.time.filter?.soft && !title.includes(u.time.filter.text)) {
    // of the sentences that state an amount and name a year, one is about the year asked
    const year = u.time.filter.text;
    const stating = sentences(text).filter((x) => statesAnswerType(u.answerType, x.replace(/(?<!\d)(?:19|20)\d\d(?!\d)/g, '')));
    const yearsOf = (x: string) => [...x.matchAll(/(?<!\d)((?:19|20)\d\d)(?!\d)/g)].map((y) => y[1]);
    const dated = stating.filter((x) => yearsOf(x).length > 0);
    if (dated.length && !dated.some((x) => yearsOf(x).includes(year))) return false;
  }
  return true;
}


/**
 * A person's name asked for, whatever the minutes call the role: "hvad hedder", "hvem sidder i", "hvem fra Kolding",
 * "hvem blev ansat", "hvem tog referat", "who became the new chair", "members".
 */
const NAME_ASKED = /\b(?:hvad hedder|hvad hed|navn(?:et|ene)? pa|names?|hvilke personer|which people|hvem fra|who from|hvem (?:blev |er |bliver )?ansat|who (?:was |is )?(?:hired|employed)|hvem tog referat|referent\w*|who took (?:the )?minutes|minutes taker|hvem (?:sad|sidder|sidde|er med|var med)|hvem (?:blev|er|bliver) (?:ny |nye |den nye )?(?:tovholder\w*|formand\w*|nastformand\w*|leder\w*|koordinator\w*|kontaktperson\w*|repr\w*sentant\w*|medlem\w*)|who (?:became|is|will be) (?:the )?(?:new )?(?:chair\w*|coordinator|lead|leader|contact person|representative|member)|who (?:sits?|sat|is on|are on|was on|were on)|medlem\w*|members?|reprasentant\w*|representatives?)\b/;

/** "hvem fra Kolding …": the decision, quoted after the sentences, names someone beside the place ("Kolding: Gülcan Güven Grud"). */
function namedFrom(u: Understood, decision: string): boolean {
  const from = /\b(?:hvem|who) (?:fra|from) (\S+)/.exec(u.folded);
  return !!from && sentences(decision).some((x) => namesPerson(x) && tokenize(x).map(skel).includes(from[1]));
}

/** Names the user capitalised (places, offers, people) must appear in the answer or the item's title. */
function entitiesStated(u: Understood, groups: TermGroup[], text: string): boolean {
  const names = [...u.question.matchAll(/(?<=\s)\p{Lu}[\p{L}]+/gu)].map((m) => skel(m[0].toLowerCase()));
  for (const n of names) {
    const g = groups.find((x) => x.token === n);
    if (!g || g.numeric) continue;
    if (!groupMatchText(g, text)) return false;
  }
  return true;
}

/** Why the quoted sentences do not answer the question, or null when they do (each check below says what it catches). */
function factRefusal(ctx: Ctx, groups: TermGroup[], it: ItemRow, fact: { text: string; context: string }): string | null {
  const { u } = ctx;
  // the sentences do not name what the question names ("Esbjerg Krisecenter" when the table lists others)
  if (!entitiesStated(u, groups, `${it.title}\n${fact.context}`) || !specificStated(u, groups, it, fact.context)) return 'name not in the sentences';
  // ("hvem sad i samrådet før jørgen rasmussen": the one appointed after him, in the decision, is not the answer)
  if (!namesSomeoneElse(u, predecessorAsked(u, fact.text) ? fact.text : `${fact.text}\n${it.decision ?? ''}`)) return 'names only the person asked about';
  if (!appointmentNamed(u, it)) return 'the decision names no one';
  if (!statesAnswerType(u.answerType, fact.text)) return `no ${u.answerType} stated`;
  if (!statesWhatWasAsked(ctx, groups, it.title, fact.text, fact.context, it.decision ?? '')) return 'not what was asked';
  return null;
}

/**
 * The rarest word the question names, when the item states it outside its title, must be in the sentences quoted:
 * a sentence on how rates are set in general does not give Pomonahuset's rate, though the item names Pomonahuset.
 * (Only for amounts, counts and dates: a number belongs to its subject, a name or a place may be given a sentence away.)
 */
function specificStated(u: Understood, groups: TermGroup[], item: ItemRow, text: string): boolean {
  if (!['amount', 'count', 'date'].includes(u.answerType)) return true;
  // (the first part of a compound written short, "døgn- og aflastningssted", names nothing alone)
  const prefixes = new Set([...u.question.matchAll(/(\p{L}+)-(?=\s|,)/gu)].map((m) => skel(m[1].toLowerCase())));
  const named = groups.filter((g) => !g.numeric && !isWeak(g.token) && !prefixes.has(g.token) && g.alts.some((a) => a.kind === 'exact'));
  const rarest = named.sort((a, b) => b.idf - a.idf)[0];
  if (!rarest || named.some((g) => g !== rarest && g.idf >= rarest.idf)) return true;
  if (groupMatchText(rarest, item.title) || !groupMatchText(rarest, itemText(item))) return true;
  return groupMatchText(rarest, text);
}

/** Whether the item is about what the question names: in its title, recommendation or decision, or twice in its case text. */
function mentionedBeyondPassing(groups: TermGroup[], item: ItemRow): boolean {
  const named = groups.filter((g) => !g.numeric && !isWeak(g.token) && g.idf >= 0.5);
  if (!named.length) return true;
  const main = `${item.title}\n${item.recommendation ?? ''}\n${item.decision ?? ''}`;
  if (named.some((g) => groupMatchText(g, main))) return true;
  // or said more than once in the case text
  const bg = sentences(item.background ?? '');
  return named.some((g) => bg.filter((x) => groupMatchText(g, x)).length >= 2);
}

function softMatch(ctx: Ctx, intent: AnswerIntent, scored: Scored[]): boolean {
  const { u } = ctx;
  const [top, second] = scored;
  // (names and dates; amounts only when nearly every word is found: an item's sentences hold many numbers,
  // and one of them is easily the wrong one)
  if (!top || intent !== 'fact' || !['person', 'date', 'amount'].includes(u.answerType)) return false;
  const floor = u.answerType === 'person' || u.answerType === 'date' ? 0.55 : 0.85;
  if (top.coverage < floor || top.passageCoverage < 0.4 || (second && second.score > 0.85 * top.score)) return false;
  // a missing name, place or number is the thing the minutes lack, not a paraphrase
  const caps = new Set([...u.question.matchAll(/(?<=\s)\p{Lu}[\p{L}]+/gu)].map((m) => skel(m[0].toLowerCase())));
  return top.missing.every((w) => !caps.has(w) && !PLACE_TOKENS.has(w) && !/\d/.test(w));
}

/** "Det kan jeg ikke finde" with the nearest items; why is logged at debug level (LOG_LEVEL=debug). */
function dontKnow(ctx: Ctx, intent: AnswerIntent, why: string, scored: Scored[]): Answer {
  const { lang } = ctx;
  ctx.refusal = { why, scored };
  const t = scored[0];
  if (log.isLevelEnabled('debug')) log.debug({ why, question: ctx.u.question, top: t && `${t.item.meeting_date} #${t.item.number}`, coverage: t?.coverage, passage: t?.passageCoverage, missing: t?.missing }, "questions: don't know");
  const near = scored.filter((s) => s.coverage >= 0.34).slice(0, 3);
  let text: string = T.dontKnow[lang];
  if (near.length) text += `\n${T.nearest[lang]}\n${near.map((s) => `• ${s.item.forum}, ${fmtDate(s.item.meeting_date, lang)}, ${T.item[lang]} ${s.item.number}: ${s.item.title}`).join('\n')}`;
  const more = near.map((s) => itemSource(s, s.item.decision ?? s.item.title, 0.6 * s.coverage + 0.4 * s.passageCoverage));
  return plain(false, intent, text, lang, { more });
}
