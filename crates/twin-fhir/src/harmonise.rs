//! FHIR R4 resources → the engine's [`PatientRecord`].
//!
//! Each resource is parsed on its own through fhir-sdk's `Resource` enum, so one malformed
//! resource costs that resource, not the bundle: it is reported in [`Harmonised::problems`]
//! with its id and the reason. Codes we do not map are kept and counted in
//! [`Harmonised::unmapped`]; values with unknown or missing units are problems, never guesses.

use std::collections::{BTreeMap, HashMap};

use fhir_sdk::r4b::codes::ObservationStatus;
use fhir_sdk::r4b::resources::{
    AllergyIntolerance, Condition, ConditionOnset, MedicationDispense, MedicationRequest, MedicationRequestMedication,
    MedicationStatement, MedicationStatementEffective, MedicationStatementMedication, Observation,
    ObservationComponentValue, ObservationEffective, ObservationValue, Patient, Procedure, ProcedurePerformed,
    Resource,
};
use fhir_sdk::r4b::types::{CodeableConcept, Dosage, DosageDoseAndRateDose, Quantity, TimingRepeatBounds};
use fhir_sdk::{Date as FhirDate, DateTime as FhirDateTime};
use serde_json::Value;
use time::{Date, Month};

use twin_engine::drugs::DrugClass;
use twin_engine::formulary;
use twin_engine::home_bp::HomeBpReading;
use twin_engine::record::{
    self, ConditionKind, Demographics, MeasurementKind, Medication, NyhaClass, PatientRecord, Rhythm, Sample, Sex,
    SmokingStatus, Source,
};
use twin_engine::units::to_canonical;

use crate::codes;
use crate::error::BundleError;

/// A dispense without `daysSupply` is taken to cover the usual 30 days.
const DEFAULT_DAYS_SUPPLY: i64 = 30;
/// Longer supplies than a year are entry errors (US plans dispense at most 90 days; a year's
/// supply is the outer limit anywhere).
const MAX_DAYS_SUPPLY: f64 = 365.0;
/// The oldest documented human lived 122 years; a birth date further back is an entry error.
const MAX_AGE_YEARS: i32 = 125;

/// Today, by the system clock: nothing in a record can be later.
fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// Resource types we read; everything else is counted and left alone.
const USED_TYPES: &[&str] = &[
    "Patient",
    "Observation",
    "Condition",
    "MedicationRequest",
    "MedicationStatement",
    "MedicationDispense",
    "Procedure",
    "AllergyIntolerance",
    // For the Observations it contains (an echo report's LVEF; see `Builder::add_report`) and
    // its text (`crate::notes`).
    "DiagnosticReport",
    // Clinical notes: facts from their plain text (`crate::notes`).
    "DocumentReference",
];

/// A resource we could not use, and why. Holds no PHI: ids and reasons only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `Type/id` of the resource (or `Type[index]` when it had no id).
    pub resource: String,
    /// What was wrong, in plain words.
    pub reason: String,
}

/// The outcome of harmonising one patient's resources.
#[derive(Debug, Clone)]
pub struct Harmonised {
    /// The usable record.
    pub record: PatientRecord,
    /// Resources (or values) that could not be used.
    pub problems: Vec<Problem>,
    /// How many resources of each type arrived.
    pub resource_counts: BTreeMap<String, usize>,
    /// Codes we hold no mapping for, as `Type system|code (display)`, with counts.
    pub unmapped: BTreeMap<String, usize>,
    /// Facts read from clinical notes, each with its document, sentence and what became of it.
    pub note_facts: Vec<crate::notes::NoteFact>,
}

/// Harmonises a Bundle given as JSON text.
///
/// # Errors
/// A [`BundleError`] when the text is not JSON, not a FHIR Bundle, or holds no usable Patient.
/// Problems with individual resources are not errors: they are listed in the result.
pub fn harmonise_bundle_text(text: &str) -> Result<Harmonised, BundleError> {
    harmonise_bundle_text_for(text, None)
}

/// Harmonises the Patient `patient` (by id) of a Bundle given as JSON text; with `None`, the
/// Bundle must hold exactly one Patient.
///
/// # Errors
/// As [`harmonise_bundle_text`]; [`BundleError::SeveralPatients`] when the Bundle holds more
/// than one Patient and none was chosen; [`BundleError::PatientNotInBundle`].
pub fn harmonise_bundle_text_for(text: &str, patient: Option<&str>) -> Result<Harmonised, BundleError> {
    if text.len() > MAX_BUNDLE_BYTES {
        return Err(BundleError::TooLarge { bytes: text.len(), limit: MAX_BUNDLE_BYTES });
    }
    let value: Value = serde_json::from_str(text).map_err(|e| BundleError::NotJson {
        line: e.line(),
        column: e.column(),
        reason: json_reason(&e),
    })?;
    harmonise_bundle_for(value, patient)
}

/// The largest Bundle we read: a lifetime Synthea record is about 15 MB; anything far beyond a
/// real record is refused before it is parsed (a 153 MB file took 70 s and 1.7 GB).
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;

fn json_reason(e: &serde_json::Error) -> String {
    match e.classify() {
        serde_json::error::Category::Eof => "the file ends in the middle of the JSON (truncated?)".into(),
        serde_json::error::Category::Syntax => "invalid JSON syntax".into(),
        serde_json::error::Category::Io => "could not be read".into(),
        serde_json::error::Category::Data => "unexpected JSON structure".into(),
    }
}

/// Harmonises a Bundle given as a JSON value.
///
/// # Errors
/// As [`harmonise_bundle_text`].
pub fn harmonise_bundle(bundle: Value) -> Result<Harmonised, BundleError> {
    harmonise_bundle_for(bundle, None)
}

/// As [`harmonise_bundle_text_for`], for a JSON value.
///
/// # Errors
/// As [`harmonise_bundle_text_for`].
pub fn harmonise_bundle_for(mut bundle: Value, patient: Option<&str>) -> Result<Harmonised, BundleError> {
    let kind = bundle.get("resourceType").and_then(Value::as_str).map(str::to_owned);
    match kind.as_deref() {
        Some("Bundle") => {}
        Some(other) => return Err(BundleError::NotABundle { found: crate::error::resource_type_for_message(other) }),
        None => return Err(BundleError::NotFhir),
    }
    let entries = match bundle.get_mut("entry").map(Value::take) {
        Some(Value::Array(entries)) => entries,
        None | Some(Value::Null) => Vec::new(),
        Some(_) => return Err(BundleError::Malformed { reason: "Bundle.entry is not a list".into() }),
    };
    let resources = entries.into_iter().filter_map(|mut e| {
        let full_url = e.get("fullUrl").and_then(Value::as_str).map(str::to_owned);
        e.get_mut("resource").map(Value::take).map(|r| (full_url, r))
    });
    harmonise_entries(resources, patient)
}

