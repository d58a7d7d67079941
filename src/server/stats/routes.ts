// Statistics routes: the generic cross-tab of any module, the legal tables of art. 88 fr. VIII, and the
// Secretaría Técnica's publication of closed periods. Exports use the same computation and access.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getModule } from '../../modules/index.js';
import type { Actor } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { badRequest } from '../http/errors.js';
import type { Query } from '../records/filters.js';
import { first } from '../records/filters.js';
import { moduleOr404 } from '../records/service.js';
import { crosstab, STATS_PARAMS, statsAccess, type StatsResult } from './crosstab.js';
import { dimensionsOf } from './dimensions.js';
import { csv, describeFilters, workbook, XLSX_TYPE, type SheetTable } from './export.js';
import { allLegal, CONDICIONES, condicionesOf, LEGAL_TABLES, legalFor, type LegalResult } from './legal.js';
import { listPublished, publish } from './publications.js';

const queryString = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
const moduleParams = z.object({ module: z.string().max(64) });
const tags = ['estadísticas'];

/** An unknown parameter is refused, not ignored: a misspelt filter would otherwise count everything. */
export function checkParams(query: Query, extra: string[] = []): void {
  const allowed = new Set<string>([...STATS_PARAMS, ...extra]);
  const unknown = Object.keys(query).filter((k) => !k.startsWith('f.') && !allowed.has(k));
  if (unknown.length)
    throw badRequest(`Parámetro desconocido: ${unknown.map((k) => `«${k}»`).join(', ')}. Use ${[...allowed].join(', ')} o filtros f.<campo>.`, unknown.map((k) => ({ field: k, message: 'Parámetro desconocido.' })));
}

export function formatOf(query: Query): 'json' | 'csv' | 'xlsx' {
  const f = first(query.format) ?? 'json';
  if (f !== 'json' && f !== 'csv' && f !== 'xlsx') throw badRequest('«format» debe ser json, csv o xlsx.', [{ field: 'format', message: 'Use json, csv o xlsx.' }]);
  return f;
}

/** Builds tables as a CSV text or an XLSX buffer. */
export async function fileOf(format: 'csv' | 'xlsx', title: string, filters: string[], sheets: { name: string; title: string; tables: SheetTable[] }[], cutoff?: Date): Promise<string | Buffer> {
  return format === 'csv' ? csv(sheets.flatMap((s) => s.tables), filters, cutoff) : workbook(title, filters, sheets, cutoff);
}

export function sendBody(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, body: string | Buffer) {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return reply
    .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${safe}.${format}"`)
    .send(body);
}

/** Sends tables as CSV or XLSX. */
export async function sendFile(reply: FastifyReply, format: 'csv' | 'xlsx', name: string, title: string, filters: string[], sheets: { name: string; title: string; tables: SheetTable[] }[]) {
  return sendBody(reply, format, name, await fileOf(format, title, filters, sheets));
}

export function legalSheets(results: LegalResult[]): { name: string; title: string; tables: SheetTable[] }[] {
  const many = new Set(results.map((r) => r.condicion)).size > 1;
  return results.map((r) => ({
    name: many && r.condicion !== 'OFENDIDO' ? `${r.id} ${r.condicion === 'VICTIMA' ? 'V' : 'PV'}` : r.id,
    title: `${r.id} ${r.title} — ${r.condicionLabel}`,
    tables: r.parts.map((p) => ({ title: `${r.id}${p.key}. ${p.title}`, result: p as StatsResult })),
  }));
}

async function auditExport(ctx: Ctx, a: Actor, detail: Record<string, unknown>) {
  await ctx.db.tx((q) => writeAudit(q, a, { action: 'exportar', module: 'victimas', detail }));
}

function accessFilters(ctx: Ctx, a: Actor, query: Query, extra: string[] = []): string[] {
  const acc = statsAccess(a, query);
  const m = getModule('victimas')!;
  return [
    ...extra,
    ...describeFilters(ctx, m, query),
    acc.validadoOnly || first(query.estatus) === 'validado' ? 'Estatus: solo registros validados' : 'Estatus: registros enviados y validados',
    `Registros de ${acc.reach}`,
  ];
}

