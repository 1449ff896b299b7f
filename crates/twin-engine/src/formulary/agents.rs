//! The agents: one constant per agent, and [`AGENTS`], the one table of them.
//!
//! Every figure is a label's or a guideline's, named in the agent's `source` (shown with a
//! refusal) and in its doc comment. Labels: the US FDA prescribing information (via DailyMed)
//! and the EU SmPC, with the BNF for UK practice. Where they differ the maximum is the one for
//! the indication the twin models (hypertension, or heart failure where that is the use), and
//! the choice is said. RxNorm ingredient codes (term type IN) are NLM's; those of the ACE
//! inhibitors, ARBs, beta-blockers (nebivolol and labetalol included) and statins were checked
//! against the CMS eCQM value sets "ACE Inhibitor or ARB Ingredient" (OID
//! 2.16.840.1.113883.3.526.3.1489), "Beta Blocker Therapy Ingredient" (…3.1493) and "Statin
//! Allergen" (2.16.840.1.113762.1.4.1110.42); the rest are carried over from the earlier table or
//! from RxNorm and not re-checked here. Inclisiran's and bempedoic acid's codes were not
//! checked, so they are left empty and those agents are found by name.
//!
//! The standard daily doses of the agents that were already in the twin are unchanged (the
//! synthetic demo cohort is generated from them, byte for byte).

use super::{bd, equivalent, every, od, tds, Agent};
use crate::drugs::DrugClass as D;

// --- ACE inhibitors -------------------------------------------------------------------------

/// Lisinopril: hypertension 10 mg once daily, usual 20–40 mg, "doses up to 80 mg have been used
/// but do not appear to give a greater effect" (FDA label, Zestril); heart failure from 2.5 mg
/// (BNF). Standard 10 mg (Law 2003).
pub const LISINOPRIL: Agent = Agent {
    name: "lisinopril",
    rxcui: "29046",
    class: D::AceInhibitor,
    standard_daily_mg: 10.0,
    ladder: &[od(2.5), od(5.0), od(10.0), od(20.0), od(40.0), od(80.0)],
    max_daily_mg: 80.0,
    source: "FDA label (Zestril): 10 mg once daily, usual 20-40 mg, maximum 80 mg; BNF",
};

/// Ramipril: hypertension 1.25–2.5 mg, usual 2.5–5 mg, maximum 10 mg daily (EU SmPC, BNF; the
/// US label allows 20 mg, the EU maximum is used); heart failure 1.25 mg → 10 mg; HOPE 10 mg.
pub const RAMIPRIL: Agent = Agent {
    name: "ramipril",
    rxcui: "35296",
    class: D::AceInhibitor,
    standard_daily_mg: 5.0,
    ladder: &[od(1.25), od(2.5), od(5.0), od(10.0)],
    max_daily_mg: 10.0,
    source: "EU SmPC and BNF: 1.25-2.5 mg once daily, maximum 10 mg",
};

/// Enalapril: hypertension 5 mg, usual 10–40 mg in one or two doses, maximum 40 mg (FDA label,
/// Vasotec); heart failure 2.5 mg → 10–20 mg twice daily.
pub const ENALAPRIL: Agent = Agent {
    name: "enalapril",
    rxcui: "3827",
    class: D::AceInhibitor,
    standard_daily_mg: 10.0,
    ladder: &[od(2.5), od(5.0), od(10.0), od(20.0), od(40.0)],
    max_daily_mg: 40.0,
    source: "FDA label (Vasotec): 5 mg once daily, usual 10-40 mg, maximum 40 mg",
};

/// Perindopril (erbumine, the tert-butylamine salt): 4 mg once daily, maximum 8 mg (EU SmPC,
/// BNF); 2 mg in the elderly and in heart failure. Perindopril arginine 5 mg ≡ erbumine 4 mg;
/// a record in arginine milligrams reads 25% high on this ladder.
pub const PERINDOPRIL: Agent = Agent {
    name: "perindopril",
    rxcui: "54552",
    class: D::AceInhibitor,
    standard_daily_mg: 4.0,
    ladder: &[od(2.0), od(4.0), od(8.0)],
    max_daily_mg: 8.0,
    source: "EU SmPC and BNF (perindopril erbumine): 4 mg once daily, maximum 8 mg",
};

// --- ARBs -----------------------------------------------------------------------------------

/// Losartan: 50 mg once daily, 25 mg with volume depletion, maximum 100 mg (FDA label, Cozaar).
pub const LOSARTAN: Agent = Agent {
    name: "losartan",
    rxcui: "52175",
    class: D::Arb,
    standard_daily_mg: 50.0,
    ladder: &[od(25.0), od(50.0), od(100.0)],
    max_daily_mg: 100.0,
    source: "FDA label (Cozaar): 50 mg once daily, maximum 100 mg",
};

