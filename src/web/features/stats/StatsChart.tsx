// Bar chart of a statistics table (stacked when there are columns). Loaded on demand.
import EChart from '../../components/charts/EChart';
import { PALETTE } from '../../components/charts/echarts';
import { cellMap, colCodes, rowCodes } from '../../components/CrossTable';
import type { StatsOut } from '../../api/types';

export default function StatsChart({ data, rowLabel, colLabel, rowOrder, colOrder, title }: {
  data: StatsOut;
  rowLabel: (c: string) => string;
  colLabel: (c: string) => string;
  rowOrder?: readonly string[];
  colOrder?: readonly string[];
  title: string;
}) {
  const rows = rowCodes(data, rowOrder);
  const cols = colCodes(data, colOrder);
  const cells = cellMap(data);
  const num = (v: number | string | undefined) => (typeof v === 'number' ? v : null);
  // Horizontal bars: long Spanish labels stay readable; first row on top.
  const cats = rows.map(rowLabel).reverse();
  const series = cols.length
    ? cols.map((c, i) => ({
        name: colLabel(c),
        type: 'bar',
        stack: 'total',
        color: PALETTE[i % PALETTE.length],
        data: rows.map((r) => num(cells.get(`${r}\u0000${c}`))).reverse(),
        emphasis: { focus: 'series' },
        barMaxWidth: 40,
      }))
    : [{ name: 'Total', type: 'bar', color: PALETTE[0], barMaxWidth: 40, data: rows.map((r) => num(data.rowTotals?.[r] ?? cells.get(`${r}\u0000`))).reverse() }];
  const height = Math.max(260, rows.length * (cols.length ? 34 : 28) + 110);
  return (
    <EChart
      label={title}
      height={height}
      option={{
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: cols.length ? { type: 'scroll', top: 0 } : undefined,
        grid: { left: 8, right: 24, top: cols.length ? 40 : 12, bottom: 24, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: cats, axisLabel: { width: 220, overflow: 'truncate' } },
        series,
      }}
    />
  );
}
