// Record-level exports of a module list, streamed: rows are read in keyset batches (newest first, like the
// list) and written as they come — CSV in UTF-8 with BOM, or XLSX through exceljs' streaming
// WorkbookWriter with typed cells — so a million rows keep memory flat. Same filters and same scope as
// the list; victims never leave in a record-level file.
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fieldCatalog, type FieldDef, type FieldType, type ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { withoutRowSecurity, type Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { HttpError, badRequest, forbidden } from '../http/errors.js';
import { buildFilters, first, type Query } from '../records/filters.js';
import { canReadRecords, dbScope, recordScope, redactRecord } from '../records/scope.js';
import { col, moduleOr404 } from '../records/service.js';
import { EXPORT_META, EXPORT_TAIL, archivoLabel, exportFieldColumns } from '../imports/columns.js';
import { EXPORT_FORMATS, canExport, canSeeField, type ExportFormat } from './permissions.js';
import { cleanText, csvField } from './sanitize.js';

/** Rows read per query. */
export const EXPORT_BATCH = 2000;

export const VICTIMAS_EXPORT_MESSAGE =
  'Los registros de víctimas no salen de SINTRA en archivos por registro (confidencialidad de las víctimas, Ley General art. 88 fr. IV). ' +
  'Sus exportaciones son los tabulados agregados de Estadísticas, con el control de celdas pequeñas: por ejemplo /api/v1/stats/victimas?rows=entidad_federativa&cols=sexo&format=xlsx.';

type Kind = 'text' | 'number' | 'integer' | 'date' | 'datetime' | 'boolean';
type Prim = string | number | boolean | null;

interface OutColumn {
  key: string;
  header: string;
  kind: Kind;
  get: (row: Record<string, unknown>, refs: Map<string, string>) => Prim;
}

const ESTATUS_LABEL: Record<string, string> = { borrador: 'Borrador', enviado: 'Enviado', validado: 'Validado', devuelto: 'Devuelto' };

/** Cell kind per field type: exhaustive, so a new type does not compile until it has an export format. */
const KIND: { [T in FieldType]: Kind } = {
  texto: 'text',
  texto_largo: 'text',
  url: 'text',
  entero: 'integer',
  decimal: 'number',
  fecha: 'date',
  booleano: 'boolean',
  catalogo: 'text',
  catalogo_multiple: 'text',
  entidad: 'text',
  municipio: 'text',
  pais: 'text',
  archivo: 'integer',
};

// Mexico City's offset, looked up once per hour of UTC time (Intl is slow; offsets change at most hourly).
const MX_PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Mexico_City',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const offsetByHour = new Map<number, number>();
function mxOffsetMs(t: number): number {
  const hour = Math.floor(t / 3_600_000);
  let off = offsetByHour.get(hour);
  if (off === undefined) {
    const p = Object.fromEntries(MX_PARTS.formatToParts(new Date(hour * 3_600_000)).map((x) => [x.type, x.value]));
    off = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - hour * 3_600_000;
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, off);
  }
  return off;
}

/** A stored time as Mexico City's wall clock, "YYYY-MM-DD HH:MM:SS". */
export function mxLocal(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const t = v instanceof Date ? v.getTime() : Date.parse(String(v));
  if (Number.isNaN(t)) return null;
  return new Date(t + mxOffsetMs(t)).toISOString().replace('T', ' ').slice(0, 19);
}

