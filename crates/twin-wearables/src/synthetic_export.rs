//! A generated Apple Health `export.xml` with the structure of a real one, for tests and the
//! benchmark: the XML declaration, the `HealthData` DOCTYPE with its internal subset, `ExportDate`
//! and `Me`, then `Record`s grouped by type as Apple writes them (steps from a phone and a
//! watch, heart rate every few minutes with its motion-context metadata, resting heart rate, HRV
//! with its beat-to-beat list, SpO₂, sleep stages, stand-alone BP records), then the BP
//! `Correlation`s, a `Workout` and the `ActivitySummary` lines. Values are deterministic
//! (a fixed-seed xorshift), plausible, and not any person's.

use std::io::{self, Write};

use time::{Date, Duration};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SyntheticExport {
    /// First day.
    pub start: Date,
    /// Days of data.
    pub n_days: u32,
    /// Minutes between heart-rate samples (Apple Watch samples every few minutes at rest).
    pub heart_rate_every_minutes: u32,
    /// Days (from the end) with home BP readings, morning and evening, two each.
    pub n_bp_days: u32,
}

/// Deterministic pseudo-random numbers (xorshift64*), for plausible variation only.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn around(&mut self, mid: f64, spread: f64) -> f64 {
        mid + (self.next() - 0.5) * 2.0 * spread
    }
}

const WATCH: &str = "sourceName=\"Sam&apos;s Apple Watch\" sourceVersion=\"10.1\" device=\"&lt;&lt;HKDevice: 0x2834e1a40&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;\"";
const PHONE: &str = "sourceName=\"Sam&apos;s iPhone\" sourceVersion=\"17.1\" device=\"&lt;&lt;HKDevice: 0x2834e1b80&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,5, software:17.1&gt;\"";
const CUFF: &str = "sourceName=\"Health Mate\" sourceVersion=\"6.2\" device=\"&lt;&lt;HKDevice: 0x2834e1c10&gt;, name:BPM Connect, manufacturer:Withings, model:BPM Connect&gt;\"";

fn stamp(day: Date, minute_of_day: u32) -> String {
    format!("{day} {:02}:{:02}:00 +0100", minute_of_day / 60, minute_of_day % 60)
}

