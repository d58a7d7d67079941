// The same rules as the server, run in the browser as the user types: the module definitions and
// the validator of src/modules (pure TypeScript) over the form's values.
import { getModule } from '../../../../modules/index';
import { evalCond, isFilled, type ModuleDef } from '../../../../modules/types';
import { computeTotals, describeCond, mainDateOf, normalize, todayMx, validate, type CatalogLookup } from '../../../../modules/validate';
import type { LabelMap } from '../../../api/catalogs';
import type { FieldOut, Issue, ModuleOut, Values } from '../../../api/types';

export { describeCond, evalCond, isFilled, todayMx };

export function localDef(key: string): ModuleDef | undefined {
  return getModule(key);
}

/** Catalog lookups from what the browser has loaded; catalogs not (yet) loaded are left to the server. */
export function catalogLookup(maps: Record<string, LabelMap>): CatalogLookup {
  return {
    item: (cat, code) => maps[cat]?.get(code),
    isReference: (cat) => cat.endsWith('_ref') || cat === 'municipio' || !maps[cat],
  };
}

export interface LiveIssues {
  errors: Issue[];
  pending: Issue[];
  warnings: Issue[];
  /** Values with computed totals (sumOf). */
  totals: Values;
}

/** Form values → request body: every field (empty = null, multi = []), `_otro` companions, totals. */
export function toBody(m: ModuleOut, values: Values): Values {
  const body: Values = {};
  for (const f of [...m.metadataFields, ...m.fields]) {
    body[f.key] = toWire(f, values[f.key]);
    if (f.otro) {
      const o = values[`${f.key}_otro`];
      body[`${f.key}_otro`] = typeof o === 'string' && o.trim() !== '' ? o : null;
    }
  }
  return body;
}

function toWire(f: FieldOut, v: unknown): unknown {
  switch (f.type) {
    case 'catalogo_multiple':
    case 'archivo':
      return Array.isArray(v) ? v : [];
    case 'entero':
    case 'decimal':
      if (v === '' || v === null || v === undefined) return null;
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
      return v;
    case 'booleano':
      return typeof v === 'boolean' ? v : null;
    case 'texto':
    case 'texto_largo':
    case 'url':
    case 'fecha':
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return v === '' || v === undefined ? null : v;
  }
}

export function runRules(def: ModuleDef | undefined, m: ModuleOut, values: Values, maps: Record<string, LabelMap>, createdAt: string | null): LiveIssues {
  if (!def) return { errors: [], pending: [], warnings: [], totals: {} };
  const body = toBody(m, values);
  const n = normalize(def, body);
  const totalsErrors = computeTotals(def, n.values);
  const cat = catalogLookup(maps);
  const r = validate(def, n.values, { catalogs: cat, today: todayMx(), mainDate: mainDateOf(def, n.values, createdAt ?? new Date().toISOString()) });
  const totals: Values = {};
  for (const f of def.fields) if (f.sumOf) totals[f.key] = n.values[f.key];
  // Totals are computed here, never typed: a mismatch cannot happen in the form.
  void totalsErrors;
  return { errors: [...n.errors, ...r.errors], pending: r.pending, warnings: r.warnings, totals };
}

/** Whether a field is required now (true, or its condition holds). */
export function requiredNow(f: FieldOut, values: Values): boolean {
  if (f.required === true) return true;
  if (f.required === 'condicional' && f.requiredWhen) return evalCond(f.requiredWhen, toCondValues(values));
  return false;
}

/** Values as conditions see them (numbers typed as text become numbers, '' becomes null). */
export function toCondValues(values: Values): Values {
  const out: Values = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === '') out[k] = null;
    else out[k] = v;
  }
  return out;
}

/** onlyIf (from the local definition): the field only takes a value when its condition holds. */
export function hiddenNow(def: ModuleDef | undefined, key: string, values: Values): boolean {
  const f = def?.fields.find((x) => x.key === key);
  if (!f?.onlyIf) return false;
  return !evalCond(f.onlyIf, toCondValues(values)) && !isFilled(values[key]);
}

export function isOtroSelected(v: unknown): boolean {
  if (Array.isArray(v)) return v.some((x) => x === 'OTRO' || x === 'OTRA');
  return v === 'OTRO' || v === 'OTRA';
}
