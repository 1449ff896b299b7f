import type { PatientListItem, PersonalHindcast, Projection } from '../api/backend';
import { filterPatients, staleness } from './patients/filter';
import { defaultIntervention, describe as describeIntervention, problem } from './scenarios/interventions';
import { waterfall } from './explain/waterfall';
import { formatContrast, formatPoints, formatRelative, formatValue, monthLabel, numberNeededText } from './scenarios/outputs';
import { decisionLabel, formatEffect, modificationLabel, shortName, suggestionLabelOf } from './decide/decide';
import { MEASURES, plainHindcast, rangeAt } from './patient-view/words';
import { heatmapEmpty, heatmapFigure, partialFigure } from './heatmap/heatmapFigure';
import { biasWords, hindcastFigure, hindcastSentence } from './twin/hindcast';
import { sampledPathsFigure } from './scenarios/learnedFigure';

const patient = (name: string, age: number | null, conditions: string[]): PatientListItem => ({
  id: name,
  name,
  sex: 'female',
  age,
  conditions,
  synthetic: true,
  lastSeen: null,
  origin: 'demo',
  cachedDaysAgo: null,
});

describe('patient filter', () => {
  const list = [patient('Ada Test', 64, ['Hypertension']), patient('Ben Test', 41, []), patient('Cy Test', null, ['Heart failure'])];
  it('matches name or condition, case-insensitively', () => {
    expect(filterPatients(list, { text: 'hyper', minAge: null, maxAge: null, condition: '' }).map((p) => p.name)).toEqual(['Ada Test']);
    expect(filterPatients(list, { text: 'ben', minAge: null, maxAge: null, condition: '' }).map((p) => p.name)).toEqual(['Ben Test']);
  });
  it('keeps the age range and leaves out unknown ages when a range is set', () => {
    expect(filterPatients(list, { text: '', minAge: 50, maxAge: null, condition: '' }).map((p) => p.name)).toEqual(['Ada Test']);
    expect(filterPatients(list, { text: '', minAge: null, maxAge: 50, condition: '' }).map((p) => p.name)).toEqual(['Ben Test']);
  });
  it('filters by exact condition', () => {
    expect(filterPatients(list, { text: '', minAge: null, maxAge: null, condition: 'Heart failure' }).map((p) => p.name)).toEqual(['Cy Test']);
  });
  it('says how stale a cached record is', () => {
    expect(staleness(0.2)).toBe('cached today');
    expect(staleness(1.5)).toBe('cached 1 day ago');
    expect(staleness(3.9)).toBe('cached 3 days ago');
    expect(staleness(95)).toBe('cached 3 months ago');
    expect(staleness(null)).toBe('');
  });
});

describe('scenario checks', () => {
  it('accepts the defaults and describes them', () => {
    const start = defaultIntervention('start_drug');
    expect(problem(start, 120)).toBeNull();
    expect(describeIntervention(start)).toContain('Calcium-channel blocker');
  });
  it('starts a drug with real-world persistence unless told it is taken as prescribed', () => {
    const start = defaultIntervention('start_drug');
    expect(start.type === 'start_drug' && start.persistence).toBe('real_world');
    expect(describeIntervention(start)).toContain('real-world persistence');
    if (start.type === 'start_drug') {
      expect(describeIntervention({ ...start, persistence: 'as_prescribed' })).toContain('taken as prescribed');
    }
  });
  it('refuses adherence over 100 %, months past the horizon, and absurd weight', () => {
    expect(problem({ type: 'start_drug', class: 'statin', dose: 'double', start_month: 0, adherence: 1.2, persistence: 'real_world' }, 120)).toMatch(/Adherence/);
    expect(problem({ type: 'stop_drug', class: 'statin', month: 130 }, 120)).toMatch(/after the horizon/);
    expect(problem({ type: 'weight_change', kg: -80, start_month: 0, over_months: 12 }, 120)).toMatch(/±30 kg/);
    expect(problem({ type: 'exercise', minutes_per_week: 3000, start_month: 0 }, 120)).toMatch(/0–600/);
  });
});

// The overview's timeline figure is tested beside it, in screens/overview/overview.test.ts.

describe('risk waterfall', () => {
  it('stacks contributions from the reference to the patient', () => {
    const w = waterfall([
      { factor: 'SBP', value: 0.4 },
      { factor: 'HDL', value: -0.1 },
      { factor: 'noise', value: 0.001 },
    ]);
    const trace = w.data[0] as { base: number[]; x: number[]; y: string[] };
    expect(trace.y).toEqual(['SBP', 'HDL', 'This patient vs reference']);
    expect(trace.base[0]).toBeCloseTo(0);
    expect(trace.base[1]).toBeCloseTo(0.3);
    expect(trace.x[2]).toBeCloseTo(0.3);
  });
});

