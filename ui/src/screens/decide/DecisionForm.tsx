import { useEffect, useId, useMemo, useReducer, useRef, type SyntheticEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { AuditView, ScenarioFile, SuggestionView } from '../../api/backend';
import { useCommand, useCommandMutation } from '../../api/hooks';
import { KeychainNotice, useKeychainStatus } from '../../app/KeychainStatus';
import { decisionLabel, modificationLabel, shortName } from './decide';
import { decideArgs, formReducer, initialForm, localTime, newDecisionId, reasonHint, type Field } from './decisionForm';

export interface DecisionFormProps {
  /** Patient id. */
  id: string;
  /** The plan decided on (its first step's label and its scenario), or null for "no change". */
  plan: { label: string; scenario: ScenarioFile } | null;
  /** The suggestion as shown, recorded in full. */
  suggestionJson: string;
}

const CHOICES = ['accepted', 'modified', 'declined'] as const;

/** The form for the suggestion on screen: the plan shown is the one decided on, recorded in full. */
export function SuggestionDecisionForm({ id, s }: { id: string; s: SuggestionView }) {
  const suggestionJson = useMemo(() => JSON.stringify(s), [s]);
  const shown = s.suggestion;
  const plan = useMemo(() => (shown ? { label: shown.label, scenario: shown.scenario } : null), [shown]);
  return <DecisionForm id={id} plan={plan} suggestionJson={suggestionJson} />;
}

/**
 * The clinician's decision on the plan: the keychain's state first (the form is disabled, with
 * what to do, when nothing can be recorded); no answer preselected; a reason for every choice;
 * one entry per decision however often Record is pressed; closed once recorded, showing what was
 * recorded, with "Record another decision".
 */
export function DecisionForm({ id, plan, suggestionJson }: DecisionFormProps) {
  const ids = { reason: useId(), reasonHint: useId(), modification: useId(), radios: useId(), problems: useId(), recorded: useId() };
  const navigate = useNavigate();
  const client = useQueryClient();
  const [form, dispatch] = useReducer(formReducer, undefined, () => initialForm());
  // Guards the second click of a double click before React has re-rendered the disabled button.
  const inFlight = useRef(false);
  const keychain = useKeychainStatus();
  const blocked = keychain.status ? !keychain.status.usable : !keychain.error;
  const decide = useCommandMutation('decideSuggestion', ['auditLog']);
  // A modification is a scenario the clinician edits: the saved scenarios are the choices, and
  // the suggestion can be saved as one to start from.
  const saved = useCommand('savedScenarios', { id }, { staleTime: Infinity });
  const save = useCommandMutation('saveScenario', [], { command: 'savedScenarios', args: (a) => ({ id: a.id }) });
  const editSuggestion = () => {
    if (!plan) return;
    const scenario = { ...plan.scenario, name: shortName(`Modified: ${plan.label}`) };
    save.mutate({ id, scenario }, { onSuccess: () => { void navigate(`/patient/${encodeURIComponent(id)}/scenarios`); } });
  };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (inFlight.current || form.phase !== 'editing' || blocked) return;
    const next = formReducer(form, { type: 'submit' });
    dispatch({ type: 'submit' });
    if (next.phase !== 'submitting') return;
    inFlight.current = true;
    decide.mutate(decideArgs(next, id, suggestionJson), {
      onSuccess: (entry) => {
        dispatch({ type: 'recorded', entry });
      },
      onError: (err) => {
        dispatch({ type: 'failed' });
        // The keychain may have gone since it was checked: say so above the form.
        if (err.code === 'storeLocked' || err.code === 'tampered' || err.code === 'busy') keychain.recheck();
      },
      onSettled: () => {
        inFlight.current = false;
      },
    });
  };
  const another = () => {
    decide.reset();
    dispatch({ type: 'another', decisionId: newDecisionId() });
    void client.invalidateQueries({ queryKey: ['keychainStatus'] });
  };
  const has = (field: Field) => form.problems.some((p) => p.field === field);
  const busy = form.phase === 'submitting';
  return (
    <section className="panel decision" aria-labelledby="decision-title" data-testid="decision-form">
      <h2 id="decision-title">Your decision</h2>
      <KeychainNotice quiet />
      {form.phase === 'recorded' && form.recorded ? (
        <Recorded entry={form.recorded} plan={plan} headingId={ids.recorded} onAnother={another} />
      ) : (
        <form onSubmit={submit} aria-labelledby="decision-title" noValidate>
          <fieldset disabled={blocked || busy} className="decision-fields">
            <fieldset aria-describedby={has('choice') ? ids.problems : undefined} aria-invalid={has('choice') || undefined} role="radiogroup" aria-required="true">
              <legend>Decision on {plan?.label ?? 'today’s treatment'} (required)</legend>
              {CHOICES.map((d) => (
                <label key={d} className="check">
                  <input
                    type="radio"
                    name={ids.radios}
                    value={d}
                    checked={form.choice === d}
                    onChange={() => { dispatch({ type: 'choose', choice: d }); }}
                  />{' '}
                  {decisionLabel(d)}
                </label>
              ))}
            </fieldset>
            {form.choice === 'modified' && (
              <div className="field">
                <label htmlFor={ids.modification}>The regimen you chose instead (a saved scenario)</label>
                <select
                  id={ids.modification}
                  value={form.modification}
                  aria-invalid={has('modification') || undefined}
                  onChange={(e) => { dispatch({ type: 'modification', modification: e.target.value }); }}
                >
                  <option value="">Choose a scenario…</option>
                  {(saved.data ?? []).map((sc) => (
                    <option key={sc.name} value={JSON.stringify(sc)}>{sc.name}</option>
                  ))}
                </select>
                <p className="note">
                  <button type="button" onClick={editSuggestion} disabled={!plan || save.isPending}>Edit the suggestion as a new scenario</button> (opens the scenario builder; come back here to record it)
                </p>
                {save.error && (
                  <p className="error" role="alert">
                    The suggestion could not be saved as a scenario: {save.error.message}
                  </p>
                )}
              </div>
            )}
            <div className="field">
              <label htmlFor={ids.reason}>Reason (required)</label>
              <textarea
                id={ids.reason}
                value={form.reason}
                onChange={(e) => { dispatch({ type: 'reason', reason: e.target.value }); }}
                rows={3}
                cols={60}
                required
                aria-invalid={has('reason') || undefined}
                aria-describedby={ids.reasonHint}
              />
              <span id={ids.reasonHint} className="note field-hint">{reasonHint(form.choice)}</span>
            </div>
          </fieldset>
          {form.problems.length > 0 && (
            <ul id={ids.problems} className="invalid" role="alert" data-testid="decision-problems">
              {form.problems.map((p) => (
                <li key={p.field}>{p.message}</li>
              ))}
            </ul>
          )}
          {decide.error && (
            <p className="error" role="alert">
              Nothing was recorded: {decide.error.message}
            </p>
          )}
          <p>
            <button type="submit" disabled={blocked || busy}>
              {busy ? 'Recording…' : 'Record decision'}
            </button>{' '}
            <Link to={`/patient/${encodeURIComponent(id)}/scenarios`}>Edit a scenario instead</Link>
          </p>
        </form>
      )}
    </section>
  );
}

