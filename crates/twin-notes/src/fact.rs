//! What a note can tell us: the [`Fact`] types and their parts.
//!
//! Words that name a range (LVEF bands, valve severities) keep the word; the range each band
//! stands for, with its source, is on [`EfBand::range`].

use std::fmt;

/// One fact read from a note, before its context (negated, historical, …) is applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// Left ventricular ejection fraction, with the method when the note names it.
    Lvef {
        /// The figure as written: a value, a range, a bound or a qualitative band.
        value: LvefValue,
        /// How it was measured, when stated.
        method: Option<EfMethod>,
        /// Written as an estimate ("est. 40-45%", "approx. 30%", "~35%", "about 40%").
        approximate: bool,
    },
    /// NYHA functional class; `from == to` unless written as a range ("NYHA II-III").
    Nyha {
        /// The lower class written.
        from: NyhaClass,
        /// The upper class written.
        to: NyhaClass,
    },
    /// A valve lesion and, when stated, its severity.
    Valve {
        /// Which valve.
        valve: Valve,
        /// Stenosis or regurgitation.
        lesion: Lesion,
        /// The grade as written, when stated.
        severity: Option<Severity>,
    },
    /// Left ventricular hypertrophy and, when stated, its grade.
    Lvh {
        /// Mild, moderate or severe, when stated.
        severity: Option<Severity>,
    },
    /// Smoking status.
    Smoking(SmokingStatus),
    /// One home (self-measured) blood pressure reading or average, mmHg.
    HomeBp {
        /// Systolic, mmHg.
        sbp: u16,
        /// Diastolic, mmHg.
        dbp: u16,
    },
    /// A cardiac symptom.
    Symptom(Symptom),
    /// A drug (or drug class) the patient did not tolerate, and the reaction when stated.
    Intolerance {
        /// Lower-case agent ("atorvastatin") or class ("statin", "ace_inhibitor").
        agent: String,
        /// What happened, when stated.
        reaction: Reaction,
    },
}

/// An LVEF figure as written, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LvefValue {
    /// A single value ("EF 35%", "LVEF ~40%").
    Point(u8),
    /// A range ("35–40 %").
    Range {
        /// Lower end, percent.
        low: u8,
        /// Upper end, percent.
        high: u8,
    },
    /// At most ("LVEF < 30%", "less than 20%").
    Below(u8),
    /// At least ("EF > 55%").
    Above(u8),
    /// A word ("mildly reduced", "preserved").
    Band(EfBand),
}

impl LvefValue {
    /// The best single percentage for the record: a point as is, the middle of a range, and
    /// `None` for bounds and bands, which are shown but never turned into a number.
    pub fn point_estimate(self) -> Option<f64> {
        match self {
            Self::Point(v) => Some(f64::from(v)),
            Self::Range { low, high } => Some((f64::from(low) + f64::from(high)) / 2.0),
            Self::Below(_) | Self::Above(_) | Self::Band(_) => None,
        }
    }
}

/// A qualitative LVEF band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfBand {
    /// "normal", "preserved", "good".
    Normal,
    /// "mildly reduced / impaired".
    MildlyReduced,
    /// "moderately reduced / impaired".
    ModeratelyReduced,
    /// "severely reduced / impaired".
    SeverelyReduced,
    /// "mildly to moderately reduced / impaired": a range of two grades, kept as written.
    MildlyToModeratelyReduced,
    /// "moderately to severely reduced / impaired": a range of two grades, kept as written.
    ModeratelyToSeverelyReduced,
    /// "reduced / impaired / poor" with no grade.
    Reduced,
}

impl EfBand {
    /// The LVEF range (percent, inclusive) the word stands for, and the source of the mapping.
    ///
    /// - Normal ≥ 53 %: Lang RM et al., ASE/EACVI chamber quantification, J Am Soc Echocardiogr
    ///   2015;28:1–39 (normal 53–73 % in women and men pooled; we take the lower limit).
    /// - Mildly reduced 41–49 %: McDonagh TA et al., 2021 ESC heart failure guidelines, Eur Heart J
    ///   2021;42:3599–3726 (HFmrEF).
    /// - Moderately reduced 30–40 % and severely reduced < 30 %: Lang 2015, Table 4 (moderately and
    ///   severely abnormal).
    /// - Reduced, ungraded, < 50 %: ESC 2021 (below the HFpEF threshold: HFrEF or HFmrEF).
    /// - A range of two grades ("mild-to-moderately impaired") spans both grades' ranges above:
    ///   30–49 % and 0–40 %; the writer did not commit to one, so neither do we.
    pub fn range(self) -> (u8, u8) {
        match self {
            Self::Normal => (53, 100),
            Self::MildlyReduced => (41, 49),
            Self::ModeratelyReduced => (30, 40),
            Self::SeverelyReduced => (0, 29),
            Self::MildlyToModeratelyReduced => (30, 49),
            Self::ModeratelyToSeverelyReduced => (0, 40),
            Self::Reduced => (0, 49),
        }
    }
}

