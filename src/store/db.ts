import fs from 'fs';
import path from 'path';
import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolClient } from 'pg';

// The contrib entries declare ESM-only types but ship CommonJS builds, which load fine with require.
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as typeof import('@electric-sql/pglite/contrib/pg_trgm', { with: { 'resolution-mode': 'import' } });
const { unaccent } = require('@electric-sql/pglite/contrib/unaccent') as typeof import('@electric-sql/pglite/contrib/unaccent', { with: { 'resolution-mode': 'import' } });

/**
 * One database interface over two engines: PGlite (embedded, data in DATA_DIR) and a PostgreSQL
 * server (DATABASE_URL). Repositories only see `Queryable`; SQL lives in repositories.
 *
 * Conventions that keep both engines alike:
 * - cast counts and bigints to int in SELECTs (`count(*)::int`): pg returns int8 as a string;
 * - timestamptz columns come back as JS Date on both engines;
 * - jsonb comes back parsed on both.
 */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction: commit when it resolves, roll back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** For pg-boss and other libraries that need a raw executor. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

export interface DbOptions {
  /** postgres://… to use a server; otherwise PGlite. */
  databaseUrl?: string;
  /** PGlite data directory; 'memory://' for an in-memory database. */
  dataDir?: string;
  /** PostgreSQL only: a schema of its own (tests give each suite one). Created when missing. */
  schema?: string;
  /** Run migrations on open (default true). */
  migrate?: boolean;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.schema) : await openPglite(opts.dataDir ?? 'memory://');
  if (opts.migrate !== false) await migrate(db);
  return db;
}

async function openPglite(dataDir: string): Promise<Db> {
  if (dataDir !== 'memory://' && !dataDir.startsWith('idb://')) fs.mkdirSync(dataDir, { recursive: true });
  const pg: PGlite = await PGlite.create(dataDir === 'memory://' ? undefined : dataDir, { extensions: { pg_trgm, unaccent } });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await q.query<T>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(pg);
  return {
    engine: 'pglite',
    ...base,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    close: () => pg.close(),
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await pg.exec(text);
        return { rows: results.length ? results[results.length - 1].rows : [] };
      }
      return pg.query(text, values);
    },
  };
}

async function openPostgres(url: string, schema?: string): Promise<Db> {
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool: Pool = new Pool({
    connectionString: url,
    max: 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  pool.on('error', () => undefined); // an idle client dying must not crash the process; the next query reconnects
  if (schema) await pool.query(`create schema if not exists ${schema}`);
  const wrap = (c: Pool | PoolClient): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  return {
    engine: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const out = await fn(wrap(client));
        await client.query('commit');
        return out;
      } catch (e) {
        await client.query('rollback').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
    async executeSql(text, values) {
      const r = await pool.query(text, values as unknown[]);
      // multi-statement text returns an array of results
      return Array.isArray(r) ? { rows: r.length ? r[r.length - 1].rows : [] } : { rows: r.rows };
    },
  };
}

/** src/store/migrations, found from both src/ and dist/. */
export const MIGRATIONS_DIR = path.join(__dirname, '..', '..', 'src', 'store', 'migrations');

/**
 * Applies every migrations/*.sql not applied yet, in file-name order, each in its own transaction.
 * File names carry a capability range: 0001-0099 core, 0100 questions, 0200 broadcasts, 0300 procedures, 0400 tab.
 * A PostgreSQL advisory lock keeps two instances starting at once from racing.
 */
export async function migrate(db: Db): Promise<string[]> {
  // Extensions live in public so that every schema (and every test schema) shares them.
  for (const ext of ['pg_trgm', 'unaccent']) {
    try {
      await db.exec(db.engine === 'postgres' ? `create extension if not exists ${ext} with schema public` : `create extension if not exists ${ext}`);
    } catch (e) {
      // two suites creating it at the same moment: the loser sees a unique violation; the extension exists either way
      if (!/already exists|duplicate key/i.test(String((e as Error).message))) throw e;
    }
  }
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const applied: string[] = [];
  const run = async (q: Queryable) => {
    await q.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
    const done = new Set((await q.query<{ name: string }>('select name from schema_migrations')).rows.map((r) => r.name));
    for (const f of files) {
      if (done.has(f)) continue;
      await q.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, f), 'utf8'));
      await q.query('insert into schema_migrations(name) values ($1)', [f]);
      applied.push(f);
    }
  };
  await db.transaction(async (tx) => {
    if (db.engine === 'postgres') await tx.query("select pg_advisory_xact_lock(hashtext('forumbot:migrations'))");
    await run(tx);
  });
  return applied;
}