/// Valsartan: 80 or 160 mg once daily, maximum 320 mg (FDA label, Diovan); heart failure
/// 40 mg twice daily → 160 mg twice daily (the same daily amounts).
pub const VALSARTAN: Agent = Agent {
    name: "valsartan",
    rxcui: "69749",
    class: D::Arb,
    standard_daily_mg: 80.0,
    ladder: &[od(40.0), od(80.0), od(160.0), od(320.0)],
    max_daily_mg: 320.0,
    source: "FDA label (Diovan): 80-160 mg once daily, maximum 320 mg",
};

/// Candesartan: 8 mg once daily (EU; 16 mg US), maximum 32 mg (EU SmPC, FDA label Atacand);
/// heart failure 4 mg → 32 mg.
pub const CANDESARTAN: Agent = Agent {
    name: "candesartan",
    rxcui: "214354",
    class: D::Arb,
    standard_daily_mg: 8.0,
    ladder: &[od(4.0), od(8.0), od(16.0), od(32.0)],
    max_daily_mg: 32.0,
    source: "EU SmPC and FDA label (Atacand): 8-16 mg once daily, maximum 32 mg",
};

/// Telmisartan: 40 mg once daily, range 20–80 mg, maximum 80 mg (FDA label, Micardis). The
/// standard dose is the SmPC's recommended 40 mg (the defined daily dose too).
pub const TELMISARTAN: Agent = Agent {
    name: "telmisartan",
    rxcui: "73494",
    class: D::Arb,
    standard_daily_mg: 40.0,
    ladder: &[od(20.0), od(40.0), od(80.0)],
    max_daily_mg: 80.0,
    source: "FDA label (Micardis): 40 mg once daily, 20-80 mg, maximum 80 mg",
};

/// Irbesartan: 150 mg once daily, maximum 300 mg; 75 mg in volume depletion (FDA label,
/// Avapro).
pub const IRBESARTAN: Agent = Agent {
    name: "irbesartan",
    rxcui: "83818",
    class: D::Arb,
    standard_daily_mg: 150.0,
    ladder: &[od(75.0), od(150.0), od(300.0)],
    max_daily_mg: 300.0,
    source: "FDA label (Avapro): 150 mg once daily, maximum 300 mg",
};

/// Olmesartan (medoxomil): 20 mg once daily (US; 10 mg EU start), maximum 40 mg (FDA label,
/// Benicar).
pub const OLMESARTAN: Agent = Agent {
    name: "olmesartan",
    rxcui: "321064",
    class: D::Arb,
    standard_daily_mg: 20.0,
    ladder: &[od(10.0), od(20.0), od(40.0)],
    max_daily_mg: 40.0,
    source: "FDA label (Benicar): 20 mg once daily, maximum 40 mg",
};

// --- Calcium-channel blockers ---------------------------------------------------------------

/// Amlodipine: 5 mg once daily, 2.5 mg in small, fragile or elderly patients, maximum 10 mg (FDA
/// label, Norvasc).
pub const AMLODIPINE: Agent = Agent {
    name: "amlodipine",
    rxcui: "17767",
    class: D::CalciumChannelBlocker,
    standard_daily_mg: 5.0,
    ladder: &[od(2.5), od(5.0), od(10.0)],
    max_daily_mg: 10.0,
    source: "FDA label (Norvasc): 5 mg once daily, 2.5 mg if frail or elderly, maximum 10 mg",
};

/// Felodipine (extended release): 5 mg once daily, 2.5–10 mg (FDA label, Plendil).
pub const FELODIPINE: Agent = Agent {
    name: "felodipine",
    rxcui: "4316",
    class: D::CalciumChannelBlocker,
    standard_daily_mg: 5.0,
    ladder: &[od(2.5), od(5.0), od(10.0)],
    max_daily_mg: 10.0,
    source: "FDA label (Plendil): 5 mg once daily, 2.5-10 mg",
};

/// Nifedipine (modified release): 30 mg once daily, titrated to 60 and 90 mg; "doses above 90
/// mg are not recommended" (FDA label, Adalat CC); BNF (Adalat LA) maximum 90 mg. A
/// first-line drug in pregnancy (ESC 2018).
pub const NIFEDIPINE: Agent = Agent {
    name: "nifedipine",
    rxcui: "7417",
    class: D::CalciumChannelBlocker,
    standard_daily_mg: 30.0,
    ladder: &[od(30.0), od(60.0), od(90.0)],
    max_daily_mg: 90.0,
    source: "FDA label (Adalat CC) and BNF: modified release 30 mg once daily, maximum 90 mg",
};

