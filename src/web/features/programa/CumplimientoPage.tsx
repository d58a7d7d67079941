// Reporting compliance per institution and period, as a ranking the Secretaría Técnica can publish.
import { Select, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { useCompliance } from './api';

const YEARS = Array.from({ length: new Date().getFullYear() - 2011 }, (_, i) => String(2012 + i)).reverse();

export function CumplimientoPage() {
  // The last closed year: the current one is still being reported.
  const [anio, setAnio] = useState(String(new Date().getFullYear() - 1));
  const [trimestre, setTrimestre] = useState<string | null>(null);
  const q = useCompliance({ anio, trimestre: trimestre ?? undefined });
  return (
    <>
      <PageHeader
        title="Cumplimiento del reporte"
        subtitle="Por institución obligada: trimestres debidos, con envío y validados; registros devueltos; completitud de los campos opcionales."
        actions={
          <>
            <Select label="Año" data={YEARS} value={anio} onChange={(v) => v && setAnio(v)} w={110} allowDeselect={false} />
            <Select label="Trimestre" data={['1', '2', '3', '4']} value={trimestre} onChange={setTrimestre} clearable placeholder="Año completo" w={140} />
          </>
        }
      />
      {q.isLoading ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data ? (
        <>
          <Text size="xs" c="dimmed" mb="sm">{q.data.metodo}</Text>
          {q.data.nota && <Text size="xs" mb="sm">{q.data.nota}</Text>}
          <Table withTableBorder striped fz="sm">
            <Table.Thead>
              <Table.Tr><Table.Th>#</Table.Th><Table.Th>Institución</Table.Th><Table.Th>Debidos</Table.Th><Table.Th>Con envío</Table.Th><Table.Th>Validados</Table.Th><Table.Th>Enviados</Table.Th><Table.Th>Devueltos</Table.Th><Table.Th>Borradores</Table.Th><Table.Th>Completitud</Table.Th><Table.Th>Índice</Table.Th></Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((i) => (
                <Table.Tr key={i.codigo}>
                  <Table.Td>{i.posicion}</Table.Td>
                  <Table.Td>{i.codigo} — {i.nombre}</Table.Td>
                  <Table.Td>{i.debidos}</Table.Td>
                  <Table.Td>{i.trimestres_enviados}</Table.Td>
                  <Table.Td>{i.registros.validado}</Table.Td>
                  <Table.Td>{i.registros.enviado}</Table.Td>
                  <Table.Td>{i.registros.devuelto}</Table.Td>
                  <Table.Td>{i.registros.borrador}</Table.Td>
                  <Table.Td>{i.completitud === null ? '—' : `${i.completitud} %`}</Table.Td>
                  <Table.Td fw={700}>{i.indice}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      ) : null}
    </>
  );
}
