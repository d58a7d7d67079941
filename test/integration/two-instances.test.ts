// Two SINTRA instances on one PostgreSQL database behave as one: they start together (migrations and the
// first administrator once), and a session, a lockout, a rate limit and a stale edit made through one are
// seen by the other. Then the real server process (src/server/server.ts) shuts down gracefully: no new
// connections, the request in flight finishes, exit 0 — or exit 1 when it outlives the deadline.
// PostgreSQL only (one PGlite database belongs to one process): it runs when TEST_DATABASE_URL is set, and
// fails — never skips — when that server does not answer.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { buildApp } from '../../src/server/app.js';
import { EXPORTS } from '../../src/server/auth/ratelimit.js';
import { closeContext, createContext, ensureAdmin } from '../../src/server/bootstrap.js';
import { loadConfig } from '../../src/server/config.js';
import type { Ctx } from '../../src/server/context.js';
import { withAdvisoryLock } from '../../src/server/ops/locks.js';
import { expectedMigrations } from '../../src/server/ops/migrations.js';
import { ADMIN_PASSWORD, client, createUser, login } from '../helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BASE = process.env.TEST_DATABASE_URL;
const quiet = { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } as unknown as Console;

async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sintra_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(BASE!);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: BASE });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

interface Instance {
  ctx: Ctx;
  app: FastifyInstance;
}

