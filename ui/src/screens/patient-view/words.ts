// Plain words for the patient view: ranges from projection bands, no jargon, no raw parameters.
import type {
  CandidateView,
  ClassFile,
  DoseFile,
  InterventionFile,
  OutputBand,
  OutcomeView,
  OutputKey,
  PersonalHindcast,
  PlanChangeView,
  PlanStepView,
  RungFile,
  ScenarioFile,
  StrategyFile,
} from '../../api/backend';
import type { PatientViewChoice, TargetsView } from '../../api/generated';
import { LDL_LOWERING_CLASSES, MG_DL_PER_MMOL_L_CHOLESTEROL } from '../../api/generated';
import { formatDate, formatLipid, lipidIn, type LipidUnit } from '../../app/format';
import { patientRiskWords } from '../scenarios/outcome';

export interface Measure {
  key: OutputKey;
  /** What the patient calls it. */
  name: string;
  /** How to say a range of it (cholesterol in the unit the clinician reads). */
  range: (lo: number, hi: number, unit: LipidUnit) => string;
}

const round = (v: number, step: number) => Math.round(v / step) * step;

/** "121 to 140", or "about 121" when both ends round to the same number. */
const span = (lo: string, hi: string, unit = '') => (lo === hi ? `about ${lo}${unit}` : `${lo} to ${hi}${unit}`);

export const MEASURES: Measure[] = [
  { key: 'sbp', name: 'Blood pressure (top number)', range: (lo, hi) => span(round(lo, 1).toFixed(0), round(hi, 1).toFixed(0)) },
  {
    key: 'ldl',
    name: '“Bad” cholesterol (LDL)',
    range: (lo, hi, unit) => {
      const low = lipidIn(lo, unit).toFixed(unit === 'mmol/L' ? 1 : 0);
      const high = formatLipid(hi, unit);
      return high.startsWith(`${low} `) ? `about ${high}` : `${low} to ${high}`;
    },
  },
  {
    key: 'event_risk',
    name: 'Chance of a heart attack, stroke or other serious heart problem by then',
    range: (lo, hi) => chances(lo, hi),
  },
];

/**
 * What the event risk counts, for a patient, from the event model the projection names: PREVENT's
 * total CVD counts heart failure as well as heart attack and stroke (Khan SS et al., Circulation
 * 2024); the PCE's hard ASCVD counts heart attack, stroke and death from either (Goff DC et al.
 * 2013); SCORE2 counts fatal and non-fatal heart attack and stroke (SCORE2 working group, Eur
 * Heart J 2021); SMART2 counts another heart attack or stroke, or vascular death (Hageman SHJ et
 * al., Eur Heart J 2022). Anything else is said generally.
 */
export function eventWords(eventModel: string | null | undefined): string {
  const m = eventModel ?? '';
  if (/PREVENT/.test(m) && /total CVD/i.test(m)) return 'Chance of a heart attack, stroke or heart failure by then';
  if (/PREVENT/.test(m) && /ASCVD/i.test(m)) return 'Chance of a heart attack or stroke by then';
  if (/PCE/.test(m)) return 'Chance of a heart attack or stroke (including dying from one) by then';
  if (/SMART2/.test(m)) return 'Chance of another heart attack or stroke, or dying from heart or blood-vessel disease, by then';
  if (/SCORE2/.test(m)) return 'Chance of a heart attack or stroke by then';
  return 'Chance of a heart attack, stroke or other serious heart problem by then';
}

/** A chance as "8 to 12 in 100" ("about 1 in 100" at the least). */
function chances(lo: number, hi: number): string {
  return span(Math.max(1, round(lo * 100, 1)).toFixed(0), Math.max(1, round(hi * 100, 1)).toFixed(0), ' in 100');
}

/**
 * The rows of the patient view. Outside heart failure: blood pressure, cholesterol and the chance
 * of a heart attack or stroke at 1, 5 and 10 years. In heart failure the chances are said apart
 * (`chances`), over the years the heart-failure model covers ("in the next 3 years"): dying from
 * any cause, and being admitted to hospital for heart failure.
 */
export function measuresFor(outcome: OutcomeView | null | undefined, eventModel?: string | null): { measures: Measure[]; chances: Measure[]; years: number } {
  if (!outcome || outcome.kind !== 'heart_failure') {
    return { measures: MEASURES.map((m) => (m.key === 'event_risk' ? { ...m, name: eventWords(eventModel) } : m)), chances: [], years: 10 };
  }
  return {
    measures: MEASURES.filter((m) => m.key !== 'event_risk'),
    chances: patientRiskWords(outcome).map(({ key, name }) => ({ key, name, range: chances })),
    years: outcome.horizonYears,
  };
}

