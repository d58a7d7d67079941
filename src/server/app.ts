// Builds the Fastify app (no listen): the server and the tests use the same app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fstatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Actor } from './auth/actor.js';
import { authRoutes } from './auth/routes.js';
import { SESSION_COOKIE, lookupSession } from './auth/sessions.js';
import type { Ctx } from './context.js';
import { HttpError, errorHandler, sendProblem } from './http/errors.js';
import { recordRoutes } from './records/routes.js';
import { catalogRoutes } from './catalogs/routes.js';
import { attachmentRoutes } from './attachments/routes.js';
import { statsRoutes } from './stats/routes.js';
import { incidenciaRoutes } from './incidencia/routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Routes that answer without a session (contract: health, login, published tables). */
const PUBLIC = [/^\/api\/v1\/health$/, /^\/api\/v1\/auth\/login$/, /^\/api\/v1\/public\//];
/** Routes reachable while the password must still be changed. */
const ONLY_AUTH = /^\/api\/v1\/auth\//;

export async function buildApp(ctx: Ctx, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: ctx.config.LOG_LEVEL, redact: ['req.headers.cookie', 'req.headers.authorization'] } : false,
    trustProxy: process.env.SINTRA_TRUST_PROXY === '1',
    bodyLimit: 2 * 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return sendProblem(reply, new HttpError('not_found', 'Ruta no encontrada.'));
    // Single-page app: every other GET returns the client's index.
    const index = path.join(WEB_DIST, 'index.html');
    if (req.method === 'GET' && fs.existsSync(index)) return reply.type('text/html').send(fs.readFileSync(index));
    return sendProblem(reply, new HttpError('not_found', 'Página no encontrada.'));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 100 * 1024 * 1024, files: 1, fields: 5 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'SINTRA API', version: ctx.version, description: 'Sistema Nacional de Información en materia de Trata de Personas' },
    },
    transform: jsonSchemaTransform,
  });

  // Session on every /api/v1 route but the public ones; CSRF: same-origin check on state changes.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    reply.header('cache-control', 'no-store');
    const pathOnly = req.url.split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers.origin) {
      const host = req.headers['x-forwarded-host'] ?? req.headers.host;
      let originHost = '';
      try {
        originHost = new URL(req.headers.origin).host;
      } catch {
        originHost = '';
      }
      if (originHost !== host) throw new HttpError('forbidden', 'Solicitud de otro origen rechazada.');
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const a = await lookupSession(ctx.db, token, ctx.config.SINTRA_SESSION_IDLE_MIN, req.ip);
      if (a) req.actor = a;
    }
    if (PUBLIC.some((re) => re.test(pathOnly))) return;
    if (!req.actor) throw new HttpError('unauthenticated', 'Inicie sesión para continuar (o su sesión expiró).');
    if (req.actor.mustChangePassword && !ONLY_AUTH.test(pathOnly))
      throw new HttpError('forbidden', 'Debe cambiar su contraseña antes de continuar.', undefined, { code: 'password_change_required' });
  });

  app.get('/api/v1/health', { schema: { tags: ['sistema'], summary: 'Estado del servicio' } }, async () => {
    await ctx.db.query('select 1');
    return { status: 'ok', database: ctx.db.kind, ambiente: ctx.config.SINTRA_AMBIENTE, version: ctx.version };
  });

  await authRoutes(app, ctx);
  await catalogRoutes(app, ctx);
  await recordRoutes(app, ctx);
  await attachmentRoutes(app, ctx);
  await statsRoutes(app, ctx);
  await incidenciaRoutes(app, ctx);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (fs.existsSync(WEB_DIST)) {
    await app.register(fstatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  return app;
}
