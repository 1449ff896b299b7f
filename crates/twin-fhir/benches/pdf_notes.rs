//! Facts from a five-page PDF letter: the text layer read with lopdf, then the note reader
//! (target < 50 ms for the whole, as for a plain-text letter; issue 31). The letter is the
//! twin-notes benchmark letter laid out over five pages by fpdf2 (`tests/fixtures/pdf/`).

use criterion::{criterion_group, criterion_main, Criterion};
use twin_fhir::notes::pdf;

fn bench(c: &mut Criterion) {
    let letter = include_bytes!("../tests/fixtures/pdf/letter-5-pages.pdf");
    c.bench_function(&format!("pdf text, five-page letter ({} bytes)", letter.len()), |b| {
        b.iter(|| pdf::text_of(letter))
    });
    c.bench_function("pdf text + facts, five-page letter", |b| {
        b.iter(|| pdf::text_of(letter).map(|text| twin_notes::extract(&text.text).len()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
