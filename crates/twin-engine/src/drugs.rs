//! Drug classes and their published effects on blood pressure, heart rate and LDL cholesterol.
//!
//! One table of class effects, cited once, used by the synthetic demo cohort and by the
//! projections. The named agents (ingredient, RxNorm code, dose ladder, maximum) are in
//! [`crate::formulary`], which builds on these classes.
//!
//! # References
//! 1. Law MR, Wald NJ, Morris JK, Jordan RE. Value of low dose combination treatment with blood
//!    pressure lowering drugs: analysis of 354 randomised trials. BMJ 2003;326:1427.
//!    doi:10.1136/bmj.326.7404.1427 — placebo-adjusted SBP/DBP falls at standard dose,
//!    standardised to a pretreatment BP of 154/97 mmHg; halving the dose keeps about 80% of the
//!    effect; effects of different classes add.
//! 2. Law MR, Morris JK, Wald NJ. Use of blood pressure lowering drugs in the prevention of
//!    cardiovascular disease. BMJ 2009;338:b1665. doi:10.1136/bmj.b1665 — confirms the
//!    per-class effects and additivity across 147 trials.
//! 3. Williams B et al. (PATHWAY-2). Lancet 2015;386:2059-2068. doi:10.1016/S0140-6736(15)00257-3
//!    — spironolactone 25–50 mg lowered home SBP by 8.70 mmHg against placebo.
//! 4. Grundy SM et al. 2018 AHA/ACC Guideline on the Management of Blood Cholesterol.
//!    Circulation 2019;139:e1082. doi:10.1161/CIR.0000000000000625 — statin intensities
//!    (Table 3: high ≥50%, moderate 30–49%, low <30% LDL-C lowering, with the doses in each);
//!    ezetimibe adds 13–20%; PCSK9 monoclonal antibodies about 60%.
//! 5. Sabatine MS et al. (FOURIER). N Engl J Med 2017;376:1713. doi:10.1056/NEJMoa1615664 —
//!    evolocumab lowered LDL-C by 59%.
//! 6. Wong GWK, Boyda HN, Wright JM. Blood pressure lowering efficacy of beta-1 selective beta
//!    blockers for primary hypertension. Cochrane Database Syst Rev 2016;3:CD007451.
//!    doi:10.1002/14651858.CD007451.pub2 — 56 placebo-controlled trials: heart rate −11 bpm.
//!    The nonselective review (Wong GWK, Wright JM, CD007452, 2014) found −12 bpm, larger at
//!    higher doses.
//! 7. Heran BS, Galm BP, Wright JM. Blood pressure lowering efficacy of alpha blockers for
//!    primary hypertension. Cochrane Database Syst Rev 2012;(8):CD004643.
//!    doi:10.1002/14651858.CD004643.pub3 — 10 trials, 1175 participants, baseline 155/101 mmHg:
//!    "the best but unsatisfactory estimate of the trough BP lowering efficacy for alpha
//!    blockers is −8/−5 mmHg" (likely an overestimate; no dose-response could be established).
//! 8. Mah GT, Tejani AM, Musini VM. Methyldopa for primary hypertension. Cochrane Database Syst
//!    Rev 2009;(4):CD003893. doi:10.1002/14651858.CD003893.pub3 — 6 of 12 trials (N = 231),
//!    500–2250 mg daily (750 mg the most studied): about −13/−8 mmHg against placebo; the
//!    authors judge it likely an overestimate (small trials at unclear risk of bias).
//! 9. Ray KK et al. (ORION-10 and ORION-11). Two phase 3 trials of inclisiran in patients with
//!    elevated LDL cholesterol. N Engl J Med 2020;382:1507. doi:10.1056/NEJMoa1912387 —
//!    placebo-corrected LDL-C change at day 510: −52.3% (ORION-10) and −49.9% (ORION-11), on
//!    maximally tolerated statins.
//! 10. Ray KK et al. (CLEAR Harmony). Safety and efficacy of bempedoic acid to reduce LDL
//!     cholesterol. N Engl J Med 2019;380:1022. doi:10.1056/NEJMoa1803917 — added to
//!     maximally tolerated statins, LDL-C −16.5% vs +1.6% at week 12 (difference −18.1 points).
//!     Nissen SE et al. (CLEAR Outcomes). N Engl J Med 2023;388:1353. doi:10.1056/NEJMoa2215024
//!     — in statin-intolerant patients, 21.1 percentage points more than placebo at 6 months.
//! 11. Heart rate with non-dihydropyridine calcium-channel blockers, placebo-controlled, in
//!     hypertension: Kawano Y et al. Blood Press Monit 2000;5(3) (PMID 10915232,
//!     doi:10.1097/00126097-200006000-00007) — diltiazem retard 100–200 mg, 24-h heart rate
//!     −5.0 bpm; Nikkilä MT et al. Am J Cardiol 1989 (PMID 2711992,
//!     doi:10.1016/0002-9149(89)90183-5) — diltiazem SR 240–360 mg, supine heart rate 65 vs 69
//!     bpm on placebo (−4). Not every trial found a fall (Massie BM et al. Clin Cardiol
//!     1992;15:365: diltiazem CD −1.3 bpm, not significant); verapamil trials report a small or
//!     no change at rest.
//! 12. McMurray JJV et al. (PARADIGM-HF). Angiotensin–neprilysin inhibition versus enalapril in
//!     heart failure. N Engl J Med 2014;371:993-1004. doi:10.1056/NEJMoa1409077 — SBP 3.2 mmHg
//!     lower on sacubitril/valsartan than on enalapril at 8 months.
//! 13. Swedberg K et al. (SHIFT). Ivabradine and outcomes in chronic heart failure. Lancet
//!     2010;376:875-885. doi:10.1016/S0140-6736(10)61198-1 — heart rate 10.9 bpm lower than
//!     on placebo at 28 days (baseline 80 bpm, sinus rhythm).

