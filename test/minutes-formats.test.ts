import fs from 'fs';
import path from 'path';
import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import PDFDocument from 'pdfkit';
import { parseDocument } from '../src/minutes';
import { UserError } from '../src/errors';
import { Meeting as MeetingSchema } from '../src/minutes/model';

const FIXTURES = path.join(__dirname, 'fixtures', 'minutes');

/** A fictional forum written for these tests. */
const FORUM = 'Fjordnetværket for Vand og Natur';

async function makeDocx(opts: { numberedHeadings: boolean }): Promise<Buffer> {
  const h = (n: number, t: string) => new Paragraph({ text: opts.numberedHeadings ? `${n}. ${t}` : t, heading: HeadingLevel.HEADING_2 });
  const label = (t: string) => new Paragraph({ children: [new TextRun({ text: t, bold: true })] });
  const p = (t: string) => new Paragraph({ text: t });
  const cell = (t: string) => new TableCell({ children: [p(t)] });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: `Referat af møde i ${FORUM}`, heading: HeadingLevel.HEADING_1 }),
          new Table({
            rows: [
              new TableRow({ children: [cell('Mødedato'), cell('12. marts 2025, kl. 10.00-12.00')] }),
              new TableRow({ children: [cell('Mødested'), cell('Naturcentret, Engvej 7, Fjordby')] }),
              new TableRow({ children: [cell('Deltagere'), cell('Kim Eng, Fjordby Kommune, Sara Mose, Dalby Kommune, Tom Sø, Region Fjordland')] }),
              new TableRow({ children: [cell('Afbud'), cell('Ulla Bæk, Dalby Kommune')] }),
            ],
          }),
          h(1, 'Godkendelse af dagsorden'),
          label('Beslutning'),
          p('Dagsordenen blev godkendt.'),
          h(2, 'Vandplan for Fjordby Å'),
          label('Baggrund'),
          p('Kommunerne skal samarbejde om en vandplan for hele oplandet.'),
          label('Indstilling'),
          p('Det indstilles, at netværket drøfter udkastet.'),
          label('Beslutning'),
          p('Udkastet blev drøftet. Sekretariatet arbejder videre.'),
          label('Bilag'),
          p('Udkast til vandplan.docx'),
          h(3, 'Eventuelt'),
          p('Intet.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function makePdf(lines: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica').fontSize(11);
    for (const l of lines) {
      if (l === '') doc.moveDown(0.8);
      else doc.text(l);
    }
    doc.end();
  });
}

describe('HTML input', () => {
  test('a board-portal page with a table header, "Punkt N:" headings and inline "Beslutning:"', async () => {
    const file = path.join(FIXTURES, 'fjordraadet.html');
    const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
    MeetingSchema.parse(m);
    expect(m.source.format).toBe('html');
    expect(m.source.file).toBe('fjordraadet.html');
    expect(m.forum).toBe('Fjordrådet for Kyst og Klima');
    expect(m.title).toBe('Referat af møde i Fjordrådet for Kyst og Klima');
    expect(m.start).toBe('2025-04-09T13:00:00+02:00');
    expect(m.end).toBe('2025-04-09T15:30:00+02:00');
    expect(m.location).toBe('Havnekontoret, mødelokale Ålegræs, Kajgade 3, Sundby');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Fælles plan for kystsikring 2026-2030'],
      [3, 'Ansøgning om midler til ålegræsprojekt'],
      [4, 'Næste møde'],
    ]);
    expect(m.items[0].decision).toBe('Godkendt uden bemærkninger.');
    expect(m.items[1].background).toContain('tre strækninger & et fælles digeprojekt');
    expect(m.items[1].background).not.toMatch(/Sagsnr/);
    expect(m.items[1].attachments).toEqual(['Kystplan 2026-2030.pdf', 'Kortbilag strækning 1-3.pdf']);
    expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'not_approved', 'other']);
    expect(m.participants).toHaveLength(4);
    expect(m.participants[0]).toEqual({ name: 'Birte Sand', organisation: 'Sundby Kommune', role: 'chair' });
    expect(m.participants[3].role).toBe('minutes_taker');
    expect(m.absent).toEqual([{ name: 'Lene Strand', organisation: 'Næsby Kommune' }]);
    expect(m.nextMeeting).toBe('2025-06-18');
  });

  test('an HTML string without a file name is detected as HTML', async () => {
    const html = '<!doctype html><html><body><h1>Dagsorden</h1><p>Udvalg: Fjordrådet</p><p>Dato: 2. maj 2025</p>' +
      '<h2>1. Velkomst</h2><p>Formanden byder velkommen.</p><h2>2. Eventuelt</h2></body></html>';
    const m = await parseDocument({ data: Buffer.from(html) });
    expect(m.source.format).toBe('html');
    expect(m.forum).toBe('Fjordrådet');
    expect(m.start).toBe('2025-05-02');
    expect(m.status).toBe('agenda');
    expect(m.items.map((i) => i.title)).toEqual(['Velkomst', 'Eventuelt']);
  });
});

