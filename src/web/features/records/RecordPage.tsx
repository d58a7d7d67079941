// One record: every field by section with catalog labels, the record's metadata and history,
// attachments, and the workflow actions the user's role allows in the record's status.
import { Alert, Anchor, Button, Checkbox, Grid, Group, List, Modal, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useCatalogMaps } from '../../api/catalogs';
import { ApiError, apiUrl, errorMessage } from '../../api/client';
import { allFieldsOf, useModule } from '../../api/modules';
import { can, useUser } from '../../api/session';
import type { FieldOut, ModuleOut, RecordOut, User } from '../../api/types';
import { ButtonLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { NoAccess } from '../../components/NoAccess';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { fileInfo } from '../../lib/drafts';
import { fmtDateTime, fmtSize, fmtValue } from '../../lib/format';
import { recordQuery, useDeleteRecord, useWorkflow, type WorkflowAction } from './api';
import { HistoryPanel } from './HistoryPanel';

const route = getRouteApi('/m/$module/$id');

export function RecordPage() {
  const { module: moduleKey, id } = route.useParams();
  const mod = useModule(moduleKey);
  const rec = useQuery(recordQuery(moduleKey, id));
  const user = useUser();
  if (mod.isPending || rec.isPending) return <Loading />;
  if (mod.error) return <ErrorAlert error={mod.error} />;
  if (!mod.module) return <ErrorAlert error={new Error(`El módulo «${moduleKey}» no existe.`)} />;
  if (rec.error instanceof ApiError && (rec.error.status === 404 || rec.error.status === 403)) return <NoAccess title="Registro no disponible" detail={rec.error.detail} />;
  if (rec.error) return <ErrorAlert error={rec.error} onRetry={() => rec.refetch()} />;
  return <RecordView m={mod.module} r={rec.data} user={user} />;
}

type Dialog = null | 'validate' | 'return' | 'reopen' | 'delete';

function RecordView({ m, r, user }: { m: ModuleOut; r: RecordOut; user: User }) {
  const navigate = useNavigate();
  const fields = allFieldsOf(m);
  const { maps } = useCatalogMaps([...fields.map((f) => f.catalog), 'institucion']);
  const workflow = useWorkflow(m.key);
  const del = useDeleteRecord(m.key);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<ApiError | Error | null>(null);

  const st = r.estatus;
  const writer = can.write(user);
  const validator = can.validate(user);

  const run = async (action: WorkflowAction, body?: Record<string, unknown>, ok?: string) => {
    setActionError(null);
    try {
      await workflow.mutateAsync({ id: r.id, action, body });
      setDialog(null);
      setText('');
      if (ok) notifications.show({ color: 'verde', title: ok, message: r.folio_sintra });
    } catch (e) {
      setActionError(e instanceof Error ? e : new Error(errorMessage(e)));
    }
  };

  const open = (d: Dialog) => {
    setActionError(null);
    setText('');
    setConfirmDelete(false);
    setDialog(d);
  };

  const sections = [{ key: 'metadatos', label: 'Datos del registro' }, ...m.sections];
  const instLabel = maps.institucion?.get(r.institucion_id)?.label;
  const pending = r.pending ?? [];
  const labelOfField = (k: string) => fields.find((f) => f.key === k || `${f.key}_otro` === k)?.label ?? k;

  return (
    <Stack gap="md">
      <PageHeader
        title={r.folio_sintra}
        docTitle={`${r.folio_sintra} · ${m.name}`}
        subtitle={m.name}
        actions={
          <>
            {writer && (st === 'borrador' || st === 'devuelto' || st === 'enviado') && (
              <ButtonLink to="/m/$module/$id/editar" params={{ module: m.key, id: r.id }} variant={st === 'enviado' ? 'default' : 'filled'}>
                Editar
              </ButtonLink>
            )}
            {writer && (st === 'borrador' || st === 'devuelto') && (
              <Button variant="default" loading={workflow.isPending && dialog === null} onClick={() => void run('submit', {}, 'Enviado a validación')}>
                Enviar a validación
              </Button>
            )}
            {validator && st === 'enviado' && (
              <>
                <Button color="verde.7" onClick={() => open('validate')}>
                  Validar
                </Button>
                <Button variant="default" onClick={() => open('return')}>
                  Devolver
                </Button>
              </>
            )}
            {validator && st === 'validado' && (
              <Button variant="default" onClick={() => open('reopen')}>
                Reabrir
              </Button>
            )}
            {writer && st !== 'validado' && (
              <Button variant="subtle" color="#b02525" onClick={() => open('delete')}>
                Eliminar
              </Button>
            )}
          </>
        }
      />

      {actionError && dialog === null && (
        <Alert color="red" variant="light" title="No se pudo completar la acción" role="alert">
          <Text size="sm">{errorMessage(actionError)}</Text>
          {actionError instanceof ApiError && actionError.errors.length > 0 && (
            <List size="sm" mt="xs">
              {actionError.errors.map((e) => (
                <List.Item key={`${e.field}${e.message}`}>{e.message}</List.Item>
              ))}
            </List>
          )}
        </Alert>
      )}

      {st === 'validado' && writer && !validator && (
        <Text size="sm" c="dimmed">
          Este registro está validado. Para corregirlo o eliminarlo, pida a quien valida que lo reabra indicando qué debe cambiarse.
        </Text>
      )}

      {st === 'devuelto' && typeof r.observaciones_validacion === 'string' && (
        <Alert color="orange" variant="light" title="Devuelto con observaciones">
          {r.observaciones_validacion}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }} order={{ base: 2, md: 1 }}>
          <Stack gap="md">
            {pending.length > 0 && (st === 'borrador' || st === 'devuelto') && (
              <Alert color="yellow" variant="light" title={`Pendiente antes de enviar (${pending.length})`}>
                <List size="sm" spacing={2}>
                  {pending.map((p) => (
                    <List.Item key={`${p.field}${p.message}`}>{p.message}</List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {(r.warnings ?? []).length > 0 && (
              <Alert color="yellow" variant="light" title="Advertencias">
                <List size="sm" spacing={2}>
                  {(r.warnings ?? []).map((p) => (
                    <List.Item key={`${p.field}${p.message}`}>
                      {labelOfField(p.field)}: {p.message}
                    </List.Item>
                  ))}
                </List>
              </Alert>
            )}
            {sections.map((s) => {
              const fs = fields.filter((f) => f.section === s.key);
              if (!fs.length) return null;
              return (
                <Paper key={s.key} withBorder p="md" radius="md" component="section" aria-labelledby={`sec-${s.key}`}>
                  <Title order={2} fz="lg" c="guinda.9" mb="sm" id={`sec-${s.key}`}>
                    {s.label}
                  </Title>
                  <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg" verticalSpacing={0} component="dl" className="sintra-record-dl">
                    {fs.map((f) => (
                      <FieldValue key={f.key} f={f} r={r} maps={maps} />
                    ))}
                  </SimpleGrid>
                </Paper>
              );
            })}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }} order={{ base: 1, md: 2 }}>
          <Paper withBorder p="md" radius="md" component="aside" aria-labelledby="meta-title">
            <Title order={2} fz="md" mb="sm" id="meta-title">
              Control del registro
            </Title>
            <dl className="sintra-record-dl">
              <dt>Folio SINTRA</dt>
              <dd>{r.folio_sintra}</dd>
              <dt>Estatus</dt>
              <dd>
                <StatusBadge estatus={st} />
              </dd>
              <dt>Institución</dt>
              <dd>{instLabel ? `${instLabel} (${r.institucion_id})` : r.institucion_id}</dd>
              <Meta label="Creado" at={r.created_at} by={userName(r, 'created_by')} />
              <Meta label="Última modificación" at={r.updated_at} by={userName(r, 'updated_by')} />
              <Meta label="Enviado a validación" at={r.enviado_at} by={userName(r, 'enviado_by')} />
              <Meta label="Validado" at={r.validado_at} by={userName(r, 'validado_by')} />
              <Meta label="Devuelto" at={r.devuelto_at} by={userName(r, 'devuelto_by')} />
              {typeof r.observaciones_validacion === 'string' && r.observaciones_validacion && (
                <>
                  <dt>Observaciones de la validación</dt>
                  <dd>{r.observaciones_validacion}</dd>
                </>
              )}
              <dt>Versión</dt>
              <dd>{String(r.version)}</dd>
            </dl>
            <Text size="xs" c="dimmed">
              Horas de la Ciudad de México.
            </Text>
          </Paper>
          <HistoryPanel moduleKey={m.key} id={r.id} version={r.version} fields={fields} />
        </Grid.Col>
      </Grid>

      <Modal opened={dialog === 'validate'} onClose={() => setDialog(null)} title="Validar registro" centered>
        <Stack>
          <Text size="sm">Al validar, el registro {r.folio_sintra} cuenta en las estadísticas publicadas y ya no puede modificarse sin reabrirlo.</Text>
          <DialogError e={actionError} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDialog(null)}>
              Cancelar
            </Button>
            <Button color="verde.7" loading={workflow.isPending} onClick={() => void run('validate', {}, 'Registro validado')}>
              Validar
            </Button>
          </Group>
        </Stack>
      </Modal>

      <ReasonDialog
        opened={dialog === 'return'}
        title="Devolver a la institución"
        label="Observaciones para la institución"
        help="Explique qué debe corregirse; la institución verá este texto."
        confirm="Devolver"
        text={text}
        setText={setText}
        busy={workflow.isPending}
        error={actionError}
        onClose={() => setDialog(null)}
        onConfirm={() => void run('return', { comment: text.trim() }, 'Registro devuelto')}
      />
      <ReasonDialog
        opened={dialog === 'reopen'}
        title="Reabrir registro validado"
        label="Motivo de la reapertura"
        help="El registro vuelve a «Enviado» y deja de contar como validado hasta que se valide otra vez."
        confirm="Reabrir"
        text={text}
        setText={setText}
        busy={workflow.isPending}
        error={actionError}
        onClose={() => setDialog(null)}
        onConfirm={() => void run('reopen', { reason: text.trim() }, 'Registro reabierto')}
      />
      <ReasonDialog
        opened={dialog === 'delete'}
        title="Eliminar registro"
        label="Motivo de la eliminación"
        help="El registro deja de verse y de contar en las estadísticas; la eliminación queda en la bitácora."
        confirm="Eliminar"
        danger
        extraOk={confirmDelete}
        extra={
          <Checkbox
            label={`Confirmo que quiero eliminar ${r.folio_sintra}`}
            checked={confirmDelete}
            onChange={(e) => setConfirmDelete(e.currentTarget.checked)}
          />
        }
        text={text}
        setText={setText}
        busy={del.isPending}
        error={actionError}
        onClose={() => setDialog(null)}
        onConfirm={async () => {
          setActionError(null);
          try {
            await del.mutateAsync({ id: r.id, reason: text.trim(), version: r.version });
            notifications.show({ color: 'verde', title: 'Registro eliminado', message: r.folio_sintra });
            void navigate({ to: '/m/$module', params: { module: m.key } });
          } catch (e) {
            setActionError(e instanceof Error ? e : new Error(errorMessage(e)));
          }
        }}
      />
    </Stack>
  );
}

/** The name GET record gives for a *_by user id (never the bare id unless the name is unknown). */
function userName(r: RecordOut, key: string): string | null {
  const id = r[key];
  if (typeof id !== 'string' || !id) return null;
  return r.usuarios?.[id] ?? 'Usuario no disponible';
}

function Meta({ label, at, by }: { label: string; at: unknown; by?: string | null }) {
  if (typeof at !== 'string' || !at) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {fmtDateTime(at)}
        {by && (
          <Text span size="sm" c="dimmed" style={{ display: 'block' }}>
            por {by}
          </Text>
        )}
      </dd>
    </>
  );
}

function FieldValue({ f, r, maps }: { f: FieldOut; r: RecordOut; maps: ReturnType<typeof useCatalogMaps>['maps'] }) {
  const v = r[f.key];
  let shown: React.ReactNode;
  if (f.type === 'archivo') {
    const ids = Array.isArray(v) ? (v as string[]) : [];
    shown = ids.length ? (
      <List size="sm" spacing={2}>
        {ids.map((id) => {
          // GET record names each attachment; what this browser uploaded is the fallback.
          const info = r.adjuntos?.[id] ?? fileInfo(id);
          const kind = r.adjuntos?.[id]?.type;
          return (
            <List.Item key={id}>
              <Anchor href={apiUrl(`/attachments/${id}`)} download={info?.name ?? true}>
                {info ? info.name : 'Archivo adjunto (sin nombre registrado)'}
              </Anchor>
              {info ? ` (${[fmtSize(info.size), kind ? typeLabel(kind) : null].filter(Boolean).join(', ')})` : ''}
            </List.Item>
          );
        })}
      </List>
    ) : null;
  } else if (f.type === 'catalogo_multiple' && Array.isArray(v) && v.length > 1) {
    shown = (
      <List size="sm" spacing={2}>
        {(v as string[]).map((c) => (
          <List.Item key={c}>{fmtValue(f, [c], maps)}</List.Item>
        ))}
      </List>
    );
  } else if (f.type === 'url' && typeof v === 'string' && v) {
    shown = (
      <Anchor href={v} target="_blank" rel="noopener noreferrer">
        {v}
      </Anchor>
    );
  } else shown = fmtValue(f, v, maps) || null;
  const otro = f.otro ? r[`${f.key}_otro`] : null;
  return (
    <div>
      <dt>{f.label}</dt>
      <dd>
        {shown ?? (
          <Text span c="dimmed" size="sm">
            Sin dato
          </Text>
        )}
        {typeof otro === 'string' && otro && <Text size="sm">Otro: {otro}</Text>}
      </dd>
    </div>
  );
}

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'imagen JPEG',
  'image/png': 'imagen PNG',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
};
const typeLabel = (t: string) => TYPE_LABELS[t] ?? t;

function DialogError({ e }: { e: unknown }) {
  if (!e) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {errorMessage(e)}
    </Alert>
  );
}

function ReasonDialog(p: {
  opened: boolean;
  title: string;
  label: string;
  help: string;
  confirm: string;
  danger?: boolean;
  extra?: React.ReactNode;
  extraOk?: boolean;
  text: string;
  setText: (s: string) => void;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onConfirm: () => void;
}) {
  const ok = p.text.trim().length >= 3 && (p.extra === undefined || p.extraOk === true);
  return (
    <Modal opened={p.opened} onClose={p.onClose} title={p.title} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) p.onConfirm();
        }}
      >
        <Stack>
          <Textarea
            label={p.label}
            description={`${p.help} Al menos 3 caracteres.`}
            required
            autosize
            minRows={3}
            maxLength={2000}
            value={p.text}
            onChange={(e) => p.setText(e.currentTarget.value)}
            data-autofocus
          />
          {p.extra}
          <DialogError e={p.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={p.onClose}>
              Cancelar
            </Button>
            <Button type="submit" color={p.danger ? '#b02525' : undefined} loading={p.busy} disabled={!ok}>
              {p.confirm}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
