// fast-check generators built from the module definitions (never written per module): records that respect every
// rule a definition states — types, ranges, steps, lengths, patterns, catalogs (validity, special and denied codes,
// excluyentes), municipios of their state, required and conditional fields, onlyIf, date order, "de ellas" counts,
// computed totals and the cross-field rules — and, from such a record, copies that break exactly one rule of a
// given kind. Shared by the unit properties (src/modules/properties.test.ts, over validate()) and the integration
// properties (test/integration/properties.test.ts, over the API).
import fc from 'fast-check';
import type { CatalogItem } from '../src/catalogs/types.js';
import { METADATA_FIELDS } from '../src/modules/metadata.js';
import { evalCond, fieldCatalog, isFilled, type Cond, type CrossRule, type FieldDef, type ModuleDef, type Values } from '../src/modules/types.js';
import { computeTotals, defaultMaxLength, mainDateOf } from '../src/modules/validate.js';

export interface GenContext {
  /** Every item of a catalog, whatever its validity (the registry or the spec's lists). */
  items(catalog: string): readonly CatalogItem[];
  /** The registering institution (codigo). */
  inst: string;
  /** Codes a record-reference catalog offers (record ids), by catalog name. */
  references: Record<string, readonly string[]>;
  /** Attachment ids a field may take. */
  files(f: FieldDef): readonly string[];
  /** Today in Mexico City (YYYY-MM-DD). */
  today: string;
  /** A token never returned before (for keys that must be unique per institution). */
  unique?: () => string;
}

/** The random material of one field; a deterministic function turns it into a value that fits the definition. */
interface Choice {
  fill: boolean;
  n: number;
  b: number;
  t: string;
  m: number[];
  o: string | null;
  p: string | null;
}

const LAW_DATE = '2012-06-14';
const FAR_DATE = '2030-12-31';
// Letters with accents and ñ, digits (leading zeros matter), punctuation; no '<' (HTML), '@' (e-mail), control chars.
const CHARS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZáéíóúüñÁÉÍÓÚÜÑ0123456789     .,;:-()"\'¿?¡!%&#*+=_/'];
const textArb = (max: number) => fc.string({ unit: fc.constantFrom(...CHARS), maxLength: max });

export function allFieldsOf(m: ModuleDef): FieldDef[] {
  return [...METADATA_FIELDS, ...m.fields];
}

function choiceArb(f: FieldDef): fc.Arbitrary<Choice> {
  const forbid = [...(f.forbidPatterns ?? [])].map((p) => new RegExp(p.regex));
  const pattern = f.pattern ? fc.stringMatching(new RegExp(f.pattern.regex)).filter((s) => s === s.trim() && !forbid.some((r) => r.test(s))) : fc.constant(null);
  return fc.record({
    fill: fc.boolean(),
    n: fc.nat(),
    b: fc.nat(9),
    t: textArb(f.type === 'texto_largo' ? 400 : 120),
    m: fc.array(fc.nat(), { maxLength: 4 }),
    o: fc.option(textArb(140), { nil: null }),
    p: pattern,
  });
}

export function choicesArb(m: ModuleDef): fc.Arbitrary<Record<string, Choice>> {
  return fc.record(Object.fromEntries(allFieldsOf(m).map((f) => [f.key, choiceArb(f)])));
}

// ------------------------------------------------------------------ dates

const DAY = 86_400_000;
const toDate = (s: string) => Date.parse(`${s}T00:00:00Z`);
const fromDate = (t: number) => new Date(t).toISOString().slice(0, 10);
export const addDays = (s: string, d: number) => fromDate(toDate(s) + d * DAY);

// ------------------------------------------------------------------ domains

/** Whether a catalog item may be chosen for this field on a date (validity, special and denied codes). */
export function codeAllowed(f: FieldDef, it: CatalogItem, onDate: string): boolean {
  if (it.special === true && !(f.allowCodes ?? []).some((a) => it.code === a || (f.type === 'municipio' && it.code.endsWith(a)))) return false;
  if ((f.denyCodes ?? []).includes(it.code)) return false;
  if ((it.validFrom && onDate < it.validFrom) || (it.validTo && onDate > it.validTo)) return false;
  return true;
}

