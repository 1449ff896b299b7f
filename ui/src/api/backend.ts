// The one way the UI reaches CardioTwin's use cases. Components receive a Backend and never
// know whether it is the desktop shell (Tauri IPC) or `cardiotwin serve` (HTTP).
import type { AppError, ErrorCode, PatientList, PatientSummary, Series } from './generated';

export type { AppError, PatientList, PatientListItem, PatientSummary, Series } from './generated';

export interface Backend {
  listPatients(): Promise<PatientList>;
  patientSummary(id: string): Promise<PatientSummary>;
  series(id: string, key: string): Promise<Series>;
}

/** Every code the backend may send; a Record so a new Rust code fails this file's type check. */
const ERROR_CODES: Record<ErrorCode, true> = {
  validation: true,
  notFound: true,
  io: true,
  storeLocked: true,
  store: true,
  fhirAuth: true,
  fhirUnavailable: true,
};

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** Errors from a backend always arrive as `{code, message}`; anything else is wrapped. */
export function asAppError(err: unknown): AppError {
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message } = err;
    if (isErrorCode(code) && typeof message === 'string') {
      return { code, message };
    }
  }
  return { code: 'io', message: err instanceof Error ? err.message : String(err) };
}

/** What a Backend rejects with: an Error carrying the app's error code. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(error: AppError) {
    super(error.message);
    this.name = 'BackendError';
    this.code = error.code;
  }
}
