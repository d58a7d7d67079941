// One validator for server and form: the same definitions, the same messages (Spanish, naming the field).
// No runtime dependencies: the web client imports this file.
import type { CatalogItem } from '../catalogs/types.js';
import { METADATA_FIELDS } from './metadata.js';
import {
  SERVER_METADATA,
  evalCond,
  fieldCatalog,
  isFilled,
  type Cond,
  type FieldDef,
  type FieldType,
  type ModuleDef,
  type Values,
} from './types.js';

export interface Issue {
  field: string;
  message: string;
}

export interface CatalogLookup {
  /** The item, whatever its validity; undefined when the code is not in the catalog. */
  item(catalog: string, code: string): CatalogItem | undefined;
  /** Whether the catalog is a list of records (validated against the database by the server). */
  isReference(catalog: string): boolean;
}

export interface ValidationResult {
  /** Wrong types, formats, ranges, lengths, unknown codes, privacy rules: refused at every save. */
  errors: Issue[];
  /** What blocks sending: required and conditional fields, minimum lengths, dates, cross-field rules. */
  pending: Issue[];
  /** Advertencias: shown, never blocking. */
  warnings: Issue[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const HTML = /<\s*[a-z!/?][^>]*>/i;
// Bidirectional embedding, override and isolate controls: invisible, they make text read differently from what is stored
// (e.g. a file name or folio shown backwards in a spreadsheet).
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isValidDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  // Year 0000 exists for JavaScript, not for PostgreSQL.
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s && !s.startsWith('0000');
}

/** Today's calendar date in Mexico City (the spec's "hoy"). */
// Built once: constructing an Intl.DateTimeFormat costs ~0.2 ms, which dominated bulk imports.
const MX_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' });

export function todayMx(now: Date = new Date()): string {
  return MX_DAY.format(now);
}

const q = (f: FieldDef) => `«${f.label}»`;

export function defaultMaxLength(f: FieldDef): number | undefined {
  if (f.maxLength !== undefined) return f.maxLength;
  if (f.type === 'texto') return 300;
  if (f.type === 'texto_largo') return 2000;
  if (f.type === 'url') return 500;
  return undefined;
}

/** Human description of a condition, for messages ("cuando «Modalidad» es Presencial o Mixta"). */
export function describeCond(c: Cond, fields: readonly FieldDef[], cat: CatalogLookup): string {
  const label = (k: string) => {
    const f = fields.find((x) => x.key === k);
    return f ? q(f) : `«${k}»`;
  };
  const val = (k: string, v: unknown) => {
    if (typeof v === 'boolean') return v ? 'Sí' : 'No';
    const f = fields.find((x) => x.key === k);
    const c2 = f && fieldCatalog(f);
    if (c2 && typeof v === 'string') return cat.item(c2, v)?.label ?? v;
    return String(v);
  };
  const list = (k: string, vs: readonly unknown[]) => {
    const parts = vs.map((v) => val(k, v));
    return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} o ${parts[parts.length - 1]}` : parts.join('');
  };
  if ('all' in c) return c.all.map((x) => describeCond(x, fields, cat)).join(' y ');
  if ('any' in c) return c.any.map((x) => describeCond(x, fields, cat)).join(' o ');
  if ('not' in c) return `no (${describeCond(c.not, fields, cat)})`;
  if ('in' in c) return `${label(c.field)} es ${list(c.field, c.in)}`;
  if ('notIn' in c) return `${label(c.field)} no es ${list(c.field, c.notIn)}`;
  if ('eq' in c) return `${label(c.field)} es ${val(c.field, c.eq)}`;
  if ('ne' in c) return `${label(c.field)} no es ${val(c.field, c.ne)}`;
  if ('gt' in c) return `${label(c.field)} es mayor que ${c.gt}`;
  if ('contains' in c) return `${label(c.field)} incluye ${val(c.field, c.contains)}`;
  if ('containsAny' in c) return `${label(c.field)} incluye alguno de: ${list(c.field, c.containsAny)}`;
  if ('filled' in c) return `${label(c.field)} ${c.filled ? 'tiene valor' : 'está vacío'}`;
  return '';
}

/** All fields a record body may carry: metadata the client sends, the module's fields, and `_otro` companions. */
export function allFields(m: ModuleDef): FieldDef[] {
  return [...METADATA_FIELDS, ...m.fields];
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

/** Type check and normalisation per field type: exhaustive. Empty is null (multi: []). */
const PARSE: { [T in FieldType]: (f: FieldDef, v: unknown) => Parsed } = {
  texto: (f, v) => parseText(f, v),
  texto_largo: (f, v) => parseText(f, v),
  url: (f, v) => {
    const r = parseText(f, v);
    if (!r.ok || r.value === null) return r;
    const s = r.value as string;
    if (!/^https:\/\/[^\s/$.?#].[^\s]*$/i.test(s)) return { ok: false, message: `${q(f)} debe ser una dirección que empiece con https://.` };
    return r;
  },
  entero: (f, v) => {
    if (v === null || v === undefined || v === '') return { ok: true, value: null };
    if (typeof v !== 'number' || !Number.isInteger(v)) return { ok: false, message: `${q(f)} debe ser un número entero.` };
    // The column is a 4-byte integer: beyond it the database would fail (a 500) instead of saying why.
    if (Math.abs(v) > 2147483647) return { ok: false, message: `${q(f)} es demasiado grande.` };
    return { ok: true, value: v };
  },
  decimal: (f, v) => {
    if (v === null || v === undefined || v === '') return { ok: true, value: null };
    if (typeof v !== 'number' || !Number.isFinite(v)) return { ok: false, message: `${q(f)} debe ser un número.` };
    if (Math.round(v * 100) !== Math.round(v * 100 * 1e6) / 1e6) return { ok: false, message: `${q(f)} admite a lo más dos decimales.` };
    if (Math.abs(v) >= 100000) return { ok: false, message: `${q(f)} es demasiado grande.` };
    return { ok: true, value: v };
  },
  fecha: (f, v) => {
    if (v === null || v === undefined || v === '') return { ok: true, value: null };
    if (typeof v !== 'string' || !isValidDate(v)) return { ok: false, message: `${q(f)} debe ser una fecha válida (AAAA-MM-DD).` };
    return { ok: true, value: v };
  },
  booleano: (f, v) => {
    if (v === null || v === undefined) return { ok: true, value: null };
    if (typeof v !== 'boolean') return { ok: false, message: `${q(f)} debe ser sí o no (true/false).` };
    return { ok: true, value: v };
  },
  catalogo: (f, v) => parseCode(f, v),
  entidad: (f, v) => parseCode(f, v),
  municipio: (f, v) => parseCode(f, v),
  pais: (f, v) => parseCode(f, v),
  catalogo_multiple: (f, v) => parseCodes(f, v),
  archivo: (f, v) => {
    if (v === null || v === undefined) return { ok: true, value: [] };
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !UUID.test(x)))
      return { ok: false, message: `${q(f)} debe ser una lista de archivos adjuntos (identificadores).` };
    return { ok: true, value: [...new Set(v as string[])] };
  },
};

