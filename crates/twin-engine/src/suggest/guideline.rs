//! Whose guideline the plan search follows ([`Guideline`]): ESC (the default, as the project's
//! clinical reference says) or ACC/AHA, a setting. ESC's rules live in [`super::targets`] and
//! [`super::indications`]; this module holds the ACC/AHA ones, each as a table a reviewer can put
//! beside the guideline.
//!
//! **Blood pressure** ([`acc_aha_bp`]; Whelton PK et al., 2017 ACC/AHA high blood pressure
//! guideline, Hypertension 2018;71:e13, doi:10.1161/HYP.0000000000000065):
//! - Target below 130/80 mmHg for adults with confirmed hypertension (§8.1.5), including
//!   community-dwelling adults of 65 or over (§8.3.1, SBP < 130): age alone does not relax it,
//!   unlike ESC 2024 at 85.
//! - A high burden of comorbidity or limited life expectancy at 65 or over: clinical judgment on
//!   the intensity (§8.3.1, IIa). The record shows this as frailty, orthostatic hypotension or
//!   falls; the twin then checks below 140/90 (ours: the stage 2 threshold of §8.1.2 as the
//!   minimum, the same relaxed target the ESC set uses).
//! - Pregnancy: the guideline sets no target (§10.2.1 names the drugs); the ESC 2018 pregnancy
//!   target applies under either set.
//! - Drug treatment threshold (§8.1.2, Table 23 and Figure 4): BP-lowering drugs at 130/80 or
//!   more with clinical CVD, diabetes, chronic kidney disease, age 65 or over, or a 10-year ASCVD
//!   risk of 10 % or more; otherwise at 140/90 or more, with nonpharmacological therapy and a
//!   review in 3–6 months for stage 1 (130–139/80–89). This applies to an untreated patient.
//!
//! **Lipids** ([`acc_aha_lipids`]; Grundy SM et al., 2018 AHA/ACC cholesterol guideline,
//! Circulation 2019;139:e1082, doi:10.1161/CIR.0000000000000625): no LDL-C target; the goal is a
//! statin intensity, defined by its percentage fall of LDL-C (Table 3: high ≥ 50 %, moderate
//! 30–49 %), with LDL-C thresholds only for adding a non-statin. The first group that applies
//! decides:
//! 1. Clinical ASCVD (§4.1): high intensity. Add ezetimibe on the maximal statin while LDL-C is
//!    70 mg/dL or more (IIa at very high risk, IIb otherwise); at very high risk, then a PCSK9
//!    inhibitor (IIa). Very high risk (Table 4): two or more major ASCVD events (recent acute
//!    coronary syndrome, myocardial infarction, ischaemic stroke, symptomatic peripheral artery
//!    disease), or one with two or more high-risk conditions (age ≥ 65, familial
//!    hypercholesterolaemia, prior PCI or CABG, diabetes, hypertension, CKD with eGFR 15–59,
//!    current smoking, heart failure).
//! 2. LDL-C ≥ 190 mg/dL (untreated) or familial hypercholesterolaemia, age 20–75 (§4.2): high
//!    intensity; ezetimibe while LDL-C is 100 mg/dL or more on it (IIa); then a PCSK9 inhibitor
//!    with familial hypercholesterolaemia or an untreated LDL-C of 220 mg/dL or more (IIb).
//! 3. Diabetes at 40–75 (§4.3): moderate intensity (I); high intensity with multiple ASCVD risk
//!    factors (IIa, aiming at a 50 % fall). The guideline names no count: the twin takes two or
//!    more of hypertension, current smoking, eGFR < 60, albuminuria (UACR ≥ 30 mg/g) and LDL-C
//!    ≥ 160 mg/dL (ours).
//! 4. Heart failure alone: no statin, as under ESC ([`super::indications`]).
//! 5. Primary prevention at 40–75 with untreated LDL-C 70–189 mg/dL (§4.4.2), by the Pooled
//!    Cohort Equations (PREVENT where the PCE cannot be computed, as [`super::indications`]
//!    does): ≥ 20 % high risk, high intensity; 7.5–20 % intermediate, moderate intensity after a
//!    risk discussion (I); 5–7.5 % borderline, moderate intensity only with risk-enhancing
//!    factors (IIb); below 5 % low risk, lifestyle. The risk enhancers the record can show:
//!    LDL-C ≥ 160 mg/dL, CKD (eGFR < 60), hsCRP ≥ 2 mg/L (Table 6); the others (family history,
//!    metabolic syndrome, Lp(a), ankle–brachial index, …) are not in the record.
//! 6. Otherwise no statin: under 40 without LDL-C ≥ 190 mg/dL or familial hypercholesterolaemia;
//!    over 75 in primary prevention (§4.4.4, an individual decision); LDL-C below 70 mg/dL.
//!
//! The plan search's "goal reached" under ACC/AHA is the statin of the named intensity (or more)
//! in the regimen and, where the guideline names a non-statin threshold, LDL-C below it: the
//! percentage fall is what the intensity gives (Grundy 2018 Table 3) and what the lipid profile
//! 4–12 weeks after the change checks (§4.4.3), not a per-patient target.

