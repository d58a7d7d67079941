import type { FastifyInstance } from 'fastify';
import { todayMx } from '../../modules/validate.js';
import type { Ctx } from '../context.js';
import { badRequest } from '../http/errors.js';
import { getModule } from '../../modules/index.js';
import type { Query } from '../records/filters.js';
import { crosstab } from '../stats/crosstab.js';
import { legalFor } from '../stats/legal.js';
import { generateAnnual, getJob, jobFile, mustGenerate, startJob } from './service.js';
import { createSnapshot, getSnapshot, listSnapshots, withSnapshot } from './snapshot.js';
import { writeAudit } from '../audit/audit.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function anioOf(v: unknown, required = true): number | null {
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest('Indique «anio»: el año del informe.', [{ field: 'anio', message: '«anio» es obligatorio.' }]);
    return null;
  }
  const s = String(v);
  const max = Number(todayMx().slice(0, 4));
  const n = Number(s);
  if (!/^\d{4}$/.test(s) || n < 2012 || n > max) throw badRequest(`«anio» debe ser un año entre 2012 y ${max}.`, [{ field: 'anio', message: `Año entre 2012 y ${max}.` }]);
  return n;
}

function formatOf(v: unknown): 'docx' | 'pdf' {
  const f = v === undefined ? 'docx' : String(v);
  if (f !== 'docx' && f !== 'pdf') throw badRequest('«format» debe ser docx o pdf.', [{ field: 'format', message: 'Use docx o pdf.' }]);
  return f;
}

