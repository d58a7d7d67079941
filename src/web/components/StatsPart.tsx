// One statistics table with its chart (bars, pie, Sankey, or a map of the states with drill-down), its
// notes and downloads (CSV, XLSX, PNG of the chart). Labels and order come from the server's answer, and
// suppressed figures ("<5") are shown as given, never recomputed.
import { Alert, Button, Grid, Group, List, Paper, Text, Title } from '@mantine/core';
import { Suspense, lazy, useState, type ReactNode } from 'react';
import type { StatsOut } from '../api/types';
import { fmtNumber } from '../lib/format';
import { CrossTable } from './CrossTable';
import { ChartPngButton } from './charts/ChartPngButton';
import type { ChartKind } from './charts/PartChart';
import type { echarts } from './charts/echarts';
import { Loading } from './QueryState';

const PartChart = lazy(() => import('./charts/PartChart'));
const StatesMap = lazy(() => import('./charts/StatesMap'));

export interface StatsPartProps {
  data: StatsOut;
  title: string;
  chart: ChartKind;
  rowHeader?: string;
  /** Download links of this table (same filters as the screen). */
  downloads?: { csv?: string; xlsx?: string };
  /** Map charts: the state geometry, names, and what a click on a state does. */
  geo?: unknown;
  stateName?: (code: string) => string;
  onSelectState?: (code: string) => void;
  children?: ReactNode;
}

export function StatsPart({ data, title, chart, rowHeader, downloads, geo, stateName = (c) => c, onSelectState, children }: StatsPartProps) {
  const [instance, setInstance] = useState<ReturnType<typeof echarts.init> | null>(null);
  const s = data.suppression;
  const hasData = data.cells.length > 0;
  const isMap = chart === 'map' && Boolean(geo);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="wrap" gap="xs">
        <Title order={3} fz="md" c="guinda.9" style={{ flex: '1 1 320px' }}>
          {title}
        </Title>
        <Group gap={6}>
          {downloads?.csv && (
            <Button size="xs" variant="default" component="a" href={downloads.csv} download>
              CSV
            </Button>
          )}
          {downloads?.xlsx && (
            <Button size="xs" variant="default" component="a" href={downloads.xlsx} download>
              XLSX
            </Button>
          )}
          {hasData && <ChartPngButton chart={instance} fileName={title} />}
        </Group>
      </Group>
      {s && (
        <Alert color={s.withheld ? 'orange' : 'yellow'} variant="light" mb="xs" title={s.withheld ? 'Tabla no publicada' : 'Cifras protegidas'}>
          <Text size="sm">
            {s.withheld
              ? `No se publica: cuenta menos de ${s.threshold} personas, o es una tabla de víctimas por municipio con celdas menores que ${s.threshold}.`
              : `«<${s.threshold}» indica una cifra suprimida: de 1 a ${s.threshold - 1} personas, o suprimida de forma complementaria para que ninguna cifra pequeña pueda deducirse de los totales.`}
          </Text>
        </Alert>
      )}
      {data.multi && typeof data.records === 'number' && (
        <Text size="sm" mb="xs">
          Opción múltiple: el total ({fmtNumber(data.total)}) cuenta menciones; personas (registros distintos): <strong>{fmtNumber(data.records)}</strong>.
        </Text>
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: hasData ? 6 : 12 }}>
          <div style={{ maxHeight: 560, overflow: 'auto' }}>
            <CrossTable
              data={data}
              caption={title}
              rowHeader={rowHeader ?? data.titles?.rows ?? 'Categoría'}
              rowLabel={(c) => data.labels?.rows[c] ?? c}
              colLabel={(c) => data.labels?.cols[c] ?? c}
              rowOrder={data.order?.rows}
              colOrder={data.order?.cols}
            />
          </div>
        </Grid.Col>
        {hasData && (
          <Grid.Col span={{ base: 12, lg: 6 }}>
            <Suspense fallback={<Loading label="Cargando gráfica…" />}>
              {isMap ? (
                <StatesMap geo={geo} values={data.rowTotals} stateName={stateName} title={`Mapa de México: ${title}. Las cifras están en la tabla.`} onSelect={onSelectState} onReady={setInstance} />
              ) : (
                <PartChart data={data} kind={chart === 'map' ? 'bar' : chart} title={`Gráfica: ${title}. Las cifras están en la tabla.`} onReady={setInstance} />
              )}
            </Suspense>
            {isMap && onSelectState && (
              <Text size="xs" c="dimmed">
                Haga clic en una entidad para ver sus municipios.
              </Text>
            )}
            {data.cells.some((c) => typeof c.value === 'string') && (
              <Text size="xs" c="dimmed">
                Las cifras protegidas no se grafican.
              </Text>
            )}
          </Grid.Col>
        )}
      </Grid>
      {children}
      {data.notes.length > 0 && (
        <details style={{ marginTop: 8 }}>
          <summary style={{ cursor: 'pointer', fontSize: 13 }}>Notas de la tabla</summary>
          <List size="xs" spacing={2} mt={4}>
            {data.notes.map((n) => (
              <List.Item key={n}>{n}</List.Item>
            ))}
          </List>
        </details>
      )}
    </Paper>
  );
}
