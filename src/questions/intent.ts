import { findForumMentions, forumKey, forumKeys, type Forum } from '../store/forums';
import { resolveTime, type TimeRef } from './dates';
import { englishOf, isWeak, rewritePhrases } from './lexicon';
import { PLACE_TOKENS } from './place-names';
import type { AnswerType } from './retrieve';
import { detectLanguage, editDistance, foldText, normalize, skel, STOPWORDS, tokenize } from './text';

/**
 * Question understanding: language, intent, the meeting facets asked for, forum, time and topic words.
 * Pure: the forums to choose from are passed in.
 */

export type Intent = 'help' | 'next_meeting' | 'meeting' | 'agenda' | 'decision' | 'fact' | 'unknown';
export type Facet = 'time' | 'place' | 'participants' | 'absent' | 'chair' | 'minutes_taker';

export interface Understood {
  question: string;
  lang: 'da' | 'en';
  intent: Intent;
  /** For intent 'meeting': what about the meeting (several may be asked at once). */
  facets: Facet[];
  answerType: AnswerType;
  forums: Forum[];
  time: TimeRef;
  /** Folded topic words (stop words, intent words, forum and time words removed). */
  topic: string[];
  /** Folded question after phrase rewriting (for diagnostics). */
  folded: string;
  /** Asks what happened (was decided, discussed, done): minutes written before the time asked about cannot tell. */
  past: boolean;
  /** Topic words the user typed with æ, ø or å: folded → as typed. */
  strict: Map<string, string>;
  /** Names a written procedure ("skriftlig procedure", "afklares per mail", "the email round"). */
  written: boolean;
}

// Patterns run on folded text (skel): æ→a, ø→o, å→a, aa→a, ae→a, oe→o.
const HELP = /^(?:hjalp|hjelp|hjalpe|help|hj?lp|hj[ae]lp|halp|hjaelp|hvad kan du(?: svare pa| hjalpe med)?|what can you do|how do i use (?:you|this)|kommandoer|commands|vejledning|guide|eksempler|examples|\?+|hej|hello|hi|hey|goddag|godmorgen|start|menu)[\s?!.]*$/;

