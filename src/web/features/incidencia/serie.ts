// Monthly series from the incidence API (pure helpers, shared by the chart and its data table).
import type { StatsOut } from '../../api/types';

export const MESES = ['Ene', 'Feb', 'Mar', 'Abr', 'May', 'Jun', 'Jul', 'Ago', 'Sep', 'Oct', 'Nov', 'Dic'];

/** Points (label, value) of a monthly series from rows=anio&cols=mes or rows=mes. */
export function monthlyPoints(d: StatsOut): { key: string; label: string; value: number | null }[] {
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  if (d.rows === 'mes' && !d.cols) {
    return MESES.map((m, i) => {
      const code = String(i + 1).padStart(2, '0');
      const v = d.rowTotals?.[code] ?? d.cells.find((c) => c.row === code)?.value;
      return { key: code, label: m, value: num(v) ?? 0 };
    });
  }
  const byKey = new Map<string, number | null>();
  for (const c of d.cells) {
    const [anio, mes] = d.rows === 'anio' ? [c.row, c.col] : [c.col, c.row];
    if (anio && mes) byKey.set(`${anio}-${mes}`, num(c.value));
  }
  const keys = [...byKey.keys()].sort();
  if (!keys.length) return [];
  // Fill missing months with 0 between the first and the last reported month.
  const out: { key: string; label: string; value: number | null }[] = [];
  let [y, m] = keys[0].split('-').map(Number);
  const [ly, lm] = keys[keys.length - 1].split('-').map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    const k = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ key: k, label: `${MESES[m - 1]} ${y}`, value: byKey.get(k) ?? 0 });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}
