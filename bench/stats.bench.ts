// The legal tables of art. 88 fr. VIII on a million victims: generates the records (realistic mixes of every
// catalog, bench/victims.ts), then, on each engine, times every legal table through the real HTTP server
// (GET /api/v1/stats/legal/T-xx) against the same tables written by hand in SQL and run directly on the
// database, the XLSX export of every legal table of a year, and the server's peak memory.
//
// Options: --db pglite|postgresql|both (default both; PostgreSQL from BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres, in a new database dropped at the
// end), --victims 1000000, --runs 5, --anio 2024, --keep (keep the PGlite directory / PostgreSQL database),
// --reuse <directory or postgres:// URL> (measure a dataset kept before instead of generating one).
//
// The measuring runs in one server process: it serves the API over HTTP and runs the hand-written SQL on the
// same database, table by table, alternating, so both meet the same cache and the same machine load.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generate } from 'otplib';
import { getModule } from '../src/modules/index.js';
import { buildApp } from '../src/server/app.js';
import { closeContext, createContext, ensureAdmin } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import type { Ctx } from '../src/server/context.js';
import { loadTerritory } from '../src/catalogs/territory.js';
import { generateVictims, insertVictims, sesnspStateWeights, type Institution } from './victims.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[i + 1] : fallback;
}
const DBS = arg('db', 'both') === 'both' ? (['pglite', 'postgresql'] as const) : ([arg('db', 'both')] as ('pglite' | 'postgresql')[]);
const N = Number(arg('victims', '1000000'));
const RUNS = Number(arg('runs', '5'));
const ANIO = Number(arg('anio', '2024'));
const KEEP = process.argv.includes('--keep');
const REUSE = arg('reuse', '');
const PG_BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'Bench-Estadisticas-2026';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

// ---------------------------------------------------------------- dataset

/** SESNSP's national victims per year (datasets/sesnsp/SOURCE.md): the shape of the years, scaled to N. */
const YEARS: Record<number, number> = { 2015: 1171, 2016: 782, 2017: 537, 2018: 584, 2019: 682, 2020: 681, 2021: 753, 2022: 942, 2023: 936, 2024: 790, 2025: 392 };

function institutions(): Institution[] {
  const states = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
  const fed: Institution[] = ['FGR', 'INM', 'CEAV', 'SNDIF', 'SEGOB', 'SSPC'].map((c) => ({ codigo: c, ambito: 'FEDERAL', entidad: null }));
  return [
    // Federal institutions register about a third of the victims.
    ...fed,
    ...fed,
    ...fed,
    ...states.map((e): Institution => ({ codigo: `FGE_${e}`, ambito: 'ESTATAL', entidad: e })),
    ...states.map((e): Institution => ({ codigo: `CEAV_${e}`, ambito: 'ESTATAL', entidad: e })),
    ...states.slice(0, 16).map((e): Institution => ({ codigo: `DIF_MUN_${e}`, ambito: 'MUNICIPAL', entidad: e, municipio: `${e}001` })),
  ];
}

async function seedInstitutions(ctx: Ctx, list: Institution[]) {
  for (const i of list.filter((x) => x.ambito !== 'FEDERAL'))
    await ctx.db.query(`insert into institucion (codigo, nombre, ambito, entidad, municipio) values ($1, $2, $3, $4, $5) on conflict (codigo) do nothing`, [
      i.codigo,
      `Institución ${i.codigo}`,
      i.ambito,
      i.entidad,
      i.municipio ?? null,
    ]);
}

