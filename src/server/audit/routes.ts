// Reading the audit trail: the whole trail for auditors and the administration, and the history of one
// record for whoever may see that record. There is no route that edits or deletes an entry.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getModule, MODULES } from '../../modules/index.js';
import type { Actor } from '../auth/actor.js';
import type { Ctx } from '../context.js';
import type { Queryable } from '../db/client.js';
import { tableName } from '../db/schema.js';
import { badRequest, forbidden, type HttpError } from '../http/errors.js';
import { dbScope } from '../records/scope.js';
import { moduleOr404, RecordService } from '../records/service.js';
import { AUDIT_ACTIONS, verifyChain, writeAudit } from './audit.js';

export function canReadAudit(a: Actor): boolean {
  return a.role === 'auditor' || a.role === 'administrador';
}

type Q = Record<string, string | string[] | undefined>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

const bad = (field: string, message: string): HttpError => badRequest(message, [{ field, message }]);

function one(q: Q, key: string): string | undefined {
  const v = q[key];
  if (Array.isArray(v)) {
    if (v.length > 1) throw bad(key, `«${key}» admite un solo valor.`);
    return v[0];
  }
  return v === '' ? undefined : v;
}

function many(q: Q, key: string): string[] {
  const v = q[key];
  return (Array.isArray(v) ? v : v === undefined || v === '' ? [] : [v]).flatMap((s) => s.split(',')).filter(Boolean);
}

function validDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A date bound: a calendar day in Mexico City (the day the user sees) or an exact ISO instant. */
function bound(key: 'from' | 'to', v: string, params: unknown[]): string {
  if (DATE.test(v)) {
    if (!validDate(v)) throw bad(key, `«${key}»: «${v}» no es una fecha válida (AAAA-MM-DD).`);
    params.push(v);
    const day = key === 'from' ? `$${params.length}::date` : `($${params.length}::date + 1)`;
    return `a.at ${key === 'from' ? '>=' : '<'} (${day})::timestamp at time zone 'America/Mexico_City'`;
  }
  if (DATETIME.test(v) && !Number.isNaN(Date.parse(v))) {
    params.push(new Date(v).toISOString());
    return `a.at ${key === 'from' ? '>=' : '<='} $${params.length}::timestamptz`;
  }
  throw bad(key, `«${key}» debe ser una fecha AAAA-MM-DD o una fecha y hora ISO 8601 con zona.`);
}

const KNOWN = new Set(['user', 'institucion_id', 'record_id', 'folio', 'action', 'module', 'from', 'to', 'ip', 'limit', 'cursor']);

