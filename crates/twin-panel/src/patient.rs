//! One patient through the app's use cases: harmonised as a fetched record is, today's twin,
//! each scenario projected against today's treatment with paired members, the suggested plan,
//! the alerts on today's regimen and the stale inputs, as rows.

use serde_json::Value;

use twin_app::compute::{BackendChoice, Compute};
use twin_app::freshness::FreshnessView;
use twin_app::simulate::{self, OutputKey, Projection};
use twin_app::suggest::{SuggestionOutcome, SuggestionView};
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::{EnsembleConfig, RunControl};
use twin_engine::record::MeasurementKind;
use twin_engine::suggest::SearchConfig;
use twin_engine::twin::{Context, StaleLimits, Twin};
use twin_fhir::Harmonised;

use crate::rows::{Band, PanelRow};
use crate::scenario::{derive_seed, PanelOptions, PanelScenario, REVIEW_MONTH, RISK_MONTH};

/// Why a patient (or one scenario for a patient) has no projection. Each is counted in the
/// summary; none is silent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// Resources name a patient whose Patient resource is not in the export.
    NoPatientResource,
    /// Two different Patient resources carry the same id: merging them could mix two people.
    IdentityConflict,
    /// The patient's resources could not be harmonised at all.
    NotHarmonised,
    /// No birth date or no sex at birth: no risk equation applies.
    NoBirthDateOrSex,
    /// No blood pressure on record: the twin cannot be calibrated.
    NoBloodPressure,
    /// Another input the twin needs is missing (heart rate, LDL-C, HDL-C).
    MissingInput,
    /// The scenario changes a drug in a way today's regimen does not allow (starts one already
    /// taken, stops one not taken); only this scenario's row is skipped.
    ScenarioNotApplicable,
}

impl SkipReason {
    /// Every reason, in the order the summary lists them.
    pub const ALL: [SkipReason; 7] = [
        Self::NoPatientResource,
        Self::IdentityConflict,
        Self::NotHarmonised,
        Self::NoBirthDateOrSex,
        Self::NoBloodPressure,
        Self::MissingInput,
        Self::ScenarioNotApplicable,
    ];

    /// The code in the `skip_reason` column.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoPatientResource => "no_patient_resource",
            Self::IdentityConflict => "identity_conflict",
            Self::NotHarmonised => "not_harmonised",
            Self::NoBirthDateOrSex => "no_birth_date_or_sex",
            Self::NoBloodPressure => "no_blood_pressure",
            Self::MissingInput => "missing_input",
            Self::ScenarioNotApplicable => "scenario_not_applicable",
        }
    }

    /// The reason for a code, where it is one.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What it means, for people.
    pub fn words(self) -> &'static str {
        match self {
            Self::NoPatientResource => "resources name a patient the export has no Patient resource for",
            Self::IdentityConflict => "two different Patient resources carry the same id",
            Self::NotHarmonised => "the record could not be read at all",
            Self::NoBirthDateOrSex => "no birth date or no sex at birth on record",
            Self::NoBloodPressure => "no blood pressure on record",
            Self::MissingInput => "an input the twin needs is missing",
            Self::ScenarioNotApplicable => "the scenario does not apply to today's regimen",
        }
    }

    /// Whether it is counted per patient × scenario (else per patient).
    pub fn per_scenario(self) -> bool {
        self == Self::ScenarioNotApplicable
    }
}

/// A patient that was skipped as a whole: one row per scenario, each saying why.
fn skipped(id: &str, scenarios: &[PanelScenario], reason: SkipReason, detail: String) -> Vec<PanelRow> {
    scenarios
        .iter()
        .map(|s| PanelRow {
            patient_id: id.to_string(),
            scenario: s.name.clone(),
            skip_reason: Some(reason.code().to_string()),
            skip_detail: Some(detail.clone()),
            ..PanelRow::default()
        })
        .collect()
}

