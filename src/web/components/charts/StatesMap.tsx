// Choropleth of the 32 states (INEGI codes in `cve_geo`) for any table whose rows are states; a click on a
// state reports its code (drill-down). Suppressed values ("<5") are drawn as "cifra protegida", not as 0.
import { useMemo } from 'react';
import EChart, { registerMap, type EChartProps } from './EChart';
import { fmtNumber } from '../../lib/format';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default function StatesMap({ geo, values, stateName, title, unit = 'personas', onSelect, onReady }: {
  geo: unknown;
  values: Record<string, number | string>;
  stateName: (code: string) => string;
  title: string;
  unit?: string;
  onSelect?: (code: string) => void;
  onReady?: EChartProps['onReady'];
}) {
  registerMap('mexico-estados', geo);
  const data = useMemo(
    () => Object.entries(values).filter(([c]) => /^\d{2}$/.test(c) && c !== '99').map(([name, v]) => ({ name, value: typeof v === 'number' ? v : null, protegida: typeof v === 'string' })),
    [values],
  );
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  return (
    <EChart
      label={title}
      height={420}
      onReady={onReady}
      onEvents={onSelect ? { click: (p) => onSelect((p as { name: string }).name) } : undefined}
      option={{
        tooltip: {
          trigger: 'item',
          formatter: (p: { name: string; value: unknown; data?: { protegida?: boolean } }) =>
            `<strong>${esc(stateName(p.name))}</strong><br/>${
              p.data?.protegida ? 'Cifra protegida (menos de 5 o suprimida)' : typeof p.value === 'number' && !Number.isNaN(p.value) ? `${fmtNumber(p.value)} ${unit}` : 'Sin registros'
            }${onSelect ? '<br/><em>Clic: ver municipios</em>' : ''}`,
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
