// Tabulados del art. 88, fracción VIII: the legal tables T-01 … T-14 (plus the states map and the summary
// of persons ofendidas) with table, chart, choropleth of the states with drill-down into municipalities,
// routes as a Sankey, downloads; and, for the Secretaría Técnica, the publication of closed periods.
import { Alert, Badge, Button, Grid, Group, Paper, SegmentedControl, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useCatalog } from '../../api/catalogs';
import { errorMessage, type QueryParams } from '../../api/client';
import { useSession } from '../../api/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatsPart } from '../../components/StatsPart';
import { fmtDate, fmtDateTime } from '../../lib/format';
import { legalFileUrl, useLegalDefs, useLegalTable, usePublications, usePublish, useStatesGeo, useStatsQuery, type LegalDef, type LegalPart } from './api';

const YEARS = (() => {
  const now = new Date().getFullYear();
  return Array.from({ length: now - 2012 + 1 }, (_, i) => String(now - i));
})();

/** The municipal part of a table whose map part was clicked (T-04a → T-04b, T-07b → T-07c). */
function municipalPartOf(def: LegalDef | undefined) {
  return def?.parts.find((p) => p.geo === 'municipio' && p.stateField);
}

function MunicipalDrill({ def, state, stateName, params, onClose }: { def: LegalDef; state: string; stateName: string; params: QueryParams; onClose: () => void }) {
  const part = municipalPartOf(def);
  // ENTIDADES (state where attended) drills through the generic engine by the record's municipio.
  const generic = !part;
  const legal = useLegalTable(def.id, { ...params, [`f.${part?.stateField ?? 'x'}`]: state }, !generic);
  const stats = useStatsQuery('victimas', { ...params, condicion: undefined, rows: 'municipio', cols: 'sexo', 'f.entidad_federativa': state, 'f.condicion': params.condicion as string }, generic);
  const data = generic ? stats.data : legal.data?.parts.find((p) => p.key === part!.key);
  const error = generic ? stats.error : legal.error;
  return (
    <Paper withBorder p="md" radius="md" mt="sm" bg="gray.0">
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="md">
          Municipios de {stateName}
        </Title>
        <Button size="xs" variant="default" onClick={onClose}>
          Cerrar
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="xs">
        SINTRA no cuenta con la geometría de los municipios: se muestran una tabla y una gráfica de barras en lugar del mapa.
      </Text>
      {error ? (
        <ErrorAlert error={error} />
      ) : !data ? (
        <Loading />
      ) : (
        <StatsPart data={data} title={`${generic ? 'Municipio donde se registró la atención' : part!.title}: ${stateName}`} chart="bar" rowHeader="Municipio" />
      )}
    </Paper>
  );
}

