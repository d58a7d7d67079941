// Production operations: readiness (database reachable, migrations current), Prometheus metrics behind a
// token, structured logs without secrets or sensitive victim values, the read replica for statistics, the
// documented least-privilege roles, and SINTRA_MIGRATE_AT_START=0. Runs on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL; the parts that need a PostgreSQL server run only there.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { closeContext, createContext, ensureAdmin } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import type { Ctx } from '../../src/server/context.js';
import { getModule } from '../../src/modules/index.js';
import { expectedMigrations } from '../../src/server/ops/migrations.js';
import { ADMIN_PASSWORD, client, createUser, dbKinds, login, setup, type TestEnv } from '../helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = crypto.randomBytes(24).toString('hex');
const PG_URL = process.env.TEST_DATABASE_URL;
const quiet = { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } as unknown as Console;

/** The value of one series in Prometheus text (labels: every given one must match), 0 when absent. */
function metric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

const ex = (key: string) => structuredClone(getModule(key)!.example) as Record<string, unknown>;

describe.each(dbKinds())('operaciones (%s)', (kind) => {
  let env: TestEnv;
  let enlace: ReturnType<typeof client>;
  let enlaceCookie: string;

  beforeAll(async () => {
    env = await setup(kind, { SINTRA_METRICS_TOKEN: TOKEN, SINTRA_DB_POOL_MAX: '7' });
    await createUser(env.ctx, { username: 'enlace.ops', role: 'enlace', institucion_id: 'INM' });
    enlaceCookie = await login(env.app, 'enlace.ops');
    enlace = client(env.app, enlaceCookie);
  });
  afterAll(async () => {
    await env?.close();
  });

  const scrape = async (auth = `Bearer ${TOKEN}`) => env.app.inject({ method: 'GET', url: '/metrics', headers: auth ? { authorization: auth } : {} });

  describe('readiness', () => {
    it('is ready: database reachable, every migration of the journal applied', async () => {
      const r = await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(r.statusCode).toBe(200);
      const journal = JSON.parse(fs.readFileSync(path.join(ROOT, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
      expect(r.json()).toMatchObject({
        status: 'ready',
        database: kind,
        checks: { database: 'ok', readDatabase: 'no_configurada', migrations: { expected: journal.entries.length, applied: journal.entries.length, pending: [], modified: [], unknown: 0 } },
      });
      // Liveness keeps its contract shape.
      const live = await env.app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toMatchObject({ status: 'ok', database: kind });
    });

    it('is not ready while a migration is missing, and names it; ready again once applied', async () => {
      const last = expectedMigrations().at(-1)!;
      const row = (await env.ctx.db.query<{ id: number; hash: string; created_at: string }>('select id, hash, created_at from drizzle.__drizzle_migrations where created_at = $1', [last.when]))[0];
      expect(row.hash).toBe(last.hash);
      await env.ctx.db.query('delete from drizzle.__drizzle_migrations where id = $1', [row.id]);
      try {
        const r = await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
        expect(r.statusCode).toBe(503);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        const b = r.json();
        expect(b.code).toBe('not_ready');
        expect(b.detail).toContain(`migraciones pendientes: ${last.tag}`);
        expect(b.checks.migrations.pending).toEqual([last.tag]);
        // Liveness is not readiness: the process is alive.
        expect((await env.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
      } finally {
        await env.ctx.db.query('insert into drizzle.__drizzle_migrations (id, hash, created_at) values ($1, $2, $3)', [row.id, row.hash, row.created_at]);
      }
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    });

    it('is not ready when an applied migration was edited afterwards', async () => {
      const first = expectedMigrations()[0];
      await env.ctx.db.query("update drizzle.__drizzle_migrations set hash = 'x' || hash where created_at = $1", [first.when]);
      try {
        const r = await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
        expect(r.statusCode).toBe(503);
        expect(r.json().checks.migrations.modified).toEqual([first.tag]);
        expect(r.json().detail).toContain('modificadas');
      } finally {
        await env.ctx.db.query('update drizzle.__drizzle_migrations set hash = substr(hash, 2) where created_at = $1', [first.when]);
      }
      expect((await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
    });

    it('a migration the version does not know (a newer release migrated first) is reported, not fatal', async () => {
      await env.ctx.db.query("insert into drizzle.__drizzle_migrations (hash, created_at) values ('futuro', 9999999999999)");
      try {
        const r = await env.app.inject({ method: 'GET', url: '/api/v1/health/ready' });
        expect(r.statusCode).toBe(200);
        expect(r.json().checks.migrations.unknown).toBe(1);
      } finally {
        await env.ctx.db.query('delete from drizzle.__drizzle_migrations where created_at = 9999999999999');
      }
    });
  });

  describe('metrics', () => {
    it('needs the token: 401 without it or with a wrong one, never the figures', async () => {
      for (const auth of ['', 'Bearer ', `Bearer ${TOKEN.slice(0, -1)}x`, `Basic ${TOKEN}`, TOKEN]) {
        const r = await scrape(auth);
        expect(r.statusCode, auth).toBe(401);
        expect(r.body).not.toContain('sintra_http_requests_total');
        expect(r.headers['www-authenticate']).toMatch(/^Bearer/);
      }
      const ok = await scrape();
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    });

    it('is off (404, not the web page) when SINTRA_METRICS_TOKEN is not set', async () => {
      const ctx: Ctx = { ...env.ctx, config: { ...env.ctx.config, SINTRA_METRICS_TOKEN: undefined } };
      const app = await buildApp(ctx);
      try {
        const r = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
        expect(r.statusCode).toBe(404);
        expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      } finally {
        await app.close();
      }
    });

    it('counts requests and errors by route pattern, with a latency histogram', async () => {
      const created = await enlace.post('/api/v1/modules/capacitacion/records', ex('capacitacion'));
      expect(created.status).toBe(201);
      const route = '/api/v1/modules/:module/records/:id';
      const before = (await scrape()).body;
      for (let i = 0; i < 3; i++) expect((await enlace.get(`/api/v1/modules/capacitacion/records/${created.body.id}`)).status).toBe(200);
      expect((await enlace.get(`/api/v1/modules/capacitacion/records/${crypto.randomUUID()}`)).status).toBe(404);
      expect((await enlace.get('/api/v1/no-existe')).status).toBe(404);
      const after = (await scrape()).body;
      const d = (name: string, labels: Record<string, string>) => metric(after, name, labels) - metric(before, name, labels);
      expect(d('sintra_http_requests_total', { method: 'GET', route, status: '200' })).toBe(3);
      expect(d('sintra_http_requests_total', { method: 'GET', route, status: '404' })).toBe(1);
      expect(d('sintra_http_request_errors_total', { method: 'GET', route, kind: 'client' })).toBe(1);
      expect(d('sintra_http_request_errors_total', { method: 'GET', route, kind: 'server' })).toBe(0);
      expect(d('sintra_http_request_duration_seconds_count', { method: 'GET', route })).toBe(4);
      expect(d('sintra_http_request_duration_seconds_bucket', { method: 'GET', route, le: '+Inf' })).toBe(4);
      expect(d('sintra_http_request_duration_seconds_sum', { method: 'GET', route })).toBeGreaterThan(0);
      // An unknown URL is one label value, not one per URL.
      expect(d('sintra_http_requests_total', { route: 'sin_ruta', status: '404' })).toBe(1);
      expect(after).not.toContain('/api/v1/no-existe');
      expect(after).not.toContain(created.body.id);
      // The scrape itself is the only request in flight while it runs.
      expect(metric(after, 'sintra_http_requests_in_flight')).toBe(1);
      expect(metric(after, 'sintra_info', { version: env.ctx.version, database: kind })).toBe(1);
      expect(metric(after, 'sintra_process_resident_memory_bytes')).toBeGreaterThan(10_000_000);
    });

    it('times the statistics queries by module', async () => {
      const labels = { source: 'capacitacion', outcome: 'ok' };
      const before = metric((await scrape()).body, 'sintra_stats_query_duration_seconds_count', labels);
      const s = await enlace.get('/api/v1/stats/capacitacion?rows=tipo_evento');
      expect(s.status).toBe(200);
      const after = (await scrape()).body;
      expect(metric(after, 'sintra_stats_query_duration_seconds_count', labels)).toBeGreaterThan(before);
      expect(metric(after, 'sintra_stats_query_duration_seconds_sum', labels)).toBeGreaterThan(0);
    });

    it.runIf(kind === 'postgresql')('shows the use of the connection pool', async () => {
      const text = (await scrape()).body;
      expect(metric(text, 'sintra_db_pool_connections', { pool: 'primary', state: 'max' })).toBe(7);
      const total = metric(text, 'sintra_db_pool_connections', { pool: 'primary', state: 'total' });
      expect(total).toBeGreaterThanOrEqual(1);
      expect(total).toBeLessThanOrEqual(7);
      expect(metric(text, 'sintra_db_pool_connections', { pool: 'primary', state: 'idle' }) + metric(text, 'sintra_db_pool_connections', { pool: 'primary', state: 'in_use' })).toBe(total);
      expect(text).not.toContain('pool="read"');
    });
  });

  describe('logs', () => {
    it('are JSON lines with request ids, without passwords, cookies, tokens or sensitive victim values', async () => {
      const lines: string[] = [];
      const stream = new Writable({
        write(chunk, _enc, cb) {
          lines.push(...String(chunk).split('\n').filter(Boolean));
          cb();
        },
      });
      const ctx: Ctx = { ...env.ctx, config: { ...env.ctx.config, LOG_LEVEL: 'info' } };
      const app = await buildApp(ctx, { logger: true, logStream: stream });
      try {
        const wrong = 'Clave-Equivocada-987654';
        const bad = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enlace.ops', password: wrong } });
        expect(bad.statusCode).toBe(401);
        const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'enlace.ops', password: ADMIN_PASSWORD } });
        expect(ok.statusCode).toBe(200);
        const token = ok.cookies.find((c) => c.name === 'sintra_sesion')!.value;
        const cookie = `sintra_sesion=${token}`;

        const folio = `PSD-${crypto.randomBytes(4).toString('hex').toUpperCase()}`;
        const victim = { ...ex('victimas'), folio_persona: folio };
        const created = await app.inject({ method: 'POST', url: '/api/v1/modules/victimas/records', headers: { cookie }, payload: victim });
        expect(created.statusCode, created.body).toBe(201);
        const rid = 'req-prueba-0001-ops';
        const list = await app.inject({ method: 'GET', url: `/api/v1/modules/victimas/records?q=${folio}&f.nacionalidad=MEX&limit=5`, headers: { cookie, 'x-request-id': rid } });
        expect(list.statusCode).toBe(200);
        expect(list.headers['x-request-id']).toBe(rid);
        // A malformed id from outside is not trusted: a fresh one is made.
        const odd = await app.inject({ method: 'GET', url: '/api/v1/health', headers: { 'x-request-id': 'a b\n{"x":1}' } });
        expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

        const text = lines.join('\n');
        const parsed = lines.map((l) => JSON.parse(l) as Record<string, any>);
        const requestLines = parsed.filter((p) => p.req || p.res);
        expect(requestLines.length).toBeGreaterThanOrEqual(8);
        for (const p of requestLines) expect(typeof p.reqId).toBe('string');
        const mine = parsed.filter((p) => p.reqId === rid);
        expect(mine.map((p) => p.msg)).toEqual(['incoming request', 'request completed']);
        expect(mine[0].req.url).toBe('/api/v1/modules/victimas/records?q=%5Boculto%5D&f.nacionalidad=%5Boculto%5D&limit=5');
        expect(mine[1].res.statusCode).toBe(200);
        expect(typeof mine[1].responseTime).toBe('number');
        const createdLine = parsed.find((p) => p.reqId === created.headers['x-request-id'] && p.req);
        expect(createdLine?.req.route).toBe('/api/v1/modules/:module/records');

        for (const secret of [ADMIN_PASSWORD, wrong, token, folio, TOKEN, 'CAS-2024-0001', 'VICTIMA', 'E18_24', 'MUJER_CIS', 'EXPLOTACION_SEXUAL', 'MEX']) expect(text, secret).not.toContain(secret);
        expect(text).not.toMatch(/"(body|payload|cookie|authorization|set-cookie)"/i);
      } finally {
        await app.close();
      }
    });
  });
});

// ---------------------------------------------------------------- PostgreSQL only
const PG_ONLY = dbKinds().includes('postgresql');

describe.runIf(PG_ONLY)('read replica (postgresql)', () => {
  let primary: TestEnv;
  let replica: TestEnv;
  let ctx: Ctx;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    primary = await setup('postgresql');
    replica = await setup('postgresql');
    const config = loadConfig({
      SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
      DATABASE_URL: primary.ctx.config.DATABASE_URL!,
      DATABASE_READ_URL: replica.ctx.config.DATABASE_URL!,
      SINTRA_METRICS_TOKEN: TOKEN,
    });
    ctx = await createContext(config, { log: quiet });
    app = await buildApp(ctx);
    await createUser(ctx, { username: 'enlace.replica', role: 'enlace', institucion_id: 'INM' });
  });
  afterAll(async () => {
    await app?.close();
    if (ctx) await closeContext(ctx);
    await primary?.close();
    await replica?.close();
  });

  it('statistics and exports read from DATABASE_READ_URL, records from the primary', async () => {
    const c = client(app, await login(app, 'enlace.replica'));
    const r = await c.post('/api/v1/modules/capacitacion/records', ex('capacitacion'));
    expect(r.status).toBe(201);
    // Counted records are sent or validated ones.
    await ctx.db.query("update m_capacitacion set estatus = 'validado' where id = $1", [r.body.id]);
    expect((await c.get(`/api/v1/modules/capacitacion/records/${r.body.id}`)).status).toBe(200);

    const before = await c.get('/api/v1/stats/capacitacion?rows=tipo_evento');
    expect(before.status).toBe(200);
    expect(before.body.total).toBe(0); // the "replica" has not received it
    const exportLines = async () => {
      const e = await c.get('/api/v1/modules/capacitacion/export?format=csv');
      expect(e.status).toBe(200);
      return String(e.raw.body).split(/\r?\n/).filter((l) => l.includes(r.body.folio_sintra)).length;
    };
    expect(await exportLines()).toBe(0);

    // Replicate the row by hand, as streaming replication would.
    const row = (await ctx.db.query<{ j: unknown }>('select row_to_json(r) as j from m_capacitacion r where id = $1', [r.body.id]))[0].j;
    await replica.ctx.db.query('insert into m_capacitacion select * from json_populate_record(null::m_capacitacion, $1::json)', [JSON.stringify(row)]);
    const after = await c.get('/api/v1/stats/capacitacion?rows=tipo_evento');
    expect(after.body.total).toBe(1);
    expect(after.body.rowTotals).toEqual({ TALLER: 1 });
    expect(await exportLines()).toBe(1);

    const names = await replica.ctx.db.query<{ application_name: string }>('select distinct application_name from pg_stat_activity where datname = current_database()');
    expect(names.map((n) => n.application_name)).toContain('sintra-lectura');
  });

  it('readiness checks the replica too, and metrics show its pool', async () => {
    const r = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
    expect(r.statusCode).toBe(200);
    expect(r.json().checks).toMatchObject({ database: 'ok', readDatabase: 'ok', replicaLagSeconds: null });
    const m = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(metric(m.body, 'sintra_db_pool_connections', { pool: 'read', state: 'max' })).toBe(10);
    expect(metric(m.body, 'sintra_info', { read_replica: 'si' })).toBe(1);
  });
});

describe.runIf(PG_ONLY)('TLS to the database (postgresql)', () => {
  const withMode = (mode: string) => {
    const u = new URL(PG_URL!);
    u.searchParams.set('sslmode', mode);
    return loadConfig({ DATABASE_URL: u.toString(), LOG_LEVEL: 'silent' });
  };

  it('sslmode=require gets an encrypted connection, or fails when the server offers no TLS (never plain text)', async () => {
    const probe = new pg.Client({ connectionString: PG_URL });
    await probe.connect();
    const serverSsl = (await probe.query<{ ssl: string }>('show ssl')).rows[0].ssl === 'on';
    await probe.end();
    const attempt = createContext(withMode('require'), { log: quiet });
    if (!serverSsl) {
      await expect(attempt).rejects.toThrow(/does not support SSL/);
      return;
    }
    const ctx = await attempt;
    try {
      const r = await ctx.db.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
      expect(r[0].ssl).toBe(true);
    } finally {
      await closeContext(ctx);
    }
  });

  it('sslmode=disable connects in plain text', async () => {
    const ctx = await createContext(withMode('disable'), { log: quiet });
    try {
      expect((await ctx.db.query<{ ssl: boolean }>('select ssl from pg_stat_ssl where pid = pg_backend_pid()'))[0].ssl).toBe(false);
    } finally {
      await closeContext(ctx);
    }
  });
});

describe.runIf(PG_ONLY)('least-privilege roles of docs/sql (postgresql)', () => {
  const sfx = crypto.randomBytes(4).toString('hex');
  const names = { db: `sintra_lp_${sfx}`, owner: `sintra_owner_${sfx}`, web: `sintra_web_${sfx}` };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-roles-'));
  let ownerUrl = '';
  let webUrl = '';
  let ctx: Ctx | undefined;

  /** The documented script with this run's names (roles are cluster-wide; the CI server is shared). */
  function script(file: string): string {
    const sql = fs
      .readFileSync(path.join(ROOT, 'docs/sql', file), 'utf8')
      .replace(/\bsintra_owner\b/g, names.owner)
      .replace(/\bsintra_web\b/g, names.web)
      .replace(/\bsintra\b(?!_)/g, names.db);
    const p = path.join(tmp, file);
    fs.writeFileSync(p, sql);
    return p;
  }
  function psql(file: string, db?: string) {
    const u = new URL(PG_URL!);
    if (db) u.pathname = `/${db}`;
    execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', u.toString(), '-f', file], { stdio: 'pipe' });
  }
  function urlAs(user: string, password: string) {
    const u = new URL(PG_URL!);
    u.username = user;
    u.password = password;
    u.pathname = `/${names.db}`;
    return u.toString();
  }
  const webConfig = () => loadConfig({ DATABASE_URL: webUrl, SINTRA_MIGRATE_AT_START: '0', SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent' });

  beforeAll(() => {
    psql(script('01-roles.sql'));
    ownerUrl = urlAs(names.owner, 'cambie-esta-clave-owner');
    webUrl = urlAs(names.web, 'cambie-esta-clave-web');
  });
  afterAll(async () => {
    if (ctx) await closeContext(ctx);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop database if exists ${names.db} with (force)`);
    await c.query(`drop role if exists ${names.web}`);
    await c.query(`drop role if exists ${names.owner}`);
    await c.end();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('with SINTRA_MIGRATE_AT_START=0 the app refuses a schema that is not current, naming the migrations', async () => {
    const tags = expectedMigrations().map((m) => m.tag);
    await expect(createContext(webConfig(), { log: quiet })).rejects.toThrow(`migraciones pendientes: ${tags.join(', ')}`);
  });

  it('the owner migrates; the app, as sintra_web, signs in, saves, reads and counts', async () => {
    const owner = await createContext(loadConfig({ DATABASE_URL: ownerUrl, SINTRA_MIGRATE_AT_START: '0', LOG_LEVEL: 'silent' }), { log: quiet, migrate: true });
    await closeContext(owner);
    psql(script('02-after-first-migrate.sql'), names.db);

    ctx = await createContext(webConfig(), { log: quiet });
    await ensureAdmin(ctx.db, ctx.config);
    const app = await buildApp(ctx);
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
      await createUser(ctx, { username: 'enlace.lp', role: 'enlace', institucion_id: 'INM' });
      const c = client(app, await login(app, 'enlace.lp'));
      const r = await c.post('/api/v1/modules/capacitacion/records', ex('capacitacion'));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const u = await c.put(`/api/v1/modules/capacitacion/records/${r.body.id}`, { ...r.body, duracion_horas: 21 });
      expect(u.status, JSON.stringify(u.body)).toBe(200);
      expect(u.body.version).toBe(2);
      expect((await c.get('/api/v1/modules/capacitacion/records')).body.total).toBe(1);
      expect((await c.get('/api/v1/stats/capacitacion?rows=tipo_evento')).status).toBe(200);
      const admin = client(app, await login(app));
      expect((await admin.get('/api/v1/modules/capacitacion/records')).body.total).toBe(1);
    } finally {
      await app.close();
    }
  });

  it('sintra_web cannot change the schema or the audit trail; request transactions are under row-level security', async () => {
    const c = new pg.Client({ connectionString: webUrl });
    await c.connect();
    try {
      const refused = async (sql: string) => {
        const e = await c.query(sql).then(() => null, (err: { code?: string }) => err);
        expect(e?.code, sql).toBe('42501'); // insufficient_privilege
      };
      await refused('create table intrusa (a int)');
      await refused('drop table m_capacitacion');
      await refused('alter table app_user add column x int');
      await refused("update audit_log set action = 'x'");
      await refused('delete from audit_log');
      await refused('truncate audit_log');
      await refused('insert into drizzle.__drizzle_migrations (hash, created_at) values (1, 1)');
      expect((await c.query('select count(*)::int as n from audit_log')).rows[0].n).toBeGreaterThan(0);
      expect((await c.query('select count(*)::int as n from m_capacitacion')).rows[0].n).toBe(1);
      // The role of request transactions sees nothing without a scope, and its institution's rows with one.
      await c.query('begin');
      await c.query('set local role sintra_app');
      expect((await c.query('select count(*)::int as n from m_capacitacion')).rows[0].n).toBe(0);
      await c.query("select set_config('sintra.scope', 'institucional', true), set_config('sintra.institution', 'INM', true)");
      expect((await c.query('select count(*)::int as n from m_capacitacion')).rows[0].n).toBe(1);
      await c.query("select set_config('sintra.institution', 'SEGOB', true)");
      expect((await c.query('select count(*)::int as n from m_capacitacion')).rows[0].n).toBe(0);
      await c.query('rollback');
      const attrs = (await c.query('select rolsuper, rolbypassrls, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user')).rows[0];
      expect(attrs).toEqual({ rolsuper: false, rolbypassrls: true, rolcreatedb: false, rolcreaterole: false });
    } finally {
      await c.end();
    }
  });
});
