// The chart of one statistics table: horizontal bars (stacked by column when the columns are few and
// simple), a pie of the row totals, or a Sankey of origin → destination. Suppressed values ("<5") are
// not drawn; the table beside the chart shows them.
import EChart, { type EChartProps } from './EChart';
import { PALETTE } from './echarts';
import type { StatsOut } from '../../api/types';
import { axisCodes } from '../CrossTable';

export type ChartKind = 'bar' | 'pie' | 'sankey' | 'map';

const num = (v: unknown) => (typeof v === 'number' ? v : null);

export default function PartChart({ data, kind, title, onReady }: { data: StatsOut; kind: ChartKind; title: string; onReady?: EChartProps['onReady'] }) {
  const rl = (c: string) => data.labels?.rows[c] ?? c;
  const cl = (c: string) => data.labels?.cols[c] ?? c;
  const rows = data.order?.rows ?? axisCodes(Object.keys(data.rowTotals));
  const cols = data.cols ? (data.order?.cols ?? axisCodes(Object.keys(data.colTotals ?? {}))) : [];
  const cell = new Map(data.cells.map((c) => [`${c.row}\u0000${c.col ?? ''}`, c.value]));

  if (kind === 'sankey') {
    // Distinct node names per side: a route can start and end in the same state.
    const links = data.cells
      .filter((c) => typeof c.value === 'number' && c.col)
      .map((c) => ({ source: `Origen: ${rl(c.row)}`, target: `Destino: ${cl(c.col!)}`, value: c.value as number }))
      .sort((a, b) => b.value - a.value)
      .slice(0, 80);
    const nodes = [...new Set(links.flatMap((l) => [l.source, l.target]))].map((name) => ({ name }));
    return (
      <EChart
        label={title}
        height={Math.max(360, nodes.length * 18)}
        onReady={onReady}
        option={{
          tooltip: { trigger: 'item' },
          color: PALETTE,
          series: [{ type: 'sankey', left: 8, right: 170, data: nodes, links, emphasis: { focus: 'adjacency' }, nodeAlign: 'justify', lineStyle: { color: 'gradient', curveness: 0.5 }, label: { fontSize: 11 } }],
        }}
      />
    );
  }
  // Long tables (e.g. municipalities): the 40 largest rows; the table has them all.
  const MAX = 40;
  const shownRows = rows.length > MAX ? [...rows].sort((a, b) => (num(data.rowTotals[b]) ?? 0) - (num(data.rowTotals[a]) ?? 0)).slice(0, MAX) : rows;
  const totals = shownRows.map((r) => ({ name: rl(r), value: num(data.rowTotals[r]) }));
  if (kind === 'pie')
    return (
      <EChart
        label={title}
        height={340}
        onReady={onReady}
        option={{
          tooltip: { trigger: 'item', formatter: '{b}: {c} ({d} %)' },
          color: PALETTE,
          legend: { type: 'scroll', bottom: 0 },
          series: [{ type: 'pie', radius: ['35%', '65%'], data: totals.filter((t) => t.value !== null), label: { formatter: '{b}\n{d} %', fontSize: 11 } }],
        }}
      />
    );
  // Few simple columns: stacked by column; composite or many columns: the row totals.
  const stacked = cols.length > 0 && cols.length <= 12 && !cols.some((c) => c.includes('|'));
  const cats = shownRows.map(rl).reverse();
  const series = stacked
    ? cols.map((c, i) => ({ name: cl(c), type: 'bar', stack: 'total', color: PALETTE[i % PALETTE.length], barMaxWidth: 36, data: shownRows.map((r) => num(cell.get(`${r}\u0000${c}`))).reverse() }))
    : [{ name: 'Total', type: 'bar', color: PALETTE[0], barMaxWidth: 36, data: totals.map((t) => t.value).reverse() }];
  return (
    <EChart
      label={title}
      height={Math.max(240, shownRows.length * (stacked ? 30 : 24) + 100)}
      onReady={onReady}
      option={{
        title: rows.length > MAX ? { text: `Las ${MAX} categorías con más personas (de ${rows.length})`, textStyle: { fontSize: 12, fontWeight: 'normal' }, bottom: 0, left: 'center' } : undefined,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: stacked ? { type: 'scroll', top: 0 } : undefined,
        grid: { left: 8, right: 24, top: stacked ? 40 : 12, bottom: rows.length > MAX ? 44 : 24, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: cats, axisLabel: { width: 240, overflow: 'truncate' } },
        series,
      }}
    />
  );
}
