/**
 * One colour per measurement, the same on every screen, so systolic BP is never drawn in the
 * colour another screen uses for HbA1c. The 23 colours are the colour-blind-safe qualitative sets
 * of Okabe & Ito ("Color Universal Design", 2008; yellow left out, unreadable on white) and Paul
 * Tol's "muted" and "bright" schemes (Tol P, "Colour Schemes", SRON/EPS/TN/09-002, 2021).
 * Measurements drawn together (systolic and diastolic BP; the lipid profile) get colours from
 * different hue families; colour is never the only cue (labels and symbols name each line).
 */

/** Okabe–Ito. */
const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Tol muted. */
const TOL_MUTED = {
  rose: '#CC6677',
  indigo: '#332288',
  sand: '#DDCC77',
  green: '#117733',
  cyan: '#88CCEE',
  wine: '#882255',
  teal: '#44AA99',
  olive: '#999933',
  purple: '#AA4499',
} as const;

/** Tol bright. */
const TOL_BRIGHT = {
  blue: '#4477AA',
  cyan: '#66CCEE',
  green: '#228833',
  yellow: '#CCBB44',
  red: '#EE6677',
  purple: '#AA3377',
  grey: '#BBBBBB',
} as const;

/** The colour of each measurement, by the backend's series key. */
export const MEASUREMENT_COLOURS: Readonly<Record<string, string>> = {
  sbp: OKABE_ITO.vermillion,
  dbp: OKABE_ITO.blue,
  heart_rate: OKABE_ITO.reddishPurple,
  wearable_resting_heart_rate: TOL_MUTED.purple,
  weight: OKABE_ITO.black,
  bmi: TOL_BRIGHT.green,
  total_cholesterol: TOL_MUTED.indigo,
  ldl_cholesterol: TOL_MUTED.wine,
  hdl_cholesterol: OKABE_ITO.bluishGreen,
  triglycerides: TOL_MUTED.olive,
  hba1c: TOL_MUTED.teal,
  creatinine: OKABE_ITO.skyBlue,
  egfr: TOL_MUTED.green,
  potassium: TOL_BRIGHT.blue,
  sodium: TOL_BRIGHT.cyan,
  lvef: OKABE_ITO.orange,
  nt_probnp: TOL_MUTED.rose,
  bnp: TOL_BRIGHT.red,
  uacr: TOL_MUTED.sand,
  crp: TOL_BRIGHT.yellow,
  qrs_duration: TOL_BRIGHT.grey,
  steps: TOL_MUTED.cyan,
  sleep_duration: TOL_BRIGHT.purple,
};

/** Colours for what is not a measurement: medications, events, projections. */
export const CHART_COLOURS = {
  /** A medication being taken. */
  medication: '#4477AA',
  /** A medication stopped. */
  pastMedication: '#9E9E9E',
  /** Event markers (procedures, admissions, diagnoses). */
  event: '#444444',
} as const;

/** A measurement's colour; a neutral grey for a key the palette does not know. */
export function measurementColour(key: string): string {
  return MEASUREMENT_COLOURS[key] ?? '#666666';
}
