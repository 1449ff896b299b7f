//! Atrial fibrillation: stroke risk (CHA₂DS₂-VA, CHA₂DS₂-VASc), bleeding risk on anticoagulation
//! (HAS-BLED) and the DOAC dose-reduction criteria, from a record.
//!
//! Each score is a sum of integer points. Every item carries the input it rests on (the value
//! with its date and resource where there is one, else what the record holds), and an item whose
//! input the record cannot give (age without a birth date, HAS-BLED's systolic BP or creatinine
//! without a reading, a labile INR on a vitamin K antagonist without INR results) is not guessed:
//! it scores nothing, is named in [`ScoreResult::missing`], and the total is `None`; the points
//! that are known are kept as a floor ([`ScoreResult::at_least`]), which is enough when they
//! already reach a threshold. A condition the record does not hold scores 0 (as for the event
//! equations: a diagnosis not coded is not known).
//!
//! PCE, PREVENT, SCORE2 and SMART2 do not include atrial fibrillation: the stroke risk it carries
//! is not in the twin's projected event risk, and CHA₂DS₂-VA stands for it
//! ([`EVENT_MODEL_NOTE`]).
//!
//! # References
//! - Van Gelder IC, Rienstra M, Bunting KV, et al. 2024 ESC Guidelines for the management of atrial
//!   fibrillation developed in collaboration with EACTS. Eur Heart J 2024;45:3314-3414.
//!   doi:10.1093/eurheartj/ehae176 — CHA₂DS₂-VA (sex removed) and its definitions (chronic heart
//!   failure or LVEF ≤ 40 %; hypertension; age; diabetes, HbA1c ≥ 48 mmol/mol (6.5 %) or
//!   glucose-lowering treatment; stroke, TIA or arterial thromboembolism; vascular disease:
//!   coronary disease incl. MI and revascularisation, peripheral vascular disease, aortic plaque);
//!   oral anticoagulation recommended at ≥ 2 (class I), considered at 1 (IIa); a DOAC in preference
//!   to a VKA (class I); bleeding-risk scores not to be used to decide on starting or withdrawing
//!   anticoagulation (class III), their modifiable factors to be managed.
//! - Lip GYH, Nieuwlaat R, Pisters R, Lane DA, Crijns HJGM. Refining clinical risk stratification
//!   for predicting stroke and thromboembolism in atrial fibrillation using a novel risk
//!   factor-based approach: the Euro Heart Survey on atrial fibrillation. Chest 2010;137:263-272.
//!   doi:10.1378/chest.09-1584 — CHA₂DS₂-VASc (vascular disease: prior MI, PAD, aortic plaque).
//! - Joglar JA, Chung MK, et al. 2023 ACC/AHA/ACCP/HRS Guideline for the Diagnosis and Management of
//!   Atrial Fibrillation. Circulation 2024;149:e1-e156 — anticoagulation recommended at an annual
//!   thromboembolic risk ≥ 2 % (CHA₂DS₂-VASc ≥ 2 in men, ≥ 3 in women; class 1), reasonable at
//!   1–2 % (1 in men, 2 in women; 2a).
//! - Pisters R, Lane DA, Nieuwlaat R, de Vos CB, Crijns HJGM, Lip GYH. A novel user-friendly score
//!   (HAS-BLED) to assess 1-year risk of major bleeding in patients with atrial fibrillation: the
//!   Euro Heart Survey. Chest 2010;138:1093-1100. doi:10.1378/chest.10-0134 — HAS-BLED, its
//!   definitions (Table 2: uncontrolled hypertension, systolic > 160 mmHg; chronic dialysis, renal
//!   transplant or serum creatinine ≥ 200 µmol/L; chronic hepatic disease or bilirubin > 2 × ULN
//!   with AST/ALT/ALP > 3 × ULN; stroke; bleeding history or predisposition; labile INR, time in
//!   therapeutic range < 60 %; elderly, > 65; drugs, antiplatelet agents or NSAIDs; alcohol
//!   ≥ 8 units a week; one point each) and ≥ 3 as high risk.
//! - Steffel J, Collins R, Antz M, et al. 2021 European Heart Rhythm Association Practical Guide on
//!   the use of non-vitamin K antagonist oral anticoagulants in patients with atrial fibrillation.
//!   Europace 2021;23:1612-1676. doi:10.1093/europace/euab065 — Table 2, NOAC eligibility and
//!   dosing (the dose-reduction criteria below, creatinine clearance by Cockcroft–Gault), and the
//!   drug–drug interaction table; and the EU SmPCs of Eliquis, Xarelto, Lixiana and Pradaxa.

use time::Date;

use crate::drugs::DrugClass;
use crate::record::{ConditionKind as C, MeasurementKind as K, PatientRecord, ProcedureKind, Sample, Sex};
use crate::renal::creatinine_clearance_cockcroft_gault;
use crate::units::CREATININE_UMOL_L_PER_MG_DL;

/// CHA₂DS₂-VA's source, as the risk panel and the JSON cite it.
pub const CHA2DS2_VA_SOURCE: &str = "Van Gelder IC et al. 2024 ESC Guidelines for the management of atrial fibrillation. \
Eur Heart J 2024;45:3314-3414 (CHA₂DS₂-VA; oral anticoagulation recommended at ≥ 2, class I, considered at 1, class IIa)";

/// CHA₂DS₂-VASc's source.
pub const CHA2DS2_VASC_SOURCE: &str = "Lip GYH et al. Refining clinical risk stratification for predicting stroke and \
thromboembolism in atrial fibrillation: the Euro Heart Survey. Chest 2010;137:263-272; thresholds: Joglar JA et al. 2023 \
ACC/AHA/ACCP/HRS atrial fibrillation guideline, Circulation 2024;149:e1 (anticoagulation at ≥ 2 in men, ≥ 3 in women)";

/// HAS-BLED's source.
pub const HAS_BLED_SOURCE: &str = "Pisters R et al. A novel user-friendly score (HAS-BLED) to assess 1-year risk of major \
bleeding in patients with atrial fibrillation: the Euro Heart Survey. Chest 2010;138:1093-1100 (Table 2); use: ESC 2024 AF \
guideline (manage modifiable bleeding risk factors; a bleeding score is no reason on its own to withhold anticoagulation)";

/// The DOAC dose criteria's source.
pub const DOAC_DOSE_SOURCE: &str = "Steffel J et al. 2021 EHRA practical guide on the use of non-vitamin K antagonist oral \
anticoagulants in atrial fibrillation, Europace 2021;23:1612-1676, Table 2; EU SmPCs (Eliquis, Xarelto, Lixiana, Pradaxa); \
ESC 2024 AF guideline; creatinine clearance by Cockcroft DW, Gault MH, Nephron 1976;16:31-41";

/// What the projected event risk leaves out for a patient with atrial fibrillation.
pub const EVENT_MODEL_NOTE: &str =
    "atrial fibrillation's stroke risk is not modelled in the projected event risk: PCE, \
PREVENT, SCORE2 and SMART2 do not include atrial fibrillation, so the CHA₂DS₂-VA score stands for it";

