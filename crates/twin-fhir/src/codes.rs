//! Code tables: LOINC → measurement, SNOMED CT / ICD-10-CM → condition, SNOMED CT → procedure
//! and smoking status. RxNorm → agent lives in `twin_engine::drugs` (one table for ingest and
//! for the model).
//!
//! Codes are from LOINC 2.77, SNOMED CT International and ICD-10-CM 2025, including those the
//! Synthea generator and US Core profiles use.

use twin_engine::record::{ConditionKind, MeasurementKind, NyhaClass, ProcedureKind, Rhythm, SmokingStatus};

/// LOINC's system URI.
pub const LOINC: &str = "http://loinc.org";
/// SNOMED CT's system URI.
pub const SNOMED: &str = "http://snomed.info/sct";
/// ICD-10-CM's system URI.
pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// ICD-10 (WHO) system URI.
pub const ICD10: &str = "http://hl7.org/fhir/sid/icd-10";
/// RxNorm's system URI.
pub const RXNORM: &str = "http://www.nlm.nih.gov/research/umls/rxnorm";

/// LOINC codes of blood-pressure panels whose components carry SBP and DBP.
pub const BP_PANELS: &[&str] = &["85354-9", "55284-4", "35094-2"];
/// LOINC code of tobacco smoking status.
pub const SMOKING_STATUS: &str = "72166-2";
/// LOINC code of the NYHA functional class ("Functional capacity NYHA").
pub const NYHA_CLASS: &str = "88020-3";
/// LOINC code of the heart rhythm ("Heart rate rhythm"), answered with a coded rhythm.
pub const HEART_RHYTHM: &str = "8884-9";
/// LOINC codes of ECG observations whose coded value (or coded components) state findings: the
/// rhythm, bundle-branch block. "EKG impression" (8601-7), "12 lead EKG panel" (34534-8) and
/// "EKG study" (11524-6), as the US Core clinical test codes list them.
pub const ECG_OBSERVATIONS: &[&str] = &["8601-7", "34534-8", "11524-6"];
/// SNOMED CT's left bundle branch block (finding), as a diagnosis or an ECG's coded finding.
pub const LEFT_BUNDLE_BRANCH_BLOCK: &str = "164909002";

/// The measurement a LOINC code reports, if we use it.
pub fn loinc_measurement(code: &str) -> Option<MeasurementKind> {
    use MeasurementKind as K;
    Some(match code {
        "8480-6" => K::Sbp,
        "8462-4" => K::Dbp,
        "8867-4" => K::HeartRate,
        "29463-7" | "3141-9" => K::Weight,
        "39156-5" => K::Bmi,
        "2093-3" | "14647-2" => K::TotalCholesterol,
        "13457-7" | "18262-6" | "2089-1" | "22748-8" | "69419-0" => K::LdlCholesterol,
        "2085-9" | "14646-4" => K::HdlCholesterol,
        "2571-8" | "14927-8" | "3043-7" => K::Triglycerides,
        "4548-4" | "17856-6" | "59261-8" => K::Hba1c,
        "2160-0" | "38483-4" | "14682-9" => K::Creatinine,
        "33914-3" | "62238-1" | "98979-8" | "48642-3" | "48643-1" | "69405-9" => K::Egfr,
        "2823-3" | "6298-4" => K::Potassium,
        // Sodium [Moles/volume] in Serum or Plasma; in Blood.
        "2951-2" | "2947-0" => K::Sodium,
        "10230-1" | "8806-2" | "18043-0" | "8808-8" | "8807-0" => K::Lvef,
        "40443-4" => K::WearableRestingHeartRate,
        "41950-7" | "55423-8" => K::Steps,
        "93832-4" => K::SleepDuration,
        // Albumin/Creatinine [Mass Ratio] in Urine; Microalbumin/Creatinine [Mass Ratio] in Urine;
        // Albumin/Creatinine [Ratio] in Urine (the unit, mg/g or mg/mmol, tells the scale).
        "9318-7" | "14959-1" | "32294-1" => K::Uacr,
        // C reactive protein [Mass/volume] in Serum or Plasma, by high-sensitivity method, in Blood.
        "1988-5" | "30522-7" | "76485-2" => K::Crp,
        // Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma; the same
        // by immunoassay; [Moles/volume] in Serum or Plasma (the unit, pg/mL or pmol/L, tells).
        "33762-6" | "83107-3" | "33763-4" => K::NtProBnp,
        // Natriuretic peptide B [Mass/volume] in Serum or Plasma; in Blood.
        "30934-4" | "42637-9" => K::Bnp,
        // QRS duration (the US Core clinical test code; 8633-2 is not a valid LOINC number).
        "8633-0" => K::QrsDuration,
        _ => return None,
    })
}