/// Harmonises loose resources (as from several searches).
///
/// # Errors
/// [`BundleError::NoPatient`] when no Patient resource parses.
pub fn harmonise_resources(resources: impl IntoIterator<Item = Value>) -> Result<Harmonised, BundleError> {
    harmonise_entries(resources.into_iter().map(|r| (None, r)), None)
}

/// Resources with their Bundle `fullUrl`s, for the Patient `patient` (or the only one).
///
/// Every resource that names a subject must name this Patient (as `Patient/<id>`, an absolute
/// URL ending so, or the Patient entry's `fullUrl`); one that names another patient, or none,
/// is excluded and reported, never merged into this patient's record.
///
/// # Errors
/// [`BundleError::NoPatient`], [`BundleError::SeveralPatients`], [`BundleError::PatientNotInBundle`].
pub fn harmonise_entries(
    entries: impl IntoIterator<Item = (Option<String>, Value)>,
    patient: Option<&str>,
) -> Result<Harmonised, BundleError> {
    let entries: Vec<(Option<String>, Value)> = entries.into_iter().collect();
    let mut ids: Vec<String> = Vec::new();
    for (_, value) in &entries {
        if value.get("resourceType").and_then(Value::as_str) == Some("Patient") {
            let id = value.get("id").and_then(Value::as_str).unwrap_or("").to_string();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    let chosen = match (patient, ids.as_slice()) {
        (Some(p), _) if ids.iter().any(|id| id == p) => p.to_string(),
        (Some(_), _) => return Err(BundleError::PatientNotInBundle),
        (None, []) => return Err(BundleError::NoPatient),
        (None, [only]) => only.clone(),
        (None, _) => return Err(BundleError::SeveralPatients { n: ids.len() }),
    };
    let mut subject = SubjectFilter { id: chosen.clone(), full_urls: Vec::new() };
    for (full_url, value) in &entries {
        let is_chosen = value.get("resourceType").and_then(Value::as_str) == Some("Patient")
            && value.get("id").and_then(Value::as_str).unwrap_or("") == chosen;
        if let (true, Some(url)) = (is_chosen, full_url) {
            subject.full_urls.push(url.clone());
        }
    }
    let mut builder = Builder { subject: Some(subject), ..Builder::default() };
    for (idx, (_, value)) in entries.into_iter().enumerate() {
        builder.add(idx, value);
    }
    builder.finish()
}

/// Which references name the chosen Patient.
#[derive(Debug, Default)]
struct SubjectFilter {
    id: String,
    full_urls: Vec<String>,
}

impl SubjectFilter {
    fn matches(&self, reference: &str) -> bool {
        names_patient(reference, &self.id) || self.full_urls.iter().any(|u| u == reference)
    }
}

/// Whether a FHIR reference names the Patient `id`: `Patient/<id>`, an absolute URL ending so,
/// either with a `/_history/<version>` suffix.
pub(crate) fn names_patient(reference: &str, id: &str) -> bool {
    let local = format!("Patient/{id}");
    let unversioned = reference.split("/_history/").next().unwrap_or(reference);
    unversioned == local || (unversioned.contains("://") && unversioned.ends_with(&format!("/{local}")))
}

#[derive(Default)]
struct Builder {
    subject: Option<SubjectFilter>,
    patient: Option<(String, Demographics, bool)>,
    n_patients: usize,
    samples: Vec<(MeasurementKind, Sample)>,
    smoking: Vec<(Date, SmokingStatus, Source)>,
    functional_class: Vec<(Date, NyhaClass, Source)>,
    rhythm: Vec<(Date, Rhythm, Source)>,
    home_bp: Vec<HomeBpReading>,
    polygenic_scores: Vec<twin_engine::risk::genomic::PolygenicScore>,
    conditions: Vec<record::Condition>,
    medications: Vec<(Option<String>, Medication)>,
    dispenses: HashMap<String, Vec<(Date, i64)>>,
    procedures: Vec<record::Procedure>,
    allergies: Vec<record::Allergy>,
    note_facts: Vec<crate::notes::NoteFact>,
    problems: Vec<Problem>,
    resource_counts: BTreeMap<String, usize>,
    unmapped: BTreeMap<String, usize>,
}

fn label(kind: &str, id: Option<&str>, idx: usize) -> String {
    match id {
        Some(id) => format!("{kind}/{id}"),
        None => format!("{kind}[{idx}]"),
    }
}

impl Builder {
    fn problem(&mut self, resource: &str, reason: impl Into<String>) {
        self.problems.push(Problem { resource: resource.to_string(), reason: reason.into() });
    }

    fn unmapped(&mut self, kind: &str, concept: Option<&CodeableConcept>) {
        let key = match concept.and_then(first_coding) {
            Some((system, code, display)) => format!("{kind} {system}|{code} ({display})"),
            None => format!("{kind} (no code)"),
        };
        *self.unmapped.entry(key).or_default() += 1;
    }

    fn add(&mut self, idx: usize, value: Value) {
        let kind = value.get("resourceType").and_then(Value::as_str).unwrap_or("(no resourceType)").to_string();
        let id = value.get("id").and_then(Value::as_str).map(str::to_owned);
        *self.resource_counts.entry(kind.clone()).or_default() += 1;
        if !USED_TYPES.contains(&kind.as_str())
            || (kind == "DiagnosticReport" && !contains_observations(&value) && !crate::notes::has_text(&value))
        {
            return;
        }
        let name = label(&kind, id.as_deref(), idx);
        if let Some(subject) = &self.subject {
            if kind == "Patient" {
                if id.as_deref().unwrap_or("") != subject.id {
                    return;
                }
            } else {
                let reference = ["subject", "patient"]
                    .iter()
                    .find_map(|f| value.get(f).and_then(|s| s.get("reference")).and_then(Value::as_str));
                match reference {
                    Some(r) if subject.matches(r) => {}
                    Some(_) => {
                        self.problem(&name, "belongs to another patient; excluded from this record");
                        return;
                    }
                    None => {
                        self.problem(&name, "names no patient (no subject reference); excluded from this record");
                        return;
                    }
                }
            }
        }
        if kind == "DocumentReference" || kind == "DiagnosticReport" {
            self.add_notes(&name, &value);
        }
        if kind == "DocumentReference" {
            return;
        }
        if kind == "DiagnosticReport" {
            self.add_report(&name, value);
            return;
        }
        if kind == "Observation" && crate::genomics::is_polygenic_score(&value) {
            self.add_polygenic_score(&value, &name);
            return;
        }
        let resource: Resource = match serde_json::from_value(value) {
            Ok(r) => r,
            Err(e) => {
                self.problem(&name, format!("not valid FHIR R4: {}", crate::error::scrub(&e.to_string())));
                return;
            }
        };
        let source = Source { resource: name.clone() };
        match resource {
            Resource::Patient(p) => self.add_patient(&p, id),
            Resource::Observation(o) => self.add_observation(&o, source),
            Resource::Condition(c) => self.add_condition(&c, source),
            Resource::MedicationRequest(m) => self.add_medication_request(&m, id, source),
            Resource::MedicationStatement(m) => self.add_medication_statement(&m, source),
            Resource::MedicationDispense(d) => self.add_dispense(&d, &name),
            Resource::Procedure(p) => self.add_procedure(&p, source),
            Resource::AllergyIntolerance(a) => self.add_allergy(&a, source),
            _ => {}
        }
    }

    /// A polygenic risk score (`crate::genomics`), kept even without a value or ancestry.
    fn add_polygenic_score(&mut self, value: &Value, name: &str) {
        match crate::genomics::read(value, name) {
            crate::genomics::Reading::Score(score, problems) => {
                for reason in problems {
                    self.problem(name, reason);
                }
                self.polygenic_scores.push(score);
            }
            crate::genomics::Reading::Unusable(reason) => self.problem(name, reason),
            crate::genomics::Reading::Withdrawn => {}
        }
    }

    fn add_patient(&mut self, p: &Patient, id: Option<String>) {
        self.n_patients += 1;
        if self.patient.is_some() {
            return;
        }
        let name = p
            .name
            .iter()
            .flatten()
            .next()
            .map(|n| {
                let given: Vec<&str> = n.given.iter().flatten().map(String::as_str).collect();
                let parts = given.join(" ") + " " + n.family.as_deref().unwrap_or("");
                n.text.clone().unwrap_or_else(|| parts.trim().to_string())
            })
            .unwrap_or_else(|| "(no name)".into());
        let sex = match p.gender.as_ref().map(|g| g.to_string()).as_deref() {
            Some("female") => Some(Sex::Female),
            Some("male") => Some(Sex::Male),
            _ => None,
        };
        let mut birth_date = p.birth_date.as_ref().and_then(fhir_date);
        if let Some(born) = birth_date {
            let oldest = today().replace_year(today().year() - MAX_AGE_YEARS).unwrap_or(Date::MIN);
            if born > today() || born < oldest {
                let resource = format!("Patient/{}", id.as_deref().unwrap_or("(no id)"));
                self.problem(
                    &resource,
                    format!(
                        "birth date is in the future or more than {MAX_AGE_YEARS} years ago; set aside (age unknown)"
                    ),
                );
                birth_date = None;
            }
        }
        let synthetic = p.meta.as_ref().is_some_and(|m| {
            m.tag.iter().flatten().any(|t| matches!(t.code.as_deref(), Some("HTEST" | "synthetic" | "SYNTHETIC")))
        });
        let id = id.unwrap_or_else(|| "(no id)".into());
        self.patient = Some((id, Demographics { name, birth_date, sex }, synthetic));
    }

    fn add_observation(&mut self, o: &Observation, source: Source) {
        if matches!(o.status, ObservationStatus::EnteredInError | ObservationStatus::Cancelled) {
            return;
        }
        let date = match &o.effective {
            Some(ObservationEffective::DateTime(dt)) => fhir_date_time(dt),
            Some(ObservationEffective::Period(p)) => p.start.as_ref().or(p.end.as_ref()).and_then(fhir_date_time),
            Some(ObservationEffective::Instant(i)) => Some(i.0.date()),
            _ => None,
        }
        .or_else(|| o.issued.as_ref().map(|i| i.0.date()));
        let loinc = loinc_codes(&o.code);
        let Some(date) = date else {
            self.problem(&source.resource, "observation has no date (effective or issued)");
            return;
        };
        if loinc.iter().any(|c| codes::BP_PANELS.contains(c)) {
            if is_self_measured(o) {
                self.add_home_bp(o, date, &source);
                return;
            }
            for component in o.component.iter().flatten() {
                let Some(kind) = loinc_codes(&component.code).iter().find_map(|c| codes::loinc_measurement(c)) else {
                    continue;
                };
                match &component.value {
                    Some(ObservationComponentValue::Quantity(q)) => self.add_quantity(kind, q, date, &source),
                    _ => self.problem(&source.resource, format!("{} component has no numeric value", kind.label())),
                }
            }
            return;
        }
        if loinc.contains(&codes::SMOKING_STATUS) {
            let status = match &o.value {
                Some(ObservationValue::CodeableConcept(c)) => {
                    snomed_codes(c).iter().find_map(|s| codes::snomed_smoking(s))
                }
                _ => None,
            };
            match status {
                Some(status) => self.smoking.push((date, status, source)),
                None => {
                    let concept = match &o.value {
                        Some(ObservationValue::CodeableConcept(c)) => Some(c),
                        _ => None,
                    };
                    self.unmapped("Observation smoking status", concept);
                }
            }
            return;
        }
        if loinc.contains(&codes::NYHA_CLASS) {
            let concept = match &o.value {
                Some(ObservationValue::CodeableConcept(c)) => Some(c),
                _ => None,
            };
            let class = concept.and_then(|c| {
                codes_in(c, codes::LOINC).into_iter().chain(snomed_codes(c)).find_map(codes::nyha_answer)
            });
            match class {
                Some(class) => self.functional_class.push((date, class, source)),
                None => self.unmapped("Observation NYHA class", concept),
            }
            return;
        }
        if loinc.contains(&codes::HEART_RHYTHM) {
            self.add_rhythm(value_concept(o.value.as_ref()), date, &source);
            return;
        }
        if loinc.iter().any(|c| codes::ECG_OBSERVATIONS.contains(c)) {
            self.add_ecg(o, date, &source);
            return;
        }
        let Some(kind) = loinc.iter().find_map(|c| codes::loinc_measurement(c)) else {
            // A panel we do not map may still carry components we do (an echo panel's LVEF).
            if !self.add_measured_components(o, date, &source) {
                self.unmapped("Observation", Some(&o.code));
            }
            return;
        };
        match &o.value {
            Some(ObservationValue::Quantity(q)) => self.add_quantity(kind, q, date, &source),
            Some(ObservationValue::Integer(i)) if kind.canonical_unit() == twin_engine::units::Unit::Count => {
                self.push_sample(kind, Sample { date, value: f64::from(*i), source });
            }
            _ => self.problem(&source.resource, format!("{} has no numeric value", kind.label())),
        }
    }

    /// A heart-rhythm observation (LOINC 8884-9) or component: a coded rhythm; a code we do not
    /// map is kept as [`Rhythm::Other`] and counted as unmapped.
    fn add_rhythm(&mut self, concept: Option<&CodeableConcept>, date: Date, source: &Source) {
        let Some(concept) = concept else {
            self.problem(&source.resource, "heart rhythm has no coded value");
            return;
        };
        let rhythm = snomed_codes(concept).into_iter().find_map(codes::snomed_rhythm);
        if rhythm.is_none() {
            self.unmapped("Observation heart rhythm", Some(concept));
        }
        self.rhythm.push((date, rhythm.unwrap_or(Rhythm::Other), source.clone()));
    }

    /// An ECG's coded finding: its rhythm and a left bundle-branch block. Whether anything was
    /// read.
    fn add_ecg_finding(&mut self, concept: &CodeableConcept, date: Date, source: &Source) -> bool {
        let snomed = snomed_codes(concept);
        let rhythm = snomed.iter().find_map(|c| codes::snomed_rhythm(c));
        if let Some(rhythm) = rhythm {
            self.rhythm.push((date, rhythm, source.clone()));
        }
        let lbbb = snomed.contains(&codes::LEFT_BUNDLE_BRANCH_BLOCK);
        if lbbb {
            self.add_ecg_lbbb(concept, date, source);
        }
        rhythm.is_some() || lbbb
    }

    /// A left bundle-branch block seen on an ECG, as a condition since the earliest such ECG;
    /// one already coded as a diagnosis stands as it is.
    fn add_ecg_lbbb(&mut self, concept: &CodeableConcept, date: Date, source: &Source) {
        let lbbb = Some(ConditionKind::LeftBundleBranchBlock);
        if let Some(seen) = self.conditions.iter_mut().find(|c| c.kind == lbbb && c.active) {
            if seen.source.resource.starts_with("Observation") && seen.onset.is_some_and(|d| d > date) {
                seen.onset = Some(date);
                seen.source = source.clone();
            }
            return;
        }
        let display = concept
            .coding
            .iter()
            .flatten()
            .find(|c| c.code.as_deref() == Some(codes::LEFT_BUNDLE_BRANCH_BLOCK))
            .and_then(|c| c.display.clone())
            .unwrap_or_else(|| "Left bundle branch block".into());
        self.conditions.push(record::Condition {
            kind: lbbb,
            code: format!("{}|{}", codes::SNOMED, codes::LEFT_BUNDLE_BRANCH_BLOCK),
            display,
            onset: Some(date),
            active: true,
            source: source.clone(),
        });
    }

    /// An ECG observation (impression, panel or study): its coded value and its components
    /// (QRS duration, rhythm, impression); ECG intervals we do not use are left alone.
    fn add_ecg(&mut self, o: &Observation, date: Date, source: &Source) {
        let mut read = match value_concept(o.value.as_ref()) {
            Some(c) => self.add_ecg_finding(c, date, source),
            None => false,
        };
        for component in o.component.iter().flatten() {
            let loinc = loinc_codes(&component.code);
            let concept = match &component.value {
                Some(ObservationComponentValue::CodeableConcept(c)) => Some(c),
                _ => None,
            };
            if loinc.contains(&codes::HEART_RHYTHM) {
                self.add_rhythm(concept, date, source);
                read = true;
            } else if loinc.iter().any(|c| codes::ECG_OBSERVATIONS.contains(c)) {
                read |= concept.is_some_and(|c| self.add_ecg_finding(c, date, source));
            } else if let Some(kind) = loinc.iter().find_map(|c| codes::loinc_measurement(c)) {
                match &component.value {
                    Some(ObservationComponentValue::Quantity(q)) => self.add_quantity(kind, q, date, source),
                    _ => self.problem(&source.resource, format!("{} component has no numeric value", kind.label())),
                }
                read = true;
            }
        }
        if !read {
            let concept = value_concept(o.value.as_ref()).unwrap_or(&o.code);
            self.unmapped("Observation ECG finding", Some(concept));
        }
    }

    /// The components of an Observation whose own code we do not map, where they carry a
    /// measurement we do (an echo panel's LVEF, say). Whether any did.
    fn add_measured_components(&mut self, o: &Observation, date: Date, source: &Source) -> bool {
        let mut read = false;
        for component in o.component.iter().flatten() {
            let Some(kind) = loinc_codes(&component.code).iter().find_map(|c| codes::loinc_measurement(c)) else {
                continue;
            };
            match &component.value {
                Some(ObservationComponentValue::Quantity(q)) => self.add_quantity(kind, q, date, source),
                _ => self.problem(&source.resource, format!("{} component has no numeric value", kind.label())),
            }
            read = true;
        }
        read
    }

    /// Facts from a note's text; the record takes them in `finish`, after the structured data.
    fn add_notes(&mut self, name: &str, resource: &Value) {
        let (facts, problems) = crate::notes::read_resource(name, resource);
        self.note_facts.extend(facts);
        for reason in problems {
            self.problem(name, reason);
        }
    }

    /// The Observations a DiagnosticReport carries inside it (`contained`, referenced from its
    /// `result` as `#id`), as an echo report may send its LVEF: each is read as an Observation
    /// of the report's patient, its source `DiagnosticReport/<id>#<observation id>`.
    /// Observations the report references as resources of their own are read as such.
    fn add_report(&mut self, name: &str, mut report: Value) {
        if matches!(report.get("status").and_then(Value::as_str), Some("entered-in-error" | "cancelled")) {
            return;
        }
        let subject = report.get("subject").cloned();
        let results: Vec<String> = report
            .get("result")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| r.get("reference").and_then(Value::as_str))
            .filter_map(|r| r.strip_prefix('#'))
            .map(str::to_owned)
            .collect();
        let contained = match report.get_mut("contained").map(Value::take) {
            Some(Value::Array(contained)) => contained,
            _ => return,
        };
        for mut resource in contained {
            if resource.get("resourceType").and_then(Value::as_str) != Some("Observation") {
                continue;
            }
            let id = resource.get("id").and_then(Value::as_str).unwrap_or("").to_string();
            if id.is_empty() || !results.contains(&id) {
                continue;
            }
            let label = format!("{name}#{id}");
            let own = resource.get("subject").and_then(|s| s.get("reference")).and_then(Value::as_str);
            if let (Some(own), Some(filter)) = (own, &self.subject) {
                if !filter.matches(own) {
                    self.problem(&label, "belongs to another patient; excluded from this record");
                    continue;
                }
            }
            if own.is_none() {
                if let (Some(subject), Some(object)) = (&subject, resource.as_object_mut()) {
                    object.insert("subject".into(), subject.clone());
                }
            }
            match serde_json::from_value::<Resource>(resource) {
                Ok(Resource::Observation(o)) => self.add_observation(&o, Source { resource: label }),
                Ok(_) => {}
                Err(e) => self.problem(&label, format!("not valid FHIR R4: {}", crate::error::scrub(&e.to_string()))),
            }
        }
    }

    /// A self-measured BP panel: one [`HomeBpReading`], kept apart from the office series
    /// (see [`twin_engine::home_bp`]). Both components are needed; a reading that is not a
    /// plausible pressure, or is dated in the future, is set aside as a problem.
    fn add_home_bp(&mut self, o: &Observation, date: Date, source: &Source) {
        let mut pressures = [None, None];
        for component in o.component.iter().flatten() {
            let kind = loinc_codes(&component.code).iter().find_map(|c| codes::loinc_measurement(c));
            let slot = match kind {
                Some(MeasurementKind::Sbp) => 0,
                Some(MeasurementKind::Dbp) => 1,
                _ => continue,
            };
            let (kind, quantity) = match (kind, &component.value) {
                (Some(kind), Some(ObservationComponentValue::Quantity(q))) => (kind, q),
                (Some(kind), _) => {
                    self.problem(&source.resource, format!("home {} has no numeric value", kind.label()));
                    return;
                }
                (None, _) => continue,
            };
            let unit = quantity.code.as_deref().or(quantity.unit.as_deref());
            match quantity.value.map(|v| to_canonical(kind, v, unit)) {
                Some(Ok(v)) if kind.is_plausible(v) => pressures[slot] = Some(v),
                Some(Ok(_)) => {
                    let (lo, hi) = kind.plausible_range();
                    self.problem(&source.resource, format!("home {} outside {lo}–{hi} mmHg; set aside", kind.label()));
                    return;
                }
                Some(Err(e)) => {
                    self.problem(&source.resource, e.to_string());
                    return;
                }
                None => {
                    self.problem(&source.resource, format!("home {} has no value", kind.label()));
                    return;
                }
            }
        }
        let [Some(systolic), Some(diastolic)] = pressures else {
            self.problem(&source.resource, "home BP reading lacks its systolic or diastolic component; set aside");
            return;
        };
        if date > today() {
            self.problem(&source.resource, "home BP reading is dated in the future; set aside");
            return;
        }
        let time = match &o.effective {
            Some(ObservationEffective::DateTime(FhirDateTime::DateTime(i))) => Some(i.0.time()),
            Some(ObservationEffective::Instant(i)) => Some(i.0.time()),
            _ => None,
        };
        let device = o.device.as_ref().and_then(|d| d.display.clone().or_else(|| d.reference.clone()));
        self.home_bp.push(HomeBpReading { date, time, systolic, diastolic, device, source: source.clone() });
    }

    fn add_quantity(&mut self, kind: MeasurementKind, q: &Quantity, date: Date, source: &Source) {
        let Some(value) = q.value else {
            self.problem(&source.resource, format!("{} has no value", kind.label()));
            return;
        };
        let unit = q.code.as_deref().or(q.unit.as_deref());
        match to_canonical(kind, value, unit) {
            Ok(value) => self.push_sample(kind, Sample { date, value, source: source.clone() }),
            Err(e) => self.problem(&source.resource, e.to_string()),
        }
    }

    /// Keeps a value only when it is one a living adult can have, dated no later than today.
    fn push_sample(&mut self, kind: MeasurementKind, sample: Sample) {
        if !kind.is_plausible(sample.value) {
            let (lo, hi) = kind.plausible_range();
            let unit = kind.canonical_unit().symbol();
            self.problem(
                &sample.source.resource,
                format!("{} outside the possible range ({lo}–{hi} {unit}); set aside", kind.label()),
            );
            return;
        }
        if sample.date > today() {
            self.problem(&sample.source.resource, format!("{} is dated in the future; set aside", kind.label()));
            return;
        }
        self.samples.push((kind, sample));
    }

    fn add_condition(&mut self, c: &Condition, source: Source) {
        let Some(code) = &c.code else {
            self.problem(&source.resource, "condition has no code");
            return;
        };
        let onset = match &c.onset {
            Some(ConditionOnset::DateTime(dt)) => fhir_date_time(dt),
            Some(ConditionOnset::Period(p)) => p.start.as_ref().and_then(fhir_date_time),
            _ => None,
        }
        .or_else(|| c.recorded_date.as_ref().and_then(fhir_date_time));
        // A NYHA class recorded as a problem-list entry (the SNOMED CT findings "New York Heart
        // Association Classification - Class I…IV") is an assessment on its date.
        if let Some(class) = snomed_codes(code).into_iter().find_map(codes::nyha_answer) {
            match onset {
                Some(date) => self.functional_class.push((date, class, source)),
                None => self.problem(&source.resource, "NYHA class has no date (onset or recorded); set aside"),
            }
            return;
        }
        let kind = code.coding.iter().flatten().find_map(|coding| {
            let (system, value) = (coding.system.as_deref()?, coding.code.as_deref()?);
            match system {
                codes::SNOMED => codes::snomed_condition(value),
                codes::ICD10CM | codes::ICD10 => codes::icd10_condition(value),
                _ => None,
            }
        });
        if kind.is_none() {
            self.unmapped("Condition", Some(code));
        }
        let clinical = c.clinical_status.as_ref().and_then(|s| s.coding.iter().flatten().find_map(|x| x.code.clone()));
        let active = c.abatement.is_none()
            && clinical.as_deref().is_none_or(|s| matches!(s, "active" | "recurrence" | "relapse"));
        let (code_key, display) = describe(code);
        self.conditions.push(record::Condition { kind, code: code_key, display, onset, active, source });
    }

    fn medication(&mut self, concept: Option<&CodeableConcept>, source: &Source) -> Option<Medication> {
        let Some(concept) = concept else {
            self.problem(
                &source.resource,
                "medication given by reference only; contained or referenced Medication resources are not read yet",
            );
            return None;
        };
        let by_code = concept.coding.iter().flatten().find_map(|c| {
            (c.system.as_deref() == Some(codes::RXNORM)).then_some(())?;
            formulary::agent_by_rxcui(c.code.as_deref()?)
        });
        let (code, display) = describe(concept);
        let agent = by_code.or_else(|| formulary::agent_in_text(&display));
        if agent.is_none() {
            self.unmapped("Medication", Some(concept));
        }
        Some(Medication {
            class: agent.map(|a| a.class),
            agent: agent.map(|a| a.name.to_string()),
            code,
            display,
            daily_dose_mg: None,
            dose_level: None,
            start: None,
            end: None,
            adherence: None,
            source: source.clone(),
        })
    }

    fn add_medication_request(&mut self, m: &MedicationRequest, id: Option<String>, source: Source) {
        if matches!(m.status.as_str(), "entered-in-error" | "cancelled" | "draft") {
            return;
        }
        let concept = match &m.medication {
            MedicationRequestMedication::CodeableConcept(c) => Some(c),
            _ => None,
        };
        let Some(mut med) = self.medication(concept, &source) else { return };
        let dosage = m.dosage_instruction.iter().flatten().next();
        let bounds = dosage.and_then(|d| d.timing.as_ref()?.repeat.as_ref()?.bounds.as_ref());
        let (bound_start, bound_end) = match bounds {
            Some(TimingRepeatBounds::Period(p)) => {
                (p.start.as_ref().and_then(fhir_date_time), p.end.as_ref().and_then(fhir_date_time))
            }
            _ => (None, None),
        };
        med.start = bound_start.or_else(|| m.authored_on.as_ref().and_then(fhir_date_time));
        // A stopped or completed order without an end date is known not to be ongoing; its end
        // is unknown, so it is taken to end where it is last known to exist: its start.
        med.end =
            bound_end.or_else(|| matches!(m.status.as_str(), "stopped" | "completed").then_some(med.start).flatten());
        med.daily_dose_mg = daily_dose(&med, dosage);
        if !set_dose_level(&mut med) {
            self.problem(&source.resource, "daily dose is impossible for this drug; dose set aside (taken as unknown)");
        }
        self.medications.push((id, med));
    }

    fn add_medication_statement(&mut self, m: &MedicationStatement, source: Source) {
        if matches!(m.status.as_str(), "entered-in-error" | "not-taken") {
            return;
        }
        let concept = match &m.medication {
            MedicationStatementMedication::CodeableConcept(c) => Some(c),
            _ => None,
        };
        let Some(mut med) = self.medication(concept, &source) else { return };
        match &m.effective {
            Some(MedicationStatementEffective::Period(p)) => {
                med.start = p.start.as_ref().and_then(fhir_date_time);
                med.end = p.end.as_ref().and_then(fhir_date_time);
            }
            Some(MedicationStatementEffective::DateTime(dt)) => med.start = fhir_date_time(dt),
            _ => {}
        }
        med.daily_dose_mg = daily_dose(&med, m.dosage.iter().flatten().next());
        if !set_dose_level(&mut med) {
            self.problem(&source.resource, "daily dose is impossible for this drug; dose set aside (taken as unknown)");
        }
        self.medications.push((None, med));
    }

    fn add_dispense(&mut self, d: &MedicationDispense, name: &str) {
        if d.status != "completed" {
            return;
        }
        let Some(date) = d.when_handed_over.as_ref().and_then(fhir_date_time) else {
            self.problem(name, "dispense has no handover date");
            return;
        };
        let days = match d.days_supply.as_ref().and_then(|q| q.value) {
            None => DEFAULT_DAYS_SUPPLY,
            Some(v) if (1.0..=MAX_DAYS_SUPPLY).contains(&v) => v.round() as i64,
            Some(_) => {
                self.problem(name, format!("daysSupply outside 1–{MAX_DAYS_SUPPLY} days; this dispense is set aside"));
                return;
            }
        };
        if date > today() {
            self.problem(name, "dispense is dated in the future; set aside");
            return;
        }
        for prescription in d.authorizing_prescription.iter().flatten() {
            if let Some(id) = prescription.reference.as_deref().and_then(|r| r.strip_prefix("MedicationRequest/")) {
                self.dispenses.entry(id.to_string()).or_default().push((date, days));
            }
        }
    }

    /// An active, not refuted, drug allergy or intolerance; the class it rules out when the
    /// substance is one we model (by RxNorm code, else by name).
    fn add_allergy(&mut self, a: &AllergyIntolerance, source: Source) {
        let status =
            |c: Option<&CodeableConcept>| c.and_then(|c| c.coding.iter().flatten().find_map(|x| x.code.clone()));
        let verification = status(a.verification_status.as_ref());
        let clinical = status(a.clinical_status.as_ref());
        if matches!(verification.as_deref(), Some("refuted" | "entered-in-error"))
            || matches!(clinical.as_deref(), Some("inactive" | "resolved"))
        {
            return;
        }
        let Some(code) = &a.code else {
            self.problem(&source.resource, "allergy has no substance code");
            return;
        };
        let by_code = code.coding.iter().flatten().find_map(|c| {
            (c.system.as_deref() == Some(codes::RXNORM)).then_some(())?;
            formulary::agent_by_rxcui(c.code.as_deref()?).map(|a| a.class)
        });
        let (_, display) = describe(code);
        let class = by_code.or_else(|| formulary::class_in_text(&display));
        let angioedema = a.reaction.iter().flatten().any(reaction_is_angioedema);
        self.allergies.push(record::Allergy { class, display, angioedema, source });
    }

    fn add_procedure(&mut self, p: &Procedure, source: Source) {
        let Some(code) = &p.code else {
            self.problem(&source.resource, "procedure has no code");
            return;
        };
        let kind = snomed_codes(code).iter().find_map(|c| codes::snomed_procedure(c));
        if kind.is_none() {
            self.unmapped("Procedure", Some(code));
        }
        let date = match &p.performed {
            Some(ProcedurePerformed::DateTime(dt)) => fhir_date_time(dt),
            Some(ProcedurePerformed::Period(per)) => per.start.as_ref().and_then(fhir_date_time),
            _ => None,
        };
        let (code_key, display) = describe(code);
        self.procedures.push(record::Procedure { kind, code: code_key, display, date, source });
    }

    fn finish(mut self) -> Result<Harmonised, BundleError> {
        let (id, demographics, synthetic) = self.patient.take().ok_or(BundleError::NoPatient)?;
        if self.n_patients > 1 {
            self.problem(
                &format!("Patient/{id}"),
                format!("{} copies of this Patient; the first was used", self.n_patients),
            );
        }
        let mut record = PatientRecord::new(id, demographics);
        record.synthetic = synthetic;
        for (kind, sample) in self.samples {
            record.push_sample(kind, sample);
        }
        for (request_id, mut med) in self.medications {
            if let Some(fills) = request_id.and_then(|id| self.dispenses.get(&id)) {
                med.adherence = proportion_of_days_covered(fills, med.end);
            }
            record.medications.push(med);
        }
        record.conditions = self.conditions;
        record.procedures = self.procedures;
        record.allergies = self.allergies;
        self.smoking.sort_by_key(|(d, _, _)| *d);
        record.smoking = self.smoking;
        self.functional_class.sort_by_key(|(d, _, _)| *d);
        record.functional_class = self.functional_class;
        self.rhythm.sort_by_key(|(d, _, _)| *d);
        record.rhythm = self.rhythm;
        self.polygenic_scores.sort_by_key(|s| s.date);
        record.polygenic_scores = self.polygenic_scores;
        self.home_bp.sort_by_key(|r| (r.date, r.time));
        record.home_bp = self.home_bp;
        let mut note_facts = self.note_facts;
        crate::notes::apply(&mut note_facts, &mut record);
        Ok(Harmonised {
            record,
            problems: self.problems,
            resource_counts: self.resource_counts,
            unmapped: self.unmapped,
            note_facts,
        })
    }
}

/// Proportion of days covered (PDC) from the first fill to the end of the last fill's supply
/// (or the course's end, if earlier): the adherence measure recommended by the Pharmacy
/// Quality Alliance (PQA PDC measure specification); overlapping supplies are not double-counted.
fn proportion_of_days_covered(fills: &[(Date, i64)], end: Option<Date>) -> Option<f64> {
    let first = fills.iter().map(|(d, _)| *d).min()?;
    let last_cover = fills.iter().map(|(d, days)| *d + time::Duration::days(*days)).max()?;
    let window_end = end.map_or(last_cover, |e| e.min(last_cover));
    let n_days = (window_end - first).whole_days();
    if n_days <= 0 {
        return None;
    }
    let covered = (0..n_days)
        .filter(|offset| {
            let day = first + time::Duration::days(*offset);
            fills.iter().any(|(d, days)| day >= *d && day < *d + time::Duration::days(*days))
        })
        .count();
    Some(covered as f64 / n_days as f64)
}

/// A daily dose more than this many times the agent's standard dose is an entry error (the
/// highest licensed doses of the agents we know are 1–15× standard, e.g. atorvastatin 80 mg vs
/// 20 mg, furosemide 600 mg vs 40 mg; a dose above the label maximum but below this is kept, and
/// the safety rules report it).
const MAX_DOSE_RATIO: f64 = 20.0;

/// Sets the dose level from the daily dose, read against the agent's ladder
/// (`formulary::dose_level`); an impossible dose is dropped (dose unknown) and `false` returned.
fn set_dose_level(med: &mut Medication) -> bool {
    let agent = med.agent.as_deref().and_then(formulary::agent_by_name);
    if let Some(daily) = med.daily_dose_mg {
        let ratio = agent.map(|a| daily / a.standard_daily_mg);
        if !daily.is_finite() || daily <= 0.0 || ratio.is_some_and(|r| r > MAX_DOSE_RATIO) {
            med.daily_dose_mg = None;
            return false;
        }
        if let Some(level) = agent.and_then(|a| formulary::dose_level(a, daily)) {
            med.dose_level = Some(level);
        }
    }
    true
}

/// How much a Dosage gives each time: milligrams, or a count of units (tablets, capsules) whose
/// strength the product's name states.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Amount {
    Mg(f64),
    Units(f64),
}

