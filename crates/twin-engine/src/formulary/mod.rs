//! The formulary: named drugs (agents), their dose ladders and maxima, single-pill
//! combinations, and the pharmacology the safety rules read.
//!
//! [`crate::drugs`] says what a *class* does (its BP, heart-rate and LDL-C effect at standard
//! dose); this module says which *agents* belong to a class and how they are dosed, so a plan
//! can say "amlodipine 5 mg once daily (calcium-channel blocker)" rather than "a standard dose
//! of a CCB", and can refuse to raise a drug already at its maximum, with that reason.
//!
//! - [`AGENTS`] is the one table of agents: ingredient, RxNorm ingredient code, class, standard
//!   daily dose, the dose ladder (each rung with its schedule and its effect as a fraction of
//!   the standard dose), the maximum daily dose and where those figures come from. Ingest maps
//!   a record's medication to an agent through it ([`agent_by_rxcui`], [`agent_in_text`]).
//! - [`dose_level`], [`next_dose`] / [`step_up`], [`previous_dose`], [`is_above_max`],
//!   [`dose_for_level`] and [`describe`] read a daily dose against the ladder.
//! - [`preferred_agent`] is the agent named when a class is started.
//! - [`combinations`] holds the common single-pill combinations, [`effects`] the expected
//!   potassium, sodium, eGFR and heart-rate changes of a plan step and which classes slow AV
//!   conduction.
//!
//! # The standard dose and the ladder
//! The standard dose is the usual maintenance dose, the one Law MR et al. BMJ 2003;326:1427
//! (doi:10.1136/bmj.326.7404.1427) expressed every trial's dose against ("the standard
//! (recommended) doses of the drugs"); half the standard dose kept about 80% of its BP effect
//! and doses of different classes add (Law 2003; Law MR, Morris JK, Wald NJ. BMJ
//! 2009;338:b1665). A rung's effect is its daily dose over the standard daily dose, except
//! where a rung says otherwise (an equivalent formulation, e.g. indapamide 1.5 mg modified
//! release ≡ 2.5 mg; a schedule with the same effect, e.g. evolocumab 420 mg monthly). The dose
//! *level* the projections use ([`DoseLevel`]) is that fraction through
//! [`DoseLevel::from_ratio`]; statins are read by intensity instead (ACC/AHA 2018 Table 3:
//! low → half, moderate → standard, high → double), as the projections model them.
//!
//! The ladders are the usual titration steps; the maximum is the label's (US FDA label or EU
//! SmPC / BNF, named per agent) for the indication the twin models, not the common step, so a
//! record above it is an alert, and a plan never goes past it.

pub mod agents;
pub mod combinations;
pub mod effects;

pub use agents::AGENTS;

use crate::drugs::{self, DoseLevel, DrugClass, StatinIntensity};

/// How often a dose is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schedule {
    /// This many times a day.
    TimesDaily(u8),
    /// Once every this many days (injections).
    EveryDays(u16),
}

impl Schedule {
    /// Administrations per day (a fraction for injections given every few days or months).
    pub fn per_day(self) -> f64 {
        match self {
            Schedule::TimesDaily(n) => f64::from(n),
            Schedule::EveryDays(d) => 1.0 / f64::from(d.max(1)),
        }
    }

    /// The schedule in words: "once daily", "twice daily", "every 2 weeks", "every 6 months".
    pub fn words(self) -> String {
        match self {
            Schedule::TimesDaily(1) => "once daily".into(),
            Schedule::TimesDaily(2) => "twice daily".into(),
            Schedule::TimesDaily(3) => "three times daily".into(),
            Schedule::TimesDaily(n) => format!("{n} times daily"),
            Schedule::EveryDays(7) => "once weekly".into(),
            Schedule::EveryDays(30) => "once monthly".into(),
            Schedule::EveryDays(d) if d % 30 == 0 => format!("every {} months", d / 30),
            Schedule::EveryDays(d) if d % 7 == 0 => format!("every {} weeks", d / 7),
            Schedule::EveryDays(d) => format!("every {d} days"),
        }
    }
}

/// One rung of an agent's dose ladder.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dose {
    /// Amount given each time, mg.
    pub mg: f64,
    /// How often.
    pub schedule: Schedule,
    /// The rung's effect as a fraction of the standard dose's when it is not its daily dose
    /// over the standard daily dose (an equivalent formulation or schedule); `None` when it is.
    pub of_standard: Option<f64>,
}

