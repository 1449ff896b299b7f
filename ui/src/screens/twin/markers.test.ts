import type { HeartMarkersView, LatestValue } from '../../api/backend';
import { markerItems } from './markers';

const reading = (key: string, label: string, value: number, unit: string, date: string): LatestValue => ({ key, label, value, unit, date, source: 'Observation/x', count: 1 });

describe('markerItems', () => {
  it('puts the measured EF beside the NT-proBNP, QRS with its shape, and the rhythm, each dated', () => {
    const m: HeartMarkersView = {
      lvef: reading('lvef', 'LV ejection fraction', 35, '%', '2026-02-24'),
      ntProbnp: reading('nt_probnp', 'NT-proBNP', 1450, 'pg/mL', '2026-05-28'),
      bnp: null,
      qrsDuration: reading('qrs_duration', 'QRS duration', 152, 'ms', '2026-05-24'),
      rhythm: { key: 'sinus', label: 'Sinus rhythm', date: '2026-05-24', source: 'Observation/e' },
      leftBundleBranchBlock: true,
    };
    expect(markerItems(m)).toEqual([
      'measured EF 35 % (2026-02-24)',
      'NT-proBNP 1450 pg/mL (2026-05-28)',
      'QRS 152 ms, left bundle-branch block (2026-05-24)',
      'Sinus rhythm (2026-05-24)',
    ]);
  });

  it('says nothing where nothing is on record', () => {
    expect(markerItems({ lvef: null, ntProbnp: null, bnp: null, qrsDuration: null, rhythm: null, leftBundleBranchBlock: false })).toEqual([]);
  });
});
