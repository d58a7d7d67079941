// Structured JSON logs (pino through Fastify) with request ids, and nothing secret or sensitive in them:
// no bodies (Fastify never logs them; our serializers keep it so), no headers (cookies, tokens), query
// values of text search and of sensitive victim fields hidden, error details (which PostgreSQL fills with
// the offending values) dropped.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { MODULES } from '../../modules/index.js';
import type { Config } from '../config.js';

export const HIDDEN = '[oculto]';

/** Query parameters whose values never reach the log: free text, and every field marked P or S in the spec. */
export const HIDDEN_QUERY_KEYS: ReadonlySet<string> = new Set([
  'q',
  'password',
  'token',
  ...MODULES.flatMap((m) => m.fields.filter((f) => f.sensitivity).map((f) => f.key)),
]);

/** The URL as logged: path kept, each query value hidden when its key (or `f.<key>`) is sensitive. */
export function safeUrl(url: string): string {
  const i = url.indexOf('?');
  if (i < 0) return url;
  const params = new URLSearchParams(url.slice(i + 1));
  const out = new URLSearchParams();
  for (const [k, v] of params) {
    const field = k.replace(/^f\./, '').replace(/\.(min|max)$/, '');
    out.append(k, HIDDEN_QUERY_KEYS.has(k) || HIDDEN_QUERY_KEYS.has(field) ? HIDDEN : v);
  }
  return `${url.slice(0, i)}?${out.toString()}`;
}

/** A request id from the reverse proxy (`X-Request-Id`, e.g. nginx's $request_id) when well formed, else a new one. */
export function requestId(req: { headers: Record<string, string | string[] | undefined> }): string {
  const h = req.headers['x-request-id'];
  return typeof h === 'string' && /^[A-Za-z0-9._:-]{8,128}$/.test(h) ? h : crypto.randomUUID();
}

/** Paths pino blanks wherever they appear, in case a future log call passes an object carrying them. */
const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'totp',
  'token',
  'body',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.totp',
  '*.token',
  '*.body',
  '*.cookie',
  '*.authorization',
  'req.headers',
  'res.headers',
];

export function loggerOptions(config: Config, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level: config.LOG_LEVEL,
    redact: { paths: REDACT, censor: HIDDEN },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: safeUrl(req.url),
        route: req.routeOptions?.url,
        remoteAddress: req.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
      // PostgreSQL and drizzle errors carry the values that failed (detail, params, where): keep only what
      // diagnoses the fault.
      err: (e: Error & { code?: string; statusCode?: number }) => ({
        type: e?.name,
        message: e?.message,
        code: e?.code,
        statusCode: e?.statusCode,
        stack: e?.stack,
      }),
    },
    ...(stream ? { stream } : {}),
  } as FastifyServerOptions['logger'];
}