impl Dose {
    /// Daily amount, mg (an injection every 14 days counts a 14th of its dose a day, as ingest
    /// reads a FHIR dosage's frequency over its period).
    pub fn daily_mg(&self) -> f64 {
        self.mg * self.schedule.per_day()
    }
}

/// `mg` once daily.
pub const fn od(mg: f64) -> Dose {
    Dose { mg, schedule: Schedule::TimesDaily(1), of_standard: None }
}
/// `mg` twice daily.
pub const fn bd(mg: f64) -> Dose {
    Dose { mg, schedule: Schedule::TimesDaily(2), of_standard: None }
}
/// `mg` three times daily.
pub const fn tds(mg: f64) -> Dose {
    Dose { mg, schedule: Schedule::TimesDaily(3), of_standard: None }
}
/// `mg` once every `days` days.
pub const fn every(days: u16, mg: f64) -> Dose {
    Dose { mg, schedule: Schedule::EveryDays(days), of_standard: None }
}
/// `dose`, whose effect is `of_standard` standard doses whatever its milligrams.
pub const fn equivalent(dose: Dose, of_standard: f64) -> Dose {
    Dose { of_standard: Some(of_standard), ..dose }
}

/// A named drug: ingredient, RxNorm code, class and how it is dosed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agent {
    /// Ingredient name, lower case (what ingest looks for in a medication's text).
    pub name: &'static str,
    /// RxNorm concept id of the ingredient (RXCUI, term type IN); empty where no code has been
    /// checked, so the agent is found by name only.
    pub rxcui: &'static str,
    /// Class.
    pub class: DrugClass,
    /// Standard daily dose in mg: the usual maintenance dose (Law 2003's "standard" dose for BP
    /// drugs), the daily amount of the ladder's rung with the effect of one standard dose.
    pub standard_daily_mg: f64,
    /// The dose ladder, in increasing daily amount.
    pub ladder: &'static [Dose],
    /// The maximum daily dose, mg: the ladder's last rung.
    pub max_daily_mg: f64,
    /// Where the ladder and the maximum come from.
    pub source: &'static str,
}

impl Agent {
    /// A rung's effect as a fraction of the standard dose's.
    pub fn fraction_of_standard(&self, dose: &Dose) -> f64 {
        dose.of_standard.unwrap_or_else(|| dose.daily_mg() / self.standard_daily_mg)
    }

    /// The rung of the standard dose.
    pub fn standard_dose(&self) -> Option<&Dose> {
        self.ladder.iter().find(|d| close(d.daily_mg(), self.standard_daily_mg))
    }

    /// The class's label in the case it takes inside a sentence ("calcium-channel blocker",
    /// "ACE inhibitor"); `None` when it only repeats the agent's name ("ezetimibe").
    fn class_words(&self) -> Option<String> {
        let label = self.class.label();
        if label.eq_ignore_ascii_case(self.name) {
            return None;
        }
        let mut chars = label.chars();
        let first = chars.next()?;
        let acronym = chars.next().is_some_and(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        Some(if acronym { label.to_string() } else { first.to_lowercase().chain(label.chars().skip(1)).collect() })
    }
}

/// Relative tolerance within which a daily dose is read as a rung of the ladder (the nearest
/// rung; rungs of different effect differ by at least 1.2×, so this never confuses two; it
/// absorbs rounding and a month read as 30 days rather than 28).
pub const RUNG_TOLERANCE: f64 = 0.1;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Whether `daily_mg` is a usable dose (finite and positive).
fn valid(daily_mg: f64) -> bool {
    daily_mg.is_finite() && daily_mg > 0.0
}

/// The rung a daily dose is (the nearest within [`RUNG_TOLERANCE`]), if any.
pub fn rung(agent: &Agent, daily_mg: f64) -> Option<&Dose> {
    if !valid(daily_mg) {
        return None;
    }
    agent
        .ladder
        .iter()
        .map(|d| (d, (daily_mg / d.daily_mg()).ln().abs()))
        .filter(|(_, distance)| *distance <= (1.0 + RUNG_TOLERANCE).ln())
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(d, _)| d)
}

/// A daily dose's effect as a fraction of the standard dose's: its rung's, or its daily amount
/// over the standard daily amount when it is on no rung. `None` for a dose that is not finite
/// and positive.
pub fn fraction_of_standard(agent: &Agent, daily_mg: f64) -> Option<f64> {
    if !valid(daily_mg) {
        return None;
    }
    Some(rung(agent, daily_mg).map_or(daily_mg / agent.standard_daily_mg, |d| agent.fraction_of_standard(d)))
}

