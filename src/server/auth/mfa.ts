// TOTP (RFC 6238) second factor and single-use recovery codes (ASVS 2.6, 2.8).
import crypto from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Role } from './actor.js';

/** Roles that must sign in with a second factor; for the rest it is optional. */
export const MFA_ROLES: readonly Role[] = ['administrador', 'validador'];

export function mfaMandatory(role: string): boolean {
  return (MFA_ROLES as readonly string[]).includes(role);
}

export const newTotpSecret = (): string => generateSecret({ length: 20 });

export function otpauthUrl(username: string, secret: string, ambiente: string): string {
  return generateURI({ issuer: ambiente === 'capacitacion' ? 'SINTRA (capacitación)' : 'SINTRA', label: username, secret });
}

/** The otpauth URL as a QR code image (data: URL; the CSP allows data: images). */
export function qrDataUrl(url: string): Promise<string> {
  return QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/**
 * Checks a 6-digit code, accepting one step of clock drift either way. With `afterStep` (the last step
 * accepted at sign-in) a code of that step or earlier is refused, so an observed code cannot be replayed.
 * Returns the matched time step, or null.
 */
export async function checkTotp(secret: string, code: string, afterStep?: number | null): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const r = await verify({ secret, token, epochTolerance: 30, ...(afterStep != null ? { afterTimeStep: afterStep } : {}) });
    return r.valid && 'timeStep' in r ? r.timeStep : null;
  } catch {
    return null;
  }
}

// Recovery codes: 12 characters of Crockford's base32 (no i, l, o, u: 60 bits), shown once as
// xxxx-xxxx-xxxx; stored as a salted SHA-256 (random 32-bit salt each, ASVS 2.6.3), used once.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_COUNT = 10;

function recoveryHash(salt: string, code: string): string {
  return crypto.createHash('sha256').update(`${salt}:${code}`).digest('hex');
}

const normalizeRecovery = (s: string) => s.toLowerCase().replace(/[\s-]/g, '');

export function newRecoveryCodes(): { codes: string[]; stored: string[] } {
  const codes: string[] = [];
  const stored: string[] = [];
  for (let i = 0; i < RECOVERY_COUNT; i++) {
    const bytes = crypto.randomBytes(12);
    const raw = [...bytes].map((b) => ALPHABET[b % 32]).join('');
    const salt = crypto.randomBytes(4).toString('hex');
    codes.push(`${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`);
    stored.push(`${salt}:${recoveryHash(salt, raw)}`);
  }
  return { codes, stored };
}

/** Index of the stored entry the input matches, or -1. */
export function matchRecoveryCode(stored: string[], input: string): number {
  const code = normalizeRecovery(input);
  if (code.length !== 12) return -1;
  return stored.findIndex((s) => {
    const [salt, h] = s.split(':');
    return !!h && crypto.timingSafeEqual(Buffer.from(recoveryHash(salt, code), 'hex'), Buffer.from(h, 'hex'));
  });
}
