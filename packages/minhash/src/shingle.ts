import { KompaktError, checkInteger, checkOptions, describe } from '@kompakt/core';

/** How a document becomes a set of shingles. */
export interface ShingleOptions {
  /** 'word' (default): word n-grams; 'char': code-point n-grams. */
  shingle?: 'word' | 'char';
  /** n of the n-grams, 1 … 64. Default 5. */
  ngram?: number;
}

export const SHINGLE_KEYS = ['shingle', 'ngram'] as const;
export const MAX_NGRAM = 64;

export interface ShinglePlan {
  shingle: 'word' | 'char';
  ngram: number;
}

export function parseShingle(opts: Partial<ShingleOptions>, fn: string): ShinglePlan {
  const shingle = opts.shingle ?? 'word';
  if (shingle !== 'word' && shingle !== 'char') {
    throw new KompaktError('INVALID_ARGUMENT', `${fn}: shingle must be 'word' or 'char', got ${describe(shingle)}`);
  }
  const ngram = opts.ngram === undefined ? 5 : checkInteger(opts.ngram, `${fn}: ngram`, 1, MAX_NGRAM);
  return { shingle, ngram };
}

// Python's `\W` on str (text-dedup, BigCode v2): anything but letters, numbers and '_' separates words.
const NON_WORD = /[^\p{L}\p{N}_]+/gu;
const SPACES = /\s+/gu;

/**
 * The text the shingles are cut from. Both modes apply Unicode NFC, then lowercase (toLowerCase, so
 * locale-independent). 'word': every run of characters other than letters (\p{L}), numbers (\p{N})
 * and '_' becomes one space (punctuation separates words and is dropped), trimmed. 'char': every run
 * of whitespace becomes one space, trimmed; punctuation is kept.
 */
export function normalizeText(text: string, shingle: 'word' | 'char' = 'word'): string {
  const lower = text.normalize('NFC').toLowerCase();
  return (shingle === 'word' ? lower.replace(NON_WORD, ' ') : lower.replace(SPACES, ' ')).trim();
}

/**
 * The shingles of a document, in order (duplicates kept), as the sketch kernels cut them:
 * word n-grams joined by one space, or n consecutive code points. A document with fewer than n
 * words (code points) but at least one gives a single shingle, the whole normalized text; an empty
 * one gives none. Sketching hashes the UTF-8 bytes of each shingle.
 */
export function shingles(text: string, options?: ShingleOptions): string[] {
  if (typeof text !== 'string') throw new KompaktError('INVALID_TYPE', `shingles: text must be a string, got ${describe(text)}`);
  const { shingle, ngram } = parseShingle(checkOptions<ShingleOptions>(options, 'shingles options', SHINGLE_KEYS), 'shingles');
  const norm = normalizeText(text, shingle);
  if (norm === '') return [];
  const units = shingle === 'word' ? norm.split(' ') : Array.from(norm);
  const sep = shingle === 'word' ? ' ' : '';
  if (units.length < ngram) return [units.join(sep)];
  const out: string[] = [];
  for (let i = 0; i + ngram <= units.length; i++) out.push(units.slice(i, i + ngram).join(sep));
  return out;
}