describe('legacy HTML', () => {
  test('a page laid out with tables: label cells, items as bold paragraphs with <br>', async () => {
    const file = path.join(FIXTURES, 'legacy-table.html');
    const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
    expect(m.forum).toBe('Kommunalbestyrelsen i Lyngå');
    expect(m.start).toBe('2009-03-24T19:00:00+01:00');
    expect(m.location).toBe('Byrådssalen, Lyngå Rådhus');
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Lokalplan nr. 42 for boligområde ved Skovkanten', 'Meddelelser']);
    expect(m.items[1].background).toBe('Forslag til lokalplan har været i offentlig høring i 8 uger.\nDer er indkommet to indsigelser.');
    expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'approved', 'noted']);
    expect(m.absent.map((p) => p.name)).toEqual(['Karl Hede']);
  });
});

describe('Word (.docx) input', () => {
  test('numbered headings, a table header, bold section labels', async () => {
    const data = await makeDocx({ numberedHeadings: true });
    const m = await parseDocument({ data, fileName: 'fjord.docx' });
    MeetingSchema.parse(m);
    expect(m.source.format).toBe('docx');
    expect(m.forum).toBe(FORUM);
    expect(m.start).toBe('2025-03-12T10:00:00+01:00');
    expect(m.end).toBe('2025-03-12T12:00:00+01:00');
    expect(m.location).toBe('Naturcentret, Engvej 7, Fjordby');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Vandplan for Fjordby Å'],
      [3, 'Eventuelt'],
    ]);
    expect(m.items[1].outcome).toBe('discussed');
    expect(m.items[1].attachments).toEqual(['Udkast til vandplan.docx']);
    expect(m.participants.map((p) => p.organisation)).toEqual(['Fjordby Kommune', 'Dalby Kommune', 'Region Fjordland']);
    expect(m.absent).toEqual([{ name: 'Ulla Bæk', organisation: 'Dalby Kommune' }]);
  });

  test('headings without numbers (Word list numbering is lost) are numbered 1..n', async () => {
    const data = await makeDocx({ numberedHeadings: false });
    const m = await parseDocument({ data, fileName: 'fjord2.docx' });
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Vandplan for Fjordby Å'],
      [3, 'Eventuelt'],
    ]);
    expect(m.items[0].decision).toBe('Dagsordenen blev godkendt.');
  });

  test('items numbered by Word list numbering (mammoth gives one <ol> per heading)', async () => {
    const item = (t: string) => new Paragraph({ children: [new TextRun({ text: t, bold: true })], numbering: { reference: 'items', level: 0 } });
    const p = (t: string) => new Paragraph({ text: t });
    const doc = new Document({
      numbering: { config: [{ reference: 'items', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }] }] },
      sections: [
        {
          children: [
            p(`Referat af møde i ${FORUM}`),
            p('Dato: 2. oktober 2025 kl. 9.00-11.00'),
            p('Sted: Naturcentret'),
            item('Godkendelse af dagsorden'),
            p('Beslutning'),
            p('Godkendt.'),
            item('Budget 2026'),
            p('Beslutning'),
            p('Budgettet blev ikke godkendt.'),
            item('Eventuelt'),
            p('Intet.'),
          ],
        },
      ],
    });
    const m = await parseDocument({ data: await Packer.toBuffer(doc), fileName: 'numbered.docx' });
    expect(m.forum).toBe(FORUM);
    expect(m.start).toBe('2025-10-02T09:00:00+02:00');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Budget 2026'],
      [3, 'Eventuelt'],
    ]);
    expect(m.items[1].outcome).toBe('not_approved');
  });

  test('a damaged .docx is a clear user error', async () => {
    const data = await makeDocx({ numberedHeadings: true });
    const broken = Buffer.concat([data.subarray(0, 200), Buffer.alloc(500, 7)]);
    await expect(parseDocument({ data: broken, fileName: 'x.docx' })).rejects.toMatchObject({ code: 'unreadable' });
  });
});

