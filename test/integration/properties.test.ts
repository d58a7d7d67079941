// Property-based tests through the API, generated from the module definitions (test/arbitrary.ts): for every
// module, valid records round-trip every field unchanged (POST, GET; codes with leading zeros intact) and can be
// sent; a copy breaking one rule of each kind is refused naming the right field with nothing stored (rules of
// every save), or saved as a draft that cannot be sent (rules of sending). Modest runs here; more with
// `npm run fuzz` (FUZZ_RUNS). Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES, getModule } from '../../src/modules/index.js';
import type { ModuleDef } from '../../src/modules/types.js';
import { METADATA_FIELDS } from '../../src/modules/metadata.js';
import { SPEC_CATALOGS } from '../../src/catalogs/spec-catalogs.js';
import { loadTerritory } from '../../src/catalogs/territory.js';
import { todayMx } from '../../src/modules/validate.js';
import { tableName } from '../../src/server/db/schema.js';
import { BREAK_KINDS, bodyOf, breakRecord, breakTargets, recordArb, type GenContext } from '../arbitrary.js';
import { TINY_PDF, client, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

// `npm run fuzz` sets FUZZ_RUNS (and FUZZ_SEED to replay a run); npm test keeps a few runs per property.
const FUZZ = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : null;
const OPTS = { endOnFailure: FUZZ === null, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) };
const territory = loadTerritory();
const SPEC = new Map([...SPEC_CATALOGS, territory.entidad, territory.municipio, territory.pais].map((c) => [c.name, c.items]));
const specItems = (c: string) => SPEC.get(c) ?? [];
type Client = ReturnType<typeof client>;
const namesField = (m: ModuleDef, e: { field: string; message: string }) => {
  const f = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === e.field || `${x.key}_otro` === e.field);
  return /«.+»/.test(e.message) || (f !== undefined && e.message.includes(f.label));
};
const fieldsOf = (xs: { field: string }[] | undefined) => [...new Set((xs ?? []).map((x) => x.field))];

