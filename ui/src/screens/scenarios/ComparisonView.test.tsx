import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import type { Comparison, OutcomeView, Projection, ScenarioDifference } from '../../api/backend';
import { ComparisonView } from './ComparisonView';

// Plotly needs a real layout engine; the browser and window tests draw the real charts.
vi.mock('plotly.js-cartesian-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

const CV: OutcomeView = { kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false };
const HF: OutcomeView = { kind: 'heart_failure', label: 'Death from any cause', horizonYears: 3, hospitalisation: true };
const response = { mean: 1, sd: 0.2, nUpdates: 0, moved: 0, priorSd: 0.2 };

const projection = (eventModel: string, hasEventModel: boolean, outcome: OutcomeView = CV, length = 12, scenario = 'current treatment', shift = 0): Projection => {
  const months = (v: number) => Array.from({ length: length + 1 }, () => v);
  // Outside heart failure the HF hospitalisation has no value (NaN, null in JSON).
  const hosp = outcome.hospitalisation ? [0.15 + shift, 0.2 + shift, 0.25 + shift] : [NaN, NaN, NaN];
  return {
  patient: 'a',
  scenario,
  interventions: [],
  months: length,
  members: 100,
  seed: 1n,
  outputs: [
    { output: 'sbp', label: 'Systolic BP', unit: 'mmHg', p5: months(120), p50: months(130), p95: months(140) },
    ...(hasEventModel ? [{ output: 'event_risk' as const, label: outcome.kind === 'heart_failure' ? 'Death from any cause (cumulative)' : 'Major CV event risk (cumulative)', unit: 'probability', p5: months(0.18 + shift), p50: months(0.21 + shift), p95: months(0.24 + shift) }] : []),
    { output: 'hf_hospitalisation', label: 'HF hospitalisation risk (cumulative)', unit: 'probability', p5: months(hosp[0] ?? NaN), p50: months(hosp[1] ?? NaN), p95: months(hosp[2] ?? NaN) },
  ],
  eventModel,
  hasEventModel,
  outcome,
  sources: [],
  bpResponse: response,
  ldlResponse: response,
  notes: [],
  backend: 'CPU',
  learned: { available: false, note: 'not run', rows: [], samples: [] },
  hindcast: { available: false, note: 'not run', cut: null, end: null, months: 0, rows: [], points: [], hybrid: [], hybridNote: 'not run' },
  freshness: null,
  };
};

const show = (p: Projection, others: Projection[] = [], differences: ScenarioDifference[] = []) => {
  const comparison: Comparison = { projections: [p, ...others], differences };
  render(
    <MemoryRouter>
      <ComparisonView comparison={comparison} />
    </MemoryRouter>,
  );
};

describe('the comparison’s event risk', () => {
  it('reads whether an event model applies from the flag, not from the wording of its name', () => {
    // The reason is worded so that a test of its first words would miss it.
    show(projection('heart failure on record: no validated equation of cardiovascular events covers it', false));
    expect(screen.getByRole('note').textContent).toMatch(/heart failure on record/);
    expect(screen.queryByTestId('risk-bars')).toBeNull();
  });

  it('draws the risk bars when a model applies', () => {
    show(projection('PREVENT 10-year total CVD', true));
    expect(screen.getByTestId('risk-bars')).toBeTruthy();
    expect(screen.queryByRole('note')).toBeNull();
  });
});

describe('the comparison’s outcomes, by the patient’s outcome model', () => {
  const contrast = { points: -3.1, relativePercent: -14.3, numberNeeded: 33, toTreat: true };
  const diff = (month: number, output: 'event_risk' | 'hf_hospitalisation' | 'sbp') => ({
    month,
    output,
    median: output === 'sbp' ? -0.8 : -0.031,
    p5: output === 'sbp' ? -1.2 : -0.048,
    p95: output === 'sbp' ? -0.4 : -0.016,
    contrast: output === 'sbp' ? null : contrast,
  });
  const arni: ScenarioDifference = {
    scenario: 'Switch to sacubitril/valsartan',
    against: 'current treatment',
    differences: [diff(12, 'event_risk'), diff(36, 'event_risk'), diff(120, 'event_risk'), diff(36, 'hf_hospitalisation'), diff(120, 'hf_hospitalisation'), diff(120, 'sbp')],
    shares: [],
    explanation: [],
  };

  it('in heart failure, reads death from any cause and the first HF hospitalisation at 3 years, never at 10', () => {
    show(projection('MAGGIC death from any cause', true, HF, 120), [projection('MAGGIC death from any cause', true, HF, 120, 'Switch to sacubitril/valsartan', -0.03)], [arni]);
    expect(screen.getByRole('heading', { name: 'Death from any cause and first HF hospitalisation at 3 years' })).toBeTruthy();
    const values = screen.getByTestId('risk-values').textContent;
    expect(values).toMatch(/Death from any cause/);
    expect(values).toMatch(/First HF hospitalisation/);
    // Medians with their 5–95 % bands, in per cent, at month 36.
    expect(values).toMatch(/21\.0 %18\.0–24\.0/);
    expect(values).toMatch(/17\.0 %12\.0–22\.0/);
    expect(screen.getByTestId('diff-1-event_risk-36').textContent).toMatch(/^-3\.1 pp/);
    expect(screen.getByTestId('diff-1-event_risk-36').textContent).toMatch(/-4\.8 to -1\.6/);
    expect(screen.getByTestId('diff-1-hf_hospitalisation-36').textContent).toMatch(/NNT 33/);
    // Past MAGGIC's horizon the outcomes are not read; the other outputs are.
    expect(screen.queryByTestId('diff-1-event_risk-120')).toBeNull();
    expect(screen.getByTestId('diff-past-event_risk').textContent).toBe('Not read past 3 years (MAGGIC’s horizon)');
    expect(screen.getByTestId('diff-1-sbp-120').textContent).toMatch(/-0\.8 mmHg/);
    expect(screen.getByRole('heading', { level: 3, name: /^Differences/ }).textContent).toMatch(/death from any cause and first HF hospitalisation in percentage points/);
    expect(document.body.textContent).not.toMatch(/10-year|Major cardiovascular/);
    expect(screen.getByRole('option', { name: 'First HF hospitalisation (cumulative)' })).toBeTruthy();
  });

  it('outside heart failure, keeps the major cardiovascular event at the horizon and offers no HF hospitalisation', () => {
    show(projection('PREVENT 10-year total CVD', true, CV, 120));
    expect(screen.getByRole('heading', { name: 'Major cardiovascular event risk by 10 years' })).toBeTruthy();
    expect(screen.getByTestId('risk-values').textContent).toMatch(/Major cardiovascular event/);
    expect(screen.queryByRole('option', { name: /HF hospitalisation/ })).toBeNull();
  });

  it('without an outcome model, says why in words and offers no empty risk output', () => {
    show(projection('no event model applies (PREVENT: total cholesterol outside the validated range)', false));
    expect(screen.getByRole('note').textContent).toBe('No outcome is projected for this patient: no event model applies (PREVENT: total cholesterol outside the validated range).');
    expect(screen.queryByTestId('risk-values')).toBeNull();
    expect(screen.queryByRole('option', { name: /risk|hospitalisation/i })).toBeNull();
  });
});
