// Properties of the shared validator over records generated from the definitions (test/arbitrary.ts): every
// valid record passes normalize → computeTotals → validate unchanged with nothing refused or pending, and a copy
// breaking one rule of each kind is refused (at every save) or held back (at sending) naming the right field.
// The same generators drive test/integration/properties.test.ts through the API.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPEC_CATALOGS } from '../catalogs/spec-catalogs.js';
import { loadTerritory } from '../catalogs/territory.js';
import type { CatalogDef, CatalogItem } from '../catalogs/types.js';
import { BREAK_KINDS, bodyOf, breakRecord, breakTargets, recordArb, type GenContext } from '../../test/arbitrary.js';
import { MODULES } from './index.js';
import { fieldCatalog, type ModuleDef, type Values } from './types.js';
import { computeTotals, mainDateOf, normalize, todayMx, validate, type CatalogLookup } from './validate.js';

// `npm run fuzz` sets FUZZ_RUNS (and FUZZ_SEED to replay a run); npm test keeps the modest defaults.
const FUZZ = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : null;
const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};
const territory = loadTerritory();
const ALL: CatalogDef[] = [...SPEC_CATALOGS, territory.entidad, territory.municipio, territory.pais];
const byName = new Map(ALL.map((c) => [c.name, c.items]));
const index = new Map<string, Map<string, CatalogItem>>(ALL.map((c) => [c.name, new Map(c.items.map((i) => [i.code, i]))]));
const lookup: CatalogLookup = { item: (c, code) => index.get(c)?.get(code), isReference: (c) => c.endsWith('_ref') };
const today = todayMx();
const FAKE_IDS = ['5f1c9a52-3b7e-4d2a-9a61-0d3b5c8e7f10', '6a2d8b63-4c8f-4e3b-8b72-1e4c6d9f8a21', '7b3e9c74-5d90-4f4c-9c83-2f5d7e0a9b32'];
const g: GenContext = {
  items: (c) => byName.get(c) ?? [],
  inst: 'SEGOB',
  references: { operativo_ref: FAKE_IDS, material_ref: FAKE_IDS, instrumento_ref: FAKE_IDS },
  files: () => FAKE_IDS,
  today,
};

function run(m: ModuleDef, body: Values) {
  const n = normalize(m, body);
  const totals = computeTotals(m, n.values);
  const r = validate(m, n.values, { catalogs: lookup, today, mainDate: mainDateOf(m, n.values, `${today}T12:00:00Z`) });
  return { values: n.values, errors: [...n.errors, ...totals, ...r.errors], pending: r.pending };
}

const fieldsOf = (xs: { field: string }[]) => [...new Set(xs.map((x) => x.field))];

describe.each(MODULES.map((m) => [m.key, m] as const))('propiedades de %s', (_key, m) => {
  it('generated valid records pass unchanged: no errors, nothing pending', () => {
    fc.assert(
      fc.property(recordArb(m, g), (v) => {
        const r = run(m, bodyOf(m, v));
        expect(r.errors).toEqual([]);
        expect(r.pending).toEqual([]);
        // normalize + computeTotals leave a clean record as it is (what the server stores is what was sent).
        expect(bodyOf(m, r.values)).toStrictEqual(bodyOf(m, v));
      }),
      { numRuns: FUZZ ?? 40, ...SEED },
    );
  });

  const kinds = BREAK_KINDS.map((k) => [k, breakTargets(m, k, g)] as const).filter(([, t]) => t.length > 0);
  it.each(kinds)('breaking %s is caught naming the field', (kind, targets) => {
    // The validator does not look up record references (the server does, in the database).
    const usable = kind === 'codigo' ? targets.filter((t) => !fieldCatalog(m.fields.find((f) => f.key === t) ?? { type: 'texto' } as never)?.endsWith('_ref')) : targets;
    if (!usable.length) return;
    let checked = 0;
    fc.assert(
      fc.property(recordArb(m, g), fc.constantFrom(...usable), fc.nat(), (v, target, seed) => {
        const b = breakRecord(m, v, kind, target, g, seed);
        fc.pre(b !== null);
        const r = run(m, b!.body);
        if (b!.stage === 'guardar') {
          expect(fieldsOf(r.errors), JSON.stringify(r.errors)).toContain(b!.field);
          for (const f of fieldsOf(r.errors)) expect([b!.field, ...b!.alsoMay], JSON.stringify(r.errors)).toContain(f);
          for (const e of r.errors) expect(e.message).toMatch(/«.+»|campo_inventado/);
        } else {
          expect(r.errors, JSON.stringify(b!.body)).toEqual([]);
          expect(fieldsOf(r.pending), JSON.stringify(r.pending)).toContain(b!.field);
        }
        checked++;
      }),
      { numRuns: FUZZ ? Math.ceil(FUZZ / 4) : 15, ...SEED },
    );
    expect(checked).toBeGreaterThan(0);
  });
});
