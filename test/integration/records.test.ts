// Records API over the 12 module definitions: examples round-trip and send, drafts and pending, every-save
// checks, keyset paging, accent-insensitive search, versions, deletion, workflow, attachments, scope and
// the session requirement. Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES, getModule } from '../../src/modules/index.js';
import { METADATA_FIELDS } from '../../src/modules/metadata.js';
import { evalCond, type ModuleDef } from '../../src/modules/types.js';
import { TINY_PDF, client, createUser, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;

const ex = (key: string): Record<string, unknown> => structuredClone(getModule(key)!.example) as Record<string, unknown>;

/** Required archivo fields of a body (conditional ones evaluated on the body). */
function requiredFiles(m: ModuleDef, body: Record<string, unknown>): string[] {
  return m.fields
    .filter((f) => f.type === 'archivo' && (f.required === true || (typeof f.required === 'object' && evalCond(f.required, body))))
    .map((f) => f.key);
}

/** Compares a stored record with what was sent: multi-choice as sets, everything else exactly. */
function expectSameValues(m: ModuleDef, sent: Record<string, unknown>, got: Record<string, unknown>) {
  for (const [k, v] of Object.entries(sent)) {
    const f = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === k);
    if (f && (f.type === 'catalogo_multiple' || f.type === 'archivo')) {
      expect([...(got[k] as string[])].sort(), `${m.key}.${k}`).toEqual([...(v as string[])].sort());
    } else {
      expect(got[k], `${m.key}.${k}`).toStrictEqual(v);
    }
  }
}

const fieldsOf = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

