//! The scenarios and settings of a panel run, and the seeds derived from them.

use std::path::Path;

use sha2::{Digest, Sha256};

use twin_app::scenario_file::{self, ScenarioFile};
use twin_app::settings::GuidelineSet;
use twin_engine::progression::scenario::Scenario;

use crate::error::PanelError;

/// The name the command line and the rows give today's treatment.
pub const CURRENT: &str = "current";

/// A scenario of the run: `current` (today's treatment) or one read from a scenario file
/// (the same JSON format `cardiotwin simulate --scenario` reads; see docs/SCENARIOS.md).
#[derive(Debug, Clone, PartialEq)]
pub struct PanelScenario {
    /// The name its rows carry (`current`, or the file's `name`).
    pub name: String,
    /// The scenario as the app's use cases take it.
    file: ScenarioFile,
}

impl PanelScenario {
    /// Today's treatment, unchanged.
    pub fn current() -> Self {
        Self { name: CURRENT.to_string(), file: ScenarioFile::current_treatment() }
    }

    /// A scenario file, checked as `cardiotwin simulate --scenario` checks it.
    ///
    /// # Errors
    /// [`PanelError::Scenario`] naming the file and what is wrong with it.
    pub fn from_file(path: &Path) -> Result<Self, PanelError> {
        let file = scenario_file::read_scenario_file(path)
            .map_err(|e| PanelError::Scenario { name: path.display().to_string(), reason: e.message })?;
        if file.name == CURRENT {
            return Err(PanelError::Scenario {
                name: path.display().to_string(),
                reason: format!("the name '{CURRENT}' is today's treatment; give the scenario another name"),
            });
        }
        Ok(Self { name: file.name.clone(), file })
    }

    /// `current`, or a scenario file's path: how the command line names one.
    ///
    /// # Errors
    /// As [`PanelScenario::from_file`].
    pub fn parse(spec: &str) -> Result<Self, PanelError> {
        if spec == CURRENT {
            Ok(Self::current())
        } else {
            Self::from_file(Path::new(spec))
        }
    }

    /// Whether this is today's treatment.
    pub fn is_current(&self) -> bool {
        self.file.interventions.is_empty() && self.file.strategy.is_none()
    }

    /// The engine's scenario.
    pub(crate) fn engine(&self) -> Result<Scenario, PanelError> {
        self.file
            .to_scenario(&self.name)
            .map_err(|e| PanelError::Scenario { name: self.name.clone(), reason: e.message })
    }

    /// A digest of what the scenario does (its JSON), so a part written under another scenario
    /// of the same name is not taken for this one's.
    pub(crate) fn digest(&self) -> String {
        let json = serde_json::to_string(&self.file).unwrap_or_default();
        hex(&Sha256::digest(json.as_bytes())[..8])
    }
}

/// The ensemble and day every patient of the run is projected with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelOptions {
    /// The run's seed; each patient's and scenario's seed is derived from it ([`derive_seed`]).
    pub seed: u64,
    /// Ensemble members per scenario.
    pub members: usize,
    /// Months projected; the risk columns are read at 10 years, so at least 120.
    pub months: u32,
    /// The day the records are read on (ages, active medications, staleness, month 0).
    pub as_of: time::Date,
    /// Whose targets the suggested plans aim at: the workstation's setting, so a panel and a
    /// consultation under the same setting suggest the same plan.
    pub guidelines: GuidelineSet,
}

/// The horizon the risk columns are read at, months: the 10-year risk the equations estimate
/// (PCE, PREVENT, SCORE2 all report 10 years).
pub const RISK_MONTH: u32 = 120;
/// The month SBP and LDL-C are read at: the first annual review.
pub const REVIEW_MONTH: u32 = 12;

impl PanelOptions {
    /// Checked against the app's limits.
    ///
    /// # Errors
    /// [`PanelError::Options`] saying which is out of range.
    pub fn check(&self) -> Result<(), PanelError> {
        if !(1..=twin_app::session::MAX_MEMBERS).contains(&self.members) {
            return Err(PanelError::Options(format!(
                "members must be 1–{}, not {}",
                twin_app::session::MAX_MEMBERS,
                self.members
            )));
        }
        if !(RISK_MONTH..=twin_app::session::MAX_MONTHS).contains(&self.months) {
            return Err(PanelError::Options(format!(
                "months must be {RISK_MONTH}–{} (the rows report 10-year risk), not {}",
                twin_app::session::MAX_MONTHS,
                self.months
            )));
        }
        Ok(())
    }

    /// What a part was computed with: a part whose fingerprint differs is not this run's.
    pub(crate) fn fingerprint(&self, scenarios: &[PanelScenario]) -> String {
        let names: Vec<String> = scenarios.iter().map(|s| format!("{}={}", s.name, s.digest())).collect();
        format!(
            "seed={};members={};months={};as_of={};guidelines={};engine={};scenarios={}",
            self.seed,
            self.members,
            self.months,
            self.as_of,
            self.guidelines.code(),
            twin_app::identity::engine(),
            names.join(",")
        )
    }
}

/// The seed of one patient under one scenario (or `suggest` for the plan search): the first
/// eight bytes of SHA-256 over the run's seed, the patient id and the name. Any subset of the
/// patients, in any order, on any machine, reproduces the same rows.
pub fn derive_seed(run_seed: u64, patient: &str, name: &str) -> u64 {
    let mut h = Sha256::new();
    h.update(run_seed.to_le_bytes());
    h.update((patient.len() as u64).to_le_bytes());
    h.update(patient.as_bytes());
    h.update(name.as_bytes());
    let digest = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_patient_and_scenario_and_repeat() {
        let a = derive_seed(7, "p1", "current");
        assert_eq!(a, derive_seed(7, "p1", "current"));
        assert_ne!(a, derive_seed(7, "p2", "current"));
        assert_ne!(a, derive_seed(7, "p1", "amlodipine"));
        assert_ne!(a, derive_seed(8, "p1", "current"));
        // The id's length is hashed, so ("p1", "0x") and ("p10", "x") do not collide.
        assert_ne!(derive_seed(7, "p1", "0x"), derive_seed(7, "p10", "x"));
    }
}
