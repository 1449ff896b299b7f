use super::combinations::{single_pill_for, single_pills_of, SINGLE_PILLS};
use super::*;

fn agent(name: &str) -> &'static Agent {
    agent_by_name(name).unwrap_or_else(|| panic!("{name} is in the table"))
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn every_ladder_increases_and_ends_at_its_maximum() {
    for a in AGENTS {
        assert!(!a.ladder.is_empty(), "{}", a.name);
        for pair in a.ladder.windows(2) {
            assert!(pair[0].daily_mg() < pair[1].daily_mg(), "{}: {:?} then {:?}", a.name, pair[0], pair[1]);
            // rungs with different effects differ by more than the tolerance a dose is read to a
            // rung with, so a dose is never read as a rung of a different effect
            let apart = pair[1].daily_mg() / pair[0].daily_mg() >= 1.0 + 2.0 * RUNG_TOLERANCE - 1e-9;
            let same = near(a.fraction_of_standard(&pair[0]), a.fraction_of_standard(&pair[1]));
            assert!(apart || same, "{}: {:?} and {:?}", a.name, pair[0], pair[1]);
        }
        let last = a.ladder.last().map(Dose::daily_mg).unwrap_or_default();
        assert!(near(last, a.max_daily_mg), "{}: ladder ends at {last}, maximum {}", a.name, a.max_daily_mg);
        assert!(a.ladder.iter().all(|d| d.mg > 0.0 && d.mg.is_finite()), "{}", a.name);
        assert!(!a.source.is_empty(), "{}", a.name);
    }
}

#[test]
fn every_agents_standard_dose_is_a_rung_worth_one_standard_dose() {
    for a in AGENTS {
        let standard = a.standard_dose().unwrap_or_else(|| panic!("{}: no rung at {} mg", a.name, a.standard_daily_mg));
        assert!(near(a.fraction_of_standard(standard), 1.0), "{}", a.name);
        assert_eq!(dose_level(a, a.standard_daily_mg), Some(DoseLevel::Standard), "{}", a.name);
        // the effect fractions never fall as the dose rises
        for pair in a.ladder.windows(2) {
            assert!(a.fraction_of_standard(&pair[1]) >= a.fraction_of_standard(&pair[0]) - 1e-12, "{}", a.name);
        }
    }
}

#[test]
fn the_usual_doses_read_as_standard() {
    for (name, mg) in [
        ("amlodipine", 5.0),
        ("lisinopril", 10.0),
        ("ramipril", 5.0),
        ("perindopril", 4.0),
        ("losartan", 50.0),
        ("valsartan", 80.0),
        ("candesartan", 8.0),
        ("telmisartan", 40.0),
        ("hydrochlorothiazide", 25.0),
        ("chlorthalidone", 25.0),
        ("indapamide", 1.5),
        ("indapamide", 2.5),
        ("bisoprolol", 5.0),
        ("metoprolol", 100.0),
        ("carvedilol", 25.0),
        ("spironolactone", 25.0),
        ("eplerenone", 50.0),
        ("doxazosin", 4.0),
        ("methyldopa", 750.0),
        ("labetalol", 400.0),
        ("nifedipine", 30.0),
        ("verapamil", 240.0),
        ("atorvastatin", 20.0),
        ("ezetimibe", 10.0),
        ("evolocumab", 10.0),
        ("evolocumab", 14.0),
        ("bempedoic acid", 180.0),
    ] {
        assert_eq!(dose_level(agent(name), mg), Some(DoseLevel::Standard), "{name} {mg} mg");
    }
    assert_eq!(dose_level(agent("amlodipine"), 2.5), Some(DoseLevel::Half));
    assert_eq!(dose_level(agent("amlodipine"), 10.0), Some(DoseLevel::Double));
    assert_eq!(dose_level(agent("lisinopril"), 40.0), Some(DoseLevel::Double));
    // statins by intensity (ACC/AHA 2018), as the projections read them
    assert_eq!(dose_level(agent("atorvastatin"), 10.0), Some(DoseLevel::Standard));
    assert_eq!(dose_level(agent("atorvastatin"), 40.0), Some(DoseLevel::Double));
    assert_eq!(dose_level(agent("rosuvastatin"), 5.0), Some(DoseLevel::Standard));
    assert_eq!(dose_level(agent("simvastatin"), 10.0), Some(DoseLevel::Half));
    // never guessed
    for bad in [0.0, -5.0, f64::NAN, f64::INFINITY] {
        assert_eq!(dose_level(agent("amlodipine"), bad), None);
    }
}

