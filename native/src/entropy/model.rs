//! Model quantizers (docs/internals.md, "Entropy"): counts → frequencies summing to 2^precision, and
//! discretised Gaussian / Laplace / logistic models. Mirrors `wasm/entropy/quantize.ts` and
//! `parametric.ts` bit for bit: integer arithmetic, and for the CDFs only f64 `+ − × ÷`, `floor` and
//! comparisons in the contract's order (Rust never contracts `a * b + c` into an FMA).

use super::rans::{ERR_MODEL, MAX_PRECISION, MAX_SYMBOLS};

/// `model_quantize_counts`: `freqs.len()` must equal `counts.len()` (= nsym). Returns 0 or
/// `ERR_MODEL` (`freqs` is unspecified then).
///
/// The contract's small set is found by repeated simultaneous passes. Every pass only moves counts
/// below the current large-set mean `T_L / F`, which therefore never decreases, so the small set is
/// always a prefix of the counts in ascending order and the passes stop at the first prefix length
/// `m` whose next count `c` has `c · (2^s − m) ≥ T_L(m)`. That prefix is found here in one walk over
/// the sorted counts (O(n log n) instead of up to O(n²) passes); ties never straddle the boundary.
pub fn quantize_counts(counts: &[u32], precision: u32, freqs: &mut [u32]) -> i32 {
    let nsym = counts.len();
    debug_assert_eq!(freqs.len(), nsym);
    if !(1..=MAX_PRECISION).contains(&precision) || !(1..=MAX_SYMBOLS).contains(&nsym) || freqs.len() != nsym {
        return ERR_MODEL;
    }
    let total: u64 = counts.iter().map(|&c| c as u64).sum();
    let present = counts.iter().filter(|&&c| c != 0).count() as u64;
    let slots = 1u64 << precision;
    if total == 0 || total >= 1u64 << 32 || present > slots {
        return ERR_MODEL;
    }
    let mut sorted: Vec<u32> = counts.iter().copied().filter(|&c| c != 0).collect();
    sorted.sort_unstable();
    let mut small = 0u64;
    let mut tl = total;
    // `sorted.last()` never moves (it is ≥ the mean of the large set).
    while (small as usize) < sorted.len() && (sorted[small as usize] as u64) * (slots - small) < tl {
        tl -= sorted[small as usize] as u64;
        small += 1;
    }
    // Counts below `limit` are small (all ties of a count fall on the same side).
    let limit = sorted[small as usize] as u64;
    let f = slots - small;
    let mut c_acc = 0u64;
    let mut prev = 0u64;
    for (k, &c) in counts.iter().enumerate() {
        let c = c as u64;
        freqs[k] = if c == 0 {
            0
        } else if c < limit {
            1
        } else {
            c_acc += c;
            let cum = (2 * c_acc * f + tl) / (2 * tl);
            let v = (cum - prev) as u32;
            prev = cum;
            v
        };
    }
    0
}

/// exp(x) of the contract: range reduction by ln 2 (hi/lo split), degree-12 Taylor polynomial in
/// Horner form, times 2^k built from its bits.
#[allow(clippy::approx_constant)] // the contract's literals, written as such
#[rustfmt::skip]
pub fn kexp(x: f64) -> f64 {
    if x < -708.0 {
        return 0.0;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    let k = (x * 1.4426950408889634 + 0.5).floor();
    let r = (x - k * 0.6931471803691238) - k * 1.9082149292705877e-10;
    let p = 1.0
        + r * (1.0
            + r * (1.0 / 2.0
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0
                        + r * (1.0 / 120.0
                            + r * (1.0 / 720.0
                                + r * (1.0 / 5040.0
                                    + r * (1.0 / 40320.0
                                        + r * (1.0 / 362880.0
                                            + r * (1.0 / 3628800.0
                                                + r * (1.0 / 39916800.0 + r * (1.0 / 479001600.0))))))))))));
    p * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

