// Loads SESNSP's official incidence of trata (victims by state × month × sex × age group) into
// `incidencia_victimas`. The file is the long tidy subset described in datasets/sesnsp/SOURCE.md.
// A load replaces the source's data in one transaction and is skipped when the file is unchanged.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import type { Db, Queryable } from '../db/client.js';

/** The copy of SESNSP's long file shipped with SINTRA. */
export const SESNSP_DEFAULT_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../datasets/sesnsp/db_victimas_delitos_ent_long_trata.csv',
);

/** Key of this source in `fuente_carga`. */
export const SESNSP_FUENTE = 'sesnsp_victimas';

export const SEXO_SESNSP: Readonly<Record<string, string>> = {
  Mujer: 'MUJER',
  Hombre: 'HOMBRE',
  'No identificado': 'NO_IDENTIFICADO',
};

export const GRUPO_EDAD_SESNSP: Readonly<Record<string, string>> = {
  'Menores de edad (0-17)': 'MENOR',
  'Adultos (18 y más)': 'ADULTO',
  'No especificado': 'NO_ESPECIFICADO',
  'No identificado': 'NO_IDENTIFICADO',
};

const TIPO_DELITO = 'Trata de personas';
const REQUIRED = ['n_year', 'n_month', 'cve_ent', 'tipo_de_delito', 'genero', 'rango_de_edad', 'n_victimas'] as const;
const BATCH = 1000;
const MAX_LISTED = 20;

export interface SesnspRowError {
  row: number;
  column: string;
  message: string;
}

/** A file SINTRA refuses; nothing was changed in the database. */
export class SesnspImportError extends Error {
  constructor(
    message: string,
    readonly errors: SesnspRowError[] = [],
  ) {
    super(message);
    this.name = 'SesnspImportError';
  }
}

interface Row {
  anio: number;
  mes: number;
  entidad: string;
  sexo: string;
  grupo_edad: string;
  victimas: number;
}

const listed = (values: readonly string[]) => values.map((v) => `«${v}»`).join(', ');

/** Parses and checks the whole file; throws SesnspImportError with every problem found (row 1 is the header). */
export function parseSesnsp(content: Buffer | string, fileName: string): Row[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(content, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof parsed;
  } catch (e) {
    throw new SesnspImportError(`El archivo «${fileName}» no es un CSV válido: ${(e as Error).message}`);
  }
  if (parsed.length === 0) throw new SesnspImportError(`El archivo «${fileName}» está vacío.`);

  const header = parsed[0].record.map((h) => h.trim());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new SesnspImportError(
      `El archivo «${fileName}» no tiene el encabezado del archivo largo de víctimas del SESNSP: ` +
        `${missing.length === 1 ? 'falta la columna' : 'faltan las columnas'} ${listed(missing)}.`,
      missing.map((column) => ({ row: 1, column, message: `Falta la columna «${column}».` })),
    );
  const col = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;

  const rows: Row[] = [];
  const errors: SesnspRowError[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < parsed.length; i++) {
    const { record, info } = parsed[i];
    const line = info.lines;
    const get = (c: (typeof REQUIRED)[number]) => (record[col[c]] ?? '').trim();
    const fail = (column: string, message: string) => errors.push({ row: line, column, message });

    const cve = get('cve_ent');
    if (cve === '00' || cve === '0') continue; // national total rows are not states: skipped
    const before = errors.length;

    let entidad = '';
    if (!/^\d{1,2}$/.test(cve) || Number(cve) < 1 || Number(cve) > 32)
      fail('cve_ent', `clave de entidad «${cve}» inválida (se esperaba 01 a 32; las filas nacionales 00 se omiten).`);
    else entidad = cve.padStart(2, '0');

    const yearText = get('n_year');
    const anio = Number(yearText);
    if (!/^\d{4}$/.test(yearText) || anio < 1990 || anio > 2100) fail('n_year', `año «${yearText}» inválido.`);

    const monthText = get('n_month');
    const mes = Number(monthText);
    if (!/^\d{1,2}$/.test(monthText) || mes < 1 || mes > 12) fail('n_month', `mes «${monthText}» inválido (se esperaba 01 a 12).`);

    const tipo = get('tipo_de_delito');
    if (tipo !== TIPO_DELITO) fail('tipo_de_delito', `delito «${tipo}» no es «${TIPO_DELITO}».`);

    const genero = get('genero');
    const sexo = SEXO_SESNSP[genero];
    if (!sexo) fail('genero', `valor «${genero}» no reconocido (se esperaba ${listed(Object.keys(SEXO_SESNSP))}).`);

    const rango = get('rango_de_edad');
    const grupo = GRUPO_EDAD_SESNSP[rango];
    if (!grupo) fail('rango_de_edad', `valor «${rango}» no reconocido (se esperaba ${listed(Object.keys(GRUPO_EDAD_SESNSP))}).`);

    const vText = get('n_victimas');
    const victimas = Number(vText);
    if (!/^\d+$/.test(vText) || !Number.isSafeInteger(victimas) || victimas > 2_147_483_647)
      fail('n_victimas', `número de víctimas «${vText}» inválido (se esperaba un entero mayor o igual a cero).`);

    if (errors.length > before) continue;
    const key = `${anio}|${mes}|${entidad}|${sexo}|${grupo}`;
    const first = seen.get(key);
    if (first !== undefined) {
      fail('n_year, n_month, cve_ent, genero, rango_de_edad', `repite año, mes, entidad, sexo y grupo de edad de la fila ${first}.`);
      continue;
    }
    seen.set(key, line);
    rows.push({ anio, mes, entidad, sexo, grupo_edad: grupo, victimas });
  }

  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_LISTED).map((e) => `fila ${e.row}, columna «${e.column}»: ${e.message}`);
    const more = errors.length > MAX_LISTED ? ` (y ${errors.length - MAX_LISTED} errores más)` : '';
    throw new SesnspImportError(
      `El archivo «${fileName}» tiene ${errors.length} ${errors.length === 1 ? 'error' : 'errores'}; no se cargó nada. ` +
        shown.join('; ') + more,
      errors,
    );
  }
  if (rows.length === 0) throw new SesnspImportError(`El archivo «${fileName}» no tiene filas de entidades federativas.`);
  return rows;
}

