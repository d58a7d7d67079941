// "What awaits you" on the home page: for the enlace, the records returned with observations and its drafts; for
// validators, the records sent and waiting for validation (within the user's reach, which the list API applies).
// Each line opens the module's list filtered by that status.
import { Alert, Badge, List, Paper, Skeleton, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { can } from '../../api/session';
import type { ModuleOut, User } from '../../api/types';
import { AnchorLink } from '../../components/links';
import { fmtNumber } from '../../lib/format';
import { recordCountQuery } from './api';

type Estatus = 'devuelto' | 'borrador' | 'enviado';

const TASKS: { estatus: Estatus; label: (n: number) => string; color: string }[] = [
  { estatus: 'devuelto', label: (n) => `${fmtNumber(n)} devuelto${n === 1 ? '' : 's'} con observaciones por corregir`, color: '#a14a00' },
  { estatus: 'borrador', label: (n) => `${fmtNumber(n)} borrador${n === 1 ? '' : 'es'} sin enviar`, color: 'gray' },
  { estatus: 'enviado', label: (n) => `${fmtNumber(n)} por validar`, color: '#1c5fa8' },
];

export function Awaits({ user, modules }: { user: User; modules: ModuleOut[] }) {
  // Validators (the Secretaría Técnica included) are awaited by what was sent; the enlace by what came back and its drafts.
  const tasks = can.readRecords(user) ? TASKS.filter((t) => (can.validate(user) ? t.estatus === 'enviado' : can.write(user) && t.estatus !== 'enviado')) : [];
  const pairs = tasks.flatMap((t) => modules.map((m) => ({ t, m })));
  // The same queries (and cache) as the module cards' counts.
  const counts = useQueries({ queries: pairs.map(({ t, m }) => recordCountQuery(m.key, t.estatus)) });
  if (!tasks.length) return null;
  const loading = counts.some((c) => c.isPending);
  const lines = pairs.map((p, i) => ({ ...p, n: counts[i]?.data ?? 0 })).filter((x) => x.n > 0);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="pendientes-title">
      <Title order={2} fz="lg" c="guinda.9" mb={4} id="pendientes-title">
        Lo que le espera
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {can.validate(user) ? 'Registros enviados que esperan validación.' : 'Registros devueltos por la validación y borradores que aún no envía.'}
      </Text>
      {lines.length > 0 && (
        <List spacing={4} size="sm">
          {lines.map(({ t, m, n }) => (
            <List.Item key={`${t.estatus}-${m.key}`}>
              <AnchorLink to="/m/$module" params={{ module: m.key }} search={{ estatus: t.estatus }}>
                {m.name}
              </AnchorLink>
              {': '}
              <Badge color={t.color} variant="light" tt="none">
                {t.label(n)}
              </Badge>
            </List.Item>
          ))}
        </List>
      )}
      {loading && <Skeleton h={18} w={260} mt="xs" />}
      {!loading && lines.length === 0 && (
        <Alert color="green" variant="light">
          Nada pendiente por ahora.
        </Alert>
      )}
    </Paper>
  );
}
