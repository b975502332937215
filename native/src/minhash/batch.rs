//! Raw text in, signatures out, across threads: the native `sketch_texts` (docs/internals.md,
//! "MinHash" → kernels). Documents are split into contiguous runs, one per thread, each with its own
//! scratch; every document's row depends on its bytes alone, so results do not depend on threads.

use super::hash::{HASH_SHA1, HASH_XXH32};
use super::oph;
use super::permute::{self, Family};
use super::text::{shingle_hashes, Scratch, GRAM_CHAR, GRAM_WORD, MAX_NGRAM};
use crate::core::threads::{self, PARALLEL_MIN_BYTES};

pub const METHOD_CLASSIC: i32 = 0;
pub const METHOD_OPH: i32 = 1;
pub const METHOD_CLASSIC32: i32 = 2;
/// OPH, densified in the same pass (the row gets the signature, not the raw bins).
pub const METHOD_OPH_DENSE: i32 = 3;

/// What every document of a batch is sketched with.
pub struct Plan<'a> {
    pub gram: i32,
    pub n: u32,
    pub kind: i32,
    pub method: i32,
    pub k: usize,
    /// Classic only: method 0 takes the datasketch family, method 2 the 32-bit one.
    pub perm: Option<&'a Family>,
    pub seed: u64,
}

impl Plan<'_> {
    fn valid(&self) -> bool {
        (self.gram == GRAM_WORD || self.gram == GRAM_CHAR)
            && (1..=MAX_NGRAM).contains(&self.n)
            && (self.kind == HASH_XXH32 || self.kind == HASH_SHA1)
            && self.k > 0
            && match self.method {
                METHOD_CLASSIC => matches!(self.perm, Some(p @ Family::Datasketch(_)) if p.len() == self.k),
                METHOD_CLASSIC32 => matches!(self.perm, Some(p @ Family::Linear32(_)) if p.len() == self.k),
                METHOD_OPH | METHOD_OPH_DENSE => true,
                _ => false,
            }
    }
}

fn sketch_run(text: &[u8], offsets: &[u32], plan: &Plan, out: &mut [u32], counts: &mut [u32]) {
    let mut scratch = Scratch::default();
    let mut bins = vec![oph::EMPTY; if plan.method == METHOD_OPH_DENSE { plan.k } else { 0 }];
    for (d, (row, count)) in out.chunks_mut(plan.k).zip(counts.iter_mut()).enumerate() {
        let doc = &text[offsets[d] as usize..offsets[d + 1] as usize];
        shingle_hashes(doc, plan.gram, plan.n, plan.kind, &mut scratch);
        *count = scratch.hashes.len() as u32;
        row.fill(oph::EMPTY); // 0xFFFFFFFF: the classic start value and OPH's empty bin
        match (plan.perm, plan.method) {
            (Some(perm), _) => permute::update(&scratch.hashes, perm, row),
            (None, METHOD_OPH_DENSE) => {
                bins.fill(oph::EMPTY);
                oph::update(&scratch.hashes, plan.seed, &mut bins);
                oph::densify_row(&bins, plan.seed, row);
            }
            (None, _) => oph::update(&scratch.hashes, plan.seed, row),
        }
    }
}

/// Sketches doc `d` = `text[offsets[d]..offsets[d+1]]` into row `d` of `out` (k u32: classic minima
/// or raw OPH bins) and `counts[d]` (shingles). Returns 0, or −1 for a bad plan or shapes
/// (offsets not ascending within `text`, `out` not docs × k, `counts` not docs).
pub fn sketch_texts(text: &[u8], offsets: &[u32], plan: &Plan, out: &mut [u32], counts: &mut [u32], threads: usize) -> i32 {
    let docs = offsets.len().saturating_sub(1);
    if !plan.valid() || offsets.is_empty() || out.len() != docs * plan.k || counts.len() != docs {
        return -1;
    }
    if offsets.windows(2).any(|w| w[0] > w[1]) || offsets[docs] as usize > text.len() {
        return -1;
    }
    let t = if text.len() < PARALLEL_MIN_BYTES { 1 } else { threads.clamp(1, docs.max(1)) };
    if t <= 1 {
        sketch_run(text, offsets, plan, out, counts);
        return 0;
    }
    let per = docs.div_ceil(t);
    std::thread::scope(|s| {
        let runs = out.chunks_mut(per * plan.k).zip(counts.chunks_mut(per)).enumerate();
        for (i, (rows, cs)) in runs {
            let offs = &offsets[i * per..i * per + cs.len() + 1];
            s.spawn(move || sketch_run(text, offs, plan, rows, cs));
        }
    });
    0
}