/// Pretreatment SBP at which Law 2003 [1] standardised its effects, mmHg.
pub const LAW_PRETREATMENT_SBP: f64 = 154.0;

/// Relative change of a BP drug's effect per mmHg of pretreatment SBP. Law's trials found larger
/// falls from higher pretreatment pressures, about 1 mmHg more per 10 mmHg higher at standard
/// dose (Law 2003 [1]: 1/(9.1 × 10) ≈ 0.011 per mmHg); the authors' worked figure agrees: three
/// drugs at half dose, 20 mmHg from 154 mmHg in [1], lower SBP "from 110 to 100 mm Hg" (Law,
/// Morris, Wald, authors' reply, BMJ 2009;338:b2602), half the effect 44 mmHg lower, 0.5/44 =
/// 0.0114 per mmHg, the value used.
pub const PRETREATMENT_SLOPE_PER_MMHG: f64 = 0.5 / 44.0;

/// Share of the standardised (154 mmHg) BP-drug effect at a pretreatment SBP: linear in the
/// pretreatment pressure ([`PRETREATMENT_SLOPE_PER_MMHG`]), held within 0.25–1.6 (pretreatment
/// 88–207 mmHg; the trials' range, no extrapolation beyond it). Applied to SBP and DBP alike.
pub fn bp_effect_scale(pretreatment_sbp: f64) -> f64 {
    let (low, high) = BP_EFFECT_SCALE_BOUNDS;
    (1.0 + PRETREATMENT_SLOPE_PER_MMHG * (pretreatment_sbp - LAW_PRETREATMENT_SBP)).clamp(low, high)
}

/// Bounds of [`bp_effect_scale`]: pretreatment 88–207 mmHg, the trials' range.
pub const BP_EFFECT_SCALE_BOUNDS: (f64, f64) = (0.25, 1.6);

/// A therapeutic class as the twin models it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DrugClass {
    /// ACE inhibitor.
    AceInhibitor,
    /// Angiotensin-receptor blocker.
    Arb,
    /// Dihydropyridine calcium-channel blocker.
    CalciumChannelBlocker,
    /// Non-dihydropyridine calcium-channel blocker (verapamil, diltiazem).
    NonDihydropyridineCcb,
    /// Thiazide or thiazide-like diuretic.
    Thiazide,
    /// Beta-blocker.
    BetaBlocker,
    /// Mineralocorticoid-receptor antagonist.
    Mra,
    /// Statin.
    Statin,
    /// Ezetimibe.
    Ezetimibe,
    /// PCSK9 monoclonal antibody.
    Pcsk9Inhibitor,
    /// Antiplatelet (aspirin, P2Y12 inhibitor).
    Antiplatelet,
    /// Oral anticoagulant.
    Anticoagulant,
    /// SGLT2 inhibitor.
    Sglt2Inhibitor,
    /// Loop diuretic.
    LoopDiuretic,
    /// Metformin.
    Metformin,
    /// Alpha-1 blocker (doxazosin).
    AlphaBlocker,
    /// Centrally acting antihypertensive (methyldopa).
    CentrallyActing,
    /// Small interfering RNA against PCSK9 (inclisiran).
    Inclisiran,
    /// ATP citrate lyase inhibitor (bempedoic acid).
    BempedoicAcid,
    /// Angiotensin-receptor–neprilysin inhibitor (sacubitril/valsartan).
    Arni,
    /// If-channel inhibitor (ivabradine): slows the sinus node only.
    Ivabradine,
    /// Class III antiarrhythmic (amiodarone, dronedarone).
    Antiarrhythmic,
}

