// Derived fields (FieldDef.derive): the victims' age group comes from the recorded age, with the same
// band the module's rule checks, filled by the server when left empty and never overriding what was sent.
import { describe, expect, it } from 'vitest';
import { victimas } from './victimas.js';
import { computeTotals } from './validate.js';

const rule = victimas.rules.find((r) => r.field === 'grupo_edad')!;
const grupo = victimas.fields.find((f) => f.key === 'grupo_edad')!;

// Independent statement of the spec's bands (§3.2 GRUPO_EDAD).
const BANDS: [number, number, string][] = [
  [0, 5, 'E00_05'], [6, 11, 'E06_11'], [12, 14, 'E12_14'], [15, 17, 'E15_17'], [18, 24, 'E18_24'],
  [25, 29, 'E25_29'], [30, 39, 'E30_39'], [40, 49, 'E40_49'], [50, 59, 'E50_59'], [60, 110, 'E60_MAS'],
];

describe('grupo de edad derivado de la edad', () => {
  it('for every age 0…110 gives the spec band, and the module rule accepts it', () => {
    for (let edad = 0; edad <= 110; edad++) {
      const v: Record<string, unknown> = { edad, grupo_edad: null };
      expect(computeTotals(victimas, v)).toEqual([]);
      const band = BANDS.find(([a, b]) => edad >= a && edad <= b)![2];
      expect(v.grupo_edad, `edad ${edad}`).toBe(band);
      expect(rule.check(v)).toBe(true);
    }
  });

  it('leaves the group to the user when the age is unknown, and does not overwrite a group that was sent', () => {
    const unknown: Record<string, unknown> = { edad: null, grupo_edad: null };
    computeTotals(victimas, unknown);
    expect(unknown.grupo_edad).toBeNull();
    expect(grupo.derive!.value({ edad: null })).toBeUndefined();
    const sent: Record<string, unknown> = { edad: 30, grupo_edad: 'E15_17' };
    computeTotals(victimas, sent);
    expect(sent.grupo_edad).toBe('E15_17');
    expect(rule.check(sent)).toBe(false);
  });
});
