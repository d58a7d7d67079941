// GET /api/v1/incidencia: SESNSP's official incidence of trata (victims, fuero común) cross-tabulated
// by one or two dimensions, in the statistics shape of the contract (§4) with `records: null`.
// Public official data: any signed-in role may see it, and figures are not suppressed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { badRequest } from '../http/errors.js';
import { SESNSP_FUENTE } from './sesnsp.js';

export const INCIDENCIA_DIMENSIONS = ['entidad', 'sexo', 'grupo_edad', 'anio', 'mes'] as const;
type Dimension = (typeof INCIDENCIA_DIMENSIONS)[number];

export const SEXO_CODES = ['MUJER', 'HOMBRE', 'NO_IDENTIFICADO'] as const;
export const GRUPO_EDAD_CODES = ['MENOR', 'ADULTO', 'NO_ESPECIFICADO', 'NO_IDENTIFICADO'] as const;

/** SQL producing each dimension's code as text (codes keep leading zeros). */
const DIM_SQL: Record<Dimension, string> = {
  entidad: 'entidad',
  sexo: 'sexo',
  grupo_edad: 'grupo_edad',
  anio: 'anio::text',
  mes: `lpad(mes::text, 2, '0')`,
};

/** Display order of each dimension's codes (others sort as text). */
const ORDER: Partial<Record<Dimension, readonly string[]>> = { sexo: SEXO_CODES, grupo_edad: GRUPO_EDAD_CODES };

const MESES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];

const param = z.union([z.string(), z.array(z.string())]).optional();
const querystring = z
  .object({
    rows: param.describe(`Dimensión de las filas (${INCIDENCIA_DIMENSIONS.join(', ')}); por omisión entidad`),
    cols: param.describe('Dimensión de las columnas (opcional)'),
    anio: param.describe('Año o años separados por comas, p. ej. 2023,2024'),
    entidad: param.describe('Clave(s) INEGI de entidad de dos dígitos, p. ej. 09'),
    sexo: param.describe(SEXO_CODES.join(', ')),
    grupo_edad: param.describe(GRUPO_EDAD_CODES.join(', ')),
    mes: param.describe('Mes o meses 01 a 12'),
  })
  .catchall(param);

const num = z.number();
const statsResponse = z.object({
  rows: z.string(),
  cols: z.string().nullable(),
  cells: z.array(z.object({ row: z.string(), col: z.string().nullable(), value: num })),
  rowTotals: z.record(z.string(), num),
  colTotals: z.record(z.string(), num),
  total: num,
  records: z.null(),
  notes: z.array(z.string()),
  source: z
    .object({ fuente: z.string(), archivo: z.string(), sha256: z.string(), filas: num, cargado_at: z.string() })
    .nullable(),
});
export type IncidenciaResult = z.infer<typeof statsResponse>;

type Query = Record<string, string | string[] | undefined>;

const KNOWN = new Set(['rows', 'cols', 'anio', 'entidad', 'sexo', 'grupo_edad', 'mes']);

function single(q: Query, key: string): string | undefined {
  const v = q[key];
  if (Array.isArray(v)) {
    const vals = v.map((x) => x.trim()).filter(Boolean);
    if (vals.length > 1) throw badRequest(`«${key}» admite un solo valor.`, [{ field: key, message: 'Indique un solo valor.' }]);
    return vals[0];
  }
  return v?.trim() || undefined;
}

/** Values of a filter: repeated parameter and/or comma-separated. */
function list(q: Query, key: string): string[] {
  const v = q[key];
  const raw = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return [...new Set(raw.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean))];
}

function dimension(q: Query, key: 'rows' | 'cols'): Dimension | null {
  const v = single(q, key);
  if (v === undefined) return key === 'rows' ? 'entidad' : null;
  if (!(INCIDENCIA_DIMENSIONS as readonly string[]).includes(v))
    throw badRequest(`«${key}»: la dimensión «${v}» no existe; use ${INCIDENCIA_DIMENSIONS.join(', ')}.`, [
      { field: key, message: `Dimensión desconocida «${v}».` },
    ]);
  return v as Dimension;
}

function invalid(key: string, bad: string[], expected: string): never {
  throw badRequest(`«${key}»: ${bad.length === 1 ? 'valor inválido' : 'valores inválidos'} ${bad.map((b) => `«${b}»`).join(', ')}; ${expected}.`, [
    { field: key, message: expected },
  ]);
}

