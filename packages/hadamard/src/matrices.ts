/**
 * Small Hadamard matrices (entries ±1, H·Hᵀ = k·I) for the non-power-of-two sizes a transform may need.
 *
 * Every matrix is built at first use from a classical construction instead of being shipped as a
 * literal table: Paley I / Paley II over GF(q), a Kronecker doubling, and the Williamson array. The only
 * stored data are the four defining rows of the two Williamson quadruples (≈ 330 characters).
 *
 * @module
 */

/** A finite field GF(p^r), just enough of it for Paley's constructions. */
interface Field {
  readonly q: number;
  /** x − y, on field elements encoded as integers 0..q−1 (base-p digits = polynomial coefficients). */
  sub(x: number, y: number): number;
  /** chi[x] = quadratic character of x: +1 for a nonzero square, −1 for a non-square, 0 for x = 0. */
  readonly chi: Int8Array;
}

/**
 * GF(p^r) = GF(p)[x] / (x^r − Σ xr[i]·x^i). Elements are the integers 0..q−1 read as base-p digit
 * strings, lowest coefficient first, so addition is digit-wise mod p and needs no tables. Multiplication
 * is only needed once, to enumerate the nonzero squares that define χ. For a prime field pass r = 1.
 * `xr` must make x^r − Σ xr[i]·x^i irreducible over GF(p); the Paley tests would fail otherwise.
 */
function galoisField(p: number, r = 1, xr: readonly number[] = []): Field {
  const q = p ** r;
  const digits = (x: number): number[] => Array.from({ length: r }, (_, i) => Math.floor(x / p ** i) % p);
  const encode = (d: readonly number[]): number => d.reduceRight((acc, c) => acc * p + c, 0);
  const sub = (x: number, y: number): number => {
    const dx = digits(x);
    const dy = digits(y);
    return encode(dx.map((c, i) => (c - dy[i]! + p) % p));
  };
  const mul = (x: number, y: number): number => {
    const dx = digits(x);
    const dy = digits(y);
    const prod = new Array<number>(2 * r - 1).fill(0);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) prod[i + j]! += dx[i]! * dy[j]!;
    // Fold every power ≥ r back down with x^r = Σ xr[i]·x^i, highest power first.
    for (let d = 2 * r - 2; d >= r; d--) {
      for (let i = 0; i < r; i++) prod[d - r + i]! += prod[d]! * xr[i]!;
      prod[d] = 0;
    }
    return encode(prod.slice(0, r).map((c) => c % p));
  };
  const chi = new Int8Array(q).fill(-1);
  chi[0] = 0;
  for (let x = 1; x < q; x++) chi[mul(x, x)] = 1;
  return { q, sub, chi };
}

/**
 * Paley I, for q ≡ 3 (mod 4): order q + 1. With the Jacobsthal matrix Q[i][j] = χ(a_j − a_i) (skew, since
 * χ(−1) = −1; Q·Qᵀ = qI − J; zero row sums), S = [[0, 1ᵀ], [−1, Q]] is skew with S·Sᵀ = qI, so I + S is
 * Hadamard. We return it with the bottom q rows negated, [[1, 1ᵀ], [1, Qᵀ − I]], which is the normalized
 * form: first row and first column all +1.
 */
function paleyI(f: Field): Float32Array {
  const n = f.q + 1;
  const h = new Float32Array(n * n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 1; j < n; j++) h[i * n + j] = i === j ? -1 : f.chi[f.sub(i - 1, j - 1)]!;
  }
  return h;
}

/**
 * Paley II, for q ≡ 1 (mod 4): order 2(q + 1). Q is now symmetric (χ(−1) = +1), so C = [[0, 1ᵀ], [1, Q]] is a
 * symmetric conference matrix (C·Cᵀ = qI). Replacing each 0 of C by [[1, −1], [−1, −1]] and each ±1 by
 * ±[[1, 1], [1, −1]] gives a Hadamard matrix (the two 2×2 blocks are orthogonal and each has norm 2).
 */
