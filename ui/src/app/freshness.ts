// How the screens show the age of a twin's inputs. The ages, limits and words are the engine's
// (every answer built on a record carries a `FreshnessView`); this only arranges them.
import type { FreshnessView, InputAgeView, StaleLimitsView } from '../api/backend';
import { datesInWords } from './format';

/** One row of the stale-inputs notice: inputs read on the same day that are re-measured together. */
export interface StaleRow {
  /** Stable key. */
  key: string;
  /** "blood pressure", or "LDL cholesterol, HDL cholesterol and total cholesterol". */
  what: string;
  lastDate: string;
  /** "8 months". */
  age: string;
  limitMonths: number | null;
  remeasure: string;
}

function joinWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

/**
 * The stale inputs, those read on the same day and re-measured the same way (a lipid profile) in
 * one row, in the engine's order.
 */
export function staleRows(inputs: InputAgeView[]): StaleRow[] {
  const rows: StaleRow[] = [];
  const labels = new Map<StaleRow, string[]>();
  for (const i of inputs.filter((x) => x.stale)) {
    const same = rows.find((r) => r.remeasure === i.remeasure && r.lastDate === i.lastDate);
    if (same) {
      const names = [...(labels.get(same) ?? []), i.label];
      labels.set(same, names);
      same.what = joinWords(names);
      same.key = `${same.key}+${i.measure}`;
    } else {
      const row = { key: i.measure, what: i.label, lastDate: i.lastDate, age: i.age, limitMonths: i.limitMonths, remeasure: i.remeasure };
      labels.set(row, [i.label]);
      rows.push(row);
    }
  }
  return rows;
}

/** "Model calibrated to readings up to 25 Mar 2026 (8 months before 1 Dec 2026)", or null. */
export function calibrationLead(f: FreshnessView | null | undefined): string | null {
  const c = f?.calibration;
  return c ? capitalised(datesInWords(c)) : null;
}

/** A sentence's first letter in capitals, unless it begins a mixed-case name ("eGFR"). */
export function capitalised(text: string): string {
  if (/^[a-z][A-Z]/.test(text)) return text;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The limits the settings screen edits, in its order, with their labels. */
export const LIMIT_FIELDS: { key: keyof StaleLimitsView; label: string; covers: string }[] = [
  { key: 'bloodPressureMonths', label: 'Blood pressure', covers: 'office or home BP, and the heart rate taken with it' },
  { key: 'lipidsMonths', label: 'Lipids', covers: 'total, LDL and HDL cholesterol' },
  { key: 'egfrMonths', label: 'eGFR', covers: 'eGFR, or the creatinine it is computed from' },
  { key: 'hba1cMonths', label: 'HbA1c', covers: 'HbA1c, where recorded' },
];

/** What is wrong with a limit typed into the settings form (the backend checks again), or null. */
export function limitProblem(text: string, max: number): string | null {
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) return 'a whole number of months';
  if (n < 1 || n > max) return `from 1 to ${max.toString()} months`;
  return null;
}
