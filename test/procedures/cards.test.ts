import { Template } from 'adaptivecards-templating';
import { loadTemplate } from '../../src/cards/render';
import { compileSimple, expandSimple, ProcedureCardData, ResultCardData, FormCardData, renderForm } from '../../src/procedures/cards';
import { expectValidCard } from '../support/cards';

/** The procedure cards' fast expander gives exactly what adaptivecards-templating gives. */
const item = (n: number, over: Record<string, unknown> = {}) => ({
  number: n, title: `Punkt ${n}`, recommendation: n % 2 ? 'Det indstilles, at punktet godkendes.' : '', hasRecommendation: n % 2 === 1,
  attachments: n === 2 ? 'Bilag A, Bilag B' : '', hasAttachments: n === 2, mine: n === 1 ? 'Imod – "nej"' : '', hasMine: n === 1, comment: n === 1 ? 'nej' : '',
  resultText: n === 3 ? 'Godkendt' : '', resultColor: n === 3 ? 'Good' : 'Default', countsText: n === 3 ? '3 for · 0 imod' : '', hasResult: n === 3,
  notVotedText: n === 3 ? 'A, B' : '', hasNotVoted: n === 3, forTitle: '✓ For', againstTitle: 'Imod', abstainTitle: 'Undlader', meetingTitle: 'Ønsker møde', ...over,
});
const base = {
  fallbackText: 'Skriftlig procedure: X', procedureId: 'sp-1', forum: 'Forum', title: 'X', deadline: '1. december 2026 kl. 12:00', ruleText: 'Flertal',
  statusText: 'Åben', progress: '1 af 3 har stemt', banner: 'Din stemme er registreret', hasBanner: true, bannerStyle: 'good', onBehalf: 'Du stemmer som stedfortræder for Y.',
  onBehalfOf: 'aad-y', hasOnBehalf: true, intro: 'Stem', hasIntro: true, canVote: true, showMyVote: false, hasRefresh: true, refreshUserIds: ['29:a', '29:b'],
  items: [item(1), item(2), item(3)],
  canNameSubstitute: false, substituteText: '', currentSubstitute: '', substituteChoices: [],
};
const withSubstitute = {
  ...base, canNameSubstitute: true, substituteText: 'Sune kan stemme for dig.', currentSubstitute: 'aad-sune',
  substituteChoices: [{ title: 'Sune (Kommune 1)', value: 'aad-sune' }, { title: 'Viggo', value: 'aad-viggo' }],
};

const both = (name: string, data: unknown) => {
  const reference = new Template(loadTemplate(name)).expand({ $root: data });
  const fast = expandSimple(loadTemplate(name), data);
  // the compiled form the bot uses gives the same card
  expect(compileSimple(loadTemplate(name))(data, data)).toEqual(fast);
  return { reference, fast };
};

describe('procedure cards', () => {
  it.each([
    ['open, personal, with refresh', base],
    ['open, personal, a member who may name a substitute', withSubstitute],
    ['closed, shared, no refresh', { ...base, canVote: false, hasBanner: false, hasOnBehalf: false, hasRefresh: false, refreshUserIds: [], showMyVote: true, hasIntro: false }],
  ])('procedure.json: %s', (_n, data) => {
    const { reference, fast } = both('procedure', ProcedureCardData.parse(data));
    expect(fast).toEqual(reference);
    expectValidCard(fast);
    const text = JSON.stringify(fast);
    expect(text.includes('"verb":"procedure.substitute"')).toBe(data.canNameSubstitute);
    if (data.canNameSubstitute) expect(text).toContain('{"title":"Viggo","value":"aad-viggo"}');
  });

  it('procedure-result.json and procedure-form.json', () => {
    const result = ResultCardData.parse({
      fallbackText: 'R', forum: 'F', title: 'T', closedText: 'Afsluttet', ruleText: 'Flertal', participation: '3 af 3', meetingId: 'm',
      items: [{ number: 1, title: 'A', outcome: 'Godkendt', color: 'Good', counts: 'For 3', meetingText: '1 ønskede', hasMeeting: true, notVoted: 'Alle stemte', decision: 'Godkendt ved skriftlig procedure (3 for, 0 imod, 0 undlod)' }],
    });
    const r = both('procedure-result', result);
    expect(r.fast).toEqual(r.reference);
    expectValidCard(r.fast);
    const form = FormCardData.parse({
      forums: [{ title: 'Socialdirektørforum', value: 'sdf' }], forum: 'sdf', error: '', hasError: false, defaultDeadlineDate: '2026-12-01', defaultDeadlineTime: '12:00',
      slots: Array.from({ length: 9 }, (_, i) => ({ n: i + 1, required: i === 0 })),
    });
    const f = both('procedure-form', form);
    expect(f.fast).toEqual(f.reference);
    expectValidCard(renderForm([{ id: 'sdf', name: 'Socialdirektørforum' }], { deadlineDate: '2026-12-01' }));
  });
});
