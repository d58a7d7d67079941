// Dimensions of the statistics engine: any catalog, entidad, municipio, país or boolean field of a module,
// the record metadata, the period parts of the module's main date, the pseudo-dimension _medida, and the
// derived dimensions the legal tables need (age group from the recorded age, NNA/adulta, region of
// nationality, route ends and route type). A dimension may be a composite `a*b` (e.g. `sexo*nna_adulta`)
// whose codes are `codeA|codeB`, for the three-way tables of spec §4.1. Every SQL fragment here is built
// from definitions and constants; user input only selects among them.
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { fieldCatalog, type FieldDef, type ModuleDef } from '../../modules/types.js';
import type { CatalogRegistry } from '../catalogs/registry.js';
import { badRequest } from '../http/errors.js';
import { col } from '../records/service.js';
import { REGIONS, regionSql } from './regions.js';

export const SIN_DATO = 'SIN_DATO';
const SD = `'${SIN_DATO}'`;

/** One component of a dimension. */
export interface DimPart {
  key: string;
  label: string;
  /** Scalar SQL over alias r giving a text code, never null. */
  expr?: string;
  /** Multi-choice: SQL over alias r giving a text[] of codes (SIN_DATO when empty). */
  arrayExpr?: string;
  /** _medida: one row per summed field. */
  measures?: string[];
  catalog?: string;
  /** Labels and order of derived codes. */
  codes?: readonly { code: string; label: string }[];
  /** Route ends mix state codes (2 digits) and country codes (3 letters). */
  mixedPlace?: boolean;
  /** Municipal level (spec §4.3.4: published only if every cell is ≥ the threshold). */
  municipal?: boolean;
  derived?: boolean;
}

export interface Dim {
  name: string;
  parts: DimPart[];
  multi: boolean;
}

const NNA_GROUPS = ['E00_05', 'E06_11', 'E12_14', 'E15_17', 'NNA_SD'];
const ADULT_GROUPS = ['E18_24', 'E25_29', 'E30_39', 'E40_49', 'E50_59', 'E60_MAS', 'ADULTO_SD'];
const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(',');

/** Age group from the recorded age when there is one (spec §2.9 var. 9: the group is computed from it). */
const GRUPO_EDAD_SQL = `case when r.edad is null then coalesce(r.grupo_edad, ${SD})
  when r.edad <= 5 then 'E00_05' when r.edad <= 11 then 'E06_11' when r.edad <= 14 then 'E12_14' when r.edad <= 17 then 'E15_17'
  when r.edad <= 24 then 'E18_24' when r.edad <= 29 then 'E25_29' when r.edad <= 39 then 'E30_39' when r.edad <= 49 then 'E40_49'
  when r.edad <= 59 then 'E50_59' else 'E60_MAS' end`;

/** NNA = under 18 (LGDNNA art. 5); from the age when recorded, else from the group; unknown stays unknown. */
const NNA_SQL = `case when r.edad is not null then (case when r.edad < 18 then 'NNA' else 'ADULTA' end)
  when r.grupo_edad in (${list(NNA_GROUPS)}) then 'NNA' when r.grupo_edad in (${list(ADULT_GROUPS)}) then 'ADULTA'
  when r.grupo_edad is null then ${SD} else 'NE' end`;

export const NNA_CODES = [
  { code: 'NNA', label: 'Niñas, niños y adolescentes (menores de 18 años)' },
  { code: 'ADULTA', label: 'Personas adultas (18 años o más)' },
  { code: 'NE', label: 'Edad no especificada' },
] as const;

const placeSql = (pais: string, entidad: string) =>
  `case when r.${pais} is null then ${SD} when r.${pais} = 'MEX' then coalesce(r.${entidad}, ${SD}) else r.${pais} end`;

export const TIPO_RUTA_CODES = [
  { code: 'INTERNA', label: 'Interna (captación y destino en México)' },
  { code: 'INTERNACIONAL', label: 'Internacional' },
  { code: 'NE', label: 'No determinable (país no especificado)' },
] as const;

