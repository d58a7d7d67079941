// `npm run sintra -- import <módulo> <archivo>`: the same import the API offers, run as a named user (default:
// the first administrator) so scope, rules and audit apply.
import fs from 'node:fs';
import path from 'node:path';
import { getModule } from '../../modules/index.js';
import type { Actor, Role } from '../auth/actor.js';
import { closeContext, createContext } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import { acquireDataDirLock } from '../db/lock.js';
import { HttpError } from '../http/errors.js';

export const IMPORT_HELP =
  'import <módulo> <archivo.xlsx|csv> [--enviar] [--usuario <u>]\n' +
  '                                  Importa registros de un módulo (todo o nada) como borradores, o enviados con --enviar;\n' +
  '                                  por omisión a nombre del administrador inicial. Con errores no guarda nada y los lista.';


/** The user a command acts as, with role, institution and scope, like a signed-in session. */
export async function actorFor(ctx: Ctx, username: string): Promise<Actor> {
  const rows = await ctx.db.query<{
    id: string;
    username: string;
    nombre: string | null;
    role: Role;
    institucion_id: string;
    entidad: string | null;
    inst_nombre: string;
    inst_ambito: Actor['institucion_ambito'];
    inst_entidad: string | null;
  }>(
    `select u.id, u.username, u.nombre, u.role, u.institucion_id, u.entidad, i.nombre as inst_nombre, i.ambito as inst_ambito, i.entidad as inst_entidad
       from app_user u join institucion i on i.codigo = u.institucion_id where lower(u.username) = lower($1) and u.active`,
    [username],
  );
  const r = rows[0];
  if (!r) throw new Error(`No existe el usuario activo «${username}» (use --usuario).`);
  return {
    id: r.id,
    username: r.username,
    nombre: r.nombre,
    role: r.role,
    institucion_id: r.institucion_id,
    institucion_nombre: r.inst_nombre,
    institucion_ambito: r.inst_ambito,
    institucion_entidad: r.inst_entidad,
    entidad: r.entidad ?? r.inst_entidad,
    mustChangePassword: false,
    ip: 'línea de comandos',
  };
}

export function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function withCtx<T>(config: Config, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const ctx = await createContext(config, { log: { ...console, info: () => undefined } as Console });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

export function explain(e: unknown): number {
  if (e instanceof HttpError) {
    console.error(`Error: ${e.detail}`);
    return e.status === 404 ? 1 : 2;
  }
  throw e;
}

export async function importRecordsCommand(config: Config, args: string[]): Promise<number> {
  const [moduleKey, file] = args;
  const m = moduleKey ? getModule(moduleKey) : undefined;
  if (!m || !file) {
    console.error(`Uso: npm run sintra -- ${IMPORT_HELP}`);
    if (moduleKey && !m) console.error(`El módulo «${moduleKey}» no existe.`);
    return 2;
  }
  const target = path.resolve(file);
  if (!fs.existsSync(target)) {
    console.error(`No existe el archivo ${target}.`);
    return 2;
  }
  return withCtx(config, async (ctx) => {
    const a = await actorFor(ctx, option(args, '--usuario') ?? config.SINTRA_ADMIN_USER);
    try {
      const { ImportService } = await import('./service.js'); // spreadsheet libraries only when importing
      const r = await new ImportService(ctx).run(a, m, fs.readFileSync(target), { fileName: path.basename(target), enviar: args.includes('--enviar') });
      if (r.totalErrors) {
        console.error(`El archivo tiene ${r.totalErrors} error(es); no se guardó ningún registro:`);
        for (const e of r.errors) console.error(`  fila ${e.row}${e.column ? `, columna «${e.column}»` : ''}: ${e.message}`);
        if (r.totalErrors > r.errors.length) console.error(`  … y ${r.totalErrors - r.errors.length} más.`);
        return 1;
      }
      console.log(`${m.name}: ${r.imported} registro(s) importado(s) como ${args.includes('--enviar') ? 'enviados' : 'borradores'}${r.folios ? ` (folios ${r.folios.desde} a ${r.folios.hasta})` : ''}.`);
      if (r.borradores) {
        console.log(`${r.borradores} de ellos quedaron como borrador porque necesitan archivos adjuntos:`);
        for (const p of r.pendientes ?? []) for (const i of p.pending) console.log(`  fila ${p.row}: ${i.message}`);
      } else if (r.conPendientes) {
        console.log(`${r.conPendientes} de ellos tienen pendientes antes de poder enviarse:`);
        for (const p of (r.pendientes ?? []).slice(0, 50)) for (const i of p.pending) console.log(`  fila ${p.row} (${p.folio}): ${i.message}`);
        if (r.conPendientes > 50) console.log(`  … y ${r.conPendientes - 50} registro(s) más.`);
      }
      return 0;
    } catch (e) {
      return explain(e);
    }
  });
}
