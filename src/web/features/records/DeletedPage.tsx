// Deleted records of a module, for the administrador (GET …/records?eliminados=1): when and why each was deleted,
// and restoring one with a reason (POST …/restore). A restored record returns to every list and statistic with
// the status it had; the history keeps who deleted and who restored it.
import { Alert, Button, Group, Modal, Paper, Stack, Table, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { infiniteQueryOptions, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client';
import { useModule } from '../../api/modules';
import { useUser } from '../../api/session';
import type { ListOut, RecordOut } from '../../api/types';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { fmtDateTime, plural } from '../../lib/format';

const route = getRouteApi('/m/$module/eliminados');

function deletedQuery(moduleKey: string, q: string) {
  return infiniteQueryOptions({
    queryKey: ['records', moduleKey, 'eliminados', q],
    queryFn: ({ pageParam }) => api<ListOut>(`/modules/${moduleKey}/records`, { query: { eliminados: 1, limit: 50, q: q || undefined, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function DeletedPage() {
  const { module: moduleKey } = route.useParams();
  const user = useUser();
  const mod = useModule(moduleKey);
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 400);
  const list = useInfiniteQuery({ ...deletedQuery(moduleKey, debounced), enabled: user.role === 'administrador' });
  const [target, setTarget] = useState<RecordOut | null>(null);
  if (user.role !== 'administrador')
    return (
      <Alert color="orange" title="Sin permiso">
        Solo la administración consulta y restaura registros eliminados.
      </Alert>
    );
  if (mod.isPending) return <Loading />;
  if (!mod.module) return <ErrorAlert error={mod.error ?? new Error(`El módulo «${moduleKey}» no existe.`)} />;
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;
  return (
    <Stack gap="md">
      <PageHeader
        title={`Registros eliminados · ${mod.module.name}`}
        subtitle="No cuentan en listas ni estadísticas. Al restaurarlos vuelven con el estatus que tenían."
        actions={
          <AnchorLink to="/m/$module" params={{ module: moduleKey }}>
            Volver a la lista
          </AnchorLink>
        }
      />
      <TextInput label="Buscar" description="Folio o texto escrito en el registro (no las opciones de las listas); sin distinguir acentos" type="search" value={q} onChange={(e) => setQ(e.currentTarget.value)} maw={320} />
      <Text aria-live="polite" fw={600}>
        {total === undefined ? ' ' : plural(total, 'registro eliminado', 'registros eliminados')}
      </Text>
      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Folio</Table.Th>
                  <Table.Th>Institución</Table.Th>
                  <Table.Th>Estatus</Table.Th>
                  <Table.Th>Eliminado</Table.Th>
                  <Table.Th>Motivo</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Acciones</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{r.folio_sintra}</Table.Td>
                    <Table.Td>{r.institucion_id}</Table.Td>
                    <Table.Td>
                      <StatusBadge estatus={r.estatus} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDateTime(r.deleted_at)}</Table.Td>
                    <Table.Td style={{ overflowWrap: 'anywhere' }}>{typeof r.deleted_reason === 'string' ? r.deleted_reason : ''}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="default" onClick={() => setTarget(r)}>
                        Restaurar
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {list.hasNextPage && (
        <Group>
          <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            Cargar más
          </Button>
        </Group>
      )}
      {target && <RestoreDialog moduleKey={moduleKey} r={target} onClose={() => setTarget(null)} />}
    </Stack>
  );
}

function RestoreDialog({ moduleKey, r, onClose }: { moduleKey: string; r: RecordOut; onClose: () => void }) {
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const restore = useMutation({
    mutationFn: () => api<RecordOut>(`/modules/${moduleKey}/records/${r.id}/restore`, { method: 'POST', body: { reason: reason.trim() } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['records', moduleKey] }),
  });
  const ok = reason.trim().length >= 3;
  return (
    <Modal opened onClose={onClose} title={`Restaurar ${r.folio_sintra}`} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!ok) return;
          restore.mutate(undefined, {
            onSuccess: () => {
              notifications.show({ color: 'verde', title: 'Registro restaurado', message: r.folio_sintra });
              onClose();
            },
          });
        }}
      >
        <Stack>
          <Text size="sm">El registro vuelve a las listas y estadísticas con el estatus «{String(r.estatus)}». La restauración queda en la bitácora.</Text>
          <Textarea label="Motivo de la restauración" description="Al menos 3 caracteres." required autosize minRows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          {restore.error && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(restore.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button type="submit" loading={restore.isPending} disabled={!ok}>
              Restaurar
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