/** "who came from Odense", "hvem mødte op": attendance, when nothing else is asked ("hvem kom fra Socialstyrelsen og fortalte om …" is not). */
const CAME = /\b(?:who (?:came|turned up|showed up)|(?:came|turned up|showed up) (?:from|for)|hvem (?:kom|modte)|modte op)\b/;
const ABSENT = /\b(?:afbud|afbudt|fravar\w*|forhindr\w*|meldt fra|meldte fra|udeblev|absent\w*|absence|apolog\w*|regrets|missing|not present|not attend\w*|did not come|didn t attend|couldn t attend|ikke (?:med|til stede|deltog|deltage|var med|kom)|manglede|hvem var vak|var ikke)\b/;
const PARTICIPANTS = /\b(?:deltog|deltagere|deltagerne|deltagerlist\w*|deltagerkreds\w*|hvem deltager|hvem deltage|til stede|tilstede|fremmodt\w*|attend\w*|attendees|participant\w*|present at|who was at|who were at|who was there|hvem var med|var (?:du|han|hun|de|vi|nogen|nogle|alle) med|var \S+(?: kommune)? med (?:pa|til|ved) (?:\S+ )?(?:mode\w*|motet)|(?:was|were) (?!\w+(?:ed|en|wn)\b)\S+(?: municipality)? (?:at|present at|represented at) (?:the )?(?:\S+ )?meeting|hvem var (?:pa|til|med|der)|hvem sad|hvem var til stede|medlemmer til stede|(?:was|were) (?:anyone|anybody|someone|somebody|there anyone) (?:from|representing)|var der nogen fra|deltog (?:der )?nogen fra|(?:var|blev) \w+(?: \w+)? reprasenteret|reprasenteret (?:pa|ved|til) (?:mode\w*|motet)|represented at|who represented|hvem reprasenterede|who represented\b[^?]*\b(?:at|on) (?:the )?(?:meeting|\d)|hvem reprasenterede\b[^?]*\b(?:pa|ved|til) (?:mode\w*|motet))\b/;
const PLACE = /\b(?:hvor og (?:hvem|hvornar|nar|hvad)|hvor (?:var|er|blev) det(?: henne)?(?= og\b|$)|where (?:was|is) it(?= and\b|$)|(?:hvornar|nar|hvem|hvad) og hvor|where and (?:who|when|what)|(?:who|when|what) and where|modested\w*|motested|lokation\w*|lokale|adressen?|address|venue|where (?:was|is|will|did|does|do)\b[^?]*\b(?:meeting|held|take place|meet)|where\b[^?]*\bheld|location of|hvor (?:blev|var|holdtes|holdes|afholdtes|afholdes|foregik|foregar|er|skal|bliver|ligger|moder|modes|modtes|motes)\b[^?]*\b(?:mode\w*|motet|forum\w*|sdf|das|styregrupp\w*|kreds\w*|holdt|afholdt)|hvor (?:holdt|afholdt|modtes|motes|modes|moder)|hvilket sted|hvor (?:var|er) (?:vi|de)|hvor henne|hvordan (?:blev|var|er|bliver)\b[^?]*\b(?:afholdt|holdt|gennemfort|afviklet)|fysisk\w* mode\w*|(?:holdt|afholdt|modtes|motes|modes) fysisk\w*|fysisk eller|(?:fysisk|fysiske|online|virtuel\w*|digital\w*) eller (?:fysisk\w*|online|virtuel\w*|digital\w*|pa teams|pa skype)|physical\w* meeting|physical or (?:online|virtual|remote|digital)|(?:online|virtual|remote) or (?:physical|in person)|held (?:physically|in person|online)|in person|how was\b[^?]*\bmeeting\b[^?]*\b(?:held|conducted|run))\b/;
const TIME = /\b(?:hvad tid|(?:time|date) window|tidsrum(?:met)?|tidsvindue\w*|(?:what|which) hours|hours of|(?:start|begin)\w* and (?:end|finish)\w*|startede og sluttede|starter og slutter|hvilket tidspunkt|klokken|hvornar pa dagen|starttidspunkt\w*|sluttidspunkt\w*|tidspunkt\w*|what time|how long|hvornar (?:var|er|blev|bliver|holdtes|afholdes|afholdtes|holdes|starter|startede|begynder|begyndte|slutter|sluttede|sluttet|foregik|lå|la)\b[^?]*\b(?:mode\w*|motet)\b|when (?:was|is|did|does|will)\b[^?]*\bmeeting|when did\b[^?]*\b(?:meet|start|end)|which date|what date|hvilken dato|hvilken dag|dato for (?:mode\w*|sidste|naste)|(?:the )?date of (?:the )?(?:\S+ )?meeting)/;
const CHAIR = /\b(?:formand|formanden|ordstyrer|ordstyreren|forperson|forpersonen|chair|chairman|chairperson|chairwoman|chaired|modeleder|modelederen|ledede modet|ledte modet|mødeleder)\b/;
const MINUTES_TAKER = /\b(?:referent|referenten|referenter|referenterne|referant|referanten|tog referat|skrev referat\w*|minutes taker|took the minutes|took minutes|wrote the minutes)\b/;
const ROLE_WORDS = new Set('formand formanden ordstyrer ordstyreren forperson chair chairman chairperson chaired referent referenten referenter referenterne'.split(' '));
const AGENDA = /\b(?:dagsorden\w*|agenda\w*|hvilke punkter|hvilke sager|punkterne|items? (?:on|at|were)|what (?:was|is|were) (?:on|discussed)|what did they discuss|hvad (?:var|er|stod|star|kom) (?:der )?pa|hvad blev (?:der )?(?:behandlet|droftet|drøftet)|hvad handlede|what happened at|hvad skete der pa|topics?|emner)\b/;
const DECISION = /\b(?:beslut\w*|vedtag\w*|vedtog|aftalt\w*|aftalte|godkend\w*|godkendt\w*|konklu\w*|udfald\w*|resultat\w*|tiltradt\w*|tiltradte|bakket op|opbakning|besluttede|tog stilling|stilling til|decid\w*|decision\w*|agree(?:d|s)?|approv\w*|conclu\w*|outcome|resolv\w*|endorse\w*|rejected|afvist|afviste|hvad skete der med|what happened (?:to|with)|gik (?:det|den|forslaget|ønsket|onsket|punktet)? ?igennem|went through|was (?:it )?passed|hvad endte\b[^?]*\bmed|endte (?:det|de|man|forummet|kredsen|styregruppen) med|hvad landede|landede (?:de|man|det) pa|land(?:ed)? on|end(?:ed)? up (?:with|deciding)|settled? on|hvad mente|hvad sagde|what did\b[^?]*\bsay|hvordan gik det med|what became of)\b/;
const NEXT_ASK = /\b(?:hvornar|nar|when|hvilken dato|what date|hvilke|which|what|hvad|hvor|where|er der|is there|are there|kommende|upcoming|next|naste)\b/;

