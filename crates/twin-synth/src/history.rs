//! Turns a [`Profile`] into years of visits: a latent "true" physiology, moved by the drugs the
//! profile prescribes with the effect sizes of `twin_engine::drugs`, observed with measurement
//! noise, and written as FHIR R4 resources.
//!
//! # Assumptions of the generator (synthetic data only; not engine parameters)
//! - Measurement noise (1 SD): office SBP 6 mmHg, DBP 4 mmHg, HR 4 bpm, weight 0.8 kg, LDL-C 7%,
//!   HDL-C 6%, triglycerides 15%, HbA1c 0.15 points, creatinine 5%, LVEF 2.5 points, potassium
//!   0.2 mmol/L. These are of the size of within-person visit-to-visit variability; the twin's
//!   own noise model is estimated from data, not from these.
//! - Ageing drift of SBP +0.6 mmHg per year; creatinine +1% per year.
//! - Drug onset: effect reaches 1 − e^(−days/14) of its full size (most of a BP or LDL-C effect
//!   within 4–6 weeks).
//! - Beta-blockers lower resting heart rate by 8 bpm at full exposure.
//! - Total cholesterol is LDL + HDL + TG/2.2 (mmol/L), the Friedewald relation
//!   (Friedewald WT et al., Clin Chem 1972;18:499-502) read backwards.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;
use serde_json::{json, Value};
use time::{Date, Duration};

use twin_engine::drugs::{self, DrugClass};
use twin_engine::formulary::{self, Agent};
use twin_engine::record::{NyhaClass, Rhythm, Sex};
use twin_engine::renal::egfr_ckd_epi_2021;
use twin_engine::units::{
    CHOLESTEROL_MG_DL_PER_MMOL_L, CREATININE_UMOL_L_PER_MG_DL, TRIGLYCERIDE_MG_DL_PER_MMOL_L, UACR_MG_G_PER_MG_MMOL,
};

use crate::cohort::{LabUnits, Prescription, Profile, Smoking};
use crate::fhir_json::{self as fj, category, coding, concept, quantity, LOINC, RXNORM, SNOMED, UCUM};
use crate::sampling::normal;
use crate::variety::Variety;

/// Days per year used to place events given in years.
const DAYS_PER_YEAR: f64 = 365.25;
/// Onset time constant of drug effects, days.
const ONSET_DAYS: f64 = 14.0;
/// Days of supply per dispensing.
const DAYS_SUPPLY: i64 = 30;

/// A fill of a prescription: when it was handed over.
struct Fill {
    date: Date,
}

/// A prescription placed on the calendar.
struct Course<'a> {
    plan: &'a Prescription,
    agent: &'static Agent,
    start: Date,
    stop: Option<Date>,
    fills: Vec<Fill>,
    /// Share of doses taken, whatever the record says ([`Variety::taken`]).
    taken: f64,
}

impl Course<'_> {
    fn daily_mg(&self) -> f64 {
        self.plan.dose_mg * f64::from(self.plan.per_day)
    }

    /// Exposure on `on` in [0, 1]: onset since start, times the share of the last 14 days
    /// covered by a fill where refills are recorded, times the share of doses taken.
    fn exposure(&self, on: Date) -> f64 {
        if on < self.start || self.stop.is_some_and(|s| on > s) {
            return 0.0;
        }
        let days = (on - self.start).whole_days() as f64;
        let onset = 1.0 - (-days / ONSET_DAYS).exp();
        if self.fills.is_empty() {
            return onset * self.taken;
        }
        let covered = (0..14)
            .filter(|back| {
                let day = on - Duration::days(*back);
                self.fills.iter().any(|f| day >= f.date && day < f.date + Duration::days(DAYS_SUPPLY))
            })
            .count();
        onset * covered as f64 / 14.0 * self.taken
    }
}

/// Writes one patient's transaction bundle.
pub struct HistoryWriter<'a> {
    profile: &'a Profile,
    rng: ChaCha8Rng,
    variety: Variety,
    as_of: Date,
    patient_id: String,
    entries: Vec<Value>,
    n_resources: usize,
    /// The days laboratory panels were drawn, in order.
    lab_days: Vec<Date>,
}

