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
import { EXPORTS, hit, retryAfter } from './auth/ratelimit.js';
import { institutionRoutes } from './institutions/routes.js';
import { userRoutes } from './users/routes.js';
import { sessionTimeouts } from './config.js';
import type { Ctx } from './context.js';
import { HttpError, errorHandler, sendProblem } from './http/errors.js';
import { recordRoutes } from './records/routes.js';
import { catalogRoutes } from './catalogs/routes.js';
import { catalogAdminRoutes } from './catalogs/admin.js';
import { attachmentRoutes } from './attachments/routes.js';
import { statsRoutes } from './stats/routes.js';
import { publicRoutes } from './public/routes.js';
import { supportRoutes } from './support/routes.js';
import { duplicateRoutes } from './duplicates/routes.js';
import { incidenciaRoutes } from './incidencia/routes.js';
import { auditRoutes } from './audit/routes.js';
import { rejectNulInput } from './http/input.js';
import { importRoutes } from './imports/routes.js';
import { exportRoutes } from './exports/routes.js';
import { programaRoutes } from './programa/routes.js';
import { indicatorRoutes } from './indicators/routes.js';
import { complianceRoutes } from './compliance/routes.js';
import { reportRoutes } from './reports/routes.js';
import { loggerOptions, opsPlugin, requestId } from './ops/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

/** Routes that answer without a session (contract: health, login, published tables). */
const PUBLIC = [/^\/api\/v1\/health(\/ready)?$/, /^\/api\/v1\/auth\/login$/, /^\/api\/v1\/public\//];
/** Routes reachable while the password must still be changed or MFA enrolled. */
const ONLY_AUTH = /^\/api\/v1\/auth\//;

/** Downloads of data files (record exports, statistics as CSV/XLSX, reports): rate-limited per user. */
function isExport(method: string, pathOnly: string, url: string): boolean {
  if (method !== 'GET' || pathOnly.includes('/template')) return false;
  return /\/(export|file)$|\/reports\/annual$/.test(pathOnly) || /[?&]format=(csv|xlsx|pdf|docx)(&|$)/.test(url);
}

export async function buildApp(ctx: Ctx, opts: { logger?: boolean; logStream?: NodeJS.WritableStream } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // JSON logs without secrets or sensitive values (ops/logging.ts).
    logger: opts.logger ? loggerOptions(ctx.config, opts.logStream) : false,
    trustProxy: ctx.config.SINTRA_TRUST_PROXY === '1',
    bodyLimit: 2 * 1024 * 1024,
    genReqId: requestId,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('preValidation', rejectNulInput);
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/assets/')) return sendProblem(reply, new HttpError('not_found', 'Ruta no encontrada.'));
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
  // Metrics, request ids, readiness: first, so their hooks see every request (a 401 included).
  await opsPlugin(app, ctx);

  // Session on every /api/v1 route but the public ones; CSRF: same-origin check on state changes.
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    reply.header('cache-control', 'no-store');
    const pathOnly = req.url.split('?')[0];
    const stateChanging = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    // Browsers label requests another site starts (Fetch Metadata); SameSite=Strict already keeps the cookie off them.
    if (stateChanging && (req.headers['sec-fetch-site'] === 'cross-site' || req.headers['sec-fetch-site'] === 'same-site'))
      throw new HttpError('forbidden', 'Solicitud de otro origen rechazada.');
    if (stateChanging && req.headers.origin) {
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
      // The expiry warning polls /auth/me?peek=1, which must not keep an idle session alive.
      const touch = !(pathOnly === '/api/v1/auth/me' && /[?&]peek=1(&|$)/.test(req.url));
      const a = await lookupSession(ctx.db, token, sessionTimeouts(ctx.config).idleSec, req.ip, touch);
      if (a) req.actor = a;
    }
    if (PUBLIC.some((re) => re.test(pathOnly))) return;
    if (!req.actor) throw new HttpError('unauthenticated', 'Inicie sesión para continuar (o su sesión expiró).');
    if (req.actor.mustChangePassword && !ONLY_AUTH.test(pathOnly))
      throw new HttpError('forbidden', 'Debe cambiar su contraseña antes de continuar.', undefined, { code: 'password_change_required' });
    if (req.actor.mfaEnrollmentRequired && !ONLY_AUTH.test(pathOnly))
      throw new HttpError('forbidden', 'Su cuenta requiere la verificación en dos pasos: regístrela antes de continuar.', undefined, { code: 'mfa_enrollment_required' });
    if (isExport(req.method, pathOnly, req.url) && (await hit(ctx.db, EXPORTS, req.actor.id)) > EXPORTS.max) {
      reply.header('retry-after', String(retryAfter(EXPORTS)));
      throw new HttpError('too_many_requests', `Demasiadas exportaciones en poco tiempo (más de ${EXPORTS.max} en ${EXPORTS.windowSec / 60} minutos). Espere unos minutos.`);
    }
  });

  app.get('/api/v1/health', { schema: { tags: ['sistema'], summary: 'Estado del servicio' } }, async () => {
    await ctx.db.query('select 1');
    return { status: 'ok', database: ctx.db.kind, ambiente: ctx.config.SINTRA_AMBIENTE, version: ctx.version };
  });

  await authRoutes(app, ctx);
  await institutionRoutes(app, ctx);
  await userRoutes(app, ctx);
  await catalogRoutes(app, ctx);
  await catalogAdminRoutes(app, ctx);
  await recordRoutes(app, ctx);
  await attachmentRoutes(app, ctx);
  await statsRoutes(app, ctx);
  await publicRoutes(app, ctx);
  await supportRoutes(app, ctx);
  await duplicateRoutes(app, ctx);
  await incidenciaRoutes(app, ctx);
  await auditRoutes(app, ctx);
  await importRoutes(app, ctx);
  await exportRoutes(app, ctx);
  await programaRoutes(app, ctx);
  await indicatorRoutes(app, ctx);
  await complianceRoutes(app, ctx);
  await reportRoutes(app, ctx);

  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (fs.existsSync(WEB_DIST)) {
    await app.register(fstatic, { root: WEB_DIST, prefix: '/', wildcard: true, index: ['index.html'] });
  }
  return app;
}
