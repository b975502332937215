import { afterAll, describe, expect, it } from 'vitest';
import { fwht, rht, setBackend, supportedSizes, type BackendName } from '@kompakt/hadamard';
import { maxDiff, randomFloats, testBackends } from './backends';

// Every backend computes the same transform: native equals wasm within float tolerance (the
// additions may be grouped differently), and wasm SIMD and scalar agree the same way.
describe('backends agree', () => {
  afterAll(() => setBackend('auto'));
  const backends = testBackends();

  function on<T>(backend: BackendName, fn: () => T): T {
    setBackend(backend);
    return fn();
  }

  it.skipIf(backends.length < 2)('gives the same fwht and rht results on every backend', () => {
    const sizes = [...supportedSizes(4096), 1 << 14, 1 << 16, 1 << 20, 28 * 1024];
    for (const n of sizes) {
      const rows = Math.max(1, Math.min(8, Math.floor((1 << 16) / n)));
      const x = randomFloats(n * rows, n);
      const [first, ...rest] = backends.map((b) => on(b, () => [fwht(x.slice(), { n }), rht(x.slice(), { n, seed: 3 })]));
      for (const other of rest) {
        for (let t = 0; t < 2; t++) {
          const { diff, peak } = maxDiff(other[t], first[t]);
          expect(diff, `n = ${n}`).toBeLessThanOrEqual(1e-6 * (Math.log2(n) + 12) * Math.max(peak, 1));
        }
      }
    }
  });

  it.skipIf(!backends.includes('native'))('gives identical results with one thread and with all threads', () => {
    setBackend('native');
    for (const n of [64, 1024, 12 * 256]) {
      const x = randomFloats(n * 4096, n);
      const one = fwht(x.slice(), { n, threads: 1 });
      const all = fwht(x.slice(), { n, threads: 0 });
      expect(maxDiff(all, one).diff).toBe(0);
    }
  });
});
