import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { badRequest } from '../http/errors.js';
import type { Query } from '../records/filters.js';
import { first } from '../records/filters.js';
import { moduleOr404 } from '../records/service.js';
import { crosstab, dimensionsOf, type StatsResult } from './crosstab.js';
import { METADATA_FIELDS } from '../../modules/metadata.js';
import { fieldCatalog, type ModuleDef } from '../../modules/types.js';

function labeler(ctx: Ctx, m: ModuleDef, dimName: string | null) {
  if (!dimName) return (c: string | null) => c ?? '';
  const f = [...METADATA_FIELDS, ...m.fields].find((x) => x.key === dimName);
  const cat = dimName === 'entidad_federativa' ? 'entidad' : f ? fieldCatalog(f) : undefined;
  return (code: string | null) => {
    if (code === null) return '';
    if (code === 'SIN_DATO') return 'Sin dato';
    if (code === 'NACIONAL') return 'Nacional / federal';
    if (dimName === '_medida') return m.fields.find((x) => x.key === code)?.label ?? code;
    return cat ? ctx.catalogs.label(cat, code) : code;
  };
}

/** A table for people: one line per row value, one column per col value, with totals. */
export function tableOf(ctx: Ctx, m: ModuleDef, s: StatsResult): (string | number)[][] {
  const rl = labeler(ctx, m, s.rows);
  const cl = labeler(ctx, m, s.cols);
  const rowCodes = Object.keys(s.rowTotals).sort();
  const colCodes = s.cols ? Object.keys(s.colTotals).sort() : [];
  const head = [s.rows, 'Etiqueta', ...(s.cols ? colCodes.map((c) => cl(c)) : []), 'Total'];
  const lines: (string | number)[][] = [head];
  for (const r of rowCodes) {
    const line: (string | number)[] = [r, rl(r)];
    for (const c of colCodes) line.push(s.cells.find((x) => x.row === r && x.col === c)?.value ?? 0);
    line.push(s.rowTotals[r]);
    lines.push(line);
  }
  lines.push(['TOTAL', 'Total', ...colCodes.map((c) => s.colTotals[c]), s.total]);
  return lines;
}

function csvCell(v: string | number): string {
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`; // formula injection guard
  return /[",\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function statsRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get<{ Params: { module: string }; Querystring: Query }>(
    '/api/v1/stats/:module',
    { schema: { tags: ['estadísticas'], summary: 'Tabulado cruzado de un módulo (rows, cols, sum, distinct, filtros, format)' } },
    async (req, reply) => {
      const m = moduleOr404(req.params.module);
      const s = await crosstab(ctx, req.actor!, m, req.query);
      const format = first(req.query.format) ?? 'json';
      if (format === 'json') return s;
      if (format !== 'csv' && format !== 'xlsx') throw badRequest('«format» debe ser json, csv o xlsx.', [{ field: 'format', message: 'Use json, csv o xlsx.' }]);
      await ctx.db.tx((q) => writeAudit(q, req.actor!, { action: 'exportar', module: m.key, detail: { tipo: 'estadistica', format, query: req.query } }));
      const lines = tableOf(ctx, m, s);
      const name = `sintra-${m.key}-${s.rows}${s.cols ? `-${s.cols}` : ''}`;
      if (format === 'csv') {
        const body = '\uFEFF' + [...lines, [], ...s.notes.map((n) => [`Nota: ${n}`])].map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(body);
      }
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Tabulado');
      for (const l of lines) ws.addRow(l);
      ws.getRow(1).font = { bold: true };
      ws.addRow([]);
      for (const n of s.notes) ws.addRow([`Nota: ${n}`]);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}.xlsx"`)
        .send(buf);
    },
  );

  app.get<{ Params: { module: string } }>('/api/v1/stats/:module/dimensions', { schema: { tags: ['estadísticas'], summary: 'Dimensiones disponibles' } }, async (req) => {
    const m = moduleOr404(req.params.module);
    return { items: dimensionsOf(m) };
  });
}
