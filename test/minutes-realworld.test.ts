/**
 * Layout families of real Danish municipal and inter-municipal agendas and minutes, each copied as a
 * *layout* into a fictional document in test/fixtures/minutes (names, places and decisions are made up):
 * KMD/EG "Åbent referat" pages, KKR minutes with "Ad 1.", Word minutes with "Dagsordenspunkt 1:",
 * tables exported to text, PDF text with running headers/footers, portal HTML, Roman numerals,
 * "3a."/"3b." items, participants listed after the items, time-slot programmes, and more. The inline
 * cases at the end cover header and forum forms (genitive "Økonomiudvalgets møde", "styregruppemøde for X",
 * "Emne:", "Møde den:", English labels) that real documents use.
 */
import fs from 'fs';
import path from 'path';
import PDFDocument from 'pdfkit';
import { parseDocument, parseText } from '../src/minutes';
import { Meeting as MeetingSchema, type Meeting } from '../src/minutes/model';

async function parseFixture(name: string): Promise<Meeting> {
  const file = path.join(__dirname, 'fixtures', 'minutes', name);
  const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
  MeetingSchema.parse(m);
  return m;
}

const numbered = (m: Meeting) => m.items.map((i) => [i.number, i.title]);
const names = (ps: Meeting['participants']) => ps.map((p) => p.name);

test('KMD "Åbent referat": Mødedato/Mødetidspunkt/Medlemmer, "Punkt 1." with a dotted TOC, "Beslutning i … den …", page footers', async () => {
  const m = await parseFixture('kmd-aabent-referat.txt');
  expect(m.forum).toBe('Økonomiudvalget');
  expect(m.start).toBe('2019-03-14T16:00:00+01:00');
  expect(m.end).toBe('2019-03-14T18:15:00+01:00');
  expect(m.location).toBe('Mødelokale 2, Lindå Rådhus, Bygaden 2, 7990 Lindå');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Regnskab 2018 - overførsler til 2019'],
    [3, 'Salg af ejendommen Skolevej 14'],
    [4, 'Meddelelser'],
  ]);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'approved', 'noted']);
  // the running footer between the pages is not part of the recommendation or decision
  expect(m.items[1].recommendation).toBe('Kommunaldirektøren indstiller, at overførslerne godkendes.');
  expect(m.items[3].decision).not.toMatch(/Side|Lindå Kommune/);
  // "Karen Birk (A), formand": the role belongs to the person before it
  expect(m.participants[0]).toEqual({ name: 'Karen Birk', organisation: 'A', role: 'chair' });
  expect(names(m.participants)).toEqual(['Karen Birk', 'Poul Sejr', 'Malene Hjort', 'Jonas Krog', 'Inge Thy']);
  expect(names(m.absent)).toEqual(['Jonas Krog']);
});

test('KKR minutes: "Tid og sted" block, people one per line with job titles, "Ad 1." items', async () => {
  const m = await parseFixture('kkr-ad-referat.txt');
  expect(m.forum).toBe('KKR Sydvestjylland');
  expect(m.start).toBe('2015-11-06T09:30:00+01:00');
  expect(m.end).toBe('2015-11-06T12:00:00+01:00');
  expect(m.location).toBe('Hotel Fjordgården, Strandvejen 12, 6700 Havnby');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Den regionale vækst- og udviklingsstrategi'],
    [3, 'Udpegning til Det Regionale Arbejdsmarkedsråd'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items[1].decision).toMatch(/^KKR drøftede udkastet/);
  expect(m.participants[0]).toEqual({ name: 'Erik Lau', organisation: 'Havnby Kommune', role: 'chair' });
  expect(m.participants.find((p) => p.role === 'minutes_taker')).toEqual({ name: 'Mads Rye', organisation: 'KL', role: 'minutes_taker' });
  expect(m.absent).toEqual([{ name: 'Niels Bred', organisation: 'Tofte Kommune' }]);
});

