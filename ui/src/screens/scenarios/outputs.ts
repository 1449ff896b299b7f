// How each projected output is shown. Keys and units come from the engine (Projection.outputs).
export const OUTPUT_LABELS: Record<string, string> = {
  sbp: 'Systolic BP',
  dbp: 'Diastolic BP',
  heart_rate: 'Heart rate',
  ldl: 'LDL cholesterol',
  hdl: 'HDL cholesterol',
  weight: 'Weight',
  egfr: 'eGFR',
  stiffness: 'Arterial stiffness',
  lvef: 'LVEF',
  event_risk: 'Major CV event risk (cumulative)',
  cardiac_output: 'Cardiac output',
};

export function outputLabel(key: string): string {
  return OUTPUT_LABELS[key] ?? key;
}

/** Event risk is a probability: shown as a percentage. */
export function scaleOf(key: string): { factor: number; unit: string | null } {
  return key === 'event_risk' ? { factor: 100, unit: '%' } : { factor: 1, unit: null };
}

export function formatValue(key: string, value: number, unit: string, signed = false): string {
  const { factor, unit: shown } = scaleOf(key);
  const v = value * factor;
  const digits = key === 'ldl' || key === 'hdl' || key === 'cardiac_output' || key === 'stiffness' ? 2 : 1;
  const text = v.toFixed(digits);
  return `${signed && v > 0 ? '+' : ''}${text} ${shown ?? unit}`;
}

export function monthLabel(m: number): string {
  return m < 12 ? `${m.toString()} months` : m === 12 ? '1 year' : `${(m / 12).toString()} years`;
}