describe('PDF input', () => {
  test('an agenda as PDF', async () => {
    const data = await makePdf([
      'Dagsorden',
      `Møde i ${FORUM}`,
      '',
      'Mødedato: 3. april 2025',
      'Tidspunkt: kl. 13.00 - 15.00',
      'Mødested: Fjordby Rådhus, lokale 4',
      '',
      '1. Velkomst og godkendelse af dagsorden',
      '',
      'Sagsfremstilling',
      'Formanden byder velkommen.',
      '',
      '2. Budget for netværkets sekretariat 2026',
      '',
      'Sagsfremstilling',
      'Sekretariatet fremlægger forslag til budget.',
      'Indstilling',
      'Det indstilles, at budgettet godkendes.',
      '',
      '3. Eventuelt',
    ]);
    const m = await parseDocument({ data, fileName: 'dagsorden.pdf' });
    MeetingSchema.parse(m);
    expect(m.source.format).toBe('pdf');
    expect(m.forum).toBe(FORUM);
    expect(m.start).toBe('2025-04-03T13:00:00+02:00');
    expect(m.end).toBe('2025-04-03T15:00:00+02:00');
    expect(m.location).toBe('Fjordby Rådhus, lokale 4');
    expect(m.status).toBe('agenda');
    expect(m.items.map((i) => i.title)).toEqual(['Velkomst og godkendelse af dagsorden', 'Budget for netværkets sekretariat 2026', 'Eventuelt']);
    expect(m.items[1].recommendation).toBe('Det indstilles, at budgettet godkendes.');
    expect(m.items.every((i) => i.decision === null && i.outcome === null)).toBe(true);
  });

  test('a multi-page PDF with a two-column header and section labels at page breaks', async () => {
    const data = await new Promise<Buffer>((resolve, reject) => {
      const doc = new PDFDocument({ size: 'A4', margin: 50 });
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
      doc.font('Helvetica-Bold').fontSize(16).text('Referat', 50, 50);
      doc.font('Helvetica').fontSize(11);
      let y = 90;
      for (const [l, v] of [['Udvalg', FORUM], ['Mødedato', '04.02.2020'], ['Mødetidspunkt', '16:00 - 18:30'], ['Mødested', 'Mødelokale 3, Naturcentret']]) {
        doc.text(l, 50, y);
        doc.text(v, 200, y);
        y += 18;
      }
      y += 20;
      for (let k = 1; k <= 12; k++) {
        if (y > 700) {
          doc.addPage();
          y = 50;
        }
        doc.font('Helvetica-Bold').text(`${k}. Sag nummer ${k} om vandløb`, 50, y, { width: 400 });
        y = doc.y + 8;
        doc.font('Helvetica').text('Sagsfremstilling', 50, y);
        y = doc.y + 4;
        doc.text('Sekretariatet har udarbejdet et notat om sagen. Teksten er lang nok til at blive brudt over flere linjer i dokumentet.', 50, y, { width: 450 });
        y = doc.y + 8;
        doc.text('Beslutning', 50, y);
        y = doc.y + 4;
        doc.text(k % 2 ? 'Godkendt.' : 'Taget til efterretning.', 50, y);
        y = doc.y + 16;
      }
      doc.end();
    });
    const m = await parseDocument({ data, fileName: 'referat.pdf' });
    expect(m.forum).toBe(FORUM);
    expect(m.start).toBe('2020-02-04T16:00:00+01:00');
    expect(m.end).toBe('2020-02-04T18:30:00+01:00');
    expect(m.location).toBe('Mødelokale 3, Naturcentret');
    expect(m.items).toHaveLength(12);
    expect(m.items[11].title).toBe('Sag nummer 12 om vandløb');
    expect(m.items.map((i) => i.outcome)).toEqual(Array.from({ length: 12 }, (_, k) => (k % 2 ? 'noted' : 'approved')));
  });

  test('a damaged PDF is a clear user error', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined); // pdf.js reports its repair attempts
    const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x41)]);
    const err = await parseDocument({ data, fileName: 'x.pdf' }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(['unreadable', 'empty']).toContain(err.code);
  });
});

describe('text encodings and markdown', () => {
  test('Windows-1252 text with CRLF line ends', async () => {
    const text = 'Referat\r\nUdvalg: Ældrerådet i Søby\r\nDato: 4. juni 2015 kl. 10.00-12.00\r\nSted: Rådhuset\r\n\r\n1. Godkendelse af dagsorden\r\nBeslutning\r\nGodkendt.\r\n';
    const data = Buffer.from(text, 'latin1');
    const m = await parseDocument({ data, fileName: 'ansi.txt' });
    expect(m.forum).toBe('Ældrerådet i Søby');
    expect(m.location).toBe('Rådhuset');
    expect(m.start).toBe('2015-06-04T10:00:00+02:00');
    expect(m.items[0].decision).toBe('Godkendt.');
  });

  test('a markdown export: table header, "##" headings, bold labels', async () => {
    const md = [
      '# Møde i Netværket for Grøn Omstilling',
      '',
      '| | |',
      '|---|---|',
      '| Tid | 2. december 2024, kl. 14.00-16.00 |',
      '| Sted | Energihuset, Vindvej 1 |',
      '',
      '## 1. Velkomst',
      '',
      '**Beslutning**',
      '',
      'Formanden bød velkommen.',
      '',
      '## 2. Fælles indkøb af elbiler',
      '',
      '**Indstilling**',
      '',
      'Det indstilles, at netværket godkender et fælles udbud.',
      '',
      '**Beslutning**',
      '',
      'Godkendt.',
    ].join('\n');
    const m = await parseDocument({ data: Buffer.from(md), fileName: 'net.md' });
    expect(m.forum).toBe('Netværket for Grøn Omstilling');
    expect(m.start).toBe('2024-12-02T14:00:00+01:00');
    expect(m.end).toBe('2024-12-02T16:00:00+01:00');
    expect(m.location).toBe('Energihuset, Vindvej 1');
    expect(m.items.map((i) => i.title)).toEqual(['Velkomst', 'Fælles indkøb af elbiler']);
    expect(m.items[1].recommendation).toBe('Det indstilles, at netværket godkender et fælles udbud.');
    expect(m.items[1].outcome).toBe('approved');
  });
});
