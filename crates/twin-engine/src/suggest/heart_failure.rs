//! Guideline-directed therapy for heart failure as a plan of care: the four pillars started and
//! titrated, ivabradine where it belongs, loop diuretics for congestion only, and device
//! assessment, each change checked by the safety rules on the regimen it produces.
//!
//! # Order and doses
//! - **HFrEF (EF ≤ 40 %):** an ARNI (sacubitril/valsartan) or ACE inhibitor/ARB, an
//!   evidence-based beta-blocker, an MRA and an SGLT2 inhibitor, all class I (McDonagh TA et al.
//!   2021 ESC heart-failure guidelines, Eur Heart J 2021;42:3599, and the 2023 focused update,
//!   Eur Heart J 2023;44:3627; Heidenreich PA et al. 2022 AHA/ACC/HFSA guideline, Circulation
//!   2022;145:e895). A patient on an ACE inhibitor or ARB who remains symptomatic (NYHA II–IV)
//!   is switched to sacubitril/valsartan (ESC 2021 class I), 36 hours after the last ACE
//!   inhibitor dose; one on neither starts it de novo (ACC/AHA/HFSA 2022 class 1; ESC IIb), or an
//!   ACE inhibitor where eGFR is below 30 or SBP below 100 mmHg.
//! - Missing pillars come first, then titration towards the trials' target doses
//!   ([`target_daily_mg`], ESC 2021 Table 8); with SBP under 110 mmHg the pillars that barely
//!   lower BP (SGLT2 inhibitor, MRA) go first and a step changes one BP-lowering drug at most.
//!   Steps are a month apart (ESC 2021: titrate every 1–2 weeks in hospital, 2–4 weeks as an
//!   outpatient; STRONG-HF titrated over 6 weeks), at most two drug changes each (the plan of
//!   care's rule, [`super::plan`]), one change a drug, and one potassium-raising change (RAAS
//!   blocker or MRA) a step, so a rise in K⁺ or creatinine has one cause.
//! - Sacubitril/valsartan starts at 49/51 mg twice daily, or at 24/26 mg for the reasons the
//!   labels give and no others ([`arni_start`]): no ACE inhibitor or ARB to switch from, or a
//!   low dose of one; eGFR under 30; eGFR 30–60 and SBP 100–110 mmHg (EU SmPC only). Age is not a
//!   reason; moderate hepatic impairment (both labels) is not in the record the twin reads.
//! - Gates (ESC 2021 practical guidance, Tables 8–10 and the titration sections): a RAAS blocker
//!   or MRA is started or raised only with K⁺ ≤ 5.0 mmol/L and eGFR ≥ 30; SGLT2 inhibitors from
//!   eGFR 20 (EMPEROR-Reduced's floor); a beta-blocker started or raised at a heart rate of 60 or
//!   more and SBP of 90 or more; ivabradine in sinus rhythm at 70 bpm or more with EF ≤ 35 %
//!   once the beta-blocker is at target or cannot be raised (ESC 2021 class IIa; SHIFT).
//! - **Loop diuretics** relieve congestion and do not change prognosis (ESC 2021 class I for
//!   congestion only): never started by the plan; one on record is reviewed against congestion.
//! - **Devices:** an ICD when EF ≤ 35 % after ≥ 3 months of optimised therapy in NYHA II–III
//!   and expected to survive substantially longer than a year (ESC 2021: class I ischaemic, IIa
//!   non-ischaemic); CRT by QRS width and morphology: LBBB ≥ 150 ms class I, LBBB 130–149 ms or
//!   non-LBBB ≥ 150 ms IIa, non-LBBB 130–149 ms IIb, under 130 ms not indicated.
//! - **EF above 40 %:** an SGLT2 inhibitor (ESC 2023 class I for HFmrEF and HFpEF; DELIVER,
//!   EMPEROR-Preserved); the rest is BP and lipid care as usual.

use time::Date;

use super::plan::{checks_for, to_interventions, Action, PlanStep, PlannedChange};
use super::safety::{Alert, Change, RegimenDrug, SafetyFacts, Severity};
use crate::drugs::{DoseLevel, DrugClass as D};
use crate::formulary;
use crate::progression::heart_failure::HeartFailureBaseline;
use crate::progression::scenario::Intervention;
use crate::progression::Baseline;
use crate::record::{ConditionKind, MeasurementKind as K, NyhaClass, PatientRecord};

/// Potassium above which no RAAS blocker or MRA is started or raised, mmol/L (ESC 2021).
pub const K_MAX: f64 = 5.0;
/// eGFR below which no RAAS blocker or MRA is started or raised (ESC 2021), and below which an
/// ARNI starts at its lowest dose (FDA Entresto label §2.5 "severe renal impairment (eGFR
/// < 30 mL/min/1.73 m²)"; EU SmPC §4.2 likewise).
pub const EGFR_MIN: f64 = 30.0;
/// eGFR below which sacubitril/valsartan starts at 24/26 mg by the EU SmPC (§4.2, moderate renal
/// impairment, eGFR 30–60: "should be considered"), mL/min/1.73 m².
pub const ARNI_MODERATE_RENAL_BELOW: f64 = 60.0;
/// eGFR below which no SGLT2 inhibitor is started (EMPEROR-Reduced enrolled from 20).
pub const EGFR_SGLT2_MIN: f64 = 20.0;
/// SBP below which no ARNI is started (PARADIGM-HF's run-in), mmHg.
pub const SBP_ARNI_MIN: f64 = 100.0;
/// SBP below which an ARNI starts at 24/26 mg and one BP-lowering change is made at a time, mmHg
/// (EU SmPC for Entresto, §4.2: "A starting dose of 24 mg/26 mg twice daily should be
/// considered for patients with SBP ≥ 100 to 110 mmHg"; the FDA label has no SBP rule).
pub const SBP_CAUTIOUS: f64 = 110.0;
/// SBP below which no beta-blocker is started or raised, mmHg (ESC 2021: symptomatic hypotension
/// or SBP < 90 stops titration).
pub const SBP_BETA_BLOCKER_MIN: f64 = 90.0;
/// Heart rate below which no beta-blocker is started or raised, bpm (ESC 2021: a rate under 50
/// stops titration; the safety rules keep any rate-slowing start from under 55).
pub const HR_BETA_BLOCKER_MIN: f64 = 50.0;
/// Heart rate from which ivabradine is added in sinus rhythm, bpm (ESC 2021; SHIFT).
pub const HR_IVABRADINE_MIN: f64 = 70.0;
/// EF at or below which ivabradine and an ICD are considered, %.
pub const EF_DEVICE_MAX: f64 = 35.0;
/// Days of optimised therapy before a device is assessed (ESC 2021: ≥ 3 months).
pub const OPTIMISED_DAYS: i64 = 90;