async function load(ctx: Ctx): Promise<{ seconds: number; rows: number }> {
  const list = institutions();
  await seedInstitutions(ctx, list);
  const municipios: Record<string, string[]> = {};
  for (const m of loadTerritory().municipio.items) (municipios[m.parent as string] ??= []).push(m.code);
  const weights = sesnspStateWeights();
  const m = getModule('victimas')!;
  const keys = ['institucion_id', 'ambito', 'entidad_federativa', 'municipio', 'periodo_anio', 'periodo_trimestre', 'pn_acciones', ...m.fields.map((f) => f.key)];
  const total = Object.values(YEARS).reduce((s, v) => s + v, 0);
  const t0 = performance.now();
  let done = 0;
  const folios: Record<number, number> = {};
  for (const [y, w] of Object.entries(YEARS)) {
    const year = Number(y);
    const n = Math.round((N * w) / total);
    // A quarter at a time, so the rows arrive roughly in date order as they would in real life.
    for (let q = 0; q < 4; q++) {
      const from = `${year}-${String(q * 3 + 1).padStart(2, '0')}-01`;
      const to = year === 2025 && q >= 2 ? null : `${year}-${['03-31', '06-30', '09-30', '12-31'][q]}`;
      if (!to) continue;
      const nq = Math.round(n / (year === 2025 ? 2 : 4));
      for (let k = 0; k < nq; k += 20_000) {
        const rows = generateVictims(Math.min(20_000, nq - k), { seed: year * 100 + q * 10 + k, from, to, institutions: list, municipios, stateWeights: weights });
        rows.sort((a, b) => String(a.values.fecha_identificacion).localeCompare(String(b.values.fecha_identificacion)));
        await insertVictims(ctx.db, rows, keys, { batch: 2500, startFolio: folios });
        for (const r of rows) {
          const yy = Number(String(r.values.fecha_identificacion).slice(0, 4));
          folios[yy] = (folios[yy] ?? 0) + 1;
        }
        done += rows.length;
      }
      process.stdout.write(`\r  generados e insertados ${fmt(done)} registros (${fmt(done / ((performance.now() - t0) / 1000))}/s)   `);
    }
  }
  process.stdout.write('\n');
  await ctx.db.query('vacuum analyze m_victimas');
  return { seconds: (performance.now() - t0) / 1000, rows: done };
}

// ---------------------------------------------------------------- hand-written SQL of each legal table

const SD = `'SIN_DATO'`;
const G = `case when edad is null then coalesce(grupo_edad, ${SD}) when edad <= 5 then 'E00_05' when edad <= 11 then 'E06_11' when edad <= 14 then 'E12_14'
  when edad <= 17 then 'E15_17' when edad <= 24 then 'E18_24' when edad <= 29 then 'E25_29' when edad <= 39 then 'E30_39' when edad <= 49 then 'E40_49'
  when edad <= 59 then 'E50_59' else 'E60_MAS' end`;
const NNA = `case when edad is not null then case when edad < 18 then 'NNA' else 'ADULTA' end
  when grupo_edad in ('E00_05','E06_11','E12_14','E15_17','NNA_SD') then 'NNA'
  when grupo_edad in ('E18_24','E25_29','E30_39','E40_49','E50_59','E60_MAS','ADULTO_SD') then 'ADULTA'
  when grupo_edad is null then ${SD} else 'NE' end`;
const REGION = `case when nacionalidad = 'MEX' then 'MEXICO' when nacionalidad in ('GTM','HND','SLV','NIC','CRI','PAN','BLZ') then 'CENTROAMERICA'
  when nacionalidad in ('VEN','COL','ECU','PER','BOL','BRA','ARG','CHL','PRY','URY') then 'SUDAMERICA' when nacionalidad in ('CUB','HTI','DOM','JAM') then 'CARIBE'
  when nacionalidad in ('USA','CAN') then 'NORTEAMERICA' when nacionalidad = 'XXX' then 'NE' when nacionalidad = 'XXA' then 'APATRIDA'
  when nacionalidad in ('CHN','IND') then 'ASIA' else 'OTRO' end`;
const RUTA = `case when pais_captacion = 'XXX' or pais_destino = 'XXX' then 'NE' when pais_captacion = 'MEX' and pais_destino = 'MEX' then 'INTERNA' else 'INTERNACIONAL' end`;
const c = (x: string) => `coalesce(${x}::text, ${SD})`;
/** A multi-choice field, one row per chosen value (rawSql turns it into a lateral unnest). */
const u = (x: string) => `@@${x}@@`;

