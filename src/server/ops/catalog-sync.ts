// Catalogs and institutions are held in each instance's memory (validation reads them synchronously). When
// an instance changes them (a new institution, an edited catalog) it reloads its own copy; the other
// instances hear of it through PostgreSQL LISTEN/NOTIFY and reload theirs, so N instances stay one.
// A dropped listening connection is reopened, with a reload, since notifications may have been missed.
import crypto from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { pgPoolConfig } from './pg-options.js';

export const CATALOG_CHANNEL = 'sintra_catalogos';

type Reload = Ctx['catalogs']['reload'];

/** Registries already synchronised (two apps on one context, as some tests build, share one listener). */
const synced = new WeakSet<object>();

export async function catalogSync(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const url = ctx.config.DATABASE_URL;
  if (ctx.db.kind !== 'postgresql' || !url || synced.has(ctx.catalogs)) return;
  synced.add(ctx.catalogs);
  const registry = ctx.catalogs;
  const instance = crypto.randomUUID();
  const localReload: Reload = registry.reload.bind(registry);
  let closed = false;
  let client: pg.Client | undefined;

  const log = (msg: string, err?: unknown) => app.log.warn({ err }, msg);
  const reloadFromDb = () => localReload(ctx.db, ctx.baseCatalogs).catch((e) => log('no se pudieron recargar los catálogos', e));

  // Every reload made here (after a change committed here) tells the others.
  registry.reload = async (db, base) => {
    await localReload(db, base);
    await ctx.db.query('select pg_notify($1, $2)', [CATALOG_CHANNEL, instance]).catch((e) => log('no se pudo avisar a las otras instancias', e));
  };

  const { max: _max, ...conn } = pgPoolConfig(url, ctx.config);
  const listen = async (): Promise<void> => {
    const c = new pg.Client({ ...conn, application_name: 'sintra-catalogos' });
    c.on('notification', (n) => {
      if (n.channel === CATALOG_CHANNEL && n.payload !== instance) void reloadFromDb();
    });
    c.on('error', (e) => log('se perdió la conexión que escucha cambios de catálogos', e));
    c.on('end', () => {
      if (closed) return;
      setTimeout(() => void listen().then(reloadFromDb, (e) => log('no se pudo volver a escuchar cambios de catálogos', e)), 1000).unref();
    });
    await c.connect();
    // A LISTEN connection is idle for hours by design.
    await c.query("set statement_timeout = 0; set idle_in_transaction_session_timeout = 0; listen " + CATALOG_CHANNEL);
    client = c;
  };
  await listen();

  app.addHook('onClose', async () => {
    closed = true;
    registry.reload = localReload;
    synced.delete(registry);
    await client?.end().catch(() => undefined);
  });
}
