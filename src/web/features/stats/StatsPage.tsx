// Estadísticas de víctimas (art. 88 fr. VIII LGPSEDMTP): rows and optional columns among the legal
// disaggregations and the module's other catalog fields, filters, table, chart and downloads.
import { Alert, Button, Grid, Group, List, Paper, Select, Stack, Switch, Text } from '@mantine/core';
import { Suspense, lazy, useMemo, useState } from 'react';
import { useCatalog, useCatalogMaps } from '../../api/catalogs';
import { useModule } from '../../api/modules';
import type { FieldOut } from '../../api/types';
import { CrossTable } from '../../components/CrossTable';
import { DayInput } from '../../components/DayInput';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtDate, fmtNumber } from '../../lib/format';
import { statsFileUrl, useStats } from './api';

const StatsChart = lazy(() => import('./StatsChart'));

const MODULE = 'victimas';
/** The disaggregations the law names (art. 88 fr. VIII), first in the choice. */
const LEGAL = ['sexo', 'estado_civil', 'grupo_edad', 'nacionalidad', 'formas_reclutamiento', 'modalidades', 'entidad_destino', 'calidad_migratoria'];
const DIM_TYPES: readonly FieldOut['type'][] = ['catalogo', 'catalogo_multiple', 'entidad', 'municipio', 'pais'];

interface Dim {
  key: string;
  label: string;
  catalog: string | null;
  multi: boolean;
}

const RECORD_DIMS: Dim[] = [
  { key: 'entidad_federativa', label: 'Entidad federativa del registro', catalog: 'entidad', multi: false },
  { key: 'anio', label: 'Año', catalog: null, multi: false },
  { key: 'trimestre', label: 'Trimestre', catalog: null, multi: false },
  { key: 'institucion_id', label: 'Institución', catalog: 'institucion', multi: false },
];

