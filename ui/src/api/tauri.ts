// The Backend over Tauri IPC: each method is one command in src-tauri/src/commands/.
import { invoke } from '@tauri-apps/api/core';
import { asAppError, BackendError, type Backend, type PatientList, type PatientSummary, type Series } from './backend';

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw new BackendError(asAppError(err));
  }
}

export const tauriBackend: Backend = {
  listPatients: () => call<PatientList>('list_patients'),
  patientSummary: (id) => call<PatientSummary>('patient_summary', { id }),
  series: (id, key) => call<Series>('measurement_series', { id, key }),
};

/** Whether the page runs inside the Tauri shell. */
export function inTauri(): boolean {
  return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}
