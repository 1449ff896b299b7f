import { render, screen, within } from '@testing-library/react';
import type { AfItemView, AfReport, AfScoreView } from '../../api/backend';
import { AfPanel, totalText } from './AfPanel';

const item = (letter: string, label: string, points: number | null, value: string, date: string | null = null): AfItemView => ({
  letter,
  label,
  points,
  weight: 1,
  input: label,
  value,
  date,
  source: date ? 'Observation/1' : null,
});

const score = (key: string, label: string, total: number | null, atLeast: number, items: AfItemView[], missing: string[] = []): AfScoreView => ({
  key,
  label,
  total,
  atLeast,
  max: 9,
  items,
  missing,
  recommendation: `${label} recommendation`,
  source: `${label} source`,
});

const report: AfReport = {
  diagnosis: 'Condition/af',
  cha2ds2Va: score('cha2ds2Va', 'CHA₂DS₂-VA', 2, 2, [item('H', 'hypertension', 1, 'Essential hypertension on record', '2019-06-30'), item('A', 'age 65–74', 1, '74 years')]),
  cha2ds2Vasc: score('cha2ds2Vasc', 'CHA₂DS₂-VASc', 3, 3, [item('Sc', 'female sex', 1, 'female')]),
  hasBled: score(
    'hasBled',
    'HAS-BLED',
    null,
    1,
    [item('H', 'uncontrolled hypertension (systolic > 160 mmHg)', null, 'not on record'), item('E', 'elderly (over 65)', 1, '74 years')],
    ['systolic BP is not on record, so uncontrolled hypertension (systolic > 160 mmHg) could not be scored'],
  ),
  eventModelNote: 'Atrial fibrillation’s stroke risk is not modelled in the projected event risk (CHA₂DS₂-VA 2).',
};

describe('the atrial fibrillation scores', () => {
  it('shows each total, the items with their inputs and dates, and the recommendation', () => {
    render(<AfPanel report={report} />);
    const va = screen.getByTestId('af-cha2ds2Va');
    expect(within(va).getByRole('heading', { name: 'CHA₂DS₂-VA: 2 of 9' })).toBeTruthy();
    const row = within(va).getByRole('row', { name: /H — hypertension/ });
    expect(row.textContent).toContain('1 of 1');
    expect(row.textContent).toContain('30 Jun 2019');
    expect(row.textContent).toContain('Reading in the record');
    expect(row.textContent).not.toContain('Observation/');
    expect(row.querySelector('[title="Observation/1"]')).toBeTruthy();
    expect(within(va).getByText('CHA₂DS₂-VA recommendation.')).toBeTruthy();
    expect(within(va).getByRole('table').querySelector('caption')?.textContent).toMatch(/points per item/);
  });

  it('names a missing input instead of a total', () => {
    render(<AfPanel report={report} />);
    const hb = screen.getByTestId('af-hasBled');
    expect(within(hb).getByRole('heading').textContent).toBe('HAS-BLED: at least 1 of 9');
    expect(within(hb).getByRole('note').textContent).toMatch(/systolic BP is not on record/);
    expect(within(hb).getByRole('row', { name: /uncontrolled hypertension/ }).textContent).toContain('not known');
  });

  it('writes totals as the clinician reads them', () => {
    expect(totalText(report.cha2ds2Va)).toBe('2 of 9');
    expect(totalText(report.hasBled)).toBe('at least 1 of 9');
  });
});
