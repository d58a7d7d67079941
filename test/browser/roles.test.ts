// The roles not covered by flows.test.ts, in Chromium on SINTRA Capacitación: the administrador (accounts,
// institutions, catalogs), consulta (statistics only, no victim rows), auditor (the trail filtered, a victim
// record's opening naming no sensitive value); and two record-editing situations: a stale edit between two
// people of one institution (conflict dialog, «Usar mis cambios» keeps both changes) and a session that expires
// under a form (warning, sign-in dialog, input kept and saved). axe-core on every screen; screenshots go to
// test-output/screenshots/roles-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { generate } from 'otplib';
import { getModule } from '../../src/modules/index.js';
import { DEMO_PASSWORD, SHOTS, axe, ensureWebBuild, freePort, haveChromium, heading, launch, newContext, shot, startTraining, writeAxeReport, type Training } from './helpers.js';

const have = haveChromium();
const ADMIN = 'cap.admin';
const ENLACE = 'cap.enlace.e15-fge'; // Fiscalía General del Estado de México
const ENLACE_VICTIMA = 'cap.enlace.e09-fge'; // registers VIC-2026-000001 in the demo seed (5)
const NEW_USER = 'cap.prueba.e15-fge';
const NEW_PASSWORD = 'Inicial-Segura-Prueba-2026';
const SECOND = 'cap.enlace2.e15-fge';
const SECOND_PASSWORD = 'Segundo-Enlace-Toluca-2026';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A date in Mexico City, `days` from today, as dd/mm/aaaa and ISO. */
function mxDate(days: number): { dmy: string; iso: string } {
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City' }).format(new Date(Date.now() + days * 86_400_000));
  return { iso, dmy: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` };
}

/** TOTP secrets enrolled here, per user, with the last time step used (a code serves once). */
const totp = new Map<string, { secret: string; lastStep: number }>();
async function nextCode(username: string): Promise<string> {
  const t = totp.get(username)!;
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, t.lastStep + 1);
  if (step > now) await new Promise((res) => setTimeout(res, step * 30_000 - Date.now() + 50));
  t.lastStep = step;
  return generate({ secret: t.secret, epoch: step * 30 });
}

/**
 * Signs in through the login screen, enrolling the second factor on the screen the first time. Own copy of
 * helpers.signIn: its getByLabel('Contraseña', { exact: true }) finds nothing, since Mantine's label text is
 * «Contraseña *» (the required mark); the password box is found by its autocomplete instead.
 */
async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Usuario').fill(username);
  await page.locator('input[autocomplete="current-password"]').fill(password);
  if (totp.has(username)) {
    await page.getByRole('button', { name: 'Entrar' }).click();
    const code = page.getByLabel('Código de verificación');
    await code.waitFor();
    await code.fill(await nextCode(username));
  }
  await page.getByRole('button', { name: 'Entrar' }).click();
  const enrol = page.getByRole('heading', { name: 'Verificación en dos pasos' });
  const shell = page.getByRole('navigation', { name: 'Navegación principal' });
  await enrol.or(shell).first().waitFor();
  if (await enrol.isVisible()) {
    const secret = (await page.locator('code').first().textContent())?.trim() ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    totp.set(username, { secret, lastStep: Math.floor(Date.now() / 30_000) });
    await page.getByLabel('Código de 6 dígitos').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Activar' }).click();
    await page.getByText('Verificación activada').waitFor();
    await page.getByRole('button', { name: 'Continuar' }).click();
  }
  await shell.waitFor();
}

/** The whole page from its top (scrolled down, the fixed header would sit in the middle of a full-page shot). */
async function shotPage(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, name);
}

/** A dialog as the person sees it: the viewport only (a full-page shot leaves the overlay and header mid-page). */
async function shotDialog(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(250); // the dialog's opening transition
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

/** Badges whose text is cut with an ellipsis (wider than their room): an official cannot read them. */
async function clippedBadges(scope: Locator): Promise<string[]> {
  return scope.locator('.mantine-Badge-label').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent ?? ''));
}

/** A signed-in API client (its own cookie jar), as a script or another browser tab would be. */
async function apiAs(base: string, username: string, password = DEMO_PASSWORD): Promise<APIRequestContext> {
  const c = await request.newContext({ baseURL: base });
  const r = await c.post('/api/v1/auth/login', { data: { username, password } });
  expect(r.status(), `inicio de sesión de ${username}: ${await r.text()}`).toBe(200);
  return c;
}

describe.skipIf(!have)('navegador: roles y edición de registros en SINTRA Capacitación', () => {
  let env: Training;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const apis: APIRequestContext[] = [];
  let admin: Page | null = null;

  async function page(): Promise<Page> {
    const c = await newContext(browser);
    contexts.push(c);
    const p = await c.newPage();
    // The app asks in its own dialogs; a browser confirm would be a regression, so it is refused (leaving a page
    // with unsaved input is still allowed).
    p.on('dialog', (d) => void (d.type() === 'beforeunload' ? d.accept() : d.dismiss()));
    return p;
  }
  async function api(base: string, username: string, password?: string): Promise<APIRequestContext> {
    const c = await apiAs(base, username, password);
    apis.push(c);
    return c;
  }
  /** The administrador's page, signed in with the second factor (enrolled on the screen the first time). */
  async function adminPage(): Promise<Page> {
    if (!admin) {
      admin = await page();
      await signIn(admin, env.base, ADMIN);
    }
    return admin;
  }

  beforeAll(async () => {
    ensureWebBuild();
    env = await startTraining({ port: await freePort(3375) });
    browser = await launch();
  });

  afterAll(async () => {
    writeAxeReport('roles');
    for (const a of apis) await a.dispose();
    for (const c of contexts) await c.close();
    await browser?.close();
    await env?.stop();
  });

  it('administrador: crea una cuenta, ve su último acceso, restablece segundo factor y contraseña, la desactiva', async () => {
    const p = await adminPage();
    await p.goto(`${env.base}/administracion`);
    await heading(p, 'Administración');
    const main = p.locator('main');
    await main.locator('tbody tr').first().waitFor();
    await shotPage(p, 'roles-01-admin-cuentas');
    await axe(p, 'administración: cuentas');

    await p.getByRole('button', { name: 'Nueva cuenta' }).click();
    const dlg = p.getByRole('dialog', { name: 'Nueva cuenta' });
    await dlg.getByRole('textbox', { name: 'Usuario', exact: true }).fill(NEW_USER);
    await dlg.getByLabel('Nombre de la persona').fill('Guadalupe Ramírez Nájera');
    await dlg.getByLabel('Contraseña inicial').fill(NEW_PASSWORD);
    await dlg.getByRole('combobox', { name: 'Rol' }).click();
    await p.getByRole('option', { name: 'Enlace institucional' }).click();
    await dlg.getByRole('combobox', { name: 'Institución' }).fill('E15-FGE');
    await p.getByRole('option', { name: /\(E15-FGE\)$/ }).click();
    await shotDialog(p, 'roles-02-admin-nueva-cuenta');
    await axe(p, 'administración: nueva cuenta');
    await dlg.getByRole('button', { name: 'Crear cuenta' }).click();
    await dlg.waitFor({ state: 'detached' });

    const headers = (await main.locator('thead th').allTextContents()).map((t) => t.trim());
    const lastCol = headers.indexOf('Último acceso');
    expect(lastCol, headers.join(' | ')).toBeGreaterThan(0);
    const row = () => main.locator('tbody tr').filter({ has: p.getByText(NEW_USER, { exact: true }) });
    await expect.poll(() => row().count()).toBe(1);
    expect(await row().locator('td').nth(lastCol).textContent()).toBe('Nunca');
    expect(await row().textContent()).toMatch(/Enlace institucional.*Fiscalía.*México/s);
    // The administrador just signed in: a Mexican date and time in that column.
    const me = main.locator('tbody tr').filter({ has: p.getByText(ADMIN, { exact: true }) });
    expect(await me.locator('td').nth(lastCol).textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4},? \d{1,2}:\d{2}/);

    // The person signs in, changes the password and enrols a second factor (as on their own screen).
    const person = await api(env.base, NEW_USER, NEW_PASSWORD);
    expect((await person.post('/api/v1/auth/password', { data: { currentPassword: NEW_PASSWORD, newPassword: `${NEW_PASSWORD}-b` } })).status()).toBe(204);
    const setup = (await (await person.post('/api/v1/auth/mfa/setup', { data: {} })).json()) as { secret: string };
    expect((await person.post('/api/v1/auth/mfa/confirm', { data: { code: await generate({ secret: setup.secret }) } })).status()).toBe(200);
    await p.reload();
    await expect.poll(() => row().locator('td').nth(lastCol).textContent()).toMatch(/^\d{2}\/\d{2}\/\d{4}/);
    expect(await row().textContent()).toContain('2 pasos');

    // Reset the second factor, then the password: the temporary password works without a code.
    /** The menu item, then the application's confirmation dialog (its button names the action). */
    const action = async (item: string, confirm: string) => {
      await row().getByRole('button', { name: `Acciones de ${NEW_USER}` }).click();
      await p.getByRole('menuitem', { name: item }).click();
      const ask = p.getByRole('dialog', { name: confirm });
      await ask.getByText(`la cuenta «${NEW_USER}»?`, { exact: false }).waitFor();
      await ask.getByRole('button', { name: confirm }).click();
      await ask.waitFor({ state: 'detached' });
    };
    await action('Restablecer verificación en dos pasos', 'Restablecer verificación');
    await main.getByRole('alert').filter({ hasText: 'Verificación en dos pasos restablecida' }).waitFor();
    await expect.poll(() => row().textContent()).not.toContain('2 pasos');
    await action('Restablecer contraseña', 'Restablecer contraseña');
    const notice = main.getByRole('alert').filter({ hasText: `Contraseña temporal de «${NEW_USER}»` });
    await notice.waitFor();
    const temp = (await notice.locator('code').textContent())!.trim();
    expect(temp.length).toBeGreaterThanOrEqual(12);
    await shotPage(p, 'roles-03-admin-contrasena-temporal');
    await axe(p, 'administración: contraseña temporal');
    const relogin = await request.newContext({ baseURL: env.base });
    apis.push(relogin);
    const r1 = await relogin.post('/api/v1/auth/login', { data: { username: NEW_USER, password: temp } });
    expect(r1.status(), await r1.text()).toBe(200);
    expect(((await r1.json()) as { mustChangePassword: boolean }).mustChangePassword).toBe(true);

    await action('Desactivar', 'Desactivar');
    await expect.poll(() => row().textContent()).toContain('Desactivada');
    const r2 = await relogin.post('/api/v1/auth/login', { data: { username: NEW_USER, password: temp } });
    expect(r2.status()).toBe(401);
    expect(await clippedBadges(main)).toEqual([]);
    await shotPage(p, 'roles-04-admin-cuenta-desactivada');
    await axe(p, 'administración: cuenta desactivada');
  });

  it('administrador: agrega una institución estatal', async () => {
    const p = await adminPage();
    await p.goto(`${env.base}/administracion`);
    await heading(p, 'Administración');
    await p.getByRole('tab', { name: 'Instituciones' }).click();
    await p.getByRole('button', { name: 'Agregar institución estatal o municipal' }).click();
    const dlg = p.getByRole('dialog', { name: 'Agregar institución' });
    const nombre = 'Comisión Estatal de Búsqueda de Personas de Hidalgo';
    await dlg.getByRole('textbox', { name: 'Nombre', exact: true }).fill(nombre);
    await dlg.getByLabel('Siglas').fill('CEBP');
    await dlg.getByRole('combobox', { name: 'Entidad federativa' }).fill('Hidalgo');
    await p.getByRole('option', { name: '13 Hidalgo' }).click();
    await shotDialog(p, 'roles-05-admin-nueva-institucion');
    await axe(p, 'administración: nueva institución');
    await dlg.getByRole('button', { name: 'Agregar' }).click();
    await dlg.waitFor({ state: 'detached' });
    const row = p.locator('main tbody tr').filter({ hasText: nombre });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toMatch(/Estatal.*13/);
    await shotPage(p, 'roles-06-admin-instituciones');
    await axe(p, 'administración: instituciones');
  });

  it('administrador: levanta el bloqueo de una dirección de red tras muchos intentos fallidos (oficina con dirección compartida)', async () => {
    // Everybody here signs in from the same address, like an office behind one router.
    const office = await request.newContext({ baseURL: env.base });
    apis.push(office);
    let status = 0;
    for (let i = 0; i < 40 && status !== 429; i++) status = (await office.post('/api/v1/auth/login', { data: { username: `nadie${i}`, password: 'clave-equivocada-larga' } })).status();
    expect(status).toBe(429);
    expect((await office.post('/api/v1/auth/login', { data: { username: 'cap.consulta', password: DEMO_PASSWORD } })).status()).toBe(429);

    const p = await adminPage();
    await p.goto(`${env.base}/administracion`);
    await heading(p, 'Administración');
    await p.getByRole('tab', { name: 'Bloqueos por red' }).click();
    const panel = p.getByRole('tabpanel', { name: 'Bloqueos por red' });
    const row = panel.locator('tbody tr').filter({ hasText: /Bloqueada hasta/ });
    await expect.poll(() => row.count()).toBe(1);
    await shotPage(p, 'roles-07a-admin-bloqueos-por-red');
    await axe(p, 'administración: bloqueos por red');
    await row.getByRole('button', { name: 'Levantar bloqueo' }).click();
    const ask = p.getByRole('dialog', { name: 'Levantar bloqueo' });
    await axe(p, 'administración: confirmar que se levanta un bloqueo');
    await ask.getByRole('button', { name: 'Levantar bloqueo' }).click();
    await panel.getByRole('alert').filter({ hasText: 'Bloqueo levantado' }).waitFor();
    await expect.poll(() => panel.getByText('Ninguna dirección tiene intentos fallidos en la ventana actual.').count()).toBe(1);
    expect((await office.post('/api/v1/auth/login', { data: { username: 'cap.consulta', password: DEMO_PASSWORD } })).status()).toBe(200);
  });

  it('administrador: agrega un valor a un catálogo no oficial y da de baja otro, que ya no se ofrece en el formulario', async () => {
    const p = await adminPage();
    const added = { code: 'UNIDAD_MOVIL', label: 'Unidad móvil de atención especializada' };
    const dropped = { code: 'REFUGIO', label: 'Refugio especializado' };
    await p.goto(`${env.base}/administracion/catalogos`);
    await heading(p, 'Catálogos');
    await p.getByRole('combobox', { name: 'Catálogo' }).fill('Tipo de unidad');
    await p.getByRole('option', { name: 'Tipo de unidad especializada' }).click();
    const section = p.getByRole('region', { name: 'Tipo de unidad especializada' });
    await section.getByRole('button', { name: 'Agregar valor' }).click();
    const add = p.getByRole('dialog', { name: 'Agregar un valor' });
    await add.getByLabel('Clave').fill(added.code);
    await add.getByLabel('Etiqueta').fill(added.label);
    await shotDialog(p, 'roles-07-catalogo-agregar');
    await axe(p, 'catálogos: agregar un valor');
    await add.getByRole('button', { name: 'Agregar' }).click();
    await add.waitFor({ state: 'detached' });
    await section.locator('tbody tr').filter({ hasText: added.label }).waitFor();

    const yesterday = mxDate(-1);
    await section.getByRole('button', { name: `Vigencia de ${dropped.code}` }).click();
    const baja = p.getByRole('dialog', { name: `Dar de baja ${dropped.code}` });
    const date = baja.getByLabel('Último día de vigencia');
    await date.fill(yesterday.dmy);
    await date.press('Enter');
    await baja.getByRole('button', { name: 'Dar de baja' }).click();
    await baja.waitFor({ state: 'detached' });
    const row = section.locator('tbody tr').filter({ hasText: dropped.label });
    await expect.poll(() => row.textContent()).toContain(`Dado de baja el ${yesterday.dmy}`);
    expect(await clippedBadges(section)).toEqual([]);
    await shotPage(p, 'roles-08-catalogo-baja');
    await axe(p, 'catálogos: valor dado de baja');

    // A new record's form offers the added value and no longer the one dropped.
    await p.goto(`${env.base}/m/unidades_especializadas/nuevo`);
    await heading(p, 'Nuevo registro');
    const input = p.locator('#campo-tipo_unidad');
    await input.click();
    await p.getByRole('option', { name: added.label }).waitFor();
    expect(await p.getByRole('option', { name: dropped.label }).count()).toBe(0);
    expect(await p.getByRole('option').count()).toBe(9); // the 9 of the specification, one dropped, one added
    await shotDialog(p, 'roles-09-formulario-sin-valor-dado-de-baja');
    await axe(p, 'formulario con el catálogo cambiado');
    await input.press('Escape');
  });

  it('consulta: ve estadísticas, pero no los registros de víctimas (ni por dirección directa)', async () => {
    const owner = await api(env.base, ENLACE_VICTIMA);
    const list = (await (await owner.get('/api/v1/modules/victimas/records?limit=1')).json()) as { items: { id: string; folio_sintra: string; folio_persona: string }[] };
    expect(list.items.length, `${ENLACE_VICTIMA} registra una víctima en el seed`).toBe(1);
    const victim = list.items[0];

    const p = await page();
    await signIn(p, env.base, 'cap.consulta');
    // A screen outside the role, opened by its address: said plainly, without buttons that can only fail.
    for (const [path, reason] of [
      ['/administracion', 'Solo la administración gestiona cuentas'],
      ['/informe-anual', 'El informe anual lo genera la Secretaría Técnica'],
      ['/m/capacitacion/nuevo', 'Su rol no captura registros'],
    ] as const) {
      await p.goto(`${env.base}${path}`);
      await heading(p, 'Pantalla no disponible para su rol');
      await p.getByRole('alert').filter({ hasText: reason }).waitFor();
      expect(await p.getByRole('button', { name: /Nueva cuenta|Nuevo corte|Guardar/ }).count(), path).toBe(0);
    }
    await axe(p, 'pantalla no disponible para el rol (consulta)');
    await p.goto(`${env.base}/`);
    const nav = p.getByRole('navigation', { name: 'Navegación principal' });
    await nav.getByRole('link', { name: 'Estadísticas de víctimas' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Atención a víctimas' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Estadísticas de víctimas' }).click();
    await heading(p, /Estadísticas/);
    // The training seed is small: the table is shown protected, or withheld when it counts fewer than 5 persons.
    const table = p.locator('main table').first();
    const withheld = p.getByText(/Tabla no publicada: cuenta menos de 5 personas/).first();
    await expect.poll(async () => (await table.isVisible()) || (await withheld.isVisible()), { timeout: 30_000 }).toBe(true);
    if (await table.isVisible()) await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    await p.waitForLoadState('networkidle');
    await shotPage(p, 'roles-10-consulta-estadisticas');
    await axe(p, 'estadísticas (consulta)');

    await p.goto(`${env.base}/m/victimas`);
    await heading(p, getModule('victimas')!.name);
    await expect.poll(() => p.getByRole('alert').first().textContent()).toMatch(/Sin acceso.*no consulta registros individuales/);
    expect(await p.locator('main tbody tr').count()).toBe(0);
    expect(await p.locator('main').textContent()).not.toContain(victim.folio_sintra);
    await shotPage(p, 'roles-11-consulta-lista-victimas');
    await axe(p, 'lista de víctimas (consulta)');

    await p.goto(`${env.base}/m/victimas/${victim.id}`);
    await heading(p, 'Registro no disponible');
    const alert = p.getByRole('alert').first();
    expect(await alert.textContent()).toMatch(/Sin acceso.*(no existe o no tiene acceso|no tiene permiso)/i);
    expect(await p.getByRole('button', { name: 'Intentar de nuevo' }).count()).toBe(0);
    const text = (await p.locator('main').textContent())!;
    expect(text).not.toContain(victim.folio_sintra);
    expect(text).not.toContain(victim.folio_persona);
    expect(await p.locator('main dl, main table').count()).toBe(0);
    await shotPage(p, 'roles-12-consulta-registro-victima');
    await axe(p, 'registro de víctima por dirección directa (consulta)');
  });

  it('auditor: la bitácora filtrada por usuario y por acción; la consulta de una víctima no nombra datos sensibles', async () => {
    const owner = await api(env.base, ENLACE_VICTIMA);
    const victim = ((await (await owner.get('/api/v1/modules/victimas/records?limit=1')).json()) as { items: { id: string }[] }).items[0];
    const rec = (await (await owner.get(`/api/v1/modules/victimas/records/${victim.id}`)).json()) as Record<string, unknown>; // audited: consultar
    const m = getModule('victimas')!;
    const cats = new Map<string, Map<string, string>>();
    const secrets: string[] = [String(rec.folio_persona)];
    for (const f of m.fields.filter((x) => x.sensitivity)) {
      const v = rec[f.key];
      for (const x of Array.isArray(v) ? v : v === null || v === undefined ? [] : [v]) {
        secrets.push(String(x));
        const cat = (f as { catalog?: string }).catalog;
        if (cat && !cat.endsWith('_ref')) {
          if (!cats.has(cat)) cats.set(cat, new Map(((await (await owner.get(`/api/v1/catalogs/${cat}`)).json()) as { items: { code: string; label: string }[] }).items.map((i) => [i.code, i.label])));
          const label = cats.get(cat)!.get(String(x));
          if (label) secrets.push(label);
        }
      }
    }
    expect(secrets.length).toBeGreaterThan(5);

    const p = await page();
    await signIn(p, env.base, 'cap.auditor');
    await p.goto(`${env.base}/bitacora`);
    await heading(p, 'Bitácora de auditoría');
    const entries = p.getByRole('table', { name: 'Entradas de la bitácora' });
    await entries.waitFor();
    await shotPage(p, 'roles-13-auditor-bitacora');
    await axe(p, 'bitácora (auditor)');

    const filters = p.getByRole('form', { name: 'Filtros de la bitácora' });
    const applyFilters = async (user: string, action: string) => {
      await filters.getByRole('button', { name: 'Limpiar' }).click();
      await filters.getByLabel('Usuario').fill(user);
      await filters.getByRole('combobox', { name: 'Acción' }).click();
      await filters.getByRole('combobox', { name: 'Acción' }).fill(action);
      await p.getByRole('option', { name: action, exact: true }).click();
      await filters.getByRole('combobox', { name: 'Acción' }).press('Escape');
      await filters.getByRole('button', { name: 'Aplicar filtros' }).click();
    };
    const rows = entries.locator('tbody tr');
    const allRows = async () => (await rows.allTextContents()).join('\n');

    // By user and action: that person's sign-ins, and only those.
    await applyFilters(ENLACE_VICTIMA, 'Inicio de sesión');
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes(ENLACE_VICTIMA) && t.includes('Inicio de sesión')) && (await rows.count()) >= 2).toBe(true);

    await applyFilters(ENLACE_VICTIMA, 'Consulta de registro de víctima');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await rows.allTextContents()).every((t) => t.includes('Consulta de registro de víctima'))).toBe(true);
    const text = await allRows();
    expect(text).toContain(String(rec.folio_sintra));
    for (const s of secrets) expect(text, `valor sensible «${s}» en la bitácora`).not.toMatch(new RegExp(`(^|[^\\p{L}\\d_])${esc(s)}([^\\p{L}\\d_]|$)`, 'u'));
    await shotPage(p, 'roles-14-auditor-consulta-victima');
    await axe(p, 'bitácora filtrada (auditor)');
  });

  it('edición desactualizada: dos personas de la misma institución; «Usar mis cambios» guarda ambos cambios', async () => {
    // A second enlace of the same institution, created by the administración; the person sets a password.
    const adm = await adminPage();
    const created = await adm.request.post(`${env.base}/api/v1/users`, { data: { username: SECOND, password: `${SECOND_PASSWORD}-0`, nombre: 'Rodrigo Téllez Ayala', role: 'enlace', institucion_id: 'E15-FGE' } });
    expect(created.status(), await created.text()).toBe(201);
    const second = await api(env.base, SECOND, `${SECOND_PASSWORD}-0`);
    expect((await second.post('/api/v1/auth/password', { data: { currentPassword: `${SECOND_PASSWORD}-0`, newPassword: SECOND_PASSWORD } })).status()).toBe(204);

    const first = await api(env.base, ENLACE);
    const draft = await first.post('/api/v1/modules/unidades_especializadas/records', {
      data: { entidad_federativa: '15', periodo_anio: 2026, periodo_trimestre: 4, nombre_unidad: 'Unidad de atención a víctimas de trata, Toluca', personal_mujeres: 3 },
    });
    expect(draft.status(), await draft.text()).toBe(201);
    const rec = (await draft.json()) as { id: string; version: number };
    const url = `${env.base}/m/unidades_especializadas/${rec.id}/editar`;

    const a = await page();
    const b = await page();
    await signIn(a, env.base, ENLACE);
    await signIn(b, env.base, SECOND, SECOND_PASSWORD);
    for (const x of [a, b]) {
      await x.goto(url);
      await x.locator('#campo-nombre_unidad').waitFor();
      await expect.poll(() => x.locator('#campo-nombre_unidad').inputValue()).toBe('Unidad de atención a víctimas de trata, Toluca');
    }

    const theirs = 'Unidad Especializada de Atención a Víctimas de Trata de Personas, región Toluca';
    await a.locator('#campo-nombre_unidad').fill(theirs);
    const saved = a.waitForResponse((r) => r.url().includes(`/records/${rec.id}`) && r.request().method() === 'PUT');
    await a.getByRole('button', { name: 'Guardar borrador' }).click();
    expect((await saved).status()).toBe(200);

    await b.locator('#campo-personal_mujeres').fill('7');
    await b.locator('#campo-personal_hombres').fill('4');
    await b.getByRole('button', { name: 'Guardar borrador' }).click();
    const dlg = b.getByRole('dialog', { name: 'Otra persona guardó este registro antes que usted' });
    await dlg.waitFor();
    const changed = dlg.locator('tbody tr').filter({ hasText: 'Nombre de la unidad especializada' });
    await expect.poll(() => changed.textContent()).toContain(theirs);
    expect(await changed.textContent()).toContain('Unidad de atención a víctimas de trata, Toluca');
    expect(await dlg.locator('tbody tr').count()).toBe(1); // only what the other person changed
    // The second person's input is still in the form behind the dialog.
    expect(await b.locator('#campo-personal_mujeres').inputValue()).toBe('7');
    expect(await b.locator('#campo-personal_hombres').inputValue()).toBe('4');
    await shotDialog(b, 'roles-15-conflicto-de-version');
    await axe(b, 'diálogo de conflicto de versión');

    await dlg.getByRole('button', { name: 'Usar mis cambios' }).click();
    await dlg.waitFor({ state: 'detached' });
    await b.getByText('Cambios guardados').waitFor();
    const stored = (await (await first.get(`/api/v1/modules/unidades_especializadas/records/${rec.id}`)).json()) as Record<string, unknown>;
    expect({ nombre: stored.nombre_unidad, mujeres: stored.personal_mujeres, hombres: stored.personal_hombres, version: stored.version }).toEqual({
      nombre: theirs,
      mujeres: 7,
      hombres: 4,
      version: rec.version + 2,
    });
    expect(await b.locator('#campo-nombre_unidad').inputValue()).toBe(theirs);
    await shotPage(b, 'roles-16-conflicto-resuelto');
    await axe(b, 'formulario tras resolver el conflicto');
  });

  it('sesión que vence con un formulario a medias: aviso, diálogo para volver a entrar, la captura se conserva y se guarda', async () => {
    const IDLE = 20;
    const short = await startTraining({ port: await freePort(3390), env: { SINTRA_SESSION_IDLE_SEG: String(IDLE) } });
    try {
      const p = await page();
      await signIn(p, short.base, ENLACE);
      await p.goto(`${short.base}/m/unidades_especializadas/nuevo`);
      await heading(p, 'Nuevo registro');
      // On the page's clock: each key pressed and each time the expiry warning comes into the page.
      await p.evaluate(() => {
        const w = window as unknown as { lastKey: number; warned: number[] };
        w.lastKey = 0;
        w.warned = [];
        window.addEventListener('keydown', () => (w.lastKey = Date.now()), true);
        let open = false;
        new MutationObserver(() => {
          const now = [...document.querySelectorAll('[role="dialog"]')].some((d) => d.textContent?.includes('Su sesión está por cerrarse'));
          if (now && !open) w.warned.push(Date.now());
          open = now;
        }).observe(document.body, { childList: true, subtree: true });
      });
      // Typed with the keyboard (key events: the page counts them as activity).
      const nombre = 'Unidad de Investigación de Trata de Personas, Ecatepec';
      await p.locator('#campo-nombre_unidad').pressSequentially(nombre);
      await p.locator('#campo-personal_mujeres').pressSequentially('5');
      await p.locator('#campo-personal_hombres').pressSequentially('2');

      // No more activity: the warning comes before the end, then the sign-in dialog over the page.
      const warn = p.getByRole('dialog', { name: 'Su sesión está por cerrarse' });
      await warn.waitFor({ timeout: IDLE * 3000 });
      expect(await warn.textContent()).toMatch(/se cerrará en (\d+ min \d{2} s|\d+ s)\./);
      await p.waitForTimeout(1500);
      expect(await warn.isVisible()).toBe(true);
      // Someone who typed within the last half window is not warned (the session is extended without a word):
      // the warning never came, not even for an instant, while the typing was that recent.
      const clock = await p.evaluate(() => {
        const w = window as unknown as { lastKey: number; warned: number[] };
        return { lastKey: w.lastKey, warned: w.warned };
      });
      expect(clock.lastKey).toBeGreaterThan(0);
      expect(clock.warned.map((t) => t - clock.lastKey).filter((d) => d < (IDLE * 1000) / 2 - 500)).toEqual([]);
      await shotDialog(p, 'roles-17-sesion-aviso');
      await axe(p, 'aviso de sesión por vencer');
      const reauth = p.getByRole('dialog', { name: 'Inicie sesión para continuar' });
      await reauth.waitFor({ timeout: IDLE * 2000 });
      expect(await reauth.textContent()).toContain('Su sesión se cerró por inactividad');
      expect((await p.request.get(`${short.base}/api/v1/auth/me?peek=1`)).status()).toBe(401);
      await shotDialog(p, 'roles-18-sesion-vencida');
      await axe(p, 'diálogo para volver a iniciar sesión');

      await reauth.getByLabel('Contraseña').fill(DEMO_PASSWORD);
      await reauth.getByRole('button', { name: 'Iniciar sesión' }).click();
      await reauth.waitFor({ state: 'detached' });
      expect(await p.locator('#campo-nombre_unidad').inputValue()).toBe(nombre);
      expect(await p.locator('#campo-personal_mujeres').inputValue()).toBe('5');
      expect(await p.locator('#campo-personal_hombres').inputValue()).toBe('2');
      await p.getByRole('button', { name: 'Guardar borrador' }).click();
      await p.waitForURL(/\/m\/unidades_especializadas\/[0-9a-f-]{36}\/editar$/);
      const id = /\/([0-9a-f-]{36})\/editar$/.exec(p.url())![1];
      const stored = (await (await p.request.get(`${short.base}/api/v1/modules/unidades_especializadas/records/${id}`)).json()) as Record<string, unknown>;
      expect({ nombre: stored.nombre_unidad, mujeres: stored.personal_mujeres, hombres: stored.personal_hombres, estatus: stored.estatus }).toEqual({ nombre, mujeres: 5, hombres: 2, estatus: 'borrador' });
      await shotPage(p, 'roles-19-sesion-guardado');
      await axe(p, 'formulario guardado tras volver a iniciar sesión');
    } finally {
      await short.stop();
    }
  });
});
