import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { vi } from 'vitest';
import { BackendError, type Backend, type CommandName, type ScenarioCheck, type ScenarioFile, type ScenarioOptions } from '../../api/backend';
import { BackendContext } from '../../api/hooks';
import { numberSpecs, readNumber, type BuilderType } from './draft';
import { TYPES } from './interventions';
import { ScenarioBuilder } from './ScenarioBuilder';
import ScenariosScreen from './ScenariosScreen';

// Plotly needs a real layout engine; the browser test draws the real charts.
vi.mock('plotly.js-cartesian-dist-min', () => ({ default: { react: vi.fn(() => Promise.resolve()), purge: vi.fn() } }));

/** Walter: lisinopril 10 mg, nothing else. */
const regimen: ScenarioOptions = {
  taken: [
    {
      class: 'ace_inhibitor',
      dose: 'standard',
      medication: 'lisinopril 10 mg once daily (ACE inhibitor)',
      doses: [
        { dose: 'half', text: 'lisinopril 5 mg once daily (ACE inhibitor)' },
        { dose: 'standard', text: 'lisinopril 10 mg once daily (ACE inhibitor)' },
        { dose: 'double', text: 'lisinopril 20 mg once daily (ACE inhibitor)' },
      ],
    },
  ],
  startable: [
    { class: 'calcium_channel_blocker', doses: [{ dose: 'half', text: 'amlodipine 2.5 mg once daily' }, { dose: 'standard', text: 'amlodipine 5 mg once daily' }, { dose: 'double', text: 'amlodipine 10 mg once daily' }] },
    { class: 'statin', doses: [{ dose: 'standard', text: 'atorvastatin 10 mg once daily' }, { dose: 'double', text: 'atorvastatin 40 mg once daily' }] },
    { class: 'ezetimibe', doses: [{ dose: 'standard', text: 'ezetimibe 10 mg once daily' }] },
  ],
};

const BAD = ['', '-5', '1e9', 'abc'] as const;
const builderTypes = TYPES.map((t) => t.value).filter((t): t is BuilderType => t !== 'lower_sbp' && t !== 'lower_ldl');
const fits = (): Promise<ScenarioCheck> => Promise.resolve({ name: 'x', problem: null, intervention: null });

function renderBuilder(props: Partial<Parameters<typeof ScenarioBuilder>[0]> = {}) {
  const onSave = vi.fn<(s: ScenarioFile, replace: string | null) => unknown>(() => Promise.resolve());
  const utils = render(<ScenarioBuilder horizonMonths={120} onSave={onSave} saving={false} saveError={null} regimen={regimen} check={fits} {...props} />);
  return { onSave, ...utils };
}

const input = (label: string) => screen.getByLabelText<HTMLInputElement>(label, { exact: true });
const button = (name: string | RegExp) => screen.getByRole<HTMLButtonElement>('button', { name });

