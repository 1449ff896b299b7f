// What the last EHR fetch changed, said as one sentence list: "3 new BP readings; LDL cholesterol
// 3.1 → 2.4 mmol/L; amlodipine started". Values come in the engine's units and are written in the
// clinician's (cholesterol in the unit of Settings), with the digits the overview uses elsewhere.
import type { Changes, MedicationChange } from '../../api/backend';
import type { LipidUnit } from '../../app/format';
import { displayNumber, displayValue } from './values';

function medicationWords(m: MedicationChange): string {
  switch (m.change) {
    case 'started':
      return `${m.name} started`;
    case 'stopped':
      return `${m.name} stopped`;
    case 'doseChanged':
      return `${m.name} ${String(m.before)} → ${String(m.after)} mg a day`;
  }
}

/** Each change as a phrase, in the order the overview lists them; empty when nothing changed. */
export function changePhrases(changes: Changes, lipidUnit: LipidUnit): string[] {
  const readings = changes.readings.map(
    (r) => `${r.count.toString()} new ${r.label} reading${r.count === 1 ? '' : 's'}`,
  );
  const results = changes.results.map((r) =>
    r.before == null
      ? `${r.label} ${displayValue(r.key, r.after, r.unit, lipidUnit)} (first result)`
      : `${r.label} ${displayNumber(r.key, r.before, lipidUnit)} → ${displayValue(r.key, r.after, r.unit, lipidUnit)}`,
  );
  const medications = changes.medications.map(medicationWords);
  const conditions = changes.conditions.map((c) => `new diagnosis: ${c}`);
  const procedures = changes.procedures.map((p) => `new procedure: ${p}`);
  return [...readings, ...results, ...medications, ...conditions, ...procedures];
}
