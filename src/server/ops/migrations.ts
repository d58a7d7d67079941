// Migration state: what drizzle recorded in drizzle.__drizzle_migrations against drizzle/meta/_journal.json.
// Used by the readiness check, by a start with SINTRA_MIGRATE_AT_START=0, and by `sintra migrate`.
import fs from 'node:fs';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Config } from '../config.js';
import { MIGRATIONS_DIR, openDb, type Db, type Queryable } from '../db/client.js';
import { withAdvisoryLock } from './locks.js';
import { pgPoolConfig } from './pg-options.js';

export interface ExpectedMigration {
  tag: string;
  when: number;
  hash: string;
}

export interface MigrationStatus {
  expected: number;
  applied: number;
  /** In the journal, not in the database. */
  pending: string[];
  /** Applied with a different content than the file now has (a migration file edited after the fact). */
  modified: string[];
  /** In the database, not in this version's journal (a newer version migrated first: rolling upgrade). */
  unknown: number;
}

let cached: ExpectedMigration[] | undefined;

/** The migrations this version of SINTRA expects, from the journal and the SQL files (drizzle's own hash). */
export function expectedMigrations(dir = MIGRATIONS_DIR): ExpectedMigration[] {
  if (dir === MIGRATIONS_DIR && cached) return cached;
  const journal = JSON.parse(fs.readFileSync(path.join(dir, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const files = readMigrationFiles({ migrationsFolder: dir });
  const out = journal.entries.map((e) => {
    const f = files.find((x) => x.folderMillis === e.when);
    if (!f) throw new Error(`La migración ${e.tag} del diario no tiene archivo SQL`);
    return { tag: e.tag, when: e.when, hash: f.hash };
  });
  if (dir === MIGRATIONS_DIR) cached = out;
  return out;
}

export async function migrationStatus(db: Queryable, expected = expectedMigrations()): Promise<MigrationStatus> {
  let rows: { hash: string; created_at: number | string }[] = [];
  const exists = await db.query<{ t: string | null }>("select to_regclass('drizzle.__drizzle_migrations')::text as t");
  if (exists[0]?.t) rows = await db.query('select hash, created_at from drizzle.__drizzle_migrations');
  const byWhen = new Map(rows.map((r) => [Number(r.created_at), r.hash]));
  const pending: string[] = [];
  const modified: string[] = [];
  for (const e of expected) {
    const h = byWhen.get(e.when);
    if (h === undefined) pending.push(e.tag);
    else if (h !== e.hash) modified.push(e.tag);
  }
  const known = new Set(expected.map((e) => e.when));
  return {
    expected: expected.length,
    applied: rows.length,
    pending,
    modified,
    unknown: rows.filter((r) => !known.has(Number(r.created_at))).length,
  };
}

/** Spanish reasons why the schema is not what this version needs; empty when it is. */
export function migrationProblems(s: MigrationStatus): string[] {
  const out: string[] = [];
  if (s.pending.length) out.push(`migraciones pendientes: ${s.pending.join(', ')} (ejecute «npm run sintra -- migrate»)`);
  if (s.modified.length) out.push(`migraciones modificadas después de aplicarse: ${s.modified.join(', ')}`);
  return out;
}

/** A start with SINTRA_MIGRATE_AT_START=0 refuses to serve an old schema. */
export async function assertMigrationsCurrent(db: Db): Promise<void> {
  const problems = migrationProblems(await migrationStatus(db));
  if (problems.length) throw new Error(`La base de datos no está al día: ${problems.join('; ')}.`);
}

/**
 * Applies the migrations and the seed (catalogs, institutions) once across every instance: on PostgreSQL
 * under an advisory lock, on a small pool of its own without the statement timeout (a migration that
 * rebuilds an index on a large table is not a runaway query).
 */
export async function prepareDatabase(db: Db, config: Config, seed: (db: Db) => Promise<void>): Promise<void> {
  if (db.kind === 'pglite' || !config.DATABASE_URL) {
    await db.migrate();
    await seed(db);
    return;
  }
  const mdb = await openDb({
    url: config.DATABASE_URL,
    pool: {
      ...pgPoolConfig(config.DATABASE_URL, config),
      max: 2,
      statement_timeout: undefined,
      idle_in_transaction_session_timeout: undefined,
      application_name: 'sintra-migrate',
    },
  });
  try {
    await withAdvisoryLock(mdb, 'sintra:migrate', async () => {
      await mdb.migrate();
      await seed(mdb);
    });
  } finally {
    await mdb.close();
  }
}