describe('the builder never takes a mistyped number, and never drops one', () => {
  it.each(builderTypes)('every number of “%s”: empty, negative, huge and non-numeric text', (type) => {
    const { onSave } = renderBuilder();
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: type } });
    for (const spec of numberSpecs(type, 120)) {
      const field = input(spec.label);
      const good = field.value;
      for (const bad of BAD) {
        fireEvent.change(field, { target: { value: bad } });
        // What was typed stays on screen as typed.
        expect(field.value).toBe(bad);
        const reading = readNumber(bad, spec);
        if (reading.problem === null) {
          // A value that is fine for this field (a 5 kg loss): taken as typed.
          expect(field.getAttribute('aria-invalid')).toBe('false');
          continue;
        }
        expect(field.getAttribute('aria-invalid')).toBe('true');
        const describedBy = field.getAttribute('aria-describedby') ?? '';
        expect(document.getElementById(describedBy)?.textContent).toBe(reading.problem);
        expect(reading.problem).not.toMatch(/NaN|undefined|null/);
        expect(button('Add change').disabled).toBe(true);
      }
      fireEvent.change(field, { target: { value: good } });
      expect(field.getAttribute('aria-invalid')).toBe('false');
    }
    expect(button('Add change').disabled).toBe(false);
    expect(onSave).not.toHaveBeenCalled();
  });

  it('saves exactly what was typed, and keeps everything when the save fails', async () => {
    const failing = vi.fn<(s: ScenarioFile, replace: string | null) => unknown>(() => Promise.reject(new Error('keychain unavailable')));
    const { rerender } = renderBuilder({ onSave: failing });
    fireEvent.change(input('Scenario name'), { target: { value: 'Lose weight, walk' } });
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'weight_change' } });
    fireEvent.change(input('Change (kg, negative = loss)'), { target: { value: '-5' } });
    fireEvent.change(input('Over (months)'), { target: { value: '' } });
    expect(button('Add change').disabled).toBe(true);
    fireEvent.change(input('Over (months)'), { target: { value: '6' } });
    fireEvent.click(button('Add change'));
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'exercise' } });
    fireEvent.change(input('Minutes per week'), { target: { value: '1e9' } });
    expect(screen.getByText('Exercise must be 0–600 minutes a week.')).toBeTruthy();
    fireEvent.change(input('Minutes per week'), { target: { value: '90' } });
    fireEvent.change(input('From month'), { target: { value: '2.5' } });
    expect(screen.getByText('From month: enter a whole number.')).toBeTruthy();
    fireEvent.change(input('From month'), { target: { value: '3' } });
    fireEvent.click(button('Add change'));
    const save = button('Save scenario');
    await waitFor(() => { expect(save.disabled).toBe(false); });
    fireEvent.click(save);
    const expected: ScenarioFile = {
      name: 'Lose weight, walk',
      interventions: [
        { type: 'weight_change', kg: -5, start_month: 0, over_months: 6 },
        { type: 'exercise', minutes_per_week: 90, start_month: 3 },
      ],
    };
    expect(failing).toHaveBeenCalledWith(expected, null);
    expect(JSON.stringify(failing.mock.calls[0]?.[0])).not.toMatch(/null|NaN/);
    // The backend said no: the form is as it was, with the error beside it.
    rerender(<ScenarioBuilder horizonMonths={120} onSave={failing} saving={false} saveError="keychain unavailable" regimen={regimen} check={fits} />);
    await act(() => Promise.resolve());
    expect(input('Scenario name').value).toBe('Lose weight, walk');
    expect(within(screen.getByRole('list', { name: 'Changes in this scenario' })).getAllByRole('listitem')).toHaveLength(2);
    expect(screen.getByTestId('save-error').textContent).toMatch(/keychain unavailable.*Everything typed is kept/);
  });

  it('keeps a target typed wrong on screen, with its problem, and Save off', () => {
    renderBuilder();
    fireEvent.change(input('Scenario name'), { target: { value: 'Target' } });
    fireEvent.click(screen.getByLabelText('Treat to an SBP target'));
    for (const label of ['SBP target (mmHg)', 'BP review every (months)']) {
      const field = input(label);
      for (const bad of BAD) {
        fireEvent.change(field, { target: { value: bad } });
        expect(field.value).toBe(bad);
        expect(field.getAttribute('aria-invalid')).toBe('true');
        expect(document.getElementById(field.getAttribute('aria-describedby') ?? '')?.textContent).not.toMatch(/NaN/);
        expect(button('Save scenario').disabled).toBe(true);
      }
    }
  });
});

