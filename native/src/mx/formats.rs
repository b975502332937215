//! MX format ids and their parameters (`docs/internals.md`, "MX" → "Format ids"), and exact
//! decode tables (one f32 per code byte).

use std::sync::OnceLock;

/// Element / scale format ids of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Fmt {
    E2m1 = 0,
    E2m3 = 1,
    E3m2 = 2,
    E4m3 = 3,
    E5m2 = 4,
    Int8 = 5,
    Ue4m3 = 6,
    E8m0 = 7,
}

/// f32 quiet NaN (positive), what NaN scale blocks decode to.
pub const NAN_BITS: u32 = 0x7FC0_0000;

impl Fmt {
    pub const ALL: [Fmt; 8] = [Fmt::E2m1, Fmt::E2m3, Fmt::E3m2, Fmt::E4m3, Fmt::E5m2, Fmt::Int8, Fmt::Ue4m3, Fmt::E8m0];

    pub fn from_id(id: u64) -> Option<Fmt> {
        Fmt::ALL.get(id as usize).copied().filter(|_| id < 8)
    }

    /// True for the six element formats usable in blocks (ids 0..=5).
    pub fn is_element(self) -> bool {
        (self as u8) <= 5
    }

    /// Storage bits of one code.
    pub fn bits(self) -> u32 {
        match self {
            Fmt::E2m1 => 4,
            Fmt::E2m3 | Fmt::E3m2 => 6,
            _ => 8,
        }
    }

    /// Mantissa bits (`mbits` column; int8 is a fixed-point "1.6" with 6).
    pub fn mbits(self) -> u32 {
        match self {
            Fmt::E2m1 => 1,
            Fmt::E2m3 | Fmt::E4m3 | Fmt::Ue4m3 => 3,
            Fmt::E3m2 | Fmt::E5m2 => 2,
            Fmt::Int8 => 6,
            Fmt::E8m0 => 0,
        }
    }

    /// Exponent bias.
    pub fn bias(self) -> i32 {
        match self {
            Fmt::E2m1 | Fmt::E2m3 => 1,
            Fmt::E3m2 => 3,
            Fmt::E4m3 | Fmt::Ue4m3 => 7,
            Fmt::E5m2 => 15,
            Fmt::Int8 => 1,
            Fmt::E8m0 => 127,
        }
    }

    /// Exponent of the largest normal (`emax`, used by the scale rules).
    pub fn emax(self) -> i32 {
        match self {
            Fmt::E2m1 | Fmt::E2m3 => 2,
            Fmt::E3m2 => 4,
            Fmt::E4m3 | Fmt::Ue4m3 => 8,
            Fmt::E5m2 => 15,
            Fmt::Int8 => 0,
            Fmt::E8m0 => 127,
        }
    }

    /// Largest finite magnitude.
    pub fn max(self) -> f32 {
        match self {
            Fmt::E2m1 => 6.0,
            Fmt::E2m3 => 7.5,
            Fmt::E3m2 => 28.0,
            Fmt::E4m3 | Fmt::Ue4m3 => 448.0,
            Fmt::E5m2 => 57344.0,
            Fmt::Int8 => 127.0 / 64.0,
            Fmt::E8m0 => f32::from_bits(0x7F00_0000), // 2^127
        }
    }

    /// Magnitude code of `max` (sign bit clear).
    pub fn max_code(self) -> u32 {
        match self {
            Fmt::E2m1 => 0x7,
            Fmt::E2m3 | Fmt::E3m2 => 0x1F,
            Fmt::E4m3 | Fmt::Ue4m3 => 0x7E,
            Fmt::E5m2 => 0x7B,
            Fmt::Int8 => 0x7F,
            Fmt::E8m0 => 0xFE,
        }
    }

    /// Sign bit position (for the sign-magnitude formats).
    pub fn sign_shift(self) -> u32 {
        self.bits() - 1
    }

    /// The code written for NaN blocks (`0` where the format has no NaN).
    pub fn nan_block_code(self) -> u8 {
        match self {
            Fmt::E4m3 | Fmt::Ue4m3 => 0x7F,
            Fmt::E5m2 => 0x7E,
            Fmt::E8m0 => 0xFF,
            _ => 0,
        }
    }

