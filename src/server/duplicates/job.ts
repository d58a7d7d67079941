// Possible duplicates across institutions (spec §4.3 rule 5). No identifier links a person across
// institutions, so a scheduled job flags pairs of victim records of different institutions with the same
// entidad_federativa, sexo, grupo_edad and nacionalidad, and the same operativo_id or fecha_identificacion
// within 30 days, for the Secretaría Técnica to review. Nothing is ever removed: a confirmed pair only makes
// the later record count as a duplicate in tables asked for "sin posibles duplicados confirmados".
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/client.js';

export const WINDOW_DAYS = 30;
const JOB = 'posibles_duplicados';
/** Advisory lock: one run at a time across every app instance. */
const LOCK = 884424;

// Age group from the recorded age when there is one (as in the statistics).
const grupo = (a: string) => `case when ${a}.edad is null then ${a}.grupo_edad
  when ${a}.edad <= 5 then 'E00_05' when ${a}.edad <= 11 then 'E06_11' when ${a}.edad <= 14 then 'E12_14' when ${a}.edad <= 17 then 'E15_17'
  when ${a}.edad <= 24 then 'E18_24' when ${a}.edad <= 29 then 'E25_29' when ${a}.edad <= 39 then 'E30_39' when ${a}.edad <= 49 then 'E40_49'
  when ${a}.edad <= 59 then 'E50_59' else 'E60_MAS' end`;

const alive = (a: string) => `${a}.deleted_at is null and ${a}.estatus in ('enviado','validado')`;

/** The rule, over aliases a and b. */
export const MATCH = (a: string, b: string) => `${a}.institucion_id <> ${b}.institucion_id
  and ${a}.entidad_federativa is not distinct from ${b}.entidad_federativa
  and ${a}.sexo = ${b}.sexo and ${a}.nacionalidad = ${b}.nacionalidad
  and ${grupo(a)} = ${grupo(b)}
  and ((${a}.operativo_id is not null and ${a}.operativo_id = ${b}.operativo_id)
       or ${b}.fecha_identificacion between ${a}.fecha_identificacion - ${WINDOW_DAYS} and ${a}.fecha_identificacion + ${WINDOW_DAYS})`;

export interface DetectResult {
  ran: boolean;
  nuevos: number;
  retirados: number;
  pendientes: number;
  comparados: number;
  ms: number;
}

/**
 * One run: flags new pairs among the records changed since the previous run (all records with `full`),
 * withdraws pending pairs that no longer match (a record changed, was deleted or returned), and refreshes
 * the set of records that count as duplicates. Returns ran=false when another run holds the lock.
 */
export async function detectDuplicates(ctx: Ctx, opts: { full?: boolean } = {}): Promise<DetectResult> {
  const t0 = Date.now();
  return ctx.db.tx(async (q) => {
    const got = await q.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [LOCK]);
    if (!got[0].ok) return { ran: false, nuevos: 0, retirados: 0, pendientes: 0, comparados: 0, ms: Date.now() - t0 };
    const last = await q.query<{ at: string | Date }>('select ultima_ejecucion as at from tarea_programada where nombre = $1', [JOB]);
    const since = opts.full || !last[0] ? null : last[0].at;
    const started = await q.query<{ now: Date }>('select clock_timestamp() as now');
    const changed = await q.query<{ n: number }>(
      `select count(*)::int as n from m_victimas c where ${alive('c')}${since ? ' and c.updated_at >= $1' : ''}`,
      since ? [since] : [],
    );
    // Each changed record against every other: the pair is stored once, the earlier-registered record first.
    const inserted = await q.query<{ n: number }>(
      `with cand as (
         select distinct case when c.seq < o.seq then c.id else o.id end as a, case when c.seq < o.seq then o.id else c.id end as b,
                case when c.operativo_id is not null and c.operativo_id = o.operativo_id then 'operativo' else 'fecha' end as criterio,
                abs(o.fecha_identificacion - c.fecha_identificacion) as dias
           from m_victimas c join m_victimas o on o.id <> c.id and ${MATCH('c', 'o')}
          where ${alive('c')} and ${alive('o')}${since ? ' and c.updated_at >= $1' : ''}
       ), ins as (
         insert into posible_duplicado (registro_a, registro_b, criterio, dias_diferencia)
         select a, b, criterio, dias from cand on conflict (registro_a, registro_b) do nothing returning 1
       ) select count(*)::int as n from ins`,
      since ? [since] : [],
    );
    const withdrawn = await q.query<{ n: number }>(
      `with del as (
         delete from posible_duplicado p where p.estatus = 'pendiente' and not exists (
           select 1 from m_victimas a join m_victimas b on b.id = p.registro_b
            where a.id = p.registro_a and ${alive('a')} and ${alive('b')} and ${MATCH('a', 'b')})
         returning 1
       ) select count(*)::int as n from del`,
    );
    await refreshDuplicateSet(q);
    const pend = await q.query<{ n: number }>(`select count(*)::int as n from posible_duplicado where estatus = 'pendiente'`);
    const result = { ran: true, nuevos: inserted[0].n, retirados: withdrawn[0].n, pendientes: pend[0].n, comparados: changed[0].n, ms: Date.now() - t0 };
    await q.query(
      `insert into tarea_programada (nombre, ultima_ejecucion, resultado) values ($1, $2, $3)
       on conflict (nombre) do update set ultima_ejecucion = excluded.ultima_ejecucion, resultado = excluded.resultado`,
      [JOB, started[0].now, JSON.stringify(result)],
    );
    return result;
  });
}

