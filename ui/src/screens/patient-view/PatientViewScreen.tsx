import { useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { LatestValue, OutputBand, ScenarioFile } from '../../api/backend';
import { useCommand, useLongCommand } from '../../api/hooks';
import { formatDate, useDisplay } from '../../app/format';
import { Status } from '../../app/Status';
import { ChooseView, decidedOption, viewOptions } from './ChooseView';
import './patient-view.css';
import { chosenPlan, measuresFor, plainHindcast, rangeAt, YEARS, type LatestBp } from './words';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const TODAY: ScenarioFile = { name: 'Your treatment today', interventions: [] };

/** The latest blood pressure on record (the diastolic only when measured the same day). */
function latestBp(latest: LatestValue[] | undefined): LatestBp | null {
  const sbp = latest?.find((v) => v.key === 'sbp');
  if (!sbp) return null;
  const dbp = latest?.find((v) => v.key === 'dbp' && v.date === sbp.date);
  return { sbp: sbp.value, dbp: dbp?.value ?? null, date: sbp.date };
}

/**
 * For the patient: what the clinician chose (today's treatment, the suggested plan, a modified or
 * saved plan) against today's treatment at 1, 5 and 10 years, in plain words and large type.
 * The clinician chooses on this screen (never printed); until they do, nothing patient-facing is
 * shown. "Preview" hides the clinician's part; "Print" gives a clean handout.
 */
export default function PatientViewScreen() {
  const { id = '' } = useParams();
  const { lipidUnit } = useDisplay();
  const [preview, setPreview] = useState(false);
  const summary = useCommand('patientSummary', { id });
  const view = useCommand('patientView', { id });
  const suggestion = useCommand('suggest', { id, context: {}, members: 500, alternatives: 3 }, { staleTime: Infinity });
  const log = useCommand('auditLog', {});
  const saved = useCommand('savedScenarios', { id }, { staleTime: Infinity });
  const chosen = view.data?.chosen ?? null;
  const bp = latestBp(summary.data?.latest);
  const plan = chosen && (suggestion.data || suggestion.error) ? chosenPlan(chosen.choice, suggestion.data?.suggestion ?? null, bp, suggestion.data?.targets, lipidUnit) : null;
  const scenario = plan?.scenario ?? null;
  // A comparison takes two: today's treatment alone is compared with itself.
  const plans: ScenarioFile[] = scenario ? [TODAY, { ...scenario, name: 'The chosen plan' }] : [TODAY, TODAY];
  const comparison = useLongCommand('compare', plan ? { id, scenarios: plans, ensemble: { months: 120, members: 500, seed: 1 }, context: {} } : null);
  const projections = comparison.data?.projections ?? [];
  const today: OutputBand[] = projections[0]?.outputs ?? [];
  const planBands: OutputBand[] | null = scenario ? (projections[1]?.outputs ?? []) : null;
  const lastTime = plainHindcast(projections[0]?.hindcast);
  // In heart failure the chances (dying, a hospital stay for heart failure) are said apart, over 3 years.
  const rows = measuresFor(projections[0]?.outcome, projections[0]?.eventModel);
  const options = viewOptions(suggestion.data ?? null, log.data?.entries ?? [], id, saved.data ?? []);
  // Opened from a decision just recorded (`?decision=<entry>`): that decision's plan is selected.
  const [params] = useSearchParams();
  const decision = params.get('decision');
  const entry = decision === null ? undefined : log.data?.entries.find((e) => String(e.seq) === decision && e.patientId === id);
  const decided = entry ? decidedOption(options, entry) : null;
  const todayName = scenario ? 'Keeping today’s treatment' : 'Today’s treatment';
  return (
    <section aria-labelledby="pv-title" className={`screen patient-view${preview ? ' pv-preview' : ''}`}>
      {preview ? (
        <p className="no-print pv-preview-bar">
          <strong>Preview: this is what the patient sees.</strong>{' '}
          <button type="button" aria-pressed="true" onClick={() => { setPreview(false); }}>
            Back to your controls
          </button>
        </p>
      ) : (
        <>
          {!chosen && <h1 id="pv-title">Patient view</h1>}
          <Status loading={view.loading && !view.data} error={view.error} what="what the patient view shows" />
          {view.data && <ChooseView key={decided?.key ?? 'none'} id={id} options={options} chosen={chosen} decided={decided} />}
        </>
      )}
      {chosen && (
        <div className="pv-handout" data-testid="patient-view-handout">
          <h1 id="pv-title">Your heart health: what might happen next</h1>
          {summary.data && (
            <p className="pv-who">
              Prepared for {summary.data.name} on {formatDate(summary.data.asOf)}.
            </p>
          )}
          <Status loading={(suggestion.loading && !suggestion.data) || (comparison.loading && projections.length === 0)} error={comparison.error} what="the plans" />
          {plan && (
            <p className="pv-lead" data-testid="patient-view-lead">
              {plan.lead}
            </p>
          )}
          {plan && plan.steps.length > 0 && (
            <ol className="pv-steps" aria-label="The plan, step by step" data-testid="patient-view-steps">
              {plan.steps.map((step) => (
                <li key={step}>{capitalised(step)}.</li>
              ))}
            </ol>
          )}
          {plan?.caution && (
            <p className="pv-caution" data-testid="patient-view-caution">
              {plan.caution}
            </p>
          )}
          {projections.length > 0 && (
            <table className="pv-table" data-testid="patient-view-table">
              <caption>The likely range for someone like you (9 in 10 simulated futures fall inside it)</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  {YEARS.map((y) => (
                    <th key={y} scope="col">
                      In {y} year{y > 1 ? 's' : ''}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.measures.map((m) => (
                  <tr key={m.key}>
                    <th scope="row">{m.name}</th>
                    {YEARS.map((y) => {
                      const a = rangeAt(today, m, y, lipidUnit);
                      const b = planBands ? rangeAt(planBands, m, y, lipidUnit) : null;
                      return (
                        <td key={y}>
                          <div>
                            {todayName}: {a ?? 'not estimated for you'}
                          </div>
                          {planBands && <div className="pv-new">The chosen plan: {b ?? 'not estimated'}</div>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {projections.length > 0 && rows.chances.length > 0 && (
            <table className="pv-table" data-testid="patient-view-chances">
              <caption>Your chances in the next {rows.years} years (9 in 10 simulated futures fall inside the range)</caption>
              <thead>
                <tr>
                  <th scope="col">What</th>
                  <th scope="col">{todayName}</th>
                  {planBands && <th scope="col">The chosen plan</th>}
                </tr>
              </thead>
              <tbody>
                {rows.chances.map((m) => {
                  const a = rangeAt(today, m, rows.years, lipidUnit);
                  const b = planBands ? rangeAt(planBands, m, rows.years, lipidUnit) : null;
                  return (
                    <tr key={m.key}>
                      <th scope="row">{m.name}</th>
                      <td className="pv-chance">{a ?? 'Not estimated for you'}</td>
                      {planBands && <td className="pv-chance pv-new">{b ?? 'Not estimated'}</td>}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {lastTime && (
            <p className="pv-note" data-testid="patient-view-hindcast">
              {lastTime}
            </p>
          )}
          <p className="pv-note">
            These are estimates from a computer model of people with your measurements, not a promise about you. Your doctor and you decide together. Blood pressure is the top number in mmHg.
            {summary.data?.synthetic ? ' Made with made-up (synthetic) demonstration data.' : ''}
          </p>
          <p className="no-print">
            {!preview && (
              <>
                <button type="button" aria-pressed="false" onClick={() => { setPreview(true); }}>
                  Preview as the patient sees it
                </button>{' '}
              </>
            )}
            <button type="button" onClick={() => { window.print(); }}>
              Print or save as PDF
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
