// Bad input never hurts: for every module's create and update, fast-check sends malformed bodies (wrong types,
// huge strings, control characters, emoji, unknown fields, nested junk, invalid dates, negative counts…).
// Never a 500; a value that is wrong is always a Spanish 400 naming that field, and nothing is stored
// (no row, no audit entry, no new version). Plus malformed JSON, wrong content types, oversized bodies (413)
// and path traversal in attachment names and ids.
//   FUZZ_RUNS (default 12, `npm run fuzz`: 400) cases per module and kind of test.
import crypto from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { METADATA_FIELDS } from '../../src/modules/metadata.js';
import type { FieldDef, ModuleDef } from '../../src/modules/types.js';
import { defaultMaxLength } from '../../src/modules/validate.js';
import { tableName } from '../../src/server/db/schema.js';
import { TINY_PDF, client, createUser, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
/** Per property test: generous on a busy machine (a case is a few requests and counts). */
const TIMEOUT = 120_000 + RUNS * 2 * 1500;
const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};
let casesRun = 0;

/** English words that would betray an untranslated library message. */
const ENGLISH = /\b(expected|invalid input|must be|is required|received|should|undefined|cannot|unexpected|property)\b/i;
const SPANISH = /[áéíóúñ«»¿¡]|\b(debe|no|es|el|la|de|del|campo|valor)\b/i;

function assertSpanishProblem(status: number, body: { detail?: unknown; errors?: unknown }, ctx: string) {
  expect(status, ctx).toBeLessThan(500);
  expect(typeof body?.detail, ctx).toBe('string');
  expect(body.detail as string, ctx).toMatch(SPANISH);
  expect(body.detail as string, ctx).not.toMatch(ENGLISH);
}

/** The keys a create/update body may carry for a module that an enlace may set (server-set ones are ignored). */
function mutableFields(m: ModuleDef): FieldDef[] {
  const out: FieldDef[] = [...METADATA_FIELDS.filter((f) => f.key !== 'institucion_id'), ...m.fields];
  for (const f of m.fields) if (f.otro) out.push({ key: `${f.key}_otro`, label: f.label, type: 'texto', required: false, section: f.section, maxLength: 120 });
  return out;
}

const junk = fc.oneof(
  fc.object({ maxDepth: 3 }),
  fc.array(fc.anything({ maxDepth: 2 }), { minLength: 1, maxLength: 4 }),
  // Nested deeper than anyone would write by hand.
  fc.integer({ min: 50, max: 400 }).map((d) => {
    let v: unknown = 'fondo';
    for (let i = 0; i < d; i++) v = i % 2 ? [v] : { n: v };
    return v;
  }),
);
const nonEmptyString = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
const INVALID_DATES = ['2024-02-30', '2023-02-29', '2024-13-01', '2024-00-10', '2024-04-31', '2024-1-5', '20240101', '24-01-01', 'mañana', '2024-01-01T00:00:00Z', '0000-01-01', '2024-02-30 ', '١٢٣٤-٠١-٠١'];

