//! The treatment suggestion as the app shows it, and the clinician's decision on it.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::record::PatientRecord;
use twin_engine::suggest::plan::{plan_care, Action, CarePlan, Outcome, Plan, PlannedChange, CHECK_MONTHS};
use twin_engine::suggest::safety::{Alert, AppliesTo, SafetyFacts, Severity};
use twin_engine::suggest::{self, Guideline, SearchConfig};
use twin_engine::twin::Twin;

use crate::scenario_file::{ClassFile, DoseFile, ScenarioFile};
use crate::simulate::OutputKey;

/// Suggestion outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SuggestionOutcome {
    /// Today's treatment reaches the targets.
    NoChange,
    /// A regimen reaches them.
    Suggested,
    /// None within the search reaches them; the closest is shown.
    NoneReaches,
}

/// The targets.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TargetsView {
    /// Systolic below, mmHg.
    pub sbp_below: f64,
    /// Diastolic below, mmHg.
    pub dbp_below: f64,
    /// Why, with source.
    pub bp_reason: String,
    /// LDL-C below, mmol/L.
    pub ldl_below_mmol: f64,
    /// LDL-C below, mg/dL.
    pub ldl_below_mg_dl: f64,
    /// Risk category.
    pub category: String,
    /// Why, with source.
    pub ldl_reason: String,
    /// The BP target's guideline.
    pub bp_source: String,
    /// The LDL-C target's guideline.
    pub ldl_source: String,
    /// The guideline and year the BP target follows, as each target line names it ("ESC 2024",
    /// "ACC/AHA 2017").
    pub bp_guideline: String,
    /// The guideline and year the lipid goal follows ("ESC/EAS 2019", "ACC/AHA 2018").
    pub ldl_guideline: String,
    /// ACC/AHA's lipid goal in words, in place of an LDL-C value ("high-intensity statin, ≥ 50 %
    /// LDL-C reduction"); absent under ESC, whose goal is `ldl_below_mmol`. Under ACC/AHA,
    /// `ldl_below_mmol` is the LDL-C from which a non-statin is added where the guideline names
    /// one, else the level the intensity's least fall reaches from the untreated LDL-C.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldl_intensity: Option<String>,
}

/// A safety rule.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RuleView {
    /// Id.
    pub id: String,
    /// The rule.
    pub text: String,
    /// Source.
    pub source: String,
    /// `contraindicated`, `caution` or `info`.
    pub severity: String,
}

/// What a safety rule found: on the regimen on record (`current`) or in a plan (`plan`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AlertView {
    /// The rule's id.
    pub rule: String,
    /// `contraindicated` (never proposed; on record: change it), `caution` (with its
    /// monitoring) or `info`.
    pub severity: String,
    /// `current` (the regimen on record) or `plan`.
    pub applies_to: String,
    /// What, in plain words, with the record's values.
    pub message: String,
    /// Where the rule comes from.
    pub source: String,
    /// The monitoring a caution needs.
    pub monitoring: Option<String>,
}

/// One output at the check month.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EffectView {
    /// Output.
    pub output: OutputKey,
    /// Label.
    pub label: String,
    /// Unit.
    pub unit: String,
    /// Median.
    pub median: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Event risk against today's treatment.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RiskChangeView {
    /// Years.
    pub years: u32,
    /// Median risk under today's treatment, %.
    pub current: f64,
    /// Median risk under this regimen, %.
    pub candidate: f64,
    /// Median absolute reduction, percentage points.
    pub reduction: f64,
    /// 5th percentile of the reduction.
    pub reduction_p05: f64,
    /// 95th percentile of the reduction.
    pub reduction_p95: f64,
    /// The median change said three ways: points, relative to today's treatment, and the number
    /// needed to treat over the years.
    pub contrast: crate::json::RiskContrastView,
}