/// The dose level the projections model for an agent at a daily dose: statins by intensity
/// (ACC/AHA 2018 Table 3, as [`crate::twin`] reads a statin on record), every other agent by
/// its fraction of the standard dose through [`DoseLevel::from_ratio`]. `None` for a dose that
/// is not finite and positive (never guessed).
pub fn dose_level(agent: &Agent, daily_mg: f64) -> Option<DoseLevel> {
    if !valid(daily_mg) {
        return None;
    }
    if agent.class == DrugClass::Statin {
        if let Some(intensity) = drugs::statin_intensity(agent.name, daily_mg) {
            return Some(match intensity {
                StatinIntensity::Low => DoseLevel::Half,
                StatinIntensity::Moderate => DoseLevel::Standard,
                StatinIntensity::High => DoseLevel::Double,
            });
        }
    }
    fraction_of_standard(agent, daily_mg).map(DoseLevel::from_ratio)
}

/// Whether a daily dose is above the agent's maximum (a record above it is an alert; a plan
/// never proposes it). An injection's maximum has [`RUNG_TOLERANCE`] of slack, since its daily
/// amount depends on how long a month is taken to be (420 mg every 4 weeks or once monthly).
pub fn is_above_max(agent: &Agent, daily_mg: f64) -> bool {
    let injected = agent.ladder.last().is_some_and(|d| matches!(d.schedule, Schedule::EveryDays(_)));
    let slack = if injected { RUNG_TOLERANCE } else { 1e-6 };
    daily_mg.is_finite() && daily_mg > agent.max_daily_mg * (1.0 + slack)
}

/// Why a drug cannot be raised.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NoNextDose {
    /// The dose is the agent's maximum.
    #[error("{name} {mg} mg a day is its maximum dose ({reference})", mg = describe_mg(*max_daily_mg))]
    AtMaximum {
        /// The agent.
        name: &'static str,
        /// Its maximum daily dose, mg.
        max_daily_mg: f64,
        /// Where the maximum comes from.
        reference: &'static str,
    },
    /// The dose on record is already above the maximum.
    #[error("{name} {mg} mg a day is above its maximum of {max} mg ({reference})", mg = describe_mg(*daily_mg), max = describe_mg(*max_daily_mg))]
    AboveMaximum {
        /// The agent.
        name: &'static str,
        /// The dose, mg a day.
        daily_mg: f64,
        /// Its maximum daily dose, mg.
        max_daily_mg: f64,
        /// Where the maximum comes from.
        reference: &'static str,
    },
    /// Higher doses exist but lower no more (an equivalent formulation or schedule).
    #[error("no higher dose of {name} than {mg} mg a day has more effect (the higher ones are equivalent)", mg = describe_mg(*daily_mg))]
    NoHigherEffect {
        /// The agent.
        name: &'static str,
        /// The dose, mg a day.
        daily_mg: f64,
    },
    /// The dose given is not a dose (not finite, or not positive).
    #[error("{name}: a dose of {daily_mg} mg a day cannot be raised: it is not a dose")]
    NotADose {
        /// The agent.
        name: &'static str,
        /// The dose given, mg a day.
        daily_mg: f64,
    },
}

/// The next rung up the ladder with more effect than `daily_mg` has, or why there is none (at
/// or above the maximum, or only equivalent doses above).
pub fn step_up(agent: &Agent, daily_mg: f64) -> Result<&Dose, NoNextDose> {
    let Some(now) = fraction_of_standard(agent, daily_mg) else {
        return Err(NoNextDose::NotADose { name: agent.name, daily_mg });
    };
    if is_above_max(agent, daily_mg) {
        return Err(NoNextDose::AboveMaximum {
            name: agent.name,
            daily_mg,
            max_daily_mg: agent.max_daily_mg,
            reference: agent.source,
        });
    }
    let above = |d: &&Dose| d.daily_mg() > daily_mg * (1.0 + 1e-6) && rung(agent, daily_mg) != Some(*d);
    match agent.ladder.iter().filter(above).find(|d| agent.fraction_of_standard(d) > now + 1e-9) {
        Some(d) => Ok(d),
        None if agent.ladder.iter().any(|d| above(&d)) => {
            Err(NoNextDose::NoHigherEffect { name: agent.name, daily_mg })
        }
        None => {
            Err(NoNextDose::AtMaximum { name: agent.name, max_daily_mg: agent.max_daily_mg, reference: agent.source })
        }
    }
}

