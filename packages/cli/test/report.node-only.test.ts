// `kompakt report`: the measurements in --json, the page's self-containment, and (in Chromium) that
// every plot renders data: a screenshot of each plot's marks must hold coloured pixels.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrow16 } from '@kompakt/core';
import { writeNpy, writeSafetensors } from '@kompakt/io';
import { DIST, gaussian, json, kompakt } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CI = process.env.CI === 'true' || process.env.CI === '1';

let dir: string;
beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build -w @kompakt/cli\` first`);
  dir = mkdtempSync(join(tmpdir(), 'kompakt-report-'));
  // A heavy-tailed matrix (a few large outliers per row): what the rotation is for.
  const w = gaussian(128 * 256, 11);
  for (let i = 0; i < w.length; i += 61) w[i] *= 12;
  writeFileSync(join(dir, 'w.safetensors'), writeSafetensors({
    'outliers.weight': { dtype: 'F32', shape: [128, 256], data: w },
    'plain.weight': { dtype: 'BF16', shape: [64, 96], data: narrow16(gaussian(64 * 96, 12, 0.5), 'bf16') },
    'bias': { dtype: 'F32', shape: [256], data: gaussian(256, 13) },
    'ids': { dtype: 'I32', shape: [3], data: Int32Array.of(1, 2, 3) },
  }));
  const r = kompakt(['report', 'w.safetensors', '-o', 'report.html', '--json'], dir);
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(join(dir, 'report.json'), r.stdout);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kompakt report', () => {
  it('measures every quantizer with and without Hadamard, the lossless ratios and the rotation', () => {
    const j = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(j.ok).toBe(true);
    const formats = ['mxfp4', 'nvfp4', 'mxfp8-e4m3', 'mxfp8-e5m2', 'mxfp6-e2m3', 'mxfp6-e3m2', 'mxint8', 'e8p', 'e8p-rvq3', 'e8p-rvq4', 'leech-sq', 'leech-voronoi', 'int2-rtn', 'int3-rtn', 'int4-rtn'];
    expect(j.sqnr.map((p: any) => `${p.format}/${p.hadamard}`).sort()).toEqual(formats.flatMap((f) => [`${f}/false`, `${f}/true`]).sort());
    const at = (f: string, h: boolean) => j.sqnr.find((p: any) => p.format === f && p.hadamard === h);
    // leech-sq needs rows of a multiple of 24: only the [64, 96] tensor fits it; MX formats take both.
    expect(at('leech-sq', false).tensors).toBe(1);
    expect(at('leech-voronoi', true)).toMatchObject({ tensors: 1, values: 64 * 96, bitsPerWeight: 2 + 32 / 96 });
    expect(at('leech-voronoi', false).sqnrDb).toBeGreaterThan(at('leech-sq', false).sqnrDb + 5); // the same tensor: 2 bits against 0.75
    expect(at('mxfp4', false)).toMatchObject({ tensors: 2, values: 128 * 256 + 64 * 96, bitsPerWeight: 4.25 });
    expect(at('mxfp8-e4m3', false).sqnrDb).toBeGreaterThan(at('mxfp4', false).sqnrDb + 8);
    // Outliers: the whole-row rotation helps the row-scaled lattice codebook.
    expect(at('e8p', true).sqnrDb).toBeGreaterThan(at('e8p', false).sqnrDb);
    // The scalar baseline on both matrices: groups of 128 for rows of 256, the whole row for rows of 96.
    expect(at('int3-rtn', false)).toMatchObject({ tensors: 2, values: 128 * 256 + 64 * 96 });
    expect(at('int3-rtn', false).bitsPerWeight).toBeCloseTo((128 * 256 * (3 + 32 / 128) + 64 * 96 * (3 + 32 / 96)) / (128 * 256 + 64 * 96), 12);
    expect(at('int4-rtn', false).sqnrDb).toBeGreaterThan(at('int3-rtn', false).sqnrDb + 4);
    expect(at('int3-rtn', false).sqnrDb).toBeGreaterThan(at('int2-rtn', false).sqnrDb + 4);
    expect(j.lossless.kpk).toBeLessThan(j.lossless.gzip);
    // The F32 tensors (outliers.weight and the 1 KiB bias) again as bf16.
    expect(j.losslessBf16).toMatchObject({ dtype: 'BF16', bytes: (128 * 256 + 256) * 2 });
    expect(j.losslessBf16.kpk).toBeLessThan(j.losslessBf16.gzip);
    expect(j.histogram.tensor).toBe('outliers.weight');
    expect(j.histogram.block).toBe(256);
    expect(j.histogram.kurtosis[1]).toBeLessThan(j.histogram.kurtosis[0] / 2);
  });

  it('measures the slow leech-voronoi encoder on 1/8 of --max-values, and says so on the page', () => {
    const r = kompakt(['report', 'w.safetensors', '-o', 'small-sample.html', '--max-values', '4096', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const at = (f: string) => json(r).sqnr.find((p: any) => p.format === f && !p.hadamard);
    // whole rows of 96: 4096 values give 42 rows; 4096 / 8 = 512 give 5
    expect(at('leech-sq').values).toBe(42 * 96);
    expect(at('leech-voronoi').values).toBe(5 * 96);
    const html = readFileSync(join(dir, 'small-sample.html'), 'utf8');
    expect(html).toContain('leech-voronoi on at most 512 per tensor');
    rmSync(join(dir, 'small-sample.html'));
  });

  it('writes one self-contained page with three SVG plots', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg [^>]*data-plot=/g)).toHaveLength(3);
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\((?!#)/i);
    expect(html).toContain('outliers.weight');
  });

  it('a file with nothing to plot still gets a page that says so', () => {
    writeFileSync(join(dir, 'tiny.npy'), writeNpy(Float32Array.of(1, 2, 3), { shape: [3] }));
    const r = kompakt(['report', 'tiny.npy', '-o', 'tiny.html', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, sqnr: [], lossless: null, histogram: null });
    expect(json(r).skipped.map((s: any) => s.format)).toContain('mxfp4');
    const html = readFileSync(join(dir, 'tiny.html'), 'utf8');
    expect(html).toContain('No tensor of 1 KiB or more');
    expect(html).not.toContain('data-plot');
    rmSync(join(dir, 'tiny.npy'));
    rmSync(join(dir, 'tiny.html'));
  });

  it('refuses to overwrite without --force; a bad --tensor writes nothing', () => {
    const before = readdirSync(dir).sort();
    const again = kompakt(['report', 'w.safetensors', '-o', 'report.html'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/EXISTS/);
    const bad = kompakt(['report', 'w.safetensors', '-o', 'other.html', '--tensor', 'nope'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_ARGUMENT.*nope/);
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('renders every plot in Chromium with data in it', async (ctx) => {
    if (!existsSync(CHROMIUM)) {
      if (CI) throw new Error(`Chromium not found at ${CHROMIUM}, and CI requires it`);
      console.log(`report rendering test SKIPPED: Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
      ctx.skip();
    }
    const { chromium } = await import('playwright');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      await page.goto(pathToFileURL(join(dir, 'report.html')).href);
      const plots = await page.$$('svg[data-plot]');
      expect(plots).toHaveLength(3);
      for (const plot of plots) {
        const title = await plot.getAttribute('data-plot');
        // Only the clipped group of marks: axes, grid and labels are grey or black, data is coloured.
        const marks = (await plot.$('g[clip-path]'))!;
        const png = await marks.screenshot();
        const coloured = await page.evaluate(async (b64) => {
          const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const g = canvas.getContext('2d')!;
          g.drawImage(bitmap, 0, 0);
          const px = g.getImageData(0, 0, bitmap.width, bitmap.height).data;
          let n = 0;
          for (let i = 0; i < px.length; i += 4) if (Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) n++;
          return n;
        }, png.toString('base64'));
        expect(coloured, `${title}: coloured pixels`).toBeGreaterThan(150);
      }
    } finally {
      await browser.close();
    }
  });
});
