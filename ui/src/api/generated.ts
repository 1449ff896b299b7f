// Generated from crates/twin-app/src/typescript.rs by `UPDATE_TS=1 cargo test -p twin-app`. Do not edit.

export type ErrorCode = "validation" | "notFound" | "io" | "storeLocked" | "store" | "busy" | "tampered" | "fhirAuth" | "fhirUnavailable" | "cancelled";

export type AppError = { 
/**
 * The kind.
 */
code: ErrorCode, 
/**
 * One line for people.
 */
message: string, };

export type PatientListItem = { 
/**
 * Patient id in its source.
 */
id: string, 
/**
 * Display name.
 */
name: string, 
/**
 * `female`, `male` or `unknown`.
 */
sex: string, 
/**
 * Age in years today, where the birth date is known.
 */
age: number | null, 
/**
 * Active mapped conditions, as labels.
 */
conditions: Array<string>, 
/**
 * Whether the source marks the patient as synthetic.
 */
synthetic: boolean, 
/**
 * Date of the most recent measurement.
 */
lastSeen: string | null, 
/**
 * Where the record comes from.
 */
origin: PatientOrigin, 
/**
 * Days since it was fetched or imported, for cached patients.
 */
cachedDaysAgo: number | null, };

export type PatientOrigin = "demo" | "cache" | "file";

export type PatientList = { 
/**
 * Readable patients, in file order.
 */
patients: Array<PatientListItem>, 
/**
 * One error per unreadable file.
 */
unreadable: Array<AppError>, 
/**
 * Why the offline cache is not listed, when it could not be opened.
 */
cacheProblem: AppError | null, };

export type LatestValue = { 
/**
 * Machine key, e.g. `sbp`.
 */
key: string, 
/**
 * Label for people.
 */
label: string, 
/**
 * Value in `unit`.
 */
value: number, 
/**
 * Unit symbol.
 */
unit: string, 
/**
 * When measured.
 */
date: string, 
/**
 * Source resource.
 */
source: string, 
/**
 * How many values of this kind the record holds.
 */
count: number, };

export type FindingView = { 
/**
 * Machine key, e.g. `atrial_fibrillation` or `nyha_ii`.
 */
key: string, 
/**
 * Label for people, e.g. "Atrial fibrillation" or "NYHA II".
 */
label: string, 
/**
 * When it was recorded.
 */
date: string, 
/**
 * Source resource.
 */
source: string, };

export type MedicationView = { 
/**
 * Source display text.
 */
display: string, 
/**
 * Ingredient, where mapped.
 */
agent: string | null, 
/**
 * Class label, where mapped.
 */
class: string | null, 
/**
 * Daily dose in mg, where known.
 */
dailyDoseMg: number | null, 
/**
 * `half`, `standard` or `double`, where known.
 */
doseLevel: string | null, 
/**
 * Start date.
 */
start: string | null, 
/**
 * End date; `null` while ongoing.
 */
end: string | null, 
/**
 * Proportion of days covered by dispensing, where known.
 */
adherence: number | null, 
/**
 * Source resource.
 */
source: string, };

export type CodedItem = { 
/**
 * Mapped label, or the source display when unmapped.
 */
label: string, 
/**
 * `system|code`.
 */
code: string, 
/**
 * Whether we map this code.
 */
mapped: boolean, 
/**
 * Onset or date performed.
 */
date: string | null, 
/**
 * Source resource.
 */
source: string, };

export type ProblemView = { 
/**
 * `Type/id`.
 */
resource: string, 
/**
 * Why.
 */
reason: string, };

export type PatientSummary = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Display name.
 */
name: string, 
/**
 * `female`, `male` or `unknown`.
 */
sex: string, 
/**
 * Birth date.
 */
birthDate: string | null, 
/**
 * Age on the consultation day.
 */
age: number | null, 
/**
 * The consultation day (ISO date) the summary is computed for: ages, active medications and
 * staleness are as of it, and the screens date what they print by it.
 */
asOf: string, 
/**
 * Whether the source marks the patient as synthetic.
 */
synthetic: boolean, 
/**
 * Smoking status, where recorded.
 */
smoking: string | null, 
/**
 * Latest value of each measurement the record holds.
 */
latest: Array<LatestValue>, 
/**
 * The latest heart rhythm on an ECG, where recorded.
 */
rhythm: FindingView | null, 
/**
 * The latest NYHA functional class, where recorded.
 */
functionalClass: FindingView | null, 
/**
 * Medications active today.
 */
activeMedications: Array<MedicationView>, 
/**
 * Medications no longer taken.
 */
pastMedications: Array<MedicationView>, 
/**
 * Active conditions.
 */
conditions: Array<CodedItem>, 
/**
 * Procedures.
 */
procedures: Array<CodedItem>, 
/**
 * Resources that could not be used.
 */
problems: Array<ProblemView>, 
/**
 * Resources received, per type.
 */
resourceCounts: Record<string, number>, 
/**
 * Codes we do not map, with counts.
 */
unmapped: Record<string, number>, 
/**
 * How old the twin's inputs are on the consultation day, which are older than their limit
 * and what to re-measure; `null` where the summary is shown without the session's limits.
 */
freshness: FreshnessView | null, 
/**
 * Facts read from clinical notes' text, each with its sentence (twin-notes).
 */
noteFacts: Array<NoteFactView>, };

export type NoteFactUse = "recorded" | "structuredWins" | "notAffirmed" | "shownOnly";

export type NoteFactView = { 
/**
 * The note's resource, `DocumentReference/<id>` or `DiagnosticReport/<id>`.
 */
document: string, 
/**
 * The note's title ("Cardiology clinic letter", "Echocardiogram"), or "Note".
 */
title: string, 
/**
 * The note's date (ISO), when it has one.
 */
date: string | null, 
/**
 * The page of the PDF attachment the sentence is on, when the text came from a PDF;
 * `null` for plain text.
 */
pdfPage: number | null, 
/**
 * The fact type: `lvef`, `nyha`, `valve`, `lvh`, `smoking`, `homebp`, `symptom`, `intolerance`.
 */
kind: string, 
/**
 * The fact in plain words with its context ("no chest pain").
 */
text: string, 
/**
 * The sentence, split around the fact's words so the screen can mark them without
 * converting byte offsets: `before` + `words` + `after` is the sentence.
 */
before: string, 
/**
 * The words that state the fact.
 */
words: string, 
/**
 * The rest of the sentence.
 */
after: string, 
/**
 * Stated as absent.
 */
negated: boolean, 
/**
 * Stated as past.
 */
historical: boolean, 
/**
 * Stated as possible or conditional.
 */
hypothetical: boolean, 
/**
 * About someone other than the patient.
 */
otherPerson: boolean, 
/**
 * The rule's confidence, 0–1 (a prior per rule, not a calibrated probability).
 */
confidence: number, 
/**
 * Whether it reached the record.
 */
used: NoteFactUse, };

export type SeriesPoint = { 
/**
 * Date.
 */
date: string, 
/**
 * Value.
 */
value: number, 
/**
 * Source resource.
 */
source: string, };

export type Series = { 
/**
 * Machine key.
 */
key: string, 
/**
 * Label.
 */
label: string, 
/**
 * Unit symbol.
 */
unit: string, 
/**
 * Points in date order.
 */
points: Array<SeriesPoint>, };

export type RiskContrastView = { 
/**
 * Difference, percentage points (negative: lower).
 */
points: number, 
/**
 * Difference relative to the reference, % (−25: a quarter lower); absent for a reference of 0.
 */
relativePercent: number | null, 
/**
 * People treated over the horizon for one event fewer (`toTreat`) or one more; absent when
 * the difference is negligible.
 */
numberNeeded: number | null, 
/**
 * Whether `numberNeeded` counts people to treat (a fall) rather than to harm (a rise).
 */
toTreat: boolean, };

export type OutcomeView = { 
/**
 * `cardiovascular_events` or `heart_failure`.
 */
kind: OutcomeKind, 
/**
 * The outcome for a label: "Major CV event" or "Death from any cause".
 */
label: string, 
/**
 * The horizon the screens read the risk at, years.
 */
horizonYears: number, 
/**
 * Whether a first HF hospitalisation is projected too (`hf_hospitalisation`).
 */
hospitalisation: boolean, };

export type OutcomeKind = "cardiovascular_events" | "heart_failure";

export type ContributionView = { 
/**
 * Factor name.
 */
factor: string, 
/**
 * Contribution to the linear predictor, relative to the reference person.
 */
value: number, };

export type RiskFigure = { 
/**
 * Risk as a fraction in [0, 1]; `null` when not computed.
 */
value: number | null, 
/**
 * Why it was not computed.
 */
reason: string | null, 
/**
 * The reference person's risk under the same equation.
 */
referenceRisk: number | null, 
/**
 * Who the reference person is.
 */
reference: string, 
/**
 * Per-factor contributions, largest first; they sum to the patient's minus the reference's
 * linear predictor.
 */
contributions: Array<ContributionView>, 
/**
 * Plain-language sentences built from the numbers above.
 */
explanation: Array<string>, 
/**
 * What the equation did with the inputs that a reader should know (an optional value set
 * aside as out of range, say).
 */
notes: Array<string>, 
/**
 * The equation's published source.
 */
source: string, 
/**
 * The polygenic risk score on record, applied on top of this figure or why not; shown
 * beside it, never folded into `value` (which stays the equation's). `null` when no score
 * is on record (and for values given one by one).
 */
genetic: GeneticLine | null, };

