//! Transport types: what crosses into the UI and out of `cardiotwin --format json`.
//!
//! camelCase, dates as `YYYY-MM-DD` strings, values in canonical units with the unit named.
//! The TypeScript declarations in `ui/src/api/generated.ts` are generated from these types by
//! [`crate::typescript::typescript_declarations`]; a test fails when that file is stale.

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;
use ts_rs::TS;

use twin_engine::record::{MeasurementKind, PatientRecord, Sample};
use twin_fhir::Harmonised;

use crate::error::{AppError, ErrorCode};
/// Re-exported: `twin_app::json::iso_date` is public.
pub use crate::words::iso_date;
use crate::words::sex_label;

/// One row of the patient list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientListItem {
    /// Patient id in its source.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `female`, `male` or `unknown`.
    pub sex: String,
    /// Age in years today, where the birth date is known.
    pub age: Option<i32>,
    /// Active mapped conditions, as labels.
    pub conditions: Vec<String>,
    /// Whether the source marks the patient as synthetic.
    pub synthetic: bool,
    /// Date of the most recent measurement.
    pub last_seen: Option<String>,
    /// Where the record comes from.
    pub origin: PatientOrigin,
    /// Days since it was fetched or imported, for cached patients.
    pub cached_days_ago: Option<f64>,
}

/// Where a listed patient's record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum PatientOrigin {
    /// The bundled synthetic demo cohort.
    Demo,
    /// The encrypted offline cache (fetched from an EHR or imported).
    Cache,
    /// A bundle file opened directly.
    File,
}

/// The patient list, and the files that could not be read (so one bad file hides nothing).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientList {
    /// Readable patients, in file order.
    pub patients: Vec<PatientListItem>,
    /// One error per unreadable file.
    pub unreadable: Vec<AppError>,
    /// Why the offline cache is not listed, when it could not be opened.
    pub cache_problem: Option<AppError>,
}

/// The latest value of one measurement.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LatestValue {
    /// Machine key, e.g. `sbp`.
    pub key: String,
    /// Label for people.
    pub label: String,
    /// Value in `unit`.
    pub value: f64,
    /// Unit symbol.
    pub unit: String,
    /// When measured.
    pub date: String,
    /// Source resource.
    pub source: String,
    /// How many values of this kind the record holds.
    pub count: usize,
}

impl LatestValue {
    /// The latest value of `kind` in `record`, where it holds one.
    pub fn of(record: &PatientRecord, kind: MeasurementKind) -> Option<Self> {
        let s = record.latest(kind)?;
        Some(Self {
            key: kind.key().into(),
            label: kind.label().into(),
            value: s.value,
            unit: kind.canonical_unit().symbol().into(),
            date: iso_date(s.date),
            source: s.source.resource.clone(),
            count: record.series(kind).len(),
        })
    }
}

/// A dated coded finding as shown: a heart rhythm, a NYHA class.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    /// Machine key, e.g. `atrial_fibrillation` or `nyha_ii`.
    pub key: String,
    /// Label for people, e.g. "Atrial fibrillation" or "NYHA II".
    pub label: String,
    /// When it was recorded.
    pub date: String,
    /// Source resource.
    pub source: String,
}

impl FindingView {
    /// The latest heart rhythm on record.
    pub fn rhythm(record: &PatientRecord) -> Option<Self> {
        let (date, rhythm, source) = record.latest_rhythm()?;
        Some(Self {
            key: rhythm.key().into(),
            label: rhythm.label().into(),
            date: iso_date(*date),
            source: source.resource.clone(),
        })
    }

    /// The latest NYHA class on record.
    pub fn functional_class(record: &PatientRecord) -> Option<Self> {
        let (date, class, source) = record.functional_class.iter().max_by_key(|(d, _, _)| *d)?;
        Some(Self {
            key: class.label().to_ascii_lowercase().replace(' ', "_"),
            label: class.label().into(),
            date: iso_date(*date),
            source: source.resource.clone(),
        })
    }
}

/// A medication as shown.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MedicationView {
    /// Source display text.
    pub display: String,
    /// Ingredient, where mapped.
    pub agent: Option<String>,
    /// Class label, where mapped.
    pub class: Option<String>,
    /// Daily dose in mg, where known.
    pub daily_dose_mg: Option<f64>,
    /// `half`, `standard` or `double`, where known.
    pub dose_level: Option<String>,
    /// Start date.
    pub start: Option<String>,
    /// End date; `null` while ongoing.
    pub end: Option<String>,
    /// Proportion of days covered by dispensing, where known.
    pub adherence: Option<f64>,
    /// Source resource.
    pub source: String,
}

