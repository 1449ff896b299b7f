//! Which engine and which learned model produced what the clinician saw: written into every
//! decision the log records, so a later reader can tell which build's numbers were decided on.

use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// This build's engine: the workspace version (the engine, its drug table and its equations ship
/// together).
pub fn engine() -> String {
    format!("cardiotwin engine {}", env!("CARGO_PKG_VERSION"))
}

/// The learned model beside the engine, by the SHA-256 of its weights and of its description
/// (what the model card documents), or why there is none. Hashed once per process: the model is
/// loaded once too.
pub fn learned_model() -> &'static str {
    static IDENTITY: OnceLock<String> = OnceLock::new();
    IDENTITY.get_or_init(|| {
        let dir = crate::ml::default_models_dir();
        let digest = |name: &str| -> Option<String> {
            let bytes = std::fs::read(dir.join(name)).ok()?;
            Some(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect())
        };
        match (digest(twin_ml::WEIGHTS_FILE), digest(twin_ml::META_FILE)) {
            (Some(weights), Some(meta)) => format!(
                "ct-seq (learned residual, experimental) weights sha256:{weights} description sha256:{}",
                &meta[..16]
            ),
            _ => "none: no learned model is installed, the mechanistic engine alone".to_string(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_is_named_by_its_weights_hash() {
        let bytes = std::fs::read(crate::ml::default_models_dir().join(twin_ml::WEIGHTS_FILE)).unwrap();
        let hex: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert!(learned_model().contains(&format!("weights sha256:{hex}")), "{}", learned_model());
        assert!(engine().ends_with(env!("CARGO_PKG_VERSION")));
    }
}
