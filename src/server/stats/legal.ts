// The legal disaggregations of LG art. 88 fr. VIII (spec §4.1, T-01 … T-14), declared once as rows ×
// columns × filters over the generic engine. Base population: module-9 records, not deleted, enviado or
// validado (validado only when published), main date (fecha_identificacion) in the period. Every table is
// produced for condicion = VICTIMA (the "número de víctimas" of the law) and for POSIBLE_VICTIMA;
// OFENDIDO records are reported only in their own summary. Three-way tables use composite columns
// (e.g. `sexo*nna_adulta`).
import { getModule } from '../../modules/index.js';
import type { Actor } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import { badRequest, notFound } from '../http/errors.js';
import { first, type Query } from '../records/filters.js';
import { runCrosstab, statsAccess, type StatsAccess, type StatsResult } from './crosstab.js';

export type Chart = 'bar' | 'map' | 'sankey' | 'pie';

export interface LegalPart {
  key: string;
  title: string;
  rows: string;
  cols?: string;
  /** f.<campo> filters of the spec for this cut. */
  filters?: Record<string, string>;
  /** Conditions the filters cannot express (e.g. "≠ MEX"), declared here, over alias r. */
  where?: string[];
  chart: Chart;
  /** Geographic rows: a choropleth of the states, or a municipal table of one state (drill-down). */
  geo?: 'entidad' | 'municipio';
  /** For municipal parts: the state field that selects the municipalities of one state. */
  stateField?: string;
}

export interface LegalTable {
  id: string;
  title: string;
  /** Spec variable numbers of module 9. */
  fields: string;
  /** OFENDIDO summary: fixed condition. */
  condicion?: 'OFENDIDO';
  parts: LegalPart[];
}

const MEX_ORIGEN = { 'f.pais_origen': 'MEX' };
const MEX_DESTINO = { 'f.pais_destino': 'MEX' };

