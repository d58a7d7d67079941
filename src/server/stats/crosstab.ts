// Cross-tabulation of a module's records by one or two dimensions (contract §4 "Statistics shape"),
// aggregated in SQL: counts, sums of numeric fields (`sum`, with `_medida` to put several side by side) or
// distinct values (`distinct`). Who sees exact figures and who sees suppressed ones is decided here
// (statsAccess), following ARCHITECTURE §5 and spec §4.3.4.
import type { ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import type { DbScope, Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { badRequest, forbidden } from '../http/errors.js';
import { asList, buildFilters, first, type Query } from '../records/filters.js';
import { dbScope, mustSuppress, recordScope } from '../records/scope.js';
import { col } from '../records/service.js';
import { codeInfo, derivedOf, dimPart, resolveDim, SIN_DATO, type Dim } from './dimensions.js';
import { cellKeys, cellKeySql, MAX_NOISE, perturbResult } from './perturb.js';
import { suppress as suppressTable, suppressionTag, type SmallLines } from './suppression.js';

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
  /** Labels of the codes, and their display order (catalog order; "Sin dato" last). */
  labels?: { rows: Record<string, string>; cols: Record<string, string> };
  order?: { rows: string[]; cols: string[] };
  /** Names of the dimensions, for headers. */
  titles?: { rows: string; cols: string | null };
  /** Whether a dimension is multi-choice (total = mentions). */
  multi?: boolean;
  /** Disclosure control applied to this output, or null when the figures are exact. */
  suppression?: { threshold: number; primary: number; complementary: number; withheld: boolean; perturbed?: boolean } | null;
}

/** Modules whose figures count persons (spec §4.3.4: small-cell rule). */
export const PERSON_MODULES = ['victimas', 'operativos_rescate'];

/** Query keys the engine reads besides f.<campo> filters. */
export const STATS_PARAMS = ['rows', 'cols', 'sum', 'distinct', 'estatus', 'from', 'to', 'q', 'anio', 'alcance', 'publicacion', 'duplicados', 'format'] as const;

export interface StatsAccess {
  /** SQL constraint on alias r with its parameters (numbered from 1). */
  scope: { sql: string; params: unknown[] };
  /** Row-level security scope of the transaction that reads. */
  db: DbScope;
  suppressed: boolean;
  /**
   * Shown person counts carry a small fixed noise (cell-key method, perturb.ts): for ad-hoc protected queries
   * of people who do not see exact figures, so that differences between two answers do not give a hidden
   * count. Fixed publications (periodic publication, annual report) stay exact and suppressed.
   */
  perturbed?: boolean;
  /** The viewer's own record scope (parameters numbered after `offset`), left out of the noise's key. */
  ownScope?: (offset: number) => { sql: string; params: unknown[] };
  /** Only validado records (published outputs). */
  validadoOnly: boolean;
  /** Human description of whose records are counted. */
  reach: string;
}

const truthy = (v: string | undefined) => v === '1' || v === 'true' || v === 'si';

/**
 * Whose records a statistic counts and whether its figures are suppressed (ARCHITECTURE §5):
 * - by default each role counts its own record scope with exact figures (Secretaría Técnica: all;
 *   validador_estatal: its state; enlace: its institution); `consulta` counts everything, suppressed;
 * - `alcance=nacional` lets an enlace or a validador_estatal look beyond its scope, suppressed;
 * - `publicacion=1` (outputs marked for publication) counts every institution's validated records,
 *   suppressed, whoever asks.
 */
export function statsAccess(a: Actor, query: Query): StatsAccess {
  if (a.role === 'auditor') throw forbidden('Su rol no consulta estadísticas.');
  const alcance = first(query.alcance) ?? 'propio';
  if (alcance !== 'propio' && alcance !== 'nacional')
    throw badRequest('«alcance» debe ser «propio» (sus registros, cifras exactas) o «nacional» (todas las instituciones, cifras protegidas).', [
      { field: 'alcance', message: 'Use propio o nacional.' },
    ]);
  const pub = first(query.publicacion);
  if (pub !== undefined && !['0', '1', 'true', 'false', 'si', 'no'].includes(pub))
    throw badRequest('«publicacion» debe ser 1 (salida para publicar) o 0.', [{ field: 'publicacion', message: 'Use 1 o 0.' }]);
  const all = { scope: { sql: 'true', params: [] as unknown[] }, db: { ...dbScope(a, 'stats'), scope: 'agregado' as const } };
  const ownScope = a.role === 'consulta' ? undefined : (offset: number) => recordScope(a, offset, 'stats');
  if (truthy(pub)) return { ...all, suppressed: true, perturbed: !isSecretariaTecnica(a), ownScope, validadoOnly: true, reach: 'todas las instituciones (publicación)' };
  if (isSecretariaTecnica(a)) return { scope: { sql: 'true', params: [] }, db: dbScope(a, 'stats'), suppressed: false, validadoOnly: false, reach: 'todas las instituciones' };
  if (a.role === 'consulta' || alcance === 'nacional') return { ...all, suppressed: true, perturbed: true, ownScope, validadoOnly: false, reach: 'todas las instituciones' };
  const s = recordScope(a, 0, 'stats');
  return {
    scope: s,
    db: dbScope(a, 'stats'),
    suppressed: mustSuppress(a),
    validadoOnly: false,
    reach: a.role === 'validador_estatal' ? `su institución y las instituciones estatales y municipales de su entidad` : 'su institución',
  };
}

/**
 * What a protected (suppressed) person count may be asked for. Suppression protects the cells of one table;
 * a query that narrows to one person (a folio, an exact age or date, a text search) shows that person's
 * attributes as the categories that are not empty, however their counts are written, and a sum of ages
 * is an age. So protected person counts are classified and filtered only by catalog dimensions, one value per
 * filter (a union of two values minus one of them is the other, exactly), and count persons (no sums of a
 * victim's numbers, no distinct values).
 */
export function checkProtectedQuery(m: ModuleDef, query: Query): void {
  const refuse = (field: string, message: string) => {
    throw badRequest(`«${field}»: ${message}`, [{ field, message }]);
  };
  if (first(query.q)?.trim()) refuse('q', 'la búsqueda de texto no se usa en cifras protegidas: podría identificar a una persona. Use los filtros de catálogo.');
  if (m.key === 'victimas' && asList(query.sum).length)
    refuse('sum', 'en cifras protegidas de víctimas solo se cuentan personas; la suma de un dato de la víctima (p. ej. la edad) lo revelaría.');
  if (first(query.distinct)) refuse('distinct', 'en cifras protegidas solo se cuentan personas.');
  if (asList(query.anio).length > 1) refuse('anio', 'en cifras protegidas se consulta un solo año a la vez.');
  // Whole months only: a period of a few days would single out who was registered in it.
  const from = first(query.from);
  if (from && /^\d{4}-\d{2}-\d{2}$/.test(from) && !from.endsWith('-01')) refuse('from', 'en cifras protegidas el periodo empieza el día 1 de un mes.');
  const to = first(query.to);
  if (to && /^\d{4}-\d{2}-\d{2}$/.test(to)) {
    const [y, mo, d] = to.split('-').map(Number);
    if (d !== new Date(Date.UTC(y, mo, 0)).getUTCDate()) refuse('to', 'en cifras protegidas el periodo termina el último día de un mes.');
  }
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith('f.')) continue;
    const [key, op] = k.slice(2).split('.');
    if (op) refuse(k, 'en cifras protegidas no se filtra por rangos de fechas ni de números; use el periodo (anio, from, to).');
    let classifying = true;
    try {
      dimPart(m, key, [], 'rows');
    } catch {
      classifying = false;
    }
    if (!classifying || key === '_medida')
      refuse(k, `en cifras protegidas solo se filtra por campos de catálogo (sexo, entidad, nacionalidad…); «${key}» podría identificar a una persona.`);
    if (asList(v).length > 1) refuse(k, 'en cifras protegidas cada filtro admite un solo valor.');
  }
}

