//! Safety rules of the treatment suggestion, run on the whole regimen: on today's (what the record
//! already holds) and on every regimen a plan passes through, with the record's facts (heart rate,
//! AV block, potassium, sodium, eGFR, pregnancy, allergies and intolerances, angioedema, HFrEF,
//! coronary disease, age, frailty, orthostatic hypotension, falls, liver disease; with atrial
//! fibrillation its CHA₂DS₂-VA and HAS-BLED, and the weight, creatinine and creatinine clearance
//! the DOAC doses are checked against, from [`crate::risk::af`]).
//!
//! Each rule ([`RuleId`], listed in [`RULES`] with its text and source) has one [`Severity`]:
//! - **contraindicated**: a change that trips it is never proposed; a regimen on record that trips
//!   it is an alert;
//! - **caution**: allowed, with the monitoring it needs ([`Alert::monitoring`]);
//! - **info**: said, changes nothing.
//!
//! [`SafetyFacts::current_alerts`] checks today's regimen ([`AppliesTo::Current`]),
//! [`SafetyFacts::check_change`] one change of a plan ([`AppliesTo::Plan`]) and
//! [`SafetyFacts::check_projection`] what a plan is projected to do to blood pressure. Every check
//! is in the exhaustive `match` of its function, so a rule cannot be listed without one.
//!
//! Messages are plain words with the record's own values (drug names, potassium, eGFR, resource
//! ids); never a person's name.

use time::Date;

use crate::drugs::{DoseLevel, DrugClass as D};
use crate::record::{ConditionKind as C, MeasurementKind as K, NyhaClass, PatientRecord, ProcedureKind};
use crate::risk::af::{self, AfAssessment, DoseFinding, DoseInputs};

/// How serious a rule is. Ordered: the most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Never proposed; already in the regimen, an alert.
    Contraindicated,
    /// Allowed, with the monitoring it needs.
    Caution,
    /// Said; changes nothing.
    Info,
}

impl Severity {
    /// A stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Contraindicated => "contraindicated",
            Severity::Caution => "caution",
            Severity::Info => "info",
        }
    }

    /// The verdict of the first suggestion search, which knew only exclude and flag.
    pub fn verdict(self) -> Verdict {
        match self {
            Severity::Contraindicated => Verdict::Exclude,
            Severity::Caution | Severity::Info => Verdict::Flag,
        }
    }
}

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppliesTo {
    /// The regimen on record today.
    Current,
    /// A change a plan would make, or what the plan is projected to do.
    Plan,
}

impl AppliesTo {
    /// A stable machine name.
    pub fn code(self) -> &'static str {
        match self {
            AppliesTo::Current => "current",
            AppliesTo::Plan => "plan",
        }
    }
}

/// One drug of a regimen.
#[derive(Debug, Clone, PartialEq)]
pub struct RegimenDrug {
    /// Its class.
    pub class: D,
    /// Its dose relative to the class's standard dose.
    pub dose: DoseLevel,
    /// The agent (ingredient, lower case), where known.
    pub agent: Option<String>,
    /// The daily dose in mg, where known.
    pub daily_mg: Option<f64>,
}

impl RegimenDrug {
    /// A drug known by class and dose only.
    pub fn new(class: D, dose: DoseLevel) -> Self {
        Self { class, dose, agent: None, daily_mg: None }
    }

    /// A named agent at a daily dose.
    pub fn agent(class: D, dose: DoseLevel, agent: &str, daily_mg: Option<f64>) -> Self {
        Self { class, dose, agent: Some(agent.to_string()), daily_mg }
    }

    /// The medications of `record` taken on `today` whose class is known (a dose level the record
    /// does not give is taken as standard). Those of unknown class are not in it; [`SafetyFacts`]
    /// keeps them and [`SafetyFacts::current_alerts`] says what could not be checked for them.
    pub fn from_record(record: &PatientRecord, today: Date) -> Vec<RegimenDrug> {
        record
            .active_medications(today)
            .filter_map(|m| {
                Some(RegimenDrug {
                    class: m.class?,
                    dose: m.dose_level.unwrap_or(DoseLevel::Standard),
                    agent: m.agent.clone(),
                    daily_mg: m.daily_dose_mg,
                })
            })
            .collect()
    }

    /// The drug as people read it: the agent (with its daily dose, where known), else the class.
    pub fn name(&self) -> String {
        match (&self.agent, self.daily_mg) {
            (Some(a), Some(mg)) => format!("{a} {} mg/day", fmt_mg(mg)),
            (Some(a), None) => a.clone(),
            (None, _) => self.class.in_words(),
        }
    }

    /// The agent, else the class, without the dose.
    pub(super) fn short_name(&self) -> String {
        self.agent.clone().unwrap_or_else(|| self.class.in_words())
    }
}

fn fmt_mg(mg: f64) -> String {
    if (mg - mg.round()).abs() < 1e-9 {
        format!("{mg:.0}")
    } else {
        format!("{mg}")
    }
}

/// One change a plan makes to the regimen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Change {
    /// A class not taken, started at a dose.
    Start(D, DoseLevel),
    /// A class taken, raised to a dose (the new one).
    Raise(D, DoseLevel),
    /// A class taken, lowered to a dose (the new one).
    Lower(D, DoseLevel),
    /// A class taken, stopped.
    Stop(D),
    /// A class taken (from) replaced by another (to) at a dose.
    Switch(D, D, DoseLevel),
}

impl Change {
    /// The class the change starts or raises (the new one, for a switch); `None` for a lowering
    /// or a stop.
    pub fn intensifies(&self) -> Option<D> {
        match self {
            Change::Start(c, _) | Change::Raise(c, _) | Change::Switch(_, c, _) => Some(*c),
            Change::Lower(..) | Change::Stop(_) => None,
        }
    }

    /// Whether the change starts a class not taken before (a start, or the new class of a switch).
    pub fn starts(&self) -> bool {
        matches!(self, Change::Start(..) | Change::Switch(..))
    }

    /// The class the change takes away (a stop, or the old class of a switch).
    pub fn removes(&self) -> Option<D> {
        match self {
            Change::Stop(c) | Change::Switch(c, _, _) => Some(*c),
            _ => None,
        }
    }

    /// The regimen after the change: `before` with the class started, raised, lowered, stopped or
    /// switched (by class; an agent the change does not name is left unknown).
    pub fn apply(&self, before: &[RegimenDrug]) -> Vec<RegimenDrug> {
        let mut after: Vec<RegimenDrug> = before.to_vec();
        match self {
            Change::Start(c, d) => after.push(RegimenDrug::new(*c, *d)),
            Change::Raise(c, d) | Change::Lower(c, d) => {
                for drug in after.iter_mut().filter(|x| x.class == *c) {
                    drug.dose = *d;
                    drug.daily_mg = None;
                }
            }
            Change::Stop(c) => after.retain(|x| x.class != *c),
            Change::Switch(from, to, d) => {
                after.retain(|x| x.class != *from);
                after.push(RegimenDrug::new(*to, *d));
            }
        }
        after
    }
}

/// The classes the ESC pregnancy guidance names for blood pressure: labetalol (a beta-blocker),
/// nifedipine (a dihydropyridine calcium-channel blocker) and methyldopa (centrally acting); the
/// agents are [`PREGNANCY_AGENTS`] (and `formulary::preferred_agent_in_pregnancy`). ESC 2018
/// pregnancy guideline (Regitz-Zagrosek et al., Eur Heart J 2018;39:3165) §10: methyldopa,
/// labetalol and calcium-channel blockers; ESC 2024 hypertension guideline §9.
pub const PREGNANCY_CLASSES: &[D] = &[D::BetaBlocker, D::CalciumChannelBlocker, D::CentrallyActing];

/// The agents of [`PREGNANCY_CLASSES`] to start in pregnancy, and methyldopa.
pub const PREGNANCY_AGENTS: &[&str] = &["labetalol", "nifedipine", "methyldopa"];

/// The BP classes a plan may start in pregnancy (with the agents of [`PREGNANCY_AGENTS`]).
pub fn pregnancy_options() -> &'static [D] {
    PREGNANCY_CLASSES
}

/// Classes that slow the heart rate and AV conduction (the formulary's one list).
fn slows_heart(class: D) -> bool {
    crate::formulary::effects::slows_av_conduction(class)
}

/// Classes that raise potassium through the renin–angiotensin–aldosterone system.
fn raises_potassium(class: D) -> bool {
    matches!(class, D::AceInhibitor | D::Arb | D::Arni | D::Mra)
}

/// The renin–angiotensin blockers: an ACE inhibitor, an ARB, or sacubitril/valsartan (an ARB
/// with a neprilysin inhibitor). Two together are dual blockade.
fn blocks_raas(class: D) -> bool {
    matches!(class, D::AceInhibitor | D::Arb | D::Arni)
}

/// Classes the pregnancy rule keeps from being started.
const NOT_IN_PREGNANCY: &[D] = &[D::AceInhibitor, D::Arb, D::Mra, D::Statin, D::Thiazide, D::LoopDiuretic];

/// Classes after whose start or rise potassium and creatinine are rechecked.
const LABS_AFTER: &[D] = &[D::AceInhibitor, D::Arb, D::Mra, D::Thiazide, D::LoopDiuretic];

/// What to recheck after a RAAS, MRA or diuretic change.
pub const LABS_1_2_WEEKS: &str = "K+ and creatinine 1–2 weeks after the change";

/// Which rule: the closed list the checks dispatch on, so a rule cannot be listed without a check
/// or misspelt. [`RULES`] holds them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleId {
    /// A class the record lists an allergy or intolerance to.
    Allergy,
    /// A beta-blocker with verapamil or diltiazem.
    BetaBlockerNonDhp,
    /// A rate-slowing drug with a slow heart or high-grade AV block.
    RateSlowing,
    /// ACE inhibitor with ARB (dual RAAS blockade).
    DualRaas,
    /// ACE inhibitor after angioedema.
    AceInhibitorAngioedema,
    /// ACE inhibitor, ARB or MRA raised with potassium above 5.0.
    PotassiumRaise,
    /// ACE inhibitor or ARB started above 5.5, MRA above 5.0.
    PotassiumStart,
    /// RAAS blocker or MRA started with potassium near the limit.
    PotassiumMonitor,
    /// Potassium 5.5 or more on a RAAS blocker or MRA.
    HyperkalaemiaOnRaas,
    /// MRA with eGFR below 30.
    MraEgfr,
    /// Metformin with eGFR below 30.
    MetforminEgfr,
    /// Metformin with eGFR 30–45.
    MetforminDose,
    /// SGLT2 inhibitor started with eGFR below 20.
    Sglt2Egfr,
    /// Thiazide with eGFR below 30.
    ThiazideEgfr,
    /// Thiazide with sodium below 130 or past hyponatraemia.
    ThiazideHyponatraemia,
    /// Thiazide with sodium 130–134.
    ThiazideSodiumMonitor,
    /// Projected diastolic BP below 60 with coronary disease or at 80 and over.
    DbpFloor,
    /// Projected diastolic BP 60–70 with coronary disease or at 80 and over.
    DbpLow,
    /// Projected systolic BP below 120.
    SbpBelowRange,
    /// ACE inhibitor, ARB, MRA, statin or diuretic in pregnancy.
    Pregnancy,
    /// A BP drug other than labetalol, nifedipine or methyldopa started in pregnancy.
    PregnancyAgents,
    /// Non-dihydropyridine CCB in HFrEF.
    NonDhpHfref,
    /// Statin with active liver disease.
    StatinLiver,
    /// A statin agent and dose its label forbids with a drug on record or at the eGFR.
    StatinInteraction,
    /// BP intensification with frailty, orthostatic hypotension or falls.
    FrailtyStandingBp,
    /// Beta-blocker stopped with coronary disease.
    BetaBlockerWithdrawal,
    /// Potassium and creatinine after a RAAS, MRA or diuretic change.
    LabsAfterChange,
    /// Atrial fibrillation with CHA₂DS₂-VA 2 or more and no anticoagulant.
    AnticoagulationGap,
    /// A DOAC dose against its dose-reduction criteria.
    DoacDose,
    /// A DOAC below its creatinine-clearance floor.
    DoacRenal,
    /// Verapamil, diltiazem, amiodarone or dronedarone with a DOAC.
    DoacInteraction,
    /// Dronedarone with dabigatran.
    DronedaroneDabigatran,
    /// Dronedarone with HFrEF or NYHA class IV.
    DronedaroneHeartFailure,
    /// Ivabradine with verapamil or diltiazem.
    IvabradineNonDhp,
    /// Atrial fibrillation with a resting heart rate of 110/min or more.
    AfRateControl,
    /// A dose on record above the agent's maximum.
    DoseAboveMax,
    /// A medication the formulary does not know.
    UnknownRegimen,
}

impl RuleId {
    /// Every rule, in [`RULES`]' order.
    pub const ALL: [RuleId; 37] = [
        RuleId::Allergy,
        RuleId::BetaBlockerNonDhp,
        RuleId::RateSlowing,
        RuleId::DualRaas,
        RuleId::AceInhibitorAngioedema,
        RuleId::PotassiumRaise,
        RuleId::PotassiumStart,
        RuleId::PotassiumMonitor,
        RuleId::HyperkalaemiaOnRaas,
        RuleId::MraEgfr,
        RuleId::MetforminEgfr,
        RuleId::MetforminDose,
        RuleId::Sglt2Egfr,
        RuleId::ThiazideEgfr,
        RuleId::ThiazideHyponatraemia,
        RuleId::ThiazideSodiumMonitor,
        RuleId::DbpFloor,
        RuleId::DbpLow,
        RuleId::SbpBelowRange,
        RuleId::Pregnancy,
        RuleId::PregnancyAgents,
        RuleId::NonDhpHfref,
        RuleId::StatinLiver,
        RuleId::StatinInteraction,
        RuleId::FrailtyStandingBp,
        RuleId::BetaBlockerWithdrawal,
        RuleId::LabsAfterChange,
        RuleId::AnticoagulationGap,
        RuleId::DoacDose,
        RuleId::DoacRenal,
        RuleId::DoacInteraction,
        RuleId::DronedaroneDabigatran,
        RuleId::DronedaroneHeartFailure,
        RuleId::IvabradineNonDhp,
        RuleId::AfRateControl,
        RuleId::DoseAboveMax,
        RuleId::UnknownRegimen,
    ];

    /// The rule's stable code, as the screens, the CLI and the decision log show it.
    pub fn code(self) -> &'static str {
        match self {
            RuleId::Allergy => "allergy",
            RuleId::BetaBlockerNonDhp => "beta-blocker-non-dhp-ccb",
            RuleId::RateSlowing => "rate-slowing-bradycardia",
            RuleId::DualRaas => "dual-raas",
            RuleId::AceInhibitorAngioedema => "acei-angioedema",
            RuleId::PotassiumRaise => "potassium-raise",
            RuleId::PotassiumStart => "potassium-start",
            RuleId::PotassiumMonitor => "potassium-monitor",
            RuleId::HyperkalaemiaOnRaas => "hyperkalaemia-on-raas",
            RuleId::MraEgfr => "mra-egfr",
            RuleId::MetforminEgfr => "metformin-egfr",
            RuleId::MetforminDose => "metformin-egfr-dose",
            RuleId::Sglt2Egfr => "sglt2-egfr",
            RuleId::ThiazideEgfr => "thiazide-egfr",
            RuleId::ThiazideHyponatraemia => "thiazide-hyponatraemia",
            RuleId::ThiazideSodiumMonitor => "thiazide-sodium-monitor",
            RuleId::DbpFloor => "dbp-floor",
            RuleId::DbpLow => "dbp-low",
            RuleId::SbpBelowRange => "sbp-below-range",
            RuleId::Pregnancy => "pregnancy",
            RuleId::PregnancyAgents => "pregnancy-agents",
            RuleId::NonDhpHfref => "non-dhp-hfref",
            RuleId::StatinLiver => "statin-liver",
            RuleId::StatinInteraction => "statin-interaction",
            RuleId::FrailtyStandingBp => "frailty-standing-bp",
            RuleId::BetaBlockerWithdrawal => "beta-blocker-withdrawal",
            RuleId::LabsAfterChange => "labs-after-change",
            RuleId::AnticoagulationGap => "af-anticoagulation-gap",
            RuleId::DoacDose => "doac-dose",
            RuleId::DoacRenal => "doac-renal",
            RuleId::DoacInteraction => "doac-interaction",
            RuleId::DronedaroneDabigatran => "dronedarone-dabigatran",
            RuleId::DronedaroneHeartFailure => "dronedarone-heart-failure",
            RuleId::IvabradineNonDhp => "ivabradine-non-dhp",
            RuleId::AfRateControl => "af-rate-control",
            RuleId::DoseAboveMax => "dose-above-max",
            RuleId::UnknownRegimen => "unknown-regimen",
        }
    }

    /// The rule with its text, source and severity.
    pub fn rule(self) -> &'static Rule {
        // RULES is in the enum's order (tested).
        &RULES[self as usize]
    }

    /// The rule's severity.
    pub fn severity(self) -> Severity {
        self.rule().severity
    }
}

/// What a rule did in the first suggestion search: exclude or flag. Kept while the plan search
/// moves to [`Severity`]; [`Severity::verdict`] maps one to the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Never suggested.
    Exclude,
    /// Suggested with the caution shown.
    Flag,
}

/// One safety rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Which rule.
    pub id: RuleId,
    /// The rule in plain words.
    pub text: &'static str,
    /// Where it comes from (guideline, section or table; trial; label).
    pub source: &'static str,
    /// How serious.
    pub severity: Severity,
    /// `severity` as the first search's verdict (contraindicated: exclude; otherwise flag).
    pub verdict: Verdict,
    /// The classes it concerns (empty: any BP change, as the projection rules).
    pub classes: &'static [D],
}

const ALL_MODELLED: &[D] = &D::ALL;
const BP_CLASSES: &[D] = &[
    D::AceInhibitor,
    D::Arb,
    D::CalciumChannelBlocker,
    D::NonDihydropyridineCcb,
    D::Thiazide,
    D::BetaBlocker,
    D::Mra,
    D::AlphaBlocker,
    D::CentrallyActing,
];

const fn rule(id: RuleId, severity: Severity, classes: &'static [D], text: &'static str, source: &'static str) -> Rule {
    let verdict = match severity {
        Severity::Contraindicated => Verdict::Exclude,
        Severity::Caution | Severity::Info => Verdict::Flag,
    };
    Rule { id, text, source, severity, verdict, classes }
}

use Severity::{Caution, Contraindicated, Info};