    /// Biased f32 exponent of the smallest normal (`1 − bias + 127`); the encoder's grid spacing is
    /// `2^(max(e, emin) − mbits)`.
    pub fn emin_biased(self) -> u32 {
        (1 - self.bias() + 127) as u32
    }

    /// Bytes of one packed block of `bs` codes.
    pub fn block_bytes(self, bs: usize) -> usize {
        match self.bits() {
            4 => bs / 2,
            6 => 3 * bs / 4,
            _ => bs,
        }
    }

    /// The exact value of code byte `c` (NaN codes decode to a quiet NaN with the code's sign;
    /// 4/6-bit formats ignore the unused high bits; ue4m3 ignores bit 7).
    pub fn decode_slow(self, c: u8) -> f32 {
        match self {
            Fmt::Int8 => (c as i8) as f32 / 64.0,
            Fmt::E8m0 => match c {
                0xFF => f32::from_bits(NAN_BITS),
                0 => f32::from_bits(0x0040_0000),
                _ => f32::from_bits((c as u32) << 23),
            },
            Fmt::Ue4m3 => Fmt::E4m3.decode_slow(c & 0x7F),
            _ => {
                let bits = self.bits();
                let c = (c as u32) & ((1 << bits) - 1);
                let sign = (c >> (bits - 1)) & 1;
                let m = self.mbits();
                let mag = c & ((1 << (bits - 1)) - 1);
                let e = mag >> m;
                let mant = mag & ((1 << m) - 1);
                let nan = match self {
                    Fmt::E4m3 => mag == 0x7F,
                    Fmt::E5m2 => e == 31 && mant != 0,
                    _ => false,
                };
                if nan {
                    return f32::from_bits(NAN_BITS | (sign << 31));
                }
                let v = if self == Fmt::E5m2 && e == 31 {
                    f32::INFINITY
                } else if e == 0 {
                    mant as f32 * pow2(1 - self.bias() - m as i32)
                } else {
                    (((1 << m) + mant) as f32) * pow2(e as i32 - self.bias() - m as i32)
                };
                if sign == 1 {
                    -v
                } else {
                    v
                }
            }
        }
    }

    /// The 256-entry decode table.
    pub fn table(self) -> &'static [f32; 256] {
        static TABLES: OnceLock<[[f32; 256]; 8]> = OnceLock::new();
        let t = TABLES.get_or_init(|| {
            let mut t = [[0f32; 256]; 8];
            for f in Fmt::ALL {
                for (c, v) in t[f as usize].iter_mut().enumerate() {
                    *v = f.decode_slow(c as u8);
                }
            }
            t
        });
        &t[self as usize]
    }
}

/// `2^e` as f32 for `e` in [−149, 127] (exact, subnormals included).
#[inline]
pub fn pow2(e: i32) -> f32 {
    debug_assert!((-149..=127).contains(&e));
    if e >= -126 {
        f32::from_bits(((e + 127) as u32) << 23)
    } else {
        f32::from_bits(1u32 << (e + 149))
    }
}

/// The block scale value `2^(b − 127)` of an e8m0 byte (`0xFF` → NaN).
#[inline]
pub fn e8m0_value(b: u8) -> f32 {
    match b {
        0xFF => f32::from_bits(NAN_BITS),
        0 => f32::from_bits(0x0040_0000),
        _ => f32::from_bits((b as u32) << 23),
    }
}

/// Scale format ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScaleFmt {
    E8m0 = 0,
    Ue4m3 = 1,
}

/// Scale rule ids (e8m0 only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScaleRule {
    Floor = 0,
    Ceil = 1,
    Even = 2,
    Rceil = 3,
    Ggml = 4,
}

/// Rounding ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rounding {
    Rne = 0,
    Away = 1,
    Stochastic = 2,
    Stochastic34 = 3,
    Ggml = 4,
}

impl Rounding {
    pub fn is_stochastic(self) -> bool {
        matches!(self, Rounding::Stochastic | Rounding::Stochastic34)
    }
}

