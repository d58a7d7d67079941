// The shell: training banner, header (system, user, institution, sign-out), navigation grouped as
// in the seed, and the session gate (login / password change / MFA) in place of the page.
import { AppShell, Box, Burger, Group, Menu, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useEffect } from 'react';
import { groupModules, useModules } from '../api/modules';
import { ROLE_LABELS, can, useHealth, useSession } from '../api/session';
import type { User } from '../api/types';
import { ChangePasswordPage } from '../features/auth/ChangePasswordPage';
import { LoginPage } from '../features/auth/LoginPage';
import { SessionGuard } from './SessionGuard';
import { deniedReason, mayOpen } from './access';
import { MfaEnrollPage } from '../features/auth/MfaEnrollPage';
import { useLogout } from '../features/auth/api';
import { NavLinkRouter } from '../components/links';
import { NoAccess } from '../components/NoAccess';
import { ErrorAlert, Loading } from '../components/QueryState';
import { setTrainingTitle } from '../lib/format';

function useTraining(): boolean {
  const health = useHealth();
  const session = useSession();
  return (health.data?.ambiente ?? session.data?.ambiente) === 'capacitacion';
}

function TrainingBanner() {
  const training = useTraining();
  useEffect(() => setTrainingTitle(training), [training]);
  if (!training) return null;
  return (
    <div className="sintra-banner" role="note">
      Ambiente de capacitación — datos ficticios
    </div>
  );
}

function Brand() {
  return (
    <Group gap={10} wrap="nowrap">
      <Box component="span" fz={26} fw={800} lh={1} style={{ letterSpacing: 1 }}>
        SINTRA
      </Box>
      <Text component="span" size="xs" lh={1.2} visibleFrom="md" maw={300} c="white">
        Sistema Nacional de Información en materia de Trata de Personas
      </Text>
    </Group>
  );
}

function UserMenu({ user }: { user: User }) {
  const logout = useLogout();
  const navigate = useNavigate();
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={`Cuenta de ${user.nombre ?? user.username}`} c="white" px="xs" py={4} style={{ borderRadius: 4 }}>
          <Stack gap={0} align="flex-end" maw={{ base: 150, sm: 520 }}>
            <Text size="sm" fw={600} c="white" lh={1.3} truncate="end" maw="100%">
              {user.nombre ?? user.username}
            </Text>
            {/* The role first: a long institution name is what gets cut, never what the person may do. */}
            <Text size="xs" c="white" lh={1.3} visibleFrom="sm" truncate="end" maw="100%" title={`${ROLE_LABELS[user.role]} · ${user.institucion_nombre ?? ''}`}>
              {ROLE_LABELS[user.role]} · {user.institucion_nombre}
            </Text>
          </Stack>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.username} · {user.institucion_id}
        </Menu.Label>
        <Menu.Item onClick={() => navigate({ to: '/cuenta/contrasena' })}>Cambiar contraseña</Menu.Item>
        <Menu.Item onClick={() => logout.mutate()}>Cerrar sesión</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

