//! A patient at a cut date as the model reads it: a sequence of tokens (observations,
//! treatment changes, planned treatment after the cut, and who the patient is), and the
//! readings that followed, as the targets.
//!
//! A token is a fixed-width vector: a one-hot of its type, the value (normalised by
//! [`NORMS`]), the time relative to the cut in years, the time since the previous token
//! (log-scaled), the adherence of a drug start, and whether it is planned (after the cut).

use time::Date;
use twin_engine::drugs::DrugClass;
use twin_engine::progression::scenario::{Intervention, Scenario};
use twin_engine::progression::{run_mean, Baseline, Output};
use twin_engine::record::{MeasurementKind as K, PatientRecord, Sex};
use twin_engine::twin::{self, current_drug, Context};

/// The observations the model reads, with the centre and scale used to normalise each: round
/// figures of an adult outpatient cohort, chosen so normalised values sit near −2…2 (not
/// estimated; they only condition the optimisation).
pub const NORMS: [(K, f64, f64); 10] = [
    (K::Sbp, 140.0, 20.0),
    (K::Dbp, 85.0, 12.0),
    (K::HeartRate, 72.0, 12.0),
    (K::LdlCholesterol, 3.0, 1.0),
    (K::HdlCholesterol, 1.3, 0.4),
    (K::Weight, 85.0, 18.0),
    (K::Egfr, 75.0, 20.0),
    (K::WearableRestingHeartRate, 65.0, 10.0),
    (K::Steps, 6000.0, 3000.0),
    (K::SleepDuration, 7.0, 1.2),
];

/// The drug classes whose starts and stops are tokens.
pub const CLASSES: [DrugClass; 10] = [
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
];

/// What the model forecasts, in the order of its outputs.
pub const TARGETS: [(K, Output); 4] =
    [(K::Sbp, Output::Sbp), (K::Dbp, Output::Dbp), (K::LdlCholesterol, Output::Ldl), (K::HeartRate, Output::HeartRate)];

/// Forecast horizons, months.
pub const HORIZONS: [u32; 4] = [1, 3, 6, 12];

/// The window of months after the cut whose reading nearest the horizon stands for it.
const WINDOWS: [(f64, f64); 4] = [(0.25, 2.0), (2.0, 4.5), (4.5, 9.0), (9.0, 15.0)];

/// Outputs per forecast: targets × horizons.
pub const N_FORECASTS: usize = TARGETS.len() * HORIZONS.len();

const DEMOGRAPHIC_TYPES: usize = 2;
/// Token types: observations, a start and a stop per class, age and sex.
pub const N_TYPES: usize = NORMS.len() + 2 * CLASSES.len() + DEMOGRAPHIC_TYPES;
/// Numbers per token.
pub const TOKEN_WIDTH: usize = N_TYPES + 5;
/// Tokens per sequence (observations beyond it: the oldest are dropped).
pub const MAX_TOKENS: usize = 64;
/// Observation tokens kept at most (the rest of [`MAX_TOKENS`] is for treatment and planned
/// changes).
const MAX_OBSERVATIONS: usize = 44;
/// The daily wearable streams, read as weekly means: a month of daily data would otherwise fill
/// the sequence and push the clinic readings out.
const WEARABLE: [K; 3] = [K::WearableRestingHeartRate, K::Steps, K::SleepDuration];
/// Weekly wearable tokens kept at most, the most recent (of [`MAX_OBSERVATIONS`]).
const MAX_WEARABLE_TOKENS: usize = 12;

/// One patient at one cut: the tokens, and what followed.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// `len × TOKEN_WIDTH`, oldest first.
    pub tokens: Vec<f32>,
    /// Tokens held (≤ [`MAX_TOKENS`]).
    pub len: usize,
    /// The engine's mean projection under the planned treatment, per forecast (target-major).
    pub engine: [f64; N_FORECASTS],
    /// The last reading before the cut of each target (last value carried forward).
    pub last: [f64; TARGETS.len()],
    /// The reading that followed, per forecast, where there was one.
    pub observed: [Option<f64>; N_FORECASTS],
    /// Sex, where recorded.
    pub sex: Option<Sex>,
    /// Age at the cut, years.
    pub age: f64,
}

impl Example {
    /// The residual the model learns, normalised: (reading − engine) ÷ the target's scale.
    pub fn residual(&self, i: usize) -> Option<f64> {
        self.observed[i].map(|v| (v - self.engine[i]) / scale(i))
    }
}

/// The normalising scale of forecast `i`'s target.
pub fn scale(i: usize) -> f64 {
    let kind = TARGETS[i / HORIZONS.len()].0;
    NORMS.iter().find(|(k, _, _)| *k == kind).map_or(1.0, |n| n.2)
}

fn years_between(a: Date, b: Date) -> f64 {
    (b - a).whole_days() as f64 / 365.25
}

