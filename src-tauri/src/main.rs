//! The CardioTwin desktop shell: a window over the web UI, and thin Tauri commands over
//! `twin-app`. Nothing here that the CLI would need too.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

fn main() {
    let state = state::AppState::from_env();
    let result = tauri::Builder::default()
        .manage(state)
        .invoke_handler(tauri::generate_handler![commands::call, commands::home::import_home_path])
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("CardioTwin could not start its window: {e}");
        std::process::exit(1);
    }
}