function Navigation({ user, onNavigate }: { user: User; onNavigate: () => void }) {
  const modules = useModules();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  return (
    <nav aria-label="Navegación principal" className="sintra-nav">
      <NavLinkRouter to="/" label="Inicio" active={pathname === '/'} onClick={onNavigate} fw={600} />
      {can.readRecords(user) &&
        (modules.data ? (
          groupModules(modules.data).map((g) => (
            <Box key={g.key} mt="sm">
              <Text size="xs" fw={700} tt="uppercase" c="verde.8" px="sm" mb={4} component="h2" style={{ letterSpacing: 0.4 }}>
                {g.label}
              </Text>
              {g.modules.map((m) => (
                <NavLinkRouter
                  key={m.key}
                  to="/m/$module"
                  params={{ module: m.key }}
                  label={m.name}
                  active={pathname === `/m/${m.key}` || pathname.startsWith(`/m/${m.key}/`)}
                  onClick={onNavigate}
                />
              ))}
            </Box>
          ))
        ) : modules.error ? (
          <ErrorAlert error={modules.error} />
        ) : null)}
      <Box mt="sm">
        <Text size="xs" fw={700} tt="uppercase" c="verde.8" px="sm" mb={4} component="h2" style={{ letterSpacing: 0.4 }}>
          Estadísticas
        </Text>
        <NavLinkRouter to="/estadisticas" label="Estadísticas de víctimas" active={pathname === '/estadisticas'} onClick={onNavigate} />
        <NavLinkRouter to="/tabulados" label="Tabulados del art. 88" active={pathname === '/tabulados'} onClick={onNavigate} />
        <NavLinkRouter to="/tableros" label="Tableros" active={pathname === '/tableros'} onClick={onNavigate} />
        <NavLinkRouter to="/incidencia" label="Incidencia delictiva (SESNSP)" active={pathname === '/incidencia'} onClick={onNavigate} />
        {mayOpen('/duplicados', user) && (
          <NavLinkRouter to="/duplicados" label="Posibles duplicados" active={pathname === '/duplicados'} onClick={onNavigate} />
        )}
        <NavLinkRouter to="/publico" label="Publicación (página pública)" active={pathname === '/publico'} onClick={onNavigate} />
      </Box>
      {mayOpen('/programa', user) && (
        <Box mt="sm">
          <Text size="xs" fw={700} tt="uppercase" c="verde.8" px="sm" mb={4} component="h2" style={{ letterSpacing: 0.4 }}>
            Programa Nacional
          </Text>
          <NavLinkRouter to="/programa" label="Objetivos y acciones" active={pathname === '/programa'} onClick={onNavigate} />
          <NavLinkRouter to="/indicadores" label="Indicadores" active={pathname === '/indicadores'} onClick={onNavigate} />
          <NavLinkRouter to="/acuerdos" label="Seguimiento de acuerdos" active={pathname === '/acuerdos'} onClick={onNavigate} />
          <NavLinkRouter to="/cumplimiento" label="Cumplimiento del reporte" active={pathname === '/cumplimiento'} onClick={onNavigate} />
          {mayOpen('/informe-anual', user) && (
            <NavLinkRouter to="/informe-anual" label="Informe anual" active={pathname === '/informe-anual'} onClick={onNavigate} />
          )}
        </Box>
      )}
      {mayOpen('/administracion', user) && (
        <Box mt="sm">
          <NavLinkRouter to="/administracion" label="Administración (cuentas e instituciones)" active={pathname === '/administracion'} onClick={onNavigate} />
          <NavLinkRouter to="/administracion/catalogos" label="Catálogos" active={pathname === '/administracion/catalogos'} onClick={onNavigate} />
        </Box>
      )}
      {mayOpen('/bitacora', user) && (
        <Box mt="sm">
          <NavLinkRouter to="/bitacora" label="Bitácora de auditoría" active={pathname === '/bitacora'} onClick={onNavigate} />
        </Box>
      )}
      <Box mt="sm">
        <NavLinkRouter to="/soporte" label="Ayuda y soporte" active={pathname === '/soporte'} onClick={onNavigate} />
      </Box>
    </nav>
  );
}

function Shell({ user }: { user: User }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const training = useTraining();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const denied = deniedReason(pathname, user);
  useEffect(() => {
    // Move focus to the page heading after navigation, for screen readers and keyboard users.
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1) {
      h1.setAttribute('tabindex', '-1');
      h1.focus({ preventScroll: true });
    }
  }, [pathname]);
  return (
    <AppShell header={{ height: training ? 98 : 64 }} navbar={{ width: 290, breakpoint: 'md', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header className="sintra-header" withBorder={false}>
        <TrainingBanner />
        <Group h={60} px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" color="white" aria-label={opened ? 'Cerrar menú' : 'Abrir menú'} />
            <Brand />
          </Group>
          <UserMenu user={user} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea type="auto" offsetScrollbars>
          <Navigation user={user} onNavigate={close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main id="contenido" bg="white">
        {denied ? <NoAccess title="Pantalla no disponible para su rol" detail={denied} /> : <Outlet />}
      </AppShell.Main>
      <SessionGuard user={user} />
    </AppShell>
  );
}

export function RootLayout() {
  const session = useSession();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  let body;
  // The public page of published statistics answers without a session (contract: /api/v1/public/…).
  if (pathname === '/publico') body = <PublicFrame><Outlet /></PublicFrame>;
  else if (session.isPending) body = <Loading label="Verificando sesión…" />;
  else if (session.error)
    body = (
      <Box p="xl" maw={640} mx="auto">
        <ErrorAlert error={session.error} title="No fue posible conectar con SINTRA" onRetry={() => session.refetch()} />
      </Box>
    );
  else if (!session.data) body = <PublicFrame>{pathname === '/soporte' ? <Box p="md"><Outlet /></Box> : <LoginPage />}</PublicFrame>;
  else if (session.data.mustChangePassword) body = <PublicFrame><ChangePasswordPage forced /></PublicFrame>;
  else if (session.data.mfaEnrollmentRequired) body = <PublicFrame><MfaEnrollPage /></PublicFrame>;
  else body = <Shell user={session.data.user} />;
  return (
    <>
      <a className="skip-link" href="#contenido">
        Saltar al contenido
      </a>
      {body}
    </>
  );
}

function PublicFrame({ children }: { children: React.ReactNode }) {
  return (
    <>
      <header className="sintra-header">
        <TrainingBanner />
        <Group h={60} px="md" justify="space-between" wrap="nowrap">
          <Brand />
          <Group gap="md" wrap="nowrap">
            <a href="/soporte" style={{ color: 'white', fontSize: 14 }}>
              Ayuda y soporte
            </a>
            <a href="/publico" style={{ color: 'white', fontSize: 14 }}>
              Estadísticas públicas
            </a>
          </Group>
        </Group>
      </header>
      <main id="contenido">{children}</main>
    </>
  );
}
