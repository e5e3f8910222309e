/**
 * Label dictionaries (data, not code): the words Danish agendas and minutes use for header fields and
 * for the sections of an item. Matching is tolerant: case, diacritics, a trailing colon, bullets and
 * small typos ("Indstililng") are accepted.
 */
import { editDistance, fold, key, stripBullet } from './text';

export type SectionKind = 'background' | 'recommendation' | 'decision' | 'attachments' | 'absent' | 'meta';

export const SECTION_LABELS: Record<SectionKind, string[]> = {
  background: [
    'sagsfremstilling', 'sagsframstilling', 'sagsfremstilling og vurdering', 'baggrund', 'sagens baggrund',
    'baggrund og formål', 'resumé', 'resume', 'sagsresumé', 'resumé af sagen', 'sagens kerne', 'sagsbeskrivelse',
    'beskrivelse', 'kort om sagen', 'sagens indhold', 'indhold', 'sammenfatning', 'problemstilling',
    'vurdering', 'administrationens vurdering', 'forvaltningens vurdering', 'forvaltningens bemærkninger',
    'økonomi', 'økonomiske konsekvenser', 'økonomi og finansiering', 'lovgrundlag', 'retsgrundlag',
    'lovgivning', 'høring', 'kommunikation', 'tidsplan', 'videre proces', 'sagens gang', 'formål',
    'orientering', 'sagsfremstilling og indstilling', 'supplerende sagsfremstilling', 'sagen', 'uddybning',
  ],
  recommendation: [
    'indstilling', 'indstillinger', 'indstilles', 'forslag til beslutning', 'forvaltningens indstilling',
    'administrationens indstilling', 'direktionens indstilling', 'direktørens indstilling',
    'sekretariatets indstilling', 'indstilling til beslutning',
    'forretningsudvalgets indstilling', 'fu indstiller', 'det indstilles',
  ],
  decision: [
    'beslutning', 'beslutninger', 'referat', 'beslutningsreferat', 'afgørelse', 'udvalgets beslutning',
    'konklusion', 'konklusioner', 'beslutning/referat', 'referat/beslutning', 'protokol', 'protokollat',
    'beslutningsprotokol', 'drøftelse og beslutning', 'referat og beslutning', 'beslutning og referat',
  ],
  attachments: ['bilag', 'bilagsfortegnelse', 'vedlagte bilag', 'bilagsliste', 'vedhæftede bilag', 'bilag til punktet', 'bilagsmateriale'],
  absent: ['fraværende', 'fravær', 'afbud', 'ikke til stede', 'fraværende medlemmer'],
  meta: [
    'sagsnr', 'sagsnr.', 'sags nr', 'sagsnummer', 'sagsid', 'sags id', 'sags-id', 'dok.nr', 'dok nr', 'doknr',
    'journalnr', 'j.nr', 'j. nr', 'åbent punkt', 'lukket punkt', 'åben sag', 'lukket sag', 'åben', 'lukket',
    'sagsbehandler', 'sagsansvarlig', 'ansvarlig', 'sagsnr./dok.nr', 'emnenr', 'acadre sagsnr', 'sbsys sagsnr',
    'kle-nr', 'kle nr', 'forfatter', 'punktet behandles', 'sagstype',
  ],
};

/** Prefix forms: a label followed by free text on the same line ("Beslutning i Udvalget den 02-10-2018"). */
const SECTION_PREFIXES: Array<[string, SectionKind]> = [
  ['beslutning i ', 'decision'],
  ['beslutning den ', 'decision'],
  ['beslutning fra ', 'decision'],
  ['beslutning (', 'decision'],
  ['beslutning - ', 'decision'],
  ['udvalgets beslutning ', 'decision'],
  ['bilag til ', 'attachments'],
  ['bilag vedr', 'attachments'],
  ['indstilling fra ', 'recommendation'],
  ['indstilling til ', 'recommendation'],
  ['supplerende sagsfremstilling', 'background'],
];

const LABEL_INDEX = new Map<string, SectionKind>();
for (const [kind, words] of Object.entries(SECTION_LABELS) as Array<[SectionKind, string[]]>)
  for (const w of words) LABEL_INDEX.set(labelKey(w), kind);

function labelKey(s: string): string {
  return key(s).replace(/[éè]/g, 'e').replace(/\s*\/\s*/g, '/');
}

function tolerance(len: number): number {
  return len >= 9 ? 2 : len >= 6 ? 1 : 0;
}

