// List and statistics filters from the query string (contract §4): f.<field>=, f.<field>.min/max,
// estatus, from/to on the module's main date, q (accent-insensitive text search).
import { METADATA_FIELDS } from '../../modules/metadata.js';
import type { FieldDef, ModuleDef } from '../../modules/types.js';
import { isValidDate } from '../../modules/validate.js';
import { ESTATUS } from '../../modules/types.js';
import { badRequest } from '../http/errors.js';
import { col, fold } from './service.js';

export type Query = Record<string, string | string[] | undefined>;

export function asList(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
}

export function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function filterableField(m: ModuleDef, key: string): FieldDef | undefined {
  return [...METADATA_FIELDS, ...m.fields].find((f) => f.key === key);
}

/** Builds `and …` conditions over table alias r; params are appended to `params`. */
export function buildFilters(m: ModuleDef, query: Query, params: unknown[], opts: { allowEstatus: boolean }): string[] {
  const conds: string[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  for (const [rawKey, rawVal] of Object.entries(query)) {
    // `institucion_id=X` instead of `f.institucion_id=X` would otherwise be ignored and answer everything.
    if (!rawKey.startsWith('f.') && filterableField(m, rawKey))
      throw badRequest(`Para filtrar por «${rawKey}» use f.${rawKey}=…`, [{ field: rawKey, message: `Parámetro desconocido «${rawKey}»: para filtrar por ese campo escriba f.${rawKey}=<valor>.` }]);
    if (!rawKey.startsWith('f.')) continue;
    const parts = rawKey.slice(2).split('.');
    const key = parts[0];
    const op = parts[1];
    const f = filterableField(m, key);
    if (!f) throw badRequest(`Filtro inválido: el campo «${key}» no existe en el módulo.`, [{ field: rawKey, message: `El campo «${key}» no existe en el módulo ${m.name}.` }]);
    const values = asList(rawVal);
    if (!values.length) continue;
    if (op === 'min' || op === 'max') {
      const v = values[values.length - 1];
      const cmp = op === 'min' ? '>=' : '<=';
      if (f.type === 'fecha') {
        if (!isValidDate(v)) throw badRequest(`Filtro «${rawKey}»: fecha inválida (AAAA-MM-DD).`, [{ field: rawKey, message: 'Fecha inválida (AAAA-MM-DD).' }]);
        conds.push(`r.${col(key)} ${cmp} ${p(v)}::date`);
      } else if (f.type === 'entero' || f.type === 'decimal') {
        const n = Number(v);
        if (!Number.isFinite(n)) throw badRequest(`Filtro «${rawKey}»: debe ser un número.`, [{ field: rawKey, message: 'Debe ser un número.' }]);
        conds.push(`r.${col(key)} ${cmp} ${p(n)}`);
      } else throw badRequest(`Filtro «${rawKey}»: solo fechas y números admiten rangos.`, [{ field: rawKey, message: 'Solo fechas y números admiten .min y .max.' }]);
      continue;
    }
    if (op) throw badRequest(`Filtro inválido: «${rawKey}».`, [{ field: rawKey, message: 'Use f.<campo>, f.<campo>.min o f.<campo>.max.' }]);
    switch (f.type) {
      case 'catalogo_multiple':
      case 'archivo':
        conds.push(`r.${col(key)} && ${p(values)}::text[]`);
        break;
      case 'entero':
      case 'decimal': {
        const nums = values.map(Number);
        if (nums.some((n) => !Number.isFinite(n))) throw badRequest(`Filtro «${rawKey}»: debe ser un número.`, [{ field: rawKey, message: 'Debe ser un número.' }]);
        conds.push(`r.${col(key)} = any(${p(nums)}::numeric[])`);
        break;
      }
      case 'booleano': {
        const bools = values.map((v) => (v === 'true' || v === 'si' || v === 'SI' ? true : v === 'false' || v === 'no' || v === 'NO' ? false : null));
        if (bools.some((b) => b === null)) throw badRequest(`Filtro «${rawKey}»: use true o false.`, [{ field: rawKey, message: 'Use true o false.' }]);
        conds.push(`r.${col(key)} = any(${p(bools)}::boolean[])`);
        break;
      }
      case 'fecha':
        if (values.some((v) => !isValidDate(v))) throw badRequest(`Filtro «${rawKey}»: fecha inválida.`, [{ field: rawKey, message: 'Fecha inválida (AAAA-MM-DD).' }]);
        conds.push(`r.${col(key)} = any(${p(values)}::date[])`);
        break;
      case 'texto':
      case 'texto_largo':
      case 'url':
      case 'catalogo':
      case 'entidad':
      case 'municipio':
      case 'pais':
        if (values.includes('SIN_DATO')) conds.push(`(r.${col(key)} is null or r.${col(key)}::text = any(${p(values)}::text[]))`);
        else conds.push(`r.${col(key)}::text = any(${p(values)}::text[])`);
        break;
    }
  }
  const estatus = asList(query.estatus);
  if (estatus.length) {
    if (!opts.allowEstatus && estatus.some((e) => e !== 'enviado' && e !== 'validado'))
      throw badRequest('Las estadísticas solo cuentan registros enviados o validados.', [{ field: 'estatus', message: 'Use estatus=validado o estatus=enviado.' }]);
    const bad = estatus.filter((e) => !(ESTATUS as readonly string[]).includes(e));
    if (bad.length) throw badRequest(`Estatus desconocido: ${bad.join(', ')}.`, [{ field: 'estatus', message: `Use ${ESTATUS.join(', ')}.` }]);
    conds.push(`r.estatus = any(${p(estatus)}::text[])`);
  }
  for (const [k, cmp] of [['from', '>='], ['to', '<=']] as const) {
    const v = first(query[k]);
    if (v === undefined || v === '') continue;
    if (!isValidDate(v)) throw badRequest(`«${k}» debe ser una fecha AAAA-MM-DD.`, [{ field: k, message: 'Fecha inválida (AAAA-MM-DD).' }]);
    conds.push(`r.fecha_principal ${cmp} ${p(v)}::date`);
  }
  const from = first(query.from);
  const to = first(query.to);
  if (from && to && to < from)
    throw badRequest('El periodo está invertido: «to» es anterior a «from».', [{ field: 'to', message: `«to» (${to}) es anterior a «from» (${from}): la fecha final no puede ser anterior a la inicial.` }]);
  const qText = first(query.q);
  if (qText && qText.trim()) {
    for (const word of fold(qText).split(/\s+/).filter(Boolean).slice(0, 8)) {
      conds.push(`r.search_text like ${p(`%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
    }
  }
  return conds;
}