/// Verapamil (extended release): 180–240 mg once daily, titrated to 480 mg (FDA label, Calan
/// SR / Verelan: 480 mg a day, as 240 mg twice daily for Calan SR, once daily for Verelan);
/// 120 mg in the elderly.
pub const VERAPAMIL: Agent = Agent {
    name: "verapamil",
    rxcui: "11170",
    class: D::NonDihydropyridineCcb,
    standard_daily_mg: 240.0,
    ladder: &[od(120.0), od(180.0), od(240.0), od(360.0), od(480.0)],
    max_daily_mg: 480.0,
    source: "FDA label (Calan SR, Verelan): extended release 120-240 mg once daily, maximum 480 mg",
};

/// Diltiazem (extended release): 180–240 mg once daily, usual 240–360 mg, up to 480 mg (FDA
/// label, Cardizem CD, hypertension).
pub const DILTIAZEM: Agent = Agent {
    name: "diltiazem",
    rxcui: "3443",
    class: D::NonDihydropyridineCcb,
    standard_daily_mg: 180.0,
    ladder: &[od(120.0), od(180.0), od(240.0), od(300.0), od(360.0), od(480.0)],
    max_daily_mg: 480.0,
    source: "FDA label (Cardizem CD): extended release 180-240 mg once daily, usual 240-360 mg, maximum 480 mg",
};

// --- Thiazide and thiazide-like diuretics --------------------------------------------------

/// Hydrochlorothiazide: 12.5–25 mg once daily, maximum 50 mg (FDA label).
pub const HYDROCHLOROTHIAZIDE: Agent = Agent {
    name: "hydrochlorothiazide",
    rxcui: "5487",
    class: D::Thiazide,
    standard_daily_mg: 25.0,
    ladder: &[od(12.5), od(25.0), od(50.0)],
    max_daily_mg: 50.0,
    source: "FDA label: 12.5-25 mg once daily, maximum 50 mg",
};

/// Chlorthalidone: 25 mg once daily, increased to 50 mg if necessary (BNF, chlortalidone);
/// 12.5 mg the usual start (ESC 2024, ALLHAT/SHEP doses).
pub const CHLORTHALIDONE: Agent = Agent {
    name: "chlorthalidone",
    rxcui: "2409",
    class: D::Thiazide,
    standard_daily_mg: 25.0,
    ladder: &[od(12.5), od(25.0), od(50.0)],
    max_daily_mg: 50.0,
    source: "BNF: 25 mg once daily, 50 mg if necessary; 12.5 mg start (ESC 2024)",
};

/// Indapamide: 2.5 mg once daily (immediate release) or 1.5 mg modified release, which the
/// EU SmPC gives as its equivalent; no higher dose in the BNF (the US label allows 5 mg, from
/// 1.25 mg). Standard 2.5 mg (Law 2003); 1.5 mg SR counts as one standard dose.
pub const INDAPAMIDE: Agent = Agent {
    name: "indapamide",
    rxcui: "5764",
    class: D::Thiazide,
    standard_daily_mg: 2.5,
    ladder: &[od(1.25), equivalent(od(1.5), 1.0), od(2.5)],
    max_daily_mg: 2.5,
    source: "EU SmPC and BNF: 2.5 mg once daily or 1.5 mg modified release (equivalent), no higher dose",
};

// --- Beta-blockers --------------------------------------------------------------------------

/// Metoprolol (succinate, extended release): hypertension 25–100 mg once daily, up to 400 mg
/// (FDA label, Toprol-XL); heart failure 12.5–25 mg → 200 mg (MERIT-HF). A tartrate record of
/// 50 mg twice daily reads as 100 mg a day.
pub const METOPROLOL: Agent = Agent {
    name: "metoprolol",
    rxcui: "6918",
    class: D::BetaBlocker,
    standard_daily_mg: 100.0,
    ladder: &[od(25.0), od(50.0), od(100.0), od(200.0), od(400.0)],
    max_daily_mg: 400.0,
    source: "FDA label (Toprol-XL): 25-100 mg once daily, maximum 400 mg; heart failure target 200 mg",
};

/// Bisoprolol: hypertension 5–10 mg once daily, maximum 20 mg (EU SmPC, FDA label); heart
/// failure 1.25 → 2.5 → 3.75 → 5 → 7.5 → 10 mg (CIBIS-II, ESC HF 2021).
pub const BISOPROLOL: Agent = Agent {
    name: "bisoprolol",
    rxcui: "19484",
    class: D::BetaBlocker,
    standard_daily_mg: 5.0,
    ladder: &[od(1.25), od(2.5), od(3.75), od(5.0), od(7.5), od(10.0), od(20.0)],
    max_daily_mg: 20.0,
    source: "EU SmPC and FDA label: 5-10 mg once daily, maximum 20 mg; heart failure 1.25 mg to 10 mg",
};