/// HbA1c at or above which diabetes counts without a coded diagnosis, % (ESC 2024 AF guideline,
/// CHA₂DS₂-VA definitions: HbA1c ≥ 48 mmol/mol, 6.5 %).
pub const DIABETES_HBA1C_PERCENT: f64 = 6.5;
/// Systolic BP above which HAS-BLED counts hypertension as uncontrolled, mmHg (Pisters 2010).
pub const HAS_BLED_SBP_ABOVE: f64 = 160.0;
/// Serum creatinine from which HAS-BLED counts renal function as abnormal, µmol/L (Pisters 2010).
pub const HAS_BLED_CREATININE_UMOL_L: f64 = 200.0;
/// Age above which HAS-BLED counts a patient as elderly, years (Pisters 2010: > 65).
pub const HAS_BLED_ELDERLY_ABOVE: i32 = 65;
/// LVEF at or below which CHA₂DS₂-VA counts heart failure without a diagnosis, % (ESC 2024).
pub const HEART_FAILURE_LVEF_AT_MOST: f64 = 40.0;

/// NSAIDs that HAS-BLED's drugs item counts, by ingredient name (lower case). The twin has no NSAID
/// class; a medication on record whose agent or text names one of these counts.
pub const NSAIDS: &[&str] = &[
    "ibuprofen",
    "naproxen",
    "diclofenac",
    "celecoxib",
    "etoricoxib",
    "indometacin",
    "indomethacin",
    "ketoprofen",
    "meloxicam",
    "piroxicam",
    "etodolac",
    "nabumetone",
    "ketorolac",
];

/// The direct oral anticoagulants the dose rules know.
pub const DOACS: &[&str] = &["apixaban", "rivaroxaban", "edoxaban", "dabigatran"];

/// Vitamin K antagonists (a labile INR matters only on one).
pub const VKAS: &[&str] = &["warfarin", "acenocoumarol", "phenprocoumon"];

/// Which score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AfScore {
    /// CHA₂DS₂-VA (ESC 2024).
    Cha2ds2Va,
    /// CHA₂DS₂-VASc (Lip 2010; ACC/AHA/ACCP/HRS 2023).
    Cha2ds2Vasc,
    /// HAS-BLED (Pisters 2010).
    HasBled,
}

impl AfScore {
    /// A stable machine name.
    pub fn key(self) -> &'static str {
        match self {
            AfScore::Cha2ds2Va => "cha2ds2Va",
            AfScore::Cha2ds2Vasc => "cha2ds2Vasc",
            AfScore::HasBled => "hasBled",
        }
    }

    /// The name people use.
    pub fn label(self) -> &'static str {
        match self {
            AfScore::Cha2ds2Va => "CHA₂DS₂-VA",
            AfScore::Cha2ds2Vasc => "CHA₂DS₂-VASc",
            AfScore::HasBled => "HAS-BLED",
        }
    }

    /// The highest total.
    pub fn max(self) -> u32 {
        match self {
            AfScore::Cha2ds2Va => 8,
            AfScore::Cha2ds2Vasc => 9,
            AfScore::HasBled => 9,
        }
    }

    /// The published source.
    pub fn source(self) -> &'static str {
        match self {
            AfScore::Cha2ds2Va => CHA2DS2_VA_SOURCE,
            AfScore::Cha2ds2Vasc => CHA2DS2_VASC_SOURCE,
            AfScore::HasBled => HAS_BLED_SOURCE,
        }
    }
}

/// What an item rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Basis {
    /// The input, in words (`systolic BP`, `hypertension`).
    pub input: &'static str,
    /// Its value as text, with unit (`133 mmHg`, `on record`, `none on record`).
    pub value: String,
    /// The date of the reading or diagnosis, where there is one.
    pub date: Option<Date>,
    /// The source resource (`Type/id`), where there is one.
    pub resource: Option<String>,
}

impl Basis {
    fn derived(input: &'static str, value: impl Into<String>) -> Self {
        Self { input, value: value.into(), date: None, resource: None }
    }

    fn measured(input: &'static str, s: &Sample, unit: &str) -> Self {
        Self {
            input,
            value: format!("{} {unit}", fmt_value(s.value)),
            date: Some(s.date),
            resource: Some(s.source.resource.clone()),
        }
    }
}

fn fmt_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A yes/no the record gives, with what it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Whether it is present.
    pub present: bool,
    /// What it rests on.
    pub basis: Basis,
}

/// A value the record may lack.
#[derive(Debug, Clone, PartialEq)]
pub enum Known<T> {
    /// The value, with what it rests on.
    Yes(T, Basis),
    /// The record cannot give it; the input named.
    Missing(&'static str),
}

/// Everything the three scores read, from a record ([`inputs`]) or built by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct AfInputs {
    /// Age in whole years on the day of assessment.
    pub age: Known<i32>,
    /// Sex at birth (CHA₂DS₂-VASc only).
    pub sex: Known<Sex>,
    /// Heart failure on record, or LVEF ≤ 40 %.
    pub heart_failure: Finding,
    /// Hypertension on record, or antihypertensive treatment (ESC 2024's definition).
    pub hypertension: Finding,
    /// Diabetes: coded, HbA1c ≥ 6.5 %, or on metformin.
    pub diabetes: Finding,
    /// Stroke, TIA or thromboembolism, ever.
    pub stroke: Finding,
    /// Vascular disease as ESC 2024 defines it (coronary disease, MI, PCI or CABG, PAD).
    pub vascular_esc: Finding,
    /// Vascular disease as Lip 2010 defines it (prior MI, PAD; aortic plaque is not coded).
    pub vascular_lip: Finding,
    /// Latest systolic BP, mmHg.
    pub sbp: Known<f64>,
    /// Latest serum creatinine, µmol/L.
    pub creatinine: Known<f64>,
    /// Chronic liver disease on record.
    pub liver_disease: Finding,
    /// Bleeding history or predisposition, ever.
    pub bleeding: Finding,
    /// On a vitamin K antagonist (labile INR matters only then); INR results are not in the record.
    pub on_vka: Finding,
    /// On an antiplatelet or an NSAID.
    pub bleeding_drugs: Finding,
    /// Alcohol excess on record.
    pub alcohol: Finding,
}

/// One item's points.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The score's letter(s) (`C`, `A₂`, `S₂`).
    pub letter: &'static str,
    /// The item in words.
    pub label: &'static str,
    /// Points scored; `None` when the input is missing.
    pub points: Option<u32>,
    /// The points the item gives when present.
    pub weight: u32,
    /// What it rests on.
    pub basis: Basis,
}

/// An input a score could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingInput {
    /// The item it is for.
    pub item: &'static str,
    /// What is missing.
    pub input: &'static str,
}

impl MissingInput {
    /// A plain sentence.
    pub fn describe(&self) -> String {
        format!("{} is not on record, so {} could not be scored", self.input, self.item)
    }
}

/// A score's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreResult {
    /// Which score.
    pub score: AfScore,
    /// Every item, in the score's order (items scoring 0 included).
    pub items: Vec<Item>,
    /// The total; `None` when an input is missing.
    pub total: Option<u32>,
    /// The points of the items that could be scored: the total is at least this.
    pub at_least: u32,
    /// The inputs the record could not give.
    pub missing: Vec<MissingInput>,
    /// What the guideline says at this total, or what is missing to say it.
    pub recommendation: String,
    /// The published source.
    pub source: &'static str,
}

impl ScoreResult {
    fn new(score: AfScore, items: Vec<Item>) -> Self {
        let at_least = items.iter().filter_map(|i| i.points).sum();
        let mut missing: Vec<MissingInput> = Vec::new();
        for i in items.iter().filter(|i| i.points.is_none()) {
            let m = MissingInput { item: i.label, input: i.basis.input };
            if !missing.iter().any(|x| x.input == m.input) {
                missing.push(m);
            }
        }
        let total = missing.is_empty().then_some(at_least);
        Self { score, items, total, at_least, missing, recommendation: String::new(), source: score.source() }
    }