/** A value that is wrong for the field whatever the rest of the record says. */
function invalidValue(f: FieldDef): fc.Arbitrary<unknown> {
  const max = defaultMaxLength(f) ?? 300;
  const tooLong = fc.integer({ min: 1, max: 3000 }).chain((extra) => fc.constantFrom('a', 'ñ', '😀', 'x y').map((c) => c.repeat(Math.ceil((max + extra) / c.length) + 1)));
  switch (f.type) {
    case 'texto':
    case 'texto_largo':
    case 'url': {
      const alts: fc.Arbitrary<unknown>[] = [fc.integer(), fc.boolean(), junk, tooLong, nonEmptyString.map((s) => `<script>${s}</script>`), nonEmptyString.map((s) => `ab\u0000${s}`)];
      if (f.type === 'url') alts.push(fc.constantFrom('http://inseguro.example', 'javascript:alert(1)', 'ftp://x', 'https://'));
      if (f.pattern) alts.push(fc.constantFrom('minúsculas y espacios', '😀😀😀😀', 'AB'));
      return fc.oneof(...alts);
    }
    case 'entero': {
      const min = f.min ?? 0;
      return fc.oneof(
        nonEmptyString,
        fc.integer({ min: 1, max: 1000 }).map((n) => min - n), // negative counts and below-minimum values
        fc.double({ min: 0.01, max: 1000, noNaN: true }).filter((x) => !Number.isInteger(x)),
        fc.constantFrom(2 ** 31, 1e12, Number.MAX_SAFE_INTEGER, 1e300),
        ...(f.max !== undefined ? [fc.integer({ min: 1, max: 1000 }).map((n) => f.max! + n)] : []),
        fc.boolean(),
        junk,
      );
    }
    case 'decimal':
      return fc.oneof(
        nonEmptyString,
        fc.integer({ min: 0, max: 999 }).map((n) => n + 0.003),
        fc.constantFrom(1e5, 1e12, 1e300),
        fc.integer({ min: 1, max: 1000 }).map((n) => (f.min ?? 0) - n),
        fc.boolean(),
        junk,
      );
    case 'fecha':
      return fc.oneof(fc.constantFrom(...INVALID_DATES), fc.integer(), fc.boolean(), junk);
    case 'booleano':
      return fc.oneof(fc.constantFrom('true', 'sí', 'false', '', 0, 1), junk);
    case 'catalogo':
    case 'entidad':
    case 'municipio':
    case 'pais':
      return fc.oneof(nonEmptyString.map((s) => `NO_EXISTE_${s}`), fc.integer(), fc.boolean(), fc.array(fc.constant('09'), { minLength: 1, maxLength: 2 }), junk, tooLong);
    case 'catalogo_multiple':
      return fc.oneof(nonEmptyString, fc.array(fc.integer(), { minLength: 1, maxLength: 3 }), nonEmptyString.map((s) => [`NO_EXISTE_${s}`]), fc.integer(), junk.filter((j) => !Array.isArray(j) || j.some((x) => typeof x !== 'string')));
    case 'archivo':
      return fc.oneof(nonEmptyString, fc.constant(['no-es-uuid']), fc.constant(['../../../etc/passwd']), fc.uuid({ version: 4 }).map((u) => [u]), fc.array(fc.integer(), { minLength: 1 }));
  }
}

interface Mutation {
  patch: Record<string, unknown>;
  /** Keys the errors must name. */
  expect: string[];
}

function mutationArb(m: ModuleDef): fc.Arbitrary<Mutation> {
  const fields = mutableFields(m);
  const known = new Set([...fields.map((f) => f.key), 'institucion_id', 'version', 'id', 'folio_sintra', 'estatus', 'pending', 'warnings']);
  const wrong = fc.constantFrom(...fields).chain((f) => invalidValue(f).map((v) => ({ patch: { [f.key]: v }, expect: [f.key] })));
  const unknown = fc
    .oneof(fc.constantFrom('__proto__', 'constructor', 'toString', 'nombre', 'curp', 'campo inexistente', '../../x', '😀'), fc.stringMatching(/^[a-z_]{1,20}$/))
    .filter((k) => !known.has(k))
    .chain((k) =>
      fc
        .anything({ maxDepth: 2 })
        .filter((v) => v !== undefined) // an undefined value is not sent at all
        .map((v) => ({ patch: { [k]: v }, expect: [k] })),
    );
  return fc.array(fc.oneof({ weight: 4, arbitrary: wrong }, { weight: 1, arbitrary: unknown }), { minLength: 1, maxLength: 4 }).map((ms) => {
    const patch: Record<string, unknown> = {};
    const keys: string[] = [];
    for (const x of ms) {
      for (const [k, v] of Object.entries(x.patch)) {
        // Own property even for "__proto__" (as JSON.parse would make it).
        Object.defineProperty(patch, k, { value: v, enumerable: true, writable: true, configurable: true });
        if (!keys.includes(k)) keys.push(k);
      }
    }
    return { patch, expect: keys };
  });
}

