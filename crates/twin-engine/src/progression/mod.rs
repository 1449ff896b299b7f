//! Month-scale progression of the patient's risk factors under a scenario, as an ensemble.
//!
//! Each ensemble member draws its own response factors (from the patient's [`response`]
//! posterior), its own uncertainty about today's values, its own effect sizes on events (from
//! the published confidence intervals) and its own month-to-month process noise. The member
//! kernel ([`run_member`]) is a pure function of the baseline, the scenario and those draws, so
//! the same draws give the same trajectory on any backend.
//!
//! Per month: SBP, DBP, heart rate, LDL-C, HDL-C, weight, eGFR, arterial stiffness (relative to
//! today), LVEF, the cumulative probability of a major CV event since today, and cardiac output.
//!
//! # Assumptions (beyond the cited effect sizes in [`effects`])
//! - Process noise: SBP follows a random walk with SD 0.7 mmHg per √month (about 8 mmHg after
//!   10 years), DBP 60% of it ([`DBP_WALK_SHARE`]); LDL-C a log random walk with SD 1% per
//!   √month. These widen the bands for what the model does not know about the future; they are
//!   not estimated from data.
//! - Drug effects add across classes (Law 2003/2009); LDL-C effects multiply. The same response
//!   factor scales every BP drug (one for all LDL-C drugs), and it does not scale lifestyle.
//! - BP-drug effects scale with the pressure they start from, today's SBP
//!   ([`drugs::bp_effect_scale`], Law 2003/2009): amlodipine's 8.8 mmHg at 154 is 5.6 at 122 and
//!   10.4 at 170. Today's SBP stands in for the pretreatment pressure of a drug already taken
//!   when it is stopped or changed (its true untreated pressure is higher, so the rebound is
//!   likely understated a little).
//! - Lifestyle effects are scaled per member by a factor drawn from N(1, 0.5²), truncated at 0:
//!   how much of a trial's effect a person achieves varies widely with how well the change is
//!   kept up. Combined, they are sub-additive ([`combine_falls`]): the largest fall counts in
//!   full and each further one keeps 45% of its own ([`effects::LIFESTYLE_ADD_ON_SHARE`], the
//!   share DASH-Sodium measured for salt reduction on the DASH diet; ENCORE's DASH plus exercise
//!   and weight loss arm agrees, see the constant). Each wanes after its trial's programme ended,
//!   as people let it lapse ([`effects::SODIUM_KEPT`] and the rest, from TOHP II and ENCORE's
//!   one-year follow-up): weight lost is partly regained, few keep exercising.
//! - A drug started in a scenario acts, by default, on the share of people still taking it
//!   ([`scenario::Persistence`]; [`effects::persistence_share`], Vrijens 2008: about half stop
//!   within a year). A drug already on record keeps the adherence the record shows.
//! - BP drifts with age by age band and sex ([`effects::sbp_ageing`], [`effects::dbp_ageing`]:
//!   BLSA, Framingham and the UK and US life-course cohorts), except in heart failure with reduced
//!   EF, where it is held ([`effects::HFREF_LVEF_MAX`]).
//! - Event risk: the equations' hazard for today's values, moved member by member by how far
//!   that member's SBP and LDL-C lie from today's estimate (treatment, the uncertainty of today's
//!   mean, and the random walks), through the trial effect sizes (BPLTTC per 5 mmHg, CTT per
//!   mmol/L). Applying trial effects to untreated differences is the usual epidemiological
//!   assumption (the same log-linear relation, Lewington 2002; CTT 2010); the ageing drift is left
//!   out because the equations' hazards already age the patient.
//! - Resting heart rate moves only with changes to beta-blockers (11 bpm at standard dose, see
//!   [`DrugClass::heart_rate_effect_standard_dose`], with the same onset as BP), floored at
//!   40 bpm; no ageing drift or process noise is modelled for it. Its band is the uncertainty of
//!   today's value ([`Spread`]).
//! - HDL-C and weight: today's value with its uncertainty ([`Spread`]), then a random walk (HDL-C
//!   1% per √month on the log scale, weight 0.3 kg per √month, about 3 kg SD over 10 years;
//!   assumptions, not estimates). Weight lost in a scenario is scaled by the member's lifestyle
//!   factor, as its BP effect is.
//! - eGFR: today's value with its uncertainty, falling by 0.75 mL/min/1.73 m² a year (Lindeman
//!   1985) with a between-person SD of that slope of 1.0 (Lindeman found wide individual
//!   variation, a third with no decline at all; the SD is ours).
//! - Statin "dose" in a scenario is its intensity: half = low, standard = moderate, double = high.
//! - LVEF and stroke volume follow the heart model linearised at today's calibration: their
//!   sensitivities to afterload (ln MAP, by way of peripheral resistance), to arterial compliance
//!   and to heart rate (filling time), computed from the calibrated twin. Cardiac output is heart
//!   rate × stroke volume. The projected BP already carries a beta-blocker's BP effect (Law
//!   2003), so the heart-rate terms add only what a slower rate does to filling and ejection.
//! - Stopping smoking lowers the event hazard towards the non-smoker's with a 5-year time
//!   constant (Duncan MS et al. JAMA 2019;322:642-650 found most of the excess CVD risk of former
//!   smokers gone within 5–10 years).
//! - Event hazard: the baseline model's (PREVENT, else PCE, else SCORE2) annual hazard with today's
//!   risk factors, one per ten-year window (the equation's risk at the window's start, which
//!   already carries its cohort's ageing: see `twin::hazards`), times CTT and BPLTTC ratios for
//!   the treatment-induced change in LDL-C and SBP, times the smoking and revascularisation factors.

pub mod backend;
pub mod effects;
pub mod flat;
pub mod grid;
pub mod heart_failure;
mod output;
pub mod response;
pub mod scenario;
pub mod sources;
pub mod strategy;

pub use output::{Output, N_OUTPUTS};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::drugs::{self, DoseLevel, DrugClass, StatinIntensity};
use effects as fx;
pub use flat::FlatPlan;
use response::Belief;
use scenario::{Intervention, Scenario};
use strategy::{Course, Fixed, Titration};

/// What the patient takes today.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurrentDrug {
    /// Class.
    pub class: DrugClass,
    /// Dose level (for statins: half = low, standard = moderate, double = high intensity).
    pub dose: DoseLevel,
    /// Share of doses taken (proportion of days covered where known, else 1).
    pub adherence: f64,
}

/// Today's twin: the starting point of every projection.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Age today, years.
    pub age: f64,
    /// Female (sex at birth, as the risk equations use it): BP drifts with age differently by sex
    /// ([`effects::sbp_ageing`]).
    pub female: bool,
    /// SBP today (mean, SD of that estimate), mmHg.
    pub sbp: (f64, f64),
    /// DBP today (mean, SD), mmHg.
    pub dbp: (f64, f64),
    /// Heart rate, bpm.
    pub heart_rate: f64,
    /// LDL-C today (mean, SD), mmol/L.
    pub ldl: (f64, f64),
    /// HDL-C, mmol/L.
    pub hdl: f64,
    /// Weight, kg.
    pub weight: f64,
    /// eGFR, mL/min/1.73 m², where known.
    pub egfr: Option<f64>,
    /// LVEF today, %.
    pub lvef: f64,
    /// LVEF change per unit ln MAP (afterload), points.
    pub ef_per_log_map: f64,
    /// LVEF change per unit ln arterial compliance, points.
    pub ef_per_log_compliance: f64,
    /// LVEF change per unit ln heart rate, points.
    pub ef_per_log_heart_rate: f64,
    /// Stroke volume today (calibrated heart model), mL.
    pub stroke_volume: f64,
    /// Stroke-volume change per unit ln MAP (afterload), mL.
    pub sv_per_log_map: f64,
    /// Stroke-volume change per unit ln arterial compliance, mL.
    pub sv_per_log_compliance: f64,
    /// Stroke-volume change per unit ln heart rate (filling time), mL.
    pub sv_per_log_heart_rate: f64,
    /// Smokes today.
    pub smoker: bool,
    /// Log hazard ratio of current smoking in the event model.
    pub smoking_log_hr: f64,
    /// Drugs taken today.
    pub current_drugs: Vec<CurrentDrug>,
    /// Belief about the BP response factor.
    pub bp_response: Belief,
    /// Belief about the LDL-C response factor.
    pub ldl_response: Belief,
    /// Annual event hazard at each year from today (index 0 = this year), from the event model
    /// with today's risk factors; empty when no model applies.
    pub annual_hazard: Vec<f64>,
    /// Heart failure on record with the inputs MAGGIC needs: the outcomes are then death and a
    /// first HF hospitalisation under treatment ([`heart_failure`]), not CV events.
    pub heart_failure: Option<heart_failure::HeartFailureBaseline>,
    /// How uncertain today's heart rate, HDL-C, weight and eGFR are.
    pub spread: Spread,
}

