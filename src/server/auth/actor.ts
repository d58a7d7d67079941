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
  /** Must enrol a second factor before reaching anything but /api/v1/auth/* (MFA_ROLES without MFA). */
  mfaEnrollmentRequired?: boolean;
  mfaEnabled?: boolean;
  /** When the session ends: absolute limit, and the idle limit as of this request (ISO 8601). */
  sessionExpiresAt?: string;
  idleExpiresAt?: string;
  /** The database's clock when the session was read, so the web can place the deadlines on its own clock. */
  serverTime?: string;
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
