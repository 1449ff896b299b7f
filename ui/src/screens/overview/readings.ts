/**
 * How the overview reads a measurement's history: the latest value against the one before (a
 * trend arrow, "stable" within a noise threshold), against the patient's target and against the
 * reference range (an abnormal flag), and whether it is older than its freshness limit.
 */
import type { FreshnessView, ReferenceRangeView, Series, SeriesPoint, TargetsView } from '../../api/backend';

/**
 * The smallest change between two readings the overview calls a rise or a fall; anything smaller
 * reads "stable". Ours, a display choice rather than a guideline figure: each threshold is of the
 * order of the measurement's within-person variation between visits, so ordinary noise does not
 * raise an arrow. Laboratory thresholds are of the order of the reference change values in the
 * EFLM Biological Variation Database (Aarsand AK et al., Clin Chem 2020;66:1373); office BP
 * between visits varies by several mmHg within a person (ESC 2024 hypertension guideline,
 * section 5, which for that reason averages readings); an echo LVEF differs by about 5 points
 * between readers; natriuretic peptides need a change of about 30 % (ESC HF 2021).
 * `abs` is in the series' unit, `rel` a fraction of the earlier value.
 */
export const TREND_THRESHOLDS: Readonly<Record<string, { abs?: number; rel?: number }>> = {
  sbp: { abs: 5 },
  dbp: { abs: 3 },
  heart_rate: { abs: 5 },
  wearable_resting_heart_rate: { abs: 3 },
  weight: { abs: 1 },
  bmi: { abs: 0.4 },
  total_cholesterol: { rel: 0.1 },
  ldl_cholesterol: { rel: 0.1 },
  hdl_cholesterol: { rel: 0.1 },
  triglycerides: { rel: 0.25 },
  hba1c: { abs: 0.3 },
  creatinine: { rel: 0.1 },
  egfr: { rel: 0.1 },
  potassium: { abs: 0.3 },
  sodium: { abs: 3 },
  lvef: { abs: 5 },
  nt_probnp: { rel: 0.3 },
  bnp: { rel: 0.3 },
  uacr: { rel: 0.3 },
  crp: { rel: 0.3 },
  qrs_duration: { abs: 10 },
};

export type Trend = 'up' | 'down' | 'stable';

/** Whether `latest` rose, fell or stayed within the measurement's noise threshold of `previous`. */
export function trend(key: string, previous: number, latest: number): Trend {
  const t = TREND_THRESHOLDS[key] ?? { rel: 0.1 };
  const threshold = t.abs ?? (t.rel ?? 0.1) * Math.abs(previous);
  const change = latest - previous;
  // A change exactly at the threshold counts, whatever the floating-point rounding of the difference.
  if (Math.abs(change) < threshold - 1e-9) return 'stable';
  return change > 0 ? 'up' : 'down';
}

/** The arrow and the words a screen reader says for a trend. */
export const TREND_SIGNS: Readonly<Record<Trend, { arrow: string; words: string }>> = {
  up: { arrow: '↑', words: 'up' },
  down: { arrow: '↓', words: 'down' },
  stable: { arrow: '→', words: 'stable' },
};

/** A target a measurement is read against, in the series' unit (mmHg; mmol/L for LDL-C). */
export interface Target {
  below: number;
  /** "ESC 2024" and the reason, for the hover note. */
  source: string;
}

/** The patient's target for `key`, where it has one (BP and LDL-C). */
export function targetFor(key: string, targets: TargetsView | null | undefined): Target | null {
  if (!targets) return null;
  if (key === 'sbp') return { below: targets.sbpBelow, source: `${targets.bpSource}: ${targets.bpReason}` };
  if (key === 'dbp') return { below: targets.dbpBelow, source: `${targets.bpSource}: ${targets.bpReason}` };
  // ACC/AHA 2018 sets a statin intensity, not an LDL-C target: the overview then reads LDL-C
  // against its reference range, and the intensity goal is on the suggestion screen.
  if (key === 'ldl_cholesterol') return targets.ldlIntensity ? null : { below: targets.ldlBelowMmol, source: `${targets.ldlSource}: ${targets.ldlReason}` };
  return null;
}

export type Flag = 'above-target' | 'high' | 'low';

/**
 * Why a value is abnormal, or null: at or above the patient's target ("below 130" is missed at
 * 130), else outside the reference range. A target takes precedence over the range, since it is
 * what the clinician treats to.
 */
export function flagFor(value: number, target: Target | null, range: ReferenceRangeView | null | undefined): Flag | null {
  if (target && value >= target.below) return 'above-target';
  if (target) return null;
  if (range?.high != null && value > range.high) return 'high';
  if (range?.low != null && value < range.low) return 'low';
  return null;
}

/** The flag as a cardiologist reads it on a lab report. */
export const FLAG_WORDS: Readonly<Record<Flag, { short: string; words: string }>> = {
  'above-target': { short: 'Above target', words: 'above target' },
  high: { short: 'H', words: 'high' },
  low: { short: 'L', words: 'low' },
};