    /// The total as text: `2`, or `≥ 2` when an input is missing.
    pub fn total_text(&self) -> String {
        match self.total {
            Some(t) => t.to_string(),
            None => format!("≥ {}", self.at_least),
        }
    }

    /// The items that scored, as `hypertension 1, age 65–74 1`.
    pub fn scoring_items(&self) -> String {
        let scoring: Vec<String> =
            self.items.iter().filter_map(|i| i.points.filter(|p| *p > 0).map(|p| format!("{} {p}", i.label))).collect();
        if scoring.is_empty() {
            "no item scores".to_string()
        } else {
            scoring.join(", ")
        }
    }

    fn missing_text(&self) -> String {
        self.missing.iter().map(|m| m.input).collect::<Vec<_>>().join(", ")
    }
}

fn yes_no(letter: &'static str, label: &'static str, weight: u32, f: &Finding) -> Item {
    Item { letter, label, points: Some(if f.present { weight } else { 0 }), weight, basis: f.basis.clone() }
}

/// Age items (≥ 75 scores 2, 65–74 scores 1), or both missing.
fn age_items(age: &Known<i32>) -> (Item, Item) {
    let (old, mid, basis) = match age {
        Known::Yes(a, b) => (Some(if *a >= 75 { 2 } else { 0 }), Some(u32::from((65..75).contains(a))), b.clone()),
        Known::Missing(what) => (None, None, Basis::derived(what, "not on record")),
    };
    (
        Item { letter: "A₂", label: "age 75 or over", points: old, weight: 2, basis: basis.clone() },
        Item { letter: "A", label: "age 65–74", points: mid, weight: 1, basis },
    )
}

/// The items CHA₂DS₂-VA and CHA₂DS₂-VASc share, with the vascular finding each uses.
fn stroke_items(x: &AfInputs, vascular: &Finding) -> Vec<Item> {
    let (old, mid) = age_items(&x.age);
    vec![
        yes_no("C", "heart failure", 1, &x.heart_failure),
        yes_no("H", "hypertension", 1, &x.hypertension),
        old,
        yes_no("D", "diabetes", 1, &x.diabetes),
        yes_no("S₂", "stroke, TIA or thromboembolism", 2, &x.stroke),
        yes_no("V", "vascular disease", 1, vascular),
        mid,
    ]
}

/// CHA₂DS₂-VA (ESC 2024): heart failure 1, hypertension 1, age ≥ 75 2, diabetes 1, stroke/TIA/
/// thromboembolism 2, vascular disease 1, age 65–74 1; oral anticoagulation recommended at ≥ 2,
/// considered at 1.
pub fn cha2ds2_va(x: &AfInputs) -> ScoreResult {
    let mut r = ScoreResult::new(AfScore::Cha2ds2Va, stroke_items(x, &x.vascular_esc));
    let n = r.at_least;
    r.recommendation = match (r.total, n) {
        (_, n) if n >= 2 => format!(
            "CHA₂DS₂-VA {}: oral anticoagulation is recommended (ESC 2024, class I), a DOAC in preference to a \
             vitamin K antagonist (except with a mechanical heart valve or moderate-to-severe mitral stenosis)",
            r.total_text()
        ),
        (Some(1), _) => "CHA₂DS₂-VA 1: oral anticoagulation should be considered (ESC 2024, class IIa), with the \
                         patient's preferences"
            .to_string(),
        (Some(_), _) => "CHA₂DS₂-VA 0: no anticoagulation for stroke prevention on this score (ESC 2024); reassess \
                         as risk factors change"
            .to_string(),
        (None, _) => {
            format!("CHA₂DS₂-VA not complete ({} not on record): at least {n}", r.missing_text())
        }
    };
    r
}

/// CHA₂DS₂-VASc (Lip 2010): CHA₂DS₂-VA's items (vascular disease as prior MI or PAD) and female
/// sex 1; anticoagulation recommended at ≥ 2 in men and ≥ 3 in women, reasonable at 1 in men and
/// 2 in women (ACC/AHA/ACCP/HRS 2023).
pub fn cha2ds2_vasc(x: &AfInputs) -> ScoreResult {
    let mut items = stroke_items(x, &x.vascular_lip);
    items.push(match &x.sex {
        Known::Yes(s, b) => Item {
            letter: "Sc",
            label: "female sex",
            points: Some(u32::from(*s == Sex::Female)),
            weight: 1,
            basis: b.clone(),
        },
        Known::Missing(what) => Item {
            letter: "Sc",
            label: "female sex",
            points: None,
            weight: 1,
            basis: Basis::derived(what, "not on record"),
        },
    });
    let mut r = ScoreResult::new(AfScore::Cha2ds2Vasc, items);
    let n = r.at_least;
    let sex = match &x.sex {
        Known::Yes(s, _) => Some(*s),
        Known::Missing(_) => None,
    };
    // Men: ≥ 2 recommended, 1 reasonable; women: ≥ 3, 2 (the sex point itself carries no risk).
    let (recommended, reasonable) = match sex {
        Some(Sex::Female) => (3, 2),
        _ => (2, 1),
    };
    // Without the sex, a floor of 3 is enough (≥ 2 in a man, ≥ 3 in a woman either way).
    r.recommendation = if n >= 3 || (n >= recommended && sex.is_some()) {
        format!(
            "CHA₂DS₂-VASc {}: anticoagulation is recommended (ACC/AHA/ACCP/HRS 2023, class 1; annual stroke risk \
             ≥ 2 %)",
            r.total_text()
        )
    } else if let (Some(t), Some(_)) = (r.total, sex) {
        if t == reasonable {
            format!(
                "CHA₂DS₂-VASc {t}: anticoagulation is reasonable (ACC/AHA/ACCP/HRS 2023, class 2a; annual stroke \
                 risk 1–2 %)"
            )
        } else {
            format!("CHA₂DS₂-VASc {t}: anticoagulation is not indicated on this score (ACC/AHA/ACCP/HRS 2023)")
        }
    } else {
        format!("CHA₂DS₂-VASc not complete ({} not on record): at least {n}", r.missing_text())
    };
    r
}