function parseText(f: FieldDef, v: unknown): Parsed {
  if (v === null || v === undefined) return { ok: true, value: null };
  if (typeof v !== 'string') return { ok: false, message: `${q(f)} debe ser texto.` };
  const s = v.trim();
  if (s === '') return { ok: true, value: null };
  if (HTML.test(s)) return { ok: false, message: `${q(f)} no admite etiquetas HTML.` };
  if (BIDI.test(s))
    return { ok: false, message: `${q(f)} contiene caracteres invisibles que invierten la dirección del texto (U+202A–U+202E, U+2066–U+2069) y pueden disfrazarlo; bórrelos o vuelva a escribir el texto.` };
  return { ok: true, value: s };
}

function parseCode(f: FieldDef, v: unknown): Parsed {
  if (v === null || v === undefined || v === '') return { ok: true, value: null };
  if (typeof v !== 'string') return { ok: false, message: `${q(f)} debe ser una clave del catálogo (texto), por ejemplo "09".` };
  return { ok: true, value: v.trim() };
}

function parseCodes(f: FieldDef, v: unknown): Parsed {
  if (v === null || v === undefined) return { ok: true, value: [] };
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    return { ok: false, message: `${q(f)} debe ser una lista de claves del catálogo.` };
  return { ok: true, value: [...new Set((v as string[]).map((x) => x.trim()))] };
}

