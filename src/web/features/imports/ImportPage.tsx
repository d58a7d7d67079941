// Import a spreadsheet into a module: download the template, choose the file, watch the upload, then either
// the number of records saved or every error (row, column, message) with the marked file to download.
// All or nothing: the server saves no row unless every row passes the form's rules.
import { Alert, Anchor, Button, Checkbox, FileInput, Group, List, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useModule } from '../../api/modules';
import { can, useUser } from '../../api/session';
import type { ModuleOut } from '../../api/types';
import { AnchorLink, ButtonLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtNumber, fmtSize, plural } from '../../lib/format';
import { downloadReport, templateUrl, uploadImport, type ImportDone, type ImportOutcome, type Progress as UploadProgress } from './api';

const route = getRouteApi('/m/$module/importar');

/** Errors shown on the page; all of them are in the downloadable file. */
const SHOWN = 500;

export function ImportPage() {
  const { module: moduleKey } = route.useParams();
  const { module: m, isPending, error } = useModule(moduleKey);
  if (isPending) return <Loading />;
  if (error) return <ErrorAlert error={error} />;
  if (!m) return <ErrorAlert error={new Error(`El módulo «${moduleKey}» no existe.`)} />;
  return <ImportForm key={m.key} m={m} />;
}

function ImportForm({ m }: { m: ModuleOut }) {
  const user = useUser();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [enviar, setEnviar] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [reporting, setReporting] = useState(false);
  const abort = useRef<AbortController | null>(null);

  if (!can.write(user)) return <ErrorAlert title="Sin permiso" error={new Error('Su rol no permite importar registros.')} />;

  const busy = progress !== null;
  const start = async () => {
    if (!file) return;
    setOutcome(null);
    setFailure(null);
    setProgress({ percent: 0 });
    abort.current = new AbortController();
    try {
      const r = await uploadImport(m.key, file, enviar, setProgress, abort.current.signal);
      setOutcome(r);
      if (r.ok) await qc.invalidateQueries({ queryKey: ['records', m.key] });
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) setFailure(e);
    } finally {
      setProgress(null);
      abort.current = null;
    }
  };
  const report = async () => {
    if (!file) return;
    setReporting(true);
    try {
      await downloadReport(m.key, file, enviar, () => undefined);
    } catch (e) {
      setFailure(e);
    } finally {
      setReporting(false);
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={`Importar registros: ${m.name}`}
        docTitle={`Importar — ${m.name}`}
        subtitle="Cargue un archivo de Excel (.xlsx) o CSV con un registro por fila. Si alguna fila tiene un error, no se guarda ninguna."
        actions={
          <ButtonLink variant="default" to="/m/$module" params={{ module: m.key }} search={{}}>
            Volver a la lista
          </ButtonLink>
        }
      />

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="paso-plantilla">
        <Title order={2} size="h4" id="paso-plantilla" mb="xs">
          1. Descargue la plantilla
        </Title>
        <Text size="sm" mb="sm">
          Trae una columna por campo con su nombre y su clave, listas desplegables para los catálogos, una hoja con las claves de cada catálogo y
          las instrucciones.
        </Text>
        <Group gap="sm">
          <Button component="a" href={templateUrl(m.key, 'xlsx')} download variant="light">
            Plantilla de Excel (.xlsx)
          </Button>
          <Button component="a" href={templateUrl(m.key, 'csv')} download variant="default">
            Plantilla CSV
          </Button>
        </Group>
        <List size="sm" mt="sm" spacing={2}>
          <List.Item>Fechas como dd/mm/aaaa o aaaa-mm-dd; números con punto o coma decimal.</List.Item>
          <List.Item>Catálogos por clave o por nombre (sin importar mayúsculas ni acentos); varias opciones separadas por «;».</List.Item>
          <List.Item>CSV en UTF-8 o Windows-1252, separado por comas o por punto y coma. Los archivos adjuntos se agregan después, en cada registro.</List.Item>
        </List>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="paso-archivo">
        <Title order={2} size="h4" id="paso-archivo" mb="xs">
          2. Suba el archivo
        </Title>
        <Stack gap="sm" maw={560}>
          <FileInput
            label="Archivo"
            description=".xlsx o .csv, hasta 100 MB"
            placeholder="Elija el archivo…"
            accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            value={file}
            onChange={(f) => {
              setFile(f);
              setOutcome(null);
              setFailure(null);
            }}
            clearable
            disabled={busy}
          />
          <Checkbox
            label="Enviar a validación al importar"
            description="Cada fila debe cumplir entonces todas las reglas de envío; la que solo necesite un archivo adjunto obligatorio queda como borrador para adjuntarlo en su página. Sin marcar, se guardan como borradores."
            checked={enviar}
            onChange={(e) => setEnviar(e.currentTarget.checked)}
            disabled={busy}
          />
          <Group gap="sm">
            <Button onClick={() => void start()} disabled={!file || busy} loading={busy}>
              Importar
            </Button>
            {busy && (
              <Button variant="default" onClick={() => abort.current?.abort()}>
                Cancelar
              </Button>
            )}
          </Group>
          {busy && (
            <div role="status" aria-live="polite">
              <Progress
                value={progress.percent ?? 100}
                striped={progress.percent === null}
                animated={progress.percent === null}
                size="lg"
                aria-label={progress.percent === null ? 'Revisando el archivo en el servidor' : `Subiendo el archivo: ${progress.percent} %`}
              />
              <Text size="sm" mt={4}>
                {progress.percent === null
                  ? 'Archivo recibido: revisando cada fila con las reglas del formulario…'
                  : `Subiendo ${file ? fmtSize(file.size) : ''}: ${progress.percent} %`}
              </Text>
            </div>
          )}
        </Stack>
      </Paper>

      {failure !== null && <ErrorAlert title="No se pudo importar el archivo" error={failure} />}

      {outcome?.ok && (
        <Alert color="green" variant="light" title="Importación completa" role="status">
          <Text size="sm">{doneText(outcome.result)}</Text>
          {!!outcome.result.borradores && (
            <>
              <Text size="sm" mt="xs">
                {plural(outcome.result.borradores, 'registro quedó', 'registros quedaron')} como borrador porque necesitan archivos adjuntos:
                súbalos en la página de cada registro y envíelos desde ahí.
              </Text>
              <List size="sm" mt={4}>
                {(outcome.result.pendientes ?? []).slice(0, SHOWN).map((p) => (
                  <List.Item key={p.row}>
                    Fila {p.row}: {p.pending.map((i) => i.message).join(' ')}
                  </List.Item>
                ))}
              </List>
            </>
          )}
          {!outcome.result.borradores && !!outcome.result.conPendientes && (
            <>
              <Text size="sm" mt="xs">
                {plural(outcome.result.conPendientes, 'registro tiene', 'registros tienen')} pendientes antes de poder enviarse; corríjalos en la
                página de cada registro (o corrija el archivo, elimine esos borradores y vuelva a importarlo):
              </Text>
              <List size="sm" mt={4}>
                {(outcome.result.pendientes ?? []).slice(0, SHOWN).map((p) => (
                  <List.Item key={p.row}>
                    Fila {p.row} ({p.folio}): {p.pending.map((i) => i.message).join(' ')}
                  </List.Item>
                ))}
              </List>
              {outcome.result.conPendientes > SHOWN && (
                <Text size="xs" c="dimmed">
                  Se muestran los primeros {fmtNumber(SHOWN)}.
                </Text>
              )}
            </>
          )}
          <AnchorLink to="/m/$module" params={{ module: m.key }} search={{}} size="sm">
            Ver la lista
          </AnchorLink>
        </Alert>
      )}

      {outcome && !outcome.ok && (
        <Stack gap="sm" component="section" aria-labelledby="errores-titulo">
          <Alert color="red" variant="light" title="No se guardó ningún registro" role="alert">
            <Text size="sm">{outcome.detail}</Text>
            <Button mt="sm" size="xs" variant="default" onClick={() => void report()} loading={reporting}>
              Descargar el archivo con los errores marcados
            </Button>
          </Alert>
          <Title order={2} size="h4" id="errores-titulo">
            {plural(outcome.totalErrors, 'error', 'errores')}
            {outcome.totalErrors > Math.min(SHOWN, outcome.errors.length) ? ` (se muestran los primeros ${fmtNumber(Math.min(SHOWN, outcome.errors.length))})` : ''}
          </Title>
          <Table.ScrollContainer minWidth={640}>
            <Table striped withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Fila</Table.Th>
                  <Table.Th scope="col">Columna</Table.Th>
                  <Table.Th scope="col">Error</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {outcome.errors.slice(0, SHOWN).map((e, i) => (
                  <Table.Tr key={`${e.row}-${e.field ?? ''}-${i}`}>
                    <Table.Td>{e.row}</Table.Td>
                    <Table.Td>{e.column ?? (e.field ? <Text span c="dimmed" size="sm">{e.field} (sin columna)</Text> : '—')}</Table.Td>
                    <Table.Td>{e.message}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm" c="dimmed">
            La fila 1 es la de encabezados. Corrija el archivo y vuelva a subirlo completo. <Anchor href={templateUrl(m.key, 'xlsx')} underline="always">Descargar la plantilla</Anchor>
          </Text>
        </Stack>
      )}
    </Stack>
  );
}

/** «Se guardaron N registros como …»; with enviar=1 some may have stayed drafts (they need attachments). */
function doneText(r: ImportDone): string {
  const folios = r.folios ? ` (folios ${r.folios.desde} a ${r.folios.hasta})` : '';
  const saved = `Se ${r.imported === 1 ? 'guardó' : 'guardaron'} ${plural(r.imported, 'registro', 'registros')}${folios}`;
  if (r.estatus === 'borrador') return `${saved} como ${r.imported === 1 ? 'borrador' : 'borradores'}.`;
  if (!r.borradores) return `${saved} como ${r.imported === 1 ? 'enviado a validación' : 'enviados a validación'}.`;
  return `${saved}: ${plural(r.enviados ?? 0, 'enviado', 'enviados')} a validación y ${plural(r.borradores, 'borrador', 'borradores')}.`;
}
