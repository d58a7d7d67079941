// Annual report: its tables equal the statistics API for the same snapshot; regenerating from the snapshot
// gives the same figures even after a record is added; the DOCX and PDF carry them; jobs report progress.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/server/auth/actor.js';
import { buildAnnualModel } from '../../src/server/reports/content.js';
import { withSnapshot } from '../../src/server/reports/snapshot.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { addInstitution, addRecord } from './pn-fixtures.js';

/** The text of word/document.xml inside a DOCX (a zip): enough of a reader to check what the document says. */
function docxText(buf: Buffer): string {
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString();
    if (name === 'word/document.xml') {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + size);
      const xml = (method === 8 ? zlib.inflateRawSync(data) : data).toString('utf8');
      return xml.replace(/<w:tab\/>/g, '\t').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    }
    p += 46 + nameLen + extra + comment;
  }
  throw new Error('word/document.xml no encontrado');
}

const stripVolatile = (r: Record<string, unknown>) => {
  const { notes, ...rest } = r;
  void notes;
  return rest;
};

describe.each(dbKinds())('annual report (%s)', (kind) => {
  let env: TestEnv;
  let c: ReturnType<typeof client>;
  let admin: Actor;
  let snapshotId: string;
  let sha: string;

  beforeAll(async () => {
    env = await setup(kind);
    c = client(env.app, await login(env.app));
    await addInstitution(env.ctx, 'CIES-CDMX', '09');
    // A small year: every module has validated records; victims enough for exact and suppressed cells.
    for (const m of ['instrumentos', 'convenios', 'avances_legislativos', 'colaboracion_internacional', 'capacitacion', 'difusion', 'modelos_atencion', 'unidades_especializadas', 'operativos_rescate'])
      await addRecord(env.ctx, c, m, { pn_acciones: ['PN2022-A2.0.0'] });
    await addRecord(env.ctx, c, 'comisiones', { ambito: 'ESTATAL', entidad_federativa: '09', tipo_organo: 'CIES_PLENO', nombre_organo: 'CIES Ciudad de México', clave_acuerdo: 'R1', fecha_compromiso: '2024-08-01', estado_seguimiento: 'EN_PROCESO', porcentaje_avance: 20, fecha_cumplimiento: null }, { inst: 'CIES-CDMX' });
    for (let i = 0; i < 9; i++) await addRecord(env.ctx, c, 'victimas', { folio_persona: null, sexo: i < 7 ? 'MUJER' : 'HOMBRE', identidad_genero: null });
    await addRecord(env.ctx, c, 'victimas', { folio_persona: null }, { fate: 'enviado' }); // not validated: outside the report
    const [u] = await env.ctx.db.query<{ id: string }>(`select id from app_user where username = 'admin'`);
    admin = { id: u.id, username: 'admin', nombre: null, role: 'administrador', institucion_id: 'SEGOB', institucion_nombre: 'SEGOB', institucion_ambito: 'FEDERAL', institucion_entidad: null, entidad: null, mustChangePassword: false, ip: '127.0.0.1' };
  }, 600_000);
  afterAll(async () => env?.close(), 300_000);

  it('GET /api/v1/reports/annual freezes a snapshot and returns a DOCX with cover, chapters, tables and annex', async () => {
    const r = await env.app.inject({ method: 'GET', url: '/api/v1/reports/annual?anio=2024', headers: { cookie: (await login(env.app)) } });
    expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
    expect(r.headers['content-type']).toMatch(/wordprocessingml/);
    snapshotId = String(r.headers['x-sintra-snapshot']);
    sha = String(r.headers['x-sintra-figuras-sha256']);
    expect(snapshotId).toMatch(/^[0-9a-f-]{36}$/);
    const text = docxText(r.rawPayload);
    for (const s of ['Informe anual 2024', 'Metodología y fecha de corte', 'Coordinación y colaboración', 'Prevención', 'Atención a víctimas', 'Estadísticas del artículo 88', 'Programa Nacional: indicadores', 'Seguimiento de acuerdos', 'Cumplimiento del reporte', 'Anexo. Origen de cada cifra', snapshotId])
      expect(text, s).toContain(s);
    expect(text).toContain('IND-15');
    expect((r.rawPayload.toString('latin1').match(/word\/media\/[^"]+\.png/g) ?? []).length).toBeGreaterThan(0);
    const snap = (await c.get(`/api/v1/reports/snapshots/${snapshotId}`)).body;
    expect(snap.conteos.victimas).toBe(9);
    expect(snap.conteos.comisiones).toBe(1);
    const recs = (await c.get(`/api/v1/reports/snapshots/${snapshotId}/records?module=victimas`)).body.items;
    expect(recs.length).toBe(9);
    expect(recs.every((x: { version: number }) => x.version >= 1)).toBe(true);
  }, 300_000);

  it("the report's tables equal the statistics API (live now, and over the snapshot)", async () => {
    const model = await withSnapshot(env.ctx, snapshotId, (sctx, s) => buildAnnualModel(sctx, s, admin));
    expect(model.figurasSha256).toBe(sha);
    expect(model.data.tablas.length).toBeGreaterThan(40);
    const victims = model.data.tablas.find((t) => t.query.legal === 'T-01' && t.query.condicion === 'VICTIMA')!;
    // 7 women and 2 men, all in the example's age group: published with the small-cell rule (2 → «<5»).
    expect(victims.result.cells.some((x) => x.value === '<5')).toBe(true);
    // Each art. 88 table is asked for once per route and then compared part by part (a table has several).
    const legalCache = new Map<string, Promise<{ status: number; body: { parts: ({ key: string } & Record<string, unknown>)[] } }>>();
    const legalGet = (url: string) => {
      if (!legalCache.has(url)) legalCache.set(url, c.get(url));
      return legalCache.get(url)!;
    };
    for (const t of model.data.tablas) {
      if (t.query.legal) {
        // Art. 88 tables: the legal-table route, part by part.
        const { legal, parte, ...q } = t.query;
        const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
        const live = await legalGet(`/api/v1/stats/legal/${String(legal)}?${qs}`);
        expect(live.status, `${t.figura} ${JSON.stringify(live.body)}`).toBe(200);
        const part = live.body.parts.find((p: { key: string }) => p.key === parte)!;
        const { key: _k, title: _t, chart: _c, geo: _g, stateField: _s, ...liveResult } = part;
        void _k, _t, _c, _g, _s;
        expect(stripVolatile(liveResult), `${t.figura} ${String(legal)} ${String(parte)}`).toEqual(stripVolatile(JSON.parse(JSON.stringify(t.result))));
        const frozenRes = await legalGet(`/api/v1/reports/snapshots/${snapshotId}/legal/${String(legal)}?${qs}`);
        expect(frozenRes.status, t.figura).toBe(200);
        const frozen = frozenRes.body.parts.find((p: { key: string }) => p.key === parte)!;
        const { key: _k2, title: _t2, chart: _c2, geo: _g2, stateField: _s2, ...frozenResult } = frozen;
        void _k2, _t2, _c2, _g2, _s2;
        expect(stripVolatile(frozenResult), t.figura).toEqual(stripVolatile(JSON.parse(JSON.stringify(t.result))));
        continue;
      }
      const qs = new URLSearchParams(Object.entries(t.query).map(([k, v]) => [k, String(v)])).toString();
      const live = await c.get(`/api/v1/stats/${t.module}?${qs}`);
      expect(live.status, `${t.figura} ${JSON.stringify(live.body)}`).toBe(200);
      expect(stripVolatile(live.body), `${t.figura} ${t.module} ${qs}`).toEqual(stripVolatile(JSON.parse(JSON.stringify(t.result))));
      const frozen = await c.get(`/api/v1/reports/snapshots/${snapshotId}/stats/${t.module}?${qs}`);
      expect(stripVolatile(frozen.body), t.figura).toEqual(stripVolatile(JSON.parse(JSON.stringify(t.result))));
    }
    // The report gives 9 validated victims (the sent one is out), as the exact statistics say.
    expect((await c.get('/api/v1/stats/victimas?rows=sexo&from=2024-01-01&to=2024-12-31&estatus=validado')).body.records).toBe(9);
    const ind = (await c.get('/api/v1/indicators?desde=2024-01-01&hasta=2024-12-31')).body.items;
    for (const i of model.data.indicadores) {
      const api = ind.find((x: { id: string }) => x.id === i.id);
      expect([i.numerador.valor, i.denominador.valor, i.valor], i.id).toEqual([api.numerador.valor, api.denominador.valor, api.valor]);
    }
  }, 300_000);

  it('a record added after the cut-off does not change a regenerated report; a new cut-off does', async () => {
    await addRecord(env.ctx, c, 'victimas', { folio_persona: null, sexo: 'HOMBRE', identidad_genero: null });
    // An edit of a frozen record after the snapshot: the snapshot keeps the version it froze.
    const first = (await c.get('/api/v1/modules/capacitacion/records?limit=1')).body.items[0];
    await c.post(`/api/v1/modules/capacitacion/records/${first.id}/reopen`, { reason: 'Corrección de la modalidad' });
    const cur = (await c.get(`/api/v1/modules/capacitacion/records/${first.id}`)).body;
    expect((await c.put(`/api/v1/modules/capacitacion/records/${first.id}`, { ...cur, modalidad: 'VIRTUAL', sede: null })).status).toBe(200);
    await c.post(`/api/v1/modules/capacitacion/records/${first.id}/validate`, {});

    const again = await env.app.inject({ method: 'GET', url: `/api/v1/reports/annual?anio=2024&snapshot=${snapshotId}&format=pdf`, headers: { cookie: await login(env.app) } });
    expect(again.statusCode).toBe(200);
    expect(again.headers['content-type']).toBe('application/pdf');
    expect(again.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(again.headers['x-sintra-figuras-sha256']).toBe(sha);
    // Exact counts (the Secretaría Técnica, not for publication): the snapshot still has 9 victims and the
    // training event's old modality; live statistics see the new record and the edit.
    const period = 'from=2024-01-01&to=2024-12-31&estatus=validado';
    expect((await c.get(`/api/v1/reports/snapshots/${snapshotId}/stats/victimas?rows=sexo&${period}`)).body.records).toBe(9);
    expect((await c.get(`/api/v1/stats/victimas?rows=sexo&${period}`)).body.records).toBe(10);
    const frozenMod = (await c.get(`/api/v1/reports/snapshots/${snapshotId}/stats/capacitacion?rows=modalidad&${period}`)).body;
    expect(frozenMod.rowTotals.VIRTUAL).toBeUndefined();
    expect((await c.get(`/api/v1/stats/capacitacion?rows=modalidad&${period}`)).body.rowTotals.VIRTUAL).toBe(1);
    // A new cut-off takes them in.
    const fresh = await env.app.inject({ method: 'GET', url: '/api/v1/reports/annual?anio=2024&nuevo_corte=1', headers: { cookie: await login(env.app) } });
    expect(fresh.headers['x-sintra-snapshot']).not.toBe(snapshotId);
    expect(fresh.headers['x-sintra-figuras-sha256']).not.toBe(sha);
    expect((await c.get(`/api/v1/reports/snapshots/${String(fresh.headers['x-sintra-snapshot'])}`)).body.conteos.victimas).toBe(10);
  }, 300_000);

  it('a background job reports progress and serves DOCX and PDF; only the Secretaría Técnica generates', async () => {
    const job = await c.post('/api/v1/reports/annual/jobs', { anio: 2024, snapshot: snapshotId });
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    let st = job.body;
    const seen = new Set<number>();
    for (let i = 0; i < 1200 && st.estado === 'en_proceso'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      st = (await c.get(`/api/v1/reports/jobs/${job.body.id}`)).body;
      seen.add(st.progreso);
    }
    expect(st.estado, JSON.stringify(st)).toBe('listo');
    expect(st.progreso).toBe(100);
    expect(st.figuras_sha256).toBe(sha);
    const docx = await c.get(`/api/v1/reports/jobs/${job.body.id}/file?format=docx`);
    expect(docx.raw.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await c.get(`/api/v1/reports/jobs/${job.body.id}/file?format=pdf`);
    expect(pdf.raw.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    await createUser(env.ctx, { username: 'enlace_r', role: 'enlace', institucion_id: 'SEGOB' });
    const e = client(env.app, await login(env.app, 'enlace_r'));
    expect((await e.get('/api/v1/reports/annual?anio=2024')).status).toBe(403);
    expect((await e.post('/api/v1/reports/annual/jobs', { anio: 2024 })).status).toBe(403);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/reports/annual?anio=2024' })).statusCode).toBe(401);
    const bad = await c.get('/api/v1/reports/annual?anio=1999');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('anio');
    expect((await c.get('/api/v1/reports/annual?anio=2024&snapshot=00000000-0000-0000-0000-000000000000')).status).toBe(404);
  }, 600_000);
});
