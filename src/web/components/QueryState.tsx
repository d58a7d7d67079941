// Loading and error states shared by every page.
import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core';
import { errorMessage } from '../api/client';

export function Loading({ label = 'Cargando…' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorAlert({ error, title = 'No se pudo cargar la información', onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  return (
    <Alert color="red" variant="light" title={title} role="alert">
      <Text size="sm">{errorMessage(error)}</Text>
      {onRetry && (
        <Button mt="sm" size="xs" variant="default" onClick={onRetry}>
          Intentar de nuevo
        </Button>
      )}
    </Alert>
  );
}
