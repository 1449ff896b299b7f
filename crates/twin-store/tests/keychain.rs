//! The store against the real OS keychain (Secret Service on Linux, via gnome-keyring started by
//! `scripts/test` under `dbus-run-session`). Outside such a session these tests say so and stop,
//! unless CARDIOTWIN_REQUIRE_KEYCHAIN is set (as `scripts/test` does), when they must run.

use std::sync::Arc;

use twin_store::cache::Snapshot;
use twin_store::secrets::{Keychain, SecretStore};
use twin_store::{Store, StoreError};

fn keychain_available() -> bool {
    let available = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    if !available {
        assert!(
            std::env::var_os("CARDIOTWIN_REQUIRE_KEYCHAIN").is_none(),
            "CARDIOTWIN_REQUIRE_KEYCHAIN is set but there is no D-Bus session: run through scripts/test"
        );
        eprintln!("no D-Bus session: keychain tests not run (scripts/test runs them)");
    }
    available
}

fn snapshot(id: &str) -> Snapshot {
    Snapshot {
        patient_id: id.into(),
        display_name: "Keychain Test".into(),
        source: "test".into(),
        fetched_at: "2026-11-22T10:00:00Z".into(),
        bundle_json: "{}".into(),
        summary_json: "{}".into(),
    }
}

#[test]
fn the_key_lives_in_the_keychain_and_its_loss_locks_the_cache_without_deleting_anything() {
    if !keychain_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Arc::new(Keychain)).expect("open with the real keychain");
    store.put_snapshot(&snapshot("k1")).unwrap();
    let id = store.id().to_string();
    drop(store);
    let entry_name = format!("cache-key-{id}-1");
    let key = Keychain.get(&entry_name).unwrap().expect("key stored in the keychain");
    assert_eq!(key.len(), 32);

    // Missing key: locked, in plain words, nothing deleted.
    Keychain.delete(&entry_name).unwrap();
    let err = Store::open(dir.path(), Arc::new(Keychain)).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }));
    assert!(err.to_string().starts_with("cache locked:"), "{err}");

    // Changed key: locked, no garbage decrypted.
    Keychain.set(&entry_name, &[7u8; 32]).unwrap();
    assert!(matches!(Store::open(dir.path(), Arc::new(Keychain)), Err(StoreError::Locked { .. })));

    // The right key back: everything is still there.
    Keychain.set(&entry_name, &key).unwrap();
    let store = Store::open(dir.path(), Arc::new(Keychain)).unwrap();
    assert_eq!(store.get_snapshot("k1").unwrap().display_name, "Keychain Test");
    Keychain.delete(&entry_name).unwrap();
    for name in [format!("cache-salt-{id}"), format!("cache-state-{id}")] {
        Keychain.delete(&name).unwrap();
    }
}
