import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum recommended parameters (19 MiB, t=2, p=1).
const OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

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

/** ASVS 2.1: at least 12 characters, no composition rules, not a common password. */
export function passwordProblem(pw: string, username?: string): string | null {
  if (pw.length < 12) return 'La contraseña debe tener al menos 12 caracteres.';
  if (pw.length > 128) return 'La contraseña admite a lo más 128 caracteres.';
  const low = pw.toLowerCase();
  if (username && low.includes(username.toLowerCase())) return 'La contraseña no debe contener el nombre de usuario.';
  if (COMMON.has(low) || /^(.)\1+$/.test(pw) || /^(0123456789|1234567890|abcdefghijkl)/i.test(pw))
    return 'La contraseña es demasiado común; elija una frase más larga o menos predecible.';
  return null;
}

// A short list of the most common passwords of 12+ characters (and Spanish ones).
const COMMON = new Set([
  '123456789012', '1234567890123', 'qwertyuiopas', 'qwerty123456', 'password1234', 'password12345', 'contrasena123',
  'contraseña123', 'contraseña1234', 'administrador', 'administrador1', 'administrador123', 'mexico123456', 'méxico123456',
  'iloveyou1234', 'passwordpassword', 'abc123456789', '111111111111', '000000000000', 'qwertyqwerty', 'sintra123456',
  'sintrasintra', 'trustno1trustno1', 'bienvenido123', 'bienvenido1234', 'welcome12345', 'letmein12345', 'changeme1234',
  'cambiame1234', 'gobierno2024', 'gobierno2025', 'gobierno2026', 'segob1234567', 'superman1234', 'asdfghjklñ12',
]);
