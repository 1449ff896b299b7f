//! Behaviour of `extract` on whole notes: spans, sentences, context, and bad input.

use twin_notes::{describe, extract, Fact, LvefValue};

const LETTER: &str = include_str!("../corpus/letter.txt");

#[test]
fn spans_and_sentences_point_at_the_words() {
    let note = "Echo today.\nLVEF 35–40 % by Simpson's biplane. No chest pain.";
    let found = extract(note);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(&note[found[0].span.clone()], "LVEF 35–40 %");
    assert_eq!(&note[found[0].sentence.clone()], "LVEF 35–40 % by Simpson's biplane.");
    assert_eq!(&note[found[1].span.clone()], "chest pain");
    assert!(found[1].context.negated);
    assert_eq!(describe(&found[0].fact, &found[0].context), "LVEF 35–40 % (Simpson's biplane)");
    assert_eq!(describe(&found[1].fact, &found[1].context), "no chest pain");
}

#[test]
fn a_clinic_letter_reads_as_a_cardiologist_would() {
    let found = extract(LETTER);
    let described: Vec<String> = found.iter().map(|f| describe(&f.fact, &f.context)).collect();
    for expected in [
        "NYHA II–III",
        "moderate aortic stenosis",
        "LV hypertrophy",
        "atorvastatin not tolerated (myalgia)",
        "breathlessness",
        "no chest pain",
        "no syncope",
        "oedema",
        "former smoker",
        "severe aortic stenosis (someone else)",
        "home BP 148/88 mmHg",
        "home BP 152/90 mmHg",
        "LVEF moderately reduced (read as 30–40 %)",
        "LVEF 35–40 % (Simpson's biplane)",
        "LVEF 45 % (in the past)",
        "mild mitral regurgitation",
        "trivial tricuspid regurgitation",
        "spironolactone not tolerated (hyperkalaemia)",
        "amlodipine not tolerated (ankle oedema)",
        "chest pain (hypothetical)",
        "syncope (hypothetical)",
    ] {
        assert!(described.iter().any(|d| d == expected), "missing {expected:?} in {described:#?}");
    }
    // The clinic reading is not a home reading.
    assert!(!described.iter().any(|d| d.contains("156/92")), "{described:#?}");
    for f in &found {
        assert!(LETTER.is_char_boundary(f.span.start) && LETTER.is_char_boundary(f.span.end));
        assert!(f.sentence.start <= f.span.start && f.span.end <= f.sentence.end);
        assert!((0.0..=1.0).contains(&f.confidence));
    }
}

#[test]
fn only_affirmed_patient_facts_are_marked_for_the_record() {
    let found = extract("Previous EF 25%. EF 40%. Father has severe AS. If chest pain recurs, call.");
    let affirmed: Vec<&Fact> = found.iter().filter(|f| f.context.is_affirmed_patient()).map(|f| &f.fact).collect();
    assert_eq!(affirmed, vec![&Fact::Lvef { value: LvefValue::Point(40), method: None, approximate: false }]);
    assert_eq!(found.len(), 4);
}

#[test]
fn another_language_yields_no_facts() {
    for note in [
        "Der Patient hat keine Synkope, aber Dyspnoe bei Belastung. Die LVEF ist normal.",
        "Le patient présente une dyspnée d'effort et des douleurs thoraciques, sans syncope.",
        "El paciente tiene disnea con el esfuerzo y dolor torácico.",
    ] {
        assert!(extract(note).is_empty(), "{note}: {:?}", extract(note));
    }
}

#[test]
fn no_cardiac_content_yields_no_facts() {
    for note in [
        "Skin biopsy of the left forearm confirms a basal cell carcinoma. Review in 3 months.",
        "Right knee replacement in 2015. Mobilising well with a stick.",
        "Ratio 3/4 of the tablets taken on 12/10.",
    ] {
        assert!(extract(note).is_empty(), "{note}: {:?}", extract(note));
    }
}

