/**
 * Layouts beyond the seeds, written for this project (fictional forums): the families of real municipal
 * agendas and minutes the parser meets (e-Dagsorden-style PDFs, "Ad 1)" minutes, "Pkt. 1", unnumbered
 * headings, column layouts, portal pages with inline labels).
 */
import fs from 'fs';
import path from 'path';
import { parseDocument, parsePeople, parseText } from '../src/minutes';
import { Meeting as MeetingSchema, type Meeting } from '../src/minutes/model';

async function parseFixture(name: string): Promise<Meeting> {
  const file = path.join(__dirname, 'fixtures', 'minutes', name);
  const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
  MeetingSchema.parse(m);
  return m;
}

const titles = (m: Meeting) => m.items.map((i) => i.title);

test('e-Dagsorden style: Mødedato/Mødetidspunkt/Slut, table of contents with page numbers, Sagsnr. lines', async () => {
  const m = await parseFixture('edagsorden-referat.txt');
  expect(m.forum).toBe('Økonomiudvalget');
  expect(m.start).toBe('2018-03-12T15:00:00+01:00');
  expect(m.end).toBe('2018-03-12T17:30:00+01:00');
  expect(m.location).toBe('Mødelokale 1, Rådhuset, Torvet 1, Havby');
  expect(titles(m)).toEqual(['Godkendelse af dagsorden', 'Budgetopfølgning pr. 31. januar 2018', 'Salg af grund på Havnevej']);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'noted', 'not_approved']);
  expect(m.items[1].background).toBe('Forvaltningen har udarbejdet budgetopfølgning.');
  expect(m.participants.map((p) => [p.name, p.organisation])).toEqual([['Jens Jensen', 'A'], ['Hanne Hansen', 'V'], ['Ole Olsen', 'C']]);
  expect(m.absent.map((p) => p.name)).toEqual(['Ole Olsen']);
});

test('"Ad 1)" minutes without section labels; a heading wrapped onto two lines', async () => {
  const m = await parseFixture('ad-punkter.txt');
  expect(m.forum).toBe('Social- og Sundhedsdirektørkredsen');
  expect(m.start).toBe('2021-02-03T09:00:00+01:00');
  expect(m.end).toBe('2021-02-03T11:00:00+01:00');
  expect(m.location).toBe('Microsoft Teams');
  expect(titles(m)).toEqual(['Godkendelse af dagsorden', 'Status på udmøntning af sundhedsaftalen', 'Eventuelt']);
  expect(m.status).toBe('minutes');
  expect(m.items[0].decision).toBe('Dagsordenen blev godkendt.');
  expect(m.items[1].outcome).toBe('noted');
  expect(m.participants).toHaveLength(3);
  expect(m.participants[2]).toEqual({ name: 'Anne Krog', organisation: 'KKR-sekretariatet', role: 'minutes_taker' });
  expect(m.absent).toEqual([{ name: 'Lise Dam', organisation: 'Nordby Kommune' }]);
});

test('"Pkt. 1" agenda with "Tid og sted:" on one line', async () => {
  const m = await parseFixture('pkt-tid-og-sted.txt');
  expect(m.forum).toBe('Ældrerådet');
  expect(m.start).toBe('2019-09-05T13:30:00+02:00');
  expect(m.end).toBe('2019-09-05T16:00:00+02:00');
  expect(m.location).toBe('Borgerhuset, lokale 3');
  expect(m.status).toBe('agenda');
  expect(titles(m)).toEqual(['Godkendelse af dagsorden', 'Orientering fra formanden', 'Høring: Kvalitetsstandard for hjemmehjælp', 'Næste møde']);
  expect(m.items[2].recommendation).toBe('Rådet afgiver høringssvar.');
  expect(m.nextMeeting).toBe('2019-10-03'); // no year written: the meeting's year
});

test('unnumbered headings without an agenda list are numbered 1..n', async () => {
  const m = await parseFixture('unnumbered-headings.txt');
  expect(m.forum).toBe('Fællesrådet for Vand');
  expect(m.start).toBe('2013-01-14T10:00:00+01:00');
  expect(m.end).toBe('2013-01-14T12:00:00+01:00');
  expect(m.location).toBe('Vandværket, Sø Allé 2');
  expect(m.items.map((i) => [i.number, i.title])).toEqual([
    [1, 'Godkendelse af referat fra sidste møde'],
    [2, 'Nye takster for vandafledning'],
    [3, 'Eventuelt'],
  ]);
  expect(m.items[1].outcome).toBe('approved');
});