export function exportColumns(ctx: Ctx, m: ModuleDef, a: Actor, codes: boolean): OutColumn[] {
  const label = (cat: string, code: string) => (codes ? code : ctx.catalogs.label(cat, code));
  const cols: OutColumn[] = [];
  for (const c of EXPORT_META)
    cols.push({
      key: c.key,
      header: c.label,
      kind: 'text',
      get: (r) => (r[c.key] === null || r[c.key] === undefined ? null : c.kind === 'estatus' && !codes ? ESTATUS_LABEL[String(r[c.key])] ?? String(r[c.key]) : String(r[c.key])),
    });
  for (const c of exportFieldColumns(m)) {
    const f = c.field;
    if (!canSeeField(a, f)) continue;
    if (c.otro) {
      cols.push({ key: c.key, header: c.label, kind: 'text', get: (r) => text(r[c.key]) });
      continue;
    }
    cols.push({ key: c.key, header: f.type === 'archivo' ? archivoLabel(f) : c.label, kind: KIND[f.type], get: fieldGetter(f, label, codes) });
  }
  for (const c of EXPORT_TAIL)
    cols.push({ key: c.key, header: c.label, kind: c.kind === 'timestamp' ? 'datetime' : 'text', get: (r) => (c.kind === 'timestamp' ? mxLocal(r[c.key]) : text(r[c.key])) });
  return cols;
}

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = cleanText(String(v));
  return s === '' ? null : s;
}

function fieldGetter(f: FieldDef, label: (cat: string, code: string) => string, codes: boolean): OutColumn['get'] {
  const cat = fieldCatalog(f);
  const ref = cat?.endsWith('_ref') ?? false;
  const one = (code: string, refs: Map<string, string>) => (ref ? refs.get(code) ?? code : cat ? label(cat, code) : code);
  switch (f.type) {
    case 'texto':
    case 'texto_largo':
    case 'url':
      return (r) => text(r[f.key]);
    case 'entero':
    case 'decimal':
      return (r) => (typeof r[f.key] === 'number' ? (r[f.key] as number) : r[f.key] === null || r[f.key] === undefined ? null : Number(r[f.key]));
    case 'fecha':
      return (r) => (r[f.key] ? String(r[f.key]).slice(0, 10) : null);
    case 'booleano':
      return (r) => (typeof r[f.key] === 'boolean' ? (r[f.key] as boolean) : null);
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return (r, refs) => (r[f.key] ? text(one(String(r[f.key]), refs)) : null);
    case 'catalogo_multiple':
      return (r, refs) => {
        const v = r[f.key];
        return Array.isArray(v) && v.length ? text(v.map((x) => one(String(x), refs)).join(codes ? ';' : '; ')) : null;
      };
    case 'archivo':
      return (r) => (Array.isArray(r[f.key]) ? (r[f.key] as unknown[]).length : 0);
  }
}

const REF_TABLE: Record<string, string> = { operativo_ref: 'operativos_rescate', material_ref: 'materiales_difusion', instrumento_ref: 'instrumentos' };

export interface ExportFile {
  stream: Readable;
  filename: string;
  contentType: string;
  rows: number;
}

