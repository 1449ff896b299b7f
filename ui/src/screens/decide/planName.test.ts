import { describe, expect, it } from 'vitest';
import type { CandidateView } from '../../api/generated';
import { planName } from './SummaryScreen';

const candidate = (label: string, steps: number) => ({ label, plan: Array.from({ length: steps }, () => ({})) }) as unknown as CandidateView;

describe('planName', () => {
  it('says a plan reaches its figures through later steps', () => {
    expect(planName('Alternative 2', candidate('start atorvastatin 20 mg once daily', 3))).toBe(
      'Alternative 2: start atorvastatin 20 mg once daily, then 2 review steps (figures for the whole plan)',
    );
    expect(planName('Suggested', candidate('start indapamide', 2))).toBe('Suggested: start indapamide, then 1 review step (figures for the whole plan)');
  });
  it('names a one-step plan by its changes alone', () => {
    expect(planName('Suggested', candidate('start amlodipine', 1))).toBe('Suggested: start amlodipine');
  });
});
