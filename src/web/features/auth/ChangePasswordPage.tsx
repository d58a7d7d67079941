// Password change: required on first sign-in (mustChangePassword), then the app continues.
import { Alert, Button, Center, List, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { ApiError, errorMessage } from '../../api/client';
import { setTitle } from '../../lib/format';
import { useChangePassword, useLogout } from './api';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ChangePasswordPage({ forced }: { forced: boolean }) {
  const change = useChangePassword();
  const logout = useLogout();
  const { register, handleSubmit, formState, setError, watch } = useForm<Values>({ defaultValues: { currentPassword: '', newPassword: '', confirm: '' } });
  useEffect(() => setTitle('Cambiar contraseña'), []);
  const nueva = watch('newPassword');

  const onSubmit = handleSubmit(async (v) => {
    try {
      await change.mutateAsync({ currentPassword: v.currentPassword, newPassword: v.newPassword });
    } catch (e) {
      if (e instanceof ApiError) for (const fe of e.errors) if (fe.field === 'currentPassword' || fe.field === 'newPassword') setError(fe.field, { message: fe.message });
    }
  });

  return (
    <Center mih="70vh" px="md">
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
          {change.error && !(change.error instanceof ApiError && change.error.errors.length) && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(change.error)}
            </Alert>
          )}
          <form onSubmit={onSubmit} noValidate>
            <Stack gap="sm">
              <PasswordInput
                label="Contraseña actual"
                autoComplete="current-password"
                required
                error={formState.errors.currentPassword?.message}
                {...register('currentPassword', { required: 'Escriba su contraseña actual.' })}
              />
              <PasswordInput
                label="Nueva contraseña"
                autoComplete="new-password"
                required
                error={formState.errors.newPassword?.message}
                {...register('newPassword', {
                  required: 'Escriba la nueva contraseña.',
                  minLength: { value: 12, message: 'Debe tener al menos 12 caracteres.' },
                })}
              />
              <PasswordInput
                label="Confirme la nueva contraseña"
                autoComplete="new-password"
                required
                error={formState.errors.confirm?.message}
                {...register('confirm', {
                  required: 'Escriba de nuevo la nueva contraseña.',
                  validate: (v, all) => v === all.newPassword || 'Las contraseñas no coinciden.',
                })}
              />
              <Button type="submit" loading={change.isPending} mt="xs">
                Guardar contraseña y continuar
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
