//! A polygenic risk score for coronary disease, applied on top of an equation's risk — shown
//! beside it, never folded into it.
//!
//! A [`PolygenicScore`] is what a genomics report states: the score's name, its value as a
//! z-score (standard deviations from the validation cohort's mean) or as a percentile, and the
//! genetic ancestry it was computed for. [`apply`] takes an equation's 10-year risk and returns a
//! [`Verdict`]: the adjusted risk with its range, or why the score was not applied.
//!
//! # Model
//! Proportional hazards: a score z standard deviations above the mean multiplies the hazard by
//! HR^z at every time, so the survival becomes S^(HR^z) and
//!
//! risk' = 1 − (1 − risk)^(HR^z).
//!
//! Assumptions, stated because they matter: the equation's risk is taken as the risk of a person
//! at the score's population mean (z = 0); the per-SD hazard ratio is the validation study's,
//! for coronary disease, and is applied to the whole figure (for a CVD or ASCVD figure that also
//! counts strokes this overstates the change somewhat: the score's association with stroke is
//! weaker); the hazard ratio's 95% confidence interval gives the range. A percentile is turned
//! into z through the standard normal quantile (the scores are normally distributed in their
//! validation cohorts; Khera 2018, Fig. 1).
//!
//! # Double counting
//! A hazard ratio adjusted for the equation's own risk factors adds only what they do not
//! already carry; one that is not would count their share twice. For 70 and over the figure
//! used is adjusted (ASPREE). For 40–69 it is Inouye's headline figure: the risk-factor-adjusted
//! per-SD figure was not found at the source when this was written, so
//! [`Calibration::adjustment`] says so and the explanation shows it beside the number. The
//! overlap is expected to be small: genome-wide scores correlate little with the conventional
//! factors, and the metaGRS's predecessor's association was "largely unchanged by adjustment
//! for known risk factors, including family history" (Abraham G et al., Eur Heart J
//! 2016;37:3267, Abstract: FINRISK HR 1.74, 95% CI 1.61–1.86 per SD).
//!
//! # Ancestry
//! The scores were developed and validated in people of European ancestry; their association
//! with coronary disease is weaker in others (metaGRS per-SD HR for incident CHD 1.53 in European,
//! 1.53 in Hispanic and 1.27 in African-ancestry participants of eMERGE: Dikilitas O et al.,
//! Am J Hum Genet 2020;106:707). So a score is applied only where its ancestry is recorded and
//! matches the validation cohort's.
//!
//! # References
//! - Inouye M et al. Genomic risk prediction of coronary artery disease in 480,000 adults:
//!   implications for primary prevention. J Am Coll Cardiol 2018;72:1883–1893.
//!   doi:10.1016/j.jacc.2018.07.079 — metaGRS (1.7 million variants), UK Biobank (aged 40–69,
//!   European ancestry): HR for CAD 1.71 (95% CI 1.68–1.73) per SD (Abstract, Results).
//! - Neumann JT et al. A polygenic risk score for coronary heart disease performs well in
//!   individuals aged 70 years and older. medRxiv 2021, doi:10.1101/2021.03.23.21254144, since
//!   published (PMC8847323) — ASPREE, 12,792 genotyped participants aged 70 and over without
//!   cardiovascular events: metaGRS added to conventional risk factors, HR 1.24 (95% CI
//!   1.08–1.42) for MI or CHD death over 5 years (Abstract).
//! - Khera AV et al. Genome-wide polygenic scores for common diseases identify individuals with
//!   risk equivalent to monogenic mutations. Nat Genet 2018;50:1219–1224.
//!   doi:10.1038/s41588-018-0183-z — GPS_CAD (6.6 million variants): 8.0% of UK Biobank's
//!   European-ancestry participants at more than threefold risk (Abstract). Those are odds ratios
//!   for prevalent disease at the top of the distribution, not a per-SD hazard ratio, so no
//!   calibration is held for GPS_CAD: it is shown, not applied.
//! - Marsaglia G. Evaluating the normal distribution. J Stat Softw 2004;11(4) — the series for
//!   the normal distribution function that [`normal_quantile`] inverts.

