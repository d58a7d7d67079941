// Catalog administration by the Secretaría Técnica (spec §3): add a value, correct a label, deprecate a
// value from a date. Codes never change meaning; deprecated values stay readable on old records and in
// old statistics. Official catalogs (INEGI, ISO, LG) change only by loading a new edition file.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { HttpError, badRequest, forbidden } from '../http/errors.js';

const CODE = /^[A-Z0-9_]{1,64}$/;
/** Codes that close a list («Otro», «No especificado», «No aplica», «Ninguna»…): new values go before them. */
const CLOSING_CODES = new Set(['OTRO', 'OTRA', 'NE', 'NO_APLICA', 'NO_RESPONDE', 'NINGUNA', 'NINGUNO', 'DESCONOCIDO']);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Fecha AAAA-MM-DD');

export async function catalogAdminRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  const editable = (name: string) => {
    const territory = ctx.baseCatalogs.territory.find((c) => c.name === name);
    if (territory) throw forbidden(`«${territory.title}» es un catálogo oficial: solo cambia cargando una nueva edición de su fuente.`);
    // The acciones of the Programa Nacional are kept by its own screens (programa/service.ts mirrors them here).
    if (name === 'pn_accion') throw new HttpError('not_found', 'Las acciones del Programa Nacional se administran en /api/v1/programa.');
    const def = ctx.baseCatalogs.spec.find((c) => c.name === name);
    if (!def || name === 'institucion') throw new HttpError('not_found', `El catálogo «${name}» no existe o no se administra aquí (instituciones: /api/v1/institutions).`);
    if (def.official) throw forbidden(`«${def.title}» es un catálogo oficial: solo cambia cargando una nueva edición de su fuente.`);
    return def;
  };

  r.post(
    '/api/v1/catalogs/:catalog/items',
    {
      schema: {
        tags: ['catálogos'],
        summary: 'Agregar un valor a un catálogo (administrador)',
        params: z.object({ catalog: z.string().max(64) }),
        body: z.object({ code: z.string().max(64), label: z.string().min(2).max(400), group: z.string().max(64).optional(), validFrom: date.optional(), exclusive: z.boolean().optional() }),
      },
    },
    async (req, reply) => {
      const a = req.actor!;
      if (a.role !== 'administrador') throw forbidden('Solo la administración modifica catálogos.');
      const name = req.params.catalog.toLowerCase();
      editable(name);
      const { code, label, group, validFrom, exclusive } = req.body;
      if (!CODE.test(code)) throw badRequest('«code»: use MAYÚSCULAS, dígitos y guion bajo (p. ej. NUEVA_OPCION).', [{ field: 'code', message: 'Clave inválida: use MAYÚSCULAS, dígitos y guion bajo.' }]);
      if (ctx.catalogs.item(name, code)) throw badRequest(`La clave «${code}» ya existe en el catálogo: las claves no cambian de significado.`, [{ field: 'code', message: 'La clave ya existe.' }]);
      await ctx.db.tx(async (q) => {
        // A new value goes before the closing «Otro», «No especificado»… so those stay last in every list.
        const rows = await q.query<{ codigo: string; orden: number }>('select codigo, orden from catalogo where nombre = $1 order by orden desc, codigo desc', [name]);
        const last = rows.length ? Number(rows[0].orden) : -1;
        let at = last + 1;
        for (const r of rows) {
          if (!CLOSING_CODES.has(r.codigo)) break;
          at = Number(r.orden);
        }
        if (at <= last) await q.query('update catalogo set orden = orden + 1 where nombre = $1 and orden >= $2', [name, at]);
        await q.query(
          'insert into catalogo (nombre, codigo, etiqueta, orden, grupo, excluyente, vigente_desde) values ($1,$2,$3,$4,$5,$6,$7)',
          [name, code, label.trim(), at, group ?? null, exclusive === true, validFrom ?? null],
        );
        await writeAudit(q, a, { action: 'catalogo_agregar', detail: { catalogo: name, code, label } });
      });
      await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);
      return reply.code(201).send(ctx.catalogs.item(name, code));
    },
  );

  r.put(
    '/api/v1/catalogs/:catalog/items/:code',
    {
      schema: {
        tags: ['catálogos'],
        summary: 'Corregir la etiqueta o dar de baja un valor desde una fecha (administrador)',
        params: z.object({ catalog: z.string().max(64), code: z.string().max(64) }),
        body: z.object({ label: z.string().min(2).max(400).optional(), validTo: date.nullable().optional() }),
      },
    },
    async (req) => {
      const a = req.actor!;
      if (a.role !== 'administrador') throw forbidden('Solo la administración modifica catálogos.');
      const name = req.params.catalog.toLowerCase();
      editable(name);
      const before = ctx.catalogs.item(name, req.params.code);
      if (!before) throw new HttpError('not_found', `La clave «${req.params.code}» no existe en el catálogo.`);
      // Official values inside an editable catalog (Ley de Migración art. 52, INALI) change only with their source.
      if (before.official === true) throw forbidden(`«${before.label}» es un valor oficial del catálogo: solo cambia cargando una nueva edición de su fuente.`);
      if (req.body.validTo && before.validFrom && req.body.validTo < before.validFrom)
        throw badRequest('«validTo» no puede ser anterior a «validFrom».', [{ field: 'validTo', message: 'La fecha de baja no puede ser anterior al inicio de su vigencia.' }]);
      await ctx.db.tx(async (q) => {
        if (req.body.label !== undefined) await q.query('update catalogo set etiqueta = $3 where nombre = $1 and codigo = $2', [name, req.params.code, req.body.label.trim()]);
        if (req.body.validTo !== undefined) await q.query('update catalogo set vigente_hasta = $3 where nombre = $1 and codigo = $2', [name, req.params.code, req.body.validTo]);
        await writeAudit(q, a, { action: 'catalogo_modificar', detail: { catalogo: name, code: req.params.code, antes: { label: before.label, validTo: before.validTo ?? null }, despues: req.body } });
      });
      await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);
      return ctx.catalogs.item(name, req.params.code);
    },
  );
}
