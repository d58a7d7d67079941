import crypto from 'node:crypto';
import type { Queryable } from '../db/client.js';
import type { Actor, Role } from './actor.js';
import { mfaMandatory } from './mfa.js';

export const SESSION_COOKIE = 'sintra_sesion';

export function sha256(s: string | Buffer): string {
  return crypto.createHash('sha256').update(s).digest('hex');
}

export async function createSession(db: Queryable, userId: string, maxSec: number, ip: string, ua: string): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  await db.query(
    `insert into session (token_hash, user_id, expires_at, ip, user_agent) values ($1, $2, now() + make_interval(secs => $3), $4, $5)`,
    [sha256(token), userId, maxSec, ip.slice(0, 64), ua.slice(0, 300)],
  );
  return token;
}

const COLS = `u.id, u.username, u.nombre, u.role, u.institucion_id, u.entidad, u.must_change_password, u.mfa_enabled, u.mfa_exento,
  i.nombre as inst_nombre, i.ambito as inst_ambito, i.entidad as inst_entidad, s.expires_at`;
const LIVE = `s.token_hash = $1 and u.id = s.user_id and u.active
  and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => $2)`;

/**
 * The session's actor, or null when absent, expired (absolute: expires_at) or idle too long (last_seen_at
 * older than idleSec). A request extends the idle window (touch); the web's expiry warning reads the
 * session without extending it (touch = false), so polling does not keep an abandoned session alive.
 */
export async function lookupSession(db: Queryable, token: string, idleSec: number, ip: string, touch = true): Promise<Actor | null> {
  const rows = await db.query<{
    id: string;
    username: string;
    nombre: string | null;
    role: Role;
    institucion_id: string;
    entidad: string | null;
    must_change_password: boolean;
    mfa_enabled: boolean;
    mfa_exento: boolean;
    inst_nombre: string;
    inst_ambito: Actor['institucion_ambito'];
    inst_entidad: string | null;
    expires_at: Date | string;
    idle_expires_at: Date | string;
    db_now: Date | string;
  }>(
    touch
      ? `update session s set last_seen_at = now()
           from app_user u join institucion i on i.codigo = u.institucion_id
          where ${LIVE} returning ${COLS}, now() + make_interval(secs => $2) as idle_expires_at, now() as db_now`
      : `select ${COLS}, s.last_seen_at + make_interval(secs => $2) as idle_expires_at, now() as db_now
           from session s join app_user u on u.id = s.user_id join institucion i on i.codigo = u.institucion_id
          where ${LIVE}`,
    [sha256(token), idleSec],
  );
  const r = rows[0];
  if (!r) return null;
  const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();
  const expiresAt = iso(r.expires_at);
  const idle = iso(r.idle_expires_at);
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
    mfaEnrollmentRequired: mfaMandatory(r.role) && !r.mfa_enabled && !r.mfa_exento,
    mfaEnabled: r.mfa_enabled,
    // The session ends at whichever comes first.
    sessionExpiresAt: expiresAt,
    idleExpiresAt: idle < expiresAt ? idle : expiresAt,
    serverTime: iso(r.db_now),
    ip,
  };
}

export async function deleteSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from session where token_hash = $1', [sha256(token)]);
}

/** Ends every session of a user (disabled, password or MFA reset, role or institution changed). */
export async function endUserSessions(db: Queryable, userId: string): Promise<number> {
  const r = await db.query<{ n: number }>('with d as (delete from session where user_id = $1 returning 1) select count(*)::int as n from d', [userId]);
  return r[0]?.n ?? 0;
}