/// One change of a plan's step, with the drug named (agent, mg, how often) where it is one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanChangeView {
    /// `start`, `raise`, `lower`, `stop`, `switch`, `lifestyle`, `confirm` or `refer`.
    pub action: String,
    /// The agent named for it (lower case), where it is a drug.
    pub agent: Option<String>,
    /// The class (file key, e.g. `ace_inhibitor`).
    pub drug_class: Option<String>,
    /// The class for people.
    pub class_label: Option<String>,
    /// The class replaced, for a switch.
    pub from_class: Option<String>,
    /// Daily dose in mg after the change, where named.
    pub dose_mg: Option<f64>,
    /// The dose level after the change (statins: low, moderate, high intensity).
    pub dose: Option<DoseFile>,
    /// For people: "start amlodipine 5 mg once daily (calcium-channel blocker)".
    pub text: String,
}

/// What a step's drug changes are expected to do to the labs and the heart rate that safety
/// watches (the engine's cited per-class effects, `formulary::effects`), beside its BP and LDL-C.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedView {
    /// Serum potassium change, mmol/L.
    pub potassium_mmol_l: f64,
    /// Serum sodium change, mmol/L.
    pub sodium_mmol_l: f64,
    /// Early eGFR change, % (negative = a fall).
    pub egfr_percent: f64,
    /// Resting heart-rate change, bpm.
    pub heart_rate_bpm: f64,
}

/// One step of a plan: now, or at a review if still above target.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PlanStepView {
    /// Month from today.
    pub month: u32,
    /// When, in words.
    pub when: String,
    /// The changes.
    pub changes: Vec<PlanChangeView>,
    /// Labs and visits it needs.
    pub checks: Vec<String>,
    /// Why.
    pub why: String,
    /// Cautions of the safety rules, with their monitoring.
    pub alerts: Vec<AlertView>,
    /// Expected potassium, sodium, eGFR and heart-rate changes of its drug changes.
    pub expected: ExpectedView,
    /// The step's started or raised drugs as one single-pill combination, where one is made at
    /// those strengths (ESC 2024: a single pill for most two-drug regimens).
    pub single_pill: Option<String>,
}

/// A plan of care, projected.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    /// For people (the first step's changes).
    pub label: String,
    /// The first step's changes, as text (for the decision log).
    pub steps: Vec<String>,
    /// Now, then the reviews.
    pub plan: Vec<PlanStepView>,
    /// Drug changes in the first step.
    pub drug_changes: usize,
    /// Share of simulated courses at every target at the check month.
    pub probability: f64,
    /// At the BP target.
    pub probability_bp: f64,
    /// At the LDL-C target.
    pub probability_ldl: f64,
    /// SBP, DBP, LDL-C, heart rate and BP drugs at the check month.
    pub effects: Vec<EffectView>,
    /// Event risk against today's treatment, where computed (in heart failure: death from any
    /// cause at 3 years).
    pub risk: Option<RiskChangeView>,
    /// In heart failure: a first HF hospitalisation at 3 years against today's treatment.
    pub hospitalisation: Option<RiskChangeView>,
    /// Every caution of every step.
    pub alerts: Vec<AlertView>,
    /// As a scenario file (open it in the comparison, edit it to modify).
    pub scenario: ScenarioFile,
}

/// A change never proposed.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExcludedView {
    /// What.
    pub label: String,
    /// The rules that forbade it.
    pub alerts: Vec<AlertView>,
}

/// Whether a statin is indicated, and why.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StatinView {
    /// Indicated.
    pub indicated: bool,
    /// Why (or why not), naming the figure used.
    pub reason: String,
    /// Source.
    pub source: String,
}

/// Familial hypercholesterolaemia by the Dutch Lipid Clinic Network score.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FhView {
    /// Points.
    pub dlcn_points: u32,
    /// "definite", "probable", "possible" or "unlikely".
    pub category: String,
    /// What scored.
    pub because: Vec<String>,
    /// What the record cannot score (family history, examination).
    pub not_scored: Vec<String>,
}

/// The search's settings.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchSettings {
    /// Members per plan.
    pub members: usize,
    /// Seed.
    pub seed: u64,
    /// Month the plans are judged at.
    pub months: u32,
    /// Required share at target.
    pub probability: f64,
    /// Plans simulated.
    pub n_candidates: usize,
    /// The guideline set followed ("ESC", "ACC/AHA"); the decision log keeps it with the settings.
    pub guideline: String,
}

