// Administration of institutions and user accounts through the API: validation with Spanish messages naming
// the field, the role rules (ST roles in the ST's institution, validador_estatal with its state), disable,
// reset password, reset MFA, unlock, last sign-in, sessions ended on changes of reach, audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, dbKinds, login, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;
const PW = 'Cuenta-Nueva-Segura-2026';

describe.each(dbKinds())('administración de instituciones y usuarios (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;

  beforeAll(async () => {
    env = await setup(kind);
    admin = client(env.app, await login(env.app));
  });
  afterAll(async () => {
    await env?.close();
  });

  const fields = (b: { errors?: { field: string }[] }) => (b.errors ?? []).map((e) => e.field).sort();
  const audited = async (action: string) =>
    (await env.ctx.db.query<{ detail: string }>('select detail from audit_log where action = $1 order by id', [action])).map((r) => JSON.parse(r.detail));

  it('lists the Comisión Intersecretarial seeded at first start', async () => {
    const r = await admin.get('/api/v1/institutions');
    expect(r.status).toBe(200);
    const codes = r.body.items.map((i: { codigo: string }) => i.codigo);
    for (const c of ['SEGOB', 'SCT', 'SRE', 'SSPC', 'STPS', 'SS', 'BIENESTAR', 'SEP', 'SECTUR', 'SNDIF', 'CEAV', 'INMUJERES', 'INM', 'FGR', 'PJF', 'CONAPO', 'CNDH', 'SENADO', 'DIPUTADOS', 'UP', 'CESC_AM'])
      expect(codes).toContain(c);
    const segob = r.body.items.find((i: { codigo: string }) => i.codigo === 'SEGOB');
    expect(segob).toMatchObject({ id: 'SEGOB', ambito: 'FEDERAL', grupo: 'CI_INTEGRANTE', usuarios: 1 });
  });

  it('adds state and municipal institutions with a generated code, refusing bad data field by field', async () => {
    const bad = await admin.post('/api/v1/institutions', { nombre: 'X', ambito: 'MUNICIPAL', entidad: '14', municipio: '19039', tipo_local: 'NADA', color: 'rojo' });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['color', 'municipio', 'nombre', 'tipo_local']);
    expect(bad.body.errors.find((e: { field: string }) => e.field === 'municipio').message).toMatch(/no pertenece a la entidad/);
    const noState = await admin.post('/api/v1/institutions', { nombre: 'Fiscalía del Estado', ambito: 'ESTATAL' });
    expect(fields(noState.body)).toEqual(['entidad']);
    const est = await admin.post('/api/v1/institutions', { nombre: 'Fiscalía del Estado de Jalisco', siglas: 'FE', ambito: 'ESTATAL', entidad: '14', tipo_local: 'FISCALIA_EST' });
    expect(est.status).toBe(201);
    expect(est.body).toMatchObject({ id: 'FE-14', codigo: 'FE-14', ambito: 'ESTATAL', entidad: '14', municipio: null, grupo: 'LOCAL', obligada_reportar: true, vigente: true });
    const mun = await admin.post('/api/v1/institutions', { nombre: 'DIF Municipal de Zapopan', siglas: 'DIF', ambito: 'MUNICIPAL', entidad: '14', municipio: '14120', tipo_local: 'DIF_MUN' });
    expect(mun.body.codigo).toBe('DIF-14120');
    const dup = await admin.post('/api/v1/institutions', { nombre: 'Fiscalía del Estado de Jalisco', ambito: 'ESTATAL', entidad: '14' });
    expect(dup.status).toBe(400);
    expect(fields(dup.body)).toEqual(['nombre']);
    // The catalog used by records and forms knows it at once.
    const cat = await admin.get('/api/v1/catalogs/institucion');
    expect(cat.body.items.find((i: { code: string }) => i.code === 'FE-14')).toMatchObject({ label: 'Fiscalía del Estado de Jalisco', ambito: 'ESTATAL', entidad: '14' });
    const put = await admin.put('/api/v1/institutions/FE-14', { nombre: 'Fiscalía del Estado de Jalisco (FEJ)', codigo: 'OTRO' });
    expect(put.status).toBe(400);
    expect(fields(put.body)).toEqual(['codigo']);
    const put2 = await admin.put('/api/v1/institutions/FE-14', { nombre: 'Fiscalía del Estado de Jalisco (FEJ)' });
    expect(put2.status).toBe(200);
    expect(put2.body).toMatchObject({ codigo: 'FE-14', nombre: 'Fiscalía del Estado de Jalisco (FEJ)', entidad: '14' });
    expect((await admin.put('/api/v1/institutions/NO-EXISTE', { nombre: 'Nada de nada' })).status).toBe(404);
    const a = await audited('institucion_modificar');
    expect(a.at(-1)).toMatchObject({ institucion: 'FE-14', cambios: { nombre: ['Fiscalía del Estado de Jalisco', 'Fiscalía del Estado de Jalisco (FEJ)'] } });
  });

  it('creates accounts under the role rules; the initial password must be changed at first sign-in', async () => {
    const bad = await admin.post('/api/v1/users', { username: 'a b', password: 'corta', role: 'jefe', institucion_id: 'NADA' });
    expect(bad.status).toBe(400);
    expect(fields(bad.body)).toEqual(['institucion_id', 'password', 'role', 'username']);
    const stRole = await admin.post('/api/v1/users', { username: 'val_fgr', password: PW, role: 'validador', institucion_id: 'FGR' });
    expect(fields(stRole.body)).toEqual(['institucion_id']);
    const vestNoState = await admin.post('/api/v1/users', { username: 'vest1', password: PW, role: 'validador_estatal', institucion_id: 'FE-14' });
    expect(fields(vestNoState.body)).toEqual(['entidad']);
    const vestWrong = await admin.post('/api/v1/users', { username: 'vest1', password: PW, role: 'validador_estatal', institucion_id: 'FE-14', entidad: '19' });
    expect(fields(vestWrong.body)).toEqual(['entidad']);
    const vestFed = await admin.post('/api/v1/users', { username: 'vest1', password: PW, role: 'validador_estatal', institucion_id: 'SRE', entidad: '14' });
    expect(fields(vestFed.body)).toEqual(['institucion_id']);
    const enlaceState = await admin.post('/api/v1/users', { username: 'enl1', password: PW, role: 'enlace', institucion_id: 'FE-14', entidad: '14' });
    expect(fields(enlaceState.body)).toEqual(['entidad']);
    const common = await admin.post('/api/v1/users', { username: 'enl1', password: 'password1234', role: 'enlace', institucion_id: 'FE-14' });
    expect(fields(common.body)).toEqual(['password']);

    const vest = await admin.post('/api/v1/users', { username: 'vest1', nombre: 'Validación Jalisco', password: PW, role: 'validador_estatal', institucion_id: 'FE-14', entidad: '14' });
    expect(vest.status).toBe(201);
    expect(vest.body).toMatchObject({ username: 'vest1', role: 'validador_estatal', institucion_id: 'FE-14', entidad: '14', active: true, mustChangePassword: true, mfaEnabled: false, mfaRequired: false, lastLoginAt: null });
    expect(vest.body).not.toHaveProperty('password_hash');
    const enl = await admin.post('/api/v1/users', { username: 'enl1', password: PW, role: 'enlace', institucion_id: 'FE-14' });
    expect(enl.status).toBe(201);
    const dup = await admin.post('/api/v1/users', { username: 'ENL1', password: PW, role: 'enlace', institucion_id: 'FE-14' });
    expect(fields(dup.body)).toEqual(['username']);

    const first = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enl1', password: PW } });
    expect(JSON.parse(first.body).mustChangePassword).toBe(true);
    const list = await admin.get('/api/v1/users?institucion_id=FE-14');
    const row = list.body.items.find((u: { username: string }) => u.username === 'enl1');
    expect(Date.now() - Date.parse(row.lastLoginAt)).toBeLessThan(60_000);
    expect((await audited('usuario_crear')).map((d) => d.usuario)).toEqual(['vest1', 'enl1']);
  });

  it('disabling, changing the role and resetting the password end the sessions; the last administrator stays', async () => {
    const db = env.ctx.db;
    const id = (await db.query<{ id: string }>(`select id from app_user where username = 'enl1'`))[0].id;
    await db.query(`update app_user set must_change_password = false where id = $1`, [id]);
    const cookie = await login(env.app, 'enl1', PW);
    const enl = client(env.app, cookie);
    expect((await enl.get('/api/v1/users')).status).toBe(403);
    expect((await enl.get('/api/v1/auth/me')).status).toBe(200);

    // Renaming keeps the session; moving to another institution ends it.
    expect((await admin.put(`/api/v1/users/${id}`, { nombre: 'Enlace FEJ' })).status).toBe(200);
    expect((await enl.get('/api/v1/auth/me')).status).toBe(200);
    const moved = await admin.put(`/api/v1/users/${id}`, { institucion_id: 'SRE' });
    expect(moved.body).toMatchObject({ institucion_id: 'SRE', nombre: 'Enlace FEJ' });
    expect((await enl.get('/api/v1/auth/me')).status).toBe(401);

    const c2 = client(env.app, await login(env.app, 'enl1', PW));
    const dis = await admin.post(`/api/v1/users/${id}/disable`);
    expect(dis.body.active).toBe(false);
    expect((await c2.get('/api/v1/auth/me')).status).toBe(401);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enl1', password: PW } })).statusCode).toBe(401);
    expect((await admin.post(`/api/v1/users/${id}/enable`)).body.active).toBe(true);

    const rp = await admin.post(`/api/v1/users/${id}/reset-password`);
    expect(rp.status).toBe(200);
    expect(rp.body.mustChangePassword).toBe(true);
    const temp: string = rp.body.temporaryPassword;
    expect(temp.replace(/-/g, '').length).toBe(16);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enl1', password: PW } })).statusCode).toBe(401);
    const withTemp = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enl1', password: temp } });
    expect(JSON.parse(withTemp.body).mustChangePassword).toBe(true);
    const given = await admin.post(`/api/v1/users/${id}/reset-password`, { password: 'corta' });
    expect(fields(given.body)).toEqual(['password']);

    // The administrator cannot disable itself or leave the system without an administrator.
    const me = (await db.query<{ id: string }>(`select id from app_user where username = 'admin'`))[0].id;
    expect((await admin.post(`/api/v1/users/${me}/disable`)).status).toBe(409);
    expect((await admin.put(`/api/v1/users/${me}`, { role: 'validador' })).status).toBe(409);
    expect((await admin.get('/api/v1/users/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const a = await audited('usuario_modificar');
    expect(a.at(-1)).toMatchObject({ usuario: 'enl1', cambios: { institucion_id: ['FE-14', 'SRE'] }, sesiones_terminadas: 2 }); // this one and the first sign-in's
  });

  it('unlocks a locked account and resets a second factor (the person enrols again)', async () => {
    const db = env.ctx.db;
    const vid = (await db.query<{ id: string }>(`select id from app_user where username = 'vest1'`))[0].id;
    await db.query(`update app_user set failed_logins = 10, locked_until = now() + interval '15 minutes' where id = $1`, [vid]);
    const listed = (await admin.get(`/api/v1/users/${vid}`)).body;
    expect(listed).toMatchObject({ locked: true, failedLogins: 10 });
    const un = await admin.post(`/api/v1/users/${vid}/unlock`);
    expect(un.body).toMatchObject({ locked: false, failedLogins: 0, lockedUntil: null });

    await db.query(`update app_user set mfa_enabled = true, mfa_secret = 'JBSWY3DPEHPK3PXP', recovery_codes = '{a:b}' where id = $1`, [vid]);
    const rm = await admin.post(`/api/v1/users/${vid}/reset-mfa`);
    expect(rm.body).toMatchObject({ mfaEnabled: false, recoveryCodesLeft: 0 });
    const row = (await db.query<{ mfa_secret: string | null; recovery_codes: string[] }>('select mfa_secret, recovery_codes from app_user where id = $1', [vid]))[0];
    expect(row).toEqual({ mfa_secret: null, recovery_codes: [] });
    expect((await audited('usuario_reset_mfa')).at(-1)).toMatchObject({ usuario: 'vest1' });
    expect((await audited('usuario_desbloquear')).at(-1)).toMatchObject({ usuario: 'vest1' });
  });
});
