// SESNSP incidence of trata: loading the official file and serving it at GET /api/v1/incidencia.
// Every expected figure is computed here independently, from the CSV read with plain fs + split(','),
// and the national totals are also checked against the figures published in datasets/sesnsp/SOURCE.md.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { closeContext, createContext, ensureAdmin } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import type { Ctx } from '../../src/server/context.js';
import { SESNSP_DEFAULT_FILE, importSesnsp } from '../../src/server/incidencia/sesnsp.js';

const PASSWORD = 'Incidencia-Prueba-2024!';
const CSV = fileURLToPath(new URL('../../datasets/sesnsp/db_victimas_delitos_ent_long_trata.csv', import.meta.url));
const SHA = 'f0f7a9fbfb2ae449a8a30f4fc02a9bdcc49e01f06635aed344b35803e106beb2';

/** National victims per year as published in SOURCE.md. */
const PUBLISHED: Record<string, number> = {
  '2015': 1171, '2016': 782, '2017': 537, '2018': 584, '2019': 682, '2020': 681,
  '2021': 753, '2022': 942, '2023': 936, '2024': 790, '2025': 392,
};

// ---- independent reading of the file (no code shared with the importer) ----
const text = fs.readFileSync(CSV, 'utf8');
const lines = text.split('\n').filter((l) => l.length > 0);
const header = lines[0].split(',');
const ix = (name: string) => header.indexOf(name);
const I = { year: ix('n_year'), month: ix('n_month'), ent: ix('cve_ent'), gen: ix('genero'), edad: ix('rango_de_edad'), v: ix('n_victimas') };
const data = lines.slice(1).map((l) => l.split(','));
const SEX: Record<string, string> = { Mujer: 'MUJER', Hombre: 'HOMBRE', 'No identificado': 'NO_IDENTIFICADO' };

function sumBy(pred: (r: string[]) => boolean, key: (r: string[]) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of data) if (pred(r)) out[key(r)] = (out[key(r)] ?? 0) + Number(r[I.v]);
  return out;
}
const perYear = sumBy(() => true, (r) => r[I.year]);
const perState2024 = sumBy((r) => r[I.year] === '2024', (r) => r[I.ent]);
const stateSex2024 = sumBy((r) => r[I.year] === '2024', (r) => `${r[I.ent]}|${SEX[r[I.gen]]}`);
const perMonth2025 = sumBy((r) => r[I.year] === '2025', (r) => r[I.month]);
const grandTotal = data.reduce((s, r) => s + Number(r[I.v]), 0);
// The state with the most victims in 2024 and its women victims, for the state × sex cell.
const topState = Object.entries(perState2024).sort((a, b) => b[1] - a[1])[0][0];

let ctx: Ctx;
let app: FastifyInstance;
let cookie = '';
let tmp: string;

async function dbState() {
  const t = await ctx.db.query<{ n: number; v: number }>('select count(*)::int as n, coalesce(sum(victimas), 0)::int as v from incidencia_victimas');
  const f = await ctx.db.query<{ sha256: string; filas: number; archivo: string }>("select sha256, filas, archivo from fuente_carga where fuente = 'sesnsp_victimas'");
  return { rows: t[0].n, victimas: t[0].v, fuente: f[0] ?? null };
}

function writeTmp(name: string, content: string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}

async function get(url: string, withCookie = true) {
  return app.inject({ method: 'GET', url, headers: withCookie ? { cookie } : {} });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-incidencia-'));
  const config = loadConfig({ SINTRA_ADMIN_PASSWORD: PASSWORD, SINTRA_DATA_DIR: tmp, LOG_LEVEL: 'silent' });
  ctx = await createContext(config, { memory: true });
  await ensureAdmin(ctx.db, config);
  app = await buildApp(ctx);
  await app.ready();
}, 120_000);