export async function exportRecords(ctx: Ctx, a: Actor, moduleKey: string, query: Query): Promise<ExportFile> {
  const m = moduleOr404(moduleKey);
  if (m.key === 'victimas') throw forbidden(VICTIMAS_EXPORT_MESSAGE);
  const format = (first(query.format) ?? 'csv') as ExportFormat;
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw badRequest('«format» debe ser csv o xlsx.', [{ field: 'format', message: 'Use csv o xlsx.' }]);
  if (!canReadRecords(a) || !canExport(a, format))
    throw new HttpError('forbidden', `Su rol no permite exportar registros en ${format.toUpperCase()}; las estadísticas agregadas se descargan desde Estadísticas.`);
  const valores = first(query.valores) ?? 'etiquetas';
  if (valores !== 'etiquetas' && valores !== 'claves')
    throw badRequest('«valores» debe ser etiquetas o claves.', [{ field: 'valores', message: 'Use etiquetas o claves.' }]);

  const params: unknown[] = [];
  const scope = recordScope(a, 0, 'records', m.key);
  params.push(...scope.params);
  const conds = ['r.deleted_at is null', scope.sql, ...buildFilters(m, query, params, { allowEstatus: true })];
  const table = tableName(m.key);
  // Reads go to the read replica when there is one (DATABASE_READ_URL); the audit entry to the primary.
  // Every read runs in a transaction under the actor's row-level security scope, behind recordScope's filter.
  const scoped = <T>(fn: (q: Queryable) => Promise<T>) => ctx.readDb.tx(fn, dbScope(a));
  // The count (for the audit entry and a header) is a number under recordScope's own filter; run outside the
  // scoped transaction, it costs one index scan instead of the row policy's function on every row.
  const rows = (await ctx.readDb.query<{ n: number }>(`select count(*)::int as n from ${table} r where ${conds.join(' and ')}`, params))[0].n;
  const filtros = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'format'));
  await ctx.db.tx((q) => writeAudit(q, a, { action: 'exportar', module: m.key, detail: { tipo: 'registros', format, filtros, filas: rows } }));

  const columns = exportColumns(ctx, m, a, valores === 'claves');
  // Each row travels as a few JSON arrays instead of one protocol field per column: decoding dozens of
  // fields per row in the driver (PGlite above all) cost more than everything else in an export.
  const keys = [...new Set(columns.map((c) => c.key))];
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += 90) chunks.push(keys.slice(i, i + 90)); // json_build_array takes ≤ 100 arguments
  const packed = chunks.map((ks, i) => `json_build_array(${ks.map((k) => `r.${col(k)}`).join(', ')})::text as _j${i}`).join(', ');
  const unpack = (raw: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { _seq: raw._seq };
    chunks.forEach((ks, i) => {
      const vals = JSON.parse(String(raw[`_j${i}`])) as unknown[];
      for (let j = 0; j < ks.length; j++) out[ks[j]] = vals[j];
    });
    return out;
  };
  const refFields = m.fields.filter((f) => canSeeField(a, f) && fieldCatalog(f)?.endsWith('_ref'));

  // Keyset batches on seq, newest first; the first batch fixes the upper bound so rows added meanwhile stay out.
  async function* batches(): AsyncGenerator<{ rows: Record<string, unknown>[]; refs: Map<string, string> }> {
    let last: number | null = null;
    for (;;) {
      const p = [...params];
      const c = [...conds];
      if (last !== null) {
        p.push(last);
        c.push(`r.seq < $${p.length}`);
      }
      p.push(EXPORT_BATCH);
      const refs = new Map<string, string>();
      const got = await scoped(async (q) => {
        const raw = await q.query<Record<string, unknown>>(`select r.seq as _seq, ${packed} from ${table} r where ${c.join(' and ')} order by r.seq desc limit $${p.length}`, p);
        const out = raw.map((x) => redactRecord(a, m, unpack(x), (code) => ctx.catalogs.item('institucion', code)));
        // A linked record is shown by its folio, which whoever may link it may see (spec §3.7).
        for (const f of refFields) {
          const ids = [...new Set(out.flatMap((r) => (Array.isArray(r[f.key]) ? (r[f.key] as string[]) : r[f.key] ? [String(r[f.key])] : [])))];
          const t = REF_TABLE[fieldCatalog(f)!];
          if (!ids.length || !t) continue;
          const found = await withoutRowSecurity(q, () => q.query<{ id: string; folio: string }>(`select id::text as id, folio_sintra as folio from ${tableName(t)} where id = any($1::uuid[])`, [ids]));
          for (const x of found) refs.set(x.id, x.folio);
        }
        return out;
      });
      if (!got.length) return;
      yield { rows: got, refs };
      if (got.length < EXPORT_BATCH) return;
      last = Number(got[got.length - 1]._seq);
    }
  }

  const stamp = new Date(Date.now() + mxOffsetMs(Date.now())).toISOString().slice(0, 10);
  const filename = `sintra-${m.key}-${stamp}.${format}`;
  if (format === 'csv') {
    const stream = Readable.from(csvChunks(columns, batches()));
    return { stream, filename, contentType: 'text/csv; charset=utf-8', rows };
  }
  return { stream: xlsxStream(m, columns, batches()), filename, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', rows };
}

function csvValue(kind: Kind, v: Prim): string {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'Sí' : 'No';
  if (typeof v === 'number') return String(v);
  return kind === 'text' ? csvField(v) : v;
}

