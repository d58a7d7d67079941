// Accounts and institutions (administrador): one query-options factory or mutation per endpoint.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Role } from '../../api/types';

export interface AdminUser {
  id: string;
  username: string;
  nombre: string | null;
  role: Role;
  institucion_id: string;
  institucion_nombre: string | null;
  entidad: string | null;
  active: boolean;
  mustChangePassword: boolean;
  mfaEnabled: boolean;
  mfaRequired: boolean;
  recoveryCodesLeft: number;
  failedLogins: number;
  locked: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Institution {
  id: string;
  codigo: string;
  nombre: string;
  siglas: string | null;
  ambito: 'FEDERAL' | 'ESTATAL' | 'MUNICIPAL';
  entidad: string | null;
  municipio: string | null;
  tipo_local: string | null;
  grupo: string | null;
  obligada_reportar: boolean;
  vigente: boolean;
  usuarios: number;
}

export const usersQuery = queryOptions({
  queryKey: ['admin', 'users'],
  queryFn: () => api<{ items: AdminUser[] }>('/users').then((r) => r.items),
});

export const institutionsQuery = queryOptions({
  queryKey: ['admin', 'institutions'],
  queryFn: () => api<{ items: Institution[] }>('/institutions').then((r) => r.items),
});

export const useUsers = () => useQuery(usersQuery);
export const useInstitutions = () => useQuery(institutionsQuery);

export interface NewUser {
  username: string;
  nombre?: string;
  password: string;
  role: Role;
  institucion_id: string;
  entidad?: string;
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) => api<AdminUser>('/users', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }),
  });
}

export type UserAction = 'disable' | 'enable' | 'reset-password' | 'reset-mfa' | 'unlock';

export function useUserAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: UserAction }) => api<AdminUser & { temporaryPassword?: string }>(`/users/${id}/${action}`, { method: 'POST', body: {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export interface LoginBlocks {
  limite: number;
  ventanaMinutos: number;
  items: { ip: string; fallos: number; bloqueada: boolean; hasta: string }[];
}

export const useLoginBlocks = () =>
  useQuery({ queryKey: ['admin', 'login-blocks'], queryFn: () => api<LoginBlocks>('/login-blocks'), refetchInterval: 30_000 });

export function useUnblockAddress() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (ip: string) => api<{ ip: string; fallosAntes: number }>('/login-blocks/unblock', { method: 'POST', body: { ip } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'login-blocks'] }),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Partial<Pick<AdminUser, 'nombre' | 'role' | 'institucion_id' | 'entidad'>> }) =>
      api<AdminUser>(`/users/${id}`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'users'] }),
  });
}

export interface NewInstitution {
  nombre: string;
  siglas?: string;
  ambito: Institution['ambito'];
  entidad?: string;
  municipio?: string;
  tipo_local?: string;
}

export function useCreateInstitution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewInstitution) => api<Institution>('/institutions', { method: 'POST', body }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin'] });
      void qc.invalidateQueries({ queryKey: ['catalog'] });
    },
  });
}

export function useUpdateInstitution() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ codigo, body }: { codigo: string; body: Partial<Institution> }) => api<Institution>(`/institutions/${codigo}`, { method: 'PUT', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['admin'] }),
  });
}
