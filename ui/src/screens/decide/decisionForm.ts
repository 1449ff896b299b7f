// The decision form's state, pure: nothing chosen at first, a reason for every choice, one
// submit in flight at most, closed once recorded until the clinician asks to record another.
import type { AuditView, DecisionChoice } from '../../api/backend';

export type Phase = 'editing' | 'submitting' | 'recorded';

export interface DecisionFormState {
  /** Nothing is preselected: the clinician says accepted, modified or declined. */
  choice: DecisionChoice | null;
  reason: string;
  /** The saved scenario chosen instead (its JSON), for a modification. */
  modification: string;
  /** The id this decision is recorded under: a double submit or a retry records it once. */
  decisionId: string;
  phase: Phase;
  /** What the log recorded, once recorded. */
  recorded: AuditView | null;
  /** What to fix before it can be recorded. */
  problems: Problem[];
}

export type Field = 'choice' | 'reason' | 'modification';

export interface Problem {
  field: Field;
  message: string;
}

export type Action =
  | { type: 'choose'; choice: DecisionChoice }
  | { type: 'reason'; reason: string }
  | { type: 'modification'; modification: string }
  /** The clinician pressed Record: valid and not already sent, it goes to `submitting`. */
  | { type: 'submit' }
  | { type: 'recorded'; entry: AuditView }
  /** The backend refused or could not be reached: the form stays filled, the same id kept for the retry. */
  | { type: 'failed' }
  | { type: 'another'; decisionId: string };

/** A fresh id for one decision (letters, digits and '-': what the backend accepts). */
export function newDecisionId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export function initialForm(decisionId: string = newDecisionId()): DecisionFormState {
  return { choice: null, reason: '', modification: '', decisionId, phase: 'editing', recorded: null, problems: [] };
}

/** What stops the form from being recorded, in the order the fields appear. */
export function problemsOf(s: Pick<DecisionFormState, 'choice' | 'reason' | 'modification'>): Problem[] {
  const out: Problem[] = [];
  if (s.choice === null) out.push({ field: 'choice', message: 'Choose accepted, modified or declined.' });
  if (s.choice === 'modified' && s.modification.trim() === '') {
    out.push({ field: 'modification', message: 'Choose the scenario you chose instead (or edit the suggestion as one).' });
  }
  if (s.reason.trim() === '') {
    out.push({ field: 'reason', message: 'Give a reason: the log records why a suggestion was accepted, modified or declined.' });
  }
  return out;
}

export function formReducer(s: DecisionFormState, a: Action): DecisionFormState {
  // While a decision is being recorded, and once it is, the form does not change under it.
  const editable = s.phase === 'editing';
  switch (a.type) {
    case 'choose':
      return editable ? clearFixed({ ...s, choice: a.choice }) : s;
    case 'reason':
      return editable ? clearFixed({ ...s, reason: a.reason }) : s;
    case 'modification':
      return editable ? clearFixed({ ...s, modification: a.modification }) : s;
    case 'submit': {
      if (!editable) return s;
      const problems = problemsOf(s);
      return problems.length > 0 ? { ...s, problems } : { ...s, problems: [], phase: 'submitting' };
    }
    case 'recorded':
      return s.phase === 'submitting' ? { ...s, phase: 'recorded', recorded: a.entry } : s;
    case 'failed':
      return s.phase === 'submitting' ? { ...s, phase: 'editing' } : s;
    case 'another':
      return s.phase === 'recorded' ? initialForm(a.decisionId) : s;
  }
}

/** Problems already shown go away as they are fixed; new ones wait for the next Record. */
function clearFixed(s: DecisionFormState): DecisionFormState {
  if (s.problems.length === 0) return s;
  const still = new Set(problemsOf(s).map((p) => p.field));
  return { ...s, problems: s.problems.filter((p) => still.has(p.field)) };
}

/** The arguments of `decideSuggestion` for a form ready to record. */
export function decideArgs(s: DecisionFormState, id: string, suggestionJson: string) {
  if (s.choice === null) throw new Error('no decision chosen');
  return {
    id,
    suggestionJson,
    decision: s.choice,
    reason: s.reason.trim(),
    decisionId: s.decisionId,
    ...(s.choice === 'modified' ? { modification: s.modification.trim() } : {}),
  };
}

/** What the reason is for, per choice, as a hint under the field. */
export function reasonHint(choice: DecisionChoice | null): string {
  switch (choice) {
    case 'accepted':
      return 'Why this plan suits this patient (e.g. agreed with the patient, at the next review).';
    case 'modified':
      return 'What you changed and why (e.g. a drug not tolerated before).';
    case 'declined':
      return 'Why not now (e.g. the patient prefers lifestyle changes first).';
    default:
      return 'Required for every choice: the audit log records why.';
  }
}

/** "1 Dec 2026, 14:03": the log's UTC time in this computer's time zone, day and month unambiguous. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}
