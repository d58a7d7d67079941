// Tables built from the module definitions (drizzle-kit reads this file to generate migrations).
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  varchar,
  type PgColumnBuilderBase,
} from 'drizzle-orm/pg-core';
import { MODULES } from '../../modules/index.js';
import type { FieldDef, FieldType } from '../../modules/types.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** One column builder per field type: exhaustive, so a new type does not compile until handled. */
const COLUMN: { [T in FieldType]: (f: FieldDef) => PgColumnBuilderBase } = {
  texto: (f) => varchar(f.key, { length: f.maxLength ?? 300 }),
  texto_largo: (f) => text(f.key),
  entero: (f) => integer(f.key),
  decimal: (f) => numeric(f.key, { precision: 7, scale: 2 }),
  fecha: (f) => date(f.key),
  booleano: (f) => boolean(f.key),
  catalogo: (f) => varchar(f.key, { length: 64 }),
  catalogo_multiple: (f) => text(f.key).array().notNull().default(sql`'{}'::text[]`),
  entidad: (f) => varchar(f.key, { length: 2 }),
  municipio: (f) => varchar(f.key, { length: 5 }),
  pais: (f) => varchar(f.key, { length: 3 }),
  archivo: (f) => text(f.key).array().notNull().default(sql`'{}'::text[]`),
  url: (f) => varchar(f.key, { length: 500 }),
};

export function tableName(moduleKey: string): string {
  return `m_${moduleKey}`;
}

