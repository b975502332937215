//! The 1-bit E8 codebook of QuIP#'s 3-bit RVQ (second stage), in QuIP#'s order: the E8 points of
//! norm² ≤ 2 (integer ones, origin included, then half-integer ones, each in lexicographic order; the
//! origin is entry 56) followed by +2e₀ … +2e₇ and −2e₀ … −2e₆; mirrors `wasm/lattice/e81b.ts`.
//! Encoding is an exhaustive search (256 × 8, the same f32 sums per entry, vectorised over entries);
//! ties go to the lower index.

pub struct Tables {
    pub pts: [[f32; 8]; 256],
    /// `pts_t[i][a] = pts[a][i]`.
    pub pts_t: [[f32; 256]; 8],
    pub n2: [f32; 256],
}

pub static TABLES: Tables = build();

const fn build() -> Tables {
    let mut t = Tables { pts: [[0.0; 8]; 256], pts_t: [[0.0; 256]; 8], n2: [0.0; 256] };
    let mut k = 0;
    let mut m = 0u32;
    while m < 6561 {
        let (mut r, mut nz) = (m, 0);
        let mut i = 8;
        while i > 0 {
            i -= 1;
            nz += (r % 3 != 1) as u32;
            r /= 3;
        }
        if nz == 0 || nz == 2 {
            r = m;
            let mut i = 8;
            while i > 0 {
                i -= 1;
                t.pts[k][i] = (r % 3) as f32 - 1.0;
                r /= 3;
            }
            k += 1;
        }
        m += 1;
    }
    let mut m = 0u32;
    while m < 256 {
        if (!m & 255).count_ones() & 1 == 0 {
            let mut i = 0;
            while i < 8 {
                t.pts[k][i] = if (m >> (7 - i)) & 1 != 0 { 0.5 } else { -0.5 };
                i += 1;
            }
            k += 1;
        }
        m += 1;
    }
    let mut i = 0;
    while i < 8 {
        t.pts[k][i] = 2.0;
        k += 1;
        i += 1;
    }
    let mut i = 0;
    while i < 7 {
        t.pts[k][i] = -2.0;
        k += 1;
        i += 1;
    }
    assert!(k == 256);
    let mut a = 0;
    while a < 256 {
        let mut n = 0f32;
        let mut i = 0;
        while i < 8 {
            let v = t.pts[a][i];
            n += v * v;
            t.pts_t[i][a] = v;
            i += 1;
        }
        t.n2[a] = n;
        a += 1;
    }
    t
}

/// Index of the nearest entry to one 8-vector (NaN/±Inf read as 0).
#[inline]
pub fn encode_one(x: &[f32]) -> u8 {
    let t = &TABLES;
    let mut dot = [0f32; 256];
    for i in 0..8 {
        let xi = if x[i].is_finite() { x[i] } else { 0.0 };
        let row = &t.pts_t[i];
        for a in 0..256 {
            dot[a] += xi * row[a];
        }
    }
    let (mut best, mut ba) = (f32::NEG_INFINITY, 0usize);
    for a in 0..256 {
        let score = dot[a] * 2.0 - t.n2[a];
        if score > best {
            best = score;
            ba = a;
        }
    }
    ba as u8
}

pub fn encode(x: &[f32], codes: &mut [u8]) {
    for (xv, c) in x.chunks_exact(8).zip(codes.iter_mut()) {
        *c = encode_one(xv);
    }
}

pub fn decode(codes: &[u8], out: &mut [f32]) {
    for (&c, o) in codes.iter().zip(out.chunks_exact_mut(8)) {
        o.copy_from_slice(&TABLES.pts[c as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_round_trip() {
        let t = &TABLES;
        assert_eq!(t.pts[0], [-1.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(t.pts[56], [0.0; 8]);
        assert_eq!(t.pts[57], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, -1.0]);
        assert_eq!(t.pts[113], [-0.5; 8]);
        assert_eq!(t.pts[241], [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(t.pts[255], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0]);
        assert!((0..241).all(|a| t.n2[a] == if a == 56 { 0.0 } else { 2.0 }));
        let codes: Vec<u8> = (0..=255).collect();
        let mut pts = vec![0f32; 8 * 256];
        decode(&codes, &mut pts);
        let mut back = vec![0u8; 256];
        encode(&pts, &mut back);
        assert_eq!(back, codes);
    }
}
