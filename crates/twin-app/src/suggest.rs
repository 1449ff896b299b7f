//! The treatment suggestion as the app shows it, and the clinician's decision on it.

use serde::Serialize;
use sha2::{Digest, Sha256};
use ts_rs::TS;

use twin_engine::drugs::DrugClass;
use twin_engine::progression::scenario::Intervention;
use twin_engine::record::PatientRecord;
use twin_engine::suggest::safety::{Finding, Rule, Verdict, RULES};
use twin_engine::suggest::{self, Candidate, Outcome, SearchConfig, Step, StepKind, Suggestion};
use twin_engine::twin::Twin;

use crate::scenario_file::{ClassFile, DoseFile, InterventionFile, ScenarioFile};
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
    /// `exclude` or `flag`.
    pub verdict: String,
}

/// A rule that fired.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FindingView {
    /// The rule.
    pub rule: RuleView,
    /// The class it fired for.
    pub class: String,
    /// What in the record made it fire.
    pub because: String,
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

/// A lifestyle change the search suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LifestyleKind {
    /// Salt reduction.
    SaltReduction,
    /// The DASH diet.
    DashDiet,
    /// Aerobic exercise.
    Exercise,
}

/// What the patient takes now in a class a step raises or switches from, from the record.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakenNowView {
    /// Active ingredient, lower case (e.g. `amlodipine`), where the record maps it.
    pub agent: Option<String>,
    /// Daily dose in mg, where the record states it.
    pub mg: Option<f64>,
    /// Dose level, where the agent is known.
    pub dose: Option<DoseFile>,
}

/// What one suggested step changes, tagged by `action`. Doses are levels relative to the
/// agent's standard dose (statins: half = low, standard = moderate, double = high intensity):
/// the search works on classes, so mg is known only for what is taken now (`now`).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "action", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum StepChange {
    /// Start a class not taken now.
    Start {
        /// Class.
        class: ClassFile,
        /// Dose.
        dose: DoseFile,
    },
    /// Raise the dose of a class taken now.
    Raise {
        /// Class.
        class: ClassFile,
        /// The new dose.
        dose: DoseFile,
        /// What is taken in it now, where the record has it.
        now: Option<TakenNowView>,
    },
    /// Stop a BP class taken now and start another.
    Switch {
        /// The class stopped.
        from: ClassFile,
        /// The class started.
        to: ClassFile,
        /// The new class's dose.
        dose: DoseFile,
        /// What is taken in `from` now, where the record has it.
        now: Option<TakenNowView>,
    },
    /// A lifestyle change.
    Lifestyle {
        /// Which.
        kind: LifestyleKind,
        /// Minutes a week (exercise only).
        minutes_per_week: Option<f64>,
    },
}

/// One suggested step, structured: what the UI builds its words from (the label is the engine's
/// English, for the clinician's screens and the decision log).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    /// For people (the same text as the candidate's `steps` entry).
    pub label: String,
    /// What it changes.
    pub change: StepChange,
    /// Month it starts (from today).
    pub month: u32,
    /// Ids of the cautions (the candidate's `flags`) that fired for the class it starts or raises.
    pub flags: Vec<String>,
    /// The interventions it adds to the scenario.
    pub interventions: Vec<InterventionFile>,
}

/// A candidate regimen.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    /// For people.
    pub label: String,
    /// Its steps.
    pub steps: Vec<String>,
    /// Its steps, structured, in the order of `steps` (every step the search makes has one).
    pub step_parts: Vec<StepView>,
    /// Drug changes.
    pub drug_changes: usize,
    /// Share of simulated courses at every target at the check month.
    pub probability: f64,
    /// At the BP target.
    pub probability_bp: f64,
    /// At the LDL-C target.
    pub probability_ldl: f64,
    /// SBP, DBP, LDL-C at the check month.
    pub effects: Vec<EffectView>,
    /// Event risk against today's treatment, where computed.
    pub risk: Option<RiskChangeView>,
    /// Cautions shown with it.
    pub flags: Vec<FindingView>,
    /// Safety checks it passed.
    pub passed: Vec<RuleView>,
    /// As a scenario file (open it in the comparison, edit it to modify).
    pub scenario: ScenarioFile,
}

