import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import type { Comparison, Projection } from '../../api/backend';
import { ComparisonView } from './ComparisonView';

// Plotly needs a real layout engine; the browser and window tests draw the real charts.
vi.mock('plotly.js-cartesian-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

const months = (v: number) => Array.from({ length: 13 }, () => v);
const response = { mean: 1, sd: 0.2, nUpdates: 0, moved: 0, priorSd: 0.2 };

const projection = (eventModel: string, hasEventModel: boolean): Projection => ({
  patient: 'a',
  scenario: 'current treatment',
  interventions: [],
  months: 12,
  members: 100,
  seed: 1n,
  outputs: [
    { output: 'sbp', label: 'Systolic BP', unit: 'mmHg', p5: months(120), p50: months(130), p95: months(140) },
    ...(hasEventModel ? [{ output: 'event_risk' as const, label: 'Event risk', unit: '', p5: months(0.05), p50: months(0.08), p95: months(0.1) }] : []),
  ],
  eventModel,
  hasEventModel,
  sources: [],
  bpResponse: response,
  ldlResponse: response,
  notes: [],
  backend: 'CPU',
  learned: { available: false, note: 'not run', rows: [], samples: [] },
  hindcast: { available: false, note: 'not run', cut: null, end: null, months: 0, rows: [], points: [], hybrid: [], hybridNote: 'not run' },
  freshness: null,
});

const show = (p: Projection) => {
  const comparison: Comparison = { projections: [p], differences: [] };
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
