//! A polygenic risk score for coronary disease, applied on top of an equation's risk — shown
//! beside it, never folded into it.
//!
//! A [`PolygenicScore`] is what a genomics report states: the score's name, its value as a
//! z-score (standard deviations from the validation cohort's mean) or as a percentile, and the
//! genetic ancestry it was computed for. [`apply`] takes an equation's 10-year risk and returns a
//! [`Verdict`]: the adjusted risk with its range, or why the score was not applied.
//!
//! # Model
//! The sources are Cox models in which the score sits beside the conventional risk factors, so
//! the score multiplies the hazard the risk factors give by HR^z. Taking the equation's figure as
//! the risk of a person with the score at its population mean (z = 0), its 10-year cumulative
//! hazard H = −ln(1 − risk) becomes H·HR^z, so
//!
//! risk' = 1 − (1 − risk)^(HR^z).
//!
//! Where the source's hazard ratio changes with age (ARIC: piecewise constant over attained age),
//! the log hazard ratio is averaged over the ten years ahead, each age band weighted by the years
//! the patient spends in it (the baseline hazard taken as even over the ten years: it rises with
//! age, so this leans slightly towards the younger, larger ratios). The hazard ratio's 95%
//! confidence interval, taken through the same average, gives the range. The ratio is for
//! coronary disease and is applied to the whole figure: for an ASCVD or CVD figure that also
//! counts strokes this overstates the change somewhat (the score's association with stroke is
//! weaker). A percentile is turned into z through the standard normal quantile (the scores are
//! normally distributed in their cohorts: Khera 2018, Fig. 2, for GPS_CAD; the ARIC contrast of
//! the 95th with the 50th percentile assumes the same).
//!
//! # Double counting
//! A hazard ratio adjusted for the equation's own risk factors adds only what they do not
//! already carry; one that is not would count their share twice. Both calibrations held are so
//! adjusted. ARIC's model holds the pooled cohort equations' inputs (age as the time scale; sex,
//! systolic pressure, total and HDL cholesterol, diabetes, blood-pressure treatment, smoking) at
//! enrolment (so in its later age bands, years after enrolment, the adjustment is for older
//! values than the equation's); ASPREE's, conventional risk factors. The adjustment changes
//! little: the ARIC figures per SD (1.91 to age 55, 1.75 at 55–65) are as large as UK Biobank's
//! unadjusted 1.71 (Inouye 2018), as genome-wide scores correlate little with the conventional
//! factors (the metaGRS's predecessor: FINRISK HR 1.74, 95% CI 1.61–1.86 per SD, Framingham
//! 1.28, 1.18–1.38, "largely unchanged by adjustment for known risk factors, including family
//! history": Abraham G et al., Eur Heart J 2016;37:3267, Abstract). What adjustment does not
//! remove is the fall with age, which the bands carry.
//!
//! # Ancestry
//! The scores were developed and validated in people of European ancestry; their association
//! with coronary disease is weaker in others (metaGRS per-SD HR for incident CHD 1.53 in European,
//! 1.53 in Hispanic and 1.27 in African-ancestry participants of eMERGE: Dikilitas O et al.,
//! Am J Hum Genet 2020;106:707, Abstract). So a score is applied only where its ancestry is
//! recorded and matches the validation cohort's.
//!
//! # References
//! - ARIC: "The association of high polygenic risk with future coronary heart disease events
//!   diminishes later in life", American Heart Association Scientific Sessions Abstract 13386
//!   (Circulation's abstract supplement; the copy read names neither authors nor year) — 7,958
//!   European-ancestry participants free of CHD, aged 45–64 at enrolment (1987–89), followed to
//!   2015 (median 24.5 years, 1,872 events: MI including silent, revascularisation, coronary
//!   death); a genome-wide score of 1.7 million variants (the metaGRS's size; the abstract does
//!   not name it), log-linear, its effect piecewise constant over attained age; adjusted for sex,
//!   SBP, total and HDL cholesterol, diabetes, antihypertensive treatment and smoking. HR of the
//!   95th against the 50th percentile: 2.9 (95% CI 2.12–3.95) to age 55; 2.5 (2.14–2.84) at
//!   55–65; 1.87 (1.68–2.07) at 65–80; 1.78 (1.38–2.31) from 80 (Results). Per SD each is
//!   HR^(1/Φ⁻¹(0.95)) = HR^(1/1.6449): 1.91, 1.75, 1.46, 1.42.
//! - Neumann JT et al. Prognostic value of a polygenic risk score for coronary heart disease in
//!   individuals aged 70 years and older. Circ Genom Precis Med 2022;15:e003429,
//!   doi:10.1161/CIRCGEN.121.003429 (preprint medRxiv doi:10.1101/2021.03.23.21254144) — ASPREE,
//!   12,792 genotyped participants of European descent aged 70 and over without cardiovascular
//!   events: metaGRS added to conventional risk factors, HR 1.24 (95% CI 1.08–1.42) for MI or
//!   CHD death over 5 years (Abstract).
//! - Inouye M et al. Genomic risk prediction of coronary artery disease in 480,000 adults:
//!   implications for primary prevention. J Am Coll Cardiol 2018;72:1883–1893.
//!   doi:10.1016/j.jacc.2018.07.079 — metaGRS (1.7 million variants), UK Biobank: HR for CAD 1.71
//!   (95% CI 1.68–1.73) per SD (Abstract). Not adjusted for the equations' risk factors, so no
//!   longer used; kept as the comparison above.
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

