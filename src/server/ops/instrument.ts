// Times the queries that go to the read pool (statistics and exports) without touching their code:
// the read Db is wrapped once at boot and each query's duration is published on a diagnostics channel,
// which the metrics of the app built on that context turn into a histogram.
import diagnostics_channel from 'node:diagnostics_channel';
import type { Db, Queryable } from '../db/client.js';

export interface ReadQueryEvent {
  /** The wrapped Db: a subscriber keeps only its own context's queries (tests run several in one process). */
  db: Db;
  seconds: number;
  sql: string;
  ok: boolean;
}

export const readQueryChannel = diagnostics_channel.channel('sintra.db.read-query');

function timed(db: () => Db, q: Queryable['query']): Queryable['query'] {
  return async <T>(text: string, params?: unknown[]) => {
    const t0 = process.hrtime.bigint();
    let ok = false;
    try {
      const rows = await q<T>(text, params);
      ok = true;
      return rows;
    } finally {
      if (readQueryChannel.hasSubscribers)
        readQueryChannel.publish({ db: db(), seconds: Number(process.hrtime.bigint() - t0) / 1e9, sql: text, ok } satisfies ReadQueryEvent);
    }
  };
}

/** A Queryable (or Db) whose query() is timed; every other member passes through unchanged. */
function timedQueryable<Q extends Queryable>(q: Q, owner: () => Db): Q {
  const query = timed(owner, (text, params) => q.query(text, params));
  return new Proxy(q, { get: (t, p) => (p === 'query' ? query : bind(t, p)) });
}

function bind(t: object, p: string | symbol) {
  const v = Reflect.get(t, p);
  return typeof v === 'function' ? v.bind(t) : v;
}

/**
 * The read Db, timed. `owns` is false when there is no replica and reads share the primary's pool:
 * closing the wrapper must not close the primary. A Proxy, so members added to Db later pass through.
 */
export function timedReads(inner: Db, owns: boolean): Db {
  const self: Db = new Proxy(inner, {
    get(t, p) {
      if (p === 'query') return query;
      if (p === 'tx')
        return (fn: (q: Queryable) => Promise<unknown>, ...rest: unknown[]) =>
          (t.tx as (...a: unknown[]) => Promise<unknown>)((q: Queryable) => fn(timedQueryable(q, () => self)), ...rest);
      if (p === 'close') return () => (owns ? t.close() : Promise.resolve());
      return bind(t, p);
    },
  });
  const query = timed(() => self, (text, params) => inner.query(text, params));
  return self;
}
