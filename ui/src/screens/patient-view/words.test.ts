import type { CandidateView, ClassFile, DoseFile, InterventionFile, PlanChangeView, PlanStepView } from '../../api/backend';
import { MG_DL_PER_MMOL_L_CHOLESTEROL } from '../../api/generated';
import { bpCaution, chosenPlan, eventWords, MEASURES, measuresFor, plainCarePlan, plainCareSteps, rangeAt, plainChange, plainDose, plainIntervention, plainLaterStep, plainPlan, plainScenario, switchesOf } from './words';

// Changes as the backend sends them: agent, class, daily mg and its words for the clinician.
const change = (action: string, agent: string | null, drugClass: ClassFile | null, doseMg: number | null, text: string, extra: Partial<PlanChangeView> = {}): PlanChangeView => ({
  action,
  agent,
  drugClass,
  classLabel: null,
  fromClass: null,
  doseMg,
  dose: 'standard',
  text,
  ...extra,
});
const amlodipine = change('start', 'amlodipine', 'calcium_channel_blocker', 5, 'start amlodipine 5 mg once daily (calcium-channel blocker)');
const atorvastatin = change('start', 'atorvastatin', 'statin', 20, 'start atorvastatin 20 mg once daily (statin)');
const lifestyle = change('lifestyle', null, null, null, 'salt reduction and the DASH diet', { dose: null });
const startDrug = (c: ClassFile, dose: DoseFile = 'standard'): InterventionFile => ({ type: 'start_drug', class: c, dose, start_month: 0, adherence: 0.9, persistence: 'real_world' });
const step = (month: number, when: string, changes: PlanChangeView[]): PlanStepView => ({ month, when, changes, checks: [], why: 'w', alerts: [], expected: { potassiumMmolL: 0, sodiumMmolL: 0, egfrPercent: 0, heartRateBpm: 0 }, singlePill: null });

describe('a plan’s changes in plain words, from their structured fields', () => {
  it('names the medicine by what it does, then the drug with its dose and how often', () => {
    expect(plainChange(amlodipine)).toBe('start a new blood-pressure medicine, amlodipine 5 mg once a day');
    expect(plainChange(atorvastatin)).toBe('start a new cholesterol medicine, atorvastatin 20 mg once a day');
    expect(plainChange(change('start', 'ezetimibe', 'ezetimibe', 10, 'start ezetimibe 10 mg once daily'))).toBe('start a second cholesterol medicine, ezetimibe 10 mg once a day');
    expect(plainChange(change('start', 'indapamide', 'thiazide', 2.5, 'start indapamide 2.5 mg once daily (thiazide diuretic)'))).toBe(
      'start a new water tablet that lowers blood pressure, indapamide 2.5 mg once a day',
    );
    expect(plainChange(change('raise', 'lisinopril', 'ace_inhibitor', 20, 'raise to lisinopril 20 mg once daily (ACE inhibitor)'))).toBe(
      'take a higher dose of your blood-pressure medicine: lisinopril 20 mg once a day',
    );
    expect(plainChange(change('raise', 'atorvastatin', 'statin', 40, 'raise to atorvastatin 40 mg once daily (statin)'))).toBe(
      'take a stronger dose of your cholesterol medicine: atorvastatin 40 mg once a day',
    );
    expect(plainChange(change('stop', 'losartan', 'arb', null, 'stop losartan'))).toBe('stop your blood-pressure medicine, losartan');
    // The backend may not name the agent of a stop: the class is said instead.
    expect(plainChange(change('stop', null, 'arb', null, 'stop ARB'))).toBe('stop your blood-pressure medicine (ARB)');
    expect(plainChange(change('switch', 'amlodipine', 'calcium_channel_blocker', 5, 'switch beta-blocker to amlodipine 5 mg once daily (calcium-channel blocker)', { fromClass: 'beta_blocker' }))).toBe(
      'change your medicine that slows the heart (beta-blocker) for a new blood-pressure medicine, amlodipine 5 mg once a day',
    );
    expect(plainChange(lifestyle)).toBeNull();
  });

  it('keeps a schedule other than daily, and says a daily amount when the words give none', () => {
    expect(plainDose(change('start', 'evolocumab', 'pcsk9_inhibitor', 10, 'start evolocumab 140 mg every 2 weeks (PCSK9 inhibitor)'))).toBe('evolocumab 140 mg every 2 weeks');
    expect(plainDose(change('start', 'carvedilol', 'beta_blocker', 25, 'start carvedilol 12.5 mg twice daily (beta-blocker)'))).toBe('carvedilol 12.5 mg twice a day');
    expect(plainDose(change('start', 'amlodipine', 'calcium_channel_blocker', 5, 'amlodipine'))).toBe('amlodipine 5 mg a day');
    expect(plainDose(lifestyle)).toBeNull();
  });

  it('says later steps as what happens if a reading is still high at the check', () => {
    expect(plainLaterStep(step(3, 'at the 3-month review, if SBP is still 130 mmHg or more', [change('start', 'indapamide', 'thiazide', 2.5, 'start indapamide 2.5 mg once daily (thiazide diuretic)')]))).toBe(
      'if your blood pressure is still high at the 3-month check, start a new water tablet that lowers blood pressure, indapamide 2.5 mg once a day',
    );
    expect(plainLaterStep(step(6, 'at the 6-month review, if LDL-C is still 2.6 mmol/L or more', [change('start', 'ezetimibe', 'ezetimibe', 10, 'start ezetimibe 10 mg once daily')]))).toBe(
      'if your “bad” cholesterol (LDL) is still high at the 6-month check, start a second cholesterol medicine, ezetimibe 10 mg once a day',
    );
  });
});

