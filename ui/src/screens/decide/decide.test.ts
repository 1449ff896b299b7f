import type { AlertView, CandidateView, FhView, PlanChangeView, PlanStepView, RiskChangeView, TargetsView } from '../../api/backend';
import {
  bySeverity,
  historyLabel,
  changeText,
  expectedText,
  fhFlagged,
  fhTitle,
  laterSteps,
  namesDrugAndDose,
  baselineText,
  probabilityText,
  riskColumns,
  riskShort,
  riskText,
  severityOf,
  severityWords,
  statinTitle,
  stepAlerts,
  stepTitle,
  suggestionLabelOf,
  targetLines,
} from './decide';

const alert = (severity: string, appliesTo: string, rule = 'r', message = 'm'): AlertView => ({ rule, severity, appliesTo, message, source: 's', monitoring: null });

describe('safety findings', () => {
  it('says the severity in words, for the regimen on record and for a plan', () => {
    expect(severityWords(alert('contraindicated', 'current'))).toBe('Contraindicated in today’s regimen');
    expect(severityWords(alert('caution', 'current'))).toBe('Caution in today’s regimen');
    expect(severityWords(alert('info', 'current'))).toBe('Note on today’s regimen');
    expect(severityWords(alert('contraindicated', 'plan'))).toBe('Contraindicated');
    expect(severityWords(alert('caution', 'plan'))).toBe('Caution');
    expect(severityWords(alert('info', 'plan'))).toBe('Note');
  });

  it('reads an unknown severity as a caution, never as nothing', () => {
    expect(severityOf(alert('severe', 'current'))).toBe('caution');
  });

  it('puts the most severe first and keeps the order within a severity', () => {
    const sorted = bySeverity([alert('info', 'current', 'a'), alert('caution', 'current', 'b'), alert('contraindicated', 'current', 'c'), alert('caution', 'current', 'd')]);
    expect(sorted.map((a) => a.rule)).toEqual(['c', 'b', 'd', 'a']);
  });
});

const change = (action: string, agent: string | null, doseMg: number | null, text: string): PlanChangeView => ({
  action,
  agent,
  drugClass: agent ? 'calcium_channel_blocker' : null,
  classLabel: null,
  fromClass: null,
  doseMg,
  dose: null,
  text,
});
const none = { potassiumMmolL: 0, sodiumMmolL: 0, egfrPercent: 0, heartRateBpm: 0 };
const step = (month: number, when: string, changes: PlanChangeView[], alerts: AlertView[] = []): PlanStepView => ({ month, when, changes, checks: [], why: '', alerts, expected: none, singlePill: null });

