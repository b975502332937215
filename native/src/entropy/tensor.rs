//! Byte-level helpers of the tensor codec (docs/internals.md, "Entropy"): byte planes, XOR delta
//! and byte histograms. Mirrors `wasm/entropy/planes.ts`.

/// Element type of [`split`] / [`merge`]: 0 u8, 1 f16, 2 bf16, 3 f32.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlaneDtype {
    U8,
    F16,
    Bf16,
    F32,
}

impl PlaneDtype {
    pub fn from_code(code: u64) -> Option<Self> {
        Some(match code {
            0 => PlaneDtype::U8,
            1 => PlaneDtype::F16,
            2 => PlaneDtype::Bf16,
            3 => PlaneDtype::F32,
            _ => return None,
        })
    }

    /// Bytes per element (= number of planes).
    pub fn bytes(self) -> usize {
        match self {
            PlaneDtype::U8 => 1,
            PlaneDtype::F16 | PlaneDtype::Bf16 => 2,
            PlaneDtype::F32 => 4,
        }
    }
}

/// `tensor_split`: `count` elements of `dtype` (little-endian) from `src` into byte planes in `dst`
/// (plane `p` at `dst[p·count .. (p+1)·count]`). Both slices hold at least `count · bytes` bytes.
pub fn split(src: &[u8], count: usize, dtype: PlaneDtype, dst: &mut [u8]) {
    let nb = count * dtype.bytes();
    let (src, dst) = (&src[..nb], &mut dst[..nb]);
    match dtype {
        PlaneDtype::U8 => dst.copy_from_slice(src),
        PlaneDtype::F16 | PlaneDtype::Bf16 => {
            let (p0, p1) = dst.split_at_mut(count);
            let bf = dtype == PlaneDtype::Bf16;
            for ((e, a), b) in src.chunks_exact(2).zip(p0.iter_mut()).zip(p1.iter_mut()) {
                let h = u16::from_le_bytes([e[0], e[1]]) as u32;
                if bf {
                    *a = ((h & 0x7F) | (h >> 15) << 7) as u8;
                    *b = (h >> 7) as u8;
                } else {
                    *a = h as u8;
                    *b = (h >> 8) as u8;
                }
            }
        }
        PlaneDtype::F32 => {
            let (p0, rest) = dst.split_at_mut(count);
            let (p1, rest) = rest.split_at_mut(count);
            let (p2, p3) = rest.split_at_mut(count);
            for ((((e, a), b), c), d) in
                src.chunks_exact(4).zip(p0.iter_mut()).zip(p1.iter_mut()).zip(p2.iter_mut()).zip(p3.iter_mut())
            {
                let w = u32::from_le_bytes([e[0], e[1], e[2], e[3]]);
                *a = w as u8;
                *b = (w >> 8) as u8;
                *c = (((w >> 16) & 0x7F) | (w >> 31) << 7) as u8;
                *d = (w >> 23) as u8;
            }
        }
    }
}

/// `tensor_merge`: the exact inverse of [`split`].
pub fn merge(src: &[u8], count: usize, dtype: PlaneDtype, dst: &mut [u8]) {
    let nb = count * dtype.bytes();
    let (src, dst) = (&src[..nb], &mut dst[..nb]);
    match dtype {
        PlaneDtype::U8 => dst.copy_from_slice(src),
        PlaneDtype::F16 | PlaneDtype::Bf16 => {
            let (p0, p1) = src.split_at(count);
            let bf = dtype == PlaneDtype::Bf16;
            for ((e, &lo), &hi) in dst.chunks_exact_mut(2).zip(p0).zip(p1) {
                let (lo, hi) = (lo as u32, hi as u32);
                let h = if bf { (lo & 0x7F) | (hi << 7) | (lo >> 7) << 15 } else { lo | (hi << 8) };
                e.copy_from_slice(&(h as u16).to_le_bytes());
            }
        }
        PlaneDtype::F32 => {
            let (p0, rest) = src.split_at(count);
            let (p1, rest) = rest.split_at(count);
            let (p2, p3) = rest.split_at(count);
            for ((((e, &a), &b), &c), &d) in dst.chunks_exact_mut(4).zip(p0).zip(p1).zip(p2).zip(p3) {
                let c = c as u32;
                let w = a as u32 | (b as u32) << 8 | (c & 0x7F) << 16 | (d as u32) << 23 | (c >> 7) << 31;
                e.copy_from_slice(&w.to_le_bytes());
            }
        }
    }
}

