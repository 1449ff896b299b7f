// The change being typed in the builder: what the clinician typed, kept as typed (an empty or
// mistyped number stays on screen with its problem), each number read and checked against the
// server's limits (generated from twin-app's scenario_file.rs), and the choices that apply to
// this patient's regimen at that month (twin-app's `scenarioOptions`).
import type { ClassFile, DoseFile, DoseOption, InterventionFile, PersistenceFile, ProcedureFile, ScenarioOptions } from '../../api/backend';
import { ADHERENCE_RANGE, EXERCISE_RANGE_MIN_PER_WEEK, MAX_CHANGE_MONTH, WEIGHT_CHANGE_RANGE_KG, WEIGHT_OVER_MONTHS_RANGE } from '../../api/generated';
import { CLASSES, DOSES, type InterventionType } from './interventions';

/** The changes the builder offers (the heatmap's "lower SBP/LDL-C by" are not typed here). */
export type BuilderType = Exclude<InterventionType, 'lower_sbp' | 'lower_ldl'>;

/** Every number a change may hold, by the builder's name for it. */
export type NumberKey = 'adherence' | 'level' | 'minutesPerWeek' | 'kg' | 'overMonths' | 'month';

export interface Draft {
  type: BuilderType;
  class: ClassFile;
  dose: DoseFile;
  persistence: PersistenceFile;
  kind: ProcedureFile;
  /** The numbers as typed. */
  text: Record<NumberKey, string>;
}

export interface NumberSpec {
  key: NumberKey;
  label: string;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  /** What to enter, for "Enter …". */
  what: string;
  /** The message for a number out of range. */
  range: string;
}

const [ADH_LO, ADH_HI] = ADHERENCE_RANGE;
const [EX_LO, EX_HI] = EXERCISE_RANGE_MIN_PER_WEEK;
const [KG_LO, KG_HI] = WEIGHT_CHANGE_RANGE_KG;
const [OVER_LO, OVER_HI] = WEIGHT_OVER_MONTHS_RANGE;

const adherence = (key: 'adherence' | 'level'): NumberSpec => ({
  key,
  label: 'Adherence (%)',
  min: ADH_LO * 100,
  max: ADH_HI * 100,
  step: 1,
  integer: false,
  what: 'the share of doses taken, in %',
  range: `Adherence must be between ${(ADH_LO * 100).toString()} and ${(ADH_HI * 100).toString()} %.`,
});

function monthSpec(type: BuilderType, horizonMonths: number): NumberSpec {
  const at = ['change_dose', 'stop_drug', 'smoking_cessation', 'procedure'].includes(type);
  const max = Math.min(horizonMonths, MAX_CHANGE_MONTH);
  return {
    key: 'month',
    label: at ? 'At month' : 'From month',
    min: 0,
    max,
    step: 1,
    integer: true,
    what: 'a month (0 is now)',
    range: `The month must be from 0 (now) to ${max.toString()} (the horizon).`,
  };
}

/** The numbers a change of `type` holds, in the order shown. */
export function numberSpecs(type: BuilderType, horizonMonths: number): NumberSpec[] {
  const month = monthSpec(type, horizonMonths);
  switch (type) {
    case 'start_drug':
      return [adherence('adherence'), month];
    case 'adherence':
      return [adherence('level'), month];
    case 'exercise':
      return [
        {
          key: 'minutesPerWeek',
          label: 'Minutes per week',
          min: EX_LO,
          max: EX_HI,
          step: 10,
          integer: false,
          what: 'minutes of exercise a week',
          range: `Exercise must be ${EX_LO.toString()}–${EX_HI.toString()} minutes a week.`,
        },
        month,
      ];
    case 'weight_change':
      return [
        {
          key: 'kg',
          label: 'Change (kg, negative = loss)',
          min: KG_LO,
          max: KG_HI,
          step: 0.5,
          integer: false,
          what: 'the change in kg (negative for a loss)',
          range: `Weight change must be within ±${KG_HI.toString()} kg.`,
        },
        {
          key: 'overMonths',
          label: 'Over (months)',
          min: OVER_LO,
          max: OVER_HI,
          step: 1,
          integer: true,
          what: 'the months it takes',
          range: `The weight change is reached over ${OVER_LO.toString()}–${OVER_HI.toString()} months.`,
        },
        month,
      ];
    default:
      return [month];
  }
}