export const YEARS = [1, 5, 10] as const;

/** The likely range (5th–95th of simulated courses) of one measure at `years`, in words; null when not projected. */
export function rangeAt(bands: OutputBand[], m: Measure, years: number, unit: LipidUnit = 'mmol/L'): string | null {
  const b = bands.find((x) => x.output === m.key);
  const month = years * 12;
  if (!b || month >= b.p5.length) return null;
  const lo = b.p5[month];
  const hi = b.p95[month];
  if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return m.range(lo, hi, unit);
}

/** A logged modification as a scenario, when it is one (plain text is not). */
export function scenarioOf(json: string | null): ScenarioFile | null {
  if (!json) return null;
  try {
    const v: unknown = JSON.parse(json);
    if (typeof v === 'object' && v !== null && 'name' in v && 'interventions' in v && Array.isArray(v.interventions)) {
      return v as ScenarioFile;
    }
  } catch {
    // Plain text: not a scenario.
  }
  return null;
}

/**
 * Each drug class in the words a patient uses (what it is, after "a" or "your"), with the
 * clinical name kept in brackets for their pharmacist.
 */
const MEDICINES: Record<ClassFile, { what: string; name: string }> = {
  ace_inhibitor: { what: 'blood-pressure medicine', name: 'ACE inhibitor' },
  arb: { what: 'blood-pressure medicine', name: 'ARB' },
  non_dihydropyridine_ccb: { what: 'medicine that lowers blood pressure and slows the heart', name: 'calcium-channel blocker' },
  calcium_channel_blocker: { what: 'blood-pressure medicine', name: 'calcium-channel blocker' },
  thiazide: { what: 'water tablet that lowers blood pressure', name: 'thiazide' },
  beta_blocker: { what: 'medicine that slows the heart', name: 'beta-blocker' },
  mra: { what: 'medicine that protects the heart and lowers blood pressure', name: 'MRA' },
  statin: { what: 'cholesterol medicine', name: 'statin' },
  ezetimibe: { what: 'second cholesterol medicine', name: 'ezetimibe' },
  pcsk9_inhibitor: { what: 'cholesterol injection', name: 'PCSK9 inhibitor' },
  alpha_blocker: { what: 'blood-pressure medicine', name: 'alpha-blocker' },
  centrally_acting: { what: 'blood-pressure medicine', name: 'methyldopa' },
  inclisiran: { what: 'twice-yearly cholesterol injection', name: 'inclisiran' },
  bempedoic_acid: { what: 'cholesterol tablet', name: 'bempedoic acid' },
  arni: { what: 'heart-failure medicine', name: 'sacubitril/valsartan' },
  sglt2_inhibitor: { what: 'heart-failure and kidney medicine', name: 'SGLT2 inhibitor' },
  ivabradine: { what: 'medicine that slows the heart', name: 'ivabradine' },
  loop_diuretic: { what: 'water tablet that clears fluid', name: 'loop diuretic' },
};

/** "a blood-pressure medicine (ARB)". */
const medicine = (c: ClassFile) => `a ${MEDICINES[c].what} (${MEDICINES[c].name})`;
/** "your blood-pressure medicine (ARB)". */
const yours = (c: ClassFile) => `your ${MEDICINES[c].what} (${MEDICINES[c].name})`;

/** A dose level in words: statins by strength, the rest against the usual dose. */
const DOSE_WORDS: Record<DoseFile, { statin: string; other: string }> = {
  half: { statin: 'a low dose', other: 'half the usual dose' },
  standard: { statin: 'a moderate dose', other: 'the usual dose' },
  double: { statin: 'a strong dose', other: 'double the usual dose' },
};
const doseWords = (c: ClassFile, d: DoseFile) => (c === 'statin' ? DOSE_WORDS[d].statin : DOSE_WORDS[d].other);

/** Starting a class at a dose. */
function start(c: ClassFile, d: DoseFile): string {
  if (c === 'statin' && d !== 'standard') return `start ${doseWords(c, d)} of ${medicine(c)}`;
  if (d === 'standard') return `start ${medicine(c)}`;
  return `start ${medicine(c)}, ${d} dose`;
}

