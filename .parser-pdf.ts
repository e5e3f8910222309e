import PDFDocument from 'pdfkit';
import { parseDocument } from './src/minutes';
const doc = new PDFDocument({ size: 'A4', margin: 50 });
const chunks: Buffer[] = [];
doc.on('data', (c: Buffer) => chunks.push(c));
doc.on('end', async () => {
  const { pdfToText } = require('./src/minutes/extract'); console.log(JSON.stringify((await pdfToText(Buffer.concat(chunks))).slice(0, 700))); const m = await parseDocument({ data: Buffer.concat(chunks), fileName: 'x.pdf' });
  console.log(m.forum, m.start, m.end, m.location, m.items.map((i) => `${i.number}:${i.title}:${i.outcome}`));
});
doc.font('Helvetica-Bold').fontSize(16).text('Referat', 50, 50);
doc.font('Helvetica').fontSize(11);
let y = 90;
for (const [l, v] of [['Udvalg', 'Børne- og Skoleudvalget'], ['Mødedato', '04.02.2020'], ['Mødetidspunkt', '16:00 - 18:30'], ['Mødested', 'Mødelokale 3, Rådhuset']]) {
  doc.text(l, 50, y); doc.text(v, 200, y); y += 18;
}
y += 20;
for (let k = 1; k <= 12; k++) {
  if (y > 700) { doc.addPage(); y = 50; }
  doc.font('Helvetica-Bold').text(`${k}. Sag nummer ${k} om skoleområdet og ${k === 3 ? 'en meget lang titel der fortsætter på næste linje fordi den er' : 'drift'}`, 50, y, { width: 400 }); y = doc.y + 8;
  doc.font('Helvetica').text('Sagsfremstilling', 50, y); y = doc.y + 4;
  doc.text('Forvaltningen har udarbejdet et notat om sagen, som gennemgås på mødet. Der er tale om en længere tekst, som brydes over flere linjer i dokumentet.', 50, y, { width: 450 }); y = doc.y + 8;
  doc.text('Beslutning', 50, y); y = doc.y + 4;
  doc.text(k % 2 ? 'Godkendt.' : 'Taget til efterretning.', 50, y); y = doc.y + 16;
}
doc.end();
