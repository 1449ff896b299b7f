//! How old the readings behind a twin are, as every answer built on a record carries them (the
//! twin, risk, projections, comparisons, the suggestion and the patient summary), and the
//! stale-data limits the clinician sets on the settings screen. The ages, the limits' defaults and
//! the words are the engine's (`twin_engine::twin::freshness`); this module only carries them.

use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

use twin_engine::record::PatientRecord;
use twin_engine::twin::{Freshness, InputAge, LimitGroup, StaleLimits};

use crate::error::{AppError, ErrorCode};
use crate::words::iso_date;

/// The stale-data limits, months per kind of reading, as the settings screen edits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StaleLimitsView {
    /// Blood pressure and the heart rate taken with it, months.
    pub blood_pressure_months: i32,
    /// Lipid profile (total, LDL and HDL cholesterol), months.
    pub lipids_months: i32,
    /// eGFR (or the creatinine it is computed from), months.
    pub egfr_months: i32,
    /// HbA1c, months.
    pub hba1c_months: i32,
}

impl From<StaleLimits> for StaleLimitsView {
    fn from(l: StaleLimits) -> Self {
        let months = |m: u32| i32::try_from(m).unwrap_or(i32::MAX);
        Self {
            blood_pressure_months: months(l.blood_pressure),
            lipids_months: months(l.lipids),
            egfr_months: months(l.kidney),
            hba1c_months: months(l.hba1c),
        }
    }
}

impl StaleLimitsView {
    /// The engine's limits, or what is wrong with them.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the first limit under 1 or over 120 months.
    pub fn checked(self) -> Result<StaleLimits, AppError> {
        let set = |l: StaleLimits, g: LimitGroup, m: i32| l.with(g, i64::from(m));
        set(StaleLimits::default(), LimitGroup::BloodPressure, self.blood_pressure_months)
            .and_then(|l| set(l, LimitGroup::Lipids, self.lipids_months))
            .and_then(|l| set(l, LimitGroup::Kidney, self.egfr_months))
            .and_then(|l| set(l, LimitGroup::Hba1c, self.hba1c_months))
            .map_err(|e| AppError::new(ErrorCode::Validation, e.to_string()))
    }
}

/// One input of the twin: its latest reading and how old it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InputAgeView {
    /// `blood_pressure`, `heart_rate`, `ldl_cholesterol`, `hdl_cholesterol`,
    /// `total_cholesterol`, `kidney_function`, `hba1c` or `lvef`.
    pub measure: String,
    /// Its name for people ("blood pressure").
    pub label: String,
    /// The latest reading's date (ISO).
    pub last_date: String,
    /// Days from it to the consultation day.
    pub age_days: i32,
    /// Months (30.44 days, rounded) from it to the consultation day.
    pub age_months: u32,
    /// The age in words ("8 months", "3 weeks", "just over 3 months").
    pub age: String,
    /// The limit that applies, months; `null` for an echo LVEF (no fixed interval).
    pub limit_months: Option<u32>,
    /// Whether it is older than its limit.
    pub stale: bool,
    /// What to re-measure, in plain words.
    pub remeasure: String,
    /// One line for people, e.g. "blood pressure: last measured 2026-03-25, 8 months ago (limit
    /// 3): re-measure office or home BP".
    pub sentence: String,
    /// For blood pressure, the current home monitoring week that keeps it from being stale
    /// ("2026-11-21 – 2026-11-26, 12 readings"); the twin still calibrates on the office BP.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub home_week: Option<String>,
    /// With a home week only: whether the office reading (what the twin calibrates on) is older
    /// than the limit, though the input is not called stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub office_stale: Option<bool>,
}

