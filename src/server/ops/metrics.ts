// Prometheus metrics at GET /metrics, for the operators' scraper only: a bearer token
// (SINTRA_METRICS_TOKEN); without one the endpoint does not exist. One registry per app, so two apps in
// one process (the two-instance test) keep their own figures.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { MODULES } from '../../modules/index.js';
import type { Ctx } from '../context.js';
import { tableName } from '../db/schema.js';
import { HttpError, sendProblem } from '../http/errors.js';
import { readQueryChannel, type ReadQueryEvent } from './instrument.js';

/** The route pattern (`/api/v1/modules/:module/records/:id`), never the raw URL: bounded label values. */
export const UNMATCHED = 'sin_ruta';

const SOURCES: [RegExp, string][] = [
  ...MODULES.map((m) => [new RegExp(`\\b${tableName(m.key)}\\b`), m.key] as [RegExp, string]),
  [/\bincidencia_victimas\b/, 'incidencia'],
];

/** What a read query is about, for the label of the statistics timing. */
export function querySource(sql: string): string {
  for (const [re, name] of SOURCES) if (re.test(sql)) return name;
  return 'otra';
}

function sameSecret(given: string, expected: string): boolean {
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function metricsPlugin(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const token = ctx.config.SINTRA_METRICS_TOKEN;
  if (!token) {
    // Off: answer like any unknown API path, so the single-page fallback does not serve HTML here.
    app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => sendProblem(reply, new HttpError('not_found', 'Ruta no encontrada.')));
    return;
  }
  const registry = new Registry();
  registry.setDefaultLabels({ ambiente: ctx.config.SINTRA_AMBIENTE });
  collectDefaultMetrics({ register: registry, prefix: 'sintra_' });

  new Gauge({
    name: 'sintra_info',
    help: 'Versión y base de datos de esta instancia (siempre 1).',
    labelNames: ['version', 'database', 'read_replica'],
    registers: [registry],
  }).set({ version: ctx.version, database: ctx.db.kind, read_replica: ctx.config.DATABASE_READ_URL ? 'si' : 'no' }, 1);

  const requests = new Counter({
    name: 'sintra_http_requests_total',
    help: 'Solicitudes HTTP atendidas, por método, patrón de ruta y estado.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'sintra_http_request_errors_total',
    help: 'Respuestas de error: kind=server (5xx) o client (4xx).',
    labelNames: ['method', 'route', 'kind'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'sintra_http_request_duration_seconds',
    help: 'Duración de las solicitudes HTTP por patrón de ruta.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const inFlight = new Gauge({ name: 'sintra_http_requests_in_flight', help: 'Solicitudes en curso.', registers: [registry] });
  const statsQuery = new Histogram({
    name: 'sintra_stats_query_duration_seconds',
    help: 'Duración de las consultas de estadísticas y exportaciones (el pool de lectura), por fuente y resultado.',
    labelNames: ['source', 'outcome'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'sintra_db_pool_connections',
    help: 'Conexiones del pool de PostgreSQL: total, idle, in_use, waiting (solicitudes esperando conexión), max.',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const pools: [string, typeof ctx.db][] = [['primary', ctx.db]];
      if (ctx.config.DATABASE_READ_URL) pools.push(['read', ctx.readDb]);
      for (const [pool, db] of pools) {
        const s = db.poolStats?.();
        if (!s) continue;
        this.set({ pool, state: 'total' }, s.total);
        this.set({ pool, state: 'idle' }, s.idle);
        this.set({ pool, state: 'in_use' }, s.total - s.idle);
        this.set({ pool, state: 'waiting' }, s.waiting);
        this.set({ pool, state: 'max' }, s.max);
      }
    },
  });

  const onReadQuery = (msg: unknown) => {
    const e = msg as ReadQueryEvent;
    if (e.db !== ctx.readDb) return;
    statsQuery.observe({ source: querySource(e.sql), outcome: e.ok ? 'ok' : 'error' }, e.seconds);
  };
  readQueryChannel.subscribe(onReadQuery);
  app.addHook('onClose', async () => {
    readQueryChannel.unsubscribe(onReadQuery);
  });

  app.addHook('onRequest', async () => {
    inFlight.inc();
  });
  app.addHook('onResponse', async (req, reply) => {
    inFlight.dec();
    const route = req.routeOptions?.url ?? UNMATCHED;
    const status = reply.statusCode;
    requests.inc({ method: req.method, route, status: String(status) });
    duration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
    if (status >= 400) errors.inc({ method: req.method, route, kind: status >= 500 ? 'server' : 'client' });
  });

  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (req, reply) => {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!given || !sameSecret(given, token)) {
      reply.header('www-authenticate', 'Bearer realm="sintra-metrics"');
      return sendProblem(reply, new HttpError('unauthenticated', 'Las métricas requieren el token de SINTRA_METRICS_TOKEN (Authorization: Bearer …).'));
    }
    reply.header('cache-control', 'no-store').type(registry.contentType);
    return registry.metrics();
  });
}