/// The years ahead the equations' figures cover, over which an age-banded ratio is averaged.
pub const HORIZON_YEARS: f64 = 10.0;

/// Φ⁻¹(0.95): how many SDs the 95th percentile of a normally distributed score lies above its
/// 50th, the contrast ARIC reports.
pub const SD_95TH_OVER_50TH: f64 = 1.644_853_626_951_472_2;

/// A hazard ratio with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HazardRatio {
    /// The point estimate.
    pub estimate: f64,
    /// The 95% confidence interval's low end.
    pub low: f64,
    /// Its high end.
    pub high: f64,
}

impl HazardRatio {
    fn map(self, f: impl Fn(f64) -> f64) -> HazardRatio {
        HazardRatio { estimate: f(self.estimate), low: f(self.low), high: f(self.high) }
    }
}

/// One age band of a calibration: the hazard ratio its source states for attained ages from the
/// band before's end up to `until_age`.
#[derive(Debug, Clone, PartialEq)]
pub struct AgeBand {
    /// Attained age, years, at which the band ends (exclusive); infinite for the last.
    pub until_age: f64,
    /// The hazard ratio as the source states it.
    pub hazard_ratio: HazardRatio,
    /// The score difference, in SDs, that ratio is for: 1 for a per-SD ratio,
    /// [`SD_95TH_OVER_50TH`] for the 95th against the 50th percentile.
    pub contrast_sd: f64,
}

impl AgeBand {
    /// The ratio per SD: HR^(1 / contrast), exact under the source's log-linear model.
    pub fn per_sd(&self) -> HazardRatio {
        self.hazard_ratio.map(|hr| (hr.ln() / self.contrast_sd).exp())
    }
}

/// A published calibration of one score: its hazard ratio for coronary disease, adjusted for
/// the conventional risk factors, by attained age, and whom it was validated in.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The score's name, as reports spell it (matched case-insensitively).
    pub score: &'static str,
    /// The ancestry of the validation cohort.
    pub ancestry: Ancestry,
    /// Youngest age, years, it is applied at.
    pub min_age: f64,
    /// Age, years, from which it is no longer applied (exclusive).
    pub max_age: f64,
    /// The hazard ratios by attained age, youngest band first.
    pub bands: Vec<AgeBand>,
    /// What the hazard ratio was adjusted for, in words.
    pub adjustment: &'static str,
    /// The outcome it was measured for.
    pub outcome: &'static str,
    /// The published source.
    pub source: &'static str,
}

impl Calibration {
    /// The per-SD hazard ratio over the [`HORIZON_YEARS`] from `age`: the bands' log ratios
    /// averaged, each weighted by the years spent in it (see the module's "Model"); the interval's
    /// ends are averaged the same way.
    pub fn per_sd_from(&self, age: f64) -> HazardRatio {
        let end = age + HORIZON_YEARS;
        let mut from = f64::NEG_INFINITY;
        let mut sum = HazardRatio { estimate: 0.0, low: 0.0, high: 0.0 };
        for band in &self.bands {
            let years = (end.min(band.until_age) - age.max(from)).max(0.0);
            let ln = band.per_sd().map(f64::ln);
            sum.estimate += years * ln.estimate;
            sum.low += years * ln.low;
            sum.high += years * ln.high;
            from = band.until_age;
        }
        sum.map(|s| (s / HORIZON_YEARS).exp())
    }
}