/// Every rule, in [`RuleId`]'s order.
pub const RULES: &[Rule] = &[
    rule(
        RuleId::Allergy,
        Contraindicated,
        ALL_MODELLED,
        "no drug of a class the record lists an allergy or intolerance to; one on record is an alert",
        "the record's AllergyIntolerance resources (an allergy or intolerance to the agent or its class)",
    ),
    rule(
        RuleId::BetaBlockerNonDhp,
        Contraindicated,
        &[D::BetaBlocker, D::NonDihydropyridineCcb],
        "never a beta-blocker with verapamil or diltiazem (bradycardia, AV block, heart failure); the combination \
         on record is an alert",
        "ACC/AHA 2017 hypertension guideline (Whelton et al., Hypertension 2018;71:e13) Table 18, \
         non-dihydropyridine CCBs: avoid routine use with beta-blockers (bradycardia, heart block); verapamil and \
         diltiazem labels (additive effects on heart rate, AV conduction and contractility)",
    ),
    rule(
        RuleId::RateSlowing,
        Contraindicated,
        &[D::BetaBlocker, D::NonDihydropyridineCcb],
        "no rate-slowing drug (beta-blocker, verapamil, diltiazem) started or raised at a resting heart rate below \
         55/min or with second- or third-degree AV block; one on record at a heart rate below 50/min or with such a \
         block is an alert",
        "ESC/ESH 2018 hypertension guideline (Williams et al., Eur Heart J 2018;39:3021) Table 20: beta-blockers and \
         non-dihydropyridine CCBs contraindicated with high-grade sino-atrial or AV block and bradycardia (< 60/min; \
         the twin starts nothing below 55/min); ESC 2021 heart failure guideline (McDonagh et al., Eur Heart J \
         2021;42:3599), beta-blocker titration: review the dose at a heart rate below 50/min",
    ),
    rule(
        RuleId::DualRaas,
        Contraindicated,
        &[D::AceInhibitor, D::Arb],
        "never an ACE inhibitor and an ARB together (with an MRA, triple blockade); the combination on record is an \
         alert",
        "ONTARGET (Yusuf et al., N Engl J Med 2008;358:1547); VA NEPHRON-D (Fried et al., N Engl J Med \
         2013;369:1892); ESC/ESH 2018 §7.5.1 (dual RAS blockade not recommended, class III); ESC 2021 heart failure \
         guideline (ACE inhibitor + ARB + MRA not recommended)",
    ),
    rule(
        RuleId::AceInhibitorAngioedema,
        Contraindicated,
        &[D::AceInhibitor, D::Arni],
        "no ACE inhibitor or sacubitril/valsartan started or raised after angioedema; one on record after \
         angioedema is an alert",
        "ESC/ESH 2018 Table 20: ACE inhibitors contraindicated after previous angioneurotic oedema; ACE inhibitor \
         labels (history of angioedema, hereditary or idiopathic angioedema); sacubitril/valsartan: Entresto EU SmPC \
         §4.3 and FDA label (history of angioedema related to ACE-inhibitor or ARB therapy; hereditary or idiopathic \
         angioedema), ESC 2021 and ACC/AHA/HFSA 2022 heart-failure guidelines",
    ),
    rule(
        RuleId::PotassiumRaise,
        Contraindicated,
        &[D::AceInhibitor, D::Arb, D::Mra],
        "no ACE inhibitor, ARB or MRA raised at potassium above 5.0 mmol/L",
        "ESC 2021 heart failure guideline (McDonagh et al.), practical guidance on RAAS inhibitors and MRAs: no \
         up-titration with hyperkalaemia (K+ > 5.0 mmol/L); halve the dose above 5.5, stop above 6.0",
    ),
    rule(
        RuleId::PotassiumStart,
        Contraindicated,
        &[D::AceInhibitor, D::Arb, D::Mra],
        "no ACE inhibitor or ARB started at potassium above 5.5 mmol/L, no MRA above 5.0",
        "ESC/ESH 2018 Table 20: ACE inhibitors and ARBs contraindicated with hyperkalaemia (K+ > 5.5 mmol/L); \
         AHA/ACC/HFSA 2022 heart failure guideline (Heidenreich et al., Circulation 2022;145:e895) §7.3.3: an MRA \
         only with K+ < 5.0 mmol/L and eGFR > 30; ESC 2021 heart failure guideline",
    ),
    rule(
        RuleId::PotassiumMonitor,
        Caution,
        &[D::AceInhibitor, D::Arb, D::Mra],
        "an ACE inhibitor or ARB started at potassium 4.8–5.5 mmol/L, or an MRA at 4.8–5.0: allowed, with K+ and \
         creatinine 1–2 weeks after",
        "ESC 2021 heart failure guideline: blood chemistry 1–2 weeks after starting and after each up-titration; ESC \
         2024 hypertension guideline (McEvoy et al., Eur Heart J 2024;45:3912): recheck creatinine and potassium after \
         starting RAS blockers, diuretics or MRAs (4.8 mmol/L: within 0.2 of the 5.0 ceiling)",
    ),
    rule(
        RuleId::HyperkalaemiaOnRaas,
        Contraindicated,
        &[D::AceInhibitor, D::Arb, D::Mra],
        "potassium 5.5 mmol/L or more on an ACE inhibitor, ARB or MRA: an alert (halve the dose above 5.5, stop above \
         6.0)",
        "ESC 2021 heart failure guideline, practical guidance on RAAS inhibitors and MRAs (K+ > 5.5 mmol/L: halve the \
         dose; > 6.0: stop)",
    ),
    rule(
        RuleId::MraEgfr,
        Contraindicated,
        &[D::Mra],
        "no MRA started or raised at eGFR below 30; one on record at eGFR below 30 is an alert",
        "AHA/ACC/HFSA 2022 heart failure guideline §7.3.3 (MRA only with eGFR > 30 and K+ < 5.0 mmol/L); ESC 2021 \
         heart failure guideline (MRA: specialist advice at eGFR < 30)",
    ),
    rule(
        RuleId::MetforminEgfr,
        Contraindicated,
        &[D::Metformin],
        "no metformin at eGFR below 30; metformin on record at eGFR below 30 is an alert",
        "FDA Drug Safety Communication, 8 April 2016 (metformin contraindicated below eGFR 30); KDIGO 2022 diabetes in \
         CKD guideline (Kidney Int 2022;102:S1) rec. 4.1.1: metformin at eGFR ≥ 30, stop below",
    ),
    rule(
        RuleId::MetforminDose,
        Caution,
        &[D::Metformin],
        "metformin at eGFR 30–45: at most 1000 mg a day (starting it there is not recommended)",
        "FDA Drug Safety Communication, 8 April 2016 (starting at eGFR 30–45 not recommended; assess continuing \
         below 45); KDIGO 2022 diabetes in CKD guideline, metformin dosing by eGFR (30–44: half the maximum dose, \
         1000 mg a day)",
    ),
    rule(
        RuleId::Sglt2Egfr,
        Contraindicated,
        &[D::Sglt2Inhibitor],
        "no SGLT2 inhibitor started at eGFR below 20 (one already taken is continued)",
        "KDIGO 2022 diabetes in CKD guideline (Kidney Int 2022;102:S1) rec. 1.3.1: SGLT2 inhibitor at eGFR ≥ 20, \
         continued below it until dialysis; EMPA-KIDNEY and DAPA-CKD enrolled from eGFR 20 and 25",
    ),
    rule(
        RuleId::ThiazideEgfr,
        Caution,
        &[D::Thiazide],
        "a thiazide started or raised at eGFR below 30 loses much of its effect: a loop diuretic is usual \
         (chlorthalidone is the exception studied)",
        "ESC/ESH 2018 hypertension guideline, hypertension in CKD: thiazides less effective at eGFR < 30, loop \
         diuretics instead; CLICK (Agarwal et al., N Engl J Med 2021;385:2507): chlorthalidone lowered BP in stage 4 \
         CKD",
    ),
    rule(
        RuleId::ThiazideHyponatraemia,
        Contraindicated,
        &[D::Thiazide],
        "no thiazide started or raised with sodium below 130 mmol/L or past hyponatraemia; one on record with sodium \
         below 130 is an alert",
        "thiazide labels (bendroflumethiazide SmPC §4.3: contraindicated in hyponatraemia); European clinical \
         practice guideline on hyponatraemia (Spasovski et al., Eur J Endocrinol 2014;170:G1): below 130 mmol/L is \
         moderate to profound",
    ),
    rule(
        RuleId::ThiazideSodiumMonitor,
        Caution,
        &[D::Thiazide],
        "a thiazide started or raised (or on record) with sodium 130–134 mmol/L (mild hyponatraemia): sodium 1–2 \
         weeks after",
        "European clinical practice guideline on hyponatraemia (Spasovski et al., 2014): 130–135 mmol/L is mild; \
         thiazide labels (monitor electrolytes)",
    ),
    rule(
        RuleId::DbpFloor,
        Contraindicated,
        &[],
        "no plan projected (median) to a diastolic BP below 60 mmHg with coronary disease or at 80 or over",
        "ESC 2024 hypertension guideline (diastolic target 70–79 mmHg); INVEST (Messerli et al., Ann Intern Med \
         2006;144:884): J-curve, coronary events rise at diastolic BP below 60–70 mmHg in coronary disease; \
         ONTARGET/TRANSCEND (Böhm et al., Lancet 2017;389:2226 and Eur Heart J 2018;39:3105): more events at an \
         achieved diastolic BP below 70",
    ),
    rule(
        RuleId::DbpLow,
        Caution,
        &[],
        "a plan projected to a diastolic BP of 60–70 mmHg (median), or with 1 in 20 courses below 60, with coronary \
         disease or at 80 or over, or below 60 (median) in anyone else: check symptoms and standing BP",
        "ESC 2024 hypertension guideline (diastolic target 70–79 mmHg); INVEST (Messerli et al., 2006); \
         ONTARGET/TRANSCEND (Böhm et al., 2017, 2018)",
    ),
    rule(
        RuleId::SbpBelowRange,
        Caution,
        &[],
        "a plan projected (median) to a systolic BP below 120 mmHg (below 130 at 85 or over, or with frailty, \
         orthostatic hypotension or falls): below the target range",
        "ESC 2024 hypertension guideline: systolic target 120–129 mmHg if tolerated; as low as reasonably achievable \
         at 85 or over or when frail; ESC/ESH 2018 §7.3.2 (130–139 for older patients)",
    ),
    rule(
        RuleId::Pregnancy,
        Contraindicated,
        NOT_IN_PREGNANCY,
        "in pregnancy no ACE inhibitor, ARB, MRA, statin or diuretic is started or raised; one on record is an alert",
        "ESC 2018 pregnancy guideline (Regitz-Zagrosek et al., Eur Heart J 2018;39:3165) §10: ACE inhibitors, ARBs \
         and renin inhibitors contraindicated, diuretics not recommended (plasma volume is reduced in \
         pre-eclampsia), MRAs avoided; statins contraindicated in pregnancy (ACC/AHA 2018 cholesterol guideline, \
         Grundy et al., Circulation 2019;139:e1082); ESC 2024 hypertension guideline §9",
    ),
    rule(
        RuleId::PregnancyAgents,
        Caution,
        BP_CLASSES,
        "in pregnancy the BP drugs to start are labetalol, nifedipine and methyldopa; another agent is a caution",
        "ESC 2018 pregnancy guideline §10: methyldopa, labetalol and calcium-channel blockers (nifedipine) are the \
         drugs of choice; ESC 2024 hypertension guideline §9",
    ),
    rule(
        RuleId::NonDhpHfref,
        Contraindicated,
        &[D::NonDihydropyridineCcb],
        "no non-dihydropyridine calcium-channel blocker with heart failure with reduced ejection fraction; one on \
         record is an alert",
        "AHA/ACC/HFSA 2022 heart failure guideline (Heidenreich et al., Circulation 2022;145:e895) §7.3.8: harmful \
         (class 3); ESC 2021 heart failure guideline: not recommended in HFrEF",
    ),
    rule(
        RuleId::StatinLiver,
        Contraindicated,
        &[D::Statin],
        "no statin started or raised with active liver disease; one on record is an alert",
        "ACC/AHA 2018 cholesterol guideline (Grundy et al., Circulation 2019;139:e1082), statin safety; statin labels \
         (contraindicated in active liver disease)",
    ),
    rule(
        RuleId::StatinInteraction,
        Contraindicated,
        &[D::Statin],
        "no statin agent started, raised or switched to at a dose its label forbids beside a drug on record \
         (ciclosporin, clarithromycin and other strong CYP3A4 inhibitors, gemfibrozil) or at eGFR below 30 \
         (rosuvastatin above 10 mg); one on record is an alert",
        STATIN_LIMITS_SOURCE,
    ),
    rule(
        RuleId::FrailtyStandingBp,
        Caution,
        BP_CLASSES,
        "with frailty, orthostatic hypotension or falls on record, every BP drug started or raised needs a standing \
         BP check",
        "ESC 2024 hypertension guideline: BP as low as reasonably achievable with moderate to severe frailty or \
         symptomatic orthostatic hypotension; measure BP standing after changes in older and frail people",
    ),
    rule(
        RuleId::BetaBlockerWithdrawal,
        Caution,
        &[D::BetaBlocker],
        "a beta-blocker stopped (or switched) with coronary disease: taper over 1–2 weeks",
        "beta-blocker labels (metoprolol, atenolol: boxed warning, abrupt cessation in coronary disease can worsen \
         angina and cause infarction)",
    ),
    rule(
        RuleId::LabsAfterChange,
        Info,
        LABS_AFTER,
        "after starting or raising an ACE inhibitor, ARB, MRA or diuretic: K+ and creatinine 1–2 weeks later",
        "ESC 2024 hypertension guideline (recheck creatinine and potassium after starting or raising RAS blockers, \
         diuretics or MRAs); ESC 2021 heart failure guideline (1–2 weeks)",
    ),
    rule(
        RuleId::AnticoagulationGap,
        Caution,
        &[D::Anticoagulant],
        "atrial fibrillation with CHA₂DS₂-VA 2 or more and no anticoagulant on record: an oral anticoagulant is \
         recommended, a DOAC in preference to warfarin (an alert, never a contraindication; a plan that stops the \
         anticoagulant is a caution)",
        "ESC 2024 AF guideline (Van Gelder IC et al., Eur Heart J 2024;45:3314): oral anticoagulation recommended at \
         CHA₂DS₂-VA ≥ 2 (class I), a DOAC in preference to a vitamin K antagonist (class I); the score as `risk::af` \
         computes it from the record",
    ),
    rule(
        RuleId::DoacDose,
        Caution,
        &[D::Anticoagulant],
        "a DOAC dose on record against its criteria: apixaban 2.5 mg twice daily only with 2 of age ≥ 80, weight ≤ 60 \
         kg, creatinine ≥ 1.5 mg/dL (133 µmol/L) (or creatinine clearance 15–29), else 5 mg; rivaroxaban 15 mg at \
         clearance 15–49, else 20 mg; edoxaban 30 mg at clearance 15–50, weight ≤ 60 kg or with dronedarone, else 60 \
         mg; dabigatran 110 mg twice daily at age ≥ 80 or with verapamil, else 150 mg: under- and over-dosing are \
         alerts, and a dose the record cannot check (no weight or creatinine) is said",
        "EHRA practical guide (Steffel J et al., Europace 2021;23:1612) Table 2, NOAC dose-reduction criteria; EU \
         SmPCs (Eliquis, Xarelto, Lixiana, Pradaxa); ESC 2024 AF guideline; creatinine clearance by Cockcroft DW, \
         Gault MH, Nephron 1976;16:31",
    ),
    rule(
        RuleId::DoacRenal,
        Caution,
        &[D::Anticoagulant],
        "a DOAC at creatinine clearance below 15 mL/min (not recommended), or dabigatran below 30 (contraindicated by \
         its label): an alert to change the agent; a caution, not a contraindication, so that no plan stops \
         anticoagulation without a replacement",
        "EU SmPCs: Eliquis, Xarelto, Lixiana (not recommended at creatinine clearance < 15 mL/min), Pradaxa \
         (contraindicated at < 30 mL/min); EHRA practical guide 2021 (Steffel J et al.) Table 2; ESC 2024 AF \
         guideline; Cockcroft & Gault 1976",
    ),
    rule(
        RuleId::DoacInteraction,
        Caution,
        &[D::Anticoagulant, D::NonDihydropyridineCcb, D::Antiarrhythmic],
        "verapamil, diltiazem, amiodarone or dronedarone with a DOAC raises its exposure: watch for bleeding \
         (dabigatran with verapamil: 110 mg twice daily; edoxaban with dronedarone: 30 mg; rivaroxaban with \
         dronedarone: avoided; amiodarone: a minor rise for most DOACs, no dose change)",
        "EHRA practical guide (Steffel J et al., Europace 2021;23:1612), drug–drug interactions of the NOACs \
         (P-glycoprotein and CYP3A4 inhibition); ESC 2024 AF guideline; EU SmPCs",
    ),
    rule(
        RuleId::DronedaroneDabigatran,
        Contraindicated,
        &[D::Anticoagulant, D::Antiarrhythmic],
        "never dronedarone with dabigatran; the combination on record is an alert (the antiarrhythmic is the one to \
         change)",
        "Pradaxa and Multaq EU SmPCs §4.3 (contraindicated together: dronedarone raises dabigatran exposure about \
         2-fold); EHRA practical guide 2021 (Steffel J et al.)",
    ),
    rule(
        RuleId::DronedaroneHeartFailure,
        Contraindicated,
        &[D::Antiarrhythmic],
        "no dronedarone with heart failure with reduced ejection fraction (condition or LVEF ≤ 40 %) or NYHA class IV; \
         one on record is an alert",
        "ANDROMEDA (Køber L et al., N Engl J Med 2008;358:2678: excess deaths with dronedarone in severe heart failure \
         with reduced EF); PALLAS (Connolly SJ et al., N Engl J Med 2011;365:2268); Multaq EU SmPC §4.3 (NYHA IV, \
         unstable heart failure, left ventricular systolic dysfunction); ESC 2024 AF guideline",
    ),
    rule(
        RuleId::IvabradineNonDhp,
        Contraindicated,
        &[D::Ivabradine, D::NonDihydropyridineCcb],
        "never ivabradine with verapamil or diltiazem; the combination on record is an alert (verapamil or diltiazem \
         is the one to stop in heart failure with reduced EF)",
        "Procoralan EU SmPC §4.3 (contraindicated with moderate CYP3A4 inhibitors that slow the heart, verapamil and \
         diltiazem: ivabradine exposure doubles and heart rate falls a further 5 bpm); ESC 2021 heart failure \
         guideline",
    ),
    rule(
        RuleId::AfRateControl,
        Caution,
        &[],
        "atrial fibrillation with a resting heart rate of 110/min or more: above the lenient rate-control target (< 110 \
         bpm); on record an alert, and lowering or stopping a rate-slowing drug there a caution",
        "RACE II (Van Gelder IC et al., N Engl J Med 2010;362:1363: lenient control, resting heart rate < 110 bpm, \
         non-inferior to strict); ESC 2024 AF guideline (lenient rate control as the initial target)",
    ),
    rule(
        RuleId::DoseAboveMax,
        Caution,
        ALL_MODELLED,
        "a daily dose on record above the agent's maximum: an alert, for the prescriber to confirm",
        "the agent's label maximum daily dose (the formulary)",
    ),
    rule(
        RuleId::UnknownRegimen,
        Info,
        &[],
        "a medication on record the twin cannot identify: the checks that need its class or agent were not run for \
         it",
        "the record's prescriptions and medication statements; the twin's agent table",
    ),
];

/// Every rule (for the suggestion's `rules` list and the screens).
pub fn rules() -> &'static [Rule] {
    RULES
}

/// A rule that fired.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Which rule.
    pub rule: RuleId,
    /// How serious (the rule's severity).
    pub severity: Severity,
    /// Today's regimen or a plan.
    pub applies_to: AppliesTo,
    /// What, in plain words with the record's values (no names).
    pub message: String,
    /// The rule's source.
    pub source: &'static str,
    /// The classes concerned.
    pub classes: Vec<D>,
    /// For a caution: what to check, and when.
    pub monitoring: Option<String>,
}

impl Alert {
    fn new(rule: RuleId, applies_to: AppliesTo, message: String, classes: Vec<D>) -> Self {
        let r = rule.rule();
        Self { rule, severity: r.severity, applies_to, message, source: r.source, classes, monitoring: None }
    }

    fn monitor(mut self, what: &str) -> Self {
        self.monitoring = Some(what.to_string());
        self
    }
}

