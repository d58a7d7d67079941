import crypto from 'node:crypto';
import type { Actor } from '../auth/actor.js';
import type { Queryable } from '../db/client.js';

export interface AuditEntry {
  action: string;
  module?: string;
  recordId?: string;
  detail?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

/**
 * Writes one audit entry inside the caller's transaction (no change without its entry), chained to
 * the previous entry's hash. The advisory lock serialises writers so the chain has no forks.
 */
export async function writeAudit(q: Queryable, a: Pick<Actor, 'id' | 'username' | 'institucion_id' | 'role' | 'ip'> | null, e: AuditEntry): Promise<void> {
  await q.query('select pg_advisory_xact_lock(884422)');
  const prev = await q.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  const prevHash = prev[0]?.hash ?? GENESIS;
  const at = new Date().toISOString();
  const detail = e.detail ? JSON.stringify(e.detail) : null;
  const payload = [prevHash, at, a?.id ?? '', a?.username ?? '', a?.institucion_id ?? '', a?.role ?? '', a?.ip ?? '', e.action, e.module ?? '', e.recordId ?? '', detail ?? ''].join('\u001f');
  const hash = crypto.createHash('sha256').update(payload).digest('hex');
  await q.query(
    `insert into audit_log (at, user_id, username, institucion_id, role, ip, action, module, record_id, detail, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [at, a?.id ?? null, a?.username ?? null, a?.institucion_id ?? null, a?.role ?? null, a?.ip ?? null, e.action, e.module ?? null, e.recordId ?? null, detail, prevHash, hash],
  );
}
