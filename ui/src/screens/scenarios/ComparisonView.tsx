import { useDeferredValue, useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Comparison, OutputKey, Projection } from '../../api/backend';
import { computeInWords, useDisplay } from '../../app/format';
import { StaleNotice } from '../../app/StaleNotice';
import { Plot } from '../../charts/Plot';
import { differenceTable } from './differences';
import { formatValue, labelOf, monthLabel, unitOf } from './outputs';
import { hasValues, isHeartFailure, isRiskOutput, readMonth, riskHeading, riskOutputName, riskOutputsOf } from './outcome';
import { colourOf, projectionFigure, wrapLabel } from './projectionFigure';
import { sampledPathsFigure } from './learnedFigure';
import { hindcastSentence } from '../twin/hindcast';
import './comparison.css';

/** "First HF hospitalisation" inside a sentence: "first HF hospitalisation". */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A percentage of a probability, one decimal: "21.0". */
const pct = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

/** 2–4 scenarios side by side: trajectories, event risk over time, differences, contributions, sentences. */
export function ComparisonView({ comparison }: { comparison: Comparison }) {
  const outputId = useId();
  const { lipidUnit } = useDisplay();
  const first = comparison.projections[0];
  const compared = comparison.projections.length > 1;
  // The trajectories are drawn first; the event risk's charts and the tables follow a moment
  // later (React renders them from the deferred value), so a new comparison shows at once.
  const later = useDeferredValue(comparison);
  // Every reference any compared scenario used, once.
  const sources = useMemo(() => {
    const seen = new Map<string, string>();
    for (const p of comparison.projections) for (const src of p.sources) seen.set(src.reference, src.what);
    return [...seen.entries()];
  }, [comparison]);
  // Outputs without a value (no event model; no HF hospitalisation outside heart failure) are not offered.
  const outputs = first?.outputs.map((o) => o.output).filter((o) => hasValues(first, o)) ?? [];
  const [output, setOutput] = useState<OutputKey>('sbp');
  const figure = useMemo(() => projectionFigure(comparison.projections, output, { lipidUnit }), [comparison, output, lipidUnit]);
  const outputLabel = (key: OutputKey) => labelOf(first, key);
  const horizon = first?.months ?? 0;
  const outcome = first?.outcome;
  // Heart-failure outcomes are read at MAGGIC's horizon (3 years), a cardiovascular event at the projection's end.
  const riskMonth = outcome ? readMonth(outcome, horizon) : horizon;
  const heartFailure = isHeartFailure(outcome);
  const riskKeys = useMemo(() => (outcome ? riskOutputsOf(outcome).filter((k) => hasValues(first, k)) : []), [outcome, first]);
  const riskFigure = useMemo(
    () => (riskKeys.length > 0 ? projectionFigure(later.projections, riskKeys, { rowHeight: 190, titleSuffix: ', over time' }) : null),
    [later, riskKeys],
  );
  const riskRows = useMemo(
    () =>
      later.projections.map((p) => ({
        scenario: p.scenario,
        values: riskKeys.map((key) => {
          const band = p.outputs.find((o) => o.output === key);
          const at = (v: number[] | undefined) => (v?.[riskMonth] ?? NaN) * 100;
          return { key, p5: at(band?.p5), p50: at(band?.p50), p95: at(band?.p95) };
        }),
      })),
    [later, riskKeys, riskMonth],
  );
  const riskBars = useMemo(
    () =>
      riskRows.map((row, i) => {
        const grouped = riskKeys.length > 1;
        return {
          type: 'bar' as const,
          orientation: 'h' as const,
          name: row.scenario,
          // One bar per scenario, named on the axis; in heart failure a group per outcome (death,
          // HF hospitalisation) with the scenarios in the legend. Names in short lines, never cut.
          y: grouped ? row.values.map((v) => wrapLabel(outcome ? riskOutputName(outcome, v.key) : v.key, 14)) : [wrapLabel(row.scenario, 22)],
          x: row.values.map((v) => v.p50),
          marker: { color: colourOf(i) },
          error_x: { type: 'data' as const, symmetric: false, array: row.values.map((v) => v.p95 - v.p50), arrayminus: row.values.map((v) => v.p50 - v.p5), color: '#1b1b1b' },
          hovertemplate: `%{x:.1f} %<extra>${row.scenario}</extra>`,
        };
      }),
    [riskRows, riskKeys, outcome],
  );
  const table = useMemo(() => differenceTable(later, lipidUnit), [later, lipidUnit]);
  const noModel = first !== undefined && !first.hasEventModel;
  const scenarioNames = comparison.projections.map((p) => p.scenario);
  return (
    <div data-testid="comparison">
      <StaleNotice freshness={first?.freshness} level={3} />
      <div className="toolbar">
        <label htmlFor={outputId}>Output</label>
        <select id={outputId} value={output} onChange={(e) => { setOutput(e.target.value as OutputKey); }}>
          {outputs.map((o) => (
            <option key={o} value={o}>{outputLabel(o)}</option>
          ))}
        </select>
      </div>
      <Plot data={figure.data} layout={figure.layout} testId="comparison-chart" height={figure.height} label={`${outputLabel(output)} under ${scenarioNames.join(', ')}`} />
      {compared && <p className="figure-key">Each panel is one scenario (solid line, its colour) over {first?.scenario ?? 'the reference'} (dotted grey); the axes are shared.</p>}
      <section aria-labelledby="risk-title" data-testid="risk-panel" className="comparison-results">
        <h3 id="risk-title">
          {noModel || !outcome
            ? 'Event risk'
            : riskKeys.length > 1
              ? `${riskKeys.map((k, n) => (n === 0 ? riskOutputName(outcome, k) : lowerFirst(riskOutputName(outcome, k)))).join(' and ')} at ${monthLabel(riskMonth)}`
              : riskHeading(outcome, 'event_risk', riskMonth)}
        </h3>
        {noModel || riskKeys.length === 0 || !riskFigure ? (
          <p role="note">No outcome is projected for this patient: {first?.eventModel ?? 'no event model applies'}.</p>
        ) : (
          <>
            <Plot data={riskFigure.data} layout={riskFigure.layout} height={riskFigure.height} testId="risk-over-time" label={`Cumulative ${riskKeys.map((k) => (outcome ? lowerFirst(riskOutputName(outcome, k)) : k)).join(' and ')} over time per scenario, with 5–95 % bands`} />
            <div className="risk-at-horizon">
              <Plot
                data={riskBars}
                layout={{
                  xaxis: { title: { text: `% at ${monthLabel(riskMonth)} (median, 5–95 % band)` }, rangemode: 'tozero' },
                  yaxis: { autorange: 'reversed', automargin: true },
                  showlegend: riskKeys.length > 1,
                  legend: { orientation: 'h', x: 0, y: -0.3, yanchor: 'top' },
                  barmode: 'group',
                  margin: { t: 8, r: 16, b: riskKeys.length > 1 ? 90 : 48, l: 16 },
                }}
                height={Math.max(170, 46 * later.projections.length * riskKeys.length + (riskKeys.length > 1 ? 110 : 60))}
                testId="risk-bars"
                label={`${riskKeys.map((k) => (outcome ? riskOutputName(outcome, k) : k)).join(' and ')} at ${monthLabel(riskMonth)} per scenario, with 5–95 % bands`}
              />
              <table className="compact" data-testid="risk-values">
                <caption>At {monthLabel(riskMonth)}: median (5–95 % of simulated courses)</caption>
                <thead>
                  <tr>
                    <th scope="col">Scenario</th>
                    {riskKeys.map((k) => (
                      <th scope="col" key={k}>
                        {outcome ? riskOutputName(outcome, k) : k}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {riskRows.map((row, i) => (
                    <tr key={row.scenario}>
                      <th scope="row">
                        <span className="swatch" style={{ background: colourOf(i) }} aria-hidden="true" />
                        {row.scenario}
                      </th>
                      {row.values.map((v) => (
                        <td key={v.key}>
                          <strong>{pct(v.p50)} %</strong>
                          <br />
                          <span className="range">
                            {pct(v.p5)}–{pct(v.p95)}
                          </span>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
        <p className="note">Event model: {first?.eventModel}</p>
      </section>
      <section aria-labelledby="diff-title" className="comparison-results">
        <h3 id="diff-title">Differences against {table.against || 'the first scenario'} (median, 90 % range;{' '}
          {heartFailure
            ? `death from any cause and first HF hospitalisation in percentage points, relative change, number needed to treat by then, read to ${monthLabel(riskMonth)}`
            : 'event risk in percentage points, relative change, number needed to treat by then'}
          )
        </h3>
        {later.differences.length === 0 ? (
          <p className="hint">Choose a saved scenario to compare it with current treatment.</p>
        ) : (
          <div className="table-scroll">
            <table className="compact diff-table" data-testid="difference-table">
              <caption>Each scenario minus {table.against}, over the same simulated courses</caption>
              <thead>
                <tr>
                  <th scope="col">Output</th>
                  <th scope="col">By</th>
                  {table.scenarios.map((name, i) => (
                    <th scope="col" key={name}>
                      <span className="swatch" style={{ background: colourOf(i + 1) }} aria-hidden="true" />
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              {table.groups.map((g) => (
                <tbody key={g.output}>
                  {g.rows.map((row, k) => (
                    <tr key={row.month}>
                      {k === 0 && (
                        <th scope="rowgroup" rowSpan={g.rows.length + (g.notReadPast !== null ? 1 : 0)}>
                          {g.label}
                        </th>
                      )}
                      <th scope="row" className="when">{monthLabel(row.month)}</th>
                      {row.cells.map((x, i) => (
                        <td key={table.scenarios[i]} data-testid={`diff-${(i + 1).toString()}-${g.output}-${row.month.toString()}`}>
                          {x ? (
                            <>
                              <strong>{x.median}</strong>
                              <br />
                              <span className="range">{x.range}</span>
                              {x.relative && (
                                <span className="range" title={`${x.relative} relative to ${table.against}`}>
                                  <br />
                                  {x.relative} rel.
                                </span>
                              )}
                              {x.numberNeeded && (
                                <span className="range" title={`${x.numberNeeded.toTreat ? 'Number needed to treat' : 'Number needed to harm'} for one ${x.numberNeeded.toTreat ? 'event fewer' : 'event more'} by ${monthLabel(row.month)}`}>
                                  <br />
                                  <abbr title={x.numberNeeded.toTreat ? 'number needed to treat' : 'number needed to harm'}>{x.numberNeeded.toTreat ? 'NNT' : 'NNH'}</abbr>{' '}
                                  {x.numberNeeded.n.toString()}
                                </span>
                              )}
                            </>
                          ) : (
                            '—'
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                  {g.notReadPast !== null && (
                    <tr>
                      {g.rows.length === 0 && <th scope="rowgroup">{g.label}</th>}
                      <th scope="row" className="when">Later</th>
                      <td colSpan={table.scenarios.length} className="not-read" data-testid={`diff-past-${g.output}`}>
                        Not read past {monthLabel(g.notReadPast)} (MAGGIC’s horizon)
                      </td>
                    </tr>
                  )}
                </tbody>
              ))}
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="explain-title" className="explanation" data-testid="scenario-explanation">
        <h3 id="explain-title">Explanation</h3>
        {comparison.differences.map((d) => (
          <div key={d.scenario}>
            <h4>
              {d.scenario} against {d.against}
            </h4>
            <ul>
              {d.explanation.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
            <table className="compact">
              <caption>What each change contributes (at the average response)</caption>
              <thead>
                <tr>
                  <th scope="col">Change</th>
                  <th scope="col">When</th>
                  <th scope="col">Output</th>
                  <th scope="col">Contribution</th>
                </tr>
              </thead>
              <tbody>
                {d.shares
                  // Heart-failure outcomes at MAGGIC's horizon; everything else at 5 years and the end.
                  .filter((s) => (heartFailure && isRiskOutput(s.output) ? s.month === riskMonth : s.month === Math.min(horizon, 60) || s.month === horizon))
                  .map((s) => (
                    <tr key={`${s.intervention}-${s.month.toString()}-${s.output}`}>
                      <th scope="row">{s.intervention}</th>
                      <td>{monthLabel(s.month)}</td>
                      <td>{outputLabel(s.output)}</td>
                      <td>{formatValue(s.output, s.value, unitOf(first, s.output), true, lipidUnit)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        ))}
        {first && first.notes.length > 0 && (
          <>
            <h4>Caveats</h4>
            <ul>
              {first.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          </>
        )}
        <h4>Sources used by these projections</h4>
        <ul className="note" data-testid="projection-sources">
          {sources.map(([reference, what]) => (
            <li key={reference}>
              {what}: {reference}
            </li>
          ))}
          <li>baseline event hazard: {first?.eventModel ?? 'the event model'}</li>
        </ul>
        <LearnedPanel projections={comparison.projections} />
        {first && (
          <p className="note" data-testid="hindcast-sentence">
            {hindcastSentence(first.hindcast)} <Link to="../twin">The whole hindcast is on the Twin screen.</Link>
          </p>
        )}
        {first && (
          <div className="note" data-testid="projection-backend">
            {new Set(comparison.projections.map((p) => computeInWords(p.backend))).size <= 1
              ? computeInWords(first.backend)
              : comparison.projections.map((p) => `${computeInWords(p.backend)} for ${p.scenario}`).join('; ')}{' '}
            ({first.members.toLocaleString()} simulated courses, seed {first.seed.toString()}).
            <details className="tech">
              <summary>Technical details</summary>
              {comparison.projections.map((p) => `${p.scenario}: ${p.backend}`).join('; ')}
            </details>
          </div>
        )}
        <p className="note">
          Personal BP response factor {first?.bpResponse.mean.toFixed(2)} ± {first?.bpResponse.sd.toFixed(2)}, learned from{' '}
          {first?.bpResponse.nUpdates === 1 ? 'one clean past drug start' : `${(first?.bpResponse.nUpdates ?? 0).toString()} clean past drug starts`}:{' '}
          {first && Math.abs(first.bpResponse.moved) >= 0.005
            ? `moved ${first.bpResponse.moved > 0 ? '+' : '−'}${Math.abs(first.bpResponse.moved).toFixed(2)} from the trial average`
            : 'the trial average'}{' '}
          (between-person SD {first?.bpResponse.priorSd.toFixed(2)}; Bell, Hypertension 2010).
        </p>
      </section>
    </div>
  );
}

const TARGET_LABELS: Record<string, [string, number]> = {
  sbp: ['SBP, mmHg', 0],
  dbp: ['DBP, mmHg', 0],
  ldl_cholesterol: ['LDL-C, mmol/L', 2],
  heart_rate: ['Heart rate, bpm', 0],
};

/** The learned model's correction of each scenario's projection, kept apart from the engine's. */
function LearnedPanel({ projections }: { projections: Projection[] }) {
  const [open, setOpen] = useState(false);
  const shown = projections.filter((p) => p.learned.available);
  if (shown.length === 0) {
    return <p className="note" data-testid="learned-note">Learned model: {projections[0]?.learned.note ?? 'not run'}</p>;
  }
  return (
    <details className="learned" data-testid="learned-panel" onToggle={(e) => { setOpen(e.currentTarget.open); }}>
      <summary>Learned correction (experimental): what a sequence model trained on synthetic patients adds to the engine</summary>
      <p className="note">{shown[0]?.learned.note}</p>
      {shown.map((p) => (
        <div className="columns" key={p.scenario}>
          <table className="compact">
            <caption>{p.scenario}: engine mean + learned residual = hybrid (90 % range of a reading)</caption>
            <thead>
              <tr>
                <th scope="col">Measure</th>
                <th scope="col">In</th>
                <th scope="col">Engine</th>
                <th scope="col">Learned adds</th>
                <th scope="col">Hybrid</th>
              </tr>
            </thead>
            <tbody>
              {p.learned.rows
                .filter((r) => r.horizonMonths === 6 || r.horizonMonths === 12)
                .map((r) => {
                  const [label, digits] = TARGET_LABELS[r.target] ?? [r.target, 1];
                  const f = (v: number) => v.toFixed(digits);
                  return (
                    <tr key={`${r.target}-${r.horizonMonths.toString()}`}>
                      <th scope="row">{label}</th>
                      <td>{r.horizonMonths.toString()} months</td>
                      <td>{f(r.engine)}</td>
                      <td>{r.residual >= 0 ? '+' : '−'}{f(Math.abs(r.residual))}</td>
                      <td>
                        {f(r.hybrid)} ({f(r.lo)}–{f(r.hi)})
                      </td>
                    </tr>
                  );
                })}
            </tbody>
          </table>
          {/* Drawn when opened: a chart in a closed panel costs the comparison's time for nothing. */}
          {open && p.learned.samples.length > 0 && <SampledPaths projection={p} />}
        </div>
      ))}
    </details>
  );
}

/** SBP or LDL-C paths sampled from the learned forecast under one scenario. */
function SampledPaths({ projection }: { projection: Projection }) {
  const [target, setTarget] = useState('sbp');
  const label = TARGET_LABELS[target]?.[0] ?? target;
  const figure = useMemo(() => sampledPathsFigure(projection, target, label), [projection, target, label]);
  return (
    <div>
      <div role="group" aria-label={`Sampled paths under ${projection.scenario}`}>
        {Object.entries(TARGET_LABELS).map(([key, [name]]) => (
          <button key={key} type="button" aria-pressed={key === target} onClick={() => {
            setTarget(key);
          }}>
            {name}
          </button>
        ))}
      </div>
      <Plot data={figure.data} layout={figure.layout} testId="learned-paths" label={`${label} paths sampled from the learned forecast under ${projection.scenario}`} height={280} />
    </div>
  );
}
