//! The harmonised patient record: what the twin is built from.
//!
//! Every value is in the canonical unit of its [`MeasurementKind`] and keeps its
//! [`Source`] (the resource it came from), so any figure on screen can be traced back.

use std::collections::BTreeMap;

use time::{Date, Time};

use crate::drugs::{DoseLevel, DrugClass};

/// Kept under this path too: it is the record's vocabulary, but it lives with the units (its
/// canonical unit is part of it) so that `units` need not name `record`.
pub use crate::units::MeasurementKind;

/// Where a value came from: the source resource and, where known, its time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The source resource, e.g. `Observation/123`.
    pub resource: String,
}

/// One measured value, in the canonical unit of its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// When it was measured.
    pub date: Date,
    /// The value in `kind.canonical_unit()`.
    pub value: f64,
    /// Where it came from.
    pub source: Source,
}

/// One self-measured BP reading (a home monitor, a phone app, a watch cuff), judged by
/// [`crate::home_bp`]'s protocol and never mixed with office readings.
#[derive(Debug, Clone, PartialEq)]
pub struct HomeBpReading {
    /// The day it was taken, in the patient's local time.
    pub date: Date,
    /// Local time of day, where the source gives one (morning/evening needs it).
    pub time: Option<Time>,
    /// Systolic, mmHg.
    pub systolic: f64,
    /// Diastolic, mmHg.
    pub diastolic: f64,
    /// The device that took it, as the source names it.
    pub device: Option<String>,
    /// Where it came from.
    pub source: Source,
}

impl HomeBpReading {
    /// Whether it was taken before noon, where the time is known.
    pub fn is_morning(&self) -> Option<bool> {
        self.time.map(|t| t.hour() < 12)
    }
}

/// Sex at birth, as the risk equations use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// Who the patient is, as far as the twin needs to know.
#[derive(Debug, Clone, PartialEq)]
pub struct Demographics {
    /// Display name (PHI: never logged).
    pub name: String,
    /// Date of birth, where recorded.
    pub birth_date: Option<Date>,
    /// Sex at birth, where recorded.
    pub sex: Option<Sex>,
}

impl Demographics {
    /// Age in whole years on `on`, where the birth date is known.
    pub fn age_on(&self, on: Date) -> Option<i32> {
        let birth = self.birth_date?;
        let mut age = on.year() - birth.year();
        if (on.month() as u8, on.day()) < (birth.month() as u8, birth.day()) {
            age -= 1;
        }
        Some(age)
    }
}

/// The conditions the twin knows how to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConditionKind {
    /// Essential hypertension.
    Hypertension,
    /// Isolated systolic hypertension.
    IsolatedSystolicHypertension,
    /// Coronary artery disease.
    CoronaryArteryDisease,
    /// Old or recent myocardial infarction.
    MyocardialInfarction,
    /// Heart failure with reduced ejection fraction.
    HeartFailureReducedEf,
    /// Heart failure, type not stated.
    HeartFailure,
    /// Type 2 diabetes.
    Type2Diabetes,
    /// Chronic kidney disease stage 3.
    ChronicKidneyDiseaseStage3,
    /// Chronic kidney disease, stage not stated.
    ChronicKidneyDisease,
    /// Atrial fibrillation.
    AtrialFibrillation,
    /// Hyperlipidaemia.
    Hyperlipidaemia,
    /// Familial hypercholesterolaemia.
    FamilialHypercholesterolaemia,
    /// Ischaemic stroke or TIA.
    Stroke,
    /// Peripheral artery disease.
    PeripheralArteryDisease,
    /// Second- or third-degree atrioventricular block.
    HighGradeAvBlock,
    /// Liver disease (hepatitis, cirrhosis, hepatic failure).
    LiverDisease,
    /// Pregnancy.
    Pregnancy,
    /// Chronic obstructive pulmonary disease (MAGGIC uses it).
    Copd,
    /// Abdominal aortic aneurysm (SMART2 uses it).
    AorticAneurysm,
    /// Angioedema, at any time (an ACE inhibitor is contraindicated after it, resolved or not).
    Angioedema,
    /// Frailty (the ESC 2024 hypertension guideline relaxes BP targets for it).
    Frailty,
    /// Orthostatic (postural) hypotension.
    OrthostaticHypotension,
    /// Falls, or a history of falls.
    HistoryOfFalls,
    /// Hyponatraemia, at any time (a thiazide is avoided after it).
    Hyponatraemia,
    /// Left bundle-branch block, from a coded diagnosis or an ECG's coded finding (cardiac
    /// resynchronisation is weighed on it with QRS duration).
    LeftBundleBranchBlock,
    /// Major bleeding in the past, or a predisposition to bleeding (a bleeding diathesis); the
    /// "B" of HAS-BLED (Pisters et al., Chest 2010). A history: resolved still counts.
    BleedingHistory,
    /// Alcohol excess (abuse, dependence, heavy drinking: 8 units a week or more), the alcohol
    /// "D" of HAS-BLED (Pisters et al., Chest 2010).
    AlcoholExcess,
}

