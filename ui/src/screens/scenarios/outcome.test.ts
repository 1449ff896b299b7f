import type { OutcomeView } from '../../api/backend';
import { heatmapRiskName, patientRiskWords, readMonth, readsAt, riskHeading, riskOutputsOf, riskPhrase } from './outcome';

const HF: OutcomeView = { kind: 'heart_failure', label: 'Death from any cause', horizonYears: 3, hospitalisation: true };
const CV: OutcomeView = { kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false };

describe('the outcome’s words switch with the patient’s model', () => {
  it('heart failure: death from any cause and a first HF hospitalisation, at 3 years', () => {
    expect(riskOutputsOf(HF)).toEqual(['event_risk', 'hf_hospitalisation']);
    expect(readMonth(HF, 120)).toBe(36);
    expect(readMonth(HF, 12)).toBe(12);
    expect(readsAt(HF, 'event_risk', 36)).toBe(true);
    expect(readsAt(HF, 'hf_hospitalisation', 60)).toBe(false);
    expect(readsAt(HF, 'sbp', 120)).toBe(true);
    expect(riskHeading(HF, 'event_risk', 36)).toBe('Death from any cause at 3 years');
    expect(riskHeading(HF, 'hf_hospitalisation', 36)).toBe('First HF hospitalisation at 3 years');
    expect(riskPhrase(HF, 'event_risk', 3)).toBe('3-year risk of death from any cause');
    expect(heatmapRiskName(HF, 36)).toBe('3-year death from any cause');
    expect(patientRiskWords(HF).map((w) => w.name)).toEqual([
      'Chance of dying from any cause in the next 3 years',
      'Chance of being admitted to hospital for heart failure in the next 3 years',
    ]);
  });

  it('otherwise: a major cardiovascular event at the projection’s horizon', () => {
    expect(riskOutputsOf(CV)).toEqual(['event_risk']);
    expect(readMonth(CV, 120)).toBe(120);
    expect(readsAt(CV, 'event_risk', 120)).toBe(true);
    expect(riskHeading(CV, 'event_risk', 120)).toBe('Major cardiovascular event risk by 10 years');
    expect(riskPhrase(CV, 'event_risk', 10)).toBe('10-year event risk');
    expect(heatmapRiskName(CV, 120)).toBe('10-year event risk');
    expect(patientRiskWords(CV).map((w) => w.name)).toEqual(['Chance of a heart attack or stroke by then']);
  });
});
