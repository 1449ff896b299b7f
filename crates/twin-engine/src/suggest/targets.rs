//! Treatment targets per patient, from the guidelines (ESC the default, as the project's clinical
//! reference says; each target names its guideline and year).
//!
//! - **Blood pressure** (ESC 2024 elevated BP and hypertension guideline, McEvoy et al., Eur Heart
//!   J 2024;45:3912): systolic 120–129 mmHg for most treated adults if tolerated, diastolic 70–79;
//!   the twin checks below 130/80 and treats 120/70 as the floor below which a plan over-lowers.
//!   "As low as reasonably achievable" (ALARA) at age 85 or over, with frailty, (symptomatic)
//!   orthostatic hypotension or falls on record: the twin checks below 140/90, the minimum every
//!   treated adult should reach, with a floor of 130 systolic (the lower end of the 130–139 range
//!   of ESC/ESH 2018 §7.3.2 for older patients). In pregnancy (ESC 2018 pregnancy guideline,
//!   Regitz-Zagrosek et al., Eur Heart J 2018;39:3165, §10; ESC 2024 §9): treat at 140/90 and keep
//!   below it, diastolic not below 80 (CHIPS, Magee et al., N Engl J Med 2015;372:407: tight
//!   control aimed at a diastolic 85 mmHg).
//! - **LDL cholesterol**, by risk category: ESC/EAS 2019 (Mach et al., Eur Heart J 2020;41:111,
//!   Table 4 for the categories, §5 and Figure 3 for the goals): very high risk < 1.4 mmol/L
//!   (55 mg/dL), high < 1.8 (70), moderate < 2.6 (100), low < 3.0 (116); at high and very high
//!   risk also ≥ 50 % below the untreated baseline ([`EscLdlGoal`]). The score bands are those
//!   of the ESC 2021 prevention guideline for SCORE2 / SCORE2-OP (Visseren et al., Eur Heart J
//!   2021;42:3227, Table 3 and Figure 4): below 50, high from 2.5 %, very high from 7.5 %; 50–69,
//!   5 % and 10 %; 70 and over, 7.5 % and 15 %. Below "high" is low-to-moderate (ESC 2021), given
//!   the moderate goal; SCORE's old 1 % cut-off is not used. SCORE2 is not used with heart failure
//!   (it excludes it). Whether a statin is indicated at all is [`super::indications`]'s question.
//!
//! These are the ESC targets, the default. Under ACC/AHA ([`super::guideline`]) the BP target
//! and the lipid goal (a statin intensity, [`Targets::ldl_intensity`]) are that set's.

use time::Date;

use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord};

/// The LDL-C risk category of ESC/EAS 2019.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RiskCategory {
    /// Low.
    Low,
    /// Moderate (SCORE2's low-to-moderate).
    Moderate,
    /// High.
    High,
    /// Very high.
    VeryHigh,
}

impl RiskCategory {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            RiskCategory::Low => "low",
            RiskCategory::Moderate => "moderate",
            RiskCategory::High => "high",
            RiskCategory::VeryHigh => "very high",
        }
    }

    /// The LDL-C goal, mmol/L (ESC/EAS 2019).
    pub fn ldl_goal_mmol(self) -> f64 {
        match self {
            RiskCategory::Low => 3.0,
            RiskCategory::Moderate => 2.6,
            RiskCategory::High => 1.8,
            RiskCategory::VeryHigh => 1.4,
        }
    }
}

/// Share of the untreated LDL-C that ESC/EAS 2019 asks to remove at high and very high risk, as
/// well as reaching the category's level (Mach et al., Eur Heart J 2020;41:111, §5 and the
/// recommendations on treatment goals: "an LDL-C reduction of ≥ 50 % from baseline and an LDL-C
/// goal of < 1.4 mmol/L (< 55 mg/dL)" at very high risk, "≥ 50 % … and < 1.8 mmol/L (< 70
/// mg/dL)" at high risk, both class I; kept by the ESC 2021 prevention guideline, Table 9).
pub const ESC_LDL_REDUCTION: f64 = 0.5;