/// Carvedilol: hypertension 6.25 mg twice daily → 12.5 → 25 mg twice daily, maximum 50 mg a day
/// (FDA label, Coreg); heart failure from 3.125 mg twice daily (50 mg twice daily above 85 kg is
/// not on this ladder).
pub const CARVEDILOL: Agent = Agent {
    name: "carvedilol",
    rxcui: "20352",
    class: D::BetaBlocker,
    standard_daily_mg: 25.0,
    ladder: &[bd(3.125), bd(6.25), bd(12.5), bd(25.0)],
    max_daily_mg: 50.0,
    source: "FDA label (Coreg): 6.25 mg twice daily (3.125 mg in heart failure) to 25 mg twice daily",
};

/// Atenolol: 50 mg once daily, maximum 100 mg (FDA label, Tenormin).
pub const ATENOLOL: Agent = Agent {
    name: "atenolol",
    rxcui: "1202",
    class: D::BetaBlocker,
    standard_daily_mg: 50.0,
    ladder: &[od(25.0), od(50.0), od(100.0)],
    max_daily_mg: 100.0,
    source: "FDA label (Tenormin): 50 mg once daily, maximum 100 mg",
};

/// Nebivolol: 5 mg once daily, up to 40 mg (FDA label, Bystolic); the EU SmPC gives 5 mg
/// (2.5 mg in the elderly).
pub const NEBIVOLOL: Agent = Agent {
    name: "nebivolol",
    rxcui: "31555",
    class: D::BetaBlocker,
    standard_daily_mg: 5.0,
    ladder: &[od(2.5), od(5.0), od(10.0), od(20.0), od(40.0)],
    max_daily_mg: 40.0,
    source: "FDA label (Bystolic): 5 mg once daily, maximum 40 mg",
};

/// Labetalol: 100 mg twice daily, usual maintenance 200–400 mg twice daily, up to 2400 mg a day
/// (FDA label; BNF: maximum 2.4 g a day in 3–4 divided doses). First line in pregnancy (ESC
/// 2018). Standard 200 mg twice daily.
pub const LABETALOL: Agent = Agent {
    name: "labetalol",
    rxcui: "6185",
    class: D::BetaBlocker,
    standard_daily_mg: 400.0,
    ladder: &[bd(100.0), bd(200.0), bd(300.0), bd(400.0), bd(600.0), bd(800.0), tds(800.0)],
    max_daily_mg: 2400.0,
    source: "FDA label and BNF: 100 mg twice daily, maintenance 200-400 mg twice daily, maximum 2400 mg a day",
};

// --- MRAs -------------------------------------------------------------------------------------

/// Spironolactone: hypertension 25–100 mg a day (FDA label, Aldactone); resistant hypertension
/// 25 → 50 mg (PATHWAY-2); heart failure 12.5–25 mg, up to 50 mg (RALES, ESC HF 2021).
pub const SPIRONOLACTONE: Agent = Agent {
    name: "spironolactone",
    rxcui: "9997",
    class: D::Mra,
    standard_daily_mg: 25.0,
    ladder: &[od(12.5), od(25.0), od(50.0), od(100.0)],
    max_daily_mg: 100.0,
    source: "FDA label (Aldactone): hypertension 25-100 mg a day; heart failure 12.5-50 mg (ESC HF 2021)",
};

/// Eplerenone: 25 mg once daily → 50 mg (EU SmPC, heart failure; ESC HF 2021). The US label
/// allows 50 mg twice daily in hypertension; the EU maximum is used.
pub const EPLERENONE: Agent = Agent {
    name: "eplerenone",
    rxcui: "298869",
    class: D::Mra,
    standard_daily_mg: 50.0,
    ladder: &[od(25.0), od(50.0)],
    max_daily_mg: 50.0,
    source: "EU SmPC (Inspra): 25 mg once daily, maximum 50 mg",
};

// --- Alpha-blockers and centrally acting drugs -------------------------------------------

/// Doxazosin: 1 mg once daily, doubled every 1–2 weeks to 2, 4, 8 and at most 16 mg (FDA label,
/// Cardura). Standard 4 mg (the usual maintenance dose, BNF "usual 2–4 mg"); the Cochrane
/// review found no dose-response to anchor it on.
pub const DOXAZOSIN: Agent = Agent {
    name: "doxazosin",
    rxcui: "49276",
    class: D::AlphaBlocker,
    standard_daily_mg: 4.0,
    ladder: &[od(1.0), od(2.0), od(4.0), od(8.0), od(16.0)],
    max_daily_mg: 16.0,
    source: "FDA label (Cardura): 1 mg once daily, titrated to 2, 4, 8 and maximum 16 mg",
};

