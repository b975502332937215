import { availableBackends, setBackend } from '@kompakt/core';
import { LEECH_VORONOI_SCALE, e8pDecode, e8pEncode, leechSqEncode, leechVoronoiDecode, leechVoronoiEncode, nearestE8, nearestLeech } from '@kompakt/lattice';
import { measure, printTable } from './measure.mjs';

const NATIVE_LATTICE = ['latticeNearestE8', 'latticeNearestLeech', 'latticeE8pEncode', 'latticeE8pDecode'];

/** The baseline: Conway–Sloane's E8 decoder in plain JS (nearest of D8 and D8 + ½, ties as the kernels). */
function nearestD8(x, o, shift, out) {
  let sum = 0;
  let worst = 0;
  let worstGap = -1;
  for (let i = 0; i < 8; i++) {
    const v = x[o + i] - shift;
    const r = Math.round(v);
    out[i] = r;
    sum += r;
    const gap = Math.abs(v - r);
    if (gap > worstGap) {
      worstGap = gap;
      worst = i;
    }
  }
  if (sum & 1) {
    const v = x[o + worst] - shift;
    out[worst] += v > out[worst] ? 1 : -1;
  }
  let d = 0;
  for (let i = 0; i < 8; i++) {
    out[i] += shift;
    d += (x[o + i] - out[i]) ** 2;
  }
  return d;
}

function jsNearestE8(x) {
  const y = new Float32Array(x.length);
  const a = new Float64Array(8);
  const b = new Float64Array(8);
  for (let o = 0; o < x.length; o += 8) {
    const best = nearestD8(x, o, 0, a) <= nearestD8(x, o, 0.5, b) ? a : b;
    for (let i = 0; i < 8; i++) y[o + i] = best[i];
  }
  return y;
}

/** The baseline table decoder: the 65,536 codewords in a JS table, one 8-float copy per code. */
function jsE8pDecoder() {
  const table = e8pDecode(Uint16Array.from({ length: 65536 }, (_, i) => i));
  return (codes) => {
    const out = new Float32Array(codes.length * 8);
    for (let i = 0; i < codes.length; i++) out.set(table.subarray(codes[i] * 8, codes[i] * 8 + 8), i * 8);
    return out;
  };
}

function gaussian(length, seed) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return Float32Array.from({ length }, () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()));
}

function lanes() {
  const list = availableBackends(NATIVE_LATTICE);
  return [['wasm scalar', 'wasm-scalar'], ['wasm SIMD', 'wasm-simd'], ['native', 'native']].filter(([, b]) => list.includes(b));
}

