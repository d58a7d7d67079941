// A plain single connection to SINTRA's database for backup and restore: no pool, no per-transaction role
// switch (the app's transactions may run as a restricted role; a backup must see every row or fail).
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Queryable } from '../db/client.js';

export interface Raw extends Queryable {
  readonly kind: 'pglite' | 'postgresql';
  /** Several statements, no parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: the instance (dumpDataDir). */
  readonly pglite?: PGlite;
}

export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

export async function openRawPglite(dir: string, loadDataDir?: Blob): Promise<Raw> {
  fs.mkdirSync(dir, { recursive: true });
  const pgl = await PGlite.create(dir, loadDataDir ? { loadDataDir } : {});
  return {
    kind: 'pglite',
    pglite: pgl,
    query: async <T>(text: string, params: unknown[] = []) => (await pgl.query<T>(text, params)).rows,
    exec: async (sql: string) => {
      await pgl.exec(sql);
    },
    close: () => pgl.close(),
  };
}

export async function openRawPostgres(url: string): Promise<Raw> {
  const c = new pg.Client({ connectionString: url, application_name: 'sintra-respaldo' });
  await c.connect();
  // Row-level security must never silently hide rows from a backup: with it off, a policy that would apply is an error.
  await c.query('set row_security = off');
  return {
    kind: 'postgresql',
    query: async <T>(text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[],
    exec: async (sql: string) => {
      await c.query(sql);
    },
    close: () => c.end(),
  };
}
