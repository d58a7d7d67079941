// `npm run sintra -- report annual --year 2024 --out informe-2024.docx`: the same generation as the API, run as
// a named user (default: the first administrator) so permissions and audit apply. Writes the DOCX and, next
// to it, the PDF of the same content.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { actorFor, explain, option, withCtx } from '../imports/commands.js';

export const REPORT_HELP: Record<string, string> = {
  report:
    'report annual --year <año> [--out <archivo.docx>] [--pdf <archivo.pdf>|--sin-pdf] [--snapshot <id>] [--usuario <u>]\n' +
    '                                  Informe anual: congela una instantánea nueva (o regenera desde --snapshot) y escribe DOCX y PDF.',
};

// The report's libraries (docx, PDF, charts) load only when a report is made: every other command starts faster.
export async function reportCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'annual') {
    console.error(`Uso: npm run sintra -- ${REPORT_HELP.report}`);
    return 2;
  }
  const year = option(rest, '--year') ?? option(rest, '--anio');
  if (!year || !/^\d{4}$/.test(year)) {
    console.error('Indique --year <año> (cuatro cifras), p. ej. --year 2024.');
    return 2;
  }
  const out = path.resolve(option(rest, '--out') ?? `informe-${year}.docx`);
  const pdfOut = rest.includes('--sin-pdf') ? null : path.resolve(option(rest, '--pdf') ?? out.replace(/\.docx$/i, '') + '.pdf');
  return withCtx(config, async (ctx) => {
    try {
      const a = await actorFor(ctx, option(rest, '--usuario') ?? config.SINTRA_ADMIN_USER);
      let shown = -1;
      const { generateAnnual } = await import('./service.js');
      const r = await generateAnnual(ctx, a, { anio: Number(year), snapshotId: option(rest, '--snapshot') ?? null, nuevoCorte: !option(rest, '--snapshot'), pdf: pdfOut !== null }, (pct, etapa) => {
        if (pct - shown >= 10 || pct === 100) {
          shown = pct;
          process.stderr.write(`  ${String(pct).padStart(3)} % ${etapa}\n`);
        }
      });
      if (r.docx) fs.writeFileSync(out, r.docx);
      if (pdfOut && r.pdf) fs.writeFileSync(pdfOut, r.pdf);
      const n = Object.values(r.snapshot.conteos).reduce((s, x) => s + x, 0);
      console.log(`Informe anual ${year}: ${out}${pdfOut ? ` y ${pdfOut}` : ''}`);
      console.log(`Instantánea ${r.snapshot.id} (corte ${r.snapshot.fecha_corte}; ${n} registros validados congelados); huella de las cifras ${r.model.figurasSha256}.`);
      console.log(`Generado en ${(r.ms / 1000).toFixed(1)} s. Para regenerarlo con las mismas cifras: --snapshot ${r.snapshot.id}`);
      return 0;
    } catch (e) {
      return explain(e);
    }
  });
}