export type GeneticLine = { 
/**
 * Whether the score was applied to this figure.
 */
applied: boolean, 
/**
 * The score as recorded, in words (`metaGRS, 82nd percentile, European ancestry`).
 */
score: string, 
/**
 * The equation's figure the score was applied to: this figure's own, or, for PREVENT's total
 * CVD (which counts heart failure, which the score is not calibrated for), PREVENT's ASCVD.
 */
appliedTo: string, 
/**
 * That figure's risk, before the score; `null` when not applied.
 */
base: number | null, 
/**
 * The figure with the score applied; `null` when not applied.
 */
risk: number | null, 
/**
 * Its range from the hazard ratio's 95% CI, low end.
 */
riskLow: number | null, 
/**
 * Its range, high end.
 */
riskHigh: number | null, 
/**
 * The line as the explanation shows it.
 */
sentence: string, 
/**
 * Why it was not applied, in plain words.
 */
reason: string | null, 
/**
 * The calibration used: hazard ratio per SD, its source and what it was adjusted for.
 */
calibration: string | null, 
/**
 * The Observation the score came from.
 */
source: string, 
/**
 * Its date (ISO 8601).
 */
date: string, };

export type PceReport = { 
/**
 * 10-year hard ASCVD.
 */
ascvd_10y: RiskFigure, };

export type PreventReport = { 
/**
 * Which model: `base`, `hba1c`, `uacr` or `full`.
 */
model: string, 
/**
 * The model in words.
 */
modelLabel: string, 
/**
 * 10-year total CVD.
 */
cvd_10y: RiskFigure, 
/**
 * 10-year ASCVD.
 */
ascvd_10y: RiskFigure, 
/**
 * 10-year heart failure.
 */
hf_10y: RiskFigure, 
/**
 * 30-year total CVD.
 */
cvd_30y: RiskFigure, 
/**
 * 30-year ASCVD.
 */
ascvd_30y: RiskFigure, 
/**
 * 30-year heart failure.
 */
hf_30y: RiskFigure, };

export type Score2Report = { 
/**
 * 10-year fatal and non-fatal CVD.
 */
cvd_10y: RiskFigure, };

export type Score2DiabetesReport = { 
/**
 * 10-year fatal and non-fatal CVD.
 */
cvd_10y: RiskFigure, };

export type Smart2Report = { 
/**
 * 10-year recurrent MI, stroke or vascular death.
 */
recurrent_10y: RiskFigure, };

export type MaggicReport = { 
/**
 * The integer score, 0–50; `null` when not computed.
 */
score: number | null, 
/**
 * Probability of death within 1 year.
 */
death_1y: number | null, 
/**
 * Probability of death within 3 years.
 */
death_3y: number | null, 
/**
 * Points per factor.
 */
points: Array<PointsView>, 
/**
 * Why it was not computed.
 */
reason: string | null, 
/**
 * Plain-language sentences.
 */
explanation: Array<string>, 
/**
 * The score's published source.
 */
source: string, };

export type PointsView = { 
/**
 * Factor.
 */
factor: string, 
/**
 * Points (0 when the factor adds none).
 */
points: number, };

export type SelectedModel = { 
/**
 * `smart2`, `maggic`, `score2Diabetes` or `prevent`.
 */
key: string, 
/**
 * Its name.
 */
label: string, 
/**
 * Why this one, in plain words.
 */
why: string, };

export type InputUsed = { 
/**
 * Input name.
 */
name: string, 
/**
 * Value as text, with unit.
 */
value: string, 
/**
 * Date of the measurement, where it is one.
 */
date: string | null, 
/**
 * Source resource, where it is one.
 */
source: string | null, };

export type AfItemView = { 
/**
 * The score's letter(s) (`C`, `A₂`, `S₂`).
 */
letter: string, 
/**
 * The item in words.
 */
label: string, 
/**
 * Points scored; `null` when its input is not on record.
 */
points: number | null, 
/**
 * The points the item gives when present.
 */
weight: number, 
/**
 * The input it rests on.
 */
input: string, 
/**
 * The input's value as text (`133 mmHg`, `none on record`).
 */
value: string, 
/**
 * The date of the reading or diagnosis, where there is one.
 */
date: string | null, 
/**
 * The source resource, where there is one.
 */
source: string | null, };

export type AfScoreView = { 
/**
 * `cha2ds2Va`, `cha2ds2Vasc` or `hasBled`.
 */
key: string, 
/**
 * Its name.
 */
label: string, 
/**
 * The total; `null` when an input is not on record.
 */
total: number | null, 
/**
 * The points of the items that could be scored (the total is at least this).
 */
atLeast: number, 
/**
 * The highest total.
 */
max: number, 
/**
 * Every item, in the score's order.
 */
items: Array<AfItemView>, 
/**
 * Why the total is not complete: one sentence per missing input.
 */
missing: Array<string>, 
/**
 * What the guideline says at this total.
 */
recommendation: string, 
/**
 * The published source.
 */
source: string, };

export type AfReport = { 
/**
 * The atrial fibrillation diagnosis the scores are for (`Condition/id`).
 */
diagnosis: string, 
/**
 * CHA₂DS₂-VA (ESC 2024).
 */
cha2ds2Va: AfScoreView, 
/**
 * CHA₂DS₂-VASc (Lip 2010; ACC/AHA/ACCP/HRS 2023).
 */
cha2ds2Vasc: AfScoreView, 
/**
 * HAS-BLED (Pisters 2010).
 */
hasBled: AfScoreView, 
/**
 * What the projected event risk leaves out: atrial fibrillation's stroke risk, which
 * CHA₂DS₂-VA stands for.
 */
eventModelNote: string, };

export type RiskReport = { 
/**
 * Pooled Cohort Equations.
 */
pce: PceReport, 
/**
 * PREVENT.
 */
prevent: PreventReport, 
/**
 * SCORE2 / SCORE2-OP.
 */
score2: Score2Report, 
/**
 * SCORE2-Diabetes.
 */
score2Diabetes: Score2DiabetesReport, 
/**
 * SMART2.
 */
smart2: Smart2Report, 
/**
 * MAGGIC.
 */
maggic: MaggicReport, 
/**
 * The model meant for this patient, and why.
 */
selected: SelectedModel, 
/**
 * The inputs used (from a record: latest values, with dates and sources).
 */
inputs: Array<InputUsed>, 
/**
 * A reminder of what these numbers are.
 */
caveat: string, 
/**
 * Why these equations do not apply to this patient, when they do not (established
 * cardiovascular disease or heart failure on record).
 */
notApplicable: string | null, 
/**
 * How old the readings behind this answer are on the consultation day, which are older than
 * their limit and what to re-measure; `null` when the answer is not built from a record.
 */
freshness: FreshnessView | null, 
/**
 * Atrial fibrillation's stroke and bleeding scores (CHA₂DS₂-VA, CHA₂DS₂-VASc, HAS-BLED) when
 * active atrial fibrillation is on record; `null` otherwise, and for values given one by one.
 */
af: AfReport | null, };

export type ParamView = { 
/**
 * Name.
 */
name: string, 
/**
 * Value.
 */
value: number, 
/**
 * Unit.
 */
unit: string, 
/**
 * 5th percentile (log-normal Laplace approximation); `null` when not fitted.
 */
low90: number | null, 
/**
 * 95th percentile; `null` when not fitted.
 */
high90: number | null, };

export type HemodynamicsView = { 
/**
 * Systolic pressure, mmHg.
 */
sbp: number, 
/**
 * Diastolic pressure, mmHg.
 */
dbp: number, 
/**
 * Mean arterial pressure, mmHg.
 */
map: number, 
/**
 * End-diastolic volume, mL.
 */
edv: number, 
/**
 * End-systolic volume, mL.
 */
esv: number, 
/**
 * Stroke volume, mL.
 */
strokeVolume: number, 
/**
 * Ejection fraction, %.
 */
ejectionFraction: number, 
/**
 * Cardiac output, L/min.
 */
cardiacOutput: number, 
/**
 * Heart rate, bpm.
 */
heartRate: number, };

export type PvLoop = { 
/**
 * LV volume, mL.
 */
volume: Array<number>, 
/**
 * LV pressure, mmHg.
 */
lvPressure: Array<number>, 
/**
 * Aortic pressure, mmHg.
 */
aorticPressure: Array<number>, };

export type FitView = { 
/**
 * Measurement name; `cardiac_output_prior` is the population prior, not a measurement.
 */
name: string, 
/**
 * Measured (mean of recent readings), or the prior's mean.
 */
measured: number, 
/**
 * Its SD as used in the fit.
 */
sd: number, 
/**
 * Model minus measured.
 */
residual: number, 
/**
 * Readings averaged (0 for a prior).
 */
nReadings: number, };

export type HeartMarkersView = { 
/**
 * The latest measured LVEF (echo or MRI), where on record.
 */
lvef: LatestValue | null, 
/**
 * The latest NT-proBNP, where on record.
 */
ntProbnp: LatestValue | null, 
/**
 * The latest BNP, where on record (not interchangeable with NT-proBNP: shown apart).
 */
bnp: LatestValue | null, 
/**
 * The latest QRS duration, where on record.
 */
qrsDuration: LatestValue | null, 
/**
 * The latest heart rhythm on an ECG, where on record.
 */
rhythm: FindingView | null, 
/**
 * Whether an active left bundle-branch block is on record (diagnosis or ECG finding).
 */
leftBundleBranchBlock: boolean, };

export type TwinView = { 
/**
 * `reference` or the patient id.
 */
subject: string, 
/**
 * Parameters (fitted ones with intervals).
 */
params: Array<ParamView>, 
/**
 * Output at the parameters.
 */
hemodynamics: HemodynamicsView, 
/**
 * Targets and residuals (empty for the reference adult).
 */
fit: Array<FitView>, 
/**
 * The PV loop.
 */
pvLoop: PvLoop, 
/**
 * LM iterations (0 for the reference).
 */
nIterations: number, 
/**
 * Model solves.
 */
nSolves: number, 
/**
 * How well this patient's twin predicted their last year; `null` for the reference adult.
 */
hindcast: PersonalHindcast | null, 
/**
 * How old the readings behind this answer are on the consultation day, which are older than
 * their limit and what to re-measure; `null` when the answer is not built from a record.
 */
freshness: FreshnessView | null, 
/**
 * The measured LVEF and heart-failure markers on record; `null` for the reference adult.
 */
markers: HeartMarkersView | null, };

export type OpenPanelArgs = { 
/**
 * The panel result on this machine (a `.parquet` file `cardiotwin panel` wrote).
 */
path: string, };

