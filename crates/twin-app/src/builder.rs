//! What the scenario builder offers for one patient, and whether a scenario fits that patient's
//! regimen today: the builder's side of [`Scenario::check_against`].
//!
//! A class taken now can have its dose changed or be stopped; a class not taken now can be
//! started; each at the doses its agent's ladder has ([`formulary::dose_for_level`]: no double
//! dose of ezetimibe, no low-intensity atorvastatin). The same check the comparison runs is run
//! here, before anything is compared, and names the change it is about.

use serde::Serialize;
use ts_rs::TS;

use twin_engine::drugs::{DoseLevel, DrugClass};
use twin_engine::formulary::{self, Agent};
use twin_engine::progression::scenario::{Intervention, Scenario};
use twin_engine::progression::CurrentDrug;
use twin_engine::record::PatientRecord;

use crate::scenario_file::{ClassFile, DoseFile, ScenarioFile};

/// One dose a class can be given at, named with its agent.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DoseOption {
    /// The level the projection models.
    pub dose: DoseFile,
    /// The agent at that level, e.g. "amlodipine 10 mg once daily (calcium-channel blocker)".
    pub text: String,
}

/// A class the patient takes today: its dose can change, or it can be stopped.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TakenDrug {
    /// Class.
    pub class: ClassFile,
    /// Today's dose level (the level the projection starts from).
    pub dose: DoseFile,
    /// What the record says is taken: the agent and dose in words, or the record's own text.
    pub medication: String,
    /// The levels its agent's ladder has, today's among them.
    pub doses: Vec<DoseOption>,
}

/// A class not taken today: it can be started.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartableDrug {
    /// Class.
    pub class: ClassFile,
    /// The levels the class's usual agent has (the agent a plan would name).
    pub doses: Vec<DoseOption>,
}

/// What a scenario can change for this patient today.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioOptions {
    /// Classes taken today, in the record's order: change their dose or stop them.
    pub taken: Vec<TakenDrug>,
    /// Classes not taken today, in the engine's order: start them.
    pub startable: Vec<StartableDrug>,
}

/// Whether one scenario fits the patient's regimen today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioCheck {
    /// The scenario's name, as sent.
    pub name: String,
    /// What is wrong, in plain words; `null` when the scenario can be projected.
    pub problem: Option<String>,
    /// The change the problem is with (its index in `interventions`), where it is one change.
    pub intervention: Option<u32>,
}

/// The levels of `agent`'s ladder, each named.
fn doses_of(agent: &Agent) -> Vec<DoseOption> {
    [DoseLevel::Half, DoseLevel::Standard, DoseLevel::Double]
        .into_iter()
        .filter_map(|level| {
            let mg = formulary::dose_for_level(agent, level)?;
            Some(DoseOption { dose: level.into(), text: formulary::describe(agent, mg) })
        })
        .collect()
}

/// The builder's choices for `record` on `today`.
pub fn options(record: &PatientRecord, today: time::Date) -> ScenarioOptions {
    let mut taken: Vec<TakenDrug> = Vec::new();
    for m in record.active_medications(today) {
        let Some(drug) = twin_engine::twin::current_drug(m) else { continue };
        let Some(class) = ClassFile::of(drug.class) else { continue };
        if taken.iter().any(|t| t.class == class) {
            continue;
        }
        let agent = m
            .agent
            .as_deref()
            .and_then(formulary::agent_by_name)
            .filter(|a| a.class == drug.class)
            .unwrap_or_else(|| formulary::preferred_agent(drug.class));
        let medication = match (m.agent.as_deref().and_then(formulary::agent_by_name), m.daily_dose_mg) {
            (Some(a), Some(mg)) if a.class == drug.class => formulary::describe(a, mg),
            _ => m.display.clone(),
        };
        let mut doses = doses_of(agent);
        let dose = DoseFile::from(drug.dose);
        if !doses.iter().any(|d| d.dose == dose) {
            // Today's dose is the record's, on the ladder or not: it is where a change starts.
            doses.push(DoseOption { dose, text: medication.clone() });
            doses.sort_by_key(|d| d.dose as u8);
        }
        taken.push(TakenDrug { class, dose, medication, doses });
    }
    let startable = DrugClass::ALL
        .into_iter()
        .filter_map(|c| ClassFile::of(c).map(|f| (c, f)))
        .filter(|(_, f)| !taken.iter().any(|t| t.class == *f))
        .map(|(c, class)| StartableDrug { class, doses: doses_of(formulary::preferred_agent(c)) })
        .collect();
    ScenarioOptions { taken, startable }
}

/// The drugs `record` has on `today`, as the projection starts from them (the twin's baseline).
pub fn current_drugs(record: &PatientRecord, today: time::Date) -> Vec<CurrentDrug> {
    record.active_medications(today).filter_map(twin_engine::twin::current_drug).collect()
}

/// Whether `file` can be projected for a patient taking `current`: its values, its strategy and
/// its drug changes against today's drugs, each problem naming the change it is about.
pub fn check(file: &ScenarioFile, current: &[CurrentDrug]) -> ScenarioCheck {
    let answer = |problem: String, intervention: Option<usize>| ScenarioCheck {
        name: file.name.clone(),
        problem: Some(problem),
        intervention: intervention.and_then(|n| u32::try_from(n).ok()),
    };
    for (n, i) in file.interventions.iter().enumerate() {
        if let Err(e) = i.check() {
            return answer(e, Some(n));
        }
    }
    let scenario = match file.to_scenario("the scenario") {
        Ok(s) => s,
        // Only the name or the strategy is left to be wrong here.
        Err(e) => return answer(e.message.trim_start_matches("the scenario: ").to_string(), None),
    };
    if let Err(e) = scenario.check_against(current) {
        return answer(e, culprit(&scenario, current));
    }
    ScenarioCheck { name: file.name.clone(), problem: None, intervention: None }
}

