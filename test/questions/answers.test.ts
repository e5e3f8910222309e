import { openDb, type Db } from '../../src/store/db';
import { answerQuestion, Answer } from '../../src/questions';
import { engines } from '../support/engines';
import { describeWithSeeds } from '../support/seeds';
import { evaluate, loadCases, summary, type Outcome } from './evaluate';
import { importSeeds } from './seeded';

/**
 * Question tests over the five imported seeds, with questions of our own (questions.jsonl: paraphrases, typos,
 * missing æøå, English, dates, and questions the minutes cannot answer). The targets of issue 3: the right
 * meeting and item on top with the key fact for ≥ 90% of answerable questions, and "don't know" for ≥ 90% of
 * the others.
 */
jest.setTimeout(600_000);

const report = (r: Outcome[]) => r.filter((x) => !x.ok).map((x) => `${x.c.q} → ${x.why}`).join('\n');

describeWithSeeds.each(engines())('answers over the seeds on %s', (engine, opts) => {
  let db: Db;
  let results: Outcome[];
  beforeAll(async () => {
    db = await openDb(opts());
    await importSeeds(db);
    results = await evaluate(db, loadCases());
  });
  afterAll(async () => {
    await db?.close();
  });

  it('every answer keeps the fixed contract', () => {
    for (const r of results) {
      expect(() => Answer.parse(r.a)).not.toThrow();
      expect(typeof r.a.answered).toBe('boolean');
      expect(r.a.text.length).toBeGreaterThan(0);
      for (const s of r.a.sources) expect(Object.keys(s).sort()).toEqual(['date', 'excerpt', 'forum', 'itemNumber', 'itemTitle', 'meetingId', 'meetingTitle', 'score']);
      if (!r.a.answered) expect(r.a.text).toMatch(/kan jeg ikke finde|can't find/);
    }
  });

  it('puts the right meeting and item on top, with the key fact, for ≥ 90% of answerable questions', () => {
    const s = summary(results);
    expect(s.answerable).toBeGreaterThanOrEqual(80);
    if (s.answerableOk / s.answerable < 0.9) throw new Error(`${engine}: ${s.answerableOk}/${s.answerable}\n${report(results.filter((r) => r.c.date))}`);
  });

  it('says it does not know for ≥ 90% of the unanswerable questions', () => {
    const s = summary(results);
    expect(s.unanswerable).toBeGreaterThanOrEqual(12);
    if (s.unanswerableOk / s.unanswerable < 0.9) throw new Error(`${engine}: ${s.unanswerableOk}/${s.unanswerable}\n${report(results.filter((r) => !r.c.date))}`);
  });

  it('generalises to questions written after the tuning (holdout.jsonl): ≥ 80% answerable right, ≥ 90% "don\'t know"', async () => {
    const r = await evaluate(db, loadCases('holdout.jsonl'));
    const s = summary(r);
    if (s.answerableOk / s.answerable < 0.8 || s.unanswerableOk / s.unanswerable < 0.9) throw new Error(`${engine}: ${JSON.stringify(s)}\n${report(r)}`);
  });

  it('keeps its level on the second held-out set (holdout2.jsonl, written by someone who had not seen the code): ≥ 85% both ways', async () => {
    const r = await evaluate(db, loadCases('holdout2.jsonl'));
    const s = summary(r);
    if (s.answerableOk / s.answerable < 0.85 || s.unanswerableOk / s.unanswerable < 0.85) throw new Error(`${engine}: ${JSON.stringify(s)}\n${report(r)}`);
  });

  it('keeps its level over the forty-three later independent sets (holdout3–45.jsonl, pooled): ≥ 85% both ways', async () => {
    const files = Array.from({ length: 43 }, (_, i) => `holdout${i + 3}.jsonl`);
    const r = await evaluate(db, files.flatMap((f) => loadCases(f)));
    const s = summary(r);
    expect(s.answerable).toBeGreaterThanOrEqual(3150);
    expect(s.unanswerable).toBeGreaterThanOrEqual(1000);
    if (s.answerableOk / s.answerable < 0.85 || s.unanswerableOk / s.unanswerable < 0.85) throw new Error(`${engine}: ${JSON.stringify(s)}\n${report(r)}`);
  });

  it('says it does not know for ≥ 85% of near-miss questions (unanswerable.jsonl: right topic, wrong year, place, body or detail)', async () => {
    const r = await evaluate(db, loadCases('unanswerable.jsonl'));
    const s = summary(r);
    expect(s.unanswerable).toBeGreaterThanOrEqual(40);
    if (s.unanswerableOk / s.unanswerable < 0.85) throw new Error(`${engine}: ${JSON.stringify(s)}\n${report(r)}`);
  });

  it('answers the issue\'s examples with their source', async () => {
    const dec = await answerQuestion(db, { question: 'hvad blev besluttet om takststigningen på krisecentret i aalborg' });
    expect(dec).toMatchObject({ answered: true, intent: 'decision' });
    expect(dec.sources[0]).toMatchObject({ date: '2020-05-25', itemNumber: 7, forum: 'Den Administrative Styregruppe på socialområdet' });
    // a decision names the forum, the meeting date, the item number and title, and quotes the decision
    expect(dec.text).toContain('Den Administrative Styregruppe');
    expect(dec.text).toContain('25. maj 2020');
    expect(dec.text).toContain('punkt 7');
    expect(dec.text).toContain('Aalborg Krisecenter');
    expect(dec.text).toContain('godkendte takststigningen');
    expect(dec.item?.number).toBe(7);
    expect(dec.sourceLine).toContain('punkt 7');

    const fact = await answerQuestion(db, { question: 'hvor mange pladser udvides tippen med' });
    expect(fact.sources[0]).toMatchObject({ date: '2016-08-15', itemNumber: 6 });
    expect(fact.text).toContain('7 pladser');
    // a fact is the sentence(s) that state it, not the whole item
    expect(fact.text.length).toBeLessThan(700);

    const where = await answerQuestion(db, { question: 'hvor holdt DAS møde i maj 2020 og hvem havde afbud' });
    expect(where).toMatchObject({ answered: true, intent: 'meeting' });
    expect(where.text).toContain('Skype');
    expect(where.text).toContain('Tue Von Pålman');

    const en = await answerQuestion(db, { question: 'what was on the agenda on 15 Aug 2016?' });
    expect(en).toMatchObject({ answered: true, intent: 'agenda', lang: 'en' });
    expect(en.text).toContain('Mødeplan for 2017');

    const next = await answerQuestion(db, { question: 'hvornår er næste møde i socialdirektørforum?', now: '2023-10-10T09:00:00+02:00' });
    expect(next).toMatchObject({ answered: false, intent: 'next_meeting' });
    const next2 = await answerQuestion(db, { question: 'hvornår er næste møde?', now: '2014-10-05T09:00:00+02:00' });
    expect(next2.text).toContain('12. december 2014');

    const none = await answerQuestion(db, { question: 'hvem er borgmester i Odense?' });
    expect(none.answered).toBe(false);
    expect(none.sources).toEqual([]);
  });

  it('gives a clock time both ways, so it can be found in the minutes', async () => {
    const a = await answerQuestion(db, { question: 'What time did the Socialdirektørkredsen meeting on 14 Dec 2011 start?' });
    expect(a).toMatchObject({ answered: true, lang: 'en' });
    expect(a.text).toContain('10:00-12:00 (10.00-12.00)');
    const da = await answerQuestion(db, { question: 'hvad tid startede socialdirektørforum mødet 15/8 2016' });
    expect(da).toMatchObject({ answered: true, lang: 'da' });
    expect(da.text).toContain('kl. 9.00-12.00 (09:00-12:00)');
  });

  it('forces the answer language with lang', async () => {
    const a = await answerQuestion(db, { question: 'hvor mange pladser har Hobro Krisecenter', lang: 'en' });
    expect(a.lang).toBe('en');
    expect(a.text).toMatch(/^According to the minutes/);
  });

  it('copes with empty, huge, emoji, HTML and SQL-looking questions', async () => {
    for (const q of ['', '   ', '😀😀', '<script>alert(1)</script>', "'; drop table items; --", 'x'.repeat(20_000), 'hvad blev besluttet om %_\\\\ og :* & | !']) {
      const a = await answerQuestion(db, { question: q });
      expect(() => Answer.parse(a)).not.toThrow();
    }
    expect((await db.query<{ n: number }>('select count(*)::int n from items')).rows[0].n).toBeGreaterThan(40);
  });
});