#[test]
fn dose_level_agrees_with_the_standard_ratio_for_every_proportional_rung() {
    // ingest and the demo cohort read dose levels as daily ÷ standard; the formulary agrees on
    // every rung that is proportional (and is not a statin, read by intensity)
    for a in AGENTS.iter().filter(|a| a.class != DrugClass::Statin) {
        for d in a.ladder.iter().filter(|d| d.of_standard.is_none()) {
            let by_ratio = DoseLevel::from_ratio(d.daily_mg() / a.standard_daily_mg);
            assert_eq!(dose_level(a, d.daily_mg()), Some(by_ratio), "{} {:?}", a.name, d);
        }
    }
}

#[test]
fn next_dose_climbs_the_ladder_and_stops_at_the_top_with_a_reason() {
    assert_eq!(next_dose(agent("amlodipine"), 5.0), Some(10.0));
    assert_eq!(next_dose(agent("amlodipine"), 2.5), Some(5.0));
    assert_eq!(next_dose(agent("amlodipine"), 7.5), Some(10.0), "between rungs: the next rung");
    assert_eq!(next_dose(agent("ramipril"), 5.0), Some(10.0));
    assert_eq!(next_dose(agent("carvedilol"), 12.5), Some(25.0));
    for a in AGENTS {
        assert_eq!(next_dose(a, a.max_daily_mg), None, "{}", a.name);
        let why = step_up(a, a.max_daily_mg).expect_err("at the top");
        assert!(matches!(why, NoNextDose::AtMaximum { .. } | NoNextDose::NoHigherEffect { .. }), "{}: {why}", a.name);
    }
    let top = step_up(agent("ramipril"), 10.0).expect_err("ramipril 10 mg is the maximum");
    assert_eq!(top.to_string(), format!("ramipril 10 mg a day is its maximum dose ({})", RAMIPRIL_SOURCE));
    let above = step_up(agent("simvastatin"), 80.0).expect_err("simvastatin 80 mg is above its maximum");
    assert!(matches!(above, NoNextDose::AboveMaximum { .. }), "{above}");
    assert!(matches!(step_up(agent("amlodipine"), f64::NAN), Err(NoNextDose::NotADose { .. })));
    // equivalent doses are not steps up
    assert!(matches!(step_up(agent("indapamide"), 1.5), Err(NoNextDose::NoHigherEffect { .. })));
    assert_eq!(next_dose(agent("indapamide"), 1.25), Some(1.5));
    assert_eq!(next_dose(agent("evolocumab"), 10.0), None);
    assert_eq!(next_dose(agent("aspirin"), 75.0), None);
}

const RAMIPRIL_SOURCE: &str = agents::RAMIPRIL.source;

#[test]
fn previous_dose_steps_down() {
    assert_eq!(previous_dose(agent("amlodipine"), 10.0), Some(5.0));
    assert_eq!(previous_dose(agent("amlodipine"), 2.5), None);
    assert_eq!(previous_dose(agent("spironolactone"), 25.0), Some(12.5));
    assert_eq!(previous_dose(agent("simvastatin"), 80.0), Some(40.0), "above the maximum: the maximum");
    assert_eq!(previous_dose(agent("evolocumab"), 14.0), None, "an equivalent schedule is not a lower dose");
}

#[test]
fn above_max_is_only_above_the_label_maximum() {
    assert!(!is_above_max(agent("amlodipine"), 10.0));
    assert!(is_above_max(agent("amlodipine"), 20.0));
    assert!(is_above_max(agent("simvastatin"), 80.0));
    assert!(!is_above_max(agent("lisinopril"), 80.0));
    assert!(!is_above_max(agent("amlodipine"), f64::NAN));
    assert!(!is_above_max(agent("evolocumab"), 420.0 / 28.0), "420 mg every 4 weeks is the monthly dose");
    assert!(is_above_max(agent("evolocumab"), 420.0 / 14.0));
}

#[test]
fn dose_for_level_names_the_milligrams() {
    assert_eq!(dose_for_level(agent("amlodipine"), DoseLevel::Half), Some(2.5));
    assert_eq!(dose_for_level(agent("amlodipine"), DoseLevel::Standard), Some(5.0));
    assert_eq!(dose_for_level(agent("amlodipine"), DoseLevel::Double), Some(10.0));
    assert_eq!(dose_for_level(agent("ramipril"), DoseLevel::Double), Some(10.0));
    assert_eq!(dose_for_level(agent("atorvastatin"), DoseLevel::Standard), Some(20.0));
    assert_eq!(dose_for_level(agent("atorvastatin"), DoseLevel::Double), Some(40.0));
    assert_eq!(dose_for_level(agent("ezetimibe"), DoseLevel::Double), None);
    for a in AGENTS {
        for level in [DoseLevel::Half, DoseLevel::Standard, DoseLevel::Double] {
            if let Some(mg) = dose_for_level(a, level) {
                assert_eq!(dose_level(a, mg), Some(level), "{} {mg} mg", a.name);
                assert!(!is_above_max(a, mg), "{}", a.name);
            }
        }
    }
}

