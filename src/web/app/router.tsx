// Code-based routes. Screens other than the home page load on demand (separate chunks), so the
// first screen stays small; charts and the form's validators only load where they are used.
import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { HomePage } from '../features/home/HomePage';
import { RootLayout } from './RootLayout';
import { NotFoundPage } from './NotFoundPage';

export interface ListSearch {
  q?: string;
  estatus?: string;
  campo?: string;
  valores?: string[];
  sort?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

const rootRoute = createRootRoute({ component: RootLayout, notFoundComponent: NotFoundPage });

const homeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/', component: HomePage });

const listRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module',
  validateSearch: (s: Record<string, unknown>): ListSearch => ({
    q: str(s.q),
    estatus: str(s.estatus),
    campo: str(s.campo),
    valores: Array.isArray(s.valores) ? s.valores.map(String) : str(s.valores) ? [String(s.valores)] : undefined,
    sort: str(s.sort),
  }),
  component: lazyRouteComponent(() => import('../features/records/ListPage'), 'ListPage'),
});

const newRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module/nuevo',
  component: lazyRouteComponent(() => import('../features/records/FormPage'), 'NewRecordPage'),
});

const deletedRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module/eliminados',
  component: lazyRouteComponent(() => import('../features/records/DeletedPage'), 'DeletedPage'),
});

const recordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module/$id',
  component: lazyRouteComponent(() => import('../features/records/RecordPage'), 'RecordPage'),
});

// Help (features/ayuda): each module's manual, generated from its definition, and the support page (no session needed).
const manualRoute = createRoute({ getParentRoute: () => rootRoute, path: '/m/$module/manual', component: lazyRouteComponent(() => import('../features/ayuda/ManualPage'), 'ManualPage') });
const soporteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/soporte', component: lazyRouteComponent(() => import('../features/ayuda/SupportPage'), 'SupportPage') });

const importRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module/importar',
  component: lazyRouteComponent(() => import('../features/imports/ImportPage'), 'ImportPage'),
});

const editRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/m/$module/$id/editar',
  component: lazyRouteComponent(() => import('../features/records/FormPage'), 'EditRecordPage'),
});

const statsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/estadisticas',
  component: lazyRouteComponent(() => import('../features/stats/StatsPage'), 'StatsPage'),
});

// Legal tables of art. 88, dashboards, review of possible duplicates, and the public page (no session).
const tabuladosRoute = createRoute({ getParentRoute: () => rootRoute, path: '/tabulados', component: lazyRouteComponent(() => import('../features/tabulados/LegalTablesPage'), 'LegalTablesPage') });
const tablerosRoute = createRoute({ getParentRoute: () => rootRoute, path: '/tableros', component: lazyRouteComponent(() => import('../features/tabulados/DashboardsPage'), 'DashboardsPage') });
const duplicadosRoute = createRoute({ getParentRoute: () => rootRoute, path: '/duplicados', component: lazyRouteComponent(() => import('../features/duplicados/DuplicatesPage'), 'DuplicatesPage') });
const publicoRoute = createRoute({ getParentRoute: () => rootRoute, path: '/publico', component: lazyRouteComponent(() => import('../features/publico/PublicPage'), 'PublicPage') });

const incidenciaRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/incidencia',
  component: lazyRouteComponent(() => import('../features/incidencia/IncidenciaPage'), 'IncidenciaPage'),
});

const passwordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/cuenta/contrasena',
  component: lazyRouteComponent(() => import('./AccountPasswordPage'), 'AccountPasswordPage'),
});

const adminRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/administracion',
  component: lazyRouteComponent(() => import('../features/admin/AdminPage'), 'AdminPage'),
});

const catalogAdminRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/administracion/catalogos',
  component: lazyRouteComponent(() => import('../features/catalogs/CatalogAdminPage'), 'CatalogAdminPage'),
});

// Programa Nacional, indicators, commitments, compliance and the annual report (features/programa).
const programaRoute = createRoute({ getParentRoute: () => rootRoute, path: '/programa', component: lazyRouteComponent(() => import('../features/programa/ProgramaPage'), 'ProgramaPage') });
const indicadoresRoute = createRoute({ getParentRoute: () => rootRoute, path: '/indicadores', component: lazyRouteComponent(() => import('../features/programa/IndicadoresPage'), 'IndicadoresPage') });
const acuerdosRoute = createRoute({ getParentRoute: () => rootRoute, path: '/acuerdos', component: lazyRouteComponent(() => import('../features/programa/AcuerdosPage'), 'AcuerdosPage') });
const cumplimientoRoute = createRoute({ getParentRoute: () => rootRoute, path: '/cumplimiento', component: lazyRouteComponent(() => import('../features/programa/CumplimientoPage'), 'CumplimientoPage') });
const informeRoute = createRoute({ getParentRoute: () => rootRoute, path: '/informe-anual', component: lazyRouteComponent(() => import('../features/programa/InformePage'), 'InformePage') });

// The audit trail (auditor, administrador).
const auditRoute = createRoute({ getParentRoute: () => rootRoute, path: '/bitacora', component: lazyRouteComponent(() => import('../features/audit/AuditPage'), 'AuditPage') });

const routeTree = rootRoute.addChildren([auditRoute, homeRoute, listRoute, newRoute, manualRoute, soporteRoute, importRoute, deletedRoute, recordRoute, editRoute, statsRoute, tabuladosRoute, tablerosRoute, duplicadosRoute, publicoRoute, incidenciaRoute, passwordRoute, adminRoute, catalogAdminRoute, programaRoute, indicadoresRoute, acuerdosRoute, cumplimientoRoute, informeRoute]);

export const router = createRouter({
  routeTree,
  defaultPreload: 'intent',
  scrollRestoration: true,
  defaultPendingMinMs: 0,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