test('"Referat af styregruppemøde for X": the forum is the steering group; "Dagsordenspunkt 1:" items; weekday and time range', async () => {
  const m = await parseFixture('styregruppe-dagsordenspunkt.txt');
  expect(m.forum).toBe('Styregruppen for Fælles Akutberedskab Vestegnen');
  expect(m.start).toBe('2015-03-05T13:00:00+01:00');
  expect(m.end).toBe('2015-03-05T15:30:00+01:00');
  expect(m.location).toBe('Lokale 214, Brandstationen, Værkstedsvej 3, Holmby');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden og referat'],
    [2, 'Responstider i 2014'],
    [3, 'Indkøb af ny drejestige'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'noted', 'approved', 'other']);
  expect(m.participants.find((p) => p.role === 'minutes_taker')?.name).toBe('Helle Vad');
  expect(names(m.absent)).toEqual(['Sus Kjær']);
});

test('a table exported with "|" separators: header row of labels, values below; "kl. 13-15"; "Pkt. 1" items', async () => {
  const m = await parseFixture('pipe-table-header.txt');
  expect(m.forum).toBe('Netværk for Sundhedsfremme Midt');
  expect(m.start).toBe('2015-03-05T13:00:00+01:00');
  expect(m.end).toBe('2015-03-05T15:00:00+01:00');
  expect(m.location).toBe('Lokale 1.12, Sundhedshuset, Åvej 4, Bro');
  expect(numbered(m)).toEqual([
    [1, 'Velkomst og præsentation'],
    [2, 'Fælles kampagne om røgfri skoletid'],
    [3, 'Eventuelt'],
  ]);
  expect(m.items[1].outcome).toBe('approved');
  expect(names(m.participants)).toEqual(['Eva Lind', 'Ib Torp', 'Ane Skov']);
  expect(names(m.absent)).toEqual(['Bent Holm']);
});

test('PDF text: running header and "Side N af M" footer repeated on every page, items split across pages', async () => {
  const m = await parseFixture('pdf-page-headers.txt');
  expect(m.forum).toBe('Beskæftigelsesudvalget');
  expect(m.start).toBe('2015-03-05T17:00:00+01:00');
  expect(m.location).toBe('Jobcentret, mødelokale 3');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Ledighedsudviklingen'],
    [3, 'Status på indsatsen for unge uden uddannelse'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items[1].background).toBe('Ledigheden er faldet med 0,4 procentpoint det seneste år, men langtidsledigheden er stadig\nhøj blandt personer over 50 år.');
  expect(m.items[1].recommendation).toBe('Jobcentret indstiller, at orienteringen tages til efterretning.');
  expect(m.items[2].decision).toBe('Udvalget drøftede status og bad om en ny status efter sommerferien.');
  expect(m.items[3].decision).toBe('Intet.');
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'noted', 'discussed', 'other']);
});

test('portal HTML: header in a table, unnumbered <h3> items, "Åbne/Lukkede punkter" group headings', async () => {
  const m = await parseFixture('h3-items-unnumbered.html');
  expect(m.forum).toBe('Beredskabskommissionen Midtvest');
  expect(m.start).toBe('2023-09-19T14:00:00+02:00');
  expect(m.end).toBe('2023-09-19T16:00:00+02:00');
  expect(m.location).toBe('Brandstation Øst, Industrivej 22, 7400 Nørreby');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Budgetopfølgning 2. kvartal 2023'],
    [3, 'Takster for brandsyn 2024'],
    [4, 'Personalesag'],
  ]);
  expect(m.items[2].decision).toBe('Godkendt.');
  expect(m.participants[0]).toEqual({ name: 'Lone Hegn', organisation: null, role: 'chair' });
  expect(names(m.absent)).toEqual(['Kurt Vang']);
});

