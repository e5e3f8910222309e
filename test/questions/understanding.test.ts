import { dateMatches, resolveTime } from '../../src/questions/dates';
import { findForums, understand } from '../../src/questions/intent';
import { rewritePhrases, stem, synonymsOf, englishOf } from '../../src/questions/lexicon';
import { isTableRow, itemSentences, personNames, statesAnswerType, stripAttachments } from '../../src/questions/retrieve';
import { detectLanguage, foldText, sentences, skel, tokenize } from '../../src/questions/text';
import { statedDate } from '../../src/questions';
import { KNOWN_FORUMS } from '../../src/store/forums';

/** Question understanding without a database: intent, forum, time words, language, folding. */

const NOW = '2023-10-11T09:00:00+02:00'; // a Wednesday
const fold = (q: string) => foldText(q);
const time = (q: string, now = NOW) => resolveTime(fold(q), now);
const u = (q: string, now = NOW) => understand(q, { now, forums: KNOWN_FORUMS });

describe('folding Danish as typed', () => {
  it.each([
    ['næste', 'naeste'],
    ['næste', 'naste'],
    ['møde', 'mode'],
    ['møde', 'moede'],
    ['børne', 'borne'],
    ['hjælp', 'hjaelp'],
    ['år', 'aar'],
    ['Søhavegård', 'sohavegaard'],
  ])('%s and %s fold alike', (a, b) => expect(skel(a.toLowerCase())).toBe(skel(b)));

  it('tokenizes numbers with their separators', () => {
    expect(tokenize('Taksten er 2.591 kr., belægning 0,62 i 2023')).toEqual(['taksten', 'er', '2.591', 'kr', 'belægning', '0,62', 'i', '2023']);
  });

  it('stems inflections to one form', () => {
    expect(stem('takststigningen')).toBe(stem('takststigning'));
    expect(stem('anbefalingerne')).toBe(stem('anbefalinger'));
  });
});

describe('time words against the clock', () => {
  it.each([
    ['hvad skete der i går', '2023-10-10', '2023-10-10'],
    ['hvem havde afbud i mandags', '2023-10-09', '2023-10-09'],
    ['hvad blev besluttet i fredags', '2023-10-06', '2023-10-06'],
    ['mødet 3/10-2014', '2014-10-03', '2014-10-03'],
    ['mødet den 3.10.2014', '2014-10-03', '2014-10-03'],
    ['what was on the agenda on 15 Aug 2016?', '2016-08-15', '2016-08-15'],
    ['agenda for August 15, 2016', '2016-08-15', '2016-08-15'],
    ['mødet 3. oktober 2014', '2014-10-03', '2014-10-03'],
    ['hvor holdt DAS møde i maj 2020', '2020-05-01', '2020-05-31'],
    ['referatet fra okt 2014', '2014-10-01', '2014-10-31'],
    ['in May 2020', '2020-05-01', '2020-05-31'],
    ['møder i sidste måned', '2023-09-01', '2023-09-30'],
    ['møder sidste år', '2022-01-01', '2022-12-31'],
    ['2014-10-03', '2014-10-03', '2014-10-03'],
  ])('%s → %s..%s', (q, from, to) => {
    const t = time(q);
    expect(t.filter).not.toBeNull();
    expect(t.filter?.from).toBe(from);
    expect(t.filter?.to).toBe(to);
    expect(t.filter?.soft).toBe(false);
  });

  it('reads "the meeting before" a date as the last meeting before it, and "last week\'s meeting" as that week', () => {
    expect(time('hvilken dato var das mødet før maj 2020')).toMatchObject({ relative: 'last', filter: { from: '2020-05-01' } });
    expect(time('what was the date of the SDF meeting before August 2016')).toMatchObject({ relative: 'last', filter: { from: '2016-08-01' } });
    expect(time('hvad skete der i maj 2020 før mødet').relative).toBeNull();
  });

  it('"i mandags" on a Monday is the Monday before', () => {
    expect(time('i mandags', '2023-10-09T12:00:00+02:00').filter?.from).toBe('2023-10-02');
  });

  it('a bare year is soft and stays a topic word', () => {
    const t = time('hvem blev udpeget til samrådet i 2023');
    expect(t.filter).toMatchObject({ from: '2023-01-01', to: '2023-12-31', precision: 'year', soft: true });
    expect(t.rest).toContain('2023');
  });

  it('a date without a year matches any year', () => {
    const t = time('hvem deltog den 3. oktober');
    expect(t.filter).toMatchObject({ month: 10, day: 3 });
    expect(dateMatches(t.filter!, '2014-10-03')).toBe(true);
    expect(dateMatches(t.filter!, '2014-10-04')).toBe(false);
  });

  it.each([
    ['hvornår er næste møde?', 'next'],
    ['hvornaar er naeste mode', 'next'],
    ['when is the next meeting', 'next'],
    ['hvornår mødes vi næste gang', 'next'],
    ['hvad blev besluttet på sidste møde', 'last'],
    ['where was the last meeting held', 'last'],
    ['hvad blev besluttet om takster', null],
  ])('%s → relative %s', (q, rel) => expect(time(q).relative).toBe(rel));

  it('reads the date a "Næste møde" item states', () => {
    expect(statedDate('Næste møde afholdes den 12. december 2014', '2014-10-03')).toBe('2014-12-12');
    expect(statedDate('Næste møde afholdes i forbindelse med døgnseminar den 6. – 7. oktober 2016. Starter kl. 9.00', '2016-08-15')).toBe('2016-10-06');
    expect(statedDate('Næste møde afholdes den 17. august 2020', '2020-05-25')).toBe('2020-08-17');
    expect(statedDate('Intet aftalt endnu', '2020-05-25')).toBeNull();
  });
});

