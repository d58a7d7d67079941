// Synthetic data for SINTRA Capacitación: state institutions, users of every role, and records of the 12 modules
// created through RecordService (so every record passes the same rules as a captured one). Reproducible: all
// randomness comes from one seeded faker, and the SESNSP figures drive the victims' sex, age group and state.
import crypto from 'node:crypto';
import { faker as baseFaker, Faker, es_MX, base } from '@faker-js/faker';
import { MODULES, getModule } from '../../modules/index.js';
import type { ModuleDef, Values } from '../../modules/types.js';
import { hashPassword } from '../auth/password.js';
import type { Actor, Role } from '../auth/actor.js';
import { ST_INSTITUTION } from '../bootstrap.js';
import type { Ctx } from '../context.js';
import { tableName } from '../db/schema.js';
import { importSesnsp, SESNSP_DEFAULT_FILE } from '../incidencia/sesnsp.js';
import { RecordService } from '../records/service.js';

void baseFaker;

/** The training password of every demo user (printed once by the CLI; training data only). */
export const DEMO_PASSWORD = 'Practica-Capacitacion-Trata-2026';

/** Codes of the demo's state institutions: E<entidad>-<tipo>; reset deletes exactly these. */
export const DEMO_INST_PATTERN = '^E[0-9]{2}-';

const STATE_TYPES = [
  { tipo: 'FISCALIA_EST', suf: 'FGE', nombre: (e: string) => `Fiscalía General del Estado de ${e}` },
  { tipo: 'DIF_EST', suf: 'DIF', nombre: (e: string) => `Sistema para el Desarrollo Integral de la Familia del Estado de ${e}` },
  { tipo: 'VICTIMAS_EST', suf: 'CEEAV', nombre: (e: string) => `Comisión Ejecutiva Estatal de Atención a Víctimas de ${e}` },
] as const;

const FEDERAL_REPORTERS = ['SEGOB', 'FGR', 'SSPC', 'INM', 'CEAV', 'SNDIF', 'STPS', 'SRE', 'INMUJERES', 'SEP'];

// Share of each module in the records (victims and rescue operations dominate real captures).
const WEIGHT: Record<string, number> = { victimas: 10, operativos_rescate: 3, capacitacion: 3, difusion: 2 };

export interface DemoUser {
  username: string;
  role: Role;
  institucion_id: string;
  entidad: string | null;
  nombre: string;
}

export interface SeedResult {
  institutions: number;
  users: DemoUser[];
  records: Record<string, Record<string, number>>; // module → estatus → count
  password: string;
}

interface Inst {
  codigo: string;
  ambito: 'FEDERAL' | 'ESTATAL';
  entidad: string | null;
  nombre: string;
}

