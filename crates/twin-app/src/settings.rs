//! Saved EHR connections, the clinician's preferences ([`Preferences`]: cholesterol unit,
//! default risk region and race, guideline set, who they are), and what the settings screen
//! shows: the data folder, the compute backend in use, the stale-data limits
//! ([`crate::freshness::StaleLimitsView`]).
//!
//! Connections hold no PHI and no secret (name, FHIR base, client id, scopes); they and the
//! preferences are still sealed by the store like everything else in the data folder
//! ([`crate::saved`]). The sign-in they lead to is kept in the OS keychain ([`crate::ehr`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use twin_store::documents::Setting;
use twin_store::Store;

use crate::error::{AppError, ErrorCode};
use crate::identity::Clinician;

/// Race group for the Pooled Cohort Equations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RaceChoice {
    /// White.
    White,
    /// Black (African American).
    Black,
    /// Other: the PCE use the white equations.
    Other,
}

/// ESC risk region for SCORE2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RegionChoice {
    /// Low-risk countries.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
    /// Very high.
    VeryHigh,
}

/// The scopes asked for unless the clinician says otherwise (SMART App Launch v2: read the
/// patient's record, refresh without the browser).
pub const DEFAULT_SCOPES: &str = "openid fhirUser offline_access launch/patient patient/*.rs";

/// One saved EHR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EhrConnection {
    /// What the clinician calls it ("St Mary's Epic").
    pub name: String,
    /// FHIR R4 base URL (https, or http on this machine only).
    pub fhir_base: String,
    /// Client id registered with the EHR.
    pub client_id: String,
    /// Scopes to ask for.
    pub scopes: String,
}

impl EhrConnection {
    /// The connection with its fields trimmed, or what is wrong with it.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] naming the field.
    pub fn checked(self) -> Result<Self, AppError> {
        let invalid = |m: &str| AppError::new(ErrorCode::Validation, m);
        let c = Self {
            name: self.name.trim().to_string(),
            fhir_base: self.fhir_base.trim().to_string(),
            client_id: self.client_id.trim().to_string(),
            scopes: self.scopes.split_whitespace().collect::<Vec<_>>().join(" "),
        };
        if c.name.is_empty() || c.name.len() > 80 {
            return Err(invalid("give the connection a name (up to 80 characters)"));
        }
        let url = url::Url::parse(&c.fhir_base)
            .map_err(|_| invalid("the FHIR base is not a web address (e.g. https://ehr.example.org/fhir)"))?;
        twin_fhir::fetch::require_secure(&url, "the FHIR base").map_err(|e| invalid(&e.to_string()))?;
        if c.client_id.is_empty() {
            return Err(invalid("give the client id the EHR registered for CardioTwin"));
        }
        Ok(Self { scopes: if c.scopes.is_empty() { DEFAULT_SCOPES.into() } else { c.scopes.clone() }, ..c })
    }
}

/// The unit cholesterol is shown in. The engine computes in mmol/L; screens convert for display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum LipidUnitChoice {
    /// mmol/L (ESC, and most of the world outside the US).
    #[default]
    #[serde(rename = "mmol/L")]
    MmolPerL,
    /// mg/dL (ACC/AHA, US laboratories).
    #[serde(rename = "mg/dL")]
    MgPerDl,
}

/// Whose guideline the treatment suggestion follows (targets, statin indication, the plan
/// search's goals) and the settings screen lists. ESC is the default (`CLINICAL.md`: where
/// guidelines disagree, ESC first, ACC/AHA as a setting).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum GuidelineSet {
    /// ESC 2024 hypertension and ESC/EAS 2019 dyslipidaemia guidelines.
    #[default]
    Esc,
    /// ACC/AHA 2017 high blood pressure and AHA/ACC 2018 cholesterol guidelines.
    AccAha,
}