/// SDs of today's estimates of the outputs that drugs barely move, so their bands say how well
/// today is known (see the module's assumptions).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Heart rate, bpm.
    pub heart_rate: f64,
    /// HDL-C, as a coefficient of variation (log scale).
    pub hdl_cv: f64,
    /// Weight, kg.
    pub weight: f64,
    /// eGFR, as a coefficient of variation (log scale).
    pub egfr_cv: f64,
    /// LVEF, points: an echo's measurement error, or, without an echo, how far a heart model
    /// calibrated to BP and heart rate alone may be from the patient's true LVEF.
    pub lvef: f64,
}

impl Spread {
    /// No uncertainty at all (tests and benchmarks that want a sharp line).
    pub const NONE: Spread = Spread { heart_rate: 0.0, hdl_cv: 0.0, weight: 0.0, egfr_cv: 0.0, lvef: 0.0 };
}

/// Ensemble settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnsembleConfig {
    /// Months to project (the trajectory has `months + 1` points, month 0 = today).
    pub months: u32,
    /// Members.
    pub members: usize,
    /// Seed; the same seed gives the same ensemble.
    pub seed: u64,
}

/// Scalar draws per member, in this order, followed by `months + 1` SBP walk steps and
/// `months + 1` LDL walk steps, then [`N_LATER_SCALARS`] more scalars, the HDL-C and weight
/// walks, and [`N_TAIL_SCALARS`] last ones (each group appended, so earlier draws, and what they
/// give, stay as they were).
const N_SCALAR_DRAWS: usize = 8;
/// LVEF today, and the member's heart-rate drift per year.
const N_TAIL_SCALARS: usize = 2;
/// Heart-failure therapies' effects, one per therapy ([`heart_failure::THERAPIES`]), after the
/// tail scalars.
const N_HF_SCALARS: usize = heart_failure::N_THERAPIES;
/// Between-person SD of the long-term drift of resting heart rate, bpm per year: 0.8 (8 bpm over
/// ten years). Resting heart rate follows individual courses over decades (Tromsø 1986–2008:
/// Sharashova E et al. Eur J Prev Cardiol 2017;24:748; HUNT, measured ten years apart: Nauman J et
/// al. JAMA 2011;306:2579, where many moved between the < 70, 70–85 and > 85 bpm bands); neither
/// reports the SD of individual change, so the figure is ours, of that order. The mean drift is
/// taken as zero (the population means moved with secular trends, not age: Sharashova E et al.
/// Int J Epidemiol 2015;44:1007).
pub const HEART_RATE_DRIFT_SD: f64 = 0.8;
/// Heart rate, HDL-C, weight and eGFR today, and the eGFR slope.
const N_LATER_SCALARS: usize = 5;
const HDL_WALK_SD: f64 = 0.01;
const WEIGHT_WALK_SD: f64 = 0.3;
/// Between-person SD of the yearly eGFR decline, mL/min/1.73 m² per year (see the module docs).
const EGFR_SLOPE_SD: f64 = 1.0;
/// SD of the factor scaling lifestyle effects between people (see module docs).
const LIFESTYLE_FACTOR_SD: f64 = 0.5;
/// SD of the monthly step of the SBP random walk, mmHg (see the module's assumptions); also the
/// drift the twin's estimate of today's BP allows between readings ([`crate::twin::level_today`]).
pub const SBP_WALK_SD: f64 = 0.7;
const LDL_WALK_SD: f64 = 0.01;
const SMOKING_TAU_MONTHS: f64 = 60.0;
/// Lowest projected resting heart rate, bpm.
const MIN_HEART_RATE: f64 = 40.0;
/// Share of the SBP random walk that DBP follows: DBP's process noise is 60% of SBP's (see the
/// module's assumptions; an assumption, not an estimate), close to the ratio of DBP to SBP falls
/// under treatment, 5.5/9.1 ([`scenario::DBP_PER_SBP`], Law 2003).
pub const DBP_WALK_SHARE: f64 = 0.6;
/// The SBP difference, mmHg, that [`effects::BPLTTC_HR_PER_5_MMHG`] is given per: BPLTTC 2021
/// reports its hazard ratio per 5 mmHg lower SBP ([`effects`], reference 6), so a member's SBP
/// deviation moves the log hazard by ln HR × deviation / 5.
pub const BPLTTC_SBP_STEP_MMHG: f64 = 5.0;
/// Mean arterial pressure from cuff pressures, MAP = DBP + (SBP − DBP) / 3: the standard clinical
/// estimate (at resting heart rates diastole takes about two thirds of the cardiac cycle). This
/// is its divisor of the pulse pressure.
pub const MAP_PULSE_PRESSURE_DIVISOR: f64 = 3.0;
/// Lowest MAP, mmHg, whose log the LVEF and stroke-volume linearisation takes (ln MAP is its
/// afterload term): a guard that keeps ln MAP finite for an extreme member, far below the MAP of
/// any patient the model projects (circulatory collapse), so it binds only where the
/// linearisation has nothing left to say. Ours, not an estimate.
pub const MIN_MAP: f64 = 30.0;
/// Range a projected LVEF is held in, %: 5% is the lowest LVEF the app accepts as a recorded value
/// ([`crate::units::MeasurementKind::plausible_range`]); 85% lies well above the normal range
/// (about 52–74%, ASE/EACVI: Lang RM et al. J Am Soc Echocardiogr 2015;28:1-39). A bound on the
/// linearised heart model, ours: it binds only where the linearisation has left what a
/// ventricle does.
pub const LVEF_BOUNDS: (f64, f64) = (5.0, 85.0);
/// mL per L: cardiac output (L/min) is heart rate (bpm) × stroke volume (mL) / this.
pub const ML_PER_LITRE: f64 = 1000.0;
/// Floor of today's LDL-C mean, mmol/L, where its SD becomes a coefficient of variation: keeps a
/// zero mean from dividing by zero; 50,000 times below the lowest LDL-C the app accepts as a
/// recorded value (0.05 mmol/L), so it never moves a real patient. A guard, not an estimate.
pub const MIN_LDL_FOR_CV: f64 = 1e-6;

/// How many draws a member uses over `months`.
fn n_draws(months: u32) -> usize {
    N_SCALAR_DRAWS + N_LATER_SCALARS + 4 * (months as usize + 1) + N_TAIL_SCALARS + N_HF_SCALARS
}