/// Units of a dose that count tablets or capsules (UCUM annotations, the plain words, and a
/// unit-less number).
const UNIT_DOSE_UNITS: &[&str] = &[
    "1",
    "{tablet}",
    "{tablets}",
    "{tbl}",
    "tablet",
    "tablets",
    "tab",
    "tabs",
    "{capsule}",
    "{cap}",
    "capsule",
    "capsules",
    "cap",
    "caps",
];

/// The amount of a Dosage's first dose: milligrams (mg, g, µg), or units (tablets); `None` for
/// anything else (millilitres, puffs) or no dose.
fn dose_amount(dosage: &Dosage) -> Option<Amount> {
    dosage.dose_and_rate.iter().flatten().find_map(|d| match &d.dose {
        Some(DosageDoseAndRateDose::Quantity(q)) => {
            let value = q.value.filter(|v| v.is_finite() && *v > 0.0)?;
            let unit = q.code.as_deref().or(q.unit.as_deref()).map(|u| u.trim().to_ascii_lowercase());
            match unit.as_deref() {
                Some("mg") => Some(Amount::Mg(value)),
                Some("g") => Some(Amount::Mg(value * 1000.0)),
                Some("ug" | "mcg" | "µg") => Some(Amount::Mg(value / 1000.0)),
                None => Some(Amount::Units(value)),
                Some(u) if UNIT_DOSE_UNITS.contains(&u) => Some(Amount::Units(value)),
                Some(_) => None,
            }
        }
        _ => None,
    })
}