/** A small valid one-page PDF (the attachments code path checks the content, not just the name). */
function pdf(title: string): Buffer {
  const text = title.replace(/[()\\]/g, ' ').normalize('NFD').replace(/[^\x20-\x7e]/g, '');
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`;
}

function actorOf(u: DemoUser & { id: string }, inst: Inst): Actor {
  return {
    id: u.id,
    username: u.username,
    nombre: u.nombre,
    role: u.role,
    institucion_id: u.institucion_id,
    institucion_nombre: inst.nombre,
    institucion_ambito: inst.ambito,
    institucion_entidad: inst.entidad,
    entidad: u.entidad ?? inst.entidad,
    mustChangePassword: false,
    ip: '127.0.0.1',
  };
}

/** Weighted draw of SESNSP cells (entidad, sexo, grupo_edad) by their number of victims. */
async function sesnspSampler(ctx: Ctx, f: Faker): Promise<() => { entidad: string; sexo: string; grupo: string }> {
  let rows = await ctx.db.query<{ entidad: string; sexo: string; grupo_edad: string; v: number }>(
    `select entidad, sexo, grupo_edad, sum(victimas)::int as v from incidencia_victimas group by 1, 2, 3 having sum(victimas) > 0 order by 1, 2, 3`,
  );
  if (!rows.length) {
    await importSesnsp(ctx.db, SESNSP_DEFAULT_FILE);
    rows = await ctx.db.query(
      `select entidad, sexo, grupo_edad, sum(victimas)::int as v from incidencia_victimas group by 1, 2, 3 having sum(victimas) > 0 order by 1, 2, 3`,
    );
  }
  rows = rows.filter((r) => /^(0[1-9]|[12]\d|3[0-2])$/.test(r.entidad));
  const total = rows.reduce((s, r) => s + r.v, 0);
  return () => {
    let x = f.number.int({ min: 0, max: total - 1 });
    for (const r of rows) {
      if (x < r.v) return { entidad: r.entidad, sexo: r.sexo, grupo: r.grupo_edad };
      x -= r.v;
    }
    const r = rows[rows.length - 1];
    return { entidad: r.entidad, sexo: r.sexo, grupo: r.grupo_edad };
  };
}

function ageGroup(edad: number): string {
  if (edad <= 5) return 'E00_05';
  if (edad <= 11) return 'E06_11';
  if (edad <= 14) return 'E12_14';
  if (edad <= 17) return 'E15_17';
  if (edad <= 24) return 'E18_24';
  if (edad <= 29) return 'E25_29';
  if (edad <= 39) return 'E30_39';
  if (edad <= 49) return 'E40_49';
  if (edad <= 59) return 'E50_59';
  return 'E60_MAS';
}

export async function seedDemo(ctx: Ctx, opts: { records?: number; seed?: number } = {}): Promise<SeedResult> {
  const n = Math.max(MODULES.length, opts.records ?? 240);
  const f = new Faker({ locale: [es_MX, base] });
  f.seed(opts.seed ?? 2026);
  const sample = await sesnspSampler(ctx, f);

  // 1. State institutions (three per state), then the catalogs that list institutions.
  const entidades = ctx.catalogs.get('entidad')!.items.filter((i) => /^(0[1-9]|[12]\d|3[0-2])$/.test(i.code));
  const insts = new Map<string, Inst>();
  for (const code of FEDERAL_REPORTERS) {
    const it = ctx.catalogs.item('institucion', code);
    if (it) insts.set(code, { codigo: code, ambito: 'FEDERAL', entidad: null, nombre: it.label });
  }
  let created = 0;
  for (const e of entidades)
    for (const t of STATE_TYPES) {
      const inst: Inst = { codigo: `E${e.code}-${t.suf}`, ambito: 'ESTATAL', entidad: e.code, nombre: t.nombre(e.label) };
      const r = await ctx.db.query(
        `insert into institucion (codigo, nombre, siglas, ambito, entidad, tipo_local, grupo, obligada_reportar) values ($1, $2, $3, 'ESTATAL', $4, $5, 'LOCAL', true) on conflict (codigo) do nothing returning codigo`,
        [inst.codigo, inst.nombre, `${t.suf}-${e.code}`, e.code, t.tipo],
      );
      created += r.length;
      insts.set(inst.codigo, inst);
    }
  await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);

  // 2. Users of every role; records are captured by each institution's enlace.
  const hash = await hashPassword(DEMO_PASSWORD);
  const users: (DemoUser & { id: string })[] = [];
  const addUser = async (u: DemoUser) => {
    const rows = await ctx.db.query<{ id: string }>(
      `insert into app_user (username, password_hash, nombre, role, institucion_id, entidad) values ($1, $2, $3, $4, $5, $6)
       on conflict (username) do update set nombre = excluded.nombre returning id`,
      [u.username, hash, u.nombre, u.role, u.institucion_id, u.entidad],
    );
    const full = { ...u, id: rows[0].id };
    users.push(full);
    return full;
  };
  const person = () => `${f.person.firstName()} ${f.person.lastName()} ${f.person.lastName()}`;
  const admin = await addUser({ username: 'cap.admin', role: 'administrador', institucion_id: ST_INSTITUTION, entidad: null, nombre: person() });
  const validador = await addUser({ username: 'cap.validador', role: 'validador', institucion_id: ST_INSTITUTION, entidad: null, nombre: person() });
  for (const e of ['09', '15', '14'])
    await addUser({ username: `cap.valest${e}`, role: 'validador_estatal', institucion_id: `E${e}-FGE`, entidad: e, nombre: person() });
  await addUser({ username: 'cap.consulta', role: 'consulta', institucion_id: ST_INSTITUTION, entidad: null, nombre: person() });
  await addUser({ username: 'cap.auditor', role: 'auditor', institucion_id: ST_INSTITUTION, entidad: null, nombre: person() });
  void admin;
  const enlaces = new Map<string, DemoUser & { id: string }>();
  const enlaceOf = async (codigo: string) => {
    let u = enlaces.get(codigo);
    if (!u) {
      u = await addUser({ username: `cap.enlace.${codigo.toLowerCase()}`, role: 'enlace', institucion_id: codigo, entidad: insts.get(codigo)!.entidad, nombre: person() });
      enlaces.set(codigo, u);
    }
    return actorOf(u, insts.get(codigo)!);
  };
  const stInst = insts.get(ST_INSTITUTION)!;
  const validadorActor = actorOf(validador, stInst);

  // 3. Records: one per module at least, the rest weighted.
  const plan: string[] = MODULES.map((m) => m.key);
  const weights = MODULES.map((m) => WEIGHT[m.key] ?? 1);
  const wsum = weights.reduce((a, b) => a + b, 0);
  while (plan.length < n) {
    let x = f.number.int({ min: 0, max: wsum - 1 });
    let i = 0;
    while (x >= weights[i]) x -= weights[i++];
    plan.push(MODULES[i].key);
  }
  const svc = new RecordService(ctx);
  const counts: SeedResult['records'] = {};
  const stateCodes = [...insts.values()].filter((i) => i.ambito === 'ESTATAL').map((i) => i.codigo);
  let seq = 0;
  for (const key of plan) {
    seq++;
    const m = getModule(key)!;
    let inst: Inst;
    let victim: ReturnType<typeof sample> | null = null;
    if (key === 'victimas') {
      victim = sample();
      inst = insts.get(`E${victim.entidad}-${f.helpers.arrayElement(['FGE', 'FGE', 'CEEAV', 'DIF'])}`)!;
    } else inst = insts.get(f.helpers.arrayElement([...FEDERAL_REPORTERS.filter((c) => insts.has(c)), ...stateCodes.filter(() => f.datatype.boolean(0.15))]))!;
    const capture = async (where: Inst) => {
      const actor = await enlaceOf(where.codigo);
      const baseBody = adapt(m, where, seq);
      const files = await attachFiles(ctx, m, baseBody, where, actor, seq);
      const { varied, safe } = vary(ctx, f, m, baseBody, victim);
      try {
        return { actor, rec: await createValid(ctx, svc, actor, m, baseBody, varied, safe) };
      } catch (e) {
        await ctx.db.query('delete from attachment where id = any($1::uuid[])', [files]);
        throw e;
      }
    };
    // Some choices of the examples are federal only (e.g. the Comisión Intersecretarial's organs).
    const { actor, rec } = await capture(inst).catch((e) => {
      if (inst.ambito === 'FEDERAL' || victim) throw e;
      return capture(insts.get(ST_INSTITUTION)!);
    });
    const id = rec.id as string;
    const estatus = f.helpers.weightedArrayElement([
      { value: 'borrador', weight: 2 },
      { value: 'enviado', weight: 3 },
      { value: 'validado', weight: 4 },
      { value: 'devuelto', weight: 1 },
    ]);
    if (estatus !== 'borrador') await svc.submit(actor, key, id);
    if (estatus === 'validado') await svc.validateRecord(validadorActor, key, id);
    if (estatus === 'devuelto')
      await svc.returnRecord(validadorActor, key, id, {
        comment: f.helpers.arrayElement([
          'Verifique las fechas: no coinciden con el oficio de soporte.',
          'Falta precisar la modalidad de explotación según la carpeta de investigación.',
          'Revise el número de personas participantes; no coincide con la lista de asistencia.',
          'Adjunte el documento de soporte firmado.',
        ]),
      });
    counts[key] ??= {};
    counts[key][estatus] = (counts[key][estatus] ?? 0) + 1;
  }
  return { institutions: created, users: users.map(({ id: _id, ...u }) => u), records: counts, password: DEMO_PASSWORD };
}

/** A PDF for each attachment field (required ones need it to be sent), stored as the upload route stores it. */
async function attachFiles(ctx: Ctx, m: ModuleDef, body: Values, inst: Inst, actor: Actor, seq: number): Promise<string[]> {
  const ids: string[] = [];
  for (const fd of m.fields) {
    if (fd.type !== 'archivo') continue;
    const name = `${fd.key}-${m.key}-${seq}.pdf`;
    const data = pdf(`SINTRA Capacitacion - ${m.name} - ${fd.label} - ${seq}`);
    const rows = await ctx.db.query<{ id: string }>(
      `insert into attachment (name, size, type, kind, sha256, data, field, institucion_id, created_by) values ($1, $2, 'application/pdf', 'pdf', $3, $4, $5, $6, $7) returning id`,
      [name, data.length, crypto.createHash('sha256').update(data).digest('hex'), data, fd.key, inst.codigo, actor.id],
    );
    body[fd.key] = [rows[0].id];
    ids.push(rows[0].id);
  }
  return ids;
}

/** The module's example, moved to the registering institution (the fallback that always passes). */
function adapt(m: ModuleDef, inst: Inst, seq: number): Values {
  const body = structuredClone(m.example) as Values;
  body.institucion_id = inst.codigo;
  body.ambito = inst.ambito;
  body.entidad_federativa = inst.entidad;
  body.municipio = null;
  if (m.key === 'victimas') body.folio_persona = `CAP-${String(seq).padStart(5, '0')}`;
  // Lists of other institutions (canalizada_a, participantes…) never include the registering one.
  for (const fd of m.fields) if (fd.catalog === 'institucion' && Array.isArray(body[fd.key])) body[fd.key] = (body[fd.key] as string[]).filter((x) => x !== inst.codigo);
  if (m.key === 'unidades_especializadas') body.nombre_unidad = `${String(body.nombre_unidad)} — oficina ${seq}`;
  // clave_acuerdo is unique within a session (comisiones dbRules).
  if (m.key === 'comisiones') body.clave_acuerdo = `${String(body.clave_acuerdo)}-${seq}`;
  return body;
}

/** Realistic variation of the base: another period (dates moved with it), other catalog choices, names, counts. */
function vary(ctx: Ctx, f: Faker, m: ModuleDef, baseBody: Values, victim: { entidad: string; sexo: string; grupo: string } | null): { varied: Values; safe: Values } {
  const v = structuredClone(baseBody) as Values;
  const safe: Values = {};
  const anio = f.number.int({ min: 2023, max: 2025 });
  const tri = f.number.int({ min: 1, max: 4 });
  const shift = (anio - Number(m.example.periodo_anio)) * 12 + (tri - Number(m.example.periodo_trimestre)) * 3;
  v.periodo_anio = anio;
  v.periodo_trimestre = tri;
  for (const fd of m.fields) {
    const cur = v[fd.key];
    if (fd.type === 'fecha' && typeof cur === 'string') v[fd.key] = addMonths(cur, shift);
    // Other choices in single-value catalogs that no rule conditions (a broken rule reverts the field).
    else if (!victim && fd.type === 'catalogo' && typeof cur === 'string' && fd.catalog && !ctx.catalogs.isReference(fd.catalog) && f.datatype.boolean(0.5)) {
      const items = (ctx.catalogs.get(fd.catalog)?.items ?? []).filter((i) => !['NE', 'OTRO', 'OTRA'].includes(i.code));
      if (items.length) v[fd.key] = f.helpers.arrayElement(items).code;
    } else if (fd.type === 'entero' && typeof cur === 'number' && cur > 0 && !/total|numero_sesion|anio|duracion/.test(fd.key) && f.datatype.boolean(0.5))
      v[fd.key] = Math.max(0, Math.round(cur * f.number.float({ min: 0.5, max: 1.8 })));
  }
  // Totals are the sum of their parts (computed by the server when left empty).
  for (const fd of m.fields) if (fd.sumOf) v[fd.key] = null;
  if (typeof v.sede === 'string') v.sede = `${f.company.name()}, ${f.location.city()}`;
  if (m.key === 'operativos_rescate') v.folio_operativo = `OP-${anio}-${String(f.number.int({ min: 1, max: 999 })).padStart(3, '0')}`;
  if (victim) {
    const e = victim.entidad;
    v.sexo = victim.sexo === 'MUJER' || victim.sexo === 'HOMBRE' ? victim.sexo : 'NE';
    v.identidad_genero = null;
    if (victim.grupo === 'MENOR' || victim.grupo === 'ADULTO') {
      const edad = victim.grupo === 'MENOR' ? f.number.int({ min: 4, max: 17 }) : f.number.int({ min: 18, max: 62 });
      v.edad = edad;
      v.grupo_edad = ageGroup(edad);
      v.escolaridad = edad <= 5 ? 'PREESCOLAR' : edad <= 11 ? 'PRIMARIA' : edad <= 14 ? 'SECUNDARIA' : edad <= 17 ? 'MEDIA_SUPERIOR' : f.helpers.arrayElement(['PRIMARIA', 'SECUNDARIA', 'MEDIA_SUPERIOR', 'SUPERIOR']);
      v.acompanamiento_nna = edad < 18 ? f.helpers.arrayElement(['ACOMPANADA', 'SEPARADA', 'NO_ACOMPANADA']) : 'NO_APLICA';
      if (edad < 18) v.estado_civil = 'SOLTERA';
    } else {
      v.edad = null;
      v.grupo_edad = 'NE';
      v.acompanamiento_nna = 'NO_APLICA';
    }
    const muns = (ctx.catalogs.get('municipio')?.items ?? []).filter((i) => i.parent === e);
    v.entidad_origen = e;
    v.entidad_captacion = e;
    v.entidad_destino = e;
    v.municipio_origen = muns.length ? f.helpers.arrayElement(muns).code : null;
    v.municipio_destino = muns.length ? f.helpers.arrayElement(muns).code : null;
    v.entidades_transito = [];
    for (const k of ['sexo', 'identidad_genero', 'edad', 'grupo_edad', 'escolaridad', 'acompanamiento_nna', 'estado_civil', 'entidad_origen', 'entidad_captacion', 'entidad_destino', 'municipio_origen', 'municipio_destino', 'entidades_transito'])
      safe[k] = v[k];
  }
  for (const fd of m.fields) if (fd.type === 'fecha' || fd.sumOf || ['sede', 'folio_operativo'].includes(fd.key)) safe[fd.key] = v[fd.key];
  safe.periodo_anio = v.periodo_anio;
  safe.periodo_trimestre = v.periodo_trimestre;
  return { varied: v, safe };
}

/** Creates the varied record; each field a rule rejects goes back to the base value, at worst the whole base. */
async function createValid(ctx: Ctx, svc: RecordService, a: Actor, m: ModuleDef, baseBody: Values, varied: Values, safe: Values): Promise<Values> {
  let body = varied;
  for (let attempt = 0; attempt < 5; attempt++) {
    // Errors and pending items alike: every demo record must be ready to be sent.
    const c = await ctx.db.tx((q) => svc.check(q, a, m, body, null));
    const issues = [...c.errors, ...c.pending];
    if (!issues.length) return svc.create(a, m.key, body);
    if (process.env.SINTRA_DEMO_DEBUG) console.error(m.key, attempt, issues.map((i) => `${i.field}: ${i.message}`));
    body = { ...body };
    for (const err of issues) body[err.field] = baseBody[err.field];
    // A rule may name a field other than the one varied: then keep only the safe variations.
    if (attempt === 1) body = { ...baseBody, ...safe };
    if (attempt === 3) body = baseBody;
    if (attempt === 4) throw new Error(`demo: «${m.key}» no es válido: ${issues.map((i) => i.message).join(" ")}`);
  }
  throw new Error(`demo: no se pudo crear un registro válido de «${m.key}»`);
}

/** Deletes the demo's data: records, attachments, sessions, demo users and state institutions. */
export async function wipeDemo(ctx: Ctx): Promise<void> {
  await ctx.db.tx(async (q) => {
    for (const m of MODULES) await q.query(`delete from ${tableName(m.key)}`);
    for (const t of ['posible_duplicado', 'victima_duplicada', 'attachment', 'session', 'folio_counter']) await q.query(`delete from ${t}`);
    await q.query(`delete from app_user where username like 'cap.%'`);
    await q.query(`delete from institucion where codigo ~ $1`, [DEMO_INST_PATTERN]);
  });
  await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);
}
