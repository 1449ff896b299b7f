//! Single-pill combinations (SPCs): the common fixed-dose products, each as its component
//! agents and the strengths it comes in.
//!
//! # Why
//! - Blood pressure: "initiating treatment with a two-drug combination, preferably as a
//!   single-pill combination" of a RAS blocker (ACE inhibitor or ARB) with a dihydropyridine
//!   CCB or a thiazide/thiazide-like diuretic is recommended for most people with confirmed
//!   hypertension, then the three-drug SPC (RAS blocker + CCB + diuretic) if BP is not
//!   controlled (McEvoy JW et al. 2024 ESC Guidelines for the management of elevated blood
//!   pressure and hypertension. Eur Heart J 2024;45:3912, doi:10.1093/eurheartj/ehae178;
//!   class I, level B). Fewer pills improve adherence and persistence.
//! - LDL-C: ezetimibe is added to the maximally tolerated statin when the goal is not reached
//!   (Mach F et al. 2019 ESC/EAS Guidelines for the management of dyslipidaemias. Eur Heart J
//!   2020;41:111, doi:10.1093/eurheartj/ehz455; class I), and bempedoic acid with ezetimibe
//!   when a statin is not tolerated; a single pill carries both.
//!
//! # Strengths
//! Each strength lists the components' milligrams in component order, taken once daily; every
//! one is a rung of its agent's ladder (tested). Products and strengths are the US labels
//! (DailyMed) unless marked EU (SmPC). Perindopril is in erbumine milligrams (the arginine
//! products' 5 and 10 mg are erbumine 4 and 8 mg).

use super::agents::*;
use super::{describe_mg, Agent, Schedule};
use crate::drugs::DrugClass;

/// A single-pill combination product.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SinglePill {
    /// The combination's name, components joined by "/": "amlodipine/valsartan".
    pub name: &'static str,
    /// The component agents.
    pub components: &'static [&'static Agent],
    /// The strengths it comes in: one milligram amount per component, in component order.
    pub strengths_mg: &'static [&'static [f64]],
    /// How often it is taken.
    pub schedule: Schedule,
    /// Why it is a step the guidelines name.
    pub why: &'static str,
    /// Where the product and its strengths come from.
    pub source: &'static str,
}

const ONCE: Schedule = Schedule::TimesDaily(1);
const WHY_DUAL: &str = "ESC 2024: start most patients on a two-drug single-pill combination of a RAS blocker \
                        with a calcium-channel blocker or a thiazide-like diuretic (class I)";
const WHY_TRIPLE: &str = "ESC 2024: if BP is not controlled on two drugs, a three-drug single-pill combination of \
                          a RAS blocker, a calcium-channel blocker and a diuretic (class I)";
const WHY_LIPID: &str = "ESC/EAS 2019: add ezetimibe to the maximally tolerated statin when the LDL-C goal is not \
                         reached (class I); one pill for both";

