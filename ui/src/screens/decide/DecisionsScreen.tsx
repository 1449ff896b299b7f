import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { AuditView, CandidateView, DecisionChoice, EffectView, SuggestionView } from '../../api/backend';
import { useCommand, useCommandMutation } from '../../api/hooks';
import { StaleNotice } from '../../app/StaleNotice';
import { Status } from '../../app/Status';
import { formatContrast, numberNeededText } from '../scenarios/outputs';
import { decisionLabel, formatEffect, modificationLabel, needsReason, shortName, suggestionLabelOf } from './decide';

/** The suggested regimen, why, what it would do, the safety checks; the clinician's decision. */
export default function DecisionsScreen() {
  const { id = '' } = useParams();
  const suggestion = useCommand('suggest', { id, context: {}, members: 500, alternatives: 3 }, { staleTime: Infinity });
  const log = useCommand('auditLog', {});
  const s = suggestion.data;
  return (
    <section aria-labelledby="decide-title" className="screen">
      <h1 id="decide-title">Suggestion and decision</h1>
      <Status loading={suggestion.loading && !s} error={suggestion.error} what="the suggestion" />
      {s && <StaleNotice freshness={s.freshness} />}
      {s && <SuggestionPanel s={s} />}
      {s && <DecisionForm id={id} s={s} />}
      <History id={id} entries={log.data?.entries ?? []} check={log.data?.check ?? null} loading={log.loading} error={log.error?.message ?? null} />
    </section>
  );
}