function PublishPanel() {
  const pubs = usePublications();
  const publish = usePublish();
  const [anio, setAnio] = useState<string | null>(String(new Date().getFullYear() - 1));
  const [trimestre, setTrimestre] = useState('anual');
  const periodo = anio ? (trimestre === 'anual' ? anio : `${anio}-T${trimestre}`) : '';
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="titulo-publicar">
      <Title order={2} fz="lg" c="guinda.9" id="titulo-publicar" mb="xs">
        Publicación de periodos cerrados
      </Title>
      <Text size="sm" mb="sm">
        Al publicar, SINTRA calcula todos los tabulados del periodo solo con registros validados y con cifras protegidas, y los guarda tal como quedan: la página pública no cambia aunque después se validen o reabran registros. Publicar de nuevo crea una versión nueva.
      </Text>
      <Group align="flex-end" gap="sm">
        <Select label="Año" data={YEARS} value={anio} onChange={setAnio} w={120} allowDeselect={false} />
        <Select
          label="Periodo"
          data={[{ value: 'anual', label: 'Año completo' }, ...[1, 2, 3, 4].map((t) => ({ value: String(t), label: `Trimestre ${t}` }))]}
          value={trimestre}
          onChange={(v) => v && setTrimestre(v)}
          w={170}
          allowDeselect={false}
        />
        <Button onClick={() => publish.mutate(periodo)} loading={publish.isPending} disabled={!periodo}>
          Publicar {periodo}
        </Button>
        <Button component="a" href="/publico" variant="subtle">
          Ver la página pública
        </Button>
      </Group>
      {publish.error && (
        <Alert color="red" variant="light" mt="sm" role="alert">
          {errorMessage(publish.error)}
        </Alert>
      )}
      {publish.data && (
        <Alert color="green" variant="light" mt="sm" role="status">
          Periodo {publish.data.periodo} publicado (versión {publish.data.version}).
        </Alert>
      )}
      {pubs.data && pubs.data.length > 0 && (
        <Table mt="sm" withTableBorder striped maw={640}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Periodo</Table.Th>
              <Table.Th>Del</Table.Th>
              <Table.Th>Al</Table.Th>
              <Table.Th>Versión</Table.Th>
              <Table.Th>Publicado</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pubs.data.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{p.periodo}</Table.Td>
                <Table.Td>{fmtDate(p.desde)}</Table.Td>
                <Table.Td>{fmtDate(p.hasta)}</Table.Td>
                <Table.Td>{p.version}</Table.Td>
                <Table.Td>{fmtDateTime(p.publicada_at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}

export function LegalTablesPage() {
  const session = useSession();
  const user = session.data?.user;
  const defs = useLegalDefs();
  const [tabla, setTabla] = useState('T-01');
  const [condicion, setCondicion] = useState('VICTIMA');
  const [anio, setAnio] = useState<string | null>(String(new Date().getFullYear() - 1));
  const [entidad, setEntidad] = useState<string | null>(null);
  const [ambito, setAmbito] = useState<string | null>(null);
  const [soloValidados, setSoloValidados] = useState(false);
  const [sinDuplicados, setSinDuplicados] = useState(false);
  const [nacional, setNacional] = useState(false);
  const [drill, setDrill] = useState<string | null>(null);
  const entidades = useCatalog('entidad');
  const ambitos = useCatalog('ambito');
  const geo = useStatesGeo();
  const def = defs.data?.items.find((t) => t.id === tabla);
  const st = user && (user.role === 'administrador' || user.role === 'validador');
  const limited = user && (user.role === 'enlace' || user.role === 'validador_estatal');

  const params = useMemo<QueryParams>(
    () => ({
      condicion: def?.condicion ? undefined : condicion,
      anio: anio ?? undefined,
      'f.entidad_federativa': entidad ?? undefined,
      'f.ambito': ambito ?? undefined,
      estatus: soloValidados ? 'validado' : undefined,
      duplicados: sinDuplicados ? 'excluir' : undefined,
      alcance: limited && nacional ? 'nacional' : undefined,
    }),
    [def?.condicion, condicion, anio, entidad, ambito, soloValidados, sinDuplicados, limited, nacional],
  );
  const result = useLegalTable(tabla, params, Boolean(defs.data));
  const stateName = (c: string) => entidades.data?.find((e) => e.code === c)?.label ?? c;

  if (defs.isPending) return <Loading />;
  if (defs.error) return <ErrorAlert error={defs.error} />;

  return (
    <Stack gap="md">
      <PageHeader
        title="Tabulados del artículo 88, fracción VIII"
        subtitle="Desagregaciones de las víctimas que pide la Ley General (por sexo, edad, estado civil, nacionalidad, origen, reclutamiento, modalidad, destino y calidad migratoria), rutas, medios de transporte y tránsito fronterizo."
      />
      <Paper withBorder p="md" radius="md" component="section" aria-label="Criterios">
        <Grid gap="md" align="flex-end">
          <Grid.Col span={{ base: 12, md: 6, lg: 5 }}>
            <Select
              label="Tabulado"
              data={defs.data!.items.map((t) => ({ value: t.id, label: `${t.id.startsWith('T-') ? `${t.id} ` : ''}${t.title}` }))}
              value={tabla}
              onChange={(v) => {
                if (v) setTabla(v);
                setDrill(null);
              }}
              allowDeselect={false}
              searchable
              maxDropdownHeight={400}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6, lg: 4 }}>
            <Text size="sm" fw={500} mb={4} id="lbl-condicion">
              Población
            </Text>
            <SegmentedControl
              aria-labelledby="lbl-condicion"
              value={def?.condicion ? 'OFENDIDO' : condicion}
              onChange={setCondicion}
              disabled={Boolean(def?.condicion)}
              data={def?.condicion ? [{ value: 'OFENDIDO', label: 'Personas ofendidas' }] : defs.data!.condiciones.map((c) => ({ value: c.code, label: c.label }))}
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3, lg: 3 }}>
            <Select label="Año (fecha de identificación)" data={YEARS} value={anio} onChange={setAnio} clearable placeholder="Todos los años" />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3, lg: 3 }}>
            <Select
              label="Entidad donde se atendió"
              data={(entidades.data ?? []).filter((e) => e.code !== '99').map((e) => ({ value: e.code, label: e.label }))}
              value={entidad}
              onChange={setEntidad}
              clearable
              searchable
              placeholder="Todas"
            />
          </Grid.Col>
          <Grid.Col span={{ base: 6, md: 3, lg: 2 }}>
            <Select label="Ámbito" data={(ambitos.data ?? []).map((a) => ({ value: a.code, label: a.label }))} value={ambito} onChange={setAmbito} clearable placeholder="Todos" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6, lg: 7 }}>
            <Group gap="lg">
              <Switch label="Solo validados" checked={soloValidados} onChange={(e) => setSoloValidados(e.currentTarget.checked)} />
              <Switch label="Sin posibles duplicados confirmados" checked={sinDuplicados} onChange={(e) => setSinDuplicados(e.currentTarget.checked)} />
              {limited && (
                <Switch
                  label="Todas las instituciones (cifras protegidas)"
                  description={nacional ? undefined : `Sin marcar: ${user!.role === 'enlace' ? 'su institución' : 'su entidad'}, cifras exactas`}
                  checked={nacional}
                  onChange={(e) => setNacional(e.currentTarget.checked)}
                />
              )}
            </Group>
          </Grid.Col>
        </Grid>
        <Group mt="sm" gap="xs">
          <Button size="xs" variant="default" component="a" href={legalFileUrl('todas', { ...params, condicion: undefined }, 'xlsx')} download>
            Todos los tabulados (XLSX)
          </Button>
          <Text size="xs" c="dimmed">
            Víctimas y posibles víctimas de cada tabulado, con los mismos criterios, en un libro de Excel.
          </Text>
        </Group>
      </Paper>

      {result.error ? (
        <ErrorAlert error={result.error} onRetry={() => result.refetch()} />
      ) : !result.data ? (
        <Loading label="Calculando…" />
      ) : (
        <Stack gap="md" style={{ opacity: result.isFetching ? 0.6 : 1 }} aria-busy={result.isFetching}>
          <Group gap="xs">
            <Title order={2} fz="lg">
              {result.data.id.startsWith('T-') ? `${result.data.id}. ` : ''}
              {result.data.title}
            </Title>
            <Badge variant="light">{result.data.condicionLabel}</Badge>
            <Badge variant="outline" color="gray">
              Variables {result.data.fields}
            </Badge>
          </Group>
          {result.data.parts.map((p: LegalPart) => (
            <StatsPart
              key={p.key}
              data={p}
              title={`${result.data.id}${p.key}. ${p.title}`}
              chart={p.chart}
              rowHeader={p.geo === 'municipio' ? 'Municipio' : undefined}
              downloads={{ csv: legalFileUrl(tabla, params, 'csv'), xlsx: legalFileUrl(tabla, params, 'xlsx') }}
              geo={p.geo === 'entidad' ? geo.data : undefined}
              stateName={stateName}
              onSelectState={p.geo === 'entidad' && (municipalPartOf(def) || tabla === 'ENTIDADES') ? setDrill : undefined}
            >
              {drill && p.geo === 'entidad' && def && (municipalPartOf(def) || tabla === 'ENTIDADES') && (
                <MunicipalDrill def={def} state={drill} stateName={stateName(drill)} params={params} onClose={() => setDrill(null)} />
              )}
            </StatsPart>
          ))}
        </Stack>
      )}
      {st && <PublishPanel />}
    </Stack>
  );
}
