//! Drug classes, agents and their published effects on blood pressure and LDL cholesterol.
//!
//! One table, cited once, used by the synthetic demo cohort, by ingest (agent → class) and
//! by the projections.
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
}

impl DrugClass {
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
            _ => None,
        }
    }
}

impl DrugClass {
    /// Placebo-adjusted fall in resting heart rate, bpm, at standard dose: beta-blockers only,
    /// 11 bpm (beta-1 selective, Cochrane [6]; the agents we map are mostly beta-1 selective).
    /// Other classes in the twin leave resting heart rate unchanged at the precision we model.
    pub fn heart_rate_effect_standard_dose(self) -> Option<f64> {
        match self {
            DrugClass::BetaBlocker => Some(11.0),
            _ => None,
        }
    }
}

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

/// A known agent: ingredient, RxNorm ingredient code, class, standard daily dose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agent {
    /// Ingredient name, lower case.
    pub name: &'static str,
    /// RxNorm concept id of the ingredient (RXCUI, term type IN).
    pub rxcui: &'static str,
    /// Class.
    pub class: DrugClass,
    /// Standard daily dose in mg (Law 2003 [1] for BP drugs; usual maintenance dose otherwise).
    pub standard_daily_mg: f64,
}

/// The agents we map. Ingredient RXCUIs from the NLM RxNorm browser.
pub const AGENTS: &[Agent] = &[
    Agent { name: "lisinopril", rxcui: "29046", class: DrugClass::AceInhibitor, standard_daily_mg: 10.0 },
    Agent { name: "ramipril", rxcui: "35296", class: DrugClass::AceInhibitor, standard_daily_mg: 5.0 },
    Agent { name: "enalapril", rxcui: "3827", class: DrugClass::AceInhibitor, standard_daily_mg: 10.0 },
    Agent { name: "losartan", rxcui: "52175", class: DrugClass::Arb, standard_daily_mg: 50.0 },
    Agent { name: "valsartan", rxcui: "69749", class: DrugClass::Arb, standard_daily_mg: 80.0 },
    Agent { name: "candesartan", rxcui: "214354", class: DrugClass::Arb, standard_daily_mg: 8.0 },
    Agent { name: "amlodipine", rxcui: "17767", class: DrugClass::CalciumChannelBlocker, standard_daily_mg: 5.0 },
    Agent { name: "nifedipine", rxcui: "7417", class: DrugClass::CalciumChannelBlocker, standard_daily_mg: 30.0 },
    Agent { name: "verapamil", rxcui: "11170", class: DrugClass::NonDihydropyridineCcb, standard_daily_mg: 240.0 },
    Agent { name: "diltiazem", rxcui: "3443", class: DrugClass::NonDihydropyridineCcb, standard_daily_mg: 180.0 },
    Agent { name: "hydrochlorothiazide", rxcui: "5487", class: DrugClass::Thiazide, standard_daily_mg: 25.0 },
    Agent { name: "chlorthalidone", rxcui: "2409", class: DrugClass::Thiazide, standard_daily_mg: 25.0 },
    Agent { name: "indapamide", rxcui: "5764", class: DrugClass::Thiazide, standard_daily_mg: 2.5 },
    Agent { name: "metoprolol", rxcui: "6918", class: DrugClass::BetaBlocker, standard_daily_mg: 100.0 },
    Agent { name: "bisoprolol", rxcui: "19484", class: DrugClass::BetaBlocker, standard_daily_mg: 5.0 },
    Agent { name: "carvedilol", rxcui: "20352", class: DrugClass::BetaBlocker, standard_daily_mg: 25.0 },
    Agent { name: "atenolol", rxcui: "1202", class: DrugClass::BetaBlocker, standard_daily_mg: 50.0 },
    Agent { name: "spironolactone", rxcui: "9997", class: DrugClass::Mra, standard_daily_mg: 25.0 },
    Agent { name: "eplerenone", rxcui: "298869", class: DrugClass::Mra, standard_daily_mg: 50.0 },
    Agent { name: "atorvastatin", rxcui: "83367", class: DrugClass::Statin, standard_daily_mg: 20.0 },
    Agent { name: "rosuvastatin", rxcui: "301542", class: DrugClass::Statin, standard_daily_mg: 10.0 },
    Agent { name: "simvastatin", rxcui: "36567", class: DrugClass::Statin, standard_daily_mg: 40.0 },
    Agent { name: "pravastatin", rxcui: "42463", class: DrugClass::Statin, standard_daily_mg: 40.0 },
    Agent { name: "ezetimibe", rxcui: "341248", class: DrugClass::Ezetimibe, standard_daily_mg: 10.0 },
    Agent { name: "evolocumab", rxcui: "1665684", class: DrugClass::Pcsk9Inhibitor, standard_daily_mg: 10.0 },
    Agent { name: "aspirin", rxcui: "1191", class: DrugClass::Antiplatelet, standard_daily_mg: 81.0 },
    Agent { name: "clopidogrel", rxcui: "32968", class: DrugClass::Antiplatelet, standard_daily_mg: 75.0 },
    Agent { name: "ticagrelor", rxcui: "1116632", class: DrugClass::Antiplatelet, standard_daily_mg: 180.0 },
    Agent { name: "apixaban", rxcui: "1364430", class: DrugClass::Anticoagulant, standard_daily_mg: 10.0 },
    Agent { name: "dapagliflozin", rxcui: "1488564", class: DrugClass::Sglt2Inhibitor, standard_daily_mg: 10.0 },
    Agent { name: "empagliflozin", rxcui: "1545653", class: DrugClass::Sglt2Inhibitor, standard_daily_mg: 10.0 },
    Agent { name: "furosemide", rxcui: "4603", class: DrugClass::LoopDiuretic, standard_daily_mg: 40.0 },
    Agent { name: "metformin", rxcui: "6809", class: DrugClass::Metformin, standard_daily_mg: 2000.0 },
];

