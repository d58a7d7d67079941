// User accounts (administrador only): create, change role or institution, disable, reset the password or
// the second factor, unlock (and lift a network address's sign-in limit); the list shows the last sign-in.
// Every change is audited, and a change that alters what the person may reach ends the person's sessions.
import crypto from 'node:crypto';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Issue } from '../../modules/validate.js';
import { ROLES, type Actor, type Role } from '../auth/actor.js';
import { mfaMandatory } from '../auth/mfa.js';
import { LOGIN_IP, clearHits, currentHits, retryAfter } from '../auth/ratelimit.js';
import { hashPassword, passwordProblem } from '../auth/password.js';
import { endUserSessions } from '../auth/sessions.js';
import { writeAudit } from '../audit/audit.js';
import { ST_INSTITUTION } from '../bootstrap.js';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/client.js';
import { HttpError, badRequest, notFound } from '../http/errors.js';
import { requireAdmin } from '../institutions/routes.js';

interface UserRow {
  id: string;
  username: string;
  nombre: string | null;
  role: Role;
  institucion_id: string;
  institucion_nombre: string | null;
  entidad: string | null;
  active: boolean;
  must_change_password: boolean;
  mfa_enabled: boolean;
  recovery_left: number;
  failed_logins: number;
  locked_until: Date | string | null;
  last_login_at: Date | string | null;
  created_at: Date | string;
}

const SELECT = `select u.id, u.username, u.nombre, u.role, u.institucion_id, i.nombre as institucion_nombre, u.entidad, u.active,
  u.must_change_password, u.mfa_enabled, cardinality(u.recovery_codes) as recovery_left, u.failed_logins,
  case when u.locked_until > now() then u.locked_until end as locked_until, u.last_login_at, u.created_at
  from app_user u left join institucion i on i.codigo = u.institucion_id`;

const iso = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v.toISOString() : new Date(v).toISOString());

