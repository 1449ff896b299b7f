// The one way the UI reaches CardioTwin's use cases. Components receive a Backend (through
// `useBackend`) and never know whether it is the desktop shell (Tauri IPC) or
// `cardiotwin serve` (HTTP). The command names and their types come from twin-app's registry.
import type { AppError, Commands, ErrorCode, HomeImportReport, ImportHomeArgs } from './generated';

export type * from './generated';
export { COMMAND_NAMES } from './generated';

/** A command's name, its arguments and its answer. */
export type CommandName = keyof Commands;
export type ArgsOf<K extends CommandName> = Commands[K]['args'];
export type ResultOf<K extends CommandName> = Commands[K]['result'];

export interface Backend {
  /** Runs one command; `signal` cancels the wait (and, over HTTP, the request). */
  call<K extends CommandName>(command: K, args: ArgsOf<K>, signal?: AbortSignal): Promise<ResultOf<K>>;
  /** Which transport this is, for the status line. */
  readonly kind: 'desktop' | 'browser';
  /**
   * Imports a home-monitor CSV or an Apple Health export.xml for the patient `args` names. The
   * file is never read into a string: the browser streams it to `cardiotwin serve`; the desktop
   * hands the file's path to the shell. Absent where a backend cannot import files.
   */
  importHomeFile?(source: HomeFileSource, args: ImportHomeArgs, signal?: AbortSignal): Promise<HomeImportReport>;
  /** Desktop only: calls `onPaths` with the paths of files dropped on the window; resolves to the unsubscribe. */
  onFileDrop?(onPaths: (paths: string[]) => void): Promise<() => void>;
}

/** A home-data file: one the page holds (a browser's file picker), or a path on this computer (the desktop). */
export type HomeFileSource = { file: File } | { path: string };

/** Every code the backend may send; a Record so a new Rust code fails this file's type check. */
const ERROR_CODES: Record<ErrorCode, true> = {
  validation: true,
  notFound: true,
  io: true,
  storeLocked: true,
  store: true,
  busy: true,
  tampered: true,
  fhirAuth: true,
  fhirUnavailable: true,
  cancelled: true,
};

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** Errors from a backend always arrive as `{code, message}`; anything else is wrapped. */
export function asAppError(err: unknown): AppError {
  if (err instanceof BackendError) return { code: err.code, message: err.message };
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
