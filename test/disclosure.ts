// An attacker for published tables, written for the tests and independent of the server's suppression
// code. From what a table shows — cells, row and column totals, the grand total, zeros as zeros, each
// hidden entry at least 1 — it works out, by linear programming, the smallest and largest value every
// hidden entry can take. A hidden entry whose range is a single value has been recovered.
// (The constraint matrices of these tables are totally unimodular, so the LP bounds are integer bounds.)
import { createHash } from 'node:crypto';
import { expect } from 'vitest';

export type Shown = number | string;
export interface PublishedTable {
  rows: string;
  cols: string | null;
  cells: { row: string; col: string | null; value: Shown }[];
  rowTotals: Record<string, Shown>;
  colTotals: Record<string, Shown>;
  total: Shown;
}

const EPS = 1e-9;

/** min c·y subject to A y = b, y ≥ 0 (two-phase simplex, Bland's rule). -Infinity if unbounded, NaN if infeasible. */
export function lpMin(A: number[][], b: number[], c: number[]): number {
  const m = A.length;
  const n = c.length;
  if (m === 0) return c.some((x) => x < -EPS) ? -Infinity : 0;
  // Tableau rows: [A | artificials | rhs], rhs made non-negative.
  const T = A.map((row, i) => {
    const s = b[i] < 0 ? -1 : 1;
    const r = new Array(n + m + 1).fill(0);
    for (let j = 0; j < n; j++) r[j] = s * row[j];
    r[n + i] = 1;
    r[n + m] = s * b[i];
    return r;
  });
  const basis = Array.from({ length: m }, (_, i) => n + i);
  const W = n + m;
  const pivot = (obj: number[], r: number, k: number) => {
    const pr = T[r];
    const pv = pr[k];
    for (let j = 0; j <= W; j++) pr[j] /= pv;
    for (let i = 0; i < m; i++) {
      if (i === r) continue;
      const f = T[i][k];
      if (Math.abs(f) > EPS) for (let j = 0; j <= W; j++) T[i][j] -= f * pr[j];
    }
    const f = obj[k];
    if (Math.abs(f) > EPS) for (let j = 0; j <= W; j++) obj[j] -= f * pr[j];
    basis[r] = k;
  };
  const run = (obj: number[], allowed: (j: number) => boolean): 'optimal' | 'unbounded' => {
    for (let iter = 0; iter < 10_000; iter++) {
      let k = -1;
      for (let j = 0; j < W; j++)
        if (allowed(j) && obj[j] < -EPS) {
          k = j;
          break;
        }
      if (k < 0) return 'optimal';
      let r = -1;
      let best = Infinity;
      for (let i = 0; i < m; i++) {
        if (T[i][k] > EPS) {
          const ratio = T[i][W] / T[i][k];
          if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i] < basis[r])) {
            best = ratio;
            r = i;
          }
        }
      }
      if (r < 0) return 'unbounded';
      pivot(obj, r, k);
    }
    throw new Error('simplex: demasiadas iteraciones');
  };
  // Phase 1: minimise the sum of the artificials.
  const p1 = new Array(W + 1).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j <= W; j++) if (j < n || j === W) p1[j] -= T[i][j];
  run(p1, () => true);
  if (-p1[W] > 1e-7) return NaN;
  // Drive artificials at zero out of the basis where an original column can replace them.
  for (let i = 0; i < m; i++) {
    if (basis[i] < n) continue;
    const k = T[i].findIndex((v, j) => j < n && Math.abs(v) > EPS);
    if (k >= 0) pivot(new Array(W + 1).fill(0), i, k);
  }
  // Phase 2.
  const obj = new Array(W + 1).fill(0);
  for (let j = 0; j < n; j++) obj[j] = c[j];
  for (let i = 0; i < m; i++) {
    const cb = basis[i] < n ? c[basis[i]] : 0;
    if (Math.abs(cb) > EPS) for (let j = 0; j <= W; j++) obj[j] -= cb * T[i][j];
  }
  if (run(obj, (j) => j < n) === 'unbounded') return -Infinity;
  return -obj[W];
}