function paleyII(f: Field): Float32Array {
  const m = f.q + 1;
  const n = 2 * m;
  const h = new Float32Array(n * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const c = i === j ? 0 : i === 0 || j === 0 ? 1 : f.chi[f.sub(j - 1, i - 1)]!;
      const block = c === 0 ? [1, -1, -1, -1] : [c, c, c, -c];
      for (let b = 0; b < 4; b++) h[(2 * i + (b >> 1)) * n + 2 * j + (b & 1)] = block[b]!;
    }
  }
  return h;
}

/** Kronecker product a ⊗ b; the product of Hadamard matrices of orders na and nb is Hadamard of order na·nb. */
function kron(a: Float32Array, na: number, b: Float32Array, nb: number): Float32Array {
  const n = na * nb;
  const h = new Float32Array(n * n);
  for (let i = 0; i < na; i++)
    for (let j = 0; j < na; j++)
      for (let k = 0; k < nb; k++)
        for (let l = 0; l < nb; l++) h[(i * nb + k) * n + j * nb + l] = a[i * na + j]! * b[k * nb + l]!;
  return h;
}

const H2 = Float32Array.of(1, 1, 1, -1);

/**
 * Williamson array [[A, B, C, D], [−B, A, −D, C], [−C, D, A, −B], [−D, −C, B, A]] of order 4m. Symmetric
 * circulants commute, so the off-diagonal block products cancel and H·Hᵀ = I₄ ⊗ (A² + B² + C² + D²) = 4m·I.
 * Each block is circulant(row)[i][j] = row[(j − i) mod m]; entries of `array` are ±(1 + index into rows).
 */
function williamson(rows: readonly [string, string, string, string]): Float32Array {
  const m = rows[0].length;
  const seqs = rows.map((s) => Array.from(s, (c) => (c === '+' ? 1 : -1)));
  const array = [
    [1, 2, 3, 4],
    [-2, 1, -4, 3],
    [-3, 4, 1, -2],
    [-4, -3, 2, 1],
  ];
  const n = 4 * m;
  const h = new Float32Array(n * n);
  for (let br = 0; br < 4; br++)
    for (let bc = 0; bc < 4; bc++) {
      const e = array[br]![bc]!;
      const seq = seqs[Math.abs(e) - 1]!;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < m; j++) h[(br * m + i) * n + bc * m + j] = Math.sign(e) * seq[(j - i + m) % m]!;
    }
  return h;
}

/**
 * Defining (first) rows of symmetric Williamson quadruples, as tabulated in SageMath
 * (src/sage/combinat/matrices/hadamard_matrix.py, `williamson_type_quadruples_smallcases`).
 * m = 39: from S. London, "Constructing new Turyn type sequences, T-sequences, cyclic difference sets,
 *         and Hadamard matrices", PhD thesis, UIC, 2013. Row sums −9, −5, −5, −5 (81 + 3·25 = 156).
 * m = 43: from M. Hall Jr., "Combinatorial Theory", 2nd ed., 1983 (Baumert–Hall / Williamson).
 *         Row sums −5, 7, 7, 7 (25 + 3·49 = 172).
 * Both are re-verified by the tests (symmetric rows, H·Hᵀ = 4m·I).
 */
const WILLIAMSON_39 = [
  '+++--+-+-----+--++----++--+-----+-+--++',
  '+++--++-+---+-+--+----+--+-+---+-++--++',
  '++++---+--++----+-+--+-+----++--+---+++',
  '+---++-+-+-----+++-++-+++-----+-+-++---',
] as const;
const WILLIAMSON_43 = [
  '++---++++-+--+--++--------++--+--+-++++---+',
  '+++-+-++--+-+-++++-+----+-++++-+-+--++-+-++',
  '++-++++++----+-+--++-++-++--+-+----++++++-+',
  '+---++--++++-+-+++-++--++-+++-+-++++--++---',
] as const;

