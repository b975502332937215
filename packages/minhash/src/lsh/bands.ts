/**
 * Band buckets of an LSH index: band i of a signature is values [i·r, i·r + r); two signatures are
 * candidates when some band is equal. A band is stored under a 52-bit hash of its r values (two
 * independent 32-bit mixes), which keeps Map keys plain numbers; an accidental key collision only adds
 * a candidate (2^−52 per pair and band), and candidates are verified against the signatures anyway.
 */
export class BandBuckets {
  readonly bands: number;
  readonly rows: number;
  readonly #tables: Map<number, number[]>[];

  constructor(bands: number, rows: number) {
    this.bands = bands;
    this.rows = rows;
    this.#tables = Array.from({ length: bands }, () => new Map());
  }

  insert(slot: number, values: Uint32Array): void {
    for (let i = 0; i < this.bands; i++) {
      const key = this.#key(values, i);
      const bucket = this.#tables[i].get(key);
      if (bucket) bucket.push(slot);
      else this.#tables[i].set(key, [slot]);
    }
  }

  remove(slot: number, values: Uint32Array): void {
    for (let i = 0; i < this.bands; i++) {
      const key = this.#key(values, i);
      const bucket = this.#tables[i].get(key);
      if (!bucket) continue;
      const at = bucket.indexOf(slot);
      if (at >= 0) bucket.splice(at, 1);
      if (bucket.length === 0) this.#tables[i].delete(key);
    }
  }

  /** Every slot sharing at least one band with `values`. */
  candidates(values: Uint32Array): Set<number> {
    const found = new Set<number>();
    for (let i = 0; i < this.bands; i++) {
      const bucket = this.#tables[i].get(this.#key(values, i));
      if (bucket) for (const slot of bucket) found.add(slot);
    }
    return found;
  }

  #key(values: Uint32Array, band: number): number {
    let h1 = 0x9e3779b9 ^ band;
    let h2 = 0x85ebca6b + band;
    const start = band * this.rows;
    for (let j = start; j < start + this.rows; j++) {
      h1 = Math.imul(h1 ^ values[j], 0xcc9e2d51);
      h1 = (h1 << 15) | (h1 >>> 17);
      h2 = Math.imul(h2 + values[j], 0x1b873593) ^ (h2 >>> 13);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h2 = Math.imul(h2 ^ (h2 >>> 15), 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    return (h1 >>> 0) * 0x100000 + (h2 >>> 12);
  }
}
