// Labels, defaults and checks for scenario interventions (the types are generated from
// twin-app's scenario file format, docs/SCENARIOS.md).
import type { ClassFile, DoseFile, InterventionFile, PersistenceFile, ScenarioFile } from '../../api/backend';
import { ADHERENCE_RANGE, EXERCISE_RANGE_MIN_PER_WEEK, WEIGHT_CHANGE_RANGE_KG, WEIGHT_OVER_MONTHS_RANGE } from '../../api/generated';

export const CLASSES: { value: ClassFile; label: string }[] = [
  { value: 'ace_inhibitor', label: 'ACE inhibitor' },
  { value: 'arb', label: 'ARB' },
  { value: 'calcium_channel_blocker', label: 'Calcium-channel blocker' },
  { value: 'thiazide', label: 'Thiazide diuretic' },
  { value: 'beta_blocker', label: 'Beta-blocker' },
  { value: 'mra', label: 'Mineralocorticoid receptor antagonist' },
  { value: 'statin', label: 'Statin' },
  { value: 'ezetimibe', label: 'Ezetimibe' },
  { value: 'pcsk9_inhibitor', label: 'PCSK9 inhibitor' },
  { value: 'non_dihydropyridine_ccb', label: 'Non-dihydropyridine calcium-channel blocker' },
  { value: 'alpha_blocker', label: 'Alpha-blocker' },
  { value: 'centrally_acting', label: 'Centrally acting (methyldopa)' },
  { value: 'inclisiran', label: 'Inclisiran' },
  { value: 'bempedoic_acid', label: 'Bempedoic acid' },
  { value: 'arni', label: 'ARNI (sacubitril/valsartan)' },
  { value: 'sglt2_inhibitor', label: 'SGLT2 inhibitor' },
  { value: 'ivabradine', label: 'Ivabradine' },
  { value: 'loop_diuretic', label: 'Loop diuretic' },
];

export const DOSES: { value: DoseFile; label: string }[] = [
  { value: 'half', label: 'Half standard (statin: low intensity)' },
  { value: 'standard', label: 'Standard (statin: moderate intensity)' },
  { value: 'double', label: 'Double (statin: high intensity)' },
];

/** Whether a started drug is projected as people keep taking one (the default) or as prescribed. */
export const PERSISTENCE: { value: PersistenceFile; label: string }[] = [
  { value: 'real_world', label: 'Real world: about half stop within a year (Vrijens 2008)' },
  { value: 'as_prescribed', label: 'As prescribed: taken throughout' },
];

export type InterventionType = InterventionFile['type'];

export const TYPES: { value: InterventionType; label: string }[] = [
  { value: 'start_drug', label: 'Start a drug not taken now' },
  { value: 'change_dose', label: 'Change the dose of a current drug' },
  { value: 'stop_drug', label: 'Stop a current drug' },
  { value: 'adherence', label: 'Adherence to current drugs' },
  { value: 'sodium_reduction', label: 'Salt reduction' },
  { value: 'dash_diet', label: 'DASH diet' },
  { value: 'exercise', label: 'Aerobic exercise' },
  { value: 'weight_change', label: 'Weight change' },
  { value: 'smoking_cessation', label: 'Stop smoking' },
  { value: 'procedure', label: 'Procedure (PCI or CABG)' },
];

export function defaultIntervention(type: InterventionType): InterventionFile {
  switch (type) {
    case 'start_drug':
      return { type, class: 'calcium_channel_blocker', dose: 'standard', start_month: 0, adherence: 1, persistence: 'real_world' };
    case 'change_dose':
      return { type, class: 'ace_inhibitor', dose: 'double', month: 0 };
    case 'stop_drug':
      return { type, class: 'calcium_channel_blocker', month: 0 };
    case 'adherence':
      return { type, level: 0.8, start_month: 0 };
    case 'sodium_reduction':
    case 'dash_diet':
      return { type, start_month: 0 };
    case 'exercise':
      return { type, minutes_per_week: 150, start_month: 0 };
    case 'weight_change':
      return { type, kg: -5, start_month: 0, over_months: 12 };
    case 'smoking_cessation':
      return { type, month: 0 };
    case 'procedure':
      return { type, kind: 'pci', month: 0 };
    case 'lower_sbp':
      return { type, mmhg: 10, start_month: 0 };
    case 'lower_ldl':
      return { type, fraction: 0.3, start_month: 0 };
  }
}

