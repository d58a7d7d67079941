// Attachments: ClamAV scanning through clamd's INSTREAM protocol (against a fake clamd that speaks it), type
// by content per field, and the record-side checks of attached ids. Runs on PGlite and, with
// TEST_DATABASE_URL, on PostgreSQL.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModule } from '../../src/modules/index.js';
import { buildApp } from '../../src/server/app.js';
import { parseClamdTarget, scanBuffer } from '../../src/server/attachments/clamav.js';
import { TINY_PDF, client, createUser, dbKinds, login, multipart, setup, type TestEnv } from '../helpers.js';

const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** A clamd that speaks INSTREAM: records every stream it receives and finds EICAR in it. */
async function fakeClamd(listenOn: { port: 0 } | { path: string }) {
  const streams: Buffer[] = [];
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    let cmdDone = false;
    const chunks: Buffer[] = [];
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!cmdDone) {
        const nul = buf.indexOf(0);
        if (nul < 0) return;
        const cmd = buf.subarray(0, nul).toString();
        buf = buf.subarray(nul + 1);
        if (cmd !== 'zINSTREAM') {
          sock.end('UNKNOWN COMMAND\0');
          return;
        }
        cmdDone = true;
      }
      while (buf.length >= 4) {
        const len = buf.readUInt32BE(0);
        if (len === 0) {
          const all = Buffer.concat(chunks);
          streams.push(all);
          sock.end(all.includes(Buffer.from('EICAR-STANDARD-ANTIVIRUS-TEST-FILE')) ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          buf = Buffer.alloc(0);
          return;
        }
        if (buf.length < 4 + len) return;
        chunks.push(buf.subarray(4, 4 + len));
        buf = buf.subarray(4 + len);
      }
    });
  });
  await new Promise<void>((res) => server.listen(listenOn, res));
  const addr = server.address();
  const target = typeof addr === 'string' ? addr : `127.0.0.1:${addr!.port}`;
  return { server, streams, target, close: () => new Promise<void>((res) => server.close(() => res())) };
}

describe('clamd client (unit, over a socket)', () => {
  it('parses host:port and socket paths', () => {
    expect(parseClamdTarget('127.0.0.1:3310')).toEqual({ host: '127.0.0.1', port: 3310 });
    expect(parseClamdTarget('[::1]:3310')).toEqual({ host: '::1', port: 3310 });
    expect(parseClamdTarget('/run/clamav/clamd.ctl')).toEqual({ path: '/run/clamav/clamd.ctl' });
  });

  it('streams a file bigger than one chunk intact over a Unix socket and reads the verdict', async () => {
    const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'clamd-')), 'clamd.sock');
    const fake = await fakeClamd({ path: sock });
    try {
      const big = Buffer.alloc(200_000);
      for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 251;
      expect(await scanBuffer({ path: sock }, big)).toEqual({ clean: true });
      expect(fake.streams[0].equals(big)).toBe(true);
      expect(await scanBuffer({ path: sock }, Buffer.concat([big, Buffer.from(EICAR)]))).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
    } finally {
      await fake.close();
    }
  });

  it('rejects when nothing listens', async () => {
    await expect(scanBuffer({ path: path.join(os.tmpdir(), 'no-existe-clamd.sock') }, TINY_PDF, 2000)).rejects.toThrow(/clamd/);
  });
});

