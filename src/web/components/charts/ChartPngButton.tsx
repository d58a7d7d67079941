// Downloads the chart next to it as a PNG image (ECharts getDataURL), white background, double resolution.
import { Button } from '@mantine/core';
import type { echarts } from './echarts';

type Chart = ReturnType<typeof echarts.init>;

export function ChartPngButton({ chart, fileName }: { chart: Chart | null; fileName: string }) {
  const download = () => {
    if (!chart) return;
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' });
    const a = document.createElement('a');
    a.href = url;
    a.download = `${fileName.replace(/[^A-Za-z0-9_.-]+/g, '_')}.png`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  return (
    <Button size="xs" variant="default" onClick={download} disabled={!chart} aria-label={`Descargar la gráfica como imagen PNG (${fileName})`}>
      Descargar PNG
    </Button>
  );
}
