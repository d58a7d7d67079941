// GET /api/v1/modules/:module/export?format=csv|xlsx&<list filters>[&valores=claves]
import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import type { Query } from '../records/filters.js';
import { exportRecords } from './service.js';

export async function exportRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get<{ Params: { module: string }; Querystring: Query }>(
    '/api/v1/modules/:module/export',
    {
      schema: {
        tags: ['exportación'],
        summary: 'La lista del módulo como archivo (format=csv|xlsx), con los mismos filtros que la lista; no disponible para víctimas',
      },
    },
    async (req, reply) => {
      const file = await exportRecords(ctx, req.actor!, req.params.module, req.query);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('x-sintra-filas', String(file.rows))
        .send(file.stream);
    },
  );
}
