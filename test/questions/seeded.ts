import fs from 'fs';
import path from 'path';
import { openDb, type Db, type DbOptions } from '../../src/store/db';
import { importDocument, type ParseFn } from '../../src/store/import';

const SEEDS_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'seeds');
function seedFiles(): string[] {
  return fs.existsSync(SEEDS_DIR) ? fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(SEEDS_DIR, f)) : [];
}

/** The parser: src/minutes parseDocument when it exists, else its plain-text entry (the seeds are text). */
function parser(): ParseFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const idx = (() => { try { return require('../../src/minutes'); } catch { return {}; } })() as { parseDocument?: ParseFn };
  if (typeof idx.parseDocument === 'function') return idx.parseDocument;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseText } = require('../../src/minutes/parse') as { parseText: (t: string, o: { fileName?: string }) => unknown };
  return async ({ data, fileName }) => parseText(data.toString('utf8'), { fileName }) as never;
}

/** A database with the five seeds imported. */
export async function seededDb(opts: DbOptions = { dataDir: 'memory://' }): Promise<Db> {
  const db = await openDb(opts);
  await importSeeds(db);
  return db;
}

export async function importSeeds(db: Db): Promise<void> {
  const parse = parser();
  for (const f of seedFiles()) await importDocument(db, { data: fs.readFileSync(f), fileName: path.basename(f) }, { parse, actor: 'test' });
}
