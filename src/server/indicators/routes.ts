import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context.js';
import { badRequest, forbidden } from '../http/errors.js';
import { dbScope, mustSuppress } from '../records/scope.js';
import { computeAll, parsePeriodo } from './compute.js';
import { INDICATORS } from './definitions.js';

export async function indicatorRoutes(app: FastifyInstance, ctx: Ctx) {
  const tags = ['indicadores'];
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/indicators',
    { schema: { tags, summary: 'IND-01 … IND-15 para un periodo (anio[, trimestre] o desde/hasta) y entidad; objetivo=n filtra' } },
    async (req) => {
      const a = req.actor!;
      if (a.role === 'auditor') throw forbidden('Su rol solo consulta la bitácora.');
      const p = parsePeriodo(req.query);
      let objetivo: number | null = null;
      if (req.query.objetivo) {
        objetivo = Number(req.query.objetivo);
        if (![1, 2, 3, 4, 5].includes(objetivo)) throw badRequest('«objetivo» debe ser 1 a 5.', [{ field: 'objetivo', message: 'Use 1 a 5.' }]);
      }
      const tendencia = req.query.tendencia === undefined ? 5 : Number(req.query.tendencia);
      if (!Number.isInteger(tendencia) || tendencia < 1 || tendencia > 15) throw badRequest('«tendencia» es el número de años de la serie (1 a 15).', [{ field: 'tendencia', message: 'Use 1 a 15.' }]);
      // Published national figures: every institution's validated records, read only.
      const items = await ctx.readDb.tx(
        (q) => computeAll(q, p, { objetivo, tendenciaAnios: tendencia, suppressThreshold: mustSuppress(a) ? ctx.config.SINTRA_SUPPRESSION_THRESHOLD : null, perturb: mustSuppress(a) }),
        { ...dbScope(a, 'stats'), scope: 'agregado' },
      );
      return {
        periodo: { anio: p.anio, trimestre: p.trimestre, desde: p.desde, hasta: p.hasta },
        fecha_corte: p.hasta,
        entidad: p.entidad,
        notas: ['Solo registros validados.', 'Cada indicador publica su numerador, su denominador y la fecha de corte (LG arts. 96 y 109).'],
        items,
      };
    },
  );
  app.get('/api/v1/indicators/definitions', { schema: { tags, summary: 'Fórmulas declaradas de los indicadores' } }, async () => ({
    items: INDICATORS.map((d) => ({ id: d.id, nombre: d.nombre, objetivos: d.objetivos, periodicidad: d.periodicidad, periodo: d.periodo, numerador: d.numerador.texto, denominador: d.denominador.texto, desagregacion: d.desagregacion, nota: d.nota ?? null })),
  }));
}
