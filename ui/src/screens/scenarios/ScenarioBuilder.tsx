import { useEffect, useId, useRef, useState } from 'react';
import type { InterventionFile, ScenarioCheck, ScenarioFile, ScenarioOptions, StrategyFile } from '../../api/backend';
import { MAX_SCENARIO_NAME_CHARS, MAX_SCENARIO_NOTES_CHARS } from '../../api/generated';
import { defaultDraft, draftOf, nChars, numberSpecs, readDraft, sameName, type BuilderType, type Draft, type NumberKey, type NumberSpec } from './draft';
import { StrategyFields } from './StrategyFields';
import { defaultStrategyDraft, describeStrategy, isDrugChange, strategyDraftOf, strategyOn, strategyProblems, toStrategyFile, type StrategyDraft } from './strategy';
import { CURRENT, PERSISTENCE, TYPES, describe, problem } from './interventions';

/** A saved scenario to load into the form (to edit it, or to start from it). */
export interface BuilderLoad {
  scenario: ScenarioFile;
  /** The saved name it replaces when saved; `null` to save it as a new one. */
  replace: string | null;
  /** Changes each time something is loaded, so the same scenario can be loaded twice. */
  key: number;
}

export interface ScenarioBuilderProps {
  horizonMonths: number;
  /**
   * Saves the scenario (`replace`: the saved name it replaces, or null for a new one). The form is
   * cleared only when the promise resolves; a rejection keeps everything typed.
   */
  onSave: (s: ScenarioFile, replace: string | null) => unknown;
  saving: boolean;
  saveError: string | null;
  /** What the patient takes today and could start: the builder offers only what applies. */
  regimen?: ScenarioOptions | undefined;
  /** Names already saved for this patient: a new scenario may not take one. */
  savedNames?: readonly string[];
  /** The server's check against today's regimen, run as the scenario is built. */
  check?: (s: ScenarioFile, signal: AbortSignal) => Promise<ScenarioCheck>;
  /** A saved scenario to load into the form. */
  load?: BuilderLoad | null;
  /** Called when the clinician stops editing a loaded scenario without saving it. */
  onCancelEdit?: () => void;
}

function NumberField({ spec, text, problem, onChange }: { spec: NumberSpec; text: string; problem: string | undefined; onChange: (text: string) => void }) {
  const id = useId();
  const err = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="text"
        inputMode={spec.min < 0 || !spec.integer ? 'decimal' : 'numeric'}
        autoComplete="off"
        value={text}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? err : undefined}
        onChange={(e) => { onChange(e.target.value); }}
      />
      {problem && <span id={err} className="invalid">{problem}</span>}
    </span>
  );
}

const DOSE_WORDS = { half: 'Half', standard: 'Standard', double: 'Double' } as const;
const STATIN_WORDS = { half: 'Low intensity', standard: 'Moderate intensity', double: 'High intensity' } as const;