/// The ESC/EAS 2019 LDL-C goal of a patient: the category's level and, at high and very high
/// risk, the ≥ 50 % reduction from the untreated baseline where the record has one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EscLdlGoal {
    /// Low or moderate risk: the level alone, mmol/L.
    Level(f64),
    /// High or very high risk with an untreated LDL-C on record: below the level and at most
    /// half the baseline, mmol/L each.
    LevelAndHalved {
        /// The category's level.
        level: f64,
        /// The latest LDL-C measured on no lipid-lowering drug.
        baseline: f64,
    },
    /// High or very high risk with no untreated LDL-C on record: the level is checked; the
    /// reduction cannot be.
    LevelBaselineUnknown(f64),
}

impl EscLdlGoal {
    /// The goal for `category` given the untreated LDL-C on record, mmol/L.
    pub fn new(category: RiskCategory, untreated_mmol: Option<f64>) -> Self {
        let level = category.ldl_goal_mmol();
        match (category, untreated_mmol) {
            (RiskCategory::Low | RiskCategory::Moderate, _) => Self::Level(level),
            (_, Some(baseline)) => Self::LevelAndHalved { level, baseline },
            (_, None) => Self::LevelBaselineUnknown(level),
        }
    }

    /// The LDL-C a plan must get below, mmol/L: both parts of the goal at once.
    pub fn below_mmol(self) -> f64 {
        match self {
            Self::Level(level) | Self::LevelBaselineUnknown(level) => level,
            Self::LevelAndHalved { level, baseline } => level.min(baseline * (1.0 - ESC_LDL_REDUCTION)),
        }
    }

    /// The goal in words, with mg/dL.
    pub fn words(self) -> String {
        let both =
            |mmol: f64| format!("{mmol:.1} mmol/L ({:.0} mg/dL)", mmol * crate::units::CHOLESTEROL_MG_DL_PER_MMOL_L);
        match self {
            Self::Level(level) => format!("LDL-C below {}", both(level)),
            Self::LevelAndHalved { level, baseline } => format!(
                "LDL-C below {} and at least 50 % below the untreated baseline of {}: both are met below {}",
                both(level),
                both(baseline),
                both(self.below_mmol())
            ),
            Self::LevelBaselineUnknown(level) => format!(
                "LDL-C below {} and at least 50 % below the untreated baseline (baseline not in the record)",
                both(level)
            ),
        }
    }
}

/// Which BP target applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BpTargetKind {
    /// 120–129 systolic if tolerated (ESC 2024).
    Standard,
    /// As low as reasonably achievable: 85 or over, frailty, orthostatic hypotension, falls.
    Alara,
    /// Pregnancy.
    Pregnancy,
}

/// What the suggestion aims at, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    /// Systolic BP below, mmHg.
    pub sbp_below: f64,
    /// Diastolic BP below, mmHg.
    pub dbp_below: f64,
    /// Systolic BP a plan should not be projected below, mmHg (`None`: no floor stated).
    pub sbp_floor: Option<f64>,
    /// Diastolic BP a plan should not be projected below, mmHg.
    pub dbp_floor: Option<f64>,
    /// Which BP target.
    pub bp_kind: BpTargetKind,
    /// Why this BP target, in plain words.
    pub bp_reason: String,
    /// The BP target's source.
    pub bp_source: &'static str,
    /// LDL-C below, mmol/L.
    pub ldl_below_mmol: f64,
    /// The LDL-C risk category.
    pub category: RiskCategory,
    /// Why this category, with its source.
    pub ldl_reason: String,
    /// The LDL-C goal's source.
    pub ldl_source: &'static str,
    /// Whose guideline these targets are.
    pub guideline: super::guideline::Guideline,
    /// ACC/AHA's lipid goal: a statin intensity, with a non-statin threshold where the guideline
    /// names one (then `ldl_below_mmol` is that threshold; else the level the intensity's least
    /// fall reaches from the untreated LDL-C, shown but not judged). `None` under ESC, whose goal
    /// is `ldl_below_mmol`.
    pub ldl_intensity: Option<super::guideline::IntensityGoal>,
    /// BP (systolic, diastolic) from which BP drugs are started, where the guideline sets a
    /// higher threshold than the target (ACC/AHA 2017: 140/90 for untreated stage 1 at low risk;
    /// below it, lifestyle). `None`: drugs whenever above target (ESC as the twin applies it).
    pub bp_drugs_from: Option<(f64, f64)>,
}