/// Densifies `bins.len() / k` rows of raw bins into `out` (same shape), rows split across threads.
pub fn densify_rows(bins: &[u32], k: usize, seed: u64, out: &mut [u32], threads: usize) -> i32 {
    if k == 0 || bins.len() % k != 0 || out.len() != bins.len() {
        return -1;
    }
    threads::for_row_chunks(out, k, threads, |first, chunk| {
        let src = &bins[first * k..first * k + chunk.len()];
        for (s, d) in src.chunks(k).zip(chunk.chunks_mut(k)) {
            oph::densify_row(s, seed, d);
        }
    });
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(docs: usize) -> (Vec<u8>, Vec<u32>) {
        let mut text = Vec::new();
        let mut offsets = vec![0u32];
        let mut s = 7u32;
        for _ in 0..docs {
            for w in 0..200 {
                s = s.wrapping_mul(1664525).wrapping_add(1013904223);
                text.extend_from_slice(format!("{}W{} ", if w % 9 == 0 { "," } else { "" }, s >> 22).as_bytes());
            }
            offsets.push(text.len() as u32);
        }
        (text, offsets)
    }

    #[test]
    fn threads_do_not_change_rows() {
        use super::super::permute::{Permutations, Permutations32};
        let (text, offsets) = corpus(300); // > PARALLEL_MIN_BYTES, so several threads really run
        assert!(text.len() >= PARALLEL_MIN_BYTES);
        let k = 32;
        let datasketch = Family::Datasketch(Permutations {
            a: (1..=k as u64).map(|j| j * 0x9E3779B97F4A7C15 % ((1 << 61) - 1)).collect(),
            b: vec![12345; k],
        });
        let linear = Family::Linear32(Permutations32 { a: (1..=k as u32).map(|j| j.wrapping_mul(0x9E3779B9) | 1).collect(), b: vec![12345; k] });
        let runs = [(METHOD_CLASSIC, Some(&datasketch)), (METHOD_CLASSIC32, Some(&linear)), (METHOD_OPH, None), (METHOD_OPH_DENSE, None)];
        for (method, perm) in runs {
            let plan = Plan { gram: GRAM_WORD, n: 5, kind: HASH_XXH32, method, k, perm, seed: 1 };
            let run = |t| {
                let mut out = vec![0; 300 * k];
                let mut counts = vec![0; 300];
                assert_eq!(sketch_texts(&text, &offsets, &plan, &mut out, &mut counts, t), 0);
                (out, counts)
            };
            let one = run(1);
            assert!(one.1.iter().all(|&c| c == 196));
            assert_eq!(one, run(4));
            assert_eq!(one, run(7));
        }
    }

    #[test]
    fn dense_method_equals_raw_bins_then_densify() {
        let (text, offsets) = corpus(20);
        let k = 128;
        let run = |method| {
            let plan = Plan { gram: GRAM_WORD, n: 5, kind: HASH_XXH32, method, k, perm: None, seed: 3 };
            let mut out = vec![0; 20 * k];
            assert_eq!(sketch_texts(&text, &offsets, &plan, &mut out, &mut vec![0; 20], 1), 0);
            out
        };
        let raw = run(METHOD_OPH);
        let mut dense = vec![0; raw.len()];
        assert_eq!(densify_rows(&raw, k, 3, &mut dense, 1), 0);
        assert!(raw.contains(&oph::EMPTY) && !dense.contains(&oph::EMPTY));
        assert_eq!(run(METHOD_OPH_DENSE), dense);
    }

    #[test]
    fn rejects_bad_shapes_and_plans() {
        let (text, offsets) = corpus(2);
        let plan = Plan { gram: GRAM_WORD, n: 5, kind: HASH_XXH32, method: METHOD_OPH, k: 8, perm: None, seed: 1 };
        let (mut out, mut counts) = (vec![0; 16], vec![0; 2]);
        assert_eq!(sketch_texts(&text, &offsets, &plan, &mut out[..15], &mut counts, 1), -1);
        assert_eq!(sketch_texts(&text, &[0, 10, 5], &plan, &mut out, &mut counts, 1), -1);
        assert_eq!(sketch_texts(&text, &[0, 10, text.len() as u32 + 1], &plan, &mut out, &mut counts, 1), -1);
        assert_eq!(sketch_texts(&text, &offsets, &Plan { n: 65, ..plan }, &mut out, &mut counts, 1), -1);
        assert_eq!(sketch_texts(&text, &offsets, &Plan { method: METHOD_CLASSIC, ..plan }, &mut out, &mut counts, 1), -1);
        assert_eq!(densify_rows(&[0; 10], 4, 1, &mut [0; 10], 1), -1);
    }
}
