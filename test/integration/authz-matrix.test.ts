// The authorisation matrix: every /api/v1 route × every role (and no session) × a record or institution of
// the user's own institution, of another institution, and of another state. Where the rule is known the
// exact status is asserted; every answer (JSON, CSV) is searched for the ids and folios of the records the
// role may not reach, which must never appear. Expected outcomes come from the access rules as written in
// ARCHITECTURE §5 and spec §1.4, restated here, not from the code under test.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import type { Actor } from '../../src/server/auth/actor.js';
import { RecordService } from '../../src/server/records/service.js';
import { TINY_PDF, client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

type Role = 'administrador' | 'validador' | 'validador_estatal' | 'enlace' | 'consulta' | 'auditor';
type Case = 'propia' | 'otra_institucion' | 'otro_estado';
const CASES: Case[] = ['propia', 'otra_institucion', 'otro_estado'];
const MODULES = ['convenios', 'victimas'] as const;

const INSTITUTIONS = [
  { codigo: 'JAL-CIES', nombre: 'Comisión Interinstitucional contra la Trata de Jalisco', ambito: 'ESTATAL', entidad: '14', tipo_local: 'CIES' },
  { codigo: 'JAL-FGE', nombre: 'Fiscalía del Estado de Jalisco', ambito: 'ESTATAL', entidad: '14', tipo_local: 'FISCALIA_EST' },
  { codigo: 'JAL-GDL', nombre: 'DIF Municipal de Guadalajara', ambito: 'MUNICIPAL', entidad: '14', municipio: '14039', tipo_local: 'DIF_MUN' },
  { codigo: 'NL-FGE', nombre: 'Fiscalía General de Justicia de Nuevo León', ambito: 'ESTATAL', entidad: '19', tipo_local: 'FISCALIA_EST' },
] as const;
const INST_INFO: Record<string, { ambito: string; entidad: string | null; municipio: string | null }> = {
  SEGOB: { ambito: 'FEDERAL', entidad: null, municipio: null },
  FGR: { ambito: 'FEDERAL', entidad: null, municipio: null },
  ...Object.fromEntries(INSTITUTIONS.map((i) => [i.codigo, { ambito: i.ambito, entidad: i.entidad, municipio: 'municipio' in i ? i.municipio : null }])),
};
const ALL_INST = Object.keys(INST_INFO);

const USERS: { role: Role; username: string; inst: string; entidad?: string }[] = [
  { role: 'administrador', username: 'admin', inst: 'SEGOB' },
  { role: 'validador', username: 'mx_validador', inst: 'SEGOB' },
  { role: 'validador_estatal', username: 'mx_vestatal', inst: 'JAL-CIES', entidad: '14' },
  { role: 'enlace', username: 'mx_enlace', inst: 'JAL-FGE' },
  { role: 'consulta', username: 'mx_consulta', inst: 'JAL-FGE' },
  { role: 'auditor', username: 'mx_auditor', inst: 'SEGOB' },
];
const PW = 'Matriz-De-Acceso-2026';

/** The institution of each case for a user: own; another one (of its state, for state users); another state's. */
function instOf(u: (typeof USERS)[number], c: Case): string {
  if (c === 'propia') return u.inst;
  if (c === 'otra_institucion') return u.inst === 'SEGOB' ? 'FGR' : 'JAL-GDL';
  return 'NL-FGE';
}

// ---- the rules, restated ----
const ST = (r: Role) => r === 'administrador' || r === 'validador';
/** Record-level reach: ST everything; validador_estatal its institution and the state/municipal ones of Jalisco; enlace its own; others nothing. */
function reach(u: (typeof USERS)[number], inst: string): boolean {
  if (ST(u.role)) return true;
  if (u.role === 'validador_estatal') return inst === u.inst || (INST_INFO[inst].entidad === u.entidad && INST_INFO[inst].ambito !== 'FEDERAL');
  if (u.role === 'enlace') return inst === u.inst;
  return false;
}
const canRead = (r: Role) => ST(r) || r === 'validador_estatal' || r === 'enlace';
const canWrite = (r: Role) => ST(r) || r === 'enlace';
const canValidate = (r: Role) => ST(r) || r === 'validador_estatal';
/** Statistics: auditor none; consulta every institution (aggregated, suppressed); the rest their record reach. */
const statsReach = (u: (typeof USERS)[number], inst: string) => (u.role === 'consulta' ? true : u.role === 'auditor' ? false : reach(u, inst));

describe.each(dbKinds())('matriz de autorización (%s)', (kind) => {
  let env: TestEnv;
  let svc: RecordService;
  let adminActor: Actor;
  const cookies = new Map<string, string>();
  /** Every fixture record: module, id, folio, institution (for the leak search). */
  const records: { module: string; id: string; folio: string; inst: string }[] = [];
  const attachments = new Map<string, string>(); // institution -> attachment id
  let seq = 0;
  let cells = 0;
  const routesSeen = new Set<string>();

  async function makeRecord(module: string, inst: string, state: 'borrador' | 'enviado' | 'validado' | 'eliminado') {
    const m = getModule(module)!;
    const body: Record<string, unknown> = { ...(structuredClone(m.example) as Record<string, unknown>), institucion_id: inst, ...INST_INFO[inst] };
    body.municipio = INST_INFO[inst].municipio;
    if (INST_INFO[inst].ambito === 'FEDERAL') body.entidad_federativa = null;
    else body.entidad_federativa = INST_INFO[inst].entidad;
    body.ambito = INST_INFO[inst].ambito;
    delete body.entidad;
    if (module === 'victimas') {
      body.folio_persona = `MX-${++seq}`;
      body.canalizada_a = ((body.canalizada_a as string[]) ?? []).filter((x) => x !== inst);
    }
    const rec = await svc.create(adminActor, module, body);
    const id = rec.id as string;
    records.push({ module, id, folio: rec.folio_sintra as string, inst });
    if (state !== 'borrador' && state !== 'eliminado')
      await svc.submit(adminActor, module, id).catch((e: { errors?: unknown }) => {
        throw new Error(`${module} ${inst}: ${JSON.stringify(e.errors)}`);
      });
    if (state === 'validado') await svc.validateRecord(adminActor, module, id);
    if (state === 'eliminado') await svc.remove(adminActor, module, id, { reason: 'Duplicado (matriz)' });
    return id;
  }

  beforeAll(async () => {
    env = await setup(kind);
    const admin = client(env.app, await login(env.app));
    for (const i of INSTITUTIONS) {
      const r = await admin.post('/api/v1/institutions', i);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    for (const u of USERS.filter((x) => x.username !== 'admin'))
      await createUser(env.ctx, { username: u.username, role: u.role, institucion_id: u.inst, entidad: u.entidad, password: PW });
    for (const u of USERS) cookies.set(u.role, u.username === 'admin' ? await login(env.app) : await login(env.app, u.username, PW));
    const row = (await env.ctx.db.query<{ id: string }>(`select id from app_user where username = 'admin'`))[0];
    adminActor = {
      id: row.id, username: 'admin', nombre: null, role: 'administrador', institucion_id: 'SEGOB', institucion_nombre: 'SEGOB',
      institucion_ambito: 'FEDERAL', institucion_entidad: null, entidad: null, mustChangePassword: false, ip: '127.0.0.1',
    };
    svc = new RecordService(env.ctx);
    // One sent record per module and institution for the read-only routes (lists, statistics, leaks).
    for (const m of MODULES) for (const inst of ALL_INST) await makeRecord(m, inst, 'enviado');
    for (const inst of ALL_INST) {
      const a = await env.ctx.db.query<{ id: string }>(
        `insert into attachment (name, size, type, kind, sha256, data, institucion_id, created_by) values ('oficio.pdf', $1, 'application/pdf', 'pdf', $2, $3, $4, $5) returning id`,
        [TINY_PDF.length, crypto.createHash('sha256').update(TINY_PDF).digest('hex'), TINY_PDF, inst, row.id],
      );
      attachments.set(inst, a[0].id);
    }
  });
  afterAll(async () => {
    await env?.close();
  });

  async function call(role: Role | null, method: string, url: string, payload?: unknown) {
    const r = await env.app.inject({
      method: method as 'GET',
      url,
      headers: role ? { cookie: cookies.get(role)! } : {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    cells++;
    return { status: r.statusCode, text: r.body, type: String(r.headers['content-type'] ?? '') };
  }

  /** No id or folio of a record outside the role's reach may appear in an answer. */
  function expectNoLeak(u: (typeof USERS)[number], text: string, what: string, allowed: (inst: string) => boolean = (i) => reach(u, i)) {
    for (const r of records) {
      if (allowed(r.inst)) continue;
      expect(text.includes(r.id), `${what}: id de ${r.inst} visible para ${u.role}`).toBe(false);
      expect(text.includes(r.folio), `${what}: folio de ${r.inst} visible para ${u.role}`).toBe(false);
    }
  }

  it('record routes: exact status per role and case, and no data from outside the reach', async () => {
    for (const m of MODULES) {
      for (const u of USERS) {
        for (const c of CASES) {
          const inst = instOf(u, c);
          const R = reach(u, inst);
          const where = `${m} ${u.role} ${c}`;
          const base = `/api/v1/modules/${m}/records`;

          // Detail.
          const id0 = await makeRecord(m, inst, 'enviado');
          const g = await call(u.role, 'GET', `${base}/${id0}`);
          routesSeen.add('GET /api/v1/modules/{module}/records/{id}');
          expect(g.status, `GET ${where}`).toBe(canRead(u.role) && R ? 200 : 404);
          if (g.status === 200 && m === 'victimas') expect(JSON.parse(g.text).condicion, `sensibles ${where}`).toBe('VICTIMA');
          expectNoLeak(u, g.text, `GET ${where}`);

          // List and search: the case's record appears exactly when it is in reach.
          const folio = records.find((x) => x.id === id0)!.folio;
          const l = await call(u.role, 'GET', `${base}?limit=200&q=${encodeURIComponent(folio)}`);
          routesSeen.add('GET /api/v1/modules/{module}/records');
          expect(l.status, `list ${where}`).toBe(canRead(u.role) ? 200 : 404);
          if (l.status === 200) expect(JSON.parse(l.text).items.some((x: { id: string }) => x.id === id0), `list ${where}`).toBe(R);
          expectNoLeak(u, l.text, `list ${where}`);

          // History of the record (the auditor reads every trail: that is its role).
          const h = await call(u.role, 'GET', `${base}/${id0}/history`);
          routesSeen.add('GET /api/v1/modules/{module}/records/{id}/history');
          if (u.role !== 'auditor') {
            if (!(canRead(u.role) && R)) expect(h.status, `history ${where}`).toBe(404);
            expectNoLeak(u, h.text, `history ${where}`);
          }

          // Update (with the current version).
          const id1 = await makeRecord(m, inst, 'borrador');
          const cur = await svc.get(adminActor, m, id1);
          const p = await call(u.role, 'PUT', `${base}/${id1}`, { ...cur, pending: undefined, warnings: undefined });
          routesSeen.add('PUT /api/v1/modules/{module}/records/{id}');
          expect(p.status, `PUT ${where} ${p.text.slice(0, 200)}`).toBe(!canWrite(u.role) ? 403 : R ? 200 : 404);
          expectNoLeak(u, p.text, `PUT ${where}`);

          // Submit a draft.
          const s = await call(u.role, 'POST', `${base}/${id1}/submit`, {});
          routesSeen.add('POST /api/v1/modules/{module}/records/{id}/submit');
          expect(s.status, `submit ${where} ${s.text.slice(0, 200)}`).toBe(!canWrite(u.role) ? 403 : R ? 200 : 404);

          // Validate and return a sent record.
          const id2 = await makeRecord(m, inst, 'enviado');
          const v = await call(u.role, 'POST', `${base}/${id2}/validate`, {});
          routesSeen.add('POST /api/v1/modules/{module}/records/{id}/validate');
          expect(v.status, `validate ${where} ${v.text.slice(0, 200)}`).toBe(!canValidate(u.role) ? 403 : R ? 200 : 404);
          expectNoLeak(u, v.text, `validate ${where}`);
          const id3 = await makeRecord(m, inst, 'enviado');
          const rt = await call(u.role, 'POST', `${base}/${id3}/return`, { comment: 'Falta un dato (matriz)' });
          routesSeen.add('POST /api/v1/modules/{module}/records/{id}/return');
          expect(rt.status, `return ${where}`).toBe(!canValidate(u.role) ? 403 : R ? 200 : 404);

          // Reopen a validated record.
          const id4 = await makeRecord(m, inst, 'validado');
          const ro = await call(u.role, 'POST', `${base}/${id4}/reopen`, { reason: 'Corrección (matriz)' });
          routesSeen.add('POST /api/v1/modules/{module}/records/{id}/reopen');
          expect(ro.status, `reopen ${where}`).toBe(!canValidate(u.role) ? 403 : R ? 200 : 404);

          // Delete, and restore (administrador only).
          const id5 = await makeRecord(m, inst, 'borrador');
          const d = await call(u.role, 'DELETE', `${base}/${id5}`, { reason: 'Duplicado (matriz)' });
          routesSeen.add('DELETE /api/v1/modules/{module}/records/{id}');
          expect(d.status, `DELETE ${where}`).toBe(!canWrite(u.role) ? 403 : R ? 204 : 404);
          const id6 = await makeRecord(m, inst, 'eliminado');
          const rs = await call(u.role, 'POST', `${base}/${id6}/restore`, { reason: 'Se eliminó por error (matriz)' });
          routesSeen.add('POST /api/v1/modules/{module}/records/{id}/restore');
          expect(rs.status, `restore ${where}`).toBe(u.role === 'administrador' ? 200 : 403);

          // Create, asking for the case's institution: only the Secretaría Técnica registers on behalf of another.
          const body: Record<string, unknown> = { ...(structuredClone(getModule(m)!.example) as Record<string, unknown>), institucion_id: inst, ambito: INST_INFO[inst].ambito, entidad_federativa: INST_INFO[inst].entidad, municipio: INST_INFO[inst].municipio };
          if (m === 'victimas') body.folio_persona = `MXC-${++seq}`;
          const cr = await call(u.role, 'POST', base, body);
          routesSeen.add('POST /api/v1/modules/{module}/records');
          expect(cr.status, `create ${where} ${cr.text.slice(0, 300)}`).toBe(canWrite(u.role) ? 201 : 403);
          if (cr.status === 201) {
            const made = JSON.parse(cr.text);
            expect(made.institucion_id, `create ${where}`).toBe(ST(u.role) ? inst : u.inst);
            records.push({ module: m, id: made.id, folio: made.folio_sintra, inst: made.institucion_id });
          }
        }
      }
    }
  }, 300_000);

  it('attachments: download only within reach and only for roles that read records; upload only for those who capture', async () => {
    for (const u of USERS)
      for (const c of CASES) {
        const inst = instOf(u, c);
        const r = await call(u.role, 'GET', `/api/v1/attachments/${attachments.get(inst)}`);
        routesSeen.add('GET /api/v1/attachments/{id}');
        // Unreferenced files: the uploader's institution and the Secretaría Técnica.
        expect(r.status, `${u.role} ${c}`).toBe(canRead(u.role) && (ST(u.role) || inst === u.inst) ? 200 : 404);
      }
    for (const u of USERS) {
      const bnd = 'matriz';
      const payload = Buffer.concat([
        Buffer.from(`--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        TINY_PDF,
        Buffer.from(`\r\n--${bnd}--\r\n`),
      ]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', payload, headers: { cookie: cookies.get(u.role)!, 'content-type': `multipart/form-data; boundary=${bnd}` } });
      cells++;
      routesSeen.add('POST /api/v1/attachments');
      expect(r.statusCode, u.role).toBe(canWrite(u.role) ? 201 : 403);
    }
  }, 300_000);

  it('statistics and their exports: figures only over the reach (consulta: every institution, aggregated and suppressed)', async () => {
    for (const m of MODULES)
      for (const u of USERS)
        for (const fmt of ['json', 'csv'])
          for (const c of CASES) {
            const inst = instOf(u, c);
            const r = await call(u.role, 'GET', `/api/v1/stats/${m}?rows=institucion_id&format=${fmt}`);
            routesSeen.add('GET /api/v1/stats/{module}');
            expect(r.status, `${m} ${u.role} ${fmt}`).toBe(u.role === 'auditor' ? 403 : 200);
            if (r.status !== 200) continue;
            const present = fmt === 'json' ? Object.keys(JSON.parse(r.text).rowTotals).includes(inst) : r.text.split('\r\n').some((l) => l.startsWith(`${inst},`));
            expect(present, `${m} ${u.role} ${fmt} ${c} (${inst})`).toBe(statsReach(u, inst));
            if (fmt === 'json' && u.role === 'consulta' && m === 'victimas') {
              // Small counts (1 to 4 persons) are never shown to consulta; counted here straight from the table.
              const truth = await env.ctx.db.query<{ inst: string; n: number }>(
                `select institucion_id as inst, count(*)::int as n from m_victimas where deleted_at is null and estatus in ('enviado', 'validado') group by 1`,
              );
              const shown = JSON.parse(r.text).rowTotals as Record<string, unknown>;
              for (const t of truth) if (t.n < 5) expect(shown[t.inst], `${t.inst}: ${t.n}`).toBe('<5');
              for (const v of Object.values(shown)) if (typeof v === 'number') expect(v).toBeGreaterThanOrEqual(5);
            }
            expectNoLeak(u, r.text, `stats ${m} ${u.role}`);
          }
  }, 300_000);

  it('reference catalogs list only what the institution may link; reading other catalogs is open to every session', async () => {
    for (const u of USERS) {
      for (const cat of ['operativo_ref', 'material_ref', 'instrumento_ref', 'institucion', 'entidad']) {
        const r = await call(u.role, 'GET', `/api/v1/catalogs/${cat}`);
        routesSeen.add('GET /api/v1/catalogs/{catalog}');
        expect(r.status, `${cat} ${u.role}`).toBe(200);
        expectNoLeak(u, r.text, `catálogo ${cat}`);
      }
    }
  }, 300_000);

  it('users and institutions: administrador only, for every verb', async () => {
    await createUser(env.ctx, { username: 'mx_objetivo', role: 'enlace', institucion_id: 'JAL-FGE', password: PW });
    const target = (await env.ctx.db.query<{ id: string }>(`select id from app_user where username = 'mx_objetivo'`))[0].id;
    for (const u of USERS)
      for (const c of CASES) {
        const inst = instOf(u, c);
        const admin = u.role === 'administrador';
        const checks: [string, string, unknown, number][] = [
          ['GET', '/api/v1/users', undefined, 200],
          ['GET', `/api/v1/users/${target}`, undefined, 200],
          ['PUT', `/api/v1/users/${target}`, { nombre: `Enlace ${c}` }, 200],
          ['POST', `/api/v1/users/${target}/unlock`, {}, 200],
          ['POST', `/api/v1/users/${target}/disable`, {}, 200],
          ['POST', `/api/v1/users/${target}/enable`, {}, 200],
          ['POST', `/api/v1/users/${target}/reset-mfa`, {}, 200],
          ['GET', '/api/v1/login-blocks', undefined, 200],
          ['POST', '/api/v1/login-blocks/unblock', { ip: '203.0.113.77' }, 200],
          ['POST', '/api/v1/users', { username: `mx_nuevo_${u.role}_${c}`, password: PW, role: 'enlace', institucion_id: inst }, 201],
          ['GET', '/api/v1/institutions', undefined, 200],
          ['GET', `/api/v1/institutions/${inst}`, undefined, 200],
          ['PUT', `/api/v1/institutions/${inst}`, { obligada_reportar: true }, 200],
          ['POST', '/api/v1/institutions', { nombre: `Instancia de las Mujeres ${u.role} ${c}`, ambito: 'ESTATAL', entidad: '14', tipo_local: 'MUJERES_EST' }, 201],
        ];
        for (const [method, url, payload, ok] of checks) {
          const r = await call(u.role, method, url, payload);
          routesSeen.add(`${method} ${url.replace(target, '{id}').replace(/institutions\/[A-Z0-9-]+/, 'institutions/{id}').replace(/users\/\{id\}\/[a-z-]+$/, (s) => s)}`);
          expect(r.status, `${method} ${url} ${u.role}`).toBe(admin ? ok : 403);
        }
      }
    // reset-password last: it ends the target's sessions and sets a temporary password.
    const rp = await call('administrador', 'POST', `/api/v1/users/${target}/reset-password`, {});
    routesSeen.add('POST /api/v1/users/{id}/reset-password');
    expect(rp.status).toBe(200);
    expect((await call('enlace', 'POST', `/api/v1/users/${target}/reset-password`, {})).status).toBe(403);
  }, 300_000);

  it('every remaining route: the exact status per role and case', async () => {
    const all = (s: number) => () => s;
    const noAuditor = (s: number) => (r: Role) => (r === 'auditor' ? 403 : s);
    const onlyST = (s: number) => (r: Role) => (ST(r) ? s : 403);
    const onlyAdmin = (s: number) => (r: Role) => (r === 'administrador' ? s : 403);
    const readers = (s: number) => (r: Role) => (canRead(r) ? s : 403);
    const writers = (s: number) => (r: Role) => (canWrite(r) ? s : 403);
    const trail = (s: number) => (r: Role) => (r === 'auditor' || r === 'administrador' ? s : 403);
    const none = '00000000-0000-4000-8000-000000000000';
    // Routes whose answer does not depend on the case are probed once per role; the rest per case.
    type Probe = { method: string; path: string; url: (u: (typeof USERS)[number], c: Case) => string; body?: (r: Role, c: Case) => unknown; expect: (r: Role, c: Case) => number; perCase?: boolean };
    const g = (path: string, expect: Probe['expect'], url?: string): Probe => ({ method: 'GET', path, url: () => url ?? path, expect });
    const recOf = (u: (typeof USERS)[number], c: Case) => records.find((x) => x.inst === instOf(u, c) && x.module === 'convenios')!;
    let n = 0;
    const probes: Probe[] = [
      g('/api/v1/auth/me', all(200)),
      g('/api/v1/geo/estados', all(200)),
      g('/api/v1/modules', all(200)),
      g('/api/v1/catalogs', all(200)),
      g('/api/v1/stats/legal', all(200)), // the list of tables and their definitions, no figure
      g('/api/v1/stats/legal/{id}', noAuditor(200), '/api/v1/stats/legal/T-01?anio=2024'),
      g('/api/v1/stats/publicaciones', all(200)),
      g('/api/v1/stats/{module}/dimensions', all(200), '/api/v1/stats/convenios/dimensions'), // the module's dimensions, no figure
      g('/api/v1/duplicados', onlyST(200)),
      g('/api/v1/incidencia', all(200), '/api/v1/incidencia?anio=2024'),
      g('/api/v1/incidencia/years', all(200)),
      g('/api/v1/audit', trail(200)),
      g('/api/v1/audit/verify', trail(200)),
      g('/api/v1/audit/actions', trail(200)),
      g('/api/v1/modules/{module}/imports/template', all(200), '/api/v1/modules/convenios/imports/template?format=csv'), // made from the definition, no data
      g('/api/v1/programa', noAuditor(200)),
      g('/api/v1/programa/programas', noAuditor(200)),
      g('/api/v1/programa/acciones/{codigo}/registros', (r) => (canRead(r) ? 200 : 403), '/api/v1/programa/acciones/PN2022-A1.0.0/registros'),
      g('/api/v1/indicators', noAuditor(200)),
      g('/api/v1/indicators/definitions', all(200)), // formulas, no figure
      g('/api/v1/commitments', noAuditor(200)),
      g('/api/v1/compliance', noAuditor(200)),
      g('/api/v1/reports/snapshots', onlyST(200)),
      g('/api/v1/reports/jobs/{id}', onlyST(404), `/api/v1/reports/jobs/${none}`),
      g('/api/v1/reports/jobs/{id}/file', onlyST(404), `/api/v1/reports/jobs/${none}/file`),
      g('/api/v1/reports/snapshots/{id}', onlyST(404), `/api/v1/reports/snapshots/${none}`),
      g('/api/v1/reports/snapshots/{id}/records', onlyST(404), `/api/v1/reports/snapshots/${none}/records`),
      g('/api/v1/reports/snapshots/{id}/stats/{module}', onlyST(404), `/api/v1/reports/snapshots/${none}/stats/convenios`),
      g('/api/v1/reports/snapshots/{id}/legal/{tabla}', onlyST(404), `/api/v1/reports/snapshots/${none}/legal/T-01`),
      // Record-level exports: each case's institution appears only within the reach (the leak search below).
      { method: 'GET', path: '/api/v1/modules/{module}/export', url: () => '/api/v1/modules/convenios/export?format=csv', expect: readers(200) },
      { method: 'GET', path: '/api/v1/modules/{module}/export', url: () => '/api/v1/modules/convenios/export?format=xlsx', expect: readers(200) },
      { method: 'GET', path: '/api/v1/modules/{module}/export', url: () => '/api/v1/modules/victimas/export?format=csv', expect: all(403) },
      // The history on a record page follows the record's reach; the auditor reads trails in GET /audit instead.
      { method: 'GET', path: '/api/v1/modules/{module}/records/{id}/history', perCase: true, url: (u, c) => `/api/v1/modules/convenios/records/${recOf(u, c).id}/history`, expect: (r, c) => { const u = USERS.find((x) => x.role === r)!; return canRead(r) && reach(u, instOf(u, c)) ? 200 : 404; } },
      // Changing things: only who may, with bodies that are valid, so a refusal is the role's and not the body's.
      { method: 'POST', path: '/api/v1/catalogs/{catalog}/items', url: () => '/api/v1/catalogs/tipo_evento/items', body: (r) => ({ code: `MATRIZ_${r.toUpperCase()}`, label: `Valor de la matriz ${r}` }), expect: onlyAdmin(201) },
      { method: 'PUT', path: '/api/v1/catalogs/{catalog}/items/{code}', url: () => '/api/v1/catalogs/tipo_evento/items/TALLER', body: (r) => ({ label: `Taller (${r})` }), expect: onlyAdmin(200) },
      { method: 'POST', path: '/api/v1/stats/publicaciones', url: () => '/api/v1/stats/publicaciones', body: () => ({ periodo: '2023' }), expect: onlyST(201) },
      { method: 'POST', path: '/api/v1/duplicados/{id}/confirmar', url: () => '/api/v1/duplicados/999999/confirmar', body: () => ({}), expect: onlyST(404) },
      { method: 'POST', path: '/api/v1/duplicados/{id}/descartar', url: () => '/api/v1/duplicados/999999/descartar', body: () => ({}), expect: onlyST(404) },
      { method: 'POST', path: '/api/v1/duplicados/detectar', url: () => '/api/v1/duplicados/detectar', body: () => ({}), expect: onlyST(200) },
      { method: 'POST', path: '/api/v1/programa', url: () => '/api/v1/programa', body: (r) => ({ nombre: `Programa de la matriz (${r}) ${++n}`, periodo_inicio: `${2040 + n}-01-01`, periodo_fin: `${2040 + n}-12-31`, vigente: false }), expect: onlyAdmin(201) },
      { method: 'PUT', path: '/api/v1/programa/{id}', url: () => `/api/v1/programa/${none}`, body: () => ({ nombre: 'Otro nombre' }), expect: onlyAdmin(404) },
      { method: 'DELETE', path: '/api/v1/programa/{id}', url: () => `/api/v1/programa/${none}`, expect: onlyAdmin(404) },
      { method: 'POST', path: '/api/v1/programa/{id}/objetivos', url: () => `/api/v1/programa/${none}/objetivos`, body: () => ({ numero: 1, texto: 'Objetivo de la matriz' }), expect: onlyAdmin(404) },
      { method: 'POST', path: '/api/v1/programa/objetivos/{id}/estrategias', url: () => `/api/v1/programa/objetivos/${none}/estrategias`, body: () => ({ numero: '1.1', texto: 'Estrategia de la matriz' }), expect: onlyAdmin(404) },
      { method: 'POST', path: '/api/v1/programa/objetivos/{id}/metas', url: () => `/api/v1/programa/objetivos/${none}/metas`, body: () => ({ tipo: 'INDICADOR', nombre: 'Meta de la matriz' }), expect: onlyAdmin(404) },
      { method: 'POST', path: '/api/v1/programa/estrategias/{id}/acciones', url: () => `/api/v1/programa/estrategias/${none}/acciones`, body: () => ({ numero: '1.1.1', texto: 'Acción de la matriz' }), expect: onlyAdmin(404) },
      ...(['objetivos', 'estrategias', 'acciones', 'metas'] as const).flatMap((k): Probe[] => [
        { method: 'PUT', path: `/api/v1/programa/${k}/{id}`, url: () => `/api/v1/programa/${k}/${none}`, body: () => (k === 'metas' ? { nombre: 'Meta de la matriz' } : { texto: 'Texto de la matriz' }), expect: onlyAdmin(404) },
        { method: 'DELETE', path: `/api/v1/programa/${k}/{id}`, url: () => `/api/v1/programa/${k}/${none}`, expect: onlyAdmin(404) },
      ]),
      { method: 'POST', path: '/api/v1/reports/annual/jobs', url: () => '/api/v1/reports/annual/jobs', body: () => ({ anio: 2024, snapshot: none }), expect: onlyST(404) },
      { method: 'POST', path: '/api/v1/reports/snapshots', url: () => '/api/v1/reports/snapshots', body: () => ({ anio: 2023 }), expect: onlyST(201) },
      { method: 'GET', path: '/api/v1/reports/annual', url: () => `/api/v1/reports/annual?anio=2024&snapshot=${none}`, expect: onlyST(404) },
      // Public routes answer the same to everyone (the 2023 publication was made above).
      g('/api/v1/health', all(200)),
      g('/api/v1/health/ready', all(200)),
      g('/api/v1/public/geo/estados', all(200)),
      g('/api/v1/public/publicaciones', all(200)),
      g('/api/v1/public/publicaciones/{periodo}', all(200), '/api/v1/public/publicaciones/2023'),
      g('/api/v1/public/publicaciones/{periodo}/{tabla}', all(200), '/api/v1/public/publicaciones/2023/T-01'),
      g('/api/v1/public/soporte', all(200)),
      { method: 'POST', path: '/api/v1/auth/login', url: () => '/api/v1/auth/login', body: (r) => ({ username: `no_existe_${r}`, password: 'Clave-Que-No-Es-2026' }), expect: all(401) },
      // A password change with a wrong current password, and an MFA code that is wrong: the same for everyone.
      { method: 'POST', path: '/api/v1/auth/password', url: () => '/api/v1/auth/password', body: () => ({ currentPassword: 'no-es-la-actual-2026', newPassword: 'Una-Frase-Nueva-De-Matriz' }), expect: all(400) },
    ];
    const wrong: string[] = [];
    for (const p of probes) {
      routesSeen.add(`${p.method} ${p.path}`);
      for (const u of USERS)
        for (const c of p.perCase ? CASES : CASES.slice(0, 1)) {
          const r = await call(u.role, p.method, p.url(u, c), p.body?.(u.role, c));
          if (r.status !== p.expect(u.role, c)) wrong.push(`${p.method} ${p.url(u, c)} ${u.role} ${c}: ${r.status}, se esperaba ${p.expect(u.role, c)} (${r.text.slice(0, 160)})`);
          const trailReader = /\/audit|\/history/.test(p.path) && (u.role === 'auditor' || u.role === 'administrador');
          if (/json|csv|text/.test(r.type) && !trailReader) expectNoLeak(u, r.text, `${p.method} ${p.path} ${u.role} ${c}`);
        }
    }
    expect(wrong).toEqual([]);
    // Imports: only those who capture; a file with a bad row is refused whole, with the role's own institution.
    routesSeen.add('POST /api/v1/modules/{module}/imports');
    for (const u of USERS) {
      const bnd = 'matrizimp';
      const csv = 'titulo\r\n=no es un convenio\r\n';
      const payload = Buffer.concat([
        Buffer.from(`--${bnd}\r\nContent-Disposition: form-data; name="file"; filename="convenios.csv"\r\nContent-Type: text/csv\r\n\r\n`),
        Buffer.from(csv),
        Buffer.from(`\r\n--${bnd}--\r\n`),
      ]);
      const r = await env.app.inject({ method: 'POST', url: '/api/v1/modules/convenios/imports', payload, headers: { cookie: cookies.get(u.role)!, 'content-type': `multipart/form-data; boundary=${bnd}` } });
      cells++;
      expect(r.statusCode, `import ${u.role}: ${r.body.slice(0, 200)}`).toBe(canWrite(u.role) ? 422 : 403);
    }
    // MFA: setting up a second factor is each user's own business; a wrong code is refused for everyone.
    routesSeen.add('POST /api/v1/auth/mfa/setup');
    routesSeen.add('POST /api/v1/auth/mfa/confirm');
    routesSeen.add('POST /api/v1/auth/logout');
    for (const u of USERS) {
      const fresh = u.username === 'admin' ? await login(env.app) : await login(env.app, u.username, PW);
      const as = async (method: string, url: string, payload: unknown) => {
        cells++;
        const r = await env.app.inject({ method: method as 'POST', url, payload: payload as object, headers: { cookie: fresh } });
        return r.statusCode;
      };
      const enrolled = (await env.ctx.db.query<{ on: boolean }>(`select mfa_secret is not null and mfa_enabled as on from app_user where username = $1`, [u.username]))[0]?.on;
      expect(await as('POST', '/api/v1/auth/mfa/setup', {}), `mfa/setup ${u.role}`).toBe(enrolled ? 409 : 200);
      expect(await as('POST', '/api/v1/auth/mfa/confirm', { code: '000000' }), `mfa/confirm ${u.role}`).toBe(enrolled ? 409 : 400);
      expect(await as('POST', '/api/v1/auth/logout', {}), `logout ${u.role}`).toBe(204);
      expect(await as('GET', '/api/v1/auth/me', undefined), `me after logout ${u.role}`).toBe(401);
    }
  }, 600_000);

  it('every other route: 401 without a session; with one, no 5xx and nothing from outside the reach', async () => {
    await env.app.ready();
    const doc = env.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const publicRe = [/^\/api\/v1\/health/, /^\/api\/v1\/auth\/login$/, /^\/api\/v1\/public\//];
    const fill = (path: string, u: (typeof USERS)[number] | null, c: Case) => {
      const inst = u ? instOf(u, c) : 'SEGOB';
      const rec = records.find((x) => x.inst === inst && x.module === 'convenios')!;
      return path
        .replace('{module}', 'convenios')
        .replace('{id}', rec.id)
        .replace('{catalog}', 'entidad')
        .replace('{codigo}', 'X')
        .replace('{periodo}', '2024')
        .replace('{tabla}', 'T-01')
        .replace('{code}', 'X');
    };
    let routes = 0;
    const generic: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods).map((x) => x.toUpperCase())) {
        routes++;
        const key = `${method} ${path}`;
        // Without a session: 401 everywhere but the public routes.
        if (!publicRe.some((re) => re.test(path))) {
          const r = await call(null, method, fill(path, null, 'propia'), method === 'GET' ? undefined : {});
          expect(r.status, `${key} sin sesión`).toBe(401);
        }
        if (routesSeen.has(key)) continue;
        generic.push(key);
        if (method !== 'GET') continue;
        // The case only changes the URL where it names a record.
        for (const u of USERS)
          for (const c of path.includes('{id}') ? CASES : CASES.slice(0, 1)) {
            const url = fill(path, u, c) + (path.endsWith('/export') ? '?format=csv' : path.includes('/stats/{') ? '?rows=institucion_id&format=csv' : '');
            const r = await call(u.role, method, url);
            expect(r.status, `${key} ${u.role}`).toBeLessThan(500);
            expect(r.status, `${key} ${u.role}`).not.toBe(401);
            // The audit trail is national for the auditor (and the administrador): that is what it is for.
            const trail = /\/audit|\/history/.test(path) && (u.role === 'auditor' || u.role === 'administrador');
            if (/json|csv|text/.test(r.type) && !trail) expectNoLeak(u, r.text, `${key} ${u.role} ${c}`);
          }
      }
    }
    const exact = routes - generic.length;
    console.log(
      `Matriz de autorización (${kind}): ${routes} rutas × ${USERS.length} roles (+ sin sesión) × ${CASES.length} casos; ` +
        `${exact} rutas con estatus exacto por rol y caso; ${generic.length} solo con verificación genérica (sin 5xx, sin fugas): ${generic.join(', ') || 'ninguna'}; ${cells} solicitudes.`,
    );
  }, 600_000);
});