/// HAS-BLED (Pisters 2010), one point each: uncontrolled hypertension (systolic > 160 mmHg),
/// abnormal renal function (creatinine ≥ 200 µmol/L; dialysis and transplant are not coded in the
/// twin), abnormal liver function (chronic liver disease on record; bilirubin and transaminases
/// are not read), stroke, bleeding history or predisposition, labile INR (only on a vitamin K
/// antagonist; the record holds no INR results, so on one it is missing), elderly (> 65), drugs
/// (antiplatelet or NSAID), alcohol (≥ 8 units a week). ≥ 3 is high risk: address the modifiable
/// factors and review more often; not on its own a reason to withhold anticoagulation.
pub fn has_bled(x: &AfInputs) -> ScoreResult {
    let sbp = match &x.sbp {
        Known::Yes(v, b) => Item {
            letter: "H",
            label: "uncontrolled hypertension (systolic > 160 mmHg)",
            points: Some(u32::from(*v > HAS_BLED_SBP_ABOVE)),
            weight: 1,
            basis: b.clone(),
        },
        Known::Missing(what) => Item {
            letter: "H",
            label: "uncontrolled hypertension (systolic > 160 mmHg)",
            points: None,
            weight: 1,
            basis: Basis::derived(what, "not on record"),
        },
    };
    let renal = match &x.creatinine {
        Known::Yes(v, b) => Item {
            letter: "A",
            label: "abnormal renal function (creatinine ≥ 200 µmol/L)",
            points: Some(u32::from(*v >= HAS_BLED_CREATININE_UMOL_L)),
            weight: 1,
            basis: b.clone(),
        },
        Known::Missing(what) => Item {
            letter: "A",
            label: "abnormal renal function (creatinine ≥ 200 µmol/L)",
            points: None,
            weight: 1,
            basis: Basis::derived(what, "not on record"),
        },
    };
    let labile = if x.on_vka.present {
        Item {
            letter: "L",
            label: "labile INR (time in range < 60 %)",
            points: None,
            weight: 1,
            basis: Basis::derived("INR time in therapeutic range", "not on record (no INR results are read)"),
        }
    } else {
        Item {
            letter: "L",
            label: "labile INR (time in range < 60 %)",
            points: Some(0),
            weight: 1,
            basis: x.on_vka.basis.clone(),
        }
    };
    let elderly = match &x.age {
        Known::Yes(a, b) => Item {
            letter: "E",
            label: "elderly (over 65)",
            points: Some(u32::from(*a > HAS_BLED_ELDERLY_ABOVE)),
            weight: 1,
            basis: b.clone(),
        },
        Known::Missing(what) => Item {
            letter: "E",
            label: "elderly (over 65)",
            points: None,
            weight: 1,
            basis: Basis::derived(what, "not on record"),
        },
    };
    let items = vec![
        sbp,
        renal,
        yes_no("A", "abnormal liver function", 1, &x.liver_disease),
        yes_no("S", "stroke", 1, &x.stroke),
        yes_no("B", "bleeding history or predisposition", 1, &x.bleeding),
        labile,
        elderly,
        yes_no("D", "drugs (antiplatelet or NSAID)", 1, &x.bleeding_drugs),
        yes_no("D", "alcohol (8 or more units a week)", 1, &x.alcohol),
    ];
    let mut r = ScoreResult::new(AfScore::HasBled, items);
    let modifiable: Vec<&str> = r
        .items
        .iter()
        .filter(|i| i.points.is_some_and(|p| p > 0))
        .filter(|i| matches!(i.letter, "H" | "L" | "D"))
        .map(|i| i.label)
        .collect();
    let act = if modifiable.is_empty() {
        "review bleeding risk factors at each visit".to_string()
    } else {
        format!("address the modifiable factors ({})", modifiable.join("; "))
    };
    r.recommendation = if r.at_least >= 3 {
        format!(
            "HAS-BLED {}: high bleeding risk; {act} and review more often. Not on its own a reason to withhold \
             anticoagulation (ESC 2024)",
            r.total_text()
        )
    } else if let Some(t) = r.total {
        format!("HAS-BLED {t}: not high (below 3); {act}")
    } else {
        format!("HAS-BLED not complete ({} not on record): at least {}", r.missing_text(), r.at_least)
    };
    r
}

/// The three scores for one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct AfAssessment {
    /// The atrial fibrillation diagnosis it is for (`Condition/id`).
    pub diagnosis: String,
    /// CHA₂DS₂-VA.
    pub cha2ds2_va: ScoreResult,
    /// CHA₂DS₂-VASc.
    pub cha2ds2_vasc: ScoreResult,
    /// HAS-BLED.
    pub has_bled: ScoreResult,
}

/// The resource of the active atrial fibrillation diagnosis on record, if any.
pub fn atrial_fibrillation(record: &PatientRecord) -> Option<&str> {
    record
        .conditions
        .iter()
        .find(|c| c.active && c.kind == Some(C::AtrialFibrillation))
        .map(|c| c.source.resource.as_str())
}

/// The three scores from a record on `today`, when an active atrial fibrillation diagnosis is on
/// record; `None` otherwise (the scores are for atrial fibrillation).
pub fn assess(record: &PatientRecord, today: Date) -> Option<AfAssessment> {
    let diagnosis = atrial_fibrillation(record)?.to_string();
    let x = inputs(record, today);
    Some(AfAssessment { diagnosis, cha2ds2_va: cha2ds2_va(&x), cha2ds2_vasc: cha2ds2_vasc(&x), has_bled: has_bled(&x) })
}

/// The latest reading of `kind` on or before `today`.
pub fn latest_on(record: &PatientRecord, kind: K, today: Date) -> Option<&Sample> {
    record.series(kind).iter().rev().find(|s| s.date <= today && s.value.is_finite())
}

/// The first condition of the kinds given, active ones only when `active_only`, as a finding.
fn condition(record: &PatientRecord, input: &'static str, kinds: &[C], active_only: bool) -> Finding {
    let found = record
        .conditions
        .iter()
        .filter(|c| c.kind.is_some_and(|k| kinds.contains(&k)) && (c.active || !active_only))
        .min_by_key(|c| c.onset);
    match found {
        Some(c) => Finding {
            present: true,
            basis: Basis {
                input,
                value: format!("{} on record{}", c.display, if c.active { "" } else { " (resolved)" }),
                date: c.onset,
                resource: Some(c.source.resource.clone()),
            },
        },
        None => Finding { present: false, basis: Basis::derived(input, "none on record") },
    }
}

