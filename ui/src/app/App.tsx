import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, NavLink, Route, Routes, useParams } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Backend } from '../api/backend';
import { BackendContext, useCommand } from '../api/hooks';
import { PatientsScreen } from '../screens/patients/PatientsScreen';

// Each screen is its own chunk: the list opens without the charting code.
const OverviewScreen = lazy(() => import('../screens/overview/OverviewScreen'));
const TwinScreen = lazy(() => import('../screens/twin/TwinScreen'));
const ScenariosScreen = lazy(() => import('../screens/scenarios/ScenariosScreen'));
const ExplainScreen = lazy(() => import('../screens/explain/ExplainScreen'));
const DecisionsScreen = lazy(() => import('../screens/decide/DecisionsScreen'));
const PatientViewScreen = lazy(() => import('../screens/patient-view/PatientViewScreen'));
const SettingsScreen = lazy(() => import('../screens/settings/SettingsScreen'));
const HeatmapScreen = lazy(() => import('../screens/heatmap/HeatmapScreen'));

export interface AppProps {
  backend: Backend;
  /** Router to use (tests pass a MemoryRouter). */
  router?: 'browser' | 'none';
}

function PatientNav() {
  const { id = '' } = useParams();
  const summary = useCommand('patientSummary', { id });
  const base = `/patient/${encodeURIComponent(id)}`;
  const s = summary.data;
  return (
    <div className="patient-bar">
      <div className="patient-id" aria-live="polite">
        {s ? (
          <>
            <strong>{s.name}</strong> · {s.sex}, {s.age ?? '?'} y{s.synthetic && <span className="tag">synthetic</span>}
          </>
        ) : (
          summary.error?.message ?? 'Opening…'
        )}
      </div>
      <nav aria-label="Patient screens" className="tabs">
        <NavLink end to={base}>Overview</NavLink>
        <NavLink to={`${base}/twin`}>Twin</NavLink>
        <NavLink to={`${base}/scenarios`}>Scenarios &amp; comparison</NavLink>
        <NavLink to={`${base}/explain`}>Risk explanation</NavLink>
        <NavLink to={`${base}/heatmap`}>Risk heatmap</NavLink>
        <NavLink to={`${base}/decide`}>Suggestion &amp; decision</NavLink>
        <NavLink to={`${base}/for-patient`}>Patient view</NavLink>
      </nav>
    </div>
  );
}

function PatientRoutes() {
  return (
    <>
      <PatientNav />
      <Suspense fallback={<p aria-busy="true">Loading the screen…</p>}>
        <Routes>
          <Route index element={<OverviewScreen />} />
          <Route path="twin" element={<TwinScreen />} />
          <Route path="scenarios" element={<ScenariosScreen />} />
          <Route path="explain" element={<ExplainScreen />} />
          <Route path="heatmap" element={<HeatmapScreen />} />
          <Route path="decide" element={<DecisionsScreen />} />
          <Route path="for-patient" element={<PatientViewScreen />} />
        </Routes>
      </Suspense>
    </>
  );
}

export function AppRoutes({ backend }: { backend: Backend }) {
  return (
    <div className="app">
      <header className="banner">
        <NavLink to="/" className="brand">
          CardioTwin
        </NavLink>
        <p>Decision support, not a diagnosis: the clinician decides. Demo patients are synthetic.</p>
        <NavLink to="/settings" className="settings-link">Settings &amp; EHR</NavLink>
        <span className="backend-kind">{backend.kind === 'desktop' ? 'Desktop' : 'Browser (cardiotwin serve)'}</span>
      </header>
      <main className="content">
        <Routes>
          <Route path="/" element={<PatientsScreen />} />
          <Route path="/patient/:id/*" element={<PatientRoutes />} />
          <Route
            path="/settings"
            element={
              <Suspense fallback={<p aria-busy="true">Loading the screen…</p>}>
                <SettingsScreen />
              </Suspense>
            }
          />
          <Route path="*" element={<PatientsScreen />} />
        </Routes>
      </main>
    </div>
  );
}

export function App({ backend, router = 'browser' }: AppProps) {
  const [client] = useState(() => new QueryClient({ defaultOptions: { queries: { refetchOnWindowFocus: false } } }));
  const routes = <AppRoutes backend={backend} />;
  return (
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={client}>{router === 'browser' ? <BrowserRouter>{routes}</BrowserRouter> : routes}</QueryClientProvider>
    </BackendContext.Provider>
  );
}
