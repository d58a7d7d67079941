// The spec's rules that need other records (ModuleDef.dbRules), evaluated by one function for every module,
// inside the transaction of the save (RecordService.check). Only records that are not deleted count.
// Rules scoped to the institution read under the actor's row-level security (the record's institution is
// always in its reach); a referenced record may belong to another institution (spec §3.7: operations the
// institution took part in), so that one lookup, by id and for one value, reads without it.
import { getModule } from '../../modules/index.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { evalCond, fieldCatalog, isFilled, type DbKeyPart, type DbRule, type FieldDef, type ModuleDef, type Values } from '../../modules/types.js';
import type { CatalogLookup, Issue } from '../../modules/validate.js';
import { withoutRowSecurity, type Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';

export interface DbRuleTarget {
  /** The record's institution (codigo). */
  inst: string;
  /** The record's id when it exists (it never counts as "another record"). */
  id: string | null;
}

export interface DbRuleResult {
  errors: Issue[];
  pending: Issue[];
  warnings: Issue[];
}

const NO_ID = '00000000-0000-0000-0000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUARTER = [
  ['01-01', '03-31'],
  ['04-01', '06-30'],
  ['07-01', '09-30'],
  ['10-01', '12-31'],
] as const;

const col = (k: string) => `"${k.replace(/"/g, '')}"`;
const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
const dmy = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

function fieldOf(m: ModuleDef, key: string): FieldDef | undefined {
  return m.fields.find((f) => f.key === key) ?? METADATA_FIELDS.find((f) => f.key === key);
}

/** The SQL type a parameter compared with a column of this field needs. */
function castOf(f: FieldDef): string {
  switch (f.type) {
    case 'entero':
      return 'integer';
    case 'decimal':
      return 'numeric';
    case 'fecha':
      return 'date';
    case 'booleano':
      return 'boolean';
    case 'catalogo_multiple':
    case 'archivo':
      return 'text[]';
    case 'texto':
    case 'texto_largo':
    case 'url':
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return 'text';
  }
}

/** SQL conditions for a key over table alias r, or null when a part of the key is empty on this record. */
function keyConds(m: ModuleDef, key: readonly DbKeyPart[], v: Values, params: unknown[]): string[] | null {
  const conds: string[] = [];
  for (const part of key) {
    if (typeof part === 'string') {
      const f = fieldOf(m, part);
      const val = v[part];
      if (!f || !isFilled(val)) return null;
      params.push(val);
      const p = `$${params.length}`;
      if (f.type === 'texto' || f.type === 'texto_largo') conds.push(`lower(r.${col(part)}) = lower(${p}::text)`);
      else if (f.type === 'catalogo_multiple' || f.type === 'archivo') conds.push(`r.${col(part)} @> ${p}::text[] and r.${col(part)} <@ ${p}::text[]`);
      else conds.push(`r.${col(part)} = ${p}::${castOf(f)}`);
    } else {
      const val = v[part.year];
      if (typeof val !== 'string' || !/^\d{4}-/.test(val)) return null;
      params.push(Number(val.slice(0, 4)));
      conds.push(`extract(year from r.${col(part.year)})::int = $${params.length}::int`);
    }
  }
  return conds;
}

function describeValue(f: FieldDef | undefined, val: unknown, catalogs: CatalogLookup): string {
  if (val === null || val === undefined) return 'vacío';
  if (typeof val === 'boolean') return val ? 'Sí' : 'No';
  const cat = f ? fieldCatalog(f) : undefined;
  if (cat && typeof val === 'string') {
    const item = catalogs.isReference(cat) ? undefined : catalogs.item(cat, val);
    return item ? `${item.label} (${val})` : val;
  }
  if (f?.type === 'fecha' && typeof val === 'string') return dmy(val);
  return String(val);
}

type Found = { to: 'errors' | 'pending' | 'warnings'; message: string };

/** Where a failed rule lands: advertencias never block; uniqueness holds at every save; the rest block sending. */
function target(r: DbRule): Found['to'] {
  if (r.level === 'advertencia') return 'warnings';
  return r.kind === 'unique' ? 'errors' : 'pending';
}