export interface Recovery {
  entry: string;
  min: number;
  max: number;
}

/**
 * Bounds of every hidden entry of a published table. `isHidden` tells the marker of suppressed values.
 * Returns one range per hidden entry, keyed `cell:row|col`, `row:code`, `col:code` or `total`.
 */
export function hiddenRanges(
  t: PublishedTable,
  isHidden: (v: Shown) => boolean,
  want: (entry: string) => boolean = () => true,
  /** Least value of a hidden entry: 1 (zeros are shown), or 0 where an empty entry may be hidden. */
  lowerOf: (entry: string) => number = () => 1,
): Map<string, { min: number; max: number }> {
  const twoWay = t.cols !== null;
  const vars: string[] = [];
  const varIdx = new Map<string, number>();
  const v = (key: string) => {
    if (!varIdx.has(key)) {
      varIdx.set(key, vars.length);
      vars.push(key);
    }
    return varIdx.get(key)!;
  };
  type Term = { key: string; shown: Shown };
  // A line: members add up to the margin.
  const lines: { members: Term[]; margin: Term }[] = [];
  const cellKey = (r: string, c: string | null) => `cell:${r}\u0001${c}`;
  if (twoWay) {
    const rows = new Map<string, Term[]>();
    const cols = new Map<string, Term[]>();
    for (const c of t.cells) {
      const term = { key: cellKey(c.row, c.col), shown: c.value };
      rows.set(c.row, [...(rows.get(c.row) ?? []), term]);
      cols.set(String(c.col), [...(cols.get(String(c.col)) ?? []), term]);
    }
    for (const [r, members] of rows) lines.push({ members, margin: { key: `row:${r}`, shown: t.rowTotals[r] } });
    for (const [c, members] of cols) lines.push({ members, margin: { key: `col:${c}`, shown: t.colTotals[c] } });
    lines.push({ members: Object.entries(t.rowTotals).map(([k, s]) => ({ key: `row:${k}`, shown: s })), margin: { key: 'total', shown: t.total } });
    lines.push({ members: Object.entries(t.colTotals).map(([k, s]) => ({ key: `col:${k}`, shown: s })), margin: { key: 'total', shown: t.total } });
  } else {
    // One-way: a row total is its only cell.
    lines.push({ members: t.cells.map((c) => ({ key: cellKey(c.row, null), shown: c.value })), margin: { key: 'total', shown: t.total } });
  }
  const eqs: { coef: Map<number, number>; rhs: number }[] = [];
  for (const l of lines) {
    const coef = new Map<number, number>();
    let rhs = 0;
    for (const m of l.members) {
      if (isHidden(m.shown)) coef.set(v(m.key), (coef.get(v(m.key)) ?? 0) + 1);
      else rhs -= Number(m.shown);
    }
    if (isHidden(l.margin.shown)) coef.set(v(l.margin.key), (coef.get(v(l.margin.key)) ?? 0) - 1);
    else rhs += Number(l.margin.shown);
    if (coef.size) eqs.push({ coef, rhs });
  }
  const out = new Map<string, { min: number; max: number }>();
  if (!vars.length) return out;
  // Independent components (variables linked by equations) are solved apart: small LPs.
  const parent = vars.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const e of eqs) {
    const ks = [...e.coef.keys()];
    for (const k of ks.slice(1)) parent[find(k)] = find(ks[0]);
  }
  const groups = new Map<number, number[]>();
  vars.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  for (const members of groups.values()) {
    const local = new Map(members.map((g, i) => [g, i]));
    const sub = eqs.filter((e) => [...e.coef.keys()].some((k) => local.has(k)));
    // x = lo + y, y ≥ 0.
    const los = members.map((g) => lowerOf(vars[g]));
    const A = sub.map((e) => {
      const row = new Array(members.length).fill(0);
      for (const [k, c] of e.coef) row[local.get(k)!] = c;
      return row;
    });
    const b = sub.map((e, i) => e.rhs - A[i].reduce((s, c, k) => s + c * los[k], 0));
    members.forEach((g, i) => {
      if (!want(vars[g])) return;
      const c = new Array(members.length).fill(0);
      c[i] = 1;
      const lo = lpMin(A, b, c);
      c[i] = -1;
      const hi = lpMin(A, b, c);
      out.set(vars[g], { min: los[i] + lo, max: hi === -Infinity ? Infinity : los[i] - hi });
    });
  }
  return out;
}

