// Indicators of the Programa Nacional, one tab per objective, each with its value, numerator and denominator,
// baseline, goal and a yearly trend.
import { Badge, Card, Group, Select, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { useIndicators, type Indicador } from './api';

const EChart = lazy(() => import('../../components/charts/EChart'));
const YEARS = Array.from({ length: new Date().getFullYear() - 2011 }, (_, i) => String(2012 + i)).reverse();
const ENTIDADES = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
const OBJ = ['Marco normativo', 'Coordinación', 'Atención, reintegración y reparación', 'Generación de conocimiento', 'Derechos de posibles víctimas (prevención)'];
const fmt = (v: number | string) => (typeof v === 'number' ? v.toLocaleString('es-MX') : v);

function Card1({ i }: { i: Indicador }) {
  return (
    <Card withBorder padding="md">
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Text fw={700} size="sm">{i.id} · {i.nombre}</Text>
          <Badge size="lg" variant="light">{i.valor === null ? 'n. d.' : `${i.valor.toLocaleString('es-MX')} %`}</Badge>
        </Group>
        <Text size="xs">Numerador: <b>{fmt(i.numerador.valor)}</b> — {i.numerador.texto}</Text>
        <Text size="xs">Denominador: <b>{fmt(i.denominador.valor)}</b> — {i.denominador.texto}</Text>
        <Text size="xs" c="dimmed">
          Línea base: {i.linea_base.valor === null ? 'n. d.' : `${i.linea_base.valor} %`} ({i.linea_base.anio ?? '—'}{i.linea_base.calculada ? ', calculada' : ''}) · Meta: {i.meta.valor === null ? 'sin meta' : `${i.meta.valor} %`} ({i.meta.anio ?? '—'}) · {i.periodicidad} · {i.periodo_regla}
        </Text>
        {i.nota && <Text size="xs" c="dimmed">{i.nota}</Text>}
        <Suspense fallback={<Loading label="Cargando gráfica…" />}>
          <EChart
            height={170}
            label={`Tendencia de ${i.id}: ${i.tendencia.map((t) => `${t.anio} ${t.valor ?? 'n. d.'}`).join(', ')}`}
            option={{
              grid: { left: 40, right: 16, top: 16, bottom: 24 },
              tooltip: { trigger: 'axis' },
              xAxis: { type: 'category', data: i.tendencia.map((t) => String(t.anio)) },
              yAxis: { type: 'value', min: 0, axisLabel: { formatter: '{value} %' } },
              series: [
                { type: 'line', name: i.id, data: i.tendencia.map((t) => t.valor), color: '#9f2241', label: { show: true } },
                ...(i.meta.valor !== null ? [{ type: 'line', name: 'Meta', data: i.tendencia.map(() => i.meta.valor), lineStyle: { type: 'dashed' }, symbol: 'none', color: '#235b4e' }] : []),
              ],
            }}
          />
        </Suspense>
      </Stack>
    </Card>
  );
}

export function IndicadoresPage() {
  const [anio, setAnio] = useState<string>(String(new Date().getFullYear() - 1));
  const [entidad, setEntidad] = useState<string | null>(null);
  const [obj, setObj] = useState<string>('1');
  const q = useIndicators({ anio, entidad: entidad ?? undefined });
  return (
    <>
      <PageHeader
        title="Indicadores del Programa Nacional"
        subtitle={q.data ? `Periodo ${q.data.periodo.desde} a ${q.data.periodo.hasta} (fecha de corte). Solo registros validados.` : 'IND-01 a IND-15, calculados con los registros validados'}
        actions={
          <>
            <Select label="Año" data={YEARS} value={anio} onChange={(v) => v && setAnio(v)} w={110} allowDeselect={false} />
            <Select label="Entidad" data={ENTIDADES} value={entidad} onChange={setEntidad} clearable placeholder="Nacional" w={130} />
          </>
        }
      />
      {q.isLoading ? (
        <Loading />
      ) : q.error ? (
        <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data ? (
        <Tabs value={obj} onChange={(v) => v && setObj(v)}>
          <Tabs.List>
            {OBJ.map((t, k) => (
              <Tabs.Tab key={t} value={String(k + 1)}>Objetivo {k + 1}: {t}</Tabs.Tab>
            ))}
          </Tabs.List>
          {OBJ.map((_, k) => (
            <Tabs.Panel key={k} value={String(k + 1)} pt="md">
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                {q.data!.items.filter((i) => i.objetivos.includes(k + 1)).map((i) => <Card1 key={i.id} i={i} />)}
              </SimpleGrid>
            </Tabs.Panel>
          ))}
        </Tabs>
      ) : null}
    </>
  );
}