export interface CrosstabOptions {
  /** Extra constraints over alias r declared in code (legal tables, spec §4.1), never from the query. */
  where?: string[];
  /** Forces the disclosure control (public routes). */
  access?: StatsAccess;
}

/** The SQL (and parameters) of a cross-tab, without running it. */
export function buildCrosstab(
  m: ModuleDef,
  query: Query,
  access: StatsAccess,
  opts: CrosstabOptions = {},
): { sql: string; recordsSql: string | null; params: unknown[]; d1: Dim; d2: Dim | null; sums: string[]; distinct?: string; perturb: boolean } {
  if (access.suppressed && PERSON_MODULES.includes(m.key)) checkProtectedQuery(m, query);
  const rowsName = first(query.rows);
  if (!rowsName) throw badRequest('Indique «rows»: la dimensión de las filas.', [{ field: 'rows', message: '«rows» es obligatorio.' }]);
  const colsName = first(query.cols) || null;
  const sums = [...new Set(asList(query.sum))];
  for (const s of sums) {
    const f = m.fields.find((x) => x.key === s);
    if (!f || (f.type !== 'entero' && f.type !== 'decimal')) throw badRequest(`«sum»: «${s}» no es un campo numérico del módulo.`, [{ field: 'sum', message: `«${s}» no es numérico.` }]);
  }
  const distinct = first(query.distinct);
  if (distinct) {
    const f = m.fields.find((x) => x.key === distinct);
    if (!f) throw badRequest(`«distinct»: «${distinct}» no es un campo del módulo.`, [{ field: 'distinct', message: `«${distinct}» no existe.` }]);
    if (f.type === 'catalogo_multiple' || f.type === 'archivo') throw badRequest(`«distinct»: «${distinct}» es de opción múltiple.`, [{ field: 'distinct', message: 'Use un campo de un solo valor.' }]);
    if (sums.length) throw badRequest('Use «sum» o «distinct», no ambos.', [{ field: 'distinct', message: 'No se combina con sum.' }]);
  }
  const usesMedida = (rowsName.split('*').includes('_medida') || (colsName ?? '').split('*').includes('_medida'));
  if (sums.length > 1 && !usesMedida) throw badRequest('Con varios campos en «sum», use la dimensión «_medida».', [{ field: 'sum', message: 'Use rows o cols = _medida.' }]);
  if (usesMedida && !sums.length) throw badRequest('«_medida» necesita «sum».', [{ field: 'sum', message: 'Indique los campos a sumar.' }]);
  const d1 = resolveDim(m, rowsName, sums, 'rows');
  const d2 = colsName ? resolveDim(m, colsName, sums, 'cols') : null;

  const params: unknown[] = [...access.scope.params];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  // Filters on derived dimensions (and the age group, derived from the age) use the derived value.
  const derived = derivedOf(m);
  const rest: Query = {};
  const derivedConds: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    const key = k.startsWith('f.') ? k.slice(2) : null;
    if (key && derived[key]?.expr) {
      const vals = asList(v);
      if (vals.length) derivedConds.push(`(${derived[key].expr}) = any(${p(vals)}::text[])`);
    } else if (k.startsWith('f.') || k === 'estatus' || k === 'from' || k === 'to' || k === 'q') rest[k] = v;
  }
  const conds = [`r.deleted_at is null`, access.validadoOnly ? `r.estatus = 'validado'` : `r.estatus in ('enviado','validado')`, access.scope.sql];
  conds.push(...buildFilters(m, rest, params, { allowEstatus: false }), ...derivedConds);
  const anios = asList(query.anio);
  if (anios.length) {
    const bad = anios.filter((x) => !/^\d{4}$/.test(x));
    if (bad.length) throw badRequest(`«anio»: ${bad.map((b) => `«${b}»`).join(', ')} no es un año de cuatro dígitos.`, [{ field: 'anio', message: 'Use un año como 2024 (o varios separados por comas).' }]);
    // A range on the main date (not extract(year)) so the date index serves it.
    const ys = anios.map(Number).sort((x, y) => x - y);
    const contiguous = ys.every((y, i) => i === 0 || y === ys[i - 1] + 1);
    if (contiguous) conds.push(`r.fecha_principal >= ${p(`${ys[0]}-01-01`)}::date and r.fecha_principal < ${p(`${ys[ys.length - 1] + 1}-01-01`)}::date`);
    else conds.push(`extract(year from r.fecha_principal)::int = any(${p(ys)}::int[])`);
  }
  const dup = first(query.duplicados) ?? 'incluir';
  if (dup !== 'incluir' && dup !== 'excluir')
    throw badRequest('«duplicados» debe ser «incluir» o «excluir» (sin los posibles duplicados confirmados).', [{ field: 'duplicados', message: 'Use incluir o excluir.' }]);
  if (dup === 'excluir') {
    if (m.key !== 'victimas') throw badRequest('«duplicados» solo aplica al módulo de víctimas.', [{ field: 'duplicados', message: 'Solo para víctimas.' }]);
    conds.push(`not exists (select 1 from victima_duplicada vd where vd.record_id = r.id)`);
  }
  conds.push(...(opts.where ?? []));
  const where = conds.join(' and ');

  // Scalar parts are plain expressions; multi-choice parts and _medida are lateral joins.
  const joins: string[] = [];
  let n = 0;
  let medidaAlias: string | undefined;
  const valueOf = (d: Dim): string => {
    const vals = d.parts.map((part) => {
      if (part.measures) {
        const a = `x${n++}`;
        joins.push(`cross join lateral (values ${part.measures.map((k) => `('${k}', r.${col(k)}::numeric)`).join(', ')}) ${a}(v, x)`);
        medidaAlias = a;
        return `${a}.v`;
      }
      if (part.arrayExpr) {
        const a = `u${n++}`;
        joins.push(`cross join lateral unnest(${part.arrayExpr}) ${a}(v)`);
        return `${a}.v`;
      }
      return `(${part.expr})`;
    });
    return vals.length === 1 ? vals[0] : vals.join(` || '|' || `);
  };
  const rowExpr = valueOf(d1);
  const colExpr = d2 ? valueOf(d2) : 'null::text';
  const measure = medidaAlias ? `sum(${medidaAlias}.x)` : sums.length ? `sum(r.${col(sums[0])})` : distinct ? `count(distinct r.${col(distinct)})` : 'count(*)';
  const perturb = !!access.perturbed && PERSON_MODULES.includes(m.key);
  let key = '';
  if (perturb) {
    // The viewer's own records (which it sees exactly) stay out of the key (see perturb.ts).
    const own = access.ownScope?.(params.length);
    if (own) params.push(...own.params);
    key = `, ${cellKeySql(own?.sql)} as ck`;
  }
  const sql = `select ${rowExpr} as row, ${colExpr} as col, ${measure} as value${key} from ${tableName(m.key)} r ${joins.join(' ')} where ${where} group by 1, 2`;
  // With single-choice dimensions and counts, the records are the total; otherwise count them apart.
  const needsRecords = d1.multi || !!d2?.multi || sums.length > 0 || !!distinct;
  const recordsSql = needsRecords ? `select count(*)::int as n${key} from ${tableName(m.key)} r where ${where}` : null;
  return { sql, recordsSql, params, d1, d2, sums, distinct, perturb };
}