impl DrugClass {
    /// Every class, in declaration order (the safety rules that concern any drug, and tests that
    /// must cover every class, read this one list).
    pub const ALL: [DrugClass; 22] = [
        DrugClass::AceInhibitor,
        DrugClass::Arb,
        DrugClass::CalciumChannelBlocker,
        DrugClass::NonDihydropyridineCcb,
        DrugClass::Thiazide,
        DrugClass::BetaBlocker,
        DrugClass::Mra,
        DrugClass::Statin,
        DrugClass::Ezetimibe,
        DrugClass::Pcsk9Inhibitor,
        DrugClass::Antiplatelet,
        DrugClass::Anticoagulant,
        DrugClass::Sglt2Inhibitor,
        DrugClass::LoopDiuretic,
        DrugClass::Metformin,
        DrugClass::AlphaBlocker,
        DrugClass::CentrallyActing,
        DrugClass::Inclisiran,
        DrugClass::BempedoicAcid,
        DrugClass::Arni,
        DrugClass::Ivabradine,
        DrugClass::Antiarrhythmic,
    ];

    /// The class inside a sentence: acronyms keep their capitals ("ACE inhibitor", "ARB",
    /// "MRA", "PCSK9 inhibitor"), the rest are lower case ("calcium-channel blocker").
    pub fn in_words(self) -> String {
        let l = self.label();
        let acronym = l
            .split_whitespace()
            .next()
            .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
        if acronym {
            l.to_string()
        } else {
            l.to_lowercase()
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        use DrugClass as D;
        match self {
            D::AceInhibitor => "ACE inhibitor",
            D::Arb => "ARB",
            D::CalciumChannelBlocker => "Calcium-channel blocker",
            D::NonDihydropyridineCcb => "Non-dihydropyridine calcium-channel blocker",
            D::Thiazide => "Thiazide diuretic",
            D::BetaBlocker => "Beta-blocker",
            D::Mra => "MRA",
            D::Statin => "Statin",
            D::Ezetimibe => "Ezetimibe",
            D::Pcsk9Inhibitor => "PCSK9 inhibitor",
            D::Antiplatelet => "Antiplatelet",
            D::Anticoagulant => "Anticoagulant",
            D::Sglt2Inhibitor => "SGLT2 inhibitor",
            D::LoopDiuretic => "Loop diuretic",
            D::Metformin => "Metformin",
            D::AlphaBlocker => "Alpha-blocker",
            D::CentrallyActing => "Centrally acting antihypertensive",
            D::Inclisiran => "PCSK9 siRNA",
            D::BempedoicAcid => "Bempedoic acid",
            D::Arni => "ARNI",
            D::Ivabradine => "Ivabradine",
            D::Antiarrhythmic => "Antiarrhythmic",
        }
    }

    /// Whether the class lowers blood pressure in the twin.
    pub fn lowers_bp(self) -> bool {
        self.bp_effect_standard_dose().is_some()
    }

    /// Placebo-adjusted (SBP, DBP) fall in mmHg at standard dose, at a pretreatment BP of
    /// 154/97 mmHg, from Law 2003 [1] (Table 2) for the five main classes and PATHWAY-2 [3]
    /// for MRA. PATHWAY-2 reports home SBP only; the MRA DBP fall is taken as half the SBP
    /// fall, the ratio Law 2003 found across classes (an assumption, stated here).
    ///
    /// Law 2003 and 2009 pooled only the five main classes: there is no Law figure for
    /// alpha-blockers or centrally acting drugs. Their figures are the Cochrane reviews':
    /// alpha-blockers −8/−5 mmHg from a baseline of 155/101 mmHg [7], taken as standardised
    /// to Law's 154/97 (the baselines differ by 1 mmHg systolic); methyldopa −13/−8 mmHg [8]
    /// (baseline not pooled; taken as at 154 mmHg, an assumption). Both reviews call their
    /// estimate likely an overestimate.
    pub fn bp_effect_standard_dose(self) -> Option<(f64, f64)> {
        use DrugClass as D;
        match self {
            D::Thiazide => Some((7.4, 3.7)),
            D::BetaBlocker => Some((9.2, 6.7)),
            D::AceInhibitor => Some((8.5, 4.7)),
            D::Arb => Some((10.3, 5.7)),
            // Law 2003's calcium-channel blocker trials pooled both kinds; one effect for both.
            D::CalciumChannelBlocker | D::NonDihydropyridineCcb => Some((8.8, 5.9)),
            D::Mra => Some((8.7, 4.35)),
            D::AlphaBlocker => Some((8.0, 5.0)),
            D::CentrallyActing => Some((13.0, 8.0)),
            // Sacubitril/valsartan lowered SBP 3.2 mmHg more than enalapril 10 mg twice daily at
            // 8 months in PARADIGM-HF [12]; added to the ACE inhibitor's standard-dose fall, DBP
            // by the ACE inhibitor's DBP/SBP ratio (4.7/8.5; an assumption, stated here).
            D::Arni => Some((8.5 + ARNI_EXTRA_SBP_FALL, (8.5 + ARNI_EXTRA_SBP_FALL) * 4.7 / 8.5)),
            _ => None,
        }
    }
}

impl DrugClass {
    /// Placebo-adjusted fall in resting heart rate, bpm, at standard dose: beta-blockers
    /// 11 bpm (beta-1 selective, Cochrane [6]; the agents we map are mostly beta-1 selective);
    /// non-dihydropyridine calcium-channel blockers 4.5 bpm, the mean of the two
    /// placebo-controlled falls in [11] (−5.0 and −4; a third trial found −1.3, not
    /// significant). Other classes in the twin leave resting heart rate unchanged at the
    /// precision we model (dihydropyridines, alpha-blockers and methyldopa included).
    pub fn heart_rate_effect_standard_dose(self) -> Option<f64> {
        match self {
            DrugClass::BetaBlocker => Some(11.0),
            DrugClass::NonDihydropyridineCcb => Some(4.5),
            DrugClass::Ivabradine => Some(IVABRADINE_HEART_RATE_FALL),
            _ => None,
        }
    }
}

/// Extra SBP fall of sacubitril/valsartan over enalapril, mmHg: 3.2 at 8 months in PARADIGM-HF
/// (McMurray JJV et al. N Engl J Med 2014;371:993-1004 [12]).
pub const ARNI_EXTRA_SBP_FALL: f64 = 3.2;

/// Placebo-corrected fall in resting heart rate on ivabradine, bpm: 10.9 at 28 days in SHIFT
/// (Swedberg K et al. Lancet 2010;376:875-885 [13]), in sinus rhythm at a baseline of 80 bpm.
pub const IVABRADINE_HEART_RATE_FALL: f64 = 10.9;

/// Dose relative to the standard dose of its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DoseLevel {
    /// Half the standard dose.
    Half,
    /// The standard dose.
    Standard,
    /// Twice the standard dose.
    Double,
}

