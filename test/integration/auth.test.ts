// Authentication as an attacker and as a person would meet it: lockout, TOTP enrolment and sign-in, recovery
// codes, code replay, session expiry (idle and absolute, by moving timestamps in the database), password
// rules, forced change, logout and password change ending sessions, CSRF refusal, cookie flags, no-store,
// and the rate limits on sign-in (per IP) and exports (per user). PGlite and, with TEST_DATABASE_URL, PostgreSQL.
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_MINUTES, MAX_FAILED } from '../../src/server/auth/routes.js';
import { EXPORTS, LOGIN_IP, retryAfter, type Limit } from '../../src/server/auth/ratelimit.js';
import { createUser, dbKinds, login, nextTotp, setup, totpOf, type TestEnv } from '../helpers.js';

const PW = 'Frase-De-Acceso-Larga-71';

/** Counters use fixed windows: start a counting test at the beginning of one, not seconds before it rolls over. */
async function freshWindow(l: Limit) {
  if (retryAfter(l) < 60) await new Promise((r) => setTimeout(r, retryAfter(l) * 1000 + 200));
}

describe.each(dbKinds())('autenticación (%s)', (kind) => {
  let env: TestEnv;
  let ipSeq = 0;
  /** Each test signs in from its own address, so the per-IP limit of one does not touch another. */
  const freshIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  beforeAll(async () => {
    env = await setup(kind);
    for (const [u, role, inst, ent] of [
      ['enlace_a', 'enlace', 'SRE', null],
      ['enlace_b', 'enlace', 'SRE', null],
      ['enlace_lock', 'enlace', 'SRE', null],
      ['valid_st', 'validador', 'SEGOB', null],
      ['forzado', 'enlace', 'INM', null],
    ] as const)
      await createUser(env.ctx, { username: u, role, institucion_id: inst, entidad: ent ?? undefined, password: PW });
    await env.ctx.db.query(`update app_user set must_change_password = true where username = 'forzado'`);
  });
  afterAll(async () => {
    await env?.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}, ip = '127.0.0.1') =>
    env.app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress: ip });
  const get = (url: string, cookie: string) => env.app.inject({ method: 'GET', url, headers: { cookie } });
  const cookieOf = (r: { cookies: { name: string; value: string }[] }) => `sintra_sesion=${r.cookies.find((c) => c.name === 'sintra_sesion')!.value}`;
  const json = (r: { body: string }) => (r.body ? JSON.parse(r.body) : null);

  it('answers 401 for a wrong password and for an unknown user alike, and audits both', async () => {
    const ip = freshIp();
    const a = await post('/api/v1/auth/login', { username: 'enlace_a', password: 'otra-clave-equivocada' }, {}, ip);
    const b = await post('/api/v1/auth/login', { username: 'no_existe', password: 'otra-clave-equivocada' }, {}, ip);
    expect([a.statusCode, b.statusCode]).toEqual([401, 401]);
    expect(json(a).detail).toBe(json(b).detail);
    expect(json(a).code).toBe('invalid_credentials');
    const n = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from audit_log where action = 'login_fallido' and username in ('enlace_a', 'no_existe')`);
    expect(n[0].n).toBe(2);
  });

  it(`locks the account after ${MAX_FAILED} failures (429 in Spanish, even with the right password), unlocks after the delay`, async () => {
    const ip = freshIp();
    for (let i = 0; i < MAX_FAILED; i++) expect((await post('/api/v1/auth/login', { username: 'enlace_lock', password: `mala-clave-numero-${i}` }, {}, ip)).statusCode).toBe(401);
    const locked = await post('/api/v1/auth/login', { username: 'enlace_lock', password: PW }, {}, ip);
    expect(locked.statusCode).toBe(429);
    expect(json(locked).detail).toMatch(/bloqueada/);
    const row = (await env.ctx.db.query<{ mins: number }>(`select extract(epoch from locked_until - now()) / 60 as mins from app_user where username = 'enlace_lock'`))[0];
    expect(row.mins).toBeGreaterThan(LOCK_MINUTES - 1);
    expect(row.mins).toBeLessThanOrEqual(LOCK_MINUTES);
    // The delay passes: the right password works again and the count starts over.
    await env.ctx.db.query(`update app_user set locked_until = now() - interval '1 second' where username = 'enlace_lock'`);
    expect((await post('/api/v1/auth/login', { username: 'enlace_lock', password: PW }, {}, ip)).statusCode).toBe(200);
    const after = (await env.ctx.db.query<{ failed_logins: number; locked_until: unknown }>(`select failed_logins, locked_until from app_user where username = 'enlace_lock'`))[0];
    expect(after).toEqual({ failed_logins: 0, locked_until: null });
    expect((await env.ctx.db.query(`select 1 from audit_log where action = 'login_bloqueado' and username = 'enlace_lock'`)).length).toBe(1);
  });

  it('a user name without an account answers like an account: 401, then the same 429 after the same failures (no enumeration)', async () => {
    const ip = freshIp();
    const answers: [number, string][] = [];
    for (let i = 0; i <= MAX_FAILED; i++) {
      const r = await post('/api/v1/auth/login', { username: 'no_existe_nadie', password: `mala-clave-numero-${i}` }, {}, ip);
      answers.push([r.statusCode, json(r).detail]);
    }
    expect(answers.slice(0, MAX_FAILED).every(([s]) => s === 401)).toBe(true);
    expect(answers[MAX_FAILED][0]).toBe(429);
    expect(answers[MAX_FAILED][1]).toMatch(/La cuenta está bloqueada temporalmente/);
  });

  it('enrols TOTP for a validador before anything else, then requires a current, unused code', async () => {
    const ip = freshIp();
    const first = await post('/api/v1/auth/login', { username: 'valid_st', password: PW }, {}, ip);
    expect(first.statusCode).toBe(200);
    expect(json(first).mfaEnrollmentRequired).toBe(true);
    const cookie = cookieOf(first);
    // Until enrolled, only /api/v1/auth/* answers.
    const blocked = await get('/api/v1/modules/convenios/records', cookie);
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe('mfa_enrollment_required');
    expect((await get('/api/v1/auth/me', cookie)).statusCode).toBe(200);

    const setupR = await post('/api/v1/auth/mfa/setup', {}, { cookie });
    expect(setupR.statusCode).toBe(200);
    const { secret, otpauthUrl, qr } = json(setupR);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toBe(`otpauth://totp/SINTRA:valid_st?secret=${secret}&issuer=SINTRA`);
    expect(qr).toMatch(/^data:image\/png;base64,/);
    const wrong = await post('/api/v1/auth/mfa/confirm', { code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 3600 }) }, { cookie });
    expect(wrong.statusCode).toBe(400);
    expect(json(wrong).errors[0].field).toBe('code');
    const ok = await post('/api/v1/auth/mfa/confirm', { code: await generate({ secret }) }, { cookie });
    expect(ok.statusCode).toBe(200);
    const codes: string[] = json(ok).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}$/);
    // Stored only as salted hashes.
    const stored = (await env.ctx.db.query<{ recovery_codes: string[] }>(`select recovery_codes from app_user where username = 'valid_st'`))[0].recovery_codes;
    expect(stored.some((s) => codes.some((c) => s.includes(c.replace(/-/g, ''))))).toBe(false);
    // The enrolling session goes on; a second setup is refused.
    expect((await get('/api/v1/modules/convenios/records', cookie)).statusCode).toBe(200);
    expect((await post('/api/v1/auth/mfa/setup', {}, { cookie })).statusCode).toBe(409);

    // Sign-in now needs the code: missing or wrong → 401 mfa_required.
    const none = await post('/api/v1/auth/login', { username: 'valid_st', password: PW }, {}, ip);
    expect(none.statusCode).toBe(401);
    expect(json(none).code).toBe('mfa_required');
    const bad = await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 7200 }) }, {}, ip);
    expect(bad.statusCode).toBe(401);
    expect(json(bad).code).toBe('mfa_required');
    // A wrong password with a right code is still just wrong credentials.
    const t = { secret, lastStep: 0 };
    const code = await nextTotp(t);
    const badPw = await post('/api/v1/auth/login', { username: 'valid_st', password: 'no-es-la-clave-buena', totp: code }, {}, ip);
    expect(json(badPw).code).toBe('invalid_credentials');
    const good = await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: code }, {}, ip);
    expect(good.statusCode).toBe(200);
    expect(json(good).mfaEnrollmentRequired).toBe(false);
    expect(json(good).user.mfaEnabled).toBe(true);
    // The same code again is a replay: refused.
    const replay = await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: code }, {}, ip);
    expect(replay.statusCode).toBe(401);
    expect(json(replay).code).toBe('mfa_required');

    // A recovery code works once, and only once.
    const rec = await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: codes[3].toUpperCase() }, {}, ip);
    expect(rec.statusCode).toBe(200);
    const again = await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: codes[3] }, {}, ip);
    expect(again.statusCode).toBe(401);
    const left = (await env.ctx.db.query<{ n: number }>(`select cardinality(recovery_codes) as n from app_user where username = 'valid_st'`))[0].n;
    expect(left).toBe(9);
    expect((await post('/api/v1/auth/login', { username: 'valid_st', password: PW, totp: codes[0] }, {}, ip)).statusCode).toBe(200);
  });

  it('lets an optional-MFA role (enlace) enrol by choice; its sign-in then needs the code', async () => {
    const cookie = await login(env.app, 'enlace_b', PW);
    const s = json(await post('/api/v1/auth/mfa/setup', {}, { cookie }));
    expect(s.mandatory).toBe(false);
    expect((await post('/api/v1/auth/mfa/confirm', { code: await generate({ secret: s.secret }) }, { cookie })).statusCode).toBe(200);
    const r = await post('/api/v1/auth/login', { username: 'enlace_b', password: PW }, {}, freshIp());
    expect(json(r).code).toBe('mfa_required');
  });

  it('the first administrator provisioned by SINTRA_ADMIN_PASSWORD is exempt from MFA; another administrador must enrol', async () => {
    const cookie = await login(env.app);
    expect(totpOf(env.app, 'admin')).toBeFalsy();
    const me = json(await get('/api/v1/auth/me', cookie));
    expect(me.user.role).toBe('administrador');
    expect(me.mfaEnrollmentRequired).toBe(false);
    const row = (await env.ctx.db.query<{ mfa_exento: boolean }>(`select mfa_exento from app_user where username = 'admin'`))[0];
    expect(row.mfa_exento).toBe(true);
    await createUser(env.ctx, { username: 'admin_dos', role: 'administrador', institucion_id: 'SEGOB', password: PW });
    const r = await post('/api/v1/auth/login', { username: 'admin_dos', password: PW }, {}, freshIp());
    expect(r.statusCode).toBe(200);
    expect(json(r).mfaEnrollmentRequired).toBe(true);
    // Until enrolled, only /auth/* answers.
    expect((await get('/api/v1/modules', cookieOf(r))).statusCode).toBe(403);
  });

  it('ends a session idle for 30 minutes, and any session 12 hours after sign-in; /auth/me tells when', async () => {
    const r = await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp());
    const cookie = cookieOf(r);
    const body = json(r);
    const exp = Date.parse(body.expiresAt);
    const idle = Date.parse(body.idleExpiresAt);
    expect(Math.abs(exp - Date.now() - 12 * 3600_000)).toBeLessThan(60_000);
    expect(Math.abs(idle - Date.now() - 30 * 60_000)).toBeLessThan(60_000);
    expect(r.cookies.find((c) => c.name === 'sintra_sesion')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 12 * 3600 });

    // 29 minutes idle: still alive, and a request extends it. peek=1 reads without extending.
    await env.ctx.db.query(`update session set last_seen_at = now() - interval '29 minutes' where user_id = (select id from app_user where username = 'enlace_a')`);
    const peek = await get('/api/v1/auth/me?peek=1', cookie);
    expect(peek.statusCode).toBe(200);
    expect(Date.parse(json(peek).idleExpiresAt) - Date.now()).toBeLessThan(2 * 60_000);
    expect((await get('/api/v1/auth/me', cookie)).statusCode).toBe(200);
    const seen = (await env.ctx.db.query<{ s: number }>(`select extract(epoch from now() - last_seen_at) as s from session where user_id = (select id from app_user where username = 'enlace_a')`))[0].s;
    expect(seen).toBeLessThan(5);

    // 31 minutes idle: gone.
    await env.ctx.db.query(`update session set last_seen_at = now() - interval '31 minutes' where user_id = (select id from app_user where username = 'enlace_a')`);
    const idleOut = await get('/api/v1/modules/convenios/records', cookie);
    expect(idleOut.statusCode).toBe(401);
    expect(json(idleOut).code).toBe('unauthenticated');

    // Absolute limit: active all along, but signed in 12 hours ago.
    const r2 = await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp());
    const c2 = cookieOf(r2);
    expect((await get('/api/v1/auth/me', c2)).statusCode).toBe(200);
    await env.ctx.db.query(
      `update session set created_at = now() - interval '12 hours 1 minute', expires_at = now() - interval '1 minute', last_seen_at = now() where user_id = (select id from app_user where username = 'enlace_a')`,
    );
    expect((await get('/api/v1/auth/me', c2)).statusCode).toBe(401);
  });

  it('SINTRA_SESSION_IDLE_SEG / _MAX_SEG override minutes and hours; /auth/me carries the server clock', async () => {
    const cfg = env.ctx.config;
    const saved = { idle: cfg.SINTRA_SESSION_IDLE_SEG, max: cfg.SINTRA_SESSION_MAX_SEG };
    cfg.SINTRA_SESSION_IDLE_SEG = 40;
    cfg.SINTRA_SESSION_MAX_SEG = 90;
    try {
      const r = await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp());
      const b = json(r);
      const now = Date.parse(b.serverTime);
      expect(Math.abs(now - Date.now())).toBeLessThan(10_000);
      expect(b.idleTimeoutSec).toBe(40);
      expect(Math.abs(Date.parse(b.idleExpiresAt) - now - 40_000)).toBeLessThan(2_000);
      expect(Math.abs(Date.parse(b.expiresAt) - now - 90_000)).toBeLessThan(2_000);
      expect(r.cookies.find((c) => c.name === 'sintra_sesion')?.maxAge).toBe(90);
      // 41 seconds idle: gone (the minutes setting, 30, would still keep it).
      await env.ctx.db.query(`update session set last_seen_at = now() - interval '41 seconds' where user_id = (select id from app_user where username = 'enlace_a')`);
      expect((await get('/api/v1/auth/me?peek=1', cookieOf(r))).statusCode).toBe(401);
    } finally {
      cfg.SINTRA_SESSION_IDLE_SEG = saved.idle;
      cfg.SINTRA_SESSION_MAX_SEG = saved.max;
    }
  });

  it('logout ends the session; a password change ends the other sessions', async () => {
    const ip = freshIp();
    const c1 = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip));
    const c2 = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip));
    const c3 = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip));
    expect((await post('/api/v1/auth/logout', {}, { cookie: c3 })).statusCode).toBe(204);
    expect((await get('/api/v1/auth/me', c3)).statusCode).toBe(401);
    const NEW = 'Otra-Frase-De-Acceso-2026';
    expect((await post('/api/v1/auth/password', { currentPassword: PW, newPassword: NEW }, { cookie: c1 })).statusCode).toBe(204);
    expect((await get('/api/v1/auth/me', c1)).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', c2)).statusCode).toBe(401);
    expect((await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip)).statusCode).toBe(401);
    expect((await post('/api/v1/auth/password', { currentPassword: NEW, newPassword: PW }, { cookie: c1 })).statusCode).toBe(204);
  });

  it('password rules: 12+ characters, not common, not the user name; no composition rules; Spanish messages naming the field', async () => {
    const cookie = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp()));
    const tryPw = async (newPassword: string) => {
      const r = await post('/api/v1/auth/password', { currentPassword: PW, newPassword }, { cookie });
      return { status: r.statusCode, body: json(r) };
    };
    for (const bad of ['corta-123', 'qwerty123456', 'Password1234', 'mexico2024!!!', 'holaholahola', 'abcdefghijklmn', 'mi-enlace_a-clave', '1234567890123']) {
      const r = await tryPw(bad);
      expect(r.status, bad).toBe(400);
      expect(r.body.errors, bad).toEqual([{ field: 'newPassword', message: expect.stringMatching(/contraseña/i) }]);
    }
    expect((await tryPw('corta-123')).body.detail).toMatch(/al menos 12 caracteres/);
    const wrongCurrent = await post('/api/v1/auth/password', { currentPassword: 'no-es-la-actual-1', newPassword: 'Una-Frase-Nueva-Y-Larga' }, { cookie });
    expect(json(wrongCurrent).errors[0].field).toBe('currentPassword');
    // All lower case, no digits or symbols, but long and uncommon: accepted (no composition rules).
    expect((await tryPw('tortuga paciente cruza el zocalo')).status).toBe(204);
    const back = await post('/api/v1/auth/password', { currentPassword: 'tortuga paciente cruza el zocalo', newPassword: PW }, { cookie });
    expect(back.statusCode).toBe(204);
  });

  it('forces a password change at first sign-in: only /auth/* until then', async () => {
    const r = await post('/api/v1/auth/login', { username: 'forzado', password: PW }, {}, freshIp());
    expect(json(r).mustChangePassword).toBe(true);
    const cookie = cookieOf(r);
    const blocked = await get('/api/v1/modules', cookie);
    expect(blocked.statusCode).toBe(403);
    expect(json(blocked).code).toBe('password_change_required');
    expect((await post('/api/v1/auth/password', { currentPassword: PW, newPassword: 'Nueva-Frase-Propia-2026' }, { cookie })).statusCode).toBe(204);
    expect((await get('/api/v1/modules', cookie)).statusCode).toBe(200);
    expect(json(await get('/api/v1/auth/me', cookie)).mustChangePassword).toBe(false);
  });

  it('CSRF: refuses state changes from another origin or site (403); the same origin passes', async () => {
    const cookie = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp()));
    const body = { nombre_convenio: 'x' };
    const evil = await post('/api/v1/modules/convenios/records', body, { cookie, origin: 'https://sitio-malicioso.example', host: 'sintra.gob.mx' });
    expect(evil.statusCode).toBe(403);
    expect(json(evil).detail).toMatch(/otro origen/);
    const fetchMeta = await post('/api/v1/auth/logout', {}, { cookie, 'sec-fetch-site': 'cross-site' });
    expect(fetchMeta.statusCode).toBe(403);
    const bogus = await post('/api/v1/auth/logout', {}, { cookie, origin: 'null', host: 'sintra.gob.mx' });
    expect(bogus.statusCode).toBe(403);
    // Still signed in: none of the refused requests took effect.
    expect((await get('/api/v1/auth/me', cookie)).statusCode).toBe(200);
    const same = await post('/api/v1/modules/convenios/records', {}, { cookie, origin: 'https://sintra.gob.mx', host: 'sintra.gob.mx', 'sec-fetch-site': 'same-origin' });
    expect(same.statusCode).toBe(201);
  });

  it('API answers are never cached; the CSP and framing headers are strict', async () => {
    const cookie = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp()));
    for (const url of ['/api/v1/auth/me', '/api/v1/modules/convenios/records', '/api/v1/health']) {
      const r = await get(url, cookie);
      expect(r.headers['cache-control'], url).toBe('no-store');
    }
    const r = await get('/api/v1/auth/me', cookie);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['content-security-policy']).toMatch(/object-src 'none'/);
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it(`limits failed sign-ins per IP address (${LOGIN_IP.max} per window, whatever the user names), counted in the database`, async () => {
    const ip = freshIp();
    await freshWindow(LOGIN_IP);
    for (let i = 0; i < LOGIN_IP.max; i++) expect((await post('/api/v1/auth/login', { username: `nadie${i}`, password: 'cualquier-cosa-larga' }, {}, ip)).statusCode).toBe(401);
    const limited = await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(json(limited).detail).toMatch(/Demasiados intentos/);
    const row = (await env.ctx.db.query<{ hits: number }>(`select hits from rate_limit where bucket = 'login_ip' and key = $1`, [ip]))[0];
    expect(row.hits).toBe(LOGIN_IP.max);
    // Another address is not affected.
    expect((await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp())).statusCode).toBe(200);

    // The administration sees the address held back and lifts the block (an office behind one shared address).
    const cookie = await login(env.app);
    const blocks = json(await get('/api/v1/login-blocks', cookie));
    expect(blocks.limite).toBe(LOGIN_IP.max);
    expect(blocks.items.find((x: { ip: string }) => x.ip === ip)).toMatchObject({ ip, fallos: LOGIN_IP.max, bloqueada: true });
    const bad = await post('/api/v1/login-blocks/unblock', { ip: '10.9.999.1' }, { cookie });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).errors).toEqual([{ field: 'ip', message: expect.stringMatching(/«ip» debe ser una dirección IPv4 o IPv6/) }]);
    const enlace = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp()));
    expect((await post('/api/v1/login-blocks/unblock', { ip }, { cookie: enlace })).statusCode).toBe(403);
    const lifted = await post('/api/v1/login-blocks/unblock', { ip }, { cookie });
    expect(lifted.statusCode).toBe(200);
    expect(json(lifted)).toMatchObject({ ip, fallos: 0, fallosAntes: LOGIN_IP.max, bloqueada: false });
    const entry = (await env.ctx.db.query<{ username: string; detail: string }>(`select username, detail from audit_log where action = 'direccion_desbloquear' order by id desc limit 1`))[0];
    expect(entry.username).toBe('admin');
    expect(JSON.parse(entry.detail)).toEqual({ direccion: ip, fallos: LOGIN_IP.max });
    expect(json(await get('/api/v1/login-blocks', cookie)).items.some((x: { ip: string }) => x.ip === ip)).toBe(false);
    expect((await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, ip)).statusCode).toBe(200);
  });

  it(`limits exports per user (${EXPORTS.max} per window)`, async () => {
    const cookie = cookieOf(await post('/api/v1/auth/login', { username: 'enlace_a', password: PW }, {}, freshIp()));
    const url = '/api/v1/stats/convenios?rows=ambito&format=csv';
    await freshWindow(EXPORTS);
    for (let i = 0; i < EXPORTS.max; i++) expect((await get(url, cookie)).statusCode).toBe(200);
    const r = await get(url, cookie);
    expect(r.statusCode).toBe(429);
    expect(json(r).detail).toMatch(/exportaciones/);
    // The JSON table is not an export.
    expect((await get('/api/v1/stats/convenios?rows=ambito', cookie)).statusCode).toBe(200);
  });
});