pub use crate::record::{Ancestry, PolygenicScore, ScoreValue};

impl PolygenicScore {
    /// The score in standard deviations: the z-score as given, or the normal quantile of the
    /// percentile. `None` when there is no value, or it is not finite, or a percentile lies
    /// outside (0, 100).
    pub fn z(&self) -> Option<f64> {
        match self.value? {
            ScoreValue::ZScore(z) if z.is_finite() => Some(z),
            ScoreValue::Percentile(p) if p.is_finite() && p > 0.0 && p < 100.0 => Some(normal_quantile(p / 100.0)),
            _ => None,
        }
    }

    /// The percentile: as given, or from the z-score through the normal distribution.
    pub fn percentile(&self) -> Option<f64> {
        match self.value? {
            ScoreValue::Percentile(p) if p.is_finite() && p > 0.0 && p < 100.0 => Some(p),
            ScoreValue::ZScore(z) if z.is_finite() => Some(100.0 * normal_cdf(z)),
            _ => None,
        }
    }
}

/// A published calibration of one score: its per-SD hazard ratio for coronary disease, and
/// whom it was validated in.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The score's name, as reports spell it (matched case-insensitively).
    pub score: &'static str,
    /// Hazard ratio per SD.
    pub hazard_ratio: f64,
    /// Its 95% confidence interval, low end.
    pub hazard_ratio_low: f64,
    /// Its 95% confidence interval, high end.
    pub hazard_ratio_high: f64,
    /// The ancestry of the validation cohort.
    pub ancestry: Ancestry,
    /// Youngest age in the validation cohort, years.
    pub min_age: f64,
    /// Oldest age in the validation cohort, years.
    pub max_age: f64,
    /// What the hazard ratio was adjusted for, in words.
    pub adjustment: &'static str,
    /// The outcome it was measured for.
    pub outcome: &'static str,
    /// The published source.
    pub source: &'static str,
}

/// The calibrations held: metaGRS in UK Biobank (ages 40–69) and in ASPREE (70 and over). The
/// ASPREE figure is adjusted for conventional risk factors; Inouye's headline figure is the one
/// the abstract reports, and the explanation says so (see the module's "Double counting").
pub fn calibrations() -> [Calibration; 2] {
    [
        Calibration {
            score: "metaGRS",
            hazard_ratio: 1.71,
            hazard_ratio_low: 1.68,
            hazard_ratio_high: 1.73,
            ancestry: Ancestry::European,
            min_age: 40.0,
            max_age: 69.0,
            adjustment:
                "the paper's headline estimate, not adjusted for the equation's risk factors, so it may slightly \
                 overstate what the score adds to the equation",
            outcome: "coronary artery disease",
            source: "Inouye M et al. J Am Coll Cardiol 2018;72:1883 (metaGRS, UK Biobank, European ancestry)",
        },
        Calibration {
            score: "metaGRS",
            hazard_ratio: 1.24,
            hazard_ratio_low: 1.08,
            hazard_ratio_high: 1.42,
            ancestry: Ancestry::European,
            min_age: 70.0,
            max_age: f64::INFINITY,
            adjustment: "adjusted for conventional risk factors",
            outcome: "myocardial infarction or coronary death",
            source:
                "Neumann JT et al. medRxiv 2021, doi:10.1101/2021.03.23.21254144 (metaGRS, ASPREE, age 70 and over)",
        },
    ]
}

