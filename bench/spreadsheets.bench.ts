// Spreadsheets in and out, at size: an import of 100,000 rows (CSV and XLSX, every row checked by the form's
// rules, one transaction each) and an export of 1,000,000 rows (CSV and XLSX, streamed), through the real
// HTTP server, as an institution's liaison. Prints rows per second and the process's peak memory (RSS and
// JS heap) next to its level before each step: a flat export shows the same peak at any size.
//
// Options: --db pglite|postgresql (default pglite; PostgreSQL from BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres), --import-rows 100000,
// --export-rows 1000000.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { createUser, login, setup } from '../test/helpers.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const DB = arg('db', 'pglite') as 'pglite' | 'postgresql';
const IMPORT_ROWS = Number(arg('import-rows', '100000'));
const EXPORT_ROWS = Number(arg('export-rows', '1000000'));
if (DB === 'postgresql') process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const MB = 1024 * 1024;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Samples the process's memory while a step runs. */
async function measured<T>(label: string, rows: number, fn: () => Promise<T>): Promise<T> {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let rss = before.rss;
  let heap = before.heapUsed;
  let live = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  }, 20);
  // What the step really holds: the heap right after a full collection, once a second (garbage that V8 has
  // not yet collected inflates the plain peak).
  const gc = (globalThis as { gc?: () => void }).gc;
  const liveTimer = setInterval(() => {
    if (!gc) return;
    gc();
    live = Math.max(live, process.memoryUsage().heapUsed);
  }, 1000);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out = await fn();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  clearInterval(timer);
  clearInterval(liveTimer);
  // CPU time of this process too: on a busy machine the wall time includes waiting for a core.
  console.log(
    `${label.padEnd(34)} ${fmt(rows).padStart(9)} filas  ${s.toFixed(1).padStart(6)} s  ${fmt(rows / s).padStart(7)} filas/s  ` +
      `(CPU ${cpuS.toFixed(1)} s)  ` +
      `RSS ${fmt(before.rss / MB)} → pico ${fmt(rss / MB)} MB  heap ${fmt(before.heapUsed / MB)} → pico ${fmt(heap / MB)} MB (vivo tras GC: pico ${gc ? fmt(live / MB) : '?'} MB)`,
  );
  return out;
}

const TIPOS = ['Curso', 'TALLER', 'diplomado', 'Conferencia', 'SEMINARIO'];
const TEMAS = ['MARCO_JURIDICO', 'IDENTIFICACION', 'ATENCION', 'Investigación y persecución del delito', 'PREVENCION'];