/// The trials' target daily dose of an agent in heart failure, mg (ESC 2021 Table 8, evidence-
/// based doses): where the plan titrates to. `None` for agents without one.
pub fn target_daily_mg(agent: &str) -> Option<f64> {
    Some(match agent {
        "ramipril" => 10.0,
        "enalapril" => 20.0,
        "lisinopril" => 20.0,
        "candesartan" => 32.0,
        "valsartan" => 320.0,
        "losartan" => 150.0,
        // 97/103 mg twice daily, named by its total milligrams.
        "sacubitril" => 400.0,
        "bisoprolol" => 10.0,
        // 25 mg twice daily (the US label allows 50 mg twice daily above 85 kg; the formulary's
        // maximum, and the plan's target, is 50 mg a day).
        "carvedilol" => 50.0,
        "metoprolol" => 200.0,
        "nebivolol" => 10.0,
        "spironolactone" => 50.0,
        "eplerenone" => 50.0,
        "dapagliflozin" | "empagliflozin" => 10.0,
        "ivabradine" => 15.0,
        _ => return None,
    })
}

/// What the heart-failure plan reads of the patient.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartFailureFacts {
    /// EF ≤ 40 %.
    pub reduced_ef: bool,
    /// EF above 40 % now, with heart failure with reduced EF on record (HFimpEF).
    pub improved_ef: bool,
    /// Latest serum creatinine, µmol/L.
    pub creatinine: Option<f64>,
    /// Days since the latest potassium, where one is on record.
    pub potassium_age_days: Option<i64>,
    /// Latest EF, %.
    pub ef: f64,
    /// Latest NYHA class.
    pub nyha: NyhaClass,
    /// SBP for the plan's gates, mmHg: the lower of the twin's estimate of today and the latest
    /// reading (the estimate follows a fall slowly; a gate must not).
    pub sbp: f64,
    /// Resting heart rate for the gates, bpm: the lower of the twin's and the latest reading.
    pub heart_rate: f64,
    /// Latest potassium, mmol/L.
    pub potassium: Option<f64>,
    /// Latest eGFR.
    pub egfr: Option<f64>,
    /// Age, years.
    pub age: f64,
    /// Atrial fibrillation or flutter on record (no sinus rhythm for ivabradine).
    pub atrial_fibrillation: bool,
    /// Latest QRS duration, ms.
    pub qrs_ms: Option<f64>,
    /// Left bundle-branch block on record.
    pub lbbb: bool,
    /// Ischaemic aetiology (coronary disease or MI on record): ICD class I rather than IIa.
    pub ischaemic: bool,
    /// A rise in weight of [`crate::twin::RAPID_GAIN_KG`] or more within three days, kg, where
    /// the readings show one ([`crate::twin::weight_trend`]).
    pub weight_gain_3d: Option<f64>,
}

impl HeartFailureFacts {
    /// Reads the record on `today` with the twin's baseline.
    pub fn of(record: &PatientRecord, today: Date, baseline: &Baseline, hf: &HeartFailureBaseline) -> Self {
        let latest = |k: K| record.latest(k).map(|s| s.value);
        let has = |k: ConditionKind| record.has_condition(k);
        let weight_gain_3d = crate::twin::weight_trend(record, today).and_then(|t| t.rapid_gain).map(|g| g.kg);
        let latest_k = record.latest(K::Potassium);
        Self {
            reduced_ef: hf.reduced_ef,
            improved_ef: !hf.reduced_ef && has(ConditionKind::HeartFailureReducedEf),
            creatinine: latest(K::Creatinine),
            potassium_age_days: latest_k.map(|s| (today - s.date).whole_days()),
            ef: hf.maggic.ejection_fraction,
            nyha: hf.maggic.nyha,
            sbp: latest(K::Sbp).map_or(baseline.sbp.0, |s| s.min(baseline.sbp.0)),
            heart_rate: latest(K::HeartRate).map_or(baseline.heart_rate, |h| h.min(baseline.heart_rate)),
            potassium: latest(K::Potassium),
            egfr: latest(K::Egfr).or(baseline.egfr),
            age: baseline.age,
            atrial_fibrillation: has(ConditionKind::AtrialFibrillation),
            qrs_ms: latest(K::QrsDuration),
            lbbb: has(ConditionKind::LeftBundleBranchBlock),
            ischaemic: has(ConditionKind::CoronaryArteryDisease) || has(ConditionKind::MyocardialInfarction),
            weight_gain_3d,
        }
    }

    fn potassium_ok(&self) -> bool {
        self.potassium.is_none_or(|k| k <= K_MAX)
    }

    fn egfr_at_least(&self, floor: f64) -> bool {
        self.egfr.is_none_or(|e| e >= floor)
    }
}

/// A planned drug change with its interventions and the safety rules' cautions.
struct Planned {
    change: PlannedChange,
    safety: Change,
    lowers_bp: bool,
    alerts: Vec<Alert>,
    /// A condition the step waits for ("if resting heart rate is still 70 bpm or more"): such a
    /// change takes a step of its own.
    condition: Option<String>,
}

/// Potassium above which an MRA is halved, mmol/L (ESC 2021 practical guidance on MRAs).
pub const K_HALVE_MRA: f64 = 5.5;
/// Potassium above which an MRA is stopped, mmol/L (ESC 2021).
pub const K_STOP_MRA: f64 = 6.0;
/// Creatinine above which an MRA is halved, µmol/L (2.5 mg/dL; ESC 2021).
pub const CREATININE_HALVE_MRA: f64 = 221.0;
/// Creatinine above which an MRA is stopped, µmol/L (3.5 mg/dL; ESC 2021).
pub const CREATININE_STOP_MRA: f64 = 310.0;
/// eGFR below which an MRA is stopped (ESC 2021).
pub const EGFR_STOP_MRA: f64 = 20.0;
/// Days after which the potassium on record is measured again before a RAAS or MRA change: 90.
/// Ours; ESC 2021 checks potassium and creatinine before and 1–2 weeks after each change.
pub const POTASSIUM_RECHECK_DAYS: i64 = 90;

