import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.js';
import { sessionTimeouts } from '../config.js';
import type { Ctx } from '../context.js';
import { HttpError } from '../http/errors.js';
import { scopeName, type Actor, type Role } from './actor.js';
import { checkTotp, matchRecoveryCode, mfaMandatory, newRecoveryCodes, newTotpSecret, otpauthUrl, qrDataUrl } from './mfa.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { LOGIN_IP, LOGIN_UNKNOWN_USER, hit, hitsOf, retryAfter } from './ratelimit.js';
import { SESSION_COOKIE, createSession, deleteSession, lookupSession } from './sessions.js';

/** Failed sign-ins (password or second factor) before the account locks, and for how long. */
export const MAX_FAILED = LOGIN_UNKNOWN_USER.max;
export const LOCK_MINUTES = LOGIN_UNKNOWN_USER.windowSec / 60;

export function publicUser(a: Actor) {
  return {
    id: a.id,
    username: a.username,
    nombre: a.nombre,
    role: a.role,
    institucion_id: a.institucion_id,
    institucion_nombre: a.institucion_nombre,
    ambito: a.institucion_ambito,
    /** The state of a state or municipal institution (the form starts with it). */
    institucion_entidad: a.institucion_entidad,
    entidad: a.entidad,
    scope: scopeName(a),
    mfaEnabled: a.mfaEnabled ?? false,
  };
}

/** What /auth/login and /auth/me answer: who, what is still required, and when the session ends. */
function sessionOut(a: Actor, ambiente: string, idleTimeoutSec: number) {
  return {
    user: publicUser(a),
    mustChangePassword: a.mustChangePassword,
    mfaEnrollmentRequired: a.mfaEnrollmentRequired ?? false,
    expiresAt: a.sessionExpiresAt ?? null,
    idleExpiresAt: a.idleExpiresAt ?? null,
    serverTime: a.serverTime ?? new Date().toISOString(),
    idleTimeoutSec,
    ambiente,
  };
}

export function cookieOptions(ctx: Ctx) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: process.env.SINTRA_COOKIE_SECURE === '1' || ctx.config.SINTRA_COOKIE_SECURE === '1',
    maxAge: sessionTimeouts(ctx.config).maxSec,
  };
}

interface LoginRow {
  id: string;
  username: string;
  password_hash: string;
  active: boolean;
  locked: boolean;
  institucion_id: string;
  role: Role;
  mfa_enabled: boolean;
  mfa_secret: string | null;
  mfa_last_step: number | null;
  recovery_codes: string[];
}

