// Shared by the browser tests: a real SINTRA Capacitación server on a fresh data directory (demo seed), Debian's
// Chromium through playwright-core, axe-core checks recorded per page, screenshots under test-output/.
// Without /usr/bin/chromium the tests skip with one line (they fail when REQUIRE_BROWSER_TESTS=1, as in CI).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { generate } from 'otplib';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUT = path.join(ROOT, 'test-output');
export const SHOTS = path.join(OUT, 'screenshots');
export const WEB_DIST = path.join(ROOT, 'dist/web');
/** The training password of every demo user (src/server/demo/seed.ts). */
export const DEMO_PASSWORD = 'Practica-Capacitacion-Trata-2026';

/** True when Chromium is there; otherwise prints the one line (or throws under REQUIRE_BROWSER_TESTS=1). */
export function haveChromium(): boolean {
  if (fs.existsSync(CHROMIUM)) return true;
  if (process.env.REQUIRE_BROWSER_TESTS === '1') throw new Error(`Falta ${CHROMIUM}: instálelo con apt-get install -y chromium`);
  console.log(`Pruebas de navegador omitidas: falta ${CHROMIUM} (instálelo con: apt-get install -y chromium)`);
  return false;
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the web client when dist/web is missing or older than its sources (a stale bundle tests old screens). */
export function ensureWebBuild(): void {
  const index = path.join(WEB_DIST, 'index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(...['src/web', 'src/modules', 'src/catalogs'].map((d) => newestMtime(path.join(ROOT, d))), fs.statSync(path.join(ROOT, 'vite.config.ts')).mtimeMs);
  if (built >= sources) return;
  const b = spawnSync('npx', ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('vite build falló');
}

/** A free port, first looking in the range this suite was given (so parallel work on the machine does not collide). */
export async function freePort(from = 3350, to = 3399): Promise<number> {
  const tryPort = (p: number) =>
    new Promise<number | null>((res) => {
      const s = net.createServer();
      s.once('error', () => res(null));
      s.listen(p, '127.0.0.1', () => s.close(() => res(p)));
    });
  for (let p = from; p <= to; p++) {
    const ok = await tryPort(p);
    if (ok) return ok;
  }
  const any = await tryPort(0);
  if (any === null) throw new Error('sin puertos libres');
  return any;
}

export interface Training {
  base: string;
  server: ChildProcess;
  dataDir: string;
  stop: () => Promise<void>;
}

/** Seeds a training environment (`demo seed`) on a fresh data directory and starts the server on it. */
export async function startTraining(opts: { records?: number; seed?: number; port?: number; env?: Record<string, string> } = {}): Promise<Training> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-browser-'));
  const port = opts.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    SINTRA_DATA_DIR: dataDir,
    SINTRA_AMBIENTE: 'capacitacion',
    PORT: String(port),
    HOST: '127.0.0.1',
    SINTRA_LOAD_SESNSP: '1',
    SINTRA_ADMIN_PASSWORD: 'Clave-De-Prueba-2026',
    SINTRA_DUPLICADOS_INTERVALO_MIN: '0',
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const seed = spawnSync('node', ['--import', 'tsx', 'src/cli.ts', 'demo', 'seed', '--records', String(opts.records ?? 12), '--seed', String(opts.seed ?? 5)], { cwd: ROOT, env, encoding: 'utf8' });
  if (seed.status !== 0) throw new Error(`demo seed: ${seed.stderr}`);
  const server = spawn('node', ['--import', 'tsx', 'src/server/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600 || server.exitCode !== null) throw new Error('el servidor no arrancó');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    base,
    server,
    dataDir,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((r) => server.once('exit', r));
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A context as a Mexican user's browser: es-MX, Mexico City time, downloads kept. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  // Reduced motion: charts are drawn at once, so a screenshot shows them finished, not mid-animation.
  return browser.newContext({ locale: 'es-MX', timezoneId: 'America/Mexico_City', acceptDownloads: true, viewport: { width: 1366, height: 900 }, reducedMotion: 'reduce' });
}

export interface AxeRow {
  page: string;
  violations: number;
  serious: number;
  ids: string[];
}
/** Every axe run of this test file, written to test-output/axe-<file>.json by writeAxeReport. */
export const axeRows: AxeRow[] = [];

/** No serious or critical axe-core violation on the page as it is now (WCAG 2.1 AA rules included). */
export async function axe(page: Page, name: string): Promise<void> {
  // A dialog or menu still fading in has half-transparent text: axe would measure its contrast mid-transition.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 }).catch(() => undefined);
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  axeRows.push({ page: name, violations: r.violations.length, serious: bad.length, ids: r.violations.map((v) => `${v.id}(${v.impact})`) });
  expect(bad.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`), name).toEqual([]);
}

export function writeAxeReport(file: string): void {
  if (!axeRows.length) return;
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `axe-${file}.json`), JSON.stringify(axeRows, null, 2));
  console.log(axeRows.map((r) => `axe ${r.page}: ${r.violations} violaciones, ${r.serious} graves o críticas${r.ids.length ? ` [${r.ids.join(', ')}]` : ''}`).join('\n'));
}

/** Full-page screenshot under test-output/screenshots/<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Waits until the page's main heading (h1) reads `text` (the router loads screens on demand). */
export async function heading(page: Page, text: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text }).waitFor();
}

/** TOTP secrets the tests enrolled, per user, with the last time step used (a code serves once). */
const secrets = new Map<string, { secret: string; lastStep: number }>();

async function nextCode(username: string): Promise<string> {
  const t = secrets.get(username)!;
  const now = Math.floor(Date.now() / 30_000);
  const step = Math.max(now, t.lastStep + 1);
  if (step > now + 1) await new Promise((res) => setTimeout(res, (step - 1) * 30_000 - Date.now() + 50));
  t.lastStep = step;
  return generate({ secret: t.secret, epoch: step * 30 });
}

/** The login password box: Mantine's label reads «Contraseña *» (required mark), so it is found by its autocomplete. */
export function passwordBox(page: Page) {
  return page.locator('input[autocomplete="current-password"]');
}

/**
 * Signs in through the login screen. Roles with a second factor enrol it on the screen the first time (reading the
 * key shown under the QR code, as a person would type it into an authenticator app) and type a fresh code later.
 */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Usuario').fill(username);
  await passwordBox(page).fill(password);
  if (secrets.has(username)) {
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
    secrets.set(username, { secret, lastStep: Math.floor(Date.now() / 30_000) });
    await page.getByLabel('Código de 6 dígitos').fill(await generate({ secret }));
    await page.getByRole('button', { name: 'Activar' }).click();
    await page.getByText('Verificación activada').waitFor();
    await page.getByRole('button', { name: 'Continuar' }).click();
  }
  await shell.waitFor();
}

export async function signOut(page: Page, fullName: RegExp | string = /Cuenta de/): Promise<void> {
  await page.getByRole('button', { name: fullName }).click();
  await page.getByRole('menuitem', { name: 'Cerrar sesión' }).click();
  await page.getByLabel('Usuario').waitFor();
}