#[test]
fn odd_input_neither_panics_nor_guesses() {
    let long_line = "ef ".repeat(10_000);
    for note in [
        "",
        " ",
        "\n\n\n",
        ".",
        "EF",
        "EF %",
        "NYHA",
        "NYHA V",
        "EF 135%",
        "BP 300/20 at home",
        "éé€€😀 EF 35 %😀",
        &long_line,
    ] {
        let found = extract(note);
        for f in &found {
            assert!(note.is_char_boundary(f.span.start) && note.is_char_boundary(f.span.end));
        }
        if note != "éé€€😀 EF 35 %😀" {
            assert!(found.is_empty(), "{note:?}: {found:?}");
        }
    }
    assert_eq!(extract("éé€€😀 EF 35 %😀").len(), 1);
}

#[test]
fn capitals_and_care_homes_are_not_mistaken() {
    assert!(extract("PLAN: SAME AS BEFORE. REVIEW IN CLINIC.").is_empty());
    let shouted: Vec<String> =
        extract("ECHO: MOD AS, EF 40%. NO CHEST PAIN.").iter().map(|f| describe(&f.fact, &f.context)).collect();
    assert_eq!(shouted, ["moderate aortic stenosis", "LVEF 40 %", "no chest pain"]);
    assert!(extract("Nursing home resident; BP 150/90 on the ward round.").is_empty());
    assert_eq!(extract("Care home staff note home readings of 150/90.").len(), 1);
}

#[test]
fn intolerance_phrasings() {
    let read = |note: &str| -> Vec<String> { extract(note).iter().map(|f| describe(&f.fact, &f.context)).collect() };
    assert_eq!(read("Tolerating atorvastatin 40 mg without myalgia."), ["atorvastatin tolerated (no myalgia)"]);
    assert_eq!(read("On apixaban with no bleeding."), ["apixaban tolerated (no bleeding)"]);
    // Not a cardiovascular drug: left to the record's AllergyIntolerance.
    assert!(read("Allergies: penicillin (rash).").is_empty());
    assert_eq!(read("Intolerant of eplerenone (gynaecomastia)."), ["eplerenone not tolerated (gynaecomastia)"]);
    assert_eq!(read("Hyponatraemia on indapamide."), ["indapamide not tolerated (hyponatraemia)"]);
    assert_eq!(read("Continues to smoke despite advice."), ["current smoker"]);
}

#[test]
fn estimates_and_grade_ranges_are_shown_as_written() {
    let read = |note: &str| -> Vec<String> { extract(note).iter().map(|f| describe(&f.fact, &f.context)).collect() };
    assert_eq!(read("LVEF est. 40-45% on limited windows."), ["LVEF about 40–45 %"]);
    assert_eq!(
        read("Mild-to-moderately impaired LV function."),
        ["LVEF mildly to moderately reduced (read as 30–49 %)"]
    );
    // Ungraded "impaired" spans HFmrEF and HFrEF, whose treatments differ: no range is implied.
    assert_eq!(
        read("Impaired LV systolic function."),
        ["LVEF reduced, grade not stated (below 50 %: HFmrEF or HFrEF)"]
    );
    assert_eq!(read("Mild-to-moderate aortic regurgitation."), ["mild to moderate aortic regurgitation"]);
    assert_eq!(read("Cardiac MR: LVEF 33%."), ["LVEF 33 % (cardiac MRI)"]);
    // An estimate is still a number for the record, at the range's middle.
    let found = extract("LVEF est. 40-45%.");
    assert!(
        matches!(found[0].fact, Fact::Lvef { value, approximate: true, .. } if value.point_estimate() == Some(42.5))
    );
}