export async function authRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags,
        summary: 'Iniciar sesión (con código TOTP o de recuperación cuando la cuenta tiene verificación en dos pasos)',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256), totp: z.string().max(32).optional() }),
      },
    },
    async (req, reply) => {
      const { username, password, totp } = req.body;
      const ip = req.ip;
      const rows = await ctx.db.query<LoginRow>(
        `select id, username, password_hash, active, coalesce(locked_until > now(), false) as locked, institucion_id, role,
                mfa_enabled, mfa_secret, mfa_last_step, recovery_codes
           from app_user where lower(username) = lower($1)`,
        [username],
      );
      const u = rows[0];
      const who = { id: u?.id ?? '', username: u?.username ?? username, institucion_id: u?.institucion_id ?? '', role: (u?.role ?? '') as Role, ip };

      // Too many failures from this address (whatever the user names): refuse before any password check.
      if ((await hitsOf(ctx.db, LOGIN_IP, ip)) >= LOGIN_IP.max) {
        await ctx.db.tx((q) => writeAudit(q, who, { action: 'login_limitado', detail: { username } }));
        reply.header('retry-after', String(retryAfter(LOGIN_IP)));
        throw new HttpError('too_many_requests', 'Demasiados intentos fallidos de inicio de sesión desde su red. Espere unos minutos e intente de nuevo.');
      }
      const unknownLocked = !u && (await hitsOf(ctx.db, LOGIN_UNKNOWN_USER, username.toLowerCase())) >= LOGIN_UNKNOWN_USER.max;
      if (u?.locked || unknownLocked) {
        await ctx.db.tx((q) => writeAudit(q, who, { action: 'login_bloqueado', detail: { username } }));
        throw new HttpError(
          'too_many_requests',
          `La cuenta está bloqueada temporalmente por ${MAX_FAILED} intentos fallidos. Intente de nuevo en ${LOCK_MINUTES} minutos o pida a la administración que la desbloquee.`,
        );
      }

      const fail = async (reason: string, err: HttpError): Promise<never> => {
        await ctx.db.tx(async (q) => {
          if (u)
            await q.query(
              // A lock that has run out starts a fresh count (one more failure does not lock again at once).
              `update app_user set
                 failed_logins = case when locked_until <= now() then 1 else failed_logins + 1 end,
                 locked_until = case when (case when locked_until <= now() then 1 else failed_logins + 1 end) >= $2 then now() + make_interval(mins => $3)
                                     when locked_until <= now() then null else locked_until end
               where id = $1`,
              [u.id, MAX_FAILED, LOCK_MINUTES],
            );
          else await hit(q, LOGIN_UNKNOWN_USER, username.toLowerCase());
          await hit(q, LOGIN_IP, ip);
          await writeAudit(q, who, { action: 'login_fallido', detail: { username, motivo: reason } });
        });
        throw err;
      };

      const passwordOk = u ? u.active && (await verifyPassword(u.password_hash, password)) : (await verifyPassword(await dummyHash(), password), false);
      if (!passwordOk) return fail(u && !u.active ? 'cuenta_desactivada' : 'contrasena', new HttpError('invalid_credentials', 'Usuario o contraseña incorrectos.'));

      // Second factor: a current TOTP code (never one already used) or an unused recovery code.
      let step: number | null = null;
      let recoveryIndex = -1;
      if (u!.mfa_enabled && u!.mfa_secret) {
        const code = totp?.trim() ?? '';
        // The web first asks without a code to learn that one is needed: that is not a failed attempt.
        if (!code) throw new HttpError('mfa_required', 'Escriba el código de verificación de su aplicación de autenticación.');
        step = await checkTotp(u!.mfa_secret, code, u!.mfa_last_step);
        if (step === null) recoveryIndex = matchRecoveryCode(u!.recovery_codes, code);
        if (step === null && recoveryIndex < 0) return fail('segundo_factor', new HttpError('mfa_required', 'El código de verificación no es correcto o ya se usó.'));
      }

      const token = await createSession(ctx.db, u!.id, sessionTimeouts(ctx.config).maxSec, ip, String(req.headers['user-agent'] ?? ''));
      await ctx.db.tx(async (q) => {
        await q.query(
          `update app_user set failed_logins = 0, locked_until = null, last_login_at = now(),
             mfa_last_step = coalesce($2, mfa_last_step),
             recovery_codes = case when $3::int >= 0 then recovery_codes[1:$3] || recovery_codes[$3 + 2:] else recovery_codes end
           where id = $1`,
          [u!.id, step, recoveryIndex],
        );
        await writeAudit(q, who, { action: 'login', detail: recoveryIndex >= 0 ? { segundo_factor: 'codigo_recuperacion', codigos_restantes: u!.recovery_codes.length - 1 } : undefined });
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(ctx));
      const me = await lookupSession(ctx.db, token, sessionTimeouts(ctx.config).idleSec, ip);
      return sessionOut(me!, ctx.config.SINTRA_AMBIENTE, sessionTimeouts(ctx.config).idleSec);
    },
  );

  r.post('/api/v1/auth/logout', { schema: { tags, summary: 'Cerrar sesión' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await deleteSession(ctx.db, token);
    if (req.actor) await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'logout' }));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  r.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags,
        summary: 'Usuario de la sesión y cuándo vence (peek=1: sin extender la sesión, para el aviso de vencimiento)',
        querystring: z.object({ peek: z.enum(['0', '1']).optional() }),
      },
    },
    async (req) => sessionOut(req.actor!, ctx.config.SINTRA_AMBIENTE, sessionTimeouts(ctx.config).idleSec),
  );

  r.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags,
        summary: 'Cambiar la contraseña (termina las demás sesiones)',
        body: z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) }),
      },
    },
    async (req, reply) => {
      const a = req.actor!;
      const row = (await ctx.db.query<{ password_hash: string }>('select password_hash from app_user where id = $1', [a.id]))[0];
      if (!row || !(await verifyPassword(row.password_hash, req.body.currentPassword)))
        throw new HttpError('validation', 'La contraseña actual no es correcta.', [{ field: 'currentPassword', message: 'La contraseña actual no es correcta.' }]);
      const problem = passwordProblem(req.body.newPassword, a.username);
      if (problem) throw new HttpError('validation', problem, [{ field: 'newPassword', message: problem }]);
      if (req.body.newPassword === req.body.currentPassword)
        throw new HttpError('validation', 'La nueva contraseña debe ser distinta de la actual.', [{ field: 'newPassword', message: 'Debe ser distinta de la actual.' }]);
      const h = await hashPassword(req.body.newPassword);
      const token = req.cookies[SESSION_COOKIE] ?? '';
      await ctx.db.tx(async (q) => {
        await q.query('update app_user set password_hash = $2, must_change_password = false, password_changed_at = now() where id = $1', [a.id, h]);
        // Other sessions end; this one stays.
        await q.query(`delete from session where user_id = $1 and token_hash <> encode(sha256(convert_to($2, 'UTF8')), 'hex')`, [a.id, token]);
        await writeAudit(q, a, { action: 'cambio_contrasena' });
      });
      return reply.code(204).send();
    },
  );

  r.post('/api/v1/auth/mfa/setup', { schema: { tags, summary: 'Iniciar el registro de la verificación en dos pasos (TOTP)' } }, async (req) => {
    const a = req.actor!;
    const cur = (await ctx.db.query<{ mfa_enabled: boolean }>('select mfa_enabled from app_user where id = $1', [a.id]))[0];
    if (cur?.mfa_enabled)
      throw new HttpError('invalid_state', 'La verificación en dos pasos ya está activa. Para registrar otro dispositivo, pida a la administración que la restablezca.');
    // A new secret each time: the previous, unconfirmed one stops working.
    const secret = newTotpSecret();
    await ctx.db.query('update app_user set mfa_secret = $2, mfa_enabled = false, mfa_last_step = null where id = $1', [a.id, secret]);
    const url = otpauthUrl(a.username, secret, ctx.config.SINTRA_AMBIENTE);
    return { secret, otpauthUrl: url, qr: await qrDataUrl(url), mandatory: mfaMandatory(a.role) };
  });

  r.post(
    '/api/v1/auth/mfa/confirm',
    { schema: { tags, summary: 'Confirmar la verificación en dos pasos con un código; responde los códigos de recuperación', body: z.object({ code: z.string().max(16) }) } },
    async (req) => {
      const a = req.actor!;
      const u = (await ctx.db.query<{ mfa_enabled: boolean; mfa_secret: string | null }>('select mfa_enabled, mfa_secret from app_user where id = $1', [a.id]))[0];
      if (u?.mfa_enabled) throw new HttpError('invalid_state', 'La verificación en dos pasos ya está activa.');
      if (!u?.mfa_secret) throw new HttpError('invalid_state', 'Primero inicie el registro (la clave para su aplicación de autenticación).');
      // The step is not recorded here: enrolment proves the device inside an open session, and the first
      // sign-in right after it may well show the same code.
      if ((await checkTotp(u.mfa_secret, req.body.code)) === null)
        throw new HttpError('validation', 'El código no es correcto. Revise que la hora de su teléfono sea la correcta y escriba el código que se muestra ahora.', [
          { field: 'code', message: 'Código incorrecto.' },
        ]);
      const { codes, stored } = newRecoveryCodes();
      await ctx.db.tx(async (q) => {
        await q.query('update app_user set mfa_enabled = true, recovery_codes = $2 where id = $1', [a.id, stored]);
        await writeAudit(q, a, { action: 'mfa_activada' });
      });
      return { recoveryCodes: codes };
    },
  );
}
