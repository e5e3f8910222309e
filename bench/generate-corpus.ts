/**
 * A synthetic corpus of agendas and minutes in the seed layouts, with varied fictional content, for the
 * benchmarks (parse, import, and later the questions at 50,000 items).
 *
 *   generateCorpus({ documents: 1000, itemsPerDoc: 10, seed: 1 })  → CorpusDocument[] (deterministic)
 *   npx ts-node-ish:  node -r @swc-node/register bench/generate-corpus.ts --documents 1000 --items 10 --seed 1 --out bench/corpus
 *
 * Layouts (as in ../shared/seeds): 'labelled-links' (UDVALG/MØDE/STED block, PUNKTER as markdown links,
 * unnumbered body headings, "Name, Organisation" participants), 'labelled' (Udgivet line, numbered PUNKTER
 * and headings), 'tabbed' (Møde/Tid/Sted/Deltagere/Afbud with tabs, "Referat:" labels, bare names) and
 * 'tabbed-ol' (tabbed header with "Name (Organisation)" and the boxed <ol> item list).
 * Each forum meets every two weeks from 2008, so (forum, date) is unique and documents never collide.
 */
import fs from 'fs';
import path from 'path';
import { mulberry32 } from '../test/support/prng';

export type Layout = 'labelled-links' | 'labelled' | 'tabbed' | 'tabbed-ol';
export const LAYOUTS: Layout[] = ['labelled-links', 'labelled', 'tabbed', 'tabbed-ol'];

export interface CorpusItem {
  number: number;
  title: string;
  decision: string | null;
  outcome: 'approved' | 'not_approved' | 'noted' | 'discussed' | 'postponed' | 'other' | null;
}

export interface CorpusDocument {
  fileName: string;
  text: string;
  forum: string;
  /** YYYY-MM-DD */
  date: string;
  start: string;
  layout: Layout;
  status: 'agenda' | 'minutes';
  location: string;
  items: CorpusItem[];
}

export interface CorpusOptions {
  documents: number;
  /** Items per document (the real ones have 5-16). Default 10. */
  itemsPerDoc?: number;
  /** PRNG seed; the same seed gives the same corpus. Default 1. */
  seed?: number;
  /** Share of documents that are agendas (no decisions). Default 0.1. */
  agendaShare?: number;
}