test('labels and values in columns separated by spaces (PDF text)', async () => {
  const m = await parseFixture('spaced-columns.txt');
  expect(m.forum).toBe('Sundhedskoordinationsudvalget');
  expect(m.location).toBe('Regionshuset, Skottenborg 26, Viborg');
  expect(m.start).toBe('2019-05-27T14:00:00+02:00');
  expect(m.end).toBe('2019-05-27T16:00:00+02:00');
  expect(titles(m)).toEqual(['Godkendelse af dagsorden', 'Sundhedsaftalen 2019-2023 - status']);
  expect(m.participants.map((p) => p.name)).toEqual(['Bo Brandt', 'Lis Lund', 'Kaj Kragh']);
});

test('a column-oriented header table (labels on one row, values on the next); "1)" items', async () => {
  const m = await parseFixture('column-header.txt');
  expect(m.forum).toBe('Koordinationsgruppen for Beskæftigelse');
  expect(m.start).toBe('2017-09-18T09:30:00+02:00');
  expect(m.end).toBe('2017-09-18T11:30:00+02:00');
  expect(m.location).toBe('Jobcentret, mødelokale 2');
  expect(titles(m)).toEqual(['Velkomst', 'Ledighedstal for august', 'Eventuelt']);
});

test('a portal page: forum in <h1>, inline "Dato: … Tid: … Sted: …", items numbered from 45', async () => {
  const m = await parseFixture('portal-inline.html');
  expect(m.forum).toBe('Teknik- og Miljøudvalget');
  expect(m.start).toBe('2019-11-07T16:00:00+01:00');
  expect(m.end).toBe('2019-11-07T18:00:00+01:00');
  expect(m.location).toBe('Udvalgsværelse 2, Rådhuset');
  expect(m.items.map((i) => [i.number, i.title])).toEqual([
    [45, 'Godkendelse af dagsorden'],
    [46, 'Trafiksikkerhedsplan 2020-2023'],
    [47, 'Cykelsti langs Engvej'],
  ]);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'postponed']);
  expect(m.items[1].background).toBe('Planen er revideret efter høringen.');
});

test('a header without labels: forum, date and address on their own lines', async () => {
  const m = await parseFixture('unlabelled-header.txt');
  expect(m.forum).toBe('Socialdirektørforum');
  expect(m.start).toBe('2016-08-15T09:00:00+02:00');
  expect(m.location).toBe('HR – Fredericia, Mosegårdsvej 2, 7000 Fredericia');
  expect(titles(m)).toEqual(['Godkendelse af referat']);
});

describe('date and time forms in the header', () => {
  const body = '\n\n1. Godkendelse af dagsorden\n\nBeslutning\n\nGodkendt.\n';
  test.each([
    ['STARTTIDSPUNKT\n\n03-10-2014 09:00:00\n\nSLUTTIDSPUNKT\n\n03-10-2014 12:00:00', '2014-10-03T09:00:00+02:00', '2014-10-03T12:00:00+02:00'],
    ['STARTTIDSPUNKT\n\n2016-08-15 09:00', '2016-08-15T09:00:00+02:00', null],
    ['Tid\t25. maj 2020, kl. 9.00-12.00', '2020-05-25T09:00:00+02:00', '2020-05-25T12:00:00+02:00'],
    ['Mødedato: Tirsdag den 2. oktober 2018\nMødetidspunkt: Kl. 08:30', '2018-10-02T08:30:00+02:00', null],
    ['Dato:\nMandag, 14 marts, 2022 - 16:00', '2022-03-14T16:00:00+01:00', null],
    ['Dato: 6. – 7. oktober 2016', '2016-10-06', '2016-10-07'],
    ['Dato: 14.01.2013 kl. 10-12', '2013-01-14T10:00:00+01:00', '2013-01-14T12:00:00+01:00'],
    ['Dato: 1. dec. 2015\nTidspunkt: 13.00 - ca. 15.30', '2015-12-01T13:00:00+01:00', '2015-12-01T15:30:00+01:00'],
    ['Tidspunkt: 15-08-2016 09:00 - 15-08-2016 12:00', '2016-08-15T09:00:00+02:00', '2016-08-15T12:00:00+02:00'],
    ['Dato: 21. juni 2022 fra 17.00 til 19.00', '2022-06-21T17:00:00+02:00', '2022-06-21T19:00:00+02:00'],
    ['Dato: 31-03-2019\nStart: 23:30', '2019-03-31T23:30:00+02:00', null],
    ['Udgivet 06.10.2014\nMøde i Kystforum den 3. oktober', '2014-10-03', null],
  ])('%s', (header, start, end) => {
    const m = parseText(`Referat\nUdvalg: Kystforum\n${header}${body}`);
    expect(m.start).toBe(start);
    expect(m.end).toBe(end);
  });
});

