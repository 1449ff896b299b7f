//! Units: what is measured ([`MeasurementKind`]), the canonical unit of each measurement, and
//! conversion into it from UCUM codes.
//!
//! Conversion happens once, at ingest. An unknown or missing unit is an error, never a guess:
//! a cholesterol of "5.2" could be mmol/L or a typo for 52 mg/dL, and only the unit tells.
//!
//! # References
//! - Cholesterol (total, LDL, HDL): 1 mmol/L = 38.67 mg/dL (molar mass of cholesterol 386.65 g/mol).
//! - Triglycerides: 1 mmol/L = 88.57 mg/dL (molar mass of triolein 885.7 g/mol).
//! - Creatinine: 1 mg/dL = 88.42 µmol/L (molar mass 113.12 g/mol).
//! - Glucose: 1 mmol/L = 18.016 mg/dL (molar mass 180.16 g/mol).
//! - HbA1c: NGSP % = 0.09148 × IFCC mmol/mol + 2.152 (Hoelzel W et al., Clin Chem 2004;50:166-174).
//! - Weight: 1 lb = 0.45359237 kg (international avoirdupois pound, exact).
//! - Urine albumin/creatinine ratio: 1 mg/mmol = 8.840 mg/g (creatinine 113.12 g/mol, so 1 mmol
//!   of creatinine weighs 0.11312 g); KDIGO 2024 CKD guideline, Table 5, lists both scales.
//! - Natriuretic peptides: 1 pmol/L of NT-proBNP = 8.457 pg/mL and 1 pmol/L of BNP = 3.464 pg/mL,
//!   their molar masses (NT-proBNP 1–76, 8457 g/mol; BNP-32 with its disulfide bond, 3464
//!   g/mol; both summed here from the residues of human proBNP, UniProt P16860, and the factor
//!   the Roche Elecsys proBNP II insert prints). ng/L is pg/mL.

use std::fmt;

/// A canonical unit in which the engine keeps a measurement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unit {
    /// Millimetres of mercury (pressures).
    MmHg,
    /// Beats per minute.
    PerMinute,
    /// Kilograms.
    Kilogram,
    /// Kilograms per square metre (BMI).
    KgPerM2,
    /// Millimoles per litre (lipids, potassium).
    MmolPerL,
    /// Micromoles per litre (creatinine).
    UmolPerL,
    /// Percent (HbA1c NGSP, ejection fraction).
    Percent,
    /// mL/min/1.73 m² (eGFR).
    MlPerMinPer173M2,
    /// A count (steps per day).
    Count,
    /// Hours (sleep per night).
    Hour,
    /// Milligrams of albumin per gram of creatinine (urine albumin/creatinine ratio).
    MgPerG,
    /// Milligrams per litre (C-reactive protein).
    MgPerL,
    /// Picograms per millilitre (natriuretic peptides).
    PgPerMl,
    /// Milliseconds (ECG intervals).
    Millisecond,
}

impl Unit {
    /// The UCUM code we write for this unit.
    pub fn ucum(self) -> &'static str {
        match self {
            Unit::MmHg => "mm[Hg]",
            Unit::PerMinute => "/min",
            Unit::Kilogram => "kg",
            Unit::KgPerM2 => "kg/m2",
            Unit::MmolPerL => "mmol/L",
            Unit::UmolPerL => "umol/L",
            Unit::Percent => "%",
            Unit::MlPerMinPer173M2 => "mL/min/{1.73_m2}",
            Unit::Count => "{steps}",
            Unit::Hour => "h",
            Unit::MgPerG => "mg/g",
            Unit::MgPerL => "mg/L",
            Unit::PgPerMl => "pg/mL",
            Unit::Millisecond => "ms",
        }
    }

    /// A short human-readable symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::MmHg => "mmHg",
            Unit::PerMinute => "bpm",
            Unit::Kilogram => "kg",
            Unit::KgPerM2 => "kg/m²",
            Unit::MmolPerL => "mmol/L",
            Unit::UmolPerL => "µmol/L",
            Unit::Percent => "%",
            Unit::MlPerMinPer173M2 => "mL/min/1.73m²",
            Unit::Count => "steps",
            Unit::Hour => "h",
            Unit::MgPerG => "mg/g",
            Unit::MgPerL => "mg/L",
            Unit::PgPerMl => "pg/mL",
            Unit::Millisecond => "ms",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

