// Crash test: an acknowledged save is never lost and nothing is half-written.
//
// Starts the real server as a child process, sends concurrent creates over HTTP (capacitación and
// víctimas records, each carrying a unique marker), kills the server with SIGKILL while requests are in
// flight, restarts it, and repeats. At the end it stops the server and reads the database directly:
// every record whose 201 was received must be there, every stored record must hold exactly what was sent
// and have its one `crear` audit entry (same transaction), and the audit chain must verify.
//
//   npm run crash-test -- [--db pglite|postgresql] [--rounds 5] [--writes 400] [--concurrency 12]
// PostgreSQL uses DATABASE_URL (a database it may fill) or TEST_DATABASE_URL (it creates a new database).
// The test suite runs it small (test/integration/durability.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { getModule } from '../src/modules/index.js';
import { verifyChain } from '../src/server/audit/audit.js';
import { hashPassword } from '../src/server/auth/password.js';
import { closeContext, createContext } from '../src/server/bootstrap.js';
import { loadConfig } from '../src/server/config.js';
import { openDb } from '../src/server/db/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PASSWORD = 'Clave-Prueba-Choque-2026';

export interface CrashOptions {
  db: 'pglite' | 'postgresql';
  /** PostgreSQL: the database to use (it is filled, not emptied). */
  url?: string;
  /** PGlite: the data directory (a temporary one when absent). */
  dataDir?: string;
  rounds: number;
  /** Acknowledged creates per round before the kill. */
  writes: number;
  concurrency: number;
  log?: (s: string) => void;
}

export interface RoundResult {
  round: number;
  sent: number;
  acknowledged: number;
  /** Requests cut by the kill (their outcome unknown to the client). */
  inFlight: number;
}

export interface CrashResult {
  rounds: RoundResult[];
  sent: number;
  acknowledged: number;
  /** Acknowledged records found after the crashes (must equal `acknowledged`). */
  acknowledgedFound: number;
  /** Records stored although their answer never arrived (committed just before the kill). */
  committedUnacknowledged: number;
  lost: string[];
  halfWritten: string[];
  auditProblems: string[];
  chainOk: boolean;
  chainEntries: number;
  durability: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  base: string;
  output: () => string;
}

async function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/server/server.ts')], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + d.toString()).slice(-20000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`El servidor terminó al arrancar (código ${child.exitCode}):\n${out}`);
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) return { child, base, output: () => out };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`El servidor no respondió a tiempo:\n${out}`);
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const c = (r.headers.getSetCookie?.() ?? [r.headers.get('set-cookie') ?? '']).find((x) => x.startsWith('sintra_sesion='));
  if (!c) throw new Error('sin cookie de sesión');
  return c.split(';')[0];
}

const MODULES = ['capacitacion', 'victimas'] as const;
type Mod = (typeof MODULES)[number];
/** The text field that carries each request's unique marker. */
const MARKER: Record<Mod, string> = { capacitacion: 'nombre_evento', victimas: 'folio_persona' };

function bodyFor(m: Mod, marker: string): Record<string, unknown> {
  const { institucion_id: _i, ambito: _a, ...ex } = getModule(m)!.example as Record<string, unknown>;
  void _i;
  void _a;
  return { ...ex, [MARKER[m]]: marker };
}

