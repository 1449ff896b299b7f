import type { Comparison, Difference, OutcomeView, OutputKey, Projection, ScenarioDifference } from '../../api/backend';
import { differenceTable, monthsShown } from './differences';

const CV: OutcomeView = { kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false };
const HF: OutcomeView = { kind: 'heart_failure', label: 'Death from any cause', horizonYears: 3, hospitalisation: true };

const band = (output: OutputKey, label: string, unit: string) => ({ output, label, unit, p5: [], p50: [], p95: [] });
const projection = (scenario: string, outcome: OutcomeView): Projection =>
  ({
    scenario,
    months: 120,
    outcome,
    outputs: [band('sbp', 'Systolic BP', 'mmHg'), band('ldl', 'LDL cholesterol', 'mmol/L'), band('event_risk', 'Event risk (cumulative)', 'probability'), band('hf_hospitalisation', 'HF', 'probability')],
  }) as unknown as Projection;

const d = (output: OutputKey, month: number, median: number, p5: number, p95: number, contrast: Difference['contrast'] = null): Difference => ({ output, month, median, p5, p95, contrast });

const scenario = (name: string, differences: Difference[]): ScenarioDifference => ({ scenario: name, against: 'Current treatment', differences, shares: [], explanation: [] });

describe('the difference table', () => {
  it('reads at 1, 5 and 10 years, or MAGGIC’s 3 years in heart failure', () => {
    expect(monthsShown([6, 12, 60, 120], 120, 120)).toEqual([12, 60, 120]);
    expect(monthsShown([6, 12, 36, 60, 120], 120, 36)).toEqual([12, 36, 60, 120]);
    // A 1-year projection has only its horizon (and 6 months, which is not asked for).
    expect(monthsShown([6, 12], 12, 12)).toEqual([12]);
    expect(monthsShown([6], 6, 6)).toEqual([6]);
  });

  it('puts each scenario in a column against current treatment: median, 5–95 % range, pp, relative, NNT', () => {
    const contrast = { points: -1.64, relativePercent: -12.6, numberNeeded: 61, toTreat: true };
    const comparison: Comparison = {
      projections: [projection('Current treatment', CV), projection('Amlodipine', CV), projection('Statin', CV)],
      differences: [
        scenario('Amlodipine', [d('sbp', 6, -3, -5, -1), d('sbp', 12, -6.04, -9.2, -2.51), d('event_risk', 120, -0.0164, -0.03, -0.004, contrast)]),
        scenario('Statin', [d('sbp', 12, 0.01, -0.3, 0.3), d('ldl', 12, -1.2, -1.5, -0.9)]),
      ],
    };
    const table = differenceTable(comparison);
    expect(table.against).toBe('Current treatment');
    expect(table.scenarios).toEqual(['Amlodipine', 'Statin']);
    // The risk first, then the engine's order; 6 months is not shown.
    expect(table.groups.map((g) => g.output)).toEqual(['event_risk', 'sbp', 'ldl']);
    const risk = table.groups[0];
    expect(risk?.rows.map((r) => r.month)).toEqual([120]);
    expect(risk?.rows[0]?.cells[0]).toEqual({ median: '-1.6 pp', range: '-3.0 to -0.4', relative: '-13 %', numberNeeded: { toTreat: true, n: 61 } });
    // No risk difference for the second scenario at 10 years: a gap, not a zero.
    expect(risk?.rows[0]?.cells[1]).toBeNull();
    const sbp = table.groups[1];
    expect(sbp?.rows[0]?.cells[0]).toMatchObject({ median: '-6.0 mmHg', range: '-9.2 to -2.5', relative: '', numberNeeded: null });
    // A difference that rounds to zero reads 0, without a sign.
    expect(sbp?.rows[0]?.cells[1]?.median).toBe('0.0 mmHg');
    expect(table.groups[2]?.rows[0]?.cells[1]?.median).toBe('-1.20 mmol/L');
  });

  it('writes cholesterol in the clinician’s unit', () => {
    const comparison: Comparison = {
      projections: [projection('Current treatment', CV), projection('Statin', CV)],
      differences: [scenario('Statin', [d('ldl', 12, -1.2, -1.5, -0.9)])],
    };
    const cell = differenceTable(comparison, 'mg/dL').groups[0]?.rows[0]?.cells[0];
    expect(cell?.median).toBe('-46 mg/dL');
    expect(cell?.range).toBe('-58 to -35');
  });

  it('in heart failure, reads death and HF hospitalisation to 3 years and says they are not read later', () => {
    const contrast = { points: -3.1, relativePercent: -14.3, numberNeeded: 33, toTreat: true };
    const comparison: Comparison = {
      projections: [projection('Current treatment', HF), projection('ARNI', HF)],
      differences: [
        scenario('ARNI', [
          d('event_risk', 12, -0.01, -0.02, 0, contrast),
          d('event_risk', 36, -0.031, -0.048, -0.016, contrast),
          d('event_risk', 120, -0.05, -0.08, -0.02, contrast),
          d('sbp', 120, -0.8, -1.2, -0.4),
        ]),
      ],
    };
    const [death, sbp] = differenceTable(comparison).groups;
    expect(death?.rows.map((r) => r.month)).toEqual([12, 36]);
    expect(death?.notReadPast).toBe(36);
    expect(sbp?.rows.map((r) => r.month)).toEqual([120]);
    expect(sbp?.notReadPast).toBeNull();
    expect(sbp?.rows[0]?.cells[0]?.median).toBe('-0.8 mmHg');
  });
});