/// What a measurement measures. Each kind has exactly one canonical unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeasurementKind {
    /// Systolic blood pressure.
    Sbp,
    /// Diastolic blood pressure.
    Dbp,
    /// Heart rate (clinic).
    HeartRate,
    /// Body weight.
    Weight,
    /// Body-mass index.
    Bmi,
    /// Total cholesterol.
    TotalCholesterol,
    /// LDL cholesterol.
    LdlCholesterol,
    /// HDL cholesterol.
    HdlCholesterol,
    /// Triglycerides.
    Triglycerides,
    /// Haemoglobin A1c (NGSP %).
    Hba1c,
    /// Serum creatinine.
    Creatinine,
    /// Estimated GFR as reported by the laboratory.
    Egfr,
    /// Serum potassium.
    Potassium,
    /// Serum sodium.
    Sodium,
    /// Left-ventricular ejection fraction.
    Lvef,
    /// Resting heart rate from a wearable, daily.
    WearableRestingHeartRate,
    /// Steps per day from a wearable.
    Steps,
    /// Sleep per night from a wearable.
    SleepDuration,
    /// Urine albumin/creatinine ratio (spot urine).
    Uacr,
    /// C-reactive protein (standard or high-sensitivity assay); SMART2 uses it.
    Crp,
    /// N-terminal pro-B-type natriuretic peptide (NT-proBNP).
    NtProBnp,
    /// B-type natriuretic peptide (BNP). Not interchangeable with NT-proBNP: kept apart.
    Bnp,
    /// QRS duration on a 12-lead ECG.
    QrsDuration,
}

impl MeasurementKind {
    /// Every kind, in display order.
    pub const ALL: [MeasurementKind; 23] = [
        Self::Sbp,
        Self::Dbp,
        Self::HeartRate,
        Self::Weight,
        Self::Bmi,
        Self::TotalCholesterol,
        Self::LdlCholesterol,
        Self::HdlCholesterol,
        Self::Triglycerides,
        Self::Hba1c,
        Self::Creatinine,
        Self::Egfr,
        Self::Uacr,
        Self::Crp,
        Self::Potassium,
        Self::Sodium,
        Self::Lvef,
        Self::NtProBnp,
        Self::Bnp,
        Self::QrsDuration,
        Self::WearableRestingHeartRate,
        Self::Steps,
        Self::SleepDuration,
    ];

    /// The unit the engine keeps this measurement in.
    pub fn canonical_unit(self) -> Unit {
        use MeasurementKind as K;
        match self {
            K::Sbp | K::Dbp => Unit::MmHg,
            K::HeartRate | K::WearableRestingHeartRate => Unit::PerMinute,
            K::Weight => Unit::Kilogram,
            K::Bmi => Unit::KgPerM2,
            K::TotalCholesterol
            | K::LdlCholesterol
            | K::HdlCholesterol
            | K::Triglycerides
            | K::Potassium
            | K::Sodium => Unit::MmolPerL,
            K::Hba1c | K::Lvef => Unit::Percent,
            K::Creatinine => Unit::UmolPerL,
            K::Egfr => Unit::MlPerMinPer173M2,
            K::Steps => Unit::Count,
            K::SleepDuration => Unit::Hour,
            K::Uacr => Unit::MgPerG,
            K::Crp => Unit::MgPerL,
            K::NtProBnp | K::Bnp => Unit::PgPerMl,
            K::QrsDuration => Unit::Millisecond,
        }
    }

