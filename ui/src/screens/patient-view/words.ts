// Plain words for the patient view: ranges from projection bands, no jargon, no raw parameters.
import type { AuditView, CandidateView, OutputBand, OutputKey, PersonalHindcast, ScenarioFile } from '../../api/backend';

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
    range: (lo, hi) => `${lo.toFixed(1)} to ${hi.toFixed(1)} mmol/L (${(lo * 38.67).toFixed(0)} to ${(hi * 38.67).toFixed(0)} mg/dL)`,
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

/** Each drug class in the words a patient uses, with the clinical name kept in brackets for their pharmacist. */
const MEDICINES: [RegExp, string][] = [
  [/^ACE inhibitor$/i, 'a blood-pressure medicine (ACE inhibitor)'],
  [/^ARB$/i, 'a blood-pressure medicine (ARB)'],
  [/^non-dihydropyridine calcium-channel blocker$/i, 'a medicine that lowers blood pressure and slows the heart (calcium-channel blocker)'],
  [/^calcium-channel blocker$/i, 'a blood-pressure medicine (calcium-channel blocker)'],
  [/^thiazide diuretic$/i, 'a water tablet that lowers blood pressure (thiazide)'],
  [/^beta-blocker$/i, 'a medicine that slows the heart (beta-blocker)'],
  [/^MRA$/i, 'a medicine that protects the heart and lowers blood pressure (MRA)'],
  [/^statin$/i, 'a cholesterol medicine (statin)'],
  [/^ezetimibe$/i, 'a second cholesterol medicine (ezetimibe)'],
  [/^PCSK9 inhibitor$/i, 'a cholesterol injection (PCSK9 inhibitor)'],
];

const medicine = (name: string) => MEDICINES.find(([re]) => re.test(name.trim()))?.[1] ?? name;
const yours = (name: string) => medicine(name).replace(/^an? /, 'your ');

/** One suggestion step ("add calcium-channel blocker", "raise statin to high intensity") in plain words. */
export function plainStep(step: string): string {
  const t = step.trim();
  if (t.endsWith('…')) return `${plainStep(t.slice(0, -1))} …`;
  let m: RegExpMatchArray | null;
  if (/^add statin to high intensity$/i.test(t)) return 'start a strong dose of a cholesterol medicine (statin)';
  if (/^add statin \(moderate intensity\)$/i.test(t)) return 'start a cholesterol medicine (statin)';
  if (/^raise statin (to high intensity|\(moderate intensity\))$/i.test(t)) return 'take a stronger dose of your cholesterol medicine (statin)';
  if ((m = /^add (.+) to (\w+) dose$/i.exec(t))) return `start ${medicine(m[1] ?? '')}, ${m[2] ?? ''} dose`;
  if ((m = /^raise (.+?)(?: to \w+ dose)?$/i.exec(t))) return `take a higher dose of ${yours(m[1] ?? '')}`;
  if ((m = /^add (.+)$/i.exec(t))) return `start ${medicine(m[1] ?? '')}`;
  if ((m = /^switch (.+) to (.+)$/i.exec(t))) return `change ${yours(m[1] ?? '')} for ${medicine(m[2] ?? '')}`;
  if (/^salt reduction$/i.test(t)) return 'eat less salt';
  if (/^DASH diet$/i.test(t)) return 'eat more fruit, vegetables and low-fat dairy (the DASH diet)';
  if ((m = /^aerobic exercise (\d+) min\/week$/i.exec(t))) return `brisk exercise (walking, cycling, swimming) ${m[1] ?? ''} minutes a week`;
  return t;
}

/** A regimen named as steps joined by " + " (a suggestion's label, or a scenario made from one), in plain words. */
export const plainPlan = (name: string) => name.split(' + ').map(plainStep).join(', ');

/** Ends a clause with a full stop, unless it already ends with one or an ellipsis. */
const sentence = (t: string) => (/[.…]$/.test(t) ? t : `${t}.`);

/**
 * The latest decision recorded for this patient picks the plan: accepted → the suggestion;
 * modified → the scenario chosen instead; declined → none (today's plan only). With no decision
 * yet, the suggestion, said to be undecided.
 */
export function chosenPlan(entries: AuditView[], id: string, suggestion: CandidateView | null): ChosenPlan {
  const last = [...entries].reverse().find((e) => e.patientId === id);
  const steps = (c: CandidateView) => c.steps.map(plainStep).join(', ');
  if (last?.decision === 'declined') {
    return { scenario: null, lead: 'You and your doctor decided to keep your treatment as it is; this shows what it would likely do.' };
  }
  if (last?.decision === 'modified') {
    const s = scenarioOf(last.modification);
    if (s) return { scenario: s, lead: `We compared your treatment today with the plan you and your doctor chose: ${sentence(plainPlan(s.name.replace(/^Modified: /, '')))}` };
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