interface Filters {
  anio: number[];
  entidad: string[];
  sexo: string[];
  grupo_edad: string[];
  mes: number[];
}

function filters(q: Query): Filters {
  const anio = list(q, 'anio');
  const badAnio = anio.filter((a) => !/^\d{4}$/.test(a));
  if (badAnio.length) invalid('anio', badAnio, 'se esperaba un año de cuatro dígitos (p. ej. 2024) o varios separados por comas');

  const entidad = list(q, 'entidad');
  const badEnt = entidad.filter((e) => !/^\d{2}$/.test(e) || Number(e) < 1 || Number(e) > 32);
  if (badEnt.length) invalid('entidad', badEnt, 'se esperaba la clave INEGI de dos dígitos de una entidad federativa, de 01 a 32');

  const sexo = list(q, 'sexo').map((s) => s.toUpperCase());
  const badSexo = sexo.filter((s) => !(SEXO_CODES as readonly string[]).includes(s));
  if (badSexo.length) invalid('sexo', badSexo, `se esperaba ${SEXO_CODES.join(', ')}`);

  const grupo = list(q, 'grupo_edad').map((s) => s.toUpperCase());
  const badGrupo = grupo.filter((s) => !(GRUPO_EDAD_CODES as readonly string[]).includes(s));
  if (badGrupo.length) invalid('grupo_edad', badGrupo, `se esperaba ${GRUPO_EDAD_CODES.join(', ')}`);

  const mes = list(q, 'mes');
  const badMes = mes.filter((m) => !/^\d{1,2}$/.test(m) || Number(m) < 1 || Number(m) > 12);
  if (badMes.length) invalid('mes', badMes, 'se esperaba un mes de 01 a 12');

  return { anio: anio.map(Number), entidad, sexo, grupo_edad: grupo, mes: mes.map(Number) };
}

