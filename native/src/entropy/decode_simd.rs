//! SIMD fast path of the rans16x16 decoder, the scheme of the wasm SIMD decoder
//! (`wasm/entropy/decode.ts`): the 16 lane states as four 128-bit vectors, table lookups per lane
//! (no gather: AVX2's is slow on current cores), then compare → bitmask → byte shuffle to move the
//! next stream words into the lanes that renormalise. A lane's step is a chain of dependent
//! operations, so the decoder is latency-bound; four vectors are four independent chains, which the
//! scalar path (one chain per lane, but 12+ instructions per step) cannot match in throughput.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::rans::{FastJob, Sym, TableView, LANES};

/// Byte-shuffle masks that move words into renormalising lanes, in lane order. A pair of vectors
/// (8 lanes) reads from one 16-byte load: the first vector by its own 4-bit mask, the second by the
/// pair's 8-bit mask (its words follow the first vector's). 0x80 shuffles in a zero byte.
const fn shuffles<const N: usize>(second: bool) -> [[u8; 16]; N] {
    let mut t = [[0x80u8; 16]; N];
    let mut m = 0;
    while m < N {
        let mut j = 0;
        while j < 4 {
            let lane = if second { j + 4 } else { j };
            if (m >> lane) & 1 == 1 {
                let k = (m & ((1 << lane) - 1)).count_ones() as u8;
                t[m][4 * j] = 2 * k;
                t[m][4 * j + 1] = 2 * k + 1;
            }
            j += 1;
        }
        m += 1;
    }
    t
}

static FIRST: [[u8; 16]; 16] = shuffles::<16>(false);
static SECOND: [[u8; 16]; 256] = shuffles::<256>(true);

/// Looks up 4 lanes in the two-level table (the symbol of each slot, then its `(f − 1) | c << 16`),
/// writes their symbols at `o`, returns the decoded states before renormalisation:
/// f · (x >> s) + slot − c, computed as (f − 1) · q + (q + slot − c).
///
/// # Safety
/// The table has 2^s slots; `o` has 4 writable elements.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn advance<T: Sym>(x: __m128i, tab: TableView<T>, mask: __m128i, shift: __m128i, o: *mut T) -> __m128i {
    let slots = _mm_and_si128(x, mask);
    let k0 = *tab.syms.add(_mm_cvtsi128_si32(slots) as usize);
    let k1 = *tab.syms.add(_mm_extract_epi32::<1>(slots) as usize);
    let k2 = *tab.syms.add(_mm_extract_epi32::<2>(slots) as usize);
    let k3 = *tab.syms.add(_mm_extract_epi32::<3>(slots) as usize);
    *o = k0;
    *o.add(1) = k1;
    *o.add(2) = k2;
    *o.add(3) = k3;
    let e = |k: T| *tab.entries.add(k.index()) as i32;
    let e = _mm_setr_epi32(e(k0), e(k1), e(k2), e(k3));
    let q = _mm_srl_epi32(x, shift);
    let fm1 = _mm_and_si128(e, _mm_set1_epi32(0xFFFF));
    let bias = _mm_sub_epi32(slots, _mm_srli_epi32::<16>(e));
    _mm_add_epi32(_mm_mullo_epi32(fm1, q), _mm_add_epi32(q, bias))
}

/// Lanes whose state fell below 2^16 (all-ones lanes): the high half is zero.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn low_lanes(x: __m128i) -> __m128i {
    _mm_cmpeq_epi32(_mm_and_si128(x, _mm_set1_epi32(0xFFFF_0000u32 as i32)), _mm_setzero_si128())
}

/// x << 16 | word in the lanes of `low`, x elsewhere.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn refill(x: __m128i, low: __m128i, words: __m128i, shuffle: &[u8; 16]) -> __m128i {
    let w = _mm_shuffle_epi8(words, _mm_loadu_si128(shuffle.as_ptr().cast()));
    _mm_blendv_epi8(x, _mm_or_si128(_mm_slli_epi32::<16>(x), w), low)
}

/// Decodes one pair of vectors (8 lanes) and refills it from the words at `*r`, which it advances.
///
/// # Safety
/// As [`advance`] for 8 elements at `o`; words `*r … *r + 8` are readable.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(clippy::too_many_arguments)]
unsafe fn pair<T: Sym>(
    a: &mut __m128i,
    b: &mut __m128i,
    tab: TableView<T>,
    mask: __m128i,
    shift: __m128i,
    o: *mut T,
    wp: *const u16,
    r: &mut usize,
) {
    let xa = advance(*a, tab, mask, shift, o);
    let xb = advance(*b, tab, mask, shift, o.add(4));
    let (la, lb) = (low_lanes(xa), low_lanes(xb));
    let bits = _mm_movemask_ps(_mm_castsi128_ps(la)) as usize | (_mm_movemask_ps(_mm_castsi128_ps(lb)) as usize) << 4;
    let words = _mm_loadu_si128(wp.add(*r).cast());
    *r += bits.count_ones() as usize;
    *a = refill(xa, la, words, &FIRST[bits & 15]);
    *b = refill(xb, lb, words, &SECOND[bits]);
}

/// Fast path: whole groups of 16 while at least 16 words remain at the start of a group. Returns
/// the number of groups decoded; `x` and `rp` (a word index) are updated.
///
/// # Safety
/// The CPU has AVX2 and POPCNT; `job` is as [`FastJob`] says.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,popcnt")]
pub unsafe fn decode_fast<T: Sym>(x: &mut [u32; LANES], job: FastJob<T>, rp: &mut usize) -> usize {
    let mask = _mm_set1_epi32(((1u32 << job.s) - 1) as i32);
    let shift = _mm_cvtsi32_si128(job.s as i32);
    let xp = x.as_mut_ptr().cast::<__m128i>();
    let (mut a, mut b, mut c, mut d) = (_mm_loadu_si128(xp), _mm_loadu_si128(xp.add(1)), _mm_loadu_si128(xp.add(2)), _mm_loadu_si128(xp.add(3)));
    let mut r = *rp;
    let mut g = 0;
    let mut o = job.out;
    while g < job.groups && r + LANES <= job.nwords {
        pair(&mut a, &mut b, job.tab, mask, shift, o, job.wp, &mut r);
        pair(&mut c, &mut d, job.tab, mask, shift, o.add(8), job.wp, &mut r);
        o = o.add(LANES);
        g += 1;
    }
    _mm_storeu_si128(xp, a);
    _mm_storeu_si128(xp.add(1), b);
    _mm_storeu_si128(xp.add(2), c);
    _mm_storeu_si128(xp.add(3), d);
    *rp = r;
    g
}
