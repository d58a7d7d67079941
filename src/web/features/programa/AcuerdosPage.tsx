// Follow-up of the commissions' acuerdos: national, the CI's and per state commission; overdue highlighted.
import { Badge, Group, Select, SimpleGrid, Switch, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../lib/format';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { useCommitments, type Resumen } from './api';

const ENTIDADES = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));

function ResumenCard({ title, r }: { title: string; r: Resumen }) {
  return (
    <div style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 8, padding: 12 }}>
      <Text fw={700} size="sm">{title}</Text>
      <Text size="sm">{r.acuerdos} acuerdos · {r.cumplidos} cumplidos · <Text span c={r.vencidos ? 'red.8' : undefined} fw={r.vencidos ? 700 : undefined}>{r.vencidos} vencidos</Text></Text>
      <Text size="xs" c="dimmed">Cumplimiento {r.tasa_cumplimiento ?? '—'} % · avance promedio {r.avance_promedio ?? '—'} %</Text>
    </div>
  );
}

export function AcuerdosPage() {
  const [entidad, setEntidad] = useState<string | null>(null);
  const [soloVencidos, setSoloVencidos] = useState(false);
  const q = useCommitments({ entidad: entidad ?? undefined, vencido: soloVencidos ? 'true' : undefined });
  return (
    <>
      <PageHeader
        title="Seguimiento de acuerdos"
        subtitle="Acuerdos de las comisiones (módulo 4). Vencido: fecha compromiso anterior a hoy y estado pendiente o en proceso."
        actions={
          <>
            <Select label="Comisión estatal" data={ENTIDADES} value={entidad} onChange={setEntidad} clearable placeholder="Todas" w={140} />
            <Switch label="Solo vencidos" checked={soloVencidos} onChange={(e) => setSoloVencidos(e.currentTarget.checked)} />
          </>
        }
      />
      {q.isLoading ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data ? (
        <>
          <SimpleGrid cols={{ base: 1, sm: 2 }} mb="md">
            <ResumenCard title="Nacional" r={q.data.nacional} />
            <ResumenCard title="Comisión Intersecretarial" r={q.data.comision_intersecretarial} />
          </SimpleGrid>
          <Table withTableBorder striped fz="sm" mb="lg" captionSide="top">
            <Table.Caption>Por comisión estatal (CIES)</Table.Caption>
            <Table.Thead><Table.Tr><Table.Th>Entidad</Table.Th><Table.Th>Acuerdos</Table.Th><Table.Th>Pendientes</Table.Th><Table.Th>En proceso</Table.Th><Table.Th>Cumplidos</Table.Th><Table.Th>Vencidos</Table.Th><Table.Th>Cumplimiento</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {q.data.por_comision_estatal.map((c) => (
                <Table.Tr key={c.entidad}>
                  <Table.Td>{c.entidad}</Table.Td><Table.Td>{c.acuerdos}</Table.Td><Table.Td>{c.por_estado.PENDIENTE}</Table.Td><Table.Td>{c.por_estado.EN_PROCESO}</Table.Td><Table.Td>{c.cumplidos}</Table.Td>
                  <Table.Td>{c.vencidos ? <Badge color="red">{c.vencidos}</Badge> : 0}</Table.Td><Table.Td>{c.tasa_cumplimiento ?? '—'} %</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {q.data.items && (
            <Table withTableBorder fz="sm" captionSide="top">
              <Table.Caption>Acuerdos (vencidos primero)</Table.Caption>
              <Table.Thead><Table.Tr><Table.Th>Clave</Table.Th><Table.Th>Órgano</Table.Th><Table.Th>Acuerdo</Table.Th><Table.Th>Compromiso</Table.Th><Table.Th>Estado</Table.Th><Table.Th>Avance</Table.Th></Table.Tr></Table.Thead>
              <Table.Tbody>
                {q.data.items.map((a) => (
                  <Table.Tr key={a.id} style={a.vencido ? { background: 'var(--mantine-color-red-0)' } : undefined}>
                    <Table.Td>{a.clave_acuerdo}</Table.Td>
                    <Table.Td>{a.nombre_organo} (sesión {a.numero_sesion}, {a.fecha_sesion})</Table.Td>
                    <Table.Td>{a.descripcion_acuerdo}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>{a.fecha_compromiso ?? '—'}{a.vencido && <Badge color="red" size="sm">Vencido hace {plural(a.dias_vencido ?? 0, 'día', 'días')}</Badge>}</Group>
                    </Table.Td>
                    <Table.Td>{a.estado_seguimiento}</Table.Td>
                    <Table.Td>{a.porcentaje_avance} %</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </>
      ) : null}
    </>
  );
}
