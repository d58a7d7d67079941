// Cell-key perturbation of protected person counts, the method of the Australian Bureau of Statistics for
// its ad-hoc table builders. Suppression protects the cells of one table, but two answers can be
// subtracted: a state's victims and the same state's women give its men, exactly, even where a table shows
// them as "<5". So ad-hoc protected answers add to every shown count a small noise that is fixed by the
// persons behind it: each record has a key (from its id), a cell's key is the sum of its records' keys, and
// the noise is drawn from the cell's key. The same persons always give the same figure (asking again averages
// nothing out), and a difference of two answers is off by up to twice the noise. The records the viewer
// itself can see (an enlace's own institution, a state validator's state) are left out of the key: adding
// or removing its own records, whose counts it knows, would otherwise draw new noise for the same hidden
// persons until the noise averaged out.
//
// The noise is added after suppression, which was decided and audited on the exact figures; a shown
// figure never drops under the threshold, and hidden entries stay hidden.
import type { CellValue, StatsResult } from './crosstab.js';

/** Largest noise added to or taken from a shown figure. */
export const MAX_NOISE = 2;
const MOD = 2 ** 32;

const RECORD_KEY_SQL = `('x' || substr(md5(r.id::text), 1, 8))::bit(32)::bigint`;

/**
 * SQL: the cell key of the records grouped (alias r), 0 … 2^32 − 1, leaving out the records for which `own`
 * (a condition over r) holds. md5 gives the same key on every engine.
 */
export function cellKeySql(own?: string): string {
  return `(sum(${own ? `case when ${own} then 0 else ${RECORD_KEY_SQL} end` : RECORD_KEY_SQL}) % 4294967296)::bigint`;
}

/** murmur3's finaliser: spreads a 32-bit number over all 32 bits. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The noise of a figure with cell key `key`: −2 (10 %), −1 (20 %), 0 (40 %), +1 (20 %), +2 (10 %). */
export function noiseOf(key: number): number {
  const u = mix(key >>> 0) / MOD;
  return u < 0.1 ? -2 : u < 0.3 ? -1 : u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
}

/** What a protected answer shows for an exact figure n ≥ 1 with cell key `key` (never under the threshold). */
export function perturbed(n: number, key: number, threshold: number): number {
  return Math.max(threshold, n + noiseOf(key));
}

export interface CellKeys {
  cell: Map<string, number>;
  row: Map<string, number>;
  col: Map<string, number>;
  total: number;
  records: number | null;
}

const at = (row: string, col: string | null) => `${row}\u0001${col ?? ''}`;

/** Keys of every figure of a table: the margins' keys are sums of their members' keys, like their counts. */
export function cellKeys(cells: { row: string; col: string | null; key: number }[], recordsKey: number | null): CellKeys {
  const k: CellKeys = { cell: new Map(), row: new Map(), col: new Map(), total: 0, records: recordsKey };
  for (const c of cells) {
    k.cell.set(at(c.row, c.col), c.key);
    k.row.set(c.row, ((k.row.get(c.row) ?? 0) + c.key) % MOD);
    if (c.col !== null) k.col.set(c.col, ((k.col.get(c.col) ?? 0) + c.key) % MOD);
    k.total = (k.total + c.key) % MOD;
  }
  return k;
}

/** Adds the noise to every shown figure of a (suppressed) table; hidden ones and zeros stay as they are. */
export function perturbResult(r: StatsResult, keys: CellKeys, threshold: number): void {
  const p = (v: CellValue, key: number | undefined): CellValue => (typeof v === 'number' && v > 0 && key !== undefined ? perturbed(v, key, threshold) : v);
  r.cells = r.cells.map((c) => ({ ...c, value: p(c.value, keys.cell.get(at(c.row, c.col))) }));
  for (const k of Object.keys(r.rowTotals)) r.rowTotals[k] = p(r.rowTotals[k], keys.row.get(k));
  for (const k of Object.keys(r.colTotals)) r.colTotals[k] = p(r.colTotals[k], keys.col.get(k));
  const totalKey = keys.total;
  r.total = p(r.total, totalKey);
  // Without a separate count of records (single-choice counts) the records are the total, with its key.
  if (r.records !== null) r.records = p(r.records, keys.records ?? totalKey);
}
