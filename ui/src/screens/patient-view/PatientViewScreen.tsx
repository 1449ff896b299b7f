import { useParams } from 'react-router';
import type { OutputBand, ScenarioFile } from '../../api/backend';
import { useCommand, useLongCommand } from '../../api/hooks';
import { Status } from '../../app/Status';
import { chosenPlan, measuresFor, plainHindcast, rangeAt, YEARS } from './words';

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const TODAY: ScenarioFile = { name: 'Your treatment today', interventions: [] };

/**
 * For the patient: today's plan against the chosen plan at 1, 5 and 10 years, in plain words and
 * large type, printable ("Save as PDF" from the print dialog).
 */
export default function PatientViewScreen() {
  const { id = '' } = useParams();
  const summary = useCommand('patientSummary', { id });
  const suggestion = useCommand('suggest', { id, context: {}, members: 500, alternatives: 3 }, { staleTime: Infinity });
  const log = useCommand('auditLog', {});
  // The audit log may be unavailable (no keychain): then the suggestion stands, undecided.
  const logDone = log.data !== undefined || log.error !== null;
  const plan = suggestion.data && logDone ? chosenPlan(log.data?.entries ?? [], id, suggestion.data.suggestion) : null;
  const chosen = plan?.scenario ?? null;
  const plans: ScenarioFile[] = chosen ? [TODAY, { ...chosen, name: 'The new plan' }] : [TODAY, TODAY];
  const comparison = useLongCommand(
    'compare',
    plan ? { id, scenarios: plans, ensemble: { months: 120, members: 500, seed: 1 }, context: {} } : null,
  );
  const projections = comparison.data?.projections ?? [];
  const today: OutputBand[] = projections[0]?.outputs ?? [];
  const planBands: OutputBand[] | null = chosen ? (projections[1]?.outputs ?? []) : null;
  const lastTime = plainHindcast(projections[0]?.hindcast);
  // In heart failure the chances (dying, a hospital stay for heart failure) are said apart, over 3 years.
  const rows = measuresFor(projections[0]?.outcome);
  return (
    <section aria-labelledby="pv-title" className="screen patient-view">
      <h1 id="pv-title">Your heart health: what might happen next</h1>
      {summary.data && <p className="pv-who">Prepared for {summary.data.name} on {new Date(`${summary.data.asOf}T12:00:00Z`).toLocaleDateString()}.</p>}
      <Status loading={(suggestion.loading && !suggestion.data) || (comparison.loading && projections.length === 0)} error={suggestion.error ?? comparison.error} what="the plans" />
      {plan && <p className="pv-lead" data-testid="patient-view-lead">{plan.lead}</p>}
      {plan && plan.steps.length > 0 && (
        <ol className="pv-steps" aria-label="The plan, step by step" data-testid="patient-view-steps">
          {plan.steps.map((step) => (
            <li key={step}>{capitalised(step)}.</li>
          ))}
        </ol>
      )}
      {projections.length > 0 && (
        <table className="pv-table" data-testid="patient-view-table">
          <caption>The likely range for someone like you (9 in 10 simulated futures fall inside it)</caption>
          <thead>
            <tr>
              <th scope="col">What</th>
              {YEARS.map((y) => (
                <th key={y} scope="col">In {y} year{y > 1 ? 's' : ''}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.measures.map((m) => (
              <tr key={m.key}>
                <th scope="row">{m.name}</th>
                {YEARS.map((y) => {
                  const a = rangeAt(today, m, y);
                  const b = planBands ? rangeAt(planBands, m, y) : null;
                  return (
                    <td key={y}>
                      {a ? <div>Today&apos;s plan: {a}</div> : <div>Not estimated for you</div>}
                      {planBands && (b ? <div className="pv-new">New plan: {b}</div> : <div>New plan: not estimated</div>)}
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
              <th scope="col">Today&apos;s plan</th>
              {planBands && <th scope="col">New plan</th>}
            </tr>
          </thead>
          <tbody>
            {rows.chances.map((m) => {
              const a = rangeAt(today, m, rows.years);
              const b = planBands ? rangeAt(planBands, m, rows.years) : null;
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
      </p>
      <p className="no-print">
        <button type="button" onClick={() => { window.print(); }}>Print or save as PDF</button>
      </p>
    </section>
  );
}