/// SNOMED CT's angioedema (disorder), as a condition and as an allergy reaction's manifestation.
pub const ANGIOEDEMA: &str = "41291007";

/// The condition a SNOMED CT concept denotes, if we use it.
pub fn snomed_condition(code: &str) -> Option<ConditionKind> {
    use ConditionKind as C;
    Some(match code {
        "38341003" | "59621000" | "1201005" => C::Hypertension,
        "56218007" => C::IsolatedSystolicHypertension,
        "53741008" | "414545008" | "194828000" | "413838009" => C::CoronaryArteryDisease,
        "22298006" | "401303003" | "401314000" | "57054005" | "399211009" | "1755008" => C::MyocardialInfarction,
        "703272007" | "417996009" => C::HeartFailureReducedEf,
        "84114007" | "88805009" | "42343007" | "85232009" => C::HeartFailure,
        "44054006" => C::Type2Diabetes,
        "433144002" | "700378005" | "700379002" => C::ChronicKidneyDiseaseStage3,
        "709044004" | "431855005" | "431856006" | "431857002" | "433146000" => C::ChronicKidneyDisease,
        "49436004" | "282825002" | "440028005" => C::AtrialFibrillation,
        "55822004" | "13644009" | "267432004" => C::Hyperlipidaemia,
        "398036000" | "397915002" => C::FamilialHypercholesterolaemia,
        "230690007" | "422504002" | "266257000" | "432504007" => C::Stroke,
        "399957001" | "840580004" => C::PeripheralArteryDisease,
        "195042002" | "28189009" | "27885002" | "233917008" => C::HighGradeAvBlock,
        "235856003" | "19943007" | "128302006" | "61977001" | "197321007" | "59927004" => C::LiverDisease,
        "77386006" | "72892002" => C::Pregnancy,
        "13645005" | "185086009" | "87433001" | "195951007" => C::Copd,
        "233985008" | "75878002" => C::AorticAneurysm,
        // Angioedema (disorder), the concept the IPS allergy-reaction value set uses.
        ANGIOEDEMA => C::Angioedema,
        // Frailty (finding).
        "248279007" => C::Frailty,
        // Orthostatic hypotension (disorder).
        "28651003" => C::OrthostaticHypotension,
        // Falls (finding), recorded as a history of falls.
        "161898004" => C::HistoryOfFalls,
        // Hyponatremia (disorder).
        "89627008" => C::Hyponatraemia,
        // Left bundle branch block (finding).
        LEFT_BUNDLE_BRANCH_BLOCK => C::LeftBundleBranchBlock,
        // Bleeding (finding), gastrointestinal hemorrhage (disorder), blood coagulation disorder
        // (disorder): HAS-BLED's bleeding history or predisposition. Cerebral hemorrhage is left
        // out: HAS-BLED scores a haemorrhagic stroke as a stroke, not as bleeding.
        "131148009" | "74474003" | "64779008" => C::BleedingHistory,
        // Alcohol abuse, alcoholism, alcohol dependence (disorders); heavy and very heavy
        // drinker (findings): HAS-BLED's alcohol excess.
        "15167005" | "7200002" | "66590003" | "86933000" | "228279004" => C::AlcoholExcess,
        _ => return None,
    })
}

