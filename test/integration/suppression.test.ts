// Disclosure control (ARCHITECTURE §5, spec §4.3.4). Who sees exact figures: the Secretaría Técnica, a
// validador_estatal inside its state, an enlace inside its institution. Who sees suppressed ones: consulta,
// an enlace or validador_estatal looking beyond its scope, outputs marked for publication. Suppressed
// output says so, shows no count under the threshold, and an attacker (test/disclosure.ts, a linear
// program over everything the table shows) cannot recover any small count from the totals.
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assemble, type StatsResult } from '../../src/server/stats/crosstab.js';
import { suppress } from '../../src/server/stats/suppression.js';
import { checkProtected, expectedPerturbed, recovered, type PublishedTable } from '../disclosure.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';
import { buildDataset, cellMap, EXPECTED_PARTS, expectedPart, insertDataset, population, seedTestInstitutions } from '../fixtures/victims.js';

type Client = ReturnType<typeof client>;
type Part = PublishedTable & { key: string; records: number | string; notes: string[]; suppression: { threshold: number; withheld: boolean } | null };
type Table = { id: string; condicion: string; parts: Part[] };

const ROWS = buildDataset(77001, 300);

describe('suppress(): property over random tables', () => {
  const table = fc
    .record({
      T: fc.constantFrom(3, 5, 10),
      rows: fc.integer({ min: 1, max: 8 }),
      cols: fc.integer({ min: 0, max: 6 }),
      seed: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 60 })), { minLength: 48, maxLength: 48 }),
    })
    .map(({ T, rows, cols, seed }) => {
      const cells: { row: string; col: string | null; value: number }[] = [];
      let k = 0;
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < Math.max(cols, 1); c++) {
          const v = seed[k++ % seed.length];
          if (v > 0) cells.push({ row: `r${r}`, col: cols ? `c${c}` : null, value: v });
        }
      return { T, cols, cells };
    })
    .filter((x) => x.cells.length > 0);

  it('no count under the threshold is shown and none can be recovered from the totals', () => {
    fc.assert(
      fc.property(table, ({ T, cols, cells }) => {
        const exact = assemble('r', cols ? 'c' : null, cells.map((c) => ({ ...c })), 0);
        exact.records = exact.total;
        const pub: StatsResult = structuredClone(exact);
        suppress(pub, T);
        checkProtected(pub as PublishedTable, exact as PublishedTable, T, 'aleatoria', { groups: false });
      }),
      { numRuns: 200, seed: 20260601 },
    );
  });

  it('hides nothing when every count is at or above the threshold', () => {
    const exact = assemble('r', 'c', [{ row: 'a', col: 'x', value: 5 }, { row: 'a', col: 'y', value: 9 }, { row: 'b', col: 'x', value: 12 }], 0);
    const pub = structuredClone(exact);
    expect(suppress(pub, 5)).toEqual({ primary: 0, complementary: 0 });
    expect(pub).toEqual(exact);
  });

  it('rows and columns of a small group: every cell hidden, empty ones too, and none of them can be worked out', () => {
    fc.assert(
      fc.property(table, ({ T, cols, cells }) => {
        const exact = assemble('r', cols ? 'c' : null, cells.map((c) => ({ ...c })), 0);
        exact.records = exact.total;
        if (!cols || Number(exact.total) < T) return;
        const small = {
          rows: Object.keys(exact.rowTotals).filter((k) => Number(exact.rowTotals[k]) < T),
          cols: Object.keys(exact.colTotals).filter((k) => Number(exact.colTotals[k]) < T),
        };
        const pub: StatsResult = structuredClone(exact);
        suppress(pub, T, small);
        checkProtected(pub as PublishedTable, exact as PublishedTable, T, 'aleatoria con grupos pequeños');
      }),
      { numRuns: 200, seed: 20261204 },
    );
  });

  it('catches what simple line rules miss: two small cells whose shown total leaves 2 for them', () => {
    // Row a: 1 + 1 + 10 = 12. Two hidden cells per line is not enough: 12 − 10 = 2 pins both at 1.
    const exact = assemble('r', 'c', [
      { row: 'a', col: 'x', value: 1 },
      { row: 'a', col: 'y', value: 1 },
      { row: 'a', col: 'z', value: 10 },
      { row: 'b', col: 'x', value: 20 },
      { row: 'b', col: 'y', value: 20 },
      { row: 'b', col: 'z', value: 20 },
    ], 0);
    const naive = structuredClone(exact);
    naive.cells = naive.cells.map((c) => (typeof c.value === 'number' && c.value < 5 ? { ...c, value: '<5' as const } : c));
    expect(recovered(naive as PublishedTable, (v) => v === '<5').length).toBeGreaterThan(0);
    const pub = structuredClone(exact);
    suppress(pub, 5);
    checkProtected(pub as PublishedTable, exact as PublishedTable, 5, 'caso', { groups: false });
  });
});