/** One rule over one record: the message when it fails, else null. Exhaustive over the kinds. */
async function evaluate(q: Queryable, m: ModuleDef, r: DbRule, v: Values, t: DbRuleTarget, catalogs: CatalogLookup): Promise<string | null> {
  const table = tableName(m.key);
  const others = (params: unknown[]) => {
    params.push(t.inst, t.id ?? NO_ID);
    return `r.deleted_at is null and r.institucion_id = $${params.length - 1} and r.id <> $${params.length}::uuid`;
  };
  switch (r.kind) {
    case 'unique': {
      const params: unknown[] = [];
      const conds = keyConds(m, r.key, v, params);
      if (!conds) return null;
      const rows = await q.query<{ folio_sintra: string }>(
        `select r.folio_sintra from ${table} r where ${others(params)} and ${conds.join(' and ')} order by r.seq limit 1`,
        params,
      );
      return rows[0] ? `${r.message} (registro ${rows[0].folio_sintra})` : null;
    }
    case 'reference-date-order': {
      const ref = v[r.ref];
      const date = v[r.date];
      const refM = getModule(r.refModule);
      if (!refM || typeof ref !== 'string' || !UUID.test(ref) || typeof date !== 'string') return null;
      const rows = await withoutRowSecurity(q, () =>
        q.query<{ d: string | null; folio_sintra: string }>(
          `select to_char(r.${col(r.refDate)}, 'YYYY-MM-DD') as d, r.folio_sintra from ${tableName(refM.key)} r where r.id = $1::uuid and r.deleted_at is null`,
          [ref],
        ),
      );
      const d = rows[0]?.d;
      return d && date < d ? `${r.message} (${rows[0].folio_sintra}: ${dmy(d)})` : null;
    }
    case 'reference-count': {
      const ref = v[r.ref];
      const refM = getModule(r.refModule);
      if (!refM || typeof ref !== 'string' || !UUID.test(ref)) return null;
      const maxRows = await withoutRowSecurity(q, () =>
        q.query<{ n: number | string | null; folio_sintra: string }>(
          `select r.${col(r.max)} as n, r.folio_sintra from ${tableName(refM.key)} r where r.id = $1::uuid and r.deleted_at is null`,
          [ref],
        ),
      );
      const max = maxRows[0]?.n;
      if (max === null || max === undefined) return null;
      const params: unknown[] = [];
      const where = others(params);
      params.push(ref);
      const n = (await q.query<{ n: number }>(`select count(*)::int as n from ${table} r where ${where} and r.${col(r.ref)} = $${params.length}::text`, params))[0].n + 1;
      return n > Number(max) ? `${r.message} (${maxRows[0].folio_sintra}: ${n} registro(s) de su institución vinculados; total registrado en el operativo: ${Number(max)})` : null;
    }
    case 'aggregate-comparison': {
      const value = v[r.field];
      const y = v.periodo_anio;
      const tr = v.periodo_trimestre;
      const other = getModule(r.otherModule);
      if (!other || typeof value !== 'number' || typeof y !== 'number' || typeof tr !== 'number' || tr < 1 || tr > 4) return null;
      const [from, to] = QUARTER[tr - 1];
      const n = (
        await q.query<{ n: number }>(
          `select count(*)::int as n from ${tableName(other.key)} r
            where r.deleted_at is null and r.institucion_id = $1 and r.estatus = any($2::text[]) and r.fecha_principal between $3::date and $4::date`,
          [t.inst, [...r.statuses], `${y}-${from}`, `${y}-${to}`],
        )
      )[0].n;
      const off = n === 0 ? value > 0 : Math.abs(value - n) > r.tolerance * n;
      return off ? `${r.message} (aquí ${value}; registros de «${other.name}» de su institución en ${y}-T${tr}: ${n})` : null;
    }
    case 'consistent': {
      const params: unknown[] = [];
      const conds = keyConds(m, r.key, v, params);
      if (!conds) return null;
      const compared = r.fields.filter((k) => isFilled(v[k]) && fieldOf(m, k));
      if (!compared.length) return null;
      const differs = compared.map((k) => {
        params.push(v[k]);
        return `(r.${col(k)} is not null and r.${col(k)} <> $${params.length}::${castOf(fieldOf(m, k)!)})`;
      });
      const where = others(params);
      const rows = await q.query<Record<string, unknown>>(
        `select r.folio_sintra, ${compared.map((k) => (fieldOf(m, k)!.type === 'fecha' ? `to_char(r.${col(k)}, 'YYYY-MM-DD') as ${col(k)}` : `r.${col(k)}`)).join(', ')}
           from ${table} r where ${where} and ${conds.join(' and ')} and (${differs.join(' or ')}) order by r.seq limit 1`,
        params,
      );
      const row = rows[0];
      if (!row) return null;
      const diffs = compared
        .filter((k) => row[k] !== null && String(row[k]) !== String(v[k]))
        .map((k) => `«${fieldOf(m, k)!.label}» = ${describeValue(fieldOf(m, k), row[k], catalogs)}`);
      return `${r.message} (${String(row.folio_sintra)}: ${diffs.join('; ')})`;
    }
    case 'not-only-own-institution': {
      const text = v[r.field];
      if (typeof text !== 'string') return null;
      const item = catalogs.item('institucion', t.inst);
      // The catalog's name may carry a note in parentheses ("Secretaría de Gobernación (preside la CI; …)").
      const bare = typeof item?.label === 'string' ? item.label.replace(/\s*\(.*\)\s*$/, '') : undefined;
      const names = new Set([t.inst, item?.label, bare, item?.siglas].filter((x): x is string => typeof x === 'string' && x !== '').map(fold));
      const parts = text.split(r.separator).map(fold).filter(Boolean);
      return parts.length > 0 && parts.every((p) => names.has(p)) ? r.message : null;
    }
  }
}

/** Every database rule of a module over one record's clean values. */
export async function checkDbRules(q: Queryable, m: ModuleDef, v: Values, t: DbRuleTarget, catalogs: CatalogLookup): Promise<DbRuleResult> {
  const out: DbRuleResult = { errors: [], pending: [], warnings: [] };
  for (const r of m.dbRules ?? []) {
    if (r.when && !evalCond(r.when, v)) continue;
    const message = await evaluate(q, m, r, v, t, catalogs);
    if (message) out[target(r)].push({ field: r.field, message });
  }
  return out;
}
