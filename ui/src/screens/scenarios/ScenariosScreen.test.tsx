import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { BackendError, type Backend, type ScenarioFile } from '../../api/backend';
import { BackendContext } from '../../api/hooks';
import ScenariosScreen from './ScenariosScreen';

// Plotly needs a real layout engine; the browser test draws the real charts.
vi.mock('plotly.js-cartesian-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

/**
 * A backend whose saves answer only when the test says so (or refuse), and whose ensembles never
 * answer: what the screen asks, and when, is what is tested.
 */
function slowSaves(list: ScenarioFile[]) {
  const calls: { command: string; args: unknown }[] = [];
  const saves: { resolve: () => void; reject: () => void }[] = [];
  const call = (command: string, args: unknown): Promise<unknown> => {
    calls.push({ command, args });
    switch (command) {
      case 'savedScenarios':
        return Promise.resolve([...list]);
      case 'scenarioOptions':
        return Promise.resolve({ taken: [], startable: [] });
      case 'checkScenarios':
        return Promise.resolve((args as { scenarios: ScenarioFile[] }).scenarios.map((s) => ({ name: s.name, problem: null, intervention: null })));
      case 'saveScenario':
        return new Promise((resolve, reject) => {
          saves.push({
            resolve: () => {
              list.push((args as { scenario: ScenarioFile }).scenario);
              resolve([...list]);
            },
            reject: () => { reject(new BackendError({ code: 'store', message: 'the data folder is locked' })); },
          });
        });
      case 'jobProgress':
        return Promise.resolve({ running: true, done: 0, total: 1, cells: [] });
      default:
        return new Promise(() => undefined);
    }
  };
  return { backend: { kind: 'browser', call } as unknown as Backend, calls, saves };
}

function renderScreen(backend: Backend, client: QueryClient) {
  return render(
    <QueryClientProvider client={client}>
      <BackendContext.Provider value={backend}>
        <MemoryRouter initialEntries={['/patient/s/scenarios']}>
          <Routes>
            <Route path="/patient/:id/scenarios" element={<ScenariosScreen />} />
          </Routes>
        </MemoryRouter>
      </BackendContext.Provider>
    </QueryClientProvider>,
  );
}

const saveSalt = (name: string) => {
  fireEvent.change(screen.getByLabelText('Scenario name', { exact: true }), { target: { value: name } });
  fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'sodium_reduction' } });
  fireEvent.click(screen.getByRole('button', { name: 'Add change' }));
  fireEvent.click(screen.getByRole('button', { name: 'Save scenario' }));
};

const compared = (calls: { command: string; args: unknown }[]) =>
  calls.filter((c) => c.command === 'compare').map((c) => (c.args as { scenarios: ScenarioFile[] }).scenarios.map((s) => s.name));

describe('the comparison after a save', () => {
  it('compares a new scenario while it is saved, ticked; the ticks outlive the screen', async () => {
    const { backend, calls, saves } = slowSaves([]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const view = renderScreen(backend, client);
    await screen.findByText('No changes yet: the scenario equals current treatment.', { exact: false });
    saveSalt('Less salt');
    // Compared before the save has answered.
    await waitFor(() => { expect(compared(calls)).toEqual([['Current treatment', 'Less salt']]); });
    expect(saves).toHaveLength(1);
    saves[0]?.resolve();
    await waitFor(() => { expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Less salt' }).checked).toBe(true); });
    // The saved copy is the same scenario: not compared again.
    expect(compared(calls)).toHaveLength(1);
    // Another tab and back: still ticked.
    view.unmount();
    renderScreen(backend, client);
    await waitFor(() => { expect(screen.getByRole<HTMLInputElement>('checkbox', { name: 'Less salt' }).checked).toBe(true); });
  });

  it('puts the list and the ticks back when the save is refused', async () => {
    const { backend, calls, saves } = slowSaves([]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderScreen(backend, client);
    await screen.findByText('No changes yet: the scenario equals current treatment.', { exact: false });
    saveSalt('Refused plan');
    await waitFor(() => { expect(compared(calls).at(-1)).toEqual(['Current treatment', 'Refused plan']); });
    saves[0]?.reject();
    await screen.findByText(/the data folder is locked/);
    await waitFor(() => { expect(screen.queryByRole('checkbox', { name: 'Refused plan' })).toBeNull(); });
  });
});
