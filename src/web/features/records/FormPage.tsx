// The generic record form, built from the module definition (never written per module): metadata
// first, then the definition's sections, one input per field type, the server's rules run live,
// drafts kept in the browser, version conflicts shown field by field.
import { Alert, Anchor, Box, Button, Grid, Group, List, Paper, Progress, Stack, Text, TextInput, ThemeIcon, Title, NumberInput, UnstyledButton } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { memo, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Controller, useForm, useWatch, type Control } from 'react-hook-form';
import { useCatalogMaps } from '../../api/catalogs';
import { ApiError, errorMessage } from '../../api/client';
import { allFieldsOf, useModule } from '../../api/modules';
import { can, useUser } from '../../api/session';
import type { FieldOut, Issue, ModuleOut, RecordOut, User, Values } from '../../api/types';
import { AnchorLink } from '../../components/links';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { StatusBadge } from '../../components/StatusBadge';
import { draftsInMemoryOnly, loadDraft, removeDraft, saveDraft, type Draft } from '../../lib/drafts';
import { fmtDateTime, fmtNumber, plural } from '../../lib/format';
import { recordQuery, useSaveRecord, useWorkflow } from './api';
import { ConflictDialog, mergeMine, type Conflict } from './form/ConflictDialog';
import { useClearOnConditionEnd } from './form/conditional';
import { INPUTS } from './form/inputs';
import { catalogLookup, describeCond, hiddenNow, isFilled, isOtroSelected, localDef, requiredNow, runRules, todayMx, toBody, toCondValues } from './form/rules';
import { allFields as defFields } from '../../../modules/validate';

const newRoute = getRouteApi('/m/$module/nuevo');
const editRoute = getRouteApi('/m/$module/$id/editar');

const METADATA_SECTION = { key: 'metadatos', label: 'Datos del registro' };

/** Errors of a failed "send" on a just-created record, handed to the edit page it opens. */
const handoff = new Map<string, Summary>();

interface Summary {
  title: string;
  detail: string;
  issues: Issue[];
}

interface ServerIssue extends Issue {
  /** The field's value when the server answered; the message shows until the value changes. */
  snapshot: string;
}

export function NewRecordPage() {
  const { module } = newRoute.useParams();
  return <FormLoader moduleKey={module} id={null} />;
}

export function EditRecordPage() {
  const { module, id } = editRoute.useParams();
  return <FormLoader moduleKey={module} id={id} />;
}

function FormLoader({ moduleKey, id }: { moduleKey: string; id: string | null }) {
  const user = useUser();
  const mod = useModule(moduleKey);
  const rec = useQuery({ ...recordQuery(moduleKey, id ?? ''), enabled: id !== null });
  if (mod.isPending || (id && rec.isPending)) return <Loading />;
  if (mod.error) return <ErrorAlert error={mod.error} />;
  if (!mod.module) return <ErrorAlert error={new Error(`El módulo «${moduleKey}» no existe.`)} />;
  if (rec.error) return <ErrorAlert error={rec.error} onRetry={() => rec.refetch()} />;
  if (!can.write(user))
    return (
      <Alert color="orange" title="Sin permiso para capturar">
        Su rol permite consultar o validar registros, pero no capturarlos.
      </Alert>
    );
  const record = id ? (rec.data ?? null) : null;
  if (record?.estatus === 'validado')
    return (
      <Stack>
        <PageHeader title={`Editar ${record.folio_sintra}`} />
        <Alert color="orange" title="Registro validado">
          Un registro validado no se modifica directamente: primero debe reabrirse indicando el motivo.{' '}
          <AnchorLink to="/m/$module/$id" params={{ module: moduleKey, id: record.id }}>
            Ir al registro
          </AnchorLink>
        </Alert>
      </Stack>
    );
  return <RecordForm key={record?.id ?? 'nuevo'} m={mod.module} record={record} user={user} />;
}

