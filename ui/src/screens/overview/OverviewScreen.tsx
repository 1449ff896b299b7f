import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { StaleNotice } from '../../app/StaleNotice';
import { Plot } from '../../charts/Plot';
import { timelineFigure, type Span } from './timelineFigure';

/** The story at a glance: every series, medications and events on one time axis. */
export default function OverviewScreen() {
  const { id = '' } = useParams();
  const timeline = useCommand('timeline', { id });
  const summary = useCommand('patientSummary', { id });
  const [span, setSpan] = useState<Span>('5y');
  // The timeline ends on the consultation day the backend computes for (the session's as-of day).
  const figure = useMemo(
    () => (timeline.data ? timelineFigure(timeline.data, span, new Date(`${timeline.data.asOf}T12:00:00Z`)) : null),
    [timeline.data, span],
  );
  return (
    <section aria-labelledby="overview-title" className="screen">
      <h1 id="overview-title">Overview</h1>
      <StaleNotice freshness={summary.data?.freshness} />
      <div className="toolbar" role="group" aria-label="Time span">
        {(['1y', '5y', 'all'] as const).map((s) => (
          <button key={s} type="button" aria-pressed={span === s} onClick={() => { setSpan(s); }}>
            {s === 'all' ? 'All' : s === '1y' ? '1 year' : '5 years'}
          </button>
        ))}
      </div>
      <Status loading={timeline.loading && !timeline.data} error={timeline.error} what="the timeline" />
      {figure && timeline.data && (
        <Plot
          data={figure.data}
          layout={figure.layout}
          height={figure.height}
          testId="timeline-chart"
          label={`Timeline: ${timeline.data.series.length.toString()} measured series, ${timeline.data.medications.length.toString()} medications`}
        />
      )}
      {summary.data && (
        <div className="columns">
          <section aria-labelledby="latest-title">
            <h2 id="latest-title">Latest values</h2>
            <table className="compact" data-testid="latest-values">
              <thead>
                <tr>
                  <th scope="col">Measurement</th>
                  <th scope="col">Value</th>
                  <th scope="col">Date</th>
                </tr>
              </thead>
              <tbody>
                {summary.data.latest.map((l) => (
                  <tr key={l.key}>
                    <th scope="row">{l.label}</th>
                    <td>
                      {l.value.toFixed(l.value >= 100 ? 0 : 1)} {l.unit}
                    </td>
                    <td>{l.date}</td>
                  </tr>
                ))}
                {[
                  { what: 'Heart rhythm (ECG)', finding: summary.data.rhythm },
                  { what: 'NYHA class', finding: summary.data.functionalClass },
                ].map(({ what, finding }) =>
                  finding ? (
                    <tr key={what}>
                      <th scope="row">{what}</th>
                      <td>{finding.label}</td>
                      <td>{finding.date}</td>
                    </tr>
                  ) : null,
                )}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="meds-title">
            <h2 id="meds-title">Active medications</h2>
            <ul data-testid="active-medications">
              {summary.data.activeMedications.map((m) => (
                <li key={m.source}>
                  {m.display}
                  {m.class ? ` — ${m.class}` : ''}
                  {m.adherence !== null ? ` (${Math.round(m.adherence * 100).toString()}% of days covered)` : ''}
                </li>
              ))}
              {summary.data.activeMedications.length === 0 && <li>None</li>}
            </ul>
            {summary.data.problems.length > 0 && (
              <>
                <h2>Not used from the record</h2>
                <ul>
                  {summary.data.problems.map((p) => (
                    <li key={p.resource}>
                      {p.resource}: {p.reason}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
