// Programa Nacional: objectives → strategies → acciones puntuales, with what was registered against each
// (validated records, by module and institution) and, for the administrator, editing of the structure.
import { Accordion, Alert, Badge, Button, Group, Modal, NumberInput, Progress, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { errorMessage, type FieldIssue, ApiError } from '../../api/client';
import { useUser } from '../../api/session';
import { useConfirm } from '../../components/Confirm';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../lib/format';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { usePrograma, useProgramaEdit, useProgramas, type Accion } from './api';

const YEARS = Array.from({ length: new Date().getFullYear() - 2021 }, (_, i) => String(2022 + i)).reverse();
const MODULE_NAMES: Record<string, string> = {
  instrumentos: 'Instrumentos',
  convenios: 'Convenios',
  avances_legislativos: 'Avances legislativos',
  comisiones: 'Comisiones',
  colaboracion_internacional: 'Colaboración internacional',
  capacitacion: 'Capacitación',
  difusion: 'Difusión',
  materiales_difusion: 'Materiales de difusión',
  victimas: 'Atención a víctimas',
  modelos_atencion: 'Modelos de atención',
  unidades_especializadas: 'Unidades especializadas',
  operativos_rescate: 'Operativos de rescate',
};

type Edit = { title: string; method: 'POST' | 'PUT'; path: string; fields: ('numero' | 'numeroTexto' | 'texto' | 'tipo_accion' | 'institucion_coordinadora' | 'instituciones_responsables')[]; initial?: Record<string, unknown> };

function EditModal({ edit, onClose }: { edit: Edit; onClose: () => void }) {
  const m = useProgramaEdit();
  const [v, setV] = useState<Record<string, unknown>>(edit.initial ?? {});
  const errs: FieldIssue[] = m.error instanceof ApiError ? m.error.errors : [];
  const err = (f: string) => errs.find((e) => e.field === f || e.field.startsWith(`${f}.`))?.message;
  const submit = () => {
    const body: Record<string, unknown> = {};
    for (const f of edit.fields) {
      const key = f === 'numeroTexto' ? 'numero' : f;
      if (edit.method === 'PUT' && key === 'numero') continue;
      if (f === 'instituciones_responsables') body[key] = String(v[key] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      else if (v[key] !== undefined && v[key] !== '') body[key] = v[key];
    }
    m.mutate({ method: edit.method, path: edit.path, body }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} title={edit.title} size="lg">
      <Stack>
        {edit.fields.includes('numero') && edit.method === 'POST' && <NumberInput label="Número" min={1} value={Number(v.numero ?? '') || ''} onChange={(x) => setV({ ...v, numero: Number(x) })} error={err('numero')} />}
        {edit.fields.includes('numeroTexto') && edit.method === 'POST' && <TextInput label="Número (p. ej. 2.1 o 2.1.3)" value={String(v.numero ?? '')} onChange={(e) => setV({ ...v, numero: e.currentTarget.value })} error={err('numero')} />}
        {edit.fields.includes('texto') && <Textarea label="Texto" autosize minRows={3} value={String(v.texto ?? '')} onChange={(e) => setV({ ...v, texto: e.currentTarget.value })} error={err('texto')} />}
        {edit.fields.includes('tipo_accion') && <TextInput label="Tipo de acción (como se publicó)" value={String(v.tipo_accion ?? '')} onChange={(e) => setV({ ...v, tipo_accion: e.currentTarget.value })} error={err('tipo_accion')} />}
        {edit.fields.includes('institucion_coordinadora') && <TextInput label="Institución coordinadora (clave, p. ej. SEGOB)" value={String(v.institucion_coordinadora ?? '')} onChange={(e) => setV({ ...v, institucion_coordinadora: e.currentTarget.value })} error={err('institucion_coordinadora')} />}
        {edit.fields.includes('instituciones_responsables') && (
          <TextInput label="Instituciones responsables (claves separadas por comas)" value={String(v.instituciones_responsables ?? '')} onChange={(e) => setV({ ...v, instituciones_responsables: e.currentTarget.value })} error={err('instituciones_responsables')} />
        )}
        {m.error && !errs.length && <Alert color="red">{errorMessage(m.error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>Cancelar</Button>
          <Button onClick={submit} loading={m.isPending}>Guardar</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function AccionRow({ a, admin, onEdit, onDelete }: { a: Accion; admin: boolean; onEdit: () => void; onDelete: () => void }) {
  return (
    <Stack gap={4} py="xs" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Text size="sm">
          <Text span fw={700}>{a.codigo}</Text> {a.texto}
          {a.tipo_accion && <Text span c="dimmed"> · {a.tipo_accion}</Text>}
        </Text>
        <Badge variant="light" color={a.registros ? 'verde' : 'gray'}>{plural(a.registros, 'registro validado', 'registros validados')}</Badge>
      </Group>
      {a.avance !== null && (
        <Group gap="xs">
          <Text size="xs" c="dimmed">Avance (responsables con registro):</Text>
          <Progress value={a.avance} w={160} aria-label={`Avance ${a.avance} %`} />
          <Text size="xs">{a.avance} %</Text>
        </Group>
      )}
      {a.por_institucion.length > 0 && (
        <Text size="xs">Por institución: {a.por_institucion.map((i) => `${i.codigo} (${i.registros})`).join(', ')} · Por módulo: {Object.entries(a.por_modulo).map(([k, n]) => `${MODULE_NAMES[k] ?? k} (${n})`).join(', ')}</Text>
      )}
      {a.responsables_sin_registro.length > 0 && <Text size="xs" c="red.8">Responsables sin registro: {a.responsables_sin_registro.map((i) => i.codigo).join(', ')}</Text>}
      {admin && (
        <Group gap="xs">
          <Button size="compact-xs" variant="subtle" onClick={onEdit}>Editar</Button>
          <Button size="compact-xs" variant="subtle" color="red" onClick={onDelete}>Eliminar</Button>
        </Group>
      )}
    </Stack>
  );
}

export function ProgramaPage() {
  const user = useUser();
  const admin = user.role === 'administrador';
  const [anio, setAnio] = useState<string | null>(null);
  const [programa, setPrograma] = useState<string | null>(null);
  const q = usePrograma({ anio: anio ?? undefined, programa: programa ?? undefined });
  const list = useProgramas();
  const del = useProgramaEdit();
  const [edit, setEdit] = useState<Edit | null>(null);
  const [ask, confirmDialog] = useConfirm();
  const remove = async (path: string) => {
    const message = '¿Eliminar este elemento del programa? Solo es posible si ningún registro está alineado a sus acciones.';
    if (await ask({ title: 'Eliminar elemento del programa', message, confirm: 'Eliminar', danger: true })) del.mutate({ method: 'DELETE', path });
  };
  return (
    <>
      <PageHeader
        title="Programa Nacional"
        subtitle={q.data ? `${q.data.programa.nombre} (${q.data.programa.periodo_inicio} a ${q.data.programa.periodo_fin})` : 'Objetivos, estrategias y acciones puntuales, con lo registrado en cada una'}
        actions={
          <>
            <Select label="Programa" data={(list.data?.items ?? []).map((p) => ({ value: p.clave, label: `${p.clave}${p.vigente ? ' (vigente)' : ''}` }))} value={programa} onChange={setPrograma} clearable placeholder="Vigente" w={170} />
            <Select label="Año de los registros" data={YEARS} value={anio} onChange={setAnio} clearable placeholder="Todo el periodo" w={170} />
          </>
        }
      />
      {confirmDialog}
      {del.error && <Alert color="red" mb="sm">{errorMessage(del.error)}</Alert>}
      {q.isLoading ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data ? (
        <>
        {q.data.nota && <Text size="sm" c="dimmed" mb="sm">{q.data.nota}</Text>}
        <Accordion multiple variant="separated" defaultValue={q.data.objetivos.map((o) => o.id)}>
          {q.data.objetivos.map((o) => (
            <Accordion.Item key={o.id} value={o.id}>
              <Accordion.Control>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={600}>{q.data!.programa.etiquetas_niveles[0]} {o.numero}. {o.texto}</Text>
                  <Badge variant="outline">{o.registros}</Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                {o.indicadores.length > 0 && <Text size="xs" c="dimmed" mb="xs">Indicadores: {o.indicadores.map((i) => i.id).join(', ')}</Text>}
                {o.estrategias.map((e) => (
                  <Stack key={e.id} gap={2} mb="md">
                    <Group justify="space-between">
                      <Text fw={600} c="verde.8">{q.data!.programa.etiquetas_niveles[1]} {e.numero}. {e.texto}</Text>
                      {admin && (
                        <Group gap="xs">
                          <Button size="compact-xs" variant="light" onClick={() => setEdit({ title: `Nueva acción en ${e.numero}`, method: 'POST', path: `/programa/estrategias/${e.id}/acciones`, fields: ['numeroTexto', 'texto', 'tipo_accion', 'institucion_coordinadora', 'instituciones_responsables'], initial: { numero: `${e.numero}.` } })}>Agregar acción</Button>
                          <Button size="compact-xs" variant="subtle" onClick={() => setEdit({ title: `Estrategia ${e.numero}`, method: 'PUT', path: `/programa/estrategias/${e.id}`, fields: ['texto'], initial: { texto: e.texto } })}>Editar</Button>
                          <Button size="compact-xs" variant="subtle" color="red" onClick={() => void remove(`/programa/estrategias/${e.id}`)}>Eliminar</Button>
                        </Group>
                      )}
                    </Group>
                    {e.acciones.map((a) => (
                      <AccionRow
                        key={a.id}
                        a={a}
                        admin={admin}
                        onEdit={() => setEdit({ title: `Acción ${a.numero}`, method: 'PUT', path: `/programa/acciones/${a.id}`, fields: ['texto', 'tipo_accion', 'institucion_coordinadora', 'instituciones_responsables'], initial: { ...a, instituciones_responsables: a.instituciones_responsables.join(', ') } })}
                        onDelete={() => void remove(`/programa/acciones/${a.id}`)}
                      />
                    ))}
                  </Stack>
                ))}
                {admin && (
                  <Group gap="xs">
                    <Button size="xs" variant="light" onClick={() => setEdit({ title: `Nueva estrategia del objetivo ${o.numero}`, method: 'POST', path: `/programa/objetivos/${o.id}/estrategias`, fields: ['numeroTexto', 'texto'], initial: { numero: `${o.numero}.` } })}>Agregar estrategia</Button>
                    <Button size="xs" variant="subtle" onClick={() => setEdit({ title: `Objetivo ${o.numero}`, method: 'PUT', path: `/programa/objetivos/${o.id}`, fields: ['texto'], initial: { texto: o.texto } })}>Editar objetivo</Button>
                  </Group>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
        </>
      ) : null}
      {admin && q.data && (
        <Button mt="md" variant="light" onClick={() => setEdit({ title: 'Nuevo objetivo', method: 'POST', path: `/programa/${q.data!.programa.id}/objetivos`, fields: ['numero', 'texto'] })}>Agregar objetivo</Button>
      )}
      {edit && <EditModal edit={edit} onClose={() => setEdit(null)} />}
      {q.data && (
        <Table mt="lg" withTableBorder fz="xs" captionSide="top">
          <Table.Caption>Metas e indicadores del programa</Table.Caption>
          <Table.Thead><Table.Tr><Table.Th>Objetivo</Table.Th><Table.Th>Meta o indicador</Table.Th><Table.Th>Línea base</Table.Th><Table.Th>Meta</Table.Th></Table.Tr></Table.Thead>
          <Table.Tbody>
            {q.data.objetivos.flatMap((o) => o.metas.map((m) => (
              <Table.Tr key={m.id}><Table.Td>{o.numero}</Table.Td><Table.Td>{m.indicador_sintra ? `${m.indicador_sintra} ` : ''}{m.nombre}</Table.Td><Table.Td>{m.linea_base_valor ?? '—'} ({m.linea_base_anio ?? '—'})</Table.Td><Table.Td>{m.meta_valor ?? 'Sin meta'} ({m.meta_anio ?? '—'})</Table.Td></Table.Tr>
            )))}
          </Table.Tbody>
        </Table>
      )}
    </>
  );
}
