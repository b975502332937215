// The report's three plots, each a function from measurements to one <svg> string.
import type { Distribution, LosslessRow, SqnrPoint } from './collect.js';
import { extent } from './scale.js';
import { PALETTE, circle, el, frame, polyline, text } from './svg.js';

/** SQNR (dB) against bits per weight: one point per quantizer, plain (filled) and after Hadamard (hollow). */
export function sqnrChart(points: SqnrPoint[]): string {
  const finite = points.filter((p) => Number.isFinite(p.sqnrDb));
  const [x0, x1] = extent(finite.map((p) => p.bitsPerWeight));
  const [y0, y1] = extent(finite.map((p) => p.sqnrDb));
  const f = frame({ title: 'SQNR against bits per weight', xLabel: 'bits per weight (codes + scales)', yLabel: 'SQNR (dB), higher is better', x: [Math.min(0, x0), x1 + 0.5], y: [Math.min(0, y0), y1 + 2], width: 760, right: 130 });
  const formats = [...new Set(finite.map((p) => p.format))];
  // A key beside the plot names the formats: labels at the points would collide (several formats
  // share a bit rate).
  const keyX = f.area.right + 16;
  const marks = formats.map((format, i) => {
    const color = PALETTE[i % PALETTE.length];
    const plain = finite.find((p) => p.format === format && !p.hadamard);
    const rot = finite.find((p) => p.format === format && p.hadamard);
    const link = plain && rot ? polyline([[plain.bitsPerWeight, plain.sqnrDb], [rot.bitsPerWeight, rot.sqnrDb]], f, { stroke: color, 'stroke-width': 1.5, 'stroke-dasharray': '3 2' }) : '';
    // The hollow ring is larger and drawn first, so a plain point at the same place stays visible inside it.
    const dots = [
      rot ? circle(rot.bitsPerWeight, rot.sqnrDb, f, 5.5, { fill: 'white', stroke: color, 'stroke-width': 2 }) : '',
      plain ? circle(plain.bitsPerWeight, plain.sqnrDb, f, 3, { fill: color }) : '',
    ].join('');
    return link + dots;
  }).join('');
  const key = formats.map((format, i) => {
    const y = f.area.top + 8 + i * 18;
    return el('circle', { cx: keyX, cy: y, r: 5, fill: PALETTE[i % PALETTE.length] }) + text(keyX + 10, y + 4, format, { class: 'legend' });
  }).join('');
  return f.finish(marks, [{ label: 'plain (filled)', color: '#444' }, { label: '+ Hadamard (hollow)', color: '#444', dashed: true }], key);
}

/** Horizontal grouped bars: compressed / original per tensor for .kpk, gzip and (when present) zstd. */
export function losslessChart(rows: LosslessRow[], zstdName: string | null): string {
  const series: { key: 'kpk' | 'gzip' | 'zstd'; label: string }[] = [
    { key: 'kpk', label: '.kpk tensor codec' }, { key: 'gzip', label: 'gzip -9' }, ...(zstdName ? [{ key: 'zstd' as const, label: zstdName }] : []),
  ];
  const band = 6 * series.length + 6;
  const height = 100 + band * rows.length;
  const most = Math.max(1, ...rows.flatMap((r) => series.map((s) => r[s.key] ?? 0)));
  const f = frame({
    title: 'Lossless: compressed / original size per tensor', xLabel: 'ratio (lower is better)', yLabel: '', x: [0, most], y: [0, rows.length],
    width: 860, height, left: 330, yTicks: rows.map((r, i) => ({ at: i + 0.5, label: r.name.length > 50 ? `…${r.name.slice(-49)}` : r.name })),
  });
  const bar = (f.y(0) - f.y(1) - 6) / series.length;
  const marks = rows.map((r, i) => series.map((s, j) => {
    const v = r[s.key] ?? 0;
    const top = f.y(i + 1) + 3 + j * bar;
    return el('rect', { x: f.x(0), y: top, width: Math.max(0.5, f.x(v) - f.x(0)), height: Math.max(1, bar - 1), fill: PALETTE[j] }, el('title', {}, `${r.name} ${s.label}: ${v.toFixed(4)}`));
  }).join('')).join('');
  return f.finish(marks, series.map((s, j) => ({ label: s.label, color: PALETTE[j] })));
}

/** The value distribution before and after rotation, as step lines on a log10 share axis. */
export function histogramChart(tensor: string, before: Distribution, after: Distribution): string {
  const total = (d: Distribution) => d.counts.reduce((a, b) => a + b, 0) || 1;
  const floor = -7; // log10 share drawn for empty bins
  const steps = (d: Distribution): [number, number][] => {
    const n = total(d);
    return d.counts.flatMap((c, i) => {
      const y = c > 0 ? Math.log10(c / n) : floor;
      return [[d.edges[i], y], [d.edges[i + 1], y]] as [number, number][];
    });
  };
  const b = steps(before), a = steps(after);
  const [lo] = extent([...b, ...a].map(([, y]) => y));
  const limit = before.edges[before.edges.length - 1];
  const f = frame({ title: `Values of ${tensor}`, xLabel: 'value', yLabel: 'log10 share of values per bin', x: [-limit, limit], y: [Math.max(floor, lo), 0] });
  const marks = polyline(b, f, { stroke: PALETTE[1], 'stroke-width': 1.5 }) + polyline(a, f, { stroke: PALETTE[0], 'stroke-width': 1.5 });
  return f.finish(marks, [{ label: 'before rotation', color: PALETTE[1] }, { label: 'after Hadamard', color: PALETTE[0] }]);
}
