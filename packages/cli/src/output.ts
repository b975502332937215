import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

const pending = new Set<string>();
let hooked = false;

/** Removes every temp file still open (called on SIGINT/SIGTERM and on failure). */
export async function cleanupTemps(): Promise<void> {
  await Promise.all([...pending].map((p) => rm(p, { force: true }).catch(() => {})));
  pending.clear();
}

function hookSignals(): void {
  if (hooked) return;
  hooked = true;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      void cleanupTemps().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
    });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Checks an output path before any work: it must not be one of the inputs (even with --force), must
 * not exist unless `force`, and its folder must exist. Throws CliError.
 */
export async function checkOutput(out: string, inputs: string[], force: boolean): Promise<void> {
  const target = await canonical(out);
  for (const input of inputs) {
    if ((await canonical(input)) === target) throw new CliError('SAME_FILE', `${out}: the output would overwrite the input; choose another -o`);
  }
  if (await exists(out)) {
    const s = await stat(out);
    if (s.isDirectory()) throw new CliError('IO', `${out}: is a directory`);
    if (!force) throw new CliError('EXISTS', `${out}: already exists (use --force to overwrite)`);
  }
  const dir = dirname(resolve(out));
  if (!(await exists(dir))) throw new CliError('NOT_FOUND', `${dir}: the output folder does not exist`);
}

/**
 * An output written to a temp file in the target's folder and renamed over the target only when
 * `commit` is called, so an interrupted or failed run leaves nothing behind.
 */
export class AtomicFile {
  private constructor(readonly target: string, readonly temp: string, readonly fh: FileHandle) {}

  static async create(target: string): Promise<AtomicFile> {
    hookSignals();
    const temp = join(dirname(resolve(target)), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    pending.add(temp);
    try {
      const fh = await open(temp, 'wx');
      return new AtomicFile(target, temp, fh);
    } catch (e) {
      pending.delete(temp);
      throw e;
    }
  }

  /** Writes all of `bytes` at `position` (default: the current end). */
  async write(bytes: Uint8Array, position?: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.fh.write(bytes, done, bytes.length - done, position === undefined ? null : position + done);
      done += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    await this.fh.sync();
    await this.fh.close();
    await rename(this.temp, this.target);
    pending.delete(this.temp);
  }

  async abort(): Promise<void> {
    await this.fh.close().catch(() => {});
    await rm(this.temp, { force: true });
    pending.delete(this.temp);
  }
}

/** Runs `fill` on a fresh AtomicFile and commits it; any throw removes the temp file. */
export async function writeAtomic<T>(target: string, fill: (f: AtomicFile) => Promise<T>): Promise<T> {
  const f = await AtomicFile.create(target);
  try {
    const result = await fill(f);
    await f.commit();
    return result;
  } catch (e) {
    await f.abort();
    throw e;
  }
}
