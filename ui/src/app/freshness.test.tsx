import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import type { FreshnessView, InputAgeView } from '../api/backend';
import { calibrationLead, capitalised, limitProblem, staleRows } from './freshness';
import { StaleNotice } from './StaleNotice';

const LIPIDS = 'repeat the lipid profile (total, LDL and HDL cholesterol)';

const input = (measure: string, label: string, lastDate: string, stale: boolean, remeasure: string, limitMonths: number | null = 12): InputAgeView => ({
  measure,
  label,
  lastDate,
  ageDays: 0,
  ageMonths: 0,
  age: stale ? '17 months' : '2 months',
  limitMonths,
  stale,
  remeasure,
  sentence: `${label}: last measured ${lastDate}`,
});

// Walter Brennan (demo 01) on 2026-12-01, as the engine words it.
const inputs = [
  input('blood_pressure', 'blood pressure', '2026-03-25', true, 're-measure office or home BP', 3),
  input('heart_rate', 'heart rate', '2026-03-25', true, 'record resting heart rate with the BP', 3),
  input('ldl_cholesterol', 'LDL cholesterol', '2025-07-11', true, LIPIDS),
  input('hdl_cholesterol', 'HDL cholesterol', '2025-07-11', true, LIPIDS),
  input('total_cholesterol', 'total cholesterol', '2024-01-02', true, LIPIDS),
  input('lvef', 'LV ejection fraction', '2026-10-01', false, 'repeat echocardiography if the clinical picture has changed', null),
];

const freshness = (all: InputAgeView[], note: string | null = null): FreshnessView => ({
  asOf: '2026-12-01',
  calibratedTo: '2026-03-25',
  calibratedMonthsBefore: 8,
  calibration: 'model calibrated to readings up to 2026-03-25 (8 months before 2026-12-01)',
  staleInputs: all.filter((i) => i.stale),
  inputs: all,
  limits: { bloodPressureMonths: 3, lipidsMonths: 12, egfrMonths: 12, hba1cMonths: 6 },
  note,
});

describe('stale inputs', () => {
  it('puts inputs read the same day and re-measured together in one row, in the engine’s order', () => {
    const rows = staleRows(inputs);
    expect(rows.map((r) => r.what)).toEqual(['blood pressure', 'heart rate', 'LDL cholesterol and HDL cholesterol', 'total cholesterol']);
    expect(rows[2]).toMatchObject({ lastDate: '2025-07-11', limitMonths: 12, remeasure: LIPIDS, key: 'ldl_cholesterol+hdl_cholesterol' });
    expect(rows.some((r) => r.what.includes('ejection'))).toBe(false);
  });

  it('joins three names with commas and "and"', () => {
    const same = inputs.slice(2, 5).map((i) => ({ ...i, lastDate: '2025-07-11' }));
    expect(staleRows(same).map((r) => r.what)).toEqual(['LDL cholesterol, HDL cholesterol and total cholesterol']);
  });

  it('capitalises a label unless it is a mixed-case name', () => {
    expect(capitalised('blood pressure')).toBe('Blood pressure');
    expect(capitalised('eGFR')).toBe('eGFR');
    expect(capitalised('HbA1c')).toBe('HbA1c');
  });

  it('leads with the calibration date', () => {
    expect(calibrationLead(freshness(inputs))).toBe('Model calibrated to readings up to 25 Mar 2026 (8 months before 1 Dec 2026)');
    expect(calibrationLead(null)).toBeNull();
  });

  it('checks a typed limit as the backend does', () => {
    expect(limitProblem('3', 120)).toBeNull();
    expect(limitProblem('120', 120)).toBeNull();
    expect(limitProblem('0', 120)).toBe('from 1 to 120 months');
    expect(limitProblem('121', 120)).toBe('from 1 to 120 months');
    expect(limitProblem('-2', 120)).toBe('from 1 to 120 months');
    expect(limitProblem('2.5', 120)).toBe('a whole number of months');
    expect(limitProblem('', 120)).toBe('a whole number of months');
  });
});

describe('the stale-inputs notice', () => {
  const show = (f: FreshnessView | null) =>
    render(
      <MemoryRouter>
        <StaleNotice freshness={f} />
      </MemoryRouter>,
    );

  it('is a labelled region listing each stale input with what to re-measure, in words not colour alone', () => {
    show(freshness(inputs, 'the stale-data limits saved in Settings could not be read (locked); the defaults are used'));
    const region = screen.getByRole('region', { name: /stale inputs: re-measure/i });
    const rows = within(region).getAllByTestId('stale-input');
    expect(rows).toHaveLength(4);
    expect(rows[0]?.textContent).toContain('Blood pressure');
    expect(rows[0]?.textContent).toContain('25 Mar 2026');
    expect(rows[0]?.textContent).toContain('3 months');
    expect(rows[0]?.textContent).toContain('Re-measure office or home BP');
    expect(region.textContent).toContain('Model calibrated to readings up to 25 Mar 2026');
    expect(region.textContent).toContain('5 inputs are older than their limits (set in Settings)');
    expect(region.textContent).toContain('the defaults are used');
    expect(within(region).getByRole('link', { name: 'Settings' }).getAttribute('href')).toBe('/settings');
  });

  it('says quietly that everything is within its limit when nothing is stale', () => {
    show(freshness(inputs.map((i) => ({ ...i, stale: false }))));
    expect(screen.queryByRole('region')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(
      'Model calibrated to readings up to 25 Mar 2026 (8 months before 1 Dec 2026). Every input is within its age limit.',
    );
  });

  it('shows nothing for an answer not built from a record', () => {
    const { container } = show(null);
    expect(container.textContent).toBe('');
  });
});
