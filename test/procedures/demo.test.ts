import { openDb, type Db } from '../../src/store/db';
import { loadDemoData } from '../../src/store/demo';
import { openDemoProcedure } from '../../src/procedures/demo';
import { showProcedure, createProcedure, castVote, CLI } from '../../src/procedures/service';
import { answerQuestion } from '../../src/questions';
import { procedureContext } from '../../src/procedures';
import { ProcedureWorker } from '../../src/procedures/worker';
import { testConfig, seedRoster, person, actor, clockCtx } from './helpers';

describe('demo written procedure', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb({ dataDir: 'memory://' });
  });
  afterAll(async () => db?.close());

  it("opens the demo forum's per-mail agenda as a procedure, once", async () => {
    await loadDemoData(db);
    const p = await openDemoProcedure(db, { config: testConfig() });
    expect(p).toMatchObject({ created: true });
    const s = await showProcedure(db, p!.id);
    expect(s.forum).toBe('Socialdirektørforum Vestkyst');
    expect(s.items.length).toBeGreaterThanOrEqual(3);
    expect(s.items[0].title).toBe('Ny formand for forretningsudvalget');
    expect(s.voters.map((v) => v.name)).toEqual(expect.arrayContaining(['Sofie Sekretær', 'Anders Andersen']));
    expect(s.voters.map((v) => v.name)).not.toContain('Dorthe Dahl');
    const again = await openDemoProcedure(db, { config: testConfig() });
    expect(again).toMatchObject({ id: p!.id, created: false });
  });
});

describe('the decision is found by question answering', () => {
  it('"hvad blev besluttet om …" answers from a closed procedure', async () => {
    const db = await openDb({ dataDir: 'memory://' });
    try {
      await seedRoster(db, 3);
      const ctx = clockCtx(db, testConfig());
      const { id } = await createProcedure(ctx, CLI, {
        forum: 'Socialdirektørforum', title: 'Skriftlig procedure om temadag', deadline: new Date(Date.now() + 86_400_000).toISOString(), rule: 'majority',
        items: [{ title: 'Tilskud til fælles temadag om pårørende', recommendation: 'Det indstilles, at forummet giver tilskud til temadagen.' }],
      });
      for (const n of [1, 2]) await castVote(ctx, actor(person(n)), { procedureId: id, item: 1, choice: 'for' }, `qa-${n}`);
      ctx.advance(2 * 86_400_000);
      await new ProcedureWorker({ ...ctx, hooks: procedureContext({ db, config: testConfig() }).hooks }).runDue();
      const a = await answerQuestion(db, { question: 'hvad blev besluttet om tilskud til temadagen om pårørende?', now: new Date(Date.now() + 3 * 86_400_000), lang: 'da' });
      expect(a.answered).toBe(true);
      expect(a.text).toContain('Godkendt ved skriftlig procedure (2 for, 0 imod, 0 undlod)');
      expect(a.sources[0].itemTitle).toBe('Tilskud til fælles temadag om pårørende');
    } finally {
      await db.close();
    }
  });
});
