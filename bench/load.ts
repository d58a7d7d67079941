// `npm run bench:load`: one SINTRA instance on PostgreSQL under realistic traffic, beside a raw baseline.
//
// A fresh database; the real server as a child process (src/server/server.ts, JSON logs on, metrics on);
// institutions and users of different institutions; a seeded year of records. autocannon then drives it:
// each connection loops over 10 requests as one user (a different user every loop): 7 reads (record
// lists, filtered and searched, and statistics) and 3 writes (a create and two updates carrying the
// record's version). In the same run, the baseline: plain `pg` single-row INSERTs of the same row shape
// into a copy of the module table, at the same concurrency, no HTTP. Prints throughput, p50/p99 latency,
// errors, the ratio to the baseline and the RSS of the server process.
//
// Options: --connections 50 --duration 20 --users 60 --institutions 30 --seed 20000 --keep; BENCH_NODE_ARGS.
// Database server: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { getModule } from '../src/modules/index.js';
import { hashPassword } from '../src/server/auth/password.js';
import { closeContext, createContext } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'Prueba-De-Carga-2026!';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} necesita un número positivo`);
  return v;
}
const CONNECTIONS = arg('connections', 50);
const DURATION = arg('duration', 20);
const USERS = arg('users', 60);
const INSTITUTIONS = arg('institutions', 30);
const SEED = arg('seed', 20000);
const KEEP = process.argv.includes('--keep');

const log = (s: string) => process.stderr.write(`${s}\n`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---------------------------------------------------------------- setup

async function createDatabase(base: string) {
  const name = `sintra_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`create database ${name}`);
  const version = (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0].v;
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    version,
    drop: async () => {
      const d = new pg.Client({ connectionString: base });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

async function startServer(url: string, port: number, metricsToken: string) {
  // BENCH_NODE_ARGS: extra flags for the server's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      SINTRA_LOAD_SESNSP: '0',
      SINTRA_MIGRATE_AT_START: '0',
      SINTRA_ADMIN_PASSWORD: PASSWORD,
      // As in production: request logs on (to a pipe we drain), metrics collected.
      LOG_LEVEL: 'info',
      SINTRA_METRICS_TOKEN: metricsToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let logBytes = 0;
  child.stdout!.on('data', (c: Buffer) => {
    logBytes += c.length;
    if (head.length < 20000) head += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    if (head.length < 20000) head += c.toString();
  });
  const deadline = Date.now() + 120_000;
  while (!head.includes('SINTRA listo')) {
    if (child.exitCode !== null) throw new Error(`el servidor terminó al iniciar:\n${head}`);
    if (Date.now() > deadline) throw new Error(`el servidor no inició en 120 s:\n${head}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, logBytes: () => logBytes };
}

async function seed(db: pg.Pool, institutions: string[]) {
  for (const [i, code] of institutions.entries()) {
    const ent = String((i % 32) + 1).padStart(2, '0');
    await db.query(`insert into institucion (codigo, nombre, siglas, ambito, entidad, obligada_reportar) values ($1, $2, $1, 'ESTATAL', $3, true) on conflict do nothing`, [
      code,
      `Comisión Interinstitucional de prueba ${ent}-${i}`,
      ent,
    ]);
  }
  const hash = await hashPassword(PASSWORD);
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const username = `carga.${String(i).padStart(3, '0')}`;
    users.push(username);
    await db.query(`insert into app_user (username, password_hash, role, institucion_id) values ($1, $2, 'enlace', $3)`, [username, hash, institutions[i % institutions.length]]);
  }
  return users;
}

/** A year of records per module: copies of an API-made record spread over institutions, states, dates, statuses. */
async function multiply(db: pg.Pool, table: string, prefix: string, institutions: string[], n: number, extra = '') {
  await db.query(
    // The function in FROM (LATERAL), not `(f(...)).*` in the select list, which would call it once per column.
    `insert into ${table}
     select p.* from (select * from ${table} limit 1) r, generate_series(1, $2::int) g,
     lateral jsonb_populate_record(null::${table}, to_jsonb(r) || jsonb_build_object(
        'id', gen_random_uuid(),
        'seq', nextval(pg_get_serial_sequence('${table}', 'seq')),
        'folio_sintra', '${prefix}-2024-' || lpad((900000 + g)::text, 6, '0'),
        'institucion_id', ($1::text[])[1 + g % cardinality($1::text[])],
        'estatus', case when g % 4 = 0 then 'enviado' when g % 4 = 1 then 'borrador' else 'validado' end,
        'entidad_federativa', lpad((1 + g % 32)::text, 2, '0'),
        'created_at', now() - make_interval(mins => g),
        'fecha_principal', date '2024-01-01' + (g % 366)
        ${extra}
     )) p`,
    [institutions, n],
  );
}

// ---------------------------------------------------------------- baseline

async function baseline(url: string, concurrency: number, seconds: number) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  await pool.query('create table bench_baseline (like m_capacitacion including all)');
  const template = (await pool.query('select * from m_capacitacion limit 1')).rows[0] as Record<string, unknown>;
  const cols = Object.keys(template);
  const sql = `insert into bench_baseline (${cols.map((c) => `"${c}"`).join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`;
  let n = 0;
  let errors = 0;
  const lat: number[] = [];
  const end = Date.now() + seconds * 1000;
  const t0 = process.hrtime.bigint();
  const worker = async () => {
    while (Date.now() < end) {
      const row: Record<string, unknown> = { ...template, id: crypto.randomUUID(), folio_sintra: `BAS-${process.pid}-${n++}`, seq: n };
      const s = process.hrtime.bigint();
      try {
        await pool.query(sql, cols.map((c) => row[c]));
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  await pool.end();
  lat.sort((a, b) => a - b);
  return { ops: lat.length, perSec: lat.length / elapsed, p50: percentile(lat, 50), p99: percentile(lat, 99), errors };
}

// ---------------------------------------------------------------- load

interface Ctx {
  cookie?: string;
  module?: string;
  record?: Record<string, unknown>;
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const db = await createDatabase(base);
  log(`Base de datos ${new URL(db.url).pathname.slice(1)} (PostgreSQL ${db.version})`);
  // Schema, catalogs, institutions and users before the server starts: it loads the institutions at boot.
  const prep = await createContext(loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }), { migrate: true, log: { ...console, info: () => undefined } as Console });
  await closeContext(prep);
  const pool = new pg.Pool({ connectionString: db.url, max: 4 });
  const institutions = Array.from({ length: INSTITUTIONS }, (_, i) => `CARGA${String(i + 1).padStart(2, '0')}`);
  const users = await seed(pool, institutions);
  log('Esquema, catálogos, instituciones y usuarios listos; iniciando el servidor…');
  const port = await freePort();
  const metricsToken = crypto.randomBytes(24).toString('hex');
  const server = await startServer(db.url, port, metricsToken);
  log(`Servidor listo (PID ${server.child.pid}, puerto ${port}).`);
  const pid = server.child.pid!;
  const origin = `http://127.0.0.1:${port}`;
  try {

    // Sign everyone in (argon2id on purpose slow: before the measured run).
    const cookies: string[] = [];
    for (const u of users) {
      const r = await fetch(`${origin}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: PASSWORD }) });
      if (r.status !== 200) throw new Error(`login ${u}: ${r.status} ${await r.text()}`);
      cookies.push(String(r.headers.get('set-cookie')).split(';')[0]);
    }
    const bodies: Record<string, Record<string, unknown>> = {
      capacitacion: structuredClone(getModule('capacitacion')!.example) as Record<string, unknown>,
      victimas: structuredClone(getModule('victimas')!.example) as Record<string, unknown>,
    };
    // One record per module through the API, then a year's worth by copying it (fast, realistic spread).
    for (const m of Object.keys(bodies)) {
      const r = await fetch(`${origin}/api/v1/modules/${m}/records`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies[0] }, body: JSON.stringify(bodies[m]) });
      if (r.status !== 201) throw new Error(`seed ${m}: ${r.status} ${await r.text()}`);
    }
    log(`${users.length} sesiones abiertas; sembrando registros…`);
    await multiply(pool, 'm_capacitacion', 'CAP', institutions, SEED);
    await multiply(pool, 'm_victimas', 'VIC', institutions, SEED, `, 'folio_persona', 'CARGA-' || g, 'sexo', (array['MUJER','HOMBRE','MUJER','MUJER'])[1 + g % 4]`);
    await pool.query('analyze');
    log(`${INSTITUTIONS} instituciones, ${USERS} usuarios, ${SEED} registros por módulo (capacitación, víctimas)`);

    // Warm up (JIT, plans, pools) outside the measurement.
    for (let i = 0; i < 30; i++) await fetch(`${origin}/api/v1/modules/capacitacion/records?limit=50`, { headers: { cookie: cookies[i % cookies.length] } }).then((r) => r.arrayBuffer());

    // ---- baseline first: the same concurrency, plain pg, no HTTP
    log(`Línea base: INSERT de una fila con pg, ${CONNECTIONS} en paralelo, ${DURATION} s…`);
    const raw = await baseline(db.url, CONNECTIONS, DURATION);

    // ---- HTTP load
    let userTurn = 0;
    let moduleTurn = 0;
    let folioTurn = 0;
    const tally = { reads: 0, writes: 0, readErrors: 0, writeErrors: 0, conflicts: 0 };
    const json = { 'content-type': 'application/json' };
    const read = (pathFor: (c: Ctx) => string) => ({
      method: 'GET',
      setupRequest: (req: Record<string, unknown>, c: Ctx) => (c.cookie ? { ...req, path: pathFor(c), headers: { cookie: c.cookie } } : null),
      onResponse: (status: number) => {
        tally.reads++;
        if (status >= 400) tally.readErrors++;
      },
    });
    const update = (field: (c: Ctx) => Record<string, unknown>) => ({
      method: 'PUT',
      setupRequest: (req: Record<string, unknown>, c: Ctx) =>
        c.record
          ? { ...req, path: `/api/v1/modules/${c.module}/records/${c.record.id}`, headers: { ...json, cookie: c.cookie! }, body: JSON.stringify({ ...c.record, ...field(c) }) }
          : null,
      onResponse: (status: number, body: string, c: Ctx) => {
        tally.writes++;
        if (status === 409) tally.conflicts++;
        if (status >= 400) tally.writeErrors++;
        else c.record = JSON.parse(body);
      },
    });
    const requests = [
      {
        // 1. create (a new user each loop: many users of different institutions)
        method: 'POST',
        setupRequest: (req: Record<string, unknown>, c: Ctx) => {
          c.cookie = cookies[userTurn++ % cookies.length];
          c.module = moduleTurn++ % 2 === 0 ? 'capacitacion' : 'victimas';
          const body = { ...bodies[c.module] };
          if (c.module === 'victimas') body.folio_persona = `CARGA-HTTP-${folioTurn++}`;
          else body.nombre_evento = `Taller de identificación de víctimas, sesión ${folioTurn++}`;
          return { ...req, path: `/api/v1/modules/${c.module}/records`, headers: { ...json, cookie: c.cookie }, body: JSON.stringify(body) };
        },
        onResponse: (status: number, body: string, c: Ctx) => {
          tally.writes++;
          if (status !== 201) tally.writeErrors++;
          else c.record = JSON.parse(body);
        },
      },
      read((c) => `/api/v1/modules/${c.module}/records?limit=50`), // 2. list
      read(() => '/api/v1/stats/capacitacion?rows=entidad_federativa&cols=tipo_evento'), // 3. statistics
      update((c) => (c.module === 'victimas' ? { edad: 24 } : { duracion_horas: 21 })), // 4. update (version 1 → 2)
      read((c) => (c.module === 'victimas' ? '/api/v1/modules/victimas/records?f.sexo=MUJER&limit=50' : '/api/v1/modules/capacitacion/records?f.tipo_evento=TALLER&limit=50')), // 5. filtered list
      read(() => '/api/v1/stats/victimas?rows=sexo&cols=grupo_edad'), // 6. statistics (art. 88)
      update((c) => (c.module === 'victimas' ? { edad: 23 } : { duracion_horas: 22 })), // 7. update (version 2 → 3)
      read(() => '/api/v1/modules/capacitacion/records?q=identificacion&limit=20'), // 8. accent-insensitive search
      read(() => '/api/v1/stats/capacitacion?rows=anio&cols=_medida&sum=participantes_mujeres,participantes_hombres'), // 9. sums by year
      read((c) => `/api/v1/modules/${c.module === 'victimas' ? 'capacitacion' : 'victimas'}/records?limit=20&estatus=validado`), // 10. list
    ];

    const rss: number[] = [rssMb(pid)];
    const sampler = setInterval(() => rss.push(rssMb(pid)), 250);
    log(`Carga HTTP: ${CONNECTIONS} conexiones, ${DURATION} s, 70 % lecturas / 30 % escrituras…`);
    const result = await autocannon({ url: origin, connections: CONNECTIONS, duration: DURATION, requests, timeout: 30 });
    clearInterval(sampler);
    rss.push(rssMb(pid));
    // Where the time went, from the server's own /metrics: mean latency per route, statistics query times.
    const metrics = await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    const series = (name: string) => {
      const out = new Map<string, number>();
      for (const m of metrics.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))) out.set(m[1].replace(/,?ambiente="[^"]*"/, '').replace(/^,/, ''), Number(m[2]));
      return out;
    };
    const means = (base: string) => {
      const sums = series(`${base}_sum`);
      const counts = series(`${base}_count`);
      return [...sums].map(([k, sum]) => ({ key: k, n: counts.get(k) ?? 0, meanMs: (1000 * sum) / Math.max(1, counts.get(k) ?? 0) })).filter((x) => x.n > 0);
    };
    const perRoute = means('sintra_http_request_duration_seconds').sort((a, b) => b.meanMs - a.meanMs);
    const perStats = means('sintra_stats_query_duration_seconds').sort((a, b) => b.meanMs - a.meanMs);

    const rows = (await pool.query<{ n: number }>("select (select count(*) from m_capacitacion where folio_sintra not like '%-9_____')::int + (select count(*) from m_victimas where folio_sintra not like '%-9_____')::int as n")).rows[0].n;
    const httpErrors = result.errors + result.non2xx;
    const out = {
      postgresql: db.version,
      node: process.version,
      cpus: os.cpus().length,
      connections: CONNECTIONS,
      durationSec: DURATION,
      users: USERS,
      institutions: INSTITUTIONS,
      seededRecordsPerModule: SEED,
      http: {
        requests: result.requests.total,
        perSec: Math.round(result.requests.average),
        p50ms: result.latency.p50,
        p99ms: result.latency.p99,
        maxMs: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count])),
        reads: tally.reads,
        writes: tally.writes,
        writeShare: +(tally.writes / Math.max(1, tally.reads + tally.writes)).toFixed(3),
        readErrors: tally.readErrors,
        writeErrors: tally.writeErrors,
        conflicts409: tally.conflicts,
        recordsCreatedViaApi: rows,
      },
      baseline: { inserts: raw.ops, perSec: Math.round(raw.perSec), p50ms: +raw.p50.toFixed(2), p99ms: +raw.p99.toFixed(2), errors: raw.errors },
      ratio: {
        throughputHttpOverBaseline: +(result.requests.average / raw.perSec).toFixed(3),
        p99HttpOverBaseline: +(result.latency.p99 / raw.p99).toFixed(1),
      },
      serverRssMb: { start: Math.round(rss[0]), peak: Math.round(Math.max(...rss)), end: Math.round(rss[rss.length - 1]) },
      serverLogMb: +(server.logBytes() / 1048576).toFixed(1),
      perRoute: perRoute.map((r) => ({ route: r.key, n: r.n, meanMs: Math.round(r.meanMs) })),
    };

    const line = (a: string, b: string) => console.log(`  ${a.padEnd(34)} ${b}`);
    console.log(`\nSINTRA — prueba de carga (PostgreSQL ${db.version}, Node ${process.version}, ${out.cpus} núcleos)`);
    console.log(`${CONNECTIONS} conexiones, ${DURATION} s; ${USERS} usuarios de ${INSTITUTIONS} instituciones; ${SEED} registros sembrados por módulo\n`);
    console.log('HTTP, una instancia (70 % listas y estadísticas, 30 % altas y ediciones)');
    line('solicitudes', `${out.http.requests} (${out.http.perSec}/s)`);
    line('latencia p50 / p99 / máx', `${out.http.p50ms} / ${out.http.p99ms} / ${out.http.maxMs} ms`);
    line('errores (conexión / no-2xx / 409)', `${out.http.errors} / ${out.http.non2xx} / ${out.http.conflicts409}`);
    line('lecturas / escrituras', `${out.http.reads} / ${out.http.writes} (escrituras ${(out.http.writeShare * 100).toFixed(1)} %)`);
    line('registros creados por la API', String(out.http.recordsCreatedViaApi));
    console.log('\nLínea base: pg, INSERT de una fila, sin HTTP, misma concurrencia');
    line('inserciones', `${out.baseline.inserts} (${out.baseline.perSec}/s)`);
    line('latencia p50 / p99', `${out.baseline.p50ms} / ${out.baseline.p99ms} ms`);
    line('errores', String(out.baseline.errors));
    console.log('\nRazón HTTP / línea base');
    line('rendimiento', `${out.ratio.throughputHttpOverBaseline}× (solicitudes/s ÷ inserciones/s)`);
    line('p99', `${out.ratio.p99HttpOverBaseline}×`);
    console.log('\nPor ruta (media, del /metrics del servidor)');
    for (const r of perRoute) line(r.key.replace(/method="(\w+)",route="([^"]*)"/, '$1 $2'), `${r.meanMs.toFixed(0)} ms × ${r.n}`);
    console.log('\nConsultas de estadísticas (pool de lectura)');
    for (const r of perStats) line(r.key, `${r.meanMs.toFixed(1)} ms × ${r.n}`);
    console.log('\nServidor');
    line('RSS inicio / pico / final', `${out.serverRssMb.start} / ${out.serverRssMb.peak} / ${out.serverRssMb.end} MB`);
    line('registro JSON escrito', `${out.serverLogMb} MB`);
    console.log(`\n${JSON.stringify(out)}`);
    if (httpErrors > 0) process.exitCode = 1;
  } finally {
    await pool.end();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    if (KEEP) log(`Base conservada: ${db.url}`);
    else await db.drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
