import { useEffect, useState } from 'react';
import { asAppError, type AppError, type Backend, type PatientList } from './api/backend';
import { PatientListPanel } from './components/PatientListPanel';
import { PatientOverview } from './components/PatientOverview';

export interface AppProps {
  backend: Backend;
}

export function App({ backend }: AppProps) {
  const [list, setList] = useState<PatientList | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    backend.listPatients().then(setList, (e: unknown) => {
      setError(asAppError(e));
    });
  }, [backend]);

  return (
    <div className="app">
      <header className="banner" role="banner">
        <h1>CardioTwin</h1>
        <p>Decision support, not a diagnosis: the clinician decides. Demo patients are synthetic.</p>
      </header>
      <main className="layout">
        <nav aria-label="Patients" className="sidebar">
          {error && <p role="alert">Could not list patients: {error.message}</p>}
          {!list && !error && <p aria-busy="true">Loading patients…</p>}
          {list && <PatientListPanel list={list} selected={selected} onSelect={setSelected} />}
        </nav>
        <section className="content" aria-live="polite">
          {selected ? (
            <PatientOverview backend={backend} patientId={selected} />
          ) : (
            <p className="hint">Choose a patient to see their blood-pressure history.</p>
          )}
        </section>
      </main>
    </div>
  );
}