impl Targets {
    /// The guideline and year the BP target follows, as a target line names it ("ESC 2024",
    /// "ACC/AHA 2017"; in pregnancy "ESC 2018" under either set).
    pub fn bp_guideline(&self) -> &'static str {
        use super::guideline::Guideline;
        match (self.bp_kind, self.guideline) {
            (BpTargetKind::Pregnancy, _) => "ESC 2018",
            (_, Guideline::Esc) => "ESC 2024",
            (_, Guideline::AccAha) => "ACC/AHA 2017",
        }
    }

    /// The guideline and year the lipid goal follows ("ESC/EAS 2019", "ACC/AHA 2018").
    pub fn ldl_guideline(&self) -> &'static str {
        match self.guideline {
            super::guideline::Guideline::Esc => "ESC/EAS 2019",
            super::guideline::Guideline::AccAha => "ACC/AHA 2018",
        }
    }
}

/// SCORE2 / SCORE2-OP thresholds (10-year risk, %) for high and very high risk by age band
/// (ESC 2021, Table 3): under 50, 50–69, 70 and over.
pub fn score2_thresholds(age: f64) -> (f64, f64) {
    if age < 50.0 {
        (2.5, 7.5)
    } else if age < 70.0 {
        (5.0, 10.0)
    } else {
        (7.5, 15.0)
    }
}

/// Source of the standard BP target.
pub const BP_SOURCE_ESC_2024: &str =
    "ESC 2024 elevated BP and hypertension guideline (McEvoy et al., Eur Heart J 2024;45:3912): systolic 120–129 \
     mmHg if tolerated, diastolic 70–79";
/// Source of the relaxed BP target.
pub const BP_SOURCE_ALARA: &str =
    "ESC 2024 hypertension guideline: as low as reasonably achievable at 85 or over, with moderate to severe frailty \
     or symptomatic orthostatic hypotension; < 140/90 the minimum; ESC/ESH 2018 §7.3.2 (130–139 systolic for older \
     patients)";
/// Source of the pregnancy BP target.
pub const BP_SOURCE_PREGNANCY: &str =
    "ESC 2018 pregnancy guideline (Regitz-Zagrosek et al., Eur Heart J 2018;39:3165) §10: treat at ≥ 140/90; ESC \
     2024 hypertension guideline §9; CHIPS (Magee et al., N Engl J Med 2015;372:407): tight control to a diastolic \
     85 mmHg";
/// Source of the SBP target relaxed for a diastolic level already under [`LOW_DBP_MMHG`].
pub const BP_SOURCE_LOW_DBP: &str =
    "ESC 2024 hypertension guideline (McEvoy et al., Eur Heart J 2024;45:3912): diastolic target 70–79 mmHg; a \
     diastolic BP under 70 is no reason to withhold treatment, but SBP is lowered cautiously, to 130–139 where 120–129 \
     is not tolerated or appropriate; INVEST and ONTARGET for the J-curve of diastolic BP under 60";
/// Diastolic BP below which SBP is lowered cautiously, mmHg: 70 (ESC 2024, diastolic target
/// 70–79 mmHg).
pub const LOW_DBP_MMHG: f64 = 70.0;
/// The relaxed SBP target then, below this mmHg (ESC 2024: 130–139 where 120–129 is not
/// tolerated or appropriate).
pub const RELAXED_SBP_BELOW: f64 = 140.0;

/// `targets` for a patient whose diastolic level today is `dbp_today` (the twin's, from
/// [`crate::twin::dbp_today`]): under [`LOW_DBP_MMHG`] (isolated systolic hypertension of older
/// people), SBP is aimed at 130–139 rather than below 130, so DBP is not driven under 60 (ESC
/// 2024; the J-curve of INVEST and ONTARGET in coronary disease and old age). Under either
/// guideline set: the one place this rule lives, so the overview and the suggestion show the
/// same target and reason. A target already at 140 or above (ALARA, pregnancy) is kept.
pub fn with_low_dbp(mut targets: Targets, dbp_today: Option<f64>) -> Targets {
    if let Some(dbp) = dbp_today.filter(|d| *d < LOW_DBP_MMHG) {
        if targets.sbp_below < RELAXED_SBP_BELOW {
            targets.sbp_below = RELAXED_SBP_BELOW;
            targets.sbp_floor = Some(RELAXED_SBP_BELOW - 10.0);
            targets.bp_reason = format!(
                "systolic 130–139 mmHg: diastolic BP is already {dbp:.0} mmHg (below {LOW_DBP_MMHG:.0}), so SBP is lowered cautiously (ESC 2024)"
            );
            targets.bp_source = BP_SOURCE_LOW_DBP;
        }
    }
    targets
}

