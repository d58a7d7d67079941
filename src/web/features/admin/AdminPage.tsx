// Administration (administrador): user accounts (create, disable, reset password or second factor, unlock;
// last sign-in), network addresses held back by the sign-in limit, and institutions (add state and municipal ones). The server checks every rule; the forms
// show its field errors next to each field.
import { Alert, Badge, Button, Code, Group, Menu, Modal, Paper, Select, Stack, Table, Tabs, Text, TextInput, VisuallyHidden } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { useCatalog } from '../../api/catalogs';
import { ROLE_LABELS } from '../../api/session';
import type { Role } from '../../api/types';
import { useConfirm } from '../../components/Confirm';
import { PageHeader } from '../../components/PageHeader';
import { ErrorAlert, Loading } from '../../components/QueryState';
import { fmtDateTime } from '../../lib/format';
import {
  useCreateInstitution,
  useCreateUser,
  useInstitutions,
  useLoginBlocks,
  useUnblockAddress,
  useUserAction,
  useUsers,
  type AdminUser,
  type Institution,
  type NewInstitution,
  type NewUser,
  type UserAction,
} from './api';

const ROLES = Object.keys(ROLE_LABELS) as Role[];
const AMBITO_LABEL: Record<Institution['ambito'], string> = { FEDERAL: 'Federal', ESTATAL: 'Estatal', MUNICIPAL: 'Municipal' };

function Loaded({ q, children }: { q: UseQueryResult<unknown>; children: ReactNode }) {
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  return <>{children}</>;
}

function fieldError(err: unknown, field: string): string | undefined {
  return err instanceof ApiError ? err.errors.find((e) => e.field === field)?.message : undefined;
}

function UserStatus({ u }: { u: AdminUser }) {
  return (
    <Group gap={4}>
      {/* Theme shades: Mantine's default green and red fail AA with white text. */}
      {!u.active ? <Badge color="gray.7">Desactivada</Badge> : u.locked ? <Badge color="red.9">Bloqueada</Badge> : <Badge color="verde.7">Activa</Badge>}
      {u.mustChangePassword && <Badge color="yellow" variant="light">Contraseña por cambiar</Badge>}
      {u.mfaEnabled ? <Badge variant="light">2 pasos</Badge> : u.mfaRequired ? <Badge color="orange" variant="light">2 pasos pendiente</Badge> : null}
    </Group>
  );
}

/** The confirming button of each account action. */
const CONFIRM: Record<UserAction, string> = {
  disable: 'Desactivar',
  enable: 'Reactivar',
  'reset-password': 'Restablecer contraseña',
  'reset-mfa': 'Restablecer verificación',
  unlock: 'Desbloquear',
};

