//! One patient's twin: a twin-app session holding the patient opened from a bundle's text, and
//! the read-only use cases run on it through twin-app's command registry, so the answers are
//! exactly the app's and the CLI's (`--format json`).

use pyo3::prelude::*;

use twin_app::commands::dispatch;
use twin_app::error::{AppError, ErrorCode};
use twin_app::session::{Session, SessionConfig};

use crate::errors::{app_error, raise};

/// The use cases a twin answers: those that read the record and compute, never those that write
/// to the offline store or reach an EHR (the package has no keychain or data folder).
const COMMANDS: &[&str] =
    &["patientSummary", "timeline", "twin", "risk", "simulate", "compare", "heatmap", "suggest", "scenarioOptions"];

/// A patient's twin (`cardiotwin.Twin` wraps it).
#[pyclass(frozen, module = "cardiotwin._native")]
pub struct NativeTwin {
    session: Session,
    id: String,
}

#[pymethods]
impl NativeTwin {
    /// Harmonises a FHIR Bundle's JSON text. `as_of` (YYYY-MM-DD) pins the consultation's day;
    /// without it, today.
    #[staticmethod]
    #[pyo3(signature = (bundle_json, as_of=None))]
    fn from_bundle(py: Python<'_>, bundle_json: &str, as_of: Option<&str>) -> PyResult<Self> {
        let opened = py.detach(|| -> Result<Self, AppError> {
            let as_of = as_of.map(twin_app::patients::parse_as_of).transpose()?;
            let session = Session::new(SessionConfig { demo_dir: None, data_dir: None, as_of });
            let id = session.open_text(bundle_json)?;
            Ok(Self { session, id })
        });
        opened.map_err(|e| app_error(py, &e))
    }

    /// The patient's id in the record.
    #[getter]
    fn id(&self) -> &str {
        &self.id
    }

    /// Runs use case `command` with its arguments (JSON text, the app's camelCase fields, without
    /// the patient id) and answers JSON text.
    fn run(&self, py: Python<'_>, command: &str, args_json: &str) -> PyResult<String> {
        if !COMMANDS.contains(&command) {
            return Err(raise(
                py,
                &format!("'{command}' is not something a twin answers; one of: {}", COMMANDS.join(", ")),
                "validation",
            ));
        }
        let answer = py.detach(|| -> Result<String, AppError> {
            let mut args: serde_json::Value = serde_json::from_str(args_json).map_err(|e| {
                AppError::new(ErrorCode::Validation, format!("{command}: the arguments are not JSON: {e}"))
            })?;
            let Some(fields) = args.as_object_mut() else {
                return Err(AppError::new(
                    ErrorCode::Validation,
                    format!("{command}: the arguments must be an object"),
                ));
            };
            fields.insert("id".into(), serde_json::Value::String(self.id.clone()));
            let answer = dispatch(&self.session, command, args)?;
            serde_json::to_string(&answer)
                .map_err(|e| AppError::new(ErrorCode::Io, format!("could not encode the answer: {e}")))
        });
        answer.map_err(|e| app_error(py, &e))
    }

    fn __repr__(&self) -> String {
        // The id only: names and values are PHI and stay out of reprs and logs.
        format!("Twin(id={:?})", self.id)
    }
}
