import { describe, expect, it } from 'vitest';
import type { HomeBpView, Series } from '../../api/backend';
import { homeBpLines, latestOffice } from './homeBp';

const series = (key: string, values: [string, number][]): Series => ({
  key,
  label: key,
  unit: 'mmHg',
  points: values.map(([date, value]) => ({ date, value, source: 'Observation/x' })),
});

const office = [
  series('sbp', [['2026-06-01', 158], ['2026-11-02', 152]]),
  series('dbp', [['2026-06-01', 96], ['2026-11-02', 94]]),
];

const home: HomeBpView = {
  mean: {
    systolic: 141,
    diastolic: 84,
    systolicSd: 4.2,
    nDays: 6,
    nReadings: 24,
    nMorning: 12,
    nEvening: 12,
    firstDay: '2026-11-22',
    lastDay: '2026-11-27',
    droppedDay: '2026-11-21',
    atOrAboveThreshold: true,
  },
  noMeanReason: null,
  nReadingsHeld: 28,
  latest: '2026-11-27',
  devices: ['Omron M3'],
  protocol: 'Home readings, threshold 135/85 mmHg',
};

describe('home BP panel', () => {
  it('states the mean with its protocol and judges it against 135/85', () => {
    const lines = homeBpLines(home, office);
    expect(lines.mean).toBe('141/84 mmHg');
    expect(lines.raised).toBe(true);
    expect(lines.verdict).toContain('home threshold 135/85');
    expect(lines.protocol).toContain('24 readings over 6 days');
    expect(lines.protocol).toContain('12 morning, 12 evening');
    expect(lines.protocol).toContain('dropped');
    expect(lines.devices).toBe('Omron M3');
  });

  it('says why there is no mean', () => {
    const lines = homeBpLines({ ...home, mean: null, noMeanReason: '2 day(s) of home readings in the latest week' }, office);
    expect(lines.mean).toBeNull();
    expect(lines.verdict).toBe('No home mean: 2 day(s) of home readings in the latest week.');
    expect(lines.protocol).toContain('28 home reading(s) held');
  });

  it('pairs the latest office systolic with the diastolic of the same day', () => {
    expect(latestOffice(office)).toMatch(/^152\/94 mmHg on /);
    expect(latestOffice([series('sbp', [['2026-11-02', 150]])])).toMatch(/^150 systolic mmHg on /);
    expect(latestOffice([])).toBeNull();
  });
});