/// "K⁺ 5.4 mmol/L (started at ≤ 5.0); eGFR 25 (started from 30)" for the gates that hold.
fn gate_words(gates: &[(bool, Option<String>)]) -> Option<String> {
    let words: Vec<String> = gates.iter().filter(|(held, _)| *held).filter_map(|(_, w)| w.clone()).collect();
    (!words.is_empty()).then(|| words.join("; "))
}

/// The corrections a plan makes first: a drug the safety rules forbid in the regimen on record
/// is stopped (the second RAAS blocker keeps sacubitril/valsartan, else the ACE inhibitor), and an
/// MRA is halved at K⁺ > 5.5 mmol/L, creatinine > 221 µmol/L or eGFR < 30, stopped at K⁺ > 6.0,
/// creatinine > 310 or eGFR < 20 (ESC 2021 practical guidance on MRAs).
fn corrections(facts: &SafetyFacts, hf: &HeartFailureFacts, now: &mut Vec<RegimenDrug>, planned: &mut Vec<Planned>) {
    use super::safety::{AppliesTo, RuleId};
    let on = |now: &[RegimenDrug], c: D| now.iter().any(|r| r.class == c);
    let mut stop = |now: &mut Vec<RegimenDrug>, class: D, alerts: Vec<Alert>| {
        if on(now, class) && !planned.iter().any(|p| p.change.class == Some(class)) {
            let safety = Change::Stop(class);
            *now = safety.apply(now);
            let change = PlannedChange::drug(Action::Stop, class, None, None);
            planned.push(Planned { change, safety, lowers_bp: false, alerts, condition: None });
        }
    };
    for alert in facts.current_alerts(now) {
        if alert.severity != Severity::Contraindicated || alert.applies_to != AppliesTo::Current {
            continue;
        }
        let class = match alert.rule {
            // Potassium and kidney function on an MRA are the MRA rule's below (halved first).
            RuleId::HyperkalaemiaOnRaas | RuleId::MraEgfr => None,
            RuleId::DualRaas => match (on(now, D::AceInhibitor), on(now, D::Arb), on(now, D::Arni)) {
                // Beside sacubitril/valsartan the ACE inhibitor or ARB goes (PARADIGM-HF's arm).
                (true, _, true) => Some(D::AceInhibitor),
                (false, true, true) => Some(D::Arb),
                // An ACE inhibitor with an ARB: the ARB goes (ONTARGET).
                (true, true, false) => Some(D::Arb),
                _ => None,
            },
            _ => alert.classes.last().copied(),
        };
        if let Some(class) = class {
            stop(now, class, vec![alert]);
        }
    }
    let Some(mra) = now.iter().find(|r| r.class == D::Mra).cloned() else { return };
    let k = hf.potassium.unwrap_or(0.0);
    let creatinine = hf.creatinine.unwrap_or(0.0);
    let egfr = hf.egfr.unwrap_or(f64::INFINITY);
    let why = |k_limit: f64, c_limit: f64, e_limit: f64| {
        gate_words(&[
            (k > k_limit, Some(format!("K⁺ {k:.1} mmol/L"))),
            (creatinine > c_limit, Some(format!("creatinine {creatinine:.0} µmol/L"))),
            (egfr < e_limit, Some(format!("eGFR {egfr:.0}"))),
        ])
    };
    if let Some(w) = why(K_STOP_MRA, CREATININE_STOP_MRA, EGFR_STOP_MRA) {
        let mut change = PlannedChange::drug(Action::Stop, D::Mra, None, None);
        change.label = format!("stop the MRA: {w} (ESC 2021)");
        let safety = Change::Stop(D::Mra);
        *now = safety.apply(now);
        planned.push(Planned { change, safety, lowers_bp: false, alerts: Vec::new(), condition: None });
    } else if let Some(w) = why(K_HALVE_MRA, CREATININE_HALVE_MRA, EGFR_MIN) {
        let agent = agent_of(now, D::Mra);
        let mg_now =
            mra.daily_mg.or_else(|| formulary::dose_for_level(agent, mra.dose)).unwrap_or(agent.standard_daily_mg);
        if let Some(mg) = formulary::previous_dose(agent, mg_now) {
            let level = DoseLevel::from_ratio(mg / agent.standard_daily_mg);
            let mut change = PlannedChange::drug(Action::Lower, D::Mra, None, Some(level));
            change.daily_mg = Some(mg);
            change.agent = Some(agent.name);
            change.label = format!("halve the MRA: {w} (ESC 2021)");
            let safety = Change::Lower(D::Mra, level);
            if let Some(r) = now.iter_mut().find(|r| r.class == D::Mra) {
                r.dose = level;
                r.daily_mg = Some(mg);
            }
            planned.push(Planned { change, safety, lowers_bp: false, alerts: Vec::new(), condition: None });
        }
    }
}

/// Takes `p` into the plan when the safety rules allow the regimen `after` it (its cautions
/// attached), else excludes it with the rule.
fn accept(
    facts: &SafetyFacts,
    now: &mut Vec<RegimenDrug>,
    after: Vec<RegimenDrug>,
    mut p: Planned,
    planned: &mut Vec<Planned>,
    excluded: &mut Vec<(String, Vec<Alert>)>,
) {
    let alerts = facts.check_change(now, &p.safety, &after);
    if alerts.iter().any(|a| a.severity == Severity::Contraindicated) {
        let forbidding = alerts.into_iter().filter(|a| a.severity == Severity::Contraindicated).collect();
        excluded.push((p.change.label.clone(), forbidding));
        return;
    }
    *now = after;
    p.alerts = alerts;
    planned.push(p);
}

/// The heart-failure plan: its steps (each with the interventions that project it) and the
/// changes the safety rules forbade.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartFailurePlan {
    /// Now, then monthly titration steps, then reviews.
    pub steps: Vec<(PlanStep, Vec<Intervention>)>,
    /// Changes never proposed, with the rule.
    pub excluded: Vec<(String, Vec<Alert>)>,
}

/// The agent on record for a class, or the class's usual one.
fn agent_of(regimen: &[RegimenDrug], class: D) -> &'static formulary::Agent {
    regimen.iter().find(|r| r.class == class).map_or_else(|| formulary::preferred_agent(class), agent_for)
}