/// Administrations per day from a Dosage's timing (frequency over period), where stated.
fn administrations_per_day(dosage: &Dosage) -> Option<f64> {
    let r = dosage.timing.as_ref()?.repeat.as_ref()?;
    let frequency = f64::from(r.frequency?.get());
    let period = r.period.unwrap_or(1.0);
    let period_days = match r.period_unit.as_ref().map(|u| u.to_string()).as_deref() {
        Some("h") => period / 24.0,
        Some("wk") => period * 7.0,
        Some("mo") => period * 30.0,
        _ => period,
    };
    (period_days > 0.0).then(|| frequency / period_days)
}

/// The daily dose in mg of a medication from its Dosage and its product name: a dose in mg ×
/// administrations per day; a count of tablets × the strength the name states × administrations
/// per day; with no usable dose, one unit of the named strength each time (once a day when the
/// timing is not stated either: Synthea and many EHRs give no structured dose).
///
/// Sacubitril/valsartan's ladder is in total milligrams of both components (24/26 mg = 50 mg),
/// so its strength is their sum ("sacubitril 97 MG / valsartan 103 MG" is 200 mg), and a dose
/// given in milligrams of one component (97 mg) is read as the tablet it can only be.
fn daily_dose(med: &Medication, dosage: Option<&Dosage>) -> Option<f64> {
    let total = med.agent.as_deref().and_then(formulary::agent_by_name).is_some_and(|a| a.class == DrugClass::Arni);
    let strength = || {
        let parts = strengths_in_text(&med.display);
        if total {
            (!parts.is_empty()).then(|| parts.iter().sum())
        } else {
            parts.first().copied()
        }
    };
    let per_day = dosage.and_then(administrations_per_day);
    let each = match dosage.and_then(dose_amount) {
        Some(Amount::Mg(mg)) if total => arni_total_mg(mg).unwrap_or(mg),
        Some(Amount::Mg(mg)) => mg,
        Some(Amount::Units(n)) => strength()? * n,
        None => strength()?,
    };
    Some(each * per_day.unwrap_or(1.0))
}

