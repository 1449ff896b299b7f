import { useEffect, useState } from 'react';
import { asAppError, type AppError, type Backend, type PatientSummary, type Series } from '../api/backend';
import { BpChart } from './BpChart';

export interface PatientOverviewProps {
  backend: Backend;
  patientId: string;
}

interface Loaded {
  id: string;
  summary: PatientSummary;
  sbp: Series;
  dbp: Series;
}

export function PatientOverview({ backend, patientId }: PatientOverviewProps) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      backend.patientSummary(patientId),
      backend.series(patientId, 'sbp'),
      backend.series(patientId, 'dbp'),
    ]).then(
      ([summary, sbp, dbp]) => {
        if (!cancelled) {
          setError(null);
          setLoaded({ id: patientId, summary, sbp, dbp });
        }
      },
      (e: unknown) => {
        if (!cancelled) setError(asAppError(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [backend, patientId]);

  if (error) return <p role="alert">Could not open the patient: {error.message}</p>;
  if (loaded?.id !== patientId) return <p aria-busy="true">Loading…</p>;
  const { summary, sbp, dbp } = loaded;
  return (
    <article aria-labelledby="patient-name">
      <h2 id="patient-name">
        {summary.name} <small>({summary.sex}, {summary.age ?? '?'} y)</small>
      </h2>
      <BpChart sbp={sbp} dbp={dbp} />
      <h3>Active medications</h3>
      <ul data-testid="active-medications">
        {summary.activeMedications.map((m) => (
          <li key={m.source}>
            {m.display}
            {m.class ? ` — ${m.class}` : ''}
            {m.adherence !== null ? ` (${Math.round(m.adherence * 100).toString()}% of days covered)` : ''}
          </li>
        ))}
        {summary.activeMedications.length === 0 && <li>None</li>}
      </ul>
    </article>
  );
}