function asNumber(v: unknown): unknown {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/** A record's values as the form holds them. */
function valuesFromRecord(m: ModuleOut, rec: Values): Values {
  const v: Values = {};
  for (const f of allFieldsOf(m)) {
    const x = rec[f.key];
    if (f.type === 'catalogo_multiple' || f.type === 'archivo') v[f.key] = Array.isArray(x) ? x : [];
    else if (f.type === 'entero' || f.type === 'decimal') v[f.key] = x === undefined ? null : asNumber(x);
    else if (f.type === 'fecha') v[f.key] = typeof x === 'string' ? x.slice(0, 10) : null;
    else v[f.key] = x ?? null;
    if (f.otro) v[`${f.key}_otro`] = rec[`${f.key}_otro`] ?? null;
  }
  return v;
}

function newValues(m: ModuleOut, user: User): Values {
  const v = valuesFromRecord(m, {});
  const today = todayMx();
  v.institucion_id = user.institucion_id;
  v.ambito = user.ambito;
  // A state or municipal institution acts in its own state: start with it (it can still be changed).
  if (user.ambito !== 'FEDERAL' && user.institucion_entidad) v.entidad_federativa = user.institucion_entidad;
  v.periodo_anio = Number(today.slice(0, 4));
  v.periodo_trimestre = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return v;
}

function sameValues(a: Values, b: Values): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const n = (x: unknown) => (x === undefined || x === '' || (Array.isArray(x) && x.length === 0) ? null : x);
  for (const k of keys) if (JSON.stringify(n(a[k])) !== JSON.stringify(n(b[k]))) return false;
  return true;
}

const snap = (v: unknown) => JSON.stringify(v === undefined || v === '' ? null : v);

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

function focusField(key: string) {
  const el = document.getElementById(`campo-${key}`) ?? document.getElementById(`bloque-${key}`);
  const block = document.getElementById(`bloque-${key}`);
  block?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  const target = el?.matches('input,textarea,button,select') ? el : el?.querySelector<HTMLElement>('input,textarea,button');
  window.setTimeout(() => target?.focus({ preventScroll: true }), 250);
}