use time::Date;

use crate::drugs::{DrugClass as D, StatinIntensity};
use crate::progression::ldl_fraction;
use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord, ProcedureKind, SmokingStatus};
use crate::risk::RiskInputs;
use crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L as MG_DL;

use super::indications::{ascvd_on_record, yes_no, StatinIndication};
use super::targets::BpTargetKind;

/// Whose guideline the targets, the statin indication and the plan search follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Guideline {
    /// ESC 2024 hypertension, ESC/EAS 2019 dyslipidaemia and ESC 2021 prevention guidelines.
    #[default]
    Esc,
    /// 2017 ACC/AHA high blood pressure and 2018 AHA/ACC cholesterol guidelines.
    AccAha,
}

impl Guideline {
    /// The set's short name for people ("ESC", "ACC/AHA").
    pub fn name(self) -> &'static str {
        match self {
            Guideline::Esc => "ESC",
            Guideline::AccAha => "ACC/AHA",
        }
    }
}

/// Source of the ACC/AHA BP target.
pub const BP_SOURCE_ACC_AHA_2017: &str =
    "2017 ACC/AHA high blood pressure guideline (Whelton et al., Hypertension 2018;71:e13) §8.1.5 (below 130/80 \
     mmHg), §8.3.1 (SBP below 130 at 65 or over), §8.1.2 and Table 23 (drug thresholds)";
/// Source of the relaxed ACC/AHA BP target.
pub const BP_SOURCE_ACC_AHA_JUDGMENT: &str =
    "2017 ACC/AHA high blood pressure guideline §8.3.1 (65 or over with a high burden of comorbidity or limited \
     life expectancy: clinical judgment on the intensity, IIa); below 140/90 the minimum";
/// Source of the ACC/AHA lipid goals.
pub const LDL_SOURCE_ACC_AHA_2018: &str =
    "2018 AHA/ACC cholesterol guideline (Grundy et al., Circulation 2019;139:e1082) Table 3 (statin intensity by \
     percentage LDL-C fall), §4.1–4.4 (patient groups), Table 4 (very high-risk ASCVD)";

