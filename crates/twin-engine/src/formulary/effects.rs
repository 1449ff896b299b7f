//! The pharmacology the safety rules need: which classes slow the heart and AV conduction, and
//! the expected change in potassium, sodium, eGFR and heart rate when a plan starts, stops or
//! changes a drug, so a step shows them beside its BP and LDL-C.
//!
//! Each figure is a mean change in a trial population at the class's standard dose; other
//! doses scale by the dose level's fraction of the standard dose's BP effect (Law 2003: half
//! dose 0.8, double 1.2; [`DoseLevel::bp_effect_fraction`]), an assumption: no pooled
//! dose-response exists for these laboratory effects. Changes of different classes add. The
//! twin's individual response is not applied: these are what to expect and check, not a
//! projection of the patient's own value.
//!
//! # References
//! 1. Weir MR, Rolfe M. Potassium homeostasis and renin-angiotensin-aldosterone system
//!    inhibitors. Clin J Am Soc Nephrol 2010;5:531 (PMID 20150448) — 39 trials of
//!    ACE inhibitors, ARBs, MRAs and renin inhibitors: "increases in serum potassium levels
//!    are small (approximately 0.1 to 0.3 mmol/L)".
//! 2. Vardeny O et al. (RALES). Incidence, predictors, and outcomes related to hypo- and
//!    hyperkalemia in patients with severe heart failure treated with a mineralocorticoid
//!    receptor antagonist. Circ Heart Fail 2014;7:573 — spironolactone 25 mg: potassium 4.54
//!    vs 4.28 mmol/L on placebo after one month (+0.26).
//! 3. Mukete BN, Rosendorff C. Effects of low-dose thiazide diuretics on fasting plasma glucose
//!    and serum potassium — a meta-analysis. J Am Soc Hypertens 2013;7:454 — 10 RCTs, 17,636
//!    participants: potassium −0.22 mmol/L on low-dose thiazides vs +0.05 on comparators
//!    (difference −0.27).
//! 4. Kramers BJ et al. Effects of hydrochlorothiazide and metformin on aquaresis … in ADPKD: a
//!    randomized crossover trial. Clin J Am Soc Nephrol 2022;17:507. doi:10.2215/CJN.11260821 —
//!    hydrochlorothiazide 25 mg for two weeks, plasma sodium −1.7 mmol/L (95% CI −2.9 to −0.4)
//!    against placebo. A small trial in tolvaptan-treated patients; the only placebo-controlled
//!    mean change found. Friedman E et al. Ann Intern Med 1989;110:24: in elderly controls
//!    sodium fell 1.8 mmol/L within 8 hours of hydrochlorothiazide 50 mg (with amiloride).
//! 5. Bakris GL, Weir MR. Angiotensin-converting enzyme inhibitor-associated elevations in
//!    serum creatinine: is this a cause for concern? Arch Intern Med 2000;160:685 — 12 trials:
//!    an acute rise in creatinine of up to 30% within the first two weeks to two months,
//!    then stable, goes with long-term renal protection; stop only above 30% (or with
//!    potassium ≥ 5.6). Holtkamp FA et al. (RENAAL) Kidney Int 2011;80:282: losartan's
//!    acute eGFR fall in the first 3 months exceeded placebo's, with wide variation.
//! 6. Heerspink HJL et al. (DAPA-CKD) Effect of dapagliflozin on the rate of decline in kidney
//!    function … a prespecified analysis. Lancet Diabetes Endocrinol 2021;9:743.
//!    doi:10.1016/S2213-8587(21)00242-4 — placebo-corrected acute eGFR fall from baseline to
//!    week 2: 2.61 mL/min/1.73 m² with type 2 diabetes (67.5% of participants), 2.01 without;
//!    mean baseline eGFR 43.1 (Heerspink HJL et al. N Engl J Med 2020;383:1436).
//! 7. AV conduction: the labels' contraindications in second- or third-degree AV block without
//!    a pacemaker — verapamil (Calan, Calan SR), diltiazem (Cardizem), and the beta-blockers
//!    (bisoprolol, metoprolol, carvedilol, atenolol, nebivolol, labetalol SmPCs/labels); the
//!    2018 ESC/ESH and 2024 ESC hypertension guidelines contraindicate verapamil/diltiazem in
//!    AV block and advise against combining them with a beta-blocker.

use crate::drugs::{DoseLevel, DrugClass};