const domains = new WeakMap<GenContext, Map<string, string[]>>();
const domainSets = new WeakMap<string[], Set<string>>();

function domainSetOf(f: FieldDef, v: Values, g: GenContext, onDate: string): Set<string> {
  const d = domainOf(f, v, g, onDate);
  let set = domainSets.get(d);
  if (!set) domainSets.set(d, (set = new Set(d)));
  return set;
}
const indexes = new WeakMap<readonly CatalogItem[], Map<string, CatalogItem>>();

/** One item of a catalog by code (indexed once per list). */
export function itemOf(g: Pick<GenContext, 'items'>, cat: string, code: unknown): CatalogItem | undefined {
  const list = g.items(cat);
  let idx = indexes.get(list);
  if (!idx) indexes.set(list, (idx = new Map(list.map((i) => [i.code, i]))));
  return typeof code === 'string' ? idx.get(code) : undefined;
}

/** The codes a field may take now (municipios: those of the paired state). Empty for files. */
export function domainOf(f: FieldDef, v: Values, g: GenContext, onDate: string): string[] {
  const cat = fieldCatalog(f);
  if (!cat) return [];
  if (g.references[cat]) return g.references[cat] as string[];
  const st = f.type === 'municipio' && f.stateField ? v[f.stateField] : null;
  if (f.type === 'municipio' && typeof st !== 'string') return [];
  // Municipios (2,478) and institutions are filtered once per field, state and date.
  let cache = domains.get(g);
  if (!cache) domains.set(g, (cache = new Map()));
  const key = `${f.key}|${cat}|${String(st)}|${onDate}`;
  const hit = cache.get(key);
  if (hit) return hit;
  let items = g.items(cat);
  if (f.type === 'municipio') items = items.filter((i) => i.parent === st);
  const out = items.filter((i) => codeAllowed(f, i, onDate)).map((i) => i.code);
  cache.set(key, out);
  return out;
}

function exclusiveCodes(f: FieldDef, g: GenContext): Set<string> {
  const cat = fieldCatalog(f);
  return new Set([...(f.exclusive ?? []), ...(cat && !g.references[cat] ? g.items(cat).filter((i) => i.exclusive).map((i) => i.code) : [])]);
}

function fitText(f: FieldDef, raw: string): string {
  const max = defaultMaxLength(f) ?? 300;
  const min = Math.max(f.minLength ?? 1, 1);
  const forbid = [...(f.forbidPatterns ?? [])].map((p) => new RegExp(p.regex));
  let s = raw.replace(/\s+/g, ' ').trim();
  if (forbid.some((r) => r.test(s))) s = s.replace(/[0-9/@]/g, 'x');
  if (s.length > max) s = s.slice(0, max).trim();
  while (s.length < min) s = `${s}a`;
  return s;
}

function numberRange(f: FieldDef, g: GenContext): { min: number; max: number; step: number } {
  const min = f.min ?? 0;
  const max = f.key === 'periodo_anio' ? Number(g.today.slice(0, 4)) : (f.max ?? (f.type === 'decimal' ? 2000 : 5000));
  const step = f.step ?? (f.type === 'decimal' ? 0.01 : 1);
  return { min, max, step };
}