/**
 * One construction per supported order. Paley I is preferred where it applies because it is normalized
 * (first row all ones). 40 has no Paley order (39 is not a prime power, and 40 = 2(q + 1) would need
 * q = 19 ≡ 3 mod 4), so it is the Kronecker doubling H₂ ⊗ H₂₀. 156 = 4·39 and 172 = 4·43 have no Paley
 * order either (155, 171, 77 and 85 are not prime powers), hence Williamson.
 */
const RECIPES: Record<number, readonly [string, () => Float32Array]> = {
  1: ['trivial', () => Float32Array.of(1)],
  2: ['sylvester H2', () => H2.slice()], // a copy: H2 itself feeds the other Kronecker builds
  4: ['sylvester H2⊗H2', () => kron(H2, 2, H2, 2)],
  12: ['paley1 q=11', () => paleyI(galoisField(11))],
  20: ['paley1 q=19', () => paleyI(galoisField(19))],
  // GF(27) = GF(3)[x]/(x³ − x − 1): a cubic with no root in GF(3) (it is 2 at x = 0, 1, 2) is irreducible.
  28: ['paley1 q=27', () => paleyI(galoisField(3, 3, [1, 1, 0]))],
  36: ['paley2 q=17', () => paleyII(galoisField(17))],
  40: ['sylvester H2⊗H20 (paley1 q=19)', () => kron(H2, 2, hadamardK(20), 20)],
  44: ['paley1 q=43', () => paleyI(galoisField(43))],
  // GF(25) = GF(5)[x]/(x² − 2): 2 is not a square mod 5, so x² − 2 has no root and is irreducible.
  52: ['paley2 q=25', () => paleyII(galoisField(5, 2, [2, 0]))],
  60: ['paley1 q=59', () => paleyI(galoisField(59))],
  108: ['paley1 q=107', () => paleyI(galoisField(107))],
  140: ['paley1 q=139', () => paleyI(galoisField(139))],
  156: ['williamson m=39', () => williamson(WILLIAMSON_39)],
  172: ['williamson m=43', () => williamson(WILLIAMSON_43)],
};

/** Supported orders that are not powers of two, ascending: [12, 20, 28, 36, 40, 44, 52, 60, 108, 140, 156, 172]. */
export const SUPPORTED_K: readonly number[] = Object.freeze(
  Object.keys(RECIPES)
    .map(Number)
    .filter((k) => (k & (k - 1)) !== 0)
    .sort((a, b) => a - b),
);

/** Which construction produces each order accepted by {@link hadamardK} (including 1, 2 and 4). */
export const HADAMARD_K_CONSTRUCTION: Readonly<Record<number, string>> = Object.freeze(
  Object.fromEntries(Object.entries(RECIPES).map(([k, [name]]) => [k, name])),
);

const cache = new Map<number, Float32Array>();

/**
 * The k×k Hadamard matrix, row-major, entries exactly ±1, for k ∈ {1, 2, 4} ∪ {@link SUPPORTED_K}.
 * Built once per k and cached: every call returns the same instance, which callers must treat as
 * read-only (typed arrays cannot be frozen); use `.slice()` for a private copy.
 * @throws RangeError for any other k.
 */
export function hadamardK(k: number): Float32Array {
  let h = cache.get(k);
  if (h === undefined) {
    const recipe = RECIPES[k];
    if (recipe === undefined) {
      throw new RangeError(`hadamardK: no construction for k=${k}; supported: 1, 2, 4, ${SUPPORTED_K.join(', ')}`);
    }
    h = recipe[1]();
    cache.set(k, h);
  }
  return h;
}

/** Transpose of a row-major k×k matrix, as a new array (Hᵀ is Hadamard too, and H⁻¹ = Hᵀ/k). */
export function transposeK(h: Float32Array, k: number): Float32Array {
  const t = new Float32Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) t[j * k + i] = h[i * k + j]!;
  return t;
}