/// The rows of patient `id` from its resources (NDJSON lines, in export order).
pub(crate) fn rows_for_patient(
    id: &str,
    lines: &[&str],
    scenarios: &[(PanelScenario, Scenario)],
    opts: &PanelOptions,
) -> Vec<PanelRow> {
    let panel: Vec<PanelScenario> = scenarios.iter().map(|(p, _)| p.clone()).collect();
    let harmonised = match harmonise(id, lines) {
        Ok(h) => h,
        Err((reason, detail)) => return skipped(id, &panel, reason, detail),
    };
    let record = &harmonised.record;
    if record.demographics.birth_date.is_none() || record.demographics.sex.is_none() {
        let reason = SkipReason::NoBirthDateOrSex;
        return skipped(id, &panel, reason, reason.words().to_string());
    }
    if record.series(MeasurementKind::Sbp).is_empty() {
        let reason = SkipReason::NoBloodPressure;
        return skipped(id, &panel, reason, reason.words().to_string());
    }
    let years = opts.months.div_ceil(12);
    let twin = match twin_engine::twin::build(record, opts.as_of, Context::default(), years) {
        Ok(twin) => twin,
        Err(missing) => {
            let detail = format!("no {} on record ({})", missing.what, missing.purpose);
            return skipped(id, &panel, SkipReason::MissingInput, detail);
        }
    };
    let suggestion = suggest(id, &harmonised, &twin, years, opts);
    let freshness = FreshnessView::of(record, opts.as_of, &StaleLimits::default());
    let stale = freshness.stale_inputs.iter().map(|i| i.measure.clone()).collect::<Vec<_>>().join("; ");
    let alerts = suggestion
        .as_ref()
        .map(|s| s.alerts.iter().filter(|a| a.applies_to == "current").map(|a| a.rule.clone()).collect::<Vec<_>>())
        .map(|ids| ids.join("; "));
    let plan_first_step = suggestion.as_ref().map(first_step);
    let plan_risk = suggestion.as_ref().and_then(|s| s.suggestion.as_ref()).and_then(|c| c.risk.as_ref());
    let plan_arr_pct = plan_risk.map(|r| Band { median: r.reduction, p5: r.reduction_p05, p95: r.reduction_p95 });
    let today = Scenario::current_treatment();
    scenarios
        .iter()
        .map(|(panel, scenario)| {
            let seed = derive_seed(opts.seed, id, &panel.name);
            let base = PanelRow {
                patient_id: id.to_string(),
                scenario: panel.name.clone(),
                seed: Some(seed),
                plan_first_step: plan_first_step.clone(),
                plan_guidelines: suggestion.as_ref().map(|_| opts.guidelines.code().to_string()),
                plan_arr_pct,
                plan_risk_years: plan_risk.map(|r| r.years),
                alerts: alerts.clone(),
                stale_inputs: Some(stale.clone()),
                ..PanelRow::default()
            };
            if let Err(e) = scenario.check_against(&twin.baseline.current_drugs) {
                return PanelRow {
                    seed: None,
                    skip_reason: Some(SkipReason::ScenarioNotApplicable.code().to_string()),
                    skip_detail: Some(e),
                    ..base
                };
            }
            let config = EnsembleConfig { months: opts.months, members: opts.members, seed };
            project(id, &twin, &today, scenario, panel.is_current(), &config, base)
        })
        .collect()
}

/// The patient's resources harmonised as a fetched record is (`twin_app::ehr` hands the fetched
/// resources to the same `harmonise_entries` through a Bundle): the subject checks keep only
/// what names this Patient; problems with single resources stay in the result.
fn harmonise(id: &str, lines: &[&str]) -> Result<Harmonised, (SkipReason, String)> {
    let mut resources = Vec::with_capacity(lines.len());
    let mut patient: Option<Value> = None;
    for line in lines {
        // Partition checked each line is JSON; one that is not is not this patient's.
        let Ok(value) = serde_json::from_str::<Value>(line) else { continue };
        if value.get("resourceType").and_then(Value::as_str) == Some("Patient") {
            match &patient {
                Some(first) if same_person(first, &value) => continue,
                Some(_) => {
                    return Err((SkipReason::IdentityConflict, SkipReason::IdentityConflict.words().to_string()));
                }
                None => patient = Some(value.clone()),
            }
        }
        resources.push((None, value));
    }
    if patient.is_none() {
        let n = resources.len();
        return Err((
            SkipReason::NoPatientResource,
            format!("{n} resources name this patient, but no Patient resource does"),
        ));
    }
    twin_fhir::harmonise_entries(resources, Some(id)).map_err(|e| (SkipReason::NotHarmonised, e.to_string()))
}