/// Whether a class slows conduction through the AV node (so it is contraindicated in second-
/// or third-degree AV block without a pacemaker, and two such classes together risk
/// bradycardia and block): beta-blockers and non-dihydropyridine calcium-channel blockers [7].
/// Dihydropyridines (amlodipine, nifedipine) do not.
pub fn slows_av_conduction(class: DrugClass) -> bool {
    matches!(class, DrugClass::BetaBlocker | DrugClass::NonDihydropyridineCcb)
}

/// Whether a class lowers resting heart rate in the twin
/// ([`DrugClass::heart_rate_effect_standard_dose`]).
pub fn lowers_heart_rate(class: DrugClass) -> bool {
    class.heart_rate_effect_standard_dose().is_some()
}

/// A class's expected laboratory changes at standard dose, with their sources.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabEffect {
    /// Change in serum potassium, mmol/L.
    pub potassium_mmol_l: f64,
    /// Change in serum sodium, mmol/L.
    pub sodium_mmol_l: f64,
    /// Early relative change in eGFR (−0.05 = a 5% fall), reversible on stopping.
    pub egfr_relative: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

/// Early eGFR fall on starting an ACE inhibitor or ARB, relative: 5%. No pooled mean change
/// was found; Bakris & Weir [5] accept a rise in creatinine up to 30% (an eGFR fall of about
/// 23%) and most patients fall far less, so 5% is a typical fall inside that range (an
/// assumption, stated here). The safety rules read the 30% limit, not this figure.
pub const RAS_EGFR_DIP: f64 = -0.05;

/// The expected laboratory changes of a class at standard dose; `None` for classes with none
/// the twin shows (their changes are small, or not found in a source here).
///
/// - ACE inhibitor, ARB: potassium +0.2 mmol/L, the middle of Weir & Rolfe's 0.1–0.3 [1];
///   eGFR −5% [`RAS_EGFR_DIP`] [5].
/// - MRA: potassium +0.26 mmol/L (RALES, [2]). Its early eGFR fall is not modelled (no figure
///   checked here).
/// - Thiazide: potassium −0.27 mmol/L [3]; sodium −1.7 mmol/L [4].
/// - SGLT2 inhibitor: eGFR −5.6%, DAPA-CKD's weighted acute fall (0.675 × 2.61 + 0.325 × 2.01
///   = 2.42 mL/min) over its baseline of 43.1 [6].
pub fn lab_effect(class: DrugClass) -> Option<LabEffect> {
    use DrugClass as D;
    Some(match class {
        D::AceInhibitor | D::Arb => LabEffect {
            potassium_mmol_l: 0.2,
            sodium_mmol_l: 0.0,
            egfr_relative: RAS_EGFR_DIP,
            source: "Weir MR, Rolfe M. Clin J Am Soc Nephrol 2010;5:531 (potassium); \
                     Bakris GL, Weir MR. Arch Intern Med 2000;160:685 (eGFR)",
        },
        D::Mra => LabEffect {
            potassium_mmol_l: 0.26,
            sodium_mmol_l: 0.0,
            egfr_relative: 0.0,
            source: "Vardeny O et al. (RALES) Circ Heart Fail 2014;7:573",
        },
        D::Thiazide => LabEffect {
            potassium_mmol_l: -0.27,
            sodium_mmol_l: -1.7,
            egfr_relative: 0.0,
            source: "Mukete BN, Rosendorff C. J Am Soc Hypertens 2013;7:454 (potassium); \
                     Kramers BJ et al. Clin J Am Soc Nephrol 2022;17:507 (sodium)",
        },
        D::Sglt2Inhibitor => LabEffect {
            potassium_mmol_l: 0.0,
            sodium_mmol_l: 0.0,
            egfr_relative: -(0.675 * 2.61 + 0.325 * 2.01) / 43.1,
            source: "Heerspink HJL et al. (DAPA-CKD) Lancet Diabetes Endocrinol 2021;9:743",
        },
        _ => return None,
    })
}

/// Expected changes from a step of a plan, summed over its drug changes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LabChanges {
    /// Serum potassium, mmol/L.
    pub potassium_mmol_l: f64,
    /// Serum sodium, mmol/L.
    pub sodium_mmol_l: f64,
    /// eGFR, relative (−0.05 = a 5% fall).
    pub egfr_relative: f64,
    /// Resting heart rate, bpm (negative = slower).
    pub heart_rate_bpm: f64,
}

