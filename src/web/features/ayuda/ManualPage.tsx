// The manual of one module, generated from its definition (src/modules): what one record is, each field with
// its type, when it is required, its rules and help, the rules between fields and over other records, and
// the options of each catalog. Nothing here is written per module, so the manual never drifts from the form.
import { Alert, Anchor, Badge, List, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo } from 'react';
import { useCatalogMaps } from '../../api/catalogs';
import { useModule } from '../../api/modules';
import type { CatalogItem } from '../../api/types';
import { ButtonLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtNumber, plural } from '../../lib/format';
import { allFields, describeCond, type CatalogLookup } from '../../../modules/validate';
import { fieldCatalog, type FieldDef, type FieldType, type ModuleDef } from '../../../modules/types';
import { localDef } from '../records/form/rules';

const route = getRouteApi('/m/$module/manual');

const TYPE_LABELS: { [T in FieldType]: string } = {
  texto: 'Texto corto',
  texto_largo: 'Texto largo',
  url: 'Dirección web (https://)',
  entero: 'Número entero',
  decimal: 'Número con decimales',
  fecha: 'Fecha (dd/mm/aaaa)',
  booleano: 'Sí / No',
  catalogo: 'Una opción del catálogo',
  catalogo_multiple: 'Una o más opciones del catálogo',
  entidad: 'Entidad federativa (INEGI)',
  municipio: 'Municipio (INEGI)',
  pais: 'País (ISO 3166)',
  archivo: 'Archivo adjunto',
};

/** Catalogs too long to print whole: the form searches them as one types. */
const LONG = 60;

export function ManualPage() {
  const { module: key } = route.useParams();
  const mod = useModule(key);
  const def = localDef(key);
  if (mod.isPending) return <Loading />;
  if (mod.error) return <ErrorAlert error={mod.error} />;
  if (!mod.module || !def) return <ErrorAlert error={new Error(`El módulo «${key}» no existe.`)} />;
  return <Manual def={def} />;
}

