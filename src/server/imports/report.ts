// The error report: the uploaded workbook with every faulty cell filled in red and a comment giving the
// reason, plus an "Errores" sheet listing them. A small XLSX is marked in place (its formatting and other
// sheets kept); a CSV or a large XLSX is copied cell by cell into a new workbook, streaming.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { columnLetter, type Raw } from './cells.js';
import { openSource } from './read.js';
import type { LocatedIssue } from './service.js';

/** Up to this size an XLSX is loaded whole and marked in place. */
const IN_PLACE_MAX_BYTES = 5 * 1024 * 1024;

const FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
const FONT: Partial<ExcelJS.Font> = { color: { argb: 'FF9C0006' }, bold: true };

/** Issues grouped by row, then by 0-based column (-1: the row as a whole). */
function byCell(issues: LocatedIssue[]): Map<number, Map<number, string[]>> {
  const out = new Map<number, Map<number, string[]>>();
  for (const i of issues) {
    const row = out.get(i.row) ?? new Map<number, string[]>();
    const c = i.columnIndex ?? -1;
    row.set(c, [...(row.get(c) ?? []), i.message]);
    out.set(i.row, row);
  }
  return out;
}

function addErrorsSheet(wb: ExcelJS.Workbook | ExcelJS.stream.xlsx.WorkbookWriter, issues: LocatedIssue[], total: number): ExcelJS.Worksheet {
  const ws = wb.addWorksheet('Errores');
  ws.columns = [
    { header: 'Fila', key: 'row', width: 8 },
    { header: 'Celda', key: 'cell', width: 10 },
    { header: 'Columna', key: 'column', width: 40 },
    { header: 'Campo', key: 'field', width: 28 },
    { header: 'Error', key: 'message', width: 110 },
  ];
  ws.getRow(1).font = { bold: true };
  if (!issues.length) ws.addRow({ message: 'El archivo no tiene errores: puede importarse.' });
  for (const i of issues)
    ws.addRow({ row: i.row, cell: i.columnIndex === null ? '' : `${columnLetter(i.columnIndex)}${i.row}`, column: i.column ?? '', field: i.field ?? '', message: i.message });
  if (total > issues.length) ws.addRow({ message: `… y ${total - issues.length} error(es) más.` });
  return ws;
}

function mark(cell: ExcelJS.Cell, messages: string[]): void {
  cell.fill = FILL;
  cell.font = FONT;
  const prev = typeof cell.note === 'string' ? `${cell.note}\n` : '';
  cell.note = `${prev}${messages.join('\n')}`.slice(0, 30_000);
}

export async function errorReport(buf: Buffer, format: 'xlsx' | 'csv', sheetName: string | undefined, issues: LocatedIssue[], total: number): Promise<Buffer> {
  if (format === 'xlsx' && buf.length <= IN_PLACE_MAX_BYTES) {
    const marked = await inPlace(buf, sheetName, issues, total).catch(() => null);
    if (marked) return marked;
  }
  return copied(buf, issues, total);
}

async function inPlace(buf: Buffer, sheetName: string | undefined, issues: LocatedIssue[], total: number): Promise<Buffer | null> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  const ws = (sheetName ? wb.getWorksheet(sheetName) : undefined) ?? wb.worksheets[0];
  if (!ws) return null;
  for (const [row, cols] of byCell(issues)) {
    for (const [c, messages] of cols) mark(ws.getRow(row).getCell(c < 0 ? 1 : c + 1), c < 0 ? [`Fila ${row}: ${messages.join(' ')}`] : messages);
  }
  const old = wb.getWorksheet('Errores'); // a report uploaded again: its old list goes
  if (old) wb.removeWorksheet(old.id);
  addErrorsSheet(wb, issues, total);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Streams the rows into a new workbook; memory stays flat whatever the file's size. */
async function copied(buf: Buffer, issues: LocatedIssue[], total: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Datos', { views: [{ state: 'frozen', ySplit: 1 }] });
  const marks = byCell(issues);
  const src = openSource(buf);
  for await (const r of src.rows) {
    const row = ws.getRow(r.row);
    r.cells.forEach((v: Raw, i) => {
      if (v !== null) row.getCell(i + 1).value = v;
    });
    const m = marks.get(r.row);
    if (m) for (const [c, messages] of m) mark(row.getCell(c < 0 ? 1 : c + 1), c < 0 ? [`Fila ${r.row}: ${messages.join(' ')}`] : messages);
    marks.delete(r.row);
    row.commit();
  }
  ws.commit();
  addErrorsSheet(wb, issues, total).commit();
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