/// The risk with the score applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjusted {
    /// The equation's risk, as given.
    pub base_risk: f64,
    /// The score in SDs.
    pub z: f64,
    /// The score's percentile.
    pub percentile: f64,
    /// The hazard multiplier HR^z.
    pub hazard_multiplier: f64,
    /// The adjusted risk.
    pub risk: f64,
    /// Its range from the hazard ratio's 95% CI, low end.
    pub risk_low: f64,
    /// Its range, high end.
    pub risk_high: f64,
    /// The calibration used.
    pub calibration: Calibration,
}

/// Why a score was shown but not applied.
#[derive(Debug, Clone, PartialEq)]
pub enum NotApplied {
    /// The report does not state the ancestry the score was computed for.
    NoAncestry,
    /// The ancestry differs from the validation cohort's.
    AncestryNotValidated {
        /// As reported.
        ancestry: Ancestry,
        /// The validation cohort's.
        validated: Ancestry,
    },
    /// Neither a z-score nor a usable percentile.
    NoValue,
    /// No published calibration of this score is held.
    UnknownScore {
        /// The score's name as reported.
        name: String,
    },
    /// The patient's age lies outside every validation cohort of the score.
    AgeOutsideValidation {
        /// Age, years.
        age: f64,
    },
}

impl NotApplied {
    /// A plain-language reason.
    pub fn describe(&self) -> String {
        match self {
            NotApplied::NoAncestry => {
                "the report does not state the genetic ancestry, and the score was validated only in people of European \
                 ancestry"
                    .into()
            }
            NotApplied::AncestryNotValidated { ancestry, validated } => format!(
                "the score was computed for {} ancestry but validated in people of {} ancestry; it predicts less well \
                 outside it",
                ancestry.label(),
                validated.label()
            ),
            NotApplied::NoValue => "the report gives neither a z-score nor a percentile".into(),
            NotApplied::UnknownScore { name } => {
                format!("no published per-SD hazard ratio for “{name}” is held (metaGRS is)")
            }
            NotApplied::AgeOutsideValidation { age } => {
                format!("age {age:.0} is outside the ages the score was validated in (40 and over)")
            }
        }
    }
}

/// What became of a score against one risk figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Applied: the adjusted risk and its range.
    Applied(Adjusted),
    /// Shown but not applied, and why.
    NotApplied(NotApplied),
}

/// Applies `score` to an equation's risk `base_risk` (a fraction in [0, 1]) for a person aged
/// `age`, by the model in the module's doc comment.
pub fn apply(score: &PolygenicScore, base_risk: f64, age: f64) -> Verdict {
    let named: Vec<Calibration> =
        calibrations().into_iter().filter(|c| c.score.eq_ignore_ascii_case(score.name.trim())).collect();
    if named.is_empty() {
        return Verdict::NotApplied(NotApplied::UnknownScore { name: score.name.clone() });
    }
    let Some(ancestry) = &score.ancestry else {
        return Verdict::NotApplied(NotApplied::NoAncestry);
    };
    let validated: Vec<&Calibration> = named.iter().filter(|c| &c.ancestry == ancestry).collect();
    if validated.is_empty() {
        return Verdict::NotApplied(NotApplied::AncestryNotValidated {
            ancestry: ancestry.clone(),
            validated: named[0].ancestry.clone(),
        });
    }
    let (Some(z), Some(percentile)) = (score.z(), score.percentile()) else {
        return Verdict::NotApplied(NotApplied::NoValue);
    };
    let Some(calibration) = validated.into_iter().find(|c| (c.min_age..=c.max_age).contains(&age)) else {
        return Verdict::NotApplied(NotApplied::AgeOutsideValidation { age });
    };
    let base_risk = base_risk.clamp(0.0, 1.0);
    let at = |hr: f64| 1.0 - (1.0 - base_risk).powf(hr.powf(z));
    let (a, b) = (at(calibration.hazard_ratio_low), at(calibration.hazard_ratio_high));
    Verdict::Applied(Adjusted {
        base_risk,
        z,
        percentile,
        hazard_multiplier: calibration.hazard_ratio.powf(z),
        risk: at(calibration.hazard_ratio),
        risk_low: a.min(b),
        risk_high: a.max(b),
        calibration: calibration.clone(),
    })
}

