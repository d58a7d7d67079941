import path from 'node:path';
import { z } from 'zod';

// Configuration is read from the environment once and validated at boot (STYLE.md line 10).
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  SINTRA_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL debe empezar con postgres:// o postgresql://')
    .optional(),
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_READ_URL debe empezar con postgres://')
    .optional(),
  SINTRA_AMBIENTE: z.enum(['produccion', 'capacitacion']).default('produccion'),
  SINTRA_ADMIN_USER: z.string().min(3).default('admin'),
  SINTRA_ADMIN_PASSWORD: z.string().min(12, 'SINTRA_ADMIN_PASSWORD debe tener al menos 12 caracteres').optional(),
  SINTRA_SESSION_IDLE_MIN: z.coerce.number().int().min(1).default(30),
  SINTRA_SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(12),
  SINTRA_SUPPRESSION_THRESHOLD: z.coerce.number().int().min(1).default(5),
  SINTRA_LOAD_SESNSP: z.enum(['0', '1']).default('1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

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
