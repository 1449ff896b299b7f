import { act, renderHook } from '@testing-library/react';
import { MAX_EXTRA, renamed, stillSaved, ticked, tickedAfterSave, updateTicks, useTicks } from './selection';

describe('the ticks of the comparison', () => {
  it('tick and untick, and refuse a fourth beside current treatment', () => {
    expect(ticked([], 'A', true)).toEqual(['A']);
    expect(ticked(['A'], 'A', true)).toEqual(['A']);
    expect(ticked(['A', 'B', 'C'], 'D', true)).toEqual(['A', 'B', 'C']);
    expect(MAX_EXTRA).toBe(3);
    expect(ticked(['A', 'B'], 'A', false)).toEqual(['B']);
  });

  it('tick what was just saved or opened from the heatmap, making room by dropping the oldest', () => {
    expect(tickedAfterSave([], 'Cell')).toEqual(['Cell']);
    expect(tickedAfterSave(['A', 'B', 'C'], 'Cell')).toEqual(['B', 'C', 'Cell']);
    expect(tickedAfterSave(['A', 'Cell'], 'Cell')).toEqual(['A', 'Cell']);
    // Saved over "Old" under a new name: one tick, not two.
    expect(tickedAfterSave(['Old', 'B'], 'New', 'Old')).toEqual(['B', 'New']);
    expect(renamed(['A', 'Old'], 'Old', 'New')).toEqual(['A', 'New']);
    expect(stillSaved(['A', 'Gone'], ['A', 'B'])).toEqual(['A']);
  });

  it('survive the screen: a second screen for the same patient reads what the first ticked', () => {
    const first = renderHook(() => useTicks('patient-1'));
    act(() => {
      first.result.current[1]((c) => ticked(c, 'A', true));
    });
    first.unmount();
    // Another tab, and back: a new screen finds the tick; the heatmap's tick joins it.
    updateTicks('patient-1', (c) => tickedAfterSave(c, 'SBP −10 mmHg, LDL-C −20%'));
    const again = renderHook(() => useTicks('patient-1'));
    expect(again.result.current[0]).toEqual(['A', 'SBP −10 mmHg, LDL-C −20%']);
    // Another patient's ticks are apart.
    expect(renderHook(() => useTicks('patient-2')).result.current[0]).toEqual([]);
  });
});
