// Possible duplicates across institutions (spec §4.3 rule 5): the job flags pairs of victim records of
// different institutions with the same entidad_federativa, sexo, grupo_edad and nacionalidad and the same
// operativo or identification dates at most 30 days apart; the expected pairs are worked out here by brute
// force. The Secretaría Técnica reviews them (confirm, dismiss); nothing is ever deleted; tables can count
// "sin posibles duplicados confirmados". Also: incremental runs, the command line, the schedule.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng, victim, type Victim } from '../../bench/victims.js';
import { detectDuplicates, startDuplicateJob } from '../../src/server/duplicates/job.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { ageGroup, FIELD_KEYS, genOptions, INSTITUTIONS, seedTestInstitutions } from '../fixtures/victims.js';
import { insertVictims } from '../../bench/victims.js';

type Client = ReturnType<typeof client>;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DAY = 86_400_000;

/** Records crowded into few profiles and dates, so that many pairs match; and hand-made cases. */
function crafted(): { rows: Victim[]; names: Record<string, number> } {
  const o = genOptions(9090);
  const r = rng(9091);
  const rows: Victim[] = [];
  const names: Record<string, number> = {};
  const inst = (c: string) => INSTITUTIONS.find((i) => i.codigo === c)!;
  const add = (fate: Victim['fate'], values: Record<string, unknown>, name?: string) => {
    if (name) names[name] = rows.length;
    rows.push({ values, fate });
  };
  const day = (d: number) => new Date(Date.parse('2024-01-01') + d * DAY).toISOString().slice(0, 10);
  for (let i = 0; i < 90; i++) {
    const v = victim(r, o, { fecha: day(r.int(0, 90)), edad: r.pick([19, 22, 24, 30, 33]) });
    Object.assign(v, { entidad_federativa: r.pick(['15', '09']), sexo: r.pick(['MUJER', 'HOMBRE']), nacionalidad: r.pick(['MEX', 'GTM']) });
    v.ambito = INSTITUTIONS.find((x) => x.codigo === v.institucion_id)!.ambito;
    add(r.pick(['validado', 'validado', 'enviado', 'borrador', 'eliminado'] as const), v);
  }
  const base = (institucion: string, fecha: string, extra: Record<string, unknown> = {}) => {
    const v = victim(r, o, { fecha, edad: 41, institucion: inst(institucion) });
    return { ...v, entidad_federativa: '07', sexo: 'HOMBRE', nacionalidad: 'HND', ...extra };
  };
  // A triple of three institutions: X, Y, Z.
  add('validado', base('FGE_CHIAPAS', '2023-06-01'), 'X');
  add('validado', base('SEGOB', '2023-06-10'), 'Y');
  add('enviado', base('CEAV', '2023-06-20'), 'Z');
  // 30 days apart: a pair; 31 days: not.
  add('validado', base('FGE_CHIAPAS', '2023-09-01', { nacionalidad: 'SLV' }), 'D30a');
  add('validado', base('FGR', '2023-10-01', { nacionalidad: 'SLV' }), 'D30b');
  add('validado', base('FGE_CHIAPAS', '2023-11-15', { nacionalidad: 'NIC' }), 'D31a');
  add('validado', base('FGR', '2023-12-16', { nacionalidad: 'NIC' }), 'D31b');
  // The same operation, months apart: a pair by operativo.
  const op = '2b1f0a6e-0000-4000-8000-000000000001';
  add('validado', base('FGE_CHIAPAS', '2022-02-01', { nacionalidad: 'CUB', operativo_id: op, via_identificacion: 'OPERATIVO' }), 'O1');
  add('validado', base('FGR', '2022-08-01', { nacionalidad: 'CUB', operativo_id: op, via_identificacion: 'OPERATIVO' }), 'O2');
  // Same institution: never a pair. A draft: never.
  add('validado', base('FGE_CHIAPAS', '2023-03-01', { nacionalidad: 'VEN' }), 'S1');
  add('validado', base('FGE_CHIAPAS', '2023-03-02', { nacionalidad: 'VEN' }), 'S2');
  add('borrador', base('FGR', '2023-03-03', { nacionalidad: 'VEN' }), 'S3');
  return { rows, names };
}

/** The rule, written here. */
function matches(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  if (a.institucion_id === b.institucion_id) return false;
  if ((a.entidad_federativa ?? null) !== (b.entidad_federativa ?? null)) return false;
  if (a.sexo !== b.sexo || a.nacionalidad !== b.nacionalidad || ageGroup(a) !== ageGroup(b)) return false;
  if (a.operativo_id && a.operativo_id === b.operativo_id) return true;
  return Math.abs(Date.parse(String(a.fecha_identificacion)) - Date.parse(String(b.fecha_identificacion))) <= 30 * DAY;
}

function expectedPairs(rows: Victim[], ids: string[]): Set<string> {
  const alive = (v: Victim) => v.fate === 'enviado' || v.fate === 'validado';
  const out = new Set<string>();
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 1; j < rows.length; j++)
      if (alive(rows[i]) && alive(rows[j]) && matches(rows[i].values, rows[j].values)) out.add([ids[i], ids[j]].join('+'));
  return out;
}