/// LDL-C from which a non-statin is added in clinical ASCVD, mg/dL (Grundy 2018 §4.1).
pub const ASCVD_NONSTATIN_FROM_MG_DL: f64 = 70.0;
/// LDL-C from which ezetimibe is added with LDL-C ≥ 190 mg/dL untreated, mg/dL (Grundy 2018 §4.2).
pub const SEVERE_NONSTATIN_FROM_MG_DL: f64 = 100.0;
/// Untreated LDL-C from which a PCSK9 inhibitor may follow ezetimibe in severe
/// hypercholesterolaemia, mg/dL (Grundy 2018 §4.2, IIb).
pub const SEVERE_PCSK9_FROM_MG_DL: f64 = 220.0;
/// Untreated LDL-C of severe hypercholesterolaemia, mg/dL (Grundy 2018 §4.2).
pub const SEVERE_LDL_MG_DL: f64 = 190.0;
/// Untreated LDL-C below which the primary-prevention groups do not apply, mg/dL (§4.4.2).
pub const PRIMARY_PREVENTION_FROM_MG_DL: f64 = 70.0;
/// LDL-C that is a risk enhancer, and a diabetes risk factor here, mg/dL (Grundy 2018 Table 6).
pub const ENHANCER_LDL_MG_DL: f64 = 160.0;
/// hsCRP that is a risk enhancer, mg/L (Grundy 2018 Table 6).
pub const ENHANCER_CRP_MG_L: f64 = 2.0;
/// Albuminuria that counts as a diabetes risk factor, mg/g (Grundy 2018 §4.3: UACR ≥ 30).
pub const ALBUMINURIA_MG_G: f64 = 30.0;
/// 10-year ASCVD risk from which stage 1 hypertension is treated with drugs, % (Whelton 2017
/// §8.1.2).
pub const BP_DRUGS_FROM_RISK_PERCENT: f64 = 10.0;
/// BP from which drugs are started below that risk, mmHg (Whelton 2017 §8.1.2: stage 2).
pub const BP_DRUGS_LOW_RISK_FROM: (f64, f64) = (140.0, 90.0);

/// The ACC/AHA patient groups of the 2018 cholesterol guideline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LipidGroup {
    /// Clinical ASCVD at very high risk (Table 4).
    VeryHighRiskAscvd,
    /// Clinical ASCVD, not at very high risk.
    ClinicalAscvd,
    /// LDL-C ≥ 190 mg/dL untreated, or familial hypercholesterolaemia.
    SevereHypercholesterolaemia,
    /// Diabetes at 40–75.
    Diabetes,
    /// Primary prevention, 10-year risk ≥ 20 %.
    HighRisk,
    /// Primary prevention, 7.5–20 %.
    IntermediateRisk,
    /// Primary prevention, 5–7.5 %.
    BorderlineRisk,
    /// None of the statin groups: primary prevention below 5 % (or borderline without a risk
    /// enhancer), under 40, over 75, LDL-C below 70 mg/dL, heart failure alone, or no risk figure.
    NoGroup,
}

impl LipidGroup {
    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            LipidGroup::VeryHighRiskAscvd => "clinical ASCVD, very high risk",
            LipidGroup::ClinicalAscvd => "clinical ASCVD",
            LipidGroup::SevereHypercholesterolaemia => "severe hypercholesterolaemia",
            LipidGroup::Diabetes => "diabetes",
            LipidGroup::HighRisk => "high risk",
            LipidGroup::IntermediateRisk => "intermediate risk",
            LipidGroup::BorderlineRisk => "borderline risk",
            LipidGroup::NoGroup => "outside the statin groups (lifestyle)",
        }
    }
}

/// What ACC/AHA 2018 asks of lipid lowering for one patient.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntensityGoal {
    /// The patient's group.
    pub group: LipidGroup,
    /// The statin intensity asked for; `None`: no statin (lifestyle).
    pub intensity: Option<StatinIntensity>,
    /// LDL-C, mmol/L, at or above which a non-statin is added on the maximal statin, where the
    /// guideline names one.
    pub add_nonstatin_from_mmol: Option<f64>,
    /// Whether a PCSK9 inhibitor may follow ezetimibe.
    pub pcsk9: bool,
    /// The LDL-C before any lipid-lowering drug, mmol/L: measured untreated, else estimated
    /// from the latest on treatment ([`untreated_ldl`]).
    pub untreated_ldl_mmol: Option<f64>,
}

impl IntensityGoal {
    /// The least percentage fall of LDL-C of the intensity (Grundy 2018 Table 3: high ≥ 50 %,
    /// moderate ≥ 30 %), where a statin is asked for.
    pub fn reduction_percent(&self) -> Option<f64> {
        self.intensity.map(|i| match i {
            StatinIntensity::High => 50.0,
            StatinIntensity::Moderate => 30.0,
            StatinIntensity::Low => 0.0,
        })
    }

