import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BackendContext } from '../../api/hooks';
import { BackendError, type ArgsOf, type AuditView, type Backend, type CommandName, type ScenarioFile } from '../../api/backend';
import { ChooseView, decidedOption, viewOptions } from './ChooseView';

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

function renderChoose(chosen: Parameters<typeof ChooseView>[0]['chosen'], decided: Parameters<typeof ChooseView>[0]['decided'] = null) {
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
        <ChooseView id="p" options={options} chosen={chosen} decided={decided} />
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
      'The plan as modified in the decision of 1 Dec 2026: add calcium-channel blocker',
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

  it('points from a recorded decision to the option it decided, and to nothing that was not decided', () => {
    const suggestion = { suggestion: { label: 'Start amlodipine 5 mg', scenario: plan } } as unknown as Parameters<typeof viewOptions>[0];
    const modified = entry('modified', JSON.stringify(plan));
    const options = viewOptions(suggestion, [modified], 'p', []);
    expect(decidedOption(options, modified)).toEqual({ key: 'modified', words: 'modified on 1 Dec 2026, decision log entry 1' });
    expect(decidedOption(options, entry('declined', null))?.key).toBe('today');
    const accepted = { ...entry('accepted', null), suggestion: JSON.stringify({ suggestion: { label: 'Start amlodipine 5 mg' } }) };
    expect(decidedOption(options, accepted)?.key).toBe('suggested');
    // A plan accepted earlier that is no longer the one on offer, or an unreadable record: nothing preselected.
    expect(decidedOption(options, { ...accepted, suggestion: JSON.stringify({ suggestion: { label: 'Start ramipril 5 mg' } }) })).toBeNull();
    expect(decidedOption(options, { ...accepted, suggestion: 'not json' })).toBeNull();
    expect(decidedOption(viewOptions(null, [], 'p', []), accepted)).toBeNull();
    // A modified decision other than the one on offer (another day's) is not this option.
    expect(decidedOption(options, { ...modified, time: '2026-11-02T09:00:00Z' })).toBeNull();
  });

  it('opened from a decision, selects its plan and says so, but chooses nothing until confirmed', async () => {
    const calls = renderChoose(null, { key: 'modified', words: 'modified on 1 Dec 2026, decision log entry 1' });
    expect(screen.getByRole<HTMLInputElement>('radio', { name: /modified in the decision/ }).checked).toBe(true);
    expect(screen.getByTestId('patient-view-decided').textContent).toMatch(/^Selected from your decision: modified on 1 Dec 2026, decision log entry 1\. Nothing changes for the patient until/);
    expect(screen.getByTestId('patient-view-unchosen').textContent).toMatch(/Nothing is shown to the patient yet/);
    expect(calls).toHaveLength(0);
    // Another option picked: the note about the decision goes, as it no longer describes the selection.
    fireEvent.click(screen.getByRole('radio', { name: 'Today’s treatment, unchanged' }));
    expect(screen.queryByTestId('patient-view-decided')).toBeNull();
    fireEvent.click(screen.getByRole('radio', { name: /modified in the decision/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Show this to the patient' }));
    await waitFor(() => { expect(calls).toHaveLength(1); });
    expect(calls[0]).toEqual({ id: 'p', choice: { kind: 'modified', scenario: plan } });
  });
});
