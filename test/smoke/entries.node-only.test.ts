import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// The published entry points, loaded the way users load them: plain Node, ESM and CJS, no bundler.
function node(code: string, type: 'module' | 'commonjs'): string {
  const args = type === 'module' ? ['--input-type=module', '-e', code] : ['-e', code];
  return execFileSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, KOMPAKT_BACKEND: 'wasm' } }).trim();
}

describe('package entry points', () => {
  it('import() the ESM builds', () => {
    const out = node(
      "import { fwht, getBackend } from '@kompakt/hadamard'; import { toBf16 } from '@kompakt/core';" +
        "console.log(getBackend(), Array.from(fwht(Float32Array.of(1, 2, 3, 4), { normalize: false })).join(','), toBf16(1))",
      'module',
    );
    expect(out).toBe('wasm-simd 10,-2,-4,0 16256');
  });

  it('require() the CJS builds', () => {
    const out = node(
      "const { rht, irht } = require('@kompakt/hadamard'); const x = Float32Array.of(1, 2, 3, 4);" +
        'irht(rht(x, { seed: 1 }), { seed: 1 }); console.log(Array.from(x, Math.round).join(","))',
      'commonjs',
    );
    expect(out).toBe('1,2,3,4');
  });

  it('loads @kompakt/mx in both module systems', () => {
    const code = "const q = quantize(Float32Array.of(0, 0.5, 4, -0, -0, 1, -6, 3), { format: 'mxfp4', n: 8 }); console.log(Array.from(q.codes, (b) => b.toString(16)).join(','), q.scales[0])";
    // torchao's published FP4 pack bytes, then the zero padding of the 32-value block; amax 6 → se = 2 − 2 → byte 127.
    const expected = `10,86,28,5f,${Array(12).fill(0).join(',')} 127`;
    expect(node(`import { quantize } from '@kompakt/mx'; ${code}`, 'module')).toBe(expected);
    expect(node(`const { quantize } = require('@kompakt/mx'); ${code}`, 'commonjs')).toBe(expected);
  });

  it('loads @kompakt/io and its Node subpath in both module systems', () => {
    const code = "const b = writeSafetensors({ w: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) } }); console.log(readSafetensors(b).names().join(','), typeof readTfjsModel)";
    expect(node(`import { writeSafetensors, readSafetensors } from '@kompakt/io'; import { readTfjsModel } from '@kompakt/io/node'; ${code}`, 'module')).toBe('w function');
    expect(node(`const { writeSafetensors, readSafetensors, readTfjsModel } = require('@kompakt/io/node'); ${code}`, 'commonjs')).toBe('w function');
  });

  it('fails loudly when a forced backend is missing or unknown', () => {
    const code = "const { fwht } = require('@kompakt/hadamard'); try { fwht(new Float32Array(4)); } catch (e) { console.log(e.code) }";
    const run = (backend: string) =>
      execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, KOMPAKT_BACKEND: backend, NODE_PATH: '' } }).trim();
    expect(run('gpu')).toBe('INVALID_ARGUMENT');
    expect(run('wasm-scalar')).toBe('');
  });
});