impl ConditionKind {
    /// Established atherosclerotic cardiovascular disease, as the guidelines' "documented ASCVD"
    /// lists it (coronary disease or infarction, stroke, peripheral artery disease; ESC 2021
    /// prevention guideline, Visseren et al., Eur Heart J 2021;42:3227, Table 4; ACC/AHA 2018
    /// cholesterol guideline, "clinical ASCVD"). Coronary revascularisation counts too: see
    /// [`PatientRecord::has_ascvd`].
    pub const ATHEROSCLEROTIC: [ConditionKind; 4] = [
        ConditionKind::CoronaryArteryDisease,
        ConditionKind::MyocardialInfarction,
        ConditionKind::Stroke,
        ConditionKind::PeripheralArteryDisease,
    ];

    /// A label for people.
    pub fn label(self) -> &'static str {
        use ConditionKind as C;
        match self {
            C::Hypertension => "Hypertension",
            C::IsolatedSystolicHypertension => "Isolated systolic hypertension",
            C::CoronaryArteryDisease => "Coronary artery disease",
            C::MyocardialInfarction => "Myocardial infarction",
            C::HeartFailureReducedEf => "Heart failure with reduced EF",
            C::HeartFailure => "Heart failure",
            C::Type2Diabetes => "Type 2 diabetes",
            C::ChronicKidneyDiseaseStage3 => "Chronic kidney disease stage 3",
            C::ChronicKidneyDisease => "Chronic kidney disease",
            C::AtrialFibrillation => "Atrial fibrillation",
            C::Hyperlipidaemia => "Hyperlipidaemia",
            C::FamilialHypercholesterolaemia => "Familial hypercholesterolaemia",
            C::Stroke => "Stroke or TIA",
            C::PeripheralArteryDisease => "Peripheral artery disease",
            C::HighGradeAvBlock => "Second- or third-degree AV block",
            C::LiverDisease => "Liver disease",
            C::Pregnancy => "Pregnancy",
            C::Copd => "COPD",
            C::AorticAneurysm => "Abdominal aortic aneurysm",
            C::Angioedema => "Angioedema",
            C::Frailty => "Frailty",
            C::OrthostaticHypotension => "Orthostatic hypotension",
            C::HistoryOfFalls => "Falls",
            C::Hyponatraemia => "Hyponatraemia",
            C::LeftBundleBranchBlock => "Left bundle-branch block",
            C::BleedingHistory => "Bleeding history or predisposition",
            C::AlcoholExcess => "Alcohol excess",
        }
    }
}

/// A diagnosed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// What it is, when mapped; `None` keeps an unmapped code visible instead of dropping it.
    pub kind: Option<ConditionKind>,
    /// The source code as `system|code`, and its display text.
    pub code: String,
    /// Display text from the source.
    pub display: String,
    /// Onset, where recorded.
    pub onset: Option<Date>,
    /// Whether the condition is active (not resolved or abated).
    pub active: bool,
    /// Where it came from.
    pub source: Source,
}

