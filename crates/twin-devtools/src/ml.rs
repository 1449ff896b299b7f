//! The learned model's training and evaluation (`cardiotwin train`, `cardiotwin evaluate`) on a
//! synthetic cohort. The shipped model's loading and the hybrid attached to each projection stay
//! in `twin_app::ml`.
//!
//! **Training data, exactly.** The demo generator (`twin-synth`) regenerated from seeds: each
//! seed gives the 12 demo patients' clinical sketches with fresh noise, visit dates, missed and
//! extra visits, and course (so readings are irregular and some are missing), and each patient
//! hidden traits the engine does not know (`twin_synth::variety`: responder type, unrecorded
//! adherence, refill gaps, drift, wearable history), written as FHIR and read back through the
//! same harmonisation as a real record. Each patient is cut at 12 and 24
//! months before the record ends; the tokens are the record as it stood at the cut plus the
//! treatment actually given after it, and the targets are the readings that followed. Patients
//! are held out by seed: seeds whose number is a multiple of 5 are never trained on.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use time::{Date, Duration};

use twin_app::error::{AppError, ErrorCode};
use twin_engine::record::PatientRecord;
use twin_engine::twin;
use twin_ml::eval::EvalReport;
use twin_ml::features::{self, Example};
use twin_ml::{LearnedModel, MlError, TrainOptions};
use twin_synth::variety::Variety;
use twin_synth::DEMO_AS_OF;

/// Months before the record's end at which each training patient is cut.
const CUTS_MONTHS: [i64; 2] = [12, 24];

/// Seeds of the full training run (3,600 synthetic patients; seed 1 is the shipped demo
/// cohort, never used).
const FULL_SEEDS: std::ops::RangeInclusive<u32> = 2..=301;
/// Seeds of `--quick` (72 patients).
const QUICK_SEEDS: std::ops::RangeInclusive<u32> = 2..=7;

/// Whether a seed's patients are held out.
pub fn held_out(seed: u32) -> bool {
    seed.is_multiple_of(5)
}

fn app_error(e: MlError) -> AppError {
    AppError::new(ErrorCode::Validation, e.to_string())
}

/// The examples of one patient record: one per cut with a twin and readings before it.
fn examples_of(record: &PatientRecord, end: Date) -> Vec<Example> {
    CUTS_MONTHS
        .iter()
        .filter_map(|m| {
            let cut = end - Duration::days(m * 365 / 12);
            features::example(record, cut, &twin::treatment_after(record, cut))
        })
        .collect()
}

/// Whether a patient with these traits belongs to a group.
type InGroup = fn(&Variety) -> bool;

/// One synthetic patient of the cohort: its seed, its hidden traits, its examples.
struct CohortPatient {
    seed: u32,
    variety: Variety,
    examples: Vec<Example>,
}

/// The synthetic cohort of `seeds`, generated in parallel.
fn cohort(seeds: impl IntoParallelIterator<Item = u32>) -> Vec<CohortPatient> {
    seeds
        .into_par_iter()
        .flat_map_iter(|seed| {
            twin_synth::generate_varied(u64::from(seed)).into_iter().filter_map(move |bundle| {
                let record = twin_fhir::harmonise::harmonise_bundle_text(&bundle.json).ok()?.record;
                Some(CohortPatient { seed, variety: bundle.variety, examples: examples_of(&record, DEMO_AS_OF) })
            })
        })
        .collect()
}

/// The held-out patients by hidden trait, for the model card's "for whom" figures: a name and
/// who belongs. The groups overlap (a low responder may also skip doses); together with the
/// whole cohort they say whether the model learned what the engine cannot see.
const TRAIT_GROUPS: [(&str, InGroup); 5] = [
    ("close to textbook (all doses, BP response 0.8–1.25)", |v| {
        v.taken >= 1.0 && !v.refill_gaps && (0.8..=1.25).contains(&v.bp_response)
    }),
    ("BP response below 0.8", |v| v.bp_response < 0.8),
    ("BP response above 1.25", |v| v.bp_response > 1.25),
    ("doses skipped, not on record", |v| v.taken < 1.0),
    ("refill gaps on record", |v| v.refill_gaps),
];

/// What a training run did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrainSummary {
    /// Where the weights were written.
    pub out: String,
    /// Patients trained on, and held out.
    pub train_patients: usize,
    /// Held-out patients.
    pub held_out_patients: usize,
    /// Training examples.
    pub train_examples: usize,
    /// Loss per epoch.
    pub loss_by_epoch: Vec<f64>,
    /// Held-out loss per epoch.
    pub validation_loss_by_epoch: Vec<f64>,
    /// Seconds, the cohort's generation included.
    pub seconds: f64,
    /// Seconds of the training loop alone, per epoch.
    pub seconds_per_epoch: f64,
}

