import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BackendContext } from '../../api/hooks';
import { BackendError, type ArgsOf, type AuditView, type Backend, type CommandName, type KeychainStatus } from '../../api/backend';
import { DecisionForm } from './DecisionForm';
import { decideArgs, formReducer, initialForm, problemsOf, type DecisionFormState } from './decisionForm';

const READY: KeychainStatus = { state: 'ready', usable: true, message: 'The system keychain holds the key.', detail: null, action: null };
const AWAY: KeychainStatus = {
  state: 'unavailable',
  usable: false,
  message: 'The system keychain cannot be reached, so decisions cannot be recorded and the offline cache cannot be opened.',
  detail: 'no keychain service is running: start the desktop’s keyring and try again',
  action: 'Start or unlock the system keychain (on Linux: GNOME Keyring or KWallet), then check again.',
};

const entry = (args: ArgsOf<'decideSuggestion'>, seq: number): AuditView => ({
  seq: BigInt(seq),
  time: '2026-12-01T13:05:00Z',
  user: 'dr.lane',
  patientId: args.id,
  suggestion: args.suggestionJson,
  decision: args.decision,
  modification: args.modification ?? null,
  reason: args.reason ?? null,
  engineVersion: 'cardiotwin engine 0.1.0',
  modelVersion: 'none',
  inputsHash: 'ab'.repeat(32),
  ...(args.decisionId ? { decisionId: args.decisionId } : {}),
  hash: 'cd'.repeat(32),
});

/** A backend whose decideSuggestion waits until `release` is called, counting the calls. */
function fakeBackend(keychain: KeychainStatus = READY) {
  const calls: ArgsOf<'decideSuggestion'>[] = [];
  const pending: (() => void)[] = [];
  const backend: Backend = {
    kind: 'browser',
    call: (command: CommandName, args: unknown) => {
      switch (command) {
        case 'keychainStatus':
          return Promise.resolve(keychain as never);
        case 'savedScenarios':
          return Promise.resolve([] as never);
        case 'decideSuggestion': {
          const a = args as ArgsOf<'decideSuggestion'>;
          calls.push(a);
          return new Promise((resolve) => {
            pending.push(() => { resolve(entry(a, calls.length)); });
          });
        }
        default:
          return Promise.reject(new BackendError({ code: 'notFound', message: `no fake for ${command}` }));
      }
    },
  };
  return { backend, calls, release: () => { pending.splice(0).forEach((f) => { f(); }); } };
}

function renderForm(backend: Backend) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <BackendContext.Provider value={backend}>
      <QueryClientProvider client={client}>
        <MemoryRouter>
          <DecisionForm id="p1" plan={{ label: 'start amlodipine 5 mg', scenario: { name: 'Plan', interventions: [] } }} suggestionJson='{"headline":"h"}' />
        </MemoryRouter>
      </QueryClientProvider>
    </BackendContext.Provider>,
  );
}

const radios = () => screen.getAllByRole('radio');
const recordButton = () => screen.getByRole('button', { name: /Record decision|Recording/ });

describe('the decision form state', () => {
  const filled = (over: Partial<DecisionFormState> = {}): DecisionFormState => ({ ...initialForm('id-1'), choice: 'accepted', reason: 'agreed', ...over });

  it('starts with nothing chosen and needs a choice and a reason for every choice', () => {
    const s = initialForm('id-1');
    expect(s.choice).toBeNull();
    expect(problemsOf(s).map((p) => p.field)).toEqual(['choice', 'reason']);
    for (const choice of ['accepted', 'modified', 'declined'] as const) {
      expect(problemsOf({ choice, reason: ' ', modification: 'x' }).map((p) => p.field)).toEqual(['reason']);
    }
    expect(problemsOf({ choice: 'modified', reason: 'r', modification: '' }).map((p) => p.field)).toEqual(['modification']);
    const refused = formReducer(s, { type: 'submit' });
    expect(refused.phase).toBe('editing');
    expect(refused.problems).toHaveLength(2);
  });

  it('goes to submitting once, ignores a second submit and edits while in flight, and closes when recorded', () => {
    const sending = formReducer(filled(), { type: 'submit' });
    expect(sending.phase).toBe('submitting');
    expect(formReducer(sending, { type: 'submit' })).toBe(sending);
    expect(formReducer(sending, { type: 'reason', reason: 'changed' })).toBe(sending);
    const args = decideArgs(sending, 'p1', '{}');
    expect(args).toEqual({ id: 'p1', suggestionJson: '{}', decision: 'accepted', reason: 'agreed', decisionId: 'id-1' });
    const recorded = formReducer(sending, { type: 'recorded', entry: entry(args, 1) });
    expect(recorded.phase).toBe('recorded');
    expect(formReducer(recorded, { type: 'submit' })).toBe(recorded);
    expect(formReducer(recorded, { type: 'choose', choice: 'declined' })).toBe(recorded);
    const another = formReducer(recorded, { type: 'another', decisionId: 'id-2' });
    expect(another).toEqual(initialForm('id-2'));
  });

  it('keeps what was typed and the same id after a failure, so a retry is recorded once', () => {
    const failed = formReducer(formReducer(filled({ choice: 'declined', reason: 'later' }), { type: 'submit' }), { type: 'failed' });
    expect(failed).toMatchObject({ phase: 'editing', choice: 'declined', reason: 'later', decisionId: 'id-1' });
  });

  it('clears a problem as it is fixed', () => {
    const refused = formReducer(initialForm('id-1'), { type: 'submit' });
    const chosen = formReducer(refused, { type: 'choose', choice: 'declined' });
    expect(chosen.problems.map((p) => p.field)).toEqual(['reason']);
  });
});

