// Computes the declared indicators live in SQL from validated records, for any period and state.
import { isValidDate, todayMx } from '../../modules/validate.js';
import type { Queryable } from '../db/client.js';
import { badRequest } from '../http/errors.js';
import { cellKeySql, perturbed } from '../stats/perturb.js';
import { INDICATORS, VALIDADO_SQL, type IndicatorDef, type IndicatorPart } from './definitions.js';

export interface Periodo {
  desde: string;
  /** Last day of the period and cut-off date of the figures (never after today). */
  hasta: string;
  entidad: string | null;
}

export interface IndicatorResult {
  numerador: number;
  denominador: number;
  /** Percentage with two decimals; null when the denominator is 0. */
  valor: number | null;
}

/** The SQL of one part with the placeholders bound to $1 (desde), $2 (hasta), $3 (entidad). */
export function partSql(def: IndicatorDef, part: IndicatorPart): string | null {
  if (part.constante !== undefined) return null;
  const conds: string[] = [];
  if (!part.sinComunes) {
    if (def.modulo) conds.push(VALIDADO_SQL);
    conds.push(...def.comunes);
  }
  conds.push(...(part.filtros ?? []));
  if (def.entidad) conds.push(`(:entidad is null or ${def.entidad} = :entidad)`);
  const sql = `select ${part.medida ?? 'count(*)'} from ${part.from} where ${conds.join('\n and ')}`;
  return sql.replace(/:desde/g, '$1::date').replace(/:hasta/g, '$2::date').replace(/:entidad/g, '$3::text');
}

/**
 * `perturbThreshold`: for victims' indicators seen by someone without exact figures, each count of T or more
 * carries the cell-key noise of the statistics (stats/perturb.ts), so that subtracting two periods does not
 * give a hidden count; counts under T stay exact here and are hidden by the caller.
 */
export async function computeIndicator(q: Queryable, def: IndicatorDef, p: Periodo, perturbThreshold: number | null = null): Promise<IndicatorResult> {
  const num = partSql(def, def.numerador);
  const den = partSql(def, def.denominador);
  const perturb = perturbThreshold !== null && def.modulo === 'victimas';
  const constant = (part: IndicatorPart) => (p.entidad && def.entidad ? 1 : (part.constante as number));
  // Every parameter is typed once even when a formula does not use it.
  const rows = await q.query<{ num: number | string; den: number | string }>(
    `select ${num ? `(${num})` : constant(def.numerador)} as num, ${den ? `(${den})` : constant(def.denominador)} as den
       from (select $1::date, $2::date, $3::text) as params`,
    [p.desde, p.hasta, p.entidad],
  );
  let numerador = Number(rows[0].num);
  let denominador = Number(rows[0].den);
  if (perturb) {
    const keyOf = (sql: string | null) => (sql && / from m_victimas r /.test(sql) && /^select count\(\*\) /.test(sql) ? sql.replace(/^select count\(\*\) /, `select ${cellKeySql()} `) : null);
    const kn = keyOf(num);
    const kd = keyOf(den);
    const keys = await q.query<{ kn: string | number | null; kd: string | number | null }>(
      `select ${kn ? `(${kn})` : 'null'} as kn, ${kd ? `(${kd})` : 'null'} as kd from (select $1::date, $2::date, $3::text) as params`,
      [p.desde, p.hasta, p.entidad],
    );
    const T = perturbThreshold!;
    if (kn && numerador >= T) numerador = perturbed(numerador, Number(keys[0].kn ?? 0), T);
    if (kd && denominador >= T) denominador = perturbed(denominador, Number(keys[0].kd ?? 0), T);
  }
  return { numerador, denominador, valor: denominador > 0 ? Math.round((numerador / denominador) * 10000) / 100 : null };
}

/** Period of a year (or one of its quarters); the cut-off never goes past today. */
export function periodOf(anio: number, trimestre?: number | null, today = todayMx()): { desde: string; hasta: string } {
  const desde = trimestre ? `${anio}-${String((trimestre - 1) * 3 + 1).padStart(2, '0')}-01` : `${anio}-01-01`;
  const end = trimestre ? `${anio}-${['03-31', '06-30', '09-30', '12-31'][trimestre - 1]}` : `${anio}-12-31`;
  return { desde, hasta: end < today ? end : today };
}