describe.each(dbKinds())('posibles duplicados entre instituciones (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  const { rows, names } = crafted();
  let ids: string[] = [];
  const id = (n: string) => ids[names[n]];

  beforeAll(async () => {
    env = await setup(kind);
    await seedTestInstitutions(env.ctx);
    ids = await insertVictims(env.ctx.db, rows, FIELD_KEYS(), { batch: 100 });
    admin = client(env.app, await login(env.app));
  });
  afterAll(async () => {
    await env?.close();
  });

  const pairsInDb = async () =>
    new Set((await env.ctx.db.query<{ a: string; b: string; estatus: string }>('select registro_a as a, registro_b as b, estatus from posible_duplicado')).map((p) => [p.a, p.b].join('+')));

  it('flags exactly the pairs of the rule, the earlier registered record first', async () => {
    const r = await admin.post('/api/v1/duplicados/detectar', { completa: true });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const expected = expectedPairs(rows, ids);
    expect(expected.size).toBeGreaterThan(8);
    expect(r.body.nuevos).toBe(expected.size);
    expect(await pairsInDb()).toEqual(expected);
    for (const [a, b] of [['X', 'Y'], ['X', 'Z'], ['Y', 'Z'], ['D30a', 'D30b'], ['O1', 'O2']]) expect(expected.has(`${id(a)}+${id(b)}`), `${a}-${b}`).toBe(true);
    for (const [a, b] of [['D31a', 'D31b'], ['S1', 'S2'], ['S1', 'S3']]) expect(expected.has(`${id(a)}+${id(b)}`), `${a}-${b}`).toBe(false);
    const op = await env.ctx.db.query<{ criterio: string; dias: number }>('select criterio, dias_diferencia as dias from posible_duplicado where registro_a = $1 and registro_b = $2', [id('O1'), id('O2')]);
    expect(op[0]).toEqual({ criterio: 'operativo', dias: 181 });
    // Running again adds nothing.
    const again = await detectDuplicates(env.ctx, { full: true });
    expect(again.nuevos).toBe(0);
  });

  it('only the Secretaría Técnica reviews', async () => {
    await createUser(env.ctx, { username: 'enlace_dup', role: 'enlace', institucion_id: 'FGE_CHIAPAS' });
    await createUser(env.ctx, { username: 'consulta_dup', role: 'consulta', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'cies_dup', role: 'validador_estatal', institucion_id: 'FGE_CHIAPAS', entidad: '07' });
    for (const u of ['enlace_dup', 'consulta_dup', 'cies_dup']) {
      const c = client(env.app, await login(env.app, u));
      expect((await c.get('/api/v1/duplicados')).status, u).toBe(403);
      expect((await c.post('/api/v1/duplicados/1/confirmar', {})).status, u).toBe(403);
      expect((await c.post('/api/v1/duplicados/detectar', {})).status, u).toBe(403);
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/duplicados' })).statusCode).toBe(401);
  });

  it('lists the pending pairs with both records side by side, paged', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await admin.get(`/api/v1/duplicados?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      for (const it of r.body.items) {
        expect(it.estatus).toBe('pendiente');
        expect(it.a.institucion_id).not.toBe(it.b.institucion_id);
        expect(it.a.sexo).toBe(it.b.sexo);
        expect(it.a.folio_sintra).toMatch(/^VIC-\d{4}-\d{6}$/);
        expect(it.a.institucion_nombre).toBeTruthy();
        seen.push(`${it.a.id}+${it.b.id}`);
      }
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen)).toEqual(await pairsInDb());
    const r = await admin.get('/api/v1/duplicados?estatus=todos&limit=1');
    expect(r.body.counts.pendiente).toBe(seen.length);
    expect(r.body.regla).toMatch(/30 días/);
    expect((await admin.get('/api/v1/duplicados?estatus=quizas')).status).toBe(400);
    expect((await admin.get('/api/v1/duplicados?limit=500')).status).toBe(400);
  });

  const pairId = async (a: string, b: string) =>
    String((await env.ctx.db.query<{ id: number }>('select id from posible_duplicado where registro_a = $1 and registro_b = $2', [id(a), id(b)]))[0].id);
  const excluded = async () => new Set((await env.ctx.db.query<{ r: string }>('select record_id as r from victima_duplicada')).map((x) => x.r));

  it('confirming never deletes; the later record stops counting in tables "sin posibles duplicados confirmados", also through a chain', async () => {
    const before = (await env.ctx.db.query<{ n: number }>('select count(*)::int as n from m_victimas where deleted_at is null'))[0].n;
    const all = await admin.get('/api/v1/stats/victimas?rows=sexo');
    const c1 = await admin.post(`/api/v1/duplicados/${await pairId('X', 'Y')}/confirmar`, { nota: 'Mismo caso, canalizada por la fiscalía.' });
    expect(c1.status, JSON.stringify(c1.body)).toBe(200);
    expect(c1.body.estatus).toBe('confirmado');
    expect(await excluded()).toEqual(new Set([id('Y')]));
    // Y and Z confirmed: X, Y and Z are one person: Y and Z both stop counting, X stays.
    expect((await admin.post(`/api/v1/duplicados/${await pairId('Y', 'Z')}/confirmar`, {})).status).toBe(200);
    expect(await excluded()).toEqual(new Set([id('Y'), id('Z')]));
    const sin = await admin.get('/api/v1/stats/victimas?rows=sexo&duplicados=excluir');
    expect(sin.body.records).toBe(all.body.records - 2);
    expect(sin.body.notes.some((n: string) => /duplicados/.test(n))).toBe(true);
    const legal = await admin.get('/api/v1/stats/legal/T-01?duplicados=excluir');
    const legalAll = await admin.get('/api/v1/stats/legal/T-01');
    expect(legalAll.body.parts[0].records - legal.body.parts[0].records).toBe(2);
    // Nothing was deleted, and the records still open.
    expect((await env.ctx.db.query<{ n: number }>('select count(*)::int as n from m_victimas where deleted_at is null'))[0].n).toBe(before);
    expect((await admin.get(`/api/v1/modules/victimas/records/${id('Z')}`)).status).toBe(200);
    const audit = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'confirmar_duplicado'`);
    expect(audit[0].n).toBe(2);
    // Changing one's mind: dismissing Y–Z leaves only Y out.
    expect((await admin.post(`/api/v1/duplicados/${await pairId('Y', 'Z')}/descartar`, { nota: 'Son personas distintas.' })).status).toBe(200);
    expect(await excluded()).toEqual(new Set([id('Y')]));
    expect((await admin.post('/api/v1/duplicados/999999/confirmar', {})).status).toBe(404);
    expect((await admin.post(`/api/v1/duplicados/${await pairId('X', 'Y')}/confirmar`, { nota: 5 })).status).toBe(400);
  });

  it('a dismissed pair stays dismissed; a later run compares only what changed, and withdraws pending pairs that no longer match', async () => {
    const dismissed = await pairId('D30a', 'D30b');
    expect((await admin.post(`/api/v1/duplicados/${dismissed}/descartar`, {})).status).toBe(200);
    await detectDuplicates(env.ctx, { full: true });
    expect((await env.ctx.db.query<{ e: string }>('select estatus as e from posible_duplicado where id = $1', [dismissed]))[0].e).toBe('descartado');
    // A new record matching X, and the pending pair O1–O2 broken by a correction.
    const r = rng(5);
    const v = victim(r, genOptions(5), { fecha: '2023-06-05', edad: 41, institucion: INSTITUTIONS.find((i) => i.codigo === 'FGJ_CDMX')! });
    const [nuevo] = await insertVictims(env.ctx.db, [{ values: { ...v, entidad_federativa: '07', sexo: 'HOMBRE', nacionalidad: 'HND', ambito: 'ESTATAL' }, fate: 'validado' }], FIELD_KEYS(), { startFolio: { 2023: 5000 } });
    await env.ctx.db.query(`update m_victimas set sexo = 'MUJER', updated_at = clock_timestamp() where id = $1`, [id('O2')]);
    const run = await admin.post('/api/v1/duplicados/detectar', {});
    expect(run.status).toBe(200);
    expect(run.body.comparados).toBe(2);
    expect(run.body.nuevos).toBe(3); // with X, Y and Z
    expect(run.body.retirados).toBe(1);
    const pairs = await pairsInDb();
    expect(pairs.has(`${id('X')}+${nuevo}`)).toBe(true);
    expect(pairs.has(`${id('O1')}+${id('O2')}`)).toBe(false);
  });

  it('the command line runs the same detection', () => {
    const usage = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'duplicados'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SINTRA_DATA_DIR: '/nonexistent' } });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/duplicados detectar/);
    if (kind !== 'postgresql') return; // the in-memory PGlite of this test cannot be opened by another process
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), 'duplicados', 'detectar', '--completa'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: env.ctx.config.DATABASE_URL!, SINTRA_ADMIN_PASSWORD: 'Clave-De-Prueba-2026', LOG_LEVEL: 'silent' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Posibles duplicados: 0 pares nuevos/);
  }, 240_000);

  it('runs on a schedule', async () => {
    const last = async () => (await env.ctx.db.query<{ at: Date }>(`select ultima_ejecucion as at from tarea_programada where nombre = 'posibles_duplicados'`))[0]?.at.getTime() ?? 0;
    const before = await last();
    const stop = startDuplicateJob(env.ctx, 0.002); // every 120 ms
    try {
      for (let i = 0; i < 100 && (await last()) === before; i++) await new Promise((res) => setTimeout(res, 100));
    } finally {
      stop();
    }
    expect(await last()).toBeGreaterThan(before);
    expect(startDuplicateJob(env.ctx, 0)).toBeTypeOf('function');
  });
});
