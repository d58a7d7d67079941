// The main flows of SINTRA in Chromium, as its users go through them in SINTRA Capacitación: an enlace captures
// (one module with the keyboard alone, the whole victims form with a validation error fixed), imports a template
// with one error, a validador with a second factor validates and returns with a comment, the list is searched
// without accents and exported (files parsed), statistics and a map are opened, help is read. axe-core runs on
// every screen; screenshots go to test-output/screenshots/flujo-*.png.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { getModule } from '../../src/modules/index.js';
import type { FieldDef, Values } from '../../src/modules/types.js';
import { fieldCatalog } from '../../src/modules/types.js';
import { OUT, WEB_DIST, axe, ensureWebBuild, freePort, haveChromium, heading, launch, newContext, passwordBox, shot, signIn, startTraining, writeAxeReport, type Training } from './helpers.js';

const have = haveChromium();
const ENLACE = 'cap.enlace.e15-fge'; // Fiscalía General del Estado de México (entidad 15)
const VALIDADOR = 'cap.validador';
const SOPORTE = { SINTRA_SOPORTE_CORREO: 'soporte.sintra@capacitacion.example', SINTRA_SOPORTE_TELEFONO: '55 5128 0000 ext. 11234' };
const FIRST_SCREEN_LIMIT = 350 * 1024;

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