export const LEGAL_TABLES: readonly LegalTable[] = [
  {
    id: 'T-01',
    title: 'Número de víctimas por sexo y edad',
    fields: '7, 10',
    parts: [{ key: 'a', title: 'Grupo de edad por sexo', rows: 'grupo_edad', cols: 'sexo', chart: 'bar' }],
  },
  {
    id: 'T-02',
    title: 'Víctimas por estado civil',
    fields: '11, 7, 10',
    parts: [
      { key: 'a', title: 'Estado civil por sexo', rows: 'estado_civil', cols: 'sexo', chart: 'bar' },
      { key: 'b', title: 'Estado civil: niñas, niños y adolescentes y personas adultas', rows: 'estado_civil', cols: 'nna_adulta', chart: 'bar' },
    ],
  },
  {
    id: 'T-03',
    title: 'Víctimas por nacionalidad',
    fields: '12, 7, 10',
    parts: [{ key: 'a', title: 'Nacionalidad por sexo y NNA / persona adulta', rows: 'nacionalidad', cols: 'sexo*nna_adulta', chart: 'bar' }],
  },
  {
    id: 'T-04',
    title: 'Víctimas por lugar de origen',
    fields: '13–15, 7',
    parts: [
      { key: 'a', title: 'Origen en México: entidad federativa por sexo', rows: 'entidad_origen', cols: 'sexo', filters: MEX_ORIGEN, chart: 'map', geo: 'entidad' },
      { key: 'b', title: 'Origen en México: municipio por sexo', rows: 'municipio_origen', cols: 'sexo', filters: MEX_ORIGEN, chart: 'bar', geo: 'municipio', stateField: 'entidad_origen' },
      { key: 'c', title: 'Origen en el extranjero: país por sexo', rows: 'pais_origen', cols: 'sexo', where: [`r.pais_origen <> 'MEX'`], chart: 'bar' },
    ],
  },
  {
    id: 'T-05',
    title: 'Víctimas por forma de reclutamiento',
    fields: '23, 24, 7, 10',
    parts: [
      { key: 'a', title: 'Forma de reclutamiento por sexo y NNA / persona adulta', rows: 'formas_reclutamiento', cols: 'sexo*nna_adulta', chart: 'bar' },
      { key: 'b', title: 'Medio de contacto por NNA / persona adulta', rows: 'medios_contacto', cols: 'nna_adulta', chart: 'bar' },
    ],
  },
  {
    id: 'T-06',
    title: 'Víctimas por modalidad de victimización',
    fields: '21, 22, 7, 10',
    parts: [
      { key: 'a', title: 'Modalidad por sexo y grupo de edad', rows: 'modalidades', cols: 'sexo*grupo_edad', chart: 'bar' },
      { key: 'b', title: 'Tipo penal por modalidad', rows: 'tipos_penales', cols: 'modalidades', chart: 'bar' },
    ],
  },
  {
    id: 'T-07',
    title: 'Víctimas por lugar de destino',
    fields: '29–32, 21',
    parts: [
      { key: 'a', title: 'País de destino', rows: 'pais_destino', chart: 'bar' },
      { key: 'b', title: 'Destino en México: entidad federativa por modalidad', rows: 'entidad_destino', cols: 'modalidades', filters: MEX_DESTINO, chart: 'map', geo: 'entidad' },
      { key: 'c', title: 'Destino en México: municipio por modalidad', rows: 'municipio_destino', cols: 'modalidades', filters: MEX_DESTINO, chart: 'bar', geo: 'municipio', stateField: 'entidad_destino' },
      { key: 'd', title: 'Espacio de explotación por modalidad', rows: 'espacios_explotacion', cols: 'modalidades', chart: 'bar' },
    ],
  },
  {
    id: 'T-08',
    title: 'Víctimas por calidad migratoria',
    fields: '19, 12, 7',
    parts: [
      {
        key: 'a',
        title: 'Calidad migratoria por región de la nacionalidad y sexo (personas extranjeras o con destino fuera de México)',
        rows: 'calidad_migratoria',
        cols: 'region_nacionalidad*sexo',
        // "Only records where the field applies" (spec §2.9 var. 19: nacionalidad ≠ MEX or pais_destino ≠ MEX).
        where: [`(r.nacionalidad <> 'MEX' or r.pais_destino <> 'MEX')`],
        chart: 'bar',
      },
    ],
  },
  {
    id: 'T-09',
    title: 'Rutas',
    fields: '27, 28, 29, 30, 33, 34',
    parts: [
      { key: 'a', title: 'Matriz origen–destino (entidad o país de captación → entidad o país de destino)', rows: 'ruta_origen', cols: 'ruta_destino', chart: 'sankey' },
      { key: 'b', title: 'Entidades federativas de tránsito', rows: 'entidades_transito', chart: 'map', geo: 'entidad' },
      { key: 'c', title: 'Países de tránsito', rows: 'paises_transito', chart: 'bar' },
      { key: 'd', title: 'Rutas internas e internacionales', rows: 'tipo_ruta', chart: 'pie' },
    ],
  },
  {
    id: 'T-10',
    title: 'Métodos de transportación',
    fields: '35, 21, 27, 29',
    parts: [
      { key: 'a', title: 'Medio de transporte por tipo de ruta', rows: 'medios_transporte', cols: 'tipo_ruta', chart: 'bar' },
      { key: 'b', title: 'Medio de transporte por tipo de ruta y modalidad', rows: 'medios_transporte', cols: 'tipo_ruta*modalidades', chart: 'bar' },
    ],
  },
  {
    id: 'T-11',
    title: 'Tránsito fronterizo internacional',
    fields: '36–38, 12, 7, 10',
    parts: [
      { key: 'a', title: 'Sentido del tránsito por punto de cruce', rows: 'tipo_transito_fronterizo', cols: 'punto_cruce', filters: { 'f.cruce_fronterizo': 'SI' }, chart: 'bar' },
      { key: 'b', title: 'Punto de cruce por región de la nacionalidad', rows: 'punto_cruce', cols: 'region_nacionalidad', filters: { 'f.cruce_fronterizo': 'SI' }, chart: 'bar' },
      { key: 'c', title: 'Región de la nacionalidad por sexo y NNA / persona adulta', rows: 'region_nacionalidad', cols: 'sexo*nna_adulta', filters: { 'f.cruce_fronterizo': 'SI' }, chart: 'bar' },
    ],
  },
  {
    id: 'T-12',
    title: 'Medios comisivos y vínculo',
    fields: '25, 26, 21, 7',
    parts: [
      { key: 'a', title: 'Medio comisivo por modalidad', rows: 'medios_comisivos', cols: 'modalidades', chart: 'bar' },
      { key: 'b', title: 'Vínculo con la persona tratante por sexo', rows: 'vinculo_tratante', cols: 'sexo', chart: 'bar' },
    ],
  },
  {
    id: 'T-13',
    title: 'Atenciones provistas',
    fields: '39–44',
    parts: [
      { key: 'a', title: 'Servicio proporcionado por sexo y NNA / persona adulta', rows: 'servicios', cols: 'sexo*nna_adulta', chart: 'bar' },
      { key: 'b', title: 'Medidas de protección aplicadas', rows: 'medidas_proteccion', chart: 'bar' },
      { key: 'c', title: 'Instituciones a las que se canalizó', rows: 'canalizada_a', chart: 'bar' },
      { key: 'd', title: 'Estatus de la atención', rows: 'estatus_atencion', chart: 'pie' },
      { key: 'e', title: 'Retorno o repatriación', rows: 'retorno_repatriacion', chart: 'bar' },
      { key: 'f', title: 'Estado de la reparación integral del daño', rows: 'reparacion_integral', chart: 'bar' },
    ],
  },
  {
    id: 'T-14',
    title: 'Vulnerabilidad',
    fields: '16–18, 20',
    parts: [
      { key: 'a', title: 'Autoadscripción étnica por sexo', rows: 'autoadscripcion', cols: 'sexo', chart: 'bar' },
      { key: 'b', title: 'Discapacidad por sexo', rows: 'discapacidad', cols: 'sexo', chart: 'bar' },
      { key: 'c', title: 'Escolaridad por sexo', rows: 'escolaridad', cols: 'sexo', chart: 'bar' },
      { key: 'd', title: 'Acompañamiento de niñas, niños y adolescentes por sexo', rows: 'acompanamiento_nna', cols: 'sexo', chart: 'bar' },
    ],
  },
  {
    id: 'ENTIDADES',
    title: 'Víctimas por entidad federativa donde se registró la atención',
    fields: 'metadatos',
    parts: [{ key: 'a', title: 'Entidad federativa (metadatos del registro) por sexo', rows: 'entidad_federativa', cols: 'sexo', chart: 'map', geo: 'entidad' }],
  },
  {
    id: 'OFENDIDOS',
    title: 'Personas ofendidas (resumen; no se cuentan como víctimas directas)',
    fields: '2, 7, 10',
    condicion: 'OFENDIDO',
    parts: [{ key: 'a', title: 'Personas ofendidas por sexo y NNA / persona adulta', rows: 'sexo', cols: 'nna_adulta', chart: 'bar' }],
  },
];

