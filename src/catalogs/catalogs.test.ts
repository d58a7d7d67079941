import { describe, it, expect } from 'vitest';
import { SPEC_CATALOGS, CATALOG_NAMES_SPEC } from './spec-catalogs.js';
import { loadTerritory } from './territory.js';
import type { CatalogDef } from './types.js';

const territory = loadTerritory();
const all: CatalogDef[] = [...SPEC_CATALOGS, territory.entidad, territory.municipio, territory.pais];
const byName = (name: string): CatalogDef => {
  const c = all.find((x) => x.name === name);
  if (!c) throw new Error(`catalog ${name} missing`);
  return c;
};
const item = (cat: string, code: string) => byName(cat).items.find((i) => i.code === code);

describe('territory catalogs', () => {
  it('has the 32 states 01..32 with leading zeros, plus 99', () => {
    const codes = territory.entidad.items.map((i) => i.code);
    const expected = Array.from({ length: 32 }, (_, k) => String(k + 1).padStart(2, '0'));
    expect(codes.filter((c) => c !== '99')).toEqual(expected);
    expect(item('entidad', '99')?.special).toBe(true);
    expect(item('entidad', '15')?.label).toBe('México');
    expect(item('entidad', '09')?.abbr).toBe('CDMX');
  });

  it('has 2,478 INEGI municipalities plus one 999 row per state', () => {
    const items = territory.municipio.items;
    const special = items.filter((i) => i.code.endsWith('999'));
    expect(items.length - special.length).toBe(2478);
    expect(special.length).toBe(32);
    expect(special.every((i) => i.special === true && i.label === 'Municipio no especificado')).toBe(true);
    expect(items.every((i) => /^\d{5}$/.test(i.code))).toBe(true);
    expect(items.filter((i) => i.parent === '09' && !i.special).length).toBe(16);
  });

  it('every municipio parent is an existing state', () => {
    const states = new Set(territory.entidad.items.map((i) => i.code));
    for (const m of territory.municipio.items) {
      expect(states.has(m.parent as string), m.code).toBe(true);
      expect(m.code.slice(0, 2)).toBe(m.parent);
    }
  });

  it('stores population 0 (no census figure) as null', () => {
    expect(item('municipio', '24059')?.poblacion).toBeNull();
    expect(item('municipio', '01001')?.poblacion).toBe(948990);
  });

  it('has ISO alpha-3 countries with Spanish names and the ICAO extra codes', () => {
    expect(item('pais', 'MEX')?.label).toBe('México');
    expect(item('pais', 'MEX')?.alpha2).toBe('MX');
    expect(item('pais', 'SWZ')?.label).toBe('Esuatini');
    expect(item('pais', 'CZE')?.label).toBe('Chequia');
    expect(item('pais', 'XXA')?.label).toBe('Persona apátrida');
    expect(item('pais', 'XXX')?.special).toBe(true);
    const iso = territory.pais.items.filter((i) => !i.special);
    expect(iso.length).toBe(249);
    expect(iso.every((i) => /^[A-Z]{3}$/.test(i.code))).toBe(true);
    const labels = iso.map((i) => i.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'es')));
  });

  it('marks the territorial catalogs official with a source', () => {
    for (const c of [territory.entidad, territory.municipio, territory.pais]) {
      expect(c.official).toBe(true);
      expect(c.source).toBeTruthy();
    }
  });
});