/// The scores' inputs from a record on `today`: conditions (history items: heart failure, stroke,
/// vascular disease, bleeding, whether active or resolved; present states: hypertension, diabetes,
/// liver disease, alcohol, active only), the latest readings on or before `today`, and the
/// medications taken that day (antihypertensive treatment counts as hypertension, metformin as
/// diabetes, as ESC 2024 defines them; a BP above 140/90 on two occasions without a diagnosis or
/// treatment is not read).
pub fn inputs(record: &PatientRecord, today: Date) -> AfInputs {
    let age = match record.demographics.age_on(today) {
        Some(a) => {
            Known::Yes(a, Basis { input: "age", value: format!("{a} years"), date: Some(today), resource: None })
        }
        None => Known::Missing("birth date"),
    };
    let sex = match record.demographics.sex {
        Some(s) => Known::Yes(s, Basis::derived("sex", if s == Sex::Female { "female" } else { "male" })),
        None => Known::Missing("sex"),
    };
    let mut heart_failure = condition(record, "heart failure", &[C::HeartFailure, C::HeartFailureReducedEf], false);
    if !heart_failure.present {
        if let Some(ef) = latest_on(record, K::Lvef, today).filter(|s| s.value <= HEART_FAILURE_LVEF_AT_MOST) {
            heart_failure = Finding { present: true, basis: Basis::measured("LVEF", ef, "%") };
        }
    }
    let mut hypertension = condition(record, "hypertension", &[C::Hypertension, C::IsolatedSystolicHypertension], true);
    let active: Vec<_> = record.active_medications(today).collect();
    if !hypertension.present {
        // ESC 2024: "or current antihypertensive treatment". Beta-blockers and verapamil/diltiazem
        // are left out (in atrial fibrillation they are rate control), and so are an ACE inhibitor
        // or ARB with heart failure on record (its treatment, scored as C).
        let for_bp = |c: DrugClass| {
            matches!(
                c,
                DrugClass::CalciumChannelBlocker
                    | DrugClass::Thiazide
                    | DrugClass::AlphaBlocker
                    | DrugClass::CentrallyActing
            ) || (!heart_failure.present && matches!(c, DrugClass::AceInhibitor | DrugClass::Arb))
        };
        if let Some(m) = active.iter().find(|m| m.class.is_some_and(for_bp)) {
            hypertension = Finding {
                present: true,
                basis: Basis {
                    input: "antihypertensive treatment",
                    value: m.agent.clone().unwrap_or_else(|| m.display.clone()),
                    date: m.start,
                    resource: Some(m.source.resource.clone()),
                },
            };
        }
    }
    let mut diabetes = condition(record, "diabetes", &[C::Type2Diabetes], true);
    if !diabetes.present {
        if let Some(a1c) = latest_on(record, K::Hba1c, today).filter(|s| s.value >= DIABETES_HBA1C_PERCENT) {
            diabetes = Finding { present: true, basis: Basis::measured("HbA1c", a1c, "%") };
        } else if let Some(m) = active.iter().find(|m| m.class == Some(DrugClass::Metformin)) {
            diabetes = Finding {
                present: true,
                basis: Basis {
                    input: "glucose-lowering treatment",
                    value: m.display.clone(),
                    date: m.start,
                    resource: Some(m.source.resource.clone()),
                },
            };
        }
    }
    let stroke = condition(record, "stroke, TIA or thromboembolism", &[C::Stroke], false);
    let coronary_procedure =
        record.procedures.iter().find(|p| matches!(p.kind, Some(ProcedureKind::Pci | ProcedureKind::Cabg)));
    let mut vascular_esc = condition(
        record,
        "vascular disease",
        &[C::MyocardialInfarction, C::CoronaryArteryDisease, C::PeripheralArteryDisease],
        false,
    );
    if let (false, Some(p)) = (vascular_esc.present, coronary_procedure) {
        vascular_esc = Finding {
            present: true,
            basis: Basis {
                input: "vascular disease",
                value: format!("{} on record", p.display),
                date: p.date,
                resource: Some(p.source.resource.clone()),
            },
        };
    }
    let vascular_lip =
        condition(record, "vascular disease (MI, PAD)", &[C::MyocardialInfarction, C::PeripheralArteryDisease], false);
    let sbp = match latest_on(record, K::Sbp, today) {
        Some(s) => Known::Yes(s.value, Basis::measured("systolic BP", s, "mmHg")),
        None => Known::Missing("systolic BP"),
    };
    let creatinine = match latest_on(record, K::Creatinine, today) {
        Some(s) => Known::Yes(s.value, Basis::measured("serum creatinine", s, "µmol/L")),
        None => Known::Missing("serum creatinine"),
    };
    let named = |m: &crate::record::Medication, names: &[&str]| {
        let text = format!("{} {}", m.agent.as_deref().unwrap_or(""), m.display).to_lowercase();
        names.iter().any(|n| text.contains(n))
    };
    let med_finding = |input: &'static str, pick: &dyn Fn(&crate::record::Medication) -> bool, none: &str| match active
        .iter()
        .find(|m| pick(m))
    {
        Some(m) => Finding {
            present: true,
            basis: Basis {
                input,
                value: m.agent.clone().unwrap_or_else(|| m.display.clone()),
                date: m.start,
                resource: Some(m.source.resource.clone()),
            },
        },
        None => Finding { present: false, basis: Basis::derived(input, none) },
    };
    let on_vka = med_finding(
        "vitamin K antagonist",
        &|m| m.class == Some(DrugClass::Anticoagulant) && named(m, VKAS),
        "not on a vitamin K antagonist (labile INR applies only to one)",
    );
    let bleeding_drugs = med_finding(
        "antiplatelet or NSAID",
        &|m| m.class == Some(DrugClass::Antiplatelet) || named(m, NSAIDS),
        "none on record",
    );
    AfInputs {
        age,
        sex,
        heart_failure,
        hypertension,
        diabetes,
        stroke,
        vascular_esc,
        vascular_lip,
        sbp,
        creatinine,
        liver_disease: condition(record, "chronic liver disease", &[C::LiverDisease], true),
        bleeding: condition(record, "bleeding history or predisposition", &[C::BleedingHistory], false),
        on_vka,
        bleeding_drugs,
        alcohol: condition(record, "alcohol excess", &[C::AlcoholExcess], true),
    }
}

// ---- DOAC doses -----------------------------------------------------------------------------

/// What the DOAC dose criteria read.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct DoseInputs {
    /// Age, years.
    pub age: Option<f64>,
    /// Body weight, kg.
    pub weight_kg: Option<f64>,
    /// Serum creatinine, µmol/L.
    pub creatinine_umol_l: Option<f64>,
    /// Creatinine clearance by Cockcroft–Gault, mL/min.
    pub crcl: Option<f64>,
    /// Taking verapamil.
    pub verapamil: bool,
    /// Taking dronedarone.
    pub dronedarone: bool,
}

impl DoseInputs {
    /// The criteria's inputs from a record on `today`: age, the latest weight and creatinine, the
    /// creatinine clearance from them (Cockcroft–Gault, with sex), and whether verapamil or
    /// dronedarone is taken.
    pub fn of(record: &PatientRecord, today: Date) -> Self {
        let age = record.demographics.age_on(today).map(f64::from);
        let weight_kg = latest_on(record, K::Weight, today).map(|s| s.value);
        let creatinine_umol_l = latest_on(record, K::Creatinine, today).map(|s| s.value);
        let crcl = match (creatinine_umol_l, age, weight_kg, record.demographics.sex) {
            (Some(c), Some(a), Some(w), Some(s)) => creatinine_clearance_cockcroft_gault(c, a, w, s),
            _ => None,
        };
        let taking = |name: &str| record.active_medications(today).any(|m| m.agent.as_deref() == Some(name));
        Self {
            age,
            weight_kg,
            creatinine_umol_l,
            crcl,
            verapamil: taking("verapamil"),
            dronedarone: taking("dronedarone"),
        }
    }

    /// What is missing for the creatinine clearance, in words.
    fn crcl_missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.age.is_none() {
            out.push("age");
        }
        if self.weight_kg.is_none() {
            out.push("weight");
        }
        if self.creatinine_umol_l.is_none() {
            out.push("creatinine");
        }
        if out.is_empty() && self.crcl.is_none() {
            out.push("sex");
        }
        out
    }
}

/// A DOAC's daily dose against its AF dose criteria.
#[derive(Debug, Clone, PartialEq)]
pub enum DoseFinding {
    /// The dose is the one the criteria call for (or the agent is not a DOAC the rules know).
    Fits,
    /// Below the dose the criteria call for.
    Under {
        /// The daily dose the criteria call for, mg.
        expected_mg: f64,
        /// Why, with the values.
        why: String,
    },
    /// Above the dose the criteria call for.
    Over {
        /// The daily dose the criteria call for, mg.
        expected_mg: f64,
        /// Why, with the values.
        why: String,
    },
    /// A daily dose that is neither of the agent's AF doses.
    NotAnAfDose {
        /// The agent's two AF daily doses, mg (reduced, standard).
        doses: (f64, f64),
    },
    /// The dose is not stated.
    DoseNotStated {
        /// What the criteria call for, where they can be judged.
        expected: Option<(f64, String)>,
    },
    /// The criteria cannot be judged: these inputs are missing.
    Unchecked {
        /// The inputs, in words.
        missing: Vec<&'static str>,
    },
}

