// The rules of records: scope, validation, versions, workflow. Routes stay thin; SQL is generic
// over the module definitions (keys are checked against the definitions before reaching SQL).
import { getModule } from '../../modules/index.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { ATTACHMENT_KINDS, isFilled, type FieldDef, type ModuleDef, type Values } from '../../modules/types.js';
import { computeTotals, mainDateOf, normalize, todayMx, validate, type Issue } from '../../modules/validate.js';
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { recordDiff, writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { withoutRowSecurity, type Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors.js';
import { canReadRecords, canValidate, canWriteRecords, dbScope, recordScope, redactRecord } from './scope.js';
import { checkDbRules } from './db-rules.js';

export type RecordOut = Values & { pending: Issue[]; warnings: Issue[] };

const TS_COLS = ['created_at', 'updated_at', 'enviado_at', 'validado_at', 'devuelto_at', 'deleted_at'];
const OUT_META = [
  'id',
  'folio_sintra',
  'institucion_id',
  'ambito',
  'entidad_federativa',
  'municipio',
  'periodo_anio',
  'periodo_trimestre',
  'pn_acciones',
  'estatus',
  'observaciones_validacion',
  'version',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
  'enviado_at',
  'enviado_by',
  'validado_at',
  'validado_by',
  'devuelto_at',
  'devuelto_by',
];

export function moduleOr404(key: string): ModuleDef {
  const m = getModule(key);
  if (!m) throw new HttpError('not_found', `El módulo «${key}» no existe.`);
  return m;
}

export const col = (k: string) => `"${k.replace(/"/g, '')}"`;

/** Lower-case text without accents, for accent-insensitive search. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

export function dataColumns(m: ModuleDef): string[] {
  const cols: string[] = [];
  for (const f of m.fields) {
    cols.push(f.key);
    if (f.otro) cols.push(`${f.key}_otro`);
  }
  return cols;
}

export function selectList(m: ModuleDef, alias = 'r'): string {
  return [...OUT_META, ...dataColumns(m), 'fecha_principal', 'deleted_at', 'deleted_reason'].map((c) => `${alias}.${col(c)}`).join(', ');
}

function toOut(m: ModuleDef, row: Record<string, unknown>): Values {
  const out: Values = {};
  for (const k of [...OUT_META, ...dataColumns(m)]) {
    const v = row[k];
    out[k] = v instanceof Date ? v.toISOString() : v ?? (Array.isArray(v) ? [] : null);
  }
  for (const k of TS_COLS) if (row[k] instanceof Date) out[k] = (row[k] as Date).toISOString();
  return out;
}

export function searchText(m: ModuleDef, v: Values, folio: string): string {
  const parts = [folio];
  for (const f of m.fields) {
    if ((f.type === 'texto' || f.type === 'texto_largo') && typeof v[f.key] === 'string') parts.push(v[f.key] as string);
    if (f.otro && typeof v[`${f.key}_otro`] === 'string') parts.push(v[`${f.key}_otro`] as string);
  }
  return fold(parts.join(' \u0001 '));
}

/** Reserves n consecutive folios of a module for this year (bulk imports); the counter row stays locked until commit. */
export async function reserveFolios(q: Queryable, m: ModuleDef, n: number): Promise<string[]> {
  const year = Number(todayMx().slice(0, 4));
  const rows = await q.query<{ last: number }>(
    `insert into folio_counter (prefix, anio, last) values ($1, $2, $3)
     on conflict (prefix, anio) do update set last = folio_counter.last + $3 returning last`,
    [m.folioPrefix, year, n],
  );
  const first = rows[0].last - n + 1;
  return Array.from({ length: n }, (_, i) => `${m.folioPrefix}-${year}-${String(first + i).padStart(6, '0')}`);
}

export class RecordService {
  constructor(private readonly ctx: Ctx) {}

  /** A transaction under the actor's row-level security scope (defence in depth behind recordScope). */
  private tx<T>(a: Actor, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, dbScope(a));
  }

  private get db() {
    return this.ctx.db;
  }

  /** Validates a body for a module as a given actor: returns clean values and the three issue lists. */
  async check(
    q: Queryable,
    a: Actor,
    m: ModuleDef,
    body: Record<string, unknown>,
    existing: { id: string; institucion_id: string; created_at: string } | null,
    // Imports check uniqueness for a whole batch at once (and against the file's other rows) instead.
    opts: { uniqueness?: boolean } = {},
  ): Promise<{ values: Values; errors: Issue[]; pending: Issue[]; warnings: Issue[]; mainDate: string | null }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('El cuerpo debe ser un objeto JSON con los campos del registro.');
    const { values, errors } = normalize(m, body);
    // Server-set institution: only the Secretaría Técnica may register on behalf of another one.
    const requested = typeof body.institucion_id === 'string' ? body.institucion_id : null;
    let inst = existing?.institucion_id ?? a.institucion_id;
    if (requested && requested !== inst && isSecretariaTecnica(a)) inst = requested;
    values.institucion_id = inst;
    const instItem = this.ctx.catalogs.item('institucion', inst);
    if (!instItem) errors.push({ field: 'institucion_id', message: `«Institución que registra»: la institución «${inst}» no existe.` });
    if (!isFilled(values.ambito)) values.ambito = (instItem?.ambito as string | undefined) ?? a.institucion_ambito;
    errors.push(...computeTotals(m, values));
    const mainDate = mainDateOf(m, values, existing?.created_at ?? new Date().toISOString());
    const r = validate(m, values, { catalogs: this.ctx.catalogs, today: todayMx(), mainDate });
    errors.push(...r.errors, ...(await this.checkReferences(q, m, values, inst, canWriteRecords(a) ? a : undefined)), ...(opts.uniqueness === false ? [] : await this.checkUniqueness(q, m, values, inst, existing?.id ?? null)));
    // The definition's rules over other records (db-rules.ts), in this same transaction.
    const db = await checkDbRules(q, m, values, { inst, id: existing?.id ?? null }, this.ctx.catalogs);
    errors.push(...db.errors);
    return { values, errors: dedupe(errors), pending: dedupe([...r.pending, ...db.pending]), warnings: dedupe([...r.warnings, ...db.warnings]), mainDate };
  }

  /** Attachments and record-reference catalogs need the database. */
  /** `viewer`: who captures; a link is accepted only to what the catalog offers that person. */
  private async checkReferences(q: Queryable, m: ModuleDef, v: Values, inst: string, viewer?: Actor): Promise<Issue[]> {
    const issues: Issue[] = [];
    for (const f of [...METADATA_FIELDS, ...m.fields]) {
      const val = v[f.key];
      if (!isFilled(val)) continue;
      if (f.type === 'archivo') issues.push(...(await this.checkAttachments(q, m, f, val as string[], inst)));
      const cat = f.catalog;
      if (cat && this.ctx.catalogs.isReference(cat)) {
        const ids = Array.isArray(val) ? (val as string[]) : [val as string];
        // Deliberately across institutions (spec §3.7), with referenceItems' own filter: not under RLS.
        const ok = new Set((await withoutRowSecurity(q, () => referenceItems(q, cat, inst, ids, viewer))).map((x) => x.code));
        for (const id of ids) if (!ok.has(id)) issues.push({ field: f.key, message: `«${f.label}»: el registro «${id}» no existe o no puede vincularse.` });
      }
    }
    return issues;
  }

  private async checkAttachments(q: Queryable, m: ModuleDef, f: FieldDef, ids: string[], inst: string): Promise<Issue[]> {
    const rows = await q.query<{ id: string; kind: string; size: number; institucion_id: string }>(
      'select id, kind, size, institucion_id from attachment where id = any($1::uuid[])',
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const kinds = f.files?.kinds ?? ATTACHMENT_KINDS;
    const maxMb = f.files?.maxMb ?? 20;
    const issues: Issue[] = [];
    for (const id of ids) {
      const r = byId.get(id);
      if (!r || r.institucion_id !== inst) issues.push({ field: f.key, message: `«${f.label}»: el archivo «${id}» no existe o no pertenece a la institución.` });
      else if (!(kinds as readonly string[]).includes(r.kind))
        issues.push({ field: f.key, message: `«${f.label}» solo admite archivos ${kinds.map((k) => k.toUpperCase()).join(', ')}; se adjuntó ${r.kind.toUpperCase()}.` });
      else if (r.size > maxMb * 1024 * 1024) issues.push({ field: f.key, message: `«${f.label}» admite archivos de hasta ${maxMb} MB.` });
    }
    void m;
    return issues;
  }

  private async checkUniqueness(q: Queryable, m: ModuleDef, v: Values, inst: string, id: string | null): Promise<Issue[]> {
    const issues: Issue[] = [];
    for (const set of m.uniquePerInstitution ?? []) {
      if (!set.every((k) => isFilled(v[k]))) continue;
      const params: unknown[] = [inst, id ?? '00000000-0000-0000-0000-000000000000'];
      const conds = set.map((k) => {
        params.push(v[k]);
        return `r.${col(k)} = $${params.length}`;
      });
      const rows = await q.query(
        `select 1 from ${tableName(m.key)} r where r.institucion_id = $1 and r.id <> $2 and r.deleted_at is null and ${conds.join(' and ')} limit 1`,
        params,
      );
      if (rows.length) {
        const labels = set.map((k) => m.fields.find((f) => f.key === k)?.label ?? METADATA_FIELDS.find((f) => f.key === k)?.label ?? k);
        issues.push({ field: set[0], message: `Ya existe un registro de su institución con el mismo valor en: ${labels.map((l) => `«${l}»`).join(', ')}.` });
      }
    }
    return issues;
  }

  private async nextFolio(q: Queryable, m: ModuleDef): Promise<string> {
    const year = Number(todayMx().slice(0, 4));
    const rows = await q.query<{ last: number }>(
      `insert into folio_counter (prefix, anio, last) values ($1, $2, 1)
       on conflict (prefix, anio) do update set last = folio_counter.last + 1 returning last`,
      [m.folioPrefix, year],
    );
    return `${m.folioPrefix}-${year}-${String(rows[0].last).padStart(6, '0')}`;
  }

  async create(a: Actor, moduleKey: string, body: Record<string, unknown>): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite registrar información.');
    return this.tx(a, async (q) => {
      const c = await this.check(q, a, m, body, null);
      if (c.errors.length) throw badRequest(`El registro tiene ${c.errors.length} dato(s) inválido(s).`, c.errors);
      const folio = await this.nextFolio(q, m);
      const cols = ['folio_sintra', 'created_by', 'updated_by', 'fecha_principal', 'search_text'];
      const params: unknown[] = [folio, a.id, a.id, c.mainDate, searchText(m, c.values, folio)];
      for (const k of [...METADATA_FIELDS.map((f) => f.key), ...dataColumns(m)]) {
        cols.push(k);
        params.push(c.values[k] ?? null);
      }
      const rows = await q.query<Record<string, unknown>>(
        `insert into ${tableName(m.key)} as r (${cols.map(col).join(', ')}) values (${params.map((_, i) => `$${i + 1}`).join(', ')}) returning ${selectList(m)}`,
        params,
      );
      const out = toOut(m, rows[0]);
      await writeAudit(q, a, { action: 'crear', module: m.key, recordId: out.id as string, detail: { folio, institucion_id: c.values.institucion_id, en_nombre_de: c.values.institucion_id !== a.institucion_id ? c.values.institucion_id : undefined } });
      return { ...out, pending: c.pending, warnings: c.warnings };
    });
  }

  /** Loads one record within the actor's scope, or 404 (never revealing that it exists elsewhere). */
  async load(q: Queryable, a: Actor, m: ModuleDef, id: string, forUpdate = false): Promise<Record<string, unknown>> {
    if (!canReadRecords(a)) throw notFound();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound();
    const scope = recordScope(a, 1, 'records', m.key);
    const rows = await q.query<Record<string, unknown>>(
      `select ${selectList(m)} from ${tableName(m.key)} r where r.id = $1 and r.deleted_at is null and ${scope.sql}${forUpdate ? ' for update' : ''}`,
      [id, ...scope.params],
    );
    if (!rows[0]) throw notFound();
    return rows[0];
  }

  async get(a: Actor, moduleKey: string, id: string): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    return this.tx(a, async (q) => {
      const row = await this.load(q, a, m, id);
      const out = toOut(m, row);
      const v = await this.issuesOf(q, a, m, out);
      if (m.key === 'victimas') await writeAudit(q, a, { action: 'consultar', module: m.key, recordId: id });
      const display = await displayHelpers(q, m, out);
      return redactRecord(a, m, { ...out, ...v, ...display }, (c) => this.ctx.catalogs.item('institucion', c));
    });
  }

  private async issuesOf(q: Queryable, a: Actor, m: ModuleDef, out: Values): Promise<{ pending: Issue[]; warnings: Issue[] }> {
    const c = await this.check(q, a, m, out, { id: out.id as string, institucion_id: out.institucion_id as string, created_at: out.created_at as string });
    return { pending: [...c.errors, ...c.pending], warnings: c.warnings };
  }

  async update(a: Actor, moduleKey: string, id: string, body: Record<string, unknown>): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite modificar registros.');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('El cuerpo debe ser un objeto JSON con los campos del registro.');
    const version = versionOf(body, true)!;
    return this.tx(a, async (q) => {
      const row = await this.load(q, a, m, id, true);
      const current = toOut(m, row);
      if (current.version !== version)
        // With the names of who saved (usuarios), so the two people can talk to each other.
        throw new HttpError('conflict', 'Otra persona guardó este registro antes que usted. Revise los cambios y vuelva a guardar.', undefined, {
          current: { ...current, usuarios: (await displayHelpers(q, m, current)).usuarios },
        });
      if (current.estatus === 'validado') throw new HttpError('invalid_state', 'El registro está validado: para modificarlo, primero debe reabrirse indicando el motivo.');
      const c = await this.check(q, a, m, body, { id, institucion_id: current.institucion_id as string, created_at: current.created_at as string });
      // enviado records must keep satisfying every rule (spec §1.3); drafts and devueltos save as drafts.
      const errors = current.estatus === 'enviado' ? [...c.errors, ...c.pending] : c.errors;
      if (errors.length) throw badRequest(`El registro tiene ${errors.length} dato(s) inválido(s).`, errors);
      const sets: string[] = [];
      const params: unknown[] = [id];
      const push = (k: string, v: unknown) => {
        params.push(v);
        sets.push(`${col(k)} = $${params.length}`);
      };
      for (const k of [...METADATA_FIELDS.map((f) => f.key), ...dataColumns(m)]) push(k, c.values[k] ?? null);
      push('fecha_principal', c.mainDate);
      push('search_text', searchText(m, c.values, current.folio_sintra as string));
      push('updated_by', a.id);
      const rows = await q.query<Record<string, unknown>>(
        `update ${tableName(m.key)} r set ${sets.join(', ')}, updated_at = clock_timestamp(), version = version + 1 where r.id = $1 returning ${selectList(m)}`,
        params,
      );
      const out = toOut(m, rows[0]);
      // Sensitive victim fields are named, never their values (recordDiff).
      const diff = recordDiff(m, current, out, [...METADATA_FIELDS.map((f) => f.key), ...dataColumns(m)]);
      await writeAudit(q, a, { action: 'modificar', module: m.key, recordId: id, detail: diff });
      return { ...out, pending: c.pending, warnings: c.warnings };
    });
  }

  async remove(a: Actor, moduleKey: string, id: string, body: unknown): Promise<void> {
    const m = moduleOr404(moduleKey);
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite eliminar registros.');
    const reason = reasonOf(body, 'reason', 'el motivo de la eliminación');
    // `version` is optional here (the contract's body is { reason }); when sent, a stale one is a 409 like a save.
    const version = versionOf(body, false);
    await this.tx(a, async (q) => {
      const current = toOut(m, await this.load(q, a, m, id, true));
      if (version !== null && current.version !== version)
        throw new HttpError('conflict', 'Otra persona modificó este registro antes que usted. Revíselo antes de eliminarlo.', undefined, { current });
      // Deleting takes a record out of the validated statistics: like a change, it needs the validator's re-opening first.
      if (current.estatus === 'validado')
        throw new HttpError('invalid_state', 'El registro está validado: para eliminarlo, primero quien valida debe reabrirlo indicando el motivo.');
      await q.query(`update ${tableName(m.key)} set deleted_at = clock_timestamp(), deleted_by = $2, deleted_reason = $3, version = version + 1 where id = $1`, [id, a.id, reason]);
      await writeAudit(q, a, { action: 'eliminar', module: m.key, recordId: id, detail: { motivo: reason } });
    });
  }

  /** Undoes a soft deletion (administrador only), with a reason; the record returns to lists and statistics. */
  async restore(a: Actor, moduleKey: string, id: string, body: unknown): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (a.role !== 'administrador') throw forbidden('Solo la administración puede restaurar registros eliminados.');
    const reason = reasonOf(body, 'reason', 'el motivo de la restauración');
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound();
    return this.tx(a, async (q) => {
      const rows = await q.query<Record<string, unknown>>(
        `update ${tableName(m.key)} r set deleted_at = null, deleted_by = null, deleted_reason = null, version = version + 1, updated_by = $2, updated_at = clock_timestamp()
          where r.id = $1 and r.deleted_at is not null returning ${selectList(m)}`,
        [id, a.id],
      );
      if (!rows[0]) throw notFound('No hay un registro eliminado con ese identificador.');
      // A record captured meanwhile may hold the same unique values (e.g. the folio of the person): restoring
      // would make two; the restore is refused and rolled back, naming the field.
      const restored = toOut(m, rows[0]);
      const dup = await this.checkUniqueness(q, m, restored, String(restored.institucion_id), id);
      if (dup.length)
        throw badRequest(
          'No se puede restaurar: otro registro vigente de la institución tiene el mismo valor. Corrija o elimine ese registro primero.',
          dup.map((d) => ({ field: d.field, message: `${d.message} Restaurar este registro lo duplicaría.` })),
        );
      await writeAudit(q, a, { action: 'restaurar', module: m.key, recordId: id, detail: { motivo: reason } });
      return { ...toOut(m, rows[0]), pending: [], warnings: [] };
    });
  }

  async submit(a: Actor, moduleKey: string, id: string): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite enviar registros.');
    return this.tx(a, async (q) => {
      const row = await this.load(q, a, m, id, true);
      const cur = toOut(m, row);
      if (cur.estatus !== 'borrador' && cur.estatus !== 'devuelto')
        throw new HttpError('invalid_state', `Solo se envían registros en borrador o devueltos; este está «${String(cur.estatus)}».`);
      const c = await this.check(q, a, m, cur, { id, institucion_id: cur.institucion_id as string, created_at: cur.created_at as string });
      const errors = [...c.errors, ...c.pending];
      if (errors.length) throw badRequest(`No se puede enviar: hay ${errors.length} pendiente(s).`, errors);
      return this.transition(q, a, m, cur, 'enviado', { enviado_at: 'now', enviado_by: a.id }, 'enviar', {}, c.warnings);
    });
  }

  async validateRecord(a: Actor, moduleKey: string, id: string): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (!canValidate(a)) throw forbidden('Su rol no permite validar registros.');
    return this.tx(a, async (q) => {
      const cur = toOut(m, await this.load(q, a, m, id, true));
      this.checkValidatorReach(a, cur);
      if (cur.estatus !== 'enviado') throw new HttpError('invalid_state', `Solo se validan registros enviados; este está «${String(cur.estatus)}».`);
      const c = await this.check(q, a, m, cur, { id, institucion_id: cur.institucion_id as string, created_at: cur.created_at as string });
      const errors = [...c.errors, ...c.pending];
      if (errors.length) throw badRequest(`No se puede validar: hay ${errors.length} pendiente(s).`, errors);
      return this.transition(q, a, m, cur, 'validado', { validado_at: 'now', validado_by: a.id }, 'validar', {}, c.warnings);
    });
  }

  async returnRecord(a: Actor, moduleKey: string, id: string, body: unknown): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    if (!canValidate(a)) throw forbidden('Su rol no permite devolver registros.');
    const comment = reasonOf(body, 'comment', 'las observaciones para la institución');
    return this.tx(a, async (q) => {
      const cur = toOut(m, await this.load(q, a, m, id, true));
      this.checkValidatorReach(a, cur);
      if (cur.estatus !== 'enviado') throw new HttpError('invalid_state', `Solo se devuelven registros enviados; este está «${String(cur.estatus)}».`);
      return this.transition(q, a, m, cur, 'devuelto', { devuelto_at: 'now', devuelto_by: a.id, observaciones_validacion: comment }, 'devolver', { observaciones: comment });
    });
  }

  async reopen(a: Actor, moduleKey: string, id: string, body: unknown): Promise<RecordOut> {
    const m = moduleOr404(moduleKey);
    // Re-opening takes figures out of the validated statistics: the validator decides, not the capturing institution.
    if (!canValidate(a)) throw forbidden('Solo quien valida puede reabrir un registro validado; pídaselo indicando qué debe corregirse.');
    const reason = reasonOf(body, 'reason', 'el motivo de la reapertura');
    return this.tx(a, async (q) => {
      const cur = toOut(m, await this.load(q, a, m, id, true));
      // What a state validator may not validate it may not re-open either.
      this.checkValidatorReach(a, cur);
      if (cur.estatus !== 'validado') throw new HttpError('invalid_state', `Solo se reabren registros validados; este está «${String(cur.estatus)}».`);
      return this.transition(q, a, m, cur, 'enviado', { validado_at: null, validado_by: null }, 'reabrir', { motivo: reason });
    });
  }

  /** A validador_estatal validates only state and municipal institutions' records (not federal ones). */
  private checkValidatorReach(a: Actor, cur: Values): void {
    if (a.role !== 'validador_estatal') return;
    const inst = this.ctx.catalogs.item('institucion', cur.institucion_id as string);
    if (!inst || inst.ambito === 'FEDERAL') throw forbidden('Los registros de instituciones federales los valida la Secretaría Técnica.');
  }

  private async transition(
    q: Queryable,
    a: Actor,
    m: ModuleDef,
    cur: Values,
    to: string,
    set: Record<string, unknown>,
    action: string,
    detail: Record<string, unknown>,
    warnings: Issue[] = [],
  ): Promise<RecordOut> {
    const params: unknown[] = [cur.id, to, a.id];
    const sets = ['estatus = $2', 'updated_by = $3', 'updated_at = clock_timestamp()', 'version = version + 1'];
    for (const [k, v] of Object.entries(set)) {
      if (v === 'now') sets.push(`${col(k)} = clock_timestamp()`);
      else {
        params.push(v);
        sets.push(`${col(k)} = $${params.length}`);
      }
    }
    const rows = await q.query<Record<string, unknown>>(`update ${tableName(m.key)} r set ${sets.join(', ')} where r.id = $1 returning ${selectList(m)}`, params);
    await writeAudit(q, a, { action, module: m.key, recordId: cur.id as string, detail: { de: cur.estatus, a: to, ...detail } });
    const out = toOut(m, rows[0]);
    // The same shape as get(): the page shows the answer as is (names of who sent/validated, redaction).
    const display = await displayHelpers(q, m, out);
    return redactRecord(a, m, { ...out, pending: [], warnings, ...display }, (c) => this.ctx.catalogs.item('institucion', c));
  }
}

