//! The bands mean what they say on synthetic follow-up nobody fitted to: the twin built 12
//! months before the end of freshly generated records covers the held-out readings about as
//! often as its 90% interval claims (docs/VALIDATION.md §9 has the full run, seeds 2–11).

use twin_devtools::coverage::check;

#[test]
fn ninety_percent_intervals_cover_about_ninety_percent_of_held_out_readings() {
    let report = check(&[2, 3], 200);
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.hindcasts, 24);
    for row in &report.rows {
        assert!(row.readings >= 20, "{}: {} readings", row.measurement, row.readings);
        // Bands that collapsed (zero width) or exploded would fall far outside these.
        let (lo, hi) = match row.measurement.as_str() {
            // The twin's stated heart-rate spread (7 bpm) is wider than the generator's (4 bpm).
            "heart_rate" => (0.9, 1.0),
            _ => (0.75, 0.99),
        };
        assert!((lo..=hi).contains(&row.coverage), "{}: {:.1}% inside", row.measurement, row.coverage * 100.0);
    }
}
