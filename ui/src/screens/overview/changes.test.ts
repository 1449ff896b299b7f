import { describe, expect, it } from 'vitest';
import type { Changes } from '../../api/backend';
import { changePhrases } from './changes';

const changes: Changes = {
  since: '2026-12-01T09:30:00Z',
  readings: [
    { key: 'sbp', label: 'BP', count: 3 },
    { key: 'weight', label: 'Weight', count: 1 },
  ],
  results: [
    { key: 'ldl_cholesterol', label: 'LDL cholesterol', unit: 'mmol/L', before: 3.1, after: 2.4, date: '2026-11-28' },
    { key: 'hba1c', label: 'HbA1c', unit: '%', before: null, after: 6.1, date: '2026-11-28' },
  ],
  medications: [
    { change: 'started', name: 'amlodipine' },
    { change: 'doseChanged', name: 'ramipril', before: 5, after: 10 },
    { change: 'stopped', name: 'bisoprolol' },
  ],
  conditions: ['Hypertension'],
  procedures: [],
};

describe('what the last fetch changed', () => {
  it('says each change once, in the order the overview lists them', () => {
    expect(changePhrases(changes, 'mmol/L')).toEqual([
      '3 new BP readings',
      '1 new Weight reading',
      'LDL cholesterol 3.1 → 2.4 mmol/L',
      'HbA1c 6.1% (first result)',
      'amlodipine started',
      'ramipril 5 → 10 mg a day',
      'bisoprolol stopped',
      'new diagnosis: Hypertension',
    ]);
  });

  it('writes cholesterol in the unit chosen in Settings', () => {
    expect(changePhrases(changes, 'mg/dL')[2]).toBe('LDL cholesterol 120 → 93 mg/dL');
  });

  it('says nothing when nothing changed', () => {
    expect(changePhrases({ ...changes, readings: [], results: [], medications: [], conditions: [] }, 'mmol/L')).toEqual([]);
  });
});