/// The record's facts the rules read, gathered once.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyFacts {
    age: Option<f64>,
    potassium: Option<f64>,
    sodium: Option<f64>,
    hyponatraemia: Option<String>,
    egfr: Option<(f64, &'static str)>,
    heart_rate: Option<f64>,
    av_block: bool,
    pregnant: bool,
    allergies: Vec<(D, String)>,
    angioedema: Option<String>,
    hfref: Option<String>,
    coronary: bool,
    heart_failure: bool,
    atrial_fibrillation: bool,
    liver_disease: bool,
    frailty: Vec<&'static str>,
    unmapped: Vec<String>,
    /// With active atrial fibrillation: its stroke and bleeding scores.
    af: Option<AfAssessment>,
    /// What the DOAC dose criteria read (age, weight, creatinine, clearance, verapamil, dronedarone).
    dose: DoseInputs,
    /// The latest NYHA class when it is IV, as text with its date.
    nyha_iv: Option<String>,
    /// Drugs on record that limit a statin ([`STATIN_LIMITS`]): the drug's name there, and the
    /// medication's resource.
    statin_partners: Vec<(&'static str, String)>,
}

/// Where [`STATIN_LIMITS`] and [`ROSUVASTATIN_MAX_MG_EGFR_BELOW_30`] come from.
pub const STATIN_LIMITS_SOURCE: &str =
    "FDA labels: Zocor (simvastatin) §4, contraindicated with strong CYP3A4 inhibitors (itraconazole, \
     ketoconazole, posaconazole, HIV protease inhibitors, cobicistat, erythromycin, clarithromycin), gemfibrozil \
     and cyclosporine; Lipitor (atorvastatin) §2 and §7, avoid with cyclosporine, at most 20 mg with \
     clarithromycin or itraconazole; Crestor (rosuvastatin) §2, at most 5 mg with cyclosporine, 10 mg with \
     gemfibrozil and 10 mg at creatinine clearance below 30 mL/min not on haemodialysis; Pravachol \
     (pravastatin) §2, at most 20 mg with cyclosporine and 40 mg with clarithromycin";

/// Statin limits beside another drug, from the labels ([`STATIN_LIMITS_SOURCE`]): (statin,
/// interacting drug, the most mg a day allowed beside it; `None`: not beside it at all). A
/// drug on record is matched by name in its agent or text ([`STATIN_PARTNER_NAMES`]).
pub const STATIN_LIMITS: &[(&str, &str, Option<f64>)] = &[
    ("simvastatin", "ciclosporin", None),
    ("simvastatin", "clarithromycin", None),
    ("simvastatin", "erythromycin", None),
    ("simvastatin", "itraconazole", None),
    ("simvastatin", "ketoconazole", None),
    ("simvastatin", "posaconazole", None),
    ("simvastatin", "ritonavir", None),
    ("simvastatin", "cobicistat", None),
    ("simvastatin", "gemfibrozil", None),
    ("atorvastatin", "ciclosporin", None),
    ("atorvastatin", "clarithromycin", Some(20.0)),
    ("atorvastatin", "itraconazole", Some(20.0)),
    ("rosuvastatin", "ciclosporin", Some(5.0)),
    ("rosuvastatin", "gemfibrozil", Some(10.0)),
    ("pravastatin", "ciclosporin", Some(20.0)),
    ("pravastatin", "clarithromycin", Some(40.0)),
];

/// The names each interacting drug of [`STATIN_LIMITS`] goes by in a record (lower case).
const STATIN_PARTNER_NAMES: &[(&str, &[&str])] = &[
    ("ciclosporin", &["ciclosporin", "cyclosporin"]),
    ("clarithromycin", &["clarithromycin"]),
    ("erythromycin", &["erythromycin"]),
    ("itraconazole", &["itraconazole"]),
    ("ketoconazole", &["ketoconazole"]),
    ("posaconazole", &["posaconazole"]),
    ("ritonavir", &["ritonavir"]),
    ("cobicistat", &["cobicistat"]),
    ("gemfibrozil", &["gemfibrozil"]),
];

/// Rosuvastatin's most at eGFR below 30 (not on haemodialysis), mg a day: 10 (Crestor label §2;
/// [`STATIN_LIMITS_SOURCE`]).
pub const ROSUVASTATIN_MAX_MG_EGFR_BELOW_30: f64 = 10.0;

/// A projected value below `limit`, in whole mmHg unless rounding would reach the limit (119.5
/// below 120 reads "119.5", not "120 … is below 120"); then to one decimal, rounded down.
fn under(value: f64, limit: f64) -> String {
    if value.round() >= limit {
        format!("{:.1}", (value * 10.0).floor() / 10.0)
    } else {
        format!("{value:.0}")
    }
}

/// Potassium at which a start of a RAAS blocker or MRA is a caution, mmol/L.
const K_MONITOR: f64 = 4.8;
/// Potassium above which no RAAS blocker or MRA is raised, and no MRA started, mmol/L.
const K_RAISE_MAX: f64 = 5.0;
/// Potassium above which no ACE inhibitor or ARB is started; at or above it, one on record is an
/// alert, mmol/L.
const K_START_MAX: f64 = 5.5;
/// Heart rate below which no rate-slowing drug is started or raised, /min.
const HR_START_MIN: f64 = 55.0;
/// Heart rate below which a rate-slowing drug on record is an alert, /min.
const HR_ALERT_BELOW: f64 = 50.0;
/// Resting heart rate below which a beta-blocker on record is not raised as a BP step, /min.
/// [`HR_START_MIN`] is the floor for any rate-slowing start or raise (a contraindication); this is
/// the higher bar for a raise whose aim is BP, not rate: ESC 2024 hypertension guideline (McEvoy
/// JW et al. Eur Heart J 2024;45:3912) keeps beta-blockers for a compelling indication, and the
/// ESC 2019 chronic coronary syndromes guideline (Knuuti J et al. Eur Heart J 2020;41:407) titrates
/// them to a resting rate of 55–60/min, so a patient under 65 is near that goal and a doubled dose
/// for BP risks bradycardia (65: the reviewing cardiologist's threshold, 2026-12).
pub const HR_BETA_BLOCKER_BP_RAISE_MIN: f64 = 65.0;
/// Sodium below which no thiazide is started (moderate hyponatraemia), mmol/L.
const NA_MIN: f64 = 130.0;
/// Sodium below which a thiazide is a caution (mild hyponatraemia), mmol/L.
const NA_MONITOR: f64 = 135.0;
/// eGFR below which MRAs and metformin are contraindicated and thiazides lose effect.
const EGFR_30: f64 = 30.0;
/// eGFR below which no SGLT2 inhibitor is started.
const EGFR_SGLT2_START: f64 = 20.0;
/// eGFR below which metformin is limited to 1000 mg a day.
const EGFR_METFORMIN_DOSE: f64 = 45.0;
/// Metformin's most at eGFR 30–45, mg a day.
const METFORMIN_MAX_LOW_EGFR: f64 = 1000.0;
/// Projected diastolic BP below which a plan is excluded (coronary disease, age ≥ 80), mmHg.
const DBP_FLOOR: f64 = 60.0;
/// Projected diastolic BP below which a plan is a caution (coronary disease, age ≥ 80), mmHg.
const DBP_LOW: f64 = 70.0;
/// Age from which the diastolic floor applies, years.
const DBP_FLOOR_AGE: f64 = 80.0;
/// Projected systolic BP below the ESC 2024 target range, mmHg.
const SBP_RANGE_LOW: f64 = 120.0;
/// Projected systolic BP below the floor of the relaxed target (85 or over, frailty, orthostatic
/// hypotension, falls), mmHg.
const SBP_RELAXED_LOW: f64 = 130.0;
/// Resting heart rate from which atrial fibrillation is above the lenient rate-control target,
/// /min (RACE II; ESC 2024: < 110).
const HR_AF_LENIENT: f64 = 110.0;
/// CHA₂DS₂-VA from which oral anticoagulation is recommended (ESC 2024, class I).
const CHA2DS2_VA_ANTICOAGULATE: u32 = 2;
/// Creatinine clearance below which no DOAC is recommended, mL/min (EU SmPCs).
const CRCL_DOAC_MIN: f64 = 15.0;
/// Creatinine clearance below which dabigatran is contraindicated, mL/min (Pradaxa SmPC).
const CRCL_DABIGATRAN_MIN: f64 = 30.0;

impl SafetyFacts {
    /// The facts in `record` on `today`.
    pub fn of(record: &PatientRecord, today: Date) -> Self {
        let lvef = latest(record, K::Lvef, today);
        let hfref = if record.has_active(C::HeartFailureReducedEf) {
            Some("heart failure with reduced EF on record".to_string())
        } else {
            lvef.filter(|ef| *ef <= 40.0).map(|ef| format!("LVEF {ef:.0}%"))
        };
        let age = record.demographics.age_on(today).map(f64::from);
        let angioedema = record
            .conditions
            .iter()
            .find(|c| c.kind == Some(C::Angioedema))
            .map(|c| format!("angioedema on record ({})", c.source.resource))
            .or_else(|| {
                record.allergies.iter().find(|a| a.angioedema).map(|a| {
                    format!("angioedema as a reaction to {} ({})", a.display.to_lowercase(), a.source.resource)
                })
            });
        let frailty: Vec<&'static str> = [
            (C::Frailty, "frailty"),
            (C::OrthostaticHypotension, "orthostatic hypotension"),
            (C::HistoryOfFalls, "falls"),
        ]
        .into_iter()
        .filter(|(k, _)| if *k == C::HistoryOfFalls { record.has_ever(*k) } else { record.has_active(*k) })
        .map(|(_, what)| what)
        .collect();
        let coronary = record
            .conditions
            .iter()
            .any(|c| matches!(c.kind, Some(C::CoronaryArteryDisease | C::MyocardialInfarction)))
            || record.procedures.iter().any(|p| matches!(p.kind, Some(ProcedureKind::Pci | ProcedureKind::Cabg)));
        Self {
            age,
            potassium: latest(record, K::Potassium, today),
            sodium: latest(record, K::Sodium, today),
            hyponatraemia: record
                .conditions
                .iter()
                .find(|c| c.kind == Some(C::Hyponatraemia))
                .map(|c| format!("hyponatraemia on record ({})", c.source.resource)),
            egfr: egfr(record, age, today),
            heart_rate: latest(record, K::HeartRate, today),
            av_block: record.has_active(C::HighGradeAvBlock),
            pregnant: record.has_active(C::Pregnancy),
            allergies: record
                .allergies
                .iter()
                .filter_map(|a| a.class.map(|c| (c, format!("{} ({})", a.display, a.source.resource))))
                .collect(),
            angioedema,
            hfref,
            coronary,
            heart_failure: record.has_active(C::HeartFailure) || record.has_active(C::HeartFailureReducedEf),
            atrial_fibrillation: record.has_active(C::AtrialFibrillation),
            liver_disease: record.has_active(C::LiverDisease),
            frailty,
            unmapped: record
                .active_medications(today)
                .filter(|m| m.class.is_none())
                .map(|m| m.source.resource.clone())
                .collect(),
            af: af::assess(record, today),
            dose: DoseInputs::of(record, today),
            nyha_iv: record
                .functional_class
                .iter()
                .filter(|(d, _, _)| *d <= today)
                .max_by_key(|(d, _, _)| *d)
                .filter(|(_, c, _)| *c == NyhaClass::Iv)
                .map(|(d, c, src)| format!("{} on {d} ({})", c.label(), src.resource)),
            statin_partners: record
                .active_medications(today)
                .flat_map(|m| {
                    let text = format!("{} {}", m.agent.as_deref().unwrap_or_default(), m.display).to_lowercase();
                    STATIN_PARTNER_NAMES
                        .iter()
                        .filter(move |(_, names)| names.iter().any(|n| text.contains(n)))
                        .map(|(partner, _)| (*partner, m.source.resource.clone()))
                        .collect::<Vec<_>>()
                })
                .collect(),
        }
    }

    /// What a statin's label forbids for `drug` (its agent, else the one a plan would name, at
    /// its daily dose) beside the drugs on record and at this eGFR, in words; empty when nothing.
    fn statin_limits(&self, drug: &RegimenDrug) -> Vec<String> {
        let named = crate::formulary::name_dose(D::Statin, drug.dose, drug.agent.as_deref());
        let agent = drug.agent.as_deref().unwrap_or(named.agent);
        let mg = drug.daily_mg.unwrap_or(named.daily_mg);
        let mut out = Vec::new();
        for (partner, resource) in &self.statin_partners {
            let limit = STATIN_LIMITS.iter().find(|(s, p, _)| s.eq_ignore_ascii_case(agent) && p == partner);
            match limit {
                Some((_, _, None)) => out.push(format!("{agent} with {partner} on record ({resource}): not together")),
                Some((_, _, Some(max))) if mg > max + 1e-9 => out.push(format!(
                    "{agent} {} mg with {partner} on record ({resource}): at most {} mg beside it",
                    fmt_mg(mg),
                    fmt_mg(*max)
                )),
                _ => {}
            }
        }
        if let Some((egfr, _)) = self.egfr.filter(|(e, _)| *e < EGFR_30) {
            if agent.eq_ignore_ascii_case("rosuvastatin") && mg > ROSUVASTATIN_MAX_MG_EGFR_BELOW_30 + 1e-9 {
                out.push(format!(
                    "rosuvastatin {} mg at eGFR {egfr:.0}: at most {} mg below 30",
                    fmt_mg(mg),
                    fmt_mg(ROSUVASTATIN_MAX_MG_EGFR_BELOW_30)
                ));
            }
        }
        out
    }

    /// Every rule, with its id, text, source and severity (for the suggestion's `rules` list and
    /// the screens); the same as [`rules`].
    pub fn rules() -> &'static [Rule] {
        RULES
    }

    /// Whether the record shows a current pregnancy.
    pub fn pregnant(&self) -> bool {
        self.pregnant
    }

    /// Whether coronary disease (disease, infarction, PCI or CABG) is on record.
    pub fn coronary(&self) -> bool {
        self.coronary
    }

    /// A compelling indication for a beta-blocker at any step of the BP algorithm, where the record
    /// holds one: heart failure, coronary disease (angina, infarction, revascularisation) or atrial
    /// fibrillation (rate control). ESC 2024 hypertension guideline: beta-blockers at any step for
    /// a specific indication; ESC/ESH 2018 §7.5.1.
    pub fn beta_blocker_indication(&self) -> Option<&'static str> {
        if self.hfref.is_some() || self.heart_failure {
            Some("heart failure")
        } else if self.coronary {
            Some("coronary disease")
        } else if self.atrial_fibrillation {
            Some("atrial fibrillation (rate control)")
        } else {
            None
        }
    }

    /// Whether the record holds a compelling indication for a beta-blocker
    /// ([`SafetyFacts::beta_blocker_indication`]).
    pub fn beta_blocker_indicated(&self) -> bool {
        self.beta_blocker_indication().is_some()
    }

    /// Which of frailty, orthostatic hypotension and falls the record holds.
    pub fn frailty(&self) -> &[&'static str] {
        &self.frailty
    }

    /// Age on the day the facts were gathered, where known.
    pub fn age(&self) -> Option<f64> {
        self.age
    }

    /// The latest eGFR within the facts' window, where known.
    pub fn egfr(&self) -> Option<f64> {
        self.egfr.map(|(e, _)| e)
    }

    /// Why a beta-blocker on record is not raised as a BP step, where it is not: no compelling
    /// indication (ESC 2024 hypertension guideline: beta-blockers at any step only for one), or a
    /// resting heart rate below [`HR_BETA_BLOCKER_BP_RAISE_MIN`]. `None`: the raise may be offered
    /// (the rate-slowing rule still checks it against [`HR_START_MIN`]).
    pub fn beta_blocker_bp_raise_barred(&self) -> Option<String> {
        if !self.beta_blocker_indicated() {
            return Some("no compelling indication for a beta-blocker as a BP drug (ESC 2024)".to_string());
        }
        self.heart_rate.filter(|h| *h < HR_BETA_BLOCKER_BP_RAISE_MIN).map(|h| {
            format!(
                "resting heart rate {h:.0}/min (below {HR_BETA_BLOCKER_BP_RAISE_MIN:.0}): a higher beta-blocker dose for BP risks bradycardia"
            )
        })
    }

    fn egfr_text(&self) -> Option<(f64, String)> {
        self.egfr.map(|(e, how)| (e, format!("eGFR {e:.0}{how}")))
    }

    /// The hazards already in `regimen` (the record's, today), each an alert on the current regimen.
    pub fn current_alerts(&self, regimen: &[RegimenDrug]) -> Vec<Alert> {
        let mut out = Vec::new();
        for id in RuleId::ALL {
            self.current(id, regimen, &mut out);
        }
        sort(&mut out);
        out
    }

    fn current(&self, id: RuleId, regimen: &[RegimenDrug], out: &mut Vec<Alert>) {
        let of = |c: D| regimen.iter().filter(move |d| d.class == c);
        let has = |c: D| regimen.iter().any(|d| d.class == c);
        let names = |pick: &dyn Fn(D) -> bool| -> String {
            regimen.iter().filter(|d| pick(d.class)).map(RegimenDrug::short_name).collect::<Vec<_>>().join(" + ")
        };
        let now = AppliesTo::Current;
        match id {
            RuleId::Allergy => {
                for drug in regimen {
                    if let Some((_, what)) = self.allergies.iter().find(|(c, _)| *c == drug.class) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!(
                                "{} continued despite a recorded allergy or intolerance to its class: {what}",
                                drug.name()
                            ),
                            vec![drug.class],
                        ));
                    }
                }
            }
            RuleId::BetaBlockerNonDhp => {
                if has(D::BetaBlocker) && has(D::NonDihydropyridineCcb) {
                    let hr = self.heart_rate.map(|h| format!(" (resting heart rate {h:.0}/min)")).unwrap_or_default();
                    out.push(Alert::new(
                        id,
                        now,
                        format!(
                            "{}: a beta-blocker with verapamil/diltiazem risks bradycardia and AV block{hr}",
                            names(&|c| matches!(c, D::BetaBlocker | D::NonDihydropyridineCcb))
                        ),
                        vec![D::BetaBlocker, D::NonDihydropyridineCcb],
                    ));
                }
            }
            RuleId::RateSlowing => {
                let slowing: Vec<&RegimenDrug> = regimen.iter().filter(|d| slows_heart(d.class)).collect();
                let why = if self.av_block {
                    Some("second- or third-degree AV block on record".to_string())
                } else {
                    self.heart_rate
                        .filter(|h| *h < HR_ALERT_BELOW)
                        .map(|h| format!("resting heart rate {h:.0}/min (below {HR_ALERT_BELOW:.0})"))
                };
                if let (false, Some(why)) = (slowing.is_empty(), why) {
                    let list: Vec<String> = slowing.iter().map(|d| d.name()).collect();
                    out.push(Alert::new(
                        id,
                        now,
                        format!("{} with {why}: review the dose", list.join(" + ")),
                        slowing.iter().map(|d| d.class).collect(),
                    ));
                }
            }
            RuleId::DualRaas => {
                let raas = [D::AceInhibitor, D::Arb, D::Arni].into_iter().filter(|c| has(*c)).count();
                if raas >= 2 {
                    let mra = if has(D::Mra) { " with an MRA (triple blockade)" } else { "" };
                    out.push(Alert::new(
                        id,
                        now,
                        format!(
                            "{}: dual RAAS blockade{mra}; keep one of the ACE inhibitor, ARB and ARNI",
                            names(&|c| blocks_raas(c) || c == D::Mra)
                        ),
                        regimen.iter().map(|d| d.class).filter(|c| raises_potassium(*c)).collect(),
                    ));
                }
            }
            RuleId::AceInhibitorAngioedema => {
                if let Some(why) = &self.angioedema {
                    for class in [D::AceInhibitor, D::Arni] {
                        for drug in of(class) {
                            out.push(Alert::new(
                                id,
                                now,
                                format!("{} continued despite {why}", drug.name()),
                                vec![class],
                            ));
                        }
                    }
                }
            }
            RuleId::HyperkalaemiaOnRaas => {
                if let Some(k) = self.potassium.filter(|k| *k >= K_START_MAX) {
                    let on = names(&raises_potassium);
                    if !on.is_empty() {
                        let act = if k > 6.0 { "stop it and recheck" } else { "halve the dose and recheck" };
                        out.push(
                            Alert::new(
                                id,
                                now,
                                format!("potassium {k:.1} mmol/L on {on}: {act}"),
                                regimen.iter().map(|d| d.class).filter(|c| raises_potassium(*c)).collect(),
                            )
                            .monitor("K+ and creatinine within days"),
                        );
                    }
                }
            }
            RuleId::MraEgfr => {
                if let Some((_, text)) = self.egfr_text().filter(|(e, _)| *e < EGFR_30) {
                    for drug in of(D::Mra) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!("{} at {text}: below 30 an MRA needs specialist review", drug.name()),
                            vec![D::Mra],
                        ));
                    }
                }
            }
            RuleId::MetforminEgfr => {
                if let Some((_, text)) = self.egfr_text().filter(|(e, _)| *e < EGFR_30) {
                    for drug in of(D::Metformin) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!("{} at {text}: metformin is contraindicated below eGFR 30", drug.name()),
                            vec![D::Metformin],
                        ));
                    }
                }
            }
            RuleId::MetforminDose => {
                if let Some((_, text)) = self.egfr_text().filter(|(e, _)| (EGFR_30..EGFR_METFORMIN_DOSE).contains(e)) {
                    for drug in of(D::Metformin) {
                        let over = match drug.daily_mg {
                            Some(mg) if mg > METFORMIN_MAX_LOW_EGFR => Some(format!(
                                "{} at {text}: at most {METFORMIN_MAX_LOW_EGFR:.0} mg a day at eGFR 30–45",
                                drug.name()
                            )),
                            Some(_) => None,
                            None => Some(format!(
                                "{} (dose not stated) at {text}: at most {METFORMIN_MAX_LOW_EGFR:.0} mg a day at eGFR \
                                 30–45",
                                drug.name()
                            )),
                        };
                        if let Some(message) = over {
                            out.push(
                                Alert::new(id, now, message, vec![D::Metformin])
                                    .monitor("eGFR every 3–6 months while on metformin"),
                            );
                        }
                    }
                }
            }
            RuleId::ThiazideEgfr => {
                if let Some((_, text)) = self.egfr_text().filter(|(e, _)| *e < EGFR_30) {
                    for drug in of(D::Thiazide).filter(|d| d.agent.as_deref() != Some("chlorthalidone")) {
                        out.push(
                            Alert::new(
                                id,
                                now,
                                format!(
                                    "{} at {text}: a thiazide loses much of its effect below 30; a loop diuretic \
                                     (or chlorthalidone) is usual",
                                    drug.name()
                                ),
                                vec![D::Thiazide],
                            )
                            .monitor("BP, sodium and potassium at the next review"),
                        );
                    }
                }
            }
            RuleId::ThiazideHyponatraemia => {
                if let Some(na) = self.sodium.filter(|na| *na < NA_MIN) {
                    for drug in of(D::Thiazide) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!("{} with sodium {na:.0} mmol/L (below {NA_MIN:.0})", drug.name()),
                            vec![D::Thiazide],
                        ));
                    }
                }
            }
            RuleId::ThiazideSodiumMonitor => {
                if let Some(na) = self.sodium.filter(|na| (NA_MIN..NA_MONITOR).contains(na)) {
                    for drug in of(D::Thiazide) {
                        out.push(
                            Alert::new(
                                id,
                                now,
                                format!("{} with sodium {na:.0} mmol/L (mild hyponatraemia)", drug.name()),
                                vec![D::Thiazide],
                            )
                            .monitor("sodium and potassium within 1–2 weeks"),
                        );
                    }
                }
            }
            RuleId::Pregnancy => {
                if self.pregnant {
                    for drug in regimen.iter().filter(|d| NOT_IN_PREGNANCY.contains(&d.class)) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!(
                                "{} in pregnancy: not to be continued ({} is contraindicated or not recommended)",
                                drug.name(),
                                drug.class.in_words()
                            ),
                            vec![drug.class],
                        ));
                    }
                }
            }
            RuleId::NonDhpHfref => {
                if let Some(why) = &self.hfref {
                    for drug in of(D::NonDihydropyridineCcb) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!("{} with {why}: harmful in HFrEF", drug.name()),
                            vec![D::NonDihydropyridineCcb],
                        ));
                    }
                }
            }
            RuleId::StatinInteraction => {
                // Only an agent the record names: an unnamed statin is not judged by its dose.
                for drug in of(D::Statin).filter(|d| d.agent.is_some()) {
                    for why in self.statin_limits(drug) {
                        out.push(Alert::new(id, now, why, vec![D::Statin]));
                    }
                }
            }
            RuleId::StatinLiver => {
                if self.liver_disease {
                    for drug in of(D::Statin) {
                        out.push(Alert::new(
                            id,
                            now,
                            format!("{} with active liver disease on record", drug.name()),
                            vec![D::Statin],
                        ));
                    }
                }
            }
            RuleId::AnticoagulationGap => {
                if let (Some(gap), false) = (self.anticoagulation_gap(), has(D::Anticoagulant)) {
                    out.push(
                        Alert::new(
                            id,
                            now,
                            format!(
                                "atrial fibrillation with {gap} and no anticoagulant on record: an oral anticoagulant \
                                 is recommended, a DOAC in preference to warfarin (ESC 2024, class I)"
                            ),
                            vec![D::Anticoagulant],
                        )
                        .monitor(&self.bleeding_advice()),
                    );
                }
            }
            RuleId::DoacDose => {
                for (drug, agent) in regimen.iter().filter_map(|d| doac(d).map(|a| (d, a))) {
                    if let Some(message) = self.dose_problem(agent, drug.daily_mg) {
                        out.push(
                            Alert::new(id, now, message, vec![D::Anticoagulant]).monitor(
                                "confirm the dose with the prescriber; renal function at least yearly on a DOAC",
                            ),
                        );
                    }
                }
            }
            RuleId::DoacRenal => {
                for agent in regimen.iter().filter_map(doac) {
                    if let Some(why) = self.doac_renal(Some(agent)) {
                        out.push(Alert::new(id, now, format!("{agent} at {why}"), vec![D::Anticoagulant]).monitor(
                            "change the agent with the prescriber; do not stop anticoagulation without a replacement",
                        ));
                    }
                }
            }
            RuleId::DoacInteraction => {
                for agent in regimen.iter().filter_map(doac) {
                    for other in regimen.iter().filter(|d| raises_doac(d, agent)) {
                        out.push(
                            Alert::new(id, now, interaction(agent, other), vec![D::Anticoagulant, other.class])
                                .monitor(DOAC_INTERACTION_MONITORING),
                        );
                    }
                }
            }
            RuleId::DronedaroneDabigatran => {
                if taking(regimen, "dronedarone") && taking(regimen, "dabigatran") {
                    out.push(Alert::new(
                        id,
                        now,
                        "dronedarone with dabigatran: contraindicated together (dronedarone raises dabigatran \
                         exposure); change the antiarrhythmic or the anticoagulant"
                            .to_string(),
                        vec![D::Anticoagulant, D::Antiarrhythmic],
                    ));
                }
            }
            RuleId::IvabradineNonDhp => {
                if has(D::Ivabradine) && has(D::NonDihydropyridineCcb) {
                    out.push(Alert::new(
                        id,
                        now,
                        format!(
                            "{}: ivabradine with a rate-slowing calcium-channel blocker is contraindicated",
                            names(&|c| matches!(c, D::Ivabradine | D::NonDihydropyridineCcb))
                        ),
                        vec![D::Ivabradine, D::NonDihydropyridineCcb],
                    ));
                }
            }
            RuleId::DronedaroneHeartFailure => {
                if let (true, Some(why)) = (taking(regimen, "dronedarone"), self.dronedarone_heart_failure()) {
                    out.push(Alert::new(
                        id,
                        now,
                        format!("dronedarone with {why}: contraindicated (excess deaths in ANDROMEDA)"),
                        vec![D::Antiarrhythmic],
                    ));
                }
            }
            RuleId::AfRateControl => {
                if let Some(hr) = self.af_rate_above_target() {
                    out.push(
                        Alert::new(
                            id,
                            now,
                            format!(
                                "resting heart rate {hr:.0}/min with atrial fibrillation: above the lenient \
                                 rate-control target < 110 bpm (RACE II, Van Gelder 2010 NEJM; ESC 2024)"
                            ),
                            Vec::new(),
                        )
                        .monitor(AF_RATE_MONITORING),
                    );
                }
            }
            RuleId::DoseAboveMax => {
                for drug in regimen {
                    let (Some(agent), Some(mg)) = (drug.agent.as_deref(), drug.daily_mg) else { continue };
                    if let Some(max) = above_max(agent, mg) {
                        out.push(
                            Alert::new(
                                id,
                                now,
                                format!(
                                    "{agent} {} mg/day on record is above its maximum of {} mg/day",
                                    fmt_mg(mg),
                                    fmt_mg(max)
                                ),
                                vec![drug.class],
                            )
                            .monitor("confirm the dose with the prescriber"),
                        );
                    }
                }
            }
            RuleId::UnknownRegimen => {
                let unknown_agents: Vec<&str> =
                    regimen.iter().filter_map(|d| d.agent.as_deref()).filter(|a| !known_agent(a)).collect();
                if !self.unmapped.is_empty() {
                    out.push(Alert::new(
                        id,
                        now,
                        format!(
                            "{} medication{} on record could not be identified ({}): interactions, heart-rate, \
                             potassium, kidney, pregnancy and dose checks were not run for {}",
                            self.unmapped.len(),
                            if self.unmapped.len() == 1 { "" } else { "s" },
                            self.unmapped.join(", "),
                            if self.unmapped.len() == 1 { "it" } else { "them" }
                        ),
                        Vec::new(),
                    ));
                }
                for agent in unknown_agents {
                    out.push(Alert::new(
                        id,
                        now,
                        format!("{agent} is not in the twin's agent table: its dose limit was not checked"),
                        regimen.iter().filter(|d| d.agent.as_deref() == Some(agent)).map(|d| d.class).collect(),
                    ));
                }
            }
            // About changes and projections, not the regimen on record (an SGLT2 inhibitor already
            // taken is continued below eGFR 20).
            RuleId::Sglt2Egfr
            | RuleId::PotassiumRaise
            | RuleId::PotassiumStart
            | RuleId::PotassiumMonitor
            | RuleId::DbpFloor
            | RuleId::DbpLow
            | RuleId::SbpBelowRange
            | RuleId::PregnancyAgents
            | RuleId::FrailtyStandingBp
            | RuleId::BetaBlockerWithdrawal
            | RuleId::LabsAfterChange => {}
        }
    }

    /// What the rules say of `change`, which takes the regimen `before` to `after`. A
    /// [`Severity::Contraindicated`] alert means the change is excluded.
    pub fn check_change(&self, before: &[RegimenDrug], change: &Change, after: &[RegimenDrug]) -> Vec<Alert> {
        let mut out = Vec::new();
        for id in RuleId::ALL {
            self.plan(id, before, change, after, &mut out);
        }
        sort(&mut out);
        out
    }

    fn plan(&self, id: RuleId, before: &[RegimenDrug], change: &Change, after: &[RegimenDrug], out: &mut Vec<Alert>) {
        let plan = AppliesTo::Plan;
        let removed = change.removes();
        // The rules about a class taken away (a stop, a switch's old class, a lowering) speak for
        // every kind of change.
        match id {
            RuleId::BetaBlockerWithdrawal => {
                if removed == Some(D::BetaBlocker) && self.coronary {
                    out.push(self.withdrawal(before));
                }
                return;
            }
            RuleId::AnticoagulationGap => {
                let left = after.iter().any(|d| d.class == D::Anticoagulant);
                if let (Some(D::Anticoagulant), false, Some(gap)) = (removed, left, self.anticoagulation_gap()) {
                    out.push(
                        Alert::new(
                            id,
                            plan,
                            format!(
                                "stopping the anticoagulant with atrial fibrillation and {gap}: oral anticoagulation \
                                 is recommended (ESC 2024, class I)"
                            ),
                            vec![D::Anticoagulant],
                        )
                        .monitor(&self.bleeding_advice()),
                    );
                }
                return;
            }
            RuleId::AfRateControl => {
                let slows_less = match change {
                    Change::Lower(c, _) | Change::Stop(c) => slows_heart(*c),
                    Change::Switch(from, to, _) => slows_heart(*from) && !slows_heart(*to),
                    Change::Start(..) | Change::Raise(..) => false,
                };
                if let (true, Some(hr)) = (slows_less, self.af_rate_above_target()) {
                    let name = before.iter().find(|d| Some(d.class) == change_class(change)).map_or_else(
                        || change_class(change).map(D::in_words).unwrap_or_default(),
                        RegimenDrug::short_name,
                    );
                    out.push(
                        Alert::new(
                            id,
                            plan,
                            format!(
                                "less {name} at a resting heart rate of {hr:.0}/min with atrial fibrillation: already \
                                 above the lenient rate-control target < 110 bpm"
                            ),
                            change_class(change).into_iter().collect(),
                        )
                        .monitor(AF_RATE_MONITORING),
                    );
                }
                return;
            }
            _ => {}
        }
        let Some(class) = change.intensifies() else {
            // Lowering and stopping: only the rules above speak.
            return;
        };
        let start = change.starts();
        let drug = after
            .iter()
            .find(|d| d.class == class)
            .cloned()
            .unwrap_or_else(|| RegimenDrug::new(class, DoseLevel::Standard));
        let what = format!("{} {}", if start { "starting" } else { "raising" }, drug.short_name());
        let has_after = |c: D| after.iter().any(|d| d.class == c);
        let k = self.potassium;
        match id {
            RuleId::Allergy => {
                if let Some((_, why)) = self.allergies.iter().find(|(c, _)| *c == class) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what}: allergy or intolerance on record, {why}"),
                        vec![class],
                    ));
                }
            }
            RuleId::BetaBlockerNonDhp => {
                let other = match class {
                    D::BetaBlocker => Some(D::NonDihydropyridineCcb),
                    D::NonDihydropyridineCcb => Some(D::BetaBlocker),
                    _ => None,
                };
                if let Some(other) = other.filter(|o| has_after(*o)) {
                    let with: Vec<String> =
                        after.iter().filter(|d| d.class == other).map(RegimenDrug::short_name).collect();
                    let hr = self.heart_rate.map(|h| format!(" (resting heart rate {h:.0}/min)")).unwrap_or_default();
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what} with {}: bradycardia and AV block{hr}", with.join(" + ")),
                        vec![D::BetaBlocker, D::NonDihydropyridineCcb],
                    ));
                }
            }
            RuleId::RateSlowing => {
                if slows_heart(class) {
                    let why = if self.av_block {
                        Some("second- or third-degree AV block on record".to_string())
                    } else {
                        self.heart_rate
                            .filter(|h| *h < HR_START_MIN)
                            .map(|h| format!("resting heart rate {h:.0}/min (below {HR_START_MIN:.0})"))
                    };
                    if let Some(why) = why {
                        out.push(Alert::new(id, plan, format!("{what} with {why}"), vec![class]));
                    }
                }
            }
            RuleId::DualRaas => {
                // Another RAAS blocker left beside this one (an ACE inhibitor with an ARB, or either
                // with sacubitril/valsartan, which holds an ARB).
                let other = blocks_raas(class)
                    .then(|| [D::AceInhibitor, D::Arb, D::Arni].into_iter().find(|o| *o != class && has_after(*o)))
                    .flatten();
                if let Some(other) = other {
                    let with: Vec<String> =
                        after.iter().filter(|d| d.class == other).map(RegimenDrug::short_name).collect();
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what} with {}: dual RAAS blockade", with.join(" + ")),
                        vec![D::AceInhibitor, D::Arb],
                    ));
                }
            }
            RuleId::AceInhibitorAngioedema => {
                if let (D::AceInhibitor | D::Arni, Some(why)) = (class, &self.angioedema) {
                    out.push(Alert::new(id, plan, format!("{what} after {why}"), vec![class]));
                }
            }
            RuleId::PotassiumRaise => {
                if let (false, true, Some(k)) = (start, raises_potassium(class), k.filter(|k| *k > K_RAISE_MAX)) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what} with potassium {k:.1} mmol/L (above {K_RAISE_MAX:.1})"),
                        vec![class],
                    ));
                }
            }
            RuleId::PotassiumStart => {
                if let Some((k, limit)) = self.start_potassium_excess(start, class) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what} with potassium {k:.1} mmol/L (above {limit:.1})"),
                        vec![class],
                    ));
                }
            }
            RuleId::PotassiumMonitor => {
                if let (true, true, None, Some(k)) = (
                    start,
                    raises_potassium(class),
                    self.start_potassium_excess(start, class),
                    k.filter(|k| *k >= K_MONITOR),
                ) {
                    out.push(
                        Alert::new(id, plan, format!("{what} with potassium {k:.1} mmol/L"), vec![class])
                            .monitor(LABS_1_2_WEEKS),
                    );
                }
            }
            RuleId::MraEgfr => {
                if let (D::Mra, Some((_, text))) = (class, self.egfr_text().filter(|(e, _)| *e < EGFR_30)) {
                    out.push(Alert::new(id, plan, format!("{what} at {text} (below 30)"), vec![class]));
                }
            }
            RuleId::MetforminEgfr => {
                if let (D::Metformin, Some((_, text))) = (class, self.egfr_text().filter(|(e, _)| *e < EGFR_30)) {
                    out.push(Alert::new(id, plan, format!("{what} at {text} (below 30)"), vec![class]));
                }
            }
            RuleId::MetforminDose => {
                if let (D::Metformin, Some((_, text))) =
                    (class, self.egfr_text().filter(|(e, _)| (EGFR_30..EGFR_METFORMIN_DOSE).contains(e)))
                {
                    out.push(
                        Alert::new(
                            id,
                            plan,
                            format!("{what} at {text}: at most {METFORMIN_MAX_LOW_EGFR:.0} mg a day"),
                            vec![class],
                        )
                        .monitor("eGFR every 3–6 months while on metformin"),
                    );
                }
            }
            RuleId::Sglt2Egfr => {
                if let (D::Sglt2Inhibitor, true, Some((_, text))) =
                    (class, start, self.egfr_text().filter(|(e, _)| *e < EGFR_SGLT2_START))
                {
                    out.push(Alert::new(id, plan, format!("{what} at {text} (below 20)"), vec![class]));
                }
            }
            RuleId::ThiazideEgfr => {
                if let (D::Thiazide, Some((_, text))) = (class, self.egfr_text().filter(|(e, _)| *e < EGFR_30)) {
                    if drug.agent.as_deref() != Some("chlorthalidone") {
                        out.push(
                            Alert::new(
                                id,
                                plan,
                                format!("{what} at {text}: little effect below 30; a loop diuretic or chlorthalidone is usual"),
                                vec![class],
                            )
                            .monitor("BP, sodium and potassium 1–2 weeks after the change"),
                        );
                    }
                }
            }
            RuleId::ThiazideHyponatraemia => {
                if class == D::Thiazide {
                    let why = self
                        .sodium
                        .filter(|na| *na < NA_MIN)
                        .map(|na| format!("sodium {na:.0} mmol/L (below {NA_MIN:.0})"))
                        .or_else(|| self.hyponatraemia.clone());
                    if let Some(why) = why {
                        out.push(Alert::new(id, plan, format!("{what} with {why}"), vec![class]));
                    }
                }
            }
            RuleId::ThiazideSodiumMonitor => {
                if let (D::Thiazide, None, Some(na)) =
                    (class, &self.hyponatraemia, self.sodium.filter(|na| (NA_MIN..NA_MONITOR).contains(na)))
                {
                    out.push(
                        Alert::new(
                            id,
                            plan,
                            format!("{what} with sodium {na:.0} mmol/L (mild hyponatraemia)"),
                            vec![class],
                        )
                        .monitor("sodium and potassium 1–2 weeks after the change"),
                    );
                }
            }
            RuleId::Pregnancy => {
                if self.pregnant && NOT_IN_PREGNANCY.contains(&class) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what} in pregnancy: {} is contraindicated or not recommended", class.in_words()),
                        vec![class],
                    ));
                }
            }
            RuleId::PregnancyAgents => {
                let preferred = drug.agent.as_deref().is_some_and(|a| PREGNANCY_AGENTS.contains(&a));
                if self.pregnant && start && class.lowers_bp() && !NOT_IN_PREGNANCY.contains(&class) && !preferred {
                    out.push(
                        Alert::new(
                            id,
                            plan,
                            format!("{what} in pregnancy: the agents to start are labetalol, nifedipine or methyldopa"),
                            vec![class],
                        )
                        .monitor("choose labetalol, nifedipine or methyldopa with the obstetric team"),
                    );
                }
            }
            RuleId::NonDhpHfref => {
                if let (D::NonDihydropyridineCcb, Some(why)) = (class, &self.hfref) {
                    out.push(Alert::new(id, plan, format!("{what} with {why}"), vec![class]));
                }
            }
            RuleId::StatinLiver => {
                if class == D::Statin && self.liver_disease {
                    out.push(Alert::new(id, plan, format!("{what} with active liver disease on record"), vec![class]));
                }
            }
            RuleId::StatinInteraction => {
                if class == D::Statin {
                    for why in self.statin_limits(&drug) {
                        out.push(Alert::new(id, plan, format!("{what}: {why}"), vec![class]));
                    }
                }
            }
            RuleId::FrailtyStandingBp => {
                if class.lowers_bp() && !self.frailty.is_empty() {
                    out.push(
                        Alert::new(id, plan, format!("{what} with {} on record", self.frailty.join(", ")), vec![class])
                            .monitor("check standing BP (1 and 3 minutes) at the next visit"),
                    );
                }
            }
            RuleId::DoacRenal => {
                if class == D::Anticoagulant {
                    let agent = drug.agent.as_deref().filter(|a| af::DOACS.contains(a));
                    if let Some(why) = self.doac_renal(agent) {
                        out.push(
                            Alert::new(id, plan, format!("{what} at {why}"), vec![class])
                                .monitor("choose the anticoagulant with the prescriber"),
                        );
                    }
                }
            }
            RuleId::DoacInteraction => {
                // The change brings a DOAC and a drug that raises its exposure together.
                for agent in after.iter().filter_map(doac) {
                    for other in after.iter().filter(|d| raises_doac(d, agent)) {
                        let concerns =
                            other.class == class || (class == D::Anticoagulant && drug.agent.as_deref() == Some(agent));
                        if concerns {
                            out.push(
                                Alert::new(
                                    id,
                                    plan,
                                    format!("{what}: {}", interaction(agent, other)),
                                    vec![D::Anticoagulant, other.class],
                                )
                                .monitor(DOAC_INTERACTION_MONITORING),
                            );
                        }
                    }
                }
            }
            RuleId::DronedaroneDabigatran => {
                let both = taking(after, "dronedarone") && taking(after, "dabigatran");
                if both && matches!(class, D::Antiarrhythmic | D::Anticoagulant) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what}: dronedarone with dabigatran is contraindicated"),
                        vec![D::Anticoagulant, D::Antiarrhythmic],
                    ));
                }
            }
            RuleId::IvabradineNonDhp => {
                let other = match class {
                    D::Ivabradine => Some(D::NonDihydropyridineCcb),
                    D::NonDihydropyridineCcb => Some(D::Ivabradine),
                    _ => None,
                };
                if other.is_some_and(|o| after.iter().any(|d| d.class == o)) {
                    out.push(Alert::new(
                        id,
                        plan,
                        format!("{what}: ivabradine with verapamil or diltiazem is contraindicated"),
                        vec![class],
                    ));
                }
            }
            RuleId::DronedaroneHeartFailure => {
                if let (true, Some(why)) =
                    (drug.agent.as_deref() == Some("dronedarone"), self.dronedarone_heart_failure())
                {
                    out.push(Alert::new(id, plan, format!("{what} with {why}"), vec![class]));
                }
            }
            RuleId::LabsAfterChange => {
                if LABS_AFTER.contains(&class) {
                    out.push(
                        Alert::new(id, plan, format!("{what}: check K+ and creatinine"), vec![class])
                            .monitor(LABS_1_2_WEEKS),
                    );
                }
            }
            // About a class taken away: above.
            RuleId::BetaBlockerWithdrawal | RuleId::AnticoagulationGap | RuleId::AfRateControl => {}
            // About the regimen on record and projections, not a change (a plan does not set a
            // DOAC's dose: its criteria are checked on the record's).
            RuleId::HyperkalaemiaOnRaas
            | RuleId::DbpFloor
            | RuleId::DbpLow
            | RuleId::SbpBelowRange
            | RuleId::DoacDose
            | RuleId::DoseAboveMax
            | RuleId::UnknownRegimen => {}
        }
    }

    /// The potassium of a start above its class's limit, with the limit.
    fn start_potassium_excess(&self, start: bool, class: D) -> Option<(f64, f64)> {
        let limit = match class {
            D::AceInhibitor | D::Arb | D::Arni => K_START_MAX,
            D::Mra => K_RAISE_MAX,
            _ => return None,
        };
        let k = self.potassium.filter(|k| start && *k > limit)?;
        Some((k, limit))
    }

    fn withdrawal(&self, before: &[RegimenDrug]) -> Alert {
        let name = before
            .iter()
            .find(|d| d.class == D::BetaBlocker)
            .map_or_else(|| D::BetaBlocker.in_words(), RegimenDrug::short_name);
        Alert::new(
            RuleId::BetaBlockerWithdrawal,
            AppliesTo::Plan,
            format!("stopping {name} with coronary disease on record: taper over 1–2 weeks, do not stop abruptly"),
            vec![D::BetaBlocker],
        )
        .monitor("angina symptoms and heart rate during the taper")
    }

    /// With active atrial fibrillation and CHA₂DS₂-VA at 2 or more (its floor, when an input is
    /// missing): the score as text with its items.
    fn anticoagulation_gap(&self) -> Option<String> {
        let va = &self.af.as_ref()?.cha2ds2_va;
        (va.at_least >= CHA2DS2_VA_ANTICOAGULATE)
            .then(|| format!("CHA₂DS₂-VA {} ({})", va.total_text(), va.scoring_items()))
    }

    /// With active atrial fibrillation, CHA₂DS₂-VA at 2 or more and no anticoagulant in `regimen`:
    /// the score in words (the plan's reason to start one).
    pub fn anticoagulation_needed(&self, regimen: &[RegimenDrug]) -> Option<String> {
        (!regimen.iter().any(|d| d.class == D::Anticoagulant)).then(|| self.anticoagulation_gap()).flatten()
    }

    /// What the DOAC dose criteria read (age, weight, creatinine, clearance, interacting drugs).
    pub fn dose_inputs(&self) -> &DoseInputs {
        &self.dose
    }

    /// The resting heart rate, when atrial fibrillation is active and above the lenient target.
    pub fn af_rate_high(&self) -> Option<f64> {
        self.af_rate_above_target()
    }

    /// HAS-BLED's advice beside an anticoagulant.
    fn bleeding_advice(&self) -> String {
        match self.af.as_ref().map(|a| &a.has_bled) {
            Some(hb) => format!("discuss anticoagulation; bleeding risk: {}", hb.recommendation),
            None => "discuss anticoagulation and bleeding risk".to_string(),
        }
    }

    /// The resting heart rate, when atrial fibrillation is active and it is at or above the lenient
    /// target.
    fn af_rate_above_target(&self) -> Option<f64> {
        self.heart_rate.filter(|h| self.atrial_fibrillation && *h >= HR_AF_LENIENT)
    }

    /// Why dronedarone is contraindicated here: HFrEF or NYHA class IV.
    fn dronedarone_heart_failure(&self) -> Option<String> {
        self.hfref.clone().or_else(|| self.nyha_iv.clone())
    }

    /// The creatinine clearance below a DOAC's floor, in words: below 15 for every DOAC (or an
    /// anticoagulant of unknown agent), below 30 for dabigatran.
    fn doac_renal(&self, agent: Option<&str>) -> Option<String> {
        let c = self.dose.crcl?;
        if c < CRCL_DOAC_MIN {
            Some(format!(
                "creatinine clearance {c:.0} mL/min (Cockcroft–Gault): DOACs are not recommended below \
                 {CRCL_DOAC_MIN:.0}"
            ))
        } else if agent == Some("dabigatran") && c < CRCL_DABIGATRAN_MIN {
            Some(format!(
                "creatinine clearance {c:.0} mL/min (Cockcroft–Gault): dabigatran is contraindicated below \
                 {CRCL_DABIGATRAN_MIN:.0} (label); switch the agent rather than stop anticoagulation"
            ))
        } else {
            None
        }
    }

    /// What is wrong with a DOAC's daily dose against its criteria, in words; `None` when it fits.
    fn dose_problem(&self, agent: &str, daily_mg: Option<f64>) -> Option<String> {
        let written = |mg: f64| af::dose_words(agent, mg);
        Some(match af::check_dose(agent, daily_mg, &self.dose) {
            DoseFinding::Fits => return None,
            DoseFinding::Under { expected_mg, why } => format!(
                "{agent} {} is below the dose its criteria call for, {} ({why}): under-dosing leaves stroke risk",
                written(daily_mg.unwrap_or_default()),
                written(expected_mg)
            ),
            DoseFinding::Over { expected_mg, why } => format!(
                "{agent} {} is above the dose its criteria call for, {} ({why}): over-dosing raises bleeding risk",
                written(daily_mg.unwrap_or_default()),
                written(expected_mg)
            ),
            DoseFinding::NotAnAfDose { doses: (reduced, standard) } => format!(
                "{agent} {} mg/day is neither of its AF doses ({} or {})",
                fmt_mg(daily_mg.unwrap_or_default()),
                written(reduced),
                written(standard)
            ),
            DoseFinding::DoseNotStated { expected: Some((mg, why)) } => {
                format!("{agent} (dose not stated): its criteria call for {} ({why})", written(mg))
            }
            DoseFinding::DoseNotStated { expected: None } => {
                format!("{agent} (dose not stated): its dose criteria could not be checked either")
            }
            DoseFinding::Unchecked { missing } => format!(
                "{agent} {}: its dose criteria could not be checked, no {} on record",
                written(daily_mg.unwrap_or_default()),
                missing.join(" or ")
            ),
        })
    }

    /// What the rules say of a plan projected to a median SBP and DBP of `sbp_median` and
    /// `dbp_median` (mmHg) and a 5th percentile DBP of `dbp_p05`: the diastolic floor with coronary
    /// disease or at 80 and over (below 60 excluded, 60–70 a caution), and a systolic BP below the
    /// target range. Values that are not finite are not judged.
    pub fn check_projection(&self, sbp_median: f64, dbp_median: f64, dbp_p05: f64) -> Vec<Alert> {
        let mut out = Vec::new();
        let plan = AppliesTo::Plan;
        let who = match (self.coronary, self.age.filter(|a| *a >= DBP_FLOOR_AGE)) {
            (true, _) => Some("coronary disease on record".to_string()),
            (false, Some(a)) => Some(format!("age {a:.0}")),
            (false, None) => None,
        };
        if let (Some(who), true) = (&who, dbp_median.is_finite()) {
            if dbp_median < DBP_FLOOR {
                out.push(Alert::new(
                    RuleId::DbpFloor,
                    plan,
                    format!(
                        "projected diastolic BP {} mmHg (median) is below {DBP_FLOOR:.0} with {who}",
                        under(dbp_median, DBP_FLOOR)
                    ),
                    Vec::new(),
                ));
            } else if dbp_median < DBP_LOW {
                out.push(
                    Alert::new(
                        RuleId::DbpLow,
                        plan,
                        format!(
                            "projected diastolic BP {} mmHg (median) is below {DBP_LOW:.0} with {who}",
                            under(dbp_median, DBP_LOW)
                        ),
                        Vec::new(),
                    )
                    .monitor("symptoms of hypoperfusion and standing BP at the next visit"),
                );
            } else if dbp_p05.is_finite() && dbp_p05 < DBP_FLOOR {
                out.push(
                    Alert::new(
                        RuleId::DbpLow,
                        plan,
                        format!(
                            "1 in 20 simulated courses falls below a diastolic BP of {DBP_FLOOR:.0} mmHg ({dbp_p05:.0}) \
                             with {who}"
                        ),
                        Vec::new(),
                    )
                    .monitor("symptoms of hypoperfusion and standing BP at the next visit"),
                );
            }
        } else if who.is_none() && dbp_median.is_finite() && dbp_median < DBP_FLOOR {
            // Without coronary disease and under 80 the floor does not exclude, but a projected
            // diastolic below 60 is still far below the 70–79 target.
            out.push(
                Alert::new(
                    RuleId::DbpLow,
                    plan,
                    format!(
                        "projected diastolic BP {} mmHg (median) is below {DBP_FLOOR:.0}, under the 70–79 target range",
                        under(dbp_median, DBP_FLOOR)
                    ),
                    Vec::new(),
                )
                .monitor("symptoms of hypoperfusion and standing BP at the next visit"),
            );
        }
        // At 85 or over, or with frailty, orthostatic hypotension or falls, the target is as low as
        // reasonably achievable and the floor 130 (targets.rs); otherwise the 120–129 range.
        let relaxed = match (self.age.filter(|a| *a >= 85.0), self.frailty.is_empty()) {
            (Some(a), _) => Some(format!("age {a:.0}")),
            (None, false) => Some(format!("{} on record", self.frailty.join(", "))),
            (None, true) => None,
        };
        let (floor, range) = match &relaxed {
            Some(who) => (SBP_RELAXED_LOW, format!("130 mmHg, the floor of a relaxed target with {who}")),
            None => (SBP_RANGE_LOW, "the 120–129 target range".to_string()),
        };
        if sbp_median.is_finite() && sbp_median < floor {
            out.push(
                Alert::new(
                    RuleId::SbpBelowRange,
                    plan,
                    format!("projected systolic BP {} mmHg (median) is below {range}", under(sbp_median, floor)),
                    Vec::new(),
                )
                .monitor("symptoms and standing BP at the next visit"),
            );
        }
        out
    }
}

