import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { badRequest, forbidden } from '../http/errors.js';
import { isValidDate } from '../../modules/validate.js';
import { ProgramaService } from './service.js';
import { dbScope } from '../records/scope.js';
import { isSecretariaTecnica } from '../auth/actor.js';

type Q = Record<string, string | undefined>;

function anioOf(q: Q): number | null {
  if (!q.anio) return null;
  const n = Number(q.anio);
  if (!/^\d{4}$/.test(q.anio) || n < 2012 || n > 2100) throw badRequest('«anio» debe ser un año de cuatro cifras (2012 o posterior).', [{ field: 'anio', message: 'Año inválido.' }]);
  return n;
}

function dateOf(q: Q, k: 'desde' | 'hasta'): string | undefined {
  const v = q[k];
  if (v === undefined || v === '') return undefined;
  if (!isValidDate(v)) throw badRequest(`«${k}» debe ser una fecha AAAA-MM-DD.`, [{ field: k, message: 'Fecha inválida (AAAA-MM-DD).' }]);
  return v;
}

export async function programaRoutes(app: FastifyInstance, ctx: Ctx) {
  const svc = new ProgramaService(ctx);
  const tags = ['programa nacional'];
  const readable = (role: string) => {
    if (role === 'auditor') throw forbidden('Su rol solo consulta la bitácora.');
  };

  app.get<{ Querystring: Q }>('/api/v1/programa', { schema: { tags, summary: 'Programa Nacional (objetivos → estrategias → acciones) con avance; ?programa=&anio=' } }, async (req) => {
    readable(req.actor!.role);
    const sel = { programa: req.query.programa, anio: anioOf(req.query), desde: dateOf(req.query, 'desde'), hasta: dateOf(req.query, 'hasta'), exactPersons: isSecretariaTecnica(req.actor!) };
    // Aggregated follow-up (counts by module and institution of validated records): read-only, every institution.
    return ctx.readDb.tx((q) => svc.tree(q, sel), { ...dbScope(req.actor!, 'stats'), scope: 'agregado' });
  });
  app.get('/api/v1/programa/programas', { schema: { tags, summary: 'Programas cargados (vigente y anteriores)' } }, async (req) => {
    readable(req.actor!.role);
    return { items: await svc.list() };
  });
  app.get<{ Params: { codigo: string }; Querystring: Q }>('/api/v1/programa/acciones/:codigo/registros', { schema: { tags, summary: 'Registros alineados a una acción puntual (según su alcance)' } }, async (req) =>
    svc.recordsOf(req.actor!, req.params.codigo, { desde: dateOf(req.query, 'desde'), hasta: dateOf(req.query, 'hasta') }),
  );

  // Editing (administrador): small, explicit routes per level.
  app.post('/api/v1/programa', { schema: { tags, summary: 'Cargar un programa nuevo (administrador)' } }, async (req, reply) => reply.code(201).send(await svc.createPrograma(req.actor!, req.body)));
  app.put<{ Params: { id: string } }>('/api/v1/programa/:id', { schema: { tags, summary: 'Modificar un programa' } }, async (req) => svc.updatePrograma(req.actor!, req.params.id, req.body));
  app.delete<{ Params: { id: string } }>('/api/v1/programa/:id', { schema: { tags, summary: 'Eliminar un programa sin registros vinculados' } }, async (req, reply) => {
    await svc.deleteNode(req.actor!, 'programa', req.params.id);
    return reply.code(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/programa/:id/objetivos', { schema: { tags, summary: 'Agregar un objetivo' } }, async (req, reply) => reply.code(201).send(await svc.addObjetivo(req.actor!, req.params.id, req.body)));
  app.post<{ Params: { id: string } }>('/api/v1/programa/objetivos/:id/estrategias', { schema: { tags, summary: 'Agregar una estrategia' } }, async (req, reply) =>
    reply.code(201).send(await svc.addEstrategia(req.actor!, req.params.id, req.body)),
  );
  app.post<{ Params: { id: string } }>('/api/v1/programa/objetivos/:id/metas', { schema: { tags, summary: 'Agregar una meta o indicador' } }, async (req, reply) =>
    reply.code(201).send(await svc.addMeta(req.actor!, req.params.id, req.body)),
  );
  app.post<{ Params: { id: string } }>('/api/v1/programa/estrategias/:id/acciones', { schema: { tags, summary: 'Agregar una acción puntual' } }, async (req, reply) =>
    reply.code(201).send(await svc.addAccion(req.actor!, req.params.id, req.body)),
  );
  for (const kind of ['objetivo', 'estrategia', 'accion', 'meta'] as const) {
    const path = `/api/v1/programa/${kind === 'accion' ? 'acciones' : `${kind}s`}/:id`;
    app.put<{ Params: { id: string } }>(path, { schema: { tags, summary: `Modificar ${kind}` } }, async (req) => svc.updateNode(req.actor!, kind, req.params.id, req.body));
    app.delete<{ Params: { id: string } }>(path, { schema: { tags, summary: `Eliminar ${kind} (sin registros vinculados)` } }, async (req, reply) => {
      await svc.deleteNode(req.actor!, kind, req.params.id);
      return reply.code(204).send();
    });
  }
}