function metadataColumns() {
  return {
    id: uuid('id').primaryKey().defaultRandom(),
    // Creation order for stable keyset paging (timestamps can tie).
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    folio_sintra: varchar('folio_sintra', { length: 24 }).notNull().unique(),
    institucion_id: varchar('institucion_id', { length: 64 }).notNull(),
    ambito: varchar('ambito', { length: 16 }).notNull(),
    entidad_federativa: varchar('entidad_federativa', { length: 2 }),
    municipio: varchar('municipio', { length: 5 }),
    periodo_anio: integer('periodo_anio'),
    periodo_trimestre: integer('periodo_trimestre'),
    pn_acciones: text('pn_acciones').array().notNull().default(sql`'{}'::text[]`),
    estatus: varchar('estatus', { length: 16 }).notNull().default('borrador'),
    observaciones_validacion: text('observaciones_validacion'),
    version: integer('version').notNull().default(1),
    created_at: timestamp('created_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    created_by: uuid('created_by'),
    updated_at: timestamp('updated_at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    updated_by: uuid('updated_by'),
    enviado_at: timestamp('enviado_at', { withTimezone: true }),
    enviado_by: uuid('enviado_by'),
    validado_at: timestamp('validado_at', { withTimezone: true }),
    validado_by: uuid('validado_by'),
    devuelto_at: timestamp('devuelto_at', { withTimezone: true }),
    devuelto_by: uuid('devuelto_by'),
    deleted_at: timestamp('deleted_at', { withTimezone: true }),
    deleted_by: uuid('deleted_by'),
    deleted_reason: text('deleted_reason'),
    // The module's main date, kept by the server, for period filters and statistics.
    fecha_principal: date('fecha_principal'),
    // Lower-case, accent-free text of the text fields and folio, for accent-insensitive search.
    search_text: text('search_text').notNull().default(''),
  };
}

function moduleTable(m: (typeof MODULES)[number]) {
  const cols: Record<string, PgColumnBuilderBase> = { ...metadataColumns() };
  for (const f of m.fields) {
    cols[f.key] = COLUMN[f.type](f);
    if (f.otro) cols[`${f.key}_otro`] = varchar(`${f.key}_otro`, { length: 120 });
  }
  return pgTable(tableName(m.key), cols, (t) => [
    index(`${tableName(m.key)}_inst_idx`).on(t.institucion_id as never, t.seq as never),
    index(`${tableName(m.key)}_list_idx`).on(t.seq as never),
    index(`${tableName(m.key)}_fecha_idx`).on(t.fecha_principal as never),
    ...statsIndexes(m.key, t as Record<string, never>),
  ]);
}

/**
 * Indexes of the statistics (issue 6, measured with `npm run bench`): the victims' legal tables read one
 * condition over a period of the records that count (not deleted, enviado or validado), and the duplicate
 * detection compares records of the same sex and nationality within 30 days of each other.
 */
function statsIndexes(moduleKey: string, t: Record<string, never>) {
  if (moduleKey !== 'victimas') return [];
  const counted = sql`deleted_at is null and estatus in ('enviado', 'validado')`;
  return [
    index('m_victimas_stats_idx').on(t.condicion, t.fecha_principal).where(counted),
    index('m_victimas_dup_idx').on(t.sexo, t.nacionalidad, t.fecha_identificacion).where(counted),
  ];
}

export const moduleTables = Object.fromEntries(MODULES.map((m) => [m.key, moduleTable(m)]));

// drizzle-kit discovers tables among the module's exports.
export const {
  instrumentos: m_instrumentos,
  convenios: m_convenios,
  avances_legislativos: m_avances_legislativos,
  comisiones: m_comisiones,
  colaboracion_internacional: m_colaboracion_internacional,
  capacitacion: m_capacitacion,
  difusion: m_difusion,
  materiales_difusion: m_materiales_difusion,
  victimas: m_victimas,
  modelos_atencion: m_modelos_atencion,
  unidades_especializadas: m_unidades_especializadas,
  operativos_rescate: m_operativos_rescate,
} = moduleTables;

export const institucion = pgTable('institucion', {
  codigo: varchar('codigo', { length: 64 }).primaryKey(),
  nombre: varchar('nombre', { length: 300 }).notNull(),
  siglas: varchar('siglas', { length: 64 }),
  ambito: varchar('ambito', { length: 16 }).notNull(),
  entidad: varchar('entidad', { length: 2 }),
  municipio: varchar('municipio', { length: 5 }),
  tipo_local: varchar('tipo_local', { length: 32 }),
  grupo: varchar('grupo', { length: 32 }),
  obligada_reportar: boolean('obligada_reportar').notNull().default(true),
  vigente: boolean('vigente').notNull().default(true),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const appUser = pgTable('app_user', {
  id: uuid('id').primaryKey().defaultRandom(),
  username: varchar('username', { length: 64 }).notNull().unique(),
  password_hash: text('password_hash').notNull(),
  nombre: varchar('nombre', { length: 200 }),
  role: varchar('role', { length: 32 }).notNull(),
  institucion_id: varchar('institucion_id', { length: 64 }).notNull(),
  entidad: varchar('entidad', { length: 2 }),
  active: boolean('active').notNull().default(true),
  must_change_password: boolean('must_change_password').notNull().default(false),
  mfa_secret: text('mfa_secret'),
  mfa_enabled: boolean('mfa_enabled').notNull().default(false),
  // The operator-provisioned first administrator (password from SINTRA_ADMIN_PASSWORD) may sign in without
  // a second factor unless SINTRA_ADMIN_MFA=1; every other administrador/validador must enrol.
  mfa_exento: boolean('mfa_exento').notNull().default(false),
  recovery_codes: text('recovery_codes').array().notNull().default(sql`'{}'::text[]`),
  // Last TOTP time step accepted at sign-in: a code is never accepted twice (ASVS 2.8.4).
  mfa_last_step: bigint('mfa_last_step', { mode: 'number' }),
  failed_logins: integer('failed_logins').notNull().default(0),
  locked_until: timestamp('locked_until', { withTimezone: true }),
  last_login_at: timestamp('last_login_at', { withTimezone: true }),
  password_changed_at: timestamp('password_changed_at', { withTimezone: true }),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const session = pgTable(
  'session',
  {
    // sha256 of the cookie token: a stolen database does not yield usable sessions.
    token_hash: varchar('token_hash', { length: 64 }).primaryKey(),
    user_id: uuid('user_id').notNull(),
    created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    last_seen_at: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expires_at: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: varchar('ip', { length: 64 }),
    user_agent: varchar('user_agent', { length: 300 }),
  },
  (t) => [index('session_user_idx').on(t.user_id)],
);

// Counters of the rate limits (sign-in failures per IP, exports per user), in the database so that
// several app instances share them. One row per bucket, key and fixed window.
export const rateLimit = pgTable(
  'rate_limit',
  {
    bucket: varchar('bucket', { length: 32 }).notNull(),
    key: varchar('key', { length: 128 }).notNull(),
    window_start: timestamp('window_start', { withTimezone: true }).notNull(),
    hits: integer('hits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key, t.window_start] })],
);

export const catalogo = pgTable(
  'catalogo',
  {
    nombre: varchar('nombre', { length: 64 }).notNull(),
    codigo: varchar('codigo', { length: 64 }).notNull(),
    etiqueta: varchar('etiqueta', { length: 400 }).notNull(),
    orden: integer('orden').notNull().default(0),
    grupo: varchar('grupo', { length: 64 }),
    excluyente: boolean('excluyente').notNull().default(false),
    vigente_desde: date('vigente_desde'),
    vigente_hasta: date('vigente_hasta'),
    padre_codigo: varchar('padre_codigo', { length: 64 }),
    extra: text('extra'),
  },
  (t) => [primaryKey({ columns: [t.nombre, t.codigo] })],
);

export const folioCounter = pgTable(
  'folio_counter',
  {
    prefix: varchar('prefix', { length: 8 }).notNull(),
    anio: integer('anio').notNull(),
    last: integer('last').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.anio] })],
);

export const attachment = pgTable('attachment', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: varchar('name', { length: 255 }).notNull(),
  size: integer('size').notNull(),
  type: varchar('type', { length: 100 }).notNull(),
  kind: varchar('kind', { length: 8 }).notNull(),
  sha256: varchar('sha256', { length: 64 }).notNull(),
  // Stored in the database (bytea): backed up and restored with it, never served statically.
  data: bytea('data').notNull(),
  field: varchar('field', { length: 120 }),
  // Whether ClamAV scanned the file (false where no clamd is configured; infected files are never stored).
  escaneado: boolean('escaneado').notNull().default(false),
  institucion_id: varchar('institucion_id', { length: 64 }).notNull(),
  created_by: uuid('created_by').notNull(),
  created_at: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const incidenciaVictimas = pgTable(
  'incidencia_victimas',
  {
    anio: integer('anio').notNull(),
    mes: integer('mes').notNull(),
    entidad: varchar('entidad', { length: 2 }).notNull(),
    sexo: varchar('sexo', { length: 20 }).notNull(),
    grupo_edad: varchar('grupo_edad', { length: 20 }).notNull(),
    victimas: integer('victimas').notNull(),
  },
  (t) => [primaryKey({ columns: [t.anio, t.mes, t.entidad, t.sexo, t.grupo_edad] })],
);

export const fuenteCarga = pgTable('fuente_carga', {
  fuente: varchar('fuente', { length: 32 }).primaryKey(),
  archivo: varchar('archivo', { length: 300 }).notNull(),
  sha256: varchar('sha256', { length: 64 }).notNull(),
  filas: integer('filas').notNull(),
  cargado_at: timestamp('cargado_at', { withTimezone: true }).notNull().defaultNow(),
});

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().default(sql`clock_timestamp()`),
    user_id: uuid('user_id'),
    username: varchar('username', { length: 64 }),
    institucion_id: varchar('institucion_id', { length: 64 }),
    role: varchar('role', { length: 32 }),
    ip: varchar('ip', { length: 64 }),
    action: varchar('action', { length: 32 }).notNull(),
    module: varchar('module', { length: 64 }),
    record_id: uuid('record_id'),
    detail: text('detail'),
    prev_hash: varchar('prev_hash', { length: 64 }).notNull(),
    hash: varchar('hash', { length: 64 }).notNull(),
  },
  (t) => [
    index('audit_record_idx').on(t.record_id),
    index('audit_at_idx').on(t.at),
    // Filters of GET /api/v1/audit, newest first.
    index('audit_user_idx').on(t.username, t.id),
    index('audit_inst_idx').on(t.institucion_id, t.id),
    index('audit_action_idx').on(t.action, t.id),
  ],
);

// Programa Nacional and annual-report snapshots (their own files; re-exported so drizzle-kit sees them).
export * from '../programa/tables.js';
export * from '../reports/tables.js';
// Publications, possible duplicates and scheduled jobs of the statistics.
export * from '../stats/tables.js';
