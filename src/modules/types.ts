// Module definitions are the single source of truth: tables, Zod schemas, forms, lists,
// statistics dimensions and import/export columns are all derived from them.
// This file has no runtime dependencies so the web client imports it too.

/** The spec's field types (spec §1.1). A closed union: every per-type table must be exhaustive. */
export const FIELD_TYPES = [
  'texto',
  'texto_largo',
  'entero',
  'decimal',
  'fecha',
  'booleano',
  'catalogo',
  'catalogo_multiple',
  'entidad',
  'municipio',
  'pais',
  'archivo',
  'url',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export type Scalar = string | number | boolean;

/**
 * A condition over the record's values, used for conditional requirement and for rules.
 * Metadata keys (e.g. `ambito`) may be referenced too.
 */
export type Cond =
  | { field: string; in: readonly Scalar[] }
  | { field: string; notIn: readonly Scalar[] }
  | { field: string; eq: Scalar }
  | { field: string; ne: Scalar }
  | { field: string; gt: number }
  | { field: string; contains: string } // multi-choice contains the code
  | { field: string; containsAny: readonly string[] }
  | { field: string; filled: boolean } // has a value (non-empty array for multi)
  | { all: readonly Cond[] }
  | { any: readonly Cond[] }
  | { not: Cond };

export type Values = Record<string, unknown>;

export interface FileRule {
  /** Maximum number of files (spec default 5). */
  maxFiles?: number;
  /** Allowed kinds, from ATTACHMENT_KINDS. Default: the spec's default list. */
  kinds?: readonly AttachmentKind[];
  /** Size limit per file in MB (spec default 20). */
  maxMb?: number;
}

export const ATTACHMENT_KINDS = ['pdf', 'docx', 'xlsx', 'jpg', 'png', 'mp3', 'mp4'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface FieldDef {
  /** Spec key, snake_case; spelled the same in column, API, form and export. */
  key: string;
  /** Spanish label, as the spec gives it (etiqueta). */
  label: string;
  type: FieldType;
  /**
   * Catalog name in lowercase (spec §3, e.g. `modalidad_explotacion`). Required for
   * catalogo and catalogo_multiple; implied `entidad` / `municipio` / `pais` for those types
   * (may be omitted there). Record-reference catalogs: `operativo_ref`, `material_ref`, `instrumento_ref`.
   */
  catalog?: string;
  /** true, false, or a condition under which the field is required ("condicional"). */
  required: boolean | Cond;
  /** Key of the form section (see ModuleDef.sections). */
  section: string;
  /** Short Spanish help shown under the input: the spec's rule in plain words. */
  help?: string;

  // ---- checked at every save (types, formats, ranges, lengths, codes, privacy) ----
  /** Numbers: inclusive range. Default for entero/decimal: min 0. */
  min?: number;
  max?: number;
  /** decimal: allowed step (e.g. 0.5). */
  step?: number;
  /** texto / texto_largo: maximum length (default 300 / 2000). */
  maxLength?: number;
  /** Regular expression the value must match (source string, anchored by the author). */
  pattern?: { regex: string; message: string };
  /** Regular expressions the value must NOT match (privacy rules, e.g. CURP). */
  forbidPatterns?: readonly { regex: string; message: string }[];
  /** Catalog codes this field never accepts (e.g. `NO_DETERMINADA`, `99`, `XXA`). */
  denyCodes?: readonly string[];
  /** For entidad/municipio/pais fields: accept the special codes (`99`, `xx999`, `XXX`, `XXA`). */
  allowCodes?: readonly string[];
  /** Codes that cannot be combined with others in a multi-choice (excluyente). */
  exclusive?: readonly string[];
  /** municipio fields: key of the paired entidad field whose state the municipio must belong to. */
  stateField?: string;
  /** archivo fields. */
  files?: FileRule;
  /** Accepts a `<key>_otro` companion (≤ 120 chars) when the value is/contains an "Otro" code. */
  otro?: boolean;

  // ---- checked at sending (and every save of an enviado/validado record) ----
  /** texto / texto_largo: minimum length. */
  minLength?: number;
  /** fecha: not after today (America/Mexico_City). */
  notAfterToday?: boolean;
  /** fecha: must be ≥ this other date field (date order). */
  notBefore?: string;
  /** numbers: must be ≤ this other numeric field ("de ellas"). */
  notAbove?: string;
  /** numbers: computed total = sum of these fields; stored, read-only in the form. */
  sumOf?: readonly string[];
  /**
   * Computed from other fields whenever `value` gives one (e.g. the age group from the recorded age):
   * the server fills it when it comes empty, the form sets it and shows it read-only. When `value`
   * gives undefined (age unknown) the field is captured as usual.
   */
  derive?: { from: readonly string[]; value: (v: Values) => string | number | undefined };
  /** The value is only allowed when the condition holds (else it must be empty). */
  onlyIf?: Cond;

  /** Sensitivity of module-9 fields (spec column sens.): P personal, S sensible. */
  sensitivity?: 'P' | 'S';
}

export type RuleLevel = 'error' | 'advertencia';

/** A cross-field rule: `check` returns true when the record is fine. Runs at sending. */
export interface CrossRule {
  /** Field the message is attached to (the spec key). */
  field: string;
  /** Spanish message naming the field and the rule. */
  message: string;
  level?: RuleLevel; // default 'error'
  /** Only evaluated when the condition holds (all referenced values present, etc.). */
  when?: Cond;
  check: (v: Values) => boolean;
}

/** One part of a key over a record: a field's value, or the calendar year of a date field. */
export type DbKeyPart = string | { year: string };

interface DbRuleBase {
  /** Field the message is attached to (the spec key). */
  field: string;
  /** Spanish message naming the field and the rule; the engine appends the particulars (dates, folios, counts). */
  message: string;
  /** 'advertencia': shown, never blocking. 'error': see each kind. */
  level: RuleLevel;
  /** Only evaluated when the condition holds. */
  when?: Cond;
}

/**
 * Rules of the spec that need other records. Evaluated only on the server (src/server/records/db-rules.ts),
 * inside the transaction of the save, over records that are not deleted. A closed union: the engine handles
 * every kind exhaustively. Where an 'error' lands: `unique` at every save (uniqueness rules hold at every
 * save); the others, like the cross-field rules, block sending (pending).
 */
export type DbRule =
  | (DbRuleBase & {
      /** No other record of the same institution has the same key (text compared ignoring case). */
      kind: 'unique';
      key: readonly DbKeyPart[];
    })
  | (DbRuleBase & {
      /** `date` of this record is not before `refDate` of the record named by the reference field `ref`. */
      kind: 'reference-date-order';
      ref: string;
      date: string;
      refModule: string;
      refDate: string;
    })
  | (DbRuleBase & {
      /**
       * The records of this module of the same institution that name one referenced record in `ref` (this one
       * included) are at most the number `max` of that record (per institution: two institutions may attend one person).
       */
      kind: 'reference-count';
      ref: string;
      refModule: string;
      max: string;
    })
  | (DbRuleBase & {
      /**
       * The number `field` does not differ by more than `tolerance` (a fraction) from the count of records of
       * `otherModule` of the same institution, in `statuses`, whose main date falls in this record's reported quarter.
       */
      kind: 'aggregate-comparison';
      otherModule: string;
      period: 'trimestre';
      statuses: readonly Estatus[];
      tolerance: number;
    })
  | (DbRuleBase & {
      /** Other records of the same institution with the same key agree on `fields`. */
      kind: 'consistent';
      key: readonly DbKeyPart[];
      fields: readonly string[];
    })
  | (DbRuleBase & {
      /** A text listing counterparts (split by `separator`) does not name only the registering institution (code, acronym or name). */
      kind: 'not-only-own-institution';
      separator: string;
    });

export type DbRuleKind = DbRule['kind'];

export type ModuleGroup = 'coordinacion' | 'prevencion' | 'atencion';

export const MODULE_GROUPS: Record<ModuleGroup, string> = {
  coordinacion: 'Coordinación / Colaboración',
  prevencion: 'Prevención',
  atencion: 'Atención a Víctimas',
};

export interface SectionDef {
  key: string;
  label: string;
}

export interface ModuleDef {
  key: string;
  /** Module number in the spec (1–12). */
  number: number;
  name: string;
  group: ModuleGroup;
  folioPrefix: string;
  /** One-line Spanish description (what one record is). */
  description: string;
  /**
   * The module's main date for the period (spec "Main date"): a fecha field key,
   * `created_at`, or `fin_trimestre` (end of the reported quarter).
   */
  mainDate: string;
  /** For mainDate fields that may be empty (instrumentos): fallback `created_at`. */
  sections: readonly SectionDef[];
  fields: readonly FieldDef[];
  /** Columns shown in the module's list, besides folio and estatus. */
  listColumns: readonly string[];
  /** Cross-field rules of the spec that are not expressed by field properties. */
  rules?: readonly CrossRule[];
  /** Rules of the spec that need other records (unique within a scope, reference checks, comparisons). */
  dbRules?: readonly DbRule[];
  /** Sets of fields unique per institution (e.g. [['folio_persona']]). */
  uniquePerInstitution?: readonly (readonly string[])[];
  /** Extra notes shown above the form (e.g. convenios vs colaboración internacional). */
  formNote?: string;
  /** Allowed `ambito` values where the module restricts them; default all. */
  /**
   * A complete valid record body for POST (metadata included) satisfying every rule,
   * except required archivo fields which need uploaded files (left as []).
   */
  example: Values;
}

/** Metadata keys a client may send (spec §1.2); the server sets the rest. */
export const CLIENT_METADATA = [
  'institucion_id',
  'ambito',
  'entidad_federativa',
  'municipio',
  'periodo_anio',
  'periodo_trimestre',
  'pn_acciones',
] as const;

/** Metadata keys the server sets; sent back by a client they are ignored. */
export const SERVER_METADATA = [
  'id',
  'folio_sintra',
  'estatus',
  'version',
  'observaciones_validacion',
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
  'deleted_at',
  'deleted_by',
  'deleted_reason',
  'pending',
  'warnings',
  // Display helpers in GET answers: user names for the *_by ids and attachment details.
  'usuarios',
  'adjuntos',
] as const;

export const ESTATUS = ['borrador', 'enviado', 'validado', 'devuelto'] as const;
export type Estatus = (typeof ESTATUS)[number];

export function fieldCatalog(f: FieldDef): string | undefined {
  if (f.catalog) return f.catalog;
  if (f.type === 'entidad') return 'entidad';
  if (f.type === 'municipio') return 'municipio';
  if (f.type === 'pais') return 'pais';
  return undefined;
}

export function isMulti(f: FieldDef): boolean {
  return f.type === 'catalogo_multiple' || f.type === 'archivo';
}

/** Evaluates a condition over values. Missing values never satisfy in/eq/gt/contains. */
export function evalCond(c: Cond, v: Values): boolean {
  if ('all' in c) return c.all.every((x) => evalCond(x, v));
  if ('any' in c) return c.any.some((x) => evalCond(x, v));
  if ('not' in c) return !evalCond(c.not, v);
  const val = v[c.field];
  if ('filled' in c) return isFilled(val) === c.filled;
  if ('in' in c) return val !== null && val !== undefined && (c.in as readonly unknown[]).includes(val);
  if ('notIn' in c) return val !== null && val !== undefined && !(c.notIn as readonly unknown[]).includes(val);
  if ('eq' in c) return val === c.eq;
  if ('ne' in c) return val !== null && val !== undefined && val !== c.ne;
  if ('gt' in c) return typeof val === 'number' && val > c.gt;
  if ('contains' in c) return Array.isArray(val) && val.includes(c.contains);
  if ('containsAny' in c) return Array.isArray(val) && val.some((x) => c.containsAny.includes(x));
  return false;
}

export function isFilled(val: unknown): boolean {
  if (val === null || val === undefined) return false;
  if (typeof val === 'string') return val.trim() !== '';
  if (Array.isArray(val)) return val.length > 0;
  return true;
}