test('EG-style agenda HTML: label table with start and end, a table of contents with "Åben sag"/"Lukket sag"', async () => {
  const m = await parseFixture('eg-dagsorden.html');
  expect(m.forum).toBe('Byrådet');
  expect(m.start).toBe('2016-01-28T18:00:00+01:00');
  expect(m.end).toBe('2016-01-28T21:30:00+01:00');
  expect(m.location).toBe('Byrådssalen, Skovlunde Rådhus');
  expect(m.status).toBe('agenda');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Anlægsbevilling til ny daginstitution i Vestbyen'],
    [3, 'Spildevandsplan 2016-2020 - endelig vedtagelse'],
    [4, 'Køb af areal til erhvervsformål'],
  ]);
  expect(m.items[1].recommendation).toBe('Økonomiudvalget indstiller, at der gives en anlægsbevilling på 24,5 mio. kr.');
  expect(m.items[1].background).toMatch(/^Der er behov for 80 nye pladser/);
});

test('Roman numerals: "I.", "II.", … are items 1, 2, …', async () => {
  const m = await parseFixture('roman-numerals.txt');
  expect(m.forum).toBe('Vandsamarbejdet Nordkysten');
  expect(m.start).toBe('2024-06-12T16:00:00+02:00');
  expect(m.end).toBe('2024-06-12T18:00:00+02:00');
  expect(m.location).toBe('Vandværket Nordstrand, Kildevej 8, 9850 Nordstrand');
  expect(m.status).toBe('agenda');
  expect(numbered(m)).toEqual([
    [1, 'Valg af dirigent og referent'],
    [2, 'Årsregnskab 2023'],
    [3, 'Fornyelse af ledningsnet på Strandvejen'],
    [4, 'Orientering fra formanden'],
    [5, 'Eventuelt'],
  ]);
  expect(m.items[1].recommendation).toBe('Bestyrelsen godkender regnskabet.');
});

test('"3a."/"3b." items keep their letter; "a)" lines and "3.1" sub-sections stay inside their item', async () => {
  const m = await parseFixture('sub-items-3a.txt');
  expect(m.forum).toBe('Klima- og Miljøudvalget');
  expect(m.start).toBe('2022-05-09T15:30:00+02:00');
  expect(m.end).toBe('2022-05-09T17:45:00+02:00');
  expect(m.location).toBe('Udvalgsværelset, Kirkegade 1, Bøgely');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Klimahandleplan - status'],
    [3, 'Vandløbsregulativ for Bøgely Å'],
    [3, 'Vandløbsregulativ for Møllebækken'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items.map((i) => i.label ?? null)).toEqual([null, null, '3a', '3b', null]);
  expect(m.items[1].background).toContain('b) Grøn transport');
  expect(m.items[2].background).toContain('3.2 Økonomi');
  expect(m.items[2].decision).toBe('Godkendt.');
  expect(m.items[3].decision).toMatch(/^Godkendt med den ændring/);
});

test('participants and absentees listed after the items', async () => {
  const m = await parseFixture('participants-after-items.txt');
  expect(m.forum).toBe('Koordinationsforum for Specialundervisning');
  expect(m.start).toBe('2020-01-22T10:00:00+01:00');
  expect(m.end).toBe('2020-01-22T12:30:00+01:00');
  expect(m.location).toBe('KL-huset, lokale 5.02, Weidekampsgade 10, København S');
  expect(numbered(m)).toEqual([
    [1, 'Velkomst og godkendelse af dagsorden'],
    [2, 'Takstudvikling på de specialiserede skoletilbud'],
    [3, 'Ny model for visitation'],
    [4, 'Eventuelt'],
  ]);
  // the list is not part of the last item's decision
  expect(m.items[3].decision).toBe('Intet.');
  expect(m.participants).toEqual([
    { name: 'Birgitte Ravn', organisation: 'Østerå Kommune', role: 'chair' },
    { name: 'Kasper Møll', organisation: 'Vesterå Kommune' },
    { name: 'Lotte Dyhr', organisation: 'Nordå Kommune' },
    { name: 'Jens Krat', organisation: 'KL', role: 'minutes_taker' },
  ]);
  expect(m.absent).toEqual([{ name: 'Mikkel Haue', organisation: 'Sønderå Kommune' }]);
});

