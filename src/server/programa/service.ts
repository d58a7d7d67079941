// Programa Nacional: structure (editable by the administrador), its PN_ACCION catalog, and follow-up of
// what was registered against each acción puntual.
import { z } from 'zod';
import { isValidDate } from '../../modules/validate.js';
import type { Actor } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/client.js';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors.js';
import { ALL_MODULE_KEYS, INDICATORS } from '../indicators/definitions.js';
import { canReadRecords, dbScope, recordScope } from '../records/scope.js';
import { PLACEHOLDER_ACCION } from './seed.js';
import { PERSON_MODULES } from '../stats/crosstab.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ProgramaRow {
  id: string;
  clave: string;
  nombre: string;
  periodo_inicio: string;
  periodo_fin: string;
  fecha_publicacion_dof: string | null;
  url_dof: string | null;
  etiquetas_niveles: string[];
  vigente: boolean;
}

/**
 * Rebuilds the PN_ACCION catalog from the programmes: every acción puntual is selectable from its programme's
 * start until the day before the next programme starts (a programme stays in force until a successor is
 * loaded, as the 2022-2024 one does today). Codes that records still hold stay in the catalog.
 */
export async function syncPnCatalog(q: Queryable): Promise<void> {
  const rows = await q.query<{ codigo: string; numero: string; texto: string; obj_numero: number; obj_texto: string; clave: string; desde: string; hasta: string | null; orden: number }>(
    `with p as (
       select id, clave, periodo_inicio as desde,
              (lead(periodo_inicio) over (order by periodo_inicio) - 1) as hasta
         from pn_programa)
     select a.codigo, a.numero, a.texto, o.numero as obj_numero, o.texto as obj_texto, p.clave, p.desde::text as desde, p.hasta::text as hasta,
            row_number() over (order by p.desde, o.numero, string_to_array(a.numero, '.')::int[])::int as orden
       from pn_accion a join pn_estrategia e on e.id = a.estrategia_id join pn_objetivo o on o.id = e.objetivo_id join p on p.id = o.programa_id`,
  );
  for (const r of rows) {
    const placeholder = r.numero.endsWith('.0.0') && r.texto === PLACEHOLDER_ACCION;
    const label = (placeholder ? `Objetivo ${r.obj_numero}: ${r.obj_texto.replace(/\.$/, '')} — sin acción puntual específica` : `${r.numero} ${r.texto}`).slice(0, 400);
    await q.query(
      `insert into catalogo (nombre, codigo, etiqueta, orden, grupo, vigente_desde, vigente_hasta)
       values ('pn_accion', $1, $2, $3, $4, $5, $6)
       on conflict (nombre, codigo) do update set etiqueta = excluded.etiqueta, orden = excluded.orden, grupo = excluded.grupo,
         vigente_desde = excluded.vigente_desde, vigente_hasta = excluded.vigente_hasta`,
      [r.codigo, label, r.orden, `${r.clave}-O${r.obj_numero}`, r.desde, r.hasta],
    );
  }
}

/** Number of records (any status, deleted ones too) that hold an acción's code: such a code cannot go away. */
async function linkedRecords(q: Queryable, codes: string[]): Promise<number> {
  if (!codes.length) return 0;
  const parts = ALL_MODULE_KEYS.map((m) => `(select count(*) from m_${m} r where r.pn_acciones && $1::text[])`);
  const rows = await q.query<{ n: number }>(`select (${parts.join(' + ')})::int as n`, [codes]);
  return rows[0].n;
}

// ---------- input schemas (one per entity; Spanish messages naming the field) ----------

const fecha = (label: string) => z.string({ error: `«${label}» es obligatoria (AAAA-MM-DD).` }).refine(isValidDate, `«${label}» debe ser una fecha AAAA-MM-DD.`);
const texto = (label: string, max: number) =>
  z.string({ error: `«${label}» es obligatorio.` }).trim().min(3, `«${label}» debe tener al menos 3 caracteres.`).max(max, `«${label}» admite a lo más ${max} caracteres.`);

