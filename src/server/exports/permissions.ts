// Who may take which record-level file out of SINTRA. Each format is its own permission (a role may get
// CSV and not XLSX), and fields marked sensitive leave only with roles that need them.
import type { FieldDef } from '../../modules/types.js';
import type { Actor, Role } from '../auth/actor.js';
import { canReadRecords } from '../records/scope.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Record-level exports per role. `consulta` sees aggregated statistics only and `auditor` the audit
 * trail only, so neither takes records out. The records in a file are always limited by recordScope.
 */
export const EXPORT_PERMISSIONS: Readonly<Record<Role, readonly ExportFormat[]>> = {
  administrador: ['csv', 'xlsx'],
  validador: ['csv', 'xlsx'],
  validador_estatal: ['csv', 'xlsx'],
  enlace: ['csv', 'xlsx'],
  consulta: [],
  auditor: [],
};

export function canExport(a: Actor, format: ExportFormat): boolean {
  return EXPORT_PERMISSIONS[a.role]?.includes(format) ?? false;
}

/**
 * Sensitive fields (spec §1.5, sensitivity 'S') leave only with the roles that may open the records at all
 * (records/scope.ts seesSensitive: the registering institution's liaison, the state validator within its
 * state, the Secretaría Técnica); each row is also redacted with redactRecord, so a row outside that reach
 * never carries them. consulta and auditor hold no export permission in any case.
 */
export function canSeeField(a: Actor, f: FieldDef): boolean {
  return f.sensitivity !== 'S' || canReadRecords(a);
}
