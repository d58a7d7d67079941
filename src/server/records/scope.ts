// The one place that turns "who is asking" into a query constraint on module records.
// Every route that reads records (list, detail, search, stats drill-down, exports, attachments)
// uses it, so no institution sees another's records through any path.
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import type { DbScope } from '../db/client.js';
import type { ModuleDef } from '../../modules/types.js';

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

/**
 * The same reach as recordScope(), for the row-level security policies of the database: the scope a
 * request's transaction runs under (Db.tx). 'stats' for consulta is `agregado` (read-only, every row):
 * its figures are aggregated and suppressed by the statistics code; everything record-level stays `ninguno`.
 */
export function dbScope(a: Actor, purpose: 'records' | 'stats' = 'records'): DbScope {
  const base = { institution: a.institucion_id, state: a.entidad };
  if (isSecretariaTecnica(a)) return { ...base, scope: 'nacional' };
  if (a.role === 'validador_estatal' && a.entidad) return { ...base, scope: 'estatal' };
  if (a.role === 'enlace') return { ...base, scope: 'institucional' };
  if (a.role === 'consulta' && purpose === 'stats') return { ...base, scope: 'agregado' };
  return { ...base, scope: 'ninguno' };
}

/**
 * Who reads the fields the spec marks sensitive (sensitivity 'S', module 9): the roles that can open the
 * record at all, which spec §1.4 limits to the enlaces of the registering institution, the
 * validador_estatal of its state and the Secretaría Técnica (administrador, validador). They need them to
 * capture, correct and validate the record. Everyone else (consulta, auditor) never receives a victim row;
 * this check repeats the rule per row so a widened read path still cannot hand out sensitive values.
 */
/** What the redaction needs to know of an institution: its state and ámbito (from the institucion catalog). */
export type InstitutionLookup = (codigo: string) => { code: string; entidad?: unknown; ambito?: unknown } | undefined;

export function seesSensitive(a: Actor, institucionId: unknown, inst: InstitutionLookup): boolean {
  if (isSecretariaTecnica(a)) return true;
  if (a.role === 'enlace') return institucionId === a.institucion_id;
  if (a.role === 'validador_estatal') {
    if (institucionId === a.institucion_id) return true;
    const i = typeof institucionId === 'string' ? inst(institucionId) : undefined;
    return !!a.entidad && i?.entidad === a.entidad && (i.ambito === 'ESTATAL' || i.ambito === 'MUNICIPAL');
  }
  return false;
}

/** The module's sensitive field keys (and their «otro» companions). */
export function sensitiveKeys(m: ModuleDef): string[] {
  return m.fields.filter((f) => f.sensitivity === 'S').flatMap((f) => (f.otro ? [f.key, `${f.key}_otro`] : [f.key]));
}

/**
 * The one redaction of record output (detail, list, write answers, the stored copy in a 409): removes the
 * sensitive fields from a row the actor may not read them in.
 */
export function redactRecord<T extends Record<string, unknown>>(a: Actor, m: ModuleDef, row: T, inst: InstitutionLookup): T {
  const keys = sensitiveKeys(m);
  if (!keys.length || seesSensitive(a, row.institucion_id, inst)) return row;
  const out: Record<string, unknown> = { ...row };
  for (const k of keys) delete out[k];
  return out as T;
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