export const programaInput = z
  .object({
    nombre: texto('Nombre del programa', 600),
    periodo_inicio: fecha('Inicio del periodo'),
    periodo_fin: fecha('Fin del periodo'),
    fecha_publicacion_dof: fecha('Fecha de publicación en el DOF').nullable().optional(),
    url_dof: z.string().max(500).regex(/^https:\/\//, '«URL del DOF» debe empezar con https://').nullable().optional(),
    etiquetas_niveles: z.array(z.string().trim().min(2).max(80)).length(3, '«Etiquetas de niveles» lleva tres nombres (objetivo, estrategia, acción).').optional(),
    vigente: z.boolean().optional(),
  })
  .strict();

export const objetivoInput = z.object({ numero: z.number({ error: '«Número» es obligatorio.' }).int().min(1, '«Número» debe ser 1 o mayor.').max(99), texto: texto('Texto del objetivo', 2000) }).strict();
export const estrategiaInput = z.object({ numero: z.string({ error: '«Número» es obligatorio.' }).regex(/^\d{1,2}\.\d{1,2}$/, '«Número» de estrategia tiene la forma n.n (p. ej. 1.2).'), texto: texto('Texto de la estrategia', 2000) }).strict();
export const accionInput = z
  .object({
    numero: z.string({ error: '«Número» es obligatorio.' }).regex(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/, '«Número» de acción puntual tiene la forma n.n.n (p. ej. 1.2.3).'),
    texto: texto('Texto de la acción puntual', 2000),
    tipo_accion: z.string().trim().max(200, '«Tipo de acción» admite a lo más 200 caracteres.').nullable().optional(),
    institucion_coordinadora: z.string().max(64).nullable().optional(),
    instituciones_responsables: z.array(z.string().max(64)).max(60).optional(),
  })
  .strict();
export const metaInput = z
  .object({
    tipo: z.enum(['META_BIENESTAR', 'PARAMETRO', 'INDICADOR'], { error: '«Tipo» debe ser META_BIENESTAR, PARAMETRO o INDICADOR.' }),
    nombre: texto('Nombre de la meta', 600),
    formula_texto: z.string().max(2000).nullable().optional(),
    linea_base_valor: z.number().finite().nullable().optional(),
    linea_base_anio: z.number().int().min(2000).max(2100).nullable().optional(),
    meta_valor: z.number().finite().nullable().optional(),
    meta_anio: z.number().int().min(2000).max(2100).nullable().optional(),
    periodicidad: z.enum(['anual', 'semestral', 'trimestral', 'mensual']).nullable().optional(),
    indicador_sintra: z.string().nullable().optional(),
  })
  .strict();

/** Zod errors as the contract's `errors: [{ field, message }]`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, partial = false): T {
  const s = partial && schema instanceof z.ZodObject ? (schema.partial() as unknown as z.ZodType<T>) : schema;
  const r = s.safeParse(body ?? {});
  if (r.success) return r.data;
  const errors = r.error.issues.map((i) => {
    const field = i.path.join('.') || (i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys?.join(', ') ?? '' : '');
    const message = i.code === 'unrecognized_keys' ? `Campo(s) desconocido(s): ${((i as { keys?: string[] }).keys ?? []).join(', ')}.` : i.message;
    return { field, message };
  });
  throw badRequest(`Datos inválidos: ${errors.map((e) => e.message).join(' ')}`, errors);
}

export class ProgramaService {
  constructor(private readonly ctx: Ctx) {}

  private mustAdmin(a: Actor) {
    if (a.role !== 'administrador') throw forbidden('Solo el administrador de la Secretaría Técnica edita el Programa Nacional.');
  }

  private async afterChange(q: Queryable) {
    await syncPnCatalog(q);
  }

  private async reloadCatalogs() {
    await this.ctx.catalogs.reload(this.ctx.db, this.ctx.baseCatalogs);
  }

  private checkInstitutions(codes: (string | null | undefined)[], field: string) {
    for (const c of codes) if (c && !this.ctx.catalogs.item('institucion', c)) throw badRequest(`«${field}»: la institución «${c}» no existe.`, [{ field, message: `La institución «${c}» no existe.` }]);
  }

  async list(q: Queryable = this.ctx.db): Promise<ProgramaRow[]> {
    return q.query<ProgramaRow>(
      `select id, clave, nombre, periodo_inicio, periodo_fin, fecha_publicacion_dof, url_dof, etiquetas_niveles, vigente from pn_programa order by periodo_inicio desc`,
    );
  }

  /** The programme asked for (id or clave), else the one in force on a date, else the one marked vigente. */
  async resolve(q: Queryable, sel: { programa?: string; fecha?: string }): Promise<ProgramaRow> {
    const all = await this.list(q);
    if (sel.programa) {
      const p = all.find((x) => x.id === sel.programa || x.clave === sel.programa?.toUpperCase());
      if (!p) throw notFound(`El programa «${sel.programa}» no existe.`);
      return p;
    }
    if (sel.fecha) {
      const p = all.filter((x) => x.periodo_inicio <= sel.fecha!).sort((x, y) => (x.periodo_inicio < y.periodo_inicio ? 1 : -1))[0];
      if (p) return p;
    }
    const p = all.find((x) => x.vigente) ?? all[0];
    if (!p) throw notFound('No hay un Programa Nacional cargado.');
    return p;
  }

  /**
   * The tree objectives → strategies → acciones with, per acción, validated records aligned to it in the period
   * (by module and by institution), the responsible institutions that registered nothing, its progress (share of
   * responsible institutions with at least one validated record) and the indicators linked to its objective.
   */
  /**
   * `exactPersons`: per-institution counts of records of persons (victims, persons rescued) only for the
   * Secretaría Técnica (and the report it produces); anyone else gets the follow-up without them, as
   * those counts are protected figures (ARCHITECTURE §5).
   */
  async tree(q: Queryable, sel: { programa?: string; anio?: number | null; desde?: string; hasta?: string; exactPersons?: boolean }) {
    const p = await this.resolve(q, { programa: sel.programa, fecha: sel.anio ? `${sel.anio}-12-31` : undefined });
    const desde = sel.desde ?? (sel.anio ? `${sel.anio}-01-01` : p.periodo_inicio);
    const hasta = sel.hasta ?? (sel.anio ? `${sel.anio}-12-31` : '9999-12-31');
    const objetivos = await q.query<{ id: string; numero: number; texto: string }>('select id, numero, texto from pn_objetivo where programa_id = $1 order by numero', [p.id]);
    const estrategias = await q.query<{ id: string; objetivo_id: string; numero: string; texto: string }>(
      `select e.id, e.objetivo_id, e.numero, e.texto from pn_estrategia e join pn_objetivo o on o.id = e.objetivo_id where o.programa_id = $1 order by string_to_array(e.numero, '.')::int[]`,
      [p.id],
    );
    const acciones = await q.query<{ id: string; estrategia_id: string; numero: string; codigo: string; texto: string; tipo_accion: string | null; institucion_coordinadora: string | null; instituciones_responsables: string[] }>(
      `select a.id, a.estrategia_id, a.numero, a.codigo, a.texto, a.tipo_accion, a.institucion_coordinadora, a.instituciones_responsables
         from pn_accion a join pn_estrategia e on e.id = a.estrategia_id join pn_objetivo o on o.id = e.objetivo_id
        where o.programa_id = $1 order by string_to_array(a.numero, '.')::int[]`,
      [p.id],
    );
    const metas = await q.query<{ id: string; objetivo_id: string; tipo: string; nombre: string; formula_texto: string | null; linea_base_valor: number | null; linea_base_anio: number | null; meta_valor: number | null; meta_anio: number | null; periodicidad: string | null; indicador_sintra: string | null }>(
      `select m.* from pn_meta m join pn_objetivo o on o.id = m.objetivo_id where o.programa_id = $1 order by m.indicador_sintra nulls last, m.nombre`,
      [p.id],
    );
    const codes = acciones.map((a) => a.codigo);
    const counts = codes.length
      ? await q.query<{ codigo: string; module: string; institucion_id: string; n: number }>(
          `select codigo, module, institucion_id, count(*)::int as n from (
             ${ALL_MODULE_KEYS.filter((m) => sel.exactPersons !== false || !PERSON_MODULES.includes(m)).map(
               (m) => `select '${m}' as module, c.codigo, r.institucion_id from m_${m} r cross join lateral unnest(r.pn_acciones) c(codigo)
                        where r.deleted_at is null and r.estatus = 'validado' and r.pn_acciones && $1::text[] and r.fecha_principal between $2::date and $3::date`,
             ).join('\n union all ')}
           ) x where codigo = any($1::text[]) group by 1, 2, 3 order by 1, 2, 3`,
          [codes, desde, hasta],
        )
      : [];
    const label = (c: string) => this.ctx.catalogs.label('institucion', c);
    const accionOut = (a: (typeof acciones)[number]) => {
      const mine = counts.filter((c) => c.codigo === a.codigo);
      const porModulo: Record<string, number> = {};
      const porInst: Record<string, number> = {};
      for (const c of mine) {
        porModulo[c.module] = (porModulo[c.module] ?? 0) + c.n;
        porInst[c.institucion_id] = (porInst[c.institucion_id] ?? 0) + c.n;
      }
      const responsables = [...new Set([...(a.institucion_coordinadora ? [a.institucion_coordinadora] : []), ...a.instituciones_responsables])];
      const sinRegistro = responsables.filter((i) => !porInst[i]);
      return {
        ...a,
        registros: mine.reduce((s, c) => s + c.n, 0),
        por_modulo: porModulo,
        por_institucion: Object.entries(porInst).map(([codigo, n]) => ({ codigo, nombre: label(codigo), registros: n })),
        responsables_sin_registro: sinRegistro.map((codigo) => ({ codigo, nombre: label(codigo) })),
        avance: responsables.length ? Math.round(((responsables.length - sinRegistro.length) / responsables.length) * 1000) / 10 : null,
      };
    };
    return {
      programa: p,
      periodo: { desde, hasta: hasta === '9999-12-31' ? null : hasta },
      ...(sel.exactPersons === false
        ? { nota: 'Sin los registros de víctimas ni de operativos de rescate: su número por institución es una cifra protegida.' }
        : {}),
      objetivos: objetivos.map((o) => {
        const ests = estrategias.filter((e) => e.objetivo_id === o.id).map((e) => {
          const acs = acciones.filter((a) => a.estrategia_id === e.id).map(accionOut);
          return { ...e, acciones: acs, registros: acs.reduce((s, a) => s + a.registros, 0) };
        });
        const ind = metas.filter((m) => m.objetivo_id === o.id);
        return {
          ...o,
          codigo: `${p.clave}-O${o.numero}`,
          estrategias: ests.map((e) => ({ ...e, codigo: `${p.clave}-E${e.numero}` })),
          registros: ests.reduce((s, e) => s + e.registros, 0),
          metas: ind,
          indicadores: INDICATORS.filter((d) => ind.some((m) => m.indicador_sintra === d.id)).map((d) => ({ id: d.id, nombre: d.nombre })),
        };
      }),
    };
  }

  /** Records aligned to one acción (record-level: the viewer's own record scope applies). */
  async recordsOf(a: Actor, codigo: string, sel: { desde?: string; hasta?: string }) {
    if (!canReadRecords(a)) throw forbidden('Su rol no consulta registros individuales.');
    const exists = await this.ctx.db.query('select 1 from pn_accion where codigo = $1', [codigo]);
    if (!exists.length) throw notFound(`La acción «${codigo}» no existe.`);
    const out: { module: string; id: string; folio_sintra: string; institucion_id: string; estatus: string; fecha_principal: string | null }[] = [];
    await this.ctx.readDb.tx(async (q) => {
      for (const m of ALL_MODULE_KEYS) {
        const scope = recordScope(a, 3, 'records', m);
        const rows = await q.query<(typeof out)[number]>(
          `select '${m}' as module, r.id, r.folio_sintra, r.institucion_id, r.estatus, r.fecha_principal from m_${m} r
            where r.deleted_at is null and r.pn_acciones @> array[$1]::text[] and r.fecha_principal between $2::date and $3::date and ${scope.sql}
            order by r.fecha_principal desc nulls last limit 500`,
          [codigo, sel.desde ?? '2012-01-01', sel.hasta ?? '9999-12-31', ...scope.params],
        );
        out.push(...rows);
      }
    }, dbScope(a, 'records'));
    return { items: out };
  }

  // ---------- editing (administrador) ----------

  async createPrograma(a: Actor, body: unknown) {
    this.mustAdmin(a);
    const v = parseBody(programaInput, body);
    if (v.periodo_fin < v.periodo_inicio) throw badRequest('«Fin del periodo» no puede ser anterior al inicio.', [{ field: 'periodo_fin', message: 'Debe ser posterior o igual a «periodo_inicio».' }]);
    const clave = `PN${v.periodo_inicio.slice(0, 4)}`;
    const out = await this.ctx.db.tx(async (q) => {
      if ((await q.query('select 1 from pn_programa where clave = $1', [clave])).length)
        throw new HttpError('invalid_state', `Ya existe un programa que inicia en ${v.periodo_inicio.slice(0, 4)} (${clave}).`, [{ field: 'periodo_inicio', message: `Ya existe ${clave}.` }]);
      if (v.vigente) await q.query('update pn_programa set vigente = false');
      const [row] = await q.query<ProgramaRow>(
        `insert into pn_programa (clave, nombre, periodo_inicio, periodo_fin, fecha_publicacion_dof, url_dof, etiquetas_niveles, vigente)
         values ($1, $2, $3, $4, $5, $6, coalesce($7::text[], '{Objetivo prioritario,Estrategia prioritaria,Acción puntual}'::text[]), $8) returning *`,
        [clave, v.nombre, v.periodo_inicio, v.periodo_fin, v.fecha_publicacion_dof ?? null, v.url_dof ?? null, v.etiquetas_niveles ?? null, v.vigente ?? false],
      );
      await this.afterChange(q);
      await writeAudit(q, a, { action: 'crear', module: 'programa', detail: { entidad: 'pn_programa', id: row.id, clave } });
      return row;
    });
    await this.reloadCatalogs();
    return out;
  }

  async updatePrograma(a: Actor, id: string, body: unknown) {
    this.mustAdmin(a);
    if (!UUID.test(id)) throw notFound('El programa no existe.');
    const v = parseBody(programaInput, body, true);
    const out = await this.ctx.db.tx(async (q) => {
      const [cur] = await q.query<ProgramaRow>('select * from pn_programa where id = $1 for update', [id]);
      if (!cur) throw notFound('El programa no existe.');
      const next = { ...cur, ...v };
      if (next.periodo_fin < next.periodo_inicio) throw badRequest('«Fin del periodo» no puede ser anterior al inicio.', [{ field: 'periodo_fin', message: 'Debe ser posterior o igual al inicio.' }]);
      if (v.periodo_inicio && v.periodo_inicio.slice(0, 4) !== cur.periodo_inicio.slice(0, 4))
        throw badRequest('El año de inicio identifica al programa y a las claves de sus acciones: no puede cambiarse.', [{ field: 'periodo_inicio', message: `Debe quedar en ${cur.periodo_inicio.slice(0, 4)}.` }]);
      if (v.vigente) await q.query('update pn_programa set vigente = false where id <> $1', [id]);
      const [row] = await q.query<ProgramaRow>(
        `update pn_programa set nombre = $2, periodo_inicio = $3, periodo_fin = $4, fecha_publicacion_dof = $5, url_dof = $6, etiquetas_niveles = $7, vigente = $8, updated_at = now()
          where id = $1 returning *`,
        [id, next.nombre, next.periodo_inicio, next.periodo_fin, next.fecha_publicacion_dof ?? null, next.url_dof ?? null, next.etiquetas_niveles, next.vigente],
      );
      await this.afterChange(q);
      await writeAudit(q, a, { action: 'modificar', module: 'programa', detail: { entidad: 'pn_programa', id, antes: cur, despues: row } });
      return row;
    });
    await this.reloadCatalogs();
    return out;
  }

  private async parentOf(q: Queryable, table: 'pn_programa' | 'pn_objetivo' | 'pn_estrategia', id: string): Promise<Record<string, unknown>> {
    if (!UUID.test(id)) throw notFound('El elemento del programa no existe.');
    const [row] = await q.query<Record<string, unknown>>(
      table === 'pn_programa'
        ? 'select p.*, p.clave as prog_clave from pn_programa p where p.id = $1'
        : table === 'pn_objetivo'
          ? 'select o.*, p.clave as prog_clave from pn_objetivo o join pn_programa p on p.id = o.programa_id where o.id = $1'
          : 'select e.*, p.clave as prog_clave, o.numero as obj_numero from pn_estrategia e join pn_objetivo o on o.id = e.objetivo_id join pn_programa p on p.id = o.programa_id where e.id = $1',
      [id],
    );
    if (!row) throw notFound('El elemento del programa no existe.');
    return row;
  }

  private unique(e: unknown, what: string): never {
    if (e instanceof Error && /unique|duplicate|duplicad/i.test(e.message)) throw new HttpError('invalid_state', `Ya existe ${what} con ese número.`, [{ field: 'numero', message: `Número repetido.` }]);
    throw e;
  }

  async addObjetivo(a: Actor, programaId: string, body: unknown) {
    this.mustAdmin(a);
    const v = parseBody(objetivoInput, body);
    const out = await this.ctx.db.tx(async (q) => {
      await this.parentOf(q, 'pn_programa', programaId);
      const [row] = await q.query('insert into pn_objetivo (programa_id, numero, texto) values ($1, $2, $3) returning *', [programaId, v.numero, v.texto]).catch((e) => this.unique(e, 'un objetivo'));
      await writeAudit(q, a, { action: 'crear', module: 'programa', detail: { entidad: 'pn_objetivo', ...v } });
      return row;
    });
    return out;
  }

  async addEstrategia(a: Actor, objetivoId: string, body: unknown) {
    this.mustAdmin(a);
    const v = parseBody(estrategiaInput, body);
    return this.ctx.db.tx(async (q) => {
      const o = await this.parentOf(q, 'pn_objetivo', objetivoId);
      if (!v.numero.startsWith(`${o.numero}.`)) throw badRequest(`«Número» de la estrategia debe empezar con el del objetivo (${o.numero}.).`, [{ field: 'numero', message: `Debe empezar con ${o.numero}.` }]);
      const [row] = await q.query('insert into pn_estrategia (objetivo_id, numero, texto) values ($1, $2, $3) returning *', [objetivoId, v.numero, v.texto]).catch((e) => this.unique(e, 'una estrategia'));
      await writeAudit(q, a, { action: 'crear', module: 'programa', detail: { entidad: 'pn_estrategia', ...v } });
      return row;
    });
  }

  async addAccion(a: Actor, estrategiaId: string, body: unknown) {
    this.mustAdmin(a);
    const v = parseBody(accionInput, body);
    this.checkInstitutions([v.institucion_coordinadora], 'institucion_coordinadora');
    this.checkInstitutions(v.instituciones_responsables ?? [], 'instituciones_responsables');
    const out = await this.ctx.db.tx(async (q) => {
      const e = await this.parentOf(q, 'pn_estrategia', estrategiaId);
      if (!v.numero.startsWith(`${e.numero}.`)) throw badRequest(`«Número» de la acción debe empezar con el de la estrategia (${e.numero}.).`, [{ field: 'numero', message: `Debe empezar con ${e.numero}.` }]);
      const codigo = `${e.prog_clave}-A${v.numero}`;
      const [row] = await q
        .query(
          `insert into pn_accion (estrategia_id, numero, codigo, texto, tipo_accion, institucion_coordinadora, instituciones_responsables) values ($1, $2, $3, $4, $5, $6, $7) returning *`,
          [estrategiaId, v.numero, codigo, v.texto, v.tipo_accion ?? null, v.institucion_coordinadora ?? null, v.instituciones_responsables ?? []],
        )
        .catch((err) => this.unique(err, 'una acción puntual'));
      await this.afterChange(q);
      await writeAudit(q, a, { action: 'crear', module: 'programa', detail: { entidad: 'pn_accion', codigo, ...v } });
      return row;
    });
    await this.reloadCatalogs();
    return out;
  }

  async addMeta(a: Actor, objetivoId: string, body: unknown) {
    this.mustAdmin(a);
    const v = parseBody(metaInput, body);
    if (v.indicador_sintra && !INDICATORS.some((d) => d.id === v.indicador_sintra))
      throw badRequest(`«Indicador SINTRA»: «${v.indicador_sintra}» no es un indicador (IND-01 a IND-15).`, [{ field: 'indicador_sintra', message: 'Use IND-01 a IND-15.' }]);
    return this.ctx.db.tx(async (q) => {
      await this.parentOf(q, 'pn_objetivo', objetivoId);
      const [row] = await q.query(
        `insert into pn_meta (objetivo_id, tipo, nombre, formula_texto, linea_base_valor, linea_base_anio, meta_valor, meta_anio, periodicidad, indicador_sintra)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning *`,
        [objetivoId, v.tipo, v.nombre, v.formula_texto ?? null, v.linea_base_valor ?? null, v.linea_base_anio ?? null, v.meta_valor ?? null, v.meta_anio ?? null, v.periodicidad ?? null, v.indicador_sintra ?? null],
      );
      await writeAudit(q, a, { action: 'crear', module: 'programa', detail: { entidad: 'pn_meta', ...v } });
      return row;
    });
  }

  /** Updates texts and attributes; `numero` is fixed (it makes the acción's code, which records hold). */
  async updateNode(a: Actor, kind: 'objetivo' | 'estrategia' | 'accion' | 'meta', id: string, body: unknown) {
    this.mustAdmin(a);
    if (!UUID.test(id)) throw notFound('El elemento del programa no existe.');
    const schema = { objetivo: objetivoInput, estrategia: estrategiaInput, accion: accionInput, meta: metaInput }[kind] as z.ZodObject;
    const v = parseBody(schema, body, true) as Record<string, unknown>;
    if ('numero' in v) throw badRequest('«Número» no se modifica: identifica al elemento y a las claves que los registros guardan. Elimine y vuelva a crear si no hay registros vinculados.', [{ field: 'numero', message: 'No modificable.' }]);
    if (kind === 'accion') {
      this.checkInstitutions([v.institucion_coordinadora as string | null], 'institucion_coordinadora');
      this.checkInstitutions((v.instituciones_responsables as string[] | undefined) ?? [], 'instituciones_responsables');
    }
    if (kind === 'meta' && v.indicador_sintra && !INDICATORS.some((d) => d.id === v.indicador_sintra))
      throw badRequest(`«Indicador SINTRA»: «${String(v.indicador_sintra)}» no es un indicador (IND-01 a IND-15).`, [{ field: 'indicador_sintra', message: 'Use IND-01 a IND-15.' }]);
    const table = `pn_${kind}`;
    const keys = Object.keys(v);
    if (!keys.length) throw badRequest('Envíe al menos un campo a modificar.');
    const out = await this.ctx.db.tx(async (q) => {
      const [cur] = await q.query<Record<string, unknown>>(`select * from ${table} where id = $1 for update`, [id]);
      if (!cur) throw notFound('El elemento del programa no existe.');
      const [row] = await q.query<Record<string, unknown>>(
        `update ${table} set ${keys.map((k, i) => `"${k}" = $${i + 2}`).join(', ')} where id = $1 returning *`,
        [id, ...keys.map((k) => v[k] ?? null)],
      );
      if (kind === 'accion' || kind === 'objetivo') await this.afterChange(q);
      await writeAudit(q, a, { action: 'modificar', module: 'programa', detail: { entidad: table, id, antes: Object.fromEntries(keys.map((k) => [k, cur[k]])), despues: v } });
      return row;
    });
    if (kind === 'accion' || kind === 'objetivo') await this.reloadCatalogs();
    return out;
  }

  /** Deletes a node and what hangs from it, unless a record is linked to one of its acciones. */
  async deleteNode(a: Actor, kind: 'programa' | 'objetivo' | 'estrategia' | 'accion' | 'meta', id: string) {
    this.mustAdmin(a);
    if (!UUID.test(id)) throw notFound('El elemento del programa no existe.');
    await this.ctx.db.tx(async (q) => {
      const codesSql = {
        programa: `select a.codigo from pn_accion a join pn_estrategia e on e.id = a.estrategia_id join pn_objetivo o on o.id = e.objetivo_id where o.programa_id = $1`,
        objetivo: `select a.codigo from pn_accion a join pn_estrategia e on e.id = a.estrategia_id where e.objetivo_id = $1`,
        estrategia: `select a.codigo from pn_accion a where a.estrategia_id = $1`,
        accion: `select a.codigo from pn_accion a where a.id = $1`,
        meta: null, // a meta holds no acción
      }[kind];
      const codes = codesSql ? (await q.query<{ codigo: string }>(codesSql, [id])).map((r) => r.codigo) : [];
      const n = await linkedRecords(q, codes);
      if (n > 0)
        throw new HttpError('invalid_state', `No se puede eliminar: ${n} registro(s) están alineados a sus acciones puntuales. Los programas anteriores se conservan legibles con sus vínculos.`);
      const del = await q.query(`delete from pn_${kind} where id = $1 returning id`, [id]);
      if (!del.length) throw notFound('El elemento del programa no existe.');
      if (codes.length) await q.query(`delete from catalogo where nombre = 'pn_accion' and codigo = any($1::text[])`, [codes]);
      await this.afterChange(q);
      await writeAudit(q, a, { action: 'eliminar', module: 'programa', detail: { entidad: `pn_${kind}`, id, acciones: codes } });
    });
    await this.reloadCatalogs();
  }
}
