// The definitions' rules that need other records (ModuleDef.dbRules, evaluated by records/db-rules.ts) and the
// record-reference catalogs (spec §3.7), through the API: each rule refuses or warns exactly when the spec says,
// names the right field, and a refused save stores nothing. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;
type Rec = Record<string, any>;

const ex = (key: string): Record<string, unknown> => structuredClone(getModule(key)!.example) as Record<string, unknown>;
const fields = (issues: { field: string }[] | undefined) => (issues ?? []).map((i) => i.field);

describe.each(dbKinds())('reglas con base de datos (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let oax: Client;
  let folio = 0;

  beforeAll(async () => {
    env = await setup(kind);
    admin = client(env.app, await login(env.app));
    await env.ctx.db.query(
      `insert into institucion (codigo, nombre, siglas, ambito, entidad, grupo) values ('CIES_OAX', 'Comisión Interinstitucional contra la Trata de Personas de Oaxaca', 'CIES-OAX', 'ESTATAL', '20', 'LOCAL')`,
    );
    await env.ctx.catalogs.reload(env.ctx.db, env.ctx.baseCatalogs);
    await createUser(env.ctx, { username: 'enlace_oax_db', role: 'enlace', institucion_id: 'CIES_OAX' });
    oax = client(env.app, await login(env.app, 'enlace_oax_db'));
  });
  afterAll(async () => {
    await env?.close();
  });

  async function create(c: Client, module: string, body: Record<string, unknown>): Promise<Rec> {
    const r = await c.post(`/api/v1/modules/${module}/records`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  }
  async function count(c: Client, module: string, q = ''): Promise<number> {
    return (await c.get(`/api/v1/modules/${module}/records?limit=1${q}`)).body.total;
  }
  const oaxBody = (module: string, extra: Record<string, unknown> = {}) => ({ ...ex(module), ambito: 'ESTATAL', entidad_federativa: '20', municipio: null, ...extra });

  describe('comisiones: clave_acuerdo única dentro de la misma sesión', () => {
    it('refuses a second acuerdo with the same clave in the same session at every save; stores nothing', async () => {
      const base = { ...ex('comisiones'), nombre_organo: 'Comite Tecnico de Prueba Uno', clave_acuerdo: 'CT/01/2024/01' };
      const first = await create(admin, 'comisiones', base);
      const before = await count(admin, 'comisiones');
      // Same session (name compared ignoring case), same clave: refused, naming clave_acuerdo and the other folio.
      const dup = await admin.post('/api/v1/modules/comisiones/records', { ...base, nombre_organo: 'COMITE TECNICO DE PRUEBA UNO' });
      expect(dup.status).toBe(400);
      expect(fields(dup.body.errors)).toEqual(['clave_acuerdo']);
      expect(dup.body.errors[0].message).toContain('Clave del acuerdo');
      expect(dup.body.errors[0].message).toContain(first.folio_sintra);
      expect(await count(admin, 'comisiones')).toBe(before);

      // Another clave, another session number, another year of the session: all fine.
      await create(admin, 'comisiones', { ...base, clave_acuerdo: 'CT/01/2024/02' });
      await create(admin, 'comisiones', { ...base, numero_sesion: 3 });
      await create(admin, 'comisiones', { ...base, fecha_sesion: '2023-06-27', fecha_compromiso: '2023-09-30', fecha_cumplimiento: '2023-09-20' });

      // An update that makes a clash is refused too, and leaves the record as it was.
      const other = await create(admin, 'comisiones', { ...base, clave_acuerdo: 'CT/01/2024/09' });
      const u = await admin.put(`/api/v1/modules/comisiones/records/${other.id}`, { ...base, version: other.version });
      expect(u.status).toBe(400);
      expect(fields(u.body.errors)).toEqual(['clave_acuerdo']);
      const g = await admin.get(`/api/v1/modules/comisiones/records/${other.id}`);
      expect(g.body.clave_acuerdo).toBe('CT/01/2024/09');
      expect(g.body.version).toBe(other.version);
      // Saving the record itself again is not a clash with itself.
      expect((await admin.put(`/api/v1/modules/comisiones/records/${first.id}`, { ...base, version: first.version })).status).toBe(200);
    });

    it('a deleted acuerdo frees its clave; another institution has its own sessions', async () => {
      const base = { ...ex('comisiones'), nombre_organo: 'Comité Técnico de Prueba Dos', clave_acuerdo: 'CT/02/01' };
      const a = await create(admin, 'comisiones', base);
      expect((await admin.del(`/api/v1/modules/comisiones/records/${a.id}`, { reason: 'Capturado por error' })).status).toBe(204);
      await create(admin, 'comisiones', base);
      // An institution of Oaxaca records an acuerdo with the same clave: its records are not compared with SEGOB's.
      await create(oax, 'comisiones', oaxBody('comisiones', { ...base, tipo_organo: 'CIES_PLENO' }));
      const again = await oax.post('/api/v1/modules/comisiones/records', oaxBody('comisiones', { ...base, tipo_organo: 'CIES_PLENO' }));
      expect(again.status).toBe(400);
      expect(fields(again.body.errors)).toEqual(['clave_acuerdo']);
    });
  });

  it('instrumentos: the same name and type in the institution is an advertencia, not an error', async () => {
    const base = { ...ex('instrumentos'), nombre_instrumento: 'Protocolo de prueba de duplicados' };
    const first = await create(admin, 'instrumentos', base);
    expect(fields(first.warnings)).not.toContain('nombre_instrumento');
    const second = await create(admin, 'instrumentos', { ...base, nombre_instrumento: 'PROTOCOLO DE PRUEBA DE DUPLICADOS' });
    expect(fields(second.warnings)).toContain('nombre_instrumento');
    expect(second.warnings.find((w: { field: string }) => w.field === 'nombre_instrumento').message).toContain(first.folio_sintra);
    expect(fields(second.pending)).not.toContain('nombre_instrumento');
    // The record page shows it too (GET recomputes), and another type is no duplicate.
    expect(fields((await admin.get(`/api/v1/modules/instrumentos/records/${second.id}`)).body.warnings)).toContain('nombre_instrumento');
    const otherType = await create(admin, 'instrumentos', { ...base, tipo_instrumento: 'MANUAL' });
    expect(fields(otherType.warnings)).not.toContain('nombre_instrumento');
  });

  it('convenios: the counterpart may not be only the registering institution, by code, acronym or name', async () => {
    for (const contraparte of ['Comisión Interinstitucional contra la Trata de Personas de Oaxaca', 'cies-oax', 'CIES_OAX ; comision interinstitucional contra la trata de personas de oaxaca']) {
      const r = await create(oax, 'convenios', oaxBody('convenios', { contraparte }));
      expect(fields(r.pending), contraparte).toEqual(['contraparte']);
      const s = await oax.post(`/api/v1/modules/convenios/records/${r.id}/submit`, {});
      expect(s.status).toBe(400);
      expect(fields(s.body.errors)).toEqual(['contraparte']);
    }
    const ok = await create(oax, 'convenios', oaxBody('convenios', { contraparte: 'CIES-OAX; Universidad Autónoma Benito Juárez de Oaxaca' }));
    expect(ok.pending).toEqual([]);
    // SEGOB's catalog name carries a note in parentheses; the bare name is recognised.
    const segob = await create(admin, 'convenios', { ...ex('convenios'), contraparte: 'Secretaría de Gobernación' });
    expect(fields(segob.pending)).toEqual(['contraparte']);
  });

  describe('victimas y operativos', () => {
    let op: Rec;
    const victim = (extra: Record<string, unknown> = {}) => ({
      ...ex('victimas'),
      folio_persona: `OPV-${String(++folio).padStart(4, '0')}`,
      via_identificacion: 'OPERATIVO',
      operativo_id: op.id,
      fecha_identificacion: '2024-05-15',
      ...extra,
    });

    beforeAll(async () => {
      op = await create(admin, 'operativos_rescate', {
        ...ex('operativos_rescate'),
        fecha_inicio: '2024-05-14',
        fecha_fin: '2024-05-15',
        rescatadas_mujeres: 2,
        rescatadas_hombres: 0,
        rescatadas_otro_ne: 0,
        rescatadas_total: 2,
        rescatadas_nna: 0,
        rescatadas_extranjeras: 0,
        instituciones_participantes: ['SSPC', 'CIES_OAX'],
      });
    });

    it('fecha_identificacion before the operation started blocks sending, naming the field and the date', async () => {
      const v = await create(admin, 'victimas', victim({ fecha_identificacion: '2024-05-13' }));
      expect(fields(v.pending)).toEqual(['fecha_identificacion']);
      expect(v.pending[0].message).toContain('14/05/2024');
      const s = await admin.post(`/api/v1/modules/victimas/records/${v.id}/submit`, {});
      expect(s.status).toBe(400);
      expect(fields(s.body.errors)).toEqual(['fecha_identificacion']);
      expect((await admin.get(`/api/v1/modules/victimas/records/${v.id}`)).body.estatus).toBe('borrador');
      // The same day is fine; then it can be sent.
      const fixed = await admin.put(`/api/v1/modules/victimas/records/${v.id}`, { ...victim({ fecha_identificacion: '2024-05-14', folio_persona: v.folio_persona }), version: v.version });
      expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
      expect(fixed.body.pending).toEqual([]);
      expect((await admin.post(`/api/v1/modules/victimas/records/${v.id}/submit`, {})).status).toBe(200);
    });

    it('more records of one institution than persons rescued is an advertencia on operativo_id; other institutions count apart', async () => {
      // The earlier test left one victim of SEGOB linked; a second is within the total of 2.
      const two = await create(admin, 'victimas', victim());
      expect(fields(two.warnings)).not.toContain('operativo_id');
      const three = await create(admin, 'victimas', victim());
      expect(fields(three.warnings)).toContain('operativo_id');
      expect(three.warnings.find((w: { field: string }) => w.field === 'operativo_id').message).toMatch(/3 registro\(s\).*2\)/);
      expect(fields(three.pending)).toEqual([]);
      // The participating institution of Oaxaca links its own first victim: no warning (its count is 1).
      const o = await create(oax, 'victimas', { ...victim(), ambito: 'ESTATAL', entidad_federativa: '20', canalizada_a: ['CEAV'] });
      expect(fields(o.warnings)).not.toContain('operativo_id');
      // Deleting one of SEGOB's brings it back within the total.
      expect((await admin.del(`/api/v1/modules/victimas/records/${two.id}`, { reason: 'Duplicado' })).status).toBe(204);
      expect(fields((await admin.get(`/api/v1/modules/victimas/records/${three.id}`)).body.warnings)).not.toContain('operativo_id');
      // Not evaluated unless the identification was an operation.
      const viaDenuncia = await create(admin, 'victimas', victim({ via_identificacion: 'DENUNCIA' }));
      const extra = await create(admin, 'victimas', victim({ via_identificacion: 'DENUNCIA' }));
      expect(fields(viaDenuncia.warnings)).not.toContain('operativo_id');
      expect(fields(extra.warnings)).not.toContain('operativo_id');
    });
  });

  it('modelos_atencion: victimas_total more than 20 % away from module 9 of the institution and quarter is an advertencia', async () => {
    // Five sent victims of CIES_OAX in 2024-Q3 (one draft and one in Q2 that do not count).
    for (let i = 0; i < 7; i++) {
      const body = { ...ex('victimas'), ambito: 'ESTATAL', entidad_federativa: '20', folio_persona: `MOD-${i}`, fecha_identificacion: i === 6 ? '2024-06-30' : '2024-08-0' + (i + 1), periodo_trimestre: i === 6 ? 2 : 3, canalizada_a: [] };
      const v = await create(oax, 'victimas', body);
      if (i !== 5) expect((await oax.post(`/api/v1/modules/victimas/records/${v.id}/submit`, {})).status).toBe(200);
    }
    const modelo = (mujeres: number) =>
      oaxBody('modelos_atencion', { periodo_anio: 2024, periodo_trimestre: 3, victimas_mujeres: mujeres, victimas_hombres: 0, victimas_otro_ne: 0, victimas_total: mujeres, victimas_nna: 0, victimas_extranjeras: 0 });
    for (const [n, warned] of [[5, false], [6, false], [4, false], [7, true], [3, true], [0, true]] as const) {
      const r = await create(oax, 'modelos_atencion', modelo(n));
      expect(fields(r.warnings).includes('victimas_total'), `total ${n}`).toBe(warned);
      if (warned) expect(r.warnings.find((w: { field: string }) => w.field === 'victimas_total').message).toContain('2024-T3: 5');
      expect(fields(r.pending)).toEqual([]);
    }
    // No victims at all in the quarter: 0 is consistent, anything else is not.
    const q1 = await create(oax, 'modelos_atencion', { ...modelo(0), periodo_trimestre: 1 });
    expect(fields(q1.warnings)).not.toContain('victimas_total');
  });

  it('unidades_especializadas: lines of one unit that disagree on type or creation date get an advertencia', async () => {
    const base = { ...ex('unidades_especializadas'), nombre_unidad: 'Unidad de Prueba de Coherencia' };
    const first = await create(admin, 'unidades_especializadas', base);
    expect(fields(first.warnings)).not.toContain('nombre_unidad');
    const same = await create(admin, 'unidades_especializadas', { ...base, nivel: 'MANDO_MEDIO', cargo: 'TRABAJO_SOCIAL' });
    expect(fields(same.warnings)).not.toContain('nombre_unidad');
    const contra = await create(admin, 'unidades_especializadas', { ...base, nivel: 'DIRECTIVO', cargo: 'TITULAR', fecha_creacion: '2020-01-15' });
    const w = contra.warnings.find((x: { field: string }) => x.field === 'nombre_unidad');
    expect(w?.message).toContain(first.folio_sintra);
    expect(w?.message).toContain('01/08/2019');
    // An empty creation date does not contradict anything.
    const noDate = await create(admin, 'unidades_especializadas', { ...base, nivel: 'DIRECTIVO', cargo: 'COORDINACION', fecha_creacion: null });
    expect(fields(noDate.warnings)).not.toContain('nombre_unidad');
  });

  it('reference catalogs: difusion takes only sent or validated materials; modelos only instruments of attention', async () => {
    const draft = await create(oax, 'materiales_difusion', oaxBody('materiales_difusion', { titulo: 'Cartel en borrador' }));
    const bad = await admin.post('/api/v1/modules/difusion/records', { ...ex('difusion'), materiales_utilizados: [draft.id] });
    expect(bad.status).toBe(400);
    expect(fields(bad.body.errors)).toEqual(['materiales_utilizados']);
    const noAtencion = await create(admin, 'instrumentos', { ...ex('instrumentos'), nombre_instrumento: 'Lineamientos de prevención sin eje de atención', ejes: ['PREVENCION'] });
    const bad2 = await admin.post('/api/v1/modules/modelos_atencion/records', { ...ex('modelos_atencion'), instrumento_ref: noAtencion.id });
    expect(bad2.status).toBe(400);
    expect(fields(bad2.body.errors)).toEqual(['instrumento_ref']);
    const withAtencion = await create(admin, 'instrumentos', { ...ex('instrumentos'), nombre_instrumento: 'Protocolo de atención enlazable' });
    const ok = await create(admin, 'modelos_atencion', { ...ex('modelos_atencion'), instrumento_ref: withAtencion.id });
    expect(ok.instrumento_ref).toBe(withAtencion.id);
  });

  it("instrumento_ref offers one's own instruments and others' sent or validated ones, never another institution's draft or returned one", async () => {
    const enElaboracion = { estatus_instrumento: 'EN_ELABORACION', fecha_aprobacion: null, medio_publicacion: null, fecha_publicacion: null, en_aplicacion: false };
    const oaxDraft = await create(oax, 'instrumentos', oaxBody('instrumentos', { ...enElaboracion, nombre_instrumento: 'Protocolo de Oaxaca en borrador', instituciones_participantes: [] }));
    const segobDraft = await create(admin, 'instrumentos', { ...ex('instrumentos'), ...enElaboracion, nombre_instrumento: 'Protocolo federal en borrador' });
    const segobSent = await create(admin, 'instrumentos', { ...ex('instrumentos'), ...enElaboracion, nombre_instrumento: 'Protocolo federal enviado' });
    expect((await admin.post(`/api/v1/modules/instrumentos/records/${segobSent.id}/submit`, {})).status).toBe(200);
    const oaxReturned = await create(oax, 'instrumentos', oaxBody('instrumentos', { ...enElaboracion, nombre_instrumento: 'Protocolo de Oaxaca devuelto', instituciones_participantes: [] }));
    expect((await oax.post(`/api/v1/modules/instrumentos/records/${oaxReturned.id}/submit`, {})).status).toBe(200);
    expect((await admin.post(`/api/v1/modules/instrumentos/records/${oaxReturned.id}/return`, { comment: 'Falta el objetivo completo' })).status).toBe(200);
    const codes = async (c: Client) => {
      const r = await c.get('/api/v1/catalogs/instrumento_ref');
      expect(r.status).toBe(200);
      return (r.body.items as { code: string }[]).map((i) => i.code);
    };
    // The enlace of Oaxaca: its own instruments, whatever their status; SEGOB's sent one, not its draft.
    const forOax = await codes(oax);
    expect(forOax).toEqual(expect.arrayContaining([oaxDraft.id, oaxReturned.id, segobSent.id]));
    expect(forOax).not.toContain(segobDraft.id);
    // The Secretaría Técnica sees every record, but not another institution's borrador or devuelto.
    const forSt = await codes(admin);
    expect(forSt).toEqual(expect.arrayContaining([segobDraft.id, segobSent.id]));
    for (const id of [oaxDraft.id, oaxReturned.id]) expect(forSt).not.toContain(id);
    // What is not offered is not accepted either.
    const linkOther = await oax.post('/api/v1/modules/modelos_atencion/records', { ...oaxBody('modelos_atencion', { instrumento_ref: segobDraft.id }) });
    expect(linkOther.status).toBe(400);
    expect(fields(linkOther.body.errors)).toEqual(['instrumento_ref']);
    expect((await create(oax, 'modelos_atencion', oaxBody('modelos_atencion', { instrumento_ref: segobSent.id }))).instrumento_ref).toBe(segobSent.id);
    const linkDraft = await admin.post('/api/v1/modules/modelos_atencion/records', { ...ex('modelos_atencion'), instrumento_ref: oaxDraft.id });
    expect(linkDraft.status).toBe(400);
    expect(fields(linkDraft.body.errors)).toEqual(['instrumento_ref']);
    const own = await create(oax, 'modelos_atencion', oaxBody('modelos_atencion', { instrumento_ref: oaxDraft.id }));
    expect(own.instrumento_ref).toBe(oaxDraft.id);
  });
});