/// The condition an ICD-10(-CM) code denotes, by its category.
pub fn icd10_condition(code: &str) -> Option<ConditionKind> {
    use ConditionKind as C;
    let code = code.trim().to_ascii_uppercase();
    let starts = |p: &str| code.starts_with(p);
    Some(if starts("I10") || starts("I11") || starts("I12") || starts("I13") {
        C::Hypertension
    } else if starts("I21") || starts("I22") || starts("I25.2") {
        C::MyocardialInfarction
    } else if starts("I25") || starts("I20") {
        C::CoronaryArteryDisease
    } else if starts("I50.2") || starts("I50.4") {
        C::HeartFailureReducedEf
    } else if starts("I50") {
        C::HeartFailure
    } else if starts("E11") {
        C::Type2Diabetes
    } else if starts("N18.3") {
        C::ChronicKidneyDiseaseStage3
    } else if starts("N18") {
        C::ChronicKidneyDisease
    } else if starts("I48") {
        C::AtrialFibrillation
    } else if starts("I63") || starts("G45") {
        C::Stroke
    } else if starts("I70.2") || starts("I73.9") {
        C::PeripheralArteryDisease
    } else if starts("I44.1") || starts("I44.2") {
        C::HighGradeAvBlock
    } else if starts("K70") || starts("K72") || starts("K73") || starts("K74") || starts("K75") {
        C::LiverDisease
    } else if starts("Z33") || starts("O") {
        C::Pregnancy
    } else if starts("J43") || starts("J44") {
        C::Copd
    } else if starts("I71.3") || starts("I71.4") {
        C::AorticAneurysm
    } else if starts("T78.3") {
        C::Angioedema
    } else if starts("I95.1") {
        C::OrthostaticHypotension
    } else if starts("R54") {
        C::Frailty
    } else if starts("Z91.81") || starts("R29.6") {
        C::HistoryOfFalls
    } else if starts("E87.1") {
        C::Hyponatraemia
    } else if starts("I44.7") {
        C::LeftBundleBranchBlock
    } else if starts("K92.0") || starts("K92.1") || starts("K92.2") || starts("R58") {
        // Haematemesis, melaena, gastrointestinal and other haemorrhage.
        C::BleedingHistory
    } else if starts("D66") || starts("D67") || ["D68.0", "D68.1", "D68.2", "D68.3", "D68.4"].iter().any(|p| starts(p))
    {
        // Haemophilias, von Willebrand disease, other factor deficiencies, haemorrhagic disorder
        // from circulating anticoagulants (not D68.5/D68.6, the thrombophilias).
        C::BleedingHistory
    } else if starts("F10.1") || starts("F10.2") {
        // Alcohol abuse, alcohol dependence.
        C::AlcoholExcess
    } else if starts("E78.01") {
        C::FamilialHypercholesterolaemia
    } else if starts("E78") {
        C::Hyperlipidaemia
    } else {
        return None;
    })
}

/// The procedure a SNOMED CT concept denotes, if we use it.
pub fn snomed_procedure(code: &str) -> Option<ProcedureKind> {
    Some(match code {
        "415070008" | "11101003" | "36969009" | "429064006" => ProcedureKind::Pci,
        "232717009" | "10190003" | "414088005" => ProcedureKind::Cabg,
        "40701008" | "433236007" | "105376000" => ProcedureKind::Echocardiogram,
        _ => return None,
    })
}

/// NYHA class from an answer to LOINC 88020-3: its LOINC answer list (LL2009-9) or the SNOMED CT
/// findings "New York Heart Association Classification - Class I…IV".
pub fn nyha_answer(code: &str) -> Option<NyhaClass> {
    Some(match code {
        "LA28404-4" | "420300004" => NyhaClass::I,
        "LA28405-1" | "421704003" => NyhaClass::Ii,
        "LA28406-9" | "420913000" => NyhaClass::Iii,
        "LA28407-7" | "422293003" => NyhaClass::Iv,
        _ => return None,
    })
}

/// The rhythm a SNOMED CT concept names, as an ECG finding or an answer to LOINC 8884-9: sinus
/// rhythm (426783006), normal sinus rhythm (64730000), sinus bradycardia (49710005) and
/// tachycardia (11092001); atrial fibrillation (49436004) and its ECG finding (164889003);
/// atrial flutter (5370000).
pub fn snomed_rhythm(code: &str) -> Option<Rhythm> {
    Some(match code {
        "426783006" | "64730000" | "49710005" | "11092001" => Rhythm::Sinus,
        "49436004" | "164889003" => Rhythm::AtrialFibrillation,
        "5370000" => Rhythm::AtrialFlutter,
        _ => return None,
    })
}

/// Smoking status from a SNOMED CT answer to LOINC 72166-2 (US Core smoking status value set).
pub fn snomed_smoking(code: &str) -> Option<SmokingStatus> {
    Some(match code {
        "449868002" | "428041000124106" | "77176002" | "65568007" | "428071000124103" | "428061000124105"
        | "230059006" | "229819007" => SmokingStatus::Current,
        "8517006" => SmokingStatus::Former,
        "266919005" => SmokingStatus::Never,
        _ => return None,
    })
}
