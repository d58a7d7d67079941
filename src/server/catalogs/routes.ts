import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MODULES } from '../../modules/index.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { CLIENT_METADATA, MODULE_GROUPS, fieldCatalog, type FieldDef, type ModuleDef } from '../../modules/types.js';
import type { Ctx } from '../context.js';
import { HttpError } from '../http/errors.js';
import { referenceItems } from '../records/service.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { todayMx } from '../../modules/validate.js';

function fieldOut(f: FieldDef) {
  return {
    key: f.key,
    label: f.label,
    type: f.type,
    catalog: fieldCatalog(f) ?? null,
    required: f.required === true ? true : f.required === false ? false : ('condicional' as const),
    requiredWhen: typeof f.required === 'object' ? f.required : undefined,
    section: f.section,
    help: f.help ?? null,
    min: f.min,
    max: f.max,
    step: f.step,
    minLength: f.minLength,
    maxLength: f.maxLength ?? (f.type === 'texto' ? 300 : f.type === 'texto_largo' ? 2000 : f.type === 'url' ? 500 : undefined),
    sumOf: f.sumOf,
    notBefore: f.notBefore,
    notAbove: f.notAbove,
    notAfterToday: f.notAfterToday,
    exclusive: f.exclusive,
    denyCodes: f.denyCodes,
    allowCodes: f.allowCodes,
    stateField: f.stateField,
    files: f.type === 'archivo' ? { maxFiles: f.files?.maxFiles ?? 5, kinds: f.files?.kinds ?? ['pdf', 'docx', 'xlsx', 'jpg', 'png', 'mp3', 'mp4'], maxMb: f.files?.maxMb ?? 20 } : undefined,
    otro: f.otro,
    sensitivity: f.sensitivity,
  };
}

export function moduleOut(m: ModuleDef) {
  return {
    key: m.key,
    number: m.number,
    name: m.name,
    group: MODULE_GROUPS[m.group],
    groupKey: m.group,
    folioPrefix: m.folioPrefix,
    description: m.description,
    mainDate: m.mainDate,
    formNote: m.formNote ?? null,
    sections: m.sections,
    listColumns: m.listColumns,
    fields: m.fields.map(fieldOut),
    metadata: [...CLIENT_METADATA],
    metadataFields: METADATA_FIELDS.map(fieldOut),
    example: m.example,
  };
}

const GEO_FILE = new URL('../../catalogs/data/geo/00ent_mexico.geojson', import.meta.url);

export async function catalogRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const geo = fs.readFileSync(GEO_FILE);
  r.get('/api/v1/geo/estados', { schema: { tags: ['catálogos'], summary: 'Geometría simplificada de las 32 entidades (INEGI, GeoJSON)' } }, async (_req, reply) =>
    reply.header('content-type', 'application/geo+json').header('cache-control', 'private, max-age=86400').send(geo),
  );
  r.get('/api/v1/modules', { schema: { tags: ['módulos'], summary: 'Los 12 módulos con sus campos' } }, async () => ({ modules: MODULES.map(moduleOut) }));

  r.get('/api/v1/catalogs', { schema: { tags: ['catálogos'], summary: 'Nombres de los catálogos' } }, async () => ({
    items: ctx.catalogs.names().map((n) => ({ name: n, title: ctx.catalogs.get(n)?.def.title ?? n, official: ctx.catalogs.get(n)?.def.official ?? false })),
  }));

  r.get(
    '/api/v1/catalogs/:catalog',
    {
      schema: {
        tags: ['catálogos'],
        summary: 'Valores de un catálogo',
        params: z.object({ catalog: z.string().max(64) }),
        querystring: z.object({ entidad: z.string().regex(/^\d{2}$/).optional(), vigentes: z.enum(['0', '1']).optional() }),
      },
    },
    async (req) => {
      const name = req.params.catalog.toLowerCase();
      if (ctx.catalogs.isReference(name)) {
        const a = req.actor!;
        const items = await referenceItems(ctx.db, name, isSecretariaTecnica(a) ? null : a.institucion_id, undefined, a);
        return { items };
      }
      const c = ctx.catalogs.get(name);
      if (!c) throw new HttpError('not_found', `El catálogo «${req.params.catalog}» no existe.`);
      let items = c.items;
      if (req.query.entidad) items = items.filter((i) => i.parent === req.query.entidad);
      // vigentes=1: only what a form may offer today (deprecated values stay readable, not offered).
      if (req.query.vigentes === '1') {
        const today = todayMx();
        items = items.filter((i) => (!i.validFrom || i.validFrom <= today) && (!i.validTo || i.validTo >= today));
      }
      return { name: c.def.name, title: c.def.title, official: c.def.official ?? false, source: c.def.source ?? null, items };
    },
  );
}