/// Methyldopa: 250 mg two or three times daily, increased every 2 days or more, usual 500 mg to
/// 2 g a day, maximum 3 g a day (FDA label; BNF). Standard 750 mg a day, the dose most studied
/// in the Cochrane review the class's BP effect comes from. First line in pregnancy (ESC 2018).
pub const METHYLDOPA: Agent = Agent {
    name: "methyldopa",
    rxcui: "6876",
    class: D::CentrallyActing,
    standard_daily_mg: 750.0,
    ladder: &[bd(250.0), tds(250.0), tds(500.0), tds(750.0), tds(1000.0)],
    max_daily_mg: 3000.0,
    source: "FDA label and BNF: 250 mg two or three times daily, maximum 3 g a day",
};

// --- Loop diuretics -------------------------------------------------------------------------

/// Furosemide: hypertension 40 mg twice daily; oedema 20–80 mg, raised by 20–40 mg steps, up to
/// 600 mg a day in severe oedema (FDA label, Lasix). For congestion only in heart failure.
pub const FUROSEMIDE: Agent = Agent {
    name: "furosemide",
    rxcui: "4603",
    class: D::LoopDiuretic,
    standard_daily_mg: 40.0,
    ladder: &[od(20.0), od(40.0), od(80.0), od(160.0), od(320.0), od(600.0)],
    max_daily_mg: 600.0,
    source: "FDA label (Lasix): oedema 20-80 mg, up to 600 mg a day",
};

// --- Lipid-lowering ---------------------------------------------------------------------------

/// Atorvastatin: 10–80 mg once daily (FDA label, Lipitor); 10–20 mg moderate, 40–80 mg high
/// intensity (ACC/AHA 2018 Table 3).
pub const ATORVASTATIN: Agent = Agent {
    name: "atorvastatin",
    rxcui: "83367",
    class: D::Statin,
    standard_daily_mg: 20.0,
    ladder: &[od(10.0), od(20.0), od(40.0), od(80.0)],
    max_daily_mg: 80.0,
    source: "FDA label (Lipitor): 10-80 mg once daily; ACC/AHA 2018 Table 3 intensities",
};

/// Rosuvastatin: 5–40 mg once daily, 40 mg only for those not at goal on 20 mg (FDA label,
/// Crestor); 5–10 mg moderate, 20–40 mg high intensity (ACC/AHA 2018 Table 3).
pub const ROSUVASTATIN: Agent = Agent {
    name: "rosuvastatin",
    rxcui: "301542",
    class: D::Statin,
    standard_daily_mg: 10.0,
    ladder: &[od(5.0), od(10.0), od(20.0), od(40.0)],
    max_daily_mg: 40.0,
    source: "FDA label (Crestor): 5-40 mg once daily; ACC/AHA 2018 Table 3 intensities",
};

/// Simvastatin: 10–40 mg once daily; 80 mg is restricted to patients already on it for 12
/// months or more without myopathy (FDA Drug Safety Communication 2011, label), so the
/// maximum here is 40 mg and 80 mg on record is above it. 20–40 mg moderate intensity
/// (ACC/AHA 2018 Table 3).
pub const SIMVASTATIN: Agent = Agent {
    name: "simvastatin",
    rxcui: "36567",
    class: D::Statin,
    standard_daily_mg: 40.0,
    ladder: &[od(10.0), od(20.0), od(40.0)],
    max_daily_mg: 40.0,
    source: "FDA label (Zocor): 10-40 mg once daily; 80 mg restricted (FDA 2011)",
};

/// Pravastatin: 10–80 mg once daily (FDA label, Pravachol); 40–80 mg moderate intensity
/// (ACC/AHA 2018 Table 3).
pub const PRAVASTATIN: Agent = Agent {
    name: "pravastatin",
    rxcui: "42463",
    class: D::Statin,
    standard_daily_mg: 40.0,
    ladder: &[od(10.0), od(20.0), od(40.0), od(80.0)],
    max_daily_mg: 80.0,
    source: "FDA label (Pravachol): 10-80 mg once daily; ACC/AHA 2018 Table 3 intensities",
};

/// Ezetimibe: 10 mg once daily, the only dose (FDA label, Zetia).
pub const EZETIMIBE: Agent = Agent {
    name: "ezetimibe",
    rxcui: "341248",
    class: D::Ezetimibe,
    standard_daily_mg: 10.0,
    ladder: &[od(10.0)],
    max_daily_mg: 10.0,
    source: "FDA label (Zetia): 10 mg once daily",
};

