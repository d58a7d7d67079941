// Every country of the PAIS catalog falls in a region of the legal tables (T-08, T-11), so no foreign
// victim lands in "Otros territorios" by an omission of the list.
import { describe, expect, it } from 'vitest';
import { loadTerritory } from '../../catalogs/territory.js';
import { REGIONS, regionOf } from './regions.js';

describe('regiones de la nacionalidad', () => {
  const paises = loadTerritory().pais.items.map((i) => i.code);

  it('covers every ISO 3166-1 country but Antarctica', () => {
    const otro = paises.filter((c) => regionOf(c) === 'OTRO');
    expect(otro).toEqual(['ATA']);
    expect(paises.length).toBeGreaterThan(240);
  });

  it('places the countries where most foreign victims come from', () => {
    expect(regionOf('MEX')).toBe('MEXICO');
    for (const c of ['GTM', 'HND', 'SLV', 'NIC']) expect(regionOf(c)).toBe('CENTROAMERICA');
    for (const c of ['VEN', 'COL', 'ECU']) expect(regionOf(c)).toBe('SUDAMERICA');
    for (const c of ['CUB', 'HTI', 'DOM']) expect(regionOf(c)).toBe('CARIBE');
    expect(regionOf('USA')).toBe('NORTEAMERICA');
    expect(regionOf('XXA')).toBe('APATRIDA');
    expect(regionOf('XXX')).toBe('NE');
    expect(new Set(REGIONS.map((r) => r.code)).size).toBe(REGIONS.length);
  });
});
