import type { Db } from '../../src/store/db';
import { importDocument } from '../../src/store/import';
import type { Meeting } from '../../src/minutes/model';

/** A fictional meeting (written for these tests, not from the seeds), stored through the real importer. */
export const FICTIONAL_MEETING: Meeting = {
  id: null,
  forum: 'Direktørforum Vadehavet',
  title: 'Møde i Direktørforum Vadehavet den 12. marts 2025',
  kind: 'meeting',
  status: 'minutes',
  start: '2025-03-12T09:00:00+01:00',
  end: '2025-03-12T12:00:00+01:00',
  location: 'Rådhuset, Strandvej 1, 6700 Esbjerg',
  participants: [{ name: 'Karen Klit', organisation: 'Havbjerg Kommune' }],
  absent: [{ name: 'Per Pøl', organisation: 'Sandby Kommune' }],
  items: [
    {
      number: 1,
      title: 'Godkendelse af dagsorden',
      background: null,
      recommendation: 'Det indstilles, at dagsordenen godkendes.',
      decision: 'Godkendt.',
      outcome: 'approved',
      attachments: [],
    },
    {
      number: 2,
      title: 'Takstændring på bostedet Klitrosen',
      background: 'Bostedet Klitrosen har øgede udgifter til nattevagter.',
      recommendation: 'Det indstilles, at taksten hæves med 4 procent fra 1. juli 2025.',
      decision: 'Forummet godkendte en takststigning på 4 procent fra 1. juli 2025.',
      outcome: 'approved',
      attachments: ['2a Budget Klitrosen 2025'],
    },
  ],
  nextMeeting: null,
  source: { file: 'vadehavet-2025-03-12.txt', sha256: null },
};

export async function seedFictional(db: Db): Promise<string> {
  const r = await importDocument(
    db,
    { data: Buffer.from(`fictional minutes ${FICTIONAL_MEETING.title}`), fileName: 'vadehavet-2025-03-12.txt' },
    { parse: async () => FICTIONAL_MEETING },
  );
  if (!r.meetingId) throw new Error('seeding failed');
  return r.meetingId;
}
