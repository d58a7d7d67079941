// Annual report generation: freeze (or reuse) a snapshot, compute the model over it, write DOCX and PDF.
// Jobs live in the database (report_job) with their progress, so any app instance can answer for them.
import type { Actor } from '../auth/actor.js';
import { auditReport } from '../audit/audit.js';
import type { Ctx } from '../context.js';
import { HttpError, forbidden, notFound } from '../http/errors.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import { buildAnnualModel, type Progress, type ReportModel } from './content.js';
import { toDocx } from './docx.js';
import { toPdf } from './pdf.js';
import { createSnapshot, getSnapshot, listSnapshots, withSnapshot, type SnapshotRow } from './snapshot.js';

export function mustGenerate(a: Actor) {
  if (!isSecretariaTecnica(a)) throw forbidden('Solo la Secretaría Técnica genera el informe anual.');
}

export interface AnnualResult {
  snapshot: SnapshotRow;
  model: ReportModel;
  docx: Buffer | null;
  pdf: Buffer | null;
  ms: number;
}

/**
 * Generates the annual report. `snapshotId` regenerates from that snapshot; otherwise `nuevoCorte` freezes a new
 * one, or the latest snapshot of the year is reused (a new one is frozen when the year has none).
 */
export async function generateAnnual(
  ctx: Ctx,
  a: Actor,
  opts: { anio: number; snapshotId?: string | null; nuevoCorte?: boolean; pdf?: boolean; docx?: boolean },
  progress: Progress = () => undefined,
): Promise<AnnualResult> {
  mustGenerate(a);
  const t0 = Date.now();
  await progress(2, 'Instantánea');
  let snap: SnapshotRow;
  if (opts.snapshotId) {
    snap = await getSnapshot(ctx.db, opts.snapshotId);
    if (snap.anio !== opts.anio) throw new HttpError('invalid_state', `La instantánea ${snap.id} es del año ${snap.anio}, no de ${opts.anio}.`, [{ field: 'snapshot', message: `Es del año ${snap.anio}.` }]);
  } else {
    const latest = opts.nuevoCorte ? undefined : (await listSnapshots(ctx.db, opts.anio))[0];
    snap = latest ?? (await createSnapshot(ctx, a, opts.anio));
  }
  await progress(20, 'Cálculo de cifras');
  const model = await withSnapshot(ctx, snap.id, (sctx, s) => buildAnnualModel(sctx, s, a, progress));
  await progress(90, 'Documento Word');
  // A request for the PDF alone does not pay for the Word document (and the other way round, see `pdf`).
  const docx = opts.docx === false ? null : await toDocx(model);
  await progress(95, 'PDF');
  const pdf = opts.pdf === false ? null : await toPdf(model);
  await ctx.db.tx((q) => auditReport(q, a, { tipo: 'informe_anual', format: [docx && 'docx', pdf && 'pdf'].filter(Boolean).join('+'), parametros: { anio: opts.anio, instantanea: snap.id, figuras_sha256: model.figurasSha256 } }));
  await progress(100, 'Listo');
  return { snapshot: snap, model, docx, pdf, ms: Date.now() - t0 };
}

export interface JobRow {
  id: string;
  anio: number;
  snapshot_id: string | null;
  estado: 'en_proceso' | 'listo' | 'error';
  progreso: number;
  etapa: string | null;
  error: string | null;
  figuras_sha256: string | null;
  duracion_ms: number | null;
  created_at: string;
  finished_at: string | null;
}

/** Progress of the jobs this process runs (the database copy may lag behind an open transaction). */
const LIVE = new Map<string, JobRow>();

const JOB_COLS = 'id, anio, snapshot_id, estado, progreso, etapa, error, figuras_sha256, duracion_ms, created_at, finished_at';

/** Starts a generation in the background and returns its job at once; progress is written as it goes. */
export async function startJob(ctx: Ctx, a: Actor, opts: { anio: number; snapshotId?: string | null; nuevoCorte?: boolean }): Promise<JobRow> {
  mustGenerate(a);
  if (opts.snapshotId) await getSnapshot(ctx.db, opts.snapshotId);
  const [job] = await ctx.db.query<JobRow>(`insert into report_job (anio, snapshot_id, created_by, etapa) values ($1, $2, $3, 'En cola') returning ${JOB_COLS}`, [
    opts.anio,
    opts.snapshotId ?? null,
    a.id,
  ]);
  LIVE.set(job.id, job);
  let last = 0;
  const progress: Progress = (pct, etapa) => {
    LIVE.set(job.id, { ...job, progreso: Math.min(99, pct), etapa });
    // Throttled, and never awaited: the figures are computed inside the snapshot's transaction, and on the
    // embedded database a write from outside it would wait for that transaction (which would wait for it).
    if (pct - last < 3 && pct < 100) return;
    last = pct;
    void ctx.db.query(`update report_job set progreso = $2, etapa = $3 where id = $1 and estado = 'en_proceso'`, [job.id, Math.min(99, pct), etapa]).catch(() => undefined);
  };
  void generateAnnual(ctx, a, opts, progress)
    .finally(() => LIVE.delete(job.id))
    .then(
    (r) =>
      ctx.db.query(
        `update report_job set estado = 'listo', progreso = 100, etapa = 'Listo', snapshot_id = $2, docx = $3, pdf = $4, figuras_sha256 = $5, duracion_ms = $6, finished_at = now() where id = $1`,
        [job.id, r.snapshot.id, r.docx, r.pdf, r.model.figurasSha256, r.ms],
      ),
    (e: unknown) =>
      ctx.db
        .query(`update report_job set estado = 'error', error = $2, finished_at = now() where id = $1`, [job.id, e instanceof HttpError ? e.detail : 'No se pudo generar el informe; revise la bitácora del servidor.'])
        .then(() => (ctx.log as Console).error(e)),
  ).catch(() => undefined);
  return job;
}

export async function getJob(ctx: Ctx, a: Actor, id: string): Promise<JobRow> {
  mustGenerate(a);
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound('El trabajo no existe.');
  // A job running in this process answers from memory: on the embedded database a query would wait for the
  // generation's transaction, and the progress bar would stand still.
  const running = LIVE.get(id);
  if (running) return running;
  // A job left running by a process that stopped is reported as failed after 30 minutes.
  await ctx.db.query(`update report_job set estado = 'error', error = 'La generación se interrumpió.' where id = $1 and estado = 'en_proceso' and created_at < now() - interval '30 minutes'`, [id]);
  const [job] = await ctx.db.query<JobRow>(`select ${JOB_COLS} from report_job where id = $1`, [id]);
  if (!job) throw notFound('El trabajo no existe.');
  return job;
}

export async function jobFile(ctx: Ctx, a: Actor, id: string, format: 'docx' | 'pdf'): Promise<{ body: Buffer; anio: number; snapshot: string }> {
  const job = await getJob(ctx, a, id);
  if (job.estado !== 'listo') throw new HttpError('invalid_state', job.estado === 'error' ? `La generación falló: ${job.error ?? ''}` : 'El informe aún se está generando.');
  const [row] = await ctx.db.query<{ f: Buffer | Uint8Array | null }>(`select ${format} as f from report_job where id = $1`, [id]);
  if (!row?.f) throw notFound('El archivo no existe.');
  return { body: Buffer.from(row.f), anio: job.anio, snapshot: job.snapshot_id ?? '' };
}
