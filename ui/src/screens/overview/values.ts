// How a reading is written on the overview: cholesterol in the clinician's unit, a fixed number
// of digits per measurement, and ranges and targets in the same unit as the value.
import type { ReferenceRangeView } from '../../api/backend';
import { lipidIn, type LipidUnit } from '../../app/format';
import { decimals, isLipid, type Target } from './readings';

/** The unit `key` is shown in. */
export function displayUnit(key: string, unit: string, lipidUnit: LipidUnit): string {
  return isLipid(key) ? lipidUnit : unit;
}

/** A value as a number in the display unit, written with its digits ("152", "2.6", "101"). */
export function displayNumber(key: string, value: number, lipidUnit: LipidUnit): string {
  if (isLipid(key)) return lipidIn(value, lipidUnit).toFixed(lipidUnit === 'mg/dL' ? 0 : 1);
  return value.toFixed(decimals(key, value));
}

/** A value with its unit ("152 mmHg", "2.6 mmol/L"); `%` and counts without a space. */
export function displayValue(key: string, value: number, unit: string, lipidUnit: LipidUnit): string {
  const u = displayUnit(key, unit, lipidUnit);
  return u === '%' ? `${displayNumber(key, value, lipidUnit)}%` : `${displayNumber(key, value, lipidUnit)} ${u}`;
}

/** "3.5–5.3", "< 5.0", "≥ 60", or "" without a range. */
export function rangeText(key: string, range: ReferenceRangeView | null | undefined, lipidUnit: LipidUnit): string {
  if (!range) return '';
  const n = (v: number) => displayNumber(key, v, lipidUnit);
  if (range.low != null && range.high != null) return `${n(range.low)}–${n(range.high)}`;
  if (range.high != null) return `≤ ${n(range.high)}`;
  if (range.low != null) return `≥ ${n(range.low)}`;
  return '';
}

/** "< 130" in the display unit. */
export function targetText(key: string, target: Target, lipidUnit: LipidUnit): string {
  return `< ${displayNumber(key, target.below, lipidUnit)}`;
}
