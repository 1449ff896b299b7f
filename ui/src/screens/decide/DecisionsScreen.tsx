import { useMemo } from 'react';
import { useParams } from 'react-router';
import type { AlertView, AuditView, CandidateView, EffectView, ExcludedView, OutcomeView, PlanStepView, SuggestionView } from '../../api/backend';
import { formatPoints, formatRelative } from '../scenarios/outputs';
import { isHeartFailure } from '../scenarios/outcome';
import { useCommand, useCommandMutation } from '../../api/hooks';
import { StaleNotice } from '../../app/StaleNotice';
import { Status } from '../../app/Status';
import { SuggestionDecisionForm } from './DecisionForm';
import { WriteBackHistory } from './WriteBackHistory';
import { localTime } from './decisionForm';
import {
  baselineText,
  bySeverity,
  capitalised,
  changeText,
  historyLabel,
  expectedText,
  fhFlagged,
  fhTitle,
  formatEffect,
  laterSteps,
  percent,
  probabilityText,
  riskColumns,
  riskOf,
  riskShort,
  riskText,
  severityOf,
  severityWords,
  statinTitle,
  stepAlerts,
  stepTitle,
  suggestionLabelOf,
  targetLines,
} from './decide';

/**
 * The plan of care: the hazards of today's regimen first, the targets, the plan step by step with
 * what it is projected to do, the alternatives and what is never proposed; the clinician's decision.
 */
export default function DecisionsScreen() {
  const { id = '' } = useParams();
  const suggestion = useCommand('suggest', { id, context: {}, members: 500, alternatives: 3 }, { staleTime: Infinity });
  const log = useCommand('auditLog', {});
  const s = suggestion.data;
  return (
    <section aria-labelledby="decide-title" className="screen decide">
      <h1 id="decide-title">Suggestion and decision</h1>
      <Status loading={suggestion.loading && !s} error={suggestion.error} what="the suggestion" />
      {s && <CurrentAlerts alerts={s.alerts} rules={s.rules.length} />}
      {s && <StaleNotice freshness={s.freshness} />}
      {s && <Targets s={s} />}
      {s && <SuggestionPanel s={s} />}
      {s && <Alternatives s={s} />}
      {s && <NeverProposed excluded={s.excluded} rules={s.rules} />}
      {s && <p className="note">{s.disclaimer} Engine {s.engineVersion}.</p>}
      {s && <SuggestionDecisionForm id={id} s={s} />}
      <History id={id} entries={log.data?.entries ?? []} check={log.data?.check ?? null} loading={log.loading} error={log.error?.message ?? null} />
      <WriteBackHistory id={id} writeBacks={log.data?.writeBacks ?? []} />
    </section>
  );
}

// Glyphs the usual system fonts carry (no emoji): the words say the severity, the glyph repeats it.
const ICON = { contraindicated: '✖', caution: '⚠', info: 'ℹ' } as const;

/** One rule's finding: the severity in words (and an icon, never colour alone), the message, the monitoring, the source. */
function Finding({ a, compact = false }: { a: AlertView; compact?: boolean }) {
  const severity = severityOf(a);
  const body = (
    <>
      <strong className={`severity severity-${severity}`}>
        <span aria-hidden="true">{ICON[severity]} </span>
        {severityWords(a)}
      </strong>{' '}
      <span className="message">{a.message}</span>
      {a.monitoring && (
        <>
          {compact ? ' — ' : <br />}
          <span className="monitoring">Monitoring: {a.monitoring}</span>
        </>
      )}
      {!compact && (
        <>
          <br />
          <span className="source">Source: {a.source}</span>
        </>
      )}
      {compact && <span className="source"> ({a.source})</span>}
    </>
  );
  return (
    <li className={`finding finding-${severity}`} data-testid="finding" data-severity={severity}>
      {/* A contraindication in the regimen on record is announced; the rest are read in order. */}
      {severity === 'contraindicated' && a.appliesTo === 'current' ? <div role="alert">{body}</div> : body}
    </li>
  );
}

