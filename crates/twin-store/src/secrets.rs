//! Where the cache key lives: the OS keychain (Secret Service on Linux, Keychain on macOS,
//! Credential Manager on Windows), through the `keyring` crate. Never on disk in clear.

use crate::error::StoreError;

/// The keychain service name for CardioTwin's entries.
pub const SERVICE: &str = "org.cardiotwin.desktop";

/// A place to keep secrets.
pub trait SecretStore: Send + Sync {
    /// The secret named `name`, or `None` when there is none.
    ///
    /// # Errors
    /// [`StoreError::Keychain`] when the backend cannot be reached.
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores `secret` under `name`, replacing any previous one.
    ///
    /// # Errors
    /// [`StoreError::Keychain`] when the backend cannot be reached or refuses.
    fn set(&self, name: &str, secret: &[u8]) -> Result<(), StoreError>;
    /// Removes the secret named `name`, if any.
    ///
    /// # Errors
    /// [`StoreError::Keychain`] when the backend cannot be reached.
    fn delete(&self, name: &str) -> Result<(), StoreError>;
}

/// The platform keychain.
#[derive(Debug, Default, Clone, Copy)]
pub struct Keychain;

/// The keychain's failure in plain words; the backend's own wording (D-Bus names, paths) is not
/// for the clinician.
fn keychain_error(e: keyring::Error) -> StoreError {
    let reason = match &e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string().to_ascii_lowercase();
            let absent = [
                "serviceunknown",
                "not provided by any",
                "dbus_session_bus_address",
                "no such file",
                "connection refused",
                "not found",
                "failed to connect",
                "address",
            ];
            if absent.iter().any(|a| text.contains(a)) {
                "no keychain service is running: start the desktop's keyring (e.g. GNOME Keyring or \
                 KWallet on Linux) and try again"
                    .to_string()
            } else if matches!(e, keyring::Error::NoStorageAccess(_)) || text.contains("locked") {
                "the keychain is locked or refused access: unlock it and try again".to_string()
            } else {
                "the keychain service failed; try again, or restart the desktop's keyring".to_string()
            }
        }
        // The platform store could not start: on Linux, no Secret Service on the session bus.
        keyring::Error::NoDefaultStore => "no keychain service is running: start the desktop's keyring (e.g. GNOME \
                                           Keyring or KWallet on Linux) and try again"
            .to_string(),
        keyring::Error::NoEntry => "no such keychain entry".to_string(),
        _ => "the keychain returned something CardioTwin cannot use".to_string(),
    };
    StoreError::Keychain { reason }
}

impl SecretStore for Keychain {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let entry = keyring::Entry::new(SERVICE, name).map_err(keychain_error)?;
        match entry.get_secret() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), StoreError> {
        keyring::Entry::new(SERVICE, name).and_then(|e| e.set_secret(secret)).map_err(keychain_error)
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        match keyring::Entry::new(SERVICE, name).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keychain_error(e)),
        }
    }
}

/// Secrets in memory only, for unit tests beside the real-keychain tests.
#[derive(Debug, Default)]
pub struct MemorySecrets(std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>);

impl MemorySecrets {
    /// The names held, sorted (for tests that check what a deletion left behind).
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.0.lock().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        names.sort();
        names
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.0.lock().map_err(|_| StoreError::Keychain { reason: "poisoned".into() })?.get(name).cloned())
    }

    fn set(&self, name: &str, secret: &[u8]) -> Result<(), StoreError> {
        self.0
            .lock()
            .map_err(|_| StoreError::Keychain { reason: "poisoned".into() })?
            .insert(name.into(), secret.to_vec());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), StoreError> {
        self.0.lock().map_err(|_| StoreError::Keychain { reason: "poisoned".into() })?.remove(name);
        Ok(())
    }
}
