import { availableBackends, setBackend } from '@kompakt/core';
import { sketchTexts } from '@kompakt/minhash';
import { corpus } from './minhash/corpus.mjs';
import { plainClassic, plainOph } from './minhash/plain.mjs';
import { measure, printTable } from './measure.mjs';

const K = 128;

/** docs/s of raw text → k = 128 signatures (shingling and hashing included), per lane. */
export const minhash = {
  name: 'minhash',
  async run() {
    const docs = corpus();
    const rate = (ns) => Math.round(docs.length / (ns / 1e9));
    const results = [];
    const rows = [];
    const plain = [
      ['classic, plain JS (baseline)', (d) => plainClassic(d, K)],
      ['OPH + densify, plain JS (baseline)', (d) => plainOph(d, K)],
    ];
    const base = {};
    for (const [label, fn] of plain) {
      const ns = measure(() => fn(docs), { samples: 1, minMs: 1 });
      base[label.startsWith('classic') ? 'classic' : 'oph'] = ns;
      rows.push([label, 'JS', rate(ns).toLocaleString('en'), '1.0×']);
    }
    const backends = availableBackends(['minhashUpdate']).filter((b) => b !== 'native');
    for (const backend of backends) {
      setBackend(backend);
      for (const [label, kind, fn] of [
        ['classic, xxh32', 'classic', (d) => sketchTexts(d, { method: 'classic', numPerm: K })],
        ['classic, sha1 (datasketch-exact)', 'classic', (d) => sketchTexts(d, { method: 'classic', numPerm: K, hash: 'sha1' })],
        ['OPH + densify, xxh32', 'oph', (d) => sketchTexts(d, { numPerm: K }).forEach((s) => s.hashvalues)],
      ]) {
        const ns = measure(() => fn(docs), { samples: 3, minMs: 1 });
        rows.push([label, backend, rate(ns).toLocaleString('en'), `${(base[kind] / ns).toFixed(1)}×`]);
        results.push({ suite: 'minhash', kernel: label, lane: backend, docsPerSecond: rate(ns) });
      }
    }
    setBackend('auto');
    console.log(`\nMinHash signatures, ${docs.length.toLocaleString('en')} documents of ~200 word 5-shingles, k = ${K}`);
    printTable(['method', 'lane', 'docs/s', 'vs baseline'], rows);
    return results;
  },
};
