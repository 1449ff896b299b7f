// The difference table of a comparison: each scenario against the reference (current treatment),
// one column per scenario, a group of rows per output, a row per time point (1, 5 and 10 years, or
// the horizon; in heart failure death and HF hospitalisation at MAGGIC's 3 years and never past).
// The numbers are the engine's (median of paired members' differences, 5th–95th percentiles, the
// risk contrast); this module only chooses the rows and writes them.
import type { Comparison, Difference, OutputKey } from '../../api/backend';
import type { LipidUnit } from '../../app/format';
import { formatPoints, formatRelative, formatValue, labelOf, unitOf } from './outputs';
import { isHeartFailure, isRiskOutput, readMonth, readsAt } from './outcome';

/** The time points a comparison is read at: 1, 5 and 10 years (the brief of issue 29). */
export const READ_MONTHS = [12, 60, 120];

/** One scenario's difference at one time point, as it reads. */
export interface DiffCell {
  /** The median difference: "−5.2 mmHg", "−1.6 pp". */
  median: string;
  /** Its 5–95 % range without the unit: "−8.1 to −2.3". */
  range: string;
  /** The relative change of a risk: "−13 %"; empty when negligible or not a risk. */
  relative: string;
  /** Number needed to treat (or harm) by then, for a risk; null when negligible. */
  numberNeeded: { toTreat: boolean; n: number } | null;
}

export interface DiffRow {
  month: number;
  /** One per compared scenario (null where the engine gave no value). */
  cells: (DiffCell | null)[];
}

export interface DiffGroup {
  output: OutputKey;
  label: string;
  rows: DiffRow[];
  /** Months after MAGGIC's horizon that this heart-failure outcome is not read at (none: null). */
  notReadPast: number | null;
}

export interface DiffTable {
  /** The reference, and each compared scenario in order. */
  against: string;
  scenarios: string[];
  groups: DiffGroup[];
}

/** A range's ends without their unit: the median above them carries it. */
function bare(text: string): string {
  return text.replace(/ ?(pp|%|[A-Za-z/]+)$/, '').trim();
}

function cellOf(d: Difference, unit: string, lipidUnit: LipidUnit): DiffCell {
  const relative = d.contrast ? formatRelative(d.contrast).replace(' relative', '') : '';
  return {
    median: d.contrast ? formatPoints(d.contrast) : formatValue(d.output, d.median, unit, true, lipidUnit),
    range: `${bare(formatValue(d.output, d.p5, unit, true, lipidUnit))} to ${bare(formatValue(d.output, d.p95, unit, true, lipidUnit))}`,
    relative,
    numberNeeded: d.contrast?.numberNeeded != null ? { toTreat: d.contrast.toTreat, n: d.contrast.numberNeeded } : null,
  };
}

/** The months to show: 1, 5, 10 years, the horizon and (heart failure) MAGGIC's, where the engine has them. */
export function monthsShown(available: readonly number[], horizon: number, riskMonth: number): number[] {
  const wanted = new Set([...READ_MONTHS, horizon, riskMonth]);
  const shown = available.filter((m) => wanted.has(m));
  return [...new Set(shown.length > 0 ? shown : available)].sort((a, b) => a - b);
}

/** The whole table for a comparison; risk outputs first, then the engine's order. */
export function differenceTable(comparison: Comparison, lipidUnit: LipidUnit = 'mmol/L'): DiffTable {
  const first = comparison.projections[0];
  const outcome = first?.outcome;
  const horizon = first?.months ?? 0;
  const riskMonth = outcome ? readMonth(outcome, horizon) : horizon;
  const all = comparison.differences.flatMap((d) => d.differences);
  const months = monthsShown([...new Set(all.map((x) => x.month))], horizon, isHeartFailure(outcome) ? riskMonth : horizon);
  const engineOrder = [...new Set(all.map((x) => x.output))];
  const outputs = [...engineOrder.filter(isRiskOutput), ...engineOrder.filter((o) => !isRiskOutput(o))];
  const groups = outputs.map((output): DiffGroup => {
    const unit = unitOf(first, output);
    const read = months.filter((m) => !outcome || readsAt(outcome, output, m));
    const past = months.length - read.length;
    return {
      output,
      label: labelOf(first, output),
      rows: read
        .map((month) => ({
          month,
          cells: comparison.differences.map((d) => {
            const x = d.differences.find((y) => y.output === output && y.month === month);
            return x && Number.isFinite(x.median) ? cellOf(x, unit, lipidUnit) : null;
          }),
        }))
        // A time point no scenario has a value at is left out, not shown as a row of dashes.
        .filter((row) => row.cells.some((c) => c !== null)),
      notReadPast: past > 0 ? riskMonth : null,
    };
  });
  return { against: comparison.differences[0]?.against ?? first?.scenario ?? '', scenarios: comparison.differences.map((d) => d.scenario), groups };
}