describe('item heading forms', () => {
  const head = 'Referat\nUdvalg: Kystforum\nDato: 3. maj 2021\n\n';
  const item = (h: string, t: string) => `${h}\n\nBeslutning\n\nGodkendt.\n\n`.replace('%', t);
  test.each([
    ['1. %', '2. %'],
    ['1) %', '2) %'],
    ['Punkt 1: %', 'Punkt 2: %'],
    ['Pkt. 1 %', 'Pkt. 2 %'],
    ['Sag nr. 1 - %', 'Sag nr. 2 - %'],
    ['Dagsordenspunkt 1. %', 'Dagsordenspunkt 2. %'],
    ['Ad 1. %', 'Ad 2. %'],
    ['1.\t%\t(side 3)', '2.\t%\t(side 4)'],
    ['## 1. %', '## 2. %'],
    ['1.\n%', '2.\n%'],
  ])('%s', (h1, h2) => {
    const m = parseText(head + item(h1, 'Godkendelse af dagsorden') + item(h2, 'Budget for 2022'));
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Budget for 2022'],
    ]);
    expect(m.items.map((i) => i.decision)).toEqual(['Godkendt.', 'Godkendt.']);
  });
});

test('an agenda list in a table, then "Ad punkt N" without titles in the body', async () => {
  const m = await parseFixture('ad-punkt-list.txt');
  expect(m.forum).toBe('Styregruppen for Rammeaftaler');
  expect(m.title).toBe('Møde i Styregruppen for Rammeaftaler den 27. august 2009');
  expect(m.start).toBe('2009-08-27T10:00:00+02:00');
  expect(m.location).toBe('Niels Bohrs Vej 30, Aalborg Øst');
  expect(titles(m)).toEqual(['Godkendelse af dagsorden', 'Status på rammeaftalen', 'Eventuelt']);
  expect(m.items.map((i) => i.decision)).toEqual(['Godkendt.', 'Status blev drøftet.', 'Intet.']);
});

test('a table of contents numbered 1..n while the body uses the case numbers 45..', () => {
  const text = [
    'Referat', 'Udvalg: Økonomiudvalget', 'Dato: 12.03.2018', '', 'Indholdsfortegnelse', '1. Godkendelse af dagsorden', '2. Budgetopfølgning', '3. Salg af grund', '',
    '45. Godkendelse af dagsorden', 'Beslutning', 'Godkendt.', '', '46. Budgetopfølgning', 'Beslutning', 'Taget til efterretning.', '',
    '47. Salg af grund', 'Beslutning', 'Godkendt.',
  ].join('\n');
  const m = parseText(text);
  expect(m.items.map((i) => [i.number, i.title])).toEqual([
    [45, 'Godkendelse af dagsorden'],
    [46, 'Budgetopfølgning'],
    [47, 'Salg af grund'],
  ]);
  expect(m.start).toBe('2018-03-12');
});

test('a body heading the agenda list missed ("3a." broke the list) is still an item, in document order', () => {
  const item = (h: string) => `${h}\nBeslutning\nGodkendt.\n\n`;
  const text = 'Dagsorden\nUdvalg: Kystforum\nDato: 1.2.2020\n\nPUNKTER\n1. Velkomst\n2. Budget\n3a. Anlæg\n4. Eventuelt\n\n' +
    item('1. Velkomst') + item('2. Budget') + item('3. Anlæg') + item('4. Eventuelt');
  const m = parseText(text);
  expect(m.items.map((i) => [i.number, i.title])).toEqual([
    [1, 'Velkomst'],
    [2, 'Budget'],
    [3, 'Anlæg'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items[1].decision).toBe('Godkendt.');
});

describe('participant list styles', () => {
  test.each([
    ['Jens Hansen, Aarhus Kommune, Mette Olsen, Region Midtjylland', [['Jens Hansen', 'Aarhus Kommune', null], ['Mette Olsen', 'Region Midtjylland', null]]],
    ['Jens Hansen (formand, Aarhus Kommune), Ib Ravn (KL), Bo Bak og Lis Lund (begge sekretariatet/ref.).', [['Jens Hansen', 'Aarhus Kommune', 'chair'], ['Ib Ravn', 'KL', null], ['Bo Bak', 'sekretariatet', 'minutes_taker'], ['Lis Lund', 'sekretariatet', 'minutes_taker']]],
    ['Jens Hansen, Ib Ravn og Bo Bak/ref', [['Jens Hansen', null, null], ['Ib Ravn', null, null], ['Bo Bak', null, 'minutes_taker']]],
    ['- Jens Hansen, Aarhus Kommune\n- Mette Olsen (formand), Region Midtjylland\n- Ib Ravn', [['Jens Hansen', 'Aarhus Kommune', null], ['Mette Olsen', 'Region Midtjylland', 'chair'], ['Ib Ravn', null, null]]],
    ['Ingen', []],
  ])('%s', (value, expected) => {
    const got = parsePeople(value).map((p) => [p.name, p.organisation, p.role ?? null]);
    expect(got).toEqual(expected);
  });
});
