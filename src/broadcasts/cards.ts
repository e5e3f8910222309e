import { DateTime } from 'luxon';
import { z } from 'zod';
import { renderCard, type AdaptiveCardJson } from '../cards/render';
import type { Outcome } from '../minutes/model';
import type { StoredMeeting } from '../store/meetings';
import { ZONE } from '../store/time';
import type { DeliveryReport } from './outbox';

/** Cards of the broadcasts capability: pure functions of data, filled from cards/*.json templates. */

export type Lang = 'da' | 'en';

const Fact = z.object({ label: z.string(), value: z.string() });

/** `data.action` of the task/fetch that "Vis hele referatet" on the minutes summary sends. */
export const MINUTES_DIALOG_ACTION = 'broadcasts.minutes';

export const OUTCOME_BADGES: Record<Outcome, { da: string; en: string; color: string } | null> = {
  approved: { da: 'Godkendt', en: 'Approved', color: 'Good' },
  noted: { da: 'Taget til efterretning', en: 'Noted', color: 'Accent' },
  discussed: { da: 'Drøftet', en: 'Discussed', color: 'Default' },
  postponed: { da: 'Udsat', en: 'Postponed', color: 'Warning' },
  not_approved: { da: 'Ikke godkendt', en: 'Not approved', color: 'Attention' },
  other: null,
};

// ---- formatting --------------------------------------------------------------------------------

/** "fredag den 3. oktober 2014 kl. 9.00" (or the date alone when no time is known). */
export function formatMeetingTime(start: string | null, end: string | null, lang: Lang = 'da'): string | null {
  if (!start) return null;
  const timed = /T\d{2}:\d{2}/.test(start);
  const s = DateTime.fromISO(start, { setZone: true }).setZone(ZONE).setLocale(lang === 'en' ? 'en-GB' : 'da');
  if (!s.isValid) return start;
  const date = lang === 'en' ? s.toFormat('cccc d LLLL yyyy') : s.toFormat("cccc 'den' d. LLLL yyyy");
  if (!timed) return date;
  const hm = (d: DateTime) => (lang === 'en' ? d.toFormat('HH:mm') : d.toFormat('H.mm'));
  let out = `${date} ${lang === 'en' ? 'at' : 'kl.'} ${hm(s)}`;
  if (end && /T\d{2}:\d{2}/.test(end)) {
    const e = DateTime.fromISO(end, { setZone: true }).setZone(ZONE);
    if (e.isValid && e.hasSame(s, 'day')) out += `–${hm(e)}`;
  }
  return out;
}