export async function crosstab(ctx: Ctx, a: Actor, m: ModuleDef, query: Query, opts: CrosstabOptions = {}): Promise<StatsResult> {
  const access = opts.access ?? statsAccess(a, query);
  return runCrosstab(ctx, m, query, access, opts);
}

/** Runs a cross-tab with a decided access (the public routes have no actor). */
export async function runCrosstab(ctx: Ctx, m: ModuleDef, query: Query, access: StatsAccess, opts: CrosstabOptions = {}): Promise<StatsResult> {
  const b = buildCrosstab(m, query, access, opts);
  const run = async (q: Queryable) => {
    const raw = await q.query<{ row: string; col: string | null; value: number | null; ck?: string | number }>(b.sql, b.params);
    const recRow = b.recordsSql ? (await q.query<{ n: number; ck?: string | number }>(b.recordsSql, b.params))[0] : null;
    return { raw, rec: recRow ? recRow.n : null, recKey: recRow?.ck };
  };
  // Row-level security backs up the institution and state scopes. For the national and aggregated scopes its
  // policy lets every row through, yet PostgreSQL calls the policy function once per row read (not inlined):
  // measured 10× slower on 20,000 victims. Those scopes run as plain reads; their reach is the same.
  const limited = access.db.scope === 'institucional' || access.db.scope === 'estatal';
  const { raw, rec, recKey } = limited ? await ctx.readDb.tx(run, access.db) : await run(ctx.readDb);

  const kept = raw.filter((c) => c.value !== null && Number(c.value) !== 0);
  const cells = kept.map((c) => ({ row: c.row, col: b.d2 ? c.col : null, value: Number(c.value) }));
  const keys = b.perturb ? cellKeys(kept.map((c, i) => ({ ...cells[i], key: Number(c.ck ?? 0) })), recKey === undefined ? null : Number(recKey)) : null;
  const result = assemble(b.d1.name, b.d2?.name ?? null, cells, 0);
  result.records = rec ?? (result.total as number);
  labelAndOrder(ctx, result, b.d1, b.d2);
  result.multi = b.d1.multi || !!b.d2?.multi;

  const notes: string[] = [];
  if (result.multi && b.sums.length)
    notes.push('Con una variable de opción múltiple, lo que suma cada registro se repite en cada opción que eligió: el total de la tabla puede ser mayor que la suma real de los registros.');
  else if (result.multi)
    notes.push('Una variable de opción múltiple cuenta cada registro una vez por cada opción elegida: el total (menciones) puede ser mayor que el número de registros distintos.');
  if (m.key === 'victimas') notes.push('Personas víctimas registradas por las instituciones (no existe un identificador entre instituciones; una persona atendida por dos instituciones cuenta dos veces).');
  if ([b.d1, b.d2].some((d) => d?.parts.some((p) => p.key === 'grupo_edad' || p.key === 'nna_adulta')) && m.key === 'victimas')
    notes.push('El grupo de edad se calcula a partir de la edad cuando está registrada; la edad desconocida es su propia categoría.');
  if (first(query.duplicados) === 'excluir') notes.push('Sin los registros confirmados como duplicados de otra institución (cuenta una vez a cada persona confirmada).');
  if (access.validadoOnly || first(query.estatus) === 'validado') notes.push('Solo registros validados.');
  else notes.push('Registros enviados y validados (sin borradores ni eliminados).');
  if (b.sums.length) notes.push(`Suma de: ${b.sums.join(', ')}.`);
  if (b.distinct) notes.push(`Cuenta valores distintos de «${b.distinct}».`);
  notes.push(`Registros de ${access.reach}.`);
  result.notes = notes;
  result.suppression = null;

  if (access.suppressed && PERSON_MODULES.includes(m.key)) {
    const T = ctx.config.SINTRA_SUPPRESSION_THRESHOLD;
    const exactRows = { ...result.rowTotals } as Record<string, number>;
    const exactCols = { ...result.colTotals } as Record<string, number>;
    const population = typeof result.records === 'number' ? result.records : Number(result.total);
    if (population > 0 && population < T) {
      withhold(result, T, `Tabla no publicada: cuenta menos de ${T} personas, y sus categorías describirían a esas personas.`);
    } else {
      const ref = Object.keys(query).some((k) => k.startsWith('f.')) ? await referenceTotals(ctx, m, query, access, opts, limited) : null;
      const small = smallLines(result.cols !== null, exactRows, exactCols, ref, T);
      applySuppression(ctx, m, result, b.d1, b.d2, small);
      if (!(result.suppression as StatsResult['suppression'])?.withheld && (small.rows.length || small.cols.length)) {
        labelAndOrder(ctx, result, b.d1, b.d2);
        result.notes.push(`Las filas y columnas de menos de ${T} personas muestran «<${T}» en todas sus celdas, aun las vacías («<${T}» incluye el 0), para no describir a un grupo pequeño.`);
      }
    }
  }
  const sup = result.suppression as StatsResult['suppression'];
  if (keys && sup && !sup.withheld) {
    perturbResult(result, keys, ctx.config.SINTRA_SUPPRESSION_THRESHOLD);
    sup.perturbed = true;
    result.notes.push(
      `Cifras con ruido controlado: cada cifra mostrada puede diferir de la real hasta en ${MAX_NOISE} (siempre la misma para las mismas personas), para que restar dos consultas no revele una cifra protegida; por eso filas y columnas pueden no sumar exactamente su total.`,
    );
  }
  return result;
}

