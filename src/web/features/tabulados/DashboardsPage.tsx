// Tableros de Prevención, Protección y Atención, y Coordinación: the spec's key figures (§4.2) with filters
// that apply to every panel, and SESNSP's incidence beside SINTRA's own victim counts per state.
import { Grid, Group, Paper, Select, SimpleGrid, Stack, Switch, Table, Tabs, Text, Title } from '@mantine/core';
import { Suspense, lazy, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useCatalog } from '../../api/catalogs';
import { api, type QueryParams } from '../../api/client';
import type { StatsOut } from '../../api/types';
import { CrossTable } from '../../components/CrossTable';
import { ChartPngButton } from '../../components/charts/ChartPngButton';
import type { ChartKind } from '../../components/charts/PartChart';
import type { echarts } from '../../components/charts/echarts';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtNumber } from '../../lib/format';
import { useStatsQuery } from './api';

const PartChart = lazy(() => import('../../components/charts/PartChart'));
const EChart = lazy(() => import('../../components/charts/EChart'));

const YEARS = (() => {
  const now = new Date().getFullYear();
  return Array.from({ length: now - 2012 + 1 }, (_, i) => String(now - i));
})();

function Kpi({ label, module, params, pick = 'total' }: { label: string; module: string; params: QueryParams; pick?: 'total' | 'records' }) {
  const q = useStatsQuery(module, params);
  const v = q.data ? q.data[pick] : undefined;
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
        {label}
      </Text>
      <Text fz={28} fw={700} c="guinda.9" aria-live="polite">
        {q.error ? '—' : v === undefined || v === null ? '…' : fmtNumber(v)}
      </Text>
      {q.data?.suppression && typeof v === 'string' && (
        <Text size="xs" c="dimmed">
          Cifra protegida
        </Text>
      )}
    </Paper>
  );
}

function Panel({ title, module, params, chart = 'bar' }: { title: string; module: string; params: QueryParams; chart?: ChartKind }) {
  const q = useStatsQuery(module, params);
  const [instance, setInstance] = useState<ReturnType<typeof echarts.init> | null>(null);
  return (
    <Paper withBorder p="sm" radius="md" component="section" aria-label={title}>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Title order={3} fz="sm">
          {title}
        </Title>
        {q.data && q.data.cells.length > 0 && <ChartPngButton chart={instance} fileName={title} />}
      </Group>
      {q.error ? (
        <ErrorAlert error={q.error} />
      ) : !q.data ? (
        <Loading />
      ) : q.data.cells.length === 0 ? (
        <Text size="sm" c="dimmed" py="md">
          Sin registros con estos criterios.
        </Text>
      ) : (
        <>
          <Suspense fallback={<Loading />}>
            <PartChart data={q.data} kind={chart} title={`Gráfica: ${title}`} onReady={setInstance} />
          </Suspense>
          <details>
            <summary style={{ cursor: 'pointer', fontSize: 13 }}>Ver la tabla</summary>
            <CrossTable data={q.data} caption={title} rowHeader={q.data.titles?.rows ?? 'Categoría'} rowLabel={(c) => q.data.labels?.rows[c] ?? c} colLabel={(c) => q.data.labels?.cols[c] ?? c} rowOrder={q.data.order?.rows} colOrder={q.data.order?.cols} />
          </details>
          {q.data.suppression && (
            <Text size="xs" c="dimmed">
              Cifras protegidas («&lt;{q.data.suppression.threshold}»): no se grafican.
            </Text>
          )}
        </>
      )}
    </Paper>
  );
}

