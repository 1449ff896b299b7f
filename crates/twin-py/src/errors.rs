//! Rust errors as `cardiotwin.CardioTwinError(message, code)`, the exception the Python side
//! defines (so it carries a `code` attribute researchers can branch on, as the UI does).

use pyo3::prelude::*;

use twin_app::AppError;

/// `error` as a `CardioTwinError`; falls back to `RuntimeError` should the Python side be
/// missing (the module imported on its own).
pub fn app_error(py: Python<'_>, error: &AppError) -> PyErr {
    let code = serde_json::to_value(error.code).ok().and_then(|v| v.as_str().map(str::to_string));
    raise(py, &error.message, code.as_deref().unwrap_or("io"))
}

/// A `CardioTwinError` with `message` and `code`.
pub fn raise(py: Python<'_>, message: &str, code: &str) -> PyErr {
    let made = py
        .import("cardiotwin.errors")
        .and_then(|m| m.getattr("CardioTwinError"))
        .and_then(|class| class.call1((message, code)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(_) => pyo3::exceptions::PyRuntimeError::new_err(format!("{message} ({code})")),
    }
}
