import { cutToFit, LABEL_GAP_PX, layoutLaneLabels, rowPx, TIER_PX, textPx, type LaneLabel, type LaneLabelLayout, type LaneScale } from './laneLabels';

const day = (iso: string) => Date.parse(`${iso}T12:00:00Z`);
const label = (row: string, start: string, end: string, text: string): LaneLabel => ({ row, start: day(start), end: day(end), text });
/** Five years on a 1,050 px plot, as the overview draws them. */
const fiveYears: LaneScale = { from: day('2021-12-01'), to: day('2026-12-01'), widthPx: 1050 };

/** Every pair of labels drawn on the same line of the same row that would touch, as text. */
function collisions(layout: LaneLabelLayout, scale: LaneScale): string[] {
  const px = (x: number) => ((x - scale.from) * scale.widthPx) / (scale.to - scale.from);
  const found: string[] = [];
  layout.labels.forEach((a, i) => {
    layout.labels.slice(i + 1).forEach((b) => {
      if (a.row !== b.row || a.tier !== b.tier) return;
      const [first, second] = px(a.x) <= px(b.x) ? [a, b] : [b, a];
      if (px(first.x) + textPx(first.text) + LABEL_GAP_PX > px(second.x)) found.push(`${first.text} | ${second.text}`);
    });
  });
  return found;
}

describe('medication labels on the timeline never overlap', () => {
  it('keeps drugs started together each on its own row, one line of labels', () => {
    // The heart-failure patient: furosemide and ramipril started the same day, the rest soon after.
    const labels = [
      label('Carvedilol', '2022-09-11', '2026-12-01', 'Carvedilol 50 mg/day'),
      label('Furosemide', '2022-06-30', '2026-12-01', 'Furosemide 40 mg/day'),
      label('Ramipril', '2022-06-30', '2026-12-01', 'Ramipril 10 mg/day'),
      label('Spironolactone', '2022-12-30', '2026-12-01', 'Spironolactone 25 mg/day'),
    ];
    const layout = layoutLaneLabels(labels, fiveYears);
    expect(layout.tiers).toBe(1);
    expect(layout.labels.map((l) => [l.row, l.tier, l.text])).toEqual(labels.map((l) => [l.row, 0, l.text]));
    // Rows are far enough apart for a line of labels above each bar (an 11 px line, 4 px above the bar's middle).
    expect(rowPx(layout.tiers)).toBeGreaterThanOrEqual(4 + TIER_PX + 3.5);
  });

  it('puts a dose change that follows soon after on the line above, and rows make room for it', () => {
    const labels = [
      label('Carvedilol', '2024-01-01', '2024-02-01', 'Carvedilol 6.25 mg/day'),
      label('Carvedilol', '2024-02-01', '2024-03-01', '↑ Carvedilol 12.5 mg/day'),
      label('Ramipril', '2024-01-01', '2026-12-01', 'Ramipril 10 mg/day'),
    ];
    const layout = layoutLaneLabels(labels, fiveYears);
    expect(layout.labels.map((l) => [l.text, l.tier])).toEqual([
      ['Carvedilol 6.25 mg/day', 0],
      ['↑ Carvedilol 12.5 mg/day', 1],
      ['Ramipril 10 mg/day', 0],
    ]);
    expect(layout.tiers).toBe(2);
    expect(rowPx(2)).toBeGreaterThanOrEqual(rowPx(1) + TIER_PX);
    expect(collisions(layout, fiveYears)).toEqual([]);
  });

  it('cuts an earlier label short, with its full text kept, when monthly titration fills both lines', () => {
    const doses = ['1.25', '2.5', '5', '7.5', '10'];
    const labels = doses.map((d, i) => label('Bisoprolol', `2025-0${(i + 1).toString()}-01`, `2025-0${(i + 2).toString()}-01`, `↑ Bisoprolol ${d} mg/day`));
    const layout = layoutLaneLabels(labels, fiveYears);
    expect(layout.tiers).toBe(2);
    expect(collisions(layout, fiveYears)).toEqual([]);
    // The latest dose is whole; those cut short keep their full text for the hover.
    expect(layout.labels.at(-1)?.text).toBe('↑ Bisoprolol 10 mg/day');
    for (const l of layout.labels) {
      expect(l.text === l.full || (l.text.endsWith('…') && l.full.startsWith(l.text.slice(0, -1)))).toBe(true);
    }
  });

  it('starts a label at the window’s edge when its bar began earlier, and draws none for a bar outside the window', () => {
    const oneYear: LaneScale = { from: day('2025-12-01'), to: day('2026-12-01'), widthPx: 1050 };
    const labels = [
      label('Atenolol', '2019-01-01', '2020-01-01', 'Atenolol 50 mg/day'),
      label('Ramipril', '2021-01-01', '2023-01-01', 'Ramipril 5 mg/day'),
      label('Ramipril', '2023-01-02', '2026-12-01', '↑ Ramipril 10 mg/day'),
      label('Amlodipine', '2024-01-01', '2026-12-01', 'Amlodipine 5 mg/day'),
    ];
    const layout = layoutLaneLabels(labels, oneYear);
    expect(layout.labels.map((l) => [l.text, new Date(l.x).toISOString().slice(0, 10), l.tier])).toEqual([
      ['↑ Ramipril 10 mg/day', '2025-12-01', 0],
      ['Amlodipine 5 mg/day', '2025-12-01', 0],
    ]);
    // Two earlier periods of one drug pinned to the same edge: the second goes up a line.
    const both = layoutLaneLabels([label('Ramipril', '2021-01-01', '2026-03-01', 'Ramipril 5 mg/day'), label('Ramipril', '2022-01-01', '2026-12-01', '↑ Ramipril 10 mg/day')], oneYear);
    expect(both.labels.map((l) => l.tier)).toEqual([0, 1]);
  });

  it('never overlaps, whatever the prescriptions (a seeded sweep of crowded rows)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let run = 0; run < 200; run++) {
      const labels = Array.from({ length: 2 + Math.floor(next() * 12) }, () => {
        const start = fiveYears.from + next() * (fiveYears.to - fiveYears.from) * 1.1 - 0.05 * (fiveYears.to - fiveYears.from);
        const row = ['Carvedilol', 'Sacubitril/valsartan', 'Furosemide'][Math.floor(next() * 3)] ?? 'Furosemide';
        return { row, start, end: start + next() * 4e10, text: `${row} ${(Math.round(next() * 400) / 4).toString()} mg/day` };
      });
      const layout = layoutLaneLabels(labels, fiveYears);
      expect(collisions(layout, fiveYears)).toEqual([]);
      expect(layout.tiers).toBeLessThanOrEqual(2);
      expect(layout.labels.every((l) => l.x >= fiveYears.from && l.text.length > 0)).toBe(true);
    }
  });

  it('cuts text to fit, or to nothing when too little would be left to read', () => {
    expect(cutToFit('Spironolactone 25 mg/day', 1000)).toBe('Spironolactone 25 mg/day');
    const cut = cutToFit('Spironolactone 25 mg/day', 80);
    expect(cut.endsWith('…') && textPx(cut) <= 80).toBe(true);
    expect(cutToFit('Spironolactone 25 mg/day', 20)).toBe('');
  });
});
