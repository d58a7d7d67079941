// Cluster-wide locks for work that several app instances may start at the same moment (migrations,
// seeding, the first administrator, the bundled SESNSP file). They live in PostgreSQL, not in a process,
// so N instances behind a load balancer behave as one.
import type { Db } from '../db/client.js';

/**
 * Runs fn while holding a PostgreSQL advisory lock named `name`. The lock belongs to a transaction on a
 * connection of its own, so fn may use the pool freely; it ends with that transaction, even if this
 * process dies. PGlite serves one process and one connection: no lock is needed (and a held transaction
 * would block fn).
 */
export async function withAdvisoryLock<T>(db: Db, name: string, fn: () => Promise<T>): Promise<T> {
  if (db.kind === 'pglite') return fn();
  return db.tx(async (q) => {
    // Waiting for another instance's migration is not a slow statement; neither is holding the lock idle.
    await q.query("select set_config('statement_timeout', '0', true), set_config('idle_in_transaction_session_timeout', '0', true)");
    await q.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [name]);
    return fn();
  });
}