    /// The LDL-C the goal names, mmol/L: the non-statin threshold where there is one, else the
    /// level the intensity's least fall reaches from the untreated LDL-C (shown to the
    /// clinician; the goal itself is the intensity), else the untreated LDL-C (no statin).
    pub fn ldl_below_mmol(&self) -> Option<f64> {
        self.add_nonstatin_from_mmol.or_else(|| {
            let untreated = self.untreated_ldl_mmol?;
            Some(untreated * (1.0 - self.reduction_percent().unwrap_or(0.0) / 100.0))
        })
    }

    /// The goal in words, in place of an LDL-C value: "high-intensity statin, ≥ 50 % LDL-C
    /// reduction", or "no statin".
    pub fn goal_words(&self) -> String {
        let Some(intensity) = self.intensity else {
            return "no statin".into();
        };
        let words = match intensity {
            StatinIntensity::High => "high",
            StatinIntensity::Moderate => "moderate",
            StatinIntensity::Low => "low",
        };
        format!("{words}-intensity statin, ≥ {:.0} % LDL-C reduction", self.reduction_percent().unwrap_or(0.0))
    }

    /// When a non-statin follows, in words ("; add ezetimibe while LDL-C is 70 mg/dL (1.8 mmol/L)
    /// or more on it"); empty where the guideline names no threshold.
    pub fn nonstatin_words(&self) -> String {
        self.add_nonstatin_from_mmol.map_or_else(String::new, |from| {
            let then = if self.pcsk9 { ", then a PCSK9 inhibitor," } else { "" };
            format!("; add ezetimibe{then} while LDL-C is {:.0} mg/dL ({from:.1} mmol/L) or more on it", from * MG_DL)
        })
    }

    /// One line for the clinician, naming the guideline: "ACC/AHA 2018: high-intensity statin,
    /// ≥ 50 % LDL-C reduction; add ezetimibe while LDL-C is 70 mg/dL (1.8 mmol/L) or more on it".
    pub fn line(&self) -> String {
        format!("ACC/AHA 2018: {}{}", self.goal_words(), self.nonstatin_words())
    }

    /// Why this goal, for the targets (whose line names the guideline): the group and the
    /// non-statin step.
    pub fn reason(&self) -> String {
        format!("{}{}", self.group.label(), self.nonstatin_words())
    }
}

/// The BP part of the ACC/AHA targets, as [`super::targets`] keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct BpTarget {
    /// Systolic below, mmHg.
    pub sbp_below: f64,
    /// Diastolic below, mmHg.
    pub dbp_below: f64,
    /// Systolic floor, mmHg.
    pub sbp_floor: Option<f64>,
    /// Diastolic floor, mmHg.
    pub dbp_floor: Option<f64>,
    /// Which target.
    pub kind: BpTargetKind,
    /// Why, in words naming the guideline.
    pub reason: String,
    /// Source.
    pub source: &'static str,
    /// BP (systolic, diastolic) from which drugs are started; `None`: whenever above target.
    pub drugs_from: Option<(f64, f64)>,
}

/// The 10-year ASCVD risk, %, by the Pooled Cohort Equations, else PREVENT, with its name; or
/// why neither could be computed.
pub fn ascvd_10y_percent(inputs: &RiskInputs) -> Result<(&'static str, f64), String> {
    match crate::risk::pce::ascvd_10y(inputs).risk {
        Ok(r) => Ok(("PCE 10-year ASCVD", r * 100.0)),
        Err(pce) => {
            let p = crate::risk::prevent::risk(
                inputs,
                crate::risk::prevent::Outcome::Ascvd,
                crate::risk::prevent::Horizon::TenYears,
            );
            p.risk
                .map(|r| ("PREVENT 10-year ASCVD", r * 100.0))
                .map_err(|e| format!("PCE: {}; PREVENT: {}", pce.describe(), e.describe()))
        }
    }
}