/// The plan of care for one patient.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionView {
    /// Patient id.
    pub patient: String,
    /// What was found.
    pub outcome: SuggestionOutcome,
    /// What the plans' event risk is a probability of, and at what horizon (in heart failure:
    /// death from any cause at 3 years, with a first HF hospitalisation beside it).
    pub event_outcome: crate::json::OutcomeView,
    /// One sentence for the clinician.
    pub headline: String,
    /// Hazards in the regimen on record, most severe first: shown before anything else.
    pub alerts: Vec<AlertView>,
    /// The suggested plan's steps (the same as `suggestion.plan`; empty when no change).
    pub plan: Vec<PlanStepView>,
    /// The targets.
    pub targets: TargetsView,
    /// Whether a statin is indicated, and why.
    pub statin: StatinView,
    /// Familial hypercholesterolaemia (Dutch Lipid Clinic Network score), where the record holds
    /// LDL-C: a "possible" or higher score is a flag to assess.
    pub fh: Option<FhView>,
    /// Today's treatment.
    pub current: CandidateView,
    /// The plan (the one lowering risk most when none reaches the targets); none when no change.
    pub suggestion: Option<CandidateView>,
    /// The next plans, best first (as many as asked for).
    pub alternatives: Vec<CandidateView>,
    /// Changes never proposed, with the rule.
    pub excluded: Vec<ExcludedView>,
    /// Why this plan.
    pub why: String,
    /// Why no event-risk reduction is given, where none is.
    pub risk_note: Option<String>,
    /// Settings.
    pub settings: SearchSettings,
    /// Every safety rule applied.
    pub rules: Vec<RuleView>,
    /// Engine version.
    pub engine_version: String,
    /// What this is and is not.
    pub disclaimer: String,
    /// How old the readings behind this answer are on the consultation day, which are older than
    /// their limit and what to re-measure; `null` when the answer is not built from a record.
    pub freshness: Option<crate::freshness::FreshnessView>,
}

fn severity_key(s: Severity) -> &'static str {
    match s {
        Severity::Contraindicated => "contraindicated",
        Severity::Caution => "caution",
        Severity::Info => "info",
    }
}

fn alert_view(a: &Alert) -> AlertView {
    AlertView {
        rule: a.rule.code().into(),
        severity: severity_key(a.severity).into(),
        applies_to: match a.applies_to {
            AppliesTo::Current => "current".into(),
            AppliesTo::Plan => "plan".into(),
        },
        message: a.message.clone(),
        source: a.source.into(),
        monitoring: a.monitoring.clone(),
    }
}

fn class_key(class: DrugClass) -> Option<String> {
    ClassFile::of(class).and_then(|c| serde_json::to_value(c).ok()).and_then(|v| v.as_str().map(str::to_string))
}

fn change_view(c: &PlannedChange, record: &PatientRecord, today: time::Date) -> PlanChangeView {
    let named = c.class.and_then(|class| {
        let taken = record.active_medications(today).find(|m| m.class == Some(class)).and_then(|m| m.agent.clone());
        let agent = c.agent.map(str::to_string).or(taken);
        c.dose.map(|d| {
            let named = twin_engine::formulary::name_dose(class, d, agent.as_deref());
            // A plan that names its exact dose (a heart-failure start or titration rung) says it.
            match (c.daily_mg, twin_engine::formulary::agent_by_name(named.agent)) {
                (Some(mg), Some(a)) => twin_engine::formulary::NamedDose {
                    daily_mg: mg,
                    text: twin_engine::formulary::describe(a, mg),
                    ..named
                },
                _ => named,
            }
        })
    });
    let why = c.reason.as_ref().map_or(String::new(), |r| format!(": {r}"));
    let text = match (&named, c.action) {
        (Some(n), Action::Start) => format!("start {}{why}", n.text),
        (Some(n), Action::Raise) => format!("raise to {}{why}", n.text),
        (Some(n), Action::Lower) => format!("lower to {}{why}", n.text),
        (Some(n), Action::Switch) => {
            // The drug replaced, as the record names it ("ramipril 5 mg … (ACE inhibitor)").
            let from = c.from.map_or_else(String::new, |f| {
                record
                    .active_medications(today)
                    .find(|m| m.class == Some(f))
                    .map_or_else(|| f.in_words(), |m| format!("{} ({})", m.display, f.in_words()))
            });
            let wait = if c.from == Some(DrugClass::AceInhibitor) && c.class == Some(DrugClass::Arni) {
                " 36 hours after the last ACE-inhibitor dose"
            } else {
                ""
            };
            format!("switch {from} to {}{wait}{why}", n.text)
        }
        (None, Action::Stop) => {
            let on_record = c.class.and_then(|class| record.active_medications(today).find(|m| m.class == Some(class)));
            match on_record {
                Some(m) => format!("stop {} ({})", m.display, c.class.map_or_else(String::new, DrugClass::in_words)),
                None => c.label.clone(),
            }
        }
        _ => c.label.clone(),
    };
    let stopped = (c.action == Action::Stop)
        .then(|| c.class.and_then(|class| record.active_medications(today).find(|m| m.class == Some(class))))
        .flatten();
    PlanChangeView {
        action: c.action.key().into(),
        agent: named.as_ref().map(|n| n.agent.to_string()).or_else(|| stopped.and_then(|m| m.agent.clone())),
        drug_class: c.class.and_then(class_key),
        class_label: c.class.map(|k| k.label().to_string()),
        from_class: c.from.and_then(class_key),
        dose_mg: named.as_ref().map(|n| n.daily_mg).or_else(|| stopped.and_then(|m| m.daily_dose_mg)),
        dose: c.dose.map(DoseFile::from),
        text,
    }
}

