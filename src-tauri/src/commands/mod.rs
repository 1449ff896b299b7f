//! Tauri commands, one file per area. Each converts arguments, calls `twin-app`, and returns its
//! transport types; errors reach the UI as `{code, message}`.

pub mod patients;