/// The calibrations held, both for the metaGRS in people of European ancestry and both adjusted
/// for conventional risk factors (see the module's references): ARIC's by attained age from 45
/// to 69 (its ten years ahead lie within ARIC's follow-up), ASPREE's from 70.
pub fn calibrations() -> [Calibration; 2] {
    let band = |until_age, estimate, low, high, contrast_sd| AgeBand {
        until_age,
        hazard_ratio: HazardRatio { estimate, low, high },
        contrast_sd,
    };
    let p95 = SD_95TH_OVER_50TH;
    [
        Calibration {
            score: "metaGRS",
            ancestry: Ancestry::European,
            min_age: 45.0,
            max_age: 70.0,
            bands: vec![
                band(55.0, 2.9, 2.12, 3.95, p95),
                band(65.0, 2.5, 2.14, 2.84, p95),
                band(80.0, 1.87, 1.68, 2.07, p95),
                band(f64::INFINITY, 1.78, 1.38, 2.31, p95),
            ],
            adjustment:
                "adjusted for the pooled cohort equations' risk factors (sex, systolic pressure, total and HDL \
                         cholesterol, diabetes, blood-pressure treatment, smoking; age as the time scale), so it adds \
                         what they do not carry; it falls with age (averaged by age band)",
            outcome: "coronary heart disease",
            source: "ARIC, 7,958 adults of European ancestry, 1.7-million-variant score: American Heart Association \
                     Scientific Sessions Abstract 13386",
        },
        Calibration {
            score: "metaGRS",
            ancestry: Ancestry::European,
            min_age: 70.0,
            max_age: f64::INFINITY,
            // The abstract gives no unit; taken as per SD, as the score is standardised.
            bands: vec![band(f64::INFINITY, 1.24, 1.08, 1.42, 1.0)],
            adjustment: "adjusted for conventional risk factors, so it adds what they do not carry",
            outcome: "myocardial infarction or coronary death",
            source: "Neumann JT et al. Circ Genom Precis Med 2022;15:e003429 (metaGRS, ASPREE, age 70 and over)",
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
    /// The per-SD hazard ratio over the ten years ahead, with its interval.
    pub hazard_ratio: HazardRatio,
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
    /// The patient is younger than every validation cohort of the score.
    AgeOutsideValidation {
        /// Age, years.
        age: f64,
        /// The youngest age a calibration applies at, years.
        youngest: f64,
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
            NotApplied::AgeOutsideValidation { age, youngest } => {
                format!("age {age:.0} is outside the ages the score was validated in ({youngest:.0} and over)")
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

/// Applies `score` to an equation's 10-year risk `base_risk` (a fraction in [0, 1]) for a person
/// aged `age`, by the model in the module's doc comment.
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
    let Some(calibration) = validated.iter().find(|c| age >= c.min_age && age < c.max_age) else {
        let youngest = validated.iter().map(|c| c.min_age).fold(f64::INFINITY, f64::min);
        return Verdict::NotApplied(NotApplied::AgeOutsideValidation { age, youngest });
    };
    let hazard_ratio = calibration.per_sd_from(age);
    let base_risk = base_risk.clamp(0.0, 1.0);
    let at = |hr: f64| 1.0 - (1.0 - base_risk).powf(hr.powf(z));
    let (a, b) = (at(hazard_ratio.low), at(hazard_ratio.high));
    Verdict::Applied(Adjusted {
        base_risk,
        z,
        percentile,
        hazard_ratio,
        hazard_multiplier: hazard_ratio.estimate.powf(z),
        risk: at(hazard_ratio.estimate),
        risk_low: a.min(b),
        risk_high: a.max(b),
        calibration: (*calibration).clone(),
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
        // 10-year risk 5.0%, metaGRS z = +1.5, age 50: the ten years ahead are 5 in ARIC's band
        // to 55 and 5 in its 55–65 band. Per SD, ln HR = ln(HR at the 95th percentile) / 1.6448536:
        //   to 55: ln 2.9 = 1.0647107 → 0.6472982;  55–65: ln 2.5 = 0.9162907 → 0.5570652.
        // Averaged: 0.6021817, HR 1.826098 per SD; × 1.5 = 0.9032725, HR^z = 2.467665.
        // risk' = 1 − 0.95^2.467665 = 1 − exp(2.467665 × −0.0512933) = 1 − exp(−0.1265747)
        //       = 1 − 0.8811083 = 11.89%, +6.89 pp.
        // Range: low ends ln 2.12 → 0.4568285, ln 2.14 → 0.4625371; HR^z = 1.992767
        //        → 1 − exp(−0.1022156) = 9.72%;
        //        high ends ln 3.95 → 0.8351598, ln 2.84 → 0.6345878; HR^z = 3.011116
        //        → 1 − exp(−0.1544500) = 14.31%.
        let a = applied(apply(&metagrs(1.5), 0.05, 50.0));
        assert!((a.hazard_ratio.estimate - 1.826098).abs() < 1e-6, "{:?}", a.hazard_ratio);
        assert!((a.hazard_multiplier - 2.467665).abs() < 1e-6, "{}", a.hazard_multiplier);
        assert!((a.risk - 0.1188917).abs() < 1e-6, "{}", a.risk);
        assert!((a.risk_low - 0.0971651).abs() < 1e-6, "{}", a.risk_low);
        assert!((a.risk_high - 0.1431137).abs() < 1e-6, "{}", a.risk_high);
        assert!((a.percentile - 93.319).abs() < 1e-3, "{}", a.percentile);
    }

    #[test]
    fn the_per_sd_ratios_are_the_published_contrasts_rescaled() {
        // ARIC reports the 95th against the 50th percentile: per SD, HR^(1/1.6448536).
        assert!((SD_95TH_OVER_50TH - normal_quantile(0.95)).abs() < 1e-9);
        let [aric, _] = calibrations();
        let per_sd: Vec<f64> = aric.bands.iter().map(|b| b.per_sd().estimate).collect();
        for (got, want) in per_sd.iter().zip([1.9104, 1.7455, 1.4631, 1.4199]) {
            assert!((got - want).abs() < 5e-5, "{per_sd:?}");
        }
        // The 95th percentile itself gets the published ratio back.
        let p95 = score("metaGRS", Some(ScoreValue::Percentile(95.0)), Some(Ancestry::European));
        let ten_years_in_one_band = applied(apply(&p95, 0.1, 66.0));
        assert!((ten_years_in_one_band.hazard_multiplier - 1.87).abs() < 1e-6);
    }

    #[test]
    fn the_ratio_is_averaged_over_the_ten_years_ahead() {
        // Age 60: 5 years at 55–65 (ln 2.5) and 5 at 65–80 (ln 1.87), over 1.6448536:
        // (0.5570652 + 0.3805435) / 2 = 0.4688044 → HR 1.598082 per SD; z = 1 on 10%:
        // 1 − 0.9^1.598082 = 15.50%.
        let a = applied(apply(&metagrs(1.0), 0.10, 60.0));
        assert!((a.hazard_ratio.estimate - 1.598082).abs() < 1e-6, "{:?}", a.hazard_ratio);
        assert!((a.risk - 0.154963).abs() < 1e-6, "{}", a.risk);
        // It falls with age, as the source's does.
        let by_age: Vec<f64> = [45.0, 50.0, 55.0, 60.0, 65.0, 69.0]
            .iter()
            .map(|&age| applied(apply(&metagrs(1.0), 0.1, age)).risk)
            .collect();
        assert!(by_age.windows(2).all(|w| w[1] <= w[0] + 1e-12), "{by_age:?}");
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
        for age in [50.0, 74.0] {
            let mut last = 0.0;
            for z in [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0] {
                let a = applied(apply(&metagrs(z), 0.08, age));
                assert!(a.risk > last, "age {age}, z = {z}: {} after {last}", a.risk);
                assert!(a.risk_low <= a.risk && a.risk <= a.risk_high, "age {age}, z = {z}");
                assert!((0.0..=1.0).contains(&a.risk));
                last = a.risk;
            }
        }
    }

    #[test]
    fn the_older_calibration_is_used_from_seventy() {
        let a = applied(apply(&metagrs(1.0), 0.10, 74.0));
        assert!((a.hazard_multiplier - 1.24).abs() < 1e-12);
        assert!((a.hazard_ratio.low - 1.08).abs() < 1e-12 && (a.hazard_ratio.high - 1.42).abs() < 1e-12);
        assert!(a.calibration.source.contains("ASPREE"));
        // No gap between the two: 69.5 is still ARIC's.
        assert!(applied(apply(&metagrs(1.0), 0.10, 69.5)).calibration.source.contains("ARIC"));
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
        // ARIC enrolled from 45: younger patients are shown the score, not its effect.
        let young = apply(&metagrs(1.0), 0.1, 42.0);
        assert_eq!(young, Verdict::NotApplied(NotApplied::AgeOutsideValidation { age: 42.0, youngest: 45.0 }));
        let Verdict::NotApplied(why) = young else { unreachable!() };
        assert_eq!(why.describe(), "age 42 is outside the ages the score was validated in (45 and over)");
    }

    #[test]
    fn ancestry_reads_codes_and_names() {
        assert_eq!(Ancestry::parse("EUR"), Ancestry::European);
        assert_eq!(Ancestry::parse(" european "), Ancestry::European);
        assert_eq!(Ancestry::parse("SAS"), Ancestry::SouthAsian);
        assert_eq!(Ancestry::parse("Finnish"), Ancestry::Other("Finnish".into()));
    }
}