/// The two AF daily doses of a DOAC (reduced, standard), mg: apixaban 2.5 or 5 mg twice daily,
/// rivaroxaban 15 or 20 mg once daily, edoxaban 30 or 60 mg once daily, dabigatran 110 or 150 mg
/// twice daily (EHRA 2021 Table 2).
pub fn af_doses(agent: &str) -> Option<(f64, f64)> {
    Some(match agent {
        "apixaban" => (5.0, 10.0),
        "rivaroxaban" => (15.0, 20.0),
        "edoxaban" => (30.0, 60.0),
        "dabigatran" => (220.0, 300.0),
        _ => return None,
    })
}

/// The daily dose the criteria call for and why, or the inputs missing to say.
fn expected_dose(agent: &str, x: &DoseInputs) -> Result<(f64, String), Vec<&'static str>> {
    let Some((reduced, standard)) = af_doses(agent) else { return Err(Vec::new()) };
    let crcl_text = |c: f64| format!("creatinine clearance {c:.0} mL/min (Cockcroft–Gault)");
    match agent {
        "apixaban" => {
            // ≥ 2 of: age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 mg/dL (133 µmol/L); or (EU SmPC,
            // EHRA 2021) creatinine clearance 15–29 mL/min.
            let age = x.age.map(|a| (a >= 80.0, format!("age {a:.0}")));
            let weight = x.weight_kg.map(|w| (w <= 60.0, format!("weight {} kg", fmt_value(w))));
            let creat = x
                .creatinine_umol_l
                .map(|c| (c / CREATININE_UMOL_L_PER_MG_DL >= 1.5, format!("creatinine {c:.0} µmol/L")));
            let criteria = [age, weight, creat];
            let met: Vec<&String> = criteria.iter().flatten().filter(|(m, _)| *m).map(|(_, t)| t).collect();
            let unknown = criteria.iter().filter(|c| c.is_none()).count();
            let all: Vec<&str> = criteria.iter().flatten().map(|(_, t)| t.as_str()).collect();
            if let Some(c) = x.crcl.filter(|c| (15.0..30.0).contains(c)) {
                return Ok((reduced, format!("{} (15–29: 2.5 mg twice daily)", crcl_text(c))));
            }
            if met.len() >= 2 {
                let met: Vec<&str> = met.iter().map(|s| s.as_str()).collect();
                Ok((reduced, format!("{} meet 2 of the 3 dose-reduction criteria", met.join(" and "))))
            } else if met.len() + unknown < 2 {
                Ok((
                    standard,
                    format!(
                        "{}: fewer than 2 of age ≥ 80, weight ≤ 60 kg, creatinine ≥ 1.5 mg/dL (133 µmol/L)",
                        all.join(", ")
                    ),
                ))
            } else {
                let mut missing = Vec::new();
                if x.age.is_none() {
                    missing.push("age");
                }
                if x.weight_kg.is_none() {
                    missing.push("weight");
                }
                if x.creatinine_umol_l.is_none() {
                    missing.push("creatinine");
                }
                Err(missing)
            }
        }
        "rivaroxaban" => {
            let c = x.crcl.ok_or_else(|| x.crcl_missing())?;
            Ok(if c < 50.0 {
                (reduced, format!("{} (15–49: 15 mg)", crcl_text(c)))
            } else {
                (standard, format!("{} (50 or more: 20 mg)", crcl_text(c)))
            })
        }
        "edoxaban" => {
            // Any of: creatinine clearance 15–50 mL/min, weight ≤ 60 kg, dronedarone (or
            // ciclosporin, erythromycin, ketoconazole, not read).
            let mut reasons = Vec::new();
            if x.dronedarone {
                reasons.push("taken with dronedarone".to_string());
            }
            if let Some(w) = x.weight_kg.filter(|w| *w <= 60.0) {
                reasons.push(format!("weight {} kg (≤ 60)", fmt_value(w)));
            }
            if let Some(c) = x.crcl.filter(|c| *c <= 50.0) {
                reasons.push(format!("{} (15–50)", crcl_text(c)));
            }
            if !reasons.is_empty() {
                return Ok((reduced, reasons.join(", ")));
            }
            match (x.weight_kg, x.crcl) {
                (Some(w), Some(c)) => Ok((
                    standard,
                    format!("weight {} kg, {}, no dronedarone: none of the 30 mg criteria", fmt_value(w), crcl_text(c)),
                )),
                _ => Err(x.crcl_missing()),
            }
        }
        "dabigatran" => {
            let a = x.age.ok_or_else(|| vec!["age"])?;
            if a >= 80.0 || x.verapamil {
                let why = match (a >= 80.0, x.verapamil) {
                    (true, true) => format!("age {a:.0} and verapamil"),
                    (true, false) => format!("age {a:.0} (80 or over)"),
                    _ => "taken with verapamil".to_string(),
                };
                Ok((reduced, why))
            } else {
                Ok((standard, format!("age {a:.0}, no verapamil: 150 mg twice daily")))
            }
        }
        _ => Err(Vec::new()),
    }
}

/// Whether dabigatran 110 mg twice daily is one the EU SmPC lets the prescriber choose below 80
/// without verapamil: age 75–79 or creatinine clearance 30–50 mL/min (or gastritis, oesophagitis,
/// reflux or a raised bleeding risk, which the twin does not read).
fn dabigatran_reduced_considered(x: &DoseInputs) -> bool {
    x.age.is_some_and(|a| a >= 75.0) || x.crcl.is_some_and(|c| (30.0..=50.0).contains(&c))
}

/// A DOAC's daily dose (`daily_mg`, where stated) against its AF dose criteria (EHRA 2021 Table 2;
/// EU SmPCs): apixaban 2.5 mg twice daily only with ≥ 2 of age ≥ 80, weight ≤ 60 kg, creatinine
/// ≥ 1.5 mg/dL (or creatinine clearance 15–29); rivaroxaban 15 mg at creatinine clearance 15–49,
/// else 20; edoxaban 30 mg at 15–50, weight ≤ 60 kg or with dronedarone, else 60; dabigatran
/// 110 mg twice daily at age ≥ 80 or with verapamil, else 150 (110 considered at 75–79 or
/// clearance 30–50, so not called under-dosing there). Below a clearance of 15 (30 for dabigatran)
/// the renal rule speaks instead, and [`DoseFinding::Fits`] is returned.
pub fn check_dose(agent: &str, daily_mg: Option<f64>, x: &DoseInputs) -> DoseFinding {
    let Some((reduced, standard)) = af_doses(agent) else { return DoseFinding::Fits };
    let renal_floor = if agent == "dabigatran" { 30.0 } else { 15.0 };
    if x.crcl.is_some_and(|c| c < renal_floor) {
        return DoseFinding::Fits;
    }
    let expected = expected_dose(agent, x);
    let Some(mg) = daily_mg else {
        return DoseFinding::DoseNotStated { expected: expected.ok() };
    };
    let same = |a: f64, b: f64| (a - b).abs() < 1e-6;
    if !same(mg, reduced) && !same(mg, standard) {
        return DoseFinding::NotAnAfDose { doses: (reduced, standard) };
    }
    match expected {
        Err(missing) => DoseFinding::Unchecked { missing },
        Ok((want, _)) if same(want, mg) => DoseFinding::Fits,
        Ok((want, why)) if mg < want => {
            if agent == "dabigatran" && dabigatran_reduced_considered(x) {
                DoseFinding::Fits
            } else {
                DoseFinding::Under { expected_mg: want, why }
            }
        }
        Ok((want, why)) => DoseFinding::Over { expected_mg: want, why },
    }
}

