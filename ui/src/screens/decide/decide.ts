// Pure helpers of the decisions screen: labels, the reason rule, effect formatting.
import type { DecisionChoice, EffectView } from '../../api/backend';

/** Modify and decline need a reason (the audit log records why); accept may have one. */
export function needsReason(d: DecisionChoice): boolean {
  return d === 'modified' || d === 'declined';
}

export function decisionLabel(d: string): string {
  switch (d) {
    case 'accepted':
      return 'Accepted';
    case 'modified':
      return 'Modified';
    case 'declined':
      return 'Declined';
    default:
      return d;
  }
}

const decimals = (unit: string) => (unit === 'mmol/L' ? 2 : 0);

/** "128 (121–136) mmHg". */
export function formatEffect(e: EffectView): string {
  const d = decimals(e.unit);
  return `${e.median.toFixed(d)} (${e.p05.toFixed(d)}–${e.p95.toFixed(d)}) ${e.unit}`;
}

/** The regimen label of a logged suggestion (the whole suggestion is stored as JSON). */
export function suggestionLabelOf(stored: string): string {
  try {
    const v: unknown = JSON.parse(stored);
    if (typeof v === 'object' && v !== null && 'suggestion' in v) {
      const s = v.suggestion;
      if (typeof s === 'object' && s !== null && 'label' in s && typeof s.label === 'string') {
        return s.label;
      }
      return 'no change';
    }
  } catch {
    // Fall through: older entries may hold plain text.
  }
  return stored.length > 80 ? `${stored.slice(0, 77)}…` : stored;
}

/** A logged modification: the chosen scenario's name (it is stored as the scenario's JSON). */
export function modificationLabel(stored: string): string {
  try {
    const v: unknown = JSON.parse(stored);
    if (typeof v === 'object' && v !== null && 'name' in v && typeof v.name === 'string') return v.name;
  } catch {
    // Plain text from the CLI.
  }
  return stored;
}

/** A scenario name of at most `max` characters, cut between steps (" + ") with "…" when long. */
export function shortName(name: string, max = 80): string {
  if (name.length <= max) return name;
  const cut = name.lastIndexOf(' + ', max - 1);
  return `${name.slice(0, cut > 0 ? cut : max - 1).trimEnd()} …`;
}
