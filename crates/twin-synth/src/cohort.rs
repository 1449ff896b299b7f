//! The demo cohort: who the synthetic patients are.
//!
//! Each profile is a clinical sketch (conditions, drugs with start and stop, procedures,
//! untreated baseline values); [`crate::history`] turns a profile into years of visits.
//! Every patient is fictional; every bundle is tagged as test data.

use twin_engine::record::{NyhaClass, Rhythm, Sex};

/// Which units a patient's laboratory reports in (US labs report mass units, European labs
/// molar units), so ingest is exercised on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabUnits {
    /// mg/dL for lipids and creatinine.
    Mass,
    /// mmol/L for lipids, µmol/L for creatinine.
    Molar,
}

/// Smoking history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Smoking {
    /// Never smoked.
    Never,
    /// Smokes throughout.
    Current,
    /// Quit `years_ago` before the record's end.
    Quit {
        /// Years before the end of the record.
        years_ago: f64,
    },
}

/// A coded condition: SNOMED CT and ICD-10-CM.
#[derive(Debug, Clone, Copy)]
pub struct Diagnosis {
    /// SNOMED CT concept id.
    pub snomed: &'static str,
    /// ICD-10-CM code.
    pub icd10: &'static str,
    /// Display text.
    pub display: &'static str,
    /// Years before the end of the record.
    pub onset_years_ago: f64,
}

/// A prescribed drug over a period.
#[derive(Debug, Clone, Copy)]
pub struct Prescription {
    /// Ingredient name, as in `twin_engine::formulary::AGENTS`.
    pub agent: &'static str,
    /// Dose per administration, mg.
    pub dose_mg: f64,
    /// Administrations per day.
    pub per_day: u32,
    /// Years before the end of the record when it started.
    pub start_years_ago: f64,
    /// Years before the end when it stopped; `None` while ongoing.
    pub stop_years_ago: Option<f64>,
    /// Refills with gaps (poor adherence): dispensing records are written.
    pub erratic_refills: bool,
}

/// A procedure.
#[derive(Debug, Clone, Copy)]
pub struct Intervention {
    /// SNOMED CT concept id.
    pub snomed: &'static str,
    /// Display text.
    pub display: &'static str,
    /// Years before the end of the record.
    pub years_ago: f64,
}

/// A 12-lead ECG near the end of the record.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ecg {
    /// Years before the end of the record.
    pub years_ago: f64,
    /// The rhythm.
    pub rhythm: Rhythm,
    /// QRS duration, ms.
    pub qrs_ms: f64,
    /// Whether the QRS has a left bundle-branch block morphology.
    pub lbbb: bool,
}

/// Untreated baseline physiology at the start of the record.
#[derive(Debug, Clone, Copy)]
pub struct Baseline {
    /// SBP, mmHg.
    pub sbp: f64,
    /// DBP, mmHg.
    pub dbp: f64,
    /// Heart rate, bpm.
    pub hr: f64,
    /// Weight, kg.
    pub weight: f64,
    /// Height, m.
    pub height: f64,
    /// LDL-C, mmol/L.
    pub ldl: f64,
    /// HDL-C, mmol/L.
    pub hdl: f64,
    /// Triglycerides, mmol/L.
    pub tg: f64,
    /// HbA1c, %.
    pub hba1c: f64,
    /// Creatinine, µmol/L.
    pub creatinine: f64,
    /// LVEF, %, where echo is part of the story.
    pub lvef: Option<f64>,
    /// Potassium, mmol/L, where it is monitored.
    pub potassium: Option<f64>,
    /// Urine albumin/creatinine ratio, mg/g, where it is monitored (yearly in diabetes and CKD:
    /// ADA Standards of Care 2024 §11; KDIGO 2024 CKD guideline).
    pub uacr: Option<f64>,
    /// C-reactive protein, mg/L, where it is measured (yearly in the coronary patients, as
    /// SMART2 uses it).
    pub crp: Option<f64>,
    /// NYHA class, where heart failure is followed.
    pub nyha: Option<NyhaClass>,
    /// NT-proBNP at the first and at the last laboratory visit, pg/mL, where heart failure is
    /// followed by it; the visits between fall on the geometric line between them.
    pub nt_probnp: Option<(f64, f64)>,
    /// An ECG, where the story has one.
    pub ecg: Option<Ecg>,
}

