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
    options.push({ key: 'modified', label: `The plan as modified in the decision of ${formatDate(last.time)}: ${modified.name.replace(/^Modified:\s*/, '')}`, choice: { kind: 'modified', scenario: modified } });
  }
  saved.forEach((s, n) => {
    options.push({ key: `saved-${n.toString()}`, label: `Saved scenario: ${s.name}`, choice: { kind: 'saved', scenario: s } });
  });
  return options;
}

/** The option a recorded decision points to, offered preselected but not yet chosen. */
export interface DecidedOption {
  /** The option's key. */
  key: string;
  /** The decision, for the clinician: "declined on 1 Dec 2026, decision log entry 3". */
  words: string;
}

/** The plan's label in a recorded suggestion (the suggestion screen records it as JSON), if any. */
function recordedPlanLabel(suggestionJson: string): string | null {
  try {
    const recorded: unknown = JSON.parse(suggestionJson);
    if (typeof recorded !== 'object' || recorded === null || !('suggestion' in recorded)) return null;
    const plan: unknown = recorded.suggestion;
    return typeof plan === 'object' && plan !== null && 'label' in plan && typeof plan.label === 'string' ? plan.label : null;
  } catch {
    return null;
  }
}

/**
 * The option that `entry` decided on: a declined suggestion keeps today's treatment; an accepted
 * one is the suggested plan, when the plan on offer is the one accepted (same first step); a
 * modified one is the plan as modified, when it is this decision's. Null when the option is not
 * on offer, so nothing is preselected that was not decided.
 */
export function decidedOption(options: ViewOption[], entry: AuditView): DecidedOption | null {
  const words = `${entry.decision} on ${formatDate(entry.time)}, decision log entry ${String(entry.seq)}`;
  const option = (key: string) => options.find((o) => o.key === key);
  switch (entry.decision) {
    case 'declined':
      return { key: 'today', words };
    case 'accepted': {
      const suggested = option('suggested');
      const accepted = recordedPlanLabel(entry.suggestion);
      return suggested && accepted !== null && suggested.label.endsWith(`: ${accepted}`) ? { key: suggested.key, words } : null;
    }
    case 'modified': {
      const modified = option('modified');
      return modified && modified.label.includes(formatDate(entry.time)) ? { key: modified.key, words } : null;
    }
    default:
      return null;
  }
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
  /** The option a decision just recorded points to: selected, not chosen until confirmed. */
  decided?: DecidedOption | null;
}

/**
 * For the clinician, never printed: what the patient view shows, chosen explicitly and
 * remembered for this patient. Until a choice is made, it says that nothing is shown.
 */
export function ChooseView({ id, options, chosen, decided = null }: ChooseViewProps) {
  const ids = { title: useId(), legend: useId() };
  const [picked, setPicked] = useState<string | null>(decided?.key ?? null);
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
      {decided && picked === decided.key && (
        <p className="pv-decided" data-testid="patient-view-decided">
          Selected from your decision: {decided.words}. Nothing changes for the patient until you press “Show this to the patient”.
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