function compareCodes(d: Dimension | null) {
  const order = d ? ORDER[d] : undefined;
  return (a: string, b: string) => {
    if (order) {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      if (ia !== ib) return (ia < 0 ? order.length : ia) - (ib < 0 ? order.length : ib);
    }
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

export async function incidencia(ctx: Ctx, q: Query): Promise<IncidenciaResult> {
  const unknown = Object.keys(q).filter((k) => !KNOWN.has(k));
  if (unknown.length)
    throw badRequest(`Parámetro desconocido ${unknown.map((k) => `«${k}»`).join(', ')}; use ${[...KNOWN].join(', ')}.`, unknown.map((k) => ({ field: k, message: 'Parámetro desconocido.' })));
  const rows = dimension(q, 'rows')!;
  const cols = dimension(q, 'cols');
  if (cols === rows) throw badRequest(`«cols» no puede repetir la dimensión de «rows» («${rows}»).`, [{ field: 'cols', message: 'Use otra dimensión.' }]);
  const f = filters(q);

  const params: unknown[] = [];
  const conds: string[] = [];
  const add = (column: string, values: unknown[], type: 'int' | 'text') => {
    if (!values.length) return;
    params.push(values);
    conds.push(`${column} = any($${params.length}::${type}[])`);
  };
  add('anio', f.anio, 'int');
  add('entidad', f.entidad, 'text');
  add('sexo', f.sexo, 'text');
  add('grupo_edad', f.grupo_edad, 'text');
  add('mes', f.mes, 'int');
  const where = conds.length ? `where ${conds.join(' and ')}` : '';

  const db = ctx.readDb;
  const raw = await db.query<{ r: string; c: string | null; v: number }>(
    `select ${DIM_SQL[rows]} as r, ${cols ? DIM_SQL[cols] : 'null::text'} as c, coalesce(sum(victimas), 0)::int as v
       from incidencia_victimas ${where} group by 1, 2`,
    params,
  );
  const src = (
    await db.query<{ fuente: string; archivo: string; sha256: string; filas: number; cargado_at: Date | string }>(
      'select fuente, archivo, sha256, filas, cargado_at from fuente_carga where fuente = $1',
      [SESNSP_FUENTE],
    )
  )[0];
  const span = (
    await db.query<{ first: number | null; last: number | null }>('select min(anio * 100 + mes) as first, max(anio * 100 + mes) as last from incidencia_victimas')
  )[0];

  // Totals include codes whose victims add up to zero (a reported zero is data); cells with zero are left out.
  const rowTotals: Record<string, number> = {};
  const colTotals: Record<string, number> = {};
  let total = 0;
  const byRow = compareCodes(rows);
  const byCol = compareCodes(cols);
  const sorted = [...raw].sort((a, b) => byRow(a.r, b.r) || (cols ? byCol(a.c ?? '', b.c ?? '') : 0));
  for (const k of [...new Set(sorted.map((x) => x.r))]) rowTotals[k] = 0;
  if (cols) for (const k of [...new Set(sorted.map((x) => x.c ?? ''))].sort(byCol)) colTotals[k] = 0;
  for (const x of sorted) {
    const v = Number(x.v);
    rowTotals[x.r] += v;
    if (cols) colTotals[x.c ?? ''] += v;
    total += v;
  }
  const cells = sorted.filter((x) => Number(x.v) !== 0).map((x) => ({ row: x.r, col: cols ? x.c : null, value: Number(x.v) }));

  const notes: string[] = [];
  if (!src || span.first === null || span.last === null) {
    notes.push('No se han cargado los datos del SESNSP (fuente «sesnsp_victimas»).');
  } else {
    const first = { anio: Math.floor(span.first / 100), mes: span.first % 100 };
    const last = { anio: Math.floor(span.last / 100), mes: span.last % 100 };
    notes.push(
      'Víctimas de trata de personas del fuero común (carpetas de investigación de las fiscalías y procuradurías de las entidades) ' +
        'publicadas por el Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública (SESNSP); no incluye las investigaciones federales de la FGR.',
    );
    notes.push('Cuenta víctimas, no delitos: una carpeta de investigación puede tener varias víctimas.');
    if (!f.anio.length && rows !== 'anio' && cols !== 'anio')
      notes.push(`Sin filtro de año: las cifras suman todo el periodo disponible, de ${MESES[first.mes - 1]} de ${first.anio} a ${MESES[last.mes - 1]} de ${last.anio}.`);
    if (last.mes < 12 && (!f.anio.length || f.anio.includes(last.anio)))
      notes.push(
        `${last.anio} sólo cubre de enero a ${MESES[last.mes - 1]} (corte del archivo del SESNSP): no lo compare con años completos.`,
      );
    if ((rows === 'mes' || cols === 'mes') && rows !== 'anio' && cols !== 'anio' && f.anio.length !== 1) notes.push('Cada mes suma los años seleccionados.');
    if ([rows, cols].some((d) => d === 'sexo' || d === 'grupo_edad') || f.sexo.length || f.grupo_edad.length)
      notes.push(
        'Grupo de edad: MENOR = 0 a 17 años; ADULTO = 18 y más; NO_ESPECIFICADO = edad no especificada (sexo conocido); ' +
          'NO_IDENTIFICADO = víctimas cuyo sexo y edad no se identificaron.',
      );
  }

  return {
    rows,
    cols,
    cells,
    rowTotals,
    colTotals,
    total,
    records: null,
    notes,
    source: src
      ? {
          fuente: src.fuente,
          archivo: src.archivo,
          sha256: src.sha256,
          filas: Number(src.filas),
          cargado_at: src.cargado_at instanceof Date ? src.cargado_at.toISOString() : new Date(src.cargado_at).toISOString(),
        }
      : null,
  };
}

export async function incidenciaYears(ctx: Ctx): Promise<string[]> {
  const r = await ctx.readDb.query<{ anio: number }>('select distinct anio from incidencia_victimas order by anio');
  return r.map((x) => String(x.anio));
}

export async function incidenciaRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['incidencia'];
  r.get(
    '/api/v1/incidencia',
    {
      schema: {
        tags,
        summary: 'Incidencia oficial de trata (víctimas, SESNSP, fuero común) por entidad, sexo, grupo de edad, año y mes',
        querystring,
        response: { 200: statsResponse },
      },
    },
    async (req) => incidencia(ctx, req.query as Query),
  );
  r.get(
    '/api/v1/incidencia/years',
    { schema: { tags, summary: 'Años con datos del SESNSP', response: { 200: z.object({ items: z.array(z.string()) }) } } },
    async () => ({ items: await incidenciaYears(ctx) }),
  );
}