#[test]
fn name_dose_names_the_agent_taken_or_the_preferred_one() {
    let ccb = name_dose(DrugClass::CalciumChannelBlocker, DoseLevel::Standard, None);
    assert_eq!((ccb.agent, ccb.daily_mg, ccb.exact), ("amlodipine", 5.0, true));
    assert_eq!(ccb.text, "amlodipine 5 mg once daily (calcium-channel blocker)");
    let raised = name_dose(DrugClass::AceInhibitor, DoseLevel::Double, Some("lisinopril"));
    assert_eq!((raised.agent, raised.daily_mg), ("lisinopril", 20.0));
    let other_class = name_dose(DrugClass::Arb, DoseLevel::Standard, Some("lisinopril"));
    assert_eq!(other_class.agent, "losartan", "a taken agent of another class is not named");
    let no_double = name_dose(DrugClass::Ezetimibe, DoseLevel::Double, None);
    assert_eq!((no_double.daily_mg, no_double.exact), (10.0, false));
}

#[test]
fn describe_speaks_in_agents_and_milligrams() {
    assert_eq!(describe(agent("amlodipine"), 5.0), "amlodipine 5 mg once daily (calcium-channel blocker)");
    assert_eq!(describe(agent("lisinopril"), 20.0), "lisinopril 20 mg once daily (ACE inhibitor)");
    assert_eq!(describe(agent("carvedilol"), 25.0), "carvedilol 12.5 mg twice daily (beta-blocker)");
    assert_eq!(describe(agent("evolocumab"), 10.0), "evolocumab 140 mg every 2 weeks (PCSK9 inhibitor)");
    assert_eq!(describe(agent("evolocumab"), 14.0), "evolocumab 420 mg once monthly (PCSK9 inhibitor)");
    assert_eq!(describe(agent("inclisiran"), 284.0 / 180.0), "inclisiran 284 mg every 6 months (PCSK9 siRNA)");
    assert_eq!(describe(agent("ezetimibe"), 10.0), "ezetimibe 10 mg once daily");
    assert_eq!(
        describe(agent("methyldopa"), 750.0),
        "methyldopa 250 mg three times daily (centrally acting antihypertensive)"
    );
    assert_eq!(describe(agent("doxazosin"), 4.0), "doxazosin 4 mg once daily (alpha-blocker)");
    assert_eq!(
        describe(agent("verapamil"), 240.0),
        "verapamil 240 mg once daily (non-dihydropyridine calcium-channel blocker)"
    );
    assert_eq!(describe(agent("amlodipine"), 7.5), "amlodipine 7.5 mg once daily (calcium-channel blocker)");
    assert_eq!(describe(agent("amlodipine"), 5.4), "amlodipine 5.4 mg once daily (calcium-channel blocker)");
    assert_eq!(describe(agent("evolocumab"), 420.0 / 28.0), "evolocumab 420 mg once monthly (PCSK9 inhibitor)");
    assert_eq!(describe(agent("amlodipine"), f64::NAN), "amlodipine, dose not known (calcium-channel blocker)");
}

#[test]
fn rxcuis_and_names_are_unique() {
    for (i, a) in AGENTS.iter().enumerate() {
        for b in &AGENTS[i + 1..] {
            assert!(a.rxcui.is_empty() || a.rxcui != b.rxcui, "{} and {}", a.name, b.name);
            assert_ne!(a.name, b.name);
            // no name contains another, so text finds the right one
            assert!(!a.name.contains(b.name) && !b.name.contains(a.name), "{} / {}", a.name, b.name);
        }
        assert!(a.rxcui.chars().all(|c| c.is_ascii_digit()), "{}", a.name);
        assert_eq!(agent_by_name(a.name), Some(a));
        if !a.rxcui.is_empty() {
            assert_eq!(agent_by_rxcui(a.rxcui), Some(a));
        }
    }
    assert_eq!(agent_by_rxcui(""), None);
}

#[test]
fn the_original_table_is_kept() {
    // ingest, the demo cohort and earlier records rely on these codes and standard doses
    for (name, rxcui, class, standard) in [
        ("lisinopril", "29046", DrugClass::AceInhibitor, 10.0),
        ("ramipril", "35296", DrugClass::AceInhibitor, 5.0),
        ("losartan", "52175", DrugClass::Arb, 50.0),
        ("amlodipine", "17767", DrugClass::CalciumChannelBlocker, 5.0),
        ("verapamil", "11170", DrugClass::NonDihydropyridineCcb, 240.0),
        ("indapamide", "5764", DrugClass::Thiazide, 2.5),
        ("metoprolol", "6918", DrugClass::BetaBlocker, 100.0),
        ("carvedilol", "20352", DrugClass::BetaBlocker, 25.0),
        ("atorvastatin", "83367", DrugClass::Statin, 20.0),
        ("evolocumab", "1665684", DrugClass::Pcsk9Inhibitor, 10.0),
        ("metformin", "6809", DrugClass::Metformin, 2000.0),
    ] {
        let a = agent(name);
        assert_eq!((a.rxcui, a.class), (rxcui, class), "{name}");
        assert!(near(a.standard_daily_mg, standard), "{name}");
    }
    assert_eq!(AGENTS[..33].last().map(|a| a.name), Some("metformin"));
}