/// Evolocumab: 140 mg every 2 weeks or 420 mg once monthly, equivalent (FDA label, Repatha;
/// FOURIER). As a daily amount: 10 mg (140 / 14) or 14 mg (420 / 30, a month read as 30 days
/// as ingest reads a FHIR period).
pub const EVOLOCUMAB: Agent = Agent {
    name: "evolocumab",
    rxcui: "1665684",
    class: D::Pcsk9Inhibitor,
    standard_daily_mg: 140.0 / 14.0,
    ladder: &[every(14, 140.0), equivalent(every(30, 420.0), 1.0)],
    max_daily_mg: 420.0 / 30.0,
    source: "FDA label (Repatha): 140 mg every 2 weeks or 420 mg once monthly",
};

/// Alirocumab: 75 mg every 2 weeks, raised to 150 mg every 2 weeks if LDL-C is not low enough
/// (FDA label, Praluent); 300 mg every 4 weeks, the label's other start, is the same daily
/// amount as 150 mg every 2 weeks and reads as that rung. Standard 150 mg every 2 weeks (the
/// dose whose LDL-C fall matches the class's).
pub const ALIROCUMAB: Agent = Agent {
    name: "alirocumab",
    rxcui: "1659152",
    class: D::Pcsk9Inhibitor,
    standard_daily_mg: 150.0 / 14.0,
    ladder: &[every(14, 75.0), every(14, 150.0)],
    max_daily_mg: 150.0 / 14.0,
    source: "FDA label (Praluent): 75 or 150 mg every 2 weeks (or 300 mg every 4 weeks)",
};

/// Inclisiran: 284 mg by injection, again at 3 months, then every 6 months (FDA label, Leqvio;
/// EU SmPC; ORION-10/11). The ladder is the maintenance schedule (a 6-month interval read as 180
/// days); the 3-month loading dose is a plan step, not a rung.
pub const INCLISIRAN: Agent = Agent {
    name: "inclisiran",
    rxcui: "",
    class: D::Inclisiran,
    standard_daily_mg: 284.0 / 180.0,
    ladder: &[every(180, 284.0)],
    max_daily_mg: 284.0 / 180.0,
    source: "FDA label (Leqvio): 284 mg, again at 3 months, then every 6 months",
};

/// Bempedoic acid: 180 mg once daily, the only dose (FDA label, Nexletol; EU SmPC, Nilemdo).
pub const BEMPEDOIC_ACID: Agent = Agent {
    name: "bempedoic acid",
    rxcui: "",
    class: D::BempedoicAcid,
    standard_daily_mg: 180.0,
    ladder: &[od(180.0)],
    max_daily_mg: 180.0,
    source: "FDA label (Nexletol): 180 mg once daily",
};

// --- Other cardiovascular and metabolic drugs ----------------------------------------------

/// Aspirin: 75–100 mg once daily for cardiovascular prevention (ESC CCS 2024: 75–100 mg; 81 mg
/// the US low-dose tablet); the three strengths are one dose.
pub const ASPIRIN: Agent = Agent {
    name: "aspirin",
    rxcui: "1191",
    class: D::Antiplatelet,
    standard_daily_mg: 81.0,
    ladder: &[equivalent(od(75.0), 1.0), od(81.0), equivalent(od(100.0), 1.0)],
    max_daily_mg: 100.0,
    source: "ESC chronic coronary syndromes 2024: 75-100 mg once daily",
};

/// Clopidogrel: 75 mg once daily (FDA label, Plavix).
pub const CLOPIDOGREL: Agent = Agent {
    name: "clopidogrel",
    rxcui: "32968",
    class: D::Antiplatelet,
    standard_daily_mg: 75.0,
    ladder: &[od(75.0)],
    max_daily_mg: 75.0,
    source: "FDA label (Plavix): 75 mg once daily",
};

/// Ticagrelor: 90 mg twice daily for the first year after ACS, then 60 mg twice daily (FDA
/// label, Brilinta; PEGASUS-TIMI 54).
pub const TICAGRELOR: Agent = Agent {
    name: "ticagrelor",
    rxcui: "1116632",
    class: D::Antiplatelet,
    standard_daily_mg: 180.0,
    ladder: &[bd(60.0), bd(90.0)],
    max_daily_mg: 180.0,
    source: "FDA label (Brilinta): 90 mg twice daily, 60 mg twice daily after one year",
};

/// Apixaban: 5 mg twice daily; 2.5 mg twice daily with two of age ≥ 80, weight ≤ 60 kg,
/// creatinine ≥ 1.5 mg/dL (FDA label, Eliquis; ESC AF 2024). The lower rung is a reduced dose
/// by those criteria, not a titration step.
pub const APIXABAN: Agent = Agent {
    name: "apixaban",
    rxcui: "1364430",
    class: D::Anticoagulant,
    standard_daily_mg: 10.0,
    ladder: &[bd(2.5), bd(5.0)],
    max_daily_mg: 10.0,
    source: "FDA label (Eliquis): 5 mg twice daily; 2.5 mg twice daily by dose-reduction criteria",
};