function DraftFields({ draft, onChange, horizonMonths, regimen, items }: { draft: Draft; onChange: (d: Draft) => void; horizonMonths: number; regimen: ScenarioOptions | undefined; items: InterventionFile[] }) {
  const ids = { cls: useId(), clsErr: useId(), dose: useId(), doseErr: useId(), kind: useId(), persistence: useId(), persistenceHelp: useId() };
  const reading = readDraft(draft, horizonMonths, regimen, items);
  const choice = reading.choices.find((c) => c.class === reading.class);
  const doses = choice ? (draft.type === 'change_dose' ? choice.doses.filter((d) => d.dose !== choice.dose) : choice.doses) : [];
  const doseWords = reading.class === 'statin' ? STATIN_WORDS : DOSE_WORDS;
  const setText = (key: NumberKey, text: string) => { onChange({ ...draft, text: { ...draft.text, [key]: text } }); };
  const drug = draft.type === 'start_drug' || draft.type === 'change_dose' || draft.type === 'stop_drug';
  return (
    <>
      {drug && (
        <span className="field">
          <label htmlFor={ids.cls}>Drug class</label>
          <select
            id={ids.cls}
            value={reading.class ?? ''}
            disabled={reading.choices.length === 0}
            aria-invalid={reading.problems.class !== undefined}
            aria-describedby={reading.problems.class ? ids.clsErr : undefined}
            onChange={(e) => { onChange({ ...draft, class: e.target.value as Draft['class'] }); }}
          >
            {reading.choices.length === 0 && <option value="">None applies</option>}
            {reading.choices.map((c) => (
              <option key={c.class} value={c.class}>
                {c.label}
                {c.medication && draft.type !== 'start_drug' ? ` (now ${c.medication})` : ''}
              </option>
            ))}
          </select>
          {reading.problems.class && <span id={ids.clsErr} className="invalid">{reading.problems.class}</span>}
        </span>
      )}
      {(draft.type === 'start_drug' || draft.type === 'change_dose') && reading.choices.length > 0 && (
        <span className="field">
          <label htmlFor={ids.dose}>{draft.type === 'change_dose' ? 'New dose' : 'Dose'}</label>
          <select
            id={ids.dose}
            value={reading.dose ?? ''}
            disabled={doses.length === 0}
            aria-invalid={reading.problems.dose !== undefined}
            aria-describedby={reading.problems.dose ? ids.doseErr : undefined}
            onChange={(e) => { onChange({ ...draft, dose: e.target.value as Draft['dose'] }); }}
          >
            {doses.map((d) => (
              <option key={d.dose} value={d.dose}>
                {doseWords[d.dose]}: {d.text}
              </option>
            ))}
          </select>
          {reading.problems.dose && <span id={ids.doseErr} className="invalid">{reading.problems.dose}</span>}
        </span>
      )}
      {draft.type === 'start_drug' && (
        <span className="field">
          <label htmlFor={ids.persistence}>Persistence</label>
          <select id={ids.persistence} value={draft.persistence} aria-describedby={ids.persistenceHelp} onChange={(e) => { onChange({ ...draft, persistence: e.target.value as Draft['persistence'] }); }}>
            {PERSISTENCE.map((p) => (
              <option key={p.value} value={p.value}>{p.label}</option>
            ))}
          </select>
          <span id={ids.persistenceHelp} className="hint">Whether people stop taking the new drug over time, and its effect with it. Drugs already taken keep the adherence the record shows.</span>
        </span>
      )}
      {draft.type === 'procedure' && (
        <span className="field">
          <label htmlFor={ids.kind}>Procedure</label>
          <select id={ids.kind} value={draft.kind} onChange={(e) => { onChange({ ...draft, kind: e.target.value as Draft['kind'] }); }}>
            <option value="pci">PCI / stent</option>
            <option value="cabg">CABG</option>
          </select>
        </span>
      )}
      {numberSpecs(draft.type, horizonMonths).map((spec) => (
        <NumberField key={spec.key} spec={spec} text={draft.text[spec.key]} problem={reading.problems[spec.key]} onChange={(t) => { setText(spec.key, t); }} />
      ))}
    </>
  );
}