struct Token {
    at: f64,
    kind: usize,
    value: f64,
    adherence: f64,
    planned: bool,
}

/// Builds the example of `record` (the whole record, later readings included, for the targets)
/// cut at `cut`, with `planned` the treatment given after it. `None` when the twin cannot be
/// built from the record as it stood (no BP, heart rate or lipids) or a target has no reading
/// before the cut.
pub fn example(record: &PatientRecord, cut: Date, planned: &Scenario) -> Option<Example> {
    let twin = twin::build(&twin::record_as_of(record, cut), cut, Context::default(), 2).ok()?;
    example_with(record, cut, planned, &twin.baseline)
}

/// [`example`] with the twin of the record as it stood at `cut` already built (a projection's
/// own twin, so the forecast beside it does not calibrate the heart again).
pub fn example_with(record: &PatientRecord, cut: Date, planned: &Scenario, baseline: &Baseline) -> Option<Example> {
    let then = twin::record_as_of(record, cut);
    let mut engine = [0.0; N_FORECASTS];
    let mean = run_mean(baseline, planned, 15);
    let mut observed = [None; N_FORECASTS];
    let mut last = [0.0; TARGETS.len()];
    for (t, (kind, output)) in TARGETS.iter().enumerate() {
        last[t] = then.series(*kind).last()?.value;
        for (h, (&horizon, (lo, hi))) in HORIZONS.iter().zip(WINDOWS).enumerate() {
            let i = t * HORIZONS.len() + h;
            let months_after = |d: Date| years_between(cut, d) * 12.0;
            let nearest =
                record.series(*kind).iter().filter(|s| (lo..=hi).contains(&months_after(s.date))).min_by(|a, b| {
                    let gap = |d: Date| (months_after(d) - f64::from(horizon)).abs();
                    gap(a.date).total_cmp(&gap(b.date))
                });
            let month = nearest.map_or(f64::from(horizon), |s| months_after(s.date)).round().clamp(0.0, 15.0) as usize;
            engine[i] = mean.get(0, month, *output);
            observed[i] = nearest.map(|s| s.value);
        }
    }
    Some(Example {
        tokens: Vec::new(),
        len: 0,
        engine,
        last,
        observed,
        sex: record.demographics.sex,
        age: f64::from(record.demographics.age_on(cut).unwrap_or(60)),
    })
    .map(|mut e| {
        let (tokens, len) = encode(&then, cut, planned, e.sex, e.age);
        e.tokens = tokens;
        e.len = len;
        e
    })
}

/// The observation tokens before `cut`, oldest first: each clinic reading, and each week of a
/// wearable stream as its mean (weeks counted back from the cut), the most recent
/// [`MAX_WEARABLE_TOKENS`] of those and the most recent clinic readings up to
/// [`MAX_OBSERVATIONS`] in all.
fn observation_tokens(then: &PatientRecord, cut: Date) -> Vec<Token> {
    let token = |kind: usize, at: f64, value: f64| Token { at, kind, value, adherence: 0.0, planned: false };
    let (mut clinic, mut wearable) = (Vec::new(), Vec::new());
    for (kind, (k, centre, scale)) in NORMS.iter().enumerate() {
        let samples = then.series(*k).iter().filter(|s| s.date <= cut);
        if WEARABLE.contains(k) {
            // week back from the cut → (sum of values, sum of times, days)
            let mut weeks: std::collections::BTreeMap<i64, (f64, f64, f64)> = std::collections::BTreeMap::new();
            for s in samples {
                let week = weeks.entry((cut - s.date).whole_days() / 7).or_default();
                *week = (week.0 + s.value, week.1 + years_between(cut, s.date), week.2 + 1.0);
            }
            wearable.extend(weeks.values().map(|(v, at, n)| token(kind, at / n, (v / n - centre) / scale)));
        } else {
            clinic.extend(samples.map(|s| token(kind, years_between(cut, s.date), (s.value - centre) / scale)));
        }
    }
    let most_recent = |mut v: Vec<Token>, n: usize| {
        v.sort_by(|a, b| a.at.total_cmp(&b.at));
        let drop = v.len().saturating_sub(n);
        v.into_iter().skip(drop).collect::<Vec<_>>()
    };
    let wearable = most_recent(wearable, MAX_WEARABLE_TOKENS);
    let mut tokens = most_recent(clinic, MAX_OBSERVATIONS - wearable.len());
    tokens.extend(wearable);
    tokens.sort_by(|a, b| a.at.total_cmp(&b.at));
    tokens
}

