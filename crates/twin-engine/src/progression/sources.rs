//! The references behind one projection, for the explanation panel and the JSON: what the
//! projection of a scenario actually used, cited as in [`super::effects`] and [`crate::drugs`].

use std::collections::BTreeSet;

use crate::drugs::DrugClass as D;

use super::scenario::{Intervention, Persistence, Scenario};
use super::Baseline;

/// One reference and what it supplied.
pub type Source = (&'static str, &'static str);

const LAW_2003: Source = (
    "BP effect of each drug class and dose",
    "Law MR et al. BMJ 2003;326:1427 (Table 2); Law MR et al. BMJ 2009;338:b1665",
);
const PRETREATMENT: Source = (
    "BP-drug effect by the pressure it starts from",
    "Law MR et al. BMJ 2003;326:1427; Law MR, Morris JK, Wald NJ, authors' reply, BMJ 2009;338:b2602",
);
const PATHWAY2: Source = ("BP effect of an MRA", "Williams B et al. (PATHWAY-2) Lancet 2015;386:2059");
const STATINS: Source = (
    "LDL-C effect of statin intensity and ezetimibe",
    "Grundy SM et al. ACC/AHA 2018, Circulation 2019;139:e1082 (Table 3)",
);
const PCSK9: Source = ("LDL-C effect of a PCSK9 antibody", "Sabatine MS et al. (FOURIER) N Engl J Med 2017;376:1713");
const BETA_HR: Source =
    ("heart-rate effect of beta-blockers", "Wong GWK et al. Cochrane Database Syst Rev 2016;3:CD007451");
const NON_DHP_HR: Source = (
    "heart-rate effect of verapamil and diltiazem",
    "Kawano Y et al. Blood Press Monit 2000 (PMID 10915232); Nikkila MT et al. Am J Cardiol 1989 (PMID 2711992)",
);
const ALPHA: Source = ("BP effect of an alpha-blocker", "Heran BS et al. Cochrane Database Syst Rev 2012;(8):CD004643");
const METHYLDOPA: Source =
    ("BP effect of a centrally acting drug", "Mah GT et al. Cochrane Database Syst Rev 2009;(4):CD003893");
const INCLISIRAN: Source = ("LDL-C effect of inclisiran", "Ray KK et al. (ORION-10/11) N Engl J Med 2020;382:1507");
const BEMPEDOIC: Source =
    ("LDL-C effect of bempedoic acid", "Ray KK et al. (CLEAR Harmony) N Engl J Med 2019;380:1022");
const BPLTTC: Source = ("event risk per 5 mmHg SBP", "BPLTTC, Lancet 2021;397:1625");
const CTT: Source = ("event risk per 1 mmol/L LDL-C", "CTT Collaboration, Lancet 2010;376:1670");
const BELL: Source = ("between-person variation in BP response", "Bell KJL et al. Hypertension 2010;56:533");
const ROTHWELL: Source = ("visit-to-visit SBP variability", "Rothwell PM et al. Lancet 2010;375:895");
const AGEING: Source = (
    "BP change with age, by age and sex",
    "Pearson JD et al. (BLSA) J Gerontol A Biol Sci Med Sci 1997;52:M177; Franklin SS et al. Circulation 1997;96:308; \
     Wills AK et al. PLoS Med 2011;8:e1000440; Ji H et al. JAMA Cardiol 2020 (doi:10.1001/jamacardio.2019.5306)",
);
const NO_AGEING_IN_HFREF: Source = (
    "BP held, not drifted up with age, with a reduced ejection fraction",
    "Delgado J et al. JAMA Intern Med 2018;178:93; Pocock SJ et al. (MAGGIC) Eur Heart J 2013;34:1404",
);
const PERSISTENCE: Source = (
    "share of people still taking a newly started drug",
    "Vrijens B et al. BMJ 2008;336:1114; van Wijk BL et al. J Hypertens 2005;23:2101",
);
const TOHP: Source = (
    "how salt reduction and weight loss wane",
    "Trials of Hypertension Prevention Collaborative Research Group (TOHP II) Arch Intern Med 1997;157:657",
);
const ENCORE_FOLLOW_UP: Source = (
    "how diet, exercise and weight loss wane",
    "Hinderliter AL et al. (ENCORE one-year follow-up) Am J Hypertens 2014;27:734",
);
const SODIUM: Source = ("BP effect of salt reduction", "He FJ et al. BMJ 2013;346:f1325");
const DASH: Source = ("BP effect of the DASH diet", "Appel LJ et al. N Engl J Med 1997;336:1117");
const ENCORE: Source = (
    "lifestyle changes combined",
    "Sacks FM et al. (DASH-Sodium) N Engl J Med 2001;344:3; Blumenthal JA et al. (ENCORE) Arch Intern Med 2010;170:126",
);
const EXERCISE: Source = ("BP effect of aerobic exercise", "Cornelissen VA, Smart NA. J Am Heart Assoc 2013;2:e004473");
const WEIGHT: Source = ("BP effect of weight loss", "Neter JE et al. Hypertension 2003;42:878");
const ISCHEMIA: Source =
    ("event risk after revascularisation", "Maron DJ et al. (ISCHEMIA) N Engl J Med 2020;382:1395");