/** One table part: a scalar row/col expression, or unnest() of a multi-choice field (a lateral). */
interface RawPart {
  row: string;
  col?: string;
  where?: string;
  multi?: boolean;
}
const RAW: Record<string, RawPart[]> = {
  'T-01': [{ row: G, col: c('sexo') }],
  'T-02': [{ row: c('estado_civil'), col: c('sexo') }, { row: c('estado_civil'), col: NNA }],
  'T-03': [{ row: c('nacionalidad'), col: `${c('sexo')} || '|' || ${NNA}` }],
  'T-04': [
    { row: c('entidad_origen'), col: c('sexo'), where: `pais_origen = 'MEX'` },
    { row: c('municipio_origen'), col: c('sexo'), where: `pais_origen = 'MEX'` },
    { row: c('pais_origen'), col: c('sexo'), where: `pais_origen <> 'MEX'` },
  ],
  'T-05': [
    { row: u('formas_reclutamiento'), col: `${c('sexo')} || '|' || ${NNA}`, multi: true },
    { row: u('medios_contacto'), col: NNA, multi: true },
  ],
  'T-06': [
    { row: u('modalidades'), col: `${c('sexo')} || '|' || ${G}`, multi: true },
    { row: u('tipos_penales'), col: u('modalidades'), multi: true },
  ],
  'T-07': [
    { row: c('pais_destino') },
    { row: c('entidad_destino'), col: u('modalidades'), where: `pais_destino = 'MEX'`, multi: true },
    { row: c('municipio_destino'), col: u('modalidades'), where: `pais_destino = 'MEX'`, multi: true },
    { row: u('espacios_explotacion'), col: u('modalidades'), multi: true },
  ],
  'T-08': [{ row: c('calidad_migratoria'), col: `${REGION} || '|' || ${c('sexo')}`, where: `(nacionalidad <> 'MEX' or pais_destino <> 'MEX')` }],
  'T-09': [
    {
      row: `case when pais_captacion = 'MEX' then coalesce(entidad_captacion, ${SD}) else coalesce(pais_captacion, ${SD}) end`,
      col: `case when pais_destino = 'MEX' then coalesce(entidad_destino, ${SD}) else coalesce(pais_destino, ${SD}) end`,
    },
    { row: u('entidades_transito'), multi: true },
    { row: u('paises_transito'), multi: true },
    { row: RUTA },
  ],
  'T-10': [
    { row: u('medios_transporte'), col: RUTA, multi: true },
    { row: u('medios_transporte'), col: `${RUTA} || '|' || ${u('modalidades')}`, multi: true },
  ],
  'T-11': [
    { row: c('tipo_transito_fronterizo'), col: c('punto_cruce'), where: `cruce_fronterizo = 'SI'` },
    { row: c('punto_cruce'), col: REGION, where: `cruce_fronterizo = 'SI'` },
    { row: REGION, col: `${c('sexo')} || '|' || ${NNA}`, where: `cruce_fronterizo = 'SI'` },
  ],
  'T-12': [
    { row: u('medios_comisivos'), col: u('modalidades'), multi: true },
    { row: c('vinculo_tratante'), col: c('sexo') },
  ],
  'T-13': [
    { row: u('servicios'), col: `${c('sexo')} || '|' || ${NNA}`, multi: true },
    { row: u('medidas_proteccion'), multi: true },
    { row: u('canalizada_a'), multi: true },
    { row: c('estatus_atencion') },
    { row: c('retorno_repatriacion') },
    { row: c('reparacion_integral') },
  ],
  'T-14': [
    { row: u('autoadscripcion'), col: c('sexo'), multi: true },
    { row: c('discapacidad'), col: c('sexo') },
    { row: c('escolaridad'), col: c('sexo') },
    { row: c('acompanamiento_nna'), col: c('sexo') },
  ],
  ENTIDADES: [{ row: `coalesce(entidad_federativa, case when ambito = 'FEDERAL' then 'NACIONAL' else ${SD} end)`, col: c('sexo') }],
  OFENDIDOS: [{ row: c('sexo'), col: NNA }],
};

/** The SQL statements of one part: the cells, and for multi-choice the distinct records. */
function rawSql(id: string, p: RawPart, anio: number | null): string[] {
  const cond = id === 'OFENDIDOS' ? 'OFENDIDO' : 'VICTIMA';
  const where = [`deleted_at is null`, `estatus in ('enviado','validado')`, `condicion = '${cond}'`];
  if (anio) where.push(`fecha_principal >= '${anio}-01-01' and fecha_principal < '${anio + 1}-01-01'`);
  if (p.where) where.push(p.where);
  // Multi-choice fields: one lateral unnest each (an empty list counts once as SIN_DATO).
  const laterals = new Set<string>();
  const expr = (e: string) => e.replace(/@@(\w+)@@/g, (_m, f: string) => (laterals.add(f), `u_${f}.v`));
  const rowE = expr(p.row);
  const colE = p.col ? expr(p.col) : 'null';
  const from = ['m_victimas', ...[...laterals].map((f) => `cross join lateral unnest(case when cardinality(${f}) = 0 then array[${SD}] else ${f} end) as u_${f}(v)`)].join(' ');
  const sql = [`select ${rowE} as r, ${colE} as c, count(*) from ${from} where ${where.join(' and ')} group by 1, 2`];
  if (p.multi) sql.push(`select count(*) from m_victimas where ${where.join(' and ')}`);
  return sql;
}

