// The module definitions against the spec's counts (spec §2), the definition checker, and every
// module's example run through the same validator the server uses.
import { describe, expect, it } from 'vitest';
import { SPEC_CATALOGS } from '../catalogs/spec-catalogs.js';
import { loadTerritory } from '../catalogs/territory.js';
import type { CatalogDef, CatalogItem } from '../catalogs/types.js';
import { definitionProblems } from './check.js';
import { MODULES } from './index.js';
import { evalCond, type FieldDef, type ModuleDef } from './types.js';
import { computeTotals, mainDateOf, normalize, todayMx, validate, type CatalogLookup } from './validate.js';

const EXPECTED_COUNTS: Record<string, number> = {
  instrumentos: 13,
  convenios: 5,
  avances_legislativos: 6,
  comisiones: 16,
  colaboracion_internacional: 7,
  capacitacion: 34,
  difusion: 13,
  materiales_difusion: 6,
  victimas: 44,
  modelos_atencion: 19,
  unidades_especializadas: 10,
  operativos_rescate: 16,
};

const territory = loadTerritory();
const ALL_CATALOGS: CatalogDef[] = [...SPEC_CATALOGS, territory.entidad, territory.municipio, territory.pais];
const index = new Map<string, Map<string, CatalogItem>>(ALL_CATALOGS.map((c) => [c.name, new Map(c.items.map((i) => [i.code, i]))]));
const lookup: CatalogLookup = {
  item: (catalog, code) => index.get(catalog)?.get(code),
  isReference: (catalog) => catalog.endsWith('_ref'),
};

function clone(m: ModuleDef, fields: FieldDef[]): ModuleDef {
  return { ...m, fields };
}

describe('module definitions', () => {
  it('has the 12 modules of the spec in order with their field counts (189 in all)', () => {
    expect(MODULES.map((m) => m.key)).toEqual(Object.keys(EXPECTED_COUNTS));
    const counts = Object.fromEntries(MODULES.map((m) => [m.key, m.fields.length]));
    expect(counts).toEqual(EXPECTED_COUNTS);
    expect(MODULES.reduce((s, m) => s + m.fields.length, 0)).toBe(189);
    expect(MODULES.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('definitionProblems finds nothing in the real definitions', () => {
    expect(definitionProblems(MODULES, SPEC_CATALOGS)).toEqual([]);
  });

  it('definitionProblems catches a duplicated key, an unknown catalog and a reserved key', () => {
    const conv = MODULES.find((m) => m.key === 'convenios')!;
    const dup = clone(conv, [...conv.fields, { ...conv.fields[1] }]);
    expect(definitionProblems([dup], SPEC_CATALOGS)).toEqual(['módulo convenios.contraparte: clave repetida']);

    const unknownCat = clone(
      conv,
      conv.fields.map((f) => (f.key === 'tipo_convenio' ? { ...f, catalog: 'catalogo_inexistente' } : f)),
    );
    expect(definitionProblems([unknownCat], SPEC_CATALOGS)).toEqual(['módulo convenios.tipo_convenio: catálogo desconocido catalogo_inexistente']);

    const reserved = clone(conv, [...conv.fields, { key: 'estatus', label: 'Estatus', type: 'texto', required: false, section: conv.sections[0].key }]);
    expect(definitionProblems([reserved], SPEC_CATALOGS)).toEqual(['módulo convenios.estatus: clave reservada para metadatos']);

    const metaReserved = clone(conv, [...conv.fields, { key: 'periodo_anio', label: 'Año', type: 'entero', required: false, section: conv.sections[0].key }]);
    expect(definitionProblems([metaReserved], SPEC_CATALOGS)).toEqual(['módulo convenios.periodo_anio: clave reservada para metadatos']);

    // The real definitions are untouched by the doctored copies.
    expect(definitionProblems(MODULES, SPEC_CATALOGS)).toEqual([]);
  });

  describe.each(MODULES.map((m) => [m.key, m] as const))('example of %s', (_key, m) => {
    it('passes normalize + computeTotals + validate with no errors and nothing pending but required files', () => {
      const body = structuredClone(m.example) as Record<string, unknown>;
      const { values, errors } = normalize(m, body);
      expect(errors).toEqual([]);
      const totals = computeTotals(m, values);
      expect(totals).toEqual([]);
      // The same main date the server passes (catalog validity on that date, period check).
      const mainDate = mainDateOf(m, values, new Date().toISOString());
      const r = validate(m, values, { catalogs: lookup, today: todayMx(), mainDate });
      expect(r.errors).toEqual([]);
      const requiredFiles = m.fields
        .filter((f) => f.type === 'archivo' && (f.required === true || (typeof f.required === 'object' && evalCond(f.required, values))))
        .map((f) => f.key);
      const pendingOther = r.pending.filter((p) => !requiredFiles.includes(p.field));
      expect(pendingOther).toEqual([]);
      // What is pending is exactly the required archivo fields, which the example leaves empty.
      expect(r.pending.map((p) => p.field).sort()).toEqual([...requiredFiles].sort());
    });

    it('carries every field key and every client metadata key', () => {
      const keys = Object.keys(m.example);
      for (const f of m.fields) expect(keys, `${m.key}.${f.key}`).toContain(f.key);
      for (const k of ['institucion_id', 'ambito', 'periodo_anio', 'periodo_trimestre']) expect(keys).toContain(k);
    });
  });
});
