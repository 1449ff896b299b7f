//! Projections say which part is learned, with the shipped learned model (`models/`). How well
//! that model does on held-out patients is checked in `twin-devtools` (`tests/learned.rs`), beside
//! `evaluate`.

mod common;

#[test]
fn a_projection_says_what_is_learned() {
    let (session, id) = common::demo_session();
    let p = common::current_treatment(&session, &id, 24, 100);
    assert!(p.learned.available, "{}", p.learned.note);
    assert!(p.learned.note.contains("synthetic") && p.learned.note.contains("not clinically validated"));
    assert_eq!(p.learned.rows.len(), 16);
    for r in &p.learned.rows {
        assert!((r.hybrid - (r.engine + r.residual)).abs() < 1e-9 && r.lo < r.hybrid && r.hybrid < r.hi);
    }
}