/// The dose level below `d` (a plan's raise goes one rung up).
fn below(d: DoseLevel) -> Option<DoseLevel> {
    match d {
        DoseLevel::Half => None,
        DoseLevel::Standard => Some(DoseLevel::Half),
        DoseLevel::Double => Some(DoseLevel::Standard),
    }
}

/// The single pill that is exactly a step's started and raised drugs at their doses, if made.
fn single_pill(changes: &[PlanChangeView]) -> Option<String> {
    use twin_engine::formulary::{agent_by_name, combinations};
    let parts: Vec<(&twin_engine::formulary::Agent, f64)> = changes
        .iter()
        .filter(|c| c.action == "start" || c.action == "raise")
        .map(|c| Some((agent_by_name(c.agent.as_deref()?)?, c.dose_mg?)))
        .collect::<Option<Vec<_>>>()?;
    if parts.len() < 2 {
        return None;
    }
    let (pill, strength) = combinations::single_pill_for(&parts)?;
    pill.describe(strength).map(|d| format!("as one pill: {d}"))
}

fn expected(changes: &[PlannedChange], record: &PatientRecord, today: time::Date) -> ExpectedView {
    let on_record =
        |class: DrugClass| record.active_medications(today).find(|m| m.class == Some(class)).and_then(|m| m.dose_level);
    let pairs: Vec<(DrugClass, Option<DoseLevel>, Option<DoseLevel>)> = changes
        .iter()
        .filter_map(|c| {
            let class = c.class?;
            Some(match c.action {
                Action::Start => (class, None, c.dose),
                Action::Raise | Action::Lower => (class, c.dose.and_then(below), c.dose),
                Action::Stop => (class, on_record(class).or(Some(DoseLevel::Standard)), None),
                _ => return None,
            })
        })
        .collect();
    let e = twin_engine::formulary::effects::expected_lab_changes(&pairs);
    ExpectedView {
        potassium_mmol_l: e.potassium_mmol_l,
        sodium_mmol_l: e.sodium_mmol_l,
        egfr_percent: e.egfr_relative * 100.0,
        heart_rate_bpm: e.heart_rate_bpm,
    }
}

fn risk_change_view(r: twin_engine::suggest::RiskChange, years: u32) -> RiskChangeView {
    RiskChangeView {
        years,
        current: r.current,
        candidate: r.candidate,
        reduction: r.reduction,
        reduction_p05: r.reduction_p05,
        reduction_p95: r.reduction_p95,
        // Percentages and points here; the contrast takes fractions.
        contrast: crate::json::RiskContrastView::new(r.current / 100.0, -r.reduction / 100.0),
    }
}

