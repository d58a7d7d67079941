import crypto from 'node:crypto';
import fs from 'node:fs';
import { SPEC_CATALOGS } from '../catalogs/spec-catalogs.js';
import { loadTerritory } from '../catalogs/territory.js';
import { MODULES } from '../modules/index.js';
import { checkDefinitions } from '../modules/check.js';
import { hashPassword } from './auth/password.js';
import { CatalogRegistry, seedCatalogs } from './catalogs/registry.js';
import { seedPrograma } from './programa/seed.js';
import { syncPnCatalog } from './programa/service.js';
import type { Config } from './config.js';
import type { Ctx } from './context.js';
import { openDb, type Db, type Queryable } from './db/client.js';
import { timedReads } from './ops/instrument.js';
import { assertMigrationsCurrent, prepareDatabase } from './ops/migrations.js';
import { pgPoolConfig } from './ops/pg-options.js';

export const VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Institución de la Secretaría Técnica (SEGOB preside la CI y tiene la Secretaría Técnica). */
export const ST_INSTITUTION = 'SEGOB';

export async function seedInstitutions(db: Queryable): Promise<void> {
  const def = SPEC_CATALOGS.find((c) => c.name === 'institucion');
  if (!def) throw new Error('Falta el catálogo INSTITUCION en la especificación');
  for (const it of def.items) {
    const siglas = it.code.length <= 12 ? it.code : null;
    await db.query(
      `insert into institucion (codigo, nombre, siglas, ambito, grupo, obligada_reportar)
       values ($1, $2, $3, 'FEDERAL', $4, $5) on conflict (codigo) do nothing`,
      [it.code, it.label, siglas, it.group ?? null, it.group === 'CI_INTEGRANTE'],
    );
  }
}

/** Creates the first administrator when there is no user; returns the generated password, if any. */
export async function ensureAdmin(db: Queryable, config: Config): Promise<{ created: boolean; generatedPassword?: string }> {
  const rows = await db.query<{ n: number }>('select count(*)::int as n from app_user');
  if (rows[0].n > 0) return { created: false };
  const generated = config.SINTRA_ADMIN_PASSWORD ? undefined : crypto.randomBytes(12).toString('base64url');
  const pw = config.SINTRA_ADMIN_PASSWORD ?? generated!;
  await db.query(
    `insert into app_user (username, password_hash, nombre, role, institucion_id, must_change_password, mfa_exento)
     values ($1, $2, 'Administración SINTRA', 'administrador', $3, $4, $5)`,
    [config.SINTRA_ADMIN_USER, await hashPassword(pw), ST_INSTITUTION, generated !== undefined, generated === undefined && config.SINTRA_ADMIN_MFA !== '1'],
  );
  return { created: true, generatedPassword: generated };
}

/** Opens and prepares the database: migrations, catalogs, institutions. Same for server, CLI and tests. */
export async function createContext(config: Config, opts: { memory?: boolean; log?: Ctx['log']; migrate?: boolean } = {}): Promise<Ctx> {
  checkDefinitions(MODULES, SPEC_CATALOGS);
  const db = await openDb({
    url: config.DATABASE_URL,
    dataDir: config.dataDir,
    memory: opts.memory,
    pool: config.DATABASE_URL ? pgPoolConfig(config.DATABASE_URL, config, 'primary') : undefined,
  });
  // Migrations and seed once across instances (advisory lock); with SINTRA_MIGRATE_AT_START=0 they are
  // `sintra migrate`'s job (run by the schema owner) and the start only checks the schema is current.
  if (opts.migrate ?? config.SINTRA_MIGRATE_AT_START === '1')
    await prepareDatabase(db, config, async (d) => {
      await seedCatalogs(d, SPEC_CATALOGS);
      await seedInstitutions(d);
      // Programa Nacional 2022-2024 (spec §5) and its PN_ACCION catalog, once.
      if (await seedPrograma(d)) await syncPnCatalog(d);
    });
  else await assertMigrationsCurrent(db);
  const t = loadTerritory();
  const baseCatalogs = { spec: SPEC_CATALOGS, territory: [t.entidad, t.municipio, t.pais] };
  const catalogs = new CatalogRegistry();
  await catalogs.reload(db, baseCatalogs);
  // Statistics and exports read from the replica when there is one; their query times feed /metrics.
  const readDb = config.DATABASE_READ_URL
    ? timedReads(await openDb({ url: config.DATABASE_READ_URL, pool: pgPoolConfig(config.DATABASE_READ_URL, config, 'read') }), true)
    : timedReads(db, false);
  return { db, readDb, config, catalogs, baseCatalogs, log: opts.log ?? console, version: VERSION };
}

export async function closeContext(ctx: Ctx): Promise<void> {
  if (ctx.readDb !== ctx.db) await ctx.readDb.close();
  await ctx.db.close();
}
