import type { Actor } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import { tableName } from '../db/schema.js';
import { badRequest } from '../http/errors.js';
import { buildFilters, filterableField, first, type Query } from './filters.js';
import { canReadRecords, dbScope, recordScope, redactRecord } from './scope.js';
import { col, moduleOr404, selectList } from './service.js';
import { notFound } from '../http/errors.js';
import type { FieldDef } from '../../modules/types.js';

// Nulls sort as a sentinel of the column's type so keyset paging can compare rows.
function sortExpr(f: FieldDef | undefined, key: string): { expr: string; cast: string } {
  const c = `r.${col(key)}`;
  switch (f?.type) {
    case 'entero':
    case 'decimal':
      return { expr: `coalesce(${c}::numeric, -1e15)`, cast: 'numeric' };
    case 'fecha':
      return { expr: `coalesce(${c}, '0001-01-01'::date)`, cast: 'date' };
    case 'booleano':
      return { expr: `coalesce(${c}::int, -1)`, cast: 'int' };
    default:
      return { expr: `coalesce(${c}::text, '')`, cast: 'text' };
  }
}

const SORTABLE_META = ['folio_sintra', 'estatus', 'created_at', 'updated_at', 'periodo_anio', 'periodo_trimestre', 'institucion_id', 'entidad_federativa', 'fecha_principal'];

export async function listRecords(ctx: Ctx, a: Actor, moduleKey: string, query: Query) {
  const m = moduleOr404(moduleKey);
  if (!canReadRecords(a)) throw notFound();
  const limitRaw = first(query.limit);
  const limit = limitRaw === undefined ? 50 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw badRequest('«limit» debe ser un entero entre 1 y 200.', [{ field: 'limit', message: '«limit» debe ser un entero entre 1 y 200.' }]);

  const params: unknown[] = [];
  const scope = recordScope(a, 0, 'records', m.key);
  params.push(...scope.params);
  // eliminados=1: the administrator's view of soft-deleted records (to restore them).
  const deleted = first(query.eliminados) === '1';
  if (deleted && a.role !== 'administrador') throw badRequest('Solo la administración consulta registros eliminados.', [{ field: 'eliminados', message: 'No permitido para su rol.' }]);
  const { eliminados: _omit, ...rest } = query;
  void _omit;
  const conds = [deleted ? 'r.deleted_at is not null' : 'r.deleted_at is null', scope.sql, ...buildFilters(m, rest, params, { allowEstatus: true })];

  // Sort: default newest first (creation order); otherwise a field, with seq as tie-breaker.
  const sortRaw = first(query.sort);
  let expr = 'r.seq';
  let cast = 'bigint';
  let dir: 'asc' | 'desc' = 'desc';
  if (sortRaw) {
    const desc = sortRaw.startsWith('-');
    const key = desc ? sortRaw.slice(1) : sortRaw;
    const f = filterableField(m, key);
    if ((!f && !SORTABLE_META.includes(key)) || f?.type === 'catalogo_multiple' || f?.type === 'archivo')
      throw badRequest(`No se puede ordenar por «${key}».`, [{ field: 'sort', message: `No se puede ordenar por «${key}».` }]);
    dir = desc ? 'desc' : 'asc';
    if (key === 'created_at') ({ expr, cast } = { expr: 'r.seq', cast: 'bigint' });
    else ({ expr, cast } = sortExpr(f, key));
  }
  const where = conds.join(' and ');
  const countParams = [...params];
  const cursorRaw = first(query.cursor);
  if (cursorRaw) {
    let cur: { v: unknown; s: number };
    try {
      cur = JSON.parse(Buffer.from(cursorRaw, 'base64url').toString('utf8')) as { v: unknown; s: number };
      if (typeof cur.s !== 'number') throw new Error('cursor');
    } catch {
      throw badRequest('«cursor» inválido: use el valor nextCursor de la respuesta anterior.', [{ field: 'cursor', message: 'Cursor inválido.' }]);
    }
    const cmp = dir === 'desc' ? '<' : '>';
    // Every pushed parameter must be used in the SQL (an unused one has no type and the query fails).
    if (expr === 'r.seq') {
      params.push(cur.s);
      conds.push(`r.seq ${cmp} $${params.length}`);
    } else {
      params.push(cur.v, cur.s);
      conds.push(`(${expr}, r.seq) ${cmp} ($${params.length - 1}::${cast}, $${params.length})`);
    }
  }
  params.push(limit + 1);
  // Under the actor's row-level security scope too: a wrong filter above still cannot reach other institutions.
  const { rows, total } = await ctx.db.tx(async (q) => {
    const rows = await q.query<Record<string, unknown>>(
      `select ${selectList(m)}, r.seq as _seq, ${expr} as _sortv from ${tableName(m.key)} r
        where ${conds.join(' and ')} order by ${expr} ${dir}, r.seq ${dir} limit $${params.length}`,
      params,
    );
    const total = (await q.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)} r where ${where}`, countParams))[0].n;
    return { rows, total };
  }, dbScope(a));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(JSON.stringify({ v: last._sortv instanceof Date ? last._sortv.toISOString() : last._sortv, s: last._seq }), 'utf8').toString('base64url')
      : null;
  const items = page.map((row) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!k.startsWith('_')) out[k] = v instanceof Date ? v.toISOString() : v;
    if (!deleted) {
      delete out.deleted_at;
      delete out.deleted_reason;
    }
    delete out.fecha_principal;
    return redactRecord(a, m, out, (c) => ctx.catalogs.item('institucion', c));
  });
  return { items, nextCursor, total };
}