/**
 * Records that count as duplicates: in every group of records joined by confirmed pairs (both alive), all
 * but the earliest registered. Small (confirmed pairs are reviewed by hand), so it is worked out here.
 */
export async function refreshDuplicateSet(q: Queryable): Promise<void> {
  const pairs = await q.query<{ a: string; b: string; sa: number; sb: number }>(
    `select p.registro_a as a, p.registro_b as b, va.seq as sa, vb.seq as sb
       from posible_duplicado p join m_victimas va on va.id = p.registro_a join m_victimas vb on vb.id = p.registro_b
      where p.estatus = 'confirmado' and va.deleted_at is null and vb.deleted_at is null`,
  );
  const parent = new Map<string, string>();
  const seq = new Map<string, number>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const nx = parent.get(y)!;
      parent.set(y, r);
      y = nx;
    }
    return r;
  };
  for (const p of pairs) {
    for (const [id, s] of [[p.a, p.sa], [p.b, p.sb]] as const) {
      if (!parent.has(id)) parent.set(id, id);
      seq.set(id, Number(s));
    }
    const ra = find(p.a);
    const rb = find(p.b);
    if (ra === rb) continue;
    // The root is the earliest registered record of the group.
    if (seq.get(ra)! < seq.get(rb)!) parent.set(rb, ra);
    else parent.set(ra, rb);
  }
  await q.query('delete from victima_duplicada');
  const rows = [...parent.keys()].filter((id) => find(id) !== id).map((id) => [id, find(id)]);
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await q.query(
      `insert into victima_duplicada (record_id, representante_id) select * from unnest($1::uuid[], $2::uuid[])`,
      [chunk.map((r) => r[0]), chunk.map((r) => r[1])],
    );
  }
}

/** The in-process schedule (every `minutes`; 0 disables it). Overlapping runs skip thanks to the lock. */
export function startDuplicateJob(ctx: Ctx, minutes: number): () => void {
  if (!minutes) return () => undefined;
  const log = ctx.log as { info: (m: string) => void; error: (m: string) => void };
  const run = () =>
    detectDuplicates(ctx).then(
      (r) => {
        if (r.ran) log.info(`Posibles duplicados: ${r.nuevos} nuevos, ${r.retirados} retirados, ${r.pendientes} pendientes (${r.ms} ms).`);
      },
      (e) => log.error(`Posibles duplicados: la revisión programada falló: ${(e as Error).message}`),
    );
  const timer = setInterval(run, minutes * 60_000);
  timer.unref();
  // A first run shortly after start, so a long interval does not leave a new installation without one.
  const first = setTimeout(run, 60_000);
  first.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(first);
  };
}