fn years_before(as_of: Date, years: f64) -> Date {
    as_of - Duration::days((years * DAYS_PER_YEAR).round() as i64)
}

impl<'a> HistoryWriter<'a> {
    /// Prepares a writer for `profile` with its own random stream: a textbook patient.
    pub fn new(profile: &'a Profile, rng: ChaCha8Rng, as_of: Date) -> Self {
        let patient_id = format!("ct-demo-{}", &profile.slug[..2]);
        Self {
            profile,
            rng,
            variety: Variety::TEXTBOOK,
            as_of,
            patient_id,
            entries: Vec::new(),
            n_resources: 0,
            lab_days: Vec::new(),
        }
    }

    /// Gives the patient hidden traits ([`Variety`]).
    #[must_use]
    pub fn with_variety(mut self, variety: Variety) -> Self {
        self.variety = variety;
        self
    }

    fn next_id(&mut self, kind: &str) -> String {
        self.n_resources += 1;
        format!("{}-{kind}-{:04}", self.patient_id, self.n_resources)
    }

    fn subject(&self) -> Value {
        json!({ "reference": format!("Patient/{}", self.patient_id) })
    }

    fn push(&mut self, resource: Value) {
        self.entries.push(fj::put_entry(resource));
    }

    fn noise(&mut self, sd: f64) -> f64 {
        normal(sd).sample(&mut self.rng)
    }

    /// Builds the whole bundle.
    pub fn write(mut self) -> Value {
        let p = self.profile;
        let start = years_before(self.as_of, f64::from(p.years));
        let birth = years_before(self.as_of, f64::from(p.age)) - Duration::days(self.rng.random_range(0..365));
        self.write_patient(birth);
        for d in &p.diagnoses {
            self.write_condition(d.snomed, d.icd10, d.display, years_before(self.as_of, d.onset_years_ago));
        }
        for proc_ in &p.procedures {
            let id = self.next_id("proc");
            let when = years_before(self.as_of, proc_.years_ago);
            let resource = json!({
                "resourceType": "Procedure", "id": id, "status": "completed",
                "code": concept(SNOMED, proc_.snomed, proc_.display),
                "subject": self.subject(), "performedDateTime": fj::date(when),
            });
            self.push(resource);
        }
        let courses = self.write_medications();
        self.write_visits(start, birth, &courses);
        if p.wearable || self.variety.wearable_history {
            self.write_wearable(&courses);
        }
        // Written last, so the draws and ids of everything above are those of earlier cohorts.
        self.write_yearly_markers();
        // After those, and without random draws, for the same reason.
        self.write_heart_failure_markers();
        json!({
            "resourceType": "Bundle",
            "type": "transaction",
            "meta": { "tag": [synthetic_tag()] },
            "entry": self.entries,
        })
    }

    fn write_patient(&mut self, birth: Date) {
        let p = self.profile;
        let resource = json!({
            "resourceType": "Patient",
            "id": self.patient_id,
            "meta": { "tag": [synthetic_tag()] },
            "identifier": [{ "system": "urn:cardiotwin:demo", "value": p.slug }],
            "name": [{ "use": "official", "family": p.family, "given": [p.given] }],
            "gender": match p.sex { Sex::Female => "female", Sex::Male => "male" },
            "birthDate": fj::date(birth),
        });
        self.push(resource);
    }