// ---------------------------------------------------------------- timing helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** VmHWM: the peak resident memory of a process (Linux). */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Signs in as the administrator, enrolling the second factor it must have. */
async function signIn(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
  if (!r.ok) throw new Error(`login: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  const body = (await r.json()) as { mfaEnrollmentRequired?: boolean };
  if (body.mfaEnrollmentRequired) {
    const h = { cookie, 'content-type': 'application/json' };
    const setup = (await (await fetch(`${base}/api/v1/auth/mfa/setup`, { method: 'POST', headers: h, body: '{}' })).json()) as { secret: string };
    const conf = await fetch(`${base}/api/v1/auth/mfa/confirm`, { method: 'POST', headers: h, body: JSON.stringify({ code: await generate({ secret: setup.secret }) }) });
    if (!conf.ok) throw new Error(`mfa: ${conf.status} ${await conf.text()}`);
  }
  return cookie;
}

interface Measured {
  lines: Line[];
  xlsxMs: number[];
  xlsxBytes: number;
  rss: number;
}

/** Runs the measuring in a fresh server process (`--serve`) on the dataset, and reads its results. */
async function measureInServer(env: Record<string, string>): Promise<Measured> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve', '--runs', String(RUNS), '--anio', String(ANIO)], {
    cwd: ROOT,
    env: { ...process.env, ...env, SINTRA_ADMIN_PASSWORD: PASSWORD, SINTRA_LOAD_SESNSP: '0', SINTRA_DUPLICADOS_INTERVALO_MIN: '0', LOG_LEVEL: 'warn', SINTRA_DB_STATEMENT_TIMEOUT_MS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d;
    for (const l of String(d).split('\n')) if (l.startsWith('  ·')) console.log(l);
  });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`la medición terminó con código ${code}`);
  return JSON.parse(last) as Measured;
}

/**
 * `--serve`: the server process. Opens the database, serves the app on a local port, and for each legal
 * table alternates the API call (HTTP) and the same table in hand-written SQL (straight on the database).
 */
async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1' });
  const quiet = { log: () => undefined, info: () => undefined, warn: console.warn, error: console.error } as unknown as Console;
  const ctx = await createContext(config, { log: quiet });
  const app = await buildApp(ctx);
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${config.PORT}`;
  const cookie = await signIn(base);
  const get = async (url: string) => {
    const r = await fetch(`${base}${url}`, { headers: { cookie } });
    if (!r.ok) throw new Error(`${url}: ${r.status} ${await r.text()}`);
    return r.arrayBuffer();
  };
  const lines: Line[] = [];
  for (const [id, parts] of Object.entries(RAW)) {
    const stmts = parts.flatMap((p) => rawSql(id, p, ANIO));
    const sql = async () => {
      for (const q of stmts) await ctx.db.query(q);
    };
    const api = () => get(`/api/v1/stats/legal/${id}?anio=${ANIO}&condicion=VICTIMA`);
    // The same table as published (publicacion=1): validated records only, small cells and their complements suppressed.
    const pub = () => get(`/api/v1/stats/legal/${id}?anio=${ANIO}&condicion=VICTIMA&publicacion=1`);
    await sql();
    await api();
    await pub();
    const ts: number[] = [];
    const ta: number[] = [];
    const tp: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      await sql();
      ts.push(performance.now() - t0);
      t0 = performance.now();
      await api();
      ta.push(performance.now() - t0);
      t0 = performance.now();
      await pub();
      tp.push(performance.now() - t0);
    }
    const line = { table: id, parts: parts.length, apiMs: median(ta), sqlMs: median(ts), pubMs: median(tp) };
    lines.push(line);
    process.stdout.write(`  · ${id}: API ${fmt(line.apiMs, 1)} ms, SQL ${fmt(line.sqlMs, 1)} ms, publicada ${fmt(line.pubMs, 1)} ms\n`);
  }
  // Every legal table of the year as one workbook (victims and possible victims, OFENDIDO summary).
  const xlsxMs: number[] = [];
  let xlsxBytes = 0;
  for (let i = 0; i < 2; i++) {
    const t0 = performance.now();
    xlsxBytes = (await get(`/api/v1/stats/legal/todas?anio=${ANIO}&format=xlsx`)).byteLength;
    xlsxMs.push(performance.now() - t0);
  }
  const rss = peakRss(process.pid);
  await app.close();
  await closeContext(ctx);
  process.stdout.write(`${JSON.stringify({ lines, xlsxMs, xlsxBytes, rss })}\n`);
}

// ---------------------------------------------------------------- one engine

interface Line {
  table: string;
  parts: number;
  apiMs: number;
  sqlMs: number;
  /** The published table (suppressed), through the API. */
  pubMs: number;
}

