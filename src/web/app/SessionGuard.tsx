// Session expiry in the open page: a warning before the end (idle or absolute) with a button to stay
// signed in, and, once the session has ended, a sign-in dialog over the page so nothing typed is lost.
import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, api, errorMessage } from '../api/client';
import { meQuery } from '../api/session';
import { nextDeadline, sessionClock, warnBefore } from '../api/sessionClock';
import type { Session, User } from '../api/types';
import { useLogin, useLogout } from '../features/auth/api';

const ACTIVITY = ['keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

function fmtLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(s / 60);
  return m ? `${m} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

function fmtClock(ms: number): string {
  return new Intl.DateTimeFormat('es-MX', { hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

export function SessionGuard({ user }: { user: User }) {
  const clock = useSyncExternalStore(sessionClock.subscribe, sessionClock.get);
  const qc = useQueryClient();
  const [now, setNow] = useState(() => Date.now());
  const [dismissedAbs, setDismissedAbs] = useState<number | null>(null);
  const [extending, setExtending] = useState(false);
  const [extendError, setExtendError] = useState<string | null>(null);
  const lastActivity = useRef(Date.now());
  const lastCheck = useRef(0);

  // Ask the server (without extending the session) before warning or declaring the end: another tab
  // of the same session may have kept it alive.
  const check = async () => {
    lastCheck.current = Date.now();
    try {
      sessionClock.fromSession(await api<Session>('/auth/me', { query: { peek: 1 }, quiet401: true }));
      // Someone typing in a long form sends nothing to the server, yet is not idle: keep the session.
      const st = sessionClock.get();
      const d = nextDeadline(st, Date.now());
      if (d && d.kind === 'inactividad' && d.left <= warnBefore(d.kind, st.idleMs) && Date.now() - lastActivity.current < (st.idleMs ?? 0) / 2)
        sessionClock.fromSession(await api<Session>('/auth/me', { quiet401: true }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionClock.ended();
    }
  };

  useEffect(() => {
    const mark = () => {
      lastActivity.current = Date.now();
    };
    for (const e of ACTIVITY) window.addEventListener(e, mark, { passive: true, capture: true });
    const t = window.setInterval(() => {
      const at = Date.now();
      setNow(at);
      const st = sessionClock.get();
      const d = nextDeadline(st, at);
      if (!d || st.reauth || at - lastCheck.current < 5000) return;
      if (d.left <= warnBefore(d.kind, st.idleMs)) void check();
    }, 1000);
    return () => {
      for (const e of ACTIVITY) window.removeEventListener(e, mark, { capture: true });
      window.clearInterval(t);
    };
  }, []);

  const next = nextDeadline(clock, now);
  const warnMs = next ? warnBefore(next.kind, clock.idleMs) : 0;
  const inWarning = !clock.reauth && next !== null && next.left <= warnMs;

  const stay = async () => {
    setExtending(true);
    setExtendError(null);
    try {
      const s = await api<Session>('/auth/me', { quiet401: true });
      sessionClock.fromSession(s);
      qc.setQueryData(meQuery.queryKey, s);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) sessionClock.ended();
      else setExtendError(errorMessage(e));
    } finally {
      setExtending(false);
    }
  };

  // Someone active in the last half window gets the session extended by check() without a word: showing the
  // warning meanwhile only flashes it under their typing.
  const recentlyActive = clock.idleMs !== null && now - lastActivity.current < clock.idleMs / 2;
  const showIdleWarning = inWarning && next!.kind === 'inactividad' && !recentlyActive;
  const showAbsWarning = inWarning && next!.kind === 'maximo' && dismissedAbs !== next!.at;

  return (
    <>
      <Modal
        opened={showIdleWarning}
        onClose={() => void stay()}
        title="Su sesión está por cerrarse"
        centered
        closeOnClickOutside={false}
        zIndex={400}
      >
        <Stack gap="sm">
          <Text size="sm" role="timer" aria-live="off">
            Por inactividad, su sesión se cerrará en <strong>{fmtLeft(next?.left ?? 0)}</strong>.
          </Text>
          <Text size="sm">Lo que haya capturado y no guardado se conserva, pero deberá iniciar sesión de nuevo para guardarlo.</Text>
          {extendError && (
            <Alert color="red" variant="light" role="alert">
              {extendError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button onClick={() => void stay()} loading={extending} data-autofocus>
              Seguir conectado
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={showAbsWarning}
        onClose={() => setDismissedAbs(next?.at ?? null)}
        title="Su sesión llega a su duración máxima"
        centered
        zIndex={400}
      >
        <Stack gap="sm">
          <Text size="sm" role="timer" aria-live="off">
            Por seguridad, toda sesión termina a las {next ? fmtClock(next.at) : ''} (en <strong>{fmtLeft(next?.left ?? 0)}</strong>), aunque
            esté trabajando. Guarde lo que esté capturando.
          </Text>
          <Text size="sm">Después podrá iniciar sesión de nuevo en esta misma página sin perder lo que haya escrito.</Text>
          <Group justify="flex-end">
            <Button onClick={() => setDismissedAbs(next?.at ?? null)} data-autofocus>
              Entendido
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ReauthDialog user={user} reason={clock.reauth} />
    </>
  );
}

function ReauthDialog({ user, reason }: { user: User; reason: ReturnType<typeof sessionClock.get>['reauth'] }) {
  const qc = useQueryClient();
  const login = useLogin();
  const logout = useLogout();
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [missing, setMissing] = useState<string | null>(null);
  const totpRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (!reason) {
      setPassword('');
      setTotp('');
      setNeedTotp(false);
      setMissing(null);
      login.reset();
    }
  }, [reason]);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!password) return setMissing('Escriba su contraseña.');
    if (needTotp && !totp.trim()) return setMissing('Escriba el código de verificación.');
    setMissing(null);
    try {
      await login.mutateAsync({ username: user.username, password, totp: needTotp ? totp.trim() : undefined });
      // What failed while the session was gone is asked again; the page itself stays as it was.
      await qc.invalidateQueries({ predicate: (q) => q.state.status === 'error' && q.queryKey[0] !== 'auth' });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_required') setNeedTotp(true);
    }
  };

  const err = login.error;
  const showErr = err && !(err instanceof ApiError && err.code === 'mfa_required' && !needTotp);
  const why =
    reason === 'maximo'
      ? 'Su sesión alcanzó su duración máxima.'
      : reason === 'inactividad'
        ? 'Su sesión se cerró por inactividad.'
        : 'Su sesión terminó (se cerró en otra pestaña o la administración la terminó).';

  return (
    <Modal
      opened={reason !== null}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      title="Inicie sesión para continuar"
      centered
      zIndex={500}
    >
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Stack gap="sm">
          <Alert color="yellow" variant="light" role="status">
            {why} Lo que escribió en esta página se conserva: inicie sesión de nuevo y podrá guardarlo.
          </Alert>
          {showErr && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(err)}
            </Alert>
          )}
          <TextInput label="Usuario" value={user.username} readOnly variant="filled" autoComplete="username" />
          <PasswordInput
            label="Contraseña"
            autoComplete="current-password"
            required
            data-autofocus
            error={!needTotp ? (missing ?? undefined) : undefined}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {needTotp && (
            <TextInput
              label="Código de verificación"
              description="Los 6 dígitos de su aplicación de autenticación, o un código de recuperación."
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              ref={totpRef}
              error={missing ?? undefined}
              value={totp}
              onChange={(e) => setTotp(e.currentTarget.value)}
            />
          )}
          <Group justify="space-between" mt="xs">
            <Button variant="subtle" onClick={() => logout.mutate()} disabled={login.isPending}>
              Salir sin guardar
            </Button>
            <Button type="submit" loading={login.isPending}>
              Iniciar sesión
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