/// FP4 nibble layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Pairs = 0,
    Ggml = 1,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exhaustive decode tables, checked against the published values (mx.md §1.2, §1.3).
    #[test]
    fn e2m1_table() {
        let want = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, -0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0];
        for c in 0..256usize {
            let v = Fmt::E2m1.table()[c];
            assert_eq!(v.to_bits(), (want[c & 15] as f32).to_bits(), "code {c:#x}");
        }
    }

    #[test]
    fn fp6_fp8_tables() {
        // A generic independent formula: value = (-1)^s · 2^(e−bias) · (1 + m/2^mb), subnormal when e = 0.
        fn gen(c: u32, eb: u32, mb: u32, bias: i32) -> f64 {
            let s = (c >> (eb + mb)) & 1;
            let e = (c >> mb) & ((1 << eb) - 1);
            let m = c & ((1 << mb) - 1);
            let v = if e == 0 {
                m as f64 / (1u64 << mb) as f64 * 2f64.powi(1 - bias)
            } else {
                (1.0 + m as f64 / (1u64 << mb) as f64) * 2f64.powi(e as i32 - bias)
            };
            if s == 1 {
                -v
            } else {
                v
            }
        }
        for c in 0..64u32 {
            assert_eq!(Fmt::E2m3.table()[c as usize] as f64, gen(c, 2, 3, 1), "e2m3 {c:#x}");
            assert_eq!(Fmt::E3m2.table()[c as usize] as f64, gen(c, 3, 2, 3), "e3m2 {c:#x}");
            // high bits ignored
            assert_eq!(Fmt::E3m2.table()[c as usize + 192].to_bits(), Fmt::E3m2.table()[c as usize].to_bits());
        }
        assert_eq!(Fmt::E2m3.table()[0x1F], 7.5);
        assert_eq!(Fmt::E3m2.table()[0x1F], 28.0);
        assert_eq!(Fmt::E3m2.table()[0x01], 0.0625);
        assert_eq!(Fmt::E2m3.table()[0x01], 0.125);
        for c in 0..256u32 {
            let v4 = Fmt::E4m3.table()[c as usize];
            if c & 0x7F == 0x7F {
                assert!(v4.is_nan());
                assert_eq!(v4.to_bits() >> 31, c >> 7);
            } else {
                assert_eq!(v4 as f64, gen(c, 4, 3, 7), "e4m3 {c:#x}");
            }
            let v5 = Fmt::E5m2.table()[c as usize];
            match c & 0x7F {
                0x7C => assert_eq!(v5, if c & 0x80 != 0 { f32::NEG_INFINITY } else { f32::INFINITY }),
                0x7D..=0x7F => assert!(v5.is_nan() && v5.to_bits() >> 31 == c >> 7),
                _ => assert_eq!(v5 as f64, gen(c, 5, 2, 15), "e5m2 {c:#x}"),
            }
            assert_eq!(Fmt::Int8.table()[c as usize] as f64, (c as u8 as i8) as f64 / 64.0);
            let u = Fmt::Ue4m3.table()[c as usize];
            assert_eq!(u.to_bits(), Fmt::E4m3.table()[(c & 0x7F) as usize].to_bits());
            let e = Fmt::E8m0.table()[c as usize];
            if c == 255 {
                assert!(e.is_nan());
            } else {
                assert_eq!(e as f64, 2f64.powi(c as i32 - 127));
            }
        }
        assert_eq!(Fmt::E4m3.table()[0x7E], 448.0);
        assert_eq!(Fmt::E4m3.table()[0x08], 2f32.powi(-6));
        assert_eq!(Fmt::E4m3.table()[0x01], 2f32.powi(-9));
        assert_eq!(Fmt::E5m2.table()[0x7B], 57344.0);
        assert_eq!(Fmt::E5m2.table()[0x01], 2f32.powi(-16));
        // e8m0 (PyTorch test_floatx SPECIAL_NUMBERS)
        assert_eq!(Fmt::E8m0.table()[0x00].to_bits(), 0x0040_0000);
        assert_eq!(Fmt::E8m0.table()[0x7E], 0.5);
        assert_eq!(Fmt::E8m0.table()[0x7F], 1.0);
        assert_eq!(Fmt::E8m0.table()[0x80], 2.0);
        assert_eq!(Fmt::E8m0.table()[0xFE], 2f32.powi(127));
        for f in Fmt::ALL {
            assert_eq!(f.table()[f.max_code() as usize], f.max(), "{f:?} max");
            assert_eq!(f.emin_biased() as i32 - 127, 1 - f.bias());
        }
    }
}
