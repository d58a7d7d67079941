// Backups in one file that restores to an identical database: records, attachments (kept in the
// database), users, catalogs and an audit chain that still verifies.
//
// File: a first line `SINTRA-RESPALDO 1`, a second line with the manifest (JSON), then the payload:
//   pglite  — PGlite's data directory (dumpDataDir, gzip tar), after a checkpoint;
//   pg_dump — pg_dump's custom format, taken in the same snapshot as the manifest's counts;
//   logico  — gzip of JSON lines: every table of the app (to_jsonb of each row) and its sequences.
//             Works from and to either database (e.g. PGlite → PostgreSQL).
// The manifest carries the payload's sha256, the row count of every table and the newest audit entry;
// a restore checks the payload before touching anything and the counts and the chain afterwards.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Config } from '../config.js';
import { MIGRATIONS_DIR, openDb } from '../db/client.js';
import { anonymousActor, chainHead, verifyChain, writeAudit } from '../audit/audit.js';
import { openRawPglite, openRawPostgres, pgliteDir, type Raw } from './raw.js';

const MAGIC = 'SINTRA-RESPALDO 1';

export type BackupKind = 'pglite' | 'pg_dump' | 'logico';

export interface Manifest {
  formato: 1;
  tipo: BackupKind;
  creado: string;
  version: string;
  base: 'pglite' | 'postgresql';
  servidor: string;
  /** Hashes of the applied migrations, in order. */
  migraciones: string[];
  /** Rows per table (`schema.table`) in the backed-up snapshot. */
  tablas: Record<string, number>;
  auditoria: { entradas: number; ultima: { id: number; hash: string } | null; integra: boolean; problema?: string };
  bytes: number;
  sha256: string;
}

export class BackupError extends Error {}

type Who = Parameters<typeof writeAudit>[1];

/** Who runs a CLI operation: the operating-system user, from the machine itself. */
export function cliActor(): Who {
  let user = 'desconocido';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return anonymousActor(`cli:${user}`.slice(0, 64), 'local');
}

// ---- database helpers (both engines) ----

interface Table {
  key: string; // schema.table
  sql: string; // "schema"."table"
  columns: { name: string; generated: boolean; identityAlways: boolean }[];
}

const qi = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The app's tables (schemas public and drizzle), parents before children of foreign keys. */
async function listTables(q: Raw): Promise<Table[]> {
  const rows = await q.query<{ schema: string; name: string; oid: number }>(
    `select n.nspname as schema, c.relname as name, c.oid::int as oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r','p') and n.nspname in ('public','drizzle') and not c.relispartition order by 1, 2`,
  );
  const cols = await q.query<{ oid: number; name: string; generated: string; identity: string }>(
    `select a.attrelid::int as oid, a.attname as name, a.attgenerated::text as generated, a.attidentity::text as identity
       from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname in ('public','drizzle') and c.relkind in ('r','p') and a.attnum > 0 and not a.attisdropped order by a.attrelid, a.attnum`,
  );
  const fks = await q.query<{ child: number; parent: number }>(
    `select conrelid::int as child, confrelid::int as parent from pg_constraint where contype = 'f' and conrelid <> confrelid`,
  );
  const byOid = new Map(rows.map((r) => [Number(r.oid), r]));
  const out: Table[] = [];
  const done = new Set<number>();
  const visit = (oid: number, stack: Set<number>) => {
    if (done.has(oid) || stack.has(oid) || !byOid.has(oid)) return;
    stack.add(oid);
    for (const f of fks) if (Number(f.child) === oid) visit(Number(f.parent), stack);
    done.add(oid);
    const r = byOid.get(oid)!;
    out.push({
      key: `${r.schema}.${r.name}`,
      sql: `${qi(r.schema)}.${qi(r.name)}`,
      columns: cols.filter((c) => Number(c.oid) === oid).map((c) => ({ name: c.name, generated: c.generated !== '', identityAlways: c.identity === 'a' })),
    });
  };
  for (const r of rows) visit(Number(r.oid), new Set());
  return out;
}

