import type { MedicationView, Projection, ReferenceRangeView, Series, TargetsView, Timeline } from '../../api/backend';
import { chartEvents, eventMarkers, labelRows, shortLabel } from '../../charts/events';
import { MEASUREMENT_COLOURS, measurementColour } from '../../charts/palette';
import { agentCourses, doseText } from './medications';
import { flagFor, labTable, latestRows, readingOn, staleAge, targetFor, trend } from './readings';
import { addMonths, bands, rangeFor, timelineFigure } from './timelineFigure';
import { displayValue, rangeText } from './values';

const targets: TargetsView = {
  sbpBelow: 130,
  dbpBelow: 80,
  bpReason: 'treated hypertension',
  ldlBelowMmol: 1.8,
  ldlBelowMgDl: 70,
  category: 'High',
  ldlReason: 'high risk',
  bpSource: 'ESC 2024',
  ldlSource: 'ESC/EAS 2019',
  bpGuideline: 'ESC 2024',
  ldlGuideline: 'ESC/EAS 2019',
};

const potassium: ReferenceRangeView = { key: 'potassium', low: 3.5, high: 5.3, source: 'UK Pathology Harmony' };

const med = (agent: string, dose: number | null, start: string, end: string | null): MedicationView => ({
  display: `${agent} ${String(dose)} mg once daily`,
  agent,
  class: 'ACE inhibitor',
  dailyDoseMg: dose,
  doseLevel: null,
  start,
  end,
  adherence: null,
  source: 'MedicationRequest/x',
});

const series = (key: string, label: string, unit: string, values: [string, number][]): Series => ({
  key,
  label,
  unit,
  points: values.map(([date, value]) => ({ date, value, source: 'Observation/x' })),
});

describe('trend arrows', () => {
  it('call a change within the noise threshold stable', () => {
    expect(trend('sbp', 150, 153)).toBe('stable');
    expect(trend('sbp', 150, 155)).toBe('up');
    expect(trend('sbp', 150, 144)).toBe('down');
    expect(trend('potassium', 4.5, 4.7)).toBe('stable');
    expect(trend('potassium', 4.5, 4.8)).toBe('up');
  });
  it('use relative thresholds for lipids and natriuretic peptides', () => {
    expect(trend('ldl_cholesterol', 3.0, 3.2)).toBe('stable');
    expect(trend('ldl_cholesterol', 3.0, 2.6)).toBe('down');
    expect(trend('nt_probnp', 1000, 1250)).toBe('stable');
    expect(trend('nt_probnp', 1000, 1400)).toBe('up');
  });
});

describe('abnormal flags', () => {
  it('flag BP and LDL-C at or above the patient target, not by range', () => {
    const sbp = targetFor('sbp', targets);
    expect(flagFor(130, sbp, null)).toBe('above-target');
    expect(flagFor(129, sbp, null)).toBeNull();
    expect(flagFor(1.8, targetFor('ldl_cholesterol', targets), { key: 'ldl_cholesterol', low: null, high: 3.0, source: 's' })).toBe('above-target');
    expect(flagFor(2.5, targetFor('ldl_cholesterol', targets), { key: 'ldl_cholesterol', low: null, high: 3.0, source: 's' })).toBe('above-target');
  });
  it('read LDL-C against its range under ACC/AHA, whose goal is a statin intensity, not a value', () => {
    const acc: TargetsView = { ...targets, ldlGuideline: 'ACC/AHA 2018', ldlIntensity: 'high-intensity statin, ≥ 50 % LDL-C reduction' };
    expect(targetFor('ldl_cholesterol', acc)).toBeNull();
    expect(targetFor('sbp', acc)?.below).toBe(130);
  });
  it('flag other labs outside the reference range, high or low', () => {
    expect(flagFor(5.6, null, potassium)).toBe('high');
    expect(flagFor(3.2, null, potassium)).toBe('low');
    expect(flagFor(4.4, null, potassium)).toBeNull();
    expect(flagFor(4.4, null, null)).toBeNull();
  });
});

describe('latest values', () => {
  const s = [
    series('sbp', 'Systolic BP', 'mmHg', [['2026-01-01', 150], ['2026-03-25', 158]]),
    series('potassium', 'Potassium', 'mmol/L', [['2026-03-25', 5.6]]),
  ];
  const freshness = {
    asOf: '2026-12-01',
    calibratedTo: null,
    calibratedMonthsBefore: null,
    calibration: null,
    staleInputs: [{ measure: 'blood_pressure', label: 'blood pressure', lastDate: '2026-03-25', ageDays: 251, ageMonths: 8, age: '8 months', limitMonths: 3, stale: true, remeasure: 'x', sentence: '' }],
    inputs: [],
    limits: { bloodPressureMonths: 3, lipidsMonths: 12, egfrMonths: 12, hba1cMonths: 12 },
    note: null,
  };
  it('give date, trend, target, flag and staleness for each measurement held, in order', () => {
    const rows = latestRows(s, ['sbp', 'dbp', 'potassium'], targets, [potassium], freshness);
    expect(rows.map((r) => [r.key, r.trend, r.flag, r.stale])).toEqual([
      ['sbp', 'up', 'above-target', '8 months'],
      ['potassium', null, 'high', null],
    ]);
    expect(staleAge('potassium', freshness)).toBeNull();
  });
});

