// A record or list the user may not see (403/404 from the server, or a role without record access): a page with
// its heading and the reason, never a "try again" that cannot succeed.
import { Alert, Group, Stack, Text } from '@mantine/core';
import { PageHeader } from './PageHeader';
import { AnchorLink } from './links';

export function NoAccess({ title, detail, stats = false }: { title: string; detail: string; stats?: boolean }) {
  return (
    <Stack>
      <PageHeader title={title} />
      <Alert color="orange" variant="light" title="Sin acceso" role="alert">
        <Text size="sm">{detail}</Text>
      </Alert>
      <Group gap="lg">
        {stats && <AnchorLink to="/estadisticas">Ir a Estadísticas de víctimas</AnchorLink>}
        <AnchorLink to="/">Ir al inicio</AnchorLink>
      </Group>
    </Stack>
  );
}
