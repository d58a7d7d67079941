// Sign-in screen. Shown in place of any page when there is no session, so the address stays and
// the user returns to the same page (and the form's kept input) after signing in.
import { Alert, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { expiredStore } from '../../api/session';
import { setTitle } from '../../lib/format';
import { useLogin } from './api';

export function LoginPage() {
  const expired = useSyncExternalStore(expiredStore.subscribe, expiredStore.get);
  const login = useLogin();
  const [needTotp, setNeedTotp] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const totpRef = useRef<HTMLInputElement>(null);
  useEffect(() => setTitle('Iniciar sesión'), []);
  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const miss: Record<string, string> = {};
    if (!username.trim()) miss.username = 'Escriba su usuario.';
    if (!password) miss.password = 'Escriba su contraseña.';
    if (needTotp && !totp.trim()) miss.totp = 'Escriba el código de verificación.';
    setMissing(miss);
    if (Object.keys(miss).length) return;
    try {
      await login.mutateAsync({ username: username.trim(), password, totp: needTotp && totp ? totp.trim() : undefined });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'mfa_required') setNeedTotp(true);
    }
  };

  const err = login.error;
  const showErr = err && !(err instanceof ApiError && err.code === 'mfa_required' && !needTotp);

  return (
    <Center mih="70vh" px="md" py="xl">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420} radius="md">
        <Stack gap="md">
          <Box>
            <Title order={1} fz={24} c="guinda.9">
              Iniciar sesión
            </Title>
            <Text size="sm" c="dimmed">
              Sistema Nacional de Información en materia de Trata de Personas
            </Text>
          </Box>
          {expired && (
            <Alert color="yellow" variant="light" title="Su sesión terminó" role="status">
              Inicie sesión de nuevo para continuar. Lo que había capturado y no guardó se conserva en este navegador.
            </Alert>
          )}
          {showErr && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(err)}
            </Alert>
          )}
          <form onSubmit={(e) => void onSubmit(e)} noValidate>
            <Stack gap="sm">
              <TextInput
                label="Usuario"
                autoComplete="username"
                required
                autoFocus
                error={missing.username}
                value={username}
                onChange={(e) => setUsername(e.currentTarget.value)}
              />
              <PasswordInput
                label="Contraseña"
                autoComplete="current-password"
                required
                error={missing.password}
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
                  error={missing.totp}
                  value={totp}
                  onChange={(e) => setTotp(e.currentTarget.value)}
                />
              )}
              <Button type="submit" loading={login.isPending} fullWidth mt="xs">
                Entrar
              </Button>
            </Stack>
          </form>
          <Text size="xs" c="dimmed">
            Acceso restringido a personas servidoras públicas autorizadas. Las acciones en el sistema quedan registradas.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
