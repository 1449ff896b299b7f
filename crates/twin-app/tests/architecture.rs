//! The invariants of docs/ARCHITECTURE.md that a test can check: which crate may depend on
//! which, the engine free of I/O, and clinical constants only in the engine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Workspace package name → names of its normal (non-dev, non-build) dependencies.
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            let deps = p["dependencies"]
                .as_array()
                .expect("dependencies")
                .iter()
                .filter(|d| d["kind"].is_null())
                .map(|d| d["name"].as_str().unwrap_or_default().to_string())
                .collect();
            (p["name"].as_str().unwrap_or_default().to_string(), deps)
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_engine_depends_on_no_io_crate_and_does_no_io() {
    let deps = dependencies();
    let engine = &deps["twin-engine"];
    let io = ["tokio", "reqwest", "sled", "rusqlite", "keyring", "fhir-sdk", "serde_json", "axum", "tauri", "wgpu"];
    for crate_name in io {
        assert!(!engine.iter().any(|d| d == crate_name), "twin-engine depends on {crate_name}");
    }
    for file in rust_files(&root().join("crates/twin-engine/src")) {
        let text = std::fs::read_to_string(&file).expect("read");
        for forbidden in ["std::fs", "std::net", "now_utc", "SystemTime", "std::env"] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}", file.display());
        }
    }
}

#[test]
fn dependencies_point_one_way() {
    let deps = dependencies();
    let ours = |p: &str| deps[p].iter().filter(|d| d.starts_with("twin-")).cloned().collect::<Vec<_>>();
    assert!(ours("twin-engine").is_empty(), "the engine depends on no other crate of ours");
    for lower in ["twin-fhir", "twin-store", "twin-synth"] {
        assert!(!ours(lower).contains(&"twin-app".to_string()), "{lower} must not depend on twin-app");
    }
    assert_eq!(ours("cardiotwin-desktop"), vec!["twin-app".to_string()], "the desktop shell sees only twin-app");
    assert_eq!(ours("twin-cli"), vec!["twin-app".to_string()], "the CLI sees only twin-app");
    assert_eq!(ours("twin-gpu"), vec!["twin-engine".to_string()], "the GPU executor sees only the engine");
    assert_eq!(ours("twin-ml"), vec!["twin-engine".to_string()], "the learned model sees only the engine");
}

#[test]
fn the_cli_and_the_shell_name_no_engine_store_or_fhir_module() {
    for dir in ["crates/twin-cli/src", "src-tauri/src"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for forbidden in ["twin_engine", "twin_store", "twin_fhir"] {
                assert!(!text.contains(forbidden), "{} names {forbidden}: go through twin-app", file.display());
            }
        }
    }
}

#[test]
fn clinical_constants_live_in_the_engine_only() {
    for dir in ["crates/twin-app/src", "crates/twin-cli/src", "src-tauri/src"] {
        for file in rust_files(&root().join(dir)) {
            let text = std::fs::read_to_string(&file).expect("read");
            for (n, line) in text.lines().enumerate() {
                let l = line.trim_start();
                let numeric_const = (l.starts_with("const ") || l.starts_with("pub const "))
                    && (l.contains(": f64") || l.contains(": f32"));
                assert!(!numeric_const, "{}:{}: a numeric constant outside the engine: {l}", file.display(), n + 1);
            }
        }
    }
}