/// The drug change at which `scenario` stops fitting `current`: the first, in the order the
/// check walks them (by month, then as listed), whose prefix no longer checks.
fn culprit(scenario: &Scenario, current: &[CurrentDrug]) -> Option<usize> {
    let is_drug = |i: &Intervention| {
        matches!(i, Intervention::StartDrug { .. } | Intervention::ChangeDose { .. } | Intervention::StopDrug { .. })
    };
    let mut order: Vec<usize> =
        (0..scenario.interventions.len()).filter(|n| is_drug(&scenario.interventions[*n])).collect();
    order.sort_by_key(|n| (scenario.interventions[*n].month(), *n));
    (1..=order.len()).find_map(|k| {
        let prefix = Scenario::fixed(
            scenario.name.clone(),
            order[..k].iter().map(|n| scenario.interventions[*n].clone()).collect(),
        );
        prefix.check_against(current).is_err().then(|| order[k - 1])
    })
}

#[cfg(test)]
mod tests {
    use twin_engine::progression::scenario::Persistence;

    use super::*;
    use crate::scenario_file::{InterventionFile, PersistenceFile};

    fn on_lisinopril() -> Vec<CurrentDrug> {
        vec![CurrentDrug { class: DrugClass::AceInhibitor, dose: DoseLevel::Standard, adherence: 1.0 }]
    }

    fn scenario(interventions: Vec<InterventionFile>) -> ScenarioFile {
        ScenarioFile { name: "t".into(), interventions, ..ScenarioFile::current_treatment() }
    }

    fn start(class: ClassFile, month: u32) -> InterventionFile {
        InterventionFile::StartDrug {
            class,
            dose: DoseFile::Standard,
            start_month: month,
            adherence: 1.0,
            persistence: PersistenceFile::from(Persistence::RealWorld),
        }
    }

    #[test]
    fn a_class_taken_now_is_not_started_again_and_the_change_is_named() {
        let ok = check(&scenario(vec![start(ClassFile::CalciumChannelBlocker, 0)]), &on_lisinopril());
        assert_eq!(ok.problem, None);
        let twice = check(
            &scenario(vec![start(ClassFile::CalciumChannelBlocker, 0), start(ClassFile::AceInhibitor, 3)]),
            &on_lisinopril(),
        );
        assert!(twice.problem.as_deref().is_some_and(|p| p.contains("already taken")), "{twice:?}");
        assert_eq!(twice.intervention, Some(1), "the second change is the one at fault");
        let stop_untaken =
            check(&scenario(vec![InterventionFile::StopDrug { class: ClassFile::Statin, month: 0 }]), &on_lisinopril());
        assert_eq!(stop_untaken.intervention, Some(0));
        // Stopped first, started again later: a real plan.
        let restart = check(
            &scenario(vec![
                start(ClassFile::AceInhibitor, 6),
                InterventionFile::StopDrug { class: ClassFile::AceInhibitor, month: 0 },
            ]),
            &on_lisinopril(),
        );
        assert_eq!(restart.problem, None);
    }

    #[test]
    fn values_out_of_range_name_the_change_and_the_field() {
        let c = check(
            &scenario(vec![
                InterventionFile::SodiumReduction { start_month: 0 },
                InterventionFile::Exercise { minutes_per_week: 900.0, start_month: 0 },
            ]),
            &[],
        );
        assert_eq!(c.intervention, Some(1));
        assert!(c.problem.as_deref().is_some_and(|p| p.contains("exercise minutes per week must be 0–600")), "{c:?}");
        let nan = check(&scenario(vec![InterventionFile::Adherence { level: f64::NAN, start_month: 0 }]), &[]);
        assert!(nan.problem.is_some(), "NaN is not an adherence");
    }

    #[test]
    fn options_offer_what_applies_at_the_ladders_doses() {
        let opened = crate::patients::open_bundle(&twin_test_support::demo_file("01-uncontrolled-hypertension.json"))
            .expect("demo 01");
        let record = &opened.record;
        let today = twin_test_support::CONSULTATION_DAY;
        let o = options(record, today);
        assert_eq!(o.taken.iter().map(|t| t.class).collect::<Vec<_>>(), vec![ClassFile::AceInhibitor]);
        assert!(o.taken[0].medication.contains("lisinopril"), "{:?}", o.taken[0]);
        assert!(!o.startable.iter().any(|s| s.class == ClassFile::AceInhibitor), "lisinopril is taken");
        let statin = o.startable.iter().find(|s| s.class == ClassFile::Statin).expect("a statin can be started");
        // Atorvastatin has no low-intensity dose.
        assert_eq!(statin.doses.iter().map(|d| d.dose).collect::<Vec<_>>(), vec![DoseFile::Standard, DoseFile::Double]);
        let ezetimibe = o.startable.iter().find(|s| s.class == ClassFile::Ezetimibe).expect("ezetimibe");
        assert_eq!(ezetimibe.doses.iter().map(|d| d.dose).collect::<Vec<_>>(), vec![DoseFile::Standard]);
        assert!(ezetimibe.doses[0].text.starts_with("ezetimibe 10 mg"), "{:?}", ezetimibe.doses);
    }
}