/// The most a plan raises an agent to, mg a day, where that is below the label's maximum
/// ([`Agent::max_daily_mg`] stays the label's, so a record above the ceiling is not an alert):
/// - hydrochlorothiazide 25 mg: the BP dose-response is flat above 25 mg while hypokalaemia,
///   hyperuricaemia and glucose intolerance rise with dose (ESC 2024 hypertension guideline,
///   McEvoy JW et al. Eur Heart J 2024;45:3912, thiazide doses 12.5–25 mg; BNF, hypertension
///   12.5–25 mg once daily; the FDA label's 50 mg is the maximum).
/// - chlorthalidone 25 mg: ESC 2024 lists 12.5–25 mg; the BNF's "25 mg, increased to 50 mg if
///   necessary" is the label's maximum; ALLHAT used 12.5–25 mg.
pub fn plan_ceiling_mg(agent: &Agent) -> Option<f64> {
    match agent.name {
        "hydrochlorothiazide" | "chlorthalidone" => Some(25.0),
        _ => None,
    }
}

/// The next daily dose up the ladder; `None` at the top (see [`step_up`] for the reason).
pub fn next_dose(agent: &Agent, daily_mg: f64) -> Option<f64> {
    step_up(agent, daily_mg).ok().map(Dose::daily_mg)
}

/// The next daily dose down the ladder with less effect (the maximum, for a dose above it);
/// `None` at the bottom or for a dose that is not a dose.
pub fn previous_dose(agent: &Agent, daily_mg: f64) -> Option<f64> {
    let now = fraction_of_standard(agent, daily_mg)?;
    if is_above_max(agent, daily_mg) {
        return Some(agent.max_daily_mg);
    }
    let current = rung(agent, daily_mg);
    agent
        .ladder
        .iter()
        .rev()
        .filter(|d| d.daily_mg() < daily_mg * (1.0 - 1e-6) && current != Some(*d))
        .find(|d| agent.fraction_of_standard(d) < now - 1e-9)
        .map(Dose::daily_mg)
}

/// The daily dose to give for a dose level: the standard rung for `Standard`; otherwise the
/// rung at that level whose fraction of the standard dose is nearest the level's (½ or 2).
/// Statins by intensity (low, moderate, high), preferring the standard dose, then the lowest
/// rung of the intensity. `None` when the ladder has no rung at that level (e.g. no double dose
/// of ezetimibe).
pub fn dose_for_level(agent: &Agent, level: DoseLevel) -> Option<f64> {
    let target = match level {
        DoseLevel::Half => 0.5,
        DoseLevel::Standard => 1.0,
        DoseLevel::Double => 2.0,
    };
    let at_level = agent.ladder.iter().filter(|d| dose_level(agent, d.daily_mg()) == Some(level));
    if level == DoseLevel::Standard {
        if let Some(d) = agent.standard_dose() {
            return Some(d.daily_mg());
        }
    }
    if agent.class == DrugClass::Statin {
        let mut at_level = at_level.peekable();
        return at_level.peek().map(|d| d.daily_mg());
    }
    at_level
        .min_by(|a, b| {
            let off = |d: &Dose| (agent.fraction_of_standard(d) / target).ln().abs();
            off(a).total_cmp(&off(b))
        })
        .map(Dose::daily_mg)
}

/// A milligram amount in words: "5", "2.5", "3.125", "12.5" (to a thousandth of a mg).
pub fn describe_mg(mg: f64) -> String {
    let r = (mg * 1000.0).round() / 1000.0;
    format!("{r}")
}

/// A dose in words: "amlodipine 5 mg once daily (calcium-channel blocker)", "carvedilol
/// 12.5 mg twice daily (beta-blocker)", "evolocumab 140 mg every 2 weeks (PCSK9 inhibitor)".
/// A daily amount on no rung is given on the standard dose's schedule.
pub fn describe(agent: &Agent, daily_mg: f64) -> String {
    let bracket = agent.class_words().map_or(String::new(), |c| format!(" ({c})"));
    if !valid(daily_mg) {
        return format!("{}, dose not known{bracket}", agent.name);
    }
    let (mg, schedule) = match rung(agent, daily_mg) {
        // an injection within the tolerance is its rung (a month of 28 or 30 days, say)
        Some(d) if close(d.daily_mg(), daily_mg) || matches!(d.schedule, Schedule::EveryDays(_)) => (d.mg, d.schedule),
        Some(d) => (daily_mg / d.schedule.per_day(), d.schedule),
        None => {
            let schedule =
                agent.standard_dose().or(agent.ladder.first()).map_or(Schedule::TimesDaily(1), |d| d.schedule);
            (daily_mg / schedule.per_day(), schedule)
        }
    };
    if agent.class == DrugClass::Arni {
        // Named as the label names it: 24/26, 49/51 or 97/103 mg of sacubitril/valsartan.
        let split = match describe_mg(mg).as_str() {
            "50" => "24/26".to_string(),
            "100" => "49/51".to_string(),
            "200" => "97/103".to_string(),
            other => format!("{other} (total)"),
        };
        return format!("sacubitril/valsartan {split} mg {}{bracket}", schedule.words());
    }
    format!("{} {} mg {}{bracket}", agent.name, describe_mg(mg), schedule.words())
}