    /// The values, in the canonical unit, that a living adult can have; anything outside is an
    /// entry error or a unit mix-up and is set aside before the twin sees it.
    ///
    /// The limits are ours, set wide enough to keep every real measurement, including the
    /// extremes reported in practice: LDL-C up to about 26 mmol/L (1000 mg/dL) in homozygous
    /// familial hypercholesterolaemia (Cuchel et al., Eur Heart J 2014;35:2146); triglycerides
    /// above 100 mmol/L in familial chylomicronaemia (Brahm & Hegele, Nat Rev Endocrinol
    /// 2015;11:352); heart rates near 300/min in atrial flutter with 1:1 conduction; systolic
    /// pressures near 300 mmHg in hypertensive emergencies. They screen out impossible values,
    /// not abnormal ones.
    pub fn plausible_range(self) -> (f64, f64) {
        use MeasurementKind as K;
        match self {
            K::Sbp => (50.0, 300.0),
            K::Dbp => (20.0, 200.0),
            K::HeartRate => (20.0, 300.0),
            K::WearableRestingHeartRate => (20.0, 250.0),
            K::Weight => (20.0, 650.0),
            K::Bmi => (10.0, 210.0),
            K::TotalCholesterol => (0.5, 40.0),
            K::LdlCholesterol => (0.05, 40.0),
            K::HdlCholesterol => (0.05, 10.0),
            K::Triglycerides => (0.1, 250.0),
            K::Hba1c => (2.0, 25.0),
            K::Creatinine => (10.0, 3000.0),
            K::Egfr => (1.0, 200.0),
            K::Potassium => (1.0, 10.0),
            // Wide enough for the extremes of case reports (severe hyponatraemia near 100 mmol/L,
            // salt poisoning far above 200); outside it a value is an entry error.
            K::Sodium => (80.0, 260.0),
            K::Lvef => (5.0, 90.0),
            K::Steps => (0.0, 100_000.0),
            K::SleepDuration => (0.0, 24.0),
            K::Uacr => (0.0, 30_000.0),
            // Above 500 mg/L is beyond what septic shock produces (Póvoa, Intensive Care Med 2002;28:235).
            K::Crp => (0.0, 1_000.0),
            // Ours, not a guideline's: below the assays' lower limits of about 5 pg/mL
            // (NT-proBNP) and 2 pg/mL (BNP) a figure is not a measurement; the upper limits sit
            // above the assays' measuring ranges (Roche Elecsys proBNP II reads to 35 000 pg/mL,
            // higher after dilution; BNP assays to about 5000 pg/mL), which the sickest patients
            // in cardiogenic shock or on dialysis reach.
            K::NtProBnp => (5.0, 70_000.0),
            K::Bnp => (2.0, 5_000.0),
            // Ours: a QRS narrower than 60 ms is not a human complex; wider than 250 ms is
            // beyond even the broadest paced or hyperkalaemic complexes reported.
            K::QrsDuration => (60.0, 250.0),
        }
    }

    /// Whether `value` (canonical unit) lies within [`MeasurementKind::plausible_range`].
    pub fn is_plausible(self, value: f64) -> bool {
        let (lo, hi) = self.plausible_range();
        value.is_finite() && (lo..=hi).contains(&value)
    }

    /// A stable machine name (used as a JSON key).
    pub fn key(self) -> &'static str {
        use MeasurementKind as K;
        match self {
            K::Sbp => "sbp",
            K::Dbp => "dbp",
            K::HeartRate => "heart_rate",
            K::Weight => "weight",
            K::Bmi => "bmi",
            K::TotalCholesterol => "total_cholesterol",
            K::LdlCholesterol => "ldl_cholesterol",
            K::HdlCholesterol => "hdl_cholesterol",
            K::Triglycerides => "triglycerides",
            K::Hba1c => "hba1c",
            K::Creatinine => "creatinine",
            K::Egfr => "egfr",
            K::Potassium => "potassium",
            K::Sodium => "sodium",
            K::Lvef => "lvef",
            K::WearableRestingHeartRate => "wearable_resting_heart_rate",
            K::Steps => "steps",
            K::SleepDuration => "sleep_duration",
            K::Uacr => "uacr",
            K::Crp => "crp",
            K::NtProBnp => "nt_probnp",
            K::Bnp => "bnp",
            K::QrsDuration => "qrs_duration",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        use MeasurementKind as K;
        match self {
            K::Sbp => "Systolic BP",
            K::Dbp => "Diastolic BP",
            K::HeartRate => "Heart rate",
            K::Weight => "Weight",
            K::Bmi => "BMI",
            K::TotalCholesterol => "Total cholesterol",
            K::LdlCholesterol => "LDL cholesterol",
            K::HdlCholesterol => "HDL cholesterol",
            K::Triglycerides => "Triglycerides",
            K::Hba1c => "HbA1c",
            K::Creatinine => "Creatinine",
            K::Egfr => "eGFR",
            K::Potassium => "Potassium",
            K::Sodium => "Sodium",
            K::Lvef => "LV ejection fraction",
            K::WearableRestingHeartRate => "Resting heart rate (wearable)",
            K::Steps => "Steps per day (wearable)",
            K::SleepDuration => "Sleep (wearable)",
            K::Uacr => "Urine albumin/creatinine ratio",
            K::Crp => "C-reactive protein",
            K::NtProBnp => "NT-proBNP",
            K::Bnp => "BNP",
            K::QrsDuration => "QRS duration",
        }
    }
}

