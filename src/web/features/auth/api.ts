// Sign-in, password change, TOTP enrolment, sign-out.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { expiredStore, meQuery } from '../../api/session';
import { sessionClock } from '../../api/sessionClock';
import type { Session } from '../../api/types';
import { clearSessionDrafts } from '../../lib/drafts';

export interface LoginBody {
  username: string;
  password: string;
  totp?: string;
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api<Session>('/auth/login', { method: 'POST', body, quiet401: true }),
    onSuccess: async (s) => {
      expiredStore.set(false);
      sessionClock.fromSession(s);
      const prev = qc.getQueryData(meQuery.queryKey);
      // Another person signing in on this browser must not see the previous one's cached data.
      if (prev && prev.user.id !== s.user.id) qc.clear();
      qc.setQueryData(meQuery.queryKey, s);
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
    },
  });
}

export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api<void>('/auth/password', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: meQuery.queryKey }),
  });
}

export function useMfaSetup() {
  return useMutation({ mutationFn: () => api<{ secret: string; otpauthUrl: string; qr?: string; mandatory?: boolean }>('/auth/mfa/setup', { method: 'POST', body: {} }) });
}

export function useMfaConfirm() {
  return useMutation({
    mutationFn: (code: string) => api<{ recoveryCodes?: string[] } | undefined>('/auth/mfa/confirm', { method: 'POST', body: { code } }),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/auth/logout', { method: 'POST', body: {}, quiet401: true }).catch(() => undefined),
    onSettled: () => {
      sessionClock.forget();
      clearSessionDrafts();
      qc.clear();
      qc.setQueryData(meQuery.queryKey, null);
    },
  });
}