impl SyntheticExport {
    /// Writes the export; returns the bytes written.
    ///
    /// # Errors
    /// The writer's.
    pub fn write(&self, out: impl Write) -> io::Result<u64> {
        let mut out = Counting { inner: out, n: 0 };
        let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
        let days: Vec<Date> = (0..self.n_days).map(|i| self.start + Duration::days(i64::from(i))).collect();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE HealthData [\n<!-- HealthKit Export Version: 13 -->\n\
             <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>\n\
             <!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n<!ELEMENT ExportDate EMPTY>\n<!ATTLIST ExportDate\n  value CDATA #REQUIRED\n>\n\
             <!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>\n<!ATTLIST Record\n  type CDATA #REQUIRED\n  unit CDATA #IMPLIED\n  value CDATA #IMPLIED\n  sourceName CDATA #REQUIRED\n  startDate CDATA #REQUIRED\n  endDate CDATA #REQUIRED\n>\n]>\n\
             <HealthData locale=\"en_GB\">\n <ExportDate value=\"{}\"/>\n \
             <Me HKCharacteristicTypeIdentifierDateOfBirth=\"1961-04-02\" HKCharacteristicTypeIdentifierBiologicalSex=\"HKBiologicalSexFemale\" HKCharacteristicTypeIdentifierBloodType=\"HKBloodTypeNotSet\" HKCharacteristicTypeIdentifierFitzpatrickSkinType=\"HKFitzpatrickSkinTypeNotSet\" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse=\"None\"/>\n",
            stamp(self.start + Duration::days(i64::from(self.n_days)), 540)
        )?;
        let record = |out: &mut Counting<_>,
                      kind: &str,
                      src: &str,
                      unit: &str,
                      from: String,
                      to: String,
                      value: &str| {
            write!(
                out,
                " <Record type=\"HKQuantityTypeIdentifier{kind}\" {src} unit=\"{unit}\" creationDate=\"{to}\" startDate=\"{from}\" endDate=\"{to}\" value=\"{value}\""
            )
        };
        // Steps: the phone and the watch both count, hourly chunks from 07:00 to 22:00.
        for day in &days {
            for src in [PHONE, WATCH] {
                for hour in 7..22 {
                    let n = noise.around(450.0, 350.0).round().max(0.0);
                    record(
                        &mut out,
                        "StepCount",
                        src,
                        "count",
                        stamp(*day, hour * 60),
                        stamp(*day, hour * 60 + 50),
                        &n.to_string(),
                    )?;
                    out.write_all(b"/>\n")?;
                }
            }
        }
        // Heart rate through the day, each with Apple's motion-context metadata.
        let every = self.heart_rate_every_minutes.max(1);
        for day in &days {
            for minute in (0..24 * 60).step_by(every as usize) {
                let awake = (7 * 60..23 * 60).contains(&minute);
                let bpm = noise.around(if awake { 78.0 } else { 58.0 }, 9.0).round();
                record(
                    &mut out,
                    "HeartRate",
                    WATCH,
                    "count/min",
                    stamp(*day, minute),
                    stamp(*day, minute),
                    &bpm.to_string(),
                )?;
                out.write_all(
                    b">\n  <MetadataEntry key=\"HKMetadataKeyHeartRateMotionContext\" value=\"0\"/>\n </Record>\n",
                )?;
            }
        }
        for day in &days {
            let rhr = noise.around(61.0, 4.0).round();
            record(
                &mut out,
                "RestingHeartRate",
                WATCH,
                "count/min",
                stamp(*day, 0),
                stamp(*day, 1439),
                &rhr.to_string(),
            )?;
            out.write_all(b"/>\n")?;
        }
        for day in &days {
            for minute in [150u32, 420, 1260] {
                let sdnn = format!("{:.4}", noise.around(42.0, 15.0));
                record(
                    &mut out,
                    "HeartRateVariabilitySDNN",
                    WATCH,
                    "ms",
                    stamp(*day, minute),
                    stamp(*day, minute + 1),
                    &sdnn,
                )?;
                out.write_all(b">\n  <HeartRateVariabilityMetadataList>\n")?;
                for beat in 0..8 {
                    let bpm = noise.around(62.0, 5.0).round();
                    writeln!(
                        out,
                        "   <InstantaneousBeatsPerMinute bpm=\"{bpm}\" time=\"{}:{:02}:{:02}.{beat}3 AM\"/>",
                        minute / 60 % 12,
                        minute % 60,
                        beat * 7
                    )?;
                }
                out.write_all(b"  </HeartRateVariabilityMetadataList>\n </Record>\n")?;
            }
        }
        for day in &days {
            for minute in [90u32, 200, 310] {
                let spo2 = format!("{:.2}", noise.around(0.965, 0.02).min(1.0));
                record(&mut out, "OxygenSaturation", WATCH, "%", stamp(*day, minute), stamp(*day, minute), &spo2)?;
                out.write_all(b"/>\n")?;
            }
        }
        let bp_days = &days[days.len().saturating_sub(self.n_bp_days as usize)..];
        let bp_values: Vec<(Date, u32, f64, f64)> = bp_days
            .iter()
            .flat_map(|d| [(*d, 7 * 60 + 5), (*d, 7 * 60 + 7), (*d, 21 * 60 + 10), (*d, 21 * 60 + 12)])
            .map(|(d, m)| (d, m, noise.around(138.0, 8.0).round(), noise.around(86.0, 5.0).round()))
            .collect();
        // The stand-alone copies Apple writes beside each correlation.
        for (kind, pick) in [("BloodPressureSystolic", 0), ("BloodPressureDiastolic", 1)] {
            for (day, minute, s, d) in &bp_values {
                let v = if pick == 0 { s } else { d };
                record(&mut out, kind, CUFF, "mmHg", stamp(*day, *minute), stamp(*day, *minute), &v.to_string())?;
                out.write_all(b"/>\n")?;
            }
        }
        // Sleep stages: core, deep, REM through the night, plus the in-bed span.
        for day in &days {
            let night = *day + Duration::days(1);
            writeln!(out, " <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" {WATCH} creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\" value=\"HKCategoryValueSleepAnalysisInBed\"/>", stamp(night, 420), stamp(*day, 1380), stamp(night, 420))?;
            let mut at = 1400u32;
            for stage in ["AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake", "AsleepCore", "AsleepREM"] {
                let length = noise.around(60.0, 15.0).round() as u32;
                let (from_day, from) = if at >= 1440 { (night, at - 1440) } else { (*day, at) };
                let end = at + length;
                let (to_day, to) = if end >= 1440 { (night, end - 1440) } else { (*day, end) };
                writeln!(out, " <Record type=\"HKCategoryTypeIdentifierSleepAnalysis\" {WATCH} creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\" value=\"HKCategoryValueSleepAnalysis{stage}\"/>", stamp(to_day, to), stamp(from_day, from), stamp(to_day, to))?;
                at = end;
            }
        }
        for (day, minute, s, d) in &bp_values {
            let t = stamp(*day, *minute);
            writeln!(out, " <Correlation type=\"HKCorrelationTypeIdentifierBloodPressure\" {CUFF} creationDate=\"{t}\" startDate=\"{t}\" endDate=\"{t}\">")?;
            writeln!(out, "  <Record type=\"HKQuantityTypeIdentifierBloodPressureDiastolic\" {CUFF} unit=\"mmHg\" creationDate=\"{t}\" startDate=\"{t}\" endDate=\"{t}\" value=\"{d}\"/>")?;
            writeln!(out, "  <Record type=\"HKQuantityTypeIdentifierBloodPressureSystolic\" {CUFF} unit=\"mmHg\" creationDate=\"{t}\" startDate=\"{t}\" endDate=\"{t}\" value=\"{s}\"/>")?;
            writeln!(out, " </Correlation>")?;
        }
        if let Some(day) = days.first() {
            writeln!(out, " <Workout workoutActivityType=\"HKWorkoutActivityTypeWalking\" duration=\"32.5\" durationUnit=\"min\" {WATCH} creationDate=\"{}\" startDate=\"{}\" endDate=\"{}\">\n  <WorkoutStatistics type=\"HKQuantityTypeIdentifierHeartRate\" startDate=\"{}\" endDate=\"{}\" average=\"104\" minimum=\"88\" maximum=\"121\" unit=\"count/min\"/>\n </Workout>", stamp(*day, 1100), stamp(*day, 1067), stamp(*day, 1100), stamp(*day, 1067), stamp(*day, 1100))?;
        }
        for day in &days {
            writeln!(out, " <ActivitySummary dateComponents=\"{day}\" activeEnergyBurned=\"412.3\" activeEnergyBurnedGoal=\"450\" activeEnergyBurnedUnit=\"kcal\" appleExerciseTime=\"24\" appleExerciseTimeGoal=\"30\" appleStandHours=\"10\" appleStandHoursGoal=\"12\"/>")?;
        }
        out.write_all(b"</HealthData>\n")?;
        Ok(out.n)
    }

    /// The bytes one day adds (measured on a 10-day export), for sizing a target file.
    pub fn bytes_per_day(&self) -> u64 {
        let probe = SyntheticExport { n_days: 10, n_bp_days: 0, ..self.clone() };
        probe.write(io::sink()).map_or(1, |n| n / 10).max(1)
    }
}

struct Counting<W> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