const SALT = 'eat less salt';
const DASH = 'eat more fruit, vegetables and low-fat dairy (the DASH diet)';
const exercise = (minutes: number | null) =>
  minutes === null ? 'brisk exercise (walking, cycling, swimming)' : `brisk exercise (walking, cycling, swimming) ${minutes.toFixed(0)} minutes a week`;

/** When a change starts, unless it starts now. */
const from = (month: number) => (month > 0 ? ` in ${month.toString()} month${month === 1 ? '' : 's'}` : '');

/** The class keys the scenario files know (the backend's `drugClass` is one of them). */
const isClass = (c: string | null): c is ClassFile => c !== null && Object.prototype.hasOwnProperty.call(MEDICINES, c);

/** "once a day" for the formulary's "once daily"; other schedules ("every 2 weeks") as they are. */
const SCHEDULES: Record<string, string> = { 'once daily': 'once a day', 'twice daily': 'twice a day', 'three times daily': 'three times a day', 'four times daily': 'four times a day' };

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mgText = (mg: number) => (Number.isInteger(mg) ? mg.toFixed(0) : String(Number(mg.toFixed(2))));

/**
 * The drug and its dose as a patient reads it: "amlodipine 5 mg once a day". The agent and daily
 * mg are the backend's fields; the schedule is read from its dose phrase ("5 mg once daily",
 * "140 mg every 2 weeks"), and without one the daily amount is said ("10 mg a day").
 */
export function plainDose(c: PlanChangeView): string | null {
  if (c.agent === null) return null;
  // A combination is named whole, with both doses: "sacubitril/valsartan 49/51 mg twice daily".
  const m = new RegExp(`(${escaped(c.agent)}(?:/[a-z]+)?) (\\d+(?:\\.\\d+)?(?:/\\d+(?:\\.\\d+)?)?) mg ((?:once|twice|three times|four times) daily|every [^()]+?)(?: \\(|$)`).exec(c.text);
  if (m?.[1] && m[2] && m[3]) return `${m[1]} ${m[2]} mg ${SCHEDULES[m[3]] ?? m[3]}`;
  return c.doseMg === null ? c.agent : `${c.agent} ${mgText(c.doseMg)} mg a day`;
}

/** "a new blood-pressure medicine" ("a second cholesterol medicine" stays second). */
const aNew = (c: ClassFile) => `${MEDICINES[c].what.startsWith('second') ? 'a' : 'a new'} ${MEDICINES[c].what}`;

/**
 * One change of a plan, in plain words, from its structured fields: "start a new blood-pressure
 * medicine, amlodipine 5 mg once a day"; null for a change that is not a drug (lifestyle,
 * confirming the blood pressure, a referral), which the caller says from the scenario.
 */
export function plainChange(c: PlanChangeView): string | null {
  const cls = isClass(c.drugClass) ? c.drugClass : null;
  if (cls === null) return null;
  const drug = plainDose(c);
  const stronger = cls === 'statin' ? 'a stronger dose' : 'a higher dose';
  switch (c.action) {
    case 'start':
      return drug ? `start ${aNew(cls)}, ${drug}` : start(cls, c.dose ?? 'standard');
    case 'raise':
      return drug ? `take ${stronger} of your ${MEDICINES[cls].what}: ${drug}` : `take ${stronger} of ${yours(cls)}`;
    case 'lower':
      return drug ? `take a lower dose of your ${MEDICINES[cls].what}: ${drug}` : `take a lower dose of ${yours(cls)}`;
    case 'stop':
      return c.agent ? `stop your ${MEDICINES[cls].what}, ${c.agent}` : `stop ${yours(cls)}`;
    case 'switch': {
      const from = isClass(c.fromClass) ? yours(c.fromClass) : 'one of your medicines';
      // A wash-out the backend names ("36 hours after the last ACE-inhibitor dose") is said too.
      const gap = /(\d+) hours after the last/.exec(c.text)?.[1];
      const wait = gap ? `, taking its first dose ${gap} hours after your last dose of the old one` : '';
      return `change ${from} for ${drug ? `${aNew(cls)}, ${drug}` : medicine(cls)}${wait}`;
    }
    default:
      return null;
  }
}

const CONFIRM = 'first check your blood pressure at home for a week';

const NON_DRUG: InterventionFile['type'][] = ['adherence', 'sodium_reduction', 'dash_diet', 'exercise', 'weight_change', 'smoking_cessation'];

