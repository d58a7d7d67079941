// ECharts in React through the ESM core entry (the CommonJS `lib/core` renders blank).
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { echarts } from './echarts';

export interface EChartProps {
  option: Record<string, unknown>;
  height: number;
  /** What the chart shows, for screen readers (the table next to it has the figures). */
  label: string;
  onEvents?: Record<string, (params: unknown) => void>;
  /** The chart instance once drawn (e.g. to export it as PNG with getDataURL). */
  onReady?: (chart: ReturnType<typeof echarts.init>) => void;
}

/** People who ask their system for less motion get charts drawn at once (WCAG 2.3.3). */
const reducedMotion = typeof window !== 'undefined' && !!window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;

export default function EChart({ option, height, label, onEvents, onReady }: EChartProps) {
  return (
    <div role="img" aria-label={label}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' }, ...(reducedMotion ? { animation: false } : {}), ...option }}
        notMerge
        lazyUpdate
        style={{ height, width: '100%' }}
        opts={{ renderer: 'canvas' }}
        onEvents={onEvents}
        onChartReady={onReady}
      />
    </div>
  );
}

export function registerMap(name: string, geoJson: unknown): void {
  if (!echarts.getMap(name)) echarts.registerMap(name, geoJson as Parameters<typeof echarts.registerMap>[1]);
}