fn any_bp_drug(record: &PatientRecord, today: Date) -> bool {
    record.active_medications(today).any(|m| m.class.is_some_and(D::lowers_bp))
}

fn ckd(record: &PatientRecord, inputs: &RiskInputs) -> bool {
    record.has_active(C::ChronicKidneyDisease)
        || record.has_active(C::ChronicKidneyDiseaseStage3)
        || record.latest(K::Egfr).map(|s| s.value).or(inputs.egfr).is_some_and(|e| e < 60.0)
}

/// The ACC/AHA 2017 BP target for `record` on `today` (see the module's table).
pub fn acc_aha_bp(record: &PatientRecord, today: Date, inputs: &RiskInputs) -> BpTarget {
    let age = record.demographics.age_on(today).map_or(inputs.age, f64::from);
    if record.has_active(C::Pregnancy) {
        return BpTarget {
            sbp_below: 140.0,
            dbp_below: 90.0,
            sbp_floor: None,
            dbp_floor: Some(80.0),
            kind: BpTargetKind::Pregnancy,
            reason: "pregnancy: below 140/90 mmHg, diastolic not below 80 (ACC/AHA 2017 sets no target in pregnancy; \
                     ESC 2018 pregnancy guideline; CHIPS)"
                .into(),
            source: super::targets::BP_SOURCE_PREGNANCY,
            drugs_from: None,
        };
    }
    let judged: Vec<&str> =
        [(C::Frailty, "frailty"), (C::OrthostaticHypotension, "orthostatic hypotension"), (C::HistoryOfFalls, "falls")]
            .into_iter()
            .filter(|(k, _)| if *k == C::HistoryOfFalls { record.has_ever(*k) } else { record.has_active(*k) })
            .map(|(_, what)| what)
            .collect();
    if age >= 65.0 && !judged.is_empty() {
        return BpTarget {
            sbp_below: 140.0,
            dbp_below: 90.0,
            sbp_floor: Some(130.0),
            dbp_floor: Some(70.0),
            kind: BpTargetKind::Alara,
            reason: format!(
                "{} on record at {age:.0}: clinical judgment on the intensity, at least below 140/90 mmHg (ACC/AHA \
                 2017 §8.3.1, IIa)",
                judged.join(", ")
            ),
            source: BP_SOURCE_ACC_AHA_JUDGMENT,
            drugs_from: None,
        };
    }
    // Drugs at 130/80 with clinical CVD, diabetes, CKD, age 65 or over or a 10-year risk of 10 %
    // or more; else at 140/90 (stage 1 below that risk: lifestyle, review in 3–6 months).
    let mut why_130: Vec<String> = Vec::new();
    if record.has_ascvd() || record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf) {
        why_130.push("clinical cardiovascular disease".into());
    }
    if record.has_active(C::Type2Diabetes) || inputs.diabetes {
        why_130.push("diabetes".into());
    }
    if ckd(record, inputs) {
        why_130.push("chronic kidney disease".into());
    }
    if age >= 65.0 {
        why_130.push(format!("age {age:.0}"));
    }
    let risk = ascvd_10y_percent(inputs);
    if let Ok((name, r)) = &risk {
        if *r >= BP_DRUGS_FROM_RISK_PERCENT {
            why_130.push(format!("{name} risk {r:.1}%"));
        }
    }
    let treated = any_bp_drug(record, today);
    let (drugs_from, threshold) = if treated {
        (None, "already on BP treatment".to_string())
    } else if !why_130.is_empty() {
        (None, format!("drugs from 130/80 ({})", why_130.join(", ")))
    } else {
        match &risk {
            Ok((name, r)) => (
                Some(BP_DRUGS_LOW_RISK_FROM),
                format!(
                    "{name} risk {r:.1}% (below {BP_DRUGS_FROM_RISK_PERCENT:.0}%): stage 1 (130–139/80–89) is treated \
                     with lifestyle and reviewed in 3–6 months, drugs from 140/90"
                ),
            ),
            // No risk figure: the general threshold, and the reason says why.
            Err(why) => (None, format!("drugs from 130/80 (no 10-year risk could be computed: {why})")),
        }
    };
    BpTarget {
        sbp_below: 130.0,
        dbp_below: 80.0,
        sbp_floor: Some(120.0),
        dbp_floor: Some(70.0),
        kind: BpTargetKind::Standard,
        // The target line names the guideline ("ACC/AHA 2017: below 130/80 mmHg"); the reason says
        // for whom and from when drugs.
        reason: format!("adults with hypertension (§8.1.5; §8.3.1 at 65 or over); {threshold}"),
        source: BP_SOURCE_ACC_AHA_2017,
        drugs_from,
    }
}