describe('the builder offers only what applies to today’s regimen', () => {
  const options = () => Array.from(screen.getByLabelText<HTMLSelectElement>('Drug class').options).map((o) => o.value);
  it('starts classes not taken, changes and stops those taken, at the ladder’s doses', () => {
    renderBuilder();
    const change = screen.getByLabelText('Change', { exact: true });
    fireEvent.change(change, { target: { value: 'start_drug' } });
    expect(options()).toEqual(['calcium_channel_blocker', 'statin', 'ezetimibe']);
    fireEvent.change(screen.getByLabelText('Drug class'), { target: { value: 'statin' } });
    expect(Array.from(screen.getByLabelText<HTMLSelectElement>('Dose').options).map((o) => o.textContent)).toEqual([
      'Moderate intensity: atorvastatin 10 mg once daily',
      'High intensity: atorvastatin 40 mg once daily',
    ]);
    fireEvent.change(change, { target: { value: 'stop_drug' } });
    expect(options()).toEqual(['ace_inhibitor']);
    fireEvent.change(change, { target: { value: 'change_dose' } });
    expect(Array.from(screen.getByLabelText<HTMLSelectElement>('New dose').options).map((o) => o.value)).toEqual(['half', 'double']);
    // Stopped at month 0, it can be started again later.
    fireEvent.change(change, { target: { value: 'stop_drug' } });
    fireEvent.click(button('Add change'));
    fireEvent.change(change, { target: { value: 'start_drug' } });
    expect(options()).toContain('ace_inhibitor');
    fireEvent.change(change, { target: { value: 'stop_drug' } });
    expect(screen.getByText('No drug is taken now: there is nothing to stop.')).toBeTruthy();
    expect(button('Add change').disabled).toBe(true);
  });

  it('shows the server’s check of the whole scenario in the builder, and Save waits for it', async () => {
    const check = vi.fn((s: ScenarioFile) =>
      Promise.resolve<ScenarioCheck>({ name: s.name, problem: 'ACE inhibitor is already taken (standard dose) at month 0: use "change dose" to titrate it, or stop it first', intervention: 0 }),
    );
    renderBuilder({ check, regimen: undefined });
    fireEvent.change(input('Scenario name'), { target: { value: 'Lisinopril again' } });
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'start_drug' } });
    fireEvent.change(screen.getByLabelText('Drug class'), { target: { value: 'ace_inhibitor' } });
    fireEvent.click(button('Add change'));
    expect((await screen.findByTestId('scenario-check')).textContent).toMatch(/^Change 1 \(Start ACE inhibitor.*already taken/);
    expect(button('Save scenario').disabled).toBe(true);
    expect(screen.getByTestId('save-blocked').textContent).toBe('Save is off until: it fits today’s regimen.');
  });
});

describe('names', () => {
  it('are limited, and a name already saved is refused or replaced on request', () => {
    const { onSave } = renderBuilder({ savedNames: ['Salt', 'Statin 80 %'] });
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'sodium_reduction' } });
    fireEvent.click(button('Add change'));
    const name = input('Scenario name');
    fireEvent.change(name, { target: { value: 'x'.repeat(81) } });
    expect(screen.getByTestId('name-problem').textContent).toBe('Names are at most 80 characters: this one has 81.');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(button('Save scenario').disabled).toBe(true);
    fireEvent.change(name, { target: { value: ' statin 80 % ' } });
    expect(screen.getByTestId('name-problem').textContent).toMatch(/“Statin 80 %” is already saved: choose another name, or replace it/);
    expect(button('Save scenario').disabled).toBe(true);
    fireEvent.click(button('Replace “Statin 80 %”'));
    expect(onSave).toHaveBeenCalledWith({ name: 'statin 80 %', interventions: [{ type: 'sodium_reduction', start_month: 0 }] }, 'Statin 80 %');
  });
});

