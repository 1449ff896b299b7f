import { render, screen, fireEvent, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { vi } from 'vitest';
import { App } from './App';
import { BackendError, type Backend, type CommandName, type PatientList, type PatientSummary, type Timeline } from '../api/backend';

// Plotly needs a real layout engine; the browser and window tests draw the real charts.
vi.mock('plotly.js-cartesian-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

const item = (id: string, name: string, conditions: string[]) => ({ id, name, sex: 'female', age: 60, conditions, synthetic: true, lastSeen: '2026-06-01', origin: 'demo' as const, cachedDaysAgo: null });

const list: PatientList = {
  patients: [item('a', 'Alice Test', ['Hypertension']), { ...item('b', 'Bob Test', []), origin: 'cache', cachedDaysAgo: 3.2 }],
  unreadable: [{ code: 'validation', message: 'broken.json: not valid JSON at line 1, column 1' }],
  cacheProblem: null,
};

const summary: PatientSummary = {
  id: 'a', name: 'Alice Test', sex: 'female', birthDate: '1966-01-01', age: 60, asOf: '2026-12-01', synthetic: true, smoking: 'never',
  latest: [{ key: 'nt_probnp', label: 'NT-proBNP', value: 1450, unit: 'pg/mL', date: '2026-05-28', source: 'Observation/n', count: 7 }],
  rhythm: { key: 'atrial_fibrillation', label: 'Atrial fibrillation', date: '2026-05-24', source: 'Observation/e' },
  functionalClass: { key: 'nyha_ii', label: 'NYHA II', date: '2026-05-24', source: 'Observation/f' },
  activeMedications: [{ display: 'amlodipine 5 mg', agent: 'amlodipine', class: 'Calcium-channel blocker', dailyDoseMg: 5, doseLevel: 'standard', start: '2020-01-01', end: null, adherence: 0.62, source: 'MedicationRequest/1' }],
  pastMedications: [], conditions: [], procedures: [], problems: [], resourceCounts: {}, unmapped: {}, freshness: null, noteFacts: [],
};

const timeline: Timeline = {
  id: 'a',
  series: [
    { key: 'sbp', label: 'Systolic BP', unit: 'mmHg', points: [{ date: '2026-01-01', value: 150, source: 'Observation/1' }] },
    { key: 'nt_probnp', label: 'NT-proBNP', unit: 'pg/mL', points: [{ date: '2026-05-28', value: 1450, source: 'Observation/n' }] },
  ],
  medications: summary.activeMedications,
  conditions: [],
  procedures: [],
  asOf: '2026-12-01',
  targets: { sbpBelow: 130, dbpBelow: 80, bpReason: 'r', ldlBelowMmol: 1.8, ldlBelowMgDl: 70, category: 'High', ldlReason: 'r', bpSource: 'ESC 2024', ldlSource: 'ESC/EAS 2019', bpGuideline: 'ESC 2024', ldlGuideline: 'ESC/EAS 2019' },
  referenceRanges: [{ key: 'nt_probnp', low: null, high: 125, source: 'ESC HF 2021' }],
  homeBp: null,
};

function fakeBackend(answers: Partial<Record<CommandName, (args: unknown) => unknown>>): Backend {
  return {
    kind: 'browser',
    call: (command, args) => {
      const answer = answers[command];
      if (!answer) return Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` }));
      try {
        return Promise.resolve(answer(args) as never);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  };
}

const backend = fakeBackend({ listPatients: () => list, patientSummary: () => summary, timeline: () => timeline });

function renderAt(path: string, b: Backend = backend) {
  return render(
    <MemoryRouter initialEntries={[path]}>
      <App backend={b} router="none" />
    </MemoryRouter>,
  );
}

describe('App', () => {
  it('lists patients with their source and staleness, and names unreadable files', async () => {
    renderAt('/');
    const rows = await screen.findAllByTestId('patient-row');
    expect(rows).toHaveLength(2);
    expect(within(rows[1] as HTMLElement).getByText(/Offline cache · cached 3 days ago/)).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('broken.json');
  });

  it('filters by name or condition', async () => {
    renderAt('/');
    await screen.findAllByTestId('patient-row');
    fireEvent.change(screen.getByLabelText('Name or condition'), { target: { value: 'hyper' } });
    expect(screen.getAllByTestId('patient-row')).toHaveLength(1);
  });

  it('opens the overview with medications and adherence', async () => {
    renderAt('/');
    fireEvent.click(await screen.findByRole('link', { name: 'Alice Test' }));
    expect(await screen.findByTestId('timeline-chart')).toBeTruthy();
    expect((await screen.findByTestId('active-medications')).textContent).toContain('62% of days covered');
    const latest = screen.getByTestId('latest-values').textContent;
    expect(latest).toContain('NT-proBNP');
    expect(latest).toContain('1450 pg/mL');
    expect(latest).toContain('Atrial fibrillation');
    expect(latest).toContain('NYHA II');
    expect(screen.getByRole('navigation', { name: 'Patient screens' })).toBeTruthy();
  });

  it('says in plain words when the backend fails', async () => {
    const failing = fakeBackend({
      listPatients: () => list,
      patientSummary: () => summary,
      timeline: () => {
        throw new BackendError({ code: 'notFound', message: 'no such patient in the demo cohort or the offline cache' });
      },
    });
    renderAt('/patient/a', failing);
    expect((await screen.findByText(/Could not load the timeline/)).textContent).toContain('no such patient');
  });

  it('shows "Page not found" with ways back for an unknown sub-page of a patient and an unknown page', async () => {
    renderAt('/patient/a/nonsense');
    const page = await screen.findByTestId('page-not-found');
    expect(within(page).getByRole('heading', { level: 1 }).textContent).toBe('Page not found');
    expect(page.textContent).toContain('/patient/a/nonsense');
    const links = within(page).getAllByRole('link').map((l) => l.getAttribute('href'));
    expect(links).toEqual(['/patient/a', '/patient/a/decide', '/', '/settings']);
    expect(screen.getByRole('navigation', { name: 'Patient screens' })).toBeTruthy();
  });

  it('shows "Page not found" for an address outside the app, not the patient list', async () => {
    renderAt('/patients/a/nonsense');
    const page = await screen.findByTestId('page-not-found');
    expect(within(page).getAllByRole('link').map((l) => l.getAttribute('href'))).toEqual(['/', '/settings']);
    expect(screen.queryAllByTestId('patient-row')).toHaveLength(0);
  });

  it('says an unknown patient is not found, not a keychain error', async () => {
    const unknown = fakeBackend({
      patientSummary: () => {
        throw new BackendError({ code: 'notFound', message: 'no patient with this id in the demo set or the offline cache' });
      },
    });
    renderAt('/patient/zzz/decide', unknown);
    const page = await screen.findByTestId('patient-not-found');
    expect(within(page).getByRole('heading', { level: 1 }).textContent).toBe('Patient not found');
    expect(screen.getByTestId('patient-not-found-message').textContent).toBe('No patient with this id in the demo set or the offline cache.');
    expect(page.textContent).toContain('zzz');
    expect(screen.queryByRole('navigation', { name: 'Patient screens' })).toBeNull();
  });

  it('moves focus to the new screen’s heading after navigation, not on the first load', async () => {
    renderAt('/');
    await screen.findAllByTestId('patient-row');
    expect(document.activeElement).toBe(document.body);
    fireEvent.click(screen.getByRole('link', { name: 'Settings & EHR' }));
    const heading = await screen.findByRole('heading', { level: 1, name: 'Settings and EHR' });
    await waitFor(() => { expect(document.activeElement).toBe(heading); });
    expect(heading.getAttribute('tabindex')).toBe('-1');
    expect(document.title).toBe('Settings and EHR · CardioTwin');
    fireEvent.click(screen.getByRole('link', { name: 'CardioTwin' }));
    const list = await screen.findByRole('heading', { level: 1, name: 'Patients' });
    await waitFor(() => { expect(document.activeElement).toBe(list); });
  });

  it('says on Settings when the keychain cannot be used, and what to do', async () => {
    const away = fakeBackend({
      settings: () => {
        throw new BackendError({ code: 'storeLocked', message: 'keychain unavailable: no keychain service is running' });
      },
      keychainStatus: () => ({
        state: 'unavailable',
        usable: false,
        message: 'The system keychain cannot be reached, so decisions cannot be recorded.',
        detail: 'no keychain service is running',
        action: 'Start or unlock the system keychain, then check again.',
      }),
    });
    renderAt('/settings', away);
    const panel = await screen.findByTestId('keychain-panel');
    await waitFor(() => { expect(within(panel).getByTestId('keychain-status').getAttribute('data-state')).toBe('unavailable'); });
    expect(panel.textContent).toContain('What to do: Start or unlock the system keychain');
    expect(within(panel).getByRole('button', { name: 'Check again' })).toBeTruthy();
    expect((await screen.findByTestId('settings-locked')).textContent).toContain('open once the keychain below can be used');
  });
});