describe('forums by name, short name and typo', () => {
  it.each([
    ['hvad besluttede SDF om takster', 'socialdirektoerforum'],
    ['hvor holdt DAS møde i maj 2020', 'das'],
    ['Blev dagsordenen godkendt på DAS-mødet?', 'das'],
    ['hvornår mødes socialdirektørkredsen', 'socialdirektoerkredsen'],
    ['hvornår mødes socialdirektorkredsen', 'socialdirektoerkredsen'],
    ['næste møde i socialdirektørforummet', 'socialdirektoerforum'],
    ['næste møde i socialdirektørfourm', 'socialdirektoerforum'],
    ['hvad har FU besluttet', 'fu'],
    ['hvad har den administrative styregruppe besluttet', 'das'],
  ])('%s → %s', (q, id) => expect(findForums(KNOWN_FORUMS, q).forums.map((f) => f.id)).toEqual([id]));

  it('names no forum when none is named', () => {
    expect(findForums(KNOWN_FORUMS, 'hvad blev besluttet om takststigningen').forums).toEqual([]);
  });
});

describe('intent', () => {
  it.each([
    ['hjælp', 'help'],
    ['hjaelp', 'help'],
    ['help', 'help'],
    ['hvornår er næste møde?', 'next_meeting'],
    ['naeste mode i sdf?', 'next_meeting'],
    ['When is the next meeting of DAS?', 'next_meeting'],
    ['hvor holdt DAS møde i maj 2020 og hvem havde afbud', 'meeting'],
    ['hvem deltog fra KKR på mødet 3. oktober 2014', 'meeting'],
    ['who sent apologies on 15 Aug 2016', 'meeting'],
    ['hvad var mødestedet den 3/10-2014', 'meeting'],
    ['what was on the agenda on 15 Aug 2016?', 'agenda'],
    ['hvad stod på dagsordenen i okt 2014', 'agenda'],
    ['hvad blev besluttet om takststigningen på Stjernen', 'decision'],
    ['Blev dagsordenen godkendt på DAS-mødet i maj 2020?', 'decision'],
    ['What did the forum decide about the 2017 meeting plan?', 'decision'],
    ['hvor mange pladser har Hobro Krisecenter', 'fact'],
    ['hvem udtræder af forretningsudvalget i 2023', 'fact'],
    ['hvor afholdes døgnseminaret i 2016', 'fact'],
    ['hvor skal sekretariaterne placeres', 'fact'],
  ])('%s → %s', (q, intent) => expect(u(q).intent).toBe(intent));

  it('lists every meeting facet asked for', () => {
    expect(u('hvor holdt DAS møde i maj 2020 og hvem havde afbud').facets.sort()).toEqual(['absent', 'place']);
    expect(u('hvornår startede mødet den 3/10-2014').facets).toEqual(['time']);
    expect(u('hvem var til stede').facets).toEqual(['participants']);
  });

  it('reads the ways people ask where, who came and how long a meeting was', () => {
    expect(u('hvor var socialdirektørforum samlet 15 aug 2016').facets).toEqual(['place']);
    expect(u('das 25/5-20 hvor og hvem havde afbud?').facets.sort()).toEqual(['absent', 'place']);
    expect(u('who came from Odense kommune to the meeting on 3 Oct 2014').facets).toEqual(['participants']);
    expect(u('Who represented Vejle municipality at the SDF meeting on October 3rd 2014?').facets).toEqual(['participants']);
    // someone who came to present something is not attendance
    expect(u('Hvem kom fra Socialstyrelsen og fortalte om den nationale koordinationsstruktur på mødet i oktober 2014?').intent).toBe('fact');
    expect(u('what were the hours of the Socialdirektørkredsen meeting in Dec 2011?').facets).toEqual(['time']);
  });

  it('reads short year ranges, a date with a space before the year, and weekday names', () => {
    expect(u('socialaftale 18-20: skal der saettes flere initiativer igang?').topic).toEqual(expect.arrayContaining(['2018', '2020']));
    expect(u('how many labs are planned in the 2021-22 social agreement?').topic).toEqual(expect.arrayContaining(['2021', '2022']));
    // a clock time is not a year range
    expect(u('mødet kl. 18-20').topic).not.toContain('2018');
    const x = u('hvilke punkter var der på dagsordenen fredag den 3/10 2014');
    expect(x.intent).toBe('agenda');
    expect(x.time.filter?.from).toBe('2014-10-03');
    expect(x.topic).not.toContain('fredag');
  });

  it('keeps the topic words and drops question, forum and time words', () => {
    const x = u('Hvad blev besluttet om Tilbudsportalen i oktober 2014?');
    expect(x.topic).toEqual(['tilbudsportalen']);
    expect(x.time.filter?.from).toBe('2014-10-01');
    expect(u('hvor mange pladser har Hobro Krisecenter').topic).toEqual(['pladser', 'hobro', 'krisecenter']);
    // a single digit names a numbered thing, and only that
    expect(u('hvad vil das hellere kalde fokusområde 3').topic).toContain('3');
    expect(u('hvem var de 3 fra odense').topic).not.toContain('3');
  });

  // "hvorfor" asks a reason whatever else the question names; "hvor stor en …" and "hvad var belægningen" an amount
  it.each([
    ['hvor mange pladser har Hobro Krisecenter', 'count'],
    ['hvad koster en plads på Søhavegård', 'amount'],
    ['hvornår starter døgnseminaret', 'date'],
    ['hvem blev udpeget til samrådet', 'person'],
    ['blev årshjulet godkendt', 'yesno'],
    ['hvor mange penge skal socialsekretariatet skære i 2024', 'amount'],
    ['fra hvornår stiger prisen på aalborg krisecenter', 'date'],
    ['hvor meget stiger prisen og fra hvornår', 'amount'],
    ['hvor stort var underskuddet i kr', 'amount'],
    ['hvad vil et samarbejde med LSI koste om året', 'amount'],
    ['hvorfor blev forslaget om at revidere taksterne afvist', 'reason'],
    ['why did the rate go up', 'reason'],
    ['hvor stor en efterregulering forventer regionen', 'amount'],
    ['hvad var belægningen på kingstrup', 'amount'],
    ['hvor stor en del af pladserne blev brugt', 'count'],
    ['hvad var den faktiske belægning på hobro krisecenter', 'amount'],
  ])('tells the kind of answer wanted: %s → %s', (q, type) => expect(u(q).answerType).toBe(type));

  it('drops the word for money from an amount asked', () => {
    expect(u('hvor mange penge skal socialsekretariatet skære i 2024').topic).not.toContain('penge');
  });

  it('reads the forum named for its meeting, two-digit years, and meetings after a date', () => {
    expect(u('hvornår er næste DAS').intent).toBe('next_meeting');
    expect(u('naar er naeste socialdirektørforum').intent).toBe('next_meeting');
    expect(u('hvad blev besluttet på sidste SDF').time.relative).toBe('last');
    // Danish types "okt 14" for October 2014; in English "Aug 14" is a day, "Aug '14" a year
    expect(u('hvem fra fanø meldte fravær okt 14').time.filter).toMatchObject({ from: '2014-10-01', to: '2014-10-31' });
    expect(resolveTime(fold('the meeting on aug 14'), NOW, 'en').filter).toMatchObject({ month: 8, day: 14 });
    expect(u('er der steder med underbelægning 1. halvår 23').topic).toContain('2023');
    const after = u('hvornår er das mødet efter august mødet 2020');
    expect(after.intent).toBe('next_meeting');
    expect(after.time.filter).toMatchObject({ from: '2020-08-01', to: '2020-08-31' });
    expect(u('hvornår mødtes socialdirektørkredsen efter 14. december 2011').time.relative).toBe('next');
    // "on monday" in a question about the past is the Monday before (NOW is a Wednesday); "på mandag" ahead is the next
    expect(u('what did we decide on monday about the anonymous drug treatment?').time.filter).toMatchObject({ from: '2023-10-09' });
    expect(u('hvornår er mødet på mandag').time.filter).toMatchObject({ from: '2023-10-16' });
    expect(u('hvem var referenter på das mødet 25/5').time.filter).toMatchObject({ month: 5, day: 25 });
  });

  it('reads decisions and roles as people type them', () => {
    expect(u('hvad endte de med om visitation under 15 timer om ugen').intent).toBe('decision');
    expect(u('what did DAS land on regarding NOPII?').intent).toBe('decision');
    expect(u('hvem var referant i socialdirektørkredsen 14/12 2011').facets).toEqual(['minutes_taker']);
    expect(u('hvem var ordstyrer på mødet 3 okt 2014').facets).toEqual(['chair']);
    expect(u('hvem var referenter på das mødet 25/5').facets).toEqual(['minutes_taker']);
    expect(u('var læsø med på das mødet i maj 2020').facets).toEqual(['participants']);
    expect(u('Which minutes were approved at the Socialdirektørforum meeting in August 2016?').intent).toBe('decision');
    expect(u('was the may 2020 DAS meeting physical or online?').facets).toEqual(['place']);
  });

  it('reads "næste gang", when a meeting starts and ends, how often a body meets, a time window and "kredsen"', () => {
    expect(u('hvornår er das næste gang')).toMatchObject({ intent: 'next_meeting', time: { relative: 'next' } });
    expect(u('hvornår starter og slutter næste møde').intent).toBe('next_meeting');
    expect(u('hvor mange gange om året skal DAS mødes fremover').topic).toContain('moder');
    expect(u('hvor mange gange om året kan taksterne revideres').topic).toContain('gange');
    expect(u('what was the time window for the SDF meeting in October 2023').facets).toContain('time');
    expect(u('hvornår er næste møde i kredsen').forums.map((f) => f.id)).toEqual(['socialdirektoerkredsen']);
    expect(u('hvad bliver døgnprisen på aalborg krisecenter').topic).toContain('dognprisen');
    expect(synonymsOf('dognprisen')).toContain('dogntakst');
  });

  it('reads an address as the meeting place, a place in the genitive as the place, and a meeting between bodies as a thing', () => {
    expect(u('hvad er adressen til SDF d. 3/10-2014?')).toMatchObject({ intent: 'meeting', facets: ['place'] });
    expect(u('what was the address of the DAS meeting in May 2020').facets).toContain('place');
    expect(u('hvad er koldings merudgift').topic).toContain('kolding');
    expect(u('hvilken dato blev der fundet til mødet mellem SDF og Sundhedsstrategisk Forum').intent).toBe('fact');
    expect(u('hvilken dato blev mødet i SDF flyttet til').intent).toBe('meeting');
  });

  it('answers English questions in English, Danish in Danish, and follows lang and locale', () => {
    expect(u('What did the forum decide about the meeting plan?').lang).toBe('en');
    expect(u('hvad blev besluttet om mødeplanen').lang).toBe('da');
    expect(detectLanguage('Stjernen?')).toBeNull();
    expect(understand('Stjernen?', { forums: KNOWN_FORUMS, locale: 'en-GB' }).lang).toBe('en');
    expect(understand('hvad blev besluttet', { forums: KNOWN_FORUMS, lang: 'en' }).lang).toBe('en');
  });
});

