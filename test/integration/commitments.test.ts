// Follow-up of acuerdos: "vencido" is derived from the deadline (dates relative to today), never stored; the
// national view, the CI's and one per state commission; scope: an enlace sees only its institution's acuerdos.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { addInstitution, addRecord, daysFromToday } from './pn-fixtures.js';

describe.each(dbKinds())('commitments (%s)', (kind) => {
  let env: TestEnv;
  let c: ReturnType<typeof client>;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await setup(kind);
    c = client(env.app, await login(env.app));
    await addInstitution(env.ctx, 'CIES-CDMX', '09');
    await addInstitution(env.ctx, 'CIES-JAL', '14');
    const session = daysFromToday(-60);
    const open = { estado_seguimiento: 'EN_PROCESO', porcentaje_avance: 50, fecha_cumplimiento: null };
    const cdmx = (o: Record<string, unknown>) =>
      addRecord(env.ctx, c, 'comisiones', { ambito: 'ESTATAL', entidad_federativa: '09', tipo_organo: 'CIES_PLENO', nombre_organo: 'CIES Ciudad de México', numero_sesion: 1, fecha_sesion: session, periodo_anio: Number(session.slice(0, 4)), ...o }, { inst: 'CIES-CDMX' });
    // Deadline yesterday, in process: overdue now.
    ids.yesterday = (await cdmx({ clave_acuerdo: 'V1', fecha_compromiso: daysFromToday(-1), ...open })).id;
    // Deadline today: not overdue yet (fecha_compromiso < hoy is strict).
    ids.today = (await cdmx({ clave_acuerdo: 'V2', fecha_compromiso: daysFromToday(0), ...open })).id;
    // Deadline tomorrow: not overdue today, overdue the day after tomorrow.
    ids.tomorrow = (await cdmx({ clave_acuerdo: 'V3', fecha_compromiso: daysFromToday(1), estado_seguimiento: 'PENDIENTE', porcentaje_avance: 0, fecha_cumplimiento: null, seguimiento: null })).id;
    // Past deadline but fulfilled, or rescheduled: never overdue.
    ids.done = (await cdmx({ clave_acuerdo: 'V4', fecha_compromiso: daysFromToday(-10), estado_seguimiento: 'CUMPLIDO', porcentaje_avance: 100, fecha_cumplimiento: daysFromToday(-12) })).id;
    ids.resched = (await cdmx({ clave_acuerdo: 'V5', fecha_compromiso: daysFromToday(-10), estado_seguimiento: 'REPROGRAMADO', porcentaje_avance: 30, fecha_cumplimiento: null })).id;
    // No deadline: never overdue.
    ids.none = (await cdmx({ clave_acuerdo: 'V6', fecha_compromiso: null, ...open })).id;
    // Jalisco: one overdue; the CI (federal, SEGOB): one overdue, one fulfilled.
    await addRecord(env.ctx, c, 'comisiones', { ambito: 'ESTATAL', entidad_federativa: '14', tipo_organo: 'CIES_PLENO', nombre_organo: 'CIES Jalisco', fecha_sesion: session, periodo_anio: Number(session.slice(0, 4)), clave_acuerdo: 'J1', fecha_compromiso: daysFromToday(-5), ...open }, { inst: 'CIES-JAL' });
    await addRecord(env.ctx, c, 'comisiones', { fecha_sesion: session, periodo_anio: Number(session.slice(0, 4)), clave_acuerdo: 'CI1', fecha_compromiso: daysFromToday(-3), ...open });
    await addRecord(env.ctx, c, 'comisiones', { fecha_sesion: session, periodo_anio: Number(session.slice(0, 4)), clave_acuerdo: 'CI2', fecha_compromiso: daysFromToday(-3), estado_seguimiento: 'CUMPLIDO', porcentaje_avance: 100, fecha_cumplimiento: daysFromToday(-4) });
    // A draft with a past deadline: not followed up until it is sent.
    await addRecord(env.ctx, c, 'comisiones', { fecha_sesion: session, clave_acuerdo: 'B1', fecha_compromiso: daysFromToday(-3), ...open }, { fate: 'borrador' });
  }, 600_000);

  afterAll(async () => env?.close());

  it('vencido: deadline before today and pending or in process; overdue listed first with days late', async () => {
    const r = await c.get('/api/v1/commitments');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const by = Object.fromEntries(r.body.items.map((i: { id: string }) => [i.id, i]));
    expect(by[ids.yesterday].vencido).toBe(true);
    expect(by[ids.yesterday].dias_vencido).toBe(1);
    for (const k of ['today', 'tomorrow', 'done', 'resched', 'none']) expect(by[ids[k]].vencido, k).toBe(false);
    expect(r.body.items.length).toBe(9);
    const firstNotOverdue = r.body.items.findIndex((i: { vencido: boolean }) => !i.vencido);
    expect(r.body.items.slice(0, firstNotOverdue).every((i: { vencido: boolean }) => i.vencido)).toBe(true);
    expect(firstNotOverdue).toBe(3);
  });

  it('the same acuerdo turns vencido once its deadline has passed (reference date in the future)', async () => {
    const later = await c.get(`/api/v1/commitments?fecha_referencia=${daysFromToday(2)}&entidad=09`);
    const by = Object.fromEntries(later.body.items.map((i: { id: string }) => [i.id, i]));
    expect(by[ids.tomorrow].vencido).toBe(true);
    expect(by[ids.today].vencido).toBe(true);
    expect(by[ids.done].vencido).toBe(false);
    // Nothing is stored: today's view is unchanged.
    const now = (await c.get('/api/v1/commitments?entidad=09')).body.items.find((i: { id: string }) => i.id === ids.tomorrow);
    expect(now.vencido).toBe(false);
    // Moving the deadline into the past (an edit of the record) makes it overdue today.
    expect((await c.post(`/api/v1/modules/comisiones/records/${ids.tomorrow}/reopen`, { reason: 'Se corrige la fecha compromiso' })).status).toBe(200);
    const rec = (await c.get(`/api/v1/modules/comisiones/records/${ids.tomorrow}`)).body;
    const upd = await c.put(`/api/v1/modules/comisiones/records/${ids.tomorrow}`, { ...rec, fecha_compromiso: daysFromToday(-2) });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    expect((await c.post(`/api/v1/modules/comisiones/records/${ids.tomorrow}/validate`, {})).status).toBe(200);
    const after = (await c.get('/api/v1/commitments?vencido=true')).body.items.map((i: { id: string }) => i.id);
    expect(after).toContain(ids.tomorrow);
  });

  it('summaries: national, Comisión Intersecretarial and one per state commission', async () => {
    const r = (await c.get('/api/v1/commitments')).body;
    // National: 9 sent acuerdos (the draft is not followed up); overdue: yesterday, tomorrow (moved to the
    // past above), J1, CI1; fulfilled: V4, CI2 → 2 of 9 not cancelled.
    expect(r.nacional.acuerdos).toBe(9);
    expect(r.nacional.vencidos).toBe(4);
    expect(r.nacional.cumplidos).toBe(2);
    expect(r.nacional.tasa_cumplimiento).toBe(22.2);
    expect(r.comision_intersecretarial).toMatchObject({ acuerdos: 2, vencidos: 1, cumplidos: 1, tasa_cumplimiento: 50 });
    const byState = Object.fromEntries(r.por_comision_estatal.map((s: { entidad: string }) => [s.entidad, s]));
    expect(Object.keys(byState).sort()).toEqual(['09', '14']);
    expect(byState['09']).toMatchObject({ acuerdos: 6, vencidos: 2, cumplidos: 1 });
    expect(byState['09'].por_estado).toEqual({ PENDIENTE: 1, EN_PROCESO: 3, CUMPLIDO: 1, REPROGRAMADO: 1, CANCELADO: 0 });
    expect(byState['14']).toMatchObject({ acuerdos: 1, vencidos: 1, cumplidos: 0 });
  });

  it('scope: an enlace sees its own acuerdos only; consulta sees summaries, never acuerdos; no session: 401', async () => {
    await createUser(env.ctx, { username: 'enlace_jal', role: 'enlace', institucion_id: 'CIES-JAL' });
    const e = client(env.app, await login(env.app, 'enlace_jal'));
    const r = (await e.get('/api/v1/commitments')).body;
    expect(r.items.map((i: { clave_acuerdo: string }) => i.clave_acuerdo)).toEqual(['J1']);
    expect(r.nacional.acuerdos).toBe(1);
    await createUser(env.ctx, { username: 'consulta_c', role: 'consulta', institucion_id: 'SEGOB' });
    const q = client(env.app, await login(env.app, 'consulta_c'));
    const rq = (await q.get('/api/v1/commitments')).body;
    expect(rq.items).toBeNull();
    expect(rq.nacional.acuerdos).toBe(9);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/commitments' })).statusCode).toBe(401);
    const bad = await c.get('/api/v1/commitments?estado=TERMINADO');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('estado');
  });
});