/// The highest daily dose that is still a "low dose" of an ACE inhibitor or ARB for the
/// sacubitril/valsartan start, mg. The FDA Entresto label (§2.2, §2.5) starts at 24/26 mg twice
/// daily in patients "not currently taking an ACE inhibitor or ARB or previously taking a low
/// dose of these agents", the low dose being "enalapril ≤ 10 mg/day or therapeutically
/// equivalent"; the EU SmPC (§4.2) says the same in words. Equivalents as Novartis's US dosing
/// guide tabulates them (entrestohcp.com, "Dosing": lisinopril ≤ 10 mg, ramipril ≤ 5 mg;
/// valsartan ≤ 160 mg, losartan ≤ 50 mg, olmesartan ≤ 10 mg). Other agents: half their HF target
/// dose ([`target_daily_mg`], ESC 2021 Table 8), which gives the same figure for enalapril,
/// lisinopril, ramipril and valsartan. `None` where neither is known.
pub fn low_raas_dose_ceiling_mg(agent: &str) -> Option<f64> {
    match agent.to_ascii_lowercase().as_str() {
        "enalapril" | "lisinopril" | "olmesartan" => Some(10.0),
        "ramipril" => Some(5.0),
        "valsartan" => Some(160.0),
        "losartan" => Some(50.0),
        other => target_daily_mg(other).map(|t| t / 2.0),
    }
}

/// Why sacubitril/valsartan starts at 24/26 mg rather than 49/51 mg twice daily: only the
/// reasons the FDA label or the EU SmPC gives. Age is not one: the FDA label (§8.5) found no
/// relevant pharmacokinetic difference at 75 or more, and the SmPC doses the elderly "in line
/// with the renal function"; the ACC 2017 decision pathway's "age ≥ 75" row (Yancy CW et al.
/// J Am Coll Cardiol 2018;71:201, Table 3) is in neither label.
#[derive(Debug, Clone, PartialEq)]
pub enum LowArniStart {
    /// Neither an ACE inhibitor nor an ARB to switch from (FDA §2.5; SmPC §4.2).
    NoAceInhibitorOrArb,
    /// An ACE inhibitor or ARB at the label's low dose or below (FDA §2.5; SmPC §4.2).
    LowDose {
        /// The agent, as the record names it.
        agent: String,
        /// Its daily dose on record, mg.
        daily_mg: f64,
        /// The low dose's ceiling for that agent, mg/day ([`low_raas_dose_ceiling_mg`]).
        ceiling_mg: f64,
    },
    /// An ACE inhibitor or ARB whose daily dose the record does not give, or whose equivalence
    /// to enalapril is not tabulated: not shown to be high, so the lower start.
    DoseNotKnown {
        /// The agent, or its class where the record names none.
        agent: String,
    },
    /// eGFR under 30 (FDA §2.5; SmPC §4.2).
    SevereRenalImpairment {
        /// Latest eGFR, mL/min/1.73 m².
        egfr: f64,
    },
    /// eGFR 30–60 (EU SmPC §4.2, moderate renal impairment: "a starting dose of 24 mg/26 mg twice
    /// daily should be considered"; the FDA label adjusts only below 30).
    ModerateRenalImpairment {
        /// Latest eGFR, mL/min/1.73 m².
        egfr: f64,
    },
    /// SBP 100–110 mmHg (EU SmPC §4.2: "should be considered"; under 100 no ARNI is started).
    LowSbp {
        /// SBP for the gates, mmHg ([`HeartFailureFacts::sbp`]).
        sbp: f64,
    },
}

impl LowArniStart {
    fn words(&self) -> String {
        match self {
            Self::NoAceInhibitorOrArb => "no ACE inhibitor or ARB to switch from (Entresto label)".to_string(),
            Self::LowDose { agent, daily_mg, ceiling_mg } => format!(
                "a low dose: {agent} {daily_mg} mg/day (≤ {ceiling_mg} mg/day, the label's enalapril ≤ 10 mg/day equivalent)"
            ),
            Self::DoseNotKnown { agent } => format!("{agent}'s dose not in the record (not known to be high)"),
            Self::SevereRenalImpairment { egfr } => format!("eGFR {egfr:.0} (under {EGFR_MIN:.0}; Entresto label)"),
            Self::ModerateRenalImpairment { egfr } => {
                format!("eGFR {egfr:.0} ({EGFR_MIN:.0}–{ARNI_MODERATE_RENAL_BELOW:.0}: EU SmPC)")
            }
            Self::LowSbp { sbp } => format!("SBP {sbp:.0} mmHg (100–{SBP_CAUTIOUS:.0}: EU SmPC)"),
        }
    }
}

/// The sacubitril/valsartan starting dose and the label's reasons for the lower one.
#[derive(Debug, Clone, PartialEq)]
pub struct ArniStart {
    /// Empty: 49/51 mg twice daily; otherwise 24/26 mg, for these reasons.
    pub low: Vec<LowArniStart>,
}

impl ArniStart {
    /// The dose level: half (24/26 mg twice daily) for any reason, else standard (49/51 mg).
    pub fn dose(&self) -> DoseLevel {
        if self.low.is_empty() {
            DoseLevel::Standard
        } else {
            DoseLevel::Half
        }
    }

    /// Gives a change the reasons for a lower start, so the clinician sees why it is 24/26 mg.
    fn explain(&self, change: &mut PlannedChange) {
        if !self.low.is_empty() {
            let why: Vec<String> = self.low.iter().map(LowArniStart::words).collect();
            change.reason = Some(format!("the lower start, for {}", why.join("; ")));
        }
    }
}