/** A value for a field from its random choice, given the values built so far. */
function valueFor(f: FieldDef, c: Choice, v: Values, g: GenContext, onDate: string): unknown {
  switch (f.type) {
    case 'texto':
    case 'texto_largo':
      if (c.p !== null) return c.p;
      // A tenth of the texts are as long as the field allows.
      return fitText(f, c.b === 0 ? (c.t || 'a').repeat(Math.ceil((defaultMaxLength(f) ?? 300) / Math.max(c.t.length, 1)) + 1) : c.t);
    case 'url': {
      const slug = c.t.normalize('NFD').replace(/[^a-zA-Z0-9]/g, '').toLowerCase().slice(0, 40) || 'documento';
      return `https://www.dof.gob.mx/${slug}?v=${c.n % 1000}`;
    }
    case 'entero':
    case 'decimal': {
      const { min, max, step } = numberRange(f, g);
      const steps = Math.floor((max - min) / step + 1e-9);
      const k = c.b === 0 ? 0 : c.b === 1 ? steps : c.n % (steps + 1);
      return Math.round((min + k * step) * 100) / 100;
    }
    case 'fecha': {
      const hi = f.notAfterToday ? g.today : FAR_DATE;
      const span = Math.round((toDate(hi) - toDate(LAW_DATE)) / DAY);
      const k = c.b === 0 ? 0 : c.b === 1 ? span : c.n % (span + 1);
      return addDays(LAW_DATE, k);
    }
    case 'booleano':
      return c.n % 2 === 0;
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais': {
      const d = domainOf(f, v, g, onDate);
      return d.length ? d[c.n % d.length] : null;
    }
    case 'catalogo_multiple': {
      const d = domainOf(f, v, g, onDate);
      if (!d.length) return [];
      const picked = [...new Set([c.n, ...c.m].map((i) => d[i % d.length]))];
      const excl = exclusiveCodes(f, g);
      if (picked.length > 1 && picked.some((x) => excl.has(x))) return excl.has(picked[0]) ? [picked[0]] : picked.filter((x) => !excl.has(x));
      return picked;
    }
    case 'archivo': {
      const d = g.files(f);
      if (!d.length) return [];
      const max = Math.min(f.files?.maxFiles ?? 5, d.length);
      return [...new Set([c.n, ...c.m].map((i) => d[i % d.length]))].slice(0, max);
    }
  }
}

const emptyOf = (f: FieldDef) => (f.type === 'catalogo_multiple' || f.type === 'archivo' ? [] : null);
const isOtro = (x: unknown) => x === 'OTRO' || x === 'OTRA';
const otroChosen = (val: unknown) => (Array.isArray(val) ? val.some(isOtro) : isOtro(val));

export function requiredNow(f: FieldDef, v: Values): boolean {
  return f.required === true || (typeof f.required === 'object' && evalCond(f.required, v));
}

/** Cross rules that fail on these values (those whose `when` holds). */
export function failingRules(m: ModuleDef, v: Values, levels: readonly string[] = ['error']): CrossRule[] {
  return (m.rules ?? []).filter((r) => {
    if (!levels.includes(r.level ?? 'error')) return false;
    if (r.when && !evalCond(r.when, v)) return false;
    try {
      return !r.check(v);
    } catch {
      return false;
    }
  });
}

/** Values a field may take, in an order that depends on the record's random material (for repairs and breakers). */
export function candidates(f: FieldDef, v: Values, g: GenContext, onDate: string, seed: number): unknown[] {
  const rot = <T>(xs: T[]) => (xs.length ? [...xs.slice(seed % xs.length), ...xs.slice(0, seed % xs.length)] : xs);
  switch (f.type) {
    case 'booleano':
      return rot([true, false]);
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return rot(domainOf(f, v, g, onDate));
    case 'catalogo_multiple': {
      const cur = Array.isArray(v[f.key]) ? (v[f.key] as string[]) : [];
      return [...cur.map((_, i) => cur.filter((__, j) => j !== i)).filter((x) => x.length > 0), ...rot(domainOf(f, v, g, onDate)).map((c) => [c])];
    }
    case 'entero':
    case 'decimal': {
      const { min, max } = numberRange(f, g);
      return [...new Set([min, Math.min(max, min + 1), Math.min(max, 50), Math.min(max, 99), max])];
    }
    case 'fecha':
      return [LAW_DATE, g.today];
    case 'texto':
    case 'texto_largo':
      // The one text some rules compare with: the registering institution's code.
      return [g.inst];
    case 'url':
    case 'archivo':
      return [];
  }
}

/**
 * A record from random choices: every field from its material, then passes that settle what depends on other
 * fields (totals, conditions, onlyIf, municipios, date order, "de ellas", validity on the main date, cross rules)
 * until nothing changes.
 */