export async function reportRoutes(app: FastifyInstance, ctx: Ctx) {
  const tags = ['informe anual'];

  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/reports/annual',
    { schema: { tags, summary: 'Informe anual (DOCX; format=pdf para PDF). snapshot=<id> lo regenera de esa instantánea; sin él, usa la última del año (o congela una).' } },
    async (req, reply) => {
      const anio = anioOf(req.query.anio)!;
      const format = formatOf(req.query.format);
      const r = await generateAnnual(ctx, req.actor!, { anio, snapshotId: req.query.snapshot || null, nuevoCorte: req.query.nuevo_corte === '1', pdf: format === 'pdf', docx: format === 'docx' });
      return reply
        .header('content-type', format === 'pdf' ? 'application/pdf' : DOCX)
        .header('content-disposition', `attachment; filename="informe-anual-${anio}.${format}"`)
        .header('x-sintra-snapshot', r.snapshot.id)
        .header('x-sintra-figuras-sha256', r.model.figurasSha256)
        .send(format === 'pdf' ? r.pdf : r.docx);
    },
  );

  app.post<{ Body: { anio?: unknown; snapshot?: unknown; nuevo_corte?: unknown } }>('/api/v1/reports/annual/jobs', { schema: { tags, summary: 'Genera el informe en segundo plano (con progreso)' } }, async (req, reply) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    const unknownKeys = Object.keys(b).filter((k) => !['anio', 'snapshot', 'nuevo_corte'].includes(k));
    if (unknownKeys.length) throw badRequest(`Campo(s) desconocido(s): ${unknownKeys.join(', ')}.`, unknownKeys.map((k) => ({ field: k, message: 'Campo desconocido.' })));
    const anio = anioOf(b.anio)!;
    if (b.snapshot !== undefined && b.snapshot !== null && typeof b.snapshot !== 'string') throw badRequest('«snapshot» debe ser el id de una instantánea.', [{ field: 'snapshot', message: 'Id inválido.' }]);
    const job = await startJob(ctx, req.actor!, { anio, snapshotId: (b.snapshot as string | undefined) ?? null, nuevoCorte: b.nuevo_corte === true });
    return reply.code(202).send(job);
  });
  app.get<{ Params: { id: string } }>('/api/v1/reports/jobs/:id', { schema: { tags, summary: 'Estado y progreso de una generación' } }, async (req) => getJob(ctx, req.actor!, req.params.id));
  app.get<{ Params: { id: string }; Querystring: { format?: string } }>('/api/v1/reports/jobs/:id/file', { schema: { tags, summary: 'Descarga del informe generado (format=docx|pdf)' } }, async (req, reply) => {
    const format = formatOf(req.query.format);
    const f = await jobFile(ctx, req.actor!, req.params.id, format);
    await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'exportar', detail: { tipo: 'informe_anual', format, anio: f.anio, instantanea: f.snapshot } }));
    return reply
      .header('content-type', format === 'pdf' ? 'application/pdf' : DOCX)
      .header('content-disposition', `attachment; filename="informe-anual-${f.anio}.${format}"`)
      .header('x-sintra-snapshot', f.snapshot)
      .send(f.body);
  });

  app.get<{ Querystring: { anio?: string } }>('/api/v1/reports/snapshots', { schema: { tags, summary: 'Instantáneas congeladas' } }, async (req) => {
    mustGenerate(req.actor!);
    return { items: await listSnapshots(ctx.db, anioOf(req.query.anio, false)) };
  });
  app.post<{ Body: { anio?: unknown } }>('/api/v1/reports/snapshots', { schema: { tags, summary: 'Congela una instantánea para un año' } }, async (req, reply) => {
    mustGenerate(req.actor!);
    const anio = anioOf((req.body as { anio?: unknown } | undefined)?.anio)!;
    const s = await createSnapshot(ctx, req.actor!, anio);
    await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'reporte', detail: { tipo: 'instantanea', anio, instantanea: s.id, registros: s.conteos } }));
    return reply.code(201).send(s);
  });
  app.get<{ Params: { id: string } }>('/api/v1/reports/snapshots/:id', { schema: { tags, summary: 'Una instantánea: corte, conteos y huella' } }, async (req) => {
    mustGenerate(req.actor!);
    return getSnapshot(ctx.db, req.params.id);
  });
  app.get<{ Params: { id: string }; Querystring: { module?: string } }>('/api/v1/reports/snapshots/:id/records', { schema: { tags, summary: 'Registros y versiones que contiene una instantánea' } }, async (req) => {
    mustGenerate(req.actor!);
    await getSnapshot(ctx.db, req.params.id);
    const items = await ctx.db.query<{ module: string; record_id: string; version: number; folio_sintra: string }>(
      `select module, record_id, version, data->>'folio_sintra' as folio_sintra from report_snapshot_record where snapshot_id = $1 and ($2::text is null or module = $2) order by module, data->>'folio_sintra'`,
      [req.params.id, req.query.module ?? null],
    );
    return { items };
  });
  // The statistics engine over a snapshot: the same query as /api/v1/stats/:module, against the frozen rows.
  app.get<{ Params: { id: string; module: string }; Querystring: Query }>(
    '/api/v1/reports/snapshots/:id/stats/:module',
    { schema: { tags, summary: 'Tabulado cruzado sobre una instantánea (mismos parámetros que /api/v1/stats/:module)' } },
    async (req) => {
      mustGenerate(req.actor!);
      const m = getModule(req.params.module);
      if (!m) throw badRequest(`El módulo «${req.params.module}» no existe.`, [{ field: 'module', message: 'Módulo desconocido.' }]);
      return withSnapshot(ctx, req.params.id, (sctx) => crosstab(sctx, req.actor!, m, req.query));
    },
  );
  app.get<{ Params: { id: string; tabla: string }; Querystring: Query }>(
    '/api/v1/reports/snapshots/:id/legal/:tabla',
    { schema: { tags, summary: 'Tabulado legal (T-01 … T-14) sobre una instantánea (mismos parámetros que /api/v1/stats/legal/:id)' } },
    async (req) => {
      mustGenerate(req.actor!);
      return withSnapshot(ctx, req.params.id, (sctx) => legalFor(sctx, req.actor!, req.params.tabla, req.query));
    },
  );
}
