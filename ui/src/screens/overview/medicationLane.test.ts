import type { MedicationView, Timeline } from '../../api/backend';
import { TIER_PX } from '../../charts/laneLabels';
import { timelineFigure } from './timelineFigure';

const med = (agent: string, dose: number, start: string, end: string | null): MedicationView => ({
  display: `${agent} ${String(dose)} mg once daily`,
  agent,
  class: 'beta-blocker',
  dailyDoseMg: dose,
  doseLevel: null,
  start,
  end,
  adherence: null,
  source: 'MedicationRequest/x',
});

const timeline = (medications: MedicationView[]): Timeline => ({
  id: 'p',
  series: [{ key: 'sbp', label: 'Systolic BP', unit: 'mmHg', points: [{ date: '2025-01-01', value: 120, source: 'Observation/x' }] }],
  medications,
  conditions: [],
  procedures: [],
  asOf: '2026-12-01',
  targets: null,
  referenceRanges: [],
} as unknown as Timeline);

describe('the overview’s medication lane', () => {
  it('lifts a dose change that crowds the label before it, cuts labels short with the full text on hover, and makes the rows taller', () => {
    const together = timelineFigure(timeline([med('carvedilol', 6.25, '2025-01-01', null), med('ramipril', 2.5, '2025-01-01', null)]), '5y', new Date('2026-12-01T12:00:00Z'));
    const titrated = [
      med('carvedilol', 6.25, '2025-01-01', '2025-02-01'),
      med('carvedilol', 12.5, '2025-02-01', '2025-03-01'),
      med('carvedilol', 25, '2025-03-01', '2025-04-01'),
      med('carvedilol', 50, '2025-04-01', null),
      med('ramipril', 2.5, '2025-01-01', null),
    ];
    const f = timelineFigure(timeline(titrated), '5y', new Date('2026-12-01T12:00:00Z'));
    const labels = (f.layout.annotations ?? []).filter((a) => a.yref === 'y2');
    const shifts = new Set(labels.map((a) => a.yshift));
    expect(shifts).toEqual(new Set([4, 4 + TIER_PX]));
    expect(labels.map((a) => a.text)).toContain('↑ Carvedilol 50 mg/day');
    expect(labels.map((a) => a.text)).toContain('Ramipril 2.5 mg/day');
    for (const a of labels.filter((l) => String(l.text).endsWith('…'))) expect(a.hovertext).toMatch(/^(↑ )?Carvedilol [\d.]+ mg\/day$/);
    // Two lines of labels need taller rows than one: a larger share of a figure at least as tall.
    const share = (fig: typeof f) => {
      const domain = (fig.layout as Record<string, { domain?: number[] } | undefined>).yaxis2?.domain ?? [0, 0];
      return (domain[1] ?? 0) - (domain[0] ?? 0);
    };
    expect(share(f)).toBeGreaterThan(share(together) * 1.15);
    expect(f.height).toBeGreaterThanOrEqual(together.height);
  });
});
