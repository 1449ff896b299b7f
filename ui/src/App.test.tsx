import { render, screen, fireEvent } from '@testing-library/react';
import { vi } from 'vitest';
import { App } from './App';
import { BackendError, type Backend, type PatientList, type PatientSummary, type Series } from './api/backend';

// Plotly needs a real layout engine; the real-window smoke test covers the chart itself.
vi.mock('plotly.js-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

const list: PatientList = {
  patients: [
    { id: 'a', name: 'Alice Test', sex: 'female', age: 60, conditions: ['Hypertension'], synthetic: true, lastSeen: '2026-06-01' },
    { id: 'b', name: 'Bob Test', sex: 'male', age: 70, conditions: [], synthetic: true, lastSeen: null },
  ],
  unreadable: [{ code: 'validation', message: 'broken.json: not valid JSON at line 1, column 1: invalid JSON syntax' }],
};

const summary = (id: string): PatientSummary => ({
  id,
  name: id === 'a' ? 'Alice Test' : 'Bob Test',
  sex: 'female',
  birthDate: '1966-01-01',
  age: 60,
  synthetic: true,
  smoking: 'never',
  latest: [],
  activeMedications: [
    { display: 'amlodipine 5 mg', agent: 'amlodipine', class: 'Calcium-channel blocker', dailyDoseMg: 5, doseLevel: 'standard', start: '2020-01-01', end: null, adherence: 0.62, source: 'MedicationRequest/1' },
  ],
  pastMedications: [],
  conditions: [],
  procedures: [],
  problems: [],
  resourceCounts: {},
  unmapped: {},
});

const series = (key: string): Series => ({ key, label: key, unit: 'mmHg', points: [{ date: '2026-01-01', value: 140, source: 'Observation/1' }] });

function fakeBackend(overrides: Partial<Backend> = {}): Backend {
  return {
    listPatients: () => Promise.resolve(list),
    patientSummary: (id) => Promise.resolve(summary(id)),
    series: (_id, key) => Promise.resolve(series(key)),
    ...overrides,
  };
}

describe('App', () => {
  it('lists patients, marks synthetic ones and names unreadable files', async () => {
    render(<App backend={fakeBackend()} />);
    const rows = await screen.findAllByTestId('patient-row');
    expect(rows).toHaveLength(2);
    expect(screen.getAllByText('synthetic')).toHaveLength(2);
    expect(screen.getByRole('alert').textContent).toContain('broken.json');
  });

  it('opens a patient with chart and medications, showing adherence', async () => {
    render(<App backend={fakeBackend()} />);
    const rows = await screen.findAllByTestId('patient-row');
    const first = rows[0];
    if (!first) throw new Error('no rows');
    fireEvent.click(first);
    expect(await screen.findByTestId('bp-chart')).toBeTruthy();
    expect(screen.getByTestId('active-medications').textContent).toContain('62% of days covered');
    expect(first.getAttribute('aria-pressed')).toBe('true');
  });

  it('says in plain words when the backend fails', async () => {
    const backend = fakeBackend({
      patientSummary: () => Promise.reject(new BackendError({ code: 'notFound', message: "no patient with id 'a'" })),
    });
    render(<App backend={backend} />);
    const rows = await screen.findAllByTestId('patient-row');
    const first = rows[0];
    if (!first) throw new Error('no rows');
    fireEvent.click(first);
    expect((await screen.findByText(/Could not open the patient/)).textContent).toContain("no patient with id 'a'");
  });
});
