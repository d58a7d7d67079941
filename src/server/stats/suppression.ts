// Disclosure control of published person counts (ARCHITECTURE §5, spec §4.3.4): primary suppression of
// counts 1..T-1 and complementary suppression so that no hidden entry can be worked out from what is shown.
//
// The table is seen with its margins: every row with its row total, every column with its column total,
// the row totals with the grand total and the column totals with the grand total are "lines" whose members
// add up to the line's margin. Everyone knows a hidden entry is at least 1 (zeros are shown). A line leaks
// when it has exactly one hidden entry (subtraction gives it), or when its margin is shown and its hidden
// members add up to so little that each is pinned down (e.g. two hidden cells and a shown total that
// leaves 2 for them: both are 1). The rule kept here: in every line with hidden entries, at least two are
// hidden and, when the margin is shown, what the hidden members add up to leaves each of them at least
// three possible values (a protection interval: the attacker cannot narrow "<5" to "1 or 2"). Hiding
// more than that costs the big cells the publication is for. Lines are repaired by hiding the smallest shown member,
// preferring one whose other line already has hidden entries (fewer cascades); margins are hidden only
// when a line cannot be repaired with members. Margin lines are repaired first, so a margin (e.g. the
// women of a period) tends to get the same treatment in every table that shows it. (A hidden margin counts
// in its margin line only by the part of it that is hidden in its own line.)
//
// Line rules do not see every combination of lines, so an audit follows: for every hidden entry under the
// threshold, a linear program over everything shown finds the least and the greatest value it can take;
// while one has fewer than three possible values, one more entry nearby is hidden and the audit runs again.
//
// Every suppressed entry, primary or complementary, is shown with the same marker "<T": a different marker
// for complementary cells would tell an attacker which hidden cells are the small ones.
import type { CellValue, StatsResult } from './crosstab.js';
import { Lp } from './lp.js';

interface Entry {
  value: number;
  margin: boolean;
  /** Least value a reader must assume for it when hidden: 1, or 0 for an empty entry hidden on purpose. */
  lo: number;
}

/**
 * Rows and columns of a small group (fewer than T persons): all their cells are hidden, empty ones included,
 * so that the table does not say which categories the group has. Rows or columns absent from the table
 * (empty here, small without the filters) are added, empty and hidden.
 */
export interface SmallLines {
  rows: string[];
  cols: string[];
}

interface Line {
  members: number[];
  margin: number;
}

export function suppressionTag(threshold: number): '<5' {
  return `<${threshold}` as '<5';
}

/** Width of the range every small hidden entry must keep (max − min): 2, i.e. three values (1 with T ≤ 3). */
export function protectionWidth(threshold: number): number {
  return Math.max(1, Math.min(2, threshold - 2));
}

