// Annual-report snapshots: the records, catalogs, institutions and programme as they stood at the cut-off.
// Rows are kept as JSON so a snapshot stays readable after later migrations add columns.
import { bigserial, customType, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

export const reportSnapshot = pgTable(
  'report_snapshot',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    anio: integer('anio').notNull(),
    /** Period covered (calendar year unless the ST sets another annual cut) and the cut-off date of the figures. */
    periodo_desde: date('periodo_desde').notNull(),
    periodo_hasta: date('periodo_hasta').notNull(),
    fecha_corte: date('fecha_corte').notNull(),
    taken_at: timestamp('taken_at', { withTimezone: true }).notNull().defaultNow(),
    created_by: uuid('created_by'),
    /** { <module>: records } */
    conteos: jsonb('conteos').notNull(),
    /** Frozen copies of the tables the report reads besides the records. */
    tablas: jsonb('tablas').notNull(),
    /** sha256 over the frozen content (records with versions, catalogs, programme). */
    sha256: varchar('sha256', { length: 64 }).notNull(),
  },
  (t) => [index('report_snapshot_anio_idx').on(t.anio, t.taken_at)],
);

export const reportSnapshotRecord = pgTable(
  'report_snapshot_record',
  {
    snapshot_id: uuid('snapshot_id').notNull().references(() => reportSnapshot.id, { onDelete: 'cascade' }),
    module: varchar('module', { length: 64 }).notNull(),
    record_id: uuid('record_id').notNull(),
    version: integer('version').notNull(),
    data: jsonb('data').notNull(),
  },
  (t) => [primaryKey({ columns: [t.snapshot_id, t.module, t.record_id] })],
);

/** A report generation (DOCX and PDF) with its progress, kept in the database so any app instance serves it. */
export const reportJob = pgTable('report_job', {
  id: uuid('id').primaryKey().defaultRandom(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  anio: integer('anio').notNull(),
  snapshot_id: uuid('snapshot_id').references(() => reportSnapshot.id, { onDelete: 'set null' }),
  /** en_proceso | listo | error */
  estado: varchar('estado', { length: 16 }).notNull().default('en_proceso'),
  progreso: integer('progreso').notNull().default(0),
  etapa: text('etapa'),
  error: text('error'),
  docx: bytea('docx'),
  pdf: bytea('pdf'),
  figuras_sha256: varchar('figuras_sha256', { length: 64 }),
  duracion_ms: integer('duracion_ms'),
  created_by: uuid('created_by'),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finished_at: timestamp('finished_at', { withTimezone: true }),
});