async function bench(kind: 'pglite' | 'postgresql') {
  console.log(`\n--- ${kind}: ${fmt(N)} víctimas ---`);
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  if (REUSE) {
    env = REUSE.startsWith('postgres') ? { DATABASE_URL: REUSE } : { SINTRA_DATA_DIR: REUSE };
    cleanup = async () => undefined;
  } else if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-bench-'));
    env = { SINTRA_DATA_DIR: dir };
    cleanup = async () => {
      if (!KEEP) fs.rmSync(dir, { recursive: true, force: true });
      else console.log(`  (datos conservados en ${dir})`);
    };
  } else {
    const name = `sintra_bench_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_BASE });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u2 = new URL(PG_BASE);
    u2.pathname = `/${name}`;
    env = { DATABASE_URL: u2.toString() };
    cleanup = async () => {
      if (KEEP) return void console.log(`  (base conservada: ${name})`);
      const c2 = new pg.Client({ connectionString: PG_BASE });
      await c2.connect();
      await c2.query(`drop database if exists ${name} with (force)`);
      await c2.end();
    };
  }
  try {
    const config = loadConfig({ ...process.env, ...env, SINTRA_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'silent', SINTRA_DB_STATEMENT_TIMEOUT_MS: '0' });
    const quiet = { log: () => undefined, info: () => undefined, warn: console.warn, error: console.error } as unknown as Console;
    const ctx = await createContext(config, { log: quiet });
    await ensureAdmin(ctx.db, config);
    if (!REUSE) {
      const loaded = await load(ctx);
      console.log(`  carga: ${fmt(loaded.rows)} registros en ${fmt(loaded.seconds, 1)} s (${fmt(loaded.rows / loaded.seconds)}/s)`);
    }
    const size = (await ctx.db.query<{ s: number }>(`select pg_total_relation_size('m_victimas')::bigint as s`))[0].s;
    const total = (await ctx.db.query<{ n: number }>(`select count(*)::int as n from m_victimas`))[0].n;
    const inYear = (await ctx.db.query<{ n: number }>(`select count(*)::int as n from m_victimas where fecha_principal >= '${ANIO}-01-01' and fecha_principal < '${ANIO + 1}-01-01'`))[0].n;
    console.log(`  ${fmt(total)} registros; tabla e índices ${fmt(size / MB)} MB; ${fmt(inYear)} registros en ${ANIO}`);

    await closeContext(ctx);
    const { lines, xlsxMs, xlsxBytes, rss } = await measureInServer(env);
    console.log(`\n  tabla        partes   API (ms)   SQL directo (ms)   API/SQL   publicada (ms)`);
    for (const l of lines)
      console.log(`  ${l.table.padEnd(11)} ${String(l.parts).padStart(6)} ${fmt(l.apiMs, 1).padStart(10)} ${fmt(l.sqlMs, 1).padStart(18)} ${fmt(l.apiMs / l.sqlMs, 2).padStart(9)} ${fmt(l.pubMs, 1).padStart(16)}`);
    const sa = lines.reduce((s, l) => s + l.apiMs, 0);
    const ss = lines.reduce((s, l) => s + l.sqlMs, 0);
    const sp = lines.reduce((s, l) => s + l.pubMs, 0);
    console.log(`  ${'TOTAL'.padEnd(11)} ${String(lines.reduce((s, l) => s + l.parts, 0)).padStart(6)} ${fmt(sa, 1).padStart(10)} ${fmt(ss, 1).padStart(18)} ${fmt(sa / ss, 2).padStart(9)} ${fmt(sp, 1).padStart(16)}`);
    console.log(`  («publicada»: la misma tabla con publicacion=1, solo registros validados y con supresión de celdas pequeñas y complementaria)`);
    console.log(`  (medianas de ${RUNS} corridas alternas API/SQL en el mismo proceso, tras una de calentamiento; año ${ANIO}, condicion=VICTIMA; OFENDIDOS con su propia condición)`);
    console.log(`  XLSX de todos los tabulados de ${ANIO} (víctimas y posibles víctimas): ${xlsxMs.map((x) => `${fmt(x / 1000, 2)} s`).join(', ')}; ${fmt(xlsxBytes / 1024)} KB`);
    console.log(`  memoria pico del proceso servidor (VmHWM, incluye ${kind === 'pglite' ? 'la base PGlite que corre dentro de él' : 'solo la aplicación'}): ${fmt(rss / MB)} MB`);
  } finally {
    await cleanup();
  }
}

if (process.argv.includes('--serve')) await serve();
else {
  console.log(`Estadísticas: ${REUSE ? 'datos conservados' : `${fmt(N)} víctimas`}, año ${ANIO}, ${RUNS} corridas, motores: ${DBS.join(', ')} (${os.cpus().length} núcleos)`);
  for (const d of DBS) await bench(d);
}
