import { describe, expect, it } from 'vitest';
import { formatDate, formatLipid, formatLipidChange, lipidIn } from './format';

describe('format', () => {
  it('writes dates with the month in words, whatever the time zone', () => {
    expect(formatDate('2026-12-01')).toBe('1 Dec 2026');
    expect(formatDate('2026-01-31T23:30:00Z')).toBe('31 Jan 2026');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate('2026-13-01')).toBe('2026-13-01');
  });
  it('converts cholesterol with the engine factor', () => {
    expect(lipidIn(2.6, 'mg/dL')).toBeCloseTo(100.5, 1);
    expect(formatLipid(2.6, 'mmol/L')).toBe('2.6 mmol/L');
    expect(formatLipid(2.6, 'mg/dL')).toBe('101 mg/dL');
    expect(formatLipidChange(-0.354, 'mmol/L')).toBe('−0.35 mmol/L');
    expect(formatLipidChange(0.001, 'mmol/L')).toBe('±0.00 mmol/L');
    expect(formatLipidChange(0.5, 'mg/dL')).toBe('+19 mg/dL');
  });
});
