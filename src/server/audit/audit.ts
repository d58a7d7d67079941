// The audit trail: append-only, hash-chained. Every entry is written inside the transaction of the change
// it records, so a change never exists without its entry (and an entry never without its change).
import crypto from 'node:crypto';
import type { ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import type { Queryable } from '../db/client.js';

export interface AuditEntry {
  action: string;
  module?: string;
  recordId?: string;
  detail?: Record<string, unknown>;
}

/** The actions the trail records (the audit screen offers them as a filter). */
export const AUDIT_ACTIONS = {
  crear: 'Creación de registro',
  modificar: 'Modificación de registro',
  eliminar: 'Eliminación de registro',
  restaurar: 'Restauración de registro eliminado',
  enviar: 'Envío a validación',
  validar: 'Validación',
  devolver: 'Devolución con observaciones',
  reabrir: 'Reapertura de registro validado',
  consultar: 'Consulta de registro de víctima',
  login: 'Inicio de sesión',
  login_fallido: 'Inicio de sesión fallido',
  login_bloqueado: 'Intento con cuenta bloqueada',
  logout: 'Cierre de sesión',
  cambio_contrasena: 'Cambio de contraseña',
  adjuntar: 'Carga de archivo adjunto',
  descargar: 'Descarga de archivo adjunto',
  exportar: 'Exportación',
  importar: 'Importación',
  reporte: 'Generación de reporte',
  consultar_bitacora: 'Consulta de la bitácora',
  respaldo: 'Respaldo de la base de datos',
  restauracion_respaldo: 'Restauración desde respaldo',
  confirmar_duplicado: 'Confirmación de un posible duplicado',
  descartar_duplicado: 'Descarte de un posible duplicado',
  login_limitado: 'Inicio de sesión frenado por exceso de intentos',
  mfa_activada: 'Alta de verificación en dos pasos',
  usuario_crear: 'Alta de usuario',
  usuario_modificar: 'Modificación de usuario (rol, institución…)',
  usuario_desactivar: 'Desactivación de usuario',
  usuario_activar: 'Reactivación de usuario',
  usuario_reset_contrasena: 'Restablecimiento de contraseña',
  usuario_reset_mfa: 'Restablecimiento de verificación en dos pasos',
  usuario_desbloquear: 'Desbloqueo de usuario',
  direccion_desbloquear: 'Desbloqueo de una dirección de red frenada por intentos fallidos',
  institucion_crear: 'Alta de institución',
  institucion_modificar: 'Modificación de institución',
  catalogo_agregar: 'Alta en catálogo',
  catalogo_modificar: 'Modificación de catálogo',
  publicar: 'Publicación de tablas',
  detectar_duplicados: 'Detección de posibles duplicados',
} as const;

export const GENESIS = '0'.repeat(64);
const LOCK_KEY = 884422;

type Who = Pick<Actor, 'id' | 'username' | 'institucion_id' | 'role' | 'ip'> | null;

/** The stored columns of one entry that the hash covers (all but id, prev_hash and hash). */
export interface AuditFields {
  at: string;
  user_id: string | null;
  username: string | null;
  institucion_id: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  module: string | null;
  record_id: string | null;
  detail: string | null;
}

/** sha256 over the previous hash and every stored field, in a fixed order with a separator no field holds. */
export function hashEntry(prevHash: string, f: AuditFields): string {
  const payload = [prevHash, f.at, f.user_id ?? '', f.username ?? '', f.institucion_id ?? '', f.role ?? '', f.ip ?? '', f.action, f.module ?? '', f.record_id ?? '', f.detail ?? ''].join('\u001f');
  return crypto.createHash('sha256').update(payload).digest('hex');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Text as PostgreSQL will store it (no NUL, bounded): the hash must cover exactly what is stored. */
function clean(v: string | null | undefined, max: number): string | null {
  if (v === null || v === undefined || v === '') return null;
  // The unit separator joins the hashed fields: keep it out of them so fields cannot shift.
  return v.replace(/[\u0000\u001f]/g, '\uFFFD').slice(0, max);
}

/** What a failed login or a CLI operation records: someone who is not (or not yet) a signed-in actor. */
export function anonymousActor(username: string | null, ip: string | null): Who {
  return { id: '', username: username ?? '', institucion_id: '', role: '' as Actor['role'], ip: ip ?? '' };
}

/**
 * Writes one audit entry inside the caller's transaction (no change without its entry), chained to
 * the previous entry's hash. The advisory lock serialises writers until commit, so the chain has no forks
 * and the id order is the chain order.
 */
export async function writeAudit(q: Queryable, a: Who, e: AuditEntry): Promise<void> {
  await q.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
  const prev = await q.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  const prevHash = prev[0]?.hash ?? GENESIS;
  const f: AuditFields = {
    at: new Date().toISOString(),
    user_id: a?.id && UUID.test(a.id) ? a.id.toLowerCase() : null,
    username: clean(a?.username, 64),
    institucion_id: clean(a?.institucion_id, 64),
    role: clean(a?.role, 32),
    ip: clean(a?.ip, 64),
    action: clean(e.action, 32) ?? '?',
    module: clean(e.module, 64),
    record_id: e.recordId && UUID.test(e.recordId) ? e.recordId.toLowerCase() : null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  };
  const hash = hashEntry(prevHash, f);
  await q.query(
    `insert into audit_log (at, user_id, username, institucion_id, role, ip, action, module, record_id, detail, prev_hash, hash)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [f.at, f.user_id, f.username, f.institucion_id, f.role, f.ip, f.action, f.module, f.record_id, f.detail, prevHash, hash],
  );
}

/**
 * The field-level difference of an update for the trail: before/after for ordinary fields; for fields the
 * spec marks personal or sensitive (victims, spec §1.5) only the field's name, never its value.
 */
export function recordDiff(m: ModuleDef, before: Record<string, unknown>, after: Record<string, unknown>, keys: readonly string[]) {
  const sensitive = new Set<string>();
  for (const f of m.fields)
    if (f.sensitivity) {
      sensitive.add(f.key);
      sensitive.add(`${f.key}_otro`);
    }
  const cambios: Record<string, [unknown, unknown]> = {};
  const campos_sensibles: string[] = [];
  for (const k of keys) {
    if (JSON.stringify(before[k] ?? null) === JSON.stringify(after[k] ?? null)) continue;
    if (sensitive.has(k)) campos_sensibles.push(k);
    else cambios[k] = [before[k] ?? null, after[k] ?? null];
  }
  return campos_sensibles.length ? { cambios, campos_sensibles } : { cambios };
}

// ---- helpers for the actions other parts of SINTRA record (call inside the transaction, or alone) ----

/** An export left the system (file of records or statistics): what, in which format, with which filters. */
export function auditExport(q: Queryable, a: Who, e: { module?: string; tipo: string; format: string; filtros?: Record<string, unknown>; filas?: number }) {
  return writeAudit(q, a, { action: 'exportar', module: e.module, detail: { tipo: e.tipo, format: e.format, filtros: e.filtros ?? {}, filas: e.filas } });
}

/** An import was applied (all rows) or refused (none): the file's name and digest, never its content. */
export function auditImport(q: Queryable, a: Who, e: { module?: string; archivo: string; sha256?: string; filas: number; resultado: 'importado' | 'rechazado'; errores?: number }) {
  return writeAudit(q, a, { action: 'importar', module: e.module, detail: { archivo: e.archivo, sha256: e.sha256, filas: e.filas, resultado: e.resultado, errores: e.errores } });
}

/** A report (annual DOCX/PDF, indicators…) was generated. */
export function auditReport(q: Queryable, a: Who, e: { tipo: string; format: string; parametros?: Record<string, unknown> }) {
  return writeAudit(q, a, { action: 'reporte', detail: { tipo: e.tipo, format: e.format, parametros: e.parametros ?? {} } });
}

/** A change to a user account (role, MFA, activation, password reset by an administrator). */
export function auditUserChange(q: Queryable, a: Who, e: { action: string; userId: string; username: string; cambios?: Record<string, [unknown, unknown]> }) {
  return writeAudit(q, a, { action: e.action, detail: { usuario_id: e.userId, usuario: e.username, cambios: e.cambios } });
}

// ---- verification ----

export interface ChainProblem {
  /** The first entry whose check fails. */
  id: number;
  /** The last entry that checked out before it (null: none). */
  previousId: number | null;
  kind: 'alterada' | 'eliminada' | 'inicio';
  message: string;
}

export interface ChainReport {
  ok: boolean;
  entries: number;
  lastId: number | null;
  lastHash: string;
  problem: ChainProblem | null;
}

interface Row {
  id: number;
  at: string;
  micros: string;
  user_id: string | null;
  username: string | null;
  institucion_id: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  module: string | null;
  record_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

/**
 * Recomputes the chain from the first entry and names the first entry that was altered or removed:
 * an entry whose stored fields no longer give its hash was altered; an entry whose prev_hash is not the
 * hash of the entry before it follows a removed entry (or its link was altered). Removal of the newest
 * entries leaves no gap: compare `lastId`/`lastHash` with a value recorded earlier (`anchor`), e.g. the
 * one a backup's manifest carries.
 */
export async function verifyChain(q: Queryable, opts: { batch?: number; anchor?: { id: number; hash: string } } = {}): Promise<ChainReport> {
  const batch = opts.batch ?? 5000;
  let prevHash = GENESIS;
  let prevId: number | null = null;
  let entries = 0;
  let after = 0;
  let anchorSeen = false;
  for (;;) {
    const rows = await q.query<Row>(
      `select id, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at, to_char(at at time zone 'UTC', 'US') as micros,
              user_id::text as user_id, username, institucion_id, role, ip, action, module, record_id::text as record_id, detail, prev_hash, hash
         from audit_log where id > $1 order by id limit $2`,
      [after, batch],
    );
    for (const r of rows) {
      const id = Number(r.id);
      if (r.prev_hash !== prevHash) {
        const problem: ChainProblem =
          prevId === null
            ? { id, previousId: null, kind: 'inicio', message: `La entrada #${id} es la primera de la bitácora pero no empieza la cadena: se eliminaron entradas anteriores a ella (o se alteró su enlace).` }
            : {
                id,
                previousId: prevId,
                kind: 'eliminada',
                message: `La entrada #${id} no enlaza con la #${prevId}: se eliminó al menos una entrada entre ambas (o se alteró el enlace de la #${id}).`,
              };
        return { ok: false, entries, lastId: prevId, lastHash: prevHash, problem };
      }
      // Entries are written with millisecond times: a finer time was put there by someone else.
      const expected = r.micros.endsWith('000') ? hashEntry(prevHash, r) : null;
      if (expected !== r.hash)
        return {
          ok: false,
          entries,
          lastId: prevId,
          lastHash: prevHash,
          problem: { id, previousId: prevId, kind: 'alterada', message: `La entrada #${id} fue alterada: sus datos ya no corresponden a su huella (hash).` },
        };
      if (opts.anchor && opts.anchor.id === id) {
        if (opts.anchor.hash !== r.hash)
          return { ok: false, entries, lastId: prevId, lastHash: prevHash, problem: { id, previousId: prevId, kind: 'alterada', message: `La entrada #${id} no tiene la huella registrada como referencia.` } };
        anchorSeen = true;
      }
      prevHash = r.hash;
      prevId = id;
      entries++;
    }
    if (rows.length < batch) break;
    after = Number(rows[rows.length - 1].id);
  }
  if (opts.anchor && !anchorSeen)
    return {
      ok: false,
      entries,
      lastId: prevId,
      lastHash: prevHash,
      problem: {
        id: opts.anchor.id,
        previousId: prevId,
        kind: 'eliminada',
        message: `La entrada de referencia #${opts.anchor.id} ya no existe: se eliminaron entradas del final de la bitácora (la última es la #${prevId ?? 0}).`,
      },
    };
  return { ok: true, entries, lastId: prevId, lastHash: prevHash, problem: null };
}

/** The newest entry (id and hash), to record as an anchor. */
export async function chainHead(q: Queryable): Promise<{ id: number; hash: string } | null> {
  const r = await q.query<{ id: number; hash: string }>('select id, hash from audit_log order by id desc limit 1');
  return r[0] ? { id: Number(r[0].id), hash: r[0].hash } : null;
}
