import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fwht, hadamardK, hadamardMatrix, ifwht, isSupportedSize, setBackend, supportedSizes } from '@kompakt/hadamard';
import { maxDiff, randomFloats, testBackends } from './backends';

// y = (H_k ⊗ H_m)·x in f64, entry by entry: independent of every kernel and of hadamardMatrix.
function denseReference(x: Float32Array, n: number, k: number): Float64Array {
  const m = n / k;
  const hk = k === 1 ? Float32Array.of(1) : hadamardK(k);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const c = Math.floor(r / m);
    const j = r % m;
    let acc = 0;
    for (let col = 0; col < n; col++) {
      const d = Math.floor(col / m);
      let bits = j & col % m;
      let sign = hk[c * k + d];
      while (bits) {
        sign = -sign;
        bits &= bits - 1;
      }
      acc += sign * x[col];
    }
    y[r] = acc / Math.sqrt(n);
  }
  return y;
}

const oddFactor = (n: number) => {
  while (n % 2 === 0) n /= 2;
  return n;
};
const kOf = (n: number) => (oddFactor(n) === 1 ? 1 : [12, 20, 28, 36, 44, 52, 60, 108, 140, 156, 172].find((k) => n % k === 0 && oddFactor(n / k) === 1)!);
// f32 rounding grows with the number of butterfly stages and the dense k-sum; relative to the output peak.
const tolerance = (n: number) => 2e-7 * (Math.log2(n) + kOf(n) + 4);

describe.each(testBackends())('fwht on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('matches the dense-matrix reference for every supported size up to 4096', () => {
    const sizes = supportedSizes(4096);
    expect(sizes.length).toBe(87); // 13 powers of two and 74 k·2^m sizes
    for (const n of sizes) {
      const x = randomFloats(n, n);
      const y = fwht(x.slice(), { n });
      const { diff, peak } = maxDiff(y, denseReference(x, n, kOf(n)));
      expect(diff, `n = ${n}`).toBeLessThanOrEqual(tolerance(n) * Math.max(peak, 1));
    }
  });

  it('is natural (Sylvester) order, unnormalized on request', () => {
    expect(Array.from(fwht(Float32Array.of(1, 2, 3, 4), { normalize: false }))).toEqual([10, -2, -4, 0]);
    expect(Array.from(fwht(Float32Array.of(1, 0, 0, 0, 0, 0, 0, 0), { normalize: false }))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(fwht(Float32Array.of(0, 1, 0, 0), { normalize: false }))).toEqual([1, -1, 1, -1]);
    expect(Array.from(fwht(Float32Array.of(3, 5)))).toEqual([8 / Math.SQRT2, -2 / Math.SQRT2].map(Math.fround));
  });

  it('transforms each row of a batch independently and returns x', () => {
    for (const n of [1, 2, 4, 8, 16, 64, 1024, 12, 96, 172 * 4]) {
      const x = randomFloats(n * 5, n + 1);
      const batched = x.slice();
      expect(fwht(batched, { n })).toBe(batched);
      for (let r = 0; r < 5; r++) {
        const row = fwht(x.slice(r * n, (r + 1) * n));
        expect(maxDiff(batched.subarray(r * n, (r + 1) * n), row).diff, `n = ${n}, row ${r}`).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('applies a block-diagonal transform with block', () => {
    for (const block of [16, 32, 64, 128, 12, 20]) {
      const n = block * 8;
      const x = randomFloats(n * 3, block);
      const blocked = fwht(x.slice(), { n, block });
      const reference = fwht(x.slice(), { n: block });
      expect(Array.from(blocked)).toEqual(Array.from(reference));
    }
  });

  it('inverts exactly: ifwht(fwht(x)) ≈ x for every supported size up to 2^16, normalized or not', () => {
    for (const n of supportedSizes(1 << 16)) {
      const x = randomFloats(n, 7 * n);
      for (const normalize of [true, false]) {
        const y = ifwht(fwht(x.slice(), { normalize }), { normalize });
        expect(maxDiff(y, x).diff, `n = ${n}, normalize ${normalize}`).toBeLessThanOrEqual(tolerance(n) * 4);
      }
    }
  });

  it('is an involution for powers of two and keeps the norm (Parseval)', () => {
    for (const n of [2, 32, 1024, 1 << 15, 1 << 18]) {
      const x = randomFloats(n, 3);
      const y = fwht(x.slice());
      const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, a) => s + a * a, 0));
      expect(Math.abs(norm(y) - norm(x)) / norm(x)).toBeLessThan(1e-5);
      expect(maxDiff(fwht(y), x).diff).toBeLessThan(1e-5);
    }
  });

  it('has the properties of an orthogonal linear map (fast-check)', () => {
    const sizes = supportedSizes(2048).filter((n) => n > 1);
    fc.assert(
      fc.property(fc.constantFrom(...sizes), fc.integer(), fc.integer({ min: 1, max: 3 }), (n, seed, rows) => {
        const a = randomFloats(n * rows, seed);
        const b = randomFloats(n * rows, seed ^ 0x5bd1e995);
        const sum = a.map((v, i) => v + b[i]);
        const fa = fwht(a.slice(), { n });
        const fb = fwht(b.slice(), { n });
        const fs = fwht(sum, { n });
        const lin = maxDiff(fs, fa.map((v, i) => v + fb[i])).diff;
        const inv = maxDiff(ifwht(fa.slice(), { n }), a).diff;
        return lin <= 1e-5 * (Math.log2(n) + kOf(n)) && inv <= 1e-5;
      }),
      { numRuns: 60 },
    );
  });

  it('propagates NaN and Inf within their row without crashing or touching other rows', () => {
    const x = randomFloats(64, 9);
    x[3] = NaN;
    x[40] = Infinity;
    const clean = fwht(x.slice(32, 64).map((v, i) => (i === 8 ? 0 : v)), { n: 32 });
    fwht(x, { n: 32 });
    expect(x.subarray(0, 32).every(Number.isNaN)).toBe(true);
    expect(x.subarray(32).every((v) => !Number.isFinite(v))).toBe(true);
    expect(clean.every(Number.isFinite)).toBe(true);
  });

  it('handles empty input and n = 1', () => {
    expect(fwht(new Float32Array(0)).length).toBe(0);
    expect(Array.from(fwht(Float32Array.of(2.5, -1), { n: 1 }))).toEqual([2.5, -1]);
  });
});

describe('hadamardMatrix', () => {
  it('is orthonormal for every supported size up to 256', () => {
    for (const n of supportedSizes(256)) {
      const h = hadamardMatrix(n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let c = 0; c < n; c++) dot += h[i * n + c] * h[j * n + c];
          worst = Math.max(worst, Math.abs(dot - (i === j ? 1 : 0)));
        }
      }
      expect(worst, `n = ${n}`).toBeLessThan(1e-5);
    }
    expect(isSupportedSize(6)).toBe(false);
  });
});