describe('DecisionForm', () => {
  it('preselects nothing and records nothing without a choice and a reason', async () => {
    const { backend, calls } = fakeBackend();
    renderForm(backend);
    await waitFor(() => { expect(recordButton().hasAttribute('disabled')).toBe(false); });
    expect(radios()).toHaveLength(3);
    expect(radios().every((r) => !(r as HTMLInputElement).checked)).toBe(true);
    fireEvent.click(recordButton());
    const problems = screen.getByTestId('decision-problems').textContent;
    expect(problems).toContain('Choose accepted, modified or declined');
    expect(problems).toContain('Give a reason');
    fireEvent.click(screen.getByRole('radio', { name: 'Accepted' }));
    fireEvent.click(recordButton());
    expect(screen.getByTestId('decision-problems').textContent).toContain('Give a reason');
    expect(calls).toHaveLength(0);
  });

  it('writes one entry for a double click and a second submit in flight, then shows what was recorded, closed', async () => {
    const { backend, calls, release } = fakeBackend();
    renderForm(backend);
    await waitFor(() => { expect(recordButton().hasAttribute('disabled')).toBe(false); });
    fireEvent.click(screen.getByRole('radio', { name: 'Declined' }));
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: 'Prefers salt reduction first' } });
    const button = recordButton();
    const form = button.closest('form');
    if (!form) throw new Error('no form');
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.submit(form);
    await waitFor(() => { expect(calls).toHaveLength(1); });
    expect(recordButton().textContent).toBe('Recording…');
    expect(recordButton().hasAttribute('disabled')).toBe(true);
    fireEvent.submit(form);
    await act(async () => {
      release();
      await Promise.resolve();
    });
    const recorded = await screen.findByTestId('decision-recorded');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ decision: 'declined', reason: 'Prefers salt reduction first' });
    // Closed: no radios, no Record button; what, why, when, who.
    expect(screen.queryAllByRole('radio')).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Record decision' })).toBeNull();
    const text = recorded.textContent;
    expect(text).toContain('Declined: start amlodipine 5 mg');
    expect(text).toContain('Prefers salt reduction first');
    expect(within(recorded).getByTestId('recorded-who').textContent).toBe('dr.lane');
    expect(within(recorded).getByTestId('recorded-when').textContent).toMatch(/^\d{1,2} Dec 2026, \d\d:\d\d \(this computer’s time\)$/);
    expect(document.activeElement?.textContent).toContain('Decision recorded');
    // From the decision to the patient view, with this decision's entry named (nothing chosen yet).
    const toPatientView = within(recorded).getByRole('link', { name: 'Choose what the patient sees' });
    expect(toPatientView.getAttribute('href')).toMatch(/\/for-patient\?decision=\d+$/);

    // "Record another decision": a fresh form, nothing chosen, under a new id.
    fireEvent.click(within(recorded).getByRole('button', { name: 'Record another decision' }));
    await waitFor(() => { expect(recordButton().hasAttribute('disabled')).toBe(false); });
    expect(radios().every((r) => !(r as HTMLInputElement).checked)).toBe(true);
    expect(screen.getByLabelText<HTMLTextAreaElement>('Reason (required)').value).toBe('');
    fireEvent.click(screen.getByRole('radio', { name: 'Accepted' }));
    fireEvent.change(screen.getByLabelText('Reason (required)'), { target: { value: 'Agreed at the review' } });
    fireEvent.click(recordButton());
    await waitFor(() => { expect(calls).toHaveLength(2); });
    expect(calls[1]?.decisionId).toBeTruthy();
    expect(calls[1]?.decisionId).not.toBe(calls[0]?.decisionId);
  });

  it('says before anything is filled that the keychain is away, what to do, and keeps the form disabled', async () => {
    const { backend, calls } = fakeBackend(AWAY);
    renderForm(backend);
    expect(screen.getByTestId('keychain-status').getAttribute('data-state')).toBe('checking');
    expect(recordButton().hasAttribute('disabled')).toBe(true);
    await waitFor(() => { expect(screen.getByTestId('keychain-status').getAttribute('data-state')).toBe('unavailable'); });
    const notice = screen.getByTestId('keychain-status');
    expect(notice.textContent).toContain('cannot be reached');
    expect(notice.textContent).toContain('What to do: Start or unlock the system keychain');
    expect(screen.getByRole('button', { name: 'Check again' })).toBeTruthy();
    expect(recordButton().hasAttribute('disabled')).toBe(true);
    expect(radios().every((r) => (r as HTMLInputElement).disabled || r.closest('fieldset:disabled') !== null)).toBe(true);
    fireEvent.submit(recordButton().closest('form') as HTMLFormElement);
    expect(calls).toHaveLength(0);
  });
});