/// Whether two Patient resources of one id describe the same person: equal but for `meta`
/// (an export may carry a resource twice, at two versions of its metadata).
fn same_person(a: &Value, b: &Value) -> bool {
    let strip = |v: &Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("meta");
        }
        v
    };
    strip(a) == strip(b)
}

/// The app's suggestion for the patient, with its search seeded from the run's seed and the
/// patient; none when its twin cannot be built for the search's horizon.
fn suggest(id: &str, h: &Harmonised, twin: &Twin, years: u32, opts: &PanelOptions) -> Option<SuggestionView> {
    let config = SearchConfig { seed: derive_seed(opts.seed, id, "suggest"), ..SearchConfig::default() };
    let own;
    let twin = if config.risk_years == years {
        twin
    } else {
        own = twin_engine::twin::build(&h.record, opts.as_of, Context::default(), config.risk_years).ok()?;
        &own
    };
    Some(twin_app::suggest::suggest_under(opts.guidelines.into(), id, &h.record, twin, opts.as_of, config, 0))
}

/// The suggested plan's first step in words: its changes, or that none is needed.
fn first_step(s: &SuggestionView) -> String {
    if s.outcome == SuggestionOutcome::NoChange {
        return "no change: today's treatment reaches the targets".to_string();
    }
    match s.plan.first() {
        Some(step) if !step.changes.is_empty() => {
            step.changes.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("; ")
        }
        Some(step) => step.why.clone(),
        None => s.headline.clone(),
    }
}

/// One scenario's row: its projection, and against today's treatment with the same members.
fn project(
    id: &str,
    twin: &Twin,
    today: &Scenario,
    scenario: &Scenario,
    is_current: bool,
    config: &EnsembleConfig,
    base: PanelRow,
) -> PanelRow {
    // The CPU, always: a panel runs many patients at once, and the result must not depend on
    // which machine ran a bucket.
    let compute = match Compute::choose(BackendChoice::Cpu) {
        Ok(c) => c,
        Err(e) => return PanelRow { skip_detail: Some(e.message), ..base },
    };
    let control = RunControl::default();
    let (projection, difference) = if is_current {
        match simulate::project(id, twin, scenario, config, &compute, &control) {
            Ok((p, _)) => (p, Some(Band { median: 0.0, p5: 0.0, p95: 0.0 })),
            Err(_) => return base,
        }
    } else {
        let compared = simulate::compare(id, twin, &[today.clone(), scenario.clone()], config, &compute, &control);
        let Ok(mut c) = compared else { return base };
        let difference = c
            .differences
            .first()
            .and_then(|d| {
                let month = risk_month(c.projections.last()?);
                d.differences.iter().find(|x| x.month == month && x.output == OutputKey::EventRisk)
            })
            .map(|d| Band { median: d.median * 100.0, p5: d.p5 * 100.0, p95: d.p95 * 100.0 });
        match c.projections.pop() {
            Some(p) => (p, difference),
            None => return base,
        }
    };
    let month = risk_month(&projection);
    let risk = projection
        .has_event_model
        .then(|| band_at(&projection, OutputKey::EventRisk, month))
        .flatten()
        .map(|b| Band { median: b.median * 100.0, p5: b.p5 * 100.0, p95: b.p95 * 100.0 });
    PanelRow {
        event_model: Some(projection.event_model.clone()),
        risk_pct: risk,
        risk_diff_pct: if risk.is_some() { difference } else { None },
        risk_years: risk.map(|_| month / 12),
        sbp12_mmhg: band_at(&projection, OutputKey::Sbp, REVIEW_MONTH).map(|b| b.median),
        ldl12_mmol_l: band_at(&projection, OutputKey::Ldl, REVIEW_MONTH).map(|b| b.median),
        ..base
    }
}

/// The month the risk is read at: 10 years, or the outcome model's own horizon where shorter
/// (MAGGIC's 3 years in heart failure: the screens never read it further, nor does the panel).
fn risk_month(p: &Projection) -> u32 {
    RISK_MONTH.min(p.outcome.horizon_years * 12)
}

fn band_at(p: &Projection, output: OutputKey, month: u32) -> Option<Band> {
    let b = p.outputs.iter().find(|b| b.output == output)?;
    let m = month as usize;
    let band = Band { median: *b.p50.get(m)?, p5: *b.p5.get(m)?, p95: *b.p95.get(m)? };
    [band.median, band.p5, band.p95].iter().all(|v| v.is_finite()).then_some(band)
}
