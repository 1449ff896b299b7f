// How projected outputs are shown. Keys, labels and units come from the engine (OutputBand).
import type { OutputKey, Projection } from '../../api/backend';

/** The output's label as the engine names it. */
export function labelOf(projection: Projection | undefined, key: OutputKey): string {
  return projection?.outputs.find((o) => o.output === key)?.label ?? key;
}

/** Event risk is a probability: shown as a percentage. */
export function scaleOf(key: OutputKey): { factor: number; unit: string | null } {
  return key === 'event_risk' ? { factor: 100, unit: '%' } : { factor: 1, unit: null };
}

const TWO_DECIMALS: OutputKey[] = ['ldl', 'hdl', 'cardiac_output', 'stiffness'];

export function formatValue(key: OutputKey, value: number, unit: string, signed = false): string {
  const { factor, unit: shown } = scaleOf(key);
  const v = value * factor;
  const digits = TWO_DECIMALS.includes(key) ? 2 : 1;
  // A value that rounds to zero is shown as 0, without a sign ("-0.0" reads as a fall).
  const rounded = Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v;
  const text = rounded.toFixed(digits);
  return `${signed && rounded > 0 ? '+' : ''}${text} ${shown ?? unit}`;
}

export function monthLabel(m: number): string {
  return m < 12 ? `${m.toString()} months` : m === 12 ? '1 year' : `${(m / 12).toString()} years`;
}
