// Hand-written SVG: a tiny element builder and the chart frame (axes, grid, labels, legend) that
// every plot shares. No chart library: the report must be one self-contained HTML file.
import { linearScale, tickLabel, type Scale } from './scale.js';

type Attrs = Record<string, string | number | undefined>;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `<tag attrs>children</tag>`; undefined attributes are left out, numbers rounded to 0.01 px. */
export function el(tag: string, attrs: Attrs = {}, ...children: string[]): string {
  const a = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? Number(v.toFixed(2)) : escapeXml(v!)}"`)
    .join('');
  return children.length ? `<${tag}${a}>${children.join('')}</${tag}>` : `<${tag}${a}/>`;
}

export function text(x: number, y: number, s: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(s));
}

/** Categorical colours that stay apart on white: Okabe–Ito (less its yellow), then Paul Tol's muted set. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#882255', '#44AA99', '#999933', '#332288', '#AA4499'];

export interface FrameOptions {
  width?: number;
  height?: number;
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
  /** Extra left margin for long category labels (bar charts). */
  left?: number;
  /** Right margin, for a key beside the plot. */
  right?: number;
  /** Replaces numeric x tick labels (categorical axes). */
  xTicks?: { at: number; label: string }[];
  /** Replaces numeric y tick labels (categorical axes). */
  yTicks?: { at: number; label: string }[];
}

export interface Frame {
  x: Scale;
  y: Scale;
  width: number;
  height: number;
  /** The plot area in pixels. */
  area: { left: number; top: number; right: number; bottom: number };
  /** Wraps the plot's marks in the finished <svg> with axes, grid, title, legend and `outside` (unclipped extras). */
  finish(marks: string, legend?: { label: string; color: string; dashed?: boolean }[], outside?: string): string;
}

/** Axes, grid and labels around a plot area; `data-plot` marks the element the browser test checks. */
export function frame(o: FrameOptions): Frame {
  const width = o.width ?? 720, height = o.height ?? 400;
  const area = { left: o.left ?? 64, top: 56, right: width - (o.right ?? 16), bottom: height - 52 };
  const x = linearScale(o.x[0], o.x[1], area.left, area.right, 8);
  const y = linearScale(o.y[0], o.y[1], area.bottom, area.top, 6);
  const finish = (marks: string, legend: { label: string; color: string; dashed?: boolean }[] = [], outside = '') => {
    const xTicks = o.xTicks ?? x.ticks.map((at) => ({ at, label: tickLabel(at) }));
    const yTicks = o.yTicks ?? y.ticks.map((at) => ({ at, label: tickLabel(at) }));
    const grid = [
      ...yTicks.map((t) => el('line', { x1: area.left, x2: area.right, y1: y(t.at), y2: y(t.at), class: 'grid' })),
      ...(o.xTicks ? [] : xTicks.map((t) => el('line', { x1: x(t.at), x2: x(t.at), y1: area.top, y2: area.bottom, class: 'grid' }))),
    ].join('');
    const axes = [
      el('line', { x1: area.left, x2: area.right, y1: area.bottom, y2: area.bottom, class: 'axis' }),
      el('line', { x1: area.left, x2: area.left, y1: area.top, y2: area.bottom, class: 'axis' }),
      ...xTicks.map((t) => text(x(t.at), area.bottom + 16, t.label, { 'text-anchor': 'middle', class: 'tick' })),
      ...yTicks.map((t) => text(area.left - 6, y(t.at) + 4, t.label, { 'text-anchor': 'end', class: 'tick' })),
      text((area.left + area.right) / 2, height - 12, o.xLabel, { 'text-anchor': 'middle', class: 'label' }),
      text(14, (area.top + area.bottom) / 2, o.yLabel, { 'text-anchor': 'middle', class: 'label', transform: `rotate(-90 14 ${(area.top + area.bottom) / 2})` }),
      text(area.left, 22, o.title, { class: 'title' }),
    ].join('');
    // One row of keys between the title and the plot area, so it never covers data.
    let lx = area.left;
    const keys = legend.map((l) => {
      const ly = 40;
      const key = el('line', { x1: lx, x2: lx + 18, y1: ly, y2: ly, stroke: l.color, 'stroke-width': 3, 'stroke-dasharray': l.dashed ? '5 3' : undefined })
        + text(lx + 24, ly + 4, l.label, { class: 'legend' });
      lx += 24 + 7 * l.label.length + 18;
      return key;
    }).join('');
    const clip = el('clipPath', { id: `clip-${clipId}` }, el('rect', { x: area.left, y: area.top, width: area.right - area.left, height: area.bottom - area.top }));
    const body = el('g', { 'clip-path': `url(#clip-${clipId++})` }, marks);
    return el('svg', { xmlns: 'http://www.w3.org/2000/svg', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': o.title, 'data-plot': o.title },
      el('defs', {}, clip), grid, axes, body, keys ? el('g', { class: 'legend-box' }, keys) : '', outside);
  };
  return { x, y, width, height, area, finish };
}
let clipId = 0;

/** A polyline through the finite points (a gap wherever y is not finite). */
export function polyline(points: [number, number][], f: Frame, attrs: Attrs): string {
  const runs: string[][] = [[]];
  for (const [px, py] of points) {
    if (!Number.isFinite(py) || !Number.isFinite(px)) { runs.push([]); continue; }
    runs[runs.length - 1].push(`${f.x(px).toFixed(2)},${f.y(py).toFixed(2)}`);
  }
  return runs.filter((r) => r.length).map((r) => el('polyline', { points: r.join(' '), fill: 'none', ...attrs })).join('');
}

export function circle(px: number, py: number, f: Frame, r: number, attrs: Attrs): string {
  return el('circle', { cx: f.x(px), cy: f.y(py), r, ...attrs });
}