function EffectsTable({ current, candidate }: { current: CandidateView; candidate: CandidateView | null }) {
  const rows = current.effects.map((c) => ({ c, s: candidate?.effects.find((e) => e.output === c.output) ?? null }));
  return (
    <table className="compact" data-testid="suggestion-effects">
      <caption>Projected at {6} months: median (5–95% of simulated courses)</caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col">Today&apos;s treatment</th>
          {candidate && <th scope="col">{candidate.label}</th>}
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
  return (
    <div className="panel" data-testid="suggestion">
      <h2>
        {s.outcome === 'suggested' && shown
          ? `Suggested: ${shown.label}`
          : s.outcome === 'noneReaches' && shown
            ? `No regimen reaches every target; closest: ${shown.label}`
            : 'No change suggested'}
      </h2>
      <p className="lead">{s.headline}</p>
      <ul className="note">
        <li>Blood pressure target: {s.targets.bpReason}</li>
        <li>LDL-C target: {s.targets.ldlReason}</li>
      </ul>
      <EffectsTable current={s.current} candidate={shown} />
      {shown && (
        <p>
          At every target in <strong>{(shown.probability * 100).toFixed(0)}%</strong> of simulated courses (BP {(shown.probabilityBp * 100).toFixed(0)}%, LDL-C {(shown.probabilityLdl * 100).toFixed(0)}%), against {(s.current.probability * 100).toFixed(0)}% on today&apos;s treatment.
        </p>
      )}
      {shown?.risk ? (
        <p data-testid="suggestion-risk">
          {shown.risk.years.toString()}-year event risk {shown.risk.current.toFixed(1)}% → {shown.risk.candidate.toFixed(1)}%: {formatContrast(shown.risk.contrast)} (5–95%: {(-shown.risk.reductionP95).toFixed(1)} to {(-shown.risk.reductionP05).toFixed(1)} pp)
          {numberNeededText(shown.risk.contrast, shown.risk.years * 12) && `; ${numberNeededText(shown.risk.contrast, shown.risk.years * 12)}`}.
        </p>
      ) : (
        <p className="note" data-testid="suggestion-risk">{s.riskNote ?? 'No event-risk figure for this patient.'}</p>
      )}
      <h3>Why this one</h3>
      <p data-testid="suggestion-why">{s.why}</p>
      <div className="columns">
        <section aria-labelledby="safety-title">
          <h3 id="safety-title">Safety checks</h3>
          {shown && shown.passed.length > 0 && (
            <ul data-testid="safety-passed">
              {shown.passed.map((r) => (
                <li key={r.id}>
                  Passed: {r.text} <span className="note">({r.source})</span>
                </li>
              ))}
            </ul>
          )}
          {shown && shown.flags.length > 0 && (
            <ul>
              {shown.flags.map((f) => (
                <li key={`${f.rule.id}-${f.class}`} className="warning">
                  Flag: {f.rule.text} — {f.because}
                </li>
              ))}
            </ul>
          )}
          {s.excluded.length > 0 && (
            <>
              <p>Excluded by a safety limit:</p>
              <ul data-testid="safety-excluded">
                {s.excluded.map((x) => (
                  <li key={x.label}>
                    {x.label}: {x.findings.map((f) => `${f.rule.text} (${f.because})`).join('; ')}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        <section aria-labelledby="alternatives-title">
          <h3 id="alternatives-title">Runners-up</h3>
          <ul>
            {s.alternatives.map((a) => (
              <li key={a.label}>
                {a.label}: at every target in {(a.probability * 100).toFixed(0)}% of courses
              </li>
            ))}
          </ul>
        </section>
      </div>
      <p className="note">{s.disclaimer} Engine {s.engineVersion}.</p>
    </div>
  );
}

function DecisionForm({ id, s }: { id: string; s: SuggestionView }) {
  const ids = { reason: useId(), modification: useId() };
  const navigate = useNavigate();
  const [decision, setDecision] = useState<DecisionChoice>('accepted');
  const [reason, setReason] = useState('');
  const [modification, setModification] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const decide = useCommandMutation('decideSuggestion', ['auditLog']);
  // A modification is a scenario the clinician edits: the saved scenarios are the choices, and
  // the suggestion can be saved as one to start from.
  const saved = useCommand('savedScenarios', { id }, { staleTime: Infinity });
  const save = useCommandMutation('saveScenario', [], { command: 'savedScenarios', args: (a) => ({ id: a.id }) });
  const editSuggestion = () => {
    if (!s.suggestion) return;
    const scenario = { ...s.suggestion.scenario, name: shortName(`Modified: ${s.suggestion.label}`) };
    save.mutate({ id, scenario }, { onSuccess: () => { void navigate(`/patient/${encodeURIComponent(id)}/scenarios`); } });
  };
  const submit = (e: SyntheticEvent) => {
    e.preventDefault();
    if (needsReason(decision) && reason.trim() === '') {
      setProblem('Give a reason: the log records why a suggestion was modified or declined.');
      return;
    }
    if (decision === 'modified' && modification.trim() === '') {
      setProblem('Choose the scenario you chose instead (or edit the suggestion as one).');
      return;
    }
    setProblem(null);
    decide.mutate({
      id,
      suggestionJson: JSON.stringify(s),
      decision,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(decision === 'modified' ? { modification: modification.trim() } : {}),
    });
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="decision-title" data-testid="decision-form">
      <h2 id="decision-title">Your decision</h2>
      <fieldset>
        <legend>Decision on {s.suggestion?.label ?? 'today’s treatment'}</legend>
        {(['accepted', 'modified', 'declined'] as const).map((d) => (
          <label key={d} className="check">
            <input type="radio" name="decision" value={d} checked={decision === d} onChange={() => { setDecision(d); }} /> {decisionLabel(d)}
          </label>
        ))}
      </fieldset>
      {decision === 'modified' && (
        <div className="field">
          <label htmlFor={ids.modification}>The regimen you chose instead (a saved scenario)</label>
          <select id={ids.modification} value={modification} onChange={(e) => { setModification(e.target.value); }}>
            <option value="">Choose a scenario…</option>
            {(saved.data ?? []).map((sc) => (
              <option key={sc.name} value={JSON.stringify(sc)}>{sc.name}</option>
            ))}
          </select>
          <p className="note">
            <button type="button" onClick={editSuggestion} disabled={!s.suggestion || save.isPending}>Edit the suggestion as a new scenario</button> (opens the scenario builder; come back here to record it)
          </p>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.reason}>Reason{needsReason(decision) ? ' (required)' : ' (optional)'}</label>
        <textarea id={ids.reason} value={reason} onChange={(e) => { setReason(e.target.value); }} rows={3} cols={60} />
      </div>
      {problem && <p className="invalid" role="alert">{problem}</p>}
      {decide.error && <p className="error" role="alert">{decide.error.message}</p>}
      <p>
        <button type="submit" disabled={decide.isPending}>Record decision</button>{' '}
        <Link to={`/patient/${encodeURIComponent(id)}/scenarios`}>Edit a scenario instead</Link>
      </p>
      {decide.data && (
        <p role="status" data-testid="decision-recorded">
          Recorded as entry {String(decide.data.seq)} of the audit log ({decisionLabel(decide.data.decision)}), hash {decide.data.hash.slice(0, 12)}…
        </p>
      )}
    </form>
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
                <td>{e.time}</td>
                <th scope="row">{decisionLabel(e.decision)}{e.modification ? `: ${modificationLabel(e.modification)}` : ''}</th>
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