afterAll(async () => {
  await app?.close();
  if (ctx) await closeContext(ctx);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('independent reading of the shipped file', () => {
  it('is the file described in SOURCE.md', () => {
    expect(SESNSP_DEFAULT_FILE).toBe(CSV);
    expect(crypto.createHash('sha256').update(fs.readFileSync(CSV)).digest('hex')).toBe(SHA);
    expect(data.length).toBe(28_224);
    expect(perYear).toEqual(PUBLISHED);
  });
});

describe('importSesnsp', () => {
  it('loads the default file', async () => {
    const r = await importSesnsp(ctx.db, SESNSP_DEFAULT_FILE);
    expect(r).toEqual({ rows: 28_224, victimas: grandTotal, skipped: false });
    const s = await dbState();
    expect(s.rows).toBe(28_224);
    expect(s.victimas).toBe(grandTotal);
    expect(s.fuente).toEqual({ sha256: SHA, filas: 28_224, archivo: 'db_victimas_delitos_ent_long_trata.csv' });
  }, 120_000);

  it('national totals per year equal the independent sums and the published figures', async () => {
    const rows = await ctx.db.query<{ anio: number; v: number }>('select anio, sum(victimas)::int as v from incidencia_victimas group by anio order by anio');
    const got = Object.fromEntries(rows.map((r) => [String(r.anio), r.v]));
    expect(got).toEqual(perYear);
    expect(got).toEqual(PUBLISHED);
  });

  it('totals per state for 2024 equal the independent sums', async () => {
    const rows = await ctx.db.query<{ entidad: string; v: number }>('select entidad, sum(victimas)::int as v from incidencia_victimas where anio = 2024 group by entidad');
    expect(Object.fromEntries(rows.map((r) => [r.entidad, r.v]))).toEqual(perState2024);
    expect(rows.length).toBe(32);
  });

  it('a state × sex cell equals the independent sum', async () => {
    const rows = await ctx.db.query<{ v: number }>("select sum(victimas)::int as v from incidencia_victimas where anio = 2024 and entidad = $1 and sexo = 'MUJER'", [topState]);
    expect(rows[0].v).toBe(stateSex2024[`${topState}|MUJER`]);
    expect(rows[0].v).toBeGreaterThan(0);
  });

  it('re-importing the same file is skipped', async () => {
    const before = await ctx.db.query<{ cargado_at: Date }>("select cargado_at from fuente_carga where fuente = 'sesnsp_victimas'");
    const r = await importSesnsp(ctx.db, SESNSP_DEFAULT_FILE);
    expect(r).toEqual({ rows: 28_224, victimas: grandTotal, skipped: true });
    const after = await ctx.db.query<{ cargado_at: Date }>("select cargado_at from fuente_carga where fuente = 'sesnsp_victimas'");
    expect(after[0].cargado_at).toEqual(before[0].cargado_at);
  });

  it('refuses a file with a bad header, naming the missing columns, and changes nothing', async () => {
    const before = await dbState();
    const bad = writeTmp('sin_genero.csv', [header.filter((h) => h !== 'genero' && h !== 'n_victimas').join(','), '2015-01-15,2015,01,01,x,x,x,x,x,x'].join('\n') + '\n');
    await expect(importSesnsp(ctx.db, bad)).rejects.toThrow(/faltan las columnas.*«genero».*«n_victimas»/);
    expect(await dbState()).toEqual(before);
  });

  it('refuses a file with an unknown genero, with its row number, and changes nothing', async () => {
    const before = await dbState();
    const rows = lines.slice(1, 6).map((l) => l.split(','));
    rows[2][I.gen] = 'Otro';
    const bad = writeTmp('genero_malo.csv', [lines[0], ...rows.map((r) => r.join(','))].join('\n') + '\n');
    await expect(importSesnsp(ctx.db, bad)).rejects.toThrow(/fila 4, columna «genero»: valor «Otro» no reconocido/);
    expect(await dbState()).toEqual(before);
  });

  it('refuses a state code outside 01–32 and a duplicated row; skips national rows 00', async () => {
    const before = await dbState();
    const rows = lines.slice(1, 4).map((l) => l.split(','));
    const outOfRange = [...rows[0]];
    outOfRange[I.ent] = '33';
    const bad = writeTmp('entidad_mala.csv', [lines[0], ...rows.map((r) => r.join(',')), outOfRange.join(',')].join('\n') + '\n');
    await expect(importSesnsp(ctx.db, bad)).rejects.toThrow(/fila 5, columna «cve_ent»/);
    const dup = writeTmp('duplicada.csv', [lines[0], lines[1], lines[2], lines[1]].join('\n') + '\n');
    await expect(importSesnsp(ctx.db, dup)).rejects.toThrow(/fila 4.*fila 2/);
    expect(await dbState()).toEqual(before);

    // A file with national rows: they are skipped, the states' rows replace the source's data...
    const national = [...rows[0]];
    national[I.ent] = '00';
    national[I.v] = '999';
    const withNational = writeTmp('con_nacional.csv', [lines[0], national.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
    const r = await importSesnsp(ctx.db, withNational);
    expect(r).toEqual({ rows: 3, victimas: rows.reduce((s, x) => s + Number(x[I.v]), 0), skipped: false });
    expect((await dbState()).fuente?.archivo).toBe('con_nacional.csv');
    // ...and loading the official file again restores everything.
    expect(await importSesnsp(ctx.db, SESNSP_DEFAULT_FILE)).toEqual({ rows: 28_224, victimas: grandTotal, skipped: false });
    expect(await dbState()).toEqual(before);
  }, 120_000);
});

describe('GET /api/v1/incidencia', () => {
  it('answers 401 without a session', async () => {
    expect((await get('/api/v1/incidencia', false)).statusCode).toBe(401);
    expect((await get('/api/v1/incidencia/years', false)).statusCode).toBe(401);
  });

  it('logs in', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((x) => x.name === 'sintra_sesion');
    expect(c?.value).toBeTruthy();
    cookie = `sintra_sesion=${c!.value}`;
  });

  it('national totals per year (rows=anio)', async () => {
    const res = await get('/api/v1/incidencia?rows=anio');
    expect(res.statusCode).toBe(200);
    const b = res.json();
    expect(b.rows).toBe('anio');
    expect(b.cols).toBeNull();
    expect(b.records).toBeNull();
    expect(b.colTotals).toEqual({});
    expect(b.rowTotals).toEqual(PUBLISHED);
    expect(b.cells).toEqual(Object.entries(perYear).map(([row, value]) => ({ row, col: null, value })));
    expect(b.total).toBe(grandTotal);
    expect(b.source).toMatchObject({ fuente: 'sesnsp_victimas', archivo: 'db_victimas_delitos_ent_long_trata.csv', sha256: SHA, filas: 28_224 });
    expect(Number.isNaN(Date.parse(b.source.cargado_at))).toBe(false);
    expect(b.notes.join(' ')).toMatch(/2025 sólo cubre de enero a junio/);
    expect(b.notes.join(' ')).toMatch(/fuero común/);
  });

  it('totals per state for 2024 (default rows=entidad)', async () => {
    const b = (await get('/api/v1/incidencia?anio=2024')).json();
    expect(b.rows).toBe('entidad');
    expect(b.rowTotals).toEqual(perState2024);
    expect(b.total).toBe(PUBLISHED['2024']);
    expect(b.cells.every((c: { value: number }) => c.value > 0)).toBe(true);
    expect(b.cells.length).toBe(Object.values(perState2024).filter((v) => v > 0).length);
    expect(b.notes.join(' ')).not.toMatch(/2025/);
  });

  it('state × sex for 2024', async () => {
    const b = (await get('/api/v1/incidencia?rows=entidad&cols=sexo&anio=2024')).json();
    expect(b.cols).toBe('sexo');
    const cell = b.cells.find((c: { row: string; col: string }) => c.row === topState && c.col === 'MUJER');
    expect(cell.value).toBe(stateSex2024[`${topState}|MUJER`]);
    for (const c of b.cells as { row: string; col: string; value: number }[]) expect(c.value).toBe(stateSex2024[`${c.row}|${c.col}`]);
    expect(b.cells.length).toBe(Object.values(stateSex2024).filter((v) => v > 0).length);
    expect(b.total).toBe(PUBLISHED['2024']);
    const women = Object.entries(stateSex2024).filter(([k]) => k.endsWith('|MUJER')).reduce((s, [, v]) => s + v, 0);
    expect(b.colTotals.MUJER).toBe(women);
  });

  it('filters combine: one state, several years, by month', async () => {
    const b = (await get(`/api/v1/incidencia?rows=mes&anio=2025&entidad=${topState}`)).json();
    const want = sumBy((r) => r[I.year] === '2025' && r[I.ent] === topState, (r) => r[I.month]);
    expect(b.rowTotals).toEqual(want);
    const all2025 = (await get('/api/v1/incidencia?rows=mes&anio=2025')).json();
    expect(Object.keys(all2025.rowTotals)).toEqual(['01', '02', '03', '04', '05', '06']);
    expect(all2025.rowTotals).toEqual(perMonth2025);
    const two = (await get('/api/v1/incidencia?rows=anio&anio=2023,2024&sexo=MUJER&grupo_edad=MENOR')).json();
    const want2 = sumBy((r) => (r[I.year] === '2023' || r[I.year] === '2024') && r[I.gen] === 'Mujer' && r[I.edad] === 'Menores de edad (0-17)', (r) => r[I.year]);
    expect(two.rowTotals).toEqual(want2);
  });

  it('refuses invalid dimensions and filters with a Spanish message naming the parameter', async () => {
    const cases: [string, string][] = [
      ['rows=municipio', 'rows'],
      ['cols=edad', 'cols'],
      ['rows=anio&cols=anio', 'cols'],
      ['anio=20x4', 'anio'],
      ['entidad=33', 'entidad'],
      ['entidad=00', 'entidad'],
      ['sexo=OTRO', 'sexo'],
      ['grupo_edad=NNA', 'grupo_edad'],
      ['mes=13', 'mes'],
      ['anios=2024', 'anios'],
    ];
    for (const [qs, param] of cases) {
      const res = await get(`/api/v1/incidencia?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().detail, qs).toContain(`«${param}»`);
    }
  });

  it('lists the years for the selector', async () => {
    const res = await get('/api/v1/incidencia/years');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: Object.keys(PUBLISHED) });
  });
});