// A plan as the backend sends it (demo patient 01's, shortened).
const plan: CandidateView = {
  label: 'start amlodipine 5 mg once daily (calcium-channel blocker) + start atorvastatin 20 mg once daily (statin)',
  steps: [amlodipine.text, atorvastatin.text, lifestyle.text],
  plan: [
    step(0, 'now', [amlodipine, atorvastatin, lifestyle]),
    step(1, 'at the 1-month review, if SBP is still 130 mmHg or more', [change('start', 'indapamide', 'thiazide', 2.5, 'start indapamide 2.5 mg once daily (thiazide diuretic)')]),
  ],
  drugChanges: 2,
  probability: 0.75,
  probabilityBp: 0.75,
  probabilityLdl: 0.99,
  effects: [],
  risk: null,
  hospitalisation: null,
  alerts: [],
  scenario: {
    name: 'Plan: start calcium-channel blocker at standard dose + start statin at moderate intensity',
    interventions: [
      { type: 'start_drug', class: 'calcium_channel_blocker', dose: 'standard', start_month: 0, adherence: 1, persistence: 'as_prescribed' },
      { type: 'start_drug', class: 'statin', dose: 'standard', start_month: 0, adherence: 1, persistence: 'as_prescribed' },
      { type: 'dash_diet', start_month: 0 },
      { type: 'sodium_reduction', start_month: 0 },
    ],
    strategy: { sbpTarget: 130, reviewMonths: 1, ladder: [{ action: 'add', class: 'thiazide', dose: 'standard' }] },
  },
};