/// A medication the patient was prescribed.
#[derive(Debug, Clone, PartialEq)]
pub struct Medication {
    /// Therapeutic class, where mapped.
    pub class: Option<DrugClass>,
    /// Active ingredient, lower case (e.g. `amlodipine`), where mapped.
    pub agent: Option<String>,
    /// Source code (`system|code`) and display.
    pub code: String,
    /// Display text from the source.
    pub display: String,
    /// Daily dose in mg, where stated.
    pub daily_dose_mg: Option<f64>,
    /// Dose relative to the class's standard dose, where the agent is known.
    pub dose_level: Option<DoseLevel>,
    /// First day taken.
    pub start: Option<Date>,
    /// Last day taken; `None` while ongoing.
    pub end: Option<Date>,
    /// Proportion of days covered by dispensing (0–1), where dispensing records exist.
    pub adherence: Option<f64>,
    /// Where it came from.
    pub source: Source,
}

impl Medication {
    /// Whether the medication is being taken on `on`.
    pub fn active_on(&self, on: Date) -> bool {
        self.start.is_none_or(|s| s <= on) && self.end.is_none_or(|e| e >= on)
    }
}

/// Procedures that change the twin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProcedureKind {
    /// Percutaneous coronary intervention (stent).
    Pci,
    /// Coronary artery bypass grafting.
    Cabg,
    /// Echocardiography.
    Echocardiogram,
}

/// A procedure.
#[derive(Debug, Clone, PartialEq)]
pub struct Procedure {
    /// What it is, where mapped.
    pub kind: Option<ProcedureKind>,
    /// Source code and display.
    pub code: String,
    /// Display text from the source.
    pub display: String,
    /// When it was done.
    pub date: Option<Date>,
    /// Where it came from.
    pub source: Source,
}

/// Smoking status as the risk equations use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmokingStatus {
    /// Smokes now.
    Current,
    /// Smoked in the past.
    Former,
    /// Never smoked.
    Never,
}

/// New York Heart Association functional class of heart failure (Criteria Committee of the NYHA,
/// 9th ed., 1994): I no limitation, II slight, III marked, IV symptoms at rest. MAGGIC uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NyhaClass {
    /// No limitation of physical activity.
    I,
    /// Slight limitation; ordinary activity causes symptoms.
    Ii,
    /// Marked limitation; less than ordinary activity causes symptoms.
    Iii,
    /// Symptoms at rest.
    Iv,
}

impl NyhaClass {
    /// The class as people write it ("NYHA III").
    pub fn label(self) -> &'static str {
        match self {
            NyhaClass::I => "NYHA I",
            NyhaClass::Ii => "NYHA II",
            NyhaClass::Iii => "NYHA III",
            NyhaClass::Iv => "NYHA IV",
        }
    }
}

/// The heart's rhythm on an ECG (or a rhythm observation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rhythm {
    /// Sinus rhythm (sinus bradycardia and tachycardia included).
    Sinus,
    /// Atrial fibrillation.
    AtrialFibrillation,
    /// Atrial flutter.
    AtrialFlutter,
    /// A rhythm recorded but not one of the above (or not one we map).
    Other,
}

impl Rhythm {
    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Rhythm::Sinus => "Sinus rhythm",
            Rhythm::AtrialFibrillation => "Atrial fibrillation",
            Rhythm::AtrialFlutter => "Atrial flutter",
            Rhythm::Other => "Other rhythm",
        }
    }

    /// A stable machine name (used as a JSON value).
    pub fn key(self) -> &'static str {
        match self {
            Rhythm::Sinus => "sinus",
            Rhythm::AtrialFibrillation => "atrial_fibrillation",
            Rhythm::AtrialFlutter => "atrial_flutter",
            Rhythm::Other => "other",
        }
    }
}