/// One treatment target of a guideline set, with its source.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GuidelineTarget {
    /// What is treated: "Blood pressure" or "LDL cholesterol".
    pub measure: String,
    /// For whom.
    pub who: String,
    /// The target in words; for LDL cholesterol, what goes with the value below.
    pub target: String,
    /// The LDL cholesterol goal (below this), in mmol/L, as the guideline writes it.
    pub ldl_below_mmol_l: Option<f64>,
    /// The same goal in mg/dL as the guideline writes it (its own rounding: 55, not 54, for
    /// 1.4 mmol/L), for a screen set to mg/dL.
    pub ldl_below_mg_dl: Option<f64>,
    /// The guideline, year and where in it.
    pub source: String,
}

/// ESC 2024 elevated BP and hypertension guideline (McEvoy JW et al. Eur Heart J
/// 2024;45:3912–4018), section 8: treated SBP 120–129 mmHg if tolerated, DBP 70–79 mmHg.
const ESC_2024_BP: &str = "ESC 2024 hypertension guideline (McEvoy et al., Eur Heart J 2024), BP targets";
/// ESC/EAS 2019 dyslipidaemia guideline (Mach F et al. Eur Heart J 2020;41:111–188), Table 4
/// and section 6: LDL-C goals by SCORE risk category.
const ESC_2019_LDL: &str = "ESC/EAS 2019 dyslipidaemia guideline (Mach et al., Eur Heart J 2020), LDL-C goals";
/// 2017 ACC/AHA high blood pressure guideline (Whelton PK et al. Hypertension 2018;71:e13–e115),
/// section 8.1.5: target < 130/80 mmHg for adults with confirmed hypertension; 8.3.1: SBP < 130 at
/// 65 or over, clinical judgment with a high burden of comorbidity; 8.1.2: drug thresholds.
const ACC_AHA_2017_BP: &str =
    "2017 ACC/AHA high blood pressure guideline (Whelton et al.), sections 8.1.2, 8.1.5 and 8.3.1";
/// 2018 AHA/ACC cholesterol guideline (Grundy SM et al. Circulation 2019;139:e1082–e1143): statin
/// intensity by percentage lowering, and 70 mg/dL (1.8 mmol/L) as the threshold for adding
/// non-statin therapy in clinical ASCVD, 100 mg/dL with LDL-C ≥ 190 mg/dL; the groups of §4.1–4.4.
const ACC_AHA_2018_LDL: &str = "2018 AHA/ACC cholesterol guideline (Grundy et al.), sections 4.1–4.4";