/** A valid capacitación row as people type it: labels and codes mixed, dd/mm/aaaa dates, decimal commas. */
function row(i: number): Record<string, string | number | Date> {
  const d = 1 + (i % 28);
  const mo = 1 + (i % 12);
  const m = 1 + (i % 40);
  const h = i % 25;
  return {
    periodo_anio: 2024,
    periodo_trimestre: Math.floor((mo - 1) / 3) + 1,
    nombre_evento: `Taller de identificación de víctimas núm. ${i}`,
    tipo_evento: TIPOS[i % TIPOS.length],
    proposito: i % 2 ? 'CAPACITACION' : 'Sensibilización (conciencia sobre el problema)',
    modalidad: 'presencial',
    fecha_inicio: `${String(d).padStart(2, '0')}/${String(mo).padStart(2, '0')}/2024`,
    fecha_fin: `2024-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
    duracion_horas: `${4 + (i % 6)},5`,
    sede: `Auditorio ${i % 300}, Ciudad de México`,
    instancia_imparte: 'Fiscalía Especializada en Trata de Personas',
    poblacion_objetivo: 'SP_FEDERAL; Personal de salud',
    temas: `${TEMAS[i % TEMAS.length]}|${TEMAS[(i + 1) % TEMAS.length]}`,
    participantes_mujeres: m,
    participantes_hombres: h,
    participantes_otra_identidad: 0,
    participantes_sexo_ne: i % 3,
    participantes_servidores_publicos: m,
    orden_gobierno_participantes: 'FEDERAL',
    evaluacion_aplicada: 'No',
    tipo_reconocimiento: 'NINGUNO',
    fuente_financiamiento: 'RECURSOS_PROPIOS',
    observaciones: i % 10 === 0 ? 'Sesión con niñas y niños de la comunidad; se entregaron materiales en náhuatl.' : '',
  };
}

function csvFile(n: number): Buffer {
  const keys = Object.keys(row(0));
  const q = (v: unknown) => {
    const s = String(v);
    return /[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [keys.join(';')];
  for (let i = 0; i < n; i++) {
    const r = row(i);
    lines.push(keys.map((k) => q(r[k])).join(';'));
  }
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

async function xlsxFile(n: number): Promise<Buffer> {
  const keys = Object.keys(row(0));
  const chunks: Buffer[] = [];
  const out = new (await import('node:stream')).PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Datos');
  ws.addRow(keys).commit();
  for (let i = 0; i < n; i++) {
    const r = row(i);
    // Typed cells, as Excel saves them: real dates and numbers.
    r.fecha_inicio = new Date(Date.UTC(2024, (1 + (i % 12)) - 1, 1 + (i % 28)));
    r.duracion_horas = 4.5 + (i % 6);
    ws.addRow(keys.map((k) => r[k])).commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

/** Fills the module table up to `total` rows straight in SQL (the export's input, not what is measured). */
async function seed(q: { query: (s: string, p?: unknown[]) => Promise<unknown[]> }, from: number, total: number) {
  for (let start = from; start < total; start += 100_000) {
    const end = Math.min(total, start + 100_000);
    await q.query(
      `insert into m_capacitacion (folio_sintra, institucion_id, ambito, periodo_anio, periodo_trimestre, estatus, nombre_evento, tipo_evento, proposito,
         modalidad, fecha_inicio, fecha_fin, duracion_horas, sede, instancia_imparte, poblacion_objetivo, temas, participantes_mujeres, participantes_hombres,
         participantes_otra_identidad, participantes_sexo_ne, participantes_total, participantes_servidores_publicos, evaluacion_aplicada, tipo_reconocimiento,
         fuente_financiamiento, observaciones, fecha_principal, search_text)
       select 'CAP-2023-' || lpad(g::text, 7, '0'), 'FGR', 'FEDERAL', 2024, 1 + g % 4, (array['borrador','enviado','validado'])[1 + g % 3],
         case when g % 1000 = 0 then '=SUMA(A1:A9) evento ' || g else 'Curso de prevención de la trata núm. ' || g end,
         (array['CURSO','TALLER','DIPLOMADO','CONFERENCIA'])[1 + g % 4], 'CAPACITACION', 'PRESENCIAL',
         date '2024-01-01' + g % 300, date '2024-01-02' + g % 300, 4.5 + g % 6, 'Auditorio ' || g % 300, 'Fiscalía Especializada',
         array['SP_FEDERAL','SALUD'], array['MARCO_JURIDICO','IDENTIFICACION'], 1 + g % 40, g % 25, 0, g % 3, 1 + g % 40 + g % 25 + g % 3, 1 + g % 40,
         g % 2 = 0, 'NINGUNO', 'RECURSOS_PROPIOS', case when g % 10 = 0 then 'Sesión con niñas y niños 😀 en la comunidad' end,
         date '2024-01-01' + g % 300, 'curso de prevencion ' || g
         from generate_series($1::int, $2::int) g`,
      [start + 1, end],
    );
  }
}

async function main() {
  console.log(`SINTRA — bench de hojas de cálculo (${DB}); Node ${process.version}`);
  const env = await setup(DB);
  try {
    await createUser(env.ctx, { username: 'enlace_bench', role: 'enlace', institucion_id: 'FGR' });
    const cookie = await login(env.app, 'enlace_bench');
    const base = await env.app.listen({ port: 0, host: '127.0.0.1' });

    async function importFile(name: string, data: Buffer) {
      const fd = new FormData();
      fd.append('file', new Blob([new Uint8Array(data)]), name);
      const r = await fetch(`${base}/api/v1/modules/capacitacion/imports`, { method: 'POST', body: fd, headers: { cookie } });
      const body = (await r.json()) as { imported?: number; detail?: string; errors?: unknown[] };
      if (r.status !== 201) throw new Error(`importación ${name}: ${r.status} ${body.detail} ${JSON.stringify(body.errors?.slice(0, 3))}`);
      return body.imported!;
    }

    const csv = csvFile(IMPORT_ROWS);
    const xlsx = await xlsxFile(IMPORT_ROWS);
    console.log(`archivos: CSV ${(csv.length / MB).toFixed(1)} MB, XLSX ${(xlsx.length / MB).toFixed(1)} MB`);
    const n1 = await measured('importación CSV (todo o nada)', IMPORT_ROWS, () => importFile('bench.csv', csv));
    const n2 = await measured('importación XLSX (todo o nada)', IMPORT_ROWS, () => importFile('bench.xlsx', xlsx));
    if (n1 !== IMPORT_ROWS || n2 !== IMPORT_ROWS) throw new Error(`se esperaban ${IMPORT_ROWS} filas por archivo; se importaron ${n1} y ${n2}`);

    const have = 2 * IMPORT_ROWS;
    // The imported rows are already there: a smaller --export-rows exports those (never fewer).
    const exportRows = Math.max(EXPORT_ROWS, have);
    const t0 = performance.now();
    await seed(env.ctx.db, have, exportRows);
    await env.ctx.db.query('analyze m_capacitacion');
    console.log(`(tabla llenada hasta ${fmt(exportRows)} filas en ${((performance.now() - t0) / 1000).toFixed(0)} s)`);

    for (const format of ['csv', 'xlsx'] as const) {
      await measured(`exportación ${format.toUpperCase()} (en flujo)`, exportRows, async () => {
        const r = await fetch(`${base}/api/v1/modules/capacitacion/export?format=${format}`, { headers: { cookie } });
        if (r.status !== 200) throw new Error(`exportación ${format}: ${r.status} ${await r.text()}`);
        if (Number(r.headers.get('x-sintra-filas')) !== exportRows) throw new Error(`x-sintra-filas = ${r.headers.get('x-sintra-filas')}`);
        let bytes = 0;
        let lines = 0;
        for await (const chunk of Readable.fromWeb(r.body as import('node:stream/web').ReadableStream<Uint8Array>)) {
          const b = chunk as Buffer;
          bytes += b.length;
          if (format === 'csv') for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) lines++;
        }
        if (format === 'csv' && lines !== exportRows + 1) throw new Error(`el CSV tiene ${lines - 1} filas de datos, no ${exportRows}`);
        console.log(`  ${format.toUpperCase()}: ${(bytes / MB).toFixed(0)} MB recibidos`);
      });
    }
  } finally {
    await env.close();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