describe('plan steps', () => {
  it('shows each change in the backend’s words, capitalised, and knows which name a drug and its dose', () => {
    const amlodipine = change('start', 'amlodipine', 5, 'start amlodipine 5 mg once daily (calcium-channel blocker)');
    expect(changeText(amlodipine)).toBe('Start amlodipine 5 mg once daily (calcium-channel blocker)');
    expect(namesDrugAndDose(amlodipine)).toBe(true);
    expect(namesDrugAndDose(change('lifestyle', null, null, 'salt reduction and the DASH diet'))).toBe(false);
    expect(stepTitle(step(0, 'now', []))).toBe('Now');
    expect(stepTitle(step(1, 'at the 1-month review, if SBP is still 130 mmHg or more', []))).toBe('At the 1-month review, if SBP is still 130 mmHg or more');
  });

  it('says the expected lab and heart-rate changes that matter, signed', () => {
    expect(expectedText({ potassiumMmolL: 0.3, sodiumMmolL: -0.2, egfrPercent: -10, heartRateBpm: -8 })).toBe('K⁺ +0.3 mmol/L, eGFR -10 %, heart rate -8 bpm');
    expect(expectedText({ potassiumMmolL: -0.2, sodiumMmolL: -2, egfrPercent: 0, heartRateBpm: 0 })).toBe('K⁺ -0.2 mmol/L, Na⁺ -2 mmol/L');
    expect(expectedText(none)).toBeNull();
  });

  it('separates a step’s cautions from its notes', () => {
    const s = step(0, 'now', [], [alert('info', 'plan', 'labs'), alert('caution', 'plan', 'k')]);
    const { cautions, notes } = stepAlerts(s);
    expect(cautions.map((a) => a.rule)).toEqual(['k']);
    expect(notes.map((a) => a.rule)).toEqual(['labs']);
  });

  it('sums up an alternative’s later steps by the drugs they name', () => {
    const plan: CandidateView = {
      label: 'x',
      steps: [],
      plan: [
        step(0, 'now', [change('start', 'amlodipine', 5, 'start amlodipine 5 mg once daily')]),
        step(1, 'at the 1-month review', [change('start', 'indapamide', 2.5, 'start indapamide 2.5 mg once daily')]),
        step(3, 'at the 3-month review', [change('raise', 'amlodipine', 10, 'raise to amlodipine 10 mg once daily')]),
      ],
      drugChanges: 1,
      probability: 0.5,
      probabilityBp: 0.6,
      probabilityLdl: 0.9,
      effects: [],
      risk: null,
      hospitalisation: null,
      alerts: [],
      scenario: { name: 'x', interventions: [] },
    };
    expect(laterSteps(plan)).toBe('then 2 review steps if above target: indapamide, amlodipine');
    expect(laterSteps({ ...plan, plan: plan.plan.slice(0, 1) })).toBe('no later step');
    expect(probabilityText(plan, { ...plan, probability: 0 }, 12)).toBe('At every target in 50% of simulated courses at 12 months (BP 60%, LDL-C 90%), against 0% on today’s treatment.');
  });
});

describe('targets, indications and risk', () => {
  it('says the targets in one line each', () => {
    const esc: TargetsView = { sbpBelow: 130, dbpBelow: 80, bpReason: '', ldlBelowMmol: 2.6, ldlBelowMgDl: 101, category: 'moderate', ldlReason: '', bpSource: '', ldlSource: '', bpGuideline: 'ESC 2024', ldlGuideline: 'ESC/EAS 2019' };
    const t = targetLines(esc);
    expect(t.bp).toBe('ESC 2024: below 130/80 mmHg');
    expect(t.ldl).toBe('ESC/EAS 2019: below 2.6 mmol/L (101 mg/dL)');
    // ACC/AHA: the lipid goal is a statin intensity, not an LDL-C value.
    const acc = targetLines({ ...esc, bpGuideline: 'ACC/AHA 2017', ldlGuideline: 'ACC/AHA 2018', ldlIntensity: 'high-intensity statin, ≥ 50 % LDL-C reduction' });
    expect(acc.bp).toBe('ACC/AHA 2017: below 130/80 mmHg');
    expect(acc.ldl).toBe('ACC/AHA 2018: high-intensity statin, ≥ 50 % LDL-C reduction');
    expect(statinTitle({ indicated: true, reason: '', source: '' })).toBe('Statin indicated');
    expect(statinTitle({ indicated: false, reason: '', source: '' })).toBe('No statin indicated');
  });

  it('flags familial hypercholesterolaemia from "possible" up', () => {
    const fh = (category: string, dlcnPoints: number): FhView => ({ dlcnPoints, category, because: [], notScored: [] });
    expect(fhFlagged(fh('unlikely', 2))).toBe(false);
    expect(fhFlagged(fh('possible', 3))).toBe(true);
    expect(fhFlagged(null)).toBe(false);
    expect(fhTitle(fh('probable', 7))).toBe('Familial hypercholesterolaemia probable: Dutch Lipid Clinic Network score 7 points');
  });

  it('says a risk change in points, relatively, with its band and the number needed to treat', () => {
    const r: RiskChangeView = {
      years: 10,
      current: 12.17,
      candidate: 4.02,
      reduction: 8.09,
      reductionP05: 6.07,
      reductionP95: 10.65,
      contrast: { points: -8.09, relativePercent: -66.4, numberNeeded: 13, toTreat: true },
    };
    expect(riskText(r)).toBe('10-year event risk 12.2% → 4.0%: -8.1 pp (5–95%: -10.7 to -6.1 pp), -66 % relative; NNT 13 over 10 years');
    expect(riskShort(r)).toBe('-8.1 pp (-66 % relative; 5–95%: -10.7 to -6.1 pp)');
    expect(riskShort(null)).toBe('—');
  });
});

