// What the annual report says, computed over a snapshot: one model rendered to DOCX and to PDF, so both carry
// the same figures. Every table, chart and indicator is a numbered figure with its source (snapshot, filters,
// query) for the annex.
import crypto from 'node:crypto';
import { getModule, MODULES } from '../../modules/index.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import type { ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import { commitmentSummary } from '../compliance/commitments.js';
import { compliance } from '../compliance/compliance.js';
import type { Ctx } from '../context.js';
import { computeAll, type IndicatorOut } from '../indicators/compute.js';
import { INDICATORS } from '../indicators/definitions.js';
import { ProgramaService } from '../programa/service.js';
import type { Query } from '../records/filters.js';
import { crosstab, statsAccess, type StatsResult } from '../stats/crosstab.js';
import { CONDICIONES, computeLegal, LEGAL_TABLES } from '../stats/legal.js';
import { barChart, lineChart } from './charts.js';
import type { SnapshotRow } from './snapshot.js';

export interface Figure {
  /** "Cuadro 3", "Gráfica 2", "Indicador IND-05". */
  id: string;
  titulo: string;
  filtros: string;
  consulta: string;
}

export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; small?: boolean }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; figure: Figure; head: string[]; rows: (string | number)[][]; notes: string[]; widths?: number[]; continuation?: boolean }
  | { kind: 'chart'; figure: Figure; png: Buffer; width: number; height: number }
  | { kind: 'pagebreak' };

export interface TableSpec {
  titulo: string;
  module: string;
  query: Query;
  chart?: boolean;
}

export interface ReportModel {
  titulo: string;
  snapshot: SnapshotRow;
  generado: string;
  blocks: Block[];
  /** The figures' data, for the digest and for checks against the statistics API. */
  data: { tablas: { figura: string; module: string; query: Query; result: StatsResult }[]; indicadores: IndicatorOut[]; acuerdos: unknown; cumplimiento: unknown; programa: unknown };
  /** sha256 over every figure's data: equal for two generations from the same snapshot. */
  figurasSha256: string;
}

export const AREAS: { titulo: string; modules: string[]; intro: string }[] = [
  { titulo: 'Coordinación y colaboración', modules: ['instrumentos', 'convenios', 'avances_legislativos', 'comisiones', 'colaboracion_internacional'], intro: 'Módulos 1 a 5: instrumentos, convenios, avances legislativos, comisiones y colaboración internacional.' },
  { titulo: 'Prevención', modules: ['capacitacion', 'difusion', 'materiales_difusion'], intro: 'Módulos 6 a 8: capacitación y sensibilización, difusión y materiales de difusión.' },
  { titulo: 'Atención a víctimas', modules: ['victimas', 'modelos_atencion', 'unidades_especializadas', 'operativos_rescate'], intro: 'Módulos 9 a 12: atención a víctimas y posibles víctimas, modelos de atención, unidades especializadas y operativos de rescate.' },
];