async function storedSha(q: Queryable): Promise<{ sha256: string; filas: number } | undefined> {
  const r = await q.query<{ sha256: string; filas: number }>('select sha256, filas from fuente_carga where fuente = $1', [SESNSP_FUENTE]);
  return r[0];
}

async function skippedResult(q: Queryable, filas: number) {
  const r = await q.query<{ v: number }>('select coalesce(sum(victimas), 0)::int as v from incidencia_victimas');
  return { rows: filas, victimas: r[0].v, skipped: true };
}

/**
 * Loads SESNSP's long victims file. All or nothing: the file is checked completely first, then in ONE
 * transaction the source's rows are deleted and reinserted and `fuente_carga` is updated. When the
 * stored sha256 equals the file's, nothing is done and `skipped` is true.
 */
export async function importSesnsp(db: Db, file: string): Promise<{ rows: number; victimas: number; skipped: boolean }> {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (e) {
    throw new SesnspImportError(`No se pudo leer el archivo del SESNSP «${file}»: ${(e as Error).message}`);
  }
  const fileName = path.basename(file);
  const sha256 = crypto.createHash('sha256').update(content).digest('hex');

  const prior = await storedSha(db);
  if (prior?.sha256 === sha256) return skippedResult(db, prior.filas);

  const rows = parseSesnsp(content, fileName);
  const victimas = rows.reduce((s, r) => s + r.victimas, 0);

  return db.tx(async (q) => {
    // Writers of this source wait for each other; readers keep seeing the old data until commit.
    await q.query('lock table incidencia_victimas in exclusive mode');
    const again = await storedSha(q);
    if (again?.sha256 === sha256) return skippedResult(q, again.filas);

    await q.query('delete from incidencia_victimas');
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const params: unknown[] = [];
      const values = batch.map((r) => {
        const n = params.length;
        params.push(r.anio, r.mes, r.entidad, r.sexo, r.grupo_edad, r.victimas);
        return `($${n + 1}::int, $${n + 2}::int, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}::int)`;
      });
      await q.query(
        `insert into incidencia_victimas (anio, mes, entidad, sexo, grupo_edad, victimas) values ${values.join(', ')}`,
        params,
      );
    }
    await q.query(
      `insert into fuente_carga (fuente, archivo, sha256, filas, cargado_at) values ($1, $2, $3, $4, now())
       on conflict (fuente) do update
         set archivo = excluded.archivo, sha256 = excluded.sha256, filas = excluded.filas, cargado_at = excluded.cargado_at`,
      [SESNSP_FUENTE, fileName.slice(0, 300), sha256, rows.length],
    );
    return { rows: rows.length, victimas, skipped: false };
  });
}