/// Sacubitril/valsartan's tablets by either component's milligrams (24/26, 49/51, 97/103 mg: the
/// only strengths, FDA label, Entresto), as the total the formulary's ladder counts.
fn arni_total_mg(component_mg: f64) -> Option<f64> {
    const TABLETS: [(f64, f64, f64); 3] = [(24.0, 26.0, 50.0), (49.0, 51.0, 100.0), (97.0, 103.0, 200.0)];
    TABLETS.iter().find(|(a, b, _)| component_mg == *a || component_mg == *b).map(|t| t.2)
}

/// The strengths written in a product name, in order: "amLODIPine 2.5 MG Oral Tablet" → [2.5];
/// "sacubitril 97 MG / valsartan 103 MG Oral Tablet" and "Entresto 97/103 mg" → [97, 103]. A
/// concentration ("10 MG/ML") is not a strength of one unit and is skipped.
fn strengths_in_text(text: &str) -> Vec<f64> {
    let upper = text.to_ascii_uppercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(offset) = upper[from..].find("MG") {
        let at = from + offset;
        from = at + 2;
        let rest = &upper[from..];
        let after_letter = rest.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        let concentration = rest.trim_start().starts_with('/') && rest.trim_start()[1..].trim_start().starts_with("ML");
        if after_letter || concentration {
            continue;
        }
        // Numbers before "MG", joined by "/" for a two-component strength ("97/103 MG").
        let head = upper[..at].trim_end();
        let tail: String = head.chars().rev().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == '/').collect();
        let tail: String = tail.chars().rev().collect();
        let numbers: Vec<f64> = tail.split('/').filter_map(|n| n.parse().ok()).collect();
        if head.len() > tail.len() && !head[..head.len() - tail.len()].ends_with(|c: char| !c.is_ascii_alphanumeric()) {
            // "…X97 MG": the number is part of a word, not a strength.
            continue;
        }
        found.extend(numbers);
    }
    found
}

