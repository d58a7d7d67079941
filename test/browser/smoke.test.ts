// A real server and Debian's Chromium: the training environment's sign-in and first screen, with axe-core.
// Without /usr/bin/chromium the suite skips with one line (fails when REQUIRE_BROWSER_TESTS=1, as in CI).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(import.meta.dirname, '../..');
const SHOTS = path.join(ROOT, 'test-output/screenshots');
const have = fs.existsSync(CHROMIUM);
if (!have) {
  if (process.env.REQUIRE_BROWSER_TESTS === '1') throw new Error(`Falta ${CHROMIUM}: instálelo con apt-get install -y chromium`);
  console.log(`Pruebas de navegador omitidas: falta ${CHROMIUM} (instálelo con: apt-get install -y chromium)`);
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => res(p));
    });
    s.on('error', rej);
  });
}

/** No serious or critical axe-core violation on the page as it is now. */
async function axe(page: Page, name: string) {
  const r = await new AxeBuilder({ page }).analyze();
  const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`axe ${name}: ${r.violations.length} violaciones (${bad.length} graves o críticas)`);
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), name).toEqual([]);
}

describe.skipIf(!have)('navegador: ambiente de capacitación', () => {
  let server: ChildProcess;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-browser-'));

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    if (!fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) {
      const b = spawnSync('npx', ['vite', 'build', '--config', 'vite.config.ts'], { cwd: ROOT, stdio: 'inherit' });
      if (b.status !== 0) throw new Error('vite build falló');
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env = { ...process.env, SINTRA_DATA_DIR: dataDir, SINTRA_AMBIENTE: 'capacitacion', PORT: String(port), HOST: '127.0.0.1', SINTRA_LOAD_SESNSP: '1', SINTRA_ADMIN_PASSWORD: 'Clave-De-Prueba-2026', LOG_LEVEL: 'warn' };
    const seed = spawnSync('node', ['--import', 'tsx', 'src/cli.ts', 'demo', 'seed', '--records', '12', '--seed', '5'], { cwd: ROOT, env, encoding: 'utf8' });
    if (seed.status !== 0) throw new Error(`demo seed: ${seed.stderr}`);
    server = spawn('node', ['--import', 'tsx', 'src/server/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/v1/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 600 || server.exitCode !== null) throw new Error('el servidor no arrancó');
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ locale: 'es-MX', acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('inicio de sesión y primera pantalla: aviso de capacitación, sin violaciones graves de accesibilidad', async () => {
    const page = await context.newPage();
    await page.goto(base);
    await page.getByLabel('Usuario').waitFor();
    await page.getByText('Ambiente de capacitación').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'login.png'), fullPage: true });
    await axe(page, 'inicio de sesión');
    await page.getByLabel('Usuario').fill('cap.consulta');
    await page.getByLabel('Contraseña').fill('Practica-Capacitacion-Trata-2026');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByLabel('Usuario').waitFor({ state: 'detached' });
    await page.getByText('Ambiente de capacitación').first().waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'inicio-consulta.png'), fullPage: true });
    await axe(page, 'inicio (consulta)');
    await page.close();
  });
});
