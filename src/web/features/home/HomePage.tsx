// Home: the 12 modules as cards grouped as in the seed, with record counts and what needs attention.
import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { groupModules, useModules } from '../../api/modules';
import { can, useUser } from '../../api/session';
import type { ModuleOut, User } from '../../api/types';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtNumber, plural } from '../../lib/format';
import { useRecordCount } from './api';
import { Awaits } from './Awaits';

function ModuleCard({ m, user }: { m: ModuleOut; user: User }) {
  const readable = can.readRecords(user);
  const total = useRecordCount(m.key, null, readable);
  const devueltos = useRecordCount(m.key, 'devuelto', readable && can.write(user));
  const enviados = useRecordCount(m.key, 'enviado', readable && can.validate(user));
  const titleId = `mod-${m.key}`;
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-labelledby={titleId} style={{ borderTop: '4px solid var(--sintra-guinda)' }}>
      <Stack gap={6} h="100%">
        <Title order={3} fz="md" id={titleId}>
          {readable ? (
            <AnchorLink to="/m/$module" params={{ module: m.key }} c="guinda.8" fw={700}>
              {m.name}
            </AnchorLink>
          ) : (
            m.name
          )}
        </Title>
        <Text size="sm" c="dimmed" style={{ flexGrow: 1 }}>
          {m.description}
        </Text>
        {readable && (
          <Group gap="xs" mt={4} wrap="wrap">
            {total.isPending ? (
              <Skeleton h={18} w={90} />
            ) : total.error ? (
              <Text size="sm" c="dimmed">Sin acceso</Text>
            ) : (
              <Text size="sm" fw={600}>
                {plural(total.data ?? 0, 'registro', 'registros')}
              </Text>
            )}
            {(devueltos.data ?? 0) > 0 && (
              <AnchorLink to="/m/$module" params={{ module: m.key }} search={{ estatus: 'devuelto' }} underline="never">
                <Badge color="#a14a00" variant="filled" tt="none" style={{ cursor: 'pointer' }}>
                  {fmtNumber(devueltos.data)} devuelto{devueltos.data === 1 ? '' : 's'} por corregir
                </Badge>
              </AnchorLink>
            )}
            {(enviados.data ?? 0) > 0 && (
              <AnchorLink to="/m/$module" params={{ module: m.key }} search={{ estatus: 'enviado' }} underline="never">
                <Badge color="#1c5fa8" variant="filled" tt="none" style={{ cursor: 'pointer' }}>
                  {fmtNumber(enviados.data)} por validar
                </Badge>
              </AnchorLink>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}

export function HomePage() {
  const user = useUser();
  const modules = useModules();
  return (
    <Stack gap="lg">
      <PageHeader title="Inicio" docTitle="Inicio" subtitle={`${user.institucion_nombre} — ${user.nombre ?? user.username}`} />
      {modules.isPending && <Loading />}
      {modules.error && <ErrorAlert error={modules.error} onRetry={() => modules.refetch()} />}
      {modules.data && <Awaits user={user} modules={modules.data} />}
      {modules.data &&
        groupModules(modules.data).map((g) => (
          <section key={g.key} aria-labelledby={`grupo-${g.key}`}>
            <Title order={2} fz="lg" c="verde.8" mb="sm" id={`grupo-${g.key}`}>
              {g.label}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3, xl: 4 }} spacing="md">
              {g.modules.map((m) => (
                <ModuleCard key={m.key} m={m} user={user} />
              ))}
            </SimpleGrid>
          </section>
        ))}
    </Stack>
  );
}
