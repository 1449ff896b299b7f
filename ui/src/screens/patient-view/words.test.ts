import type { AuditView, CandidateView, ClassFile, DoseFile, InterventionFile, StepChange, StepView } from '../../api/backend';
import { MG_DL_PER_MMOL_L_CHOLESTEROL } from '../../api/generated';
import { chosenPlan, MEASURES, plainIntervention, plainPlan, plainStep, rangeAt } from './words';

// Steps as the engine sends them: the label is the engine's English, kept only to show that the
// words come from the structured parts (each label here is deliberately not what the words say).
const startDrug = (c: ClassFile, dose: DoseFile = 'standard', adherence = 0.9): InterventionFile => ({ type: 'start_drug', class: c, dose, start_month: 0, adherence, persistence: 'real_world' });
const step = (change: StepChange, interventions: InterventionFile[], month = 0): StepView => ({ label: 'engine words', change, month, flags: [], interventions });
const start = (c: ClassFile, dose: DoseFile = 'standard') => step({ action: 'start', class: c, dose }, [startDrug(c, dose)]);
const raise = (c: ClassFile, dose: DoseFile) => step({ action: 'raise', class: c, dose, now: { agent: null, mg: null, dose: null } }, [{ type: 'change_dose', class: c, dose, month: 0 }]);
const switchStep = (from: ClassFile, to: ClassFile) =>
  step({ action: 'switch', from, to, dose: 'standard', now: { agent: 'metoprolol', mg: 100, dose: 'standard' } }, [{ type: 'stop_drug', class: from, month: 0 }, startDrug(to)]);
const salt = step({ action: 'lifestyle', kind: 'salt_reduction', minutesPerWeek: null }, [{ type: 'sodium_reduction', start_month: 0 }]);
const dash = step({ action: 'lifestyle', kind: 'dash_diet', minutesPerWeek: null }, [{ type: 'dash_diet', start_month: 0 }]);
const walk = step({ action: 'lifestyle', kind: 'exercise', minutesPerWeek: 150 }, [{ type: 'exercise', minutes_per_week: 150, start_month: 0 }]);

describe('suggested steps in plain words, from their structured parts', () => {
  it('names medicines by what they do and keeps the clinical name in brackets', () => {
    expect(plainStep(start('calcium_channel_blocker'))).toBe('start a blood-pressure medicine (calcium-channel blocker)');
    expect(plainStep(start('non_dihydropyridine_ccb'))).toBe('start a medicine that lowers blood pressure and slows the heart (calcium-channel blocker)');
    expect(plainStep(start('statin'))).toBe('start a cholesterol medicine (statin)');
    expect(plainStep(start('statin', 'double'))).toBe('start a strong dose of a cholesterol medicine (statin)');
    expect(plainStep(start('ezetimibe'))).toBe('start a second cholesterol medicine (ezetimibe)');
    expect(plainStep(start('thiazide', 'half'))).toBe('start a water tablet that lowers blood pressure (thiazide), half dose');
    expect(plainStep(raise('statin', 'double'))).toBe('take a stronger dose of your cholesterol medicine (statin)');
    expect(plainStep(raise('ace_inhibitor', 'double'))).toBe('take a higher dose of your blood-pressure medicine (ACE inhibitor)');
    expect(plainStep(switchStep('beta_blocker', 'thiazide'))).toBe('change your medicine that slows the heart (beta-blocker) for a water tablet that lowers blood pressure (thiazide)');
    expect(plainStep(salt)).toBe('eat less salt');
    expect(plainStep(dash)).toBe('eat more fruit, vegetables and low-fat dairy (the DASH diet)');
    expect(plainStep(walk)).toBe('brisk exercise (walking, cycling, swimming) 150 minutes a week');
  });

  it('says when a step starts later than today', () => {
    expect(plainStep({ ...start('arb'), month: 3 })).toBe('start a blood-pressure medicine (ARB) in 3 months');
    expect(plainStep({ ...salt, month: 1 })).toBe('eat less salt in 1 month');
  });
});

