//! The synthetic demo cohort: fictional patients written as FHIR R4 transaction bundles.
//!
//! [`cohort::profiles`] says who the patients are; [`history::HistoryWriter`] turns each into
//! years of visits whose values move with the drugs prescribed, by the effect sizes cited in
//! `twin_engine::drugs`, plus measurement noise. Output is a pure function of the seed: the
//! same seed gives the same bytes, so the committed bundles can be checked against a fresh run.
//! [`generate_varied`] gives the learned model's training cohort: the same sketches with hidden
//! per-patient traits ([`variety`]) the engine does not know.
#![deny(missing_docs)]

pub mod cohort;
pub mod fhir_json;
pub mod history;
mod sampling;
pub mod variety;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use time::macros::date;
use time::Date;

use variety::Variety;

/// The day each demo record ends. Fixed, not "today", so regeneration is reproducible.
pub const DEMO_AS_OF: Date = date!(2026 - 06 - 30);

/// One generated bundle.
#[derive(Debug, Clone)]
pub struct DemoBundle {
    /// File name, e.g. `01-uncontrolled-hypertension.json`.
    pub file_name: String,
    /// The bundle as pretty-printed JSON with a trailing newline.
    pub json: String,
    /// The patient's hidden traits: [`Variety::TEXTBOOK`] in the demo cohort. Not in the bundle:
    /// kept beside it so an evaluation can say for whom a model helps.
    pub variety: Variety,
}

/// Generates every demo patient from `seed`: textbook patients, whose drugs act exactly as the
/// engine expects.
pub fn generate(seed: u64) -> Vec<DemoBundle> {
    write_cohort(seed, |_| Variety::TEXTBOOK)
}

/// Generates the 12 sketches from `seed`, each patient with hidden traits drawn from a stream of
/// its own (responder type, unrecorded adherence, refill gaps, drift, wearable history): the
/// learned model's training and held-out cohort.
pub fn generate_varied(seed: u64) -> Vec<DemoBundle> {
    write_cohort(seed, |stream| Variety::draw(&mut ChaCha8Rng::seed_from_u64(stream ^ VARIETY_STREAM)))
}

/// Mixed into a patient's stream to seed its variety, so the variety never shares draws with
/// the history.
const VARIETY_STREAM: u64 = 0xD1B5_4A32_D192_ED03;

fn write_cohort(seed: u64, variety: impl Fn(u64) -> Variety) -> Vec<DemoBundle> {
    cohort::profiles()
        .iter()
        .enumerate()
        .map(|(idx, profile)| {
            let stream = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(idx as u64 + 1);
            let rng = ChaCha8Rng::seed_from_u64(stream);
            let variety = variety(stream);
            let bundle = history::HistoryWriter::new(profile, rng, DEMO_AS_OF).with_variety(variety).write();
            let mut json =
                serde_json::to_string_pretty(&bundle).unwrap_or_else(|_| unreachable!("a Value always serialises"));
            json.push('\n');
            DemoBundle { file_name: format!("{}.json", profile.slug), json, variety }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let a = generate(7);
        let b = generate(7);
        let c = generate(8);
        assert_eq!(a.len(), 12);
        for ((x, y), z) in a.iter().zip(&b).zip(&c) {
            assert_eq!(x.json, y.json, "{}", x.file_name);
            assert_ne!(x.json, z.json, "{}", x.file_name);
        }
    }

    #[test]
    fn the_varied_cohort_is_reproducible_and_differs_from_the_textbook() {
        let textbook = generate(7);
        let a = generate_varied(7);
        let b = generate_varied(7);
        assert_eq!(a.len(), 12);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.json, y.json, "{}", x.file_name);
        }
        let differ = a.iter().zip(&textbook).filter(|(x, t)| x.json != t.json).count();
        assert!(differ >= 10, "only {differ} of 12 varied patients differ from the textbook");
    }
}