export const lattice = {
  name: 'lattice',
  async run() {
    const results = [];
    const rows = [];
    const e8In = gaussian(8 * 1_000_000, 1).map((v) => v * 2);
    const e8Js = measure(() => jsNearestE8(e8In), { samples: 3, minMs: 1 });
    rows.push(['E8 nearest point', 'plain JS (baseline)', `${(1e6 / (e8Js / 1e9) / 1e6).toFixed(1)} M vectors/s`, '1.0×']);
    for (const [label, backend] of lanes()) {
      setBackend(backend);
      const ns = measure(() => nearestE8(e8In), { samples: 5, minMs: 1 });
      rows.push(['', label, `${(1e6 / (ns / 1e9) / 1e6).toFixed(1)} M vectors/s`, `${(e8Js / ns).toFixed(1)}×`]);
      results.push({ suite: 'lattice', kernel: 'nearestE8', lane: label, vectorsPerSecond: 1e6 / (ns / 1e9) });
    }
    const codes = Uint16Array.from(gaussian(1_000_000, 2), (v, i) => (Math.imul(i, 2654435761) ^ (v * 1e4)) & 0xffff);
    const jsDecode = jsE8pDecoder();
    const decJs = measure(() => jsDecode(codes), { samples: 3, minMs: 1 });
    rows.push(['E8P decode (2 bit)', 'plain JS table (baseline)', `${((codes.length * 8) / decJs * 1e3).toFixed(0)} M weights/s`, '1.0×']);
    const encIn = gaussian(8 * 20_000, 3).map((v) => v * 1.03);
    for (const [label, backend] of lanes()) {
      setBackend(backend);
      const ns = measure(() => e8pDecode(codes), { samples: 5, minMs: 1 });
      rows.push(['', label, `${((codes.length * 8) / ns * 1e3).toFixed(0)} M weights/s`, `${(decJs / ns).toFixed(1)}×`]);
      results.push({ suite: 'lattice', kernel: 'e8pDecode', lane: label, weightsPerSecond: (codes.length * 8) / ns * 1e9 });
    }
    for (const [i, [label, backend]] of lanes().entries()) {
      setBackend(backend);
      const encNs = measure(() => e8pEncode(encIn), { samples: 3, minMs: 1 });
      rows.push([i === 0 ? 'E8P encode (2 bit, exact)' : '', label, `${(encIn.length / encNs * 1e3).toFixed(1)} M weights/s`, '']);
      results.push({ suite: 'lattice', kernel: 'e8pEncode', lane: label, weightsPerSecond: encIn.length / encNs * 1e9 });
    }
    const leechIn = gaussian(24 * 2000, 4).map((v) => v * 1.5);
    const sqIn = gaussian(24 * 1000, 5);
    const leechNs = new Map(); // per lane: the Voronoi code's cost is also given in Leech decodes (load-independent)
    for (const [i, [label, backend]] of lanes().entries()) {
      setBackend(backend);
      const ns = measure(() => nearestLeech(leechIn), { samples: 3, minMs: 1 }) / 2000;
      leechNs.set(label, ns);
      rows.push([i === 0 ? 'Λ24 exact decode' : '', label, `${(ns / 1e3).toFixed(1)} µs / vector`, '']);
      results.push({ suite: 'lattice', kernel: 'nearestLeech', lane: label, usPerVector: ns / 1e3 });
    }
    for (const [i, [label, backend]] of lanes().entries()) {
      setBackend(backend);
      const ns = measure(() => leechSqEncode(sqIn), { samples: 7, minMs: 1 }) / 1000;
      rows.push([i === 0 ? 'spherical Leech nearest' : '', label, `${(ns / 1e3).toFixed(1)} µs / vector`, '']);
      results.push({ suite: 'lattice', kernel: 'leechSqEncode', lane: label, usPerVector: ns / 1e3 });
    }
    const vorN = 1000;
    const vorIn = gaussian(24 * vorN, 6).map((v) => v * LEECH_VORONOI_SCALE);
    for (const [i, [label, backend]] of lanes().entries()) {
      setBackend(backend);
      const enc = measure(() => leechVoronoiEncode(vorIn), { samples: 3, minMs: 1 }) / vorN;
      const codes = leechVoronoiEncode(vorIn);
      const dec = measure(() => leechVoronoiDecode(codes), { samples: 3, minMs: 1 }) / vorN;
      const inDecodes = `= ${(enc / leechNs.get(label)).toFixed(1)} / ${(dec / leechNs.get(label)).toFixed(1)} Λ24 decodes`;
      rows.push([i === 0 ? 'Λ24 Voronoi code (2 bit) encode / decode' : '', label, `${(enc / 1e3).toFixed(0)} / ${(dec / 1e3).toFixed(1)} µs / vector`, inDecodes]);
      results.push({ suite: 'lattice', kernel: 'leechVoronoi', lane: label, encodeUsPerVector: enc / 1e3, decodeUsPerVector: dec / 1e3, encodeInLeechDecodes: enc / leechNs.get(label) });
    }
    setBackend('auto');
    console.log('\nlattice quantizers');
    printTable(['kernel', 'lane', 'throughput', 'vs baseline'], rows);
    return results;
  },
};
