// PostgreSQL cannot store the NUL character in text: a body, query or path parameter carrying one would
// fail deep inside a query (a 500). Refuse it up front with a 400 naming the field.
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors.js';

/** The path of the first string (or key) holding a NUL, or null. Iterative: deeply nested junk cannot blow the stack. */
export function findNul(root: unknown): string | null {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return at || 'cuerpo';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    } else if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) {
        const p = at ? `${at}.${k}` : k;
        if (k.includes('\u0000')) return p.replace(/\u0000/g, '\\u0000');
        stack.push([x, p]);
      }
    }
  }
  return null;
}

export async function rejectNulInput(req: FastifyRequest): Promise<void> {
  for (const part of [req.params, req.query, req.body]) {
    const at = findNul(part);
    if (at !== null) {
      const message = `«${at}» contiene el carácter nulo (\\u0000), que no se admite.`;
      throw new HttpError('validation', message, [{ field: at, message }]);
    }
  }
}
