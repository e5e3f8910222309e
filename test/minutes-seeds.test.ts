import fs from 'fs';
import { parseDocument } from '../src/minutes';
import type { Meeting } from '../src/minutes/model';
import { Meeting as MeetingSchema } from '../src/minutes/model';
import { describeWithSeeds, seedPath } from './support/seeds';

async function parseSeed(prefix: string): Promise<Meeting> {
  const file = seedPath(prefix);
  const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
  MeetingSchema.parse(m);
  return m;
}

const words = (s: string | null, n: number) => (s ?? '').split(/\s+/).slice(0, n).join(' ');
const decided = (m: Meeting) => m.items.filter((i) => i.decision).map((i) => i.number);
const outcomes = (m: Meeting) => m.items.map((i) => i.outcome);
const names = (list: Meeting['participants']) => list.map((p) => p.name);

describeWithSeeds('seed 000: labelled header, PUNKTER list, unnumbered body headings', () => {
  let m: Meeting;
  beforeAll(async () => {
    m = await parseSeed('000');
  });
  test('header', () => {
    expect(m.forum).toBe('Socialdirektørforum');
    expect(m.title).toBe('Møde i Socialdirektørforum den 3. oktober');
    expect(m.kind).toBe('meeting');
    expect(m.status).toBe('minutes');
    expect(m.start).toBe('2014-10-03T09:00:00+02:00');
    expect(m.end).toBe('2014-10-03T12:00:00+02:00');
    expect(m.location).toBe('H. O. Wildenskovsvej 28, 7080 Børkop');
    expect(m.id).toBeNull();
    expect(m.source.file).toMatch(/^000_.*\.txt$/);
    expect(m.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.source.format).toBe('text');
  });
  test('items', () => {
    expect(m.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(m.items[0].title).toBe('Socialstyrelsen – National Koordinationsstruktur');
    expect(m.items[1].title).toMatch(/^Afrapportering fra arbejdsgruppen om personer med sindslidelse/);
    expect(m.items[2].title).toBe('Kommunikationscentre i Syddanmark');
    expect(m.items[3].title).toBe('Afrapportering: Fokus på det gode liv');
    expect(m.items[4].title).toMatch(/^Region Syddanmarks nye takststruktur pr\. 1\. januar 2015/);
    expect(m.items[5].title).toBe('Brev fra Midtjylland vedr. Tilbudsportalen');
    expect(m.items[6].title).toBe('Godkendelse af årshjul for Socialdirektørforum 2015');
    expect(m.items[7].title).toBe('Strategisk arbejdsgruppe under Socialdirektørforum');
    expect(m.items.slice(8).map((i) => i.title)).toEqual(['Orienteringer', 'Eventuelt', 'Næste møde']);
  });
  test('decisions and outcomes', () => {
    expect(decided(m)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(words(m.items[0].decision, 3)).toBe('Gensidige forventninger til');
    expect(words(m.items[3].decision, 2)).toBe('Punktet udsættes');
    expect(words(m.items[8].decision, 2)).toBe('Orienteringerne taget');
    expect(outcomes(m)).toEqual(['discussed', 'approved', 'noted', 'postponed', 'discussed', 'approved', 'approved', 'approved', 'noted', null, null]);
    expect(words(m.items[0].recommendation, 2)).toBe('Forretningsudvalget indstiller');
    expect(m.items[0].background).toMatch(/^På baggrund af evalueringen/);
    expect(m.items[10].background).toMatch(/12\. december 2014/);
  });
  test('people', () => {
    expect(m.participants).toHaveLength(21);
    expect(m.participants[0]).toEqual({ name: 'Jakob Kyndal', organisation: 'Aabenraa Kommune' });
    expect(m.participants.find((p) => p.name === 'Filip Dalengaard')?.organisation).toBe('KKR');
    expect(m.participants.find((p) => p.name === 'Camilla Fyhn Milland')?.organisation).toBe('Socialsekretariatet');
    expect(m.absent).toHaveLength(5);
    expect(m.absent[0]).toEqual({ name: 'Henning Kjærgaard', organisation: 'Fanø Kommune' });
    expect(m.absent[4]).toEqual({ name: 'Kimma Vingaard Thomsen', organisation: 'Ærø Kommune' });
  });
  test('attachments and next meeting', () => {
    expect(m.items[0].attachments).toEqual(['1a_Standardoplæg National Koordination', '1b_Lovgivningen National Koordination vedtaget 11-06-2014', 'National Koordinationsstruktur_ Socialdirektørforum']);
    expect(m.items[1].attachments).toHaveLength(7);
    expect(m.items[1].attachments[0]).toMatch(/^2a -Rapport fra arbejdsgruppen/);
    expect(m.items[4].attachments).toHaveLength(4);
    expect(m.items[8].attachments).toHaveLength(2);
    expect(m.items[8].attachments[0]).toMatch(/^9c_/);
    expect(m.items[9].attachments).toEqual(['Notat til KKR september 2014_1_1']);
    expect(m.items[10].attachments).toEqual([]);
    expect(m.nextMeeting).toBe('2014-12-12');
  });
});

describeWithSeeds('seed 001: numbered list and body, titles repeated three times', () => {
  let m: Meeting;
  beforeAll(async () => {
    m = await parseSeed('001');
  });
  test('header', () => {
    expect(m.forum).toBe('Socialdirektørforum');
    expect(m.title).toBe('Møde i Socialdirektørforum');
    expect(m.kind).toBe('meeting');
    expect(m.status).toBe('minutes');
    expect(m.start).toBe('2016-08-15T09:00:00+02:00');
    expect(m.end).toBe('2016-08-15T12:00:00+02:00');
    expect(m.location).toBe('HR – Fredericia, Mosegårdsvej 2, 7000');
    expect(m.participants).toEqual([]);
    expect(m.absent).toEqual([]);
  });
  test('items', () => {
    expect(m.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect(m.items[0].title).toBe('Godkendelse af referat fra mødet i Socialdirektørforum den 11. maj 2016');
    expect(m.items[1].title).toBe('Børnehus Syd');
    expect(m.items[4].title).toBe('Tilbuddet Stjernen – Punkt fra Region Syddanmark');
    expect(m.items[10].title).toMatch(/^Udpegning af ny kommunal repræsentant til Samrådet/);
    expect(m.items[12].title).toBe('Sammen om Velfærd – tværsektorielt kompetenceprojekt');
    expect(m.items.slice(13).map((i) => i.title)).toEqual(['Orienteringer', 'Eventuelt', 'Næste møde']);
    // the repeated titles are not part of the text
    expect(m.items[0].background).toBeNull();
    expect(m.items[12].background).toMatch(/^Kompetenceprojektet/);
  });
  test('decisions and outcomes', () => {
    expect(decided(m)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(m.items[0].decision).toBe('Referatet blev godkendt.');
    expect(words(m.items[4].decision, 3)).toBe('Sagen blev drøftet.');
    expect(outcomes(m).slice(0, 4)).toEqual(['approved', 'discussed', 'discussed', 'discussed']);
    expect(m.items[4].outcome).toBe('approved'); // drøftet … takststigningen blev godkendt
    expect(m.items[12].outcome).toBe('noted');
    expect(m.items[13].outcome).toBe('noted');
    expect(m.items[14].outcome).toBeNull();
    expect(m.items[4].recommendation).toMatch(/^Der indstilles til at Socialdirektørforum/); // "Indstilles"
    expect(m.items[13].recommendation).toBe('Der indstilles til orientering'); // "Indstililng"
  });
  test('attachments and next meeting', () => {
    expect(m.items[1].attachments).toHaveLength(3);
    expect(m.items[1].attachments[1]).toBe('Antal børnehussager i Syddanmark i 2015.pdf');
    expect(m.items[12].attachments).toHaveLength(6);
    expect(m.items[9].attachments).toEqual([]);
    expect(m.items[15].attachments).toEqual([]);
    expect(m.nextMeeting).toBe('2016-10-06');
  });
});

describeWithSeeds('seed 002: written procedure, decision first', () => {
  let m: Meeting;
  beforeAll(async () => {
    m = await parseSeed('002');
  });
  test('header', () => {
    expect(m.forum).toBe('Socialdirektørforum');
    expect(m.title).toMatch(/^Møde del 2 i Socialdirektørforum afklares per mail/);
    expect(m.kind).toBe('written_procedure');
    expect(m.status).toBe('minutes');
    expect(m.start).toBe('2023-10-02T11:00:00+02:00');
    expect(m.end).toBe('2023-10-02T11:30:00+02:00');
    expect(m.location).toBe('Per mail');
    expect(m.nextMeeting).toBeNull();
  });
  test('items, decisions first', () => {
    expect(m.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(m.items[0].title).toBe('Ny repræsentant til Forretningsudvalget');
    expect(m.items[6].title).toBe('Belægningsprocent 1. halvår 2023');
    expect(m.items[8].title).toMatch(/^Årsrapport 2022 for Samrådet/);
    expect(decided(m)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(words(m.items[0].decision, 3)).toBe('Mogens Bak Hansen,');
    expect(m.items[0].decision).not.toMatch(/Baggrund|Ny repræsentant til Forretningsudvalget/);
    expect(m.items[0].background).toMatch(/^Rolf Dalsgaard Johansen/);
    expect(outcomes(m)).toEqual(['approved', 'approved', 'approved', 'approved', 'approved', 'approved', 'noted', 'noted', 'noted']);
  });
  test('attachments', () => {
    expect(m.items.map((i) => i.attachments.length)).toEqual([0, 0, 1, 1, 0, 0, 1, 0, 1]);
    expect(m.items[8].attachments).toEqual(['Samrådets årsrapport 2022.pdf']);
  });
});

describeWithSeeds('seed 003: tab header, boxed <ol> list, Resumé/Referat labels', () => {
  let m: Meeting;
  beforeAll(async () => {
    m = await parseSeed('003');
  });
  test('header', () => {
    expect(m.forum).toBe('Den Administrative Styregruppe på socialområdet');
    expect(m.title).toBe('Møde i Den Administrative Styregruppe på socialområdet den 25. maj 2020');
    expect(m.kind).toBe('meeting');
    expect(m.start).toBe('2020-05-25T09:00:00+02:00');
    expect(m.end).toBe('2020-05-25T12:00:00+02:00');
    expect(m.location).toBe('Skype - Link i kalenderbooking');
    expect(m.nextMeeting).toBe('2020-08-17');
  });
  test('items', () => {
    expect(m.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(m.items[0].title).toBe('Godkendelse af dagsorden');
    expect(m.items[1].title).toBe('Godkendelse af referat fra mødet den 9. marts 2020');
    expect(m.items[3].title).toBe('Udkast til Nordjysk Socialaftale 2021-2022');
    expect(m.items[5].title).toMatch(/^Regionalt indspil til KL's dialog med regeringen/);
    expect(m.items.slice(9).map((i) => i.title)).toEqual(['Orientering fra FU', 'Evt.', 'Næste møde', 'Fremtidig NOPII samarbejde']);
    // numbered sub-headings inside item 6 stay inside it
    expect(m.items[5].background).toMatch(/Evalueringen skal afdække/);
  });
  test('decisions and outcomes', () => {
    expect(decided(m)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13]);
    expect(m.items[0].decision).toBe('Dagsordenen blev godkendt');
    expect(words(m.items[6].decision, 3)).toBe('DAS godkendte takststigningen');
    expect(m.items[0].outcome).toBe('approved');
    expect(m.items[6].outcome).toBe('approved');
    expect(m.items[7].outcome).toBe('discussed');
    expect(m.items[9].outcome).toBe('noted');
    expect(m.items[11].outcome).toBeNull();
    expect(m.items[2].background).toMatch(/^Der gøres status/);
  });
  test('people with roles', () => {
    expect(m.participants).toHaveLength(11);
    expect(m.participants[0]).toEqual({ name: 'Dorte Juul Hansen', organisation: 'Region Nordjylland' });
    expect(m.participants.find((p) => p.name === 'Henrik Aarup-Kristensen')).toEqual({ name: 'Henrik Aarup-Kristensen', organisation: 'Brønderslev Kommune', role: 'chair' });
    const refs = m.participants.filter((p) => p.role === 'minutes_taker');
    expect(names(refs)).toEqual(['Charlotte S. Andersen', 'Morten Aggerholm']);
    expect(refs[0].organisation).toBe('sekretariat for rammeaftaler');
    expect(m.absent).toHaveLength(5);
    expect(m.absent[0]).toEqual({ name: 'Anne Krøjer', organisation: 'Vesthimmerland' });
    expect(m.absent[3]).toEqual({ name: 'Jan Nielsen', organisation: 'Aalborg ÆH' });
  });
  test('attachments', () => {
    expect(m.items[1].attachments).toEqual([]); // "Referatet kan findes her" is a link, not a file
    expect(m.items[2].attachments).toEqual(['Bilag 2. Status på Nordjysk Socialaftale 2018-2020']);
    expect(m.items[12].attachments).toEqual(['Bilag 4. LSI-projekter']);
  });
});

describeWithSeeds('seed 004: tab header, only body headings, sub-topics', () => {
  let m: Meeting;
  beforeAll(async () => {
    m = await parseSeed('004');
  });
  test('header', () => {
    expect(m.forum).toBe('Socialdirektørkredsen');
    expect(m.title).toBe('Møde i Socialdirektørkredsen den 14. december 2011');
    expect(m.start).toBe('2011-12-14T10:00:00+01:00');
    expect(m.end).toBe('2011-12-14T12:00:00+01:00');
    expect(m.location).toBe('Byrådssalen i Støvring');
    expect(m.status).toBe('minutes');
    expect(m.nextMeeting).toBeNull();
  });
  test('items; sub-topics stay in item 7', () => {
    expect(m.items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(m.items.map((i) => i.title)).toEqual([
      'Godkendelse af dagsorden',
      'Godkendelse af referat fra møde 6. oktober',
      'Kompetenceafklaring',
      'Evaluering af sekretariatet',
      'Ændring i visitationer til under 15 timer / uge',
      'Status på møder politiske og administrative dialogmøder',
      'Dagsorden til Den Administrative Styregruppe',
    ]);
    expect(m.items[6].decision).toMatch(/Udkast til spilleregler/);
    expect(m.items[6].decision).toMatch(/Særskilt opkrævning af kørsel/);
  });
  test('decisions and outcomes', () => {
    expect(decided(m)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(m.items[0].decision).toBe('Godkendt');
    expect(outcomes(m).slice(0, 4)).toEqual(['approved', 'approved', 'approved', 'noted']);
  });
  test('bare names, "/ref", the same person present and absent', () => {
    expect(m.participants).toHaveLength(15);
    expect(m.participants.every((p) => p.organisation === null)).toBe(true);
    expect(names(m.participants).slice(0, 3)).toEqual(['Jan Nielsen', 'Jesper Hosbond Jensen', 'Dorthe Jende']);
    expect(m.participants[14]).toEqual({ name: 'Hilde Elisabeth Thun Holst', organisation: null, role: 'minutes_taker' });
    expect(names(m.absent)).toEqual(['Jane Hvas', 'Søren Kjær']);
    expect(m.items.every((i) => i.attachments.length === 0)).toBe(true);
  });
});
