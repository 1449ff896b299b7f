//! The calibrated heart twin: targets from the record, the fit, and its transport form.

use serde::Serialize;
use ts_rs::TS;

use twin_engine::heart::calibrate::{Calibration, FITTED};
use twin_engine::heart::{simulate, HeartParams, Hemodynamics, SolverConfig};
use twin_engine::record::{ConditionKind, MeasurementKind, PatientRecord};
use twin_engine::twin::calibrate_heart;

use crate::error::AppError;
use crate::json::{FindingView, LatestValue};

/// A fitted parameter with its 90% interval.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ParamView {
    /// Name.
    pub name: String,
    /// Value.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// 5th percentile (log-normal Laplace approximation); `null` when not fitted.
    pub low90: Option<f64>,
    /// 95th percentile; `null` when not fitted.
    pub high90: Option<f64>,
}

/// One steady beat.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HemodynamicsView {
    /// Systolic pressure, mmHg.
    pub sbp: f64,
    /// Diastolic pressure, mmHg.
    pub dbp: f64,
    /// Mean arterial pressure, mmHg.
    pub map: f64,
    /// End-diastolic volume, mL.
    pub edv: f64,
    /// End-systolic volume, mL.
    pub esv: f64,
    /// Stroke volume, mL.
    pub stroke_volume: f64,
    /// Ejection fraction, %.
    pub ejection_fraction: f64,
    /// Cardiac output, L/min.
    pub cardiac_output: f64,
    /// Heart rate, bpm.
    pub heart_rate: f64,
}

/// The PV loop of one beat.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PvLoop {
    /// LV volume, mL.
    pub volume: Vec<f64>,
    /// LV pressure, mmHg.
    pub lv_pressure: Vec<f64>,
    /// Aortic pressure, mmHg.
    pub aortic_pressure: Vec<f64>,
}

/// A calibration target and how far the fit lands from it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FitView {
    /// Measurement name; `cardiac_output_prior` is the population prior, not a measurement.
    pub name: String,
    /// Measured (mean of recent readings), or the prior's mean.
    pub measured: f64,
    /// Its SD as used in the fit.
    pub sd: f64,
    /// Model minus measured.
    pub residual: f64,
    /// Readings averaged (0 for a prior).
    pub n_readings: usize,
}

/// What the record says of the heart beside the fitted model: the measured LVEF and the markers a
/// heart-failure or AF consultation reads with it (natriuretic peptide, QRS width and shape,
/// rhythm). The model is not calibrated to the markers; they are shown, not used.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HeartMarkersView {
    /// The latest measured LVEF (echo or MRI), where on record.
    pub lvef: Option<LatestValue>,
    /// The latest NT-proBNP, where on record.
    pub nt_probnp: Option<LatestValue>,
    /// The latest BNP, where on record (not interchangeable with NT-proBNP: shown apart).
    pub bnp: Option<LatestValue>,
    /// The latest QRS duration, where on record.
    pub qrs_duration: Option<LatestValue>,
    /// The latest heart rhythm on an ECG, where on record.
    pub rhythm: Option<FindingView>,
    /// Whether an active left bundle-branch block is on record (diagnosis or ECG finding).
    pub left_bundle_branch_block: bool,
}

impl HeartMarkersView {
    /// The markers of `record`.
    pub fn from_record(record: &PatientRecord) -> Self {
        Self {
            lvef: LatestValue::of(record, MeasurementKind::Lvef),
            nt_probnp: LatestValue::of(record, MeasurementKind::NtProBnp),
            bnp: LatestValue::of(record, MeasurementKind::Bnp),
            qrs_duration: LatestValue::of(record, MeasurementKind::QrsDuration),
            rhythm: FindingView::rhythm(record),
            left_bundle_branch_block: record.has_active(ConditionKind::LeftBundleBranchBlock),
        }
    }
}

/// The twin's heart.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TwinView {
    /// `reference` or the patient id.
    pub subject: String,
    /// Parameters (fitted ones with intervals).
    pub params: Vec<ParamView>,
    /// Output at the parameters.
    pub hemodynamics: HemodynamicsView,
    /// Targets and residuals (empty for the reference adult).
    pub fit: Vec<FitView>,
    /// The PV loop.
    pub pv_loop: PvLoop,
    /// LM iterations (0 for the reference).
    pub n_iterations: usize,
    /// Model solves.
    pub n_solves: usize,
    /// How well this patient's twin predicted their last year; `null` for the reference adult.
    pub hindcast: Option<crate::hindcast::PersonalHindcast>,
    /// How old the readings behind this answer are on the consultation day, which are older than
    /// their limit and what to re-measure; `null` when the answer is not built from a record.
    pub freshness: Option<crate::freshness::FreshnessView>,
    /// The measured LVEF and heart-failure markers on record; `null` for the reference adult.
    pub markers: Option<HeartMarkersView>,
}

fn hemodynamics_view(h: &Hemodynamics, heart_rate: f64) -> HemodynamicsView {
    HemodynamicsView {
        sbp: h.sbp,
        dbp: h.dbp,
        map: h.map,
        edv: h.edv,
        esv: h.esv,
        stroke_volume: h.stroke_volume,
        ejection_fraction: h.ejection_fraction,
        cardiac_output: h.cardiac_output,
        heart_rate,
    }
}