export function suppress(r: StatsResult, threshold: number, small: SmallLines = { rows: [], cols: [] }): { primary: number; complementary: number } {
  const T = threshold;
  const W = protectionWidth(T);
  const twoWay = r.cols !== null;
  // The empty cells of small lines become entries of value 0 (and their margins, when absent).
  const forcedCells = new Set<string>();
  if (small.rows.length || small.cols.length) {
    const key = (row: string, col: string | null) => `${row}\u0001${col}`;
    const have = new Set(r.cells.map((c) => key(c.row, c.col)));
    const put = (row: string, col: string | null) => {
      forcedCells.add(key(row, col));
      if (!have.has(key(row, col))) {
        have.add(key(row, col));
        r.cells.push({ row, col, value: 0 });
      }
    };
    for (const k of small.rows) if (!(k in r.rowTotals)) r.rowTotals[k] = 0;
    if (twoWay) for (const k of small.cols) if (!(k in r.colTotals)) r.colTotals[k] = 0;
    if (!twoWay) for (const k of small.rows) put(k, null);
    else {
      for (const k of small.rows) for (const c of Object.keys(r.colTotals)) put(k, c);
      for (const c of small.cols) for (const k of Object.keys(r.rowTotals)) put(k, c);
    }
  }
  const entries: Entry[] = [];
  const add = (v: CellValue, margin: boolean, forced = false) => {
    const value = typeof v === 'number' ? v : 0;
    return entries.push({ value, margin, lo: forced && value === 0 ? 0 : 1 }) - 1;
  };
  const cellIdx = r.cells.map((c) => add(c.value, false, forcedCells.has(`${c.row}\u0001${c.col}`)));
  // One-way tables: a row total is the row's only cell, so they are one entry.
  const rowIdx = new Map<string, number>();
  const smallRows = new Set(small.rows);
  const smallCols = new Set(small.cols);
  if (twoWay) for (const [k, v] of Object.entries(r.rowTotals)) rowIdx.set(k, add(v, true, smallRows.has(k)));
  else r.cells.forEach((c, i) => rowIdx.set(c.row, cellIdx[i]));
  const colIdx = new Map<string, number>();
  if (twoWay) for (const [k, v] of Object.entries(r.colTotals)) colIdx.set(k, add(v, true, smallCols.has(k)));
  const totalIdx = add(r.total, true);

  const lines: Line[] = [];
  // Margin lines first (see above).
  lines.push({ members: [...new Set(rowIdx.values())], margin: totalIdx });
  if (twoWay) {
    lines.push({ members: [...colIdx.values()], margin: totalIdx });
    const byRow = new Map<string, number[]>();
    const byCol = new Map<string, number[]>();
    r.cells.forEach((c, i) => {
      byRow.set(c.row, [...(byRow.get(c.row) ?? []), cellIdx[i]]);
      byCol.set(String(c.col), [...(byCol.get(String(c.col)) ?? []), cellIdx[i]]);
    });
    for (const [k, members] of byRow) lines.push({ members, margin: rowIdx.get(k)! });
    for (const [k, members] of byCol) lines.push({ members, margin: colIdx.get(k)! });
  }
  const linesOf: number[][] = entries.map(() => []);
  /** The line in which an entry is the margin (for the margins of two-way tables). */
  const ownLine = new Map<number, number>();
  lines.forEach((l, li) => {
    for (const e of [...l.members, l.margin]) linesOf[e].push(li);
    if (li >= (twoWay ? 2 : 1)) ownLine.set(l.margin, li);
  });

  const hidden = new Uint8Array(entries.length);
  entries.forEach((e, i) => {
    if ((e.value > 0 && e.value < T) || e.lo === 0) hidden[i] = 1;
  });
  // Hidden small margins of small lines: already hidden by their value (1 … T−1).
  const hiddenIn = (li: number) => {
    const l = lines[li];
    let k = hidden[l.margin];
    for (const m of l.members) k += hidden[m];
    return k;
  };
  /** What of an entry's value is hidden (u) and its least possible value given that (μ). */
  const unknownPart = (e: number): { u: number; mu: number } => {
    const own = ownLine.get(e);
    if (own === undefined) return { u: entries[e].value, mu: entries[e].lo };
    let u = 0;
    let mu = 0;
    for (const m of lines[own].members)
      if (hidden[m]) {
        u += entries[m].value;
        mu += entries[m].lo;
      }
    return { u, mu };
  };

  const needsRepair = (l: Line): boolean => {
    let k = 0;
    let slack = 0;
    for (const m of l.members)
      if (hidden[m]) {
        k++;
        const p = unknownPart(m);
        slack += p.u - p.mu;
      }
    const mh = hidden[l.margin] === 1;
    if (k + (mh ? 1 : 0) === 0) return false;
    if (k + (mh ? 1 : 0) === 1) return true;
    return !mh && slack < W;
  };

  /** Hides one more entry of a line: a shown member, else its margin. */
  const repair = (li: number): boolean => {
    const l = lines[li];
    let best = -1;
    let bestKey: [number, number, number] = [2, 2, Infinity];
    for (const m of l.members) {
      if (hidden[m] || entries[m].value <= 0) continue;
      // Cells before margins; then one whose other line already has hidden entries; then the smallest.
      const others = linesOf[m].filter((x) => x !== li);
      const key: [number, number, number] = [entries[m].margin ? 1 : 0, others.some((x) => hiddenIn(x) > 0) ? 0 : 1, entries[m].value];
      if (key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
        best = m;
        bestKey = key;
      }
    }
    if (best < 0 && !hidden[l.margin] && entries[l.margin].value > 0) best = l.margin;
    if (best < 0) return false;
    hidden[best] = 1;
    return true;
  };

  const lineRules = () => {
    let changed = true;
    while (changed) {
      changed = false;
      for (let li = 0; li < lines.length; li++) {
        while (needsRepair(lines[li]) && repair(li)) changed = true;
      }
    }
  };

  lineRules();
  // Two readers are audited: one who knows which hidden entries are empty (the small counts must stay
  // uncertain to it), and one who does not (the empty entries of small lines must stay uncertain to it).
  const cleared = new Uint8Array(entries.length);
  const clearedZeros = new Uint8Array(entries.length);
  const anyForced = entries.some((e) => e.lo === 0);
  const knownZeros = () => {
    const h = hidden.slice();
    entries.forEach((e, i) => {
      if (e.lo === 0 && e.value === 0) h[i] = 0;
    });
    return h;
  };
  for (let round = 0; round < entries.length; round++) {
    let pinned = audit(entries, lines, anyForced ? knownZeros() : hidden, T, W, cleared, (e) => e.value > 0 && e.value < T);
    if (!pinned.length && anyForced) pinned = audit(entries, lines, hidden, T, W, clearedZeros, (e) => e.lo === 0 && e.value === 0);
    if (!pinned.length) break;
    // Hide one more entry near the first pinned one: in the nearest line (through hidden entries) that still
    // shows something, its smallest shown member (a cell if possible).
    const li = nearestLineWithShown(pinned[0]);
    if (li < 0 || !repair(li)) break;
    lineRules();
  }

  function shows(l: Line): boolean {
    return l.members.some((m) => !hidden[m] && entries[m].value > 0) || (!hidden[l.margin] && entries[l.margin].value > 0);
  }
  function nearestLineWithShown(start: number): number {
    const seenE = new Set([start]);
    const seenL = new Set<number>();
    let frontier = [start];
    while (frontier.length) {
      const found = frontier.flatMap((e) => linesOf[e]).filter((li) => !seenL.has(li) && shows(lines[li]));
      if (found.length) return found.sort((x, y) => minShown(lines[x]) - minShown(lines[y]))[0];
      const next: number[] = [];
      for (const e of frontier)
        for (const li of linesOf[e]) {
          if (seenL.has(li)) continue;
          seenL.add(li);
          for (const x of [...lines[li].members, lines[li].margin]) if (hidden[x] && !seenE.has(x)) {
            seenE.add(x);
            next.push(x);
          }
        }
      frontier = next;
    }
    return -1;
  }
  function minShown(l: Line): number {
    let v = Infinity;
    for (const m of [...l.members, l.margin]) if (!hidden[m] && entries[m].value > 0) v = Math.min(v, entries[m].value + (entries[m].margin ? 1e6 : 0));
    return v;
  }

  const tag = suppressionTag(T);
  let primary = 0;
  let complementary = 0;
  r.cells = r.cells.map((c, i) => {
    if (!hidden[cellIdx[i]]) return c;
    if (typeof c.value === 'number' && c.value >= T) complementary++;
    else primary++;
    return { ...c, value: tag };
  });
  for (const [k, i] of rowIdx) if (hidden[i]) r.rowTotals[k] = tag;
  for (const [k, i] of colIdx) if (hidden[i]) r.colTotals[k] = tag;
  if (hidden[totalIdx]) r.total = tag;
  // For single-choice tables the number of records is the total: hidden together; otherwise when small.
  if (r.records !== null && typeof r.records === 'number' && ((r.records > 0 && r.records < T) || hidden[totalIdx])) r.records = tag;
  return { primary, complementary };
}

