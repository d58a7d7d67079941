// The audit trail: every action recorded with who/where/when, no sensitive victim values in clear,
// GET /api/v1/audit with its filters and roles, the record history, the append-only table, and a hash
// chain that names the first altered or removed entry (also through `npm run sintra -- audit verify`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/server/audit/audit.js';
import { todayMx } from '../../src/modules/validate.js';
import { getModule } from '../../src/modules/index.js';
import { buildApp } from '../../src/server/app.js';
import { closeContext, createContext, ensureAdmin } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import { openRawPglite, openRawPostgres, pgliteDir, type Raw } from '../../src/server/backup/raw.js';
import { ADMIN_PASSWORD, client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');

/** `npm run sintra -- …` as a child process (what an operator runs). */
function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [TSX, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', SINTRA_LOAD_SESNSP: '0', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What an operator with database access would do to hide something: bypass the append-only guard. */
async function tamper(env: TestEnv, sql: string, params: unknown[]) {
  await env.ctx.db.tx(async (q) => {
    await q.query('alter table audit_log disable trigger user');
    await q.query(sql, params);
    await q.query('alter table audit_log enable trigger user');
  });
}

const victimExample = () => {
  const { institucion_id: _i, ambito: _a, ...rest } = getModule('victimas')!.example as Record<string, unknown>;
  void _i;
  void _a;
  return rest;
};

describe.each(dbKinds())('bitácora de auditoría (%s)', (kind) => {
  let env: TestEnv;
  let admin: ReturnType<typeof client>;
  let enlaceA: ReturnType<typeof client>;
  let enlaceB: ReturnType<typeof client>;
  let auditor: ReturnType<typeof client>;
  const secretFolio = 'QZX-7731-PSN';

  beforeAll(async () => {
    env = await setup(kind);
    await createUser(env.ctx, { username: 'enlace_sre', role: 'enlace', institucion_id: 'SRE' });
    await createUser(env.ctx, { username: 'enlace_inm', role: 'enlace', institucion_id: 'INM' });
    await createUser(env.ctx, { username: 'auditora', role: 'auditor', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'validador1', role: 'validador', institucion_id: 'SEGOB' });
    admin = client(env.app, await login(env.app));
    enlaceA = client(env.app, await login(env.app, 'enlace_sre'));
    enlaceB = client(env.app, await login(env.app, 'enlace_inm'));
    auditor = client(env.app, await login(env.app, 'auditora'));
  }, 600_000);
  afterAll(async () => env?.close());

  /** One victim record through create, open, update, delete and restore; each test that needs a record's
   *  trail makes its own, so no test depends on another having run (or passed) first. */
  async function victimLifecycle(folioPersona: string) {
    const c = await enlaceA.post('/api/v1/modules/victimas/records', { ...victimExample(), folio_persona: folioPersona });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const id: string = c.body.id;
    expect((await enlaceA.get(`/api/v1/modules/victimas/records/${id}`)).status).toBe(200);
    const u = await enlaceA.put(`/api/v1/modules/victimas/records/${id}`, {
      ...victimExample(),
      folio_persona: `${folioPersona}-N`,
      edad: 24,
      periodo_trimestre: 3,
      version: c.body.version,
    });
    expect(u.status, JSON.stringify(u.body)).toBe(200);
    const del = await enlaceA.del(`/api/v1/modules/victimas/records/${id}`, { reason: 'Captura duplicada' });
    expect(del.status).toBe(204);
    const res = await admin.post(`/api/v1/modules/victimas/records/${id}/restore`, { reason: 'No era duplicado' });
    expect(res.status).toBe(200);
    return { id, folio: c.body.folio_sintra as string };
  }

  it('registra creación, consulta, modificación (sin valores sensibles), eliminación y restauración', async () => {
    const { id: victimId } = await victimLifecycle(secretFolio);

    const rows = await env.ctx.db.query<{ action: string; username: string; institucion_id: string; role: string; ip: string; detail: string | null; module: string; at: Date }>(
      'select action, username, institucion_id, role, ip, detail, module, at from audit_log where record_id = $1 order by id',
      [victimId],
    );
    expect(rows.map((r) => r.action)).toEqual(['crear', 'consultar', 'modificar', 'eliminar', 'restaurar']);
    expect(rows.slice(0, 4).every((r) => r.username === 'enlace_sre' && r.institucion_id === 'SRE' && r.role === 'enlace' && r.module === 'victimas')).toBe(true);
    expect(rows[4]).toMatchObject({ username: 'admin', role: 'administrador', institucion_id: 'SEGOB' });
    expect(rows.every((r) => typeof r.ip === 'string' && r.ip.length > 0)).toBe(true);
    // The update names the sensitive fields that changed, never their values; ordinary fields keep before/after.
    const mod = JSON.parse(rows[2].detail!);
    expect(mod.cambios).toEqual({ periodo_trimestre: [2, 3] });
    expect(mod.campos_sensibles.sort()).toEqual(['edad', 'folio_persona']);
    const all = JSON.stringify(await env.ctx.db.query('select * from audit_log'));
    expect(all).not.toContain(secretFolio);
    expect(all).not.toContain(`${secretFolio}-N`);
  });

  it('registra inicios de sesión, fallidos (también de usuarios inexistentes), cierre y cambio de contraseña', async () => {
    const bad = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enlace_sre', password: 'equivocada-123456' } });
    expect(bad.statusCode).toBe(401);
    const ghost = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'no_existe\u001f', password: 'x' } });
    expect(ghost.statusCode).toBe(401);
    // PostgreSQL stores no NUL: refused up front, naming the field, instead of failing inside a query.
    const nul = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'no\u0000existe', password: 'x' } });
    expect(nul.statusCode).toBe(400);
    expect(JSON.parse(nul.body).errors[0].field).toBe('username');
    await createUser(env.ctx, { username: 'efimero', role: 'enlace', institucion_id: 'SRE' });
    const cookie = await login(env.app, 'efimero');
    const pw = await env.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { cookie }, payload: { currentPassword: ADMIN_PASSWORD, newPassword: 'Otra-Clave-Larga-2026' } });
    expect(pw.statusCode).toBe(204);
    expect((await env.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } })).statusCode).toBe(204);
    const rows = await env.ctx.db.query<{ action: string; username: string; user_id: string | null }>(
      `select action, username, user_id::text as user_id from audit_log where action in ('login','login_fallido','logout','cambio_contrasena') order by id`,
    );
    expect(rows.filter((r) => r.username === 'efimero').map((r) => r.action)).toEqual(['login', 'cambio_contrasena', 'logout']);
    expect(rows.some((r) => r.action === 'login_fallido' && r.username === 'enlace_sre' && r.user_id)).toBe(true);
    const g = rows.find((r) => r.action === 'login_fallido' && r.username?.startsWith('no'));
    expect(g).toBeDefined();
    expect(g!.user_id).toBeNull();
    expect((await verifyChain(env.ctx.db)).ok).toBe(true);
  });

  it('registra cambio de rol, activación de MFA, pasos del flujo, exportación e informe, cada uno con quién lo hizo', async () => {
    const last = async (action: string) =>
      (await env.ctx.db.query<{ username: string; role: string; module: string | null; record_id: string | null; detail: string | null }>(
        'select username, role, module, record_id::text as record_id, detail from audit_log where action = $1 order by id desc limit 1',
        [action],
      ))[0];
    // MFA turned on by the person herself (enrol, then confirm with a code from her app).
    await createUser(env.ctx, { username: 'con_mfa', role: 'enlace', institucion_id: 'INM' });
    const mfaUser = client(env.app, await login(env.app, 'con_mfa'));
    const setupR = await mfaUser.post('/api/v1/auth/mfa/setup', {});
    expect(setupR.status, JSON.stringify(setupR.body)).toBe(200);
    const conf = await mfaUser.post('/api/v1/auth/mfa/confirm', { code: await generate({ secret: setupR.body.secret }) });
    expect(conf.status, JSON.stringify(conf.body)).toBe(200);
    expect(await last('mfa_activada')).toMatchObject({ username: 'con_mfa', role: 'enlace' });
    // Role change by an administrator: before/after of the role, under the account changed.
    await createUser(env.ctx, { username: 'cambia_rol', role: 'consulta', institucion_id: 'SRE' });
    const uid = (await env.ctx.db.query<{ id: string }>(`select id::text as id from app_user where username = 'cambia_rol'`))[0].id;
    const put = await admin.put(`/api/v1/users/${uid}`, { role: 'enlace' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const rol = await last('usuario_modificar');
    expect(rol).toMatchObject({ username: 'admin', role: 'administrador' });
    expect(JSON.parse(rol.detail!)).toMatchObject({ usuario: 'cambia_rol', cambios: { role: ['consulta', 'enlace'] } });
    // A workflow step: sending a complete record.
    const conv = getModule('convenios')!;
    const { institucion_id: _i, ...body } = conv.example as Record<string, unknown>;
    void _i;
    const c = await enlaceA.post('/api/v1/modules/convenios/records', body);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    const sub = await enlaceA.post(`/api/v1/modules/convenios/records/${c.body.id}/submit`, {});
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
    expect(await last('enviar')).toMatchObject({ username: 'enlace_sre', module: 'convenios', record_id: c.body.id });
    // An export of a list (who, which format, how many rows).
    const ex = await env.app.inject({ method: 'GET', url: '/api/v1/modules/convenios/export?format=csv', headers: { cookie: await login(env.app, 'enlace_sre') } });
    expect(ex.statusCode, ex.body.slice(0, 300)).toBe(200);
    const exp = await last('exportar');
    expect(exp).toMatchObject({ username: 'enlace_sre', module: 'convenios' });
    expect(JSON.parse(exp.detail!)).toMatchObject({ format: 'csv', filas: Number(ex.headers['x-sintra-filas']) });
    // A report generation: a frozen snapshot of a year by the Secretaría Técnica.
    const snap = await admin.post('/api/v1/reports/snapshots', { anio: 2024 });
    expect(snap.status, JSON.stringify(snap.body).slice(0, 300)).toBe(201);
    const rep = await last('reporte');
    expect(rep).toMatchObject({ username: 'admin' });
    expect(JSON.parse(rep.detail!)).toMatchObject({ tipo: 'instantanea', anio: 2024 });
    expect((await verifyChain(env.ctx.db)).ok).toBe(true);
  });

  it('GET /api/v1/audit: solo auditor y administrador', async () => {
    expect((await auditor.get('/api/v1/audit')).status).toBe(200);
    expect((await admin.get('/api/v1/audit')).status).toBe(200);
    for (const u of ['enlace_sre', 'consulta1', 'validador1']) {
      const r = await client(env.app, await login(env.app, u)).get('/api/v1/audit');
      expect(r.status, u).toBe(403);
      expect(r.body.detail).toMatch(/auditor/);
    }
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
    // No route edits or deletes an entry.
    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      const r = await env.app.inject({ method, url: '/api/v1/audit/1', headers: { cookie: await login(env.app) }, payload: {} });
      expect(r.statusCode).toBe(404);
    }
  });

  it('filtra por usuario, institución, registro, folio, acción, módulo y fechas; pagina sin repetir', async () => {
    const count = async (where: string, p: unknown[] = []) => (await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where ${where}`, p))[0].n;
    const { id: victimId, folio: victimFolio } = await victimLifecycle('FLT-5512-QRS');
    const byUser = await auditor.get('/api/v1/audit?user=enlace_sre&limit=200');
    expect(byUser.status).toBe(200);
    expect(byUser.body.items.length).toBeGreaterThan(0);
    expect(byUser.body.items.every((i: { username: string }) => i.username === 'enlace_sre')).toBe(true);
    expect(byUser.body.total).toBe(await count(`username = 'enlace_sre'`));

    const byInst = await auditor.get('/api/v1/audit?institucion_id=SRE&limit=200');
    expect(byInst.body.total).toBe(await count(`institucion_id = 'SRE'`));

    const byRec = await auditor.get(`/api/v1/audit?record_id=${victimId}`);
    expect(byRec.body.items.map((i: { action: string }) => i.action)).toEqual(['restaurar', 'eliminar', 'modificar', 'consultar', 'crear']);
    expect(byRec.body.items.every((i: { folio: string }) => i.folio === victimFolio)).toBe(true);
    const byFolio = await auditor.get(`/api/v1/audit?folio=${victimFolio}`);
    expect(byFolio.body.items.map((i: { id: number }) => i.id)).toEqual(byRec.body.items.map((i: { id: number }) => i.id));

    const byAction = await auditor.get('/api/v1/audit?action=login_fallido&action=logout');
    expect(byAction.body.total).toBe(await count(`action in ('login_fallido','logout')`));
    expect(new Set(byAction.body.items.map((i: { action: string }) => i.action))).toEqual(new Set(['login_fallido', 'logout']));

    const byModule = await auditor.get('/api/v1/audit?module=victimas&action=modificar&limit=200');
    expect(byModule.body.total).toBe(await count(`module = 'victimas' and action = 'modificar'`));
    expect(byModule.body.items.map((i: { record_id: string }) => i.record_id)).toContain(victimId);
    expect(byModule.body.items.every((i: { action: string; module: string }) => i.action === 'modificar' && i.module === 'victimas')).toBe(true);
    expect(byModule.body.items.find((i: { record_id: string }) => i.record_id === victimId).detail.campos_sensibles).toContain('edad');

    const today = todayMx();
    // Counted before asking: the request records its own entry afterwards.
    const todays = await count(`at >= ($1::date)::timestamp at time zone 'America/Mexico_City' and at < ($1::date + 1)::timestamp at time zone 'America/Mexico_City'`, [today]);
    const inRange = await auditor.get(`/api/v1/audit?from=${today}&to=${today}&limit=1`);
    expect(inRange.body.total).toBe(todays);
    expect(inRange.body.total).toBeGreaterThan(0);
    expect((await auditor.get('/api/v1/audit?to=2000-01-01')).body.total).toBe(0);
    const future = new Date(Date.now() + 86400_000).toISOString();
    expect((await auditor.get(`/api/v1/audit?from=${encodeURIComponent(future)}`)).body.total).toBe(0);

    // Keyset paging: every entry once, newest first (each page request adds an entry above the cursor).
    const existing = await count('true');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const r: { body: { items: { id: number }[]; nextCursor: string | null } } = await auditor.get(`/api/v1/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...r.body.items.map((i) => i.id));
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen.length).toBe(existing);

    // Bad filters: a Spanish 400 naming the parameter.
    for (const [qs, field] of [
      ['from=2024-02-30', 'from'],
      ['record_id=../../etc', 'record_id'],
      ['limit=500', 'limit'],
      ['module=Nada%21', 'module'],
      ['action=DROP%20TABLE', 'action'],
      ['folio=XYZ', 'folio'],
      ['cursor=-3', 'cursor'],
      ['usuario=x', 'usuario'],
    ]) {
      const r = await auditor.get(`/api/v1/audit?${qs}`);
      expect(r.status, qs).toBe(400);
      expect(r.body.errors[0].field, qs).toBe(field);
    }
    // Reading the trail is itself recorded.
    expect(await count(`action = 'consultar_bitacora' and username = 'auditora'`)).toBeGreaterThan(5);
  });

  it('historial de un registro: para quien puede verlo; otra institución recibe 404', async () => {
    const { id: victimId } = await victimLifecycle('HST-4410-KLM');
    const mine = await enlaceA.get(`/api/v1/modules/victimas/records/${victimId}/history`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((i: { action: string }) => i.action)).toEqual(['restaurar', 'eliminar', 'modificar', 'consultar', 'crear']);
    expect(mine.body.items[0]).not.toHaveProperty('ip');
    expect((await enlaceB.get(`/api/v1/modules/victimas/records/${victimId}/history`)).status).toBe(404);
    expect((await auditor.get(`/api/v1/modules/victimas/records/${victimId}/history`)).status).toBe(404);
    expect((await enlaceA.get(`/api/v1/modules/victimas/records/------------------------------------/history`)).status).toBe(404);
    const adm = await admin.get(`/api/v1/modules/victimas/records/${victimId}/history?limit=2`);
    expect(adm.body.items).toHaveLength(2);
    expect(adm.body.total).toBe(5);
    expect(adm.body.items[0].ip).toBeTruthy();
  });

  it('la tabla solo admite agregar: UPDATE, DELETE y TRUNCATE fallan; el rol de la app no tiene esos privilegios', async () => {
    await expect(env.ctx.db.query(`update audit_log set action = 'x' where id = 1`)).rejects.toThrow(/solo admite agregar/);
    await expect(env.ctx.db.query('delete from audit_log where id = 1')).rejects.toThrow(/solo admite agregar/);
    await expect(env.ctx.db.query('truncate audit_log')).rejects.toThrow(/solo admite agregar/);
    // The request role exists on both engines (migration 0003): its privileges are checked, never skipped.
    const role = await env.ctx.db.query(`select 1 from pg_roles where rolname = 'sintra_app'`);
    expect(role).toHaveLength(1);
    const p = await env.ctx.db.query<{ u: boolean; d: boolean; t: boolean; i: boolean }>(
      `select has_table_privilege('sintra_app', 'audit_log', 'UPDATE') as u, has_table_privilege('sintra_app', 'audit_log', 'DELETE') as d,
              has_table_privilege('sintra_app', 'audit_log', 'TRUNCATE') as t, has_table_privilege('sintra_app', 'audit_log', 'INSERT') as i`,
    );
    expect(p[0]).toEqual({ u: false, d: false, t: false, i: true });
    // And as that role (what every request transaction runs as) the statements are refused by privilege.
    await expect(
      env.ctx.db.tx(async (q) => {
        await q.query('set local role sintra_app');
        await q.query(`update audit_log set action = 'x' where id = 1`);
      }),
    ).rejects.toThrow(/permission denied|permiso denegado/);
  });

  it('escrituras concurrentes: la cadena no se bifurca', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => enlaceA.post('/api/v1/modules/victimas/records', { ...victimExample(), folio_persona: `CONC-${i}-X` })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const r = await verifyChain(env.ctx.db);
    expect(r.ok, r.problem?.message).toBe(true);
    const prevs = await env.ctx.db.query<{ n: number; d: number }>('select count(*)::int as n, count(distinct prev_hash)::int as d from audit_log');
    expect(prevs[0].d).toBe(prevs[0].n);
  });

  it('verificación: nombra exactamente la entrada alterada, y la que sigue a una eliminada', async () => {
    for (let i = 0; i < 8; i++) await login(env.app, 'enlace_inm'); // enough entries whatever ran before
    const ids = (await env.ctx.db.query<{ id: number }>('select id from audit_log order by id')).map((r) => Number(r.id));
    expect((await verifyChain(env.ctx.db)).ok).toBe(true);
    const k = ids[Math.floor(ids.length / 2)];
    const orig = (await env.ctx.db.query<{ detail: string | null; username: string | null }>('select detail, username from audit_log where id = $1', [k]))[0];
    await tamper(env, `update audit_log set username = 'otra_persona' where id = $1`, [k]);
    let r = await verifyChain(env.ctx.db, { batch: 10 });
    expect(r.ok).toBe(false);
    expect(r.problem).toMatchObject({ id: k, kind: 'alterada' });
    expect(r.problem!.message).toContain(`#${k}`);
    expect(r.entries).toBe(ids.indexOf(k));
    // The audit screen's check says the same.
    const web = await auditor.get('/api/v1/audit/verify');
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({ ok: false, problem: { id: k, kind: 'alterada' } });
    expect((await enlaceA.get('/api/v1/audit/verify')).status).toBe(403);
    // A changed time, even by microseconds, also shows.
    await tamper(env, 'update audit_log set username = $2 where id = $1', [k, orig.username]);
    expect((await verifyChain(env.ctx.db)).ok).toBe(true);
    await tamper(env, `update audit_log set at = at + interval '3 microseconds' where id = $1`, [k]);
    expect((await verifyChain(env.ctx.db)).problem).toMatchObject({ id: k, kind: 'alterada' });
    await tamper(env, `update audit_log set at = at - interval '3 microseconds' where id = $1`, [k]);
    expect((await verifyChain(env.ctx.db)).ok).toBe(true);

    // Removing an entry: the next one no longer links to its predecessor.
    const j = ids[3];
    await tamper(env, 'delete from audit_log where id = $1', [j]);
    r = await verifyChain(env.ctx.db);
    expect(r.problem).toMatchObject({ id: ids[4], previousId: ids[2], kind: 'eliminada' });
    // Removing the newest entries leaves no gap, but the anchor recorded before shows it.
    const head = ids[ids.length - 1];
    const headHash = (await env.ctx.db.query<{ hash: string }>('select hash from audit_log where id = $1', [head]))[0].hash;
    await tamper(env, 'delete from audit_log where id = $1', [head]);
    r = await verifyChain(env.ctx.db, { anchor: { id: head, hash: headHash } });
    expect(r.ok).toBe(false);
    expect(r.problem!.id).toBe(ids[4]); // the first problem is still the earlier removal
    // Removing the first entries: the chain no longer starts at the genesis.
    for (const x of [ids[0], ids[1], ids[2], ids[4]]) await tamper(env, 'delete from audit_log where id = $1', [x]);
    expect((await verifyChain(env.ctx.db)).problem).toMatchObject({ id: ids[5], previousId: null, kind: 'inicio' });
  });
});