fn pv_loop(h: &Hemodynamics) -> PvLoop {
    PvLoop {
        volume: h.loop_samples.iter().map(|s| s.0).collect(),
        lv_pressure: h.loop_samples.iter().map(|s| s.1).collect(),
        aortic_pressure: h.loop_samples.iter().map(|s| s.2).collect(),
    }
}

fn params_view(p: &HeartParams, sd_log: Option<&[f64; 4]>) -> Vec<ParamView> {
    let fitted = |name: &str| FITTED.iter().position(|f| *f == name);
    let row = |name: &str, value: f64, unit: &str| {
        let interval =
            fitted(name).zip(sd_log).map(|(i, sd)| (value * (-1.645 * sd[i]).exp(), value * (1.645 * sd[i]).exp()));
        ParamView {
            name: name.to_string(),
            value,
            unit: unit.to_string(),
            low90: interval.map(|i| i.0),
            high90: interval.map(|i| i.1),
        }
    };
    vec![
        row("heart_rate", p.heart_rate, "bpm"),
        row("e_max", p.e_max, "mmHg/mL"),
        row("e_min", p.e_min, "mmHg/mL"),
        row("v0", p.v0, "mL"),
        row("resistance", p.resistance, "mmHg·s/mL"),
        row("compliance", p.compliance, "mL/mmHg"),
        row("zc", p.zc, "mmHg·s/mL"),
        row("venous_compliance", p.venous_compliance, "mL/mmHg"),
        row("stressed_volume", p.stressed_volume, "mL"),
    ]
}

/// The reference adult's heart.
pub fn reference_twin() -> TwinView {
    let p = HeartParams::reference_adult();
    let h = simulate(&p, &SolverConfig::default(), None);
    TwinView {
        subject: "reference".into(),
        params: params_view(&p, None),
        hemodynamics: hemodynamics_view(&h, p.heart_rate),
        fit: Vec::new(),
        pv_loop: pv_loop(&h),
        n_iterations: 0,
        n_solves: 1,
        hindcast: None,
        freshness: None,
        markers: None,
    }
}

/// Calibrates a patient's heart (the engine's `twin_engine::twin::calibrate_heart`) and shows it.
///
/// # Errors
/// [`ErrorCode::Validation`] when the record has no blood pressure or heart rate.
pub fn patient_twin(record: &PatientRecord) -> Result<(TwinView, Calibration), AppError> {
    let (counted, c) = calibrate_heart(record)?;
    let targets = counted.targets;
    let mut fit = vec![
        FitView {
            name: "sbp".into(),
            measured: targets.sbp.0,
            sd: targets.sbp.1,
            residual: c.residuals.sbp,
            n_readings: counted.n_sbp,
        },
        FitView {
            name: "dbp".into(),
            measured: targets.dbp.0,
            sd: targets.dbp.1,
            residual: c.residuals.dbp,
            n_readings: counted.n_dbp,
        },
    ];
    if let (Some((ef, sd)), Some(residual)) = (targets.ef, c.residuals.ef) {
        fit.push(FitView { name: "lvef".into(), measured: ef, sd, residual, n_readings: 1 });
    }
    if let (Some((co, sd)), Some(residual)) = (targets.cardiac_output, c.residuals.cardiac_output) {
        // Not a reading: the population prior (0 readings says so).
        fit.push(FitView { name: "cardiac_output_prior".into(), measured: co, sd, residual, n_readings: 0 });
    }
    let view = TwinView {
        subject: record.id.clone(),
        params: params_view(&c.params, Some(&c.sd_log)),
        hemodynamics: hemodynamics_view(&c.hemodynamics, c.params.heart_rate),
        fit,
        pv_loop: pv_loop(&c.hemodynamics),
        n_iterations: c.n_iterations,
        n_solves: c.n_solves,
        hindcast: None,
        freshness: None,
        markers: Some(HeartMarkersView::from_record(record)),
    };
    Ok((view, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo(slug: &str) -> PatientRecord {
        let path = twin_test_support::demo_file(&format!("{slug}.json"));
        let text = std::fs::read_to_string(path).expect("demo file");
        twin_fhir::harmonise_bundle_text(&text).expect("harmonises").record
    }

    #[test]
    fn the_twin_shows_the_measured_ef_beside_the_markers_on_record() {
        let (view, _) = patient_twin(&demo("03-heart-failure-reduced-ef")).expect("calibrates");
        let m = view.markers.expect("a patient's twin carries its markers");
        let nt = m.nt_probnp.expect("NT-proBNP");
        assert_eq!((nt.value, nt.unit.as_str(), nt.date.as_str()), (1450.0, "pg/mL", "2026-05-28"));
        assert!(m.lvef.is_some_and(|ef| (28.0..=38.0).contains(&ef.value)));
        assert_eq!(m.qrs_duration.map(|q| q.value), Some(152.0));
        assert_eq!(m.rhythm.map(|r| r.key), Some("sinus".to_string()));
        assert!(m.left_bundle_branch_block && m.bnp.is_none());
        assert!(reference_twin().markers.is_none());
    }
}
