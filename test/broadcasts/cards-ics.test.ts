import { agendaCard, deliveryReportCard, fullMinutesCard, importResultCard, minutesSummaryCard, oneSentence, formatMeetingTime } from '../../src/broadcasts/cards';
import { meetingIcs } from '../../src/broadcasts/ics';
import { minutesPage } from '../../src/broadcasts/routes';
import type { StoredMeeting } from '../../src/store/meetings';
import { expectValidCard } from '../support/cards';
import { cardText } from '../support/bot-client';
import { FICTIONAL_MEETING } from '../server/fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeIcal = require('node-ical');

const meeting: StoredMeeting = {
  ...FICTIONAL_MEETING,
  id: 'dfv-2025-03-12',
  forum: 'Direktørforum Vadehavet',
  forumId: 'direktoerforum-vadehavet',
  origin: 'document',
  items: [
    ...FICTIONAL_MEETING.items,
    { number: 3, title: 'Orientering om kystsikring', background: null, recommendation: null, decision: 'Orienteringen blev taget til efterretning. Sagen følges.', outcome: 'noted', attachments: [] },
    { number: 4, title: 'Fælles indkøb', background: null, recommendation: 'Det indstilles, at indkøbet drøftes.', decision: 'Udsat til næste møde.', outcome: 'postponed', attachments: [] },
    { number: 5, title: 'Ny model', background: null, recommendation: null, decision: 'Ikke godkendt.', outcome: 'not_approved', attachments: [] },
    { number: 6, title: 'Drøftelse', background: null, recommendation: null, decision: 'Drøftet.', outcome: 'discussed', attachments: [] },
  ],
};

describe('broadcast cards', () => {
  it('minutes summary: meeting, date, place, attendance, apologies, badges, one-sentence decisions', () => {
    const token = 'T0k3n_T0k3n_T0k3n_T0k3n_T0k3n_01';
    const card = minutesSummaryCard(meeting, { minutesUrl: `https://bot.example/api/minutes/${token}`, minutesToken: token });
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain(meeting.title);
    expect(text).toContain('onsdag den 12. marts 2025 kl. 9.00–12.00');
    expect(text).toContain('Rådhuset, Strandvej 1, 6700 Esbjerg');
    expect(text).toContain('1 deltog');
    expect(text).toContain('Per Pøl (Sandby Kommune)');
    for (const b of ['Godkendt', 'Taget til efterretning', 'Udsat', 'Ikke godkendt', 'Drøftet']) expect(text).toContain(b);
    expect(text).toContain('Orienteringen blev taget til efterretning.');
    expect(text).not.toContain('Sagen følges');
    // "Vis hele referatet" opens a Teams dialog (task/fetch); clients without cards get the page's URL
    const action = (card.actions as Array<{ type: string; title: string; data: unknown }>)[0];
    expect(action).toEqual({ type: 'Action.Submit', title: 'Vis hele referatet', data: { msteams: { type: 'task/fetch' }, action: 'broadcasts.minutes', token } });
    expect(card.fallbackText).toContain(`https://bot.example/api/minutes/${token}`);
  });

  it('full minutes (the dialog): header, attendance, every item in full, the page link', () => {
    const card = fullMinutesCard(
      { ...meeting, items: meeting.items.map((i) => (i.number === 2 ? { ...i, background: 'Første linje om udgifterna.\nAnden linje om nattevagter.' } : i)) },
      { pageUrl: 'https://bot.example/api/minutes/tok' },
    );
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('Referat · Direktørforum Vadehavet');
    expect(text).toContain('onsdag den 12. marts 2025 kl. 9.00–12.00');
    expect(text).toContain('Deltagere (1)');
    expect(text).toContain('Karen Klit (Havbjerg Kommune)');
    expect(text).toContain('Afbud (1)');
    expect(text).toContain('Per Pøl (Sandby Kommune)');
    // every sentence of every item, not one sentence per item as on the summary
    expect(text).toContain('Orienteringen blev taget til efterretning. Sagen følges.');
    expect(text).toContain('Første linje om udgifterna.');
    expect(text).toContain('Anden linje om nattevagter.');
    for (const h of ['Sagsfremstilling', 'Indstilling', 'Beslutning', 'Bilag']) expect(text).toContain(h);
    expect(text).toContain('2a Budget Klitrosen 2025');
    expect(text).toContain('Ikke godkendt');
    expect((card.actions as Array<{ type: string; url: string }>)[0]).toMatchObject({ type: 'Action.OpenUrl', url: 'https://bot.example/api/minutes/tok' });
    // an agenda without participants or items still makes a valid card
    const empty = fullMinutesCard({ ...meeting, status: 'agenda', participants: [], absent: [], items: [], start: null, end: null, location: null }, { pageUrl: 'https://bot.example/p' });
    expectValidCard(empty);
    expect(cardText(empty)).toContain('Dagsorden · Direktørforum Vadehavet');
    expect(cardText(empty)).toContain('Der er ingen punkter.');
  });

  it('agenda: time, place, recommendations, attachments and the calendar button; reminder kicker', () => {
    const card = agendaCard(meeting, { icsUrl: 'https://bot.example/api/calendar/tok.ics' });
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('Indstilling: Det indstilles, at taksten hæves med 4 procent fra 1. juli 2025.');
    expect(text).toContain('Bilag: 2a Budget Klitrosen 2025');
    expect(text).toContain('Rådhuset');
    expect((card.actions as Array<{ title: string; url: string }>)[0]).toMatchObject({ title: 'Tilføj til kalender', url: 'https://bot.example/api/calendar/tok.ics' });
    const reminder = agendaCard(meeting, { icsUrl: 'https://bot.example/x.ics', reminder: { offsetMs: 86_400_000 } });
    expectValidCard(reminder);
    expect(cardText(reminder)).toContain('Påmindelse: mødet er i morgen');
    const empty = agendaCard({ ...meeting, items: [], location: null }, { icsUrl: 'https://bot.example/x.ics' });
    expectValidCard(empty);
    expect(cardText(empty)).toContain('ingen punkter');
  });

  it('import result and delivery report', () => {
    const card = importResultCard(meeting, { fileName: 'referat.docx', result: 'created', linkedChannels: 1 });
    expectValidCard(card);
    const text = cardText(card);
    expect(text).toContain('Direktørforum Vadehavet');
    expect(text).toContain('6'); // items
    expect(text).toContain('2. Takstændring på bostedet Klitrosen (godkendt)');
    const actions = card.actions as Array<{ verb: string; data: { meetingId: string } }>;
    expect(actions.map((a) => a.verb)).toEqual(['broadcasts.postMinutes']);
    expect(actions[0].data.meetingId).toBe('dfv-2025-03-12');
    const agendaImport = importResultCard({ ...meeting, status: 'agenda', items: meeting.items.map((i) => ({ ...i, decision: null, outcome: null })) }, { fileName: 'd.pdf', result: 'updated', linkedChannels: 0 });
    expectValidCard(agendaImport);
    expect((agendaImport.actions as Array<{ verb: string }>).map((a) => a.verb)).toEqual(['broadcasts.sendAgenda', 'broadcasts.sendAgenda']);
    expect(cardText(agendaImport)).toContain('Ingen punkter har en beslutning endnu.');

    const report = deliveryReportCard({
      broadcast: { id: 'b_1', key: 'minutes:x', kind: 'minutes', meetingId: 'x', version: 1, createdAt: new Date().toISOString() },
      counts: { total: 3, sent: 1, failed: 1, pending: 1 },
      done: false,
      targets: [
        { conversationId: 'c1', type: 'channel', name: 'Team / General', status: 'sent', activityId: 'a', attempts: 1, reason: null, sentAt: null },
        { conversationId: 'c2', type: 'channel', name: 'Team / Other', status: 'failed', activityId: null, attempts: 1, reason: '403 MessageWritesBlocked: blocked', sentAt: null },
        { conversationId: 'c3', type: 'personal', name: null, status: 'pending', activityId: null, attempts: 0, reason: null, sentAt: null },
      ],
    });
    expectValidCard(report);
    expect(cardText(report)).toContain('Team / Other: 403 MessageWritesBlocked: blocked');
  });

  it('one sentence and Danish dates', () => {
    expect(oneSentence('Godkendt. Med bemærkninger.')).toBe('Godkendt.');
    expect(oneSentence('Godkendt med 4 pct. fra 1. juli')).toBe('Godkendt med 4 pct. fra 1. juli');
    expect(formatMeetingTime('2025-06-02', null)).toBe('mandag den 2. juni 2025');
  });

  it('the full minutes page escapes HTML', () => {
    const html = minutesPage({ ...meeting, title: 'Møde <script>alert(1)</script>' });
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('Takstændring på bostedet Klitrosen');
  });
});