/// A change of class or figure: where it started is history, where it ended is now, and the
/// first class of the change stays history even with no history word in the sentence.
#[test]
fn a_change_reads_as_then_and_now() {
    let note = "Her NYHA class has improved from III to I. LV ejection fraction improved from 25% to 42% after CRT.";
    let described: Vec<String> = extract(note).iter().map(|f| describe(&f.fact, &f.context)).collect();
    assert_eq!(described.len(), 4, "{described:?}");
    assert!(described.iter().any(|d| d.contains("NYHA III") && d.contains("in the past")), "{described:?}");
    assert!(described.contains(&"NYHA I".to_string()), "{described:?}");
    assert!(described.iter().any(|d| d.contains("25") && d.contains("in the past")), "{described:?}");
    assert!(described.iter().any(|d| d.contains("42") && !d.contains("in the past")), "{described:?}");
}

#[test]
fn an_mri_report_gives_its_method_to_the_paragraph() {
    use twin_notes::EfMethod;
    let method = |note: &str| {
        extract(note)
            .into_iter()
            .filter_map(|f| match f.fact {
                Fact::Lvef { method, .. } => Some(method),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        method("Stress perfusion CMR: no inducible ischaemia. LV systolic function normal."),
        [Some(EfMethod::Mri)]
    );
    assert_eq!(method("Cardiac MR confirms severe aortic regurgitation with LVEF 53%."), [Some(EfMethod::Mri)]);
    // A new paragraph, or an echo named, ends the report.
    assert_eq!(method("Stress perfusion CMR: no ischaemia.\n\nLV systolic function normal."), [None]);
    assert_eq!(method("Stress perfusion CMR: no ischaemia.\r\n\r\nLV systolic function normal."), [None]);
    assert_eq!(method("CMR in 2019 showed scar. Echo today: LV systolic function normal."), [None]);
}

#[test]
fn an_earlier_figure_takes_no_method_from_todays_study() {
    let found = extract("MUGA today: LVEF 48%, down from 58% before trastuzumab.");
    let lvefs: Vec<(Option<twin_notes::EfMethod>, bool)> = found
        .iter()
        .filter_map(|f| match f.fact {
            Fact::Lvef { method, .. } => Some((method, f.context.historical)),
            _ => None,
        })
        .collect();
    assert_eq!(lvefs, [(Some(twin_notes::EfMethod::Muga), false), (None, true)]);
    // The current figure keeps the study's method.
    let found = extract("MUGA today: LVEF 48%.");
    assert!(matches!(found[0].fact, Fact::Lvef { method: Some(twin_notes::EfMethod::Muga), .. }));
}

#[test]
fn a_figure_a_change_reaches_is_current_and_no_longer_reduced_is_negated() {
    let found = extract("LVEF improved from 28% (Dec 2024) to 44% on this study.");
    let now: Vec<bool> = found.iter().map(|f| f.context.historical).collect();
    assert_eq!(now, [true, false], "{found:?}");
    let found = extract("EF is no longer reduced, now 55-60%.");
    assert!(found.iter().any(|f| matches!(f.fact, Fact::Lvef { value: LvefValue::Band(_), .. }) && f.context.negated));
    // A bracketed date with no change after it still dates its figure.
    assert!(extract("LVEF 28% (Dec 2024).")[0].context.historical);
}

#[test]
fn a_band_beside_a_figure_takes_no_study_method() {
    let found = extract("Severely impaired LV systolic function (CMR LVEF 34%).");
    let methods: Vec<_> = found
        .iter()
        .filter_map(|f| match &f.fact {
            Fact::Lvef { value, method, .. } => Some((matches!(value, twin_notes::LvefValue::Band(_)), *method)),
            _ => None,
        })
        .collect();
    assert_eq!(methods, [(true, None), (false, Some(twin_notes::EfMethod::Mri))]);
    // Alone, a band keeps its study's method.
    let alone = extract("Stress perfusion CMR: LV systolic function normal.");
    assert!(matches!(alone[0].fact, Fact::Lvef { method: Some(twin_notes::EfMethod::Mri), .. }));
}
