// `npm run sintra -- <command>`: operations on the same database the server uses.
import fs from 'node:fs';
import path from 'node:path';
import { closeContext, createContext, ensureAdmin } from './server/bootstrap.js';
import { loadConfig, type Config } from './server/config.js';
import { acquireDataDirLock } from './server/db/lock.js';
import { importSesnsp, SESNSP_DEFAULT_FILE } from './server/incidencia/sesnsp.js';
import { hashPassword, passwordProblem } from './server/auth/password.js';
import crypto from 'node:crypto';
import { HELP as BACKUP_HELP, auditCommand, backupCommand, restoreCommand } from './server/backup/commands.js';
import { HELP as DUPLICADOS_HELP, duplicadosCommand } from './server/duplicates/commands.js';
import { IMPORT_HELP, importRecordsCommand } from './server/imports/commands.js';
import { EXPORT_HELP, exportCommand } from './server/exports/commands.js';
import { REPORT_HELP, reportCommand } from './server/reports/commands.js';
import { DEMO_HELP, demoCommand } from './server/demo/commands.js';

const HELP: Record<string, string> = {
  migrate: 'migrate                         Aplica las migraciones y carga catálogos e instituciones.',
  admin: 'admin reset-password <usuario>  Asigna una contraseña nueva (SINTRA_NEW_PASSWORD o generada) y exige cambiarla.\n  admin create                    Crea el administrador inicial si no hay usuarios.',
  import: `import sesnsp [archivo.csv]     Carga el archivo de víctimas del SESNSP (formato largo); sin archivo, el incluido.\n  ${IMPORT_HELP}`,
  ...EXPORT_HELP,
  ...REPORT_HELP,
  ...BACKUP_HELP,
  ...DUPLICADOS_HELP,
  ...DEMO_HELP,
};

function usage(cmd?: string): string {
  if (cmd && HELP[cmd]) return `Uso: npm run sintra -- ${HELP[cmd]}`;
  return `SINTRA — línea de comandos\n\nUso: npm run sintra -- <comando> [opciones]\n\nComandos:\n${Object.values(HELP)
    .map((h) => `  ${h}`)
    .join('\n')}\n\nCada comando acepta --help. Con la base integrada, detenga el servidor antes de usar un comando.`;
}

async function withContext<T>(config: Config, fn: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const ctx = await createContext(config, { log: { ...console, info: () => undefined } as Console, migrate: opts.migrate });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage());
    return 0;
  }
  if (!HELP[cmd]) {
    console.error(`Comando desconocido: «${cmd}».\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(usage(cmd));
    return 0;
  }
  const config = loadConfig();
  switch (cmd) {
    case 'audit':
      return auditCommand(config, rest);
    case 'duplicados':
      return duplicadosCommand(config, rest);
    case 'backup':
      return backupCommand(config, rest);
    case 'restore':
      return restoreCommand(config, rest);
    case 'export':
      return exportCommand(config, rest);
    case 'report':
      return reportCommand(config, rest);
    case 'demo':
      return demoCommand(config, rest);
    case 'migrate':
      // Always migrates, even with SINTRA_MIGRATE_AT_START=0 (that setting is for the app's start).
      await withContext(
        config,
        async (ctx) => {
          console.log(`Base de datos lista (${ctx.db.kind}).`);
        },
        { migrate: true },
      );
      return 0;
    case 'import': {
      const [source, file] = rest;
      if (source !== 'sesnsp') return importRecordsCommand(config, rest);
      const target = file ? path.resolve(file) : SESNSP_DEFAULT_FILE;
      if (!fs.existsSync(target)) {
        console.error(`No existe el archivo ${target}.`);
        return 2;
      }
      await withContext(config, async (ctx) => {
        const r = await importSesnsp(ctx.db, target);
        console.log(r.skipped ? `El archivo ya estaba cargado (sin cambios): ${target}` : `SESNSP: ${r.rows} filas cargadas, ${r.victimas} víctimas.`);
      });
      return 0;
    }
    case 'admin': {
      const [sub, username] = rest;
      if (sub === 'create') {
        await withContext(config, async (ctx) => {
          const r = await ensureAdmin(ctx.db, config);
          if (!r.created) console.log('Ya existen usuarios; no se creó ninguno.');
          else console.log(r.generatedPassword ? `Administrador creado. Contraseña (una sola vez): ${r.generatedPassword}` : 'Administrador creado con SINTRA_ADMIN_PASSWORD.');
        });
        return 0;
      }
      if (sub === 'reset-password' && username) {
        const pw = process.env.SINTRA_NEW_PASSWORD || crypto.randomBytes(12).toString('base64url');
        const problem = passwordProblem(pw, username);
        if (problem) {
          console.error(`SINTRA_NEW_PASSWORD: ${problem}`);
          return 2;
        }
        return withContext(config, async (ctx) => {
          const rows = await ctx.db.query<{ id: string }>(
            `update app_user set password_hash = $2, must_change_password = true, failed_logins = 0, locked_until = null where lower(username) = lower($1) returning id`,
            [username, await hashPassword(pw)],
          );
          if (!rows.length) {
            console.error(`No existe el usuario «${username}».`);
            return 1;
          }
          await ctx.db.query('delete from session where user_id = $1', [rows[0].id]);
          console.log(process.env.SINTRA_NEW_PASSWORD ? 'Contraseña asignada; deberá cambiarse al iniciar sesión.' : `Contraseña temporal (una sola vez): ${pw}`);
          return 0;
        });
      }
      console.error(usage('admin'));
      return 2;
    }
  }
  return 2;
}

/** One Spanish line for a failure of the file system (a missing path, a directory…), never a stack. */
function failureMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { dest?: string };
  const where = err.dest ?? err.path;
  const p = where ? `«${where}»` : 'indicada';
  switch (err?.code) {
    case 'ENOENT':
      return `Error: no existe el archivo o directorio ${p}.`;
    case 'ENOTDIR':
      return `Error: una parte de la ruta ${p} no es un directorio.`;
    case 'EISDIR':
      return `Error: la ruta ${p} es un directorio; indique un archivo.`;
    case 'EACCES':
    case 'EPERM':
      return `Error: sin permiso para usar ${p}.`;
    case 'EEXIST':
      return `Error: ya existe ${p}.`;
    case 'ENOSPC':
      return `Error: no hay espacio en disco para escribir ${p}.`;
  }
  return `Error: ${err instanceof Error ? err.message : String(e)}`;
}

// Also for an error thrown outside main's promise (a stream's 'error' event): one line and a non-zero exit.
process.on('uncaughtException', (e) => {
  console.error(failureMessage(e));
  process.exit(1);
});

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(failureMessage(e));
    process.exit(1);
  },
);