describe.each(dbKinds())('control de revelación por rol (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let consulta: Client;
  let enlace: Client;
  let estatal: Client;

  beforeAll(async () => {
    env = await setup(kind);
    await seedTestInstitutions(env.ctx);
    await insertDataset(env.ctx, ROWS);
    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    await createUser(env.ctx, { username: 'enlace_edomex', role: 'enlace', institucion_id: 'FGJ_EDOMEX' });
    await createUser(env.ctx, { username: 'cies_edomex', role: 'validador_estatal', institucion_id: 'FGJ_EDOMEX', entidad: '15' });
    await createUser(env.ctx, { username: 'auditor1', role: 'auditor', institucion_id: 'SEGOB' });
    admin = client(env.app, await login(env.app));
    consulta = client(env.app, await login(env.app, 'consulta1'));
    enlace = client(env.app, await login(env.app, 'enlace_edomex'));
    estatal = client(env.app, await login(env.app, 'cies_edomex'));
  });
  afterAll(async () => {
    await env?.close();
  });

  const todas = async (c: Client, q: string): Promise<Table[]> => {
    const r = await c.get(`/api/v1/stats/legal/todas?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.items;
  };

  it('consulta: every legal table suppressed, says so, and none of its small counts can be recovered', async () => {
    const exact = await todas(admin, 'condicion=VICTIMA');
    const pub = await todas(consulta, 'condicion=VICTIMA');
    let hidden = 0;
    let withheld = 0;
    for (const t of pub)
      for (const p of t.parts) {
        const e = exact.find((x) => x.id === t.id)!.parts.find((x) => x.key === p.key)!;
        expect(p.suppression, `${t.id}${p.key}`).not.toBeNull();
        expect(p.notes.some((n) => n.includes('<5') && /suprimida/.test(n)) || p.suppression!.withheld, `${t.id}${p.key} nota`).toBe(true);
        if (p.suppression!.withheld) {
          // Municipal tables of victims: published only when every cell is at least the threshold.
          expect(e.cells.some((c) => Number(c.value) < 5)).toBe(true);
          expect(p.cells).toEqual([]);
          withheld++;
          continue;
        }
        hidden += checkProtected(p, e, 5, `${t.id}${p.key}`).hidden;
      }
    // The dataset is small: there is plenty to hide, and the municipal tables are withheld.
    expect(hidden).toBeGreaterThan(50);
    expect(withheld).toBeGreaterThanOrEqual(2);
  }, 240_000);

  it('the exports a consulta user downloads are suppressed too (CSV and XLSX)', async () => {
    const csv = await consulta.get('/api/v1/stats/legal/T-01?format=csv');
    expect(csv.status).toBe(200);
    const text = csv.raw.rawPayload.subarray(3).toString('utf8');
    expect(text).toContain('<5');
    for (const line of text.split('\r\n').filter((l) => /^E\d\d_|^NNA_SD|^ADULTO_SD/.test(l)))
      for (const v of line.split(',').slice(2)) if (/^\d+$/.test(v)) expect(Number(v) === 0 || Number(v) >= 5, line).toBe(true);
    const x = await consulta.get('/api/v1/stats/victimas?rows=grupo_edad&cols=sexo&format=xlsx');
    expect(x.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.raw.rawPayload as unknown as ArrayBuffer);
    const values: unknown[] = [];
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => values.push(c.value)));
    expect(values.some((v) => typeof v === 'string' && v.includes('Cifras protegidas'))).toBe(true);
    expect(values.filter((v) => typeof v === 'number' && v > 0 && v < 5)).toEqual([]);
    expect(values).toContain('<5');
  });

  it('enlace: exact figures of its own institution; beyond it (alcance=nacional) suppressed', async () => {
    const own = await todas(enlace, 'condicion=VICTIMA');
    const people = population(ROWS, { condicion: 'VICTIMA', institutions: ['FGJ_EDOMEX'] });
    for (const t of own)
      for (const p of t.parts) {
        expect(p.suppression, `${t.id}${p.key}`).toBeNull();
        const exp = expectedPart(EXPECTED_PARTS[`${t.id}${p.key}`], t.id === 'OFENDIDOS' ? population(ROWS, { condicion: 'OFENDIDO', institutions: ['FGJ_EDOMEX'] }) : people);
        expect(cellMap(p.cells), `${t.id}${p.key}`).toEqual(exp.cells);
        expect(p.records).toBe(exp.records);
      }
    const beyond = await todas(enlace, 'condicion=VICTIMA&alcance=nacional');
    const exact = await todas(admin, 'condicion=VICTIMA');
    const t01 = beyond.find((t) => t.id === 'T-01')!.parts[0];
    expect(t01.suppression).not.toBeNull();
    checkProtected(t01, exact.find((t) => t.id === 'T-01')!.parts[0], 5, 'enlace nacional T-01');
    // Its own scope is not everyone's.
    expect(own.find((t) => t.id === 'T-01')!.parts[0].records).toBeLessThan(Number(exact.find((t) => t.id === 'T-01')!.parts[0].records));
  });

  it('validador_estatal: exact inside its state (its institution and the state and municipal ones), suppressed beyond', async () => {
    const mine = await todas(estatal, 'condicion=VICTIMA');
    const people = population(ROWS, { condicion: 'VICTIMA', institutions: ['FGJ_EDOMEX', 'DIF_ECATEPEC'] });
    const t01 = mine.find((t) => t.id === 'T-01')!.parts[0];
    expect(t01.suppression).toBeNull();
    expect(cellMap(t01.cells)).toEqual(expectedPart(EXPECTED_PARTS['T-01a'], people).cells);
    const beyond = await todas(estatal, 'condicion=VICTIMA&alcance=nacional');
    expect(beyond.every((t) => t.parts.every((p) => p.suppression !== null))).toBe(true);
  });

  it('publicacion=1: validated records only, suppressed, even for the Secretaría Técnica', async () => {
    const pub = await todas(admin, 'condicion=VICTIMA&publicacion=1');
    const exactValidated = await todas(admin, 'condicion=VICTIMA&estatus=validado');
    const p = pub.find((t) => t.id === 'T-02')!.parts[0];
    const e = exactValidated.find((t) => t.id === 'T-02')!.parts[0];
    expect(e.records).toBe(population(ROWS, { condicion: 'VICTIMA', validadoOnly: true }).length);
    checkProtected(p, e, 5, 'publicación T-02a');
    expect(p.notes.some((n) => /Solo registros validados/.test(n))).toBe(true);
  });

  it('the generic cross-tab of the rescue operations (persons) is suppressed for consulta; other modules are not', async () => {
    const ops = await consulta.get('/api/v1/stats/operativos_rescate?rows=anio&sum=rescatadas_total');
    expect(ops.status).toBe(200);
    expect(ops.body.suppression).not.toBeNull();
    const cap = await consulta.get('/api/v1/stats/capacitacion?rows=anio');
    expect(cap.status).toBe(200);
    expect(cap.body.suppression).toBeNull();
  });

  it('protected person counts refuse what would single out a person (folio, exact age, text, sums of ages, unions, days), naming the parameter', async () => {
    const refused: [string, string][] = [
      ['rows=sexo&f.folio_persona=V-0001', 'f.folio_persona'],
      ['rows=nacionalidad&f.edad=34', 'f.edad'],
      ['rows=sexo&f.edad.min=30&f.edad.max=30', 'f.edad.min'],
      ['rows=sexo&f.fecha_identificacion=2024-03-10', 'f.fecha_identificacion'],
      ['rows=sexo&q=V-0001', 'q'],
      ['rows=sexo&sum=edad', 'sum'],
      ['rows=sexo&distinct=edad', 'distinct'],
      ['rows=sexo&f.entidad_federativa=15,09', 'f.entidad_federativa'],
      ['rows=sexo&anio=2023,2024', 'anio'],
      ['rows=sexo&from=2024-03-10&to=2024-03-31', 'from'],
      ['rows=sexo&from=2024-03-01&to=2024-03-10', 'to'],
    ];
    for (const [q, field] of refused) {
      for (const [who, c, extra] of [['consulta', consulta, ''], ['enlace (alcance=nacional)', enlace, '&alcance=nacional']] as const) {
        const r = await c.get(`/api/v1/stats/victimas?${q}${extra}`);
        expect(r.status, `${who} ${q}`).toBe(400);
        expect(r.body.errors?.[0]?.field, `${who} ${q}`).toBe(field);
        expect(JSON.stringify(r.body), q).toMatch(/cifras protegidas/);
      }
    }
    // The legal tables take the same filters, under the same rule.
    const legal = await consulta.get('/api/v1/stats/legal/T-01?f.folio_persona=V-0001');
    expect(legal.status).toBe(400);
    // What stays allowed: catalog filters with one value, whole months, one year; and sums of persons rescued.
    for (const q of ['rows=sexo&f.entidad_federativa=15', 'rows=sexo&from=2024-02-01&to=2024-02-29', 'rows=grupo_edad&anio=2024&f.nna_adulta=NNA']) {
      const r = await consulta.get(`/api/v1/stats/victimas?${q}`);
      expect(r.status, `${q} ${JSON.stringify(r.body)}`).toBe(200);
      expect(r.body.suppression).not.toBeNull();
    }
    // Exact figures in one's own scope keep every filter: the enlace inside its institution, the Secretaría Técnica everywhere.
    for (const c of [enlace, admin]) {
      const r = await c.get('/api/v1/stats/victimas?rows=sexo&f.edad=17&sum=edad&cols=_medida');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.suppression).toBeNull();
    }
  });

  it('a small group is not described: a table of fewer than 5 persons is withheld, a small row is "<5" in every column, and a filter does not show it by its absence', async () => {
    // A category of 1 to 4 persons in the data (an institution, a state, a nationality…).
    let dimension = '';
    let inst = '';
    for (const d of ['institucion_id', 'entidad_federativa', 'nacionalidad', 'grupo_edad', 'escolaridad']) {
      const t = (await admin.get(`/api/v1/stats/victimas?rows=${d}`)).body as Table['parts'][number];
      const small = Object.entries(t.rowTotals).find(([k, n]) => Number(n) > 0 && Number(n) < 5 && k !== 'SIN_DATO');
      if (small) {
        dimension = d;
        inst = small[0];
        break;
      }
    }
    expect(inst, 'una categoría con 1 a 4 víctimas en los datos').not.toBe('');
    for (const c of [consulta, enlace]) {
      const extra = c === enlace ? '&alcance=nacional' : '';
      for (const dim of ['sexo', 'nacionalidad', 'grupo_edad', 'modalidades']) {
        if (dim === dimension) continue;
        const r = (await c.get(`/api/v1/stats/victimas?rows=${dim}&f.${dimension}=${inst}${extra}`)).body;
        expect(r.cells, `${dim} de ${inst}`).toEqual([]);
        expect(r.suppression.withheld).toBe(true);
        expect(r.notes.join(' ')).toMatch(/menos de 5 personas/);
      }
      const two = (await c.get(`/api/v1/stats/victimas?rows=${dimension}&cols=sexo${extra}`)).body;
      const cols = Object.keys(two.colTotals);
      expect(cols.length).toBeGreaterThan(1);
      for (const col of cols) expect(two.cells.find((x: { row: string; col: string }) => x.row === inst && x.col === col)?.value, `${inst} × ${col}`).toBe('<5');
      for (const sexo of cols) {
        const f = (await c.get(`/api/v1/stats/victimas?rows=${dimension}&f.sexo=${sexo}${extra}`)).body;
        // Either the whole answer is withheld (fewer than 5 persons of that sex), or the small row is there.
        if (f.suppression.withheld) expect(f.cells).toEqual([]);
        else expect(f.rowTotals[inst], `${inst} con f.sexo=${sexo}`).toBe('<5');
      }
    }
  });

  it("an enlace's national figures: the noise's key leaves out its own institution's records (adding its own does not draw new noise)", async () => {
    const rows = await env.ctx.db.query<{ id: string; sexo: string | null; inst: string }>(
      `select id::text as id, sexo, institucion_id as inst from m_victimas where deleted_at is null and estatus in ('enviado','validado')`,
    );
    const pub = (await enlace.get('/api/v1/stats/victimas?rows=sexo&alcance=nacional')).body;
    expect(pub.suppression.perturbed).toBe(true);
    let checked = 0;
    for (const c of pub.cells as { row: string; value: number | string }[]) {
      if (c.value === '<5') continue;
      const all = rows.filter((r) => (r.sexo ?? 'SIN_DATO') === c.row);
      const others = all.filter((r) => r.inst !== 'FGJ_EDOMEX').map((r) => r.id);
      expect(c.value, c.row).toBe(expectedPerturbed(all.length, others, 5));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('who may not: auditor (403), no session (401)', async () => {
    const aud = client(env.app, await login(env.app, 'auditor1'));
    expect((await aud.get('/api/v1/stats/legal/T-01')).status).toBe(403);
    expect((await aud.get('/api/v1/stats/victimas?rows=sexo')).status).toBe(403);
    expect((await env.app.inject({ method: 'GET', url: '/api/v1/stats/victimas?rows=sexo' })).statusCode).toBe(401);
  });
});

describe.each(dbKinds())('umbral configurable (%s)', (kind) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await setup(kind, { SINTRA_SUPPRESSION_THRESHOLD: '10' });
    await seedTestInstitutions(env.ctx);
    await insertDataset(env.ctx, ROWS);
    await createUser(env.ctx, { username: 'consulta10', role: 'consulta', institucion_id: 'SEGOB' });
  });
  afterAll(async () => {
    await env?.close();
  });

  it('SINTRA_SUPPRESSION_THRESHOLD=10 hides 1–9 as "<10", and nothing small can be recovered', async () => {
    const admin = client(env.app, await login(env.app));
    const consulta = client(env.app, await login(env.app, 'consulta10'));
    for (const id of ['T-01', 'T-05', 'T-13']) {
      const e = (await admin.get(`/api/v1/stats/legal/${id}`)).body as Table;
      const p = (await consulta.get(`/api/v1/stats/legal/${id}`)).body as Table;
      for (const part of p.parts) {
        expect(part.suppression!.threshold).toBe(10);
        checkProtected(part, e.parts.find((x) => x.key === part.key)!, 10, `${id}${part.key}`);
      }
      expect(JSON.stringify(p)).not.toContain('"<5"');
    }
  });
});