/// The starting dose of sacubitril/valsartan for a patient on `regimen` (FDA Entresto label
/// §2.2–2.5: 49/51 mg twice daily, 24/26 mg for the reasons of [`LowArniStart`]).
pub fn arni_start(hf: &HeartFailureFacts, regimen: &[RegimenDrug]) -> ArniStart {
    let mut low = Vec::new();
    match regimen.iter().find(|r| matches!(r.class, D::AceInhibitor | D::Arb)) {
        None => low.push(LowArniStart::NoAceInhibitorOrArb),
        Some(raas) => {
            let agent = raas
                .agent
                .clone()
                .unwrap_or_else(|| if raas.class == D::AceInhibitor { "ACE inhibitor" } else { "ARB" }.to_string());
            match (raas.daily_mg, raas.agent.as_deref().and_then(low_raas_dose_ceiling_mg)) {
                (Some(daily_mg), Some(ceiling_mg)) if daily_mg <= ceiling_mg + 1e-9 => {
                    low.push(LowArniStart::LowDose { agent, daily_mg, ceiling_mg })
                }
                (Some(_), Some(_)) => {}
                _ => low.push(LowArniStart::DoseNotKnown { agent }),
            }
        }
    }
    if let Some(egfr) = hf.egfr.filter(|e| *e < EGFR_MIN) {
        low.push(LowArniStart::SevereRenalImpairment { egfr });
    } else if let Some(egfr) = hf.egfr.filter(|e| *e < ARNI_MODERATE_RENAL_BELOW) {
        low.push(LowArniStart::ModerateRenalImpairment { egfr });
    }
    if hf.sbp < SBP_CAUTIOUS {
        low.push(LowArniStart::LowSbp { sbp: hf.sbp });
    }
    ArniStart { low }
}

/// The formulary agent a regimen entry names, or its class's preferred agent where it names none
/// (or one of another class).
fn agent_for(drug: &RegimenDrug) -> &'static formulary::Agent {
    drug.agent
        .as_deref()
        .and_then(formulary::agent_by_name)
        .filter(|a| a.class == drug.class)
        .unwrap_or_else(|| formulary::preferred_agent(drug.class))
}

/// The next dose towards the agent's HF target, as a dose level and daily mg; `None` at target:
/// the lowest rung of the ladder at least double today's, as ESC 2021 titrates ("double the dose
/// at not less than 2-week intervals"), never past the target.
fn towards_target(drug: &RegimenDrug) -> Option<(DoseLevel, f64)> {
    let agent = agent_for(drug);
    let target = target_daily_mg(agent.name)?;
    let now = drug.daily_mg.or_else(|| formulary::dose_for_level(agent, drug.dose))?;
    if now >= target - 1e-9 {
        return None;
    }
    let mut next = formulary::next_dose(agent, now)?;
    while next < 2.0 * now - 1e-9 && next < target - 1e-9 {
        match formulary::next_dose(agent, next) {
            Some(up) => next = up,
            None => break,
        }
    }
    let mg = next.min(target);
    (mg > now + 1e-9).then_some((DoseLevel::from_ratio(mg / agent.standard_daily_mg), mg))
}