export type WorklistRow = { 
/**
 * FHIR Patient id.
 */
patientId: string, 
/**
 * The scenario this row is from.
 */
scenario: string, 
/**
 * The event model behind the risk.
 */
eventModel: string | null, 
/**
 * Risk under today's treatment over `risk_years`, %: median.
 */
riskPct: number | null, 
/**
 * The horizon of `risk_pct`, years (10; MAGGIC's 3 in heart failure).
 */
riskYears: number | null, 
/**
 * The suggested plan's absolute risk reduction, percentage points: median.
 */
benefitPct: number | null, 
/**
 * Its 5th percentile.
 */
benefitP5: number | null, 
/**
 * Its 95th percentile.
 */
benefitP95: number | null, 
/**
 * Over how many years the benefit is counted.
 */
benefitYears: number | null, 
/**
 * The suggested plan's first step.
 */
firstStep: string | null, 
/**
 * The guideline set the plan was searched under (ESC in results written before panels
 * recorded it: those runs could use no other).
 */
guidelines: GuidelineSet | null, 
/**
 * Safety rules firing on today's regimen, by id.
 */
alerts: Array<string>, 
/**
 * Inputs older than their limit.
 */
staleInputs: Array<string>, 
/**
 * Why the patient has no projection (a code), when skipped.
 */
skipReason: string | null, 
/**
 * The same in words.
 */
skipDetail: string | null, 
/**
 * Whether the workstation holds this patient (demo set or offline cache), so a click
 * opens it.
 */
openable: boolean, 
/**
 * The patient's name where this workstation holds the record (the panel file keeps ids only).
 */
name: string | null, };

export type Worklist = { 
/**
 * The file's name (not its folder).
 */
file: string, 
/**
 * Patients projected, best expected benefit first, then most alerts.
 */
rows: Array<WorklistRow>, 
/**
 * Patients skipped, with their reason, by id.
 */
skipped: Array<WorklistRow>, 
/**
 * The guideline set the plans follow, when every projected row names the same one; the
 * screen says so beside the settings' choice, so a panel run under ESC is not read as
 * ACC/AHA advice (or the other way round).
 */
guidelines: GuidelineSet | null, };

export type OutputKey = "sbp" | "dbp" | "heart_rate" | "ldl" | "hdl" | "weight" | "egfr" | "stiffness" | "lvef" | "event_risk" | "cardiac_output" | "bp_drugs" | "hf_hospitalisation";

export type OutputBand = { 
/**
 * Which output.
 */
output: OutputKey, 
/**
 * Label for people.
 */
label: string, 
/**
 * Unit.
 */
unit: string, 
/**
 * 5th percentile per month.
 */
p5: Array<number>, 
/**
 * Median per month.
 */
p50: Array<number>, 
/**
 * 95th percentile per month.
 */
p95: Array<number>, };

export type SourceView = { 
/**
 * What it supplied.
 */
what: string, 
/**
 * The reference.
 */
reference: string, };

export type ResponseView = { 
/**
 * Mean (1 = the average patient).
 */
mean: number, 
/**
 * SD.
 */
sd: number, 
/**
 * Past drug starts it learned from.
 */
nUpdates: number, 
/**
 * How far the record moved it from the trial average (mean − 1; 0 = not at all).
 */
moved: number, 
/**
 * The prior SD it started from (trial between-person variation).
 */
priorSd: number, };

export type Projection = { 
/**
 * Patient id.
 */
patient: string, 
/**
 * Scenario name.
 */
scenario: string, 
/**
 * Its interventions, as labels.
 */
interventions: Array<string>, 
/**
 * Months projected.
 */
months: number, 
/**
 * Ensemble members.
 */
members: number, 
/**
 * Seed.
 */
seed: bigint, 
/**
 * Trajectories with 5–95% bands.
 */
outputs: Array<OutputBand>, 
/**
 * The event model behind `event_risk`, or why there is none.
 */
eventModel: string, 
/**
 * Whether an event model applies (false: `event_risk` is not projected, and `event_model`
 * says why).
 */
hasEventModel: boolean, 
/**
 * What `event_risk` is a probability of, and the horizon to read it at.
 */
outcome: OutcomeView, 
/**
 * Every reference this projection used, and what each supplied.
 */
sources: Array<SourceView>, 
/**
 * BP response factor.
 */
bpResponse: ResponseView, 
/**
 * LDL-C response factor.
 */
ldlResponse: ResponseView, 
/**
 * Caveats about this projection.
 */
notes: Array<string>, 
/**
 * Which executor ran the ensemble, and why.
 */
backend: string, 
/**
 * The learned model's hybrid forecast (engine + learned residual), or why there is none.
 */
learned: LearnedView, 
/**
 * How well this twin predicted the patient's last year (mechanistic and hybrid).
 */
hindcast: PersonalHindcast, 
/**
 * How old the readings behind this answer are on the consultation day, which are older than
 * their limit and what to re-measure; `null` when the answer is not built from a record.
 */
freshness: FreshnessView | null, };

export type LearnedView = { 
/**
 * Whether a learned model ran.
 */
available: boolean, 
/**
 * What it is, or why it did not run.
 */
note: string, 
/**
 * The forecast, when it ran.
 */
rows: Array<LearnedRow>, 
/**
 * Sampled trajectories: each lists a reading per row of `rows`, in the same order (target,
 * then horizon). The same draws under every scenario, so paths pair across scenarios.
 */
samples: Array<Array<number>>, };

export type LearnedRow = { 
/**
 * Target (`sbp`, `dbp`, `ldl_cholesterol`, `heart_rate`).
 */
target: string, 
/**
 * Months from today.
 */
horizonMonths: number, 
/**
 * The engine's mean.
 */
engine: number, 
/**
 * What the learned model adds.
 */
residual: number, 
/**
 * Engine + residual.
 */
hybrid: number, 
/**
 * 5th and 95th percentiles of a reading around the hybrid.
 */
lo: number, 
/**
 * 95th percentile.
 */
hi: number, };

export type PersonalHindcast = { 
/**
 * Whether the hindcast ran.
 */
available: boolean, 
/**
 * What it is, or why it did not run, in a sentence.
 */
note: string, 
/**
 * The day the twin was rebuilt at (ISO), when it ran.
 */
cut: string | null, 
/**
 * The latest reading (ISO): the end of the held-out year.
 */
end: string | null, 
/**
 * Months held out.
 */
months: number, 
/**
 * The mechanistic twin, per measurement with readings in the year.
 */
rows: Array<HindcastRow>, 
/**
 * Every held-out reading.
 */
points: Array<HindcastPoint>, 
/**
 * The learned hybrid, per target; empty when the learned model did not run.
 */
hybrid: Array<HybridHindcastRow>, 
/**
 * What the hybrid part is, or why it is absent.
 */
hybridNote: string, };

export type HindcastRow = { 
/**
 * Measurement (`sbp`, …).
 */
measurement: string, 
/**
 * Label for people.
 */
label: string, 
/**
 * Canonical unit.
 */
unit: string, 
/**
 * Readings in the held-out year.
 */
readings: number, 
/**
 * Of them, inside the 90% interval.
 */
inside: number, 
/**
 * Mean |reading − prediction|.
 */
meanAbsError: number, 
/**
 * Mean (reading − prediction): above 0, the twin predicted too low.
 */
bias: number, };

export type HindcastPoint = { 
/**
 * Measurement (`sbp`, `ldl_cholesterol`, …).
 */
measurement: string, 
/**
 * ISO date of the reading.
 */
date: string, 
/**
 * The reading.
 */
observed: number, 
/**
 * What the twin of a year before said (median usual value).
 */
predicted: number, 
/**
 * 5th percentile of a reading that month.
 */
lo: number, 
/**
 * 95th percentile.
 */
hi: number, };

export type HybridHindcastRow = { 
/**
 * Target (`sbp`, `dbp`, `ldl_cholesterol`, `heart_rate`).
 */
target: string, 
/**
 * Horizons (1, 3, 6, 12 months) with a reading near them.
 */
points: number, 
/**
 * Mean |reading − engine mean| on those readings.
 */
engineAbsError: number, 
/**
 * Mean |reading − hybrid mean|.
 */
hybridAbsError: number, 
/**
 * Readings inside the hybrid's 90% interval.
 */
hybridInside: number, };

export type Difference = { 
/**
 * Month.
 */
month: number, 
/**
 * Which output.
 */
output: OutputKey, 
/**
 * Median of (this − first) over paired members.
 */
median: number, 
/**
 * 5th percentile.
 */
p5: number, 
/**
 * 95th percentile.
 */
p95: number, 
/**
 * For event risk: the median difference in percentage points, relative to the reference
 * scenario's median risk at that month, and the number needed to treat or harm by then.
 */
contrast: RiskContrastView | null, };

export type Share = { 
/**
 * Intervention label, or `interaction` for what is not additive.
 */
intervention: string, 
/**
 * Month.
 */
month: number, 
/**
 * Which output.
 */
output: OutputKey, 
/**
 * Contribution.
 */
value: number, };

export type ScenarioDifference = { 
/**
 * This scenario's name.
 */
scenario: string, 
/**
 * Against this one.
 */
against: string, 
/**
 * Differences at 6 months, 1, 5 and 10 years (within the horizon).
 */
differences: Array<Difference>, 
/**
 * Shares of each intervention.
 */
shares: Array<Share>, 
/**
 * Plain-language sentences from the numbers.
 */
explanation: Array<string>, };

export type Comparison = { 
/**
 * Each scenario's projection.
 */
projections: Array<Projection>, 
/**
 * Each later scenario against the first.
 */
differences: Array<ScenarioDifference>, };

export type CachedPatient = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Name.
 */
name: string, 
/**
 * When fetched (RFC 3339).
 */
fetchedAt: string, 
/**
 * Where from.
 */
source: string, 
/**
 * Days since fetched (staleness).
 */
ageDays: number, };