fn plan_view(p: &Plan, risk_years: u32, record: &PatientRecord, today: time::Date) -> CandidateView {
    let steps: Vec<PlanStepView> = p
        .steps
        .iter()
        .map(|s| PlanStepView {
            month: s.month,
            when: s.when.clone(),
            changes: s.changes.iter().map(|c| change_view(c, record, today)).collect(),
            checks: s.checks.clone(),
            why: s.why.clone(),
            alerts: s.alerts.iter().map(alert_view).collect(),
            expected: expected(&s.changes, record, today),
            single_pill: None,
        })
        .map(|mut v| {
            v.single_pill = single_pill(&v.changes);
            v
        })
        .collect();
    // The label names the drugs ("raise to lisinopril 20 mg once daily (ACE inhibitor) + …"),
    // else the first step's other changes; today's treatment keeps its own.
    let named: Vec<String> = steps
        .first()
        .map(|s| s.changes.iter().filter(|c| c.agent.is_some()).map(|c| c.text.clone()).collect())
        .unwrap_or_default();
    // A plan that stops after its first step says so (a heart-failure plan's alternative).
    let first_only = if p.label.ends_with("(first step only)") { " (first step only)" } else { "" };
    CandidateView {
        label: if named.is_empty() { p.label.clone() } else { format!("{}{first_only}", named.join(" + ")) },
        steps: steps.first().map(|s| s.changes.iter().map(|c| c.text.clone()).collect()).unwrap_or_default(),
        alerts: steps.iter().flat_map(|s| s.alerts.iter().cloned()).collect(),
        plan: steps,
        drug_changes: p.first_step_drug_changes(),
        probability: p.probability,
        probability_bp: p.probability_bp,
        probability_ldl: p.probability_ldl,
        effects: p
            .effects
            .iter()
            .map(|e| EffectView {
                output: e.output.into(),
                label: e.output.label().into(),
                unit: e.output.unit().into(),
                median: e.median,
                p05: e.p05,
                p95: e.p95,
            })
            .collect(),
        risk: p.risk.map(|r| risk_change_view(r, risk_years)),
        hospitalisation: p.hospitalisation.map(|r| risk_change_view(r, risk_years)),
        scenario: ScenarioFile::of_scenario(
            &p.scenario,
            if p.steps.is_empty() { "current treatment".into() } else { format!("Plan: {}", p.label) },
        ),
    }
}

/// The plan of care for the patient of `twin` (built from `record` on `today`) under ESC, the
/// default guideline set (the panel's worklist uses this).
pub fn suggest(
    patient: &str,
    record: &PatientRecord,
    twin: &Twin,
    today: time::Date,
    config: SearchConfig,
    alternatives: usize,
) -> SuggestionView {
    suggest_under(Guideline::Esc, patient, record, twin, today, config, alternatives)
}

