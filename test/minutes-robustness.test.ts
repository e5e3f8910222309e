import fs from 'fs';
import { parseDocument, parseText } from '../src/minutes';
import { UserError } from '../src/errors';
import { describeWithSeeds, seedFiles } from './support/seeds';
import { mulberry32 } from './support/prng';

const prng = mulberry32;

const LABELS = /(BESLUTNING|Beslutning|Referat:?|Indstilling|SAGSFREMSTILLING|Baggrund|Resumé|Bilag|UDVALG|MØDE|STED|STARTTIDSPUNKT|PUNKTER|Møde\t|Tid\t|Sted\t|Deltagere|Afbud)/g;

function mutate(text: string, kind: number, rnd: () => number): string {
  switch (kind) {
    case 0: // truncate
      return text.slice(0, Math.floor(rnd() * text.length));
    case 1: { // shuffle lines
      const l = text.split('\n');
      for (let i = l.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [l[i], l[j]] = [l[j], l[i]];
      }
      return l.join('\n');
    }
    case 2: // remove or garble labels
      return text.replace(LABELS, () => (rnd() < 0.5 ? '' : 'Xq'));
    case 3: { // insert random characters / bytes
      const a = text.split('');
      const n = 50 + Math.floor(rnd() * 300);
      for (let i = 0; i < n; i++) a.splice(Math.floor(rnd() * a.length), 0, String.fromCharCode(Math.floor(rnd() * 0xd7ff)));
      return a.join('');
    }
    case 4: { // drop a random window of lines
      const l = text.split('\n');
      const s = Math.floor(rnd() * l.length);
      l.splice(s, Math.floor(rnd() * 80));
      return l.join('\n');
    }
    case 5: // everything on one line
      return text.replace(/\n+/g, rnd() < 0.5 ? ' ' : '\t');
    default: { // duplicate a slice
      const s = Math.floor(rnd() * text.length);
      return text.slice(0, s) + text.slice(Math.floor(s / 2));
    }
  }
}

function expectNoCrash(fn: () => unknown): void {
  const t0 = Date.now();
  try {
    fn();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
  }
  // a generous per-case guard against hangs (not a timing assertion on speed)
  expect(Date.now() - t0).toBeLessThan(10000);
}

describeWithSeeds('mutated seeds never crash or hang the parser', () => {
  const seeds = seedFiles().map((f) => fs.readFileSync(f, 'utf8'));
  const rnd = prng(20240601);
  const cases: Array<[number, number, string]> = [];
  for (let k = 0; k < 300; k++) cases.push([k, k % 7, seeds[k % seeds.length]]);

  test.each(cases.map(([k, kind]) => [k, kind]))('case %i (mutation %i)', (k, kind) => {
    const text = mutate(cases[k][2], kind, rnd);
    expectNoCrash(() => {
      const m = parseText(text);
      // whatever comes out is a well-formed meeting
      expect(Array.isArray(m.items)).toBe(true);
      for (const it of m.items) expect(it.title.length).toBeGreaterThan(0);
    });
  });

  test('random bytes inside a seed, parsed as a document', async () => {
    const r = prng(7);
    for (let k = 0; k < 20; k++) {
      const buf = Buffer.from(seeds[k % seeds.length], 'utf8');
      for (let i = 0; i < 40; i++) buf[Math.floor(r() * buf.length)] = Math.floor(r() * 256);
      const res = await parseDocument({ data: buf, fileName: 'x.txt' }).catch((e) => e);
      if (res instanceof Error) expect(res).toBeInstanceOf(UserError);
      else expect(res.items.length).toBeGreaterThan(0);
    }
  });
});

describe('pathological shapes stay bounded', () => {
  const shapes: Record<string, string> = {
    'numbered lines': Array.from({ length: 40000 }, (_, i) => `${(i % 999) + 1}. Titel ${i}`).join('\n'),
    'one long line': 'a '.repeat(500000),
    'labels only': 'Beslutning\nGodkendt\n'.repeat(50000),
    'bullets under a list header': 'PUNKTER\n' + '- Punkt\n'.repeat(100000),
    'headings': '# Overskrift\n\nTekst\n\n'.repeat(50000),
    'nested brackets and tags': '<ol>'.repeat(20000) + '[('.repeat(20000),
  };
  test.each(Object.keys(shapes))('%s', (name) => {
    expectNoCrash(() => {
      const m = parseText(shapes[name]);
      expect(m.items.length).toBeLessThanOrEqual(400);
    });
  });
});

describe('bad input gets a UserError with a code', () => {
  test('empty and whitespace', async () => {
    await expect(parseDocument({ data: Buffer.alloc(0), fileName: 'a.txt' })).rejects.toMatchObject({ code: 'empty' });
    await expect(parseDocument({ data: Buffer.from(' \n\t\r\n  \n'), fileName: 'a.txt' })).rejects.toMatchObject({ code: 'empty' });
    expect(() => parseText('')).toThrow(UserError);
  });

  test('binary garbage', async () => {
    const r = prng(99);
    const data = Buffer.alloc(4096);
    for (let i = 0; i < data.length; i++) data[i] = Math.floor(r() * 256);
    const err = await parseDocument({ data, fileName: 'garbage.bin' }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe('unreadable');
    expect(err.message).not.toMatch(/\n\s+at /);
  });

  test('a text without agenda items', async () => {
    const text = 'Kære alle\n\nHermed en hilsen fra sekretariatet. Vi ses snart.\n\nMed venlig hilsen\nSekretariatet\n';
    const err = await parseDocument({ data: Buffer.from(text), fileName: 'brev.txt' }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err.code).toBe('not_minutes');
    expect(err.message.startsWith('no agenda items found')).toBe(true);
  });

  test('too large text is rejected', async () => {
    const data = Buffer.alloc(11 * 1024 * 1024, 'a');
    await expect(parseDocument({ data, fileName: 'big.txt' })).rejects.toMatchObject({ code: 'too_large' });
    expect(() => parseText('x'.repeat(10 * 1024 * 1024 + 10))).toThrow(expect.objectContaining({ code: 'too_large' }));
  });

  test('old Word, zip and truncated PDF', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined); // pdf.js reports its repair attempts
    const doc = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expect(parseDocument({ data: doc, fileName: 'old.doc' })).rejects.toMatchObject({ code: 'unreadable' });
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(300, 1)]);
    await expect(parseDocument({ data: zip, fileName: 'a.zip' })).rejects.toMatchObject({ code: 'unreadable' });
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<<');
    await expect(parseDocument({ data: pdf, fileName: 'a.pdf' })).rejects.toBeInstanceOf(UserError);
  });
});