export type CacheList = { 
/**
 * Patients.
 */
patients: Array<CachedPatient>, 
/**
 * Corrupt records moved to quarantine while listing.
 */
quarantined: Array<string>, };

export type AuditView = { 
/**
 * Sequence number.
 */
seq: bigint, 
/**
 * Time.
 */
time: string, 
/**
 * Who.
 */
user: string, 
/**
 * The clinician's role, where the log recorded one.
 */
userRole?: string, 
/**
 * The clinician's professional identifier, where the log recorded one.
 */
userIdentifier?: string, 
/**
 * Patient id.
 */
patientId: string, 
/**
 * Suggestion.
 */
suggestion: string, 
/**
 * `accepted`, `modified`, `declined`.
 */
decision: string, 
/**
 * Modification.
 */
modification: string | null, 
/**
 * Reason.
 */
reason: string | null, 
/**
 * Engine version.
 */
engineVersion: string, 
/**
 * Model version.
 */
modelVersion: string, 
/**
 * Inputs hash.
 */
inputsHash: string, 
/**
 * The id the recording screen gave the decision (absent on entries recorded without one).
 */
decisionId?: string, 
/**
 * Chain hash.
 */
hash: string, };

export type AuditCheck = { 
/**
 * Whether the log is intact.
 */
intact: boolean, 
/**
 * Entries that check out.
 */
nGood: bigint, 
/**
 * First bad sequence number.
 */
firstBadSeq: bigint | null, 
/**
 * What is wrong with it.
 */
problem: string | null, };

export type LoginResult = { 
/**
 * The FHIR base signed in to.
 */
fhir: string, 
/**
 * The patient in context, when the EHR gave one.
 */
patient: string | null, 
/**
 * Scopes granted.
 */
scope: string | null, 
/**
 * Whether a refresh token was stored in the keychain.
 */
refreshTokenStored: boolean, };

export type MissingView = { 
/**
 * The search.
 */
search: string, 
/**
 * Why.
 */
reason: string, };

export type FetchReport = { 
/**
 * The harmonised record.
 */
summary: PatientSummary, 
/**
 * Searches that failed (the record is incomplete where this is not empty).
 */
missing: Array<MissingView>, 
/**
 * Pages read.
 */
nPages: number, 
/**
 * Whether the patient was written to the offline cache.
 */
cached: boolean, 
/**
 * Whether only what changed since the last fetch was asked for (the patient was held from
 * this server); `false` for a whole record.
 */
incremental: boolean, 
/**
 * Resources the server sent.
 */
nReceived: number, 
/**
 * What changed in the record since it was last held, when it was held before.
 */
changes: Changes | null, };

export type Changes = { 
/**
 * When the record was fetched before (RFC 3339, the workstation's clock).
 */
since: string, 
/**
 * New readings of measures counted by reading (BP, heart rate, weight, wearables), in
 * display order.
 */
readings: Array<NewReadings>, 
/**
 * Laboratory and echo results whose latest value changed.
 */
results: Array<LatestChange>, 
/**
 * Drugs started, stopped or changed in dose.
 */
medications: Array<MedicationChange>, 
/**
 * New conditions, by name.
 */
conditions: Array<string>, 
/**
 * New procedures, by name.
 */
procedures: Array<string>, };

export type NewReadings = { 
/**
 * The measure's key (`sbp` stands for blood pressure).
 */
key: string, 
/**
 * Its name for people ("BP" for blood pressure).
 */
label: string, 
/**
 * New readings.
 */
count: number, };

export type LatestChange = { 
/**
 * The measure's key.
 */
key: string, 
/**
 * Its name for people.
 */
label: string, 
/**
 * The unit of `before` and `after`.
 */
unit: string, 
/**
 * The latest value before the fetch; `None` when this is the first.
 */
before: number | null, 
/**
 * The latest value now.
 */
after: number, 
/**
 * When the latest value was measured (ISO date).
 */
date: string, };

export type MedicationChange = { "change": "started", 
/**
 * The drug.
 */
name: string, } | { "change": "stopped", 
/**
 * The drug.
 */
name: string, } | { "change": "doseChanged", 
/**
 * The drug.
 */
name: string, 
/**
 * Daily dose before, mg.
 */
before: number, 
/**
 * Daily dose now, mg.
 */
after: number, };

export type WhatChanged = { 
/**
 * What the last fetch changed; `None` when the record was never fetched over a held one.
 */
changes: Changes | null, };

export type EhrConnection = { 
/**
 * What the clinician calls it ("St Mary's Epic").
 */
name: string, 
/**
 * FHIR R4 base URL (https, or http on this machine only).
 */
fhirBase: string, 
/**
 * Client id registered with the EHR.
 */
clientId: string, 
/**
 * Scopes to ask for.
 */
scopes: string, };

export type Axis = "sbpLowering" | "ldlLowering" | "adherence" | "exercise" | "sbpTarget" | "ldlTarget";

export type AxisSpec = { 
/**
 * What it varies.
 */
axis: Axis, 
/**
 * First value.
 */
from: number, 
/**
 * Last value.
 */
to: number, };

export type AxisView = { 
/**
 * What it varies.
 */
axis: Axis, 
/**
 * Label.
 */
label: string, 
/**
 * Unit.
 */
unit: string, 
/**
 * The values, one per column (x) or row (y).
 */
values: Array<number>, };

export type HeatmapCell = { 
/**
 * Median event risk at the horizon (fraction); `null` without an event model.
 */
p50: number | null, 
/**
 * 5th percentile.
 */
p5: number | null, 
/**
 * 95th percentile.
 */
p95: number | null, 
/**
 * The cell's regimen in words.
 */
regimen: string, 
/**
 * The cell as a scenario, to open in the comparison.
 */
scenario: ScenarioFile, };

export type HeatmapView = { 
/**
 * Columns.
 */
x: AxisView, 
/**
 * Rows.
 */
y: AxisView, 
/**
 * Cells, row-major (row = y value, column = x value).
 */
cells: Array<HeatmapCell>, 
/**
 * Months projected (the risk is at the last).
 */
months: number, 
/**
 * Members per cell.
 */
members: number, 
/**
 * The event model behind the risk, or why there is none.
 */
eventModel: string, 
/**
 * What the risk is a probability of (in heart failure: death from any cause at 3 years).
 */
outcome: OutcomeView, 
/**
 * What a reader should know about the axes for this patient: in heart failure, BP and LDL-C
 * lowering do not move death (only heart-failure therapy, and adherence to it, do).
 */
note: string | null, 
/**
 * Which backend ran, and why.
 */
backend: string, 
/**
 * Time taken, ms.
 */
elapsedMs: number, };

export type HeatmapArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Columns.
 */
x: AxisSpec, 
/**
 * Rows.
 */
y: AxisSpec, 
/**
 * Cells a side (2–32).
 */
grid: number, 
/**
 * Members per cell, months (the risk is at the last) and seed.
 */
ensemble: EnsembleOptions, 
/**
 * Race, region, SDI for the event model.
 */
context: RiskContext, 
/**
 * Job id for progress (cells done) and cancel.
 */
job?: string, };

export type StaleLimitsView = { 
/**
 * Blood pressure and the heart rate taken with it, months.
 */
bloodPressureMonths: number, 
/**
 * Lipid profile (total, LDL and HDL cholesterol), months.
 */
lipidsMonths: number, 
/**
 * eGFR (or the creatinine it is computed from), months.
 */
egfrMonths: number, 
/**
 * HbA1c, months.
 */
hba1cMonths: number, };

export type InputAgeView = { 
/**
 * `blood_pressure`, `heart_rate`, `ldl_cholesterol`, `hdl_cholesterol`,
 * `total_cholesterol`, `kidney_function`, `hba1c` or `lvef`.
 */
measure: string, 
/**
 * Its name for people ("blood pressure").
 */
label: string, 
/**
 * The latest reading's date (ISO).
 */
lastDate: string, 
/**
 * Days from it to the consultation day.
 */
ageDays: number, 
/**
 * Months (30.44 days, rounded) from it to the consultation day.
 */
ageMonths: number, 
/**
 * The age in words ("8 months", "3 weeks", "just over 3 months").
 */
age: string, 
/**
 * The limit that applies, months; `null` for an echo LVEF (no fixed interval).
 */
limitMonths: number | null, 
/**
 * Whether it is older than its limit.
 */
stale: boolean, 
/**
 * What to re-measure, in plain words.
 */
remeasure: string, 
/**
 * One line for people, e.g. "blood pressure: last measured 2026-03-25, 8 months ago (limit
 * 3): re-measure office or home BP".
 */
sentence: string, 
/**
 * For blood pressure, the current home monitoring week that keeps it from being stale
 * ("2026-11-21 – 2026-11-26, 12 readings"); the twin still calibrates on the office BP.
 */
homeWeek?: string, 
/**
 * With a home week only: whether the office reading (what the twin calibrates on) is older
 * than the limit, though the input is not called stale.
 */
officeStale?: boolean, };

export type FreshnessView = { 
/**
 * The consultation day the ages are counted to (ISO).
 */
asOf: string, 
/**
 * The latest reading the calibration is fitted to (blood pressure, heart rate, echo LVEF);
 * `null` when the record has none.
 */
calibratedTo: string | null, 
/**
 * Months (30.44 days, rounded) from `calibratedTo` to the consultation day.
 */
calibratedMonthsBefore: number | null, 
/**
 * "model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)".
 */
calibration: string | null, 
/**
 * The inputs older than their limit, with what to re-measure (empty when none is).
 */
staleInputs: Array<InputAgeView>, 
/**
 * Every input the record holds, fresh or not.
 */
inputs: Array<InputAgeView>, 
/**
 * The limits applied.
 */
limits: StaleLimitsView, 
/**
 * Why the defaults were applied instead of the saved limits, when they could not be read.
 */
note: string | null, };

export type LipidUnitChoice = "mmol/L" | "mg/dL";

export type GuidelineSet = "esc" | "accAha";