/// A class at a dose level, named: the agent, its daily dose and the words.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedDose {
    /// The agent (lower case).
    pub agent: &'static str,
    /// Daily dose, mg.
    pub daily_mg: f64,
    /// "amlodipine 5 mg once daily (calcium-channel blocker)".
    pub text: String,
    /// Whether the ladder has a rung at the level asked for; when not, the nearest rung (the
    /// top for a double dose, the bottom for a half dose) is named.
    pub exact: bool,
}

/// Names a class at a dose level for a plan: the agent taken (`taken`, an ingredient name, when
/// it is of that class and in the table) or else the class's [`preferred_agent`], at the daily
/// dose of that level ([`dose_for_level`]).
pub fn name_dose(class: DrugClass, level: DoseLevel, taken: Option<&str>) -> NamedDose {
    let agent = taken.and_then(agent_by_name).filter(|a| a.class == class).unwrap_or_else(|| preferred_agent(class));
    let (daily_mg, exact) = match dose_for_level(agent, level) {
        Some(mg) => (mg, true),
        None => {
            let nearest = match level {
                DoseLevel::Half => agent.ladder.first().map(Dose::daily_mg),
                DoseLevel::Standard => Some(agent.standard_daily_mg),
                DoseLevel::Double => Some(agent.max_daily_mg),
            };
            (nearest.unwrap_or(agent.standard_daily_mg), false)
        }
    };
    NamedDose { agent: agent.name, daily_mg, text: describe(agent, daily_mg), exact }
}

/// Finds an agent by ingredient RXCUI.
pub fn agent_by_rxcui(rxcui: &str) -> Option<&'static Agent> {
    if rxcui.is_empty() {
        return None;
    }
    AGENTS.iter().find(|a| a.rxcui == rxcui)
}

/// Finds an agent whose name appears in free text (e.g. "amLODIPine 5 MG Oral Tablet").
/// Used when an EHR sends a product code we do not hold, so the record still says what it is.
/// For a combination product's text this is the first of its agents in [`AGENTS`].
pub fn agent_in_text(text: &str) -> Option<&'static Agent> {
    let lower = text.to_ascii_lowercase();
    // Sacubitril/valsartan is one class of its own, not the ARB it contains; it is mostly
    // prescribed by its brand name.
    if lower.contains(agents::SACUBITRIL_VALSARTAN.name) || lower.contains("entresto") {
        return Some(&agents::SACUBITRIL_VALSARTAN);
    }
    AGENTS.iter().find(|a| lower.contains(a.name))
}

/// Finds an agent by ingredient name.
pub fn agent_by_name(name: &str) -> Option<&'static Agent> {
    AGENTS.iter().find(|a| a.name.eq_ignore_ascii_case(name))
}

/// The agents of a class, in table order.
pub fn agents_of(class: DrugClass) -> impl Iterator<Item = &'static Agent> {
    AGENTS.iter().filter(move |a| a.class == class)
}

/// The class a free-text allergy or intolerance names, by agent ("lisinopril") or by class
/// ("ACE inhibitors", "statins"; only the classes we model).
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
    } else if has(&["alpha blocker", "alpha-blocker", "alpha-1 blocker", "alpha adrenergic"]) {
        DrugClass::AlphaBlocker
    } else if has(&["pcsk9"]) {
        DrugClass::Pcsk9Inhibitor
    } else {
        return None;
    })
}

