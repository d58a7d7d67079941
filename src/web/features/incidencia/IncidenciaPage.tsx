// Incidencia delictiva (SESNSP): victims of trafficking by state for a year (map and table by sex
// or age group) and the monthly trend, from SESNSP's open data loaded into SINTRA.
import { Alert, Grid, Group, List, Paper, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Suspense, lazy, useEffect, useState } from 'react';
import { useCatalog } from '../../api/catalogs';
import { CrossTable } from '../../components/CrossTable';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtNumber } from '../../lib/format';
import { useEstadosGeo, useIncidencia, useIncidenciaYears } from './api';
import { monthlyPoints } from './serie';

const MapaEstados = lazy(() => import('./MapaEstados'));
const TendenciaMensual = lazy(() => import('./TendenciaMensual'));

const SEXO: Record<string, string> = { MUJER: 'Mujeres', HOMBRE: 'Hombres', NO_IDENTIFICADO: 'No identificado' };
const GRUPO_EDAD: Record<string, string> = {
  MENOR: 'Menores de edad (0-17)',
  ADULTO: 'Adultos (18+)',
  NO_ESPECIFICADO: 'No especificado',
  NO_IDENTIFICADO: 'No identificado',
};
const SOURCE = 'Fuente: SESNSP, datos abiertos de incidencia delictiva (fuero común).';

function Notes({ notes }: { notes: string[] | undefined }) {
  if (!notes?.length) return null;
  return (
    <List size="sm" spacing={2}>
      {notes.map((n) => (
        <List.Item key={n}>{n}</List.Item>
      ))}
    </List>
  );
}

