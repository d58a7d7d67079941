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
  /** Set on a transaction that runs under row-level security (Db.tx with a scope). */
  readonly scoped?: boolean;
}

/** The non-superuser role whose transactions are subject to the row-level security policies. */
export const APP_ROLE = 'sintra_app';

/**
 * Whom a transaction acts for, as the row-level security policies read it (drizzle/0003_access_control.sql):
 * `nacional` every row; `estatal` its institution and the state and municipal institutions of `state`;
 * `institucional` its institution; `agregado` every row, read only (aggregated statistics); `ninguno` none.
 * Built from the actor by dbScope() in records/scope.ts, next to recordScope(), so both say the same.
 */
export interface DbScope {
  scope: 'nacional' | 'estatal' | 'institucional' | 'agregado' | 'ninguno';
  institution: string;
  state: string | null;
}

const SCOPE_SQL = `select set_config('sintra.scope', $1, true), set_config('sintra.institution', $2, true), set_config('sintra.state', $3, true)`;
const scopeParams = (s: DbScope) => [s.scope, s.institution, s.state ?? ''];

/**
 * Runs fn with row-level security lifted inside a scoped transaction, for the few lookups that carry their
 * own, deliberate filter across institutions (record-reference catalogs, spec §3.7). Outside a scoped
 * transaction it just runs fn.
 */
export async function withoutRowSecurity<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  if (!q.scoped) return fn();
  await q.query('set local role none');
  try {
    return await fn();
  } finally {
    // If fn failed the transaction is aborted and rolls back anyway; keep fn's error.
    await q.query(`set local role ${APP_ROLE}`).catch(() => undefined);
  }
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgresql';
  /**
   * Runs fn in one transaction; a thrown error rolls everything back (nothing half-saved). With a scope
   * (every request that touches records passes its actor's), the transaction runs as APP_ROLE with the
   * scope in transaction-local settings, so row-level security hides rows outside it even if a query's
   * own filter is wrong. After the transaction the connection is back to its own role.
   */
  tx<T>(fn: (q: Queryable) => Promise<T>, scope?: DbScope): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Connections of the pool (PostgreSQL only), for the metrics at /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
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
  async tx<T>(fn: (q: Queryable) => Promise<T>, scope?: DbScope): Promise<T> {
    return this.pgl.transaction(async (t) => {
      if (scope) {
        await t.query(`set local role ${APP_ROLE}`);
        await t.query(SCOPE_SQL, scopeParams(scope));
      }
      return fn({ query: async <R>(text: string, params: unknown[] = []) => (await t.query<R>(text, params)).rows, scoped: !!scope });
    });
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
  async tx<T>(fn: (q: Queryable) => Promise<T>, scope?: DbScope): Promise<T> {
    const client = await this.pool.connect();
    try {
      if (scope) {
        // One round trip: BEGIN, the role and the settings (values escaped by the driver).
        const [a, b, c] = scopeParams(scope).map((v) => client.escapeLiteral(v));
        await client.query(`BEGIN; SET LOCAL ROLE ${APP_ROLE}; ${SCOPE_SQL.replace('$1', a).replace('$2', b).replace('$3', c)}`);
      } else await client.query('BEGIN');
      const out = await fn({ query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[], scoped: !!scope });
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
  poolStats() {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.pool.options.max ?? 10 };
  }
}

export async function openDb(opts: { url?: string; dataDir?: string; memory?: boolean; pool?: pg.PoolConfig }): Promise<Db> {
  if (opts.url) {
    // Pool size, timeouts and TLS come from the configuration (ops/pg-options.ts) when given.
    const pool = new pg.Pool(opts.pool ?? { connectionString: opts.url, max: 10 });
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
