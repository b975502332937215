import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { dedup } from '@kompakt/minhash';
import { CliError } from './errors.js';

export interface DedupCliOptions {
  threshold: number;
  field: string;
  ngram?: number;
  numPerm?: number;
  seed?: number;
  shingle?: 'word' | 'char';
  keep?: 'first' | 'longest';
  /** 'jsonl' reads `field` of each JSON line; 'text' takes each line as a document. */
  mode: 'jsonl' | 'text';
  onProgress?: (processed: number) => void;
}

export interface DedupCliResult {
  input: string;
  output: string;
  documents: number;
  clusters: number;
  duplicates: number;
  kept: number;
  seconds: number;
}

/** Runs near-duplicate detection over a JSONL or text file; returns the clusters as JSONL lines. */
export async function dedupFile(path: string, o: DedupCliOptions): Promise<{ lines: string[]; result: Omit<DedupCliResult, 'input' | 'output'> }> {
  const t0 = performance.now();
  const lineOf: number[] = [];
  async function* docs(): AsyncGenerator<string> {
    const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of rl) {
      line++;
      if (text.trim() === '') continue;
      lineOf.push(line);
      if (o.mode === 'text') {
        yield text;
        continue;
      }
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch (e) {
        throw new CliError('CORRUPT', `${path}:${line}: not valid JSON (${(e as Error).message}); use --text for plain text, one document per line`);
      }
      const v = rec !== null && typeof rec === 'object' ? (rec as Record<string, unknown>)[o.field] : undefined;
      if (typeof v !== 'string') throw new CliError('INVALID_ARGUMENT', `${path}:${line}: no string field "${o.field}" (choose it with --field)`);
      yield v;
    }
  }
  const r = await dedup(docs(), {
    threshold: o.threshold,
    ...(o.ngram !== undefined ? { ngram: o.ngram } : {}),
    ...(o.numPerm !== undefined ? { numPerm: o.numPerm } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.shingle !== undefined ? { shingle: o.shingle } : {}),
    ...(o.keep !== undefined ? { keep: o.keep } : {}),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  const keep = new Set(r.keep);
  const lines = r.clusters.map((members, cluster) => JSON.stringify({
    cluster, size: members.length, keep: members.find((m) => keep.has(m)) ?? members[0], members, lines: members.map((m) => lineOf[m]),
  }));
  const duplicates = r.clusters.reduce((a, c) => a + c.length - 1, 0);
  return { lines, result: { documents: r.total, clusters: r.clusters.length, duplicates, kept: r.keep.length, seconds: (performance.now() - t0) / 1e3 } };
}
