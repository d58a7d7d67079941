// Starts SINTRA: prepares the database, creates the first administrator, listens.
import { buildApp } from './app.js';
import { closeContext, createContext, ensureAdmin } from './bootstrap.js';
import { loadConfig } from './config.js';
import { importSesnsp, SESNSP_DEFAULT_FILE } from './incidencia/sesnsp.js';
import { acquireDataDirLock } from './db/lock.js';
import { withAdvisoryLock } from './ops/locks.js';
import { installGracefulShutdown } from './ops/shutdown.js';
import { startDuplicateJob } from './duplicates/job.js';

async function main() {
  const t0 = Date.now();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const ctx = await createContext(config);
  // Several instances may start together: the first administrator and the SESNSP load happen once.
  const admin = await withAdvisoryLock(ctx.db, 'sintra:admin', () => ensureAdmin(ctx.db, config));
  if (admin.generatedPassword) {
    console.log('\n================================================================');
    console.log(` Administrador creado: usuario «${config.SINTRA_ADMIN_USER}»`);
    console.log(` Contraseña (se muestra una sola vez): ${admin.generatedPassword}`);
    console.log(' Deberá cambiarla al iniciar sesión.');
    console.log('================================================================\n');
  }
  if (config.SINTRA_LOAD_SESNSP === '1') {
    const r = await withAdvisoryLock(ctx.db, 'sintra:sesnsp', () => importSesnsp(ctx.db, SESNSP_DEFAULT_FILE));
    if (!r.skipped) console.log(`SESNSP: ${r.rows} filas cargadas (${r.victimas} víctimas).`);
  }
  const app = await buildApp(ctx, { logger: true });
  installGracefulShutdown(app, { timeoutMs: config.SINTRA_SHUTDOWN_TIMEOUT_MS, onClosed: () => closeContext(ctx) });
  await app.listen({ port: config.PORT, host: config.HOST });
  // Possible duplicates across institutions, flagged on a schedule for the Secretaría Técnica (spec §4.3).
  startDuplicateJob(ctx, config.SINTRA_DUPLICADOS_INTERVALO_MIN);
  console.log(`SINTRA listo en http://localhost:${config.PORT} (base de datos: ${ctx.db.kind}, ambiente: ${config.SINTRA_AMBIENTE}) en ${Date.now() - t0} ms`);
}

main().catch((e) => {
  console.error(`No se pudo iniciar SINTRA: ${(e as Error).message}`);
  process.exit(1);
});