async function counts(q: Raw, tables: Table[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t.key] = Number((await q.query<{ n: string }>(`select count(*)::text as n from ${t.sql}`))[0].n);
  return out;
}

async function appliedMigrations(q: Raw): Promise<string[]> {
  const exists = await q.query(`select 1 from pg_tables where schemaname = 'drizzle' and tablename = '__drizzle_migrations'`);
  if (!exists.length) return [];
  return (await q.query<{ hash: string }>('select hash from drizzle.__drizzle_migrations order by created_at, id')).map((r) => r.hash);
}

function codeMigrations(): string[] {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR }).map((m) => m.hash);
}

async function serverVersion(q: Raw): Promise<string> {
  return (await q.query<{ v: string }>('show server_version'))[0].v;
}

async function audited(q: Raw, who: Who, action: string, detail: Record<string, unknown>): Promise<void> {
  await q.exec('begin');
  try {
    await writeAudit(q, who, { action, detail });
    await q.exec('commit');
  } catch (e) {
    await q.exec('rollback').catch(() => undefined);
    throw e;
  }
}

/** With PostgreSQL, another open connection means a running server (or someone else at work). */
async function assertAlone(q: Raw): Promise<void> {
  const others = await q.query<{ n: string; apps: string | null }>(
    `select count(*)::text as n, string_agg(distinct nullif(application_name, ''), ', ') as apps
       from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
  );
  const n = Number(others[0].n);
  if (n > 0)
    throw new BackupError(
      `Hay ${n} conexión(es) abierta(s) a la base de datos${others[0].apps ? ` (${others[0].apps})` : ''}: detenga los servidores de SINTRA antes de restaurar.`,
    );
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Connection settings for the PostgreSQL tools, the password in the environment (not in `ps`). */
function pgToolEnv(url: string): { dbArg: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'sintra-respaldo' };
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  u.password = '';
  return { dbArg: u.toString(), env };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      if (err.length < 20000) err += d.toString();
    });
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new BackupError(`${path.basename(cmd)} terminó con código ${code}: ${err.trim().slice(0, 2000)}`))));
  });
}

// ---- backup ----

export interface BackupOptions {
  /** Force the logical format (portable between PGlite and PostgreSQL). */
  logico?: boolean;
  actor?: Who;
  version?: string;
  /** Replace an existing file (CLI: --sobrescribir); without it an existing file is refused. */
  sobrescribir?: boolean;
}

export interface BackupResult {
  file: string;
  manifest: Manifest;
  ms: number;
  /** The first directory this backup had to create (mode 0700), if any. */
  createdDir?: string;
}

/** A backup holds every record, user and the audit trail: only its owner may read it. */
const FILE_MODE = 0o600;
const DIR_MODE = 0o700;

/**
 * Writes a backup of the database `config` names to `file`. With the embedded database the caller holds
 * the data directory's lock (the server must be stopped); with PostgreSQL the server may keep running.
 */
export async function createBackup(config: Config, file: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const t0 = Date.now();
  const target = path.resolve(file);
  const parent = fs.statSync(path.dirname(target), { throwIfNoEntry: false });
  if (parent && !parent.isDirectory()) throw new BackupError(`${path.dirname(target)} no es un directorio: no se puede escribir ${target}.`);
  const existing = parent ? fs.statSync(target, { throwIfNoEntry: false }) : undefined;
  if (existing?.isDirectory()) throw new BackupError(`${target} es un directorio: indique el nombre del archivo de respaldo (p. ej. ${path.join(target, 'respaldo.sintra')}).`);
  if (existing && !opts.sobrescribir)
    throw new BackupError(`Ya existe el archivo ${target}: no se sobrescribió. Elija otro nombre o agregue --sobrescribir para reemplazarlo.`);
  const createdDir = parent ? undefined : fs.mkdirSync(path.dirname(target), { recursive: true, mode: DIR_MODE });
  const url = config.DATABASE_URL;
  if (!url && !fs.existsSync(path.join(pgliteDir(config.dataDir), 'PG_VERSION')))
    throw new BackupError(`No hay una base de datos integrada en ${pgliteDir(config.dataDir)}.`);
  const q = url ? await openRawPostgres(url) : await openRawPglite(pgliteDir(config.dataDir));
  const tmp = `${target}.${process.pid}.parcial`;
  try {
    if (!(await q.query(`select 1 from pg_tables where schemaname = 'public' and tablename = 'audit_log'`)).length)
      throw new BackupError('La base de datos no tiene las tablas de SINTRA (¿se migró alguna vez?).');
    let tipo: BackupKind = opts.logico ? 'logico' : url ? 'pg_dump' : 'pglite';
    if (tipo === 'pg_dump' && (!which('pg_dump') || !which('pg_restore'))) tipo = 'logico';
    await audited(q, opts.actor ?? cliActor(), 'respaldo', { archivo: path.basename(target), tipo });

    // One snapshot for the manifest and the payload.
    await q.exec(url ? 'begin isolation level repeatable read read only' : 'begin read only');
    let info: Omit<Manifest, 'bytes' | 'sha256' | 'tipo'>;
    try {
      const tables = await listTables(q);
      const chain = await verifyChain(q);
      const head = await chainHead(q);
      info = {
        formato: 1,
        creado: new Date().toISOString(),
        version: opts.version ?? '',
        base: q.kind,
        servidor: await serverVersion(q),
        migraciones: await appliedMigrations(q),
        tablas: await counts(q, tables),
        auditoria: { entradas: chain.entries, ultima: head, integra: chain.ok, ...(chain.problem ? { problema: chain.problem.message } : {}) },
      };
      if (tipo === 'logico') await writeLogical(q, tables, tmp);
      else if (tipo === 'pg_dump') {
        const snap = (await q.query<{ s: string }>('select pg_export_snapshot() as s'))[0].s;
        const { dbArg, env } = pgToolEnv(url!);
        try {
          // Created first, so pg_dump writes into a file only the owner can read.
          fs.closeSync(fs.openSync(tmp, 'w', FILE_MODE));
          await run(which('pg_dump')!, ['--format=custom', '--compress=6', `--snapshot=${snap}`, '--file', tmp, '--dbname', dbArg], env);
        } catch (e) {
          // A pg_dump older than the server (or otherwise unusable): fall back to the logical format.
          fs.rmSync(tmp, { force: true });
          tipo = 'logico';
          await writeLogical(q, tables, tmp);
          void e;
        }
      }
      await q.exec('commit');
    } catch (e) {
      await q.exec('rollback').catch(() => undefined);
      throw e;
    }
    if (tipo === 'pglite') {
      // Data files brought up to date; the WAL in the tarball covers anything newer.
      await q.exec('checkpoint');
      const blob = await q.pglite!.dumpDataDir('gzip');
      await pipeline(blob.stream() as unknown as NodeJS.ReadableStream, fs.createWriteStream(tmp, { mode: FILE_MODE }));
    }
    const { sha256, bytes } = await digest(tmp, 0);
    const manifest: Manifest = { ...info, tipo, bytes, sha256 } as Manifest;
    const out = `${target}.${process.pid}.nuevo`;
    const w = fs.createWriteStream(out, { mode: FILE_MODE });
    w.write(`${MAGIC}\n${JSON.stringify(manifest)}\n`);
    await pipeline(fs.createReadStream(tmp), w);
    fs.chmodSync(out, FILE_MODE); // also if a stale file of that name was there
    // Never a half-written file under the final name; without --sobrescribir a link, which fails if a file
    // appeared there meanwhile (a rename would silently replace it).
    if (opts.sobrescribir) fs.renameSync(out, target);
    else {
      try {
        fs.linkSync(out, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError(`Ya existe el archivo ${target}: no se sobrescribió. Elija otro nombre o agregue --sobrescribir para reemplazarlo.`);
        throw e;
      }
    }
    return { file: target, manifest, ms: Date.now() - t0, ...(createdDir ? { createdDir } : {}) };
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${target}.${process.pid}.nuevo`, { force: true });
    await q.close();
  }
}

