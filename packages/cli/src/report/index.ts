import { loadSource } from '../sources.js';
import { collect, type CollectOptions, type ReportData } from './collect.js';
import { renderPage } from './html.js';

export interface ReportResult {
  format: string;
  fileBytes: number;
  tensors: number;
  seconds: number;
  sqnr: ReportData['sqnr'];
  skipped: ReportData['skipped'];
  lossless: ReportData['lossless']['total'];
  /** The F32 tensors rounded to bf16 first (null when there are none). */
  losslessBf16: ReportData['lossless']['bf16'];
  zstd: string | null;
  histogram: { tensor: string; block: number; kurtosis: [number, number]; peakToRms: [number, number] } | null;
}

/** Measures `path` and renders the report page; the result summarizes what the page shows. */
export async function buildReport(path: string, o: CollectOptions & { version: string }): Promise<{ html: string; result: ReportResult }> {
  const t0 = performance.now();
  const src = await loadSource(path);
  let data: ReportData;
  try {
    data = await collect(src, o);
  } finally {
    await src.close();
  }
  const seconds = (performance.now() - t0) / 1e3;
  const html = renderPage(data, { path, format: src.kind, fileBytes: src.size, tensors: src.tensors.length, seed: o.seed, maxValues: o.maxValues, version: o.version, seconds });
  const h = data.histogram;
  return {
    html,
    result: {
      format: src.kind, fileBytes: src.size, tensors: src.tensors.length, seconds, sqnr: data.sqnr, skipped: data.skipped,
      lossless: data.lossless.total, losslessBf16: data.lossless.bf16, zstd: data.lossless.zstd,
      histogram: h ? { tensor: h.tensor, block: h.block, kurtosis: [h.before.kurtosis, h.after.kurtosis], peakToRms: [h.before.peakToRms, h.after.peakToRms] } : null,
    },
  };
}