export const CONDICIONES = [
  { code: 'VICTIMA', label: 'Víctimas' },
  { code: 'POSIBLE_VICTIMA', label: 'Posibles víctimas' },
] as const;
export type Condicion = 'VICTIMA' | 'POSIBLE_VICTIMA';

export interface LegalPartResult extends StatsResult {
  key: string;
  title: string;
  chart: Chart;
  geo?: 'entidad' | 'municipio';
  stateField?: string;
}

export interface LegalResult {
  id: string;
  title: string;
  fields: string;
  condicion: string;
  condicionLabel: string;
  parts: LegalPartResult[];
}

export function legalTable(id: string): LegalTable {
  const t = LEGAL_TABLES.find((x) => x.id === id.toUpperCase());
  if (!t) throw notFound(`La tabla «${id}» no existe; use T-01 a T-14, ENTIDADES u OFENDIDOS.`);
  return t;
}

/** condicion of the query: VICTIMA (default) or POSIBLE_VICTIMA; `ambas` where allowed. */
export function condicionesOf(query: Query, allowBoth: boolean): Condicion[] {
  const c = first(query.condicion) ?? (allowBoth ? 'ambas' : 'VICTIMA');
  if (c === 'ambas' && allowBoth) return ['VICTIMA', 'POSIBLE_VICTIMA'];
  if (c === 'VICTIMA' || c === 'POSIBLE_VICTIMA') return [c];
  throw badRequest(`«condicion» debe ser VICTIMA o POSIBLE_VICTIMA${allowBoth ? ' (o ambas)' : ''}; las personas ofendidas tienen su propio resumen (OFENDIDOS).`, [
    { field: 'condicion', message: `Use VICTIMA o POSIBLE_VICTIMA${allowBoth ? ' o ambas' : ''}.` },
  ]);
}

