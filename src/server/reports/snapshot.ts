// Snapshots: the validated records (with their versions), catalogs, institutions and Programa Nacional as they
// stand at the cut-off, frozen in the database. A report computed "over a snapshot" runs the very same SQL
// (statistics engine, indicators, commitments, compliance) inside one transaction in which tables with the
// frozen rows shadow the live ones (a schema per snapshot, first on the search_path), so a record
// added or changed after the cut-off cannot change a regenerated report.
import crypto from 'node:crypto';
import { MODULES } from '../../modules/index.js';
import { todayMx } from '../../modules/validate.js';
import type { Actor } from '../auth/actor.js';
import { CatalogRegistry } from '../catalogs/registry.js';
import type { Ctx } from '../context.js';
import type { Db, Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { badRequest, notFound } from '../http/errors.js';

/** Tables besides the module tables that the report reads, frozen whole. */
export const FROZEN_TABLES = ['catalogo', 'institucion', 'pn_programa', 'pn_objetivo', 'pn_estrategia', 'pn_accion', 'pn_meta'] as const;

export interface SnapshotRow {
  id: string;
  anio: number;
  periodo_desde: string;
  periodo_hasta: string;
  fecha_corte: string;
  taken_at: string;
  created_by: string | null;
  conteos: Record<string, number>;
  sha256: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Period and cut-off of an annual report: the calendar year; the cut-off never after today. */
export function annualPeriod(anio: number, today = todayMx()) {
  const max = Number(today.slice(0, 4));
  if (!Number.isInteger(anio) || anio < 2012 || anio > max) throw badRequest(`«anio» debe ser un año entre 2012 y ${max}.`, [{ field: 'anio', message: `Año entre 2012 y ${max}.` }]);
  const hasta = `${anio}-12-31`;
  return { desde: `${anio}-01-01`, hasta, corte: hasta < today ? hasta : today };
}

/** Freezes a snapshot for a year. One repeatable-read transaction: every table is seen at the same instant. */
export async function createSnapshot(ctx: Ctx, a: Pick<Actor, 'id'> | null, anio: number): Promise<SnapshotRow> {
  const p = annualPeriod(anio);
  return ctx.db.tx(async (q) => {
    if (ctx.db.kind === 'postgresql') await q.query('set transaction isolation level repeatable read');
    const tablas: Record<string, unknown> = {};
    for (const t of FROZEN_TABLES) tablas[t] = (await q.query<{ j: unknown }>(`select coalesce(jsonb_agg(to_jsonb(t)), '[]'::jsonb) as j from ${t} t`))[0].j;
    const [snap] = await q.query<{ id: string }>(
      `insert into report_snapshot (anio, periodo_desde, periodo_hasta, fecha_corte, created_by, conteos, tablas, sha256)
       values ($1, $2, $3, $4, $5, '{}'::jsonb, $6::jsonb, '') returning id`,
      [anio, p.desde, p.hasta, p.corte, a?.id && UUID.test(a.id) ? a.id : null, JSON.stringify(tablas)],
    );
    const conteos: Record<string, number> = {};
    const hash = crypto.createHash('sha256');
    for (const m of MODULES) {
      // Published figures use validated records only; anything dated after the cut-off is outside every figure.
      await q.query(
        `insert into report_snapshot_record (snapshot_id, module, record_id, version, data)
         select $1, $2, r.id, r.version, to_jsonb(r) - 'search_text'
           from ${tableName(m.key)} r
          where r.deleted_at is null and r.estatus = 'validado' and r.fecha_principal <= $3::date`,
        [snap.id, m.key, p.corte],
      );
      const [d] = await q.query<{ n: number; h: string | null }>(
        `select count(*)::int as n, string_agg(record_id::text || ':' || version, ',' order by record_id) as h
           from report_snapshot_record where snapshot_id = $1 and module = $2`,
        [snap.id, m.key],
      );
      conteos[m.key] = d.n;
      hash.update(`${m.key}\u0001${d.h ?? ''}\u0002`);
    }
    hash.update(JSON.stringify(tablas));
    const sha256 = hash.digest('hex');
    const [row] = await q.query<SnapshotRow>(
      `update report_snapshot set conteos = $2::jsonb, sha256 = $3 where id = $1
       returning id, anio, periodo_desde, periodo_hasta, fecha_corte, taken_at, created_by, conteos, sha256`,
      [snap.id, JSON.stringify(conteos), sha256],
    );
    return normalizeRow(row);
  });
}

function normalizeRow(r: SnapshotRow): SnapshotRow {
  return { ...r, taken_at: r.taken_at && typeof r.taken_at !== 'string' ? (r.taken_at as unknown as Date).toISOString() : r.taken_at };
}

export async function getSnapshot(q: Queryable, id: string): Promise<SnapshotRow> {
  if (!UUID.test(id)) throw notFound('La instantánea no existe.');
  const [row] = await q.query<SnapshotRow>(
    'select id, anio, periodo_desde, periodo_hasta, fecha_corte, taken_at, created_by, conteos, sha256 from report_snapshot where id = $1',
    [id],
  );
  if (!row) throw notFound('La instantánea no existe.');
  return normalizeRow(row);
}

export async function listSnapshots(q: Queryable, anio?: number | null): Promise<SnapshotRow[]> {
  const rows = await q.query<SnapshotRow>(
    `select id, anio, periodo_desde, periodo_hasta, fecha_corte, taken_at, created_by, conteos, sha256 from report_snapshot
      where ($1::int is null or anio = $1) order by taken_at desc limit 200`,
    [anio ?? null],
  );
  return rows.map(normalizeRow);
}

/**
 * A Db facade over an open transaction, so code written against ctx.db / ctx.readDb runs inside it. Queries
 * are queued one after another: code written for a pool runs some in parallel (the parts of a legal table),
 * and one transaction's connection takes one query at a time.
 */
function txDb(q: Queryable, kind: Db['kind']): Db {
  let last: Promise<unknown> = Promise.resolve();
  const one: Queryable = {
    scoped: q.scoped,
    query: <T>(text: string, params?: unknown[]) => {
      const run = last.then(() => q.query<T>(text, params));
      last = run.catch(() => undefined);
      return run;
    },
  };
  return {
    kind,
    query: one.query,
    tx: (fn) => fn(one),
    migrate: async () => undefined,
    close: async () => undefined,
  };
}

/** Column signature of the live tables a snapshot shadows: a migration that changes them gives new frozen copies. */
let signature: { db: Db; sig: string } | null = null;
async function tablesSignature(db: Db): Promise<string> {
  if (signature?.db === db) return signature.sig;
  const names = [...MODULES.map((m) => tableName(m.key)), ...FROZEN_TABLES];
  const rows = await db.query<{ t: string; c: string }>(
    `select table_name as t, string_agg(column_name || ' ' || data_type, ',' order by ordinal_position) as c
       from information_schema.columns where table_schema = 'public' and table_name = any($1::text[]) group by table_name order by table_name`,
    [names],
  );
  const sig = crypto.createHash('sha256').update(JSON.stringify(rows)).digest('hex');
  signature = { db, sig };
  return sig;
}

/**
 * The schema holding a snapshot's frozen rows as ordinary tables under the live names, built once from
 * report_snapshot_record on first use (so snapshots taken before, or a restored database, work too) and then
 * reused: switching a transaction's search_path to it costs nothing, where copying every table into temporary
 * tables took close to half a second per request. The frozen rows never change, so neither does the copy.
 */
async function frozenSchema(ctx: Ctx, id: string): Promise<string> {
  const schema = `informe_${crypto.createHash('sha256').update(`${id}:${await tablesSignature(ctx.db)}`).digest('hex').slice(0, 20)}`;
  const ready = async (q: Queryable) => (await q.query<{ r: string | null }>(`select to_regclass($1) as r`, [`${schema}._completo`]))[0].r !== null;
  if (await ready(ctx.db)) return schema;
  await ctx.db.tx(async (q) => {
    // Two requests for a new snapshot at once: the second waits, then finds the copy made.
    await q.query(`select pg_advisory_xact_lock(hashtext($1))`, [schema]);
    if (await ready(q)) return;
    await q.query(`drop schema if exists ${schema} cascade`);
    await q.query(`create schema ${schema}`);
    for (const m of MODULES) {
      const t = tableName(m.key);
      await q.query(
        `create table ${schema}.${t} as
           select p.* from report_snapshot_record s cross join lateral jsonb_populate_record(null::public.${t}, s.data) p
            where s.snapshot_id = $1 and s.module = $2`,
        [id, m.key],
      );
    }
    // The frozen catalogs and programme are read from the snapshot row once, not once per table.
    await q.query(`create temp table _tablas on commit drop as select e.key, e.value from report_snapshot s cross join lateral jsonb_each(s.tablas) e where s.id = $1`, [id]);
    for (const t of FROZEN_TABLES)
      await q.query(`create table ${schema}.${t} as select p.* from _tablas x cross join lateral jsonb_populate_recordset(null::public.${t}, x.value) p where x.key = '${t}'`);
    await q.query(`create table ${schema}._completo (snapshot_id uuid not null)`);
    await q.query(`insert into ${schema}._completo values ($1)`, [id]);
  });
  return schema;
}

/** Catalog registries built from frozen catalogs, by schema (they never change). */
const REGISTRIES = new Map<string, CatalogRegistry>();

/**
 * Runs fn against the snapshot: a context whose db/readDb see the frozen rows under the live table names (a
 * read-only transaction whose search_path puts the snapshot's schema first) and whose catalog registry is
 * built from the frozen catalogs and institutions.
 */
export async function withSnapshot<T>(ctx: Ctx, id: string, fn: (sctx: Ctx, snap: SnapshotRow) => Promise<T>): Promise<T> {
  const snap = await getSnapshot(ctx.db, id);
  const schema = await frozenSchema(ctx, id);
  return ctx.db.tx(async (q) => {
    // Nothing computed over a snapshot may write: a write would change the frozen copy for every later report.
    await q.query('set transaction read only');
    await q.query(`select set_config('search_path', $1, true)`, [`${schema}, public`]);
    const db = txDb(q, ctx.db.kind);
    let catalogs = REGISTRIES.get(schema);
    if (!catalogs) {
      catalogs = new CatalogRegistry();
      await catalogs.reload(db, ctx.baseCatalogs);
      if (REGISTRIES.size >= 16) REGISTRIES.delete(REGISTRIES.keys().next().value as string);
      REGISTRIES.set(schema, catalogs);
    }
    return fn({ ...ctx, db, readDb: db, catalogs }, snap);
  });
}
