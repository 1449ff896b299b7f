//! Reading and mapping 10,000 ORU^R01 messages (a lipid panel, HbA1c, creatinine and potassium
//! each, with an NTE, MLLP-framed as an interface engine writes them) to FHIR Observations.
//! Target (issue 31): under 5 s. `cargo bench -p twin-hl7 --bench oru`.

use criterion::{criterion_group, criterion_main, Criterion};
use twin_hl7::observation::observations;
use twin_hl7::{read_batch, CodeTable};

const N_MESSAGES: usize = 10_000;

fn feed() -> String {
    (0..N_MESSAGES)
        .map(|i| {
            format!(
                "\u{0b}MSH|^~\\&|LIS|NORTHGATE|CT|CLINIC|20261110083000||ORU^R01^ORU_R01|M{i}|P|2.5.1\r\
                 PID|1||MRN{}^^^NGH^MR||DOE^JANE||19580312|F\r\
                 OBR|1|P{i}|F{i}|24331-1^Lipid panel^LN|||202611100745+0000\r\
                 OBX|1|NM|2093-3^Cholesterol^LN||212|mg/dL|<200|H|||F\r\
                 OBX|2|NM|2085-9^HDL^LN||48|mg/dL|>40|N|||F\r\
                 OBX|3|NM|13457-7^LDL (calc)^LN||3.9|mmol/L|<3.0|H|||F\r\
                 NTE|1|L|Fasting 12 h\\.br\\Friedewald\r\
                 OBX|4|NM|4548-4^HbA1c^LN||6.1|%|<6.0|H|||F\r\
                 OBX|5|NM|CREA^Creatinine^L||1.1|mg/dL|0.6-1.2|N|||F\r\
                 OBX|6|NM|K^Potassium^L^2823-3^Potassium^LN||4.4|mmol/L|3.5-5.1|N|||F\r\u{1c}\r",
                i % 500
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = feed();
    let codes = CodeTable::parse("L,CREA,2160-0,Creatinine\n").expect("table");
    let mut group = c.benchmark_group("hl7");
    group.sample_size(10);
    group.bench_function("10k_oru_read_and_map", |b| {
        b.iter(|| {
            let batch = read_batch(&text, &codes);
            let n: usize = batch
                .messages
                .iter()
                .flatten()
                .map(|m| observations(m.results.iter().map(|r| (m, r)), "p").len())
                .sum();
            assert_eq!(n, N_MESSAGES * 6);
            n
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