/// A step or combination never suggested.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExcludedView {
    /// What.
    pub label: String,
    /// Why.
    pub findings: Vec<FindingView>,
}

/// The search's settings.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SearchSettings {
    /// Members per candidate.
    pub members: usize,
    /// Seed.
    pub seed: u64,
    /// Check month.
    pub months: u32,
    /// Required share at target.
    pub probability: f64,
    /// Most steps.
    pub max_steps: usize,
    /// Candidates simulated.
    pub n_candidates: usize,
}

/// The suggestion for one patient.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionView {
    /// Patient id.
    pub patient: String,
    /// What was found.
    pub outcome: SuggestionOutcome,
    /// One sentence for the clinician.
    pub headline: String,
    /// The targets.
    pub targets: TargetsView,
    /// Today's treatment.
    pub current: CandidateView,
    /// The suggestion (the closest when none reaches the targets); none when no change.
    pub suggestion: Option<CandidateView>,
    /// The next candidates, best first (as many as asked for).
    pub alternatives: Vec<CandidateView>,
    /// Excluded by safety rules.
    pub excluded: Vec<ExcludedView>,
    /// Why the suggestion beat the runner-up.
    pub why: String,
    /// Why no event-risk reduction is given, where none is.
    pub risk_note: Option<String>,
    /// Adherence assumed for a new drug.
    pub assumed_adherence: f64,
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

fn rule_view(r: &Rule) -> RuleView {
    RuleView {
        id: r.id.code().into(),
        text: r.text.into(),
        source: r.source.into(),
        verdict: match r.verdict {
            Verdict::Exclude => "exclude".into(),
            Verdict::Flag => "flag".into(),
        },
    }
}

fn finding_view(f: &Finding) -> FindingView {
    FindingView { rule: rule_view(f.rule), class: f.class.label().into(), because: f.because.clone() }
}

fn taken_now(record: &PatientRecord, today: time::Date, class: DrugClass) -> Option<TakenNowView> {
    record.active_medications(today).find(|m| m.class == Some(class)).map(|m| TakenNowView {
        agent: m.agent.clone(),
        mg: m.daily_dose_mg,
        dose: m.dose_level.map(DoseFile::from),
    })
}

/// A step in structured form; `None` only for a step outside the scenario file's vocabulary
/// (a class or lifestyle change it cannot name), which the search does not make.
fn step_view(step: &Step, flags: &[Finding], record: &PatientRecord, today: time::Date) -> Option<StepView> {
    let (change, class) = match step.kind {
        StepKind::Add(c, d) => (StepChange::Start { class: ClassFile::of(c)?, dose: d.into() }, Some(c)),
        StepKind::Raise(c, d) => {
            (StepChange::Raise { class: ClassFile::of(c)?, dose: d.into(), now: taken_now(record, today, c) }, Some(c))
        }
        StepKind::Switch(from, to) => {
            let dose = step.interventions.iter().find_map(|i| match i {
                Intervention::StartDrug { dose, .. } => Some(DoseFile::from(*dose)),
                _ => None,
            })?;
            let now = taken_now(record, today, from);
            (StepChange::Switch { from: ClassFile::of(from)?, to: ClassFile::of(to)?, dose, now }, Some(to))
        }
        StepKind::Lifestyle => {
            let (kind, minutes_per_week) = match step.interventions.first()? {
                Intervention::SodiumReduction { .. } => (LifestyleKind::SaltReduction, None),
                Intervention::DashDiet { .. } => (LifestyleKind::DashDiet, None),
                Intervention::Exercise { minutes_per_week, .. } => (LifestyleKind::Exercise, Some(*minutes_per_week)),
                _ => return None,
            };
            (StepChange::Lifestyle { kind, minutes_per_week }, None)
        }
    };
    Some(StepView {
        label: step.label.clone(),
        change,
        month: step.interventions.iter().map(Intervention::month).min().unwrap_or(0),
        flags: flags.iter().filter(|f| Some(f.class) == class).map(|f| finding_view(f).rule.id).collect(),
        interventions: step.interventions.iter().filter_map(InterventionFile::of).collect(),
    })
}