/// Dapagliflozin: 10 mg once daily in heart failure and CKD (FDA label, Farxiga; DAPA-HF,
/// DAPA-CKD); 5 mg the glycaemic start.
pub const DAPAGLIFLOZIN: Agent = Agent {
    name: "dapagliflozin",
    rxcui: "1488564",
    class: D::Sglt2Inhibitor,
    standard_daily_mg: 10.0,
    ladder: &[od(5.0), od(10.0)],
    max_daily_mg: 10.0,
    source: "FDA label (Farxiga): 10 mg once daily (5 mg glycaemic start)",
};

/// Empagliflozin: 10 mg once daily; 25 mg for glycaemia only, with no more cardiorenal effect
/// (FDA label, Jardiance; EMPEROR, EMPA-KIDNEY used 10 mg).
pub const EMPAGLIFLOZIN: Agent = Agent {
    name: "empagliflozin",
    rxcui: "1545653",
    class: D::Sglt2Inhibitor,
    standard_daily_mg: 10.0,
    ladder: &[od(10.0), equivalent(od(25.0), 1.0)],
    max_daily_mg: 25.0,
    source: "FDA label (Jardiance): 10 mg once daily, 25 mg for glycaemic control",
};

/// Metformin: 500 mg once or twice daily, raised by 500 mg a week, usual 2 g, maximum 3 g a
/// day in divided doses (EU SmPC, Glucophage; the US label's maximum is 2550 mg).
pub const METFORMIN: Agent = Agent {
    name: "metformin",
    rxcui: "6809",
    class: D::Metformin,
    standard_daily_mg: 2000.0,
    ladder: &[od(500.0), bd(500.0), tds(500.0), bd(1000.0), tds(1000.0)],
    max_daily_mg: 3000.0,
    source: "EU SmPC (Glucophage): 500 mg, raised weekly, usual 2 g, maximum 3 g a day",
};

// --- Heart failure, rhythm and anticoagulation ---------------------------------------------

/// Sacubitril/valsartan, named by its total milligrams (24/26 mg = 50 mg): 49/51 mg twice daily,
/// raised every 2–4 weeks to the target 97/103 mg twice daily; 24/26 mg twice daily to start for
/// the labels' reasons only (`suggest::heart_failure::arni_start`: no or a low dose of an ACE
/// inhibitor or ARB, eGFR < 30; EU SmPC also SBP 100–110 and eGFR 30–60) (FDA label, Entresto;
/// EU SmPC; ESC HF 2021 Table 8; PARADIGM-HF's target). Its RxNorm code was not checked,
/// so it is found by name ("sacubitril", which [`super::agent_in_text`] reads before valsartan).
pub const SACUBITRIL_VALSARTAN: Agent = Agent {
    name: "sacubitril",
    rxcui: "",
    class: D::Arni,
    standard_daily_mg: 200.0,
    ladder: &[bd(50.0), bd(100.0), bd(200.0)],
    max_daily_mg: 400.0,
    source:
        "FDA label (Entresto): 49/51 mg twice daily, target 97/103 mg twice daily; 24/26 mg start; ESC HF 2021 Table 8",
};

/// Ivabradine: 5 mg twice daily, after 2 weeks 7.5 mg twice daily by resting heart rate (2.5 mg
/// twice daily below 50 bpm or at age ≥ 75); sinus rhythm only (EU SmPC, Procoralan; FDA label,
/// Corlanor; SHIFT). Its RxNorm code was not checked, so it is found by name.
pub const IVABRADINE: Agent = Agent {
    name: "ivabradine",
    rxcui: "",
    class: D::Ivabradine,
    standard_daily_mg: 10.0,
    ladder: &[bd(2.5), bd(5.0), bd(7.5)],
    max_daily_mg: 15.0,
    source: "EU SmPC (Procoralan): 5 mg twice daily, 7.5 mg twice daily by heart rate, 2.5 mg twice daily to lower it",
};

/// Amiodarone: maintenance 200 mg once daily after loading, up to 400 mg (EU SmPC, BNF).
pub const AMIODARONE: Agent = Agent {
    name: "amiodarone",
    rxcui: "703",
    class: D::Antiarrhythmic,
    standard_daily_mg: 200.0,
    ladder: &[od(100.0), od(200.0), od(400.0)],
    max_daily_mg: 400.0,
    source: "EU SmPC and BNF: maintenance 200 mg once daily, up to 400 mg",
};

