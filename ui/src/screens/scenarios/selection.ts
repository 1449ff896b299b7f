// Which saved scenarios are ticked for the comparison, per patient. Kept outside the screen, so the
// ticks survive going to another tab and back, and so the heatmap can tick the cell it opens; kept
// in memory only (scenario names are the clinician's words about a patient, never written out).
import { useCallback, useSyncExternalStore } from 'react';

/** Scenarios compared against current treatment at most (a comparison is 2–4 scenarios). */
export const MAX_EXTRA = 3;

/** `name` ticked (`on`) or unticked; ticking one more than `max` is refused (the list is kept). */
export function ticked(chosen: readonly string[], name: string, on: boolean, max = MAX_EXTRA): string[] {
  if (!on) return chosen.filter((n) => n !== name);
  if (chosen.includes(name)) return [...chosen];
  return chosen.length >= max ? [...chosen] : [...chosen, name];
}

/**
 * A scenario just saved (or opened from the heatmap) is ticked: it goes last, and the oldest
 * tick makes room for it when `max` are ticked already. `replaced` is the name it was saved over.
 */
export function tickedAfterSave(chosen: readonly string[], name: string, replaced: string | null = null, max = MAX_EXTRA): string[] {
  const kept = chosen.filter((n) => n !== name && n !== replaced);
  return [...kept, name].slice(-max);
}

/** The ticks after a saved scenario is renamed. */
export function renamed(chosen: readonly string[], from: string, to: string): string[] {
  return chosen.map((n) => (n === from ? to : n));
}

/** The ticks that still name a saved scenario (a deleted one is dropped). */
export function stillSaved(chosen: readonly string[], saved: readonly string[]): string[] {
  return chosen.filter((n) => saved.includes(n));
}

const EMPTY: string[] = [];
const ticks = new Map<string, string[]>();
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Changes a patient's ticks (outside React too: the heatmap ticks before it navigates). */
export function updateTicks(patient: string, update: (chosen: string[]) => string[]): void {
  const before = ticks.get(patient) ?? EMPTY;
  const after = update(before);
  if (after.length === before.length && after.every((n, i) => n === before[i])) return;
  ticks.set(patient, after);
  for (const listener of listeners) listener();
}

/** A patient's ticks, and how to change them. */
export function useTicks(patient: string): [string[], (update: (chosen: string[]) => string[]) => void] {
  const chosen = useSyncExternalStore(subscribe, () => ticks.get(patient) ?? EMPTY);
  const update = useCallback((f: (chosen: string[]) => string[]) => {
    updateTicks(patient, f);
  }, [patient]);
  return [chosen, update];
}