#[test]
fn agent_lookup_by_text_ignores_case() {
    assert_eq!(agent_in_text("amLODIPine 5 MG Oral Tablet").map(|a| a.name), Some("amlodipine"));
    assert_eq!(agent_in_text("Doxazosin 4 MG Oral Tablet").map(|a| a.class), Some(DrugClass::AlphaBlocker));
    assert_eq!(agent_in_text("NEXLETOL (bempedoic acid) 180 MG").map(|a| a.class), Some(DrugClass::BempedoicAcid));
    assert_eq!(agent_by_rxcui("83367").map(|a| a.class), Some(DrugClass::Statin));
    assert_eq!(class_in_text("alpha blockers"), Some(DrugClass::AlphaBlocker));
    assert_eq!(class_in_text("ACE inhibitors"), Some(DrugClass::AceInhibitor));
    assert_eq!(class_in_text("penicillin"), None);
}

#[test]
fn every_class_has_a_preferred_agent_of_that_class() {
    use DrugClass as D;
    let every = D::ALL;
    for c in every {
        let a = preferred_agent(c);
        assert_eq!(a.class, c);
        assert_eq!(agent_by_name(a.name), Some(a), "{} is in the table", a.name);
        assert!(agents_of(c).any(|x| x == a));
    }
    assert_eq!(preferred_agent(D::CalciumChannelBlocker).name, "amlodipine");
    assert_eq!(preferred_agent_in_pregnancy(D::BetaBlocker).map(|a| a.name), Some("labetalol"));
    assert_eq!(preferred_agent_in_pregnancy(D::CentrallyActing).map(|a| a.name), Some("methyldopa"));
    assert_eq!(preferred_agent_in_pregnancy(D::AceInhibitor), None);
}

#[test]
fn single_pills_are_made_of_agents_in_the_table_at_their_rungs() {
    for pill in SINGLE_PILLS {
        assert!(pill.components.len() >= 2, "{}", pill.name);
        let names: Vec<&str> = pill.components.iter().map(|a| a.name).collect();
        assert_eq!(pill.name, names.join("/"));
        for c in pill.components {
            assert_eq!(agent_by_name(c.name), Some(*c), "{}: {} is in the table", pill.name, c.name);
        }
        assert!(!pill.strengths_mg.is_empty());
        for (s, mg) in pill.strengths_mg.iter().enumerate() {
            assert_eq!(mg.len(), pill.components.len(), "{}", pill.name);
            for (c, m) in pill.components.iter().zip(mg.iter()) {
                assert!(
                    rung(c, *m).is_some_and(|d| near(d.daily_mg(), *m)),
                    "{}: {} {m} mg is a rung",
                    pill.name,
                    c.name
                );
            }
            let parts: Vec<(&Agent, f64)> = pill.components.iter().copied().zip(mg.iter().copied()).collect();
            assert_eq!(single_pill_for(&parts).map(|(p, i)| (p.name, i)), Some((pill.name, s)));
        }
        assert!(pill.describe(0).is_some_and(|d| d.starts_with(pill.name)));
        assert!(!pill.why.is_empty() && !pill.source.is_empty());
    }
}

#[test]
fn the_guideline_combinations_are_there() {
    use DrugClass as D;
    for classes in [
        vec![D::AceInhibitor, D::CalciumChannelBlocker],
        vec![D::Arb, D::CalciumChannelBlocker],
        vec![D::AceInhibitor, D::Thiazide],
        vec![D::Arb, D::Thiazide],
        vec![D::Arb, D::CalciumChannelBlocker, D::Thiazide],
        vec![D::Statin, D::Ezetimibe],
    ] {
        assert!(single_pills_of(&classes).next().is_some(), "{classes:?}");
    }
    let pill = single_pill_for(&[(agent("valsartan"), 160.0), (agent("amlodipine"), 5.0)]);
    assert_eq!(pill.map(|(p, _)| p.name), Some("amlodipine/valsartan"), "in any order");
    assert_eq!(
        pill.and_then(|(p, s)| p.describe(s)).as_deref(),
        Some("amlodipine/valsartan 5/160 mg once daily (single pill: calcium-channel blocker + ARB)")
    );
    assert!(single_pill_for(&[(agent("valsartan"), 40.0), (agent("amlodipine"), 5.0)]).is_none());
}
