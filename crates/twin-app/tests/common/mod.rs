//! What several of twin-app's test files need: the committed demo cohort.
// Each test file compiles this module on its own and uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The committed demo cohort's folder.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo")
}

/// Its bundles, in file-name order.
pub fn demo_files() -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(demo_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}