type Q = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[v.length - 1] : v);

/** Parses anio/trimestre or desde/hasta and entidad from a query string, with field-named Spanish errors. */
export function parsePeriodo(query: Q, today = todayMx()): Periodo & { anio: number | null; trimestre: number | null } {
  const entidadRaw = one(query.entidad);
  const entidad = entidadRaw ? entidadRaw : null;
  if (entidad !== null && !/^(0[1-9]|[12][0-9]|3[0-2])$/.test(entidad))
    throw badRequest('«entidad» debe ser una clave INEGI de entidad federativa (01 a 32).', [{ field: 'entidad', message: 'Clave de entidad inválida (01 a 32).' }]);
  const desdeRaw = one(query.desde);
  const hastaRaw = one(query.hasta);
  if (desdeRaw || hastaRaw) {
    for (const [k, v] of [['desde', desdeRaw], ['hasta', hastaRaw]] as const)
      if (!v || !isValidDate(v)) throw badRequest(`«${k}» debe ser una fecha AAAA-MM-DD.`, [{ field: k, message: 'Fecha inválida (AAAA-MM-DD).' }]);
    if (desdeRaw! > hastaRaw!) throw badRequest('«desde» no puede ser posterior a «hasta».', [{ field: 'desde', message: 'Debe ser anterior o igual a «hasta».' }]);
    return { desde: desdeRaw!, hasta: hastaRaw! < today ? hastaRaw! : today, entidad, anio: null, trimestre: null };
  }
  const anioRaw = one(query.anio) ?? today.slice(0, 4);
  const anio = Number(anioRaw);
  const maxYear = Number(today.slice(0, 4));
  if (!/^\d{4}$/.test(anioRaw) || anio < 2012 || anio > maxYear)
    throw badRequest(`«anio» debe ser un año entre 2012 y ${maxYear}.`, [{ field: 'anio', message: `Año entre 2012 y ${maxYear}.` }]);
  const tRaw = one(query.trimestre);
  let trimestre: number | null = null;
  if (tRaw) {
    trimestre = Number(tRaw);
    if (![1, 2, 3, 4].includes(trimestre)) throw badRequest('«trimestre» debe ser 1, 2, 3 o 4.', [{ field: 'trimestre', message: 'Use 1, 2, 3 o 4.' }]);
  }
  const p = periodOf(anio, trimestre, today);
  if (p.desde > today) throw badRequest('El periodo pedido aún no comienza.', [{ field: trimestre ? 'trimestre' : 'anio', message: 'Periodo futuro.' }]);
  return { ...p, entidad, anio, trimestre };
}

export interface MetaRow {
  indicador_sintra: string;
  linea_base_valor: number | null;
  linea_base_anio: number | null;
  meta_valor: number | null;
  meta_anio: number | null;
  objetivo_numero: number;
  programa_clave: string;
}

/** Baselines and goals the programme in force on a date sets for SINTRA's indicators (pn_meta). */
export async function metasFor(q: Queryable, fecha: string): Promise<Map<string, MetaRow>> {
  const rows = await q.query<MetaRow>(
    `select m.indicador_sintra, m.linea_base_valor, m.linea_base_anio, m.meta_valor, m.meta_anio, o.numero as objetivo_numero, p.clave as programa_clave
       from pn_meta m join pn_objetivo o on o.id = m.objetivo_id join pn_programa p on p.id = o.programa_id
      where m.indicador_sintra is not null
        and p.periodo_inicio = (select max(periodo_inicio) from pn_programa where periodo_inicio <= $1::date)
      order by o.numero`,
    [fecha],
  );
  const out = new Map<string, MetaRow>();
  for (const r of rows) if (!out.has(r.indicador_sintra)) out.set(r.indicador_sintra, r);
  return out;
}

export interface IndicatorOut {
  id: string;
  nombre: string;
  objetivos: number[];
  periodicidad: string;
  desagregacion: string;
  periodo_regla: string;
  numerador: { texto: string; valor: number | '<5' };
  denominador: { texto: string; valor: number | '<5' };
  valor: number | null;
  unidad: '%';
  linea_base: { anio: number | null; valor: number | null; calculada: boolean };
  meta: { anio: number | null; valor: number | null };
  tendencia: { anio: number; valor: number | null; numerador: number | '<5'; denominador: number | '<5' }[];
  nota: string | null;
  consulta: { numerador: string | null; denominador: string | null; parametros: { desde: string; hasta: string; entidad: string | null } };
}

