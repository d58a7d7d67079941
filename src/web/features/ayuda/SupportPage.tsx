// Help and support: the Secretaría Técnica's contact (configured by env, GET /api/v1/public/soporte), the
// modules' manuals, and what to do in the usual cases. Any signed-in person reaches it, and so does anyone
// at the sign-in screen (a locked account is exactly when one needs it).
import { Alert, Anchor, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { useModules } from '../../api/modules';
import { useSession } from '../../api/session';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';

interface Soporte {
  area: string;
  correo: string | null;
  telefono: string | null;
  horario: string;
  domicilio: string | null;
  ambiente: 'produccion' | 'capacitacion';
}

export function SupportPage() {
  const q = useQuery({ queryKey: ['soporte'], queryFn: () => api<Soporte>('/public/soporte', { quiet401: true }), staleTime: 10 * 60_000 });
  const session = useSession();
  const signedIn = Boolean(session.data);
  return (
    <Stack gap="md" maw={960}>
      <PageHeader title="Ayuda y soporte" subtitle="A quién acudir y dónde consultar cómo se captura cada módulo." />
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sop-contacto">
        <Title order={2} fz="lg" c="guinda.9" mb="sm" id="sop-contacto">
          Contacto de la Secretaría Técnica
        </Title>
        {q.isPending ? (
          <Loading />
        ) : q.error ? (
          <ErrorAlert error={q.error} onRetry={() => q.refetch()} />
        ) : (
          <dl className="sintra-record-dl">
            <dt>Área</dt>
            <dd>{q.data.area}</dd>
            <dt>Correo electrónico</dt>
            <dd>{q.data.correo ? <Anchor href={`mailto:${q.data.correo}`}>{q.data.correo}</Anchor> : <NotSet />}</dd>
            <dt>Teléfono</dt>
            <dd>{q.data.telefono ? <Anchor href={`tel:${q.data.telefono.replace(/[^\d+]/g, '')}`}>{q.data.telefono}</Anchor> : <NotSet />}</dd>
            <dt>Horario de atención</dt>
            <dd>{q.data.horario}</dd>
            {q.data.domicilio && (
              <>
                <dt>Domicilio</dt>
                <dd>{q.data.domicilio}</dd>
              </>
            )}
          </dl>
        )}
        {q.data?.ambiente === 'capacitacion' && (
          <Alert color="yellow" variant="light" mt="sm">
            Está en el ambiente de capacitación: los datos son ficticios y pueden borrarse en cualquier momento.
          </Alert>
        )}
      </Paper>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sop-casos">
          <Title order={2} fz="lg" c="guinda.9" mb="sm" id="sop-casos">
            Casos frecuentes
          </Title>
          <List size="sm" spacing={6}>
            <List.Item>Cuenta bloqueada u olvido de contraseña: pida a la persona administradora de su institución o a la Secretaría Técnica que la restablezca.</List.Item>
            <List.Item>Perdió el teléfono con el segundo factor: use uno de sus códigos de recuperación, o pida que se reinicie la verificación en dos pasos.</List.Item>
            <List.Item>Un registro fue devuelto: ábralo, lea las observaciones de la validación, corrija y envíelo de nuevo.</List.Item>
            <List.Item>Un catálogo no tiene la opción que necesita: elija «Otro» cuando exista y especifique, o escriba a la Secretaría Técnica.</List.Item>
          </List>
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sop-manuales">
          <Title order={2} fz="lg" c="guinda.9" mb="sm" id="sop-manuales">
            Manuales de los módulos
          </Title>
          {signedIn ? <Manuals /> : <Text size="sm">Inicie sesión para consultar el manual de cada módulo.</Text>}
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

function NotSet() {
  return (
    <Text span size="sm" c="dimmed">
      No configurado en este servidor
    </Text>
  );
}

function Manuals() {
  const modules = useModules();
  if (modules.isPending) return <Loading />;
  if (modules.error) return <ErrorAlert error={modules.error} />;
  return (
    <List size="sm" spacing={4}>
      {modules.data.map((m) => (
        <List.Item key={m.key}>
          <AnchorLink to="/m/$module/manual" params={{ module: m.key }}>
            {m.name}
          </AnchorLink>
        </List.Item>
      ))}
    </List>
  );
}