impl GuidelineSet {
    /// The set's name in files and on the command line, as the settings store it: `esc`, `accAha`.
    pub fn code(self) -> &'static str {
        match self {
            GuidelineSet::Esc => "esc",
            GuidelineSet::AccAha => "accAha",
        }
    }

    /// The set named by [`GuidelineSet::code`] (or `acc-aha`, as a command line writes it).
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "esc" => Some(GuidelineSet::Esc),
            "accAha" | "acc-aha" => Some(GuidelineSet::AccAha),
            _ => None,
        }
    }

    /// The set's blood pressure and LDL cholesterol targets, each with its source: the ones the
    /// treatment suggestion's plan search aims at under this set (`twin_engine::suggest::guideline`).
    pub fn targets(self) -> Vec<GuidelineTarget> {
        let row = |measure: &str, who: &str, target: &str, ldl: Option<(f64, f64)>, source: &str| GuidelineTarget {
            measure: measure.into(),
            who: who.into(),
            target: target.into(),
            ldl_below_mmol_l: ldl.map(|(mmol, _)| mmol),
            ldl_below_mg_dl: ldl.map(|(_, mg)| mg),
            source: source.into(),
        };
        let bp = "Blood pressure";
        let ldl = "LDL cholesterol";
        match self {
            GuidelineSet::Esc => vec![
                row(bp, "Most treated adults", "systolic 120–129, diastolic 70–79 mmHg, if tolerated", None, ESC_2024_BP),
                row(
                    bp,
                    "Age 85 or over, moderate–severe frailty, symptomatic orthostatic hypotension or limited life expectancy",
                    "systolic as low as reasonably achievable",
                    None,
                    ESC_2024_BP,
                ),
                row(ldl, "Very high risk (e.g. established ASCVD)", "and at least 50% lower than before treatment", Some((1.4, 55.0)), ESC_2019_LDL),
                row(ldl, "High risk", "and at least 50% lower than before treatment", Some((1.8, 70.0)), ESC_2019_LDL),
                row(ldl, "Moderate risk", "", Some((2.6, 100.0)), ESC_2019_LDL),
                row(ldl, "Low risk", "", Some((3.0, 116.0)), ESC_2019_LDL),
            ],
            GuidelineSet::AccAha => vec![
                row(
                    bp,
                    "Adults with hypertension, 65 or over included",
                    "below 130/80 mmHg; drugs from 130/80 with clinical CVD, diabetes, CKD, age 65 or over or a 10-year risk of 10% or more, else from 140/90 (lifestyle first)",
                    None,
                    ACC_AHA_2017_BP,
                ),
                row(
                    bp,
                    "65 or over with a high burden of comorbidity or limited life expectancy (frailty, falls or orthostatic hypotension on record)",
                    "clinical judgment; at least below 140/90 mmHg",
                    None,
                    ACC_AHA_2017_BP,
                ),
                row(
                    ldl,
                    "Clinical ASCVD",
                    "high-intensity statin, LDL-C at least 50% lower; add ezetimibe (then a PCSK9 inhibitor if very high risk) while LDL-C is 70 mg/dL (1.8 mmol/L) or more; no LDL-C goal",
                    None,
                    ACC_AHA_2018_LDL,
                ),
                row(
                    ldl,
                    "LDL-C 190 mg/dL or more untreated, or familial hypercholesterolaemia (age 20–75)",
                    "high-intensity statin; add ezetimibe while LDL-C is 100 mg/dL (2.6 mmol/L) or more; no LDL-C goal",
                    None,
                    ACC_AHA_2018_LDL,
                ),
                row(
                    ldl,
                    "Diabetes, age 40–75",
                    "moderate-intensity statin (LDL-C at least 30% lower); high intensity (at least 50%) with multiple risk factors",
                    None,
                    ACC_AHA_2018_LDL,
                ),
                row(
                    ldl,
                    "Primary prevention, age 40–75, by the Pooled Cohort Equations",
                    "moderate-intensity statin at 7.5–20% (at 5–7.5% with risk enhancers), high intensity at 20% or more; no LDL-C goal",
                    None,
                    ACC_AHA_2018_LDL,
                ),
            ],
        }
    }
}

impl From<GuidelineSet> for twin_engine::suggest::Guideline {
    fn from(set: GuidelineSet) -> Self {
        match set {
            GuidelineSet::Esc => Self::Esc,
            GuidelineSet::AccAha => Self::AccAha,
        }
    }
}

/// What the clinician chose on this workstation. Each field has a default, so a setting saved by
/// an earlier version (fewer fields) still reads.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Preferences {
    /// The unit cholesterol is shown in.
    #[serde(default)]
    pub lipid_unit: LipidUnitChoice,
    /// The ESC risk region SCORE2 uses when the screen does not give one (SCORE2 working group,
    /// Eur Heart J 2021: four region sets by national CVD mortality). None: SCORE2 is not
    /// computed until a region is given.
    #[serde(default)]
    pub default_region: Option<RegionChoice>,
    /// The race group the Pooled Cohort Equations (Goff et al. 2013) use when the screen does not
    /// give one (FHIR records here carry none). None: the PCE are not computed until one is given.
    #[serde(default)]
    pub default_race: Option<RaceChoice>,
    /// Whose guideline the treatment suggestion follows.
    #[serde(default)]
    pub guidelines: GuidelineSet,
    /// Who the decision log records; None: the system user name.
    #[serde(default)]
    pub clinician: Option<Clinician>,
}

impl Preferences {
    /// The preferences with the clinician's identity checked.
    ///
    /// # Errors
    /// [`ErrorCode::Validation`] as [`Clinician::checked`].
    pub fn checked(self) -> Result<Self, AppError> {
        Ok(Self { clinician: self.clinician.map(Clinician::checked).transpose()?, ..self })
    }
}

