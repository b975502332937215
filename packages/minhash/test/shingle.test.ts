import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MinHash, OnePermMinHash, normalizeText, setBackend, shingleHashes, shingles, sketchMatrix, sketchTexts } from '@kompakt/minhash';
import { meanVar, rng, testBackends } from './backends';

describe('normalization and shingles', () => {
  it('word mode: NFC, lowercase, non-word runs → one space', () => {
    expect(normalizeText('  Hello,   WORLD!! foo_bar 42 ')).toBe('hello world foo_bar 42');
    expect(normalizeText('Cafe\u0301 — naïve')).toBe('café naïve');
    expect(shingles('a b c d', { ngram: 2 })).toEqual(['a b', 'b c', 'c d']);
    expect(shingles('One two', { ngram: 5 })).toEqual(['one two']);
    expect(shingles(' !! ', { ngram: 3 })).toEqual([]);
  });

  // The xxh32 word-shingle token from its definition: fmix64(Σ wordHash(w_j)·B^(m−j) + m), low 32
  // bits, with word hashes computed independently (Python big integers) from the definition in
  // docs/internals.md: one chunk ("a", "abc"), exactly 8 bytes, two chunks, and non-ASCII UTF-8.
  it('xxh32 word shingles combine the word hashes (known answers)', () => {
    const M = (1n << 64n) - 1n;
    const mix = (x: bigint, c: bigint) => ((x ^ (x >> 33n)) * c) & M;
    const token = (...words: bigint[]) => {
      const h = words.reduce((acc, w) => (acc * 0xd6e8feb86659fd93n + w) & M, 0n) + BigInt(words.length);
      const x = mix(mix(h, 0xff51afd7ed558ccdn), 0xc4ceb9fe1a85ec53n);
      return Number((x ^ (x >> 33n)) & 0xffffffffn);
    };
    const [a, abc, h8, h10, cafe] = [0xd8369342n, 0x80e7d79cn, 0x51e2e4c9n, 0x8591af02n, 0xc8e8f93dn];
    expect([...shingleHashes('A, abc a', { ngram: 2 })]).toEqual([token(a, abc), token(abc, a)]);
    expect([...shingleHashes('abc A', { ngram: 5 })]).toEqual([token(abc, a)]);
    expect([...shingleHashes('a', { ngram: 1 })]).toEqual([token(a)]);
    expect([...shingleHashes('ABCDEFGH abcdefghij Café', { ngram: 1 })]).toEqual([token(h8), token(h10), token(cafe)]);
    expect(shingleHashes(' !! ').length).toBe(0);
    // sha1 and char shingles hash the shingle bytes, as updateBatch(shingles(text)) does.
    expect([...new MinHash({ hash: 'sha1' }).updateHashes(shingleHashes('x y z w', { ngram: 2, hash: 'sha1' })).hashvalues])
      .toEqual([...new MinHash({ hash: 'sha1' }).updateBatch(['x y', 'y z', 'z w']).hashvalues]);
    expect([...new MinHash().updateHashes(shingleHashes('abcd', { shingle: 'char', ngram: 3 })).hashvalues])
      .toEqual([...new MinHash().updateBatch(['abc', 'bcd']).hashvalues]);
  });

  it('char mode: whitespace runs → one space, punctuation kept, code points not UTF-16 units', () => {
    expect(normalizeText(' A\t\nB. ', 'char')).toBe('a b.');
    expect(shingles('ab😀c', { shingle: 'char', ngram: 2 })).toEqual(['ab', 'b😀', '😀c']);
    expect(shingles('ab', { shingle: 'char', ngram: 3 })).toEqual(['ab']);
  });
});