describe('spec catalogs', () => {
  it('exposes unique lowercase names, excluding territory and record references', () => {
    expect(new Set(CATALOG_NAMES_SPEC).size).toBe(CATALOG_NAMES_SPEC.length);
    for (const n of CATALOG_NAMES_SPEC) expect(n).toMatch(/^[a-z_]+$/);
    for (const n of ['entidad', 'municipio', 'pais', 'operativo_ref', 'material_ref', 'instrumento_ref']) {
      expect(CATALOG_NAMES_SPEC).not.toContain(n);
    }
    for (const n of ['ambito', 'orden_gobierno', 'estatus_registro', 'tipo_institucion_local', 'institucion', 'pn_accion', 'idioma']) {
      expect(CATALOG_NAMES_SPEC).toContain(n);
    }
  });

  it('every catalog is non-empty, titled, with no duplicate codes', () => {
    for (const c of all) {
      expect(c.items.length, c.name).toBeGreaterThan(0);
      expect(c.title, c.name).toBeTruthy();
      const codes = c.items.map((i) => i.code);
      expect(new Set(codes).size, c.name).toBe(codes.length);
      for (const i of c.items) expect(i.label, `${c.name}.${i.code}`).toBeTruthy();
    }
  });

  it('labels carry no spec annotations', () => {
    for (const c of SPEC_CATALOGS) {
      for (const i of c.items) expect(i.label, `${c.name}.${i.code}`).not.toMatch(/excluyente|`|\.$/);
    }
  });

  it('grupo_edad groups NNA / ADULTA, NE without group', () => {
    const g = Object.fromEntries(byName('grupo_edad').items.map((i) => [i.code, i.group]));
    for (const c of ['E00_05', 'E06_11', 'E12_14', 'E15_17', 'NNA_SD']) expect(g[c]).toBe('NNA');
    for (const c of ['E18_24', 'E25_29', 'E30_39', 'E40_49', 'E50_59', 'E60_MAS', 'ADULTO_SD']) expect(g[c]).toBe('ADULTA');
    expect(g.NE).toBeUndefined();
  });

  it('marks exactly the excluyente codes of the spec', () => {
    const expected: Record<string, string[]> = {
      orden_gobierno: ['NO_APLICA'],
      autoadscripcion: ['NINGUNA', 'NE'],
      forma_enganche: ['NE'],
      medio_contacto: ['NE'],
      espacio_ocurrencia: ['NE'],
      medio_transporte: ['SIN_TRASLADO', 'NE'],
      modalidad_explotacion: ['NO_DETERMINADA'],
    };
    for (const c of all) {
      const marked = c.items.filter((i) => i.exclusive).map((i) => i.code);
      expect(marked, c.name).toEqual(expected[c.name] ?? []);
    }
  });

  it('tipo_material flags the physical types', () => {
    const physical = byName('tipo_material').items.filter((i) => i.physical).map((i) => i.code);
    expect(physical).toEqual(['CARTEL', 'TRIPTICO_FOLLETO', 'GUIA_MANUAL', 'LONA_BANNER', 'UTILITARIO', 'HISTORIETA', 'MATERIAL_DIDACTICO']);
  });

  it('idioma has the fixed codes and the 68 INALI agrupaciones', () => {
    const items = byName('idioma').items;
    for (const c of ['ES', 'EN', 'FR', 'HT', 'PT', 'LSM', 'BRAILLE', 'OTRO']) expect(items.some((i) => i.code === c)).toBe(true);
    const inali = items.filter((i) => i.group === 'INALI');
    expect(inali.length).toBe(68);
    expect(inali.map((i) => i.code)).toEqual(Array.from({ length: 68 }, (_, k) => `INALI_${k + 1}`));
    const labels = inali.map((i) => i.label);
    for (const l of ['Náhuatl', 'Maya', 'Tseltal', 'Tsotsil', 'Mixteco', 'Zapoteco']) expect(labels).toContain(l);
  });

  it('institucion seed rows have grupo and ámbito federal', () => {
    const inst = byName('institucion').items;
    expect(inst.length).toBe(24);
    for (const i of inst) {
      expect(['CI_INTEGRANTE', 'CI_VOZ', 'OTRA_FEDERAL']).toContain(i.group);
      expect(i.ambito).toBe('FEDERAL');
    }
    expect(inst.filter((i) => i.group === 'CI_INTEGRANTE').length).toBe(14);
  });

  it('pn_accion has the five placeholder acciones, selectable with no end date', () => {
    const pn = byName('pn_accion').items;
    expect(pn.map((i) => i.code)).toEqual(['PN2022-A1.0.0', 'PN2022-A2.0.0', 'PN2022-A3.0.0', 'PN2022-A4.0.0', 'PN2022-A5.0.0']);
    pn.forEach((i, k) => {
      expect(i.group).toBe(`PN2022-O${k + 1}`);
      expect(i.label.startsWith(`Objetivo ${k + 1}: `)).toBe(true);
      expect(i.label.endsWith(' — sin acción puntual específica')).toBe(true);
      expect(i.validFrom).toBe('2022-12-28');
      expect(i.validTo).toBeUndefined();
    });
  });

  it('official spec catalogs carry a source; fundamento transcribed', () => {
    for (const c of SPEC_CATALOGS.filter((x) => x.official)) expect(c.source, c.name).toBeTruthy();
    expect(byName('modalidad_explotacion').official).toBe(true);
    expect(byName('tipo_penal').official).toBe(true);
    expect(item('modalidad_explotacion', 'ESCLAVITUD')?.fundamento).toBe('art. 10 fr. I; art. 11');
    expect(item('modalidad_explotacion', 'NO_DETERMINADA')?.fundamento).toBeUndefined();
    expect(item('enfoque', 'GENERO')?.fundamento).toBe('LG art. 3 fr. II; Modelo; PN');
  });
});