export function buildRecord(m: ModuleDef, ch: Record<string, Choice>, g: GenContext): Values {
  const fields = allFieldsOf(m);
  const v: Values = {};
  let onDate = g.today;
  for (const f of fields) {
    v[f.key] = emptyOf(f);
    if (f.otro) v[`${f.key}_otro`] = null;
  }
  v.institucion_id = g.inst;
  for (const f of fields) {
    if (f.key === 'institucion_id') continue;
    if (f.sumOf) continue;
    // Optional and conditional fields are filled when their material says so; the passes fill what becomes required.
    if (requiredNow(f, v) || ch[f.key].fill) v[f.key] = valueFor(f, ch[f.key], v, g, onDate);
  }
  for (let pass = 0; pass < 12; pass++) {
    const before = JSON.stringify(v);
    computeTotals(m, v);
    onDate = mainDateOf(m, v, `${g.today}T12:00:00Z`) ?? g.today;
    for (const f of fields) {
      if (f.key === 'institucion_id' || f.sumOf) continue;
      const c = ch[f.key];
      let val = v[f.key];
      // Only what the condition allows; what it requires.
      if (f.onlyIf && !evalCond(f.onlyIf, v)) val = emptyOf(f);
      else if (!isFilled(val) && requiredNow(f, v)) val = valueFor(f, c, v, g, onDate);
      // Codes valid on the main date; a municipio of its state.
      if (isFilled(val) && fieldCatalog(f) && f.type !== 'archivo') {
        const d = domainSetOf(f, v, g, onDate);
        if (Array.isArray(val)) {
          const kept = (val as string[]).filter((x) => d.has(x));
          val = kept.length || !requiredNow(f, v) ? kept : valueFor(f, c, v, g, onDate);
        } else if (!d.has(val as string)) val = requiredNow(f, v) ? valueFor(f, c, v, g, onDate) : null;
      }
      // Date order and "de ellas" counts.
      if (f.notBefore && typeof val === 'string' && typeof v[f.notBefore] === 'string' && val < (v[f.notBefore] as string)) {
        const other = v[f.notBefore] as string;
        const hi = f.notAfterToday ? g.today : FAR_DATE;
        val = addDays(other, c.n % Math.max(1, Math.round((toDate(hi) - toDate(other)) / DAY) + 1));
      }
      if (f.notAbove && typeof val === 'number' && typeof v[f.notAbove] === 'number' && val > (v[f.notAbove] as number)) val = v[f.notAbove];
      v[f.key] = val;
      if (f.otro) v[`${f.key}_otro`] = otroChosen(val) && c.o !== null ? fitText({ ...f, maxLength: 120, minLength: 1, forbidPatterns: [] }, c.o) : null;
    }
    // Cross rules: clear an optional field, else take the first candidate value that satisfies the rules on it.
    for (const r of failingRules(m, v)) {
      const f = fields.find((x) => x.key === r.field);
      if (!f) continue;
      if (f.sumOf) {
        // A rule on a computed total (e.g. "> 0"): raise its first component.
        const k = f.sumOf[0];
        v[k] = (typeof v[k] === 'number' ? (v[k] as number) : 0) + 1;
        continue;
      }
      if (!requiredNow(f, v) && isFilled(v[f.key])) {
        v[f.key] = emptyOf(f);
        continue;
      }
      const own = (m.rules ?? []).filter((x) => x.field === f.key);
      for (const cand of candidates(f, v, g, onDate, ch[f.key].n)) {
        const trial = { ...v, [f.key]: cand };
        if (!failingRules({ ...m, rules: own }, trial).length) {
          v[f.key] = cand;
          break;
        }
      }
    }
    if (JSON.stringify(v) === before) break;
  }
  makeUnique(m, v, g);
  return v;
}

/** Keys that must be unique per institution get a fresh token, so independent runs never collide. */
function makeUnique(m: ModuleDef, v: Values, g: GenContext): void {
  if (!g.unique) return;
  const keys = [...(m.uniquePerInstitution ?? []), ...(m.dbRules ?? []).flatMap((r) => (r.kind === 'unique' && r.level === 'error' ? [r.key.filter((k): k is string => typeof k === 'string')] : []))];
  for (const key of keys) {
    const f = m.fields.find((x) => key.includes(x.key) && x.type === 'texto' && isFilled(v[x.key]));
    if (!f) continue;
    const token = g.unique();
    if (f.pattern) v[f.key] = `U${token}`.toUpperCase().padEnd(4, '0');
    else v[f.key] = fitText(f, `${token} ${String(v[f.key])}`);
  }
}