test('a document titled "Dagsorden" only: status agenda; "Lokale:" label, "d. 5. marts 2014", "kl. 13-15"', async () => {
  const m = await parseFixture('dagsorden-only.txt');
  expect(m.forum).toBe('Netværk for Kulturchefer i Østjylland');
  expect(m.status).toBe('agenda');
  expect(m.kind).toBe('meeting');
  expect(m.start).toBe('2014-03-05T13:00:00+01:00');
  expect(m.end).toBe('2014-03-05T15:00:00+01:00');
  expect(m.location).toBe('Mødesal B, Kulturværftet, Havnepladsen 1, 8900 Ålund');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Fælles billetsystem for spillestederne'],
    [3, 'Kulturaftale 2015-2018'],
    [4, 'Næste møde'],
  ]);
  expect(m.items.every((i) => i.decision === null)).toBe(true);
  expect(m.nextMeeting).toBe('2014-05-14');
});

test('"5/3-2015" with the place after the time on the same line; "Sag 1" items without section labels', async () => {
  const m = await parseFixture('slash-date-sag.txt');
  expect(m.forum).toBe('Ældrerådet Sønderlund');
  expect(m.start).toBe('2015-03-05T09:30:00+01:00');
  expect(m.end).toBe('2015-03-05T12:00:00+01:00');
  expect(m.location).toBe('Lokale 4, Sønderlund Rådhus');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af referat fra sidste møde'],
    [2, 'Høring om madservice'],
    [3, 'Budget 2016'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items[2].outcome).toBe('noted');
  expect(m.participants[0]).toEqual({ name: 'Ruth Holm', organisation: null, role: 'chair' });
});

test('an export with English month abbreviations ("12 Nov 2019") and "Punkt 1:" items', async () => {
  const m = await parseFixture('english-months.txt');
  expect(m.forum).toBe('Handicaprådet Kystby');
  expect(m.start).toBe('2019-11-12T15:00:00+01:00');
  expect(m.end).toBe('2019-11-12T17:00:00+01:00');
  expect(m.location).toBe('Rådhuset, mødelokale Havet');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Tilgængelighed på stranden'],
    [3, 'Eventuelt'],
  ]);
  expect(m.items[1].background).toBe('Der er ansøgt om midler til en rampe ved Nordstranden.');
});

test('"1.0", "2.0" item numbers; the forum is the organisation above "Referat af bestyrelsesmøde"', async () => {
  const m = await parseFixture('dotted-numbers-3-1.txt');
  expect(m.forum).toBe('Tønnerup Forsyning A/S');
  expect(m.start).toBe('2021-10-27T17:00:00+02:00');
  expect(m.location).toBe('Forsyningens kontor, Værkvej 1, Tønnerup');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Budget og takster 2022'],
    [3, 'Status på udskiftning af vandmålere'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'noted', 'other']);
  expect(m.absent).toEqual([]);
});

test('Prepare-style agenda: "Label:<TAB>value" header, TOC rows "1.<TAB>Title<TAB>page", "Sagsnr.:<TAB>…"', async () => {
  const m = await parseFixture('prepare-tabs.txt');
  expect(m.forum).toBe('Børne- og Skoleudvalget');
  expect(m.start).toBe('2020-09-03T15:00:00+02:00');
  expect(m.location).toBe('Mødelokale 1, Rådhuset, Åboulevarden 3, Skovby');
  expect(m.status).toBe('agenda');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Skoleårets planlægning 2020/21 - orientering'],
    [3, 'Kvalitetsrapport for skolevæsenet'],
    [4, 'Meddelelser'],
  ]);
  expect(m.items[2].background).toBe('Kvalitetsrapporten viser fremgang i de nationale test i dansk og matematik.');
  expect(m.items[0].background).toBeNull();
});

