// Programa Nacional: the seeded 2022-2024 programme, admin editing (with field-named errors), the PN_ACCION
// catalog following the programme's period, records aligned to acciones and the follow-up per acción,
// versioning (a new programme leaves the old one readable), and reporting compliance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { addInstitution, addRecord } from './pn-fixtures.js';

describe.each(dbKinds())('programa nacional (%s)', (kind) => {
  let env: TestEnv;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    env = await setup(kind);
    c = client(env.app, await login(env.app));
  }, 300_000);
  afterAll(async () => env?.close());

  it('seeds the 2022-2024 programme: five objectives, one placeholder acción each, indicators linked', async () => {
    const r = await c.get('/api/v1/programa');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.programa).toMatchObject({ clave: 'PN2022', periodo_inicio: '2022-12-28', periodo_fin: '2024-12-31', vigente: true });
    expect(r.body.objetivos.map((o: { numero: number }) => o.numero)).toEqual([1, 2, 3, 4, 5]);
    expect(r.body.objetivos[0].texto).toMatch(/^Promover la reforma del marco normativo/);
    const acciones = r.body.objetivos.flatMap((o: { estrategias: { acciones: { codigo: string }[] }[] }) => o.estrategias.flatMap((e) => e.acciones.map((a) => a.codigo)));
    expect(acciones).toEqual(['PN2022-A1.0.0', 'PN2022-A2.0.0', 'PN2022-A3.0.0', 'PN2022-A4.0.0', 'PN2022-A5.0.0']);
    expect(r.body.objetivos[2].indicadores.map((i: { id: string }) => i.id)).toEqual(['IND-05', 'IND-06', 'IND-07', 'IND-08', 'IND-09']);
    // IND-12 belongs to objectives 2 and 5.
    expect(r.body.objetivos[1].indicadores.map((i: { id: string }) => i.id)).toContain('IND-12');
    expect(r.body.objetivos[4].indicadores.map((i: { id: string }) => i.id)).toContain('IND-12');
    const cat = (await c.get('/api/v1/catalogs/pn_accion')).body.items;
    expect(cat.find((i: { code: string }) => i.code === 'PN2022-A1.0.0').label).toMatch(/^Objetivo 1: .* — sin acción puntual específica$/);
  });

  it('the administrator loads estrategias and acciones; errors name the field; others may not edit', async () => {
    const p = (await c.get('/api/v1/programa')).body;
    const o2 = p.objetivos[1];
    const bad = await c.post(`/api/v1/programa/objetivos/${o2.id}/estrategias`, { numero: '3.1', texto: 'Estrategia mal numerada' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('numero');
    const e = await c.post(`/api/v1/programa/objetivos/${o2.id}/estrategias`, { numero: '2.1', texto: 'Fortalecer la coordinación interinstitucional' });
    expect(e.status, JSON.stringify(e.body)).toBe(201);
    const noText = await c.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, { numero: '2.1.1' });
    expect(noText.status).toBe(400);
    expect(noText.body.errors.map((x: { field: string }) => x.field)).toContain('texto');
    const badInst = await c.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, { numero: '2.1.1', texto: 'Sesionar las CIES', instituciones_responsables: ['NOEXISTE'] });
    expect(badInst.status).toBe(400);
    expect(badInst.body.errors[0].field).toBe('instituciones_responsables');
    const a = await c.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, {
      numero: '2.1.1',
      texto: 'Impulsar que las comisiones estatales sesionen y den seguimiento a sus acuerdos',
      tipo_accion: 'Coordinación de la estrategia',
      institucion_coordinadora: 'SEGOB',
      instituciones_responsables: ['SEGOB', 'FGR', 'SRE'],
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body.codigo).toBe('PN2022-A2.1.1');
    const dup = await c.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, { numero: '2.1.1', texto: 'Repetida' });
    expect(dup.status).toBe(409);
    // The new acción is selectable in records from the programme's start.
    const cat = (await c.get('/api/v1/catalogs/pn_accion')).body.items.find((i: { code: string }) => i.code === 'PN2022-A2.1.1');
    expect(cat).toMatchObject({ label: '2.1.1 Impulsar que las comisiones estatales sesionen y den seguimiento a sus acuerdos', validFrom: '2022-12-28' });

    await createUser(env.ctx, { username: 'validador1', role: 'validador', institucion_id: 'SEGOB' });
    const v = client(env.app, await login(env.app, 'validador1'));
    expect((await v.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, { numero: '2.1.2', texto: 'Otra acción' })).status).toBe(403);
    expect((await v.get('/api/v1/programa')).status).toBe(200);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/programa' })).statusCode).toBe(401);
  });

  it('records link to acciones in force on their main date; each acción shows what was registered, by whom', async () => {
    await addRecord(env.ctx, c, 'capacitacion', { pn_acciones: ['PN2022-A2.1.1', 'PN2022-A5.0.0'] }, { inst: 'SEGOB' });
    await addRecord(env.ctx, c, 'comisiones', { pn_acciones: ['PN2022-A2.1.1'], clave_acuerdo: 'X-1' }, { inst: 'FGR' });
    await addRecord(env.ctx, c, 'comisiones', { pn_acciones: ['PN2022-A2.1.1'], clave_acuerdo: 'X-2' }, { inst: 'FGR', fate: 'enviado' }); // not validated: not counted
    // Main date before the programme started (2022-06-01): the acción is not in force.
    const early = await c.post('/api/v1/modules/convenios/records', { ...(await c.get('/api/v1/modules')).body.modules.find((m: { key: string }) => m.key === 'convenios').example, fecha_firma: '2022-06-01', fecha_fin_vigencia: null, periodo_anio: 2022, pn_acciones: ['PN2022-A2.1.1'] });
    expect(early.status).toBe(400);
    expect(early.body.errors.find((x: { field: string }) => x.field === 'pn_acciones').message).toMatch(/no está vigente/);

    const p = (await c.get('/api/v1/programa?anio=2024')).body;
    const a = p.objetivos[1].estrategias.find((e: { numero: string }) => e.numero === '2.1').acciones[0];
    expect(a.registros).toBe(2);
    expect(a.por_modulo).toEqual({ capacitacion: 1, comisiones: 1 });
    expect(a.por_institucion.map((i: { codigo: string; registros: number }) => [i.codigo, i.registros]).sort()).toEqual([['FGR', 1], ['SEGOB', 1]]);
    expect(a.responsables_sin_registro.map((i: { codigo: string }) => i.codigo)).toEqual(['SRE']);
    expect(a.avance).toBe(66.7);
    expect(p.objetivos[4].estrategias[0].acciones[0].registros).toBe(1);

    // Deleting an acción with linked records is refused; the records list follows the viewer's scope.
    expect((await c.del(`/api/v1/programa/acciones/${a.id}`)).status).toBe(409);
    const list = (await c.get('/api/v1/programa/acciones/PN2022-A2.1.1/registros')).body.items;
    expect(list.length).toBe(3);
    await createUser(env.ctx, { username: 'enlace_fgr', role: 'enlace', institucion_id: 'FGR' });
    const f = client(env.app, await login(env.app, 'enlace_fgr'));
    const mine = (await f.get('/api/v1/programa/acciones/PN2022-A2.1.1/registros')).body.items;
    expect(mine.map((x: { institucion_id: string }) => x.institucion_id)).toEqual(['FGR', 'FGR']);
  });

  it('a new programme closes the old one for new links but keeps it readable with its links', async () => {
    const np = await c.post('/api/v1/programa', { nombre: 'Programa Nacional 2025-2030 (prueba)', periodo_inicio: '2025-07-01', periodo_fin: '2030-12-31', vigente: true });
    expect(np.status, JSON.stringify(np.body)).toBe(201);
    expect(np.body.clave).toBe('PN2025');
    const o = await c.post(`/api/v1/programa/${np.body.id}/objetivos`, { numero: 1, texto: 'Prevenir la trata de personas' });
    const e = await c.post(`/api/v1/programa/objetivos/${o.body.id}/estrategias`, { numero: '1.1', texto: 'Estrategia de prevención' });
    const a = await c.post(`/api/v1/programa/estrategias/${e.body.id}/acciones`, { numero: '1.1.1', texto: 'Campañas de prevención' });
    expect(a.body.codigo).toBe('PN2025-A1.1.1');
    const cat = (await c.get('/api/v1/catalogs/pn_accion')).body.items;
    expect(cat.find((i: { code: string }) => i.code === 'PN2022-A2.1.1').validTo).toBe('2025-06-30');
    expect(cat.find((i: { code: string }) => i.code === 'PN2025-A1.1.1').validFrom).toBe('2025-07-01');
    // The current programme is the new one; the old one answers by its key with its records.
    expect((await c.get('/api/v1/programa')).body.programa.clave).toBe('PN2025');
    const old = (await c.get('/api/v1/programa?programa=PN2022&anio=2024')).body;
    expect(old.programa.clave).toBe('PN2022');
    expect(old.objetivos[1].estrategias.find((x: { numero: string }) => x.numero === '2.1').acciones[0].registros).toBe(2);
    expect((await c.get('/api/v1/programa/programas')).body.items.map((p: { clave: string }) => p.clave)).toEqual(['PN2025', 'PN2022']);
    // An unused programme can be deleted; its catalog codes go with it.
    expect((await c.del(`/api/v1/programa/${np.body.id}`)).status).toBe(204);
    const cat2 = (await c.get('/api/v1/catalogs/pn_accion')).body.items;
    expect(cat2.some((i: { code: string }) => i.code === 'PN2025-A1.1.1')).toBe(false);
    expect(cat2.find((i: { code: string }) => i.code === 'PN2022-A2.1.1').validTo).toBeUndefined();
  });

  it('reporting compliance per institution: due, sent, validated, returned, completeness, ranking', async () => {
    await addInstitution(env.ctx, 'INST-A', '09');
    await addInstitution(env.ctx, 'INST-B', '09');
    // INST-A: two validated records in 2024 Q2 and Q3; one returned.
    await addRecord(env.ctx, c, 'difusion', { periodo_trimestre: 3 }, { inst: 'INST-A' });
    await addRecord(env.ctx, c, 'convenios', { periodo_trimestre: 2, fecha_fin_vigencia: null }, { inst: 'INST-A' });
    const ret = await addRecord(env.ctx, c, 'convenios', { periodo_trimestre: 2 }, { inst: 'INST-A', fate: 'enviado' });
    expect((await c.post(`/api/v1/modules/convenios/records/${ret.id}/return`, { comment: 'Falta el objeto completo.' })).status).toBe(200);
    // INST-B: one draft only.
    await addRecord(env.ctx, c, 'difusion', { periodo_trimestre: 1 }, { inst: 'INST-B', fate: 'borrador' });
    const r = await c.get('/api/v1/compliance?anio=2024&entidad=09');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const by = Object.fromEntries(r.body.items.map((i: { codigo: string }) => [i.codigo, i]));
    expect(by['INST-A']).toMatchObject({ debidos: 4, trimestres_enviados: 2, trimestres_validados: 2, registros: { borrador: 0, enviado: 0, validado: 2, devuelto: 1 } });
    expect(by['INST-B']).toMatchObject({ debidos: 4, trimestres_enviados: 0, registros: { borrador: 1, enviado: 0, validado: 0, devuelto: 0 }, completitud: null, indice: 0 });
    // Completeness: convenios has one optional field (fecha_fin_vigencia, left empty: 0); difusión's optional
    // ones are all filled by the example (1): mean over the two = 0.5, except where the example leaves some empty.
    const dif = by['INST-A'].por_modulo.difusion.completitud;
    expect(by['INST-A'].por_modulo.convenios).toEqual({ registros: 1, completitud: 0 });
    expect(by['INST-A'].completitud).toBe(Math.round(((0 + dif / 100) / 2) * 1000) / 10);
    // Índice = 50 % × 2/4 + 25 % × 2/3 + 25 % × completitud.
    expect(by['INST-A'].indice).toBe(Math.round((0.5 * 0.5 + 0.25 * (2 / 3) + 0.25 * (by['INST-A'].completitud / 100)) * 1000) / 10);
    expect(r.body.items[0].codigo).toBe('INST-A');
    expect(r.body.items[0].posicion).toBe(1);
    expect((await c.get('/api/v1/compliance?anio=2024&trimestre=7')).body.errors[0].field).toBe('trimestre');
  });

  it("the programme's follow-up counts victims per institution for the Secretaría Técnica only", async () => {
    await addRecord(env.ctx, c, 'victimas', { pn_acciones: ['PN2022-A2.1.1'], folio_persona: 'V-PN-1' }, { inst: 'FGR' });
    await createUser(env.ctx, { username: 'consulta_pn', role: 'consulta', institucion_id: 'SEGOB' });
    const cons = client(env.app, await login(env.app, 'consulta_pn'));
    const accion = (body: { objetivos: { estrategias: { acciones: { codigo: string; por_modulo: Record<string, number>; por_institucion: { codigo: string; registros: number }[] }[] }[] }[] }) =>
      body.objetivos.flatMap((o) => o.estrategias.flatMap((e) => e.acciones)).find((a) => a.codigo === 'PN2022-A2.1.1')!;
    const st = (await c.get('/api/v1/programa?programa=PN2022&anio=2024')).body;
    expect(accion(st).por_modulo.victimas).toBe(1);
    const fgr = (b: Parameters<typeof accion>[0]) => accion(b).por_institucion.find((i) => i.codigo === 'FGR')?.registros ?? 0;
    const pub = (await cons.get('/api/v1/programa?programa=PN2022&anio=2024')).body;
    expect(accion(pub).por_modulo.victimas).toBeUndefined();
    expect(fgr(pub)).toBe(fgr(st) - 1);
    expect(pub.nota).toMatch(/víctimas/);
  });

  it('compliance for consulta leaves out per-institution counts of persons (victims), with the same index', async () => {
    await addInstitution(env.ctx, 'INST-V', '11');
    await addRecord(env.ctx, c, 'difusion', { periodo_trimestre: 1 }, { inst: 'INST-V' });
    for (let k = 0; k < 2; k++) await addRecord(env.ctx, c, 'victimas', { periodo_trimestre: 1, folio_persona: `V-CUMPL-${k}` }, { inst: 'INST-V' });
    await createUser(env.ctx, { username: 'consulta_cumpl', role: 'consulta', institucion_id: 'SEGOB' });
    const cons = client(env.app, await login(env.app, 'consulta_cumpl'));
    const st = (await c.get('/api/v1/compliance?anio=2024&entidad=11')).body;
    const pub = (await cons.get('/api/v1/compliance?anio=2024&entidad=11')).body;
    const a = st.items.find((i: { codigo: string }) => i.codigo === 'INST-V');
    const b = pub.items.find((i: { codigo: string }) => i.codigo === 'INST-V');
    expect(a.registros.validado).toBe(3);
    expect(a.por_modulo.victimas.registros).toBe(2);
    expect(st.nota).toBeUndefined();
    expect(b.registros.validado).toBe(1);
    expect(b.por_modulo.victimas).toBeUndefined();
    expect(b.indice).toBe(a.indice);
    expect(pub.nota).toMatch(/víctimas/);
  });
});