/** Per-module tables (spec §4.2); the first with `chart` also becomes a chart. */
export const MODULE_TABLES: TableSpec[] = [
  { titulo: 'Instrumentos por tipo y estatus', module: 'instrumentos', query: { rows: 'tipo_instrumento', cols: 'estatus_instrumento' }, chart: true },
  { titulo: 'Instrumentos creados, actualizados o adoptados, por ámbito', module: 'instrumentos', query: { rows: 'tipo_accion', cols: 'ambito' } },
  { titulo: 'Instrumentos por eje', module: 'instrumentos', query: { rows: 'ejes', cols: 'en_aplicacion' } },
  { titulo: 'Convenios firmados por tipo y ámbito', module: 'convenios', query: { rows: 'tipo_convenio', cols: 'ambito' }, chart: true },
  { titulo: 'Avances legislativos por tipo de ordenamiento y de avance', module: 'avances_legislativos', query: { rows: 'tipo_ordenamiento', cols: 'tipo_avance' }, chart: true },
  { titulo: 'Avances que armonizan con la Ley General, por entidad', module: 'avances_legislativos', query: { rows: 'entidad_federativa', cols: 'armoniza_ley_general' } },
  { titulo: 'Acuerdos por tipo de órgano y tipo de sesión', module: 'comisiones', query: { rows: 'tipo_organo', cols: 'tipo_sesion' } },
  { titulo: 'Acuerdos por tema y estado de seguimiento', module: 'comisiones', query: { rows: 'tema_acuerdo', cols: 'estado_seguimiento' }, chart: true },
  { titulo: 'Instrumentos internacionales por tipo y contraparte', module: 'colaboracion_internacional', query: { rows: 'tipo_instrumento_int', cols: 'tipo_contraparte' }, chart: true },
  { titulo: 'Instrumentos internacionales por país', module: 'colaboracion_internacional', query: { rows: 'paises' } },
  { titulo: 'Eventos de capacitación por tipo y modalidad', module: 'capacitacion', query: { rows: 'tipo_evento', cols: 'modalidad' }, chart: true },
  { titulo: 'Personas capacitadas por sexo y entidad', module: 'capacitacion', query: { rows: 'entidad_federativa', cols: '_medida', sum: 'participantes_mujeres,participantes_hombres,participantes_otra_identidad,participantes_sexo_ne' } },
  { titulo: 'Eventos de capacitación por tema', module: 'capacitacion', query: { rows: 'temas' } },
  { titulo: 'Acciones de difusión por tipo y modalidad', module: 'difusion', query: { rows: 'tipo_accion', cols: 'modalidad' }, chart: true },
  { titulo: 'Personas alcanzadas y alcance digital por tipo de acción', module: 'difusion', query: { rows: 'tipo_accion', cols: '_medida', sum: 'personas_alcanzadas,alcance_digital,materiales_distribuidos' } },
  { titulo: 'Materiales de difusión por tipo', module: 'materiales_difusion', query: { rows: 'tipo_material' }, chart: true },
  { titulo: 'Materiales de difusión por idioma', module: 'materiales_difusion', query: { rows: 'idiomas' } },
  { titulo: 'Personas registradas por condición y sexo', module: 'victimas', query: { rows: 'condicion', cols: 'sexo' }, chart: true },
  { titulo: 'Modelos de atención aplicados', module: 'modelos_atencion', query: { rows: 'modelo_aplicado' }, chart: true },
  { titulo: 'Víctimas atendidas según los modelos, por sexo', module: 'modelos_atencion', query: { rows: 'modelo_aplicado', cols: '_medida', sum: 'victimas_mujeres,victimas_hombres,victimas_otro_ne' } },
  { titulo: 'Unidades especializadas por tipo', module: 'unidades_especializadas', query: { rows: 'tipo_unidad', distinct: 'nombre_unidad' }, chart: true },
  { titulo: 'Personal de las unidades por nivel y sexo', module: 'unidades_especializadas', query: { rows: 'nivel', cols: '_medida', sum: 'personal_mujeres,personal_hombres,personal_otro_ne' } },
  { titulo: 'Operativos por tipo y mes', module: 'operativos_rescate', query: { rows: 'mes', cols: 'tipo_operativo' }, chart: true },
  { titulo: 'Personas rescatadas por sexo y entidad', module: 'operativos_rescate', query: { rows: 'entidad_federativa', cols: '_medida', sum: 'rescatadas_mujeres,rescatadas_hombres,rescatadas_otro_ne' } },
];

const DERIVED_LABELS: Record<string, string> = {
  anio: 'Año',
  trimestre: 'Trimestre',
  mes: 'Mes',
  institucion_id: 'Institución',
  ambito: 'Ámbito',
  entidad_federativa: 'Entidad federativa',
  _medida: 'Medida',
};

function dimLabel(m: ModuleDef, name: string): string {
  return DERIVED_LABELS[name] ?? [...METADATA_FIELDS, ...m.fields].find((f) => f.key === name)?.label ?? name;
}

const fmt = (v: number | string) => (typeof v === 'number' ? v.toLocaleString('es-MX') : v);

/** Row/column label: the catalog's, or the month's name for the derived month (the engine gives its code). */
function label(s: StatsResult, axis: 'rows' | 'cols', code: string): string {
  const l = s.labels?.[axis][code];
  if (l && l !== code) return l;
  const dim = axis === 'rows' ? s.rows : s.cols;
  if (dim === 'mes' && /^\d{1,2}$/.test(code) && MESES[Number(code) - 1]) return MESES[Number(code) - 1].replace(/^./, (c) => c.toUpperCase());
  return l ?? code;
}

/**
 * The engine's notes as a published reader should see them: field names as labels, and without the two that
 * the methodology already states for every figure (validated records only, of every institution).
 */
function readerNotes(m: ModuleDef, notes: string[]): string[] {
  return notes
    .filter((n) => n !== 'Solo registros validados.' && !/^Registros de todas las instituciones/.test(n))
    .map((n) => {
      const sum = /^Suma de: (.+)\.$/.exec(n);
      if (sum) return `Suma de: ${sum[1].split(', ').map((k) => dimLabel(m, k)).join('; ')}.`;
      const dis = /^Cuenta valores distintos de «(.+)»\.$/.exec(n);
      if (dis) return `Cuenta valores distintos de «${dimLabel(m, dis[1])}».`;
      return n;
    });
}

/**
 * Relative column widths (percent) from the text: every column at least as wide as its longest word (so no word
 * is cut in two), numbers never wrapped, and the rest to the first column, which holds the long labels.
 */