async function digest(file: string, start: number): Promise<{ sha256: string; bytes: number }> {
  const h = crypto.createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { start })) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

async function writeLogical(q: Raw, tables: Table[], file: string): Promise<void> {
  const gz = zlib.createGzip({ level: 6 });
  const sink = fs.createWriteStream(file, { mode: FILE_MODE });
  const done = pipeline(gz, sink);
  const put = async (line: string) => {
    if (!gz.write(`${line}\n`)) await new Promise<void>((r) => gz.once('drain', () => r()));
  };
  for (const t of tables) {
    await put(`T ${JSON.stringify({ tabla: t.key, columnas: t.columns.filter((c) => !c.generated).map((c) => c.name) })}`);
    await q.exec(`declare sintra_respaldo no scroll cursor for select to_jsonb(t)::text as j from ${t.sql} t`);
    for (;;) {
      const rows = await q.query<{ j: string }>('fetch forward 2000 from sintra_respaldo');
      for (const r of rows) await put(`R ${r.j}`);
      if (rows.length < 2000) break;
    }
    await q.exec('close sintra_respaldo');
  }
  const seqs = await q.query<{ name: string }>(
    `select quote_ident(n.nspname) || '.' || quote_ident(c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'S' and n.nspname in ('public','drizzle') order by 1`,
  );
  for (const s of seqs) {
    const v = (await q.query<{ last_value: string; is_called: boolean }>(`select last_value::text as last_value, is_called from ${s.name}`))[0];
    await put(`S ${JSON.stringify({ secuencia: s.name, valor: v.last_value, llamada: v.is_called })}`);
  }
  await put('F {}');
  gz.end();
  await done;
}

