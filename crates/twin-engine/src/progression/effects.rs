//! Effect sizes of lifestyle change, procedures and risk-factor lowering on events, and the
//! ageing drifts: one place, each with its source.
//!
//! # References
//! 1. He FJ, Li J, MacGregor GA. Effect of longer term modest salt reduction on blood pressure.
//!    BMJ 2013;346:f1325. doi:10.1136/bmj.f1325 — a 4.4 g/day salt reduction lowered BP by
//!    5.39/2.82 mmHg in hypertensive and 2.42/1.00 mmHg in normotensive people.
//! 2. Appel LJ et al. (DASH). A clinical trial of the effects of dietary patterns on blood
//!    pressure. N Engl J Med 1997;336:1117-1124. doi:10.1056/NEJM199704173361601 — the DASH diet
//!    lowered BP by 11.4/5.5 mmHg in hypertensive and 3.5/2.1 mmHg in normotensive participants.
//! 3. Cornelissen VA, Smart NA. Exercise training for blood pressure: a systematic review and
//!    meta-analysis. J Am Heart Assoc 2013;2:e004473. doi:10.1161/JAHA.112.004473 — aerobic
//!    endurance training lowered BP by 8.3/5.2 mmHg in hypertensive and 4.3/1.7 mmHg in
//!    pre-hypertensive people; trials typically prescribed about 150 min/week.
//! 4. Neter JE, Stam BE, Kok FJ, Grobbee DE, Geleijnse JM. Influence of weight reduction on blood
//!    pressure: a meta-analysis of randomized controlled trials. Hypertension 2003;42:878-884.
//!    doi:10.1161/01.HYP.0000094221.86888.AE — 1.05/0.92 mmHg per kg lost.
//! 5. Cholesterol Treatment Trialists' (CTT) Collaboration. Efficacy and safety of more intensive
//!    lowering of LDL cholesterol. Lancet 2010;376:1670-1681. doi:10.1016/S0140-6736(10)61350-5 —
//!    major vascular events fall 22% per 1.0 mmol/L LDL-C reduction (RR 0.78, 95% CI 0.76–0.80).
//! 6. Blood Pressure Lowering Treatment Trialists' Collaboration (BPLTTC). Pharmacological blood
//!    pressure lowering for primary and secondary prevention of cardiovascular disease across
//!    different levels of blood pressure. Lancet 2021;397:1625-1636.
//!    doi:10.1016/S0140-6736(21)00590-0 — major CV events fall about 10% per 5 mmHg SBP
//!    reduction (HR 0.91, 95% CI 0.89–0.94).
//! 7. Maron DJ et al. (ISCHEMIA). Initial invasive or conservative strategy for stable coronary
//!    disease. N Engl J Med 2020;382:1395-1407. doi:10.1056/NEJMoa1915922 — invasive strategy
//!    (PCI or CABG) versus conservative: adjusted HR 0.93 (95% CI 0.80–1.08) for the primary
//!    composite of CV death, MI, hospitalisation for unstable angina or HF, or resuscitated arrest.
//! 8. Franklin SS et al. Hemodynamic patterns of age-related changes in blood pressure. The
//!    Framingham Heart Study. Circulation 1997;96:308-315. doi:10.1161/01.CIR.96.1.308 — SBP rises
//!    roughly linearly with age (about 0.6 mmHg/year from 40 to 80, read from Figure 1); DBP rises
//!    until about 55 and falls thereafter.
//! 9. Lindeman RD, Tobin J, Shock NW. Longitudinal studies on the rate of decline in renal
//!    function with age. J Am Geriatr Soc 1985;33:278-285 — mean creatinine clearance decline
//!    0.75 mL/min per year.
//! 10. The Reference Values for Arterial Stiffness' Collaboration. Determinants of pulse wave
//!     velocity in healthy people and in the presence of cardiovascular risk factors. Eur Heart J
//!     2010;31:2338-2350. doi:10.1093/eurheartj/ehq165 — arterial stiffness rises steadily with
//!     age. The 1%/year loss of compliance used here is our simplification of that trend, not a
//!     figure from the paper.
//! 11. Sacks FM et al. (DASH-Sodium). Effects on blood pressure of reduced dietary sodium and the
//!     Dietary Approaches to Stop Hypertension (DASH) diet. N Engl J Med 2001;344:3-10.
//!     doi:10.1056/NEJM200101043440101 — cutting sodium from the high to the low level lowered
//!     SBP by 2.1 + 4.6 = 6.7 mmHg on the control diet but by 1.3 + 1.7 = 3.0 mmHg on DASH.
//! 12. Blumenthal JA et al. (ENCORE). Effects of the DASH diet alone and in combination with
//!     exercise and weight loss on blood pressure and cardiovascular biomarkers in men and women
//!     with high blood pressure. Arch Intern Med 2010;170:126-135.
//!     doi:10.1001/archinternmed.2009.470 — clinic BP fell 16.1/9.9 mmHg with DASH plus weight
//!     management (aerobic exercise and behavioural weight loss), 11.2/7.5 with DASH alone and
//!     3.4/3.8 in usual-diet controls.