impl From<&InputAge> for InputAgeView {
    fn from(i: &InputAge) -> Self {
        Self {
            measure: i.measure.key().to_string(),
            label: i.measure.label().to_string(),
            last_date: iso_date(i.last),
            age_days: i32::try_from(i.age_days).unwrap_or(if i.age_days < 0 { i32::MIN } else { i32::MAX }),
            age_months: i.age_months,
            age: i.age_words(),
            limit_months: i.limit_months,
            stale: i.stale,
            remeasure: i.measure.remeasure().to_string(),
            sentence: i.describe(),
            office_stale: i.home.map(|_| i.office_stale()),
            home_week: i.home.map(|h| format!("{} – {}, {} readings", h.first_day, h.last_day, h.n_readings)),
        }
    }
}

/// How fresh the readings behind an answer are on the consultation day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FreshnessView {
    /// The consultation day the ages are counted to (ISO).
    pub as_of: String,
    /// The latest reading the calibration is fitted to (blood pressure, heart rate, echo LVEF);
    /// `null` when the record has none.
    pub calibrated_to: Option<String>,
    /// Months (30.44 days, rounded) from `calibratedTo` to the consultation day.
    pub calibrated_months_before: Option<u32>,
    /// "model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)".
    pub calibration: Option<String>,
    /// The inputs older than their limit, with what to re-measure (empty when none is).
    pub stale_inputs: Vec<InputAgeView>,
    /// Every input the record holds, fresh or not.
    pub inputs: Vec<InputAgeView>,
    /// The limits applied.
    pub limits: StaleLimitsView,
    /// Why the defaults were applied instead of the saved limits, when they could not be read.
    pub note: Option<String>,
}

impl FreshnessView {
    /// The freshness of `record` on `today` under `limits`.
    pub fn of(record: &PatientRecord, today: Date, limits: &StaleLimits) -> Self {
        Self::from(&twin_engine::twin::freshness(record, today, limits))
    }

    /// The lines the CLI prints: the calibration's date, then each stale input (or that none is).
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self.calibration.iter().map(|c| format!("{c}.")).collect();
        if self.stale_inputs.is_empty() {
            out.push("No input is older than its limit.".to_string());
        } else {
            out.push(format!("Stale inputs ({}), re-measure before relying on this:", self.stale_inputs.len()));
            out.extend(self.stale_inputs.iter().map(|i| format!("  STALE {}", i.sentence)));
        }
        out.extend(self.note.iter().map(|n| format!("Note: {n}.")));
        out
    }
}

impl From<&Freshness> for FreshnessView {
    fn from(f: &Freshness) -> Self {
        Self {
            as_of: iso_date(f.today),
            calibrated_to: f.calibrated_to.map(iso_date),
            calibrated_months_before: f.calibrated_months_before(),
            calibration: f.calibration_sentence(),
            stale_inputs: f.stale().map(InputAgeView::from).collect(),
            inputs: f.inputs.iter().map(InputAgeView::from).collect(),
            limits: f.limits.into(),
            note: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_round_trip_and_bad_ones_are_refused_in_words() {
        let view = StaleLimitsView::from(StaleLimits::default());
        assert_eq!(
            view,
            StaleLimitsView { blood_pressure_months: 3, lipids_months: 12, egfr_months: 12, hba1c_months: 6 }
        );
        assert_eq!(view.checked().unwrap(), StaleLimits::default());
        let e = StaleLimitsView { egfr_months: 0, ..view }.checked().unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert_eq!(e.message, "the eGFR limit must be a whole number of months from 1 to 120, not 0");
        let e = StaleLimitsView { blood_pressure_months: 121, ..view }.checked().unwrap_err();
        assert!(e.message.starts_with("the blood pressure limit"), "{e}");
        assert!(StaleLimitsView { hba1c_months: -1, ..view }.checked().is_err());
        let json =
            serde_json::json!({"bloodPressureMonths": 6, "lipidsMonths": 12, "egfrMonths": 12, "hba1cMonths": 6});
        let parsed: StaleLimitsView = serde_json::from_value(json).unwrap();
        assert_eq!(parsed.checked().unwrap().blood_pressure, 6);
    }
}
