// Review of possible duplicates by the Secretaría Técnica: list the flagged pairs with both records side
// by side, confirm or dismiss each one (audited), run the detection now. Records are never deleted here.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { first, type Query } from '../records/filters.js';
import { detectDuplicates, refreshDuplicateSet, WINDOW_DAYS } from './job.js';

const ESTATUS = ['pendiente', 'confirmado', 'descartado'] as const;
const tags = ['posibles duplicados'];

const RECORD_COLS = [
  'id',
  'folio_sintra',
  'institucion_id',
  'entidad_federativa',
  'condicion',
  'sexo',
  'edad',
  'grupo_edad',
  'nacionalidad',
  'fecha_identificacion',
  'operativo_id',
  'estatus',
  'deleted_at',
];

function onlySt(a: Actor): void {
  if (!isSecretariaTecnica(a)) throw forbidden('Solo la Secretaría Técnica revisa los posibles duplicados.');
}

export async function duplicateRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/duplicados',
    {
      schema: {
        tags,
        summary: 'Pares de posibles duplicados entre instituciones (estatus=pendiente|confirmado|descartado|todos, limit ≤ 200, cursor)',
        querystring: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
      },
    },
    async (req) => {
      const a = req.actor!;
      onlySt(a);
      const query = req.query as Query;
      const estatus = first(query.estatus) ?? 'pendiente';
      if (estatus !== 'todos' && !(ESTATUS as readonly string[]).includes(estatus))
        throw badRequest('«estatus» debe ser pendiente, confirmado, descartado o todos.', [{ field: 'estatus', message: 'Valor no válido.' }]);
      const limit = Number(first(query.limit) ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw badRequest('«limit» debe ser un entero entre 1 y 200.', [{ field: 'limit', message: 'Entre 1 y 200.' }]);
      const cursor = first(query.cursor);
      if (cursor !== undefined && !/^\d+$/.test(cursor)) throw badRequest('«cursor» inválido.', [{ field: 'cursor', message: 'Cursor inválido.' }]);
      const params: unknown[] = [];
      const conds: string[] = [];
      if (estatus !== 'todos') {
        params.push(estatus);
        conds.push(`p.estatus = $${params.length}`);
      }
      if (cursor) {
        params.push(Number(cursor));
        conds.push(`p.id < $${params.length}`);
      }
      params.push(limit + 1);
      const sel = (x: string) => `json_build_object(${RECORD_COLS.map((c) => `'${c}', ${x}.${c}`).join(', ')}, 'institucion_nombre', i${x}.nombre)`;
      const rows = await ctx.db.query<Record<string, unknown>>(
        `select p.id, p.estatus, p.criterio, p.dias_diferencia, p.detectado_at, p.revisado_at, p.nota, u.username as revisado_por,
                ${sel('a')} as a, ${sel('b')} as b
           from posible_duplicado p
           join m_victimas a on a.id = p.registro_a join m_victimas b on b.id = p.registro_b
           left join institucion ia on ia.codigo = a.institucion_id left join institucion ib on ib.codigo = b.institucion_id
           left join app_user u on u.id = p.revisado_by
          ${conds.length ? `where ${conds.join(' and ')}` : ''}
          order by p.id desc limit $${params.length}`,
        params,
      );
      const counts = await ctx.db.query<{ estatus: string; n: number }>('select estatus, count(*)::int as n from posible_duplicado group by estatus');
      const last = await ctx.db.query<{ at: Date; resultado: string }>(`select ultima_ejecucion as at, resultado from tarea_programada where nombre = 'posibles_duplicados'`);
      const items = rows.slice(0, limit).map((x) => ({ ...x, id: String(x.id) }));
      await ctx.db.tx((q) => writeAudit(q, a, { action: 'consultar', module: 'victimas', detail: { tipo: 'posibles_duplicados', estatus, pares: items.map((i) => i.id) } }));
      return {
        items,
        nextCursor: rows.length > limit ? String(rows[limit - 1].id) : null,
        counts: Object.fromEntries(ESTATUS.map((e) => [e, counts.find((c) => c.estatus === e)?.n ?? 0])),
        ultimaEjecucion: last[0] ? { at: last[0].at, resultado: JSON.parse(last[0].resultado) as unknown } : null,
        regla: `Misma entidad federativa, sexo, grupo de edad y nacionalidad, en instituciones distintas, con el mismo operativo o con fechas de identificación a ${WINDOW_DAYS} días o menos.`,
      };
    },
  );

  for (const [path, estatus, action] of [
    ['confirmar', 'confirmado', 'confirmar_duplicado'],
    ['descartar', 'descartado', 'descartar_duplicado'],
  ] as const) {
    r.post(
      `/api/v1/duplicados/:id/${path}`,
      { schema: { tags, summary: path === 'confirmar' ? 'Confirmar que ambos registros son la misma persona' : 'Descartar: son personas distintas', params: z.object({ id: z.string().max(20) }), body: z.record(z.string(), z.unknown()).default({}) } },
      async (req) => {
        const a = req.actor!;
        onlySt(a);
        if (!/^\d+$/.test(req.params.id)) throw notFound('El par no existe.');
        const nota = (req.body as Record<string, unknown>).nota;
        if (nota !== undefined && nota !== null && (typeof nota !== 'string' || nota.length > 2000))
          throw badRequest('«nota» debe ser un texto de hasta 2000 caracteres.', [{ field: 'nota', message: 'Texto de hasta 2000 caracteres.' }]);
        return ctx.db.tx(async (q) => {
          const cur = await q.query<{ estatus: string; registro_a: string; registro_b: string }>('select estatus, registro_a, registro_b from posible_duplicado where id = $1 for update', [req.params.id]);
          if (!cur[0]) throw notFound('El par no existe.');
          const rows = await q.query<Record<string, unknown>>(
            `update posible_duplicado set estatus = $2, revisado_at = clock_timestamp(), revisado_by = $3, nota = $4 where id = $1
             returning id, estatus, criterio, dias_diferencia, registro_a, registro_b, revisado_at, nota`,
            [req.params.id, estatus, a.id, typeof nota === 'string' && nota.trim() ? nota.trim() : null],
          );
          await refreshDuplicateSet(q);
          await writeAudit(q, a, { action, module: 'victimas', recordId: cur[0].registro_b, detail: { par: req.params.id, de: cur[0].estatus, a: estatus, registro_a: cur[0].registro_a, registro_b: cur[0].registro_b } });
          return { ...rows[0], id: String(rows[0].id) };
        });
      },
    );
  }

  r.post('/api/v1/duplicados/detectar', { schema: { tags, summary: 'Ejecutar ahora la detección de posibles duplicados', body: z.record(z.string(), z.unknown()).default({}) } }, async (req) => {
    const a = req.actor!;
    onlySt(a);
    const full = (req.body as Record<string, unknown>).completa === true;
    const res = await detectDuplicates(ctx, { full });
    await ctx.db.tx((q) => writeAudit(q, a, { action: 'detectar_duplicados', module: 'victimas', detail: { ...res } }));
    return res;
  });
}