// ---- reading a backup ----

export async function readManifest(file: string): Promise<{ manifest: Manifest; offset: number }> {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const head = buf.subarray(0, n);
    const nl1 = head.indexOf(10);
    const nl2 = nl1 >= 0 ? head.indexOf(10, nl1 + 1) : -1;
    if (nl1 < 0 || nl2 < 0 || head.subarray(0, nl1).toString('utf8') !== MAGIC) throw new BackupError(`${file} no es un respaldo de SINTRA.`);
    let manifest: Manifest;
    try {
      manifest = JSON.parse(head.subarray(nl1 + 1, nl2).toString('utf8')) as Manifest;
    } catch {
      throw new BackupError(`El manifiesto de ${file} está dañado.`);
    }
    if (manifest.formato !== 1) throw new BackupError(`Formato de respaldo ${String(manifest.formato)} no reconocido.`);
    return { manifest, offset: nl2 + 1 };
  } finally {
    fs.closeSync(fd);
  }
}

/** The manifest, after checking that the payload is complete and unaltered. */
export async function checkBackup(file: string): Promise<{ manifest: Manifest; offset: number }> {
  if (!fs.existsSync(file)) throw new BackupError(`No existe el archivo ${file}.`);
  if (fs.statSync(file).isDirectory()) throw new BackupError(`${file} es un directorio, no un archivo de respaldo.`);
  const r = await readManifest(file);
  const d = await digest(file, r.offset);
  if (d.bytes !== r.manifest.bytes || d.sha256 !== r.manifest.sha256)
    throw new BackupError(`El respaldo ${file} está incompleto o dañado (su contenido no coincide con la huella del manifiesto). No se modificó nada.`);
  return r;
}

// ---- restore ----