describe.each(dbKinds())('registros (%s)', (kind) => {
  let env: TestEnv;
  let adminCookie: string;
  let admin: Client;

  beforeAll(async () => {
    env = await setup(kind);
    adminCookie = await login(env.app);
    admin = client(env.app, adminCookie);
  });
  afterAll(async () => {
    await env?.close();
  });

  async function upload(cookie: string, field: string | null, file: { name: string; data: Buffer; type: string }) {
    const mp = multipart(field ? { field } : {}, file);
    const r = await env.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...mp.headers, cookie }, payload: mp.payload });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
  }

  async function total(c: Client, module: string, query = ''): Promise<number> {
    const r = await c.get(`/api/v1/modules/${module}/records?limit=1${query}`);
    expect(r.status).toBe(200);
    return r.body.total as number;
  }

  async function create(c: Client, module: string, body: Record<string, unknown>) {
    const r = await c.post(`/api/v1/modules/${module}/records`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as Record<string, any>;
  }

  // ---------------------------------------------------------------- 2. examples
  describe('every module accepts its example and sends it once its files are attached', () => {
    it.each(MODULES.map((m) => [m.key]))('%s', async (key) => {
      const m = getModule(key)!;
      const body = ex(key);
      const created = await create(admin, key, body);
      expect(created.estatus).toBe('borrador');
      expect(created.version).toBe(1);
      expect(created.folio_sintra).toMatch(new RegExp(`^${m.folioPrefix}-\\d{4}-\\d{6}$`));
      const files = requiredFiles(m, body);
      expect(created.pending.map((p: { field: string }) => p.field).sort()).toEqual([...files].sort());

      const got = await admin.get(`/api/v1/modules/${key}/records/${created.id}`);
      expect(got.status).toBe(200);
      expectSameValues(m, body, got.body);

      // Attach a PDF to every required archivo field, then send.
      const withFiles: Record<string, unknown> = { ...body, version: got.body.version };
      for (const f of files) {
        const up = await upload(adminCookie, `${key}.${f}`, { name: `${f}.pdf`, data: TINY_PDF, type: 'application/pdf' });
        expect(up.status, JSON.stringify(up.body)).toBe(201);
        expect(up.body).toMatchObject({ name: `${f}.pdf`, size: TINY_PDF.length, type: 'application/pdf' });
        withFiles[f] = [up.body.id];
      }
      const put = await admin.put(`/api/v1/modules/${key}/records/${created.id}`, withFiles);
      expect(put.status, JSON.stringify(put.body)).toBe(200);
      expect(put.body.version).toBe(2);
      expect(put.body.pending).toEqual([]);
      const sent = await admin.post(`/api/v1/modules/${key}/records/${created.id}/submit`, {});
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      expect(sent.body.estatus).toBe('enviado');
      expect(sent.body.version).toBe(3);
      const after = await admin.get(`/api/v1/modules/${key}/records/${created.id}`);
      expect(after.body.estatus).toBe('enviado');
      expectSameValues(m, { ...body, ...Object.fromEntries(files.map((f) => [f, withFiles[f]])) }, after.body);
    });

    it('keeps codes with leading zeros ("09", "09015") in metadata and module fields', async () => {
      const conv = await create(admin, 'convenios', { ...ex('convenios'), ambito: 'MUNICIPAL', entidad_federativa: '09', municipio: '09015' });
      expect(conv.entidad_federativa).toBe('09');
      expect(conv.municipio).toBe('09015');
      expect(conv.pending).toEqual([]);
      const got = await admin.get(`/api/v1/modules/convenios/records/${conv.id}`);
      expect(got.body.entidad_federativa).toBe('09');
      expect(got.body.municipio).toBe('09015');
      const listed = await admin.get(`/api/v1/modules/convenios/records?f.municipio=09015&limit=200`);
      expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(conv.id);
      expect(listed.body.items.find((i: { id: string }) => i.id === conv.id).entidad_federativa).toBe('09');

      const vic = await create(admin, 'victimas', { ...ex('victimas'), folio_persona: 'CERO-0009', entidad_origen: '09', municipio_origen: '09015' });
      const gv = await admin.get(`/api/v1/modules/victimas/records/${vic.id}`);
      expect(gv.body.entidad_origen).toBe('09');
      expect(gv.body.municipio_origen).toBe('09015');
    });
  });

  // ---------------------------------------------------------------- 3. drafts and pending
  describe('drafts', () => {
    it('saves a convenio without «objeto» as a draft but does not send it', async () => {
      const body = ex('convenios');
      delete body.objeto;
      const c = await create(admin, 'convenios', body);
      expect(c.estatus).toBe('borrador');
      expect(c.objeto).toBeNull();
      expect(c.pending).toHaveLength(1);
      expect(c.pending[0].field).toBe('objeto');
      expect(c.pending[0].message).toContain('Objeto del convenio');
      expect(c.pending[0].message).toContain('obligatorio');
      const s = await admin.post(`/api/v1/modules/convenios/records/${c.id}/submit`, {});
      expect(s.status).toBe(400);
      expect(s.body.errors).toHaveLength(1);
      expect(s.body.errors[0].field).toBe('objeto');
      expect(s.body.errors[0].message).toContain('Objeto del convenio');
      const g = await admin.get(`/api/v1/modules/convenios/records/${c.id}`);
      expect(g.body.estatus).toBe('borrador');
      expect(g.body.version).toBe(1);
    });

    it.each(MODULES.map((m) => [m.key]))('an empty draft of %s names every required field when sent', async (key) => {
      const m = getModule(key)!;
      const c = await create(admin, key, {});
      // institucion_id and ambito are filled by the server from the user's institution (SEGOB, federal).
      const required = [...METADATA_FIELDS, ...m.fields].filter((f) => f.required === true && f.key !== 'institucion_id' && f.key !== 'ambito').map((f) => f.key);
      expect(c.pending.map((p: { field: string }) => p.field).sort()).toEqual(expect.arrayContaining(required));
      const s = await admin.post(`/api/v1/modules/${key}/records/${c.id}/submit`, {});
      expect(s.status).toBe(400);
      const named = new Set(fieldsOf(s.body));
      for (const k of required) expect(named.has(k), `${key}: ${k} no aparece en errors`).toBe(true);
      for (const e of s.body.errors) expect(typeof e.message === 'string' && e.message.length > 10).toBe(true);
    });

    it('names exactly the required fields of an empty convenio', async () => {
      const c = await create(admin, 'convenios', {});
      const s = await admin.post(`/api/v1/modules/convenios/records/${c.id}/submit`, {});
      expect(s.status).toBe(400);
      expect(fieldsOf(s.body).sort()).toEqual(['contraparte', 'fecha_firma', 'objeto', 'periodo_anio', 'periodo_trimestre', 'tipo_convenio']);
    });
  });

  // ---------------------------------------------------------------- 4. every-save checks
  describe('wrong types and unknown codes are refused at every save, nothing stored', () => {
    const CASES: [string, string, unknown][] = [
      ['convenios', 'periodo_anio', '2024'],
      ['victimas', 'edad', '23'],
      ['convenios', 'fecha_firma', '15/03/2024'],
      ['avances_legislativos', 'armoniza_ley_general', 'si'],
      ['convenios', 'tipo_convenio', 'NO_EXISTE'],
      ['convenios', 'entidad_federativa', '9'],
      ['convenios', 'entidad_federativa', '99'],
      ['victimas', 'entidad_federativa', '99'],
      ['victimas', 'sexo', 'mujer'],
      ['victimas', 'modalidades', ['EXPLOTACION_SEXUAL', 'NO_EXISTE']],
    ];

    it.each(CASES)('%s.%s = %j on create', async (module, field, value) => {
      const before = await total(admin, module);
      const body = { ...ex(module), [field]: value };
      if (module === 'victimas') body.folio_persona = null;
      const r = await admin.post(`/api/v1/modules/${module}/records`, body);
      expect(r.status).toBe(400);
      expect(r.raw.headers['content-type']).toContain('application/problem+json');
      expect(fieldsOf(r.body)).toEqual([field]);
      expect(r.body.errors[0].message).toMatch(/«.+»/);
      expect(await total(admin, module)).toBe(before);
    });

    it.each(CASES)('%s.%s = %j on update', async (module, field, value) => {
      const base = { ...ex(module) };
      if (module === 'victimas') base.folio_persona = null;
      const rec = await create(admin, module, base);
      const r = await admin.put(`/api/v1/modules/${module}/records/${rec.id}`, { ...base, [field]: value, version: rec.version });
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual([field]);
      const g = await admin.get(`/api/v1/modules/${module}/records/${rec.id}`);
      expect(g.body.version).toBe(rec.version);
      expect(g.body[field]).toStrictEqual(rec[field]);
      expect(g.body.updated_at).toBe(rec.updated_at);
    });

    it('refuses unknown keys, naming them, on create and update', async () => {
      const before = await total(admin, 'convenios');
      const r = await admin.post('/api/v1/modules/convenios/records', { ...ex('convenios'), campo_inventado: 'x', monto: 1 });
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body).sort()).toEqual(['campo_inventado', 'monto']);
      expect(r.body.errors.find((e: { field: string }) => e.field === 'campo_inventado').message).toContain('campo_inventado');
      expect(await total(admin, 'convenios')).toBe(before);
      const rec = await create(admin, 'convenios', ex('convenios'));
      const u = await admin.put(`/api/v1/modules/convenios/records/${rec.id}`, { ...ex('convenios'), version: rec.version, sexo: 'MUJER' });
      expect(u.status).toBe(400);
      expect(fieldsOf(u.body)).toEqual(['sexo']);
      expect((await admin.get(`/api/v1/modules/convenios/records/${rec.id}`)).body.version).toBe(1);
    });

    it('accepts "99" (no especificada) in victimas.entidad_origen', async () => {
      const rec = await create(admin, 'victimas', { ...ex('victimas'), folio_persona: 'ENT-0099', entidad_origen: '99', municipio_origen: null });
      expect(rec.entidad_origen).toBe('99');
      expect(rec.pending).toEqual([]);
      const g = await admin.get(`/api/v1/modules/victimas/records/${rec.id}`);
      expect(g.body.entidad_origen).toBe('99');
    });
  });

  // ---------------------------------------------------------------- 5. paging
  describe('keyset paging', () => {
    const MARK = 'Paginacionzz';
    const DATES = ['2024-01-10', '2024-02-20', '2024-02-20', '2024-03-05', null, '2023-11-30', '2024-02-20'];
    const created: { id: string; fecha: string | null }[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 57; i++) {
        const fecha = DATES[i % DATES.length];
        const r = await create(admin, 'convenios', { ...ex('convenios'), contraparte: `${MARK} ${i}; Universidad Veracruzana`, fecha_firma: fecha, fecha_fin_vigencia: null });
        created.push({ id: r.id as string, fecha });
      }
    });

    async function pageAll(sort: string | null) {
      const ids: string[] = [];
      const fechas: (string | null)[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url = `/api/v1/modules/convenios/records?limit=10&q=${MARK}${sort ? `&sort=${sort}` : ''}${cursor ? `&cursor=${cursor}` : ''}`;
        const r = await admin.get(url);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.total).toBe(57);
        expect(r.body.items.length).toBeLessThanOrEqual(10);
        for (const it of r.body.items) {
          ids.push(it.id);
          fechas.push(it.fecha_firma);
        }
        cursor = r.body.nextCursor;
        pages++;
        expect(pages).toBeLessThanOrEqual(6);
      } while (cursor);
      return { ids, fechas, pages };
    }

    it.each([[null], ['fecha_firma'], ['-fecha_firma'], ['-periodo_anio'], ['contraparte']])('sort=%s: every record once, none skipped', async (sort) => {
      const { ids, fechas, pages } = await pageAll(sort);
      expect(pages).toBe(6);
      expect(ids.length).toBe(57);
      expect(new Set(ids).size).toBe(57);
      expect(new Set(ids)).toEqual(new Set(created.map((c) => c.id)));
      if (sort === null) {
        // Default: newest first.
        expect(ids).toEqual(created.map((c) => c.id).reverse());
      } else if (sort.endsWith('fecha_firma')) {
        const dated = fechas.filter((f): f is string => f !== null);
        const sorted = [...dated].sort();
        expect(dated).toEqual(sort === 'fecha_firma' ? sorted : sorted.reverse());
        // Records without a date come together at one end.
        const nullIdx = fechas.flatMap((f, i) => (f === null ? [i] : []));
        expect(nullIdx.length).toBe(created.filter((c) => c.fecha === null).length);
        expect(nullIdx[nullIdx.length - 1] - nullIdx[0]).toBe(nullIdx.length - 1);
        expect(nullIdx[0] === 0 || nullIdx[nullIdx.length - 1] === 56).toBe(true);
      }
    });

    it('limit=201 is refused; 200 is accepted', async () => {
      const r = await admin.get('/api/v1/modules/convenios/records?limit=201');
      expect(r.status).toBe(400);
      expect(fieldsOf(r.body)).toEqual(['limit']);
      expect((await admin.get('/api/v1/modules/convenios/records?limit=200')).status).toBe(200);
    });
  });

  // ---------------------------------------------------------------- 6. search
  it('a field written as a plain parameter and an inverted period are refused naming them, never answered with everything or nothing', async () => {
    const plain = await admin.get('/api/v1/modules/convenios/records?institucion_id=SEGOB');
    expect(plain.status).toBe(400);
    expect(plain.body.errors).toEqual([{ field: 'institucion_id', message: expect.stringContaining('escriba f.institucion_id=') }]);
    const exp = await admin.get('/api/v1/modules/convenios/export?format=csv&institucion_id=SEGOB');
    expect(exp.status).toBe(400);
    const inverted = await admin.get('/api/v1/modules/convenios/records?from=2024-05-01&to=2023-01-01');
    expect(inverted.status).toBe(400);
    expect(inverted.body.errors).toEqual([{ field: 'to', message: '«to» (2023-01-01) es anterior a «from» (2024-05-01): la fecha final no puede ser anterior a la inicial.' }]);
    expect((await admin.get('/api/v1/stats/convenios?rows=ambito&from=2024-05-01&to=2023-01-01')).status).toBe(400);
    // The same day at both ends is a valid period.
    expect((await admin.get('/api/v1/modules/convenios/records?from=2024-05-01&to=2024-05-01')).status).toBe(200);
  });

  it('text with invisible direction overrides (U+202E) is refused naming the field; other Unicode is kept', async () => {
    const bad = await admin.post('/api/v1/modules/convenios/records', { ...ex('convenios'), contraparte: 'Fiscalía \u202Eanitsalf' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'contraparte', message: expect.stringContaining('invierten la dirección del texto') }]);
    const ok = await create(admin, 'convenios', { ...ex('convenios'), contraparte: 'Niñas y niños 😀 字 — «Tlaxcala»' });
    expect((await admin.get(`/api/v1/modules/convenios/records/${ok.id}`)).body.contraparte).toBe('Niñas y niños 😀 字 — «Tlaxcala»');
  });

  it('search ignores accents and case', async () => {
    const rec = await create(admin, 'convenios', { ...ex('convenios'), contraparte: 'Municipio de Núñez, México' });
    const ids = async (q: string) => {
      const r = await admin.get(`/api/v1/modules/convenios/records?limit=200&q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return (r.body.items as { id: string }[]).map((i) => i.id);
    };
    const a = await ids('nunez mexico');
    expect(a).toEqual([rec.id]);
    expect(await ids('NÚÑEZ')).toEqual([rec.id]);
    expect(await ids('Nuñez')).toEqual([rec.id]);
    expect(await ids('oaxaca')).not.toContain(rec.id);
    expect(await ids('nunez oaxaca')).toEqual([]);
    // The folio is searchable too.
    expect(await ids(rec.folio_sintra.toLowerCase())).toEqual([rec.id]);
  });

  // ---------------------------------------------------------------- 7. versions and deletion
  it('a stale update gets 409 with the stored record as current', async () => {
    const rec = await create(admin, 'convenios', ex('convenios'));
    const first = await admin.put(`/api/v1/modules/convenios/records/${rec.id}`, { ...ex('convenios'), contraparte: 'Primera persona que guarda', version: 1 });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await admin.put(`/api/v1/modules/convenios/records/${rec.id}`, { ...ex('convenios'), contraparte: 'Segunda persona, versión vieja', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current.id).toBe(rec.id);
    expect(stale.body.current.version).toBe(2);
    expect(stale.body.current.contraparte).toBe('Primera persona que guarda');
    // Who saved first, by name, so the two people can coordinate.
    expect(stale.body.current.usuarios[stale.body.current.updated_by]).toMatch(/admin/);
    const g = await admin.get(`/api/v1/modules/convenios/records/${rec.id}`);
    expect(g.body.contraparte).toBe('Primera persona que guarda');
    expect(g.body.version).toBe(2);
    // A PUT without version is refused.
    const nov = await admin.put(`/api/v1/modules/convenios/records/${rec.id}`, ex('convenios'));
    expect(nov.status).toBe(400);
    expect(fieldsOf(nov.body)).toEqual(['version']);
  });

  it('delete needs a reason; then the record leaves the list and answers 404', async () => {
    const rec = await create(admin, 'convenios', { ...ex('convenios'), contraparte: 'Registro por eliminar Xochimilco' });
    const before = await total(admin, 'convenios');
    const noReason = await admin.del(`/api/v1/modules/convenios/records/${rec.id}`, {});
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body)).toEqual(['reason']);
    expect((await admin.get(`/api/v1/modules/convenios/records/${rec.id}`)).status).toBe(200);
    const del = await admin.del(`/api/v1/modules/convenios/records/${rec.id}`, { reason: 'Capturado dos veces por error' });
    expect(del.status).toBe(204);
    expect(await total(admin, 'convenios')).toBe(before - 1);
    const listed = await admin.get('/api/v1/modules/convenios/records?limit=200&q=xochimilco');
    expect(listed.body.total).toBe(0);
    expect((await admin.get(`/api/v1/modules/convenios/records/${rec.id}`)).status).toBe(404);
    expect((await admin.put(`/api/v1/modules/convenios/records/${rec.id}`, { ...ex('convenios'), version: 2 })).status).toBe(404);
    expect((await admin.del(`/api/v1/modules/convenios/records/${rec.id}`, { reason: 'Otra vez' })).status).toBe(404);
  });

  it('delete: a validated record only after re-opening; a stale version is 409; short reasons and wrong versions are named', async () => {
    const url = (id: string, a = '') => `/api/v1/modules/convenios/records/${id}${a}`;
    const rec = await create(admin, 'convenios', ex('convenios'));
    expect((await admin.post(url(rec.id, '/submit'), {})).status).toBe(200);
    expect((await admin.post(url(rec.id, '/validate'), {})).status).toBe(200);
    const before = await total(admin, 'convenios');
    const refused = await admin.del(url(rec.id), { reason: 'Se capturó dos veces' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/validado: para eliminarlo, primero quien valida debe reabrirlo/);
    expect((await admin.get(url(rec.id))).body.estatus).toBe('validado');
    expect(await total(admin, 'convenios')).toBe(before);

    const short = await admin.post(url(rec.id, '/reopen'), { reason: 'x' });
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ field: 'reason', message: expect.stringMatching(/^«reason» debe tener al menos 3 caracteres/) }]);
    const reopened = await admin.post(url(rec.id, '/reopen'), { reason: 'Registro duplicado por error' });
    expect(reopened.status).toBe(200);
    const v = reopened.body.version as number;

    const asText = await admin.del(url(rec.id), { reason: 'Se capturó dos veces', version: String(v) });
    expect(asText.status).toBe(400);
    expect(asText.body.errors).toEqual([{ field: 'version', message: expect.stringMatching(/^«version» debe ser un número entero/) }]);
    const stale = await admin.del(url(rec.id), { reason: 'Se capturó dos veces', version: v - 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.current.version).toBe(v);
    expect((await admin.get(url(rec.id))).status).toBe(200);
    const putText = await admin.put(url(rec.id), { ...reopened.body, version: '1' });
    expect(putText.status).toBe(400);
    expect(putText.body.errors).toEqual([{ field: 'version', message: expect.stringMatching(/^«version» debe ser un número entero/) }]);

    expect((await admin.del(url(rec.id), { reason: 'Se capturó dos veces', version: v })).status).toBe(204);
    expect(await total(admin, 'convenios')).toBe(before - 1);
  });

  // ---------------------------------------------------------------- 8. workflow
  it('workflow: submit, validate, reopen with reason, return with comment, edit and resend', async () => {
    const url = (id: string, a = '') => `/api/v1/modules/convenios/records/${id}${a}`;
    const rec = await create(admin, 'convenios', ex('convenios'));
    expect((await admin.post(url(rec.id, '/validate'), {})).status).toBe(409); // a draft is not validated
    const s = await admin.post(url(rec.id, '/submit'), {});
    expect(s.status).toBe(200);
    expect(s.body.estatus).toBe('enviado');
    expect(s.body.enviado_at).toBeTruthy();
    expect((await admin.post(url(rec.id, '/submit'), {})).status).toBe(409); // already sent

    const v = await admin.post(url(rec.id, '/validate'), {});
    expect(v.status).toBe(200);
    expect(v.body.estatus).toBe('validado');
    expect(v.body.validado_at).toBeTruthy();
    const g = await admin.get(url(rec.id));
    expect(g.body.estatus).toBe('validado');

    // A validated record cannot be saved, even re-sending the GET body.
    const putValidated = await admin.put(url(rec.id), { ...g.body, objeto: `${g.body.objeto} Cambio no permitido.` });
    expect(putValidated.status).toBe(409);
    expect((await admin.get(url(rec.id))).body.version).toBe(g.body.version);
    // Only enviado records are returned.
    expect((await admin.post(url(rec.id, '/return'), { comment: 'Revise el objeto del convenio.' })).status).toBe(409);

    const noReason = await admin.post(url(rec.id, '/reopen'), {});
    expect(noReason.status).toBe(400);
    expect(fieldsOf(noReason.body)).toEqual(['reason']);
    const reopened = await admin.post(url(rec.id, '/reopen'), { reason: 'La institución corrige la fecha de firma.' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.estatus).toBe('enviado');
    expect(reopened.body.validado_at).toBeNull();

    const noComment = await admin.post(url(rec.id, '/return'), {});
    expect(noComment.status).toBe(400);
    expect(fieldsOf(noComment.body)).toEqual(['comment']);
    const returned = await admin.post(url(rec.id, '/return'), { comment: 'Precise el objeto: faltan los compromisos de las partes.' });
    expect(returned.status).toBe(200);
    expect(returned.body.estatus).toBe('devuelto');
    expect(returned.body.observaciones_validacion).toBe('Precise el objeto: faltan los compromisos de las partes.');

    // A devuelto record saves like a draft (a missing required field is only pending) and is sent again.
    const cur = (await admin.get(url(rec.id))).body;
    const draftLike = { ...cur, objeto: null };
    const p1 = await admin.put(url(rec.id), draftLike);
    expect(p1.status, JSON.stringify(p1.body)).toBe(200);
    expect(p1.body.estatus).toBe('devuelto');
    expect(p1.body.pending.map((x: { field: string }) => x.field)).toEqual(['objeto']);
    expect((await admin.post(url(rec.id, '/submit'), {})).status).toBe(400);
    const nuevoObjeto = 'Colaborar en un programa de formación especializada con compromisos de cada parte y calendario anual.';
    const p2 = await admin.put(url(rec.id), { ...p1.body, objeto: nuevoObjeto });
    expect(p2.status).toBe(200);
    expect(p2.body.pending).toEqual([]);
    const resent = await admin.post(url(rec.id, '/submit'), {});
    expect(resent.status).toBe(200);
    expect(resent.body.estatus).toBe('enviado');
    expect(resent.body.objeto).toBe(nuevoObjeto);

    // An enviado record keeps every rule at every save: removing a required field is refused.
    const sentNow = (await admin.get(url(rec.id))).body;
    const bad = await admin.put(url(rec.id), { ...sentNow, objeto: null });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['objeto']);
    expect((await admin.get(url(rec.id))).body.version).toBe(sentNow.version);
  });

  // ---------------------------------------------------------------- 9. attachments
  describe('attachments', () => {
    it('refuses an executable renamed x.pdf (415)', async () => {
      const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0), Buffer.from('This program cannot be run in DOS mode.\r\n'), crypto.randomBytes(512)]);
      const r = await upload(adminCookie, 'capacitacion.evidencia', { name: 'x.pdf', data: exe, type: 'application/pdf' });
      expect(r.status).toBe(415);
      const r2 = await upload(adminCookie, null, { name: 'x.pdf', data: exe, type: 'application/pdf' });
      expect(r2.status).toBe(415);
    });

    it('refuses a PDF over the field limit (capacitacion.carta_descriptiva, 10 MB) with 413', async () => {
      const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
      Buffer.from('%PDF-1.4\n').copy(big, 0);
      const r = await upload(adminCookie, 'capacitacion.carta_descriptiva', { name: 'carta.pdf', data: big, type: 'application/pdf' });
      expect(r.status).toBe(413);
      // The field itself takes PDFs within its limit.
      const ok = await upload(adminCookie, 'capacitacion.carta_descriptiva', { name: 'carta.pdf', data: TINY_PDF, type: 'application/pdf' });
      expect(ok.status).toBe(201);
      expect(ok.body.size).toBe(TINY_PDF.length);
    });
  });

  // ---------------------------------------------------------------- 10. scope
  describe('another institution', () => {
    let otherCookie: string;
    let other: Client;
    let segobRec: Record<string, any>;
    let fileId: string;

    beforeAll(async () => {
      await env.ctx.db.query(
        `insert into institucion (codigo, nombre, siglas, ambito, entidad, grupo) values ('CIES_OAX', 'Comisión Interinstitucional contra la Trata de Personas de Oaxaca', 'CIES-OAX', 'ESTATAL', '20', 'CIES')`,
      );
      await env.ctx.catalogs.reload(env.ctx.db, env.ctx.baseCatalogs);
      await createUser(env.ctx, { username: 'enlace_oax', role: 'enlace', institucion_id: 'CIES_OAX' });
      otherCookie = await login(env.app, 'enlace_oax');
      other = client(env.app, otherCookie);
      const up = await upload(adminCookie, 'comisiones.acta_sesion', { name: 'acta.pdf', data: TINY_PDF, type: 'application/pdf' });
      expect(up.status).toBe(201);
      fileId = up.body.id;
      segobRec = await create(admin, 'convenios', { ...ex('convenios'), contraparte: 'Fundación Tlacolula confidencial' });
      // Another acuerdo of the example's session: its clave must differ (unique within a session).
      await create(admin, 'comisiones', { ...ex('comisiones'), clave_acuerdo: 'CI/ORD-02/2024/04', acta_sesion: [fileId] });
    });

    it('gets 404 on GET, PUT, DELETE and workflow of SEGOB records', async () => {
      const url = `/api/v1/modules/convenios/records/${segobRec.id}`;
      expect((await other.get(url)).status).toBe(404);
      expect((await other.put(url, { ...ex('convenios'), version: segobRec.version })).status).toBe(404);
      expect((await other.del(url, { reason: 'No es mío pero lo intento' })).status).toBe(404);
      expect((await other.post(`${url}/submit`, {})).status).toBe(404);
      const g = await admin.get(url);
      expect(g.status).toBe(200);
      expect(g.body.version).toBe(segobRec.version);
      expect(g.body.contraparte).toBe('Fundación Tlacolula confidencial');
    });

    it('does not see SEGOB records in the list or the search', async () => {
      const all = await other.get('/api/v1/modules/convenios/records?limit=200');
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(0);
      expect(all.body.items).toEqual([]);
      const q = await other.get('/api/v1/modules/convenios/records?limit=200&q=tlacolula');
      expect(q.body.total).toBe(0);
      const f = await other.get('/api/v1/modules/convenios/records?limit=200&f.institucion_id=SEGOB');
      expect(f.body.total).toBe(0);
      const adminQ = await admin.get('/api/v1/modules/convenios/records?limit=200&q=tlacolula');
      expect(adminQ.body.items.map((i: { id: string }) => i.id)).toEqual([segobRec.id]);
    });

    it("cannot download SEGOB's attachment (404); SEGOB can", async () => {
      const r = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${fileId}`, headers: { cookie: otherCookie } });
      expect(r.statusCode).toBe(404);
      const mine = await env.app.inject({ method: 'GET', url: `/api/v1/attachments/${fileId}`, headers: { cookie: adminCookie } });
      expect(mine.statusCode).toBe(200);
      expect(mine.rawPayload.equals(TINY_PDF)).toBe(true);
    });

    it("registers for its own institution; the admin lists it", async () => {
      const rec = await create(other, 'convenios', {
        ...ex('convenios'),
        institucion_id: 'SEGOB', // ignored: an enlace registers only for its own institution
        ambito: 'ESTATAL',
        entidad_federativa: '20',
        contraparte: 'Universidad Autónoma Benito Juárez de Oaxaca',
      });
      expect(rec.institucion_id).toBe('CIES_OAX');
      expect(rec.ambito).toBe('ESTATAL');
      const mine = await other.get('/api/v1/modules/convenios/records?limit=200');
      expect(mine.body.items.map((i: { id: string }) => i.id)).toEqual([rec.id]);
      const adm = await admin.get('/api/v1/modules/convenios/records?limit=200&f.institucion_id=CIES_OAX');
      expect(adm.body.items.map((i: { id: string }) => i.id)).toEqual([rec.id]);
      expect((await admin.get(`/api/v1/modules/convenios/records/${rec.id}`)).status).toBe(200);
      // The enlace cannot validate.
      expect((await other.post(`/api/v1/modules/convenios/records/${rec.id}/submit`, {})).status).toBe(200);
      expect((await other.post(`/api/v1/modules/convenios/records/${rec.id}/validate`, {})).status).toBe(403);
    });
  });

  // ---------------------------------------------------------------- 12. sessions
  it('answers 401 without a session on every route but health and login', async () => {
    const tree = env.app.printRoutes({ commonPrefix: false });
    const stack: string[] = [];
    const routes: { method: string; url: string }[] = [];
    for (const line of tree.split('\n')) {
      const m = /^((?:│   |    )*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line);
      if (!m) continue;
      const depth = m[1].length / 4;
      stack.length = depth;
      const full = (stack[depth - 1] ?? '') + m[2];
      stack[depth] = full;
      for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, url: full });
    }
    const api = routes.filter((r) => r.url.startsWith('/api/v1') && ['GET', 'POST', 'PUT', 'DELETE'].includes(r.method));
    // The parse found the routes (a broken parse must not pass vacuously).
    const keys = new Set(api.map((r) => `${r.method} ${r.url}`));
    for (const k of [
      'GET /api/v1/health',
      'POST /api/v1/auth/login',
      'GET /api/v1/modules/:module/records',
      'POST /api/v1/modules/:module/records',
      'PUT /api/v1/modules/:module/records/:id',
      'DELETE /api/v1/modules/:module/records/:id',
      'POST /api/v1/modules/:module/records/:id/submit',
      'POST /api/v1/attachments',
      'GET /api/v1/attachments/:id',
      'GET /api/v1/stats/:module',
    ])
      expect(keys.has(k), k).toBe(true);
    const dummy: Record<string, string> = { module: 'convenios', id: crypto.randomUUID(), catalog: 'sexo' };
    const open: string[] = [];
    for (const r of api) {
      const url = r.url.replace(/:(\w+)/g, (_, p: string) => dummy[p] ?? 'x');
      const res = await env.app.inject({ method: r.method as 'GET', url, ...(r.method === 'GET' ? {} : { payload: {} }) });
      const key = `${r.method} ${r.url}`;
      if (key === 'GET /api/v1/health') expect(res.statusCode).toBe(200);
      else if (key === 'GET /api/v1/health/ready') expect([200, 503]).toContain(res.statusCode); // readiness probe for load balancers
      else if (key === 'POST /api/v1/auth/login') expect(res.statusCode).not.toBe(200);
      // The contract's published, suppressed tables answer without a session (covered by public.test.ts).
      else if (r.url.startsWith('/api/v1/public/')) expect(res.statusCode).not.toBe(401);
      else if (res.statusCode !== 401) open.push(`${key} -> ${res.statusCode}`);
    }
    expect(open).toEqual([]);
    // A forged cookie is not a session either.
    const forged = await env.app.inject({ method: 'GET', url: '/api/v1/modules/convenios/records', headers: { cookie: 'sintra_sesion=inventada' } });
    expect(forged.statusCode).toBe(401);
  });
});
