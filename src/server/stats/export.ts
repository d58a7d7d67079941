// Tables as files: CSV (UTF-8 with BOM, opens right in Excel) and XLSX (typed cells, a header with the
// filters and the cut-off date). The same StatsResult the screen shows, so the same access rules hold.
import ExcelJS from 'exceljs';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { fieldCatalog, type ModuleDef } from '../../modules/types.js';
import type { Ctx } from '../context.js';
import { asList, first, type Query } from '../records/filters.js';
import { derivedOf } from './dimensions.js';
import type { CellValue, StatsResult } from './crosstab.js';

/** One line per row code, one column per col code, with totals (codes in display order). */
export function tableOf(s: StatsResult): (string | number)[][] {
  const rowCodes = s.order?.rows ?? Object.keys(s.rowTotals).sort();
  const colCodes = s.cols ? (s.order?.cols ?? Object.keys(s.colTotals).sort()) : [];
  const rl = (c: string) => s.labels?.rows[c] ?? c;
  const cl = (c: string) => s.labels?.cols[c] ?? c;
  const head = [s.rows, 'Etiqueta', ...colCodes.map(cl), 'Total'];
  const lines: (string | number)[][] = [head];
  const cell = new Map(s.cells.map((c) => [`${c.row}\u0000${c.col}`, c.value]));
  for (const r of rowCodes) {
    const line: (string | number)[] = [r, rl(r)];
    for (const c of colCodes) line.push(cell.get(`${r}\u0000${c}`) ?? 0);
    line.push(s.rowTotals[r]);
    lines.push(line);
  }
  lines.push(['TOTAL', 'Total', ...colCodes.map((c) => s.colTotals[c] ?? 0), s.total]);
  if (s.multi) lines.push(['REGISTROS', 'Registros distintos', ...colCodes.map(() => ''), s.records ?? '']);
  return lines;
}

/** Formula-injection guard and CSV quoting. */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function cutoffText(d = new Date()): string {
  const f = new Intl.DateTimeFormat('es-MX', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${f.format(d)} (hora del centro de México)`;
}

/** The filters of a query, in words, for the header of an export. */
export function describeFilters(ctx: Ctx, m: ModuleDef, query: Query): string[] {
  const out: string[] = [];
  const anios = asList(query.anio);
  const from = first(query.from);
  const to = first(query.to);
  if (anios.length) out.push(`Periodo: ${anios.join(', ')}`);
  if (from || to) out.push(`Fecha principal: ${from ? `desde ${from}` : ''}${from && to ? ' ' : ''}${to ? `hasta ${to}` : ''}`);
  if (!anios.length && !from && !to) out.push('Periodo: todos los registros');
  const derived = derivedOf(m);
  for (const [k, v] of Object.entries(query)) {
    if (!k.startsWith('f.')) continue;
    const [key, op] = k.slice(2).split('.');
    const f = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === key);
    const label = derived[key]?.label ?? f?.label ?? key;
    const vals = asList(v);
    if (!vals.length) continue;
    if (op === 'min' || op === 'max') out.push(`${label}: ${op === 'min' ? 'desde' : 'hasta'} ${vals[vals.length - 1]}`);
    else {
      const cat = f ? fieldCatalog(f) : key === 'entidad_federativa' ? 'entidad' : undefined;
      const codes = derived[key]?.codes;
      out.push(`${label}: ${vals.map((c) => codes?.find((x) => x.code === c)?.label ?? (cat ? ctx.catalogs.label(cat, c) : c)).join(', ')}`);
    }
  }
  if (first(query.q)) out.push(`Búsqueda: ${first(query.q)}`);
  if (first(query.duplicados) === 'excluir') out.push('Sin posibles duplicados confirmados');
  return out;
}

export interface SheetTable {
  title: string;
  result: StatsResult;
}

const NUM_FMT = '#,##0';

function writeTable(ws: ExcelJS.Worksheet, t: SheetTable): void {
  const title = ws.addRow([t.title]);
  title.font = { bold: true, size: 12 };
  const lines = tableOf(t.result);
  lines.forEach((l, i) => {
    const row = ws.addRow(l.map((v) => (v === '' ? null : v)));
    if (i === 0 || i >= lines.length - (t.result.multi ? 2 : 1)) row.font = { bold: true };
    row.eachCell((c) => {
      if (typeof c.value === 'number') c.numFmt = NUM_FMT;
      else if (typeof c.value === 'string' && /^<\d+$/.test(c.value)) c.alignment = { horizontal: 'right' };
    });
  });
  for (const n of t.result.notes) ws.addRow([`Nota: ${n}`]).font = { italic: true };
  ws.addRow([]);
}

function header(ws: ExcelJS.Worksheet, title: string, filters: string[], suppressed: boolean, cutoff: Date): void {
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow(['Sistema Nacional de Información en materia de Trata de Personas (SINTRA)']);
  ws.addRow([`Fecha de corte: ${cutoffText(cutoff)}`]);
  for (const f of filters) ws.addRow([f]);
  if (suppressed) ws.addRow(['Cifras protegidas por confidencialidad (regla de celdas pequeñas con supresión complementaria).']).font = { bold: true };
  ws.addRow([]);
}

/**
 * One workbook: a sheet per group of tables, each sheet with the header of filters and cut-off date (now, or
 * the moment a publication was frozen).
 */
export async function workbook(title: string, filters: string[], sheets: { name: string; title: string; tables: SheetTable[] }[], cutoff = new Date()): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'SINTRA';
  wb.created = new Date();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31).replace(/[\\/?*[\]:]/g, '-'));
    const suppressed = s.tables.some((t) => t.result.suppression);
    header(ws, s.title === title ? title : `${title} — ${s.title}`, filters, suppressed, cutoff);
    for (const t of s.tables) writeTable(ws, t);
    ws.getColumn(1).width = 18;
    ws.getColumn(2).width = 48;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** CSV of one or more tables: the first table's header is the first line (machine-readable). */
export function csv(tables: SheetTable[], filters: string[], cutoff = new Date()): string {
  const out: (string | number)[][] = [];
  tables.forEach((t, i) => {
    if (i > 0) out.push([], [t.title]);
    out.push(...tableOf(t.result));
  });
  out.push([]);
  for (const t of tables) for (const n of t.result.notes) out.push([`Nota: ${n}`]);
  for (const f of filters) out.push([`Filtro: ${f}`]);
  out.push([`Fecha de corte: ${cutoffText(cutoff)}`]);
  return '\uFEFF' + out.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type { CellValue };
