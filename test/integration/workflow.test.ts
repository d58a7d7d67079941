// The workflow of a record (spec §1.2): every status × every step, who may take each step (the enlace of the
// institution sends; the Secretaría Técnica validates and returns anything; a validador_estatal only the state and
// municipal institutions of its state), who did each step and when (history and *_by/*_at), a validated record
// changed only after re-opening with a reason, stale versions after a step, soft deletion and restoration (lists
// and statistics), and search over «Otro» texts. What records.test.ts and authz-matrix.test.ts already cover is
// not repeated. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;
type Rec = Record<string, any>;
const ex = (k: string): Record<string, unknown> => structuredClone(getModule(k)!.example) as Record<string, unknown>;
const fields = (b: { errors?: { field: string }[] }) => (b.errors ?? []).map((e) => e.field);
const PW = 'Flujo-De-Trabajo-2026';

describe.each(dbKinds())('flujo de trabajo (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let validador: Client;
  let enlaceJal: Client;
  let enlaceDif: Client;
  let vestJal: Client;
  let vestNl: Client;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await setup(kind);
    admin = client(env.app, await login(env.app));
    for (const [codigo, nombre, ambito, entidad, municipio] of [
      ['JAL_CIES', 'Comisión Interinstitucional contra la Trata de Jalisco', 'ESTATAL', '14', null],
      ['JAL_FGE', 'Fiscalía del Estado de Jalisco', 'ESTATAL', '14', null],
      ['JAL_DIF_GDL', 'DIF Municipal de Guadalajara', 'MUNICIPAL', '14', '14039'],
      ['NL_CIES', 'Comisión Interinstitucional contra la Trata de Nuevo León', 'ESTATAL', '19', null],
    ] as const)
      await env.ctx.db.query('insert into institucion (codigo, nombre, ambito, entidad, municipio, grupo) values ($1, $2, $3, $4, $5, $6)', [codigo, nombre, ambito, entidad, municipio, 'LOCAL']);
    await env.ctx.catalogs.reload(env.ctx.db, env.ctx.baseCatalogs);
    const users = [
      ['wf_validador', 'validador', 'SEGOB', undefined],
      ['wf_enlace_jal', 'enlace', 'JAL_FGE', undefined],
      ['wf_enlace_dif', 'enlace', 'JAL_DIF_GDL', undefined],
      ['wf_vest_jal', 'validador_estatal', 'JAL_CIES', '14'],
      ['wf_vest_nl', 'validador_estatal', 'NL_CIES', '19'],
    ] as const;
    for (const [username, role, inst, entidad] of users) await createUser(env.ctx, { username, role, institucion_id: inst, entidad, password: PW });
    validador = client(env.app, await login(env.app, 'wf_validador', PW));
    enlaceJal = client(env.app, await login(env.app, 'wf_enlace_jal', PW));
    enlaceDif = client(env.app, await login(env.app, 'wf_enlace_dif', PW));
    vestJal = client(env.app, await login(env.app, 'wf_vest_jal', PW));
    vestNl = client(env.app, await login(env.app, 'wf_vest_nl', PW));
    for (const u of users) ids[u[0]] = (await env.ctx.db.query<{ id: string }>('select id from app_user where username = $1', [u[0]]))[0].id;
    ids.admin = (await env.ctx.db.query<{ id: string }>(`select id from app_user where username = 'admin'`))[0].id;
  });
  afterAll(async () => {
    await env?.close();
  });

  const url = (id: string, step = '') => `/api/v1/modules/convenios/records/${id}${step}`;
  const jalBody = (extra: Record<string, unknown> = {}) => ({ ...ex('convenios'), ambito: 'ESTATAL', entidad_federativa: '14', ...extra });

  async function create(c: Client, body: Record<string, unknown>): Promise<Rec> {
    const r = await c.post('/api/v1/modules/convenios/records', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }

  /** A SEGOB record brought to a status by the administration. */
  async function inStatus(st: 'borrador' | 'enviado' | 'validado' | 'devuelto'): Promise<Rec> {
    const r = await create(admin, ex('convenios'));
    if (st === 'borrador') return r;
    expect((await admin.post(url(r.id, '/submit'))).status).toBe(200);
    if (st === 'validado') expect((await admin.post(url(r.id, '/validate'))).status).toBe(200);
    if (st === 'devuelto') expect((await admin.post(url(r.id, '/return'), { comment: 'Revise la vigencia.' })).status).toBe(200);
    return (await admin.get(url(r.id))).body;
  }

  // What each step does from each status: the new status, or 409 (invalid_state) with the record untouched.
  const STEPS: Record<string, { path: string; body: Record<string, unknown> }> = {
    submit: { path: '/submit', body: {} },
    validate: { path: '/validate', body: {} },
    return: { path: '/return', body: { comment: 'Falta el anexo del convenio.' } },
    reopen: { path: '/reopen', body: { reason: 'La institución corrige la fecha.' } },
  };
  const EXPECTED: Record<string, Record<string, string | 409>> = {
    borrador: { submit: 'enviado', validate: 409, return: 409, reopen: 409, put: 'borrador' },
    enviado: { submit: 409, validate: 'validado', return: 'devuelto', reopen: 409, put: 'enviado' },
    validado: { submit: 409, validate: 409, return: 409, reopen: 'enviado', put: 409 },
    devuelto: { submit: 'enviado', validate: 409, return: 409, reopen: 409, put: 'devuelto' },
  };

  describe.each(Object.keys(EXPECTED))('from %s', (from) => {
    it.each(Object.keys(EXPECTED[from]))('%s', async (step) => {
      const r = await inStatus(from as 'borrador');
      const exp = EXPECTED[from][step];
      const res =
        step === 'put'
          ? await admin.put(url(r.id), { ...r, contraparte: 'Universidad de Guadalajara', version: r.version })
          : await admin.post(url(r.id, STEPS[step].path), STEPS[step].body);
      const after = (await admin.get(url(r.id))).body;
      if (exp === 409) {
        expect(res.status).toBe(409);
        expect(res.body.code).toBe('invalid_state');
        expect(res.body.detail).toMatch(/«?(borrador|enviado|validado|devuelto)»?|reabrirse/);
        expect(after.estatus).toBe(from);
        expect(after.version).toBe(r.version);
        expect(after.updated_at).toBe(r.updated_at);
      } else {
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.estatus).toBe(exp);
        expect(after.estatus).toBe(exp);
        expect(after.version).toBe(r.version + 1);
      }
    });
  });

  it('who: the enlace sends its own; the state validator validates and returns its state; the ST validates anything', async () => {
    // The enlace of the Fiscalía registers and sends; another institution of the same state cannot touch it.
    const rec = await create(enlaceJal, jalBody({ contraparte: 'Universidad de Guadalajara' }));
    expect(rec.institucion_id).toBe('JAL_FGE');
    expect((await enlaceDif.post(url(rec.id, '/submit'))).status).toBe(404);
    expect((await enlaceJal.post(url(rec.id, '/submit'))).status).toBe(200);
    // An enlace never validates, not even its own record.
    expect((await enlaceJal.post(url(rec.id, '/validate'))).status).toBe(403);
    expect((await enlaceJal.post(url(rec.id, '/return'), { comment: 'Me lo devuelvo' })).status).toBe(403);
    // The validator of another state does not reach it; the one of Jalisco returns it with observations.
    expect((await vestNl.post(url(rec.id, '/validate'))).status).toBe(404);
    const noComment = await vestJal.post(url(rec.id, '/return'), { comment: ' ' });
    expect(noComment.status).toBe(400);
    expect(fields(noComment.body)).toEqual(['comment']);
    const ret = await vestJal.post(url(rec.id, '/return'), { comment: 'Indique la fecha de término de la vigencia.' });
    expect(ret.status).toBe(200);
    expect(ret.body.devuelto_by).toBe(ids.wf_vest_jal);
    expect(ret.body.observaciones_validacion).toBe('Indique la fecha de término de la vigencia.');
    // Corrected and sent again by the enlace, validated by the state validator.
    const cur = (await enlaceJal.get(url(rec.id))).body;
    const fixed = await enlaceJal.put(url(rec.id), { ...cur, fecha_fin_vigencia: '2025-12-31' });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    expect((await enlaceJal.post(url(rec.id, '/submit'))).status).toBe(200);
    const val = await vestJal.post(url(rec.id, '/validate'));
    expect(val.status).toBe(200);
    expect(val.body.validado_by).toBe(ids.wf_vest_jal);

    // A municipal institution of the state is in the state validator's reach too.
    const dif = await create(enlaceDif, { ...jalBody({ contraparte: 'Asociación Civil Tapatía' }), ambito: 'MUNICIPAL', municipio: '14039' });
    expect((await enlaceDif.post(url(dif.id, '/submit'))).status).toBe(200);
    expect((await vestJal.post(url(dif.id, '/validate'))).status).toBe(200);

    // A federal record is not the state validator's (out of its reach); the ST validates and returns anything.
    const fed = await inStatus('enviado');
    expect((await vestJal.post(url(fed.id, '/validate'))).status).toBe(404);
    expect((await validador.post(url(fed.id, '/validate'))).status).toBe(200);
    const other = await create(enlaceDif, { ...jalBody({ contraparte: 'Colegio de Jalisco' }), ambito: 'MUNICIPAL', municipio: '14039' });
    expect((await enlaceDif.post(url(other.id, '/submit'))).status).toBe(200);
    const stRet = await validador.post(url(other.id, '/return'), { comment: 'Adjunte el convenio firmado.' });
    expect(stRet.status).toBe(200);
    expect(stRet.body.devuelto_by).toBe(ids.wf_validador);
  });

  it('who did each step and when: *_by/*_at and the history, newest first', async () => {
    const rec = await create(enlaceJal, jalBody({ contraparte: 'Instituto Tecnológico de Jalisco' }));
    expect((await enlaceJal.post(url(rec.id, '/submit'))).status).toBe(200);
    expect((await vestJal.post(url(rec.id, '/return'), { comment: 'Precise el objeto.' })).status).toBe(200);
    const cur = (await enlaceJal.get(url(rec.id))).body;
    expect((await enlaceJal.put(url(rec.id), { ...cur, objeto: `${cur.objeto} Incluye un calendario de actividades.` })).status).toBe(200);
    expect((await enlaceJal.post(url(rec.id, '/submit'))).status).toBe(200);
    expect((await validador.post(url(rec.id, '/validate'))).status).toBe(200);
    expect((await admin.post(url(rec.id, '/reopen'), { reason: 'Se detectó un error en la contraparte.' })).status).toBe(200);

    const g = (await admin.get(url(rec.id))).body;
    expect(g.created_by).toBe(ids.wf_enlace_jal);
    expect(g.enviado_by).toBe(ids.wf_enlace_jal);
    expect(g.devuelto_by).toBe(ids.wf_vest_jal);
    expect(g.updated_by).toBe(ids.admin);
    expect(g.validado_by).toBeNull(); // re-opened: no longer validated
    expect(g.estatus).toBe('enviado');
    expect(Date.parse(g.created_at)).toBeLessThanOrEqual(Date.parse(g.devuelto_at));
    expect(Date.parse(g.devuelto_at)).toBeLessThanOrEqual(Date.parse(g.enviado_at));

    // The enlace sees the history of its record: who, with which role, what, and the reasons given.
    const h = await enlaceJal.get(url(rec.id, '/history'));
    expect(h.status).toBe(200);
    const steps = (h.body.items as Rec[]).filter((x) => x.action !== 'consultar').map((x) => [x.action, x.username]);
    expect(steps).toEqual([
      ['reabrir', 'admin'],
      ['validar', 'wf_validador'],
      ['enviar', 'wf_enlace_jal'],
      ['modificar', 'wf_enlace_jal'],
      ['devolver', 'wf_vest_jal'],
      ['enviar', 'wf_enlace_jal'],
      ['crear', 'wf_enlace_jal'],
    ]);
    const items = h.body.items as Rec[];
    expect(items.find((x) => x.action === 'devolver')!.detail).toMatchObject({ de: 'enviado', a: 'devuelto', observaciones: 'Precise el objeto.' });
    expect(items.find((x) => x.action === 'reabrir')!.detail).toMatchObject({ de: 'validado', a: 'enviado', motivo: 'Se detectó un error en la contraparte.' });
    expect(Object.keys(items.find((x) => x.action === 'modificar')!.detail.cambios)).toEqual(['objeto']);
    expect(items.find((x) => x.action === 'validar')!.role).toBe('validador');
    const times = items.map((x) => Date.parse(x.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Addresses and hashes are for the audit roles, not for the record's users.
    expect(items[0].ip).toBeUndefined();
    // Another institution of the same state does not see it.
    expect((await enlaceDif.get(url(rec.id, '/history'))).status).toBe(404);
  });

  it('a validated record changes only after re-opening with a reason; then every rule holds again', async () => {
    const r = await inStatus('validado');
    const validatedCount = async () => (await admin.get('/api/v1/stats/convenios?rows=tipo_convenio&estatus=validado')).body.records as number;
    const before = await validatedCount();
    // Not even its own liaison or the administration can save it as it is.
    const put = await admin.put(url(r.id), { ...r, contraparte: 'Cambio sin reabrir' });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('invalid_state');
    expect((await admin.get(url(r.id))).body.contraparte).toBe(r.contraparte);
    for (const reason of [undefined, '', '  ', 'no']) {
      const bad = await admin.post(url(r.id, '/reopen'), reason === undefined ? {} : { reason });
      expect(bad.status).toBe(400);
      expect(fields(bad.body)).toEqual(['reason']);
    }
    expect((await admin.get(url(r.id))).body.estatus).toBe('validado');
    const re = await admin.post(url(r.id, '/reopen'), { reason: 'Corrección de la contraparte solicitada por la institución.' });
    expect(re.status).toBe(200);
    expect(await validatedCount()).toBe(before - 1);
    // Re-opened it is "enviado": a change that breaks a rule is refused, a correct one saved.
    const cur = (await admin.get(url(r.id))).body;
    const broken = await admin.put(url(r.id), { ...cur, fecha_fin_vigencia: '2000-01-01' });
    expect(broken.status).toBe(400);
    expect(fields(broken.body)).toEqual(['fecha_fin_vigencia']);
    const ok = await admin.put(url(r.id), { ...cur, contraparte: 'Universidad Pedagógica Nacional' });
    expect(ok.status).toBe(200);
    expect(ok.body.estatus).toBe('enviado');
    expect((await admin.post(url(r.id, '/validate'))).status).toBe(200);
    expect(await validatedCount()).toBe(before);
  });

  it('a save with the version read before a workflow step gets 409 with the stored record', async () => {
    const r = await create(enlaceJal, jalBody({ contraparte: 'Universidad Autónoma de Guadalajara' }));
    expect((await enlaceJal.post(url(r.id, '/submit'))).status).toBe(200);
    const stale = await enlaceJal.put(url(r.id), { ...r, contraparte: 'Guardado con la versión vieja' });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('conflict');
    expect(stale.body.current.estatus).toBe('enviado');
    expect(stale.body.current.version).toBe(r.version + 1);
    expect(stale.body.current.contraparte).toBe('Universidad Autónoma de Guadalajara');
    expect((await enlaceJal.get(url(r.id))).body.contraparte).toBe('Universidad Autónoma de Guadalajara');
  });

  it('a restore that would duplicate a unique value (the folio of the person) is refused, naming the field, and changes nothing', async () => {
    const v = (folio: string) => ({ ...ex('victimas'), folio_persona: folio });
    const base = '/api/v1/modules/victimas/records';
    const first = await admin.post(base, v('WF-RESTAURA-1'));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await admin.del(`${base}/${first.body.id}`, { reason: 'Capturada por error' })).status).toBe(204);
    const second = await admin.post(base, v('WF-RESTAURA-1'));
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const refused = await admin.post(`${base}/${first.body.id}/restore`, { reason: 'Era la buena' });
    expect(refused.status).toBe(400);
    expect(fields(refused.body)).toEqual(['folio_persona']);
    expect(refused.body.errors[0].message).toMatch(/duplicaría/);
    expect((await admin.get(`${base}/${first.body.id}`)).status).toBe(404);
    // With the other one deleted, the restore goes through.
    expect((await admin.del(`${base}/${second.body.id}`, { reason: 'La buena es la primera' })).status).toBe(204);
    expect((await admin.post(`${base}/${first.body.id}/restore`, { reason: 'Era la buena' })).status).toBe(200);
  });

  it('soft deletion leaves lists and statistics; the administration lists, then restores it with a reason', async () => {
    const marker = 'Fundacion Xalisco Eliminable';
    const rec = await create(enlaceJal, jalBody({ contraparte: marker }));
    expect((await enlaceJal.post(url(rec.id, '/submit'))).status).toBe(200);
    const statsTotal = async () => (await admin.get('/api/v1/stats/convenios?rows=institucion_id')).body.rowTotals.JAL_FGE ?? 0;
    const listed = async (c: Client, q = '') => ((await c.get(`/api/v1/modules/convenios/records?limit=200&q=xalisco${q}`)).body.items as Rec[]).map((x) => x.id);
    const before = await statsTotal();
    expect(await listed(enlaceJal)).toEqual([rec.id]);

    expect((await enlaceJal.del(url(rec.id), { reason: 'x' })).status).toBe(400);
    expect((await enlaceJal.del(url(rec.id), { reason: 'Registrado dos veces por error' })).status).toBe(204);
    expect(await listed(enlaceJal)).toEqual([]);
    expect(await listed(admin)).toEqual([]);
    expect(await statsTotal()).toBe(before - 1);
    expect((await enlaceJal.get(url(rec.id))).status).toBe(404);
    // Only the administration sees deleted records, with who deleted them and why.
    const del = await admin.get('/api/v1/modules/convenios/records?limit=200&eliminados=1&q=xalisco');
    expect(del.status).toBe(200);
    expect(del.body.items.map((x: Rec) => x.id)).toEqual([rec.id]);
    expect(del.body.items[0].deleted_reason).toBe('Registrado dos veces por error');
    expect((await enlaceJal.get('/api/v1/modules/convenios/records?eliminados=1')).status).toBe(400);
    expect((await validador.get('/api/v1/modules/convenios/records?eliminados=1')).status).toBe(400);

    // Restoring: administration only, with a reason; the record is back where it was (status included).
    expect((await validador.post(url(rec.id, '/restore'), { reason: 'No era duplicado' })).status).toBe(403);
    expect((await enlaceJal.post(url(rec.id, '/restore'), { reason: 'No era duplicado' })).status).toBe(403);
    const noReason = await admin.post(url(rec.id, '/restore'), {});
    expect(noReason.status).toBe(400);
    expect(fields(noReason.body)).toEqual(['reason']);
    const back = await admin.post(url(rec.id, '/restore'), { reason: 'No era duplicado: son dos convenios distintos.' });
    expect(back.status).toBe(200);
    expect(back.body.estatus).toBe('enviado');
    expect(await listed(enlaceJal)).toEqual([rec.id]);
    expect(await statsTotal()).toBe(before);
    expect((await admin.get('/api/v1/modules/convenios/records?limit=200&eliminados=1&q=xalisco')).body.items).toEqual([]);
    // A record that is not deleted is not "restored".
    expect((await admin.post(url(rec.id, '/restore'), { reason: 'Otra vez' })).status).toBe(404);
    const h = (await admin.get(url(rec.id, '/history'))).body.items as Rec[];
    expect(h.slice(0, 2).map((x) => [x.action, x.username, x.detail.motivo])).toEqual([
      ['restaurar', 'admin', 'No era duplicado: son dos convenios distintos.'],
      ['eliminar', 'wf_enlace_jal', 'Registrado dos veces por error'],
    ]);
  });

  it('search ignores accents and case in «Otro» specifications and long texts, and follows an update', async () => {
    const r = await create(admin, { ...ex('convenios'), tipo_convenio: 'OTRO', tipo_convenio_otro: 'Convenio con la Asociación Ñandú de Querétaro', objeto: 'Capacitar a personal de albergues en la atención de víctimas en Querétaro y San Luis Potosí.' });
    const ids2 = async (q: string) => ((await admin.get(`/api/v1/modules/convenios/records?limit=200&q=${encodeURIComponent(q)}`)).body.items as Rec[]).map((x) => x.id);
    expect(await ids2('nandu queretaro')).toEqual([r.id]);
    expect(await ids2('ÑANDÚ')).toEqual([r.id]);
    expect(await ids2('san luis potosi albergues')).toEqual([r.id]);
    const u = await admin.put(url(r.id), { ...r, tipo_convenio: 'COLABORACION_ACADEMIA', tipo_convenio_otro: null, version: r.version });
    expect(u.status, JSON.stringify(u.body)).toBe(200);
    expect(await ids2('nandu')).toEqual([]);
    expect(await ids2('potosí')).toEqual([r.id]);
  });
});
