import type { AppError, JobProgress } from '../api/backend';

export interface StatusProps {
  loading: boolean;
  error: AppError | null;
  what: string;
  onCancel?: () => void;
  /** Members done and in all, for long runs. */
  progress?: JobProgress | null;
  /** The last run was stopped by the clinician. */
  cancelled?: boolean;
  onRerun?: () => void;
}

/** Loading with progress and cancel, cancellation and errors, the same on every screen. */
export function Status({ loading, error, what, onCancel, progress = null, cancelled = false, onRerun }: StatusProps) {
  if (cancelled) {
    return (
      <p role="status" className="note">
        Stopped: {what} was cancelled.{' '}
        {onRerun && (
          <button type="button" onClick={onRerun}>
            Run again
          </button>
        )}
      </p>
    );
  }
  if (error) {
    return (
      <p role="alert" className="error">
        Could not load {what}: {error.message}
      </p>
    );
  }
  if (loading) {
    const share = progress && progress.total > 0 ? progress.done / progress.total : null;
    return (
      <div aria-busy="true" className="busy" role="status">
        <span className="spinner" aria-hidden="true" /> Computing {what}…
        {share !== null && progress && (
          <>
            <progress value={progress.done} max={progress.total} aria-label={`Ensemble members computed for ${what}`} />
            <span>
              {Math.round(share * 100).toString()} % ({progress.done.toLocaleString()} of {progress.total.toLocaleString()} members)
            </span>
          </>
        )}
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    );
  }
  return null;
}
