// Opens an uploaded spreadsheet as rows, streaming: XLSX through exceljs' WorkbookReader (the "Datos"
// sheet, else the first visible one), CSV in UTF-8 (with or without BOM), UTF-16 or Windows-1252/Latin-1,
// separated by `,`, `;` or tabs, all detected.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { HttpError, badRequest } from '../http/errors.js';
import { cellToRaw, foldKey, type Raw } from './cells.js';

export interface SheetRow {
  /** Row number as the spreadsheet shows it (1 = first row). */
  row: number;
  cells: Raw[];
  /** Cells holding an Excel error (#N/A, #¡VALOR!…), by 0-based column. */
  errors?: Map<number, string>;
  /** Cells holding a formula saved without its computed result, by 0-based column. */
  formulas?: Set<number>;
}

export interface Source {
  format: 'xlsx' | 'csv';
  /** CSV only: detected encoding and separator. */
  encoding?: string;
  delimiter?: string;
  /** XLSX: the workbook counts dates from 1904. */
  date1904: boolean;
  sheetName?: string;
  rows: AsyncIterable<SheetRow>;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** Files people attach by mistake, recognised by their first bytes, so the refusal says what the file is. */
const NOT_SHEETS: [Buffer, string][] = [
  [Buffer.from('%PDF'), 'un documento PDF'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'una imagen PNG'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'una imagen JPEG'],
  [Buffer.from('GIF8'), 'una imagen GIF'],
  [Buffer.from('{\\rtf'), 'un documento RTF'],
  [Buffer.from([0x1f, 0x8b]), 'un archivo comprimido (gzip)'],
  [Buffer.from('Rar!'), 'un archivo comprimido (RAR)'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), 'un archivo comprimido (7z)'],
];

/** `name`: the uploaded file's name; a «.xlsx» that is not a workbook is refused instead of being read as text. */
export function detectFormat(buf: Buffer, name = ''): 'xlsx' | 'csv' {
  if (buf.length === 0) throw badRequest('El archivo está vacío.', [{ field: 'file', message: 'El archivo está vacío.' }]);
  if (buf.subarray(0, 4).equals(OLE))
    throw new HttpError('unsupported_type', 'El archivo es de Excel 97-2003 (.xls): guárdelo como libro de Excel (.xlsx) o como CSV y vuelva a subirlo.');
  if (buf.subarray(0, 4).equals(ZIP)) return 'xlsx';
  const what = NOT_SHEETS.find(([sig]) => buf.subarray(0, sig.length).equals(sig))?.[1];
  if (what) throw new HttpError('unsupported_type', `El archivo es ${what}, no una hoja de cálculo: suba un libro de Excel (.xlsx) o un CSV.`);
  if (/\.xls[xm]$/i.test(name))
    throw new HttpError('unsupported_type', `«${name}» no es un libro de Excel válido (su contenido no es el de un .xlsx): ábralo en Excel y guárdelo de nuevo como «Libro de Excel», o súbalo como CSV.`);
  return 'csv';
}

export function openSource(buf: Buffer, name = ''): Source {
  return detectFormat(buf, name) === 'xlsx' ? openXlsx(buf) : openCsv(buf);
}

// ---------------------------------------------------------------- CSV

export function decodeText(buf: Buffer): { text: string; encoding: string } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'UTF-8 con BOM' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: iconv.decode(buf.subarray(2), 'utf16le'), encoding: 'UTF-16' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: iconv.decode(buf.subarray(2), 'utf16be'), encoding: 'UTF-16' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'UTF-8' };
  } catch {
    // Not valid UTF-8: Excel's "CSV (delimitado por comas)" in Spanish Windows writes Windows-1252,
    // a superset of Latin-1's printable characters.
    return { text: iconv.decode(buf, 'win1252'), encoding: 'Windows-1252' };
  }
}

/** The separator that occurs most often outside quotes in the header line. */
export function detectDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 64 * 1024; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  const best = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ',';
}

function openCsv(buf: Buffer): Source {
  const { text, encoding } = decodeText(buf);
  if (text.includes('\u0000')) throw new HttpError('unsupported_type', 'El archivo no es un CSV de texto ni un libro de Excel (.xlsx).');
  const delimiter = detectDelimiter(text);
  // Fed to the parser in small UTF-8 slices so it yields rows as they are consumed (one big chunk would make
  // it parse and hold every row at once). It splits fields on bytes, so a slice may cut a character.
  const utf8 = Buffer.from(text, 'utf8');
  function* slices(): Generator<Buffer> {
    for (let i = 0; i < utf8.length; i += 64 * 1024) yield utf8.subarray(i, i + 64 * 1024);
  }
  async function* rows(): AsyncGenerator<SheetRow> {
    const parser = Readable.from(slices()).pipe(
      parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, info: true }),
    );
    try {
      for await (const rec of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
        yield { row: rec.info.records, cells: rec.record };
      }
    } catch (e) {
      const err = e as { code?: string; lines?: number; message: string };
      if (err.code?.startsWith('CSV_'))
        throw new ImportFileError(err.lines ?? 0, `El CSV está mal formado cerca de la línea ${err.lines ?? '?'}: revise las comillas (un campo que empieza con comillas debe cerrarlas).`);
      throw e;
    }
  }
  return { format: 'csv', encoding, delimiter, date1904: false, rows: rows() };
}

/** A problem with the file itself (not with one value), reported as an error on a row. */
export class ImportFileError extends Error {
  constructor(
    readonly row: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- XLSX

function openXlsx(buf: Buffer): Source {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([buf]), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache', // date-formatted cells come back as dates
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  const src: Source = { format: 'xlsx', date1904: false, rows: (async function* () {})() };
  async function* rows(): AsyncGenerator<SheetRow> {
    let chosen: string | null = null;
    let found = false;
    try {
      for await (const ws of reader as unknown as AsyncIterable<ExcelJS.stream.xlsx.WorksheetReader & { name: string; state?: string }>) {
        const wb = reader as unknown as { model?: { sheets?: { name: string; state?: string }[] }; properties?: { model?: { date1904?: boolean } } };
        if (chosen === null) {
          const sheets = wb.model?.sheets ?? [];
          const datos = sheets.find((s) => foldKey(s.name) === 'datos');
          chosen = datos?.name ?? sheets.find((s) => !s.state || s.state === 'visible')?.name ?? ws.name;
          src.date1904 = wb.properties?.model?.date1904 === true;
        }
        if (ws.name !== chosen) continue;
        found = true;
        src.sheetName = ws.name;
        for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
          const values = row.values as unknown[];
          const cells: Raw[] = [];
          let errors: Map<number, string> | undefined;
          let formulas: Set<number> | undefined;
          for (let i = 1; i < values.length; i++) {
            const v = cellToRaw(values[i]);
            if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
              if ('error' in v) (errors ??= new Map()).set(i - 1, v.error);
              else (formulas ??= new Set()).add(i - 1);
              cells[i - 1] = null;
            } else cells[i - 1] = v;
          }
          for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
          yield { row: row.number, cells, errors, formulas };
        }
        break;
      }
    } catch (e) {
      if (e instanceof ImportFileError || e instanceof HttpError) throw e;
      throw new HttpError('unsupported_type', 'El archivo no es un libro de Excel (.xlsx) válido o está dañado: ábralo en Excel, guárdelo de nuevo como .xlsx o CSV y vuelva a subirlo.');
    }
    if (!found) throw new HttpError('unsupported_type', 'El libro de Excel no tiene hojas con datos.');
  }
  src.rows = rows();
  return src;
}