/** SESNSP's victims (carpetas de investigación) beside SINTRA's victims (attended), per state. */
function SesnspVsSintra({ anio, params, stateName }: { anio: string | null; params: QueryParams; stateName: (c: string) => string }) {
  const sesnsp = useQuery({
    queryKey: ['incidencia', 'entidad', anio],
    queryFn: () => api<StatsOut>('/incidencia', { query: { rows: 'entidad', anio: anio ?? undefined } }),
  });
  const sintra = useStatsQuery('victimas', { ...params, rows: 'entidad_federativa', 'f.condicion': 'VICTIMA' });
  const [instance, setInstance] = useState<ReturnType<typeof echarts.init> | null>(null);
  const states = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
  const val = (d: StatsOut | undefined, c: string) => d?.rowTotals[c] ?? 0;
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const title = `Víctimas de trata por entidad federativa${anio ? `, ${anio}` : ''}: SESNSP y SINTRA`;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-sesnsp">
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="md" id="titulo-sesnsp">
          {title}
        </Title>
        <ChartPngButton chart={instance} fileName={title} />
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        SESNSP: víctimas en carpetas de investigación del fuero común (datos abiertos). SINTRA: víctimas registradas por las instituciones, por la entidad donde se atendieron. No son la misma población: se muestran juntas para compararlas.
      </Text>
      {sesnsp.error || sintra.error ? (
        <ErrorAlert error={sesnsp.error ?? sintra.error} />
      ) : !sesnsp.data || !sintra.data ? (
        <Loading />
      ) : (
        <Grid>
          <Grid.Col span={{ base: 12, lg: 7 }}>
            <Suspense fallback={<Loading />}>
              <EChart
                label={`Gráfica de barras: ${title}. Las cifras están en la tabla.`}
                height={720}
                onReady={setInstance}
                option={{
                  tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
                  legend: { top: 0 },
                  grid: { left: 8, right: 16, top: 32, bottom: 16, containLabel: true },
                  xAxis: { type: 'value', minInterval: 1 },
                  yAxis: { type: 'category', data: states.map(stateName).reverse(), axisLabel: { width: 160, overflow: 'truncate' } },
                  series: [
                    { name: 'SESNSP', type: 'bar', color: '#235b4e', data: states.map((s) => num(val(sesnsp.data, s))).reverse() },
                    { name: 'SINTRA', type: 'bar', color: '#9f2241', data: states.map((s) => num(val(sintra.data, s))).reverse() },
                  ],
                }}
              />
            </Suspense>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 5 }}>
            <div style={{ maxHeight: 720, overflow: 'auto' }} tabIndex={0} role="region" aria-label="Tabla SESNSP y SINTRA por entidad (desplazable)">
              <Table withTableBorder striped verticalSpacing={4}>
                <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{title}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Entidad</Table.Th>
                    <Table.Th scope="col" ta="right">
                      SESNSP
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      SINTRA
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {states.map((s) => (
                    <Table.Tr key={s}>
                      <Table.Th scope="row" fw={500}>
                        {stateName(s)}
                      </Table.Th>
                      <Table.Td ta="right">{fmtNumber(val(sesnsp.data, s))}</Table.Td>
                      <Table.Td ta="right">{fmtNumber(val(sintra.data, s))}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
                <Table.Tfoot>
                  <Table.Tr>
                    <Table.Th scope="row">Total</Table.Th>
                    <Table.Td ta="right" fw={700}>
                      {fmtNumber(sesnsp.data.total)}
                    </Table.Td>
                    <Table.Td ta="right" fw={700}>
                      {fmtNumber(sintra.data.total)}
                    </Table.Td>
                  </Table.Tr>
                </Table.Tfoot>
              </Table>
              {(sintra.data.rowTotals.NACIONAL ?? 0) !== 0 && (
                <Text size="xs" c="dimmed">
                  SINTRA además registra {fmtNumber(sintra.data.rowTotals.NACIONAL)} víctimas de instituciones federales sin entidad (nacional).
                </Text>
              )}
            </div>
          </Grid.Col>
        </Grid>
      )}
    </Paper>
  );
}

