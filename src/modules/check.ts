// Definitions are checked at boot and in a unit test: duplicate, reserved or badly spelled keys,
// unknown catalogs or sections, rules that name missing fields.
import type { CatalogDef } from '../catalogs/types.js';
import { METADATA_FIELDS } from './metadata.js';
import { FIELD_TYPES, SERVER_METADATA, fieldCatalog, type ModuleDef } from './types.js';

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
  }
  return problems;
}

export function checkDefinitions(modules: readonly ModuleDef[], catalogs: readonly CatalogDef[]): void {
  const p = definitionProblems(modules, catalogs);
  if (p.length) throw new Error(`Definiciones de módulos inválidas:\n  ${p.join('\n  ')}`);
}
