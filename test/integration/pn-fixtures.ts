// Records for the Programa Nacional, indicators, commitments and report suites: each one is the module's own
// complete example with the overrides a test needs, created, sent and validated through the API as the
// Secretaría Técnica would (on behalf of the institution named), so every record passed the real rules.
import { getModule } from '../../src/modules/index.js';
import type { Ctx } from '../../src/server/context.js';
import { client } from '../helpers.js';

type Client = ReturnType<typeof client>;

const attachments = new WeakMap<Ctx, Map<string, string>>();

/** One PDF attachment per institution (required `archivo` fields); stored like an upload would be. */
async function attachmentOf(ctx: Ctx, inst: string): Promise<string> {
  const mine = attachments.get(ctx) ?? new Map<string, string>();
  attachments.set(ctx, mine);
  const cached = mine.get(inst);
  if (cached) return cached;
  const [admin] = await ctx.db.query<{ id: string }>(`select id from app_user where username = 'admin'`);
  const [row] = await ctx.db.query<{ id: string }>(
    `insert into attachment (name, size, type, kind, sha256, data, institucion_id, created_by) values ('evidencia.pdf', 100, 'application/pdf', 'pdf', $1, $2, $3, $4) returning id`,
    ['0'.repeat(64), Buffer.from('%PDF-1.4\n%%EOF\n'), inst, admin.id],
  );
  mine.set(inst, row.id);
  return row.id;
}

export type Fate = 'borrador' | 'enviado' | 'validado';

/** Creates a record of `module` = example ⊕ overrides, for institution `inst`, and takes it to `fate`. */
export async function addRecord(ctx: Ctx, c: Client, module: string, overrides: Record<string, unknown>, opts: { inst?: string; fate?: Fate } = {}): Promise<{ id: string; folio_sintra: string; version: number }> {
  const m = getModule(module)!;
  const inst = opts.inst ?? 'SEGOB';
  const body: Record<string, unknown> = { ...m.example, institucion_id: inst, ...overrides };
  for (const f of m.fields) if (f.type === 'archivo' && f.required !== false && !(Array.isArray(body[f.key]) && (body[f.key] as unknown[]).length)) body[f.key] = [await attachmentOf(ctx, inst)];
  const r = await c.post(`/api/v1/modules/${module}/records`, body);
  if (r.status !== 201) throw new Error(`crear ${module}: ${r.status} ${JSON.stringify(r.body)}`);
  const fate = opts.fate ?? 'validado';
  if (fate !== 'borrador') {
    const s = await c.post(`/api/v1/modules/${module}/records/${r.body.id}/submit`, {});
    if (s.status !== 200) throw new Error(`enviar ${module}: ${s.status} ${JSON.stringify(s.body)}`);
    if (fate === 'validado') {
      const v = await c.post(`/api/v1/modules/${module}/records/${r.body.id}/validate`, {});
      if (v.status !== 200) throw new Error(`validar ${module}: ${v.status} ${JSON.stringify(v.body)}`);
      return v.body;
    }
    return s.body;
  }
  return r.body;
}

/** A state institution (spec INSTITUCION row), obligated to report unless said otherwise. */
export async function addInstitution(ctx: Ctx, codigo: string, entidad: string, opts: { obligada?: boolean; ambito?: 'ESTATAL' | 'MUNICIPAL' } = {}): Promise<void> {
  await ctx.db.query(
    `insert into institucion (codigo, nombre, siglas, ambito, entidad, obligada_reportar) values ($1, $2, $1, $3, $4, $5) on conflict (codigo) do nothing`,
    [codigo, `Institución de prueba ${codigo}`, opts.ambito ?? 'ESTATAL', entidad, opts.obligada ?? true],
  );
  await ctx.catalogs.reload(ctx.db, ctx.baseCatalogs);
}

/** A date `days` from today in Mexico City (positive: future). */
export function daysFromToday(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Mexico_City', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}
