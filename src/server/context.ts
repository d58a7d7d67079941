import type { FastifyBaseLogger } from 'fastify';
import type { CatalogDef } from '../catalogs/types.js';
import type { CatalogRegistry } from './catalogs/registry.js';
import type { Config } from './config.js';
import type { Db } from './db/client.js';

/** What every service needs; built once at boot and passed down (no globals). */
export interface Ctx {
  db: Db;
  /** Statistics may go to a read replica (DATABASE_READ_URL); otherwise the same as db. */
  readDb: Db;
  config: Config;
  catalogs: CatalogRegistry;
  baseCatalogs: { spec: CatalogDef[]; territory: CatalogDef[] };
  log: FastifyBaseLogger | Console;
  version: string;
}
