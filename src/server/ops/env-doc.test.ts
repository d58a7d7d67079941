// The deployment guide's table of environment variables is the configuration schema, in words: every
// variable the schema or the code reads is there once, with the schema's real default.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const GUIDE = path.join(ROOT, 'docs/deployment.md');
/** Read by the command line only, not part of the server's schema. */
const CLI_ONLY = ['SINTRA_NEW_PASSWORD', 'SINTRA_DEMO_DEBUG'];
/** The operating system's, not SINTRA's. */
const SYSTEM = new Set(['PATH', 'HOME', 'TZ', 'NODE_ENV']);

function docTable(): { name: string; def: string; meaning: string }[] {
  const text = fs.readFileSync(GUIDE, 'utf8');
  const m = /<!-- env-table:start -->([\s\S]*?)<!-- env-table:end -->/.exec(text);
  if (!m) throw new Error('docs/deployment.md has no env-table markers');
  return m[1]
    .split('\n')
    .filter((l) => /^\|\s*`/.test(l))
    .map((l) => {
      const cells = l.split('|').slice(1, -1).map((c) => c.trim());
      return { name: cells[0].replace(/`/g, ''), def: cells[1], meaning: cells[2] };
    });
}

/** `process.env.X` read anywhere in the server and the command line (the web client reads none). */
function envReadsInCode(): string[] {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name))
        for (const x of fs.readFileSync(p, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) out.add(x[1]);
    }
  };
  walk(path.join(ROOT, 'src/server'));
  for (const x of fs.readFileSync(path.join(ROOT, 'src/cli.ts'), 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]*)/g)) out.add(x[1]);
  return [...out].filter((n) => !SYSTEM.has(n)).sort();
}

describe('docs/deployment.md environment table', () => {
  const rows = docTable();
  const schemaKeys = Object.keys(configSchema.shape);

  it('lists each variable once', () => {
    const names = rows.map((r) => r.name);
    expect(names.length).toBeGreaterThan(20);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('lists exactly the schema variables plus the command-line ones', () => {
    expect(rows.map((r) => r.name).sort()).toEqual([...schemaKeys, ...CLI_ONLY].sort());
  });

  it('documents every variable the code reads from process.env', () => {
    const documented = new Set(rows.map((r) => r.name));
    expect(envReadsInCode().filter((n) => !documented.has(n))).toEqual([]);
  });

  it('gives the schema default of each variable (— when there is none)', () => {
    const defaults = configSchema.parse({}) as Record<string, unknown>;
    for (const r of rows) {
      if (CLI_ONLY.includes(r.name)) continue;
      const d = defaults[r.name];
      expect(r.def, r.name).toBe(d === undefined ? '—' : `\`${String(d)}\``);
    }
  });

  it('explains each variable', () => {
    for (const r of rows) expect(r.meaning.length, r.name).toBeGreaterThan(15);
  });
});