/// How an LVEF was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EfMethod {
    /// Simpson's biplane (method of discs).
    Simpson,
    /// Visual estimate ("eyeball").
    Visual,
    /// Teichholz (M-mode).
    Teichholz,
    /// Cardiac magnetic resonance.
    Mri,
    /// Radionuclide ventriculography (MUGA).
    Muga,
}

/// NYHA functional class (Criteria Committee of the NYHA, 9th ed., 1994).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NyhaClass {
    /// No limitation.
    I,
    /// Slight limitation.
    Ii,
    /// Marked limitation.
    Iii,
    /// Symptoms at rest.
    Iv,
}

/// A heart valve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valve {
    /// Aortic valve.
    Aortic,
    /// Mitral valve.
    Mitral,
    /// Tricuspid valve.
    Tricuspid,
    /// Pulmonary valve.
    Pulmonary,
}

/// A valve lesion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lesion {
    /// Narrowing.
    Stenosis,
    /// Leak (regurgitation, incompetence, insufficiency).
    Regurgitation,
}

impl Valve {
    /// The valve in lower-case words, as the panel and the corpus labels write it.
    pub fn name(self) -> &'static str {
        match self {
            Valve::Aortic => "aortic",
            Valve::Mitral => "mitral",
            Valve::Tricuspid => "tricuspid",
            Valve::Pulmonary => "pulmonary",
        }
    }
}

impl Lesion {
    /// The lesion in lower-case words, as the panel and the corpus labels write it.
    pub fn name(self) -> &'static str {
        match self {
            Lesion::Stenosis => "stenosis",
            Lesion::Regurgitation => "regurgitation",
        }
    }
}

/// A grade as echo reports write it; the in-between grades are kept as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Trivial or trace.
    Trivial,
    /// Trivial to mild.
    TrivialToMild,
    /// Mild.
    Mild,
    /// Mild to moderate.
    MildToModerate,
    /// Moderate.
    Moderate,
    /// Moderate to severe.
    ModerateToSevere,
    /// Severe.
    Severe,
}

/// Smoking status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmokingStatus {
    /// Smokes now.
    Current,
    /// Smoked in the past.
    Former,
    /// Never smoked.
    Never,
}

/// The cardiac symptoms we read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symptom {
    /// Breathlessness, including orthopnoea and PND.
    Dyspnoea,
    /// Chest pain, tightness or angina.
    ChestPain,
    /// Peripheral oedema.
    Oedema,
    /// Syncope (not pre-syncope).
    Syncope,
}

/// A reaction to a drug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reaction {
    /// Muscle aches or cramps.
    Myalgia,
    /// Cough.
    Cough,
    /// Angioedema.
    Angioedema,
    /// Rash.
    Rash,
    /// High potassium.
    Hyperkalaemia,
    /// Low blood pressure.
    Hypotension,
    /// Slow heart rate.
    Bradycardia,
    /// Ankle or leg swelling.
    AnkleOedema,
    /// Nausea, diarrhoea, dyspepsia.
    GiUpset,
    /// Dizziness or light-headedness.
    Dizziness,
    /// Gout.
    Gout,
    /// Tiredness.
    Fatigue,
    /// Bleeding.
    Bleeding,
    /// Headache.
    Headache,
    /// Flushing.
    Flushing,
    /// Acute kidney injury or a creatinine rise.
    Renal,
    /// Breast enlargement or tenderness (spironolactone's; the usual reason to switch to
    /// eplerenone).
    Gynaecomastia,
    /// Low sodium (thiazides').
    Hyponatraemia,
    /// Bronchospasm or wheeze (beta-blockers' in asthma).
    Bronchospasm,
    /// Intolerance with no reaction named.
    Unspecified,
}

impl fmt::Display for NyhaClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::I => "I",
            Self::Ii => "II",
            Self::Iii => "III",
            Self::Iv => "IV",
        })
    }
}

impl Fact {
    /// A short code for the fact's type ("lvef", "nyha", "valve", "lvh", "smoking", "homebp",
    /// "symptom", "intolerance"): what precision and recall are reported by.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Lvef { .. } => "lvef",
            Self::Nyha { .. } => "nyha",
            Self::Valve { .. } => "valve",
            Self::Lvh { .. } => "lvh",
            Self::Smoking(_) => "smoking",
            Self::HomeBp { .. } => "homebp",
            Self::Symptom(_) => "symptom",
            Self::Intolerance { .. } => "intolerance",
        }
    }
}