/// Dronedarone: 400 mg twice daily, one dose only (EU SmPC, Multaq); contraindicated in
/// decompensated or NYHA IV heart failure and with dabigatran. RxNorm not checked: by name.
pub const DRONEDARONE: Agent = Agent {
    name: "dronedarone",
    rxcui: "",
    class: D::Antiarrhythmic,
    standard_daily_mg: 800.0,
    ladder: &[bd(400.0)],
    max_daily_mg: 800.0,
    source: "EU SmPC (Multaq): 400 mg twice daily",
};

/// Rivaroxaban in AF: 20 mg once daily with the evening meal; 15 mg once daily at creatinine
/// clearance 15–49 mL/min (EU SmPC, Xarelto; ESC AF 2024). A reduced dose, not a titration step.
/// RxNorm not checked: by name.
pub const RIVAROXABAN: Agent = Agent {
    name: "rivaroxaban",
    rxcui: "",
    class: D::Anticoagulant,
    standard_daily_mg: 20.0,
    ladder: &[od(15.0), od(20.0)],
    max_daily_mg: 20.0,
    source: "EU SmPC (Xarelto): 20 mg once daily; 15 mg at CrCl 15-49 mL/min",
};

/// Edoxaban in AF: 60 mg once daily; 30 mg with any of creatinine clearance 15–50 mL/min, weight
/// ≤ 60 kg, or ciclosporin, dronedarone, erythromycin or ketoconazole (EU SmPC, Lixiana; ESC AF
/// 2024). RxNorm not checked: by name.
pub const EDOXABAN: Agent = Agent {
    name: "edoxaban",
    rxcui: "",
    class: D::Anticoagulant,
    standard_daily_mg: 60.0,
    ladder: &[od(30.0), od(60.0)],
    max_daily_mg: 60.0,
    source: "EU SmPC (Lixiana): 60 mg once daily; 30 mg at CrCl 15-50 mL/min, weight <= 60 kg or some P-gp inhibitors",
};

/// Dabigatran in AF: 150 mg twice daily; 110 mg twice daily at age ≥ 80 or with verapamil
/// (EU SmPC, Pradaxa; ESC AF 2024); contraindicated at creatinine clearance < 30 mL/min. RxNorm
/// not checked: by name.
pub const DABIGATRAN: Agent = Agent {
    name: "dabigatran",
    rxcui: "",
    class: D::Anticoagulant,
    standard_daily_mg: 300.0,
    ladder: &[bd(110.0), bd(150.0)],
    max_daily_mg: 300.0,
    source: "EU SmPC (Pradaxa): 150 mg twice daily; 110 mg twice daily at age >= 80 or with verapamil",
};

/// Warfarin: dosed to an INR of 2–3, no fixed ladder or maximum; the rungs are the usual tablet
/// doses so a record reads, never a plan step (BNF).
pub const WARFARIN: Agent = Agent {
    name: "warfarin",
    rxcui: "11289",
    class: D::Anticoagulant,
    standard_daily_mg: 5.0,
    ladder: &[od(1.0), od(2.0), od(3.0), od(5.0), od(7.5), od(10.0)],
    max_daily_mg: 10.0,
    source: "BNF: dose adjusted to INR 2-3 (usual maintenance 3-9 mg)",
};

/// The agents we map. The first 33 are the twin's original table, in its original order (ingest
/// reads a combination product's text as its first agent here, so the order is kept).
pub const AGENTS: &[Agent] = &[
    LISINOPRIL,
    RAMIPRIL,
    ENALAPRIL,
    LOSARTAN,
    VALSARTAN,
    CANDESARTAN,
    AMLODIPINE,
    NIFEDIPINE,
    VERAPAMIL,
    DILTIAZEM,
    HYDROCHLOROTHIAZIDE,
    CHLORTHALIDONE,
    INDAPAMIDE,
    METOPROLOL,
    BISOPROLOL,
    CARVEDILOL,
    ATENOLOL,
    SPIRONOLACTONE,
    EPLERENONE,
    ATORVASTATIN,
    ROSUVASTATIN,
    SIMVASTATIN,
    PRAVASTATIN,
    EZETIMIBE,
    EVOLOCUMAB,
    ASPIRIN,
    CLOPIDOGREL,
    TICAGRELOR,
    APIXABAN,
    DAPAGLIFLOZIN,
    EMPAGLIFLOZIN,
    FUROSEMIDE,
    METFORMIN,
    PERINDOPRIL,
    TELMISARTAN,
    IRBESARTAN,
    OLMESARTAN,
    FELODIPINE,
    NEBIVOLOL,
    LABETALOL,
    DOXAZOSIN,
    METHYLDOPA,
    ALIROCUMAB,
    INCLISIRAN,
    BEMPEDOIC_ACID,
    SACUBITRIL_VALSARTAN,
    IVABRADINE,
    AMIODARONE,
    DRONEDARONE,
    RIVAROXABAN,
    EDOXABAN,
    DABIGATRAN,
    WARFARIN,
];
