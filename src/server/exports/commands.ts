// `npm run sintra -- export <módulo> …`: the same export the API offers, run as a named user (default: the
// first administrator) so permissions, scope and audit apply; streamed to a file.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.js';
import { actorFor, explain, option, withCtx } from '../imports/commands.js';
import { exportRecords } from './service.js';

export const EXPORT_HELP: Record<string, string> = {
  export:
    'export <módulo> [--formato csv|xlsx] [--salida <archivo>] [--usuario <u>] [f.<campo>=<valor> q=<texto> estatus=<e> from=<fecha> to=<fecha> valores=claves]\n' +
    '                                  Exporta la lista de un módulo con los mismos filtros y permisos que la pantalla (víctimas: solo estadísticas).',
};

export async function exportCommand(config: Config, args: string[]): Promise<number> {
  const [moduleKey, ...rest] = args;
  if (!moduleKey || moduleKey.startsWith('-')) {
    console.error(`Uso: npm run sintra -- ${EXPORT_HELP.export}`);
    return 2;
  }
  const query: Record<string, string | string[]> = { format: option(rest, '--formato') ?? 'csv' };
  for (const arg of rest) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || arg.startsWith('-')) continue;
    const k = arg.slice(0, eq);
    const v = arg.slice(eq + 1);
    const prev = query[k];
    query[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return withCtx(config, async (ctx) => {
    const a = await actorFor(ctx, option(rest, '--usuario') ?? config.SINTRA_ADMIN_USER);
    try {
      const file = await exportRecords(ctx, a, moduleKey, query);
      const out = path.resolve(option(rest, '--salida') ?? file.filename);
      await pipeline(file.stream, fs.createWriteStream(out));
      console.log(`${file.rows} registro(s) exportado(s) a ${out}.`);
      return 0;
    } catch (e) {
      return explain(e);
    }
  });
}