export function autoWidths(head: string[], rows: (string | number)[][], charsPerLine: number): number[] {
  const n = head.length;
  const longestWord = (v: string) => Math.max(0, ...v.split(/[\s/]+/).map((w) => w.length));
  const min = head.map((h, j) => {
    let w = longestWord(h) * 1.12; // headers are bold
    for (const r of rows) {
      const v = String(r[j] ?? '');
      w = Math.max(w, j > 0 && /^[<\d][\d,. %<]*$/.test(v) ? v.length : longestWord(v));
    }
    return Math.max(4, w) + 2;
  });
  const want = head.map((h, j) => Math.max(min[j], ...rows.map((r) => String(r[j] ?? '').length + 2)));
  const sumMin = min.reduce((a, x) => a + x, 0);
  let widths = [...min];
  if (sumMin < charsPerLine) {
    let left = charsPerLine - sumMin;
    const first = Math.min(left, want[0] - min[0]);
    widths[0] += first;
    left -= first;
    // What remains widens the other columns evenly (or the first, when there is only one other).
    const others = n - 1;
    if (others > 0) for (let j = 1; j < n; j++) widths[j] += left / others;
    else widths[0] += left;
  } else widths = widths.map((w) => (w / sumMin) * charsPerLine);
  return widths.map((w) => (w / charsPerLine) * 100);
}

/** Series a chart's legend shows legibly. */
const MAX_CHART_SERIES = 8;

/** Value columns a printed table holds (besides the row labels): more would be unreadable on a portrait page. */
export const MAX_PRINTED_COLS = 8;
type TableBlock = Extract<Block, { kind: 'table' }>;

/**
 * A table wider than a page, as consecutive tables of at most MAX_PRINTED_COLS value columns, each repeating the
 * row labels; the continuations keep the figure's number and say which columns they hold, the notes go last.
 */
export function splitWide(b: TableBlock): TableBlock[] {
  const values = b.head.length - 1;
  if (values <= MAX_PRINTED_COLS) return [b];
  const out: TableBlock[] = [];
  for (let start = 1; start <= values; start += MAX_PRINTED_COLS) {
    const end = Math.min(values, start + MAX_PRINTED_COLS - 1);
    const pick = (r: (string | number)[]) => [r[0], ...r.slice(start, end + 1)];
    const last = end === values;
    out.push({
      kind: 'table',
      figure: { ...b.figure, titulo: `${b.figure.titulo} (columnas ${start} a ${end} de ${values})` },
      head: pick(b.head) as string[],
      rows: b.rows.map(pick),
      notes: last ? b.notes : [],
      ...(start > 1 ? { continuation: true } : {}),
    });
  }
  return out;
}

/** A stats result as a table (catalog order, labels from the snapshot's catalogs). */
export function tableRows(m: ModuleDef, s: StatsResult): { head: string[]; rows: (string | number)[][] } {
  const rowCodes = s.order?.rows ?? Object.keys(s.rowTotals);
  const colCodes = s.cols ? (s.order?.cols ?? Object.keys(s.colTotals)) : [];
  const rl = (c: string) => label(s, 'rows', c);
  const cl = (c: string) => label(s, 'cols', c);
  const cell = new Map(s.cells.map((c) => [`${c.row}\u0001${c.col ?? ''}`, c.value]));
  const head = [dimLabel(m, s.rows), ...colCodes.map(cl), 'Total'];
  const rows: (string | number)[][] = rowCodes.map((r) => [rl(r), ...colCodes.map((c) => fmt(cell.get(`${r}\u0001${c}`) ?? 0)), fmt(s.rowTotals[r] ?? 0)]);
  rows.push(['Total', ...colCodes.map((c) => fmt(s.colTotals[c] ?? 0)), fmt(s.total)]);
  return { head, rows };
}

export function apiQueryString(module: string, q: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return `/api/v1/stats/${module}?${params.toString()}`;
}

function filtrosText(q: Query, period: { desde: string; hasta: string }): string {
  const f = Object.entries(q)
    .filter(([k]) => k.startsWith('f.'))
    .map(([k, v]) => `${k.slice(2)} = ${String(v)}`);
  return [`registros validados`, `fecha principal del ${fechaCorta(period.desde)} al ${fechaCorta(period.hasta)}`, ...f].join('; ');
}

export type Progress = (pct: number, etapa: string) => void | Promise<void>;