fn candidate_view(c: &Candidate, risk_years: u32, record: &PatientRecord, today: time::Date) -> CandidateView {
    CandidateView {
        label: c.label(),
        steps: c.steps.iter().map(|s| s.label.clone()).collect(),
        step_parts: c.steps.iter().filter_map(|s| step_view(s, &c.flags, record, today)).collect(),
        drug_changes: c.drug_changes(),
        probability: c.probability,
        probability_bp: c.probability_bp,
        probability_ldl: c.probability_ldl,
        effects: c
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
        risk: c.risk.map(|r| RiskChangeView {
            years: risk_years,
            current: r.current,
            candidate: r.candidate,
            reduction: r.reduction,
            reduction_p05: r.reduction_p05,
            reduction_p95: r.reduction_p95,
            // Percentages and points here; the contrast takes fractions.
            contrast: crate::json::RiskContrastView::new(r.current / 100.0, -r.reduction / 100.0),
        }),
        flags: c.flags.iter().map(finding_view).collect(),
        passed: c.passed.iter().map(|r| rule_view(r)).collect(),
        scenario: ScenarioFile {
            name: if c.steps.is_empty() { "current treatment".into() } else { format!("Suggested: {}", c.label()) },
            interventions: c.scenario.interventions.iter().filter_map(InterventionFile::of).collect(),
            strategy: None,
        },
    }
}

/// The suggestion for the patient of `twin` (built from `record` today).
pub fn suggest(
    patient: &str,
    record: &PatientRecord,
    twin: &Twin,
    today: time::Date,
    config: SearchConfig,
    alternatives: usize,
) -> SuggestionView {
    let targets = suggest::targets_for(record, today, &twin.risk_inputs);
    let s: Suggestion = suggest::suggest(record, &twin.baseline, targets, config);
    let years = config.risk_years;
    let suggestion = s.ranked.first().map(|c| candidate_view(c, years, record, today));
    let headline = match (&s.outcome, &suggestion) {
        (Outcome::NoChange, _) => "No change suggested: today's treatment reaches the targets.".to_string(),
        (Outcome::Suggested, Some(c)) => format!(
            "Suggested: {} — at every target in {:.0}% of simulated courses at {} months.",
            c.label,
            c.probability * 100.0,
            config.months
        ),
        (_, Some(c)) => format!(
            "No regimen within the search (up to {} BP and 2 lipid steps) reaches the targets in 80% of simulated courses; closest: {} ({:.0}%).",
            config.max_steps,
            c.label,
            c.probability * 100.0
        ),
        (_, None) => "No candidate passed the safety limits.".to_string(),
    };
    let t = &s.targets;
    SuggestionView {
        patient: patient.to_string(),
        outcome: match s.outcome {
            Outcome::NoChange => SuggestionOutcome::NoChange,
            Outcome::Suggested => SuggestionOutcome::Suggested,
            Outcome::NoneReaches => SuggestionOutcome::NoneReaches,
        },
        headline,
        targets: TargetsView {
            sbp_below: t.sbp_below,
            dbp_below: t.dbp_below,
            bp_reason: t.bp_reason.clone(),
            ldl_below_mmol: t.ldl_below_mmol,
            ldl_below_mg_dl: (t.ldl_below_mmol * twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L).round(),
            category: t.category.label().into(),
            ldl_reason: t.ldl_reason.clone(),
        },
        current: candidate_view(&s.current, years, record, today),
        suggestion: if s.outcome == Outcome::NoChange { None } else { suggestion },
        alternatives: s
            .ranked
            .iter()
            .skip(1)
            .take(alternatives)
            .map(|c| candidate_view(c, years, record, today))
            .collect(),
        excluded: s
            .excluded
            .iter()
            .map(|e| ExcludedView { label: e.label.clone(), findings: e.findings.iter().map(finding_view).collect() })
            .collect(),
        why: s.why.clone(),
        risk_note: s.risk_note.clone().or_else(|| twin_engine::twin::primary_prevention_caveat(record)),
        assumed_adherence: s.assumed_adherence,
        settings: SearchSettings {
            members: config.members,
            seed: config.seed,
            months: config.months,
            probability: config.probability,
            max_steps: config.max_steps,
            n_candidates: s.ranked.len(),
        },
        rules: RULES.iter().map(rule_view).collect(),
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