/// Source of the LDL-C goals.
pub const LDL_SOURCE: &str =
    "ESC/EAS 2019 dyslipidaemia guideline (Mach et al., Eur Heart J 2020;41:111) Table 4 and Figure 3; ESC 2021 \
     prevention guideline (Visseren et al., Eur Heart J 2021;42:3227) Table 3 for the SCORE2 bands";

/// Why the relaxed target applies, where it does.
fn alara_reason(record: &PatientRecord, age: Option<f64>) -> Option<String> {
    let mut why: Vec<String> = Vec::new();
    if let Some(a) = age.filter(|a| *a >= 85.0) {
        why.push(format!("age {a:.0}"));
    }
    for (kind, what) in
        [(C::Frailty, "frailty"), (C::OrthostaticHypotension, "orthostatic hypotension"), (C::HistoryOfFalls, "falls")]
    {
        let on = if kind == C::HistoryOfFalls { record.has_ever(kind) } else { record.has_active(kind) };
        if on {
            why.push(format!("{what} on record"));
        }
    }
    (!why.is_empty()).then(|| why.join(", "))
}

/// The BP part of the targets.
fn bp(record: &PatientRecord, today: Date) -> (f64, f64, Option<f64>, Option<f64>, BpTargetKind, String, &'static str) {
    let age = record.demographics.age_on(today).map(f64::from);
    if record.has_active(C::Pregnancy) {
        return (
            140.0,
            90.0,
            None,
            Some(80.0),
            BpTargetKind::Pregnancy,
            "pregnancy: below 140/90 mmHg, diastolic not below 80 (ESC 2018 pregnancy guideline; CHIPS)".into(),
            BP_SOURCE_PREGNANCY,
        );
    }
    if let Some(why) = alara_reason(record, age) {
        return (
            140.0,
            90.0,
            Some(130.0),
            Some(70.0),
            BpTargetKind::Alara,
            format!(
                "{why}: as low as reasonably achievable, at least below 140/90 mmHg and not below 130 systolic (ESC \
                 2024)"
            ),
            BP_SOURCE_ALARA,
        );
    }
    (
        130.0,
        80.0,
        Some(120.0),
        Some(70.0),
        BpTargetKind::Standard,
        "systolic 120–129 mmHg if tolerated, diastolic 70–79 (ESC 2024)".into(),
        BP_SOURCE_ESC_2024,
    )
}

/// The targets for `record` on `today`; `score2_percent` is the patient's SCORE2 / SCORE2-OP
/// 10-year risk, or why there is none.
pub fn targets(record: &PatientRecord, today: Date, score2_percent: Result<f64, String>) -> Targets {
    let age = record.demographics.age_on(today).map(f64::from);
    let (sbp_below, dbp_below, sbp_floor, dbp_floor, bp_kind, bp_reason, bp_source) = bp(record, today);
    let (category, why) = category(record, age, score2_percent);
    let goal = EscLdlGoal::new(category, super::guideline::measured_untreated_ldl(record, today));
    Targets {
        sbp_below,
        dbp_below,
        sbp_floor,
        dbp_floor,
        bp_kind,
        bp_reason,
        bp_source,
        ldl_below_mmol: goal.below_mmol(),
        category,
        ldl_reason: format!("{} risk ({why}): {} (ESC/EAS 2019)", category.label(), goal.words()),
        ldl_source: LDL_SOURCE,
        guideline: super::guideline::Guideline::Esc,
        ldl_intensity: None,
        bp_drugs_from: None,
    }
}

/// The targets under `guideline` for `record` on `today` from its twin's risk inputs: ESC's
/// ([`targets_for`]), or ACC/AHA's BP target and lipid goal ([`super::guideline`]) with the ESC
/// risk category kept beside them for reference; under either, SBP relaxed where the diastolic
/// level is already low ([`with_low_dbp`]). Every screen that shows a target takes it from here.
pub fn targets_under(
    guideline: super::guideline::Guideline,
    record: &PatientRecord,
    today: Date,
    inputs: &crate::risk::RiskInputs,
) -> Targets {
    let dbp_today = crate::twin::dbp_today(record, today).map(|(dbp, _, _)| dbp);
    with_low_dbp(guideline_targets(guideline, record, today, inputs), dbp_today)
}

