import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useParams } from 'react-router';
import type { AuditView, CandidateView, LatestValue, SuggestionView } from '../../api/backend';
import { useCommand, useCommandMutation } from '../../api/hooks';
import { formatDate, formatDateTime, formatLipid, useDisplay, type LipidUnit } from '../../app/format';
import { Status } from '../../app/Status';
import { chosenLabel } from '../patient-view/ChooseView';
import '../patient-view/patient-view.css';
import { formatEffect, historyLabel, riskColumns, riskOf, riskShort } from './decide';

const LIPIDS = ['tc', 'ldl', 'hdl', 'total_cholesterol', 'ldl_c', 'hdl_c'];

/** A latest value as the clinician reads it: cholesterol in their unit, the rest as recorded. */
export function latestText(v: LatestValue, unit: LipidUnit): string {
  if (v.unit === 'mmol/L' && (LIPIDS.includes(v.key) || /cholesterol/i.test(v.label))) return formatLipid(v.value, unit);
  const digits = Number.isInteger(v.value) ? 0 : Math.abs(v.value) < 10 ? 1 : 0;
  return `${v.value.toFixed(digits)} ${v.unit}`.trim();
}

/** A list in two halves (the first the longer), for two tables side by side. */
function halves<T>(items: T[]): T[][] {
  const cut = Math.ceil(items.length / 2);
  return [items.slice(0, cut), items.slice(cut)].filter((h) => h.length > 0);
}

/** "Declined. ", "Modified: … " : a label ended once, whatever it ends with. */
const sentence = (label: string) => (/[.…]$/.test(label) ? label : `${label}.`);

/** This patient's latest decision in the log. */
export function latestDecision(entries: AuditView[], id: string): AuditView | null {
  return [...entries].reverse().find((e) => e.patientId === id) ?? null;
}

/**
 * A plan's name in the table: its first step, and how many steps follow. The figures are the whole
 * plan's at the check month, so plans that start differently but titrate to the same regimen read
 * alike; the name must say so, or "start atorvastatin" would seem to lower BP.
 */
export function planName(prefix: string, c: CandidateView): string {
  const later = c.plan.length - 1;
  if (later < 1) return `${prefix}: ${c.label}`;
  return `${prefix}: ${c.label}, then ${later.toString()} review step${later === 1 ? '' : 's'} (figures for the whole plan)`;
}

/** The plans the decision screen compared: today's treatment, the suggestion, the alternatives. */
function comparedPlans(s: SuggestionView): { name: string; c: CandidateView }[] {
  return [
    { name: 'Today’s treatment', c: s.current },
    ...(s.suggestion ? [{ name: planName('Suggested', s.suggestion), c: s.suggestion }] : []),
    ...s.alternatives.map((c, n) => ({ name: planName(`Alternative ${(n + 1).toString()}`, c), c })),
  ];
}

/**
 * One page for the clinician and the notes: the record's key values (latest, with dates), the
 * plans compared with their bands, the decision and its reason, what the patient was shown, and
 * the engine and model that produced it. Printed (or saved as PDF) from the browser; filed in the
 * EHR as a consult note after the clinician confirms the server and the patient.
 */