/** Text that may well be valid (emoji, control characters, any script): stored exactly, or a 400 naming the field. */
function oddTextArb(m: ModuleDef): fc.Arbitrary<{ key: string; value: string }> | null {
  const texts = mutableFields(m).filter((f) => (f.type === 'texto' || f.type === 'texto_largo') && !f.pattern);
  if (!texts.length) return null;
  return fc.constantFrom(...texts).chain((f) =>
    fc
      .oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
        fc.string({ unit: fc.constantFrom('😀', '👩🏽‍⚖️', '\u0001', '\u0007', '\u001b', '\t', '\u200b', '\u202e', 'ñ', '字', '\\', "'", '"', '%', ' '), minLength: 1, maxLength: 40 }),
      )
      .map((s) => ({ key: f.key, value: `x${s}`.slice(0, Math.min(defaultMaxLength(f) ?? 300, 200)) })),
  );
}

const hasNul = (v: unknown): boolean => JSON.stringify(v ?? null).includes('\\u0000');

/**
 * Every wrong key is named. A NUL character is refused before anything else is looked at: then the answer
 * names the keys holding one (and only keys that were sent wrong).
 */
function namesFields(m: ModuleDef, body: { errors?: { field: string; message: string }[] }, mut: Mutation, what: string) {
  const errors = body.errors ?? [];
  const fields = errors.map((e) => e.field);
  // Fastify's JSON parser refuses prototype-polluting keys outright (a Spanish 400 without a field list).
  // Whatever else the body has wrong: a prototype-polluting key anywhere, at any depth, stops the parse first.
  if (/"(__proto__|constructor)":/.test(JSON.stringify(mut.patch)) && !errors.length) {
    expect((body as { detail?: string }).detail, what).toMatch(/no es JSON válido/);
    return;
  }
  const nulKeys = mut.expect.filter((k) => hasNul(mut.patch[k]));
  if (nulKeys.length && errors.length && errors.every((e) => e.message.includes('carácter nulo'))) {
    for (const f of fields) expect(nulKeys.some((k) => f === k || f.startsWith(`${k}.`) || f.startsWith(`${k}[`)), what).toBe(true);
    return;
  }
  expect(fields.length, what).toBeGreaterThan(0);
  for (const k of mut.expect) {
    // A computed total cannot be checked when one of its parts is itself wrong (that part is named).
    const total = m.fields.find((f) => f.key === k)?.sumOf;
    if (total && total.some((p) => mut.expect.includes(p))) continue;
    expect(fields, what).toContain(k);
  }
}

function withPatch(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const k of Object.keys(patch)) Object.defineProperty(out, k, { value: patch[k], enumerable: true, writable: true, configurable: true });
  return out;
}

const baseBody = (m: ModuleDef) => {
  const { institucion_id: _i, ...rest } = m.example as Record<string, unknown>;
  void _i;
  return rest;
};

