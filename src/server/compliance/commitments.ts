// Follow-up of the Comisiones module's acuerdos (spec §2.4). "Vencido" is derived, never stored:
// fecha_compromiso < reference date (today) and estado_seguimiento ∈ {PENDIENTE, EN_PROCESO}.
import type { Actor } from '../auth/actor.js';
import type { Queryable } from '../db/client.js';
import { forbidden } from '../http/errors.js';
import { canReadRecords, recordScope } from '../records/scope.js';

// Without a deadline an acuerdo is never overdue (coalesce: a missing date must not yield null).
export const VENCIDO_SQL = (hoy: string) => `(coalesce(r.fecha_compromiso < ${hoy}::date, false) and r.estado_seguimiento in ('PENDIENTE','EN_PROCESO'))`;
export const CIES = `r.tipo_organo in ('CIES_PLENO','CIES_GRUPO_TRABAJO')`;
export const CI = `r.tipo_organo in ('CI_PLENO','CI_GRUPO_TRABAJO')`;

export interface CommitmentSummary {
  acuerdos: number;
  por_estado: Record<string, number>;
  vencidos: number;
  cumplidos: number;
  /** CUMPLIDO / (all but CANCELADO), percent. */
  tasa_cumplimiento: number | null;
  avance_promedio: number | null;
  /** Mean days from fecha_sesion to fecha_cumplimiento of fulfilled acuerdos. */
  dias_promedio_cumplimiento: number | null;
}

export interface CommitmentFilters {
  /** Reference date for "vencido" (today; the cut-off date in a report). */
  hoy: string;
  soloValidados: boolean;
  anio?: number | null;
  entidad?: string | null;
  tipo_organo?: string | null;
  estado?: string | null;
  vencido?: boolean | null;
}

const SUMMARY = (hoy: string) => `
  count(*)::int as acuerdos,
  count(*) filter (where ${VENCIDO_SQL(hoy)})::int as vencidos,
  count(*) filter (where r.estado_seguimiento = 'CUMPLIDO')::int as cumplidos,
  count(*) filter (where r.estado_seguimiento <> 'CANCELADO')::int as vigentes,
  count(*) filter (where r.estado_seguimiento = 'PENDIENTE')::int as pendiente,
  count(*) filter (where r.estado_seguimiento = 'EN_PROCESO')::int as en_proceso,
  count(*) filter (where r.estado_seguimiento = 'CUMPLIDO')::int as cumplido,
  count(*) filter (where r.estado_seguimiento = 'REPROGRAMADO')::int as reprogramado,
  count(*) filter (where r.estado_seguimiento = 'CANCELADO')::int as cancelado,
  round(avg(r.porcentaje_avance), 1)::float as avance_promedio,
  round(avg(r.fecha_cumplimiento - r.fecha_sesion) filter (where r.estado_seguimiento = 'CUMPLIDO' and r.fecha_cumplimiento is not null), 1)::float as dias`;

type SummaryRow = { acuerdos: number; vencidos: number; cumplidos: number; vigentes: number; pendiente: number; en_proceso: number; cumplido: number; reprogramado: number; cancelado: number; avance_promedio: number | null; dias: number | null };

function toSummary(r: SummaryRow | undefined): CommitmentSummary {
  const x = r ?? { acuerdos: 0, vencidos: 0, cumplidos: 0, vigentes: 0, pendiente: 0, en_proceso: 0, cumplido: 0, reprogramado: 0, cancelado: 0, avance_promedio: null, dias: null };
  return {
    acuerdos: x.acuerdos,
    por_estado: { PENDIENTE: x.pendiente, EN_PROCESO: x.en_proceso, CUMPLIDO: x.cumplido, REPROGRAMADO: x.reprogramado, CANCELADO: x.cancelado },
    vencidos: x.vencidos,
    cumplidos: x.cumplidos,
    tasa_cumplimiento: x.vigentes ? Math.round((x.cumplidos / x.vigentes) * 1000) / 10 : null,
    avance_promedio: x.avance_promedio,
    dias_promedio_cumplimiento: x.dias,
  };
}

