/** Disjoint sets over 0, 1, 2, … (grown with add()), union by size with path halving. */
export class UnionFind {
  readonly #parent: number[] = [];
  readonly #size: number[] = [];

  add(): number {
    const id = this.#parent.length;
    this.#parent.push(id);
    this.#size.push(1);
    return id;
  }

  get length(): number {
    return this.#parent.length;
  }

  find(x: number): number {
    const p = this.#parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (this.#size[ra] < this.#size[rb]) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] += this.#size[rb];
  }
}