impl DoseLevel {
    /// Classifies a daily dose against the agent's standard daily dose.
    pub fn from_ratio(ratio: f64) -> DoseLevel {
        if ratio < 0.75 {
            DoseLevel::Half
        } else if ratio < 1.5 {
            DoseLevel::Standard
        } else {
            DoseLevel::Double
        }
    }

    /// Fraction of the standard-dose BP effect. Half dose keeps 80% (Law 2003 [1]); for
    /// double dose we extend the same shallow log-dose slope (+20%), an extrapolation that
    /// Law 2003 supports only qualitatively ("doubling the dose adds little").
    pub fn bp_effect_fraction(self) -> f64 {
        match self {
            DoseLevel::Half => 0.8,
            DoseLevel::Standard => 1.0,
            DoseLevel::Double => 1.2,
        }
    }

    /// Fraction of the standard-dose heart-rate effect. Cochrane [6] reports a dose-related
    /// heart-rate fall but no slope we can use per class, so the BP fractions of Law 2003 [1]
    /// stand in (an assumption, stated here).
    pub fn heart_rate_effect_fraction(self) -> f64 {
        self.bp_effect_fraction()
    }

    /// A label.
    pub fn label(self) -> &'static str {
        match self {
            DoseLevel::Half => "half",
            DoseLevel::Standard => "standard",
            DoseLevel::Double => "double",
        }
    }
}

