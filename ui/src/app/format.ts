/**
 * How values read on every screen: dates that cannot be misread (day and month never both
 * numbers: "1 Dec 2026"), and cholesterol in the unit the clinician chose in Settings.
 *
 * The backend always speaks mmol/L; conversion happens here, for display only, with the one
 * factor the engine uses (`MG_DL_PER_MMOL_L_CHOLESTEROL`, generated from twin-engine).
 */
import { createContext, useContext } from 'react';
import { MG_DL_PER_MMOL_L_CHOLESTEROL } from '../api/generated';

/** The cholesterol unit a clinician reads (total, LDL and HDL cholesterol). */
export type LipidUnit = 'mmol/L' | 'mg/dL';

/** What the clinician chose to read values in (Settings provides it; mmol/L until it loads). */
export interface DisplayPreferences {
  lipidUnit: LipidUnit;
}

export const DisplayContext = createContext<DisplayPreferences>({ lipidUnit: 'mmol/L' });

/** The clinician's display preferences. */
export function useDisplay(): DisplayPreferences {
  return useContext(DisplayContext);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar date ("2026-12-01" or the date part of an ISO timestamp) as "1 Dec 2026". Read from
 * the string itself, not through `Date`, so no time zone can move it by a day. Returns the input
 * unchanged when it is not an ISO date (never "Invalid Date").
 */
export function formatDate(iso: string): string {
  const [, year, mm, dd] = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) ?? [];
  const month = MONTHS[Number(mm) - 1];
  if (year === undefined || dd === undefined || month === undefined) return iso;
  return `${Number(dd).toString()} ${month} ${year}`;
}

/** An instant (ISO timestamp with offset) in the reader's local time: "1 Dec 2026, 14:05". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const date = formatDate(
    `${d.getFullYear().toString()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
  );
  return `${date}, ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** A cholesterol value given in mmol/L, as a number in `unit`. */
export function lipidIn(valueMmolL: number, unit: LipidUnit): number {
  return unit === 'mmol/L' ? valueMmolL : valueMmolL * MG_DL_PER_MMOL_L_CHOLESTEROL;
}

/**
 * A cholesterol value given in mmol/L, written in `unit`: "2.6 mmol/L" (one decimal, as ESC
 * targets are written) or "101 mg/dL" (whole numbers, as ACC/AHA's are). `decimals` overrides
 * the mmol/L precision (differences such as "−0.35" need two).
 */
export function formatLipid(valueMmolL: number, unit: LipidUnit, decimals = 1): string {
  const v = lipidIn(valueMmolL, unit);
  return `${v.toFixed(unit === 'mmol/L' ? decimals : 0)} ${unit}`;
}

/** A signed change in cholesterol given in mmol/L: "−0.35 mmol/L", "+14 mg/dL". */
export function formatLipidChange(deltaMmolL: number, unit: LipidUnit): string {
  const v = lipidIn(deltaMmolL, unit);
  const text = Math.abs(v).toFixed(unit === 'mmol/L' ? 2 : 0);
  const sign = Number(text) === 0 ? '±' : v < 0 ? '−' : '+';
  return `${sign}${text} ${unit}`;
}

/**
 * Where the ensembles ran, in a clinician's words, from the backend's technical line ("CPU (2
 * threads, rayon); no hardware GPU: …" or "GPU: NVIDIA … (Vulkan, DiscreteGpu); …"). The
 * technical line stays available to support staff behind a details element.
 */
export function computeInWords(description: string): string {
  const fellBack = /after the GPU failed/i.test(description);
  if (/^GPU\b/.test(description)) return 'Computed on this computer’s graphics card';
  if (fellBack) return 'Computed on this computer’s processor (the graphics card failed, so the processor took over)';
  if (/by design/i.test(description)) return 'Computed on this computer’s processor (this kind of projection always runs there)';
  if (/asked for/i.test(description)) return 'Computed on this computer’s processor (as chosen)';
  return 'Computed on this computer’s processor (no graphics card found)';
}

/** What a FHIR resource type is, in a clinician's words. */
const RESOURCE_WORDS: Record<string, string> = {
  Observation: 'reading',
  Condition: 'diagnosis',
  MedicationRequest: 'prescription',
  MedicationStatement: 'medication record',
  Procedure: 'procedure',
  Patient: 'demographics',
  DiagnosticReport: 'report',
  FamilyMemberHistory: 'family history',
  AllergyIntolerance: 'allergy record',
  DocumentReference: 'clinical note',
};

/**
 * Where a value came from, in words: "Reading of 12 Mar 2026" for `Observation/…` dated then,
 * "Derived from the record" when no resource is named. The resource id itself stays out of the
 * text: screens put it in a tooltip (`title`) for traceability.
 */
export function sourceInWords(source: string | null, date: string | null = null): string {
  if (!source) return 'Derived from the record';
  const kind = RESOURCE_WORDS[source.split('/')[0] ?? ''] ?? 'entry';
  const word = kind.charAt(0).toUpperCase() + kind.slice(1);
  return date ? `${word} of ${formatDate(date)}` : `${word} in the record`;
}

/**
 * A measured value written by the backend ("168.00 mmHg", "4.91 mmol/L") at the precision a
 * clinician reads: pressures, rates and volumes as whole numbers; cholesterol (when `name` says it
 * is one) in the chosen unit. Anything else is returned as written.
 */
export function tidyMeasure(name: string, value: string, unit: LipidUnit): string {
  const m = /^(-?\d+(?:\.\d+)?)\s*(\S+)$/.exec(value.trim());
  if (!m) return value;
  const v = Number(m[1]);
  const u = m[2] ?? '';
  if (u === 'mmol/L') return /cholesterol/i.test(name) ? formatLipid(v, unit) : value;
  const decimals = WHOLE_UNITS.includes(u) ? 0 : ONE_DECIMAL_UNITS.includes(u) ? 1 : null;
  return decimals === null ? value : `${v.toFixed(decimals)} ${u}`;
}

/** Units read as whole numbers: pressures, rates, volumes, eGFR, creatinine, HbA1c in IFCC units. */
const WHOLE_UNITS = ['mmHg', 'bpm', 'mL', 'mL/min/1.73m²', 'µmol/L', 'mmol/mol', 'years'];
/** Units read to one decimal: BMI, HbA1c in %, weight. */
const ONE_DECIMAL_UNITS = ['kg/m²', '%', 'kg'];

/** Every ISO date inside a backend sentence written as `formatDate` writes it ("… up to 25 Mar 2026"). */
export function datesInWords(text: string): string {
  return text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (iso) => formatDate(iso));
}