fn first_coding(c: &CodeableConcept) -> Option<(String, String, String)> {
    c.coding.iter().flatten().find_map(|x| {
        Some((
            x.system.clone().unwrap_or_default(),
            x.code.clone()?,
            x.display.clone().or_else(|| c.text.clone()).unwrap_or_default(),
        ))
    })
}

/// `system|code` of the first coding, and a display for people.
fn describe(c: &CodeableConcept) -> (String, String) {
    match first_coding(c) {
        Some((system, code, display)) => (format!("{system}|{code}"), c.text.clone().unwrap_or(display)),
        None => (String::new(), c.text.clone().unwrap_or_default()),
    }
}

fn codes_in<'a>(c: &'a CodeableConcept, system: &str) -> Vec<&'a str> {
    c.coding
        .iter()
        .flatten()
        .filter(|x| x.system.as_deref() == Some(system))
        .filter_map(|x| x.code.as_deref())
        .collect()
}

fn loinc_codes(c: &CodeableConcept) -> Vec<&str> {
    codes_in(c, codes::LOINC)
}

/// An Observation's value when it is a coded concept.
fn value_concept(value: Option<&ObservationValue>) -> Option<&CodeableConcept> {
    match value {
        Some(ObservationValue::CodeableConcept(c)) => Some(c),
        _ => None,
    }
}

