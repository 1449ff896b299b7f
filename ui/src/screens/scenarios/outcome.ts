// What a projection's risk is a probability of, in words, for every screen that shows it. Outside
// heart failure the event risk is a major cardiovascular event, read at the projection's horizon
// (10 years); in heart failure it is death from any cause, with a first HF hospitalisation beside
// it, both read at MAGGIC's horizon (3 years) and never past it.
import type { OutcomeView, OutputKey, Projection } from '../../api/backend';

/** The outputs that are probabilities of an outcome: shown in %, differences in percentage points. */
export const RISK_OUTPUTS: readonly OutputKey[] = ['event_risk', 'hf_hospitalisation'];

export const isRiskOutput = (key: OutputKey): boolean => RISK_OUTPUTS.includes(key);

/** Whether the outcome is heart failure's (death from any cause, with HF hospitalisation). */
export const isHeartFailure = (o: OutcomeView | null | undefined): boolean => o?.kind === 'heart_failure';

/** The outcome's name, capitalised: "Death from any cause", "Major cardiovascular event". */
export function outcomeName(o: OutcomeView): string {
  return o.kind === 'heart_failure' ? 'Death from any cause' : 'Major cardiovascular event';
}

export const HOSPITALISATION = 'First HF hospitalisation';

/** The name of one risk output under this outcome ("Death from any cause", "First HF hospitalisation"). */
export function riskOutputName(o: OutcomeView, key: OutputKey): string {
  return key === 'hf_hospitalisation' ? HOSPITALISATION : outcomeName(o);
}

/** The risk outputs a screen shows for this outcome, in order. */
export function riskOutputsOf(o: OutcomeView): OutputKey[] {
  return o.hospitalisation ? ['event_risk', 'hf_hospitalisation'] : ['event_risk'];
}

const yearsText = (years: number) => (years === 1 ? '1 year' : `${Number.isInteger(years) ? years.toFixed(0) : years.toFixed(1)} years`);

/**
 * The month a screen reads the risk at, for a projection of `months`: the projection's end for a
 * cardiovascular event; MAGGIC's horizon in heart failure (or the end, when sooner).
 */
export function readMonth(o: OutcomeView, months: number): number {
  return isHeartFailure(o) ? Math.min(o.horizonYears * 12, months) : months;
}

/** Whether a risk output is read at `month` (heart-failure outcomes stop at MAGGIC's horizon). */
export function readsAt(o: OutcomeView, key: OutputKey, month: number): boolean {
  return !isRiskOutput(key) || !isHeartFailure(o) || month <= o.horizonYears * 12;
}

/** "Death from any cause at 3 years", "First HF hospitalisation at 3 years", "Major cardiovascular event risk by 10 years". */
export function riskHeading(o: OutcomeView, key: OutputKey, month: number): string {
  const when = yearsText(month / 12);
  if (!isHeartFailure(o)) return `${outcomeName(o)} risk by ${month < 12 ? `${month.toString()} months` : when}`;
  return `${riskOutputName(o, key)} at ${month < 12 ? `${month.toString()} months` : when}`;
}

/**
 * A risk named with its horizon, in running text: "10-year event risk", "3-year risk of death
 * from any cause", "3-year risk of a first HF hospitalisation".
 */
export function riskPhrase(o: OutcomeView | null | undefined, key: OutputKey, years: number): string {
  const y = `${Number.isInteger(years) ? years.toFixed(0) : years.toFixed(1)}-year`;
  if (key === 'hf_hospitalisation') return `${y} risk of a first HF hospitalisation`;
  if (o && isHeartFailure(o)) return `${y} risk of death from any cause`;
  return `${y} event risk`;
}

/** The heatmap's name for a cell: "3-year death from any cause", "10-year event risk". */
export function heatmapRiskName(o: OutcomeView, months: number): string {
  const y = `${Number.isInteger(months / 12) ? (months / 12).toFixed(0) : (months / 12).toFixed(1)}-year`;
  return isHeartFailure(o) ? `${y} death from any cause` : `${y} event risk`;
}

/** Whether a projection has any finite value of an output (the HF hospitalisation is empty outside heart failure). */
export function hasValues(p: Projection | undefined, key: OutputKey): boolean {
  const band = p?.outputs.find((b) => b.output === key);
  // NaN comes as null in JSON; Number.isFinite is false for both.
  return band?.p50.some((v) => Number.isFinite(v)) ?? false;
}

/** What the patient reads for each risk, over the years of `o`'s horizon. */
export function patientRiskWords(o: OutcomeView): { key: OutputKey; name: string }[] {
  const y = yearsText(o.horizonYears);
  if (!isHeartFailure(o)) return [{ key: 'event_risk', name: 'Chance of a heart attack or stroke by then' }];
  return [
    { key: 'event_risk', name: `Chance of dying from any cause in the next ${y}` },
    ...(o.hospitalisation ? [{ key: 'hf_hospitalisation' as OutputKey, name: `Chance of being admitted to hospital for heart failure in the next ${y}` }] : []),
  ];
}