/// Statin intensity, Grundy 2018 [4] Table 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatinIntensity {
    /// < 30% LDL-C lowering.
    Low,
    /// 30–49% LDL-C lowering.
    Moderate,
    /// ≥ 50% LDL-C lowering.
    High,
}

impl StatinIntensity {
    /// Expected fractional LDL-C fall at full adherence: the middle of each band in
    /// Grundy 2018 [4] Table 3 (low 20%, moderate 40%, high 50% as the band's floor,
    /// since the table gives "≥50%" and trials of atorvastatin 80 mg report about 50%).
    pub fn ldl_fraction(self) -> f64 {
        match self {
            StatinIntensity::Low => 0.20,
            StatinIntensity::Moderate => 0.40,
            StatinIntensity::High => 0.50,
        }
    }
}

/// Fractional LDL-C fall from ezetimibe added to other therapy: the top of the 13–20% range
/// in Grundy 2018 [4].
pub const EZETIMIBE_LDL_FRACTION: f64 = 0.20;
/// Fractional LDL-C fall from a PCSK9 antibody: FOURIER [5], 59%.
pub const PCSK9_LDL_FRACTION: f64 = 0.59;
/// Fractional LDL-C fall from inclisiran: ORION-10 and ORION-11 [9], the mean of the two
/// placebo-corrected day-510 falls ((52.3 + 49.9) / 2 = 51.1%).
pub const INCLISIRAN_LDL_FRACTION: f64 = 0.511;
/// Fractional LDL-C fall from bempedoic acid: CLEAR Harmony [10], 18.1 percentage points more
/// than placebo on a statin. Without a statin the fall is larger (CLEAR Outcomes, 21.1 points);
/// the twin uses the smaller add-on figure for both, the usual setting.
pub const BEMPEDOIC_ACID_LDL_FRACTION: f64 = 0.181;

/// Statin intensity of an agent at a daily dose, Grundy 2018 [4] Table 3.
/// `None` when the agent is not a statin we tabulate.
pub fn statin_intensity(agent: &str, daily_mg: f64) -> Option<StatinIntensity> {
    use StatinIntensity::{High, Low, Moderate};
    let (moderate_from, high_from) = match agent {
        "atorvastatin" => (10.0, 40.0),
        "rosuvastatin" => (5.0, 20.0),
        "simvastatin" => (20.0, f64::INFINITY),
        "pravastatin" => (40.0, f64::INFINITY),
        _ => return None,
    };
    Some(if daily_mg >= high_from {
        High
    } else if daily_mg >= moderate_from {
        Moderate
    } else {
        Low
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statin_intensity_follows_the_guideline_table() {
        assert_eq!(statin_intensity("atorvastatin", 80.0), Some(StatinIntensity::High));
        assert_eq!(statin_intensity("atorvastatin", 20.0), Some(StatinIntensity::Moderate));
        assert_eq!(statin_intensity("simvastatin", 10.0), Some(StatinIntensity::Low));
        assert_eq!(statin_intensity("rosuvastatin", 20.0), Some(StatinIntensity::High));
        assert_eq!(statin_intensity("lisinopril", 20.0), None);
    }

    #[test]
    fn rate_slowing_classes_slow_the_heart_and_the_others_do_not() {
        assert_eq!(DrugClass::BetaBlocker.heart_rate_effect_standard_dose(), Some(11.0));
        assert!(DrugClass::NonDihydropyridineCcb
            .heart_rate_effect_standard_dose()
            .is_some_and(|b| b > 0.0 && b < 11.0));
        assert_eq!(DrugClass::CalciumChannelBlocker.heart_rate_effect_standard_dose(), None);
    }

    #[test]
    fn alpha_blockers_and_methyldopa_lower_bp_and_the_new_lipid_classes_do_not() {
        for c in [DrugClass::AlphaBlocker, DrugClass::CentrallyActing] {
            assert!(c.lowers_bp(), "{c:?}");
        }
        for c in [DrugClass::Inclisiran, DrugClass::BempedoicAcid] {
            assert!(!c.lowers_bp(), "{c:?}");
        }
    }
}
