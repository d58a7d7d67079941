// `npm run bench [-- <filtro>]`: runs every bench/*.bench.ts in its own process, one after the other, so each
// one's time and peak memory are its own. A filter runs only the files whose name contains it
// (e.g. `npm run bench -- imports`). Not part of `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
// The first argument, unless it is an option, filters the files; everything else goes to each bench.
const given = process.argv.slice(2);
const filter = given[0] && !given[0].startsWith('-') ? given[0] : undefined;
const passOn = filter ? given.slice(1) : given;
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
if (!files.length) {
  console.error(filter ? `Ningún bench/*.bench.ts contiene «${filter}».` : 'No hay archivos bench/*.bench.ts.');
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(dir, f), ...passOn], {
    stdio: 'inherit',
    env: process.env,
  });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} terminó con código ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
