// All-or-nothing imports: every row is read, then checked by RecordService.check (the form's rules);
// rows are written in batches inside one transaction while no error has appeared, and any error rolls
// the whole file back. The answer lists every error as { row, field, column, message }.
import crypto from 'node:crypto';
import { isFilled, type FieldDef, type FieldType, type ModuleDef, type Values } from '../../modules/types.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import type { Issue } from '../../modules/validate.js';
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { withoutRowSecurity, type Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { HttpError, forbidden } from '../http/errors.js';
import { canWriteRecords, dbScope } from '../records/scope.js';
import { RecordService, col, referenceItems, reserveFolios, searchText } from '../records/service.js';
import { CatalogResolver } from './catalog-index.js';
import {
  dateToIso,
  isBlank,
  parseBoolean,
  parseDateText,
  parseNumberText,
  rawToText,
  serialToIso,
  splitMulti,
  columnLetter,
  type Raw,
} from './cells.js';
import { headerMatcher, type HeaderMatch, type SheetColumn } from './columns.js';
import { ImportFileError, openSource, type SheetRow, type Source } from './read.js';

export interface ImportIssue {
  /** Row as the spreadsheet shows it; 1 is the header row. */
  row: number;
  /** Field key (`<key>_otro` for an "Otro" specification); null for a problem with the row or the file. */
  field: string | null;
  /** The column's header as written in the file; null when the field has no column in the file. */
  column: string | null;
  message: string;
}

/** An issue with the 0-based column it points at (for marking the cell in the error report). */
export interface LocatedIssue extends ImportIssue {
  columnIndex: number | null;
}

/** The contract's shape of an issue. */
export function publicIssue(i: LocatedIssue): ImportIssue {
  return { row: i.row, field: i.field, column: i.column, message: i.message };
}

export interface ImportOptions {
  fileName: string;
  /** Save the rows as `enviado` (every rule of sending must hold) instead of `borrador`. */
  enviar: boolean;
  /** Check only: nothing is written (used by the error report). */
  dryRun?: boolean;
  /** Most errors listed in the answer (all are counted). */
  maxErrors?: number;
}

export interface ImportResult {
  imported: number;
  rows: number;
  errors: LocatedIssue[];
  totalErrors: number;
  format: Source['format'];
  encoding?: string;
  delimiter?: string;
  sheetName?: string;
  /** Folio range of the saved records. */
  folios?: { desde: string; hasta: string };
  /** enviar=1: rows saved as sent, and rows saved as drafts only because they need attachments. */
  enviados?: number;
  borradores?: number;
  /**
   * Rows saved as drafts with something still blocking their sending (at most 1,000), each with its
   * pending list as the records API answers `pending`: with enviar=1 the required files; as drafts, every rule
   * of sending (so a person learns at once what is still missing or inconsistent).
   */
  pendientes?: ImportPending[];
  /** How many saved rows have something pending (all counted, even beyond the list). */
  conPendientes?: number;
}

/** A row saved as `borrador` with what still blocks sending it. */
export interface ImportPending {
  row: number;
  folio: string;
  pending: { field: string; column: string | null; message: string }[];
}

/** What the saved rows became: all drafts, all sent, or «mixto» (with enviar=1 some stayed drafts: they need a file). */
export function importStatus(enviar: boolean, imported: number, drafts: number): 'borrador' | 'enviado' | 'mixto' {
  return !enviar || drafts === imported ? 'borrador' : drafts > 0 ? 'mixto' : 'enviado';
}

/** Most data rows in one file: beyond this, split the file (keeps one transaction reasonable). */
export const MAX_ROWS = 200_000;
const BATCH = 500;
/** Rows listed in `pendientes` (all are counted in `conPendientes`): a 100,000-row draft import answers in kilobytes. */
const MAX_PENDING_LISTED = 1000;

interface Binding {
  index: number;
  written: string;
  match: HeaderMatch | undefined;
}

interface Checked {
  row: number;
  values: Values;
  mainDate: string | null;
  /** Saved as `enviado` (enviar=1 and nothing pending). */
  send: boolean;
  /** enviar=1, held back as a draft: the required archivo fields, which a file cannot carry. */
  needsFiles: FieldDef[];
  /** Saved as a draft (no enviar): what blocks sending it. */
  pending: Issue[];
}

class Rollback extends Error {}

const REFERENCE_TABLE: Record<string, string> = {
  operativo_ref: 'operativos_rescate',
  material_ref: 'materiales_difusion',
  instrumento_ref: 'instrumentos',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const q = (f: FieldDef) => `«${f.label}»`;
const shown = (v: Raw): string => (v instanceof Date ? dateToIso(v) ?? String(v) : String(v));

export class ImportService {
  private readonly records: RecordService;
  constructor(private readonly ctx: Ctx) {
    this.records = new RecordService(ctx);
  }

  /**
   * A file refused as a whole (type, size, content) is audited like a refused import, in a transaction of its
   * own: the import's transaction has rolled back by then, and must not take the entry with it.
   */
  async auditRefusal(a: Actor, m: ModuleDef, e: { archivo: string; buf?: Buffer; error: HttpError; motivo: 'tipo' | 'tamano' | 'vacio' }): Promise<void> {
    const { motivo } = e;
    const sha256 = e.buf ? crypto.createHash('sha256').update(e.buf).digest('hex') : undefined;
    await this.ctx.db.tx((tx) =>
      writeAudit(tx, a, { action: 'importar', module: m.key, detail: { archivo: e.archivo, ...(sha256 ? { sha256 } : {}), resultado: 'rechazado', motivo, mensaje: e.error.detail } }),
    );
  }

  async run(a: Actor, m: ModuleDef, buf: Buffer, opts: ImportOptions): Promise<ImportResult> {
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite importar registros.');
    try {
      return await this.runFile(a, m, buf, opts);
    } catch (e) {
      // Also when only the error report was asked for: the upload itself was refused.
      const motivo = !(e instanceof HttpError) ? null : e.code === 'unsupported_type' ? 'tipo' : e.code === 'payload_too_large' ? 'tamano' : buf.length === 0 ? 'vacio' : null;
      if (motivo) await this.auditRefusal(a, m, { archivo: opts.fileName, buf, error: e as HttpError, motivo });
      throw e;
    }
  }

  private async runFile(a: Actor, m: ModuleDef, buf: Buffer, opts: ImportOptions): Promise<ImportResult> {
    const src = openSource(buf, opts.fileName);
    const run = new ImportRun(this.ctx, this.records, a, m, src, opts);
    const sha256 = crypto.createHash('sha256').update(buf).digest('hex');
    try {
      // Under the actor's row-level security scope: rows of another institution cannot be written or read.
      await this.ctx.db.tx(async (tx) => {
        await run.consume(tx);
        if (run.totalErrors > 0 || opts.dryRun) throw new Rollback();
        await writeAudit(tx, a, {
          action: 'importar',
          module: m.key,
          detail: {
            archivo: opts.fileName,
            sha256,
            filas: run.imported,
            resultado: 'importado',
            estatus: importStatus(!!opts.enviar, run.imported, run.heldBack),
            ...(run.heldBack ? { enviados: run.imported - run.heldBack, borradores: run.heldBack } : {}),
            folios: run.folios(),
            formato: src.format,
            ...(src.encoding ? { codificacion: src.encoding, separador: src.delimiter } : {}),
          },
        });
      }, dbScope(a));
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    const failed = run.totalErrors > 0;
    // A bulk load leaves the planner's statistics stale (PGlite runs no autovacuum): refresh them so lists
    // and exports keep their index plans.
    if (!failed && !opts.dryRun && run.imported >= 1000) await this.ctx.db.query(`analyze ${tableName(m.key)}`).catch(() => undefined);
    if (failed && !opts.dryRun) {
      // The refused attempt is recorded too (name and digest of the file, never its content).
      await this.ctx.db.tx((tx) =>
        writeAudit(tx, a, { action: 'importar', module: m.key, detail: { archivo: opts.fileName, sha256, filas: run.rows, resultado: 'rechazado', errores: run.totalErrors } }),
      );
    }
    return {
      imported: failed || opts.dryRun ? 0 : run.imported,
      rows: run.rows,
      errors: run.errors,
      totalErrors: run.totalErrors,
      format: src.format,
      encoding: src.encoding,
      delimiter: src.delimiter,
      sheetName: src.sheetName,
      ...(failed || opts.dryRun ? {} : { folios: run.folios() }),
      ...(opts.enviar && !failed && !opts.dryRun ? { enviados: run.imported - run.heldBack, borradores: run.heldBack } : {}),
      ...(!failed && !opts.dryRun ? { pendientes: run.pendientes, conPendientes: run.withPending } : {}),
    };
  }
}

/** One pass over one file. */
class ImportRun {
  readonly errors: LocatedIssue[] = [];
  totalErrors = 0;
  rows = 0;
  imported = 0;
  /** enviar=1: rows saved as drafts because they need attachments. */
  heldBack = 0;
  /** Saved rows with something pending (enviar=1: the held-back ones; drafts: any rule of sending). */
  withPending = 0;
  readonly pendientes: ImportPending[] = [];
  private bindings: Binding[] | null = null;
  private ordered: Binding[] = [];
  private headerRow = 1;
  private readonly byField = new Map<string, { written: string; index: number }>();
  private readonly resolver: CatalogResolver;
  private batch: Checked[] = [];
  private readonly insertedIds = new Set<string>();
  private readonly seenUnique = new Map<string, number>();
  private readonly refCache = new Map<string, string | null>();
  private firstFolio: string | null = null;
  private lastFolio: string | null = null;
  private readonly maxErrors: number;

  constructor(
    private readonly ctx: Ctx,
    private readonly records: RecordService,
    private readonly a: Actor,
    private readonly m: ModuleDef,
    private readonly src: Source,
    private readonly opts: ImportOptions,
  ) {
    this.resolver = new CatalogResolver(ctx.catalogs);
    this.maxErrors = opts.maxErrors ?? 10_000;
  }

  folios() {
    return this.firstFolio && this.lastFolio ? { desde: this.firstFolio, hasta: this.lastFolio } : undefined;
  }

  private add(e: LocatedIssue): void {
    this.totalErrors++;
    if (this.errors.length < this.maxErrors) this.errors.push(e);
  }

  async consume(tx: Queryable): Promise<void> {
    try {
      for await (const r of this.src.rows) {
        if (r.cells.every(isBlank) && !r.errors?.size && !r.formulas?.size) continue;
        if (!this.bindings) {
          this.readHeader(r);
          continue;
        }
        this.rows++;
        if (this.rows > MAX_ROWS)
          throw new HttpError('payload_too_large', `El archivo tiene más de ${MAX_ROWS.toLocaleString('es-MX')} filas de datos: divídalo en varios archivos.`);
        await this.readRow(tx, r);
        if (this.batch.length >= BATCH) await this.flush(tx);
      }
    } catch (e) {
      if (!(e instanceof ImportFileError)) throw e;
      this.add({ row: e.row, field: null, column: null, columnIndex: null, message: e.message });
      return;
    }
    if (!this.bindings) {
      this.add({ row: 1, field: null, column: null, columnIndex: null, message: 'El archivo no tiene datos: la primera fila debe llevar los encabezados (claves o nombres de los campos) y las siguientes, un registro cada una.' });
      return;
    }
    if (this.rows === 0) this.add({ row: this.headerRow + 1, field: null, column: null, columnIndex: null, message: 'El archivo solo tiene encabezados: no hay registros que importar.' });
    await this.flush(tx);
  }

  private readHeader(r: SheetRow): void {
    const match = headerMatcher(this.m);
    this.headerRow = r.row;
    const seen = new Map<string, string>();
    this.bindings = r.cells.map((cell, index) => {
      const written = cell === null ? '' : String(cell instanceof Date ? dateToIso(cell) : cell).trim();
      if (written === '') return { index, written, match: undefined };
      const mt = match(written);
      if (!mt) {
        this.add({
          row: r.row,
          field: null,
          column: written,
          columnIndex: index,
          message: `La columna «${written}» no corresponde a ningún campo de ${this.m.name}: use la clave o el nombre del campo (vea la hoja «Instrucciones» de la plantilla).`,
        });
        return { index, written, match: undefined };
      }
      if (mt.kind === 'column') {
        const prev = seen.get(mt.column.key);
        if (prev !== undefined) {
          this.add({ row: r.row, field: mt.column.key, column: written, columnIndex: index, message: `La columna «${written}» repite el campo «${mt.column.label}», que ya está en la columna «${prev}».` });
          return { index, written, match: undefined };
        }
        seen.set(mt.column.key, written);
        this.byField.set(mt.column.key, { written, index });
      }
      return { index, written, match: mt };
    });
    // Municipios last: a label shared by several municipios is settled with the row's state.
    this.ordered = [...this.bindings].sort((x, y) => Number(isMunicipio(x)) - Number(isMunicipio(y)));
  }

  private issue(row: number, field: string | null, message: string, at?: { written: string; index: number }): void {
    const c = at ?? (field ? this.byField.get(field) : undefined);
    this.add({ row, field, column: c?.written || null, columnIndex: c?.index ?? null, message });
  }

  private async readRow(tx: Queryable, r: SheetRow): Promise<void> {
    const bindings = this.bindings!;
    const body: Record<string, unknown> = {};
    let rowErrors = 0;
    // A value already refused here is not reported again by the service (e.g. as missing).
    const refused = new Set<string>();
    const fail = (field: string | null, message: string, at?: { written: string; index: number }) => {
      rowErrors++;
      if (field) refused.add(field);
      this.issue(r.row, field, message, at);
    };
    for (let i = bindings.length; i < r.cells.length; i++) {
      if (!isBlank(r.cells[i]) || r.errors?.has(i) || r.formulas?.has(i)) fail(null, `La celda ${columnLetter(i)}${r.row} tiene datos pero su columna no tiene encabezado.`, { written: '', index: i });
    }
    for (const b of this.ordered) {
      const raw = r.cells[b.index] ?? null;
      const excelError = r.errors?.get(b.index);
      const noResult = r.formulas?.has(b.index) === true;
      if (!b.match) {
        if (b.written === '' && (!isBlank(raw) || excelError || noResult))
          fail(null, `La celda ${columnLetter(b.index)}${r.row} tiene datos pero su columna no tiene encabezado.`, { written: '', index: b.index });
        continue;
      }
      if (b.match.kind === 'ignore') continue;
      if (b.match.kind === 'archivo') {
        // An export writes the number of files here (a number in XLSX, digits in CSV): ignored, so it imports again.
        if (!isBlank(raw) && typeof raw !== 'number' && !/^\s*\d+\s*$/.test(String(raw)))
          fail(b.match.field.key, `${q(b.match.field)}: los archivos se adjuntan desde el formulario del registro; deje vacía esta columna.`, b);
        continue;
      }
      const c = b.match.column;
      if (excelError || noResult) {
        // Never read as empty: the person meant a value that the file does not hold.
        fail(
          c.key,
          excelError
            ? `${q(c.field)}: la celda contiene un error de Excel (${excelError}); escriba el valor.`
            : `${q(c.field)}: la celda contiene una fórmula sin valor calculado; guarde el archivo en Excel o escriba el valor.`,
        );
        body[c.key] = c.field.type === 'catalogo_multiple' && !c.otro ? [] : null;
        continue;
      }
      const v = await this.coerce(tx, c, raw, body);
      if (v.ok) body[c.key] = v.value;
      else {
        fail(c.key, v.message);
        body[c.key] = c.field.type === 'catalogo_multiple' && !c.otro ? [] : null;
      }
    }
    // Only the Secretaría Técnica registers on behalf of another institution; the form ignores the key,
    // but in a file it would silently re-assign rows, so it is refused.
    const inst = body.institucion_id;
    if (typeof inst === 'string' && inst !== this.a.institucion_id && !isSecretariaTecnica(this.a)) {
      fail('institucion_id', `«Institución que registra»: solo la Secretaría Técnica registra a nombre de otra institución; deje la columna vacía o escriba ${this.a.institucion_id}.`);
      body.institucion_id = null;
    }
    if (body.institucion_id === null) delete body.institucion_id;

    const c = await this.records.check(tx, this.a, this.m, body, null, { uniqueness: false });
    // A required file can never come in a spreadsheet: with enviar=1 such a row is saved as a draft (reported
    // with what is pending) instead of refusing the file; anything else pending still stops it.
    const needsFiles = this.opts.enviar
      ? this.m.fields.filter((f) => f.type === 'archivo' && !isFilled(c.values[f.key]) && c.pending.some((i) => i.field === f.key))
      : [];
    const issues = this.opts.enviar ? [...c.errors, ...c.pending.filter((i) => !needsFiles.some((f) => f.key === i.field))] : c.errors;
    const before = new Set(refused);
    for (const i of issues) if (!before.has(i.field)) fail(i.field, i.message);
    if (rowErrors === 0) rowErrors += this.uniqueInFile(r.row, c.values);
    if (rowErrors === 0)
      this.batch.push({ row: r.row, values: c.values, mainDate: c.mainDate, send: this.opts.enviar && !needsFiles.length, needsFiles, pending: this.opts.enviar ? [] : c.pending });
  }

  /** Duplicates among the file's own rows (the database is checked per batch). */
  private uniqueInFile(row: number, v: Values): number {
    let n = 0;
    (this.m.uniquePerInstitution ?? []).forEach((set, si) => {
      if (!set.every((k) => isFilled(v[k]))) return;
      const key = `${si}\u0000${String(v.institucion_id)}\u0000${JSON.stringify(set.map((k) => v[k]))}`;
      const first = this.seenUnique.get(key);
      if (first !== undefined) {
        n++;
        this.issue(row, set[0], `Repite la fila ${first}: dos registros de la misma institución no pueden tener el mismo valor en ${labelsOf(this.m, set)}.`);
      } else this.seenUnique.set(key, row);
    });
    return n;
  }

  private async flush(tx: Queryable): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    if (!batch.length) return;
    const clashes = await this.uniqueInDb(tx, batch);
    for (const [row, field, message] of clashes) this.issue(row, field, message);
    if (this.totalErrors > 0 || this.opts.dryRun) return;
    await this.insert(tx, batch);
  }

  /** Uniqueness against records already stored (not the ones this import wrote: those were checked in memory). */
  private async uniqueInDb(tx: Queryable, batch: Checked[]): Promise<[number, string, string][]> {
    const out: [number, string, string][] = [];
    for (const set of this.m.uniquePerInstitution ?? []) {
      const rows = batch.filter((b) => set.every((k) => isFilled(b.values[k])));
      if (!rows.length) continue;
      const insts = [...new Set(rows.map((b) => String(b.values.institucion_id)))];
      const firsts = [...new Set(rows.map((b) => b.values[set[0]]))];
      const found = await tx.query<Record<string, unknown>>(
        `select r.id::text as _id, r.institucion_id, ${set.map((k) => `r.${col(k)}`).join(', ')} from ${tableName(this.m.key)} r
          where r.deleted_at is null and r.institucion_id = any($1::text[]) and r.${col(set[0])}::text = any($2::text[])`,
        [insts, firsts.map(String)],
      );
      const existing = new Set(
        found.filter((f) => !this.insertedIds.has(String(f._id))).map((f) => `${String(f.institucion_id)}\u0000${JSON.stringify(set.map((k) => f[k]))}`),
      );
      for (const b of rows) {
        if (existing.has(`${String(b.values.institucion_id)}\u0000${JSON.stringify(set.map((k) => b.values[k]))}`))
          out.push([b.row, set[0], `Ya existe un registro de su institución con el mismo valor en: ${labelsOf(this.m, set)}.`]);
      }
    }
    return out;
  }

  /**
   * One INSERT per batch from column arrays (`select … from unnest($1::text[], $2::int[], …)`): a parameter per
   * column instead of one per cell, which parses and plans far faster than a VALUES list of thousands of cells.
   */
  private async insert(tx: Queryable, batch: Checked[]): Promise<void> {
    const m = this.m;
    const folios = await reserveFolios(tx, m, batch.length);
    this.firstFolio ??= folios[0];
    this.lastFolio = folios[folios.length - 1];
    const enviar = this.opts.enviar;
    batch.forEach((b, i) => {
      if (b.needsFiles.length) this.heldBack++;
      if (!b.needsFiles.length && !b.pending.length) return;
      this.withPending++;
      if (this.pendientes.length >= Math.min(this.maxErrors, MAX_PENDING_LISTED)) return;
      const files = b.needsFiles.map((f) => ({
        field: f.key,
        column: null,
        message: `${q(f)}: el registro se guardó como borrador porque necesita este archivo adjunto, que se sube en la página del registro (folio ${folios[i]}); después envíelo desde ahí.`,
      }));
      const rules = b.pending.map((p) => ({ field: p.field, column: this.byField.get(p.field)?.written || null, message: p.message }));
      this.pendientes.push({ row: b.row, folio: folios[i], pending: [...files, ...rules] });
    });
    const cols: { name: string; type: string; values: unknown[] }[] = [];
    const add = (name: string, type: string, get: (b: Checked, i: number) => unknown) =>
      cols.push({ name, type, values: batch.map((b, i) => (type === 'text[]' ? pgArrayLiteral(get(b, i)) : get(b, i) ?? null)) });
    add('folio_sintra', 'text', (_, i) => folios[i]);
    add('created_by', 'uuid', () => this.a.id);
    add('updated_by', 'uuid', () => this.a.id);
    add('fecha_principal', 'date', (b) => b.mainDate);
    add('search_text', 'text', (b, i) => searchText(m, b.values, folios[i]));
    add('estatus', 'text', (b) => (b.send ? 'enviado' : 'borrador'));
    if (enviar) add('enviado_by', 'uuid', (b) => (b.send ? this.a.id : null));
    for (const f of [...METADATA_FIELDS, ...m.fields]) {
      add(f.key, SQL_TYPE[f.type], (b) => b.values[f.key]);
      if (f.otro) add(`${f.key}_otro`, 'text', (b) => b.values[`${f.key}_otro`]);
    }
    const alias = (i: number) => `c${i}`;
    const sentAt = `, case when ${alias(cols.findIndex((c) => c.name === 'estatus'))} = 'enviado' then clock_timestamp() end`;
    const rows = await tx.query<{ id: string }>(
      `insert into ${tableName(m.key)} (${cols.map((c) => col(c.name)).join(', ')}${enviar ? ', "enviado_at"' : ''})
       select ${cols.map((c, i) => (c.type === 'text[]' ? `${alias(i)}::text[]` : alias(i))).join(', ')}${enviar ? sentAt : ''}
         from unnest(${cols.map((c, i) => `$${i + 1}::${c.type === 'text[]' ? 'text' : c.type}[]`).join(', ')}) as u(${cols.map((_, i) => alias(i)).join(', ')})
       returning id::text as id`,
      cols.map((c) => c.values),
    );
    if (m.uniquePerInstitution?.length) for (const r of rows) this.insertedIds.add(r.id);
    this.imported += rows.length;
  }

  // ------------------------------------------------------------ one cell → the API's value

  private async coerce(
    tx: Queryable,
    c: SheetColumn,
    raw: Raw,
    body: Record<string, unknown>,
  ): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
    const f = c.field;
    if (c.otro) return ok(rawToText(raw));
    if (isBlank(raw)) return ok(f.type === 'catalogo_multiple' ? [] : null);
    switch (f.type) {
      case 'texto':
      case 'texto_largo':
      case 'url':
        return ok(rawToText(raw));
      case 'entero':
      case 'decimal': {
        const n = this.number(f, raw);
        return 'message' in n ? bad(n.message) : ok(n.value);
      }
      case 'fecha': {
        const d =
          raw instanceof Date ? dateToIso(raw) : typeof raw === 'number' ? serialToIso(raw, this.src.date1904) : typeof raw === 'string' ? parseDateText(raw, this.src.date1904) : null;
        return d ? ok(d) : bad(`${q(f)}: «${shown(raw)}» no es una fecha válida; use dd/mm/aaaa (por ejemplo 31/12/2024) o aaaa-mm-dd.`);
      }
      case 'booleano': {
        const b = parseBoolean(raw);
        return b === undefined ? bad(`${q(f)}: escriba Sí o No (se leyó «${shown(raw)}»).`) : ok(b);
      }
      case 'catalogo':
      case 'entidad':
      case 'municipio':
      case 'pais': {
        const r = await this.code(tx, f, rawToText(raw) ?? '', body);
        return 'message' in r ? bad(r.message) : ok(r.code);
      }
      case 'catalogo_multiple': {
        const text = rawToText(raw) ?? '';
        const codes: string[] = [];
        for (const part of splitMulti(text)) {
          const r = await this.code(tx, f, part, body);
          if ('message' in r) return bad(r.message + (text.includes(',') && !text.includes(';') ? ' Separe varias opciones con «;» o «|».' : ''));
          codes.push(r.code);
        }
        return ok(codes);
      }
      case 'archivo':
        return bad(`${q(f)}: los archivos se adjuntan desde el formulario del registro.`);
    }
  }

  private number(f: FieldDef, raw: Raw): { value: number } | { message: string } {
    if (typeof raw === 'number') {
      if (f.type === 'entero' && !Number.isInteger(raw)) return { message: `${q(f)}: ${raw} no es un número entero.` };
      return { value: raw };
    }
    if (typeof raw !== 'string') return { message: `${q(f)}: «${shown(raw)}» no es un número.` };
    const r = parseNumberText(raw);
    if (r.kind === 'invalid')
      return { message: `${q(f)}: no se entiende el número «${raw.trim()}»; escriba solo cifras, con punto o coma decimal (por ejemplo 1234.5 o 1234,5).` };
    if (r.kind === 'ambiguous') {
      if (f.type === 'entero') return { value: r.grouped };
      const s = raw.trim();
      return {
        message: `${q(f)}: «${s}» es ambiguo: puede ser ${r.grouped} (con separador de miles) o ${s.replace(',', '.')} (con decimales). Escriba ${r.grouped} sin separador, o use a lo más dos decimales.`,
      };
    }
    if (f.type === 'entero' && !Number.isInteger(r.value)) return { message: `${q(f)}: «${raw.trim()}» no es un número entero.` };
    return { value: r.value };
  }

  private async code(tx: Queryable, f: FieldDef, written: string, body: Record<string, unknown>): Promise<{ code: string } | { message: string }> {
    const cat = f.catalog ?? (f.type === 'entidad' || f.type === 'municipio' || f.type === 'pais' ? f.type : undefined);
    if (!cat) return { message: `${q(f)} no tiene catálogo.` };
    if (this.ctx.catalogs.isReference(cat)) return this.reference(tx, f, cat, written);
    const parent = f.type === 'municipio' && f.stateField ? (body[f.stateField] as string | null | undefined) : undefined;
    const r = this.resolver.resolve(cat, written, parent);
    if (r.ok) return { code: r.code };
    if (r.reason === 'ambiguous')
      return { message: `${q(f)}: «${written}» corresponde a varias opciones del catálogo (${r.options!.join(', ')}); escriba la clave.` };
    return { message: `${q(f)}: «${written}» no está en el catálogo «${this.resolver.title(cat)}»; escriba la clave o la etiqueta tal como aparecen en la hoja del catálogo de la plantilla.` };
  }

  /** Record references are written as the record's folio (or its id); whether it may be linked is checked by the service. */
  private async reference(tx: Queryable, f: FieldDef, cat: string, written: string): Promise<{ code: string } | { message: string }> {
    const s = written.trim();
    if (UUID.test(s)) return { code: s.toLowerCase() };
    const key = `${cat}\u0000${s.toUpperCase()}`;
    if (!this.refCache.has(key)) {
      const table = REFERENCE_TABLE[cat];
      const rows = table
        ? await withoutRowSecurity(tx, () =>
            tx.query<{ id: string }>(`select id::text as id from ${tableName(table)} where folio_sintra = $1 and deleted_at is null`, [s.toUpperCase()]),
          )
        : [];
      // A folio the catalog would not offer the uploader reads as unknown: its id must not reach the answer.
      const offered = rows[0]
        ? await withoutRowSecurity(tx, () => referenceItems(tx, cat, isSecretariaTecnica(this.a) ? null : this.a.institucion_id, [rows[0].id], this.a))
        : [];
      this.refCache.set(key, offered[0]?.code ?? null);
    }
    const id = this.refCache.get(key);
    return id ? { code: id } : { message: `${q(f)}: no hay un registro con el folio «${s}» que pueda vincularse.` };
  }
}

/** Column type per field type for the bulk insert: exhaustive, so a new type does not compile until it has one. */
const SQL_TYPE: { [T in FieldType]: string } = {
  texto: 'text',
  texto_largo: 'text',
  url: 'text',
  entero: 'int',
  decimal: 'numeric',
  fecha: 'date',
  booleano: 'boolean',
  catalogo: 'text',
  entidad: 'text',
  municipio: 'text',
  pais: 'text',
  catalogo_multiple: 'text[]',
  archivo: 'text[]',
};

/** A PostgreSQL array literal ({"a","b"}), so a list travels as one element of a text[] parameter. */
export function pgArrayLiteral(v: unknown): string {
  const list = Array.isArray(v) ? v : [];
  return `{${list.map((x) => `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const ok = (value: unknown) => ({ ok: true as const, value });
const bad = (message: string) => ({ ok: false as const, message });

function isMunicipio(b: Binding): boolean {
  return b.match?.kind === 'column' && !b.match.column.otro && b.match.column.field.type === 'municipio';
}

function labelsOf(m: ModuleDef, keys: readonly string[]): string {
  return keys.map((k) => `«${[...METADATA_FIELDS, ...m.fields].find((f) => f.key === k)?.label ?? k}»`).join(', ');
}