describe.skipIf(!have)('navegador: flujos principales en SINTRA Capacitación', () => {
  let env: Training;
  let browser: Browser;
  let enlaceCtx: BrowserContext;
  let enlace: Page;
  let validadorCtx: BrowserContext;
  let validador: Page;
  const labels = new Map<string, Map<string, string>>(); // catalog → code → label
  let unidadUrl = '';
  let unidadFolio = '';
  let victimaUrl = '';

  /** code → label of a catalog, read from the API with the page's session. */
  async function catalog(page: Page, name: string, entidad?: string): Promise<Map<string, string>> {
    const key = `${name}:${entidad ?? ''}`;
    const hit = labels.get(key);
    if (hit) return hit;
    const r = await page.request.get(`${env.base}/api/v1/catalogs/${name}${entidad ? `?entidad=${entidad}` : ''}`);
    expect(r.status(), `catálogo ${name}`).toBe(200);
    const map = new Map(((await r.json()) as { items: { code: string; label: string }[] }).items.map((i) => [i.code, i.label]));
    labels.set(key, map);
    return map;
  }

  const option = (page: Page, label: string) => page.getByRole('option', { name: new RegExp(`^${esc(label)}( \\(excluyente\\))?$`) });

  /** Fills one field of the record form the way a person does with the mouse and the keyboard. */
  async function fill(page: Page, f: FieldDef, v: unknown, values: Values): Promise<void> {
    const input = page.locator(`#campo-${f.key}`);
    switch (f.type) {
      case 'texto':
      case 'texto_largo':
      case 'url':
      case 'entero':
      case 'decimal':
        await input.fill(String(v));
        return;
      case 'fecha':
        await input.fill(dmy(String(v)));
        await input.press('Escape');
        return;
      case 'booleano':
        await page.locator(`#bloque-${f.key}`).getByRole('radio', { name: v ? 'Sí' : 'No', exact: true }).check();
        return;
      case 'catalogo':
      case 'entidad':
      case 'pais':
      case 'municipio': {
        const entidad = f.type === 'municipio' ? String(values[f.stateField ?? 'entidad_federativa']) : undefined;
        const label = (await catalog(page, fieldCatalog(f)!, entidad)).get(String(v));
        expect(label, `${f.key}=${String(v)}`).toBeTruthy();
        await input.click();
        await input.fill(label!);
        await option(page, label!).click();
        await expect.poll(() => input.inputValue(), { message: f.key }).toBe(label);
        return;
      }
      case 'catalogo_multiple': {
        const cat = await catalog(page, fieldCatalog(f)!);
        for (const code of v as string[]) {
          const label = cat.get(code)!;
          expect(label, `${f.key}=${code}`).toBeTruthy();
          await input.click();
          await input.fill(label);
          await option(page, label).click();
        }
        await input.press('Escape');
        return;
      }
      case 'archivo':
        throw new Error('sin archivos en este flujo');
    }
  }

  beforeAll(async () => {
    ensureWebBuild();
    env = await startTraining({ port: await freePort(3360), env: SOPORTE });
    browser = await launch();
    enlaceCtx = await newContext(browser);
    enlace = await enlaceCtx.newPage();
    validadorCtx = await newContext(browser);
    validador = await validadorCtx.newPage();
  });

  afterAll(async () => {
    writeAxeReport('flows');
    await enlaceCtx?.close();
    await validadorCtx?.close();
    await browser?.close();
    await env?.stop();
  });

  it('inicio de sesión (enlace) y primera pantalla: JavaScript inicial bajo 350 KB gzip', async () => {
    const scripts = new Set<string>();
    enlace.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.endsWith('.js')) scripts.add(u.pathname);
    });
    await enlace.goto(env.base);
    await enlace.getByLabel('Usuario').waitFor();
    await enlace.getByText('Ambiente de capacitación').first().waitFor();
    await expect.poll(() => enlace.title()).toMatch(/Capacitación/);
    await shot(enlace, 'flujo-01-inicio-sesion');
    await axe(enlace, 'inicio de sesión');
    // A wrong password: the error is announced (role=alert) and names what failed.
    await enlace.getByLabel('Usuario').fill(ENLACE);
    await passwordBox(enlace).fill('no-es-la-contraseña');
    await enlace.getByRole('button', { name: 'Entrar' }).click();
    await expect.poll(() => enlace.getByRole('alert').first().textContent()).toMatch(/contraseña|usuario/i);
    await signIn(enlace, env.base, ENLACE);
    await heading(enlace, /.+/);
    await enlace.waitForLoadState('networkidle');
    await shot(enlace, 'flujo-02-inicio-enlace');
    await axe(enlace, 'inicio (enlace)');

    // First screen = every script the login and home pages loaded, gzip-compressed as served.
    const sizes = [...scripts].map((p) => {
      const file = path.join(WEB_DIST, p.replace(/^\//, ''));
      const raw = fs.readFileSync(file);
      return { chunk: path.basename(p), raw: raw.length, gzip: zlib.gzipSync(raw, { level: 9 }).length };
    });
    const total = sizes.reduce((a, s) => a + s.gzip, 0);
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'bundle-primera-pantalla.json'), JSON.stringify({ total, sizes }, null, 2));
    console.log(`JS de la primera pantalla: ${(total / 1024).toFixed(1)} KB gzip en ${sizes.length} archivos: ${sizes.map((s) => `${s.chunk} ${(s.gzip / 1024).toFixed(1)} KB`).join(', ')}`);
    expect(sizes.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(FIRST_SCREEN_LIMIT);
  });

  it('captura con el teclado solamente: unidad especializada, de la primera casilla al envío', async () => {
    const m = getModule('unidades_especializadas')!;
    const ex = m.example;
    const want: Record<string, { text: string; pick?: boolean }> = {
      entidad_federativa: { text: (await catalog(enlace, 'entidad')).get('15')!, pick: true },
      nombre_unidad: { text: 'Unidad de Atención a Víctimas de Trata, región Querétaro–Toluca' },
      tipo_unidad: { text: (await catalog(enlace, 'tipo_unidad')).get(String(ex.tipo_unidad))!, pick: true },
      fecha_creacion: { text: dmy(String(ex.fecha_creacion)) },
      nivel: { text: (await catalog(enlace, 'nivel_personal')).get(String(ex.nivel))!, pick: true },
      cargo: { text: (await catalog(enlace, 'cargo_personal')).get(String(ex.cargo))!, pick: true },
      personal_mujeres: { text: '5' },
      personal_hombres: { text: '2' },
      personal_otro_ne: { text: '0' },
      personal_capacitado: { text: '6' },
    };
    await enlace.goto(`${env.base}/m/unidades_especializadas/nuevo`);
    await heading(enlace, 'Nuevo registro');
    await enlace.locator('#campo-nombre_unidad').waitFor();
    // A state institution's form starts with its state.
    await expect.poll(() => enlace.locator('#campo-entidad_federativa').inputValue()).toBe(want.entidad_federativa.text);
    const done = new Set<string>();
    let sent = false;
    // Tab through the page; type into the fields we want, choose options with the arrows and Enter.
    for (let i = 0; i < 250 && !sent; i++) {
      await enlace.keyboard.press('Tab');
      const el = await enlace.evaluate(() => {
        const a = document.activeElement as HTMLInputElement | null;
        return { id: a?.id ?? '', text: a?.textContent?.trim() ?? '', tag: a?.tagName ?? '', value: a?.value ?? '' };
      });
      const key = el.id.startsWith('campo-') ? el.id.slice(6) : null;
      if (key && want[key] && !done.has(key)) {
        const w = want[key];
        done.add(key);
        if (w.pick && el.value === w.text) continue;
        await enlace.keyboard.press('ControlOrMeta+a');
        await enlace.keyboard.type(w.text);
        if (w.pick) {
          // Walk the filtered options with the arrow keys until the wanted one is highlighted.
          let ok = false;
          for (let k = 0; k < 40 && !ok; k++) {
            await enlace.keyboard.press('ArrowDown');
            const hl = await enlace.locator('[role="option"][data-combobox-selected]').textContent().catch(() => null);
            ok = hl === w.text;
          }
          expect(ok, `opción «${w.text}» en ${key}`).toBe(true);
          await enlace.keyboard.press('Enter');
          await expect.poll(() => enlace.locator(`#campo-${key}`).inputValue()).toBe(w.text);
        } else if (key === 'fecha_creacion') await enlace.keyboard.press('Escape');
      } else if (el.tag === 'BUTTON' && el.text === 'Enviar a validación') {
        expect([...done].sort()).toEqual(Object.keys(want).sort());
        // The total is derived as the last figure is typed (it may take a render).
        await expect.poll(() => enlace.locator('#campo-personal_total').inputValue()).toBe('7');
        await shot(enlace, 'flujo-03-unidad-teclado');
        await axe(enlace, 'formulario de unidad especializada (lleno con teclado)');
        await enlace.keyboard.press('Enter');
        sent = true;
      }
    }
    expect(sent, 'el botón «Enviar a validación» se alcanza con Tab').toBe(true);
    await enlace.waitForURL(/\/m\/unidades_especializadas\/[0-9a-f-]{36}$/);
    await enlace.getByText('Enviado', { exact: true }).first().waitFor();
    unidadUrl = enlace.url();
    unidadFolio = (await enlace.getByRole('heading', { level: 1 }).textContent())!.trim();
    expect(unidadFolio).toMatch(/^[A-Z]+-/);
    await shot(enlace, 'flujo-04-unidad-enviada');
    await axe(enlace, 'registro enviado (unidad especializada)');
  });

  it('lo que no se puede usar se dice junto al campo: 3.5 en un conteo, una fecha que no existe o futura', async () => {
    const p = await enlace.context().newPage();
    await p.goto(`${env.base}/m/unidades_especializadas/nuevo`);
    await heading(p, 'Nuevo registro');
    const count = p.locator('#campo-personal_mujeres');
    await count.fill('3.5');
    await count.press('Tab');
    // Kept as typed (never 35), and the field's rule names the problem.
    expect(await count.inputValue()).toBe('3.5');
    await p.getByText('«Personal: mujeres» debe ser un número entero.').first().waitFor();
    await count.fill('-2');
    await count.press('Tab');
    expect(await count.inputValue()).toBe('-2');

    const date = p.locator('#campo-fecha_creacion');
    await date.fill('31/02/2026');
    await date.press('Tab');
    await p.getByText('«31/02/2026» no es una fecha válida: escríbala como día/mes/año, p. ej. 05/03/2026.').waitFor();
    await date.fill('15/01/2099');
    await date.press('Tab');
    await p.getByText(/^15\/01\/2099 es posterior a \d{2}\/\d{2}\/\d{4}: la fecha no puede ser futura\.$/).waitFor();
    // A short date with a two-digit year is understood.
    await date.fill('5/3/19');
    await date.press('Tab');
    await expect.poll(() => date.inputValue()).toBe('05/03/2019');
    expect(await p.getByText(/no es una fecha válida|no puede ser futura/).count()).toBe(0);
    await shot(p, 'flujo-03b-errores-junto-al-campo');
    await p.close();
  });

  it('víctimas: el formulario completo, un error de validación anunciado y corregido, y el envío', async () => {
    const m = getModule('victimas')!;
    const values: Values = { ...m.example, folio_persona: 'NAV-2026-0001', entidad_federativa: '15', canalizada_a: ['CEAV', 'SNDIF'] };
    await enlace.goto(`${env.base}/m/victimas`);
    await heading(enlace, m.name);
    await enlace.getByRole('link', { name: 'Nuevo registro' }).click();
    await heading(enlace, 'Nuevo registro');
    await enlace.locator('#campo-folio_persona').waitFor();

    // Help next to each input: the definition's help text is the input's description (aria-describedby).
    const missingHelp = await enlace.evaluate(
      (fs) =>
        fs.filter(([key, help]) => {
          const el = document.getElementById(`campo-${key}`);
          if (!el) return false; // not shown now (condition)
          const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
          return !ids.some((id) => document.getElementById(id)?.textContent?.includes(help));
        }).map(([k]) => k),
      m.fields.filter((f) => f.help).map((f) => [f.key, f.help!] as [string, string]),
    );
    expect(missingHelp).toEqual([]);
    expect(m.fields.filter((f) => !f.help).map((f) => f.key)).toEqual([]);

    // Metadata, then every field of the definition that has a value, in form order; «modalidades» left for later.
    const meta = ['entidad_federativa', 'periodo_anio', 'periodo_trimestre'];
    const metaDefs = (await import('../../src/modules/metadata.js')).METADATA_FIELDS;
    for (const k of meta) await fill(enlace, metaDefs.find((f) => f.key === k)!, values[k], values);
    let filled = 0;
    for (const f of m.fields) {
      const v = values[f.key];
      if (f.key === 'modalidades' || f.derive || v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
      await fill(enlace, f, v, values);
      filled++;
    }
    expect(filled).toBeGreaterThanOrEqual(38);
    await enlace.getByRole('button', { name: 'Enviar a validación' }).click();

    // Saved as a draft but not sent: the summary is an alert (announced) naming the missing field.
    const alert = enlace.getByRole('alert').filter({ hasText: 'no pudo enviarse' });
    await alert.waitFor();
    await expect.poll(() => alert.textContent()).toMatch(/Modalidad/);
    await enlace.waitForURL(/\/editar$/);
    const modal = enlace.locator('#campo-modalidades');
    await expect.poll(() => modal.getAttribute('aria-invalid')).toBe('true');
    await shot(enlace, 'flujo-05-victima-error');
    await axe(enlace, 'formulario de víctimas con error de validación');

    // The error's link takes the focus to the field; fixing it clears the message.
    await alert.getByRole('button', { name: /Modalidad/ }).first().click();
    await expect.poll(() => enlace.evaluate(() => document.activeElement?.id)).toBe('campo-modalidades');
    await fill(enlace, m.fields.find((f) => f.key === 'modalidades')!, values.modalidades, values);
    await expect.poll(() => modal.getAttribute('aria-invalid')).not.toBe('true');
    await enlace.getByRole('button', { name: 'Enviar a validación' }).click();
    await enlace.waitForURL(/\/m\/victimas\/[0-9a-f-]{36}$/);
    await enlace.getByText('Enviado', { exact: true }).first().waitFor();
    victimaUrl = enlace.url();

    // The record as stored: es-MX dates, labels (not codes), the whole route.
    const main = enlace.locator('main');
    await expect.poll(() => main.textContent()).toContain(dmy(String(values.fecha_identificacion)));
    // Labels come with the catalogs, which load after the record.
    await expect.poll(() => main.textContent()).toContain((await catalog(enlace, 'municipio', '15')).get('15033'));
    await shot(enlace, 'flujo-06-victima-enviada');
    const text = (await main.textContent())!;
    expect(text).toContain((await catalog(enlace, 'entidad', undefined)).get('15'));
    expect(text).toContain((await catalog(enlace, 'municipio', '15')).get('15033'));
    expect(text).toContain('NAV-2026-0001');
    await axe(enlace, 'registro de víctima enviado');
  });

  it('importar: la plantilla descargada, un archivo con un error que se reporta, y el archivo corregido', async () => {
    const m = getModule('unidades_especializadas')!;
    await enlace.goto(`${env.base}/m/unidades_especializadas`);
    await heading(enlace, m.name);
    await enlace.getByRole('button', { name: 'Importar' }).click();
    const [dl] = await Promise.all([enlace.waitForEvent('download'), enlace.getByRole('menuitem', { name: /Plantilla de Excel/ }).click()]);
    const tpl = path.join(OUT, 'plantilla-unidades.xlsx');
    await dl.saveAs(tpl);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(tpl);
    const names = wb.worksheets.map((w) => w.name);
    expect(names.slice(0, 2)).toEqual(['Datos', 'Instrucciones']);
    expect(names.some((n) => n.startsWith('Cat_'))).toBe(true);
    const datos = wb.getWorksheet('Datos')!;
    // Cell texts by column number (exceljs' row.values is sparse: map() would keep its holes).
    const header = Array.from({ length: datos.columnCount + 1 }, (_, i) => (i ? datos.getRow(1).getCell(i).text : ''));
    const col = (key: string) => header.findIndex((h) => h.includes(`[${key}]`));
    for (const f of m.fields) expect(col(f.key), f.key).toBeGreaterThan(0);

    // Two rows; the second has a date that does not exist.
    const row = (n: number, fecha: string) => {
      const r = datos.getRow(n);
      const v: Record<string, unknown> = { ...m.example, ambito: 'ESTATAL', entidad_federativa: '15', periodo_anio: 2025, periodo_trimestre: 2, nombre_unidad: `Unidad importada ${n} de Ecatepec`, fecha_creacion: fecha };
      delete v.institucion_id;
      for (const [k, x] of Object.entries(v)) {
        const c = col(k);
        if (c > 0 && x !== null && !(Array.isArray(x) && !x.length)) r.getCell(c).value = Array.isArray(x) ? x.join(';') : (x as string | number);
      }
      r.commit();
    };
    row(2, '15/03/2020');
    row(3, '31/02/2021');
    const bad = path.join(OUT, 'importacion-con-error.xlsx');
    await wb.xlsx.writeFile(bad);

    await enlace.getByRole('button', { name: 'Importar' }).click();
    await enlace.getByRole('menuitem', { name: /Importar un archivo/ }).click();
    await heading(enlace, /Importar/);
    const chooser = enlace.waitForEvent('filechooser');
    await enlace.getByRole('button', { name: 'Archivo', exact: true }).click();
    await (await chooser).setFiles(bad);
    await enlace.getByRole('button', { name: /^Importar/ }).last().click();
    const failed = enlace.getByRole('alert').filter({ hasText: 'No se guardó ningún registro' });
    await failed.waitFor();
    const table = enlace.getByRole('table');
    await expect.poll(() => table.textContent()).toMatch(/3.*Fecha de creación/s);
    await shot(enlace, 'flujo-07-importacion-error');
    await axe(enlace, 'importación con un error');

    datos.getRow(3).getCell(col('fecha_creacion')).value = '28/02/2021';
    const good = path.join(OUT, 'importacion-corregida.xlsx');
    await wb.xlsx.writeFile(good);
    const chooser2 = enlace.waitForEvent('filechooser');
    await enlace.getByRole('button', { name: 'Archivo', exact: true }).click();
    await (await chooser2).setFiles(good);
    await enlace.getByRole('button', { name: /^Importar/ }).last().click();
    await enlace.getByText('Importación completa').waitFor();
    await expect.poll(() => enlace.getByRole('status').filter({ hasText: 'Importación completa' }).textContent()).toMatch(/2/);
    await shot(enlace, 'flujo-08-importacion-completa');
    await axe(enlace, 'importación completa');
  });

  it('validador con segundo factor: valida la víctima y devuelve la unidad con un comentario', async () => {
    await signIn(validador, env.base, VALIDADOR);
    await shot(validador, 'flujo-09-inicio-validador');
    await axe(validador, 'inicio (validador)');

    await validador.goto(victimaUrl);
    await validador.getByRole('button', { name: 'Validar' }).click();
    const dlg = validador.getByRole('dialog', { name: 'Validar registro' });
    await dlg.waitFor();
    await axe(validador, 'diálogo de validación');
    await dlg.getByRole('button', { name: 'Validar' }).click();
    await validador.getByText('Validado', { exact: true }).first().waitFor();
    // The record page names who sent and validated it, never their ids.
    const aside = validador.getByRole('complementary');
    await expect.poll(() => aside.textContent()).toMatch(/Validado.*por .+\(cap\.validador\)/s);
    expect(await aside.textContent()).toMatch(/Enviado a validación.*por .+\(cap\.enlace\.e15-fge\)/s);
    expect(await aside.textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await shot(validador, 'flujo-10-victima-validada');

    await validador.goto(unidadUrl);
    await validador.getByRole('button', { name: 'Devolver' }).click();
    const ret = validador.getByRole('dialog', { name: 'Devolver a la institución' });
    await ret.getByLabel('Observaciones para la institución').fill('Precise la fecha de creación con el acuerdo de creación de la unidad.');
    await shot(validador, 'flujo-11-devolver');
    await axe(validador, 'diálogo de devolución');
    await ret.getByRole('button', { name: 'Devolver' }).click();
    await validador.getByText('Devuelto', { exact: true }).first().waitFor();

    // The enlace sees the comment on the record and in the form.
    await enlace.goto(unidadUrl);
    await enlace.getByText('Devuelto con observaciones').waitFor();
    await expect.poll(() => enlace.locator('main').textContent()).toContain('Precise la fecha de creación');
    await shot(enlace, 'flujo-12-unidad-devuelta');
    await axe(enlace, 'registro devuelto (enlace)');
  });

  it('búsqueda sin acentos y exportación de la lista a CSV y XLSX', async () => {
    const m = getModule('unidades_especializadas')!;
    await validador.goto(`${env.base}/m/unidades_especializadas`);
    await heading(validador, m.name);
    await validador.getByLabel('Buscar').fill('atencion a victimas de trata, region queretaro');
    await validador.getByLabel('Buscar').press('Enter');
    const rows = validador.locator('main table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain(unidadFolio);
    // The status reads whole (never «Envi…») and is in view without scrolling sideways.
    const badge = rows.first().locator('.mantine-Badge-label');
    expect(await badge.textContent()).toBe('Devuelto'); // returned by the validator in an earlier step
    expect(await badge.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    const box = await badge.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(validador.viewportSize()!.width);
    await shot(validador, 'flujo-13-busqueda-sin-acentos');
    await axe(validador, 'lista con búsqueda');

    await validador.getByRole('button', { name: 'Exportar' }).click();
    const [x] = await Promise.all([validador.waitForEvent('download'), validador.getByRole('menuitem', { name: /Excel/ }).click()]);
    const xlsx = path.join(OUT, 'exportacion-unidades.xlsx');
    await x.saveAs(xlsx);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const cells = wb.worksheets.flatMap((ws) => {
      const out: string[] = [];
      ws.eachRow((r) => r.eachCell((c) => out.push(String(c.text))));
      return out;
    });
    expect(cells).toContain(unidadFolio);
    expect(cells).toContain('Unidad de Atención a Víctimas de Trata, región Querétaro–Toluca');
    expect(cells.filter((c) => /^UES?-|^[A-Z]{2,5}-\d/.test(c) && c !== unidadFolio && c.startsWith(unidadFolio.split('-')[0]))).toEqual([]);

    await validador.getByRole('button', { name: 'Exportar' }).click();
    const [c] = await Promise.all([validador.waitForEvent('download'), validador.getByRole('menuitem', { name: /CSV/ }).click()]);
    const csvPath = path.join(OUT, 'exportacion-unidades.csv');
    await c.saveAs(csvPath);
    const raw = fs.readFileSync(csvPath);
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const recs = parseCsv(raw.subarray(3).toString('utf8'), { columns: true, skip_empty_lines: true, delimiter: [',', ';'] }) as Record<string, string>[];
    expect(recs).toHaveLength(1);
    expect(Object.values(recs[0])).toContain(unidadFolio);
    expect(Object.values(recs[0])).toContain('Unidad de Atención a Víctimas de Trata, región Querétaro–Toluca');
  });

  it('estadísticas y mapa: tabulado de víctimas y coropleta de las entidades, cifras en formato es-MX', async () => {
    await validador.goto(`${env.base}/estadisticas`);
    await heading(validador, /Estadísticas/);
    await validador.locator('main table').first().waitFor();
    await validador.waitForLoadState('networkidle');
    await shot(validador, 'flujo-14-estadisticas');
    await axe(validador, 'estadísticas de víctimas');

    await validador.goto(`${env.base}/incidencia`);
    await heading(validador, /Incidencia/);
    const map = validador.locator('[role="img"]').filter({ has: validador.locator('canvas') }).first();
    await map.waitFor();
    await validador.waitForLoadState('networkidle');
    // Figures as Mexican users write them: thousands with a comma (1,155), never 1155, 1.155 or 1 155. A year's
    // national total of SESNSP trafficking victims is in the hundreds, so every figure cell is checked.
    const cells = validador.locator('main table').first().locator('tbody td, tfoot td');
    await expect.poll(() => cells.count()).toBeGreaterThan(32);
    const figures = (await cells.allTextContents()).map((t) => t.trim());
    expect(figures.filter((t) => !/^\d{1,3}(,\d{3})*$/.test(t))).toEqual([]);
    await shot(validador, 'flujo-15-mapa-incidencia');
    await axe(validador, 'incidencia delictiva (mapa)');
  });

  it('página del registro: nombres de quien capturó y los archivos adjuntos (nombre, tamaño, tipo)', async () => {
    const list = await validador.request.get(`${env.base}/api/v1/modules/capacitacion/records?limit=5`);
    expect(list.status()).toBe(200);
    const item = ((await list.json()) as { items: { id: string; evidencia: string[] }[] }).items.find((r) => r.evidencia?.length);
    expect(item, 'un registro de capacitación con evidencia (demo seed)').toBeTruthy();
    const rec = (await (await validador.request.get(`${env.base}/api/v1/modules/capacitacion/records/${item!.id}`)).json()) as { adjuntos: Record<string, { name: string }>; usuarios: Record<string, string> };
    await validador.goto(`${env.base}/m/capacitacion/${item!.id}`);
    const main = validador.locator('main');
    const att = rec.adjuntos[item!.evidencia[0]];
    await main.getByRole('link', { name: att.name }).waitFor();
    expect(await main.textContent()).toMatch(new RegExp(`${esc(att.name)} \\([\\d.,]+ (B|KB), PDF\\)`));
    expect(await main.getByRole('complementary').textContent()).toContain(`por ${Object.values(rec.usuarios)[0]}`);
    await shot(validador, 'flujo-16-registro-adjuntos');
    await axe(validador, 'registro con adjuntos');
  });

  it('ayuda: el manual del módulo desde su lista, y la página de soporte sin ser administrador ni tener sesión', async () => {
    await enlace.goto(`${env.base}/m/victimas`);
    await enlace.getByRole('link', { name: 'Manual' }).click();
    await heading(enlace, 'Manual: Atención a víctimas');
    const main = enlace.locator('main');
    await main.getByRole('heading', { name: 'Reglas entre campos y con otros registros' }).waitFor();
    await main.getByText('Fecha de identificación o primer contacto').first().waitFor();
    await main.getByText(/modalidad_explotacion \(\d+ opciones/).waitFor();
    await shot(enlace, 'flujo-17-manual-victimas');
    await axe(enlace, 'manual del módulo de víctimas');

    await enlace.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Ayuda y soporte' }).click();
    await heading(enlace, 'Ayuda y soporte');
    await main.getByRole('link', { name: SOPORTE.SINTRA_SOPORTE_CORREO }).waitFor();
    expect(await main.textContent()).toContain(SOPORTE.SINTRA_SOPORTE_TELEFONO);
    await shot(enlace, 'flujo-18-soporte');
    await axe(enlace, 'ayuda y soporte (enlace)');

    const anon = await newContext(browser);
    const p = await anon.newPage();
    await p.goto(env.base);
    await p.getByRole('link', { name: 'Ayuda y soporte' }).click();
    await heading(p, 'Ayuda y soporte');
    await p.getByRole('link', { name: SOPORTE.SINTRA_SOPORTE_CORREO }).waitFor();
    await shot(p, 'flujo-19-soporte-sin-sesion');
    await axe(p, 'ayuda y soporte (sin sesión)');
    await anon.close();
  });
});
