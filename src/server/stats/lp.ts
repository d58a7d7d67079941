// A small dense simplex for the disclosure audit (suppression.ts): minimise c·y subject to A·y = b, y ≥ 0.
// The audit's systems are one component of hidden entries of one table (at most a few hundred unknowns and
// about a hundred lines), and it asks many objectives of the same constraints, so the tableau is kept: phase 1
// runs once, and each objective starts phase 2 from the basis the previous one ended in (a warm start: a few
// pivots instead of a fresh solve). Dantzig's rule picks the entering column, Bland's rule takes over while
// pivots are degenerate, so it never cycles.

const EPS = 1e-9;

export type LpOutcome = { status: 'optimal'; value: number; y: Float64Array } | { status: 'unbounded' } | { status: 'infeasible' };

export class Lp {
  readonly feasible: boolean;
  private readonly m: number;
  private readonly n: number;
  private readonly width: number;
  private readonly rows: Float64Array[];
  private readonly basis: Int32Array;

  constructor(A: readonly (readonly number[])[], b: readonly number[]) {
    const m = (this.m = A.length);
    const n = (this.n = A[0]?.length ?? 0);
    const width = (this.width = n + m); // originals, then one artificial per row; rhs at index width
    this.rows = A.map((a, i) => {
      const sign = b[i] < 0 ? -1 : 1;
      const r = new Float64Array(width + 1);
      for (let j = 0; j < n; j++) r[j] = sign * a[j];
      r[n + i] = 1;
      r[width] = sign * b[i];
      return r;
    });
    this.basis = Int32Array.from({ length: m }, (_, i) => n + i);
    // Phase 1: minimise the artificials' sum.
    const z1 = new Float64Array(width + 1);
    for (const r of this.rows) {
      for (let j = 0; j < n; j++) z1[j] -= r[j];
      z1[width] -= r[width];
    }
    this.run(z1, width);
    this.feasible = -z1[width] <= 1e-7;
    if (!this.feasible) return;
    // Artificials still basic (at zero) leave for an original column where the row has one; the others belong
    // to redundant rows and stay at zero, since phase 2 never lets an artificial enter.
    const dummy = new Float64Array(width + 1);
    for (let i = 0; i < m; i++) {
      if (this.basis[i] < n) continue;
      for (let j = 0; j < n; j++)
        if (Math.abs(this.rows[i][j]) > EPS) {
          this.pivot(dummy, i, j);
          break;
        }
    }
  }

  /** Minimises c·y from the current basis; the basis it ends in is where the next objective starts. */
  minimize(c: ArrayLike<number>): LpOutcome {
    if (!this.feasible) return { status: 'infeasible' };
    const { m, n, width, rows, basis } = this;
    const z = new Float64Array(width + 1);
    for (let j = 0; j < n; j++) z[j] = c[j];
    for (let i = 0; i < m; i++) {
      const cb = basis[i] < n ? c[basis[i]] : 0;
      if (cb !== 0) {
        const r = rows[i];
        for (let j = 0; j <= width; j++) z[j] -= cb * r[j];
      }
    }
    if (!this.run(z, n)) return { status: 'unbounded' };
    const y = new Float64Array(n);
    for (let i = 0; i < m; i++) if (basis[i] < n) y[basis[i]] = rows[i][width];
    return { status: 'optimal', value: -z[width], y };
  }

  private pivot(z: Float64Array, pr: number, pc: number): void {
    const { m, width, rows } = this;
    const p = rows[pr];
    const d = p[pc];
    for (let j = 0; j <= width; j++) p[j] /= d;
    for (let i = 0; i < m; i++) {
      if (i === pr) continue;
      const r = rows[i];
      const f = r[pc];
      if (f > EPS || f < -EPS) for (let j = 0; j <= width; j++) r[j] -= f * p[j];
    }
    const f = z[pc];
    if (f > EPS || f < -EPS) for (let j = 0; j <= width; j++) z[j] -= f * p[j];
    this.basis[pr] = pc;
  }

  /** Runs to optimality over columns < limit; false when unbounded. */
  private run(z: Float64Array, limit: number): boolean {
    const { m, width, rows, basis } = this;
    let degenerate = false;
    for (let guard = 0; guard < 100_000; guard++) {
      let pc = -1;
      if (degenerate) {
        for (let j = 0; j < limit; j++)
          if (z[j] < -EPS) {
            pc = j;
            break;
          }
      } else {
        let most = -EPS;
        for (let j = 0; j < limit; j++)
          if (z[j] < most) {
            most = z[j];
            pc = j;
          }
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
      degenerate = best <= EPS;
      this.pivot(z, pr, pc);
    }
    throw new Error('simplex sin convergencia');
  }
}

export function minimize(A: readonly (readonly number[])[], b: readonly number[], c: readonly number[]): LpOutcome {
  if (A.length === 0) return c.some((x) => x < -EPS) ? { status: 'unbounded' } : { status: 'optimal', value: 0, y: new Float64Array(c.length) };
  return new Lp(A, b).minimize(c);
}
