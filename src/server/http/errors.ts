import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Issue } from '../../modules/validate.js';

/** The catalogue of problem codes (RFC 9457 `code` extension). */
export const PROBLEMS = {
  bad_request: { status: 400, title: 'Solicitud inválida' },
  validation: { status: 400, title: 'Datos inválidos' },
  unauthenticated: { status: 401, title: 'Sesión requerida' },
  invalid_credentials: { status: 401, title: 'Credenciales incorrectas' },
  mfa_required: { status: 401, title: 'Código de verificación requerido' },
  forbidden: { status: 403, title: 'Acceso denegado' },
  not_found: { status: 404, title: 'No encontrado' },
  conflict: { status: 409, title: 'Conflicto de versión' },
  invalid_state: { status: 409, title: 'Estatus no permite la operación' },
  payload_too_large: { status: 413, title: 'Archivo demasiado grande' },
  unsupported_type: { status: 415, title: 'Tipo de archivo no permitido' },
  unprocessable: { status: 422, title: 'Archivo con errores' },
  too_many_requests: { status: 429, title: 'Demasiados intentos' },
  internal: { status: 500, title: 'Error interno' },
  not_ready: { status: 503, title: 'Servicio no disponible' },
} as const;
export type ProblemCode = keyof typeof PROBLEMS;

export class HttpError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: (Issue & { row?: number; column?: string })[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail);
  }
  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export const badRequest = (detail: string, errors?: Issue[]) => new HttpError(errors ? 'validation' : 'bad_request', detail, errors);
export const notFound = (detail = 'El registro no existe o no tiene acceso a él.') => new HttpError('not_found', detail);
export const forbidden = (detail = 'Su rol no permite esta operación.') => new HttpError('forbidden', detail);

export function sendProblem(reply: FastifyReply, e: HttpError): FastifyReply {
  const p = PROBLEMS[e.code];
  return reply
    .code(p.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send({
      type: `about:blank`,
      title: p.title,
      status: p.status,
      code: e.code,
      detail: e.detail,
      ...(e.errors ? { errors: e.errors } : {}),
      ...(e.extra ?? {}),
    });
}

/** One handler: known errors as RFC 9457 with Spanish details; 5xx details hidden. */
export function errorHandler(err: FastifyError | HttpError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof HttpError) return sendProblem(reply, err);
  const fe = err as FastifyError & { validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[] };
  if (fe.validation) {
    const errors = fe.validation.map((v) => {
      const field = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') || String(v.params?.missingProperty ?? '');
      return { field, message: `«${field || 'cuerpo'}»: valor inválido o faltante.` };
    });
    return sendProblem(reply, new HttpError('validation', 'La solicitud tiene datos inválidos.', errors));
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (fe.statusCode === 400 && fe.code?.startsWith('FST_ERR_CTP')))
    return sendProblem(reply, new HttpError('bad_request', 'El cuerpo de la solicitud no es JSON válido.'));
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendProblem(reply, new HttpError('unsupported_type', 'Tipo de contenido no admitido.'));
  if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413) return sendProblem(reply, new HttpError('payload_too_large', 'El archivo o la solicitud exceden el tamaño permitido.'));
  if (fe.statusCode === 404) return sendProblem(reply, new HttpError('not_found', 'Ruta no encontrada.'));
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return sendProblem(reply, new HttpError('bad_request', 'La solicitud no es válida.'));
  req.log.error({ err }, 'error no controlado');
  return sendProblem(reply, new HttpError('internal', 'Ocurrió un error interno. Intente de nuevo; si persiste, avise a la Secretaría Técnica.'));
}
