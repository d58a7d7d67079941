import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import { getModule } from '../../modules/index.js';
import { ATTACHMENT_KINDS, type AttachmentKind } from '../../modules/types.js';
import { writeAudit } from '../audit/audit.js';
import { isSecretariaTecnica } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors.js';
import { canReadRecords, canWriteRecords, dbScope, recordScope } from '../records/scope.js';
import { tableName } from '../db/schema.js';
import { parseClamdTarget, scanBuffer, type ClamdTarget, type ScanResult } from './clamav.js';

// Detected MIME type (from the file's bytes, never its name) → kind.
const MIME_KIND: Record<string, AttachmentKind> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'audio/mpeg': 'mp3',
  'video/mp4': 'mp4',
  'audio/mp4': 'mp4',
};

export async function detectKind(buf: Buffer): Promise<{ kind: AttachmentKind; mime: string } | null> {
  const t = await fileTypeFromBuffer(buf);
  if (!t) return null;
  const kind = MIME_KIND[t.mime];
  return kind ? { kind, mime: t.mime } : null;
}

export async function attachmentRoutes(app: FastifyInstance, ctx: Ctx) {
  const clamd: ClamdTarget | null = ctx.config.SINTRA_CLAMD_SOCKET ? parseClamdTarget(ctx.config.SINTRA_CLAMD_SOCKET) : null;
  app.post('/api/v1/attachments', { schema: { tags: ['adjuntos'], summary: 'Subir un archivo (multipart: file, field=<módulo>.<campo>)' } }, async (req, reply) => {
    const a = req.actor!;
    if (!canWriteRecords(a)) throw forbidden('Su rol no permite adjuntar archivos.');
    if (!req.isMultipart()) throw badRequest('Envíe el archivo como multipart/form-data en el campo «file».', [{ field: 'file', message: 'Falta el archivo.' }]);
    /**
     * A refused file leaves an audit entry of its own, in its own transaction (nothing else is written, so
     * nothing can roll it back), then the refusal is answered.
     */
    const refuse = async (motivo: 'vacio' | 'tamano' | 'tipo' | 'antivirus', err: HttpError, f: { name: string; buf?: Buffer; campo?: string | null; firma?: string }) => {
      const detail = {
        rechazado: true,
        motivo,
        mensaje: err.detail,
        name: f.name,
        ...(f.buf ? { size: f.buf.length, sha256: crypto.createHash('sha256').update(f.buf).digest('hex') } : {}),
        ...(f.campo ? { campo: f.campo } : {}),
        ...(f.firma ? { firma: f.firma } : {}),
      };
      await ctx.db.tx((q) => writeAudit(q, a, { action: 'adjuntar', detail }));
      return err;
    };
    let fieldSpec: string | undefined;
    let file: { name: string; buf: Buffer } | undefined;
    let partName = '';
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field' && part.fieldname === 'field') fieldSpec = String(part.value);
        else if (part.type === 'file' && part.fieldname === 'file') {
          partName = part.filename;
          const buf = await part.toBuffer();
          file = { name: part.filename, buf };
        } else if (part.type === 'file') await part.toBuffer();
      }
    } catch (e) {
      // Over the multipart limit: refused before its end was read (no size or digest to record).
      const fe = e as { code?: string; statusCode?: number };
      if (fe.code === 'FST_REQ_FILE_TOO_LARGE' || fe.statusCode === 413)
        throw await refuse('tamano', new HttpError('payload_too_large', 'El archivo excede el tamaño máximo permitido.'), { name: partName, campo: fieldSpec });
      throw e;
    }
    if (!file) throw badRequest('Falta el archivo (campo «file») o está vacío.', [{ field: 'file', message: 'Falta el archivo o está vacío.' }]);
    if (file.buf.length === 0)
      throw await refuse('vacio', badRequest('Falta el archivo (campo «file») o está vacío.', [{ field: 'file', message: 'Falta el archivo o está vacío.' }]), { ...file, campo: fieldSpec });
    let kinds: readonly AttachmentKind[] = ATTACHMENT_KINDS;
    let maxMb = 20;
    let fieldKey: string | null = null;
    if (fieldSpec) {
      const [mk, fk] = fieldSpec.split('.');
      const f = getModule(mk)?.fields.find((x) => x.key === fk && x.type === 'archivo');
      if (!f) throw badRequest(`«field»: «${fieldSpec}» no es un campo de archivo de ningún módulo.`, [{ field: 'field', message: `«${fieldSpec}» no es un campo de archivo.` }]);
      kinds = f.files?.kinds ?? ATTACHMENT_KINDS;
      maxMb = f.files?.maxMb ?? 20;
      fieldKey = fieldSpec;
    }
    if (file.buf.length > maxMb * 1024 * 1024) throw await refuse('tamano', new HttpError('payload_too_large', `El archivo excede ${maxMb} MB.`), { ...file, campo: fieldKey });
    const det = await detectKind(file.buf);
    if (!det || !kinds.includes(det.kind))
      throw await refuse(
        'tipo',
        new HttpError('unsupported_type', `Tipo de archivo no permitido: se admiten ${kinds.map((k) => k.toUpperCase()).join(', ')} (el tipo se revisa por su contenido, no por su nombre).`),
        { ...file, campo: fieldKey },
      );
    const name = file.name.replace(/[\u0000-\u001f\\/]/g, '_').slice(0, 200) || `archivo.${det.kind}`;
    const sha = crypto.createHash('sha256').update(file.buf).digest('hex');
    // ClamAV where configured: an infected file is refused and never stored; without clamd, stored unscanned.
    let escaneado = false;
    if (clamd) {
      let verdict: ScanResult;
      try {
        verdict = await scanBuffer(clamd, file.buf);
      } catch (e) {
        req.log.error({ err: e }, 'clamd no disponible');
        throw new HttpError('not_ready', 'No se pudo revisar el archivo con el antivirus; intente más tarde. El archivo no se guardó.');
      }
      if (!verdict.clean)
        throw await refuse(
          'antivirus',
          new HttpError('unprocessable', `El archivo contiene software malicioso (${verdict.signature}) y no se guardó.`, [{ field: 'file', message: `El antivirus detectó ${verdict.signature}.` }]),
          { name, buf: file.buf, campo: fieldKey, firma: verdict.signature },
        );
      escaneado = true;
    }
    const row = await ctx.db.tx(async (q) => {
      const rows = await q.query<{ id: string }>(
        `insert into attachment (name, size, type, kind, sha256, data, field, institucion_id, created_by, escaneado) values ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) returning id`,
        [name, file!.buf.length, det.mime, det.kind, sha, file!.buf, fieldKey, a.institucion_id, a.id, escaneado],
      );
      await writeAudit(q, a, { action: 'adjuntar', detail: { id: rows[0].id, name, size: file!.buf.length, sha256: sha, escaneado } });
      return rows[0];
    });
    return reply.code(201).send({ id: row.id, name, size: file.buf.length, type: det.mime, escaneado });
  });

  app.get<{ Params: { id: string } }>('/api/v1/attachments/:id', { schema: { tags: ['adjuntos'], summary: 'Descargar un archivo' } }, async (req, reply) => {
    const a = req.actor!;
    const id = req.params.id;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw notFound('El archivo no existe o no tiene acceso a él.');
    // One transaction under the actor's row-level security scope: lookup, access check and audit entry.
    const f = await ctx.db.tx(async (q) => {
      const rows = await q.query<{ name: string; type: string; data: Buffer | Uint8Array; institucion_id: string; created_by: string; field: string | null }>(
        'select name, type, data, institucion_id, created_by, field from attachment where id = $1',
        [id],
      );
      const f = rows[0];
      // Only roles that read records download their files (never consulta or auditor).
      if (!f || !canReadRecords(a)) throw notFound('El archivo no existe o no tiene acceso a él.');
      // Visible to the uploader's institution, or to whoever may see a record that references it.
      let ok = isSecretariaTecnica(a) || f.institucion_id === a.institucion_id;
      if (!ok && f.field) {
        const [mk, fk] = f.field.split('.');
        const m = getModule(mk);
        if (m && m.fields.some((x) => x.key === fk)) {
          const scope = recordScope(a, 1, 'records', m.key);
          const hit = await q.query(`select 1 from ${tableName(m.key)} r where r.deleted_at is null and $1 = any(r."${fk}") and ${scope.sql} limit 1`, [id, ...scope.params]);
          ok = hit.length > 0;
        }
      }
      if (!ok) throw notFound('El archivo no existe o no tiene acceso a él.');
      await writeAudit(q, a, { action: 'descargar', detail: { id } });
      return f;
    }, dbScope(a));
    return reply
      .header('content-type', f.type)
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`)
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(f.data));
  });
}