/// A condition or procedure as shown.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CodedItem {
    /// Mapped label, or the source display when unmapped.
    pub label: String,
    /// `system|code`.
    pub code: String,
    /// Whether we map this code.
    pub mapped: bool,
    /// Onset or date performed.
    pub date: Option<String>,
    /// Source resource.
    pub source: String,
}

/// A resource that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProblemView {
    /// `Type/id`.
    pub resource: String,
    /// Why.
    pub reason: String,
}

/// The harmonised record as `cardiotwin patient` and the overview screen show it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummary {
    /// Patient id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `female`, `male` or `unknown`.
    pub sex: String,
    /// Birth date.
    pub birth_date: Option<String>,
    /// Age on the consultation day.
    pub age: Option<i32>,
    /// The consultation day (ISO date) the summary is computed for: ages, active medications and
    /// staleness are as of it, and the screens date what they print by it.
    pub as_of: String,
    /// Whether the source marks the patient as synthetic.
    pub synthetic: bool,
    /// Smoking status, where recorded.
    pub smoking: Option<String>,
    /// Latest value of each measurement the record holds.
    pub latest: Vec<LatestValue>,
    /// The latest heart rhythm on an ECG, where recorded.
    pub rhythm: Option<FindingView>,
    /// The latest NYHA functional class, where recorded.
    pub functional_class: Option<FindingView>,
    /// Medications active today.
    pub active_medications: Vec<MedicationView>,
    /// Medications no longer taken.
    pub past_medications: Vec<MedicationView>,
    /// Active conditions.
    pub conditions: Vec<CodedItem>,
    /// Procedures.
    pub procedures: Vec<CodedItem>,
    /// Resources that could not be used.
    pub problems: Vec<ProblemView>,
    /// Resources received, per type.
    #[ts(type = "Record<string, number>")]
    pub resource_counts: BTreeMap<String, usize>,
    /// Codes we do not map, with counts.
    #[ts(type = "Record<string, number>")]
    pub unmapped: BTreeMap<String, usize>,
    /// How old the twin's inputs are on the consultation day, which are older than their limit
    /// and what to re-measure; `null` where the summary is shown without the session's limits.
    pub freshness: Option<crate::freshness::FreshnessView>,
    /// Facts read from clinical notes' text, each with its sentence (twin-notes).
    pub note_facts: Vec<NoteFactView>,
}

/// What became of a fact read from a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NoteFactUse {
    /// Added to the record: no structured value of its kind existed.
    Recorded,
    /// Structured data of its kind exists and wins.
    StructuredWins,
    /// Negated, past, hypothetical or about someone else: shown only.
    NotAffirmed,
    /// Affirmed, shown only (the record has no place for it, or the note no date).
    ShownOnly,
}

/// One fact from a note, as the twin panel lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NoteFactView {
    /// The note's resource, `DocumentReference/<id>` or `DiagnosticReport/<id>`.
    pub document: String,
    /// The note's title ("Cardiology clinic letter", "Echocardiogram"), or "Note".
    pub title: String,
    /// The note's date (ISO), when it has one.
    pub date: Option<String>,
    /// The page of the PDF attachment the sentence is on, when the text came from a PDF;
    /// `null` for plain text.
    pub pdf_page: Option<u32>,
    /// The fact type: `lvef`, `nyha`, `valve`, `lvh`, `smoking`, `homebp`, `symptom`, `intolerance`.
    pub kind: String,
    /// The fact in plain words with its context ("no chest pain").
    pub text: String,
    /// The sentence, split around the fact's words so the screen can mark them without
    /// converting byte offsets: `before` + `words` + `after` is the sentence.
    pub before: String,
    /// The words that state the fact.
    pub words: String,
    /// The rest of the sentence.
    pub after: String,
    /// Stated as absent.
    pub negated: bool,
    /// Stated as past.
    pub historical: bool,
    /// Stated as possible or conditional.
    pub hypothetical: bool,
    /// About someone other than the patient.
    pub other_person: bool,
    /// The rule's confidence, 0–1 (a prior per rule, not a calibrated probability).
    pub confidence: f64,
    /// Whether it reached the record.
    pub used: NoteFactUse,
}

