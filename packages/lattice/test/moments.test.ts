import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestDn, nearestE8, nearestLeech, nearestZn, setBackend } from '@kompakt/lattice';
import { testBackends, uniform } from './backends';

// Normalized second moment G = E‖x − Q(x)‖² / (n·V^{2/n}) by Monte Carlo with x uniform over a period
// of the lattice (seeded). Constants: Conway & Sloane; Λ24 from docs/lattice.md. Tolerance 0.5 %.
function moment(q: (x: Float32Array) => Float32Array, n: number, count: number, period: number, volume: number, seed: number): number {
  const x = uniform(n * count, seed, 0, period);
  const z = q(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - z[i]) ** 2;
  return s / count / (n * volume ** (2 / n));
}

describe.each(testBackends())('normalized second moments on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  it('Zⁿ 1/12, D4 0.0766032, E8 929/12960, Λ24 0.0657710 within 0.5 %', () => {
    expect(Math.abs(moment((x) => nearestZn(x, 4), 4, 50000, 2, 1, 1) / (1 / 12) - 1)).toBeLessThan(0.005);
    expect(Math.abs(moment((x) => nearestDn(x, 4), 4, 50000, 2, 2, 2) / 0.0766032 - 1)).toBeLessThan(0.005);
    expect(Math.abs(moment(nearestE8, 8, 50000, 2, 1, 3) / (929 / 12960) - 1)).toBeLessThan(0.005);
    // 8·ℤ²⁴ ⊂ √8·Λ24, so Λ24 contains √8·ℤ²⁴ and [0, √8)²⁴ is a period
    expect(Math.abs(moment(nearestLeech, 24, 8000, Math.sqrt(8), 1, 4) / 0.065771 - 1)).toBeLessThan(0.005);
  }, 240_000);
});
