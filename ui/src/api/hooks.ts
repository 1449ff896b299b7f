// The data hook every screen uses: one place for loading, caching, cancelling and errors.
import { createContext, useContext } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { asAppError, BackendError, type AppError, type ArgsOf, type Backend, type CommandName, type ResultOf } from './backend';

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

/** Runs a command that changes something; `invalidate` names the commands to reload after. */
export function useCommandMutation<K extends CommandName>(command: K, invalidate: CommandName[] = []) {
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
    onSuccess: () => {
      for (const name of invalidate) void client.invalidateQueries({ queryKey: [name] });
    },
  });
}