/// The most serious first, then by rule, then by message.
fn sort(alerts: &mut [Alert]) {
    alerts.sort_by(|a, b| a.severity.cmp(&b.severity).then(a.rule.cmp(&b.rule)).then(a.message.cmp(&b.message)));
}

/// What to watch with a DOAC and a drug that raises its exposure.
const DOAC_INTERACTION_MONITORING: &str = "bleeding signs, haemoglobin and renal function at follow-up";

/// What to do above the lenient rate-control target.
const AF_RATE_MONITORING: &str =
    "review rate control (beta-blocker; diltiazem or verapamil only with LVEF > 40 %; digoxin) and record an ECG";

/// The DOAC a drug is, where it is one the dose rules know.
fn doac(d: &RegimenDrug) -> Option<&str> {
    d.agent.as_deref().filter(|a| d.class == D::Anticoagulant && af::DOACS.contains(a))
}

/// Whether `regimen` holds `agent`.
fn taking(regimen: &[RegimenDrug], agent: &str) -> bool {
    regimen.iter().any(|d| d.agent.as_deref() == Some(agent))
}

/// The class a change concerns (the old one, for a switch).
fn change_class(change: &Change) -> Option<D> {
    match change {
        Change::Start(c, _) | Change::Raise(c, _) | Change::Lower(c, _) | Change::Stop(c) => Some(*c),
        Change::Switch(from, _, _) => Some(*from),
    }
}

