// GET /api/v1/public/...: the only data routes without a session (contract §4). They serve the periodic
// publication of the legal tables: closed periods only, validated records only, always suppressed — the
// snapshot the Secretaría Técnica published (stats/publications.ts), never a live query.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { badRequest, notFound } from '../http/errors.js';
import { first, type Query } from '../records/filters.js';
import { cutoffText } from '../stats/export.js';
import { CONDICIONES, LEGAL_TABLES } from '../stats/legal.js';
import { getPublished, listPublished } from '../stats/publications.js';
import { fileOf, formatOf, legalSheets, sendBody } from '../stats/routes.js';

const tags = ['público'];
const GEO_FILE = new URL('../../catalogs/data/geo/00ent_mexico.geojson', import.meta.url);

/**
 * Files of a publication never change (a new publication is a new version), and these routes have no session
 * to rate-limit: the last files built are kept in memory instead of being built again for every visitor.
 */
const FILES = new Map<string, string | Buffer>();
const FILES_MAX = 40;

export async function publicRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const geo = fs.readFileSync(GEO_FILE);

  // The state geometry for the public page's map (INEGI, public).
  r.get('/api/v1/public/geo/estados', { schema: { tags, summary: 'Geometría simplificada de las 32 entidades (INEGI, GeoJSON)' } }, async (_req, reply) =>
    reply.header('content-type', 'application/geo+json').send(geo),
  );

  r.get('/api/v1/public/publicaciones', { schema: { tags, summary: 'Periodos publicados de los tabulados del art. 88 fr. VIII' } }, async () => ({
    items: await listPublished(ctx),
    tablas: LEGAL_TABLES.map((t) => ({ id: t.id, title: t.title, parts: t.parts.map((p) => ({ key: p.key, title: p.title, chart: p.chart, geo: p.geo ?? null })) })),
    condiciones: CONDICIONES,
  }));

  r.get(
    '/api/v1/public/publicaciones/:periodo',
    { schema: { tags, summary: 'Tabulados publicados de un periodo cerrado (solo registros validados, cifras protegidas)', params: z.object({ periodo: z.string().max(16) }) } },
    async (req) => getPublished(ctx, req.params.periodo),
  );

  r.get(
    '/api/v1/public/publicaciones/:periodo/:tabla',
    {
      schema: {
        tags,
        summary: 'Un tabulado publicado (o «todas»), en JSON, CSV o XLSX; condicion=VICTIMA|POSIBLE_VICTIMA',
        params: z.object({ periodo: z.string().max(16), tabla: z.string().max(32) }),
        querystring: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      },
    },
    async (req, reply) => {
      const query = req.query as Query;
      const format = formatOf(query);
      const pub = await getPublished(ctx, req.params.periodo);
      const id = req.params.tabla.toUpperCase();
      const cond = first(query.condicion);
      if (cond !== undefined && cond !== 'VICTIMA' && cond !== 'POSIBLE_VICTIMA')
        throw badRequest('«condicion» debe ser VICTIMA o POSIBLE_VICTIMA.', [{ field: 'condicion', message: 'Use VICTIMA o POSIBLE_VICTIMA.' }]);
      let tablas = pub.tablas;
      if (id !== 'TODAS') {
        tablas = tablas.filter((t) => t.id === id && (t.condicion === 'OFENDIDO' || t.condicion === (cond ?? 'VICTIMA')));
        if (!tablas.length) throw notFound(`La tabla «${req.params.tabla}» no está en la publicación de ${pub.periodo}.`);
      } else if (cond) tablas = tablas.filter((t) => t.condicion === cond || t.condicion === 'OFENDIDO');
      if (format === 'json') return id === 'TODAS' ? { ...pub, tablas } : { periodo: pub.periodo, version: pub.version, publicada_at: pub.publicada_at, ...tablas[0] };
      const filters = [
        `Periodo: ${pub.periodo} (${pub.desde} a ${pub.hasta})`,
        `Publicación versión ${pub.version}, del ${cutoffText(new Date(pub.publicada_at))}`,
        'Estatus: solo registros validados',
        `Cifras protegidas: umbral ${pub.umbral}`,
      ];
      const title = 'Tabulados del artículo 88, fracción VIII, de la Ley General (publicación)';
      const key = `${pub.id}|${id}|${cond ?? ''}|${format}`;
      let body = FILES.get(key);
      if (!body) {
        body = await fileOf(format, title, filters, legalSheets(tablas), new Date(pub.publicada_at));
        if (FILES.size >= FILES_MAX) FILES.delete(FILES.keys().next().value!);
        FILES.set(key, body);
      }
      return sendBody(reply, format, `sintra-publicacion-${pub.periodo}-${id.toLowerCase()}`, body);
    },
  );
}
