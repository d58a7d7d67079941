// Monthly trend: the whole series (2015-01 onward) or the months of one year.
import EChart from '../../components/charts/EChart';
import { PALETTE } from '../../components/charts/echarts';
import type { StatsOut } from '../../api/types';
import { monthlyPoints } from './serie';

export default function TendenciaMensual({ data, title }: { data: StatsOut; title: string }) {
  const pts = monthlyPoints(data);
  const long = pts.length > 24;
  return (
    <EChart
      label={title}
      height={340}
      option={{
        tooltip: { trigger: 'axis' },
        grid: { left: 8, right: 24, top: 16, bottom: long ? 70 : 30, containLabel: true },
        xAxis: { type: 'category', data: pts.map((p) => p.label), boundaryGap: false },
        yAxis: { type: 'value', minInterval: 1 },
        dataZoom: long ? [{ type: 'slider', bottom: 16, start: 0, end: 100 }, { type: 'inside' }] : undefined,
        series: [
          {
            name: 'Víctimas',
            type: 'line',
            data: pts.map((p) => p.value),
            color: PALETTE[0],
            symbol: long ? 'none' : 'circle',
            areaStyle: { opacity: 0.08 },
            smooth: false,
          },
        ],
      }}
    />
  );
}
