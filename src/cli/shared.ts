import { loadConfig, type Config } from '../config';
import { openDb, type Db } from '../store/db';

/** Opens the store the environment names (DATABASE_URL, else PGlite in DATA_DIR), runs fn, closes it. */
export async function withStore<T>(fn: (db: Db, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDb({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

/** `--json` prints exactly one JSON document on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