function rng(seed: number) {
  const next = mulberry32(seed);
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof rng>;

const FORUMS = [
  'Socialdirektørforum',
  'Den Administrative Styregruppe på socialområdet',
  'Socialdirektørkredsen',
  'Socialdirektørforum Vestkyst',
  'Direktørkredsen Midtfjord',
  'Socialdirektørforum Østersøkysten',
  'Den Administrative Styregruppe for Hedeland',
  'Direktørforum for Børn og Unge Nordhav',
  'Socialdirektørkredsen Bakkeland',
  'Styregruppen for Rammeaftalen Sydkysten',
  'Direktørforum Sundhed og Omsorg Fjordland',
  'KKR Vestkyst Socialdirektører',
];
const TOWNS = ['Saltvig', 'Klitby', 'Havbjerg', 'Marehalm', 'Sandlyng', 'Tanghøj', 'Vesterdyb', 'Fjordby', 'Lyngmose', 'Egebakke', 'Stenager', 'Bøgelund', 'Ravnsø', 'Kildeby', 'Mosevang', 'Skovhøj', 'Åkjær', 'Birkely', 'Havnsø', 'Dalum Nord'];
const STREETS = ['Havnegade', 'Torvet', 'Strandvejen', 'Skolegade', 'Rådhuspladsen', 'Kirkevej', 'Møllebakken', 'Engvej', 'Fjordvej', 'Klintevej'];
const FIRST = ['Anne', 'Bo', 'Camilla', 'Dorthe', 'Erik', 'Frederik', 'Gitte', 'Hanne', 'Ib', 'Jens', 'Karin', 'Lone', 'Mads', 'Nina', 'Ole', 'Pia', 'Rasmus', 'Susanne', 'Torben', 'Ulla', 'Vibeke', 'Xenia', 'Yrsa', 'Zenia', 'Kasper', 'Louise', 'Morten', 'Tina', 'Henrik', 'Mette'];
const LAST = ['Strandgaard', 'Kragh', 'Tang', 'Mølbæk', 'Aalund', 'Rønhave', 'Klitgaard', 'Sandal', 'Havsted', 'Dybbøl', 'Fjordside', 'Lyngholm', 'Egebjerg', 'Stenvad', 'Bøgh', 'Ravn', 'Kildegaard', 'Mosegaard', 'Skovbo', 'Birk', 'Vestergaard', 'Østergaard', 'Nørskov', 'Søndergaard', 'Højgaard'];
const INST_PREFIX = ['Bostedet', 'Krisecentret', 'Ungehuset', 'Aflastningstilbuddet', 'Misbrugscentret', 'Botilbuddet', 'Familiehuset', 'Specialbørnehaven', 'Værestedet', 'Forsorgshjemmet', 'Opholdsstedet', 'Rehabiliteringscentret'];
const INST_NAME = ['Fyrbakken', 'Tidevandet', 'Bølgen', 'Strandengen', 'Klitrosen', 'Lærkereden', 'Solsikken', 'Havlit', 'Marehalmen', 'Ankeret', 'Kompasset', 'Fyrtårnet', 'Sandormen', 'Vadehavet', 'Ebbe og Flod', 'Klithuset', 'Dråben', 'Lysningen', 'Engblommen', 'Skrænten'];
const COUNCILS = ['Samrådet for Kystens Socialpsykiatri', 'Koordinationsgruppen for Specialundervisning', 'Dialogforum for Handicap', 'Styregruppen for Hjemløseindsatsen', 'Netværket for Voksenudredning', 'Det Tværsektorielle Forum for Psykiatri', 'Følgegruppen for Socialtilsynet'];
const THEMES = ['borgere med erhvervet hjerneskade', 'unge med autisme', 'hjemløse med misbrug', 'børn med handicap', 'voksne med psykiske lidelser', 'kvinder på krisecenter', 'udsatte familier', 'unge på kanten af arbejdsmarkedet', 'ældre med demens', 'borgere med dobbeltdiagnose', 'anbragte børn', 'pårørende til psykisk syge'];
const TOPICS = ['takststruktur', 'belægningsprocenter', 'kapacitetsanalyse', 'ventelister', 'kompetenceudvikling', 'rekruttering af pædagoger', 'digital journalføring', 'fælles udbud', 'tilsynsrapporter', 'magtanvendelser', 'budgetopfølgning', 'udviklingsstrategi', 'rammeaftale', 'styringsaftale', 'nøgletal', 'evaluering af samarbejdet'];

const MONTHS = ['januar', 'februar', 'marts', 'april', 'maj', 'juni', 'juli', 'august', 'september', 'oktober', 'november', 'december'];
const pad = (n: number) => String(n).padStart(2, '0');

interface Person {
  name: string;
  org: string;
}

function person(r: Rng): Person {
  return { name: `${r.pick(FIRST)} ${r.pick(LAST)}`, org: `${r.pick(TOWNS)} Kommune` };
}

function institution(r: Rng): string {
  return `${r.pick(INST_PREFIX)} ${r.pick(INST_NAME)}`;
}

function tariff(r: Rng): string {
  return `${r.int(1, 9)}.${r.int(100, 999)} kr.`;
}

function amount(r: Rng): string {
  return r.chance(0.5) ? `${r.int(1, 9)}.${r.int(100, 999)} kr.` : `${r.int(1, 12)},${r.int(1, 9)} mio. kr.`;
}

const SENTENCES: Array<(r: Rng, forum: string, year: number) => string> = [
  (r) => `Sagen har været drøftet i forretningsudvalget, som anbefaler, at ${r.pick(['kommunerne', 'regionen', 'sekretariatet', 'arbejdsgruppen'])} ${r.pick(['følger udviklingen tæt', 'udarbejder en tidsplan', 'inddrager brugerorganisationerne', 'vender tilbage med et konkret forslag'])}.`,
  (r, _f, y) => `I ${y - 1} blev der i alt brugt ${amount(r)} på området, hvilket er ${r.int(2, 19)} procent ${r.pick(['mere', 'mindre'])} end året før.`,
  (r) => `${r.pick(FIRST)} ${r.pick(LAST)} fra ${r.pick(TOWNS)} Kommune deltager under punktet og fortæller om erfaringerne med ${r.pick(THEMES)}.`,
  (r) => `Der er udarbejdet et notat om ${r.pick(TOPICS)}, som beskriver ${r.pick(['de økonomiske konsekvenser', 'de faglige anbefalinger', 'tre mulige modeller', 'status i de enkelte kommuner'])}.`,
  (r, f) => `${f} besluttede tidligere at ${r.pick(['nedsætte en arbejdsgruppe', 'igangsætte en analyse', 'følge op hvert halve år', 'sende sagen i høring'])}, og resultatet foreligger nu.`,
  (r) => `Målgruppen omfatter cirka ${r.int(15, 1500)} borgere, hvoraf ${r.int(5, 60)} procent er under ${r.int(18, 30)} år.`,
  (r) => `Kommunerne i ${r.pick(TOWNS)}-området har ${r.pick(['gode erfaringer med', 'udfordringer med', 'ønsker at styrke', 'behov for at justere'])} ${r.pick(TOPICS)}, især i forhold til ${r.pick(THEMES)}.`,
  (r) => `Tilbuddet ${institution(r)} har en belægning på ${r.int(55, 104)} procent og en gennemsnitlig døgntakst på ${tariff(r)}`,
  (r, _f, y) => `Socialtilsynet gennemførte ${r.int(2, 40)} tilsyn i ${y - 1} og gav ${r.int(0, 6)} påbud, primært om ${r.pick(['medicinhåndtering', 'dokumentation', 'magtanvendelse', 'personalenormering', 'fysiske rammer'])}.`,
  (r) => `Det forventes, at ændringen træder i kraft den ${r.int(1, 28)}. ${r.pick(MONTHS)}, når ${r.pick(['byrådene', 'regionsrådet', 'KKR', 'styregruppen'])} har godkendt den.`,
  (r) => `Sekretariatet anbefaler, at man ${r.pick(['afventer den nationale udmelding', 'prioriterer de mest specialiserede tilbud', 'koordinerer med nabokommunerne', 'fastholder den nuværende model'])}.`,
  (r) => `En spørgeskemaundersøgelse blandt ${r.int(40, 900)} medarbejdere viser, at ${r.int(30, 90)} procent oplever ${r.pick(['et øget arbejdspres', 'bedre samarbejde', 'mangel på efteruddannelse', 'klarere rammer'])}.`,
];

function paragraph(r: Rng, forum: string, year: number): string {
  return Array.from({ length: r.int(2, 4) }, () => r.pick(SENTENCES)(r, forum, year)).join(' ');
}

interface ItemText extends CorpusItem {
  background: string;
  recommendation: string;
  attachments: string[];
}

function makeItem(r: Rng, number: number, forum: string, date: Date, isMinutes: boolean, last: boolean, nextDate: Date): ItemText {
  const inst = institution(r);
  const theme = r.pick(THEMES);
  const topic = r.pick(TOPICS);
  const town = r.pick(TOWNS);
  const p = person(r);
  const year = date.getUTCFullYear();
  if (number === 1) {
    return { number, title: 'Godkendelse af dagsorden', background: 'Dagsordenen er udsendt en uge før mødet.', recommendation: 'Det indstilles, at dagsordenen godkendes.', decision: isMinutes ? 'Dagsordenen blev godkendt.' : null, outcome: isMinutes ? 'approved' : null, attachments: [] };
  }
  if (last) {
    const d = `${nextDate.getUTCDate()}. ${MONTHS[nextDate.getUTCMonth()]} ${nextDate.getUTCFullYear()}`;
    return { number, title: 'Næste møde', background: 'Mødet holdes efter den vedtagne mødeplan.', recommendation: 'Til orientering.', decision: isMinutes ? `Næste møde afholdes den ${d} kl. 9.00-12.00 i ${r.pick(TOWNS)}.` : null, outcome: isMinutes ? 'other' : null, attachments: [] };
  }
  const kinds = [
    () => ({
      title: `Takststigning på ${inst}`,
      background: `${town} Kommune driver ${inst} med ${r.int(6, 40)} pladser til ${theme}. Kommunen ønsker at hæve døgntaksten til ${tariff(r)}, fordi ${r.pick(['der skal ansættes nattevagter', 'huslejen stiger', 'målgruppen har fået større behov', 'der indføres en ny behandlingsmetode'])}. Stigningen er på ${r.int(3, 15)} procent.`,
      recommendation: `Forretningsudvalget indstiller, at ${forum} godkender takststigningen på ${inst}.`,
    }),
    () => ({
      title: `Udpegning af repræsentant til ${r.pick(COUNCILS)}`,
      background: `Den nuværende repræsentant træder ud. ${p.name}, ${p.org}, har sagt ja til at stille op. Gruppen mødes ${r.int(2, 6)} gange om året.`,
      recommendation: `Forretningsudvalget indstiller, at ${p.name} udpeges.`,
    }),
    () => ({
      title: `Orientering om ${topic} for ${theme}`,
      background: `Sekretariatet har samlet tal fra kommunerne om ${topic}. I ${year} var der ${r.int(20, 900)} borgere i målgruppen, og den gennemsnitlige ventetid var ${r.int(2, 30)} uger.`,
      recommendation: 'Det indstilles, at orienteringen tages til efterretning.',
    }),
    () => ({
      title: `Lukning af ${inst}`,
      background: `${town} Kommune lukker ${inst} den ${r.int(1, 28)}. ${r.pick(MONTHS)} ${year + 1}. Belægningen har i ${r.int(2, 4)} år ligget under ${r.int(50, 75)} procent, og de ${r.int(3, 20)} borgere får tilbud andre steder.`,
      recommendation: 'Det indstilles, at orienteringen om lukningen tages til efterretning.',
    }),
    () => ({
      title: `Fælles ${r.pick(['udbud af', 'indkøb af', 'aftale om'])} ${r.pick(['tolkebistand', 'kørsel', 'hjælpemidler', 'misbrugsbehandling', 'krisepladser', 'supervision'])}`,
      background: `Et fælles forløb kan ifølge sekretariatet spare ${amount(r)} om året, men binder kommunerne i ${r.int(2, 5)} år. ${r.int(2, 9)} kommuner har egne aftaler i dag.`,
      recommendation: `Forretningsudvalget indstiller, at ${forum} godkender, at sekretariatet går videre.`,
    }),
    () => ({
      title: `Udvidelse af ${inst} med ${r.int(2, 12)} pladser`,
      background: `${town} Kommune foreslår at udvide ${inst}, så ventelisten for ${theme} kan nedbringes. Anlægsudgiften er ${amount(r)}.`,
      recommendation: 'Det indstilles, at udvidelsen godkendes.',
    }),
    () => ({
      title: `Drøftelse af ${topic} i ${year}`,
      background: `${forum} har bedt om en drøftelse af ${topic}. Erfaringerne fra ${town} viser, at ${r.pick(['tidlig indsats virker', 'samarbejdet med regionen kan styrkes', 'dokumentationen er blevet bedre', 'der mangler fagligt personale'])}.`,
      recommendation: 'Det indstilles, at punktet drøftes.',
    }),
  ];
  const k = r.pick(kinds)();
  // real items carry one to three kilobytes of case presentation: add paragraphs of varied filler
  k.background = [k.background, ...Array.from({ length: r.int(2, 6) }, () => paragraph(r, forum, year))].join('\n\n');
  let decision: string | null = null;
  let outcome: CorpusItem['outcome'] = null;
  if (isMinutes) {
    const o = r.pick(['approved', 'approved', 'noted', 'discussed', 'not_approved', 'postponed'] as const);
    outcome = o;
    decision = {
      approved: `${r.pick(['Indstillingen blev godkendt', 'Forslaget blev godkendt', 'Godkendt'])}. ${r.pick(['Sekretariatet følger op.', `${p.name} orienterer på næste møde.`, 'Ændringen gælder fra årsskiftet.'])}`,
      not_approved: `Indstillingen blev ikke godkendt. ${r.pick(['Kommunerne ønsker at vente.', 'Økonomien var for usikker.', 'Flere kommuner har egne aftaler.'])}`,
      noted: 'Orienteringen blev taget til efterretning.',
      discussed: `Punktet blev drøftet. ${r.pick(['Sekretariatet udarbejder et notat.', 'Der var enighed om retningen.', `${town} Kommune kommer med et oplæg.`])}`,
      postponed: `Punktet blev udsat til næste møde, ${r.pick(['da økonomien ikke var belyst', 'da regionen ikke var til stede', 'på grund af tidsnød'])}.`,
      other: 'Intet at bemærke.',
    }[o];
  }
  const attachments = r.chance(0.3) ? [`Bilag ${number}a ${k.title.slice(0, 40)}`] : [];
  return { number, ...k, decision, outcome, attachments };
}

function render(layout: Layout, forum: string, date: Date, location: string, items: ItemText[], people: Person[], absent: Person[], isMinutes: boolean): string {
  const d = date.getUTCDate();
  const m = date.getUTCMonth();
  const y = date.getUTCFullYear();
  const dmy = `${pad(d)}-${pad(m + 1)}-${y}`;
  const ymd = `${y}-${pad(m + 1)}-${pad(d)}`;
  const title = `Møde i ${forum} den ${d}. ${MONTHS[m]}`;
  const out: string[] = [];
  const decisionLabel = layout.startsWith('tabbed') ? 'Referat:' : layout === 'labelled-links' ? 'BESLUTNING' : 'Beslutning';
  if (layout === 'labelled-links' || layout === 'labelled') {
    if (layout === 'labelled') out.push(title, '', `Udgivet ${pad(d)}.${pad(m + 1)}.${y}`, '');
    out.push('UDVALG', '', forum, '', 'MØDE', '', title, '', 'STED', '', location, '', 'STARTTIDSPUNKT', '');
    out.push(layout === 'labelled-links' ? `${dmy} 09:00:00` : `${ymd} 09:00`, '', 'SLUTTIDSPUNKT', '', layout === 'labelled-links' ? `${dmy} 12:00:00` : `${ymd} 12:00`, '', '', 'PUNKTER', '');
    if (layout === 'labelled-links') {
      out.push(...items.map((it, i) => `${i ? ' ' : ''}- [${it.number}. ${it.title}](#)`), '-', '');
      out.push(`Deltagere: ${people.map((p) => `${p.name}, ${p.org}`).join(', ')}`, '', `Afbud: ${absent.map((p) => `${p.name}, ${p.org}`).join(', ')}`, '');
    } else out.push(...items.flatMap((it) => [`${it.number}. ${it.title}`, '']), '');
    for (const it of items) {
      out.push(layout === 'labelled-links' ? it.title : `${it.number}. ${it.title}`, '');
      out.push(layout === 'labelled-links' ? 'SAGSFREMSTILLING' : 'Baggrund', '', it.background, '', 'Indstilling', '', it.recommendation, '');
      if (it.decision) out.push(decisionLabel, '', it.decision, '');
      if (it.attachments.length) out.push(layout === 'labelled-links' ? `Bilag til ${it.title}` : 'Bilag', '', ...it.attachments.map((a) => `- ${a}`), '');
    }
  } else {
    const time = `${d}. ${MONTHS[m]} ${y}, kl. 9.00-12.00`;
    const names = layout === 'tabbed' ? joinOg(people.map((p) => p.name)) : people.map((p, i) => `${p.name} (${i === 0 ? 'formand, ' : ''}${p.org})`).join(', ');
    const abs = layout === 'tabbed' ? absent.map((p) => p.name).join(', ') : absent.map((p) => `${p.name} (${p.org})`).join(', ');
    out.push('', '', '', '', `Møde\t${forum}`, `Tid\t${time}`, `Sted\t${location}`, `Deltagere\t${names}`, `Afbud\t${abs}`, '');
    if (layout === 'tabbed-ol') {
      out.push(`Sager til behandling\t<ol style="list-style-type: none">${items.map((it) => `${it.number}. ${it.title}`).join('')}`, '-----------------------------\t--', '');
    }
    for (const it of items) {
      out.push(`${it.number}. ${it.title}`, '');
      if (layout === 'tabbed-ol') out.push('Baggrund', '');
      out.push(it.background, '', 'Indstilling', '', 'Det indstilles', '', `- ${it.recommendation.replace(/^Det indstilles, at /, 'at ')}`, '');
      if (it.attachments.length && layout === 'tabbed-ol') out.push('Bilag', '', ...it.attachments, '');
      if (it.decision) out.push(decisionLabel, '', it.decision, '');
    }
  }
  void isMinutes;
  return `${out.join('\n')}\n`.replace(/kr\.\./g, 'kr.');
}

function joinOg(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} og ${names[names.length - 1]}`;
}

/** The corpus, one document at a time (constant memory for large runs). */
export function* iterateCorpus(opts: CorpusOptions): Generator<CorpusDocument> {
  const r = rng(opts.seed ?? 1);
  const itemsPerDoc = Math.max(2, opts.itemsPerDoc ?? 10);
  const agendaShare = opts.agendaShare ?? 0.1;
  const base = Date.UTC(2008, 0, 7);
  for (let i = 0; i < opts.documents; i++) {
    const f = i % FORUMS.length;
    const k = Math.floor(i / FORUMS.length);
    const forum = FORUMS[f];
    let date = new Date(base + (k * 14 + f) * 86_400_000);
    while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date = new Date(date.getTime() + 86_400_000);
    const next = new Date(date.getTime() + 14 * 86_400_000);
    const layout = LAYOUTS[r.int(0, LAYOUTS.length - 1)];
    const isMinutes = !r.chance(agendaShare);
    const location = `${r.pick(TOWNS)} Rådhus, ${r.pick(STREETS)} ${r.int(1, 60)}`;
    const items = Array.from({ length: itemsPerDoc }, (_, j) => makeItem(r, j + 1, forum, date, isMinutes, j === itemsPerDoc - 1, next));
    const people = Array.from({ length: r.int(5, 12) }, () => person(r));
    const absent = Array.from({ length: r.int(1, 4) }, () => person(r));
    const ymd = date.toISOString().slice(0, 10);
    const text = render(layout, forum, date, location, items, people, absent, isMinutes);
    yield {
      fileName: `${String(i).padStart(6, '0')}-${ymd}-${layout}.txt`,
      text,
      forum,
      date: ymd,
      start: `${ymd}T09:00`,
      layout,
      status: isMinutes ? 'minutes' : 'agenda',
      location,
      items: items.map(({ number, title, decision, outcome }) => ({ number, title, decision, outcome })),
    };
  }
}

export function generateCorpus(opts: CorpusOptions): CorpusDocument[] {
  return [...iterateCorpus(opts)];
}

/** Writes the corpus as .txt files (plus manifest.json with the expected values) into a folder. */
export function writeCorpus(dir: string, opts: CorpusOptions): number {
  fs.mkdirSync(dir, { recursive: true });
  const manifest: Array<Omit<CorpusDocument, 'text'>> = [];
  for (const d of iterateCorpus(opts)) {
    fs.writeFileSync(path.join(dir, d.fileName), d.text);
    const { text: _text, ...rest } = d;
    manifest.push(rest);
  }
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  return manifest.length;
}

export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

if (require.main === module) {
  const documents = Number(arg('documents', '1000'));
  const itemsPerDoc = Number(arg('items', '10'));
  const seed = Number(arg('seed', '1'));
  const out = arg('out', path.join(__dirname, 'corpus'));
  const n = writeCorpus(out, { documents, itemsPerDoc, seed });
  process.stderr.write(`wrote ${n} documents (${n * itemsPerDoc} items) to ${out}\n`);
}