/// The whole harmonised record.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRecord {
    /// Logical id in the source system.
    pub id: String,
    /// Demographics.
    pub demographics: Demographics,
    /// Whether the source marks this patient as synthetic or test data.
    pub synthetic: bool,
    /// Every measurement series, each sorted by date.
    pub measurements: BTreeMap<MeasurementKind, Vec<Sample>>,
    /// Conditions.
    pub conditions: Vec<Condition>,
    /// Medications.
    pub medications: Vec<Medication>,
    /// Procedures.
    pub procedures: Vec<Procedure>,
    /// Smoking status over time.
    pub smoking: Vec<(Date, SmokingStatus, Source)>,
    /// Drug allergies and intolerances (active ones only are kept).
    pub allergies: Vec<Allergy>,
    /// NYHA functional class assessments over time.
    pub functional_class: Vec<(Date, NyhaClass, Source)>,
    /// Heart rhythm on ECGs (or rhythm observations) over time, sorted by date.
    pub rhythm: Vec<(Date, Rhythm, Source)>,
    /// Self-measured (home) BP readings, sorted by date and time. Kept out of the office
    /// `Sbp`/`Dbp` series on purpose: see [`crate::home_bp`].
    pub home_bp: Vec<HomeBpReading>,
    /// Polygenic risk scores for coronary disease from genomics reports, sorted by date; kept
    /// even when a value or the ancestry is missing, so the explanation can say why it was not
    /// applied.
    pub polygenic_scores: Vec<PolygenicScore>,
}

/// A drug allergy or intolerance from the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Allergy {
    /// The class it rules out, when the substance maps to one we model.
    pub class: Option<crate::drugs::DrugClass>,
    /// The substance as written.
    pub display: String,
    /// Whether a reaction on record is angioedema (SNOMED CT 41291007 or a descendant the
    /// source names; an ACE inhibitor is contraindicated after any angioedema).
    pub angioedema: bool,
    /// Where it came from.
    pub source: Source,
}

impl PatientRecord {
    /// An empty record for a patient.
    pub fn new(id: impl Into<String>, demographics: Demographics) -> Self {
        Self {
            id: id.into(),
            demographics,
            synthetic: false,
            measurements: BTreeMap::new(),
            conditions: Vec::new(),
            medications: Vec::new(),
            procedures: Vec::new(),
            smoking: Vec::new(),
            allergies: Vec::new(),
            functional_class: Vec::new(),
            rhythm: Vec::new(),
            home_bp: Vec::new(),
            polygenic_scores: Vec::new(),
        }
    }

    /// Whether the record shows established atherosclerotic disease: a condition of
    /// [`ConditionKind::ATHEROSCLEROTIC`] ever recorded, or a PCI or CABG.
    pub fn has_ascvd(&self) -> bool {
        self.conditions.iter().any(|c| c.kind.is_some_and(|k| ConditionKind::ATHEROSCLEROTIC.contains(&k)))
            || self.procedures.iter().any(|p| matches!(p.kind, Some(ProcedureKind::Pci | ProcedureKind::Cabg)))
    }

    /// Whether a condition of `kind` was ever recorded, active or resolved (a history: angioedema,
    /// hyponatraemia, falls).
    pub fn has_ever(&self, kind: ConditionKind) -> bool {
        self.conditions.iter().any(|c| c.kind == Some(kind))
    }

    /// Whether an active condition of `kind` is on record.
    pub fn has_active(&self, kind: ConditionKind) -> bool {
        self.conditions.iter().any(|c| c.active && c.kind == Some(kind))
    }

    /// Adds a sample, keeping the series sorted by date (stable for equal dates).
    pub fn push_sample(&mut self, kind: MeasurementKind, sample: Sample) {
        let series = self.measurements.entry(kind).or_default();
        let idx = series.partition_point(|s| s.date <= sample.date);
        series.insert(idx, sample);
    }

    /// The series for a kind (empty when none).
    pub fn series(&self, kind: MeasurementKind) -> &[Sample] {
        self.measurements.get(&kind).map_or(&[], Vec::as_slice)
    }

    /// The most recent sample of a kind.
    pub fn latest(&self, kind: MeasurementKind) -> Option<&Sample> {
        self.series(kind).last()
    }

    /// Medications being taken on `on`.
    pub fn active_medications(&self, on: Date) -> impl Iterator<Item = &Medication> {
        self.medications.iter().filter(move |m| m.active_on(on))
    }

    /// Whether an active condition of this kind is recorded.
    pub fn has_condition(&self, kind: ConditionKind) -> bool {
        self.conditions.iter().any(|c| c.active && c.kind == Some(kind))
    }

    /// The latest recorded heart rhythm, with its date and source.
    pub fn latest_rhythm(&self) -> Option<&(Date, Rhythm, Source)> {
        self.rhythm.iter().max_by_key(|(d, _, _)| *d)
    }

