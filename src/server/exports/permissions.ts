// Who may take which record-level file out of SINTRA. Each format is its own permission (a role may get
// CSV and not XLSX), and fields marked sensitive leave only with roles that need them.
import type { FieldDef } from '../../modules/types.js';
import type { Actor, Role } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';

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
 * Sensitive fields (spec §1.5, column sens.): personal data (P) go to the roles that read records;
 * sensitive data (S) only to the Secretaría Técnica and to the liaison who captured them — not to a
 * state validator, who validates without needing them in a file.
 */
export function canSeeField(a: Actor, f: FieldDef): boolean {
  if (!f.sensitivity) return true;
  if (f.sensitivity === 'P') return isSecretariaTecnica(a) || a.role === 'validador_estatal' || a.role === 'enlace';
  return isSecretariaTecnica(a) || a.role === 'enlace';
}
