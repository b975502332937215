import { open, stat } from 'node:fs/promises';
import { describePack, type PackHeader } from './pack.js';
import { detect, loadSource, toFloat32, valueStats, type TensorEntry, type ValueStats } from './sources.js';

export interface InspectTensor extends TensorEntry {
  elements: number;
  stats?: ValueStats;
}

export interface InspectResult {
  path: string;
  format: string;
  fileBytes: number;
  metadata: Record<string, unknown> | null;
  tensorCount: number;
  elements: number;
  tensorBytes: number;
  byDtype: Record<string, { tensors: number; elements: number; bytes: number }>;
  tensors: InspectTensor[];
  pack?: PackHeader & { packedBytes: number };
}

/** Lists the tensors of any supported file, with value statistics of float tensors unless `stats` is false. */
export async function inspect(path: string, opts: { stats: boolean; onProgress?: (done: number, total: number, name: string) => void }): Promise<InspectResult> {
  const kind = await detect(path);
  if (kind === 'kompakt-pack') {
    const pack = await describePack(path);
    return { path, format: 'kompakt-pack', fileBytes: pack.packedBytes, metadata: null, tensorCount: 0, elements: 0, tensorBytes: 0, byDtype: {}, tensors: [], pack };
  }
  if (kind === 'kpk') {
    const fh = await open(path, 'r');
    const head = new Uint8Array(32);
    try { await fh.read(head, 0, 32, 0); } finally { await fh.close(); }
    const dv = new DataView(head.buffer);
    const dtype = ['u8', 'f16', 'bf16', 'f32'][head[5]] ?? `unknown (${head[5]})`;
    return {
      path, format: 'kpk', fileBytes: (await stat(path)).size,
      metadata: { version: head[4], dtype, delta: (head[6] & 1) === 1, chunkBytes: 2 ** head[7], originalBytes: Number(dv.getBigUint64(8, true)), chunks: dv.getUint32(16, true) },
      tensorCount: 0, elements: 0, tensorBytes: 0, byDtype: {}, tensors: [],
    };
  }
  const src = await loadSource(path);
  try {
    const tensors: InspectTensor[] = [];
    const byDtype: InspectResult['byDtype'] = {};
    for (const [i, t] of src.tensors.entries()) {
      opts.onProgress?.(i, src.tensors.length, t.name);
      const elements = t.shape.reduce((a, b) => a * b, 1);
      const entry: InspectTensor = { ...t, elements };
      if (opts.stats) {
        const x = toFloat32(t.dtype, await src.raw(t.name));
        if (x) entry.stats = valueStats(x);
      }
      tensors.push(entry);
      const d = (byDtype[t.dtype] ??= { tensors: 0, elements: 0, bytes: 0 });
      d.tensors++;
      d.elements += elements;
      d.bytes += t.bytes;
    }
    return {
      path, format: src.kind, fileBytes: src.size, metadata: src.metadata, tensorCount: tensors.length,
      elements: tensors.reduce((a, t) => a + t.elements, 0), tensorBytes: tensors.reduce((a, t) => a + t.bytes, 0), byDtype, tensors,
    };
  } finally {
    await src.close();
  }
}
