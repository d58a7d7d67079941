// PostgreSQL connection settings from the configuration: pool size, timeouts and TLS.
// `sslmode` keeps libpq's meaning (node-postgres reads `require` as `verify-full`, which surprises operators
// who copy a URL from psql), and SINTRA never falls back to an unencrypted connection once TLS is asked for.
import fs from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type pg from 'pg';
import type { z } from 'zod';
import type { Config } from '../config.js';

export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** URL parameters that SINTRA turns into TLS options itself (and removes before node-postgres sees them). */
const SSL_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat', 'sslnegotiation'];

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Why the URL's TLS parameters cannot be honoured, in Spanish; null when they can. */
export function sslModeProblem(name: string, url: string): string | null {
  const u = parseUrl(url);
  if (!u) return null;
  const mode = u.searchParams.get('sslmode');
  if (mode !== null && !(SSL_MODES as readonly string[]).includes(mode))
    return `${name}: sslmode=${mode} no se admite; use ${SSL_MODES.join(', ')} (SINTRA no cae a una conexión sin cifrar).`;
  if (u.searchParams.has('ssl')) return `${name}: use sslmode=… en lugar de ssl=… para pedir TLS.`;
  for (const p of ['sslrootcert', 'sslcert', 'sslkey']) {
    const f = u.searchParams.get(p);
    if (f !== null && !fs.existsSync(f)) return `${name}: ${p}=${f} no existe.`;
  }
  return null;
}

/** A zod refinement for a database URL field of the configuration. */
export function sslModeRefine(name: string) {
  return (url: string, ctx: z.RefinementCtx) => {
    const p = sslModeProblem(name, url);
    if (p) ctx.addIssue({ code: 'custom', message: p });
  };
}

/** TLS options for node-postgres with libpq's meaning of each mode. */
export function tlsOptions(mode: SslMode, files: { ca?: string; cert?: string; key?: string } = {}): false | ConnectionOptions {
  if (mode === 'disable') return false;
  const read = (f?: string) => (f ? fs.readFileSync(f, 'utf8') : undefined);
  const base: ConnectionOptions = {};
  const ca = read(files.ca);
  if (ca) base.ca = ca;
  if (files.cert) base.cert = read(files.cert);
  if (files.key) base.key = read(files.key);
  const skipHostname = () => undefined;
  switch (mode) {
    case 'require':
      // libpq: encrypted; the certificate is checked only when a root certificate is given (then like verify-ca).
      return ca ? { ...base, rejectUnauthorized: true, checkServerIdentity: skipHostname } : { ...base, rejectUnauthorized: false };
    case 'verify-ca':
      if (!ca) throw new Error('sslmode=verify-ca necesita el certificado de la autoridad (SINTRA_DB_SSL_CA o sslrootcert=…).');
      return { ...base, rejectUnauthorized: true, checkServerIdentity: skipHostname };
    case 'verify-full':
      // Without a CA file Node's bundled public authorities apply (managed databases).
      return { ...base, rejectUnauthorized: true };
  }
}

export type PoolRole = 'primary' | 'read';

/** Pool settings for one database URL: size, timeouts, TLS, application name. */
export function pgPoolConfig(url: string, config: Config, role: PoolRole = 'primary'): pg.PoolConfig {
  const u = parseUrl(url);
  const urlMode = u?.searchParams.get('sslmode') as SslMode | null | undefined;
  const mode: SslMode = config.SINTRA_DB_SSL ?? urlMode ?? 'disable';
  const files = {
    ca: config.SINTRA_DB_SSL_CA ?? u?.searchParams.get('sslrootcert') ?? undefined,
    cert: u?.searchParams.get('sslcert') ?? undefined,
    key: u?.searchParams.get('sslkey') ?? undefined,
  };
  if (u) for (const p of SSL_PARAMS) u.searchParams.delete(p);
  return {
    connectionString: u ? u.toString() : url,
    ssl: tlsOptions(mode, files),
    max: config.SINTRA_DB_POOL_MAX,
    // 0 means "no limit" in the configuration; node-postgres wants the option absent for that.
    statement_timeout: config.SINTRA_DB_STATEMENT_TIMEOUT_MS || undefined,
    idle_in_transaction_session_timeout: config.SINTRA_DB_IDLE_TX_TIMEOUT_MS || undefined,
    connectionTimeoutMillis: config.SINTRA_DB_CONNECT_TIMEOUT_MS,
    // Seen in pg_stat_activity: which pool of which service holds a connection (a name in the URL wins).
    application_name: role === 'primary' ? 'sintra' : 'sintra-lectura',
  };
}