export interface NormalizeResult {
  values: Values;
  errors: Issue[];
}

/**
 * Turns a request body into clean values: unknown keys refused, server-set keys ignored,
 * every present value type-checked. Absent fields become empty (PUT replaces the record).
 */
export function normalize(m: ModuleDef, body: Record<string, unknown>): NormalizeResult {
  const errors: Issue[] = [];
  const values: Values = {};
  const fields = allFields(m);
  const known = new Set<string>([...fields.map((f) => f.key), ...SERVER_METADATA, 'version']);
  for (const f of m.fields) if (f.otro) known.add(`${f.key}_otro`);
  for (const k of Object.keys(body)) {
    if (!known.has(k)) errors.push({ field: k, message: `El campo «${k}» no existe en el módulo ${m.name}.` });
  }
  for (const f of fields) {
    const r = PARSE[f.type](f, body[f.key]);
    if (r.ok) values[f.key] = r.value;
    else {
      errors.push({ field: f.key, message: r.message });
      values[f.key] = f.type === 'catalogo_multiple' || f.type === 'archivo' ? [] : null;
    }
    if (f.otro) {
      const ok = `${f.key}_otro`;
      const raw = body[ok];
      if (raw === null || raw === undefined || raw === '') values[ok] = null;
      else if (typeof raw !== 'string') errors.push({ field: ok, message: `La especificación de ${q(f)} debe ser texto.` });
      else if (raw.trim().length > 120) errors.push({ field: ok, message: `La especificación de ${q(f)} admite a lo más 120 caracteres.` });
      else if (HTML.test(raw)) errors.push({ field: ok, message: `La especificación de ${q(f)} no admite etiquetas HTML.` });
      else values[ok] = raw.trim() || null;
    }
  }
  return { values, errors };
}

function isOtroCode(code: string): boolean {
  return code === 'OTRO' || code === 'OTRA';
}

/**
 * Computes the stored totals (sumOf): the sum when every component is present, else null; and fills
 * derived fields (derive) left empty. A derived value sent that disagrees is left to the module's rule.
 */
export function computeTotals(m: ModuleDef, v: Values): Issue[] {
  const errors: Issue[] = [];
  for (const f of m.fields) {
    if (f.derive && (v[f.key] === null || v[f.key] === undefined || v[f.key] === '')) {
      const d = f.derive.value(v);
      if (d !== undefined) v[f.key] = d;
    }
    if (!f.sumOf) continue;
    const parts = f.sumOf.map((k) => v[k]);
    const sum = parts.every((x) => typeof x === 'number') ? (parts as number[]).reduce((a, b) => a + b, 0) : null;
    const sent = v[f.key];
    if (sent !== null && sent !== undefined && sum !== null && sent !== sum) {
      const labels = f.sumOf.map((k) => m.fields.find((x) => x.key === k)?.label ?? k).join(' + ');
      errors.push({ field: f.key, message: `${q(f)} se calcula como ${labels} = ${sum}; se recibió ${String(sent)}.` });
    }
    v[f.key] = sum;
  }
  return errors;
}

export interface ValidateOptions {
  catalogs: CatalogLookup;
  /** Today in Mexico City, YYYY-MM-DD. */
  today: string;
  /** The record's main date (for catalog validity), if known. */
  mainDate?: string | null;
}