export function recordArb(m: ModuleDef, g: GenContext): fc.Arbitrary<Values> {
  return choicesArb(m).map((ch) => buildRecord(m, ch, g));
}

/** The body a client sends for values: every field, `_otro` companions included. */
export function bodyOf(m: ModuleDef, v: Values): Values {
  const out: Values = {};
  for (const f of allFieldsOf(m)) {
    out[f.key] = v[f.key];
    if (f.otro) out[`${f.key}_otro`] = v[`${f.key}_otro`] ?? null;
  }
  return out;
}

// ------------------------------------------------------------------ breaking one rule

/** Where a broken rule is caught: at every save (refused, nothing stored) or when sending (pending, not sent). */
export type Stage = 'guardar' | 'enviar';

export const BREAK_KINDS = [
  'tipo',
  'rango',
  'longitud',
  'codigo',
  'excluyente',
  'municipio',
  'orden_fechas',
  'suma',
  'no_mayor',
  'obligatorio',
  'condicional',
  'regla_cruzada',
  'patron',
  'paso',
  'solo_si',
  'longitud_minima',
  'posterior_a_hoy',
  'campo_desconocido',
  'otro',
  'html',
] as const;
export type BreakKind = (typeof BREAK_KINDS)[number];

export interface Broken {
  body: Values;
  stage: Stage;
  /** The field the error must name. */
  field: string;
  /** Other fields the same change may legitimately make wrong at the same stage (e.g. a total over a bad component). */
  alsoMay: string[];
}

/** Fields (or rule indexes) of a module where a kind of break applies, from the definition alone. */
export function breakTargets(m: ModuleDef, kind: BreakKind, g: Pick<GenContext, 'items' | 'references'>): string[] {
  const fs = allFieldsOf(m).filter((f) => f.key !== 'institucion_id' && f.key !== 'ambito');
  const cat = (f: FieldDef) => fieldCatalog(f);
  switch (kind) {
    case 'tipo':
      return fs.filter((f) => !f.sumOf).map((f) => f.key);
    case 'rango':
      return fs.filter((f) => (f.type === 'entero' || f.type === 'decimal') && !f.sumOf).map((f) => f.key);
    case 'longitud':
      return fs.filter((f) => f.type === 'texto' || f.type === 'texto_largo' || f.type === 'url').map((f) => f.key);
    case 'codigo':
      return fs.filter((f) => cat(f) && f.type !== 'archivo').map((f) => f.key);
    case 'excluyente':
      return fs.filter((f) => f.type === 'catalogo_multiple' && exclusiveCodes(f, { ...g, inst: '', files: () => [], today: '' }).size > 0).map((f) => f.key);
    case 'municipio':
      return fs.filter((f) => f.type === 'municipio' && f.stateField).map((f) => f.key);
    case 'orden_fechas':
      return fs.filter((f) => f.notBefore).map((f) => f.key);
    case 'suma':
      return m.fields.filter((f) => f.sumOf).map((f) => f.key);
    case 'no_mayor':
      return fs.filter((f) => f.notAbove).map((f) => f.key);
    case 'obligatorio':
      return fs.filter((f) => f.required === true && !f.sumOf).map((f) => f.key);
    case 'condicional':
      return fs.filter((f) => typeof f.required === 'object').map((f) => f.key);
    case 'regla_cruzada':
      return (m.rules ?? []).flatMap((r, i) => ((r.level ?? 'error') === 'error' ? [String(i)] : []));
    case 'patron':
      return fs.filter((f) => f.pattern || f.forbidPatterns?.length).map((f) => f.key);
    case 'paso':
      return fs.filter((f) => f.step).map((f) => f.key);
    case 'solo_si':
      return fs.filter((f) => f.onlyIf).map((f) => f.key);
    case 'longitud_minima':
      return fs.filter((f) => (f.minLength ?? 0) > 1).map((f) => f.key);
    case 'posterior_a_hoy':
      return fs.filter((f) => f.notAfterToday).map((f) => f.key);
    case 'campo_desconocido':
      return ['campo_inventado'];
    case 'otro':
      return m.fields.filter((f) => f.otro).map((f) => f.key);
    case 'html':
      return fs.filter((f) => f.type === 'texto' || f.type === 'texto_largo').map((f) => f.key);
  }
}

