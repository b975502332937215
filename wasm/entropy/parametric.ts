// Quantized continuous distributions (Gaussian, Laplace, logistic) on a bounded integer support.
// The CDF is evaluated here, with our own exp and erfc built from IEEE +, −, ×, ÷ only, because
// Math.exp/erf differ between JS engines and libms: an encoder and a decoder on different engines
// must build bit-identical tables. The formulas are fixed in docs/internals.md.
import { ERR_MODEL, MAX_PRECISION } from "./status";
import { model_quantize_counts } from "./quantize";

const GAUSSIAN = 0;
const LAPLACE = 1;
const LOGISTIC = 2;

/** exp(x): range reduction by ln 2 (fdlibm's hi/lo split) and a degree-12 Taylor polynomial (|r| ≤ 0.35). */
function kexp(x: f64): f64 {
  if (x < -708) return 0;
  if (x > 709) return Infinity;
  const k = Math.floor(x * 1.4426950408889634 + 0.5);
  const r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
  const p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 +
    r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 + r * (1.0 / 39916800 +
    r * (1.0 / 479001600))))))))))));
  return p * reinterpret<f64>(<u64>(<i64>k + 1023) << 52);
}

/** Standard normal CDF via Numerical Recipes' erfcc (relative error < 1.2e-7). */
function gaussianCdf(z: f64): f64 {
  const w = -z / 1.4142135623730951;
  const t = 1 / (1 + 0.5 * Math.abs(w));
  const y = t * kexp(-w * w - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 +
    t * 0.17087277)))))))));
  return 0.5 * (w >= 0 ? y : 2 - y);
}

function cdf(kind: i32, z: f64): f64 {
  if (kind == GAUSSIAN) return gaussianCdf(z);
  if (kind == LAPLACE) return z < 0 ? 0.5 * kexp(z) : 1 - 0.5 * kexp(-z);
  if (z >= 0) return 1 / (1 + kexp(-z));
  const e = kexp(z);
  return e / (1 + e);
}

/**
 * Frequencies of `kind` (0 Gaussian, 1 Laplace, 2 logistic) with location `loc` and scale `scale`
 * on the values lo … lo + nsym − 1, tails folded into the end bins. `scratch`: 4·nsym bytes.
 */
export function model_quantize_parametric(
  kind: i32, loc: f64, scale: f64, lo: i32, nsym: i32, precision: u32, freqs: usize, scratch: usize,
): i32 {
  if (kind < GAUSSIAN || kind > LOGISTIC || !isFinite(loc) || !isFinite(scale) || !(scale > 0) || nsym < 1) return ERR_MODEL;
  if (nsym > (1 << 16) || precision > MAX_PRECISION || nsym > (1 << precision)) return ERR_MODEL;
  let prev: f64 = 0;
  for (let k = 0; k < nsym; k++) {
    const next = k == nsym - 1 ? 1.0 : cdf(kind, ((<f64>lo + <f64>(k + 1) - 0.5) - loc) / scale);
    const d = Math.max(0, next - prev);
    store<u32>(scratch + (<usize>k << 2), <u32>Math.floor(d * 2147483648.0) + 1);
    prev = next;
  }
  return model_quantize_counts(scratch, nsym, precision, freqs);
}