/** Every rule of the definition over clean values (after normalize and computeTotals). */
export function validate(m: ModuleDef, v: Values, opts: ValidateOptions): ValidationResult {
  const errors: Issue[] = [];
  const pending: Issue[] = [];
  const warnings: Issue[] = [];
  const fields = allFields(m);
  const { catalogs, today } = opts;
  const onDate = opts.mainDate ?? today;

  for (const f of fields) {
    const val = v[f.key];
    const filled = isFilled(val);
    const cat = fieldCatalog(f);

    // ---- every save ----
    if (filled && (f.type === 'entero' || f.type === 'decimal')) {
      const n = val as number;
      const min = f.min ?? 0;
      const max = f.key === 'periodo_anio' ? Number(today.slice(0, 4)) : f.max;
      if (n < min) errors.push({ field: f.key, message: `${q(f)} debe ser mayor o igual que ${min}.` });
      if (max !== undefined && n > max) errors.push({ field: f.key, message: `${q(f)} debe ser menor o igual que ${max}.` });
      if (f.step && Math.abs(n / f.step - Math.round(n / f.step)) > 1e-9)
        errors.push({ field: f.key, message: `${q(f)} debe capturarse en múltiplos de ${f.step}.` });
    }
    if (filled && typeof val === 'string' && (f.type === 'texto' || f.type === 'texto_largo' || f.type === 'url')) {
      const max = defaultMaxLength(f);
      if (max !== undefined && val.length > max)
        errors.push({ field: f.key, message: `${q(f)} admite a lo más ${max} caracteres (tiene ${val.length}).` });
      if (f.pattern && !new RegExp(f.pattern.regex).test(val)) errors.push({ field: f.key, message: `${q(f)}: ${f.pattern.message}` });
      for (const p of f.forbidPatterns ?? [])
        if (new RegExp(p.regex).test(val)) errors.push({ field: f.key, message: `${q(f)}: ${p.message}` });
    }
    if (cat && filled && !catalogs.isReference(cat)) {
      const codes = Array.isArray(val) ? (val as string[]) : [val as string];
      for (const code of codes) {
        const item = catalogs.item(cat, code);
        if (!item) {
          errors.push({ field: f.key, message: `${q(f)}: la clave «${code}» no existe en el catálogo.` });
          continue;
        }
        const special = item.special === true;
        const allowedSpecial = special && (f.allowCodes ?? []).some((a) => code === a || (f.type === 'municipio' && code.endsWith(a)));
        if ((special && !allowedSpecial) || (f.denyCodes ?? []).includes(code)) {
          errors.push({ field: f.key, message: `${q(f)} no admite la clave «${code}» (${item.label}).` });
          continue;
        }
        if ((item.validFrom && onDate < item.validFrom) || (item.validTo && onDate > item.validTo))
          errors.push({ field: f.key, message: `${q(f)}: la clave «${code}» (${item.label}) no está vigente en la fecha del registro.` });
      }
      if (Array.isArray(val) && val.length > 1) {
        const excl = new Set([...(f.exclusive ?? []), ...codes.filter((c) => catalogs.item(cat, c)?.exclusive)]);
        const bad = codes.filter((c) => excl.has(c));
        if (bad.length) errors.push({ field: f.key, message: `${q(f)}: «${bad.join(', ')}» es excluyente y no puede combinarse con otras opciones.` });
      }
      if (f.type === 'municipio' && f.stateField) {
        const st = v[f.stateField];
        const item = catalogs.item(cat, val as string);
        const stateLabel = fields.find((x) => x.key === f.stateField)?.label ?? f.stateField;
        if (!isFilled(st)) errors.push({ field: f.key, message: `${q(f)}: elija primero «${stateLabel}».` });
        else if (item && item.parent !== st) errors.push({ field: f.key, message: `${q(f)} debe pertenecer a «${stateLabel}» (${String(st)}).` });
      }
    }
    if (f.type === 'archivo' && Array.isArray(val)) {
      const maxFiles = f.files?.maxFiles ?? 5;
      if (val.length > maxFiles) errors.push({ field: f.key, message: `${q(f)} admite a lo más ${maxFiles} archivo(s).` });
    }
    if (f.otro && isFilled(v[`${f.key}_otro`])) {
      const codes = Array.isArray(val) ? (val as string[]) : filled ? [val as string] : [];
      if (!codes.some(isOtroCode))
        errors.push({ field: `${f.key}_otro`, message: `La especificación de ${q(f)} solo se captura cuando se elige «Otro».` });
    }

    // ---- at sending ----
    const req = f.required === true || (typeof f.required === 'object' && evalCond(f.required, v));
    if (req && !filled) {
      const when = typeof f.required === 'object' ? ` cuando ${describeCond(f.required, fields, catalogs)}` : '';
      pending.push({ field: f.key, message: `${q(f)} es obligatorio${when}.` });
    }
    if (!filled) continue;
    if (f.onlyIf && !evalCond(f.onlyIf, v))
      pending.push({ field: f.key, message: `${q(f)} solo se captura cuando ${describeCond(f.onlyIf, fields, catalogs)}.` });
    if (f.minLength !== undefined && typeof val === 'string' && val.length < f.minLength)
      pending.push({ field: f.key, message: `${q(f)} debe tener al menos ${f.minLength} caracteres (tiene ${val.length}).` });
    if (f.notAfterToday && typeof val === 'string' && val > today)
      pending.push({ field: f.key, message: `${q(f)} no puede ser posterior a hoy (${today}).` });
    if (f.notBefore) {
      const other = v[f.notBefore];
      const of = fields.find((x) => x.key === f.notBefore);
      if (typeof other === 'string' && typeof val === 'string' && val < other)
        pending.push({ field: f.key, message: `${q(f)} debe ser igual o posterior a «${of?.label ?? f.notBefore}».` });
    }
    if (f.notAbove) {
      const other = v[f.notAbove];
      const of = fields.find((x) => x.key === f.notAbove);
      if (typeof other === 'number' && typeof val === 'number' && val > other)
        pending.push({ field: f.key, message: `${q(f)} no puede ser mayor que «${of?.label ?? f.notAbove}» (${other}).` });
    }
  }

  for (const r of m.rules ?? []) {
    if (r.when && !evalCond(r.when, v)) continue;
    let ok = true;
    try {
      ok = r.check(v);
    } catch {
      ok = true; // a rule over values it does not expect says nothing; types are checked above
    }
    if (!ok) (r.level === 'advertencia' ? warnings : pending).push({ field: r.field, message: r.message });
  }

  // Period check (spec §1.2): warning when the main date falls outside the reported quarter.
  const md = opts.mainDate;
  if (md && typeof v.periodo_anio === 'number' && typeof v.periodo_trimestre === 'number') {
    const y = Number(md.slice(0, 4));
    const qn = Math.floor((Number(md.slice(5, 7)) - 1) / 3) + 1;
    if (y !== v.periodo_anio || qn !== v.periodo_trimestre)
      warnings.push({ field: 'periodo_trimestre', message: `La fecha principal del registro (${md}) no cae en el trimestre reportado (${v.periodo_anio}-T${v.periodo_trimestre}).` });
  }
  return { errors, pending, warnings };
}

/** The record's main date (spec "Main date" per module). */
export function mainDateOf(m: ModuleDef, v: Values, createdAt?: string | null): string | null {
  if (m.mainDate === 'fin_trimestre') {
    const y = v.periodo_anio;
    const t = v.periodo_trimestre;
    if (typeof y !== 'number' || typeof t !== 'number' || t < 1 || t > 4) return null;
    const end = ['03-31', '06-30', '09-30', '12-31'][t - 1];
    return `${y}-${end}`;
  }
  if (m.mainDate === 'created_at') return createdAt ? createdAt.slice(0, 10) : null;
  const d = v[m.mainDate];
  if (typeof d === 'string') return d;
  // instrumentos: fecha_aprobacion, else created_at
  return createdAt ? createdAt.slice(0, 10) : null;
}