const ICD = 'an ICD, a small implanted device that can stop a dangerous heart rhythm';
const CRT = 'CRT, a pacemaker that helps both sides of the heart pump together';

/** A check the plan asks for (`confirm`) in plain words, from the backend's words; null when it has none for the patient. */
function plainCheck(text: string): string | null {
  if (/\bBP\b|blood pressure/i.test(text)) return CONFIRM;
  const loop = /^review (\S+)\b.*congestion/.exec(text);
  if (loop?.[1]) return `have the dose of your water tablet (${loop[1]}) checked: the lowest dose that keeps fluid off`;
  if (/^weight up/.test(text)) return 'see your doctor today: your weight has gone up quickly, which can mean fluid is building up';
  if (/echocardiograph/.test(text)) return 'have another heart scan (echocardiogram) in 3 months';
  if (/\bECG\b/.test(text)) return 'have a heart tracing (ECG)';
  return null;
}

/** The referrals of a step in plain words: a device assessment (ICD, CRT) or a specialist. */
function plainReferrals(texts: string[]): string[] {
  const devices = [texts.some((t) => t.startsWith('ICD')) ? ICD : null, texts.some((t) => t.startsWith('CRT')) ? CRT : null].filter((d): d is string => d !== null);
  const words = devices.length > 0 ? [`see a heart-rhythm specialist about ${devices.length === 2 ? 'a device: ' : ''}${devices.join(', and ')}`] : [];
  if (texts.some((t) => !t.startsWith('ICD') && !t.startsWith('CRT'))) words.push('see a specialist');
  return words;
}

/** What the patient does besides medicines in the first step, from the plan's scenario (structured), else the backend's words. */
function besides(step: PlanStepView, scenario: ScenarioFile): string[] {
  const other = step.changes.filter((c) => plainChange(c) === null);
  const words: string[] = [];
  for (const c of other.filter((x) => x.action === 'confirm')) {
    const check = plainCheck(c.text);
    if (check && !words.includes(check)) words.push(check);
  }
  words.push(...plainReferrals(other.filter((c) => c.action === 'refer').map((c) => c.text)));
  if (other.some((c) => c.action === 'lifestyle')) {
    const fromFile = scenario.interventions.filter((i) => NON_DRUG.includes(i.type)).map(plainIntervention);
    words.push(...(fromFile.length > 0 ? fromFile : other.filter((c) => c.action === 'lifestyle').map((c) => c.text)));
  }
  return words;
}

