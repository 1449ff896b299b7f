import type { GuidelineSet, WorklistRow } from '../../api/backend';

/** How the worklist is ordered: by the suggested plan's expected benefit, or by alerts. */
export type WorklistOrder = 'benefit' | 'alerts';

export interface WorklistFilter {
  /** Text in the patient's name or id, or the first step. */
  text: string;
  /** Only patients with an alert on today's regimen. */
  alertsOnly: boolean;
  order: WorklistOrder;
}

const benefit = (r: WorklistRow): number => r.benefitPct ?? Number.NEGATIVE_INFINITY;

/**
 * The rows that pass the filter, in the chosen order. The backend ranks by benefit; by alerts,
 * most alerts first, then benefit, then id, so the order never depends on the file's.
 */
export function filterWorklist(rows: WorklistRow[], f: WorklistFilter): WorklistRow[] {
  const text = f.text.trim().toLowerCase();
  const shown = rows.filter((r) => {
    if (f.alertsOnly && r.alerts.length === 0) return false;
    if (!text) return true;
    return [r.patientId, r.name ?? '', r.firstStep ?? ''].some((s) => s.toLowerCase().includes(text));
  });
  if (f.order === 'alerts') {
    return [...shown].sort(
      (a, b) => b.alerts.length - a.alerts.length || benefit(b) - benefit(a) || a.patientId.localeCompare(b.patientId),
    );
  }
  return shown;
}

/**
 * "12.4% over 10 years (PREVENT)": the risk under today's treatment at the outcome model's own
 * horizon (3 years for MAGGIC in heart failure), or why there is none.
 */
export function riskWords(r: WorklistRow): string {
  if (r.riskPct === null) return 'no event model applies';
  const years = r.riskYears !== null ? ` over ${r.riskYears.toString()} years` : '';
  const model = r.eventModel !== null ? ` (${r.eventModel})` : '';
  return `${r.riskPct.toFixed(1)}%${years}${model}`;
}

/** "7.1 points (90% range 5.2–9.6) over 10 years", or why there is none. */
export function benefitWords(r: WorklistRow): string {
  if (r.benefitPct === null) return r.riskPct === null ? 'not projected: no event model applies' : 'no plan change projected';
  const range =
    r.benefitP5 !== null && r.benefitP95 !== null
      ? ` (90% range ${r.benefitP5.toFixed(1)}–${r.benefitP95.toFixed(1)})`
      : '';
  const years = r.benefitYears !== null ? ` over ${r.benefitYears.toString()} years` : '';
  return `${r.benefitPct.toFixed(1)} points${range}${years}`;
}

const SET_NAMES: Record<GuidelineSet, string> = {
  esc: 'ESC (2024 hypertension, 2019 ESC/EAS lipids)',
  accAha: 'ACC/AHA (2017 blood pressure, 2018 cholesterol)',
};
const SET_FLAGS: Record<GuidelineSet, string> = { esc: 'esc', accAha: 'acc-aha' };

/**
 * Whose targets the panel's plans aim at, and a warning when Settings choose the other set: a
 * patient opened from the worklist is then offered a plan under the settings' set, which may
 * differ from the row's first step.
 */
export function guidelineWords(panel: GuidelineSet | null, chosen: GuidelineSet | undefined): string {
  if (panel === null) return 'The plans in this result do not name one guideline set.';
  const said = `Plans follow ${SET_NAMES[panel]} targets.`;
  if (chosen === undefined || chosen === panel) return said;
  return `${said} Settings choose ${SET_NAMES[chosen]}: a patient's own screen follows that set, so its plan may differ from the first step here (rerun the panel with --guidelines ${SET_FLAGS[chosen]}).`;
}
