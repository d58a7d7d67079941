// Cross-tabulation of a module's records by one or two dimensions (contract §4 "Statistics shape").
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { fieldCatalog, type FieldDef, type ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import { tableName } from '../db/schema.js';
import { badRequest, forbidden } from '../http/errors.js';
import { asList, buildFilters, first, type Query } from '../records/filters.js';
import { mustSuppress, recordScope } from '../records/scope.js';
import { col } from '../records/service.js';
import { isSecretariaTecnica } from '../auth/actor.js';

export type CellValue = number | '<5';

export interface StatsResult {
  rows: string;
  cols: string | null;
  cells: { row: string; col: string | null; value: CellValue }[];
  rowTotals: Record<string, CellValue>;
  colTotals: Record<string, CellValue>;
  total: CellValue;
  records: CellValue | null;
  notes: string[];
}

/** Modules whose figures count persons (spec §4.3.4: small-cell rule). */
export const PERSON_MODULES = ['victimas', 'operativos_rescate'];

const SIN_DATO = `'SIN_DATO'`;
const DERIVED = ['anio', 'trimestre', 'mes', 'institucion_id', 'ambito', 'entidad_federativa', '_medida'] as const;

interface Dim {
  name: string;
  /** A lateral subquery producing column v (one row per value). */
  lateral: (alias: string) => string;
  multi: boolean;
  catalog?: string;
}

export function dimensionsOf(m: ModuleDef): string[] {
  const keys = [...METADATA_FIELDS, ...m.fields].filter((f) => fieldCatalog(f) || f.type === 'booleano').map((f) => f.key);
  return [...new Set([...DERIVED, ...keys, 'periodo_anio', 'periodo_trimestre'])];
}

function dim(m: ModuleDef, name: string, measures: string[]): Dim {
  const meta = (sql: string, catalog?: string): Dim => ({ name, multi: false, catalog, lateral: (a) => `lateral (select ${sql} as v) ${a}` });
  switch (name) {
    case 'anio':
      return meta(`coalesce(extract(year from r.fecha_principal)::int::text, ${SIN_DATO})`);
    case 'trimestre':
      return meta(`coalesce(extract(quarter from r.fecha_principal)::int::text, ${SIN_DATO})`);
    case 'mes':
      return meta(`coalesce(lpad(extract(month from r.fecha_principal)::int::text, 2, '0'), ${SIN_DATO})`);
    case 'entidad_federativa':
      return meta(`coalesce(r.entidad_federativa, case when r.ambito = 'FEDERAL' then 'NACIONAL' else ${SIN_DATO} end)`, 'entidad');
    case '_medida':
      if (measures.length < 1) throw badRequest('«_medida» necesita «sum» con uno o más campos.', [{ field: 'sum', message: 'Indique los campos a sumar.' }]);
      return {
        name,
        multi: false,
        lateral: (a) => `lateral (values ${measures.map((k) => `('${k}', r.${col(k)}::numeric)`).join(', ')}) ${a}(v, x)`,
      };
  }
  const f: FieldDef | undefined = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === name);
  if (!f || !(fieldCatalog(f) || f.type === 'booleano'))
    throw badRequest(`No se puede tabular por «${name}»: use un campo de catálogo, entidad, municipio o país del módulo, o anio, trimestre, mes, institucion_id, ambito, entidad_federativa.`, [
      { field: 'rows', message: `Dimensión desconocida «${name}».` },
    ]);
  if (f.type === 'catalogo_multiple')
    return {
      name,
      multi: true,
      catalog: fieldCatalog(f),
      lateral: (a) => `lateral unnest(case when cardinality(r.${col(f.key)}) = 0 then array[${SIN_DATO}] else r.${col(f.key)} end) ${a}(v)`,
    };
  if (f.type === 'booleano') return meta(`coalesce(case when r.${col(f.key)} then 'SI' when not r.${col(f.key)} then 'NO' end, ${SIN_DATO})`);
  return meta(`coalesce(r.${col(f.key)}::text, ${SIN_DATO})`, fieldCatalog(f));
}