/// Whether a DiagnosticReport (as JSON) carries any contained Observation.
fn contains_observations(report: &Value) -> bool {
    report
        .get("contained")
        .and_then(Value::as_array)
        .is_some_and(|c| c.iter().any(|r| r.get("resourceType").and_then(Value::as_str) == Some("Observation")))
}

/// Whether an allergy's reaction is angioedema: a manifestation coded SNOMED CT 41291007, or one
/// (or the reaction's description) that says so in words.
fn reaction_is_angioedema(r: &fhir_sdk::r4b::resources::AllergyIntoleranceReaction) -> bool {
    let says = |text: &str| {
        let t = text.to_ascii_lowercase();
        ["angioedema", "angio-oedema", "angiooedema", "angioneurotic"].iter().any(|w| t.contains(w))
    };
    r.manifestation.iter().flatten().any(|m| {
        snomed_codes(m).contains(&codes::ANGIOEDEMA)
            || m.text.as_deref().is_some_and(says)
            || m.coding.iter().flatten().any(|c| c.display.as_deref().is_some_and(says))
    }) || r.description.as_deref().is_some_and(says)
}

fn snomed_codes(c: &CodeableConcept) -> Vec<&str> {
    codes_in(c, codes::SNOMED)
}

/// Whether a BP panel was measured by the patient, not in the clinic: it names a `device` (a home
/// monitor, a phone app, a watch: what home and wearable imports write) and no `encounter` (an
/// automated office monitor's reading belongs to the visit), or its `method` or a `category` says
/// home or self-measured (SNOMED CT's "self-measured blood pressure" wording, or free text).
/// Such readings are judged by the home protocol, never averaged with office readings (see
/// [`twin_engine::home_bp`]).
fn is_self_measured(o: &Observation) -> bool {
    let says_home = |c: &CodeableConcept| {
        let texts = c.text.iter().chain(c.coding.iter().flatten().filter_map(|coding| coding.display.as_ref()));
        texts.chain(c.coding.iter().flatten().filter_map(|coding| coding.code.as_ref())).any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("home") || t.contains("self-measured") || t.contains("self measured")
        })
    };
    (o.device.is_some() && o.encounter.is_none())
        || o.method.as_ref().is_some_and(says_home)
        || o.category.iter().flatten().any(says_home)
}