test('a header flattened onto one line with "–" between title and inline labels; "Ad pkt. 1 –" items', async () => {
  const m = await parseFixture('flat-inline-header.txt');
  expect(m.forum).toBe('Erhvervsnetværket Midt');
  expect(m.start).toBe('2012-04-18T08:00:00+02:00');
  expect(m.end).toBe('2012-04-18T10:00:00+02:00');
  expect(m.location).toBe('Innovationshuset, Lærkevej 5, Ravnby');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Velkomst'],
    [2, 'Iværksætterprisen 2012'],
    [3, 'Næste møde'],
  ]);
  expect(m.nextMeeting).toBe('2012-06-13');
  expect(names(m.participants)).toEqual(['Jakob Tang', 'Nina Wolff', 'Carsten Hviid', 'Rikke Bøg']);
});

test('a programme of time slots without item numbers; the slots give the meeting times', async () => {
  const m = await parseFixture('time-slot-agenda.txt');
  expect(m.forum).toBe('Netværket for Digital Velfærd');
  expect(m.start).toBe('2017-10-24T10:00:00+02:00');
  expect(m.end).toBe('2017-10-24T12:00:00+02:00');
  expect(m.location).toBe('Medborgerhuset, Sal 2, Torvegade 11, 5600 Lilleby');
  expect(m.status).toBe('agenda');
  expect(numbered(m)).toEqual([
    [1, 'Velkomst ved formanden'],
    [2, 'Erfaringer med skærmbesøg i hjemmeplejen'],
    [3, 'Fælles indkøb af velfærdsteknologi'],
    [4, 'Opsamling og næste skridt'],
  ]);
});

test('a Word table agenda ("Nr. | Punkt | Ansvarlig | Tid"), "Møde den:", "Mødeform:", "Deltagere fra kommunerne:"', async () => {
  const m = await parseFixture('word-table-agenda.txt');
  expect(m.forum).toBe('Følgegruppen for Det Nære Sundhedsvæsen');
  expect(m.start).toBe('2020-06-16T14:00:00+02:00');
  expect(m.end).toBe('2020-06-16T16:00:00+02:00');
  expect(m.location).toBe('Microsoft Teams (link i mødeindkaldelsen)');
  expect(m.status).toBe('agenda');
  expect(numbered(m)).toEqual([
    [1, 'Velkomst og godkendelse af dagsorden'],
    [2, 'Status på genoptræningsområdet'],
    [3, 'Fælles retningslinjer for udskrivning af ældre medicinske patienter'],
    [4, 'Eventuelt'],
  ]);
  expect(m.items[2].recommendation).toBe('Følgegruppen godkender udkastet.');
  expect(m.participants.map((p) => [p.name, p.organisation])).toEqual([
    ['Gitte Aas', 'Skærby Kommune'],
    ['Poul Rind', 'Hedeby Kommune'],
    ['Jytte Mark', 'Region Vestland'],
  ]);
});

test('"Lokale 2.14, …" as an unlabelled place line; bare "1 Title" items; "Til stede fra kommunerne:"', async () => {
  const m = await parseFixture('lokale-line.txt');
  expect(m.forum).toBe('Bestyrelsen for Ungdommens Uddannelsesvejledning Nørrevig');
  expect(m.start).toBe('2010-02-02T15:00:00+01:00');
  expect(m.end).toBe('2010-02-02T17:00:00+01:00');
  expect(m.location).toBe('Lokale 2.14, Uddannelseshuset, Skolegade 9, Nørrevig');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Vejledningsindsatsen i 8. og 9. klasse'],
    [3, 'Budget 2010'],
    [4, 'Eventuelt'],
  ]);
  expect(names(m.participants)).toEqual(['Vagn Bro', 'Eli Sund', 'Tove Ager']);
  expect(names(m.absent)).toEqual(['Anker Dal']);
});

