// Who is signed in (GET /auth/me) and the environment (GET /health): read by every part of the app.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api } from './client';
import { sessionClock } from './sessionClock';
import type { Health, Role, Session, User } from './types';

export const meQuery = queryOptions({
  queryKey: ['auth', 'me'],
  queryFn: async (): Promise<Session | null> => {
    try {
      const s = await api<Session>('/auth/me', { quiet401: true });
      sessionClock.fromSession(s);
      return s;
    } catch (e) {
      // A session that ends under an open page keeps the page (and its typed input) behind the sign-in dialog.
      if (e instanceof ApiError && e.status === 401) return sessionClock.ended() ? sessionClock.get().last : null;
      throw e;
    }
  },
  staleTime: 5 * 60_000,
  retry: (n, e) => !(e instanceof ApiError) && n < 2,
});

export function useSession() {
  return useQuery(meQuery);
}

/** The signed-in user; only call below the session gate. */
export function useUser(): User {
  const { data } = useSession();
  if (!data) throw new Error('Sin sesión');
  return data.user;
}

export const healthQuery = queryOptions({
  queryKey: ['health'],
  queryFn: () => api<Health>('/health', { quiet401: true }),
  staleTime: 10 * 60_000,
  retry: 1,
});

export function useHealth() {
  return useQuery(healthQuery);
}

const VALIDATORS: readonly Role[] = ['administrador', 'validador', 'validador_estatal'];
const WRITERS: readonly Role[] = ['administrador', 'validador', 'enlace'];
const READERS: readonly Role[] = ['administrador', 'validador', 'validador_estatal', 'enlace'];

export const can = {
  validate: (u: User) => VALIDATORS.includes(u.role),
  write: (u: User) => WRITERS.includes(u.role),
  readRecords: (u: User) => READERS.includes(u.role),
  /** The Secretaría Técnica registers on behalf of other institutions. */
  onBehalf: (u: User) => u.role === 'administrador' || u.role === 'validador',
};

export const ROLE_LABELS: Record<Role, string> = {
  administrador: 'Administración',
  validador: 'Validación (Secretaría Técnica)',
  validador_estatal: 'Validación estatal',
  enlace: 'Enlace institucional',
  consulta: 'Consulta',
  auditor: 'Auditoría',
};

// "Your session expired" notice for the login screen, set when any request answers 401.
let expired = false;
const listeners = new Set<() => void>();
export const expiredStore = {
  set(v: boolean) {
    expired = v;
    listeners.forEach((l) => l());
  },
  get: () => expired,
  subscribe(l: () => void) {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
