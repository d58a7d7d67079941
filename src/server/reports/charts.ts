// Charts as PNG images for the report: ECharts renders SVG server-side (ssr), resvg rasterises it.
// Both ship in npm packages (resvg as a prebuilt binary package of the registry); nothing is downloaded.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

/** Font files for the labels: Debian's Liberation/DejaVu when present; else whatever the system has. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];
const FONT_FILES = FONT_CANDIDATES.filter((f) => fs.existsSync(f));
const FAMILY = FONT_FILES.some((f) => f.includes('Liberation')) ? 'Liberation Sans' : 'DejaVu Sans';

export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 420;
const PALETTE = ['#691C32', '#235B4E', '#BC955C', '#9D2449', '#10312B', '#DDC9A3', '#6F7271', '#A57F2C'];

function render(option: echarts.EChartsCoreOption, height = CHART_HEIGHT): Buffer {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: CHART_WIDTH, height });
  chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: FAMILY }, backgroundColor: '#ffffff', ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  const img = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'width', value: Math.round(CHART_WIDTH * 1.5) },
    font: { fontFiles: FONT_FILES, loadSystemFonts: FONT_FILES.length === 0, defaultFontFamily: FAMILY },
  }).render();
  return rgbPng(img.pixels, img.width, img.height);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/**
 * Opaque RGB PNG from resvg's RGBA pixels (on white, so alpha carries nothing): PDF writers embed an RGB PNG's
 * compressed data as is, while an alpha channel must be split pixel by pixel in JavaScript (seconds per chart).
 */
function rgbPng(rgba: Buffer, width: number, height: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (width * 3 + 1);
    raw[o] = 0;
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const j = o + 1 + x * 3;
      raw[j] = rgba[i];
      raw[j + 1] = rgba[i + 1];
      raw[j + 2] = rgba[i + 2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw, { level: 6 })), chunk('IEND', Buffer.alloc(0))]);
}

const wrap = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** Horizontal bars (one series or stacked series): long category labels read better sideways. */
export function barChart(o: { title: string; categories: string[]; series: { name: string; data: (number | null)[] }[]; stacked?: boolean; unit?: string }): { png: Buffer; width: number; height: number } {
  // The legend wraps below the bars: room for its lines (about three long series names per line), never over them.
  const legendLines = o.series.length > 1 ? Math.ceil(o.series.length / 3) : 0;
  const legendH = legendLines * 26;
  const height = Math.min(1000, Math.max(240, 90 + o.categories.length * (o.series.length > 1 && !o.stacked ? 20 * o.series.length : 30))) + legendH;
  const png = render(
    {
      // The image is printed about half its pixel width: 16 px labels read as 8-9 pt on paper.
      title: { text: o.title, left: 'center', textStyle: { fontSize: 18 } },
      legend: o.series.length > 1 ? { bottom: 0, left: 'center', width: CHART_WIDTH - 40, textStyle: { fontSize: 15 } } : undefined,
      grid: { left: 330, right: 50, top: 50, bottom: 30 + legendH + (o.series.length > 1 ? 10 : 0) },
      xAxis: { type: 'value', name: o.unit ?? '', minInterval: 1, axisLabel: { fontSize: 15 } },
      yAxis: { type: 'category', data: o.categories.map((c) => wrap(c, 36)), inverse: true, axisLabel: { fontSize: 16, width: 320, overflow: 'truncate' } },
      series: o.series.map((s) => ({ type: 'bar', name: s.name, data: s.data, stack: o.stacked ? 'total' : undefined, barMaxWidth: 48, label: { show: !o.stacked && o.categories.length <= 20, position: 'right', fontSize: 14 } })),
    },
    height,
  );
  return { png, width: CHART_WIDTH, height };
}

/** A yearly trend with an optional goal line. */
export function lineChart(o: { title: string; categories: string[]; series: { name: string; data: (number | null)[] }[]; meta?: number | null; unit?: string }): { png: Buffer; width: number; height: number } {
  const height = 340;
  const png = render(
    {
      title: { text: o.title, left: 'center', textStyle: { fontSize: 18 } },
      legend: { bottom: 0, textStyle: { fontSize: 15 } },
      grid: { left: 70, right: 40, top: 55, bottom: 60 },
      xAxis: { type: 'category', data: o.categories, axisLabel: { fontSize: 15 } },
      yAxis: { type: 'value', name: o.unit ?? '', min: 0, nameTextStyle: { fontSize: 15 }, axisLabel: { fontSize: 15 } },
      series: [
        ...o.series.map((s) => ({ type: 'line', name: s.name, data: s.data, connectNulls: false, label: { show: true, fontSize: 13, formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? p.value.toLocaleString('es-MX', { maximumFractionDigits: 1 }) : '') }, symbolSize: 8 })),
        ...(o.meta !== undefined && o.meta !== null ? [{ type: 'line', name: 'Meta', data: o.categories.map(() => o.meta), lineStyle: { type: 'dashed' }, symbol: 'none' }] : []),
      ],
    },
    height,
  );
  return { png, width: CHART_WIDTH, height };
}