export function IncidenciaPage() {
  const years = useIncidenciaYears();
  const [anio, setAnio] = useState<string | null>(null);
  const [por, setPor] = useState<'sexo' | 'grupo_edad'>('sexo');
  const [serie, setSerie] = useState<'todo' | 'anio'>('todo');
  // The whole monthly series: the trend, and the default year (the latest with its 12 months).
  const serieCompleta = useIncidencia({ rows: 'anio', cols: 'mes' });
  useEffect(() => {
    if (anio || !years.data?.length || (!serieCompleta.data && !serieCompleta.error)) return;
    const months = new Map<string, number>();
    for (const c of serieCompleta.data?.cells ?? []) months.set(c.row, (months.get(c.row) ?? 0) + 1);
    const complete = years.data.filter((y) => (months.get(y) ?? 0) >= 12);
    setAnio(complete.length ? complete[complete.length - 1] : years.data[years.data.length - 1]);
  }, [anio, years.data, serieCompleta.data, serieCompleta.error]);

  const entidades = useCatalog('entidad');
  const stateName = (code: string) => entidades.data?.find((e) => e.code === code)?.label ?? code;
  const stateOrder = entidades.data?.map((e) => e.code);

  const ready = Boolean(anio);
  const geo = useEstadosGeo();
  const porEntidad = useIncidencia({ rows: 'entidad', anio: anio ?? undefined }, ready);
  const tabla = useIncidencia({ rows: 'entidad', cols: por, anio: anio ?? undefined }, ready);
  const delAnio = useIncidencia({ rows: 'mes', anio: anio ?? undefined }, serie === 'anio' && ready);
  const tendencia = serie === 'todo' ? serieCompleta : delAnio;
  const notes = [...new Set([...(porEntidad.data?.notes ?? []), ...(tabla.data?.notes ?? []), ...(serieCompleta.data?.notes ?? [])])];

  const colLabels = por === 'sexo' ? SEXO : GRUPO_EDAD;
  const total = porEntidad.data?.total;

  return (
    <Stack gap="md">
      <PageHeader
        title="Incidencia delictiva (SESNSP)"
        subtitle="Víctimas de trata de personas en carpetas de investigación del fuero común, según el Secretariado Ejecutivo del Sistema Nacional de Seguridad Pública."
      />
      {years.error && <ErrorAlert error={years.error} onRetry={() => years.refetch()} />}
      <Group align="flex-end" gap="md">
        <Select
          label="Año"
          data={(years.data ?? []).slice().reverse()}
          value={anio}
          onChange={(v) => v && setAnio(v)}
          allowDeselect={false}
          w={160}
          placeholder={years.isPending ? 'Cargando…' : undefined}
        />
        {typeof total === 'number' && anio && (
          <Text fw={600} pb={6}>
            {fmtNumber(total)} víctimas registradas en {anio}
          </Text>
        )}
      </Group>

      {years.data && years.data.length === 0 && (
        <Alert color="yellow" variant="light">
          Aún no se han cargado los datos del SESNSP en SINTRA.
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-mapa">
            <Title order={2} fz="lg" c="guinda.9" id="titulo-mapa" mb="xs">
              Víctimas por entidad federativa{anio ? `, ${anio}` : ''}
            </Title>
            {geo.error ? (
              <ErrorAlert error={geo.error} title="No se pudo cargar el mapa" />
            ) : porEntidad.error ? (
              <ErrorAlert error={porEntidad.error} />
            ) : !geo.data || !porEntidad.data ? (
              <Loading label="Cargando mapa…" />
            ) : (
              <Suspense fallback={<Loading label="Cargando mapa…" />}>
                <MapaEstados
                  geo={geo.data}
                  values={porEntidad.data.rowTotals ?? {}}
                  stateName={stateName}
                  title={`Mapa de México: víctimas de trata por entidad federativa en ${anio}. Las cifras están en la tabla.`}
                />
              </Suspense>
            )}
            <Text size="xs" c="dimmed" mt="xs">
              {SOURCE} Límites estatales: INEGI, Marco Geoestadístico.
            </Text>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-tabla">
            <Group justify="space-between" align="flex-end" mb="xs" wrap="wrap">
              <Title order={2} fz="lg" c="guinda.9" id="titulo-tabla">
                Por entidad y {por === 'sexo' ? 'sexo' : 'grupo de edad'}
              </Title>
              <SegmentedControl
                aria-label="Desagregar la tabla por"
                value={por}
                onChange={(v) => setPor(v as 'sexo' | 'grupo_edad')}
                data={[
                  { value: 'sexo', label: 'Sexo' },
                  { value: 'grupo_edad', label: 'Grupo de edad' },
                ]}
              />
            </Group>
            {tabla.error ? (
              <ErrorAlert error={tabla.error} />
            ) : !tabla.data ? (
              <Loading />
            ) : (
              <div style={{ maxHeight: 520, overflow: 'auto', opacity: tabla.isFetching ? 0.6 : 1 }} tabIndex={0} role="region" aria-label="Tabla por entidad federativa (desplazable)">
                <CrossTable
                  data={tabla.data}
                  caption={`Víctimas de trata por entidad federativa y ${por === 'sexo' ? 'sexo' : 'grupo de edad'}, ${anio}`}
                  rowHeader="Entidad federativa"
                  rowLabel={stateName}
                  colLabel={(c) => colLabels[c] ?? (c === 'SIN_DATO' ? 'Sin dato' : c)}
                  rowOrder={stateOrder}
                  colOrder={Object.keys(colLabels)}
                />
              </div>
            )}
            <Text size="xs" c="dimmed" mt="xs">
              {SOURCE}
            </Text>
          </Paper>
        </Grid.Col>
      </Grid>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-tendencia">
        <Group justify="space-between" align="flex-end" mb="xs" wrap="wrap">
          <Title order={2} fz="lg" c="guinda.9" id="titulo-tendencia">
            Tendencia mensual
          </Title>
          <SegmentedControl
            aria-label="Periodo de la tendencia"
            value={serie}
            onChange={(v) => setSerie(v as 'todo' | 'anio')}
            data={[
              { value: 'todo', label: 'Todos los años' },
              { value: 'anio', label: anio ? `Solo ${anio}` : 'Año elegido' },
            ]}
          />
        </Group>
        {tendencia.error ? (
          <ErrorAlert error={tendencia.error} />
        ) : !tendencia.data ? (
          <Loading />
        ) : (
          <Suspense fallback={<Loading label="Cargando gráfica…" />}>
            <TendenciaMensual
              data={tendencia.data}
              title={serie === 'todo' ? 'Gráfica de líneas: víctimas de trata por mes, serie completa' : `Gráfica de líneas: víctimas de trata por mes en ${anio}`}
            />
          </Suspense>
        )}
        {tendencia.data && (
          <details>
            <summary style={{ cursor: 'pointer', fontSize: 14, marginTop: 8 }}>Ver los datos de la gráfica</summary>
            <div style={{ maxHeight: 320, overflow: 'auto', marginTop: 8 }} tabIndex={0} role="region" aria-label="Datos mensuales (desplazable)">
              <Table withTableBorder striped verticalSpacing={4} maw={420}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Mes</Table.Th>
                    <Table.Th scope="col" ta="right">
                      Víctimas
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {monthlyPoints(tendencia.data).map((pt) => (
                    <Table.Tr key={pt.key}>
                      <Table.Td>{pt.label}</Table.Td>
                      <Table.Td ta="right">{fmtNumber(pt.value ?? 0)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </div>
          </details>
        )}
        <Text size="xs" c="dimmed" mt="xs">
          {SOURCE}
        </Text>
      </Paper>
      {notes.length > 0 && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-notas" bg="gray.0">
          <Title order={2} fz="md" id="titulo-notas" mb="xs">
            Notas sobre los datos
          </Title>
          <Notes notes={notes} />
          <Text size="sm" mt="xs">
            {SOURCE}
          </Text>
        </Paper>
      )}
    </Stack>
  );
}