describe('formatting', () => {
  it('shows event risk as percent and signs differences, in percentage points', () => {
    expect(formatValue('event_risk', 0.0234, 'probability')).toBe('2.3 %');
    expect(formatValue('event_risk', 0.0234, 'probability', true)).toBe('+2.3 pp');
    expect(formatValue('sbp', -8.04, 'mmHg', true)).toBe('-8.0 mmHg');
    expect(formatValue('event_risk', -0.0004, 'probability', true)).toBe('0.0 pp');
    expect(formatValue('ldl', -0.001, 'mmol/L', true)).toBe('0.00 mmol/L');
    expect(monthLabel(6)).toBe('6 months');
    expect(monthLabel(60)).toBe('5 years');
  });

  it('says a risk difference absolutely, relatively and as the number needed to treat or harm', () => {
    const fall = { points: -4, relativePercent: -25, numberNeeded: 25, toTreat: true };
    expect(formatContrast(fall)).toBe('-4.0 pp (-25 % relative)');
    expect([formatPoints(fall), formatRelative(fall)]).toEqual(['-4.0 pp', '-25 % relative']);
    expect(numberNeededText(fall, 120)).toBe('NNT 25 over 10 years');
    const rise = { points: 3, relativePercent: 30, numberNeeded: 34, toTreat: false };
    expect(formatContrast(rise)).toBe('+3.0 pp (+30 % relative)');
    expect(numberNeededText(rise, 60)).toBe('NNH 34 over 5 years');
    const none = { points: 0.004, relativePercent: 0.1, numberNeeded: null, toTreat: false };
    expect(formatContrast(none)).toBe('0.0 pp');
    expect(numberNeededText(none, 12)).toBe('');
  });
});

describe('decisions', () => {
  it('labels a decision (the form and its rules: decide/DecisionForm.test.tsx)', () => {
    expect(decisionLabel('declined')).toBe('Declined');
  });
  it('formats an effect with its band and unit, LDL-C in mg/dL too', () => {
    expect(formatEffect({ output: 'sbp', label: 'Systolic BP', unit: 'mmHg', median: 128.4, p05: 120.6, p95: 136.2 })).toBe('128 (121–136) mmHg');
    expect(formatEffect({ output: 'ldl', label: 'LDL', unit: 'mmol/L', median: 1.834, p05: 1.5, p95: 2.2 })).toBe('1.83 (1.50–2.20) mmol/L · 71 (58–85) mg/dL');
    const drugs = { output: 'bp_drugs' as const, label: 'BP-lowering drugs', unit: 'classes' };
    expect(formatEffect({ ...drugs, median: 1, p05: 1, p95: 1 })).toBe('1 class');
    expect(formatEffect({ ...drugs, median: 4, p05: 3, p95: 4 })).toBe('4 (3–4) classes');
    expect(formatEffect({ ...drugs, median: 2, p05: 2, p95: 2 })).toBe('2 classes');
  });
  it('reads the regimen back out of a logged suggestion', () => {
    expect(suggestionLabelOf(JSON.stringify({ suggestion: { label: 'add statin' } }))).toBe('add statin');
    expect(suggestionLabelOf(JSON.stringify({ suggestion: null }))).toBe('no change');
    expect(suggestionLabelOf('plain text')).toBe('plain text');
    expect(modificationLabel(JSON.stringify({ name: 'Amlodipine 5 mg instead', interventions: [] }))).toBe('Amlodipine 5 mg instead');
    expect(modificationLabel('lower dose')).toBe('lower dose');
    const long = 'Modified: add calcium-channel blocker + add thiazide diuretic + DASH diet + add statin (moderate intensity)';
    expect(shortName(long)).toBe('Modified: add calcium-channel blocker + add thiazide diuretic + DASH diet …');
    expect(shortName(long).length).toBeLessThanOrEqual(80);
    expect(shortName('short')).toBe('short');
  });
});