function Manual({ def }: { def: ModuleDef }) {
  const fields = useMemo(() => allFields(def), [def]);
  const catalogs = useMemo(() => [...new Set(fields.map(fieldCatalog).filter((c): c is string => Boolean(c) && c !== 'municipio' && !c!.endsWith('_ref')))], [fields]);
  const { maps, isPending } = useCatalogMaps(catalogs);
  const lookup: CatalogLookup = { item: (cat, code) => maps[cat]?.get(code), isReference: (cat) => cat.endsWith('_ref') || !maps[cat] };
  const cond = (c: Parameters<typeof describeCond>[0]) => describeCond(c, fields, lookup);
  const label = (k: string) => fields.find((f) => f.key === k)?.label ?? k;
  const sections = [{ key: 'metadatos', label: 'Datos del registro' }, ...def.sections];
  const rules = [
    ...(def.rules ?? []).map((r) => ({ field: r.field, message: r.message, level: r.level ?? 'error', when: r.when })),
    ...(def.dbRules ?? []).map((r) => ({ field: r.field, message: r.message, level: r.level, when: r.when })),
  ];

  return (
    <Stack gap="md">
      <PageHeader
        title={`Manual: ${def.name}`}
        docTitle={`Manual · ${def.name}`}
        subtitle={def.description}
        actions={
          <>
            <ButtonLink to="/m/$module" params={{ module: def.key }} variant="default">
              Ir a la lista
            </ButtonLink>
            <ButtonLink to="/soporte" variant="subtle">
              Ayuda y soporte
            </ButtonLink>
          </>
        }
      />
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="man-como">
        <Title order={2} fz="lg" c="guinda.9" mb="xs" id="man-como">
          Cómo se captura
        </Title>
        <List size="sm" spacing={4}>
          <List.Item>Cada registro recibe un folio con el prefijo «{def.folioPrefix}». Un borrador puede guardarse incompleto en cualquier momento.</List.Item>
          <List.Item>Al enviar a validación se exigen los campos obligatorios y todas las reglas; la Secretaría Técnica valida o devuelve con observaciones.</List.Item>
          <List.Item>Las fechas se escriben dd/mm/aaaa; los números, sin separador de miles (el sistema los muestra con coma: 1,234.5).</List.Item>
          {def.formNote && <List.Item>{def.formNote}</List.Item>}
          {(def.uniquePerInstitution ?? []).map((u) => (
            <List.Item key={u.join()}>No puede haber dos registros de su institución con el mismo valor en {u.map((k) => `«${label(k)}»`).join(' y ')}.</List.Item>
          ))}
        </List>
      </Paper>

      {sections.map((s) => {
        const fs = fields.filter((f) => f.section === s.key);
        if (!fs.length) return null;
        return (
          <Paper key={s.key} withBorder p="md" radius="md" component="section" aria-labelledby={`man-${s.key}`}>
            <Title order={2} fz="lg" c="guinda.9" mb="sm" id={`man-${s.key}`}>
              {s.label}
            </Title>
            <Table.ScrollContainer minWidth={720}>
              <Table striped verticalSpacing="xs" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Campo</Table.Th>
                    <Table.Th scope="col">Tipo</Table.Th>
                    <Table.Th scope="col">¿Obligatorio?</Table.Th>
                    <Table.Th scope="col">Qué escribir y reglas</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {fs.map((f) => (
                    <Table.Tr key={f.key} id={`manual-${f.key}`}>
                      <Table.Td>
                        <Text size="sm" fw={600}>
                          {f.label}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {f.key}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {TYPE_LABELS[f.type]}
                        {fieldCatalog(f) && f.type !== 'entidad' && f.type !== 'pais' && f.type !== 'municipio' && (
                          <Text size="xs">
                            <Anchor href={`#catalogo-${fieldCatalog(f)}`}>ver opciones</Anchor>
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{f.required === true ? 'Sí' : f.required === false ? 'No' : `Sí, cuando ${cond(f.required)}`}</Table.Td>
                      <Table.Td>
                        {f.help && <Text size="sm">{f.help}</Text>}
                        <List size="xs" spacing={0}>
                          {fieldRules(f, label, cond).map((r) => (
                            <List.Item key={r}>{r}</List.Item>
                          ))}
                        </List>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
        );
      })}

      {rules.length > 0 && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="man-reglas">
          <Title order={2} fz="lg" c="guinda.9" mb="xs" id="man-reglas">
            Reglas entre campos y con otros registros
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Las reglas marcadas «error» impiden enviar a validación; las «advertencias» solo avisan.
          </Text>
          <List size="sm" spacing={4}>
            {rules.map((r) => (
              <List.Item key={`${r.field}${r.message}`}>
                {/* Dark text on the pale yellow: yellow text on it fails AA contrast. */}
                <Badge size="sm" variant="light" color={r.level === 'error' ? 'guinda' : 'yellow.9'} c={r.level === 'error' ? undefined : 'dark.8'} mr={6}>
                  {r.level === 'error' ? 'error' : 'advertencia'}
                </Badge>
                <strong>{label(r.field)}:</strong> {r.message}
                {r.when ? ` (cuando ${cond(r.when)})` : ''}
              </List.Item>
            ))}
          </List>
        </Paper>
      )}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="man-catalogos">
        <Title order={2} fz="lg" c="guinda.9" mb="xs" id="man-catalogos">
          Catálogos
        </Title>
        {isPending && <Loading label="Cargando catálogos…" />}
        <Stack gap="xs">
          {catalogs.map((c) => (
            <CatalogBlock key={c} name={c} items={maps[c] ? [...maps[c].values()] : undefined} usedBy={fields.filter((f) => fieldCatalog(f) === c).map((f) => f.label)} />
          ))}
        </Stack>
      </Paper>
    </Stack>
  );
}

function CatalogBlock({ name, items, usedBy }: { name: string; items: CatalogItem[] | undefined; usedBy: string[] }) {
  if (!items) return null;
  return (
    <details id={`catalogo-${name}`}>
      <summary>
        <Text span size="sm" fw={600}>
          {name}
        </Text>{' '}
        <Text span size="sm" c="dimmed">
          ({fmtNumber(items.length)} opciones; se usa en {usedBy.map((u) => `«${u}»`).join(', ')})
        </Text>
      </summary>
      {items.length > LONG ? (
        <Alert color="gray" variant="light" mt="xs">
          Catálogo extenso: en el formulario escriba parte del nombre para buscar la opción.
        </Alert>
      ) : (
        <Table withTableBorder fz="sm" mt="xs" maw={720}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Clave</Table.Th>
              <Table.Th scope="col">Descripción</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((it) => (
              <Table.Tr key={it.code}>
                <Table.Td>
                  <code>{it.code}</code>
                </Table.Td>
                <Table.Td>
                  {it.label}
                  {it.exclusive ? ' (excluyente: no se combina con otras)' : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </details>
  );
}

/** A field's declared rules, in words. */
function fieldRules(f: FieldDef, label: (k: string) => string, cond: (c: NonNullable<FieldDef['onlyIf']>) => string): string[] {
  const out: string[] = [];
  const n = (x: number) => fmtNumber(x);
  if (f.type === 'entero' || f.type === 'decimal') {
    const min = f.min ?? 0;
    out.push(f.max !== undefined ? `Entre ${n(min)} y ${n(f.max)}.` : `Desde ${n(min)}.`);
    if (f.step) out.push(`En múltiplos de ${n(f.step)}.`);
  }
  if (f.minLength) out.push(`Al menos ${n(f.minLength)} caracteres.`);
  if ((f.type === 'texto' || f.type === 'texto_largo') && f.maxLength) out.push(`Hasta ${n(f.maxLength)} caracteres.`);
  if (f.pattern) out.push(f.pattern.message);
  for (const p of f.forbidPatterns ?? []) out.push(p.message);
  if (f.notAfterToday) out.push('No posterior a hoy.');
  if (f.notBefore) out.push(`No anterior a «${label(f.notBefore)}».`);
  if (f.notAbove) out.push(`No mayor que «${label(f.notAbove)}».`);
  if (f.sumOf) out.push(`Se calcula: ${f.sumOf.map((k) => `«${label(k)}»`).join(' + ')}.`);
  if (f.onlyIf) out.push(`Solo se llena cuando ${cond(f.onlyIf)}.`);
  if (f.exclusive?.length) out.push(`Opciones excluyentes: ${f.exclusive.join(', ')}.`);
  if (f.denyCodes?.length) out.push(`No acepta: ${f.denyCodes.join(', ')}.`);
  if (f.stateField) out.push(`Debe pertenecer a «${label(f.stateField)}».`);
  if (f.otro) out.push('Si elige «Otro», especifique (hasta 120 caracteres).');
  if (f.type === 'archivo')
    out.push(`Hasta ${plural(f.files?.maxFiles ?? 5, 'archivo', 'archivos')}${f.files?.kinds ? ` (${f.files.kinds.join(', ').toUpperCase()})` : ''} de ${n(f.files?.maxMb ?? 20)} MB como máximo.`);
  if (f.sensitivity === 'S') out.push('Dato sensible: se protege en las estadísticas.');
  return out;
}