    /// The latest polygenic risk score on record.
    pub fn latest_polygenic_score(&self) -> Option<&PolygenicScore> {
        self.polygenic_scores.iter().max_by_key(|s| s.date)
    }

    /// The latest recorded smoking status.
    pub fn smoking_status(&self) -> Option<SmokingStatus> {
        self.smoking.iter().max_by_key(|(d, _, _)| *d).map(|(_, s, _)| *s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn src(n: u32) -> Source {
        Source { resource: format!("Observation/{n}") }
    }

    #[test]
    fn samples_stay_sorted_and_latest_is_last_by_date() {
        let demo =
            Demographics { name: "Test".into(), birth_date: Some(date!(1970 - 03 - 15)), sex: Some(Sex::Female) };
        let mut rec = PatientRecord::new("p", demo);
        for (n, (d, v)) in
            [(date!(2020 - 01 - 01), 150.0), (date!(2019 - 01 - 01), 160.0), (date!(2021 - 01 - 01), 140.0)]
                .into_iter()
                .enumerate()
        {
            rec.push_sample(MeasurementKind::Sbp, Sample { date: d, value: v, source: src(n as u32) });
        }
        let values: Vec<f64> = rec.series(MeasurementKind::Sbp).iter().map(|s| s.value).collect();
        assert_eq!(values, [160.0, 150.0, 140.0]);
        assert_eq!(rec.latest(MeasurementKind::Sbp).map(|s| s.value), Some(140.0));
        assert!(rec.latest(MeasurementKind::Lvef).is_none());
    }

    #[test]
    fn age_counts_birthdays() {
        let demo = Demographics { name: "T".into(), birth_date: Some(date!(1970 - 03 - 15)), sex: None };
        assert_eq!(demo.age_on(date!(2020 - 03 - 14)), Some(49));
        assert_eq!(demo.age_on(date!(2020 - 03 - 15)), Some(50));
    }
}

/// Genetic ancestry as a genomics report states it: the 1000 Genomes Project's continental
/// super-populations (1000 Genomes Project Consortium, Nature 2015;526:68), which the
/// validation studies' ancestry groups correspond to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ancestry {
    /// European (1000 Genomes `EUR`).
    European,
    /// African (`AFR`).
    African,
    /// East Asian (`EAS`).
    EastAsian,
    /// South Asian (`SAS`).
    SouthAsian,
    /// Admixed American (`AMR`).
    AdmixedAmerican,
    /// Stated, but not one of the above (kept as written).
    Other(String),
}

impl Ancestry {
    /// From a 1000 Genomes super-population code or its name (case-insensitive); anything else is
    /// kept as [`Ancestry::Other`].
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "eur" | "european" => Ancestry::European,
            "afr" | "african" => Ancestry::African,
            "eas" | "east asian" => Ancestry::EastAsian,
            "sas" | "south asian" => Ancestry::SouthAsian,
            "amr" | "admixed american" => Ancestry::AdmixedAmerican,
            _ => Ancestry::Other(text.trim().to_string()),
        }
    }

    /// The ancestry in words.
    pub fn label(&self) -> &str {
        match self {
            Ancestry::European => "European",
            Ancestry::African => "African",
            Ancestry::EastAsian => "East Asian",
            Ancestry::SouthAsian => "South Asian",
            Ancestry::AdmixedAmerican => "admixed American",
            Ancestry::Other(text) => text,
        }
    }
}

/// The score's value as reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScoreValue {
    /// Standard deviations from the validation cohort's mean.
    ZScore(f64),
    /// Percentile in the validation cohort, strictly between 0 and 100.
    Percentile(f64),
}

/// A polygenic risk score for coronary disease, from a genomics report.
#[derive(Debug, Clone, PartialEq)]
pub struct PolygenicScore {
    /// The score's name as reported (`metaGRS`, `GPS_CAD`).
    pub name: String,
    /// Its value; `None` when the report gives neither a z-score nor a usable percentile.
    pub value: Option<ScoreValue>,
    /// The genetic ancestry it was computed for; `None` when not stated.
    pub ancestry: Option<Ancestry>,
    /// When it was reported.
    pub date: Date,
    /// Where it came from.
    pub source: Source,
}