    fn write_condition(&mut self, snomed: &str, icd10: &str, display: &str, onset: Date) {
        let id = self.next_id("cond");
        let resource = json!({
            "resourceType": "Condition", "id": id,
            "clinicalStatus": { "coding": [coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", "Active")] },
            "verificationStatus": { "coding": [coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed", "Confirmed")] },
            "category": [{ "coding": [coding("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item", "Problem List Item")] }],
            "code": { "coding": [coding(SNOMED, snomed, display), coding(fj::ICD10CM, icd10, display)], "text": display },
            "subject": self.subject(),
            "onsetDateTime": fj::date(onset),
        });
        self.push(resource);
    }

    fn write_medications(&mut self) -> Vec<Course<'a>> {
        let p = self.profile;
        let mut courses = Vec::new();
        for plan in &p.prescriptions {
            let Some(agent) = formulary::agent_by_name(plan.agent) else { continue };
            let start = years_before(self.as_of, plan.start_years_ago);
            let stop = plan.stop_years_ago.map(|y| years_before(self.as_of, y));
            let mut course = Course { plan, agent, start, stop, fills: Vec::new(), taken: self.variety.taken };
            let request_id = self.next_id("medreq");
            let per_day_text =
                if plan.per_day == 1 { "once daily".to_string() } else { format!("{} times daily", plan.per_day) };
            let text = format!("{} {} mg {}", agent.name, plan.dose_mg, per_day_text);
            let mut bounds = json!({ "start": fj::date(start) });
            if let Some(stop) = stop {
                bounds["end"] = json!(fj::date(stop));
            }
            let medication = json!({ "coding": [coding(RXNORM, agent.rxcui, agent.name)], "text": text });
            let resource = json!({
                "resourceType": "MedicationRequest", "id": request_id,
                "status": if stop.is_some() { "stopped" } else { "active" },
                "intent": "order",
                "medicationCodeableConcept": medication,
                "subject": self.subject(),
                "authoredOn": fj::date(start),
                "dosageInstruction": [{
                    "text": text,
                    "timing": { "repeat": { "boundsPeriod": bounds, "frequency": plan.per_day, "period": 1, "periodUnit": "d" } },
                    "doseAndRate": [{ "doseQuantity": { "value": plan.dose_mg, "unit": "mg", "system": UCUM, "code": "mg" } }],
                }],
            });
            self.push(resource);
            if plan.erratic_refills || self.variety.refill_gaps {
                let end = stop.unwrap_or(self.as_of);
                let mut day = start;
                while day <= end {
                    course.fills.push(Fill { date: day });
                    let gap = if self.rng.random_bool(0.45) {
                        self.rng.random_range(10..60)
                    } else {
                        self.rng.random_range(0..4)
                    };
                    day += Duration::days(DAYS_SUPPLY + gap);
                }
                for fill in &course.fills {
                    let id = self.next_id("disp");
                    let resource = json!({
                        "resourceType": "MedicationDispense", "id": id, "status": "completed",
                        "medicationCodeableConcept": medication,
                        "subject": self.subject(),
                        "authorizingPrescription": [{ "reference": format!("MedicationRequest/{request_id}") }],
                        "quantity": { "value": DAYS_SUPPLY * i64::from(plan.per_day), "unit": "tablet" },
                        "daysSupply": { "value": DAYS_SUPPLY, "unit": "days", "system": UCUM, "code": "d" },
                        "whenHandedOver": format!("{}T10:00:00Z", fj::date(fill.date)),
                    });
                    self.entries.push(fj::put_entry(resource));
                }
            }
            courses.push(course);
        }
        courses
    }

    fn write_visits(&mut self, start: Date, birth: Date, courses: &[Course<'_>]) {
        let p = self.profile;
        let b = p.baseline;
        let mut day = start;
        let mut last_labs: Option<Date> = None;
        let mut last_a1c: Option<Date> = None;
        let mut last_echo: Option<Date> = None;
        let mut last_smoking: Option<Date> = None;
        let diabetic = p.diagnoses.iter().any(|d| d.icd10.starts_with("E11"));
        let mut weight_drift = 0.0;
        while day <= self.as_of {
            let years_in = (day - start).whole_days() as f64 / DAYS_PER_YEAR;
            let (d_sbp, d_dbp) = bp_fall(courses, day);
            let (d_sbp, d_dbp) = (d_sbp * self.variety.bp_response, d_dbp * self.variety.bp_response);
            let sbp = b.sbp + self.variety.sbp_drift_per_year * years_in - d_sbp + self.noise(6.0);
            let dbp = b.dbp - d_dbp + self.noise(4.0);
            self.write_bp(day, sbp, dbp);
            let hr = b.hr - 8.0 * beta_blockade(courses, day) + self.noise(4.0);
            self.write_simple(day, "vital-signs", ("8867-4", "Heart rate"), quantity(hr, 0, "/min", "beats/minute"));
            weight_drift += self.noise(0.6);
            let weight = b.weight + weight_drift + self.noise(0.8);
            self.write_simple(day, "vital-signs", ("29463-7", "Body weight"), quantity(weight, 1, "kg", "kg"));
            self.write_simple(
                day,
                "vital-signs",
                ("39156-5", "Body mass index (BMI) [Ratio]"),
                quantity(weight / (b.height * b.height), 1, "kg/m2", "kg/m2"),
            );
            if last_smoking.is_none_or(|d| (day - d).whole_days() >= 365) {
                self.write_smoking(day);
                last_smoking = Some(day);
            }
            if last_labs.is_none_or(|d| (day - d).whole_days() >= 330) {
                self.write_labs(day, birth, courses, years_in);
                self.lab_days.push(day);
                last_labs = Some(day);
            }
            if diabetic && last_a1c.is_none_or(|d| (day - d).whole_days() >= 170) {
                let a1c = b.hba1c + 0.05 * years_in + self.noise(0.15);
                self.write_simple(
                    day,
                    "laboratory",
                    ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
                    quantity(a1c, 1, "%", "%"),
                );
                last_a1c = Some(day);
            }
            if let Some(lvef) = b.lvef {
                if last_echo.is_none_or(|d| (day - d).whole_days() >= 360) {
                    let value = lvef + self.noise(2.5);
                    self.write_simple(
                        day,
                        "imaging",
                        ("10230-1", "Left ventricular Ejection fraction"),
                        quantity(value, 0, "%", "%"),
                    );
                    last_echo = Some(day);
                }
            }
            let jitter = self.rng.random_range(-14..=14);
            day += Duration::days((f64::from(p.visit_months) * 30.44).round() as i64 + jitter);
        }
    }

    fn write_labs(&mut self, day: Date, birth: Date, courses: &[Course<'_>], years_in: f64) {
        let p = self.profile;
        let b = p.baseline;
        let ldl = b.ldl * ldl_remaining(courses, day, self.variety.ldl_response) * (1.0 + self.noise(0.07));
        let hdl = b.hdl * (1.0 + self.noise(0.06));
        let tg = b.tg * (1.0 + self.noise(0.15)).max(0.3);
        let tc = ldl + hdl + tg / 2.2;
        let age = (day - birth).whole_days() as f64 / DAYS_PER_YEAR;
        let creatinine = b.creatinine * (1.0 + 0.01 * years_in) * (1.0 + self.noise(0.05));
        match p.lab_units {
            LabUnits::Mass => {
                let mg = |v: f64, f: f64| quantity(v * f, 0, "mg/dL", "mg/dL");
                self.write_simple(
                    day,
                    "laboratory",
                    ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
                    mg(tc, CHOLESTEROL_MG_DL_PER_MMOL_L),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma"),
                    mg(hdl, CHOLESTEROL_MG_DL_PER_MMOL_L),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("13457-7", "Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation"),
                    mg(ldl, CHOLESTEROL_MG_DL_PER_MMOL_L),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"),
                    mg(tg, TRIGLYCERIDE_MG_DL_PER_MMOL_L),
                );
                let scr = quantity(creatinine / CREATININE_UMOL_L_PER_MG_DL, 2, "mg/dL", "mg/dL");
                self.write_simple(day, "laboratory", ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"), scr);
            }
            LabUnits::Molar => {
                let mmol = |v: f64| quantity(v, 2, "mmol/L", "mmol/L");
                self.write_simple(
                    day,
                    "laboratory",
                    ("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma"),
                    mmol(tc),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("14646-4", "Cholesterol in HDL [Moles/volume] in Serum or Plasma"),
                    mmol(hdl),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("22748-8", "Cholesterol in LDL [Moles/volume] in Serum or Plasma"),
                    mmol(ldl),
                );
                self.write_simple(
                    day,
                    "laboratory",
                    ("14927-8", "Triglyceride [Moles/volume] in Serum or Plasma"),
                    mmol(tg),
                );
                let scr = quantity(creatinine, 0, "umol/L", "umol/L");
                self.write_simple(day, "laboratory", ("14682-9", "Creatinine [Moles/volume] in Serum or Plasma"), scr);
            }
        }
        if let Some(egfr) = egfr_ckd_epi_2021(creatinine, age, p.sex) {
            let q = quantity(egfr, 0, "mL/min/{1.73_m2}", "mL/min/1.73m2");
            self.write_simple(day, "laboratory", ("98979-8", "Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)"), q);
        }
        if let Some(uacr) = b.uacr {
            // Day-to-day variation of UACR is large (CV ~ 40%), so the draw is log-normal.
            let value = uacr * self.noise(0.35).exp();
            let (code, q) = match p.lab_units {
                LabUnits::Mass => {
                    (("9318-7", "Albumin/Creatinine [Mass Ratio] in Urine"), quantity(value, 0, "mg/g", "mg/g"))
                }
                LabUnits::Molar => (
                    ("32294-1", "Albumin/Creatinine [Ratio] in Urine"),
                    quantity(value / UACR_MG_G_PER_MG_MMOL, 1, "mg/mmol", "mg/mmol"),
                ),
            };
            self.write_simple(day, "laboratory", code, q);
        }
        if !p.diagnoses.iter().any(|d| d.icd10.starts_with("E11")) {
            let a1c = b.hba1c + self.noise(0.15);
            self.write_simple(
                day,
                "laboratory",
                ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
                quantity(a1c, 1, "%", "%"),
            );
        }
        if let Some(k) = b.potassium {
            let value = k + self.noise(0.2);
            self.write_simple(
                day,
                "laboratory",
                ("2823-3", "Potassium [Moles/volume] in Serum or Plasma"),
                quantity(value, 1, "mmol/L", "mmol/L"),
            );
        }
    }

    /// CRP and NYHA class, once a year for the last three years, where the profile has them.
    /// CRP's within-person variation is large (CV about 40%; Macy et al., Clin Chem
    /// 1997;43:52), so the draw is log-normal.
    fn write_yearly_markers(&mut self) {
        let b = self.profile.baseline;
        for years_back in [2.0, 1.0, 0.1] {
            let day = years_before(self.as_of, years_back);
            if let Some(crp) = b.crp {
                let value = crp * self.noise(0.4).exp();
                self.write_simple(
                    day,
                    "laboratory",
                    ("30522-7", "C reactive protein [Mass/volume] in Serum or Plasma by High sensitivity method"),
                    quantity(value, 1, "mg/L", "mg/L"),
                );
            }
            if let Some(class) = b.nyha {
                let (code, display) = match class {
                    NyhaClass::I => ("LA28404-4", "Class I"),
                    NyhaClass::Ii => ("LA28405-1", "Class II"),
                    NyhaClass::Iii => ("LA28406-9", "Class III"),
                    NyhaClass::Iv => ("LA28407-7", "Class IV"),
                };
                let mut obs = self.observation(day, "survey", ("88020-3", "Functional capacity NYHA"));
                obs["valueCodeableConcept"] = concept(LOINC, code, display);
                self.push(obs);
            }
        }
    }

    /// NT-proBNP with every laboratory panel, on the geometric line from the profile's first to
    /// its last value (no random draw: the other patients' bytes stay as they were), and the
    /// profile's ECG as a 12-lead ECG panel (QRS duration, rhythm and, where present, a left
    /// bundle-branch block as the impression).
    fn write_heart_failure_markers(&mut self) {
        let b = self.profile.baseline;
        if let Some((first, last)) = b.nt_probnp {
            let days = self.lab_days.clone();
            let steps = days.len().saturating_sub(1).max(1) as f64;
            for (i, day) in days.into_iter().enumerate() {
                let value = first * (last / first).powf(i as f64 / steps);
                let (ucum, unit) = match self.profile.lab_units {
                    LabUnits::Mass => ("pg/mL", "pg/mL"),
                    LabUnits::Molar => ("ng/L", "ng/L"),
                };
                self.write_simple(
                    day,
                    "laboratory",
                    ("33762-6", "Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma"),
                    quantity((value / 10.0).round() * 10.0, 0, ucum, unit),
                );
            }
        }
        if let Some(ecg) = b.ecg {
            let day = years_before(self.as_of, ecg.years_ago);
            let rhythm = match ecg.rhythm {
                Rhythm::Sinus => Some(("426783006", "Sinus rhythm")),
                Rhythm::AtrialFibrillation => Some(("49436004", "Atrial fibrillation")),
                Rhythm::AtrialFlutter => Some(("5370000", "Atrial flutter")),
                Rhythm::Other => None,
            };
            let mut components = vec![
                json!({ "code": concept(LOINC, "8633-0", "QRS duration"), "valueQuantity": quantity(ecg.qrs_ms, 0, "ms", "ms") }),
            ];
            if let Some((code, display)) = rhythm {
                components.push(json!({
                    "code": concept(LOINC, "8884-9", "Heart rate rhythm"),
                    "valueCodeableConcept": concept(SNOMED, code, display),
                }));
            }
            if ecg.lbbb {
                components.push(json!({
                    "code": concept(LOINC, "8601-7", "EKG impression"),
                    "valueCodeableConcept": concept(SNOMED, "164909002", "Left bundle branch block"),
                }));
            }
            let mut obs = self.observation(day, "procedure", ("34534-8", "12 lead EKG panel"));
            obs["component"] = json!(components);
            self.push(obs);
        }
    }

    fn observation(&mut self, day: Date, cat: &str, code: (&str, &str)) -> Value {
        let id = self.next_id("obs");
        json!({
            "resourceType": "Observation", "id": id, "status": "final",
            "category": category(cat),
            "code": concept(LOINC, code.0, code.1),
            "subject": self.subject(),
            "effectiveDateTime": fj::date(day),
        })
    }

    fn write_simple(&mut self, day: Date, cat: &str, code: (&str, &str), value: Value) {
        let mut obs = self.observation(day, cat, code);
        obs["valueQuantity"] = value;
        self.push(obs);
    }

    fn write_bp(&mut self, day: Date, sbp: f64, dbp: f64) {
        let mut obs =
            self.observation(day, "vital-signs", ("85354-9", "Blood pressure panel with all children optional"));
        obs["component"] = json!([
            { "code": concept(LOINC, "8480-6", "Systolic blood pressure"), "valueQuantity": quantity(sbp, 0, "mm[Hg]", "mmHg") },
            { "code": concept(LOINC, "8462-4", "Diastolic blood pressure"), "valueQuantity": quantity(dbp, 0, "mm[Hg]", "mmHg") },
        ]);
        self.push(obs);
    }

    fn write_smoking(&mut self, day: Date) {
        let status = match self.profile.smoking {
            Smoking::Never => ("266919005", "Never smoked tobacco"),
            Smoking::Current => ("449868002", "Smokes tobacco daily"),
            Smoking::Quit { years_ago } if day < years_before(self.as_of, years_ago) => {
                ("449868002", "Smokes tobacco daily")
            }
            Smoking::Quit { .. } => ("8517006", "Ex-smoker"),
        };
        let mut obs = self.observation(day, "social-history", ("72166-2", "Tobacco smoking status"));
        obs["valueCodeableConcept"] = concept(SNOMED, status.0, status.1);
        self.push(obs);
    }

    /// A wrist tracker's daily resting heart rate, steps and sleep: the last 30 days of the
    /// record and, with a [`Variety::wearable_history`], two weeks every six months over the
    /// three years before. Only that history's resting rate follows beta-blockade (the textbook
    /// cohort's month was written before it, and its bytes are kept).
    fn write_wearable(&mut self, courses: &[Course<'_>]) {
        let device_id = format!("{}-wearable", self.patient_id);
        let device = json!({
            "resourceType": "Device", "id": device_id,
            "deviceName": [{ "name": "Wrist-worn activity tracker (synthetic)", "type": "user-friendly-name" }],
            "type": concept(SNOMED, "706767009", "Patient data recorder"),
            "patient": self.subject(),
        });
        self.push(device);
        let b = self.profile.baseline;
        let hf = self.profile.baseline.lvef.is_some_and(|ef| ef < 40.0);
        let mean_steps = if hf { 3500.0 } else { 8500.0 };
        let history = self.variety.wearable_history;
        let mut days: Vec<Date> = Vec::new();
        if history {
            for months_back in [36, 30, 24, 18, 12, 6] {
                let end = self.as_of - Duration::days((f64::from(months_back) * 30.44).round() as i64);
                days.extend((0..14).rev().map(|back| end - Duration::days(back)));
            }
        }
        days.extend((0..30).rev().map(|back| self.as_of - Duration::days(back)));
        for day in days {
            let beta_fall = if history { 8.0 * beta_blockade(courses, day) } else { 0.0 };
            let rhr = b.hr - 8.0 - beta_fall + self.noise(2.0);
            let steps = (mean_steps + self.noise(mean_steps * 0.25)).max(200.0);
            let sleep = 7.0 + self.noise(0.7);
            for (code, value) in [
                (("40443-4", "Heart rate --resting"), quantity(rhr, 0, "/min", "beats/minute")),
                (("41950-7", "Number of steps in 24 hour Measured"), quantity(steps, 0, "{steps}", "steps")),
                (("93832-4", "Sleep duration"), quantity(sleep, 1, "h", "h")),
            ] {
                let mut obs = self.observation(day, "activity", code);
                obs["valueQuantity"] = value;
                obs["device"] = json!({ "reference": format!("Device/{device_id}") });
                self.push(obs);
            }
        }
    }
}

/// The synthetic-data tag on every Patient and Bundle: HL7 v3 ActReason HTEST, "test health data".
pub fn synthetic_tag() -> Value {
    coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HTEST", "test health data")
}

/// (SBP, DBP) fall on `on` from every BP-lowering course: Law 2003 class effects, dose level,
/// exposure; additive across classes (Law 2003/2009).
fn bp_fall(courses: &[Course<'_>], on: Date) -> (f64, f64) {
    courses.iter().fold((0.0, 0.0), |(s, d), c| {
        match (c.agent.class.bp_effect_standard_dose(), formulary::dose_level(c.agent, c.daily_mg())) {
            (Some((sbp, dbp)), Some(level)) => {
                let k = level.bp_effect_fraction() * c.exposure(on);
                (s + sbp * k, d + dbp * k)
            }
            _ => (s, d),
        }
    })
}

/// Beta-blockade on `on` in [0, 1]: the exposures of every beta-blocker course, summed and
/// capped at full blockade.
fn beta_blockade(courses: &[Course<'_>], on: Date) -> f64 {
    courses.iter().filter(|c| c.agent.class == DrugClass::BetaBlocker).map(|c| c.exposure(on)).sum::<f64>().min(1.0)
}

/// Share of untreated LDL-C remaining on `on`: each lipid-lowering effect, scaled by the
/// patient's `response` (at most a 90% fall per drug), multiplies.
fn ldl_remaining(courses: &[Course<'_>], on: Date, response: f64) -> f64 {
    courses.iter().fold(1.0, |acc, c| {
        let fraction = match c.agent.class {
            DrugClass::Statin => drugs::statin_intensity(c.agent.name, c.daily_mg()).map_or(0.0, |i| i.ldl_fraction()),
            DrugClass::Ezetimibe => drugs::EZETIMIBE_LDL_FRACTION,
            DrugClass::Pcsk9Inhibitor => drugs::PCSK9_LDL_FRACTION,
            DrugClass::Inclisiran => drugs::INCLISIRAN_LDL_FRACTION,
            DrugClass::BempedoicAcid => drugs::BEMPEDOIC_ACID_LDL_FRACTION,
            _ => 0.0,
        };
        acc * (1.0 - (fraction * response).min(0.9) * c.exposure(on))
    })
}
