// Catalog administration for the administrador (spec §3): add a value, correct a label, deprecate a value from a
// date (it stays readable on old records and statistics and is no longer offered), or undo that. Codes never
// change meaning. Official catalogs (INEGI, ISO, Ley General) are shown read-only: they change only by loading a
// new edition. The server checks every rule; its field errors are shown next to each field.
import { Alert, Badge, Button, Checkbox, Group, Modal, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { useUser } from '../../api/session';
import type { CatalogItem } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtDate } from '../../lib/format';
import { DayInput } from '../../components/DayInput';
import { todayMx } from '../../../modules/validate';
import { catalogDetailQuery, catalogsQuery, useAddItem, useChangeItem, type CatalogDetail } from './api';

/** Institutions and the Programa Nacional have their own screens; record references are lists of records, not values. */
const NOT_HERE = (name: string) => name === 'institucion' || name === 'pn_accion' || name.endsWith('_ref');

function DateField(p: { label: string; description?: string; value: string | null; onChange: (v: string | null) => void; error?: string; required?: boolean }) {
  return <DayInput label={p.label} description={p.description} required={p.required} value={p.value} onChange={p.onChange} error={p.error} maw={260} />;
}

const fieldError = (e: unknown, field: string) => (e instanceof ApiError ? e.errors.find((x) => x.field === field)?.message : undefined);

type State = 'vigente' | 'baja' | 'futuro';

function stateOf(it: CatalogItem, today: string): State {
  if (it.validTo && it.validTo < today) return 'baja';
  if (it.validFrom && it.validFrom > today) return 'futuro';
  return 'vigente';
}

function StateBadge({ it, today }: { it: CatalogItem; today: string }) {
  const st = stateOf(it, today);
  if (st === 'baja') return <Badge color="gray">Dado de baja el {fmtDate(it.validTo)}</Badge>;
  if (st === 'futuro') return <Badge color="blue" variant="light">Vigente desde el {fmtDate(it.validFrom)}</Badge>;
  return (
    <Badge color="green" variant="light">
      Vigente{it.validTo ? ` hasta el ${fmtDate(it.validTo)}` : ''}
    </Badge>
  );
}

export function CatalogAdminPage() {
  const user = useUser();
  const list = useQuery(catalogsQuery);
  const [name, setName] = useState<string | null>(null);
  if (user.role !== 'administrador')
    return (
      <Alert color="orange" title="Sin permiso">
        Solo la administración de la Secretaría Técnica modifica los catálogos.
      </Alert>
    );
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  const options = list.data
    .filter((c) => !NOT_HERE(c.name))
    .sort((a, b) => a.title.localeCompare(b.title, 'es'))
    .map((c) => ({ value: c.name, label: `${c.title}${c.official ? ' (oficial)' : ''}` }));
  return (
    <Stack gap="md">
      <PageHeader
        title="Catálogos"
        subtitle="Agregue valores, corrija etiquetas o dé de baja valores desde una fecha. Las claves nunca cambian de significado; un valor dado de baja sigue visible en los registros y estadísticas anteriores."
      />
      <Select
        label="Catálogo"
        placeholder="Elija un catálogo"
        data={options}
        value={name}
        onChange={setName}
        searchable
        nothingFoundMessage="Sin coincidencias"
        maw={560}
      />
      {name && <CatalogEditor key={name} name={name} />}
    </Stack>
  );
}

type Dialog = { kind: 'add' } | { kind: 'label'; it: CatalogItem } | { kind: 'baja'; it: CatalogItem } | null;

