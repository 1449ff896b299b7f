// The data hook every screen uses: one place for loading, caching, cancelling and errors.
import { createContext, useContext, useMemo, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { asAppError, BackendError, type AppError, type ArgsOf, type Backend, type CommandName, type JobProgress, type ResultOf } from './backend';

export const BackendContext = createContext<Backend | null>(null);

export function useBackend(): Backend {
  const backend = useContext(BackendContext);
  if (!backend) throw new Error('useBackend outside <BackendContext>');
  return backend;
}

export interface CommandState<T> {
  data: T | undefined;
  error: AppError | null;
  loading: boolean;
  /** Stops waiting for the answer. */
  cancel: () => void;
}

/** Runs a read-only command; cached by command and arguments, cancelled when the screen leaves. */
export function useCommand<K extends CommandName>(
  command: K,
  args: ArgsOf<K> | null,
  options: { staleTime?: number } = {},
): CommandState<ResultOf<K>> {
  const backend = useBackend();
  const client = useQueryClient();
  const key = [command, args] as const;
  const query = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => backend.call(command, args as ArgsOf<K>, signal),
    enabled: args !== null,
    staleTime: options.staleTime ?? 60_000,
    retry: false,
  });
  return {
    data: query.data,
    error: query.error ? asAppError(query.error) : null,
    loading: query.isFetching,
    cancel: () => {
      void client.cancelQueries({ queryKey: key });
    },
  };
}

/**
 * Runs a command that changes something; `invalidate` names the commands to reload after, and
 * `answers` a query whose new value is this command's answer (stored at once, no reload).
 */
export function useCommandMutation<K extends CommandName, Q extends CommandName>(
  command: K,
  invalidate: CommandName[] = [],
  answers?: { command: Q; args: (args: ArgsOf<K>) => ArgsOf<Q> },
) {
  const backend = useBackend();
  const client = useQueryClient();
  return useMutation<ResultOf<K>, BackendError, ArgsOf<K>>({
    mutationFn: async (args) => {
      try {
        return await backend.call(command, args);
      } catch (err) {
        throw err instanceof BackendError ? err : new BackendError(asAppError(err));
      }
    },
    onSuccess: (result, args) => {
      if (answers) client.setQueryData([answers.command, answers.args(args)], result);
      for (const name of invalidate) void client.invalidateQueries({ queryKey: [name] });
    },
  });
}

/**
 * A command's cached answer, to show a change before the backend confirms it (an optimistic
 * update); the confirmed answer replaces it, and a refused change puts the old one back.
 */
export function useCommandCache() {
  const client = useQueryClient();
  return useMemo(
    () => ({
      get: <K extends CommandName>(command: K, args: ArgsOf<K>): ResultOf<K> | undefined => client.getQueryData<ResultOf<K>>([command, args]),
      set: <K extends CommandName>(command: K, args: ArgsOf<K>, value: ResultOf<K> | undefined) => {
        client.setQueryData([command, args], value);
      },
    }),
    [client],
  );
}

/** Commands that run ensembles: they take a job id, report progress and can be stopped. */
export type LongCommand = 'simulate' | 'compare' | 'heatmap';

export interface LongCommandState<T> extends CommandState<T> {
  /** Members done and in all, while it runs. */
  progress: JobProgress | null;
  /** Whether the clinician stopped the last run. */
  cancelled: boolean;
  /** Runs it again after a cancel. */
  rerun: () => void;
}

export interface LongCommandOptions {
  /**
   * Whether the run goes on when its screen is left (the heatmap, while the clinician looks at
   * another screen: its answer waits in the cache). Otherwise leaving the screen aborts the
   * request, and the backend stops the run.
   */
  keepRunningWhenLeft?: boolean;
}

let jobCounter = 0;
/** The job running for each command and arguments, so a screen that comes back finds its run. */
const runningJobs = new Map<string, string>();

/**
 * Runs an ensemble command with a fresh job id per run, polls its progress while it runs, and
 * stops it on the backend (not just the wait) when the clinician cancels or, unless
 * `keepRunningWhenLeft`, when the screen is left.
 */
export function useLongCommand<K extends LongCommand>(
  command: K,
  args: Omit<ArgsOf<K>, 'job'> | null,
  options: LongCommandOptions = {},
): LongCommandState<ResultOf<K>> {
  const backend = useBackend();
  const client = useQueryClient();
  const [, setJobsSeen] = useState(0);
  const [cancelledKey, setCancelledKey] = useState<string | null>(null);
  const key = [command, args] as const;
  const keyText = JSON.stringify(key);
  const job = runningJobs.get(keyText) ?? null;
  const keepRunning = options.keepRunningWhenLeft ?? false;
  const query = useQuery({
    queryKey: key,
    enabled: args !== null && cancelledKey !== keyText,
    staleTime: Infinity,
    // A finished heatmap stays for the session's screens to come back to.
    gcTime: keepRunning ? 30 * 60_000 : 5 * 60_000,
    retry: false,
    // While a new horizon or ensemble size computes, the last answer stays on screen.
    placeholderData: keepPreviousData,
    queryFn: async (context) => {
      jobCounter += 1;
      const id = `${command}-${Date.now().toString(36)}-${jobCounter.toString()}`;
      runningJobs.set(keyText, id);
      setJobsSeen((n) => n + 1);
      // react-query aborts a query on unmount only if its function reads the signal: a run that
      // goes on when left must not read it.
      const signal = keepRunning ? undefined : context.signal;
      // The request is aborted when nobody waits any more: over HTTP the server then stops the
      // run itself; the explicit cancel reaches the desktop shell too.
      const stop = () => {
        void backend.call('cancelJob', { job: id }).catch(() => undefined);
      };
      signal?.addEventListener('abort', stop, { once: true });
      try {
        return await backend.call(command, { ...args, job: id } as ArgsOf<K>, signal);
      } finally {
        signal?.removeEventListener('abort', stop);
        if (runningJobs.get(keyText) === id) runningJobs.delete(keyText);
        setJobsSeen((n) => n + 1);
      }
    },
  });
  const progress = useQuery({
    queryKey: ['jobProgress', job],
    enabled: job !== null,
    refetchInterval: 250,
    staleTime: 0,
    retry: false,
    queryFn: ({ signal }) => backend.call('jobProgress', { job: job ?? '' }, signal),
  });
  return {
    data: query.data,
    error: query.error ? asAppError(query.error) : null,
    loading: query.isFetching,
    progress: job !== null && progress.data?.running ? progress.data : null,
    cancelled: cancelledKey === keyText,
    cancel: () => {
      if (job) void backend.call('cancelJob', { job }).catch(() => undefined);
      setCancelledKey(keyText);
      void client.cancelQueries({ queryKey: key });
    },
    rerun: () => {
      setCancelledKey(null);
    },
  };
}
