// Statistics over the victims module: every expected figure is computed here from the records the test
// creates (only enviado/validado, never drafts, returned or deleted ones), and the small-cell rule with
// complementary suppression is checked as a property of the table a `consulta` user receives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { expectedPerturbed, MAX_NOISE } from '../disclosure.js';
import { client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

type Client = ReturnType<typeof client>;
type Fate = 'borrador' | 'enviado' | 'validado' | 'eliminado' | 'devuelto';

interface Person {
  sexo: string;
  modalidades: string[];
  formas: string[];
  condicion: 'VICTIMA' | 'POSIBLE_VICTIMA';
  fate: Fate;
}

function many(n: number, p: Omit<Person, 'fate' | 'condicion'> & { condicion?: Person['condicion'] }, fates: Fate[]): Person[] {
  return Array.from({ length: n }, (_, i) => ({ condicion: 'VICTIMA', ...p, fate: fates[i % fates.length] }));
}

const PEOPLE: Person[] = [
  // MUJER: 14 counted
  ...many(8, { sexo: 'MUJER', modalidades: ['EXPLOTACION_SEXUAL'], formas: ['OFERTA_EMPLEO'] }, ['validado', 'enviado']),
  ...many(3, { sexo: 'MUJER', modalidades: ['EXPLOTACION_SEXUAL', 'EXPLOTACION_LABORAL'], formas: ['OFERTA_EMPLEO', 'ENAMORAMIENTO'] }, ['enviado']),
  ...many(1, { sexo: 'MUJER', modalidades: ['EXPLOTACION_SEXUAL'], formas: ['ENAMORAMIENTO'], condicion: 'POSIBLE_VICTIMA' }, ['enviado']),
  ...many(2, { sexo: 'MUJER', modalidades: ['TRABAJO_FORZADO'], formas: ['FAMILIAR'] }, ['validado']),
  // HOMBRE: 9 counted
  ...many(4, { sexo: 'HOMBRE', modalidades: ['EXPLOTACION_LABORAL'], formas: ['OFERTA_EMPLEO'] }, ['enviado', 'validado']),
  ...many(2, { sexo: 'HOMBRE', modalidades: ['EXPLOTACION_LABORAL'], formas: ['OFERTA_EMPLEO'], condicion: 'POSIBLE_VICTIMA' }, ['enviado']),
  ...many(2, { sexo: 'HOMBRE', modalidades: ['EXPLOTACION_LABORAL', 'TRABAJO_FORZADO'], formas: ['OFERTA_EMPLEO', 'DEUDA_PRESTAMO'] }, ['enviado']),
  ...many(1, { sexo: 'HOMBRE', modalidades: ['MENDICIDAD_FORZOSA'], formas: ['FAMILIAR'] }, ['enviado']),
  // INTERSEXUAL: 2 counted
  ...many(2, { sexo: 'INTERSEXUAL', modalidades: ['EXPLOTACION_SEXUAL'], formas: ['ENAMORAMIENTO'] }, ['enviado']),
  // Not counted: drafts, a returned record, a sent record deleted afterwards.
  ...many(3, { sexo: 'NE', modalidades: ['ACTIVIDADES_DELICTIVAS'], formas: ['NE'] }, ['borrador']),
  ...many(1, { sexo: 'MUJER', modalidades: ['EXPLOTACION_SEXUAL'], formas: ['OFERTA_EMPLEO'] }, ['borrador']),
  ...many(1, { sexo: 'MUJER', modalidades: ['TRABAJO_FORZADO'], formas: ['FAMILIAR'] }, ['devuelto']),
  ...many(1, { sexo: 'HOMBRE', modalidades: ['MENDICIDAD_FORZOSA'], formas: ['FAMILIAR'] }, ['eliminado']),
];

const counted = (pred: (p: Person) => boolean = () => true) => PEOPLE.filter((p) => (p.fate === 'enviado' || p.fate === 'validado') && pred(p));

/** Expected cells, computed independently: one count per (row value, col value) of each record. */
function expectedCells(people: Person[], row: (p: Person) => string[], col: ((p: Person) => string[]) | null) {
  const out = new Map<string, number>();
  for (const p of people)
    for (const r of row(p))
      for (const c of col ? col(p) : [null]) {
        const k = `${r}|${c}`;
        out.set(k, (out.get(k) ?? 0) + 1);
      }
  return out;
}

type Cell = { row: string; col: string | null; value: number | string };
const cellMap = (cells: Cell[]) => new Map(cells.map((c) => [`${c.row}|${c.col}`, c.value]));
function sums(m: Map<string, number>, part: 0 | 1) {
  const out: Record<string, number> = {};
  for (const [k, v] of m) {
    const key = k.split('|')[part];
    out[key] = (out[key] ?? 0) + v;
  }
  return out;
}

const sexo = (p: Person) => [p.sexo];
const modalidades = (p: Person) => p.modalidades;
const formas = (p: Person) => p.formas;

describe.each(dbKinds())('estadísticas de víctimas (%s)', (kind) => {
  let env: TestEnv;
  let admin: Client;
  let consulta: Client;

  beforeAll(async () => {
    env = await setup(kind);
    admin = client(env.app, await login(env.app));
    await createUser(env.ctx, { username: 'consulta1', role: 'consulta', institucion_id: 'SEGOB' });
    consulta = client(env.app, await login(env.app, 'consulta1'));
    const base = structuredClone(getModule('victimas')!.example) as Record<string, unknown>;
    let i = 0;
    for (const p of PEOPLE) {
      i++;
      const body = {
        ...base,
        folio_persona: `EST-${String(i).padStart(4, '0')}`,
        identidad_genero: null,
        sexo: p.sexo,
        condicion: p.condicion,
        modalidades: p.modalidades,
        formas_reclutamiento: p.formas,
      };
      const c = await admin.post('/api/v1/modules/victimas/records', body);
      expect(c.status, JSON.stringify(c.body)).toBe(201);
      expect(c.body.pending).toEqual([]);
      const url = `/api/v1/modules/victimas/records/${c.body.id}`;
      if (p.fate === 'borrador') continue;
      expect((await admin.post(`${url}/submit`, {})).status).toBe(200);
      if (p.fate === 'validado') expect((await admin.post(`${url}/validate`, {})).status).toBe(200);
      if (p.fate === 'devuelto') expect((await admin.post(`${url}/return`, { comment: 'Revise la modalidad registrada.' })).status).toBe(200);
      if (p.fate === 'eliminado') expect((await admin.del(url, { reason: 'Registro duplicado de la misma persona.' })).status).toBe(204);
    }
  });
  afterAll(async () => {
    await env?.close();
  });

  const stats = async (c: Client, q: string) => {
    const r = await c.get(`/api/v1/stats/victimas?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { rows: string; cols: string | null; cells: Cell[]; rowTotals: Record<string, number | string>; colTotals: Record<string, number | string>; total: number | string; records: number | string; notes: string[]; suppression?: { perturbed?: boolean } | null };
  };

  it('modalidades × sexo: cells, totals, records and mentions as computed from the data', async () => {
    const s = await stats(admin, 'rows=modalidades&cols=sexo');
    const exp = expectedCells(counted(), modalidades, sexo);
    expect(s.rows).toBe('modalidades');
    expect(s.cols).toBe('sexo');
    expect(cellMap(s.cells)).toEqual(exp);
    expect(s.rowTotals).toEqual(sums(exp, 0));
    expect(s.colTotals).toEqual(sums(exp, 1));
    expect(s.records).toBe(counted().length);
    expect(s.records).toBe(25);
    const mentions = counted().reduce((n, p) => n + p.modalidades.length, 0);
    expect(s.total).toBe(mentions);
    expect(s.total).toBe(30);
    expect(s.notes.some((n) => /opción múltiple/i.test(n))).toBe(true);
    // Drafts (NE, ACTIVIDADES_DELICTIVAS) never appear.
    expect(s.cells.some((c) => c.row === 'ACTIVIDADES_DELICTIVAS' || c.col === 'NE')).toBe(false);
    // The deleted one is not counted: MENDICIDAD_FORZOSA has one record, not two.
    expect(cellMap(s.cells).get('MENDICIDAD_FORZOSA|HOMBRE')).toBe(1);
  });

  it('sexo alone: cells add up to the records counted', async () => {
    const s = await stats(admin, 'rows=sexo');
    const exp = expectedCells(counted(), sexo, null);
    expect(cellMap(s.cells)).toEqual(exp);
    expect(Object.fromEntries(exp)).toEqual({ 'MUJER|null': 14, 'HOMBRE|null': 9, 'INTERSEXUAL|null': 2 });
    expect(s.cells.reduce((n, c) => n + (c.value as number), 0)).toBe(s.records);
    expect(s.total).toBe(25);
    expect(s.records).toBe(25);
    expect(s.cols).toBeNull();
    expect(s.notes.some((n) => /opción múltiple/i.test(n))).toBe(false);
  });

  it('formas_reclutamiento × sexo (multi-choice rows)', async () => {
    const s = await stats(admin, 'rows=formas_reclutamiento&cols=sexo');
    const exp = expectedCells(counted(), formas, sexo);
    expect(cellMap(s.cells)).toEqual(exp);
    expect(s.records).toBe(25);
    expect(s.total).toBe(counted().reduce((n, p) => n + p.formas.length, 0));
  });

  it('a sum over a multi-choice dimension says that each record adds to every option it chose', async () => {
    const s = await stats(admin, 'rows=formas_reclutamiento&sum=edad');
    expect(s.notes.some((n: string) => /se repite en cada opción/.test(n))).toBe(true);
    expect(s.notes.some((n: string) => /cuenta cada registro una vez por cada opción/.test(n))).toBe(false);
  });

  it('an unknown parameter is refused, naming it (a misspelt filter must not count everything)', async () => {
    for (const url of ['/api/v1/stats/victimas?rows=sexo&filtro.sexo=MUJER', '/api/v1/stats/legal/T-01?anyo=2024']) {
      const r = await admin.get(url);
      expect(r.status, url).toBe(400);
      expect(r.body.errors[0].field, url).toBe(url.includes('filtro') ? 'filtro.sexo' : 'anyo');
    }
    expect((await admin.get('/api/v1/stats/legal/T-01?condicion=VICTIMA&anio=2024')).status).toBe(200);
  });

  it('estatus=validado counts validated records only', async () => {
    const s = await stats(admin, 'rows=sexo&estatus=validado');
    const val = PEOPLE.filter((p) => p.fate === 'validado');
    expect(cellMap(s.cells)).toEqual(expectedCells(val, sexo, null));
    expect(s.records).toBe(val.length);
    expect(s.records).toBe(8);
    const m = await stats(admin, 'rows=modalidades&cols=sexo&estatus=validado');
    expect(cellMap(m.cells)).toEqual(expectedCells(val, modalidades, sexo));
  });

  it('f.condicion=VICTIMA filters', async () => {
    const s = await stats(admin, 'rows=sexo&f.condicion=VICTIMA');
    const vict = counted((p) => p.condicion === 'VICTIMA');
    expect(cellMap(s.cells)).toEqual(expectedCells(vict, sexo, null));
    expect(s.records).toBe(22);
    const m = await stats(admin, 'rows=modalidades&cols=sexo&f.condicion=POSIBLE_VICTIMA');
    expect(cellMap(m.cells)).toEqual(expectedCells(counted((p) => p.condicion === 'POSIBLE_VICTIMA'), modalidades, sexo));
    expect(m.records).toBe(3);
  });

  it('format=csv is UTF-8 with BOM', async () => {
    const r = await admin.get('/api/v1/stats/victimas?rows=modalidades&cols=sexo&format=csv');
    expect(r.status).toBe(200);
    expect(r.raw.headers['content-type']).toContain('text/csv');
    const bytes = r.raw.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines[0].startsWith('modalidades,Etiqueta,')).toBe(true);
    const totalLine = lines.find((l) => l.startsWith('TOTAL,'));
    expect(totalLine?.split(',').at(-1)).toBe('30');
  });

  it("an enlace of another institution counts only its own institution's records", async () => {
    await env.ctx.db.query(
      `insert into institucion (codigo, nombre, siglas, ambito, entidad, grupo) values ('FGE_CHIS', 'Fiscalía General del Estado de Chiapas', 'FGE-CHIS', 'ESTATAL', '07', 'ESTATAL')`,
    );
    await env.ctx.catalogs.reload(env.ctx.db, env.ctx.baseCatalogs);
    await createUser(env.ctx, { username: 'enlace_chis', role: 'enlace', institucion_id: 'FGE_CHIS' });
    const enlace = client(env.app, await login(env.app, 'enlace_chis'));
    const s = await stats(enlace, 'rows=modalidades&cols=sexo');
    expect(s.cells).toEqual([]);
    expect(s.records).toBe(0);
    expect(s.total).toBe(0);
    const f = await stats(enlace, 'rows=sexo&f.institucion_id=SEGOB');
    expect(f.records).toBe(0);
    // The Secretaría Técnica still sees everything.
    expect((await stats(admin, 'rows=sexo')).records).toBe(25);
  });

  describe('a consulta user sees suppressed figures', () => {
    /** Hidden entries per line (a row or column with its total; the margins with the grand total). */
    function linesWithOneHidden(s: Awaited<ReturnType<typeof stats>>): string[] {
      const hidden = (v: unknown) => v === '<5';
      const bad: string[] = [];
      const rows = Object.keys(s.rowTotals);
      const cols = Object.keys(s.colTotals);
      if (s.cols !== null) {
        for (const r of rows) {
          const n = s.cells.filter((c) => c.row === r && hidden(c.value)).length + (hidden(s.rowTotals[r]) ? 1 : 0);
          if (n === 1) bad.push(`fila ${r}`);
        }
        for (const c of cols) {
          const n = s.cells.filter((x) => x.col === c && hidden(x.value)).length + (hidden(s.colTotals[c]) ? 1 : 0);
          if (n === 1) bad.push(`columna ${c}`);
        }
        const nc = cols.filter((c) => hidden(s.colTotals[c])).length + (hidden(s.total) ? 1 : 0);
        if (nc === 1) bad.push('totales de columna');
      }
      const nr = rows.filter((r) => hidden(s.rowTotals[r])).length + (hidden(s.total) ? 1 : 0);
      if (nr === 1) bad.push('totales de fila');
      return bad;
    }

    function expectSuppressed(exact: Awaited<ReturnType<typeof stats>>, pub: Awaited<ReturnType<typeof stats>>) {
      // consulta's ad-hoc answers carry the cell-key noise: a shown figure is within ±2 of the truth, never under 5.
      expect(pub.suppression?.perturbed).toBe(true);
      const near = (shown: unknown, v: unknown, k: string) => {
        expect(typeof shown, k).toBe('number');
        expect(Math.abs((shown as number) - (v as number)), `${k}: ${shown} frente a ${v}`).toBeLessThanOrEqual(MAX_NOISE);
        expect(shown as number, k).toBeGreaterThanOrEqual(5);
      };
      const e = cellMap(exact.cells);
      const p = cellMap(pub.cells);
      for (const k of e.keys()) expect(p.has(k), k).toBe(true);
      // Empty cells appear only as "<5", in a row or column of fewer than 5 persons.
      for (const [k, v] of p)
        if (!e.has(k)) {
          expect(v, k).toBe('<5');
          const [r, c] = k.split('|');
          expect(Number(exact.rowTotals[r] ?? 0) < 5 || Number(exact.colTotals[c] ?? 0) < 5, k).toBe(true);
        }
      let complementary = 0;
      for (const [k, v] of e) {
        const shown = p.get(k);
        if ((v as number) >= 1 && (v as number) <= 4) expect(shown, k).toBe('<5');
        else if (shown === '<5') complementary++;
        else near(shown, v, k);
      }
      for (const [t, te] of [
        [pub.rowTotals, exact.rowTotals],
        [pub.colTotals, exact.colTotals],
      ] as const)
        for (const [k, v] of Object.entries(te)) {
          if ((v as number) <= 4) expect(t[k], k).toBe('<5');
          else if (t[k] !== '<5') near(t[k], v, k);
        }
      if (pub.total !== '<5') near(pub.total, exact.total, 'total');
      if (pub.records !== '<5') near(pub.records, exact.records, 'registros');
      expect(linesWithOneHidden(pub)).toEqual([]);
      expect(pub.notes.some((n) => n.includes('<5'))).toBe(true);
      return complementary;
    }

    it('modalidades × sexo: "<5" for 1–4 and complementary suppression', async () => {
      const exact = await stats(admin, 'rows=modalidades&cols=sexo');
      const pub = await stats(consulta, 'rows=modalidades&cols=sexo');
      expect(pub.cells.filter((c) => c.value === '<5').length).toBeGreaterThan(0);
      // EXPLOTACION_SEXUAL × INTERSEXUAL is 2: hidden, and its row needs a second hidden cell.
      expect(cellMap(pub.cells).get('EXPLOTACION_SEXUAL|INTERSEXUAL')).toBe('<5');
      expect(expectSuppressed(exact, pub)).toBeGreaterThan(0);
    });

    it('sexo alone: one small category cannot be recovered from the total', async () => {
      const exact = await stats(admin, 'rows=sexo');
      const pub = await stats(consulta, 'rows=sexo');
      expect(cellMap(pub.cells).get('INTERSEXUAL|null')).toBe('<5');
      expectSuppressed(exact, pub);
    });

    it('formas_reclutamiento × sexo and the filtered tables', async () => {
      for (const q of ['rows=formas_reclutamiento&cols=sexo', 'rows=sexo&cols=modalidades&f.condicion=VICTIMA', 'rows=sexo&estatus=validado']) {
        const exact = await stats(admin, q);
        const pub = await stats(consulta, q);
        expectSuppressed(exact, pub);
      }
    });

    it('shown figures carry the cell-key noise computed from the persons behind them, the same in every answer', async () => {
      // Recomputed here from the records themselves (ids and sex as stored), not from the server's SQL.
      const rows = await env.ctx.db.query<{ id: string; sexo: string | null }>(
        `select id::text as id, sexo from m_victimas where deleted_at is null and estatus in ('enviado','validado')`,
      );
      const bySexo = new Map<string, string[]>();
      for (const r of rows) bySexo.set(r.sexo ?? 'SIN_DATO', [...(bySexo.get(r.sexo ?? 'SIN_DATO') ?? []), r.id]);
      const pub = await stats(consulta, 'rows=sexo');
      let shown = 0;
      for (const c of pub.cells) {
        const ids = bySexo.get(c.row)!;
        if (c.value === '<5') continue;
        expect(c.value, c.row).toBe(expectedPerturbed(ids.length, ids, 5));
        shown++;
        // The same persons asked another way (a filter instead of a row) give the same figure.
        const alone = await stats(consulta, `rows=condicion&f.sexo=${c.row}`);
        expect(alone.records, `${c.row} filtrado`).toBe(c.value);
      }
      expect(shown).toBeGreaterThan(0);
      const all = rows.map((r) => r.id);
      expect(pub.total).toBe(expectedPerturbed(all.length, all, 5));
      expect(pub.notes.some((n) => /ruido controlado/.test(n))).toBe(true);
      // The Secretaría Técnica's figures are exact.
      const exact = await stats(admin, 'rows=sexo');
      expect(exact.total).toBe(all.length);
      expect(exact.suppression ?? null).toBeNull();
    });

    it('the csv a consulta user downloads is suppressed too', async () => {
      const r = await consulta.get('/api/v1/stats/victimas?rows=sexo&format=csv');
      expect(r.status).toBe(200);
      const text = r.raw.rawPayload.subarray(3).toString('utf8');
      const inter = text.split('\r\n').find((l) => l.startsWith('INTERSEXUAL,'));
      expect(inter).toBeDefined();
      expect(inter).not.toMatch(/,2$/);
      expect(inter).toContain('<5');
    });
  });
});