const TIPO_RUTA_SQL = `case when r.pais_captacion is null or r.pais_destino is null then ${SD}
  when r.pais_captacion = 'XXX' or r.pais_destino = 'XXX' then 'NE'
  when r.pais_captacion = 'MEX' and r.pais_destino = 'MEX' then 'INTERNA' else 'INTERNACIONAL' end`;

/** Derived dimensions per module (only where the module has the fields they read). */
const DERIVED: Record<string, Record<string, DimPart>> = {
  victimas: {
    grupo_edad: { key: 'grupo_edad', label: 'Grupo de edad', expr: GRUPO_EDAD_SQL, catalog: 'grupo_edad', derived: true },
    nna_adulta: { key: 'nna_adulta', label: 'NNA / persona adulta', expr: NNA_SQL, codes: NNA_CODES, derived: true },
    region_nacionalidad: { key: 'region_nacionalidad', label: 'Región de la nacionalidad', expr: regionSql('r.nacionalidad'), codes: REGIONS, derived: true },
    ruta_origen: { key: 'ruta_origen', label: 'Origen de la ruta (entidad o país de captación)', expr: placeSql('pais_captacion', 'entidad_captacion'), mixedPlace: true, derived: true },
    ruta_destino: { key: 'ruta_destino', label: 'Destino de la ruta (entidad o país de destino)', expr: placeSql('pais_destino', 'entidad_destino'), mixedPlace: true, derived: true },
    tipo_ruta: { key: 'tipo_ruta', label: 'Tipo de ruta', expr: TIPO_RUTA_SQL, codes: TIPO_RUTA_CODES, derived: true },
  },
};

const PERIOD: Record<string, DimPart> = {
  anio: { key: 'anio', label: 'Año', expr: `coalesce(extract(year from r.fecha_principal)::int::text, ${SD})` },
  trimestre: { key: 'trimestre', label: 'Trimestre', expr: `coalesce(extract(quarter from r.fecha_principal)::int::text, ${SD})` },
  mes: { key: 'mes', label: 'Mes', expr: `coalesce(lpad(extract(month from r.fecha_principal)::int::text, 2, '0'), ${SD})` },
};

export function derivedOf(m: ModuleDef): Record<string, DimPart> {
  return DERIVED[m.key] ?? {};
}

function fieldPart(f: FieldDef): DimPart | null {
  const c = `r.${col(f.key)}`;
  const base = { key: f.key, label: f.label, catalog: fieldCatalog(f), municipal: f.type === 'municipio' };
  switch (f.type) {
    case 'catalogo_multiple':
      return { ...base, arrayExpr: `case when cardinality(${c}) = 0 then array[${SD}] else ${c} end` };
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return { ...base, expr: `coalesce(${c}::text, ${SD})` };
    case 'booleano':
      return { ...base, expr: `coalesce(case when ${c} then 'SI' when not ${c} then 'NO' end, ${SD})`, codes: [{ code: 'SI', label: 'Sí' }, { code: 'NO', label: 'No' }] };
    case 'entero':
      // Only the reporting period of the metadata is a dimension among the numbers.
      return f.key === 'periodo_anio' || f.key === 'periodo_trimestre' ? { ...base, expr: `coalesce(${c}::text, ${SD})` } : null;
    default:
      return null;
  }
}

/** One named component (no composites). */
export function dimPart(m: ModuleDef, name: string, measures: string[], param: 'rows' | 'cols'): DimPart {
  if (PERIOD[name]) return PERIOD[name];
  if (name === 'entidad_federativa')
    return {
      key: name,
      label: 'Entidad federativa donde aplica la acción',
      catalog: 'entidad',
      expr: `coalesce(r.entidad_federativa, case when r.ambito = 'FEDERAL' then 'NACIONAL' else ${SD} end)`,
    };
  if (name === '_medida') {
    if (!measures.length) throw badRequest('«_medida» necesita «sum» con uno o más campos.', [{ field: 'sum', message: 'Indique los campos a sumar.' }]);
    return { key: name, label: 'Medida', measures, codes: measures.map((k) => ({ code: k, label: m.fields.find((f) => f.key === k)?.label ?? k })) };
  }
  const derived = derivedOf(m)[name];
  if (derived) return derived;
  const f = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === name);
  const part = f ? fieldPart(f) : null;
  if (!part)
    throw badRequest(
      `No se puede tabular por «${name}»: use un campo de catálogo, entidad, municipio, país o sí/no del módulo, o anio, trimestre, mes, institucion_id, ambito, entidad_federativa${Object.keys(derivedOf(m)).length ? `, ${Object.keys(derivedOf(m)).join(', ')}` : ''}.`,
      [{ field: param, message: `Dimensión desconocida «${name}».` }],
    );
  return part;
}