export function StatsPage() {
  const { module: m, isPending, error } = useModule(MODULE);
  const [rows, setRows] = useState('sexo');
  const [cols, setCols] = useState<string | null>(null);
  const [condicion, setCondicion] = useState<string | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [soloValidados, setSoloValidados] = useState(false);

  const dims = useMemo<Dim[]>(() => {
    if (!m) return [];
    const catFields = m.fields.filter((f) => DIM_TYPES.includes(f.type) && !(f.catalog ?? '').endsWith('_ref'));
    const toDim = (f: FieldOut): Dim => ({ key: f.key, label: f.label, catalog: f.catalog, multi: f.type === 'catalogo_multiple' });
    const legal = LEGAL.map((k) => catFields.find((f) => f.key === k)).filter((f): f is FieldOut => Boolean(f)).map(toDim);
    const others = catFields.filter((f) => !LEGAL.includes(f.key)).map(toDim);
    return [...legal, ...others, ...RECORD_DIMS];
  }, [m]);
  const legalKeys = new Set(LEGAL);
  const dimData = [
    { group: 'Desagregaciones de ley (art. 88, fr. VIII)', items: dims.filter((d) => legalKeys.has(d.key)).map((d) => ({ value: d.key, label: d.label })) },
    { group: 'Otros campos del módulo', items: dims.filter((d) => !legalKeys.has(d.key) && !RECORD_DIMS.includes(d)).map((d) => ({ value: d.key, label: d.label })) },
    { group: 'Datos del registro', items: RECORD_DIMS.map((d) => ({ value: d.key, label: d.label })) },
  ];
  const rowDim = dims.find((d) => d.key === rows);
  const colDim = dims.find((d) => d.key === cols);

  const condField = m?.fields.find((f) => f.key === 'condicion');
  const condCat = useCatalog(condField?.catalog ?? 'condicion_victima');
  const { maps } = useCatalogMaps([rowDim?.catalog, colDim?.catalog]);

  const params = useMemo(
    () => ({ rows, cols: cols ?? undefined, 'f.condicion': condicion ?? undefined, from: from ?? undefined, to: to ?? undefined, estatus: soloValidados ? 'validado' : undefined }),
    [rows, cols, condicion, from, to, soloValidados],
  );
  const stats = useStats(MODULE, params, Boolean(m));

  const labeler = (d: Dim | undefined) => (code: string) => {
    if (code === 'SIN_DATO') return 'Sin dato';
    if (code === 'NACIONAL') return 'Nacional (ámbito federal)';
    if (d?.key === 'trimestre') return `Trimestre ${code}`;
    if (d?.catalog) return maps[d.catalog]?.get(code)?.label ?? code;
    return code;
  };
  const orderOf = (d: Dim | undefined) => (d?.catalog && maps[d.catalog] ? [...maps[d.catalog].keys()] : undefined);
  const rowLabel = labeler(rowDim);
  const colLabel = labeler(colDim);

  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} />;

  const data = stats.data;
  const title = `Víctimas por ${rowDim?.label.toLowerCase() ?? rows}${colDim ? ` y ${colDim.label.toLowerCase()}` : ''}`;
  const filtersText = [
    condicion ? `condición: ${condCat.data?.find((i) => i.code === condicion)?.label ?? condicion}` : null,
    from ? `desde ${fmtDate(from)}` : null,
    to ? `hasta ${fmtDate(to)}` : null,
    soloValidados ? 'solo registros validados' : 'registros enviados y validados',
  ].filter(Boolean);

  return (
    <Stack gap="md">
      <PageHeader
        title="Estadísticas de víctimas"
        subtitle="Personas víctimas, ofendidas y posibles víctimas atendidas o identificadas, desagregadas como pide el art. 88, fracción VIII, de la Ley General."
      />
      <Paper withBorder p="md" radius="md" component="section" aria-label="Criterios de la tabla">
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Select label="Filas" data={dimData} value={rows} onChange={(v) => v && setRows(v)} searchable allowDeselect={false} maxDropdownHeight={360} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Select
              label="Columnas (opcional)"
              placeholder="Sin columnas"
              data={dimData.map((g) => ({ ...g, items: g.items.filter((i) => i.value !== rows) }))}
              value={cols}
              onChange={setCols}
              searchable
              clearable
              maxDropdownHeight={360}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
            <Select
              label="Condición de la persona"
              placeholder="Todas"
              data={(condCat.data ?? []).map((i) => ({ value: i.code, label: i.label }))}
              value={condicion}
              onChange={setCondicion}
              clearable
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <DayInput label="Desde (fecha de identificación)" value={from} onChange={setFrom} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <DayInput label="Hasta" value={to} onChange={setTo} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Switch label="Solo validados" description="Sin marcar: enviados y validados" checked={soloValidados} onChange={(e) => setSoloValidados(e.currentTarget.checked)} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
            <Group gap="xs" justify="flex-end">
              <Button component="a" href={statsFileUrl(MODULE, params, 'csv')} download variant="default">
                Descargar CSV
              </Button>
              <Button component="a" href={statsFileUrl(MODULE, params, 'xlsx')} download variant="default">
                Descargar XLSX
              </Button>
            </Group>
          </Grid.Col>
        </Grid>
      </Paper>

      {stats.error ? (
        <ErrorAlert error={stats.error} onRetry={() => stats.refetch()} />
      ) : !data ? (
        <Loading label="Calculando…" />
      ) : (
        <Stack gap="md" style={{ opacity: stats.isFetching ? 0.6 : 1 }} aria-busy={stats.isFetching}>
          <Text size="sm" c="dimmed">
            Criterios: {filtersText.join('; ')}. Los borradores y los registros eliminados nunca se cuentan.
          </Text>
          {data.records !== null && typeof data.total === 'number' && data.records !== data.total && (
            <Alert color="blue" variant="light">
              El total ({fmtNumber(data.total)}) cuenta menciones: una persona puede tener varias respuestas en un campo de opción múltiple. Personas
              (registros distintos): {fmtNumber(data.records)}.
            </Alert>
          )}
          {data.notes?.length > 0 && (
            <Alert color="gray" variant="light" title="Notas">
              <List size="sm" spacing={2}>
                {data.notes.map((n) => (
                  <List.Item key={n}>{n}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, xl: 6 }}>
              <CrossTable
                data={data}
                caption={title}
                rowHeader={rowDim?.label ?? rows}
                rowLabel={rowLabel}
                colLabel={colLabel}
                rowOrder={orderOf(rowDim)}
                colOrder={orderOf(colDim)}
              />
            </Grid.Col>
            {data.cells.length > 0 && (
            <Grid.Col span={{ base: 12, xl: 6 }}>
              <Paper withBorder p="sm" radius="md">
                <Suspense fallback={<Loading label="Cargando gráfica…" />}>
                  <StatsChart data={data} title={`Gráfica de barras: ${title}`} rowLabel={rowLabel} colLabel={colLabel} rowOrder={orderOf(rowDim)} colOrder={orderOf(colDim)} />
                </Suspense>
                {data.cells.some((c) => typeof c.value === 'string') && (
                  <Text size="xs" c="dimmed" mt={4}>
                    Las celdas «&lt;5» (cifras menores a 5, protegidas) no se grafican.
                  </Text>
                )}
              </Paper>
            </Grid.Col>
            )}
          </Grid>
        </Stack>
      )}
    </Stack>
  );
}
