// Reporting compliance per institution and period: what was due, sent, validated or returned, and the
// completeness of what was sent (share of optional fields filled), with a ranking the ST can publish.
import { MODULES } from '../../modules/index.js';
import type { FieldDef, ModuleDef } from '../../modules/types.js';
import type { Actor } from '../auth/actor.js';
import type { Queryable } from '../db/client.js';
import { forbidden } from '../http/errors.js';
import { col } from '../records/service.js';
import { mustSuppress, recordScope } from '../records/scope.js';
import { PERSON_MODULES } from '../stats/crosstab.js';

/** Optional fields of a module (required neither always nor by condition): what completeness measures. */
export function optionalFields(m: ModuleDef): FieldDef[] {
  return m.fields.filter((f) => f.required === false);
}

/** SQL: share (0..1) of a record's optional fields that hold a value. */
export function completenessSql(m: ModuleDef): string {
  const opt = optionalFields(m);
  if (!opt.length) return '1.0';
  const filled = opt.map((f) =>
    f.type === 'catalogo_multiple' || f.type === 'archivo' ? `(case when cardinality(r.${col(f.key)}) > 0 then 1 else 0 end)` : `(case when r.${col(f.key)} is not null then 1 else 0 end)`,
  );
  return `((${filled.join(' + ')})::float / ${opt.length})`;
}

export interface ComplianceRow {
  posicion: number;
  codigo: string;
  nombre: string;
  ambito: string;
  entidad: string | null;
  /** Quarterly reports due in the period (quarters already begun). */
  debidos: number;
  trimestres_enviados: number;
  trimestres_validados: number;
  registros: { borrador: number; enviado: number; validado: number; devuelto: number };
  /** Mean share of optional fields filled over sent and validated records, percent. */
  completitud: number | null;
  por_modulo: Record<string, { registros: number; completitud: number | null }>;
  /** 50 % coverage (quarters with sent records / due) + 25 % validated share + 25 % completeness. */
  indice: number;
}

export interface ComplianceQuery {
  anio: number;
  trimestre?: number | null;
  entidad?: string | null;
  ambito?: string | null;
  /** Today (quarters that have not begun are not due yet). */
  hoy: string;
}

