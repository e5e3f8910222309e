import { countChoices, decisionText, quorumNeeded, tallyItem, meetingOutcome } from '../../src/procedures/tally';

const c = (f: number, a: number, ab: number, m = 0) => ({ for: f, against: a, abstain: ab, meeting: m });

describe('tally rules', () => {
  it('majority: more for than against among the votes cast; abstentions do not count against', () => {
    expect(tallyItem('majority', 0, 22, c(3, 2, 10)).outcome).toBe('approved');
    expect(tallyItem('majority', 0, 22, c(2, 2, 0)).outcome).toBe('not_approved');
    expect(tallyItem('majority', 0, 22, c(1, 0, 15)).outcome).toBe('approved');
    expect(tallyItem('majority', 0, 22, c(0, 0, 5)).outcome).toBe('not_approved');
    // a meeting request is shown, not counted against
    const t = tallyItem('majority', 0, 22, c(5, 1, 0, 3));
    expect(t.outcome).toBe('approved');
    expect(t.meeting).toBe(3);
  });

  it('unanimity: no vote against and no abstention', () => {
    expect(tallyItem('unanimity', 0, 5, c(5, 0, 0)).outcome).toBe('approved');
    expect(tallyItem('unanimity', 0, 5, c(3, 0, 0)).outcome).toBe('approved');
    expect(tallyItem('unanimity', 0, 5, c(4, 0, 1)).outcome).toBe('not_approved');
    expect(tallyItem('unanimity', 0, 5, c(4, 1, 0)).outcome).toBe('not_approved');
    expect(tallyItem('unanimity', 0, 5, c(0, 0, 0)).outcome).toBe('not_approved');
  });

  it('tacit: silence is consent; one objection or one meeting request stops the item', () => {
    const silent = tallyItem('tacit', 0, 22, c(0, 0, 0));
    expect(silent.outcome).toBe('approved');
    expect(silent.silent).toBe(22);
    expect(tallyItem('tacit', 0, 22, c(10, 1, 0)).outcome).toBe('stopped');
    expect(tallyItem('tacit', 0, 22, c(10, 0, 0, 1)).outcome).toBe('stopped');
    expect(tallyItem('tacit', 0, 22, c(1, 0, 3)).outcome).toBe('approved');
  });

  it('quorum: the share of voters who must respond for an item to be decided', () => {
    expect(quorumNeeded(22, 0.5)).toBe(11);
    expect(quorumNeeded(3, 2 / 3)).toBe(2);
    expect(quorumNeeded(10, 0)).toBe(0);
    expect(quorumNeeded(10, 1)).toBe(10);
    expect(tallyItem('majority', 0.5, 22, c(10, 0, 0)).outcome).toBe('no_quorum');
    expect(tallyItem('majority', 0.5, 22, c(10, 0, 1)).outcome).toBe('approved');
    // meeting requests are responses
    expect(tallyItem('majority', 0.5, 4, c(1, 0, 0, 1)).quorumMet).toBe(true);
    expect(tallyItem('tacit', 0.5, 4, c(1, 0, 0)).outcome).toBe('no_quorum');
  });

  it('writes the decision as the minutes would', () => {
    expect(decisionText('majority', 0, tallyItem('majority', 0, 17, c(14, 1, 2)))).toBe('Godkendt ved skriftlig procedure (14 for, 1 imod, 2 undlod)');
    expect(decisionText('majority', 0, tallyItem('majority', 0, 17, c(1, 4, 2)))).toBe('Ikke godkendt ved skriftlig procedure (1 for, 4 imod, 2 undlod)');
    expect(decisionText('majority', 0.5, tallyItem('majority', 0.5, 22, c(3, 0, 0)))).toMatch(/for få svar \(3 af 22 svarede, krav 50 %\)/);
    expect(decisionText('tacit', 0, tallyItem('tacit', 0, 5, c(0, 1, 0)))).toMatch(/indsigelse/);
    expect(meetingOutcome('stopped')).toBe('postponed');
    expect(countChoices(['for', null, 'for', 'meeting'])).toEqual(c(2, 0, 0, 1));
  });
});
