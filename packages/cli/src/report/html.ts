// The self-contained report page: inline CSS and SVG, no scripts, no external resources.
import type { CliFormat } from '../quantize.js';
import { LOSSLESS_BYTES, SLOW_FORMATS, valuesMeasured, type ReportData, type SqnrPoint } from './collect.js';
import { RTN_GROUP } from './rtn.js';
import { histogramChart, losslessChart, sqnrChart } from './charts.js';
import { escapeXml as esc } from './svg.js';

export interface PageInfo {
  path: string;
  format: string;
  fileBytes: number;
  tensors: number;
  seed: number;
  maxValues: number;
  version: string;
  seconds: number;
}

const CSS = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#222;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6rem 0}td,th{padding:.15rem .6rem;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}figure{margin:1rem 0}.note{color:#555;font-size:.92em}
svg{display:block;max-width:100%;height:auto;background:#fff}
svg .grid{stroke:#e5e5e5}svg .axis{stroke:#333}svg .tick{font-size:11px;fill:#444}
svg .label{font-size:12px;fill:#222}svg .title{font-size:14px;font-weight:600;fill:#222}
svg .legend{font-size:12px;fill:#222}`;

const dB = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : String(v));
const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
const head = (cells: string[]) => `<tr>${cells.map((c) => `<th>${c}</th>`).join('')}</tr>`;

/** Which quantizers were measured on fewer values, and why. */
function slowNote(formats: SqnrPoint['format'][], maxValues: number): string {
  const slow = formats.filter((f): f is CliFormat => f in SLOW_FORMATS);
  if (slow.length === 0) return '';
  return `\nSlow encoders are measured on fewer values: ${slow.map((f) => `${esc(f)} on at most ${valuesMeasured(f, maxValues).toLocaleString('en-US')} per tensor`).join(', ')}
(leech-voronoi's encoder searches up to 21 Leech lattice points per 24 weights); the values column gives what each quantizer saw.`;
}

function sqnrSection(d: ReportData, info: PageInfo): string {
  if (d.sqnr.length === 0) return '<h2>Quantization</h2><p>No tensor of this file fits any quantizer (float tensors of two or more dimensions whose last dimension is a multiple of the block).</p>';
  const formats = [...new Set(d.sqnr.map((p) => p.format))];
  const rows = formats.map((f) => {
    const p = d.sqnr.find((x) => x.format === f && !x.hadamard)!;
    const h = d.sqnr.find((x) => x.format === f && x.hadamard);
    return row([esc(f), p.bitsPerWeight.toFixed(3), dB(p.sqnrDb), h ? dB(h.sqnrDb) : '–', h ? (h.sqnrDb - p.sqnrDb).toFixed(2) : '–', String(p.tensors), p.values.toLocaleString('en-US')]);
  });
  const skipped = d.skipped.length ? `<p class="note">Not measured (no tensor fits): ${d.skipped.map((s) => `${esc(s.format)} (${esc(s.reason)})`).join('; ')}.</p>` : '';
  return `<h2>Quantization: SQNR against bits per weight</h2>
<figure>${sqnrChart(d.sqnr)}</figure>
<p class="note">Every quantizer of <code>kompakt quantize</code> on the float tensors (2-D and up) whose last dimension fits it,
at most ${info.maxValues.toLocaleString('en-US')} values (whole leading rows) per tensor; SQNR = 10·log10(Σx² / Σ(x − y)²) pooled over them.
Hadamard: a randomized Hadamard rotation (seed ${info.seed}) before quantizing, undone after (MX: per block; lattices and RTN: per row).
int2/3/4-rtn: the scalar baseline, round-to-nearest with 2^b levels from each group's minimum to its maximum (groups of ${RTN_GROUP} values of a row, or the whole row when ${RTN_GROUP} does not divide it), an f16 step and minimum per group.${slowNote(formats, info.maxValues)}</p>
<table>${head(['format', 'bits / weight', 'SQNR dB', '+ Hadamard', 'gain', 'tensors', 'values'])}${rows.join('')}</table>${skipped}`;
}

function losslessSection(d: ReportData): string {
  const { rows, total, zstd } = d.lossless;
  if (total === null) return '<h2>Lossless</h2><p>No tensor of 1 KiB or more.</p>';
  const cell = (v: number | null) => (v === null ? '–' : v.toFixed(4));
  const table = [total, ...(d.lossless.bf16 ? [d.lossless.bf16] : []), ...rows].map((r) => row([esc(r.name), esc(r.dtype), r.bytes.toLocaleString('en-US'), cell(r.kpk), cell(r.gzip), cell(r.zstd)]));
  return `<h2>Lossless: the .kpk tensor codec against gzip${zstd ? ' and zstd' : ''}</h2>
<figure>${losslessChart(rows, zstd)}</figure>
<p class="note">Each tensor of 1 KiB or more compressed on its own (its first ${LOSSLESS_BYTES / 2 ** 20} MiB when larger; bytes = the bytes measured): .kpk with its dtype's byte planes (<code>kompakt pack</code>'s codec),
gzip -9 (node:zlib)${zstd ? ` and ${esc(zstd)}` : '; zstd: not available in this Node (node:zlib has it from 22.15) and @bokuweb/zstd-wasm is not installed'}.${d.lossless.bf16 ? ' The second row codes the F32 tensors again after rounding them to bf16 (round to nearest even), as a bf16 checkpoint of this model would store them.' : ''}</p>
<table>${head(['tensor', 'dtype', 'bytes', '.kpk', 'gzip -9', 'zstd'])}${table.join('')}</table>`;
}

function histogramSection(d: ReportData): string {
  const h = d.histogram;
  if (!h) return '<h2>Rotation</h2><p>No 2-D float tensor with a power-of-two block to rotate.</p>';
  const stat = (label: string, b: number, a: number) => row([label, b.toFixed(2), a.toFixed(2)]);
  return `<h2>Value distribution before and after the Hadamard rotation</h2>
<figure>${histogramChart(h.tensor, h.before, h.after)}</figure>
<p class="note"><code>${esc(h.tensor)}</code> [${h.shape.join(', ')}], ${h.values.toLocaleString('en-US')} values, rotated with rht over blocks of ${h.block} (seed ${h.seed}).
The rotation mixes every block's values: a row's outliers are spread over it, and the values move towards a Gaussian (kurtosis 3), which block quantizers handle best. How much that changes depends on the tensor: rows that are already incoherent gain little, as the figures below show. max|x| / rms is over all values shown, so rows of different norms set it.</p>
<table>${head(['', 'before', 'after'])}${stat('max|x| / rms', h.before.peakToRms, h.after.peakToRms)}${stat('kurtosis', h.before.kurtosis, h.after.kurtosis)}</table>`;
}

/** The whole report page. */
export function renderPage(d: ReportData, info: PageInfo): string {
  const title = `kompakt report: ${info.path}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head><body>
<h1>${esc(title)}</h1>
<p>${esc(info.format)}, ${info.fileBytes.toLocaleString('en-US')} bytes, ${info.tensors} tensors. Written by kompakt ${esc(info.version)} in ${info.seconds.toFixed(1)} s.</p>
${sqnrSection(d, info)}
${losslessSection(d)}
${histogramSection(d)}
</body></html>
`;
}
