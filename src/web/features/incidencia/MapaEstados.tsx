// Choropleth of the 32 states (INEGI codes in `cve_geo`), loaded on demand with ECharts.
import { useMemo } from 'react';
import EChart, { registerMap } from '../../components/charts/EChart';
import { fmtNumber } from '../../lib/format';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default function MapaEstados({ geo, values, stateName, title }: {
  geo: unknown;
  values: Record<string, number | string>;
  stateName: (code: string) => string;
  title: string;
}) {
  registerMap('mexico-estados', geo);
  const data = useMemo(
    () => Object.entries(values).filter(([c]) => /^\d{2}$/.test(c)).map(([name, v]) => ({ name, value: typeof v === 'number' ? v : null })),
    [values],
  );
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  return (
    <EChart
      label={title}
      height={420}
      option={{
        tooltip: {
          trigger: 'item',
          formatter: (p: { name: string; value: unknown }) =>
            `<strong>${esc(stateName(p.name))}</strong><br/>${typeof p.value === 'number' && !Number.isNaN(p.value) ? `${fmtNumber(p.value)} víctimas` : 'Sin registros'}`,
        },
        visualMap: {
          min: 0,
          max,
          orient: 'horizontal',
          left: 'center',
          bottom: 4,
          itemHeight: 160,
          itemWidth: 12,
          text: ['Más', 'Menos'],
          calculable: true,
          inRange: { color: ['#fbf6ee', '#dab881', '#b23a5c', '#691c32'] },
          textStyle: { color: '#1f2328' },
        },
        series: [
          {
            type: 'map',
            map: 'mexico-estados',
            nameProperty: 'cve_geo',
            roam: false,
            aspectScale: 0.92,
            left: 4,
            right: 4,
            top: 4,
            bottom: 52,
            preserveAspect: 'contain',
            preserveAspectAlign: 'center',
            preserveAspectVerticalAlign: 'middle',
            selectedMode: false,
            itemStyle: { borderColor: '#ffffff', borderWidth: 0.8, areaColor: '#eeeeee' },
            emphasis: { label: { show: false }, itemStyle: { areaColor: '#235b4e' } },
            data,
          },
        ],
      }}
    />
  );
}