/// The preferences saved on this workstation; `None` when never saved.
///
/// # Errors
/// Store errors; a sealed setting that does not parse.
pub fn preferences(store: &Store) -> Result<Option<Preferences>, AppError> {
    let unreadable = || AppError::new(ErrorCode::Validation, "the saved preferences are not readable");
    match store.get_setting(Setting::Preferences)? {
        Some(bytes) => {
            let saved: Preferences = serde_json::from_slice(&bytes).map_err(|_| unreadable())?;
            saved.checked().map(Some).map_err(|_| unreadable())
        }
        None => Ok(None),
    }
}

/// Replaces the preferences (checked first).
///
/// # Errors
/// An invalid clinician identity; store errors.
pub fn save_preferences(store: &Store, preferences: Preferences) -> Result<Preferences, AppError> {
    let preferences = preferences.checked()?;
    let bytes = serde_json::to_vec(&preferences)
        .map_err(|e| AppError::new(ErrorCode::Store, format!("the preferences could not be written: {e}")))?;
    store.put_setting(Setting::Preferences, &bytes)?;
    Ok(preferences)
}

/// What the settings screen shows.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    /// The data folder (offline cache, audit log, saved scenarios, connections), if any.
    pub data_dir: Option<String>,
    /// Saved EHR connections.
    pub connections: Vec<EhrConnection>,
    /// The compute backend projections run on, in words.
    pub compute: String,
    /// This build's version.
    pub version: String,
    /// The stale-data limits in use: the saved ones, else the defaults.
    pub stale_limits: crate::freshness::StaleLimitsView,
    /// The default limits (the engine's, each with its source).
    pub stale_limits_default: crate::freshness::StaleLimitsView,
    /// Whether the limits in use were saved on this workstation (false: the defaults).
    pub stale_limits_saved: bool,
    /// Why the saved limits could not be read (the defaults are in use), when they could not.
    pub stale_limits_problem: Option<String>,
    /// The clinician's preferences in use: the saved ones, else the defaults.
    pub preferences: Preferences,
    /// Whether the preferences were saved on this workstation (false: the defaults).
    pub preferences_saved: bool,
    /// Why the saved preferences could not be read (the defaults are in use), when they could not.
    pub preferences_problem: Option<String>,
    /// The chosen guideline set's targets, each with its source.
    pub targets: Vec<GuidelineTarget>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn(base: &str) -> EhrConnection {
        EhrConnection {
            name: " Clinic ".into(),
            fhir_base: base.into(),
            client_id: "cardiotwin".into(),
            scopes: "".into(),
        }
    }

    fn store(dir: &std::path::Path) -> Store {
        Store::open(dir, std::sync::Arc::new(twin_store::secrets::MemorySecrets::default())).unwrap()
    }

    fn chosen() -> Preferences {
        Preferences {
            lipid_unit: LipidUnitChoice::MgPerDl,
            default_region: Some(RegionChoice::High),
            default_race: Some(RaceChoice::Black),
            guidelines: GuidelineSet::AccAha,
            clinician: Some(Clinician {
                display_name: " Dr Ana Silva ".into(),
                role: Some("consultant cardiologist".into()),
                identifier: None,
            }),
        }
    }

    #[test]
    fn guideline_codes_are_the_stored_names_and_read_back() {
        for set in [GuidelineSet::Esc, GuidelineSet::AccAha] {
            assert_eq!(serde_json::to_value(set).unwrap(), serde_json::json!(set.code()));
            assert_eq!(GuidelineSet::from_code(set.code()), Some(set));
        }
        assert_eq!(GuidelineSet::from_code("acc-aha"), Some(GuidelineSet::AccAha));
        assert_eq!(GuidelineSet::from_code("nice"), None);
    }

    #[test]
    fn preferences_round_trip_sealed_and_bad_ones_are_refused_in_words() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(dir.path());
        assert_eq!(preferences(&store).unwrap(), None, "never saved");
        let saved = save_preferences(&store, chosen()).unwrap();
        assert_eq!(saved.clinician.as_ref().map(|c| c.display_name.as_str()), Some("Dr Ana Silva"), "trimmed");
        assert_eq!(preferences(&store).unwrap(), Some(saved.clone()));
        // Sealed: the name is nowhere in the data folder in the clear.
        for file in twin_test_support::files_under(dir.path()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(!bytes.windows(9).any(|w| w == b"Ana Silva"), "{} holds the name in the clear", file.display());
        }
        let blank = Preferences { clinician: Some(Clinician::named(" ")), ..chosen() };
        let e = save_preferences(&store, blank).unwrap_err();
        assert_eq!(e.code, ErrorCode::Validation);
        assert!(e.message.contains("name the decision log should record"), "{}", e.message);
        assert_eq!(preferences(&store).unwrap(), Some(saved), "the bad one was not saved");
        store.put_setting(Setting::Preferences, b"{\"lipidUnit\":\"grains\"}").unwrap();
        let e = preferences(&store).unwrap_err();
        assert_eq!(e.message, "the saved preferences are not readable", "a damaged setting is reported");
    }

    #[test]
    fn the_transport_form_is_the_units_the_screen_uses_and_older_saves_still_read() {
        let json = serde_json::to_value(chosen()).unwrap();
        assert_eq!(json["lipidUnit"], "mg/dL");
        assert_eq!(json["defaultRegion"], "high");
        assert_eq!(json["guidelines"], "accAha");
        let older: Preferences = serde_json::from_str(r#"{"lipidUnit":"mmol/L"}"#).unwrap();
        assert_eq!(older, Preferences::default());
        assert!(serde_json::from_str::<Preferences>(r#"{"lipidUnit":"mg/dl"}"#).is_err(), "no guessing a unit");
    }

    #[test]
    fn each_guideline_set_cites_every_target() {
        for set in [GuidelineSet::Esc, GuidelineSet::AccAha] {
            let targets = set.targets();
            assert!(targets.iter().any(|t| t.measure == "Blood pressure"));
            assert!(targets.iter().any(|t| t.measure == "LDL cholesterol"));
            assert!(targets.iter().all(|t| t.source.contains("20")), "{targets:?}");
        }
        let esc = GuidelineSet::Esc.targets();
        let goals: Vec<f64> = esc.iter().filter_map(|t| t.ldl_below_mmol_l).collect();
        assert_eq!(goals, [1.4, 1.8, 2.6, 3.0], "ESC/EAS 2019 goals by risk category");
        let written: Vec<f64> = esc.iter().filter_map(|t| t.ldl_below_mg_dl).collect();
        assert_eq!(written, [55.0, 70.0, 100.0, 116.0], "and as the guideline writes them in mg/dL");
    }

    #[test]
    fn acc_aha_sets_no_ldl_goal_only_statin_intensities_and_non_statin_thresholds() {
        let acc = GuidelineSet::AccAha.targets();
        assert!(acc.iter().all(|t| t.ldl_below_mmol_l.is_none()), "Grundy 2018 has no LDL-C goal: {acc:?}");
        let ascvd = acc.iter().find(|t| t.who == "Clinical ASCVD").expect("the ASCVD row");
        assert!(ascvd.target.contains("70 mg/dL (1.8 mmol/L)"), "{}", ascvd.target);
        assert!(acc.iter().any(|t| t.target.contains("drugs from 130/80")), "Whelton 2017's drug thresholds");
    }

    #[test]
    fn a_connection_is_checked_and_trimmed() {
        let c = conn("https://ehr.example.org/fhir").checked().unwrap();
        assert_eq!((c.name.as_str(), c.scopes.as_str()), ("Clinic", DEFAULT_SCOPES));
        assert!(conn("http://ehr.example.org/fhir").checked().is_err(), "plain http off this machine");
        assert!(conn("http://127.0.0.1:8080/fhir").checked().is_ok(), "loopback is fine");
        assert!(conn("not a url").checked().is_err());
        assert!(EhrConnection { client_id: " ".into(), ..conn("https://a.example/fhir") }.checked().is_err());
    }
}
