import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { listRecords } from './list.js';
import { RecordService } from './service.js';
import type { Query } from './filters.js';

const params = z.object({ module: z.string().max(64) });
const idParams = z.object({ module: z.string().max(64), id: z.string().max(64) });
const body = z.record(z.string(), z.unknown());
const actionBody = z.record(z.string(), z.unknown()).default({});

export async function recordRoutes(app: FastifyInstance, ctx: Ctx) {
  const svc = new RecordService(ctx);
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['registros'];

  r.get(
    '/api/v1/modules/:module/records',
    {
      schema: {
        tags,
        summary: 'Lista de registros (paginada, con filtros f.<campo>, q, estatus, from/to, sort)',
        params,
        querystring: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      },
    },
    async (req) => listRecords(ctx, req.actor!, req.params.module, req.query as Query),
  );
  r.post('/api/v1/modules/:module/records', { schema: { tags, summary: 'Crear un borrador', params, body } }, async (req, reply) =>
    reply.code(201).send(await svc.create(req.actor!, req.params.module, req.body)),
  );
  r.get('/api/v1/modules/:module/records/:id', { schema: { tags, summary: 'Un registro', params: idParams } }, async (req) =>
    svc.get(req.actor!, req.params.module, req.params.id),
  );
  r.put('/api/v1/modules/:module/records/:id', { schema: { tags, summary: 'Reemplazar los valores (con version)', params: idParams, body } }, async (req) =>
    svc.update(req.actor!, req.params.module, req.params.id, req.body),
  );
  r.delete('/api/v1/modules/:module/records/:id', { schema: { tags, summary: 'Eliminar (lógico) con motivo', params: idParams, body: actionBody } }, async (req, reply) => {
    await svc.remove(req.actor!, req.params.module, req.params.id, req.body);
    return reply.code(204).send();
  });
  r.post('/api/v1/modules/:module/records/:id/restore', { schema: { tags, summary: 'Restaurar un registro eliminado (administrador)', params: idParams, body: actionBody } }, async (req) =>
    svc.restore(req.actor!, req.params.module, req.params.id, req.body),
  );
  r.post('/api/v1/modules/:module/records/:id/submit', { schema: { tags, summary: 'Enviar a validación', params: idParams, body: actionBody } }, async (req) =>
    svc.submit(req.actor!, req.params.module, req.params.id),
  );
  r.post('/api/v1/modules/:module/records/:id/validate', { schema: { tags, summary: 'Validar', params: idParams, body: actionBody } }, async (req) =>
    svc.validateRecord(req.actor!, req.params.module, req.params.id),
  );
  r.post('/api/v1/modules/:module/records/:id/return', { schema: { tags, summary: 'Devolver con observaciones', params: idParams, body: actionBody } }, async (req) =>
    svc.returnRecord(req.actor!, req.params.module, req.params.id, req.body),
  );
  r.post('/api/v1/modules/:module/records/:id/reopen', { schema: { tags, summary: 'Reabrir un registro validado', params: idParams, body: actionBody } }, async (req) =>
    svc.reopen(req.actor!, req.params.module, req.params.id, req.body),
  );
}
