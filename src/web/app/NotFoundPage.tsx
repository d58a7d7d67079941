import { Stack, Text } from '@mantine/core';
import { PageHeader } from '../components/PageHeader';
import { AnchorLink } from '../components/links';

export function NotFoundPage() {
  return (
    <Stack>
      <PageHeader title="Página no encontrada" />
      <Text>La dirección no corresponde a ninguna pantalla de SINTRA.</Text>
      <AnchorLink to="/">Ir al inicio</AnchorLink>
    </Stack>
  );
}