fn fhir_date(d: &FhirDate) -> Option<Date> {
    match d {
        FhirDate::Date(d) => Some(*d),
        FhirDate::YearMonth(y, m) => Date::from_calendar_date(*y, *m, 1).ok(),
        FhirDate::Year(y) => Date::from_calendar_date(*y, Month::January, 1).ok(),
    }
}

fn fhir_date_time(dt: &FhirDateTime) -> Option<Date> {
    match dt {
        FhirDateTime::Date(d) => fhir_date(d),
        FhirDateTime::DateTime(i) => Some(i.0.date()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn pdc_counts_gaps_and_ignores_overlap() {
        let fills = [(date!(2024 - 01 - 01), 30), (date!(2024 - 01 - 15), 30), (date!(2024 - 03 - 15), 30)];
        // Covered: Jan 1 – Feb 13 (44 days) and Mar 15 – Apr 13 (30 days) of Jan 1 – Apr 13 (104 days).
        let pdc = proportion_of_days_covered(&fills, None).unwrap();
        assert!((pdc - 74.0 / 104.0).abs() < 1e-9, "{pdc}");
    }

    #[test]
    fn strength_is_read_from_product_names() {
        assert_eq!(strengths_in_text("amLODIPine 2.5 MG Oral Tablet"), [2.5]);
        assert_eq!(strengths_in_text("Simvastatin 20 MG Oral Tablet"), [20.0]);
        assert_eq!(strengths_in_text("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet"), [500.0]);
        assert_eq!(strengths_in_text("sacubitril 97 MG / valsartan 103 MG Oral Tablet"), [97.0, 103.0]);
        assert_eq!(strengths_in_text("Entresto 49/51 mg film-coated tablets"), [49.0, 51.0]);
        assert_eq!(strengths_in_text("amlodipine 5mg"), [5.0]);
        assert!(strengths_in_text("Furosemide 10 MG/ML Oral Solution").is_empty());
        assert!(strengths_in_text("Nitroglycerin spray").is_empty());
        assert!(strengths_in_text("MGSO4 infusion").is_empty());
    }

    #[test]
    fn arni_strengths_are_read_as_totals() {
        assert_eq!(arni_total_mg(97.0), Some(200.0));
        assert_eq!(arni_total_mg(26.0), Some(50.0));
        assert_eq!(arni_total_mg(200.0), None);
    }
}