/** Problems of the scenario as a whole, from the server: which change, and why. */
function useServerCheck(check: ScenarioBuilderProps['check'], scenario: ScenarioFile | null): ScenarioCheck | null {
  const [answer, setAnswer] = useState<{ key: string; check: ScenarioCheck } | null>(null);
  const key = scenario ? JSON.stringify({ i: scenario.interventions, s: scenario.strategy ?? null }) : '';
  useEffect(() => {
    if (!check || !scenario || key === '') return;
    const abort = new AbortController();
    // A short pause while the clinician is still clicking; the answer is for this scenario only.
    const timer = window.setTimeout(() => {
      check(scenario, abort.signal).then((c) => { if (!abort.signal.aborted) setAnswer({ key, check: c }); }, () => {});
    }, 150);
    return () => { window.clearTimeout(timer); abort.abort(); };
    // `scenario` is rebuilt every render; `key` is what it says.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [check, key]);
  return answer?.key === key ? answer.check : null;
}

/** Build a scenario: a name and a list of changes to today's plan, each field checked as it is typed. */
export function ScenarioBuilder({ horizonMonths, onSave, saving, saveError, regimen, savedNames = [], check, load, onCancelEdit }: ScenarioBuilderProps) {
  const ids = { name: useId(), nameErr: useId(), notes: useId(), notesErr: useId(), type: useId(), why: useId(), server: useId() };
  const nameRef = useRef<HTMLInputElement>(null);
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [notes, setNotes] = useState('');
  const [draft, setDraft] = useState<Draft>(defaultDraft('start_drug'));
  const [draftTouched, setDraftTouched] = useState(false);
  const [items, setItems] = useState<InterventionFile[]>([]);
  // The change in the list being edited in the form, if any.
  const [editingItem, setEditingItem] = useState<number | null>(null);
  const [strategy, setStrategy] = useState<StrategyDraft>(defaultStrategyDraft);
  // A plan of care's strategy (its exact steps) is kept as saved: the builder does not type ladders.
  const [keptStrategy, setKeptStrategy] = useState<StrategyFile | null>(null);
  // The saved scenario being edited (its name as saved), if any.
  const [editing, setEditing] = useState<string | null>(null);
  const [loadedKey, setLoadedKey] = useState<number | null>(null);

  const reset = () => {
    setName('');
    setNameTouched(false);
    setNotes('');
    setItems([]);
    setEditingItem(null);
    setDraft(defaultDraft('start_drug'));
    setDraftTouched(false);
    setStrategy(defaultStrategyDraft());
    setKeptStrategy(null);
    setEditing(null);
  };

  if (load && load.key !== loadedKey) {
    // A saved scenario loaded to edit: everything it says goes into the form.
    setLoadedKey(load.key);
    const s = load.scenario;
    setName(s.name);
    setNameTouched(true);
    setNotes(s.notes ?? '');
    setItems(s.interventions);
    setEditingItem(null);
    setDraft(defaultDraft('start_drug'));
    setDraftTouched(false);
    const strategyDraft = s.strategy ? strategyDraftOf(s.strategy) : null;
    setStrategy(strategyDraft ?? defaultStrategyDraft());
    setKeptStrategy(s.strategy && !strategyDraft ? s.strategy : null);
    setEditing(load.replace);
  }
  useEffect(() => {
    if (load) nameRef.current?.focus();
  }, [load]);

  const targeting = strategyOn(strategy);
  const strategyOk = Object.keys(strategyProblems(strategy)).length === 0;
  const drugChanges = items.filter(isDrugChange);
  // A strategy chooses the drugs itself: the engine refuses drug changes beside one.
  const conflict =
    targeting && drugChanges.length > 0
      ? `A treat-to-target strategy chooses the drugs itself, so it cannot sit beside drug changes: remove ${drugChanges.map(describe).join('; ')}, or turn the target off.`
      : null;
  const draftConflict = targeting && isDrugChange({ type: draft.type } as InterventionFile) ? 'With a treat-to-target strategy on, the strategy chooses the drugs: add lifestyle, smoking or procedure changes only.' : null;
  // The changes other than the one being edited, which the draft's choices follow.
  const others = editingItem === null ? items : items.filter((_, k) => k !== editingItem);
  const reading = readDraft(draft, horizonMonths, regimen, others);

  const trimmed = name.trim();
  const taken = savedNames.find((n) => sameName(n, trimmed) && !(editing !== null && sameName(n, editing)));
  const nameProblem =
    trimmed === ''
      ? 'Give the scenario a name.'
      : nChars(trimmed) > MAX_SCENARIO_NAME_CHARS
        ? `Names are at most ${MAX_SCENARIO_NAME_CHARS.toString()} characters: this one has ${nChars(trimmed).toString()}.`
        : sameName(trimmed, CURRENT.name)
          ? 'That name is kept for current treatment.'
          : taken !== undefined
            ? `A scenario named “${taken}” is already saved: choose another name, or replace it.`
            : null;
  const notesProblem = nChars(notes.trim()) > MAX_SCENARIO_NOTES_CHARS ? `Notes are at most ${MAX_SCENARIO_NOTES_CHARS.toString()} characters: these have ${nChars(notes.trim()).toString()}.` : null;
  const strategyFile = keptStrategy ?? toStrategyFile(strategy);
  const scenario: ScenarioFile = {
    name: trimmed,
    interventions: items,
    ...(strategyFile ? { strategy: strategyFile } : {}),
    ...(notes.trim() ? { notes: notes.trim() } : {}),
  };
  const empty = items.length === 0 && !strategyFile;
  // Changes saved before a limit was tightened, or from elsewhere, are checked too.
  const itemProblems = items.map((i) => problem(i, horizonMonths));
  const server = useServerCheck(check, empty ? null : { ...scenario, name: trimmed || 'draft' });
  const serverProblem = server?.problem ?? null;
  const serverItem = server?.intervention ?? null;

  // Why Save is off, as what must hold ("Save is off until: the scenario has a name; …").
  const reasons = [
    ...(trimmed === '' ? ['the scenario has a name'] : []),
    ...(nChars(trimmed) > MAX_SCENARIO_NAME_CHARS ? [`the name is at most ${MAX_SCENARIO_NAME_CHARS.toString()} characters`] : []),
    ...(sameName(trimmed, CURRENT.name) ? ['the name is not “Current treatment”'] : []),
    ...(taken !== undefined ? ['the name is not one already saved (or replace that scenario)'] : []),
    ...(notesProblem ? [`the notes are at most ${MAX_SCENARIO_NOTES_CHARS.toString()} characters`] : []),
    ...(empty ? ['it has at least one change, or a target'] : []),
    ...(!strategyOk ? ['the target’s fields are right'] : []),
    ...(conflict ? ['no drug change sits beside the strategy'] : []),
    ...(itemProblems.some((p) => p !== null) ? ['each change in the list is right'] : []),
    ...(serverProblem ? ['it fits today’s regimen'] : []),
  ];
  const blocked = reasons.length > 0 || saving;
  // The reasons other than the name being taken: replacing that scenario is then allowed.
  const replaceable = taken !== undefined && reasons.length === 1 && !saving;

  const submit = (replace: string | null) => {
    const result = onSave(scenario, replace);
    Promise.resolve(result).then(reset, () => {
      // Kept as typed: the error is shown beside the button.
    });
  };

  const addOrUpdate = () => {
    const i = reading.intervention;
    if (!i) return;
    setItems(editingItem === null ? [...items, i] : items.map((x, k) => (k === editingItem ? i : x)));
    setEditingItem(null);
    setDraftTouched(false);
    if (editingItem !== null) setDraft(defaultDraft(draft.type));
  };

  const fieldProblems = Object.keys(reading.problems).length > 0;
  return (
    <section aria-labelledby="builder-title" className="panel builder" data-testid="scenario-builder">
      <h2 id="builder-title">{editing ? `Edit “${editing}”` : 'Build a scenario'}</h2>
      <span className="field">
        <label htmlFor={ids.name}>Scenario name</label>
        <input
          id={ids.name}
          ref={nameRef}
          value={name}
          placeholder="e.g. Add amlodipine, 80% adherence"
          autoComplete="off"
          onChange={(e) => { setName(e.target.value); setNameTouched(true); }}
          aria-invalid={(nameTouched || !empty) && nameProblem !== null}
          aria-describedby={(nameTouched || !empty) && nameProblem ? ids.nameErr : undefined}
        />
        {(nameTouched || !empty) && nameProblem && (
          <span id={ids.nameErr} className="invalid" data-testid="name-problem">
            {nameProblem}
          </span>
        )}
      </span>
      <fieldset>
        <legend>{editingItem === null ? 'Add a change' : `Edit change ${(editingItem + 1).toString()}`}</legend>
        <span className="field">
          <label htmlFor={ids.type}>Change</label>
          <select id={ids.type} value={draft.type} onChange={(e) => { setDraft(defaultDraft(e.target.value as BuilderType)); setDraftTouched(false); }}>
            {TYPES.filter((t) => t.value !== 'lower_sbp' && t.value !== 'lower_ldl').map((t) => (
              <option key={t.value} value={t.value}>{t.label}</option>
            ))}
          </select>
        </span>
        <DraftFields draft={draft} onChange={(d) => { setDraft(d); setDraftTouched(true); }} horizonMonths={horizonMonths} regimen={regimen} items={others} />
        {!fieldProblems && draftConflict && <p className="invalid" role="alert">{draftConflict}</p>}
        <span className="button-row">
          <button type="button" disabled={reading.intervention === null || draftConflict !== null} onClick={addOrUpdate}>
            {editingItem === null ? 'Add change' : 'Update change'}
          </button>
          {editingItem !== null && (
            <button type="button" onClick={() => { setEditingItem(null); setDraft(defaultDraft('start_drug')); setDraftTouched(false); }}>
              Cancel edit
            </button>
          )}
        </span>
        {draftTouched && reading.intervention && !draftConflict && (
          <p className="hint" data-testid="draft-pending">
            Not in the scenario until you press {editingItem === null ? 'Add change' : 'Update change'}: {describe(reading.intervention)}.
          </p>
        )}
      </fieldset>
      <ul aria-label="Changes in this scenario" className="changes">
        {items.map((i, n) => {
          const itemProblem = itemProblems[n] ?? (serverItem === n ? serverProblem : null);
          const editable = draftOf(i) !== null;
          return (
            <li key={`${n.toString()}-${i.type}`} className={itemProblem ? 'has-problem' : undefined}>
              {describe(i)}{' '}
              {editable && (
                <button
                  type="button"
                  aria-label={`Edit: ${describe(i)}`}
                  disabled={editingItem === n}
                  onClick={() => {
                    const d = draftOf(i);
                    if (!d) return;
                    setDraft(d);
                    setEditingItem(n);
                    setDraftTouched(false);
                  }}
                >
                  Edit
                </button>
              )}{' '}
              <button
                type="button"
                aria-label={`Remove: ${describe(i)}`}
                onClick={() => {
                  setItems(items.filter((_, k) => k !== n));
                  if (editingItem !== null) setEditingItem(editingItem === n ? null : editingItem > n ? editingItem - 1 : editingItem);
                }}
              >
                Remove
              </button>
              {itemProblem && <span className="invalid"> {itemProblem}</span>}
            </li>
          );
        })}
        {items.length === 0 && <li className="hint">{targeting ? 'No other changes: the strategy adds the drugs.' : 'No changes yet: the scenario equals current treatment.'}</li>}
      </ul>
      {serverProblem && (
        <p className="invalid" role="alert" id={ids.server} data-testid="scenario-check">
          {serverItem !== null && items[serverItem] ? `Change ${(serverItem + 1).toString()} (${describe(items[serverItem])}): ` : ''}
          {serverProblem}
        </p>
      )}
      {keptStrategy ? (
        <fieldset className="strategy" data-testid="strategy-fields">
          <legend>Treat to target</legend>
          <p className="hint">{describeStrategy(keptStrategy)}: a plan of care’s steps, kept as saved.</p>
          <button type="button" onClick={() => { setKeptStrategy(null); }}>
            Remove the plan’s strategy
          </button>
        </fieldset>
      ) : (
        <StrategyFields value={strategy} onChange={setStrategy} conflict={conflict} />
      )}
      <span className="field">
        <label htmlFor={ids.notes}>Notes (optional)</label>
        <textarea
          id={ids.notes}
          value={notes}
          rows={2}
          onChange={(e) => { setNotes(e.target.value); }}
          aria-invalid={notesProblem !== null}
          aria-describedby={notesProblem ? ids.notesErr : undefined}
        />
        {notesProblem && <span id={ids.notesErr} className="invalid">{notesProblem}</span>}
      </span>
      <span className="button-row">
        <button type="button" className="primary" disabled={blocked} aria-describedby={reasons.length > 0 ? ids.why : undefined} onClick={() => { submit(editing); }}>
          {editing ? 'Save changes' : 'Save scenario'}
        </button>
        {taken !== undefined && (
          <button type="button" disabled={!replaceable} onClick={() => { submit(taken); }}>
            Replace “{taken}”
          </button>
        )}
        {editing && (
          <button type="button" onClick={() => { reset(); onCancelEdit?.(); }}>
            Stop editing
          </button>
        )}
      </span>
      {reasons.length > 0 && (
        <p className="hint" id={ids.why} data-testid="save-blocked">
          Save is off until: {reasons.join('; ')}.
        </p>
      )}
      {saveError && (
        <p role="alert" className="error" data-testid="save-error">
          Could not save: {saveError} Everything typed is kept.
        </p>
      )}
    </section>
  );
}
