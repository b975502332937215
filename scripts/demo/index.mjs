// `npm start`: a tour of the `kompakt` command on real data installed by npm (no network): the USE-lite
// model's weights and the SpamAssassin corpus. Every step runs the CLI as a user would and is timed;
// outputs go to a temp folder, of which report.html is kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '@kompakt/io';
import { kompakt, mib } from './cli.mjs';
import { CORPUS, readCorpus } from './corpus.mjs';
import { MODEL, modelDir, readModel } from './tfjs.mjs';

const out = mkdtempSync(join(tmpdir(), 'kompakt-tour-'));
const timings = [];
async function step(title, run) {
  console.log(`\n## ${title}`);
  const t0 = performance.now();
  await run();
  timings.push([title, performance.now() - t0]);
}
const secs = (ms) => `${(ms / 1e3).toFixed(2)} s`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log(`Kompakt tour: the kompakt CLI on ${MODEL} (Universal Sentence Encoder lite, TF.js) and ${CORPUS}`);
console.log(`outputs in ${out}`);
// The intermediates are large; only report.html and clusters.jsonl stay, even when a step fails.
process.on('exit', () => {
  for (const f of ['use-lite.safetensors', 'use-lite.safetensors.kpk', 'use-lite.safetensors.back', 'use-lite.mxfp4.safetensors', 'emails.jsonl']) rmSync(join(out, f), { force: true });
});

await step('inspect: the TF.js model', () => {
  const { result: r, ms } = kompakt(['inspect', modelDir()], out);
  const dtypes = Object.entries(r.byDtype).map(([d, v]) => `${d} ×${v.tensors}`).join(', ');
  const largest = r.tensors.reduce((a, t) => (t.elements > a.elements ? t : a));
  console.log(`kompakt inspect <model folder>: ${r.tensorCount} tensors (${dtypes}), ${r.elements.toLocaleString('en-US')} values, ${mib(r.fileBytes)} on disk (${secs(ms)})`);
  console.log(`largest: ${largest.name} [${largest.shape.join(', ')}], std ${largest.stats.std.toPrecision(3)}, range ${largest.stats.min.toPrecision(3)} … ${largest.stats.max.toPrecision(3)}`);
});

// pack takes one file; a TF.js model is a folder of headerless shards, so it becomes one safetensors
// file first (with @kompakt/io), which also gives the codec every tensor's dtype.
const model = join(out, 'use-lite.safetensors');
await step('pack / unpack: lossless, verified bit-exact', async () => {
  const tensors = Object.fromEntries((await readModel()).map((t) => [t.name, { dtype: t.dtype === 'float32' ? 'F32' : 'I32', shape: t.shape, data: t.data }]));
  writeFileSync(model, writeSafetensors(tensors));
  const p = kompakt(['pack', model, '-o', `${model}.kpk`], out);
  const u = kompakt(['unpack', `${model}.kpk`, '-o', `${model}.back`], out);
  const same = Buffer.compare(readFileSync(model), readFileSync(`${model}.back`)) === 0;
  if (!same || !u.result.verified) throw new Error('unpack did not restore the file byte for byte');
  const f32 = p.result.byDtype.f32;
  console.log(`kompakt pack use-lite.safetensors: ${mib(p.result.originalBytes)} → ${mib(p.result.packedBytes)}, ratio ${p.result.ratio.toFixed(4)} (f32 tensors ${f32.ratio.toFixed(4)}), ${secs(p.ms)}`);
  console.log(`kompakt unpack: sha256 ${u.result.sha256.slice(0, 16)}… verified; the restored file is bit-exact (compared here too), ${secs(u.ms)}`);
  rmSync(`${model}.back`);
});

await step('quantize: MXFP4 with a Hadamard rotation', () => {
  const { result: r, ms } = kompakt(['quantize', model, '--format', 'mxfp4', '--hadamard', '-o', 'use-lite.mxfp4.safetensors'], out);
  const db = r.quantized.map((t) => t.sqnrDb);
  console.log(`kompakt quantize --format mxfp4 --hadamard: ${r.quantized.length} weight matrices quantized, ${r.copied.length} copied unchanged (1-D, scalars, int32)`);
  console.log(`SQNR per matrix: min ${Math.min(...db).toFixed(2)} dB, median ${median(db).toFixed(2)} dB, max ${Math.max(...db).toFixed(2)} dB; ${mib(r.inputBytes)} → ${mib(r.outputBytes)}, ${secs(ms)}`);
});

await step('dedup: near-duplicate emails (MinHash + LSH)', () => {
  const mails = readCorpus();
  writeFileSync(join(out, 'emails.jsonl'), mails.map((m) => `${JSON.stringify({ text: m.body })}\n`).join(''));
  const { result: r, ms } = kompakt(['dedup', 'emails.jsonl', '--threshold', '0.8', '--ngram', '5', '--num-perm', '128', '-o', 'clusters.jsonl'], out);
  console.log(`kompakt dedup emails.jsonl --threshold 0.8: ${r.documents} email bodies, ${r.clusters} clusters, ${r.duplicates} near-duplicates to drop, ${r.kept} kept (${secs(ms)})`);
  const clusters = readFileSync(join(out, 'clusters.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => b.size - a.size);
  for (const c of clusters.slice(0, 3)) {
    console.log(`  ${c.size} emails, e.g. ${c.members.slice(0, 2).map((i) => `"${mails[i].subject.replace(/\s+/g, ' ').slice(0, 50)}"`).join(', ')}`);
  }
});

await step('report: every quantizer, lossless ratios, rotation', () => {
  const maxValues = 1 << 18;
  const { result: r, ms } = kompakt(['report', modelDir(), '-o', 'report.html', '--max-values', String(maxValues)], out);
  console.log(`kompakt report <model folder> -o report.html (${secs(ms)}): pooled over the weight matrices (≤ ${maxValues.toLocaleString('en-US')} values each)`);
  console.log(`${'format'.padEnd(14)}${'bits/w'.padStart(8)}${'SQNR dB'.padStart(9)}${'+ Hadamard'.padStart(12)}`);
  for (const p of r.sqnr.filter((x) => !x.hadamard)) {
    const h = r.sqnr.find((x) => x.format === p.format && x.hadamard);
    console.log(`${p.format.padEnd(14)}${p.bitsPerWeight.toFixed(3).padStart(8)}${p.sqnrDb.toFixed(2).padStart(9)}${h.sqnrDb.toFixed(2).padStart(12)}`);
  }
  const l = r.lossless;
  const ratios = (x) => `.kpk ${x.kpk.toFixed(4)}, gzip -9 ${x.gzip.toFixed(4)}${x.zstd === null ? '' : `, ${r.zstd} ${x.zstd.toFixed(4)}`}`;
  if (l) console.log(`lossless, every tensor on its own: ${ratios(l)}`);
  if (r.losslessBf16) console.log(`lossless, the fp32 tensors rounded to bf16: ${ratios(r.losslessBf16)}`);
  if (r.histogram) console.log(`rotation of ${r.histogram.tensor}: max|x|/rms ${r.histogram.peakToRms.map((v) => v.toFixed(2)).join(' → ')}, kurtosis ${r.histogram.kurtosis.map((v) => v.toFixed(2)).join(' → ')}`);
});

console.log('\n## Timings (wall, each step spawns the CLI)');
for (const [title, ms] of timings) console.log(`${secs(ms).padStart(8)}  ${title.split(':')[0]}`);
console.log(`\nOpen ${join(out, 'report.html')} in a browser for the plots (clusters.jsonl is there too).`);