/// The combinations, in order of preference within each pair of classes.
pub const SINGLE_PILLS: &[SinglePill] = &[
    // RAS blocker + dihydropyridine CCB
    SinglePill {
        name: "ramipril/amlodipine",
        components: &[&RAMIPRIL, &AMLODIPINE],
        strengths_mg: &[&[5.0, 5.0], &[5.0, 10.0], &[10.0, 5.0], &[10.0, 10.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "EU SmPC (ramipril/amlodipine capsules 5/5, 5/10, 10/5, 10/10 mg)",
    },
    SinglePill {
        name: "amlodipine/valsartan",
        components: &[&AMLODIPINE, &VALSARTAN],
        strengths_mg: &[&[5.0, 80.0], &[5.0, 160.0], &[10.0, 160.0], &[5.0, 320.0], &[10.0, 320.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Exforge) 5/160-10/320 mg; EU SmPC 5/80 mg",
    },
    SinglePill {
        name: "telmisartan/amlodipine",
        components: &[&TELMISARTAN, &AMLODIPINE],
        strengths_mg: &[&[40.0, 5.0], &[40.0, 10.0], &[80.0, 5.0], &[80.0, 10.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Twynsta): 40/5, 40/10, 80/5, 80/10 mg",
    },
    SinglePill {
        name: "amlodipine/olmesartan",
        components: &[&AMLODIPINE, &OLMESARTAN],
        strengths_mg: &[&[5.0, 20.0], &[5.0, 40.0], &[10.0, 20.0], &[10.0, 40.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Azor): 5/20, 5/40, 10/20, 10/40 mg",
    },
    SinglePill {
        name: "candesartan/amlodipine",
        components: &[&CANDESARTAN, &AMLODIPINE],
        strengths_mg: &[&[8.0, 5.0], &[8.0, 10.0], &[16.0, 5.0], &[16.0, 10.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "EU SmPC (candesartan/amlodipine 8/5, 8/10, 16/5, 16/10 mg)",
    },
    // RAS blocker + thiazide or thiazide-like diuretic
    SinglePill {
        name: "perindopril/indapamide",
        components: &[&PERINDOPRIL, &INDAPAMIDE],
        strengths_mg: &[&[4.0, 1.25], &[8.0, 2.5]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "EU SmPC (Coversyl Plus: perindopril erbumine 4 mg/indapamide 1.25 mg, and 8/2.5 mg)",
    },
    SinglePill {
        name: "lisinopril/hydrochlorothiazide",
        components: &[&LISINOPRIL, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[10.0, 12.5], &[20.0, 12.5], &[20.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Zestoretic): 10/12.5, 20/12.5, 20/25 mg",
    },
    SinglePill {
        name: "enalapril/hydrochlorothiazide",
        components: &[&ENALAPRIL, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[5.0, 12.5], &[10.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Vaseretic): 5/12.5, 10/25 mg",
    },
    SinglePill {
        name: "losartan/hydrochlorothiazide",
        components: &[&LOSARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[50.0, 12.5], &[100.0, 12.5], &[100.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Hyzaar): 50/12.5, 100/12.5, 100/25 mg",
    },
    SinglePill {
        name: "valsartan/hydrochlorothiazide",
        components: &[&VALSARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[80.0, 12.5], &[160.0, 12.5], &[160.0, 25.0], &[320.0, 12.5], &[320.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Diovan HCT): 80/12.5 to 320/25 mg",
    },
    SinglePill {
        name: "candesartan/hydrochlorothiazide",
        components: &[&CANDESARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[16.0, 12.5], &[32.0, 12.5], &[32.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Atacand HCT): 16/12.5, 32/12.5, 32/25 mg",
    },
    SinglePill {
        name: "telmisartan/hydrochlorothiazide",
        components: &[&TELMISARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[40.0, 12.5], &[80.0, 12.5], &[80.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Micardis HCT): 40/12.5, 80/12.5, 80/25 mg",
    },
    SinglePill {
        name: "irbesartan/hydrochlorothiazide",
        components: &[&IRBESARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[150.0, 12.5], &[300.0, 12.5]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Avalide): 150/12.5, 300/12.5 mg",
    },
    SinglePill {
        name: "olmesartan/hydrochlorothiazide",
        components: &[&OLMESARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[&[20.0, 12.5], &[40.0, 12.5], &[40.0, 25.0]],
        schedule: ONCE,
        why: WHY_DUAL,
        source: "FDA label (Benicar HCT): 20/12.5, 40/12.5, 40/25 mg",
    },
    // RAS blocker + CCB + thiazide
    SinglePill {
        name: "amlodipine/valsartan/hydrochlorothiazide",
        components: &[&AMLODIPINE, &VALSARTAN, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[
            &[5.0, 160.0, 12.5],
            &[10.0, 160.0, 12.5],
            &[5.0, 160.0, 25.0],
            &[10.0, 160.0, 25.0],
            &[10.0, 320.0, 25.0],
        ],
        schedule: ONCE,
        why: WHY_TRIPLE,
        source: "FDA label (Exforge HCT): 5/160/12.5 to 10/320/25 mg",
    },
    SinglePill {
        name: "olmesartan/amlodipine/hydrochlorothiazide",
        components: &[&OLMESARTAN, &AMLODIPINE, &HYDROCHLOROTHIAZIDE],
        strengths_mg: &[
            &[20.0, 5.0, 12.5],
            &[40.0, 5.0, 12.5],
            &[40.0, 5.0, 25.0],
            &[40.0, 10.0, 12.5],
            &[40.0, 10.0, 25.0],
        ],
        schedule: ONCE,
        why: WHY_TRIPLE,
        source: "FDA label (Tribenzor): 20/5/12.5 to 40/10/25 mg",
    },
    // Statin + ezetimibe; bempedoic acid + ezetimibe
    SinglePill {
        name: "atorvastatin/ezetimibe",
        components: &[&ATORVASTATIN, &EZETIMIBE],
        strengths_mg: &[&[10.0, 10.0], &[20.0, 10.0], &[40.0, 10.0], &[80.0, 10.0]],
        schedule: ONCE,
        why: WHY_LIPID,
        source: "EU SmPC (Atozet): ezetimibe 10 mg with atorvastatin 10, 20, 40, 80 mg",
    },
    SinglePill {
        name: "rosuvastatin/ezetimibe",
        components: &[&ROSUVASTATIN, &EZETIMIBE],
        strengths_mg: &[&[5.0, 10.0], &[10.0, 10.0], &[20.0, 10.0], &[40.0, 10.0]],
        schedule: ONCE,
        why: WHY_LIPID,
        source: "FDA label (Roszet): ezetimibe 10 mg with rosuvastatin 5, 10, 20, 40 mg",
    },
    SinglePill {
        name: "simvastatin/ezetimibe",
        components: &[&SIMVASTATIN, &EZETIMIBE],
        strengths_mg: &[&[10.0, 10.0], &[20.0, 10.0], &[40.0, 10.0]],
        schedule: ONCE,
        why: WHY_LIPID,
        source: "FDA label (Vytorin): ezetimibe 10 mg with simvastatin 10, 20, 40 mg (80 mg restricted)",
    },
    SinglePill {
        name: "bempedoic acid/ezetimibe",
        components: &[&BEMPEDOIC_ACID, &EZETIMIBE],
        strengths_mg: &[&[180.0, 10.0]],
        schedule: ONCE,
        why: "ESC/EAS 2019 and the label: bempedoic acid with ezetimibe when a statin is not tolerated or not enough; \
              one pill for both",
        source: "FDA label (Nexlizet): bempedoic acid 180 mg/ezetimibe 10 mg",
    },
];

impl SinglePill {
    /// The classes of its components, in component order.
    pub fn classes(&self) -> Vec<DrugClass> {
        self.components.iter().map(|a| a.class).collect()
    }

    /// One of its strengths in words: "amlodipine/valsartan 5/160 mg once daily (single pill:
    /// calcium-channel blocker + ARB)". `None` for a strength it does not come in.
    pub fn describe(&self, strength: usize) -> Option<String> {
        let mg = self.strengths_mg.get(strength)?;
        let amounts: Vec<String> = mg.iter().map(|m| describe_mg(*m)).collect();
        let classes: Vec<String> =
            self.components.iter().map(|a| a.class_words().unwrap_or_else(|| a.name.to_string())).collect();
        Some(format!(
            "{} {} mg {} (single pill: {})",
            self.name,
            amounts.join("/"),
            self.schedule.words(),
            classes.join(" + ")
        ))
    }
}

/// The combinations whose components are exactly these classes (in any order), preferred first.
pub fn single_pills_of(classes: &[DrugClass]) -> impl Iterator<Item = &'static SinglePill> + '_ {
    let mut wanted = classes.to_vec();
    wanted.sort();
    SINGLE_PILLS.iter().filter(move |p| {
        let mut have = p.classes();
        have.sort();
        have == wanted
    })
}

/// The combination and strength that is exactly these agents at these daily doses (in any
/// order), if one is made: what a plan can offer as one pill instead of two or three.
pub fn single_pill_for(parts: &[(&Agent, f64)]) -> Option<(&'static SinglePill, usize)> {
    SINGLE_PILLS.iter().find_map(|pill| {
        if pill.components.len() != parts.len() {
            return None;
        }
        let order: Option<Vec<usize>> =
            pill.components.iter().map(|c| parts.iter().position(|(a, _)| a.name == c.name)).collect();
        let order = order?;
        pill.strengths_mg
            .iter()
            .position(|mg| mg.iter().zip(&order).all(|(m, &i)| (parts[i].1 - m).abs() <= 1e-6 * m.max(1.0)))
            .map(|s| (pill, s))
    })
}