test('portal HTML with <span> labels and values, a TOC table, item titles split over number and title spans', async () => {
  const m = await parseFixture('portal-spans.html');
  expect(m.forum).toBe('Integrationsrådet');
  expect(m.start).toBe('2013-05-08T19:00:00+02:00');
  expect(m.location).toBe('Kantinen, Havø Rådhus');
  expect(m.status).toBe('minutes');
  expect(numbered(m)).toEqual([
    [1, 'Godkendelse af dagsorden'],
    [2, 'Sprogcentrets årsrapport 2012'],
    [3, 'Valg af ny næstformand'],
  ]);
  expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'noted', 'approved']);
});

test('a two-page PDF with a running header and a "Side N af M" footer on each page', async () => {
  const data = await new Promise<Buffer>((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50 });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const furniture = (p: number) => {
      doc.font('Helvetica').fontSize(9).text('Ældrerådet Vestby', 50, 20);
      doc.text('Referat 05.03.2015', 400, 20);
      doc.text(`Side ${p} af 2`, 270, 800);
      doc.fontSize(11);
    };
    furniture(1);
    doc.font('Helvetica-Bold').fontSize(16).text('Referat', 50, 60).fontSize(11).font('Helvetica');
    doc.text('Ældrerådet Vestby', 50, 90);
    doc.text('Mødedato: 05.03.2015', 50, 110);
    doc.text('Mødetidspunkt: 10:00 - 12:00', 50, 125);
    doc.text('Mødested: Rådhuset, lokale 12', 50, 140);
    let y = 180;
    for (let k = 1; k <= 6; k++) {
      if (y > 700) {
        doc.addPage();
        furniture(2);
        y = 60;
      }
      doc.font('Helvetica-Bold').text(`${k}. Sag nummer ${k} om ældreplejen`, 50, y).font('Helvetica');
      y += 20;
      doc.text('Sagsfremstilling', 50, y);
      y += 15;
      doc.text('Sekretariatet har skrevet et notat om sagen, som fylder et par linjer i dokumentet og fortsætter her.', 50, y, { width: 450 });
      y = doc.y + 8;
      doc.text('Beslutning', 50, y);
      y += 15;
      doc.text('Godkendt.', 50, y);
      y += 40;
    }
    doc.end();
  });
  const m = await parseDocument({ data, fileName: 'aeldreraad.pdf' });
  expect(m.forum).toBe('Ældrerådet Vestby');
  expect(m.start).toBe('2015-03-05T10:00:00+01:00');
  expect(m.end).toBe('2015-03-05T12:00:00+01:00');
  expect(m.location).toBe('Rådhuset, lokale 12');
  expect(m.items.map((i) => i.title)).toEqual(Array.from({ length: 6 }, (_, k) => `Sag nummer ${k + 1} om ældreplejen`));
  // the running header at the top of page 2 is not part of any item
  expect(m.items.map((i) => i.decision)).toEqual(Array(6).fill('Godkendt.'));
});

