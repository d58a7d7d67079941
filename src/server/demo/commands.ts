// The CLI's `demo` command (src/cli.ts dispatches here): synthetic data for SINTRA Capacitación.
import { closeContext, createContext, ensureAdmin } from '../bootstrap.js';
import type { Config } from '../config.js';
import type { Ctx } from '../context.js';
import { acquireDataDirLock } from '../db/lock.js';
import type { SeedResult } from './seed.js';

export const DEMO_HELP = {
  demo:
    'demo seed [--records N] [--seed S]  Carga datos sintéticos (solo en SINTRA_AMBIENTE=capacitacion).\n' +
    '  demo reset --yes-reset-training [--records N] [--seed S]  Borra los datos de capacitación y los vuelve a cargar.',
};

/** Why the command may not run here, or null. Synthetic data never goes into the production database. */
export function demoRefusal(config: Pick<Config, 'SINTRA_AMBIENTE'>, sub: string, args: string[]): string | null {
  if (config.SINTRA_AMBIENTE !== 'capacitacion')
    return `«demo ${sub}» solo se permite en el ambiente de capacitación (SINTRA_AMBIENTE=capacitacion); este es «${config.SINTRA_AMBIENTE}».`;
  if (sub === 'reset' && !args.includes('--yes-reset-training')) return 'demo reset borra todos los registros: confirme con --yes-reset-training.';
  return null;
}

function intOpt(args: string[], name: string): number | undefined | Error {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (!v || !/^\d+$/.test(v)) return new Error(`${name}: se esperaba un número entero, se recibió «${v ?? ''}».`);
  return Number(v);
}

export function printSeed(r: SeedResult): void {
  const total = Object.values(r.records).reduce((s, c) => s + Object.values(c).reduce((a, b) => a + b, 0), 0);
  console.log(`Datos de capacitación cargados: ${r.institutions} instituciones estatales nuevas, ${r.users.length} usuarios, ${total} registros.`);
  for (const [m, c] of Object.entries(r.records)) console.log(`  ${m.padEnd(28)} ${Object.entries(c).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`\nUsuarios de capacitación (contraseña de todos, se muestra una sola vez): ${r.password}`);
  console.log('Los roles administrador y validador registran su segundo factor (TOTP) al entrar por primera vez.');
  for (const u of r.users) console.log(`  ${u.username.padEnd(28)} ${u.role.padEnd(18)} ${u.institucion_id}`);
}

export async function demoCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'seed' && sub !== 'reset') {
    console.error(`Uso: npm run sintra -- ${DEMO_HELP.demo}`);
    return 2;
  }
  const refusal = demoRefusal(config, sub, rest);
  if (refusal) {
    console.error(refusal);
    return 2;
  }
  const records = intOpt(rest, '--records');
  const seed = intOpt(rest, '--seed');
  for (const v of [records, seed])
    if (v instanceof Error) {
      console.error(v.message);
      return 2;
    }
  if (!config.DATABASE_URL) acquireDataDirLock(config.dataDir);
  const ctx: Ctx = await createContext(config, { log: { ...console, info: () => undefined } as Console });
  try {
    if (sub === 'reset') {
      const { wipeDemo } = await import('./seed.js');
      await wipeDemo(ctx);
      console.log('Datos de capacitación borrados.');
    }
    if (sub === 'seed' && (await ctx.db.query(`select 1 from app_user where username = 'cap.admin'`)).length) {
      console.error('Ya hay datos de capacitación cargados. Para empezar de nuevo: npm run sintra -- demo reset --yes-reset-training');
      return 2;
    }
    const admin = await ensureAdmin(ctx.db, config);
    if (admin.generatedPassword) console.log(`Administrador creado. Contraseña (una sola vez): ${admin.generatedPassword}`);
    const { seedDemo } = await import('./seed.js'); // faker only when seeding
    printSeed(await seedDemo(ctx, { records: records as number | undefined, seed: seed as number | undefined }));
    return 0;
  } finally {
    await closeContext(ctx);
  }
}