/** Resolves `rows`/`cols`: a name or a composite `a*b[*c]`. */
export function resolveDim(m: ModuleDef, name: string, measures: string[], param: 'rows' | 'cols'): Dim {
  const names = name.split('*').map((s) => s.trim());
  if (names.length > 3 || names.some((n) => !n) || new Set(names).size !== names.length)
    throw badRequest(`«${param}»: una dimensión compuesta une de 2 a 3 dimensiones distintas con «*» (p. ej. sexo*nna_adulta).`, [
      { field: param, message: 'Dimensión compuesta inválida.' },
    ]);
  const parts = names.map((n) => dimPart(m, n, measures, param));
  if (parts.length > 1 && parts.some((p) => p.measures))
    throw badRequest('«_medida» no se combina con otras dimensiones.', [{ field: param, message: '«_medida» va sola.' }]);
  return { name: names.join('*'), parts, multi: parts.some((p) => p.arrayExpr !== undefined) };
}

/** Every dimension a module offers, for clients. */
export function dimensionsOf(m: ModuleDef): { key: string; label: string; multi: boolean; derived: boolean }[] {
  const out: { key: string; label: string; multi: boolean; derived: boolean }[] = [];
  for (const p of Object.values(PERIOD)) out.push({ key: p.key, label: p.label, multi: false, derived: true });
  out.push({ key: 'entidad_federativa', label: 'Entidad federativa donde aplica la acción', multi: false, derived: false });
  for (const f of [...METADATA_FIELDS, ...m.fields]) {
    if (f.key === 'entidad_federativa') continue;
    if (derivedOf(m)[f.key]) continue;
    const p = fieldPart(f);
    if (p) out.push({ key: f.key, label: f.label, multi: p.arrayExpr !== undefined, derived: false });
  }
  for (const p of Object.values(derivedOf(m))) out.push({ key: p.key, label: p.label, multi: false, derived: true });
  return out;
}

/** Label and sort position of one code of a component. */
export function codeInfo(cats: CatalogRegistry, p: DimPart, code: string): { label: string; order: number } {
  if (code === SIN_DATO) return { label: 'Sin dato', order: 1e9 };
  if (code === 'NACIONAL') return { label: 'Nacional / federal', order: -1 };
  if (p.codes) {
    const i = p.codes.findIndex((c) => c.code === code);
    if (i >= 0) return { label: p.codes[i].label, order: i };
  }
  if (p.key === 'anio' || p.key === 'trimestre' || p.key === 'mes' || p.key === 'periodo_anio' || p.key === 'periodo_trimestre')
    return { label: p.key === 'trimestre' || p.key === 'periodo_trimestre' ? `Trimestre ${code}` : code, order: Number(code) };
  const cat = p.mixedPlace ? (/^\d{2}$/.test(code) ? 'entidad' : 'pais') : p.catalog;
  if (cat) {
    const items = cats.get(cat)?.items;
    const i = items ? items.findIndex((x) => x.code === code) : -1;
    if (i >= 0) {
      // Mixed route ends: Mexican states first, then countries. Municipalities carry their state (names repeat).
      const it = items![i];
      const label = p.mixedPlace && cat === 'pais' ? `${it.label} (país)` : cat === 'municipio' && it.parent ? `${it.label}, ${cats.label('entidad', String(it.parent))}` : it.label;
      return { label, order: p.mixedPlace && cat === 'pais' ? 1000 + i : i };
    }
  }
  return { label: code, order: 1e8 };
}
