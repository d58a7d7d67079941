// Training data (`sintra demo seed/reset`): every seeded record passes the module rules, victims follow the
// SESNSP figures, the same seed gives the same data, and reset is refused outside training.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { METADATA_FIELDS } from '../../src/modules/metadata.js';
import { ROLES, type Actor } from '../../src/server/auth/actor.js';
import { loadConfig } from '../../src/server/config.js';
import { tableName } from '../../src/server/db/schema.js';
import { demoCommand, demoRefusal } from '../../src/server/demo/commands.js';
import { seedDemo, wipeDemo, type SeedResult } from '../../src/server/demo/seed.js';
import { dataColumns, RecordService, selectList } from '../../src/server/records/service.js';
import { dbKinds, setup, type TestEnv } from '../helpers.js';

const N = 30;

describe('demo: refusals', () => {
  it('reset and seed are refused outside training, reset also without the flag', async () => {
    expect(demoRefusal({ SINTRA_AMBIENTE: 'produccion' }, 'reset', ['--yes-reset-training'])).toMatch(/capacitaci/);
    expect(demoRefusal({ SINTRA_AMBIENTE: 'produccion' }, 'seed', [])).toMatch(/SINTRA_AMBIENTE=capacitacion/);
    expect(demoRefusal({ SINTRA_AMBIENTE: 'capacitacion' }, 'reset', [])).toMatch(/--yes-reset-training/);
    expect(demoRefusal({ SINTRA_AMBIENTE: 'capacitacion' }, 'reset', ['--yes-reset-training'])).toBeNull();
    // The command itself stops before opening any database.
    const config = loadConfig({ SINTRA_AMBIENTE: 'produccion', SINTRA_DATA_DIR: '/nonexistent-not-used', LOG_LEVEL: 'silent' });
    const err = console.error;
    console.error = () => undefined;
    try {
      expect(await demoCommand(config, ['reset', '--yes-reset-training'])).toBe(2);
    } finally {
      console.error = err;
    }
  });
});

describe.each(dbKinds())('demo seed (%s)', (kind) => {
  let env: TestEnv;
  let first: SeedResult;

  /** Every record's data (without ids, folios' numbers and attachment ids), in a stable order. */
  async function snapshot() {
    const out: Record<string, unknown[]> = {};
    for (const m of MODULES) {
      const cols = dataColumns(m).filter((k) => m.fields.find((f) => f.key === k)?.type !== 'archivo');
      const rows = await env.ctx.db.query<Record<string, unknown>>(
        `select institucion_id, estatus, ${cols.map((c) => `"${c}"`).join(', ')} from ${tableName(m.key)} order by folio_sintra`,
      );
      out[m.key] = rows.map((r) => JSON.stringify(r));
    }
    return out;
  }

  beforeAll(async () => {
    env = await setup(kind, { SINTRA_AMBIENTE: 'capacitacion' });
    first = await seedDemo(env.ctx, { records: N, seed: 11 });
  }, 600_000);
  afterAll(async () => env?.close());

  it('creates users of every role, institutions of every state and records of the 12 modules', async () => {
    expect(new Set(first.users.map((u) => u.role))).toEqual(new Set(ROLES));
    expect(first.institutions).toBe(96);
    const per = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from institucion where codigo ~ '^E[0-9]{2}-'`);
    expect(per[0].n).toBe(96);
    for (const m of MODULES) {
      const r = await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)}`);
      expect(r[0].n, m.key).toBeGreaterThan(0);
    }
    const total = await Promise.all(MODULES.map((m) => env.ctx.db.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)}`)));
    expect(total.reduce((s, r) => s + r[0].n, 0)).toBe(N);
    const st = await env.ctx.db.query<{ estatus: string }>(
      MODULES.map((m) => `select estatus from ${tableName(m.key)}`).join(' union '),
    );
    expect(new Set(st.map((r) => r.estatus))).toEqual(new Set(['borrador', 'enviado', 'validado', 'devuelto']));
    // Users sign in with the printed password (admin roles then enrol their second factor).
    const login = await env.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'cap.consulta', password: first.password } });
    expect(login.statusCode).toBe(200);
  });

  it('every seeded record passes the module rules (no error, nothing pending)', async () => {
    const svc = new RecordService(env.ctx);
    const u = (await env.ctx.db.query<{ id: string }>(`select id from app_user where username = 'cap.validador'`))[0];
    const actor: Actor = {
      id: u.id, username: 'cap.validador', nombre: null, role: 'validador', institucion_id: 'SEGOB', institucion_nombre: 'SEGOB',
      institucion_ambito: 'FEDERAL', institucion_entidad: null, entidad: null, mustChangePassword: false, ip: '127.0.0.1',
    };
    let checked = 0;
    for (const m of MODULES) {
      const rows = await env.ctx.db.query<Record<string, unknown>>(`select ${selectList(m)} from ${tableName(m.key)} r`);
      for (const row of rows) {
        const existing = { id: row.id as string, institucion_id: row.institucion_id as string, created_at: String(row.created_at) };
        // The stored values of the definition's fields, as a client would send them back.
        const body = Object.fromEntries([...METADATA_FIELDS.map((f) => f.key), ...dataColumns(m)].map((k) => [k, row[k]]));
        const c = await env.ctx.db.tx((q) => svc.check(q, actor, m, body, existing));
        expect([...c.errors, ...c.pending], `${m.key} ${String(row.folio_sintra)}`).toEqual([]);
        checked++;
      }
    }
    expect(checked).toBe(N);
  });

  it("victims' state, sex and age group come from cells of the SESNSP figures", async () => {
    const victims = await env.ctx.db.query<{ sexo: string; grupo_edad: string; entidad_captacion: string; institucion_id: string }>(
      'select sexo, grupo_edad, entidad_captacion, institucion_id from m_victimas',
    );
    expect(victims.length).toBeGreaterThan(0);
    const cells = new Set(
      (await env.ctx.db.query<{ k: string }>(`select entidad || '|' || sexo || '|' || grupo_edad as k from incidencia_victimas group by 1 having sum(victimas) > 0`)).map((r) => r.k),
    );
    const adult = new Set(['E18_24', 'E25_29', 'E30_39', 'E40_49', 'E50_59', 'E60_MAS']);
    for (const v of victims) {
      const sexo = v.sexo === 'NE' ? 'NO_IDENTIFICADO' : v.sexo;
      const grupos = v.grupo_edad === 'NE' ? ['NO_ESPECIFICADO', 'NO_IDENTIFICADO'] : [adult.has(v.grupo_edad) ? 'ADULTO' : 'MENOR'];
      expect(grupos.some((g) => cells.has(`${v.entidad_captacion}|${sexo}|${g}`)), JSON.stringify(v)).toBe(true);
      // Registered by an institution of the same state.
      expect(v.institucion_id.slice(1, 3)).toBe(v.entidad_captacion);
    }
  });

  it('reset then the same seed gives the same data', async () => {
    const before = await snapshot();
    await wipeDemo(env.ctx);
    for (const m of MODULES) expect((await env.ctx.db.query<{ n: number }>(`select count(*)::int as n from ${tableName(m.key)}`))[0].n).toBe(0);
    const again = await seedDemo(env.ctx, { records: N, seed: 11 });
    expect(again.users.map((u) => u.username)).toEqual(first.users.map((u) => u.username));
    expect(await snapshot()).toEqual(before);
  }, 600_000);
});