/** The `version` of a body: required (update) or optional (delete, null when absent); 400 naming it when not an integer. */
function versionOf(body: unknown, required: boolean): number | null {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>).version : undefined;
  if (v === undefined || v === null) {
    if (!required) return null;
    throw badRequest('Falta «version»: envíe la versión del registro que está modificando.', [{ field: 'version', message: '«version» es obligatorio: la versión del registro que abrió.' }]);
  }
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw badRequest('«version» debe ser un número entero.', [{ field: 'version', message: `«version» debe ser un número entero (recibido: ${JSON.stringify(v).slice(0, 40)}).` }]);
  return v;
}

function reasonOf(body: unknown, key: string, what: string): string {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
  if (typeof v !== 'string' || v.trim() === '')
    throw badRequest(`Indique ${what} (campo «${key}»).`, [{ field: key, message: `«${key}» es obligatorio: indique ${what}.` }]);
  if (v.trim().length < 3)
    throw badRequest(`«${key}» es demasiado breve.`, [{ field: key, message: `«${key}» debe tener al menos 3 caracteres: indique ${what}.` }]);
  if (v.length > 2000) throw badRequest(`«${key}» admite a lo más 2000 caracteres.`, [{ field: key, message: `«${key}» admite a lo más 2000 caracteres.` }]);
  return v.trim();
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.field}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Items of a record-reference catalog (spec §3.7) visible to an institution; optionally only some ids.
 * `viewer`: the person the list is for (instrumento_ref keeps to that person's record scope).
 */
export async function referenceItems(q: Queryable, cat: string, inst: string | null, ids?: string[], viewer?: Actor): Promise<{ code: string; label: string }[]> {
  const idFilter = ids ? ' and r.id = any($2::uuid[])' : '';
  const okIds = ids?.filter((x) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(x));
  if (ids && !okIds?.length) return [];
  const p: unknown[] = [inst];
  if (ids) p.push(okIds);
  if (cat === 'operativo_ref') {
    return q.query(
      `select r.id::text as code, r.folio_sintra || ' — ' || to_char(r.fecha_inicio, 'DD/MM/YYYY') || coalesce(' — ' || r.municipio, '') as label
         from m_operativos_rescate r
        where r.deleted_at is null and ($1::text is null or r.institucion_id = $1 or r.institucion_coordinadora = $1 or $1 = any(r.instituciones_participantes))${idFilter}
        order by r.fecha_inicio desc nulls last`,
      p,
    );
  }
  if (cat === 'material_ref') {
    return q.query(
      `select r.id::text as code, coalesce(r.titulo, r.folio_sintra) || ' — ' || r.institucion_id as label
         from m_materiales_difusion r
        where r.deleted_at is null and r.estatus in ('enviado','validado') and ($1::text is null or true)${idFilter}
        order by r.titulo`,
      p,
    );
  }
  if (cat === 'instrumento_ref') {
    // Spec: any institution's instrument may contain a care model (a state's model under a national protocol),
    // so sent and validated instruments of every institution are offered, like materials; the viewer's own
    // are offered in any status. Another institution's borrador or devuelto is not yet its word: never listed.
    const own = inst ?? viewer?.institucion_id ?? null;
    return q.query(
      `select r.id::text as code, coalesce(r.nombre_instrumento, r.folio_sintra) || ' — ' || r.institucion_id as label
         from m_instrumentos r
        where r.deleted_at is null and 'ATENCION' = any(r.ejes) and ($1::text is null or true)${idFilter}
          and (r.institucion_id = $${p.length + 1} or r.estatus in ('enviado', 'validado'))
        order by r.nombre_instrumento`,
      [...p, own],
    );
  }
  return [];
}

/** Names of the users behind the *_by ids and details of the attached files, for the record page. */
async function displayHelpers(q: Queryable, m: ModuleDef, out: Values): Promise<{ usuarios: Record<string, string>; adjuntos: Record<string, { name: string; size: number; type: string }> }> {
  const userIds = [...new Set(['created_by', 'updated_by', 'enviado_by', 'validado_by', 'devuelto_by'].map((k) => out[k]).filter((x): x is string => typeof x === 'string'))];
  const usuarios: Record<string, string> = {};
  if (userIds.length)
    for (const u of await q.query<{ id: string; username: string; nombre: string | null }>('select id, username, nombre from app_user where id = any($1::uuid[])', [userIds]))
      usuarios[u.id] = u.nombre ? `${u.nombre} (${u.username})` : u.username;
  const fileIds = m.fields.filter((f) => f.type === 'archivo').flatMap((f) => (Array.isArray(out[f.key]) ? (out[f.key] as string[]) : []));
  const adjuntos: Record<string, { name: string; size: number; type: string }> = {};
  if (fileIds.length)
    for (const f of await q.query<{ id: string; name: string; size: number; type: string }>('select id, name, size, type from attachment where id = any($1::uuid[])', [fileIds]))
      adjuntos[f.id] = { name: f.name, size: f.size, type: f.type };
  return { usuarios, adjuntos };
}
