// How projected outputs are shown. Keys, labels and units come from the engine (OutputBand).
import type { OutputKey, Projection, RiskContrastView } from '../../api/backend';
import { lipidIn, type LipidUnit } from '../../app/format';
import { isRiskOutput } from './outcome';

/** Cholesterol outputs: the engine speaks mmol/L, the clinician reads the unit chosen in Settings. */
export const LIPIDS: OutputKey[] = ['ldl', 'hdl'];

/** The output's label as the engine names it (the HF hospitalisation projected is the first one). */
export function labelOf(projection: Projection | undefined, key: OutputKey): string {
  if (key === 'hf_hospitalisation') return 'First HF hospitalisation (cumulative)';
  return projection?.outputs.find((o) => o.output === key)?.label ?? key;
}

/** The output's unit as the engine gives it ("mmHg", "mmol/L"). */
export function unitOf(projection: Projection | undefined, key: OutputKey): string {
  return projection?.outputs.find((o) => o.output === key)?.unit ?? '';
}

/**
 * Event risk and HF hospitalisation are probabilities: shown as percentages. Cholesterol is shown
 * in the clinician's unit (`lipidIn`'s one factor).
 */
export function scaleOf(key: OutputKey, lipidUnit: LipidUnit = 'mmol/L'): { factor: number; unit: string | null } {
  if (isRiskOutput(key)) return { factor: 100, unit: '%' };
  if (LIPIDS.includes(key)) return { factor: lipidIn(1, lipidUnit), unit: lipidUnit };
  return { factor: 1, unit: null };
}

const TWO_DECIMALS: OutputKey[] = ['ldl', 'hdl', 'cardiac_output', 'stiffness'];

export function formatValue(key: OutputKey, value: number, unit: string, signed = false, lipidUnit: LipidUnit = 'mmol/L'): string {
  const { factor, unit: scaled } = scaleOf(key, lipidUnit);
  // A difference of two risks is in percentage points, not per cent.
  const shown = signed && isRiskOutput(key) ? 'pp' : scaled;
  const v = value * factor;
  // Cholesterol in mg/dL reads in whole numbers, as ACC/AHA targets are written.
  const digits = LIPIDS.includes(key) && lipidUnit === 'mg/dL' ? 0 : TWO_DECIMALS.includes(key) ? 2 : 1;
  // A value that rounds to zero is shown as 0, without a sign ("-0.0" reads as a fall).
  const rounded = Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v;
  if (COUNTS.includes(key)) return formatCount(rounded, shown ?? unit, signed);
  const text = rounded.toFixed(digits);
  return `${signed && rounded > 0 ? '+' : ''}${text} ${shown ?? unit}`;
}

/** Outputs that count things (drug classes): whole numbers without decimals. */
export const COUNTS: OutputKey[] = ['bp_drugs'];

/** A count: "2 classes", "+1 class", "2.5 classes" (a median between two counts). */
function formatCount(v: number, unit: string, signed: boolean): string {
  const whole = Math.abs(v - Math.round(v)) < 0.05;
  const text = whole ? Math.round(v).toFixed(0) : v.toFixed(1);
  const one = whole && Math.abs(Math.round(v)) === 1;
  return `${signed && v > 0 ? '+' : ''}${text} ${one ? unit.replace(/es$/, '') : unit}`;
}

export function monthLabel(m: number): string {
  return m < 12 ? `${m.toString()} months` : m === 12 ? '1 year' : `${(m / 12).toString()} years`;
}

/** A risk difference in percentage points: "-1.6 pp". */
export function formatPoints(c: RiskContrastView): string {
  return `${Math.abs(c.points) < 0.05 ? '0.0' : `${c.points > 0 ? '+' : ''}${c.points.toFixed(1)}`} pp`;
}

/** Its size relative to the reference: "-13 % relative"; empty when under half a per cent. */
export function formatRelative(c: RiskContrastView): string {
  if (c.relativePercent === null || Math.abs(c.relativePercent) < 0.5) return '';
  return `${c.relativePercent > 0 ? '+' : ''}${c.relativePercent.toFixed(0)} % relative`;
}

/** A risk difference with its relative size: "-1.6 pp (-13 % relative)". */
export function formatContrast(c: RiskContrastView): string {
  const relative = formatRelative(c);
  return relative ? `${formatPoints(c)} (${relative})` : formatPoints(c);
}

/** The number needed to treat (or harm) by `months`: "NNT 63 over 10 years"; empty when negligible. */
export function numberNeededText(c: RiskContrastView, months: number): string {
  if (c.numberNeeded === null) return '';
  return `${c.toTreat ? 'NNT' : 'NNH'} ${c.numberNeeded.toString()} over ${monthLabel(months)}`;
}