export interface RestoreResult {
  manifest: Manifest;
  ms: number;
  chainEntries: number;
}

/**
 * Replaces the database `config` names with the backup's content. With the embedded database the caller
 * holds the data directory's lock; with PostgreSQL no other connection may be open (a running server).
 * Nothing changes when the file is damaged; the restored counts and audit chain are checked.
 */
export async function restoreBackup(config: Config, file: string, opts: { actor?: Who } = {}): Promise<RestoreResult> {
  const t0 = Date.now();
  const { manifest, offset } = await checkBackup(path.resolve(file));
  const known = new Set(codeMigrations());
  const unknown = manifest.migraciones.filter((h) => !known.has(h));
  if (unknown.length) throw new BackupError(`El respaldo proviene de una versión más reciente de SINTRA (${unknown.length} migración(es) desconocida(s)): actualice SINTRA antes de restaurarlo.`);
  const url = config.DATABASE_URL;
  if (manifest.tipo === 'pglite' && url)
    throw new BackupError('Este respaldo es de la base integrada (PGlite): se restaura sin DATABASE_URL. Para pasar a PostgreSQL, genere un respaldo con --logico.');
  if (manifest.tipo === 'pg_dump' && !url) throw new BackupError('Este respaldo es de PostgreSQL (pg_dump): indique DATABASE_URL para restaurarlo.');

  if (manifest.tipo === 'pglite') await restorePglite(config, path.resolve(file), offset, manifest);
  else if (manifest.tipo === 'pg_dump') await restorePgDump(url!, path.resolve(file), offset, manifest);
  else await restoreLogical(config, path.resolve(file), offset, manifest);

  // The restore itself goes on the trail (pg_dump's load was counted by psql; its chain is checked here).
  const q = url ? await openRawPostgres(url) : await openRawPglite(pgliteDir(config.dataDir));
  try {
    const chain = manifest.tipo === 'pg_dump' ? await checkRestored(q, manifest) : (await verifyChain(q)).entries;
    // Sessions of the backup's time must not come back to life.
    await q.exec('delete from session');
    await audited(q, opts.actor ?? cliActor(), 'restauracion_respaldo', {
      archivo: path.basename(file),
      tipo: manifest.tipo,
      creado: manifest.creado,
      registros_auditoria: manifest.auditoria.entradas,
    });
    return { manifest, ms: Date.now() - t0, chainEntries: chain };
  } finally {
    await q.close();
  }
}

/** Row counts and audit chain as the manifest says; returns the chain's length. */
async function checkRestored(q: Raw, manifest: Manifest): Promise<number> {
  const tables = await listTables(q);
  const got = await counts(
    q,
    tables.filter((t) => t.key in manifest.tablas),
  );
  for (const [k, n] of Object.entries(manifest.tablas)) {
    if (got[k] !== n) throw new BackupError(`Restauración incompleta: la tabla ${k} tiene ${got[k] ?? 'ninguna'} fila(s) y el respaldo ${n}.`);
  }
  const chain = await verifyChain(q, manifest.auditoria.ultima ? { anchor: manifest.auditoria.ultima } : {});
  if (!chain.ok && manifest.auditoria.integra) throw new BackupError(`La bitácora restaurada no verifica: ${chain.problem!.message}`);
  return chain.entries;
}

async function restorePglite(config: Config, file: string, offset: number, manifest: Manifest): Promise<void> {
  const live = pgliteDir(config.dataDir);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const fresh = `${live}.restaurando-${stamp}`;
  const old = `${live}.anterior-${stamp}`;
  fs.rmSync(fresh, { recursive: true, force: true });
  const blob = await fs.openAsBlob(file);
  // Unpacked and checked beside the live directory; the live one is swapped only when all is well.
  const q = await openRawPglite(fresh, blob.slice(offset));
  try {
    await checkRestored(q, manifest);
  } catch (e) {
    await q.close();
    fs.rmSync(fresh, { recursive: true, force: true });
    throw e;
  }
  await q.close();
  const hadLive = fs.existsSync(live);
  if (hadLive) fs.renameSync(live, old);
  try {
    fs.renameSync(fresh, live);
  } catch (e) {
    if (hadLive) fs.renameSync(old, live);
    throw e;
  }
  if (hadLive) fs.rmSync(old, { recursive: true, force: true });
}