/// (SBP, DBP) fall in mmHg from modest salt reduction [1], for hypertensive people.
pub const SODIUM_REDUCTION_HYPERTENSIVE: (f64, f64) = (5.39, 2.82);
/// The same, for normotensive people [1].
pub const SODIUM_REDUCTION_NORMOTENSIVE: (f64, f64) = (2.42, 1.00);
/// (SBP, DBP) fall from the DASH diet [2], hypertensive.
pub const DASH_HYPERTENSIVE: (f64, f64) = (11.4, 5.5);
/// The same, normotensive [2].
pub const DASH_NORMOTENSIVE: (f64, f64) = (3.5, 2.1);
/// Share of its own effect that a lifestyle change keeps when added to a larger one: 3.0/6.7, the
/// share of the salt-reduction SBP effect that remained on the DASH diet [11], the one combination
/// measured factorially. Applied to every combination (and to DBP, where [11] reports SBP): an
/// assumption, stated here. ENCORE [12] is consistent with it: adding exercise and behavioural
/// weight loss to DASH took the net SBP fall from 7.8 to 12.7 mmHg (×1.63); this rule gives
/// ×(1 + 0.45 × (8.3 + 1.05 × kg)/11.4), ×1.63 at 7.3 kg lost.
pub const LIFESTYLE_ADD_ON_SHARE: f64 = 3.0 / 6.7;
/// (SBP, DBP) fall from aerobic training at [`EXERCISE_REFERENCE_MIN_PER_WEEK`] [3], hypertensive.
pub const EXERCISE_HYPERTENSIVE: (f64, f64) = (8.3, 5.2);
/// The same, not hypertensive [3].
pub const EXERCISE_NORMOTENSIVE: (f64, f64) = (4.3, 1.7);
/// Weekly minutes of the trials behind [`EXERCISE_HYPERTENSIVE`]; less exercise scales the effect
/// down linearly, more does not scale it up (no dose-response above it is established) [3].
pub const EXERCISE_REFERENCE_MIN_PER_WEEK: f64 = 150.0;
/// (SBP, DBP) fall per kg of weight lost [4].
pub const BP_PER_KG: (f64, f64) = (1.05, 0.92);
/// SBP at or above which the hypertensive effect sizes apply, mmHg (ESC/ESH 2018 threshold).
pub const HYPERTENSIVE_SBP: f64 = 140.0;

/// Relative risk of major vascular events per 1 mmol/L lower LDL-C, and its 95% CI [5].
pub const CTT_RR_PER_MMOL: (f64, f64, f64) = (0.78, 0.76, 0.80);
/// Hazard ratio of major CV events per 5 mmHg lower SBP, and its 95% CI [6].
pub const BPLTTC_HR_PER_5_MMHG: (f64, f64, f64) = (0.91, 0.89, 0.94);
/// Hazard ratio of an invasive strategy (PCI/CABG) in stable coronary disease, and 95% CI [7].
pub const REVASCULARISATION_HR: (f64, f64, f64) = (0.93, 0.80, 1.08);

/// SBP rise with age, mmHg/year [8].
pub const SBP_AGEING_PER_YEAR: f64 = 0.6;
/// DBP change with age, mmHg/year, before 55 [8] (rising).
pub const DBP_AGEING_BEFORE_55: f64 = 0.2;
/// DBP change with age, mmHg/year, from 55 [8] (falling).
pub const DBP_AGEING_FROM_55: f64 = -0.3;
/// eGFR decline with age, mL/min/1.73 m² per year [9].
pub const EGFR_DECLINE_PER_YEAR: f64 = 0.75;
/// Fractional fall of arterial compliance per year of age [10].
pub const COMPLIANCE_LOSS_PER_YEAR: f64 = 0.01;

/// Time constant of a drug's or lifestyle change's onset, months: most of a BP or LDL-C effect
/// appears within 4–6 weeks of starting (Law 2003; statin trials), i.e. τ ≈ 0.5 month.
pub const ONSET_MONTHS: f64 = 0.5;

/// A standard normal SD from a 95% CI on the log scale.
pub fn log_sd_from_ci(low: f64, high: f64) -> f64 {
    (high.ln() - low.ln()) / (2.0 * 1.959_964)
}