const SMOKING: Source =
    ("event risk after stopping smoking", "the PREVENT smoking coefficient, Khan SS et al. Circulation 2024;149:430");

/// Every reference the projection of `scenario` from `baseline` used, in reading order.
pub fn sources(baseline: &Baseline, scenario: &Scenario) -> Vec<Source> {
    let mut classes: BTreeSet<D> = baseline.current_drugs.iter().map(|d| d.class).collect();
    for i in &scenario.interventions {
        if let Intervention::StartDrug { class, .. } | Intervention::ChangeDose { class, .. } = i {
            classes.insert(*class);
        }
    }
    let ageing = if baseline.lvef <= super::effects::HFREF_LVEF_MAX { NO_AGEING_IN_HFREF } else { AGEING };
    let mut out = vec![ageing, ROTHWELL];
    if classes.iter().any(|c| c.lowers_bp()) {
        out.push(LAW_2003);
        out.push(PRETREATMENT);
        out.push(BELL);
    }
    if classes.contains(&D::Mra) {
        out.push(PATHWAY2);
    }
    if classes.contains(&D::AlphaBlocker) {
        out.push(ALPHA);
    }
    if classes.contains(&D::CentrallyActing) {
        out.push(METHYLDOPA);
    }
    if classes.contains(&D::BetaBlocker) {
        out.push(BETA_HR);
    }
    if classes.contains(&D::NonDihydropyridineCcb) {
        out.push(NON_DHP_HR);
    }
    if classes.contains(&D::Statin) || classes.contains(&D::Ezetimibe) {
        out.push(STATINS);
    }
    if classes.contains(&D::Pcsk9Inhibitor) {
        out.push(PCSK9);
    }
    if classes.contains(&D::Inclisiran) {
        out.push(INCLISIRAN);
    }
    if classes.contains(&D::BempedoicAcid) {
        out.push(BEMPEDOIC);
    }
    let has = |f: fn(&Intervention) -> bool| scenario.interventions.iter().any(f);
    if has(|i| matches!(i, Intervention::StartDrug { persistence: Persistence::RealWorld, .. })) {
        out.push(PERSISTENCE);
    }
    let sodium = has(|i| matches!(i, Intervention::SodiumReduction { .. }));
    let dash = has(|i| matches!(i, Intervention::DashDiet { .. }));
    if sodium {
        out.push(SODIUM);
    }
    if dash {
        out.push(DASH);
    }
    let exercise = has(|i| matches!(i, Intervention::Exercise { .. }));
    let weight = has(|i| matches!(i, Intervention::WeightChange { .. }));
    if exercise {
        out.push(EXERCISE);
    }
    if weight {
        out.push(WEIGHT);
    }
    if [sodium, dash, exercise, weight].iter().filter(|x| **x).count() >= 2 {
        out.push(ENCORE);
    }
    if sodium || weight {
        out.push(TOHP);
    }
    if dash || exercise || weight {
        out.push(ENCORE_FOLLOW_UP);
    }
    if has(|i| matches!(i, Intervention::Procedure { .. })) {
        out.push(ISCHEMIA);
    }
    if has(|i| matches!(i, Intervention::SmokingCessation { .. })) && baseline.smoker {
        out.push(SMOKING);
    }
    if !baseline.annual_hazard.is_empty() {
        out.push(BPLTTC);
        out.push(CTT);
    }
    out
}
