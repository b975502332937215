import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEECH_SQ_SIZE, leechSqDecode, leechSqEncode, nearestLeech, setBackend, KompaktError } from '@kompakt/lattice';
import { gaussian, golayCode, inLeech, leechExhaustive, testBackends, uniform } from './backends';

const SQRT8 = Math.sqrt(8);
const golay = golayCode();
const golaySet = new Set(golay);

/** Integer (√8-scaled) coordinates of decoder output vector k. */
function scaled(z: Float32Array, k: number): number[] {
  return Array.from(z.subarray(24 * k, 24 * k + 24), (v) => Math.round(v * SQRT8));
}

describe('Golay code of the reference (MOG/hexacode)', () => {
  it('is linear with weights 0/8/12/16/24 = 1/759/2576/759/1', () => {
    const w = new Map<number, number>();
    for (const c of golay) { let n = 0; for (let i = 0; i < 24; i++) n += (c >>> i) & 1; w.set(n, (w.get(n) ?? 0) + 1); }
    expect(Object.fromEntries(w)).toEqual({ 0: 1, 8: 759, 12: 2576, 16: 759, 24: 1 });
    for (let k = 0; k < 200; k++) expect(golaySet.has((golay[(k * 37) % 4096] ^ golay[(k * 101 + 5) % 4096]) >>> 0)).toBe(true);
  });
});

describe.each(testBackends())('Leech lattice on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('decodes exactly: equal to the exhaustive search over all 8,192 cosets, and in Λ24', () => {
    for (const [x, name] of [[uniform(24 * 150, 1, -3, 3), 'uniform'], [gaussian(24 * 100, 2, 0.7), 'gaussian'],
      [uniform(24 * 50, 3, -40, 40), 'wide']] as const) {
      const z = nearestLeech(x);
      for (let k = 0; k < x.length / 24; k++) {
        const y = Array.from(x.subarray(24 * k, 24 * k + 24), (v) => v * SQRT8);
        const p = scaled(z, k);
        expect(inLeech(p, golaySet), `${name} #${k} in Λ24`).toBe(true);
        let d = 0;
        for (let i = 0; i < 24; i++) d += (y[i] - p[i]) ** 2;
        expect(d, `${name} #${k}`).toBeLessThanOrEqual(leechExhaustive(y, golay) + 1e-6);
      }
    }
  });

  it('returns lattice points unchanged and NaN vectors for non-finite input', () => {
    const pts = leechSqDecode(Uint32Array.from({ length: 300 }, (_, i) => i * 653)).map((v) => v * 2);
    expect(Array.from(nearestLeech(pts))).toEqual(Array.from(pts));
    const x = new Float32Array(48).fill(0.1);
    x[30] = NaN;
    const z = nearestLeech(x);
    expect(Array.from(z.subarray(0, 24))).toEqual(new Array(24).fill(0));
    expect(Array.from(z.subarray(24)).every(Number.isNaN)).toBe(true);
    expect(() => nearestLeech(new Float32Array(25))).toThrow(KompaktError);
  });
});

/** ⟨x_k, codeword c⟩ with the codebook cb (24 f32 per codeword). */
function dot(x: Float32Array, k: number, cb: Float32Array, c: number): number {
  let d = 0;
  for (let i = 0; i < 24; i++) d += x[24 * k + i] * cb[24 * c + i];
  return d;
}

function bruteForceBest(x: Float32Array, k: number, cb: Float32Array): number {
  let best = -Infinity;
  for (let c = 0; c < LEECH_SQ_SIZE; c++) best = Math.max(best, dot(x, k, cb, c));
  return best;
}

/** Inputs that stress ties and every shape: small integers, sparse vectors, codewords plus noise. */
function structuredInputs(cb: Float32Array, count: number): Float32Array {
  const g = gaussian(24 * count, 31);
  const x = new Float32Array(24 * count);
  for (let k = 0; k < count; k++) {
    const c = (k * 40_961) % LEECH_SQ_SIZE; // visits all three index ranges
    for (let i = 0; i < 24; i++) {
      const v = g[24 * k + i];
      x[24 * k + i] = [Math.round(2 * v), Math.abs(v) > 1.5 ? v : 0, cb[24 * c + i] + 0.2 * v][k % 3];
    }
  }
  return x;
}

