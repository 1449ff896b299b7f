//! Store speed: snapshot put/get of a 10-year patient (the largest demo bundle), and opening a
//! 200-patient cache and listing it (target < 200 ms). One sealed file per record, each write flushed and renamed. Keys come from `MemorySecrets` here so the
//! figures measure the store, not the desktop keychain's D-Bus round trip (one lookup per open).
//! Run: `cargo bench -p twin-store`.

use criterion::{criterion_group, criterion_main, Criterion};
use twin_store::cache::Snapshot;
use twin_store::secrets::MemorySecrets;
use twin_store::Store;

fn snapshot(id: &str, bundle: &str) -> Snapshot {
    Snapshot {
        patient_id: id.into(),
        display_name: format!("Bench {id}"),
        source: "bench".into(),
        fetched_at: "2026-11-22T10:00:00Z".into(),
        bundle_json: bundle.into(),
        summary_json: "{}".into(),
    }
}

fn benches(c: &mut Criterion) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/03-heart-failure-reduced-ef.json");
    let bundle = std::fs::read_to_string(path).expect("demo bundle");
    let dir = tempfile::tempdir().expect("temp dir");
    let secrets = std::sync::Arc::new(MemorySecrets::default());
    let store = Store::open(dir.path(), secrets.clone()).expect("open");
    c.bench_function(&format!("put snapshot ({} KB, flushed)", bundle.len() / 1024), |b| {
        b.iter(|| store.put_snapshot(&snapshot("p0", &bundle)).expect("put"))
    });
    c.bench_function("get snapshot", |b| b.iter(|| store.get_snapshot("p0").expect("get")));
    for i in 0..200 {
        store.put_snapshot(&snapshot(&format!("p{i}"), &bundle)).expect("put");
    }
    drop(store);
    c.bench_function("open a 200-patient cache and list it", |b| {
        b.iter(|| {
            let store = Store::open(dir.path(), secrets.clone()).expect("open");
            let (entries, _) = store.list().expect("list");
            assert_eq!(entries.len(), 200);
        })
    });
}

criterion_group! {
    name = store;
    config = Criterion::default().sample_size(10).warm_up_time(std::time::Duration::from_millis(300)).measurement_time(std::time::Duration::from_secs(3));
    targets = benches
}
criterion_main!(store);