const VICTIMAS = () => getModule('victimas')!;

/** Computes one legal table for one condition with a decided access. */
export async function computeLegal(ctx: Ctx, t: LegalTable, condicion: Condicion, query: Query, access: StatsAccess): Promise<LegalResult> {
  const m = VICTIMAS();
  const cond = t.condicion ?? condicion;
  // The user's own f.condicion never overrides the table's population.
  const { 'f.condicion': _c, condicion: _cc, rows: _r, cols: _k, sum: _s, distinct: _d, format: _f, ...userQuery } = query;
  void _c, _cc, _r, _k, _s, _d, _f;
  const parts = await Promise.all(
    t.parts.map(async (p) => {
      const q: Query = { ...userQuery, ...(p.filters ?? {}), 'f.condicion': cond, rows: p.rows, ...(p.cols ? { cols: p.cols } : {}) };
      const r = await runCrosstab(ctx, m, q, access, { where: p.where });
      const out: LegalPartResult = { key: p.key, title: p.title, chart: p.chart, ...(p.geo ? { geo: p.geo } : {}), ...(p.stateField ? { stateField: p.stateField } : {}), ...r };
      return out;
    }),
  );
  const label = cond === 'OFENDIDO' ? 'Personas ofendidas' : CONDICIONES.find((c) => c.code === cond)!.label;
  return { id: t.id, title: t.title, fields: t.fields, condicion: cond, condicionLabel: label, parts };
}

export async function legalFor(ctx: Ctx, a: Actor, id: string, query: Query): Promise<LegalResult> {
  const t = legalTable(id);
  const [c] = condicionesOf(query, false);
  return computeLegal(ctx, t, c, query, statsAccess(a, query));
}

/** Every legal table for the given conditions (the OFENDIDO summary once, with the first). */
export async function allLegal(ctx: Ctx, query: Query, access: StatsAccess, condiciones: Condicion[]): Promise<LegalResult[]> {
  const jobs: { t: LegalTable; c: Condicion }[] = [];
  for (const c of condiciones) for (const t of LEGAL_TABLES) if (!t.condicion || c === condiciones[0]) jobs.push({ t, c });
  // A few tables at a time: PostgreSQL runs them on several connections (PGlite queues them anyway).
  const out: LegalResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await computeLegal(ctx, jobs[i].t, jobs[i].c, query, access);
    }
  };
  await Promise.all(Array.from({ length: ctx.readDb.kind === 'postgresql' ? 3 : 1 }, worker));
  return out;
}