/// Whether `other` raises the exposure of `doac`, as an interaction this rule speaks of: verapamil,
/// diltiazem (or a non-dihydropyridine CCB of unknown agent), amiodarone, dronedarone (or an
/// antiarrhythmic of unknown agent); dronedarone with dabigatran is its own rule.
fn raises_doac(other: &RegimenDrug, doac: &str) -> bool {
    match other.class {
        D::NonDihydropyridineCcb => true,
        D::Antiarrhythmic => match other.agent.as_deref() {
            Some("dronedarone") => doac != "dabigatran",
            Some("amiodarone") | None => true,
            Some(_) => false,
        },
        _ => false,
    }
}

/// The interaction of `doac` with `other`, in words (EHRA practical guide 2021, drug–drug
/// interactions).
fn interaction(doac: &str, other: &RegimenDrug) -> String {
    let name = other.short_name();
    let effect = match (other.agent.as_deref(), doac) {
        (Some("verapamil"), "dabigatran") => {
            "verapamil raises dabigatran exposure (P-glycoprotein): 110 mg twice daily, taken together".to_string()
        }
        (Some("verapamil"), _) => format!("verapamil raises {doac} exposure (P-glycoprotein inhibition)"),
        (Some("diltiazem"), _) => {
            format!("diltiazem raises {doac} exposure (CYP3A4 and P-glycoprotein inhibition)")
        }
        (Some("amiodarone"), _) => {
            format!("amiodarone raises {doac} exposure a little (a minor effect for most DOACs, no dose change)")
        }
        (Some("dronedarone"), "edoxaban") => "dronedarone raises edoxaban exposure: 30 mg once daily".to_string(),
        (Some("dronedarone"), "rivaroxaban") => {
            "dronedarone raises rivaroxaban exposure: the combination is best avoided (no data)".to_string()
        }
        (Some("dronedarone"), _) => format!("dronedarone raises {doac} exposure"),
        (_, _) if other.class == D::NonDihydropyridineCcb => {
            format!("a non-dihydropyridine CCB (verapamil or diltiazem) raises {doac} exposure")
        }
        _ => format!("an antiarrhythmic (amiodarone or dronedarone) raises {doac} exposure"),
    };
    format!("{doac} with {name}: {effect}; watch for bleeding")
}

/// The latest reading of `kind` on or before `today`.
fn latest_sample(record: &PatientRecord, kind: K, today: Date) -> Option<&crate::record::Sample> {
    record.series(kind).iter().rev().find(|s| s.date <= today && s.value.is_finite())
}

/// The latest value of `kind` on or before `today`.
fn latest(record: &PatientRecord, kind: K, today: Date) -> Option<f64> {
    latest_sample(record, kind, today).map(|s| s.value)
}

/// eGFR on record, or from the latest creatinine (CKD-EPI 2021) when that is newer, with how it
/// was had; readings after `today` are not read.
fn egfr(record: &PatientRecord, age: Option<f64>, today: Date) -> Option<(f64, &'static str)> {
    let lab = latest_sample(record, K::Egfr, today);
    let from_creatinine = latest_sample(record, K::Creatinine, today).and_then(|s| {
        let e = crate::renal::egfr_ckd_epi_2021(s.value, age?, record.demographics.sex?)?;
        Some((s.date, e))
    });
    match (lab, from_creatinine) {
        (Some(l), Some((d, e))) if d > l.date => Some((e, " (from creatinine)")),
        (Some(l), _) => Some((l.value, "")),
        (None, Some((_, e))) => Some((e, " (from creatinine)")),
        (None, None) => None,
    }
}

