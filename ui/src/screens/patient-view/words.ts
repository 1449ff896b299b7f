// Plain words for the patient view: ranges from projection bands, no jargon, no raw parameters.
import type {
  AuditView,
  CandidateView,
  ClassFile,
  DoseFile,
  InterventionFile,
  OutputBand,
  OutputKey,
  PersonalHindcast,
  ScenarioFile,
  StepView,
  StrategyFile,
} from '../../api/backend';
import { MG_DL_PER_MMOL_L_CHOLESTEROL } from '../../api/generated';

export interface Measure {
  key: OutputKey;
  /** What the patient calls it. */
  name: string;
  /** How to say a range of it. */
  range: (lo: number, hi: number) => string;
}

const round = (v: number, step: number) => Math.round(v / step) * step;

/** "121 to 140", or "about 121" when both ends round to the same number. */
const span = (lo: string, hi: string, unit = '') => (lo === hi ? `about ${lo}${unit}` : `${lo} to ${hi}${unit}`);

export const MEASURES: Measure[] = [
  { key: 'sbp', name: 'Blood pressure (top number)', range: (lo, hi) => span(round(lo, 1).toFixed(0), round(hi, 1).toFixed(0)) },
  {
    key: 'ldl',
    name: '“Bad” cholesterol (LDL)',
    range: (lo, hi) =>
      `${lo.toFixed(1)} to ${hi.toFixed(1)} mmol/L (${(lo * MG_DL_PER_MMOL_L_CHOLESTEROL).toFixed(0)} to ${(hi * MG_DL_PER_MMOL_L_CHOLESTEROL).toFixed(0)} mg/dL)`,
  },
  {
    key: 'event_risk',
    name: 'Chance of a heart attack or stroke by then',
    range: (lo, hi) => span(Math.max(1, round(lo * 100, 1)).toFixed(0), Math.max(1, round(hi * 100, 1)).toFixed(0), ' in 100'),
  },
];

export const YEARS = [1, 5, 10] as const;

/** The likely range (5th–95th of simulated courses) of one measure at `years`, in words; null when not projected. */
export function rangeAt(bands: OutputBand[], m: Measure, years: number): string | null {
  const b = bands.find((x) => x.output === m.key);
  const month = years * 12;
  if (!b || month >= b.p5.length) return null;
  const lo = b.p5[month];
  const hi = b.p95[month];
  if (lo === undefined || hi === undefined || !Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return m.range(lo, hi);
}

/** The plan the patient view compares with today's, and how to say where it came from. */
export interface ChosenPlan {
  scenario: ScenarioFile | null;
  lead: string;
}

function scenarioOf(json: string | null): ScenarioFile | null {
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

/** One suggested step, from its structured parts, in plain words. */
export function plainStep(step: StepView): string {
  const c = step.change;
  let words: string;
  switch (c.action) {
    case 'start':
      words = start(c.class, c.dose);
      break;
    case 'raise':
      words = c.class === 'statin' ? `take a stronger dose of ${yours(c.class)}` : `take a higher dose of ${yours(c.class)}`;
      break;
    case 'switch':
      words = `change ${yours(c.from)} for ${medicine(c.to)}${c.dose === 'standard' ? '' : `, ${c.dose} dose`}`;
      break;
    case 'lifestyle':
      words = c.kind === 'salt_reduction' ? SALT : c.kind === 'dash_diet' ? DASH : exercise(c.minutesPerWeek);
      break;
  }
  return words + from(step.month);
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

/** Whether two interventions are the same change (every field equal). */
function same(a: InterventionFile, b: InterventionFile): boolean {
  const x: Record<string, unknown> = a;
  const y: Record<string, unknown> = b;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((k) => x[k] === y[k]);
}

/**
 * A scenario's interventions in plain words, in their order. Those that make up one of `steps`
 * (the suggestion's, when the scenario was edited from it) are said as that step ("change your
 * beta-blocker for …" rather than "stop …, start …"); the rest one by one.
 */
export function plainPlan(interventions: InterventionFile[], steps: StepView[] = []): string {
  const used = new Set<number>();
  const stepAt = new Map<number, StepView>();
  for (const step of steps) {
    const found: number[] = [];
    for (const want of step.interventions) {
      const k = interventions.findIndex((have, n) => !used.has(n) && !found.includes(n) && same(have, want));
      if (k < 0) break;
      found.push(k);
    }
    if (found.length === 0 || found.length < step.interventions.length) continue;
    for (const k of found) used.add(k);
    stepAt.set(Math.min(...found), step);
  }
  const words = interventions.flatMap((i, k) => {
    const step = stepAt.get(k);
    if (step) return [plainStep(step)];
    return used.has(k) ? [] : [plainIntervention(i)];
  });
  return words.length > 0 ? words.join(', ') : 'keep your treatment as it is';
}

/** A treat-to-target strategy in plain words: regular checks, a medicine added or raised each time the reading is too high. */
export function plainStrategy(s: StrategyFile): string {
  const every = (m: number | undefined) => (m === undefined || m === 1 ? 'every month' : `every ${Number.isInteger(m) ? m.toFixed(0) : m.toFixed(1)} months`);
  const parts: string[] = [];
  if (s.sbpTarget !== undefined) {
    parts.push(`check your blood pressure ${every(s.reviewMonths)} and add or raise a blood-pressure medicine each time the top number is ${s.sbpTarget.toFixed(0)} or higher`);
  }
  if (s.ldlTargetMgDl !== undefined) {
    parts.push(`check your “bad” cholesterol (LDL) ${every(s.ldlReviewMonths)} and add or raise a cholesterol medicine each time it is ${s.ldlTargetMgDl.toFixed(0)} mg/dL or higher`);
  }
  return parts.join(', and ');
}

/** A whole scenario in plain words: its strategy first, then its changes. */
export function plainScenario(s: ScenarioFile, steps: StepView[] = []): string {
  if (!s.strategy) return plainPlan(s.interventions, steps);
  const rest = s.interventions.length > 0 ? `, and ${plainPlan(s.interventions, steps)}` : '';
  return plainStrategy(s.strategy) + rest;
}

/**
 * The latest decision recorded for this patient picks the plan: accepted → the suggestion;
 * modified → the scenario chosen instead (said from its interventions); declined → none (today's plan only). With no decision
 * yet, the suggestion, said to be undecided.
 */
export function chosenPlan(entries: AuditView[], id: string, suggestion: CandidateView | null): ChosenPlan {
  const last = [...entries].reverse().find((e) => e.patientId === id);
  const steps = (c: CandidateView) => c.stepParts.map(plainStep).join(', ');
  if (last?.decision === 'declined') {
    return { scenario: null, lead: 'You and your doctor decided to keep your treatment as it is; this shows what it would likely do.' };
  }
  if (last?.decision === 'modified') {
    const s = scenarioOf(last.modification);
    if (s) return { scenario: s, lead: `We compared your treatment today with the plan you and your doctor chose: ${plainScenario(s, suggestion?.stepParts)}.` };
  }
  if (!suggestion) return { scenario: null, lead: 'Your treatment today already does what we aim for; no change is suggested.' };
  if (last?.decision === 'accepted') {
    return { scenario: suggestion.scenario, lead: `We compared your treatment today with the plan you and your doctor chose: ${steps(suggestion)}.` };
  }
  return { scenario: suggestion.scenario, lead: `We compared your treatment today with a suggested plan, not yet decided: ${steps(suggestion)}.` };
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