describe('header and forum forms seen in real documents', () => {
  const body = '\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n2. Eventuelt\nBeslutning\nIntet.\n';
  test.each([
    // [header, forum, start, location]
    ['Mødereferat\nEmne: Møde i Regionalt Kontaktforum\nDato: 12.03.2018\nTid: 13.00-15.00\nSted: Regionshuset, lokale F5', 'Regionalt Kontaktforum', '2018-03-12T13:00:00+01:00', 'Regionshuset, lokale F5'],
    ['Dagsorden til møde i Praksisplanudvalget\nden 12. marts 2018 kl. 10.00-12.00\nhos Vestby Kommune, Rådhusvej 1, 7100 Vestby', 'Praksisplanudvalget', '2018-03-12T10:00:00+01:00', 'Vestby Kommune, Rådhusvej 1, 7100 Vestby'],
    ['Referat fra Sundhedskoordinationsudvalgets møde den 5. marts 2015 kl. 14-16\nSted: Regionshuset', 'Sundhedskoordinationsudvalget', '2015-03-05T14:00:00+01:00', 'Regionshuset'],
    ['Referat\nKKR Sjællands møde den 22. april 2016\nSted: Hotel Sorø, Sorøvej 1, Sorø', 'KKR Sjælland', '2016-04-22', 'Hotel Sorø, Sorøvej 1, Sorø'],
    ['Referat af møde nr. 3/2015 i Kontaktudvalget for Vest\nDato: 3. juni 2015\nSted: Rådhuset', 'Kontaktudvalget for Vest', '2015-06-03', 'Rådhuset'],
    ['Indkaldelse til møde i Børne- og Ungeudvalget\n\nMødet afholdes torsdag den 7. september 2017 kl. 16.00 i mødelokale 3 på Rådhuset.', 'Børne- og Ungeudvalget', '2017-09-07T16:00:00+02:00', 'mødelokale 3 på Rådhuset'],
    ['KKR Hovedstaden\nReferat\nMøde den 12. juni 2019\nKl. 09.00-11.00\nSted: KL-huset, Weidekampsgade 10', 'KKR Hovedstaden', '2019-06-12T09:00:00+02:00', 'KL-huset, Weidekampsgade 10'],
    ['Referat\n\nBørne- og Ungeudvalget\n\n05.03.2019 kl. 16:00\n\nUdvalgsværelset', 'Børne- og Ungeudvalget', '2019-03-05T16:00:00+01:00', 'Udvalgsværelset'],
    ['Dagsorden\nÆldrerådet i Nordby\nTirsdag den 5. marts 2019 kl. 10.00-12.00 på Rådhuset, lokale 1', 'Ældrerådet i Nordby', '2019-03-05T10:00:00+01:00', 'Rådhuset, lokale 1'],
    ['Minutes\nCommittee: Greater Fjord Board\nDate: 05-Oct-2021\nTime: 10:00-12:00\nVenue: Harbour House, Kajvej 2', 'Greater Fjord Board', '2021-10-05T10:00:00+02:00', 'Harbour House, Kajvej 2'],
  ])('%s', (header, forum, start, location) => {
    const m = parseText(header + body);
    expect([m.forum, m.start, m.location]).toEqual([forum, start, location]);
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Eventuelt']);
  });

  test.each([
    ['Vestby Kommune\nReferat fra byrådsmøde den 5. marts 2019 kl. 19.00\nByrådssalen, Vestby Rådhus', 'Byrådet', 'Byrådssalen, Vestby Rådhus'],
    ['Referat af bestyrelsesmøde i Vestegnens Vandselskab den 3. juni 2020', 'Bestyrelsen i Vestegnens Vandselskab', null],
    ['Referat af netværksmøde for kulturchefer i Østjylland\nDato: 2. maj 2019', 'Netværket for kulturchefer i Østjylland', null],
    ['Referat – KDK – 5. marts 2019\nSted: Rådhuset', 'KDK', 'Rådhuset'],
    ['Referat\nSOCDIR Nord\n5. marts 2019', 'SOCDIR Nord', null],
  ])('forum from compound words and short names: %s', (header, forum, location) => {
    const m = parseText(header + body);
    expect([m.forum, m.location]).toEqual([forum, location]);
  });

  test('a decision that happens to follow a page break is kept; the footer is dropped', () => {
    const m = parseText(
      'Referat\nUdvalg: Ældrerådet\nDato: 3. maj 2021\nSted: Rådhuset\n\n1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n2. Budget\nBeslutning\n\nÆldrerådet 03.05.2021 Side 1 af 2\n\nGodkendt.\n\n3. Eventuelt\nBeslutning\nIntet.\n\nÆldrerådet 03.05.2021 Side 2 af 2\n',
    );
    expect(m.items.map((i) => i.decision)).toEqual(['Godkendt.', 'Godkendt.', 'Intet.']);
  });

  test('an agenda of plain lines under "Dagsorden:" (no numbers, no bullets, no body)', () => {
    const m = parseText('Møde i Netværket for Skolechefer\nDato: 3. maj 2021 kl. 9-11\nSted: Skolen ved Søen\n\nDagsorden:\nVelkomst\nStatus på inklusionsprojektet\nFælles kursusdag i efteråret\nEventuelt\n\nVel mødt!\nSekretariatet\n');
    expect([m.forum, m.start, m.end, m.location, m.status]).toEqual(['Netværket for Skolechefer', '2021-05-03T09:00:00+02:00', '2021-05-03T11:00:00+02:00', 'Skolen ved Søen', 'agenda']);
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Velkomst'],
      [2, 'Status på inklusionsprojektet'],
      [3, 'Fælles kursusdag i efteråret'],
      [4, 'Eventuelt'],
    ]);
  });

  test('initials in a participant list after the items ("V. Olsen") are not Roman-numbered items', () => {
    const m = parseText('Referat\nUdvalg: Kulturudvalget\nDato: 3. maj 2021\n\n1. Godkendelse af dagsorden\nGodkendt.\n\n2. Budget\nGodkendt.\n\n3. Eventuelt\nIntet.\n\nDeltagere:\nA. Hansen\nV. Olsen\nI. C. Berg\n');
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Budget', 'Eventuelt']);
    expect(names(m.participants)).toEqual(['A. Hansen', 'V. Olsen', 'I. C. Berg']);
    expect(m.items[2].decision).toBe('Intet.');
  });

  test('a numbered list inside an item is not taken for the next items', () => {
    const m = parseText(
      'Referat\nUdvalg: Socialudvalget\nDato: 3. maj 2021\n\n1. Godkendelse af dagsorden\nGodkendt.\n\n2. Ny handicappolitik\nPolitikken har tre mål:\n\n' +
        '1. Adgang for alle\n\n2. Tilgængelige bygninger\n\n3. Inddragelse af foreningslivet\n\nUdvalget godkendte politikken.\n\n3. Orientering om ventelister\nTaget til efterretning.\n\n4. Eventuelt\nIntet.\n',
    );
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Ny handicappolitik', 'Orientering om ventelister', 'Eventuelt']);
    expect(m.items[1].decision).toContain('3. Inddragelse af foreningslivet');
  });

  test('a "sent on" date above the meeting date is not the meeting date', () => {
    const m = parseText('Dagsorden udsendt 28.02.2019\nMøde i Ældrerådet den 5. marts 2019 kl. 10.00\nSted: Rådhuset\n\n1. Velkomst\n\n2. Eventuelt\n');
    expect(m.forum).toBe('Ældrerådet');
    expect(m.start).toBe('2019-03-05T10:00:00+01:00');
  });

  test('"Punkt 1" alone on a line with the title on the next line', () => {
    const m = parseText('Dagsorden\nUdvalg: Teknisk Udvalg\nDato: 2. april 2014\n\nPunkt 1\nGodkendelse af dagsorden\n\nPunkt 2\nVejplan 2014\nSagsfremstilling\nPlanen er klar.\n');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Vejplan 2014'],
    ]);
    expect(m.items[1].background).toBe('Planen er klar.');
  });

  test('a body heading wrapped over two lines takes the whole title from the agenda list', () => {
    const m = parseText(
      'Referat\nUdvalg: Socialudvalget\nDato: 3. maj 2021\n\nIndholdsfortegnelse\n1. Godkendelse af dagsorden\n2. Status på udmøntning af den regionale sundhedsaftale for perioden 2019-2023\n\n' +
        '1. Godkendelse af dagsorden\nBeslutning\nGodkendt.\n\n2. Status på udmøntning af den regionale\nsundhedsaftale for perioden 2019-2023\nSagsfremstilling\nStatus er vedlagt.\nBeslutning\nTaget til efterretning.\n',
    );
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Status på udmøntning af den regionale sundhedsaftale for perioden 2019-2023']);
    expect(m.items[1].background).toBe('Status er vedlagt.');
  });
});
