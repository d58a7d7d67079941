// GET  /api/v1/modules/:module/imports/template?format=xlsx|csv   the module's import template
// POST /api/v1/modules/:module/imports[?enviar=1]                  multipart `file`: 201 { imported } or 422 { errors };
//                                                                  with enviar=1 rows needing a file are saved as drafts;
//                                                                  drafts with anything blocking sending are in `pendientes`
// POST /api/v1/modules/:module/imports?report=xlsx                 same file, nothing saved: the workbook with
//                                                                  faulty cells marked and commented (200)
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Ctx } from '../context.js';
import { HttpError, badRequest, forbidden } from '../http/errors.js';
import { first, type Query } from '../records/filters.js';
import { canWriteRecords } from '../records/scope.js';
import { moduleOr404 } from '../records/service.js';
import { errorReport } from './report.js';
import { ImportService, importStatus, publicIssue } from './service.js';
import { templateCsv, templateXlsx } from './template.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function flag(v: string | undefined): boolean {
  return v === '1' || v === 'true' || v === 'si' || v === 'sí';
}

const cleanName = (n: string) => n.replace(/[\u0000-\u001f\\/]/g, '_').slice(0, 200) || 'archivo';

/** The upload; a file refused here (over the size limit, empty) is audited as a refused import. */
async function readUpload(req: FastifyRequest, refused: (archivo: string, buf: Buffer | undefined, e: HttpError, motivo: 'tamano' | 'vacio') => Promise<void>): Promise<{ name: string; buf: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw badRequest('Envíe el archivo como multipart/form-data en el campo «file».', [{ field: 'file', message: 'Falta el archivo.' }]);
  let file: { name: string; buf: Buffer } | undefined;
  const fields: Record<string, string> = {};
  let partName = '';
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'file') partName = part.filename;
        const buf = await part.toBuffer();
        if (part.fieldname === 'file') file = { name: part.filename, buf };
      } else fields[part.fieldname] = String(part.value);
    }
  } catch (e) {
    const fe = e as { code?: string; statusCode?: number };
    if (fe.code !== 'FST_REQ_FILE_TOO_LARGE' && fe.statusCode !== 413) throw e;
    const err = new HttpError('payload_too_large', 'El archivo excede el tamaño máximo permitido: divídalo en varios archivos.');
    await refused(cleanName(partName), undefined, err, 'tamano');
    throw err;
  }
  const empty = badRequest('Falta el archivo (campo «file») o está vacío.', [{ field: 'file', message: 'Falta el archivo o está vacío.' }]);
  if (!file) throw empty;
  if (file.buf.length === 0) {
    await refused(cleanName(file.name), file.buf, empty, 'vacio');
    throw empty;
  }
  return { ...file, fields };
}

export async function importRoutes(app: FastifyInstance, ctx: Ctx) {
  const svc = new ImportService(ctx);
  const tags = ['importación'];

  app.get<{ Params: { module: string }; Querystring: Query }>(
    '/api/v1/modules/:module/imports/template',
    { schema: { tags, summary: 'Plantilla de importación del módulo (format=xlsx|csv)' } },
    async (req, reply) => {
      const m = moduleOr404(req.params.module);
      const format = first(req.query.format) ?? 'xlsx';
      if (format !== 'xlsx' && format !== 'csv') throw badRequest('«format» debe ser xlsx o csv.', [{ field: 'format', message: 'Use xlsx o csv.' }]);
      const body = format === 'xlsx' ? await templateXlsx(ctx, m) : templateCsv(m);
      return reply
        .header('content-type', format === 'xlsx' ? XLSX : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="sintra-plantilla-${m.key}.${format}"`)
        .send(body);
    },
  );

  app.post<{ Params: { module: string }; Querystring: Query }>(
    '/api/v1/modules/:module/imports',
    {
      schema: {
        tags,
        summary: 'Importar un archivo XLSX o CSV (todo o nada); enviar=1 guarda como enviados; report=xlsx devuelve el archivo con los errores marcados sin guardar',
      },
    },
    async (req, reply) => {
      const a = req.actor!;
      const m = moduleOr404(req.params.module);
      if (!canWriteRecords(a)) throw forbidden('Su rol no permite importar registros.');
      const up = await readUpload(req, (archivo, buf, error, motivo) => svc.auditRefusal(a, m, { archivo, buf, error, motivo }));
      const enviar = flag(first(req.query.enviar) ?? up.fields.enviar);
      const report = first(req.query.report) ?? up.fields.report;
      if (report !== undefined && report !== 'xlsx') throw badRequest('«report» solo admite xlsx.', [{ field: 'report', message: 'Use report=xlsx.' }]);
      const name = cleanName(up.name);

      if (report === 'xlsx') {
        const r = await svc.run(a, m, up.buf, { fileName: name, enviar, dryRun: true, maxErrors: 100_000 });
        const out = await errorReport(up.buf, r.format, r.sheetName, r.errors, r.totalErrors);
        const base = name.replace(/\.(xlsx|csv|txt)$/i, '');
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${base}-errores.xlsx`)}`)
          .header('x-sintra-errores', String(r.totalErrors))
          .send(out);
      }

      const r = await svc.run(a, m, up.buf, { fileName: name, enviar });
      if (r.totalErrors > 0) {
        const filas = new Set(r.errors.map((e) => e.row)).size;
        throw new HttpError(
          'unprocessable',
          `El archivo tiene ${r.totalErrors} error(es)${r.totalErrors > r.errors.length ? ` (se listan los primeros ${r.errors.length})` : ''} en ${filas}${r.totalErrors > r.errors.length ? ' o más' : ''} fila(s): no se guardó ningún registro. Corrija y vuelva a subir el archivo completo.`,
          undefined,
          { errors: r.errors.map(publicIssue), totalErrors: r.totalErrors, rows: r.rows },
        );
      }
      return reply.code(201).send({
        imported: r.imported,
        estatus: importStatus(enviar, r.imported, r.borradores ?? 0),
        folios: r.folios ?? null,
        // enviar=1: rows that need a file attached were saved as drafts. Either way, the rows saved as drafts with
        // something still blocking their sending are listed with it (`conPendientes` counts them all).
        ...(enviar ? { enviados: r.enviados ?? 0, borradores: r.borradores ?? 0 } : {}),
        pendientes: r.pendientes ?? [],
        conPendientes: r.conPendientes ?? 0,
        format: r.format,
        ...(r.encoding ? { encoding: r.encoding, delimiter: r.delimiter } : {}),
      });
    },
  );
}
