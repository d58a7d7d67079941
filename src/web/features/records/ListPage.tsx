// A module's records: search, status and catalog filters, sortable columns, keyset paging.
// Columns come from the definition's listColumns (catalog labels, dates dd/mm/aaaa).
import { Button, Group, MultiSelect, Paper, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useCatalog, useCatalogMaps } from '../../api/catalogs';
import { fieldOf, useModule } from '../../api/modules';
import { can, useUser } from '../../api/session';
import type { FieldOut, ModuleOut, RecordOut } from '../../api/types';
import { AnchorLink, ButtonLink } from '../../components/links';
import { ModuleFileMenu } from '../../components/ModuleFileMenu';
import { PageHeader } from '../../components/PageHeader';
import { NoAccess } from '../../components/NoAccess';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { ESTATUS_LABELS } from '../../app/theme';
import { fmtDateTime, fmtNumber, fmtValue, plural } from '../../lib/format';
import { listQuery } from './api';

const route = getRouteApi('/m/$module');

const FILTERABLE: readonly FieldOut['type'][] = ['catalogo', 'catalogo_multiple', 'entidad', 'municipio', 'pais', 'booleano'];

interface Column {
  key: string;
  label: string;
  field?: FieldOut;
  sortable: boolean;
  render: (r: RecordOut) => React.ReactNode;
}

export function ListPage() {
  const { module: moduleKey } = route.useParams();
  const { module: m, isPending, error } = useModule(moduleKey);
  const user = useUser();
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} />;
  if (!m) return <ErrorAlert error={new Error(`El módulo «${moduleKey}» no existe.`)} />;
  // Consulta and auditor never receive rows (the server answers 404): say why instead of a failed list.
  if (!can.readRecords(user))
    return <NoAccess title={m.name} detail="Su rol no consulta registros individuales; las cifras de los módulos están en Estadísticas." stats />;
  return <ModuleList key={m.key} m={m} />;
}

