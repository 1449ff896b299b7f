//! The suggestion search on demo patients, and on patients built to trip each safety limit: the
//! limit holds (no candidate breaks it, and the clinician sees what it excluded or flagged).

use std::path::PathBuf;

use serde_json::{json, Value};
use twin_app::commands::dispatch;
use twin_app::session::{Session, SessionConfig};

fn demo(file: &str) -> Value {
    let path = twin_test_support::demo_dir().join(file);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn patient_id(bundle: &Value) -> String {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .and_then(|e| e["resource"]["id"].as_str())
        .unwrap()
        .to_string()
}

fn add(bundle: &mut Value, resource: Value) {
    bundle["entry"].as_array_mut().unwrap().push(json!({ "resource": resource }));
}

fn observation(id: &str, patient: &str, loinc: &str, value: f64, unit: &str, date: &str) -> Value {
    json!({ "resourceType": "Observation", "id": id, "status": "final",
        "code": { "coding": [{ "system": "http://loinc.org", "code": loinc }] },
        "subject": { "reference": format!("Patient/{patient}") }, "effectiveDateTime": date,
        "valueQuantity": { "value": value, "code": unit } })
}

fn condition(id: &str, patient: &str, snomed: &str) -> Value {
    json!({ "resourceType": "Condition", "id": id,
        "clinicalStatus": { "coding": [{ "code": "active" }] },
        "code": { "coding": [{ "system": "http://snomed.info/sct", "code": snomed }] },
        "subject": { "reference": format!("Patient/{patient}") }, "onsetDateTime": "2025-01-01" })
}

/// The suggestion for `bundle`, through the command registry.
fn suggest(bundle: &Value, seed: u32) -> Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.json"), bundle.to_string()).unwrap();
    let session = Session::new(SessionConfig {
        demo_dir: Some(PathBuf::from(dir.path())),
        data_dir: None,
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    let id = patient_id(bundle);
    dispatch(&session, "suggest", json!({ "id": id, "members": 200, "seed": seed, "alternatives": 500 }))
        .unwrap_or_else(|e| panic!("suggest: {e}"))
}

/// Every candidate shown (the suggestion and the alternatives).
fn shown(s: &Value) -> Vec<&Value> {
    s["suggestion"]
        .as_object()
        .map(|_| &s["suggestion"])
        .into_iter()
        .chain(s["alternatives"].as_array().unwrap())
        .collect()
}

fn steps(c: &Value) -> Vec<String> {
    c["steps"].as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_lowercase()).collect()
}

fn any_step(s: &Value, word: &str) -> bool {
    shown(s).iter().any(|c| steps(c).iter().any(|st| st.contains(word)))
}

/// Whether a step starts or raises an ACE inhibitor, ARB or MRA (a switch away from one does not).
fn adds_raas(step: &str) -> bool {
    let started = if step.starts_with("switch") { step.rsplit(" to ").next().unwrap_or("") } else { step };
    ["ace inhibitor", "arb", "mra"].iter().any(|w| started.contains(w))
}

fn excluded_by(s: &Value, rule: &str) -> Vec<String> {
    s["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["findings"].as_array().unwrap().iter().any(|f| f["rule"]["id"] == rule))
        .map(|e| e["label"].as_str().unwrap().to_lowercase())
        .collect()
}

#[test]
fn every_demo_patient_gets_an_answer_within_the_limits_and_no_nan() {
    for file in std::fs::read_dir(twin_test_support::demo_dir()).unwrap() {
        let path = file.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let s = suggest(&bundle, 1);
        let text = s.to_string();
        assert!(!text.contains("NaN") && !text.contains("null,\"p05\""), "{}: {text}", path.display());
        assert!(["noChange", "suggested", "noneReaches"].contains(&s["outcome"].as_str().unwrap()));
        for c in shown(&s) {
            let st = steps(c);
            let acei = st.iter().any(|x| x.contains("ace inhibitor") && !x.contains("switch ace inhibitor"));
            let arb = st.iter().any(|x| x.contains("arb") && !x.contains("switch arb"));
            assert!(!(acei && arb), "{}: ACE inhibitor with ARB suggested", path.display());
            for e in c["effects"].as_array().unwrap() {
                assert!(e["median"].as_f64().unwrap() > 0.0, "{}: {e}", path.display());
            }
        }
        if s["outcome"] == "suggested" {
            assert!(s["suggestion"]["probability"].as_f64().unwrap() >= 0.8);
            assert!(!s["why"].as_str().unwrap().is_empty());
        }
    }
}

/// How the engine's step labels name each class (`ClassFile` in the transport types).
fn class_in_label(class: &str) -> &'static str {
    match class {
        "ace_inhibitor" => "ace inhibitor",
        "arb" => "arb",
        "calcium_channel_blocker" => "calcium-channel blocker",
        "non_dihydropyridine_ccb" => "non-dihydropyridine calcium-channel blocker",
        "thiazide" => "thiazide diuretic",
        "beta_blocker" => "beta-blocker",
        "mra" => "mra",
        "statin" => "statin",
        "ezetimibe" => "ezetimibe",
        "pcsk9_inhibitor" => "pcsk9 inhibitor",
        other => panic!("a class the search does not step on: {other}"),
    }
}

/// One structured step against its label and the interventions it makes.
fn check_step_parts(part: &Value, label: &str, flags: &[&str], what: &str) {
    assert_eq!(part["label"].as_str().unwrap(), label, "{what}");
    assert_eq!(part["month"], 0, "{what}: the search starts every step today");
    for f in part["flags"].as_array().unwrap() {
        assert!(flags.contains(&f.as_str().unwrap()), "{what}: step flag {f} is not among the candidate's flags");
    }
    let l = label.to_lowercase();
    let change = &part["change"];
    let interventions = part["interventions"].as_array().unwrap();
    let dose = change["dose"].as_str().unwrap_or("");
    let now = &change["now"];
    let statin_intensity = |l: &str| match dose {
        "double" => l.ends_with("to high intensity"),
        "standard" => l.ends_with("(moderate intensity)"),
        _ => false,
    };
    let dose_named = |l: &str, class: &str| {
        if class == "statin" {
            statin_intensity(l)
        } else if dose == "standard" {
            !l.contains(" dose")
        } else {
            l.ends_with(&format!(" to {dose} dose"))
        }
    };
    match change["action"].as_str().unwrap() {
        "start" => {
            let class = change["class"].as_str().unwrap();
            assert!(l.starts_with(&format!("add {}", class_in_label(class))), "{what}: {change}");
            assert!(dose_named(&l, class), "{what}: dose {dose} not in the label");
            assert_eq!(interventions.len(), 1, "{what}");
            let i = &interventions[0];
            assert!(i["type"] == "start_drug" && i["class"] == class && i["dose"] == dose, "{what}: {i}");
        }
        "raise" => {
            let class = change["class"].as_str().unwrap();
            assert!(l.starts_with(&format!("raise {}", class_in_label(class))), "{what}: {change}");
            assert!(dose_named(&l, class), "{what}: dose {dose} not in the label");
            assert!(now.is_object(), "{what}: a class raised is taken now, so the record has it");
            assert_eq!(interventions.len(), 1, "{what}");
            let i = &interventions[0];
            assert!(i["type"] == "change_dose" && i["class"] == class && i["dose"] == dose, "{what}: {i}");
        }
        "switch" => {
            let (from, to) = (change["from"].as_str().unwrap(), change["to"].as_str().unwrap());
            assert_eq!(l, format!("switch {} to {}", class_in_label(from), class_in_label(to)), "{what}");
            assert!(now.is_object(), "{what}: a class switched from is taken now, so the record has it");
            assert_eq!(interventions.len(), 2, "{what}");
            assert!(interventions[0]["type"] == "stop_drug" && interventions[0]["class"] == from, "{what}");
            let i = &interventions[1];
            assert!(i["type"] == "start_drug" && i["class"] == to && i["dose"] == dose, "{what}: {i}");
        }
        "lifestyle" => {
            assert!(part["flags"].as_array().unwrap().is_empty(), "{what}: a lifestyle step has no class to flag");
            let kind = change["kind"].as_str().unwrap();
            let (expected, intervention) = match kind {
                "salt_reduction" => ("salt reduction".to_string(), "sodium_reduction"),
                "dash_diet" => ("dash diet".to_string(), "dash_diet"),
                "exercise" => {
                    let minutes = change["minutesPerWeek"].as_f64().unwrap();
                    assert_eq!(interventions[0]["minutes_per_week"].as_f64().unwrap(), minutes, "{what}");
                    (format!("aerobic exercise {minutes:.0} min/week"), "exercise")
                }
                other => panic!("{what}: lifestyle kind {other}"),
            };
            assert_eq!(l, expected, "{what}");
            assert!(kind == "exercise" || change["minutesPerWeek"].is_null(), "{what}");
            assert_eq!(interventions.len(), 1, "{what}");
            assert_eq!(interventions[0]["type"], intervention, "{what}");
        }
        other => panic!("{what}: action {other}"),
    }
    if let Some(agent) = now.get("agent").and_then(Value::as_str) {
        assert!(!agent.is_empty() && agent == agent.to_lowercase(), "{what}: agent {agent}");
    }
}

/// The UI builds its words from the structured steps: every step of every candidate of every demo
/// patient has them, they say what its label says, and they make the candidate's scenario.
#[test]
fn every_suggested_step_carries_its_parts_consistent_with_its_label() {
    let mut actions = std::collections::BTreeSet::new();
    for path in twin_test_support::demo_files() {
        let bundle: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let s = suggest(&bundle, 1);
        let current = &s["current"];
        assert!(current["steps"].as_array().unwrap().is_empty() && current["stepParts"].as_array().unwrap().is_empty());
        for c in shown(&s) {
            let what = format!("{}: {}", path.display(), c["label"]);
            let labels: Vec<&str> = c["steps"].as_array().unwrap().iter().map(|x| x.as_str().unwrap()).collect();
            let parts = c["stepParts"].as_array().unwrap();
            assert_eq!(parts.len(), labels.len(), "{what}: one structured step per step");
            let flags: Vec<&str> =
                c["flags"].as_array().unwrap().iter().map(|f| f["rule"]["id"].as_str().unwrap()).collect();
            for (part, label) in parts.iter().zip(&labels) {
                check_step_parts(part, label, &flags, &what);
                actions.insert(part["change"]["action"].as_str().unwrap().to_string());
            }
            let made: Vec<&Value> = parts.iter().flat_map(|p| p["interventions"].as_array().unwrap()).collect();
            let scenario: Vec<&Value> = c["scenario"]["interventions"].as_array().unwrap().iter().collect();
            assert_eq!(made, scenario, "{what}: the steps' interventions are the scenario's");
        }
    }
    for action in ["start", "raise", "switch", "lifestyle"] {
        assert!(actions.contains(action), "no demo patient's candidates {action} anything: {actions:?}");
    }
}

#[test]
fn the_search_is_deterministic_for_a_seed() {
    let b = demo("03-heart-failure-reduced-ef.json");
    assert_eq!(suggest(&b, 7), suggest(&b, 7));
}

#[test]
fn a_patient_at_target_gets_no_change() {
    let mut b = demo("05-healthy-45.json");
    let id = patient_id(&b);
    for (i, day) in ["2026-10-01", "2026-10-15", "2026-11-01"].iter().enumerate() {
        add(&mut b, observation(&format!("sbp-ok-{i}"), &id, "8480-6", 114.0, "mm[Hg]", day));
        add(&mut b, observation(&format!("dbp-ok-{i}"), &id, "8462-4", 72.0, "mm[Hg]", day));
        add(&mut b, observation(&format!("ldl-ok-{i}"), &id, "13457-7", 70.0, "mg/dL", day));
    }
    let s = suggest(&b, 1);
    assert_eq!(s["outcome"], "noChange", "{}", s["headline"]);
    assert!(s["headline"].as_str().unwrap().starts_with("No change suggested"));
    assert!(s["suggestion"].is_null());
}

/// Patient 01 takes lisinopril: an ARB is never added; its exclusion is shown with its source.
#[test]
fn ace_inhibitor_and_arb_are_never_combined() {
    let s = suggest(&demo("01-uncontrolled-hypertension.json"), 1);
    assert!(!any_step(&s, "add arb"));
    let by = excluded_by(&s, "dual-raas");
    assert!(by.iter().any(|l| l.contains("arb")), "{:?}", s["excluded"]);
    // Switching the ACE inhibitor for an ARB is a different thing, and allowed.
    assert!(any_step(&s, "switch ace inhibitor to arb"), "switches are searched");
}

#[test]
fn an_allergy_on_record_excludes_its_class() {
    let mut b = demo("01-uncontrolled-hypertension.json");
    let id = patient_id(&b);
    add(
        &mut b,
        json!({ "resourceType": "AllergyIntolerance", "id": "amlo-allergy",
        "clinicalStatus": { "coding": [{ "code": "active" }] },
        "code": { "coding": [{ "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "17767", "display": "amlodipine" }] },
        "patient": { "reference": format!("Patient/{id}") } }),
    );
    let without = suggest(&demo("01-uncontrolled-hypertension.json"), 1);
    assert!(any_step(&without, "calcium-channel blocker"), "the control must offer a CCB");
    let s = suggest(&b, 1);
    assert!(!any_step(&s, "calcium-channel blocker"));
    assert!(excluded_by(&s, "allergy").iter().any(|l| l.contains("calcium-channel blocker")), "{:?}", s["excluded"]);
}

#[test]
fn high_potassium_flags_raas_drugs() {
    let mut b = demo("01-uncontrolled-hypertension.json");
    let id = patient_id(&b);
    add(&mut b, observation("k-high", &id, "2823-3", 5.6, "mmol/L", "2026-11-01"));
    let s = suggest(&b, 1);
    let raas: Vec<&Value> = shown(&s).into_iter().filter(|c| steps(c).iter().any(|x| adds_raas(x))).collect();
    assert!(!raas.is_empty(), "a raised ACE inhibitor is among the candidates");
    for c in raas {
        let flagged = c["flags"].as_array().unwrap().iter().any(|f| f["rule"]["id"] == "potassium-raise");
        assert!(flagged, "{}", c["label"]);
        assert!(c["flags"][0]["because"].as_str().unwrap().contains("potassium 5.6"));
    }
}

/// Patient 09 has atrial fibrillation (an indication for rate control): with HFrEF a
/// non-dihydropyridine CCB is excluded; with a slow heart rate or AV block, a beta-blocker.
#[test]
fn non_dihydropyridine_ccb_with_hfref_and_beta_blocker_with_bradycardia_or_av_block() {
    let base = demo("09-atrial-fibrillation.json");
    let id = patient_id(&base);
    let control = suggest(&base, 1);
    assert!(any_step(&control, "non-dihydropyridine"), "the control must offer a non-DHP CCB");

    let mut hfref = base.clone();
    add(&mut hfref, observation("ef-low", &id, "10230-1", 30.0, "%", "2026-11-01"));
    let s = suggest(&hfref, 1);
    assert!(!any_step(&s, "non-dihydropyridine"));
    assert!(excluded_by(&s, "non-dhp-hfref").iter().any(|l| l.contains("non-dihydropyridine")), "{:?}", s["excluded"]);

    let bb_offered =
        any_step(&control, "beta-blocker") || !excluded_by(&control, "rate-slowing-bradycardia").is_empty();
    assert!(bb_offered || any_step(&control, "beta-blocker"), "the control must offer a beta-blocker");
    let mut slow = base.clone();
    for (i, day) in ["2026-10-20", "2026-11-01"].iter().enumerate() {
        add(&mut slow, observation(&format!("hr-slow-{i}"), &id, "8867-4", 50.0, "/min", day));
    }
    let s = suggest(&slow, 1);
    assert!(!any_step(&s, "beta-blocker"));
    assert!(!excluded_by(&s, "rate-slowing-bradycardia").is_empty(), "{:?}", s["excluded"]);

    let mut block = base.clone();
    add(&mut block, condition("avb", &id, "27885002"));
    let s = suggest(&block, 1);
    assert!(!any_step(&s, "beta-blocker"));
    let e = &s["excluded"].to_string();
    assert!(e.contains("AV block"), "{e}");
}

/// Patient 05 is offered a statin; with active liver disease, or in pregnancy, it is not.
#[test]
fn statins_are_excluded_with_liver_disease_and_in_pregnancy() {
    let base = demo("05-healthy-45.json");
    let id = patient_id(&base);
    assert!(any_step(&suggest(&base, 1), "statin"), "the control must offer a statin");
    for (rule, snomed) in [("statin-liver", "19943007"), ("pregnancy", "77386006")] {
        let mut b = base.clone();
        add(&mut b, condition(rule, &id, snomed));
        let s = suggest(&b, 1);
        assert!(!any_step(&s, "statin"), "{rule}");
        assert!(excluded_by(&s, rule).iter().any(|l| l.contains("statin")), "{rule}: {:?}", s["excluded"]);
    }
}

/// Accept, modify and decline go to the hash-chained audit log with the suggestion's full
/// content; modify and decline need a reason. Needs the real keychain (`scripts/test`).
#[test]
fn decisions_on_a_suggestion_are_logged_in_full() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        assert!(std::env::var_os("CARDIOTWIN_REQUIRE_KEYCHAIN").is_none(), "run through scripts/test");
        eprintln!("no D-Bus session: decision logging test not run");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let demo_dir = twin_test_support::demo_dir();
    let session = Session::new(SessionConfig {
        demo_dir: Some(demo_dir),
        data_dir: Some(data.path().to_path_buf()),
        as_of: Some(twin_test_support::CONSULTATION_DAY),
    });
    let id = patient_id(&demo("03-heart-failure-reduced-ef.json"));
    let s = dispatch(&session, "suggest", json!({ "id": id, "members": 100 })).unwrap();
    let text = s.to_string();
    let decide = |decision: &str, reason: Option<&str>, modification: Option<&str>| {
        let mut args = json!({ "id": id, "suggestionJson": text, "decision": decision });
        if let Some(r) = reason {
            args["reason"] = json!(r);
        }
        if let Some(m) = modification {
            args["modification"] = json!(m);
        }
        dispatch(&session, "decideSuggestion", args)
    };
    let err = decide("declined", None, None).unwrap_err();
    assert!(err.message.contains("reason is required"), "{err}");
    decide("accepted", None, None).unwrap();
    decide("modified", Some("moderate intensity first"), Some("add statin (moderate intensity)")).unwrap();
    decide("declined", Some("patient prefers to wait"), None).unwrap();
    let log = dispatch(&session, "auditLog", json!({})).unwrap();
    let entries = log["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0]["suggestion"].as_str().unwrap(), text, "the suggestion is recorded in full, as shown");
    assert_eq!(entries[2]["reason"], "patient prefers to wait");
    assert_eq!(entries[0]["inputsHash"].as_str().unwrap().len(), 64);
    // The engine and the learned model that produced what was shown, not a fixed string.
    assert_eq!(entries[0]["engineVersion"], format!("cardiotwin engine {}", env!("CARGO_PKG_VERSION")));
    let model = entries[0]["modelVersion"].as_str().unwrap();
    assert!(model.starts_with("ct-seq") && model.contains("weights sha256:"), "{model}");
    assert_eq!(log["check"]["intact"], true);
}