const byFirstChar = new WeakMap<Map<string, unknown>, Map<string, Array<[string, unknown]>>>();

function firstCharIndex<T>(index: Map<string, T>): Map<string, Array<[string, T]>> {
  let m = byFirstChar.get(index as Map<string, unknown>) as Map<string, Array<[string, T]>> | undefined;
  if (!m) {
    m = new Map();
    for (const [w, v] of index) {
      const a = m.get(w[0]) ?? [];
      a.push([w, v]);
      m.set(w[0], a);
    }
    byFirstChar.set(index as Map<string, unknown>, m as Map<string, Array<[string, unknown]>>);
  }
  return m;
}

/** Fuzzy lookup of a short string in a label dictionary. */
export function lookupLabel<T>(index: Map<string, T>, text: string, fuzzy = true): T | null {
  const k = labelKey(text);
  if (!k || k.length > 60) return null;
  const exact = index.get(k);
  if (exact !== undefined) return exact;
  if (!fuzzy) return null;
  const tol = tolerance(k.length);
  if (tol === 0) return null;
  let best: T | null = null;
  let bestD = tol + 1;
  for (const [w, v] of firstCharIndex(index).get(k[0]) ?? []) {
    if (Math.abs(w.length - k.length) > tol) continue;
    const d = editDistance(k, w, tol);
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  }
  return best;
}

/** Background labels that are also ordinary sub-headings: they switch to the background but stay in its text. */
const WEAK_BACKGROUND = new Set(
  ['vurdering', 'økonomi', 'økonomiske konsekvenser', 'økonomi og finansiering', 'lovgrundlag', 'retsgrundlag', 'lovgivning', 'høring', 'kommunikation', 'tidsplan', 'videre proces', 'sagens gang', 'formål', 'orientering', 'sagen', 'uddybning', 'indhold', 'sammenfatning', 'problemstilling', 'beskrivelse', 'administrationens vurdering', 'forvaltningens vurdering', 'forvaltningens bemærkninger'].map((w) => w),
);

