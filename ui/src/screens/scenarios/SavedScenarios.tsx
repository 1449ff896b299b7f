import { useEffect, useRef, useState } from 'react';
import type { ScenarioFile } from '../../api/backend';

export interface SavedScenariosProps {
  scenarios: ScenarioFile[];
  /** Names ticked for the comparison. */
  chosen: string[];
  max: number;
  /** How many are compared now (ticked and fitting today's regimen). */
  nPicked: number;
  /** Why a saved scenario cannot be projected for this patient today, or null. */
  problemOf: (s: ScenarioFile) => string | null;
  describe: (s: ScenarioFile) => string;
  /** The name of the one loaded in the builder, if any. */
  editing: string | null;
  onToggle: (name: string, on: boolean) => void;
  onEdit: (s: ScenarioFile) => void;
  onDuplicate: (s: ScenarioFile) => Promise<unknown>;
  onDelete: (s: ScenarioFile) => Promise<unknown>;
  error: string | null;
}

/** One saved scenario: tick it to compare; edit, duplicate or delete it (after asking). */
function Row({ s, on, disabled, problem, words, editing, onToggle, onEdit, onDuplicate, onDelete }: {
  s: ScenarioFile;
  on: boolean;
  disabled: boolean;
  problem: string | null;
  words: string;
  editing: boolean;
  onToggle: (on: boolean) => void;
  onEdit: () => void;
  onDuplicate: () => Promise<unknown>;
  onDelete: () => Promise<unknown>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const deleteRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  const problemId = `saved-problem-${encodeURIComponent(s.name)}`;
  const notesId = `saved-notes-${encodeURIComponent(s.name)}`;
  const run = (action: () => Promise<unknown>) => {
    setBusy(true);
    action().then(
      () => { setBusy(false); },
      () => { setBusy(false); },
    );
  };
  return (
    <li className={`saved-scenario${editing ? ' editing' : ''}`} data-testid="saved-scenario">
      <label className="check" title={words}>
        <input
          type="checkbox"
          checked={on && problem === null}
          disabled={problem !== null || (!on && disabled)}
          aria-describedby={[problem ? problemId : '', s.notes ? notesId : ''].filter(Boolean).join(' ') || undefined}
          onChange={() => { onToggle(!on); }}
        />{' '}
        {s.name}
      </label>
      {editing && <span className="hint"> (in the builder)</span>}
      <span className="saved-actions">
        <button type="button" aria-label={`Edit ${s.name}`} onClick={onEdit} disabled={busy}>
          Edit
        </button>
        <button type="button" aria-label={`Duplicate ${s.name}`} onClick={() => { run(onDuplicate); }} disabled={busy}>
          Duplicate
        </button>
        <button type="button" ref={deleteRef} aria-label={`Delete ${s.name}`} onClick={() => { setConfirming(true); }} disabled={busy || confirming}>
          Delete
        </button>
      </span>
      {s.notes && (
        <p className="hint saved-notes" id={notesId}>
          {s.notes}
        </p>
      )}
      {problem && (
        <p className="invalid" id={problemId}>
          Not compared: {problem} Edit it to fit today’s regimen.
        </p>
      )}
      {confirming && (
        <div role="alertdialog" aria-label={`Delete ${s.name}?`} className="confirm" data-testid="confirm-delete">
          <p>Delete “{s.name}”? It cannot be undone.</p>
          <button
            type="button"
            ref={confirmRef}
            className="danger"
            onClick={() => {
              setConfirming(false);
              run(onDelete);
            }}
          >
            Delete it
          </button>{' '}
          <button type="button" onClick={() => { setConfirming(false); deleteRef.current?.focus(); }}>
            Keep it
          </button>
        </div>
      )}
    </li>
  );
}

/** The patient's saved scenarios, to compare (up to `max`), edit, duplicate and delete. */
export function SavedScenarios({ scenarios, chosen, max, nPicked, problemOf, describe, editing, onToggle, onEdit, onDuplicate, onDelete, error }: SavedScenariosProps) {
  return (
    <fieldset>
      <legend>Scenarios (up to {max})</legend>
      {scenarios.length === 0 && <p className="hint">No saved scenarios for this patient yet.</p>}
      <ul className="saved-list" aria-label="Saved scenarios">
        {scenarios.map((s) => (
          <Row
            key={s.name}
            s={s}
            on={chosen.includes(s.name)}
            disabled={nPicked >= max}
            problem={problemOf(s)}
            words={describe(s)}
            editing={editing === s.name}
            onToggle={(on) => { onToggle(s.name, on); }}
            onEdit={() => { onEdit(s); }}
            onDuplicate={() => onDuplicate(s)}
            onDelete={() => onDelete(s)}
          />
        ))}
      </ul>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