/// The targets of the set alone, before the diastolic rule.
fn guideline_targets(
    guideline: super::guideline::Guideline,
    record: &PatientRecord,
    today: Date,
    inputs: &crate::risk::RiskInputs,
) -> Targets {
    use super::guideline::{acc_aha_bp, acc_aha_lipids, Guideline, LDL_SOURCE_ACC_AHA_2018};
    let esc = targets_for(record, today, inputs);
    if guideline == Guideline::Esc {
        return esc;
    }
    let bp = acc_aha_bp(record, today, inputs);
    let (_, goal) = acc_aha_lipids(record, today, inputs);
    Targets {
        sbp_below: bp.sbp_below,
        dbp_below: bp.dbp_below,
        sbp_floor: bp.sbp_floor,
        dbp_floor: bp.dbp_floor,
        bp_kind: bp.kind,
        bp_reason: bp.reason,
        bp_source: bp.source,
        // ACC/AHA's own threshold; else ESC's category level, without ESC's relative goal.
        ldl_below_mmol: goal.ldl_below_mmol().unwrap_or(esc.category.ldl_goal_mmol()),
        category: esc.category,
        ldl_reason: goal.reason(),
        ldl_source: LDL_SOURCE_ACC_AHA_2018,
        guideline,
        ldl_intensity: Some(goal),
        bp_drugs_from: bp.drugs_from,
    }
}

/// The targets for `record` on `today` from its twin's risk inputs (SCORE2 / SCORE2-OP from them).
pub fn targets_for(record: &PatientRecord, today: Date, inputs: &crate::risk::RiskInputs) -> Targets {
    targets(record, today, super::score2_percent(inputs))
}

