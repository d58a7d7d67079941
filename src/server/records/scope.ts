// The one place that turns "who is asking" into a query constraint on module records.
// Every route that reads records (list, detail, search, stats drill-down, exports, attachments)
// uses it, so no institution sees another's records through any path.
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';

export interface SqlPart {
  sql: string;
  params: unknown[];
}

/**
 * The constraint on a module table aliased `r`, with parameter numbers starting after `offset`.
 * `purpose` 'records' is for record-level access; 'stats' for aggregated figures.
 */
export function recordScope(a: Actor, offset: number, purpose: 'records' | 'stats' = 'records', moduleKey?: string): SqlPart {
  if (isSecretariaTecnica(a)) return { sql: 'true', params: [] };
  if (a.role === 'validador_estatal' && a.entidad) {
    // Its own institution, plus the state and municipal institutions of its state.
    return {
      sql: `(r.institucion_id = $${offset + 1} or r.institucion_id in (select codigo from institucion where entidad = $${offset + 2} and ambito in ('ESTATAL','MUNICIPAL')))`,
      params: [a.institucion_id, a.entidad],
    };
  }
  if (a.role === 'enlace') return { sql: `r.institucion_id = $${offset + 1}`, params: [a.institucion_id] };
  if (a.role === 'consulta' && purpose === 'stats') return { sql: 'true', params: [] };
  void moduleKey;
  return { sql: 'false', params: [] };
}

/** Whether figures computed for this actor must be suppressed (spec §4.3.4). */
export function mustSuppress(a: Actor): boolean {
  return a.role === 'consulta';
}

export function canReadRecords(a: Actor): boolean {
  return isSecretariaTecnica(a) || a.role === 'validador_estatal' || a.role === 'enlace';
}

/** Capturing is for the institution's liaison and the Secretaría Técnica (validators only validate). */
export function canWriteRecords(a: Actor): boolean {
  return isSecretariaTecnica(a) || a.role === 'enlace';
}

export function canValidate(a: Actor): boolean {
  return isSecretariaTecnica(a) || a.role === 'validador_estatal';
}
