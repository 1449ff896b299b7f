import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { Backend } from './backend';
import { BackendContext, useLongCommand } from './hooks';

/** A backend whose long runs wait until the test answers them; every call is recorded. */
function pendingBackend() {
  const calls: { command: string; args: unknown; signal: AbortSignal | undefined }[] = [];
  const answers: ((value: unknown) => void)[] = [];
  const call = (command: string, args: unknown, signal?: AbortSignal): Promise<unknown> => {
    calls.push({ command, args, signal });
    if (command === 'jobProgress' || command === 'cancelJob') return Promise.resolve({ running: true, done: 0, total: 1, cells: [] });
    return new Promise((resolve) => answers.push(resolve));
  };
  const backend = { kind: 'browser', call } as unknown as Backend;
  return { backend, calls, answers };
}

function wrapper(client: QueryClient, backend: Backend) {
  return ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>
      <BackendContext.Provider value={backend}>{children}</BackendContext.Provider>
    </QueryClientProvider>
  );
}

const heatmapArgs = { id: 'p', x: { axis: 'sbpLowering' as const, from: 0, to: 30 }, y: { axis: 'ldlLowering' as const, from: 0, to: 60 }, grid: 8, ensemble: { months: 120, members: 200, seed: 1 }, context: {} };
const compareArgs = { id: 'p', scenarios: [], ensemble: { months: 120, members: 1000, seed: 1 }, context: {} };

describe('long runs and the screens that leave them', () => {
  it('a heatmap goes on when its screen is left, and the screen that comes back finds its answer', async () => {
    const { backend, calls, answers } = pendingBackend();
    const client = new QueryClient();
    const first = renderHook(() => useLongCommand('heatmap', heatmapArgs, { keepRunningWhenLeft: true }), { wrapper: wrapper(client, backend) });
    await waitFor(() => { expect(calls.filter((c) => c.command === 'heatmap')).toHaveLength(1); });
    first.unmount();
    expect(calls.some((c) => c.command === 'cancelJob')).toBe(false);
    expect(calls.find((c) => c.command === 'heatmap')?.signal).toBeUndefined();
    answers[0]?.({ cells: [] });
    const again = renderHook(() => useLongCommand('heatmap', heatmapArgs, { keepRunningWhenLeft: true }), { wrapper: wrapper(client, backend) });
    await waitFor(() => { expect(again.result.current.data).toEqual({ cells: [] }); });
    // Not computed again.
    expect(calls.filter((c) => c.command === 'heatmap')).toHaveLength(1);
  });

  it('a comparison left mid-run aborts its request and cancels its job', async () => {
    const { backend, calls } = pendingBackend();
    const client = new QueryClient();
    const view = renderHook(() => useLongCommand('compare', compareArgs), { wrapper: wrapper(client, backend) });
    await waitFor(() => { expect(calls.filter((c) => c.command === 'compare')).toHaveLength(1); });
    const run = calls.find((c) => c.command === 'compare');
    view.unmount();
    await waitFor(() => { expect(run?.signal?.aborted).toBe(true); });
    const job = (run?.args as { job: string }).job;
    await waitFor(() => { expect(calls.some((c) => c.command === 'cancelJob' && (c.args as { job: string }).job === job)).toBe(true); });
  });
});