/// `cardiotwin train`: builds the cohort, trains, writes the weights into `out`.
///
/// # Errors
/// A folder that cannot be written; no examples.
pub fn train(out: &Path, seed: u64, quick: bool) -> Result<TrainSummary, AppError> {
    let started = std::time::Instant::now();
    let seeds: Vec<u32> = if quick { QUICK_SEEDS.collect() } else { FULL_SEEDS.collect() };
    let patients = cohort(seeds);
    let (held, trained): (Vec<_>, Vec<_>) = patients.into_iter().partition(|p| held_out(p.seed));
    let flatten = |v: &[CohortPatient]| v.iter().flat_map(|p| p.examples.iter().cloned()).collect::<Vec<_>>();
    let (train_set, validation) = (flatten(&trained), flatten(&held));
    let options =
        if quick { TrainOptions { epochs: 4, ..TrainOptions::standard(seed) } } else { TrainOptions::standard(seed) };
    let data = format!(
        "twin-synth demo sketches with hidden per-patient variety (twin_synth::generate_varied), seeds {}–{} (held out: multiples of 5), cut at {} months before each record's end",
        seeds_label(quick).0,
        seeds_label(quick).1,
        CUTS_MONTHS.map(|m| m.to_string()).join(" and ")
    );
    let mut report = |epoch: usize, loss: f64, held: Option<f64>| {
        let held = held.map_or(String::new(), |h| format!(", held-out {h:.3}"));
        eprintln!("epoch {epoch}/{}: loss {loss:.3}{held}", options.epochs);
    };
    let model =
        twin_ml::train(&train_set, &validation, options, trained.len(), &data, &mut report).map_err(app_error)?;
    model.save(out).map_err(app_error)?;
    let meta = model.meta();
    Ok(TrainSummary {
        out: out.display().to_string(),
        train_patients: trained.len(),
        held_out_patients: held.len(),
        train_examples: train_set.len(),
        loss_by_epoch: meta.loss_by_epoch.clone(),
        validation_loss_by_epoch: meta.validation_loss_by_epoch.clone(),
        seconds: started.elapsed().as_secs_f64(),
        seconds_per_epoch: meta.train_seconds / meta.epochs.max(1) as f64,
    })
}

fn seeds_label(quick: bool) -> (u32, u32) {
    let r = if quick { QUICK_SEEDS } else { FULL_SEEDS };
    (*r.start(), *r.end())
}

/// `cardiotwin evaluate`: the model card's figures on the held-out synthetic patients, then on
/// them by hidden trait ([`TRAIT_GROUPS`]), then on any FHIR bundles in `extra` (e.g. Synthea
/// lifetimes), each a report of its own, in that order.
///
/// # Errors
/// No model in `models`, or one made for other features.
pub fn evaluate(models: &Path, quick: bool, extra: Option<&Path>) -> Result<Vec<EvalReport>, AppError> {
    let model = LearnedModel::load(models).map_err(app_error)?;
    let seeds: Vec<u32> = if quick { QUICK_SEEDS.collect() } else { FULL_SEEDS.collect() };
    let held = cohort(seeds.into_iter().filter(|s| held_out(*s)).collect::<Vec<_>>());
    let examples_where = |keep: &dyn Fn(&Variety) -> bool| -> Vec<Example> {
        held.iter().filter(|p| keep(&p.variety)).flat_map(|p| p.examples.iter().cloned()).collect()
    };
    let mut reports =
        vec![twin_ml::eval::evaluate(&model, &examples_where(&|_| true), "held-out synthetic patients (twin-synth)")
            .map_err(app_error)?];
    for (name, keep) in TRAIT_GROUPS {
        let label = format!("held-out synthetic patients, {name}");
        reports.push(twin_ml::eval::evaluate(&model, &examples_where(&keep), &label).map_err(app_error)?);
    }
    if let Some(dir) = extra {
        let mut examples = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| AppError::io(dir, &e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Ok(h) = twin_fhir::harmonise::harmonise_bundle_text(&text) else { continue };
            let end = h.record.measurements.values().flat_map(|s| s.iter().map(|x| x.date)).max();
            if let Some(end) = end {
                examples.extend(examples_of(&h.record, end));
            }
        }
        reports.push(
            twin_ml::eval::evaluate(&model, &examples, &format!("FHIR bundles in {}", dir.display()))
                .map_err(app_error)?,
        );
    }
    Ok(reports)
}
