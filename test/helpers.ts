// Shared test setup: a fresh migrated database per test file, on PGlite and (with
// TEST_DATABASE_URL) on PostgreSQL, and the same app the server runs.
import crypto from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/server/app.js';
import { closeContext, createContext, ensureAdmin } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import type { Ctx } from '../src/server/context.js';
import { hashPassword } from '../src/server/auth/password.js';
import { generate } from 'otplib';

export const ADMIN_PASSWORD = 'Clave-De-Prueba-2026';

export type DbKind = 'pglite' | 'postgresql';

/** The databases this run covers: PGlite always; PostgreSQL when TEST_DATABASE_URL is set (never skipped silently). */
export function dbKinds(): DbKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgresql'] : ['pglite'];
}

const quietLog = { log: () => undefined, info: () => undefined, warn: () => undefined, error: console.error } as unknown as Console;

export interface TestEnv {
  ctx: Ctx;
  app: FastifyInstance;
  close: () => Promise<void>;
}

export async function setup(kind: DbKind, env: Record<string, string> = {}): Promise<TestEnv> {
  let url: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (kind === 'postgresql') {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) throw new Error('TEST_DATABASE_URL no está definida');
    const name = `sintra_test_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig({
    SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SINTRA_DATA_DIR: '/nonexistent-not-used',
    LOG_LEVEL: 'silent',
    ...(url ? { DATABASE_URL: url } : {}),
    ...env,
  });
  const ctx = await createContext(config, { memory: kind === 'pglite', log: quietLog });
  await ensureAdmin(ctx.db, config);
  const app = await buildApp(ctx);
  return {
    ctx,
    app,
    close: async () => {
      await app.close();
      await closeContext(ctx);
      if (dropDb) await dropDb();
    },
  };
}

// Roles that must have a second factor (administrador, validador) sign in with TOTP. The helper enrols such a
// user the first time, as a person would, and keeps the secret per app to compute later codes.
const totpSecrets = new WeakMap<FastifyInstance, Map<string, { secret: string; lastStep: number }>>();
const mfaSessions = new WeakMap<FastifyInstance, Map<string, string>>();

/** A TOTP code the server has not seen for this user: a code serves once, one step of drift is accepted. */
export async function nextTotp(t: { secret: string; lastStep: number }): Promise<string> {
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, t.lastStep + 1);
  if (step > now + 1) await new Promise((res) => setTimeout(res, (step - 1) * 30_000 - Date.now() + 50));
  t.lastStep = step;
  return generate({ secret: t.secret, epoch: step * 30 });
}

/** The TOTP secret the helper enrolled for a user of this app, if any. */
export function totpOf(app: FastifyInstance, username: string) {
  return totpSecrets.get(app)?.get(username);
}

/**
 * Signs in and returns the session cookie. Users with a second factor: the first time it enrols one (setup +
 * confirm); later it sends a fresh TOTP code, and reuses a live session of the same user (a browser keeps
 * its cookie) so that tests are not slowed by the one-code-per-30-seconds rule; `fresh` forces a new session.
 */
export async function login(app: FastifyInstance, username = 'admin', password = ADMIN_PASSWORD, opts: { fresh?: boolean } = {}): Promise<string> {
  const secrets = totpSecrets.get(app) ?? new Map<string, { secret: string; lastStep: number }>();
  totpSecrets.set(app, secrets);
  const live = mfaSessions.get(app) ?? new Map<string, string>();
  mfaSessions.set(app, live);
  const key = `${username}\u0000${password}`;
  const cached = live.get(key);
  if (cached && !opts.fresh) {
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me?peek=1', headers: { cookie: cached } });
    if (me.statusCode === 200 && !JSON.parse(me.body).mfaEnrollmentRequired) return cached;
  }
  const known = secrets.get(username);
  const r = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(known ? { totp: await nextTotp(known) } : {}) } });
  if (r.statusCode !== 200) throw new Error(`login ${username} -> ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === 'sintra_sesion');
  if (!c) throw new Error('sin cookie de sesión');
  const cookie = `sintra_sesion=${c.value}`;
  const body = JSON.parse(r.body) as { mfaEnrollmentRequired?: boolean; mustChangePassword?: boolean };
  if (body.mfaEnrollmentRequired && !body.mustChangePassword) {
    const setup = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/setup', headers: { cookie }, payload: {} });
    if (setup.statusCode !== 200) throw new Error(`mfa setup ${username} -> ${setup.statusCode} ${setup.body}`);
    const t = { secret: (JSON.parse(setup.body) as { secret: string }).secret, lastStep: 0 };
    // Enrolment does not use up a code: the first sign-in may repeat it.
    const code = await generate({ secret: t.secret });
    const conf = await app.inject({ method: 'POST', url: '/api/v1/auth/mfa/confirm', headers: { cookie }, payload: { code } });
    if (conf.statusCode !== 200) throw new Error(`mfa confirm ${username} -> ${conf.statusCode} ${conf.body}`);
    secrets.set(username, t);
  }
  if (known || secrets.has(username)) live.set(key, cookie);
  return cookie;
}

/** Creates a user directly in the database (tests of the users API use POST /api/v1/users). */
export async function createUser(ctx: Ctx, u: { username: string; role: string; institucion_id: string; entidad?: string; password?: string }): Promise<void> {
  await ctx.db.query(`insert into app_user (username, password_hash, role, institucion_id, entidad) values ($1, $2, $3, $4, $5)`, [
    u.username,
    await hashPassword(u.password ?? ADMIN_PASSWORD),
    u.role,
    u.institucion_id,
    u.entidad ?? null,
  ]);
}

/** A JSON client bound to one session cookie. */
export function client(app: FastifyInstance, cookie: string) {
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const r = await app.inject({ method, url, headers: { cookie }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    let body: any = null;
    try {
      body = r.body ? JSON.parse(r.body) : null;
    } catch {
      body = r.body;
    }
    return { status: r.statusCode, body, raw: r };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload: unknown = {}) => call('POST', url, payload),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
    del: (url: string, payload: unknown = {}) => call('DELETE', url, payload),
  };
}

/** A minimal valid PDF (content-checked by the server). */
export const TINY_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<< /Type /Catalog /Pages 2 0 R >>endobj\n2 0 obj<< /Type /Pages /Kids [] /Count 0 >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n',
);

export function multipart(fields: Record<string, string>, file: { name: string; data: Buffer; type: string }) {
  const boundary = `----sintra${crypto.randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