const className = (c: ClassFile) => CLASSES.find((x) => x.value === c)?.label ?? c;
const pct = (v: number) => `${Math.round(v * 100).toString()}%`;

/** One line for people. */
export function describe(i: InterventionFile): string {
  switch (i.type) {
    case 'start_drug':
      return `Start ${className(i.class)} (${i.dose} dose) at month ${i.start_month.toString()}, ${pct(i.adherence)} adherence, ${i.persistence === 'as_prescribed' ? 'taken as prescribed' : 'real-world persistence'}`;
    case 'change_dose':
      return `Change ${className(i.class)} to ${i.dose} dose at month ${i.month.toString()}`;
    case 'stop_drug':
      return `Stop ${className(i.class)} at month ${i.month.toString()}`;
    case 'adherence':
      return `Adherence to current drugs ${pct(i.level)} from month ${i.start_month.toString()}`;
    case 'sodium_reduction':
      return `Salt reduction from month ${i.start_month.toString()}`;
    case 'dash_diet':
      return `DASH diet from month ${i.start_month.toString()}`;
    case 'exercise':
      return `Exercise ${i.minutes_per_week.toString()} min/week from month ${i.start_month.toString()}`;
    case 'weight_change':
      return `Weight ${i.kg > 0 ? '+' : ''}${i.kg.toString()} kg over ${i.over_months.toString()} months from month ${i.start_month.toString()}`;
    case 'smoking_cessation':
      return `Stop smoking at month ${i.month.toString()}`;
    case 'procedure':
      return `${i.kind.toUpperCase()} at month ${i.month.toString()}`;
    case 'lower_sbp':
      return `Lower SBP by ${i.mmhg.toFixed(0)} mmHg (any regimen) from month ${i.start_month.toString()}`;
    case 'lower_ldl':
      return `Lower LDL-C by ${pct(i.fraction)} (any regimen) from month ${i.start_month.toString()}`;
  }
}

/**
 * What is wrong with an intervention, in plain words, or null: the server's limits
 * (scenario_file.rs, through the generated constants), field by field as the builder checks them.
 */
export function problem(i: InterventionFile, horizonMonths: number): string | null {
  const month = 'start_month' in i ? i.start_month : i.month;
  if (!Number.isInteger(month) || month < 0) return 'The month must be a whole number from 0.';
  if (month > horizonMonths) return `Month ${month.toString()} is after the horizon (${horizonMonths.toString()} months).`;
  const [lo, hi] = ADHERENCE_RANGE;
  const share = i.type === 'start_drug' ? i.adherence : i.type === 'adherence' ? i.level : null;
  if (share !== null && !(Number.isFinite(share) && share >= lo && share <= hi)) return `Adherence must be between ${(lo * 100).toString()} and ${(hi * 100).toString()} %.`;
  const within = (v: number, [a, b]: readonly [number, number]) => Number.isFinite(v) && v >= a && v <= b;
  if (i.type === 'exercise' && !within(i.minutes_per_week, EXERCISE_RANGE_MIN_PER_WEEK)) {
    return `Exercise must be ${EXERCISE_RANGE_MIN_PER_WEEK[0].toString()}–${EXERCISE_RANGE_MIN_PER_WEEK[1].toString()} minutes a week.`;
  }
  if (i.type === 'weight_change' && !within(i.kg, WEIGHT_CHANGE_RANGE_KG)) return `Weight change must be within ±${WEIGHT_CHANGE_RANGE_KG[1].toString()} kg.`;
  if (i.type === 'weight_change' && !within(i.over_months, WEIGHT_OVER_MONTHS_RANGE)) {
    return `The weight change is reached over ${WEIGHT_OVER_MONTHS_RANGE[0].toString()}–${WEIGHT_OVER_MONTHS_RANGE[1].toString()} months.`;
  }
  return null;
}

export const CURRENT: ScenarioFile = { name: 'Current treatment', interventions: [] };