export type GuidelineTarget = { 
/**
 * What is treated: "Blood pressure" or "LDL cholesterol".
 */
measure: string, 
/**
 * For whom.
 */
who: string, 
/**
 * The target in words; for LDL cholesterol, what goes with the value below.
 */
target: string, 
/**
 * The LDL cholesterol goal (below this), in mmol/L, as the guideline writes it.
 */
ldlBelowMmolL: number | null, 
/**
 * The same goal in mg/dL as the guideline writes it (its own rounding: 55, not 54, for
 * 1.4 mmol/L), for a screen set to mg/dL.
 */
ldlBelowMgDl: number | null, 
/**
 * The guideline, year and where in it.
 */
source: string, };

export type Clinician = { 
/**
 * The name the log shows ("Dr Ana Silva").
 */
displayName: string, 
/**
 * Role ("consultant cardiologist"), optional.
 */
role: string | null, 
/**
 * Professional identifier (e.g. a registration number), optional.
 */
identifier: string | null, };

export type Preferences = { 
/**
 * The unit cholesterol is shown in.
 */
lipidUnit: LipidUnitChoice, 
/**
 * The ESC risk region SCORE2 uses when the screen does not give one (SCORE2 working group,
 * Eur Heart J 2021: four region sets by national CVD mortality). None: SCORE2 is not
 * computed until a region is given.
 */
defaultRegion: RegionChoice | null, 
/**
 * The race group the Pooled Cohort Equations (Goff et al. 2013) use when the screen does not
 * give one (FHIR records here carry none). None: the PCE are not computed until one is given.
 */
defaultRace: RaceChoice | null, 
/**
 * Whose guideline the treatment suggestion follows.
 */
guidelines: GuidelineSet, 
/**
 * Who the decision log records; None: the system user name.
 */
clinician: Clinician | null, };

export type SettingsView = { 
/**
 * The data folder (offline cache, audit log, saved scenarios, connections), if any.
 */
dataDir: string | null, 
/**
 * Saved EHR connections.
 */
connections: Array<EhrConnection>, 
/**
 * The compute backend projections run on, in words.
 */
compute: string, 
/**
 * This build's version.
 */
version: string, 
/**
 * The stale-data limits in use: the saved ones, else the defaults.
 */
staleLimits: StaleLimitsView, 
/**
 * The default limits (the engine's, each with its source).
 */
staleLimitsDefault: StaleLimitsView, 
/**
 * Whether the limits in use were saved on this workstation (false: the defaults).
 */
staleLimitsSaved: boolean, 
/**
 * Why the saved limits could not be read (the defaults are in use), when they could not.
 */
staleLimitsProblem: string | null, 
/**
 * The clinician's preferences in use: the saved ones, else the defaults.
 */
preferences: Preferences, 
/**
 * Whether the preferences were saved on this workstation (false: the defaults).
 */
preferencesSaved: boolean, 
/**
 * Why the saved preferences could not be read (the defaults are in use), when they could not.
 */
preferencesProblem: string | null, 
/**
 * The chosen guideline set's targets, each with its source.
 */
targets: Array<GuidelineTarget>, };

export type ConnectionArgs = { 
/**
 * The connection's name.
 */
name: string, };

export type EhrFetchArgs = { 
/**
 * The connection's name.
 */
name: string, 
/**
 * The patient's id in that EHR.
 */
patient: string, 
/**
 * Job id for progress and cancel.
 */
job?: string, 
/**
 * Fetch the whole record even when it is held from this EHR (otherwise only what changed
 * since the last fetch is asked for).
 */
full?: boolean, };

export type EhrStatus = { 
/**
 * Whether its FHIR server answered.
 */
online: boolean, 
/**
 * What happened, in plain words.
 */
message: string, };

export type ScenarioFile = { 
/**
 * Name shown to people.
 */
name: string, 
/**
 * Changes to the current plan.
 */
interventions: Array<InterventionFile>, 
/**
 * A treat-to-target strategy: the drugs are then the strategy's, added at reviews (the
 * interventions may only be lifestyle, smoking and procedures).
 */
strategy?: StrategyFile, 
/**
 * The clinician's notes on it (at most [`MAX_NOTES_CHARS`] characters); not used by the
 * projection.
 */
notes?: string, };

export type StrategyFile = { 
/**
 * Treat while office SBP is at or above this, mmHg (90–180).
 */
sbpTarget?: number, 
/**
 * Months between BP reviews (at least two weeks); needed with `sbpTarget`.
 */
reviewMonths?: number, 
/**
 * BP-lowering classes added in this order (default: the engine's `DEFAULT_BP_SEQUENCE`).
 */
sequence?: Array<ClassFile>, 
/**
 * Treat while LDL-C is at or above this, mg/dL.
 */
ldlTargetMgDl?: number, 
/**
 * Months between LDL-C reviews (at least two weeks); needed with `ldlTargetMgDl`.
 */
ldlReviewMonths?: number, 
/**
 * Lipid-lowering classes added in this order (default: the engine's `DEFAULT_LDL_SEQUENCE`).
 */
ldlSequence?: Array<ClassFile>, 
/**
 * A plan's exact BP steps, one per review above target (a plan of care writes them; they
 * replace the generic rule).
 */
ladder?: Array<RungFile>, 
/**
 * A plan's exact LDL-C steps, as `ladder`.
 */
ldlLadder?: Array<RungFile>, };

export type RungFile = { "action": "raise", 
/**
 * Class.
 */
class: ClassFile, 
/**
 * New dose.
 */
dose: DoseFile, } | { "action": "add", 
/**
 * Class.
 */
class: ClassFile, 
/**
 * Dose.
 */
dose: DoseFile, };

export type InterventionFile = { "type": "start_drug", 
/**
 * Class.
 */
class: ClassFile, 
/**
 * Dose.
 */
dose: DoseFile, 
/**
 * Month it starts.
 */
start_month: number, 
/**
 * Share of doses taken while it is taken, 0–1.
 */
adherence: number, 
/**
 * Whether people stop taking it over time (`real_world`, the default) or not.
 */
persistence: PersistenceFile, } | { "type": "change_dose", 
/**
 * Class.
 */
class: ClassFile, 
/**
 * New dose.
 */
dose: DoseFile, 
/**
 * Month of the change.
 */
month: number, } | { "type": "stop_drug", 
/**
 * Class.
 */
class: ClassFile, 
/**
 * Month.
 */
month: number, } | { "type": "adherence", 
/**
 * Share of doses taken, 0–1.
 */
level: number, 
/**
 * From month.
 */
start_month: number, } | { "type": "sodium_reduction", 
/**
 * From month.
 */
start_month: number, } | { "type": "dash_diet", 
/**
 * From month.
 */
start_month: number, } | { "type": "exercise", 
/**
 * Minutes per week.
 */
minutes_per_week: number, 
/**
 * From month.
 */
start_month: number, } | { "type": "weight_change", 
/**
 * kg.
 */
kg: number, 
/**
 * From month.
 */
start_month: number, 
/**
 * Months to reach it.
 */
over_months: number, } | { "type": "lower_sbp", 
/**
 * mmHg, at a pretreatment SBP of 154 mmHg (0–60).
 */
mmhg: number, 
/**
 * From month.
 */
start_month: number, } | { "type": "lower_ldl", 
/**
 * Share lowered, 0–0.9.
 */
fraction: number, 
/**
 * From month.
 */
start_month: number, } | { "type": "smoking_cessation", 
/**
 * Month.
 */
month: number, } | { "type": "procedure", 
/**
 * Which.
 */
kind: ProcedureFile, 
/**
 * Month.
 */
month: number, };

export type ClassFile = "ace_inhibitor" | "arb" | "calcium_channel_blocker" | "thiazide" | "beta_blocker" | "mra" | "statin" | "ezetimibe" | "pcsk9_inhibitor" | "non_dihydropyridine_ccb" | "alpha_blocker" | "centrally_acting" | "inclisiran" | "bempedoic_acid" | "arni" | "sglt2_inhibitor" | "ivabradine" | "loop_diuretic";

export type DoseFile = "half" | "standard" | "double";

export type PersistenceFile = "real_world" | "as_prescribed";

export type ProcedureFile = "pci" | "cabg";

export type PatientViewChoice = { "kind": "today" } | { "kind": "suggested", 
/**
 * The plan's scenario (its first step's changes and its treat-to-target ladder).
 */
scenario: ScenarioFile, } | { "kind": "modified", 
/**
 * The edited scenario.
 */
scenario: ScenarioFile, } | { "kind": "saved", 
/**
 * The saved scenario, as it was when chosen.
 */
scenario: ScenarioFile, };

export type ChosenView = { 
/**
 * What the patient view shows.
 */
choice: PatientViewChoice, 
/**
 * The consultation day it was chosen on (ISO date).
 */
chosenOn: string, 
/**
 * Who chose it (the workstation's user).
 */
chosenBy: string, };

export type ChoosePatientViewArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * What the patient view is to show.
 */
choice: PatientViewChoice, };

export type PatientViewState = { 
/**
 * The choice; `None` until the clinician makes one.
 */
chosen: ChosenView | null, };

export type WriteBackArgs = { 
/**
 * Patient id (the record's, which is the Patient's id on the EHR it came from).
 */
id: string, 
/**
 * The saved EHR connection to file it in, by name.
 */
connection: string, 
/**
 * The summary's text, as the clinician saw it.
 */
text: string, 
/**
 * The decision-log entry the summary records (its sequence number).
 */
decisionSeq: number, };

export type WriteBackView = { 
/**
 * The FHIR server it was filed on.
 */
server: string, 
/**
 * The consult note (`DocumentReference/<id>`).
 */
documentReference: string, 
/**
 * The decision's Provenance (`Provenance/<id>`).
 */
provenance: string, 
/**
 * The decision-log entry recording this filing; `null` when the log could not be written
 * (the note is filed all the same).
 */
logSeq: number | null, };

export type WriteBackOutcomeView = { "status": "written", 
/**
 * `DocumentReference/<id>`.
 */
documentReference: string, 
/**
 * `Provenance/<id>`.
 */
provenance: string, } | { "status": "failed", 
/**
 * The reason in plain words.
 */
reason: string, };

