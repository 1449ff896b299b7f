import { useQueryClient } from '@tanstack/react-query';
import type { AppError, KeychainStatus } from '../api/backend';
import { useCommand } from '../api/hooks';

/** The keychain's state, asked afresh whenever a screen that needs it opens. */
export function useKeychainStatus(): { status: KeychainStatus | undefined; error: AppError | null; loading: boolean; recheck: () => void } {
  const client = useQueryClient();
  const q = useCommand('keychainStatus', {}, { staleTime: 0 });
  return {
    status: q.data,
    error: q.error,
    loading: q.loading,
    // What the store holds is asked again too: it opens once the keychain is back.
    recheck: () => {
      for (const command of ['keychainStatus', 'settings', 'auditLog', 'savedScenarios', 'listPatients']) {
        void client.invalidateQueries({ queryKey: [command] });
      }
    },
  };
}

/**
 * Whether decisions can be recorded, said before anything is filled in: nothing when the keychain
 * is ready (`quiet`), else what is wrong, what it means and what to do, with "Check again".
 */
export function KeychainNotice({ quiet = false, what = 'recording decisions' }: { quiet?: boolean; what?: string }) {
  const { status, error, loading, recheck } = useKeychainStatus();
  if (error) {
    return (
      <p className="warning" role="alert" data-testid="keychain-status" data-state="unknown">
        Whether the keychain can be used is not known ({error.message}).
      </p>
    );
  }
  if (!status) {
    return (
      <p className="note" aria-busy="true" data-testid="keychain-status" data-state="checking">
        Checking the system keychain before {what}…
      </p>
    );
  }
  if (status.usable) {
    return quiet ? null : (
      <p className="note" data-testid="keychain-status" data-state={status.state}>
        <strong>Keychain ready.</strong> {status.message}
      </p>
    );
  }
  return (
    <div className="keychain-problem warning" role="alert" data-testid="keychain-status" data-state={status.state}>
      <p>
        <strong>
          <span aria-hidden="true">⚠ </span>
          {status.message}
        </strong>
      </p>
      {status.detail && <p>Reason: {status.detail.replace(/\.$/, '')}.</p>}
      {status.action && <p>What to do: {status.action}</p>}
      <p>
        <button type="button" onClick={recheck} disabled={loading}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </p>
    </div>
  );
}
