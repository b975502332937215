import { describe, it, expect } from 'vitest';
import { HADAMARD_K_CONSTRUCTION, SUPPORTED_K, hadamardK, transposeK } from '../src/matrices';

const ALL_K = [1, 2, 4, ...SUPPORTED_K];

/** Index of the first entry of h·hᵀ that differs from k·I, or −1 (integer arithmetic, so exact). */
function firstGramDefect(h: Float32Array, k: number): number {
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let dot = 0;
      for (let l = 0; l < k; l++) dot += h[i * k + l]! * h[j * k + l]!;
      if (dot !== (i === j ? k : 0)) return i * k + j;
    }
  return -1;
}

describe('hadamardK', () => {
  it('supports exactly the documented orders', () => {
    expect(SUPPORTED_K).toEqual([12, 20, 28, 36, 40, 44, 52, 60, 108, 140, 156, 172]);
    expect(Object.keys(HADAMARD_K_CONSTRUCTION).map(Number)).toEqual(ALL_K);
    expect(HADAMARD_K_CONSTRUCTION[28]).toBe('paley1 q=27');
    expect(HADAMARD_K_CONSTRUCTION[52]).toBe('paley2 q=25');
    expect(HADAMARD_K_CONSTRUCTION[156]).toBe('williamson m=39');
  });

  it.each(ALL_K)('k=%i: entries are exactly ±1 and H·Hᵀ = k·I', (k) => {
    const h = hadamardK(k);
    expect(h).toBeInstanceOf(Float32Array);
    expect(h.length).toBe(k * k);
    expect(h.every((v) => v === 1 || v === -1)).toBe(true);
    expect(firstGramDefect(h, k)).toBe(-1);
    // Hᵀ·H = k·I as well, via the transpose.
    expect(firstGramDefect(transposeK(h, k), k)).toBe(-1);
  });

  it.each(ALL_K.filter((k) => HADAMARD_K_CONSTRUCTION[k]!.startsWith('paley1')))(
    'k=%i (Paley I) is normalized: first row and first column all ones',
    (k) => {
      const h = hadamardK(k);
      for (let i = 0; i < k; i++) {
        expect(h[i]).toBe(1);
        expect(h[i * k]).toBe(1);
      }
    },
  );

  it('is cached: repeated calls return the same instance', () => {
    for (const k of ALL_K) expect(hadamardK(k)).toBe(hadamardK(k));
  });

  // Encoders and decoders must agree on the exact matrix, so any change to a construction (sign
  // convention, field polynomial, sequence) must be deliberate: these pin each matrix bit for bit.
  it('is deterministic: FNV-1a fingerprints of the sign patterns are pinned', () => {
    const fingerprints: Record<number, string> = {};
    for (const k of ALL_K) {
      let hash = 0x811c9dc5;
      for (const v of hadamardK(k)) hash = Math.imul(hash ^ (v > 0 ? 1 : 0), 0x01000193);
      fingerprints[k] = (hash >>> 0).toString(16).padStart(8, '0');
    }
    expect(fingerprints).toEqual({
      1: '040c5b8c', 2: '144deee6', 4: '770f05dd', 12: 'b72fc64d', 20: '0c073fcd', 28: 'e21d921d',
      36: '22cdc9b5', 40: 'c469d46d', 44: '9687701d', 52: '2a497cf5', 60: 'c5559cad', 108: '7b2772bd',
      140: '8d9fc71d', 156: '555d07e9', 172: '300c5c69',
    });
  });

  it('builds 40 = H2 ⊗ H20 without altering the cached H20', () => {
    const h20 = hadamardK(20);
    const h40 = hadamardK(40);
    expect(firstGramDefect(h20, 20)).toBe(-1);
    for (let i = 0; i < 20; i++)
      for (let j = 0; j < 20; j++) {
        const v = h20[i * 20 + j]!;
        expect([h40[i * 40 + j], h40[i * 40 + 20 + j], h40[(20 + i) * 40 + j], h40[(20 + i) * 40 + 20 + j]]).toEqual([v, v, v, -v]);
      }
  });

  it('rejects unsupported orders', () => {
    for (const k of [0, 3, 8, 24, 48, 100, 12.5, -12]) expect(() => hadamardK(k)).toThrow(RangeError);
  });

  it.each([
    [156, 39],
    [172, 43],
  ])('k=%i: the Williamson blocks are symmetric circulants of order %i', (k, m) => {
    const h = hadamardK(k);
    const defects: string[] = [];
    for (let b = 0; b < 4; b++) {
      // Block (0, b) of the Williamson array is A, B, C, D; its first row is the stored sequence.
      const at = (i: number, j: number) => h[i * k + b * m + j]!;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) {
          if (at(i, j) !== at(0, (j - i + m) % m)) defects.push(`block ${b} not circulant at (${i},${j})`);
          if (at(i, j) !== at(j, i)) defects.push(`block ${b} not symmetric at (${i},${j})`);
        }
    }
    expect(defects).toEqual([]);
  });
});

describe('transposeK', () => {
  it('transposes a row-major square matrix into a new array', () => {
    const m = Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const t = transposeK(m, 3);
    expect(Array.from(t)).toEqual([1, 4, 7, 2, 5, 8, 3, 6, 9]);
    expect(t).not.toBe(m);
    expect(Array.from(transposeK(t, 3))).toEqual(Array.from(m));
  });
});