export async function statsRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/stats/legal',
    { schema: { tags, summary: 'Tabulados del art. 88 fr. VIII (T-01 a T-14): definiciones' } },
    async () => ({
      items: LEGAL_TABLES.map((t) => ({
        id: t.id,
        title: t.title,
        fields: t.fields,
        condicion: t.condicion ?? null,
        parts: t.parts.map((p) => ({ key: p.key, title: p.title, rows: p.rows, cols: p.cols ?? null, chart: p.chart, geo: p.geo ?? null, stateField: p.stateField ?? null, filters: p.filters ?? {} })),
      })),
      condiciones: CONDICIONES,
    }),
  );

  r.get(
    '/api/v1/stats/legal/:id',
    {
      schema: {
        tags,
        summary: 'Un tabulado legal (T-01 … T-14, ENTIDADES, OFENDIDOS) o «todas»; condicion=VICTIMA|POSIBLE_VICTIMA; filtros de periodo (anio, from, to), f.entidad_federativa, f.ambito, f.institucion_id, estatus=validado, duplicados=excluir, alcance, publicacion; format=json|csv|xlsx',
        params: z.object({ id: z.string().max(32) }),
        querystring: queryString,
      },
    },
    async (req, reply) => {
      const query = req.query as Query;
      checkParams(query, ['condicion']);
      const format = formatOf(query);
      const a = req.actor!;
      if (req.params.id.toLowerCase() === 'todas') {
        const condiciones = condicionesOf(query, true);
        const results = await allLegal(ctx, query, statsAccess(a, query), condiciones);
        if (format === 'json') return { items: results };
        await auditExport(ctx, a, { tipo: 'tabulados_legales', format, query });
        const title = 'Tabulados del artículo 88, fracción VIII, de la Ley General';
        return sendFile(reply, format, `sintra-tabulados-art88${query.anio ? `-${first(query.anio)}` : ''}`, title, accessFilters(ctx, a, query), legalSheets(results));
      }
      const res = await legalFor(ctx, a, req.params.id, query);
      if (format === 'json') return res;
      await auditExport(ctx, a, { tipo: 'tabulado_legal', tabla: res.id, format, query });
      return sendFile(reply, format, `sintra-${res.id}-${res.condicion}`, `${res.id} ${res.title}`, accessFilters(ctx, a, query, [`Población: ${res.condicionLabel}`]), legalSheets([res]));
    },
  );

  r.get('/api/v1/stats/publicaciones', { schema: { tags, summary: 'Periodos publicados (última versión de cada uno)' } }, async () => ({ items: await listPublished(ctx) }));

  r.post(
    '/api/v1/stats/publicaciones',
    { schema: { tags, summary: 'Cerrar y publicar un periodo concluido (Secretaría Técnica): { periodo: "2024" | "2024-T2" }', body: z.record(z.string(), z.unknown()) } },
    async (req, reply) => reply.code(201).send(await publish(ctx, req.actor!, req.body)),
  );

  r.get(
    '/api/v1/stats/:module',
    {
      schema: {
        tags,
        summary: 'Tabulado cruzado de un módulo (rows, cols —también compuestas a*b—, sum, distinct, filtros f.<campo>, anio, from/to, estatus, alcance, publicacion, duplicados, format)',
        params: moduleParams,
        querystring: queryString,
      },
    },
    async (req, reply) => {
      const m = moduleOr404(req.params.module);
      const query = req.query as Query;
      checkParams(query);
      const format = formatOf(query);
      const s = await crosstab(ctx, req.actor!, m, query);
      if (format === 'json') return s;
      await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'exportar', module: m.key, detail: { tipo: 'estadistica', format, query } }));
      const filters = [...describeFilters(ctx, m, query), ...s.notes.filter((n) => n.startsWith('Registros de')).map((n) => n.replace(/\.$/, ''))];
      const title = `${m.name}: ${s.rows}${s.cols ? ` × ${s.cols}` : ''}`;
      return sendFile(reply, format, `sintra-${m.key}-${s.rows}${s.cols ? `-${s.cols}` : ''}`, title, filters, [{ name: 'Tabulado', title, tables: [{ title, result: s }] }]);
    },
  );

  r.get('/api/v1/stats/:module/dimensions', { schema: { tags, summary: 'Dimensiones disponibles', params: moduleParams } }, async (req) => {
    const m = moduleOr404(req.params.module);
    const details = dimensionsOf(m);
    return { items: details.map((d) => d.key), details };
  });
}
