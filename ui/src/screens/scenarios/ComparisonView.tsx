import { useId, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Comparison, OutputKey, Projection } from '../../api/backend';
import { StaleNotice } from '../../app/StaleNotice';
import { Plot } from '../../charts/Plot';
import { formatPoints, formatRelative, formatValue, labelOf, monthLabel, numberNeededText } from './outputs';
import { hasValues, isHeartFailure, isRiskOutput, readMonth, readsAt, riskHeading, riskOutputName, riskOutputsOf } from './outcome';
import { projectionFigure, SCENARIO_COLOURS } from './projectionFigure';
import { sampledPathsFigure } from './learnedFigure';
import { hindcastSentence } from '../twin/hindcast';

/** "First HF hospitalisation" inside a sentence: "first HF hospitalisation". */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A chart's category name in lines of about 16 characters ("Add amlodipine,<br>80% adherence"). */
function wrapLabel(text: string, width = 16): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join('<br>');
}

/** A range's ends without their unit: the median above them carries it. */
function bare(text: string): string {
  return text.replace(/ ?(pp|%)$/, '').trim();
}

/** 2–4 scenarios side by side: trajectories, differences, event risk, contributions, sentences. */
export function ComparisonView({ comparison }: { comparison: Comparison }) {
  const outputId = useId();
  const first = comparison.projections[0];
  // Every reference any compared scenario used, once.
  const sources = useMemo(() => {
    const seen = new Map<string, string>();
    for (const p of comparison.projections) for (const src of p.sources) seen.set(src.reference, src.what);
    return [...seen.entries()];
  }, [comparison]);
  // Outputs without a value (no event model; no HF hospitalisation outside heart failure) are not offered.
  const outputs = first?.outputs.map((o) => o.output).filter((o) => hasValues(first, o)) ?? [];
  const [output, setOutput] = useState<OutputKey>('sbp');
  const figure = useMemo(() => projectionFigure(comparison.projections, output), [comparison, output]);
  const outputLabel = (key: OutputKey) => labelOf(first, key);
  const unitOf = (key: OutputKey) => first?.outputs.find((o) => o.output === key)?.unit ?? '';
  const horizon = first?.months ?? 0;
  const outcome = first?.outcome;
  // Heart-failure outcomes are read at MAGGIC's horizon (3 years), a cardiovascular event at the projection's end.
  const riskMonth = outcome ? readMonth(outcome, horizon) : horizon;
  const heartFailure = isHeartFailure(outcome);
  const riskKeys = useMemo(() => (outcome ? riskOutputsOf(outcome).filter((k) => hasValues(first, k)) : []), [outcome, first]);
  const riskRows = useMemo(
    () =>
      comparison.projections.map((p) => ({
        scenario: p.scenario,
        values: riskKeys.map((key) => {
          const band = p.outputs.find((o) => o.output === key);
          const at = (v: number[] | undefined) => (v?.[riskMonth] ?? NaN) * 100;
          return { key, p5: at(band?.p5), p50: at(band?.p50), p95: at(band?.p95) };
        }),
      })),
    [comparison, riskKeys, riskMonth],
  );
  const riskBars = useMemo(
    () =>
      riskRows.map((row, i) => {
        const grouped = riskKeys.length > 1;
        return {
          type: 'bar' as const,
          name: row.scenario,
          // One bar per scenario; in heart failure a group per outcome (death, HF hospitalisation).
          // Category names broken into short lines, so that they sit level under the bars and are not cut.
          x: grouped ? row.values.map((v) => wrapLabel(outcome ? riskOutputName(outcome, v.key) : v.key)) : [wrapLabel(row.scenario)],
          y: row.values.map((v) => v.p50),
          marker: { color: SCENARIO_COLOURS[i % SCENARIO_COLOURS.length] ?? '#333' },
          error_y: { type: 'data' as const, symmetric: false, array: row.values.map((v) => v.p95 - v.p50), arrayminus: row.values.map((v) => v.p50 - v.p5) },
          hovertemplate: `%{y:.1f} %<extra>${row.scenario}</extra>`,
        };
      }),
    [riskRows, riskKeys, outcome],
  );
  const noModel = first !== undefined && !first.hasEventModel;
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
      <Plot data={figure.data} layout={figure.layout} testId="comparison-chart" height={360} label={`${outputLabel(output)} under ${comparison.projections.map((p) => p.scenario).join(', ')}`} />
      <div className="comparison-grid">
        <section aria-labelledby="diff-title">
          <h3 id="diff-title">Differences against {first?.scenario ?? 'the first scenario'} (median, 90 % range;{' '}
            {heartFailure
              ? `death from any cause and first HF hospitalisation in percentage points, relative change, number needed to treat by then, read to ${monthLabel(riskMonth)}`
              : 'event risk in percentage points, relative change, number needed to treat by then'}
            )
          </h3>
          {comparison.differences.length === 0 && <p className="hint">Choose a saved scenario to compare it with current treatment.</p>}
          {comparison.differences.map((d, i) => {
            const months = [...new Set(d.differences.map((x) => x.month))];
            const outputs = [...new Set(d.differences.map((x) => x.output))];
            return (
              <table className="compact" data-testid="difference-table" key={d.scenario}>
                <caption>{d.scenario}</caption>
                <thead>
                  <tr>
                    <th scope="col">Output</th>
                    {months.map((m) => (
                      <th scope="col" key={m}>
                        {monthLabel(m)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {outputs.map((o) => (
                    <tr key={o}>
                      <th scope="row">{outputLabel(o)}</th>
                      {months.filter((m) => !outcome || readsAt(outcome, o, m)).map((m) => {
                        const x = d.differences.find((y) => y.output === o && y.month === m);
                        return (
                          <td key={m} data-testid={`diff-${(i + 1).toString()}-${o}-${m.toString()}`}>
                            {x ? (
                              <>
                                <strong>{x.contrast ? formatPoints(x.contrast) : formatValue(o, x.median, unitOf(o), true)}</strong>
                                <br />
                                <span className="range">
                                  {bare(formatValue(o, x.p5, '', true))} to {bare(formatValue(o, x.p95, '', true))}
                                </span>
                                {x.contrast && formatRelative(x.contrast) && (
                                  <span className="range" title={`${formatRelative(x.contrast)} to ${d.against}`}>
                                    <br />
                                    {formatRelative(x.contrast).replace(' relative', '')} rel.
                                  </span>
                                )}
                                {x.contrast?.numberNeeded != null && (
                                  // The column's month is the horizon; the full words are in the title.
                                  <span className="range" title={numberNeededText(x.contrast, m)}>
                                    <br />
                                    <abbr title={x.contrast.toTreat ? 'number needed to treat' : 'number needed to harm'}>
                                      {x.contrast.toTreat ? 'NNT' : 'NNH'}
                                    </abbr>{' '}
                                    {x.contrast.numberNeeded.toString()}
                                  </span>
                                )}
                              </>
                            ) : (
                              '—'
                            )}
                          </td>
                        );
                      })}
                      {(() => {
                        // Heart-failure outcomes past MAGGIC's horizon: one cell that says so.
                        const past = outcome ? months.filter((m) => !readsAt(outcome, o, m)).length : 0;
                        return past > 0 ? (
                          <td colSpan={past} className="not-read" data-testid={`diff-${(i + 1).toString()}-${o}-past`}>
                            Not read past {monthLabel(riskMonth)} (MAGGIC’s horizon)
                          </td>
                        ) : null;
                      })()}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
        </section>
        <section aria-labelledby="risk-title" data-testid="risk-panel">
          <h3 id="risk-title">
            {noModel || !outcome
              ? 'Event risk'
              : riskKeys.length > 1
                ? `${riskKeys.map((k, n) => (n === 0 ? riskOutputName(outcome, k) : lowerFirst(riskOutputName(outcome, k)))).join(' and ')} at ${monthLabel(riskMonth)}`
                : riskHeading(outcome, 'event_risk', riskMonth)}
          </h3>
          {noModel || riskKeys.length === 0 ? (
            <p role="note">No outcome is projected for this patient: {first?.eventModel ?? 'no event model applies'}.</p>
          ) : (
            <>
              <Plot
                data={riskBars}
                layout={{
                  yaxis: { title: { text: '% (median, 5–95 % band)' }, rangemode: 'tozero' },
                  showlegend: riskKeys.length > 1,
                  xaxis: { tickangle: 0, automargin: true },
                  legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom' },
                  barmode: 'group',
                  margin: { t: riskKeys.length > 1 ? 40 : 20, r: 16, b: 20, l: 64 },
                }}
                height={280}
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
                  {riskRows.map((row) => (
                    <tr key={row.scenario}>
                      <th scope="row">{row.scenario}</th>
                      {row.values.map((v) => (
                        <td key={v.key}>
                          <strong>{v.p50.toFixed(1)} %</strong>
                          <br />
                          <span className="range">
                            {v.p5.toFixed(1)}–{v.p95.toFixed(1)}
                          </span>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <p className="note">Event model: {first?.eventModel}</p>
        </section>
      </div>
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
                      <td>{formatValue(s.output, s.value, unitOf(s.output), true)}</td>
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
          <p className="note" data-testid="projection-backend">
            Computed on{' '}
            {new Set(comparison.projections.map((p) => p.backend)).size <= 1
              ? first.backend
              : comparison.projections.map((p) => `${p.backend} for ${p.scenario}`).join('; ')}{' '}
            ({first.members.toLocaleString()} members, seed {first.seed.toString()}).
          </p>
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
  const shown = projections.filter((p) => p.learned.available);
  if (shown.length === 0) {
    return <p className="note" data-testid="learned-note">Learned model: {projections[0]?.learned.note ?? 'not run'}</p>;
  }
  return (
    <details className="learned" data-testid="learned-panel">
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
          {p.learned.samples.length > 0 && <SampledPaths projection={p} />}
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
