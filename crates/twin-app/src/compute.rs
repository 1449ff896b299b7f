//! Which executor runs the ensembles: `auto` (a hardware GPU when there is one, else the CPU),
//! `cpu`, or `gpu` (any adapter, software Vulkan included). Every run says which ran and why;
//! a GPU that fails mid-run (lost, out of memory) hands the same run to the CPU with a message,
//! never a crash.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use twin_engine::progression::backend::{CpuBackend, EnsembleBackend, RunError};
use twin_engine::progression::scenario::Scenario;
use twin_engine::progression::{Baseline, Cancelled, RunControl};
use twin_gpu::{AdapterChoice, GpuBackend, Unavailable};

use crate::error::{AppError, ErrorCode};

/// The executor asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum BackendChoice {
    /// A hardware GPU when there is one, else the CPU.
    #[default]
    Auto,
    /// The CPU (every core).
    Cpu,
    /// Any GPU adapter, a software one included; an error when there is none.
    Gpu,
}

impl BackendChoice {
    /// Reads `auto`, `cpu` or `gpu`.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] for anything else.
    pub fn parse(text: &str) -> Result<Self, AppError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "cpu" => Ok(Self::Cpu),
            "gpu" => Ok(Self::Gpu),
            other => {
                Err(AppError::new(ErrorCode::Validation, format!("unknown backend '{other}': use auto, cpu or gpu")))
            }
        }
    }

    /// The choice in `CARDIOTWIN_BACKEND` (how a clinic's IT, or a test, sets the app's),
    /// else `auto`.
    ///
    /// # Errors
    /// When the variable holds something else.
    pub fn from_env() -> Result<Self, AppError> {
        std::env::var("CARDIOTWIN_BACKEND").map_or(Ok(Self::Auto), |v| Self::parse(&v))
    }
}

/// One device per process and kind: opening takes 0.2–0.5 s, and the device is shared.
fn opened(choice: AdapterChoice) -> &'static Result<GpuBackend, Unavailable> {
    static HARDWARE: OnceLock<Result<GpuBackend, Unavailable>> = OnceLock::new();
    static ANY: OnceLock<Result<GpuBackend, Unavailable>> = OnceLock::new();
    match choice {
        AdapterChoice::Hardware => HARDWARE.get_or_init(|| GpuBackend::new(choice)),
        AdapterChoice::Any => ANY.get_or_init(|| GpuBackend::new(choice)),
    }
}

/// The executor chosen for a run, and why.
#[derive(Clone)]
pub struct Compute {
    gpu: Option<&'static dyn EnsembleBackend>,
    why: String,
}

impl std::fmt::Debug for Compute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Compute {
    /// Runs on `gpu` first, falling back to the CPU as [`Compute::run`] says (another device, or
    /// a test's failing one).
    pub fn with_device(gpu: &'static dyn EnsembleBackend, why: impl Into<String>) -> Self {
        Self { gpu: Some(gpu), why: why.into() }
    }

    /// Resolves `choice` against the adapters this machine has.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] when `gpu` is asked for and there is no adapter at all.
    pub fn choose(choice: BackendChoice) -> Result<Self, AppError> {
        Ok(match choice {
            BackendChoice::Cpu => Self { gpu: None, why: "the CPU was asked for".into() },
            BackendChoice::Auto => match opened(AdapterChoice::Hardware) {
                Ok(gpu) => Self { gpu: Some(gpu), why: "a hardware GPU was found".into() },
                Err(e) => Self { gpu: None, why: e.to_string() },
            },
            BackendChoice::Gpu => match opened(AdapterChoice::Any) {
                Ok(gpu) => Self { gpu: Some(gpu), why: "a GPU was asked for".into() },
                Err(e) => return Err(AppError::new(ErrorCode::Validation, format!("no GPU to run on: {e}"))),
            },
        })
    }

