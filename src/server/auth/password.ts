import fs from 'node:fs';
import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum recommended parameters (19 MiB, t=2, p=1).
const OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function hashPassword(pw: string): Promise<string> {
  return hash(pw, OPTS);
}

export async function verifyPassword(stored: string, pw: string): Promise<boolean> {
  try {
    return await verify(stored, pw);
  } catch {
    return false;
  }
}

/** A hash of an unguessable value, verified against when the user does not exist (constant work). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hash('sintra-usuario-inexistente', OPTS);
  return dummy;
}

// The lists of common passwords (data/SOURCE.md), loaded once on first use.
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    common = new Set<string>();
    for (const f of ['common-passwords.txt', 'common-passwords-es.txt']) {
      const text = fs.readFileSync(new URL(`./data/${f}`, import.meta.url), 'utf8');
      for (const line of text.split('\n')) if (line) common.add(line.normalize('NFC'));
    }
  }
  return common;
}

const SEQUENCES = ['0123456789012345678901234567890', '9876543210987654321098765432109', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm', 'qwertzuiopasdfghjklyxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm'];

/** Whether the whole password repeats a shorter string (aaaaaaaaaaaa, holaholahola, 123123123123). */
function isRepetition(s: string): boolean {
  return /^(.+?)\1+$/su.test(s);
}

/** Whether the password is a run of a keyboard row or of the alphabet, forwards or backwards. */
function isSequence(s: string): boolean {
  const rev = [...s].reverse().join('');
  return SEQUENCES.some((seq) => seq.includes(s) || seq.includes(rev));
}

/**
 * ASVS 2.1: at least 12 characters (at most 128), no composition rules, not the user name, not a common
 * password (data/SOURCE.md) nor one with only digits, symbols or a year around it. Returns a Spanish
 * message for the person, or null when the password is acceptable.
 */
export function passwordProblem(pw: string, username?: string): string | null {
  const chars = [...pw].length;
  if (chars < PASSWORD_MIN) return `La contraseña debe tener al menos ${PASSWORD_MIN} caracteres (tiene ${chars}).`;
  if (chars > PASSWORD_MAX) return `La contraseña admite a lo más ${PASSWORD_MAX} caracteres.`;
  const low = pw.normalize('NFC').toLowerCase();
  if (username && username.length >= 3 && low.includes(username.toLowerCase())) return 'La contraseña no debe contener el nombre de usuario.';
  const list = commonPasswords();
  // The word inside: without digits, spaces and symbols around it.
  const core = low.replace(/^[\d\W_]+/u, '').replace(/[\d\W_]+$/u, '');
  const compact = low.replace(/[\s\W_]+/gu, '');
  if (
    list.has(low) ||
    list.has(compact) ||
    (core.length >= 3 && list.has(core)) ||
    isRepetition(low) ||
    isRepetition(compact) ||
    isSequence(compact)
  )
    return 'La contraseña es demasiado común o predecible (aparece en listas de contraseñas filtradas, o es una palabra común con números alrededor). Elija una frase más larga y propia.';
  return null;
}