/** No categories at all: only the total, itself hidden when small. */
function withhold(result: StatsResult, T: number, note: string): void {
  const tag = suppressionTag(T);
  result.cells = [];
  result.rowTotals = {};
  result.colTotals = {};
  if (result.order) result.order = { rows: [], cols: [] };
  if (typeof result.total === 'number' && result.total < T) result.total = tag;
  if (typeof result.records === 'number' && result.records < T) result.records = tag;
  result.suppression = { threshold: T, primary: 0, complementary: 0, withheld: true };
  result.notes.push(note);
}

/**
 * Protected counts also hide *which* categories a small group has (attribute disclosure): suppression alone
 * shows "<5" only where someone is, so a row of one person (a state with one victim) would still say that
 * person's sex. The rows and columns of fewer than T persons are handed to the suppression, which hides
 * every cell of them, empty ones included ("<5" is true of 0), and protects those as it protects small
 * counts. With filters, rows and columns small in the population without the filters are treated the same
 * and shown in every filtered answer, so that asking with one filter value and then another does not tell,
 * by a row appearing or not, what a small group is.
 */
function smallLines(twoWay: boolean, exactRows: Record<string, number>, exactCols: Record<string, number>, ref: { rows: Map<string, number>; cols: Map<string, number> } | null, T: number): SmallLines {
  const small = (n: number | undefined) => n !== undefined && n > 0 && n < T;
  const rows = new Set(twoWay ? Object.keys(exactRows).filter((k) => small(exactRows[k])) : []);
  const cols = new Set(twoWay ? Object.keys(exactCols).filter((k) => small(exactCols[k])) : []);
  for (const [k, n] of ref?.rows ?? []) if (small(n) && (twoWay || !(k in exactRows))) rows.add(k);
  if (twoWay) for (const [k, n] of ref?.cols ?? []) if (small(n)) cols.add(k);
  return { rows: [...rows], cols: [...cols] };
}

