import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SSL_MODES, sslModeRefine } from './ops/pg-options.js';

// Configuration is read from the environment once and validated at boot (STYLE.md line 10).
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  SINTRA_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL debe empezar con postgres:// o postgresql://')
    .superRefine(sslModeRefine('DATABASE_URL'))
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL debe empezar con postgres://')
    .superRefine(sslModeRefine('DATABASE_READ_URL'))
    .optional(),
  SINTRA_AMBIENTE: z.enum(['produccion', 'capacitacion']).default('produccion'),
  SINTRA_ADMIN_USER: z.string().min(3).default('admin'),
  SINTRA_ADMIN_PASSWORD: z.string().min(12, 'SINTRA_ADMIN_PASSWORD debe tener al menos 12 caracteres').optional(),
  // The first administrator provisioned with SINTRA_ADMIN_PASSWORD must enrol MFA only when this is 1.
  SINTRA_ADMIN_MFA: z.enum(['0', '1']).default('0'),
  SINTRA_SESSION_IDLE_MIN: z.coerce.number().int().min(1).default(30),
  SINTRA_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  // Second-level overrides of the two above, so the web's expiry warning can be exercised in tests and training.
  SINTRA_SESSION_IDLE_SEG: z.coerce.number().int().min(10).max(86_400).optional(),
  SINTRA_SESSION_MAX_SEG: z.coerce.number().int().min(10).max(7 * 86_400).optional(),
  SINTRA_SUPPRESSION_THRESHOLD: z.coerce.number().int().min(1).default(5),
  // Minutes between runs of the possible-duplicates detection (spec §4.3 rule 5); 0 turns it off.
  SINTRA_DUPLICADOS_INTERVALO_MIN: z.coerce.number().int().min(0).default(1440),
  SINTRA_LOAD_SESNSP: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Production operations (docs/deployment.md documents each; a unit test keeps the table in step).
  SINTRA_DB_POOL_MAX: z.coerce.number().int().min(2, 'SINTRA_DB_POOL_MAX debe ser al menos 2').max(500).default(10),
  SINTRA_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  SINTRA_DB_IDLE_TX_TIMEOUT_MS: z.coerce.number().int().min(0).default(60_000),
  SINTRA_DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  SINTRA_DB_SSL: z.enum(SSL_MODES, { message: `SINTRA_DB_SSL debe ser ${SSL_MODES.join(', ')}` }).optional(),
  SINTRA_DB_SSL_CA: z.string().refine((p) => fs.existsSync(p), 'SINTRA_DB_SSL_CA: no existe el archivo del certificado').optional(),
  SINTRA_MIGRATE_AT_START: z.enum(['0', '1']).default('1'),
  SINTRA_METRICS_TOKEN: z.string().min(24, 'SINTRA_METRICS_TOKEN debe tener al menos 24 caracteres').optional(),
  SINTRA_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).default(30_000),
  SINTRA_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  SINTRA_COOKIE_SECURE: z.enum(['0', '1']).default('0'),
  // Contact of the Secretaría Técnica on the support page (/soporte, GET /api/v1/public/soporte); unset ones are not shown.
  SINTRA_SOPORTE_AREA: z.string().min(3).default('Secretaría Técnica de la Comisión Intersecretarial para Prevenir, Sancionar y Erradicar los Delitos en Materia de Trata de Personas'),
  SINTRA_SOPORTE_CORREO: z.email('SINTRA_SOPORTE_CORREO debe ser una dirección de correo').optional(),
  SINTRA_SOPORTE_TELEFONO: z.string().regex(/^[0-9 +()\-.,a-zA-Z]{7,60}$/, 'SINTRA_SOPORTE_TELEFONO: escriba el número, p. ej. 55 5128 0000 ext. 12345').optional(),
  SINTRA_SOPORTE_HORARIO: z.string().min(3).default('Lunes a viernes de 9:00 a 18:00 h (hora del centro de México)'),
  SINTRA_SOPORTE_DOMICILIO: z.string().min(5).optional(),
  // ClamAV daemon that scans every attachment: a Unix socket path or host:port (unset: files are kept unscanned).
  SINTRA_CLAMD_SOCKET: z.string().regex(/^(\/\S+|\[?[\w.:-]+\]?:\d{1,5})$/, 'SINTRA_CLAMD_SOCKET debe ser la ruta de un socket (/run/clamav/clamd.ctl) o host:puerto (127.0.0.1:3310)').optional(),
});

/** Idle and absolute session timeouts in seconds (the *_SEG overrides win over minutes/hours). */
export function sessionTimeouts(c: Pick<Config, 'SINTRA_SESSION_IDLE_MIN' | 'SINTRA_SESSION_MAX_HOURS' | 'SINTRA_SESSION_IDLE_SEG' | 'SINTRA_SESSION_MAX_SEG'>): { idleSec: number; maxSec: number } {
  return { idleSec: c.SINTRA_SESSION_IDLE_SEG ?? c.SINTRA_SESSION_IDLE_MIN * 60, maxSec: c.SINTRA_SESSION_MAX_SEG ?? c.SINTRA_SESSION_MAX_HOURS * 3600 };
}

/** The schema itself, for the deployment guide's table check. */
export const configSchema = schema;

export type Config = z.infer<typeof schema> & { dataDir: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const r = schema.safeParse(clean);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Configuración inválida:\n${lines}`);
  }
  return { ...r.data, dataDir: path.resolve(r.data.SINTRA_DATA_DIR) };
}
