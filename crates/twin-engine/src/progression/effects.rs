//! Effect sizes of lifestyle change, procedures and risk-factor lowering on events, how
//! lifestyle effects wane and how many people keep taking a new drug, and the ageing drifts: one
//! place, each with its source.
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
//! 13. Vrijens B, Vincze G, Kristanto P, Urquhart J, Burnier M. Adherence to prescribed
//!     antihypertensive drug treatments: longitudinal study of electronically compiled dosing
//!     histories. BMJ 2008;336:1114-1117. doi:10.1136/bmj.39553.670231.25 — 4783 patients in 21
//!     studies of 30 to 330 days: "about half of the patients who were prescribed an
//!     antihypertensive drug had stopped taking it within one year"; those still taking it
//!     omitted about 10% of scheduled doses (the execution a scenario's adherence stands for).
//! 14. van Wijk BL, Klungel OH, Heerdink ER, de Boer A. Rate and determinants of 10-year
//!     persistence with antihypertensive drugs. J Hypertens 2005;23:2101-2107 — of 2325 new
//!     users, 39% used the drugs continuously for 10 years, 22% stopped and restarted, and 39%
//!     stopped for good.
//! 15. The Trials of Hypertension Prevention Collaborative Research Group (TOHP II). Effects of
//!     weight loss and sodium reduction intervention on blood pressure and hypertension incidence
//!     in overweight people with high-normal blood pressure. Arch Intern Med 1997;157:657-667.
//!     doi:10.1001/archinte.1997.00440270105009 — weight fell 4.3 to 4.5 kg at 6 months and about
//!     2 kg at 36 months against usual care; sodium excretion fell 50 and 40 mmol/day at 6 and 36
//!     months in the sodium-reduction group.
//! 16. Hinderliter AL, Sherwood A, Craighead LW, Lin PH, Watkins L, Babyak MA, Blumenthal JA. The
//!     long-term effects of lifestyle change on blood pressure: one-year follow-up of the ENCORE
//!     study. Am J Hypertens 2014;27:734-741 — SBP fell 16.1 (95% CI 13.0–19.2) mmHg with DASH
//!     plus weight management, 11.2 (8.1–14.3) with DASH alone and 3.4 (0.4–6.4) with usual care
//!     at the end of the 16-week programme; 8 months later it stayed 11.7 (8.1–15.3), 9.5
//!     (6.7–12.1) and 3.9 (0.5–7.3) below baseline. The DASH plus weight management group lost
//!     8.7 kg and stayed 6.3 kg lighter; only 21% still exercised regularly.
//! 17. Pearson JD, Morrell CH, Brant LJ, Landis PK, Fleg JL. Age-associated changes in blood
//!     pressure in a longitudinal study of healthy men and women (Baltimore Longitudinal Study of
//!     Aging). J Gerontol A Biol Sci Med Sci 1997;52:M177-M183 — 1307 men and 333 women
//!     followed for up to 32 years: SBP "relatively stable in men and women until approximately
//!     age 45, increases at 5-8 mm Hg per decade in middle age, then accelerates in men and
//!     stabilizes in women".
//! 18. Wills AK et al. Life course trajectories of systolic blood pressure using longitudinal data
//!     from eight UK cohorts. PLoS Med 2011;8:e1000440. doi:10.1371/journal.pmed.1000440 — a
//!     midlife acceleration from the fourth decade; men's SBP leads by at most 8.2 mmHg (age 26),
//!     and women, with steeper rises, catch up by the seventh decade; increases slow in late
//!     adulthood.
//! 19. Ji H et al. Sex differences in blood pressure trajectories over the life course. JAMA
//!     Cardiol 2020. doi:10.1001/jamacardio.2019.5306 — 32,833 people in four US cohorts: women's
//!     BP rose more steeply than men's from the third decade on.
//! 20. Delgado J et al. Blood pressure trajectories in the 20 years before death. JAMA Intern Med
//!     2018;178:93-99 — SBP and DBP peak 14 to 18 years before death and then fall, most steeply
//!     in people with heart failure (among others).
//! 21. Pocock SJ et al. (MAGGIC). Predicting survival in heart failure. Eur Heart J
//!     2013;34:1404-1413 — a lower SBP scores more points, i.e. a worse prognosis
//!     ([`crate::risk::maggic`]).

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