export default function SummaryScreen() {
  const { id = '' } = useParams();
  const { lipidUnit } = useDisplay();
  const summary = useCommand('patientSummary', { id });
  const suggestion = useCommand('suggest', { id, context: {}, members: 500, alternatives: 3 }, { staleTime: Infinity });
  const log = useCommand('auditLog', {});
  const view = useCommand('patientView', { id });
  const p = summary.data;
  const s = suggestion.data;
  const entry = latestDecision(log.data?.entries ?? [], id);
  const page = useRef<HTMLDivElement>(null);
  const columns = riskColumns(s?.eventOutcome);
  const effects = s?.current.effects.map((e) => e.label) ?? [];
  return (
    <section aria-labelledby="summary-title" className="screen summary" data-testid="clinician-summary">
      <div ref={page}>
        <h1 id="summary-title">Clinician summary{p ? `: ${p.name}` : ''}</h1>
        <Status loading={(summary.loading && !p) || (suggestion.loading && !s)} error={summary.error ?? suggestion.error} what="the summary" />
        {p && (
          <p className="labels" data-testid="summary-labels">
            {p.sex}, {p.age ?? '?'} y{p.birthDate ? ` (born ${formatDate(p.birthDate)})` : ''} · record as of {formatDate(p.asOf)} · Decision support: the clinician decides.
            {p.synthetic ? ' Synthetic demo data.' : ''}
          </p>
        )}
        {p && (
          <>
            <h2>Key values (latest on record)</h2>
            <div className="summary-values">
              {halves(p.latest).map((half, n) => (
                <table key={n} data-testid="summary-values">
                  <thead>
                    <tr>
                      <th scope="col">Measure</th>
                      <th scope="col">Latest</th>
                      <th scope="col">Date</th>
                    </tr>
                  </thead>
                  <tbody>
                    {half.map((v) => (
                      <tr key={v.key}>
                        <th scope="row">{v.label}</th>
                        <td>{latestText(v, lipidUnit)}</td>
                        <td>{formatDate(v.date)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ))}
            </div>
            <p>
              <strong>Medication:</strong> {p.activeMedications.length > 0 ? p.activeMedications.map((m) => m.display).join('; ') : 'none on record'}.{' '}
              <strong>Problems:</strong> {p.conditions.length > 0 ? p.conditions.map((c) => c.label).join('; ') : 'none on record'}.
            </p>
          </>
        )}
        {s && (
          <>
            <h2>
              Plans compared (median, 5–95% band, at {s.settings.months.toString()} months; {s.settings.members.toString()} simulated courses)
            </h2>
            <table data-testid="summary-plans">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  {effects.map((label) => (
                    <th key={label} scope="col">
                      {label}
                    </th>
                  ))}
                  {columns.map((col) => (
                    <th key={col.key} scope="col">
                      {col.title} vs today
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {comparedPlans(s).map(({ name, c }) => (
                  <tr key={name}>
                    <th scope="row">{name}</th>
                    {effects.map((label) => {
                      const e = c.effects.find((x) => x.label === label);
                      return <td key={label}>{e ? formatEffect(e) : '—'}</td>;
                    })}
                    {columns.map((col) => (
                      <td key={col.key}>{c === s.current ? 'reference' : riskShort(riskOf(c, col.key))}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        <h2>Decision</h2>
        {entry ? (
          <p data-testid="summary-decision">
            {sentence(historyLabel(entry.decision, entry.modification))} Reason: {entry.reason ?? 'none given'}. Recorded {formatDateTime(entry.time)} by {entry.user} (decision log entry {String(entry.seq)}).
          </p>
        ) : (
          <p data-testid="summary-decision">No decision recorded yet.</p>
        )}
        <p>Patient view: {view.data?.chosen ? `${chosenLabel(view.data.chosen)}, chosen ${formatDate(view.data.chosen.chosenOn)}` : 'not chosen yet (nothing shown to the patient)'}.</p>
        <h2>Model</h2>
        <p className="labels">
          {s ? `CardioTwin engine ${s.engineVersion.replace(/^cardiotwin engine /i, '')}.` : ''} {entry ? `Learned model: ${entry.modelVersion}.` : ''} {s?.disclaimer ?? 'Decision support; the clinician decides.'}
          {p?.synthetic ? ' Synthetic demo data, not a real patient.' : ''}
        </p>
      </div>
      <p className="no-print">
        <button type="button" onClick={() => { window.print(); }}>
          Print or save as PDF
        </button>
      </p>
      {p && entry && <WriteBack id={id} patientName={p.name} seq={Number(entry.seq)} page={page} />}
    </section>
  );
}

interface WriteBackProps {
  id: string;
  patientName: string;
  seq: number;
  page: React.RefObject<HTMLDivElement | null>;
}

/**
 * Files the summary in a saved EHR, after a confirmation that names the server and the patient.
 * A failure says what to do and keeps the button, so it can be tried again. Every attempt, filed or
 * not, is an entry of the decision log, and the answer says which.
 */
function WriteBack({ id, patientName, seq, page }: WriteBackProps) {
  const settings = useCommand('settings', {});
  const connections = settings.data?.connections ?? [];
  const [name, setName] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const file = useCommandMutation('ehrWriteBack');
  const client = useQueryClient();
  const ids = { select: useId(), title: useId() };
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  if (connections.length === 0) {
    return <p className="note no-print">No EHR connection is set up (Settings &amp; EHR), so the summary is not filed from here: print it or save it as PDF.</p>;
  }
  const connection = connections.find((c) => c.name === name) ?? connections[0];
  if (!connection) return null;
  const send = () => {
    setConfirming(false);
    const text = page.current?.innerText ?? '';
    // Filed or not, the attempt is a new entry of the log: the log is read again either way.
    file.mutate({ id, connection: connection.name, text, decisionSeq: seq }, { onSettled: () => { void client.invalidateQueries({ queryKey: ['auditLog'] }); } });
  };
  return (
    <section className="no-print" aria-labelledby={ids.title} data-testid="write-back">
      <h2 id={ids.title}>File in the EHR</h2>
      {connections.length > 1 && (
        <p>
          <label htmlFor={ids.select}>EHR </label>
          <select id={ids.select} value={connection.name} onChange={(e) => { setName(e.target.value); }}>
            {connections.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
        </p>
      )}
      <button type="button" onClick={() => { setConfirming(true); }} disabled={file.isPending || confirming}>
        {file.error ? 'Try filing again…' : 'File this summary in the EHR…'}
      </button>
      {confirming && (
        <div role="alertdialog" aria-label="File the summary in the EHR?" className="confirm" data-testid="confirm-write-back">
          <p>
            File this summary for <strong>{patientName}</strong> (patient id {id}) as a consult note, with the decision as its provenance, on <strong>{connection.name}</strong> ({connection.fhirBase})?
          </p>
          <button type="button" ref={confirmRef} onClick={send}>
            File it
          </button>{' '}
          <button type="button" onClick={() => { setConfirming(false); }}>
            Cancel
          </button>
        </div>
      )}
      {file.isPending && <p role="status">Filing…</p>}
      {file.data && (
        <p role="status" data-testid="write-back-done">
          Filed on {file.data.server}: {file.data.documentReference} and {file.data.provenance}.{' '}
          {file.data.logSeq === null ? 'This filing could not be recorded in the decision log.' : `Recorded as entry ${String(file.data.logSeq)} of the decision log.`}
        </p>
      )}
      {file.error && (
        <p className="error" role="alert" data-testid="write-back-error">
          {file.error.message}. Nothing was lost: the summary is still here.
        </p>
      )}
    </section>
  );
}
