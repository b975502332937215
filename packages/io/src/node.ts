/**
 * @kompakt/io/node: readers over file handles, for files larger than memory. They read the header
 * only, then each tensor on request with positioned reads; nothing else of the file is loaded.
 * Kept out of the default entry so browser bundles never import node:fs.
 * @packageDocumentation
 */
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { KompaktError } from '@kompakt/core';
import { fail, q } from './errors.js';
import { parseGgufHeader, type GgufHeader, type GgufTensor, type GgufTensorInfo, type GgufValue } from './gguf/read.js';
import {
  parseSafetensorsHeader, safetensorsHeaderSize, toTypedArray,
  type SafetensorsHeader, type SafetensorsTensor, type SafetensorsTensorInfo,
} from './safetensors/read.js';
import { readTfjsWeights, type TfjsTensor } from './tfjs.js';

export * from './index.js';

/** Read exactly `length` bytes at `position` into a fresh buffer (fh.read may return fewer). */
async function readAt(fh: FileHandle, position: number, length: number, source: string): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await fh.read(out, done, length - done, position + done);
    if (bytesRead === 0) fail('TRUNCATED', source, `the file ended at byte ${position + done} while reading ${length} bytes at ${position}`);
    done += bytesRead;
  }
  return out;
}

/** Shared by both file readers: lookup by name, positioned reads, close. */
abstract class FileReader<Info extends { name: string; start: number; end: number }> {
  private readonly byName: Map<string, Info>;

  protected constructor(
    protected readonly fh: FileHandle,
    readonly path: string,
    tensors: Info[],
  ) {
    this.byName = new Map(tensors.map((t) => [t.name, t]));
  }

  info(name: string): Info {
    const t = this.byName.get(name);
    if (!t) throw new KompaktError('INVALID_ARGUMENT', `${this.path}: no tensor ${q(name)} (the file has ${this.byName.size})`);
    return t;
  }

  protected bytesOf(t: Info): Promise<Uint8Array> {
    return readAt(this.fh, t.start, t.end - t.start, `${this.path}: tensor ${q(t.name)}`);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

export class SafetensorsFile extends FileReader<SafetensorsTensorInfo> implements SafetensorsHeader {
  readonly metadata: Record<string, string> | null;
  readonly tensors: SafetensorsTensorInfo[];
  readonly dataStart: number;

  /** @internal use openSafetensors */
  constructor(fh: FileHandle, path: string, header: SafetensorsHeader) {
    super(fh, path, header.tensors);
    ({ metadata: this.metadata, tensors: this.tensors, dataStart: this.dataStart } = header);
  }

  names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  /** Read one tensor from disk (owned, aligned memory). */
  async tensor(name: string): Promise<SafetensorsTensor> {
    const t = this.info(name);
    return { name: t.name, dtype: t.dtype, shape: t.shape.slice(), data: toTypedArray(t.dtype, await this.bytesOf(t)) };
  }
}

/** Open a safetensors file: reads and validates the header only. Close it when done. */
export async function openSafetensors(path: string): Promise<SafetensorsFile> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const first8 = await readAt(fh, 0, Math.min(8, size), path);
    const headerSize = safetensorsHeaderSize(first8, { name: path });
    if (headerSize > size) fail('TRUNCATED', path, `the header needs ${headerSize} bytes, the file has ${size}`);
    const prefix = await readAt(fh, 0, headerSize, path);
    return new SafetensorsFile(fh, path, parseSafetensorsHeader(prefix, size, { name: path }));
  } catch (e) {
    await fh.close();
    throw e;
  }
}

export class GgufFile extends FileReader<GgufTensorInfo> implements GgufHeader {
  readonly version: 2 | 3;
  readonly metadata: Map<string, GgufValue>;
  readonly metadataTypes: Map<string, string>;
  readonly alignment: number;
  readonly tensors: GgufTensorInfo[];
  readonly dataStart: number;

  /** @internal use openGguf */
  constructor(fh: FileHandle, path: string, header: GgufHeader) {
    super(fh, path, header.tensors);
    ({ version: this.version, metadata: this.metadata, metadataTypes: this.metadataTypes, alignment: this.alignment, tensors: this.tensors, dataStart: this.dataStart } = header);
  }

  names(): string[] {
    return this.tensors.map((t) => t.name);
  }

  /** Read one tensor's raw bytes from disk. */
  async tensor(name: string): Promise<GgufTensor> {
    const t = this.info(name);
    return { ...t, dims: t.dims.slice(), shape: t.shape.slice(), data: await this.bytesOf(t) };
  }
}

/** GGUF headers with big vocabularies run to tens of MB; past this the header is TOO_LARGE. */
const GGUF_MAX_HEADER = 512 * 1024 * 1024;

/** Open a GGUF file: reads the header (growing the read until it fits), not the tensors. */
export async function openGguf(path: string): Promise<GgufFile> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let length = Math.min(size, 1 << 20);
    for (;;) {
      const parsed = parseGgufHeader(await readAt(fh, 0, length, path), size, { name: path });
      if (!('needed' in parsed)) return new GgufFile(fh, path, parsed);
      if (parsed.needed > GGUF_MAX_HEADER) fail('TOO_LARGE', path, `the header runs past ${GGUF_MAX_HEADER} bytes`);
      length = Math.min(size, Math.max(parsed.needed, length * 2));
    }
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/**
 * Read a TF.js graph or layers model's weights from disk: `path` is model.json or the folder
 * holding it. Shard paths must stay inside that folder.
 */
export async function readTfjsModel(path: string): Promise<{ model: Record<string, unknown>; tensors: TfjsTensor[] }> {
  const modelJson = (await stat(path)).isDirectory() ? join(path, 'model.json') : path;
  const dir = dirname(modelJson);
  let model: Record<string, unknown>;
  try {
    model = JSON.parse(await readFile(modelJson, 'utf8'));
  } catch (e) {
    if (e instanceof SyntaxError) fail('CORRUPT', modelJson, `not valid JSON (${e.message})`);
    throw e;
  }
  const shards = new Map<string, Uint8Array>();
  const groups = (model as { weightsManifest?: { paths?: unknown }[] })?.weightsManifest;
  for (const g of Array.isArray(groups) ? groups : []) {
    for (const p of Array.isArray(g?.paths) ? g.paths : []) {
      if (typeof p !== 'string' || shards.has(p)) continue;
      const rel = normalize(p);
      if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) fail('CORRUPT', modelJson, `shard path ${q(p)} leaves the model folder`);
      shards.set(p, await readFile(join(dir, rel)));
    }
  }
  const tensors = readTfjsWeights(model as never, (p) => {
    const b = shards.get(p)!;
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }, { name: modelJson });
  return { model, tensors };
}
