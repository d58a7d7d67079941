// Definitions are checked at boot and in a unit test: duplicate, reserved or badly spelled keys,
// unknown catalogs or sections, rules that name missing fields.
import type { CatalogDef } from '../catalogs/types.js';
import { METADATA_FIELDS } from './metadata.js';
import { FIELD_TYPES, SERVER_METADATA, fieldCatalog, type DbKeyPart, type DbRule, type FieldDef, type ModuleDef } from './types.js';

const KEY = /^[a-z][a-z0-9_]*[a-z0-9]$/;
const TERRITORY = ['entidad', 'municipio', 'pais'];
const REFERENCES = ['operativo_ref', 'material_ref', 'instrumento_ref'];
const RESERVED = new Set<string>([...SERVER_METADATA, ...METADATA_FIELDS.map((f) => f.key), 'seq', 'fecha_principal', 'search_text']);

export function definitionProblems(modules: readonly ModuleDef[], catalogs: readonly CatalogDef[]): string[] {
  const problems: string[] = [];
  const catNames = new Set([...catalogs.map((c) => c.name), ...TERRITORY, ...REFERENCES]);
  const moduleKeys = new Set<string>();
  const prefixes = new Set<string>();
  for (const m of modules) {
    const where = `módulo ${m.key}`;
    if (!KEY.test(m.key)) problems.push(`${where}: clave mal escrita`);
    if (moduleKeys.has(m.key)) problems.push(`${where}: clave repetida`);
    moduleKeys.add(m.key);
    if (!/^[A-Z]{3}$/.test(m.folioPrefix) || prefixes.has(m.folioPrefix)) problems.push(`${where}: prefijo de folio inválido o repetido`);
    prefixes.add(m.folioPrefix);
    const keys = new Set<string>();
    const sections = new Set(m.sections.map((s) => s.key));
    for (const f of m.fields) {
      const fw = `${where}.${f.key}`;
      if (!KEY.test(f.key)) problems.push(`${fw}: clave mal escrita`);
      if (keys.has(f.key)) problems.push(`${fw}: clave repetida`);
      if (RESERVED.has(f.key)) problems.push(`${fw}: clave reservada para metadatos`);
      keys.add(f.key);
      if (!(FIELD_TYPES as readonly string[]).includes(f.type)) problems.push(`${fw}: tipo desconocido ${f.type}`);
      const cat = fieldCatalog(f);
      if ((f.type === 'catalogo' || f.type === 'catalogo_multiple') && !f.catalog) problems.push(`${fw}: falta el catálogo`);
      if (cat && !catNames.has(cat)) problems.push(`${fw}: catálogo desconocido ${cat}`);
      if (!sections.has(f.section)) problems.push(`${fw}: sección desconocida ${f.section}`);
      if (!f.label.trim()) problems.push(`${fw}: falta la etiqueta`);
    }
    const all = new Set([...keys, ...METADATA_FIELDS.map((f) => f.key)]);
    for (const f of m.fields) {
      for (const ref of [f.notBefore, f.notAbove, f.stateField, ...(f.sumOf ?? [])])
        if (ref && !all.has(ref)) problems.push(`${where}.${f.key}: hace referencia al campo inexistente ${ref}`);
    }
    for (const r of m.rules ?? []) if (!all.has(r.field)) problems.push(`${where}: regla sobre campo inexistente ${r.field}`);
    for (const c of m.listColumns) if (!keys.has(c)) problems.push(`${where}: columna de lista inexistente ${c}`);
    if (m.mainDate !== 'created_at' && m.mainDate !== 'fin_trimestre' && !m.fields.some((f) => f.key === m.mainDate && f.type === 'fecha'))
      problems.push(`${where}: fecha principal inválida ${m.mainDate}`);
    for (const u of m.uniquePerInstitution ?? []) for (const k of u) if (!all.has(k)) problems.push(`${where}: unicidad sobre campo inexistente ${k}`);
    for (const r of m.dbRules ?? []) problems.push(...dbRuleProblems(m, r, modules).map((p) => `${where}: regla con base de datos ${r.kind} (${r.field}): ${p}`));
  }
  return problems;
}

/** What is wrong in one database rule: fields that do not exist or have the wrong type, unknown modules. */
function dbRuleProblems(m: ModuleDef, r: DbRule, modules: readonly ModuleDef[]): string[] {
  const out: string[] = [];
  const fieldIn = (mod: ModuleDef, k: string): FieldDef | undefined => mod.fields.find((f) => f.key === k) ?? METADATA_FIELDS.find((f) => f.key === k);
  const need = (mod: ModuleDef, k: string, types?: readonly string[]) => {
    const f = fieldIn(mod, k);
    if (!f) out.push(`campo inexistente ${mod.key}.${k}`);
    else if (types && !types.includes(f.type)) out.push(`${mod.key}.${k} debe ser de tipo ${types.join(' o ')}`);
  };
  const other = (k: string) => {
    const o = modules.find((x) => x.key === k);
    if (!o) out.push(`módulo inexistente ${k}`);
    return o;
  };
  const key = (parts: readonly DbKeyPart[]) => {
    if (!parts.length) out.push('clave vacía');
    for (const p of parts) typeof p === 'string' ? need(m, p) : need(m, p.year, ['fecha']);
  };
  need(m, r.field);
  if (!r.message.trim()) out.push('falta el mensaje');
  switch (r.kind) {
    case 'unique':
      key(r.key);
      break;
    case 'reference-date-order': {
      need(m, r.ref, ['catalogo']);
      need(m, r.date, ['fecha']);
      const o = other(r.refModule);
      if (o) need(o, r.refDate, ['fecha']);
      break;
    }
    case 'reference-count': {
      need(m, r.ref, ['catalogo']);
      const o = other(r.refModule);
      if (o) need(o, r.max, ['entero', 'decimal']);
      break;
    }
    case 'aggregate-comparison':
      need(m, r.field, ['entero', 'decimal']);
      other(r.otherModule);
      if (!(r.tolerance >= 0 && r.tolerance <= 10)) out.push('tolerancia fuera de rango');
      if (!r.statuses.length) out.push('sin estatus que contar');
      break;
    case 'consistent':
      key(r.key);
      if (!r.fields.length) out.push('sin campos que comparar');
      for (const k of r.fields) need(m, k);
      break;
    case 'not-only-own-institution':
      need(m, r.field, ['texto', 'texto_largo']);
      if (!r.separator) out.push('falta el separador');
      break;
  }
  return out;
}

export function checkDefinitions(modules: readonly ModuleDef[], catalogs: readonly CatalogDef[]): void {
  const p = definitionProblems(modules, catalogs);
  if (p.length) throw new Error(`Definiciones de módulos inválidas:\n  ${p.join('\n  ')}`);
}
