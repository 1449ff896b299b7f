import { useId, useMemo, useState } from 'react';
import { useParams } from 'react-router';
import type { Comparison, ScenarioFile } from '../../api/backend';
import { useCommand, useCommandMutation, useLongCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { ComparisonView } from './ComparisonView';
import { CURRENT, describe } from './interventions';
import { ScenarioBuilder } from './ScenarioBuilder';
import { describeStrategy } from './strategy';

const MAX_EXTRA = 3;

/** Build scenarios, keep them per patient, and compare up to three against current treatment. */
export default function ScenariosScreen() {
  const { id = '' } = useParams();
  const ids = { horizon: useId(), members: useId() };
  const saved = useCommand('savedScenarios', { id }, { staleTime: Infinity });
  // Saving answers the saved list: it replaces the cached list at once.
  const save = useCommandMutation('saveScenario', [], { command: 'savedScenarios', args: (a) => ({ id: a.id }) });
  const [chosen, setChosen] = useState<string[]>([]);
  const [months, setMonths] = useState(120);
  const [members, setMembers] = useState(1000);
  const scenarios: ScenarioFile[] = saved.data ?? [];
  const picked = scenarios.filter((s) => chosen.includes(s.name)).slice(0, MAX_EXTRA);
  const membersOk = Number.isInteger(members) && members >= 100 && members <= 100000;
  const args = membersOk ? { id, scenarios: [CURRENT, ...picked], ensemble: { months, members, seed: 1 }, context: {} } : null;
  const comparison = useLongCommand('compare', picked.length > 0 ? args : null);
  const single = useLongCommand('simulate', picked.length === 0 && args ? { id, scenario: CURRENT, ensemble: args.ensemble, context: {} } : null);
  const shown = picked.length > 0 ? comparison : single;
  // One view at one place, and a stable object: the charts update in place instead of being
  // drawn afresh, and nothing is recomputed while the clinician types in the builder.
  const singleView = useMemo<Comparison | undefined>(() => (single.data ? { projections: [single.data], differences: [] } : undefined), [single.data]);
  const view = picked.length > 0 ? comparison.data : singleView;

  return (
    <section aria-labelledby="scenarios-title" className="screen">
      <h1 id="scenarios-title">Scenarios and comparison</h1>
      <div className="columns scenarios-layout">
        <div>
          <ScenarioBuilder
            horizonMonths={months}
            saving={save.isPending}
            saveError={save.error?.message ?? null}
            onSave={(scenario) => {
              save.mutate({ id, scenario }, { onSuccess: () => { setChosen((c) => [...c.filter((n) => n !== scenario.name), scenario.name].slice(-MAX_EXTRA)); } });
            }}
          />
          <section aria-labelledby="saved-title" className="panel">
            <h2 id="saved-title">Compare against current treatment</h2>
            <Status loading={saved.loading && !saved.data} error={saved.error} what="saved scenarios" />
            <fieldset>
              <legend>Scenarios (up to {MAX_EXTRA})</legend>
              {scenarios.length === 0 && <p className="hint">No saved scenarios for this patient yet.</p>}
              {scenarios.map((s) => {
                const on = chosen.includes(s.name);
                return (
                  <label key={s.name} className="check" title={[...(s.strategy ? [describeStrategy(s.strategy)] : []), ...s.interventions.map(describe)].join('; ')}>
                    <input
                      type="checkbox"
                      checked={on}
                      disabled={!on && picked.length >= MAX_EXTRA}
                      onChange={() => { setChosen(on ? chosen.filter((n) => n !== s.name) : [...chosen, s.name]); }}
                    />{' '}
                    {s.name}
                  </label>
                );
              })}
            </fieldset>
            <div className="field-row">
              <span className="field">
                <label htmlFor={ids.horizon}>Horizon</label>
                <select id={ids.horizon} value={months} onChange={(e) => { setMonths(Number.parseInt(e.target.value, 10)); }}>
                  <option value={12}>1 year</option>
                  <option value={60}>5 years</option>
                  <option value={120}>10 years</option>
                  <option value={240}>20 years</option>
                </select>
              </span>
              <span className="field">
                <label htmlFor={ids.members}>Ensemble members</label>
                <input id={ids.members} type="number" min={100} max={100000} step={100} value={members} aria-invalid={!membersOk} onChange={(e) => { setMembers(Number.parseInt(e.target.value, 10)); }} />
              </span>
            </div>
            {!membersOk && <p className="invalid" role="alert">Members must be a whole number from 100 to 100,000.</p>}
          </section>
        </div>
        <section aria-labelledby="result-title" className="panel results">
          <h2 id="result-title">{picked.length > 0 ? `Current treatment against ${picked.map((p) => p.name).join(', ')}` : 'Projection under current treatment'}</h2>
          <Status loading={shown.loading} error={shown.error} what="the projection" onCancel={shown.cancel} progress={shown.progress} cancelled={shown.cancelled} onRerun={shown.rerun} />
          {view && <ComparisonView comparison={view} />}
        </section>
      </div>
    </section>
  );
}
