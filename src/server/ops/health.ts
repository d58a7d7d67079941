// Readiness: GET /api/v1/health/ready answers 200 only when this instance can serve: the primary database
// (and the read replica, when configured) answers, and the schema has every migration this version
// expects. A load balancer routes to ready instances; /api/v1/health stays the liveness check.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import type { Db } from '../db/client.js';
import { HttpError, sendProblem } from '../http/errors.js';
import { migrationProblems, migrationStatus, type MigrationStatus } from './migrations.js';

const CHECK_TIMEOUT_MS = 3000;

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: sin respuesta en ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

async function reachable(db: Db, what: string): Promise<string | null> {
  try {
    await withTimeout(db.query('select 1'), what);
    return null;
  } catch (e) {
    return `${what} no responde (${(e as Error).message})`;
  }
}

export interface Readiness {
  ready: boolean;
  problems: string[];
  checks: {
    database: 'ok' | 'error';
    readDatabase: 'ok' | 'error' | 'no_configurada';
    replicaLagSeconds?: number | null;
    migrations: MigrationStatus | null;
  };
}

export async function readiness(ctx: Ctx): Promise<Readiness> {
  const problems: string[] = [];
  const primary = await reachable(ctx.db, 'la base de datos');
  if (primary) problems.push(primary);
  let read: Readiness['checks']['readDatabase'] = 'no_configurada';
  let lag: number | null | undefined;
  if (ctx.config.DATABASE_READ_URL) {
    const p = await reachable(ctx.readDb, 'la réplica de lectura');
    read = p ? 'error' : 'ok';
    if (p) problems.push(p);
    else {
      // Reported, not judged: how stale statistics may be is the operators' call.
      const r = await ctx.readDb
        .query<{ lag: number | null }>('select case when pg_is_in_recovery() then extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag')
        .catch(() => [{ lag: null }]);
      lag = r[0]?.lag ?? null;
    }
  }
  let migrations: MigrationStatus | null = null;
  if (!primary) {
    try {
      migrations = await withTimeout(migrationStatus(ctx.db), 'el estado de las migraciones');
      problems.push(...migrationProblems(migrations));
    } catch (e) {
      problems.push(`no se pudo leer el estado de las migraciones (${(e as Error).message})`);
    }
  }
  return {
    ready: problems.length === 0,
    problems,
    checks: { database: primary ? 'error' : 'ok', readDatabase: read, ...(lag !== undefined ? { replicaLagSeconds: lag } : {}), migrations },
  };
}

export async function healthRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.get('/api/v1/health/ready', { schema: { tags: ['sistema'], summary: 'Lista para atender: base de datos y migraciones al día' } }, async (_req, reply) => {
    const r = await readiness(ctx);
    if (r.ready) return { status: 'ready', database: ctx.db.kind, version: ctx.version, checks: r.checks };
    return sendProblem(reply, new HttpError('not_ready', `SINTRA no está lista: ${r.problems.join('; ')}.`, undefined, { checks: r.checks }));
  });
}
