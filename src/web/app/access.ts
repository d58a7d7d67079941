// Which screens each role may open: one table for the menu (what is listed) and the shell (what a typed
// address shows). The server refuses the data anyway; this spares people a screen whose buttons all fail.
import { can } from '../api/session';
import type { User } from '../api/types';

const st = (u: User) => u.role === 'administrador' || u.role === 'validador';

/** Screens limited to some roles, by exact path or by pattern; every other screen is open to any signed-in user. */
const RULES: { match: (path: string) => boolean; allowed: (u: User) => boolean; detail: string }[] = [
  { match: (p) => p === '/administracion' || p === '/administracion/catalogos', allowed: (u) => u.role === 'administrador', detail: 'Solo la administración gestiona cuentas, instituciones y catálogos.' },
  { match: (p) => p === '/bitacora', allowed: (u) => u.role === 'administrador' || u.role === 'auditor', detail: 'La bitácora la consultan la administración y la auditoría.' },
  { match: (p) => p === '/duplicados', allowed: st, detail: 'Los posibles duplicados los revisa la Secretaría Técnica.' },
  { match: (p) => p === '/informe-anual', allowed: st, detail: 'El informe anual lo genera la Secretaría Técnica.' },
  { match: (p) => ['/programa', '/indicadores', '/acuerdos', '/cumplimiento'].includes(p), allowed: (u) => u.role !== 'auditor', detail: 'La auditoría consulta la bitácora, no el seguimiento del Programa Nacional.' },
  { match: (p) => /^\/m\/[^/]+\/(nuevo|importar|[^/]+\/editar)$/.test(p), allowed: can.write, detail: 'Su rol no captura registros.' },
  { match: (p) => /^\/m\/[^/]+\/eliminados$/.test(p), allowed: (u) => u.role === 'administrador', detail: 'Solo la administración consulta y restaura registros eliminados.' },
];

/** Why this user may not open this screen, or null when it may. */
export function deniedReason(path: string, u: User): string | null {
  const rule = RULES.find((r) => r.match(path));
  return rule && !rule.allowed(u) ? rule.detail : null;
}

export const mayOpen = (path: string, u: User) => deniedReason(path, u) === null;