function out(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    nombre: u.nombre,
    role: u.role,
    institucion_id: u.institucion_id,
    institucion_nombre: u.institucion_nombre,
    entidad: u.entidad,
    active: u.active,
    mustChangePassword: u.must_change_password,
    mfaEnabled: u.mfa_enabled,
    mfaRequired: mfaMandatory(u.role),
    recoveryCodesLeft: u.mfa_enabled ? u.recovery_left : 0,
    failedLogins: u.failed_logins,
    locked: u.locked_until !== null,
    lockedUntil: iso(u.locked_until),
    lastLoginAt: iso(u.last_login_at),
    createdAt: iso(u.created_at),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadUser(q: Queryable, id: string, lock = false): Promise<UserRow> {
  if (!UUID.test(id)) throw notFound('El usuario no existe.');
  const rows = await q.query<UserRow>(`${SELECT} where u.id = $1${lock ? ' for update of u' : ''}`, [id]);
  if (!rows[0]) throw notFound('El usuario no existe.');
  return rows[0];
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

interface Profile {
  nombre: string | null;
  role: Role;
  institucion_id: string;
  entidad: string | null;
}

/**
 * The rules of an account's role and institution: the Secretaría Técnica's roles belong to its institution;
 * a validador_estatal belongs to a state institution and names its state; the other roles belong to any
 * institution and have no state of their own (their institution's applies).
 */
function checkProfile(ctx: Ctx, p: { nombre: unknown; role: unknown; institucion_id: unknown; entidad: unknown }, errors: Issue[]): Profile {
  const nombre = p.nombre === null || p.nombre === undefined ? null : str(p.nombre);
  if (p.nombre !== null && p.nombre !== undefined && typeof p.nombre !== 'string') errors.push({ field: 'nombre', message: '«nombre» debe ser texto.' });
  if (nombre && nombre.length > 200) errors.push({ field: 'nombre', message: '«nombre» admite a lo más 200 caracteres.' });
  const role = str(p.role);
  if (!role || !(ROLES as readonly string[]).includes(role)) errors.push({ field: 'role', message: `«role» debe ser uno de: ${ROLES.join(', ')}.` });
  const inst = str(p.institucion_id);
  const instItem = inst ? ctx.catalogs.item('institucion', inst) : undefined;
  if (!inst) errors.push({ field: 'institucion_id', message: '«institucion_id» es obligatorio: toda cuenta pertenece a una institución.' });
  else if (!instItem) errors.push({ field: 'institucion_id', message: `«institucion_id»: la institución «${inst}» no existe.` });
  else if (instItem.validTo) errors.push({ field: 'institucion_id', message: `«institucion_id»: la institución «${inst}» no está vigente.` });
  const entidad = str(p.entidad);
  if (role === 'administrador' || role === 'validador') {
    if (inst && inst !== ST_INSTITUTION)
      errors.push({ field: 'institucion_id', message: `El rol «${role}» es de la Secretaría Técnica: la cuenta pertenece a la institución «${ST_INSTITUTION}».` });
  }
  if (role === 'validador_estatal') {
    if (!entidad) errors.push({ field: 'entidad', message: '«entidad» es obligatoria para el rol validador_estatal: la entidad federativa cuyos registros valida.' });
    else if (!/^(0[1-9]|[12]\d|3[0-2])$/.test(entidad)) errors.push({ field: 'entidad', message: `«entidad»: «${entidad}» no es la clave de una entidad federativa (01 a 32).` });
    if (instItem && instItem.ambito === 'FEDERAL')
      errors.push({ field: 'institucion_id', message: 'Un validador_estatal pertenece a una institución estatal (p. ej. la CIES de su entidad), no a una federal.' });
    else if (instItem && entidad && instItem.entidad && instItem.entidad !== entidad)
      errors.push({ field: 'entidad', message: `«entidad» (${entidad}) no coincide con la entidad de su institución (${String(instItem.entidad)}).` });
  } else if (entidad) errors.push({ field: 'entidad', message: '«entidad» solo se indica para el rol validador_estatal (las demás cuentas toman la de su institución).' });
  return { nombre, role: role as Role, institucion_id: inst ?? '', entidad: role === 'validador_estatal' ? entidad : null };
}

/** Refuses a change that would leave no active administrator (nobody could manage accounts). */
async function keepAnAdministrator(q: Queryable, userId: string): Promise<void> {
  const n = (await q.query<{ n: number }>(`select count(*)::int as n from app_user where role = 'administrador' and active and id <> $1`, [userId]))[0].n;
  if (n === 0) throw new HttpError('invalid_state', 'Debe quedar al menos una cuenta de administración activa.');
}

const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

function temporaryPassword(): string {
  // 16 characters of 57 (about 93 bits), without look-alikes; grouped in fours so it can be dictated.
  const chars = Array.from({ length: 16 }, () => ALNUM[crypto.randomInt(ALNUM.length)]).join('');
  return chars.replace(/(.{4})(?=.)/g, '$1-');
}

export async function userRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['usuarios'];
  const idParams = z.object({ id: z.string().max(64) });
  const body = z.record(z.string(), z.unknown());
  const admin = (a: Actor) => requireAdmin(a, 'gestiona las cuentas de usuario');
  const audit = (q: Queryable, a: Actor, action: string, u: { id: string; username: string }, detail: Record<string, unknown> = {}) =>
    writeAudit(q, a, { action, detail: { usuario_id: u.id, usuario: u.username, ...detail } });

  r.get(
    '/api/v1/users',
    {
      schema: {
        tags,
        summary: 'Cuentas de usuario, con su último inicio de sesión (administración)',
        querystring: z.object({
          q: z.string().max(100).optional(),
          role: z.string().max(32).optional(),
          institucion_id: z.string().max(64).optional(),
          active: z.enum(['0', '1']).optional(),
        }),
      },
    },
    async (req) => {
      admin(req.actor!);
      const p: unknown[] = [];
      const conds = ['true'];
      const add = (sql: string, v: unknown) => {
        p.push(v);
        conds.push(sql.replace('?', `$${p.length}`));
      };
      if (req.query.q) add(`(lower(u.username) like ? or lower(coalesce(u.nombre, '')) like $${p.length + 1})`, `%${req.query.q.toLowerCase()}%`);
      if (req.query.role) add('u.role = ?', req.query.role);
      if (req.query.institucion_id) add('u.institucion_id = ?', req.query.institucion_id);
      if (req.query.active) add('u.active = ?', req.query.active === '1');
      const rows = await ctx.db.query<UserRow>(`${SELECT} where ${conds.join(' and ')} order by lower(u.username)`, p);
      return { items: rows.map(out) };
    },
  );

  r.get('/api/v1/users/:id', { schema: { tags, summary: 'Una cuenta de usuario', params: idParams } }, async (req) => {
    admin(req.actor!);
    return out(await loadUser(ctx.db, req.params.id));
  });

  r.post('/api/v1/users', { schema: { tags, summary: 'Crear una cuenta (la contraseña inicial deberá cambiarse al entrar)', body } }, async (req, reply) => {
    const a = req.actor!;
    admin(a);
    const b = req.body;
    const errors: Issue[] = [];
    const known = ['username', 'password', 'nombre', 'role', 'institucion_id', 'entidad'];
    for (const k of Object.keys(b)) if (!known.includes(k)) errors.push({ field: k, message: `«${k}» no es un dato de la cuenta.` });
    const username = str(b.username);
    if (!username) errors.push({ field: 'username', message: '«username» es obligatorio.' });
    else if (!/^[A-Za-z0-9._-]{3,64}$/.test(username))
      errors.push({ field: 'username', message: '«username»: de 3 a 64 letras sin acentos, dígitos, punto, guion o guion bajo.' });
    const password = typeof b.password === 'string' ? b.password : '';
    if (!password) errors.push({ field: 'password', message: '«password» es obligatoria: la contraseña inicial, que la persona cambiará al entrar.' });
    else {
      const problem = passwordProblem(password, username ?? undefined);
      if (problem) errors.push({ field: 'password', message: problem });
    }
    const prof = checkProfile(ctx, { nombre: b.nombre, role: b.role, institucion_id: b.institucion_id, entidad: b.entidad }, errors);
    if (errors.length) throw badRequest(`La cuenta tiene ${errors.length} dato(s) inválido(s).`, errors);
    const hash = await hashPassword(password);
    const row = await ctx.db.tx(async (q) => {
      if ((await q.query('select 1 from app_user where lower(username) = lower($1)', [username])).length)
        throw badRequest(`Ya existe una cuenta «${username}».`, [{ field: 'username', message: `El usuario «${username}» ya existe.` }]);
      const ins = await q.query<{ id: string }>(
        `insert into app_user (username, password_hash, nombre, role, institucion_id, entidad, must_change_password)
         values ($1, $2, $3, $4, $5, $6, true) returning id`,
        [username, hash, prof.nombre, prof.role, prof.institucion_id, prof.entidad],
      );
      const u = await loadUser(q, ins[0].id);
      await audit(q, a, 'usuario_crear', u, { role: u.role, institucion_id: u.institucion_id, entidad: u.entidad });
      return u;
    });
    return reply.code(201).send(out(row));
  });

  r.put('/api/v1/users/:id', { schema: { tags, summary: 'Modificar nombre, rol, institución, entidad o estado activo', params: idParams, body } }, async (req) => {
    const a = req.actor!;
    admin(a);
    const b = req.body;
    return ctx.db.tx(async (q) => {
      const cur = await loadUser(q, req.params.id, true);
      const errors: Issue[] = [];
      // A GET answer sent back is accepted: read-only keys are ignored, unknown ones refused.
      const editable = ['nombre', 'role', 'institucion_id', 'entidad', 'active'];
      const readOnly = ['id', 'username', 'institucion_nombre', 'mustChangePassword', 'mfaEnabled', 'mfaRequired', 'recoveryCodesLeft', 'failedLogins', 'locked', 'lockedUntil', 'lastLoginAt', 'createdAt'];
      for (const k of Object.keys(b)) if (!editable.includes(k) && !readOnly.includes(k)) errors.push({ field: k, message: `«${k}» no es un dato modificable de la cuenta.` });
      if ('username' in b && b.username !== cur.username) errors.push({ field: 'username', message: '«username» no se cambia; cree otra cuenta si hace falta.' });
      const has = (k: string) => Object.prototype.hasOwnProperty.call(b, k);
      const role = has('role') ? b.role : cur.role;
      // Moving an account to another role drops the state unless the body names one.
      const entidad = has('entidad') ? b.entidad : role === cur.role ? cur.entidad : null;
      const prof = checkProfile(ctx, { nombre: has('nombre') ? b.nombre : cur.nombre, role, institucion_id: has('institucion_id') ? b.institucion_id : cur.institucion_id, entidad }, errors);
      let active = cur.active;
      if (has('active')) {
        if (typeof b.active !== 'boolean') errors.push({ field: 'active', message: '«active» debe ser verdadero o falso.' });
        else active = b.active;
      }
      if (errors.length) throw badRequest(`La cuenta tiene ${errors.length} dato(s) inválido(s).`, errors);
      if (cur.id === a.id && (!active || prof.role !== 'administrador'))
        throw new HttpError('invalid_state', 'No puede desactivar su propia cuenta ni quitarse el rol de administración: pida a otra persona administradora que lo haga.');
      if (cur.role === 'administrador' && cur.active && (!active || prof.role !== 'administrador')) await keepAnAdministrator(q, cur.id);
      await q.query('update app_user set nombre = $2, role = $3, institucion_id = $4, entidad = $5, active = $6 where id = $1', [
        cur.id,
        prof.nombre,
        prof.role,
        prof.institucion_id,
        prof.entidad,
        active,
      ]);
      const cambios: Record<string, [unknown, unknown]> = {};
      const next = { nombre: prof.nombre, role: prof.role, institucion_id: prof.institucion_id, entidad: prof.entidad, active };
      for (const k of Object.keys(next) as (keyof typeof next)[]) if (cur[k] !== next[k]) cambios[k] = [cur[k], next[k]];
      // What the person may reach changed: every open session ends (they sign in again with the new scope).
      const reach = ['role', 'institucion_id', 'entidad', 'active'].some((k) => k in cambios);
      const ended = reach ? await endUserSessions(q, cur.id) : 0;
      if (Object.keys(cambios).length) await audit(q, a, 'usuario_modificar', cur, { cambios, sesiones_terminadas: ended });
      return out(await loadUser(q, cur.id));
    });
  });

  const action = (
    path: string,
    summary: string,
    run: (q: Queryable, a: Actor, u: UserRow, body: Record<string, unknown>) => Promise<Record<string, unknown> | void>,
  ) =>
    r.post(`/api/v1/users/:id/${path}`, { schema: { tags, summary, params: idParams, body: body.default({}) } }, async (req) => {
      const a = req.actor!;
      admin(a);
      return ctx.db.tx(async (q) => {
        const u = await loadUser(q, req.params.id, true);
        const extra = await run(q, a, u, req.body ?? {});
        return { ...out(await loadUser(q, u.id)), ...(extra ?? {}) };
      });
    });

  action('disable', 'Desactivar la cuenta (termina sus sesiones)', async (q, a, u) => {
    if (u.id === a.id) throw new HttpError('invalid_state', 'No puede desactivar su propia cuenta.');
    if (!u.active) return;
    if (u.role === 'administrador') await keepAnAdministrator(q, u.id);
    await q.query('update app_user set active = false where id = $1', [u.id]);
    await audit(q, a, 'usuario_desactivar', u, { sesiones_terminadas: await endUserSessions(q, u.id) });
  });

  action('enable', 'Reactivar la cuenta', async (q, a, u) => {
    if (u.active) return;
    await q.query('update app_user set active = true where id = $1', [u.id]);
    await audit(q, a, 'usuario_activar', u);
  });

  action('reset-password', 'Restablecer la contraseña (temporal; se cambia al entrar). Sin «password», se genera una', async (q, a, u, b) => {
    const given = typeof b.password === 'string' && b.password !== '' ? b.password : null;
    const pw = given ?? temporaryPassword();
    const problem = passwordProblem(pw, u.username);
    if (problem) throw badRequest(problem, [{ field: 'password', message: problem }]);
    await q.query('update app_user set password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = null where id = $1', [u.id, await hashPassword(pw)]);
    await audit(q, a, 'usuario_reset_contrasena', u, { sesiones_terminadas: await endUserSessions(q, u.id) });
    return given ? {} : { temporaryPassword: pw };
  });

  action('reset-mfa', 'Restablecer la verificación en dos pasos (la persona la registra de nuevo al entrar)', async (q, a, u) => {
    await q.query(`update app_user set mfa_enabled = false, mfa_secret = null, mfa_last_step = null, recovery_codes = '{}' where id = $1`, [u.id]);
    await audit(q, a, 'usuario_reset_mfa', u, { sesiones_terminadas: await endUserSessions(q, u.id) });
  });

  action('unlock', 'Desbloquear la cuenta tras intentos fallidos', async (q, a, u) => {
    await q.query('update app_user set failed_logins = 0, locked_until = null where id = $1', [u.id]);
    await audit(q, a, 'usuario_desbloquear', u);
  });

  // Network addresses with failed sign-ins in the current window. An office behind one shared address shares
  // the limit, so the administration sees which addresses are held back and lifts a block (audited) instead
  // of everyone there waiting out the window.
  r.get('/api/v1/login-blocks', { schema: { tags, summary: 'Direcciones de red con inicios de sesión fallidos en la ventana actual' } }, async (req) => {
    admin(req.actor!);
    const rows = await currentHits(ctx.db, LOGIN_IP);
    const hasta = new Date(Date.now() + retryAfter(LOGIN_IP) * 1000).toISOString();
    return { limite: LOGIN_IP.max, ventanaMinutos: LOGIN_IP.windowSec / 60, items: rows.map((x) => ({ ip: x.key, fallos: x.hits, bloqueada: x.hits >= LOGIN_IP.max, hasta })) };
  });

  r.post('/api/v1/login-blocks/unblock', { schema: { tags, summary: 'Levantar el bloqueo de una dirección de red (sus intentos fallidos vuelven a cero)', body } }, async (req) => {
    const a = req.actor!;
    admin(a);
    const ip = str(req.body.ip);
    if (!ip || net.isIP(ip) === 0) throw badRequest('«ip» debe ser una dirección IPv4 o IPv6.', [{ field: 'ip', message: '«ip» debe ser una dirección IPv4 o IPv6, p. ej. 10.1.2.3.' }]);
    return ctx.db.tx(async (q) => {
      const fallos = await clearHits(q, LOGIN_IP, ip);
      await writeAudit(q, a, { action: 'direccion_desbloquear', detail: { direccion: ip, fallos } });
      return { ip, fallos: 0, fallosAntes: fallos, bloqueada: false };
    });
  });
}
