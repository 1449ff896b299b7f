// Plain words for the patient view: ranges from projection bands, no jargon, no raw parameters.
import type { AuditView, CandidateView, OutputBand, OutputKey, ScenarioFile } from '../../api/backend';

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

/** Ends a clause with a full stop, unless it already ends with one or an ellipsis. */
const sentence = (t: string) => (/[.…]$/.test(t) ? t : `${t}.`);

/**
 * The latest decision recorded for this patient picks the plan: accepted → the suggestion;
 * modified → the scenario chosen instead; declined → none (today's plan only). With no decision
 * yet, the suggestion, said to be undecided.
 */
export function chosenPlan(entries: AuditView[], id: string, suggestion: CandidateView | null): ChosenPlan {
  const last = [...entries].reverse().find((e) => e.patientId === id);
  const steps = (c: CandidateView) => c.steps.join(', ');
  if (last?.decision === 'declined') {
    return { scenario: null, lead: 'You and your doctor decided to keep your treatment as it is; this shows what it would likely do.' };
  }
  if (last?.decision === 'modified') {
    const s = scenarioOf(last.modification);
    if (s) return { scenario: s, lead: `We compared your treatment today with the plan you and your doctor chose: ${sentence(s.name.replace(/^Modified: /, ''))}` };
  }
  if (!suggestion) return { scenario: null, lead: 'Your treatment today already does what we aim for; no change is suggested.' };
  if (last?.decision === 'accepted') {
    return { scenario: suggestion.scenario, lead: `We compared your treatment today with the plan you and your doctor chose: ${steps(suggestion)}.` };
  }
  return { scenario: suggestion.scenario, lead: `We compared your treatment today with a suggested plan, not yet decided: ${steps(suggestion)}.` };
}
