// The record's history (GET …/records/:id/history, from the audit trail): who did each step and when — creation,
// changes (which fields), sending, validation, return with its observations, re-opening with its reason, deletion
// and restoration. Views of victim records are recorded too; they are hidden unless asked for.
import { Button, Checkbox, Group, Paper, Text, Timeline, Title } from '@mantine/core';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { ROLE_LABELS } from '../../api/session';
import type { FieldOut, Role } from '../../api/types';
import { ErrorAlert } from '../../components/QueryState';
import { fmtDateTime } from '../../lib/format';

export interface HistoryItem {
  id: number;
  at: string;
  username: string | null;
  role: string | null;
  institucion_id: string | null;
  action: string;
  action_label: string;
  detail: Record<string, unknown> | null;
}

interface HistoryPage {
  items: HistoryItem[];
  nextCursor: string | null;
  total: number;
}

export function historyQuery(moduleKey: string, id: string, version: unknown) {
  return infiniteQueryOptions({
    // The record's version in the key: every saved change or workflow step reloads the history.
    queryKey: ['records', moduleKey, 'history', id, version],
    queryFn: ({ pageParam }) => api<HistoryPage>(`/modules/${moduleKey}/records/${id}/history`, { query: { limit: 100, cursor: pageParam ?? undefined } }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

const COLOR: Record<string, string> = { validar: 'green', devolver: 'orange', eliminar: 'red', reabrir: 'yellow', enviar: 'blue', restaurar: 'teal' };

function Detail({ h, fields }: { h: HistoryItem; fields: FieldOut[] }) {
  const d = h.detail ?? {};
  const label = (k: string) => fields.find((f) => f.key === k || `${f.key}_otro` === k)?.label ?? k;
  const lines: string[] = [];
  if (typeof d.observaciones === 'string') lines.push(`Observaciones: ${d.observaciones}`);
  if (typeof d.motivo === 'string') lines.push(`Motivo: ${d.motivo}`);
  const cambios = d.cambios && typeof d.cambios === 'object' ? Object.keys(d.cambios as object) : [];
  const sensibles = Array.isArray(d.campos_sensibles) ? (d.campos_sensibles as string[]) : [];
  const changed = [...cambios, ...sensibles].filter((k) => k !== 'search_text' && k !== 'fecha_principal');
  if (changed.length) lines.push(`Cambió: ${changed.map(label).join(', ')}`);
  if (h.action === 'modificar' && !changed.length) lines.push('Guardó sin cambios en los datos.');
  if (typeof d.en_nombre_de === 'string') lines.push(`Registrado a nombre de ${d.en_nombre_de}`);
  if (!lines.length) return null;
  return (
    <>
      {lines.map((l) => (
        <Text key={l} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {l}
        </Text>
      ))}
    </>
  );
}

export function HistoryPanel({ moduleKey, id, version, fields }: { moduleKey: string; id: string; version: unknown; fields: FieldOut[] }) {
  const q = useInfiniteQuery(historyQuery(moduleKey, id, version));
  const [views, setViews] = useState(false);
  const all = q.data?.pages.flatMap((p) => p.items) ?? [];
  const shown = all.filter((h) => views || h.action !== 'consultar');
  const hasViews = all.some((h) => h.action === 'consultar');
  return (
    <Paper withBorder p="md" radius="md" mt="md" component="section" aria-labelledby="hist-title">
      <Title order={2} fz="md" mb="sm" id="hist-title">
        Historial
      </Title>
      {q.error && <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />}
      {q.isPending && (
        <Text size="sm" c="dimmed">
          Cargando…
        </Text>
      )}
      {hasViews && <Checkbox size="xs" mb="sm" label="Mostrar también las consultas del registro" checked={views} onChange={(e) => setViews(e.currentTarget.checked)} />}
      {q.data && shown.length === 0 && (
        <Text size="sm" c="dimmed">
          Sin movimientos registrados.
        </Text>
      )}
      {shown.length > 0 && (
        <Timeline bulletSize={14} lineWidth={2} active={shown.length}>
          {shown.map((h) => (
            <Timeline.Item key={h.id} color={COLOR[h.action] ?? 'gray'} title={<Text fw={600} size="sm">{h.action_label}</Text>}>
              <Text size="xs" c="dimmed">
                {fmtDateTime(h.at)} · {h.username ?? 'sistema'}
                {h.role ? ` (${ROLE_LABELS[h.role as Role] ?? h.role})` : ''}
                {h.institucion_id ? ` · ${h.institucion_id}` : ''}
              </Text>
              <Detail h={h} fields={fields} />
            </Timeline.Item>
          ))}
        </Timeline>
      )}
      {q.hasNextPage && (
        <Group mt="sm">
          <Button size="xs" variant="default" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
            Ver movimientos anteriores
          </Button>
        </Group>
      )}
      <Text size="xs" c="dimmed" mt="xs">
        Del más reciente al más antiguo; horas de la Ciudad de México.
      </Text>
    </Paper>
  );
}