// The screen: saved scenarios edited, duplicated and deleted through a fake backend.
function fakeBackend(list: ScenarioFile[], calls: { command: string; args: unknown }[]): Backend {
  const answers: Partial<Record<CommandName, (args: never) => unknown>> = {
    savedScenarios: () => list,
    scenarioOptions: () => regimen,
    checkScenarios: (a: { scenarios: ScenarioFile[] }) => a.scenarios.map((s) => ({ name: s.name, problem: s.name === 'Old plan' ? 'Statin is not taken at month 0, so it cannot be stopped' : null, intervention: null })),
    saveScenario: (a: { scenario: ScenarioFile; replace?: string }) => {
      const n = list.findIndex((s) => s.name === a.replace);
      if (n >= 0) list[n] = a.scenario;
      else list.push(a.scenario);
      return [...list];
    },
    duplicateScenario: (a: { name: string }) => {
      const n = list.findIndex((s) => s.name === a.name);
      const original = list[n];
      if (original) list.splice(n + 1, 0, { ...original, name: `${original.name} (copy)` });
      return [...list];
    },
    deleteScenario: (a: { name: string }) => {
      list.splice(list.findIndex((s) => s.name === a.name), 1);
      return [...list];
    },
  };
  return {
    kind: 'browser',
    call: (command, args) => {
      calls.push({ command, args });
      const answer = answers[command] as ((a: unknown) => unknown) | undefined;
      if (!answer) return Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` }));
      return Promise.resolve(answer(args) as never);
    },
  };
}

function renderScreen(backend: Backend) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <BackendContext.Provider value={backend}>
        <MemoryRouter initialEntries={['/patient/w/scenarios']}>
          <Routes>
            <Route path="/patient/:id/scenarios" element={<ScenariosScreen />} />
          </Routes>
        </MemoryRouter>
      </BackendContext.Provider>
    </QueryClientProvider>,
  );
}

describe('saved scenarios', () => {
  it('are edited in the builder, duplicated, deleted after asking, and one that no longer fits says why', async () => {
    const list: ScenarioFile[] = [
      { name: 'Salt', interventions: [{ type: 'sodium_reduction', start_month: 0 }], notes: 'She cooks at home.' },
      { name: 'Old plan', interventions: [{ type: 'stop_drug', class: 'statin', month: 0 }] },
    ];
    const calls: { command: string; args: unknown }[] = [];
    renderScreen(fakeBackend(list, calls));
    const salt = await screen.findByRole('checkbox', { name: 'Salt' });
    expect(screen.getByText('She cooks at home.')).toBeTruthy();
    // The one that no longer fits today's regimen cannot be ticked, and says why.
    const old = screen.getByRole<HTMLInputElement>('checkbox', { name: 'Old plan' });
    await waitFor(() => { expect(old.disabled).toBe(true); });
    expect(screen.getByText(/Not compared: Statin is not taken at month 0/)).toBeTruthy();
    expect(salt).toBeTruthy();

    // Edit: loaded into the builder, renamed, saved in its place.
    fireEvent.click(screen.getByRole('button', { name: 'Edit Salt' }));
    expect(input('Scenario name').value).toBe('Salt');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Notes (optional)').value).toBe('She cooks at home.');
    fireEvent.change(input('Scenario name'), { target: { value: 'Salt and DASH' } });
    fireEvent.change(screen.getByLabelText('Change', { exact: true }), { target: { value: 'dash_diet' } });
    fireEvent.click(button('Add change'));
    const saveChanges = button('Save changes');
    await waitFor(() => { expect(saveChanges.disabled).toBe(false); });
    fireEvent.click(saveChanges);
    await screen.findByRole('checkbox', { name: 'Salt and DASH' });
    expect(calls.find((c) => c.command === 'saveScenario')?.args).toEqual({
      id: 'w',
      replace: 'Salt',
      scenario: { name: 'Salt and DASH', notes: 'She cooks at home.', interventions: [{ type: 'sodium_reduction', start_month: 0 }, { type: 'dash_diet', start_month: 0 }] },
    });
    await waitFor(() => { expect(input('Scenario name').value).toBe(''); });

    // Duplicate.
    fireEvent.click(screen.getByRole('button', { name: 'Duplicate Salt and DASH' }));
    await screen.findByRole('checkbox', { name: 'Salt and DASH (copy)' });

    // Delete asks first; "Keep it" keeps it.
    fireEvent.click(screen.getByRole('button', { name: 'Delete Salt and DASH (copy)' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete Salt and DASH (copy)?' });
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Delete it' }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls.some((c) => c.command === 'deleteScenario')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Delete Salt and DASH (copy)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete it' }));
    await waitFor(() => { expect(screen.queryByRole('checkbox', { name: 'Salt and DASH (copy)' })).toBeNull(); });
    expect(calls.filter((c) => c.command === 'deleteScenario').map((c) => c.args)).toEqual([{ id: 'w', name: 'Salt and DASH (copy)' }]);
  });
});