export type WriteBackLogView = { 
/**
 * Sequence number in the log.
 */
seq: number, 
/**
 * When (RFC 3339).
 */
time: string, 
/**
 * Who filed it.
 */
user: string, 
/**
 * Patient id.
 */
patientId: string, 
/**
 * The decision whose summary it was (its sequence number).
 */
decisionSeq: number, 
/**
 * The FHIR server.
 */
server: string, 
/**
 * What came of it.
 */
outcome: WriteBackOutcomeView, };

export type NoArgs = Record<string, never>;

export type PatientArgs = { 
/**
 * Patient id.
 */
id: string, };

export type SeriesArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Measurement key, e.g. `sbp`.
 */
key: string, };

export type RaceChoice = "white" | "black" | "other";

export type RegionChoice = "low" | "moderate" | "high" | "veryHigh";

export type RiskContext = { 
/**
 * Race group for the PCE.
 */
race?: RaceChoice, 
/**
 * ESC region for SCORE2.
 */
region?: RegionChoice, 
/**
 * Social Deprivation Index decile, 1–10, for PREVENT.
 */
sdiDecile?: number, };

export type RiskArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Race, region, SDI.
 */
context: RiskContext, };

export type EnsembleOptions = { 
/**
 * Months to project (1–600).
 */
months: number, 
/**
 * Members (1–100,000).
 */
members: number, 
/**
 * Seed: the same seed gives the same projection.
 */
seed: number, };

export type SimulateArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * The scenario (no interventions: current treatment).
 */
scenario: ScenarioFile, 
/**
 * Ensemble.
 */
ensemble: EnsembleOptions, 
/**
 * Race, region, SDI for the event model.
 */
context: RiskContext, 
/**
 * An id the caller picks, to watch the run with `jobProgress` and stop it with `cancelJob`.
 */
job?: string, };

export type CompareArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Two to four scenarios.
 */
scenarios: Array<ScenarioFile>, 
/**
 * Ensemble.
 */
ensemble: EnsembleOptions, 
/**
 * Race, region, SDI for the event model.
 */
context: RiskContext, 
/**
 * An id the caller picks, to watch the run with `jobProgress` and stop it with `cancelJob`.
 */
job?: string, };

export type ImportArgs = { 
/**
 * The file's name, for messages.
 */
fileName: string, 
/**
 * The FHIR Bundle as JSON text.
 */
bundleJson: string, 
/**
 * Which Patient to import, by id, when the Bundle holds several.
 */
patient?: string, };

export type ImportHl7Args = { 
/**
 * The file's name, for the record's source list.
 */
fileName: string, 
/**
 * The file's text (ORU^R01 messages, plain or MLLP-framed).
 */
text: string, 
/**
 * The patient the results are for, by id; without it each message goes to the held patient
 * its PID-3 names.
 */
patient?: string, };

export type Hl7ImportReport = { 
/**
 * Messages in the file.
 */
messages: number, 
/**
 * Messages refused whole (each named in `problems`).
 */
refusedMessages: number, 
/**
 * Results new to a record.
 */
imported: number, 
/**
 * Results that replaced one the record held (corrections, results sent again).
 */
replaced: number, 
/**
 * Results not filed: a bad OBX segment, or a test no table maps (`unknownCodes`).
 */
skipped: number, 
/**
 * OBX segments with no result to file (cancelled `X`, or pending `I`, `N`, `O`, `U`).
 */
withoutResult: number, 
/**
 * The patients whose records changed, by id.
 */
patients: Array<string>, 
/**
 * Local codes no table maps, with how many results each had.
 */
unknownCodes: Array<UnknownCodeCount>, 
/**
 * Every message, segment or result not filed, and why, in words (no patient data).
 */
problems: Array<string>, 
/**
 * Where local codes were mapped from, in words.
 */
codeTable: string, };

export type HomeFileKind = "homeBpCsv" | "appleHealth";

export type ImportHomeArgs = { 
/**
 * The patient the readings are filed under. A file does not say whose it is, so the screen
 * names the patient on screen and asks the clinician to confirm first.
 */
patient: string, 
/**
 * The file's name, for the record's source list.
 */
fileName: string, 
/**
 * CSV or Apple Health.
 */
kind: HomeFileKind, 
/**
 * The monitor's name for a CSV ("Omron M3"); the file does not say it.
 */
device?: string, };

export type HomeMeasureCount = { 
/**
 * For people: "home BP", "steps", "resting heart rate", …
 */
measure: string, 
/**
 * Readings (BP) or daily summaries (wearable measures).
 */
readings: number, 
/**
 * Days they cover.
 */
days: number, 
/**
 * First day (ISO).
 */
firstDay: string, 
/**
 * Last day (ISO).
 */
lastDay: string, };

export type HomeImportReport = { 
/**
 * The patient the data joined.
 */
patient: string, 
/**
 * `home-bp-csv:<file>` or `apple-health:<file>`.
 */
source: string, 
/**
 * Blood-pressure readings read.
 */
bpReadings: number, 
/**
 * Daily wearable summaries made (steps, heart rate, HRV, SpO₂, sleep).
 */
dailySummaries: number, 
/**
 * Each measure that arrived, with its readings and days.
 */
measures: Array<HomeMeasureCount>, 
/**
 * The devices the readings came from, as the file names them.
 */
devices: Array<string>, 
/**
 * Observations new to the record.
 */
added: number, 
/**
 * Observations that replaced one from an earlier import of the same data.
 */
replaced: number, 
/**
 * Records of the export set aside (unreadable or impossible values).
 */
setAside: number, 
/**
 * Where a cut-short export stopped ("stopped at line N / byte N: why"); absent for a whole file.
 */
stopped: string | null, 
/**
 * The home BP the record now shows (protocol mean or why there is none).
 */
homeBp: HomeBpView | null, };

export type UnknownCodeCount = { 
/**
 * OBX-3.3, the coding system as sent.
 */
system: string, 
/**
 * OBX-3.1.
 */
code: string, 
/**
 * Results sent with it.
 */
results: number, };

export type SaveScenarioArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * The scenario.
 */
scenario: ScenarioFile, 
/**
 * The name of the saved scenario this one replaces (an edit, which may rename it); without
 * it, a name already saved is refused.
 */
replace?: string, };

export type ScenarioNameArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * The saved scenario's name.
 */
name: string, };

export type CheckScenariosArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * The scenarios (a builder's draft, or the saved list).
 */
scenarios: Array<ScenarioFile>, };

export type DoseOption = { 
/**
 * The level the projection models.
 */
dose: DoseFile, 
/**
 * The agent at that level, e.g. "amlodipine 10 mg once daily (calcium-channel blocker)".
 */
text: string, };

export type TakenDrug = { 
/**
 * Class.
 */
class: ClassFile, 
/**
 * Today's dose level (the level the projection starts from).
 */
dose: DoseFile, 
/**
 * What the record says is taken: the agent and dose in words, or the record's own text.
 */
medication: string, 
/**
 * The levels its agent's ladder has, today's among them.
 */
doses: Array<DoseOption>, };

export type StartableDrug = { 
/**
 * Class.
 */
class: ClassFile, 
/**
 * The levels the class's usual agent has (the agent a plan would name).
 */
doses: Array<DoseOption>, };

export type ScenarioOptions = { 
/**
 * Classes taken today, in the record's order: change their dose or stop them.
 */
taken: Array<TakenDrug>, 
/**
 * Classes not taken today, in the engine's order: start them.
 */
startable: Array<StartableDrug>, };

export type ScenarioCheck = { 
/**
 * The scenario's name, as sent.
 */
name: string, 
/**
 * What is wrong, in plain words; `null` when the scenario can be projected.
 */
problem: string | null, 
/**
 * The change the problem is with (its index in `interventions`), where it is one change.
 */
intervention: number | null, };

export type Timeline = { 
/**
 * Patient id.
 */
id: string, 
/**
 * Every measurement kind the record holds, in the engine's order.
 */
series: Array<Series>, 
/**
 * Every medication, current and past, with its period and dose.
 */
medications: Array<MedicationView>, 
/**
 * Conditions, with onset where known.
 */
conditions: Array<CodedItem>, 
/**
 * Procedures, with dates.
 */
procedures: Array<CodedItem>, 
/**
 * The consultation day (ISO date): the timeline's "now".
 */
asOf: string, 
/**
 * The patient's BP and LDL-C targets, as the suggestion derives them, for target lines and
 * "above target" flags.
 */
targets: TargetsView, 
/**
 * The reference range of each measurement held that has one, for abnormal flags.
 */
referenceRanges: Array<ReferenceRangeView>, 
/**
 * Home (self-measured) BP beside the office series: the protocol mean and its verdict
 * against 135/85; absent when the record holds no home readings.
 */
homeBp: HomeBpView | null, };

export type ReferenceRangeView = { 
/**
 * The measurement's key, as in [`crate::json::Series::key`].
 */
key: string, 
/**
 * Lowest normal value.
 */
low: number | null, 
/**
 * Highest normal value.
 */
high: number | null, 
/**
 * Where the range comes from, for the screen's note.
 */
source: string, };

export type HomeBpView = { 
/**
 * The protocol mean, where the latest week has enough days.
 */
mean: HomeBpMeanView | null, 
/**
 * Why there is no mean (too few days), in plain words.
 */
noMeanReason: string | null, 
/**
 * Home readings held, all weeks.
 */
nReadingsHeld: number, 
/**
 * Date of the latest home reading (ISO).
 */
latest: string, 
/**
 * The devices the latest week's readings came from.
 */
devices: Array<string>, 
/**
 * The threshold and protocol, for the screen's note.
 */
protocol: string, };

