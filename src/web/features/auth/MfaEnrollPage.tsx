// TOTP enrolment, when the session requires it before anything else (mfaEnrollmentRequired).
import { Alert, Button, Center, Code, List, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import { meQuery } from '../../api/session';
import { setTitle } from '../../lib/format';
import { useLogout, useMfaConfirm, useMfaSetup } from './api';

export function MfaEnrollPage() {
  const setup = useMfaSetup();
  const confirm = useMfaConfirm();
  const logout = useLogout();
  const qc = useQueryClient();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  useEffect(() => setTitle('Verificación en dos pasos'), []);
  const { mutate } = setup;
  useEffect(() => mutate(), [mutate]);

  return (
    <Center mih="70vh" px="md" py="xl">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={520} radius="md">
        <Stack gap="md">
          <Title order={1} fz={24} c="guinda.9">
            Verificación en dos pasos
          </Title>
          {recovery ? (
            <>
              <Alert color="green" variant="light" title="Verificación activada">
                Guarde estos códigos de recuperación en un lugar seguro; cada uno sirve una sola vez si pierde su teléfono.
              </Alert>
              <List>{recovery.map((c) => <List.Item key={c}><Code>{c}</Code></List.Item>)}</List>
              <Button onClick={() => qc.invalidateQueries({ queryKey: meQuery.queryKey })}>Continuar</Button>
            </>
          ) : (
            <>
              <Text size="sm">
                Su cuenta requiere un segundo factor. Con su aplicación de autenticación (por ejemplo, en el teléfono institucional) lea el código QR y
                escriba el código de 6 dígitos que muestre.
              </Text>
              {setup.error && <Alert color="red" role="alert">{errorMessage(setup.error)}</Alert>}
              {setup.data?.qr && (
                <img src={setup.data.qr} alt="Código QR para agregar SINTRA a su aplicación de autenticación" width={200} height={200} style={{ alignSelf: 'center' }} />
              )}
              {setup.data && (
                <Text size="sm">
                  Si no puede leer el código QR, escriba esta clave: <Code fz="sm">{setup.data.secret}</Code>
                </Text>
              )}
              {confirm.error && <Alert color="red" role="alert">{errorMessage(confirm.error)}</Alert>}
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  confirm.mutate(code.trim(), { onSuccess: (r) => setRecovery(r?.recoveryCodes ?? []) });
                }}
              >
                <Stack gap="sm">
                  <TextInput label="Código de 6 dígitos" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.currentTarget.value)} />
                  <Button type="submit" loading={confirm.isPending} disabled={!setup.data}>
                    Activar
                  </Button>
                  <Button variant="subtle" onClick={() => logout.mutate()}>
                    Cerrar sesión
                  </Button>
                </Stack>
              </form>
            </>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