/// Standard-normal draws of one member: 8 scalars, the SBP and LDL-C walks, 5 more scalars,
/// the HDL-C and weight walks.
pub fn member_draws(seed: u64, member: usize, months: u32) -> Vec<f64> {
    let stream = seed ^ (member as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut rng = ChaCha8Rng::seed_from_u64(stream);
    (0..n_draws(months)).map(|_| StandardNormal.sample(&mut rng)).collect()
}

/// Draws of zero: the member at every mean, for explanations.
pub fn mean_draws(months: u32) -> Vec<f64> {
    vec![0.0; n_draws(months)]
}

/// LDL-C fraction lowered by a lipid class at a dose level (statins: level = intensity).
pub fn ldl_fraction(class: DrugClass, dose: DoseLevel) -> f64 {
    match class {
        DrugClass::Statin => match dose {
            DoseLevel::Half => StatinIntensity::Low,
            DoseLevel::Standard => StatinIntensity::Moderate,
            DoseLevel::Double => StatinIntensity::High,
        }
        .ldl_fraction(),
        DrugClass::Ezetimibe => drugs::EZETIMIBE_LDL_FRACTION,
        DrugClass::Pcsk9Inhibitor => drugs::PCSK9_LDL_FRACTION,
        DrugClass::Inclisiran => drugs::INCLISIRAN_LDL_FRACTION,
        DrugClass::BempedoicAcid => drugs::BEMPEDOIC_ACID_LDL_FRACTION,
        _ => 0.0,
    }
}

/// BP effect (SBP, DBP fall) of a class at a dose, at ρ = 1.
fn bp_effect(class: DrugClass, dose: DoseLevel) -> (f64, f64) {
    class.bp_effect_standard_dose().map_or((0.0, 0.0), |(s, d)| {
        let k = dose.bp_effect_fraction();
        (s * k, d * k)
    })
}

fn onset(months_since: f64) -> f64 {
    if months_since < 0.0 {
        0.0
    } else {
        1.0 - (-months_since / fx::ONSET_MONTHS).exp()
    }
}

/// One class's regimen over time: (month of change, dose, adherence), in order.
#[derive(Debug, Clone)]
struct Regimen {
    class: DrugClass,
    today: Option<(DoseLevel, f64)>,
    changes: Vec<(f64, Option<(DoseLevel, f64)>)>,
    /// For each change, the month the course it belongs to was started in the scenario with
    /// real-world persistence ([`scenario::Persistence::RealWorld`]); `None` for a drug taken
    /// today (its adherence is the record's), one taken as prescribed, or a stop.
    courses: Vec<Option<f64>>,
}

impl Regimen {
    /// A class taken today, or started by the scenario (`today` = `None`).
    fn new(class: DrugClass, today: Option<(DoseLevel, f64)>) -> Self {
        Self { class, today, changes: Vec::new(), courses: Vec::new() }
    }

    /// Adds a change at month `at`, part of the course started at `course` (see [`Regimen::courses`]).
    fn push(&mut self, at: f64, regimen: Option<(DoseLevel, f64)>, course: Option<f64>) {
        self.changes.push((at, regimen));
        self.courses.push(course);
    }

    /// The last change's regimen (today's when nothing changed) and its course.
    fn last(&self) -> (Option<(DoseLevel, f64)>, Option<f64>) {
        self.changes.last().zip(self.courses.last()).map_or((self.today, None), |((_, x), c)| (*x, *c))
    }

    /// Exposure-weighted effect at month `m` for an effect function, blending the last change in
    /// with the onset time constant. A course started with real-world persistence acts on the
    /// share of people still taking it ([`effects::persistence_share`] of the months since it
    /// started).
    fn effect(&self, m: f64, f: impl Fn(DoseLevel) -> f64) -> f64 {
        let level = |x: Option<(DoseLevel, f64)>| x.map_or(0.0, |(dose, adherence)| f(dose) * adherence);
        let mut current = level(self.today);
        for ((at, regimen), course) in self.changes.iter().zip(&self.courses) {
            if *at > m {
                break;
            }
            let taking = course.map_or(1.0, |start| fx::persistence_share(m - start));
            let target = level(*regimen) * taking;
            current += (target - current) * onset(m - at);
        }
        current
    }

    /// Today's exposure-weighted effect: what the patient's current regimen already does.
    fn today_effect(&self, f: impl Fn(DoseLevel) -> f64) -> f64 {
        self.today.map_or(0.0, |(dose, adherence)| f(dose) * adherence)
    }
}

/// The scenario compiled against today's drugs: per-class regimens and lifestyle schedule.
/// [`FlatPlan`] evaluates it month by month for the member step.
#[derive(Debug, Clone)]
struct Plan {
    regimens: Vec<Regimen>,
    lifestyle: Vec<Intervention>,
}

impl Plan {
    /// Compiles a scenario against today's drugs.
    fn new(baseline: &Baseline, scenario: &Scenario) -> Self {
        let mut regimens: Vec<Regimen> =
            baseline.current_drugs.iter().map(|d| Regimen::new(d.class, Some((d.dose, d.adherence)))).collect();
        let mut events: Vec<(u32, &Intervention)> = scenario
            .interventions
            .iter()
            .filter_map(|i| match i {
                Intervention::StartDrug { start_month, .. } | Intervention::Adherence { start_month, .. } => {
                    Some((*start_month, i))
                }
                Intervention::StopDrug { month, .. } | Intervention::ChangeDose { month, .. } => Some((*month, i)),
                _ => None,
            })
            .collect();
        events.sort_by_key(|(m, _)| *m);
        for (month, intervention) in events {
            let at = f64::from(month);
            match intervention {
                Intervention::StartDrug { class, dose, adherence, persistence, .. } => {
                    let course = match persistence {
                        scenario::Persistence::RealWorld => Some(at),
                        scenario::Persistence::AsPrescribed => None,
                    };
                    if !regimens.iter().any(|r| r.class == *class) {
                        regimens.push(Regimen::new(*class, None));
                    }
                    if let Some(r) = regimens.iter_mut().find(|r| r.class == *class) {
                        r.push(at, Some((*dose, *adherence)), course);
                    }
                }
                Intervention::StopDrug { class, .. } => {
                    if let Some(r) = regimens.iter_mut().find(|r| r.class == *class) {
                        r.push(at, None, None);
                    }
                }
                Intervention::ChangeDose { class, dose, .. } => {
                    if let Some(r) = regimens.iter_mut().find(|r| r.class == *class) {
                        // A new dose of a drug started here keeps that course's persistence clock.
                        if let (Some((_, adherence)), course) = r.last() {
                            r.push(at, Some((*dose, adherence)), course);
                        }
                    }
                }
                Intervention::Adherence { level, .. } => {
                    for r in regimens.iter_mut().filter(|r| r.today.is_some()) {
                        if let (Some((dose, _)), course) = r.last() {
                            r.push(at, Some((dose, *level)), course);
                        }
                    }
                }
                _ => {}
            }
        }
        let lifestyle = scenario
            .interventions
            .iter()
            .filter(|i| {
                !matches!(
                    i,
                    Intervention::StartDrug { .. }
                        | Intervention::StopDrug { .. }
                        | Intervention::ChangeDose { .. }
                        | Intervention::Adherence { .. }
                )
            })
            .cloned()
            .collect();
        Self { regimens, lifestyle }
    }

    /// How much more of an additive drug effect (`f` per class and dose, at full adherence) acts
    /// at month `m` than today, summed over classes. Today's values already carry today's drugs,
    /// so only this difference moves a projection.
    fn added_effect(&self, m: f64, f: impl Fn(DrugClass, DoseLevel) -> f64) -> f64 {
        self.regimens
            .iter()
            .map(|r| r.effect(m, |dose| f(r.class, dose)) - r.today_effect(|dose| f(r.class, dose)))
            .sum()
    }

    /// Drug-induced (SBP, DBP) change from today at month `m` (negative = lower), at ρ = 1:
    /// drug classes, and falls given by size ([`Intervention::LowerSbp`]).
    fn drug_bp_change(&self, m: f64) -> (f64, f64) {
        let by_size: f64 = self
            .lifestyle
            .iter()
            .filter_map(|i| match i {
                Intervention::LowerSbp { mmhg, start_month } => Some(mmhg * onset(m - f64::from(*start_month))),
                _ => None,
            })
            .sum();
        (
            -self.added_effect(m, |c, dose| bp_effect(c, dose).0) - by_size,
            -self.added_effect(m, |c, dose| bp_effect(c, dose).1) - by_size * scenario::DBP_PER_SBP,
        )
    }

    /// What is taken once every drug change of the scenario has happened: each class at its last
    /// dose and adherence (a strategy titrates from there).
    fn regimen_after_changes(&self) -> Vec<CurrentDrug> {
        self.regimens
            .iter()
            .filter_map(|r| r.last().0.map(|(dose, adherence)| CurrentDrug { class: r.class, dose, adherence }))
            .collect()
    }

    /// BP-lowering classes taken at month `m` (a class counts from the month it starts to the
    /// month it stops).
    fn bp_drugs(&self, m: f64) -> f64 {
        let taken = |r: &Regimen| r.changes.iter().take_while(|(at, _)| *at <= m).last().map_or(r.today, |(_, x)| *x);
        self.regimens.iter().filter(|r| r.class.lowers_bp() && taken(r).is_some()).count() as f64
    }

    /// Each heart-failure therapy's exposure at month `m` less today's (1 = taken in full from
    /// today; onset, adherence and persistence as for BP effects), in
    /// [`heart_failure::THERAPIES`] order.
    fn heart_failure_exposure(&self, m: f64) -> [f64; heart_failure::N_THERAPIES] {
        heart_failure::THERAPIES.map(|t| {
            self.regimens
                .iter()
                .filter(|r| r.class == t.class())
                .map(|r| r.effect(m, |_| 1.0) - r.today_effect(|_| 1.0))
                .sum()
        })
    }

    /// Drug-induced heart-rate change from today at month `m` (negative = slower), bpm.
    fn drug_heart_rate_change(&self, m: f64) -> f64 {
        -self.added_effect(m, |c, dose| {
            c.heart_rate_effect_standard_dose().map_or(0.0, |bpm| bpm * dose.heart_rate_effect_fraction())
        })
    }

    /// (fraction acting at month `m`, fraction acting today) of each LDL-C-lowering term: each
    /// drug class, and each fall given by size ([`Intervention::LowerLdl`]).
    fn ldl_terms(&self, m: f64) -> Vec<(f64, f64)> {
        let drugs = self.regimens.iter().map(|r| {
            (r.effect(m, |dose| ldl_fraction(r.class, dose)), r.today_effect(|dose| ldl_fraction(r.class, dose)))
        });
        let by_size = self.lifestyle.iter().filter_map(|i| match i {
            Intervention::LowerLdl { fraction, start_month } => {
                Some((fraction * onset(m - f64::from(*start_month)), 0.0))
            }
            _ => None,
        });
        drugs.chain(by_size).collect()
    }

    /// Lifestyle (SBP, DBP) change at month `m`, and weight change. Falls combine sub-additively
    /// ([`combine_falls`]); a rise (weight gained) adds as it is.
    fn lifestyle_change(&self, m: f64, hypertensive: bool) -> (f64, f64, f64) {
        let pick = |h: (f64, f64), n: (f64, f64)| if hypertensive { h } else { n };
        let mut falls: Vec<(f64, f64)> = Vec::new();
        let (mut rise_s, mut rise_d, mut w) = (0.0, 0.0, 0.0);
        for i in &self.lifestyle {
            match i {
                Intervention::SodiumReduction { start_month } => {
                    let (es, ed) = pick(fx::SODIUM_REDUCTION_HYPERTENSIVE, fx::SODIUM_REDUCTION_NORMOTENSIVE);
                    let since = m - f64::from(*start_month);
                    let k = onset(since) * fx::kept(&fx::SODIUM_KEPT, since);
                    falls.push((es * k, ed * k));
                }
                Intervention::DashDiet { start_month } => {
                    let (es, ed) = pick(fx::DASH_HYPERTENSIVE, fx::DASH_NORMOTENSIVE);
                    let since = m - f64::from(*start_month);
                    let k = onset(since) * fx::kept(&fx::DASH_KEPT, since);
                    falls.push((es * k, ed * k));
                }
                Intervention::Exercise { minutes_per_week, start_month } => {
                    let (es, ed) = pick(fx::EXERCISE_HYPERTENSIVE, fx::EXERCISE_NORMOTENSIVE);
                    let since = m - f64::from(*start_month);
                    let k = onset(since)
                        * fx::kept(&fx::EXERCISE_KEPT, since)
                        * (minutes_per_week / fx::EXERCISE_REFERENCE_MIN_PER_WEEK).min(1.0);
                    falls.push((es * k, ed * k));
                }
                Intervention::WeightChange { kg, start_month, over_months } => {
                    let over = f64::from((*over_months).max(1));
                    let since = m - f64::from(*start_month);
                    let progress = (since / over).clamp(0.0, 1.0);
                    // Weight lost is regained once the loss is reached (a gain is not undone).
                    let regain = if *kg < 0.0 { fx::kept(&fx::WEIGHT_KEPT, since - over) } else { 1.0 };
                    let dw = kg * progress * regain;
                    w += dw;
                    let (ds, dd) = (fx::BP_PER_KG.0 * dw, fx::BP_PER_KG.1 * dw);
                    if dw < 0.0 {
                        falls.push((-ds, -dd));
                    } else {
                        rise_s += ds;
                        rise_d += dd;
                    }
                }
                _ => {}
            }
        }
        let s = combine_falls(falls.iter().map(|f| f.0));
        let d = combine_falls(falls.iter().map(|f| f.1));
        (rise_s - s, rise_d - d, w)
    }

    fn quit_month(&self) -> Option<f64> {
        self.lifestyle.iter().find_map(|i| match i {
            Intervention::SmokingCessation { month } => Some(f64::from(*month)),
            _ => None,
        })
    }

    fn revascularisation_month(&self) -> Option<f64> {
        self.lifestyle.iter().find_map(|i| match i {
            Intervention::Procedure { month, .. } => Some(f64::from(*month)),
            _ => None,
        })
    }
}

/// Several lifestyle changes lower BP by less than the sum of their trials' effects: the largest
/// counts in full, each further one keeps [`fx::LIFESTYLE_ADD_ON_SHARE`] of its own.
pub fn combine_falls(falls: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = falls.filter(|f| *f > 0.0).collect();
    v.sort_by(|a, b| b.total_cmp(a));
    v.iter().enumerate().map(|(i, f)| if i == 0 { *f } else { f * fx::LIFESTYLE_ADD_ON_SHARE }).sum()
}

/// One member's trajectory: `(months + 1) × N_OUTPUTS` values, month-major.
pub fn run_member(baseline: &Baseline, plan: &FlatPlan, draws: &[f64], out: &mut [f64]) {
    match plan.strategy() {
        Some(s) => {
            step_member::<true, _>(baseline, plan, draws, out, &mut Titration::new(s, plan.strategy_start(), draws))
        }
        None => step_member::<true, _>(baseline, plan, draws, out, &mut Fixed),
    };
}

/// One member's event risk at the plan's last month, and nothing else: [`run_member`]'s step
/// without the outputs the risk does not depend on (the risk heatmap's need). The same value as
/// [`run_member`]'s last `EventRisk`.
pub fn member_event_risk(baseline: &Baseline, plan: &FlatPlan, draws: &[f64]) -> f64 {
    match plan.strategy() {
        Some(s) => step_member::<false, _>(
            baseline,
            plan,
            draws,
            &mut [],
            &mut Titration::new(s, plan.strategy_start(), draws),
        ),
        None => step_member::<false, _>(baseline, plan, draws, &mut [], &mut Fixed),
    }
}

/// The member step; writes every output into `out` when `WRITE` (the risk-only copy the
/// compiler makes without it skips what the risk does not need, and is given an empty `out`),
/// and returns the event risk at the last month either way. `course` is what a treat-to-target
/// strategy adds member by member ([`strategy::Fixed`] for a fixed regimen, which adds nothing
/// and compiles away). `twin-gpu`'s kernel is this function in WGSL for fixed regimens: change
/// both.
#[inline(always)]
fn step_member<const WRITE: bool, C: Course>(
    baseline: &Baseline,
    plan: &FlatPlan,
    draws: &[f64],
    out: &mut [f64],
    course: &mut C,
) -> f64 {
    use flat::field as f;
    let z = |i: usize| draws[i];
    let n_months = plan.months() as usize + 1;
    let (lo, hi) = response::RHO_BOUNDS;
    let bp_rho = (baseline.bp_response.mean + baseline.bp_response.sd() * z(0)).clamp(lo, hi);
    let ldl_rho = (baseline.ldl_response.mean + baseline.ldl_response.sd() * z(1)).clamp(lo, hi);
    let sbp0 = baseline.sbp.0 + baseline.sbp.1 * z(2);
    let dbp0 = baseline.dbp.0 + baseline.dbp.1 * z(2);
    let ldl0 = baseline.ldl.0 * (baseline.ldl.1 / baseline.ldl.0.max(MIN_LDL_FOR_CV) * z(3)).exp();
    let lognormal = |(mid, low, high): (f64, f64, f64), zi: f64| (mid.ln() + fx::log_sd_from_ci(low, high) * zi).exp();
    let rr_ldl = lognormal(fx::CTT_RR_PER_MMOL, z(4));
    let hr_bp = lognormal(fx::BPLTTC_HR_PER_5_MMHG, z(5));
    let hr_revasc = lognormal(fx::REVASCULARISATION_HR, z(6));
    let (ln_rr_ldl, ln_hr_bp) = (rr_ldl.ln(), hr_bp.ln());
    let lifestyle_factor = (1.0 + LIFESTYLE_FACTOR_SD * z(7)).max(0.0);
    // Drug effects are larger from a higher pressure (Law 2003/2009): scaled by this member's
    // SBP today, the pressure the change starts from.
    let pretreatment = drugs::bp_effect_scale(sbp0);
    let map0 = dbp0 + (sbp0 - dbp0) / MAP_PULSE_PRESSURE_DIVISOR;
    let has_event_model = !baseline.annual_hazard.is_empty();
    let later = N_SCALAR_DRAWS + 2 * n_months;
    let spread = baseline.spread;
    let heart_rate0 = baseline.heart_rate + spread.heart_rate * z(later);
    let hdl0 = baseline.hdl * (spread.hdl_cv * z(later + 1)).exp();
    let weight0 = baseline.weight + spread.weight * z(later + 2);
    let egfr0 = baseline.egfr.map(|e| e * (spread.egfr_cv * z(later + 3)).exp());
    let egfr_decline = fx::EGFR_DECLINE_PER_YEAR + EGFR_SLOPE_SD * z(later + 4);
    let walks = later + N_LATER_SCALARS;
    let tail = walks + 2 * n_months;
    let lvef0 = baseline.lvef + spread.lvef * z(tail);
    let heart_rate_drift = HEART_RATE_DRIFT_SD * z(tail + 1);
    let mut heart_failure = baseline.heart_failure.as_ref().map(|hf| {
        let at = tail + N_TAIL_SCALARS;
        let z_hf: [f64; N_HF_SCALARS] = std::array::from_fn(|i| z(at + i));
        // MAGGIC scores the SBP the risk screen reads (the latest reading); the member moves it by
        // its own draw of today's SBP, so every screen gives one risk.
        heart_failure::Member::new(hf, lvef0, hf.maggic.sbp + (sbp0 - baseline.sbp.0), &z_hf)
    });
    let (mut walk_hdl, mut walk_weight) = (0.0_f64, 0.0);
    let (mut walk_sbp, mut walk_ldl, mut cumulative_hazard) = (0.0, 0.0_f64, 0.0);
    for month in 0..n_months {
        let terms = plan.row(month);
        let years = month as f64 / 12.0;
        let step = course.adjustment(month, ldl_rho);
        let (drug_s, drug_d) = (terms[f::DRUG_SBP] + step.drug_sbp, terms[f::DRUG_DBP] + step.drug_dbp);
        let (life_s, life_d, dw) = (terms[f::LIFE_SBP], terms[f::LIFE_DBP], terms[f::WEIGHT]);
        let (life_s, life_d) = (life_s * lifestyle_factor, life_d * lifestyle_factor);
        let treat_s = bp_rho * pretreatment * drug_s + life_s;
        let treat_d = bp_rho * pretreatment * drug_d + life_d;
        let sbp = sbp0 + treat_s + terms[f::SBP_AGEING] + walk_sbp;
        let dbp = dbp0 + treat_d + terms[f::DBP_AGEING] + DBP_WALK_SHARE * walk_sbp;
        let ldl_treated = ldl0 * flat::ldl_ratio(plan.ldl(month), ldl_rho) * step.ldl_factor;
        let ldl = ldl_treated * walk_ldl.exp();
        if month > 0 && has_event_model {
            let h0 = terms[f::HAZARD];
            // The member's own risk factors against today's estimate: treatment, the uncertainty
            // of today's values (sbp0, ldl0) and the drift of the walks all move the hazard, so
            // event risk carries risk-factor, response and effect-size uncertainty even under
            // today's treatment (see the module's assumptions).
            let sbp_deviation = sbp - baseline.sbp.0 - terms[f::SBP_AGEING];
            let ldl_fall = baseline.ldl.0 - ldl;
            // rr^fall · hr^(−dev/5), as one exponential.
            let mut hazard = h0 * (ln_rr_ldl * ldl_fall - ln_hr_bp * sbp_deviation / BPLTTC_SBP_STEP_MMHG).exp();
            hazard *= terms[f::SMOKING];
            if terms[f::REVASCULARISED] > 0.5 {
                hazard *= hr_revasc;
            }
            cumulative_hazard += hazard;
        }
        if let (true, Some(hf)) = (month > 0, heart_failure.as_mut()) {
            hf.step(month, &terms[f::HF_EXPOSURE..f::HF_EXPOSURE + N_HF_SCALARS]);
        }
        course.review(month, sbp, ldl);
        walk_sbp += SBP_WALK_SD * z(N_SCALAR_DRAWS + month);
        walk_ldl += LDL_WALK_SD * z(N_SCALAR_DRAWS + n_months + month);
        if !WRITE {
            continue;
        }
        let compliance_index = terms[f::COMPLIANCE];
        let map = dbp + (sbp - dbp) / MAP_PULSE_PRESSURE_DIVISOR;
        // Today's heart rate already carries today's drugs; only changes move it. 40 bpm is a
        // floor: the trials behind the effect size enrolled people with normal resting rates.
        let heart_rate =
            (heart_rate0 + terms[f::HEART_RATE] + step.heart_rate + heart_rate_drift * years).max(MIN_HEART_RATE);
        let (log_map, log_compliance) = ((map.max(MIN_MAP) / map0.max(MIN_MAP)).ln(), compliance_index.ln());
        let log_hr = (heart_rate / heart_rate0.max(MIN_HEART_RATE)).ln();
        let lvef = lvef0
            + baseline.ef_per_log_map * log_map
            + baseline.ef_per_log_compliance * log_compliance
            + baseline.ef_per_log_heart_rate * log_hr;
        let stroke_volume = baseline.stroke_volume
            + baseline.sv_per_log_map * log_map
            + baseline.sv_per_log_compliance * log_compliance
            + baseline.sv_per_log_heart_rate * log_hr;
        let row = &mut out[month * N_OUTPUTS..(month + 1) * N_OUTPUTS];
        row[Output::Sbp.index()] = sbp;
        row[Output::Dbp.index()] = dbp;
        row[Output::HeartRate.index()] = heart_rate;
        row[Output::Ldl.index()] = ldl;
        row[Output::Hdl.index()] = hdl0 * walk_hdl.exp();
        // The weight a person loses varies as much as the rest of a lifestyle change.
        row[Output::Weight.index()] = weight0 + dw * lifestyle_factor + walk_weight;
        row[Output::Egfr.index()] = egfr0.map_or(f64::NAN, |e| (e - egfr_decline * years).max(0.0));
        row[Output::Stiffness.index()] = 1.0 / compliance_index;
        row[Output::Lvef.index()] = lvef.clamp(LVEF_BOUNDS.0, LVEF_BOUNDS.1);
        row[Output::EventRisk.index()] = match &heart_failure {
            Some(hf) => hf.death(),
            None if has_event_model => 1.0 - (-cumulative_hazard).exp(),
            None => f64::NAN,
        };
        row[Output::HfHospitalisation.index()] =
            heart_failure.as_ref().map_or(f64::NAN, heart_failure::Member::hospitalisation);
        row[Output::CardiacOutput.index()] = heart_rate * stroke_volume.max(0.0) / ML_PER_LITRE;
        row[Output::BpDrugs.index()] = terms[f::BP_DRUGS] + step.bp_drugs_added;
        walk_hdl += HDL_WALK_SD * z(walks + month);
        walk_weight += WEIGHT_WALK_SD * z(walks + n_months + month);
    }
    match &heart_failure {
        Some(hf) => hf.death(),
        None if has_event_model => 1.0 - (-cumulative_hazard).exp(),
        None => f64::NAN,
    }
}

/// Every member's trajectory, `members × (months + 1) × N_OUTPUTS`, member-major.
#[derive(Debug, Clone)]
pub struct Ensemble {
    /// Months projected.
    pub months: u32,
    /// Members.
    pub members: usize,
    /// Values.
    pub values: Vec<f64>,
}

/// Values are the same when bit for bit the same: an output not projected for the patient is NaN
/// (eGFR without one, event risk without a model, HF hospitalisation outside heart failure), and
/// the same run gives the same NaN.
pub fn same_values(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits())
}