/** Row and column totals of the same table without the f.* filters (period, status and scope kept). */
async function referenceTotals(ctx: Ctx, m: ModuleDef, query: Query, access: StatsAccess, opts: CrosstabOptions, limited: boolean) {
  const bare: Query = Object.fromEntries(Object.entries(query).filter(([k]) => !k.startsWith('f.')));
  const b = buildCrosstab(m, bare, { ...access, perturbed: false }, opts);
  const run = (q: Queryable) => q.query<{ row: string; col: string | null; value: number | null }>(b.sql, b.params);
  const raw = limited ? await ctx.readDb.tx(run, access.db) : await run(ctx.readDb);
  const rows = new Map<string, number>();
  const cols = new Map<string, number>();
  for (const c of raw) {
    const v = Number(c.value ?? 0);
    rows.set(c.row, (rows.get(c.row) ?? 0) + v);
    if (c.col !== null) cols.set(c.col, (cols.get(c.col) ?? 0) + v);
  }
  return { rows, cols };
}

function applySuppression(ctx: Ctx, m: ModuleDef, result: StatsResult, d1: Dim, d2: Dim | null, small?: SmallLines): void {
  const T = ctx.config.SINTRA_SUPPRESSION_THRESHOLD;
  const tag = suppressionTag(T);
  const municipal = m.key === 'victimas' && [d1, d2].some((d) => d?.parts.some((p) => p.municipal));
  if (municipal && result.cells.some((c) => typeof c.value === 'number' && c.value < T)) {
    // Spec §4.3.4: victims' tables at municipio level are published only if every cell is ≥ T.
    withhold(result, T, `Tabla municipal no publicada: tiene celdas menores que ${T} (las tablas de víctimas por municipio solo se publican si todas sus celdas son de ${T} o más).`);
    return;
  }
  const s = suppressTable(result, T, small);
  result.suppression = { threshold: T, ...s, withheld: false };
  result.notes.push(
    `Cifras protegidas: «${tag}» indica una cifra suprimida (de 1 a ${T - 1} personas, o suprimida de forma complementaria para que ninguna cifra pequeña pueda deducirse de los totales).`,
  );
}

