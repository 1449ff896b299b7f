import type { HeatmapCell } from '../../api/backend';
import { cellColour, cellText, cellWords, gridMove } from './cells';

const cell = (p50: number | null, p5: number | null = null, p95: number | null = null) => ({ p50, p5, p95, regimen: 'SBP −10 mmHg', scenario: {} }) as unknown as HeatmapCell;

describe('the heatmap’s keyboard grid', () => {
  it('moves with the arrow keys as the chart is drawn (up is the next y value), and stops at the edges', () => {
    expect(gridMove([0, 0], 'ArrowUp', 8, 8)).toEqual([1, 0]);
    expect(gridMove([0, 0], 'ArrowDown', 8, 8)).toEqual([0, 0]);
    expect(gridMove([7, 7], 'ArrowRight', 8, 8)).toEqual([7, 7]);
    expect(gridMove([3, 4], 'ArrowLeft', 8, 8)).toEqual([3, 3]);
    expect(gridMove([3, 4], 'Home', 8, 8)).toEqual([3, 0]);
    expect(gridMove([3, 4], 'End', 8, 8)).toEqual([3, 7]);
    expect(gridMove([3, 4], 'a', 8, 8)).toBeNull();
  });

  it('writes each cell’s median, with the band in its label', () => {
    expect(cellText(cell(0.1234), false)).toBe('12.3');
    expect(cellText(cell(0.1234), true)).toBe('12');
    expect(cellText(cell(null), false)).toBe('—');
    expect(cellWords(cell(0.1234, 0.091, 0.16))).toBe('12.3 % (5–95 %: 9.1–16.0 %)');
    expect(cellWords(cell(null))).toBe('no risk projected');
  });

  it('colours cells as the chart does, with readable text on each', () => {
    expect(cellColour(0.1, 0.1, 0.3)).toEqual({ background: 'rgb(247,251,255)', color: '#000000' });
    expect(cellColour(0.3, 0.1, 0.3)).toEqual({ background: 'rgb(8,48,107)', color: '#ffffff' });
    expect(cellColour(null, 0.1, 0.3).background).toBe('#ffffff');
  });
});
