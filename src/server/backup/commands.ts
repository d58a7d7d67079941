// The CLI's `audit`, `backup` and `restore` commands (src/cli.ts dispatches here).
import path from 'node:path';
import { verifyChain } from '../audit/audit.js';
import { VERSION } from '../bootstrap.js';
import type { Config } from '../config.js';
import { acquireDataDirLock } from '../db/lock.js';
import { BackupError, createBackup, restoreBackup } from './backup.js';
import { openRawPglite, openRawPostgres, pgliteDir } from './raw.js';

export const HELP = {
  audit: 'audit verify [--ancla <id>:<hash>]  Recalcula la cadena de la bitácora y nombra la primera entrada alterada o eliminada.',
  backup: 'backup <archivo> [--logico] [--sobrescribir]  Respaldo completo en un archivo solo legible por su dueño (0600); no reemplaza un archivo existente sin --sobrescribir (PGlite: detenga el servidor antes).',
  restore: 'restore <archivo> --yes-overwrite  Reemplaza la base de datos con el respaldo (detenga el servidor antes).',
};

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

export async function auditCommand(config: Config, args: string[]): Promise<number> {
  if (args[0] !== 'verify') {
    console.error(`Uso: npm run sintra -- ${HELP.audit}`);
    return 2;
  }
  let anchor: { id: number; hash: string } | undefined;
  const i = args.indexOf('--ancla');
  if (i >= 0) {
    const m = /^(\d+):([0-9a-f]{64})$/.exec(args[i + 1] ?? '');
    if (!m) {
      console.error('--ancla: use <id>:<hash>, p. ej. 1234:9f86d0…, tal como lo imprime una verificación anterior.');
      return 2;
    }
    anchor = { id: Number(m[1]), hash: m[2] };
  }
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const q = config.DATABASE_URL ? await openRawPostgres(config.DATABASE_URL) : await openRawPglite(pgliteDir(config.dataDir));
  try {
    const r = await verifyChain(q, { anchor });
    if (!r.ok) {
      console.error(`Bitácora ALTERADA: ${r.problem!.message}`);
      console.error(`Entradas íntegras antes de ella: ${r.entries}${r.lastId ? ` (hasta la #${r.lastId})` : ''}.`);
      return 1;
    }
    console.log(`Bitácora íntegra: ${r.entries} entradas.`);
    if (r.lastId) console.log(`Última entrada: #${r.lastId} ${r.lastHash}\n(guárdela fuera del sistema y verifique después con --ancla ${r.lastId}:${r.lastHash})`);
    return 0;
  } finally {
    await q.close();
  }
}

export async function backupCommand(config: Config, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error(`Uso: npm run sintra -- ${HELP.backup}`);
    return 2;
  }
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  try {
    const r = await createBackup(config, file, { logico: args.includes('--logico'), sobrescribir: args.includes('--sobrescribir'), version: VERSION });
    if (r.createdDir) console.log(`Se creó el directorio ${r.createdDir} (permisos 0700: solo su dueño lo abre).`);
    const m = r.manifest;
    const records = Object.entries(m.tablas)
      .filter(([k]) => k.startsWith('public.m_'))
      .reduce((s, [, n]) => s + n, 0);
    console.log(`Respaldo ${m.tipo} escrito en ${r.file} (${mb(m.bytes)}, ${(r.ms / 1000).toFixed(1)} s).`);
    console.log(`Registros: ${records}; adjuntos: ${m.tablas['public.attachment'] ?? 0}; usuarios: ${m.tablas['public.app_user'] ?? 0}; bitácora: ${m.auditoria.entradas} entradas${m.auditoria.integra ? ' (íntegra)' : ` (ALTERADA: ${m.auditoria.problema})`}.`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

export async function restoreCommand(config: Config, args: string[]): Promise<number> {
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error(`Uso: npm run sintra -- ${HELP.restore}`);
    return 2;
  }
  if (!args.includes('--yes-overwrite')) {
    console.error(`La restauración reemplaza TODA la base de datos${config.DATABASE_URL ? '' : ` en ${config.dataDir}`}. Confirme con --yes-overwrite.`);
    return 2;
  }
  try {
    if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
    const r = await restoreBackup(config, path.resolve(file));
    console.log(`Restaurado el respaldo ${r.manifest.tipo} del ${r.manifest.creado} en ${(r.ms / 1000).toFixed(1)} s; bitácora verificada (${r.chainEntries} entradas). Las sesiones abiertas se cerraron.`);
    return 0;
  } catch (e) {
    if (e instanceof BackupError || /está abierta por otro proceso/.test((e as Error).message)) {
      console.error((e as Error).message);
      return 1;
    }
    throw e;
  }
}