/** The agenda itself: a topic word only when asked whether it was approved ("blev dagsordenen godkendt"). */
const AGENDA_WORDS = new Set('dagsorden dagsordenen dagsordener dagsordenerne agenda agendas sager sagerne punkter punkterne cases matters items issues points up'.split(' '));

/** The agenda or the minutes themselves: their approval is a standing item ("Godkendelse af dagsorden/referat"). */
const PROCEDURAL = /^(?:dagsorden\w*|agenda|referat\w*|minutes)$/;

/** English words of where a forum is ("the North Jutland DAS"). */
const GEO_WORDS = new Set('north northern south southern east eastern west western central jutland denmark danish zealand funen capital region regional'.split(' '));

/** Words that say what kind of question it is, or name a meeting in general: not topic words. */
const INTENT_WORDS = new Set(
  (
    'mode moder modet moderne modes modtes motet moders meeting meetings meet met ' +
    'forum forummet forums fora forumet udvalg udvalget kreds kredsen ' +
    'beslut besluttet besluttede beslutning beslutningen beslutninger beslutte vedtaget vedtog vedtage aftalt aftalte godkendt godkendte godkende godkendelse ' +
    'konkluderet konklusion konklusionen udfald udfaldet resultat resultatet tiltradt tiltradte opbakning bakket stilling tog ' +
    'endte landede land landed settle settled ' +
    'decide decided decides decision decisions agreed agree approved approve approval concluded conclusion outcome resolved endorsed rejected happened became ' +
    'afbud fravar fravarende forhindret udeblev absent absence apologies apology regrets missing deltog deltagere deltagerne deltager deltage attended attend attendees participants participant present ' +
    'sted stedet modested lokation lokationen lokale lokalet adresse adressen address venue location where hvor tid tidspunkt klokken time date dato dag day hours hour ' +
    'mandag tirsdag onsdag torsdag fredag lordag sondag monday tuesday wednesday thursday friday saturday sunday ' +
    'punkter punkterne punkt punktet item items emner topics topic ' +
    'naste kommende next upcoming sidste seneste forrige last latest previous recent foregaende ' +
    'hvornar nar when hvilke hvilken hvilket which what who whom how hvem hvad ' +
    'skete sket ske handlede discuss discussed droftet behandlet ' +
    'mente sagde say said gik going went ' +
    'igen again der there antal antallet before prior preceding ' +
    'kan du fortalle fortael fortaelle sig mig os info information oplysninger gerne vide know want ved ' +
    'egentlig mon nogensinde gang helt lige bare venligst please thanks tak hej hi hello ' +
    'referaterne skriftligprocedure del delen ar long lange'
  ).split(/\s+/),
);

/** Verbs of a meeting's beginning and end. */
const START_END = new Set('starter start starte begynder begynde slutter slutte afsluttes ender starts begins ends finishes'.split(' '));

/** Kinds of place: asked "på hvilket hotel", they say that a place is wanted, not what the item is about. */
const PLACE_KINDS = new Set('hotel hotellet hotelet by byen sted stedet adresse adressen lokale lokalet lokaler kursussted kursusstedet konferencecenter konferencecentret venue town city place location address'.split(' '));

