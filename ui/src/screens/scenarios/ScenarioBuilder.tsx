import { useId, useState } from 'react';
import type { InterventionFile, ScenarioFile } from '../../api/backend';
import { StrategyFields } from './StrategyFields';
import { defaultStrategyDraft, isDrugChange, strategyOn, strategyProblems, toStrategyFile, type StrategyDraft } from './strategy';
import { CLASSES, DOSES, PERSISTENCE, TYPES, defaultIntervention, describe, problem, type InterventionType } from './interventions';

export interface ScenarioBuilderProps {
  horizonMonths: number;
  onSave: (s: ScenarioFile) => void;
  saving: boolean;
  saveError: string | null;
}

function NumberField({ label, value, onChange, min, max, step = 1 }: { label: string; value: number; onChange: (v: number) => void; min: number; max: number; step?: number }) {
  const id = useId();
  return (
    <span className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" value={Number.isFinite(value) ? value : ''} min={min} max={max} step={step} onChange={(e) => { onChange(Number.parseFloat(e.target.value)); }} />
    </span>
  );
}

function InterventionFields({ value, onChange }: { value: InterventionFile; onChange: (i: InterventionFile) => void }) {
  const ids = { cls: useId(), dose: useId(), kind: useId(), persistence: useId(), persistenceHelp: useId() };
  const i = value;
  return (
    <>
      {(i.type === 'start_drug' || i.type === 'stop_drug' || i.type === 'change_dose') && (
        <span className="field">
          <label htmlFor={ids.cls}>Drug class</label>
          <select id={ids.cls} value={i.class} onChange={(e) => { onChange({ ...i, class: e.target.value as typeof i.class }); }}>
            {CLASSES.map((c) => (
              <option key={c.value} value={c.value}>{c.label}</option>
            ))}
          </select>
        </span>
      )}
      {(i.type === 'start_drug' || i.type === 'change_dose') && (
        <span className="field">
          <label htmlFor={ids.dose}>{i.type === 'change_dose' ? 'New dose' : 'Dose'}</label>
          <select id={ids.dose} value={i.dose} onChange={(e) => { onChange({ ...i, dose: e.target.value as typeof i.dose }); }}>
            {DOSES.map((d) => (
              <option key={d.value} value={d.value}>{d.label}</option>
            ))}
          </select>
        </span>
      )}
      {i.type === 'start_drug' && (
        <>
          <NumberField label="Adherence (%)" value={Math.round(i.adherence * 100)} min={0} max={100} onChange={(v) => { onChange({ ...i, adherence: v / 100 }); }} />
          <span className="field">
            <label htmlFor={ids.persistence}>Persistence</label>
            <select id={ids.persistence} value={i.persistence} aria-describedby={ids.persistenceHelp} onChange={(e) => { onChange({ ...i, persistence: e.target.value as typeof i.persistence }); }}>
              {PERSISTENCE.map((p) => (
                <option key={p.value} value={p.value}>{p.label}</option>
              ))}
            </select>
            <span id={ids.persistenceHelp} className="hint">Whether people stop taking the new drug over time, and its effect with it. Drugs already taken keep the adherence the record shows.</span>
          </span>
        </>
      )}
      {i.type === 'adherence' && <NumberField label="Adherence (%)" value={Math.round(i.level * 100)} min={0} max={100} onChange={(v) => { onChange({ ...i, level: v / 100 }); }} />}
      {i.type === 'exercise' && <NumberField label="Minutes per week" value={i.minutes_per_week} min={0} max={2000} step={10} onChange={(v) => { onChange({ ...i, minutes_per_week: v }); }} />}
      {i.type === 'weight_change' && (
        <>
          <NumberField label="Change (kg, negative = loss)" value={i.kg} min={-60} max={60} step={0.5} onChange={(v) => { onChange({ ...i, kg: v }); }} />
          <NumberField label="Over (months)" value={i.over_months} min={1} max={120} onChange={(v) => { onChange({ ...i, over_months: v }); }} />
        </>
      )}
      {i.type === 'procedure' && (
        <span className="field">
          <label htmlFor={ids.kind}>Procedure</label>
          <select id={ids.kind} value={i.kind} onChange={(e) => { onChange({ ...i, kind: e.target.value as typeof i.kind }); }}>
            <option value="pci">PCI / stent</option>
            <option value="cabg">CABG</option>
          </select>
        </span>
      )}
      {'start_month' in i && <NumberField label="From month" value={i.start_month} min={0} max={600} onChange={(v) => { onChange({ ...i, start_month: v }); }} />}
      {'month' in i && <NumberField label="At month" value={i.month} min={0} max={600} onChange={(v) => { onChange({ ...i, month: v }); }} />}
    </>
  );
}