describe('words and phrases as data', () => {
  it('rewrites split compounds and English phrases', () => {
    expect(rewritePhrases(fold('stigning i taksten på Stjernen'))).toContain('takststigning');
    expect(rewritePhrases(fold('the 2017 meeting plan'))).toContain('modeplan');
  });
  it('knows everyday words for the minutes\' words', () => {
    expect(synonymsOf(skel('pris'))).toContain(skel('takst'));
    expect(synonymsOf(skel('nedlæggelse'))).toContain(skel('lukning'));
    expect(synonymsOf(skel('valgt'))).toContain(skel('udpeget'));
    expect(synonymsOf(skel('fravær'))).toContain(skel('afbud'));
    expect(synonymsOf(skel('mødested'))).toContain(skel('sted'));
    expect(englishOf('closures')).toContain(skel('lukning'));
  });
});

describe('sentences and tables', () => {
  it('does not split at abbreviations, initials, ordinals and amounts', () => {
    expect(sentences('Mødet er den 3. oktober kl. 9.00 hos H. O. Hansen. Prisen er bl.a. 2.591 kr. pr. døgn. Nyt punkt.')).toEqual([
      'Mødet er den 3. oktober kl. 9.00 hos H. O. Hansen.',
      'Prisen er bl.a. 2.591 kr. pr. døgn.',
      'Nyt punkt.',
    ]);
  });
  it('reads a table row with its header', () => {
    expect(isTableRow('Hobro Krisecenter 4 1.943')).toBe(true);
    expect(isTableRow('Det koster 4 kr.')).toBe(false);
    const s = itemSentences({ title: 't', background: 'Tabel 2.\n\nPladser Døgntakst\nA Center 4 2.719\nB Center 6 2.591', recommendation: null, decision: null });
    expect(s.find((x) => x.text.startsWith('B Center'))?.header).toBe('Pladser Døgntakst');
  });
  it('tells what kind of thing a sentence states', () => {
    // a decimal number of places counts them; it is no amount
    expect(statesAnswerType('amount', 'Vænget har kun anvendt 1,75 af de fire pladser, og fra august 0,62 pladser.')).toBe(false);
    expect(statesAnswerType('amount', 'Underskuddet var ca. 6,1 mio. kr.')).toBe(true);
    // "Jan" is a name; "3. jan" a date
    expect(statesAnswerType('date', 'Peter Rasmussen og Jan Nielsen sidder i bestyrelsen.')).toBe(false);
    expect(statesAnswerType('date', 'Fristen er 3. jan 2021.')).toBe(true);
    // an amount of money counts no people or things
    expect(statesAnswerType('count', 'Udgifterne stiger fra 10.050.000 kr. til 11.272.000 kr.')).toBe(false);
  });
  it('finds persons\' names apart from places and bodies', () => {
    expect(personNames('Socialdirektørforum udpegede Esbjerg Kommune Bodil Nissen til samrådet.')).toEqual(['Bodil Nissen']);
    expect(personNames('Projektledere har involveret Fælleskommunalt Socialsekretariat og Region Syddanmark.')).toEqual([]);
  });
  it('drops attachment lines from a decision', () => {
    expect(stripAttachments('Godkendt.\n\n- 6a - Oversigt over takster\n- Bilag 2.pdf')).toBe('Godkendt.');
  });
});