function CatalogEditor({ name }: { name: string }) {
  const q = useQuery(catalogDetailQuery(name));
  const [dialog, setDialog] = useState<Dialog>(null);
  const [filter, setFilter] = useState('');
  const today = todayMx();
  const items = useMemo(() => {
    const f = filter.trim().toLowerCase();
    const all = q.data?.items ?? [];
    return f ? all.filter((i) => i.code.toLowerCase().includes(f) || i.label.toLowerCase().includes(f)) : all;
  }, [q.data, filter]);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const c: CatalogDetail = q.data;
  const editable = !c.official;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="cat-title">
      <Group justify="space-between" align="flex-end" mb="sm" wrap="wrap">
        <div>
          <Text id="cat-title" fw={700} fz="lg" c="guinda.9">
            {c.title}
          </Text>
          <Text size="sm" c="dimmed">
            {c.items.length} valores · {c.items.filter((i) => stateOf(i, today) === 'vigente').length} vigentes hoy
            {c.source ? ` · Fuente: ${c.source}` : ''}
          </Text>
        </div>
        {editable && <Button onClick={() => setDialog({ kind: 'add' })}>Agregar valor</Button>}
      </Group>
      {!editable && (
        <Alert color="blue" variant="light" mb="sm" title="Catálogo oficial">
          Este catálogo solo cambia cargando una nueva edición de su fuente oficial; aquí se consulta.
        </Alert>
      )}
      <TextInput label="Buscar por clave o etiqueta" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} maw={360} mb="sm" />
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Clave</Table.Th>
              <Table.Th>Etiqueta</Table.Th>
              <Table.Th>Grupo</Table.Th>
              <Table.Th>Vigencia</Table.Th>
              {editable && <Table.Th>Acciones</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.slice(0, 500).map((it) => (
              <Table.Tr key={it.code}>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {it.code}
                  </Text>
                  {it.exclusive && (
                    <Badge size="xs" variant="outline" ml={4}>
                      excluyente
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{it.label}</Table.Td>
                <Table.Td>{typeof it.group === 'string' ? it.group : ''}</Table.Td>
                {/* Wide enough for «Dado de baja el dd/mm/aaaa»: a cut badge hides the date. */}
                <Table.Td miw={230}>
                  <StateBadge it={it} today={today} />
                </Table.Td>
                {editable && it.official === true && (
                  <Table.Td>
                    <Badge variant="outline" color="gray" title="Valor oficial: cambia solo con una nueva edición de su fuente">
                      oficial
                    </Badge>
                  </Table.Td>
                )}
                {editable && it.official !== true && (
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Button size="xs" variant="default" onClick={() => setDialog({ kind: 'label', it })} aria-label={`Corregir la etiqueta de ${it.code}`}>
                        Corregir etiqueta
                      </Button>
                      <Button size="xs" variant="subtle" onClick={() => setDialog({ kind: 'baja', it })} aria-label={`Vigencia de ${it.code}`}>
                        {it.validTo ? 'Cambiar baja' : 'Dar de baja'}
                      </Button>
                    </Group>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {items.length > 500 && (
        <Text size="sm" c="dimmed" mt="xs">
          Se muestran 500 de {items.length}; use la búsqueda.
        </Text>
      )}
      {dialog?.kind === 'add' && <AddDialog name={name} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'label' && <LabelDialog name={name} it={dialog.it} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'baja' && <BajaDialog name={name} it={dialog.it} onClose={() => setDialog(null)} />}
    </Paper>
  );
}

function AddDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const add = useAddItem(name);
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [group, setGroup] = useState('');
  const [validFrom, setValidFrom] = useState<string | null>(null);
  const [exclusive, setExclusive] = useState(false);
  const e = add.error;
  const submit = async () => {
    try {
      const it = await add.mutateAsync({ code: code.trim(), label: label.trim(), ...(group.trim() ? { group: group.trim() } : {}), ...(validFrom ? { validFrom } : {}), exclusive });
      notifications.show({ color: 'verde', title: 'Valor agregado', message: `${it.code} — ${it.label}` });
      onClose();
    } catch {
      // shown below
    }
  };
  return (
    <Modal opened onClose={onClose} title="Agregar un valor" centered>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <TextInput
            label="Clave"
            description="MAYÚSCULAS, dígitos y guion bajo (p. ej. NUEVA_OPCION). No podrá cambiarse."
            required
            value={code}
            onChange={(ev) => setCode(ev.currentTarget.value.toUpperCase())}
            error={fieldError(e, 'code')}
            maxLength={64}
            data-autofocus
          />
          <TextInput label="Etiqueta" required value={label} onChange={(ev) => setLabel(ev.currentTarget.value)} error={fieldError(e, 'label')} maxLength={400} />
          <TextInput label="Grupo (opcional)" value={group} onChange={(ev) => setGroup(ev.currentTarget.value)} error={fieldError(e, 'group')} maxLength={64} />
          <DateField label="Vigente desde (opcional)" description="Vacío: se ofrece desde hoy." value={validFrom} onChange={setValidFrom} error={fieldError(e, 'validFrom')} />
          <Checkbox label="Excluyente (no se combina con otras opciones)" checked={exclusive} onChange={(ev) => setExclusive(ev.currentTarget.checked)} />
          {e && !(e instanceof ApiError && e.errors.length) && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(e)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button type="submit" loading={add.isPending} disabled={!code.trim() || label.trim().length < 2}>
              Agregar
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function LabelDialog({ name, it, onClose }: { name: string; it: CatalogItem; onClose: () => void }) {
  const change = useChangeItem(name);
  const [label, setLabel] = useState(it.label);
  const submit = async () => {
    try {
      await change.mutateAsync({ code: it.code, change: { label: label.trim() } });
      notifications.show({ color: 'verde', title: 'Etiqueta corregida', message: `${it.code} — ${label.trim()}` });
      onClose();
    } catch {
      // shown below
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Corregir la etiqueta de ${it.code}`} centered>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Text size="sm">Corrija la redacción sin cambiar el significado: los registros que ya usan «{it.code}» mostrarán la nueva etiqueta.</Text>
          <TextInput label="Etiqueta" required value={label} onChange={(ev) => setLabel(ev.currentTarget.value)} error={fieldError(change.error, 'label')} maxLength={400} data-autofocus />
          {change.error && !fieldError(change.error, 'label') && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(change.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button type="submit" loading={change.isPending} disabled={label.trim().length < 2 || label.trim() === it.label}>
              Guardar
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function BajaDialog({ name, it, onClose }: { name: string; it: CatalogItem; onClose: () => void }) {
  const change = useChangeItem(name);
  const [validTo, setValidTo] = useState<string | null>(typeof it.validTo === 'string' ? it.validTo : todayMx());
  const run = async (v: string | null, title: string) => {
    try {
      await change.mutateAsync({ code: it.code, change: { validTo: v } });
      notifications.show({ color: 'verde', title, message: `${it.code} — ${it.label}` });
      onClose();
    } catch {
      // shown below
    }
  };
  return (
    <Modal opened onClose={onClose} title={`Dar de baja ${it.code}`} centered>
      <Stack>
        <Text size="sm">
          «{it.label}» deja de ofrecerse en los formularios después de la fecha indicada y ya no se acepta en registros cuya fecha principal sea posterior. Los registros y las estadísticas anteriores lo conservan.
        </Text>
        <DateField label="Último día de vigencia" required value={validTo} onChange={setValidTo} error={fieldError(change.error, 'validTo')} />
        {change.error && !fieldError(change.error, 'validTo') && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(change.error)}
          </Alert>
        )}
        <Group justify="space-between">
          {it.validTo ? (
            <Button variant="subtle" onClick={() => void run(null, 'Baja anulada')} loading={change.isPending}>
              Anular la baja
            </Button>
          ) : (
            <span />
          )}
          <Group gap="sm">
            <Button variant="default" onClick={onClose}>
              Cancelar
            </Button>
            <Button color="#b02525" disabled={!validTo} loading={change.isPending} onClick={() => void run(validTo, 'Valor dado de baja')}>
              Dar de baja
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
