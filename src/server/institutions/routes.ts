// Institutions (the spec's INSTITUCION table): the Comisión Intersecretarial members seeded at first start,
// plus the state and municipal institutions the administrator adds. Administrador only; every change audited.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Issue } from '../../modules/validate.js';
import type { Actor } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/client.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';

export const AMBITOS = ['FEDERAL', 'ESTATAL', 'MUNICIPAL'] as const;
/** Groups of federal institutions (spec §3.1); state and municipal ones are always LOCAL. */
const FEDERAL_GROUPS = ['CI_INTEGRANTE', 'CI_VOZ', 'OTRA_FEDERAL'];
const CODIGO = /^[A-Z0-9][A-Z0-9_-]{1,63}$/;

export interface InstitutionRow {
  codigo: string;
  nombre: string;
  siglas: string | null;
  ambito: (typeof AMBITOS)[number];
  entidad: string | null;
  municipio: string | null;
  tipo_local: string | null;
  grupo: string | null;
  obligada_reportar: boolean;
  vigente: boolean;
  created_at: Date | string;
  usuarios?: number;
}

const COLS = 'i.codigo, i.nombre, i.siglas, i.ambito, i.entidad, i.municipio, i.tipo_local, i.grupo, i.obligada_reportar, i.vigente, i.created_at';

function out(r: InstitutionRow) {
  return { id: r.codigo, ...r, created_at: r.created_at instanceof Date ? r.created_at.toISOString() : r.created_at, usuarios: r.usuarios ?? 0 };
}

