import { useCallback, useId, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import type { Comparison, ScenarioFile } from '../../api/backend';
import { useBackend, useCommand, useCommandCache, useCommandMutation, useLongCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { ComparisonView } from './ComparisonView';
import { CURRENT, describe } from './interventions';
import { ScenarioBuilder, type BuilderLoad } from './ScenarioBuilder';
import { SavedScenarios } from './SavedScenarios';
import { MAX_EXTRA, renamed, stillSaved, ticked, tickedAfterSave, useTicks } from './selection';
import { describeStrategy } from './strategy';
import './scenarios.css';

/** Build scenarios, keep them per patient, and compare up to three against current treatment. */
export default function ScenariosScreen() {
  const { id = '' } = useParams();
  const backend = useBackend();
  const ids = { horizon: useId(), members: useId() };
  const saved = useCommand('savedScenarios', { id }, { staleTime: Infinity });
  const regimen = useCommand('scenarioOptions', { id }, { staleTime: Infinity });
  // Saving, deleting and duplicating answer the saved list: it replaces the cached list at once.
  const listAnswer = { command: 'savedScenarios' as const, args: (a: { id: string }) => ({ id: a.id }) };
  const save = useCommandMutation('saveScenario', [], listAnswer);
  const cache = useCommandCache();
  const remove = useCommandMutation('deleteScenario', [], listAnswer);
  const duplicate = useCommandMutation('duplicateScenario', [], listAnswer);
  // The ticks live outside the screen: they survive another tab, and the heatmap ticks what it opens.
  const [chosen, setChosen] = useTicks(id);
  const [months, setMonths] = useState(120);
  const [membersText, setMembersText] = useState('1000');
  const [load, setLoad] = useState<BuilderLoad | null>(null);
  const loads = useRef(0);
  const scenarios: ScenarioFile[] = useMemo(() => saved.data ?? [], [saved.data]);
  // Each saved scenario checked against today's regimen: one that no longer fits (the record
  // changed since) says why and is not compared, so it cannot take the others' results with it.
  const checks = useCommand('checkScenarios', scenarios.length > 0 ? { id, scenarios } : null, { staleTime: Infinity });
  const problemOf = useCallback((s: ScenarioFile) => checks.data?.find((c) => c.name === s.name)?.problem ?? null, [checks.data]);
  // In the order ticked, so each scenario keeps its panel and colour as others are added.
  const picked = useMemo(
    () =>
      stillSaved(chosen, scenarios.map((s) => s.name))
        .map((name) => scenarios.find((s) => s.name === name))
        .filter((s): s is ScenarioFile => s !== undefined && problemOf(s) === null)
        .slice(0, MAX_EXTRA),
    [chosen, scenarios, problemOf],
  );
  const members = /^\d+$/.test(membersText.trim()) ? Number(membersText.trim()) : NaN;
  const membersOk = Number.isInteger(members) && members >= 100 && members <= 100000;
  const args = membersOk ? { id, scenarios: [CURRENT, ...picked], ensemble: { months, members, seed: 1 }, context: {} } : null;
  const comparison = useLongCommand('compare', picked.length > 0 ? args : null);
  const single = useLongCommand('simulate', picked.length === 0 && args ? { id, scenario: CURRENT, ensemble: args.ensemble, context: {} } : null);
  const shown = picked.length > 0 ? comparison : single;
  // One view at one place, and a stable object: the charts update in place instead of being
  // drawn afresh, and nothing is recomputed while the clinician types in the builder.
  const singleView = useMemo<Comparison | undefined>(() => (single.data ? { projections: [single.data], differences: [] } : undefined), [single.data]);
  const view = picked.length > 0 ? comparison.data : singleView;
  const check = useCallback(
    (scenario: ScenarioFile, signal: AbortSignal) => backend.call('checkScenarios', { id, scenarios: [scenario] }, signal).then((r) => r[0] ?? { name: scenario.name, problem: null, intervention: null }),
    [backend, id],
  );
  const loadInto = (scenario: ScenarioFile, replace: string | null) => {
    loads.current += 1;
    // The builder takes the focus (its name field), which brings it into view.
    setLoad({ scenario, replace, key: loads.current });
  };

  return (
    <section aria-labelledby="scenarios-title" className="screen">
      <h1 id="scenarios-title">Scenarios and comparison</h1>
      <div className="columns scenarios-layout">
        <div>
          <ScenarioBuilder
            horizonMonths={months}
            saving={save.isPending}
            saveError={save.error?.message ?? null}
            regimen={regimen.data}
            savedNames={scenarios.map((s) => s.name)}
            check={check}
            load={load}
            onCancelEdit={() => { setLoad(null); save.reset(); }}
            onSave={(scenario, replace) => {
              // A new scenario is compared at once, while it is being saved (the comparison needs
              // the scenario, not its saved copy); a refused save puts the list and ticks back.
              const fresh = replace === null && !scenarios.some((s) => s.name === scenario.name);
              const before = { list: cache.get('savedScenarios', { id }), ticks: chosen };
              if (fresh) {
                cache.set('savedScenarios', { id }, [...scenarios, scenario]);
                setChosen((c) => tickedAfterSave(c, scenario.name));
              }
              return save.mutateAsync({ id, scenario, ...(replace !== null ? { replace } : {}) }).then(
                () => {
                  setChosen((c) => tickedAfterSave(replace !== null ? renamed(c, replace, scenario.name) : c, scenario.name, replace));
                  setLoad(null);
                },
                (err: unknown) => {
                  if (fresh) {
                    cache.set('savedScenarios', { id }, before.list);
                    setChosen(() => before.ticks);
                  }
                  throw err;
                },
              );
            }}
          />
          {regimen.error && <p className="note">Today’s regimen could not be read ({regimen.error.message}): every class is offered, and the server checks the scenario when it is saved.</p>}
          <section aria-labelledby="saved-title" className="panel">
            <h2 id="saved-title">Compare against current treatment</h2>
            <Status loading={saved.loading && !saved.data} error={saved.error} what="saved scenarios" />
            <SavedScenarios
              scenarios={scenarios}
              chosen={chosen}
              max={MAX_EXTRA}
              nPicked={picked.length}
              problemOf={problemOf}
              describe={(s) => [...(s.strategy ? [describeStrategy(s.strategy)] : []), ...s.interventions.map(describe)].join('; ')}
              editing={load?.replace ?? null}
              onToggle={(name, on) => { setChosen((c) => ticked(c, name, on)); }}
              onEdit={(s) => { loadInto(s, s.name); }}
              onDuplicate={(s) => duplicate.mutateAsync({ id, name: s.name })}
              onDelete={(s) =>
                remove.mutateAsync({ id, name: s.name }).then(() => {
                  setChosen((c) => ticked(c, s.name, false));
                  if (load?.replace === s.name) setLoad(null);
                })
              }
              error={remove.error?.message ?? duplicate.error?.message ?? null}
            />
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
                <input id={ids.members} type="text" inputMode="numeric" autoComplete="off" value={membersText} aria-invalid={!membersOk} aria-describedby={membersOk ? undefined : `${ids.members}-err`} onChange={(e) => { setMembersText(e.target.value); }} />
              </span>
            </div>
            {!membersOk && <p className="invalid" role="alert" id={`${ids.members}-err`}>Members must be a whole number from 100 to 100,000.</p>}
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