/** The freshness input each series is judged by (`twin_app::freshness` names them). */
const FRESHNESS_MEASURE: Readonly<Record<string, string>> = {
  sbp: 'blood_pressure',
  dbp: 'blood_pressure',
  heart_rate: 'heart_rate',
  ldl_cholesterol: 'ldl_cholesterol',
  hdl_cholesterol: 'hdl_cholesterol',
  total_cholesterol: 'total_cholesterol',
  egfr: 'kidney_function',
  creatinine: 'kidney_function',
  hba1c: 'hba1c',
  lvef: 'lvef',
};

/** The stale input's age in words ("8 months") when `key`'s latest reading is over its limit. */
export function staleAge(key: string, freshness: FreshnessView | null | undefined): string | null {
  const measure = FRESHNESS_MEASURE[key];
  const input = measure ? freshness?.staleInputs.find((i) => i.measure === measure) : undefined;
  return input ? input.age : null;
}

/**
 * For blood pressure kept current by a home week: the age of the office reading when it is older
 * than its limit (the twin still calibrates on it), else null.
 */
export function officeAgeBesideHome(key: string, freshness: FreshnessView | null | undefined): string | null {
  const measure = FRESHNESS_MEASURE[key];
  const input = measure ? freshness?.inputs.find((i) => i.measure === measure) : undefined;
  return input?.homeWeek && input.officeStale ? input.age : null;
}

/** One row of the latest-values table. */
export interface LatestRow {
  key: string;
  label: string;
  unit: string;
  latest: SeriesPoint;
  previous: SeriesPoint | null;
  trend: Trend | null;
  target: Target | null;
  range: ReferenceRangeView | null;
  flag: Flag | null;
  /** Age in words when older than its limit. */
  stale: string | null;
  /** The office reading's age when a current home week keeps it from being stale ({@link officeAgeBesideHome}). */
  officeOld: string | null;
}

/** The measurements the top of the overview shows, in the order a cardiologist reads them. */
export const LATEST_KEYS = [
  'sbp',
  'dbp',
  'heart_rate',
  'ldl_cholesterol',
  'hba1c',
  'egfr',
  'potassium',
  'nt_probnp',
  'bnp',
  'lvef',
  'weight',
];

/** The latest-values rows for the measurements in `keys` that the record holds. */
export function latestRows(
  series: Series[],
  keys: string[],
  targets: TargetsView | null | undefined,
  ranges: ReferenceRangeView[],
  freshness: FreshnessView | null | undefined,
): LatestRow[] {
  return keys.flatMap((key) => {
    const s = series.find((x) => x.key === key);
    const latest = s?.points[s.points.length - 1];
    if (!s || !latest) return [];
    const previous = s.points[s.points.length - 2] ?? null;
    const target = targetFor(key, targets);
    const range = ranges.find((r) => r.key === key) ?? null;
    return [
      {
        key,
        label: s.label,
        unit: s.unit,
        latest,
        previous,
        trend: previous ? trend(key, previous.value, latest.value) : null,
        target,
        range,
        flag: flagFor(latest.value, target, range),
        stale: staleAge(key, freshness),
        officeOld: officeAgeBesideHome(key, freshness),
      },
    ];
  });
}

/** Laboratory measurements, in the order of a cardiology lab report. */
export const LAB_KEYS = [
  'ldl_cholesterol',
  'total_cholesterol',
  'hdl_cholesterol',
  'triglycerides',
  'hba1c',
  'creatinine',
  'egfr',
  'potassium',
  'sodium',
  'nt_probnp',
  'bnp',
  'uacr',
  'crp',
];

/** The lab table: the labs held, and the dates (newest first) on which any was measured. */
export function labTable(series: Series[]): { labs: Series[]; dates: string[] } {
  const labs = LAB_KEYS.flatMap((k) => series.filter((s) => s.key === k && s.points.length > 0));
  const dates = [...new Set(labs.flatMap((s) => s.points.map((p) => p.date.slice(0, 10))))].sort().reverse();
  return { labs, dates };
}

/** A lab's reading on `date`, where measured that day (the last of the day if more than one). */
export function readingOn(s: Series, date: string): SeriesPoint | null {
  return s.points.filter((p) => p.date.slice(0, 10) === date).at(-1) ?? null;
}

/** Whether `key` is a cholesterol the clinician reads in mmol/L or mg/dL. */
export function isLipid(key: string): boolean {
  return ['total_cholesterol', 'ldl_cholesterol', 'hdl_cholesterol'].includes(key);
}

/** Measurements written as whole numbers, as reports give them. */
const WHOLE = ['sbp', 'dbp', 'heart_rate', 'wearable_resting_heart_rate', 'egfr', 'creatinine', 'sodium', 'lvef', 'nt_probnp', 'bnp', 'qrs_duration', 'steps'];

/** Digits a value is written with: whole numbers for BP, rates, eGFR and the like; otherwise one below 100. */
export function decimals(key: string, value: number): number {
  if (WHOLE.includes(key)) return 0;
  if (key === 'potassium' || key === 'hba1c') return 1;
  return Math.abs(value) >= 100 ? 0 : 1;
}
