// `npm run bench -- report [--registros 10000] [--pdf-dir dir]`: time of the annual report for a year of N
// validated records (60 % victims from the realistic generator, the rest spread over the other eleven
// modules as variations of each module's complete example), on the embedded database, or on PostgreSQL
// with DATABASE_URL. Prints the time of each stage: snapshot, figures, DOCX, PDF.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { loadTerritory } from '../src/catalogs/territory.js';
import { MODULES } from '../src/modules/index.js';
import { mainDateOf } from '../src/modules/validate.js';
import type { Actor } from '../src/server/auth/actor.js';
import { closeContext, createContext, ensureAdmin } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { generateAnnual } from '../src/server/reports/service.js';
import { generateVictims, insertVictims, rng, type Institution } from './victims.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('--registros') ?? 10_000);
const outDir = arg('--pdf-dir');

const states = Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0'));
const list: Institution[] = [
  ...['FGR', 'INM', 'CEAV', 'SNDIF', 'SEGOB', 'SSPC'].map((c): Institution => ({ codigo: c, ambito: 'FEDERAL', entidad: null })),
  ...states.map((e): Institution => ({ codigo: `FGE_${e}`, ambito: 'ESTATAL', entidad: e })),
];

const config = loadConfig({ ...process.env, SINTRA_ADMIN_PASSWORD: process.env.SINTRA_ADMIN_PASSWORD ?? 'Clave-De-Bench-2026', LOG_LEVEL: 'silent', SINTRA_LOAD_SESNSP: '0' });
const ctx = await createContext(config, { memory: !config.DATABASE_URL, log: { ...console, info: () => undefined } as Console });
await ensureAdmin(ctx.db, config);
for (const i of list.filter((x) => x.ambito !== 'FEDERAL'))
  await ctx.db.query(`insert into institucion (codigo, nombre, ambito, entidad) values ($1, $2, $3, $4) on conflict (codigo) do nothing`, [i.codigo, `Fiscalía General del Estado ${i.entidad}`, i.ambito, i.entidad]);
await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);

const t0 = Date.now();
const municipios: Record<string, string[]> = {};
for (const m of loadTerritory().municipio.items) (municipios[m.parent as string] ??= []).push(m.code);
const nVict = Math.round(N * 0.6);
const victims = generateVictims(nVict, { seed: 2024, from: '2024-01-01', to: '2024-12-31', institutions: list, municipios, fates: { validado: 100, enviado: 0, borrador: 0, devuelto: 0, eliminado: 0 } });
await insertVictims(ctx.db, victims, [
  ...['institucion_id', 'ambito', 'entidad_federativa', 'municipio', 'periodo_anio', 'periodo_trimestre', 'pn_acciones'],
  ...MODULES.find((m) => m.key === 'victimas')!.fields.flatMap((f) => (f.otro ? [f.key, `${f.key}_otro`] : [f.key])),
]);

