import { classifyOutcome } from '../src/minutes/outcome';

describe('classifyOutcome', () => {
  test.each([
    ['Referatet blev godkendt.', 'approved'],
    ['Godkendt.', 'approved'],
    ['Mogens blev godkedt som nyt medlem.', 'approved'], // typo
    ['Kommissoriet blev godkendet.', 'approved'], // typo
    ['Indstillingerne blev tiltrådt.', 'approved'],
    ['Arbejdsgruppens anbefalinger blev drøftet og godkendt', 'approved'],
    ['Sagen blev drøftet. Punktet genoptages senere. Takststigningen blev godkendt', 'approved'],
    ['Ansøgningen blev ikke godkendt.', 'not_approved'],
    ['Styregruppen godkendte ikke takststigningen.', 'not_approved'],
    ['Forslaget blev afvist.', 'not_approved'],
    ['Udvalget kunne ikke tiltræde indstillingen.', 'not_approved'],
    ['Orienteringen blev taget til efterretning.', 'noted'],
    ['Orienteringen blev taget til eftreretning.', 'noted'], // typo
    ['Socialdirektørerne tager orienteringen til efterretning og afventer kommissoriet.', 'noted'],
    ['DAS tog orienteringen om brugerpanelet til efterretning.', 'noted'],
    ['Punktet blev drøftet.', 'discussed'],
    ['Region Syddanmarks takststruktur blev drøftet. Aftalerne er ikke endelige, førend forummet har godkendt niveauet.', 'discussed'],
    ['Punktet udsættes til senere møde.', 'postponed'],
    ['Sagen blev udsat.', 'postponed'],
    ['Leif udarbejder et udkast til en aftale.', 'other'],
  ])('%s → %s', (text, expected) => {
    expect(classifyOutcome(text)).toBe(expected);
  });

  test('no decision → null', () => {
    expect(classifyOutcome(null)).toBeNull();
    expect(classifyOutcome('   ')).toBeNull();
  });
});