/// SBP rise with age, mmHg/year, for men and women together [8]: Framingham's population
/// figure. The projection drifts by age and sex instead ([`sbp_ageing`]); this pooled figure
/// remains only where a person's age and sex are not at hand (the ageing correction of a learned
/// drug response, `twin::responses`).
pub const SBP_AGEING_PER_YEAR: f64 = 0.6;
/// DBP change with age, mmHg/year, before [`DBP_TURNING_AGE`] [8] (rising).
pub const DBP_AGEING_BEFORE_55: f64 = 0.2;
/// DBP change with age, mmHg/year, from [`DBP_TURNING_AGE`] [8] (falling).
pub const DBP_AGEING_FROM_55: f64 = -0.3;
/// Age at which DBP stops rising and starts to fall, years: Framingham's DBP "declined after age
/// 50 to 60" [8]; 55, the middle of that range.
pub const DBP_TURNING_AGE: f64 = 55.0;

/// SBP change with age, mmHg/year, by age band and sex: (band's first year of age, men, women),
/// in order; a band runs to the next one's first year.
///
/// - Before 45: 0 for both. BLSA [17]: SBP "relatively stable in men and women until
///   approximately age 45".
/// - 45 to 65 ("middle age"): 0.5 for men, 0.8 for women. BLSA [17] measured 5–8 mmHg per decade
///   in middle age in both sexes; which end belongs to whom is ours, from the larger population
///   cohorts: women's SBP rises more steeply than men's in midlife (Wills 2011 [18]: women catch
///   up men's lead of up to 8.2 mmHg by the seventh decade; Ji 2020 [19]: steeper in women from
///   the third decade). 0.3 mmHg/year more over these 20 years is 6 of those 8.2 mmHg.
/// - From 65: 0.8 for men, 0 for women. BLSA [17]: SBP "then accelerates in men and stabilizes in
///   women"; for men we take the top of the middle-age range, an acceleration at least that
///   steep (Framingham's linear rise to age 84 [8] agrees in direction). The sources differ on
///   women in old age (Ji [19] reports steeper rises in women throughout); BLSA, the one that
///   states a rate, and Wills's late-life slowing [18] are followed here.
///
/// These are the untreated course (BLSA screened out BP drugs; the projection adds treatment
/// separately). Heart failure with reduced EF is not given this drift ([`HFREF_LVEF_MAX`]).
pub const SBP_AGEING_BY_AGE: [(f64, f64, f64); 3] = [(0.0, 0.0, 0.0), (45.0, 0.5, 0.8), (65.0, 0.8, 0.0)];

/// LVEF at or below which heart failure has a reduced ejection fraction, % (ESC HF 2021:
/// HFrEF is LVEF ≤ 40%). With it, BP is not drifted up with age: in heart failure BP tends to
/// fall in later life (Delgado 2018 [20]: the fall before death is steepest in heart failure),
/// and a lower SBP marks a worse prognosis, not a better one (MAGGIC [21]). Holding today's BP
/// (no drift either way) is our assumption: no source gives a yearly rate for HFrEF.
pub const HFREF_LVEF_MAX: f64 = 40.0;

/// SBP drift from `age_now` over the next `years`, mmHg: the integral of
/// [`SBP_AGEING_BY_AGE`]'s rates for the sex (see there for the sources).
pub fn sbp_ageing(age_now: f64, years: f64, female: bool) -> f64 {
    let end = age_now + years.max(0.0);
    SBP_AGEING_BY_AGE
        .iter()
        .enumerate()
        .map(|(k, &(from, men, women))| {
            let to = SBP_AGEING_BY_AGE.get(k + 1).map_or(f64::INFINITY, |b| b.0);
            let overlap = (end.min(to) - age_now.max(from)).max(0.0);
            overlap * if female { women } else { men }
        })
        .sum()
}

/// DBP drift from `age_now` over the next `years`, mmHg, for men and women alike: rising by
/// [`DBP_AGEING_BEFORE_55`] a year until [`DBP_TURNING_AGE`], then falling by
/// [`DBP_AGEING_FROM_55`] [8]. Framingham gives the pattern for both sexes together; BLSA's
/// healthy women [17] likewise rose in middle age and then levelled off. Its healthy men kept
/// rising by 1 mmHg per decade at all ages; its authors conclude that patterns seen in
/// unscreened samples partly reflect hypertension and its treatment, and most of the patients
/// projected here have hypertension, so Framingham's population pattern is followed.
pub fn dbp_ageing(age_now: f64, years: f64) -> f64 {
    let years = years.max(0.0);
    let rising = (DBP_TURNING_AGE - age_now).clamp(0.0, years);
    let falling = years - rising;
    rising * DBP_AGEING_BEFORE_55 + falling * DBP_AGEING_FROM_55
}