const small = (n: number, t: number) => n > 0 && n < t;

/**
 * Every indicator (or those of one objective) for a period, with baseline, goal and a yearly trend.
 * `suppressPersons`: small-cell rule on person counts of module 9 (spec §4.3.4) for outputs seen
 * outside the Secretaría Técnica.
 */
export async function computeAll(
  q: Queryable,
  p: Periodo,
  /** perturb: the cell-key noise on victims' counts (answers to people without exact figures; not the report). */
  opts: { objetivo?: number | null; tendenciaAnios?: number; suppressThreshold?: number | null; perturb?: boolean; today?: string } = {},
): Promise<IndicatorOut[]> {
  const today = opts.today ?? todayMx();
  const defs = INDICATORS.filter((d) => !opts.objetivo || d.objetivos.includes(opts.objetivo));
  const metas = await metasFor(q, p.hasta);
  const endYear = Number(p.hasta.slice(0, 4));
  const years: number[] = [];
  for (let y = Math.max(2012, endYear - (opts.tendenciaAnios ?? 5) + 1); y <= endYear; y++) years.push(y);
  const out: IndicatorOut[] = [];
  for (const def of defs) {
    const pt = opts.perturb ? (opts.suppressThreshold ?? null) : null;
    const r = await computeIndicator(q, def, p, pt);
    const meta = metas.get(def.id);
    let base: IndicatorOut['linea_base'] = { anio: meta?.linea_base_anio ?? null, valor: meta?.linea_base_valor ?? null, calculada: false };
    if (base.anio && base.valor === null && base.anio <= Number(today.slice(0, 4))) {
      const bp = periodOf(base.anio, null, today);
      base = { anio: base.anio, valor: (await computeIndicator(q, def, { ...bp, entidad: p.entidad }, pt)).valor, calculada: true };
    }
    const tendencia: IndicatorOut['tendencia'] = [];
    for (const y of years) {
      const yp = periodOf(y, null, today);
      const t = y === endYear && yp.desde === p.desde && yp.hasta === p.hasta ? r : await computeIndicator(q, def, { ...yp, entidad: p.entidad }, pt);
      tendencia.push({ anio: y, valor: t.valor, numerador: t.numerador, denominador: t.denominador });
    }
    const item: IndicatorOut = {
      id: def.id,
      nombre: def.nombre,
      objetivos: def.objetivos,
      periodicidad: def.periodicidad,
      desagregacion: def.desagregacion,
      periodo_regla: def.periodo,
      numerador: { texto: def.numerador.texto, valor: r.numerador },
      denominador: { texto: def.denominador.texto, valor: r.denominador },
      valor: r.valor,
      unidad: '%',
      linea_base: base,
      meta: { anio: meta?.meta_anio ?? null, valor: meta?.meta_valor ?? null },
      tendencia,
      nota: def.nota ?? (p.entidad && !def.entidad ? 'Este indicador no tiene corte por entidad federativa: se muestra el valor nacional.' : null),
      consulta: { numerador: partSql(def, def.numerador), denominador: partSql(def, def.denominador), parametros: { desde: p.desde, hasta: p.hasta, entidad: p.entidad } },
    };
    const t = opts.suppressThreshold;
    if (t && def.modulo === 'victimas') {
      const hide = (x: { valor: number | null; numerador: number | '<5'; denominador: number | '<5' }) => {
        if (small(Number(x.numerador), t) || small(Number(x.denominador), t)) {
          x.valor = null;
          if (small(Number(x.numerador), t)) x.numerador = `<${t}` as '<5';
          if (small(Number(x.denominador), t)) x.denominador = `<${t}` as '<5';
        }
      };
      const main = { valor: item.valor, numerador: item.numerador.valor, denominador: item.denominador.valor };
      hide(main);
      item.valor = main.valor;
      item.numerador.valor = main.numerador;
      item.denominador.valor = main.denominador;
      item.tendencia.forEach(hide);
    }
    out.push(item);
  }
  return out;
}