/// Builds the heart-failure plan for a patient with heart failure on record; `None` when it has
/// nothing to add (EF above 40 % on an SGLT2 inhibitor: BP and lipid care as usual).
pub fn plan(
    record: &PatientRecord,
    facts: &SafetyFacts,
    hf: &HeartFailureFacts,
    regimen: &[RegimenDrug],
    baseline: &Baseline,
    today: Date,
) -> Option<HeartFailurePlan> {
    let on = |now: &[RegimenDrug], c: D| now.iter().any(|r| r.class == c);
    let mut now = regimen.to_vec();
    let mut planned: Vec<Planned> = Vec::new();
    let mut excluded: Vec<(String, Vec<Alert>)> = Vec::new();
    let mut ivabradine_later: Option<PlannedChange> = None;
    // Pillars not started, and why: said, so a missing drug never reads as an oversight.
    let mut held: Vec<String> = Vec::new();
    let cautious = hf.sbp < SBP_CAUTIOUS;

    // Corrections first: what the rules forbid in the regimen on record is stopped (diltiazem in
    // HFrEF, an ACE inhibitor or ARNI after angioedema, the second of two RAAS blockers), and an
    // MRA is halved or stopped for potassium or kidney function (ESC 2021).
    corrections(facts, hf, &mut now, &mut planned);
    // Atrial fibrillation's actions (anticoagulation and its dose; the beta-blocker is the
    // titration's below).
    for (change, safety) in super::af_care::actions(facts, &now) {
        if change.class == Some(D::BetaBlocker) {
            continue;
        }
        now = super::af_care::applied(&now, &change, safety);
        planned.push(Planned { change, safety, lowers_bp: false, alerts: Vec::new(), condition: None });
    }

    let mut wanted: Vec<(PlannedChange, Change, bool)> = Vec::new();
    if hf.reduced_ef {
        let raas_gate = gate_words(&[
            (!hf.potassium_ok(), hf.potassium.map(|k| format!("K⁺ {k:.1} mmol/L (started at ≤ {K_MAX:.1})"))),
            (!hf.egfr_at_least(EGFR_MIN), hf.egfr.map(|e| format!("eGFR {e:.0} (started from {EGFR_MIN:.0})"))),
        ]);
        let arni = arni_start(hf, &now);
        let arni_dose = arni.dose();
        if ![D::AceInhibitor, D::Arb, D::Arni].iter().any(|c| on(&now, *c)) {
            match &raas_gate {
                Some(why) => held.push(format!("no ACE inhibitor, ARB or ARNI started: {why} (ESC 2021)")),
                None => {
                    // Sacubitril/valsartan de novo (ACC/AHA/HFSA 2022), else an ACE inhibitor,
                    // else an ARB (after angioedema, with caution): the first the rules allow.
                    let mut options = Vec::new();
                    if hf.sbp >= SBP_ARNI_MIN {
                        options.push((D::Arni, arni_dose));
                    }
                    options.extend([(D::AceInhibitor, DoseLevel::Half), (D::Arb, DoseLevel::Half)]);
                    let allowed = options.into_iter().find(|(c, d)| {
                        let change = Change::Start(*c, *d);
                        let after = change.apply(&now);
                        !facts
                            .check_change(&now, &change, &after)
                            .iter()
                            .any(|a| a.severity == Severity::Contraindicated)
                    });
                    if let Some((class, dose)) = allowed {
                        let mut change = PlannedChange::drug(Action::Start, class, None, Some(dose));
                        if class == D::Arni {
                            arni.explain(&mut change);
                        }
                        // Candesartan is the ARB with heart-failure outcome trials (CHARM).
                        if class == D::Arb {
                            let agent = &formulary::agents::CANDESARTAN;
                            change.agent = Some(agent.name);
                            change.daily_mg = agent.ladder.first().map(formulary::Dose::daily_mg);
                        }
                        wanted.push((change, Change::Start(class, dose), true));
                    }
                }
            }
        } else if hf.nyha >= NyhaClass::Ii && !on(&now, D::Arni) {
            if let Some(from) = [D::AceInhibitor, D::Arb].into_iter().find(|c| on(&now, *c)) {
                let sbp_low =
                    (hf.sbp < SBP_ARNI_MIN).then(|| format!("SBP {:.0} mmHg (from {SBP_ARNI_MIN:.0})", hf.sbp));
                match raas_gate.clone().or(sbp_low) {
                    Some(why) => {
                        held.push(format!("sacubitril/valsartan not proposed: {why} (ESC 2021; Entresto label)"))
                    }
                    None => {
                        let mut change = PlannedChange::drug(Action::Switch, D::Arni, Some(from), Some(arni_dose));
                        arni.explain(&mut change);
                        if from == D::AceInhibitor {
                            change.label.push_str(" (36 hours after the last ACE-inhibitor dose)");
                        }
                        wanted.push((change, Change::Switch(from, D::Arni, arni_dose), true));
                    }
                }
            }
        }
        if !on(&now, D::BetaBlocker) {
            match gate_words(&[
                (
                    hf.heart_rate < HR_BETA_BLOCKER_MIN,
                    Some(format!("heart rate {:.0} bpm (from {HR_BETA_BLOCKER_MIN:.0})", hf.heart_rate)),
                ),
                (
                    hf.sbp < SBP_BETA_BLOCKER_MIN,
                    Some(format!("SBP {:.0} mmHg (from {SBP_BETA_BLOCKER_MIN:.0})", hf.sbp)),
                ),
            ]) {
                Some(why) => held.push(format!("no beta-blocker started: {why} (ESC 2021)")),
                None => {
                    // The lowest rung: bisoprolol 1.25 mg (ESC 2021 Table 8's starting dose).
                    let agent = formulary::preferred_agent(D::BetaBlocker);
                    let mg = agent.ladder.first().map_or(agent.standard_daily_mg / 2.0, formulary::Dose::daily_mg);
                    let level = DoseLevel::from_ratio(mg / agent.standard_daily_mg);
                    let mut change = PlannedChange::drug(Action::Start, D::BetaBlocker, None, Some(level));
                    change.daily_mg = Some(mg);
                    change.agent = Some(agent.name);
                    wanted.push((change, Change::Start(D::BetaBlocker, level), true));
                }
            }
        }
        if !on(&now, D::Mra) {
            match &raas_gate {
                Some(why) => held.push(format!("no MRA started: {why} (ESC 2021)")),
                None => wanted.push((
                    PlannedChange::drug(Action::Start, D::Mra, None, Some(DoseLevel::Standard)),
                    Change::Start(D::Mra, DoseLevel::Standard),
                    false,
                )),
            }
        }
        if !on(&now, D::Sglt2Inhibitor) {
            if hf.egfr_at_least(EGFR_SGLT2_MIN) {
                wanted.push((
                    PlannedChange::drug(Action::Start, D::Sglt2Inhibitor, None, Some(DoseLevel::Standard)),
                    Change::Start(D::Sglt2Inhibitor, DoseLevel::Standard),
                    false,
                ));
            } else {
                held.push(format!(
                    "no SGLT2 inhibitor started: eGFR {:.0} (from {EGFR_SGLT2_MIN:.0}, EMPEROR-Reduced)",
                    hf.egfr.unwrap_or(0.0)
                ));
            }
        }
        // With a low SBP the pillars that barely lower BP go first.
        if cautious {
            wanted.sort_by_key(|(_, _, lowers)| *lowers);
        }
    } else if hf.improved_ef {
        // EF improved above 40 % on treatment (HFimpEF): continue every drug (TRED-HF).
        held.push(format!(
            "EF {:.0} % after a reduced EF: continue every heart-failure drug (withdrawal led to relapse in TRED-HF, Halliday BP et al. Lancet 2019;393:61; ESC 2023)",
            hf.ef
        ));
        if !on(&now, D::Sglt2Inhibitor) && hf.egfr_at_least(EGFR_SGLT2_MIN) {
            wanted.push((
                PlannedChange::drug(Action::Start, D::Sglt2Inhibitor, None, Some(DoseLevel::Standard)),
                Change::Start(D::Sglt2Inhibitor, DoseLevel::Standard),
                false,
            ));
        }
    } else if !on(&now, D::Sglt2Inhibitor) && hf.egfr_at_least(EGFR_SGLT2_MIN) {
        wanted.push((
            PlannedChange::drug(Action::Start, D::Sglt2Inhibitor, None, Some(DoseLevel::Standard)),
            Change::Start(D::Sglt2Inhibitor, DoseLevel::Standard),
            false,
        ));
    } else if planned.is_empty() {
        return None;
    }

    // Check each start on the regimen it produces; a forbidden one is excluded with its rule.
    for (change, safety, lowers_bp) in wanted {
        let mut after = safety.apply(&now);
        // A start at a named dose off the levels (bisoprolol 1.25 mg) titrates from that dose.
        if let (Some(mg), Some(class)) = (change.daily_mg, change.class) {
            if let Some(r) = after.iter_mut().find(|r| r.class == class) {
                r.daily_mg = Some(mg);
                r.agent = change.agent.map(str::to_string);
            }
        }
        accept(
            facts,
            &mut now,
            after,
            Planned { change, safety, lowers_bp, alerts: Vec::new(), condition: None },
            &mut planned,
            &mut excluded,
        );
    }
    // Titration towards the target doses: RAAS, beta-blocker, MRA, one rung each per pass.
    if hf.reduced_ef {
        for _pass in 0..3 {
            for class in [D::Arni, D::AceInhibitor, D::Arb, D::BetaBlocker, D::Mra] {
                let Some(drug) = now.iter().find(|r| r.class == class).cloned() else { continue };
                let gate = match class {
                    D::BetaBlocker => hf.heart_rate >= HR_BETA_BLOCKER_MIN && hf.sbp >= SBP_BETA_BLOCKER_MIN,
                    D::Arni | D::AceInhibitor | D::Arb => {
                        hf.sbp >= SBP_ARNI_MIN && hf.potassium_ok() && hf.egfr_at_least(EGFR_MIN)
                    }
                    _ => hf.potassium_ok() && hf.egfr_at_least(EGFR_MIN),
                };
                let Some((level, mg)) = towards_target(&drug).filter(|_| gate) else { continue };
                let agent = agent_of(&now, class);
                let mut change = PlannedChange::drug(Action::Raise, class, None, Some(level));
                change.label = format!("raise to {} (towards the trials' target dose)", formulary::describe(agent, mg));
                change.agent = Some(agent.name);
                change.daily_mg = Some(mg);
                let mut next = now.clone();
                if let Some(r) = next.iter_mut().find(|r| r.class == class) {
                    r.dose = level;
                    r.daily_mg = Some(mg);
                }
                let safety = Change::Raise(class, level);
                let p = Planned { change, safety, lowers_bp: class != D::Mra, alerts: Vec::new(), condition: None };
                accept(facts, &mut now, next, p, &mut planned, &mut excluded);
            }
        }
        // Ivabradine: sinus rhythm, EF ≤ 35 %, still ≥ 70 bpm with the beta-blocker at target.
        // When this plan starts or raises the beta-blocker, today's rate says nothing of the rate
        // on it: ivabradine is then a reassessment after the titration, not a projected start.
        let beta_at_target = now.iter().find(|r| r.class == D::BetaBlocker).is_none_or(|b| towards_target(b).is_none());
        let beta_changed = planned.iter().any(|p| p.change.class == Some(D::BetaBlocker));
        let eligible = hf.ef <= EF_DEVICE_MAX && !hf.atrial_fibrillation && !on(&now, D::Ivabradine);
        if eligible && beta_changed {
            ivabradine_later = Some(PlannedChange::other(
                Action::Confirm,
                &format!(
                    "once the beta-blocker is at its target dose: ivabradine 5 mg twice daily if resting heart rate is still {HR_IVABRADINE_MIN:.0} bpm or more in sinus rhythm (ESC 2021 IIa; SHIFT)"
                ),
            ));
        } else if eligible && hf.heart_rate >= HR_IVABRADINE_MIN && beta_at_target {
            let change = PlannedChange::drug(Action::Start, D::Ivabradine, None, Some(DoseLevel::Standard));
            let safety = Change::Start(D::Ivabradine, DoseLevel::Standard);
            let after = safety.apply(&now);
            let condition = format!(
                "if resting heart rate is still {HR_IVABRADINE_MIN:.0} bpm or more in sinus rhythm on the beta-blocker (ESC 2021 IIa; SHIFT)"
            );
            let p = Planned { change, safety, lowers_bp: false, alerts: Vec::new(), condition: Some(condition) };
            accept(facts, &mut now, after, p, &mut planned, &mut excluded);
        }
    }

    // Group into monthly steps: at most two drug changes, one BP-lowering one when SBP is low.
    let mut steps: Vec<(PlanStep, Vec<Intervention>)> = Vec::new();
    let mut current: Vec<Planned> = Vec::new();
    // Classes the plan itself started: a later raise of one is a dose change of that course, not
    // a second start (a scenario file refuses that).
    let mut started: Vec<D> = Vec::new();
    let mut flush = |current: &mut Vec<Planned>, steps: &mut Vec<(PlanStep, Vec<Intervention>)>| {
        if current.is_empty() {
            return;
        }
        let month = steps.len() as u32;
        let classes: Vec<D> = current.iter().filter_map(|p| p.change.class).collect();
        let interventions: Vec<Intervention> = current
            .iter()
            .flat_map(|p| match p.safety {
                Change::Raise(class, dose) if started.contains(&class) => {
                    vec![Intervention::ChangeDose { class, dose, month }]
                }
                change => to_interventions(change, month, baseline),
            })
            .collect();
        started.extend(current.iter().filter(|p| p.safety.starts()).filter_map(|p| p.safety.intensifies()));
        let mut checks = checks_for(&classes, false, false, false);
        if classes.iter().any(|c| matches!(c, D::Arni | D::BetaBlocker | D::Ivabradine)) {
            checks.push("BP sitting and standing, heart rate and symptoms at 2 weeks".to_string());
        }
        let when = if month == 0 { "now".to_string() } else { format!("at the {month}-month review") };
        let condition = current.iter().find_map(|p| p.condition.clone());
        let step = PlanStep {
            month,
            when: condition.map_or(when.clone(), |c| format!("{when}, {c}")),
            changes: current.iter().map(|p| p.change.clone()).collect(),
            checks,
            why: if month == 0 {
                "guideline-directed therapy for heart failure (ESC 2021/2023, ACC/AHA/HFSA 2022): the pillars first, then titration".to_string()
            } else {
                "next titration step, if BP, heart rate, potassium and creatinine allow".to_string()
            },
            alerts: current.iter().flat_map(|p| p.alerts.iter().cloned()).collect(),
        };
        steps.push((step, interventions));
        current.clear();
    };
    // What the grouping consumes, read first: whether drugs change, and whether the first changes
    // touch potassium.
    let changes_drugs = planned.iter().any(|p| p.change.action != Action::Stop);
    let touches_k = planned.iter().take(2).any(|p| {
        matches!(p.change.class, Some(D::AceInhibitor | D::Arb | D::Arni | D::Mra)) && p.change.action != Action::Stop
    });
    for p in planned {
        let bp_changes = current.iter().filter(|c| c.lowers_bp).count();
        // A drug is changed once a step; a conditional change waits in a step of its own.
        let same_class = current.iter().any(|c| c.change.class == p.change.class);
        // One potassium-raising change (a RAAS blocker or MRA) a step, so a rise in K⁺ or
        // creatinine has one cause (ESC 2021: check both 1–2 weeks after each).
        let raises_k = |c: Option<D>| matches!(c, Some(D::AceInhibitor | D::Arb | D::Arni | D::Mra));
        let adds_k = |c: &Planned| raises_k(c.change.class) && c.change.action != Action::Stop;
        let k_twice = adds_k(&p) && current.iter().any(adds_k);
        let conditional = p.condition.is_some() || current.iter().any(|c| c.condition.is_some());
        if current.len() >= 2 || same_class || k_twice || conditional || (cautious && p.lowers_bp && bp_changes >= 1) {
            flush(&mut current, &mut steps);
        }
        current.push(p);
    }
    flush(&mut current, &mut steps);
    if let (Some(note), Some((last, _))) = (ivabradine_later, steps.last_mut()) {
        last.changes.push(note);
    }

    // Beside the drugs: the loop diuretic, congestion and devices, in the first step.
    let mut beside: Vec<PlannedChange> = Vec::new();
    if let Some(loop_drug) = regimen.iter().find(|r| r.class == D::LoopDiuretic) {
        let agent = agent_of(regimen, D::LoopDiuretic);
        let dose = loop_drug.daily_mg.map_or_else(|| agent.name.to_string(), |mg| formulary::describe(agent, mg));
        beside.push(PlannedChange::other(
            Action::Confirm,
            &format!(
                "review {dose} against congestion (weight, oedema, breathlessness): the lowest dose that keeps the patient free of congestion; loop diuretics relieve congestion and do not change prognosis (ESC 2021)"
            ),
        ));
    }
    if let Some(gain) = hf.weight_gain_3d {
        beside.push(PlannedChange::other(
            Action::Confirm,
            &format!("weight up {gain:.1} kg in 3 days: assess for congestion today; a loop diuretic if congested (ESC 2021)"),
        ));
    }
    // Devices wait for the regimen this plan builds: the ICD and CRT trials enrolled patients on
    // stable, optimised therapy (ESC 2021: reassess EF after at least 3 months of it).
    beside.extend(device_assessment(record, hf, regimen, today, changes_drugs));
    beside.extend(held.iter().map(|h| PlannedChange::other(Action::Confirm, h)));
    // Potassium and creatinine before a RAAS or MRA change when the last are old.
    let stale_k = hf.potassium_age_days.is_none_or(|d| d > POTASSIUM_RECHECK_DAYS);
    if let (true, true, Some((first, _))) = (touches_k, stale_k, steps.first_mut()) {
        first.checks.insert(
            0,
            match hf.potassium_age_days {
                Some(d) => format!("potassium and creatinine BEFORE the change: the last are {} months old", d / 30),
                None => "potassium and creatinine BEFORE the change: none on record".to_string(),
            },
        );
    }
    if !beside.is_empty() {
        match steps.first_mut() {
            Some((first, _)) => first.changes.extend(beside),
            None => steps.push((
                PlanStep {
                    month: 0,
                    when: "now".to_string(),
                    changes: beside,
                    checks: Vec::new(),
                    why: "heart-failure care beside the drugs".to_string(),
                    alerts: Vec::new(),
                },
                Vec::new(),
            )),
        }
    }
    (!steps.is_empty()).then_some(HeartFailurePlan { steps, excluded })
}

