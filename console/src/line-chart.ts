import { h, s } from './dom.js';
import { fmtDate, fmtNumber, t } from './i18n.js';

export interface Series {
  label: string;
  unit: string;
  points: [number, number][];
}

const W = 560;
const H = 170;
const PAD = { left: 48, right: 12, top: 10, bottom: 26 };
/** Beyond this many points a chart keeps each bucket's lowest and highest, which preserves dips and spikes. */
const MAX_POINTS = 600;

function downsample(points: [number, number][]): [number, number][] {
  if (points.length <= MAX_POINTS) return points;
  const size = Math.ceil(points.length / (MAX_POINTS / 2));
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    const lo = bucket.reduce((a, b) => (b[1] < a[1] ? b : a));
    const hi = bucket.reduce((a, b) => (b[1] > a[1] ? b : a));
    out.push(...(lo[0] <= hi[0] ? [lo, hi] : [hi, lo]));
  }
  return out;
}

/** A small line chart (SVG) of one measure over time, with its range in words for screen readers. */
export function lineChart(series: Series, from: number, to: number): HTMLElement {
  const pts = downsample(series.points);
  const fmt = (v: number) => `${fmtNumber(v, true)} ${series.unit}`;
  if (!pts.length) return h('figure', { class: 'chart' }, h('figcaption', {}, series.label), h('p', { class: 'empty' }, t('detail.noHistory')));
  const values = pts.map(([, v]) => v);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (max - min < 1e-9) [min, max] = [min - 1, max + 1];
  const x = (ms: number) => PAD.left + ((ms - from) / Math.max(to - from, 1)) * (W - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom);
  const d = pts.map(([ms, v], i) => `${i ? 'L' : 'M'}${x(ms).toFixed(1)},${y(v).toFixed(1)}`).join('');
  const last = series.points[series.points.length - 1][1];
  const summary = t('chart.summary', { label: series.label, n: series.points.length, min: fmt(Math.min(...series.points.map((p) => p[1]))), max: fmt(Math.max(...series.points.map((p) => p[1]))), last: fmt(last) });
  const ticks = [0, 0.5, 1].map((f) => from + f * (to - from));
  return h(
    'figure',
    { class: 'chart' },
    h('figcaption', {}, series.label, ' ', h('span', { class: 'muted' }, fmt(last))),
    s(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, preserveAspectRatio: 'none' },
      s('rect', { class: 'chart-bg', x: PAD.left, y: PAD.top, width: W - PAD.left - PAD.right, height: H - PAD.top - PAD.bottom }),
      ...[max, (min + max) / 2, min].map((v) =>
        s('g', {}, s('line', { class: 'chart-grid', x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v) }), s('text', { class: 'chart-axis', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' }, fmtNumber(v, true))),
      ),
      ...ticks.map((ms, i) => s('text', { class: 'chart-axis', x: x(ms), y: H - 6, 'text-anchor': ['start', 'middle', 'end'][i] }, fmtDate(ms, 'short'))),
      s('path', { class: 'chart-line', d }),
      s('circle', { class: 'chart-last', cx: x(pts[pts.length - 1][0]), cy: y(pts[pts.length - 1][1]), r: 3 }),
    ),
  );
}