describe('a whole plan of care in plain words', () => {
  it('says now, with the drugs named, then the lifestyle from the plan’s scenario, then each later step', () => {
    expect(plainCarePlan(plan)).toBe(
      'now, start a new blood-pressure medicine, amlodipine 5 mg once a day, start a new cholesterol medicine, atorvastatin 20 mg once a day, ' +
        'eat more fruit, vegetables and low-fat dairy (the DASH diet) and eat less salt; ' +
        'if your blood pressure is still high at the 1-month check, start a new water tablet that lowers blood pressure, indapamide 2.5 mg once a day',
    );
    expect(plainCarePlan({ ...plan, plan: [] })).toBe('keep your treatment as it is');
    // Confirming the blood pressure comes first, whatever the order of the changes.
    const confirm = change('confirm', null, null, null, 'confirm with home or ambulatory BP before intensifying', { dose: null });
    const stop = change('stop', null, 'arb', null, 'stop losartan 50 mg once daily (ARB)', { dose: null });
    expect(plainCareSteps({ ...plan, plan: [step(0, 'now (drug changes once home or ambulatory BP confirms it)', [stop, confirm, atorvastatin])], scenario: { name: 'x', interventions: [] } })).toEqual([
      'now, first check your blood pressure at home for a week, stop your blood-pressure medicine (ARB) and start a new cholesterol medicine, atorvastatin 20 mg once a day',
    ]);
  });

  it('says the plan’s scenario, edited, with its ladder', () => {
    expect(plainScenario(plan.scenario)).toBe(
      'start a blood-pressure medicine (calcium-channel blocker), start a cholesterol medicine (statin), eat more fruit, vegetables and low-fat dairy (the DASH diet), eat less salt, ' +
        'then check your blood pressure every month and, each time the top number is 130 or higher, take the next step: start a water tablet that lowers blood pressure (thiazide)',
    );
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

  it("says a switch of the plan as one change, and the rest one by one, in the scenario's order", () => {
    const swap = change('switch', 'indapamide', 'thiazide', 2.5, 'switch beta-blocker to indapamide 2.5 mg once daily (thiazide diuretic)', { fromClass: 'beta_blocker' });
    const switches = switchesOf({ ...plan, plan: [step(0, 'now', [swap])] });
    const startThiazide: InterventionFile = { type: 'start_drug', class: 'thiazide', dose: 'standard', start_month: 0, adherence: 1, persistence: 'as_prescribed' };
    const scenario: InterventionFile[] = [{ type: 'stop_drug', class: 'beta_blocker', month: 0 }, startThiazide, { type: 'dash_diet', start_month: 0 }];
    expect(plainPlan(scenario, switches)).toBe(
      'change your medicine that slows the heart (beta-blocker) for a new water tablet that lowers blood pressure, indapamide 2.5 mg once a day, eat more fruit, vegetables and low-fat dairy (the DASH diet)',
    );
    // The start was moved to month 2: no longer the switch, said one by one.
    const moved: InterventionFile[] = [scenario[0] as InterventionFile, { ...startThiazide, start_month: 2 }];
    expect(plainPlan(moved, switches)).toBe(
      'stop your medicine that slows the heart (beta-blocker), start a water tablet that lowers blood pressure (thiazide) in 2 months',
    );
    expect(plainPlan([])).toBe('keep your treatment as it is');
  });
});

describe('the patient view shows what the clinician chose', () => {
  const suggestion = plan;
  const bp = (sbp: number, dbp: number) => ({ sbp, dbp, date: '2026-11-01' });
  const target = { sbpBelow: 130, dbpBelow: 80 };

  it('says today’s treatment is kept only when that was chosen, and never reassures about a blood pressure of 168/105', () => {
    const today = chosenPlan({ kind: 'today' }, suggestion, bp(168, 105), target);
    expect(today.scenario).toBeNull();
    expect(today.lead).toMatch(/^You and your doctor decided to keep your treatment as it is for now\./);
    expect(today.caution).toBe(
      'Your blood pressure was 168/105 on 1 Nov 2026. That is high: well above the aim of below 130/80. Keeping the same treatment is not expected to bring it down enough, so your doctor will want to check it again soon and talk with you about what to do next.',
    );
    expect(today.caution).not.toMatch(/fine|good|nothing to worry|normal/i);
    // A reading at target gets no warning; one a little above is said to be above.
    expect(chosenPlan({ kind: 'today' }, suggestion, bp(124, 76), target).caution).toBeNull();
    expect(bpCaution(bp(136, 78), target)).toMatch(/a little above the aim of below 130\/80/);
    // The diastolic alone far above target is high too.
    expect(bpCaution(bp(128, 96), target)).toMatch(/That is high/);
  });

  it('never tells the patient to keep their treatment when a plan was chosen', () => {
    for (const choice of [
      { kind: 'suggested' as const, scenario: suggestion.scenario },
      { kind: 'modified' as const, scenario: { name: 'Modified: Modified: add calcium-channel blocker', interventions: [startDrug('calcium_channel_blocker')] } },
      { kind: 'saved' as const, scenario: { name: 'amlo + statin', interventions: [startDrug('statin')] } },
    ]) {
      const words = chosenPlan(choice, suggestion, bp(168, 105), target);
      expect(words.lead).not.toMatch(/keep your treatment/);
      expect(words.scenario?.interventions).toEqual(choice.scenario.interventions);
    }
  });

  it('says the suggested plan step by step, with the agents and what changes', () => {
    const chosen = chosenPlan({ kind: 'suggested', scenario: suggestion.scenario }, suggestion, null);
    expect(chosen.lead).toBe('Your doctor and you chose this plan, step by step:');
    expect(chosen.steps).toEqual(plainCareSteps(plan));
    expect(chosen.steps[0]).toMatch(/^now, start a new blood-pressure medicine, amlodipine 5 mg once a day, /);
    // The suggestion changed since it was chosen: the chosen plan is said from its own changes.
    const other = chosenPlan({ kind: 'suggested', scenario: { name: 'x', interventions: [startDrug('statin')] } }, suggestion, null);
    expect(other.lead).toBe('Your doctor and you chose this plan:');
    expect(other.steps).toEqual(['start a cholesterol medicine (statin)']);
  });

  it('says a modified or saved plan from its changes, never by the clinician’s name for it', () => {
    const named = { name: 'Modified: add calcium-channel blocker (standard dose) + statin', interventions: [startDrug('calcium_channel_blocker'), startDrug('statin', 'half')] };
    const words = chosenPlan({ kind: 'modified', scenario: named }, suggestion, null);
    expect(words.steps).toEqual(['start a blood-pressure medicine (calcium-channel blocker)', 'start a low dose of a cholesterol medicine (statin)']);
    expect([words.lead, ...words.steps].join(' ')).not.toMatch(/Modified|standard dose/);
    const saved = chosenPlan({ kind: 'saved', scenario: { ...named, name: 'Dr B’s idea' } }, suggestion, null);
    expect([saved.lead, ...saved.steps].join(' ')).not.toMatch(/Dr B/);
    // A treat-to-target plan: its changes, then its checks.
    expect(chosenPlan({ kind: 'saved', scenario: plan.scenario }, null, null).steps.slice(-1)).toEqual([
      'then check your blood pressure every month and, each time the top number is 130 or higher, take the next step: start a water tablet that lowers blood pressure (thiazide)',
    ]);
  });
});

describe('what the event risk counts, in the patient’s words', () => {
  it('includes heart failure where the model counts it (PREVENT total CVD), and says each model’s events', () => {
    expect(eventWords('PREVENT 10-year total CVD')).toBe('Chance of a heart attack, stroke or heart failure by then');
    expect(eventWords('PCE 10-year hard ASCVD')).toMatch(/heart attack or stroke \(including dying from one\)/);
    expect(eventWords('SMART2 10-year recurrent events')).toMatch(/^Chance of another heart attack or stroke/);
    expect(eventWords('SCORE2 10-year CVD')).toBe('Chance of a heart attack or stroke by then');
    expect(eventWords(undefined)).not.toMatch(/^Chance of a heart attack or stroke by then$/);
    const rows = measuresFor({ kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false }, 'PREVENT 10-year total CVD');
    expect(rows.measures.find((m) => m.key === 'event_risk')?.name).toMatch(/heart failure/);
  });
});

describe('cholesterol in the clinician’s unit', () => {
  it("converts with the engine's factor", () => {
    const ldl = MEASURES.find((m) => m.key === 'ldl');
    if (!ldl) throw new Error('LDL measure missing');
    expect(MG_DL_PER_MMOL_L_CHOLESTEROL).toBe(38.67);
    const months = (v: number) => Array.from({ length: 13 }, () => v);
    const band = { output: 'ldl' as const, label: 'LDL', unit: 'mmol/L', p5: months(2.6), p50: months(2.8), p95: months(3) };
    expect(rangeAt([band], ldl, 1)).toBe('2.6 to 3.0 mmol/L');
    expect(rangeAt([band], ldl, 1, 'mg/dL')).toBe('101 to 116 mg/dL');
  });
});

describe('heart failure in plain words', () => {
  const HF = { kind: 'heart_failure' as const, label: 'Death from any cause', horizonYears: 3, hospitalisation: true };
  const band = (output: 'event_risk' | 'hf_hospitalisation', lo: number, hi: number) => ({
    output,
    label: '',
    unit: 'probability',
    p5: Array.from({ length: 121 }, () => lo),
    p50: Array.from({ length: 121 }, () => (lo + hi) / 2),
    p95: Array.from({ length: 121 }, () => hi),
  });

  it('says the chances of dying from any cause and of a hospital stay for heart failure over 3 years, not a heart attack or stroke', () => {
    const rows = measuresFor(HF);
    expect(rows.years).toBe(3);
    expect(rows.measures.map((m) => m.key)).toEqual(['sbp', 'ldl']);
    expect(rows.chances.map((m) => m.name)).toEqual([
      'Chance of dying from any cause in the next 3 years',
      'Chance of being admitted to hospital for heart failure in the next 3 years',
    ]);
    const [death, hospital] = rows.chances;
    if (!death || !hospital) throw new Error('chances missing');
    expect(rangeAt([band('event_risk', 0.171, 0.262)], death, 3)).toBe('17 to 26 in 100');
    expect(rangeAt([band('hf_hospitalisation', 0.12, 0.22)], hospital, 3)).toBe('12 to 22 in 100');
    // Outside heart failure: the heart attack or stroke row, at 1, 5 and 10 years.
    expect(measuresFor({ kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false }).measures.map((m) => m.key)).toEqual(['sbp', 'ldl', 'event_risk']);
    expect(measuresFor(undefined).chances).toEqual([]);
  });

  const arni = change(
    'switch',
    'sacubitril',
    'arni',
    200,
    'switch ramipril 5 mg 2 times daily (ACE inhibitor) to sacubitril/valsartan 49/51 mg twice daily (ARNI) 36 hours after the last ACE-inhibitor dose',
    { fromClass: 'ace_inhibitor' },
  );

  it('names a combination whole with both doses, and the wash-out of a switch', () => {
    expect(plainDose(arni)).toBe('sacubitril/valsartan 49/51 mg twice a day');
    expect(plainChange(arni)).toBe(
      'change your blood-pressure medicine (ACE inhibitor) for a new heart-failure medicine, sacubitril/valsartan 49/51 mg twice a day, taking its first dose 36 hours after your last dose of the old one',
    );
  });

  it('says the checks and referrals of a heart-failure plan for what they are, and titration as tolerated', () => {
    const other = (action: string, text: string) => change(action, null, null, null, text, { dose: null });
    const first = step(0, 'now', [
      arni,
      other('confirm', 'review furosemide 40 mg once daily (loop diuretic) against congestion (weight, oedema, breathlessness): the lowest dose that keeps the patient free of congestion'),
      other('refer', 'ICD assessment: EF 35 % despite 3 months or more of optimised therapy, NYHA II'),
      other('refer', 'CRT assessment: QRS 152 ms, LBBB, EF 35 %'),
    ]);
    const titrate = step(1, 'in 1 month', [change('raise', 'sacubitril', 'arni', 400, 'raise to sacubitril/valsartan 97/103 mg twice daily (ARNI)')]);
    const ivabradine = step(2, 'in 2 months, if resting heart rate is still 70 bpm or more in sinus rhythm on the beta-blocker (ESC 2021 IIa; SHIFT)', [
      change('start', 'ivabradine', 'ivabradine', 10, 'start ivabradine 5 mg twice daily'),
    ]);
    const steps = plainCareSteps({ ...plan, plan: [first, titrate, ivabradine], scenario: { name: 'x', interventions: [] } });
    expect(steps[0]).toMatch(/^now, change your blood-pressure medicine \(ACE inhibitor\) for a new heart-failure medicine, sacubitril\/valsartan 49\/51 mg twice a day/);
    expect(steps[0]).toMatch(/have the dose of your water tablet \(furosemide\) checked: the lowest dose that keeps fluid off/);
    expect(steps[0]).toMatch(/see a heart-rhythm specialist about a device: an ICD, a small implanted device that can stop a dangerous heart rhythm, and CRT, a pacemaker/);
    expect(steps[0]).not.toMatch(/blood pressure at home/);
    expect(steps[1]).toBe('at the 1-month check, if your blood pressure, pulse and blood tests allow it, take a higher dose of your heart-failure medicine: sacubitril/valsartan 97/103 mg twice a day');
    expect(steps[2]).toBe('if your resting pulse is still 70 beats a minute or more at the 2-month check, start a new medicine that slows the heart, ivabradine 5 mg twice a day');
  });
});