impl PartialEq for Ensemble {
    fn eq(&self, other: &Self) -> bool {
        self.months == other.months && self.members == other.members && same_values(&self.values, &other.values)
    }
}

impl PartialEq for Band {
    fn eq(&self, other: &Self) -> bool {
        self.output == other.output
            && same_values(&self.p5, &other.p5)
            && same_values(&self.p50, &other.p50)
            && same_values(&self.p95, &other.p95)
    }
}

impl Ensemble {
    /// Value of `output` at `month` for `member`.
    pub fn get(&self, member: usize, month: usize, output: Output) -> f64 {
        self.values[(member * (self.months as usize + 1) + month) * N_OUTPUTS + output.index()]
    }
}

/// Runs the ensemble on the CPU (rayon), deterministic for a seed whatever the thread count.
pub fn run_ensemble(baseline: &Baseline, scenario: &Scenario, config: &EnsembleConfig) -> Ensemble {
    Ensemble { months: config.months, members: config.members, values: run_members(baseline, scenario, config, None) }
}

/// Every member's trajectory; members after a cancel are left at zero.
fn run_members(
    baseline: &Baseline,
    scenario: &Scenario,
    config: &EnsembleConfig,
    control: Option<&RunControl>,
) -> Vec<f64> {
    let plan = FlatPlan::new(baseline, scenario, config.months);
    let stride = (config.months as usize + 1) * N_OUTPUTS;
    let mut values = vec![0.0; config.members * stride];
    values.par_chunks_mut(stride).enumerate().for_each(|(member, chunk)| {
        if control.is_some_and(RunControl::is_cancelled) {
            return;
        }
        let draws = member_draws(config.seed, member, config.months);
        run_member(baseline, &plan, &draws, chunk);
        if let Some(c) = control {
            c.done.fetch_add(1, Ordering::Relaxed);
        }
    });
    values
}

