// Bitácora de auditoría (auditor, administrador): who did what, when (Mexico City time), from which address,
// filtered by user, institution, record, action, module and dates; and a check of the hash chain that names
// the first altered or removed entry. The trail is read-only: nothing here edits or deletes an entry.
import { Alert, Button, Grid, Group, MultiSelect, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState, type FormEvent } from 'react';
import { useCatalog } from '../../api/catalogs';
import { ApiError, errorMessage } from '../../api/client';
import { useModules } from '../../api/modules';
import { ROLE_LABELS, useUser } from '../../api/session';
import type { Role } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtDateTime, fmtNumber, plural } from '../../lib/format';
import { DayInput } from '../../components/DayInput';
import { useAuditActions, useAuditTrail, useVerifyChain, type AuditFilters, type AuditItem } from './api';

function DateField({ label, value, onChange, error }: { label: string; value: string | null; onChange: (v: string | null) => void; error?: string }) {
  return <DayInput label={label} value={value} onChange={onChange} error={error} />;
}

/** A short, readable line for an entry's detail (sensitive victim fields are only ever named). */
function detailText(it: AuditItem, fieldLabel: (module: string | null, key: string) => string): string {
  const d = it.detail;
  if (d === null || d === undefined) return '';
  if (typeof d !== 'object') return String(d);
  const o = d as Record<string, unknown>;
  const parts: string[] = [];
  if (o.cambios && typeof o.cambios === 'object') {
    for (const [k, v] of Object.entries(o.cambios as Record<string, unknown>)) {
      if (k === 'search_text' || k === 'fecha_principal') continue;
      const [a, b] = Array.isArray(v) ? v : [undefined, undefined];
      parts.push(`${fieldLabel(it.module, k)}: ${JSON.stringify(a ?? null)} → ${JSON.stringify(b ?? null)}`);
    }
  }
  if (Array.isArray(o.campos_sensibles) && o.campos_sensibles.length)
    parts.push(`Campos sensibles modificados (sin valores): ${(o.campos_sensibles as string[]).map((k) => fieldLabel(it.module, k)).join(', ')}`);
  for (const [k, v] of Object.entries(o)) {
    if (k === 'cambios' || k === 'campos_sensibles' || v === undefined || v === null) continue;
    parts.push(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  }
  const s = parts.join(' · ');
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

const EMPTY: AuditFilters = {};

export function AuditPage() {
  const user = useUser();
  const [draft, setDraft] = useState<AuditFilters>(EMPTY);
  const [filters, setFilters] = useState<AuditFilters>(EMPTY);
  const trail = useAuditTrail(filters);
  const actions = useAuditActions();
  const modules = useModules();
  const institutions = useCatalog('institucion');
  const verify = useVerifyChain();

  const fieldLabel = useMemo(() => {
    const byModule = new Map((modules.data ?? []).map((m) => [m.key, new Map([...m.metadataFields, ...m.fields].map((f) => [f.key, f.label]))]));
    return (module: string | null, key: string) => (module ? byModule.get(module)?.get(key) : undefined) ?? key;
  }, [modules.data]);
  const moduleName = useMemo(() => new Map((modules.data ?? []).map((m) => [m.key, m.name])), [modules.data]);

  if (user.role !== 'auditor' && user.role !== 'administrador')
    return (
      <>
        <PageHeader title="Bitácora de auditoría" />
        <Alert color="yellow" role="alert">
          La bitácora la consultan el personal auditor y la administración.
        </Alert>
      </>
    );

  const apiErr = trail.error instanceof ApiError ? trail.error : null;
  const fieldError = (f: string) => apiErr?.errors.find((e) => e.field === f)?.message;
  const items = trail.data?.pages.flatMap((p) => p.items) ?? [];
  const total = trail.data?.pages[0]?.total;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };

  return (
    <>
      <PageHeader
        title="Bitácora de auditoría"
        subtitle="Cada alta, cambio, eliminación, paso de validación, inicio de sesión, exportación, importación y consulta de un registro de víctima, encadenado con huellas (hash): una entrada alterada o eliminada se detecta."
        actions={
          <Button variant="default" loading={verify.isPending} onClick={() => verify.mutate()}>
            Verificar la cadena
          </Button>
        }
      />
      {verify.data &&
        (verify.data.ok ? (
          <Alert color="green" mb="md" role="status" title="Cadena íntegra">
            {fmtNumber(verify.data.entries)} entradas verificadas.
            {verify.data.lastId !== null && (
              <Text size="xs" mt={4} style={{ overflowWrap: 'anywhere' }}>
                Última entrada #{verify.data.lastId}, huella {verify.data.lastHash}. Anótela fuera del sistema para comprobar después que no se eliminaron entradas recientes.
              </Text>
            )}
          </Alert>
        ) : (
          <Alert color="red" mb="md" role="alert" title="La bitácora fue alterada">
            {verify.data.problem?.message}
          </Alert>
        ))}
      {verify.error && <ErrorAlert error={verify.error} title="No se pudo verificar la cadena" />}

      <Paper withBorder p="md" radius="md" mb="md" component="form" onSubmit={submit} aria-label="Filtros de la bitácora">
        <Grid gap="sm">
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <TextInput label="Usuario" placeholder="nombre de usuario" value={draft.user ?? ''} onChange={(e) => setDraft({ ...draft, user: e.currentTarget.value })} error={fieldError('user')} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Select
              label="Institución"
              placeholder="Todas"
              searchable
              clearable
              data={(institutions.data ?? []).map((i) => ({ value: i.code, label: `${i.code} — ${i.label}` }))}
              value={draft.institucion_id ?? null}
              onChange={(v) => setDraft({ ...draft, institucion_id: v ?? undefined })}
              error={fieldError('institucion_id')}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <TextInput
              label="Registro"
              placeholder="Folio (VIC-2025-000123) o identificador"
              value={draft.record ?? ''}
              onChange={(e) => setDraft({ ...draft, record: e.currentTarget.value })}
              error={fieldError('record_id') ?? fieldError('folio')}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Select
              label="Módulo"
              placeholder="Todos"
              clearable
              data={(modules.data ?? []).map((m) => ({ value: m.key, label: m.name }))}
              value={draft.module ?? null}
              onChange={(v) => setDraft({ ...draft, module: v ?? undefined })}
              error={fieldError('module')}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <MultiSelect
              label="Acción"
              placeholder={draft.action?.length ? undefined : 'Todas'}
              searchable
              clearable
              data={(actions.data ?? []).map((a) => ({ value: a.code, label: a.label }))}
              value={draft.action ?? []}
              onChange={(v) => setDraft({ ...draft, action: v })}
              error={fieldError('action')}
              comboboxProps={{ withinPortal: true }}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, lg: 3 }}>
            <DateField label="Desde" value={draft.from ?? null} onChange={(v) => setDraft({ ...draft, from: v ?? undefined })} error={fieldError('from')} />
          </Grid.Col>
          <Grid.Col span={{ base: 6, lg: 3 }}>
            <DateField label="Hasta" value={draft.to ?? null} onChange={(v) => setDraft({ ...draft, to: v ?? undefined })} error={fieldError('to')} />
          </Grid.Col>
        </Grid>
        <Group mt="sm" gap="sm">
          <Button type="submit">Aplicar filtros</Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(EMPTY);
              setFilters(EMPTY);
            }}
          >
            Limpiar
          </Button>
          {total !== undefined && (
            <Text size="sm" c="dimmed" aria-live="polite">
              {plural(total, 'entrada', 'entradas')}
            </Text>
          )}
        </Group>
      </Paper>

      {trail.isPending && <Loading />}
      {trail.error && <ErrorAlert error={trail.error} onRetry={() => void trail.refetch()} title={errorMessage(trail.error)} />}
      {trail.data && items.length === 0 && <Text c="dimmed">Ninguna entrada con estos filtros.</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped withTableBorder verticalSpacing={6} fz="sm" aria-label="Entradas de la bitácora">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">#</Table.Th>
                <Table.Th scope="col">Fecha y hora (CDMX)</Table.Th>
                <Table.Th scope="col">Usuario</Table.Th>
                <Table.Th scope="col">Institución</Table.Th>
                <Table.Th scope="col">Dirección</Table.Th>
                <Table.Th scope="col">Acción</Table.Th>
                <Table.Th scope="col">Registro</Table.Th>
                <Table.Th scope="col">Detalle</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((it) => (
                <Table.Tr key={it.id}>
                  <Table.Td>
                    <Text size="xs" c="dimmed" title={it.hash ? `huella ${it.hash}` : undefined}>
                      {it.id}
                    </Text>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{fmtDateTime(it.at)}</Table.Td>
                  <Table.Td>
                    {it.username ?? '—'}
                    {it.role && (
                      <Text size="xs" c="dimmed">
                        {ROLE_LABELS[it.role as Role] ?? it.role}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{it.institucion_id ?? '—'}</Table.Td>
                  <Table.Td>{it.ip ?? '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm" fw={600} c={it.action.startsWith('login_') || it.action === 'eliminar' ? '#b02525' : undefined}>
                      {it.action_label}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {it.folio ?? (it.record_id ? it.record_id.slice(0, 8) : '—')}
                    {it.module && (
                      <Text size="xs" c="dimmed">
                        {moduleName.get(it.module) ?? it.module}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {detailText(it, fieldLabel)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {trail.hasNextPage && (
        <Group mt="sm">
          <Button variant="default" loading={trail.isFetchingNextPage} onClick={() => void trail.fetchNextPage()}>
            Cargar entradas anteriores
          </Button>
        </Group>
      )}
    </>
  );
}
