import { answerCard, helpCard, welcomeCard, formatDate } from '../../src/cards/chat';
import { expectValidCard } from '../support/cards';
import { cardText } from '../support/bot-client';

/** The chat cards (answer, help, welcome) over the range of data they get; each parsed by Microsoft's library. */

const src = (n: number, title = `Punkt ${n}`) => ({ meetingId: 'sdf-2014-10-03', forum: 'Socialdirektørforum', meetingTitle: 'Møde', date: '2014-10-03', itemNumber: n, itemTitle: title, excerpt: '', score: 0.5 });

describe('answer card', () => {
  test('full: answer, engine source line, item sections, three others (more than three given)', () => {
    const { card, text } = answerCard(
      {
        answered: true,
        text: 'Forummet bakkede op.',
        sourceLine: 'Socialdirektørforum · 3. oktober 2014 · punkt 6: Tilbudsportalen',
        sources: [src(6)],
        more: [src(1), src(2), src(3)],
        item: { meetingId: 'sdf-2014-10-03', number: 6, title: 'Tilbudsportalen', background: 'Baggrund.', recommendation: 'Indstilling.', decision: 'Beslutning.', outcome: 'approved' },
      },
      'da',
    );
    expectValidCard(card);
    const all = cardText(card);
    expect(all).toContain('Kilde: Socialdirektørforum · 3. oktober 2014 · punkt 6: Tilbudsportalen');
    expect(all.match(/^• /gm)).toHaveLength(3);
    expect(all).toContain('Sagsfremstilling');
    expect(all).toContain('punkt 6: Tilbudsportalen');
    expect(text).toBe(card.fallbackText);
    expect(text).toContain('Andre mulige svar:\n- Socialdirektørforum, møde 3. oktober 2014, punkt 1: Punkt 1');
  });

  test('minimal: not answered, no sources', () => {
    const { card } = answerCard({ answered: false, text: 'Det kan jeg ikke finde.', sources: [] }, 'da');
    expectValidCard(card);
    expect(card.actions).toEqual([]);
    expect(cardText(card)).toBe('Det kan jeg ikke finde.');
  });

  test('huge texts are capped and the card stays small', () => {
    const big = 'Lang tekst med æøå og mange ord. '.repeat(2000);
    const { card } = answerCard({ answered: true, text: big, sources: [src(1, big.slice(0, 500))], item: { title: 'x', background: big, decision: big, recommendation: big } }, 'en');
    expectValidCard(card);
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(24_000);
    expect(cardText(card)).toContain('…');
  });

  test('markdown-ish and template-looking text is carried as text', () => {
    const { card } = answerCard({ answered: true, text: 'Pris ${price} og **fed** <b>html</b>', sources: [] }, 'da');
    expect(cardText(card)).toContain('**fed** <b>html</b>');
  });

  test('dates', () => {
    expect(formatDate('2016-08-15', 'da')).toBe('15. august 2016');
    expect(formatDate('2016-08-15T09:00:00+02:00', 'en')).toBe('15 August 2016');
    expect(formatDate(null, 'da')).toBeUndefined();
  });
});

describe('help and welcome cards', () => {
  test.each(['da', 'en'] as const)('help (%s) with and without commands', (lang) => {
    expectValidCard(helpCard(lang).card);
    const { card, text } = helpCard(lang, [{ name: 'tilknyt', description: 'tilknyt kanalen' }]);
    expectValidCard(card);
    expect(text).toContain('tilknyt: tilknyt kanalen');
    // example questions are buttons that post the question (imBack)
    expect((card.actions as Array<{ data: { msteams: { type: string } } }>)[0].data.msteams.type).toBe('imBack');
  });

  test.each([
    ['da', false],
    ['da', true],
    ['en', false],
    ['en', true],
  ] as const)('welcome (%s, channel %s)', (lang, channel) => {
    const { card, text } = welcomeCard(lang, { channel });
    expectValidCard(card);
    expect(text).toContain(lang === 'da' ? 'Velkommen' : 'Welcome');
    expect(text.includes('@')).toBe(channel);
  });
});
