// Tables of the statistics side: published periods (snapshots of the legal tables), possible duplicates
// across institutions and their review, and the state of scheduled jobs. Re-exported by db/schema.ts.
import { bigserial, index, integer, jsonb, pgTable, text, timestamp, unique, uuid, varchar, date } from 'drizzle-orm/pg-core';

/** A closed period's publication: every legal table, validated records only, suppressed (never live). */
export const publicacion = pgTable(
  'publicacion',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `2024` or `2024-T2`. */
    periodo: varchar('periodo', { length: 8 }).notNull(),
    anio: integer('anio').notNull(),
    trimestre: integer('trimestre'),
    desde: date('desde').notNull(),
    hasta: date('hasta').notNull(),
    version: integer('version').notNull(),
    /** Small-cell threshold in force when published. */
    umbral: integer('umbral').notNull(),
    contenido: jsonb('contenido').notNull(),
    publicada_at: timestamp('publicada_at', { withTimezone: true }).notNull().defaultNow(),
    publicada_by: uuid('publicada_by'),
  },
  (t) => [unique('publicacion_periodo_version').on(t.periodo, t.version)],
);

/** A pair of victim records of different institutions that may be the same person (spec §4.3 rule 5). */
export const posibleDuplicado = pgTable(
  'posible_duplicado',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** The earlier registered record of the pair. */
    registro_a: uuid('registro_a').notNull(),
    registro_b: uuid('registro_b').notNull(),
    /** `operativo` (same rescue operation) or `fecha` (identification dates within the window). */
    criterio: varchar('criterio', { length: 16 }).notNull(),
    dias_diferencia: integer('dias_diferencia'),
    /** pendiente | confirmado | descartado */
    estatus: varchar('estatus', { length: 16 }).notNull().default('pendiente'),
    detectado_at: timestamp('detectado_at', { withTimezone: true }).notNull().defaultNow(),
    revisado_at: timestamp('revisado_at', { withTimezone: true }),
    revisado_by: uuid('revisado_by'),
    nota: text('nota'),
  },
  (t) => [unique('posible_duplicado_par').on(t.registro_a, t.registro_b), index('posible_duplicado_estatus_idx').on(t.estatus, t.id), index('posible_duplicado_b_idx').on(t.registro_b)],
);

/** Records that count as a duplicate of an earlier one (from confirmed pairs; refreshed on every review). */
export const victimaDuplicada = pgTable('victima_duplicada', {
  record_id: uuid('record_id').primaryKey(),
  representante_id: uuid('representante_id').notNull(),
});

/** Last run of each scheduled job (e.g. the nightly duplicate detection), shared by every app instance. */
export const tareaProgramada = pgTable('tarea_programada', {
  nombre: varchar('nombre', { length: 64 }).primaryKey(),
  ultima_ejecucion: timestamp('ultima_ejecucion', { withTimezone: true }).notNull(),
  resultado: text('resultado'),
});
