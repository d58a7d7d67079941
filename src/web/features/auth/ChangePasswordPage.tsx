// Password change: required on first sign-in (mustChangePassword), then the app continues.
import { Alert, Button, Center, List, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { setTitle } from '../../lib/format';
import { useChangePassword, useLogout } from './api';

type Key = 'currentPassword' | 'newPassword' | 'confirm';

export function ChangePasswordPage({ forced }: { forced: boolean }) {
  const change = useChangePassword();
  const logout = useLogout();
  const [v, setV] = useState<Record<Key, string>>({ currentPassword: '', newPassword: '', confirm: '' });
  const [errors, setErrors] = useState<Partial<Record<Key, string>>>({});
  const [done, setDone] = useState(false);
  useEffect(() => setTitle('Cambiar contraseña'), []);
  const nueva = v.newPassword;
  const bind = (k: Key) => ({ value: v[k], error: errors[k], onChange: (e: React.ChangeEvent<HTMLInputElement>) => setV({ ...v, [k]: e.currentTarget.value }) });

  const onSubmit = async (e: React.FormEvent) => {
    e.preventDefault();
    const errs: Partial<Record<Key, string>> = {};
    if (!v.currentPassword) errs.currentPassword = 'Escriba su contraseña actual.';
    if (v.newPassword.length < 12) errs.newPassword = 'Debe tener al menos 12 caracteres.';
    if (v.confirm !== v.newPassword) errs.confirm = 'Las contraseñas no coinciden.';
    setErrors(errs);
    if (Object.keys(errs).length) return;
    try {
      await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
      setV({ currentPassword: '', newPassword: '', confirm: '' });
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError) {
        const fe: Partial<Record<Key, string>> = {};
        for (const x of err.errors) if (x.field === 'currentPassword' || x.field === 'newPassword') fe[x.field] = x.message;
        setErrors(fe);
      }
    }
  };

  return (
    <Center mih="70vh" px="md" py="xl">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={480} radius="md">
        <Stack gap="md">
          <Title order={1} fz={24} c="guinda.9">
            Cambiar contraseña
          </Title>
          {forced && (
            <Alert color="blue" variant="light">
              Por seguridad, antes de continuar debe definir una contraseña propia.
            </Alert>
          )}
          <Text size="sm">La nueva contraseña debe:</Text>
          <List size="sm" spacing={2}>
            <List.Item>tener al menos 12 caracteres ({nueva.length} escritos);</List.Item>
            <List.Item>ser distinta de la actual y no contener su nombre de usuario.</List.Item>
          </List>
          {done && !forced && (
            <Alert color="green" variant="light" role="status">
              Su contraseña se cambió. Las demás sesiones abiertas con su cuenta se cerraron.
            </Alert>
          )}
          {change.error && !(change.error instanceof ApiError && change.error.errors.length) && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(change.error)}
            </Alert>
          )}
          <form onSubmit={(e) => void onSubmit(e)} noValidate>
            <Stack gap="sm">
              <PasswordInput
                label="Contraseña actual"
                autoComplete="current-password"
                required
                {...bind('currentPassword')}
              />
              <PasswordInput
                label="Nueva contraseña"
                autoComplete="new-password"
                required
                {...bind('newPassword')}
              />
              <PasswordInput
                label="Confirme la nueva contraseña"
                autoComplete="new-password"
                required
                {...bind('confirm')}
              />
              <Button type="submit" loading={change.isPending} mt="xs">
                {forced ? 'Guardar contraseña y continuar' : 'Guardar contraseña'}
              </Button>
              {forced && (
                <Button variant="subtle" onClick={() => logout.mutate()}>
                  Cerrar sesión
                </Button>
              )}
            </Stack>
          </form>
        </Stack>
      </Paper>
    </Center>
  );
}
