import fs from 'fs';
import path from 'path';
import { parseDocument } from '../src/minutes';
import { Meeting as MeetingSchema, type Meeting } from '../src/minutes/model';
import { describeWithLayouts, LAYOUTS_DIR } from './support/seeds';

async function parseLayout(name: string): Promise<Meeting> {
  const file = path.join(LAYOUTS_DIR, name);
  const m = await parseDocument({ data: fs.readFileSync(file), fileName: file });
  MeetingSchema.parse(m);
  return m;
}

describeWithLayouts('layout examples', () => {
  test('labels-referat: label-only header, "Fraværende:" after each decision', async () => {
    const m = await parseLayout('labels-referat.txt');
    expect(m.forum).toBe('Handicaprådet Vestkyst');
    expect(m.start).toBe('2022-03-14T16:00:00+01:00');
    expect(m.location).toBe('Rådhuset, lokale 2.14, Strandvejen 4, Havbo');
    expect(m.title).toBe('Møde i Handicaprådet Vestkyst den 14. marts 2022');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af dagsorden'],
      [2, 'Høring om ny kvalitetsstandard for ledsagelse'],
      [3, 'Orientering fra formanden'],
    ]);
    expect(m.items.map((i) => i.decision?.split(' ')[0])).toEqual(['Godkendt.', 'Handicaprådet', 'Taget']);
    expect(m.items.map((i) => i.outcome)).toEqual(['approved', 'discussed', 'noted']);
    // the absentee list is not part of the decision
    expect(m.items[0].decision).toBe('Godkendt.');
    expect(m.absent.map((p) => p.name)).toEqual(['Mette Lyngholm']);
    expect(m.items[1].background).toMatch(/^Administrationen har udarbejdet/);
    expect(m.items[1].recommendation).toMatch(/^Administrationen indstiller/);
    expect(m.status).toBe('minutes');
  });

  test('flattened: header on one line, "Sager til behandling"', async () => {
    const m = await parseLayout('flattened.txt');
    expect(m.forum).toBe('Styregruppen for Vestkystsamarbejdet');
    expect(m.title).toBe('Møde i Styregruppen for Vestkystsamarbejdet');
    expect(m.start).toBe('2018-06-07T13:00:00+02:00');
    expect(m.end).toBe('2018-06-07T15:30:00+02:00');
    expect(m.location).toBe('Regionshuset, mødelokale C, Havnegade 9, Havbo');
    expect(m.items.map((i) => i.title)).toEqual(['Godkendelse af dagsorden', 'Takster 2019 for Botilbuddet Klitgården', 'Næste møde']);
    expect(m.items[0].decision).toBe('Godkendt.');
    expect(m.items[1].outcome).toBe('not_approved'); // "godkendte ikke"
    expect(m.items[1].background).toMatch(/^Havbo Kommune anmoder/);
    expect(m.participants).toHaveLength(4);
    expect(m.participants[0]).toEqual({ name: 'Karin Mørup', organisation: 'Havbo Kommune', role: 'chair' });
    expect(m.participants[3]).toMatchObject({ name: 'Ole Vestergaard', role: 'minutes_taker' });
    expect(m.absent).toEqual([{ name: 'Henrik Skov', organisation: 'Sandvig Kommune' }]);
    expect(m.nextMeeting).toBe('2018-09-13');
  });

  test('beslutningsprotokol: Mødested/Mødedato/Medlemmer, "Beslutning i … den …"', async () => {
    const m = await parseLayout('beslutningsprotokol.txt');
    expect(m.forum).toBe('Børne- og Familieudvalget');
    expect(m.start).toBe('2018-10-02T08:30:00+02:00');
    expect(m.location).toBe('Byrådssalen, Klitby Rådhus');
    expect(m.items.map((i) => i.title)).toEqual(['Meddelelser', 'Budgetopfølgning pr. 31. august 2018', 'Ny struktur for dagplejen']);
    expect(m.items.map((i) => i.outcome)).toEqual(['noted', 'approved', 'postponed']);
    expect(m.items[1].decision).toMatch(/^Godkendt\./);
    expect(m.items[0].background).toMatch(/^Formanden og direktøren/);
    expect(m.items[0].background).not.toMatch(/Sagsnr/);
    expect(m.participants.map((p) => p.name)).toEqual(['Anne Juhl', 'Peter Kragh', 'Sofie Dam', 'Lars Ravn', 'Ib Mose']);
    expect(m.participants[0].role).toBe('chair');
    expect(m.absent.map((p) => p.name)).toEqual(['Lars Ravn']);
  });

  test('firstagenda.html: definition-list header, decision first', async () => {
    const m = await parseLayout('firstagenda.html');
    expect(m.source.format).toBe('html');
    expect(m.forum).toBe('Kystforum');
    expect(m.title).toBe('Møde i Kystforum den 21. februar 2024');
    expect(m.start).toBe('2024-02-21T13:00:00+01:00');
    expect(m.end).toBe('2024-02-21T14:30:00+01:00');
    expect(m.location).toBe('Online (Teams)');
    expect(m.items.map((i) => [i.number, i.title])).toEqual([
      [1, 'Godkendelse af referat'],
      [2, 'Fælles indkøb af hjælpemidler'],
      [3, 'Eventuelt'],
    ]);
    expect(m.items[0].decision).toBe('Referatet blev godkendt.');
    expect(m.items[0].attachments).toEqual(['Referat 6. december 2023.pdf']);
    expect(m.items[0].background).toMatch(/^Referat fra mødet den 6\. december 2023/);
    expect(m.items[1].outcome).toBe('approved');
    expect(m.items[2].decision).toBeNull();
    expect(m.items[2].outcome).toBeNull();
  });
});