/** Filters of GET /api/v1/audit → SQL conditions over `audit_log a`. */
export async function auditConditions(q: Queryable, query: Q, params: unknown[]): Promise<string[]> {
  for (const k of Object.keys(query)) if (!KNOWN.has(k)) throw bad(k, `El filtro «${k}» no existe. Use: ${[...KNOWN].join(', ')}.`);
  const conds: string[] = [];
  const user = one(query, 'user');
  if (user !== undefined) {
    if (user.length > 64) throw bad('user', '«user» admite a lo más 64 caracteres.');
    params.push(user);
    conds.push(UUID.test(user) ? `a.user_id = $${params.length}::uuid` : `lower(a.username) = lower($${params.length})`);
  }
  const inst = one(query, 'institucion_id');
  if (inst !== undefined) {
    if (inst.length > 64) throw bad('institucion_id', '«institucion_id» admite a lo más 64 caracteres.');
    params.push(inst);
    conds.push(`a.institucion_id = $${params.length}`);
  }
  const rec = one(query, 'record_id');
  if (rec !== undefined) {
    if (!UUID.test(rec)) throw bad('record_id', '«record_id» debe ser el identificador (UUID) de un registro.');
    params.push(rec.toLowerCase());
    conds.push(`a.record_id = $${params.length}::uuid`);
  }
  const folio = one(query, 'folio');
  if (folio !== undefined) {
    // The folio's prefix names the module; deleted records keep their folio (and their trail).
    const m = MODULES.find((x) => folio.toUpperCase().startsWith(`${x.folioPrefix}-`));
    if (!m || folio.length > 24) throw bad('folio', `«folio»: «${folio}» no es un folio SINTRA (p. ej. VIC-2025-000123).`);
    const ids = await q.query<{ id: string }>(`select id::text as id from ${tableName(m.key)} where folio_sintra = $1`, [folio.toUpperCase()]);
    params.push(ids[0]?.id ?? '00000000-0000-0000-0000-000000000000');
    conds.push(`a.record_id = $${params.length}::uuid`);
  }
  const actions = many(query, 'action');
  for (const x of actions) if (x.length > 32 || !/^[a-z_]+$/.test(x)) throw bad('action', `«action»: «${x}» no es una acción de la bitácora.`);
  if (actions.length) {
    params.push(actions);
    conds.push(`a.action = any($${params.length}::text[])`);
  }
  const mod = one(query, 'module');
  if (mod !== undefined) {
    // Record modules and the other areas the trail names (programa, …).
    if (!/^[a-z_]{1,64}$/.test(mod)) throw bad('module', `«module»: «${mod}» no es un módulo.`);
    params.push(mod);
    conds.push(`a.module = $${params.length}`);
  }
  const ip = one(query, 'ip');
  if (ip !== undefined) {
    if (ip.length > 64) throw bad('ip', '«ip» admite a lo más 64 caracteres.');
    params.push(ip);
    conds.push(`a.ip = $${params.length}`);
  }
  const from = one(query, 'from');
  const to = one(query, 'to');
  if (from !== undefined) conds.push(bound('from', from, params));
  if (to !== undefined) conds.push(bound('to', to, params));
  if (from && to && DATE.test(from) && DATE.test(to) && from > to) throw bad('from', '«from» debe ser anterior o igual a «to».');
  return conds;
}