/// The tokens of a record as it stood at `cut`, with `planned` after it.
pub fn encode(then: &PatientRecord, cut: Date, planned: &Scenario, sex: Option<Sex>, age: f64) -> (Vec<f32>, usize) {
    let mut tokens = observation_tokens(then, cut);
    let class_type = |c: DrugClass, stop: bool| {
        CLASSES.iter().position(|x| *x == c).map(|p| NORMS.len() + 2 * p + usize::from(stop))
    };
    for m in &then.medications {
        let Some(drug) = current_drug(m) else { continue };
        let Some(kind) = class_type(drug.class, false) else { continue };
        let at = m.start.map_or(-5.0, |s| years_between(cut, s).max(-5.0));
        let dose = f64::from(u8::from(drug.dose != twin_engine::drugs::DoseLevel::Half));
        tokens.push(Token { at, kind, value: dose, adherence: drug.adherence, planned: false });
        if let Some(end) = m.end.filter(|e| *e <= cut) {
            if let Some(kind) = class_type(drug.class, true) {
                tokens.push(Token { at: years_between(cut, end), kind, value: 0.0, adherence: 0.0, planned: false });
            }
        }
    }
    for i in &planned.interventions {
        let (class, stop, month, adherence) = match i {
            Intervention::StartDrug { class, start_month, adherence, .. } => (*class, false, *start_month, *adherence),
            Intervention::StopDrug { class, month } => (*class, true, *month, 0.0),
            Intervention::ChangeDose { class, month, .. } => (*class, false, *month, 1.0),
            _ => continue,
        };
        if let Some(kind) = class_type(class, stop) {
            tokens.push(Token { at: f64::from(month) / 12.0, kind, value: 1.0, adherence, planned: true });
        }
    }
    tokens.sort_by(|a, b| a.at.total_cmp(&b.at));
    let demographic = NORMS.len() + 2 * CLASSES.len();
    let sex_value = match sex {
        Some(Sex::Female) => -1.0,
        Some(Sex::Male) => 1.0,
        None => 0.0,
    };
    tokens.push(Token { at: 0.0, kind: demographic, value: (age - 60.0) / 12.0, adherence: 0.0, planned: false });
    tokens.push(Token { at: 0.0, kind: demographic + 1, value: sex_value, adherence: 0.0, planned: false });
    let keep = tokens.len().saturating_sub(MAX_TOKENS);
    let tokens = &tokens[keep..];
    let mut out = Vec::with_capacity(tokens.len() * TOKEN_WIDTH);
    let mut previous = tokens.first().map_or(0.0, |t| t.at);
    for t in tokens {
        let mut row = [0.0_f32; TOKEN_WIDTH];
        row[t.kind] = 1.0;
        row[N_TYPES] = t.value as f32;
        row[N_TYPES + 1] = t.at as f32;
        row[N_TYPES + 2] = ((t.at - previous).abs() * 365.25).ln_1p() as f32 / 5.0;
        row[N_TYPES + 3] = t.adherence as f32;
        row[N_TYPES + 4] = f32::from(u8::from(t.planned));
        previous = t.at;
        out.extend_from_slice(&row);
    }
    (out, tokens.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use time::Duration;
    use twin_engine::record::{Demographics, Sample, Source};

    fn sample(date: Date, value: f64) -> Sample {
        Sample { date, value, source: Source { resource: "Observation/x".into() } }
    }

    #[test]
    fn daily_wearable_data_is_read_weekly_and_leaves_room_for_the_clinic() {
        let cut = date!(2026 - 06 - 30);
        let demographics = Demographics { name: String::new(), birth_date: None, sex: None };
        let mut record = PatientRecord::new("p", demographics);
        let at = |days: i64| cut - Duration::days(days);
        for visit in 0..40 {
            record.push_sample(K::Sbp, sample(at(visit * 45), 150.0));
        }
        for day in 0..90 {
            for kind in WEARABLE {
                record.push_sample(kind, sample(at(day), 60.0));
            }
        }
        let tokens = observation_tokens(&record, cut);
        let count = |k: K| {
            let kind = NORMS.iter().position(|n| n.0 == k).unwrap_or(usize::MAX);
            tokens.iter().filter(|t| t.kind == kind).count()
        };
        assert_eq!(tokens.len(), MAX_OBSERVATIONS);
        assert_eq!(count(K::Sbp), MAX_OBSERVATIONS - MAX_WEARABLE_TOKENS, "clinic readings keep most of the room");
        assert_eq!(WEARABLE.iter().map(|k| count(*k)).sum::<usize>(), MAX_WEARABLE_TOKENS);
        assert_eq!(count(K::SleepDuration), 4, "the last four weeks of each stream");
        let sleep_kind = NORMS.iter().position(|n| n.0 == K::SleepDuration).unwrap_or(usize::MAX);
        let newest = tokens.iter().rfind(|t| t.kind == sleep_kind).map(|t| t.at);
        assert!(newest.is_some_and(|a| (-7.0 / 365.25..=0.0).contains(&a)), "{newest:?}");
        assert!(tokens.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
    }
}