/** Totals that add up this field (a wrong component may make them wrong too). */
function totalsOver(m: ModuleDef, key: string): string[] {
  return m.fields.filter((f) => f.sumOf?.includes(key)).map((f) => f.key);
}

/** Fields whose municipio depends on this state field. */
function dependents(m: ModuleDef, key: string): string[] {
  return allFieldsOf(m).filter((f) => f.stateField === key).map((f) => f.key);
}

/** Makes a simple condition hold on the values (null when it cannot be made to hold by assignment). */
export function satisfy(c: Cond, v: Values, m: ModuleDef, g: GenContext, onDate: string): Values | null {
  const f = (k: string) => allFieldsOf(m).find((x) => x.key === k);
  if ('all' in c) {
    let cur: Values | null = v;
    for (const x of c.all) cur = cur && satisfy(x, cur, m, g, onDate);
    return cur;
  }
  if ('any' in c) return satisfy(c.any[0], v, m, g, onDate);
  if ('not' in c) return null;
  const fd = f(c.field);
  if (!fd) return null;
  if ('in' in c) return { ...v, [c.field]: c.in[0] };
  if ('eq' in c) return { ...v, [c.field]: c.eq };
  if ('ne' in c) {
    const alt = candidates(fd, v, g, onDate, 0).find((x) => x !== c.ne);
    return alt === undefined ? null : { ...v, [c.field]: alt };
  }
  if ('gt' in c) return typeof v[c.field] === 'number' && (v[c.field] as number) > c.gt ? v : null;
  if ('contains' in c) return { ...v, [c.field]: [c.contains] };
  return null;
}

/**
 * A copy of a valid record with one rule of `kind` broken on `target` (a field key, or a cross-rule index), or
 * null when this record gives no way to break it (the property then skips the run).
 */
