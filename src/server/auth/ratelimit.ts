// Rate limits with their counters in PostgreSQL (table rate_limit), so that several app instances behind
// a load balancer share them. Fixed windows: simple, and at worst twice the limit across a window edge.
import type { Queryable } from '../db/client.js';

export interface Limit {
  bucket: string;
  max: number;
  windowSec: number;
}

/** Failed sign-ins from one IP address (any user names): stops password spraying from one place. */
export const LOGIN_IP: Limit = { bucket: 'login_ip', max: 30, windowSec: 15 * 60 };
/** Failed sign-ins under a user name that has no account: they lock like an account does (see routes.ts), so
 * that the 429 after the tenth failure does not tell which names exist. */
export const LOGIN_UNKNOWN_USER: Limit = { bucket: 'login_desconocido', max: 10, windowSec: 15 * 60 };
/** Exports (files) per user. */
export const EXPORTS: Limit = { bucket: 'export', max: 30, windowSec: 10 * 60 };

const windowStart = (l: Limit) => `to_timestamp(floor(extract(epoch from now()) / ${l.windowSec}) * ${l.windowSec})`;

/** Hits counted so far in the current window. */
export async function hitsOf(db: Queryable, l: Limit, key: string): Promise<number> {
  const r = await db.query<{ hits: number }>(`select hits from rate_limit where bucket = $1 and key = $2 and window_start = ${windowStart(l)}`, [l.bucket, key.slice(0, 128)]);
  return r[0]?.hits ?? 0;
}

/** Counts one hit and returns the window's count including it. */
export async function hit(db: Queryable, l: Limit, key: string): Promise<number> {
  const k = key.slice(0, 128);
  const r = await db.query<{ hits: number }>(
    `insert into rate_limit (bucket, key, window_start, hits) values ($1, $2, ${windowStart(l)}, 1)
     on conflict (bucket, key, window_start) do update set hits = rate_limit.hits + 1 returning hits`,
    [l.bucket, k],
  );
  // Old windows are of no use: drop this key's, and now and then everybody's older than a day.
  await db.query(`delete from rate_limit where bucket = $1 and key = $2 and window_start < ${windowStart(l)}`, [l.bucket, k]);
  if (Math.random() < 0.01) await db.query(`delete from rate_limit where window_start < now() - interval '1 day'`);
  return r[0].hits;
}

/** Keys counted in the current window, most hits first (what the administration screen lists). */
export async function currentHits(db: Queryable, l: Limit, limit = 200): Promise<{ key: string; hits: number }[]> {
  return db.query<{ key: string; hits: number }>(
    `select key, hits from rate_limit where bucket = $1 and window_start = ${windowStart(l)} order by hits desc, key limit ${Math.floor(limit)}`,
    [l.bucket],
  );
}

/** Forgets a key's count in every window (an administrator lifting a block); returns the current window's hits it had. */
export async function clearHits(db: Queryable, l: Limit, key: string): Promise<number> {
  const before = await hitsOf(db, l, key);
  await db.query('delete from rate_limit where bucket = $1 and key = $2', [l.bucket, key.slice(0, 128)]);
  return before;
}

/** Seconds until the current window ends (for Retry-After). */
export function retryAfter(l: Limit): number {
  const now = Math.floor(Date.now() / 1000);
  return l.windowSec - (now % l.windowSec);
}