async function restorePgDump(url: string, file: string, offset: number, manifest: Manifest): Promise<void> {
  const pgRestore = which('pg_restore');
  const psql = which('psql');
  if (!pgRestore || !psql) throw new BackupError('Restaurar un respaldo pg_dump requiere pg_restore y psql (paquete postgresql-client).');
  const q = await openRawPostgres(url);
  try {
    await assertAlone(q);
  } finally {
    await q.close();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-restaurar-'));
  try {
    const dump = path.join(dir, 'respaldo.dump');
    await pipeline(fs.createReadStream(file, { start: offset }), fs.createWriteStream(dump));
    const script = path.join(dir, 'respaldo.sql');
    const { dbArg, env } = pgToolEnv(url);
    await run(pgRestore, ['--no-owner', '--file', script, dump], env);
    // One transaction: drop SINTRA's objects, load the dump, check the counts. Any error leaves the old database.
    const drop = path.join(dir, 'limpiar.sql');
    fs.writeFileSync(drop, DROP_SQL);
    const check = path.join(dir, 'revisar.sql');
    fs.writeFileSync(check, countCheckSql(manifest));
    await run(psql, ['-X', '-q', '--single-transaction', '-v', 'ON_ERROR_STOP=1', '-f', drop, '-f', script, '-f', check, '--dbname', dbArg], env);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Drops what SINTRA created (tables, views, sequences, functions, types; the drizzle schema), not extensions. */
const DROP_SQL = `
SET client_min_messages = warning;
-- Roles are cluster-wide: a new server may not have the app's role the dump grants to.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_app') THEN
    CREATE ROLE sintra_app NOLOGIN;
  END IF;
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT sintra_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
DROP SCHEMA IF EXISTS drizzle CASCADE;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r','p','v','m','f')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE format(CASE WHEN r.relkind IN ('v') THEN 'DROP VIEW IF EXISTS public.%I CASCADE'
                        WHEN r.relkind = 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS public.%I CASCADE'
                        WHEN r.relkind = 'f' THEN 'DROP FOREIGN TABLE IF EXISTS public.%I CASCADE'
                        ELSE 'DROP TABLE IF EXISTS public.%I CASCADE' END, r.relname);
  END LOOP;
  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'S'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP SEQUENCE IF EXISTS public.%I CASCADE', r.relname);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', r.sig);
  END LOOP;
  FOR r IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' AND t.typtype IN ('e','d','c') AND (t.typrelid = 0 OR t.typtype <> 'c')
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e') LOOP
    EXECUTE format('DROP TYPE IF EXISTS public.%I CASCADE', r.typname);
  END LOOP;
END
$$;
`;

function countCheckSql(manifest: Manifest): string {
  const lines = Object.entries(manifest.tablas).map(([k, n]) => {
    const [schema, table] = k.split('.');
    const t = `${qi(schema)}.${qi(table)}`;
    return `  IF (SELECT count(*) FROM ${t}) <> ${Number(n)} THEN RAISE EXCEPTION 'Restauración incompleta: la tabla ${k.replace(/'/g, "''")} no tiene ${Number(n)} filas'; END IF;`;
  });
  return `DO $$\nBEGIN\n${lines.join('\n')}\nEND\n$$;\n`;
}

async function restoreLogical(config: Config, file: string, offset: number, manifest: Manifest): Promise<void> {
  const url = config.DATABASE_URL;
  // The schema first (this version's migrations), so an empty database can receive the data.
  const db = await openDb({ url, dataDir: config.dataDir });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  const q = url ? await openRawPostgres(url) : await openRawPglite(pgliteDir(config.dataDir));
  try {
    if (url) await assertAlone(q);
    const here = await appliedMigrations(q);
    if (here.join() !== manifest.migraciones.join())
      throw new BackupError(
        `El respaldo lógico corresponde a otra versión del esquema (${manifest.migraciones.length} migraciones; esta base tiene ${here.length}). Restáurelo con la versión de SINTRA que lo generó.`,
      );
    const tables = (await listTables(q)).filter((t) => !t.key.startsWith('drizzle.'));
    const byKey = new Map(tables.map((t) => [t.key, t]));
    await q.exec('begin');
    try {
      // Triggers (the audit table's append-only guard among them) stay off while the tables are replaced.
      for (const t of tables) await q.exec(`alter table ${t.sql} disable trigger user`);
      if (tables.length) await q.exec(`truncate ${tables.map((t) => t.sql).join(', ')}`);
      const lines = readline.createInterface({ input: fs.createReadStream(file, { start: offset }).pipe(zlib.createGunzip()), crlfDelay: Infinity });
      let current: { t: Table; cols: string[] } | null = null;
      let batch: string[] = [];
      let batchBytes = 0;
      let finished = false;
      const flush = async () => {
        if (!current || !batch.length) return;
        const cols = current.cols.map(qi).join(', ');
        const over = current.t.columns.some((c) => c.identityAlways) ? ' overriding system value' : '';
        await q.query(`insert into ${current.t.sql} (${cols})${over} select ${cols} from jsonb_populate_recordset(null::${current.t.sql}, $1::jsonb)`, [`[${batch.join(',')}]`]);
        batch = [];
        batchBytes = 0;
      };
      for await (const line of lines) {
        const kind = line.slice(0, 2);
        const body = line.slice(2);
        if (kind === 'R ') {
          if (!current) continue; // rows of a table skipped (drizzle's own)
          batch.push(body);
          batchBytes += body.length;
          if (batch.length >= 1000 || batchBytes > 8 * 1024 * 1024) await flush();
        } else if (kind === 'T ') {
          await flush();
          const h = JSON.parse(body) as { tabla: string; columnas: string[] };
          if (h.tabla.startsWith('drizzle.')) {
            current = null;
            continue;
          }
          const t = byKey.get(h.tabla);
          if (!t) throw new BackupError(`El respaldo trae la tabla ${h.tabla}, que esta versión de SINTRA no tiene.`);
          const have = new Set(t.columns.filter((c) => !c.generated).map((c) => c.name));
          const missing = h.columnas.filter((c) => !have.has(c));
          if (missing.length) throw new BackupError(`La tabla ${h.tabla} del respaldo tiene columnas que esta base no tiene: ${missing.join(', ')}.`);
          current = { t, cols: h.columnas };
        } else if (kind === 'S ') {
          await flush();
          current = null;
          const s = JSON.parse(body) as { secuencia: string; valor: string; llamada: boolean };
          const ok = await q.query(`select 1 from pg_class where oid = to_regclass($1)`, [s.secuencia]);
          if (ok.length) await q.query('select setval($1::regclass, $2::bigint, $3)', [s.secuencia, s.valor, s.llamada]);
        } else if (kind === 'F ') {
          await flush();
          finished = true;
        }
      }
      if (!finished) throw new BackupError('El respaldo lógico termina antes de tiempo.');
      for (const t of tables) await q.exec(`alter table ${t.sql} enable trigger user`);
      await checkRestored(q, { ...manifest, tablas: Object.fromEntries(Object.entries(manifest.tablas).filter(([k]) => !k.startsWith('drizzle.'))) });
      await q.exec('commit');
    } catch (e) {
      await q.exec('rollback').catch(() => undefined);
      throw e;
    }
  } finally {
    await q.close();
  }
}
