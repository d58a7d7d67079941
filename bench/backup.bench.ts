// Backup and restore at size: 100,000 victim records (realistic mixes, bench/victims.ts), each with its
// creation entry in the audit chain, plus attachments. Prints the backup's size and the time of backup and
// restore (restore includes checking every table's row count and recomputing the whole audit chain), for
// the native format (PGlite data directory / pg_dump) and the portable logical one.
//
//   npm run bench -- backup [--db pglite|postgresql] [--records 100000]
// PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres
// (new databases are created next to it and dropped afterwards).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { GENESIS, hashEntry, type AuditFields } from '../src/server/audit/audit.js';
import { createBackup, restoreBackup } from '../src/server/backup/backup.js';
import { closeContext, createContext, ensureAdmin } from '../src/server/bootstrap.js';
import { loadConfig, type Config } from '../src/server/config.js';
import { buildDataset, insertDataset, seedTestInstitutions } from '../test/fixtures/victims.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const DB = arg('db', 'pglite') as 'pglite' | 'postgresql';
const N = Number(arg('records', '100000'));
const PG_BASE = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MB = 1024 * 1024;
const quiet = { ...console, info: () => undefined, log: () => undefined } as Console;
const drops: (() => Promise<void>)[] = [];

async function target(): Promise<Config> {
  const base = { SINTRA_ADMIN_PASSWORD: 'Clave-De-Prueba-2026', LOG_LEVEL: 'silent', SINTRA_LOAD_SESNSP: '0' };
  if (DB === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-bench-bk-'));
    drops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    return loadConfig({ ...base, SINTRA_DATA_DIR: dir });
  }
  const name = `sintra_bench_${crypto.randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_BASE });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  drops.push(async () => {
    const d = new pg.Client({ connectionString: PG_BASE });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  const u = new URL(PG_BASE);
  u.pathname = `/${name}`;
  return loadConfig({ ...base, DATABASE_URL: u.toString() });
}

async function main() {
  const cpus = os.cpus().length;
  console.log(`Respaldo y restauración: ${N.toLocaleString('en-US')} registros de víctimas, ${DB}, ${cpus} núcleo(s), carga ${os.loadavg()[0].toFixed(1)}`);
  const source = await target();
  const t0 = Date.now();
  const ctx = await createContext(source, { log: quiet });
  await ensureAdmin(ctx.db, source);
  await seedTestInstitutions(ctx);
  await insertDataset(ctx, buildDataset(7, N));
  // Each record's creation entry, chained as writeAudit would (bulk: the bench is not about the API).
  const recs = await ctx.db.query<{ id: string; institucion_id: string; folio_sintra: string }>('select id::text as id, institucion_id, folio_sintra from m_victimas order by seq');
  const head = await ctx.db.query<{ hash: string }>('select hash from audit_log order by id desc limit 1');
  let prev = head[0]?.hash ?? GENESIS;
  for (let i = 0; i < recs.length; i += 2000) {
    const chunk = recs.slice(i, i + 2000).map((r) => {
      const f: AuditFields = {
        at: new Date().toISOString(),
        user_id: null,
        username: 'carga_masiva',
        institucion_id: r.institucion_id,
        role: 'enlace',
        ip: '127.0.0.1',
        action: 'crear',
        module: 'victimas',
        record_id: r.id,
        detail: JSON.stringify({ folio: r.folio_sintra }),
      };
      const hash = hashEntry(prev, f);
      const row = { ...f, prev_hash: prev, hash };
      prev = hash;
      return row;
    });
    // Ids in chain order: the chain is verified in id order.
    await ctx.db.query(
      `insert into audit_log (at, user_id, username, institucion_id, role, ip, action, module, record_id, detail, prev_hash, hash)
       select at, user_id, username, institucion_id, role, ip, action, module, record_id, detail, prev_hash, hash
         from json_populate_recordset(null::audit_log, $1::json) with ordinality as t order by t.ordinality`,
      [JSON.stringify(chunk)],
    );
  }
  // A few attachments (kept in the database, so they travel in the backup).
  for (let i = 0; i < 20; i++)
    await ctx.db.query(`insert into attachment (name, size, type, kind, sha256, data, institucion_id, created_by) values ($1, $2, 'application/pdf', 'pdf', $3, $4, 'SRE', $5)`, [
      `anexo-${i}.pdf`,
      256 * 1024,
      crypto.randomBytes(32).toString('hex'),
      crypto.randomBytes(256 * 1024),
      crypto.randomUUID(),
    ]);
  const counts = await ctx.db.query<{ r: number; a: number }>('select (select count(*)::int from m_victimas) as r, (select count(*)::int from audit_log) as a');
  await closeContext(ctx);
  console.log(`datos de prueba: ${counts[0].r.toLocaleString('en-US')} registros, ${counts[0].a.toLocaleString('en-US')} entradas de bitácora, 20 adjuntos de 256 KB (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-bench-file-'));
  drops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  for (const logico of [false, true]) {
    const file = path.join(dir, logico ? 'logico.sintra' : 'nativo.sintra');
    const cpu0 = process.cpuUsage();
    const b = await createBackup(source, file, { logico });
    const cpuB = process.cpuUsage(cpu0);
    const dest = await target();
    const cpu1 = process.cpuUsage();
    const r = await restoreBackup(dest, file);
    const cpuR = process.cpuUsage(cpu1);
    const cpu = (c: NodeJS.CpuUsage) => ((c.user + c.system) / 1e6).toFixed(1);
    console.log(
      `${b.manifest.tipo.padEnd(8)} archivo ${(fs.statSync(file).size / MB).toFixed(1).padStart(7)} MB   respaldo ${(b.ms / 1000).toFixed(1).padStart(6)} s (CPU de Node ${cpu(cpuB)} s)   ` +
        `restauración ${(r.ms / 1000).toFixed(1).padStart(6)} s (CPU de Node ${cpu(cpuR)} s), bitácora verificada: ${r.chainEntries.toLocaleString('en-US')} entradas`,
    );
  }
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const d of drops) await d().catch(() => undefined);
  });
