// A small dense simplex for the disclosure audit (suppression.ts): minimise c·y subject to A·y = b, y ≥ 0.
// The audit's systems are small (one component of hidden entries of one table), so a two-phase tableau
// with Bland's rule is enough and never cycles.

const EPS = 1e-9;

export type LpOutcome = { status: 'optimal'; value: number } | { status: 'unbounded' } | { status: 'infeasible' };

export function minimize(A: readonly (readonly number[])[], b: readonly number[], c: readonly number[]): LpOutcome {
  return minimizeMany(A, b, [c])[0];
}

/**
 * Several objectives over the same constraints: phase 1 (finding a feasible basis) runs once, then each
 * objective starts phase 2 from a copy of that basis (the audit asks for the least and greatest value of
 * every small entry of a component).
 */
export function minimizeMany(A: readonly (readonly number[])[], b: readonly number[], objectives: readonly (readonly number[])[]): LpOutcome[] {
  const m = A.length;
  const n = objectives[0]?.length ?? 0;
  if (m === 0) return objectives.map((c) => (c.some((x) => x < -EPS) ? { status: 'unbounded' } : { status: 'optimal', value: 0 }));
  const width = n + m; // originals, then one artificial per row; rhs at index width
  const rows0: number[][] = A.map((a, i) => {
    const sign = b[i] < 0 ? -1 : 1;
    const r = new Array<number>(width + 1).fill(0);
    for (let j = 0; j < n; j++) r[j] = sign * a[j];
    r[n + i] = 1;
    r[width] = sign * b[i];
    return r;
  });
  const basis0 = rows0.map((_, i) => n + i);

  const pivot = (rows: number[][], basis: number[], z: number[], pr: number, pc: number) => {
    const p = rows[pr];
    const d = p[pc];
    for (let j = 0; j <= width; j++) p[j] /= d;
    for (let i = 0; i < m; i++) {
      if (i === pr) continue;
      const f = rows[i][pc];
      if (f > EPS || f < -EPS) for (let j = 0; j <= width; j++) rows[i][j] -= f * p[j];
    }
    const f = z[pc];
    if (f > EPS || f < -EPS) for (let j = 0; j <= width; j++) z[j] -= f * p[j];
    basis[pr] = pc;
  };

  /** Runs to optimality over columns < limit; false when unbounded. */
  const solve = (rows: number[][], basis: number[], z: number[], limit: number): boolean => {
    for (let guard = 0; guard < 50_000; guard++) {
      let pc = -1;
      for (let j = 0; j < limit; j++)
        if (z[j] < -EPS) {
          pc = j;
          break;
        }
      if (pc < 0) return true;
      let pr = -1;
      let best = Infinity;
      for (let i = 0; i < m; i++) {
        const a = rows[i][pc];
        if (a <= EPS) continue;
        const ratio = rows[i][width] / a;
        if (ratio < best - EPS || (ratio <= best + EPS && pr >= 0 && basis[i] < basis[pr])) {
          best = ratio;
          pr = i;
        }
      }
      if (pr < 0) return false;
      pivot(rows, basis, z, pr, pc);
    }
    throw new Error('simplex sin convergencia');
  };

  // Phase 1: minimise the artificials' sum.
  const z1 = new Array<number>(width + 1).fill(0);
  for (const r of rows0) {
    for (let j = 0; j < n; j++) z1[j] -= r[j];
    z1[width] -= r[width];
  }
  solve(rows0, basis0, z1, width);
  if (-z1[width] > 1e-7) return objectives.map(() => ({ status: 'infeasible' }));
  const dummy = new Array<number>(width + 1).fill(0);
  for (let i = 0; i < m; i++) {
    if (basis0[i] < n) continue;
    for (let j = 0; j < n; j++)
      if (Math.abs(rows0[i][j]) > EPS) {
        pivot(rows0, basis0, dummy, i, j);
        break;
      }
  }
  // Phase 2 for each objective, over the original columns, from the feasible basis.
  return objectives.map((c): LpOutcome => {
    const rows = rows0.map((r) => r.slice());
    const basis = basis0.slice();
    const z = new Array<number>(width + 1).fill(0);
    for (let j = 0; j < n; j++) z[j] = c[j];
    for (let i = 0; i < m; i++) {
      const cb = basis[i] < n ? c[basis[i]] : 0;
      if (cb !== 0) for (let j = 0; j <= width; j++) z[j] -= cb * rows[i][j];
    }
    if (!solve(rows, basis, z, n)) return { status: 'unbounded' };
    return { status: 'optimal', value: -z[width] };
  });
}
