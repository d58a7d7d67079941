// The public page of a closed period (GET /api/v1/public/..., no session): only what the Secretaría
// Técnica published, only validated records, always suppressed, frozen at publication (validating or
// reopening records later does not move it; publishing again makes a new version).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkProtected, type PublishedTable } from '../disclosure.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { buildDataset, insertDataset, population, seedTestInstitutions } from '../fixtures/victims.js';

type Client = ReturnType<typeof client>;
type Part = PublishedTable & { key: string; records: number | string; notes: string[]; suppression: { withheld: boolean } | null };
type Table = { id: string; condicion: string; parts: Part[] };

const ROWS = buildDataset(424242, 260);

describe.each(dbKinds())('publicación de un periodo cerrado (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  const anon = (url: string) => env.app.inject({ method: 'GET', url });
  const json = async (url: string) => {
    const r = await anon(url);
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, raw: r };
  };

  beforeAll(async () => {
    env = await setup(kind);
    await seedTestInstitutions(env.ctx);
    await insertDataset(env.ctx, ROWS);
    admin = client(env.app, await login(env.app));
  });
  afterAll(async () => {
    await env?.close();
  });

  it('nothing is public before the Secretaría Técnica publishes; the rest of the API still needs a session', async () => {
    const list = await json('/api/v1/public/publicaciones');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    expect(list.body.tablas.map((t: { id: string }) => t.id)).toContain('T-09');
    expect((await json('/api/v1/public/publicaciones/2024')).status).toBe(404);
    expect((await json('/api/v1/stats/legal/T-01?anio=2024')).status).toBe(401);
    expect((await json('/api/v1/stats/victimas?rows=sexo')).status).toBe(401);
  });

  it('only the Secretaría Técnica publishes, and only periods that have ended', async () => {
    await createUser(env.ctx, { username: 'consulta_pub', role: 'consulta', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'enlace_pub', role: 'enlace', institucion_id: 'FGJ_CDMX' });
    for (const u of ['consulta_pub', 'enlace_pub']) {
      const c = client(env.app, await login(env.app, u));
      expect((await c.post('/api/v1/stats/publicaciones', { periodo: '2024' })).status, u).toBe(403);
    }
    const future = await admin.post('/api/v1/stats/publicaciones', { periodo: String(new Date().getFullYear()) });
    expect(future.status).toBe(400);
    expect(future.body.errors[0].field).toBe('periodo');
    expect(future.body.detail).toMatch(/aún no termina/);
    for (const bad of ['abc', '2024-T5', '2011', '']) {
      const r = await admin.post('/api/v1/stats/publicaciones', { periodo: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.errors[0].field, bad).toBe('periodo');
    }
    expect((await json('/api/v1/public/publicaciones')).body.items).toEqual([]);
  });

  let published: Table[] = [];

  it('publishing 2024: every legal table, validated records only, suppressed, nothing small recoverable', async () => {
    const r = await admin.post('/api/v1/stats/publicaciones', { periodo: '2024' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ periodo: '2024', anio: 2024, trimestre: null, desde: '2024-01-01', hasta: '2024-12-31', version: 1, umbral: 5 });
    const audit = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'publicar'`);
    expect(audit[0].n).toBe(1);

    const list = await json('/api/v1/public/publicaciones');
    expect(list.body.items.map((p: { periodo: string }) => p.periodo)).toEqual(['2024']);
    const pub = await json('/api/v1/public/publicaciones/2024');
    expect(pub.status).toBe(200);
    published = pub.body.tablas;
    // Victims and possible victims of every table, the OFENDIDO summary once.
    expect(published.length).toBe(15 * 2 + 1);
    expect(JSON.stringify(pub.body)).not.toMatch(/folio|"id":"[0-9a-f-]{36}"/);
    for (const cond of ['VICTIMA', 'POSIBLE_VICTIMA']) {
      const exact = (await admin.get(`/api/v1/stats/legal/todas?condicion=${cond}&anio=2024&estatus=validado`)).body.items as Table[];
      for (const t of published.filter((x) => x.condicion === cond || (x.condicion === 'OFENDIDO' && cond === 'VICTIMA'))) {
        const e = exact.find((x) => x.id === t.id)!;
        for (const p of t.parts) {
          expect(p.suppression, `${t.id}${p.key}`).not.toBeNull();
          expect(p.notes.some((n) => /Solo registros validados/.test(n)), `${t.id}${p.key}`).toBe(true);
          const ep = e.parts.find((x) => x.key === p.key)!;
          if (p.suppression!.withheld) expect(p.cells).toEqual([]);
          else checkProtected(p, ep, 5, `${cond} ${t.id}${p.key}`);
        }
      }
    }
    // The validated 2024 victims, where the total is shown, are exactly the validated ones.
    const t01 = published.find((t) => t.id === 'T-01' && t.condicion === 'VICTIMA')!.parts[0];
    const validated = population(ROWS, { condicion: 'VICTIMA', anio: 2024, validadoOnly: true }).length;
    const sent = population(ROWS, { condicion: 'VICTIMA', anio: 2024 }).length;
    expect(validated).toBeLessThan(sent);
    expect(t01.records).toBe(validated);
  });

  it('is frozen: validating more records later does not change it; publishing again makes version 2', async () => {
    const before = (await json('/api/v1/public/publicaciones/2024')).body;
    // A 2024 victim record sent but not validated yet gets validated.
    const moved = await env.ctx.db.query<{ id: string }>(
      `update m_victimas set estatus = 'validado', validado_at = now() where id = (
         select id from m_victimas where estatus = 'enviado' and deleted_at is null and condicion = 'VICTIMA'
            and fecha_identificacion between '2024-01-01' and '2024-12-31' order by seq limit 1) returning id`,
    );
    expect(moved.length).toBe(1);
    const after = (await json('/api/v1/public/publicaciones/2024')).body;
    expect(after).toEqual(before);
    const again = await admin.post('/api/v1/stats/publicaciones', { periodo: '2024' });
    expect(again.status).toBe(201);
    expect(again.body.version).toBe(2);
    const v2 = (await json('/api/v1/public/publicaciones/2024')).body;
    expect(v2.version).toBe(2);
    const t01 = (v2.tablas as Table[]).find((t) => t.id === 'T-01' && t.condicion === 'VICTIMA')!.parts[0];
    expect(t01.records).toBe(population(ROWS, { condicion: 'VICTIMA', anio: 2024, validadoOnly: true }).length + 1);
    expect((await json('/api/v1/public/publicaciones')).body.items).toHaveLength(1);
  });

  it('a quarter: 2024-T2 counts the validated records of April to June', async () => {
    const r = await admin.post('/api/v1/stats/publicaciones', { periodo: '2024-t2' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ periodo: '2024-T2', trimestre: 2, desde: '2024-04-01', hasta: '2024-06-30' });
    const t = (await json('/api/v1/public/publicaciones/2024-T2/T-13?condicion=POSIBLE_VICTIMA')).body;
    expect(t.id).toBe('T-13');
    expect(t.condicion).toBe('POSIBLE_VICTIMA');
    const expected = population(ROWS, { condicion: 'POSIBLE_VICTIMA', validadoOnly: true }).filter((v) => String(v.fecha_identificacion) >= '2024-04-01' && String(v.fecha_identificacion) <= '2024-06-30').length;
    const d = t.parts.find((p: Part) => p.key === 'd') as Part;
    if (d.records !== '<5') expect(d.records).toBe(expected);
    else expect(expected).toBeLessThan(5);
    const list = (await json('/api/v1/public/publicaciones')).body.items.map((p: { periodo: string }) => p.periodo);
    expect(list).toEqual(['2024', '2024-T2']);
  });

  it('downloads without a session: CSV with BOM, XLSX of every table with the period and the cut-off', async () => {
    const csv = await anon('/api/v1/public/publicaciones/2024/T-01?format=csv');
    expect(csv.statusCode).toBe(200);
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csv.rawPayload.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toMatch(/^grupo_edad,Etiqueta,/);
    expect(text).toMatch(/Filtro: Periodo: 2024 \(2024-01-01 a 2024-12-31\)/);
    const x = await anon('/api/v1/public/publicaciones/2024/todas?format=xlsx');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.length).toBe(31);
    const head: string[] = [];
    wb.worksheets[0].eachRow((row, n) => {
      if (n <= 10) head.push(String(row.getCell(1).value ?? ''));
    });
    expect(head.join('\n')).toMatch(/Periodo: 2024/);
    expect(head.join('\n')).toMatch(/Fecha de corte:/);
    expect(head.join('\n')).toMatch(/Solo registros validados|solo registros validados/);
    expect(head.join('\n')).toMatch(/Cifras protegidas/);
    expect((await json('/api/v1/public/publicaciones/2024/T-77')).status).toBe(404);
    expect((await json('/api/v1/public/publicaciones/2023')).status).toBe(404);
    const bad = await json('/api/v1/public/publicaciones/2024/T-01?condicion=OFENDIDO');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('condicion');
    expect((await json('/api/v1/public/publicaciones/nada')).status).toBe(400);
  });
});
