import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { AdaptiveModel, decodeStream, encodeStream } from '@kompakt/entropy';
import { rng } from './backends.js';

const dir = mkdtempSync(join(tmpdir(), 'kompakt-kprc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('framed streams through files (the README example)', () => {
  it('writes with a write stream and reads back with fs.createReadStream, block by block', async () => {
    const path = join(dir, 'codes.kprc');
    const blocks = 12;
    // Symbols are generated lazily; neither side ever holds more than one block of them.
    function* symbolArrays() {
      const next = rng(77);
      for (let b = 0; b < blocks; b++) yield Uint16Array.from({ length: 50_000 }, () => Math.floor(next() ** 2 * 4096));
    }
    const out = createWriteStream(path);
    for await (const chunk of encodeStream(symbolArrays(), new AdaptiveModel(4096), { blockSize: 65536 })) {
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    // The source's entropy is ≈ 11.56 bits per symbol; the adaptive model must beat the 12-bit uniform code.
    expect(statSync(path).size).toBeLessThan((blocks * 50_000 * 12) / 8);

    const expected = symbolArrays();
    let pending: number[] = [];
    let seen = 0;
    for await (const values of decodeStream(createReadStream(path, { highWaterMark: 4096 }), new AdaptiveModel(4096))) {
      expect(values.length).toBeLessThanOrEqual(65536);
      pending.push(...values);
      while (pending.length >= 50_000) {
        const want = expected.next().value as Uint16Array;
        expect(pending.slice(0, 50_000)).toEqual(Array.from(want));
        pending = pending.slice(50_000);
        seen++;
      }
    }
    expect([seen, pending.length]).toEqual([blocks, 0]);
  });
});
