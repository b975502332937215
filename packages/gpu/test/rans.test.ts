import { expect, it } from 'vitest';
import { isKompaktError } from '@kompakt/core';
import { compressTensor, decompressTensor, xxh32, type CompressTensorOptions } from '@kompakt/entropy';
import { decompressTensorGpu } from '../src/index';
import { rng } from '../../../test/helpers/backends';
import { describeGpu, testDevice } from './device';
import { expectRejects, withBindingLimit } from './helpers';

/** Raw bytes of `count` Gaussian-ish f32 weights (skewed exponents, so some planes are rANS-coded). */
function weightBytes(count: number, seed: number): Uint8Array {
  const r = rng(seed);
  const w = Float32Array.from({ length: count }, () => (r() + r() + r() - 1.5) * 0.05);
  return new Uint8Array(w.buffer);
}

/** The error code (or 'ok' and the bytes) a decoder ends in. */
async function outcome(run: () => Uint8Array | Promise<Uint8Array>): Promise<{ code: string; bytes?: Uint8Array }> {
  try {
    return { code: 'ok', bytes: await run() };
  } catch (e) {
    if (!isKompaktError(e)) throw e;
    return { code: e.code };
  }
}

/** Recomputes every stored-chunk checksum and the header checksum, so damage inside chunks reaches the decoders. */
function reseal(stream: Uint8Array): Uint8Array {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const chunks = view.getUint32(16, true);
  let pos = 32 + 12 * chunks;
  for (let i = 0; i < chunks; i++) {
    const stored = view.getUint32(28 + 12 * i, true);
    view.setUint32(32 + 12 * i, xxh32(stream.subarray(pos, pos + stored)), true);
    pos += stored;
  }
  view.setUint32(28 + 12 * chunks, xxh32(stream.subarray(0, 28 + 12 * chunks)), true);
  return stream;
}

it('rejects what decompressTensor rejects before any GPU work', async () => {
  const stream = compressTensor(weightBytes(100, 1), { dtype: 'f32' });
  await expectRejects(decompressTensorGpu([1, 2] as unknown as Uint8Array), 'INVALID_TYPE');
  await expectRejects(decompressTensorGpu(stream.subarray(0, 20)), 'TRUNCATED');
  await expectRejects(decompressTensorGpu(stream, { base: new Uint8Array(400) }), 'INVALID_ARGUMENT');
  await expectRejects(decompressTensorGpu(stream, { level: 3 } as object), 'INVALID_ARGUMENT');
  const bad = stream.slice();
  bad[0] ^= 1;
  await expectRejects(decompressTensorGpu(bad), 'CORRUPT', /magic/);
});