describe('lab table', () => {
  it('has a row per lab in report order and a column per date, newest first', () => {
    const t = labTable([
      series('potassium', 'Potassium', 'mmol/L', [['2025-01-01', 4.1], ['2026-01-01', 4.4]]),
      series('sbp', 'Systolic BP', 'mmHg', [['2026-02-01', 150]]),
      series('ldl_cholesterol', 'LDL cholesterol', 'mmol/L', [['2026-01-01', 2.6]]),
    ]);
    expect(t.labs.map((l) => l.key)).toEqual(['ldl_cholesterol', 'potassium']);
    expect(t.dates).toEqual(['2026-01-01', '2025-01-01']);
    expect(readingOn(t.labs[0] as Series, '2025-01-01')).toBeNull();
  });
  it('writes ranges and values in the clinician’s cholesterol unit', () => {
    expect(rangeText('potassium', potassium, 'mmol/L')).toBe('3.5–5.3');
    expect(rangeText('hdl_cholesterol', { key: 'hdl_cholesterol', low: 1.0, high: null, source: 's' }, 'mg/dL')).toBe('≥ 39');
    expect(displayValue('ldl_cholesterol', 2.6, 'mmol/L', 'mg/dL')).toBe('101 mg/dL');
    expect(displayValue('lvef', 35, '%', 'mmol/L')).toBe('35%');
    expect(displayValue('hba1c', 6.1, '%', 'mmol/L')).toBe('6.1%');
  });
});

describe('medications', () => {
  it('group an agent’s prescriptions and mark each dose change', () => {
    const courses = agentCourses(
      [med('ramipril', 5, '2022-01-01', '2023-01-01'), med('ramipril', 10, '2023-01-02', null), med('atenolol', 50, '2020-01-01', '2021-01-01')],
      '2026-12-01',
    );
    expect(courses.map((c) => [c.agent, c.active, c.periods.map((p) => p.change)])).toEqual([
      ['Ramipril', true, [null, 'increase']],
      ['Atenolol', false, [null]],
    ]);
    expect(doseText(12.5)).toBe('12.5 mg/day');
    expect(doseText(null)).toBe('');
  });
});

describe('event markers', () => {
  const events = chartEvents(
    [{ label: 'Percutaneous coronary intervention', code: 'x|1', mapped: true, date: '2024-03-01', source: 'Procedure/1' }],
    [
      { label: 'Myocardial infarction', code: 'x|2', mapped: true, date: '2024-02-27', source: 'Condition/1' },
      { label: 'Hypertension', code: 'x|3', mapped: true, date: null, source: 'Condition/2' },
    ],
  );
  it('keep dated events only, oldest first, diagnoses named as such', () => {
    expect(events.map((e) => [e.date, e.label, e.kind])).toEqual([
      ['2024-02-27', 'Myocardial infarction diagnosed', 'diagnosis'],
      ['2024-03-01', 'Percutaneous coronary intervention', 'procedure'],
    ]);
  });
  it('draw a line through every panel and a label with the date on hover, stacking close labels', () => {
    const m = eventMarkers(events);
    expect(m.shapes.map((s) => [s.yref, s.y0, s.y1, s.x0])).toEqual([
      ['paper', 0, 1, '2024-02-27'],
      ['paper', 0, 1, '2024-03-01'],
    ]);
    expect(m.annotations[1]?.hovertext).toBe('Percutaneous coronary intervention, 1 Mar 2024');
    expect(labelRows(events)).toEqual([0, 1]);
    expect(m.rows).toBe(2);
    expect(shortLabel('Percutaneous coronary intervention')).toHaveLength(26);
  });
});

describe('palette', () => {
  it('gives every measurement its own colour', () => {
    const colours = Object.values(MEASUREMENT_COLOURS).map((c) => c.toLowerCase());
    expect(new Set(colours).size).toBe(colours.length);
    expect(measurementColour('sbp')).not.toBe(measurementColour('hba1c'));
    expect(measurementColour('dbp')).not.toBe(measurementColour('egfr'));
    expect(measurementColour('heart_rate')).not.toBe(measurementColour('weight'));
  });
});

