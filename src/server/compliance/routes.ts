import type { FastifyInstance } from 'fastify';
import { todayMx, isValidDate } from '../../modules/validate.js';
import type { Ctx } from '../context.js';
import { badRequest } from '../http/errors.js';
import { canReadRecords, dbScope } from '../records/scope.js';
import { commitmentItems, commitmentSummary, type CommitmentFilters } from './commitments.js';
import { compliance } from './compliance.js';

type Q = Record<string, string | undefined>;

function year(q: Q, required: boolean): number | null {
  const v = q.anio;
  if (!v) {
    if (required) return Number(todayMx().slice(0, 4));
    return null;
  }
  const max = Number(todayMx().slice(0, 4));
  const n = Number(v);
  if (!/^\d{4}$/.test(v) || n < 2012 || n > max) throw badRequest(`«anio» debe ser un año entre 2012 y ${max}.`, [{ field: 'anio', message: `Año entre 2012 y ${max}.` }]);
  return n;
}

function entidad(q: Q): string | null {
  if (!q.entidad) return null;
  if (!/^(0[1-9]|[12][0-9]|3[0-2])$/.test(q.entidad)) throw badRequest('«entidad» debe ser una clave de entidad federativa (01 a 32).', [{ field: 'entidad', message: 'Clave inválida.' }]);
  return q.entidad;
}

export async function complianceRoutes(app: FastifyInstance, ctx: Ctx) {
  app.get<{ Querystring: Q }>(
    '/api/v1/commitments',
    { schema: { tags: ['acuerdos'], summary: 'Seguimiento de acuerdos de comisiones: resumen nacional, de la CI y por comisión estatal; acuerdos (vencidos primero)' } },
    async (req) => {
      const a = req.actor!;
      const q = req.query;
      const hoy = q.fecha_referencia ?? todayMx();
      if (!isValidDate(hoy)) throw badRequest('«fecha_referencia» debe ser una fecha AAAA-MM-DD.', [{ field: 'fecha_referencia', message: 'Fecha inválida.' }]);
      const estado = q.estado ?? null;
      if (estado && !ctx.catalogs.item('estado_acuerdo', estado)) throw badRequest(`«estado»: «${estado}» no está en el catálogo ESTADO_ACUERDO.`, [{ field: 'estado', message: 'Estado desconocido.' }]);
      const tipo = q.tipo_organo ?? null;
      if (tipo && !ctx.catalogs.item('tipo_organo', tipo)) throw badRequest(`«tipo_organo»: «${tipo}» no está en el catálogo TIPO_ORGANO.`, [{ field: 'tipo_organo', message: 'Tipo desconocido.' }]);
      if (q.vencido !== undefined && q.vencido !== 'true' && q.vencido !== 'false') throw badRequest('«vencido» debe ser true o false.', [{ field: 'vencido', message: 'Use true o false.' }]);
      if (q.estatus !== undefined && q.estatus !== 'validado') throw badRequest('«estatus» solo admite «validado» (por omisión, enviados y validados).', [{ field: 'estatus', message: 'Use validado.' }]);
      const f: CommitmentFilters = {
        hoy,
        soloValidados: q.estatus === 'validado',
        anio: year(q, false),
        entidad: entidad(q),
        tipo_organo: tipo,
        estado,
        vencido: q.vencido === undefined ? null : q.vencido === 'true',
      };
      // Row-level security backs the query's own scope: aggregated reach for the summaries, record reach for the list.
      const resumen = await ctx.readDb.tx((q) => commitmentSummary(q, a, f), dbScope(a, 'stats'));
      const items = canReadRecords(a) ? await ctx.readDb.tx((q) => commitmentItems(q, a, f), dbScope(a, 'records')) : null;
      return { ...resumen, items, notas: ['«Vencido»: fecha compromiso anterior a la fecha de referencia y estado pendiente o en proceso (se calcula, no se captura).'] };
    },
  );

  app.get<{ Querystring: Q }>(
    '/api/v1/compliance',
    { schema: { tags: ['cumplimiento'], summary: 'Cumplimiento del reporte por institución y periodo (debidos, enviados, validados, devueltos, completitud) con ranking' } },
    async (req) => {
      const q = req.query;
      let trimestre: number | null = null;
      if (q.trimestre) {
        trimestre = Number(q.trimestre);
        if (![1, 2, 3, 4].includes(trimestre)) throw badRequest('«trimestre» debe ser 1, 2, 3 o 4.', [{ field: 'trimestre', message: 'Use 1 a 4.' }]);
      }
      const ambito = q.ambito ?? null;
      if (ambito && !['FEDERAL', 'ESTATAL', 'MUNICIPAL'].includes(ambito)) throw badRequest('«ambito» debe ser FEDERAL, ESTATAL o MUNICIPAL.', [{ field: 'ambito', message: 'Ámbito desconocido.' }]);
      const a = req.actor!;
      return ctx.readDb.tx((tx) => compliance(tx, a, { anio: year(q, true)!, trimestre, entidad: entidad(q), ambito, hoy: todayMx() }), dbScope(a, 'stats'));
    },
  );
}