/** The hazards of the regimen on record, before anything else. */
function CurrentAlerts({ alerts, rules }: { alerts: AlertView[]; rules: number }) {
  const sorted = bySeverity(alerts);
  const worst = sorted[0] ? severityOf(sorted[0]) : null;
  return (
    <section aria-labelledby="current-alerts-title" className={`current-alerts${worst ? ` current-alerts-${worst}` : ''}`} data-testid="current-alerts">
      <h2 id="current-alerts-title">
        {worst && <span aria-hidden="true">{ICON[worst]} </span>}
        Alerts in today’s regimen
      </h2>
      {sorted.length === 0 ? (
        <p className="note">None: the regimen on record passes all {rules.toString()} safety rules.</p>
      ) : (
        <ul className="findings">
          {sorted.map((a, n) => (
            <Finding key={`${a.rule}-${n.toString()}`} a={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The targets with their sources, whether a statin is indicated, and the FH score. */
function Targets({ s }: { s: SuggestionView }) {
  const t = targetLines(s.targets);
  const fh = s.fh;
  return (
    <section aria-labelledby="targets-title" className="panel targets" data-testid="targets">
      <h2 id="targets-title">Targets and indications</h2>
      <dl className="facts">
        <dt>Blood pressure</dt>
        <dd>
          {t.bp}: {s.targets.bpReason}
          <span className="note source-line">Source: {s.targets.bpSource}.</span>
        </dd>
        <dt>LDL-C</dt>
        <dd>
          {t.ldl}: {s.targets.ldlReason}
          <span className="note source-line">Source: {s.targets.ldlSource}.</span>
        </dd>
        <dt>{statinTitle(s.statin)}</dt>
        <dd data-testid="statin">
          {s.statin.reason}
          <span className="note source-line">Source: {s.statin.source}.</span>
        </dd>
        {fh && (
          <>
            <dt>Familial hypercholesterolaemia</dt>
            <dd data-testid="fh">
              {fhFlagged(fh) ? (
                <span className="fh-flag">
                  <span aria-hidden="true">⚠ </span>
                  <strong>{fhTitle(fh)}</strong>: assess (family history, examination, genetic testing).
                </span>
              ) : (
                <span>
                  {capitalised(fh.category)} (Dutch Lipid Clinic Network score {fh.dlcnPoints.toString()})
                </span>
              )}{' '}
              <span className="note">
                Scored: {fh.because.join('; ')}. Not in the record: {fh.notScored.join('; ')}.
              </span>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

/** One step of the plan: when, the changes, the checks, the cautions and notes of the rules. */
function Step({ step, n }: { step: PlanStepView; n: number }) {
  const { cautions, notes } = stepAlerts(step);
  const expected = expectedText(step.expected);
  return (
    <li className="plan-step" data-testid="plan-step">
      <h4>
        <span className="step-number">Step {n.toString()}:</span> {stepTitle(step)}
      </h4>
      <ul className="plan-changes" data-testid="plan-changes">
        {step.changes.map((c, k) => (
          <li key={`${c.action}-${k.toString()}`} data-action={c.action}>
            {changeText(c)}
          </li>
        ))}
      </ul>
      {step.singlePill && <p className="plan-single-pill">Or {step.singlePill}.</p>}
      {step.checks.length > 0 && (
        <div className="plan-checks">
          <span className="label">Checks:</span>
          <ul>
            {step.checks.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      {expected && (
        <p className="plan-expected">
          <span className="label">Expected from its drugs:</span> {expected}
        </p>
      )}
      {cautions.length > 0 && (
        <ul className="findings" aria-label={`Cautions of step ${n.toString()}`}>
          {cautions.map((a, k) => (
            <Finding key={`${a.rule}-${k.toString()}`} a={a} compact />
          ))}
        </ul>
      )}
      <p className="note why">Why: {step.why}</p>
      {notes.length > 0 && <p className="note why">Rule notes: {notes.map((a) => a.message).join('; ')}.</p>}
    </li>
  );
}

function EffectsTable({ current, candidate, months }: { current: CandidateView; candidate: CandidateView | null; months: number }) {
  const rows = current.effects.map((c) => ({ c, s: candidate?.effects.find((e) => e.output === c.output) ?? null }));
  return (
    <table className="compact effects" data-testid="suggestion-effects">
      <caption>
        Projected at {months.toString()} months{candidate ? ', the plan followed with its reviews' : ''}: median (5–95 % of simulated courses)
      </caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Today&apos;s treatment</th>
          {candidate && <th scope="col">This plan</th>}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ c, s }: { c: EffectView; s: EffectView | null }) => (
          <tr key={c.output}>
            <th scope="row">{c.label}</th>
            <td>{formatEffect(c)}</td>
            {candidate && <td>{s ? formatEffect(s) : '—'}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SuggestionPanel({ s }: { s: SuggestionView }) {
  const shown = s.suggestion;
  const months = s.settings.months;
  return (
    <section className="panel" data-testid="suggestion" aria-labelledby="plan-title">
      <h2 id="plan-title">
        {s.outcome === 'suggested' && shown
          ? 'Suggested plan'
          : s.outcome === 'noneReaches' && shown
            ? `No plan reaches every target: the plan that lowers ${isHeartFailure(s.eventOutcome) ? 'the risk of death' : 'event risk'} most`
            : 'No change suggested'}
      </h2>
      <p className="lead">{s.headline}</p>
      <div className="plan-grid">
        <div>
          {shown && (
            <>
              <h3 id="plan-steps-title">The plan, step by step</h3>
              <ol className="plan-steps" aria-labelledby="plan-steps-title" data-testid="plan-steps">
                {shown.plan.map((step, n) => (
                  <Step key={`${step.month.toString()}-${n.toString()}`} step={step} n={n + 1} />
                ))}
              </ol>
            </>
          )}
          <h3>Why this plan</h3>
          <p data-testid="suggestion-why">{s.why}</p>
        </div>
        <div>
          <h3>What it is projected to do</h3>
          <EffectsTable current={s.current} candidate={shown} months={months} />
          {shown && (
            <p data-testid="suggestion-probability">
              {s.eventOutcome.kind === 'heart_failure'
                ? `Heart-failure plans are judged on death from any cause and HF hospitalisation at ${s.eventOutcome.horizonYears.toString()} years, not on BP or LDL-C targets (projected BP and heart rate are above).`
                : probabilityText(shown, s.current, months)}
            </p>
          )}
          {isHeartFailure(s.eventOutcome) && (shown?.risk ?? s.current.risk) ? (
            <OutcomesTable s={s} outcome={s.eventOutcome} />
          ) : shown?.risk ? (
            <p data-testid="suggestion-risk">{riskText(shown.risk, s.eventOutcome)}.</p>
          ) : s.current.risk ? (
            <p data-testid="suggestion-risk">{baselineText(s.current.risk, s.eventOutcome)}.</p>
          ) : (
            <p className="note" data-testid="suggestion-risk">{s.riskNote ?? 'No event-risk figure for this patient.'}</p>
          )}
        </div>
      </div>
    </section>
  );
}

/**
 * Heart failure: death from any cause and a first HF hospitalisation at MAGGIC's horizon, today's
 * treatment against the plan, the change with its band, relative size and number needed to treat.
 */
function OutcomesTable({ s, outcome }: { s: SuggestionView; outcome: OutcomeView }) {
  const shown = s.suggestion;
  const rows = riskColumns(outcome).map(({ key, title }) => ({
    key,
    title: title.replace(/, \d+ years$/, ''),
    plan: shown ? riskOf(shown, key) : null,
    today: riskOf(s.current, key),
  }));
  const years = outcome.horizonYears.toString();
  return (
    <>
      <table className="compact effects" data-testid="suggestion-risk">
        <caption>
          Outcomes within {years} years{shown ? ', the plan followed with its reviews' : ''} (MAGGIC with the trial effects of heart-failure therapy): median; change with 5–95 % of simulated courses
        </caption>
        <thead>
          <tr>
            <th scope="col">Outcome</th>
            <th scope="col">Today&apos;s treatment</th>
            {shown && <th scope="col">This plan</th>}
            {shown && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map(({ key, title, plan, today }) => {
            const base = plan ?? today;
            const relative = plan ? formatRelative(plan.contrast) : '';
            return (
              <tr key={key} data-testid={`outcome-${key}`}>
                <th scope="row">{title}</th>
                <td>{base ? `${base.current.toFixed(1)} %` : '—'}</td>
                {shown && <td>{plan ? `${plan.candidate.toFixed(1)} %` : '—'}</td>}
                {shown && (
                  <td>
                    {plan ? (
                      <>
                        <strong>{formatPoints(plan.contrast)}</strong> ({(-plan.reductionP95).toFixed(1)} to {(-plan.reductionP05).toFixed(1)})
                        {relative && (
                          <>
                            <br />
                            {relative}
                          </>
                        )}
                        {plan.contrast.numberNeeded !== null && (
                          <>
                            <br />
                            <abbr title={plan.contrast.toTreat ? 'number needed to treat' : 'number needed to harm'}>{plan.contrast.toTreat ? 'NNT' : 'NNH'}</abbr> {plan.contrast.numberNeeded.toString()} over {years} years
                          </>
                        )}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** The next plans, compactly. */
function Alternatives({ s }: { s: SuggestionView }) {
  if (s.alternatives.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="alternatives-title" data-testid="alternatives">
      <h2 id="alternatives-title">Alternatives</h2>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">First step</th>
            <th scope="col">Then</th>
            <th scope="col">At every target</th>
            {riskColumns(s.eventOutcome).map((c) => (
              <th scope="col" key={c.key}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {s.alternatives.map((a, n) => (
            <tr key={`${a.label}-${n.toString()}`}>
              <th scope="row">{a.plan[0]?.changes.map(changeText).join('; ') ?? a.label}</th>
              <td>{laterSteps(a)}</td>
              <td>{percent(a.probability)}</td>
              {riskColumns(s.eventOutcome).map((c) => (
                <td key={c.key}>{riskShort(riskOf(a, c.key))}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Changes the rules forbid, with the rule's message and source; and every rule applied. */
function NeverProposed({ excluded, rules }: { excluded: ExcludedView[]; rules: SuggestionView['rules'] }) {
  return (
    <section className="panel" aria-labelledby="excluded-title" data-testid="safety-excluded">
      <h2 id="excluded-title">Never proposed</h2>
      {excluded.length === 0 ? (
        <p className="note">No change was ruled out for this patient.</p>
      ) : (
        <ul className="excluded">
          {excluded.map((x, n) => (
            <li key={`${x.label}-${n.toString()}`}>
              <strong>{capitalised(x.label)}</strong>
              <ul className="findings">
                {bySeverity(x.alerts).map((a, k) => (
                  <Finding key={`${a.rule}-${k.toString()}`} a={a} compact />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>The {rules.length.toString()} safety rules checked</summary>
        <ul className="rules">
          {rules.map((r) => (
            <li key={r.id}>
              <strong>{capitalised(r.severity)}</strong>: {r.text} <span className="note">({r.source})</span>
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}

function History({ id, entries, check, loading, error }: { id: string; entries: AuditView[]; check: { intact: boolean; nGood: bigint | number; problem: string | null } | null; loading: boolean; error: string | null }) {
  const mine = useMemo(() => entries.filter((e) => e.patientId === id).reverse(), [entries, id]);
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="decision-history">
      <h2 id="history-title">Decision history</h2>
      {error && <p className="error" role="alert">The audit log could not be read: {error}</p>}
      {loading && !check && <p aria-busy="true">Reading the audit log…</p>}
      {check && (
        <p data-testid="audit-verify" className={check.intact ? 'note' : 'warning'}>
          {check.intact ? `Audit log verified: ${String(check.nGood)} entries, hash chain intact.` : `Audit log check failed: ${check.problem ?? 'unknown problem'}.`}
        </p>
      )}
      <ExportAudit />
      {mine.length === 0 ? (
        <p className="note">No decisions recorded for this patient yet.</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">When</th>
              <th scope="col">Decision</th>
              <th scope="col">Suggestion</th>
              <th scope="col">Reason</th>
              <th scope="col">Who</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((e) => (
              <tr key={String(e.seq)}>
                <td>{String(e.seq)}</td>
                <td>{localTime(e.time)}</td>
                <th scope="row">{historyLabel(e.decision, e.modification)}</th>
                <td>{suggestionLabelOf(e.suggestion)}</td>
                <td>{e.reason ?? '—'}</td>
                <td>{e.user}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Saves the whole log as a FHIR Bundle of AuditEvent and Provenance resources. */
function ExportAudit() {
  const exporter = useCommandMutation('exportAudit');
  const save = () => {
    exporter.mutate(
      {},
      {
        onSuccess: (result) => {
          const url = URL.createObjectURL(new Blob([result.bundle], { type: 'application/fhir+json' }));
          const a = document.createElement('a');
          a.href = url;
          a.download = 'cardiotwin-audit-fhir.json';
          a.click();
          URL.revokeObjectURL(url);
        },
      },
    );
  };
  return (
    <p>
      <button type="button" onClick={save} disabled={exporter.isPending}>Export the log as FHIR AuditEvent/Provenance</button>
      {exporter.data && <span role="status" data-testid="audit-exported"> Exported {exporter.data.entries} entries.</span>}
      {exporter.error && <span className="error" role="alert"> {exporter.error.message}</span>}
    </p>
  );
}
