import type { Config } from '../../src/config';
import { castVote, CLI, createProcedure, LOCAL_DEV_TENANT_ID, procedureContext } from '../../src/procedures';
import type { Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';

/**
 * Fictional meetings for the tab's tests (written for these tests, not from the seeds), stored through
 * the real importer. The clock of these tests is NOW: one meeting is still to come, two are minutes.
 */
export const NOW = new Date('2026-11-22T08:00:00Z');
export const FORUM = 'Socialdirektørforum';

const base = (m: Partial<Meeting>): Meeting => ({
  id: null,
  forum: FORUM,
  title: null,
  kind: 'meeting',
  status: 'minutes',
  start: null,
  end: null,
  location: null,
  participants: [],
  absent: [],
  items: [],
  nextMeeting: null,
  source: { file: null, sha256: null },
  ...m,
});

export const UPCOMING = base({
  title: 'Møde i Socialdirektørforum den 10. december 2026',
  status: 'agenda',
  start: '2026-12-10T09:00:00+01:00',
  end: '2026-12-10T12:00:00+01:00',
  location: 'Egekrogen Rådhus, Torvet 4, 7100 Egekrogen',
  items: [
    { number: 1, title: 'Godkendelse af dagsorden', background: null, recommendation: 'Det indstilles, at dagsordenen godkendes.', decision: null, outcome: null, attachments: [] },
    { number: 2, title: 'Årsrapport fra Tilsynet Lindholm', background: null, recommendation: 'Det indstilles, at årsrapporten tages til efterretning.', decision: null, outcome: null, attachments: ['2a Årsrapport Lindholm'] },
    { number: 3, title: 'Fælles indkøb af hjælpemidler 2027', background: null, recommendation: 'Det indstilles, at forummet drøfter udbuddet.', decision: null, outcome: null, attachments: [] },
  ],
  source: { file: 'sdf-2026-12-10-dagsorden.txt', sha256: null },
});

export const PAST_2025 = base({
  title: 'Møde i Socialdirektørforum den 1. oktober 2025',
  start: '2025-10-01T09:30:00+02:00',
  end: '2025-10-01T12:00:00+02:00',
  location: 'Mølleparken 2, 7300 Egekrogen',
  participants: [{ name: 'Frida Fjord', organisation: 'Egekrogen Kommune' }],
  items: [
    { number: 1, title: 'Godkendelse af dagsorden', background: null, recommendation: null, decision: 'Godkendt.', outcome: 'approved', attachments: [] },
    {
      number: 2,
      title: 'Takster for botilbuddet Granhøj 2026',
      background: 'Granhøj har haft flere beboere med massive støttebehov og dermed højere udgifter til personale.',
      recommendation: 'Det indstilles, at taksten for Granhøj hæves med 2,5 procent fra 1. januar 2026.',
      decision: 'Forummet godkendte, at taksten for Granhøj hæves med 2,5 procent fra 1. januar 2026.',
      outcome: 'approved',
      attachments: [],
    },
    {
      number: 3,
      title: 'Fælles kompetencecenter for erhvervet hjerneskade',
      background: 'Kommunerne har drøftet et fælles videnscenter for borgere med erhvervet hjerneskade.',
      recommendation: 'Det indstilles, at forummet drøfter modellen.',
      decision: 'Drøftet. Sekretariatet udarbejder et oplæg om finansiering til næste møde.',
      outcome: 'discussed',
      attachments: [],
    },
  ],
  source: { file: 'sdf-2025-10-01-referat.txt', sha256: null },
});

export const PAST_2024 = base({
  title: 'Møde i Socialdirektørforum den 5. september 2024',
  start: '2024-09-05T10:00:00+02:00',
  end: '2024-09-05T13:00:00+02:00',
  location: 'Mølleparken 2, 7300 Egekrogen',
  items: [
    {
      number: 4,
      title: 'Takster for botilbuddet Granhøj 2025',
      background: 'Granhøj ønsker en takststigning på grund af nye nattevagter.',
      recommendation: 'Det indstilles, at taksten for Granhøj hæves med 4 procent.',
      decision: 'Udsat. Forummet ønsker et revideret budget for Granhøj forelagt på næste møde.',
      outcome: 'postponed',
      attachments: [],
    },
  ],
  source: { file: 'sdf-2024-09-05-referat.txt', sha256: null },
});

export const MEETINGS = [UPCOMING, PAST_2025, PAST_2024];

/** Imports the fictional meetings; returns their ids in MEETINGS order. */
export async function seedTabMeetings(db: Db): Promise<string[]> {
  const ids: string[] = [];
  for (const m of MEETINGS) {
    const r = await importDocument(db, { data: Buffer.from(`tab test ${m.title}`), fileName: m.source.file! }, { parse: async () => m });
    if (!r.meetingId) throw new Error(`seeding ${m.title} failed`);
    ids.push(r.meetingId);
  }
  return ids;
}

/** The voters of the fictional written procedure: the first is the user the tests act as. */
export const VOTERS = [
  { aadObjectId: 'aad-frida', name: 'Frida Fjord', organisation: 'Egekrogen Kommune' },
  { aadObjectId: 'aad-gustav', name: 'Gustav Grøn', organisation: 'Lindholm Kommune' },
];

/** Opens a fictional written procedure (two items, deadline after NOW) through the procedures capability. */
export async function openTabProcedure(db: Db, config: Config, title = 'Skriftlig procedure om fælles indkøbsaftale'): Promise<string> {
  const ctx = procedureContext({ db, config, now: () => NOW });
  const created = await createProcedure(ctx, CLI, {
    forum: FORUM,
    title,
    deadline: '2026-12-01T12:00:00+01:00',
    rule: 'majority',
    items: [
      { title: 'Tiltrædelse af indkøbsaftale for hjælpemidler', recommendation: 'Det indstilles, at forummet tiltræder aftalen.' },
      { title: 'Udpegning af repræsentant til styregruppen', recommendation: 'Det indstilles, at Frida Fjord udpeges.' },
    ],
    voters: VOTERS,
  });
  return created.id;
}

/** Votes on every item of the procedure as `aadObjectId`. */
export async function voteAll(db: Db, config: Config, procedureId: string, aadObjectId: string, items = 2): Promise<void> {
  const ctx = procedureContext({ db, config, now: () => NOW });
  for (let item = 1; item <= items; item++) {
    const r = await castVote(ctx, { kind: 'teams', aadObjectId, tenantId: LOCAL_DEV_TENANT_ID }, { procedureId, item, choice: 'for' }, `vote-${procedureId}-${aadObjectId}-${item}`);
    if (r.status !== 'recorded') throw new Error(`vote not recorded: ${JSON.stringify(r)}`);
  }
}
