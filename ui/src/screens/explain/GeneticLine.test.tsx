import { render, screen } from '@testing-library/react';
import type { GeneticLine as Line } from '../../api/backend';
import { GeneticLine } from './GeneticLine';

const applied: Line = {
  applied: true,
  score: 'metaGRS, 82nd percentile, European ancestry',
  appliedTo: "PREVENT's 10-year ASCVD",
  base: 0.1,
  risk: 0.131,
  riskLow: 0.129,
  riskHigh: 0.133,
  sentence: 'With the genetic score (metaGRS, 82nd percentile, European ancestry): 13.1% (+3.1 pp).',
  reason: null,
  calibration:
    "hazard ratio 1.79 (95% CI 1.59–2.00) per SD for coronary heart disease over the ten years ahead; adjusted for the pooled cohort equations' risk factors; ARIC, 7,958 adults of European ancestry",
  source: 'Observation/prs-cad-1',
  date: '2026-05-04',
};

describe('GeneticLine', () => {
  it('shows the applied score apart from the headline, with its change in points and its range', () => {
    render(<GeneticLine line={applied} headline={0.1} />);
    const text = screen.getByTestId('genetic-applied').textContent;
    expect(text).toContain('The figure above: 10.0 % without the genetic score, 13.1 % with it (metaGRS, 82nd percentile, European ancestry; +3.1 pp, range +2.9 pp to +3.3 pp).');
    expect(text).toContain("The headline figure above is the equation's, without the score.");
    const calibration = screen.getByText(/ARIC, 7,958 adults/).textContent;
    expect(calibration).toContain('hazard ratio 1.79');
    expect(calibration).toContain("the range is the hazard ratio's 95% CI alone, not the equation's own uncertainty");
    expect(calibration).toContain('the figure also counts stroke, which it predicts less well');
    expect(screen.getByRole('heading', { name: 'Genetic score, shown separately' }).tagName).toBe('H2');
  });

  it('says why a recorded score was not applied, and shows no adjusted figure', () => {
    const line: Line = { ...applied, applied: false, base: null, risk: null, riskLow: null, riskHigh: null, calibration: null, score: 'metaGRS, 82nd percentile, ancestry not stated', reason: 'the report does not state the genetic ancestry' };
    render(<GeneticLine line={line} headline={0.1} />);
    const note = screen.getByTestId('genetic-not-applied');
    expect(note.textContent).toContain('Genetic score recorded (metaGRS, 82nd percentile, ancestry not stated) but not applied: the report does not state the genetic ancestry.');
    expect(note.textContent).toContain('From the genomics report of 4 May 2026.');
    expect(note.textContent).not.toContain('Observation/');
    expect(screen.queryByTestId('genetic-applied')).toBeNull();
  });

  it('names the figure it was applied to when that is not the headline', () => {
    render(<GeneticLine line={{ ...applied, appliedTo: "PREVENT's 10-year ASCVD (total CVD counts heart failure)" }} headline={0.14} />);
    const text = screen.getByTestId('genetic-applied').textContent;
    expect(text).toContain("PREVENT's 10-year ASCVD (total CVD counts heart failure): 10.0 % without the genetic score, 13.1 % with it");
    expect(text).not.toContain('The figure above:');
  });
});