/// The standard normal distribution function Φ(x), by Marsaglia's series
/// Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + …), which converges for every x; beyond |x| = 8.3 it
/// is 0 or 1 to double precision.
pub fn normal_cdf(x: f64) -> f64 {
    if x <= -8.3 {
        return 0.0;
    }
    if x >= 8.3 {
        return 1.0;
    }
    let (mut sum, mut term) = (x, x);
    let x2 = x * x;
    let mut n = 1.0;
    while term.abs() > 1e-17 * sum.abs().max(1e-300) {
        n += 2.0;
        term *= x2 / n;
        sum += term;
    }
    let density = (-0.5 * x2).exp() / (2.0 * std::f64::consts::PI).sqrt();
    (0.5 + density * sum).clamp(0.0, 1.0)
}

/// The standard normal quantile Φ⁻¹(p) for p in (0, 1), by bisection on [`normal_cdf`] (to
/// about 1e-12; a score's percentile is never known that well). Outside (0, 1): NaN.
pub fn normal_quantile(p: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) {
        return f64::NAN;
    }
    let (mut low, mut high) = (-8.3_f64, 8.3_f64);
    for _ in 0..64 {
        let mid = 0.5 * (low + high);
        if normal_cdf(mid) < p {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Source;
    use time::macros::date;

    fn score(name: &str, value: Option<ScoreValue>, ancestry: Option<Ancestry>) -> PolygenicScore {
        PolygenicScore {
            name: name.into(),
            value,
            ancestry,
            date: date!(2026 - 06 - 01),
            source: Source { resource: "Observation/prs".into() },
        }
    }

    fn metagrs(z: f64) -> PolygenicScore {
        score("metaGRS", Some(ScoreValue::ZScore(z)), Some(Ancestry::European))
    }

    fn applied(v: Verdict) -> Adjusted {
        match v {
            Verdict::Applied(a) => a,
            Verdict::NotApplied(why) => panic!("expected the score applied, got {why:?}"),
        }
    }

    #[test]
    fn worked_example_by_hand() {
        // 10-year risk 10%, metaGRS z = +1, age 55 (UK Biobank calibration, HR 1.71 per SD):
        // S = 0.9; S^(1.71) = exp(1.71 × ln 0.9) = exp(1.71 × −0.1053605) = exp(−0.1801665)
        // = 0.835131, so risk' = 16.49%, +6.49 pp.
        // Range: HR 1.68 → 0.9^1.68 = exp(−0.1770056) = 0.837775 → 16.22%;
        //        HR 1.73 → 0.9^1.73 = exp(−0.1822737) = 0.833373 → 16.66%.
        let a = applied(apply(&metagrs(1.0), 0.10, 55.0));
        assert!((a.risk - 0.164869).abs() < 1e-5, "{}", a.risk);
        assert!((a.risk_low - 0.162225).abs() < 1e-5, "{}", a.risk_low);
        assert!((a.risk_high - 0.166627).abs() < 1e-5, "{}", a.risk_high);
        assert!((a.hazard_multiplier - 1.71).abs() < 1e-12);
        assert!((a.percentile - 84.134).abs() < 1e-3);
    }

    #[test]
    fn a_zero_score_leaves_the_risk_unchanged() {
        let a = applied(apply(&metagrs(0.0), 0.137, 60.0));
        assert!((a.risk - 0.137).abs() < 1e-12);
        assert!((a.risk_low - 0.137).abs() < 1e-12 && (a.risk_high - 0.137).abs() < 1e-12);
        let median = score("metaGRS", Some(ScoreValue::Percentile(50.0)), Some(Ancestry::European));
        assert!((applied(apply(&median, 0.137, 60.0)).risk - 0.137).abs() < 1e-9);
    }

    #[test]
    fn risk_rises_with_the_score_and_the_range_holds_it() {
        let mut last = 0.0;
        for z in [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0] {
            let a = applied(apply(&metagrs(z), 0.08, 50.0));
            assert!(a.risk > last, "z = {z}: {} after {last}", a.risk);
            assert!(a.risk_low <= a.risk && a.risk <= a.risk_high, "z = {z}");
            assert!((0.0..=1.0).contains(&a.risk));
            last = a.risk;
        }
    }

    #[test]
    fn the_older_calibration_is_used_from_seventy() {
        let a = applied(apply(&metagrs(1.0), 0.10, 74.0));
        assert!((a.hazard_multiplier - 1.24).abs() < 1e-12);
        assert!(a.calibration.source.contains("ASPREE"));
    }

    #[test]
    fn percentile_becomes_z_through_the_normal_quantile() {
        // Φ⁻¹(0.975) = 1.959964; Φ⁻¹(0.82) = 0.915365; Φ⁻¹(0.05) = −1.644854.
        for (p, z) in [(0.975, 1.959964), (0.82, 0.915365), (0.05, -1.644854), (0.5, 0.0)] {
            assert!((normal_quantile(p) - z).abs() < 1e-6, "p = {p}: {}", normal_quantile(p));
        }
        assert!(normal_quantile(0.0).is_nan() && normal_quantile(1.0).is_nan());
        let s = score("metaGRS", Some(ScoreValue::Percentile(82.0)), Some(Ancestry::European));
        assert!((s.z().unwrap_or(f64::NAN) - 0.915365).abs() < 1e-6);
    }

    #[test]
    fn not_applied_without_ancestry() {
        let s = score("metaGRS", Some(ScoreValue::Percentile(82.0)), None);
        assert_eq!(apply(&s, 0.1, 55.0), Verdict::NotApplied(NotApplied::NoAncestry));
    }

    #[test]
    fn not_applied_outside_the_validated_ancestry() {
        let s = score("metaGRS", Some(ScoreValue::ZScore(1.2)), Some(Ancestry::African));
        assert_eq!(
            apply(&s, 0.1, 55.0),
            Verdict::NotApplied(NotApplied::AncestryNotValidated {
                ancestry: Ancestry::African,
                validated: Ancestry::European
            })
        );
    }

    #[test]
    fn not_applied_without_a_value() {
        for value in [None, Some(ScoreValue::Percentile(100.0)), Some(ScoreValue::Percentile(0.0))] {
            let s = score("metaGRS", value, Some(Ancestry::European));
            assert_eq!(apply(&s, 0.1, 55.0), Verdict::NotApplied(NotApplied::NoValue), "{value:?}");
        }
        let nan = score("metaGRS", Some(ScoreValue::ZScore(f64::NAN)), Some(Ancestry::European));
        assert_eq!(apply(&nan, 0.1, 55.0), Verdict::NotApplied(NotApplied::NoValue));
    }

    #[test]
    fn not_applied_for_an_uncalibrated_score_or_age() {
        let s = score("GPS_CAD", Some(ScoreValue::Percentile(95.0)), Some(Ancestry::European));
        assert!(matches!(apply(&s, 0.1, 55.0), Verdict::NotApplied(NotApplied::UnknownScore { .. })));
        assert_eq!(
            apply(&metagrs(1.0), 0.1, 35.0),
            Verdict::NotApplied(NotApplied::AgeOutsideValidation { age: 35.0 })
        );
    }

    #[test]
    fn ancestry_reads_codes_and_names() {
        assert_eq!(Ancestry::parse("EUR"), Ancestry::European);
        assert_eq!(Ancestry::parse(" european "), Ancestry::European);
        assert_eq!(Ancestry::parse("SAS"), Ancestry::SouthAsian);
        assert_eq!(Ancestry::parse("Finnish"), Ancestry::Other("Finnish".into()));
    }
}
