import { useId, useState, type SyntheticEvent } from 'react';
import type { AuditView, PatientViewChoice, ScenarioFile, SuggestionView } from '../../api/backend';
import type { ChosenView } from '../../api/generated';
import { useCommandMutation } from '../../api/hooks';
import { formatDate } from '../../app/format';
import { scenarioOf } from './words';

/** One thing the clinician may show the patient. */
export interface ViewOption {
  key: string;
  /** What the clinician reads (the plan's own name is for the clinician only). */
  label: string;
  choice: PatientViewChoice;
}

/**
 * What the clinician may show: today's treatment; the suggested plan (when there is one); the
 * plan as modified in this patient's latest decision (when it was modified); each saved scenario.
 */
export function viewOptions(suggestion: SuggestionView | null, entries: AuditView[], id: string, saved: ScenarioFile[]): ViewOption[] {
  const options: ViewOption[] = [{ key: 'today', label: 'Today’s treatment, unchanged', choice: { kind: 'today' } }];
  const plan = suggestion?.suggestion;
  if (plan) options.push({ key: 'suggested', label: `The suggested plan: ${plan.label}`, choice: { kind: 'suggested', scenario: plan.scenario } });
  const last = [...entries].reverse().find((e) => e.patientId === id);
  const modified = last?.decision === 'modified' ? scenarioOf(last.modification) : null;
  if (modified && last) {
    options.push({ key: 'modified', label: `The plan as modified in the decision of ${formatDate(last.time)}: ${modified.name}`, choice: { kind: 'modified', scenario: modified } });
  }
  saved.forEach((s, n) => {
    options.push({ key: `saved-${n.toString()}`, label: `Saved scenario: ${s.name}`, choice: { kind: 'saved', scenario: s } });
  });
  return options;
}

/** The option that is the remembered choice, if it is still on offer. */
function keyOf(options: ViewOption[], chosen: ChosenView | null): string | null {
  if (!chosen) return null;
  // By kind and name: the backend's copy of a scenario spells out defaults the screen's may leave out.
  const same = (a: PatientViewChoice, b: PatientViewChoice) => a.kind === b.kind && (a.kind === 'today' || b.kind === 'today' || a.scenario.name === b.scenario.name);
  return options.find((o) => same(o.choice, chosen.choice))?.key ?? null;
}

/** "Today's treatment, unchanged", "The suggested plan: …": what is shown now, for the clinician. */
export function chosenLabel(chosen: ChosenView): string {
  const c = chosen.choice;
  switch (c.kind) {
    case 'today':
      return 'today’s treatment, unchanged';
    case 'suggested':
      return `the suggested plan (${c.scenario.name})`;
    case 'modified':
      return `the modified plan (${c.scenario.name})`;
    case 'saved':
      return `the saved scenario “${c.scenario.name}”`;
  }
}

interface ChooseViewProps {
  id: string;
  options: ViewOption[];
  chosen: ChosenView | null;
}

/**
 * For the clinician, never printed: what the patient view shows, chosen explicitly and
 * remembered for this patient. Until a choice is made, it says that nothing is shown.
 */
export function ChooseView({ id, options, chosen }: ChooseViewProps) {
  const ids = { title: useId(), legend: useId() };
  const [picked, setPicked] = useState<string | null>(null);
  const choose = useCommandMutation('choosePatientView', [], { command: 'patientView', args: (a) => ({ id: a.id }) });
  const current = picked ?? keyOf(options, chosen);
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    const option = options.find((o) => o.key === current);
    if (!option) return;
    choose.mutate({ id, choice: option.choice }, { onSuccess: () => { setPicked(null); } });
  };
  return (
    <section className="pv-clinician no-print" aria-labelledby={ids.title} data-testid="patient-view-choose">
      <h2 id={ids.title}>For you, not the patient: what this view shows</h2>
      {chosen ? (
        <p data-testid="patient-view-chosen">
          Showing {chosenLabel(chosen)}, chosen on {formatDate(chosen.chosenOn)} by {chosen.chosenBy}.
        </p>
      ) : (
        <p className="warning" data-testid="patient-view-unchosen">
          Nothing is shown to the patient yet: choose below what this view shows. It never shows an undecided suggestion on its own.
        </p>
      )}
      <form onSubmit={submit}>
        <fieldset>
          <legend id={ids.legend}>Show the patient</legend>
          {options.map((o) => (
            <div key={o.key} className="pv-option">
              <label>
                <input type="radio" name={`${id}-view`} value={o.key} checked={current === o.key} onChange={() => { setPicked(o.key); }} />{' '}
                {o.label}
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit" disabled={current === null || choose.isPending || (picked === null && chosen !== null)}>
          Show this to the patient
        </button>
        {choose.error && (
          <p className="error" role="alert">
            Not saved: {choose.error.message}
          </p>
        )}
      </form>
    </section>
  );
}