export function isWeakBackgroundLabel(line: string): boolean {
  return WEAK_BACKGROUND.has(key(stripBullet(line.replace(/\t+/g, ' ')).replace(/^#+\s*/, '')).replace(/:$/, ''));
}

export interface SectionLabel {
  kind: SectionKind;
  /** text on the same line after the label ("Referat: Godkendt" → "Godkendt"), or '' */
  rest: string;
  /** the line is a prefix form ("Beslutning i X den …", "Bilag til …"); rest is then part of the label */
  prefix: boolean;
}

const labelMemo = new Map<string, SectionLabel | null>();

/** Recognises a section label line; null when the line is ordinary text. Memoised per line text. */
export function matchSectionLabel(line: string): SectionLabel | null {
  if (line.length > 200) return null;
  const hit = labelMemo.get(line);
  if (hit !== undefined) return hit;
  if (labelMemo.size > 50000) labelMemo.clear();
  const r = matchSectionLabelUncached(line);
  labelMemo.set(line, r);
  return r;
}

function matchSectionLabelUncached(line: string): SectionLabel | null {
  const t = stripBullet(line.replace(/\t+/g, ' ')).replace(/^#+\s*/, '');
  if (!t || t.length > 200) return null;
  // "Label: rest" / "Label rest" after a colon
  const colon = t.indexOf(':');
  if (colon > 0 && colon <= 40) {
    const head = t.slice(0, colon);
    const kind = lookupLabel(LABEL_INDEX, head);
    if (kind) return { kind, rest: t.slice(colon + 1).trim(), prefix: false };
  }
  if (t.length <= 60) {
    const kind = lookupLabel(LABEL_INDEX, t);
    if (kind) return { kind, rest: '', prefix: false };
  }
  const f = fold(t);
  for (const [p, kind] of SECTION_PREFIXES) if (f.startsWith(p) && t.length <= 200) return { kind, rest: '', prefix: true };
  return null;
}

export type HeaderField =
  | 'forum'
  | 'meeting'
  | 'location'
  | 'date'
  | 'dateplace'
  | 'time'
  | 'start'
  | 'end'
  | 'participants'
  | 'absent'
  | 'remarks'
  | 'chair'
  | 'minutesTaker'
  | 'ignore';

export const HEADER_LABELS: Record<HeaderField, string[]> = {
  forum: ['udvalg', 'forum', 'mødeforum', 'organ', 'bestyrelse', 'styregruppe', 'råd', 'udvalg/forum', 'kreds', 'navn på udvalg', 'committee', 'gruppe', 'netværk', 'mødegruppe', 'komité', 'board'],
  meeting: ['møde', 'mødetitel', 'titel', 'mødenavn', 'meeting', 'emne', 'mødeemne', 'vedr', 'vedrørende', 'angående', 'subject'],
  location: ['sted', 'mødested', 'place', 'venue', 'where', 'lokation', 'lokale', 'mødelokale', 'adresse', 'location', 'placering', 'mødeadresse', 'hvor', 'mødelokation', 'sted for mødet', 'mødesal'],
  dateplace: ['tid og sted', 'dato og sted', 'tidspunkt og sted', 'sted og tid', 'mødetid og sted', 'tid og mødested'],
  date: [
    'dato', 'mødedato', 'tid', 'tidspunkt', 'dato og tid', 'dato og tidspunkt', 'mødetid', 'afholdt', 'afholdes', 'date', 'dag', 'mødedag', 'dato/tid', 'hvornår',
    'møde den', 'mødet afholdes', 'afholdt den', 'afholdes den', 'tid og dato', 'mødedato og tid', 'mødedato og -tid', 'mødedato og tidspunkt', 'dato og klokkeslæt',
    'dato for mødet', 'tidspunkt for mødet', 'mødedato/tid', 'mødedato/-tid', 'meeting date',
  ],
  time: ['mødetidspunkt', 'klokkeslæt', 'kl', 'mødestart', 'tidsrum', 'time', 'mødetid kl'],
  start: ['starttidspunkt', 'start', 'starttid', 'begyndelse', 'mødestart kl', 'fra'],
  end: ['sluttidspunkt', 'slut', 'sluttid', 'mødeslut', 'afsluttet', 'til', 'mødet sluttede', 'mødet slut'],
  participants: [
    'deltagere', 'til stede', 'tilstede', 'medlemmer', 'fremmødte', 'mødedeltagere', 'deltog', 'deltager',
    'tilstedeværende', 'deltagere i mødet', 'til stede var', 'øvrige deltagere', 'desuden deltog', 'gæster', 'inviterede',
    'participants', 'attendees', 'present', 'deltagerliste', 'mødedeltagere', 'indbudte',
  ],
  absent: ['afbud', 'fraværende', 'fravær', 'ikke til stede', 'afbud fra', 'meldt afbud', 'forfald', 'fraværende medlemmer', 'apologies', 'absent', 'afbud/fraværende'],
  remarks: ['bemærkninger', 'bemærkning', 'note', 'noter', 'kommentarer'],
  chair: ['formand', 'mødeleder', 'ordstyrer', 'forperson', 'mødeformand'],
  minutesTaker: ['referent', 'ref', 'referat ved', 'referatfører', 'protokolfører'],
  ignore: ['mødeform', 'mødetype', 'mødeart', 'tovholder', 'mødeindkalder', 'indkaldt af', 'udsendt', 'dato for udsendelse', 'udgivet', 'hent som fil', 'sagsnr./dok.nr', 'sagsnr', 'dok.nr', 'journalnr', 'publiceret', 'opdateret', 'side', 'print', 'download'],
};

const HEADER_INDEX = new Map<string, HeaderField>();
for (const [kind, words] of Object.entries(HEADER_LABELS) as Array<[HeaderField, string[]]>)
  for (const w of words) HEADER_INDEX.set(labelKey(w), kind);

/** Matches a header label ("Sted", "MØDESTED:", "Lokation"), tolerant of case and small typos. */
const headerMemo = new Map<string, HeaderField | null>();

export function matchHeaderLabel(text: string): HeaderField | null {
  if (text.length > 60) return null;
  const hit = headerMemo.get(text);
  if (hit !== undefined) return hit;
  if (headerMemo.size > 50000) headerMemo.clear();
  const r = matchHeaderLabelUncached(text);
  headerMemo.set(text, r);
  return r;
}

function matchHeaderLabelUncached(text: string): HeaderField | null {
  const t = text.replace(/^#+\s*/, '').trim();
  if (!t || t.length > 40) return null;
  // a single-letter typo in a 3-letter word would be too loose: only exact for short labels
  const r = lookupLabel(HEADER_INDEX, t, true);
  if (r) return r;
  // "Deltagere fra kommunerne", "Til stede for regionen", "Afbud fra": a people label with a qualifier
  const q = /^(.{4,20}?)\s+(?:fra|for|i|fra\s+de|af)\s+\S.*$/i.exec(t);
  if (q) {
    const r2 = lookupLabel(HEADER_INDEX, q[1], false);
    if (r2 === 'participants' || r2 === 'absent') return r2;
  }
  return null;
}

/** Words that head the agenda list. */
export const LIST_HEADERS = [
  'punkter', 'dagsorden', 'dagsordenspunkter', 'indholdsfortegnelse', 'indhold', 'sager til behandling',
  'sager til beslutning', 'sager til drøftelse', 'sager til orientering', 'punkter på dagsordenen',
  'oversigt over punkter', 'åbne punkter', 'lukkede punkter', 'åben dagsorden', 'lukket dagsorden',
  'dagsordenpunkter', 'punktliste', 'agenda', 'beslutningssager', 'orienteringssager', 'drøftelsessager',
  'velkomst', 'afslutning', 'kommunale sager', 'åbne sager', 'lukkede sager', 'sager', 'emner',
  'temadrøftelse', 'indholdsliste', 'dagsorden og referat', 'indholdsfortegnelse - åbne punkter',
];
const LIST_INDEX = new Map<string, true>(LIST_HEADERS.map((w) => [labelKey(w), true]));

const listMemo = new Map<string, boolean>();

export function isListHeader(text: string): boolean {
  if (text.length > 200) return false;
  const hit = listMemo.get(text);
  if (hit !== undefined) return hit;
  if (listMemo.size > 50000) listMemo.clear();
  const t = stripBullet(text.replace(/\t.*$/, '')).replace(/^#+\s*/, '');
  const r = t.length <= 50 && lookupLabel(LIST_INDEX, t, true) !== null;
  listMemo.set(text, r);
  return r;
}

/** Header labels that may appear inline in a flattened header ("Møde X Tid 7. juni Sted Y"). */
export const FLAT_HEADER_TOKENS = [
  'Møde', 'Tid', 'Sted', 'Deltagere', 'Afbud', 'Fraværende', 'Udvalg', 'Dato', 'Mødested', 'Mødedato',
  'Mødetidspunkt', 'Lokation', 'Medlemmer', 'Til stede', 'Sager til behandling', 'Sager til orientering',
  'Sager til beslutning', 'Dagsorden', 'Indholdsfortegnelse', 'PUNKTER', 'Punkter', 'STED', 'MØDE', 'UDVALG',
  'Starttidspunkt', 'Sluttidspunkt', 'STARTTIDSPUNKT', 'SLUTTIDSPUNKT',
];

/** Section labels that may appear inline in a flattened item ("1. Titel Indstilling Det … Referat Godkendt."). */
export const FLAT_SECTION_TOKENS = [
  'Resumé', 'Resume', 'Baggrund', 'Sagsfremstilling', 'Indstilling', 'Beslutning', 'Referat', 'Bilag',
  'Sagens kerne', 'Fraværende', 'RESUMÉ', 'BAGGRUND', 'SAGSFREMSTILLING', 'INDSTILLING', 'BESLUTNING', 'REFERAT', 'BILAG',
];

/**
 * Bodies that appear in compound meeting words ("styregruppemøde for X", "bestyrelsesmøde i X"): the
 * forum a reader would name is the body in its definite form, "Styregruppen for X".
 */
export const MEETING_BODIES: Record<string, string> = {
  styregruppe: 'Styregruppen',
  bestyrelse: 'Bestyrelsen',
  arbejdsgruppe: 'Arbejdsgruppen',
  følgegruppe: 'Følgegruppen',
  projektgruppe: 'Projektgruppen',
  koordinationsgruppe: 'Koordinationsgruppen',
  referencegruppe: 'Referencegruppen',
  styringsgruppe: 'Styringsgruppen',
  styrekomité: 'Styrekomitéen',
  netværk: 'Netværket',
  repræsentantskab: 'Repræsentantskabet',
  direktion: 'Direktionen',
  direktørkreds: 'Direktørkredsen',
  kontaktudvalg: 'Kontaktudvalget',
  følgeudvalg: 'Følgeudvalget',
  partnerskab: 'Partnerskabet',
  byråd: 'Byrådet',
  kommunalbestyrelse: 'Kommunalbestyrelsen',
  regionsråd: 'Regionsrådet',
  økonomiudvalg: 'Økonomiudvalget',
  forretningsudvalg: 'Forretningsudvalget',
  ældreråd: 'Ældrerådet',
  handicapråd: 'Handicaprådet',
  integrationsråd: 'Integrationsrådet',
};

export { fold };