/** Figures a person types: "12", "-5", "2.5", ".5", "1e3"; a comma is not a decimal point here. */
const FIGURES = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A typed number, read and checked: the value, or what is wrong in plain words. */
export function readNumber(text: string, spec: NumberSpec): { value: number; problem: null } | { value: null; problem: string } {
  const t = text.trim().replace(/\u2212/g, '-');
  if (t === '') return { value: null, problem: `Enter ${spec.what}.` };
  if (!FIGURES.test(t)) return { value: null, problem: `“${text.trim()}” is not a number: enter ${spec.what} in figures.` };
  const v = Number(t);
  if (!Number.isFinite(v) || v < spec.min || v > spec.max) return { value: null, problem: spec.range };
  if (spec.integer && !Number.isInteger(v)) return { value: null, problem: `${spec.label.replace(/ \(.*\)$/, '')}: enter a whole number.` };
  return { value: v, problem: null };
}

const EMPTY_TEXT: Record<NumberKey, string> = { adherence: '100', level: '80', minutesPerWeek: '150', kg: '-5', overMonths: '12', month: '0' };

export function defaultDraft(type: BuilderType): Draft {
  return {
    type,
    class: type === 'change_dose' ? 'ace_inhibitor' : 'calcium_channel_blocker',
    dose: type === 'change_dose' ? 'double' : 'standard',
    persistence: 'real_world',
    kind: 'pci',
    text: { ...EMPTY_TEXT },
  };
}

const show = (v: number) => (Number.isInteger(v) ? v.toString() : String(Number(v.toFixed(6))));

/** A saved change back in the form, to edit it; `null` for the heatmap's changes, which are not typed. */
export function draftOf(i: InterventionFile): Draft | null {
  if (i.type === 'lower_sbp' || i.type === 'lower_ldl') return null;
  const d = defaultDraft(i.type);
  const month = 'start_month' in i ? i.start_month : i.month;
  const text = { ...d.text, month: show(month) };
  switch (i.type) {
    case 'start_drug':
      return { ...d, class: i.class, dose: i.dose, persistence: i.persistence, text: { ...text, adherence: show(i.adherence * 100) } };
    case 'change_dose':
      return { ...d, class: i.class, dose: i.dose, text };
    case 'stop_drug':
      return { ...d, class: i.class, text };
    case 'adherence':
      return { ...d, text: { ...text, level: show(i.level * 100) } };
    case 'exercise':
      return { ...d, text: { ...text, minutesPerWeek: show(i.minutes_per_week) } };
    case 'weight_change':
      return { ...d, text: { ...text, kg: show(i.kg), overMonths: show(i.over_months) } };
    case 'procedure':
      return { ...d, kind: i.kind, text };
    default:
      return { ...d, text };
  }
}

/** One class the builder may choose, with the doses its agent's ladder has. */
export interface ClassChoice {
  class: ClassFile;
  label: string;
  /** Today's dose where the class is taken at that month. */
  dose: DoseFile | null;
  /** "lisinopril 10 mg once daily (ACE inhibitor)", where taken today. */
  medication: string | null;
  doses: DoseOption[];
}

const classLabel = (c: ClassFile) => CLASSES.find((x) => x.value === c)?.label ?? c;
const anyDose = (): DoseOption[] => DOSES.map((d) => ({ dose: d.value, text: d.label }));

/** Classes taken at `month` (with their dose) after the changes already in the scenario. */
export function regimenAt(regimen: ScenarioOptions, items: InterventionFile[], month: number): Map<ClassFile, DoseFile> {
  const taken = new Map<ClassFile, DoseFile>(regimen.taken.map((t) => [t.class, t.dose]));
  const monthOf = (i: InterventionFile) => ('start_month' in i ? i.start_month : i.month);
  const steps = items
    .map((i, n) => ({ i, n }))
    .filter(({ i }) => monthOf(i) <= month)
    .sort((a, b) => monthOf(a.i) - monthOf(b.i) || a.n - b.n);
  for (const { i } of steps) {
    if (i.type === 'start_drug' || i.type === 'change_dose') taken.set(i.class, i.dose);
    if (i.type === 'stop_drug') taken.delete(i.class);
  }
  return taken;
}

/**
 * The classes a change of `type` may name for this patient at `month`: start only what is not
 * taken then, change or stop only what is; without the regimen (it has not loaded), every class.
 */