/// eGFR decline with age, mL/min/1.73 m² per year [9].
pub const EGFR_DECLINE_PER_YEAR: f64 = 0.75;
/// Fractional fall of arterial compliance per year of age [10].
pub const COMPLIANCE_LOSS_PER_YEAR: f64 = 0.01;

/// Share of patients still taking a newly started drug one year after the start: one half,
/// Vrijens 2008 [13] ("about half ... had stopped taking it within one year").
pub const PERSISTENCE_AT_ONE_YEAR: f64 = 0.5;
/// Months over which [`PERSISTENCE_AT_ONE_YEAR`] is reached: the first year [13].
pub const PERSISTENCE_FALL_MONTHS: f64 = 12.0;

/// Share of patients still taking a drug `months` after starting it, in the real world. Within
/// the first year it falls at a constant rate to [`PERSISTENCE_AT_ONE_YEAR`] (Vrijens [13] gives
/// the one-year figure; a constant rate, 71% at 6 months, is the simplest curve through it and
/// ours); after that it is held at one half: van Wijk 2005 [14] found 39% of new users taking
/// the drug without a break for 10 years and another 22% who had stopped and started again, so
/// between 39% and 61% take it 10 years on, and one half lies within that. Execution (doses
/// missed by those still taking it, about 10% in [13]) is the scenario's adherence, not this.
pub fn persistence_share(months: f64) -> f64 {
    if months <= 0.0 {
        1.0
    } else {
        PERSISTENCE_AT_ONE_YEAR.powf(months.min(PERSISTENCE_FALL_MONTHS) / PERSISTENCE_FALL_MONTHS)
    }
}

/// How much of a lifestyle change's BP effect is kept as time passes, as (months, share) knots:
/// the full effect up to the first knot, straight lines between knots, the last share after the
/// last knot (no trial followed longer). The trials behind the effect sizes measured them at
/// the end of their programmes (4 to 6 months); what people keep up afterwards falls away.
///
/// Salt reduction, months from its start: TOHP II [15] cut sodium excretion by 50 mmol/day at 6
/// months and by 40 at 36 months, so 40/50 of the fall (and of its BP effect, which He 2013 [1]
/// found proportional to the salt reduction) is kept at 36 months.
pub const SODIUM_KEPT: [(f64, f64); 2] = [(6.0, 1.0), (36.0, 40.0 / 50.0)];
/// The DASH diet, months from its start: in ENCORE [16] DASH alone lowered SBP 11.2 − 3.4 =
/// 7.8 mmHg more than usual care at the end of the 16-week programme and 9.5 − 3.9 = 5.6 mmHg
/// more 8 months later (month 12).
pub const DASH_KEPT: [(f64, f64); 2] = [(4.0, 1.0), (12.0, (9.5 - 3.9) / (11.2 - 3.4))];
/// Aerobic exercise, months from its start: 8 months after ENCORE's supervised programme ended
/// (month 12), 21% still exercised regularly [16]; the BP effect of training goes with it.
pub const EXERCISE_KEPT: [(f64, f64); 2] = [(4.0, 1.0), (12.0, 0.21)];
/// Weight lost, months from when the loss was reached: ENCORE [16] kept 6.3 of 8.7 kg 8 months
/// after its programme; TOHP II [15] kept about 2 of 4.4 kg (4.3 to 4.5) from month 6 to month
/// 36, 30 months on.
pub const WEIGHT_KEPT: [(f64, f64); 3] = [(0.0, 1.0), (8.0, 6.3 / 8.7), (30.0, 2.0 / 4.4)];

/// The share kept after `months` on a curve of (months, share) knots ([`SODIUM_KEPT`] and the
/// rest): the first knot's share (1, the full effect) up to it, linear between knots, the last
/// share after the last.
pub fn kept(knots: &[(f64, f64)], months: f64) -> f64 {
    let Some(&(first, first_share)) = knots.first() else { return 1.0 };
    if months <= first {
        return first_share;
    }
    for pair in knots.windows(2) {
        let ((m0, s0), (m1, s1)) = (pair[0], pair[1]);
        if months <= m1 {
            return s0 + (s1 - s0) * (months - m0) / (m1 - m0);
        }
    }
    knots.last().map_or(1.0, |k| k.1)
}

/// Time constant of a drug's or lifestyle change's onset, months: most of a BP or LDL-C effect
/// appears within 4–6 weeks of starting (Law 2003; statin trials), i.e. τ ≈ 0.5 month.
pub const ONSET_MONTHS: f64 = 0.5;

/// A standard normal SD from a 95% CI on the log scale.
pub fn log_sd_from_ci(low: f64, high: f64) -> f64 {
    (high.ln() - low.ln()) / (2.0 * 1.959_964)
}