describe('scenario interventions in plain words', () => {
  it('says every kind of intervention', () => {
    const words = (i: InterventionFile) => plainIntervention(i);
    expect(words(startDrug('pcsk9_inhibitor'))).toBe('start a cholesterol injection (PCSK9 inhibitor)');
    expect(words({ type: 'change_dose', class: 'statin', dose: 'half', month: 0 })).toBe('change your cholesterol medicine (statin) to a low dose');
    expect(words({ type: 'change_dose', class: 'arb', dose: 'double', month: 6 })).toBe('change your blood-pressure medicine (ARB) to double the usual dose in 6 months');
    expect(words({ type: 'stop_drug', class: 'mra', month: 0 })).toBe('stop your medicine that protects the heart and lowers blood pressure (MRA)');
    expect(words({ type: 'adherence', level: 0.8, start_month: 0 })).toBe('take your medicines on about 8 days in 10');
    expect(words({ type: 'adherence', level: 1, start_month: 0 })).toBe('take your medicines every day');
    expect(words({ type: 'weight_change', kg: -5, start_month: 0, over_months: 12 })).toBe('lose about 5 kg over 12 months');
    expect(words({ type: 'smoking_cessation', month: 0 })).toBe('stop smoking');
    expect(words({ type: 'procedure', kind: 'cabg', month: 2 })).toBe('heart bypass surgery (CABG) in 2 months');
    expect(words({ type: 'lower_sbp', mmhg: 10, start_month: 0 })).toBe('lower your blood pressure (top number) by about 10 mmHg');
    expect(words({ type: 'lower_ldl', fraction: 0.3, start_month: 0 })).toBe('lower your “bad” cholesterol (LDL) by about 30%');
  });

  it("says the suggestion's steps as steps, and the rest one by one, in the scenario's order", () => {
    const swap = switchStep('beta_blocker', 'thiazide');
    const scenario: InterventionFile[] = [...swap.interventions, { type: 'dash_diet', start_month: 0 }, startDrug('statin')];
    // The statin's adherence was edited, so it is no longer the suggestion's step: said on its own.
    const edited: InterventionFile[] = [...scenario.slice(0, 3), startDrug('statin', 'standard', 0.5)];
    expect(plainPlan(scenario, [start('statin'), swap, dash])).toBe(
      'change your medicine that slows the heart (beta-blocker) for a water tablet that lowers blood pressure (thiazide), eat more fruit, vegetables and low-fat dairy (the DASH diet), start a cholesterol medicine (statin)',
    );
    expect(plainPlan(edited, [swap])).toBe(
      'change your medicine that slows the heart (beta-blocker) for a water tablet that lowers blood pressure (thiazide), eat more fruit, vegetables and low-fat dairy (the DASH diet), start a cholesterol medicine (statin)',
    );
    expect(plainPlan(scenario)).toBe(
      'stop your medicine that slows the heart (beta-blocker), start a water tablet that lowers blood pressure (thiazide), eat more fruit, vegetables and low-fat dairy (the DASH diet), start a cholesterol medicine (statin)',
    );
    expect(plainPlan([])).toBe('keep your treatment as it is');
  });
});

describe('the patient view follows the decision recorded', () => {
  const steps = [start('statin'), start('ezetimibe')];
  const suggestion: CandidateView = {
    label: 'add statin (moderate intensity) + add ezetimibe',
    steps: steps.map((s) => s.label),
    stepParts: steps,
    drugChanges: 2,
    probability: 0.9,
    probabilityBp: 1,
    probabilityLdl: 0.9,
    effects: [],
    risk: null,
    flags: [],
    passed: [],
    scenario: { name: 'Suggested: add statin (moderate intensity) + add ezetimibe', interventions: steps.flatMap((s) => s.interventions) },
  };
  const entry = (patientId: string, decision: string, modification: string | null): AuditView => ({
    seq: 1n,
    time: 't',
    user: 'u',
    patientId,
    suggestion: '{}',
    decision,
    modification,
    reason: 'r',
    engineVersion: 'e',
    modelVersion: 'm',
    inputsHash: 'h',
    hash: 'x',
  });
  it('uses the suggestion until something is decided, then the decision', () => {
    expect(chosenPlan([], 'p', suggestion).lead).toBe(
      'We compared your treatment today with a suggested plan, not yet decided: start a cholesterol medicine (statin), start a second cholesterol medicine (ezetimibe).',
    );
    const accepted = chosenPlan([entry('p', 'accepted', null)], 'p', suggestion);
    expect(accepted.scenario?.name).toBe(suggestion.scenario.name);
    expect(accepted.lead).toMatch(/chose: start a cholesterol medicine \(statin\), start a second cholesterol medicine \(ezetimibe\)\.$/);
    expect(chosenPlan([entry('p', 'declined', null)], 'p', suggestion).scenario).toBeNull();
    expect(chosenPlan([entry('other', 'declined', null)], 'p', suggestion).lead).toMatch(/not yet decided/);
    expect(chosenPlan([], 'p', null).lead).toMatch(/no change is suggested/);
  });

  it("says a modification from its interventions, not its name", () => {
    // Ezetimibe deferred: the scenario named after the suggestion keeps only the statin.
    const deferred = { name: 'Modified: add statin (moderate intensity) + add ezetimibe', interventions: [startDrug('statin')] };
    const plan = chosenPlan([entry('p', 'modified', JSON.stringify(deferred))], 'p', suggestion);
    expect(plan.scenario?.name).toBe(deferred.name);
    expect(plan.lead).toBe('We compared your treatment today with the plan you and your doctor chose: start a cholesterol medicine (statin).');
    const halfDose = { name: 'half-dose statin', interventions: [startDrug('statin', 'half')] };
    expect(chosenPlan([entry('p', 'modified', JSON.stringify(halfDose))], 'p', suggestion).lead).toMatch(/chose: start a low dose of a cholesterol medicine \(statin\)\.$/);
    // Plain text is not a scenario: the suggestion stands, undecided.
    expect(chosenPlan([entry('p', 'modified', 'lower dose')], 'p', suggestion).lead).toMatch(/not yet decided/);
  });
});

describe('cholesterol in both units', () => {
  it("converts with the engine's factor", () => {
    const ldl = MEASURES.find((m) => m.key === 'ldl');
    if (!ldl) throw new Error('LDL measure missing');
    expect(MG_DL_PER_MMOL_L_CHOLESTEROL).toBe(38.67);
    const months = (v: number) => Array.from({ length: 13 }, () => v);
    const band = { output: 'ldl' as const, label: 'LDL', unit: 'mmol/L', p5: months(2.6), p50: months(2.8), p95: months(3) };
    expect(rangeAt([band], ldl, 1)).toBe('2.6 to 3.0 mmol/L (101 to 116 mg/dL)');
  });
});