impl NoteFactView {
    fn of(fact: &twin_fhir::notes::NoteFact) -> Self {
        use twin_fhir::notes::{Experiencer, NoteUse};
        let span = fact.span_in_sentence.clone();
        let sentence = &fact.sentence;
        let context = fact.found.context;
        Self {
            document: fact.document.clone(),
            title: fact.title.clone(),
            date: fact.date.map(iso_date),
            pdf_page: match fact.from {
                twin_fhir::notes::TextSource::Pdf { page } => Some(page),
                twin_fhir::notes::TextSource::Text => None,
            },
            kind: fact.found.fact.kind().to_string(),
            text: fact.description(),
            before: sentence.get(..span.start).unwrap_or("").to_string(),
            words: sentence.get(span.clone()).unwrap_or("").to_string(),
            after: sentence.get(span.end..).unwrap_or("").to_string(),
            negated: context.negated,
            historical: context.historical,
            hypothetical: context.hypothetical,
            other_person: context.experiencer == Experiencer::Other,
            confidence: (f64::from(fact.found.confidence) * 100.0).round() / 100.0,
            used: match fact.used {
                NoteUse::Recorded => NoteFactUse::Recorded,
                NoteUse::StructuredWins => NoteFactUse::StructuredWins,
                NoteUse::NotAffirmed => NoteFactUse::NotAffirmed,
                NoteUse::ShownOnly => NoteFactUse::ShownOnly,
            },
        }
    }
}

/// One point of a time series.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SeriesPoint {
    /// Date.
    pub date: String,
    /// Value.
    pub value: f64,
    /// Source resource.
    pub source: String,
}

/// One measurement's history.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Series {
    /// Machine key.
    pub key: String,
    /// Label.
    pub label: String,
    /// Unit symbol.
    pub unit: String,
    /// Points in date order.
    pub points: Vec<SeriesPoint>,
}

fn coded(label: String, code: &str, mapped: bool, date: Option<Date>, source: &str) -> CodedItem {
    CodedItem { label, code: code.to_string(), mapped, date: date.map(iso_date), source: source.to_string() }
}

/// Every condition on record, active or resolved, for the timeline.
pub fn all_conditions(r: &PatientRecord) -> Vec<CodedItem> {
    r.conditions
        .iter()
        .map(|c| {
            let label = c.kind.map_or_else(|| c.display.clone(), |k| k.label().to_string());
            coded(label, &c.code, c.kind.is_some(), c.onset, &c.source.resource)
        })
        .collect()
}

fn medication_view(m: &twin_engine::record::Medication) -> MedicationView {
    MedicationView {
        display: m.display.clone(),
        agent: m.agent.clone(),
        class: m.class.map(|c| c.label().to_string()),
        daily_dose_mg: m.daily_dose_mg,
        dose_level: m.dose_level.map(|d| d.label().to_string()),
        start: m.start.map(iso_date),
        end: m.end.map(iso_date),
        adherence: m.adherence,
        source: m.source.resource.clone(),
    }
}

impl PatientListItem {
    /// The list row for a record, ages computed on `today`.
    pub fn from_record(record: &PatientRecord, today: Date) -> Self {
        let mut conditions: Vec<String> = record
            .conditions
            .iter()
            .filter(|c| c.active)
            .filter_map(|c| c.kind.map(|k| k.label().to_string()))
            .collect();
        conditions.dedup();
        Self {
            id: record.id.clone(),
            name: record.demographics.name.clone(),
            sex: sex_label(record.demographics.sex),
            age: record.demographics.age_on(today),
            conditions,
            synthetic: record.synthetic,
            last_seen: record.measurements.values().filter_map(|s| s.last()).map(|s| s.date).max().map(iso_date),
            origin: PatientOrigin::File,
            cached_days_ago: None,
        }
    }
}

impl PatientSummary {
    /// The summary of a harmonised record, ages and active medications as of `today`.
    pub fn from_harmonised(h: &Harmonised, today: Date) -> Self {
        let r = &h.record;
        let latest = MeasurementKind::ALL.iter().filter_map(|&kind| LatestValue::of(r, kind)).collect();
        let (active, past): (Vec<_>, Vec<_>) = r.medications.iter().partition(|m| m.active_on(today));
        Self {
            id: r.id.clone(),
            name: r.demographics.name.clone(),
            sex: sex_label(r.demographics.sex),
            birth_date: r.demographics.birth_date.map(iso_date),
            age: r.demographics.age_on(today),
            as_of: iso_date(today),
            synthetic: r.synthetic,
            smoking: r.smoking_status().map(|s| format!("{s:?}").to_lowercase()),
            latest,
            rhythm: FindingView::rhythm(r),
            functional_class: FindingView::functional_class(r),
            active_medications: active.into_iter().map(medication_view).collect(),
            past_medications: past.into_iter().map(medication_view).collect(),
            conditions: r
                .conditions
                .iter()
                .filter(|c| c.active)
                .map(|c| {
                    let label = c.kind.map_or_else(|| c.display.clone(), |k| k.label().to_string());
                    coded(label, &c.code, c.kind.is_some(), c.onset, &c.source.resource)
                })
                .collect(),
            procedures: r
                .procedures
                .iter()
                .map(|p| coded(p.display.clone(), &p.code, p.kind.is_some(), p.date, &p.source.resource))
                .collect(),
            problems: h
                .problems
                .iter()
                .map(|p| ProblemView { resource: p.resource.clone(), reason: p.reason.clone() })
                .collect(),
            resource_counts: h.resource_counts.clone(),
            unmapped: h.unmapped.clone(),
            freshness: None,
            note_facts: h.note_facts.iter().map(NoteFactView::of).collect(),
        }
    }
}