export function breakRecord(m: ModuleDef, valid: Values, kind: BreakKind, target: string, g: GenContext, seed: number): Broken | null {
  const v: Values = structuredClone(valid);
  const f = allFieldsOf(m).find((x) => x.key === target);
  const onDate = mainDateOf(m, v, `${g.today}T12:00:00Z`) ?? g.today;
  // What a user's own change would carry along: «Otro» texts only with «Otro», codes valid on the (new) main date.
  const tidy = () => {
    const md = mainDateOf(m, v, `${g.today}T12:00:00Z`) ?? g.today;
    for (const x of allFieldsOf(m)) {
      if (x.otro && kind !== 'otro' && !otroChosen(v[x.key])) v[`${x.key}_otro`] = null;
      const cat = fieldCatalog(x);
      if (!cat || x.type === 'archivo' || g.references[cat] || (kind === 'codigo' && x.key === target) || (kind === 'municipio' && x.key === target)) continue;
      const ok = (c: unknown) => {
        const it = itemOf(g, cat, c);
        return !it || codeAllowed(x, it, md) || it.special === true || (x.denyCodes ?? []).includes(String(c));
      };
      if (Array.isArray(v[x.key])) v[x.key] = (v[x.key] as unknown[]).filter(ok);
      else if (isFilled(v[x.key]) && !ok(v[x.key])) v[x.key] = null;
    }
  };
  const save = (field: string, alsoMay: string[] = []): Broken => {
    tidy();
    return { body: bodyOf(m, v), stage: 'guardar', field, alsoMay };
  };
  const send = (field: string): Broken => {
    tidy();
    computeTotals(m, v);
    return { body: bodyOf(m, v), stage: 'enviar', field, alsoMay: [] };
  };
  switch (kind) {
    case 'tipo': {
      if (!f) return null;
      const wrong: Record<FieldDef['type'], unknown> = {
        texto: 12345,
        texto_largo: ['una', 'lista'],
        url: 'http://sin-https.gob.mx',
        entero: '12',
        decimal: 'doce',
        fecha: '15/03/2024',
        booleano: 'si',
        catalogo: 9,
        entidad: 9,
        municipio: 9015,
        pais: true,
        catalogo_multiple: 'MUJER',
        archivo: ['no-es-un-identificador'],
      };
      v[f.key] = wrong[f.type];
      return save(f.key, [...totalsOver(m, f.key), ...dependents(m, f.key)]);
    }
    case 'rango': {
      if (!f) return null;
      const { min, max, step } = numberRange(f, g);
      v[f.key] = seed % 2 === 0 || f.max === undefined && f.key !== 'periodo_anio' ? Math.round((min - Math.max(step, 1)) * 100) / 100 : max + 1;
      computeTotals(m, v);
      return save(f.key, totalsOver(m, f.key));
    }
    case 'longitud': {
      if (!f) return null;
      const max = defaultMaxLength(f) ?? 300;
      v[f.key] = f.type === 'url' ? `https://www.gob.mx/${'a'.repeat(max)}` : f.pattern ? 'A'.repeat(max + 1) : 'x'.repeat(max + 1);
      return save(f.key);
    }
    case 'codigo': {
      if (!f) return null;
      const c = fieldCatalog(f)!;
      const special = g.items(c).find((i) => !codeAllowed(f, i, onDate) && (i.special || f.denyCodes?.includes(i.code)) && (f.type !== 'municipio' || i.parent === v[f.stateField ?? '']));
      const ref = Boolean(g.references[c]);
      const bad = ref ? '00000000-0000-4000-8000-000000000000' : seed % 2 === 0 && special ? special.code : f.type === 'entidad' ? '33' : f.type === 'municipio' ? '00000' : f.type === 'pais' ? 'ZZZ' : 'NO_EXISTE_9';
      v[f.key] = f.type === 'catalogo_multiple' ? [...((v[f.key] as string[]) ?? []), bad] : bad;
      return save(f.key, dependents(m, f.key));
    }
    case 'excluyente': {
      if (!f) return null;
      const excl = [...exclusiveCodes(f, g)].filter((x) => domainOf(f, v, g, onDate).includes(x));
      const other = domainOf(f, v, g, onDate).find((x) => !exclusiveCodes(f, g).has(x));
      if (!excl.length || !other) return null;
      v[f.key] = [excl[seed % excl.length], other];
      return save(f.key);
    }
    case 'municipio': {
      if (!f?.stateField) return null;
      const states = domainOf(allFieldsOf(m).find((x) => x.key === f.stateField)!, v, g, onDate).filter((s) => s !== '99');
      if (states.length < 2) return null;
      const st = typeof v[f.stateField] === 'string' && v[f.stateField] !== '99' ? (v[f.stateField] as string) : states[seed % states.length];
      v[f.stateField] = st;
      const other = g.items('municipio').find((i) => i.parent !== st && !i.special);
      if (!other) return null;
      v[f.key] = other.code;
      return save(f.key);
    }
    case 'orden_fechas': {
      if (!f?.notBefore) return null;
      let other = v[f.notBefore];
      if (typeof other !== 'string') {
        other = '2020-06-15';
        v[f.notBefore] = other;
      }
      if ((other as string) <= LAW_DATE) return null;
      v[f.key] = addDays(other as string, -1 - (seed % 30));
      return send(f.key);
    }
    case 'suma': {
      if (!f?.sumOf) return null;
      computeTotals(m, v);
      if (typeof v[f.key] !== 'number') return null;
      v[f.key] = (v[f.key] as number) + 1 + (seed % 5);
      return save(f.key);
    }
    case 'no_mayor': {
      if (!f?.notAbove) return null;
      computeTotals(m, v);
      const top = v[f.notAbove];
      if (typeof top !== 'number') return null;
      v[f.key] = top + 1 + (seed % 3);
      return send(f.key);
    }
    case 'obligatorio':
    case 'condicional': {
      if (!f) return null;
      let w: Values | null = v;
      if (kind === 'condicional' && typeof f.required === 'object' && !evalCond(f.required, v)) w = satisfy(f.required, v, m, g, onDate);
      if (!w || !requiredNow(f, w)) return null;
      Object.assign(v, w);
      v[f.key] = emptyOf(f);
      for (const d of dependents(m, f.key)) v[d] = null;
      // A derived field left empty is filled again from its sources (grupo_edad from edad): empty those too.
      for (const s of f.derive?.from ?? []) v[s] = null;
      return send(f.key);
    }
    case 'regla_cruzada': {
      const r = (m.rules ?? [])[Number(target)];
      if (!r) return null;
      const rf = allFieldsOf(m).find((x) => x.key === r.field);
      if (!rf) return null;
      if (rf.sumOf) {
        for (const k of rf.sumOf) v[k] = 0;
        computeTotals(m, v);
        return failingRules({ ...m, rules: [r] }, v).length ? send(r.field) : null;
      }
      for (const cand of candidates(rf, v, g, onDate, seed)) {
        const trial = { ...v, [rf.key]: cand };
        if (failingRules({ ...m, rules: [r] }, trial).length) {
          v[rf.key] = cand;
          if (rf.otro) v[`${rf.key}_otro`] = null;
          return send(r.field);
        }
      }
      return null;
    }
    case 'patron': {
      if (!f) return null;
      if (f.pattern && seed % 2 === 0) v[f.key] = 'minúsculas con espacios';
      else if (f.forbidPatterns?.length) {
        const samples = ['GODE561231HDFRRN09', 'GODE561231HDFRRN09', 'escriba a persona@correo.mx', 'llame al 55 1234 5678', 'CI-FIDCSP/UEIDMTP/123/2024', 'AP/PGR/00123/2024', 'RFC GODE561231AB1 '];
        const hit = samples.find((s) => f.forbidPatterns!.some((p) => new RegExp(p.regex).test(s)) && (!f.pattern || new RegExp(f.pattern.regex).test(s)));
        if (!hit) return null;
        v[f.key] = hit.length > (defaultMaxLength(f) ?? 300) ? null : hit;
        if (v[f.key] === null) return null;
      } else v[f.key] = 'minúsculas con espacios';
      return save(f.key);
    }
    case 'paso': {
      if (!f?.step) return null;
      v[f.key] = Math.round((numberRange(f, g).min + f.step / 2) * 100) / 100;
      return save(f.key);
    }
    case 'solo_si': {
      if (!f?.onlyIf) return null;
      // Make the condition fail, then give the field a value.
      const cond = f.onlyIf;
      if ('field' in cond) {
        const cf = allFieldsOf(m).find((x) => x.key === cond.field);
        const alt = cf && candidates(cf, v, g, onDate, seed).find((x) => !evalCond(cond, { ...v, [cond.field]: x }));
        if (alt === undefined) return null;
        v[cond.field] = alt;
      } else return null;
      const d = candidates(f, v, g, onDate, seed);
      const val = f.type === 'catalogo_multiple' ? d.find((x) => Array.isArray(x) && x.length) : d[0];
      if (val === undefined) return null;
      v[f.key] = val;
      return send(f.key);
    }
    case 'longitud_minima': {
      if (!f?.minLength || f.minLength < 2) return null;
      v[f.key] = 'abcdefghijklmnopqrstuvwxyz'.slice(0, f.minLength - 1);
      return send(f.key);
    }
    case 'posterior_a_hoy': {
      if (!f) return null;
      v[f.key] = addDays(g.today, 1 + (seed % 400));
      for (const d of allFieldsOf(m).filter((x) => x.notBefore === f.key)) if (typeof v[d.key] === 'string') v[d.key] = v[f.key];
      return send(f.key);
    }
    case 'campo_desconocido':
      return { body: { ...bodyOf(m, v), campo_inventado: 'x' }, stage: 'guardar', field: 'campo_inventado', alsoMay: [] };
    case 'otro': {
      if (!f?.otro) return null;
      const key = `${f.key}_otro`;
      if (otroChosen(v[f.key]) && seed % 2 === 0) v[key] = 'x'.repeat(121);
      else if (!otroChosen(v[f.key])) v[key] = 'Especificación sin haber elegido Otro';
      else v[key] = '<script>alert(1)</script>';
      return save(key);
    }
    case 'html': {
      if (!f) return null;
      v[f.key] = f.pattern ? '<B>ABC</B>' : 'Texto con <b>etiquetas</b> HTML';
      return save(f.key);
    }
  }
}