fn category(record: &PatientRecord, age: Option<f64>, score2: Result<f64, String>) -> (RiskCategory, String) {
    let heart_failure = record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf);
    let (score2, why_none) = match score2 {
        // SCORE2 was derived without heart failure: not used for it.
        Ok(_) if heart_failure => (None, "SCORE2 does not apply with heart failure".to_string()),
        Ok(r) => (Some(r), String::new()),
        Err(why) => (None, why),
    };
    let ascvd = record.has_ascvd();
    let egfr = record.latest(K::Egfr).map(|s| s.value);
    let diabetes = record.has_active(C::Type2Diabetes);
    let organ_damage = egfr.is_some_and(|e| e < 60.0) || record.latest(K::Uacr).is_some_and(|s| s.value > 30.0);
    let fh = record.has_active(C::FamilialHypercholesterolaemia);
    let ldl_max = record
        .series(K::LdlCholesterol)
        .iter()
        .map(|s| s.value)
        .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
    let age_v = age.unwrap_or(60.0);
    let (high, very_high) = score2_thresholds(age_v);
    if ascvd {
        return (RiskCategory::VeryHigh, "established atherosclerotic cardiovascular disease".into());
    }
    if diabetes && organ_damage {
        return (RiskCategory::VeryHigh, "diabetes with kidney damage".into());
    }
    if egfr.is_some_and(|e| e < 30.0) {
        return (RiskCategory::VeryHigh, "eGFR below 30".into());
    }
    if let Some(r) = score2.filter(|r| *r >= very_high) {
        return (RiskCategory::VeryHigh, format!("SCORE2 {r:.1}% ≥ {very_high}% at age {age_v:.0}"));
    }
    if fh {
        return (RiskCategory::High, "familial hypercholesterolaemia".into());
    }
    if diabetes {
        return (RiskCategory::High, "diabetes".into());
    }
    if egfr.is_some_and(|e| e < 60.0) {
        return (RiskCategory::High, "eGFR 30–59".into());
    }
    if let Some(l) = ldl_max.filter(|l| *l >= 4.9) {
        return (RiskCategory::High, format!("LDL-C {l:.1} mmol/L on record, 4.9 (190 mg/dL) or more"));
    }
    match score2 {
        Some(r) if r >= high => (RiskCategory::High, format!("SCORE2 {r:.1}% ≥ {high}% at age {age_v:.0}")),
        Some(r) => (
            RiskCategory::Moderate,
            format!("SCORE2 {r:.1}% < {high}% at age {age_v:.0}: low to moderate (ESC 2021), the moderate goal"),
        ),
        None if age.is_some_and(|a| a < 40.0) && !heart_failure => {
            (RiskCategory::Low, format!("age {age_v:.0}, under SCORE2's ages, no risk condition on record"))
        }
        None => (RiskCategory::Moderate, format!("no SCORE2 ({why_none}); taken as moderate")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::safety::testing::{Rec, TODAY};
    use super::*;
    use crate::record::Sex;

    fn t(r: Rec, score2: Result<f64, String>) -> Targets {
        targets(&r.build(), TODAY, score2)
    }

    #[test]
    fn most_adults_aim_at_120_to_129_with_floors() {
        let x = t(Rec::new(60, Sex::Male), Ok(3.0));
        assert_eq!((x.sbp_below, x.dbp_below, x.sbp_floor, x.dbp_floor), (130.0, 80.0, Some(120.0), Some(70.0)));
        assert_eq!(x.bp_kind, BpTargetKind::Standard);
        assert!(x.bp_source.contains("ESC 2024"));
        // 80–84 and not frail: the same target (ESC 2024; the DBP floor rule protects them).
        assert_eq!(t(Rec::new(82, Sex::Female), Ok(20.0)).bp_kind, BpTargetKind::Standard);
    }

    #[test]
    fn at_85_or_frail_or_orthostatic_or_falls_the_target_is_relaxed() {
        let x = t(Rec::new(95, Sex::Female), Err("age".into()));
        assert_eq!((x.sbp_below, x.sbp_floor, x.bp_kind), (140.0, Some(130.0), BpTargetKind::Alara));
        assert!(x.bp_reason.contains("age 95"), "{}", x.bp_reason);
        for kind in [C::Frailty, C::OrthostaticHypotension, C::HistoryOfFalls] {
            let x = t(Rec::new(70, Sex::Male).condition(kind), Ok(10.0));
            assert_eq!(x.bp_kind, BpTargetKind::Alara, "{kind:?}");
        }
    }

    #[test]
    fn pregnancy_aims_below_140_90_with_a_diastolic_floor_of_80() {
        let x = t(Rec::new(31, Sex::Female).condition(C::Pregnancy), Err("age".into()));
        assert_eq!(
            (x.sbp_below, x.dbp_below, x.dbp_floor, x.bp_kind),
            (140.0, 90.0, Some(80.0), BpTargetKind::Pregnancy)
        );
    }

    #[test]
    fn score2_bands_by_age_without_the_old_one_percent_cut_off() {
        // 46: high from 2.5 %, so 1.5 % is low to moderate, not "moderate because ≥ 1 %".
        let x = t(Rec::new(46, Sex::Female), Ok(1.5));
        assert_eq!(x.category, RiskCategory::Moderate);
        assert!(x.ldl_reason.contains("low to moderate"), "{}", x.ldl_reason);
        assert_eq!(t(Rec::new(46, Sex::Female), Ok(3.0)).category, RiskCategory::High);
        assert_eq!(t(Rec::new(46, Sex::Female), Ok(8.0)).category, RiskCategory::VeryHigh);
        assert_eq!(t(Rec::new(65, Sex::Male), Ok(8.0)).category, RiskCategory::High);
        assert_eq!(t(Rec::new(75, Sex::Male), Ok(8.0)).category, RiskCategory::High);
        assert_eq!(t(Rec::new(75, Sex::Male), Ok(7.0)).category, RiskCategory::Moderate);
    }

    #[test]
    fn heart_failure_does_not_use_score2() {
        let x = t(Rec::new(70, Sex::Male).condition(C::HeartFailureReducedEf), Ok(25.0));
        assert_eq!(x.category, RiskCategory::Moderate);
        assert!(x.ldl_reason.contains("heart failure"), "{}", x.ldl_reason);
    }

    #[test]
    fn ascvd_and_high_ldl_set_their_categories() {
        let x = t(Rec::new(60, Sex::Male).condition(C::MyocardialInfarction), Ok(2.0));
        assert_eq!(x.category, RiskCategory::VeryHigh);
        let x = t(Rec::new(45, Sex::Male).lab(K::LdlCholesterol, 10.3), Ok(2.0));
        assert_eq!(x.category, RiskCategory::High);
        let x = t(Rec::new(25, Sex::Male), Err("age 25 is outside 40–89".into()));
        assert_eq!(x.category, RiskCategory::Low);
    }
}
