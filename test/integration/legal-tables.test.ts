// The legal tables of art. 88 fr. VIII (spec §4.1, T-01 … T-14, plus the states map and the OFENDIDO
// summary) on a generated dataset: every cell, margin, total and record count is compared with a
// computation written in this test over the generated rows (test/fixtures/victims.ts), for victims and
// possible victims, a year, validated records only and one state. The dataset carries multi-choice fields,
// missing values, drafts, returned and deleted records, ages on the 17/18 boundary and legacy rows whose
// stored age group disagrees with the age.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { client, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import {
  ageGroup,
  buildDataset,
  cellMap,
  EXPECTED_PARTS,
  expectedPart,
  insertDataset,
  nnaOf,
  population,
  seedTestInstitutions,
  type Population,
} from '../fixtures/victims.js';
import type { Victim } from '../../bench/victims.js';

type Client = ReturnType<typeof client>;
interface Part {
  key: string;
  rows: string;
  cols: string | null;
  cells: { row: string; col: string | null; value: number | string }[];
  rowTotals: Record<string, number | string>;
  colTotals: Record<string, number | string>;
  total: number | string;
  records: number | string;
  notes: string[];
  multi: boolean;
  suppression: unknown;
  labels: { rows: Record<string, string>; cols: Record<string, string> };
  order: { rows: string[]; cols: string[] };
}
interface Table {
  id: string;
  condicion: string;
  parts: Part[];
}

const ROWS: Victim[] = buildDataset(20260601, 420);
/** Sent through the API (create, send, validate/return/delete) instead of inserted directly. */
const VIA_API = ROWS.filter((r) => !r.legacy).filter((_, i) => i % 35 === 0);
const DIRECT = ROWS.filter((r) => !VIA_API.includes(r));

function compare(part: Part, id: string, pop: ReturnType<typeof population>) {
  const spec = EXPECTED_PARTS[`${id}${part.key}`];
  expect(spec, `${id}${part.key} sin cálculo esperado`).toBeDefined();
  const exp = expectedPart(spec, pop);
  const label = `${id}${part.key}`;
  expect(cellMap(part.cells), label).toEqual(exp.cells);
  expect(part.rowTotals, label).toEqual(exp.rowTotals);
  expect(part.colTotals, label).toEqual(exp.colTotals);
  expect(part.total, label).toBe(exp.total);
  expect(part.records, label).toBe(exp.records);
  expect(part.suppression, label).toBeNull();
  // Single-choice tables: the cells add up to the records counted (empty values included as SIN_DATO).
  if (!part.multi) expect(exp.total, label).toBe(exp.records);
  else expect(part.notes.some((n) => /opción múltiple/.test(n)), label).toBe(true);
  // Every code shown has a label and a place in the order.
  for (const r of Object.keys(part.rowTotals)) expect(part.labels.rows[r], `${label} ${r}`).toBeTruthy();
  expect([...part.order.rows].sort()).toEqual(Object.keys(part.rowTotals).sort());
}

