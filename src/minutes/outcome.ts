/**
 * Outcome of an item from its decision text. Danish negation matters ("ikke godkendt",
 * "godkendte ikke"). The first sentence with a clear verdict decides; within one sentence
 * a rejection beats an approval, an approval beats postponement, noting and discussion
 * ("drøftet og godkendt" is approved). A discussion or note followed later by an explicit
 * approval ("Sagen blev drøftet. … Takststigningen blev godkendt") counts as approved.
 */
import type { Outcome } from './model';
import { fold } from './text';

type Cat = Exclude<Outcome, 'other'>;

// typo-tolerant stems: "godkedt", "godkendet", "eftreretning". (\w is ASCII only: use [^\s.] for Danish words.)
const W = '[^\\s.,;:]+\\s+';
const APPROVE = new RegExp(
  '\\b(?:godk\\w{0,3}n?d(?:t|e|er|es|et|te)\\b|godkendte|godkender|godkendes|tiltr(?:å|aa)dt\\w*|tiltrådte|tiltræder|' +
    'vedtaget|vedtog|vedtages|bevilge[ts]|bevilliget|imødekommet|imødekom\\b|besluttede at|besluttet at|opbakning til|bakker op|bakkede op|' +
    'medgiver opbakning|udpeget|udpegede|blev valgt|valgte|blev enige om at|accepteret|accepterede)',
);
const REJECT = new RegExp(
  `(?:\\bikke\\s+(?:${W}){0,2}?(?:godk\\w*|tiltr\\S*|vedtag\\S*|imødekom\\S*|bevilg\\S*|opbakning|accepter\\S*|anbefal\\S*|bakke\\S* op)` +
    `|\\b(?:godkendte|godkender|tiltrådte|tiltræder|vedtog)\\s+(?:${W}){0,3}?ikke\\b` +
    '|\\b(?:anbefales|godkendes|tiltrædes|imødekommes|vedtages|bevilges|anbefaler|kan)\\s+ikke\\b(?!\\s+(?:blot|kun|alene))' +
    '|\\bafvist|\\bafviste|\\bafvises|\\bforkastet|\\bforkastede|\\bnej til|\\bingen opbakning|\\bstemte nej)',
);
const POSTPONE = /\b(?:udsæt\S*|udsat|udskudt|udskydes|genoptages|tages op (?:igen |på ny )?på (?:et |det )?(?:senere|næste|kommende)|behandles på (?:et |det )?(?:senere|næste|kommende)|blev ikke behandlet|nåede ikke|ikke nået|sendes tilbage|taget af dagsordenen)/;
const NOTE = /\b(?:til\s+eft\w{2,8}ning|tages\s+til\s+orientering|taget\s+til\s+orientering|tog\s+(?:\S+\s+){0,4}?til\s+orientering|noteret)/;
const DISCUSS = /\b(?:drøftet|drøftede|drøftes|drøftelse|diskuteret|diskuterede|debatteret)/;
const WEAK = /\b(?:vurderede|vurderer|bemærkede|bemærkning|enighed|enige|aftalt|aftales|aftalte|kommentarer|gav udtryk|tilkendegav|pointerede|orienterede|præsenterede|gennemgik|fremlagde)/;

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-ZÆØÅ0-9"“•–-])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function catsOf(sentence: string): Set<Cat> {
  const s = fold(sentence);
  const out = new Set<Cat>();
  let rest = s;
  if (REJECT.test(s)) {
    out.add('not_approved');
    rest = s.replace(new RegExp(REJECT.source, 'g'), ' ');
  }
  if (APPROVE.test(rest) && !/\b(?:førend|forudsat|såfremt|hvis|når)\b[^.]{0,200}\bhar\s+godkendt/.test(rest)) out.add('approved');
  if (POSTPONE.test(rest)) out.add('postponed');
  if (NOTE.test(rest)) out.add('noted');
  if (DISCUSS.test(rest)) out.add('discussed');
  return out;
}

const PRIORITY: Cat[] = ['not_approved', 'approved', 'postponed', 'noted', 'discussed'];

/** Classifies a decision text; null when there is no decision. */
export function classifyOutcome(decision: string | null | undefined): Outcome | null {
  if (!decision || !decision.trim()) return null;
  const text = decision.length > 20000 ? decision.slice(0, 20000) : decision;
  const sentences = splitSentences(text);
  let first: Cat | null = null;
  let firstIdx = -1;
  for (let i = 0; i < sentences.length; i++) {
    const cats = catsOf(sentences[i]);
    if (cats.size === 0) continue;
    // a bare "udsat"-style word in a sentence that also approves is usually a date ("udsat til 1. maj")
    for (const c of PRIORITY) {
      if (cats.has(c)) {
        first = c;
        break;
      }
    }
    firstIdx = i;
    break;
  }
  if (first === null) {
    for (const s of sentences) if (WEAK.test(fold(s))) return 'discussed';
    // short affirmative answers: "Ja", "OK"
    return 'other';
  }
  if (first === 'discussed' || first === 'noted') {
    for (let i = firstIdx + 1; i < sentences.length; i++) {
      const cats = catsOf(sentences[i]);
      if (cats.has('approved') && !cats.has('not_approved') && /\b(blev|er|var)\s+godkendt|\bgodkendte\b|\btiltrådte\b|\bvedtog\b/.test(fold(sentences[i])))
        return 'approved';
    }
  }
  return first;
}
