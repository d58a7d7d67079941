// Who is acting: the signed-in user with role, institution and scope.
export const ROLES = ['administrador', 'validador', 'validador_estatal', 'enlace', 'consulta', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export interface Actor {
  id: string;
  username: string;
  nombre: string | null;
  role: Role;
  institucion_id: string;
  institucion_nombre: string;
  institucion_ambito: 'FEDERAL' | 'ESTATAL' | 'MUNICIPAL';
  institucion_entidad: string | null;
  /** validador_estatal: its state. */
  entidad: string | null;
  mustChangePassword: boolean;
  ip: string;
}

/** Secretaría Técnica staff: national scope, may register on behalf of another institution. */
export function isSecretariaTecnica(a: Actor): boolean {
  return a.role === 'administrador' || a.role === 'validador';
}

export function scopeName(a: Actor): 'nacional' | 'estatal' | 'institucional' | 'ninguno' {
  if (isSecretariaTecnica(a)) return 'nacional';
  if (a.role === 'validador_estatal') return 'estatal';
  if (a.role === 'enlace') return 'institucional';
  return 'ninguno';
}
