// Operations on every app: request ids on responses, metrics, readiness, catalogs in step across
// instances. Registered before the routes so their hooks see every request.
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { catalogSync } from './catalog-sync.js';
import { healthRoutes } from './health.js';
import { metricsPlugin } from './metrics.js';

export { loggerOptions, requestId } from './logging.js';

export async function opsPlugin(app: FastifyInstance, ctx: Ctx): Promise<void> {
  // The id in every log line of the request, returned so a user's report can be matched to the logs.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await metricsPlugin(app, ctx);
  await healthRoutes(app, ctx);
  // Catalogs cached in memory follow changes made through any instance.
  await catalogSync(app, ctx);
}