describe('patient view words', () => {
  const band = (output: 'sbp' | 'event_risk', lo: number, hi: number) => ({
    output,
    label: output,
    unit: '',
    p5: Array.from({ length: 121 }, () => lo),
    p50: Array.from({ length: 121 }, () => (lo + hi) / 2),
    p95: Array.from({ length: 121 }, () => hi),
  });
  it('says a range in plain words, and nothing when the output is missing', () => {
    const sbp = MEASURES.find((m) => m.key === 'sbp');
    const risk = MEASURES.find((m) => m.key === 'event_risk');
    if (!sbp || !risk) throw new Error('measures missing');
    expect(rangeAt([band('sbp', 121.4, 139.6)], sbp, 5)).toBe('121 to 140');
    expect(rangeAt([band('event_risk', 0.081, 0.123)], risk, 10)).toBe('8 to 12 in 100');
    expect(rangeAt([band('sbp', Number.NaN, Number.NaN)], sbp, 1)).toBeNull();
    expect(rangeAt([], sbp, 1)).toBeNull();
    expect(rangeAt([band('event_risk', 0.006, 0.011)], risk, 1)).toBe('about 1 in 100');
  });
});

describe('risk heatmap figure', () => {
  it('lays the cells out row by row, as percentages, with the band and regimen on hover', () => {
    const cell = (p50: number | null, regimen: string) => ({
      p50,
      p5: p50 === null ? null : p50 - 0.01,
      p95: p50 === null ? null : p50 + 0.01,
      regimen,
      scenario: { name: regimen, interventions: [] },
    });
    const fig = heatmapFigure({
      x: { axis: 'sbpLowering', label: 'SBP lowering', unit: 'mmHg', values: [0, 10] },
      y: { axis: 'ldlLowering', label: 'LDL-C lowering', unit: '%', values: [0, 50] },
      cells: [cell(0.2, 'a'), cell(0.15, 'b'), cell(0.12, 'c'), cell(null, 'd')],
      months: 120,
      members: 100,
      eventModel: 'PREVENT',
      outcome: { kind: 'cardiovascular_events', label: 'Major CV event', horizonYears: 10, hospitalisation: false },
      note: null,
      backend: 'CPU',
      elapsedMs: 1,
    });
    const trace = fig.data[0] as unknown as { z: (number | null)[][]; customdata: string[][][] };
    expect(trace.z).toEqual([[20, 15], [12, null]]);
    expect(trace.customdata[0]?.[1]).toEqual(['14.0%', '16.0%', 'b']);
    expect(trace.customdata[1]?.[1]).toEqual(['—', '—', 'd']);
  });
});

describe('a heatmap still computing', () => {
  it('draws the finished rows and leaves the rest blank', () => {
    const fig = partialFigure({ axis: 'sbpLowering', from: 0, to: 30 }, { axis: 'ldlLowering', from: 0, to: 60 }, 2, [0.2, 0.1, null]);
    const trace = fig.data[0] as unknown as { x: number[]; z: (number | null)[][] };
    expect(trace.x).toEqual([0, 30]);
    expect(trace.z).toEqual([[20, 10], [null, null]]);
  });
});

const sbpRow = { measurement: 'sbp', label: 'Systolic BP', unit: 'mmHg', readings: 2, inside: 1, meanAbsError: 6, bias: 6 };
const ldlRow = { measurement: 'ldl_cholesterol', label: 'LDL cholesterol', unit: 'mmol/L', readings: 1, inside: 1, meanAbsError: 0.3, bias: -0.01 };
const hindcast: PersonalHindcast = {
  available: true,
  note: 'rebuilt',
  cut: '2025-06-01',
  end: '2026-06-01',
  months: 12,
  rows: [sbpRow, ldlRow],
  points: [
    { measurement: 'sbp', date: '2025-09-01', observed: 150, predicted: 142, lo: 128, hi: 156 },
    { measurement: 'sbp', date: '2026-03-01', observed: 146, predicted: 142, lo: 127, hi: 157 },
    { measurement: 'ldl_cholesterol', date: '2026-03-01', observed: 2.9, predicted: 3.2, lo: 2.6, hi: 3.8 },
  ],
  hybrid: [],
  hybridNote: 'no model',
};

describe('the personal hindcast', () => {
  it('says which way the twin was off, and when it was not consistently off', () => {
    expect(biasWords(sbpRow)).toBe('twin 6 mmHg too low');
    expect(biasWords(ldlRow)).toBe('no consistent direction');
    expect(biasWords({ ...sbpRow, bias: -4 })).toBe('twin 4 mmHg too high');
  });
  it('sums up SBP in one sentence, or says why there is none', () => {
    expect(hindcastSentence(hindcast)).toContain('off by 6 mmHg on average for systolic BP, with 1 of 2 readings inside');
    expect(hindcastSentence({ ...hindcast, available: false, note: 'no readings in the year after 2025-06-01' })).toBe(
      'No hindcast: no readings in the year after 2025-06-01.',
    );
  });
  it('draws one measurement: the prediction with its range, and the readings', () => {
    const { data } = hindcastFigure(hindcast, 'sbp');
    const [twin, readings] = data as { y: number[]; x: string[]; error_y?: { array: number[]; arrayminus: number[] } }[];
    expect(readings?.y).toEqual([150, 146]);
    expect(twin?.y).toEqual([142, 142]);
    expect(twin?.error_y?.array).toEqual([14, 15]);
    expect(twin?.error_y?.arrayminus).toEqual([14, 15]);
  });
});