function RecordForm({ m, record, user }: { m: ModuleOut; record: RecordOut | null; user: User }) {
  const navigate = useNavigate();
  const def = useMemo(() => localDef(m.key), [m.key]);
  const fields = useMemo(() => allFieldsOf(m), [m]);
  const recordId = record?.id ?? null;

  // Initial values: the record (or defaults), unless input kept in this browser differs from it.
  const init = useMemo(() => {
    const base = record ? valuesFromRecord(m, record) : newValues(m, user);
    const draft = loadDraft(user.id, m.key, recordId);
    const usable = draft && !sameValues(draft.values, base) ? draft : null;
    return { base, draft: usable };
    // Computed once per mounted form (the form is keyed by record id).
  }, []);

  const [restored, setRestored] = useState<Draft | null>(init.draft);
  const [baseline, setBaseline] = useState<Values>(init.draft?.baseline ?? init.base);
  const [baseVersion, setBaseVersion] = useState<number | null>(init.draft ? init.draft.baseVersion : (record?.version ?? null));
  const [showPending, setShowPending] = useState(record !== null);
  const [serverIssues, setServerIssues] = useState<ServerIssue[]>(() =>
    (record?.pending ?? []).map((i) => ({ ...i, snapshot: snap(init.draft?.values[i.field] ?? valuesFromRecord(m, record ?? {})[i.field]) })),
  );
  const [serverWarnings, setServerWarnings] = useState<Issue[]>(record?.warnings ?? []);
  const [summary, setSummary] = useState<Summary | null>(() => (recordId ? (handoff.get(recordId) ?? null) : null));
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState<'save' | 'submit' | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const skipDraft = useRef(false);

  useEffect(() => {
    if (recordId) handoff.delete(recordId);
  }, [recordId]);

  const form = useForm<Values>({ defaultValues: init.draft?.values ?? init.base, mode: 'onChange' });
  const values = useWatch({ control: form.control }) as Values;
  const deferred = useDeferredValue(values);
  const dirty = form.formState.dirtyFields as Record<string, unknown>;

  // Keep what is typed in the browser (debounced), and once more when the form goes away (e.g. a 401).
  const latest = useRef({ values, baseline, baseVersion });
  latest.current = { values, baseline, baseVersion };
  const writeDraft = useCallback(() => {
    if (skipDraft.current) return;
    const l = latest.current;
    if (sameValues(l.values, l.baseline)) removeDraft(user.id, m.key, recordId);
    else saveDraft(user.id, m.key, recordId, { values: l.values, baseline: l.baseline, baseVersion: l.baseVersion, savedAt: new Date().toISOString() });
  }, [user.id, m.key, recordId]);
  useEffect(() => {
    const t = window.setTimeout(writeDraft, 400);
    return () => window.clearTimeout(t);
  }, [values, writeDraft]);
  useEffect(() => () => writeDraft(), [writeDraft]);

  // The same rules as the server, live.
  const catalogNames = useMemo(() => fields.map((f) => f.catalog).filter((c): c is string => Boolean(c) && c !== 'municipio'), [fields]);
  const { maps } = useCatalogMaps(catalogNames);
  const live = runRules(def, m, deferred, maps, record?.created_at ?? null);
  const condValues = toCondValues(deferred);
  const condFields = useMemo(() => (def ? defFields(def) : []), [def]);

  const messagesFor = (key: string): string[] => {
    const out: string[] = [];
    if (dirty[key] || showPending) out.push(...live.errors.filter((i) => i.field === key).map((i) => i.message));
    if (showPending) out.push(...live.pending.filter((i) => i.field === key).map((i) => i.message));
    out.push(...serverIssues.filter((i) => i.field === key && snap(values[i.field]) === i.snapshot).map((i) => i.message));
    return dedupe(out);
  };
  const warningsFor = (key: string): string[] =>
    dedupe([...live.warnings.filter((i) => i.field === key), ...serverWarnings.filter((i) => i.field === key && !dirty[key])].map((i) => i.message));

  const sections = [METADATA_SECTION, ...m.sections];
  const visible = (f: FieldOut) => !hiddenNow(def, f.key, deferred);
  const fieldKeys = new Set(fields.flatMap((f) => [f.key, `${f.key}_otro`]));
  const orphanIssues = serverIssues.filter((i) => !fieldKeys.has(i.field));

  const wire = toBody(m, deferred);
  const sectionStats = sections.map((s) => {
    const fs = fields.filter((f) => f.section === s.key && visible(f));
    const req = fs.filter((f) => requiredNow(f, condValues) && !f.sumOf);
    const filled = req.filter((f) => isFilled(wire[f.key]));
    const problems = fs.filter((f) => messagesFor(f.key).length > 0 || (f.otro && messagesFor(`${f.key}_otro`).length > 0)).length;
    return { s, fs, req: req.length, filled: filled.length, problems };
  }).filter((x) => x.fs.length > 0);

  const pendingCount = live.pending.length + live.errors.length;
  const reqTotal = sectionStats.reduce((a, x) => a + x.req, 0);
  const reqFilled = sectionStats.reduce((a, x) => a + x.filled, 0);
  const progress = reqTotal ? Math.round((reqFilled / reqTotal) * 100) : 100;
  const estatus = record?.estatus ?? 'borrador';
  const canSubmit = estatus === 'borrador' || estatus === 'devuelto';

  const showSummary = (s: Summary) => {
    setSummary(s);
    window.setTimeout(() => summaryRef.current?.focus(), 50);
  };

  const handleError = (e: unknown, title: string) => {
    if (e instanceof ApiError) {
      if (e.status === 401) return; // the login opens; the input is kept in the browser
      if (e.status === 409 && e.code !== 'invalid_state' && e.current) {
        // Field values as the form holds them (dates, numbers), beside the record's version and status.
        setConflict({ current: { ...e.current, ...valuesFromRecord(m, e.current) } });
        return;
      }
      if (e.errors.length) {
        const now = form.getValues();
        setServerIssues(e.errors.map((i) => ({ field: i.field, message: i.message, snapshot: snap(now[i.field]) })));
      }
      showSummary({ title, detail: e.detail, issues: e.errors });
      return;
    }
    showSummary({ title, detail: errorMessage(e), issues: [] });
  };

  const { setValue: rhfSetValue } = form;
  const setValue = useCallback((k: string, v: unknown) => rhfSetValue(k, v, { shouldDirty: true }), [rhfSetValue]);

  // Fields the definition derives from others (the age group from the age): kept in step with their
  // source and shown read-only, with the server's own function, so they are never typed apart.
  const derivedNow = useMemo(() => {
    const out: Record<string, string | number> = {};
    for (const f of def?.fields ?? []) {
      const d = f.derive?.value(toCondValues(values));
      if (d !== undefined) out[f.key] = d;
    }
    return out;
  }, [def, values]);
  useEffect(() => {
    for (const [k, d] of Object.entries(derivedNow)) if (form.getValues(k) !== d) setValue(k, d);
  }, [derivedNow, form, setValue]);
  // A field whose condition stops holding after the user's change is emptied, with a notice to undo it.
  useClearOnConditionEnd(def, values, dirty, setValue, (cleared) => {
    const id = `vaciado-${Date.now()}`;
    notifications.show({
      id,
      color: 'yellow',
      autoClose: 12_000,
      title: cleared.length === 1 ? `Se vació «${cleared[0].label}»` : `Se vaciaron ${cleared.length} campos`,
      message: (
        <Group gap="xs" justify="space-between" wrap="nowrap">
          <Text size="sm">{cleared.length === 1 ? 'Ya no aplica con lo que acaba de elegir.' : `Ya no aplican: ${cleared.map((c) => `«${c.label}»`).join(', ')}.`}</Text>
          <Button
            size="xs"
            variant="default"
            onClick={() => {
              for (const c of cleared) {
                setValue(c.key, c.value);
                if ('otro' in c) setValue(`${c.key}_otro`, c.otro ?? null);
              }
              notifications.hide(id);
            }}
          >
            Deshacer
          </Button>
        </Group>
      ),
    });
  });

  const save = useSaveRecord(m.key);
  const workflow = useWorkflow(m.key);

  const afterSaved = (rec: RecordOut) => {
    const v = valuesFromRecord(m, rec);
    removeDraft(user.id, m.key, recordId);
    setBaseline(v);
    setBaseVersion(rec.version);
    latest.current = { values: v, baseline: v, baseVersion: rec.version };
    form.reset(v);
    setRestored(null);
    setServerIssues((rec.pending ?? []).map((i) => ({ ...i, snapshot: snap(v[i.field]) })));
    setServerWarnings(rec.warnings ?? []);
  };

  /** Saves (POST or PUT with version); returns the saved record or null. */
  const doSave = async (version?: number): Promise<RecordOut | null> => {
    writeDraft();
    setShowPending(true);
    setSummary(null);
    const body = toBody(m, form.getValues());
    if (recordId) body.version = version ?? baseVersion;
    try {
      const rec = await save.mutateAsync({ id: recordId, body });
      afterSaved(rec);
      return rec;
    } catch (e) {
      handleError(e, 'No se pudo guardar');
      return null;
    }
  };

  const onSaveDraft = async () => {
    setBusy('save');
    const rec = await doSave();
    setBusy(null);
    if (!rec) return;
    const pend = rec.pending?.length ?? 0;
    notifications.show({
      color: 'verde',
      title: estatus === 'enviado' ? 'Cambios guardados' : 'Borrador guardado',
      message: `${rec.folio_sintra}${pend ? ` — ${plural(pend, 'pendiente', 'pendientes')} antes de enviar` : ''}`,
    });
    if (!recordId) {
      skipDraft.current = true;
      void navigate({ to: '/m/$module/$id/editar', params: { module: m.key, id: rec.id }, replace: true });
    }
  };

  const onSubmit = async () => {
    setBusy('submit');
    const rec = await doSave();
    if (!rec) {
      setBusy(null);
      return;
    }
    try {
      await workflow.mutateAsync({ id: rec.id, action: 'submit' });
      skipDraft.current = true;
      removeDraft(user.id, m.key, recordId);
      removeDraft(user.id, m.key, rec.id);
      notifications.show({ color: 'verde', title: 'Enviado a validación', message: rec.folio_sintra });
      void navigate({ to: '/m/$module/$id', params: { module: m.key, id: rec.id } });
    } catch (e) {
      if (!recordId && e instanceof ApiError && e.status !== 401) {
        handoff.set(rec.id, { title: 'El registro se guardó como borrador, pero no pudo enviarse', detail: e.detail, issues: e.errors });
        skipDraft.current = true;
        void navigate({ to: '/m/$module/$id/editar', params: { module: m.key, id: rec.id }, replace: true });
      } else handleError(e, 'No se pudo enviar a validación');
    } finally {
      setBusy(null);
    }
  };

  const labelFor = (key: string) => {
    const base = key.endsWith('_otro') ? key.slice(0, -5) : key;
    const f = fields.find((x) => x.key === key) ?? fields.find((x) => x.key === base);
    return f ? (key === base ? f.label : `${f.label} (especifique)`) : key;
  };

  const title = record ? `Editar ${record.folio_sintra}` : `Nuevo registro`;
  return (
    <Stack gap="md" pb="md">
      <PageHeader
        title={title}
        docTitle={`${title} · ${m.name}`}
        subtitle={
          <Group gap="xs" component="span">
            <span>{m.name}</span>
            {record && <StatusBadge estatus={record.estatus} />}
            <AnchorLink to="/m/$module/manual" params={{ module: m.key }} size="sm" target="_blank">
              Manual del módulo (se abre en otra pestaña)
            </AnchorLink>
          </Group>
        }
      />
      {m.formNote && (
        <Alert color="blue" variant="light" title="Antes de capturar">
          {m.formNote}
        </Alert>
      )}
      {record?.estatus === 'devuelto' && typeof record.observaciones_validacion === 'string' && (
        <Alert color="orange" variant="light" title="Observaciones de la validación">
          {record.observaciones_validacion}
        </Alert>
      )}
      {record?.estatus === 'enviado' && (
        <Alert color="blue" variant="light">
          Este registro ya fue enviado a validación: al guardar, debe cumplir todas las reglas.
        </Alert>
      )}
      {draftsInMemoryOnly(m.key) && (
        <Text size="sm" c="dimmed">
          Por tratarse de datos de víctimas, lo que capture sin guardar se conserva solo mientras esta página esté abierta (también si su sesión
          expira); no se guarda en el navegador. Use «Guardar borrador» para conservarlo en SINTRA.
        </Text>
      )}
      {restored && (
        <Alert color="yellow" variant="light" title="Se recuperó lo que había capturado sin guardar" role="status">
          <Text size="sm">
            Capturado en este navegador el {fmtDateTime(restored.savedAt)}.
            {record && restored.baseVersion !== null && restored.baseVersion !== record.version
              ? ' Desde entonces otra persona modificó el registro; al guardar verá las diferencias.'
              : ''}
          </Text>
          <Button
            mt="xs"
            size="xs"
            variant="default"
            onClick={() => {
              const base = record ? valuesFromRecord(m, record) : newValues(m, user);
              removeDraft(user.id, m.key, recordId);
              setBaseline(base);
              setBaseVersion(record?.version ?? null);
              form.reset(base);
              setRestored(null);
            }}
          >
            Descartar lo recuperado y ver lo guardado
          </Button>
        </Alert>
      )}
      {(summary || orphanIssues.length > 0) && (
        <Alert color="red" variant="light" title={summary?.title ?? 'Revise lo siguiente'} role="alert" ref={summaryRef} tabIndex={-1}>
          {summary && <Text size="sm">{summary.detail}</Text>}
          {(summary?.issues.length ?? 0) + orphanIssues.length > 0 && (
            <List size="sm" mt="xs" spacing={2}>
              {dedupe([...(summary?.issues ?? []), ...orphanIssues].map((i) => `${i.field}\u0000${i.message}`)).map((k) => {
                const [field, message] = k.split('\u0000');
                return (
                  <List.Item key={k}>
                    {fieldKeys.has(field) ? (
                      <Anchor component="button" type="button" size="sm" onClick={() => focusField(field)} ta="left">
                        {message}
                      </Anchor>
                    ) : (
                      message
                    )}
                  </List.Item>
                );
              })}
            </List>
          )}
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="sm" radius="md" style={{ position: 'sticky', top: 110 }} component="nav" aria-label="Secciones del formulario">
            <Text fw={700} size="sm" mb={4} id="avance-captura">
              Avance: {fmtNumber(reqFilled)} de {fmtNumber(reqTotal)} obligatorios
            </Text>
            {/* The name goes on the section: it is the element with role=progressbar. */}
            <Progress.Root size="md" mb="sm">
              <Progress.Section value={progress} color={progress === 100 ? 'verde.7' : 'guinda.7'} aria-labelledby="avance-captura" />
            </Progress.Root>
            <Text fw={700} size="sm" mb="xs">
              Secciones
            </Text>
            <Stack gap={4}>
              {sectionStats.map(({ s, req, filled, problems }) => {
                const done = filled === req && problems === 0;
                return (
                  <UnstyledButton
                    key={s.key}
                    onClick={() => {
                      document.getElementById(`seccion-${s.key}`)?.scrollIntoView({ behavior: 'smooth' });
                      document.getElementById(`titulo-${s.key}`)?.focus({ preventScroll: true });
                    }}
                    p={6}
                    style={{ borderRadius: 4 }}
                  >
                    <Group gap={8} wrap="nowrap" align="flex-start">
                      <ThemeIcon size={20} radius="xl" color={done ? 'verde.7' : problems ? '#a14a00' : 'gray.6'} aria-hidden>
                        <Text span fz={11} c="white" fw={700}>
                          {done ? '✓' : problems ? '!' : '·'}
                        </Text>
                      </ThemeIcon>
                      <Box>
                        <Text size="sm" fw={600} lh={1.3}>
                          {s.label}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {req ? `${filled} de ${req} obligatorios` : 'Sin obligatorios'}
                          {problems ? ` · ${problems} por revisar` : ''}
                        </Text>
                      </Box>
                    </Group>
                  </UnstyledButton>
                );
              })}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              void onSaveDraft();
            }}
          >
            <Stack gap="lg">
              <Text size="sm" c="dimmed">
                Los campos con <span aria-hidden>*</span> (obligatorio) se exigen al enviar a validación; el borrador puede guardarse en cualquier momento.
              </Text>
              {sectionStats.map(({ s, fs }) => (
                <Paper key={s.key} withBorder p="md" radius="md" id={`seccion-${s.key}`} className="sintra-section-anchor" component="section" aria-labelledby={`titulo-${s.key}`}>
                  <Title order={2} fz="lg" c="guinda.9" mb="md" id={`titulo-${s.key}`} tabIndex={-1}>
                    {s.label}
                  </Title>
                  <Stack gap="md">
                    {fs.map((f) => {
                      const req = requiredNow(f, condValues);
                      const condHint =
                        req && f.required === 'condicional' && f.requiredWhen
                          ? `Obligatorio porque ${describeCond(f.requiredWhen, condFields, catalogLookup(maps))}.`
                          : undefined;
                      return (
                        <FieldBlock
                          key={f.key}
                          m={m}
                          f={f}
                          control={form.control}
                          required={req}
                          hint={condHint}
                          messages={messagesFor(f.key)}
                          otroMessages={f.otro ? messagesFor(`${f.key}_otro`) : []}
                          warnings={warningsFor(f.key)}
                          computed={f.sumOf ? live.totals[f.key] : undefined}
                          sumLabel={f.sumOf ? f.sumOf.map((k) => fields.find((x) => x.key === k)?.label ?? k).join(' + ') : undefined}
                          stateValue={f.stateField ? values[f.stateField] : undefined}
                          derivedText={f.key in derivedNow ? (maps[f.catalog ?? '']?.get(String(derivedNow[f.key]))?.label ?? String(derivedNow[f.key])) : undefined}
                          derivedFrom={f.key in derivedNow ? labelFor(def?.fields.find((x) => x.key === f.key)?.derive?.from[0] ?? '') : undefined}
                          otroVisible={Boolean(f.otro) && isOtroSelected(values[f.key])}
                          user={user}
                          institucionLabel={maps.institucion?.get(user.institucion_id)?.label ?? user.institucion_nombre}
                          setValue={setValue}
                        />
                      );
                    })}
                  </Stack>
                </Paper>
              ))}
              <div className="sintra-sticky-actions">
                <Group justify="space-between" wrap="wrap" gap="sm">
                  <Text size="sm" aria-live="polite">
                    {pendingCount === 0 ? 'Sin pendientes: el registro puede enviarse.' : `${plural(pendingCount, 'pendiente', 'pendientes')} antes de enviar.`}
                  </Text>
                  <Group gap="sm">
                    {record ? (
                      <Button variant="subtle" onClick={() => void navigate({ to: '/m/$module/$id', params: { module: m.key, id: record.id } })}>
                        Cancelar
                      </Button>
                    ) : (
                      <Button variant="subtle" onClick={() => void navigate({ to: '/m/$module', params: { module: m.key } })}>
                        Cancelar
                      </Button>
                    )}
                    <Button type="submit" variant={canSubmit ? 'default' : 'filled'} loading={busy === 'save'} disabled={busy !== null}>
                      {estatus === 'enviado' ? 'Guardar cambios' : 'Guardar borrador'}
                    </Button>
                    {canSubmit && (
                      <Button onClick={() => void onSubmit()} loading={busy === 'submit'} disabled={busy !== null}>
                        Enviar a validación
                      </Button>
                    )}
                  </Group>
                </Group>
              </div>
            </Stack>
          </form>
        </Grid.Col>
      </Grid>
      <ConflictDialog
        conflict={conflict}
        fields={fields}
        loaded={baseline}
        mine={values}
        maps={maps}
        busy={busy !== null}
        onClose={() => setConflict(null)}
        onKeepMine={async () => {
          if (!conflict) return;
          const v = conflict.current.version;
          const stored = valuesFromRecord(m, conflict.current);
          const keys = fields.flatMap((f) => (f.otro ? [f.key, `${f.key}_otro`] : [f.key]));
          const merged = mergeMine(keys, baseline, form.getValues(), stored);
          for (const k of keys) if (merged[k] !== form.getValues(k)) setValue(k, merged[k]);
          setBusy('save');
          const rec = await doSave(typeof v === 'number' ? v : undefined);
          setBusy(null);
          if (rec) {
            setConflict(null);
            notifications.show({ color: 'verde', title: 'Cambios guardados', message: `Se conservó su captura en ${rec.folio_sintra}.` });
          }
        }}
        onDiscardMine={() => {
          if (!conflict) return;
          const v = valuesFromRecord(m, conflict.current);
          removeDraft(user.id, m.key, recordId);
          setBaseline(v);
          setBaseVersion(typeof conflict.current.version === 'number' ? conflict.current.version : baseVersion);
          form.reset(v);
          setServerIssues([]);
          setConflict(null);
          setSummary(null);
        }}
      />
    </Stack>
  );
}