export async function crosstab(ctx: Ctx, a: Actor, m: ModuleDef, query: Query): Promise<StatsResult> {
  if (a.role === 'auditor') throw forbidden('Su rol no consulta estadísticas.');
  const rowsName = first(query.rows);
  if (!rowsName) throw badRequest('Indique «rows»: la dimensión de las filas.', [{ field: 'rows', message: '«rows» es obligatorio.' }]);
  const colsName = first(query.cols) || null;
  const sums = asList(query.sum);
  for (const s of sums) {
    const f = m.fields.find((x) => x.key === s);
    if (!f || (f.type !== 'entero' && f.type !== 'decimal')) throw badRequest(`«sum»: «${s}» no es un campo numérico del módulo.`, [{ field: 'sum', message: `«${s}» no es numérico.` }]);
  }
  const distinct = first(query.distinct);
  if (distinct && !m.fields.some((f) => f.key === distinct)) throw badRequest(`«distinct»: «${distinct}» no es un campo del módulo.`, [{ field: 'distinct', message: `«${distinct}» no existe.` }]);
  const usesMedida = rowsName === '_medida' || colsName === '_medida';
  if (sums.length > 1 && !usesMedida) throw badRequest('Con varios campos en «sum», use la dimensión «_medida».', [{ field: 'sum', message: 'Use rows o cols = _medida.' }]);
  if (usesMedida && !sums.length) throw badRequest('«_medida» necesita «sum».', [{ field: 'sum', message: 'Indique los campos a sumar.' }]);
  const d1 = dim(m, rowsName, sums);
  const d2 = colsName ? dim(m, colsName, sums) : null;

  const params: unknown[] = [];
  const scope = recordScope(a, 0, 'stats', m.key);
  params.push(...scope.params);
  const conds = [`r.deleted_at is null`, `r.estatus in ('enviado','validado')`, scope.sql, ...buildFilters(m, query, params, { allowEstatus: false })];
  const where = conds.join(' and ');
  const measure = usesMedida ? `sum(${rowsName === '_medida' ? 'd1' : 'd2'}.x)` : sums.length ? `sum(r.${col(sums[0])})` : distinct ? `count(distinct r.${col(distinct)})` : 'count(*)';
  const sql = `select d1.v as row, ${d2 ? 'd2.v' : 'null'} as col, ${measure} as value
                 from ${tableName(m.key)} r cross join ${d1.lateral('d1')}${d2 ? ` cross join ${d2.lateral('d2')}` : ''}
                where ${where} group by 1, 2`;
  const raw = await ctx.readDb.query<{ row: string; col: string | null; value: number | null }>(sql, params);
  const records = (await ctx.readDb.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)} r where ${where}`, params))[0].n;

  const cells = raw.filter((c) => c.value !== null && Number(c.value) !== 0).map((c) => ({ row: c.row, col: d2 ? c.col : null, value: Number(c.value) }));
  const notes: string[] = [];
  if (d1.multi || d2?.multi)
    notes.push('Una variable de opción múltiple cuenta cada registro una vez por cada opción elegida: el total (menciones) puede ser mayor que el número de registros distintos.');
  if (m.key === 'victimas') notes.push('Personas víctimas registradas por las instituciones (no existe un identificador entre instituciones; una persona atendida por dos instituciones cuenta dos veces).');
  if (first(query.estatus) === 'validado') notes.push('Solo registros validados.');
  else notes.push('Registros enviados y validados (sin borradores ni eliminados).');
  if (sums.length) notes.push(`Suma de: ${sums.join(', ')}.`);
  if (distinct) notes.push(`Cuenta valores distintos de «${distinct}».`);

  const result = assemble(rowsName, colsName, cells, records);
  result.notes = notes;
  if (PERSON_MODULES.includes(m.key) && mustSuppress(a)) {
    suppress(result, ctx.config.SINTRA_SUPPRESSION_THRESHOLD);
    result.notes.push(`Cifras de 1 a ${ctx.config.SINTRA_SUPPRESSION_THRESHOLD - 1} se muestran como «<${ctx.config.SINTRA_SUPPRESSION_THRESHOLD}», con supresión complementaria para que no puedan deducirse de los totales.`);
  }
  void isSecretariaTecnica;
  return result;
}

export function assemble(rows: string, cols: string | null, cells: { row: string; col: string | null; value: number }[], records: number): StatsResult {
  const rowTotals: Record<string, number> = {};
  const colTotals: Record<string, number> = {};
  let total = 0;
  for (const c of cells) {
    rowTotals[c.row] = (rowTotals[c.row] ?? 0) + c.value;
    if (c.col !== null) colTotals[c.col] = (colTotals[c.col] ?? 0) + c.value;
    total += c.value;
  }
  cells.sort((x, y) => (x.row < y.row ? -1 : x.row > y.row ? 1 : String(x.col) < String(y.col) ? -1 : String(x.col) > String(y.col) ? 1 : 0));
  return { rows, cols, cells, rowTotals, colTotals, total, records, notes: [] };
}

/**
 * Small-cell rule with complementary suppression: cells 1..threshold-1 become "<threshold"; then, in any
 * row or column where exactly one cell is hidden, the smallest other visible cell is hidden too, so no
 * hidden value can be recovered from the shown totals. Totals below the threshold are hidden as well.
 */
export function suppress(r: StatsResult, threshold: number): void {
  const small = (v: CellValue) => typeof v === 'number' && v > 0 && v < threshold;
  const hidden = new Set<number>();
  r.cells.forEach((c, i) => {
    if (small(c.value)) hidden.add(i);
  });
  const groups = (key: 'row' | 'col') => {
    const g = new Map<string, number[]>();
    r.cells.forEach((c, i) => {
      const k = String(c[key]);
      g.set(k, [...(g.get(k) ?? []), i]);
    });
    return g;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const key of ['row', 'col'] as const) {
      if (key === 'col' && r.cols === null) continue;
      for (const idx of groups(key).values()) {
        const h = idx.filter((i) => hidden.has(i));
        if (h.length !== 1) continue;
        const cand = idx.filter((i) => !hidden.has(i)).sort((x, y) => (r.cells[x].value as number) - (r.cells[y].value as number));
        if (cand.length) {
          hidden.add(cand[0]);
          changed = true;
        }
      }
    }
  }
  const tag = `<${threshold}` as '<5';
  r.cells = r.cells.map((c, i) => (hidden.has(i) ? { ...c, value: tag } : c));
  for (const t of [r.rowTotals, r.colTotals]) for (const k of Object.keys(t)) if (small(t[k])) t[k] = tag;
  if (small(r.total)) r.total = tag;
  if (r.records !== null && small(r.records)) r.records = tag;
}