/// `xor_bytes` out of place: `dst[i] = a[i] ^ b[i]` (equal lengths).
pub fn xor(dst: &mut [u8], a: &[u8], b: &[u8]) {
    for ((d, &x), &y) in dst.iter_mut().zip(a).zip(b) {
        *d = x ^ y;
    }
}

/// `xor_bytes` in place: `dst[i] ^= b[i]` (the `dst == a` case).
pub fn xor_in_place(dst: &mut [u8], b: &[u8]) {
    for (d, &y) in dst.iter_mut().zip(b) {
        *d ^= y;
    }
}

/// `hist_u8`: `counts` (256 entries) set to the byte histogram of `src`. Four sub-histograms break
/// the store-to-load dependency on runs of equal bytes.
pub fn hist(src: &[u8], counts: &mut [u32; 256]) {
    let mut sub = [[0u32; 256]; 4];
    let mut chunks = src.chunks_exact(4);
    for c in &mut chunks {
        sub[0][c[0] as usize] += 1;
        sub[1][c[1] as usize] += 1;
        sub[2][c[2] as usize] += 1;
        sub[3][c[3] as usize] += 1;
    }
    for &b in chunks.remainder() {
        sub[0][b as usize] += 1;
    }
    for k in 0..256 {
        // Wrapping: the wasm kernel's u32 counters wrap past 2^32 bytes too.
        counts[k] = sub[0][k].wrapping_add(sub[1][k]).wrapping_add(sub[2][k]).wrapping_add(sub[3][k]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_merge_inverse_every_dtype() {
        let mut rng = crate::entropy::rans::tests::Rng(5);
        for code in 0..4 {
            let dt = PlaneDtype::from_code(code).unwrap();
            for count in [0usize, 1, 2, 7, 100, 1025] {
                let nb = count * dt.bytes();
                let src: Vec<u8> = (0..nb).map(|_| rng.next() as u8).collect();
                let mut planes = vec![0u8; nb];
                split(&src, count, dt, &mut planes);
                let mut back = vec![0u8; nb];
                merge(&planes, count, dt, &mut back);
                assert_eq!(back, src, "dtype {code} count {count}");
            }
        }
        assert!(PlaneDtype::from_code(4).is_none());
    }

    #[test]
    fn plane_layout() {
        // f32 -1.5 = 0xBFC00000: planes [0x00], [0x00], [0x40 | 0x80], [0x7F].
        let mut p = [0u8; 4];
        split(&(-1.5f32).to_bits().to_le_bytes(), 1, PlaneDtype::F32, &mut p);
        assert_eq!(p, [0x00, 0x00, 0xC0, 0x7F]);
        // bf16 -1.5 = 0xBFC0: plane 0 = 0x40 | 0x80, plane 1 = exponent 0x7F.
        let mut p = [0u8; 2];
        split(&0xBFC0u16.to_le_bytes(), 1, PlaneDtype::Bf16, &mut p);
        assert_eq!(p, [0xC0, 0x7F]);
        // f16 0x3C01 (two elements): low bytes then high bytes.
        let mut p = [0u8; 4];
        split(&[0x01, 0x3C, 0x02, 0xBC], 2, PlaneDtype::F16, &mut p);
        assert_eq!(p, [0x01, 0x02, 0x3C, 0xBC]);
    }

    #[test]
    fn xor_and_hist() {
        let a: Vec<u8> = (0..=255).collect();
        let b: Vec<u8> = (0..=255).map(|v: u8| v.wrapping_mul(7)).collect();
        let mut d = vec![0u8; 256];
        xor(&mut d, &a, &b);
        assert!(d.iter().enumerate().all(|(i, &v)| v == a[i] ^ b[i]));
        let mut c = a.clone();
        xor_in_place(&mut c, &b);
        assert_eq!(c, d);
        let src: Vec<u8> = (0..1003u32).map(|i| (i % 7) as u8 * 3).collect();
        let mut counts = [9u32; 256];
        hist(&src, &mut counts);
        for (k, &got) in counts.iter().enumerate() {
            let want = src.iter().filter(|&&v| v as usize == k).count() as u32;
            assert_eq!(got, want);
        }
    }
}
