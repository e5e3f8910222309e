/**
 * Text helpers for question understanding: normalisation, the "skeleton" fold that makes Danish typed
 * without æøå (naeste, naste, mode, borne, aar) meet the real spelling, tokens, stop words and sentences.
 * Pure functions, no I/O.
 */

/** Lower case, NFC, typographic quotes and dashes made plain, whitespace collapsed. */
export function normalize(s: string): string {
  return s
    .normalize('NFC')
    .replace(/[\u2018\u2019\u201a\u201b\u00b4`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * The fold both sides use to compare words regardless of how æ, ø and å were typed.
 * Must equal the SQL function q_skel() in migrations/0100_questions.sql.
 * aa→a, ae→a, oe→o, then æ→a, ø→o, å→a, ä→a, ö→o, ü→u, é→e.
 */
export function skel(word: string): string {
  const w = word.toLowerCase();
  if (!SKEL_ANY.test(w)) return w;
  return w.replaceAll('aa', 'a').replaceAll('ae', 'a').replaceAll('oe', 'o').replace(SKEL_RE, (m) => SKEL_MAP[m]);
}
const SKEL_ANY = /aa|ae|oe|[æåäøöüé]/;
const SKEL_RE = /[æåäøöüé]/g;
const SKEL_MAP: Record<string, string> = { æ: 'a', å: 'a', ä: 'a', ø: 'o', ö: 'o', ü: 'u', é: 'e' };

/**
 * The question folded for pattern matching: lower case, skel-folded words, punctuation dropped except inside
 * numbers and dates ("3/10-2014", "2.591", "2014-10-03").
 */
export function foldText(s: string): string {
  return skel(
    normalize(s)
      .replace(/[^\p{L}\p{N}/.,\- ]+/gu, ' ')
      .replace(/(?<!\d)[.,/-]|[.,/-](?!\d)/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/** Word tokens (letters, digits; keeps 2.591 and 0,62 together as numbers). */
export function tokenize(s: string): string[] {
  const out: string[] = [];
  const re = /\d+(?:[.,]\d+)*|[\p{L}]+(?:'[\p{L}]+)?/gu;
  for (const m of normalize(s).matchAll(re)) out.push(m[0]);
  return out;
}

/** Function words and question words in Danish and English that carry no topic. */
export const STOPWORDS = new Set(
  (
    // Danish
    'af alle alt andet andre at blev bliver blive blevet da de dem den denne dens der deres det dette dig din dine disse dog du efter eller en end er et far fik fra fik for fordi foer før ' +
    'ham han hans har havde have hende hendes her hos hun hvad hvem hvis hvor hvordan hvorfor hvornaar hvornår hvilke hvilken hvilket i ikke ind ingen intet jeg jer jo kan kunne kun man ' +
    'mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over paa på sa så selv sig sin sine sit skal skulle som sådan thi til ud under var ved vi vil ville vor vore ' +
    'været vaere være nogen sig lige mere mest hos hvorledes hvormed saa sådan hhv bl mv ift ifm mht pr ca evt osv fx dvs kr fik får faar gjorde gør goer gøre gjort ' +
    'haft havt maske måske mon vel nok egentlig egentligt nogensinde stor store stort storst størst lille lidt hvorvidt ' +
    'the sagt sige siger står stod staar fortæl fortael fortælle fortaelle vis vise kan du jeg mig gerne venligst tak hej hejsa ' +
    // English
    'a an and are as at be been being by can could did do does for from had has have how i in is it its me my of on or our please tell the their them there they this ' +
    'that to was we were what when where which who whom why will with would you your about any some show give list say said us into ' +
    'want wants wanted like get gets got make made take took also just only still here one ones thing things much many big large how ' +
    'could should shall may might must do does did done know tell let lets find found please thanks its it s ' +
    'he she him her his hers they them their theirs someone somebody anyone anybody everyone something anything then than so if whether because'
  )
    .split(/\s+/)
    .flatMap((w) => [w, skel(w)]),
);

/** Danish and English function words used to tell the question's language. */
const EN_WORDS = new Set(
  ('the what who when where which how was were did does is are of on in at about decide decided meeting meetings agenda next last attended absent apologies minutes forum many much cost place ' +
    'and or with has have had been be this that these those there they their them its from into will would should could can number year years rate rates increase ' +
    'expected cases new per any all does doesn anything something whose whom why apply applies approved agreed appointed chosen elected held our we you').split(' '),
);
const DA_WORDS = new Set('hvad hvem hvornår hvornaar hvor hvilke blev er var på paa om af og til det den næste naeste sidste møde mode mødet modet møder besluttet dagsorden afbud deltog mange meget koster hvordan'.split(' '));

export function detectLanguage(question: string): 'da' | 'en' | null {
  const toks = tokenize(question);
  let en = 0;
  let da = 0;
  for (const t of toks) {
    if (EN_WORDS.has(t)) en++;
    if (DA_WORDS.has(t)) da++;
  }
  // æøå count once: English questions name Danish places and offers ("Børnehus Syd")
  if (/[æøå]/i.test(question)) da += 1;
  if (en > da) return 'en';
  if (da > en) return 'da';
  return null;
}

/**
 * Sentences of an item text: splits at line breaks, bullets and sentence ends, but not inside numbers (2.591),
 * dates (1. august 2020) or common abbreviations (bl.a., pr., kr.).
 */
export function sentences(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.replace(/^[\s•\-–|ı*]+/, '').trim();
    if (!line) continue;
    // protect abbreviations and ordinals followed by a lower-case word or a month
    const parts = line.split(/(?<=[.!?])\s+(?=[A-ZÆØÅ"(])/u);
    let buf = '';
    for (const p of parts) {
      const candidate = buf ? `${buf} ${p}` : p;
      if (/(?:\b(?:bl|pr|kr|ca|jf|mv|dvs|fx|evt|nr|stk|mio|mia|ift|ifm|inkl|ekskl|ref|tlf|d|f|kl|hhv|vedr)\.|\b\d{1,2}\.)$/i.test(p) || /(?:^|[\s.])\p{Lu}\.$/u.test(p)) {
        buf = candidate;
        continue;
      }
      out.push(candidate.trim());
      buf = '';
    }
    if (buf) out.push(buf.trim());
  }
  return out.filter((s) => s.length > 1);
}

/** Cuts a text to at most max characters at a word boundary. */
export function clip(s: string, max: number): string {
  const t = s.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const sp = cut.lastIndexOf(' ');
  return `${(sp > max * 0.6 ? cut.slice(0, sp) : cut).replace(/[,;:\s]+$/, '')}…`;
}

/** Damerau-Levenshtein (optimal string alignment) distance for short words. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  if (!m) return n;
  if (!n) return m;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}
