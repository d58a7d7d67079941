import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { HttpError } from '../http/errors.js';
import { scopeName, type Actor } from './actor.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './password.js';
import { SESSION_COOKIE, createSession, deleteSession } from './sessions.js';

const MAX_FAILED = 10;
const LOCK_MINUTES = 15;

export function publicUser(a: Actor) {
  return {
    id: a.id,
    username: a.username,
    nombre: a.nombre,
    role: a.role,
    institucion_id: a.institucion_id,
    institucion_nombre: a.institucion_nombre,
    ambito: a.institucion_ambito,
    entidad: a.entidad,
    scope: scopeName(a),
  };
}

export function cookieOptions(ctx: Ctx) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: process.env.SINTRA_COOKIE_SECURE === '1',
    maxAge: ctx.config.SINTRA_SESSION_MAX_HOURS * 3600,
  };
}

export async function authRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/v1/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Iniciar sesión',
        body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256), totp: z.string().max(16).optional() }),
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      const rows = await ctx.db.query<{ id: string; password_hash: string; active: boolean; failed_logins: number; locked: boolean; institucion_id: string; role: string; must_change_password: boolean }>(
        `select id, password_hash, active, failed_logins, coalesce(locked_until > now(), false) as locked, institucion_id, role, must_change_password
           from app_user where lower(username) = lower($1)`,
        [username],
      );
      const u = rows[0];
      const who = { id: u?.id ?? '', username, institucion_id: u?.institucion_id ?? '', role: u?.role ?? '', ip: req.ip } as Actor;
      if (u?.locked) {
        await ctx.db.tx((q) => writeAudit(q, u ? who : null, { action: 'login_bloqueado', detail: { username } }));
        throw new HttpError('too_many_requests', `La cuenta está bloqueada temporalmente por intentos fallidos. Intente en ${LOCK_MINUTES} minutos o pida a la administración que la desbloquee.`);
      }
      const ok = u ? u.active && (await verifyPassword(u.password_hash, password)) : (await verifyPassword(await dummyHash(), password), false);
      if (!ok) {
        await ctx.db.tx(async (q) => {
          if (u)
            await q.query(
              `update app_user set failed_logins = failed_logins + 1,
                 locked_until = case when failed_logins + 1 >= $2 then now() + make_interval(mins => $3) else locked_until end where id = $1`,
              [u.id, MAX_FAILED, LOCK_MINUTES],
            );
          await writeAudit(q, u ? who : { ...who, id: '' }, { action: 'login_fallido', detail: { username } });
        });
        throw new HttpError('invalid_credentials', 'Usuario o contraseña incorrectos.');
      }
      const token = await createSession(ctx.db, u!.id, ctx.config.SINTRA_SESSION_MAX_HOURS, req.ip, String(req.headers['user-agent'] ?? ''));
      await ctx.db.tx(async (q) => {
        await q.query('update app_user set failed_logins = 0, locked_until = null, last_login_at = now() where id = $1', [u!.id]);
        await writeAudit(q, who, { action: 'login' });
      });
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(ctx));
      const me = await import('./sessions.js').then((s) => s.lookupSession(ctx.db, token, ctx.config.SINTRA_SESSION_IDLE_MIN, req.ip));
      return { user: publicUser(me!), mustChangePassword: u!.must_change_password, mfaEnrollmentRequired: false };
    },
  );

  r.post('/api/v1/auth/logout', { schema: { tags: ['auth'], summary: 'Cerrar sesión' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await deleteSession(ctx.db, token);
    if (req.actor) await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'logout' }));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  r.get('/api/v1/auth/me', { schema: { tags: ['auth'], summary: 'Usuario de la sesión' } }, async (req) => {
    const a = req.actor!;
    return { user: publicUser(a), mustChangePassword: a.mustChangePassword, mfaEnrollmentRequired: false, ambiente: ctx.config.SINTRA_AMBIENTE };
  });

  r.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: 'Cambiar la contraseña',
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
}