/** Adds labels and catalog order of the codes present. */
function labelAndOrder(ctx: Ctx, r: StatsResult, d1: Dim, d2: Dim | null): void {
  const info = (d: Dim, code: string) => {
    const parts = d.parts.length === 1 ? [code] : code.split('|');
    const inf = parts.map((c, i) => codeInfo(ctx.catalogs, d.parts[i] ?? d.parts[0], c));
    return { label: inf.map((x) => x.label).join(' · '), order: inf.map((x) => x.order) };
  };
  const build = (d: Dim | null, codes: string[]) => {
    const labels: Record<string, string> = {};
    const orders = new Map<string, number[]>();
    if (!d) return { labels, order: [] as string[] };
    for (const c of codes) {
      const x = info(d, c);
      labels[c] = x.label;
      orders.set(c, x.order);
    }
    const cmp = (a: string, b: string) => {
      const x = orders.get(a)!;
      const y = orders.get(b)!;
      for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
      return a < b ? -1 : a > b ? 1 : 0;
    };
    return { labels, order: [...codes].sort(cmp) };
  };
  const rows = build(d1, Object.keys(r.rowTotals));
  const cols = build(d2, Object.keys(r.colTotals));
  r.labels = { rows: rows.labels, cols: cols.labels };
  r.titles = { rows: d1.parts.map((p) => p.label).join(' · '), cols: d2 ? d2.parts.map((p) => p.label).join(' · ') : null };
  r.order = { rows: rows.order, cols: cols.order };
  const ri = new Map(rows.order.map((c, i) => [c, i]));
  const ci = new Map(cols.order.map((c, i) => [c, i]));
  r.cells.sort((x, y) => ri.get(x.row)! - ri.get(y.row)! || (ci.get(String(x.col)) ?? 0) - (ci.get(String(y.col)) ?? 0));
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

/** Small-cell rule with complementary suppression (see suppression.ts). */
export function suppress(r: StatsResult, threshold: number): void {
  suppressTable(r, threshold);
}

export { SIN_DATO };
