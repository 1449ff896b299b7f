//! Whether the system keychain and the sealed data folder can be used now: asked by the decision
//! screen before the clinician fills the form, and by Settings. Nothing secret in the answer.

use super::*;

/// Why the keychain and the sealed data folder can or cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum KeychainState {
    /// The keychain answers and holds the data folder's keys: decisions can be recorded.
    Ready,
    /// No data folder is configured: nothing is cached or logged.
    NoDataFolder,
    /// The keychain cannot be reached (no keyring service running, or it is locked).
    Unavailable,
    /// The keychain answers but no longer holds this data folder's keys.
    Locked,
    /// The data folder is older than the keychain's record of it (a restored copy).
    RolledBack,
    /// Another CardioTwin window holds the data folder.
    Busy,
    /// The data folder could not be opened otherwise.
    Failed,
}

/// The keychain's state in plain words, for the decision screen and Settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeychainStatus {
    /// Why it can or cannot be used.
    pub state: KeychainState,
    /// Whether decisions can be recorded (and patients cached) now.
    pub usable: bool,
    /// What this means for the clinician, in one sentence.
    pub message: String,
    /// What went wrong, in the store's words (no secret, no patient data); `None` when ready.
    pub detail: Option<String>,
    /// What to do about it; `None` when ready.
    pub action: Option<String>,
}

impl KeychainStatus {
    fn ready() -> Self {
        KeychainStatus {
            state: KeychainState::Ready,
            usable: true,
            message: "The system keychain holds the key of the encrypted data folder: decisions can be recorded and \
                      patients cached."
                .into(),
            detail: None,
            action: None,
        }
    }

    fn no_data_folder() -> Self {
        KeychainStatus {
            state: KeychainState::NoDataFolder,
            usable: false,
            message: "No data folder is configured: decisions cannot be recorded and no patient is cached.".into(),
            detail: None,
            action: Some("Start CardioTwin with a data folder (--data-dir, or CARDIOTWIN_DATA_DIR).".into()),
        }
    }

    /// The status a failure to open the store (or to reach its keychain entries) stands for.
    pub(crate) fn from_error(e: &AppError) -> Self {
        const CANNOT: &str = "decisions cannot be recorded and the offline cache cannot be opened. Demo patients, \
                              simulations and comparisons still work.";
        let (state, message, action) = match e.code {
            ErrorCode::StoreLocked if e.message.starts_with("keychain unavailable") => (
                KeychainState::Unavailable,
                format!("The system keychain cannot be reached, so {CANNOT}"),
                "Start or unlock the system keychain (on Linux: GNOME Keyring or KWallet), then check again; CardioTwin \
                 need not be restarted.",
            ),
            ErrorCode::StoreLocked => (
                KeychainState::Locked,
                format!("The system keychain no longer holds this data folder's key, so {CANNOT}"),
                "Restore the keychain entries of this data folder (nothing in the folder was deleted), then check \
                 again.",
            ),
            ErrorCode::Tampered => (
                KeychainState::RolledBack,
                format!("The data folder is older than the keychain's record of it, so {CANNOT}"),
                "Put the current data folder back, or ask whoever restored it.",
            ),
            ErrorCode::Busy => (
                KeychainState::Busy,
                "Another CardioTwin window is using the data folder; decisions cannot be recorded from here now."
                    .to_string(),
                "Close the other window or wait a moment, then check again.",
            ),
            _ => (
                KeychainState::Failed,
                format!("The data folder cannot be opened, so {CANNOT}"),
                "Check that the data folder's disk is present and writable, then check again.",
            ),
        };
        // The store's own words, without the prefix the message above already says.
        let detail = ["keychain unavailable: ", "cache locked: ", "the data folder was rolled back: "]
            .iter()
            .find_map(|p| e.message.strip_prefix(p))
            .unwrap_or(&e.message);
        KeychainStatus { state, usable: false, message, detail: Some(detail.to_string()), action: Some(action.into()) }
    }
}

impl Session {
    /// Whether the keychain and the sealed data folder can be used now: the store opens (or is
    /// open) and its keychain entries still answer. Asks the keychain afresh each time, so a
    /// keyring started after the app is seen on the next check.
    ///
    /// # Errors
    /// None: every failure is a state of the answer.
    pub fn cmd_keychain_status(&self, _: NoArgs) -> Result<KeychainStatus, AppError> {
        if self.config.data_dir.is_none() {
            return Ok(KeychainStatus::no_data_folder());
        }
        let checked = self.store().and_then(|store| store.check_keychain().map_err(AppError::from));
        Ok(match checked {
            Ok(()) => KeychainStatus::ready(),
            Err(e) => KeychainStatus::from_error(&e),
        })
    }
}

#[cfg(test)]
mod tests {
    use twin_store::StoreError;

    use super::*;

    #[test]
    fn each_store_failure_is_a_state_with_what_to_do() {
        let cases = [
            (StoreError::Keychain { reason: "no keychain service is running".into() }, KeychainState::Unavailable),
            (StoreError::Locked { reason: "the keychain has no key".into() }, KeychainState::Locked),
            (StoreError::RolledBack { reason: "older".into() }, KeychainState::RolledBack),
            (StoreError::Busy, KeychainState::Busy),
            (StoreError::Database("disk".into()), KeychainState::Failed),
        ];
        for (e, state) in cases {
            let s = KeychainStatus::from_error(&AppError::from(e));
            assert_eq!(s.state, state);
            assert!(!s.usable);
            assert!(s.action.is_some_and(|a| a.ends_with('.')));
            assert!(!s.detail.unwrap_or_default().starts_with("keychain unavailable"), "the prefix is not repeated");
        }
    }
}