/** Hidden entries whose value the attacker pins down exactly. */
export function recovered(t: PublishedTable, isHidden: (v: Shown) => boolean): Recovery[] {
  const out: Recovery[] = [];
  for (const [entry, r] of hiddenRanges(t, isHidden)) {
    if (Number.isNaN(r.min) || Number.isNaN(r.max)) throw new Error(`tabla inconsistente: ${entry}`);
    if (Math.ceil(r.min - 1e-7) >= Math.floor(r.max + 1e-7)) out.push({ entry, min: r.min, max: r.max });
  }
  return out;
}

/** The value of an entry (cell:r|c, row:k, col:k, total) in an exact table. */
export function exactOf(t: PublishedTable, entry: string): number {
  if (entry === 'total') return Number(t.total);
  if (entry.startsWith('row:')) return Number(t.rowTotals[entry.slice(4)] ?? 0);
  if (entry.startsWith('col:')) return Number(t.colTotals[entry.slice(4)] ?? 0);
  const [r, c] = entry.slice(5).split('\u0001');
  const cell = t.cells.find((x) => x.row === r && String(x.col) === c);
  return Number(cell?.value ?? 0);
}

/** Everything a suppressed table must satisfy, against the exact table it hides. */
/** Noise of the cell-key method as the README states it, written again here from that statement. */
const NOISE_STEPS: [number, number][] = [[0.1, -2], [0.3, -1], [0.7, 0], [0.9, 1], [1, 2]];
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
/** The cell key of a set of records: the sum of the first 32 bits of the md5 of each id, modulo 2^32. */
export function cellKeyOf(ids: string[]): number {
  let k = 0n;
  for (const id of ids) k += BigInt(`0x${createHash('md5').update(id).digest('hex').slice(0, 8)}`);
  return Number(k % 2n ** 32n);
}
/** What a perturbed answer must show for an exact count n of the records `ids` (n = ids.length for counts). */
export function expectedPerturbed(n: number, ids: string[], T: number): number {
  const key = cellKeyOf(ids);
  const u = fmix32(key >>> 0) / 2 ** 32;
  const noise = NOISE_STEPS.find(([p]) => u < p)![1];
  return Math.max(T, n + noise);
}

/** The largest difference a perturbed figure may have from the exact one. */
export const MAX_NOISE = 2;

/**
 * Checks a protected table against the exact one. A perturbed table (suppression.perturbed) shows figures
 * within ±2 of the truth; its hidden entries are then attacked as if the attacker knew the exact value of
 * every shown figure (a stronger attacker than one who sees the noise).
 */
