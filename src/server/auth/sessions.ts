import crypto from 'node:crypto';
import type { Queryable } from '../db/client.js';
import type { Actor, Role } from './actor.js';

export const SESSION_COOKIE = 'sintra_sesion';

export function sha256(s: string | Buffer): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

export async function createSession(db: Queryable, userId: string, maxHours: number, ip: string, ua: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.query(
    `insert into session (token_hash, user_id, expires_at, ip, user_agent) values ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
    [sha256(token), userId, maxHours, ip.slice(0, 64), ua.slice(0, 300)],
  );
  return token;
}

/** The session's actor, or null when absent, expired (absolute) or idle too long; touches last_seen. */
export async function lookupSession(db: Queryable, token: string, idleMin: number, ip: string): Promise<Actor | null> {
  const rows = await db.query<{
    id: string;
    username: string;
    nombre: string | null;
    role: Role;
    institucion_id: string;
    entidad: string | null;
    must_change_password: boolean;
    inst_nombre: string;
    inst_ambito: Actor['institucion_ambito'];
    inst_entidad: string | null;
  }>(
    `update session s set last_seen_at = now()
       from app_user u join institucion i on i.codigo = u.institucion_id
      where s.token_hash = $1 and u.id = s.user_id and u.active
        and s.expires_at > now() and s.last_seen_at > now() - make_interval(mins => $2)
      returning u.id, u.username, u.nombre, u.role, u.institucion_id, u.entidad, u.must_change_password,
                i.nombre as inst_nombre, i.ambito as inst_ambito, i.entidad as inst_entidad`,
    [sha256(token), idleMin],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id,
    username: r.username,
    nombre: r.nombre,
    role: r.role,
    institucion_id: r.institucion_id,
    institucion_nombre: r.inst_nombre,
    institucion_ambito: r.inst_ambito,
    institucion_entidad: r.inst_entidad,
    entidad: r.entidad ?? r.inst_entidad,
    mustChangePassword: r.must_change_password,
    ip,
  };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from session where token_hash = $1', [sha256(token)]);
}