/// How far a long run has got, and the request to stop it: shared between the run and whoever
/// watches it (a progress bar, a Cancel button).
#[derive(Debug, Default)]
pub struct RunControl {
    done: AtomicUsize,
    cancelled: AtomicBool,
}

impl RunControl {
    /// Members finished so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Starts the count again (a run handed to another backend after a failure).
    pub fn restart(&self) {
        self.done.store(0, Ordering::Relaxed);
    }

    /// Counts `n` more members finished (for executors outside this crate).
    pub fn add_done(&self, n: usize) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Asks the run to stop; it stops after the members in flight.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// Whether a stop was asked for.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A run stopped by [`RunControl::cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the projection was cancelled")]
pub struct Cancelled;

/// [`run_ensemble`], reporting each finished member to `control` and stopping when it is
/// cancelled. A run that finishes gives exactly what [`run_ensemble`] gives.
///
/// # Errors
/// [`Cancelled`] when `control` was cancelled before the last member finished.
pub fn run_ensemble_with(
    baseline: &Baseline,
    scenario: &Scenario,
    config: &EnsembleConfig,
    control: &RunControl,
) -> Result<Ensemble, Cancelled> {
    let values = run_members(baseline, scenario, config, Some(control));
    if control.is_cancelled() {
        return Err(Cancelled);
    }
    Ok(Ensemble { months: config.months, members: config.members, values })
}

/// The member at every mean (no sampling): the deterministic centre of a scenario.
pub fn run_mean(baseline: &Baseline, scenario: &Scenario, months: u32) -> Ensemble {
    let plan = FlatPlan::new(baseline, scenario, months);
    let mut values = vec![0.0; (months as usize + 1) * N_OUTPUTS];
    run_member(baseline, &plan, &mean_draws(months), &mut values);
    Ensemble { months, members: 1, values }
}

/// Median and 5–95% band of one output over time.
#[derive(Debug, Clone)]
pub struct Band {
    /// Which output.
    pub output: Output,
    /// 5th percentile per month.
    pub p5: Vec<f64>,
    /// Median per month.
    pub p50: Vec<f64>,
    /// 95th percentile per month.
    pub p95: Vec<f64>,
}

/// The `q` quantile (0–1) of `values` by linear interpolation between order statistics.
/// Reorders `values` (selection, not a full sort: O(n)).
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let pos = q * (values.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let (_, lo_value, upper) = values.select_nth_unstable_by(lo, f64::total_cmp);
    let lo_value = *lo_value;
    let frac = pos - lo as f64;
    if frac == 0.0 {
        return lo_value;
    }
    let hi_value = upper.iter().copied().fold(f64::INFINITY, f64::min);
    lo_value + (hi_value - lo_value) * frac
}

/// Median and 5–95% band of every output, month by month.
pub fn summarise(ensemble: &Ensemble) -> Vec<Band> {
    let n_months = ensemble.months as usize + 1;
    Output::ALL
        .into_par_iter()
        .map(|output| {
            let mut band = Band { output, p5: Vec::new(), p50: Vec::new(), p95: Vec::new() };
            let mut column = vec![0.0; ensemble.members];
            for month in 0..n_months {
                for (member, slot) in column.iter_mut().enumerate() {
                    *slot = ensemble.get(member, month, output);
                }
                band.p5.push(quantile(&mut column, 0.05));
                band.p50.push(quantile(&mut column, 0.5));
                band.p95.push(quantile(&mut column, 0.95));
            }
            band
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scenario::{Persistence, Revascularisation};

    pub(crate) fn baseline() -> Baseline {
        Baseline {
            age: 60.0,
            female: false,
            sbp: (158.0, 4.0),
            dbp: (94.0, 2.5),
            heart_rate: 74.0,
            ldl: (3.6, 0.2),
            hdl: 1.2,
            weight: 90.0,
            egfr: Some(80.0),
            lvef: 60.0,
            ef_per_log_map: -20.0,
            ef_per_log_compliance: 5.0,
            ef_per_log_heart_rate: -2.0,
            stroke_volume: 70.0,
            sv_per_log_map: -30.0,
            sv_per_log_compliance: 6.0,
            sv_per_log_heart_rate: -25.0,
            smoker: true,
            smoking_log_hr: 0.44,
            current_drugs: vec![CurrentDrug {
                class: DrugClass::AceInhibitor,
                dose: DoseLevel::Standard,
                adherence: 1.0,
            }],
            bp_response: Belief::prior(),
            ldl_response: Belief::prior(),
            annual_hazard: vec![0.015; 11],
            heart_failure: None,
            spread: Spread::NONE,
        }
    }

    fn scenario(interventions: Vec<Intervention>) -> Scenario {
        Scenario::fixed("test", interventions)
    }

    fn at(e: &Ensemble, month: usize, output: Output) -> f64 {
        e.get(0, month, output)
    }

    #[test]
    fn adding_a_ccb_lowers_sbp_by_the_law_effect_at_mean_response() {
        let b = baseline();
        let none = run_mean(&b, &Scenario::current_treatment(), 12);
        let ccb = run_mean(
            &b,
            &scenario(vec![Intervention::StartDrug {
                class: DrugClass::CalciumChannelBlocker,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
                persistence: Persistence::AsPrescribed,
            }]),
            12,
        );
        // Law 2003's 8.8 mmHg at 154 mmHg, from 158: × (1 + 4 × 0.5/44).
        let law = 8.8 * drugs::bp_effect_scale(158.0);
        let fall = at(&none, 6, Output::Sbp) - at(&ccb, 6, Output::Sbp);
        assert!((fall - law).abs() < 0.01 && (fall - 9.2).abs() < 0.01, "{fall}");
        // 80% adherence gives 80% of it.
        let partial = run_mean(
            &b,
            &scenario(vec![Intervention::StartDrug {
                class: DrugClass::CalciumChannelBlocker,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 0.8,
                persistence: Persistence::AsPrescribed,
            }]),
            12,
        );
        assert!(((at(&none, 6, Output::Sbp) - at(&partial, 6, Output::Sbp)) - 0.8 * law).abs() < 0.01);
    }

    /// Law 2003/2009: the same drug lowers SBP more from a higher pressure. Amlodipine (8.8 mmHg
    /// at 154) from 122 and from 170 mmHg: 5.6 and 10.4, not 8.8 at both.
    #[test]
    fn a_drug_lowers_a_higher_pressure_more() {
        let fall_from = |sbp: f64| {
            let b = Baseline { sbp: (sbp, 3.0), ..baseline() };
            let ccb = scenario(vec![Intervention::StartDrug {
                class: DrugClass::CalciumChannelBlocker,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
                persistence: Persistence::AsPrescribed,
            }]);
            at(&run_mean(&b, &Scenario::current_treatment(), 12), 12, Output::Sbp)
                - at(&run_mean(&b, &ccb, 12), 12, Output::Sbp)
        };
        let (low, high) = (fall_from(122.0), fall_from(170.0));
        assert!((low - 5.6).abs() < 0.05 && (high - 10.4).abs() < 0.05, "{low} {high}");
        // Held within the trials' range: no effect flips sign or runs away.
        assert!((fall_from(80.0) - 8.8 * 0.25).abs() < 0.01 && (fall_from(240.0) - 8.8 * 1.6).abs() < 0.01);
    }

    #[test]
    fn stopping_a_current_drug_raises_bp_and_poor_adherence_undoes_part_of_it() {
        let b = baseline();
        let none = run_mean(&b, &Scenario::current_treatment(), 12);
        let stop =
            run_mean(&b, &scenario(vec![Intervention::StopDrug { class: DrugClass::AceInhibitor, month: 0 }]), 12);
        let law = 8.5 * drugs::bp_effect_scale(158.0);
        assert!((at(&stop, 12, Output::Sbp) - at(&none, 12, Output::Sbp) - law).abs() < 0.01);
        let half = run_mean(&b, &scenario(vec![Intervention::Adherence { level: 0.5, start_month: 0 }]), 12);
        assert!((at(&half, 12, Output::Sbp) - at(&none, 12, Output::Sbp) - law / 2.0).abs() < 0.01);
    }

    #[test]
    fn beta_blockers_move_heart_rate_and_nothing_else_does() {
        let b = baseline();
        let none = run_mean(&b, &Scenario::current_treatment(), 24);
        assert_eq!(at(&none, 24, Output::HeartRate), 74.0);
        let start = |dose| {
            scenario(vec![Intervention::StartDrug {
                class: DrugClass::BetaBlocker,
                dose,
                start_month: 0,
                adherence: 1.0,
                persistence: Persistence::AsPrescribed,
            }])
        };
        let standard = run_mean(&b, &start(DoseLevel::Standard), 24);
        assert!((at(&standard, 24, Output::HeartRate) - (74.0 - 11.0)).abs() < 0.01);
        // Onset as for BP: partway there after one month.
        let one_month = at(&standard, 1, Output::HeartRate);
        assert!(one_month < 74.0 && one_month > 63.0, "{one_month}");
        let half = run_mean(&b, &start(DoseLevel::Half), 24);
        assert!((at(&half, 24, Output::HeartRate) - (74.0 - 0.8 * 11.0)).abs() < 0.01);
        // Stopping one taken today raises the rate by what it was doing; a CCB changes nothing.
        let on_bb = Baseline {
            current_drugs: vec![CurrentDrug {
                class: DrugClass::BetaBlocker,
                dose: DoseLevel::Standard,
                adherence: 0.5,
            }],
            heart_rate: 45.0,
            ..baseline()
        };
        let stop =
            run_mean(&on_bb, &scenario(vec![Intervention::StopDrug { class: DrugClass::BetaBlocker, month: 0 }]), 24);
        assert!((at(&stop, 24, Output::HeartRate) - (45.0 + 5.5)).abs() < 0.01);
        let double = run_mean(&on_bb, &start(DoseLevel::Double), 24);
        assert_eq!(at(&double, 24, Output::HeartRate), MIN_HEART_RATE);
        let ccb = scenario(vec![Intervention::StartDrug {
            class: DrugClass::CalciumChannelBlocker,
            dose: DoseLevel::Standard,
            start_month: 0,
            adherence: 1.0,
            persistence: Persistence::AsPrescribed,
        }]);
        assert_eq!(at(&run_mean(&b, &ccb, 24), 24, Output::HeartRate), 74.0);
    }

    #[test]
    fn statin_lowers_ldl_and_events_by_ctt() {
        let b = Baseline { smoker: false, ..baseline() };
        let statin = scenario(vec![Intervention::StartDrug {
            class: DrugClass::Statin,
            dose: DoseLevel::Double,
            start_month: 0,
            adherence: 1.0,
            persistence: Persistence::AsPrescribed,
        }]);
        let none = run_mean(&b, &Scenario::current_treatment(), 120);
        let treated = run_mean(&b, &statin, 120);
        assert!((at(&treated, 12, Output::Ldl) / at(&none, 12, Output::Ldl) - 0.5).abs() < 0.01);
        // Hazard ratio 0.78^(1.8 mmol/L) ≈ 0.64 over the 10 years.
        let (r0, r1) = (at(&none, 120, Output::EventRisk), at(&treated, 120, Output::EventRisk));
        let hr = (1.0 - r1).ln() / (1.0 - r0).ln();
        assert!((hr - 0.78f64.powf(1.8)).abs() < 0.02, "{hr}");
    }

    /// SBP fall at `month` of a set of changes against current treatment, at every mean.
    fn sbp_fall(b: &Baseline, interventions: Vec<Intervention>, month: u32) -> f64 {
        let none = run_mean(b, &Scenario::current_treatment(), month);
        let with = run_mean(b, &scenario(interventions), month);
        at(&none, month as usize, Output::Sbp) - at(&with, month as usize, Output::Sbp)
    }

    /// The lifestyle bundle of the issue: salt reduction, DASH, 150 min/week of exercise and
    /// 5 kg lost, the loss reached by month `over`.
    fn bundle(over: u32) -> Vec<Intervention> {
        vec![
            Intervention::SodiumReduction { start_month: 0 },
            Intervention::DashDiet { start_month: 0 },
            Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
            Intervention::WeightChange { kg: -5.0, start_month: 0, over_months: over },
        ]
    }

    /// ENCORE's DASH plus weight management arm: DASH, supervised aerobic exercise (150
    /// min/week stands for it) and 8.7 kg lost over the 16-week (4-month) programme.
    fn encore_arm() -> Vec<Intervention> {
        vec![
            Intervention::DashDiet { start_month: 0 },
            Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
            Intervention::WeightChange { kg: -8.7, start_month: 0, over_months: 4 },
        ]
    }

    /// At month 4, before any waning (the trials' own time points).
    #[test]
    fn sodium_reduction_does_less_on_the_dash_diet() {
        let b = baseline();
        let fall = |interventions| sbp_fall(&b, interventions, 4);
        let sodium = fall(vec![Intervention::SodiumReduction { start_month: 0 }]);
        let dash = fall(vec![Intervention::DashDiet { start_month: 0 }]);
        let both =
            fall(vec![Intervention::SodiumReduction { start_month: 0 }, Intervention::DashDiet { start_month: 0 }]);
        assert!((sodium - fx::SODIUM_REDUCTION_HYPERTENSIVE.0).abs() < 0.01, "{sodium}");
        assert!((dash - fx::DASH_HYPERTENSIVE.0).abs() < 0.01, "{dash}");
        let expected = fx::DASH_HYPERTENSIVE.0 + fx::SODIUM_REDUCTION_HYPERTENSIVE.0 * 3.0 / 6.7;
        assert!((both - expected).abs() < 0.01, "{both} vs {expected}");
    }

    /// The whole lifestyle bundle in a hypertensive person at month 4: the effects added as if
    /// independent would be 30.3 mmHg; combined as the trials of combinations found,
    /// 11.4 + 0.45 × (5.39 + 8.3 + 5.25) = 19.9.
    #[test]
    fn lifestyle_changes_combine_sub_additively() {
        let b = baseline();
        let fall = |interventions| sbp_fall(&b, interventions, 4);
        let bundle = fall(bundle(4));
        let added = 5.39 + 11.4 + 8.3 + 1.05 * 5.0;
        let expected = 11.4 + 3.0 / 6.7 * (5.39 + 8.3 + 1.05 * 5.0);
        assert!((bundle - expected).abs() < 0.01 && bundle < added - 10.0, "{bundle} vs {expected}");
        // Weight gained still adds in full, and is not regained away: nothing combines away a rise.
        let gain = sbp_fall(&b, vec![Intervention::WeightChange { kg: 4.0, start_month: 0, over_months: 12 }], 60);
        assert!((gain + 4.0 * 1.05).abs() < 0.01, "{gain}");
        // ENCORE: exercise and weight loss on DASH ×1.63 (net 12.7 against 7.8 mmHg) at 7.3 kg.
        let dash = fall(vec![Intervention::DashDiet { start_month: 0 }]);
        let dash_wm = fall(vec![
            Intervention::DashDiet { start_month: 0 },
            Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
            Intervention::WeightChange { kg: -7.3, start_month: 0, over_months: 4 },
        ]);
        assert!((dash_wm / dash - 1.63).abs() < 0.01, "{}", dash_wm / dash);
    }

    /// ENCORE (Blumenthal 2010; Hinderliter 2014, effects reference 16) against the model. Net of
    /// usual care, DASH plus weight management lowered SBP by 16.1 − 3.4 = 12.7 mmHg at 4 months
    /// and by 11.7 − 3.9 = 7.8 mmHg at 12 months. The papers give each group's 95% CI (13.0–19.2
    /// and 0.4–6.4 at 4 months; 8.1–15.3 and 0.5–7.3 at 12); the CI of the difference, from
    /// those as independent groups, is ours: 8.4–17.0 at 4 months, 2.9–12.7 at 12.
    ///
    /// ENCORE enrolled SBP 130–159 mmHg, across the 140 mmHg line where the model switches from
    /// the normotensive to the hypertensive effect sizes. At month 4 its arm falls within the CI
    /// with the normotensive sizes (12.6) and above it with the hypertensive ones (19.2), so
    /// ENCORE's 12.7 lies between the two. The issue's bundle (the same plus salt reduction,
    /// 5 kg instead of 8.7) at SBP ≥ 140 gives 19.9 at month 4, above ENCORE's CI: ENCORE has no
    /// arm at SBP ≥ 140 alone, none with salt reduction, and its DASH was free-living where the
    /// hypertensive DASH size is a feeding trial's (Appel 1997). We do not tune the sizes to it.
    #[test]
    fn lifestyle_against_encore_and_waning() {
        let hypertensive = baseline();
        let normotensive = Baseline { sbp: (136.0, 4.0), ..baseline() };
        let (low_4, high_4) = (sbp_fall(&normotensive, encore_arm(), 4), sbp_fall(&hypertensive, encore_arm(), 4));
        assert!((8.4..=17.0).contains(&low_4) && high_4 > 17.0 && low_4 < 12.7 && 12.7 < high_4, "{low_4} {high_4}");
        let issue_bundle = sbp_fall(&hypertensive, bundle(4), 4);
        assert!((issue_bundle - 19.9).abs() < 0.05, "{issue_bundle}");
        // A year on (8 months after the programme), the arm has waned, and within ENCORE's CI
        // at both pressures: the kept shares come from the behaviours (weight kept, exercise
        // kept up) and from the DASH-alone arm, so the combined arm is a check of them together.
        let (low_12, high_12) = (sbp_fall(&normotensive, encore_arm(), 12), sbp_fall(&hypertensive, encore_arm(), 12));
        for (at_12, at_4) in [(low_12, low_4), (high_12, high_4)] {
            assert!((2.9..=12.7).contains(&at_12), "{at_12}");
            // ENCORE kept 7.8/12.7 = 0.61 of its net fall.
            assert!((at_12 / at_4 - 7.8 / 12.7).abs() < 0.05, "{at_12} / {at_4}");
        }
        // The bundle wanes: smaller at 5 years than at 6 months, and each change on its own too.
        let (at_6, at_60) = (sbp_fall(&hypertensive, bundle(4), 6), sbp_fall(&hypertensive, bundle(4), 60));
        assert!(at_60 < at_6 - 5.0 && at_60 > 0.0, "{at_60} vs {at_6}");
        for one in bundle(4) {
            let (early, late) = (sbp_fall(&hypertensive, vec![one.clone()], 6), sbp_fall(&hypertensive, vec![one], 60));
            assert!(late < early && late > 0.0, "{late} vs {early}");
        }
        // Salt reduction keeps 40/50 of its effect from month 36 on (TOHP II's sodium excretion).
        let salt = |m| sbp_fall(&hypertensive, vec![Intervention::SodiumReduction { start_month: 0 }], m);
        assert!((salt(60) - 0.8 * fx::SODIUM_REDUCTION_HYPERTENSIVE.0).abs() < 0.01, "{}", salt(60));
        // Weight lost is partly regained: 2 of 4.4 kg kept 30 months after the loss was reached.
        let lost = run_mean(&hypertensive, &scenario(bundle(4)), 60);
        let weight_now = at(&run_mean(&hypertensive, &Scenario::current_treatment(), 60), 60, Output::Weight);
        let kept_kg = weight_now - at(&lost, 60, Output::Weight);
        assert!((kept_kg - 5.0 * 2.0 / 4.4).abs() < 0.01, "{kept_kg}");
    }

    /// A drug started with real-world persistence acts on the share still taking it: 71% at 6
    /// months, half from a year on (Vrijens 2008); as prescribed, all of it. BP, LDL-C and heart
    /// rate alike.
    #[test]
    fn a_new_drug_loses_people_who_stop_taking_it() {
        let b = Baseline { smoker: false, ..baseline() };
        let start = |class, persistence| {
            scenario(vec![Intervention::StartDrug {
                class,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
                persistence,
            }])
        };
        let none = run_mean(&b, &Scenario::current_treatment(), 120);
        let ccb = DrugClass::CalciumChannelBlocker;
        let prescribed = run_mean(&b, &start(ccb, Persistence::AsPrescribed), 120);
        let real = run_mean(&b, &start(ccb, Persistence::RealWorld), 120);
        let fall = |e: &Ensemble, m: usize| at(&none, m, Output::Sbp) - at(e, m, Output::Sbp);
        for (m, share) in [(6, 0.5_f64.sqrt()), (12, 0.5), (60, 0.5), (120, 0.5)] {
            let ratio = fall(&real, m) / fall(&prescribed, m);
            assert!((ratio - share).abs() < 0.01, "month {m}: {ratio}");
        }
        let statin = |p| run_mean(&b, &start(DrugClass::Statin, p), 24);
        let ldl_fall = |e: &Ensemble| 1.0 - at(e, 24, Output::Ldl) / at(&none, 24, Output::Ldl);
        assert!(
            (ldl_fall(&statin(Persistence::RealWorld)) / ldl_fall(&statin(Persistence::AsPrescribed)) - 0.5).abs()
                < 0.01
        );
        let bb = |p| run_mean(&b, &start(DrugClass::BetaBlocker, p), 24);
        let slower = |e: &Ensemble| at(&none, 24, Output::HeartRate) - at(e, 24, Output::HeartRate);
        assert!((slower(&bb(Persistence::RealWorld)) / slower(&bb(Persistence::AsPrescribed)) - 0.5).abs() < 0.01);
        // A dose raised later keeps the course's clock: at month 24 half take the double dose.
        let raised = scenario(vec![
            Intervention::StartDrug {
                class: ccb,
                dose: DoseLevel::Standard,
                start_month: 0,
                adherence: 1.0,
                persistence: Persistence::RealWorld,
            },
            Intervention::ChangeDose { class: ccb, dose: DoseLevel::Double, month: 6 },
        ]);
        let double = run_mean(&b, &start_double(ccb), 24);
        let ratio = fall(&run_mean(&b, &raised, 24), 24) / fall(&double, 24);
        assert!((ratio - 0.5).abs() < 0.01, "{ratio}");
        // A drug on record is not subject to it: stopping the ACE inhibitor undoes all of it.
        let stop =
            run_mean(&b, &scenario(vec![Intervention::StopDrug { class: DrugClass::AceInhibitor, month: 0 }]), 24);
        assert!(
            (at(&stop, 24, Output::Sbp) - at(&none, 24, Output::Sbp) - 8.5 * drugs::bp_effect_scale(158.0)).abs()
                < 0.01
        );
    }

    fn start_double(class: DrugClass) -> Scenario {
        scenario(vec![Intervention::StartDrug {
            class,
            dose: DoseLevel::Double,
            start_month: 0,
            adherence: 1.0,
            persistence: Persistence::AsPrescribed,
        }])
    }

    /// BP drifts with age by age band and sex (effects: BLSA, Framingham, Wills, Ji), and not at
    /// all with a reduced ejection fraction.
    #[test]
    fn bp_drifts_with_age_by_age_and_sex_and_not_in_hfref() {
        let drift = |age: f64, female: bool, lvef: f64| {
            let b = Baseline { age, female, lvef, ..baseline() };
            let plan = FlatPlan::new(&b, &Scenario::current_treatment(), 120);
            let row = plan.row(120);
            (row[flat::field::SBP_AGEING], row[flat::field::DBP_AGEING])
        };
        // A 45-year-old woman: SBP rising at the steep end of middle age (8 mmHg per decade),
        // DBP still rising until 55 (+2).
        let (s, d) = drift(45.0, true, 60.0);
        assert!((s - 8.0).abs() < 1e-9 && (d - 2.0).abs() < 1e-9, "{s} {d}");
        // A man of the same age rises less (5 mmHg per decade).
        assert!((drift(45.0, false, 60.0).0 - 5.0).abs() < 1e-9);
        // A 75-year-old man: SBP still rising (BLSA: accelerates in men), DBP falling, so the
        // pulse pressure widens by 11 mmHg, more than the woman's 6.
        let (s, d) = drift(75.0, false, 60.0);
        assert!((s - 8.0).abs() < 1e-9 && (d + 3.0).abs() < 1e-9, "{s} {d}");
        assert!(s - d > drift(45.0, true, 60.0).0 - drift(45.0, true, 60.0).1);
        // A 75-year-old woman's SBP has levelled off (BLSA: stabilizes in women).
        assert_eq!(drift(75.0, true, 60.0).0, 0.0);
        // Before 45, stable; a band crossed part-way is prorated: 40 to 50 is 5 years at 0.5.
        assert_eq!(drift(30.0, false, 60.0).0, 0.0);
        assert!((drift(40.0, false, 60.0).0 - 2.5).abs() < 1e-9);
        // Heart failure with reduced EF (the demo's 33%): no drift either way; 41% drifts.
        assert_eq!(drift(67.0, false, 33.0), (0.0, 0.0));
        assert_eq!(drift(67.0, false, 40.0), (0.0, 0.0));
        assert!(drift(67.0, false, 41.0).0 > 0.0);
    }

    #[test]
    fn lifestyle_quitting_and_revascularisation_move_the_expected_way() {
        let b = baseline();
        let none = run_mean(&b, &Scenario::current_treatment(), 120);
        for intervention in [
            Intervention::SodiumReduction { start_month: 0 },
            Intervention::DashDiet { start_month: 0 },
            Intervention::Exercise { minutes_per_week: 150.0, start_month: 0 },
            Intervention::WeightChange { kg: -5.0, start_month: 0, over_months: 6 },
        ] {
            let run = run_mean(&b, &scenario(vec![intervention.clone()]), 120);
            assert!(at(&run, 60, Output::Sbp) < at(&none, 60, Output::Sbp), "{intervention:?}");
        }
        let quit = run_mean(&b, &scenario(vec![Intervention::SmokingCessation { month: 0 }]), 120);
        assert!(at(&quit, 120, Output::EventRisk) < at(&none, 120, Output::EventRisk));
        let pci =
            run_mean(&b, &scenario(vec![Intervention::Procedure { kind: Revascularisation::Pci, month: 1 }]), 120);
        assert!(at(&pci, 120, Output::EventRisk) < at(&none, 120, Output::EventRisk));
    }

    #[test]
    fn ensembles_are_deterministic_bands_are_ordered_and_widen() {
        let b = baseline();
        let config = EnsembleConfig { months: 60, members: 200, seed: 7 };
        let a = run_ensemble(&b, &Scenario::current_treatment(), &config);
        let control = RunControl::default();
        let watched = run_ensemble_with(&b, &Scenario::current_treatment(), &config, &control);
        assert_eq!(watched.as_ref(), Ok(&a), "reporting progress changes nothing");
        assert_eq!(control.done(), config.members);
        let stopped = RunControl::default();
        stopped.cancel();
        assert_eq!(run_ensemble_with(&b, &Scenario::current_treatment(), &config, &stopped), Err(Cancelled));
        assert_eq!(stopped.done(), 0);
        let again = run_ensemble(&b, &Scenario::current_treatment(), &config);
        assert_eq!(a, again);
        let other = run_ensemble(&b, &Scenario::current_treatment(), &EnsembleConfig { seed: 8, ..config });
        assert_ne!(a, other);
        let bands = summarise(&a);
        let sbp = &bands[Output::Sbp.index()];
        for m in 0..=60 {
            assert!(sbp.p5[m] <= sbp.p50[m] && sbp.p50[m] <= sbp.p95[m]);
        }
        assert!(sbp.p95[60] - sbp.p5[60] > sbp.p95[0] - sbp.p5[0]);
        let risk = &bands[Output::EventRisk.index()];
        assert!(risk.p50.windows(2).all(|w| w[1] >= w[0]), "cumulative risk never falls");
    }

    #[test]
    fn quantile_interpolates() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0, 5.0];
        assert_eq!(quantile(&mut v, 0.5), 3.0);
        assert!((quantile(&mut v, 0.05) - 1.2).abs() < 1e-12);
    }
}
