import type { AppError } from '../api/backend';

/** Loading, cancel and error, the same on every screen. */
export function Status({ loading, error, what, onCancel }: { loading: boolean; error: AppError | null; what: string; onCancel?: () => void }) {
  if (error) {
    return (
      <p role="alert" className="error">
        Could not load {what}: {error.message}
      </p>
    );
  }
  if (loading) {
    return (
      <p aria-busy="true" className="busy" role="status">
        <span className="spinner" aria-hidden="true" /> Computing {what}…{' '}
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </p>
    );
  }
  return null;
}