function UsersTab() {
  const users = useUsers();
  const ent = useCatalog('entidad');
  const act = useUserAction();
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<{ title: string; body: string } | null>(null);
  const [filter, setFilter] = useState('');

  const [ask, confirmDialog] = useConfirm();
  /** `label` asks (¿Desactivar la cuenta «x»?), `done` titles the notice afterwards (Cuenta desactivada). */
  const run = async (u: AdminUser, action: UserAction, label: string, done: string) => {
    const confirm = CONFIRM[action];
    if (!(await ask({ title: confirm, message: `¿${label} la cuenta «${u.username}»?`, confirm, danger: action === 'disable' }))) return;
    act.mutate(
      { id: u.id, action },
      {
        onSuccess: (r) =>
          setNotice(
            r.temporaryPassword
              ? { title: `Contraseña temporal de «${u.username}»`, body: r.temporaryPassword }
              : { title: done, body: `La cuenta «${u.username}» se actualizó.` },
          ),
      },
    );
  };

  const shown = (users.data ?? []).filter((u) => !filter || `${u.username} ${u.nombre ?? ''} ${u.institucion_id}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Stack>
      <Group justify="space-between">
        <TextInput label="Buscar" placeholder="Usuario, nombre o institución" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} w={320} />
        <Button onClick={() => setCreating(true)}>Nueva cuenta</Button>
      </Group>
      {act.error && <Alert color="red" role="alert">{errorMessage(act.error)}</Alert>}
      {notice && (
        <Alert color="green" title={notice.title} withCloseButton onClose={() => setNotice(null)}>
          {notice.title.startsWith('Contraseña') ? (
            <>
              <Code fz="md">{notice.body}</Code>
              <Text size="sm" mt="xs">Entréguela por un medio seguro; la persona deberá cambiarla al entrar. No se volverá a mostrar.</Text>
            </>
          ) : (
            notice.body
          )}
        </Alert>
      )}
      <Loaded q={users}>
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Usuario</Table.Th>
                <Table.Th>Rol</Table.Th>
                <Table.Th>Institución</Table.Th>
                <Table.Th>Estado</Table.Th>
                <Table.Th>Último acceso</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Acciones</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    <Text fw={600}>{u.username}</Text>
                    {u.nombre && <Text size="xs" c="dimmed">{u.nombre}</Text>}
                  </Table.Td>
                  <Table.Td>
                    {ROLE_LABELS[u.role]}
                    {u.entidad && (
                      <Text size="xs" c="dimmed">
                        {ent.data?.find((e) => e.code === u.entidad)?.label ?? `Entidad ${u.entidad}`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{u.institucion_nombre ?? u.institucion_id}</Table.Td>
                  <Table.Td miw={220}>
                    <UserStatus u={u} />
                  </Table.Td>
                  <Table.Td>{u.lastLoginAt ? fmtDateTime(u.lastLoginAt) : 'Nunca'}</Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end">
                      <Menu.Target>
                        <Button variant="subtle" size="xs" aria-label={`Acciones de ${u.username}`}>
                          Acciones
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {u.active ? (
                          <Menu.Item onClick={() => void run(u, 'disable', 'Desactivar', 'Cuenta desactivada')}>Desactivar</Menu.Item>
                        ) : (
                          <Menu.Item onClick={() => void run(u, 'enable', 'Reactivar', 'Cuenta reactivada')}>Reactivar</Menu.Item>
                        )}
                        <Menu.Item onClick={() => void run(u, 'reset-password', 'Restablecer la contraseña de', 'Contraseña restablecida')}>Restablecer contraseña</Menu.Item>
                        <Menu.Item disabled={!u.mfaEnabled} onClick={() => void run(u, 'reset-mfa', 'Restablecer la verificación en dos pasos de', 'Verificación en dos pasos restablecida')}>
                          Restablecer verificación en dos pasos
                        </Menu.Item>
                        <Menu.Item disabled={!u.locked && u.failedLogins === 0} onClick={() => void run(u, 'unlock', 'Desbloquear', 'Cuenta desbloqueada')}>
                          Desbloquear
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Loaded>
      {confirmDialog}
      <Modal opened={creating} onClose={() => setCreating(false)} title="Nueva cuenta" size="lg">
        <NewUserForm onDone={() => setCreating(false)} />
      </Modal>
    </Stack>
  );
}

/** Addresses with failed sign-ins this window: an office behind one shared address shares the limit. */
function AddressesTab() {
  const blocks = useLoginBlocks();
  const unblock = useUnblockAddress();
  const [done, setDone] = useState<string | null>(null);
  const [ask, confirmDialog] = useConfirm();
  const lift = async (ip: string) => {
    const message = `¿Levantar el bloqueo de la dirección ${ip}? Sus intentos fallidos vuelven a cero y la acción queda en la bitácora.`;
    if (!(await ask({ title: 'Levantar bloqueo', message, confirm: 'Levantar bloqueo' }))) return;
    unblock.mutate(ip, { onSuccess: () => setDone(`La dirección ${ip} puede volver a iniciar sesión.`) });
  };
  const items = blocks.data?.items ?? [];
  return (
    <Stack>
      <Text size="sm">
        Tras {blocks.data?.limite ?? 30} intentos fallidos en {blocks.data?.ventanaMinutos ?? 15} minutos desde una misma dirección de red, SINTRA rechaza
        todo inicio de sesión desde ella hasta que termina la ventana. Si una oficina que comparte dirección quedó bloqueada y se confirmó que no es un
        ataque, puede levantar el bloqueo aquí; queda registrado en la bitácora.
      </Text>
      {confirmDialog}
      {unblock.error && <Alert color="red" role="alert">{errorMessage(unblock.error)}</Alert>}
      {done && (
        <Alert color="green" title="Bloqueo levantado" withCloseButton onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <Loaded q={blocks}>
        {items.length === 0 ? (
          <Text c="dimmed">Ninguna dirección tiene intentos fallidos en la ventana actual.</Text>
        ) : (
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Dirección de red</Table.Th>
                <Table.Th>Intentos fallidos</Table.Th>
                <Table.Th>Estado</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Acciones</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((x) => (
                <Table.Tr key={x.ip}>
                  <Table.Td>
                    <Code>{x.ip}</Code>
                  </Table.Td>
                  <Table.Td>{x.fallos}</Table.Td>
                  <Table.Td>{x.bloqueada ? <Badge color="red.9">Bloqueada hasta {fmtDateTime(x.hasta)}</Badge> : <Badge variant="light">Sin bloqueo</Badge>}</Table.Td>
                  <Table.Td>
                    <Button size="xs" variant={x.bloqueada ? 'filled' : 'subtle'} loading={unblock.isPending && unblock.variables === x.ip} onClick={() => void lift(x.ip)}>
                      {x.bloqueada ? 'Levantar bloqueo' : 'Poner en cero'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Loaded>
    </Stack>
  );
}

function NewUserForm({ onDone }: { onDone: () => void }) {
  const create = useCreateUser();
  const inst = useCatalog('institucion');
  const ent = useCatalog('entidad');
  const [v, setV] = useState<NewUser>({ username: '', nombre: '', password: '', role: 'enlace', institucion_id: '' });
  const set = (k: keyof NewUser) => (val: string | null) => setV((x) => ({ ...x, [k]: val ?? '' }));
  const err = (f: string) => fieldError(create.error, f);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ ...v, entidad: v.role === 'validador_estatal' ? v.entidad : undefined, nombre: v.nombre || undefined }, { onSuccess: onDone });
      }}
    >
      <Stack gap="sm">
        {create.error && !(create.error instanceof ApiError && create.error.errors.length) && <Alert color="red" role="alert">{errorMessage(create.error)}</Alert>}
        <TextInput label="Usuario" required value={v.username} onChange={(e) => set('username')(e.currentTarget.value)} error={err('username')} />
        <TextInput label="Nombre de la persona" value={v.nombre} onChange={(e) => set('nombre')(e.currentTarget.value)} error={err('nombre')} />
        <TextInput
          label="Contraseña inicial"
          description="Al menos 12 caracteres; la persona la cambiará al entrar por primera vez."
          required
          value={v.password}
          onChange={(e) => set('password')(e.currentTarget.value)}
          error={err('password')}
          autoComplete="new-password"
        />
        <Select label="Rol" required data={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }))} value={v.role} onChange={set('role')} error={err('role')} allowDeselect={false} />
        <Select
          label="Institución"
          required
          searchable
          data={(inst.data ?? []).map((i) => ({ value: i.code, label: `${i.label} (${i.code})` }))}
          value={v.institucion_id || null}
          onChange={set('institucion_id')}
          error={err('institucion_id')}
        />
        {v.role === 'validador_estatal' && (
          <Select
            label="Entidad federativa que valida"
            required
            searchable
            data={(ent.data ?? []).filter((e) => /^\d\d$/.test(e.code) && e.code !== '99').map((e) => ({ value: e.code, label: `${e.code} ${e.label}` }))}
            value={v.entidad ?? null}
            onChange={set('entidad')}
            error={err('entidad')}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancelar
          </Button>
          <Button type="submit" loading={create.isPending}>
            Crear cuenta
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function InstitutionsTab() {
  const list = useInstitutions();
  const [adding, setAdding] = useState(false);
  return (
    <Stack>
      <Group justify="flex-end">
        <Button onClick={() => setAdding(true)}>Agregar institución estatal o municipal</Button>
      </Group>
      <Loaded q={list}>
        <Table.ScrollContainer minWidth={800}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Código</Table.Th>
                <Table.Th>Nombre</Table.Th>
                <Table.Th>Ámbito</Table.Th>
                <Table.Th>Entidad / municipio</Table.Th>
                <Table.Th>Cuentas</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((i) => (
                <Table.Tr key={i.codigo}>
                  <Table.Td>
                    <Code>{i.codigo}</Code>
                  </Table.Td>
                  <Table.Td>
                    {i.nombre}
                    {!i.vigente && (
                      <Badge ml="xs" color="gray">
                        No vigente
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{AMBITO_LABEL[i.ambito]}</Table.Td>
                  <Table.Td>{[i.entidad, i.municipio].filter(Boolean).join(' / ') || '—'}</Table.Td>
                  <Table.Td>{i.usuarios}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Loaded>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Agregar institución" size="lg">
        <NewInstitutionForm onDone={() => setAdding(false)} />
      </Modal>
    </Stack>
  );
}

function NewInstitutionForm({ onDone }: { onDone: () => void }) {
  const create = useCreateInstitution();
  const [v, setV] = useState<NewInstitution>({ nombre: '', siglas: '', ambito: 'ESTATAL', entidad: '', municipio: '', tipo_local: '' });
  const ent = useCatalog('entidad');
  const mun = useCatalog('municipio', v.entidad || null, v.ambito === 'MUNICIPAL' && !!v.entidad);
  const tipos = useCatalog('tipo_institucion_local');
  const set = (k: keyof NewInstitution) => (val: string | null) => setV((x) => ({ ...x, [k]: val ?? '' }));
  const err = (f: string) => fieldError(create.error, f);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const local = v.ambito !== 'FEDERAL';
        create.mutate(
          {
            nombre: v.nombre,
            siglas: v.siglas || undefined,
            ambito: v.ambito,
            entidad: local ? v.entidad || undefined : undefined,
            municipio: v.ambito === 'MUNICIPAL' ? v.municipio || undefined : undefined,
            tipo_local: local ? v.tipo_local || undefined : undefined,
          },
          { onSuccess: onDone },
        );
      }}
    >
      <Stack gap="sm">
        {create.error && !(create.error instanceof ApiError && create.error.errors.length) && <Alert color="red" role="alert">{errorMessage(create.error)}</Alert>}
        <TextInput label="Nombre" required value={v.nombre} onChange={(e) => set('nombre')(e.currentTarget.value)} error={err('nombre')} />
        <TextInput label="Siglas" description="Se usan para formar el código (p. ej. FGE-14)." value={v.siglas} onChange={(e) => set('siglas')(e.currentTarget.value)} error={err('siglas')} />
        <Select
          label="Ámbito"
          required
          allowDeselect={false}
          data={(['ESTATAL', 'MUNICIPAL', 'FEDERAL'] as const).map((a) => ({ value: a, label: AMBITO_LABEL[a] }))}
          value={v.ambito}
          onChange={set('ambito')}
          error={err('ambito')}
        />
        {v.ambito !== 'FEDERAL' && (
          <>
            <Select
              label="Entidad federativa"
              required
              searchable
              data={(ent.data ?? []).filter((e) => /^\d\d$/.test(e.code) && e.code !== '99').map((e) => ({ value: e.code, label: `${e.code} ${e.label}` }))}
              value={v.entidad || null}
              onChange={set('entidad')}
              error={err('entidad')}
            />
            {v.ambito === 'MUNICIPAL' && (
              <Select
                label="Municipio"
                required
                searchable
                disabled={!v.entidad}
                data={(mun.data ?? []).map((m) => ({ value: m.code, label: `${m.code} ${m.label}` }))}
                value={v.municipio || null}
                onChange={set('municipio')}
                error={err('municipio')}
              />
            )}
            <Select
              label="Tipo de institución"
              searchable
              data={(tipos.data ?? []).map((t) => ({ value: t.code, label: t.label }))}
              value={v.tipo_local || null}
              onChange={set('tipo_local')}
              error={err('tipo_local')}
            />
          </>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancelar
          </Button>
          <Button type="submit" loading={create.isPending}>
            Agregar
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function AdminPage() {
  return (
    <>
      <PageHeader title="Administración" subtitle="Cuentas de usuario, instituciones y bloqueos por red. Cada cambio queda en la bitácora." />
      <Paper withBorder p="md">
        <Tabs defaultValue="usuarios">
          <Tabs.List mb="md">
            <Tabs.Tab value="usuarios">Cuentas de usuario</Tabs.Tab>
            <Tabs.Tab value="instituciones">Instituciones</Tabs.Tab>
            <Tabs.Tab value="direcciones">Bloqueos por red</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="usuarios">
            <UsersTab />
          </Tabs.Panel>
          <Tabs.Panel value="instituciones">
            <InstitutionsTab />
          </Tabs.Panel>
          <Tabs.Panel value="direcciones">
            <AddressesTab />
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </>
  );
}