describe.each(testBackends())('sketchTexts on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('auto'));

  // The kernel normalizes ASCII itself and gets non-ASCII documents pre-normalized: whatever the
  // text, the result must equal the JS reference (shingles hashed one by one, or combined word hashes).
  it('equals updateBatch(shingles(text)) (sha1) and updateHashes(shingleHashes(text)) for any text, both modes and methods', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 200 }),
      fc.array(fc.constantFrom('The', 'cat', 'SAT', 'on', 'mat.', ' ', '\n', 'É', 'ß', '—', '!!'), { maxLength: 40 }).map((w) => w.join(' ')));
    fc.assert(fc.property(fc.array(text, { maxLength: 6 }), fc.constantFrom('word' as const, 'char' as const), fc.integer({ min: 1, max: 6 }), (docs, shingle, ngram) => {
      const classic = sketchTexts(docs, { method: 'classic', numPerm: 12, shingle, ngram, hash: 'sha1' });
      const oph = sketchTexts(docs, { numPerm: 16, shingle, ngram });
      docs.forEach((d, i) => {
        const sh = shingles(d, { shingle, ngram });
        expect([...classic[i].hashvalues]).toEqual([...new MinHash({ numPerm: 12, hash: 'sha1' }).updateBatch(sh).hashvalues]);
        expect([...oph[i].bins]).toEqual([...new OnePermMinHash({ numPerm: 16 }).updateHashes(shingleHashes(d, { shingle, ngram })).bins]);
      });
    }), { numRuns: 150 });
  });

  // Long documents exercise the kernel's 16-byte chunk scan: separators at and across chunk edges,
  // leading/trailing runs, uppercase, non-ASCII words.
  it('long documents: word shingles equal the JS reference across chunk boundaries', () => {
    const piece = fc.constantFrom('ab', 'Cd', 'x', 'Hello', 'wörd', '_9', ' ', '  ', ', ', '.', '\t', 'ABCDEFGHIJKLMNOPQRS', '0123456789abcdef');
    fc.assert(fc.property(fc.array(fc.array(piece, { minLength: 1, maxLength: 80 }).map((p) => p.join('')), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), (docs, ngram) => {
      const oph = sketchTexts(docs, { numPerm: 16, ngram });
      const classic = sketchTexts(docs, { method: 'classic', numPerm: 8, ngram, hash: 'sha1' });
      docs.forEach((d, i) => {
        expect([...oph[i].bins]).toEqual([...new OnePermMinHash({ numPerm: 16 }).updateHashes(shingleHashes(d, { ngram })).bins]);
        expect([...classic[i].hashvalues]).toEqual([...new MinHash({ numPerm: 8, hash: 'sha1' }).updateBatch(shingles(d, { ngram })).hashvalues]);
      });
    }), { numRuns: 200 });
  });

  it('sketchMatrix rows equal sketchTexts hashvalues; counts are the shingle counts', () => {
    const docs = ['The cat sat on the mat, the cat sat.', '', 'one two', 'Ünïcode wörds here and there again', '  !! '];
    for (const method of ['classic', 'oph'] as const) {
      const m = sketchMatrix(docs, { method, numPerm: 24, ngram: 3, seed: 7 });
      expect([m.method, m.numPerm, m.seed, m.hash]).toEqual([method, 24, 7, 'xxh32']);
      expect(m.signatures.length).toBe(docs.length * 24);
      const each = sketchTexts(docs, { method, numPerm: 24, ngram: 3, seed: 7 });
      docs.forEach((d, i) => {
        expect([...m.signatures.subarray(i * 24, (i + 1) * 24)]).toEqual([...each[i].hashvalues]);
        expect(m.counts[i]).toBe(shingles(d, { ngram: 3 }).length);
      });
    }
  });

  // The combined word tokens must behave like independent random hashes: over 600 fresh document
  // pairs (random words, a random tail replaced), the estimate is unbiased around the exact word
  // 5-shingle Jaccard with classic's variance J(1 − J)/k (OPH: at most about that).
  it.each(['classic', 'oph'] as const)('%s estimates from text are unbiased with the variance of random hashes', (method) => {
    const next = rng(method === 'oph' ? 5 : 6);
    const k = 128;
    const errors: number[] = [];
    let sigma2 = 0;
    const trials = 600;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 200 }, () => `v${next()}`);
      const b = a.map((w, i) => (i >= 200 - (20 + (next() % 100)) ? `u${next()}` : w));
      const x = new Set(shingles(a.join(' ')));
      const y = new Set(shingles(b.join(' ')));
      const shared = [...x].filter((g) => y.has(g)).length;
      const j = shared / (x.size + y.size - shared);
      const m = sketchMatrix([a.join(' '), b.join(' ')], { method, numPerm: k });
      let equal = 0;
      for (let i = 0; i < k; i++) if (m.signatures[i] === m.signatures[k + i]) equal++;
      errors.push(equal / k - j);
      sigma2 += (j * (1 - j)) / k / trials;
    }
    const { mean, variance } = meanVar(errors);
    expect(Math.abs(mean / Math.sqrt(sigma2 / trials))).toBeLessThan(4.5);
    expect(variance / sigma2).toBeLessThan(1.25);
    if (method === 'classic') expect(variance / sigma2).toBeGreaterThan(0.75);
  });

  it('handles documents larger than one batch', () => {
    const big = Array.from({ length: 300_000 }, (_, i) => `w${i % 977}`).join(' ');
    const [s] = sketchTexts([big, 'tiny doc here'], { numPerm: 64 });
    expect(s.isEmpty()).toBe(false);
  });
});

describe('sketchTexts across backends and threads', () => {
  afterAll(() => setBackend('auto'));

  // ~600 KB: enough for the native kernel to split documents across threads.
  const docs = Array.from({ length: 400 }, (_, d) => Array.from({ length: 220 }, (_, w) => `${w % 7 === 0 ? 'The, ' : ''}W${(d * 31 + w * w) % 4099}`).join(' '));

  it('every backend and thread count gives the same signatures', () => {
    const rows = (threads: number) => [
      ...sketchTexts(docs, { method: 'classic', numPerm: 20, threads }).map((s) => [...s.hashvalues]),
      ...sketchTexts(docs, { numPerm: 64, threads }).map((s) => [...s.hashvalues]),
    ];
    setBackend('wasm-scalar');
    const reference = rows(1);
    for (const backend of testBackends()) {
      setBackend(backend);
      for (const threads of [1, 0, 3]) expect(rows(threads)).toEqual(reference);
    }
  });
});