export async function compliance(q: Queryable, a: Actor | null, f: ComplianceQuery) {
  if (a && a.role === 'auditor') throw forbidden('Su rol solo consulta la bitácora.');
  const quarters = (f.trimestre ? [f.trimestre] : [1, 2, 3, 4]).filter((t) => `${f.anio}-${String((t - 1) * 3 + 1).padStart(2, '0')}-01` <= f.hoy);
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const instConds = ['i.obligada_reportar', 'i.vigente'];
  if (a) {
    // The same record-scope rule, applied to the institution as if it were a record of it.
    const s = recordScope(a, params.length, 'stats');
    params.push(...s.params);
    instConds.push(s.sql);
  }
  if (f.entidad) instConds.push(`i.entidad = ${p(f.entidad)}`);
  if (f.ambito) instConds.push(`i.ambito = ${p(f.ambito)}`);
  const insts = await q.query<{ codigo: string; nombre: string; ambito: string; entidad: string | null }>(
    `select i.codigo, i.nombre, i.ambito, i.entidad from institucion i cross join lateral (select i.codigo as institucion_id) r where ${instConds.join(' and ')} order by i.codigo`,
    params,
  );
  const codes = insts.map((i) => i.codigo);
  const rows = codes.length
    ? await q.query<{ module: string; institucion_id: string; trimestre: number; estatus: string; n: number; comp: number | null }>(
        MODULES.map(
          (m) => `select '${m.key}' as module, r.institucion_id, r.periodo_trimestre as trimestre, r.estatus, count(*)::int as n,
                         sum(case when r.estatus in ('enviado','validado') then ${completenessSql(m)} end)::float as comp
                    from m_${m.key} r
                   where r.deleted_at is null and r.periodo_anio = $2 and r.periodo_trimestre = any($3::int[]) and r.institucion_id = any($1::text[])
                   group by 1, 2, 3, 4`,
        ).join('\n union all '),
        [codes, f.anio, quarters],
      )
    : [];
  // Per-institution counts of persons (victims, persons rescued) are protected figures for consulta: they are
  // left out of what it is shown (counts and completeness); the index still weighs every module.
  const hidden = new Set(a && mustSuppress(a) ? PERSON_MODULES : []);
  const out: ComplianceRow[] = insts.map((i) => {
    const mine = rows.filter((r) => r.institucion_id === i.codigo);
    const all = { borrador: 0, enviado: 0, validado: 0, devuelto: 0 };
    let allComp = 0;
    let allN = 0;
    const reg = { borrador: 0, enviado: 0, validado: 0, devuelto: 0 };
    const qSent = new Set<number>();
    const qVal = new Set<number>();
    let compSum = 0;
    let compN = 0;
    const porModulo: ComplianceRow['por_modulo'] = {};
    const modAcc: Record<string, { n: number; s: number }> = {};
    for (const r of mine) {
      if (r.estatus in all) all[r.estatus as keyof typeof all] += r.n;
      if (r.estatus === 'enviado' || r.estatus === 'validado') {
        allComp += r.comp ?? 0;
        allN += r.n;
      }
      if (r.estatus === 'enviado' || r.estatus === 'validado') qSent.add(r.trimestre);
      if (r.estatus === 'validado') qVal.add(r.trimestre);
      if (hidden.has(r.module)) continue;
      if (r.estatus in reg) reg[r.estatus as keyof typeof reg] += r.n;
      if (r.estatus === 'enviado' || r.estatus === 'validado') {
        compSum += r.comp ?? 0;
        compN += r.n;
        const acc = (modAcc[r.module] ??= { n: 0, s: 0 });
        acc.n += r.n;
        acc.s += r.comp ?? 0;
      }
    }
    for (const [k, v] of Object.entries(modAcc)) porModulo[k] = { registros: v.n, completitud: v.n ? Math.round((v.s / v.n) * 1000) / 10 : null };
    const debidos = quarters.length;
    const cobertura = debidos ? qSent.size / debidos : 0;
    const revisados = all.enviado + all.validado + all.devuelto;
    const tasaVal = revisados ? all.validado / revisados : 0;
    const completitud = compN ? compSum / compN : null;
    const indice = Math.round((0.5 * cobertura + 0.25 * tasaVal + 0.25 * (allN ? allComp / allN : 0)) * 1000) / 10;
    return {
      posicion: 0,
      codigo: i.codigo,
      nombre: i.nombre,
      ambito: i.ambito,
      entidad: i.entidad,
      debidos,
      trimestres_enviados: qSent.size,
      trimestres_validados: qVal.size,
      registros: reg,
      completitud: completitud === null ? null : Math.round(completitud * 1000) / 10,
      por_modulo: porModulo,
      indice,
    };
  });
  const validados = new Map(insts.map((i) => [i.codigo, rows.filter((r) => r.institucion_id === i.codigo && r.estatus === 'validado').reduce((n, r) => n + r.n, 0)]));
  out.sort((x, y) => y.indice - x.indice || validados.get(y.codigo)! - validados.get(x.codigo)! || x.codigo.localeCompare(y.codigo));
  // Ties share a position (a published ranking must not order equals arbitrarily).
  out.forEach((r, k) => (r.posicion = k > 0 && out[k - 1].indice === r.indice ? out[k - 1].posicion : k + 1));
  return {
    periodo: { anio: f.anio, trimestres: quarters },
    metodo:
      'Índice = 50 % cobertura (trimestres con registros enviados o validados ÷ trimestres debidos) + 25 % tasa de validación (validados ÷ enviados, validados y devueltos) + 25 % completitud (proporción de campos opcionales llenados en lo enviado). El periodo de un registro es el que la institución reporta (año y trimestre).',
    ...(hidden.size
      ? { nota: 'Los registros de víctimas y de operativos de rescate no se cuentan por institución en esta vista (son cifras protegidas); el índice sí los considera.' }
      : {}),
    items: out,
  };
}