export async function runCrashTest(o: CrashOptions): Promise<CrashResult> {
  const log = o.log ?? ((s: string) => console.log(s));
  const tmp = o.db === 'pglite' && !o.dataDir ? fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-choque-')) : undefined;
  const dataDir = o.dataDir ?? tmp ?? path.join(os.tmpdir(), 'sintra-choque-sin-uso');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SINTRA_DATA_DIR: dataDir,
    DATABASE_URL: o.db === 'postgresql' ? o.url : '',
    DATABASE_READ_URL: '',
    SINTRA_ADMIN_PASSWORD: PASSWORD,
    SINTRA_LOAD_SESNSP: '0',
    LOG_LEVEL: 'warn',
  };
  if (o.db === 'postgresql' && !o.url) throw new Error('Falta la URL de PostgreSQL.');
  const config = loadConfig(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) as NodeJS.ProcessEnv);

  // One liaison per module's institution, created before the first start.
  const users = ['choque_sre', 'choque_inm'];
  {
    const ctx = await createContext(config, { log: { ...console, info: () => undefined, log: () => undefined } as Console });
    try {
      for (const [i, u] of users.entries())
        await ctx.db.query(
          `insert into app_user (username, password_hash, role, institucion_id) values ($1, $2, 'enlace', $3) on conflict (username) do nothing`,
          [u, await hashPassword(PASSWORD), i ? 'INM' : 'SRE'],
        );
    } finally {
      await closeContext(ctx);
    }
  }

  const runId = crypto.randomBytes(3).toString('hex').toUpperCase();
  const sent = new Map<string, { module: Mod; body: Record<string, unknown> }>();
  const acked = new Set<string>();
  const rounds: RoundResult[] = [];
  let unexpected: string[] = [];

  for (let round = 1; round <= o.rounds; round++) {
    const srv = await startServer(env);
    const cookies = await Promise.all(users.map((u) => login(srv.base, u)));
    let killed = false;
    let seq = 0;
    let roundAcked = 0;
    let inFlight = 0;
    let roundSent = 0;
    // Kill at a random point past the target, so the kill lands among requests in flight.
    const killAt = o.writes + Math.floor(Math.random() * Math.max(1, o.concurrency));
    let cut = 0;
    const kill = () => {
      if (killed) return;
      killed = true;
      cut = inFlight - 1; // the others in flight, besides the request whose 201 triggers the kill
      srv.child.kill('SIGKILL');
    };
    const worker = async (w: number) => {
      while (!killed && unexpected.length < 20) {
        const n = seq++;
        const m = MODULES[n % 2];
        const marker = m === 'victimas' ? `CH${runId}-${round}-${n}` : `Choque ${runId} ronda ${round} escritura ${n}`;
        const body = bodyFor(m, marker);
        sent.set(marker, { module: m, body });
        roundSent++;
        inFlight++;
        try {
          const r = await fetch(`${srv.base}/api/v1/modules/${m}/records`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: cookies[n % 2] },
            body: JSON.stringify(body),
          });
          // The 201 status line is the acknowledgement, whether or not the rest of the body arrives.
          if (r.status === 201) {
            acked.add(marker);
            roundAcked++;
            if (roundAcked >= killAt) kill();
          } else if (!killed) unexpected.push(`${m} ${r.status} ${(await r.text()).slice(0, 300)}`);
          await r.arrayBuffer().catch(() => undefined);
        } catch (e) {
          if (!killed) unexpected.push(`${m} ${(e as Error).message}`);
        } finally {
          inFlight--;
        }
        void w;
      }
    };
    const workers = Array.from({ length: o.concurrency }, (_, w) => worker(w));
    await Promise.all(workers);
    if (!killed) srv.child.kill('SIGKILL');
    await exited(srv.child);
    if (unexpected.length) throw new Error(`Respuestas inesperadas antes del corte:\n${unexpected.slice(0, 5).join('\n')}\n${srv.output()}`);
    rounds.push({ round, sent: roundSent, acknowledged: roundAcked, inFlight: cut });
    log(`ronda ${round}: ${roundSent} enviadas, ${roundAcked} confirmadas (201), ${cut} en vuelo al SIGKILL`);
    unexpected = [];
  }

  // Restart once more (recovery after the last kill), then a clean stop and a direct look at the database.
  const srv = await startServer(env);
  await login(srv.base, users[0]);
  srv.child.kill('SIGTERM');
  await exited(srv.child);

  const db = await openDb({ url: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    const durability: Record<string, string> = {};
    for (const s of ['fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method'])
      durability[s] = ((await db.query<Record<string, string>>(`show ${s}`))[0] ?? {})[s] ?? '';
    const found = new Map<string, { module: Mod; row: Record<string, unknown> }>();
    const dupes: string[] = [];
    for (const m of MODULES) {
      const rows = await db.query<Record<string, unknown>>(`select * from m_${m} where ${MARKER[m]} like $1`, [m === 'victimas' ? `CH${runId}-%` : `Choque ${runId} %`]);
      for (const r of rows) {
        const k = String(r[MARKER[m]]);
        if (found.has(k)) dupes.push(k);
        found.set(k, { module: m, row: r });
      }
    }
    const lost = [...acked].filter((k) => !found.has(k));
    const halfWritten: string[] = [...dupes.map((d) => `${d}: duplicado`)];
    for (const [k, { module, row }] of found) {
      const s = sent.get(k);
      if (!s || s.module !== module) {
        halfWritten.push(`${k}: no corresponde a ninguna solicitud`);
        continue;
      }
      for (const [f, v] of Object.entries(s.body)) {
        const got = row[f] instanceof Date ? (row[f] as Date).toISOString() : row[f];
        const want = Array.isArray(v) ? v : v;
        if (JSON.stringify(got ?? (Array.isArray(want) ? [] : null)) !== JSON.stringify(want)) halfWritten.push(`${k}: ${f} = ${JSON.stringify(got)}, se envió ${JSON.stringify(want)}`);
      }
      if (row.version !== 1 || row.estatus !== 'borrador' || typeof row.folio_sintra !== 'string') halfWritten.push(`${k}: metadatos incompletos`);
    }
    // Each stored record has its one creation entry, and no creation entry names a record that is not there.
    const ids = [...found.values()].map((f) => String(f.row.id));
    const entries = await db.query<{ record_id: string; n: number }>(
      `select record_id::text as record_id, count(*)::int as n from audit_log where action = 'crear' and record_id = any($1::uuid[]) group by record_id`,
      [ids],
    );
    const byId = new Map(entries.map((e) => [e.record_id, e.n]));
    const auditProblems = ids.filter((id) => byId.get(id) !== 1).map((id) => `${id}: ${byId.get(id) ?? 0} entradas «crear»`);
    const orphans = await db.query<{ n: number }>(
      `select count(*)::int as n from audit_log a where a.action = 'crear' and a.module in ('capacitacion','victimas')
          and not exists (select 1 from m_capacitacion c where c.id = a.record_id) and not exists (select 1 from m_victimas v where v.id = a.record_id)`,
    );
    if (orphans[0].n) auditProblems.push(`${orphans[0].n} entradas «crear» sin su registro`);
    const chain = await verifyChain(db);
    const acknowledgedFound = [...acked].filter((k) => found.has(k)).length;
    const result: CrashResult = {
      rounds,
      sent: sent.size,
      acknowledged: acked.size,
      acknowledgedFound,
      committedUnacknowledged: [...found.keys()].filter((k) => !acked.has(k)).length,
      lost,
      halfWritten,
      auditProblems,
      chainOk: chain.ok,
      chainEntries: chain.entries,
      durability,
    };
    log(
      `${o.db}: ${result.sent} enviadas, ${result.acknowledged} confirmadas, ${acknowledgedFound} confirmadas encontradas, ${result.committedUnacknowledged} guardadas sin confirmar; ` +
        `perdidas ${lost.length}, a medias ${halfWritten.length}, problemas de bitácora ${auditProblems.length}, cadena ${chain.ok ? 'íntegra' : 'ALTERADA'} (${chain.entries}); ` +
        `${Object.entries(durability).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    );
    return result;
  } finally {
    await db.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** A new PostgreSQL database next to the one TEST_DATABASE_URL names, and how to drop it. */
export async function scratchDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sintra_choque_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: baseUrl });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const db = arg('db', process.env.DATABASE_URL || process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite') as 'pglite' | 'postgresql';
  const opts = { rounds: Number(arg('rounds', '5')), writes: Number(arg('writes', '400')), concurrency: Number(arg('concurrency', '12')) };
  (async () => {
    let scratch: Awaited<ReturnType<typeof scratchDatabase>> | undefined;
    let url = process.env.DATABASE_URL;
    if (db === 'postgresql' && !url) {
      if (!process.env.TEST_DATABASE_URL) throw new Error('Indique DATABASE_URL o TEST_DATABASE_URL para PostgreSQL.');
      scratch = await scratchDatabase(process.env.TEST_DATABASE_URL);
      url = scratch.url;
    }
    try {
      const r = await runCrashTest({ db, url, ...opts });
      const ok = !r.lost.length && !r.halfWritten.length && !r.auditProblems.length && r.chainOk;
      if (!ok) console.error(JSON.stringify({ lost: r.lost.slice(0, 20), halfWritten: r.halfWritten.slice(0, 20), auditProblems: r.auditProblems.slice(0, 20) }, null, 2));
      process.exit(ok ? 0 : 1);
    } finally {
      await scratch?.drop();
    }
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