impl fmt::Display for MeasurementKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Why a value could not be brought into its canonical unit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UnitError {
    /// The value carried no unit at all.
    #[error("no unit given for {kind}")]
    Missing {
        /// What was measured.
        kind: MeasurementKind,
    },
    /// The unit is not one we know how to convert for this measurement.
    #[error("unit '{unit}' is not known for {kind}")]
    Unknown {
        /// What was measured.
        kind: MeasurementKind,
        /// The unit as written in the source when it looks like a unit; free text (which could
        /// be anything a person typed, even a name) is not repeated.
        unit: String,
    },
    /// The value is not a finite number.
    #[error("value for {kind} is not a finite number")]
    NotFinite {
        /// What was measured.
        kind: MeasurementKind,
    },
}

/// mg/dL per mmol/L for cholesterol (see module references).
pub const CHOLESTEROL_MG_DL_PER_MMOL_L: f64 = 38.67;
/// mg/dL per mmol/L for triglycerides (see module references).
pub const TRIGLYCERIDE_MG_DL_PER_MMOL_L: f64 = 88.57;
/// µmol/L per mg/dL for creatinine (see module references).
pub const CREATININE_UMOL_L_PER_MG_DL: f64 = 88.42;
/// mg/g per mg/mmol for the urine albumin/creatinine ratio (see module references).
pub const UACR_MG_G_PER_MG_MMOL: f64 = 1000.0 / 113.12;
/// kg per lb (exact).
pub const KG_PER_LB: f64 = 0.453_592_37;
/// pg/mL per pmol/L for NT-proBNP (see module references).
pub const NT_PROBNP_PG_ML_PER_PMOL_L: f64 = 8.457;
/// pg/mL per pmol/L for BNP (see module references).
pub const BNP_PG_ML_PER_PMOL_L: f64 = 3.464;

/// Normalises a UCUM code or a common free-text unit for matching: trims, and folds case
/// where case carries no meaning for the units we accept.
fn normalise(unit: &str) -> String {
    unit.trim().replace(' ', "").to_ascii_lowercase()
}

/// A unit as it may appear in a message: a short unit-like token as written, anything else
/// replaced, so free text from a record never reaches a message.
fn unit_for_message(raw: &str) -> String {
    let unit_chars = raw.chars().all(|c| c.is_ascii_alphanumeric() || "/[]{}%.*^_-".contains(c));
    let letters_only = raw.chars().all(|c| c.is_ascii_alphabetic());
    if !raw.is_empty() && raw.len() <= 12 && unit_chars && (!letters_only || raw.len() <= 3) {
        raw.to_string()
    } else {
        "(free text)".to_string()
    }
}

