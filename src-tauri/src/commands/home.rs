//! Home data from a file the clinician chose on this computer: the desktop hands the file's path
//! to the same use case the browser's upload streams into (`Session::import_home_stream`), so an
//! Apple Health export of gigabytes is read from disk as it is parsed, never copied.

use tauri::State;
use twin_app::home_import::{HomeImportReport, ImportHomeArgs};
use twin_app::{AppError, ErrorCode};

use crate::state::AppState;

/// Imports the home-monitor CSV or Apple Health `export.xml` at `path` for the patient `args`
/// names (the one on screen, confirmed by the clinician).
#[tauri::command]
pub async fn import_home_path(
    state: State<'_, AppState>,
    path: String,
    args: ImportHomeArgs,
) -> Result<HomeImportReport, AppError> {
    let session = std::sync::Arc::clone(&state.session);
    tauri::async_runtime::spawn_blocking(move || {
        let file = std::fs::File::open(&path)
            .map_err(|e| AppError::new(ErrorCode::Validation, format!("could not open {}: {e}", args.file_name)))?;
        session.import_home_stream(file, &args)
    })
    .await
    .unwrap_or_else(|_| Err(AppError::new(ErrorCode::Io, "internal error while importing; please report it")))
}
