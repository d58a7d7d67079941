import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

/** Anything that runs a parameterised query: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgresql';
  /** Runs fn in one transaction; a thrown error rolls everything back (nothing half-saved). */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
}

// Dates stay calendar strings (never shifted by time zone); numeric and bigint become JS numbers.
const DATE = 1082;
const NUMERIC = 1700;
const INT8 = 20;

pg.types.setTypeParser(DATE, (v: string) => v);
pg.types.setTypeParser(NUMERIC, (v: string) => Number(v));
pg.types.setTypeParser(INT8, (v: string) => Number(v));

class PgliteDb implements Db {
  readonly kind = 'pglite' as const;
  constructor(private readonly pgl: PGlite) {}
  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pgl.query<T>(text, params)).rows;
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pgl.transaction(async (t) =>
      fn({ query: async <R>(text: string, params: unknown[] = []) => (await t.query<R>(text, params)).rows }),
    );
  }
  async migrate(): Promise<void> {
    await migratePglite(drizzlePglite(this.pgl), { migrationsFolder: MIGRATIONS_DIR });
  }
  async close(): Promise<void> {
    await this.pgl.close();
  }
}

class PostgresDb implements Db {
  readonly kind = 'postgresql' as const;
  constructor(private readonly pool: pg.Pool) {}
  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params)).rows as T[];
  }
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({ query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[] });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }
  async migrate(): Promise<void> {
    await migratePg(drizzlePg(this.pool), { migrationsFolder: MIGRATIONS_DIR });
  }
  async close(): Promise<void> {
    await this.pool.end();
  }
}

export async function openDb(opts: { url?: string; dataDir?: string; memory?: boolean }): Promise<Db> {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    pool.on('error', () => undefined); // idle client errors surface on the next query instead
    await pool.query('select 1');
    return new PostgresDb(pool);
  }
  let target: string | undefined;
  if (!opts.memory) {
    target = path.join(opts.dataDir ?? './data', 'pglite');
    fs.mkdirSync(target, { recursive: true });
  }
  let pgl: PGlite;
  try {
    pgl = await PGlite.create(target, {
      parsers: {
        [DATE]: (v: string) => v,
        [NUMERIC]: (v: string) => Number(v),
        [INT8]: (v: string) => Number(v),
      },
    });
  } catch (e) {
    throw new Error(
      `No se pudo abrir la base de datos integrada en ${target}. ¿Hay otro proceso de SINTRA usándola? (${(e as Error).message})`,
    );
  }
  void pgliteTypes;
  return new PgliteDb(pgl);
}