// The command an operator runs, on a database on disk (PGlite) or the PostgreSQL one.
describe.each(dbKinds())('npm run sintra -- audit verify (%s)', (kind) => {
  let dir: string;
  let dbEnv: Record<string, string>;
  let openRaw: () => Promise<Raw>;
  let cleanup: () => Promise<void>;
  const rawTamper = async (sql: string, params: unknown[] = []) => {
    const q = await openRaw();
    try {
      await q.exec('alter table audit_log disable trigger user');
      await q.query(sql, params);
      await q.exec('alter table audit_log enable trigger user');
    } finally {
      await q.close();
    }
  };
  const ids = async () => {
    const q = await openRaw();
    try {
      return (await q.query<{ id: number }>('select id from audit_log order by id')).map((r) => Number(r.id));
    } finally {
      await q.close();
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-audit-'));
    if (kind === 'pglite') {
      const config = loadConfig({ SINTRA_DATA_DIR: dir, SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent' });
      const ctx = await createContext(config, { log: { ...console, info: () => undefined } as Console });
      await ensureAdmin(ctx.db, config);
      const app = await buildApp(ctx);
      await createUser(ctx, { username: 'enlace_cli', role: 'enlace', institucion_id: 'SRE' });
      for (let i = 0; i < 6; i++) await login(app, 'enlace_cli');
      await app.close();
      await closeContext(ctx); // the CLI needs the data directory to itself
      dbEnv = { SINTRA_DATA_DIR: dir };
      openRaw = () => openRawPglite(pgliteDir(dir));
      cleanup = async () => undefined;
    } else {
      const env = await setup(kind);
      await createUser(env.ctx, { username: 'enlace_cli', role: 'enlace', institucion_id: 'SRE' });
      for (let i = 0; i < 6; i++) await login(env.app, 'enlace_cli');
      const url = env.ctx.config.DATABASE_URL!;
      dbEnv = { DATABASE_URL: url };
      openRaw = () => openRawPostgres(url);
      cleanup = env.close;
    }
  }, 600_000);
  afterAll(async () => {
    await cleanup?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('íntegra: código 0 y la última entrada como ancla; sin el final, solo el ancla lo detecta', async () => {
    const ok = cli(['audit', 'verify'], dbEnv);
    expect(ok.code, ok.err + ok.out).toBe(0);
    expect(ok.out).toMatch(/Bitácora íntegra: \d+ entradas/);
    const m = /--ancla (\d+):([0-9a-f]{64})/.exec(ok.out)!;
    const all = await ids();
    expect(Number(m[1])).toBe(all[all.length - 1]);
    await rawTamper('delete from audit_log where id = $1', [Number(m[1])]);
    const r = cli(['audit', 'verify', '--ancla', `${m[1]}:${m[2]}`], dbEnv);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`#${m[1]} ya no existe`);
  }, 240_000);

  it('alterada: código 1 nombrando exactamente esa entrada', async () => {
    const k = (await ids())[2];
    await rawTamper(`update audit_log set detail = '{"nada":"que ver"}' where id = $1`, [k]);
    const bad = cli(['audit', 'verify'], dbEnv);
    expect(bad.code, bad.err + bad.out).toBe(1);
    expect(bad.err).toContain(`La entrada #${k} fue alterada`);
    expect(bad.err.match(/#\d+/g)![0]).toBe(`#${k}`);
  }, 240_000);
});
