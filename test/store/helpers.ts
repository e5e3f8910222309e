import type { Meeting } from '../../src/minutes/model';
import type { ParseFn } from '../../src/store/import';

/** Hand-made meetings for store tests: a "document" is the Meeting as JSON, and the parser reads it back. */
export const jsonParser: ParseFn = async ({ data }) => JSON.parse(data.toString('utf8')) as Meeting;

export function meeting(over: Partial<Meeting> = {}): Meeting {
  return {
    id: null,
    forum: 'Socialdirektørforum',
    title: 'Møde i Socialdirektørforum',
    kind: 'meeting',
    status: 'agenda',
    start: '2014-10-03T09:00:00+02:00',
    end: '2014-10-03T12:00:00+02:00',
    location: 'Rådhuset, Saltvig',
    participants: [{ name: 'Anna Lund', organisation: 'Saltvig Kommune' }],
    absent: [{ name: 'Bo Holm', organisation: 'Klitby Kommune' }],
    items: [
      { number: 1, title: 'Godkendelse af dagsorden', background: null, recommendation: 'At dagsordenen godkendes', decision: null, outcome: null, attachments: [] },
      { number: 2, title: 'Takst for Havbrynet 2015', background: 'Taksten foreslås hævet med 3 pct.', recommendation: 'At stigningen godkendes', decision: null, outcome: null, attachments: ['Bilag 2a Takstoversigt'] },
    ],
    nextMeeting: null,
    source: { file: null, sha256: null },
    ...over,
  };
}

/** The same meeting with decisions recorded: its minutes. */
export function minutesOf(m: Meeting, over: Partial<Meeting> = {}): Meeting {
  return {
    ...m,
    status: 'minutes',
    items: m.items.map((it, i) => ({ ...it, decision: i === 0 ? 'Godkendt.' : 'Stigningen blev godkendt.', outcome: 'approved' as const })),
    ...over,
  };
}

export const doc = (m: Meeting, fileName = 'doc.txt') => ({ data: Buffer.from(JSON.stringify(m), 'utf8'), fileName });