export function classChoices(type: BuilderType, regimen: ScenarioOptions | undefined, items: InterventionFile[], month: number): ClassChoice[] {
  if (!regimen) return CLASSES.map((c) => ({ class: c.value, label: c.label, dose: null, medication: null, doses: anyDose() }));
  const taken = regimenAt(regimen, items, month);
  const ladder = (c: ClassFile) => regimen.taken.find((t) => t.class === c)?.doses ?? regimen.startable.find((s) => s.class === c)?.doses ?? anyDose();
  const medication = (c: ClassFile) => regimen.taken.find((t) => t.class === c)?.medication ?? null;
  if (type === 'start_drug') {
    // In the engine's order: today's classes first (they may be stopped and started again), then the rest.
    const all = [...regimen.taken.map((t) => t.class), ...regimen.startable.map((s) => s.class)];
    return CLASSES.filter((c) => all.includes(c.value) && !taken.has(c.value)).map((c) => ({ class: c.value, label: c.label, dose: null, medication: null, doses: ladder(c.value) }));
  }
  return [...taken.entries()].map(([c, dose]) => ({ class: c, label: classLabel(c), dose, medication: medication(c), doses: ladder(c) }));
}

/** What the draft would add, or the problem of each field. */
export interface DraftReading {
  intervention: InterventionFile | null;
  problems: Partial<Record<NumberKey | 'class' | 'dose', string>>;
  /** The class and dose the form shows (the draft's, or the first that applies). */
  class: ClassFile | null;
  dose: DoseFile | null;
  choices: ClassChoice[];
}

export function readDraft(d: Draft, horizonMonths: number, regimen: ScenarioOptions | undefined, items: InterventionFile[]): DraftReading {
  const problems: DraftReading['problems'] = {};
  const values: Partial<Record<NumberKey, number>> = {};
  for (const spec of numberSpecs(d.type, horizonMonths)) {
    const r = readNumber(d.text[spec.key], spec);
    if (r.problem !== null) problems[spec.key] = r.problem;
    else values[spec.key] = r.value;
  }
  const drug = d.type === 'start_drug' || d.type === 'change_dose' || d.type === 'stop_drug';
  // Choices at the typed month (today's, while the month is not a month).
  const choices = drug ? classChoices(d.type, regimen, items, values.month ?? 0) : [];
  const choice = choices.find((c) => c.class === d.class) ?? choices[0];
  const doses = choice ? (d.type === 'change_dose' ? choice.doses.filter((x) => x.dose !== choice.dose) : choice.doses) : [];
  const dose = doses.find((x) => x.dose === d.dose)?.dose ?? (doses.find((x) => x.dose === 'standard') ?? doses[0])?.dose ?? null;
  const at = values.month === undefined ? 'then' : values.month === 0 ? 'now' : `at month ${values.month.toString()}`;
  if (drug && !choice) {
    problems.class = d.type === 'start_drug' ? `Every class the scenario can start is taken ${at}.` : `No drug is taken ${at}: there is nothing to ${d.type === 'stop_drug' ? 'stop' : 'change'}.`;
  }
  if (d.type === 'change_dose' && choice && dose === null) problems.dose = `${choice.label} has no other dose on its agent’s ladder.`;
  if (Object.keys(problems).length > 0) return { intervention: null, problems, class: choice?.class ?? null, dose, choices };
  const cls = choice?.class ?? d.class;
  const month = values.month ?? 0;
  let intervention: InterventionFile;
  switch (d.type) {
    case 'start_drug':
      intervention = { type: 'start_drug', class: cls, dose: dose ?? 'standard', start_month: month, adherence: (values.adherence ?? 100) / 100, persistence: d.persistence };
      break;
    case 'change_dose':
      intervention = { type: 'change_dose', class: cls, dose: dose ?? 'standard', month };
      break;
    case 'stop_drug':
      intervention = { type: 'stop_drug', class: cls, month };
      break;
    case 'adherence':
      intervention = { type: 'adherence', level: (values.level ?? 100) / 100, start_month: month };
      break;
    case 'sodium_reduction':
    case 'dash_diet':
      intervention = { type: d.type, start_month: month };
      break;
    case 'exercise':
      intervention = { type: 'exercise', minutes_per_week: values.minutesPerWeek ?? 0, start_month: month };
      break;
    case 'weight_change':
      intervention = { type: 'weight_change', kg: values.kg ?? 0, start_month: month, over_months: values.overMonths ?? 12 };
      break;
    case 'smoking_cessation':
      intervention = { type: 'smoking_cessation', month };
      break;
    case 'procedure':
      intervention = { type: 'procedure', kind: d.kind, month };
      break;
  }
  return { intervention, problems, class: cls, dose, choices };
}

/** Whether two scenario names are one to a reader (the server's rule: case and outer spaces aside). */
export const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Characters as the server counts them (Unicode scalar values, Rust's `chars`), not UTF-16 units. */
export const nChars = (s: string): number => Array.from(s).length;
