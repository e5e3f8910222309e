import { randomBytes } from 'crypto';
import type { DbOptions } from '../../src/store/db';

/**
 * The engines store tests run on: PGlite in memory always, and PostgreSQL when it answers
 * (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test). Each call gets a schema of its own.
 * Set FORUMBOT_SKIP_PG=1 to run on PGlite only; CI (CI=true) requires PostgreSQL.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function pgSchemaName(prefix = 't'): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function engines(): Array<[string, () => DbOptions]> {
  const out: Array<[string, () => DbOptions]> = [['pglite', () => ({ dataDir: 'memory://' })]];
  if (process.env.FORUMBOT_SKIP_PG !== '1') {
    out.push(['postgres', () => ({ databaseUrl: TEST_DATABASE_URL, schema: pgSchemaName() })]);
  }
  return out;
}
