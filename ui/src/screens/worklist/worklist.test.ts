import { describe, expect, it } from 'vitest';
import type { WorklistRow } from '../../api/backend';
import { benefitWords, filterWorklist, guidelineWords, riskWords } from './worklist';

function row(patientId: string, benefitPct: number | null, alerts: string[], firstStep = ''): WorklistRow {
  return {
    patientId,
    scenario: 'current',
    eventModel: null,
    riskPct: null,
    riskYears: null,
    benefitPct,
    benefitP5: benefitPct === null ? null : benefitPct - 1,
    benefitP95: benefitPct === null ? null : benefitPct + 1,
    benefitYears: benefitPct === null ? null : 10,
    firstStep,
    guidelines: 'esc',
    alerts,
    staleInputs: [],
    skipReason: null,
    skipDetail: null,
    openable: true,
    name: null,
  };
}

const a = row('a', 7, []);
const c = row('c', null, ['x', 'y']);
const rows = [a, row('b', 3, ['hyperkalaemia-risk'], 'start amlodipine'), c];

describe('the worklist', () => {
  it('keeps the backend ranking by benefit', () => {
    expect(filterWorklist(rows, { text: '', alertsOnly: false, order: 'benefit' }).map((r) => r.patientId)).toEqual(['a', 'b', 'c']);
  });
  it('orders by alerts, then benefit', () => {
    expect(filterWorklist(rows, { text: '', alertsOnly: false, order: 'alerts' }).map((r) => r.patientId)).toEqual(['c', 'b', 'a']);
  });
  it('filters by alerts and text', () => {
    expect(filterWorklist(rows, { text: '', alertsOnly: true, order: 'benefit' }).map((r) => r.patientId)).toEqual(['b', 'c']);
    expect(filterWorklist(rows, { text: 'AMLO', alertsOnly: false, order: 'benefit' }).map((r) => r.patientId)).toEqual(['b']);
  });
  it('says the benefit with its range and horizon', () => {
    expect(benefitWords(a)).toBe('7.0 points (90% range 6.0–8.0) over 10 years');
    expect(benefitWords(c)).toBe('not projected: no event model applies');
    expect(benefitWords({ ...c, riskPct: 1.5 })).toBe('no plan change projected');
  });
  it('reads the risk at the outcome model’s horizon, naming it', () => {
    const hf = { ...row('ct-demo-03', 4.7, []), riskPct: 22.7, riskYears: 3, eventModel: 'MAGGIC' };
    expect(riskWords(hf)).toBe('22.7% over 3 years (MAGGIC)');
    expect(riskWords(row('x', null, []))).toBe('no event model applies');
  });
  it('names the guideline set the plans follow, and warns when Settings choose the other', () => {
    expect(guidelineWords('esc', 'esc')).toBe('Plans follow ESC (2024 hypertension, 2019 ESC/EAS lipids) targets.');
    expect(guidelineWords('esc', undefined)).toBe('Plans follow ESC (2024 hypertension, 2019 ESC/EAS lipids) targets.');
    const warned = guidelineWords('esc', 'accAha');
    expect(warned).toContain('Settings choose ACC/AHA');
    expect(warned).toContain('--guidelines acc-aha');
    expect(guidelineWords('accAha', 'esc')).toContain('--guidelines esc');
    expect(guidelineWords(null, 'esc')).toBe('The plans in this result do not name one guideline set.');
  });
  it('finds a patient by name as well as by id', () => {
    const named = { ...row('ct-demo-01', 2, []), name: 'Walter Brennan' };
    const f = { text: 'brennan', alertsOnly: false, order: 'benefit' as const };
    expect(filterWorklist([named, row('ct-demo-02', 1, [])], f).map((r) => r.patientId)).toEqual(['ct-demo-01']);
  });
});
