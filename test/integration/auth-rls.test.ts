// Row-level security on its own: queries with no filter at all, run in a transaction as the application
// role with another institution's setting, still see and touch only the rows of that scope. This is the
// defence behind recordScope(): a bug in an app filter cannot hand out another institution's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { withoutRowSecurity, type DbScope } from '../../src/server/db/client.js';
import { tableName } from '../../src/server/db/schema.js';
import { dbKinds, setup, type TestEnv } from '../helpers.js';

const TABLES = [...MODULES.map((m) => tableName(m.key)), 'attachment'];
// SRE and FGR are federal (seeded); two state institutions of Jalisco, one municipal of Jalisco, one of Nuevo León.
const LOCAL = [
  ['RLS-JAL-A', 'ESTATAL', '14', null],
  ['RLS-JAL-B', 'MUNICIPAL', '14', '14039'],
  ['RLS-NL', 'ESTATAL', '19', null],
] as const;
const ALL = ['SRE', 'FGR', ...LOCAL.map((l) => l[0])];

const scope = (s: DbScope['scope'], institution: string, state: string | null = null): DbScope => ({ scope: s, institution, state });

describe.each(dbKinds())('seguridad a nivel de fila (%s)', (kind) => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await setup(kind);
    const db = env.ctx.db;
    for (const [codigo, ambito, entidad, municipio] of LOCAL)
      await db.query(`insert into institucion (codigo, nombre, ambito, entidad, municipio, grupo) values ($1, $1, $2, $3, $4, 'LOCAL')`, [codigo, ambito, entidad, municipio]);
    const user = (await db.query<{ id: string }>('select id from app_user limit 1'))[0].id;
    // Two rows per institution in every table, inserted as the owner (no policy applies to it).
    let n = 0;
    for (const t of TABLES)
      for (const inst of ALL)
        for (let i = 0; i < 2; i++) {
          n++;
          if (t === 'attachment')
            await db.query(`insert into attachment (name, size, type, kind, sha256, data, institucion_id, created_by) values ('a.pdf', 1, 'application/pdf', 'pdf', 'x', '\\x00', $1, $2)`, [inst, user]);
          else await db.query(`insert into ${t} (folio_sintra, institucion_id, ambito) values ($1, $2, 'FEDERAL')`, [`RLS-${n}`, inst]);
        }
  });
  afterAll(async () => {
    await env?.close();
  });

  /** Institutions whose rows a scoped transaction sees in a table, with no WHERE clause of ours. */
  async function seen(t: string, s: DbScope): Promise<Record<string, number>> {
    const rows = await env.ctx.db.tx((q) => q.query<{ inst: string; n: number }>(`select institucion_id as inst, count(*)::int as n from ${t} group by 1 order by 1`), s);
    return Object.fromEntries(rows.map((r) => [r.inst, r.n]));
  }

  it('every module table and attachments: an institution sees only its own rows, even selecting everything', async () => {
    for (const t of TABLES) {
      expect(await seen(t, scope('institucional', 'SRE')), t).toEqual({ SRE: 2 });
      expect(await seen(t, scope('institucional', 'RLS-NL', '19')), t).toEqual({ 'RLS-NL': 2 });
      expect(await seen(t, scope('institucional', 'NO-EXISTE')), t).toEqual({});
    }
  });

  it('a state validator sees its institution and the state and municipal institutions of its state, nothing else', async () => {
    for (const t of TABLES) expect(await seen(t, scope('estatal', 'RLS-JAL-A', '14')), t).toEqual({ 'RLS-JAL-A': 2, 'RLS-JAL-B': 2 });
    // Federal institutions have no state: a validator of state 14 never reaches them.
    expect(await seen('m_victimas', scope('estatal', 'SRE', '14'))).toEqual({ SRE: 2, 'RLS-JAL-A': 2, 'RLS-JAL-B': 2 });
  });

  it('national and aggregated scopes see every row; no scope or an unknown one sees none', async () => {
    const every = Object.fromEntries(ALL.map((i) => [i, 2]));
    for (const t of TABLES) {
      expect(await seen(t, scope('nacional', 'SEGOB')), t).toEqual(every);
      expect(await seen(t, scope('agregado', 'RLS-NL')), t).toEqual(every);
      expect(await seen(t, scope('ninguno', 'SRE')), t).toEqual({});
      expect(await seen(t, { scope: 'otra-cosa' as DbScope['scope'], institution: 'SRE', state: null }), t).toEqual({});
    }
  });

  it('writes stay inside the scope: updates and deletes miss other rows, inserts and moves to another institution fail', async () => {
    const db = env.ctx.db;
    const s = scope('institucional', 'FGR');
    const updated = await db.tx((q) => q.query<{ id: string }>(`update m_convenios set objeto = 'tocado' returning id`), s);
    expect(updated).toHaveLength(2);
    const touched = await db.query<{ inst: string }>(`select distinct institucion_id as inst from m_convenios where objeto = 'tocado'`);
    expect(touched).toEqual([{ inst: 'FGR' }]);
    const deleted = await db.tx((q) => q.query(`delete from m_difusion where institucion_id = 'SRE' returning id`), s);
    expect(deleted).toHaveLength(0);
    await expect(db.tx((q) => q.query(`insert into m_convenios (folio_sintra, institucion_id, ambito) values ('RLS-X1', 'SRE', 'FEDERAL')`), s)).rejects.toThrow(/row-level security|seguridad/i);
    await expect(db.tx((q) => q.query(`update m_convenios set institucion_id = 'SRE' where institucion_id = 'FGR'`), s)).rejects.toThrow(/row-level security|seguridad/i);
    // The aggregated scope reads everything but changes nothing.
    const agg = scope('agregado', 'FGR');
    expect(await db.tx((q) => q.query(`update m_victimas set estatus = estatus returning id`), agg)).toHaveLength(0);
    expect(await db.tx((q) => q.query(`delete from m_victimas returning id`), agg)).toHaveLength(0);
    await expect(db.tx((q) => q.query(`insert into m_victimas (folio_sintra, institucion_id, ambito) values ('RLS-X3', 'FGR', 'FEDERAL')`), agg)).rejects.toThrow(/row-level security|seguridad/i);
    expect((await db.query<{ n: number }>(`select count(*)::int as n from m_victimas`))[0].n).toBe(ALL.length * 2);
    // Its own insert is allowed.
    await db.tx((q) => q.query(`insert into m_convenios (folio_sintra, institucion_id, ambito) values ('RLS-X2', 'FGR', 'FEDERAL')`), s);
    expect((await db.query(`select 1 from m_convenios where folio_sintra = 'RLS-X2'`)).length).toBe(1);
  });

  it('runs as the unprivileged role only inside the transaction; sessions and password hashes are out of its reach', async () => {
    const db = env.ctx.db;
    const who = await db.tx(async (q) => (await q.query<{ u: string }>('select current_user as u'))[0].u, scope('nacional', 'SEGOB'));
    expect(who).toBe('sintra_app');
    const after = (await db.query<{ u: string; su: boolean }>(`select current_user as u, (select rolsuper from pg_roles where rolname = current_user) as su`))[0];
    expect(after.u).not.toBe('sintra_app');
    await expect(db.tx((q) => q.query('select token_hash from session'), scope('nacional', 'SEGOB'))).rejects.toThrow(/permission denied|permiso/i);
    await expect(db.tx((q) => q.query('select password_hash from app_user'), scope('nacional', 'SEGOB'))).rejects.toThrow(/permission denied|permiso/i);
    await expect(db.tx((q) => q.query(`update audit_log set action = 'x'`), scope('nacional', 'SEGOB'))).rejects.toThrow();
    // The deliberate escape (record-reference lookups) lifts the policies only for its callback.
    const counts = await db.tx(async (q) => {
      const inside = (await withoutRowSecurity(q, () => q.query<{ n: number }>('select count(*)::int as n from m_instrumentos')))[0].n;
      const back = (await q.query<{ n: number }>('select count(*)::int as n from m_instrumentos'))[0].n;
      return { inside, back };
    }, scope('institucional', 'SRE'));
    expect(counts).toEqual({ inside: ALL.length * 2, back: 2 });
  });

  it('the app role exists once per server and the migration can run again against it (roles are cluster-wide)', async () => {
    const roles = await env.ctx.db.query<{ n: number; su: boolean; login: boolean }>(
      `select count(*)::int as n, bool_or(rolsuper) as su, bool_or(rolcanlogin) as login from pg_roles where rolname = 'sintra_app'`,
    );
    expect(roles[0]).toEqual({ n: 1, su: false, login: false });
    // One policy per command on every module table and on attachments.
    const policies = await env.ctx.db.query<{ t: string; cmds: string }>(
      `select tablename as t, string_agg(cmd, ',' order by cmd) as cmds from pg_policies where policyname like 'sintra_%' and 'sintra_app' = any(roles) group by 1 order by 1`,
    );
    expect(policies.map((p) => p.t).sort()).toEqual([...TABLES].sort());
    for (const p of policies) expect(p.cmds, p.t).toBe('DELETE,INSERT,SELECT,UPDATE');
  });
});
