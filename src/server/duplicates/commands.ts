// `npm run sintra -- duplicados detectar [--completa]`: the possible-duplicates detection from the command
// line (for cron, or after a large import), the same run the server schedules.
import { closeContext, createContext } from '../bootstrap.js';
import type { Config } from '../config.js';
import { acquireDataDirLock } from '../db/lock.js';
import { detectDuplicates } from './job.js';

export const HELP: Record<string, string> = {
  duplicados:
    'duplicados detectar [--completa] Marca posibles duplicados entre instituciones (víctimas) para revisión de la Secretaría Técnica;\n                                  --completa compara todos los registros, no solo los cambiados desde la última ejecución.',
};

export async function duplicadosCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...flags] = args;
  const unknown = flags.filter((f) => f !== '--completa');
  if (sub !== 'detectar' || unknown.length) {
    console.error(`Uso: npm run sintra -- ${HELP.duplicados}`);
    return 2;
  }
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const ctx = await createContext(config, { log: { ...console, info: () => undefined } as Console });
  try {
    const r = await detectDuplicates(ctx, { full: flags.includes('--completa') });
    if (!r.ran) {
      console.error('Otra ejecución de la detección está en curso; intente más tarde.');
      return 1;
    }
    console.log(`Posibles duplicados: ${r.nuevos} pares nuevos, ${r.retirados} retirados (ya no coinciden), ${r.pendientes} pendientes de revisión; ${r.comparados} registros comparados en ${r.ms} ms.`);
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
