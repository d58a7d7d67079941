// Imports from the browser: the upload goes through XMLHttpRequest (fetch cannot report upload progress),
// the answers are the API's: 201 { imported, folios }, 422 problem with errors, or the marked workbook.
import { ApiError, apiUrl } from '../../api/client';

export interface ImportIssue {
  row: number;
  field: string | null;
  column: string | null;
  message: string;
}

export interface ImportDone {
  imported: number;
  estatus: 'borrador' | 'enviado' | 'mixto';
  folios: { desde: string; hasta: string } | null;
  /** enviar=1: rows saved as sent, and rows saved as drafts because they need attachments (listed in pendientes). */
  enviados?: number;
  borradores?: number;
  /** Rows saved as drafts with what still blocks sending them (enviar=1: the files they need). */
  pendientes?: { row: number; folio: string; pending: { field: string; column: string | null; message: string }[] }[];
  conPendientes?: number;
  format: 'xlsx' | 'csv';
  encoding?: string;
  delimiter?: string;
}

export type ImportOutcome =
  | { ok: true; result: ImportDone }
  | { ok: false; detail: string; errors: ImportIssue[]; totalErrors: number; rows: number };

export interface Progress {
  /** 0–100 while uploading; null once the file is on the server and being checked. */
  percent: number | null;
}

export function templateUrl(module: string, format: 'xlsx' | 'csv'): string {
  return apiUrl(`/modules/${module}/imports/template`, { format });
}

function send(module: string, file: File, query: Record<string, string>, responseType: XMLHttpRequestResponseType, onProgress: (p: Progress) => void, signal?: AbortSignal) {
  return new Promise<XMLHttpRequest>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(`/modules/${module}/imports`, query));
    xhr.responseType = responseType;
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.upload.onprogress = (e) => onProgress({ percent: e.lengthComputable ? Math.round((e.loaded / e.total) * 100) : null });
    xhr.upload.onload = () => onProgress({ percent: null });
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onabort = () => reject(new DOMException('Cancelado', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

async function jsonOf(xhr: XMLHttpRequest): Promise<unknown> {
  const r: unknown = xhr.response;
  if (r instanceof Blob) {
    try {
      return JSON.parse(await r.text());
    } catch {
      return null;
    }
  }
  if (typeof r === 'string') {
    try {
      return JSON.parse(r);
    } catch {
      return null;
    }
  }
  return r;
}

/** Imports a file: all rows or none. */
export async function uploadImport(module: string, file: File, enviar: boolean, onProgress: (p: Progress) => void, signal?: AbortSignal): Promise<ImportOutcome> {
  const xhr = await send(module, file, enviar ? { enviar: '1' } : {}, 'text', onProgress, signal);
  const body = (await jsonOf(xhr)) as Record<string, unknown> | null;
  if (xhr.status === 201) return { ok: true, result: body as unknown as ImportDone };
  if (xhr.status === 422 && body && Array.isArray(body.errors)) {
    return {
      ok: false,
      detail: String(body.detail ?? ''),
      errors: body.errors as ImportIssue[],
      totalErrors: Number(body.totalErrors ?? (body.errors as unknown[]).length),
      rows: Number(body.rows ?? 0),
    };
  }
  throw new ApiError(xhr.status, body);
}

/** The same file back with its faulty cells marked and commented (nothing is saved); downloads it. */
export async function downloadReport(module: string, file: File, enviar: boolean, onProgress: (p: Progress) => void): Promise<void> {
  const xhr = await send(module, file, { report: 'xlsx', ...(enviar ? { enviar: '1' } : {}) }, 'blob', onProgress);
  if (xhr.status !== 200) throw new ApiError(xhr.status, await jsonOf(xhr));
  const url = URL.createObjectURL(xhr.response as Blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${file.name.replace(/\.(xlsx|csv|txt)$/i, '')}-errores.xlsx`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
