// The one fetch wrapper of the client: same-origin cookies, JSON in and out, and RFC 9457
// problem documents turned into ApiError (status, detail, field errors, the stored record on 409).

export interface FieldIssue {
  field: string;
  message: string;
  row?: number;
  column?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly code: string | undefined;
  readonly errors: FieldIssue[];
  /** On 409 version conflicts: the record as stored now. */
  readonly current: Record<string, unknown> | undefined;
  readonly body: unknown;

  constructor(status: number, body: unknown) {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const detail = typeof b.detail === 'string' ? b.detail : defaultDetail(status);
    super(detail);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.code = typeof b.code === 'string' ? b.code : undefined;
    this.errors = Array.isArray(b.errors) ? (b.errors as FieldIssue[]).filter((e) => e && typeof e.message === 'string') : [];
    this.current = b.current && typeof b.current === 'object' ? (b.current as Record<string, unknown>) : undefined;
    this.body = body;
  }
}

function defaultDetail(status: number): string {
  if (status === 0) return 'No fue posible comunicarse con el servidor. Revise su conexión e intente de nuevo.';
  if (status === 401) return 'Su sesión expiró. Inicie sesión para continuar.';
  if (status === 403) return 'No tiene permiso para esta operación.';
  if (status === 404) return 'No se encontró lo solicitado o no tiene acceso.';
  if (status === 409) return 'Otra persona modificó este registro.';
  if (status === 413) return 'El archivo es demasiado grande.';
  if (status === 429) return 'Demasiados intentos. Espere unos minutos e intente de nuevo.';
  if (status >= 500) return 'Ocurrió un error en el servidor. Intente de nuevo; si persiste, avise a la Secretaría Técnica.';
  return 'La solicitud no pudo completarse.';
}

type AuthListener = (e: ApiError) => void;
let onServerReached: ((path: string, query: QueryParams | undefined) => void) | null = null;

/** Called on every answered request that carried the session (it extends the idle window). */
export function setServerReachedHandler(h: (path: string, query: QueryParams | undefined) => void): void {
  onServerReached = h;
}
let onUnauthorized: AuthListener | null = null;
let onPasswordChangeRequired: AuthListener | null = null;

/** The app registers what happens on a 401 (show the login) and on "must change password". */
export function setAuthHandlers(h: { unauthorized: AuthListener; passwordChange: AuthListener }): void {
  onUnauthorized = h.unauthorized;
  onPasswordChangeRequired = h.passwordChange;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

export function toQuery(params: QueryParams | undefined): string {
  if (!params) return '';
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) sp.append(k, String(x));
    else sp.append(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: QueryParams;
  /** JSON body (objects) or multipart (FormData). */
  body?: unknown;
  signal?: AbortSignal;
  /** Do not trigger the global "session expired" handler (login, who-am-I). */
  quiet401?: boolean;
}

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${toQuery(opts.query)}`, {
      method: opts.method ?? (body ? 'POST' : 'GET'),
      credentials: 'same-origin',
      headers,
      body,
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  if (res.status !== 401) onServerReached?.(path, opts.query);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await res.json().catch(() => null) : await res.text().catch(() => null);
  if (!res.ok) {
    const err = new ApiError(res.status, parsed);
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.(err);
    if (res.status === 403 && err.code === 'password_change_required') onPasswordChangeRequired?.(err);
    throw err;
  }
  return parsed as T;
}

/** Spanish message for any error thrown by a query or mutation. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.detail;
  if (e instanceof Error) return e.message;
  return 'Ocurrió un error inesperado.';
}

/** The URL of an API resource, for plain links (downloads). */
export function apiUrl(path: string, query?: QueryParams): string {
  return `/api/v1${path}${toQuery(query)}`;
}