describe('timeline figure', () => {
  const timeline: Timeline = {
    id: 'p',
    series: [
      series('dbp', 'Diastolic BP', 'mmHg', [['2025-01-01', 90]]),
      series('sbp', 'Systolic BP', 'mmHg', [['2025-01-01', 150]]),
      series('ldl_cholesterol', 'LDL cholesterol', 'mmol/L', [['2025-01-01', 2.6]]),
      series('potassium', 'Potassium', 'mmol/L', [['2025-01-01', 4.2]]),
    ],
    medications: [med('amlodipine', 5, '2024-01-01', null)],
    conditions: [{ label: 'Hypertension', code: 'x|1', mapped: true, date: '2020-01-01', source: 'Condition/1' }],
    procedures: [],
    asOf: '2026-12-01',
    targets,
    referenceRanges: [potassium],
    homeBp: null,
  };
  it('groups SBP and DBP in one band and leaves table-only labs out', () => {
    expect(bands(timeline).map((b) => [b.title, b.series.map((s) => s.key)])).toEqual([
      ['Blood pressure', ['sbp', 'dbp']],
      ['Lipids', ['ldl_cholesterol']],
    ]);
  });
  it('draws each series in its own colour, the medication bar labelled with agent and dose, no resource ids', () => {
    const f = timelineFigure(timeline, 'all', new Date('2026-06-01'));
    expect(f.data).toHaveLength(3 + 1);
    const text = JSON.stringify(f.data);
    expect(JSON.stringify(f.layout.annotations)).toContain('Amlodipine 5 mg/day');
    expect(text).not.toContain('Observation/');
    expect(text).not.toContain('MedicationRequest/');
    expect(text).toContain(measurementColour('sbp'));
  });
  it('shows a dose change on the bar: a new segment labelled with the direction and the new dose', () => {
    const titrated = { ...timeline, medications: [med('ramipril', 5, '2023-01-01', '2024-01-01'), med('ramipril', 10, '2024-01-02', null)] };
    const f = timelineFigure(titrated, 'all', new Date('2026-06-01'));
    const labels = (f.layout.annotations ?? []).map((a) => a.text);
    expect(labels).toContain('Ramipril 5 mg/day');
    expect(labels).toContain('↑ Ramipril 10 mg/day');
  });
  it('draws dashed target lines for SBP, DBP and LDL-C in the display unit, and event lines across the figure', () => {
    const f = timelineFigure(timeline, 'all', new Date('2026-06-01'), 'mg/dL');
    const lines = (f.layout.shapes ?? []).filter((s) => s.line?.dash === 'dash' && s.xref === 'paper');
    expect(lines.map((s) => [s.yref, Math.round(Number(s.y0))])).toEqual([
      ['y', 130],
      ['y', 80],
      ['y2', 70],
    ]);
    expect((f.layout.shapes ?? []).some((s) => s.yref === 'paper' && s.x0 === '2020-01-01')).toBe(true);
    expect(f.layout.margin?.t).toBeGreaterThanOrEqual(40);
  });
  it('hangs the time axis under the medication row', () => {
    const layout = timelineFigure(timeline, 'all', new Date('2026-06-01')).layout as Record<string, { anchor?: string } | undefined>;
    expect(layout.xaxis?.anchor).toBe('y3');
    const bare = timelineFigure({ ...timeline, medications: [] }, 'all', new Date('2026-06-01')).layout as Record<string, { anchor?: string } | undefined>;
    expect(bare.xaxis?.anchor).toBe('y2');
  });
  it('joins the projection under today’s treatment to observed SBP and LDL-C, from today to the horizon', () => {
    const band = (output: 'sbp' | 'ldl' | 'hdl', v: number) => ({ output, label: output, unit: '', p5: [v - 1, v - 2, v - 3], p50: [v, v, v], p95: [v + 1, v + 2, v + 3] });
    const projection = { months: 2, outputs: [band('sbp', 150), band('ldl', 2.6), band('hdl', 1.2)] } as unknown as Projection;
    const f = timelineFigure(timeline, '5y', new Date('2026-12-01T12:00:00Z'), 'mmol/L', projection);
    const projected = f.data.filter((d) => 'name' in d && typeof d.name === 'string' && d.name.includes('projected'));
    expect(projected.map((d) => [d.name, (d as { x: string[] }).x])).toEqual([
      ["Systolic BP projected under today's treatment", ['2026-12-01', '2027-01-01', '2027-02-01']],
      ["LDL cholesterol projected under today's treatment", ['2026-12-01', '2027-01-01', '2027-02-01']],
    ]);
    expect((f.layout.xaxis as { range?: string[] }).range).toEqual(['2021-12-01', '2027-02-01']);
    expect(addMonths('2026-12-01', 24)).toBe('2028-12-01');
  });
  it('sets the 1- and 5-year windows back from today', () => {
    expect(rangeFor('1y', new Date('2026-06-01'))).toEqual(['2025-06-01', '2026-06-01']);
    expect(rangeFor('all', new Date('2026-06-01'))).toBeUndefined();
  });
});
