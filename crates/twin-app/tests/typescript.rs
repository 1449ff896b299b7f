//! The UI's TypeScript types are generated from the transport types; this fails when
//! `ui/src/api/generated.ts` is stale. Regenerate with `UPDATE_TS=1 cargo test -p twin-app --test typescript`.

use std::path::Path;

#[test]
fn generated_typescript_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/api/generated.ts");
    let expected = twin_app::typescript::typescript_declarations();
    if std::env::var_os("UPDATE_TS").is_some() {
        std::fs::write(&path, &expected).expect("write generated.ts");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "ui/src/api/generated.ts is stale: run `UPDATE_TS=1 cargo test -p twin-app --test typescript`"
    );
}
