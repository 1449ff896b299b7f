import { lazy, Suspense, useEffect, useRef, useState, type RefObject } from 'react';
import { BrowserRouter, Navigate, NavLink, Route, Routes, useLocation, useParams } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Backend } from '../api/backend';
import { BackendContext, useCommand } from '../api/hooks';
import { PatientsScreen } from '../screens/patients/PatientsScreen';
import { PageNotFound, PatientNotFound } from './NotFound';
import { DisplayProvider } from './DisplayProvider';

// Each screen is its own chunk: the list opens without the charting code.
const OverviewScreen = lazy(() => import('../screens/overview/OverviewScreen'));
const TwinScreen = lazy(() => import('../screens/twin/TwinScreen'));
const ScenariosScreen = lazy(() => import('../screens/scenarios/ScenariosScreen'));
const ExplainScreen = lazy(() => import('../screens/explain/ExplainScreen'));
const DecisionsScreen = lazy(() => import('../screens/decide/DecisionsScreen'));
const PatientViewScreen = lazy(() => import('../screens/patient-view/PatientViewScreen'));
const SummaryScreen = lazy(() => import('../screens/decide/SummaryScreen'));
const SettingsScreen = lazy(() => import('../screens/settings/SettingsScreen'));
const HeatmapScreen = lazy(() => import('../screens/heatmap/HeatmapScreen'));
const WorklistScreen = lazy(() => import('../screens/worklist/WorklistScreen'));

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
        <NavLink to={`${base}/summary`}>Clinician summary</NavLink>
      </nav>
    </div>
  );
}

function PatientRoutes() {
  const { id = '' } = useParams();
  // The same query as the patient bar: an id in neither the demo set nor the cache is "not found",
  // not a blank page or one error per panel.
  const summary = useCommand('patientSummary', { id });
  if (summary.error?.code === 'notFound') return <PatientNotFound id={id} error={summary.error} />;
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
          <Route path="summary" element={<SummaryScreen />} />
          <Route path="*" element={<PageNotFound patientId={id} patientName={summary.data?.name ?? null} />} />
        </Routes>
      </Suspense>
    </>
  );
}

/** Whether `el` is hidden by React while a screen loads (Suspense keeps the old one, hidden). */
function hidden(el: Element): boolean {
  return el.closest('[hidden], [style*="display: none"]') !== null;
}

/**
 * After each navigation (not the first page load), focus moves to the new screen's main heading,
 * which screen readers then read out, and the window's title names the screen. Screens load
 * lazily and draw their heading when ready: the first visible h1 in `main` is awaited.
 */
function useFocusOnNavigation(main: RefObject<HTMLElement | null>) {
  const { pathname } = useLocation();
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const first = previous.current === null;
    const same = previous.current === pathname;
    previous.current = pathname;
    const root = main.current;
    if (first || same || !root) return;
    const focusHeading = (): boolean => {
      const heading = Array.from(root.querySelectorAll<HTMLElement>('h1')).find((h) => !hidden(h));
      if (!heading) return false;
      if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
      heading.focus();
      document.title = `${heading.textContent.trim()} · CardioTwin`;
      return true;
    };
    if (focusHeading()) return;
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['style', 'hidden'] });
    // A screen that never draws a heading (an error) leaves focus where it is.
    const timer = window.setTimeout(() => { observer.disconnect(); }, 15000);
    return () => {
      observer.disconnect();
      window.clearTimeout(timer);
    };
  }, [pathname, main]);
}

export function AppRoutes({ backend }: { backend: Backend }) {
  const main = useRef<HTMLElement>(null);
  useFocusOnNavigation(main);
  return (
    <div className="app">
      <header className="banner">
        <NavLink to="/" className="brand">
          CardioTwin
        </NavLink>
        <p>Decision support, not a diagnosis: the clinician decides. Demo patients are synthetic.</p>
        <NavLink to="/worklist" className="settings-link">Worklist</NavLink>
        <NavLink to="/settings" className="settings-link">Settings &amp; EHR</NavLink>
        <span className="backend-kind">{backend.kind === 'desktop' ? 'Desktop' : 'Browser (cardiotwin serve)'}</span>
      </header>
      <main className="content" ref={main}>
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
          <Route
            path="/worklist"
            element={
              <Suspense fallback={<p aria-busy="true">Loading the screen…</p>}>
                <WorklistScreen />
              </Suspense>
            }
          />
          <Route path="/index.html" element={<Navigate to="/" replace />} />
          <Route path="*" element={<PageNotFound />} />
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
      <QueryClientProvider client={client}>
        <DisplayProvider>{router === 'browser' ? <BrowserRouter>{routes}</BrowserRouter> : routes}</DisplayProvider>
      </QueryClientProvider>
    </BackendContext.Provider>
  );
}
