// IND-01 … IND-15 against values computed by hand on a small dataset: each record below is annotated with the
// indicators it enters (N = numerator, D = denominator). Only validated records count; drafts, sent records
// and records outside the period must not move any figure.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPerturbed } from '../disclosure.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { addInstitution, addRecord } from './pn-fixtures.js';

interface Ind {
  id: string;
  numerador: { valor: number | string };
  denominador: { valor: number | string };
  consulta: { numerador: string | null; denominador: string | null; parametros: { desde: string; hasta: string } };
}

const pct = (n: number, d: number) => Math.round((n / d) * 10000) / 100;

describe.each(dbKinds())('indicators (%s)', (kind) => {
  let env: TestEnv;
  let c: ReturnType<typeof client>;
  let items: Record<string, { numerador: { valor: number }; denominador: { valor: number }; valor: number | null; tendencia: { anio: number; valor: number | null }[]; linea_base: { anio: number; valor: number | null; calculada: boolean }; meta: { anio: number | null; valor: number | null } }>;

  beforeAll(async () => {
    env = await setup(kind);
    c = client(env.app, await login(env.app));
    await addInstitution(env.ctx, 'CIES-CDMX', '09');
    await addInstitution(env.ctx, 'CIES-JAL', '14');
    const est = (e: string) => ({ ambito: 'ESTATAL', entidad_federativa: e });

    // ---- IND-05/07/08/10 (victims, condicion VICTIMA; fecha_identificacion in 2024 unless said) ----
    const V = (o: Record<string, unknown>, fate: 'validado' | 'enviado' = 'validado') => addRecord(env.ctx, c, 'victimas', { folio_persona: null, ...o }, { fate });
    // v1: IND-05 N,D · IND-07 N,D (SI + OTORGADA_TOTAL) · IND-08 N,D (REINCORPORADA) · IND-10 N,D
    await V({ servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA', 'ORIENTACION_JURIDICA'], denuncia_carpeta: 'SI', reparacion_integral: 'OTORGADA_TOTAL', estatus_atencion: 'REINCORPORADA' });
    // v2: IND-05 D · IND-07 D (SI, EN_TRAMITE) · IND-08 D (CONCLUIDA) · IND-10 D only (sexo NE)
    await V({ servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA'], denuncia_carpeta: 'SI', reparacion_integral: 'EN_TRAMITE', estatus_atencion: 'CONCLUIDA', sexo: 'NE', identidad_genero: null });
    // v3 (Ciudad de México): IND-05 N,D · IND-07 — (denuncia NO) · IND-08 — (EN_ATENCION) · IND-10 N,D
    await V({ ...est('09'), servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA', 'ASESORIA_JURIDICA_PROCESO'], denuncia_carpeta: 'NO', tipos_penales: [], reparacion_integral: 'NO_APLICA', estatus_atencion: 'EN_ATENCION' });
    // v4: possible victim: in no victims' indicator
    await V({ condicion: 'POSIBLE_VICTIMA', servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA', 'ORIENTACION_JURIDICA'] });
    // v5: sent, not validated: in nothing
    await V({ servicios: ['ATENCION_MEDICA', 'ATENCION_PSICOLOGICA', 'ORIENTACION_JURIDICA'], denuncia_carpeta: 'SI', reparacion_integral: 'OTORGADA_TOTAL' }, 'enviado');
    // v6 (2023): only IND-07, cumulative: N,D (SI + OTORGADA_PARCIAL)
    await V({ fecha_identificacion: '2023-05-10', periodo_anio: 2023, denuncia_carpeta: 'SI', reparacion_integral: 'OTORGADA_PARCIAL' });
    // IND-06: foreign victims with destination Mexico: w1 N,D (RESIDENTE_TEMPORAL), w2 D (IRREGULAR)
    const foreign = { nacionalidad: 'GTM', pais_origen: 'GTM', entidad_origen: null, municipio_origen: null, autoadscripcion: [], pais_captacion: 'GTM', entidad_captacion: null, cruce_fronterizo: 'SI', tipo_transito_fronterizo: 'INGRESO_MX', punto_cruce: 'SUR_PUNTO_INTERNACION' };
    await V({ ...foreign, calidad_migratoria: 'RESIDENTE_TEMPORAL' });
    await V({ ...foreign, calidad_migratoria: 'IRREGULAR' });
    // The two foreign victims also enter IND-05 D (example services: no legal orientation → not N),
    // IND-07 D (denuncia SI in the example) and IND-10 N,D; their attention status comes from the example.

    // ---- IND-02 / IND-03 (acuerdos) ----
    const A = (o: Record<string, unknown>) => addRecord(env.ctx, c, 'comisiones', { ...est('09'), tipo_organo: 'CIES_PLENO', nombre_organo: 'Comisión Interinstitucional de la Ciudad de México', tipo_sesion: 'ORDINARIA', ...o }, { inst: 'CIES-CDMX' });
    const done = { estado_seguimiento: 'CUMPLIDO', porcentaje_avance: 100 };
    const open = { estado_seguimiento: 'EN_PROCESO', porcentaje_avance: 40, fecha_cumplimiento: null };
    // a1: deadline 2024-06-30, fulfilled 2024-06-01 → IND-02 N,D; session 1 of CDMX
    await A({ numero_sesion: 1, fecha_sesion: '2024-02-10', clave_acuerdo: 'A1', fecha_compromiso: '2024-06-30', ...done, fecha_cumplimiento: '2024-06-01' });
    // a2: deadline 2024-09-30, in process → IND-02 D; session 2 of CDMX → CDMX has two ordinary sessions (IND-03 N)
    await A({ numero_sesion: 2, fecha_sesion: '2024-05-10', clave_acuerdo: 'A2', fecha_compromiso: '2024-09-30', ...open });
    // a3: no deadline, session 2023-03-01 → deadline 2024-02-29 → IND-02 D
    await A({ numero_sesion: 3, fecha_sesion: '2023-03-01', periodo_anio: 2023, clave_acuerdo: 'A3', fecha_compromiso: null, ...open });
    // a4: cancelled → not in IND-02
    await A({ numero_sesion: 2, fecha_sesion: '2024-05-10', clave_acuerdo: 'A4', fecha_compromiso: '2024-10-30', estado_seguimiento: 'CANCELADO', porcentaje_avance: 0, fecha_cumplimiento: null });
    // a5: deadline in 2025 → not in 2024's IND-02
    await A({ numero_sesion: 2, fecha_sesion: '2024-05-10', clave_acuerdo: 'A5', fecha_compromiso: '2025-03-01', ...open });
    // Jalisco: one ordinary session only → not IND-03 N
    await addRecord(env.ctx, c, 'comisiones', { ...est('14'), tipo_organo: 'CIES_PLENO', nombre_organo: 'Comisión Interinstitucional de Jalisco', tipo_sesion: 'ORDINARIA', numero_sesion: 1, fecha_sesion: '2024-03-03', clave_acuerdo: 'J1', fecha_compromiso: '2026-01-01', ...open }, { inst: 'CIES-JAL' });

    // ---- IND-01 (avances legislativos) ----
    await addRecord(env.ctx, c, 'avances_legislativos', { ...est('09'), tipo_avance: 'REFORMA_ADICION', armoniza_ley_general: true, fecha_avance: '2024-04-01' }, { inst: 'CIES-CDMX' });
    await addRecord(env.ctx, c, 'avances_legislativos', { ...est('09'), tipo_avance: 'EXPEDICION', armoniza_ley_general: true, fecha_avance: '2024-08-01' }, { inst: 'CIES-CDMX' });
    await addRecord(env.ctx, c, 'avances_legislativos', { ...est('14'), tipo_avance: 'REFORMA_ADICION', armoniza_ley_general: false, fecha_avance: '2024-04-01' }, { inst: 'CIES-JAL' });

    // ---- IND-04 (CI members with an agreement in force at 2024-12-31) ----
    await addRecord(env.ctx, c, 'convenios', { fecha_firma: '2024-02-01', fecha_fin_vigencia: null }, { inst: 'SEGOB' }); // N
    await addRecord(env.ctx, c, 'colaboracion_internacional', { fecha_firma: '2024-03-01', fecha_fin_vigencia: '2025-12-31' }, { inst: 'SRE' }); // N
    await addRecord(env.ctx, c, 'convenios', { fecha_firma: '2024-01-15', fecha_fin_vigencia: '2024-06-30' }, { inst: 'FGR' }); // expired: not N

    // ---- IND-09 (instruments of attention) ----
    await addRecord(env.ctx, c, 'instrumentos', { ejes: ['ATENCION'], tipo_accion: 'CREACION', estatus_instrumento: 'PUBLICADO', en_aplicacion: true }); // N,D
    await addRecord(env.ctx, c, 'instrumentos', { ejes: ['ATENCION'], tipo_accion: 'ACTUALIZACION', estatus_instrumento: 'APROBADO', en_aplicacion: false, medio_publicacion: null, fecha_publicacion: null }); // D
    await addRecord(env.ctx, c, 'instrumentos', { ejes: ['PREVENCION'], tipo_accion: 'CREACION', estatus_instrumento: 'PUBLICADO', en_aplicacion: true }); // not attention

    // ---- IND-12 / IND-13 (training) ----
    const sp = { participantes_mujeres: 6, participantes_hombres: 4, participantes_otra_identidad: 0, participantes_sexo_ne: 0, participantes_total: 10, participantes_servidores_publicos: 10, participantes_nna: 0 };
    await addRecord(env.ctx, c, 'capacitacion', { ...sp, tipo_reconocimiento: 'CONSTANCIA_ACREDITACION', personas_acreditadas: 8, evaluacion_aplicada: true, calificacion_inicial: 6, calificacion_final: 8 }); // 12: 8/10; 13: N,D
    await addRecord(env.ctx, c, 'capacitacion', { ...sp, participantes_mujeres: 3, participantes_hombres: 2, participantes_total: 5, participantes_servidores_publicos: 5, tipo_reconocimiento: 'DIPLOMA', personas_acreditadas: 3, evaluacion_aplicada: true, calificacion_inicial: 7, calificacion_final: 7.5 }); // 12: 3/5; 13: D
    await addRecord(env.ctx, c, 'capacitacion', { ...sp, participantes_mujeres: 12, participantes_hombres: 8, participantes_total: 20, participantes_servidores_publicos: 20, tipo_reconocimiento: 'NINGUNO', personas_acreditadas: null, evaluacion_aplicada: false, calificacion_inicial: null, calificacion_final: null }); // neither

    // ---- IND-14 / IND-15 ----
    await addRecord(env.ctx, c, 'difusion', { poblacion_objetivo: ['NNA', 'POBLACION_GENERAL'] }); // N,D
    await addRecord(env.ctx, c, 'difusion', { poblacion_objetivo: ['POBLACION_GENERAL'] }); // D
    await addRecord(env.ctx, c, 'materiales_difusion', { idiomas: ['ES', 'INALI_1'] }); // N,D
    await addRecord(env.ctx, c, 'materiales_difusion', { idiomas: ['ES'] }); // D
    await addRecord(env.ctx, c, 'materiales_difusion', { idiomas: ['LSM'] }); // N,D

    const r = await c.get('/api/v1/indicators?anio=2024');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    items = Object.fromEntries(r.body.items.map((i: { id: string }) => [i.id, i]));
  }, 600_000);

  afterAll(async () => env?.close());

  const expectInd = (id: string, n: number, d: number) => {
    expect(items[id].numerador.valor, `${id} numerador`).toBe(n);
    expect(items[id].denominador.valor, `${id} denominador`).toBe(d);
    expect(items[id].valor, `${id} valor`).toBe(d ? pct(n, d) : null);
  };

  it('victims: IND-05, IND-06, IND-07 (cumulative), IND-08, IND-10', async () => {
    // Victims validated in 2024: v1, v2, v3, w1, w2. Example services lack legal orientation, so w1/w2 are not in IND-05 N.
    const ex = (await c.get('/api/v1/modules')).body.modules.find((m: { key: string }) => m.key === 'victimas').example;
    const exBasic = ex.servicios.includes('ATENCION_MEDICA') && ex.servicios.includes('ATENCION_PSICOLOGICA') && ex.servicios.some((s: string) => ['ORIENTACION_JURIDICA', 'ASESORIA_JURIDICA_PROCESO'].includes(s));
    expectInd('IND-05', 2 + (exBasic ? 2 : 0), 5);
    expectInd('IND-06', 1, 2);
    // IND-07: denuncia SI among v1, v2, v6 and the foreign ones when the example says SI; N: v1, v6 (+ example's reparación)
    const exDen = ex.denuncia_carpeta === 'SI' ? 2 : 0;
    const exRep = ex.denuncia_carpeta === 'SI' && ['OTORGADA_PARCIAL', 'OTORGADA_TOTAL'].includes(ex.reparacion_integral) ? 2 : 0;
    expectInd('IND-07', 2 + exRep, 3 + exDen);
    const endStates = ['CONCLUIDA', 'REINCORPORADA', 'RETORNADA', 'ABANDONO'];
    expectInd('IND-08', 1 + (ex.estatus_atencion === 'REINCORPORADA' ? 2 : 0), 2 + (endStates.includes(ex.estatus_atencion) ? 2 : 0));
    expectInd('IND-10', 4, 5);
  });

  it('agreements: IND-02 (deadline in the period, fulfilled by the cut-off) and IND-03 (two ordinary sessions)', () => {
    expectInd('IND-02', 1, 3);
    expectInd('IND-03', 1, 32);
  });

  it('IND-01, IND-04, IND-09, IND-11 to IND-15', async () => {
    expectInd('IND-01', 1, 32);
    expectInd('IND-04', 2, 14);
    expectInd('IND-09', 1, 2);
    expectInd('IND-12', 11, 15);
    expectInd('IND-13', 1, 2);
    expectInd('IND-14', 1, 2);
    // Materials are dated by their registration (spec: main date = created_at): they fall in the current year.
    expect([items['IND-15'].numerador.valor, items['IND-15'].denominador.valor]).toEqual([0, 0]);
    const now = (await c.get(`/api/v1/indicators?anio=${new Date().getFullYear()}&tendencia=1`)).body.items.find((i: { id: string }) => i.id === 'IND-15');
    expect([now.numerador.valor, now.denominador.valor, now.valor]).toEqual([2, 3, pct(2, 3)]);
    // IND-11: obligated institutions (the 14 CI members and the two test CIES) with a validated 2024 record:
    // SEGOB, SRE, FGR, CIES-CDMX, CIES-JAL.
    const [{ n }] = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from institucion where obligada_reportar and vigente`);
    expectInd('IND-11', 5, n);
  });

  it('a state filter narrows the records and turns the 32 states into 1', async () => {
    const r = await c.get('/api/v1/indicators?anio=2024&entidad=09');
    const by = Object.fromEntries(r.body.items.map((i: { id: string }) => [i.id, i]));
    expect([by['IND-05'].numerador.valor, by['IND-05'].denominador.valor, by['IND-05'].valor]).toEqual([1, 1, 100]);
    expect([by['IND-01'].numerador.valor, by['IND-01'].denominador.valor]).toEqual([1, 1]);
    expect([by['IND-02'].numerador.valor, by['IND-02'].denominador.valor]).toEqual([1, 3]);
    const jal = (await c.get('/api/v1/indicators?anio=2024&entidad=14')).body.items.find((i: { id: string }) => i.id === 'IND-03');
    expect([jal.numerador.valor, jal.denominador.valor]).toEqual([0, 1]);
  });

  it('a quarter is its own period; trend, baseline and goal are reported', async () => {
    const q2 = (await c.get('/api/v1/indicators?anio=2024&trimestre=2')).body.items.find((i: { id: string }) => i.id === 'IND-02');
    // Deadlines in April–June 2024: a1 only (fulfilled).
    expect([q2.numerador.valor, q2.denominador.valor]).toEqual([1, 1]);
    const i7 = items['IND-07'];
    expect(i7.tendencia.map((t) => t.anio)).toEqual([2020, 2021, 2022, 2023, 2024]);
    // Cumulative: by the end of 2023 only v6 existed (denuncia SI, reparación otorgada) → 100 %.
    expect(i7.tendencia.find((t) => t.anio === 2023)!.valor).toBe(100);
    expect(i7.linea_base).toEqual({ anio: 2022, valor: null, calculada: true });
    expect(items['IND-05'].meta).toEqual({ anio: 2024, valor: null });
  });

  it('the administrator sets a goal; consulta sees small victim counts protected; bad input names the field', async () => {
    const prog = (await c.get('/api/v1/programa')).body;
    const meta = prog.objetivos[2].metas.find((m: { indicador_sintra: string }) => m.indicador_sintra === 'IND-05');
    expect((await c.put(`/api/v1/programa/metas/${meta.id}`, { meta_valor: 80, linea_base_valor: 40 })).status).toBe(200);
    const i5 = (await c.get('/api/v1/indicators?anio=2024&objetivo=3')).body.items.find((i: { id: string }) => i.id === 'IND-05');
    expect(i5.meta).toEqual({ anio: 2024, valor: 80 });
    expect(i5.linea_base).toEqual({ anio: 2022, valor: 40, calculada: false });

    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    const cc = client(env.app, await login(env.app, 'consulta1'));
    const i6 = (await cc.get('/api/v1/indicators?anio=2024')).body.items.find((i: { id: string }) => i.id === 'IND-06');
    expect(i6.numerador.valor).toBe('<5');
    expect(i6.valor).toBeNull();

    // Victims' counts of 5 or more carry the statistics' cell-key noise for consulta, recomputed here from the
    // records the published formula selects; the Secretaría Técnica's figures stay exact.
    const exactItems = (await c.get('/api/v1/indicators?anio=2024')).body.items as Ind[];
    const shownItems = (await cc.get('/api/v1/indicators?anio=2024')).body.items as Ind[];
    let checked = 0;
    for (const e of exactItems.filter((x) => ['IND-05', 'IND-06', 'IND-07', 'IND-08', 'IND-10'].includes(x.id))) {
      const sh = shownItems.find((x) => x.id === e.id)!;
      for (const part of ['numerador', 'denominador'] as const) {
        const n = e[part].valor as number;
        const sql = e.consulta[part];
        if (n < 5 || !sql || !/^select count\(\*\) from m_victimas r /.test(sql)) continue;
        const ids = (await env.ctx.db.query<{ id: string }>(`select x.id from (select $1::date, $2::date, $3::text) as params cross join lateral (${sql.replace(/^select count\(\*\) /, 'select r.id::text as id ')}) x`, [e.consulta.parametros.desde, e.consulta.parametros.hasta, null])).map((r) => r.id);
        expect(ids.length, `${e.id} ${part}`).toBe(n);
        expect(sh[part].valor, `${e.id} ${part}`).toBe(expectedPerturbed(n, ids, 5));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(0);

    const bad = await c.get('/api/v1/indicators?anio=20x4');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('anio');
    expect((await c.get('/api/v1/indicators?anio=2024&entidad=40')).body.errors[0].field).toBe('entidad');
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/indicators?anio=2024' })).statusCode).toBe(401);
  });
});
