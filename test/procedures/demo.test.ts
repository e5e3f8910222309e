import { openDb, type Db } from '../../src/store/db';
import { loadDemoData } from '../../src/store/demo';
import { openDemoProcedure } from '../../src/procedures/demo';
import { showProcedure } from '../../src/procedures/service';
import { testConfig } from './helpers';

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
