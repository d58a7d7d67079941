// Pool settings and TLS from the configuration: sslmode with libpq's meaning, the SINTRA_DB_SSL override,
// timeouts, pool size, and a clear refusal of modes that would silently mean "maybe no TLS".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { pgPoolConfig, tlsOptions } from './pg-options.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sintra-pgopt-'));
const CA = path.join(dir, 'ca.pem');
fs.writeFileSync(CA, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cfg = (env: Record<string, string> = {}) => loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sintra', ...env });

describe('pgPoolConfig', () => {
  it('takes pool size and timeouts from the configuration', () => {
    const c = pgPoolConfig('postgres://u:p@db:5432/sintra', cfg({ SINTRA_DB_POOL_MAX: '25', SINTRA_DB_STATEMENT_TIMEOUT_MS: '5000', SINTRA_DB_IDLE_TX_TIMEOUT_MS: '7000', SINTRA_DB_CONNECT_TIMEOUT_MS: '1500' }));
    expect(c).toMatchObject({ max: 25, statement_timeout: 5000, idle_in_transaction_session_timeout: 7000, connectionTimeoutMillis: 1500, ssl: false, application_name: 'sintra' });
    expect(c.connectionString).toBe('postgres://u:p@db:5432/sintra');
  });

  it('defaults: 10 connections, 30 s statements, 60 s idle transactions, no TLS', () => {
    expect(pgPoolConfig('postgres://u@db/sintra', cfg())).toMatchObject({ max: 10, statement_timeout: 30000, idle_in_transaction_session_timeout: 60000, ssl: false });
  });

  it('0 means no timeout (the option is left out, as node-postgres wants)', () => {
    const c = pgPoolConfig('postgres://u@db/sintra', cfg({ SINTRA_DB_STATEMENT_TIMEOUT_MS: '0', SINTRA_DB_IDLE_TX_TIMEOUT_MS: '0' }));
    expect(c.statement_timeout).toBeUndefined();
    expect(c.idle_in_transaction_session_timeout).toBeUndefined();
  });

  it('names the read pool apart', () => {
    expect(pgPoolConfig('postgres://u@db/sintra', cfg(), 'read').application_name).toBe('sintra-lectura');
  });

  it('sslmode=require encrypts without checking the certificate, and leaves the URL', () => {
    const c = pgPoolConfig('postgres://u@db/sintra?sslmode=require&application_name=x', cfg());
    expect(c.ssl).toEqual({ rejectUnauthorized: false });
    expect(c.connectionString).toBe('postgres://u@db/sintra?application_name=x');
  });

  it('sslmode=verify-full checks the certificate and the host name, against the given CA', () => {
    const c = pgPoolConfig(`postgres://u@db/sintra?sslmode=verify-full&sslrootcert=${CA}`, cfg());
    const ssl = c.ssl as { rejectUnauthorized: boolean; ca: string; checkServerIdentity?: unknown };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toContain('BEGIN CERTIFICATE');
    expect(ssl.checkServerIdentity).toBeUndefined();
    expect(c.connectionString).toBe('postgres://u@db/sintra');
  });

  it('sslmode=verify-ca checks the certificate but not the host name, and needs a CA', () => {
    const ssl = tlsOptions('verify-ca', { ca: CA }) as { rejectUnauthorized: boolean; checkServerIdentity: () => unknown };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.checkServerIdentity()).toBeUndefined();
    expect(() => tlsOptions('verify-ca')).toThrow(/verify-ca necesita/);
  });

  it('SINTRA_DB_SSL and SINTRA_DB_SSL_CA override the URL', () => {
    const c = pgPoolConfig('postgres://u@db/sintra?sslmode=disable', cfg({ SINTRA_DB_SSL: 'verify-full', SINTRA_DB_SSL_CA: CA }));
    expect(c.ssl).toMatchObject({ rejectUnauthorized: true });
    expect((c.ssl as { ca: string }).ca).toContain('BEGIN CERTIFICATE');
    expect(pgPoolConfig('postgres://u@db/sintra?sslmode=require', cfg({ SINTRA_DB_SSL: 'disable' })).ssl).toBe(false);
  });
});

describe('configuration refuses unclear TLS settings, naming the variable', () => {
  it.each([
    [{ DATABASE_URL: 'postgres://u@db/sintra?sslmode=prefer' }, /DATABASE_URL: sslmode=prefer no se admite/],
    [{ DATABASE_READ_URL: 'postgres://u@db/sintra?sslmode=allow' }, /DATABASE_READ_URL: sslmode=allow no se admite/],
    [{ DATABASE_URL: 'postgres://u@db/sintra?ssl=true' }, /DATABASE_URL: use sslmode/],
    [{ DATABASE_URL: 'postgres://u@db/sintra?sslmode=verify-full&sslrootcert=/no/existe.pem' }, /sslrootcert=\/no\/existe.pem no existe/],
    [{ SINTRA_DB_SSL: 'on' }, /SINTRA_DB_SSL debe ser disable, require, verify-ca, verify-full/],
    [{ SINTRA_DB_SSL_CA: '/no/existe.pem' }, /SINTRA_DB_SSL_CA/],
    [{ SINTRA_DB_POOL_MAX: '1' }, /SINTRA_DB_POOL_MAX debe ser al menos 2/],
    [{ SINTRA_METRICS_TOKEN: 'corto' }, /SINTRA_METRICS_TOKEN debe tener al menos 24/],
    [{ SINTRA_MIGRATE_AT_START: 'no' }, /SINTRA_MIGRATE_AT_START/],
  ])('%o', (env, msg) => {
    expect(() => loadConfig(env as Record<string, string>)).toThrow(msg);
  });
});