/** A meeting named as such ("mødet", "meetings"), not a compound of it ("mødeplanen", "mødekalender"). */
const MEETING_WORD = /\b(?:mode|modet|moder|moderne|modes|modets|motet|meeting|meetings|meet|met|modtes|motes|modested\w*|motested\w*)\b/;

/** Verbs of holding a meeting: not topic words for questions about a meeting, but they are for facts ("hvor afholdes døgnseminaret"). */
const MEETING_VERBS = new Set('held hold holds holde holder holdt afholdt afholder afholde afholdes holdes afholdtes foregik foregar samlet samledes samles samlede forsamlet gathered convened'.split(' '));
const MEETING_NOUNS = new Set('mode moder modet moderne meeting meetings'.split(' '));

/** A body that is not a forum of ours ("dialogforum", "arbejdsgruppen"): its next meeting is stated in the items, if anywhere. */
export const isBodyName = (t: string) => BODY_ABBREVIATIONS.has(t) || /^byrad(?:et)?$/.test(t) || (t.length >= 6 && /(?:forum\w*|udvalg\w*|grupp\w*|(?<!om)rad(?:et)?|kreds\w*|netvark\w*|samrad\w*)$/.test(t));
/** Bodies known by their letters: Kommunekontaktrådet, Kommunernes Landsforening, Kommunaldirektørkredsen. */
const BODY_ABBREVIATIONS = new Set(['kkr', 'kl', 'kdk']);

/** Things numbered in minutes: "fokusområde 3", "spor 2", "fase 1" (not "punkt", an agenda item's number). */
const NUMBERED = /^(?:\w*omrade\w*|fase\w*|spor\w*|trin\w*|model\w*|scenari\w*|bilag\w*|afsnit\w*|kapitel\w*|indsats\w*|malsatning\w*|anbefaling\w*|area|areas|phase|track|step|model|scenario|appendix|section|chapter|recommendation)$/;

/** Topic words that should not be dropped even though a meeting word resembles them. */
function isTopicWord(t: string): boolean {
  if (t.length < 2) return false;
  if (STOPWORDS.has(t) || INTENT_WORDS.has(t)) return false;
  return true;
}