/// Converts `value` written in `unit` (a UCUM code, or the plain spelling EHRs commonly use)
/// into the canonical unit of `kind`.
///
/// # Errors
/// [`UnitError::Missing`] when `unit` is `None` or empty (except for counts, where a bare
/// number is unambiguous), [`UnitError::Unknown`] when the unit is not one we convert for
/// this measurement, [`UnitError::NotFinite`] for NaN or infinity.
pub fn to_canonical(kind: MeasurementKind, value: f64, unit: Option<&str>) -> Result<f64, UnitError> {
    if !value.is_finite() {
        return Err(UnitError::NotFinite { kind });
    }
    let raw = unit.map(str::trim).filter(|u| !u.is_empty());
    let Some(raw) = raw else {
        return if kind.canonical_unit() == Unit::Count { Ok(value) } else { Err(UnitError::Missing { kind }) };
    };
    let u = normalise(raw);
    let unknown = || UnitError::Unknown { kind, unit: unit_for_message(raw) };
    use MeasurementKind as K;
    let converted = match kind.canonical_unit() {
        Unit::MmHg => match u.as_str() {
            "mm[hg]" | "mmhg" => value,
            _ => return Err(unknown()),
        },
        Unit::PerMinute => match u.as_str() {
            "/min" | "{beats}/min" | "beats/min" | "bpm" | "{beat}/min" | "1/min" => value,
            _ => return Err(unknown()),
        },
        Unit::Kilogram => match u.as_str() {
            "kg" => value,
            "g" => value / 1000.0,
            "[lb_av]" | "lb" | "lbs" => value * KG_PER_LB,
            _ => return Err(unknown()),
        },
        Unit::KgPerM2 => match u.as_str() {
            "kg/m2" | "kg/m^2" | "kg/m²" => value,
            _ => return Err(unknown()),
        },
        Unit::MmolPerL => {
            let mg_dl_factor = match kind {
                K::TotalCholesterol | K::LdlCholesterol | K::HdlCholesterol => Some(CHOLESTEROL_MG_DL_PER_MMOL_L),
                K::Triglycerides => Some(TRIGLYCERIDE_MG_DL_PER_MMOL_L),
                _ => None,
            };
            match (u.as_str(), mg_dl_factor) {
                ("mmol/l", _) => value,
                // Potassium and sodium are monovalent: mEq/L equals mmol/L.
                ("meq/l", None) if matches!(kind, K::Potassium | K::Sodium) => value,
                ("mg/dl", Some(f)) => value / f,
                _ => return Err(unknown()),
            }
        }
        Unit::UmolPerL => match u.as_str() {
            "umol/l" | "µmol/l" => value,
            "mg/dl" => value * CREATININE_UMOL_L_PER_MG_DL,
            _ => return Err(unknown()),
        },
        Unit::Percent => match (u.as_str(), kind) {
            ("%", _) => value,
            ("mmol/mol", K::Hba1c) => 0.09148 * value + 2.152,
            _ => return Err(unknown()),
        },
        Unit::MlPerMinPer173M2 => match u.as_str() {
            "ml/min/{1.73_m2}" | "ml/min/1.73m2" | "ml/min/{1.73m2}" | "ml/min/1.73m^2" => value,
            // Every eGFR LOINC code we map is defined per 1.73 m² ("GFR/1.73 sq M.predicted"), so a
            // bare mL/min (as Synthea writes) states the same quantity; the code, not the unit
            // string, fixes the normalisation. A measured clearance has other codes, unmapped here.
            "ml/min" => value,
            _ => return Err(unknown()),
        },
        Unit::Count => match u.as_str() {
            "{steps}" | "{count}" | "/d" | "{steps}/d" | "1" | "steps" => value,
            _ => return Err(unknown()),
        },
        Unit::Hour => match u.as_str() {
            "h" | "hr" | "hours" => value,
            "min" => value / 60.0,
            _ => return Err(unknown()),
        },
        Unit::MgPerG => match u.as_str() {
            // µg/mg is the same ratio as mg/g.
            "mg/g" | "mg/g{creat}" | "mg/g{cre}" | "ug/mg" | "µg/mg" | "ug/mg{creat}" => value,
            "mg/mmol" | "mg/mmol{creat}" | "mg/mmol{cre}" => value * UACR_MG_G_PER_MG_MMOL,
            _ => return Err(unknown()),
        },
        Unit::MgPerL => match u.as_str() {
            "mg/l" => value,
            "mg/dl" => value * 10.0,
            _ => return Err(unknown()),
        },
        Unit::PgPerMl => {
            let per_pmol = if kind == K::Bnp { BNP_PG_ML_PER_PMOL_L } else { NT_PROBNP_PG_ML_PER_PMOL_L };
            match u.as_str() {
                "pg/ml" | "ng/l" => value,
                "ng/ml" | "ug/l" | "µg/l" => value * 1000.0,
                "pmol/l" => value * per_pmol,
                _ => return Err(unknown()),
            }
        }
        Unit::Millisecond => match u.as_str() {
            "ms" | "msec" => value,
            "s" => value * 1000.0,
            _ => return Err(unknown()),
        },
    };
    Ok(converted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use MeasurementKind as K;

    #[test]
    fn cholesterol_and_triglycerides_use_their_own_factors() {
        let tc = to_canonical(K::TotalCholesterol, 193.35, Some("mg/dL")).unwrap();
        assert!((tc - 5.0).abs() < 1e-9);
        let tg = to_canonical(K::Triglycerides, 177.14, Some("mg/dL")).unwrap();
        assert!((tg - 2.0).abs() < 1e-9);
    }

    #[test]
    fn creatinine_pounds_and_hba1c_convert() {
        assert!((to_canonical(K::Creatinine, 1.0, Some("mg/dL")).unwrap() - 88.42).abs() < 1e-9);
        assert!((to_canonical(K::Weight, 100.0, Some("[lb_av]")).unwrap() - 45.359237).abs() < 1e-9);
        // IFCC 53 mmol/mol is NGSP 7.0 %.
        assert!((to_canonical(K::Hba1c, 53.0, Some("mmol/mol")).unwrap() - 7.0).abs() < 0.01);
        // KDIGO's A2 threshold: 3 mg/mmol is 30 mg/g (the guideline rounds 26.5 to 30).
        assert!((to_canonical(K::Uacr, 3.0, Some("mg/mmol")).unwrap() - 26.52).abs() < 0.01);
        assert_eq!(to_canonical(K::Uacr, 30.0, Some("mg/g")), Ok(30.0));
    }

    #[test]
    fn unknown_and_missing_units_are_errors_not_guesses() {
        assert_eq!(
            to_canonical(K::LdlCholesterol, 3.0, Some("g/L")),
            Err(UnitError::Unknown { kind: K::LdlCholesterol, unit: "g/L".into() })
        );
        assert_eq!(to_canonical(K::Sbp, 120.0, None), Err(UnitError::Missing { kind: K::Sbp }));
        assert!(to_canonical(K::Sbp, f64::NAN, Some("mm[Hg]")).is_err());
        // mg/dL is meaningless for potassium without a molar mass we do not assume.
        assert!(to_canonical(K::Potassium, 4.0, Some("mg/dL")).is_err());
    }

    #[test]
    fn natriuretic_peptides_and_qrs_convert() {
        // ng/L is pg/mL; pmol/L by each peptide's own molar mass.
        assert_eq!(to_canonical(K::NtProBnp, 1450.0, Some("ng/L")), Ok(1450.0));
        assert!((to_canonical(K::NtProBnp, 100.0, Some("pmol/L")).unwrap() - 845.7).abs() < 1e-9);
        assert!((to_canonical(K::Bnp, 100.0, Some("pmol/L")).unwrap() - 346.4).abs() < 1e-9);
        assert!((to_canonical(K::NtProBnp, 1.2, Some("ng/mL")).unwrap() - 1200.0).abs() < 1e-9);
        assert!((to_canonical(K::QrsDuration, 0.152, Some("s")).unwrap() - 152.0).abs() < 1e-9);
        // A unit we do not convert is an error naming it, never a guess.
        assert_eq!(
            to_canonical(K::NtProBnp, 2.0, Some("mg/dL")),
            Err(UnitError::Unknown { kind: K::NtProBnp, unit: "mg/dL".into() })
        );
        assert_eq!(to_canonical(K::Bnp, 300.0, None), Err(UnitError::Missing { kind: K::Bnp }));
        assert!(K::NtProBnp.is_plausible(1450.0) && !K::NtProBnp.is_plausible(80_000.0));
        assert!(K::QrsDuration.is_plausible(152.0) && !K::QrsDuration.is_plausible(0.152));
    }

    #[test]
    fn every_canonical_ucum_code_converts_to_itself() {
        for kind in K::ALL {
            let unit = kind.canonical_unit().ucum();
            assert_eq!(to_canonical(kind, 1.5, Some(unit)), Ok(1.5), "{kind:?} {unit}");
        }
    }
}
