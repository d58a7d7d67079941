// Revisión de posibles duplicados (spec §4.3 regla 5): pairs of victim records of different institutions
// that may be the same person, side by side; the Secretaría Técnica confirms or dismisses each one. Nothing
// is deleted: a confirmed duplicate only stops counting in tables "sin posibles duplicados confirmados".
import { Alert, Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useCatalogMaps, labelOf } from '../../api/catalogs';
import { errorMessage } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtDate, fmtDateTime, plural } from '../../lib/format';
import { useDetect, useDuplicates, useReview, type DupPair, type DupRecord } from './api';

const ROWS: { key: keyof DupRecord; label: string; catalog?: string }[] = [
  { key: 'folio_sintra', label: 'Folio SINTRA' },
  { key: 'institucion_nombre', label: 'Institución' },
  { key: 'entidad_federativa', label: 'Entidad donde se atendió', catalog: 'entidad' },
  { key: 'condicion', label: 'Condición', catalog: 'condicion_victima' },
  { key: 'sexo', label: 'Sexo', catalog: 'sexo' },
  { key: 'edad', label: 'Edad' },
  { key: 'grupo_edad', label: 'Grupo de edad', catalog: 'grupo_edad' },
  { key: 'nacionalidad', label: 'Nacionalidad', catalog: 'pais' },
  { key: 'fecha_identificacion', label: 'Fecha de identificación' },
  { key: 'operativo_id', label: 'Operativo relacionado' },
  { key: 'estatus', label: 'Estatus del registro' },
];

function PairCard({ pair, maps }: { pair: DupPair; maps: Parameters<typeof labelOf>[0] }) {
  const review = useReview();
  const [nota, setNota] = useState('');
  const show = (r: DupRecord, row: (typeof ROWS)[number]) => {
    const v = r[row.key];
    if (v === null || v === undefined || v === '') return '—';
    if (row.key === 'fecha_identificacion') return fmtDate(v);
    if (row.key === 'entidad_federativa' && !v) return 'Nacional';
    return row.catalog ? labelOf(maps, row.catalog, String(v)) : String(v);
  };
  return (
    <Paper withBorder p="md" radius="md" component="article" aria-label={`Par ${pair.id}`}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Badge color={pair.estatus === 'pendiente' ? 'yellow' : pair.estatus === 'confirmado' ? 'red' : 'gray'}>{pair.estatus}</Badge>
          <Text size="sm">
            {pair.criterio === 'operativo' ? 'Mismo operativo de rescate' : `Fechas de identificación a ${plural(pair.dias_diferencia ?? 0, 'día', 'días')} de distancia`}
          </Text>
        </Group>
        <Text size="xs" c="dimmed">
          Detectado {fmtDateTime(pair.detectado_at)}
          {pair.revisado_at ? ` · revisado ${fmtDateTime(pair.revisado_at)} por ${pair.revisado_por ?? '—'}` : ''}
        </Text>
      </Group>
      <Table withTableBorder withColumnBorders verticalSpacing={4} maw={900}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Dato</Table.Th>
            <Table.Th scope="col">Registro anterior</Table.Th>
            <Table.Th scope="col">Registro posterior</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ROWS.map((row) => {
            const a = show(pair.a, row);
            const b = show(pair.b, row);
            return (
              <Table.Tr key={row.key}>
                <Table.Th scope="row" fw={500}>
                  {row.label}
                </Table.Th>
                <Table.Td fw={a === b ? 400 : 700}>{a}</Table.Td>
                <Table.Td fw={a === b ? 400 : 700}>{b}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {(pair.a.deleted_at || pair.b.deleted_at) && (
        <Text size="sm" c="red" mt={4}>
          Uno de los registros fue eliminado después de la detección.
        </Text>
      )}
      {pair.nota && (
        <Text size="sm" mt={4}>
          Nota: {pair.nota}
        </Text>
      )}
      <Group mt="sm" align="flex-end">
        <TextInput label="Nota de la revisión (opcional)" value={nota} onChange={(e) => setNota(e.currentTarget.value)} maxLength={2000} w={360} />
        <Button variant={pair.estatus === 'confirmado' ? 'light' : 'filled'} disabled={pair.estatus === 'confirmado'} loading={review.isPending} onClick={() => review.mutate({ id: pair.id, action: 'confirmar', nota })}>
          Es la misma persona
        </Button>
        <Button variant="default" disabled={pair.estatus === 'descartado'} loading={review.isPending} onClick={() => review.mutate({ id: pair.id, action: 'descartar', nota })}>
          Son personas distintas
        </Button>
      </Group>
      {review.error && (
        <Alert color="red" variant="light" mt="xs" role="alert">
          {errorMessage(review.error)}
        </Alert>
      )}
    </Paper>
  );
}

export function DuplicatesPage() {
  const [estatus, setEstatus] = useState('pendiente');
  const list = useDuplicates(estatus);
  const detect = useDetect();
  const { maps } = useCatalogMaps(['entidad', 'condicion_victima', 'sexo', 'grupo_edad', 'pais']);
  const first = list.data?.pages[0];
  const pairs = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack gap="md">
      <PageHeader
        title="Posibles duplicados entre instituciones"
        subtitle="No existe un identificador común entre instituciones: SINTRA marca pares de registros de víctimas que podrían ser la misma persona para que la Secretaría Técnica los revise. Nunca se elimina un registro."
        actions={
          <Button onClick={() => detect.mutate()} loading={detect.isPending} variant="default">
            Buscar ahora
          </Button>
        }
      />
      {first && (
        <Text size="sm">
          Regla: {first.regla}
          {first.ultimaEjecucion ? ` Última revisión automática: ${fmtDateTime(first.ultimaEjecucion.at)}.` : ' Aún no se ha ejecutado la revisión automática.'}
        </Text>
      )}
      {detect.data && (
        <Alert color="green" variant="light" role="status">
          {detect.data.ran ? `${detect.data.nuevos} pares nuevos; ${detect.data.retirados} retirados porque ya no coinciden; ${detect.data.pendientes} pendientes.` : 'Otra revisión está en curso; intente en unos minutos.'}
        </Alert>
      )}
      {detect.error && <ErrorAlert error={detect.error} title="No se pudo ejecutar la búsqueda" />}
      <SegmentedControl
        aria-label="Estatus de los pares"
        value={estatus}
        onChange={setEstatus}
        data={[
          { value: 'pendiente', label: `Pendientes${first ? ` (${first.counts.pendiente})` : ''}` },
          { value: 'confirmado', label: `Confirmados${first ? ` (${first.counts.confirmado})` : ''}` },
          { value: 'descartado', label: `Descartados${first ? ` (${first.counts.descartado})` : ''}` },
        ]}
      />
      {list.error ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : pairs.length === 0 ? (
        <Text c="dimmed">No hay pares en este estatus.</Text>
      ) : (
        <Stack gap="sm">
          {pairs.map((p) => (
            <PairCard key={p.id} pair={p} maps={maps} />
          ))}
          {list.hasNextPage && (
            <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
              Ver más pares
            </Button>
          )}
        </Stack>
      )}
    </Stack>
  );
}