function answerTypeOf(f: string): AnswerType {
  // "blev forslaget om taksterne godkendt?": yes or no, whatever the question names
  if (/^(?:blev|er|var|har|skal|kan|fik|gik|did|was|were|is|are|has|have|will|does|do)\b/.test(f) && !/\b(?:hvem|hvad|hvor|hvornar|hvilke|hvilken|hvilket|hvorfor|who|what|where|when|which|why|how)\b/.test(f)) return 'yesno';
  // "hvorfor blev forslaget om taksterne afvist": why, whatever the question names
  if (/^(?:og |and |men |but )?(?:hvorfor|why|how come)\b/.test(f)) return 'reason';
  // "hvilke to kommuner skal redegøre for prisen": places, whatever else the question names
  if (/\b(?:hvilke|which|i hvilke|in which)\s+(?:\w+\s+)?(?:kommuner\w*|byer\w*|municipalit\w*|towns?|cities)\b/.test(f)) return 'place';
  // "fra hvornår stiger prisen": when, though the question names an amount
  if (/^(?:og |and )?(?:fra |from |since |until |indtil |til )?(?:hvornar|nar|when)\b/.test(f) && !/\b(?:hvor meget|how much|hvor mange|how many)\b/.test(f)) return 'date';
  // ("hvor mange penge" is an amount)
  if (/\b(?:hvor mange(?! (?:penge|kroner|kr|mio|millioner|mia|procent))|hvor stor(?:t|e)? (?:et |en )?(?:antal|del)|antal(?:let)?|how many(?! (?:kroner|dkk|millions?|percent))|number of|count)\b/.test(f)) return 'count';
  if (/\b(?:hvor meget|hvor stor(?:t|e)? (?:en |et )?(?!antal|del)\w+|how (?:big|large)|(?:hvad|what) (?:var|er|blev|was|is) (?:the |den |det )?(?:\w+ )?(?:belagning(?:en)?|belagningsprocent(?:en)?|occupancy(?: rate)?)|hvor mange (?:penge|kroner|kr|mio|millioner|mia)|how much money|hvad koster|koster|koste|kostede|i kr|i kroner|kroner|minusset|minus|how much|cost\w*|price\w*|rates?|fees?|amount|percent\w*|\w*procent\w*|pct|deficits?|surplus\w*|budgets?|savings?|expenditures?|spending|revenues?|mio|dkk|millions?|(?:takst|pris)(?:stigning|forhojelse|niveau|andring)\w*|\w*(?:takst(?:en|er|erne)?|pris(?:en|er|erne)?|belob\w*|budget(?:tet|ter)?|besparelse\w*|udgift\w*|omkostning\w*|underskud\w*|overskud\w*|tilskud\w*))\b/.test(f)) return 'amount';
  // "når"/"when" asks for a date at the start ("når er mødet", "since when"), not as a conjunction ("hvem kan man kontakte, når …")
  if (/\b(?:hvornar|hvilken dato|hvilken dag|hvilket ar|what date|which date|dato|date|fra hvornar|since when|until when|hvor lange|how long)\b|(?:^|\b(?:fra|til|indtil|since|until|by) )(?:nar|when)\b/.test(f)) return 'date';
  if (/\b(?:hvem|who|whom|hvilken person|hvilke personer|navn\w*|name)\b/.test(f)) return 'person';
  // "hvad hedder borgmesteren": the name of the one holding a role
  if (/\bhvad hed(?:der)?\b/.test(f) && /\b\w*(?:formand|forperson|borgmester|leder|direktor|chef|forstander|koordinator|sekretar)\w*\b/.test(f)) return 'person';
  // "på hvilket hotel", "i hvilken by", "which venue": where
  if (/\b(?:(?:pa|i|at|in) (?:hvilket|hvilken|which)|hvilket|hvilken|which) (?:hotel\w*|by|byen|sted|stedet|adresse|lokale\w*|kursussted\w*|konferencecent\w*|venue|town|city|place|location|address)\b/.test(f)) return 'place';
  if (/\b(?:hvilke|hvilken|hvilket|which)\b/.test(f)) return 'which';
  if (/\b(?:hvorfor|why|how come|begrundelse\w*|arsag\w*|reason)\b/.test(f)) return 'reason';
  if (/\b(?:hvor|where)\b/.test(f)) return 'place';
  if (/^(?:blev|er|var|har|skal|kan|did|was|were|is|are|has|have|will|do|does)\b/.test(f)) return 'yesno';
  return 'other';
}

/** Forums named in the question: exact names, short names and aliases, then close spellings of long names. */
export function findForums(forums: readonly Forum[], question: string): { forums: Forum[]; words: string[] } {
  const mentions = findForumMentions(forums, question);
  const found = new Map<string, Forum>();
  const words: string[] = [];
  for (const m of mentions) {
    found.set(m.forum.id, m.forum);
    words.push(...tokenize(m.text).map(skel));
  }
  if (!found.size) {
    // typed with typos or inflected: "socialdirektorforummet", "socialdirektørfourm", "styregruppen"
    const keys: Array<[string, Forum]> = [];
    for (const f of forums) for (const k of forumKeys(f)) if (!k.includes(' ') && k.length >= 8) keys.push([k, f]);
    for (const tok of tokenize(question)) {
      const k = forumKey(tok);
      if (k.length < 8) continue;
      for (const [key, f] of keys) {
        if (k === key || (k.startsWith(key) && k.length - key.length <= 3) || editDistance(k, key) <= (key.length >= 12 ? 2 : 1)) {
          found.set(f.id, f);
          words.push(skel(tok));
        }
      }
    }
  }
  return { forums: [...found.values()], words };
}