export function checkProtected(
  pub: PublishedTable & { records?: unknown; suppression?: object | null },
  exact: PublishedTable & { records?: unknown },
  T: number,
  label: string,
  /** groups: the server's small-group rules (tables and lines of fewer than T persons); off for bare suppress(). */
  opts: { groups?: boolean } = {},
): { hidden: number } {
  const groups = opts.groups ?? true;
  const perturbed = !!(pub.suppression as { perturbed?: boolean } | null | undefined)?.perturbed;
  const tag = `<${T}`;
  const isHidden = (v: unknown) => v === tag;
  const shown = (v: unknown) => typeof v === 'number';
  // No count under the threshold is shown, anywhere.
  const small = (v: unknown) => shown(v) && (v as number) > 0 && (v as number) < T;
  for (const c of pub.cells) expect(small(c.value), `${label} celda ${c.row}|${c.col}`).toBe(false);
  for (const t of [pub.rowTotals, pub.colTotals]) for (const [k, v] of Object.entries(t)) expect(small(v), `${label} total ${k}`).toBe(false);
  expect(small(pub.total), `${label} total`).toBe(false);
  if (pub.records !== undefined) expect(small(pub.records), `${label} registros`).toBe(false);
  // A table of fewer than T persons shows no category at all.
  const exactRecords = Number(exact.records ?? exact.total);
  if (groups && exactRecords > 0 && exactRecords < T) {
    expect(pub.cells, `${label}: tabla de menos de ${T} personas`).toEqual([]);
    expect((pub.suppression as { withheld?: boolean } | null)?.withheld, label).toBe(true);
    return { hidden: 0 };
  }
  if ((pub.suppression as { withheld?: boolean } | null)?.withheld) {
    expect(pub.cells, label).toEqual([]);
    return { hidden: 0 };
  }
  // What is shown is true; hidden values are the marker and nothing else.
  const e = new Map(exact.cells.map((c) => [`${c.row}\u0001${c.col}`, c.value]));
  const p = new Map(pub.cells.map((c) => [`${c.row}\u0001${c.col}`, c.value]));
  for (const k of e.keys()) expect(p.has(k), `${label}: falta ${k}`).toBe(true);
  const smallLine = (n: unknown) => Number(n ?? 0) < T;
  const rowOf = (k: string) => k.split('\u0001')[0];
  const colOf = (k: string) => k.split('\u0001')[1];
  // Cells that are empty in truth appear only as "<T", in a row or column of fewer than T persons.
  for (const [k, v] of p)
    if (!e.has(k)) {
      expect(v, `${label} ${k} vacía`).toBe(tag);
      expect(smallLine(exact.rowTotals[rowOf(k)]) || (exact.cols !== null && smallLine(exact.colTotals[colOf(k)])), `${label} ${k} vacía fuera de una línea pequeña`).toBe(true);
    }
  // No attribute of a small group: a row (column) of 1 to T−1 persons is "<T" in every column (row) shown.
  if (groups && exact.cols !== null) {
    const shownCols = Object.keys(pub.colTotals);
    const shownRows = Object.keys(pub.rowTotals);
    for (const [r, n] of Object.entries(exact.rowTotals))
      if (Number(n) > 0 && Number(n) < T) for (const c of shownCols) expect(p.get(`${r}\u0001${c}`), `${label}: fila pequeña ${r} × ${c}`).toBe(tag);
    for (const [c, n] of Object.entries(exact.colTotals))
      if (Number(n) > 0 && Number(n) < T) for (const r of shownRows) expect(p.get(`${r}\u0001${c}`), `${label}: columna pequeña ${c} × ${r}`).toBe(tag);
  }
  const same = (v: Shown, truth: Shown | undefined, what: string) => {
    if (!perturbed || v === 0) return expect(v, what).toBe(truth);
    expect(Math.abs((v as number) - (truth as number)), `${what}: ${v} frente a ${truth}`).toBeLessThanOrEqual(MAX_NOISE);
  };
  for (const [k, v] of p) if (!isHidden(v)) same(v, e.get(k), `${label} ${k}`);
  for (const [pt, et] of [[pub.rowTotals, exact.rowTotals], [pub.colTotals, exact.colTotals]] as const)
    for (const [k, v] of Object.entries(pt)) if (!isHidden(v)) same(v, et[k], `${label} total ${k}`);
  if (!isHidden(pub.total)) same(pub.total, exact.total, `${label} total`);
  // The attacker: no hidden entry under the threshold is pinned down; every range contains the truth.
  // Bounds of every hidden entry under the threshold (the ones to protect), from exact shown figures.
  // The attacker is also told which hidden entries are empty (they are shown as 0 to it): it knows more than
  // any reader, so what it cannot pin down, no reader can.
  const known = (v: Shown, truth: Shown | undefined): Shown => (isHidden(v) ? (Number(truth ?? 0) === 0 ? 0 : v) : perturbed ? (truth as Shown) : v);
  const view: PublishedTable = {
    ...pub,
    cells: pub.cells.map((c) => ({ ...c, value: known(c.value, e.get(`${c.row}\u0001${c.col}`)) })),
    rowTotals: Object.fromEntries(Object.entries(pub.rowTotals).map(([k, v]) => [k, known(v, exact.rowTotals[k])])),
    colTotals: Object.fromEntries(Object.entries(pub.colTotals).map(([k, v]) => [k, known(v, exact.colTotals[k])])),
    total: known(pub.total, exact.total),
  };
  const ranges = hiddenRanges(view, isHidden, (entry) => exactOf(exact, entry) < T && exactOf(exact, entry) > 0);
  for (const [entry, r] of ranges) {
    const truth = exactOf(exact, entry);
    expect(truth, `${label} ${entry} fuera de su rango`).toBeGreaterThanOrEqual(r.min - 1e-6);
    expect(truth, `${label} ${entry} fuera de su rango`).toBeLessThanOrEqual(r.max + 1e-6);
  }
  const leaks = [...ranges].filter(([, r]) => Math.ceil(r.min - 1e-7) >= Math.floor(r.max + 1e-7)).map(([e]) => e);
  expect(leaks, `${label}: cifras pequeñas deducibles`).toEqual([]);
  // The server promises more than "not exactly": every small hidden entry keeps at least three possible
  // values (two when T ≤ 3), so "<5" cannot be narrowed to "1 or 2".
  const width = Math.max(1, Math.min(2, T - 2));
  const narrow = [...ranges].filter(([entry, r]) => exactOf(exact, entry) < T && Math.floor(r.max + 1e-7) - Math.ceil(r.min - 1e-7) < width);
  expect(narrow.map(([e, r]) => `${e} ∈ [${r.min}, ${r.max}]`), `${label}: rangos demasiado estrechos`).toEqual([]);
  // A reader who does not know which hidden entries are empty cannot tell that an empty one is: each keeps a
  // range as wide as a small count's (what a small group does not have stays unknown).
  const hiddenEmpty = (entry: string) => exactOf(exact, entry) === 0;
  const exactShown: PublishedTable = { ...view, cells: pub.cells.map((c) => ({ ...c, value: isHidden(c.value) ? c.value : view.cells.find((x) => x.row === c.row && x.col === c.col)!.value })) };
  exactShown.rowTotals = Object.fromEntries(Object.entries(pub.rowTotals).map(([k, v]) => [k, isHidden(v) ? v : view.rowTotals[k]]));
  exactShown.colTotals = Object.fromEntries(Object.entries(pub.colTotals).map(([k, v]) => [k, isHidden(v) ? v : view.colTotals[k]]));
  exactShown.total = isHidden(pub.total) ? pub.total : view.total;
  const zeroRanges = hiddenRanges(exactShown, isHidden, hiddenEmpty, (entry) => (hiddenEmpty(entry) ? 0 : 1));
  const exposed = [...zeroRanges].filter(([, r]) => Math.floor(r.max + 1e-7) - Math.ceil(r.min - 1e-7) < width);
  expect(exposed.map(([e, r]) => `${e} ∈ [${r.min}, ${r.max}]`), `${label}: celdas vacías de grupos pequeños deducibles`).toEqual([]);
  return { hidden: [...pub.cells.map((c) => c.value), ...Object.values(pub.rowTotals), ...Object.values(pub.colTotals), pub.total].filter(isHidden).length };
}

