// Only the ECharts parts the app uses (bar, line, map, pie, Sankey): keeps the chart chunk small.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, PieChart, SankeyChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, MapChart, PieChart, SankeyChart, DataZoomComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export { echarts };

/** Series colours: government palette first, then distinguishable companions (all ≥ 3:1 on white). */
export const PALETTE = ['#9f2241', '#235b4e', '#bc955c', '#1c5fa8', '#6f3fa0', '#a14a00', '#2f7d8a', '#5c636a', '#691c32', '#4e7a2c'];