/**
 * Hidden entries under the threshold whose value what is shown narrows to fewer than W + 1 values: every line gives
 * Σ members − margin = 0, shown values are known, hidden ones are ≥ 1; each connected group of hidden
 * entries is a small linear program. An entry is cleared as soon as two feasible tables are seen in which it
 * differs by W or more: the true table is one, and every optimum the simplex finds is another, so most entries
 * are cleared by the optima found for their neighbours and only the rest get their own maximum and minimum.
 * Hiding more only widens what is possible, so `cleared` carries over from one round of the audit to the next.
 * Returns the first entry found pinned (the caller repairs one at a time), or none.
 */
function audit(entries: Entry[], lines: Line[], hidden: Uint8Array, T: number, W: number, cleared: Uint8Array, check: (e: Entry) => boolean): number[] {
  const vars: number[] = [];
  const varOf = new Map<number, number>();
  entries.forEach((_, i) => {
    if (hidden[i]) {
      varOf.set(i, vars.length);
      vars.push(i);
    }
  });
  if (!vars.length) return [];
  const eqs: { coef: Map<number, number>; rhs: number }[] = [];
  for (const l of lines) {
    const coef = new Map<number, number>();
    let rhs = 0;
    for (const m of l.members) {
      if (hidden[m]) coef.set(varOf.get(m)!, (coef.get(varOf.get(m)!) ?? 0) + 1);
      else rhs -= entries[m].value;
    }
    if (hidden[l.margin]) coef.set(varOf.get(l.margin)!, (coef.get(varOf.get(l.margin)!) ?? 0) - 1);
    else rhs += entries[l.margin].value;
    if (coef.size) eqs.push({ coef, rhs });
  }
  const parent = vars.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const e of eqs) {
    const ks = [...e.coef.keys()];
    for (let i = 1; i < ks.length; i++) parent[find(ks[i])] = find(ks[0]);
  }
  const groups = new Map<number, number[]>();
  vars.forEach((_, i) => {
    const g = groups.get(find(i));
    if (g) g.push(i);
    else groups.set(find(i), [i]);
  });
  const eqsOf = new Map<number, typeof eqs>();
  for (const e of eqs) {
    const g = find(e.coef.keys().next().value!);
    const list = eqsOf.get(g);
    if (list) list.push(e);
    else eqsOf.set(g, [e]);
  }
  for (const [root, group] of groups) {
    const local = new Map(group.map((g, i) => [g, i]));
    const open = group.map((_, i) => i).filter((i) => check(entries[vars[group[i]]]) && !cleared[vars[group[i]]]);
    if (!open.length) continue;
    const sub = eqsOf.get(root)!;
    // x = lo + y with y ≥ 0 (lo = 1, or 0 for an empty entry hidden on purpose).
    const los = group.map((g) => entries[vars[g]].lo);
    const A = sub.map((e) => {
      const row = new Array<number>(group.length).fill(0);
      for (const [k, c] of e.coef) row[local.get(k)!] = c;
      return row;
    });
    const b = sub.map((e, i) => e.rhs - A[i].reduce((s, c, k) => s + c * los[k], 0));
    const lp = new Lp(A, b);
    // The true table (y = x − lo) is the first feasible point seen.
    const lo = group.map((g, k) => entries[vars[g]].value - los[k]);
    const hi = lo.slice();
    const see = (y: Float64Array) => {
      for (let k = 0; k < y.length; k++) {
        if (y[k] < lo[k]) lo[k] = y[k];
        if (y[k] > hi[k]) hi[k] = y[k];
      }
    };
    const wide = (k: number) => Math.floor(hi[k] + 1e-7) - Math.ceil(lo[k] - 1e-7) >= W;
    const solve = (c: Float64Array): boolean => {
      const out = lp.minimize(c);
      if (out.status === 'optimal') see(out.y);
      return out.status === 'unbounded';
    };
    // Optima of objectives that push every entry still open up or down at once (signs drawn at random, since
    // a plain sum is often fixed by a shown total) clear most of them; repeated while that pays.
    let seed = 0x9e3779b9 ^ group.length;
    const coin = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed & 1 ? 1 : -1;
    };
    let left = open.filter((k) => !wide(k));
    for (let before = Infinity; left.length > 2 && left.length < before * 0.9; ) {
      before = left.length;
      const c = new Float64Array(group.length);
      for (const k of left) c[k] = coin();
      solve(c);
      for (const k of left) c[k] = -c[k];
      solve(c);
      left = left.filter((k) => !wide(k));
    }
    for (const k of open) {
      const e = vars[group[k]];
      if (!wide(k)) {
        const c = new Float64Array(group.length);
        c[k] = -1;
        // Unbounded above (or, with inconsistent input, no solution at all): not pinned.
        if (solve(c) || !lp.feasible) {
          cleared[e] = 1;
          continue;
        }
        if (!wide(k)) {
          c[k] = 1;
          solve(c);
        }
      }
      if (wide(k)) cleared[e] = 1;
      // One is enough: the caller hides one more entry near it and asks again.
      else return [e];
    }
  }
  return [];
}