/// Standard normal CDF via Numerical Recipes' erfcc.
#[allow(clippy::approx_constant)]
#[rustfmt::skip]
fn gaussian_cdf(z: f64) -> f64 {
    let w = -z / 1.4142135623730951;
    let t = 1.0 / (1.0 + 0.5 * w.abs());
    let y = t * kexp(
        -w * w - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
    0.5 * (if w >= 0.0 { y } else { 2.0 - y })
}

fn cdf(kind: i32, z: f64) -> f64 {
    match kind {
        0 => gaussian_cdf(z),
        1 => {
            if z < 0.0 {
                0.5 * kexp(z)
            } else {
                1.0 - 0.5 * kexp(-z)
            }
        }
        _ => {
            if z >= 0.0 {
                1.0 / (1.0 + kexp(-z))
            } else {
                let e = kexp(z);
                e / (1.0 + e)
            }
        }
    }
}

/// `model_quantize_parametric`: `kind` 0 Gaussian, 1 Laplace, 2 logistic on the values
/// `lo … lo + nsym − 1` (`nsym = freqs.len()`). Returns 0 or `ERR_MODEL`.
pub fn quantize_parametric(kind: i32, loc: f64, scale: f64, lo: i32, precision: u32, freqs: &mut [u32]) -> i32 {
    let nsym = freqs.len();
    if !(0..=2).contains(&kind) || !loc.is_finite() || !scale.is_finite() || scale <= 0.0 || nsym < 1 {
        return ERR_MODEL;
    }
    if nsym > MAX_SYMBOLS || !(1..=MAX_PRECISION).contains(&precision) || nsym > 1usize << precision {
        return ERR_MODEL;
    }
    let mut counts = vec![0u32; nsym];
    let mut prev = 0.0f64;
    for (k, c) in counts.iter_mut().enumerate() {
        let next = if k == nsym - 1 { 1.0 } else { cdf(kind, ((lo as f64 + (k + 1) as f64) - 0.5 - loc) / scale) };
        let d = next - prev;
        let d = if d > 0.0 { d } else { 0.0 };
        *c = ((d * 2147483648.0).floor() as u32).wrapping_add(1);
        prev = next;
    }
    quantize_counts(&counts, precision, freqs)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract's rule, literally (repeated simultaneous passes).
    fn reference_counts(counts: &[u32], s: u32) -> Option<Vec<u32>> {
        let n = counts.len();
        if !(1..=16).contains(&s) || !(1..=65536).contains(&n) {
            return None;
        }
        let total: u64 = counts.iter().map(|&c| c as u64).sum();
        let present = counts.iter().filter(|&&c| c != 0).count() as u64;
        let slots = 1u64 << s;
        if total == 0 || total >= 1 << 32 || present > slots {
            return None;
        }
        let mut small = vec![false; n];
        let mut nsmall = 0u64;
        let mut tl = total;
        loop {
            let (f, t) = (slots - nsmall, tl);
            let mut moved = false;
            for k in 0..n {
                let c = counts[k] as u64;
                if c != 0 && !small[k] && c * f < t {
                    small[k] = true;
                    nsmall += 1;
                    tl -= c;
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        let f = slots - nsmall;
        let (mut acc, mut prev) = (0u64, 0u64);
        let mut out = vec![0u32; n];
        for k in 0..n {
            let c = counts[k] as u64;
            if c == 0 {
                continue;
            }
            if small[k] {
                out[k] = 1;
                continue;
            }
            acc += c;
            let cum = (2 * acc * f + tl) / (2 * tl);
            out[k] = (cum - prev) as u32;
            prev = cum;
        }
        Some(out)
    }

    fn q(counts: &[u32], s: u32) -> Option<Vec<u32>> {
        let mut f = vec![0xAAAAu32; counts.len()];
        let r = quantize_counts(counts, s, &mut f);
        let want = reference_counts(counts, s);
        match want {
            None => {
                assert_eq!(r, ERR_MODEL);
                None
            }
            Some(w) => {
                assert_eq!(r, 0);
                assert_eq!(f, w, "counts {:?} s {s}", &counts[..counts.len().min(16)]);
                assert_eq!(f.iter().map(|&v| v as u64).sum::<u64>(), 1 << s);
                for k in 0..counts.len() {
                    assert_eq!(f[k] == 0, counts[k] == 0);
                }
                Some(f)
            }
        }
    }

    #[test]
    fn counts_rule_edge_cases() {
        assert_eq!(q(&[5], 1).unwrap(), vec![2]);
        assert_eq!(q(&[1, 1], 1).unwrap(), vec![1, 1]);
        assert_eq!(q(&[0, 7, 0], 4).unwrap(), vec![0, 16, 0]);
        // Hand-computed: counts [1, 3], s = 2: F = 4, T_L = 4, 1·4 < 4? no, so both large.
        // cum(1) = (2·1·4 + 4) / 8 = 1, cum(4) = (32 + 4) / 8 = 4: f = [1, 3].
        assert_eq!(q(&[1, 3], 2).unwrap(), vec![1, 3]);
        // [1, 100], s = 2: 1·4 < 101 → small; F = 3, T_L = 100: f = [1, 3].
        assert_eq!(q(&[1, 100], 2).unwrap(), vec![1, 3]);
        // Round half up: [1, 1, 2], s = 3: all large (1·8 ≥ 4); cum(1) = (16+4)/8 = 2,
        // cum(2) = (32+4)/8 = 4, cum(4) = (64+4)/8 = 8: f = [2, 2, 4].
        assert_eq!(q(&[1, 1, 2], 3).unwrap(), vec![2, 2, 4]);
        // m = 2^s nonzero symbols: every frequency 1.
        assert_eq!(q(&[9, 1, 1, 5], 2).unwrap(), vec![1, 1, 1, 1]);
        // Errors: too many symbols, empty, zero total, total ≥ 2^32, bad precision.
        assert_eq!(q(&[1, 1, 1], 1), None);
        assert_eq!(q(&[], 4), None);
        assert_eq!(q(&[0, 0], 4), None);
        assert_eq!(q(&[u32::MAX, 1], 4), None);
        assert!(q(&[u32::MAX, 0], 4).is_some());
        assert_eq!(q(&[1, 2], 0), None);
        assert_eq!(q(&[1, 2], 25), None);
        assert_eq!(quantize_counts(&vec![1; 65537], 16, &mut vec![0; 65537]), ERR_MODEL);
        assert!(q(&vec![1; 65536], 16).unwrap().iter().all(|&v| v == 1));
    }

    #[test]
    fn counts_match_reference_random_and_cascades() {
        let mut rng = crate::entropy::rans::tests::Rng(0x1234_5678);
        for round in 0..400 {
            let n = 1 + rng.below(if round % 4 == 0 { 3000 } else { 40 }) as usize;
            let s = 1 + rng.below(16) as u32;
            let counts: Vec<u32> = (0..n)
                .map(|_| match rng.below(4) {
                    0 => 0,
                    1 => rng.below(4) as u32,
                    2 => rng.below(1000) as u32,
                    _ => (rng.next() >> (40 + rng.below(24))) as u32,
                })
                .collect();
            q(&counts, s);
        }
        // A geometric cascade: every pass moves one symbol.
        let counts: Vec<u32> = (0..20).map(|i| 1u32 << i).collect();
        q(&counts, 5);
        let counts: Vec<u32> = (0..300).map(|i| 1000 + i * 7).chain([4_000_000]).collect();
        q(&counts, 9);
    }

    #[test]
    fn kexp_is_close_to_exp() {
        for i in -6900..=6900 {
            let x = i as f64 * 0.1013;
            let (a, b) = (kexp(x), x.exp());
            assert!(((a - b) / b).abs() < 1e-15, "x {x}: {a} vs {b}");
        }
        assert_eq!(kexp(-708.5), 0.0);
        assert_eq!(kexp(709.5), f64::INFINITY);
        assert_eq!(kexp(0.0), 1.0);
    }

    #[test]
    fn parametric_models_sum_to_2s() {
        let mut rng = crate::entropy::rans::tests::Rng(99);
        for kind in 0..3 {
            for &(nsym, s, lo, loc, scale) in &[
                (1usize, 1u32, 0i32, 0.0f64, 1.0f64),
                (2, 1, 0, 0.5, 0.01),
                (16, 8, -8, 0.0, 1.0),
                (255, 12, -127, 3.3, 20.0),
                (256, 8, -128, -1e6, 1.0),
                (4096, 16, -2048, 0.0, 1e-300),
                (65536, 16, -32768, 123.25, 5000.0),
                (1000, 16, i32::MAX - 999, 1e300, 1e300),
            ] {
                let mut f = vec![0u32; nsym];
                assert_eq!(quantize_parametric(kind, loc, scale, lo, s, &mut f), 0, "kind {kind} nsym {nsym}");
                assert_eq!(f.iter().map(|&v| v as u64).sum::<u64>(), 1u64 << s);
                assert!(f.iter().all(|&v| v >= 1));
            }
            for _ in 0..50 {
                let nsym = 1 + rng.below(600) as usize;
                let s = (64 - (nsym as u64 - 1).leading_zeros()).max(1) + rng.below(4) as u32;
                let s = s.min(16);
                let lo = rng.below(2000) as i32 - 1000;
                let loc = (rng.below(4000) as f64 - 2000.0) * 0.37;
                let scale = 0.01 + rng.below(100000) as f64 * 0.013;
                let mut f = vec![0u32; nsym];
                assert_eq!(quantize_parametric(kind, loc, scale, lo, s, &mut f), 0);
                assert_eq!(f.iter().map(|&v| v as u64).sum::<u64>(), 1u64 << s);
            }
        }
        // A centred Gaussian is symmetric.
        let mut f = vec![0u32; 21];
        assert_eq!(quantize_parametric(0, 0.0, 3.0, -10, 12, &mut f), 0);
        for k in 0..10 {
            assert!((f[k] as i64 - f[20 - k] as i64).abs() <= 1, "{f:?}");
        }
        // Errors.
        let mut f = vec![0u32; 8];
        assert_eq!(quantize_parametric(3, 0.0, 1.0, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(-1, 0.0, 1.0, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, f64::NAN, 1.0, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, 0.0, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, -1.0, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, f64::INFINITY, 0, 8, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, 1.0, 0, 2, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, 1.0, 0, 0, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, 1.0, 0, 25, &mut f), ERR_MODEL);
        assert_eq!(quantize_parametric(0, 0.0, 1.0, 0, 3, &mut []), ERR_MODEL);
    }
}