/// The class a free-text allergy or intolerance names, by agent ("lisinopril") or by class
/// ("ACE inhibitors", "statins", "sulfonamide diuretics" are not read: only the classes we model).
pub fn class_in_text(text: &str) -> Option<DrugClass> {
    if let Some(agent) = agent_in_text(text) {
        return Some(agent.class);
    }
    let t = text.to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    Some(if has(&["ace inhibitor", "angiotensin-converting", "angiotensin converting", "-pril"]) {
        DrugClass::AceInhibitor
    } else if has(&["angiotensin receptor", "angiotensin ii receptor", "sartan"]) {
        DrugClass::Arb
    } else if has(&["statin", "hmg-coa", "hmg coa"]) {
        DrugClass::Statin
    } else if has(&["beta blocker", "beta-blocker", "beta adrenergic"]) {
        DrugClass::BetaBlocker
    } else if has(&["thiazide"]) {
        DrugClass::Thiazide
    } else if has(&["mineralocorticoid", "aldosterone antagonist"]) {
        DrugClass::Mra
    } else if has(&["non-dihydropyridine", "nondihydropyridine"]) {
        DrugClass::NonDihydropyridineCcb
    } else if has(&["dihydropyridine", "calcium channel", "calcium-channel"]) {
        DrugClass::CalciumChannelBlocker
    } else {
        return None;
    })
}

/// Finds an agent by ingredient RXCUI.
pub fn agent_by_rxcui(rxcui: &str) -> Option<&'static Agent> {
    AGENTS.iter().find(|a| a.rxcui == rxcui)
}

/// Finds an agent whose name appears in free text (e.g. "amLODIPine 5 MG Oral Tablet").
/// Used when an EHR sends a product code we do not hold, so the record still says what it is.
pub fn agent_in_text(text: &str) -> Option<&'static Agent> {
    let lower = text.to_ascii_lowercase();
    AGENTS.iter().find(|a| lower.contains(a.name))
}

/// Finds an agent by ingredient name.
pub fn agent_by_name(name: &str) -> Option<&'static Agent> {
    AGENTS.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

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
    fn agents_are_unique_by_code_and_name() {
        for (i, a) in AGENTS.iter().enumerate() {
            for b in &AGENTS[i + 1..] {
                assert_ne!(a.rxcui, b.rxcui);
                assert_ne!(a.name, b.name);
            }
        }
    }

    #[test]
    fn statin_intensity_follows_the_guideline_table() {
        assert_eq!(statin_intensity("atorvastatin", 80.0), Some(StatinIntensity::High));
        assert_eq!(statin_intensity("atorvastatin", 20.0), Some(StatinIntensity::Moderate));
        assert_eq!(statin_intensity("simvastatin", 10.0), Some(StatinIntensity::Low));
        assert_eq!(statin_intensity("rosuvastatin", 20.0), Some(StatinIntensity::High));
        assert_eq!(statin_intensity("lisinopril", 20.0), None);
    }

    #[test]
    fn agent_lookup_by_text_ignores_case() {
        assert_eq!(agent_in_text("amLODIPine 5 MG Oral Tablet").map(|a| a.name), Some("amlodipine"));
        assert_eq!(agent_by_rxcui("83367").map(|a| a.class), Some(DrugClass::Statin));
    }
}
