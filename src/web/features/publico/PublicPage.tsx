// Página pública (sin sesión): the periodic publication of the legal tables of art. 88 fr. VIII for closed
// periods, only from validated records and always with disclosure control, as the Secretaría Técnica
// published them. Table, chart, map of the states, downloads.
import { Alert, Badge, Box, Button, Grid, Group, Paper, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatsPart } from '../../components/StatsPart';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { publicFileUrl, usePublication, usePublicGeo, usePublicList } from './api';

export function PublicPage() {
  const list = usePublicList();
  const [periodo, setPeriodo] = useState<string | null>(() => new URLSearchParams(window.location.search).get('periodo'));
  const [tabla, setTabla] = useState('T-01');
  const [condicion, setCondicion] = useState('VICTIMA');
  useEffect(() => {
    if (!periodo && list.data?.items.length) setPeriodo(list.data.items[0].periodo);
  }, [periodo, list.data]);
  const pub = usePublication(periodo);
  const geo = usePublicGeo();
  const ids = [...new Set((pub.data?.tablas ?? []).map((t) => t.id))];
  const table = pub.data?.tablas.find((t) => t.id === tabla && (t.condicion === 'OFENDIDO' || t.condicion === condicion));
  const stateLabels = new Map<string, string>();
  for (const t of pub.data?.tablas ?? []) for (const p of t.parts) if (p.geo === 'entidad') for (const [k, v] of Object.entries(p.labels?.rows ?? {})) stateLabels.set(k, v);

  return (
    <Box p="md" maw={1400} mx="auto">
      <Stack gap="md">
        <PageHeader
          title="Estadísticas de trata de personas: publicación periódica"
          subtitle="Tabulados del artículo 88, fracción VIII, de la Ley General para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas, con información validada de las instituciones que reportan a SINTRA."
        />
        <Alert color="blue" variant="light">
          Solo se publican periodos cerrados, con registros validados por la Secretaría Técnica. Para proteger a las víctimas, las cifras de 1 a 4 personas se muestran como «&lt;5», y otras cifras se suprimen cuando permitirían deducirlas. Son personas registradas por las instituciones: una persona atendida por dos instituciones puede contar dos veces.
        </Alert>
        {list.error ? (
          <ErrorAlert error={list.error} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Text>Aún no hay periodos publicados.</Text>
        ) : (
          <Paper withBorder p="md" radius="md" component="section" aria-label="Periodo y tabulado">
            <Grid align="flex-end">
              <Grid.Col span={{ base: 12, sm: 4, md: 2 }}>
                <Select
                  label="Periodo"
                  data={list.data.items.map((p) => ({ value: p.periodo, label: p.trimestre ? `${p.anio}, trimestre ${p.trimestre}` : String(p.anio) }))}
                  value={periodo}
                  onChange={setPeriodo}
                  allowDeselect={false}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, sm: 8, md: 5 }}>
                <Select
                  label="Tabulado"
                  data={ids.map((id) => ({ value: id, label: `${id.startsWith('T-') ? `${id} ` : ''}${pub.data!.tablas.find((t) => t.id === id)!.title}` }))}
                  value={tabla}
                  onChange={(v) => v && setTabla(v)}
                  allowDeselect={false}
                  searchable
                  disabled={!pub.data}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Text size="sm" fw={500} mb={4} id="pub-condicion">
                  Población
                </Text>
                <SegmentedControl aria-labelledby="pub-condicion" value={condicion} onChange={setCondicion} data={list.data.condiciones.map((c) => ({ value: c.code, label: c.label }))} />
              </Grid.Col>
            </Grid>
            {pub.data && (
              <Group mt="sm" gap="xs">
                <Badge variant="light">
                  Del {fmtDate(pub.data.desde)} al {fmtDate(pub.data.hasta)}
                </Badge>
                <Badge variant="outline" color="gray">
                  Versión {pub.data.version}, publicada el {fmtDateTime(pub.data.publicada_at)}
                </Badge>
                <Button size="xs" variant="default" component="a" href={publicFileUrl(pub.data.periodo, 'todas', undefined, 'xlsx')} download>
                  Todos los tabulados del periodo (XLSX)
                </Button>
              </Group>
            )}
          </Paper>
        )}
        {pub.error && <ErrorAlert error={pub.error} />}
        {pub.data && !table && <Text>Esta tabla no está en la publicación.</Text>}
        {pub.data && table && (
          <Stack gap="md">
            <Title order={2} fz="lg">
              {table.id.startsWith('T-') ? `${table.id}. ` : ''}
              {table.title} — {table.condicionLabel}
            </Title>
            {table.parts.map((p) => (
              <StatsPart
                key={p.key}
                data={p}
                title={`${table.id}${p.key}. ${p.title}`}
                chart={p.chart}
                downloads={{ csv: publicFileUrl(pub.data.periodo, table.id, table.condicion === 'OFENDIDO' ? undefined : condicion, 'csv'), xlsx: publicFileUrl(pub.data.periodo, table.id, table.condicion === 'OFENDIDO' ? undefined : condicion, 'xlsx') }}
                geo={p.geo === 'entidad' ? geo.data : undefined}
                stateName={(c) => stateLabels.get(c) ?? c}
              />
            ))}
          </Stack>
        )}
        <Text size="xs" c="dimmed">
          Fuente: Sistema Nacional de Información en materia de Trata de Personas (SINTRA), Secretaría Técnica de la Comisión Intersecretarial. Límites estatales: INEGI.
        </Text>
      </Stack>
    </Box>
  );
}
