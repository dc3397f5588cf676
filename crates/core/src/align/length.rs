//! Gale-Church length evidence: translated sentences have proportional lengths in characters.

/// Weight, in characters, of the belief that both languages are equally long.
const PRIOR_CHARS: f64 = 2000.0;

/// The length model of one text pair: how many target characters one source character gives,
/// and how much that ratio varies.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LengthModel {
    /// Target characters per source character, measured on the pair itself.
    ratio: f64,
    /// Variance of the target length per source character (Gale and Church's s²).
    variance: f64,
}

impl LengthModel {
    /// Estimates the ratio from the two texts' total lengths, so that language pairs with
    /// different verbosity (de/fr, nl/fr, en/fr) need no table. A prior of
    /// [`PRIOR_CHARS`] characters at ratio 1 keeps a short text with an omission from
    /// believing that the languages differ in length.
    pub(crate) fn from_totals(src_chars: u64, tgt_chars: u64, variance: f64) -> Self {
        let (src, tgt) = (src_chars as f64, tgt_chars as f64);
        let ratio = ((tgt + PRIOR_CHARS) / (src + PRIOR_CHARS)).clamp(0.2, 5.0);
        LengthModel { ratio, variance }
    }

    /// Minus the log probability that `src_len` and `tgt_len` characters are translations of
    /// each other (two-sided normal tail of the length difference).
    pub(crate) fn cost(&self, src_len: u64, tgt_len: u64) -> f64 {
        let (l1, l2) = (src_len as f64, tgt_len as f64);
        let mean = (l1 + l2 / self.ratio) / 2.0;
        if mean == 0.0 {
            return 0.0;
        }
        let delta = (l2 - l1 * self.ratio) / (self.variance * mean).sqrt();
        -ln_two_sided_tail(delta.abs())
    }
}

/// ln(2·(1 − Φ(z))) = ln(erfc(z/√2)) for z ≥ 0, computed in log space so that large
/// differences give large finite costs instead of ln(0).
fn ln_two_sided_tail(z: f64) -> f64 {
    ln_erfc(z / std::f64::consts::SQRT_2)
}

/// ln(erfc(x)) for x ≥ 0 by the Chebyshev fit of Numerical Recipes (`erfcc`, relative error
/// below 1.2e-7), kept in log space.
fn ln_erfc(x: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * x);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t.ln() - x * x + poly
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_lengths_cost_nothing_and_cost_grows_with_the_difference() {
        let model = LengthModel::from_totals(1000, 1000, 6.8);
        assert!(model.cost(100, 100).abs() < 1e-6);
        let near = model.cost(100, 110);
        let far = model.cost(100, 200);
        assert!(near > 0.0 && far > near, "{near} {far}");
        assert!(model.cost(100, 0).is_finite());
    }

    #[test]
    fn ratio_comes_from_the_text_pair() {
        let model = LengthModel::from_totals(100_000, 120_000, 6.8);
        assert!(model.cost(100, 120) < model.cost(100, 100));
    }

    #[test]
    fn ln_erfc_matches_known_values() {
        assert!((ln_erfc(0.0)).abs() < 1e-6);
        assert!((ln_erfc(1.0) - 0.157_299_207_f64.ln()).abs() < 1e-6);
        assert!((ln_erfc(3.0) - 2.209_049_7e-5_f64.ln()).abs() < 1e-5);
    }
}
