//! How long a five-page letter takes (target < 50 ms; issue 31).

use criterion::{criterion_group, criterion_main, Criterion};

/// The synthetic clinic letter, repeated to about 15,000 characters (five pages of ~3,000).
fn five_page_letter() -> String {
    let page = include_str!("../corpus/letter.txt");
    page.repeat(15_000_usize.div_ceil(page.len()))
}

fn bench(c: &mut Criterion) {
    let letter = five_page_letter();
    c.bench_function(&format!("extract, {} bytes", letter.len()), |b| b.iter(|| twin_notes::extract(&letter)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