// The other modules: their examples, dated across the year and spread over institutions and states.
const r = rng(7);
const others = MODULES.filter((m) => m.key !== 'victimas');
const per = Math.floor((N - nVict) / others.length);
for (const m of others) {
  const rows: Record<string, unknown>[] = [];
  for (let k = 0; k < per; k++) {
    const inst = r.pick(list);
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(r.next() * 365) * 86_400_000).toISOString().slice(0, 10);
    const v: Record<string, unknown> = { ...m.example, institucion_id: inst.codigo };
    if (inst.ambito === 'ESTATAL' && m.key !== 'comisiones') Object.assign(v, { ambito: 'ESTATAL', entidad_federativa: inst.entidad, municipio: null });
    if (m.mainDate in v && typeof v[m.mainDate] === 'string') v[m.mainDate] = day;
    if (m.key === 'comisiones') Object.assign(v, { clave_acuerdo: `B-${k}`, fecha_compromiso: day < '2024-12-01' ? null : day, estado_seguimiento: r.pick(['PENDIENTE', 'EN_PROCESO', 'CUMPLIDO']) });
    if (m.key === 'comisiones' && v.estado_seguimiento !== 'CUMPLIDO') Object.assign(v, { fecha_cumplimiento: null, porcentaje_avance: v.estado_seguimiento === 'PENDIENTE' ? 0 : 50 });
    if (m.key === 'comisiones' && v.estado_seguimiento === 'CUMPLIDO') Object.assign(v, { fecha_cumplimiento: day, porcentaje_avance: 100 });
    for (const end of ['fecha_fin', 'fecha_publicacion', 'fecha_cumplimiento']) if (typeof v[end] === 'string' && (v[end] as string) < day) v[end] = day;
    if (m.key === 'materiales_difusion') v.periodo_anio = 2024;
    const md = mainDateOf(m, v, `${day}T12:00:00Z`) ?? day;
    v.periodo_anio = Number(md.slice(0, 4));
    v.periodo_trimestre = Math.floor((Number(md.slice(5, 7)) - 1) / 3) + 1;
    v.pn_acciones = [r.pick(['PN2022-A1.0.0', 'PN2022-A2.0.0', 'PN2022-A3.0.0', 'PN2022-A4.0.0', 'PN2022-A5.0.0'])];
    const id = crypto.randomUUID();
    rows.push({ ...v, id, folio_sintra: `${m.folioPrefix}-B24-${String(k).padStart(6, '0')}`, estatus: 'validado', fecha_principal: md, created_at: `${md}T12:00:00Z`, search_text: '', enviado_at: `${md}T12:00:00Z`, validado_at: `${md}T12:00:00Z` });
  }
  const cols = ['id', 'folio_sintra', 'estatus', 'fecha_principal', 'created_at', 'search_text', 'enviado_at', 'validado_at', 'institucion_id', 'ambito', 'entidad_federativa', 'municipio', 'periodo_anio', 'periodo_trimestre', 'pn_acciones', ...m.fields.flatMap((f) => (f.otro ? [f.key, `${f.key}_otro`] : [f.key]))];
  const colList = cols.map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < rows.length; i += 1000)
    await ctx.db.query(`insert into m_${m.key} (${colList}) select ${colList} from json_populate_recordset(null::m_${m.key}, $1::json)`, [JSON.stringify(rows.slice(i, i + 1000))]);
}
console.log(`Datos: ${N} registros validados de 2024 (${nVict} víctimas) en ${((Date.now() - t0) / 1000).toFixed(1)} s (${ctx.db.kind}).`);

const [u] = await ctx.db.query<{ id: string }>(`select id from app_user where username = $1`, [config.SINTRA_ADMIN_USER]);
const actor: Actor = { id: u.id, username: config.SINTRA_ADMIN_USER, nombre: null, role: 'administrador', institucion_id: 'SEGOB', institucion_nombre: 'SEGOB', institucion_ambito: 'FEDERAL', institucion_entidad: null, entidad: null, mustChangePassword: false, ip: '127.0.0.1' };
const marks: [string, number][] = [];
let last = Date.now();
let stage = 'inicio';
const started = Date.now();
const res = await generateAnnual(ctx, actor, { anio: 2024, nuevoCorte: true }, (_pct, etapa) => {
  const coarse = etapa.startsWith('Tablas') ? 'Tablas' : etapa;
  if (coarse !== stage) {
    if (process.env.BENCH_VERBOSE) console.log(`  … ${stage}: ${((Date.now() - last) / 1000).toFixed(2)} s`);
    marks.push([stage, Date.now() - last]);
    last = Date.now();
    stage = coarse;
  }
});
marks.push([stage, Date.now() - last]);
const total = Date.now() - started;
for (const [s, ms] of marks) console.log(`  ${s.padEnd(34)} ${(ms / 1000).toFixed(2)} s`);
console.log(`Informe anual 2024 (${N} registros): ${(total / 1000).toFixed(1)} s en total; DOCX ${((res.docx?.length ?? 0) / 1024).toFixed(0)} KiB, PDF ${((res.pdf?.length ?? 0) / 1024).toFixed(0)} KiB; ${res.model.blocks.filter((b) => b.kind === 'table').length} cuadros y ${res.model.blocks.filter((b) => b.kind === 'chart').length} gráficas.`);
const again = Date.now();
const res2 = await generateAnnual(ctx, actor, { anio: 2024, snapshotId: res.snapshot.id });
console.log(`Regenerado desde la misma instantánea en ${((Date.now() - again) / 1000).toFixed(1)} s; mismas cifras: ${res2.model.figurasSha256 === res.model.figurasSha256 ? 'sí' : 'NO'}.`);
if (outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  if (res.docx) fs.writeFileSync(path.join(outDir, 'informe-2024.docx'), res.docx);
  if (res.pdf) fs.writeFileSync(path.join(outDir, 'informe-2024.pdf'), res.pdf);
  console.log(`Escrito en ${outDir}.`);
}
await closeContext(ctx);
