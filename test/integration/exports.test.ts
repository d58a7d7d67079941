// Exports: the module list as CSV (UTF-8 with BOM) or XLSX (typed cells), streamed in batches, with the
// list's filters and scope; formulas neutralised, long text cut with a marker, control characters removed
// (emoji kept); victims refused; each format its own permission; audited. The XLSX is opened back with
// exceljs and compared cell by cell with the records API. PGlite and, with TEST_DATABASE_URL, PostgreSQL.
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { fieldCatalog } from '../../src/modules/types.js';
import { EXPORT_BATCH, exportColumns } from '../../src/server/exports/service.js';
import { EXPORT_PERMISSIONS, canSeeField } from '../../src/server/exports/permissions.js';
import { EXCEL_CELL_MAX } from '../../src/server/exports/sanitize.js';
import type { Actor } from '../../src/server/auth/actor.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

const CAP = getModule('capacitacion')!;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  const ex = structuredClone(CAP.example) as Record<string, unknown>;
  delete ex.institucion_id;
  return { ...ex, ...over };
}

describe.each(dbKinds())('exportaciones (%s)', (kind) => {
  let env: TestEnv;
  let admin: string;
  let fgr: string;
  let sre: string;
  let consulta: string;
  let auditor: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    env = await setup(kind);
    admin = await login(env.app);
    await createUser(env.ctx, { username: 'enlace_fgr', role: 'enlace', institucion_id: 'FGR' });
    await createUser(env.ctx, { username: 'enlace_sre', role: 'enlace', institucion_id: 'SRE' });
    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'auditor1', role: 'auditor', institucion_id: 'SEGOB' });
    fgr = await login(env.app, 'enlace_fgr');
    sre = await login(env.app, 'enlace_sre');
    consulta = await login(env.app, 'consulta1');
    auditor = await login(env.app, 'auditor1');
    const make = async (cookie: string, name: string, over: Record<string, unknown>) => {
      const r = await client(env.app, cookie).post('/api/v1/modules/capacitacion/records', body(over));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      ids[name] = r.body.id;
    };
    await make(fgr, 'formula', {
      nombre_evento: '=HYPERLINK("http://malo.example","clic")',
      sede: '+52 55 1234 5678',
      instancia_imparte: '@instancia',
      instituciones_colaboradoras: '-menos',
      modalidad: 'PRESENCIAL',
      plataforma: null,
    });
    await make(fgr, 'normal', { nombre_evento: 'Taller normal con emoji 😀', modalidad: 'VIRTUAL', sede: null, duracion_horas: 7.5, fecha_inicio: '2024-03-01', fecha_fin: '2024-03-02' });
    await make(sre, 'ajeno', { nombre_evento: 'Evento de otra institución (SRE)' });
    // Legacy data (loaded before today's limits): text beyond Excel's cell limit and control characters.
    await env.ctx.db.query(`update m_capacitacion set observaciones = $2 where id = $1`, [ids.formula, `${'á'.repeat(40_000)}FIN`]);
    await env.ctx.db.query(`update m_capacitacion set observaciones = $2 where id = $1`, [ids.normal, 'Hola\u0007 mundo\u001b 😀 ok\u200b']);
  });
  afterAll(async () => {
    await env?.close();
  });

  const get = (cookie: string | null, url: string) => env.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
  const csvRows = (raw: Buffer): string[][] => parse(raw.toString('utf8'), { bom: true, relax_column_count: false }) as string[][];
  const col = (rows: string[][], header: string) => rows[0].indexOf(header);

  describe('acceso', () => {
    it('no session → 401; consulta and auditor hold no record-level export permission (403 for each format)', async () => {
      expect((await get(null, '/api/v1/modules/capacitacion/export?format=csv')).statusCode).toBe(401);
      expect(EXPORT_PERMISSIONS.consulta).toEqual([]);
      expect(EXPORT_PERMISSIONS.auditor).toEqual([]);
      for (const cookie of [consulta, auditor])
        for (const f of ['csv', 'xlsx']) {
          const r = await get(cookie, `/api/v1/modules/capacitacion/export?format=${f}`);
          expect(r.statusCode).toBe(403);
          expect(JSON.parse(r.body).detail).toContain(`exportar registros en ${f.toUpperCase()}`);
        }
    });

    it('victims never leave in a record-level file: 403 explaining the aggregated statistics', async () => {
      for (const cookie of [admin, fgr]) {
        const r = await get(cookie, '/api/v1/modules/victimas/export?format=xlsx');
        expect(r.statusCode).toBe(403);
        const p = JSON.parse(r.body);
        expect(p.detail).toContain('víctimas');
        expect(p.detail).toContain('tabulados agregados de Estadísticas');
      }
    });

    it('bad format, bad filter, unknown module', async () => {
      expect((await get(fgr, '/api/v1/modules/capacitacion/export?format=pdf')).statusCode).toBe(400);
      expect((await get(fgr, '/api/v1/modules/capacitacion/export?format=csv&f.nada=1')).statusCode).toBe(400);
      expect((await get(fgr, '/api/v1/modules/nada/export?format=csv')).statusCode).toBe(404);
    });

    it('sensitive fields leave only with roles that may see them', () => {
      const vic = getModule('victimas')!;
      const who = (role: Actor['role']) => ({ role, institucion_id: 'FGR' }) as Actor;
      const sensitive = vic.fields.filter((f) => f.sensitivity === 'S');
      const personal = vic.fields.filter((f) => f.sensitivity === 'P');
      expect(sensitive.length).toBeGreaterThan(0);
      const keys = (role: Actor['role']) => exportColumns(env.ctx, vic, who(role), false).map((c) => c.key);
      for (const f of sensitive) {
        for (const role of ['administrador', 'validador', 'validador_estatal', 'enlace'] as const) expect(keys(role)).toContain(f.key);
        for (const role of ['consulta', 'auditor'] as const) {
          expect(keys(role)).not.toContain(f.key);
          expect(canSeeField(who(role), f)).toBe(false);
        }
      }
      for (const f of personal) expect(keys('enlace')).toContain(f.key);
    });
  });

  describe('CSV', () => {
    it('UTF-8 with BOM, Spanish headers, only the institution’s records, neutralised formulas, cut text, no control characters', async () => {
      const r = await get(fgr, '/api/v1/modules/capacitacion/export?format=csv');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(r.headers['content-disposition']).toMatch(/attachment; filename="sintra-capacitacion-\d{4}-\d{2}-\d{2}\.csv"/);
      expect([...r.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = csvRows(r.rawPayload);
      expect(rows[0].slice(0, 3)).toEqual(['Folio SINTRA', 'Estatus', 'Institución que registra']);
      expect(rows[0]).toContain('Nombre del evento');
      expect(rows[0]).toContain('Evidencia del evento (número de archivos adjuntos)');
      expect(rows.length - 1).toBe(2); // FGR's two records, not SRE's
      expect(r.headers['x-sintra-filas']).toBe('2');
      const byName = (s: string) => rows.find((x) => x[col(rows, 'Nombre del evento')].includes(s))!;
      const f = rows.find((x) => x[col(rows, 'Nombre del evento')].includes('HYPERLINK'))!;
      expect(f[col(rows, 'Nombre del evento')]).toBe('\'=HYPERLINK("http://malo.example","clic")');
      expect(f[col(rows, 'Sede')]).toBe("'+52 55 1234 5678");
      expect(f[col(rows, 'Instancia que imparte')]).toBe("'@instancia");
      expect(f[col(rows, 'Instituciones u organizaciones colaboradoras')]).toBe("'-menos");
      const long = f[col(rows, 'Observaciones')];
      expect(long.length).toBe(EXCEL_CELL_MAX);
      expect(long.startsWith('á'.repeat(1000))).toBe(true);
      expect(long).toMatch(/\[texto recortado: tenía 40003 caracteres; el límite de una celda de Excel es 32767\]$/);
      const n = byName('Taller normal');
      expect(n[col(rows, 'Observaciones')]).toBe('Hola mundo 😀 ok\u200b');
      expect(n[col(rows, 'Nombre del evento')]).toBe('Taller normal con emoji 😀');
      expect(n[col(rows, 'Fecha de inicio')]).toBe('2024-03-01');
      expect(n[col(rows, 'Duración total (horas)')]).toBe('7.5');
      expect(n[col(rows, '¿Se aplicó evaluación de conocimientos inicial y final?')]).toBe('Sí');
      expect(n[col(rows, 'Modalidad')]).toBe('Virtual');
      expect(n[col(rows, 'Estatus')]).toBe('Borrador');
      expect(n[col(rows, 'Población objetivo')]).toBe(
        (CAP.example.poblacion_objetivo as string[]).map((c) => env.ctx.catalogs.label('poblacion_objetivo', c)).join('; '),
      );
      expect(n[col(rows, 'Institución que registra')]).toBe(env.ctx.catalogs.label('institucion', 'FGR'));
      expect(rows.flat().some((c) => c.includes('otra institución (SRE)'))).toBe(false);
    });

    it('the list filters apply (field, search, estatus) and codes can be asked for', async () => {
      const r = await get(fgr, '/api/v1/modules/capacitacion/export?format=csv&f.modalidad=VIRTUAL&valores=claves');
      const rows = csvRows(r.rawPayload);
      expect(rows.length).toBe(2);
      expect(rows[1][col(rows, 'Modalidad')]).toBe('VIRTUAL');
      expect(rows[1][col(rows, 'Estatus')]).toBe('borrador');
      expect(rows[1][col(rows, 'Población objetivo')]).toBe((CAP.example.poblacion_objetivo as string[]).join(';'));
      const q = csvRows((await get(fgr, '/api/v1/modules/capacitacion/export?format=csv&q=hyperlink')).rawPayload);
      expect(q.length).toBe(2);
      const none = csvRows((await get(fgr, '/api/v1/modules/capacitacion/export?format=csv&estatus=validado')).rawPayload);
      expect(none.length).toBe(1);
    });

    it('is audited with format, filters and row count', async () => {
      await get(fgr, '/api/v1/modules/capacitacion/export?format=csv&f.modalidad=PRESENCIAL');
      const a = await env.ctx.db.query<{ detail: string; username: string; module: string }>(`select detail, username, module from audit_log where action = 'exportar' order by id desc limit 1`);
      expect(a[0]).toMatchObject({ username: 'enlace_fgr', module: 'capacitacion' });
      expect(JSON.parse(a[0].detail)).toMatchObject({ tipo: 'registros', format: 'csv', filas: 1, filtros: { 'f.modalidad': 'PRESENCIAL' } });
    });
  });

  describe('XLSX', () => {
    it('opened back with exceljs gives the same values as the records API (typed cells)', async () => {
      const r = await get(admin, '/api/v1/modules/capacitacion/export?format=xlsx');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(XLSX_TYPE);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0];
      const headers = (ws.getRow(1).values as unknown[]).slice(1) as string[];
      const list = (await client(env.app, admin).get('/api/v1/modules/capacitacion/records?limit=200')).body.items as Record<string, unknown>[];
      expect(ws.rowCount - 1).toBe(list.length);
      expect(list.length).toBe(3);
      const cols = exportColumns(env.ctx, CAP, { role: 'administrador' } as Actor, false);
      expect(headers).toEqual(cols.map((c) => c.header));
      const fields = new Map([...CAP.fields, ...(await import('../../src/modules/metadata.js')).METADATA_FIELDS].map((f) => [f.key, f]));
      let compared = 0;
      for (let i = 0; i < list.length; i++) {
        const rec = list[i]; // same order: newest first
        const row = ws.getRow(i + 2);
        expect(row.getCell(1).value).toBe(rec.folio_sintra);
        for (let j = 0; j < cols.length; j++) {
          const c = cols[j];
          const cell = row.getCell(j + 1);
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          const f = fields.get(c.key);
          const v = rec[c.key];
          if (!f || c.key.endsWith('_otro')) continue;
          const got = cell.value;
          compared++;
          if (f.type === 'archivo') expect(got).toBe((v as unknown[]).length);
          else if (v === null || v === undefined || (Array.isArray(v) && !v.length)) expect(got ?? null).toBeNull();
          else if (f.type === 'fecha') expect((got as Date).toISOString().slice(0, 10)).toBe(v);
          else if (f.type === 'entero' || f.type === 'decimal') {
            expect(typeof got).toBe('number');
            expect(got).toBe(v);
          } else if (f.type === 'booleano') expect(got).toBe(v);
          else if (f.type === 'catalogo_multiple') expect(got).toBe((v as string[]).map((x) => env.ctx.catalogs.label(fieldCatalog(f)!, x)).join('; '));
          else if (fieldCatalog(f)) expect(got).toBe(env.ctx.catalogs.label(fieldCatalog(f)!, v as string));
          else {
            const s = String(v);
            if (s.length > EXCEL_CELL_MAX) expect((got as string).length).toBe(EXCEL_CELL_MAX);
            else if (/^[=+\-@]/.test(s)) expect(got).toBe(`'${s}`);
            else if (s.includes('\u0007')) expect(got).toBe('Hola mundo 😀 ok\u200b');
            else expect(got).toBe(s);
          }
        }
      }
      expect(compared).toBeGreaterThan(100);
      // Dates are date cells at midnight (no time zone shift) with a day format.
      const fi = cols.findIndex((c) => c.key === 'fecha_inicio') + 1;
      const cell = ws.getRow(2).getCell(fi);
      expect(cell.value).toBeInstanceOf(Date);
      expect((cell.value as Date).getUTCHours()).toBe(0);
      expect(cell.numFmt).toBe('dd/mm/yyyy');
    });

    it('streams many rows in batches: every row once, newest first', async () => {
      const n = EXPORT_BATCH * 2 + 37;
      await env.ctx.db.query(
        `insert into m_convenios (folio_sintra, institucion_id, ambito, periodo_anio, periodo_trimestre, tipo_convenio, contraparte, objeto, fecha_firma)
         select 'CON-2024-' || lpad(g::text, 6, '0'), 'FGR', 'FEDERAL', 2024, 1, 'COLABORACION', 'Contraparte ' || g, 'Objeto del convenio número ' || g, date '2024-01-01' + (g % 300)
           from generate_series(1, $1::int) g`,
        [n],
      );
      const r = await get(fgr, '/api/v1/modules/convenios/export?format=xlsx');
      expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.worksheets[0];
      expect(ws.rowCount - 1).toBe(n);
      const folios = (ws.getColumn(1).values as unknown[]).slice(2) as string[];
      expect(new Set(folios).size).toBe(n);
      expect(folios[0]).toBe(`CON-2024-${String(n).padStart(6, '0')}`);
      expect(folios[n - 1]).toBe('CON-2024-000001');
      const csv = csvRows((await get(fgr, '/api/v1/modules/convenios/export?format=csv')).rawPayload);
      expect(csv.length - 1).toBe(n);
      expect(csv.slice(1).map((x) => x[0])).toEqual(folios);
      // SRE sees none of FGR's convenios.
      expect(csvRows((await get(sre, '/api/v1/modules/convenios/export?format=csv')).rawPayload).length).toBe(1);
    });
  });
});
