// Imports: templates from the definitions, real CSV/XLSX files built here (Latin-1, semicolons and decimal
// commas, Excel serial dates, dates near midnight UTC, leading-zero codes), all-or-nothing with exact
// row/column errors, the marked error report, sending on import, uniqueness, scope and audit.
// Runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
process.env.TZ = 'America/Mexico_City'; // a reader that used local time would shift dates near midnight UTC

import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { importColumns, templateHeader } from '../../src/server/imports/columns.js';
import { client, createUser, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

const CAP = getModule('capacitacion')!;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A valid capacitación row for a federal liaison, as a person would type it (codes and labels mixed). */
function capRow(over: Record<string, string> = {}): Record<string, string> {
  return {
    periodo_anio: '2024',
    periodo_trimestre: '2',
    nombre_evento: 'Taller de identificación de víctimas',
    tipo_evento: 'Taller',
    proposito: 'CAPACITACION',
    modalidad: 'presencial',
    fecha_inicio: '14/05/2024',
    fecha_fin: '2024-05-16',
    duracion_horas: '20',
    sede: 'Auditorio central',
    instancia_imparte: 'Fiscalía especializada',
    poblacion_objetivo: 'SP_FEDERAL; Personal de salud',
    temas: 'MARCO_JURIDICO|identificacion',
    participantes_mujeres: '10',
    participantes_hombres: '5',
    participantes_otra_identidad: '0',
    participantes_sexo_ne: '0',
    participantes_servidores_publicos: '12',
    orden_gobierno_participantes: 'FEDERAL',
    evaluacion_aplicada: 'No',
    tipo_reconocimiento: 'NINGUNO',
    fuente_financiamiento: 'Recursos propios de la institución',
    ...over,
  };
}

function csvLine(cells: string[], sep: string): string {
  return cells.map((c) => (c.includes(sep) || c.includes('"') || c.includes('\n') ? `"${c.replace(/"/g, '""')}"` : c)).join(sep);
}

/** CSV text with the given headers (as written) for the given keys. */
function csvOf(rows: Record<string, string>[], opts: { sep?: string; header?: (key: string) => string } = {}): string {
  const sep = opts.sep ?? ',';
  const keys = Object.keys(rows[0]);
  return [csvLine(keys.map((k) => (opts.header ? opts.header(k) : k)), sep), ...rows.map((r) => csvLine(keys.map((k) => r[k] ?? ''), sep))].join('\r\n') + '\r\n';
}

async function xlsxOf(headers: string[], rows: unknown[][], sheet = 'Hoja1', extra?: (wb: ExcelJS.Workbook) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  extra?.(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const labelOf = (key: string) => importColumns(CAP).find((c) => c.key === key)!.label;

describe.each(dbKinds())('importaciones (%s)', (kind) => {
  let env: TestEnv;
  let fgr: string; // enlace of FGR
  let sre: string; // enlace of SRE
  let consulta: string;
  let admin: string;

  beforeAll(async () => {
    env = await setup(kind);
    admin = await login(env.app);
    await createUser(env.ctx, { username: 'enlace_fgr', role: 'enlace', institucion_id: 'FGR' });
    await createUser(env.ctx, { username: 'enlace_sre', role: 'enlace', institucion_id: 'SRE' });
    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    fgr = await login(env.app, 'enlace_fgr');
    sre = await login(env.app, 'enlace_sre');
    consulta = await login(env.app, 'consulta1');
  });
  afterAll(async () => {
    await env?.close();
  });

  async function post(cookie: string | null, module: string, file: { name: string; data: Buffer; type?: string }, query = '') {
    const mp = multipart({}, { name: file.name, data: file.data, type: file.type ?? 'application/octet-stream' });
    return env.app.inject({ method: 'POST', url: `/api/v1/modules/${module}/imports${query}`, headers: { ...mp.headers, ...(cookie ? { cookie } : {}) }, payload: mp.payload });
  }
  const json = (r: { body: string }) => JSON.parse(r.body);

  async function count(module: string, where = 'true', params: unknown[] = []): Promise<number> {
    return (await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from m_${module} r where r.deleted_at is null and ${where}`, params))[0].n;
  }
  async function rowsByName(name: string): Promise<Record<string, any>[]> {
    return env.ctx.db.query(`select * from m_capacitacion where nombre_evento = $1 order by seq`, [name]);
  }

  describe('plantillas', () => {
    it('XLSX: one column per field with label and key, dropdowns from catalog sheets, instructions', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/modules/capacitacion/imports/template?format=xlsx', headers: { cookie: fgr } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(XLSX_TYPE);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
      const names = wb.worksheets.map((w) => w.name);
      expect(names.slice(0, 2)).toEqual(['Datos', 'Instrucciones']);
      for (const cat of ['tipo_evento', 'modalidad_evento', 'poblacion_objetivo', 'entidad', 'municipio', 'institucion']) expect(names).toContain(`Cat_${cat}`);
      const datos = wb.getWorksheet('Datos')!;
      const cols = importColumns(CAP);
      expect(cols.some((c) => c.key === 'evidencia')).toBe(false); // files are attached in the form
      const headers = (datos.getRow(1).values as unknown[]).slice(1);
      expect(headers).toEqual(cols.map(templateHeader));
      expect(headers[cols.findIndex((c) => c.key === 'nombre_evento')]).toBe('Nombre del evento\n[nombre_evento]');
      // The catalog sheet lists exactly the catalog's codes and labels, codes as text ("09" keeps its zero).
      const ent = wb.getWorksheet('Cat_entidad')!;
      const items = env.ctx.catalogs.get('entidad')!.items;
      expect(ent.rowCount).toBe(items.length + 1);
      expect(ent.getRow(10).getCell(1).value).toBe(items[8].code);
      expect(items[8].code).toBe('09');
      expect(ent.getRow(10).getCell(2).value).toBe(items[8].label);
      const tipos = wb.getWorksheet('Cat_tipo_evento')!;
      const tItems = env.ctx.catalogs.get('tipo_evento')!.items;
      expect((tipos.getColumn(1).values as unknown[]).slice(2)).toEqual(tItems.map((i) => i.code));
      // A list validation on the tipo_evento column pointing at its catalog sheet.
      const col = cols.findIndex((c) => c.key === 'tipo_evento');
      const letter = String.fromCharCode(65 + col);
      const dv = (datos as unknown as { dataValidations: { model: Record<string, { type: string; formulae: string[] }> } }).dataValidations.model[`${letter}2`];
      expect(dv.type).toBe('list');
      expect(dv.formulae[0]).toBe(`'Cat_tipo_evento'!$C$2:$C$${tItems.length + 1}`);
      const instr = wb.getWorksheet('Instrucciones')!;
      const text = (instr.getColumn(1).values as unknown[]).filter((v) => typeof v === 'string').join('\n');
      expect(text).toContain('dd/mm/aaaa');
      const keysListed = (instr.getColumn(3).values as unknown[]).filter((v) => typeof v === 'string');
      for (const c of cols) expect(keysListed).toContain(c.key);
    });

    it('CSV: UTF-8 with BOM, the header row is the field keys', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/modules/capacitacion/imports/template?format=csv', headers: { cookie: fgr } });
      expect(r.statusCode).toBe(200);
      expect([...r.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(r.body.replace(/^\uFEFF/, '').trim().split(',')).toEqual(importColumns(CAP).map((c) => c.key));
    });

    it('needs a session; unknown module and format are refused', async () => {
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/modules/capacitacion/imports/template' })).statusCode).toBe(401);
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/modules/nada/imports/template', headers: { cookie: fgr } })).statusCode).toBe(404);
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/modules/capacitacion/imports/template?format=pdf', headers: { cookie: fgr } })).statusCode).toBe(400);
    });

    it('the template filled in Excel (dropdown texts, typed dates, Sí) imports as it is', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/modules/capacitacion/imports/template?format=xlsx', headers: { cookie: fgr } });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.getWorksheet('Datos')!;
      const cols = importColumns(CAP);
      const put = (row: number, key: string, v: ExcelJS.CellValue) => {
        ws.getRow(row).getCell(cols.findIndex((c) => c.key === key) + 1).value = v;
      };
      for (const row of [2, 3]) {
        for (const [k, v] of Object.entries(capRow({ nombre_evento: `Plantilla llenada ${row}` }))) put(row, k, v);
        put(row, 'tipo_evento', 'TALLER — Taller');
        put(row, 'fecha_inicio', new Date(Date.UTC(2024, 4, 14)));
        put(row, 'fecha_fin', new Date(Date.UTC(2024, 4, 16)));
        put(row, 'participantes_mujeres', 10);
        put(row, 'duracion_horas', 7.5);
        put(row, 'evaluacion_aplicada', 'Sí');
        put(row, 'calificacion_inicial', 6.5);
        put(row, 'calificacion_final', 9);
      }
      const data = Buffer.from(await wb.xlsx.writeBuffer());
      const res = await post(fgr, 'capacitacion', { name: 'plantilla.xlsx', data, type: XLSX_TYPE });
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res).imported).toBe(2);
      const got = await rowsByName('Plantilla llenada 2');
      expect(got[0]).toMatchObject({
        tipo_evento: 'TALLER',
        fecha_inicio: '2024-05-14',
        fecha_fin: '2024-05-16',
        duracion_horas: 7.5,
        evaluacion_aplicada: true,
        calificacion_inicial: 6.5,
        calificacion_final: 9,
        participantes_total: 15,
        estatus: 'borrador',
        institucion_id: 'FGR',
        ambito: 'FEDERAL',
      });
    });
  });

  describe('lectura de archivos', () => {
    it('Latin-1 CSV with ñ and accents, Spanish headers, labels without accents or case', async () => {
      const rows = [
        capRow({
          nombre_evento: 'Capacitación para niñas y niños en Peñasco',
          sede: 'Auditorio Ñuu Savi, Oaxaca — sede «norte»'.replace('—', '-'),
          poblacion_objetivo: 'personal de salud; NIÑAS, NIÑOS Y ADOLESCENTES',
          temas: 'marco juridico nacional e internacional | Detección e identificación de víctimas',
          tipo_evento: 'platica informativa',
        }),
      ];
      const text = csvOf(rows, { header: (k) => (['nombre_evento', 'sede', 'poblacion_objetivo', 'temas', 'tipo_evento'].includes(k) ? labelOf(k) : k) });
      const data = iconv.encode(text, 'latin1');
      expect(data.includes(Buffer.from('ñ', 'utf8'))).toBe(false); // really Latin-1, not UTF-8
      expect(data.includes(Buffer.from([0xf1]))).toBe(true); // ñ
      const res = await post(fgr, 'capacitacion', { name: 'latin1.csv', data, type: 'text/csv' });
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject({ imported: 1, format: 'csv', encoding: 'Windows-1252', delimiter: ',' });
      const [r] = await rowsByName('Capacitación para niñas y niños en Peñasco');
      expect(r.sede).toBe('Auditorio Ñuu Savi, Oaxaca - sede «norte»');
      expect([...r.poblacion_objetivo].sort()).toEqual(['NNA', 'SALUD']);
      expect([...r.temas].sort()).toEqual(['IDENTIFICACION', 'MARCO_JURIDICO']);
      expect(r.tipo_evento).toBe('PLATICA');
    });

    it('semicolon CSV (UTF-8 with BOM) with decimal commas and thousands separators', async () => {
      const rows = [
        capRow({ nombre_evento: 'Decimales 1', duracion_horas: '12,5', participantes_mujeres: '1.234', participantes_servidores_publicos: '1.000', evaluacion_aplicada: 'sí', calificacion_inicial: '7,25', calificacion_final: '8,5' }),
        capRow({ nombre_evento: 'Decimales 2', duracion_horas: '1.234,5', participantes_hombres: '2 500', participantes_servidores_publicos: '2.000' }),
      ];
      const data = Buffer.from(`\uFEFF${csvOf(rows, { sep: ';' })}`, 'utf8');
      const res = await post(fgr, 'capacitacion', { name: 'puntoycoma.csv', data });
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject({ imported: 2, delimiter: ';', encoding: 'UTF-8 con BOM' });
      const [a] = await rowsByName('Decimales 1');
      expect(a).toMatchObject({ duracion_horas: 12.5, participantes_mujeres: 1234, participantes_total: 1234 + 5, evaluacion_aplicada: true, calificacion_inicial: 7.25, calificacion_final: 8.5 });
      const [b] = await rowsByName('Decimales 2');
      expect(b).toMatchObject({ duracion_horas: 1234.5, participantes_hombres: 2500, participantes_total: 10 + 2500 });
    });

    it('refuses ambiguous or unreadable numbers with a message, never dropping them', async () => {
      const rows = [capRow({ nombre_evento: 'Ambiguo', duracion_horas: '1,250' }), capRow({ nombre_evento: 'Ilegible', participantes_mujeres: 'doce' })];
      const before = await count('capacitacion');
      const res = await post(fgr, 'capacitacion', { name: 'numeros.csv', data: Buffer.from(csvOf(rows)) });
      expect(res.statusCode).toBe(422);
      const errs = json(res).errors;
      expect(errs).toEqual([
        { row: 2, field: 'duracion_horas', column: 'duracion_horas', message: expect.stringContaining('«1,250» es ambiguo') },
        { row: 3, field: 'participantes_mujeres', column: 'participantes_mujeres', message: expect.stringContaining('no se entiende el número «doce»') },
      ]);
      expect(await count('capacitacion')).toBe(before);
    });

    it('Excel serial dates (numbers in XLSX, text in CSV) and dates near midnight UTC are read as calendar days', async () => {
      const serial = 45426;
      const expected = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
      expect(expected).toBe('2024-05-14');
      const base = capRow({ nombre_evento: 'Serial XLSX' });
      const keys = Object.keys(base);
      const values = keys.map((k) => (k === 'fecha_inicio' ? serial : k === 'fecha_fin' ? serial + 2.75 : base[k]));
      const nearMidnight = keys.map((k) =>
        k === 'nombre_evento'
          ? 'Medianoche XLSX'
          : k === 'fecha_inicio'
            ? new Date(Date.UTC(2024, 4, 14, 23, 59, 59))
            : k === 'fecha_fin'
              ? new Date(Date.UTC(2024, 4, 16, 0, 0, 1))
              : base[k],
      );
      const data = await xlsxOf(keys, [values, nearMidnight], 'Hoja1', (wb) => {
        const ws = wb.getWorksheet('Hoja1')!;
        ws.getRow(3).getCell(keys.indexOf('fecha_inicio') + 1).numFmt = 'dd/mm/yyyy hh:mm:ss';
        ws.getRow(3).getCell(keys.indexOf('fecha_fin') + 1).numFmt = 'dd/mm/yyyy hh:mm:ss';
      });
      const res = await post(fgr, 'capacitacion', { name: 'fechas.xlsx', data, type: XLSX_TYPE });
      expect(res.statusCode, res.body).toBe(201);
      expect((await rowsByName('Serial XLSX'))[0]).toMatchObject({ fecha_inicio: '2024-05-14', fecha_fin: '2024-05-16' });
      expect((await rowsByName('Medianoche XLSX'))[0]).toMatchObject({ fecha_inicio: '2024-05-14', fecha_fin: '2024-05-16' });

      const csv = csvOf([capRow({ nombre_evento: 'Serial CSV', fecha_inicio: String(serial), fecha_fin: '16/5/2024' })]);
      const r2 = await post(fgr, 'capacitacion', { name: 'fechas.csv', data: Buffer.from(csv) });
      expect(r2.statusCode, r2.body).toBe(201);
      expect((await rowsByName('Serial CSV'))[0]).toMatchObject({ fecha_inicio: '2024-05-14', fecha_fin: '2024-05-16' });
    });

    it('XLSX: a formula without a cached result is refused naming its column; with a result, the result is imported', async () => {
      const base = capRow({ nombre_evento: 'Formula sin valor' });
      const keys = Object.keys(base);
      const at = (k: string) => keys.indexOf(k) + 1;
      const second: Record<string, string> = { ...base, nombre_evento: 'Formula con valor' };
      const data = await xlsxOf(keys, [keys.map((k) => base[k]), keys.map((k) => second[k])], 'Hoja1', (wb) => {
        const ws = wb.getWorksheet('Hoja1')!;
        // Row 2: written by a program, never calculated (no <v> in the file). Row 3: calculated by Excel.
        ws.getRow(2).getCell(at('participantes_mujeres')).value = { formula: 'SUM(1,2)' } as ExcelJS.CellFormulaValue;
        ws.getRow(3).getCell(at('participantes_mujeres')).value = { formula: 'SUM(1,2)', result: 3 } as ExcelJS.CellFormulaValue;
        ws.getRow(3).getCell(at('sede')).value = { formula: '"Sala "&"B"', result: 'Sala B' } as ExcelJS.CellFormulaValue;
      });
      const before = await count('capacitacion');
      const res = await post(fgr, 'capacitacion', { name: 'formulas.xlsx', data, type: XLSX_TYPE });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors).toEqual([
        {
          row: 2,
          field: 'participantes_mujeres',
          column: 'participantes_mujeres',
          message: '«Participantes: mujeres»: la celda contiene una fórmula sin valor calculado; guarde el archivo en Excel o escriba el valor.',
        },
      ]);
      expect(await count('capacitacion')).toBe(before);
      // Without the uncalculated row, the calculated formulas import their results.
      const ok = await xlsxOf(keys, [keys.map((k) => second[k])], 'Hoja1', (wb) => {
        const ws = wb.getWorksheet('Hoja1')!;
        ws.getRow(2).getCell(at('participantes_mujeres')).value = { formula: 'SUM(1,2)', result: 3 } as ExcelJS.CellFormulaValue;
        ws.getRow(2).getCell(at('sede')).value = { formula: '"Sala "&"B"', result: 'Sala B' } as ExcelJS.CellFormulaValue;
      });
      const r2 = await post(fgr, 'capacitacion', { name: 'formulas2.xlsx', data: ok, type: XLSX_TYPE });
      expect(r2.statusCode, r2.body).toBe(201);
      expect((await rowsByName('Formula con valor'))[0]).toMatchObject({ participantes_mujeres: 3, sede: 'Sala B', participantes_total: 3 + 5 });
    });

    it('keeps leading zeros: state 9 is 09, municipio 9015 is 09015; a shared municipio name is settled by the state', async () => {
      const base = capRow({ nombre_evento: 'Ceros XLSX', ambito: 'Estatal' });
      const keys = [...Object.keys(base), 'entidad_federativa', 'municipio'];
      const data = await xlsxOf(keys, [keys.map((k) => (k === 'entidad_federativa' ? 9 : k === 'municipio' ? 9015 : base[k]))]);
      const res = await post(fgr, 'capacitacion', { name: 'ceros.xlsx', data, type: XLSX_TYPE });
      expect(res.statusCode, res.body).toBe(201);
      expect((await rowsByName('Ceros XLSX'))[0]).toMatchObject({ entidad_federativa: '09', municipio: '09015', ambito: 'ESTATAL' });

      const csv = csvOf([
        { ...capRow({ nombre_evento: 'Ceros CSV' }), ambito: 'ESTATAL', entidad_federativa: '9', municipio: '9015' },
        { ...capRow({ nombre_evento: 'Benito CSV' }), ambito: 'ESTATAL', entidad_federativa: 'Quintana Roo', municipio: 'benito juarez' },
      ]);
      const r2 = await post(fgr, 'capacitacion', { name: 'ceros.csv', data: Buffer.from(csv) });
      expect(r2.statusCode, r2.body).toBe(201);
      expect((await rowsByName('Ceros CSV'))[0]).toMatchObject({ entidad_federativa: '09', municipio: '09015' });
      expect((await rowsByName('Benito CSV'))[0]).toMatchObject({ entidad_federativa: '23', municipio: '23005' });
    });
  });

  describe('todo o nada', () => {
    const thousand = (bad: number, badValue: Record<string, string>) =>
      Array.from({ length: 1000 }, (_, i) => capRow({ nombre_evento: `Lote ${i + 1}`, participantes_mujeres: String(i % 50), ...(i + 1 === bad ? badValue : {}) }));

    it('one bad row among 1,000 (CSV): nothing saved, the exact row and column reported, refusal audited', async () => {
      const before = await count('capacitacion');
      const text = csvOf(thousand(537, { fecha_inicio: '31/02/2024' }), { header: (k) => (k === 'fecha_inicio' ? 'Fecha de inicio' : k) });
      const res = await post(fgr, 'capacitacion', { name: 'mil.csv', data: Buffer.from(text) });
      expect(res.statusCode).toBe(422);
      const body = json(res);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(body.errors).toEqual([
        { row: 538, field: 'fecha_inicio', column: 'Fecha de inicio', message: '«Fecha de inicio»: «31/02/2024» no es una fecha válida; use dd/mm/aaaa (por ejemplo 31/12/2024) o aaaa-mm-dd.' },
      ]);
      expect(body.totalErrors).toBe(1);
      expect(body.rows).toBe(1000);
      expect(await count('capacitacion')).toBe(before);
      const audit = await env.ctx.db.query<{ detail: string }>(`select detail from audit_log where action = 'importar' order by id desc limit 1`);
      expect(JSON.parse(audit[0].detail)).toMatchObject({ archivo: 'mil.csv', resultado: 'rechazado', errores: 1, filas: 1000 });
    });

    it('one bad row among 1,000 (XLSX, key headers): nothing saved; the report marks that cell with a comment', async () => {
      const rows = thousand(250, { participantes_mujeres: 'diez' });
      const keys = Object.keys(rows[0]);
      const data = await xlsxOf(keys, rows.map((r) => keys.map((k) => r[k])), 'Mis datos', (wb) => wb.addWorksheet('Notas').addRow(['no se importa']));
      const before = await count('capacitacion');
      const res = await post(fgr, 'capacitacion', { name: 'mil.xlsx', data, type: XLSX_TYPE });
      expect(res.statusCode).toBe(422);
      const expected = { row: 251, field: 'participantes_mujeres', column: 'participantes_mujeres', message: expect.stringContaining('«diez»') };
      expect(json(res).errors).toEqual([expected]);
      expect(await count('capacitacion')).toBe(before);

      const rep = await post(fgr, 'capacitacion', { name: 'mil.xlsx', data, type: XLSX_TYPE }, '?report=xlsx');
      expect(rep.statusCode).toBe(200);
      expect(rep.headers['content-type']).toBe(XLSX_TYPE);
      expect(rep.headers['x-sintra-errores']).toBe('1');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(rep.rawPayload as unknown as ExcelJS.Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Mis datos', 'Notas', 'Errores']); // the uploaded workbook, marked in place
      const ws = wb.getWorksheet('Mis datos')!;
      const cell = ws.getRow(251).getCell(keys.indexOf('participantes_mujeres') + 1);
      expect(cell.value).toBe('diez');
      expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
      expect(String(typeof cell.note === 'string' ? cell.note : JSON.stringify(cell.note))).toContain('no se entiende el número «diez»');
      const ok = ws.getRow(252).getCell(keys.indexOf('participantes_mujeres') + 1);
      expect(ok.fill).toBeUndefined();
      const errs = wb.getWorksheet('Errores')!;
      expect(errs.getRow(2).getCell(1).value).toBe(251);
      expect(errs.getRow(3).getCell(5).value ?? null).toBeNull();
      expect(await count('capacitacion')).toBe(before); // the report saves nothing
    });

    it('the report of a CSV is a new workbook with the same cells, faulty ones marked', async () => {
      const rows = [capRow({ nombre_evento: 'Rep 1' }), capRow({ nombre_evento: 'Rep 2', modalidad: 'telepatía' })];
      const res = await post(fgr, 'capacitacion', { name: 'rep.csv', data: Buffer.from(csvOf(rows, { sep: ';' })) }, '?report=xlsx');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-disposition']).toContain('rep-errores.xlsx');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
      const ws = wb.getWorksheet('Datos')!;
      const keys = Object.keys(rows[0]);
      expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(keys);
      expect(ws.getRow(2).getCell(1).value).toBe('2024');
      const bad = ws.getRow(3).getCell(keys.indexOf('modalidad') + 1);
      expect(bad.value).toBe('telepatía');
      expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
      expect(String(bad.note)).toContain('«telepatía» no está en el catálogo');
      expect(await count('capacitacion', 'nombre_evento = $1', ['Rep 1'])).toBe(0);
    });

    it('a successful import is one transaction and one audit entry with the folio range', async () => {
      const rows = Array.from({ length: 30 }, (_, i) => capRow({ nombre_evento: `Auditado ${i}` }));
      const crear = (await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'crear'`))[0].n;
      const res = await post(fgr, 'capacitacion', { name: 'auditado.csv', data: Buffer.from(csvOf(rows)) });
      expect(res.statusCode).toBe(201);
      const body = json(res);
      expect(body.imported).toBe(30);
      const saved = await env.ctx.db.query<{ folio_sintra: string }>(`select folio_sintra from m_capacitacion where nombre_evento like 'Auditado %' order by folio_sintra`);
      expect(saved.length).toBe(30);
      expect(body.folios).toEqual({ desde: saved[0].folio_sintra, hasta: saved[29].folio_sintra });
      const audit = await env.ctx.db.query<{ detail: string; module: string; username: string }>(`select detail, module, username from audit_log where action = 'importar' order by id desc limit 1`);
      expect(audit[0]).toMatchObject({ module: 'capacitacion', username: 'enlace_fgr' });
      expect(JSON.parse(audit[0].detail)).toMatchObject({ archivo: 'auditado.csv', filas: 30, resultado: 'importado', estatus: 'borrador', folios: body.folios });
      expect((await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'crear'`))[0].n).toBe(crear);
    });

    it('header problems are reported on row 1 with the column as written', async () => {
      const rows = [{ ...capRow(), 'Columna rara': 'x', 'Nombre del evento': 'otra vez' }];
      const res = await post(fgr, 'capacitacion', { name: 'encabezados.csv', data: Buffer.from(csvOf(rows)) });
      expect(res.statusCode).toBe(422);
      const errs = json(res).errors.filter((e: { row: number }) => e.row === 1);
      expect(errs).toEqual([
        { row: 1, field: null, column: 'Columna rara', message: expect.stringContaining('no corresponde a ningún campo') },
        { row: 1, field: 'nombre_evento', column: 'Nombre del evento', message: expect.stringContaining('repite el campo') },
      ]);
    });

    it('refuses files that are not spreadsheets, empty files and old .xls; each refusal is audited', async () => {
      const lastImport = async () => {
        const rows = await env.ctx.db.query<{ detail: string; module: string; username: string }>(`select detail, module, username from audit_log where action = 'importar' order by id desc limit 1`);
        return { ...JSON.parse(rows[0].detail), module: rows[0].module, username: rows[0].username };
      };
      expect((await post(fgr, 'capacitacion', { name: 'v.xls', data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]) })).statusCode).toBe(415);
      expect(await lastImport()).toMatchObject({ archivo: 'v.xls', resultado: 'rechazado', motivo: 'tipo', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mensaje: expect.stringContaining('Excel 97-2003'), module: 'capacitacion', username: 'enlace_fgr' });
      expect((await post(fgr, 'capacitacion', { name: 'vacio.csv', data: Buffer.alloc(0) })).statusCode).toBe(400);
      expect(await lastImport()).toMatchObject({ archivo: 'vacio.csv', resultado: 'rechazado', motivo: 'vacio' });
      // Found damaged while reading, inside the import's transaction: the entry survives its rollback.
      expect((await post(fgr, 'capacitacion', { name: 'roto.xlsx', data: Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]) })).statusCode).toBe(415);
      expect(await lastImport()).toMatchObject({ archivo: 'roto.xlsx', resultado: 'rechazado', motivo: 'tipo', mensaje: expect.stringContaining('dañado') });
      const onlyHeader = await post(fgr, 'capacitacion', { name: 'h.csv', data: Buffer.from('nombre_evento,sede\r\n') });
      expect(onlyHeader.statusCode).toBe(422);
      expect(json(onlyHeader).errors[0].message).toContain('solo tiene encabezados');
    });
  });

  describe('envío, unicidad y alcance', () => {
    const uni = (over: Record<string, string> = {}) => ({
      periodo_anio: '2024',
      periodo_trimestre: '3',
      nombre_unidad: 'Unidad de atención especializada',
      tipo_unidad: 'Refugio especializado',
      fecha_creacion: '01/08/2019',
      nivel: 'OPERATIVO',
      cargo: 'psicologia',
      personal_mujeres: '5',
      personal_hombres: '2',
      personal_otro_ne: '0',
      ...over,
    });

    it('enviar=1 saves the rows as sent; a row that cannot be sent stops the whole file', async () => {
      const ok = await post(fgr, 'unidades_especializadas', { name: 'u.csv', data: Buffer.from(csvOf([uni(), uni({ cargo: 'MEDICINA' })])) }, '?enviar=1');
      expect(ok.statusCode, ok.body).toBe(201);
      expect(json(ok)).toMatchObject({ imported: 2, estatus: 'enviado' });
      const rows = await env.ctx.db.query<{ estatus: string; enviado_at: Date | null; personal_total: number }>(`select estatus, enviado_at, personal_total from m_unidades_especializadas order by seq`);
      expect(rows.map((r) => r.estatus)).toEqual(['enviado', 'enviado']);
      expect(rows.every((r) => r.enviado_at !== null && r.personal_total === 7)).toBe(true);

      const missing = csvOf([uni({ nombre_unidad: 'Otra unidad de prueba', cargo: 'PERITO' }), uni({ nombre_unidad: 'Otra unidad de prueba', nivel: '' })]);
      const r = await post(fgr, 'unidades_especializadas', { name: 'u2.csv', data: Buffer.from(missing) }, '?enviar=1');
      expect(r.statusCode).toBe(422);
      expect(json(r).errors).toEqual([{ row: 3, field: 'nivel', column: 'nivel', message: expect.stringContaining('obligatorio') }]);
      expect(await count('unidades_especializadas')).toBe(2);
      // As drafts the same file is fine.
      const drafts = await post(fgr, 'unidades_especializadas', { name: 'u2.csv', data: Buffer.from(missing) });
      expect(drafts.statusCode, drafts.body).toBe(201);
    });

    /** An instrumentos row from the module's example, as text (the institution is the uploader's). */
    const insRow = (over: Record<string, string>) => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(getModule('instrumentos')!.example as Record<string, unknown>)) {
        if (k === 'institucion_id' || k === 'documento') continue;
        out[k] = v === null ? '' : Array.isArray(v) ? v.join(';') : typeof v === 'boolean' ? (v ? 'Sí' : 'No') : String(v);
      }
      // The example lists FGR, the uploader, among the participants.
      return { ...out, instituciones_participantes: 'SNDIF;CEAV', ...over };
    };

    it('enviar=1 with a required file: the row is saved as a draft and reported as pending, the others are sent', async () => {
      const enElaboracion = { estatus_instrumento: 'EN_ELABORACION', fecha_aprobacion: '', medio_publicacion: '', fecha_publicacion: '', en_aplicacion: 'No' };
      const rows = [insRow({ nombre_instrumento: 'Protocolo importado en elaboración', ...enElaboracion }), insRow({ nombre_instrumento: 'Protocolo importado publicado' })];
      const res = await post(fgr, 'instrumentos', { name: 'ins.csv', data: Buffer.from(csvOf(rows)) }, '?enviar=1');
      expect(res.statusCode, res.body).toBe(201);
      const body = json(res);
      const [sent, draft] = await env.ctx.db.query<{ folio_sintra: string; estatus: string; enviado_at: Date | null; enviado_by: string | null }>(
        `select folio_sintra, estatus, enviado_at, enviado_by from m_instrumentos where nombre_instrumento like 'Protocolo importado %' order by seq`,
      );
      expect(sent).toMatchObject({ estatus: 'enviado', enviado_at: expect.any(Date), enviado_by: expect.any(String) });
      expect(draft).toMatchObject({ estatus: 'borrador', enviado_at: null, enviado_by: null });
      expect(body).toMatchObject({ imported: 2, estatus: 'mixto', enviados: 1, borradores: 1 });
      expect(body.pendientes).toEqual([
        {
          row: 3,
          folio: draft.folio_sintra,
          pending: [
            {
              field: 'documento',
              column: null,
              message: `«Documento del instrumento»: el registro se guardó como borrador porque necesita este archivo adjunto, que se sube en la página del registro (folio ${draft.folio_sintra}); después envíelo desde ahí.`,
            },
          ],
        },
      ]);
      const audit = await env.ctx.db.query<{ detail: string }>(`select detail from audit_log where action = 'importar' order by id desc limit 1`);
      expect(JSON.parse(audit[0].detail)).toMatchObject({ archivo: 'ins.csv', resultado: 'importado', enviados: 1, borradores: 1 });

      // capacitación always needs its evidence: every row is a draft. Anything else pending still stops the file,
      // and the missing file is not listed among its errors.
      const cap = await post(fgr, 'capacitacion', { name: 'cap.csv', data: Buffer.from(csvOf([capRow({ nombre_evento: 'Enviar sin evidencia' })])) }, '?enviar=1');
      expect(cap.statusCode, cap.body).toBe(201);
      expect(json(cap)).toMatchObject({ imported: 1, estatus: 'borrador', enviados: 0, borradores: 1, pendientes: [{ row: 2, pending: [{ field: 'evidencia', message: expect.stringContaining('«Evidencia del evento»: el registro se guardó como borrador') }] }] });
      expect((await rowsByName('Enviar sin evidencia'))[0].estatus).toBe('borrador');
      const bad = await post(fgr, 'capacitacion', { name: 'cap2.csv', data: Buffer.from(csvOf([capRow({ nombre_evento: 'Sin fuente', fuente_financiamiento: '' })])) }, '?enviar=1');
      expect(bad.statusCode).toBe(422);
      expect(json(bad).errors).toEqual([{ row: 2, field: 'fuente_financiamiento', column: 'fuente_financiamiento', message: expect.stringContaining('obligatorio') }]);
    });

    it('uniqueness per institution: within the file and against stored records, not across institutions', async () => {
      const dup = csvOf([uni({ nombre_unidad: 'Unidad duplicada', cargo: 'PERITO' }), uni({ nombre_unidad: 'Unidad duplicada', cargo: 'PERITO' })]);
      const r = await post(fgr, 'unidades_especializadas', { name: 'dup.csv', data: Buffer.from(dup) });
      expect(r.statusCode).toBe(422);
      expect(json(r).errors).toEqual([{ row: 3, field: 'nombre_unidad', column: 'nombre_unidad', message: expect.stringContaining('Repite la fila 2') }]);
      const again = await post(fgr, 'unidades_especializadas', { name: 'again.csv', data: Buffer.from(csvOf([uni()])) });
      expect(again.statusCode).toBe(422);
      expect(json(again).errors[0]).toMatchObject({ row: 2, field: 'nombre_unidad', message: expect.stringContaining('Ya existe un registro de su institución') });
      // SRE has no such record: the same line is its own, and nothing about FGR's records shows.
      const sreRes = await post(sre, 'unidades_especializadas', { name: 'sre.csv', data: Buffer.from(csvOf([uni()])) });
      expect(sreRes.statusCode, sreRes.body).toBe(201);
    });

    it('only the Secretaría Técnica imports on behalf of another institution', async () => {
      const row = { ...capRow({ nombre_evento: 'A nombre de otra' }), institucion_id: 'SRE' };
      const r = await post(fgr, 'capacitacion', { name: 'otra.csv', data: Buffer.from(csvOf([row])) });
      expect(r.statusCode).toBe(422);
      expect(json(r).errors).toEqual([{ row: 2, field: 'institucion_id', column: 'institucion_id', message: expect.stringContaining('solo la Secretaría Técnica') }]);
      const st = await post(admin, 'capacitacion', { name: 'st.csv', data: Buffer.from(csvOf([{ ...row, institucion_id: 'Secretaría de Relaciones Exteriores' }])) });
      expect(st.statusCode, st.body).toBe(201);
      expect((await rowsByName('A nombre de otra'))[0]).toMatchObject({ institucion_id: 'SRE', created_by: expect.any(String) });
      // The SRE liaison sees it; FGR's liaison does not.
      const list = (c: string) => client(env.app, c).get('/api/v1/modules/capacitacion/records?q=nombre%20de%20otra');
      expect((await list(sre)).body.total).toBe(1);
      expect((await list(fgr)).body.total).toBe(0);
    });

    it('no session → 401; roles that do not capture → 403; victims import with the form rules', async () => {
      const data = Buffer.from(csvOf([capRow()]));
      expect((await post(null, 'capacitacion', { name: 'x.csv', data })).statusCode).toBe(401);
      const c = await post(consulta, 'capacitacion', { name: 'x.csv', data });
      expect(c.statusCode).toBe(403);
      expect(json(c).detail).toContain('importar');
      expect((await post(fgr, 'inexistente', { name: 'x.csv', data })).statusCode).toBe(404);
      // A victim's pseudonymous folio may never be a CURP: the same privacy rule as the form.
      const vic = await post(fgr, 'victimas', { name: 'v.csv', data: Buffer.from('folio_persona,sexo\r\nGOMC800101HDFRRR09,Mujer\r\n') });
      expect(vic.statusCode).toBe(422);
      expect(json(vic).errors[0]).toMatchObject({ row: 2, field: 'folio_persona', column: 'folio_persona' });
    });
  });

  describe('lo que se guarda como borrador, y archivos que no son hojas de cálculo', () => {
    it('a draft import lists per row what still blocks sending (reversed dates, a breakdown above its total), with the column as written', async () => {
      const rows = [
        capRow({ nombre_evento: 'Borrador con fechas invertidas', fecha_inicio: '20/05/2024', fecha_fin: '10/05/2024', participantes_servidores_publicos: '500' }),
        capRow({ nombre_evento: 'Borrador sin problemas de fechas' }),
      ];
      const r = await post(fgr, 'capacitacion', { name: 'borr.csv', data: Buffer.from(csvOf(rows)) });
      expect(r.statusCode, r.body).toBe(201);
      const body = json(r);
      expect(body).toMatchObject({ imported: 2, estatus: 'borrador', conPendientes: 2 });
      const [bad, good] = body.pendientes as { row: number; folio: string; pending: { field: string; column: string | null; message: string }[] }[];
      const saved = await rowsByName('Borrador con fechas invertidas');
      expect(bad.row).toBe(2);
      expect(bad.folio).toBe(saved[0].folio_sintra);
      const fields = bad.pending.map((p) => p.field);
      expect(fields).toEqual(expect.arrayContaining(['fecha_fin', 'participantes_servidores_publicos', 'evidencia']));
      expect(bad.pending.find((p) => p.field === 'fecha_fin')!.column).toBe('fecha_fin');
      expect(bad.pending.find((p) => p.field === 'evidencia')!.column).toBeNull();
      // The other row only lacks the evidence file, which a spreadsheet cannot carry.
      expect(good.pending.map((p) => p.field)).toEqual(['evidencia']);
    });

    it('a CSV export of the list imports again (its file-count columns are ignored)', async () => {
      const name = 'Evento reimportable desde exportación';
      expect((await post(fgr, 'capacitacion', { name: 'a.csv', data: Buffer.from(csvOf([capRow({ nombre_evento: name }), capRow({ nombre_evento: name, sede: 'Sala 2' })])) })).statusCode).toBe(201);
      const exp = await env.app.inject({ method: 'GET', url: `/api/v1/modules/capacitacion/export?format=csv&q=${encodeURIComponent(name)}`, headers: { cookie: fgr } });
      expect(exp.statusCode).toBe(200);
      expect(exp.body).toContain('(número de archivos adjuntos)');
      const again = await post(fgr, 'capacitacion', { name: 'exportado.csv', data: exp.rawPayload });
      expect(again.statusCode, again.body).toBe(201);
      expect(json(again).imported).toBe(2);
      const saved = await rowsByName(name);
      expect(saved.map((x) => x.sede).sort()).toEqual(['Auditorio central', 'Auditorio central', 'Sala 2', 'Sala 2']);
    });

    it('a PDF, an image or text named .xlsx is refused saying what it is', async () => {
      const pdf = await post(fgr, 'capacitacion', { name: 'informe.xlsx', data: Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj\n') });
      expect(pdf.statusCode).toBe(415);
      expect(json(pdf).detail).toBe('El archivo es un documento PDF, no una hoja de cálculo: suba un libro de Excel (.xlsx) o un CSV.');
      const png = await post(fgr, 'capacitacion', { name: 'foto.csv', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
      expect(png.statusCode).toBe(415);
      expect(json(png).detail).toContain('una imagen PNG');
      const text = await post(fgr, 'capacitacion', { name: 'datos.xlsx', data: Buffer.from('nombre_evento,sede\r\nTaller,Sala\r\n') });
      expect(text.statusCode).toBe(415);
      expect(json(text).detail).toContain('«datos.xlsx» no es un libro de Excel válido');
      const audit = await env.ctx.db.query<{ detail: string }>(`select detail from audit_log where action = 'importar' order by id desc limit 1`);
      expect(JSON.parse(audit[0].detail)).toMatchObject({ archivo: 'datos.xlsx', resultado: 'rechazado', motivo: 'tipo' });
    });
  });
});