describeGpu('.kpk decode on the GPU', () => {
  const device = testDevice!;
  const cases: [string, Uint8Array, CompressTensorOptions][] = [
    ['f32, 5 chunks, partial last', weightBytes(4500, 2), { dtype: 'f32', chunkSize: 4096 }],
    ['bf16, precision 11', weightBytes(3000, 3), { dtype: 'bf16', chunkSize: 4096, precision: 11 }],
    ['f16, precision 16', weightBytes(2000, 4), { dtype: 'f16', chunkSize: 4096, precision: 16 }],
    ['u8, skewed bytes', Uint8Array.from({ length: 10_000 }, (_, i) => (i * i) % 7 === 0 ? i & 255 : 3), { dtype: 'u8', chunkSize: 4096 }],
    ['f32, precision 20 (.kpk v2: exact-rANS planes decode on the CPU)', weightBytes(3000, 11), { dtype: 'f32', chunkSize: 4096, precision: 20 }],
    ['bf16, context modelling (.kpk v2: decoded on the CPU)', weightBytes(3000, 12), { dtype: 'bf16', chunkSize: 4096, context: true }],
    ['all zeros (constant planes only)', new Uint8Array(8192), { dtype: 'f32', chunkSize: 4096 }],
    ['empty', new Uint8Array(0), { dtype: 'f32' }],
  ];

  it.each(cases)('returns exactly the input bytes (%s)', async (_, bytes, opts) => {
    const stream = compressTensor(bytes, opts);
    expect(await decompressTensorGpu(stream, { device })).toEqual(bytes);
  });

  it('decodes a delta stream against its base and refuses a wrong base', async () => {
    const base = weightBytes(3000, 5);
    const tuned = base.slice();
    for (let i = 0; i < tuned.length; i += 4) tuned[i] ^= i & 7; // small mantissa edits
    const stream = compressTensor(tuned, { dtype: 'f32', base, chunkSize: 4096 });
    expect(await decompressTensorGpu(stream, { base, device })).toEqual(tuned);
    await expectRejects(decompressTensorGpu(stream, { base: tuned, device }), 'CHECKSUM');
    await expectRejects(decompressTensorGpu(stream, { device }), 'INVALID_ARGUMENT');
  });

  it('splits the planes of a large stream into dispatches that fit a storage binding', async () => {
    const bytes = weightBytes(6000, 10);
    const stream = compressTensor(bytes, { dtype: 'f32', chunkSize: 4096 });
    // 16 KiB: one precision-14 slot table (2^14 bytes) per dispatch
    expect(await decompressTensorGpu(stream, { device: withBindingLimit(device, 2 ** 14) })).toEqual(bytes);
  });

  it('ends in the same KompaktError as decompressTensor for damage behind valid checksums', async () => {
    const bytes = weightBytes(3000, 6);
    const stream = compressTensor(bytes, { dtype: 'f32', chunkSize: 4096 });
    const bodyStart = 32 + 12 * new DataView(stream.buffer).getUint32(16, true);
    const r = rng(7);
    const seen = new Set<string>();
    for (let trial = 0; trial < 40; trial++) {
      const damaged = stream.slice();
      const at = bodyStart + Math.floor(r() * (damaged.length - bodyStart));
      damaged[at] ^= 1 << Math.floor(r() * 8);
      reseal(damaged);
      const cpu = await outcome(() => decompressTensor(damaged));
      const gpu = await outcome(() => decompressTensorGpu(damaged, { device }));
      expect(gpu.code, `byte ${at}`).toBe(cpu.code);
      if (cpu.bytes) expect(gpu.bytes).toEqual(cpu.bytes);
      seen.add(cpu.code);
    }
    // the trials reach the decoder's own checks, not only the checksums
    expect(seen.has('CORRUPT') || seen.has('TRUNCATED')).toBe(true);
  });

  it('reports a lane state below 2^16 and a truncated stream as the CPU does', async () => {
    const stream = compressTensor(weightBytes(1024, 8), { dtype: 'f32', chunkSize: 4096 });
    // the first rANS plane: mode 2, precision, 32-byte bitmap, table, u32 length, then the 16 lane states
    const body = 32 + 12;
    let p = body;
    while (stream[p] !== 2) p += stream[p] === 1 ? 2 : 1 + 1024; // skip constant / raw planes
    const bitmap = stream.subarray(p + 2, p + 34);
    let q = p + 34;
    for (let k = 0; k < 256; k++) if (bitmap[k >> 3] & (1 << (k & 7))) while (stream[q++] & 0x80);
    const len = new DataView(stream.buffer).getUint32(q, true);
    const states = q + 4;
    const lowState = stream.slice();
    lowState.fill(0, states, states + 4);
    await expectRejects(decompressTensorGpu(reseal(lowState), { device }), 'CORRUPT');
    expect((await outcome(() => decompressTensor(lowState))).code).toBe('CORRUPT');
    // drop the stream's last word (and shrink every length that covers it)
    const cut = new Uint8Array(stream.length - 2);
    cut.set(stream.subarray(0, states + len - 2));
    cut.set(stream.subarray(states + len), states + len - 2);
    const v = new DataView(cut.buffer);
    v.setUint32(q, len - 2, true);
    v.setUint32(28, v.getUint32(28, true) - 2, true);
    const cpu = await outcome(() => decompressTensor(reseal(cut)));
    expect(['TRUNCATED', 'CORRUPT']).toContain(cpu.code);
    expect((await outcome(() => decompressTensorGpu(cut, { device }))).code).toBe(cpu.code);
  });
});
