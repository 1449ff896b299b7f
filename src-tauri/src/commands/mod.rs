//! The one Tauri command: every use case goes through `twin-app`'s command registry, the same
//! one `cardiotwin serve` answers under `/api/`, so the two cannot drift apart. Errors reach the
//! UI as `{code, message}`.

use tauri::State;
use twin_app::commands::dispatch;
use twin_app::{AppError, ErrorCode};

use crate::state::AppState;

pub mod home;

/// Runs one registered command (`twin_app::commands::COMMANDS`) with its JSON arguments.
#[tauri::command]
pub async fn call(
    state: State<'_, AppState>,
    command: String,
    args: serde_json::Value,
) -> Result<serde_json::Value, AppError> {
    let session = std::sync::Arc::clone(&state.session);
    // Ensembles are CPU work: keep them off the window's event loop.
    tauri::async_runtime::spawn_blocking(move || dispatch(&session, &command, args))
        .await
        .unwrap_or_else(|_| Err(AppError::new(ErrorCode::Io, "internal error while answering; please report it")))
}