/** Build a scenario: a name and a list of changes to today's plan, each checked as it is typed. */
export function ScenarioBuilder({ horizonMonths, onSave, saving, saveError }: ScenarioBuilderProps) {
  const ids = { name: useId(), type: useId() };
  const [name, setName] = useState('');
  const [draft, setDraft] = useState<InterventionFile>(defaultIntervention('start_drug'));
  const [items, setItems] = useState<InterventionFile[]>([]);
  const [strategy, setStrategy] = useState<StrategyDraft>(defaultStrategyDraft);
  const targeting = strategyOn(strategy);
  const strategyOk = Object.keys(strategyProblems(strategy)).length === 0;
  const drugChanges = items.filter(isDrugChange);
  // A strategy chooses the drugs itself: the engine refuses drug changes beside one.
  const conflict = targeting && drugChanges.length > 0
    ? `A treat-to-target strategy chooses the drugs itself, so it cannot sit beside drug changes: remove ${drugChanges.map(describe).join('; ')}, or turn the target off.`
    : null;
  const draftConflict = targeting && isDrugChange(draft) ? 'With a treat-to-target strategy on, the strategy chooses the drugs: add lifestyle, smoking or procedure changes only.' : null;
  const draftProblem = problem(draft, horizonMonths);
  const nameProblem = name.trim() === '' ? 'Give the scenario a name.' : name.trim().toLowerCase() === 'current treatment' ? 'That name is kept for current treatment.' : null;
  return (
    <section aria-labelledby="builder-title" className="panel">
      <h2 id="builder-title">Build a scenario</h2>
      <span className="field">
        <label htmlFor={ids.name}>Scenario name</label>
        <input id={ids.name} value={name} placeholder="e.g. Add amlodipine, 80% adherence" onChange={(e) => { setName(e.target.value); }} aria-invalid={(items.length > 0 || targeting) && nameProblem !== null} />
      </span>
      <fieldset>
        <legend>Add a change</legend>
        <span className="field">
          <label htmlFor={ids.type}>Change</label>
          <select id={ids.type} value={draft.type} onChange={(e) => { setDraft(defaultIntervention(e.target.value as InterventionType)); }}>
            {TYPES.map((t) => (
              <option key={t.value} value={t.value}>{t.label}</option>
            ))}
          </select>
        </span>
        <InterventionFields value={draft} onChange={setDraft} />
        {draftProblem && <p className="invalid" role="alert">{draftProblem}</p>}
        {!draftProblem && draftConflict && <p className="invalid" role="alert">{draftConflict}</p>}
        <button type="button" disabled={draftProblem !== null || draftConflict !== null} onClick={() => { setItems([...items, draft]); }}>
          Add change
        </button>
      </fieldset>
      <ul aria-label="Changes in this scenario" className="changes">
        {items.map((i, n) => (
          <li key={`${n.toString()}-${i.type}`}>
            {describe(i)}{' '}
            <button type="button" aria-label={`Remove: ${describe(i)}`} onClick={() => { setItems(items.filter((_, k) => k !== n)); }}>
              Remove
            </button>
          </li>
        ))}
        {items.length === 0 && <li className="hint">{targeting ? 'No other changes: the strategy adds the drugs.' : 'No changes yet: the scenario equals current treatment.'}</li>}
      </ul>
      <StrategyFields value={strategy} onChange={setStrategy} conflict={conflict} />
      {(items.length > 0 || targeting) && nameProblem && <p className="invalid">{nameProblem}</p>}
      <button
        type="button"
        className="primary"
        disabled={nameProblem !== null || (items.length === 0 && !targeting) || !strategyOk || conflict !== null || saving}
        onClick={() => {
          const target = toStrategyFile(strategy);
          onSave({ name: name.trim(), interventions: items, ...(target ? { strategy: target } : {}) });
          setItems([]);
          setName('');
          setStrategy(defaultStrategyDraft());
        }}
      >
        Save scenario
      </button>
      {saveError && <p role="alert">Could not save: {saveError}</p>}
    </section>
  );
}