/// Whether the formulary knows `agent`.
fn known_agent(agent: &str) -> bool {
    crate::formulary::agent_by_name(agent).is_some()
}

/// The agent's maximum daily dose, mg, when `daily_mg` is above it (the formulary's label
/// maximum); `None` when it is not, or the formulary does not know the agent.
fn above_max(agent: &str, daily_mg: f64) -> Option<f64> {
    let a = crate::formulary::agent_by_name(agent)?;
    crate::formulary::is_above_max(a, daily_mg).then_some(a.max_daily_mg)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small builder of records for the suggestion's tests.

    use time::macros::date;
    use time::Date;

    use crate::drugs::{DoseLevel, DrugClass};
    use crate::record::{
        Allergy, Condition, ConditionKind, Demographics, MeasurementKind, Medication, PatientRecord, Procedure,
        ProcedureKind, Sample, Sex, Source,
    };

    /// The pinned consultation day of these tests.
    pub const TODAY: Date = date!(2026 - 12 - 01);

    /// A record being built.
    pub struct Rec(pub PatientRecord);

    impl Rec {
        /// A patient of `age` on [`TODAY`] and `sex`.
        pub fn new(age: i32, sex: Sex) -> Self {
            // Born on 1 June, the age on 1 December (TODAY) is `age`.
            let birth = Date::from_calendar_date(TODAY.year() - age, time::Month::June, 1).ok();
            let demo = Demographics { name: "Test".into(), birth_date: birth, sex: Some(sex) };
            let mut r = PatientRecord::new("p", demo);
            r.synthetic = true;
            Rec(r)
        }

        /// A reading `days_ago` before [`TODAY`].
        pub fn reading(mut self, kind: MeasurementKind, value: f64, days_ago: i64) -> Self {
            let n = self.0.measurements.values().map(Vec::len).sum::<usize>();
            self.0.push_sample(
                kind,
                Sample {
                    date: TODAY - time::Duration::days(days_ago),
                    value,
                    source: Source { resource: format!("Observation/{n}") },
                },
            );
            self
        }

        /// Today's reading.
        pub fn lab(self, kind: MeasurementKind, value: f64) -> Self {
            self.reading(kind, value, 1)
        }

        /// An active condition with an onset.
        pub fn condition_since(mut self, kind: ConditionKind, onset: Option<Date>, active: bool) -> Self {
            let n = self.0.conditions.len();
            self.0.conditions.push(Condition {
                kind: Some(kind),
                code: "test".into(),
                display: kind.label().into(),
                onset,
                active,
                source: Source { resource: format!("Condition/c{n}") },
            });
            self
        }

        /// An active condition.
        pub fn condition(self, kind: ConditionKind) -> Self {
            self.condition_since(kind, None, true)
        }

        /// A medication taken now.
        pub fn drug(mut self, agent: &str, class: DrugClass, mg: Option<f64>, dose: DoseLevel) -> Self {
            let n = self.0.medications.len();
            self.0.medications.push(Medication {
                class: Some(class),
                agent: Some(agent.into()),
                code: "test".into(),
                display: agent.into(),
                daily_dose_mg: mg,
                dose_level: Some(dose),
                start: Some(date!(2024 - 01 - 01)),
                end: None,
                adherence: None,
                source: Source { resource: format!("MedicationRequest/m{n}") },
            });
            self
        }

        /// A medication the twin cannot identify.
        pub fn unknown_drug(mut self, display: &str) -> Self {
            let n = self.0.medications.len();
            self.0.medications.push(Medication {
                class: None,
                agent: None,
                code: "test".into(),
                display: display.into(),
                daily_dose_mg: None,
                dose_level: None,
                start: Some(date!(2024 - 01 - 01)),
                end: None,
                adherence: None,
                source: Source { resource: format!("MedicationRequest/m{n}") },
            });
            self
        }

        /// An allergy to a class, with or without angioedema.
        pub fn allergy(mut self, display: &str, class: Option<DrugClass>, angioedema: bool) -> Self {
            let n = self.0.allergies.len();
            self.0.allergies.push(Allergy {
                class,
                display: display.into(),
                angioedema,
                source: Source { resource: format!("AllergyIntolerance/a{n}") },
            });
            self
        }

        /// A procedure on a date.
        pub fn procedure(mut self, kind: ProcedureKind, on: Date) -> Self {
            self.0.procedures.push(Procedure {
                kind: Some(kind),
                code: "test".into(),
                display: "test".into(),
                date: Some(on),
                source: Source { resource: "Procedure/p".into() },
            });
            self
        }

        /// The record.
        pub fn build(self) -> PatientRecord {
            self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{Rec, TODAY};
    use super::*;
    use crate::record::Sex;
    use DoseLevel::{Double, Half, Standard};

    fn facts(r: Rec) -> SafetyFacts {
        SafetyFacts::of(&r.build(), TODAY)
    }

    #[test]
    fn a_projection_just_under_a_limit_is_not_rounded_up_to_it() {
        assert_eq!(under(119.5, 120.0), "119.5");
        assert_eq!(under(119.96, 120.0), "119.9");
        assert_eq!(under(56.2, 60.0), "56");
        assert_eq!(under(59.4, 60.0), "59");
    }

    fn regimen(r: &Rec) -> Vec<RegimenDrug> {
        RegimenDrug::from_record(&r.0, TODAY)
    }

    fn current(r: Rec) -> Vec<Alert> {
        let regimen = regimen(&r);
        facts(r).current_alerts(&regimen)
    }

    fn change(r: Rec, change: Change) -> Vec<Alert> {
        let before = regimen(&r);
        let after = change.apply(&before);
        facts(r).check_change(&before, &change, &after)
    }

    fn fired(alerts: &[Alert], id: RuleId) -> Option<&Alert> {
        alerts.iter().find(|a| a.rule == id)
    }

    fn excluded(alerts: &[Alert]) -> bool {
        alerts.iter().any(|a| a.severity == Severity::Contraindicated)
    }

    fn adult() -> Rec {
        Rec::new(60, Sex::Male)
    }

    fn bisoprolol(r: Rec) -> Rec {
        r.drug("bisoprolol", D::BetaBlocker, Some(5.0), Standard)
    }

    // ---- The table itself.

    #[test]
    fn every_rule_is_listed_once_in_order_with_a_distinct_code_a_source_and_its_verdict() {
        assert_eq!(RULES.len(), RuleId::ALL.len());
        for (i, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(RULES[i].id, *id, "RULES is in RuleId's order");
            assert_eq!(*id as usize, i);
            assert_eq!(id.rule().id, *id);
        }
        let codes: std::collections::BTreeSet<&str> = RULES.iter().map(|r| r.id.code()).collect();
        assert_eq!(codes.len(), RULES.len(), "codes are distinct");
        for r in RULES {
            assert!(!r.source.is_empty() && !r.text.is_empty(), "{:?}", r.id);
            assert_eq!(r.verdict, r.severity.verdict(), "{:?}", r.id);
        }
    }

    #[test]
    fn pregnancy_options_are_labetalol_nifedipine_and_methyldopa() {
        assert_eq!(pregnancy_options(), &[D::BetaBlocker, D::CalciumChannelBlocker, D::CentrallyActing]);
        for c in pregnancy_options() {
            let agent = crate::formulary::preferred_agent_in_pregnancy(*c).map(|a| a.name);
            assert!(agent.is_some_and(|a| PREGNANCY_AGENTS.contains(&a)), "{c:?}: {agent:?}");
        }
        for agent in ["labetalol", "nifedipine", "methyldopa"] {
            assert!(PREGNANCY_AGENTS.contains(&agent));
        }
        for c in pregnancy_options() {
            assert!(!NOT_IN_PREGNANCY.contains(c));
        }
    }

    #[test]
    fn change_apply_starts_raises_stops_and_switches() {
        let before = vec![RegimenDrug::agent(D::AceInhibitor, Standard, "lisinopril", Some(10.0))];
        let up = Change::Raise(D::AceInhibitor, Double).apply(&before);
        assert_eq!((up[0].dose, up[0].daily_mg, up[0].agent.as_deref()), (Double, None, Some("lisinopril")));
        assert_eq!(Change::Start(D::Thiazide, Half).apply(&before).len(), 2);
        assert!(Change::Stop(D::AceInhibitor).apply(&before).is_empty());
        let sw = Change::Switch(D::AceInhibitor, D::Arb, Standard).apply(&before);
        assert_eq!(sw.iter().map(|d| d.class).collect::<Vec<_>>(), [D::Arb]);
    }

    #[test]
    fn beta_blocker_indications_are_heart_failure_coronary_disease_and_af() {
        for kind in [C::HeartFailure, C::CoronaryArteryDisease, C::MyocardialInfarction, C::AtrialFibrillation] {
            assert!(facts(adult().condition(kind)).beta_blocker_indicated(), "{kind:?}");
        }
        assert!(facts(adult().lab(K::Lvef, 35.0)).beta_blocker_indicated());
        assert!(!facts(adult().condition(C::Hypertension)).beta_blocker_indicated());
    }

    // ---- Beta-blocker with verapamil/diltiazem.

    #[test]
    fn beta_blocker_with_non_dhp_ccb_is_contraindicated_and_an_alert_on_record() {
        // Issue 27: patient 09 on bisoprolol was offered verapamil/diltiazem.
        let a = change(bisoprolol(adult()).lab(K::HeartRate, 72.0), Change::Start(D::NonDihydropyridineCcb, Standard));
        let f = fired(&a, RuleId::BetaBlockerNonDhp).expect("fires");
        assert_eq!(f.severity, Severity::Contraindicated);
        assert!(f.message.contains("bisoprolol"), "{}", f.message);
        let now = current(bisoprolol(adult()).drug("diltiazem", D::NonDihydropyridineCcb, Some(180.0), Standard));
        let f = fired(&now, RuleId::BetaBlockerNonDhp).expect("current alert");
        assert_eq!(f.applies_to, AppliesTo::Current);
        assert!(f.message.contains("bisoprolol + diltiazem"), "{}", f.message);
    }

    #[test]
    fn beta_blocker_with_amlodipine_is_not_the_non_dhp_rule() {
        let a = change(bisoprolol(adult()).lab(K::HeartRate, 72.0), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::BetaBlockerNonDhp).is_none());
        let now = current(bisoprolol(adult()).drug("amlodipine", D::CalciumChannelBlocker, Some(5.0), Standard));
        assert!(fired(&now, RuleId::BetaBlockerNonDhp).is_none());
    }

    // ---- Rate-slowing drugs.

    #[test]
    fn rate_slowing_drug_at_hr_below_55_or_with_av_block_is_contraindicated() {
        for class in [D::BetaBlocker, D::NonDihydropyridineCcb] {
            let a = change(adult().lab(K::HeartRate, 52.0), Change::Start(class, Standard));
            assert!(fired(&a, RuleId::RateSlowing).is_some_and(|f| f.message.contains("52/min")), "{class:?}");
            assert!(excluded(&a));
            let a =
                change(adult().lab(K::HeartRate, 70.0).condition(C::HighGradeAvBlock), Change::Start(class, Standard));
            assert!(fired(&a, RuleId::RateSlowing).is_some_and(|f| f.message.contains("AV block")), "{class:?}");
        }
        let raise = change(bisoprolol(adult()).lab(K::HeartRate, 50.0), Change::Raise(D::BetaBlocker, Double));
        assert!(fired(&raise, RuleId::RateSlowing).is_some());
        // On record: an alert below 50/min.
        let now = current(bisoprolol(adult()).lab(K::HeartRate, 47.0));
        let f = fired(&now, RuleId::RateSlowing).expect("alert");
        assert!(f.message.contains("bisoprolol 5 mg/day") && f.message.contains("47/min"), "{}", f.message);
    }

    #[test]
    fn rate_slowing_control_hr_60_and_amlodipine_and_on_record_at_52() {
        let a = change(adult().lab(K::HeartRate, 60.0), Change::Start(D::BetaBlocker, Standard));
        assert!(fired(&a, RuleId::RateSlowing).is_none());
        let a = change(adult().lab(K::HeartRate, 48.0), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::RateSlowing).is_none(), "amlodipine does not slow the heart");
        // Lowering a beta-blocker at a slow rate is what should happen.
        let a = change(bisoprolol(adult()).lab(K::HeartRate, 48.0), Change::Lower(D::BetaBlocker, Half));
        assert!(a.is_empty(), "{a:?}");
        // On record at 52/min (not below 50): no alert.
        assert!(fired(&current(bisoprolol(adult()).lab(K::HeartRate, 52.0)), RuleId::RateSlowing).is_none());
    }

    // ---- Dual RAAS blockade.

    fn lisinopril(r: Rec) -> Rec {
        r.drug("lisinopril", D::AceInhibitor, Some(10.0), Standard)
    }

    #[test]
    fn dual_raas_is_contraindicated_and_an_alert_naming_all_three() {
        let a = change(lisinopril(adult()), Change::Start(D::Arb, Standard));
        assert!(fired(&a, RuleId::DualRaas).is_some_and(|f| f.severity == Severity::Contraindicated));
        let now = current(lisinopril(adult()).drug("losartan", D::Arb, Some(50.0), Standard).drug(
            "spironolactone",
            D::Mra,
            Some(25.0),
            Standard,
        ));
        let f = fired(&now, RuleId::DualRaas).expect("alert");
        assert!(
            f.message.starts_with("lisinopril + losartan + spironolactone: dual RAAS blockade with an MRA"),
            "{}",
            f.message
        );
        assert_eq!(f.applies_to, AppliesTo::Current);
    }

    #[test]
    fn dual_raas_control_switch_and_stop_are_allowed() {
        let a = change(lisinopril(adult()), Change::Switch(D::AceInhibitor, D::Arb, Standard));
        assert!(fired(&a, RuleId::DualRaas).is_none());
        let both = lisinopril(adult()).drug("losartan", D::Arb, Some(50.0), Standard);
        let a = change(both, Change::Stop(D::Arb));
        assert!(a.is_empty(), "stopping the ARB of a dual blockade is allowed: {a:?}");
        assert!(fired(
            &current(lisinopril(adult()).drug("spironolactone", D::Mra, Some(25.0), Standard)),
            RuleId::DualRaas
        )
        .is_none());
    }

    // ---- ACE inhibitor after angioedema.

    #[test]
    fn ace_inhibitor_after_angioedema_is_contraindicated_and_continued_is_an_alert() {
        // Angioedema as a condition, resolved long ago.
        let r = adult().condition_since(C::Angioedema, None, false);
        let a = change(r, Change::Start(D::AceInhibitor, Standard));
        assert!(fired(&a, RuleId::AceInhibitorAngioedema).is_some_and(|f| f.message.contains("Condition/c0")));
        // As an allergy's reaction.
        let r = lisinopril(adult()).allergy("Enalapril", Some(D::AceInhibitor), true);
        let a = change(r, Change::Raise(D::AceInhibitor, Double));
        assert!(fired(&a, RuleId::AceInhibitorAngioedema).is_some());
        let now = current(lisinopril(adult()).condition(C::Angioedema));
        let f = fired(&now, RuleId::AceInhibitorAngioedema).expect("alert");
        assert!(f.message.contains("continued despite angioedema"), "{}", f.message);
    }

    #[test]
    fn ace_inhibitor_without_angioedema_and_arb_after_it_pass_the_rule() {
        let a = change(adult(), Change::Start(D::AceInhibitor, Standard));
        assert!(fired(&a, RuleId::AceInhibitorAngioedema).is_none());
        let a = change(adult().condition(C::Angioedema), Change::Start(D::Arb, Standard));
        assert!(fired(&a, RuleId::AceInhibitorAngioedema).is_none());
        let r = lisinopril(adult()).allergy("Penicillin", None, false);
        assert!(fired(&current(r), RuleId::AceInhibitorAngioedema).is_none());
    }

    #[test]
    fn sacubitril_valsartan_after_angioedema_is_contraindicated_and_beside_an_ace_inhibitor_is_dual_blockade() {
        let a = change(adult().condition(C::Angioedema), Change::Start(D::Arni, Half));
        assert!(fired(&a, RuleId::AceInhibitorAngioedema).is_some_and(|f| f.severity == Severity::Contraindicated));
        let r = adult().condition(C::Angioedema).drug("sacubitril", D::Arni, Some(200.0), Standard);
        assert!(fired(&current(r), RuleId::AceInhibitorAngioedema).is_some());
        // Started beside an ACE inhibitor (not a switch): dual blockade.
        let a = change(lisinopril(adult()), Change::Start(D::Arni, Half));
        assert!(fired(&a, RuleId::DualRaas).is_some(), "{a:?}");
    }

    #[test]
    fn sacubitril_valsartan_switched_from_an_ace_inhibitor_without_angioedema_passes() {
        let a = change(lisinopril(adult()), Change::Switch(D::AceInhibitor, D::Arni, Half));
        assert!(fired(&a, RuleId::DualRaas).is_none() && fired(&a, RuleId::AceInhibitorAngioedema).is_none(), "{a:?}");
    }

    // ---- Ivabradine with verapamil or diltiazem.

    #[test]
    fn ivabradine_with_diltiazem_is_contraindicated() {
        let r = adult().drug("diltiazem", D::NonDihydropyridineCcb, Some(180.0), Standard);
        let a = change(r, Change::Start(D::Ivabradine, Standard));
        assert!(fired(&a, RuleId::IvabradineNonDhp).is_some_and(|f| f.severity == Severity::Contraindicated), "{a:?}");
        let r = adult().drug("diltiazem", D::NonDihydropyridineCcb, Some(180.0), Standard).drug(
            "ivabradine",
            D::Ivabradine,
            Some(10.0),
            Standard,
        );
        assert!(fired(&current(r), RuleId::IvabradineNonDhp).is_some());
    }

    #[test]
    fn ivabradine_with_amlodipine_passes() {
        let r = adult().drug("amlodipine", D::CalciumChannelBlocker, Some(5.0), Standard);
        let a = change(r, Change::Start(D::Ivabradine, Standard));
        assert!(fired(&a, RuleId::IvabradineNonDhp).is_none(), "{a:?}");
    }

    // ---- Potassium.

    #[test]
    fn raising_raas_or_mra_above_potassium_5_is_contraindicated() {
        // Issue 27: at K+ 6.0 "raise ARB to double dose" stayed allowed.
        for (agent, class) in [("losartan", D::Arb), ("lisinopril", D::AceInhibitor), ("spironolactone", D::Mra)] {
            let r = adult().drug(agent, class, None, Standard).lab(K::Potassium, 5.2);
            let a = change(r, Change::Raise(class, Double));
            assert!(fired(&a, RuleId::PotassiumRaise).is_some_and(|f| f.message.contains("5.2")), "{class:?}");
        }
    }

    #[test]
    fn raising_raas_at_potassium_5_or_amlodipine_at_6_passes() {
        let a = change(lisinopril(adult()).lab(K::Potassium, 5.0), Change::Raise(D::AceInhibitor, Double));
        assert!(fired(&a, RuleId::PotassiumRaise).is_none());
        let r = adult().drug("amlodipine", D::CalciumChannelBlocker, None, Standard).lab(K::Potassium, 6.0);
        assert!(change(r, Change::Raise(D::CalciumChannelBlocker, Double)).is_empty());
    }

    #[test]
    fn starting_ace_inhibitor_above_5_5_or_mra_above_5_is_contraindicated() {
        let a = change(adult().lab(K::Potassium, 5.6), Change::Start(D::AceInhibitor, Standard));
        assert!(fired(&a, RuleId::PotassiumStart).is_some());
        let a = change(adult().lab(K::Potassium, 5.1), Change::Start(D::Mra, Standard));
        assert!(fired(&a, RuleId::PotassiumStart).is_some());
    }

    #[test]
    fn starting_ace_inhibitor_at_5_2_is_a_caution_not_a_contraindication() {
        let a = change(adult().lab(K::Potassium, 5.2), Change::Start(D::AceInhibitor, Standard));
        assert!(fired(&a, RuleId::PotassiumStart).is_none());
        assert!(!excluded(&a), "{a:?}");
        let a = change(adult().lab(K::Potassium, 4.5), Change::Start(D::Mra, Standard));
        assert!(fired(&a, RuleId::PotassiumStart).is_none());
    }

    #[test]
    fn starting_raas_at_potassium_4_8_to_5_is_a_caution_with_monitoring() {
        let a = change(adult().lab(K::Potassium, 4.9), Change::Start(D::Arb, Standard));
        let f = fired(&a, RuleId::PotassiumMonitor).expect("caution");
        assert_eq!(f.severity, Severity::Caution);
        assert!(f.monitoring.as_deref().is_some_and(|m| m.contains("K+ and creatinine")), "{f:?}");
        assert!(!excluded(&a));
    }

    #[test]
    fn starting_raas_at_potassium_4_5_needs_no_potassium_caution() {
        let a = change(adult().lab(K::Potassium, 4.5), Change::Start(D::Arb, Standard));
        assert!(fired(&a, RuleId::PotassiumMonitor).is_none());
        // The routine labs after a RAAS start are still said.
        assert!(fired(&a, RuleId::LabsAfterChange).is_some());
    }

    #[test]
    fn potassium_5_9_on_ace_inhibitor_and_mra_is_a_current_alert() {
        let r = lisinopril(adult()).drug("spironolactone", D::Mra, Some(25.0), Standard).lab(K::Potassium, 5.9);
        let f = fired(&current(r), RuleId::HyperkalaemiaOnRaas).cloned().expect("alert");
        assert!(f.message.contains("potassium 5.9 mmol/L on lisinopril + spironolactone"), "{}", f.message);
        assert_eq!(f.severity, Severity::Contraindicated);
    }

    #[test]
    fn potassium_5_4_on_raas_or_5_9_without_raas_is_no_current_alert() {
        let r = lisinopril(adult()).lab(K::Potassium, 5.4);
        assert!(fired(&current(r), RuleId::HyperkalaemiaOnRaas).is_none());
        let r = adult().drug("amlodipine", D::CalciumChannelBlocker, None, Standard).lab(K::Potassium, 5.9);
        assert!(fired(&current(r), RuleId::HyperkalaemiaOnRaas).is_none());
    }

    #[test]
    fn a_reading_after_the_consultation_day_is_not_read() {
        // Potassium 6.1 dated after TODAY (a record read "as of" an earlier day): the 4.2 counts.
        let r = lisinopril(adult()).reading(K::Potassium, 4.2, 30).reading(K::Potassium, 6.1, -10);
        assert!(fired(&current(r), RuleId::HyperkalaemiaOnRaas).is_none());
    }

    // ---- MRA and eGFR.

    #[test]
    fn mra_at_egfr_below_30_is_contraindicated_and_an_alert_on_record() {
        let a = change(adult().lab(K::Egfr, 25.0), Change::Start(D::Mra, Standard));
        assert!(fired(&a, RuleId::MraEgfr).is_some_and(|f| f.message.contains("eGFR 25")));
        let now = current(adult().drug("spironolactone", D::Mra, Some(25.0), Standard).lab(K::Egfr, 25.0));
        assert!(fired(&now, RuleId::MraEgfr).is_some());
    }

    #[test]
    fn mra_at_egfr_45_passes() {
        let a = change(adult().lab(K::Egfr, 45.0).lab(K::Potassium, 4.2), Change::Start(D::Mra, Standard));
        assert!(!excluded(&a), "{a:?}");
    }

    #[test]
    fn egfr_from_a_newer_creatinine_counts() {
        // Creatinine 400 µmol/L at 60: eGFR about 14 by CKD-EPI 2021, newer than the lab's 50.
        let r = adult().reading(K::Egfr, 50.0, 200).reading(K::Creatinine, 400.0, 2);
        let a = change(r, Change::Start(D::Mra, Standard));
        assert!(fired(&a, RuleId::MraEgfr).is_some_and(|f| f.message.contains("from creatinine")), "{a:?}");
    }

    // ---- Metformin.

    #[test]
    fn metformin_2g_at_egfr_10_is_a_current_alert() {
        let r = adult().drug("metformin", D::Metformin, Some(2000.0), Double).lab(K::Egfr, 10.0);
        let f = fired(&current(r), RuleId::MetforminEgfr).cloned().expect("alert");
        assert!(f.message.contains("metformin 2000 mg/day at eGFR 10"), "{}", f.message);
        let a = change(adult().lab(K::Egfr, 20.0), Change::Start(D::Metformin, Standard));
        assert!(excluded(&a));
    }

    #[test]
    fn metformin_at_egfr_60_passes() {
        let r = adult().drug("metformin", D::Metformin, Some(2000.0), Double).lab(K::Egfr, 60.0);
        let now = current(r);
        assert!(fired(&now, RuleId::MetforminEgfr).is_none() && fired(&now, RuleId::MetforminDose).is_none());
    }

    #[test]
    fn metformin_above_1000_mg_at_egfr_40_is_a_caution() {
        let r = adult().drug("metformin", D::Metformin, Some(2000.0), Double).lab(K::Egfr, 40.0);
        let f = fired(&current(r), RuleId::MetforminDose).cloned().expect("caution");
        assert_eq!(f.severity, Severity::Caution);
        assert!(f.message.contains("at most 1000 mg"), "{}", f.message);
    }

    #[test]
    fn metformin_1000_mg_at_egfr_40_passes() {
        let r = adult().drug("metformin", D::Metformin, Some(1000.0), Standard).lab(K::Egfr, 40.0);
        assert!(fired(&current(r), RuleId::MetforminDose).is_none());
    }

    // ---- SGLT2 inhibitors.

    #[test]
    fn sglt2_inhibitor_started_at_egfr_below_20_is_contraindicated() {
        let a = change(adult().lab(K::Egfr, 17.0), Change::Start(D::Sglt2Inhibitor, Standard));
        assert!(fired(&a, RuleId::Sglt2Egfr).is_some_and(|f| f.message.contains("eGFR 17")), "{a:?}");
    }

    #[test]
    fn sglt2_inhibitor_at_egfr_25_or_continued_at_17_passes() {
        let a = change(adult().lab(K::Egfr, 25.0), Change::Start(D::Sglt2Inhibitor, Standard));
        assert!(fired(&a, RuleId::Sglt2Egfr).is_none());
        let now = current(adult().drug("dapagliflozin", D::Sglt2Inhibitor, Some(10.0), Standard).lab(K::Egfr, 17.0));
        assert!(fired(&now, RuleId::Sglt2Egfr).is_none(), "continued below 20");
    }

    // ---- Thiazides.

    #[test]
    fn thiazide_at_egfr_below_30_is_a_caution() {
        let a = change(adult().lab(K::Egfr, 22.0), Change::Start(D::Thiazide, Standard));
        let f = fired(&a, RuleId::ThiazideEgfr).expect("caution");
        assert_eq!(f.severity, Severity::Caution);
        let now = current(adult().drug("hydrochlorothiazide", D::Thiazide, Some(25.0), Standard).lab(K::Egfr, 22.0));
        assert!(fired(&now, RuleId::ThiazideEgfr).is_some());
    }

    #[test]
    fn chlorthalidone_at_egfr_22_or_a_thiazide_at_50_passes() {
        let now = current(adult().drug("chlorthalidone", D::Thiazide, Some(25.0), Standard).lab(K::Egfr, 22.0));
        assert!(fired(&now, RuleId::ThiazideEgfr).is_none());
        let a = change(adult().lab(K::Egfr, 50.0), Change::Start(D::Thiazide, Standard));
        assert!(fired(&a, RuleId::ThiazideEgfr).is_none());
    }

    #[test]
    fn thiazide_with_sodium_below_130_or_past_hyponatraemia_is_contraindicated() {
        let a = change(adult().lab(K::Sodium, 127.0), Change::Start(D::Thiazide, Standard));
        assert!(fired(&a, RuleId::ThiazideHyponatraemia).is_some_and(|f| f.message.contains("127")));
        let a = change(
            adult().lab(K::Sodium, 139.0).condition_since(C::Hyponatraemia, None, false),
            Change::Start(D::Thiazide, Standard),
        );
        assert!(fired(&a, RuleId::ThiazideHyponatraemia).is_some());
        let now = current(adult().drug("indapamide", D::Thiazide, Some(1.5), Half).lab(K::Sodium, 126.0));
        assert!(fired(&now, RuleId::ThiazideHyponatraemia).is_some());
    }

    #[test]
    fn thiazide_with_sodium_139_passes() {
        let a = change(adult().lab(K::Sodium, 139.0), Change::Start(D::Thiazide, Standard));
        assert!(!excluded(&a) && fired(&a, RuleId::ThiazideSodiumMonitor).is_none(), "{a:?}");
    }

    #[test]
    fn thiazide_with_sodium_132_is_a_caution() {
        let a = change(adult().lab(K::Sodium, 132.0), Change::Start(D::Thiazide, Standard));
        let f = fired(&a, RuleId::ThiazideSodiumMonitor).expect("caution");
        assert!(f.monitoring.is_some());
        assert!(!excluded(&a));
    }

    #[test]
    fn amlodipine_with_sodium_132_needs_no_sodium_caution() {
        let a = change(adult().lab(K::Sodium, 132.0), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::ThiazideSodiumMonitor).is_none());
    }

    // ---- Projections.

    #[test]
    fn diastolic_below_60_with_coronary_disease_or_at_80_excludes_the_plan() {
        let cad = facts(adult().condition(C::CoronaryArteryDisease));
        assert!(fired(&cad.check_projection(128.0, 58.0, 50.0), RuleId::DbpFloor).is_some());
        let old = facts(Rec::new(82, Sex::Female));
        let a = old.check_projection(131.0, 52.0, 43.0);
        assert!(fired(&a, RuleId::DbpFloor).is_some_and(|f| f.message.contains("age 82")), "{a:?}");
        // A PCI counts as coronary disease.
        let pci = facts(adult().procedure(ProcedureKind::Pci, time::macros::date!(2020 - 01 - 01)));
        assert!(fired(&pci.check_projection(125.0, 59.0, 50.0), RuleId::DbpFloor).is_some());
    }

    #[test]
    fn diastolic_52_at_79_without_coronary_disease_is_a_caution_not_the_floor() {
        // Issue 27's patient 06 (79, isolated systolic hypertension): DBP 52 projected.
        let a = facts(Rec::new(79, Sex::Female)).check_projection(131.0, 52.0, 43.0);
        assert!(fired(&a, RuleId::DbpFloor).is_none(), "{a:?}");
        assert!(fired(&a, RuleId::DbpLow).is_some_and(|f| f.severity == Severity::Caution), "{a:?}");
        // Without coronary disease, a median of 65 is no caution either.
        assert!(facts(adult()).check_projection(125.0, 65.0, 55.0).is_empty());
    }

    #[test]
    fn diastolic_60_to_70_or_a_low_tail_is_a_caution() {
        let f = facts(Rec::new(81, Sex::Male));
        assert!(fired(&f.check_projection(128.0, 65.0, 58.0), RuleId::DbpLow).is_some());
        assert!(fired(&f.check_projection(128.0, 72.0, 58.0), RuleId::DbpLow)
            .is_some_and(|a| a.message.contains("1 in 20")));
    }

    #[test]
    fn diastolic_74_with_tail_above_60_passes() {
        let f = facts(Rec::new(81, Sex::Male));
        assert!(f.check_projection(128.0, 74.0, 64.0).is_empty());
        assert!(f.check_projection(f64::NAN, f64::NAN, f64::NAN).is_empty(), "nothing judged from no projection");
    }

    #[test]
    fn systolic_below_120_is_a_caution_and_122_is_not() {
        let f = facts(adult());
        assert!(fired(&f.check_projection(116.0, 72.0, 65.0), RuleId::SbpBelowRange).is_some());
        assert!(fired(&f.check_projection(122.0, 72.0, 65.0), RuleId::SbpBelowRange).is_none());
    }

    #[test]
    fn systolic_129_at_95_is_below_the_relaxed_floor_and_at_70_is_not() {
        // Issue 27: a 95-year-old was taken to SBP 129.5.
        let a = facts(Rec::new(95, Sex::Female)).check_projection(129.5, 72.0, 65.0);
        assert!(fired(&a, RuleId::SbpBelowRange).is_some_and(|f| f.message.contains("age 95")), "{a:?}");
        let a = facts(Rec::new(70, Sex::Female)).check_projection(129.5, 72.0, 65.0);
        assert!(fired(&a, RuleId::SbpBelowRange).is_none());
        let a = facts(Rec::new(70, Sex::Female).condition(C::Frailty)).check_projection(128.0, 72.0, 65.0);
        assert!(fired(&a, RuleId::SbpBelowRange).is_some_and(|f| f.message.contains("frailty")), "{a:?}");
    }

    // ---- Pregnancy.

    fn pregnant() -> Rec {
        Rec::new(32, Sex::Female).condition(C::Pregnancy)
    }

    #[test]
    fn pregnancy_excludes_ace_inhibitor_arb_mra_statin_and_diuretics() {
        for class in [D::AceInhibitor, D::Arb, D::Mra, D::Statin, D::Thiazide, D::LoopDiuretic] {
            let a = change(pregnant(), Change::Start(class, Standard));
            assert!(fired(&a, RuleId::Pregnancy).is_some(), "{class:?}");
        }
        let now = current(pregnant().drug("lisinopril", D::AceInhibitor, Some(10.0), Standard));
        assert!(fired(&now, RuleId::Pregnancy).is_some_and(|f| f.applies_to == AppliesTo::Current));
    }

    #[test]
    fn pregnancy_allows_labetalol_and_nifedipine_and_others_are_not_pregnant() {
        for (agent, class) in [("labetalol", D::BetaBlocker), ("nifedipine", D::CalciumChannelBlocker)] {
            let before = regimen(&pregnant());
            let after = vec![RegimenDrug::agent(class, Standard, agent, None)];
            let a = facts(pregnant()).check_change(&before, &Change::Start(class, Standard), &after);
            assert!(a.is_empty(), "{agent}: {a:?}");
        }
        let a = change(Rec::new(32, Sex::Female), Change::Start(D::AceInhibitor, Standard));
        assert!(fired(&a, RuleId::Pregnancy).is_none());
    }

    #[test]
    fn pregnancy_other_bp_agents_are_a_caution() {
        let a = change(pregnant(), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::PregnancyAgents).is_some_and(|f| f.message.contains("labetalol")));
        let before = regimen(&pregnant());
        let after = vec![RegimenDrug::agent(D::BetaBlocker, Standard, "atenolol", None)];
        let a = facts(pregnant()).check_change(&before, &Change::Start(D::BetaBlocker, Standard), &after);
        assert!(fired(&a, RuleId::PregnancyAgents).is_some());
    }

    #[test]
    fn outside_pregnancy_amlodipine_is_no_pregnancy_caution() {
        let a = change(Rec::new(32, Sex::Female), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::PregnancyAgents).is_none());
    }

    // ---- Allergy, HFrEF, liver.

    #[test]
    fn allergy_to_a_class_is_contraindicated_and_on_record_an_alert() {
        let r = adult().allergy("Amlodipine", Some(D::CalciumChannelBlocker), false);
        let a = change(r, Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::Allergy).is_some_and(|f| f.message.contains("AllergyIntolerance/a0")));
        let now = current(lisinopril(adult()).allergy("ACE inhibitors", Some(D::AceInhibitor), false));
        assert!(fired(&now, RuleId::Allergy).is_some());
    }

    #[test]
    fn allergy_to_another_class_passes() {
        let r = adult().allergy("Amlodipine", Some(D::CalciumChannelBlocker), false);
        assert!(fired(&change(r, Change::Start(D::Thiazide, Standard)), RuleId::Allergy).is_none());
    }

    #[test]
    fn non_dhp_ccb_in_hfref_is_contraindicated_and_on_record_an_alert() {
        let a = change(adult().lab(K::Lvef, 30.0), Change::Start(D::NonDihydropyridineCcb, Standard));
        assert!(fired(&a, RuleId::NonDhpHfref).is_some_and(|f| f.message.contains("LVEF 30%")));
        let now = current(adult().condition(C::HeartFailureReducedEf).drug(
            "verapamil",
            D::NonDihydropyridineCcb,
            None,
            Standard,
        ));
        assert!(fired(&now, RuleId::NonDhpHfref).is_some());
    }

    #[test]
    fn non_dhp_ccb_with_lvef_55_passes() {
        let a = change(adult().lab(K::Lvef, 55.0), Change::Start(D::NonDihydropyridineCcb, Standard));
        assert!(fired(&a, RuleId::NonDhpHfref).is_none());
    }

    #[test]
    fn statin_with_active_liver_disease_is_contraindicated_and_on_record_an_alert() {
        let a = change(adult().condition(C::LiverDisease), Change::Start(D::Statin, Standard));
        assert!(fired(&a, RuleId::StatinLiver).is_some());
        let now = current(adult().condition(C::LiverDisease).drug("atorvastatin", D::Statin, Some(20.0), Standard));
        assert!(fired(&now, RuleId::StatinLiver).is_some());
    }

    #[test]
    fn statin_with_resolved_liver_disease_passes() {
        let a = change(adult().condition_since(C::LiverDisease, None, false), Change::Start(D::Statin, Standard));
        assert!(a.is_empty(), "{a:?}");
    }

    // ---- Statin agents and doses beside interacting drugs and at low eGFR (the labels).

    /// Pravastatin 40 mg on record, switched to `agent` at `mg` (high intensity).
    fn switch_statin(r: Rec, agent: &str, mg: f64) -> Vec<Alert> {
        let r = r.drug("pravastatin", D::Statin, Some(40.0), Standard);
        let before = regimen(&r);
        let change = Change::Switch(D::Statin, D::Statin, Double);
        let mut after = change.apply(&before);
        for drug in after.iter_mut().filter(|d| d.class == D::Statin) {
            *drug = RegimenDrug::agent(D::Statin, Double, agent, Some(mg));
        }
        facts(r).check_change(&before, &change, &after)
    }

    #[test]
    fn a_statin_its_label_forbids_beside_a_drug_on_record_or_at_egfr_below_30_is_contraindicated() {
        let a = switch_statin(adult().unknown_drug("Ciclosporin 100 mg capsule"), "rosuvastatin", 20.0);
        let f = fired(&a, RuleId::StatinInteraction).expect("rosuvastatin above 5 mg with ciclosporin");
        assert!(f.message.contains("at most 5 mg"), "{}", f.message);
        assert!(excluded(&a));
        let a = switch_statin(adult().unknown_drug("Clarithromycin 500 mg tablet"), "atorvastatin", 40.0);
        assert!(fired(&a, RuleId::StatinInteraction).is_some_and(|f| f.message.contains("at most 20 mg")), "{a:?}");
        let a = switch_statin(adult().lab(K::Egfr, 25.0), "rosuvastatin", 20.0);
        assert!(fired(&a, RuleId::StatinInteraction).is_some_and(|f| f.message.contains("eGFR 25")), "{a:?}");
        // On record: simvastatin with clarithromycin is an alert.
        let now =
            current(adult().drug("simvastatin", D::Statin, Some(40.0), Standard).unknown_drug("clarithromycin 500 mg"));
        assert!(fired(&now, RuleId::StatinInteraction).is_some_and(|f| f.applies_to == AppliesTo::Current));
    }

    #[test]
    fn rosuvastatin_beside_clarithromycin_and_atorvastatin_at_egfr_25_pass_the_statin_rule() {
        let a = switch_statin(adult().unknown_drug("Clarithromycin 500 mg tablet"), "rosuvastatin", 20.0);
        assert!(fired(&a, RuleId::StatinInteraction).is_none(), "{a:?}");
        let a = switch_statin(adult().lab(K::Egfr, 25.0), "atorvastatin", 40.0);
        assert!(fired(&a, RuleId::StatinInteraction).is_none(), "{a:?}");
        let a = switch_statin(adult(), "atorvastatin", 40.0);
        assert!(a.is_empty(), "{a:?}");
        let now = current(adult().drug("atorvastatin", D::Statin, Some(20.0), Standard).unknown_drug("clarithromycin"));
        assert!(fired(&now, RuleId::StatinInteraction).is_none(), "20 mg is allowed beside it: {now:?}");
    }

    // ---- Frailty, orthostatic hypotension, falls.

    #[test]
    fn bp_intensification_with_frailty_orthostasis_or_falls_asks_for_standing_bp() {
        for kind in [C::Frailty, C::OrthostaticHypotension, C::HistoryOfFalls] {
            let a =
                change(Rec::new(84, Sex::Female).condition(kind), Change::Start(D::CalciumChannelBlocker, Standard));
            let f = fired(&a, RuleId::FrailtyStandingBp).expect("caution");
            assert!(f.monitoring.as_deref().is_some_and(|m| m.contains("standing BP")), "{kind:?}");
        }
    }

    #[test]
    fn statin_start_when_frail_or_bp_start_when_not_frail_needs_no_standing_bp() {
        let a = change(Rec::new(84, Sex::Female).condition(C::Frailty), Change::Start(D::Statin, Standard));
        assert!(fired(&a, RuleId::FrailtyStandingBp).is_none());
        let a = change(Rec::new(84, Sex::Female), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::FrailtyStandingBp).is_none());
    }

    // ---- Beta-blocker withdrawal, labs.

    #[test]
    fn stopping_a_beta_blocker_with_coronary_disease_is_a_caution() {
        let a = change(bisoprolol(adult()).condition(C::MyocardialInfarction), Change::Stop(D::BetaBlocker));
        assert!(fired(&a, RuleId::BetaBlockerWithdrawal).is_some_and(|f| f.message.contains("bisoprolol")));
        let a = change(
            bisoprolol(adult()).condition(C::CoronaryArteryDisease),
            Change::Switch(D::BetaBlocker, D::CalciumChannelBlocker, Standard),
        );
        assert!(fired(&a, RuleId::BetaBlockerWithdrawal).is_some());
    }

    #[test]
    fn stopping_a_beta_blocker_without_coronary_disease_passes() {
        assert!(change(bisoprolol(adult()), Change::Stop(D::BetaBlocker)).is_empty());
    }

    #[test]
    fn labs_after_a_statin_are_not_asked() {
        assert!(fired(&change(adult(), Change::Start(D::Statin, Standard)), RuleId::LabsAfterChange).is_none());
        let a = change(adult(), Change::Start(D::Thiazide, Standard));
        assert!(fired(&a, RuleId::LabsAfterChange).is_some_and(|f| f.severity == Severity::Info));
    }

    // ---- Doses and unknown drugs.

    #[test]
    fn a_dose_above_the_agents_maximum_is_a_caution_on_record() {
        let max = crate::formulary::agent_by_name("lisinopril").map(|a| a.max_daily_mg).expect("in the formulary");
        let r = adult().drug("lisinopril", D::AceInhibitor, Some(max * 2.0), Double);
        let f = fired(&current(r), RuleId::DoseAboveMax).cloned().expect("alert");
        assert_eq!((f.severity, f.applies_to), (Severity::Caution, AppliesTo::Current));
        assert!(f.message.contains("above its maximum"), "{}", f.message);
    }

    #[test]
    fn a_dose_at_the_agents_maximum_is_no_alert() {
        let max = crate::formulary::agent_by_name("lisinopril").map(|a| a.max_daily_mg).expect("in the formulary");
        let r = adult().drug("lisinopril", D::AceInhibitor, Some(max), Double);
        assert!(fired(&current(r), RuleId::DoseAboveMax).is_none());
    }

    #[test]
    fn an_unidentified_medication_is_an_info_alert_naming_what_was_not_checked() {
        let now = current(lisinopril(adult()).unknown_drug("Zestoretic-ish 20/12.5"));
        let f = fired(&now, RuleId::UnknownRegimen).expect("info");
        assert_eq!(f.severity, Severity::Info);
        assert!(f.message.contains("MedicationRequest/m1") && f.message.contains("not run"), "{}", f.message);
        assert!(!f.message.contains("Test"), "no names");
        let odd = vec![RegimenDrug::agent(D::BetaBlocker, Standard, "nadolol", Some(40.0))];
        let now = facts(adult()).current_alerts(&odd);
        assert!(fired(&now, RuleId::UnknownRegimen).is_some_and(|f| f.message.contains("nadolol")));
    }

    #[test]
    fn a_known_regimen_has_no_unknown_regimen_alert() {
        assert!(current(lisinopril(adult())).is_empty());
    }

    // ---- Atrial fibrillation.

    /// A 70-year-old woman with AF and hypertension: CHA₂DS₂-VA 2 (hypertension 1, age 65–74 1).
    fn af_70() -> Rec {
        Rec::new(70, Sex::Female)
            .condition(C::AtrialFibrillation)
            .condition(C::Hypertension)
            .lab(K::Sbp, 138.0)
            .lab(K::Creatinine, 80.0)
            .lab(K::Weight, 72.0)
    }

    fn apixaban(r: Rec, daily_mg: f64) -> Rec {
        r.drug("apixaban", D::Anticoagulant, Some(daily_mg), Standard)
    }

    #[test]
    fn af_with_cha2ds2_va_2_and_no_anticoagulant_is_a_caution_naming_the_score() {
        let now = current(af_70());
        let f = fired(&now, RuleId::AnticoagulationGap).expect("alert");
        assert_eq!((f.severity, f.applies_to), (Severity::Caution, AppliesTo::Current), "never a contraindication");
        assert!(f.message.contains("CHA₂DS₂-VA 2 (hypertension 1, age 65–74 1)"), "{}", f.message);
        assert!(f.message.contains("a DOAC in preference to warfarin"), "{}", f.message);
        assert!(f.monitoring.as_deref().is_some_and(|m| m.contains("HAS-BLED")), "{f:?}");
        // A plan that stops the anticoagulant.
        let a = change(apixaban(af_70(), 10.0), Change::Stop(D::Anticoagulant));
        assert!(fired(&a, RuleId::AnticoagulationGap).is_some_and(|f| f.applies_to == AppliesTo::Plan), "{a:?}");
        assert!(!excluded(&a));
    }

    #[test]
    fn af_on_apixaban_or_at_cha2ds2_va_1_or_without_af_has_no_gap() {
        assert!(fired(&current(apixaban(af_70(), 10.0)), RuleId::AnticoagulationGap).is_none());
        let one = adult().condition(C::AtrialFibrillation).condition(C::Hypertension);
        assert!(fired(&current(one), RuleId::AnticoagulationGap).is_none(), "a 60-year-old with hypertension: 1");
        let no_af = Rec::new(80, Sex::Female).condition(C::Hypertension);
        assert!(fired(&current(no_af), RuleId::AnticoagulationGap).is_none());
        let r = adult().drug("warfarin", D::Anticoagulant, Some(5.0), Standard);
        assert!(fired(&change(r, Change::Stop(D::Anticoagulant)), RuleId::AnticoagulationGap).is_none());
    }

    #[test]
    fn apixaban_under_and_over_dosing_are_cautions() {
        // 70, 72 kg, creatinine 80: no criterion, so 2.5 mg twice daily is under-dosing.
        let f = fired(&current(apixaban(af_70(), 5.0)), RuleId::DoacDose).cloned().expect("under");
        assert_eq!(f.severity, Severity::Caution);
        assert!(
            f.message.contains("apixaban 2.5 mg twice daily is below") && f.message.contains("5 mg twice daily"),
            "{}",
            f.message
        );
        // 82, 58 kg: two criteria, so 5 mg twice daily is over-dosing.
        let old =
            Rec::new(82, Sex::Female).condition(C::AtrialFibrillation).lab(K::Weight, 58.0).lab(K::Creatinine, 90.0);
        let f = fired(&current(apixaban(old, 10.0)), RuleId::DoacDose).cloned().expect("over");
        assert!(f.message.contains("above") && f.message.contains("age 82 and weight 58 kg"), "{}", f.message);
        // No weight on record: said, not guessed.
        let r = Rec::new(81, Sex::Male).condition(C::AtrialFibrillation).lab(K::Creatinine, 90.0);
        let f = fired(&current(apixaban(r, 10.0)), RuleId::DoacDose).cloned().expect("unchecked");
        assert!(f.message.contains("could not be checked, no weight"), "{}", f.message);
    }

    #[test]
    fn apixaban_5_mg_twice_daily_without_criteria_passes() {
        assert!(fired(&current(apixaban(af_70(), 10.0)), RuleId::DoacDose).is_none());
        let old =
            Rec::new(82, Sex::Female).condition(C::AtrialFibrillation).lab(K::Weight, 58.0).lab(K::Creatinine, 90.0);
        assert!(fired(&current(apixaban(old, 5.0)), RuleId::DoacDose).is_none());
    }

    /// 78-year-old man, 70 kg, creatinine 150 µmol/L: creatinine clearance 35.5 mL/min.
    fn crcl_35() -> Rec {
        Rec::new(78, Sex::Male).condition(C::AtrialFibrillation).lab(K::Weight, 70.0).lab(K::Creatinine, 150.0)
    }

    #[test]
    fn rivaroxaban_and_edoxaban_doses_follow_creatinine_clearance() {
        let r = crcl_35().drug("rivaroxaban", D::Anticoagulant, Some(20.0), Standard);
        let f = fired(&current(r), RuleId::DoacDose).cloned().expect("over");
        assert!(f.message.contains("creatinine clearance 36 mL/min"), "{}", f.message);
        let r = crcl_35().drug("edoxaban", D::Anticoagulant, Some(30.0), Half);
        assert!(fired(&current(r), RuleId::DoacDose).is_none());
    }

    #[test]
    fn dabigatran_below_30_and_any_doac_below_15_are_renal_cautions() {
        // 85, 55 kg, creatinine 160: clearance (55 × 55) / (72 × 1.81) = 23 mL/min.
        let r = Rec::new(85, Sex::Male)
            .condition(C::AtrialFibrillation)
            .lab(K::Weight, 55.0)
            .lab(K::Creatinine, 160.0)
            .drug("dabigatran", D::Anticoagulant, Some(220.0), Half);
        let f = fired(&current(r), RuleId::DoacRenal).cloned().expect("renal");
        assert_eq!(f.severity, Severity::Caution, "a caution, so no plan stops the anticoagulant");
        assert!(f.message.contains("dabigatran is contraindicated below 30"), "{}", f.message);
        // 88, 45 kg woman, creatinine 300: clearance (52 × 45 × 0.85) / (72 × 3.39) = 8 mL/min.
        let r = Rec::new(88, Sex::Female)
            .condition(C::AtrialFibrillation)
            .lab(K::Weight, 45.0)
            .lab(K::Creatinine, 300.0)
            .drug("rivaroxaban", D::Anticoagulant, Some(15.0), Half);
        assert!(fired(&current(r), RuleId::DoacRenal).is_some_and(|f| f.message.contains("not recommended below 15")));
        let r =
            Rec::new(88, Sex::Female).condition(C::AtrialFibrillation).lab(K::Weight, 45.0).lab(K::Creatinine, 300.0);
        let a = change(r, Change::Start(D::Anticoagulant, Standard));
        assert!(fired(&a, RuleId::DoacRenal).is_some_and(|f| f.applies_to == AppliesTo::Plan), "{a:?}");
    }

    #[test]
    fn dabigatran_at_clearance_60_and_apixaban_at_35_pass_the_renal_rule() {
        let r = Rec::new(70, Sex::Male)
            .condition(C::AtrialFibrillation)
            .lab(K::Weight, 80.0)
            .lab(K::Creatinine, 100.0)
            .drug("dabigatran", D::Anticoagulant, Some(300.0), Standard);
        assert!(fired(&current(r), RuleId::DoacRenal).is_none());
        let r = crcl_35().drug("apixaban", D::Anticoagulant, Some(10.0), Standard);
        assert!(fired(&current(r), RuleId::DoacRenal).is_none());
    }

    #[test]
    fn diltiazem_verapamil_or_amiodarone_with_a_doac_is_a_caution() {
        let r = apixaban(af_70(), 10.0).drug("diltiazem", D::NonDihydropyridineCcb, Some(180.0), Standard);
        let f = fired(&current(r), RuleId::DoacInteraction).cloned().expect("caution");
        assert_eq!(f.severity, Severity::Caution);
        assert!(f.message.starts_with("apixaban with diltiazem: diltiazem raises apixaban exposure"), "{}", f.message);
        let r = af_70().drug("rivaroxaban", D::Anticoagulant, Some(20.0), Standard).drug(
            "amiodarone",
            D::Antiarrhythmic,
            Some(200.0),
            Standard,
        );
        assert!(fired(&current(r), RuleId::DoacInteraction).is_some_and(|f| f.message.contains("minor")));
        // A plan that starts verapamil or diltiazem beside apixaban.
        let a = change(apixaban(af_70(), 10.0), Change::Start(D::NonDihydropyridineCcb, Standard));
        assert!(fired(&a, RuleId::DoacInteraction).is_some_and(|f| f.applies_to == AppliesTo::Plan), "{a:?}");
    }

    #[test]
    fn amlodipine_with_apixaban_or_diltiazem_with_warfarin_is_no_doac_interaction() {
        let r = apixaban(af_70(), 10.0).drug("amlodipine", D::CalciumChannelBlocker, Some(5.0), Standard);
        assert!(fired(&current(r), RuleId::DoacInteraction).is_none());
        let r = af_70().drug("warfarin", D::Anticoagulant, Some(5.0), Standard).drug(
            "diltiazem",
            D::NonDihydropyridineCcb,
            Some(180.0),
            Standard,
        );
        assert!(fired(&current(r), RuleId::DoacInteraction).is_none());
        let a = change(apixaban(af_70(), 10.0), Change::Start(D::CalciumChannelBlocker, Standard));
        assert!(fired(&a, RuleId::DoacInteraction).is_none());
    }

    fn dronedarone(r: Rec) -> Rec {
        r.drug("dronedarone", D::Antiarrhythmic, Some(800.0), Standard)
    }

    #[test]
    fn dronedarone_with_dabigatran_is_contraindicated() {
        let r = dronedarone(af_70().drug("dabigatran", D::Anticoagulant, Some(300.0), Standard));
        let now = current(r);
        let f = fired(&now, RuleId::DronedaroneDabigatran).expect("alert");
        assert_eq!(f.severity, Severity::Contraindicated);
        assert_eq!(
            f.classes.last(),
            Some(&D::Antiarrhythmic),
            "a plan removes the antiarrhythmic, not the anticoagulant"
        );
        assert!(fired(&now, RuleId::DoacInteraction).is_none(), "its own rule, not the interaction caution");
        let r = af_70().drug("dabigatran", D::Anticoagulant, Some(300.0), Standard);
        let before = regimen(&r);
        let mut after = before.clone();
        after.push(RegimenDrug::agent(D::Antiarrhythmic, Standard, "dronedarone", Some(800.0)));
        let a = facts(r).check_change(&before, &Change::Start(D::Antiarrhythmic, Standard), &after);
        assert!(fired(&a, RuleId::DronedaroneDabigatran).is_some() && excluded(&a), "{a:?}");
    }

    #[test]
    fn dronedarone_with_apixaban_or_amiodarone_with_dabigatran_is_not_contraindicated() {
        let now = current(dronedarone(apixaban(af_70(), 10.0)));
        assert!(fired(&now, RuleId::DronedaroneDabigatran).is_none());
        assert!(fired(&now, RuleId::DoacInteraction).is_some(), "a caution instead");
        let r = af_70().drug("dabigatran", D::Anticoagulant, Some(300.0), Standard).drug(
            "amiodarone",
            D::Antiarrhythmic,
            Some(200.0),
            Standard,
        );
        assert!(fired(&current(r), RuleId::DronedaroneDabigatran).is_none());
    }

    #[test]
    fn dronedarone_with_hfref_or_nyha_iv_is_contraindicated() {
        let now = current(dronedarone(af_70().lab(K::Lvef, 30.0)));
        let f = fired(&now, RuleId::DronedaroneHeartFailure).expect("alert");
        assert!(f.message.contains("LVEF 30%") && f.severity == Severity::Contraindicated, "{}", f.message);
        let mut r = dronedarone(af_70());
        r.0.functional_class.push((
            TODAY - time::Duration::days(10),
            NyhaClass::Iv,
            crate::record::Source { resource: "Observation/nyha".into() },
        ));
        assert!(fired(&current(r), RuleId::DronedaroneHeartFailure).is_some_and(|f| f.message.contains("NYHA IV")));
        let r = af_70().condition(C::HeartFailureReducedEf);
        let before = regimen(&r);
        let after = vec![RegimenDrug::agent(D::Antiarrhythmic, Standard, "dronedarone", Some(800.0))];
        let a = facts(r).check_change(&before, &Change::Start(D::Antiarrhythmic, Standard), &after);
        assert!(fired(&a, RuleId::DronedaroneHeartFailure).is_some() && excluded(&a), "{a:?}");
    }

    #[test]
    fn dronedarone_at_lvef_55_or_amiodarone_at_lvef_30_passes() {
        let mut r = dronedarone(af_70().lab(K::Lvef, 55.0));
        r.0.functional_class.push((
            TODAY - time::Duration::days(10),
            NyhaClass::Ii,
            crate::record::Source { resource: "Observation/nyha".into() },
        ));
        assert!(fired(&current(r), RuleId::DronedaroneHeartFailure).is_none());
        let r = af_70().lab(K::Lvef, 30.0).drug("amiodarone", D::Antiarrhythmic, Some(200.0), Standard);
        assert!(fired(&current(r), RuleId::DronedaroneHeartFailure).is_none());
    }

    #[test]
    fn af_at_a_resting_rate_of_110_or_more_is_above_the_lenient_target() {
        let now = current(bisoprolol(apixaban(af_70(), 10.0)).lab(K::HeartRate, 116.0));
        let f = fired(&now, RuleId::AfRateControl).expect("caution");
        assert_eq!(f.severity, Severity::Caution);
        assert!(f.message.contains("116/min") && f.message.contains("< 110 bpm (RACE II"), "{}", f.message);
        let a =
            change(bisoprolol(apixaban(af_70(), 10.0)).lab(K::HeartRate, 116.0), Change::Lower(D::BetaBlocker, Half));
        let f = fired(&a, RuleId::AfRateControl).expect("plan caution");
        assert!(f.message.contains("bisoprolol"), "{}", f.message);
    }

    #[test]
    fn af_at_95_or_a_fast_rate_without_af_passes_the_rate_rule() {
        let now = current(bisoprolol(apixaban(af_70(), 10.0)).lab(K::HeartRate, 95.0));
        assert!(fired(&now, RuleId::AfRateControl).is_none());
        assert!(fired(&current(adult().lab(K::HeartRate, 118.0)), RuleId::AfRateControl).is_none());
        let a =
            change(bisoprolol(apixaban(af_70(), 10.0)).lab(K::HeartRate, 116.0), Change::Raise(D::BetaBlocker, Double));
        assert!(fired(&a, RuleId::AfRateControl).is_none(), "raising the beta-blocker is what the rate needs");
    }
}