/** "2021-22" is 2021-2022; "socialaftale 18-20" is 2018-2020 (after a word of plans and periods only: "kl. 18-20" is a time). */
export function expandYearRanges(s: string): string {
  return s
    .replace(/\b((?:19|20)\d\d)\s?[-/]\s?(\d\d)\b(?![-/.]\d)/g, (m, a: string, b: string) => (Number(b) > Number(a.slice(2)) ? `${a}-${a.slice(0, 2)}${b}` : m))
    // "1. halvår 23", "3. kvartal 22": a two-digit year
    .replace(/\b(halvår|halvaar|halvar|kvartal)\s+'?(\d\d)\b(?![-/.,]\d)/giu, (m, w: string, y: string) => `${w} 20${y}`)
    .replace(/\b(\p{L}*(?:aftale|strategi|periode|plan|budget|handleplan|rammeaftale)\p{L}*)\s+(\d\d)\s?[-/]\s?(\d\d)\b(?![-/.]\d)/gu, (m, w: string, a: string, b: string) => (Number(b) > Number(a) && Number(a) >= 5 && Number(b) - Number(a) <= 6 ? `${w} 20${a}-20${b}` : m));
}

export function understand(question: string, opts: { now?: Date | string; lang?: 'da' | 'en'; locale?: string; forums: readonly Forum[] }): Understood {
  const norm = expandYearRanges(normalize(question).slice(0, 2000));
  const detected = detectLanguage(norm);
  const lang: 'da' | 'en' = opts.lang ?? detected ?? (opts.locale && /^en\b/i.test(opts.locale) ? 'en' : 'da');
  const rawTokens = tokenize(norm);
  const strict = new Map(rawTokens.filter((t) => /[æøå]/.test(t)).map((t) => [skel(t), t] as [string, string]));
  const folded = rewritePhrases(foldText(norm));
  // keep "?" out; tokens joined by spaces
  let time = resolveTime(folded, opts.now, lang);
  const { forums, words: forumWords } = findForums(opts.forums, question);
  // the words naming a forum found, also as the phrases rewrote them ("social directors forum" → socialdirektorforum)
  const fw = new Set([...forumWords, ...forums.flatMap((f) => tokenize(`${f.name} ${f.shortNames.join(' ')}`).map(skel).filter((w) => w.length >= 6 || f.shortNames.some((n) => skel(n.toLowerCase()) === w)))]);
  // "hvornår er næste DAS", "sidste SDF": the forum's name stands for its meeting
  if (!time.relative) {
    const rel = new RegExp(`\\b(?:(naste|kommende|next|upcoming)|(sidste|seneste|forrige|last|latest|previous)) (?:\\S+ ){0,2}?(?:${[...fw].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '(?!)'})\\b`).exec(folded);
    if (rel) time = { ...time, relative: rel[1] ? 'next' : 'last' };
    // "hvornår er DAS næste gang", "when does SDF meet again"
    else if (fw.size && new RegExp(`\\b(?:hvornar|nar|when)\\b.*\\b(?:${[...fw].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b(?: \\S+){0,2}? (?:naste gang|next time|igen|again)\\b`).test(folded)) time = { ...time, relative: 'next' };
  }
  const rest = time.rest;

  const facets: Facet[] = [];
  // "hvor var socialdirektørkredsen 14/12-11": where, a forum or a date, and nothing else
  const whereOnly = /^(?:hvor|where) (?:var|er|blev|bliver|holdt|holdes|was|is|were|did)\b/.test(folded) && (forums.length > 0 || !!time.filter);
  if (PLACE.test(rest) || PLACE.test(folded)) facets.push('place');
  if (TIME.test(folded)) facets.push('time');
  if (PARTICIPANTS.test(folded)) facets.push('participants');
  if (ABSENT.test(folded)) facets.push('absent');
  // the chair or minutes taker of a meeting, when the question is about a meeting (not "formand for arbejdsgruppen")
  const aboutMeeting = /\b(?:mode\w*|motet|meeting)\b/.test(folded) || forums.length > 0 || !!time.filter;
  if (CHAIR.test(folded) && aboutMeeting && !/\b(?:arbejdsgrupp\w*|udvalg\w*|gruppe\w*|samrad\w*|for (?!das|sdf)\w+(?:gruppen|radet|forum)\b)/.test(folded.replace(CHAIR, ''))) facets.push('chair');
  if (MINUTES_TAKER.test(folded)) facets.push('minutes_taker');
  const hasDecision = DECISION.test(folded);
  const hasAgenda = AGENDA.test(folded) && !/\bgodkend|approv/.test(folded);

  // (a place in the genitive is the place: "koldings merudgift")
  const placeOf = (t: string) => (t.length > 4 && t.endsWith('s') && !PLACE_TOKENS.has(t) && PLACE_TOKENS.has(t.slice(0, -1)) ? t.slice(0, -1) : t);
  const restTokens = rest.split(' ').flatMap((w) => (/^[\d.,]+$/.test(w) ? [w.replace(/[.,]$/, '')] : tokenize(w).map(skel).map(placeOf))).filter(Boolean);
  // a single digit after a numbered thing names it ("fokusområde 3", "fase 2", "focus area 3")
  const numbered = (t: string, i: number) => /^\d$/.test(t) && i > 0 && NUMBERED.test(restTokens[i - 1]);
  let topic = restTokens.filter((t, i) => !fw.has(t) && (isTopicWord(t) || numbered(t, i)) && !MEETING_VERBS.has(t));
  // "hvor mange deltager …", "how many participants …": what is counted is a topic word, whatever it is
  const counted = /\b(?:hvor mange|how many|antal(?:let)?(?: af)?|number of)\s+(\S+)/.exec(folded)?.[1];
  const factTopic = restTokens.filter((t, i) => !fw.has(t) && (isTopicWord(t) || numbered(t, i) || MEETING_VERBS.has(t) || (t === counted && !STOPWORDS.has(t)) || (MEETING_NOUNS.has(t) && /\b(?:hvor mange|how many|antal)\b/.test(folded))));
  // English words with no Danish gloss that are plain function words are dropped too
  // a year that was read as a (soft) time filter stays a topic word only when there are other topic words
  const softYear = time.filter?.soft ? time.filter.text : null;
  if (softYear && topic.length === 1 && topic[0] === softYear) topic = [];

  // "hvem sad for Syddanmark i koordinationsforum": members of another body, stated in the items
  if (topic.some(isBodyName) && !/\b(?:mode\w*|motet|meeting)\b/.test(folded)) for (const f of ['participants', 'absent'] as const) if (facets.includes(f)) facets.splice(facets.indexOf(f), 1);
  const came = CAME.exec(folded);
  const cameWords = new Set(came ? came[0].split(' ') : []);
  if (came && !facets.includes('participants') && topic.every((t) => cameWords.has(t) || PLACE_TOKENS.has(t) || isWeak(t) || fw.has(t) || /^(?:kommune|kommunen|municipality|early|late|primo|medio|ultimo|start|beginning|end|mid)$/.test(t))) facets.push('participants');
  // a region or town names where the forum is ("the North Jutland DAS"), not a thing
  const things = topic.filter((t) => !/^\d/.test(t) && !PLACE_TOKENS.has(t));
  const thingAsked =
    things.length > 0 &&
    (facets.every((f) => f === 'place' || f === 'time') || (/\b(?:hvor mange|how many|antal)\b/.test(folded) && facets.every((f) => f === 'participants')));
  let intent: Intent;
  if (HELP.test(folded) || HELP.test(norm.replace(/[!?.]+$/, '').trim()) || (!topic.length && /^(?:hjalp|help|hjelp)\b/.test(folded))) intent = 'help';
  // ("hvornår starter og slutter næste møde": when it begins and ends is when it is)
  else if (time.relative === 'next' && (NEXT_ASK.test(folded) || !topic.length) && !hasDecision && !facets.includes('participants') && !facets.includes('absent') && topic.filter((t) => !START_END.has(t) && t !== 'skriftligprocedure').length <= 1 && !topic.some(isBodyName)) intent = 'next_meeting';
  // where or when *a thing* is ("hvor afholdes døgnseminaret", "from which date does the rate increase apply"), or how many
  // took part in it, is stated in the items; of a meeting, in its header
  // ("hvornår er det kommende møde i dialogforum": the meeting of another body is a thing too)
  // ("hvilken dato blev der fundet til mødet mellem SDF og Sundhedsstrategisk Forum": a meeting between bodies is a thing)
  else if (facets.length && !(thingAsked && (!MEETING_WORD.test(folded) || topic.some(isBodyName) || /\b(?:mode\w*|motet|meeting) (?:mellem|between)\b/.test(folded)))) intent = 'meeting';
  else if (hasAgenda && !hasDecision && topic.filter((t) => !isWeak(t) && !PLACE_TOKENS.has(t) && !AGENDA_WORDS.has(t) && !GEO_WORDS.has(t)).length <= 1) intent = 'agenda';
  else if (hasDecision) intent = 'decision';
  else if (topic.length) intent = 'fact';
  else if (hasAgenda) intent = 'agenda';
  else if (time.filter || time.relative || forums.length) intent = 'agenda';
  else intent = 'unknown';

  if (whereOnly && !facets.length && !topic.length && intent !== 'help') {
    facets.push('place');
    intent = 'meeting';
  }
  if (facets.includes('chair') || facets.includes('minutes_taker')) topic = topic.filter((t) => !ROLE_WORDS.has(t) && !(facets.includes('minutes_taker') && /^(?:referat\w*|minutes)$/.test(t)));
  // "blev dagsordenen godkendt", "hvilket referat blev godkendt": the standing items "Godkendelse af dagsorden/referat"
  if (intent === 'decision' && /\bgodkend|approv/.test(folded) && factTopic.some((t) => PROCEDURAL.test(t))) factTopic.push('godkendelse');
  // "hvornår holder Dialogforum sit næste møde": when or where a thing is held, the verb of holding says nothing more
  // "Charlotte ville revidere takster to gange årligt. Gik det igennem?": the last sentence asks yes or no
  const lastClause = norm.split(/[.!?:;]\s+|\s[-–—]\s/).map((x) => x.trim()).filter(Boolean).pop() ?? '';
  const yesNoLast = lastClause !== norm.trim() && /^(?:blev|gik|er|var|har|skal|kan|fik|did|was|were|is|are|has|have|will|does)\b/i.test(lastClause);
  const answerType = yesNoLast ? 'yesno' : answerTypeOf(folded);
  // nor, when where is asked, the kind of place ("på hvilket hotel holdes døgnseminaret")
  const holding = (t: string) =>
    (MEETING_VERBS.has(t) || (answerType === 'place' && PLACE_KINDS.has(t))) && (answerType === 'date' || answerType === 'place') && factTopic.some((x) => !MEETING_VERBS.has(x) && !MEETING_NOUNS.has(x) && !PLACE_KINDS.has(x));
  if (intent === 'fact' || intent === 'decision') topic = factTopic.filter((t) => !(softYear && topic.length === 0 && t === softYear) && !holding(t));
  // "hvor mange gange om året skal DAS mødes": how often a body meets is said in meetings ("4 årlige møder")
  if (/\b(?:hvor mange gange|hvor ofte|how often|how many times)\b/.test(folded) && /\b(?:modes|motes|modtes|samles|meet|meets)\b/.test(folded)) {
    topic = topic.map((t) => (t === 'gange' || t === 'times' ? 'moder' : t));
  }
  // "hvor mange penge", "how much money": the kind of answer, not a topic word
  if (answerType === 'amount') topic = topic.filter((t) => t !== 'penge' && t !== 'money');
  // "what cases were up for decision on the agenda of 25 May": the decisions of that meeting
  if (intent === 'decision' && hasAgenda && topic.every((t) => AGENDA_WORDS.has(t) || isWeak(t) || GEO_WORDS.has(t) || PLACE_TOKENS.has(t))) topic = [];
  const past = hasDecision || /\b(?:blev|var|droftet|droftede|behandlet|behandlede|skete|sket|var der|kom der ud|kom ud af|hvordan gik|viste|did|was|were|happened|discussed|came out|come of|showed|show)\b/.test(folded);
  const written = /\bskriftligprocedure\b/.test(folded);
  return { question, lang, intent, facets, answerType, forums, time, topic, folded, strict, past, written };
}
