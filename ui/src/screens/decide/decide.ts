// Pure helpers of the decisions screen: labels, effect formatting (the form's rules: decisionForm.ts).
import type { AlertView, CandidateView, EffectView, ExpectedView, FhView, OutcomeView, OutputKey, PlanChangeView, PlanStepView, RiskChangeView, StatinView, TargetsView } from '../../api/backend';
import { MG_DL_PER_MMOL_L_CHOLESTEROL } from '../../api/generated';
import { formatPoints, formatRelative, numberNeededText } from '../scenarios/outputs';
import { HOSPITALISATION, isHeartFailure, outcomeName, riskPhrase } from '../scenarios/outcome';

export function decisionLabel(d: string): string {
  switch (d) {
    case 'accepted':
      return 'Accepted';
    case 'modified':
      return 'Modified';
    case 'declined':
      return 'Declined';
    default:
      return d;
  }
}

const decimals = (unit: string) => (unit === 'mmol/L' ? 2 : 0);

/** "1 class", "4 (3–4) classes": a count in whole numbers, its band only where it is one. */
function formatCount(e: EffectView): string {
  const [m, lo, hi] = [e.median, e.p05, e.p95].map((v) => Math.round(v));
  const unit = m === 1 && lo === hi ? e.unit.replace(/es$/, '') : e.unit;
  return lo === hi && lo === m ? `${String(m)} ${unit}` : `${String(m)} (${String(lo)}–${String(hi)}) ${unit}`;
}

/** "128 (121–136) mmHg"; LDL-C in mmol/L with mg/dL beside it; counts of drugs in whole numbers. */
export function formatEffect(e: EffectView): string {
  if (e.output === 'bp_drugs') return formatCount(e);
  const d = decimals(e.unit);
  const text = `${e.median.toFixed(d)} (${e.p05.toFixed(d)}–${e.p95.toFixed(d)}) ${e.unit}`;
  if (e.output !== 'ldl' || e.unit !== 'mmol/L') return text;
  const mg = (v: number) => (v * MG_DL_PER_MMOL_L_CHOLESTEROL).toFixed(0);
  return `${text} · ${mg(e.median)} (${mg(e.p05)}–${mg(e.p95)}) mg/dL`;
}

/** The regimen label of a logged suggestion (the whole suggestion is stored as JSON). */
export function suggestionLabelOf(stored: string): string {
  try {
    const v: unknown = JSON.parse(stored);
    if (typeof v === 'object' && v !== null && 'suggestion' in v) {
      const s = v.suggestion;
      if (typeof s === 'object' && s !== null && 'label' in s && typeof s.label === 'string') {
        // A plan of care: its first step, and how many reviews follow.
        const later = 'plan' in s && Array.isArray(s.plan) ? s.plan.length - 1 : 0;
        return later > 0 ? `${s.label}, then ${later.toString()} review step${later === 1 ? '' : 's'}` : s.label;
      }
      return 'no change';
    }
  } catch {
    // Fall through: older entries may hold plain text.
  }
  return stored.length > 80 ? `${stored.slice(0, 77)}…` : stored;
}

/** A logged modification: the chosen scenario's name (it is stored as the scenario's JSON). */
export function modificationLabel(stored: string): string {
  try {
    const v: unknown = JSON.parse(stored);
    if (typeof v === 'object' && v !== null && 'name' in v && typeof v.name === 'string') return v.name;
  } catch {
    // Plain text from the CLI.
  }
  return stored;
}

/**
 * A logged decision in one label: "Accepted", "Declined", "Modified: add amlodipine…". A
 * modified plan's scenario is often named "Modified: …" already (the decision screen names the
 * suggestion's copy so): the word is said once.
 */
export function historyLabel(decision: string, modification: string | null): string {
  const label = decisionLabel(decision);
  if (!modification) return label;
  const name = modificationLabel(modification).replace(/^\s*modified:\s*/i, '');
  return `${label}: ${name}`;
}

/** A scenario name of at most `max` characters, cut between steps (" + ") with "…" when long. */
export function shortName(name: string, max = 80): string {
  if (name.length <= max) return name;
  const cut = name.lastIndexOf(' + ', max - 1);
  return `${name.slice(0, cut > 0 ? cut : max - 1).trimEnd()} …`;
}

// ---- The plan of care as the decision screen shows it.


export type Severity = 'contraindicated' | 'caution' | 'info';

/** A rule's severity as the backend sends it; anything unknown is read as a caution, never as nothing. */
export function severityOf(a: Pick<AlertView, 'severity'>): Severity {
  return a.severity === 'contraindicated' || a.severity === 'info' ? a.severity : 'caution';
}

