// Durability: the real server as a child process, concurrent creates over HTTP, SIGKILL mid-way, restart.
// Every record whose 201 arrived must be there, none half-written, each with its audit entry, chain intact.
// Small here (2 rounds, a few hundred writes); `npm run crash-test` runs it bigger.
import { afterAll, describe, expect, it } from 'vitest';
import { runCrashTest, scratchDatabase } from '../../scripts/crash-test.js';
import { dbKinds } from '../helpers.js';

describe.each(dbKinds())('durabilidad ante SIGKILL (%s)', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('ninguna escritura confirmada se pierde ni queda a medias', async () => {
    let url: string | undefined;
    if (kind === 'postgresql') {
      const s = await scratchDatabase(process.env.TEST_DATABASE_URL!);
      cleanups.push(s.drop);
      url = s.url;
    }
    const r = await runCrashTest({ db: kind, url, rounds: 2, writes: 120, concurrency: 8, log: () => undefined });
    expect(r.rounds).toHaveLength(2);
    expect(r.acknowledged).toBeGreaterThanOrEqual(240);
    expect(r.lost).toEqual([]);
    expect(r.acknowledgedFound).toBe(r.acknowledged);
    expect(r.halfWritten).toEqual([]);
    expect(r.auditProblems).toEqual([]);
    expect(r.chainOk).toBe(true);
    // PGlite's relaxed durability stays off: every commit is written before its answer.
    expect(r.durability.synchronous_commit).toBe('on');
    console.log(`durabilidad ${kind}: ${r.sent} enviadas, ${r.acknowledged} confirmadas, ${r.acknowledgedFound} encontradas, ${r.committedUnacknowledged} guardadas sin confirmar`);
  }, 900_000);
});
