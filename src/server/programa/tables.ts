// Programa Nacional (spec §5 data model). Versioned by programme period: a new programme is new rows,
// the old one stays readable and records keep their links (pn_acciones holds the acción's code).
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, numeric, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

export const pnPrograma = pgTable('pn_programa', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** `PN<año inicial>`: prefix of every PN_ACCION code of the programme (spec §3.7). */
  clave: varchar('clave', { length: 16 }).notNull().unique(),
  nombre: text('nombre').notNull(),
  periodo_inicio: date('periodo_inicio').notNull(),
  periodo_fin: date('periodo_fin').notNull(),
  fecha_publicacion_dof: date('fecha_publicacion_dof'),
  url_dof: varchar('url_dof', { length: 500 }),
  /** Names of the three levels as the programme publishes them. */
  etiquetas_niveles: text('etiquetas_niveles').array().notNull().default(sql`'{Objetivo prioritario,Estrategia prioritaria,Acción puntual}'::text[]`),
  vigente: boolean('vigente').notNull().default(false),
  updated_at: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const pnObjetivo = pgTable(
  'pn_objetivo',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    programa_id: uuid('programa_id').notNull().references(() => pnPrograma.id, { onDelete: 'cascade' }),
    numero: integer('numero').notNull(),
    texto: text('texto').notNull(),
  },
  (t) => [uniqueIndex('pn_objetivo_num_uq').on(t.programa_id, t.numero)],
);

export const pnEstrategia = pgTable(
  'pn_estrategia',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    objetivo_id: uuid('objetivo_id').notNull().references(() => pnObjetivo.id, { onDelete: 'cascade' }),
    numero: varchar('numero', { length: 16 }).notNull(),
    texto: text('texto').notNull(),
  },
  (t) => [uniqueIndex('pn_estrategia_num_uq').on(t.objetivo_id, t.numero)],
);

export const pnAccion = pgTable(
  'pn_accion',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    estrategia_id: uuid('estrategia_id').notNull().references(() => pnEstrategia.id, { onDelete: 'cascade' }),
    numero: varchar('numero', { length: 16 }).notNull(),
    /** PN_ACCION catalog code, e.g. `PN2022-A1.1.1`; what records store in `pn_acciones`. */
    codigo: varchar('codigo', { length: 32 }).notNull().unique(),
    texto: text('texto').notNull(),
    tipo_accion: varchar('tipo_accion', { length: 200 }),
    institucion_coordinadora: varchar('institucion_coordinadora', { length: 64 }),
    instituciones_responsables: text('instituciones_responsables').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index('pn_accion_estrategia_idx').on(t.estrategia_id)],
);

export const pnMeta = pgTable('pn_meta', {
  id: uuid('id').primaryKey().defaultRandom(),
  objetivo_id: uuid('objetivo_id').notNull().references(() => pnObjetivo.id, { onDelete: 'cascade' }),
  /** META_BIENESTAR | PARAMETRO | INDICADOR */
  tipo: varchar('tipo', { length: 20 }).notNull(),
  nombre: text('nombre').notNull(),
  formula_texto: text('formula_texto'),
  linea_base_valor: numeric('linea_base_valor', { precision: 12, scale: 4 }),
  linea_base_anio: integer('linea_base_anio'),
  meta_valor: numeric('meta_valor', { precision: 12, scale: 4 }),
  meta_anio: integer('meta_anio'),
  periodicidad: varchar('periodicidad', { length: 20 }),
  /** IND-01 … IND-15 when the meta is one of SINTRA's indicators. */
  indicador_sintra: varchar('indicador_sintra', { length: 8 }),
});
