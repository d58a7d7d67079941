// Catalog administration (spec §3; issue 3 point 7): the administrador adds a value, corrects a label and
// deprecates a value from a date; a deprecated value stays readable on old records and in old statistics, is no
// longer offered (vigentes=1), and codes are checked against the catalog in force on the record's main date.
// Official catalogs and official values change only with a new edition of their source. Runs on PGlite and,
// with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { addDays } from '../arbitrary.js';
import { todayMx } from '../../src/modules/validate.js';
import { TINY_PDF, client, createUser, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;
const ex = (k: string): Record<string, unknown> => structuredClone(getModule(k)!.example) as Record<string, unknown>;
const fields = (b: { errors?: { field: string }[] }) => (b.errors ?? []).map((e) => e.field);

describe.each(dbKinds())('administración de catálogos (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let validador: Client;
  let enlace: Client;
  let evidencia: string[] = [];
  const today = todayMx();

  beforeAll(async () => {
    env = await setup(kind);
    admin = client(env.app, await login(env.app));
    await createUser(env.ctx, { username: 'cat_validador', role: 'validador', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'cat_enlace', role: 'enlace', institucion_id: 'SEGOB' });
    validador = client(env.app, await login(env.app, 'cat_validador'));
    enlace = client(env.app, await login(env.app, 'cat_enlace'));
    const cookie = await login(env.app);
    const mp = multipart({ field: 'capacitacion.evidencia' }, { name: 'lista.pdf', data: TINY_PDF, type: 'application/pdf' });
    const up = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...mp.headers, cookie }, payload: mp.payload });
    expect(up.statusCode).toBe(201);
    evidencia = [JSON.parse(up.body).id];
  });
  afterAll(async () => {
    await env?.close();
  });

  const items = async (c: Client, name: string, q = '') => (await c.get(`/api/v1/catalogs/${name}${q}`)).body.items as { code: string; label: string; validFrom?: string; validTo?: string }[];
  const capacitacion = (extra: Record<string, unknown>) => ({ ...ex('capacitacion'), evidencia, ...extra });

  it('adds a value that forms offer and records accept; only the administrador, with a well-formed new code', async () => {
    const add = await admin.post('/api/v1/catalogs/tipo_evento/items', { code: 'CINE_DEBATE', label: 'Cine debate' });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body).toMatchObject({ code: 'CINE_DEBATE', label: 'Cine debate' });
    // Listed before the closing «Otro», after the values that were there.
    expect((await items(enlace, 'tipo_evento', '?vigentes=1')).map((i) => i.code).slice(-3)).toEqual(['SIMULACION', 'CINE_DEBATE', 'OTRO']);
    const r = await enlace.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'CINE_DEBATE' }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.tipo_evento).toBe('CINE_DEBATE');

    for (const [c, body, status, field] of [
      [validador, { code: 'OTRO_NUEVO', label: 'Otro nuevo' }, 403, null],
      [enlace, { code: 'OTRO_NUEVO', label: 'Otro nuevo' }, 403, null],
      [admin, { code: 'minusculas', label: 'Clave mal escrita' }, 400, 'code'],
      [admin, { code: 'CURSO', label: 'Curso repetido' }, 400, 'code'],
    ] as const) {
      const res = await c.post('/api/v1/catalogs/tipo_evento/items', body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (field) expect(fields(res.body)).toEqual([field]);
    }
    expect((await items(admin, 'tipo_evento')).find((i) => i.code === 'CURSO')?.label).toBe('Curso');
    // The audit trail records who added it.
    const audit = await env.ctx.db.query<{ username: string; detail: string }>(`select username, detail from audit_log where action = 'catalogo_agregar' order by id desc limit 1`);
    expect(audit[0].username).toBe('admin');
    expect(JSON.parse(audit[0].detail)).toMatchObject({ catalogo: 'tipo_evento', code: 'CINE_DEBATE' });
  });

  it('corrects a label: the code keeps its meaning and records show the new label', async () => {
    const r = await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'TALLER' }));
    expect(r.status).toBe(201);
    const put = await admin.put('/api/v1/catalogs/tipo_evento/items/TALLER', { label: 'Taller práctico' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ code: 'TALLER', label: 'Taller práctico' });
    expect((await items(enlace, 'tipo_evento')).find((i) => i.code === 'TALLER')?.label).toBe('Taller práctico');
    expect((await admin.get(`/api/v1/modules/capacitacion/records/${r.body.id}`)).body.tipo_evento).toBe('TALLER');
    expect((await validador.put('/api/v1/catalogs/tipo_evento/items/TALLER', { label: 'Otro nombre' })).status).toBe(403);
    expect((await admin.put('/api/v1/catalogs/tipo_evento/items/NO_EXISTE', { label: 'Nada' })).status).toBe(404);
  });

  it('deprecates a value from a date: kept on old records and statistics, not offered, refused after that date', async () => {
    // A record of last year uses the value; it is sent, so it counts in the statistics.
    const old = await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'DIPLOMADO', fecha_inicio: '2024-05-14', fecha_fin: '2024-05-16' }));
    expect(old.status).toBe(201);
    expect((await admin.post(`/api/v1/modules/capacitacion/records/${old.body.id}/submit`, {})).status).toBe(200);
    const count = async () => (await admin.get('/api/v1/stats/capacitacion?rows=tipo_evento')).body.rowTotals.DIPLOMADO ?? 0;
    const before = await count();
    expect(before).toBeGreaterThan(0);

    const lastDay = addDays(today, -10);
    const dep = await admin.put('/api/v1/catalogs/tipo_evento/items/DIPLOMADO', { validTo: lastDay });
    expect(dep.status).toBe(200);
    expect(dep.body.validTo).toBe(lastDay);
    // No longer offered; still readable in the full catalog, on the old record and in the statistics.
    expect((await items(enlace, 'tipo_evento', '?vigentes=1')).map((i) => i.code)).not.toContain('DIPLOMADO');
    expect((await items(enlace, 'tipo_evento')).find((i) => i.code === 'DIPLOMADO')?.validTo).toBe(lastDay);
    const g = await admin.get(`/api/v1/modules/capacitacion/records/${old.body.id}`);
    expect(g.status).toBe(200);
    expect(g.body.tipo_evento).toBe('DIPLOMADO');
    expect(g.body.pending).toEqual([]);
    expect(await count()).toBe(before);

    // Checked against the catalog in force on the record's main date (fecha_inicio).
    const after = await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'DIPLOMADO', fecha_inicio: addDays(lastDay, 1), fecha_fin: addDays(lastDay, 1), duracion_horas: 8 }));
    expect(after.status).toBe(400);
    expect(fields(after.body)).toEqual(['tipo_evento']);
    expect(after.body.errors[0].message).toContain('no está vigente');
    const within = await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'DIPLOMADO', fecha_inicio: lastDay, fecha_fin: lastDay, duracion_horas: 8 }));
    expect(within.status, JSON.stringify(within.body)).toBe(201);

    // Undone: offered and accepted again.
    expect((await admin.put('/api/v1/catalogs/tipo_evento/items/DIPLOMADO', { validTo: null })).status).toBe(200);
    expect((await items(enlace, 'tipo_evento', '?vigentes=1')).map((i) => i.code)).toContain('DIPLOMADO');
    expect((await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'DIPLOMADO', fecha_inicio: addDays(lastDay, 1), fecha_fin: addDays(lastDay, 1), duracion_horas: 8 }))).status).toBe(201);
  });

  it('a value added from a future date is not offered and not accepted before it', async () => {
    const from = addDays(today, 30);
    expect((await admin.post('/api/v1/catalogs/tipo_evento/items', { code: 'FORO_VIRTUAL', label: 'Foro virtual', validFrom: from })).status).toBe(201);
    expect((await items(enlace, 'tipo_evento', '?vigentes=1')).map((i) => i.code)).not.toContain('FORO_VIRTUAL');
    const r = await admin.post('/api/v1/modules/capacitacion/records', capacitacion({ tipo_evento: 'FORO_VIRTUAL' }));
    expect(r.status).toBe(400);
    expect(fields(r.body)).toEqual(['tipo_evento']);
    const bad = await admin.put('/api/v1/catalogs/tipo_evento/items/FORO_VIRTUAL', { validTo: today });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['validTo']);
  });

  it('official catalogs and official values change only with a new edition of their source', async () => {
    for (const name of ['entidad', 'municipio', 'pais', 'modalidad_explotacion', 'tipo_penal']) {
      expect((await admin.post(`/api/v1/catalogs/${name}/items`, { code: 'NUEVO', label: 'Nuevo valor' })).status, name).toBe(403);
    }
    expect((await admin.put('/api/v1/catalogs/modalidad_explotacion/items/ESCLAVITUD', { label: 'Otra' })).status).toBe(403);
    // Inside editable catalogs: the Ley de Migración values and INALI languages.
    expect((await admin.put('/api/v1/catalogs/calidad_migratoria/items/RESIDENTE_TEMPORAL', { validTo: today })).status).toBe(403);
    expect((await admin.put('/api/v1/catalogs/idioma/items/INALI_12', { label: 'Mexicano' })).status).toBe(403);
    expect((await items(admin, 'idioma')).find((i) => i.code === 'INALI_12')?.label).toBe('Náhuatl');
    // The proposal values of the same catalog are editable.
    expect((await admin.put('/api/v1/catalogs/calidad_migratoria/items/EN_REGULARIZACION', { label: 'En trámite de regularización migratoria (art. 75)' })).status).toBe(200);
    // Institutions have their own screen; record references are not values.
    expect((await admin.post('/api/v1/catalogs/institucion/items', { code: 'X', label: 'Xx' })).status).toBe(404);
    expect((await admin.post('/api/v1/catalogs/operativo_ref/items', { code: 'X', label: 'Xx' })).status).toBe(404);
    expect((await admin.post('/api/v1/catalogs/pn_accion/items', { code: 'PN2022_X', label: 'Acción nueva' })).status).toBe(404);
  });
});