export function requireAdmin(a: Actor, what: string): void {
  if (a.role !== 'administrador') throw forbidden(`Solo la administración ${what}.`);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

type Values = Omit<InstitutionRow, 'created_at' | 'usuarios'>;

/** Checks a create (existing = null) or update body; returns the complete values or throws 400 naming each field. */
function checkBody(ctx: Ctx, body: Record<string, unknown>, existing: Values | null): Values {
  const errors: Issue[] = [];
  const allowed = ['codigo', 'id', 'nombre', 'siglas', 'ambito', 'entidad', 'municipio', 'tipo_local', 'grupo', 'obligada_reportar', 'vigente', 'created_at', 'usuarios'];
  for (const k of Object.keys(body)) if (!allowed.includes(k)) errors.push({ field: k, message: `«${k}» no es un dato de la institución.` });
  const has = (k: string) => Object.prototype.hasOwnProperty.call(body, k);
  const pick = (k: keyof Values) => (has(k) ? body[k] : existing?.[k]);

  const nombre = str(pick('nombre'));
  if (!nombre) errors.push({ field: 'nombre', message: '«nombre» es obligatorio.' });
  else if (nombre.length < 3 || nombre.length > 300) errors.push({ field: 'nombre', message: '«nombre» debe tener de 3 a 300 caracteres.' });
  const siglas = str(pick('siglas'));
  if (siglas && siglas.length > 64) errors.push({ field: 'siglas', message: '«siglas» admite a lo más 64 caracteres.' });
  const ambito = str(pick('ambito'))?.toUpperCase() ?? null;
  if (!ambito || !(AMBITOS as readonly string[]).includes(ambito)) errors.push({ field: 'ambito', message: '«ambito» debe ser FEDERAL, ESTATAL o MUNICIPAL.' });
  let entidad = str(pick('entidad'));
  let municipio = str(pick('municipio'));
  let tipoLocal = str(pick('tipo_local'));
  let grupo = str(pick('grupo'));
  if (ambito === 'FEDERAL') {
    if (has('entidad') && entidad) errors.push({ field: 'entidad', message: 'Una institución federal no lleva «entidad».' });
    if (has('municipio') && municipio) errors.push({ field: 'municipio', message: 'Una institución federal no lleva «municipio».' });
    if (has('tipo_local') && tipoLocal) errors.push({ field: 'tipo_local', message: '«tipo_local» es para instituciones estatales y municipales.' });
    entidad = municipio = tipoLocal = null;
    grupo ??= 'OTRA_FEDERAL';
    if (!FEDERAL_GROUPS.includes(grupo)) errors.push({ field: 'grupo', message: `«grupo» de una institución federal: ${FEDERAL_GROUPS.join(', ')}.` });
  } else if (ambito) {
    const ent = entidad ? ctx.catalogs.item('entidad', entidad) : undefined;
    if (!entidad) errors.push({ field: 'entidad', message: `«entidad» es obligatoria para una institución ${ambito === 'ESTATAL' ? 'estatal' : 'municipal'}.` });
    else if (!ent || !/^(0[1-9]|[12]\d|3[0-2])$/.test(entidad)) errors.push({ field: 'entidad', message: `«entidad»: «${entidad}» no es la clave INEGI de una entidad federativa (01 a 32).` });
    if (ambito === 'MUNICIPAL') {
      const mun = municipio ? ctx.catalogs.item('municipio', municipio) : undefined;
      if (!municipio) errors.push({ field: 'municipio', message: '«municipio» es obligatorio para una institución municipal.' });
      else if (!mun) errors.push({ field: 'municipio', message: `«municipio»: «${municipio}» no es una clave INEGI de municipio.` });
      else if (entidad && mun.parent !== entidad) errors.push({ field: 'municipio', message: `«municipio»: «${municipio}» no pertenece a la entidad «${entidad}».` });
    } else {
      if (has('municipio') && municipio) errors.push({ field: 'municipio', message: 'Una institución estatal no lleva «municipio».' });
      municipio = null;
    }
    if (tipoLocal && !ctx.catalogs.item('tipo_institucion_local', tipoLocal))
      errors.push({ field: 'tipo_local', message: `«tipo_local»: «${tipoLocal}» no está en el catálogo TIPO_INSTITUCION_LOCAL.` });
    if (grupo && grupo !== 'LOCAL') errors.push({ field: 'grupo', message: 'Las instituciones estatales y municipales pertenecen al grupo LOCAL.' });
    grupo = 'LOCAL';
  }
  const bool = (k: 'obligada_reportar' | 'vigente', dflt: boolean) => {
    const v = pick(k);
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') errors.push({ field: k, message: `«${k}» debe ser verdadero o falso.` });
    return v === true;
  };
  const obligada = bool('obligada_reportar', true);
  const vigente = bool('vigente', true);
  let codigo = existing?.codigo ?? str(body.codigo)?.toUpperCase() ?? '';
  if (existing && has('codigo') && str(body.codigo) && str(body.codigo) !== existing.codigo)
    errors.push({ field: 'codigo', message: '«codigo» no se cambia: los registros de la institución lo usan.' });
  if (!existing && codigo && !CODIGO.test(codigo))
    errors.push({ field: 'codigo', message: '«codigo»: de 2 a 64 caracteres en mayúsculas, dígitos, guion o guion bajo (p. ej. FGE-JAL).' });
  if (errors.length) throw badRequest(`La institución tiene ${errors.length} dato(s) inválido(s).`, errors);
  if (!codigo) codigo = '';
  return {
    codigo,
    nombre: nombre!,
    siglas,
    ambito: ambito as Values['ambito'],
    entidad,
    municipio,
    tipo_local: tipoLocal,
    grupo,
    obligada_reportar: obligada,
    vigente,
  };
}

/** A code for a new institution: its siglas (or initials), with the state (and municipality) for local ones. */
async function newCode(q: Queryable, v: Values): Promise<string> {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toUpperCase();
  const base =
    fold(v.siglas ?? '').replace(/[^A-Z0-9]+/g, '') ||
    fold(v.nombre)
      .split(/[^A-Z0-9]+/)
      .filter((w) => w.length > 2)
      .map((w) => w[0])
      .join('')
      .slice(0, 12) ||
    'INST';
  const stem = v.ambito === 'MUNICIPAL' ? `${base}-${v.municipio}` : v.ambito === 'ESTATAL' ? `${base}-${v.entidad}` : base;
  const taken = new Set((await q.query<{ codigo: string }>('select codigo from institucion where codigo like $1', [`${stem.slice(0, 56)}%`])).map((r) => r.codigo));
  let code = stem.slice(0, 56);
  for (let i = 2; taken.has(code); i++) code = `${stem.slice(0, 56)}-${i}`;
  return code;
}

export async function institutionRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['instituciones'];
  const body = z.record(z.string(), z.unknown());
  const reload = () => ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);

  r.get(
    '/api/v1/institutions',
    {
      schema: {
        tags,
        summary: 'Instituciones (administración)',
        querystring: z.object({ ambito: z.string().optional(), entidad: z.string().optional(), q: z.string().max(100).optional() }),
      },
    },
    async (req) => {
      requireAdmin(req.actor!, 'administra las instituciones');
      const p: unknown[] = [];
      const conds: string[] = ['true'];
      if (req.query.ambito) {
        p.push(req.query.ambito.toUpperCase());
        conds.push(`i.ambito = $${p.length}`);
      }
      if (req.query.entidad) {
        p.push(req.query.entidad);
        conds.push(`i.entidad = $${p.length}`);
      }
      if (req.query.q) {
        p.push(`%${req.query.q.toLowerCase()}%`);
        conds.push(`(lower(i.nombre) like $${p.length} or lower(i.codigo) like $${p.length} or lower(coalesce(i.siglas, '')) like $${p.length})`);
      }
      const rows = await ctx.db.query<InstitutionRow>(
        `select ${COLS}, (select count(*)::int from app_user u where u.institucion_id = i.codigo) as usuarios
           from institucion i where ${conds.join(' and ')}
          order by case i.ambito when 'FEDERAL' then 0 when 'ESTATAL' then 1 else 2 end, i.entidad nulls first, i.nombre`,
        p,
      );
      return { items: rows.map(out) };
    },
  );

  r.get('/api/v1/institutions/:id', { schema: { tags, summary: 'Una institución', params: z.object({ id: z.string().max(64) }) } }, async (req) => {
    requireAdmin(req.actor!, 'administra las instituciones');
    const row = (await ctx.db.query<InstitutionRow>(`select ${COLS}, (select count(*)::int from app_user u where u.institucion_id = i.codigo) as usuarios from institucion i where i.codigo = $1`, [req.params.id]))[0];
    if (!row) throw notFound('La institución no existe.');
    return out(row);
  });

  r.post('/api/v1/institutions', { schema: { tags, summary: 'Agregar una institución (estatal, municipal u otra federal)', body } }, async (req, reply) => {
    const a = req.actor!;
    requireAdmin(a, 'administra las instituciones');
    const v = checkBody(ctx, req.body, null);
    const row = await ctx.db.tx(async (q) => {
      if (v.codigo && (await q.query('select 1 from institucion where codigo = $1', [v.codigo])).length)
        throw badRequest(`Ya existe una institución con el código «${v.codigo}».`, [{ field: 'codigo', message: `El código «${v.codigo}» ya existe.` }]);
      const dup = await q.query<{ codigo: string }>(
        `select codigo from institucion where lower(nombre) = lower($1) and ambito = $2 and coalesce(entidad, '') = coalesce($3, '') and coalesce(municipio, '') = coalesce($4, '')`,
        [v.nombre, v.ambito, v.entidad, v.municipio],
      );
      if (dup.length) throw badRequest(`Ya existe esa institución (código «${dup[0].codigo}»).`, [{ field: 'nombre', message: `Ya registrada como «${dup[0].codigo}».` }]);
      v.codigo ||= await newCode(q, v);
      const rows = await q.query<InstitutionRow>(
        `insert into institucion as i (codigo, nombre, siglas, ambito, entidad, municipio, tipo_local, grupo, obligada_reportar, vigente)
         values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) returning ${COLS}`,
        [v.codigo, v.nombre, v.siglas, v.ambito, v.entidad, v.municipio, v.tipo_local, v.grupo, v.obligada_reportar, v.vigente],
      );
      await writeAudit(q, a, { action: 'institucion_crear', detail: { institucion: v } });
      return rows[0];
    });
    await reload();
    return reply.code(201).send(out(row));
  });

  r.put('/api/v1/institutions/:id', { schema: { tags, summary: 'Modificar una institución', params: z.object({ id: z.string().max(64) }), body } }, async (req) => {
    const a = req.actor!;
    requireAdmin(a, 'administra las instituciones');
    const row = await ctx.db.tx(async (q) => {
      const cur = (await q.query<InstitutionRow>(`select ${COLS} from institucion i where i.codigo = $1 for update`, [req.params.id]))[0];
      if (!cur) throw notFound('La institución no existe.');
      const v = checkBody(ctx, req.body, cur);
      const rows = await q.query<InstitutionRow>(
        `update institucion i set nombre = $2, siglas = $3, ambito = $4, entidad = $5, municipio = $6, tipo_local = $7, grupo = $8,
                obligada_reportar = $9, vigente = $10 where i.codigo = $1 returning ${COLS}`,
        [cur.codigo, v.nombre, v.siglas, v.ambito, v.entidad, v.municipio, v.tipo_local, v.grupo, v.obligada_reportar, v.vigente],
      );
      const cambios: Record<string, [unknown, unknown]> = {};
      for (const k of ['nombre', 'siglas', 'ambito', 'entidad', 'municipio', 'tipo_local', 'grupo', 'obligada_reportar', 'vigente'] as const)
        if (cur[k] !== rows[0][k]) cambios[k] = [cur[k], rows[0][k]];
      await writeAudit(q, a, { action: 'institucion_modificar', detail: { institucion: cur.codigo, cambios } });
      return rows[0];
    });
    await reload();
    return out(row);
  });

}