interface FieldBlockProps {
  m: ModuleOut;
  f: FieldOut;
  control: Control<Values>;
  required: boolean;
  hint?: string;
  messages: string[];
  otroMessages: string[];
  warnings: string[];
  computed?: unknown;
  sumLabel?: string;
  stateValue?: unknown;
  /** Shown read-only: the value derived from another field, and that field's label. */
  derivedText?: string;
  derivedFrom?: string;
  otroVisible: boolean;
  user: User;
  institucionLabel: string;
  setValue: (key: string, v: unknown) => void;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function samePropsFB(a: FieldBlockProps, b: FieldBlockProps): boolean {
  return (
    a.f === b.f &&
    a.m === b.m &&
    a.control === b.control &&
    a.required === b.required &&
    a.hint === b.hint &&
    sameList(a.messages, b.messages) &&
    sameList(a.otroMessages, b.otroMessages) &&
    sameList(a.warnings, b.warnings) &&
    a.computed === b.computed &&
    a.sumLabel === b.sumLabel &&
    a.stateValue === b.stateValue &&
    a.derivedText === b.derivedText &&
    a.derivedFrom === b.derivedFrom &&
    a.otroVisible === b.otroVisible &&
    a.user === b.user &&
    a.institucionLabel === b.institucionLabel &&
    a.setValue === b.setValue
  );
}

function errorNode(msgs: string[]): ReactNode {
  if (!msgs.length) return undefined;
  if (msgs.length === 1) return msgs[0];
  return (
    <Box component="span" style={{ display: 'block' }}>
      {msgs.map((x) => (
        <span key={x} style={{ display: 'block' }}>
          {x}
        </span>
      ))}
    </Box>
  );
}

const FieldBlock = memo(function FieldBlock(p: FieldBlockProps) {
  const { f } = p;
  const id = `campo-${f.key}`;
  const description = (
    <>
      {f.help}
      {p.hint && (
        <Text span size="xs" fw={600} c="guinda.8" style={{ display: 'block' }}>
          {p.hint}
        </Text>
      )}
    </>
  );
  let input: ReactNode;
  if (f.sumOf) {
    input = (
      <NumberInput
        id={id}
        label={f.label}
        description={`Se calcula automáticamente: ${p.sumLabel}.`}
        value={typeof p.computed === 'number' ? p.computed : ''}
        readOnly
        variant="filled"
        styles={{ wrapper: { maxWidth: 260 } }}
        error={errorNode(p.messages)}
      />
    );
  } else if (p.derivedText !== undefined) {
    input = (
      <TextInput
        id={id}
        label={f.label}
        description={`Se calcula a partir de «${p.derivedFrom ?? ''}»; para cambiarlo, corrija ese dato.`}
        value={p.derivedText}
        readOnly
        variant="filled"
        error={errorNode(p.messages)}
        styles={{ wrapper: { maxWidth: 420 } }}
      />
    );
  } else if (f.key === 'institucion_id' && !can.onBehalf(p.user)) {
    input = <TextInput id={id} label={f.label} value={p.institucionLabel} readOnly variant="filled" description="La institución de su cuenta." />;
  } else {
    const Input = INPUTS[f.type];
    input = (
      <Controller
        name={f.key}
        control={p.control}
        render={({ field }) => (
          <Input
            moduleKey={p.m.key}
            f={f}
            id={id}
            label={f.label}
            description={description}
            required={p.required}
            error={errorNode(p.messages)}
            value={field.value}
            onChange={(v) => {
              field.onChange(v);
              // The «Otro» specification only exists while an «Otro» code is chosen.
              if (f.otro && !isOtroSelected(v)) p.setValue(`${f.key}_otro`, null);
            }}
            onBlur={field.onBlur}
            stateValue={p.stateValue}
          />
        )}
      />
    );
  }
  return (
    <Box id={`bloque-${f.key}`} className="sintra-section-anchor">
      {input}
      {p.warnings.map((w) => (
        <Alert key={w} color="yellow" variant="light" mt={6} py={6} px="sm" styles={{ message: { color: '#5c3c00' } }}>
          <Text size="sm" c="#5c3c00">
            Advertencia: {w}
          </Text>
        </Alert>
      ))}
      {p.otroVisible && (
        <Controller
          name={`${f.key}_otro`}
          control={p.control}
          render={({ field }) => {
            return (
              <TextInput
                id={`campo-${f.key}_otro`}
                mt="xs"
                label={`Especifique «Otro» en ${f.label}`}
                description="Hasta 120 caracteres."
                maxLength={140}
                value={typeof field.value === 'string' ? field.value : ''}
                onChange={(e) => field.onChange(e.currentTarget.value)}
                onBlur={field.onBlur}
                error={errorNode(p.otroMessages)}
              />
            );
          }}
        />
      )}
    </Box>
  );
}, samePropsFB);