/// A DOAC daily dose as prescribers write it: `5 mg twice daily` for apixaban 10 mg/day.
pub fn dose_words(agent: &str, daily_mg: f64) -> String {
    match agent {
        "apixaban" | "dabigatran" => format!("{} mg twice daily", fmt_value(daily_mg / 2.0)),
        _ => format!("{} mg once daily", fmt_value(daily_mg)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drugs::{DoseLevel, DrugClass as D};
    use crate::suggest::safety::testing::{Rec, TODAY};

    fn scores(r: Rec) -> (ScoreResult, ScoreResult, ScoreResult) {
        let x = inputs(&r.build(), TODAY);
        (cha2ds2_va(&x), cha2ds2_vasc(&x), has_bled(&x))
    }

    fn points(s: &ScoreResult, label: &str) -> Option<u32> {
        s.items.iter().find(|i| i.label == label).and_then(|i| i.points)
    }

    /// A 76-year-old woman with hypertension and diabetes, by hand: CHA₂DS₂-VA = hypertension 1 +
    /// age ≥ 75 2 + diabetes 1 = 4; CHA₂DS₂-VASc = 4 + female 1 = 5; HAS-BLED with SBP 150 and
    /// creatinine 90 on no other drug = elderly 1 = 1.
    #[test]
    fn a_76_year_old_woman_with_hypertension_and_diabetes() {
        let r = Rec::new(76, Sex::Female)
            .condition(C::AtrialFibrillation)
            .condition(C::Hypertension)
            .condition(C::Type2Diabetes)
            .lab(K::Sbp, 150.0)
            .lab(K::Creatinine, 90.0);
        let (va, vasc, hb) = scores(r);
        assert_eq!(va.total, Some(4), "{va:?}");
        assert_eq!(
            (points(&va, "hypertension"), points(&va, "age 75 or over"), points(&va, "diabetes")),
            (Some(1), Some(2), Some(1))
        );
        assert_eq!(points(&va, "age 65–74"), Some(0));
        assert!(
            va.recommendation.contains("recommended") && va.recommendation.contains("DOAC"),
            "{}",
            va.recommendation
        );
        assert_eq!(vasc.total, Some(5));
        assert!(vasc.recommendation.contains("recommended"), "{}", vasc.recommendation);
        assert_eq!(hb.total, Some(1), "{hb:?}");
        assert!(hb.recommendation.contains("not high"), "{}", hb.recommendation);
        // The items carry their inputs: the SBP with its value and date.
        let h = hb.items.iter().find(|i| i.letter == "H").unwrap();
        assert_eq!((h.basis.value.as_str(), h.basis.date), ("150 mmHg", Some(TODAY - time::Duration::days(1))));
    }

    /// A 60-year-old man with no risk factor: 0 on every score.
    #[test]
    fn a_60_year_old_man_with_no_factors_scores_0() {
        let r = Rec::new(60, Sex::Male).condition(C::AtrialFibrillation).lab(K::Sbp, 128.0).lab(K::Creatinine, 80.0);
        let (va, vasc, hb) = scores(r);
        assert_eq!((va.total, vasc.total, hb.total), (Some(0), Some(0), Some(0)));
        assert!(va.recommendation.contains("no anticoagulation"), "{}", va.recommendation);
        assert!(vasc.recommendation.contains("not indicated"), "{}", vasc.recommendation);
        assert_eq!(va.scoring_items(), "no item scores");
    }

    /// Without a birth date, the age items are not guessed: the total is missing and says why;
    /// without SBP and creatinine, HAS-BLED names both.
    #[test]
    fn a_missing_input_is_named_not_guessed() {
        let mut rec = Rec::new(70, Sex::Male).condition(C::AtrialFibrillation).condition(C::Hypertension).build();
        rec.demographics.birth_date = None;
        let x = inputs(&rec, TODAY);
        let va = cha2ds2_va(&x);
        assert_eq!((va.total, va.at_least), (None, 1));
        assert_eq!(va.missing, vec![MissingInput { item: "age 75 or over", input: "birth date" }]);
        assert!(
            va.recommendation.contains("not complete (birth date not on record): at least 1"),
            "{}",
            va.recommendation
        );
        let hb = has_bled(&x);
        assert_eq!(hb.total, None);
        let missing: Vec<&str> = hb.missing.iter().map(|m| m.input).collect();
        assert_eq!(missing, ["systolic BP", "serum creatinine", "birth date"]);
        assert!(hb.missing[0].describe().contains("systolic BP is not on record"));
    }

    /// A floor that already reaches the threshold is enough: stroke and hypertension without a
    /// birth date are ≥ 3, and anticoagulation is recommended whatever the age.
    #[test]
    fn a_floor_at_the_threshold_still_recommends() {
        let mut rec = Rec::new(70, Sex::Male)
            .condition(C::AtrialFibrillation)
            .condition(C::Hypertension)
            .condition(C::Stroke)
            .build();
        rec.demographics.birth_date = None;
        let va = cha2ds2_va(&inputs(&rec, TODAY));
        assert_eq!((va.total, va.at_least), (None, 3));
        assert!(
            va.recommendation.starts_with("CHA₂DS₂-VA ≥ 3: oral anticoagulation is recommended"),
            "{}",
            va.recommendation
        );
    }

    /// Heart failure by LVEF ≤ 40, vascular disease by a PCI (ESC 2024) but not in CHA₂DS₂-VASc's
    /// older definition (prior MI, PAD), diabetes by HbA1c; a 68-year-old man: VA = C 1 + D 1 +
    /// V 1 + A 1 = 4; VASc = C 1 + D 1 + A 1 = 3.
    #[test]
    fn heart_failure_by_lvef_vascular_by_pci_and_diabetes_by_hba1c() {
        let r = Rec::new(68, Sex::Male)
            .condition(C::AtrialFibrillation)
            .lab(K::Lvef, 35.0)
            .lab(K::Hba1c, 7.1)
            .procedure(ProcedureKind::Pci, time::macros::date!(2020 - 01 - 01));
        let (va, vasc, _) = scores(r);
        assert_eq!(va.total, Some(4), "{}", va.scoring_items());
        assert_eq!(vasc.total, Some(3), "{}", vasc.scoring_items());
        let c = va.items.iter().find(|i| i.letter == "C").unwrap();
        assert_eq!(c.basis.value, "35 %");
    }

    /// HAS-BLED, by hand: a 72-year-old on aspirin with SBP 168, creatinine 210, a past GI bleed,
    /// alcohol excess and cirrhosis: H 1 + A 1 + A 1 + B 1 + E 1 + D 1 + D 1 = 7 (no stroke, not on
    /// a VKA); the modifiable factors are named.
    #[test]
    fn has_bled_by_hand_with_every_kind_of_item() {
        let r = Rec::new(72, Sex::Male)
            .condition(C::AtrialFibrillation)
            .condition_since(C::BleedingHistory, None, false)
            .condition(C::AlcoholExcess)
            .condition(C::LiverDisease)
            .lab(K::Sbp, 168.0)
            .lab(K::Creatinine, 210.0)
            .drug("aspirin", D::Antiplatelet, Some(75.0), DoseLevel::Standard);
        let (_, _, hb) = scores(r);
        assert_eq!(hb.total, Some(7), "{hb:?}");
        assert!(hb.recommendation.contains("high bleeding risk"), "{}", hb.recommendation);
        assert!(hb.recommendation.contains("Not on its own a reason to withhold"), "{}", hb.recommendation);
        assert!(hb.recommendation.contains("drugs (antiplatelet or NSAID)"), "{}", hb.recommendation);
    }

    /// Hypertension by treatment (ESC 2024): amlodipine counts; bisoprolol (rate control) does not,
    /// nor ramipril with heart failure on record (its treatment, scored as C).
    #[test]
    fn antihypertensive_treatment_counts_as_hypertension_but_rate_control_does_not() {
        let base = || Rec::new(60, Sex::Male).condition(C::AtrialFibrillation);
        let on = |r: Rec| points(&scores(r).0, "hypertension");
        assert_eq!(on(base().drug("amlodipine", D::CalciumChannelBlocker, Some(5.0), DoseLevel::Standard)), Some(1));
        assert_eq!(on(base().drug("bisoprolol", D::BetaBlocker, Some(5.0), DoseLevel::Standard)), Some(0));
        let hf = base().condition(C::HeartFailure).drug("ramipril", D::AceInhibitor, Some(5.0), DoseLevel::Standard);
        assert_eq!(on(hf), Some(0));
        assert_eq!(on(base().drug("ramipril", D::AceInhibitor, Some(5.0), DoseLevel::Standard)), Some(1));
    }

    /// On warfarin, a labile INR cannot be read from the record: HAS-BLED is a floor; an NSAID by
    /// name counts as a drug.
    #[test]
    fn on_warfarin_the_labile_inr_is_missing_and_an_nsaid_counts() {
        let r = Rec::new(70, Sex::Female)
            .condition(C::AtrialFibrillation)
            .lab(K::Sbp, 130.0)
            .lab(K::Creatinine, 80.0)
            .drug("warfarin", D::Anticoagulant, Some(5.0), DoseLevel::Standard)
            .unknown_drug("Ibuprofen 400 mg tablets");
        let (_, _, hb) = scores(r);
        assert_eq!((hb.total, hb.at_least), (None, 2), "{hb:?}");
        assert_eq!(hb.missing[0].input, "INR time in therapeutic range");
    }

    #[test]
    fn scores_are_for_atrial_fibrillation_only() {
        assert!(assess(&Rec::new(70, Sex::Male).condition(C::Hypertension).build(), TODAY).is_none());
        let a = assess(&Rec::new(70, Sex::Male).condition(C::AtrialFibrillation).build(), TODAY).unwrap();
        assert_eq!(a.diagnosis, "Condition/c0");
    }

    // ---- DOAC doses.

    fn dose(age: f64, weight: f64, creatinine: f64, sex: Sex) -> DoseInputs {
        DoseInputs {
            age: Some(age),
            weight_kg: Some(weight),
            creatinine_umol_l: Some(creatinine),
            crcl: creatinine_clearance_cockcroft_gault(creatinine, age, weight, sex),
            verapamil: false,
            dronedarone: false,
        }
    }

    #[test]
    fn apixaban_2_5_mg_needs_two_criteria() {
        // 74, 72 kg, 88 µmol/L: no criterion; 5 mg twice daily fits, 2.5 is under-dosing.
        let x = dose(74.0, 72.1, 88.0, Sex::Female);
        assert_eq!(check_dose("apixaban", Some(10.0), &x), DoseFinding::Fits);
        assert!(
            matches!(check_dose("apixaban", Some(5.0), &x), DoseFinding::Under { expected_mg, .. } if expected_mg == 10.0)
        );
        // 82, 58 kg: two criteria; 5 mg twice daily is over-dosing.
        let old = dose(82.0, 58.0, 90.0, Sex::Female);
        assert!(
            matches!(check_dose("apixaban", Some(10.0), &old), DoseFinding::Over { expected_mg, .. } if expected_mg == 5.0)
        );
        assert_eq!(check_dose("apixaban", Some(5.0), &old), DoseFinding::Fits);
        // One criterion (age 81) with the weight unknown: cannot be judged.
        let unknown = DoseInputs { weight_kg: None, crcl: None, ..dose(81.0, 70.0, 90.0, Sex::Male) };
        assert_eq!(check_dose("apixaban", Some(10.0), &unknown), DoseFinding::Unchecked { missing: vec!["weight"] });
    }

    #[test]
    fn rivaroxaban_edoxaban_and_dabigatran_follow_their_criteria() {
        // 78-year-old man, 70 kg, creatinine 150 µmol/L: CrCl (62 × 70) / (72 × 1.70) = 35.5.
        let x = dose(78.0, 70.0, 150.0, Sex::Male);
        assert!((x.crcl.unwrap() - 35.5).abs() < 0.1, "{:?}", x.crcl);
        assert!(
            matches!(check_dose("rivaroxaban", Some(20.0), &x), DoseFinding::Over { expected_mg, .. } if expected_mg == 15.0)
        );
        assert_eq!(check_dose("rivaroxaban", Some(15.0), &x), DoseFinding::Fits);
        assert_eq!(check_dose("edoxaban", Some(30.0), &x), DoseFinding::Fits);
        assert!(matches!(check_dose("edoxaban", Some(60.0), &x), DoseFinding::Over { .. }));
        let fit = dose(60.0, 80.0, 80.0, Sex::Male);
        assert!(
            matches!(check_dose("edoxaban", Some(30.0), &fit), DoseFinding::Under { expected_mg, .. } if expected_mg == 60.0)
        );
        let with_dronedarone = DoseInputs { dronedarone: true, ..fit };
        assert_eq!(check_dose("edoxaban", Some(30.0), &with_dronedarone), DoseFinding::Fits);
        // Dabigatran: 150 twice daily at 82 is over; 110 at 60 without verapamil is under; 110 at
        // 77 is the prescriber's choice (EU SmPC), not under-dosing.
        assert!(matches!(
            check_dose("dabigatran", Some(300.0), &dose(82.0, 70.0, 80.0, Sex::Male)),
            DoseFinding::Over { .. }
        ));
        assert!(matches!(check_dose("dabigatran", Some(220.0), &fit), DoseFinding::Under { .. }));
        assert_eq!(check_dose("dabigatran", Some(220.0), &dose(77.0, 80.0, 80.0, Sex::Male)), DoseFinding::Fits);
        let verapamil = DoseInputs { verapamil: true, ..fit };
        assert!(matches!(check_dose("dabigatran", Some(300.0), &verapamil), DoseFinding::Over { .. }));
    }

    #[test]
    fn doses_not_stated_or_unlicensed_are_said_and_warfarin_is_not_judged() {
        let x = dose(74.0, 72.1, 88.0, Sex::Female);
        assert!(
            matches!(check_dose("apixaban", None, &x), DoseFinding::DoseNotStated { expected: Some((e, _)) } if e == 10.0)
        );
        assert_eq!(check_dose("apixaban", Some(7.5), &x), DoseFinding::NotAnAfDose { doses: (5.0, 10.0) });
        assert_eq!(check_dose("warfarin", Some(5.0), &x), DoseFinding::Fits);
        assert_eq!(dose_words("apixaban", 10.0), "5 mg twice daily");
        assert_eq!(dose_words("rivaroxaban", 15.0), "15 mg once daily");
    }
}