describe.each(dbKinds())('tabulados del art. 88 fr. VIII (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;

  beforeAll(async () => {
    env = await setup(kind);
    await seedTestInstitutions(env.ctx);
    await insertDataset(env.ctx, DIRECT);
    admin = client(env.app, await login(env.app));
    for (const v of VIA_API) {
      const c = await admin.post('/api/v1/modules/victimas/records', v.values);
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      expect(c.body.pending, JSON.stringify(c.body.pending)).toEqual([]);
      const url = `/api/v1/modules/victimas/records/${c.body.id}`;
      if (v.fate === 'borrador') continue;
      const sent = await admin.post(`${url}/submit`, {});
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
      if (v.fate === 'validado') expect((await admin.post(`${url}/validate`, {})).status).toBe(200);
      if (v.fate === 'devuelto') expect((await admin.post(`${url}/return`, { comment: 'Revise la modalidad registrada.' })).status).toBe(200);
      if (v.fate === 'eliminado') expect((await admin.del(url, { reason: 'Registro capturado dos veces.' })).status).toBe(204);
    }
  });
  afterAll(async () => {
    await env?.close();
  });

  const todas = async (q: string): Promise<Table[]> => {
    const r = await admin.get(`/api/v1/stats/legal/todas?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items;
  };

  it('declares every table of spec §4.1 and nothing this test does not compute', async () => {
    const r = await admin.get('/api/v1/stats/legal');
    expect(r.status).toBe(200);
    const ids = (r.body.items as { id: string; parts: { key: string }[] }[]).flatMap((t) => t.parts.map((p) => `${t.id}${p.key}`));
    expect(ids.sort()).toEqual(Object.keys(EXPECTED_PARTS).sort());
    for (let i = 1; i <= 14; i++) expect(ids.some((x) => x.startsWith(`T-${String(i).padStart(2, '0')}`))).toBe(true);
  });

  const cases: [string, string, Population][] = [
    ['víctimas, todo el periodo', 'condicion=VICTIMA', { condicion: 'VICTIMA' }],
    ['posibles víctimas, todo el periodo', 'condicion=POSIBLE_VICTIMA', { condicion: 'POSIBLE_VICTIMA' }],
    ['víctimas de 2024', 'condicion=VICTIMA&anio=2024', { condicion: 'VICTIMA', anio: 2024 }],
    ['víctimas, solo validadas', 'condicion=VICTIMA&estatus=validado', { condicion: 'VICTIMA', validadoOnly: true }],
    ['víctimas atendidas en el Estado de México', 'condicion=VICTIMA&f.entidad_federativa=15', { condicion: 'VICTIMA', entidad: '15' }],
  ];
  it.each(cases)('every part equals the independent computation: %s', async (_name, q, pop) => {
    const tables = await todas(q);
    expect(tables.length).toBe(16);
    let compared = 0;
    for (const t of tables) {
      const people = population(ROWS, { ...pop, condicion: t.id === 'OFENDIDOS' ? 'OFENDIDO' : pop.condicion });
      for (const p of t.parts) {
        compare(p, t.id, people);
        compared++;
      }
    }
    expect(compared).toBe(Object.keys(EXPECTED_PARTS).length);
  });

  it('the age group comes from the recorded age: 17 is NNA, 18 is adult, legacy groups are overridden', async () => {
    const t = (await todas('condicion=VICTIMA&anio=2024')).find((x) => x.id === 'T-01')!;
    const people = population(ROWS, { condicion: 'VICTIMA', anio: 2024 });
    const byGroup = (g: string) => Object.entries(t.parts[0].rowTotals).find(([k]) => k === g)?.[1] ?? 0;
    const derived = (g: string) => people.filter((v) => ageGroup(v) === g).length;
    const stored = (g: string) => people.filter((v) => v.grupo_edad === g).length;
    expect(byGroup('E15_17')).toBe(derived('E15_17'));
    expect(byGroup('E18_24')).toBe(derived('E18_24'));
    // The legacy rows make the stored group give other figures: the table follows the age.
    expect(derived('E15_17')).not.toBe(stored('E15_17'));
    const boundary = people.filter((v) => v.edad === 17 || v.edad === 18);
    expect(boundary.filter((v) => nnaOf(v) === 'NNA').every((v) => v.edad === 17)).toBe(true);
    expect(boundary.length).toBeGreaterThanOrEqual(4);
    // Unknown age is its own group, never 0 years.
    expect(t.parts[0].order.rows).toContain('NE');
    expect(t.parts[0].labels.rows.NE).toBe('No especificado');
  });

  it('missing values are kept as their own row (SIN_DATO), never dropped', async () => {
    const t = (await todas('condicion=VICTIMA')).find((x) => x.id === 'T-14')!;
    const disc = t.parts.find((p) => p.key === 'b')!;
    expect(disc.rowTotals.SIN_DATO).toBeGreaterThan(0);
    expect(disc.labels.rows.SIN_DATO).toBe('Sin dato');
    expect(disc.order.rows.at(-1)).toBe('SIN_DATO');
    const sum = Object.values(disc.rowTotals).reduce<number>((s, v) => s + Number(v), 0);
    expect(sum).toBe(disc.records);
  });

  it('one table, with condicion, and its errors', async () => {
    const r = await admin.get('/api/v1/stats/legal/T-06?condicion=POSIBLE_VICTIMA&anio=2024');
    expect(r.status).toBe(200);
    expect(r.body.id).toBe('T-06');
    expect(r.body.condicion).toBe('POSIBLE_VICTIMA');
    const people = population(ROWS, { condicion: 'POSIBLE_VICTIMA', anio: 2024 });
    for (const p of r.body.parts as Part[]) compare(p, 'T-06', people);
    // The composite columns are sexo|grupo_edad codes with both labels.
    const a = (r.body.parts as Part[])[0];
    expect(a.cols).toBe('sexo*grupo_edad');
    const someCol = Object.keys(a.colTotals)[0];
    expect(someCol).toMatch(/^[A-Z_]+\|[A-Z0-9_]+$/);
    expect(a.labels.cols[someCol]).toContain(' · ');
    expect((await admin.get('/api/v1/stats/legal/T-99')).status).toBe(404);
    const bad = await admin.get('/api/v1/stats/legal/T-01?condicion=OFENDIDO');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('condicion');
    const badYear = await admin.get('/api/v1/stats/legal/T-01?anio=24');
    expect(badYear.status).toBe(400);
    expect(badYear.body.errors[0].field).toBe('anio');
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/stats/legal/T-01' })).statusCode).toBe(401);
  });

  it('the generic engine: derived dimensions as filters, composite dimensions, sums and errors', async () => {
    const q = await admin.get('/api/v1/stats/victimas?rows=sexo&cols=nna_adulta&f.nna_adulta=NNA&f.condicion=VICTIMA');
    expect(q.status).toBe(200);
    const people = population(ROWS, { condicion: 'VICTIMA' }).filter((v) => nnaOf(v) === 'NNA');
    expect(q.body.records).toBe(people.length);
    expect(Object.keys(q.body.colTotals)).toEqual(['NNA']);
    const edad = await admin.get('/api/v1/stats/victimas?rows=condicion&sum=edad');
    expect(edad.status).toBe(200);
    const counted = ROWS.filter((r) => r.fate === 'enviado' || r.fate === 'validado').map((r) => r.values);
    expect(edad.body.total).toBe(counted.reduce((s, v) => s + (typeof v.edad === 'number' ? v.edad : 0), 0));
    expect(edad.body.records).toBe(counted.length);
    for (const [url, field] of [
      ['rows=nombre_inexistente', 'rows'],
      ['rows=sexo&cols=sexo*sexo', 'cols'],
      ['rows=sexo&sum=sexo', 'sum'],
      ['rows=sexo&alcance=mundial', 'alcance'],
      ['rows=sexo&duplicados=quizas', 'duplicados'],
      ['rows=sexo&format=pdf', 'format'],
      ['rows=sexo&f.no_existe=1', 'f.no_existe'],
    ] as const) {
      const r = await admin.get(`/api/v1/stats/victimas?${url}`);
      expect(r.status, url).toBe(400);
      expect(r.body.errors[0].field, url).toBe(field);
      expect(r.body.detail, url).toMatch(/[áéíóúñ«]|debe|Indique|dimensión|campo/i);
    }
    // Every module answers in the contract's shape.
    const { MODULES } = await import('../../src/modules/index.js');
    for (const m of MODULES) {
      const r = await admin.get(`/api/v1/stats/${m.key}?rows=anio&cols=entidad_federativa`);
      expect(r.status, m.key).toBe(200);
      expect(Object.keys(r.body)).toEqual(expect.arrayContaining(['rows', 'cols', 'cells', 'rowTotals', 'colTotals', 'total', 'records', 'notes']));
    }
  });

  it('XLSX: a header with the filters and the cut-off date, typed cells; CSV with BOM', async () => {
    const r = await admin.get('/api/v1/stats/legal/T-01?anio=2024&f.entidad_federativa=15&format=xlsx');
    expect(r.status).toBe(200);
    expect(r.raw.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const text = (row: number) => String(ws.getRow(row).getCell(1).value ?? '');
    const head = Array.from({ length: 10 }, (_, i) => text(i + 1)).join('\n');
    expect(head).toMatch(/T-01 Número de víctimas por sexo y edad/);
    expect(head).toMatch(/Fecha de corte: \d{2}\/\d{2}\/\d{4}/);
    expect(head).toMatch(/Periodo: 2024/);
    expect(head).toMatch(/Entidad federativa donde aplica la acción: México/);
    expect(head).toMatch(/Población: Víctimas/);
    // The TOTAL line holds numbers, and its last value is the records counted.
    let totalRow = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(1).value === 'TOTAL') totalRow = n;
    });
    expect(totalRow).toBeGreaterThan(0);
    const last = ws.getRow(totalRow).values as unknown[];
    const total = last[last.length - 1];
    expect(typeof total).toBe('number');
    expect(total).toBe(population(ROWS, { condicion: 'VICTIMA', anio: 2024, entidad: '15' }).length);

    const all = await admin.get('/api/v1/stats/legal/todas?anio=2024&format=xlsx');
    expect(all.status).toBe(200);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(all.raw.rawPayload as unknown as ArrayBuffer);
    // Victims and possible victims of every table, the OFENDIDO summary once.
    expect(wb2.worksheets.map((w) => w.name)).toContain('T-14 PV');
    expect(wb2.worksheets.length).toBe(15 * 2 + 1);

    const csv = await admin.get('/api/v1/stats/legal/T-13?format=csv');
    expect(csv.status).toBe(200);
    expect([...csv.raw.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.raw.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]).toMatch(/^servicios,Etiqueta,/);
  });

  it('dimensions lists the derived ones', async () => {
    const r = await admin.get('/api/v1/stats/victimas/dimensions');
    expect(r.status).toBe(200);
    for (const k of ['nna_adulta', 'region_nacionalidad', 'ruta_origen', 'ruta_destino', 'tipo_ruta', 'grupo_edad', 'anio']) expect(r.body.items).toContain(k);
    expect(getModule('victimas')).toBeDefined();
  });
});