    /// The executor for `scenarios` of the patient whose baseline is `baseline`: a treat-to-target
    /// strategy runs on the CPU (each member's drugs follow its own readings at reviews, which
    /// the GPU kernel's shared plan rows cannot hold), and so do heart-failure outcomes (the
    /// kernel computes CV events only), so where a GPU was chosen the work goes to the CPU by
    /// design, and says why.
    pub fn for_scenarios<'a>(&self, baseline: &Baseline, scenarios: impl IntoIterator<Item = &'a Scenario>) -> Compute {
        if self.gpu.is_some() && baseline.heart_failure.is_some() {
            return Self {
                gpu: None,
                why: "heart-failure outcomes run on the CPU by design (the GPU kernel projects cardiovascular events \
                      only)"
                    .into(),
            };
        }
        if self.gpu.is_some() && scenarios.into_iter().any(|s| s.strategy.is_some()) {
            return Self {
                gpu: None,
                why: "treat-to-target strategies run on the CPU by design (each simulated patient's drugs follow \
                      its own readings)"
                    .into(),
            };
        }
        self.clone()
    }

    /// What runs, and why, in one line.
    pub fn describe(&self) -> String {
        match self.gpu {
            Some(gpu) => format!("{}; {}", gpu.describe(), self.why),
            None => format!("{}; {}", CpuBackend.describe(), self.why),
        }
    }

    /// Runs `work` on the chosen executor; when a GPU fails, runs it again on the CPU (with
    /// `control`'s count restarted) and says so. Returns the result and what ran, in words.
    ///
    /// # Errors
    /// [`Cancelled`] when `control` was cancelled.
    pub fn run<T>(
        &self,
        control: &RunControl,
        mut work: impl FnMut(&dyn EnsembleBackend) -> Result<T, RunError>,
    ) -> Result<(T, String), Cancelled> {
        if let Some(gpu) = self.gpu {
            match work(gpu) {
                Ok(t) => return Ok((t, self.describe())),
                Err(RunError::Cancelled(c)) => return Err(c),
                Err(RunError::Backend(e)) => {
                    control.restart();
                    let t = cpu_only(work(&CpuBackend))?;
                    return Ok((t, format!("{} after the GPU failed: {e}", CpuBackend.describe())));
                }
            }
        }
        Ok((cpu_only(work(&CpuBackend))?, self.describe()))
    }
}

/// The CPU executor fails only by being cancelled.
fn cpu_only<T>(r: Result<T, RunError>) -> Result<T, Cancelled> {
    r.map_err(|e| match e {
        RunError::Cancelled(c) => c,
        RunError::Backend(_) => Cancelled,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_baseline(bundle: &str) -> Baseline {
        let record = twin_fhir::harmonise_bundle_text(bundle).unwrap().record;
        let day = twin_test_support::CONSULTATION_DAY;
        twin_engine::twin::build(&record, day, Default::default(), 10).unwrap().baseline
    }

    /// Heart-failure outcomes go to the CPU by design, and say why; a patient without heart
    /// failure keeps the device.
    #[test]
    fn heart_failure_outcomes_run_on_the_cpu_and_say_why() {
        let hf = demo_baseline(include_str!("../../../assets/demo/03-heart-failure-reduced-ef.json"));
        assert!(hf.heart_failure.is_some());
        let device = Compute::with_device(&CpuBackend, "a test device");
        let fixed = Scenario::current_treatment();
        let routed = device.for_scenarios(&hf, [&fixed]);
        assert!(routed.gpu.is_none());
        assert!(routed.describe().contains("heart-failure outcomes run on the CPU by design"), "{routed:?}");
        let other = demo_baseline(include_str!("../../../assets/demo/01-uncontrolled-hypertension.json"));
        assert!(device.for_scenarios(&other, [&fixed]).gpu.is_some());
    }

    #[test]
    fn choices_parse_and_others_are_refused() {
        assert_eq!(BackendChoice::parse(" GPU ").unwrap(), BackendChoice::Gpu);
        assert!(BackendChoice::parse("cuda").unwrap_err().to_string().contains("auto, cpu or gpu"));
        assert!(Compute::choose(BackendChoice::Cpu).unwrap().describe().contains("the CPU was asked for"));
    }

    /// A strategy goes to the CPU by design, and the words say so rather than a GPU failure;
    /// a fixed regimen keeps the device, and the CPU's own reason stays when no GPU was chosen.
    #[test]
    fn strategies_run_on_the_cpu_and_say_why() {
        use twin_engine::progression::strategy::{Strategy, TargetRule, DEFAULT_BP_SEQUENCE};
        let baseline = demo_baseline(include_str!("../../../assets/demo/01-uncontrolled-hypertension.json"));
        let rule =
            TargetRule { below: 130.0, review_months: 3.0, sequence: DEFAULT_BP_SEQUENCE.to_vec(), ladder: Vec::new() };
        let strategy =
            Scenario { strategy: Some(Strategy { sbp: Some(rule), ldl: None }), ..Scenario::current_treatment() };
        let fixed = Scenario::current_treatment();
        let device = Compute::with_device(&CpuBackend, "a test device");
        let routed = device.for_scenarios(&baseline, [&fixed, &strategy]);
        assert!(routed.gpu.is_none());
        assert!(routed.describe().contains("treat-to-target strategies run on the CPU by design"), "{routed:?}");
        assert!(!routed.describe().contains("failed"), "{routed:?}");
        assert!(device.for_scenarios(&baseline, [&fixed]).gpu.is_some());
        let cpu = Compute::choose(BackendChoice::Cpu).unwrap().for_scenarios(&baseline, [&strategy]);
        assert!(cpu.describe().contains("the CPU was asked for"), "{cpu:?}");
    }
}