function where(a: Actor | null, f: CommitmentFilters, params: unknown[], purpose: 'records' | 'stats'): string {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const conds = [`r.deleted_at is null`, f.soloValidados ? `r.estatus = 'validado'` : `r.estatus in ('enviado','validado')`];
  if (a) {
    const s = recordScope(a, params.length, purpose, 'comisiones');
    params.push(...s.params);
    conds.push(s.sql);
  }
  if (f.anio) conds.push(`extract(year from r.fecha_sesion) = ${p(f.anio)}`);
  if (f.entidad) conds.push(`r.entidad_federativa = ${p(f.entidad)}`);
  if (f.tipo_organo) conds.push(`r.tipo_organo = ${p(f.tipo_organo)}`);
  if (f.estado) conds.push(`r.estado_seguimiento = ${p(f.estado)}`);
  if (f.vencido === true) conds.push(VENCIDO_SQL(p(f.hoy)));
  if (f.vencido === false) conds.push(`not ${VENCIDO_SQL(p(f.hoy))}`);
  return conds.join(' and ');
}

/** National, CI and per-state-commission summaries (aggregated: any role that reads statistics). `a` null = no scope (report). */
export async function commitmentSummary(q: Queryable, a: Actor | null, f: CommitmentFilters) {
  if (a?.role === 'auditor') throw forbidden('Su rol solo consulta la bitácora.');
  const params: unknown[] = [];
  const w = where(a, f, params, 'stats');
  const hoy = `$${params.push(f.hoy)}`;
  const [nacional] = await q.query<SummaryRow>(`select ${SUMMARY(hoy)} from m_comisiones r where ${w}`, params);
  const [ci] = await q.query<SummaryRow>(`select ${SUMMARY(hoy)} from m_comisiones r where ${w} and ${CI}`, params);
  const porComision = await q.query<SummaryRow & { entidad: string }>(
    `select r.entidad_federativa as entidad, ${SUMMARY(hoy)} from m_comisiones r where ${w} and ${CIES} and r.entidad_federativa is not null group by 1 order by 1`,
    params,
  );
  return {
    fecha_referencia: f.hoy,
    nacional: toSummary(nacional),
    comision_intersecretarial: toSummary(ci),
    por_comision_estatal: porComision.map((r) => ({ entidad: r.entidad, ...toSummary(r) })),
  };
}

export interface CommitmentItem {
  id: string;
  folio_sintra: string;
  institucion_id: string;
  entidad_federativa: string | null;
  tipo_organo: string;
  nombre_organo: string;
  numero_sesion: number;
  fecha_sesion: string;
  clave_acuerdo: string;
  descripcion_acuerdo: string;
  tema_acuerdo: string;
  instituciones_responsables: string[];
  fecha_compromiso: string | null;
  estado_seguimiento: string;
  porcentaje_avance: number;
  fecha_cumplimiento: string | null;
  vencido: boolean;
  dias_vencido: number | null;
}

/** The acuerdos themselves (record-level: the viewer's record scope), overdue first. */
export async function commitmentItems(q: Queryable, a: Actor | null, f: CommitmentFilters, limit = 500): Promise<CommitmentItem[]> {
  if (a && !canReadRecords(a)) throw forbidden('Su rol consulta solo los resúmenes de acuerdos, no los acuerdos individuales.');
  const params: unknown[] = [];
  const w = where(a, f, params, 'records');
  const hoy = `$${params.push(f.hoy)}`;
  return q.query<CommitmentItem>(
    `select r.id, r.folio_sintra, r.institucion_id, r.entidad_federativa, r.tipo_organo, r.nombre_organo, r.numero_sesion, r.fecha_sesion,
            r.clave_acuerdo, r.descripcion_acuerdo, r.tema_acuerdo, r.instituciones_responsables, r.fecha_compromiso, r.estado_seguimiento,
            r.porcentaje_avance, r.fecha_cumplimiento,
            ${VENCIDO_SQL(hoy)} as vencido,
            case when ${VENCIDO_SQL(hoy)} then (${hoy}::date - r.fecha_compromiso) end as dias_vencido
       from m_comisiones r where ${w}
      order by ${VENCIDO_SQL(hoy)} desc, r.fecha_compromiso nulls last, r.fecha_sesion desc, r.clave_acuerdo
      limit ${Math.max(1, Math.min(limit, 2000))}`,
    params,
  );
}