/// The LDL-C before any lipid-lowering drug, mmol/L: the latest measured on none, else the
/// latest on treatment divided by what its drugs leave (each drug's fall as the twin models it,
/// [`ldl_fraction`], at its recorded dose level; an undosed statin counted at moderate intensity).
pub fn untreated_ldl(record: &PatientRecord, today: Date) -> Option<f64> {
    measured_untreated_ldl(record, today).or_else(|| estimated_untreated_ldl(record, today))
}

/// The latest LDL-C measured on no lipid-lowering drug, mmol/L: the baseline ESC/EAS 2019's
/// "≥ 50 % reduction from baseline" is read against. `None` when every LDL-C on record was
/// taken on treatment (or there is none).
pub fn measured_untreated_ldl(record: &PatientRecord, today: Date) -> Option<f64> {
    let series: Vec<_> = record.series(K::LdlCholesterol).iter().filter(|s| s.date <= today).collect();
    series.iter().rev().find(|s| lipid_drugs_on(record, s.date).is_empty()).map(|s| s.value)
}

/// The lipid-lowering drugs taken on `date`, with their dose levels (an undosed one standard).
fn lipid_drugs_on(record: &PatientRecord, date: Date) -> Vec<(D, crate::drugs::DoseLevel)> {
    let lowers = |c: D| ldl_fraction(c, crate::drugs::DoseLevel::Standard) > 0.0;
    record
        .medications
        .iter()
        .filter(|m| m.active_on(date))
        .filter_map(|m| {
            let class = m.class.filter(|c| lowers(*c))?;
            Some((class, m.dose_level.unwrap_or(crate::drugs::DoseLevel::Standard)))
        })
        .collect()
}

/// The latest LDL-C on treatment divided by what its drugs leave.
fn estimated_untreated_ldl(record: &PatientRecord, today: Date) -> Option<f64> {
    let latest = *record.series(K::LdlCholesterol).iter().filter(|s| s.date <= today).collect::<Vec<_>>().last()?;
    let remaining: f64 = lipid_drugs_on(record, latest.date).iter().map(|(c, d)| 1.0 - ldl_fraction(*c, *d)).product();
    (remaining > 0.0).then(|| latest.value / remaining)
}

/// Very high-risk ASCVD (Grundy 2018 Table 4): the major events and the high-risk conditions the
/// record shows, and whether they make very high risk.
fn very_high_risk(record: &PatientRecord, age: f64, inputs: &RiskInputs) -> (bool, String) {
    let major = record
        .conditions
        .iter()
        .filter(|c| matches!(c.kind, Some(C::MyocardialInfarction | C::Stroke | C::PeripheralArteryDisease)))
        .count();
    let mut conditions: Vec<&str> = Vec::new();
    for (on, what) in [
        (age >= 65.0, "age 65 or over"),
        (record.has_active(C::FamilialHypercholesterolaemia), "familial hypercholesterolaemia"),
        (
            record.procedures.iter().any(|p| matches!(p.kind, Some(ProcedureKind::Pci | ProcedureKind::Cabg))),
            "prior PCI or CABG",
        ),
        (record.has_active(C::Type2Diabetes) || inputs.diabetes, "diabetes"),
        (record.has_active(C::Hypertension) || inputs.bp_treated, "hypertension"),
        (ckd(record, inputs), "chronic kidney disease"),
        (smoker(record, inputs), "current smoking"),
        (record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf), "heart failure"),
    ] {
        if on {
            conditions.push(what);
        }
    }
    let very = major >= 2 || (major == 1 && conditions.len() >= 2);
    let why = format!(
        "{major} major ASCVD event{} on record{}",
        if major == 1 { "" } else { "s" },
        if conditions.is_empty() { String::new() } else { format!(", with {}", conditions.join(", ")) }
    );
    (very, why)
}

