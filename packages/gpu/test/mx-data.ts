import { randomFloats } from './helpers';

/**
 * Data that reaches every branch of the FP4 encoders, in 32-value groups (one MXFP4 block, two NVFP4
 * blocks) of four kinds: exact rounding ties (m/4 · 2^j with amax 6 · 2^j or 4 · 2^j, so y = v / 2^se lands on
 * every E2M1 midpoint; half the groups with a power-of-two amax), one common magnitude 2^j per group, magnitudes spread over the whole f32 range,
 * and specials (NaN, ±Inf, ±0). j runs from the subnormals (2^-147) to 2^120.
 */
export function hardFloats(length: number, seed: number): Float32Array {
  const u = randomFloats(length + 2 * Math.ceil(length / 32), seed);
  const x = new Float32Array(length);
  for (let g = 0; g * 32 < length; g++) {
    const kind = Math.floor((u[length + 2 * g] + 1) * 2); // 0..3
    const j = Math.round(u[length + 2 * g + 1] * 133.5 - 13.5); // −147 … 120
    for (let i = g * 32; i < Math.min(length, g * 32 + 32); i++) {
      const r = u[i];
      // Odd groups top out at a power of two (4 · 2^j), where the ceil rule differs from floor + 1.
      const top = g % 2 === 0 ? 6 : 4;
      if (kind === 0) x[i] = i === g * 32 + 5 ? -top * 2 ** j : (Math.round(r * 4 * top) / 4) * 2 ** j;
      else if (kind === 1) x[i] = r * 2 ** j;
      else if (kind === 2) x[i] = r * 2 ** Math.round(r * 1e4 % 140 - 70);
      else x[i] = [NaN, Infinity, -Infinity, 0, -0, r][(i * 7) % 6 === 0 ? Math.floor(Math.abs(r) * 5) : 5];
    }
  }
  return x;
}

/**
 * Values with few significant bits (|r| rounded to b ≤ 11 bits) times 2^j per 32-value group, so element
 * grids of 2 to 7 significand bits see exact ties; j reaches the subnormals. Element 7 of a group is its
 * amax, ±(2 − 2^-b)·2^j: with b ≥ 8 it rounds past int8's 127/64 (saturation). hardFloats adds the specials.
 */
export function tieFloats(length: number, seed: number): Float32Array {
  const u = randomFloats(length, seed);
  return Float32Array.from(u, (r, i) => {
    const j = Math.round(u[i - (i % 32)] * 130 - 10) - 11; // −151 … 109
    const b = Math.floor(Math.abs(r) * 1e3) % 12;
    if (i % 32 === 7) return Math.sign(r) * (2 - 2 ** -b) * 2 ** (j + 11);
    return Math.round(r * 2 ** b) * 2 ** (j + 11 - b);
  });
}
