import { openDb } from '../src/store/db';
import { engines } from './support/engines';

describe.each(engines())('db on %s', (_name, opts) => {
  it('migrates and answers Danish full-text and trigram queries', async () => {
    const db = await openDb(opts());
    try {
      const r = await db.query<{ v: string; s: number }>(
        "select to_tsvector('danish','Takststigningen blev godkendt')::text v, similarity('takststigning','takststigningen') s",
      );
      expect(r.rows[0].v).toContain("'takststigning':1");
      expect(r.rows[0].s).toBeGreaterThan(0.5);
      const t = await db.query<{ n: number }>("select count(*)::int n from schema_migrations where name = '0001_core.sql'");
      expect(t.rows[0].n).toBe(1);
      await expect(db.transaction(async (tx) => {
        await tx.query("insert into forums(id,name) values ('x','X')");
        throw new Error('boom');
      })).rejects.toThrow('boom');
      expect((await db.query<{ n: number }>('select count(*)::int n from forums')).rows[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