export type HomeBpMeanView = { 
/**
 * Mean systolic, mmHg (rounded).
 */
systolic: number, 
/**
 * Mean diastolic, mmHg (rounded).
 */
diastolic: number, 
/**
 * Standard deviation of the systolic readings, mmHg (one decimal).
 */
systolicSd: number, 
/**
 * Days averaged (the first day of the week dropped).
 */
nDays: number, 
/**
 * Readings averaged.
 */
nReadings: number, 
/**
 * Of those, before noon.
 */
nMorning: number, 
/**
 * Of those, from noon.
 */
nEvening: number, 
/**
 * First day averaged (ISO).
 */
firstDay: string, 
/**
 * Last day averaged (ISO).
 */
lastDay: string, 
/**
 * The day dropped (ISO).
 */
droppedDay: string, 
/**
 * Systolic ≥ 135 or diastolic ≥ 85 mmHg.
 */
atOrAboveThreshold: boolean, };

export type AuditLog = { 
/**
 * Entries, oldest first.
 */
entries: Array<AuditView>, 
/**
 * Attempts to file a decision's summary in an EHR, oldest first (entries of the same chain).
 */
writeBacks: Array<WriteBackLogView>, 
/**
 * The chain check.
 */
check: AuditCheck, };

export type AuditExport = { 
/**
 * The Bundle, JSON text.
 */
bundle: string, 
/**
 * Entries exported.
 */
entries: number, };

export type JobArgs = { 
/**
 * The job id.
 */
job: string, };

export type JobProgress = { 
/**
 * Whether it is still running (or was cancelled and is winding down).
 */
running: boolean, 
/**
 * Ensemble members finished.
 */
done: number, 
/**
 * Members in all.
 */
total: number, 
/**
 * A heatmap's finished cells so far (median event risk, row-major; `null` where the
 * patient has no event model), so the screen can draw rows as they finish. Empty for
 * other runs.
 */
cells: Array<number | null>, };

export type SuggestionOutcome = "noChange" | "suggested" | "noneReaches";

export type TargetsView = { 
/**
 * Systolic below, mmHg.
 */
sbpBelow: number, 
/**
 * Diastolic below, mmHg.
 */
dbpBelow: number, 
/**
 * Why, with source.
 */
bpReason: string, 
/**
 * LDL-C below, mmol/L.
 */
ldlBelowMmol: number, 
/**
 * LDL-C below, mg/dL.
 */
ldlBelowMgDl: number, 
/**
 * Risk category.
 */
category: string, 
/**
 * Why, with source.
 */
ldlReason: string, 
/**
 * The BP target's guideline.
 */
bpSource: string, 
/**
 * The LDL-C target's guideline.
 */
ldlSource: string, 
/**
 * The guideline and year the BP target follows, as each target line names it ("ESC 2024",
 * "ACC/AHA 2017").
 */
bpGuideline: string, 
/**
 * The guideline and year the lipid goal follows ("ESC/EAS 2019", "ACC/AHA 2018").
 */
ldlGuideline: string, 
/**
 * ACC/AHA's lipid goal in words, in place of an LDL-C value ("high-intensity statin, ≥ 50 %
 * LDL-C reduction"); absent under ESC, whose goal is `ldl_below_mmol`. Under ACC/AHA,
 * `ldl_below_mmol` is the LDL-C from which a non-statin is added where the guideline names
 * one, else the level the intensity's least fall reaches from the untreated LDL-C.
 */
ldlIntensity?: string, };

export type RuleView = { 
/**
 * Id.
 */
id: string, 
/**
 * The rule.
 */
text: string, 
/**
 * Source.
 */
source: string, 
/**
 * `contraindicated`, `caution` or `info`.
 */
severity: string, };

export type AlertView = { 
/**
 * The rule's id.
 */
rule: string, 
/**
 * `contraindicated` (never proposed; on record: change it), `caution` (with its
 * monitoring) or `info`.
 */
severity: string, 
/**
 * `current` (the regimen on record) or `plan`.
 */
appliesTo: string, 
/**
 * What, in plain words, with the record's values.
 */
message: string, 
/**
 * Where the rule comes from.
 */
source: string, 
/**
 * The monitoring a caution needs.
 */
monitoring: string | null, };

export type EffectView = { 
/**
 * Output.
 */
output: OutputKey, 
/**
 * Label.
 */
label: string, 
/**
 * Unit.
 */
unit: string, 
/**
 * Median.
 */
median: number, 
/**
 * 5th percentile.
 */
p05: number, 
/**
 * 95th percentile.
 */
p95: number, };

export type RiskChangeView = { 
/**
 * Years.
 */
years: number, 
/**
 * Median risk under today's treatment, %.
 */
current: number, 
/**
 * Median risk under this regimen, %.
 */
candidate: number, 
/**
 * Median absolute reduction, percentage points.
 */
reduction: number, 
/**
 * 5th percentile of the reduction.
 */
reductionP05: number, 
/**
 * 95th percentile of the reduction.
 */
reductionP95: number, 
/**
 * The median change said three ways: points, relative to today's treatment, and the number
 * needed to treat over the years.
 */
contrast: RiskContrastView, };

export type PlanChangeView = { 
/**
 * `start`, `raise`, `lower`, `stop`, `switch`, `lifestyle`, `confirm` or `refer`.
 */
action: string, 
/**
 * The agent named for it (lower case), where it is a drug.
 */
agent: string | null, 
/**
 * The class (file key, e.g. `ace_inhibitor`).
 */
drugClass: string | null, 
/**
 * The class for people.
 */
classLabel: string | null, 
/**
 * The class replaced, for a switch.
 */
fromClass: string | null, 
/**
 * Daily dose in mg after the change, where named.
 */
doseMg: number | null, 
/**
 * The dose level after the change (statins: low, moderate, high intensity).
 */
dose: DoseFile | null, 
/**
 * For people: "start amlodipine 5 mg once daily (calcium-channel blocker)".
 */
text: string, };

export type ExpectedView = { 
/**
 * Serum potassium change, mmol/L.
 */
potassiumMmolL: number, 
/**
 * Serum sodium change, mmol/L.
 */
sodiumMmolL: number, 
/**
 * Early eGFR change, % (negative = a fall).
 */
egfrPercent: number, 
/**
 * Resting heart-rate change, bpm.
 */
heartRateBpm: number, };

export type PlanStepView = { 
/**
 * Month from today.
 */
month: number, 
/**
 * When, in words.
 */
when: string, 
/**
 * The changes.
 */
changes: Array<PlanChangeView>, 
/**
 * Labs and visits it needs.
 */
checks: Array<string>, 
/**
 * Why.
 */
why: string, 
/**
 * Cautions of the safety rules, with their monitoring.
 */
alerts: Array<AlertView>, 
/**
 * Expected potassium, sodium, eGFR and heart-rate changes of its drug changes.
 */
expected: ExpectedView, 
/**
 * The step's started or raised drugs as one single-pill combination, where one is made at
 * those strengths (ESC 2024: a single pill for most two-drug regimens).
 */
singlePill: string | null, };

export type StatinView = { 
/**
 * Indicated.
 */
indicated: boolean, 
/**
 * Why (or why not), naming the figure used.
 */
reason: string, 
/**
 * Source.
 */
source: string, };

export type FhView = { 
/**
 * Points.
 */
dlcnPoints: number, 
/**
 * "definite", "probable", "possible" or "unlikely".
 */
category: string, 
/**
 * What scored.
 */
because: Array<string>, 
/**
 * What the record cannot score (family history, examination).
 */
notScored: Array<string>, };

export type CandidateView = { 
/**
 * For people (the first step's changes).
 */
label: string, 
/**
 * The first step's changes, as text (for the decision log).
 */
steps: Array<string>, 
/**
 * Now, then the reviews.
 */
plan: Array<PlanStepView>, 
/**
 * Drug changes in the first step.
 */
drugChanges: number, 
/**
 * Share of simulated courses at every target at the check month.
 */
probability: number, 
/**
 * At the BP target.
 */
probabilityBp: number, 
/**
 * At the LDL-C target.
 */
probabilityLdl: number, 
/**
 * SBP, DBP, LDL-C, heart rate and BP drugs at the check month.
 */
effects: Array<EffectView>, 
/**
 * Event risk against today's treatment, where computed (in heart failure: death from any
 * cause at 3 years).
 */
risk: RiskChangeView | null, 
/**
 * In heart failure: a first HF hospitalisation at 3 years against today's treatment.
 */
hospitalisation: RiskChangeView | null, 
/**
 * Every caution of every step.
 */
alerts: Array<AlertView>, 
/**
 * As a scenario file (open it in the comparison, edit it to modify).
 */
scenario: ScenarioFile, };

export type ExcludedView = { 
/**
 * What.
 */
label: string, 
/**
 * The rules that forbade it.
 */
alerts: Array<AlertView>, };

export type SearchSettings = { 
/**
 * Members per plan.
 */
members: number, 
/**
 * Seed.
 */
seed: bigint, 
/**
 * Month the plans are judged at.
 */
months: number, 
/**
 * Required share at target.
 */
probability: number, 
/**
 * Plans simulated.
 */
nCandidates: number, 
/**
 * The guideline set followed ("ESC", "ACC/AHA"); the decision log keeps it with the settings.
 */
guideline: string, };