/** Builds the whole report over a snapshot context (see withSnapshot). */
export async function buildAnnualModel(sctx: Ctx, snap: SnapshotRow, actor: Actor, progress: Progress = () => undefined): Promise<ReportModel> {
  const blocks: Block[] = [];
  const data: ReportModel['data'] = { tablas: [], indicadores: [], acuerdos: null, cumplimiento: null, programa: null };
  const period = { desde: snap.periodo_desde, hasta: snap.fecha_corte };
  let nCuadro = 0;
  let nGrafica = 0;
  const T = sctx.config.SINTRA_SUPPRESSION_THRESHOLD;
  const snapRef = `instantánea ${snap.id}`;
  // A note the reader already saw in this chapter is not repeated under every table; the mark of protected
  // figures and the count of distinct records belong to each table and always stay.
  let seenNotes = new Set<string>();
  const chapter = (text: string) => {
    seenNotes = new Set();
    blocks.push({ kind: 'heading', level: 1, text });
  };
  const tableNotes = (m: ModuleDef, notes: string[]) =>
    readerNotes(m, notes).filter((n) => {
      if (/^(Cifras protegidas|Registros distintos|Personas distintas)/.test(n)) return true;
      if (seenNotes.has(n)) return false;
      seenNotes.add(n);
      return true;
    });
  /** A bar chart of a table, unless it has nothing to draw (no counts, or every count protected). */
  const chartOf = (result: StatsResult, title: string) => {
    const rowCodes = result.order?.rows ?? Object.keys(result.rowTotals);
    const colCodes = result.cols ? (result.order?.cols ?? Object.keys(result.colTotals)) : [];
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    let series = result.cols
      ? colCodes.map((c) => ({ name: label(result, 'cols', c), data: rowCodes.map((r) => num(result.cells.find((x) => x.row === r && x.col === c)?.value ?? 0)) }))
      : [{ name: 'Total', data: rowCodes.map((r) => num(result.rowTotals[r])) }];
    // More series than a legend can show legibly: the largest keep their colour, the rest are drawn as one.
    if (series.length > MAX_CHART_SERIES) {
      const sum = (d: (number | null)[]) => d.reduce<number>((a, v) => a + (v ?? 0), 0);
      const ranked = [...series].sort((a, b) => sum(b.data) - sum(a.data));
      const keep = new Set(ranked.slice(0, MAX_CHART_SERIES - 1));
      const rest = series.filter((x) => !keep.has(x));
      series = [...series.filter((x) => keep.has(x)), { name: `Otras ${rest.length} categorías`, data: rowCodes.map((_, i) => rest.reduce((a, x) => a + (x.data[i] ?? 0), 0)) }];
    }
    if (!series.some((x) => x.data.some((v) => v !== null && v > 0))) return null;
    return barChart({ title, categories: rowCodes.map((r) => label(result, 'rows', r)), series, stacked: !!result.cols });
  };

  const runTable = async (spec: TableSpec, prefix?: string) => {
    const m = getModule(spec.module)!;
    // Published output: validated records of every institution, disclosure control on person counts.
    const query: Query = { ...spec.query, from: period.desde, to: period.hasta, publicacion: '1' };
    const result = await crosstab(sctx, actor, m, query);
    nCuadro++;
    const figure: Figure = {
      id: `Cuadro ${nCuadro}`,
      titulo: `${prefix ? `${prefix}. ` : ''}${spec.titulo}`,
      filtros: filtrosText(spec.query, period),
      consulta: `${apiQueryString(m.key, query)} sobre la ${snapRef}`,
    };
    data.tablas.push({ figura: figure.id, module: m.key, query, result });
    const t = tableRows(m, result);
    const notes = [...result.notes];
    if (result.records !== null && result.records !== result.total) notes.unshift(`Registros distintos: ${fmt(result.records)}.`);
    blocks.push(...splitWide({ kind: 'table', figure, head: t.head, rows: t.rows, notes: tableNotes(m, notes) }));
    const ch = spec.chart && result.cells.length ? chartOf(result, figure.titulo) : null;
    if (ch) {
      nGrafica++;
      blocks.push({
        kind: 'chart',
        figure: { id: `Gráfica ${nGrafica}`, titulo: figure.titulo, filtros: figure.filtros, consulta: `Datos del ${figure.id}` + (result.suppression ? ` (las cifras protegidas «<${T}» no se grafican)` : '') },
        ...ch,
      });
    }
  };

  // ---- cover and methodology ----
  blocks.push({ kind: 'heading', level: 1, text: 'Metodología y fecha de corte' });
  blocks.push({
    kind: 'paragraph',
    text: `Este informe presenta la información registrada en el Sistema Nacional de Información en materia de Trata de Personas (SINTRA) por las instituciones de la Comisión Intersecretarial, las comisiones estatales y los municipios, para el periodo del ${fechaLarga(snap.periodo_desde)} al ${fechaLarga(snap.periodo_hasta)}, con fecha de corte ${fechaLarga(snap.fecha_corte)}.`,
  });
  blocks.push({
    kind: 'bullets',
    items: [
      `Las cifras provienen de una instantánea de la base de datos (id ${snap.id}, tomada el ${fechaLarga(new Date(snap.taken_at).toISOString())} a las ${new Date(snap.taken_at).toISOString().slice(11, 16)} (hora UTC), huella SHA-256 ${snap.sha256.slice(0, 16)}…): los registros validados con fecha principal hasta el corte, con su versión, y los catálogos, instituciones y Programa Nacional vigentes en ese momento. Un registro agregado o modificado después no cambia este informe; regenerarlo desde la misma instantánea da las mismas cifras.`,
      'Solo se cuentan registros validados por la Secretaría Técnica o por el enlace estatal validador; nunca borradores, registros enviados sin validar ni eliminados (especificación §1.2 y §4.3).',
      'El periodo de cada registro lo da la fecha principal de su módulo (p. ej., fecha de identificación de la víctima, fecha de inicio del evento, fecha de la sesión).',
      'Las variables de opción múltiple cuentan cada registro una vez por opción elegida: los totales de esos cuadros son menciones y se indica además el número de registros distintos.',
      `Control de divulgación: las cifras de personas de los módulos 9 y 12 entre 1 y ${T - 1} se publican como «<${T}», con supresión complementaria para que no puedan deducirse de los totales.`,
      'Las víctimas son personas registradas por las instituciones: no existe un identificador entre instituciones, por lo que una persona atendida por dos instituciones cuenta dos veces.',
      'Cada cuadro, gráfica e indicador lleva un número; el anexo indica para cada uno la instantánea, los filtros y la consulta que lo produce.',
    ],
  });
  await progress(22, 'Tablas por módulo');

  // ---- one chapter per area ----
  const inPeriod = async (m: string) =>
    (await sctx.readDb.query<{ n: number }>(`select count(*)::int as n from m_${m} r where r.fecha_principal between $1::date and $2::date`, [period.desde, period.hasta]))[0].n;
  let done = 0;
  const totalSpecs = MODULE_TABLES.length + LEGAL_TABLES.length * CONDICIONES.length;
  for (const area of AREAS) {
    blocks.push({ kind: 'pagebreak' });
    chapter(area.titulo);
    blocks.push({ kind: 'paragraph', text: area.intro });
    for (const key of area.modules) {
      const m = getModule(key)!;
      const n = await inPeriod(key);
      blocks.push({ kind: 'heading', level: 2, text: `Módulo ${MODULES.indexOf(m) + 1}. ${m.name}` });
      blocks.push({ kind: 'paragraph', text: `Registros validados en el periodo: ${fmt(n)}.` });
      for (const spec of MODULE_TABLES.filter((s) => s.module === key)) {
        await runTable(spec);
        done++;
        await progress(22 + Math.round((done / totalSpecs) * 38), `Tablas: ${m.name}`);
      }
    }
  }

  // ---- art. 88 legal tables (the statistics engine's own declarations, src/server/stats/legal.ts) ----
  blocks.push({ kind: 'pagebreak' });
  chapter('Estadísticas del artículo 88 fracción VIII de la Ley General');
  blocks.push({
    kind: 'paragraph',
    text: `Desagregaciones que exige la Ley General (módulo 9, fecha de identificación en el periodo), para víctimas y, aparte, para posibles víctimas; las personas ofendidas tienen su propio resumen. Control de divulgación: cifras de 1 a ${T - 1} como «<${T}», con supresión complementaria. Las tablas por municipio se consultan en el sistema: solo se publican cuando todas sus celdas son de ${T} o más.`,
  });
  const legalQuery: Query = { from: period.desde, to: period.hasta, publicacion: '1' };
  const access = statsAccess(actor, legalQuery);
  const victimas = getModule('victimas')!;
  for (const cond of CONDICIONES) {
    blocks.push({ kind: 'heading', level: 2, text: cond.label });
    for (const t of LEGAL_TABLES) {
      if (t.condicion && cond.code !== 'VICTIMA') continue;
      const res = await computeLegal(sctx, t, cond.code, legalQuery, access);
      for (const part of res.parts) {
        if (part.geo === 'municipio') continue;
        nCuadro++;
        // The legal-table route takes the condition asked for (OFENDIDOS fixes its own population).
        const query: Query = { ...legalQuery, condicion: cond.code };
        const figure: Figure = {
          id: `Cuadro ${nCuadro}`,
          titulo: `${t.id}. ${t.title} — ${part.title} (${res.condicionLabel.toLowerCase()})`,
          filtros: `registros validados; condición ${res.condicion}; fecha de identificación del ${period.desde} al ${period.hasta}`,
          consulta: `/api/v1/stats/legal/${t.id}?${new URLSearchParams(query as Record<string, string>).toString()} (parte ${part.key}) sobre la ${snapRef}`,
        };
        const { key: _k, title: _t, chart: _c, geo: _g, stateField: _s, ...result } = part;
        void _k, _t, _c, _g, _s;
        data.tablas.push({ figura: figure.id, module: 'victimas', query: { legal: t.id, parte: part.key, ...query }, result });
        const tb = tableRows(victimas, result);
        const notes = [...result.notes];
        if (result.records !== null && result.records !== result.total) notes.unshift(`Personas distintas: ${fmt(result.records)}.`);
        blocks.push(...splitWide({ kind: 'table', figure, head: tb.head, rows: tb.rows, notes: tableNotes(victimas, notes) }));
        const ch = cond.code === 'VICTIMA' && (t.id === 'T-01' || t.id === 'T-06') && part.key === 'a' && result.cells.length ? chartOf(result, figure.titulo) : null;
        if (ch) {
          nGrafica++;
          blocks.push({ kind: 'chart', figure: { id: `Gráfica ${nGrafica}`, titulo: figure.titulo, filtros: figure.filtros, consulta: `Datos del ${figure.id} (las cifras protegidas «<${T}» no se grafican)` }, ...ch });
        }
      }
      done++;
      await progress(22 + Math.min(38, Math.round((done / totalSpecs) * 38)), `Tablas del art. 88: ${t.id}`);
    }
  }

  // ---- Programa Nacional: indicators and alignment ----
  await progress(62, 'Indicadores del Programa Nacional');
  const indicadores = await computeAll(sctx.readDb, { desde: period.desde, hasta: period.hasta, entidad: null }, { suppressThreshold: T, today: snap.fecha_corte });
  data.indicadores = indicadores;
  const programa = await new ProgramaService(sctx).tree(sctx.readDb, { anio: snap.anio });
  data.programa = programa;
  blocks.push({ kind: 'pagebreak' });
  chapter('Programa Nacional: indicadores y seguimiento');
  blocks.push({ kind: 'paragraph', text: `${programa.programa.nombre} (${programa.programa.clave}; periodo del ${fechaLarga(programa.programa.periodo_inicio)} al ${fechaLarga(programa.programa.periodo_fin)}).` });
  nCuadro++;
  const indFigure: Figure = {
    id: `Cuadro ${nCuadro}`,
    titulo: 'Indicadores del Programa Nacional (IND-01 a IND-15)',
    filtros: `registros validados; periodo del ${fechaCorta(period.desde)} al ${fechaCorta(period.hasta)}; nacional`,
    consulta: `/api/v1/indicators?desde=${period.desde}&hasta=${period.hasta} sobre la ${snapRef} (fórmulas en el anexo)`,
  };
  const pct = (v: number | null) => (v === null ? 'n. d.' : `${v.toLocaleString('es-MX', { maximumFractionDigits: 2 })} %`);
  blocks.push({
    kind: 'table',
    figure: indFigure,
    head: ['Indicador', 'Obj.', 'Numerador', 'Denominador', 'Valor', 'Línea base', 'Meta'],
    rows: indicadores.map((i) => [
      `${i.id} ${i.nombre}`,
      i.objetivos.map((o) => `O${o}`).join('/'),
      fmt(i.numerador.valor),
      fmt(i.denominador.valor),
      pct(i.valor),
      i.linea_base.anio ? `${pct(i.linea_base.valor)} (${i.linea_base.anio}${i.linea_base.calculada ? ', calculada' : ''})` : 'n. d.',
      i.meta.valor !== null ? `${pct(i.meta.valor)} (${i.meta.anio ?? ''})` : 'Sin meta',
    ]),
    notes: ['n. d.: no disponible (denominador cero o cifra protegida).', 'Línea base «calculada»: valor del indicador en el año base con los registros de la instantánea, mientras la Secretaría Técnica no registre un valor oficial.'],
    widths: [40, 6, 11, 11, 10, 12, 10],
  });
  await progress(70, 'Gráficas de tendencia');
  for (const obj of [1, 2, 3, 4, 5]) {
    const ids = indicadores.filter((i) => i.objetivos[0] === obj);
    if (!ids.length) continue;
    const years = ids[0].tendencia.map((t) => String(t.anio));
    const ch = lineChart({ title: `Objetivo ${obj}: tendencia de sus indicadores (%)`, categories: years, series: ids.map((i) => ({ name: i.id, data: i.tendencia.map((t) => t.valor) })), unit: '%' });
    nGrafica++;
    blocks.push({ kind: 'chart', figure: { id: `Gráfica ${nGrafica}`, titulo: `Objetivo ${obj}: tendencia de sus indicadores`, filtros: 'registros validados; cada año calendario', consulta: `Indicadores ${ids.map((i) => i.id).join(', ')} por año sobre la ${snapRef}` }, ...ch });
  }
  // Alignment of records to the acciones puntuales (spec §4.5).
  nCuadro++;
  const alignRows: (string | number)[][] = [];
  for (const o of programa.objetivos)
    for (const e of o.estrategias)
      for (const a of e.acciones)
        alignRows.push([
          `${a.codigo} ${a.texto}`,
          fmt(a.registros),
          Object.entries(a.por_modulo).map(([k, n]) => `${getModule(k)?.name ?? k}: ${n}`).join('; ') || '—',
          a.por_institucion.map((i) => `${i.codigo}: ${i.registros}`).join('; ') || '—',
          a.responsables_sin_registro.map((i) => i.codigo).join(', ') || '—',
        ]);
  blocks.push({
    kind: 'table',
    figure: { id: `Cuadro ${nCuadro}`, titulo: 'Registros validados alineados a cada acción puntual', filtros: `registros validados con fecha principal en ${snap.anio}`, consulta: `/api/v1/programa?anio=${snap.anio} sobre la ${snapRef}` },
    head: ['Acción puntual', 'Registros', 'Por módulo', 'Por institución', 'Responsables sin registro'],
    rows: alignRows,
    notes: [],
    widths: [34, 9, 21, 21, 15],
  });

  // ---- commitments ----
  await progress(76, 'Seguimiento de acuerdos');
  const acuerdos = await commitmentSummary(sctx.readDb, null, { hoy: snap.fecha_corte, soloValidados: true });
  data.acuerdos = acuerdos;
  chapter('Seguimiento de acuerdos de las comisiones');
  blocks.push({
    kind: 'paragraph',
    text: `Acuerdos validados del módulo 4 al ${fechaLarga(snap.fecha_corte)}. Un acuerdo está vencido cuando su fecha compromiso es anterior a la fecha de corte y sigue pendiente o en proceso.`,
  });
  nCuadro++;
  const sumRow = (name: string, s: (typeof acuerdos)['nacional']) => [
    name,
    fmt(s.acuerdos),
    fmt(s.por_estado.PENDIENTE),
    fmt(s.por_estado.EN_PROCESO),
    fmt(s.por_estado.CUMPLIDO),
    fmt(s.por_estado.REPROGRAMADO + s.por_estado.CANCELADO),
    fmt(s.vencidos),
    pct(s.tasa_cumplimiento),
  ];
  blocks.push({
    kind: 'table',
    figure: { id: `Cuadro ${nCuadro}`, titulo: 'Acuerdos por estado de seguimiento: nacional, Comisión Intersecretarial y comisiones estatales', filtros: `acuerdos validados; vencido al ${fechaCorta(snap.fecha_corte)}`, consulta: `/api/v1/commitments?estatus=validado&fecha_referencia=${snap.fecha_corte} sobre la ${snapRef}` },
    head: ['Órgano', 'Acuerdos', 'Pendientes', 'En proceso', 'Cumplidos', 'Reprog./cancel.', 'Vencidos', 'Cumplimiento'],
    rows: [
      sumRow('Total nacional', acuerdos.nacional),
      sumRow('Comisión Intersecretarial', acuerdos.comision_intersecretarial),
      ...acuerdos.por_comision_estatal.map((c) => sumRow(`CIES ${sctx.catalogs.label('entidad', c.entidad)}`, c)),
    ],
    notes: ['Cumplimiento = cumplidos ÷ acuerdos no cancelados.'],
    widths: [28, 10, 10, 10, 10, 11, 10, 11],
  });
  if (acuerdos.por_comision_estatal.length) {
    nGrafica++;
    const ch = barChart({
      title: 'Acuerdos vencidos y cumplidos por comisión estatal',
      categories: acuerdos.por_comision_estatal.map((c) => sctx.catalogs.label('entidad', c.entidad)),
      series: [
        { name: 'Cumplidos', data: acuerdos.por_comision_estatal.map((c) => c.cumplidos) },
        { name: 'Vencidos', data: acuerdos.por_comision_estatal.map((c) => c.vencidos) },
      ],
    });
    blocks.push({ kind: 'chart', figure: { id: `Gráfica ${nGrafica}`, titulo: 'Acuerdos vencidos y cumplidos por comisión estatal', filtros: 'acuerdos validados', consulta: `Datos del Cuadro ${nCuadro}` }, ...ch });
  }

  // ---- reporting compliance ----
  await progress(82, 'Cumplimiento del reporte');
  const cumplimiento = await compliance(sctx.readDb, null, { anio: snap.anio, hoy: snap.fecha_corte });
  data.cumplimiento = cumplimiento;
  chapter('Cumplimiento del reporte institucional');
  blocks.push({ kind: 'paragraph', text: cumplimiento.metodo });
  nCuadro++;
  blocks.push({
    kind: 'table',
    figure: { id: `Cuadro ${nCuadro}`, titulo: 'Ranking de cumplimiento del reporte al SINTRA', filtros: `instituciones obligadas a reportar; año reportado ${snap.anio}`, consulta: `/api/v1/compliance?anio=${snap.anio} sobre la ${snapRef}` },
    head: ['#', 'Institución', 'Trim. debidos', 'Trim. con envío', 'Validados', 'Devueltos', 'Completitud', 'Índice'],
    rows: cumplimiento.items.map((i) => [
      i.posicion,
      i.nombre && i.nombre !== i.codigo ? `${i.nombre} (${i.codigo})` : i.codigo,
      i.debidos,
      i.trimestres_enviados,
      fmt(i.registros.validado),
      fmt(i.registros.devuelto),
      i.completitud === null ? 'n. d.' : `${i.completitud.toLocaleString('es-MX', { maximumFractionDigits: 1 })} %`,
      i.indice.toLocaleString('es-MX', { maximumFractionDigits: 1 }),
    ]),
    notes: ['La instantánea contiene solo registros validados: «Trim. con envío» cuenta trimestres con registros validados y los devueltos no figuran.'],
    widths: [5, 30, 11, 11, 11, 10, 11, 11],
  });

  // ---- annex ----
  await progress(86, 'Anexo de trazabilidad');
  blocks.push({ kind: 'pagebreak' });
  chapter('Anexo. Origen de cada cifra');
  blocks.push({
    kind: 'paragraph',
    text: `Todas las cifras se calcularon sobre la instantánea ${snap.id} (huella SHA-256 ${snap.sha256}). Registros por módulo en la instantánea (validados, fecha principal hasta el corte): ${Object.entries(snap.conteos)
      .map(([k, n]) => `${getModule(k)?.name ?? k} ${fmt(n)}`)
      .join('; ')}. Las consultas /api/v1/stats/… reproducen cada cuadro; sobre la misma instantánea: /api/v1/reports/snapshots/${snap.id}/stats/<módulo>?… con los mismos parámetros (tabulados legales: /api/v1/reports/snapshots/${snap.id}/legal/<tabla>?…).`,
    small: true,
  });
  const figs = blocks.filter((b): b is Extract<Block, { figure: Figure }> => (b.kind === 'table' && !b.continuation) || b.kind === 'chart').map((b) => b.figure);
  blocks.push({
    kind: 'table',
    figure: { id: 'Anexo A', titulo: 'Cuadros y gráficas', filtros: '', consulta: '' },
    head: ['Figura', 'Título', 'Filtros', 'Consulta'],
    rows: figs.map((f) => [f.id, f.titulo, f.filtros, f.consulta]),
    notes: [],
    widths: [9, 25, 26, 40],
  });
  blocks.push({
    kind: 'table',
    figure: { id: 'Anexo B', titulo: 'Fórmulas de los indicadores', filtros: '', consulta: '' },
    head: ['Indicador', 'Numerador', 'Denominador', 'Consulta (SQL; $1 inicio, $2 corte, $3 entidad)'],
    rows: INDICATORS.map((d) => {
      const out = indicadores.find((i) => i.id === d.id)!;
      return [d.id, d.numerador.texto, d.denominador.texto, `Numerador: ${out.consulta.numerador ?? String(d.numerador.constante)}\nDenominador: ${out.consulta.denominador ?? String(d.denominador.constante)}`];
    }),
    notes: [`Parámetros: $1 = ${period.desde}, $2 = ${period.hasta} (fechas en formato de la base de datos, aaaa-mm-dd), $3 = nulo (nacional). Solo registros validados.`],
    widths: [9, 22, 22, 47],
  });
  await progress(88, 'Documento');

  const figurasSha256 = crypto
    .createHash('sha256')
    .update(JSON.stringify({ tablas: data.tablas.map((t) => [t.figura, t.query, t.result]), ind: indicadores.map((i) => [i.id, i.numerador, i.denominador, i.valor, i.linea_base, i.meta, i.tendencia]), acuerdos, cumplimiento, programa }))
    .digest('hex');
  return { titulo: `Informe anual ${snap.anio}`, snapshot: snap, generado: new Date().toISOString(), blocks, data, figurasSha256 };
}

const MESES = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre', 'noviembre', 'diciembre'];
export function fechaLarga(d: string): string {
  const [y, m, day] = d.slice(0, 10).split('-').map(Number);
  return `${day} de ${MESES[m - 1]} de ${y}`;
}
/** dd/mm/aaaa, as every date the product shows. */
export function fechaCorta(d: string): string {
  const [y, m, day] = d.slice(0, 10).split('-');
  return `${day}/${m}/${y}`;
}
