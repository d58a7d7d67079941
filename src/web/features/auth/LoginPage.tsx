// Sign-in screen. Shown in place of any page when there is no session, so the address stays and
// the user returns to the same page (and the form's kept input) after signing in.
import { Alert, Box, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError, errorMessage } from '../../api/client';
import { expiredStore } from '../../api/session';
import { setTitle } from '../../lib/format';
import { useLogin, type LoginBody } from './api';

export function LoginPage() {
  const expired = useSyncExternalStore(expiredStore.subscribe, expiredStore.get);
  const login = useLogin();
  const [needTotp, setNeedTotp] = useState(false);
  const { register, handleSubmit, formState, setFocus } = useForm<LoginBody>({ defaultValues: { username: '', password: '', totp: '' } });
  useEffect(() => setTitle('Iniciar sesión'), []);
  useEffect(() => {
    if (needTotp) setFocus('totp');
  }, [needTotp, setFocus]);

  const onSubmit = handleSubmit(async (v) => {
    try {
      await login.mutateAsync({ username: v.username.trim(), password: v.password, totp: needTotp && v.totp ? v.totp.trim() : undefined });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'mfa_required') setNeedTotp(true);
    }
  });

  const err = login.error;
  const showErr = err && !(err instanceof ApiError && err.code === 'mfa_required' && !needTotp);

  return (
    <Center mih="70vh" px="md">
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
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm">
              <TextInput
                label="Usuario"
                autoComplete="username"
                required
                autoFocus
                error={formState.errors.username?.message}
                {...register('username', { required: 'Escriba su usuario.' })}
              />
              <PasswordInput
                label="Contraseña"
                autoComplete="current-password"
                required
                error={formState.errors.password?.message}
                {...register('password', { required: 'Escriba su contraseña.' })}
              />
              {needTotp && (
                <TextInput
                  label="Código de verificación"
                  description="Los 6 dígitos de su aplicación de autenticación, o un código de recuperación."
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  required
                  {...register('totp', { required: 'Escriba el código de verificación.' })}
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