/// ICD and CRT assessment (ESC 2021), or what is needed to decide it.
fn device_assessment(
    record: &PatientRecord,
    hf: &HeartFailureFacts,
    regimen: &[RegimenDrug],
    today: Date,
    changes_drugs: bool,
) -> Vec<PlannedChange> {
    if !hf.reduced_ef || hf.ef > EF_DEVICE_MAX || !matches!(hf.nyha, NyhaClass::Ii | NyhaClass::Iii) {
        return Vec::new();
    }
    // Optimised: a RAAS blocker, a beta-blocker and an MRA each taken for 3 months or more.
    let since = |classes: &[D]| {
        record
            .active_medications(today)
            .filter(|m| m.class.is_some_and(|c| classes.contains(&c)))
            .filter_map(|m| m.start)
            .min()
    };
    let pillars = [&[D::AceInhibitor, D::Arb, D::Arni][..], &[D::BetaBlocker][..], &[D::Mra][..]];
    let optimised = !changes_drugs
        && pillars.iter().all(|p| {
            regimen.iter().any(|r| p.contains(&r.class))
                && since(p).is_some_and(|d| (today - d).whole_days() >= OPTIMISED_DAYS)
        });
    let ef = hf.ef;
    let mut out = Vec::new();
    // Aetiology decides the ICD's class; without coronary disease on record it is to confirm.
    let class = if hf.ischaemic {
        "class I, ischaemic".to_string()
    } else {
        "class IIa if non-ischaemic, with less benefit from 68 years in DANISH (Køber L et al. N Engl J Med 2016;375:1221, prespecified age subgroup: death HR 0.64 under 68, none shown from 68); class I if ischaemic: no coronary disease is on record, so confirm the aetiology".to_string()
    };
    if optimised {
        out.push(PlannedChange::other(
            Action::Refer,
            &format!(
                "ICD assessment: EF {ef:.0} % despite 3 months or more of optimised therapy, {} (ESC 2021 {class}), if expected to survive substantially longer than a year in good functional status",
                hf.nyha.label()
            ),
        ));
    } else if changes_drugs {
        out.push(PlannedChange::other(
            Action::Confirm,
            &format!("repeat echocardiography 3 months after the titration ends: ICD assessment if EF is still ≤ {EF_DEVICE_MAX:.0} % (ESC 2021 {class})"),
        ));
    } else {
        out.push(PlannedChange::other(
            Action::Confirm,
            &format!("repeat echocardiography after 3 months of optimised therapy: ICD assessment if EF is still ≤ {EF_DEVICE_MAX:.0} % (ESC 2021)"),
        ));
    }
    match hf.qrs_ms {
        Some(q) if q >= 130.0 => {
            let (grade, morphology) = match (q >= 150.0, hf.lbbb) {
                (true, true) => ("class I", "LBBB"),
                (false, true) => ("class IIa", "LBBB"),
                (true, false) => ("class IIa", "non-LBBB"),
                (false, false) => ("class IIb", "non-LBBB"),
            };
            // In atrial fibrillation CRT is class IIa, with biventricular pacing near 100 % (ESC 2021).
            let grade =
                if hf.atrial_fibrillation && grade == "class I" { "class IIa in atrial fibrillation" } else { grade };
            // CRT, like an ICD, is for symptoms and EF ≤ 35 % despite optimised therapy.
            let when =
                if optimised { "" } else { "after 3 months on the optimised regimen, if EF is still ≤ 35 %: " };
            out.push(PlannedChange::other(
                if optimised { Action::Refer } else { Action::Confirm },
                &format!(
                    "{when}CRT assessment: QRS {q:.0} ms, {morphology}, EF {ef:.0} % (ESC 2021 {grade}; CRT-D where an ICD is indicated)"
                ),
            ));
        }
        Some(_) => {}
        None => out.push(PlannedChange::other(
            Action::Confirm,
            "12-lead ECG for QRS width and morphology: CRT is decided on them (ESC 2021)",
        )),
    }
    out
}
