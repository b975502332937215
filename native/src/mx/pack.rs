//! Code packing: FP4 "pairs" (byte j = code(2j) | code(2j+1) << 4) and "ggml" (byte j =
//! code(j) | code(j + bs/2) << 4); FP6 as an LSB-first bit stream (element i in bits [6i, 6i+6));
//! 8-bit formats one byte per code.

use super::formats::Layout;

/// Packs one block of `codes` (one code per byte, `bs` of them, high bits clear) into `out`
/// (`bits = 4`: bs/2 bytes, `6`: 3·bs/4 bytes, `8`: bs bytes).
#[inline(always)]
pub fn pack_block(bits: u32, layout: Layout, codes: &[u8], out: &mut [u8]) {
    match bits {
        4 => {
            let h = codes.len() / 2;
            match layout {
                Layout::Pairs => {
                    for (o, p) in out[..h].iter_mut().zip(codes.chunks_exact(2)) {
                        *o = p[0] | (p[1] << 4);
                    }
                }
                Layout::Ggml => {
                    let (lo, hi) = codes.split_at(h);
                    for ((o, &a), &b) in out[..h].iter_mut().zip(lo).zip(hi) {
                        *o = a | (b << 4);
                    }
                }
            }
        }
        6 => {
            for (o, c) in out.chunks_exact_mut(3).zip(codes.chunks_exact(4)) {
                let w = c[0] as u32 | (c[1] as u32) << 6 | (c[2] as u32) << 12 | (c[3] as u32) << 18;
                o[0] = w as u8;
                o[1] = (w >> 8) as u8;
                o[2] = (w >> 16) as u8;
            }
        }
        _ => out[..codes.len()].copy_from_slice(codes),
    }
}

/// Inverse of [`pack_block`]: `codes.len()` = bs codes from `packed`.
#[inline(always)]
pub fn unpack_block(bits: u32, layout: Layout, packed: &[u8], codes: &mut [u8]) {
    match bits {
        4 => {
            let h = codes.len() / 2;
            match layout {
                Layout::Pairs => {
                    for (p, &b) in codes.chunks_exact_mut(2).zip(&packed[..h]) {
                        p[0] = b & 15;
                        p[1] = b >> 4;
                    }
                }
                Layout::Ggml => {
                    let (lo, hi) = codes.split_at_mut(h);
                    for ((a, c), &b) in lo.iter_mut().zip(hi.iter_mut()).zip(&packed[..h]) {
                        *a = b & 15;
                        *c = b >> 4;
                    }
                }
            }
        }
        6 => {
            for (c, o) in codes.chunks_exact_mut(4).zip(packed.chunks_exact(3)) {
                let w = o[0] as u32 | (o[1] as u32) << 8 | (o[2] as u32) << 16;
                c[0] = (w & 63) as u8;
                c[1] = ((w >> 6) & 63) as u8;
                c[2] = ((w >> 12) & 63) as u8;
                c[3] = (w >> 18) as u8;
            }
        }
        _ => codes.copy_from_slice(&packed[..codes.len()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn torchao_fp4_pack_bytes() {
        // [[0, 0.5, 4, −0], [−0, 1, −6, 3]] → [[0x10, 0x86], [0x28, 0x5F]] (pairs, low nibble first)
        let rows = [[0x0u8, 0x1, 0x6, 0x8], [0x8, 0x2, 0xF, 0x5]];
        let want = [[0x10u8, 0x86], [0x28, 0x5F]];
        for (r, w) in rows.iter().zip(want) {
            let mut o = [0u8; 2];
            pack_block(4, Layout::Pairs, r, &mut o);
            assert_eq!(o, w);
            let mut back = [0u8; 4];
            unpack_block(4, Layout::Pairs, &o, &mut back);
            assert_eq!(&back, r);
        }
    }

    #[test]
    fn ggml_and_fp6_roundtrip() {
        let codes: Vec<u8> = (0..32).map(|i| (i * 7 % 16) as u8).collect();
        let mut o = [0u8; 16];
        pack_block(4, Layout::Ggml, &codes, &mut o);
        for j in 0..16 {
            assert_eq!(o[j], codes[j] | (codes[j + 16] << 4));
        }
        let mut back = [0u8; 32];
        unpack_block(4, Layout::Ggml, &o, &mut back);
        assert_eq!(&back[..], &codes[..]);

        let c6: Vec<u8> = (0..32).map(|i| (i * 37 % 64) as u8).collect();
        let mut o6 = [0u8; 24];
        pack_block(6, Layout::Pairs, &c6, &mut o6);
        for (i, &c) in c6.iter().enumerate() {
            // element i in stream bits [6i, 6i+6)
            let mut v = 0u8;
            for b in 0..6 {
                let bit = 6 * i + b;
                v |= ((o6[bit / 8] >> (bit % 8)) & 1) << b;
            }
            assert_eq!(v, c, "fp6 element {i}");
        }
        let mut b6 = [0u8; 32];
        unpack_block(6, Layout::Pairs, &o6, &mut b6);
        assert_eq!(&b6[..], &c6[..]);
    }
}