describe('meeting .ics', () => {
  it('parses back as one VEVENT in Europe/Copenhagen with place and agenda', () => {
    const text = meetingIcs(meeting, { baseUrl: 'https://bot.example', now: new Date('2025-03-01T10:00:00Z') });
    const parsed = nodeIcal.sync.parseICS(text);
    const events = Object.values(parsed).filter((c: any) => c.type === 'VEVENT') as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(events).toHaveLength(1);
    const e = events[0];
    expect(e.summary).toBe(meeting.title);
    expect(e.location).toBe('Rådhuset, Strandvej 1, 6700 Esbjerg');
    expect(new Date(e.start).toISOString()).toBe('2025-03-12T08:00:00.000Z');
    expect(new Date(e.end).toISOString()).toBe('2025-03-12T11:00:00.000Z');
    expect(e.start.tz).toBe('Europe/Copenhagen');
    expect(e.description).toContain('2. Takstændring på bostedet Klitrosen');
    expect(e.description).toContain('Bilag: 2a Budget Klitrosen 2025');
    expect(e.uid).toBe('dfv-2025-03-12@bot.example');
    const tz = Object.values(parsed).filter((c: any) => c.type === 'VTIMEZONE') as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(tz).toHaveLength(1);
    expect(tz[0].tzid).toBe('Europe/Copenhagen');
  });

  it('a summer meeting is at +02:00 and a date-only meeting is all-day', () => {
    const summer = meetingIcs({ ...meeting, start: '2025-06-20T13:00:00+02:00', end: null }, { baseUrl: 'https://bot.example' });
    const ev = Object.values(nodeIcal.sync.parseICS(summer)).find((c: any) => c.type === 'VEVENT') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(new Date(ev.start).toISOString()).toBe('2025-06-20T11:00:00.000Z');
    expect(new Date(ev.end).toISOString()).toBe('2025-06-20T14:00:00.000Z');
    const allDay = meetingIcs({ ...meeting, start: '2025-06-20', end: null }, { baseUrl: 'https://bot.example' });
    const ad = Object.values(nodeIcal.sync.parseICS(allDay)).find((c: any) => c.type === 'VEVENT') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(ad.datetype).toBe('date');
  });
});