/** One instance: its own context (pools) and app, as a separate process would have. */
async function instance(url: string): Promise<Instance> {
  const config = loadConfig({ DATABASE_URL: url, SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent' });
  const ctx = await createContext(config, { log: quiet });
  await withAdvisoryLock(ctx.db, 'sintra:admin', () => ensureAdmin(ctx.db, config));
  return { ctx, app: await buildApp(ctx) };
}

async function signIn(app: FastifyInstance, username: string, password = ADMIN_PASSWORD) {
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const c = r.cookies.find((x) => x.name === 'sintra_sesion');
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null, cookie: c ? `sintra_sesion=${c.value}` : '' };
}

describe.runIf(BASE)('two instances on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let A: Instance;
  let B: Instance;

  beforeAll(async () => {
    db = await createDatabase();
    // Both start at once on an empty database: migrations, seed and the first administrator happen once.
    [A, B] = await Promise.all([instance(db.url), instance(db.url)]);
  });
  afterAll(async () => {
    for (const i of [A, B]) {
      await i?.app.close();
      if (i) await closeContext(i.ctx);
    }
    await db?.drop();
  });

  it('started together: every migration applied once, one first administrator', async () => {
    const rows = await A.ctx.db.query<{ n: number; d: number }>('select count(*)::int as n, count(distinct created_at)::int as d from drizzle.__drizzle_migrations');
    expect(rows[0]).toEqual({ n: expectedMigrations().length, d: expectedMigrations().length });
    expect((await A.ctx.db.query<{ n: number }>("select count(*)::int as n from app_user where username = 'admin'"))[0].n).toBe(1);
    for (const i of [A, B]) expect((await i.app.inject({ method: 'GET', url: '/api/v1/health/ready' })).statusCode).toBe(200);
  });

  it('a session opened on one instance works on the other, and a logout on the other ends it', async () => {
    await createUser(A.ctx, { username: 'enlace.sesion', role: 'enlace', institucion_id: 'INM' });
    const s = await signIn(A.app, 'enlace.sesion');
    expect(s.status).toBe(200);
    const meB = await B.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(meB.statusCode).toBe(200);
    expect(meB.json().user).toMatchObject({ username: 'enlace.sesion', institucion_id: 'INM' });
    expect((await B.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie }, payload: {} })).statusCode).toBe(204);
    expect((await A.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('failed sign-ins on both instances add up to one lockout that both enforce', async () => {
    await createUser(A.ctx, { username: 'enlace.bloqueo', role: 'enlace', institucion_id: 'INM' });
    const failures = async () => (await A.ctx.db.query<{ n: number }>("select failed_logins as n from app_user where username = 'enlace.bloqueo'"))[0].n;
    let attempts = 0;
    let locked = false;
    while (!locked && attempts < 60) {
      const inst = attempts % 2 === 0 ? A : B; // alternate: neither instance sees every attempt
      const r = await signIn(inst.app, 'enlace.bloqueo', `Equivocada-${attempts}-xxxxxx`);
      attempts++;
      if (r.status === 429) locked = true;
      else {
        expect(r.status).toBe(401);
        // One counter in the database, fed by both instances.
        expect(await failures()).toBe(attempts);
      }
    }
    expect(locked).toBe(true);
    // The threshold was reached with attempts split between the instances (each saw about half).
    expect(attempts).toBeGreaterThan(2);
    // The right password is refused by both while the lock lasts.
    for (const i of [A, B]) {
      const r = await signIn(i.app, 'enlace.bloqueo');
      expect(r.status).toBe(429);
      expect(r.body.detail).toMatch(/bloqueada/);
    }
    const row = (await A.ctx.db.query<{ locked: boolean }>("select locked_until > now() as locked from app_user where username = 'enlace.bloqueo'"))[0];
    expect(row.locked).toBe(true);
  });

  it('the export rate limit is one counter for all instances', async () => {
    await createUser(A.ctx, { username: 'enlace.export', role: 'enlace', institucion_id: 'INM' });
    const cookie = (await signIn(A.app, 'enlace.export')).cookie;
    // The counters use fixed windows: keep clear of a window's last seconds so the run stays inside one.
    const into = (Date.now() / 1000) % EXPORTS.windowSec;
    if (into > EXPORTS.windowSec - 30) await new Promise((r) => setTimeout(r, (EXPORTS.windowSec - into + 1) * 1000));
    const statuses: number[] = [];
    for (let i = 0; i <= EXPORTS.max; i++) {
      const inst = i % 2 === 0 ? A : B; // each instance sees about half
      const r = await inst.app.inject({ method: 'GET', url: '/api/v1/stats/capacitacion?rows=tipo_evento&format=csv', headers: { cookie } });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, EXPORTS.max)).toEqual(Array(EXPORTS.max).fill(200));
    expect(statuses[EXPORTS.max]).toBe(429);
  });

  it('an institution added through one instance is known at once to the other (catalogs in step)', async () => {
    const admin = client(A.app, await login(A.app));
    const created = await admin.post('/api/v1/institutions', { nombre: 'Comisión Interinstitucional de prueba de Colima', siglas: 'CIPCOL', ambito: 'ESTATAL', entidad: '06' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const codigo = created.body.codigo as string;
    // B learns of it through LISTEN/NOTIFY: wait for the notification, not for a restart.
    let listed = false;
    for (let i = 0; i < 50 && !listed; i++) {
      listed = B.ctx.catalogs.item('institucion', codigo) !== undefined;
      if (!listed) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toBe(true);
    // A liaison of the new institution registers through B: the validator on B accepts the institution.
    await createUser(A.ctx, { username: 'enlace.colima', role: 'enlace', institucion_id: codigo });
    const onB = client(B.app, (await signIn(B.app, 'enlace.colima')).cookie);
    const { ambito: _sent, ...body } = structuredClone(getModule('capacitacion')!.example) as Record<string, unknown>;
    const r = await onB.post('/api/v1/modules/capacitacion/records', body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ institucion_id: codigo, ambito: 'ESTATAL' });
  });

  it('a stale edit through one instance gets 409 after a save through the other', async () => {
    await createUser(A.ctx, { username: 'enlace.edita', role: 'enlace', institucion_id: 'INM' });
    const onA = client(A.app, (await signIn(A.app, 'enlace.edita')).cookie);
    const onB = client(B.app, (await signIn(B.app, 'enlace.edita')).cookie);
    const body = structuredClone(getModule('capacitacion')!.example) as Record<string, unknown>;
    const created = await onA.post('/api/v1/modules/capacitacion/records', body);
    expect(created.status).toBe(201);
    const seenByB = await onB.get(`/api/v1/modules/capacitacion/records/${created.body.id}`);
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.version).toBe(1);
    const saved = await onA.put(`/api/v1/modules/capacitacion/records/${created.body.id}`, { ...created.body, duracion_horas: 24 });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    const stale = await onB.put(`/api/v1/modules/capacitacion/records/${created.body.id}`, { ...seenByB.body, duracion_horas: 30 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('conflict');
    expect(stale.body.current).toMatchObject({ version: 2, duracion_horas: 24 });
    const now = await onB.get(`/api/v1/modules/capacitacion/records/${created.body.id}`);
    expect(now.body).toMatchObject({ version: 2, duracion_horas: 24 });
  });
});

// ---------------------------------------------------------------- the server process itself

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

/** One HTTP request on its own connection (no keep-alive pool), so "refused" means no new connections. */
function request(port: number, method: string, urlPath: string, opts: { cookie?: string; body?: unknown } = {}) {
  return new Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: false,
        headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}) },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

interface Server {
  child: ChildProcess;
  port: number;
  out: () => string;
  exited: Promise<number | null>;
}

async function startServer(url: string, env: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', SINTRA_LOAD_SESNSP: '0', SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 90_000;
  while (!out.includes('SINTRA listo')) {
    if (child.exitCode !== null) throw new Error(`el servidor terminó al iniciar (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`el servidor no inició en 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, out: () => out, exited };
}

/** Holds the row lock of a user's sessions, so that the user's next request waits inside the database. */
async function holdSessions(url: string, username: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('begin');
  const r = await c.query("select s.token_hash from session s join app_user u on u.id = s.user_id where u.username = $1 for update of s", [username]);
  expect(r.rowCount).toBeGreaterThan(0);
  return c;
}

async function waitForLockWait(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const r = await c.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'sintra' and wait_event_type = 'Lock'");
      if (r.rows[0].n > 0) return;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error('la solicitud nunca quedó esperando el bloqueo');
  } finally {
    await c.end();
  }
}

describe.runIf(BASE)('graceful shutdown of the server process (postgresql)', () => {
  let db: Awaited<ReturnType<typeof createDatabase>>;
  let pool: pg.Pool;
  let graceful: Server;
  let deadline: Server;

  beforeAll(async () => {
    db = await createDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    // Two server processes start at once on the empty database (each migrates under the advisory lock).
    [graceful, deadline] = await Promise.all([startServer(db.url), startServer(db.url, { SINTRA_SHUTDOWN_TIMEOUT_MS: '1500' })]);
  });
  afterAll(async () => {
    for (const s of [graceful, deadline]) if (s && s.child.exitCode === null) s.child.kill('SIGKILL');
    await pool?.end();
    await db?.drop();
  });

  async function signedIn(s: Server, username: string) {
    await createUser({ db: { query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows } } as unknown as Ctx, { username, role: 'enlace', institucion_id: 'INM' });
    const r = await request(s.port, 'POST', '/api/v1/auth/login', { body: { username, password: ADMIN_PASSWORD } });
    expect(r.status).toBe(200);
    return String(r.headers['set-cookie']).split(';')[0];
  }

  it('on SIGTERM it refuses new connections, finishes the request in flight, closes and exits 0', async () => {
    const s = graceful;
    const cookie = await signedIn(s, 'enlace.apagado');
    const locker = await holdSessions(db.url, 'enlace.apagado');
    const inFlight = request(s.port, 'GET', '/api/v1/auth/me', { cookie });
    await waitForLockWait(db.url);

    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(s.child.exitCode).toBeNull(); // still serving the request in flight
    await expect(request(s.port, 'GET', '/api/v1/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await locker.query('commit');
    await locker.end();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).user.username).toBe('enlace.apagado');
    expect(await s.exited).toBe(0);
    expect(s.out()).toContain('apagado ordenado');
    expect(s.out()).toContain('apagado completo');
  });

  it('a request that outlives SINTRA_SHUTDOWN_TIMEOUT_MS does not keep the process alive: exit 1 at the deadline', async () => {
    const s = deadline;
    const cookie = await signedIn(s, 'enlace.colgado');
    const locker = await holdSessions(db.url, 'enlace.colgado');
    try {
      const hung = request(s.port, 'GET', '/api/v1/auth/me', { cookie }).catch((e: Error) => e);
      await waitForLockWait(db.url);
      const t0 = Date.now();
      s.child.kill('SIGTERM');
      expect(await s.exited).toBe(1);
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(1400);
      expect(took).toBeLessThan(10_000);
      expect(s.out()).toContain('se agotó el tiempo de espera');
      await hung;
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
    }
  });
});
