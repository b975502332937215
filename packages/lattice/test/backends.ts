import type { BackendName } from '@kompakt/core';
import { backendsFor, rng } from '../../../test/helpers/backends';

export { rng };

/** The backends this suite runs against (see test/helpers/backends.ts). */
export function testBackends(): BackendName[] {
  return backendsFor('lattice', [
    'latticeNearestZn', 'latticeNearestDn', 'latticeNearestDnPlus', 'latticeNearestE8', 'latticeNearestLeech',
    'latticeE8pEncode', 'latticeE8pDecode', 'latticeE81bEncode', 'latticeE81bDecode', 'latticeLeechSqEncode', 'latticeLeechSqDecode',
  ]);
}


export function uniform(length: number, seed: number, lo: number, hi: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length }, () => lo + (hi - lo) * r());
}

export function gaussian(length: number, seed: number, sigma = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i += 2) {
    const u = 1 - r(), v = r();
    const m = Math.sqrt(-2 * Math.log(u)) * sigma;
    out[i] = m * Math.cos(2 * Math.PI * v);
    if (i + 1 < length) out[i + 1] = m * Math.sin(2 * Math.PI * v);
  }
  return out;
}

export function dist2(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[ao + i] - b[bo + i]) ** 2;
  return s;
}

// ---- Golay code and Leech lattice, independently of the kernels (MOG/hexacode as in docs/lattice.md) ----

const gfMul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : ((a - 1 + b - 1) % 3) + 1);

/** The 4096 codeword masks by index (index = word << 6 | p << 5 | top bits of columns 0..4). */
export function golayCode(): Uint32Array {
  const out = new Uint32Array(4096);
  for (let index = 0; index < 4096; index++) {
    const w = index >> 6, p = (index >> 5) & 1;
    const a = w & 3, b = (w >> 2) & 3, c = w >> 4;
    const h = [a, b, c, a ^ b ^ c, gfMul(a, 3) ^ gfMul(b, 2) ^ c, gfMul(a, 2) ^ gfMul(b, 3) ^ c];
    let t = index & 31;
    let par = 0;
    for (let j = 0; j < 5; j++) par ^= (t >> j) & 1;
    t |= (p ^ par) << 5;
    let mask = 0;
    for (let j = 0; j < 6; j++) {
      // all patterns of column j with score h[j], parity p and top bit t_j (exactly one)
      for (let P = 0; P < 16; P++) {
        const score = ((P >> 1) & 1 ? 1 : 0) ^ ((P >> 2) & 1 ? 2 : 0) ^ ((P >> 3) & 1 ? 3 : 0);
        const parity = ((P & 1) + ((P >> 1) & 1) + ((P >> 2) & 1) + ((P >> 3) & 1)) & 1;
        if (score === h[j] && parity === p && (P & 1) === ((t >> j) & 1)) mask |= P << (4 * j);
      }
    }
    out[index] = mask >>> 0;
  }
  return out;
}

/** Whether the integer vector z (√8-scaled coordinates) is in √8·Λ24. */
export function inLeech(z: ArrayLike<number>, golay: Set<number>): boolean {
  const m = ((z[0] % 2) + 2) % 2;
  let mask = 0, sum = 0;
  for (let i = 0; i < 24; i++) {
    if (!Number.isInteger(z[i]) || ((z[i] % 2) + 2) % 2 !== m) return false;
    if (((((z[i] - m) % 4) + 4) % 4) === 2) mask |= 1 << i;
    sum += z[i];
  }
  return golay.has(mask >>> 0) && ((sum % 8) + 8) % 8 === 4 * m;
}

/**
 * Exhaustive nearest point of √8·Λ24 to y (f64, integer coordinates): every one of the 2·4096 cosets
 * (m, codeword) decoded like D24 (nearest value per residue class, cheapest fix of Σk's parity).
 */
export function leechExhaustive(y: ArrayLike<number>, golay: Uint32Array): number {
  const d0 = new Float64Array(96), dl = new Float64Array(96), kp = new Uint8Array(96);
  for (let i = 0; i < 24; i++) {
    for (let r = 0; r < 4; r++) {
      const t = (y[i] - r) / 4;
      const k = Math.round(t);
      const other = t >= k ? k + 1 : k - 1;
      d0[i * 4 + r] = (y[i] - r - 4 * k) ** 2;
      dl[i * 4 + r] = (y[i] - r - 4 * other) ** 2 - d0[i * 4 + r];
      kp[i * 4 + r] = Math.abs(k) % 2;
    }
  }
  let best = Infinity;
  for (let m = 0; m < 2; m++) {
    for (const c of golay) {
      let cost = 0, q = 0, fix = Infinity;
      for (let i = 0; i < 24; i++) {
        const j = i * 4 + m + 2 * ((c >>> i) & 1);
        cost += d0[j]; q ^= kp[j]; fix = Math.min(fix, dl[j]);
      }
      if (q !== m) cost += fix;
      best = Math.min(best, cost);
    }
  }
  return best;
}