async function* csvChunks(columns: OutColumn[], src: AsyncIterable<{ rows: Record<string, unknown>[]; refs: Map<string, string> }>): AsyncGenerator<string> {
  yield `\uFEFF${columns.map((c) => csvField(cleanText(c.header))).join(',')}\r\n`;
  for await (const b of src) {
    let chunk = '';
    for (const r of b.rows) chunk += `${columns.map((c) => csvValue(c.kind, c.get(r, b.refs))).join(',')}\r\n`;
    yield chunk;
  }
}

const NUMFMT: Record<Kind, string | undefined> = {
  text: '@',
  number: '0.00',
  integer: '0',
  date: 'dd/mm/yyyy',
  datetime: 'dd/mm/yyyy hh:mm:ss',
  boolean: undefined,
};

function xlsxValue(kind: Kind, v: Prim): ExcelJS.CellValue {
  if (v === null) return null;
  // Dates are calendar days: written as UTC midnight (and wall-clock times as UTC), never shifted.
  if (kind === 'date' && typeof v === 'string') return new Date(`${v}T00:00:00Z`);
  if (kind === 'datetime' && typeof v === 'string') return new Date(`${v.replace(' ', 'T')}Z`);
  return v;
}

/** A writable stream of Node's or of the readable-stream package (which exceljs and archiver use). */
type AnyWritable = NodeJS.EventEmitter & { writableNeedDrain?: boolean; _writableState?: { needDrain?: boolean } };
const needsDrain = (w: AnyWritable) => w.writableNeedDrain ?? w._writableState?.needDrain ?? false;

/** The streams a streaming worksheet writes into (exceljs 4.4: WorksheetWriter.stream is a StreamBuf with pipes). */
function sheetPipes(ws: ExcelJS.Worksheet): AnyWritable[] {
  const pipes = (ws as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  return Array.isArray(pipes) ? (pipes.filter((p) => p && typeof (p as AnyWritable).once === 'function') as AnyWritable[]) : [];
}

function xlsxStream(m: ModuleDef, columns: OutColumn[], src: AsyncIterable<{ rows: Record<string, unknown>[]; refs: Map<string, string> }>): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'SINTRA';
  const ws = wb.addWorksheet(m.name.slice(0, 31).replace(/[[\]:*?/\\]/g, '-'), { views: [{ state: 'frozen', ySplit: 1 }] });
  // One style object per column, shared by all its cells: exceljs caches a style by object identity, and
  // rendering a fresh style for every cell was most of the cost of writing a large sheet.
  const styles: Partial<ExcelJS.Style>[] = columns.map((c) => (NUMFMT[c.kind] ? { numFmt: NUMFMT[c.kind] } : {}));
  ws.columns = columns.map((c, i) => ({
    key: c.key,
    width: c.kind === 'text' ? Math.min(50, Math.max(14, c.header.length)) : c.kind === 'datetime' ? 20 : 14,
    style: styles[i],
  }));
  const head = ws.getRow(1);
  columns.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.numFmt = '@';
  });
  head.commit();
  let next = 2;
  (async () => {
    for await (const b of src) {
      for (const r of b.rows) {
        const row = ws.getRow(next++);
        for (let j = 0; j < columns.length; j++) {
          const v = xlsxValue(columns[j].kind, columns[j].get(r, b.refs));
          if (v === null) continue;
          const cell = row.getCell(j + 1);
          cell.value = v;
          cell.style = styles[j];
        }
        row.commit();
      }
      // Back-pressure: wait while the reader is behind, so rows never pile up in memory. exceljs hands each
      // sheet's XML to the zip without heeding back-pressure, so the first stream after it is watched too.
      for (const w of [...sheetPipes(ws), out as AnyWritable]) {
        if (!needsDrain(w) || out.destroyed) continue;
        const stop = new AbortController(); // the losing listener is removed, not left behind
        await Promise.race([once(w, 'drain', { signal: stop.signal }), once(out, 'close', { signal: stop.signal })]).catch(() => undefined);
        stop.abort();
      }
      if (out.destroyed) return; // the client went away
    }
    ws.commit();
    await wb.commit();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}
