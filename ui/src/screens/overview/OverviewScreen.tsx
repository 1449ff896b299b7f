import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { useCommand, useLongCommand } from '../../api/hooks';
import { formatDate, useDisplay } from '../../app/format';
import { Status } from '../../app/Status';
import { StaleNotice } from '../../app/StaleNotice';
import { Plot } from '../../charts/Plot';
import { CURRENT } from '../scenarios/interventions';
import { ChangesSinceFetch } from './ChangesSinceFetch';
import { HomeBpPanel } from './HomeBpPanel';
import { HomeImport } from './HomeImport';
import { LabTable } from './LabTable';
import { LatestValues } from './LatestValues';
import { MedicationList } from './MedicationList';
import { timelineFigure, type Span } from './timelineFigure';
import './overview.css';

/** How far the overview projects today's treatment. */
const PROJECTION_MONTHS = 24;

/**
 * "How is she doing": the latest values against her targets and the medications first, then
 * every series, dose and event on one time axis, then the laboratory results with their history.
 */
export default function OverviewScreen() {
  const { id = '' } = useParams();
  const timeline = useCommand('timeline', { id });
  const summary = useCommand('patientSummary', { id });
  const { lipidUnit } = useDisplay();
  const [span, setSpan] = useState<Span>('5y');
  // Today's treatment projected two years on, joined to the observed SBP and LDL-C; a modest
  // ensemble, since it only draws a continuation (the scenario screens run the full one).
  const projection = useLongCommand('simulate', id ? { id, scenario: CURRENT, ensemble: { months: PROJECTION_MONTHS, members: 200, seed: 1 }, context: {} } : null);
  // The timeline ends on the consultation day the backend computes for (the session's as-of day).
  const figure = useMemo(
    () =>
      timeline.data
        ? timelineFigure(timeline.data, span, new Date(`${timeline.data.asOf}T12:00:00Z`), lipidUnit, projection.data ?? null)
        : null,
    [timeline.data, span, lipidUnit, projection.data],
  );
  const t = timeline.data;
  return (
    <section aria-labelledby="overview-title" className="screen overview">
      <h1 id="overview-title">Overview{t ? ` on ${formatDate(t.asOf)}` : ''}</h1>
      <Status loading={timeline.loading && !t} error={timeline.error} what="the timeline" />
      {id && <ChangesSinceFetch id={id} />}
      {t && (
        <div className="overview-top">
          <LatestValues
            series={t.series}
            targets={t.targets}
            ranges={t.referenceRanges}
            freshness={summary.data?.freshness}
            findings={[
              { what: 'Heart rhythm (ECG)', finding: summary.data?.rhythm ?? null },
              { what: 'NYHA class', finding: summary.data?.functionalClass ?? null },
            ]}
          />
          <MedicationList medications={t.medications} asOf={t.asOf} />
          {t.homeBp && <HomeBpPanel home={t.homeBp} series={t.series} />}
          {summary.data && <HomeImport patientId={id} patientName={summary.data.name} />}
        </div>
      )}
      <StaleNotice freshness={summary.data?.freshness} />
      {figure && t && (
        <section aria-labelledby="timeline-title">
          <div className="timeline-head">
            <h2 id="timeline-title">Timeline</h2>
            <div className="toolbar" role="group" aria-label="Time span">
              {(['1y', '5y', 'all'] as const).map((s) => (
                <button key={s} type="button" aria-pressed={span === s} onClick={() => { setSpan(s); }}>
                  {s === 'all' ? 'All' : s === '1y' ? '1 year' : '5 years'}
                </button>
              ))}
            </div>
            <p className="hint">
              Dashed lines: the patient's targets. Vertical lines: procedures (dashed) and diagnoses (dotted).{' '}
              {projection.data
                ? `After today: SBP and LDL-C projected ${PROJECTION_MONTHS.toString()} months under today's treatment (median, 5–95% band).`
                : projection.error
                  ? `No projection: ${projection.error.message}`
                  : projection.loading
                    ? 'Projecting today’s treatment…'
                    : ''}
            </p>
          </div>
          <Plot
            data={figure.data}
            layout={figure.layout}
            height={figure.height}
            testId="timeline-chart"
            label={`Timeline: ${t.series.length.toString()} measured series, ${t.medications.length.toString()} medications`}
          />
        </section>
      )}
      {t && <LabTable series={t.series} targets={t.targets} ranges={t.referenceRanges} />}
      {summary.data && summary.data.problems.length > 0 && (
        <section aria-labelledby="unused-title">
          <h2 id="unused-title">Not used from the record</h2>
          <ul>
            {summary.data.problems.map((p) => (
              <li key={p.resource}>{p.reason}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