interface AuditRow {
  id: number;
  at: Date | string;
  user_id: string | null;
  username: string | null;
  institucion_id: string | null;
  role: string | null;
  ip: string | null;
  action: string;
  module: string | null;
  record_id: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

function parseDetail(s: string | null): unknown {
  if (s === null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/** Folios of the records the entries name (one query per module present). */
async function foliosOf(q: Queryable, rows: AuditRow[]): Promise<Map<string, string>> {
  const byModule = new Map<string, string[]>();
  for (const r of rows) if (r.module && r.record_id && getModule(r.module)) byModule.set(r.module, [...(byModule.get(r.module) ?? []), r.record_id]);
  const out = new Map<string, string>();
  for (const [m, ids] of byModule) {
    const found = await q.query<{ id: string; folio_sintra: string }>(`select id::text as id, folio_sintra from ${tableName(m)} where id = any($1::uuid[])`, [[...new Set(ids)]]);
    for (const f of found) out.set(f.id, f.folio_sintra);
  }
  return out;
}

function toItem(r: AuditRow, folios: Map<string, string>, withIp: boolean) {
  return {
    id: Number(r.id),
    at: r.at instanceof Date ? r.at.toISOString() : new Date(r.at).toISOString(),
    user_id: r.user_id,
    username: r.username,
    institucion_id: r.institucion_id,
    role: r.role,
    ...(withIp ? { ip: r.ip } : {}),
    action: r.action,
    action_label: (AUDIT_ACTIONS as Record<string, string>)[r.action] ?? r.action,
    module: r.module,
    record_id: r.record_id,
    folio: r.record_id ? (folios.get(r.record_id) ?? null) : null,
    detail: parseDetail(r.detail),
    ...(withIp ? { prev_hash: r.prev_hash, hash: r.hash } : {}),
  };
}

function pageArgs(query: Q): { limit: number; cursor: number | null } {
  const l = one(query, 'limit');
  const limit = l === undefined ? 50 : Number(l);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw bad('limit', '«limit» debe ser un entero entre 1 y 200.');
  const c = one(query, 'cursor');
  const cursor = c === undefined ? null : Number(c);
  if (cursor !== null && (!Number.isSafeInteger(cursor) || cursor < 1)) throw bad('cursor', '«cursor» inválido: use el valor nextCursor de la respuesta anterior.');
  return { limit, cursor };
}

const COLS = 'a.id, a.at, a.user_id::text as user_id, a.username, a.institucion_id, a.role, a.ip, a.action, a.module, a.record_id::text as record_id, a.detail, a.prev_hash, a.hash';

/** A page of entries, newest first (keyset on id), with the total matching the filters. */
async function page(q: Queryable, conds: string[], params: unknown[], limit: number, cursor: number | null) {
  const where = conds.length ? conds.join(' and ') : 'true';
  const total = (await q.query<{ n: number }>(`select count(*)::int as n from audit_log a where ${where}`, params))[0].n;
  const p = [...params];
  let w = where;
  if (cursor !== null) {
    p.push(cursor);
    w += ` and a.id < $${p.length}`;
  }
  p.push(limit + 1);
  const rows = await q.query<AuditRow>(`select ${COLS} from audit_log a where ${w} order by a.id desc limit $${p.length}`, p);
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { rows: items, total, nextCursor: more ? String(items[items.length - 1].id) : null };
}

const qs = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export async function auditRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const svc = new RecordService(ctx);

  r.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['auditoría'],
        summary: 'Bitácora de auditoría (auditor, administrador): filtros user, institucion_id, record_id, folio, action, module, from, to, ip; limit, cursor',
        querystring: qs,
      },
    },
    async (req) => {
      const a = req.actor!;
      if (!canReadAudit(a)) throw forbidden('Solo el personal auditor y la administración consultan la bitácora.');
      const query = req.query as Q;
      const params: unknown[] = [];
      const conds = await auditConditions(ctx.db, query, params);
      const { limit, cursor } = pageArgs(query);
      const pg = await page(ctx.db, conds, params, limit, cursor);
      const folios = await foliosOf(ctx.db, pg.rows);
      // Reading the trail is itself recorded (who looked at what).
      const { limit: _l, cursor: _c, ...filtros } = query;
      void _l;
      void _c;
      await ctx.db.tx((q) => writeAudit(q, a, { action: 'consultar_bitacora', detail: { filtros } }));
      return { items: pg.rows.map((x) => toItem(x, folios, true)), nextCursor: pg.nextCursor, total: pg.total };
    },
  );

  r.get('/api/v1/audit/verify', { schema: { tags: ['auditoría'], summary: 'Recalcula la cadena de la bitácora y nombra la primera entrada alterada o eliminada' } }, async (req) => {
    const a = req.actor!;
    if (!canReadAudit(a)) throw forbidden('Solo el personal auditor y la administración consultan la bitácora.');
    const r = await verifyChain(ctx.db);
    await ctx.db.tx((q) => writeAudit(q, a, { action: 'consultar_bitacora', detail: { verificacion: r.ok ? 'integra' : 'alterada', entradas: r.entries, problema: r.problem?.id } }));
    return r;
  });

  r.get('/api/v1/audit/actions', { schema: { tags: ['auditoría'], summary: 'Acciones que registra la bitácora' } }, async (req) => {
    if (!canReadAudit(req.actor!)) throw forbidden('Solo el personal auditor y la administración consultan la bitácora.');
    return { items: Object.entries(AUDIT_ACTIONS).map(([code, label]) => ({ code, label })) };
  });

  r.get(
    '/api/v1/modules/:module/records/:id/history',
    {
      schema: {
        tags: ['registros'],
        summary: 'Historial de un registro (para quien puede ver el registro)',
        params: z.object({ module: z.string().max(64), id: z.string().max(64) }),
        querystring: qs,
      },
    },
    async (req) => {
      const a = req.actor!;
      const m = moduleOr404(req.params.module);
      const { limit, cursor } = pageArgs(req.query as Q);
      return ctx.db.tx(async (q) => {
        // The same scope as opening the record (and its row-level security): another institution's record answers 404.
        const rec = await svc.load(q, a, m, req.params.id);
        const id = String(rec.id);
        const pg = await page(q, ['a.record_id = $1::uuid'], [id], limit, cursor);
        const folios = new Map([[id, String(rec.folio_sintra)]]);
        // Addresses and hashes are for the audit roles; the record's users see who did what and when.
        return { items: pg.rows.map((x) => toItem(x, folios, canReadAudit(a))), nextCursor: pg.nextCursor, total: pg.total };
      }, dbScope(a));
    },
  );
}