fn smoker(record: &PatientRecord, inputs: &RiskInputs) -> bool {
    record.smoking_status().map_or(inputs.smoker, |s| s == SmokingStatus::Current)
}

/// The ACC/AHA 2018 statin indication and lipid goal for `record` on `today` (see the module's
/// table).
pub fn acc_aha_lipids(record: &PatientRecord, today: Date, inputs: &RiskInputs) -> (StatinIndication, IntensityGoal) {
    use StatinIntensity::{High, Moderate};
    let age = record.demographics.age_on(today).map_or(inputs.age, f64::from);
    let untreated = untreated_ldl(record, today);
    let untreated_mg = untreated.map(|l| l * MG_DL);
    let goal = |group, intensity, nonstatin_mg: Option<f64>, pcsk9| IntensityGoal {
        group,
        intensity,
        add_nonstatin_from_mmol: nonstatin_mg.map(|mg| mg / MG_DL),
        pcsk9,
        untreated_ldl_mmol: untreated,
    };
    let src = LDL_SOURCE_ACC_AHA_2018;
    let ascvd = ascvd_on_record(record);
    if !ascvd.is_empty() || inputs.ascvd.is_some() {
        let (very, why) = very_high_risk(record, age, inputs);
        let what = if ascvd.is_empty() { "atherosclerotic disease".to_string() } else { ascvd.join(", ") };
        let group = if very { LipidGroup::VeryHighRiskAscvd } else { LipidGroup::ClinicalAscvd };
        let g = goal(group, Some(High), Some(ASCVD_NONSTATIN_FROM_MG_DL), very);
        let risk = if very { "very high risk" } else { "not very high risk" };
        return (yes_no(true, format!("clinical ASCVD ({what}), {risk} ({why}): {}", g.line()), src, Some(High)), g);
    }
    let fh = record.has_active(C::FamilialHypercholesterolaemia);
    let severe = untreated_mg.is_some_and(|l| l >= SEVERE_LDL_MG_DL);
    if (fh || severe) && (20.0..=75.0).contains(&age) {
        let pcsk9 = fh || untreated_mg.is_some_and(|l| l >= SEVERE_PCSK9_FROM_MG_DL);
        let g = goal(LipidGroup::SevereHypercholesterolaemia, Some(High), Some(SEVERE_NONSTATIN_FROM_MG_DL), pcsk9);
        let what = if fh {
            "familial hypercholesterolaemia on record".to_string()
        } else {
            format!("untreated LDL-C {:.0} mg/dL (190 or more)", untreated_mg.unwrap_or_default())
        };
        return (yes_no(true, format!("{what}: {}", g.line()), src, Some(High)), g);
    }
    let diabetes = record.has_active(C::Type2Diabetes) || inputs.diabetes;
    if diabetes && (40.0..=75.0).contains(&age) {
        let factors: Vec<&str> = [
            (record.has_active(C::Hypertension) || inputs.bp_treated, "hypertension"),
            (smoker(record, inputs), "current smoking"),
            (record.latest(K::Egfr).map(|s| s.value).or(inputs.egfr).is_some_and(|e| e < 60.0), "eGFR below 60"),
            (
                record.latest(K::Uacr).map(|s| s.value).or(inputs.uacr).is_some_and(|u| u >= ALBUMINURIA_MG_G),
                "albuminuria",
            ),
            (untreated_mg.is_some_and(|l| l >= ENHANCER_LDL_MG_DL), "LDL-C 160 mg/dL or more"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, what)| what)
        .collect();
        let intensity = if factors.len() >= 2 { High } else { Moderate };
        let g = goal(LipidGroup::Diabetes, Some(intensity), None, false);
        let because = if factors.len() >= 2 {
            format!(" with {} ASCVD risk factors ({})", factors.len(), factors.join(", "))
        } else {
            String::new()
        };
        return (yes_no(true, format!("diabetes at age {age:.0}{because}: {}", g.line()), src, Some(intensity)), g);
    }
    let none = |why: String| {
        let g = goal(LipidGroup::NoGroup, None, None, false);
        (yes_no(false, why, src, None), g)
    };
    if record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf) {
        return none(
            "heart failure alone is not an indication (CORONA, GISSI-HF), and none of clinical ASCVD, LDL-C ≥ 190 mg/dL \
             or diabetes is on record"
                .into(),
        );
    }
    if age < 40.0 {
        return none(format!(
            "age {age:.0}: below 40 a statin is for LDL-C ≥ 190 mg/dL or familial hypercholesterolaemia (ACC/AHA 2018 \
             §4.4.4); none on record"
        ));
    }
    if age > 75.0 {
        return none(format!(
            "age {age:.0}: over 75 in primary prevention a statin is an individual decision (§4.4.4)"
        ));
    }
    if let Some(l) = untreated_mg.filter(|l| *l < PRIMARY_PREVENTION_FROM_MG_DL) {
        return none(format!("untreated LDL-C {l:.0} mg/dL, below 70: outside the primary-prevention groups (§4.4.2)"));
    }
    let enhancers: Vec<&str> = [
        (untreated_mg.is_some_and(|l| l >= ENHANCER_LDL_MG_DL), "LDL-C 160 mg/dL or more"),
        (ckd(record, inputs), "chronic kidney disease"),
        (
            inputs.crp.or(record.latest(K::Crp).map(|s| s.value)).is_some_and(|c| c >= ENHANCER_CRP_MG_L),
            "hsCRP 2 mg/L or more",
        ),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, what)| what)
    .collect();
    let with = if enhancers.is_empty() {
        "no risk enhancer on record".to_string()
    } else {
        format!("risk enhancers: {}", enhancers.join(", "))
    };
    match ascvd_10y_percent(inputs) {
        Ok((name, r)) if r >= 20.0 => {
            let g = goal(LipidGroup::HighRisk, Some(High), None, false);
            (yes_no(true, format!("{name} risk {r:.1}% (20% or more): {}", g.line()), src, Some(High)), g)
        }
        Ok((name, r)) if r >= 7.5 => {
            let g = goal(LipidGroup::IntermediateRisk, Some(Moderate), None, false);
            let reason = format!("{name} risk {r:.1}% (7.5–20%, {with}): {}, after a risk discussion", g.line());
            (yes_no(true, reason, src, Some(Moderate)), g)
        }
        Ok((name, r)) if r >= 5.0 && !enhancers.is_empty() => {
            let g = goal(LipidGroup::BorderlineRisk, Some(Moderate), None, false);
            let reason = format!("{name} risk {r:.1}% (5–7.5%, {with}): {}, after a risk discussion (IIb)", g.line());
            (yes_no(true, reason, src, Some(Moderate)), g)
        }
        Ok((name, r)) if r >= 5.0 => {
            let g = goal(LipidGroup::BorderlineRisk, None, None, false);
            (yes_no(false, format!("{name} risk {r:.1}% (5–7.5%, borderline, {with}): lifestyle"), src, None), g)
        }
        Ok((name, r)) => none(format!("{name} risk {r:.1}% (below 5%): low risk, lifestyle")),
        Err(why) => none(format!("no risk equation could be computed ({why}): the indication could not be assessed")),
    }
}

#[cfg(test)]
mod tests;