describe('the decision log', () => {
  it('names a logged plan by its first step and the reviews after it', () => {
    const logged = { suggestion: { label: 'start amlodipine 5 mg once daily', plan: [{}, {}, {}] } };
    expect(suggestionLabelOf(JSON.stringify(logged))).toBe('start amlodipine 5 mg once daily, then 2 review steps');
    expect(suggestionLabelOf(JSON.stringify({ suggestion: { label: 'stop losartan', plan: [{}] } }))).toBe('stop losartan');
  });
});

describe('the outcome in heart failure', () => {
  const HF = { kind: 'heart_failure' as const, label: 'Death from any cause', horizonYears: 3, hospitalisation: true };
  const CV = { kind: 'cardiovascular_events' as const, label: 'Major CV event', horizonYears: 10, hospitalisation: false };
  const death: RiskChangeView = {
    years: 3,
    current: 20.9,
    candidate: 16.9,
    reduction: 4.78,
    reductionP05: 2.59,
    reductionP95: 6.86,
    contrast: { points: -4.78, relativePercent: -22.9, numberNeeded: 21, toTreat: true },
  };
  const hospital: RiskChangeView = { ...death, current: 17.4, candidate: 11.5, reduction: 6.42, reductionP05: 4.93, reductionP95: 8.04, contrast: { points: -6.42, relativePercent: -36.9, numberNeeded: 16, toTreat: true } };

  it('says death from any cause and a first HF hospitalisation at 3 years, with bands, relative change and NNT', () => {
    expect(riskText(death, HF)).toBe('3-year risk of death from any cause 20.9% → 16.9%: -4.8 pp (5–95%: -6.9 to -2.6 pp), -23 % relative; NNT 21 over 3 years');
    expect(riskText(hospital, HF, 'hf_hospitalisation')).toBe('3-year risk of a first HF hospitalisation 17.4% → 11.5%: -6.4 pp (5–95%: -8.0 to -4.9 pp), -37 % relative; NNT 16 over 3 years');
    expect(baselineText(death, HF)).toBe('3-year risk of death from any cause on today’s treatment: 20.9%');
  });

  it('keeps the cardiovascular wording outside heart failure', () => {
    expect(riskText({ ...death, years: 10 }, CV)).toMatch(/^10-year event risk 20\.9% → 16\.9%/);
    expect(riskColumns(CV).map((c) => c.title)).toEqual(['10-year event risk']);
    expect(riskColumns(HF).map((c) => c.title)).toEqual(['Death from any cause, 3 years', 'First HF hospitalisation, 3 years']);
    expect(riskColumns(null).map((c) => c.title)).toEqual(['Event risk']);
  });
});

describe('the decision history', () => {
  it('says "Modified" once, whatever the modified plan is named', () => {
    const scenario = JSON.stringify({ name: 'Modified: add calcium-channel blocker + statin', interventions: [] });
    expect(historyLabel('modified', scenario)).toBe('Modified: add calcium-channel blocker + statin');
    expect(historyLabel('modified', JSON.stringify({ name: 'half-dose statin', interventions: [] }))).toBe('Modified: half-dose statin');
    expect(historyLabel('modified', 'lower dose')).toBe('Modified: lower dose');
    expect(historyLabel('declined', null)).toBe('Declined');
  });
});