/// One synthetic patient.
#[derive(Debug, Clone)]
pub struct Profile {
    /// File and id stem.
    pub slug: &'static str,
    /// One-line clinical summary (in the bundle's narrative).
    pub summary: &'static str,
    /// Given name.
    pub given: &'static str,
    /// Family name.
    pub family: &'static str,
    /// Sex at birth.
    pub sex: Sex,
    /// Age at the end of the record, years.
    pub age: u32,
    /// Length of the record, years.
    pub years: u32,
    /// Mean months between clinic visits.
    pub visit_months: u32,
    /// Lab units.
    pub lab_units: LabUnits,
    /// Baseline physiology.
    pub baseline: Baseline,
    /// Diagnoses.
    pub diagnoses: Vec<Diagnosis>,
    /// Drugs.
    pub prescriptions: Vec<Prescription>,
    /// Procedures.
    pub procedures: Vec<Intervention>,
    /// Smoking.
    pub smoking: Smoking,
    /// Writes a month of daily wearable data.
    pub wearable: bool,
}

const HTN: (&str, &str, &str) = ("38341003", "I10", "Essential hypertension");

fn dx((snomed, icd10, display): (&'static str, &'static str, &'static str), onset_years_ago: f64) -> Diagnosis {
    Diagnosis { snomed, icd10, display, onset_years_ago }
}

fn rx(agent: &'static str, dose_mg: f64, per_day: u32, start_years_ago: f64) -> Prescription {
    Prescription { agent, dose_mg, per_day, start_years_ago, stop_years_ago: None, erratic_refills: false }
}

fn base(sbp: f64, dbp: f64, hr: f64, weight: f64, height: f64, ldl: f64, hdl: f64) -> Baseline {
    Baseline {
        sbp,
        dbp,
        hr,
        weight,
        height,
        ldl,
        hdl,
        tg: 1.5,
        hba1c: 5.4,
        creatinine: 80.0,
        lvef: None,
        potassium: None,
        uacr: None,
        crp: None,
        nyha: None,
        nt_probnp: None,
        ecg: None,
    }
}

/// The twelve demo patients, in file order.
pub fn profiles() -> Vec<Profile> {
    let pci = Intervention { snomed: "415070008", display: "Percutaneous coronary intervention", years_ago: 3.0 };
    let cad = ("53741008", "I25.10", "Coronary arteriosclerosis");
    let t2dm = ("44054006", "E11.9", "Diabetes mellitus type 2");
    vec![
        Profile {
            slug: "01-uncontrolled-hypertension",
            summary: "Hypertension uncontrolled on ACE inhibitor monotherapy",
            given: "Walter",
            family: "Brennan",
            sex: Sex::Male,
            age: 58,
            years: 7,
            visit_months: 3,
            lab_units: LabUnits::Mass,
            baseline: Baseline { tg: 1.9, ..base(169.0, 99.0, 76.0, 94.0, 1.78, 3.4, 1.1) },
            diagnoses: vec![dx(HTN, 6.0)],
            prescriptions: vec![rx("lisinopril", 10.0, 1, 5.5)],
            procedures: vec![],
            smoking: Smoking::Quit { years_ago: 9.0 },
            wearable: false,
        },
        Profile {
            slug: "02-post-pci-coronary-disease",
            summary: "Coronary artery disease, NSTEMI treated with PCI three years ago; statin, antiplatelets",
            given: "Henrik",
            family: "Lund",
            sex: Sex::Male,
            age: 64,
            years: 8,
            visit_months: 4,
            lab_units: LabUnits::Molar,
            baseline: Baseline { lvef: Some(52.0), crp: Some(1.8), ..base(138.0, 84.0, 72.0, 86.0, 1.80, 3.9, 1.0) },
            diagnoses: vec![
                dx(cad, 3.0),
                dx(("401303003", "I21.4", "Acute non-ST segment elevation myocardial infarction"), 3.0),
            ],
            prescriptions: vec![
                rx("atorvastatin", 80.0, 1, 3.0),
                rx("aspirin", 81.0, 1, 3.0),
                Prescription { stop_years_ago: Some(2.0), ..rx("clopidogrel", 75.0, 1, 3.0) },
                rx("metoprolol", 100.0, 1, 3.0),
            ],
            procedures: vec![pci],
            smoking: Smoking::Quit { years_ago: 3.0 },
            wearable: false,
        },
        Profile {
            slug: "03-heart-failure-reduced-ef",
            summary: "Heart failure with reduced ejection fraction (LVEF 30-35%) on guideline-directed therapy",
            given: "Miguel",
            family: "Ortega",
            sex: Sex::Male,
            age: 67,
            years: 6,
            visit_months: 3,
            lab_units: LabUnits::Mass,
            baseline: Baseline {
                lvef: Some(33.0),
                potassium: Some(4.4),
                creatinine: 97.0,
                nyha: Some(NyhaClass::Ii),
                nt_probnp: Some((2100.0, 1450.0)),
                ecg: Some(Ecg { years_ago: 0.1, rhythm: Rhythm::Sinus, qrs_ms: 152.0, lbbb: true }),
                ..base(142.0, 88.0, 84.0, 88.0, 1.74, 2.8, 1.1)
            },
            diagnoses: vec![
                dx(("703272007", "I50.22", "Heart failure with reduced ejection fraction"), 4.0),
                dx(HTN, 10.0),
            ],
            prescriptions: vec![
                rx("ramipril", 5.0, 2, 4.0),
                rx("carvedilol", 25.0, 2, 3.8),
                rx("spironolactone", 25.0, 1, 3.5),
                rx("dapagliflozin", 10.0, 1, 2.0),
                rx("furosemide", 40.0, 1, 4.0),
            ],
            procedures: vec![],
            smoking: Smoking::Quit { years_ago: 15.0 },
            wearable: true,
        },
        Profile {
            slug: "04-type2-diabetes-ckd3",
            summary: "Type 2 diabetes with chronic kidney disease stage 3",
            given: "Gloria",
            family: "Whitfield",
            sex: Sex::Female,
            age: 69,
            years: 9,
            visit_months: 4,
            lab_units: LabUnits::Mass,
            baseline: Baseline {
                hba1c: 7.6,
                creatinine: 101.0,
                tg: 2.1,
                potassium: Some(4.6),
                uacr: Some(85.0),
                ..base(146.0, 84.0, 78.0, 84.0, 1.62, 3.3, 1.2)
            },
            diagnoses: vec![
                dx(t2dm, 12.0),
                dx(("433144002", "N18.30", "Chronic kidney disease stage 3"), 3.0),
                dx(HTN, 8.0),
            ],
            prescriptions: vec![
                rx("metformin", 1000.0, 2, 9.0),
                rx("losartan", 50.0, 1, 7.5),
                rx("atorvastatin", 20.0, 1, 7.0),
            ],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: false,
        },
        Profile {
            slug: "05-healthy-45",
            summary: "Healthy 45-year-old, annual check-ups",
            given: "Amara",
            family: "Nwosu",
            sex: Sex::Female,
            age: 45,
            years: 5,
            visit_months: 12,
            lab_units: LabUnits::Molar,
            baseline: Baseline { tg: 1.0, ..base(116.0, 75.0, 64.0, 63.0, 1.68, 2.8, 1.6) },
            diagnoses: vec![],
            prescriptions: vec![],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: true,
        },
        Profile {
            slug: "06-isolated-systolic-hypertension",
            summary: "Older woman with isolated systolic hypertension",
            given: "Edith",
            family: "Marlowe",
            sex: Sex::Female,
            age: 78,
            years: 8,
            visit_months: 4,
            lab_units: LabUnits::Molar,
            baseline: Baseline { creatinine: 84.0, ..base(167.0, 77.0, 70.0, 64.0, 1.60, 3.0, 1.7) },
            diagnoses: vec![dx(("56218007", "I10", "Systolic hypertension"), 5.0)],
            prescriptions: vec![rx("amlodipine", 5.0, 1, 4.5), rx("indapamide", 2.5, 1, 2.0)],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: false,
        },
        Profile {
            slug: "07-smoker-high-ldl",
            summary: "Current smoker with high LDL cholesterol, statin started 18 months ago",
            given: "Travis",
            family: "Keller",
            sex: Sex::Male,
            age: 52,
            years: 6,
            visit_months: 6,
            lab_units: LabUnits::Mass,
            baseline: Baseline { tg: 2.3, ..base(134.0, 86.0, 80.0, 91.0, 1.82, 5.1, 0.9) },
            diagnoses: vec![dx(("55822004", "E78.5", "Hyperlipidemia"), 4.0)],
            prescriptions: vec![rx("rosuvastatin", 20.0, 1, 1.5)],
            procedures: vec![],
            smoking: Smoking::Current,
            wearable: false,
        },
        Profile {
            slug: "08-poor-adherence",
            summary: "Hypertension on two drugs with gaps between refills",
            given: "Darnell",
            family: "Price",
            sex: Sex::Male,
            age: 55,
            years: 5,
            visit_months: 3,
            lab_units: LabUnits::Mass,
            baseline: Baseline { ..base(162.0, 101.0, 79.0, 102.0, 1.76, 3.6, 1.0) },
            diagnoses: vec![dx(HTN, 5.0)],
            prescriptions: vec![
                Prescription { erratic_refills: true, ..rx("amlodipine", 10.0, 1, 4.0) },
                Prescription { erratic_refills: true, ..rx("losartan", 100.0, 1, 3.0) },
            ],
            procedures: vec![],
            smoking: Smoking::Current,
            wearable: false,
        },
        Profile {
            slug: "09-atrial-fibrillation",
            summary: "Atrial fibrillation with hypertension, anticoagulated, rate-controlled",
            given: "Ingrid",
            family: "Halvorsen",
            sex: Sex::Female,
            age: 73,
            years: 7,
            visit_months: 4,
            lab_units: LabUnits::Molar,
            baseline: Baseline {
                lvef: Some(58.0),
                ecg: Some(Ecg { years_ago: 0.1, rhythm: Rhythm::AtrialFibrillation, qrs_ms: 96.0, lbbb: false }),
                ..base(150.0, 88.0, 92.0, 71.0, 1.66, 3.1, 1.5)
            },
            diagnoses: vec![dx(("49436004", "I48.91", "Atrial fibrillation"), 3.0), dx(HTN, 7.0)],
            prescriptions: vec![
                rx("apixaban", 5.0, 2, 3.0),
                rx("bisoprolol", 5.0, 1, 3.0),
                rx("candesartan", 8.0, 1, 6.5),
            ],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: true,
        },
        Profile {
            slug: "10-familial-hypercholesterolaemia",
            summary: "Heterozygous familial hypercholesterolaemia on statin, ezetimibe and PCSK9 inhibitor",
            given: "Owen",
            family: "Prescott",
            sex: Sex::Male,
            age: 41,
            years: 10,
            visit_months: 6,
            lab_units: LabUnits::Molar,
            baseline: Baseline { tg: 1.3, ..base(124.0, 78.0, 66.0, 80.0, 1.83, 6.8, 1.2) },
            diagnoses: vec![dx(("398036000", "E78.01", "Familial hypercholesterolemia"), 10.0)],
            prescriptions: vec![
                rx("atorvastatin", 80.0, 1, 8.0),
                rx("ezetimibe", 10.0, 1, 5.0),
                rx("evolocumab", 10.0, 1, 2.0),
            ],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: false,
        },
        Profile {
            slug: "11-post-cabg-diabetes",
            summary: "Three-vessel coronary disease treated with CABG five years ago, type 2 diabetes",
            given: "Frank",
            family: "Delgado",
            sex: Sex::Male,
            age: 71,
            years: 9,
            visit_months: 4,
            lab_units: LabUnits::Mass,
            baseline: Baseline {
                hba1c: 7.9,
                lvef: Some(48.0),
                creatinine: 92.0,
                tg: 2.4,
                uacr: Some(40.0),
                crp: Some(3.1),
                ..base(148.0, 82.0, 74.0, 92.0, 1.72, 3.7, 0.95)
            },
            diagnoses: vec![dx(cad, 6.0), dx(t2dm, 11.0), dx(HTN, 9.0)],
            prescriptions: vec![
                rx("rosuvastatin", 40.0, 1, 5.0),
                rx("aspirin", 81.0, 1, 6.0),
                rx("metoprolol", 50.0, 2, 5.0),
                rx("lisinopril", 20.0, 1, 8.0),
                rx("metformin", 1000.0, 2, 10.0),
                rx("empagliflozin", 10.0, 1, 3.0),
            ],
            procedures: vec![Intervention {
                snomed: "232717009",
                display: "Coronary artery bypass grafting",
                years_ago: 5.0,
            }],
            smoking: Smoking::Quit { years_ago: 6.0 },
            wearable: false,
        },
        Profile {
            slug: "12-resistant-hypertension",
            summary: "Resistant hypertension on three drugs, spironolactone added a year ago",
            given: "Priya",
            family: "Raman",
            sex: Sex::Female,
            age: 60,
            years: 6,
            visit_months: 3,
            lab_units: LabUnits::Molar,
            baseline: Baseline {
                potassium: Some(4.1),
                uacr: Some(60.0),
                ..base(178.0, 104.0, 75.0, 88.0, 1.63, 3.2, 1.3)
            },
            diagnoses: vec![dx(HTN, 6.0)],
            prescriptions: vec![
                rx("amlodipine", 10.0, 1, 5.5),
                rx("lisinopril", 20.0, 1, 5.0),
                rx("hydrochlorothiazide", 25.0, 1, 4.0),
                rx("spironolactone", 25.0, 1, 1.0),
            ],
            procedures: vec![],
            smoking: Smoking::Never,
            wearable: false,
        },
    ]
}
