// Annual report: freeze a snapshot (or reuse one) and generate DOCX and PDF with a progress bar.
import { Alert, Button, Group, Progress, Select, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { apiUrl, errorMessage } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { useJob, useSnapshots, useStartReport } from './api';

const YEARS = Array.from({ length: new Date().getFullYear() - 2011 }, (_, i) => String(2012 + i)).reverse();

export function InformePage() {
  const [anio, setAnio] = useState(String(new Date().getFullYear() - 1));
  const [snapshot, setSnapshot] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const snaps = useSnapshots(Number(anio));
  const start = useStartReport();
  const job = useJob(jobId);
  const run = (nuevo: boolean) => start.mutate({ anio: Number(anio), snapshot: nuevo ? null : snapshot, nuevo_corte: nuevo }, { onSuccess: (j) => setJobId(j.id) });
  const j = job.data;
  return (
    <>
      <PageHeader title="Informe anual" subtitle="Congela una instantánea al corte y genera el informe en Word y PDF; regenerarlo desde la misma instantánea da las mismas cifras." />
      <Stack maw={760}>
        <Group align="flex-end">
          <Select label="Año" data={YEARS} value={anio} onChange={(v) => { if (v) { setAnio(v); setSnapshot(null); } }} w={110} allowDeselect={false} />
          <Select
            label="Instantánea"
            placeholder="La más reciente del año"
            data={(snaps.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.taken_at.slice(0, 16).replace('T', ' ')} · corte ${s.fecha_corte}` }))}
            value={snapshot}
            onChange={setSnapshot}
            clearable
            w={320}
          />
        </Group>
        <Group>
          <Button onClick={() => run(true)} loading={start.isPending}>Nuevo corte y generar</Button>
          <Button variant="light" onClick={() => run(false)} disabled={start.isPending}>Generar con la instantánea elegida</Button>
        </Group>
        {start.error && <Alert color="red">{errorMessage(start.error)}</Alert>}
        {j && (
          <Stack gap={4} aria-live="polite">
            <Text size="sm">{j.estado === 'listo' ? 'Informe listo.' : j.estado === 'error' ? `Error: ${j.error}` : `${j.etapa ?? 'En proceso'}…`}</Text>
            <Progress value={j.progreso} size="lg" color={j.estado === 'error' ? 'red' : undefined} aria-label={`Progreso ${j.progreso} %`} animated={j.estado === 'en_proceso'} />
            {j.estado === 'listo' && (
              <>
                <Group>
                  <Button component="a" href={apiUrl(`/reports/jobs/${j.id}/file`, { format: 'docx' })}>Descargar Word</Button>
                  <Button component="a" variant="light" href={apiUrl(`/reports/jobs/${j.id}/file`, { format: 'pdf' })}>Descargar PDF</Button>
                </Group>
                <Text size="xs" c="dimmed">Instantánea {j.snapshot_id} · huella de las cifras {j.figuras_sha256?.slice(0, 16)} · {((j.duracion_ms ?? 0) / 1000).toFixed(1)} s</Text>
              </>
            )}
          </Stack>
        )}
        {snaps.data && snaps.data.items.length > 0 && (
          <Table withTableBorder fz="xs" captionSide="top">
            <Table.Caption>Instantáneas de {anio}</Table.Caption>
            <Table.Thead><Table.Tr><Table.Th>Tomada</Table.Th><Table.Th>Corte</Table.Th><Table.Th>Registros</Table.Th><Table.Th>Id</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {snaps.data.items.map((s) => (
                <Table.Tr key={s.id}><Table.Td>{s.taken_at.slice(0, 19).replace('T', ' ')}</Table.Td><Table.Td>{s.fecha_corte}</Table.Td><Table.Td>{Object.values(s.conteos).reduce((a, b) => a + b, 0)}</Table.Td><Table.Td>{s.id}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </>
  );
}