describe.each(dbKinds())('adjuntos (%s)', (kind) => {
  let env: TestEnv;
  let fake: Awaited<ReturnType<typeof fakeClamd>>;
  let cookie: string;
  let noScanApp: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    fake = await fakeClamd({ port: 0 });
    env = await setup(kind, { SINTRA_CLAMD_SOCKET: fake.target });
    cookie = await login(env.app);
    // The same database served by an app without clamd configured.
    noScanApp = await buildApp({ ...env.ctx, config: { ...env.ctx.config, SINTRA_CLAMD_SOCKET: undefined } });
  });
  afterAll(async () => {
    await noScanApp?.close();
    await env?.close();
    await fake?.close();
  });

  async function upload(app: typeof noScanApp, field: string | null, file: { name: string; data: Buffer; type: string }, who = cookie) {
    const mp = multipart(field ? { field } : {}, file);
    const r = await app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...mp.headers, cookie: who }, payload: mp.payload });
    return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
  }
  const stored = async () => (await env.ctx.db.query<{ n: number }>('select count(*)::int as n from attachment'))[0].n;

  it('scans every upload: a clean file is stored marked escaneado, exactly the bytes clamd saw', async () => {
    const before = fake.streams.length;
    const r = await upload(env.app, 'comisiones.acta_sesion', { name: 'acta.pdf', data: TINY_PDF, type: 'application/pdf' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.escaneado).toBe(true);
    expect(fake.streams.length).toBe(before + 1);
    expect(fake.streams[fake.streams.length - 1].equals(TINY_PDF)).toBe(true);
    const row = await env.ctx.db.query<{ escaneado: boolean }>('select escaneado from attachment where id = $1', [r.body.id]);
    expect(row[0].escaneado).toBe(true);
  });

  it('refuses an infected file (422), stores nothing and records the refusal', async () => {
    const before = await stored();
    const infected = Buffer.concat([TINY_PDF, Buffer.from(EICAR)]);
    const r = await upload(env.app, 'comisiones.acta_sesion', { name: 'acta-infectada.pdf', data: infected, type: 'application/pdf' });
    expect(r.status).toBe(422);
    expect(r.body.detail).toContain('Eicar-Test-Signature');
    expect(r.body.errors[0].field).toBe('file');
    expect(await stored()).toBe(before);
    const audit = await env.ctx.db.query<{ detail: string }>(`select detail from audit_log where action = 'adjuntar' order by id desc limit 1`);
    expect(JSON.parse(audit[0].detail)).toMatchObject({ rechazado: true, motivo: 'antivirus', firma: 'Eicar-Test-Signature', name: 'acta-infectada.pdf', campo: 'comisiones.acta_sesion' });
  });

  it('without clamd configured the file is kept with escaneado false', async () => {
    const before = fake.streams.length;
    const r = await upload(noScanApp, null, { name: 'sin-escanear.pdf', data: TINY_PDF, type: 'application/pdf' });
    expect(r.status).toBe(201);
    expect(r.body.escaneado).toBe(false);
    expect(fake.streams.length).toBe(before);
    const row = await env.ctx.db.query<{ escaneado: boolean }>('select escaneado from attachment where id = $1', [r.body.id]);
    expect(row[0].escaneado).toBe(false);
  });

  it('clamd configured but unreachable: 503 and nothing stored', async () => {
    const down = await buildApp({ ...env.ctx, config: { ...env.ctx.config, SINTRA_CLAMD_SOCKET: path.join(os.tmpdir(), 'clamd-apagado.sock') } });
    try {
      const before = await stored();
      const r = await upload(down, null, { name: 'x.pdf', data: TINY_PDF, type: 'application/pdf' });
      expect(r.status).toBe(503);
      expect(await stored()).toBe(before);
    } finally {
      await down.close();
    }
  });

  it("applies the field's kinds by content and refuses a wrong kind linked to a field later", async () => {
    // A PNG is not a PDF, whatever its name says; the field takes only PDF.
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const pngPadded = Buffer.concat([png, Buffer.alloc(64)]);
    const asPdf = await upload(env.app, 'comisiones.acta_sesion', { name: 'acta.pdf', data: pngPadded, type: 'application/pdf' });
    expect(asPdf.status).toBe(415);
    // Uploaded without a field, the PNG is stored as PNG (by content)...
    const free = await upload(env.app, null, { name: 'foto.pdf', data: pngPadded, type: 'application/pdf' });
    expect(free.status, JSON.stringify(free.body)).toBe(201);
    expect(free.body.type).toBe('image/png');
    // ...and cannot then be linked to a PDF-only field: the record names the field and is not stored.
    const c = client(env.app, cookie);
    const total = (await c.get('/api/v1/modules/comisiones/records?limit=1')).body.total;
    const r = await c.post('/api/v1/modules/comisiones/records', { ...structuredClone(getModule('comisiones')!.example), acta_sesion: [free.body.id] });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['acta_sesion']);
    expect(r.body.errors[0].message).toContain('PDF');
    expect((await c.get('/api/v1/modules/comisiones/records?limit=1')).body.total).toBe(total);
  });

  it('every refused upload (type, size, empty) leaves an audit entry naming the file and the reason', async () => {
    const lastRefusal = async () => {
      const rows = await env.ctx.db.query<{ detail: string; username: string }>(`select detail, username from audit_log where action = 'adjuntar' order by id desc limit 1`);
      return { ...JSON.parse(rows[0].detail), username: rows[0].username };
    };
    const before = await stored();
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), Buffer.alloc(64)]);
    const wrong = await upload(env.app, 'comisiones.acta_sesion', { name: 'acta-falsa.pdf', data: png, type: 'application/pdf' });
    expect(wrong.status).toBe(415);
    expect(await lastRefusal()).toMatchObject({ rechazado: true, motivo: 'tipo', name: 'acta-falsa.pdf', size: png.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), campo: 'comisiones.acta_sesion', mensaje: expect.stringContaining('Tipo de archivo no permitido'), username: 'admin' });
    // carta_descriptiva takes at most 10 MB.
    const big = Buffer.concat([TINY_PDF, Buffer.alloc(10 * 1024 * 1024)]);
    const tooBig = await upload(env.app, 'capacitacion.carta_descriptiva', { name: 'carta-enorme.pdf', data: big, type: 'application/pdf' });
    expect(tooBig.status).toBe(413);
    expect(await lastRefusal()).toMatchObject({ rechazado: true, motivo: 'tamano', name: 'carta-enorme.pdf', size: big.length, mensaje: 'El archivo excede 10 MB.' });
    const empty = await upload(env.app, null, { name: 'vacio.pdf', data: Buffer.alloc(0), type: 'application/pdf' });
    expect(empty.status).toBe(400);
    expect(await lastRefusal()).toMatchObject({ rechazado: true, motivo: 'vacio', name: 'vacio.pdf', size: 0 });
    expect(await stored()).toBe(before);
  });

  it("another institution's attachment cannot be linked to a record", async () => {
    await env.ctx.db.query(`insert into institucion (codigo, nombre, siglas, ambito, entidad, grupo) values ('ADJ_EST', 'Fiscalía de prueba de adjuntos', 'ADJ', 'ESTATAL', '14', 'LOCAL')`);
    await env.ctx.catalogs.reload(env.ctx.db, env.ctx.baseCatalogs);
    await createUser(env.ctx, { username: 'enlace_adjuntos', role: 'enlace', institucion_id: 'ADJ_EST' });
    const theirs = client(env.app, await login(env.app, 'enlace_adjuntos'));
    const mine = await upload(env.app, 'comisiones.acta_sesion', { name: 'acta-segob.pdf', data: TINY_PDF, type: 'application/pdf' });
    const r = await theirs.post('/api/v1/modules/comisiones/records', {
      ...structuredClone(getModule('comisiones')!.example),
      ambito: 'ESTATAL',
      entidad_federativa: '14',
      tipo_organo: 'CIES_PLENO',
      acta_sesion: [mine.body.id],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toEqual(['acta_sesion']);
  });
});