/// The agent named when a class is started, and why that one:
/// - ACE inhibitor: ramipril — the outcome evidence (HOPE, N Engl J Med 2000;342:145, 10 mg;
///   ONTARGET, N Engl J Med 2008;358:1547), once daily, a ladder from 1.25 mg for heart
///   failure to 10 mg.
/// - ARB: losartan — outcome trials in hypertension with LVH (LIFE, Lancet 2002;359:995) and
///   diabetic nephropathy (RENAAL, N Engl J Med 2001;345:861), and the most prescribed
///   generic. It lowers 24-h BP less than the other ARBs at half-maximal and maximal doses (by
///   2.5 and 3.9 mmHg systolic; meta-analysis of 62 ambulatory-BP trials, PMC5994844), so a
///   plan that needs more names candesartan or telmisartan explicitly.
/// - Dihydropyridine CCB: amlodipine — long half-life, once daily, outcome trials (ALLHAT,
///   ASCOT-BPLA), the CCB of ESC 2024's single-pill combinations.
/// - Non-dihydropyridine CCB: diltiazem — rate control in AF (ESC 2024 AF guideline lists
///   both), with fewer interactions (digoxin, statins, DOACs) and less constipation than
///   verapamil.
/// - Thiazide: indapamide — a thiazide-like diuretic, which ESC 2024 prefers, with outcome
///   trials (HYVET, PROGRESS) at 1.5 mg modified release or 2.5 mg once daily.
/// - Beta-blocker: bisoprolol — beta-1 selective, once daily, with outcome evidence in heart
///   failure (CIBIS-II) and the dose ladder from 1.25 mg.
/// - MRA: spironolactone — resistant hypertension (PATHWAY-2) and HFrEF (RALES).
/// - Alpha-blocker: doxazosin — once daily, the alternative in resistant hypertension
///   (PATHWAY-2, ESC 2024 step 3).
/// - Centrally acting: methyldopa — first line in pregnancy (ESC 2018 pregnancy guideline).
/// - Statin: atorvastatin — moderate to high intensity on one ladder (ACC/AHA 2018 Table 3).
/// - PCSK9 inhibitor: evolocumab — FOURIER, the trial the class's LDL-C effect comes from.
/// - SGLT2 inhibitor: dapagliflozin — DAPA-HF and DAPA-CKD.
/// - The other classes have one agent in the table (ezetimibe, inclisiran, bempedoic acid,
///   furosemide, metformin, apixaban) or the usual one (aspirin).
pub fn preferred_agent(class: DrugClass) -> &'static Agent {
    use agents as a;
    use DrugClass as D;
    match class {
        D::AceInhibitor => &a::RAMIPRIL,
        D::Arb => &a::LOSARTAN,
        D::CalciumChannelBlocker => &a::AMLODIPINE,
        D::NonDihydropyridineCcb => &a::DILTIAZEM,
        D::Thiazide => &a::INDAPAMIDE,
        D::BetaBlocker => &a::BISOPROLOL,
        D::Mra => &a::SPIRONOLACTONE,
        D::Statin => &a::ATORVASTATIN,
        D::Ezetimibe => &a::EZETIMIBE,
        D::Pcsk9Inhibitor => &a::EVOLOCUMAB,
        D::Antiplatelet => &a::ASPIRIN,
        D::Anticoagulant => &a::APIXABAN,
        D::Sglt2Inhibitor => &a::DAPAGLIFLOZIN,
        D::LoopDiuretic => &a::FUROSEMIDE,
        D::Metformin => &a::METFORMIN,
        D::AlphaBlocker => &a::DOXAZOSIN,
        D::CentrallyActing => &a::METHYLDOPA,
        D::Inclisiran => &a::INCLISIRAN,
        D::BempedoicAcid => &a::BEMPEDOIC_ACID,
        D::Arni => &a::SACUBITRIL_VALSARTAN,
        D::Ivabradine => &a::IVABRADINE,
        D::Antiarrhythmic => &a::AMIODARONE,
    }
}

/// The agent to name in pregnancy, where the class has one recommended there: labetalol
/// (beta-blocker), nifedipine (calcium-channel blocker), methyldopa (centrally acting) — the
/// first-line drugs of the 2018 ESC guidelines for cardiovascular disease during pregnancy
/// (Regitz-Zagrosek V et al. Eur Heart J 2018;39:3165, doi:10.1093/eurheartj/ehy340) and of
/// ESC 2024. `None` for every other class (the safety rules say which are contraindicated).
pub fn preferred_agent_in_pregnancy(class: DrugClass) -> Option<&'static Agent> {
    match class {
        DrugClass::BetaBlocker => Some(&agents::LABETALOL),
        DrugClass::CalciumChannelBlocker => Some(&agents::NIFEDIPINE),
        DrugClass::CentrallyActing => Some(&agents::METHYLDOPA),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
