// GET /api/v1/public/soporte: the Secretaría Técnica's contact details (configured by env, src/server/config.ts).
// Public on purpose: a person who cannot sign in (locked account, lost second factor) needs them most.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../context.js';

const soporte = z.object({
  area: z.string(),
  correo: z.string().nullable(),
  telefono: z.string().nullable(),
  horario: z.string(),
  domicilio: z.string().nullable(),
  ambiente: z.enum(['produccion', 'capacitacion']),
});

export async function supportRoutes(app: FastifyInstance, ctx: Ctx) {
  const c = ctx.config;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/v1/public/soporte',
    { schema: { tags: ['público'], summary: 'Datos de contacto de la Secretaría Técnica (soporte)', response: { 200: soporte } } },
    async () => ({
      area: c.SINTRA_SOPORTE_AREA,
      correo: c.SINTRA_SOPORTE_CORREO ?? null,
      telefono: c.SINTRA_SOPORTE_TELEFONO ?? null,
      horario: c.SINTRA_SOPORTE_HORARIO,
      domicilio: c.SINTRA_SOPORTE_DOMICILIO ?? null,
      ambiente: c.SINTRA_AMBIENTE,
    }),
  );
}
