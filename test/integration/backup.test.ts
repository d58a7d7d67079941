// Backups restore to an identical database: every table (records, attachments, users, catalogs, audit)
// and every sequence compared row by row, the audit chain verified, attachments downloadable again.
// Also: a damaged file changes nothing, a running server blocks a restore, the logical format moves a
// PGlite database to PostgreSQL.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { buildApp } from '../../src/server/app.js';
import { verifyChain } from '../../src/server/audit/audit.js';
import { checkBackup, createBackup, readManifest, restoreBackup } from '../../src/server/backup/backup.js';
import { openRawPglite, openRawPostgres, pgliteDir, type Raw } from '../../src/server/backup/raw.js';
import { closeContext, createContext, ensureAdmin } from '../../src/server/bootstrap.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { ADMIN_PASSWORD, TINY_PDF, client, createUser, dbKinds, login, multipart } from '../helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const quiet = { ...console, info: () => undefined, log: () => undefined } as Console;

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [TSX, path.join(ROOT, 'src/cli.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'silent', SINTRA_LOAD_SESNSP: '0', DATABASE_URL: '', SINTRA_DATA_DIR: '', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A database on disk (PGlite directory) or a new PostgreSQL database, with its config and env for the CLI. */
interface Target {
  config: Config;
  env: Record<string, string>;
  raw: () => Promise<Raw>;
  drop: () => Promise<void>;
}

async function newTarget(kind: 'pglite' | 'postgresql'): Promise<Target> {
  const base = { SINTRA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'silent', SINTRA_LOAD_SESNSP: '0' };
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-bk-'));
    return {
      config: loadConfig({ ...base, SINTRA_DATA_DIR: dir }),
      env: { SINTRA_DATA_DIR: dir },
      raw: () => openRawPglite(pgliteDir(dir)),
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `sintra_bk_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    config: loadConfig({ ...base, DATABASE_URL: url }),
    env: { DATABASE_URL: url },
    raw: () => openRawPostgres(url),
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`drop database if exists ${name} with (force)`);
      await d.end();
    },
  };
}

/** md5 of every table's rows (sorted) and every sequence's state: equal fingerprints = identical content. */
async function fingerprint(t: Target, opts: { skip?: string[]; auditUpTo?: number } = {}): Promise<Record<string, string>> {
  const q = await t.raw();
  try {
    await q.exec("set timezone = 'UTC'");
    const tables = await q.query<{ s: string; n: string }>(
      `select schemaname as s, tablename as n from pg_tables where schemaname in ('public','drizzle') order by 1, 2`,
    );
    const out: Record<string, string> = {};
    for (const { s, n } of tables) {
      const key = `${s}.${n}`;
      if (opts.skip?.includes(key)) continue;
      const where = key === 'public.audit_log' && opts.auditUpTo !== undefined ? `where id <= ${opts.auditUpTo}` : '';
      const r = await q.query<{ h: string; c: string }>(
        `select md5(coalesce(string_agg(j, E'\\n' order by j), '')) as h, count(*)::text as c from (select to_jsonb(t)::text as j from "${s}"."${n}" t ${where}) x`,
      );
      out[key] = `${r[0].c}:${r[0].h}`;
    }
    const seqs = await q.query<{ n: string }>(`select schemaname || '.' || sequencename as n from pg_sequences where schemaname in ('public','drizzle') order by 1`);
    for (const { n } of seqs) out[`seq:${n}`] = JSON.stringify((await q.query(`select last_value::text, is_called from ${n}`))[0]);
    return out;
  } finally {
    await q.close();
  }
}

const example = (m: string) => {
  const { institucion_id: _i, ambito: _a, ...rest } = getModule(m)!.example as Record<string, unknown>;
  void _i;
  void _a;
  return rest;
};

/** Fills a database the way people do: users, records of several modules, an attachment, edits, a deletion. */
async function populate(t: Target): Promise<{ attachmentId: string; victimId: string; records: number }> {
  const ctx = await createContext(t.config, { log: quiet });
  try {
    await ensureAdmin(ctx.db, t.config);
    const app = await buildApp(ctx);
    await createUser(ctx, { username: 'enlace_sre', role: 'enlace', institucion_id: 'SRE' });
    await createUser(ctx, { username: 'enlace_inm', role: 'enlace', institucion_id: 'INM' });
    const cookieA = await login(app, 'enlace_sre');
    const a = client(app, cookieA);
    const b = client(app, await login(app, 'enlace_inm'));
    await login(app); // the administrator (second factor enrolled: a secret in app_user)
    const up = multipart({ field: 'capacitacion.carta_descriptiva' }, { name: 'carta.pdf', data: TINY_PDF, type: 'application/pdf' });
    const att = await app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...up.headers, cookie: cookieA }, payload: up.payload });
    expect(att.statusCode, att.body).toBe(201);
    const attachmentId = JSON.parse(att.body).id as string;
    let records = 0;
    const cap = await a.post('/api/v1/modules/capacitacion/records', { ...example('capacitacion'), carta_descriptiva: [attachmentId] });
    expect(cap.status, JSON.stringify(cap.body)).toBe(201);
    records++;
    const v = await a.post('/api/v1/modules/victimas/records', example('victimas'));
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    records++;
    for (const m of ['convenios', 'difusion', 'operativos_rescate', 'unidades_especializadas']) {
      const r = await b.post(`/api/v1/modules/${m}/records`, example(m));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      records++;
    }
    const upd = await a.put(`/api/v1/modules/capacitacion/records/${cap.body.id}`, { ...example('capacitacion'), carta_descriptiva: [attachmentId], sede: 'Otra sede', version: cap.body.version });
    expect(upd.status, JSON.stringify(upd.body)).toBe(200);
    const gone = await b.post('/api/v1/modules/convenios/records', example('convenios'));
    expect((await b.del(`/api/v1/modules/convenios/records/${gone.body.id}`, { reason: 'Duplicado' })).status).toBe(204);
    await app.close();
    return { attachmentId, victimId: v.body.id, records };
  } finally {
    await closeContext(ctx);
  }
}

const kinds = dbKinds();

describe.each(kinds)('respaldo y restauración (%s)', (kind) => {
  const made: Target[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-bkfile-'));
  let source: Target;
  let data: Awaited<ReturnType<typeof populate>>;
  let before: Record<string, string>;
  const file = path.join(dir, 'respaldo.sintra');
  const target = async () => {
    const t = await newTarget(kind);
    made.push(t);
    return t;
  };

  beforeAll(async () => {
    source = await target();
    data = await populate(source);
  }, 600_000);
  afterAll(async () => {
    for (const t of made) await t.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backup <archivo> y restore <archivo> --yes-overwrite dan una base idéntica, con la bitácora verificada', async () => {
    const b = cli(['backup', file], source.env);
    expect(b.code, b.err + b.out).toBe(0);
    expect(b.out).toMatch(/Respaldo (pglite|pg_dump) escrito/);
    const { manifest } = await checkBackup(file);
    expect(manifest.tipo).toBe(kind === 'pglite' ? 'pglite' : 'pg_dump');
    expect(manifest.auditoria.integra).toBe(true);
    expect(Object.entries(manifest.tablas).filter(([k]) => k.startsWith('public.m_')).reduce((s, [, n]) => s + n, 0)).toBe(data.records + 1);
    // The backup's own entry is the newest one of the snapshot.
    before = await fingerprint(source);

    const dest = await target();
    if (kind === 'pglite') {
      // The confirmation does not depend on the database: checked once.
      const r = cli(['restore', file], dest.env);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--yes-overwrite');
    }
    const ok = cli(['restore', file, '--yes-overwrite'], dest.env);
    expect(ok.code, ok.err + ok.out).toBe(0);
    expect(ok.out).toMatch(/bitácora verificada/);
    const after = await fingerprint(dest, { skip: ['public.session'], auditUpTo: manifest.auditoria.ultima!.id });
    const expected = { ...before };
    delete expected['public.session'];
    // The restore appends its own entry (so the audit sequence moves by one): compare the rest exactly.
    const seqKey = Object.keys(expected).find((k) => k.includes('audit_log_id_seq'))!;
    delete expected[seqKey];
    delete after[seqKey];
    expect(after).toEqual(expected);

    const q = await dest.raw();
    try {
      const chain = await verifyChain(q, { anchor: manifest.auditoria.ultima! });
      expect(chain.ok, chain.problem?.message).toBe(true);
      const last = await q.query<{ action: string }>('select action from audit_log order by id desc limit 1');
      expect(last[0].action).toBe('restauracion_respaldo');
      expect(Number((await q.query<{ n: string }>('select count(*)::text as n from session'))[0].n)).toBe(0);
    } finally {
      await q.close();
    }

    // The restored system works: the attachment downloads with the same bytes, the victim record opens.
    const ctx = await createContext(dest.config, { log: quiet });
    try {
      const app = await buildApp(ctx);
      const cookie = await login(app, 'enlace_sre');
      const dl = await app.inject({ method: 'GET', url: `/api/v1/attachments/${data.attachmentId}`, headers: { cookie } });
      expect(dl.statusCode).toBe(200);
      expect(Buffer.compare(dl.rawPayload, TINY_PDF)).toBe(0);
      expect((await client(app, cookie).get(`/api/v1/modules/victimas/records/${data.victimId}`)).body.folio_persona).toBe((example('victimas') as { folio_persona: string }).folio_persona);
      await app.close();
    } finally {
      await closeContext(ctx);
    }
  }, 600_000);

  it('respaldo 0600 (directorios nuevos 0700), nunca sobrescrito sin --sobrescribir; rutas que faltan: una línea en español', async () => {
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    const oneLine = (r: { err: string }) => {
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at |ENOENT|EISDIR|ENOTDIR/);
    };
    expect(mode(file)).toBe(0o600);
    const was = fs.readFileSync(file);
    const again = cli(['backup', file], source.env);
    expect(again.code).toBe(1);
    expect(again.err.trim()).toBe(`Ya existe el archivo ${file}: no se sobrescribió. Elija otro nombre o agregue --sobrescribir para reemplazarlo.`);
    expect(fs.readFileSync(file).equals(was)).toBe(true);

    const nested = path.join(dir, 'nuevo', 'sub', 'copia.sintra');
    const made = cli(['backup', nested], source.env);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toContain(`Se creó el directorio ${path.join(dir, 'nuevo')} (permisos 0700`);
    expect([mode(path.join(dir, 'nuevo')), mode(path.join(dir, 'nuevo', 'sub')), mode(nested)]).toEqual([0o700, 0o700, 0o600]);
    const first = (await readManifest(nested)).manifest.creado;
    const over = cli(['backup', nested, '--sobrescribir'], source.env);
    expect(over.code, over.err).toBe(0);
    expect((await readManifest(nested)).manifest.creado).not.toBe(first);
    expect(mode(nested)).toBe(0o600);
    expect(fs.readdirSync(path.dirname(nested))).toEqual(['copia.sintra']); // no temporary file left behind

    const missing = path.join(dir, 'no-existe.sintra');
    const r1 = cli(['restore', missing, '--yes-overwrite'], source.env);
    expect(r1.code).toBe(1);
    expect(r1.err.trim()).toBe(`No existe el archivo ${missing}.`);
    const r2 = cli(['restore', dir, '--yes-overwrite'], source.env);
    expect(r2.code).toBe(1);
    expect(r2.err.trim()).toBe(`${dir} es un directorio, no un archivo de respaldo.`);
    const r3 = cli(['backup', path.join(file, 'dentro.sintra')], source.env);
    expect(r3.code).toBe(1);
    expect(r3.err.trim()).toBe(`${file} no es un directorio: no se puede escribir ${path.join(file, 'dentro.sintra')}.`);
    const r4 = cli(['import', 'sesnsp', path.join(dir, 'no-existe.csv')], source.env);
    expect(r4.code).toBe(2);
    expect(r4.err.trim()).toBe(`No existe el archivo ${path.join(dir, 'no-existe.csv')}.`);
    for (const r of [again, r1, r2, r3, r4]) oneLine(r);
  }, 600_000);

  it('restaurar sobre una base con cambios posteriores la devuelve al estado del respaldo', async () => {
    const ctx = await createContext(source.config, { log: quiet });
    try {
      const app = await buildApp(ctx);
      const a = client(app, await login(app, 'enlace_sre'));
      expect((await a.post('/api/v1/modules/difusion/records', example('difusion'))).status).toBe(201);
      await app.close();
    } finally {
      await closeContext(ctx);
    }
    expect((await fingerprint(source))['public.m_difusion']).not.toBe(before['public.m_difusion']);
    const r = await restoreBackup(source.config, file);
    expect(r.chainEntries).toBeGreaterThan(0);
    const now = await fingerprint(source);
    expect(now['public.m_difusion']).toBe(before['public.m_difusion']);
    expect(now['public.attachment']).toBe(before['public.attachment']);
    expect(now['public.app_user']).toBe(before['public.app_user']);
  }, 600_000);

  it('un archivo dañado o ajeno no modifica nada', async () => {
    const bad = path.join(dir, 'danado.sintra');
    const buf = fs.readFileSync(file);
    const { offset } = await readManifest(file);
    buf[offset + Math.floor((buf.length - offset) / 2)] ^= 0xff;
    fs.writeFileSync(bad, buf);
    const was = await fingerprint(source);
    await expect(restoreBackup(source.config, bad)).rejects.toThrow(/incompleto o dañado/);
    fs.writeFileSync(bad, buf.subarray(0, buf.length - 100));
    await expect(restoreBackup(source.config, bad)).rejects.toThrow(/incompleto o dañado/);
    fs.writeFileSync(bad, 'hola');
    await expect(restoreBackup(source.config, bad)).rejects.toThrow(/no es un respaldo de SINTRA/);
    expect(await fingerprint(source)).toEqual(was);
  });

  it('no restaura mientras el servidor tiene abierta la base', async () => {
    if (kind === 'pglite') {
      // The server's lock file with a live process id (this test runner's).
      fs.writeFileSync(path.join(source.config.dataDir, 'sintra.lock'), String(process.pid));
      try {
        const r = cli(['restore', file, '--yes-overwrite'], source.env);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/abierta por otro proceso de SINTRA \(PID \d+\)/);
      } finally {
        fs.rmSync(path.join(source.config.dataDir, 'sintra.lock'), { force: true });
      }
    } else {
      const ctx = await createContext(source.config, { log: quiet }); // a running server's pool
      try {
        await expect(restoreBackup(source.config, file)).rejects.toThrow(/conexión\(es\) abierta\(s\).*detenga los servidores/);
      } finally {
        await closeContext(ctx);
      }
    }
  }, 300_000);

  it('formato lógico: restaura en la misma clase de base y en la otra', async () => {
    const logical = path.join(dir, 'logico.sintra');
    const r = await createBackup(source.config, logical, { logico: true });
    expect(r.manifest.tipo).toBe('logico');
    const reference = await fingerprint(source, { skip: ['public.session'] });
    for (const to of kinds) {
      const dest = await target();
      await restoreBackup(dest.config, logical);
      const got = await fingerprint(dest, { skip: ['public.session'], auditUpTo: r.manifest.auditoria.ultima!.id });
      const exp = { ...reference };
      for (const k of Object.keys(exp)) if (k.includes('audit_log_id_seq') || k.startsWith('drizzle.')) delete exp[k];
      for (const k of Object.keys(got)) if (k.includes('audit_log_id_seq') || k.startsWith('drizzle.')) delete got[k];
      expect(got, `${kind} → ${to}`).toEqual(exp);
    }
  }, 600_000);
});