/// The expected laboratory and heart-rate changes of a set of drug changes, each a class with
/// its dose level before and after (`None` = not taken): a start is `(class, None, Some(d))`,
/// a stop `(class, Some(d), None)`, a dose change `(class, Some(a), Some(b))`. Each class's
/// standard-dose effect ([`lab_effect`], and [`DrugClass::heart_rate_effect_standard_dose`]
/// with [`DoseLevel::heart_rate_effect_fraction`] for heart rate) scales with the dose level;
/// the changes add.
pub fn expected_lab_changes(changes: &[(DrugClass, Option<DoseLevel>, Option<DoseLevel>)]) -> LabChanges {
    let mut out = LabChanges::default();
    for &(class, before, after) in changes {
        let level = |d: Option<DoseLevel>| d.map_or(0.0, DoseLevel::bp_effect_fraction);
        let k = level(after) - level(before);
        if let Some(e) = lab_effect(class) {
            out.potassium_mmol_l += e.potassium_mmol_l * k;
            out.sodium_mmol_l += e.sodium_mmol_l * k;
            out.egfr_relative += e.egfr_relative * k;
        }
        if let Some(bpm) = class.heart_rate_effect_standard_dose() {
            let hr = |d: Option<DoseLevel>| d.map_or(0.0, DoseLevel::heart_rate_effect_fraction);
            out.heart_rate_bpm -= bpm * (hr(after) - hr(before));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use DoseLevel::{Double, Half, Standard};
    use DrugClass as D;

    const START: (Option<DoseLevel>, Option<DoseLevel>) = (None, Some(Standard));

    fn start(class: DrugClass) -> LabChanges {
        expected_lab_changes(&[(class, START.0, START.1)])
    }

    #[test]
    fn the_cited_signs_hold() {
        for c in [D::AceInhibitor, D::Arb, D::Mra] {
            assert!(start(c).potassium_mmol_l > 0.0, "{c:?} raises potassium");
        }
        for c in [D::AceInhibitor, D::Arb, D::Sglt2Inhibitor] {
            assert!(start(c).egfr_relative < 0.0, "{c:?} dips eGFR");
        }
        let thiazide = start(D::Thiazide);
        assert!(thiazide.potassium_mmol_l < 0.0 && thiazide.sodium_mmol_l < 0.0);
        for c in [D::BetaBlocker, D::NonDihydropyridineCcb] {
            assert!(start(c).heart_rate_bpm < 0.0, "{c:?} slows the heart");
        }
        assert_eq!(start(D::CalciumChannelBlocker), LabChanges::default());
        assert_eq!(start(D::Statin), LabChanges::default());
    }

    #[test]
    fn the_sizes_are_the_cited_ones() {
        assert!((start(D::Mra).potassium_mmol_l - 0.26).abs() < 1e-12);
        assert!((start(D::Thiazide).potassium_mmol_l + 0.27).abs() < 1e-12);
        assert!((start(D::BetaBlocker).heart_rate_bpm + 11.0).abs() < 1e-12);
        let sglt2 = start(D::Sglt2Inhibitor).egfr_relative;
        assert!((-0.06..=-0.05).contains(&sglt2), "{sglt2}");
    }

    #[test]
    fn stopping_undoes_starting_and_doses_scale() {
        let stop = expected_lab_changes(&[(D::Mra, Some(Standard), None)]);
        assert!((stop.potassium_mmol_l + start(D::Mra).potassium_mmol_l).abs() < 1e-12);
        let raise = expected_lab_changes(&[(D::AceInhibitor, Some(Half), Some(Double))]);
        assert!((raise.potassium_mmol_l - 0.2 * (1.2 - 0.8)).abs() < 1e-12);
        let unchanged = expected_lab_changes(&[(D::BetaBlocker, Some(Standard), Some(Standard))]);
        assert_eq!(unchanged, LabChanges::default());
    }

    #[test]
    fn changes_add_across_classes() {
        let both = expected_lab_changes(&[(D::AceInhibitor, None, Some(Standard)), (D::Mra, None, Some(Standard))]);
        assert!((both.potassium_mmol_l - (0.2 + 0.26)).abs() < 1e-12);
        let offset = expected_lab_changes(&[(D::Arb, None, Some(Standard)), (D::Thiazide, None, Some(Standard))]);
        assert!(offset.potassium_mmol_l < 0.0 && offset.potassium_mmol_l > -0.27);
    }

    #[test]
    fn only_beta_blockers_and_verapamil_diltiazem_slow_av_conduction() {
        assert!(slows_av_conduction(D::BetaBlocker));
        assert!(slows_av_conduction(D::NonDihydropyridineCcb));
        assert!(!slows_av_conduction(D::CalciumChannelBlocker));
        assert!(!slows_av_conduction(D::AlphaBlocker));
        assert!(lowers_heart_rate(D::NonDihydropyridineCcb));
    }
}