const RANK: Record<Severity, number> = { contraindicated: 0, caution: 1, info: 2 };

/** Most severe first, the backend's order kept within a severity. */
export function bySeverity(alerts: AlertView[]): AlertView[] {
  return alerts.map((a, n) => ({ a, n })).sort((x, y) => RANK[severityOf(x.a)] - RANK[severityOf(y.a)] || x.n - y.n).map(({ a }) => a);
}

/**
 * The severity in words, so it never rests on colour: an alert on the regimen on record says so
 * ("Contraindicated in today's regimen"); one in a plan is "Caution", "Contraindicated" or "Note".
 */
export function severityWords(a: Pick<AlertView, 'severity' | 'appliesTo'>): string {
  const s = severityOf(a);
  if (a.appliesTo === 'current') {
    return s === 'contraindicated' ? 'Contraindicated in today’s regimen' : s === 'caution' ? 'Caution in today’s regimen' : 'Note on today’s regimen';
  }
  return s === 'contraindicated' ? 'Contraindicated' : s === 'caution' ? 'Caution' : 'Note';
}

/** The first letter in capitals. */
export function capitalised(s: string): string {
  return s.length > 0 ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/**
 * One change as the clinician reads it: the backend's words, which name the agent with its mg
 * and schedule and the class in brackets ("Start amlodipine 5 mg once daily (calcium-channel
 * blocker)"); a stop whose agent the backend does not name keeps its class.
 */
export function changeText(c: PlanChangeView): string {
  return capitalised(c.text);
}

/** Whether a change is a drug named with its dose (agent and mg). */
export function namesDrugAndDose(c: PlanChangeView): boolean {
  return c.agent !== null && c.doseMg !== null;
}

/** A step's "when", as a heading: "Now", "At the 1-month review, if SBP is still 130 mmHg or more". */
export function stepTitle(step: PlanStepView): string {
  return capitalised(step.when);
}

/** The step's rule findings that need the clinician: contraindications and cautions first, notes after. */
export function stepAlerts(step: PlanStepView): { cautions: AlertView[]; notes: AlertView[] } {
  const sorted = bySeverity(step.alerts);
  return { cautions: sorted.filter((a) => severityOf(a) !== 'info'), notes: sorted.filter((a) => severityOf(a) === 'info') };
}

/**
 * The targets in one line each, naming the guideline they follow: "ESC 2024: below 130/80 mmHg",
 * "ESC/EAS 2019: below 2.6 mmol/L (101 mg/dL)"; under ACC/AHA the lipid goal is a statin intensity,
 * not a value: "ACC/AHA 2018: high-intensity statin, ≥ 50 % LDL-C reduction".
 */
export function targetLines(t: TargetsView): { bp: string; ldl: string } {
  return {
    bp: `${t.bpGuideline}: below ${t.sbpBelow.toFixed(0)}/${t.dbpBelow.toFixed(0)} mmHg`,
    ldl: t.ldlIntensity ? `${t.ldlGuideline}: ${t.ldlIntensity}` : `${t.ldlGuideline}: below ${t.ldlBelowMmol.toFixed(1)} mmol/L (${t.ldlBelowMgDl.toFixed(0)} mg/dL)`,
  };
}

/** "Statin indicated" or "No statin indicated". */
export function statinTitle(s: StatinView): string {
  return s.indicated ? 'Statin indicated' : 'No statin indicated';
}

/** A "possible" or higher Dutch Lipid Clinic Network score is a flag to assess. */
export function fhFlagged(fh: FhView | null): boolean {
  return fh !== null && ['possible', 'probable', 'definite'].includes(fh.category);
}

/** "Familial hypercholesterolaemia probable: Dutch Lipid Clinic Network score 7 points". */
export function fhTitle(fh: FhView): string {
  const points = `${fh.dlcnPoints.toString()} point${fh.dlcnPoints === 1 ? '' : 's'}`;
  return `Familial hypercholesterolaemia ${fh.category}: Dutch Lipid Clinic Network score ${points}`;
}

/** A share of simulated courses as a whole percentage. */
export const percent = (p: number) => `${(p * 100).toFixed(0)}%`;

/** "At every target in 75% of simulated courses at 12 months (BP 75%, LDL-C 99%), against 0% on today's treatment." */
export function probabilityText(plan: CandidateView, current: CandidateView, months: number): string {
  return `At every target in ${percent(plan.probability)} of simulated courses at ${months.toString()} months (BP ${percent(plan.probabilityBp)}, LDL-C ${percent(plan.probabilityLdl)}), against ${percent(current.probability)} on today’s treatment.`;
}

/** A change's 5–95 % band in points, lowest first: "5–95%: -10.7 to -6.1 pp". */
function bandText(r: RiskChangeView): string {
  return `5–95%: ${(-r.reductionP95).toFixed(1)} to ${(-r.reductionP05).toFixed(1)} pp`;
}

/**
 * A risk change against today's treatment: "10-year event risk 12.2% → 4.0%: -8.1 pp (5–95%:
 * -10.7 to -6.1 pp), -66 % relative; NNT 13 over 10 years". In heart failure the same for the
 * "3-year risk of death from any cause" and (`key` = `hf_hospitalisation`) "3-year risk of a first
 * HF hospitalisation".
 */
export function riskText(r: RiskChangeView, outcome?: OutcomeView | null, key: OutputKey = 'event_risk'): string {
  const nnt = numberNeededText(r.contrast, r.years * 12);
  const relative = formatRelative(r.contrast);
  return `${riskPhrase(outcome, key, r.years)} ${r.current.toFixed(1)}% → ${r.candidate.toFixed(1)}%: ${formatPoints(r.contrast)} (${bandText(r)})${relative ? `, ${relative}` : ''}${nnt ? `; ${nnt}` : ''}`;
}

/** Today's treatment alone, the baseline of every plan: "3-year risk of death from any cause on today's treatment: 20.9%". */
export function baselineText(r: RiskChangeView, outcome?: OutcomeView | null, key: OutputKey = 'event_risk'): string {
  return `${capitalised(riskPhrase(outcome, key, r.years))} on today’s treatment: ${r.current.toFixed(1)}%`;
}

/** The change of risk alone, for a compact table: "-8.1 pp (-66 % relative; 5–95%: -10.7 to -6.1 pp)"; "—" when not computed. */
export function riskShort(r: RiskChangeView | null): string {
  if (!r) return '—';
  const relative = formatRelative(r.contrast);
  return `${formatPoints(r.contrast)} (${relative ? `${relative}; ` : ''}${bandText(r)})`;
}

/** The risk columns of a table of plans: "Event risk", or "Death from any cause, 3 years" and "First HF hospitalisation, 3 years". */
export function riskColumns(outcome: OutcomeView | null | undefined): { key: OutputKey; title: string }[] {
  if (!outcome || !isHeartFailure(outcome)) return [{ key: 'event_risk', title: outcome ? `${outcome.horizonYears.toString()}-year event risk` : 'Event risk' }];
  const years = `${outcome.horizonYears.toString()} years`;
  return [
    { key: 'event_risk', title: `${outcomeName(outcome)}, ${years}` },
    ...(outcome.hospitalisation ? [{ key: 'hf_hospitalisation' as const, title: `${HOSPITALISATION}, ${years}` }] : []),
  ];
}

/** A plan's change of one risk output. */
export function riskOf(c: CandidateView, key: OutputKey): RiskChangeView | null {
  return key === 'hf_hospitalisation' ? c.hospitalisation : c.risk;
}

/** What a plan does after its first step, compactly: "then, if above target: indapamide, spironolactone, lisinopril". */
export function laterSteps(c: CandidateView): string {
  const later = c.plan.slice(1);
  if (later.length === 0) return 'no later step';
  const named = [...new Set(later.flatMap((s) => s.changes.map((x) => x.agent ?? x.text)))];
  return `then ${later.length.toString()} review step${later.length === 1 ? '' : 's'} if above target: ${named.join(', ')}`;
}

/**
 * What a step's drug changes are expected to do to the labs and heart rate that safety watches,
 * the non-negligible ones only: "K⁺ +0.3 mmol/L, eGFR -10 %, heart rate -8 bpm"; null when none.
 */
export function expectedText(e: ExpectedView | undefined): string | null {
  if (!e) return null;
  const signed = (v: number, digits: number) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(v).toFixed(digits)}`;
  const parts: string[] = [];
  if (Math.abs(e.potassiumMmolL) >= 0.05) parts.push(`K⁺ ${signed(e.potassiumMmolL, 1)} mmol/L`);
  if (Math.abs(e.sodiumMmolL) >= 0.5) parts.push(`Na⁺ ${signed(e.sodiumMmolL, 0)} mmol/L`);
  if (Math.abs(e.egfrPercent) >= 0.5) parts.push(`eGFR ${signed(e.egfrPercent, 0)} %`);
  if (Math.abs(e.heartRateBpm) >= 0.5) parts.push(`heart rate ${signed(e.heartRateBpm, 0)} bpm`);
  return parts.length > 0 ? parts.join(', ') : null;
}