describe.each(dbKinds())('fuzz de alta y modificación (%s)', (kind) => {
  let env: TestEnv;
  let api: ReturnType<typeof client>;
  let cookie: string;
  const stored = new Map<string, { id: string; version: number }>();
  const count = async (sql: string) => (await env.ctx.db.query<{ n: number }>(sql))[0].n;
  const snapshot = async (m: ModuleDef) => ({ rows: await count(`select count(*)::int as n from ${tableName(m.key)}`), audit: await count('select count(*)::int as n from audit_log') });

  beforeAll(async () => {
    casesRun = 0; // counted per engine
    env = await setup(kind);
    await createUser(env.ctx, { username: 'enlace_fuzz', role: 'enlace', institucion_id: 'SRE' });
    cookie = await login(env.app, 'enlace_fuzz');
    api = client(env.app, cookie);
    for (const m of MODULES) {
      const r = await api.post(`/api/v1/modules/${m.key}/records`, baseBody(m));
      expect(r.status, `${m.key}: ${JSON.stringify(r.body)}`).toBe(201);
      stored.set(m.key, { id: r.body.id, version: r.body.version });
    }
  }, 600_000);
  afterAll(async () => {
    console.log(`fuzz (${kind}): ${casesRun} casos`);
    await env?.close();
  });

  it.each(MODULES.map((m) => [m.key, m] as const))('alta con datos inválidos: 400 en español que nombra el campo, nada guardado (%s)', async (_k, m) => {
    await fc.assert(
      fc.asyncProperty(mutationArb(m), async (mut) => {
        casesRun++;
        const before = await snapshot(m);
        const r = await env.app.inject({
          method: 'POST',
          url: `/api/v1/modules/${m.key}/records`,
          headers: { cookie, 'content-type': 'application/json' },
          payload: JSON.stringify(withPatch(baseBody(m), mut.patch)),
        });
        const body = JSON.parse(r.body);
        const what = `${m.key} ${JSON.stringify(mut.patch).slice(0, 300)} → ${r.statusCode} ${r.body.slice(0, 400)}`;
        expect(r.statusCode, what).toBe(400);
        assertSpanishProblem(r.statusCode, body, what);
        namesFields(m, body, mut, what);
        for (const e of (body.errors ?? []) as { message: string }[]) expect(e.message, what).not.toMatch(ENGLISH);
        expect(await snapshot(m), what).toEqual(before);
      }),
      { numRuns: RUNS * 2, ...SEED },
    );
  }, TIMEOUT);

  it.each(MODULES.map((m) => [m.key, m] as const))('modificación con datos inválidos: 400, el registro no cambia (%s)', async (_k, m) => {
    const rec = stored.get(m.key)!;
    const rowOf = async () => JSON.stringify((await env.ctx.db.query(`select * from ${tableName(m.key)} where id = $1`, [rec.id]))[0]);
    const original = await rowOf();
    await fc.assert(
      fc.asyncProperty(mutationArb(m), async (mut) => {
        casesRun++;
        const before = await snapshot(m);
        const r = await env.app.inject({
          method: 'PUT',
          url: `/api/v1/modules/${m.key}/records/${rec.id}`,
          headers: { cookie, 'content-type': 'application/json' },
          payload: JSON.stringify(withPatch({ ...baseBody(m), version: rec.version }, mut.patch)),
        });
        const body = JSON.parse(r.body);
        const what = `${m.key} ${JSON.stringify(mut.patch).slice(0, 300)} → ${r.statusCode} ${r.body.slice(0, 400)}`;
        expect(r.statusCode, what).toBe(400);
        assertSpanishProblem(r.statusCode, body, what);
        namesFields(m, body, mut, what);
        expect(await snapshot(m), what).toEqual(before);
        expect(await rowOf(), what).toBe(original);
      }),
      { numRuns: RUNS, ...SEED },
    );
  }, TIMEOUT);

  it.each(MODULES.map((m) => [m.key, m] as const))('texto raro (emoji, controles, cualquier escritura): se guarda tal cual o 400 que nombra el campo (%s)', async (_k, m) => {
    const arb = oddTextArb(m);
    if (!arb) return;
    await fc.assert(
      fc.asyncProperty(arb, async ({ key, value }) => {
        casesRun++;
        const rec = stored.get(m.key)!;
        const cur = (await env.ctx.db.query<{ version: number }>(`select version from ${tableName(m.key)} where id = $1`, [rec.id]))[0];
        const r = await api.put(`/api/v1/modules/${m.key}/records/${rec.id}`, { ...baseBody(m), [key]: value, version: cur.version });
        const what = `${m.key}.${key} = ${JSON.stringify(value)} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`;
        expect([200, 400], what).toContain(r.status);
        if (r.status === 400) {
          assertSpanishProblem(r.status, r.body, what);
          expect(r.body.errors.map((e: { field: string }) => e.field), what).toContain(key);
        } else {
          const back = await api.get(`/api/v1/modules/${m.key}/records/${rec.id}`);
          expect(back.body[key], what).toBe(value.trim() || null);
        }
      }),
      { numRuns: RUNS, ...SEED },
    );
  }, TIMEOUT);

  it('cuerpos que no son un registro: arreglos, texto, números, null, anidamiento profundo', async () => {
    const m = MODULES[0];
    const rec = stored.get(m.key)!;
    const bodies = ['[]', '[{"a":1}]', '"texto"', '42', 'null', 'true', JSON.stringify({ a: JSON.parse('['.repeat(2000) + ']'.repeat(2000)) })];
    for (const b of bodies) {
      for (const [method, url] of [
        ['POST', `/api/v1/modules/${m.key}/records`],
        ['PUT', `/api/v1/modules/${m.key}/records/${rec.id}`],
      ] as const) {
        casesRun++;
        const before = await snapshot(m);
        const r = await env.app.inject({ method, url, headers: { cookie, 'content-type': 'application/json' }, payload: b });
        const what = `${method} ${b.slice(0, 60)} → ${r.statusCode} ${r.body.slice(0, 300)}`;
        expect(r.statusCode, what).toBe(400);
        assertSpanishProblem(r.statusCode, JSON.parse(r.body), what);
        expect(await snapshot(m), what).toEqual(before);
      }
    }
  });

  it('JSON mal formado, tipo de contenido equivocado y cuerpo excesivo (413)', async () => {
    const url = '/api/v1/modules/convenios/records';
    const m = MODULES.find((x) => x.key === 'convenios')!;
    const before = await snapshot(m);
    const send = (payload: string | Buffer, type: string) => env.app.inject({ method: 'POST', url, headers: { cookie, 'content-type': type }, payload });
    for (const bad of ['{"tipo_convenio": ', '{tipo_convenio: 1}', "{'a': 1}", '{"a":1,}', '\u0000', '{"a":"\\ud800"', '{"a":1}{"b":2}']) {
      const r = await send(bad, 'application/json');
      expect(r.statusCode, bad).toBe(400);
      assertSpanishProblem(r.statusCode, JSON.parse(r.body), bad);
    }
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'image/png']) {
      const r = await send('tipo_convenio=LEY', type);
      // Plain text is parsed as a string (then it is not a record: 400); the rest are not accepted at all (415).
      expect(r.statusCode, type).toBe(type === 'text/plain' ? 400 : 415);
      assertSpanishProblem(r.statusCode, JSON.parse(r.body), type);
    }
    const huge = JSON.stringify({ ...baseBody(m), objeto: 'x'.repeat(3 * 1024 * 1024) });
    const big = await send(huge, 'application/json');
    expect(big.statusCode).toBe(413);
    assertSpanishProblem(big.statusCode, JSON.parse(big.body), '413');
    const nul = await env.app.inject({ method: 'GET', url: `/api/v1/modules/convenios/records?q=%00`, headers: { cookie } });
    expect(nul.statusCode).toBe(400);
    expect(JSON.parse(nul.body).errors[0].field).toBe('q');
    expect(await snapshot(m)).toEqual(before);
    casesRun += 13;
  });

  it('recorrido de rutas en nombres y claves de adjuntos', async () => {
    for (const name of ['../../../../etc/passwd.pdf', '..\\..\\windows\\system32\\x.pdf', 'a/b/../c.pdf', '%2e%2e%2fsecreto.pdf', 'nombre\r\nX-Inyectado: 1.pdf', `${'l'.repeat(400)}.pdf`]) {
      casesRun++;
      const up = multipart({}, { name, data: TINY_PDF, type: 'application/pdf' });
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...up.headers, cookie }, payload: up.payload });
      expect(r.statusCode, name).toBe(201);
      const saved = JSON.parse(r.body) as { id: string; name: string };
      expect(saved.name, name).not.toMatch(/[/\\\r\n]/);
      expect(saved.name.length).toBeLessThanOrEqual(255);
      const dl = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${saved.id}`, headers: { cookie } });
      expect(dl.statusCode).toBe(200);
      expect(dl.headers['x-inyectado']).toBeUndefined();
      expect(String(dl.headers['content-disposition'])).not.toMatch(/[\r\n/\\]/);
    }
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '....//....//etc', '------------------------------------', crypto.randomUUID(), '%00']) {
      casesRun++;
      const r = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${id}`, headers: { cookie } });
      expect([400, 404], id).toContain(r.statusCode);
      assertSpanishProblem(r.statusCode, JSON.parse(r.body), id);
    }
    // A field spec that tries to walk out of the module definitions.
    const up = multipart({ field: '../../etc.passwd' }, { name: 'a.pdf', data: TINY_PDF, type: 'application/pdf' });
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...up.headers, cookie }, payload: up.payload });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).errors[0].field).toBe('field');
    for (const path of ['/api/v1/modules/..%2Fusers/records', '/api/v1/modules/%2e%2e/records', '/api/v1/modules/victimas/records/..%2F..%2Fusers']) {
      casesRun++;
      const x = await env.app.inject({ method: 'GET', url: path, headers: { cookie } });
      expect(x.statusCode, path).toBe(404);
      assertSpanishProblem(x.statusCode, JSON.parse(x.body), path);
    }
  });
});