/** What was recorded: the decision and its reason, when (local time), who, and where in the log. */
function Recorded({ entry, plan, headingId, onAnother }: { entry: AuditView; plan: DecisionFormProps['plan']; headingId: string; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The form is gone: focus goes to what replaced it, which is read out.
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const what = `${decisionLabel(entry.decision)}: ${plan?.label ?? 'today’s treatment'}`;
  return (
    <section className="decision-recorded" data-testid="decision-recorded" aria-labelledby={headingId}>
      <h3 id={headingId} ref={heading} tabIndex={-1}>
        <span aria-hidden="true">✔ </span>Decision recorded
      </h3>
      <dl className="facts">
        <dt>Decision</dt>
        <dd data-testid="recorded-what">{what}</dd>
        {entry.modification && (
          <>
            <dt>Chosen instead</dt>
            <dd>{modificationLabel(entry.modification)}</dd>
          </>
        )}
        <dt>Reason</dt>
        <dd>{entry.reason ?? '—'}</dd>
        <dt>When</dt>
        <dd data-testid="recorded-when">
          <time dateTime={entry.time}>{localTime(entry.time)}</time> (this computer’s time)
        </dd>
        <dt>Who</dt>
        <dd data-testid="recorded-who">{entry.user}</dd>
        <dt>Audit log</dt>
        <dd>
          Entry {String(entry.seq)}, sealed and hash-chained (hash {entry.hash.slice(0, 12)}…)
        </dd>
      </dl>
      <p>
        <Link to={`/patient/${encodeURIComponent(entry.patientId)}/for-patient?decision=${String(entry.seq)}`}>
          Choose what the patient sees
        </Link>{' '}
        <button type="button" onClick={onAnother}>Record another decision</button>
      </p>
    </section>
  );
}