describe('Leech decoder builds', () => {
  it('SIMD and scalar builds give bit-identical points', () => {
    const backends = testBackends().filter((b) => b === 'wasm-simd' || b === 'wasm-scalar');
    if (backends.length < 2) return;
    const x = new Float32Array([...gaussian(24 * 1500, 21, 1.3), ...uniform(24 * 500, 22, -30, 30)]);
    const out = backends.map((b) => { setBackend(b); return nearestLeech(x); });
    setBackend('auto');
    const a = new Uint32Array(out[0].buffer), b = new Uint32Array(out[1].buffer);
    expect(a.findIndex((v, i) => v !== b[i])).toBe(-1);
  });
});

describe.each(testBackends())('spherical Leech quantization on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('indexes all 196,560 minimal vectors: in Λ24 with norm² 4, and back to their index (hence distinct)', () => {
    const all = Uint32Array.from({ length: LEECH_SQ_SIZE }, (_, i) => i);
    const v = leechSqDecode(all);
    const p = new Array<number>(24);
    for (let k = 0; k < LEECH_SQ_SIZE; k++) {
      let n = 0;
      for (let i = 0; i < 24; i++) {
        p[i] = Math.round(v[24 * k + i] * Math.sqrt(32));
        n += p[i] * p[i];
      }
      if (n !== 32 || !inLeech(p, golaySet)) throw new Error(`index ${k}: not a minimal vector`);
    }
    // encode ∘ decode = id makes decode injective: the 196,560 vectors are distinct
    const back = leechSqEncode(v);
    const wrong = back.findIndex((c, i) => c !== i);
    expect(wrong).toBe(-1);
    expect(LEECH_SQ_SIZE).toBeLessThan(2 ** 18);
  }, 240_000);

  it('finds the exact nearest codeword (brute force over all 196,560 on a sample)', () => {
    const cb = leechSqDecode(Uint32Array.from({ length: LEECH_SQ_SIZE }, (_, i) => i));
    const x = gaussian(24 * 40, 9);
    const idx = leechSqEncode(x);
    let cosSum = 0;
    for (let k = 0; k < 40; k++) {
      const got = dot(x, k, cb, idx[k]);
      expect(got).toBeGreaterThanOrEqual(bruteForceBest(x, k, cb) - 1e-5);
      let nx = 0;
      for (let i = 0; i < 24; i++) nx += x[24 * k + i] ** 2;
      cosSum += got / Math.sqrt(nx);
    }
    expect(cosSum / 40).toBeGreaterThan(0.74);
    expect(cosSum / 40).toBeLessThan(0.82);
  });

  it('is exact on inputs with ties, few nonzeros or near a codeword of each shape', () => {
    const cb = leechSqDecode(Uint32Array.from({ length: LEECH_SQ_SIZE }, (_, i) => i));
    const x = structuredInputs(cb, 48);
    const idx = leechSqEncode(x);
    for (let k = 0; k < 48; k++) expect(dot(x, k, cb, idx[k]), `#${k}`).toBeGreaterThanOrEqual(bruteForceBest(x, k, cb) - 1e-5);
  });

  it('gives the same indices as every other backend, ties included', () => {
    const cb = leechSqDecode(Uint32Array.from({ length: LEECH_SQ_SIZE }, (_, i) => i));
    const x = new Float32Array([...gaussian(24 * 1000, 41), ...structuredInputs(cb, 600), ...uniform(24 * 200, 42, -2, 2).map(Math.round)]);
    const mine = leechSqEncode(x);
    for (const other of testBackends().filter((b) => b !== backend)) {
      setBackend(other);
      const theirs = leechSqEncode(x);
      setBackend(backend);
      expect(theirs.findIndex((v, i) => v !== mine[i]), other).toBe(-1);
    }
  });

  it('rejects indices ≥ 196,560 and reads NaN as 0', () => {
    expect(() => leechSqDecode(new Uint32Array([5, LEECH_SQ_SIZE]))).toThrowError(/196560 at 1/);
    const x = new Float32Array(24);
    x[0] = NaN;
    expect(Array.from(leechSqEncode(x))).toEqual([0]);
  });
});
