//! The `cardiotwin` Python package's native module, `cardiotwin._native`: a thin binding over
//! twin-app's use cases (through its one command registry) and the panel's three passes. No
//! logic lives here; the Python side (`python/cardiotwin/`) turns the JSON answers into Python
//! objects and Arrow tables, and runs panels on Ray.
//!
//! Every call that does Rust work releases the GIL ([`Python::detach`]), so Python threads and
//! Ray's own threads run beside it. Errors become `cardiotwin.CardioTwinError` with the app's
//! plain-language message and its code; no patient data is in either.
#![deny(missing_docs)]

mod errors;
mod panel;
mod twin;

use pyo3::prelude::*;

/// The module `cardiotwin._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<twin::NativeTwin>()?;
    m.add_function(wrap_pyfunction!(panel::check_run, m)?)?;
    m.add_function(wrap_pyfunction!(panel::partition, m)?)?;
    m.add_function(wrap_pyfunction!(panel::run_bucket, m)?)?;
    m.add_function(wrap_pyfunction!(panel::finish, m)?)?;
    m.add_function(wrap_pyfunction!(panel::default_buckets, m)?)?;
    m.add_function(wrap_pyfunction!(panel::skip_reason, m)?)?;
    m.add("ENGINE_VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