impl Series {
    /// The series of `kind` from a record.
    pub fn from_samples(kind: MeasurementKind, samples: &[Sample]) -> Self {
        Self {
            key: kind.key().into(),
            label: kind.label().into(),
            unit: kind.canonical_unit().symbol().into(),
            points: samples
                .iter()
                .map(|s| SeriesPoint { date: iso_date(s.date), value: s.value, source: s.source.resource.clone() })
                .collect(),
        }
    }
}

/// Parses a measurement key as used in the transport types.
///
/// # Errors
/// [`ErrorCode::Validation`] for an unknown key.
pub fn measurement_from_key(key: &str) -> Result<MeasurementKind, AppError> {
    MeasurementKind::ALL
        .into_iter()
        .find(|k| k.key() == key)
        .ok_or_else(|| AppError::new(ErrorCode::Validation, format!("unknown measurement '{key}'")))
}

/// A difference in event risk said three ways (the engine's
/// [`twin_engine::risk::contrast::RiskContrast`]): absolute, relative, and the number needed to
/// treat or to harm over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskContrastView {
    /// Difference, percentage points (negative: lower).
    pub points: f64,
    /// Difference relative to the reference, % (−25: a quarter lower); absent for a reference of 0.
    pub relative_percent: Option<f64>,
    /// People treated over the horizon for one event fewer (`toTreat`) or one more; absent when
    /// the difference is negligible.
    pub number_needed: Option<u32>,
    /// Whether `numberNeeded` counts people to treat (a fall) rather than to harm (a rise).
    pub to_treat: bool,
}

impl RiskContrastView {
    /// `difference` (a fraction) against a `reference` risk (a fraction).
    pub fn new(reference: f64, difference: f64) -> Self {
        use twin_engine::risk::contrast::{contrast, NumberNeeded};
        let c = contrast(reference, difference);
        let (number_needed, to_treat) = match c.number_needed {
            Some(NumberNeeded::ToTreat(n)) => (Some(n), true),
            Some(NumberNeeded::ToHarm(n)) => (Some(n), false),
            None => (None, difference <= 0.0),
        };
        Self { points: c.points, relative_percent: c.relative.map(|r| r * 100.0), number_needed, to_treat }
    }
}

/// What the projected event risk is a probability of, and when the screens read it: a major CV
/// event at 10 years, or, in heart failure, death from any cause (with a first HF hospitalisation
/// beside it) at 1 and 3 years (the engine's [`twin_engine::twin::EventOutcome`]).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutcomeView {
    /// `cardiovascular_events` or `heart_failure`.
    pub kind: OutcomeKind,
    /// The outcome for a label: "Major CV event" or "Death from any cause".
    pub label: String,
    /// The horizon the screens read the risk at, years.
    pub horizon_years: u32,
    /// Whether a first HF hospitalisation is projected too (`hf_hospitalisation`).
    pub hospitalisation: bool,
}

/// Which outcome the event risk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// A major cardiovascular event.
    CardiovascularEvents,
    /// Death from any cause in heart failure.
    HeartFailure,
}

impl OutcomeView {
    /// The view of an event model's outcome.
    pub fn of(model: &twin_engine::twin::EventModel) -> Self {
        use twin_engine::twin::EventOutcome as O;
        let (kind, label) = match model.outcome {
            O::CardiovascularEvents => (OutcomeKind::CardiovascularEvents, "Major CV event"),
            O::HeartFailure => (OutcomeKind::HeartFailure, "Death from any cause"),
        };
        Self {
            kind,
            label: label.to_string(),
            horizon_years: model.outcome.horizon_years(),
            hospitalisation: model.outcome == O::HeartFailure,
        }
    }
}
