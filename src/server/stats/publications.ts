// Periodic publication of the legal tables (LG art. 88 fr. VIII: "publicadas periódicamente"). The
// Secretaría Técnica closes a period once it has ended; SINTRA then computes every legal table from
// validated records only, with disclosure control, and keeps that snapshot: what the public sees for a
// period does not move when records are validated or reopened later. Publishing again makes a new version.
import type { Actor } from '../auth/actor.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { writeAudit } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { badRequest, forbidden, notFound } from '../http/errors.js';
import { todayMx } from '../../modules/validate.js';
import type { StatsAccess } from './crosstab.js';
import { allLegal, type LegalResult } from './legal.js';

export interface Periodo {
  periodo: string;
  anio: number;
  trimestre: number | null;
  desde: string;
  hasta: string;
}

/** `2024` (a calendar year) or `2024-T2` (a quarter). */
export function parsePeriodo(raw: unknown): Periodo {
  const s = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  const m = /^(\d{4})(?:-T([1-4]))?$/.exec(s);
  if (!m) throw badRequest('«periodo» debe ser un año (2024) o un trimestre (2024-T2).', [{ field: 'periodo', message: 'Use AAAA o AAAA-T1 … AAAA-T4.' }]);
  const anio = Number(m[1]);
  if (anio < 2012) throw badRequest('«periodo»: la Ley General es de 2012; no hay periodos anteriores.', [{ field: 'periodo', message: 'Desde 2012.' }]);
  const t = m[2] ? Number(m[2]) : null;
  const desde = t ? `${anio}-${String((t - 1) * 3 + 1).padStart(2, '0')}-01` : `${anio}-01-01`;
  const hasta = t ? `${anio}-${['03-31', '06-30', '09-30', '12-31'][t - 1]}` : `${anio}-12-31`;
  return { periodo: t ? `${anio}-T${t}` : `${anio}`, anio, trimestre: t, desde, hasta };
}

/** Published outputs: every institution, validated records only, always suppressed. */
export function publicAccess(): StatsAccess {
  return {
    scope: { sql: 'true', params: [] },
    db: { scope: 'agregado', institution: '', state: null },
    suppressed: true,
    validadoOnly: true,
    reach: 'todas las instituciones (publicación)',
  };
}

export interface Publicacion extends Periodo {
  id: number;
  version: number;
  umbral: number;
  publicada_at: string;
}

export interface PublicacionCompleta extends Publicacion {
  tablas: LegalResult[];
}

function rowOut(r: Record<string, unknown>): Publicacion {
  return {
    id: Number(r.id),
    periodo: String(r.periodo),
    anio: Number(r.anio),
    trimestre: r.trimestre === null ? null : Number(r.trimestre),
    desde: String(r.desde),
    hasta: String(r.hasta),
    version: Number(r.version),
    umbral: Number(r.umbral),
    publicada_at: r.publicada_at instanceof Date ? r.publicada_at.toISOString() : String(r.publicada_at),
  };
}

const COLS = 'id, periodo, anio, trimestre, desde::text as desde, hasta::text as hasta, version, umbral, publicada_at';

/** Closes and publishes a period (Secretaría Técnica). */
export async function publish(ctx: Ctx, a: Actor, body: unknown): Promise<Publicacion> {
  if (!isSecretariaTecnica(a)) throw forbidden('Solo la Secretaría Técnica publica los tabulados de un periodo.');
  const per = parsePeriodo(body && typeof body === 'object' ? (body as Record<string, unknown>).periodo : undefined);
  if (per.hasta >= todayMx())
    throw badRequest(`El periodo ${per.periodo} aún no termina (concluye el ${per.hasta}): solo se publican periodos cerrados.`, [{ field: 'periodo', message: 'El periodo no ha concluido.' }]);
  const tablas = await allLegal(ctx, { from: per.desde, to: per.hasta }, publicAccess(), ['VICTIMA', 'POSIBLE_VICTIMA']);
  return ctx.db.tx(async (q) => {
    // Versions of one period are numbered in order; the lock keeps two publishers from taking the same number.
    await q.query('select pg_advisory_xact_lock(884423)');
    const v = await q.query<{ n: number }>('select coalesce(max(version), 0)::int + 1 as n from publicacion where periodo = $1', [per.periodo]);
    const rows = await q.query<Record<string, unknown>>(
      `insert into publicacion (periodo, anio, trimestre, desde, hasta, version, umbral, contenido, publicada_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) returning ${COLS}`,
      [per.periodo, per.anio, per.trimestre, per.desde, per.hasta, v[0].n, ctx.config.SINTRA_SUPPRESSION_THRESHOLD, JSON.stringify(tablas), a.id],
    );
    const out = rowOut(rows[0]);
    await writeAudit(q, a, { action: 'publicar', module: 'victimas', detail: { periodo: out.periodo, version: out.version } });
    return out;
  });
}

/** The latest version of every published period. */
export async function listPublished(ctx: Ctx): Promise<Publicacion[]> {
  const rows = await ctx.db.query<Record<string, unknown>>(
    `select distinct on (periodo) ${COLS} from publicacion order by periodo desc, version desc`,
  );
  // Newest year first; in a year, the annual publication, then its quarters in order.
  return rows.map(rowOut).sort((x, y) => y.anio - x.anio || (x.trimestre ?? 0) - (y.trimestre ?? 0));
}

export async function getPublished(ctx: Ctx, periodo: string): Promise<PublicacionCompleta> {
  const per = parsePeriodo(periodo);
  const rows = await ctx.db.query<Record<string, unknown>>(
    `select ${COLS}, contenido from publicacion where periodo = $1 order by version desc limit 1`,
    [per.periodo],
  );
  if (!rows[0]) throw notFound(`El periodo ${per.periodo} no se ha publicado.`);
  const c = rows[0].contenido;
  return { ...rowOut(rows[0]), tablas: (typeof c === 'string' ? JSON.parse(c) : c) as LegalResult[] };
}