export type SuggestionView = { 
/**
 * Patient id.
 */
patient: string, 
/**
 * What was found.
 */
outcome: SuggestionOutcome, 
/**
 * What the plans' event risk is a probability of, and at what horizon (in heart failure:
 * death from any cause at 3 years, with a first HF hospitalisation beside it).
 */
eventOutcome: OutcomeView, 
/**
 * One sentence for the clinician.
 */
headline: string, 
/**
 * Hazards in the regimen on record, most severe first: shown before anything else.
 */
alerts: Array<AlertView>, 
/**
 * The suggested plan's steps (the same as `suggestion.plan`; empty when no change).
 */
plan: Array<PlanStepView>, 
/**
 * The targets.
 */
targets: TargetsView, 
/**
 * Whether a statin is indicated, and why.
 */
statin: StatinView, 
/**
 * Familial hypercholesterolaemia (Dutch Lipid Clinic Network score), where the record holds
 * LDL-C: a "possible" or higher score is a flag to assess.
 */
fh: FhView | null, 
/**
 * Today's treatment.
 */
current: CandidateView, 
/**
 * The plan (the one lowering risk most when none reaches the targets); none when no change.
 */
suggestion: CandidateView | null, 
/**
 * The next plans, best first (as many as asked for).
 */
alternatives: Array<CandidateView>, 
/**
 * Changes never proposed, with the rule.
 */
excluded: Array<ExcludedView>, 
/**
 * Why this plan.
 */
why: string, 
/**
 * Why no event-risk reduction is given, where none is.
 */
riskNote: string | null, 
/**
 * Settings.
 */
settings: SearchSettings, 
/**
 * Every safety rule applied.
 */
rules: Array<RuleView>, 
/**
 * Engine version.
 */
engineVersion: string, 
/**
 * What this is and is not.
 */
disclaimer: string, 
/**
 * How old the readings behind this answer are on the consultation day, which are older than
 * their limit and what to re-measure; `null` when the answer is not built from a record.
 */
freshness: FreshnessView | null, };

export type SuggestArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * What the record does not say.
 */
context: RiskContext, 
/**
 * Members per candidate (default 400).
 */
members?: number, 
/**
 * Seed (default 1).
 */
seed?: number, 
/**
 * Alternatives to return (default 10, at most 500).
 */
alternatives?: number, };

export type DecisionChoice = "accepted" | "modified" | "declined";

export type DecideArgs = { 
/**
 * Patient id.
 */
id: string, 
/**
 * The suggestion as shown (the `suggest` answer, as JSON text): recorded in full.
 */
suggestionJson: string, 
/**
 * The decision.
 */
decision: DecisionChoice, 
/**
 * Why: required for every choice (the log records why a plan was taken, changed or not).
 */
reason?: string, 
/**
 * What was changed (required to modify): the edited scenario, as JSON text or words.
 */
modification?: string, 
/**
 * An id the screen makes for this decision (letters, digits, `-`, `_`; at most 128): the
 * decision is recorded once under it, however often it is sent (a double click, a retry).
 */
decisionId?: string, };

export type KeychainState = "ready" | "noDataFolder" | "unavailable" | "locked" | "rolledBack" | "busy" | "failed";

export type KeychainStatus = { 
/**
 * Why it can or cannot be used.
 */
state: KeychainState, 
/**
 * Whether decisions can be recorded (and patients cached) now.
 */
usable: boolean, 
/**
 * What this means for the clinician, in one sentence.
 */
message: string, 
/**
 * What went wrong, in the store's words (no secret, no patient data); `None` when ready.
 */
detail: string | null, 
/**
 * What to do about it; `None` when ready.
 */
action: string | null, };

/** mg/dL per mmol/L of cholesterol (total, LDL, HDL): `twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L`. */
export const MG_DL_PER_MMOL_L_CHOLESTEROL = 38.67;

/** Longest stale-data limit the settings accept, months: `twin_engine::twin::MAX_LIMIT_MONTHS`. */
export const MAX_STALE_LIMIT_MONTHS = 120.0;

/** Lowest and highest SBP target of a strategy, mmHg: `twin_engine::progression::strategy::SBP_TARGET_RANGE`. */
export const SBP_TARGET_RANGE = [90.0, 180.0] as const;

/** Lowest and highest LDL-C target of a strategy, mmol/L: `twin_engine::progression::strategy::LDL_TARGET_RANGE_MMOL`. */
export const LDL_TARGET_RANGE_MMOL = [0.5, 5.0] as const;

/** Shortest review interval of a strategy, months (two weeks): `twin_engine::progression::strategy::MIN_REVIEW_MONTHS`. */
export const MIN_REVIEW_MONTHS = 0.459958932238193;

/** BP-lowering classes a strategy adds in turn by default: `twin_engine::progression::strategy::DEFAULT_BP_SEQUENCE`. */
export const DEFAULT_BP_SEQUENCE = ["ace_inhibitor", "calcium_channel_blocker", "thiazide", "mra", "beta_blocker"] as ClassFile[];

/** Classes a BP sequence may hold (those with a BP effect): `twin_engine::drugs::DrugClass::lowers_bp`. */
export const BP_LOWERING_CLASSES = ["ace_inhibitor", "arb", "calcium_channel_blocker", "non_dihydropyridine_ccb", "thiazide", "beta_blocker", "mra", "alpha_blocker", "centrally_acting", "arni"] as ClassFile[];

/** Classes an LDL-C sequence may hold (those with an LDL-C effect): `twin_engine::progression::ldl_fraction`. */
export const LDL_LOWERING_CLASSES = ["statin", "ezetimibe", "pcsk9_inhibitor", "inclisiran", "bempedoic_acid"] as ClassFile[];

/** Lipid-lowering classes a strategy adds in turn by default: `twin_engine::progression::strategy::DEFAULT_LDL_SEQUENCE`. */
export const DEFAULT_LDL_SEQUENCE = ["statin", "ezetimibe", "pcsk9_inhibitor"] as ClassFile[];

/** Longest saved scenario name, characters: `scenario_file::MAX_NAME_CHARS`. */
export const MAX_SCENARIO_NAME_CHARS = 80;

/** Longest note on a saved scenario, characters: `scenario_file::MAX_NOTES_CHARS`. */
export const MAX_SCENARIO_NOTES_CHARS = 2000;

/** Latest month a scenario's change may start: `scenario_file::MAX_CHANGE_MONTH`. */
export const MAX_CHANGE_MONTH = 600;

/** Share of doses taken a scenario may set: `twin_engine::progression::scenario::ADHERENCE_RANGE`. */
export const ADHERENCE_RANGE = [0.0, 1.0] as const;

/** Aerobic exercise a scenario may set, minutes a week: `twin_engine::progression::scenario::EXERCISE_RANGE_MIN_PER_WEEK`. */
export const EXERCISE_RANGE_MIN_PER_WEEK = [0.0, 600.0] as const;

/** Weight change a scenario may set, kg: `twin_engine::progression::scenario::WEIGHT_CHANGE_RANGE_KG`. */
export const WEIGHT_CHANGE_RANGE_KG = [-30.0, 30.0] as const;

/** Longest interval between a strategy's reviews, months: `twin_engine::progression::strategy::MAX_REVIEW_MONTHS`. */
export const MAX_REVIEW_MONTHS = 24.0;

/** Months over which a weight change is reached: `scenario_file::WEIGHT_OVER_MONTHS_RANGE`. */
export const WEIGHT_OVER_MONTHS_RANGE = [1, 120] as const;

/** Every command: its arguments and its answer. Generated from twin-app's registry. */
export interface Commands {
  listPatients: { args: NoArgs; result: PatientList };
  patientSummary: { args: PatientArgs; result: PatientSummary };
  series: { args: SeriesArgs; result: Series };
  timeline: { args: PatientArgs; result: Timeline };
  changesSinceFetch: { args: PatientArgs; result: WhatChanged };
  twin: { args: PatientArgs; result: TwinView };
  risk: { args: RiskArgs; result: RiskReport };
  simulate: { args: SimulateArgs; result: Projection };
  compare: { args: CompareArgs; result: Comparison };
  heatmap: { args: HeatmapArgs; result: HeatmapView };
  importBundle: { args: ImportArgs; result: PatientListItem };
  importHl7: { args: ImportHl7Args; result: Hl7ImportReport };
  savedScenarios: { args: PatientArgs; result: Array<ScenarioFile> };
  saveScenario: { args: SaveScenarioArgs; result: Array<ScenarioFile> };
  deleteScenario: { args: ScenarioNameArgs; result: Array<ScenarioFile> };
  duplicateScenario: { args: ScenarioNameArgs; result: Array<ScenarioFile> };
  scenarioOptions: { args: PatientArgs; result: ScenarioOptions };
  checkScenarios: { args: CheckScenariosArgs; result: Array<ScenarioCheck> };
  auditLog: { args: NoArgs; result: AuditLog };
  exportAudit: { args: NoArgs; result: AuditExport };
  suggest: { args: SuggestArgs; result: SuggestionView };
  decideSuggestion: { args: DecideArgs; result: AuditView };
  keychainStatus: { args: NoArgs; result: KeychainStatus };
  settings: { args: NoArgs; result: SettingsView };
  saveConnection: { args: EhrConnection; result: SettingsView };
  removeConnection: { args: ConnectionArgs; result: SettingsView };
  saveStaleLimits: { args: StaleLimitsView; result: SettingsView };
  savePreferences: { args: Preferences; result: SettingsView };
  ehrStatus: { args: ConnectionArgs; result: EhrStatus };
  ehrSignIn: { args: ConnectionArgs; result: LoginResult };
  ehrFetch: { args: EhrFetchArgs; result: FetchReport };
  jobProgress: { args: JobArgs; result: JobProgress };
  cancelJob: { args: JobArgs; result: JobProgress };
  patientView: { args: PatientArgs; result: PatientViewState };
  choosePatientView: { args: ChoosePatientViewArgs; result: PatientViewState };
  ehrWriteBack: { args: WriteBackArgs; result: WriteBackView };
  openPanel: { args: OpenPanelArgs; result: Worklist };
}

export const COMMAND_NAMES = [
  'listPatients',
  'patientSummary',
  'series',
  'timeline',
  'changesSinceFetch',
  'twin',
  'risk',
  'simulate',
  'compare',
  'heatmap',
  'importBundle',
  'importHl7',
  'savedScenarios',
  'saveScenario',
  'deleteScenario',
  'duplicateScenario',
  'scenarioOptions',
  'checkScenarios',
  'auditLog',
  'exportAudit',
  'suggest',
  'decideSuggestion',
  'keychainStatus',
  'settings',
  'saveConnection',
  'removeConnection',
  'saveStaleLimits',
  'savePreferences',
  'ehrStatus',
  'ehrSignIn',
  'ehrFetch',
  'jobProgress',
  'cancelJob',
  'patientView',
  'choosePatientView',
  'ehrWriteBack',
  'openPanel',
] as const;
