//! A record as it stood on an earlier day, and the treatment given after it: what a hindcast
//! (the coverage check, the learned model's training and evaluation) needs to rebuild the twin
//! of that day and project what then happened.

use time::Date;

use super::current_drug;
use crate::progression::scenario::{Intervention, Persistence, Scenario};
use crate::record::PatientRecord;

/// Whole months (30.44 days) from `cut` to `d`, rounded; 0 for a day before it.
pub fn months_after(cut: Date, d: Date) -> u32 {
    (((d - cut).whole_days() as f64) / 30.44).round().max(0.0) as u32
}

/// The record as it stood on `cut`: nothing dated later, medications started later removed and
/// those stopped later still running.
pub fn record_as_of(record: &PatientRecord, cut: Date) -> PatientRecord {
    let mut r = record.clone();
    for series in r.measurements.values_mut() {
        series.retain(|s| s.date <= cut);
    }
    r.medications.retain(|m| m.start.is_none_or(|s| s <= cut));
    for m in &mut r.medications {
        if m.end.is_some_and(|e| e > cut) {
            m.end = None;
        }
    }
    r.conditions.retain(|c| c.onset.is_none_or(|d| d <= cut));
    r.procedures.retain(|p| p.date.is_none_or(|d| d <= cut));
    r.smoking.retain(|(d, _, _)| *d <= cut);
    r.functional_class.retain(|(d, _, _)| *d <= cut);
    r.rhythm.retain(|(d, _, _)| *d <= cut);
    r
}

/// The treatment actually given after `cut`: drugs started and stopped later in the record. A
/// drug started is projected as prescribed ([`Persistence::AsPrescribed`]): the record already
/// says when it was stopped and how much of it was taken.
pub fn treatment_after(record: &PatientRecord, cut: Date) -> Scenario {
    let month = |d: Date| months_after(cut, d);
    let mut interventions = Vec::new();
    for m in &record.medications {
        let Some(drug) = current_drug(m) else { continue };
        if let Some(start) = m.start.filter(|s| *s > cut) {
            interventions.push(Intervention::StartDrug {
                class: drug.class,
                dose: drug.dose,
                start_month: month(start),
                adherence: drug.adherence,
                persistence: Persistence::AsPrescribed,
            });
        }
        if let Some(end) = m.end.filter(|e| *e > cut && m.start.is_none_or(|s| s <= cut)) {
            interventions.push(Intervention::StopDrug { class: drug.class, month: month(end) });
        }
    }
    Scenario::fixed("what happened", interventions)
}