describe.each(dbKinds())('propiedades por la API (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let g: GenContext;
  let seq = 0;

  beforeAll(async () => {
    env = await setup(kind);
    const cookie = await login(env.app);
    admin = client(env.app, cookie);
    const files: string[] = [];
    for (let i = 0; i < 4; i++) {
      const mp = multipart({}, { name: `evidencia-${i}.pdf`, data: Buffer.concat([TINY_PDF, Buffer.from(`% ${i}\n`)]), type: 'application/pdf' });
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...mp.headers, cookie }, payload: mp.payload });
      expect(r.statusCode, r.body).toBe(201);
      files.push(JSON.parse(r.body).id);
    }
    // One record of each module the record-reference catalogs list (spec §3.7): an operation that started the
    // day the Ley General was published (no generated victim predates it), a sent material, an attention instrument.
    const ex = (k: string) => structuredClone(getModule(k)!.example) as Record<string, unknown>;
    const op = await admin.post('/api/v1/modules/operativos_rescate/records', { ...ex('operativos_rescate'), fecha_inicio: '2012-06-14', fecha_fin: null, periodo_anio: 2012 });
    expect(op.status, JSON.stringify(op.body)).toBe(201);
    const mat = await admin.post('/api/v1/modules/materiales_difusion/records', { ...ex('materiales_difusion'), archivo_material: [files[0]] });
    expect(mat.status, JSON.stringify(mat.body)).toBe(201);
    expect((await admin.post(`/api/v1/modules/materiales_difusion/records/${mat.body.id}/submit`, {})).status).toBe(200);
    const ins = await admin.post('/api/v1/modules/instrumentos/records', { ...ex('instrumentos'), nombre_instrumento: 'Instrumento de atención para propiedades' });
    expect(ins.status).toBe(201);
    g = {
      items: (c) => env.ctx.catalogs.get(c)?.items ?? [],
      inst: 'SEGOB',
      references: { operativo_ref: [op.body.id], material_ref: [mat.body.id], instrumento_ref: [ins.body.id] },
      files: () => files,
      today: todayMx(),
      unique: () => (++seq).toString(36),
    };
  });
  afterAll(async () => {
    await env?.close();
  });

  const stored = async (m: ModuleDef) => (await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)}`))[0].n;

  describe.each(MODULES.map((m) => [m.key, m] as const))('%s', (_key, m) => {
    it('valid records round-trip every field unchanged and can be sent', async () => {
      await fc.assert(
        fc.asyncProperty(recordArb(m, g), async (v) => {
          const body = bodyOf(m, v);
          const r = await admin.post(`/api/v1/modules/${m.key}/records`, body);
          expect(r.status, JSON.stringify(r.body)).toBe(201);
          expect(r.body.pending, JSON.stringify(body)).toEqual([]);
          const got = await admin.get(`/api/v1/modules/${m.key}/records/${r.body.id}`);
          expect(got.status).toBe(200);
          for (const [k, val] of Object.entries(body)) expect(got.body[k], `${m.key}.${k}`).toStrictEqual(val);
          const s = await admin.post(`/api/v1/modules/${m.key}/records/${r.body.id}/submit`, {});
          expect(s.status, JSON.stringify(s.body)).toBe(200);
        }),
        { numRuns: FUZZ ? Math.ceil(FUZZ / 4) : 3, ...OPTS },
      );
    });

    // The kinds that apply to the module, from its definition and the spec's catalogs (the database holds the same).
    const applicable = BREAK_KINDS.filter((k) => breakTargets(m, k, { items: specItems, references: { operativo_ref: [], material_ref: [], instrumento_ref: [] } }).length > 0);
    it.each(applicable)('breaking %s: refused naming the field, nothing stored', async (k) => {
      const targets = breakTargets(m, k, g);
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(recordArb(m, g), fc.constantFrom(...targets), fc.nat(), fc.boolean(), async (v, target, seed, viaPut) => {
          const b = breakRecord(m, v, k, target, g, seed);
          fc.pre(b !== null);
          const broken = b!;
          const allowed = [broken.field, ...broken.alsoMay];
          if (broken.stage === 'guardar') {
            // Refused on create, nothing stored...
            const before = await stored(m);
            const r = await admin.post(`/api/v1/modules/${m.key}/records`, broken.body);
            expect(r.status, JSON.stringify(r.body)).toBe(400);
            expect(String(r.raw.headers['content-type'])).toContain('application/problem+json');
            expect(fieldsOf(r.body.errors), JSON.stringify(r.body.errors)).toContain(broken.field);
            for (const f of fieldsOf(r.body.errors)) expect(allowed, JSON.stringify(r.body.errors)).toContain(f);
            expect(await stored(m)).toBe(before);
            // ...and on update of a valid draft, which stays as it was.
            if (viaPut) {
              const ok = await admin.post(`/api/v1/modules/${m.key}/records`, bodyOf(m, v));
              expect(ok.status, JSON.stringify(ok.body)).toBe(201);
              const u = await admin.put(`/api/v1/modules/${m.key}/records/${ok.body.id}`, { ...broken.body, version: ok.body.version });
              expect(u.status, JSON.stringify(u.body)).toBe(400);
              expect(fieldsOf(u.body.errors)).toContain(broken.field);
              const after = await admin.get(`/api/v1/modules/${m.key}/records/${ok.body.id}`);
              expect(after.body.version).toBe(ok.body.version);
              expect(after.body.updated_at).toBe(ok.body.updated_at);
            }
          } else {
            // Saved as a draft that names what blocks it, and cannot be sent.
            const r = await admin.post(`/api/v1/modules/${m.key}/records`, broken.body);
            expect(r.status, JSON.stringify(r.body)).toBe(201);
            expect(fieldsOf(r.body.pending), JSON.stringify(r.body.pending)).toContain(broken.field);
            const s = await admin.post(`/api/v1/modules/${m.key}/records/${r.body.id}/submit`, {});
            expect(s.status, JSON.stringify(s.body)).toBe(400);
            expect(fieldsOf(s.body.errors)).toContain(broken.field);
            // Each message names its field (by its Spanish label).
            for (const e of s.body.errors) expect(namesField(m, e), e.message).toBe(true);
            expect((await admin.get(`/api/v1/modules/${m.key}/records/${r.body.id}`)).body.estatus).toBe('borrador');
          }
          checked++;
        }),
        { numRuns: FUZZ ? Math.ceil(FUZZ / 20) : 2, ...OPTS },
      );
      expect(checked).toBeGreaterThan(0);
    });
  });
});