/// The plan of care under `guideline` (the clinician's preference in Settings): its targets,
/// statin indication and plan-search goals ([`twin_engine::suggest::guideline`]); the safety
/// rules are the same under either set.
pub fn suggest_under(
    guideline: Guideline,
    patient: &str,
    record: &PatientRecord,
    twin: &Twin,
    today: time::Date,
    config: SearchConfig,
    alternatives: usize,
) -> SuggestionView {
    let targets = suggest::targets_under(guideline, record, today, &twin.risk_inputs);
    let care: CarePlan = plan_care(record, today, &twin.baseline, &twin.risk_inputs, targets, config);
    let event_outcome = crate::json::OutcomeView::of(&twin.event_model);
    let years = if care.outcome == Outcome::HeartFailure { event_outcome.horizon_years } else { config.risk_years };
    let best = care.plans.first().map(|p| plan_view(p, years, record, today));
    let headline = match (care.outcome, &best) {
        (Outcome::NoChange, _) => "No change suggested: today's treatment reaches the targets.".to_string(),
        (Outcome::Reaches, Some(c)) => format!(
            "Plan: {} now, then reviews — at every target in {:.0}% of simulated courses at {} months.",
            c.label,
            c.probability * 100.0,
            CHECK_MONTHS
        ),
        (Outcome::HeartFailure, Some(c)) if c.drug_changes == 0 && c.plan.len() <= 1 => {
            "Heart-failure review: no drug change proposed; the steps say what to check and continue.".to_string()
        }
        (Outcome::HeartFailure, Some(c)) => {
            let death = c.risk.as_ref().map_or(String::new(), |r| {
                // In the body's words and sign: "4.8 percentage points lower (90% range 2.9 to
                // 6.9)", the range of the same quantity the sentence names.
                let change = if r.reduction >= 0.0 {
                    format!("{:.1} percentage points lower, 90% range {:.1} to {:.1}", r.reduction, r.reduction_p05, r.reduction_p95)
                } else {
                    format!(
                        "{:.1} percentage points higher, 90% range {:.1} to {:.1}",
                        -r.reduction, -r.reduction_p95, -r.reduction_p05
                    )
                };
                format!(" — death from any cause at {} years {:.1}% → {:.1}% ({change})", r.years, r.current, r.candidate)
            });
            let then = if c.plan.len() > 1 { ", then monthly titration" } else { "" };
            format!("Heart-failure plan: {} now{then}{death}.", c.label)
        }
        (_, Some(c)) => format!(
            "No plan reaches every target in 80% of simulated courses at {} months; the plan that lowers event risk most: {}.",
            CHECK_MONTHS, c.label
        ),
        (_, None) => "No plan passed the safety rules.".to_string(),
    };
    let mut alerts: Vec<AlertView> = care.alerts.iter().map(alert_view).collect();
    let rank = |a: &AlertView| match a.severity.as_str() {
        "contraindicated" => 0,
        "caution" => 1,
        _ => 2,
    };
    alerts.sort_by_key(rank);
    let t = &care.targets;
    SuggestionView {
        patient: patient.to_string(),
        outcome: match care.outcome {
            Outcome::NoChange => SuggestionOutcome::NoChange,
            Outcome::Reaches => SuggestionOutcome::Suggested,
            Outcome::NoneReaches => SuggestionOutcome::NoneReaches,
            Outcome::HeartFailure => SuggestionOutcome::Suggested,
        },
        event_outcome,
        headline,
        plan: if care.outcome == Outcome::NoChange {
            Vec::new()
        } else {
            best.as_ref().map(|b| b.plan.clone()).unwrap_or_default()
        },
        alerts,
        targets: TargetsView::of(t),
        statin: StatinView {
            indicated: care.statin.indicated,
            reason: care.statin.reason.clone(),
            source: care.statin.source.into(),
        },
        fh: care.fh.as_ref().map(|f| FhView {
            dlcn_points: f.dlcn_points,
            category: f.category.into(),
            because: f.because.clone(),
            not_scored: f.not_scored.iter().map(|s| (*s).to_string()).collect(),
        }),
        current: plan_view(&care.current, years, record, today),
        suggestion: if care.outcome == Outcome::NoChange { None } else { best },
        alternatives: care
            .plans
            .iter()
            .skip(1)
            .take(alternatives)
            .map(|p| plan_view(p, years, record, today))
            .collect(),
        excluded: care
            .excluded
            .iter()
            .map(|e| ExcludedView { label: e.label.clone(), alerts: e.alerts.iter().map(alert_view).collect() })
            .collect(),
        why: care.why.clone(),
        risk_note: care.risk_note.clone().or_else(|| twin_engine::twin::primary_prevention_caveat(record)),
        settings: SearchSettings {
            members: config.members,
            seed: config.seed,
            months: CHECK_MONTHS,
            probability: config.probability,
            n_candidates: care.plans.len(),
            guideline: guideline.name().into(),
        },
        rules: SafetyFacts::rules()
            .iter()
            .map(|r| RuleView {
                id: r.id.code().into(),
                text: r.text.into(),
                source: r.source.into(),
                severity: severity_key(r.severity).into(),
            })
            .collect(),
        engine_version: crate::cache::ENGINE_VERSION.into(),
        disclaimer: "Decision support from a simulated twin on synthetic-calibrated models: the clinician decides. \
                     Probabilities are shares of simulated courses, not measured outcomes."
            .into(),
        freshness: None,
    }
}

/// SHA-256 of what a suggestion was computed from (the record as harmonised, and the settings),
/// for the audit entry.
pub fn inputs_hash(record_json: &str, view: &SuggestionView) -> String {
    let mut h = Sha256::new();
    h.update(record_json.as_bytes());
    h.update(format!("{:?}", view.settings).as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