describe('the hindcast for the patient', () => {
  it('says how far off the blood-pressure estimates were, in whole mmHg', () => {
    expect(plainHindcast(hindcast)).toBe(
      'How close was it last time? Set up from your records of a year ago, the model’s estimates of your blood pressure were off by about 6 mmHg, and 1 of your 2 readings fell inside its likely range.',
    );
    expect(plainHindcast({ ...hindcast, rows: [{ ...sbpRow, readings: 1, inside: 0 }] })).toContain('your one reading fell outside its likely range');
  });
  it('says nothing without a hindcast', () => {
    expect(plainHindcast(undefined)).toBeNull();
    expect(plainHindcast({ ...hindcast, available: false })).toBeNull();
  });
});

describe('sampled learned paths', () => {
  const rows = ['sbp', 'ldl_cholesterol'].flatMap((target, t) =>
    [1, 3, 6, 12].map((h) => ({ target, horizonMonths: h, engine: 100 * (1 - t) + h, residual: 1, hybrid: 100 * (1 - t) + h + 1, lo: 0, hi: 200 })),
  );
  const projection = {
    scenario: 'Current treatment',
    learned: { available: true, note: '', rows, samples: [rows.map((r) => r.hybrid + 2), rows.map((r) => r.hybrid - 2)] },
  } as unknown as Projection;
  it('draws each sample for the chosen target, then the hybrid and engine means', () => {
    const { data } = sampledPathsFigure(projection, 'ldl_cholesterol', 'LDL-C');
    const lines = data as { x: number[]; y: number[]; name: string }[];
    expect(lines).toHaveLength(4);
    expect(lines[0]?.x).toEqual([1, 3, 6, 12]);
    expect(lines[0]?.y).toEqual([4, 6, 9, 15]);
    expect(lines[1]?.y).toEqual([0, 2, 5, 11]);
    expect(lines[2]?.name).toBe('Hybrid mean');
    expect(lines[3]?.y).toEqual([1, 3, 6, 12]);
  });
});

describe('risk heatmap in heart failure', () => {
  it('names each cell 3-year death from any cause, in the title, the legend and on hover', () => {
    const fig = heatmapFigure({
      x: { axis: 'sbpLowering', label: 'SBP lowering', unit: 'mmHg', values: [0, 10] },
      y: { axis: 'exercise', label: 'Exercise', unit: 'min/week', values: [0, 150] },
      cells: [0.2, 0.19, 0.18, 0.17].map((p50) => ({ p50, p5: p50 - 0.02, p95: p50 + 0.02, regimen: 'r', scenario: { name: 'r', interventions: [] } })),
      months: 36,
      members: 200,
      eventModel: 'MAGGIC death from any cause',
      outcome: { kind: 'heart_failure', label: 'Death from any cause', horizonYears: 3, hospitalisation: true },
      note: null,
      backend: 'CPU',
      elapsedMs: 1,
    });
    const trace = fig.data[0] as unknown as { hovertemplate: string; colorbar: { title: { text: string } } };
    expect((fig.layout.title as { text: string }).text).toBe('3-year death from any cause (median of 200 simulated courses per cell)');
    expect(trace.hovertemplate).toMatch(/3-year death from any cause %\{z:\.1f\}%/);
    expect(trace.colorbar.title.text).toBe('death, %');
    expect(JSON.stringify(fig)).not.toMatch(/10-year/);
  });

  it('knows a heatmap without any risk (no outcome model), to say so in words instead of an empty chart', () => {
    const view = (p50: number | null) => ({
      x: { axis: 'sbpLowering' as const, label: 'SBP lowering', unit: 'mmHg', values: [0] },
      y: { axis: 'ldlLowering' as const, label: 'LDL-C lowering', unit: '%', values: [0] },
      cells: [{ p50, p5: p50, p95: p50, regimen: 'r', scenario: { name: 'r', interventions: [] } }],
      months: 120,
      members: 100,
      eventModel: 'no event model applies',
      outcome: { kind: 'cardiovascular_events' as const, label: 'Major CV event', horizonYears: 10, hospitalisation: false },
      note: null,
      backend: 'CPU',
      elapsedMs: 1,
    });
    expect(heatmapEmpty(view(null))).toBe(true);
    expect(heatmapEmpty(view(0.1))).toBe(false);
  });
});