function ModuleList({ m }: { m: ModuleOut }) {
  const user = useUser();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [q, setQ] = useState(search.q ?? '');
  const [debouncedQ] = useDebouncedValue(q, 400);
  useEffect(() => {
    if ((debouncedQ || undefined) !== search.q) void navigate({ search: (s) => ({ ...s, q: debouncedQ || undefined }), replace: true });
  }, [debouncedQ, navigate, search.q]);

  const filterFields = useMemo(
    () => [...m.metadataFields, ...m.fields].filter((f) => FILTERABLE.includes(f.type) && (f.key !== 'institucion_id' || user.scope !== 'institucional')),
    [m, user.scope],
  );
  const campo = filterFields.find((f) => f.key === search.campo);

  const params = useMemo(() => {
    const p: Record<string, string | string[] | undefined> = { q: search.q, estatus: search.estatus, sort: search.sort };
    if (campo && search.valores?.length) p[`f.${campo.key}`] = search.valores;
    return p;
  }, [search, campo]);

  const list = useInfiniteQuery(listQuery(m.key, params));
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const total = list.data?.pages[0]?.total;

  const colFields = m.listColumns.map((k) => fieldOf(m, k)).filter((f): f is FieldOut => Boolean(f));
  const { maps } = useCatalogMaps([...colFields.map((f) => f.catalog), 'institucion']);
  const showInstitution = user.scope !== 'institucional';

  const columns: Column[] = [
    {
      key: 'folio_sintra',
      label: 'Folio',
      sortable: true,
      render: (r) => (
        <AnchorLink to="/m/$module/$id" params={{ module: m.key, id: r.id }} fw={600} style={{ whiteSpace: 'nowrap' }}>
          {r.folio_sintra}
        </AnchorLink>
      ),
    },
    // Right after the folio: the column people look for first stays in view on a narrow screen.
    { key: 'estatus', label: 'Estatus', sortable: true, render: (r) => <StatusBadge estatus={r.estatus} /> },
    ...(showInstitution
      ? [
          {
            key: 'institucion_id',
            label: 'Institución',
            sortable: true,
            render: (r: RecordOut) => (
              <abbr title={maps.institucion?.get(r.institucion_id)?.label} style={{ textDecoration: 'none' }}>
                {r.institucion_id}
              </abbr>
            ),
          },
        ]
      : []),
    ...colFields.map<Column>((f) => ({
      key: f.key,
      label: f.label,
      field: f,
      sortable: f.type !== 'catalogo_multiple' && f.type !== 'archivo',
      render: (r) => {
        const text = fmtValue(f, r[f.key], maps);
        if (f.type === 'entero' || f.type === 'decimal' || f.type === 'fecha') return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
        // Long catalog labels and texts: two lines, the whole text on hover.
        return (
          <Text size="sm" lineClamp={2} title={text} maw={200}>
            {text}
          </Text>
        );
      },
    })),
    { key: 'updated_at', label: 'Última modificación', sortable: true, render: (r) => fmtDateTime(r.updated_at) },
  ];

  const sortKey = search.sort?.replace(/^-/, '');
  const sortDesc = search.sort?.startsWith('-') ?? false;
  const toggleSort = (key: string) => {
    const next = sortKey !== key ? key : !sortDesc ? `-${key}` : undefined;
    void navigate({ search: (s) => ({ ...s, sort: next }), replace: true });
  };

  const hasFilters = Boolean(search.q || search.estatus || (campo && search.valores?.length) || search.sort);

  return (
    <Stack gap="md">
      <PageHeader
        title={m.name}
        subtitle={m.description}
        actions={
          <>
            <ButtonLink to="/m/$module/manual" params={{ module: m.key }} variant="subtle">
              Manual
            </ButtonLink>
            <ModuleFileMenu m={m} user={user} params={params} />
            {user.role === 'administrador' && (
              <ButtonLink to="/m/$module/eliminados" params={{ module: m.key }} variant="subtle">
                Eliminados
              </ButtonLink>
            )}
            {can.write(user) && (
              <ButtonLink to="/m/$module/nuevo" params={{ module: m.key }}>
                Nuevo registro
              </ButtonLink>
            )}
          </>
        }
      />
      <Paper withBorder p="sm" radius="md" component="section" aria-label="Búsqueda y filtros">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="Buscar"
            description="Folio o texto escrito en el registro (no las opciones de las listas); sin distinguir acentos"
            type="search"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={{ base: '100%', sm: 280 }}
          />
          <Select
            label="Estatus"
            placeholder="Todos"
            clearable
            data={Object.entries(ESTATUS_LABELS).map(([value, label]) => ({ value, label }))}
            value={search.estatus ?? null}
            onChange={(v) => void navigate({ search: (s) => ({ ...s, estatus: v ?? undefined }), replace: true })}
            w={{ base: '100%', sm: 170 }}
          />
          <Select
            label="Filtrar por campo"
            placeholder="Elija un campo"
            clearable
            searchable
            data={filterFields.map((f) => ({ value: f.key, label: f.label }))}
            value={campo?.key ?? null}
            onChange={(v) => void navigate({ search: (s) => ({ ...s, campo: v ?? undefined, valores: undefined }), replace: true })}
            w={{ base: '100%', sm: 260 }}
          />
          {campo && (
            <FilterValues
              field={campo}
              value={search.valores ?? []}
              onChange={(vals) => void navigate({ search: (s) => ({ ...s, valores: vals.length ? vals : undefined }), replace: true })}
            />
          )}
          {hasFilters && (
            <Button
              variant="subtle"
              onClick={() => {
                setQ('');
                void navigate({ search: {}, replace: true });
              }}
            >
              Limpiar filtros
            </Button>
          )}
        </Group>
      </Paper>

      <Text aria-live="polite" fw={600}>
        {total === undefined ? ' ' : plural(total, 'registro', 'registros')}
      </Text>

      {list.error ? (
        <ErrorAlert error={list.error} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <Loading />
      ) : rows.length === 0 ? (
        <Paper withBorder p="lg" radius="md">
          <Text>{hasFilters ? 'Ningún registro coincide con la búsqueda o los filtros.' : 'Aún no hay registros en este módulo.'}</Text>
        </Paper>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover withTableBorder verticalSpacing="xs">
            <VisuallyHidden component="caption">
              Registros de {m.name}. Use los botones de los encabezados para ordenar.
            </VisuallyHidden>
            <Table.Thead>
              <Table.Tr>
                {columns.map((c) => {
                  const active = sortKey === c.key;
                  return (
                    <Table.Th
                      key={c.key}
                      aria-sort={active ? (sortDesc ? 'descending' : 'ascending') : undefined}
                      scope="col"
                      style={{ minWidth: c.key === 'folio_sintra' ? undefined : c.key === 'estatus' ? 112 : 96, verticalAlign: 'bottom' }}
                    >
                      {c.sortable ? (
                        <button type="button" className="sintra-th-button" onClick={() => toggleSort(c.key)}>
                          {c.label}
                          <span aria-hidden>{active ? (sortDesc ? '▼' : '▲') : '↕'}</span>
                          <VisuallyHidden>{active ? (sortDesc ? ', orden descendente' : ', orden ascendente') : ', ordenar'}</VisuallyHidden>
                        </button>
                      ) : (
                        c.label
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.id}>
                  {columns.map((c) => (
                    <Table.Td key={c.key} ta={c.field && (c.field.type === 'entero' || c.field.type === 'decimal') ? 'right' : undefined}>
                      {c.render(r)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            Cargar más ({fmtNumber(rows.length)} de {fmtNumber(total ?? 0)})
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function FilterValues({ field, value, onChange }: { field: FieldOut; value: string[]; onChange: (v: string[]) => void }) {
  const isBool = field.type === 'booleano';
  const cat = useCatalog(isBool ? null : field.catalog);
  const data = isBool
    ? [
        { value: 'true', label: 'Sí' },
        { value: 'false', label: 'No' },
      ]
    : [...(cat.data ?? []).map((i) => ({ value: i.code, label: i.label })), { value: 'SIN_DATO', label: 'Sin dato' }];
  return (
    <MultiSelect
      label={`Valores de «${field.label}»`}
      placeholder={cat.isPending && !isBool ? 'Cargando…' : 'Elija uno o más'}
      searchable
      clearable
      limit={200}
      data={field.type === 'catalogo_multiple' ? data.filter((d) => d.value !== 'SIN_DATO') : data}
      value={value}
      onChange={onChange}
      w={{ base: '100%', sm: 320 }}
      nothingFoundMessage="Sin coincidencias"
    />
  );
}
