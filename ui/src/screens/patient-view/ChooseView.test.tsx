import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BackendContext } from '../../api/hooks';
import { BackendError, type ArgsOf, type AuditView, type Backend, type CommandName, type ScenarioFile } from '../../api/backend';
import { ChooseView, viewOptions } from './ChooseView';

const plan: ScenarioFile = { name: 'Modified: add calcium-channel blocker', interventions: [{ type: 'start_drug', class: 'calcium_channel_blocker', dose: 'standard', start_month: 0, adherence: 1, persistence: 'as_prescribed' }] };
const entry = (decision: string, modification: string | null): AuditView => ({
  seq: 1n,
  time: '2026-12-01T13:05:00Z',
  user: 'dr.lane',
  patientId: 'p',
  suggestion: '{}',
  decision,
  modification,
  reason: 'r',
  engineVersion: 'e',
  modelVersion: 'm',
  inputsHash: 'h',
  hash: 'x',
});

function renderChoose(chosen: Parameters<typeof ChooseView>[0]['chosen']) {
  const calls: ArgsOf<'choosePatientView'>[] = [];
  const backend: Backend = {
    kind: 'browser',
    call: (command: CommandName, args: unknown) => {
      if (command === 'choosePatientView') {
        const a = args as ArgsOf<'choosePatientView'>;
        calls.push(a);
        return Promise.resolve({ chosen: { choice: a.choice, chosenOn: '2026-12-01', chosenBy: 'dr.lane' } } as never);
      }
      return Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` }));
    },
  };
  const options = viewOptions(null, [entry('modified', JSON.stringify(plan))], 'p', []);
  render(
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={new QueryClient()}>
        <ChooseView id="p" options={options} chosen={chosen} />
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
  return calls;
}

describe('the clinician chooses what the patient sees', () => {
  it('offers today’s treatment, the plan of a modified decision and the saved scenarios; never an undecided suggestion by default', () => {
    const options = viewOptions(null, [entry('declined', null)], 'p', [plan]);
    expect(options.map((o) => o.choice.kind)).toEqual(['today', 'saved']);
    expect(viewOptions(null, [entry('modified', JSON.stringify(plan))], 'p', []).map((o) => o.label)).toEqual([
      'Today’s treatment, unchanged',
      'The plan as modified in the decision of 1 Dec 2026: Modified: add calcium-channel blocker',
    ]);
  });

  it('says nothing is shown until a choice is made, then remembers the one made', async () => {
    const calls = renderChoose(null);
    expect(screen.getByTestId('patient-view-unchosen').textContent).toMatch(/Nothing is shown to the patient yet/);
    const show = screen.getByRole<HTMLButtonElement>('button', { name: 'Show this to the patient' });
    expect(show.disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /modified in the decision/ }));
    fireEvent.click(show);
    await waitFor(() => { expect(calls).toHaveLength(1); });
    expect(calls[0]).toEqual({ id: 'p', choice: { kind: 'modified', scenario: plan } });
  });

  it('shows a remembered plan selected, though the backend spelled out its defaults', () => {
    const stored = { ...plan, interventions: plan.interventions.map((i) => ({ ...i, adherence: 0.5 })) };
    renderChoose({ choice: { kind: 'modified', scenario: stored }, chosenOn: '2026-12-01', chosenBy: 'dr.lane' });
    expect(screen.getByRole<HTMLInputElement>('radio', { name: /modified in the decision/ }).checked).toBe(true);
  });

  it('shows the remembered choice, selected', () => {
    renderChoose({ choice: { kind: 'today' }, chosenOn: '2026-12-01', chosenBy: 'dr.lane' });
    expect(screen.getByTestId('patient-view-chosen').textContent).toBe('Showing today’s treatment, unchanged, chosen on 1 Dec 2026 by dr.lane.');
    expect(screen.getByRole<HTMLInputElement>('radio', { name: 'Today’s treatment, unchanged' }).checked).toBe(true);
  });
});