/** The first sentence of a decision, at most `max` characters. */
export function oneSentence(text: string | null | undefined, max = 220): string | null {
  if (!text) return null;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  const m = /^(.+?[.!?])(?=\s+[A-ZÆØÅ0-9"»(]|$)/.exec(clean);
  let s = m ? m[1] : clean;
  if (s.length > max) s = `${s.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
  return s;
}

function short(text: string | null | undefined, max: number): string | null {
  if (!text) return null;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (!clean) return null;
  return clean.length > max ? `${clean.slice(0, max - 1).replace(/\s+\S*$/, '')}…` : clean;
}

const person = (p: { name: string; organisation: string | null }) => (p.organisation ? `${p.name} (${p.organisation})` : p.name);

// ---- minutes summary ---------------------------------------------------------------------------

/** An item's number, title and outcome badge, as ItemHead wants them. */
function itemHead(i: { number: number; title: string; outcome?: string | null }, lang: 'da' | 'en') {
  const b = i.outcome ? OUTCOME_BADGES[i.outcome as keyof typeof OUTCOME_BADGES] : null;
  return { number: i.number, title: i.title, hasBadge: !!b, badge: b ? b[lang] : '', badgeColor: (b?.color ?? 'Default') as 'Default' };
}

/** Number, title and outcome badge of an item: the same on the summary card and in the full minutes. */
const ItemHead = {
  number: z.number().int(),
  title: z.string(),
  hasBadge: z.boolean(),
  badge: z.string(),
  badgeColor: z.enum(['Default', 'Good', 'Warning', 'Attention', 'Accent']),
};

export const MinutesSummaryData = z.object({
  fallbackText: z.string(),
  kicker: z.string(),
  title: z.string(),
  facts: z.array(Fact),
  items: z.array(
    z.object({
      ...ItemHead,
      hasDecision: z.boolean(),
      decision: z.string(),
    }),
  ),
  /** "Vis hele referatet" opens a Teams dialog (task/fetch with this action and token); see fullMinutesCard. */
  dialogAction: z.literal(MINUTES_DIALOG_ACTION),
  minutesToken: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/),
  labels: z.object({ openMinutes: z.string() }),
});

/**
 * The minutes summary posted to the forum's channels. "Vis hele referatet" is an Action.Submit with
 * `msteams: {type: 'task/fetch'}`: Teams asks the bot for a dialog, which shows fullMinutesCard (or the
 * minutes page when the card would be too large). Clients without cards get the page's URL in fallbackText.
 */
export function minutesSummaryCard(m: StoredMeeting, opts: { minutesUrl: string; minutesToken: string; lang?: Lang }): AdaptiveCardJson {
  const lang = opts.lang ?? 'da';
  const da = lang === 'da';
  const title = m.title ?? (da ? `Møde i ${m.forum}` : `Meeting of ${m.forum}`);
  const facts: Array<{ label: string; value: string }> = [];
  const when = formatMeetingTime(m.start, m.end, lang);
  if (when) facts.push({ label: da ? 'Dato' : 'Date', value: when });
  if (m.location) facts.push({ label: da ? 'Sted' : 'Place', value: m.location });
  facts.push({ label: da ? 'Deltagere' : 'Attended', value: da ? `${m.participants.length} deltog` : `${m.participants.length} attended` });
  facts.push({
    label: da ? 'Afbud' : 'Apologies',
    value: m.absent.length ? m.absent.map(person).join(', ') : da ? 'Ingen' : 'None',
  });
  const items = m.items.map((i) => {
    const decision = oneSentence(i.decision);
    return {
      ...itemHead(i, lang),
      hasDecision: !!decision,
      decision: decision ?? '',
    };
  });
  return renderCard('minutes-summary', MinutesSummaryData, {
    fallbackText: `${da ? 'Referat' : 'Minutes'}: ${title}. ${da ? 'Hele referatet' : 'The full minutes'}: ${opts.minutesUrl}`,
    kicker: da ? `Referat · ${m.forum}` : `Minutes · ${m.forum}`,
    title,
    facts,
    items,
    dialogAction: MINUTES_DIALOG_ACTION,
    minutesToken: opts.minutesToken,
    labels: { openMinutes: da ? 'Vis hele referatet' : 'Show the full minutes' },
  });
}

// ---- the full minutes (dialog) -----------------------------------------------------------------

export const FullMinutesData = z.object({
  fallbackText: z.string(),
  kicker: z.string(),
  title: z.string(),
  hasFacts: z.boolean(),
  facts: z.array(Fact),
  hasParticipants: z.boolean(),
  participants: z.array(z.object({ line: z.string() })),
  hasAbsent: z.boolean(),
  absent: z.array(z.object({ line: z.string() })),
  noItems: z.boolean(),
  items: z.array(
    z.object({
      ...ItemHead,
      sections: z.array(z.object({ heading: z.string(), text: z.string().min(1) })),
    }),
  ),
  pageUrl: z.string().url(),
  labels: z.object({ participants: z.string(), absent: z.string(), noItems: z.string(), openInBrowser: z.string() }),
});

/** A section's text for one TextBlock: paragraphs kept (blank line), spaces tidied. */
function fullText(text: string | null | undefined): string {
  return (text ?? '')
    .split(/\n/)
    .map((l) => l.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The whole minutes (or agenda) for the "Vis hele referatet" dialog: the header, who attended and who sent
 * apologies, and every item in full (background, recommendation, decision, attachments). `pageUrl` is the
 * same text as a web page ("Åbn i browseren").
 */
export function fullMinutesCard(m: StoredMeeting, opts: { pageUrl: string; lang?: Lang }): AdaptiveCardJson {
  const lang = opts.lang ?? 'da';
  const da = lang === 'da';
  const title = m.title ?? (da ? `Møde i ${m.forum}` : `Meeting of ${m.forum}`);
  const isMinutes = m.status === 'minutes';
  const kind = isMinutes ? (da ? 'Referat' : 'Minutes') : da ? 'Dagsorden' : 'Agenda';
  const facts: Array<{ label: string; value: string }> = [];
  const when = formatMeetingTime(m.start, m.end, lang);
  if (when) facts.push({ label: da ? 'Dato' : 'Date', value: when });
  if (m.location) facts.push({ label: da ? 'Sted' : 'Place', value: m.location });
  if (m.nextMeeting) facts.push({ label: da ? 'Næste møde' : 'Next meeting', value: formatMeetingTime(m.nextMeeting, null, lang) ?? m.nextMeeting });
  const headings = da
    ? { background: 'Sagsfremstilling', recommendation: 'Indstilling', decision: 'Beslutning', attachments: 'Bilag' }
    : { background: 'Background', recommendation: 'Recommendation', decision: 'Decision', attachments: 'Attachments' };
  return renderCard('minutes-full', FullMinutesData, {
    fallbackText: `${kind}: ${title}. ${opts.pageUrl}`,
    kicker: `${kind} · ${m.forum}`,
    title,
    hasFacts: facts.length > 0,
    facts,
    hasParticipants: m.participants.length > 0,
    participants: m.participants.map((p) => ({ line: person(p) })),
    hasAbsent: m.absent.length > 0,
    absent: m.absent.map((p) => ({ line: person(p) })),
    noItems: m.items.length === 0,
    items: m.items.map((i) => {
      const sections = [
        { heading: headings.background, text: fullText(i.background) },
        { heading: headings.recommendation, text: fullText(i.recommendation) },
        { heading: headings.decision, text: fullText(i.decision) },
        { heading: headings.attachments, text: fullText(i.attachments.join('\n\n')) },
      ].filter((x) => x.text.length > 0);
      return { ...itemHead(i, lang), sections };
    }),
    pageUrl: opts.pageUrl,
    labels: {
      participants: da ? `Deltagere (${m.participants.length})` : `Attended (${m.participants.length})`,
      absent: da ? `Afbud (${m.absent.length})` : `Apologies (${m.absent.length})`,
      noItems: da ? 'Der er ingen punkter.' : 'There are no items.',
      openInBrowser: da ? 'Åbn i browseren' : 'Open in the browser',
    },
  });
}

// ---- agenda (and reminders) --------------------------------------------------------------------

export const AgendaData = z.object({
  fallbackText: z.string(),
  kicker: z.string(),
  title: z.string(),
  facts: z.array(Fact),
  items: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      hasRecommendation: z.boolean(),
      recommendation: z.string(),
      hasAttachments: z.boolean(),
      attachments: z.string(),
    }),
  ),
  noItems: z.boolean(),
  icsUrl: z.string().url(),
  labels: z.object({ addToCalendar: z.string(), noItems: z.string() }),
});

export function agendaCard(m: StoredMeeting, opts: { icsUrl: string; lang?: Lang; reminder?: { offsetMs: number } }): AdaptiveCardJson {
  const lang = opts.lang ?? 'da';
  const da = lang === 'da';
  const title = m.title ?? (da ? `Møde i ${m.forum}` : `Meeting of ${m.forum}`);
  const facts: Array<{ label: string; value: string }> = [];
  const when = formatMeetingTime(m.start, m.end, lang);
  if (when) facts.push({ label: da ? 'Tidspunkt' : 'Time', value: when });
  if (m.location) facts.push({ label: da ? 'Sted' : 'Place', value: m.location });
  const kicker = opts.reminder
    ? `${da ? 'Påmindelse' : 'Reminder'}: ${reminderPhrase(opts.reminder.offsetMs, lang)} · ${m.forum}`
    : `${da ? 'Dagsorden' : 'Agenda'} · ${m.forum}`;
  return renderCard('agenda', AgendaData, {
    fallbackText: `${opts.reminder ? (da ? 'Påmindelse' : 'Reminder') : da ? 'Dagsorden' : 'Agenda'}: ${title}${when ? `, ${when}` : ''}`,
    kicker,
    title,
    facts,
    items: m.items.map((i) => {
      const rec = short(i.recommendation, 400);
      return {
        number: i.number,
        title: i.title,
        hasRecommendation: !!rec,
        recommendation: rec ? `${da ? 'Indstilling' : 'Recommendation'}: ${rec}` : '',
        hasAttachments: i.attachments.length > 0,
        attachments: i.attachments.length ? `${da ? 'Bilag' : 'Attachments'}: ${i.attachments.join(', ')}` : '',
      };
    }),
    noItems: m.items.length === 0,
    icsUrl: opts.icsUrl,
    labels: { addToCalendar: da ? 'Tilføj til kalender' : 'Add to calendar', noItems: da ? 'Dagsordenen har endnu ingen punkter.' : 'The agenda has no items yet.' },
  });
}

export function reminderPhrase(offsetMs: number, lang: Lang): string {
  const h = Math.round(offsetMs / 3_600_000);
  const da = lang === 'da';
  if (h === 24) return da ? 'mødet er i morgen' : 'the meeting is tomorrow';
  if (h >= 24 && h % 24 === 0) return da ? `mødet er om ${h / 24} dage` : `the meeting is in ${h / 24} days`;
  if (h >= 1) return da ? `mødet begynder om ${h} ${h === 1 ? 'time' : 'timer'}` : `the meeting starts in ${h} hour${h === 1 ? '' : 's'}`;
  const min = Math.max(1, Math.round(offsetMs / 60_000));
  return da ? `mødet begynder om ${min} minutter` : `the meeting starts in ${min} minutes`;
}

// ---- delivery report ---------------------------------------------------------------------------

export const DeliveryReportData = z.object({
  fallbackText: z.string(),
  title: z.string(),
  broadcastId: z.string(),
  sent: z.string(),
  failed: z.string(),
  pending: z.string(),
  total: z.string(),
  hasFailures: z.boolean(),
  failures: z.array(z.object({ name: z.string(), reason: z.string() })),
  hasMore: z.boolean(),
  more: z.string(),
  labels: z.object({ heading: z.string(), sent: z.string(), failed: z.string(), pending: z.string(), total: z.string(), failures: z.string(), refresh: z.string() }),
});

const KIND_NAMES: Record<string, { da: string; en: string }> = {
  minutes: { da: 'Referat', en: 'Minutes' },
  agenda: { da: 'Dagsorden', en: 'Agenda' },
  reminder: { da: 'Påmindelse', en: 'Reminder' },
  procedure: { da: 'Skriftlig procedure', en: 'Written procedure' },
  report: { da: 'Leveringsrapport', en: 'Delivery report' },
};

export function deliveryReportCard(r: DeliveryReport, opts: { lang?: Lang; meetingTitle?: string | null } = {}): AdaptiveCardJson {
  const lang = opts.lang ?? 'da';
  const da = lang === 'da';
  const kind = KIND_NAMES[r.broadcast.kind]?.[lang] ?? r.broadcast.kind;
  const title = `${kind}${opts.meetingTitle ? `: ${opts.meetingTitle}` : r.broadcast.meetingId ? `: ${r.broadcast.meetingId}` : ''}`;
  const failed = r.targets.filter((t) => t.status === 'failed');
  const shown = failed.slice(0, 20);
  return renderCard('delivery-report', DeliveryReportData, {
    fallbackText: `${title}: ${r.counts.sent}/${r.counts.total}`,
    title,
    broadcastId: r.broadcast.id,
    sent: String(r.counts.sent),
    failed: String(r.counts.failed),
    pending: String(r.counts.pending),
    total: String(r.counts.total),
    hasFailures: failed.length > 0,
    failures: shown.map((t) => ({ name: t.name ?? t.conversationId, reason: short(t.reason, 160) ?? (da ? 'ukendt fejl' : 'unknown error') })),
    hasMore: failed.length > shown.length,
    more: da ? `… og ${failed.length - shown.length} flere` : `… and ${failed.length - shown.length} more`,
    labels: {
      heading: da ? 'Leveringsrapport' : 'Delivery report',
      sent: da ? 'Sendt' : 'Sent',
      failed: da ? 'Fejlet' : 'Failed',
      pending: da ? 'Afventer' : 'Pending',
      total: da ? 'Modtagere i alt' : 'Targets',
      failures: da ? 'Ikke leveret' : 'Not delivered',
      refresh: da ? 'Opdater' : 'Refresh',
    },
  });
}

// ---- import result -----------------------------------------------------------------------------

export const ImportResultData = z.object({
  fallbackText: z.string(),
  title: z.string(),
  facts: z.array(Fact),
  hasDecisions: z.boolean(),
  noDecisions: z.boolean(),
  decisionItems: z.array(z.object({ line: z.string() })),
  meetingId: z.string(),
  canPostMinutes: z.boolean(),
  canSendAgenda: z.boolean(),
  labels: z.object({
    heading: z.string(),
    decisions: z.string(),
    noDecisions: z.string(),
    postMinutes: z.string(),
    sendAgenda: z.string(),
    sendAgendaPersonal: z.string(),
  }),
});

export function importResultCard(
  m: StoredMeeting,
  opts: { fileName: string; result: 'created' | 'updated' | 'unchanged'; lang?: Lang; linkedChannels: number },
): AdaptiveCardJson {
  const lang = opts.lang ?? 'da';
  const da = lang === 'da';
  const title = m.title ?? (da ? `Møde i ${m.forum}` : `Meeting of ${m.forum}`);
  const statusName = { planned: da ? 'planlagt møde' : 'planned meeting', agenda: da ? 'dagsorden' : 'agenda', minutes: da ? 'referat' : 'minutes' }[m.status];
  const resultName = { created: da ? 'nyt møde' : 'new meeting', updated: da ? 'opdateret' : 'updated', unchanged: da ? 'uændret (allerede importeret)' : 'unchanged (already imported)' }[opts.result];
  const withDecision = m.items.filter((i) => !!i.decision || (i.outcome && i.outcome !== 'other'));
  const facts = [
    { label: da ? 'Fil' : 'File', value: opts.fileName },
    { label: 'Forum', value: m.forum },
    { label: da ? 'Møde' : 'Meeting', value: m.id },
    { label: da ? 'Dato' : 'Date', value: formatMeetingTime(m.start, m.end, lang) ?? (da ? 'ukendt' : 'unknown') },
    { label: da ? 'Dokument' : 'Document', value: `${statusName} (${resultName})` },
    { label: da ? 'Punkter' : 'Items', value: String(m.items.length) },
    { label: da ? 'Med beslutning' : 'With a decision', value: String(withDecision.length) },
    { label: da ? 'Tilknyttede kanaler' : 'Linked channels', value: String(opts.linkedChannels) },
  ];
  return renderCard('import-result', ImportResultData, {
    fallbackText: `${da ? 'Importeret' : 'Imported'}: ${title}`,
    title,
    facts,
    hasDecisions: withDecision.length > 0,
    noDecisions: withDecision.length === 0,
    decisionItems: withDecision.map((i) => {
      const b = i.outcome ? OUTCOME_BADGES[i.outcome] : null;
      return { line: `${i.number}. ${i.title}${b ? ` (${b[lang].toLowerCase()})` : ''}` };
    }),
    meetingId: m.id,
    canPostMinutes: m.status === 'minutes',
    canSendAgenda: m.status !== 'minutes' && m.kind === 'meeting',
    labels: {
      heading: da ? 'Dokument læst' : 'Document read',
      decisions: da ? 'Punkter med beslutning' : 'Items with a decision',
      noDecisions: da ? 'Ingen punkter har en beslutning endnu.' : 'No item has a decision yet.',
      postMinutes: da ? 'Post referat i kanalen' : 'Post the minutes summary',
      sendAgenda: da ? 'Send dagsorden til kanalen' : 'Send the agenda to the channel',
      sendAgendaPersonal: da ? 'Send dagsorden til kanal og medlemmer' : 'Send the agenda to channel and members',
    },
  });
}