export function DashboardsPage() {
  const [anio, setAnio] = useState<string | null>(String(new Date().getFullYear() - 1));
  const [entidad, setEntidad] = useState<string | null>(null);
  const [ambito, setAmbito] = useState<string | null>(null);
  const [institucion, setInstitucion] = useState<string | null>(null);
  const [soloValidados, setSoloValidados] = useState(false);
  const entidades = useCatalog('entidad');
  const ambitos = useCatalog('ambito');
  const instituciones = useCatalog('institucion');
  const stateName = (c: string) => entidades.data?.find((e) => e.code === c)?.label ?? c;
  const f = useMemo<QueryParams>(
    () => ({
      anio: anio ?? undefined,
      'f.entidad_federativa': entidad ?? undefined,
      'f.ambito': ambito ?? undefined,
      'f.institucion_id': institucion ?? undefined,
      estatus: soloValidados ? 'validado' : undefined,
    }),
    [anio, entidad, ambito, institucion, soloValidados],
  );
  const q = (extra: QueryParams): QueryParams => ({ ...f, ...extra });

  return (
    <Stack gap="md">
      <PageHeader title="Tableros" subtitle="Cifras clave de prevención, atención a víctimas y coordinación. Los filtros se aplican a todos los paneles." />
      <Paper withBorder p="md" radius="md" component="section" aria-label="Filtros de los tableros">
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Select label="Año" data={YEARS} value={anio} onChange={setAnio} clearable placeholder="Todos" />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select label="Entidad federativa" data={(entidades.data ?? []).filter((e) => e.code !== '99').map((e) => ({ value: e.code, label: e.label }))} value={entidad} onChange={setEntidad} clearable searchable placeholder="Todas" />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 2 }}>
            <Select label="Ámbito" data={(ambitos.data ?? []).map((a) => ({ value: a.code, label: a.label }))} value={ambito} onChange={setAmbito} clearable placeholder="Todos" />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3 }}>
            <Select label="Institución" data={(instituciones.data ?? []).map((i) => ({ value: i.code, label: i.label }))} value={institucion} onChange={setInstitucion} clearable searchable placeholder="Todas" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 2 }}>
            <Switch label="Solo validados" checked={soloValidados} onChange={(e) => setSoloValidados(e.currentTarget.checked)} />
          </Grid.Col>
        </Grid>
      </Paper>
      <Tabs defaultValue="atencion" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="prevencion">Prevención</Tabs.Tab>
          <Tabs.Tab value="atencion">Protección y atención</Tabs.Tab>
          <Tabs.Tab value="coordinacion">Coordinación</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="prevencion" pt="md">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Kpi label="Eventos de capacitación" module="capacitacion" params={q({ rows: 'anio' })} />
              <Kpi label="Personas capacitadas" module="capacitacion" params={q({ rows: 'anio', sum: 'participantes_total' })} />
              <Kpi label="Acciones de difusión" module="difusion" params={q({ rows: 'anio' })} />
              <Kpi label="Personas alcanzadas" module="difusion" params={q({ rows: 'anio', sum: 'personas_alcanzadas' })} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Panel title="Personas capacitadas por sexo" module="capacitacion" params={q({ rows: '_medida', sum: 'participantes_mujeres,participantes_hombres,participantes_otra_identidad,participantes_sexo_ne' })} />
              <Panel title="Eventos de capacitación por tipo" module="capacitacion" params={q({ rows: 'tipo_evento' })} />
              <Panel title="Eventos por modalidad" module="capacitacion" params={q({ rows: 'modalidad' })} chart="pie" />
              <Panel title="Acciones de difusión por tipo" module="difusion" params={q({ rows: 'tipo_accion' })} />
              <Panel title="Materiales de difusión por tipo (tiraje)" module="materiales_difusion" params={q({ rows: 'tipo_material', sum: 'tiraje' })} />
              <Panel title="Acciones de difusión por población objetivo" module="difusion" params={q({ rows: 'poblacion_objetivo' })} />
            </SimpleGrid>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="atencion" pt="md">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Kpi label="Víctimas" module="victimas" params={q({ rows: 'sexo', 'f.condicion': 'VICTIMA' })} pick="records" />
              <Kpi label="Posibles víctimas" module="victimas" params={q({ rows: 'sexo', 'f.condicion': 'POSIBLE_VICTIMA' })} pick="records" />
              <Kpi label="Operativos de rescate" module="operativos_rescate" params={q({ rows: 'anio' })} />
              <Kpi label="Personas rescatadas" module="operativos_rescate" params={q({ rows: 'anio', sum: 'rescatadas_total' })} />
              <Kpi label="Unidades especializadas (registros)" module="unidades_especializadas" params={q({ rows: 'anio' })} />
              <Kpi label="Personal de las unidades" module="unidades_especializadas" params={q({ rows: 'anio', sum: 'personal_total' })} />
              <Kpi label="Modelos de atención aplicados" module="modelos_atencion" params={q({ rows: 'anio' })} />
              <Kpi label="Refugios disponibles" module="modelos_atencion" params={q({ rows: 'anio', sum: 'refugios_disponibles' })} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Panel title="Víctimas por sexo y NNA / persona adulta" module="victimas" params={q({ rows: 'sexo', cols: 'nna_adulta', 'f.condicion': 'VICTIMA' })} />
              <Panel title="Víctimas por modalidad de explotación" module="victimas" params={q({ rows: 'modalidades', 'f.condicion': 'VICTIMA' })} />
              <Panel title="Personas rescatadas por sexo" module="operativos_rescate" params={q({ rows: '_medida', sum: 'rescatadas_mujeres,rescatadas_hombres,rescatadas_otro_ne' })} />
              <Panel title="Personal de unidades especializadas por nivel" module="unidades_especializadas" params={q({ rows: 'nivel', sum: 'personal_total' })} />
            </SimpleGrid>
            <SesnspVsSintra anio={anio} params={f} stateName={stateName} />
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="coordinacion" pt="md">
          <Stack gap="md">
            <SimpleGrid cols={{ base: 2, md: 4 }}>
              <Kpi label="Instrumentos" module="instrumentos" params={q({ rows: 'anio' })} />
              <Kpi label="Convenios" module="convenios" params={q({ rows: 'anio' })} />
              <Kpi label="Avances legislativos" module="avances_legislativos" params={q({ rows: 'anio' })} />
              <Kpi label="Acuerdos de comisiones" module="comisiones" params={q({ rows: 'anio' })} />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, lg: 2 }}>
              <Panel title="Instrumentos por tipo y estatus" module="instrumentos" params={q({ rows: 'tipo_instrumento', cols: 'estatus_instrumento' })} />
              <Panel title="Convenios por tipo" module="convenios" params={q({ rows: 'tipo_convenio' })} />
              <Panel title="Avances legislativos por tipo de ordenamiento" module="avances_legislativos" params={q({ rows: 'tipo_ordenamiento', cols: 'tipo_avance' })} />
              <Panel title="Acuerdos por estado de seguimiento" module="comisiones" params={q({ rows: 'estado_seguimiento' })} chart="pie" />
              <Panel title="Colaboración internacional por tipo de contraparte" module="colaboracion_internacional" params={q({ rows: 'tipo_contraparte' })} />
              <Panel title="Acuerdos por tema" module="comisiones" params={q({ rows: 'tema_acuerdo' })} />
            </SimpleGrid>
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