/** "a, b and c". */
function listed(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

/** Whether a step acts on cholesterol (its drugs lower LDL-C) rather than blood pressure. */
function forCholesterol(step: PlanStepView): boolean {
  const classes = step.changes.map((c) => c.drugClass).filter(isClass);
  return classes.length > 0 && classes.every((c) => (LDL_LOWERING_CLASSES as readonly string[]).includes(c));
}

/** A later step: "if your blood pressure is still high at the 3-month check, start a new water tablet …, indapamide 2.5 mg once a day". */
export function plainLaterStep(step: PlanStepView): string {
  const drugs = step.changes.map(plainChange).filter((w): w is string => w !== null);
  const doing = drugs.length > 0 ? listed(drugs) : step.changes.map((c) => c.text).join(', ');
  const check = `the ${step.month.toString()}-month check`;
  // Heart failure: doses are raised step by step as tolerated; ivabradine if the pulse stays fast.
  const pulse = /heart rate is still (\d+) bpm/.exec(step.when)?.[1];
  if (pulse) return `if your resting pulse is still ${pulse} beats a minute or more at ${check}, ${doing}`;
  if (!/\bif\b/.test(step.when)) return `at ${check}, if your blood pressure, pulse and blood tests allow it, ${doing}`;
  const what = forCholesterol(step) ? 'your “bad” cholesterol (LDL) is' : 'your blood pressure is';
  return `if ${what} still high at ${check}, ${doing}`;
}

/**
 * A plan of care in plain words, step by step: what to do now (confirming the blood pressure
 * first where the plan asks it, the medicines named with their doses, then the rest), then each
 * later step as "if … is still high at the N-month check, …".
 */
export function plainCareSteps(c: CandidateView): string[] {
  const [first, ...later] = c.plan;
  if (!first) return [];
  const rest = besides(first, c.scenario);
  const confirm = rest.filter((w) => w === CONFIRM);
  const now = [...confirm, ...first.changes.map(plainChange).filter((w): w is string => w !== null), ...rest.filter((w) => w !== CONFIRM)];
  return [`now, ${now.length > 0 ? listed(now) : 'keep your treatment as it is'}`, ...later.map(plainLaterStep)];
}

/** The whole plan of care in one sentence (steps joined by semicolons). */
export function plainCarePlan(c: CandidateView): string {
  const steps = plainCareSteps(c);
  return steps.length > 0 ? steps.join('; ') : 'keep your treatment as it is';
}

const plural = (n: number, one: string) => `${n.toString()} ${one}${n === 1 ? '' : 's'}`;

/** One scenario intervention (as the scenario file types it) in plain words. */
export function plainIntervention(i: InterventionFile): string {
  switch (i.type) {
    case 'start_drug':
      return start(i.class, i.dose) + from(i.start_month);
    case 'change_dose':
      return `change ${yours(i.class)} to ${doseWords(i.class, i.dose)}${from(i.month)}`;
    case 'stop_drug':
      return `stop ${yours(i.class)}${from(i.month)}`;
    case 'adherence':
      return (i.level >= 0.95 ? 'take your medicines every day' : `take your medicines on about ${Math.round(i.level * 10).toString()} days in 10`) + from(i.start_month);
    case 'sodium_reduction':
      return SALT + from(i.start_month);
    case 'dash_diet':
      return DASH + from(i.start_month);
    case 'exercise':
      return exercise(i.minutes_per_week) + from(i.start_month);
    case 'weight_change': {
      const kg = Math.abs(i.kg);
      const amount = `about ${Number.isInteger(kg) ? kg.toFixed(0) : kg.toFixed(1)} kg over ${plural(i.over_months, 'month')}`;
      if (i.kg === 0) return `keep your weight steady${from(i.start_month)}`;
      return `${i.kg < 0 ? 'lose' : 'gain'} ${amount}${from(i.start_month)}`;
    }
    case 'lower_sbp':
      return `lower your blood pressure (top number) by about ${i.mmhg.toFixed(0)} mmHg${from(i.start_month)}`;
    case 'lower_ldl':
      return `lower your “bad” cholesterol (LDL) by about ${(i.fraction * 100).toFixed(0)}%${from(i.start_month)}`;
    case 'smoking_cessation':
      return `stop smoking${from(i.month)}`;
    case 'procedure':
      return (i.kind === 'pci' ? 'a procedure to widen a narrowed heart artery (a stent, PCI)' : 'heart bypass surgery (CABG)') + from(i.month);
  }
}

/** A switch of a plan: the class stopped and the change that replaces it. */
export interface Switch {
  from: ClassFile;
  change: PlanChangeView;
}

/** The switches of a plan's first step (a modified scenario says them as one change, not as a stop and a start). */
export function switchesOf(c: CandidateView | null): Switch[] {
  const first = c?.plan[0];
  if (!first) return [];
  return first.changes.flatMap((x) => (x.action === 'switch' && isClass(x.fromClass) && isClass(x.drugClass) ? [{ from: x.fromClass, change: x }] : []));
}

/**
 * A scenario's interventions in plain words, in their order. A stop and a start in the same month
 * that make up one of `switches` (the plan's, when the scenario was edited from it) are said as
 * that switch ("change your beta-blocker for …" rather than "stop …, start …"); the rest one by one.
 */
export function plainPlan(interventions: InterventionFile[], switches: Switch[] = []): string {
  const words = planChanges(interventions, switches);
  return words.length > 0 ? words.join(', ') : 'keep your treatment as it is';
}

/** A scenario's interventions in plain words, one change each (a switch said as one), in their order. */
export function planChanges(interventions: InterventionFile[], switches: Switch[] = []): string[] {
  const used = new Set<number>();
  const switchAt = new Map<number, Switch>();
  for (const sw of switches) {
    const stop = interventions.findIndex((i, n) => !used.has(n) && i.type === 'stop_drug' && i.class === sw.from);
    if (stop < 0) continue;
    const stopped = interventions[stop];
    const month = stopped?.type === 'stop_drug' ? stopped.month : -1;
    const begin = interventions.findIndex((i, n) => !used.has(n) && i.type === 'start_drug' && i.class === sw.change.drugClass && i.start_month === month);
    if (begin < 0) continue;
    used.add(stop);
    used.add(begin);
    switchAt.set(Math.min(stop, begin), sw);
  }
  const words = interventions.flatMap((i, k) => {
    const sw = switchAt.get(k);
    if (sw) return [(plainChange(sw.change) ?? '') + from(i.type === 'stop_drug' ? i.month : 'start_month' in i ? i.start_month : 0)];
    return used.has(k) ? [] : [plainIntervention(i)];
  });
  return words;
}

/** One rung of a plan's ladder in plain words: "start a water tablet that lowers blood pressure (thiazide)". */
export function plainRung(r: RungFile): string {
  return r.action === 'add' ? start(r.class, r.dose) : `take ${r.class === 'statin' ? 'a stronger dose' : 'a higher dose'} of ${yours(r.class)}`;
}

/** A treat-to-target strategy in plain words: regular checks, then its ladder's next step (or a medicine added or raised) each time the reading is too high. */
export function plainStrategy(s: StrategyFile, unit: LipidUnit = 'mg/dL'): string {
  return strategyParts(s, unit).join(', and ');
}

/** A strategy's checks in plain words, one a target (blood pressure, then cholesterol). */
function strategyParts(s: StrategyFile, unit: LipidUnit): string[] {
  const every = (m: number | undefined) => (m === undefined || m === 1 ? 'every month' : `every ${Number.isInteger(m) ? m.toFixed(0) : m.toFixed(1)} months`);
  const steps = (ladder: RungFile[]) => `take the next step: ${ladder.map(plainRung).join(', then ')}`;
  const parts: string[] = [];
  if (s.sbpTarget !== undefined) {
    const top = `the top number is ${s.sbpTarget.toFixed(0)} or higher`;
    parts.push(
      s.ladder && s.ladder.length > 0
        ? `check your blood pressure ${every(s.reviewMonths)} and, each time ${top}, ${steps(s.ladder)}`
        : `check your blood pressure ${every(s.reviewMonths)} and add or raise a blood-pressure medicine each time ${top}`,
    );
  }
  if (s.ldlTargetMgDl !== undefined) {
    // Strategies keep their LDL-C target in mg/dL (ACC/AHA's unit); said in the clinician's unit.
    const high = `it is ${formatLipid(s.ldlTargetMgDl / MG_DL_PER_MMOL_L_CHOLESTEROL, unit)} or higher`;
    parts.push(
      s.ldlLadder && s.ldlLadder.length > 0
        ? `check your “bad” cholesterol (LDL) ${every(s.ldlReviewMonths)} and, each time ${high}, ${steps(s.ldlLadder)}`
        : `check your “bad” cholesterol (LDL) ${every(s.ldlReviewMonths)} and add or raise a cholesterol medicine each time ${high}`,
    );
  }
  return parts;
}

/**
 * A chosen scenario as a list a patient can follow: each change, then each regular check of its
 * strategy ("then check your blood pressure every month and, …").
 */
export function scenarioSteps(s: ScenarioFile, switches: Switch[] = [], unit: LipidUnit = 'mg/dL'): string[] {
  const checks = s.strategy ? strategyParts(s.strategy, unit) : [];
  const changes = planChanges(s.interventions, switches);
  return [...changes, ...checks.map((c) => (changes.length > 0 ? `then ${c}` : c))];
}

/** A whole scenario in plain words: its changes first, then its strategy (the checks that follow). */
export function plainScenario(s: ScenarioFile, switches: Switch[] = [], unit: LipidUnit = 'mg/dL'): string {
  if (!s.strategy) return plainPlan(s.interventions, switches);
  if (s.interventions.length === 0) return plainStrategy(s.strategy, unit);
  return `${plainPlan(s.interventions, switches)}, then ${plainStrategy(s.strategy, unit)}`;
}

/** The latest blood pressure on record, for the patient view's words about today's treatment. */
export interface LatestBp {
  sbp: number;
  dbp: number | null;
  /** ISO date it was measured. */
  date: string;
}

/**
 * The office target the words hold a reading against when the suggestion gives none: below
 * 130/80 mmHg (ACC/AHA 2017 BP guideline; ESC 2024 hypertension guideline's target range).
 */
export const DEFAULT_BP_TARGET = { sbpBelow: 130, dbpBelow: 80 } as const;

/**
 * How far above target counts as "well above" for the patient: 20 mmHg systolic or 10 mmHg
 * diastolic, the step between blood-pressure grades (ESC/ESH 2018, Table 3), so a reading a
 * grade or more above target is never reassured.
 */
const WELL_ABOVE = { sbp: 20, dbp: 10 } as const;

/** What the patient reads about their blood pressure on today's treatment; null when it is at target or unknown. */
export function bpCaution(bp: LatestBp | null, target: Pick<TargetsView, 'sbpBelow' | 'dbpBelow'> = DEFAULT_BP_TARGET): string | null {
  if (!bp) return null;
  const reading = bp.dbp === null ? `${bp.sbp.toFixed(0)} (top number)` : `${bp.sbp.toFixed(0)}/${bp.dbp.toFixed(0)}`;
  const aim = `below ${target.sbpBelow.toFixed(0)}/${target.dbpBelow.toFixed(0)}`;
  const well = bp.sbp >= target.sbpBelow + WELL_ABOVE.sbp || (bp.dbp !== null && bp.dbp >= target.dbpBelow + WELL_ABOVE.dbp);
  const above = bp.sbp >= target.sbpBelow || (bp.dbp !== null && bp.dbp >= target.dbpBelow);
  const when = formatDate(bp.date);
  if (well) {
    return `Your blood pressure was ${reading} on ${when}. That is high: well above the aim of ${aim}. Keeping the same treatment is not expected to bring it down enough, so your doctor will want to check it again soon and talk with you about what to do next.`;
  }
  if (above) return `Your blood pressure was ${reading} on ${when}, a little above the aim of ${aim}. Your doctor will keep checking it.`;
  return null;
}

/** What the patient view says about the plan the clinician chose, and what it compares with today's treatment. */
export interface ChosenPlan {
  /** The plan compared with today's treatment; null when today's treatment is the choice. */
  scenario: ScenarioFile | null;
  lead: string;
  /** The plan of care's steps in plain words, when the lead introduces them (the suggested plan). */
  steps: string[];
  /** A warning the patient must read (a blood pressure well above target on today's treatment). */
  caution: string | null;
}

/** Whether two scenarios make the same changes (their names aside). */
function sameChanges(a: ScenarioFile, b: ScenarioFile): boolean {
  return JSON.stringify([a.interventions, a.strategy ?? null]) === JSON.stringify([b.interventions, b.strategy ?? null]);
}

/**
 * The patient view's words for the clinician's choice: today's treatment (said to be kept only
 * because it was chosen, and never reassuring about a blood pressure well above target), the
 * suggested plan step by step (from the suggestion, when it still makes the same changes), or a
 * modified or saved plan said from its changes. The clinician's name for a plan is never shown.
 */
export function chosenPlan(
  choice: PatientViewChoice,
  suggestion: CandidateView | null,
  bp: LatestBp | null,
  target?: Pick<TargetsView, 'sbpBelow' | 'dbpBelow'>,
  unit: LipidUnit = 'mg/dL',
): ChosenPlan {
  if (choice.kind === 'today') {
    return {
      scenario: null,
      lead: 'You and your doctor decided to keep your treatment as it is for now. This shows what it would likely do.',
      steps: [],
      caution: bpCaution(bp, target),
    };
  }
  const { scenario } = choice;
  if (choice.kind === 'suggested' && suggestion && sameChanges(suggestion.scenario, scenario)) {
    return { scenario, lead: 'Your doctor and you chose this plan, step by step:', steps: plainCareSteps(suggestion), caution: null };
  }
  return { scenario, lead: 'Your doctor and you chose this plan:', steps: scenarioSteps(scenario, switchesOf(suggestion), unit), caution: null };
}

/**
 * How close the model came last year, for the patient: the blood-pressure hindcast in one
 * sentence, or null when there is none to tell.
 */
export function plainHindcast(h: PersonalHindcast | undefined): string | null {
  const sbp = h?.available ? h.rows.find((r) => r.measurement === 'sbp') : undefined;
  if (!sbp) return null;
  const off = Math.max(1, Math.round(sbp.meanAbsError));
  let share = `${sbp.inside.toString()} of your ${sbp.readings.toString()} readings fell inside its likely range`;
  if (sbp.readings === 1) share = `your one reading fell ${sbp.inside === 1 ? 'inside' : 'outside'} its likely range`;
  return (
    'How close was it last time? Set up from your records of a year ago, the model’s estimates of your blood pressure ' +
    `were off by about ${off.toString()} mmHg, and ${share}.`
  );
}
